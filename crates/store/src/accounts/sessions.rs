//! Server-side sessions. Only the SHA-256 of a session token is stored.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::second_factor::SessionFactor;
use hearth_domain::time::to_text;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub second_factor: SessionFactor,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub csrf_token: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, s: &NewSession<'_>, now: DateTime<Utc>) -> Result<()> {
    let now = to_text(now);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(s.token_hash)
    .bind(s.user_id.to_string())
    .bind(s.csrf_token)
    .bind(now)
    .bind(s.ip)
    .bind(s.user_agent)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, token_hash: &str) -> Result<Option<SessionRecord>> {
    let row = sqlx::query(
        "SELECT user_id, csrf_token, created_at, last_seen_at, second_factor
         FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(SessionRecord {
            user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
            last_seen_at: parse_time(&row.try_get::<String, _>("last_seen_at")?)?,
            second_factor: crate::decode::coded(&row, "second_factor", SessionFactor::from_code)?,
        })
    })
    .transpose()
}

pub async fn touch(conn: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(to_text(now))
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user except `keep` (the one changing their password, say).
pub async fn delete_for_user(conn: &mut Conn, user_id: UserId, keep: Option<&str>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id.to_string())
            .bind(keep.unwrap_or(""))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Removes sessions idle since before `idle_before` or created before `created_before`.
pub async fn prune(
    conn: &mut Conn,
    idle_before: DateTime<Utc>,
    created_before: DateTime<Utc>,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(to_text(idle_before))
            .bind(to_text(created_before))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
