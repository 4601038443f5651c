//! A real SMS gateway for the text message tests: Debian's Kannel (installed by
//! `scripts/install-test-deps.sh --sms`) — its bearerbox, its smsbox (the HTTP `sendsms`
//! interface Hearth calls) and `fakesmsc`, Kannel's own test SMS centre, which takes each text
//! as a phone network would and prints it; [`SmsGateway::received`] reads them back decoded.
//! Kannel reports delivery to the `dlr-url` Hearth gives it, as it would with a real network.
//! Each gateway writes its own configuration with free ports. Under `CI=true` a gateway that
//! cannot start fails the test loudly; elsewhere the test is skipped with a message.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BEARERBOX: &str = "/usr/sbin/bearerbox";
const SMSBOX: &str = "/usr/sbin/smsbox";
const FAKESMSC: &str = "/usr/lib/kannel/test/fakesmsc";

/// The `sendsms` user the tests' Hearth signs in as.
pub const USERNAME: &str = "hearth";
pub const PASSWORD: &str = "gateway-secret-7";

/// A text as the SMS centre received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedText {
    pub from: String,
    pub to: String,
    /// `text` (GSM-7) or `ucs-2`, as Kannel coded it.
    pub coding: String,
    pub text: String,
}

/// A running bearerbox, smsbox and fakesmsc with their own configuration.
pub struct SmsGateway {
    /// smsbox's `sendsms` port.
    pub sendsms_port: u16,
    dir: PathBuf,
    children: Vec<Child>,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

fn wait_for(port: u16, what: &str, child: &mut Child, log: &std::path::Path) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what} stopped ({status}) before listening:\n{log}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// fakesmsc's printed data: URL-encoded bytes, `+` a space.
fn unescape(data: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(data.len());
    let raw = data.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'%' if i + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("");
                bytes.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                bytes.push(b' ');
                i += 1;
            }
            b => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    bytes
}

