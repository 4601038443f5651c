//! API tokens: per user, scoped, expiring, revocable, stored only as hashes.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::api_scope::ApiScopes;
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: UserId,
    pub name: String,
    /// `None` when the stored scopes are not ones this build knows: such a token is refused.
    pub scopes: Option<ApiScopes>,
    pub created_at: DateTime<Utc>,
    /// `None` only for tokens stored before tokens expired; they are refused.
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Live: not revoked, not expired, with scopes we can read.
    pub fn is_live(&self, now: &DateTime<Utc>) -> bool {
        self.revoked_at.is_none()
            && self.expires_at.is_some_and(|t| t > *now)
            && self.scopes.is_some()
    }
}

/// A token to store.
pub struct NewApiToken<'a> {
    pub id: Uuid,
    pub user: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub scopes: &'a ApiScopes,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut Conn, t: &NewApiToken<'_>, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_by, created_at, access, resources, expires_at)
         VALUES ($1, $2, $3, $4, $2, $5, $6, $7, $8)",
    )
    .bind(t.id.to_string())
    .bind(t.user.to_string())
    .bind(t.name)
    .bind(t.token_hash)
    .bind(to_text(now))
    .bind(t.scopes.access.code())
    .bind(t.scopes.resources_text())
    .bind(to_text(t.expires_at))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

const SELECT: &str = "SELECT id, user_id, name, access, resources, created_at, expires_at,
    last_used_at, revoked_at FROM api_tokens";

fn from_row(r: &AnyRow) -> Result<ApiToken> {
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
        scopes: ApiScopes::from_stored(
            &r.try_get::<String, _>("access")?,
            &r.try_get::<String, _>("resources")?,
        ),
        created_at: parse_time(&r.try_get::<String, _>("created_at")?)?,
        expires_at: opt("expires_at")?,
        last_used_at: opt("last_used_at")?,
        revoked_at: opt("revoked_at")?,
    })
}

/// The token with this hash, live or not (the caller says why a dead one is refused).
pub async fn find(conn: &mut Conn, token_hash: &str) -> Result<Option<ApiToken>> {
    let row = sqlx::query(&format!("{SELECT} WHERE token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Notes that a token was used.
pub async fn touch(conn: &mut Conn, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(to_text(now))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn for_user(conn: &mut Conn, user: UserId) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE user_id = $1 ORDER BY created_at DESC"
    ))
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
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
