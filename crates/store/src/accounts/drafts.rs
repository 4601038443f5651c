//! Forms kept after their session ended, until their user signs in again. Only the SHA-256
//! of a draft's token is stored.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A kept form: where it was sent and what was in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Who it belongs to; `None` until someone signs in with its token.
    pub user_id: Option<UserId>,
    pub path: String,
    /// The form's fields, urlencoded as they were sent (without passwords or tokens).
    pub fields: String,
    pub expires_at: DateTime<Utc>,
}

pub struct NewDraft<'a> {
    pub token_hash: &'a str,
    pub user_id: Option<UserId>,
    pub path: &'a str,
    pub fields: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut Conn, d: &NewDraft<'_>, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO drafts (id, token_hash, user_id, path, fields, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(d.token_hash)
    .bind(d.user_id.map(|u| u.to_string()))
    .bind(d.path)
    .bind(d.fields)
    .bind(to_text(now))
    .bind(to_text(d.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, token_hash: &str) -> Result<Option<Draft>> {
    let row =
        sqlx::query("SELECT user_id, path, fields, expires_at FROM drafts WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?;
    row.map(|row| {
        Ok(Draft {
            user_id: row
                .try_get::<Option<String>, _>("user_id")?
                .as_deref()
                .map(parse_id)
                .transpose()?,
            path: row.try_get("path")?,
            fields: row.try_get("fields")?,
            expires_at: parse_time(&row.try_get::<String, _>("expires_at")?)?,
        })
    })
    .transpose()
}

/// Removes a draft once it has been shown back to its user.
pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM drafts WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes every draft that expired before `now`.
pub async fn prune(conn: &mut Conn, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM drafts WHERE expires_at < $1")
        .bind(to_text(now))
        .execute(conn)
        .await?
        .rows_affected())
}
