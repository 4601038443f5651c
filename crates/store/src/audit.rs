//! The audit log: append-only and chained with a keyed hash (see `hearth_domain::audit`).

use crate::decode::{coded, parse_time};
use crate::sql::escape_like;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::audit::{
    keyed_chain_hash, Anchor, AuditAction, AuditKey, AuditKeyRing, ChainBreak, ChainVerifier,
    ChainedFields, NewAuditEvent,
};
use hearth_domain::ids::AuditEventId;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::OnceLock;

/// The audit keys of this process. The key is configuration of the whole process, like its
/// log: installed once at start-up rather than carried by every transaction, so the many use
/// cases that append keep their one-line call.
static KEYS: OnceLock<AuditKeyRing> = OnceLock::new();

/// Installs the audit keys for this process. Installing the same current key again is
/// harmless (tests share one); a different one is refused, since events already signed would
/// not match the process's idea of its key.
pub fn install_keys(keys: AuditKeyRing) -> Result<()> {
    let current = keys.current().id().to_string();
    let installed = KEYS.get_or_init(|| keys);
    if installed.current().id() == current {
        Ok(())
    } else {
        Err(StoreError::AuditKey(format!(
            "audit key {} is already in use by this process, not {current}",
            installed.current().id()
        )))
    }
}

/// The audit keys installed for this process.
pub fn keys() -> Result<&'static AuditKeyRing> {
    KEYS.get().ok_or_else(|| {
        StoreError::AuditKey("no audit key is installed: events cannot be signed".into())
    })
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<String>,
    pub actor_label: String,
    pub action: AuditAction,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub ip: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub api_token_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The key that signed the event; `None` for events from before the key existed.
    pub key_id: Option<String>,
    /// The time exactly as the chain signed it (the typed `at` is read from it).
    signed_at: String,
}

impl AuditEvent {
    /// The fields the chain protects.
    pub fn chained(&self) -> ChainedFields<'_> {
        ChainedFields {
            seq: self.seq,
            id: &self.id,
            at: &self.signed_at,
            actor_user_id: self.actor_user_id.as_deref(),
            actor_label: &self.actor_label,
            action: self.action.code(),
            record_type: self.record_type.as_deref(),
            record_id: self.record_id.as_deref(),
            ip: self.ip.as_deref(),
            reason: self.reason.as_deref(),
            detail: self.detail.as_deref(),
            api_token_id: self.api_token_id.as_deref(),
        }
    }
}

const COLUMNS: &str = "seq, id, at, actor_user_id, actor_label, action, record_type, record_id,
    ip, reason, detail, prev_hash, hash, api_token_id, key_id";

fn from_row(row: &AnyRow) -> Result<AuditEvent> {
    let signed_at: String = row.try_get("at")?;
    Ok(AuditEvent {
        seq: row.try_get("seq")?,
        id: row.try_get("id")?,
        at: parse_time(&signed_at)?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_label: row.try_get("actor_label")?,
        action: coded(row, "action", AuditAction::from_code)?,
        record_type: row.try_get("record_type")?,
        record_id: row.try_get("record_id")?,
        ip: row.try_get("ip")?,
        reason: row.try_get("reason")?,
        detail: row.try_get("detail")?,
        api_token_id: row.try_get("api_token_id")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
        key_id: row.try_get("key_id")?,
        signed_at,
    })
}

/// The chained fields of an event about to be given its place `seq`.
fn chained<'a>(seq: i64, id: &'a str, at: &'a str, event: &'a NewAuditEvent) -> ChainedFields<'a> {
    ChainedFields {
        seq,
        id,
        at,
        actor_user_id: event.actor_user_id.as_deref(),
        actor_label: &event.actor_label,
        action: event.action.code(),
        record_type: event.record_type,
        record_id: event.record_id.as_deref(),
        ip: event.ip.as_deref(),
        reason: event.reason.as_deref(),
        detail: event.detail.as_deref(),
        api_token_id: event.api_token_id.as_deref(),
    }
}

