//! Openings the gate remembers for a while: the reason given to open a restricted record, and
//! break-glass. Each has a user, a person, a reason and an end.

use super::Viewer;
use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result};
use chrono::{DateTime, Duration, Utc};
use hearth_domain::ids::PersonId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

pub(super) const REASON: &str = "restricted_reason";
pub(super) const BREAK_GLASS: &str = "break_glass";
/// A reason is at least a short sentence, so a reviewer can judge it later.
pub(super) const MIN_REASON: usize = 10;

pub(super) async fn insert(
    conn: &mut Conn,
    viewer: &Viewer<'_>,
    person: PersonId,
    kind: &str,
    reason: &str,
    minutes: i64,
) -> Result<DateTime<Utc>> {
    let now = viewer.now();
    let until = now + Duration::minutes(minutes);
    sqlx::query(
        "INSERT INTO record_openings (id, kind, user_id, person_id, reason, opened_at, until)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(kind)
    .bind(viewer.user.to_string())
    .bind(person.to_string())
    .bind(reason)
    .bind(to_text(now))
    .bind(to_text(until))
    .execute(conn)
    .await?;
    Ok(until)
}

/// The reason of the user's latest opening of this kind still running, if any.
pub(super) async fn active(
    conn: &mut Conn,
    viewer: &Viewer<'_>,
    person: PersonId,
    kind: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT reason FROM record_openings
         WHERE user_id = $1 AND person_id = $2 AND kind = $3 AND until > $4
         ORDER BY until DESC LIMIT 1",
    )
    .bind(viewer.user.to_string())
    .bind(person.to_string())
    .bind(kind)
    .bind(to_text(viewer.now()))
    .fetch_optional(conn)
    .await?)
}

/// People this user opened with a reason (or broke the glass for) that still holds, among
/// these: one query.
pub(super) async fn with_reason(
    conn: &mut Conn,
    viewer: &Viewer<'_>,
    people: &[PersonId],
) -> Result<Vec<PersonId>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT person_id FROM record_openings
         WHERE user_id = $1 AND until > $2 AND person_id IN ({})",
        crate::family::people::placeholders(people.len(), 3)
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql)
        .bind(viewer.user.to_string())
        .bind(to_text(viewer.now()));
    for p in people {
        q = q.bind(p.to_string());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|id| parse_id(id))
        .collect()
}

/// One use of break-glass, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassUse {
    pub at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub user_name: String,
    pub person: PersonId,
    pub person_name: String,
    pub reason: String,
}

pub(super) async fn break_glass_since(
    conn: &mut Conn,
    since: DateTime<Utc>,
) -> Result<Vec<BreakGlassUse>> {
    let rows = sqlx::query(
        "SELECT o.opened_at, o.until, o.reason, o.person_id, u.display_name,
                p.given_names, p.family_name
         FROM record_openings o
         JOIN users u ON u.id = o.user_id
         JOIN people p ON p.id = o.person_id
         WHERE o.kind = $1 AND o.opened_at >= $2
         ORDER BY o.opened_at DESC LIMIT 1000",
    )
    .bind(BREAK_GLASS)
    .bind(to_text(since))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BreakGlassUse {
                at: parse_time(&r.try_get::<String, _>("opened_at")?)?,
                until: parse_time(&r.try_get::<String, _>("until")?)?,
                user_name: r.try_get("display_name")?,
                person: parse_id(&r.try_get::<String, _>("person_id")?)?,
                person_name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}
