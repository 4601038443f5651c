//! The `hearth` binary, run as an operator would.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use sqlx::Connection;
use std::process::{Command, Output};

/// `hearth` with its data (database, audit key, anchors) in `dir/data`.
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

fn hearth(dir: &std::path::Path, args: &[&str]) -> Output {
    hearth_command(dir, args).output().unwrap()
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

#[tokio::test]
async fn serving_anchors_the_audit_chain_and_verify_finds_its_end_cut_off() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("hearth-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let add = [
        "users",
        "add",
        "--email",
        "first@example.org",
        "--org",
        "Test Council",
        "--role",
        "administrator",
    ];
    let out = hearth(&dir, &add);
    assert!(out.status.success(), "{}", text(&out));
    // No key was configured, so one was made, readable by this user only.
    let key = dir.join("data/audit.key");
    assert_eq!(std::fs::read_to_string(&key).unwrap().trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Serving anchors the head at start; stopping anchors it again if it moved.
    let mut server = hearth_command(&dir, &["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = server.stdout.take().unwrap();
    for line in std::io::BufReader::new(stdout).lines() {
        if line.unwrap().contains("is ready") {
            break;
        }
    }
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert!(server.wait().unwrap().success());
    let anchors = std::fs::read_to_string(dir.join("data/audit-anchors.log")).unwrap();
    let last = anchors.lines().last().unwrap().to_string();
    assert!(last.contains(" seq=2 "), "{anchors}");

    let out = hearth(&dir, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));

    // The last event removed and the head moved back: whole in the database, not to the anchor.
    let url = format!("sqlite://{}", dir.join("data/hearth.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    for sql in [
        "DELETE FROM audit_events WHERE seq = 2",
        "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_events WHERE seq = 1)",
    ] {
        sqlx::query(sql).execute(&mut db).await.unwrap();
    }
    db.close().await.unwrap();
    let out = hearth(&dir, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out)
            .contains("the log ends at event 1 but line 1 of the anchors file anchored event 2"),
        "{}",
        text(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_request_still_in_flight_at_the_drain_limit_does_not_hold_the_shutdown_up() {
    use std::io::{BufRead, Read, Write};
    let dir = std::env::temp_dir().join(format!("hearth-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = hearth_command(&dir, &["serve", "--listen", "127.0.0.1:0"])
        .env("HEARTH_SHUTDOWN_DRAIN_SECONDS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = server.stdout.take().unwrap();
    let address = std::io::BufReader::new(stdout)
        .lines()
        .map(|l| l.unwrap())
        .find_map(|l| {
            l.strip_prefix("Hearth is ready at http://")
                .map(|rest| rest.split('/').next().unwrap().to_string())
        })
        .unwrap();
    // A client that sends a form and stops a tenth of the way through its body: the request
    // is in flight until it sends the rest, which it never does.
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    write!(
        slow,
        "POST /sign-in HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a%40"
    )
    .unwrap();
    slow.flush().unwrap();
    // The server has the request when it answers another on the same machine.
    let mut probe = std::net::TcpStream::connect(&address).unwrap();
    write!(
        probe,
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    probe.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    // Without the limit this would wait for the slow client for ever.
    let status = server.wait().unwrap();
    let mut stderr = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("requests still in flight at the drain limit were cut off"),
        "{stderr}"
    );
    drop(slow);
    std::fs::remove_dir_all(&dir).ok();
}

/// The partnership's survey wording (ADR 0037) is read at start: new words without a new
/// version would change what old answers meant, so Hearth stops and says which file and why.
#[test]
fn survey_wording_changed_without_a_new_version_stops_hearth() {
    let dir = std::env::temp_dir().join(format!("hearth-cli-surveys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("surveys.txt");
    std::fs::write(&file, "family.better.en = Is life better now?\n").unwrap();
    let out = hearth_command(&dir, &["retention", "run"])
        .env("HEARTH_SURVEY_QUESTIONS", &file)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("the wording changed: give it a new `version`"),
        "{}",
        text(&out)
    );
    std::fs::write(
        &file,
        "version = 2027-1\nfamily.better.en = Is life better now?\n",
    )
    .unwrap();
    let out = hearth_command(&dir, &["retention", "run"])
        .env("HEARTH_SURVEY_QUESTIONS", &file)
        .output()
        .unwrap();
    assert!(
        !text(&out).contains("survey_questions"),
        "a versioned file is read: {}",
        text(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}
