//! The crash test: practitioners write case notes while the server is killed with SIGKILL
//! again and again. Afterwards every note the server acknowledged (answered with the episode
//! page, not an error) must be in the database, every note must have its chronology entry and
//! its audit event (nothing half-written), and `hearth audit verify` must pass.

use crate::page;
use anyhow::{bail, Context};
use rand::Rng;
use sqlx::any::AnyPoolOptions;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

#[derive(clap::Args, Debug)]
pub struct CrashArgs {
    /// The `hearth` binary to start and kill.
    #[arg(long, default_value = "target/release/hearth")]
    bin: PathBuf,
    /// An empty database (SQLite file URL or PostgreSQL URL); the test generates a small city
    /// demo into it first.
    #[arg(long)]
    database_url: String,
    /// How many times to kill the server.
    #[arg(long, default_value_t = 20)]
    kills: usize,
    /// Concurrent writers, each a different Family Help Worker.
    #[arg(long, default_value_t = 4)]
    writers: usize,
    /// The server is killed between these many milliseconds after it is ready.
    #[arg(long, default_value_t = 300)]
    min_ms: u64,
    #[arg(long, default_value_t = 1_500)]
    max_ms: u64,
    /// Port to serve on.
    #[arg(long, default_value_t = 18_181)]
    port: u16,
    #[arg(long, env = "HEARTH_DEMO_PASSWORD", default_value = "family-help-demo")]
    password: String,
}

struct Server<'a> {
    args: &'a CrashArgs,
    child: Option<Child>,
    /// This run's own folder for the audit key and anchors: anchors of another run's database
    /// would not match this one's log.
    data_dir: PathBuf,
}

impl Server<'_> {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.args.bin);
        c.env("DATABASE_URL", &self.args.database_url)
            .env("HEARTH_DATA_DIR", &self.data_dir)
            .env("HEARTH_DEMO_PASSWORD", &self.args.password)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    async fn start(&mut self) -> anyhow::Result<()> {
        let child = self
            .command()
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{}", self.args.port),
            ])
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", self.args.bin.display()))?;
        self.child = Some(child);
        let url = format!("http://127.0.0.1:{}/readyz", self.args.port);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(r) = reqwest::get(&url).await {
                if r.status().is_success() {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server was not ready within 60 s")
    }

    /// SIGKILL: no shutdown, no flush, as if the machine lost power to the process.
    async fn kill(&mut self) -> anyhow::Result<()> {
        if let Some(mut c) = self.child.take() {
            c.start_kill()?;
            c.wait().await?;
        }
        Ok(())
    }
}

/// A signed-in worker writing notes to one of their episodes.
struct Writer {
    client: reqwest::Client,
    base: String,
    csrf: String,
    episode: String,
}

async fn writer(base: &str, email: &str, password: &str) -> anyhow::Result<Option<Writer>> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let form = client
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let token = page::csrf(&form).context("no CSRF token on the sign-in page")?;
    let home = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await?
        .text()
        .await?;
    let Some(csrf) = page::csrf(&home) else {
        bail!("{email} could not sign in");
    };
    Ok(page::caseload(&home)
        .into_iter()
        .next()
        .map(|episode| Writer {
            client,
            base: base.to_string(),
            csrf,
            episode,
        }))
}

impl Writer {
    /// Writes one note; true when the server acknowledged it.
    async fn note(&self, marker: &str) -> bool {
        let today = chrono::Utc::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string();
        let sent = self
            .client
            .post(format!("{}/episodes/{}/notes", self.base, self.episode))
            .form(&[
                ("csrf_token", self.csrf.as_str()),
                ("kind", "call"),
                ("occurred_on", &today),
                ("participants", "Mum"),
                ("body", marker),
                ("visibility", "taf"),
            ])
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() && r.url().path().starts_with("/episodes/") => r
                .text()
                .await
                .map(|b| !b.contains("govuk-error-summary"))
                .unwrap_or(false),
            _ => false,
        }
    }
}

pub async fn run(args: CrashArgs) -> anyhow::Result<bool> {
    let mut server = Server {
        args: &args,
        child: None,
        data_dir: std::env::temp_dir().join(format!(
            "hearth-crash-{}-{}",
            std::process::id(),
            args.port
        )),
    };
    eprintln!("crash: generating a small city demo into the database");
    let status = server
        .command()
        .args(["demo", "--scale", "0.01", "--years", "2"])
        .status()
        .await?;
    if !status.success() {
        bail!("`hearth demo` failed: is the database empty?");
    }
    let base = format!("http://127.0.0.1:{}", args.port);
    server.start().await?;
    // Sessions live in the database, so the writers stay signed in across restarts.
    let mut writers = Vec::new();
    for n in 1..=args.writers * 4 {
        if writers.len() == args.writers {
            break;
        }
        let email = format!("worker{n}@{}", hearth_synthetic::city::EMAIL_DOMAIN);
        if let Some(w) = writer(&base, &email, &args.password).await? {
            writers.push(Arc::new(w));
        }
    }
    if writers.is_empty() {
        bail!("no worker in the demo has an open episode to write to");
    }
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut attempted = 0usize;
    for kill in 1..=args.kills {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for (i, w) in writers.iter().enumerate() {
            let (w, stop, acknowledged) = (w.clone(), stop.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0usize;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let marker = format!("crash-test kill {kill} writer {i} note {n}");
                    if w.note(&marker).await {
                        if let Ok(mut a) = acknowledged.lock() {
                            a.push(marker);
                        }
                    }
                }
                n
            }));
        }
        let wait = rand::thread_rng().gen_range(args.min_ms..=args.max_ms.max(args.min_ms));
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill().await?;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            attempted += t.await.unwrap_or(0);
        }
        let so_far = acknowledged.lock().map(|a| a.len()).unwrap_or(0);
        eprintln!(
            "crash: kill {kill}/{} after {wait} ms; {so_far} notes acknowledged so far",
            args.kills
        );
        server.start().await?;
    }
    server.kill().await?;

    let acknowledged = acknowledged.lock().map(|a| a.clone()).unwrap_or_default();
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&args.database_url)
        .await?;
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT body FROM case_notes WHERE body LIKE 'crash-test %'")
            .fetch_all(&pool)
            .await?;
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|m| !stored.contains(*m))
        .collect();
    // Half-written: a note without the chronology entry or the audit event written in its
    // transaction.
    let half: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_notes n
         WHERE n.body LIKE 'crash-test %'
           AND (NOT EXISTS (SELECT 1 FROM chronology c WHERE c.record_id = n.id)
             OR NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.record_id = n.id
                            AND a.action = 'case_note_added'))",
    )
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    let verify = server.command().args(["audit", "verify"]).status().await?;
    println!(
        "| kills | writes attempted | acknowledged | stored | acknowledged but lost | half-written | audit verify |\n|---:|---:|---:|---:|---:|---:|---|\n| {} | {} | {} | {} | {} | {} | {} |",
        args.kills,
        attempted,
        acknowledged.len(),
        stored.len(),
        lost.len(),
        half,
        if verify.success() { "intact" } else { "BROKEN" }
    );
    for m in lost.iter().take(10) {
        eprintln!("crash: lost an acknowledged note: {m}");
    }
    Ok(lost.is_empty() && half == 0 && verify.success() && !acknowledged.is_empty())
}
