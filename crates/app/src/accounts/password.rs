//! Password hashing with Argon2id, off the async threads (it is deliberately slow).

use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

/// Hashes at once: one per core. Each takes 19 MiB and a core for tens of milliseconds, so a
/// rush of sign-ins (300 practitioners at nine o'clock) queues here instead of running
/// hundreds at a time, which grew the server to hundreds of MiB and starved other requests.
fn hashing() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
pub(crate) async fn hash(password: String) -> Result<String, AppError> {
    let _turn = hashing()
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("waiting to hash a password: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let salt = new_salt()?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// True when `password` matches `stored`. With no stored hash it checks against a dummy so
/// that an unknown email address takes as long to refuse as a known one.
pub(crate) async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_turn) = hashing().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let stored = stored.as_deref().unwrap_or_else(|| dummy_hash());
        PasswordHash::new(stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        new_salt()
            .ok()
            .and_then(|salt| {
                Argon2::default()
                    .hash_password(b"not a real password", &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

fn new_salt() -> Result<SaltString, AppError> {
    SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| AppError::Internal(format!("making a salt: {e}")))
}
