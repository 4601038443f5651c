//! A family's sign-ins sent to the partnership's provider (GOV.UK One Login, ADR 0056) and not
//! yet back: the nonce and PKCE verifier that the answer must match, the family's language,
//! and the hash of the cookie that ties the answer to the browser that went. Names nobody.

use crate::decode::parse_time;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::time::to_text;
use sqlx::Row;

/// A family's sign-in under way.
#[derive(Debug, Clone)]
pub struct FamilyAttempt {
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The language the family chose (its code), for the provider's pages and Hearth's.
    pub lang: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_attempt(conn: &mut Conn, state_hash: &str, a: &FamilyAttempt) -> Result<()> {
    sqlx::query(
        "INSERT INTO family_sign_on_attempts (state_hash, browser_hash, nonce, pkce_verifier,
                lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(state_hash)
    .bind(&a.browser_hash)
    .bind(&a.nonce)
    .bind(&a.pkce_verifier)
    .bind(&a.lang)
    .bind(to_text(a.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the attempt with this state away (it can be answered once); `None` when there is
/// none, or another request took it first.
pub async fn take_attempt(conn: &mut Conn, state_hash: &str) -> Result<Option<FamilyAttempt>> {
    let row = sqlx::query(
        "SELECT browser_hash, nonce, pkce_verifier, lang, created_at
         FROM family_sign_on_attempts WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let taken = sqlx::query("DELETE FROM family_sign_on_attempts WHERE state_hash = $1")
        .bind(state_hash)
        .execute(&mut *conn)
        .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(FamilyAttempt {
        browser_hash: row.try_get("browser_hash")?,
        nonce: row.try_get("nonce")?,
        pkce_verifier: row.try_get("pkce_verifier")?,
        lang: row.try_get("lang")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
    }))
}

/// Forgets attempts started before `before` (never answered).
pub async fn prune_attempts(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM family_sign_on_attempts WHERE created_at < $1")
            .bind(to_text(before))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
