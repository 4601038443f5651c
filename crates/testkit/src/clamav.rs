//! A real ClamAV daemon for the document tests: Debian's clamd (installed by
//! `scripts/install-test-deps.sh --clamav`), started on a free port with a signature database
//! made here, since freshclam cannot fetch one: a single MD5 signature for the EICAR test
//! file, the industry's harmless stand-in for a virus. Under `CI=true` a clamd that cannot
//! start fails the test loudly; elsewhere the test is skipped with a message.

use std::io::Write;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The EICAR anti-virus test file (68 bytes): every scanner reports it as infected.
pub const EICAR: &[u8] = br"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// The name clamd gives EICAR with the signature made here (`.UNOFFICIAL` is clamd's mark
/// on a signature that is not from Cisco's databases).
pub const EICAR_SIGNATURE: &str = "Hearth.Test.EICAR.UNOFFICIAL";

/// Where Debian installs clamd.
const CLAMD: &str = "/usr/sbin/clamd";

/// A running clamd with its own configuration and signatures.
pub struct ClamAv {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

/// The MD5 signature line (`.hdb`) for these bytes.
fn hdb_line(bytes: &[u8]) -> String {
    let out = Command::new("md5sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().expect("md5sum's input").write_all(bytes)?;
            c.wait_with_output()
        })
        .expect("md5sum");
    let text = String::from_utf8_lossy(&out.stdout);
    let md5 = text.split_whitespace().next().expect("an MD5");
    format!("{md5}:{}:Hearth.Test.EICAR\n", bytes.len())
}

impl ClamAv {
    /// Starts clamd, or `None` (with a message) when it is not installed outside CI.
    pub fn start() -> Option<Self> {
        if !std::path::Path::new(CLAMD).exists() {
            let why = format!(
                "clamd is not installed at {CLAMD} (run scripts/install-test-deps.sh --clamav)"
            );
            if in_ci() {
                panic!("CI=true but {why}");
            }
            eprintln!("SKIPPED: the virus scan tests: {why}");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("hearth-clamav-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("db")).expect("clamd's folder");
        std::fs::write(dir.join("db").join("hearth.hdb"), hdb_line(EICAR))
            .expect("the EICAR signature");
        let mut clam = Self {
            port: free_port(),
            dir,
            child: None,
        };
        clam.up();
        Some(clam)
    }

    /// `host:port`, as `clamd_address` takes it.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts clamd (again, after [`Self::down`]) on the same port and signatures.
    pub fn up(&mut self) {
        let conf = self.dir.join("clamd.conf");
        std::fs::write(
            &conf,
            format!(
                "Foreground yes\nDatabaseDirectory {}\nTCPSocket {}\nTCPAddr 127.0.0.1\nLogFile {}\nStreamMaxLength 30M\n",
                self.dir.join("db").display(),
                self.port,
                self.dir.join("clamd.log").display()
            ),
        )
        .expect("clamd.conf");
        let child = Command::new(CLAMD)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start clamd: {e}"));
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                let log = std::fs::read_to_string(self.dir.join("clamd.log")).unwrap_or_default();
                panic!("clamd stopped ({status}) before listening:\n{log}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "clamd did not start listening on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops clamd: its port then refuses connections, as a scanner that is down.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ClamAv {
    fn drop(&mut self) {
        self.down();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
