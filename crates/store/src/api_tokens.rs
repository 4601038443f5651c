//! API tokens: per user, revocable, stored only as hashes.

use crate::organisations::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    conn: &mut Conn,
    id: Uuid,
    user: UserId,
    name: &str,
    token_hash: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(name)
        .bind(token_hash)
        .bind(by.map(|u| u.to_string()))
        .bind(to_text(now))
        .execute(conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The user behind a live (unrevoked) token, noting its use.
pub async fn user_for(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, UserId)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, user)) = row else {
        return Ok(None);
    };
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(to_text(now))
        .bind(&id)
        .execute(conn)
        .await?;
    Ok(Some((parse_id(&id)?, parse_id(&user)?)))
}

pub async fn for_user(conn: &mut Conn, user: UserId) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query("SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC")
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let opt = |c: &str| -> Result<Option<DateTime<Utc>>> {
                r.try_get::<Option<String>, _>(c)?
                    .as_deref()
                    .map(parse_time)
                    .transpose()
            };
            Ok(ApiToken {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
                name: r.try_get("name")?,
                created_at: parse_time(&r.try_get::<String, _>("created_at")?)?,
                last_used_at: opt("last_used_at")?,
                revoked_at: opt("revoked_at")?,
            })
        })
        .collect()
}

pub async fn revoke(conn: &mut Conn, id: Uuid, user: UserId, now: DateTime<Utc>) -> Result<()> {
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(to_text(now))
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
