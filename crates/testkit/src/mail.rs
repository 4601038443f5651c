//! A real SMTP server for the message tests: aiosmtpd (installed by
//! `scripts/install-test-deps.sh --smtp`), started on a free port and writing what it receives
//! to a Maildir, which [`MailServer::received`] reads back decoded (by Python's own `email`
//! package, so the test reads the message as a mail client would). Under `CI=true` a server
//! that cannot start fails the test loudly; elsewhere the test is skipped with a message.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
}

/// A running SMTP server writing to its own Maildir.
pub struct MailServer {
    pub port: u16,
    maildir: PathBuf,
    child: Option<Child>,
}

fn python() -> PathBuf {
    let tools = std::env::var_os("HEARTH_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
                })
                .join("hearth-tools")
        });
    tools.join("smtp-venv").join("bin").join("python")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

impl MailServer {
    /// Starts a server, or `None` (with a message) when aiosmtpd is not installed outside CI.
    pub fn start() -> Option<Self> {
        if !python().exists() {
            let why = format!(
                "aiosmtpd is not installed at {} (run scripts/install-test-deps.sh --smtp)",
                python().display()
            );
            if in_ci() {
                panic!("CI=true but {why}");
            }
            eprintln!("SKIPPED: the SMTP tests: {why}");
            return None;
        }
        let maildir = std::env::temp_dir().join(format!("hearth-mail-{}", uuid::Uuid::new_v4()));
        let mut server = Self {
            port: free_port(),
            maildir,
            child: None,
        };
        server.up();
        Some(server)
    }

    /// Starts the server again on the same port and Maildir (after [`Self::down`]).
    pub fn up(&mut self) {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start aiosmtpd: {e}"));
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "aiosmtpd did not start listening on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server: the port then refuses connections, as a mail server that is down.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, oldest first, decoded.
    pub fn received(&self) -> Vec<Received> {
        const READ: &str = r#"
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.keys()):
    raw = box.get_bytes(key)
    m = BytesParser(policy=policy.default).parsebytes(raw)
    text = m.get_body(("plain",))
    html = m.get_body(("html",))
    out.append({
        "to": str(m["to"] or ""),
        "subject": str(m["subject"] or ""),
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "message_id": str(m["message-id"] or ""),
    })
print(json.dumps(out))
"#;
        if !self.maildir.join("new").exists() {
            return Vec::new();
        }
        let out = Command::new(python())
            .args(["-c", READ])
            .arg(&self.maildir)
            .output()
            .expect("read the Maildir");
        assert!(
            out.status.success(),
            "reading the Maildir failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("the Maildir as JSON");
        let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        rows.iter()
            .map(|v| Received {
                to: s(v, "to"),
                subject: s(v, "subject"),
                text: s(v, "text"),
                html: s(v, "html"),
                message_id: s(v, "message_id"),
            })
            .collect()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.down();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}
