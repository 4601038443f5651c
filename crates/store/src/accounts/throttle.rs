//! Sign-in throttling: failures in a row by account and by address, and until when the next
//! attempt must wait. Keys arrive already hashed (`hearth_domain::sign_in::ThrottleKey::hash`).

use crate::decode::parse_time;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::sign_in::ThrottleKey;
use hearth_domain::time::to_text;
use sqlx::Row;

/// Until when attempts for `key_hash` must wait, if they must.
pub async fn blocked_until(
    conn: &mut Conn,
    kind: ThrottleKey,
    key_hash: &str,
) -> Result<Option<DateTime<Utc>>> {
    let until: Option<Option<String>> = sqlx::query_scalar(
        "SELECT blocked_until FROM sign_in_throttle WHERE kind = $1 AND key_hash = $2",
    )
    .bind(kind.code())
    .bind(key_hash)
    .fetch_optional(conn)
    .await?;
    until.flatten().as_deref().map(parse_time).transpose()
}

/// Counts one more failure at `now` (starting again from one when the last was before
/// `forget_before`) and returns the count. One statement, so two failures at once both count.
pub async fn record_failure(
    conn: &mut Conn,
    kind: ThrottleKey,
    key_hash: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> Result<u32> {
    let row = sqlx::query(
        "INSERT INTO sign_in_throttle (kind, key_hash, failures, last_failure_at, blocked_until)
         VALUES ($1, $2, 1, $3, NULL)
         ON CONFLICT (kind, key_hash) DO UPDATE SET
             failures = CASE WHEN sign_in_throttle.last_failure_at < $4 THEN 1
                             ELSE sign_in_throttle.failures + 1 END,
             last_failure_at = $3
         RETURNING failures",
    )
    .bind(kind.code())
    .bind(key_hash)
    .bind(to_text(now))
    .bind(to_text(forget_before))
    .fetch_one(conn)
    .await?;
    let failures: i64 = row.try_get("failures")?;
    Ok(u32::try_from(failures).unwrap_or(u32::MAX))
}

/// Makes attempts for `key_hash` wait until `until`.
pub async fn block(
    conn: &mut Conn,
    kind: ThrottleKey,
    key_hash: &str,
    until: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE sign_in_throttle SET blocked_until = $1 WHERE kind = $2 AND key_hash = $3")
        .bind(to_text(until))
        .bind(kind.code())
        .bind(key_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets the failures for `key_hash`: after a successful sign-in, or an administrator's
/// unlock.
pub async fn clear(conn: &mut Conn, kind: ThrottleKey, key_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE kind = $1 AND key_hash = $2")
        .bind(kind.code())
        .bind(key_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The accounts (by key hash) whose attempts must wait at `now`, with until when.
pub async fn blocked_accounts(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>> {
    let rows = sqlx::query(
        "SELECT key_hash, blocked_until FROM sign_in_throttle
         WHERE kind = $1 AND blocked_until > $2",
    )
    .bind(ThrottleKey::Account.code())
    .bind(to_text(now))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let until: String = r.try_get("blocked_until")?;
            Ok((r.try_get("key_hash")?, parse_time(&until)?))
        })
        .collect()
}

/// Removes failures last seen before `before` whose wait is over: they no longer count.
pub async fn prune(conn: &mut Conn, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM sign_in_throttle
         WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until <= $2)",
    )
    .bind(to_text(before))
    .bind(to_text(now))
    .execute(conn)
    .await?
    .rows_affected())
}