/// Appends an event at the end of the chain, signed with the process's audit key. Call it
/// inside the transaction that makes the change, so that the change and its record commit
/// together. Bumping the head row first takes its row lock, which queues concurrent appenders
/// (on PostgreSQL; SQLite has one writer anyway), so the chain never forks.
pub async fn append(conn: &mut Conn, event: &NewAuditEvent) -> Result<i64> {
    append_signed(conn, keys()?.current(), event).await
}

/// [`append`] with a given key (rotation tests write with one key, then another).
pub async fn append_signed(conn: &mut Conn, key: &AuditKey, event: &NewAuditEvent) -> Result<i64> {
    // Taking the next number locks the head until commit, so the chain has one order; one
    // round trip fewer while holding it (every audited request waits on this row).
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let id = AuditEventId::new().to_string();
    let at = to_text(event.at);
    let fields = chained(seq, &id, &at, event);
    let hash = keyed_chain_hash(key, &prev_hash, &fields);
    let insert = format!(
        "INSERT INTO audit_events ({COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    );
    // On PostgreSQL the event and the head's new hash are one statement, one round trip fewer
    // while the head is locked (under load, appenders queue on it). SQLite has no INSERT inside
    // WITH, and with its one writer nobody queues on the head.
    let one_statement = conn.backend_name() == "PostgreSQL";
    let sql = if one_statement {
        format!("WITH event AS ({insert}) UPDATE audit_head SET hash = $13 WHERE id = 1")
    } else {
        insert
    };
    sqlx::query(&sql)
        .bind(seq)
        .bind(&id)
        .bind(&at)
        .bind(fields.actor_user_id)
        .bind(fields.actor_label)
        .bind(fields.action)
        .bind(fields.record_type)
        .bind(fields.record_id)
        .bind(fields.ip)
        .bind(fields.reason)
        .bind(fields.detail)
        .bind(&prev_hash)
        .bind(&hash)
        .bind(fields.api_token_id)
        .bind(key.id())
        .execute(&mut *conn)
        .await?;
    if !one_statement {
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(seq)
}

/// Appends many events at the end of the chain in one go (synthetic history at city scale),
/// each chained and signed exactly as [`append`] does. Ids are supplied so a
/// generator seeded the same way writes the same log.
pub async fn append_many(
    conn: &mut Conn,
    engine: crate::Engine,
    events: &[(AuditEventId, NewAuditEvent)],
) -> Result<()> {
    use crate::bulk::{Kind, Table};
    use serde_json::json;
    const EVENTS: Table = Table {
        name: "audit_events",
        columns: &[
            ("seq", Kind::Int),
            ("id", Kind::Text),
            ("at", Kind::Text),
            ("actor_user_id", Kind::Text),
            ("actor_label", Kind::Text),
            ("action", Kind::Text),
            ("record_type", Kind::Text),
            ("record_id", Kind::Text),
            ("ip", Kind::Text),
            ("reason", Kind::Text),
            ("detail", Kind::Text),
            ("prev_hash", Kind::Text),
            ("hash", Kind::Text),
            ("api_token_id", Kind::Text),
            ("key_id", Kind::Text),
        ],
    };
    let key = keys()?.current();
    if events.is_empty() {
        return Ok(());
    }
    let (head, mut prev_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    let mut rows = Vec::with_capacity(events.len());
    let mut seq = head;
    for (id, event) in events {
        seq += 1;
        let id = id.to_string();
        let at = to_text(event.at);
        let hash = keyed_chain_hash(key, &prev_hash, &chained(seq, &id, &at, event));
        rows.push(json!([
            seq,
            id,
            at,
            event.actor_user_id,
            event.actor_label,
            event.action.code(),
            event.record_type,
            event.record_id,
            event.ip,
            event.reason,
            event.detail,
            prev_hash,
            hash,
            event.api_token_id,
            key.id(),
        ]));
        prev_hash = hash;
    }
    EVENTS.insert(conn, engine, &rows).await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What to look for in the log. All given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Who the events are by or about: a name, part of an email address, or an id. The use
    /// case resolves names to the ids of users and people (and those people's episodes);
    /// events match by their actor's label, or by those ids as actor or record.
    pub who: Option<String>,
    /// A record's id.
    pub record_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    /// Only events before this sequence number (the next, older page).
    pub before_seq: Option<i64>,
    /// Only events after this sequence number (the previous, newer page).
    pub after_seq: Option<i64>,
}

/// Newest first, at most `limit`; `who_ids` are the ids `q.who` names. With `after_seq`, the
/// `limit` events just after it (still newest first).
pub async fn search(
    conn: &mut Conn,
    q: &AuditQuery,
    who_ids: &[String],
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut args: Vec<String> = Vec::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("${}", args.len())
    };
    let mut clauses = Vec::new();
    if let Some(who) = &q.who {
        let label = arg(format!("%{}%", escape_like(&who.to_lowercase())));
        let mut any = vec![format!("LOWER(actor_label) LIKE {label} ESCAPE '\\'")];
        if !who_ids.is_empty() {
            let list: Vec<String> = who_ids.iter().map(|id| arg(id.clone())).collect();
            let list = list.join(", ");
            any.push(format!("actor_user_id IN ({list})"));
            any.push(format!("record_id IN ({list})"));
        }
        clauses.push(format!("({})", any.join(" OR ")));
    }
    if let Some(r) = &q.record_id {
        clauses.push(format!("record_id = {}", arg(r.clone())));
    }
    if let Some(a) = &q.action {
        clauses.push(format!("action = {}", arg(a.clone())));
    }
    if let Some(f) = q.from {
        clauses.push(format!("at >= {}", arg(to_text(f))));
    }
    if let Some(t) = q.to {
        clauses.push(format!("at < {}", arg(to_text(t))));
    }
    // Sequence numbers and the limit are numbers we hold, written into the statement.
    if let Some(b) = q.before_seq {
        clauses.push(format!("seq < {b}"));
    }
    if let Some(a) = q.after_seq {
        clauses.push(format!("seq > {a}"));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let order = if q.after_seq.is_some() { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events {where_} ORDER BY seq {order} LIMIT {}",
        limit.max(0)
    );
    let mut query = sqlx::query(&sql);
    for a in &args {
        query = query.bind(a.as_str());
    }
    let rows = query.fetch_all(conn).await?;
    let mut events = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    if q.after_seq.is_some() {
        events.reverse();
    }
    Ok(events)
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { events: i64 },
    Broken(ChainBreak),
}

/// Reads the whole log in order, a batch at a time, and checks every link with the keys and
/// against the anchors written outside the database (in the order of their file).
pub async fn verify(
    conn: &mut Conn,
    keys: &AuditKeyRing,
    anchors: Vec<Anchor>,
) -> Result<Verification> {
    const BATCH: i64 = 2000;
    let mut verifier = match ChainVerifier::new(keys, anchors) {
        Ok(v) => v,
        Err(b) => return Ok(Verification::Broken(b)),
    };
    let mut after = 0_i64;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            // Hearth never writes a time or an action it cannot read back: one that does not
            // decode was put there by hand.
            let e = match from_row(row) {
                Err(StoreError::Corrupt(_)) => {
                    return Ok(Verification::Broken(ChainBreak::Altered {
                        seq: row.try_get("seq")?,
                        id: row.try_get("id")?,
                    }))
                }
                other => other?,
            };
            if let Err(b) = verifier.check(&e.chained(), e.key_id.as_deref(), &e.prev_hash, &e.hash)
            {
                return Ok(Verification::Broken(b));
            }
            after = e.seq;
        }
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::Corrupt("the audit head row is missing".into()))?;
    Ok(match verifier.finish(head_seq, &head_hash) {
        Ok(events) => Verification::Intact { events },
        Err(b) => Verification::Broken(b),
    })
}

/// The head of the chain now, to anchor outside the database. A plain read: it does not wait
/// for appenders holding the head's lock, and sees only committed events.
pub async fn head(conn: &mut Conn, at: DateTime<Utc>) -> Result<Anchor> {
    let (seq, hash, key_id): (i64, String, Option<String>) = sqlx::query_as(
        "SELECT h.seq, h.hash, e.key_id FROM audit_head h
         LEFT JOIN audit_events e ON e.seq = h.seq WHERE h.id = 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::Corrupt("the audit head row is missing".into()))?;
    Ok(Anchor {
        seq,
        hash,
        key_id,
        at,
    })
}