/// A text's bytes as the phone shows them: UTF-16BE for UCS-2.
fn decode(ucs2: bool, bytes: &[u8]) -> String {
    if ucs2 {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// One line fakesmsc printed: sender, receiver, type, and the type's fields.
fn line_parts(l: &str) -> Option<Vec<&str>> {
    let rest = l.split_once("Got message ")?.1;
    let inner = rest.split_once(": <")?.1;
    let inner = inner.rsplit_once('>').map_or(inner, |(a, _)| a);
    Some(inner.split(' ').collect())
}

impl SmsGateway {
    /// Starts a gateway, or `None` (with a message) when Kannel is not installed outside CI.
    pub fn start() -> Option<Self> {
        if let Some(missing) = [BEARERBOX, SMSBOX, FAKESMSC]
            .into_iter()
            .find(|p| !std::path::Path::new(p).exists())
        {
            let why =
                format!("{missing} is not installed (run scripts/install-test-deps.sh --sms)");
            if in_ci() {
                panic!("CI=true but {why}");
            }
            eprintln!("SKIPPED: the text message tests: {why}");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("hearth-sms-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("spool")).expect("the gateway's folder");
        let (admin, boxes, smsc, sendsms) = (free_port(), free_port(), free_port(), free_port());
        let conf = dir.join("kannel.conf");
        let d = dir.display();
        std::fs::write(
            &conf,
            format!(
                r#"group = core
admin-port = {admin}
admin-interface = 127.0.0.1
admin-password = "{admin_password}"
smsbox-port = {boxes}
box-allow-ip = 127.0.0.1
log-file = "{d}/bearerbox.log"
log-level = 1
dlr-storage = internal
store-type = spool
store-location = "{d}/spool"

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {boxes}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{d}/smsbox.log"
log-level = 1
global-sender = "FamilyHelp"

group = sendsms-user
username = "{USERNAME}"
password = "{PASSWORD}"
concatenation = true
max-messages = 3

group = sms-service
keyword = default
catch-all = true
max-messages = 0
text = "No service"
"#,
                admin_password = uuid::Uuid::new_v4().simple(),
            ),
        )
        .expect("kannel.conf");
        let spawn = |program: &str, args: &[&str], out: &str| {
            let log = std::fs::File::create(dir.join(out)).expect("a log file");
            Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("a log file"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {program}: {e}"))
        };
        let conf_arg = conf.to_string_lossy().into_owned();
        let mut gateway = Self {
            sendsms_port: sendsms,
            dir: dir.clone(),
            children: vec![],
        };
        let mut bearerbox = spawn(BEARERBOX, &[&conf_arg], "bearerbox.out");
        wait_for(
            boxes,
            "bearerbox",
            &mut bearerbox,
            &dir.join("bearerbox.out"),
        );
        gateway.children.push(bearerbox);
        // fakesmsc prints every text it receives ("Got message …") to its standard error.
        let port = smsc.to_string();
        let mut fake = spawn(
            FAKESMSC,
            &[
                "-H",
                "127.0.0.1",
                "-r",
                &port,
                "-i",
                "1",
                "-m",
                "0",
                "0 0 text -",
            ],
            "fakesmsc.out",
        );
        // bearerbox listens for the SMS centre once it is up; fakesmsc connects to it.
        std::thread::sleep(Duration::from_millis(200));
        if let Ok(Some(status)) = fake.try_wait() {
            panic!("fakesmsc stopped ({status})");
        }
        gateway.children.push(fake);
        let mut smsbox = spawn(SMSBOX, &[&conf_arg], "smsbox.out");
        wait_for(sendsms, "smsbox", &mut smsbox, &dir.join("smsbox.out"));
        gateway.children.push(smsbox);
        Some(gateway)
    }

    /// The `sendsms` address Hearth is configured with.
    pub fn sendsms_url(&self) -> String {
        format!("http://127.0.0.1:{}/cgi-bin/sendsms", self.sendsms_port)
    }

    /// The texts the SMS centre has received so far, in order, each long one put back
    /// together from its parts as a phone would (concatenation headers: `05 00 03 ref total
    /// seq`). fakesmsc does not say how a part is coded; parts holding zero bytes are UCS-2.
    pub fn received(&self) -> Vec<ReceivedText> {
        let out = std::fs::read_to_string(self.dir.join("fakesmsc.out")).unwrap_or_default();
        let mut texts: Vec<ReceivedText> = Vec::new();
        // Parts waiting for the rest of their text.
        let mut parts: Vec<Waiting> = Vec::new();
        for p in out.lines().filter_map(line_parts) {
            let (from, to, kind) = (p[0].to_string(), p[1].to_string(), p[2]);
            if kind == "udh" && p.len() >= 6 && p[4] == "data" {
                let udh = unescape(p[3]);
                let data = unescape(p[5]);
                let (reference, total, seq) = match udh.as_slice() {
                    [5, 0, 3, r, t, s] => (*r, *t, *s),
                    _ => (0, 1, 1),
                };
                let at = match parts.iter().position(|w| w.0 == reference && w.4 == to) {
                    Some(i) => i,
                    None => {
                        parts.push((reference, total, Vec::new(), from, to));
                        parts.len() - 1
                    }
                };
                parts[at].2.push((seq, data));
                if parts[at].2.len() == usize::from(parts[at].1) {
                    let (_, _, mut got, from, to) = parts.remove(at);
                    got.sort_by_key(|(seq, _)| *seq);
                    let bytes: Vec<u8> = got.into_iter().flat_map(|(_, d)| d).collect();
                    let ucs2 = bytes.contains(&0);
                    texts.push(ReceivedText {
                        text: decode(ucs2, &bytes),
                        coding: if ucs2 { "ucs-2" } else { "text" }.into(),
                        from,
                        to,
                    });
                }
            } else {
                let data = p.get(3..).map(|d| d.join(" ")).unwrap_or_default();
                texts.push(ReceivedText {
                    text: decode(kind == "ucs-2", &unescape(&data)),
                    coding: kind.to_string(),
                    from,
                    to,
                });
            }
        }
        texts
    }

    /// How many parts (network texts) the SMS centre has received, long texts counted by part.
    pub fn parts_received(&self) -> usize {
        let out = std::fs::read_to_string(self.dir.join("fakesmsc.out")).unwrap_or_default();
        out.lines().filter_map(line_parts).count()
    }

    /// Waits up to 20 seconds for `n` texts to have arrived, and returns them.
    pub fn wait_for_texts(&self, n: usize) -> Vec<ReceivedText> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || started.elapsed() > Duration::from_secs(20) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmsGateway {
    fn drop(&mut self) {
        // smsbox first, then the SMS centre, then bearerbox.
        while let Some(mut child) = self.children.pop() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A long text's parts waiting for the rest: its reference, how many parts it has, the parts
/// by number, and who it is from and to.
type Waiting = (u8, u8, Vec<(u8, Vec<u8>)>, String, String);
