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
