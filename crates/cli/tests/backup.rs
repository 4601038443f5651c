//! Backups taken while Hearth is written to, restored, and checked with `hearth audit verify`:
//! SQLite with `hearth backup` and `hearth restore`; PostgreSQL with the real `pg_dump` and
//! `pg_restore`, as docs/operations.md tells an operator to.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const PASSWORD: &str = "backup-test-password";

/// `hearth` with its data (audit key, anchors, SQLite database) in `dir/data`, on
/// `database_url` when given.
fn hearth_command(dir: &Path, database_url: Option<&str>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("HEARTH_AUDIT_KEY")
        .env("HEARTH_DATA_DIR", dir.join("data"))
        .env("HEARTH_DEMO_PASSWORD", PASSWORD)
        // The writers sign in again and again from one address.
        .env("HEARTH_RATE_LIMIT_SIGN_IN_PER_ADDRESS", "0")
        .env("HEARTH_LOG", "warn");
    if let Some(url) = database_url {
        c.env("DATABASE_URL", url);
    }
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run(dir: &Path, database_url: Option<&str>, args: &[&str]) -> Output {
    hearth_command(dir, database_url, args).output().unwrap()
}

/// `hearth serve --demo` on a free port; returns the process and its address.
fn serve(dir: &Path, database_url: Option<&str>) -> (Child, String) {
    let mut server = hearth_command(
        dir,
        database_url,
        &["serve", "--demo", "--listen", "127.0.0.1:0"],
    )
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let stdout = server.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("the server said it is ready").unwrap();
        if let Some(rest) = line.strip_prefix("Hearth is ready at ") {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (server, base)
}

fn stop(mut server: Child) {
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert!(server.wait().unwrap().success());
}

/// Sign-ins, each a session and an audit event written, by several users at once until told
/// to stop; counts those that succeeded.
struct WriteLoad {
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl WriteLoad {
    fn start(base: &str) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = ["lead", "worker", "frontdoor", "manager"]
            .into_iter()
            .map(|who| {
                let (base, done, stop) = (base.to_string(), done.clone(), stop.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        if sign_in(&base, &format!("{who}@demo.hearth.test")).await {
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        Self { done, stop, tasks }
    }

    fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Waits until `more` further writes have succeeded.
    async fn wait_for(&self, more: usize) {
        let target = self.done() + more;
        while self.done() < target {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    async fn finish(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        self.done.load(Ordering::Relaxed)
    }
}

async fn sign_in(base: &str, email: &str) -> bool {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let Ok(page) = client.get(format!("{base}/sign-in")).send().await else {
        return false;
    };
    let page = page.text().await.unwrap_or_default();
    let Some(csrf) = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
    else {
        return false;
    };
    client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", csrf),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .is_ok_and(|r| r.status() == reqwest::StatusCode::SEE_OTHER)
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hearth-backup-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The number after `the audit log to event` in a command's output.
fn event_reached(out: &Output) -> i64 {
    let t = text(out);
    let rest = t
        .split("the audit log to event ")
        .nth(1)
        .unwrap_or_else(|| panic!("{t}"));
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_backup_taken_under_write_load_restores_and_verifies() {
    let dir = temp_dir();
    let (server, base) = serve(&dir, None);
    let load = WriteLoad::start(&base);
    load.wait_for(20).await;
    let file = dir.join("hearth-backup.db");
    let backup = {
        let (dir, file) = (dir.clone(), file.clone());
        tokio::task::spawn_blocking(move || run(&dir, None, &["backup", file.to_str().unwrap()]))
            .await
            .unwrap()
    };
    assert!(backup.status.success(), "{}", text(&backup));
    let backed_up = event_reached(&backup);
    // Writes go on after the backup: they are what the restore takes back.
    load.wait_for(20).await;
    let written = load.finish().await;
    assert!(written >= 40);
    stop(server);

    // A backup is never overwritten.
    let again = run(&dir, None, &["backup", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(text(&again).contains("exists already"), "{}", text(&again));
    // Something that is not a backup is refused, and the database is left as it was.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let refused = run(&dir, None, &["restore", junk.to_str().unwrap()]);
    assert!(!refused.status.success(), "{}", text(&refused));
    let verify = run(&dir, None, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    let before = text(&verify);

    let restore = run(&dir, None, &["restore", file.to_str().unwrap()]);
    assert!(restore.status.success(), "{}", text(&restore));
    assert_eq!(event_reached(&restore), backed_up);
    let verify = run(&dir, None, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains(&format!("{backed_up} events verified")),
        "restored to the backup's moment: {}\nbefore: {before}",
        text(&verify)
    );
    // The database and anchors it replaced are kept.
    let kept: Vec<String> = std::fs::read_dir(dir.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".before-restore-"))
        .collect();
    assert!(kept.iter().any(|n| n.starts_with("hearth.db.")), "{kept:?}");
    assert!(
        kept.iter().any(|n| n.starts_with("audit-anchors.log.")),
        "{kept:?}"
    );
    // And Hearth serves from the restored database.
    let (server, base) = serve(&dir, None);
    assert!(sign_in(&base, "lead@demo.hearth.test").await);
    stop(server);
    std::fs::remove_dir_all(&dir).ok();
}

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_dump_taken_under_write_load_restores_and_verifies() {
    if !tool("pg_dump") || !tool("pg_restore") {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true but pg_dump and pg_restore are not installed"
        );
        eprintln!("SKIPPED: pg_dump and pg_restore are not installed");
        return;
    }
    let Some((url, store)) = hearth_testkit::postgres().await else {
        return;
    };
    store.close().await;
    let dir = temp_dir();
    let (server, base) = serve(&dir, Some(&url));
    let load = WriteLoad::start(&base);
    load.wait_for(20).await;
    let dump = dir.join("hearth.dump");
    let out = {
        let (url, dump) = (url.clone(), dump.clone());
        tokio::task::spawn_blocking(move || {
            Command::new("pg_dump")
                .args(["--format=custom", "--file", dump.to_str().unwrap(), &url])
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    assert!(out.status.success(), "{}", text(&out));
    load.wait_for(20).await;
    load.finish().await;
    stop(server);

    // Into a second database, as after losing the first.
    let (restored, store) = hearth_testkit::postgres().await.unwrap();
    store.close().await;
    let out = Command::new("pg_restore")
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--dbname",
            &restored,
        ])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    // The anchors written after the dump name events the restored log does not have.
    let verify = run(&dir, Some(&restored), &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    let rebased = run(&dir, Some(&restored), &["audit", "after-restore"]);
    assert!(rebased.status.success(), "{}", text(&rebased));
    let verify = run(&dir, Some(&restored), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    std::fs::remove_dir_all(&dir).ok();
}
