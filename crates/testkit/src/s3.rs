//! A real S3-compatible server for the document store tests: moto's (`moto[server]` from PyPI,
//! installed by `scripts/install-test-deps.sh --s3`), started on a free port with a bucket made
//! here. The test reads the bucket back with boto3 (AWS's own Python client, which moto brings),
//! as any other S3 client would. Under `CI=true` a server that cannot start fails the test
//! loudly; elsewhere the test is skipped with a message.

use std::io::Write;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The credentials the tests sign with (moto accepts any).
pub const ACCESS_KEY_ID: &str = "hearth-test-key";
pub const SECRET_ACCESS_KEY: &str = "hearth-test-secret-0123456789";
pub const REGION: &str = "eu-west-2";

/// boto3 on the bucket: `make`, `keys`, `get KEY`, `put KEY` (the bytes on standard input).
const CLIENT: &str = r#"
import base64, json, sys, boto3, botocore
endpoint, bucket, op = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name=sys.argv[4],
    aws_access_key_id=sys.argv[5], aws_secret_access_key=sys.argv[6],
    config=botocore.config.Config(s3={"addressing_style": "path"}))
if op == "make":
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": sys.argv[4]})
elif op == "keys":
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    print(json.dumps(sorted(keys)))
elif op == "get":
    try:
        body = s3.get_object(Bucket=bucket, Key=sys.argv[7])["Body"].read()
        print(json.dumps(base64.b64encode(body).decode()))
    except s3.exceptions.NoSuchKey:
        print("null")
elif op == "put":
    s3.put_object(Bucket=bucket, Key=sys.argv[7], Body=sys.stdin.buffer.read())
"#;

/// A running S3 server with one bucket.
pub struct S3Server {
    pub port: u16,
    pub bucket: String,
    child: Option<Child>,
}

fn venv_bin(name: &str) -> PathBuf {
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
    tools.join("s3-venv").join("bin").join(name)
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

impl S3Server {
    /// Starts a server with an empty bucket, or `None` (with a message) when moto is not
    /// installed outside CI.
    pub fn start() -> Option<Self> {
        if !venv_bin("moto_server").exists() {
            let why = format!(
                "moto's S3 server is not installed at {} (run scripts/install-test-deps.sh --s3)",
                venv_bin("moto_server").display()
            );
            if in_ci() {
                panic!("CI=true but {why}");
            }
            eprintln!("SKIPPED: the object store tests: {why}");
            return None;
        }
        let mut server = Self {
            port: free_port(),
            bucket: format!("hearth-documents-{}", uuid::Uuid::new_v4().simple()),
            child: None,
        };
        server.up();
        Some(server)
    }

    /// The address S3 clients are given.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the server and makes the bucket (again, after [`Self::down`], on the same port;
    /// moto keeps nothing across a restart, so the bucket starts empty).
    pub fn up(&mut self) {
        let child = Command::new(venv_bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto_server: {e}"));
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start listening on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.client("make", None, b"");
    }

    /// Stops the server: the port then refuses connections, as a store that is down.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The keys in the bucket, sorted.
    pub fn keys(&self) -> Vec<String> {
        serde_json::from_slice(&self.client("keys", None, b"")).expect("the keys as JSON")
    }

    /// An object's bytes, or `None` when there is none at `key`.
    pub fn object(&self, key: &str) -> Option<Vec<u8>> {
        let v: Option<String> =
            serde_json::from_slice(&self.client("get", Some(key), b"")).expect("JSON");
        v.map(|b64| base64_decode(&b64))
    }

    /// Puts an object directly, as another program writing to the bucket would.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        self.client("put", Some(key), bytes);
    }

    fn client(&self, op: &str, key: Option<&str>, input: &[u8]) -> Vec<u8> {
        let mut c = Command::new(venv_bin("python"))
            .args(["-c", CLIENT])
            .args([
                self.endpoint().as_str(),
                &self.bucket,
                op,
                REGION,
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
            ])
            .args(key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run boto3");
        c.stdin
            .take()
            .expect("boto3's input")
            .write_all(input)
            .expect("write to boto3");
        let out = c.wait_with_output().expect("boto3's answer");
        assert!(
            out.status.success(),
            "boto3 {op} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// Standard base64 (what Python's `base64.b64encode` writes) decoded.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.down();
    }
}
