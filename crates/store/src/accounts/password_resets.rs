//! One-time links to choose a new password, made by an administrator for a user. Only the
//! SHA-256 of a link's token is stored.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A link as the administrator's page shows it (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub id: Uuid,
    pub user_id: UserId,
    pub made_by: UserId,
    pub made_by_name: String,
    pub made_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl PasswordReset {
    /// Still usable at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && self.withdrawn_at.is_none() && self.expires_at > now
    }
}

pub struct NewReset<'a> {
    pub id: Uuid,
    pub user: UserId,
    pub token_hash: &'a str,
    pub made_by: UserId,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new link, withdrawing any earlier one for the account that still works.
pub async fn insert(conn: &mut Conn, r: &NewReset<'_>, now: DateTime<Utc>) -> Result<()> {
    let now = to_text(now);
    sqlx::query(
        "UPDATE password_resets SET withdrawn_at = $1
         WHERE user_id = $2 AND used_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(&now)
    .bind(r.user.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO password_resets (id, user_id, token_hash, made_by, made_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.id.to_string())
    .bind(r.user.to_string())
    .bind(r.token_hash)
    .bind(r.made_by.to_string())
    .bind(&now)
    .bind(to_text(r.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT r.id, r.user_id, r.made_by, u.display_name AS made_by_name,
        r.made_at, r.expires_at, r.used_at, r.withdrawn_at
    FROM password_resets r JOIN users u ON u.id = r.made_by";

fn from_row(row: &sqlx::any::AnyRow) -> Result<PasswordReset> {
    let opt = |c: &str| -> Result<Option<DateTime<Utc>>> {
        row.try_get::<Option<String>, _>(c)?
            .as_deref()
            .map(parse_time)
            .transpose()
    };
    Ok(PasswordReset {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
        made_by: parse_id(&row.try_get::<String, _>("made_by")?)?,
        made_by_name: row.try_get("made_by_name")?,
        made_at: parse_time(&row.try_get::<String, _>("made_at")?)?,
        expires_at: parse_time(&row.try_get::<String, _>("expires_at")?)?,
        used_at: opt("used_at")?,
        withdrawn_at: opt("withdrawn_at")?,
    })
}

/// The link whose token hashes to `token_hash`, whatever its state.
pub async fn find(conn: &mut Conn, token_hash: &str) -> Result<Option<PasswordReset>> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The account's most recent link, for its page.
pub async fn latest_for(conn: &mut Conn, user: UserId) -> Result<Option<PasswordReset>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE r.user_id = $1 ORDER BY r.made_at DESC, r.id DESC LIMIT 1"
    ))
    .bind(user.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Uses the link once: true only for the one caller that found it live (of two at once, the
/// second finds it used).
pub async fn use_once(conn: &mut Conn, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let now = to_text(now);
    let done = sqlx::query(
        "UPDATE password_resets SET used_at = $1
         WHERE id = $2 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > $1",
    )
    .bind(&now)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
