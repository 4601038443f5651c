//! `hearth documents move-to-object-store` run as an operator would (ADR 0052): refused with
//! what to set when documents are not going to an object store; with the store set by
//! `HEARTH_DOCUMENT_STORE_*` (a real S3 server, moto's), it runs and says what it did, and
//! the store's secret is never printed. (Moving documents themselves, resumably, is tested
//! through the app on both engines: crates/app/tests/document_store.rs.)

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::s3::{S3Server, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use std::process::{Command, Output};

fn hearth(dir: &std::path::Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    c.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("HEARTH_AUDIT_KEY")
        .env("HEARTH_DATA_DIR", dir.join("data"))
        .env("HEARTH_LOG", "warn");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn moving_documents_needs_the_object_store_set_and_then_runs() {
    let dir = std::env::temp_dir().join(format!("hearth-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = hearth(&dir, &["documents", "move-to-object-store"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("set document_store = \"s3\""),
        "{}",
        text(&out)
    );

    let out = hearth(
        &dir,
        &["documents", "move-to-object-store"],
        &[("HEARTH_DOCUMENT_STORE", "s3".into())],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("needs document_store_bucket"),
        "{}",
        text(&out)
    );

    let Some(s3) = S3Server::start() else {
        std::fs::remove_dir_all(&dir).ok();
        return;
    };
    let env = [
        ("HEARTH_DOCUMENT_STORE", "s3".to_string()),
        ("HEARTH_DOCUMENT_STORE_ENDPOINT", s3.endpoint()),
        ("HEARTH_DOCUMENT_STORE_BUCKET", s3.bucket.clone()),
        ("HEARTH_DOCUMENT_STORE_REGION", REGION.into()),
        ("HEARTH_DOCUMENT_STORE_ACCESS_KEY_ID", ACCESS_KEY_ID.into()),
        (
            "HEARTH_DOCUMENT_STORE_SECRET_ACCESS_KEY",
            SECRET_ACCESS_KEY.into(),
        ),
        ("HEARTH_LOG", "debug".into()),
    ];
    let out = hearth(&dir, &["migrate"], &env);
    assert!(out.status.success(), "{}", text(&out));
    let out = hearth(&dir, &["documents", "move-to-object-store"], &env);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Documents moved to the object store: 0; objects swept: 0."),
        "{}",
        text(&out)
    );
    // Logged at the most detailed level, the secret still never appears.
    assert!(!text(&out).contains(SECRET_ACCESS_KEY), "{}", text(&out));
    std::fs::remove_dir_all(&dir).ok();
}
