//! `hearth data import`, run as an operator would, and killed with SIGKILL part-way: the
//! import is one transaction, so a killed import leaves nothing of its file, and running it
//! again imports the whole file once.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use sqlx::{Connection, Row};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn hearth_command(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("HEARTH_AUDIT_KEY")
        .env("HEARTH_DATA_DIR", dir.join("data"))
        .env("HEARTH_NEW_USER_PASSWORD", "a long enough password")
        .env("HEARTH_LOG", "warn");
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    let n: i64 = sqlx::query(sql).fetch_one(&mut db).await.unwrap().get(0);
    db.close().await.unwrap();
    n
}

#[tokio::test]
async fn an_import_killed_part_way_leaves_nothing_and_runs_again_whole() {
    let dir = std::env::temp_dir().join(format!("hearth-data-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    for args in [
        vec!["migrate"],
        vec![
            "users",
            "add",
            "--email",
            "mo@example.org",
            "--org",
            "Test Council",
            "--role",
            "partner_data_analyst",
        ],
    ] {
        let out = hearth_command(&dir, &args).output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    // The dataset, registered as the registration page would.
    let url = format!("sqlite://{}", dir.join("data/hearth.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO partner_datasets (id, code, name, kind, owner_organisation_id,
            agreement_reference, agreement_from, agreement_to, lawful_basis, fields, refresh,
            unmatched_days, registered_by, registered_at)
         SELECT $1, 'attendance', 'Attendance', 'school_census', o.id, 'DSA-1', '2020-01-01',
            '2099-12-31', 'public_task', 'names, dob, postcode', 'termly', 90, u.id, '2025-01-01T00:00:00Z'
         FROM organisations o, users u WHERE u.email = 'mo@example.org'",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();

    // About 700 rows a second in a debug build: long enough to be killed part-way.
    const ROWS: usize = 5_000;
    let mut csv =
        String::from("reference,given_names,family_name,dob,postcode,event,date,attendance\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "R{i},Child{i},Family{},2015-0{}-1{},NG7 {}AB,attendance,2025-07-18,{}\n",
            i % 997,
            1 + i % 9,
            i % 10,
            i % 10,
            80 + i % 20
        ));
    }
    let file = dir.join("attendance.csv");
    std::fs::write(&file, csv).unwrap();
    let file = file.display().to_string();
    let import = [
        "data",
        "import",
        "--dataset",
        "attendance",
        "--as",
        "mo@example.org",
        &file,
    ];

    // Killed part-way: it is still running when the signal comes.
    let mut child = hearth_command(&dir, &import).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before it was killed"
    );
    let kill = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert!(!child.wait().unwrap().success());
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_records").await, 0);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_imports").await, 0);

    // Again, to the end: the whole file, once.
    let started = Instant::now();
    let out = hearth_command(&dir, &import).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    println!("{ROWS} rows imported in {:?}", started.elapsed());
    assert!(
        text(&out).contains(&format!("{ROWS} rows read")),
        "{}",
        text(&out)
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM partner_records").await,
        ROWS as i64
    );
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_imports").await, 1);
    std::fs::remove_dir_all(&dir).ok();
}
