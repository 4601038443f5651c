//! A PDF's text as poppler's `pdftotext` reads it, as a reader's viewer would (installed by
//! `scripts/install-test-deps.sh --pdf`): a PDF whose text only looks right in its bytes fails.

use std::io::Write;
use std::process::{Command, Stdio};

/// The text of every page of `bytes`, in reading order.
///
/// # Panics
/// If `pdftotext` is missing or cannot read the PDF: the test fails, saying which.
pub fn text(bytes: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext is installed (scripts/install-test-deps.sh --pdf)");
    child
        .stdin
        .take()
        .expect("pdftotext's input")
        .write_all(bytes)
        .expect("the PDF written to pdftotext");
    let out = child.wait_with_output().expect("pdftotext finished");
    assert!(out.status.success(), "pdftotext could read the PDF");
    String::from_utf8(out.stdout).expect("pdftotext wrote UTF-8")
}
