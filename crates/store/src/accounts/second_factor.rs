//! A second factor for password accounts: each user's time-based code secret, the last time
//! step used (so no code is accepted twice), their recovery codes (hashed), and where each
//! session stands (ADR 0041).

use crate::decode::parse_time;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::second_factor::SessionFactor;
use hearth_domain::time::to_text;
use sqlx::Row;
use std::fmt;

/// A TOTP secret (base32): its `Debug` hides it, so it reaches no log.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(String);

impl TotpSecret {
    pub fn new(base32: String) -> Self {
        Self(base32)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([hidden])")
    }
}

#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: TotpSecret,
    /// When the user proved their app had it; `None` while enrolling.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_step: Option<u64>,
}

pub async fn get(conn: &mut Conn, user: UserId) -> Result<Option<Enrolment>> {
    let row =
        sqlx::query("SELECT secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1")
            .bind(user.to_string())
            .fetch_optional(conn)
            .await?;
    row.map(|row| {
        let confirmed: Option<String> = row.try_get("confirmed_at")?;
        let last: Option<i64> = row.try_get("last_step")?;
        Ok(Enrolment {
            secret: TotpSecret(row.try_get("secret")?),
            confirmed_at: confirmed.as_deref().map(parse_time).transpose()?,
            last_step: last
                .map(|s| u64::try_from(s).map_err(|_| StoreError::Corrupt(format!("step {s}"))))
                .transpose()?,
        })
    })
    .transpose()
}

/// Starts (or starts again) an enrolment with a new secret; any earlier one and its recovery
/// codes are gone.
pub async fn begin(
    conn: &mut Conn,
    user: UserId,
    secret: &TotpSecret,
    now: DateTime<Utc>,
) -> Result<()> {
    remove(conn, user).await?;
    sqlx::query(
        "INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at)
         VALUES ($1, $2, NULL, NULL, $3)",
    )
    .bind(user.to_string())
    .bind(&secret.0)
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes time step `step` for the user if no later or equal step was used; false when it was
/// (the code was used already, here or by someone racing).
pub async fn use_step(conn: &mut Conn, user: UserId, step: u64) -> Result<bool> {
    let step = i64::try_from(step).map_err(|_| StoreError::Corrupt(format!("step {step}")))?;
    let done = sqlx::query(
        "UPDATE user_totp SET last_step = $1
         WHERE user_id = $2 AND (last_step IS NULL OR last_step < $1)",
    )
    .bind(step)
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn confirm(conn: &mut Conn, user: UserId, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE user_totp SET confirmed_at = $1 WHERE user_id = $2")
        .bind(to_text(now))
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the user's second factor and recovery codes.
pub async fn remove(conn: &mut Conn, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub async fn set_recovery_codes(conn: &mut Conn, user: UserId, hashes: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(user.to_string())
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Uses the recovery code with this hash, once; false when there is none unused.
pub async fn use_recovery_code(
    conn: &mut Conn,
    user: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(to_text(now))
    .bind(user.to_string())
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unused_recovery_codes(conn: &mut Conn, user: UserId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user.to_string())
    .fetch_one(conn)
    .await?)
}

/// Whether an administrator reset the user's lost factor and they have not set one up since.
pub async fn must_enrol(conn: &mut Conn, user: UserId) -> Result<bool> {
    let flag: Option<i64> =
        sqlx::query_scalar("SELECT must_enrol_second_factor FROM users WHERE id = $1")
            .bind(user.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(flag.is_some_and(|f| f != 0))
}

/// Marks (or clears) that the user must set up a second factor at their next sign-in.
pub async fn set_must_enrol(conn: &mut Conn, user: UserId, must: bool) -> Result<()> {
    sqlx::query("UPDATE users SET must_enrol_second_factor = $1 WHERE id = $2")
        .bind(i64::from(must))
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_session_factor(
    conn: &mut Conn,
    token_hash: &str,
    factor: SessionFactor,
) -> Result<()> {
    sqlx::query("UPDATE sessions SET second_factor = $1 WHERE token_hash = $2")
        .bind(factor.code())
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_totp_key_never_shows_in_debug_output() {
        let key = TotpSecret::new("JBSWY3DPEHPK3PXP".into());
        assert!(!format!("{key:?}").contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.expose(), "JBSWY3DPEHPK3PXP");
    }
}
