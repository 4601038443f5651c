//! One timeline of everything that happened with a family. Each change that belongs in it
//! adds an entry in the same transaction, indexed by person and time, so a page of a long
//! history is one indexed query.

use crate::decode::{coded, date, parse_id, parse_time};
use crate::family::people::placeholders;
use crate::gate::ChronologyScope;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{NoteKind, NoteVisibility};
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

pub struct NewEntry<'a> {
    /// When it was entered.
    pub at: DateTime<Utc>,
    /// The day it happened, which orders the timeline (a note of last week's visit).
    pub occurred_on: NaiveDate,
    pub kind: EntryKind,
    pub episode: Option<EpisodeId>,
    /// The agency of an entry nobody acted on; an actor is always named with their own.
    pub organisation: Option<OrganisationId>,
    pub actor: Option<UserId>,
    pub summary: String,
    pub record_type: Option<&'a str>,
    pub record_id: Option<String>,
    /// Anyone who may open the family's record, or only the team that owns the episode (a
    /// restricted case note).
    pub visibility: NoteVisibility,
    pub people: &'a [PersonId],
}

pub async fn append(conn: &mut Conn, e: &NewEntry<'_>) -> Result<()> {
    let id = Uuid::now_v7().to_string();
    let at = to_text(e.at);
    let occurred_on = e.occurred_on.to_string();
    let organisation = match e.actor {
        Some(actor) => Some(
            sqlx::query_scalar::<_, String>("SELECT organisation_id FROM users WHERE id = $1")
                .bind(actor.to_string())
                .fetch_one(&mut *conn)
                .await?,
        ),
        None => e.organisation.map(|x| x.to_string()),
    };
    sqlx::query(
        "INSERT INTO chronology (id, at, kind, episode_id, organisation_id, actor_id, summary,
            record_type, record_id, visibility, occurred_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(&at)
    .bind(e.kind.code())
    .bind(e.episode.map(|x| x.to_string()))
    .bind(&organisation)
    .bind(e.actor.map(|x| x.to_string()))
    .bind(&e.summary)
    .bind(e.record_type)
    .bind(&e.record_id)
    .bind(e.visibility.code())
    .bind(&occurred_on)
    .execute(&mut *conn)
    .await?;
    for p in e.people {
        sqlx::query(
            "INSERT INTO chronology_people (entry_id, person_id, at, kind, organisation_id, visibility,
                occurred_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(p.to_string())
        .bind(&at)
        .bind(e.kind.code())
        .bind(&organisation)
        .bind(e.visibility.code())
        .bind(&occurred_on)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it was entered.
    pub at: DateTime<Utc>,
    /// The day it happened.
    pub occurred_on: NaiveDate,
    pub kind: EntryKind,
    pub episode_id: Option<EpisodeId>,
    pub organisation_name: Option<String>,
    pub actor_name: Option<String>,
    pub summary: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub visibility: NoteVisibility,
    /// A case note's kind and whole text (the summary has only its start), for the printed
    /// chronology.
    pub note: Option<(NoteKind, String)>,
}

/// What to show: kinds and an agency to keep (empty keeps all).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kinds: Vec<EntryKind>,
    pub organisation: Option<OrganisationId>,
}

/// The conditions that keep a timeline within what the gate's scope allows, written from
/// parameter `$from` on; returns the SQL and its values.
fn within(scope: &ChronologyScope, from: usize) -> (String, Vec<String>) {
    let mut binds = vec![scope.person().to_string()];
    let mut who = vec![format!("person_id = ${from}")];
    for m in scope.members() {
        binds.push(m.person.to_string());
        binds.push(m.from.to_string());
        // By the day it happened, not the day it was typed in: a note written while they
        // lived together about a day before stays out.
        let mut c = format!(
            "(person_id = ${} AND occurred_on >= ${}",
            from + binds.len() - 2,
            from + binds.len() - 1
        );
        if let Some(to) = m.to {
            binds.push(to.to_string());
            c.push_str(&format!(" AND occurred_on < ${}", from + binds.len() - 1));
        }
        c.push(')');
        who.push(c);
    }
    let mut sql = format!("({})", who.join(" OR "));
    // Owning-team entries only of the episodes this user owns.
    sql.push_str(&format!(" AND (visibility = ${}", from + binds.len()));
    binds.push(NoteVisibility::Taf.code().to_string());
    if !scope.owned_episodes().is_empty() {
        sql.push_str(&format!(
            " OR entry_id IN (SELECT id FROM chronology WHERE episode_id IN ({}))",
            placeholders(scope.owned_episodes().len(), from + binds.len())
        ));
        binds.extend(scope.owned_episodes().iter().map(|e| e.to_string()));
    }
    sql.push(')');
    (sql, binds)
}

/// One page of the timeline the gate's scope allows, newest first, and whether there is more.
pub async fn page(
    conn: &mut Conn,
    scope: &ChronologyScope,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Entry>, bool)> {
    // The page's entry ids come from the (person, time) key of chronology_people alone;
    // only those 50 or so entries are then read in full.
    let (cond, mut binds) = within(scope, 1);
    let mut wanted =
        format!("SELECT DISTINCT entry_id, occurred_on, at FROM chronology_people WHERE {cond}");
    if !filter.kinds.is_empty() {
        let from = binds.len() + 1;
        wanted.push_str(&format!(
            " AND kind IN ({})",
            placeholders(filter.kinds.len(), from)
        ));
        binds.extend(filter.kinds.iter().map(|k| k.code().to_string()));
    }
    if let Some(o) = filter.organisation {
        binds.push(o.to_string());
        wanted.push_str(&format!(" AND organisation_id = ${}", binds.len()));
    }
    wanted.push_str(&format!(
        " ORDER BY occurred_on DESC, at DESC, entry_id DESC LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    ));
    let sql = format!(
        "SELECT c.at, c.occurred_on, c.kind, c.episode_id, o.name AS organisation_name,
            u.display_name, c.summary, c.record_type, c.record_id, c.visibility,
            n.kind AS note_kind, n.body AS note_body
         FROM chronology c
         LEFT JOIN organisations o ON o.id = c.organisation_id
         LEFT JOIN users u ON u.id = c.actor_id
         LEFT JOIN case_notes n ON c.record_type = 'case_note' AND n.id = c.record_id
         WHERE c.id IN (SELECT entry_id FROM ({wanted}) AS page)
         ORDER BY c.occurred_on DESC, c.at DESC, c.id DESC"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    // One more than the page, to know whether there is a next page.
    let rows = q.bind(limit + 1).bind(offset).fetch_all(conn).await?;
    let more = rows.len() as i64 > limit;
    let entries = rows
        .iter()
        .take(limit as usize)
        .map(|r| {
            let episode: Option<String> = r.try_get("episode_id")?;
            Ok(Entry {
                at: parse_time(&r.try_get::<String, _>("at")?)?,
                occurred_on: date(&r.try_get::<String, _>("occurred_on")?)?,
                kind: coded(r, "kind", EntryKind::from_code)?,
                episode_id: episode.as_deref().map(parse_id).transpose()?,
                organisation_name: r.try_get("organisation_name")?,
                actor_name: r.try_get("display_name")?,
                summary: r.try_get("summary")?,
                record_type: r.try_get("record_type")?,
                record_id: r.try_get("record_id")?,
                visibility: coded(r, "visibility", NoteVisibility::from_code)?,
                note: match r.try_get::<Option<String>, _>("note_body")? {
                    Some(body) => Some((coded(r, "note_kind", NoteKind::from_code)?, body)),
                    None => None,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((entries, more))
}

/// The agencies that appear in the timeline the scope allows, for the filter.
pub async fn organisations(
    conn: &mut Conn,
    scope: &ChronologyScope,
) -> Result<Vec<(OrganisationId, String)>> {
    let (cond, binds) = within(scope, 1);
    let sql = format!(
        "SELECT o.id, o.name FROM organisations o WHERE o.id IN
            (SELECT organisation_id FROM chronology_people WHERE {cond})
         ORDER BY o.name"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("id")?)?,
                r.try_get("name")?,
            ))
        })
        .collect()
}

/// Takes out the entry a record made (an attendance marked by mistake and taken off the
/// register), from the timeline and from each person's.
pub async fn remove_record(conn: &mut Conn, record_type: &str, record_id: &str) -> Result<()> {
    sqlx::query(
        "DELETE FROM chronology_people WHERE entry_id IN
            (SELECT id FROM chronology WHERE record_type = $1 AND record_id = $2)",
    )
    .bind(record_type)
    .bind(record_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM chronology WHERE record_type = $1 AND record_id = $2")
        .bind(record_type)
        .bind(record_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
