//! Passkeys (ADR 0051): each user's registered passkeys, and the challenges handed out for
//! registering or using one, kept here (never in the browser) and taken away when answered.
//! The credential and the challenge's state are `webauthn-rs`'s, stored as its JSON: the
//! store keeps them and never looks inside.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{PasskeyId, UserId};
use hearth_domain::passkey::Purpose;
use hearth_domain::time::to_text;
use sqlx::Row;

/// A registered passkey, as its owner sees it and as a sign-in needs it.
#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: PasskeyId,
    pub user_id: UserId,
    pub name: String,
    /// The authenticator's id for the credential (base64url).
    pub credential_id: String,
    /// `webauthn-rs`'s `Passkey`, as JSON.
    pub passkey: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

fn passkey_from(row: &sqlx::any::AnyRow) -> Result<StoredPasskey> {
    let last: Option<String> = row.try_get("last_used_at")?;
    Ok(StoredPasskey {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
        name: row.try_get("name")?,
        credential_id: row.try_get("credential_id")?,
        passkey: row.try_get("passkey")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
        last_used_at: last.as_deref().map(parse_time).transpose()?,
    })
}

/// The user's passkeys, oldest first.
pub async fn for_user(conn: &mut Conn, user: UserId) -> Result<Vec<StoredPasskey>> {
    let rows = sqlx::query(
        "SELECT id, user_id, name, credential_id, passkey, created_at, last_used_at
         FROM user_passkeys WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(passkey_from).collect()
}

/// How many passkeys the user has.
pub async fn count(conn: &mut Conn, user: UserId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM user_passkeys WHERE user_id = $1")
            .bind(user.to_string())
            .fetch_one(conn)
            .await?,
    )
}

/// Adds a passkey. A credential already registered (to this account or any other) is
/// `StoreError::Duplicate`: one passkey never signs in to two accounts.
pub async fn add(conn: &mut Conn, passkey: &StoredPasskey) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_passkeys
             (id, user_id, name, credential_id, passkey, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
    )
    .bind(passkey.id.to_string())
    .bind(passkey.user_id.to_string())
    .bind(&passkey.name)
    .bind(&passkey.credential_id)
    .bind(&passkey.passkey)
    .bind(to_text(passkey.created_at))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Records a use: when, and the credential as it stands after it (its signature counter and
/// backup flags move on as the authenticator reports them).
pub async fn record_use(
    conn: &mut Conn,
    id: PasskeyId,
    passkey: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE user_passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3")
        .bind(passkey)
        .bind(to_text(now))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes one of the user's passkeys; its name when there was one to remove (another user's
/// passkey is never removed).
pub async fn remove(conn: &mut Conn, user: UserId, id: PasskeyId) -> Result<Option<String>> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM user_passkeys WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    if name.is_some() {
        sqlx::query("DELETE FROM user_passkeys WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(name)
}

/// Removes all the user's passkeys (an administrator resetting a lost second factor).
pub async fn remove_all(conn: &mut Conn, user: UserId) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM user_passkeys WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?
        .rows_affected())
}

/// A challenge handed out and not yet answered.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub user_id: UserId,
    /// The name the passkey will be given (registration only).
    pub name: Option<String>,
    /// `webauthn-rs`'s state for the ceremony, as JSON.
    pub state: String,
    pub created_at: DateTime<Utc>,
}

/// Keeps a challenge for the session, replacing any earlier one for the same purpose.
pub async fn put_challenge(
    conn: &mut Conn,
    session_hash: &str,
    purpose: Purpose,
    challenge: &Challenge,
) -> Result<()> {
    sqlx::query("DELETE FROM passkey_challenges WHERE session_hash = $1 AND purpose = $2")
        .bind(session_hash)
        .bind(purpose.code())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO passkey_challenges (session_hash, purpose, user_id, name, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session_hash)
    .bind(purpose.code())
    .bind(challenge.user_id.to_string())
    .bind(&challenge.name)
    .bind(&challenge.state)
    .bind(to_text(challenge.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the session's challenge away (it can be answered once): `None` when there is none,
/// or another request took it first. How old it is, the caller judges.
pub async fn take_challenge(
    conn: &mut Conn,
    session_hash: &str,
    purpose: Purpose,
) -> Result<Option<Challenge>> {
    let row = sqlx::query(
        "SELECT user_id, name, state, created_at FROM passkey_challenges
         WHERE session_hash = $1 AND purpose = $2",
    )
    .bind(session_hash)
    .bind(purpose.code())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let taken =
        sqlx::query("DELETE FROM passkey_challenges WHERE session_hash = $1 AND purpose = $2")
            .bind(session_hash)
            .bind(purpose.code())
            .execute(&mut *conn)
            .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(Challenge {
        user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
        name: row.try_get("name")?,
        state: row.try_get("state")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
    }))
}

/// Forgets challenges handed out before `before` and never answered.
pub async fn prune_challenges(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM passkey_challenges WHERE created_at < $1")
            .bind(to_text(before))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
