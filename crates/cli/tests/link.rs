//! `hearth link` as an analyst runs it: CSV in, CSV out, every bad row reported.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

#[test]
fn dedupe_clusters_the_same_person_reports_bad_rows_and_keeps_twins_apart() {
    let dir = std::env::temp_dir().join(format!("hearth-link-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("people.csv");
    let mut csv = String::from("id,first_name,surname,dob,postcode,address\n");
    // The same boy three ways; his twin sister; a row with a broken date; a row with no id.
    csv.push_str("a1,William,Smith,2012-03-04,NG7 1AA,1 Example Street\n");
    csv.push_str("a2,Bill,Smyth,2012-04-03,NG7 1AA,1 Example St\n");
    csv.push_str("a3,Billy,Smith,2012-03-04,NG7 1AB,1 Example Street\n");
    csv.push_str("b1,Grace,Smith,2012-03-04,NG7 1AA,1 Example Street\n");
    csv.push_str("c1,Amira,Khan,not-a-date,NG5 2BB,9 Other Road\n");
    csv.push_str(",Nobody,Noid,2001-01-01,NG1 1AA,\n");
    // Enough unrelated people for the model to learn what chance agreement looks like.
    let given = [
        "Olivia", "Noah", "Maja", "Yusuf", "Ioana", "Leo", "Aisha", "Jakub", "Poppy", "Tyler",
    ];
    let family = [
        "Jones", "Patel", "Nowak", "Popescu", "Okafor", "Walker", "Hussain", "Wright", "Green",
        "Hall",
    ];
    for i in 0..300 {
        csv.push_str(&format!(
            "x{i},{},{},{}-{:02}-{:02},NG{} {}AA,{} Some Road\n",
            given[i % 10],
            family[(i / 10) % 10],
            1980 + (i % 40),
            1 + (i % 12),
            1 + (i % 28),
            1 + (i % 11),
            i % 9,
            i
        ));
    }
    std::fs::write(&input, csv).unwrap();
    let clusters = dir.join("clusters.csv");
    let problems = dir.join("problems.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["link", "dedupe", input.to_str().unwrap(), "--quiet"])
        .args(["--out", dir.join("pairs.csv").to_str().unwrap()])
        .args(["--clusters", clusters.to_str().unwrap()])
        .args(["--problems", problems.to_str().unwrap()])
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");

    let problems = std::fs::read_to_string(&problems).unwrap();
    assert!(
        problems.contains("not-a-date") || problems.lines().any(|l| l.contains("c1")),
        "the bad date is reported: {problems}"
    );
    assert!(
        problems.lines().count() >= 3,
        "both bad rows are reported: {problems}"
    );

    let clusters = std::fs::read_to_string(&clusters).unwrap();
    let cluster_of = |id: &str| {
        clusters
            .lines()
            .find(|l| l.split(',').next() == Some(id))
            .and_then(|l| l.split(',').nth(1))
            .unwrap_or_else(|| panic!("{id} has no cluster in {clusters}"))
            .to_string()
    };
    assert_eq!(
        cluster_of("a1"),
        cluster_of("a2"),
        "Bill Smyth with swapped day and month is William Smith"
    );
    assert_eq!(cluster_of("a1"), cluster_of("a3"));
    assert_ne!(
        cluster_of("a1"),
        cluster_of("b1"),
        "his twin sister is someone else"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// FEBRL's file as it comes: its address in parts, its suburb, its YYYYMMDD dates, and a
/// column Hearth has no field for. No `--column` is needed, and the unused column is named.
#[test]
fn reads_febrl_columns_without_a_mapping_and_names_the_unused_ones() {
    let dir = std::env::temp_dir().join(format!("hearth-link-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("febrl.csv");
    let mut csv = String::from(
        "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth\n",
    );
    // One woman twice: her surname mistyped, her street's words run together, her suburb
    // misspelled and her date of birth missing in the copy.
    csv.push_str(
        "rec-1-org,michaela,neumann,8,stanley street,miami,winston hills,4223,nsw,19151111\n",
    );
    csv.push_str("rec-1-dup-0,michaela,nuemann,8,stanleystreet,miami,winston hils,4223,nsw,\n");
    let given = [
        "olivia", "noah", "maja", "yusuf", "ioana", "leo", "aisha", "jakub", "poppy", "tyler",
    ];
    let family = [
        "jones", "patel", "nowak", "popescu", "okafor", "walker", "hussain", "wright", "green",
        "hall",
    ];
    let streets = [
        "wallaby place",
        "hoseason street",
        "pinkerton circuit",
        "salkauskas crescent",
    ];
    let suburbs = ["cleveland", "granville", "richlands", "dapto", "marsden"];
    for i in 0..300 {
        csv.push_str(&format!(
            "rec-{}-org,{},{},{},{},,{},{},vic,{}{:02}{:02}\n",
            i + 10,
            given[i % 10],
            family[(i / 10) % 10],
            1 + i % 97,
            streets[i % 4],
            suburbs[i % 5],
            2000 + i % 900,
            1930 + (i % 60),
            1 + (i % 12),
            1 + (i % 28),
        ));
    }
    std::fs::write(&input, csv).unwrap();
    let clusters = dir.join("clusters.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["link", "dedupe", input.to_str().unwrap(), "--quiet"])
        .args(["--clusters", clusters.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("columns not used: state"),
        "the unused column is named: {stderr}"
    );
    assert!(
        !stderr.contains("no column for"),
        "every field found: {stderr}"
    );
    let clusters = std::fs::read_to_string(&clusters).unwrap();
    let cluster_of = |id: &str| {
        clusters
            .lines()
            .find(|l| l.split(',').next() == Some(id))
            .and_then(|l| l.split(',').nth(1))
            .unwrap_or_else(|| panic!("{id} has no cluster in {clusters}"))
            .to_string()
    };
    assert_eq!(cluster_of("rec-1-org"), cluster_of("rec-1-dup-0"));
    assert_ne!(cluster_of("rec-1-org"), cluster_of("rec-10-org"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_lists_the_column_names_recognised() {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["link", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{help}");
    for name in [
        "given_name",
        "date_of_birth",
        "street_number",
        "address_line_1",
        "suburb",
        "town",
    ] {
        assert!(help.contains(name), "{name} missing from:\n{help}");
    }
}
