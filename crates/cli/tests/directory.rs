//! `hearth postcodes import` and `hearth directory import-oruk`, run as an operator would:
//! bad rows and records are reported with their reasons, the rest go in, and running again
//! changes nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::{Command, Output};

fn hearth(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("HEARTH_DATA_DIR", dir.join("data"))
        .env("HEARTH_LOG", "warn")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hearth-cli-dir-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn postcodes_import_reports_bad_rows_and_is_idempotent() {
    let dir = temp_dir();
    let csv = dir.join("onspd.csv");
    std::fs::write(
        &csv,
        "pcd,pcds,lat,long,doterm\n\
         NG7 5AA,NG7 5AA,52.969,-1.169,\n\
         NG1 1AA,NG1 1AA,52.9536,-1.1505,\n\
         XX,NOT A POSTCODE,52.9,-1.1,\n\
         NG2 2EE,NG2 2EE,not-a-number,-1.148,\n\
         ZE1 0AA,ZE1 0AA,99.999999,0.000000,\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let out = hearth(&dir, &["postcodes", "import", path]);
    let t = text(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "rejections give exit code 3: {t}"
    );
    assert!(
        t.contains("2 added, 0 changed, 0 unchanged, 3 rejected"),
        "{t}"
    );
    assert!(
        t.contains("line 4: rejected: 'NOT A POSTCODE' is not a postcode"),
        "{t}"
    );
    assert!(
        t.contains("line 5: rejected: latitude 'not-a-number' is not a number"),
        "{t}"
    );
    assert!(t.contains("line 6: rejected: no position"), "{t}");
    let again = text(&hearth(&dir, &["postcodes", "import", path]));
    assert!(
        again.contains("0 added, 0 changed, 2 unchanged, 3 rejected"),
        "{again}"
    );
    let missing = hearth(
        &dir,
        &[
            "postcodes",
            "import",
            dir.join("none.csv").to_str().unwrap(),
        ],
    );
    assert!(!missing.status.success());
    assert!(text(&missing).contains("cannot read"), "{}", text(&missing));
}

#[tokio::test]
async fn postcodes_import_reads_code_point_open_and_converts_the_national_grid() {
    use sqlx::Connection;
    let dir = temp_dir();
    let csv = dir.join("ng.csv");
    // Code-Point Open: no header; postcode, quality, eastings, northings, then area codes.
    std::fs::write(
        &csv,
        "\"NG1 1AA\",10,457000,340000,\"E92000001\",\"E19000003\",\"E18000006\",\"\",\"E06000018\",\"E05001684\"\n\
         \"NG7  2RD\",10,454500,338400,\"E92000001\",\"\",\"\",\"\",\"E06000018\",\"\"\n\
         \"NG99 9ZZ\",90,0,0,\"E92000001\",\"\",\"\",\"\",\"\",\"\"\n\
         \"NOT A PC\",10,457000,340000,\"E92000001\",\"\",\"\",\"\",\"\",\"\"\n\
         \"NG2 2EE\",10,east,339000,\"E92000001\",\"\",\"\",\"\",\"\",\"\"\n\
         \"NG3 3AA\",10,900000,339000,\"E92000001\",\"\",\"\",\"\",\"\",\"\"\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let out = hearth(&dir, &["postcodes", "import", path]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(3), "{t}");
    assert!(t.contains("OS Code-Point Open"), "the format is said: {t}");
    assert!(
        t.contains("2 added, 0 changed, 0 unchanged, 4 rejected"),
        "{t}"
    );
    // Every bad row, by its line in the file (there is no header line).
    for expected in [
        "line 3: rejected: no position (Code-Point positional quality 90",
        "line 4: rejected: 'NOT A PC' is not a postcode",
        "line 5: rejected: eastings 'east' is not a number",
        "line 6: rejected: eastings 900000 and northings 339000 are not on the National Grid",
    ] {
        assert!(t.contains(expected), "{expected} in {t}");
    }
    let url = format!("sqlite://{}", dir.join("data/hearth.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let rows: Vec<(String, f64, f64)> =
        sqlx::query_as("SELECT postcode, latitude, longitude FROM postcodes ORDER BY postcode")
            .fetch_all(&mut db)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2);
    // SK 570 400 is central Nottingham, about 52.955°N 1.158°W.
    assert_eq!(rows[0].0, "NG1 1AA");
    assert!((rows[0].1 - 52.955).abs() < 0.01, "{rows:?}");
    assert!((rows[0].2 - -1.158).abs() < 0.01, "{rows:?}");
    assert_eq!(rows[1].0, "NG7 2RD");
    assert!(
        rows[1].1 < rows[0].1 && rows[1].2 < rows[0].2,
        "south-west of the centre"
    );
    // A file that is none of the formats is refused whole, saying what it should be.
    let other = dir.join("other.csv");
    std::fs::write(&other, "name,town\nA,B\n").unwrap();
    let refused = hearth(&dir, &["postcodes", "import", other.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("Code-Point Open"),
        "{}",
        text(&refused)
    );
}

#[test]
fn an_oruk_feed_is_imported_record_by_record() {
    let dir = temp_dir();
    let org = serde_json::json!({
        "id": "0192b000-0000-7000-8000-000000000001",
        "name": "Neighbouring Council",
        "description": "Family services in the next council's area."
    });
    let good = serde_json::json!({
        "id": "0192b000-0000-7000-8000-000000000010",
        "organization_id": org["id"],
        "name": "Toy library",
        "description": "Borrow toys and books for young children.",
        "status": "active",
        "minimum_age": 0,
        "maximum_age": 5,
        "organization": org,
        "cost_options": [{"id": "0192b000-0000-7000-8000-000000000011", "option": "Free", "amount": 0}],
        "service_at_locations": [{
            "id": "0192b000-0000-7000-8000-000000000012",
            "location": {
                "id": "0192b000-0000-7000-8000-000000000013",
                "location_type": "physical",
                "name": "Library",
                "latitude": 52.92,
                "longitude": -1.21,
                "addresses": [{"id": "0192b000-0000-7000-8000-000000000014", "address_1": "1 High Road",
                    "city": "Beeston", "state_province": "England", "postal_code": "NG9 1AA",
                    "country": "GB", "address_type": "physical"}]
            }
        }]
    });
    let no_name = serde_json::json!({"id": "0192b000-0000-7000-8000-000000000020", "status": "active", "organization": org});
    let wrong_type = serde_json::json!({"id": "0192b000-0000-7000-8000-000000000030", "name": "Ages wrong",
        "status": "active", "minimum_age": "three", "organization": org});
    let bad_status = serde_json::json!({"id": "0192b000-0000-7000-8000-000000000040", "name": "Open sometimes",
        "status": "open", "organization": org});
    let feed = dir.join("feed.json");
    std::fs::write(
        &feed,
        serde_json::json!({"total_items": 4, "contents": [good, no_name, wrong_type, bad_status]})
            .to_string(),
    )
    .unwrap();
    let path = feed.to_str().unwrap();
    let out = hearth(&dir, &["directory", "import-oruk", path]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(3), "{t}");
    assert!(
        t.contains("1 added, 0 changed, 0 unchanged, 3 rejected"),
        "{t}"
    );
    assert!(
        t.contains("service 0192b000-0000-7000-8000-000000000020: rejected"),
        "{t}"
    );
    assert!(t.contains("\"name\" is a required property"), "{t}");
    assert!(t.contains("/minimum_age"), "{t}");
    assert!(t.contains("/status"), "{t}");
    let again = text(&hearth(&dir, &["directory", "import-oruk", path]));
    assert!(
        again.contains("0 added, 0 changed, 1 unchanged, 3 rejected"),
        "{again}"
    );
    let broken = hearth(
        &dir,
        &[
            "directory",
            "import-oruk",
            "http://127.0.0.1:9/openreferral",
        ],
    );
    assert!(
        text(&broken).contains("page 1: rejected"),
        "{}",
        text(&broken)
    );
}
