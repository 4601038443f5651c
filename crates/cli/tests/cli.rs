//! The `hearth` binary, run as an operator would.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use sqlx::Connection;
use std::process::{Command, Output};

fn hearth(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("HEARTH_DATA_DIR", dir.join("data"))
        .env("HEARTH_NEW_USER_PASSWORD", "a long enough password")
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

#[tokio::test]
async fn audit_verify_passes_on_an_intact_log_and_names_a_tampered_event() {
    let dir = std::env::temp_dir().join(format!("hearth-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();

    let out = hearth(&dir, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = hearth(
        &dir,
        &[
            "users",
            "add",
            "--email",
            "first@example.org",
            "--org",
            "Test Council",
            "--role",
            "administrator",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Created user first@example.org"));

    let out = hearth(
        &dir,
        &[
            "users",
            "add",
            "--email",
            "first@example.org",
            "--org",
            "Test Council",
            "--role",
            "administrator",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("There is already an account with this email address"),
        "{}",
        text(&out)
    );
    let out = hearth(
        &dir,
        &[
            "users",
            "add",
            "--email",
            "x@example.org",
            "--org",
            "Test Council",
            "--role",
            "wizard",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("'wizard' is not a role"),
        "{}",
        text(&out)
    );

    let out = hearth(&dir, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Audit log intact: 2 events verified"),
        "{}",
        text(&out)
    );

    let url = format!("sqlite://{}", dir.join("data/hearth.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_events SET actor_label = 'someone-else' WHERE seq = 2")
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();

    let out = hearth(&dir, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("event 2"),
        "names the first bad event: {}",
        text(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_setting_is_named() {
    let dir = std::env::temp_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("migrate")
        .current_dir(&dir)
        .env("HEARTH_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("log_format must be text or json"),
        "{}",
        text(&out)
    );
}
