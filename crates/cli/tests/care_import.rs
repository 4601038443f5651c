//! `hearth care import-903`, run as an operator would (ADR 0055), and killed with SIGKILL
//! part-way: each child is one transaction, so a killed import leaves every child it reached
//! imported whole (its period, both placements and the change of legal status) and none in
//! part, and running it again imports the rest, once.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use sqlx::{Connection, Row};
use std::process::{Command, Output};
use std::time::Duration;

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

/// Enough children that the import is still running when it is killed.
const CHILDREN: usize = 1_500;

/// A data folder with a placements officer (po@example.org), `CHILDREN` people with unique
/// pupil numbers, and their 903 return in `DIR/return/2026`.
async fn prepared() -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("hearth-903-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("return/2026")).unwrap();
    for args in [
        vec!["migrate"],
        vec![
            "users",
            "add",
            "--email",
            "po@example.org",
            "--org",
            "Test Council",
            "--role",
            "placements_officer",
        ],
    ] {
        let out = hearth_command(&dir, &args).output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    let url = format!("sqlite://{}", dir.join("data/hearth.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let mut header = String::from("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
    let mut episodes = String::from(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n",
    );
    for i in 0..CHILDREN {
        let upn = format!("A{i:012}");
        sqlx::query(
            "INSERT INTO people (id, given_names, family_name, family_key, given_key,
                family_lower, given_lower, dob, sex, upn, created_at, updated_at)
             VALUES ($1, 'Child', $2, 'K', 'C', $3, 'child', '2012-05-01', 'male', $4,
                '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(format!("Family{i}"))
        .bind(format!("family{i}"))
        .bind(&upn)
        .execute(&mut db)
        .await
        .unwrap();
        header.push_str(&format!("C{i},M,01/05/2012,WBRI,{upn},,\n"));
        episodes.push_str(&format!(
            "C{i},01/05/2025,S,V2,N1,U4,PR1,01/07/2025,X1,,NG7 5AA,NG11 9BB,SC900010\n\
             C{i},01/07/2025,L,C2,N1,U4,PR1,01/09/2025,X1,CHILD,NG7 5AA,NG11 9BB,SC900010\n\
             C{i},01/09/2025,P,C2,N1,K2,PR4,,,,NG7 5AA,NG7 5HY,SC123456\n"
        ));
    }
    db.close().await.unwrap();
    std::fs::write(dir.join("return/2026/header.csv"), header).unwrap();
    std::fs::write(dir.join("return/2026/episodes.csv"), episodes).unwrap();
    (dir, url)
}

#[tokio::test]
async fn an_import_killed_part_way_leaves_no_child_half_imported_and_runs_again_whole() {
    let (dir, url) = prepared().await;
    let import = ["care", "import-903", "--as", "po@example.org", "return"];

    // Killed part-way: it is still running when the signal comes.
    let mut child = hearth_command(&dir, &import).spawn().unwrap();
    let mut waited = Duration::ZERO;
    while count(&url, "SELECT COUNT(*) FROM care_periods").await < 5 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
        assert!(
            waited < Duration::from_secs(120),
            "nothing imported in two minutes"
        );
    }
    let kill = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert!(!child.wait().unwrap().success());
    let periods = count(&url, "SELECT COUNT(*) FROM care_periods").await;
    assert!(
        periods > 0 && periods < CHILDREN as i64,
        "{periods} children"
    );
    // Every child reached is whole: both placements, the change of legal status, the event.
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM care_placements").await,
        2 * periods
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM care_legal_status_changes").await,
        periods
    );
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'care_child_imported'"
        )
        .await,
        periods
    );

    // Again, to the end: every child, once.
    let out = hearth_command(&dir, &import).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("Children imported: {CHILDREN} ({periods} already")),
        "{}",
        text(&out)
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM care_periods").await,
        CHILDREN as i64
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM care_placements").await,
        2 * CHILDREN as i64
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM care_homes").await,
        2,
        "the two homes, made once"
    );
    std::fs::remove_dir_all(&dir).ok();
}
