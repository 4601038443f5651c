//! `hearth data import`, run as an operator would, and killed with SIGKILL part-way: the
//! import is one transaction, so a killed import leaves nothing of its file, and running it
//! again imports the whole file once. The same for an import started from the page as a job:
//! `hearth serve` killed part-way leaves nothing of the file, and the job, seen from the
//! server started again, has failed rather than running for ever.

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

/// Enough rows that the import is still running when it is killed: matched against the
/// register read once (ADR 0058), 5,000 rows against an empty one took about a second and a
/// half in a debug build.
const ROWS: usize = 40_000;

/// A fresh data folder with a partner data analyst (mo@example.org), an attendance dataset
/// and a file of `ROWS` rows: the folder, the database's URL and the file's path.
async fn prepared() -> (std::path::PathBuf, String, String) {
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
    (dir, url, file)
}

#[tokio::test]
async fn an_import_killed_part_way_leaves_nothing_and_runs_again_whole() {
    let (dir, url, file) = prepared().await;
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

/// `hearth serve` on a free port in `dir`: the process and its address.
/// A running `hearth serve`, stopped when the test ends however it ends: a failed assertion
/// must not leave the server holding the test run's output open.
struct Server(std::process::Child);

impl std::ops::Deref for Server {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already ended (killed and waited for by the test) is fine.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &std::path::Path) -> (Server, String) {
    serve_with(hearth_command(dir, &["serve", "--listen", "127.0.0.1:0"]))
}

fn serve_with(mut command: Command) -> (Server, String) {
    use std::io::BufRead;
    let mut server = command
        .stdout(std::process::Stdio::piped())
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
    (Server(server), format!("http://{address}"))
}

/// The CSRF token in a page's forms.
async fn csrf(client: &reqwest::Client, url: &str) -> String {
    let page = client.get(url).send().await.unwrap().text().await.unwrap();
    let needle = r#"name="csrf_token" value=""#;
    let at = page.find(needle).unwrap() + needle.len();
    page[at..].split('"').next().unwrap().to_string()
}

/// A browser signed in as the analyst.
async fn signed_in(base: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = csrf(&client, &format!("{base}/sign-in")).await;
    let res = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "mo@example.org"),
            ("password", "a long enough password"),
            ("next", "/identification"),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_eq!(
        status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    client
}

#[tokio::test]
async fn an_import_job_whose_server_is_killed_has_failed_and_imported_nothing() {
    let (dir, url, file) = prepared().await;
    let (mut server, base) = serve(&dir);
    let client = signed_in(&base).await;
    let token = csrf(&client, &format!("{base}/identification")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("dataset", "attendance")
        .part(
            "upload",
            reqwest::multipart::Part::bytes(std::fs::read(&file).unwrap())
                .file_name("attendance.csv"),
        );
    let res = client
        .post(format!("{base}/identification/imports"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    assert_eq!(
        status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let job = headers[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();

    // Watched until rows are being matched, then the server is killed part-way.
    let started = Instant::now();
    loop {
        let progress = client
            .get(format!("{base}{job}/progress"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(progress.contains(r#""state":"running""#), "{progress}");
        if !progress.contains(r#""rows_done":0"#) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{progress}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kill = Command::new("kill")
        .args(["-KILL", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert!(!server.wait().unwrap().success());
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_records").await, 0);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_imports").await, 0);

    // Started again, the server shows the job as failed, and why; not running for ever.
    let (mut server, base) = serve(&dir);
    let client = signed_in(&base).await;
    let page = client
        .get(format!("{base}{job}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Not imported") && page.contains("stopped before it finished"),
        "{page}"
    );
    assert!(!page.contains("Check again"));
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    server.wait().unwrap();
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_records").await, 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_citys_synthetic_files_are_written_and_import_as_their_feeds() {
    let (dir, url, _) = prepared().await;
    let feeds = dir.join("feeds");
    let today = chrono::Utc::now().date_naive().to_string();
    let out_dir = feeds.display().to_string();
    let write = || {
        hearth_command(
            &dir,
            &[
                "data",
                "synthetic-feeds",
                "--scale",
                "village",
                "--today",
                &today,
                "--out",
                &out_dir,
            ],
        )
        .output()
        .unwrap()
    };
    let out = write();
    assert!(out.status.success(), "{}", text(&out));
    let attendance = feeds.join(format!("attendance-{today}.csv"));
    let police = feeds.join(format!("police-{today}.csv"));
    assert!(police.exists(), "{}", text(&out));
    for feed in ["housing", "health-visiting", "benefits", "youth-justice"] {
        let file = feeds.join(format!("{feed}-{today}.csv"));
        assert!(file.exists(), "{feed}: {}", text(&out));
    }
    // The same scale, seed and day give the same file.
    let first = std::fs::read_to_string(&attendance).unwrap();
    let again = write();
    assert!(again.status.success());
    assert_eq!(first, std::fs::read_to_string(&attendance).unwrap());

    // The attendance file imports: nearly every row read, the odd bad one named (exit code 3).
    let out = hearth_command(
        &dir,
        &[
            "data",
            "import",
            "--dataset",
            "attendance",
            "--as",
            "mo@example.org",
            &attendance.display().to_string(),
        ],
    )
    .output()
    .unwrap();
    let rows = first.lines().count() as i64 - 1;
    let kept = count(&url, "SELECT COUNT(*) FROM partner_records").await;
    assert!(
        rows > 100 && kept > rows * 9 / 10,
        "{rows} {kept}: {}",
        text(&out)
    );
    assert!(
        text(&out).contains(&format!("{rows} rows read")),
        "{}",
        text(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Waits (up to a minute) until `done` holds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "waited too long for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The files in a folder whose names end with `suffix`.
fn files_in(folder: &std::path::Path, suffix: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(folder)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(suffix))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_dropped_file_survives_a_killed_server_and_is_imported_once() {
    let (dir, url, file) = prepared().await;
    let drop_dir = dir.join("drop");
    let watching = || {
        let mut c = hearth_command(&dir, &["serve", "--listen", "127.0.0.1:0"]);
        c.env("HEARTH_PARTNER_DROP_DIR", &drop_dir)
            .env("HEARTH_PARTNER_DROP_EVERY_SECONDS", "1");
        c
    };
    let (mut server, _) = serve_with(watching());
    // The dataset's folder is made for partners on the first round.
    let folder = drop_dir.join("attendance");
    until("the dataset's folder", || folder.join("done").is_dir()).await;
    std::fs::copy(&file, folder.join("autumn.csv")).unwrap();
    // Files are taken in the order of their names: the bad one first.
    let bad = folder.join("a-wrong.csv");
    std::fs::write(&bad, "reference,name\nR1,Mia\n").unwrap();

    // Killed while the file is being imported: its rows are matched in one transaction.
    until("the import to start", || {
        !files_in(&folder.join("rejected"), ".report.txt").is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        folder.join("autumn.csv").exists(),
        "the import ended before it was killed"
    );
    let kill = Command::new("kill")
        .args(["-KILL", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert!(!server.wait().unwrap().success());
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_records").await, 0);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_drops").await, 0);
    // The file refused whole went to rejected/ with why.
    let rejected = files_in(&folder.join("rejected"), ".report.txt");
    let why = std::fs::read_to_string(&rejected[0]).unwrap();
    assert!(
        why.contains("a-wrong.csv: not imported") && why.contains("given_names"),
        "{why}"
    );

    // Started again, the file is still there and is imported, whole and once.
    let (mut server, _) = serve_with(watching());
    until("the file to be imported", || {
        !folder.join("autumn.csv").exists()
    })
    .await;
    let reports = files_in(&folder.join("done"), "autumn.csv.report.txt");
    assert_eq!(reports.len(), 1);
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(report.contains(&format!("{ROWS} rows read")), "{report}");
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM partner_records").await,
        ROWS as i64
    );

    // The same file dropped again (under another name) is not imported again.
    std::fs::copy(&file, folder.join("autumn-again.csv")).unwrap();
    until("the second drop to be filed", || {
        !folder.join("autumn-again.csv").exists()
    })
    .await;
    let again = files_in(&folder.join("done"), "autumn-again.csv.report.txt");
    let report = std::fs::read_to_string(&again[0]).unwrap();
    assert!(report.contains("not imported again"), "{report}");
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM partner_records").await,
        ROWS as i64
    );
    assert_eq!(count(&url, "SELECT COUNT(*) FROM partner_imports").await, 1);
    // Imported as the dataset's owner analyst, audited.
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM audit_events e JOIN users u ON u.id = e.actor_user_id
             WHERE e.action = 'partner_data_imported' AND u.email = 'mo@example.org'"
        )
        .await,
        1
    );
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
