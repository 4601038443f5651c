//! The DfE's SSDA903 validation rules (data-to-insight's csc-validator-be-903, installed by
//! `scripts/install-test-deps.sh --ssda903`), run on the 903 files Hearth generated through
//! `scripts/ssda903-validate.py`: the tests assert the real validator finds no error.

use std::path::PathBuf;
use std::process::Command;

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
    tools.join("ssda903-venv").join("bin").join("python")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// What the validator said of the files: one line per error (rule, file, row, child, what the
/// rule says), empty when they pass; `None` (with a message) when the validator is not
/// installed outside CI. `files` are (name, CSV text); `year` is the year of the 31 March that
/// ends the collection; `la` the local authority's code (E06000018 for Nottingham).
pub fn validate(files: &[(&str, String)], year: i32, la: &str) -> Option<Vec<String>> {
    if !python().exists() {
        let why = format!(
            "the SSDA903 validator is not installed at {} (run scripts/install-test-deps.sh --ssda903)",
            python().display()
        );
        if in_ci() {
            panic!("CI=true but {why}");
        }
        eprintln!("SKIPPED: the SSDA903 validation: {why}");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("hearth-903-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a folder for the 903 files");
    for (name, text) in files {
        std::fs::write(dir.join(format!("{name}.csv")), text).expect("write a 903 file");
    }
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/ssda903-validate.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&dir)
        .arg(year.to_string())
        .arg(la)
        .output()
        .expect("run the SSDA903 validator");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<String> = stdout
        .lines()
        .filter(|l| l.contains('\t'))
        .map(str::to_string)
        .collect();
    assert!(
        out.status.success() || !errors.is_empty(),
        "the validator failed to run: {stderr}"
    );
    eprintln!("{}", stderr.lines().last().unwrap_or_default());
    Some(errors)
}
