//! Who viewed a person's data, by every path, from the audit log: their own record, a
//! relative's chronology that showed them, an episode or request they were part of, search
//! results that showed them, and the API. The events about a person name their id (or their
//! episode's or request's) as the record, or list it among those a search or a chronology
//! showed.

use crate::gate::PersonTrail;
use crate::{Conn, Result};
use hearth_domain::audit::AuditAction;
use sqlx::Row;

/// One event in which someone reached the person's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewing {
    pub seq: i64,
    /// As stored (RFC 3339).
    pub at: String,
    pub who: String,
    pub organisation: String,
    pub action: AuditAction,
    pub path: ViewPath,
    pub reason: Option<String>,
}

/// The way the data was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewPath {
    TheirRecord,
    RelativesChronology,
    Episode,
    Request,
    SearchResults,
    Api,
    /// Another kind of record that named them (a subject access request, say).
    Other,
}

impl ViewPath {
    pub fn label(self) -> &'static str {
        match self {
            ViewPath::TheirRecord => "Their own record",
            ViewPath::RelativesChronology => "A relative's chronology",
            ViewPath::Episode => "An episode they are part of",
            ViewPath::Request => "A request for support about them",
            ViewPath::SearchResults => "Search results that showed them",
            ViewPath::Api => "The API",
            ViewPath::Other => "Another record",
        }
    }
}

/// Every event that reached the person the gate opened the trail of, oldest first.
pub async fn of_person(conn: &mut Conn, trail: &PersonTrail) -> Result<Vec<Viewing>> {
    let ids: Vec<String> = trail.ids().iter().map(ToString::to_string).collect();
    let episodes = super::gathered::linked(conn, "episode_people", "episode_id", &ids).await?;
    let requests = super::gathered::linked(conn, "request_people", "request_id", &ids).await?;
    events(conn, &ids, &episodes, &requests).await
}

/// Every event that reached the person (under any of `ids`), their `episodes` or `requests`,
/// oldest first. Searches and chronologies are found by the ids they list as shown.
pub(crate) async fn events(
    conn: &mut Conn,
    ids: &[String],
    episodes: &[String],
    requests: &[String],
) -> Result<Vec<Viewing>> {
    let mut records: Vec<String> = ids.to_vec();
    records.extend(episodes.iter().cloned());
    records.extend(requests.iter().cloned());
    let list = (1..=records.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let likes = (0..ids.len())
        .map(|i| format!("e.detail LIKE ${}", records.len() + i + 1))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT e.seq, e.at, COALESCE(u.display_name, e.actor_label) AS who,
                COALESCE(o.name, '') AS organisation, e.action, e.record_type, e.record_id,
                e.api_token_id, e.reason
         FROM audit_events e LEFT JOIN users u ON u.id = e.actor_user_id
         LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE e.record_id IN ({list})
            OR (e.action IN ('person_searched', 'chronology_viewed') AND ({likes}))
         ORDER BY e.seq"
    );
    let mut q = sqlx::query(&sql);
    for r in &records {
        q = q.bind(r.as_str());
    }
    for id in ids {
        q = q.bind(format!("%{id}%"));
    }
    let rows = q.fetch_all(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let code: String = r.try_get("action")?;
        // Events of kinds this build no longer names are left out, not misread.
        let Some(action) = AuditAction::from_code(&code) else {
            continue;
        };
        let record: Option<String> = r.try_get("record_id")?;
        let api: Option<String> = r.try_get("api_token_id")?;
        let path = match (api, action, record) {
            (Some(_), _, _) => ViewPath::Api,
            (None, AuditAction::PersonSearched, _) => ViewPath::SearchResults,
            (None, AuditAction::ChronologyViewed, Some(p)) if !ids.contains(&p) => {
                ViewPath::RelativesChronology
            }
            (None, _, Some(p)) if ids.contains(&p) => ViewPath::TheirRecord,
            (None, _, Some(e)) if episodes.contains(&e) => ViewPath::Episode,
            (None, _, Some(q)) if requests.contains(&q) => ViewPath::Request,
            _ => ViewPath::Other,
        };
        out.push(Viewing {
            seq: r.try_get("seq")?,
            at: r.try_get("at")?,
            who: r.try_get("who")?,
            organisation: r.try_get("organisation")?,
            action,
            path,
            reason: r.try_get("reason")?,
        });
    }
    Ok(out)
}
