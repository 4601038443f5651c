//! Requests for support and the front door's decisions on them.

use crate::decode::{code, coded, opt_coded, parse_id, parse_time};
use crate::family::people::placeholders;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::ids::{OrganisationId, PersonId, RequestId, UserId};
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::routing::{
    Outcome, Queue, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedRow {
    pub domain: NeedDomain,
    pub concerns: Vec<Concern>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub decided_by: UserId,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
    pub level: ContinuumLevel,
    /// What was decided, with what each outcome records (the services suggested, the lead,
    /// the targeted service and any override reason, the reason for no further action).
    pub outcome: Outcome,
    pub rationale: String,
    /// The targeted service the rules proposed, where the front door decided.
    pub proposed_service: Option<TargetedService>,
    /// The manager who confirmed a decision that needed it, and when.
    pub confirmed: Option<(String, DateTime<Utc>)>,
}

/// A decision a manager sent back to the front door, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBack {
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: RequestId,
    pub status: RequestStatus,
    pub requester_id: UserId,
    pub requester_name: String,
    pub requester_email: String,
    pub requester_organisation: String,
    pub urgency: Urgency,
    pub safeguarding: bool,
    pub queue: Queue,
    pub family_told: Option<String>,
    /// None while a draft has no answer.
    pub consent: Option<SharingConsent>,
    pub consent_detail: Option<String>,
    pub lawful_basis: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub assigned_to: Option<UserId>,
    pub assigned_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub people: Vec<PersonId>,
    pub needs: Vec<NeedRow>,
    pub decision: Option<DecisionRow>,
    /// The last held decision a manager sent back, if any.
    pub sent_back: Option<SentBack>,
}

/// What the requester fills in.
#[derive(Debug, Clone)]
pub struct RequestFields {
    pub urgency: Urgency,
    pub safeguarding: bool,
    pub queue: Queue,
    pub family_told: Option<String>,
    /// None while a draft has no answer.
    pub consent: Option<SharingConsent>,
    pub consent_detail: Option<String>,
    pub lawful_basis: Option<String>,
    pub people: Vec<PersonId>,
    pub needs: Vec<NeedRow>,
}

const SELECT: &str = "SELECT r.id, r.status, r.requester_id, u.display_name AS requester_name,
        u.email AS requester_email, o.name AS requester_organisation, r.urgency, r.safeguarding,
        r.queue, r.family_told, r.consent, r.consent_detail, r.lawful_basis, r.submitted_at,
        r.assigned_to, a.display_name AS assigned_name, r.created_at, r.version,
        sb.display_name AS sent_back_name, r.sent_back_at, r.sent_back_reason
    FROM requests r
    JOIN users u ON u.id = r.requester_id
    JOIN organisations o ON o.id = r.requester_organisation_id
    LEFT JOIN users a ON a.id = r.assigned_to
    LEFT JOIN users sb ON sb.id = r.sent_back_by";

fn time(row: &AnyRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    row.try_get::<Option<String>, _>(col)?
        .as_deref()
        .map(parse_time)
        .transpose()
}

/// A draft's unanswered consent is stored empty.
pub(crate) fn opt_consent(row: &AnyRow) -> Result<Option<SharingConsent>> {
    match row.try_get::<String, _>("consent")?.as_str() {
        "" => Ok(None),
        c => code(c, SharingConsent::from_code, "consent").map(Some),
    }
}

fn from_row(row: &AnyRow) -> Result<RequestRecord> {
    let assigned: Option<String> = row.try_get("assigned_to")?;
    let sent_back = match (
        row.try_get::<Option<String>, _>("sent_back_name")?,
        time(row, "sent_back_at")?,
        row.try_get::<Option<String>, _>("sent_back_reason")?,
    ) {
        (Some(by_name), Some(at), Some(reason)) => Some(SentBack {
            by_name,
            at,
            reason,
        }),
        _ => None,
    };
    Ok(RequestRecord {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        status: coded(row, "status", RequestStatus::from_code)?,
        requester_id: parse_id(&row.try_get::<String, _>("requester_id")?)?,
        requester_name: row.try_get("requester_name")?,
        requester_email: row.try_get("requester_email")?,
        requester_organisation: row.try_get("requester_organisation")?,
        urgency: coded(row, "urgency", Urgency::from_code)?,
        safeguarding: row.try_get::<i64, _>("safeguarding")? != 0,
        queue: coded(row, "queue", Queue::from_code)?,
        family_told: row.try_get("family_told")?,
        consent: opt_consent(row)?,
        consent_detail: row.try_get("consent_detail")?,
        lawful_basis: row.try_get("lawful_basis")?,
        submitted_at: time(row, "submitted_at")?,
        assigned_to: assigned.as_deref().map(parse_id).transpose()?,
        assigned_name: row.try_get("assigned_name")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
        version: row.try_get("version")?,
        people: Vec::new(),
        needs: Vec::new(),
        decision: None,
        sent_back,
    })
}

async fn replace_parts(conn: &mut Conn, id: RequestId, f: &RequestFields) -> Result<()> {
    for table in ["request_people", "request_needs"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE request_id = $1"))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    for p in &f.people {
        sqlx::query("INSERT INTO request_people (request_id, person_id) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(p.to_string())
            .execute(&mut *conn)
            .await?;
    }
    for n in &f.needs {
        sqlx::query("INSERT INTO request_needs (request_id, domain, concerns, detail) VALUES ($1, $2, $3, $4)")
            .bind(id.to_string())
            .bind(n.domain.code())
            .bind(
                n.concerns
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
                    .join(","),
            )
            .bind(n.detail.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert(
    conn: &mut Conn,
    id: RequestId,
    requester: UserId,
    organisation: OrganisationId,
    f: &RequestFields,
    status: RequestStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let at = to_text(now);
    sqlx::query(
        "INSERT INTO requests (id, status, requester_id, requester_organisation_id, urgency, safeguarding,
            queue, family_told, consent, consent_detail, lawful_basis, submitted_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
    )
    .bind(id.to_string())
    .bind(status.code())
    .bind(requester.to_string())
    .bind(organisation.to_string())
    .bind(f.urgency.code())
    .bind(i64::from(f.safeguarding))
    .bind(f.queue.code())
    .bind(f.family_told.clone())
    .bind(f.consent.map_or("", |c| c.code()))
    .bind(f.consent_detail.clone())
    .bind(f.lawful_basis.clone())
    .bind((status == RequestStatus::Submitted).then(|| at.clone()))
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    replace_parts(conn, id, f).await
}

/// Saves a draft again or submits it, if it is still a draft at `version`.
pub async fn update_draft(
    conn: &mut Conn,
    id: RequestId,
    version: i64,
    f: &RequestFields,
    status: RequestStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let at = to_text(now);
    let done = sqlx::query(
        "UPDATE requests SET status = $1, urgency = $2, safeguarding = $3, queue = $4, family_told = $5,
            consent = $6, consent_detail = $7, lawful_basis = $8, submitted_at = $9,
            version = version + 1, updated_at = $10
         WHERE id = $11 AND version = $12 AND status = $13",
    )
    .bind(status.code())
    .bind(f.urgency.code())
    .bind(i64::from(f.safeguarding))
    .bind(f.queue.code())
    .bind(f.family_told.clone())
    .bind(f.consent.map_or("", |c| c.code()))
    .bind(f.consent_detail.clone())
    .bind(f.lawful_basis.clone())
    .bind((status == RequestStatus::Submitted).then(|| at.clone()))
    .bind(&at)
    .bind(id.to_string())
    .bind(version)
    .bind(RequestStatus::Draft.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    replace_parts(conn, id, f).await
}

async fn load_parts(conn: &mut Conn, records: &mut [RequestRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let list = placeholders(records.len(), 1);
    let ids: Vec<String> = records.iter().map(|r| r.id.to_string()).collect();
    let sql =
        format!("SELECT request_id, person_id FROM request_people WHERE request_id IN ({list})");
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    for (rid, pid) in q.fetch_all(&mut *conn).await? {
        if let Some(r) = records.iter_mut().find(|r| r.id.to_string() == rid) {
            r.people.push(parse_id(&pid)?);
        }
    }
    let sql = format!("SELECT request_id, domain, concerns, detail FROM request_needs WHERE request_id IN ({list}) ORDER BY domain");
    let mut q = sqlx::query_as::<_, (String, String, String, Option<String>)>(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    for (rid, domain, concerns, detail) in q.fetch_all(&mut *conn).await? {
        if let Some(r) = records.iter_mut().find(|r| r.id.to_string() == rid) {
            r.needs.push(NeedRow {
                domain: code(&domain, NeedDomain::from_code, "need domain")?,
                concerns: concerns
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| code(c, Concern::from_code, "concern"))
                    .collect::<Result<_>>()?,
                detail,
            });
        }
    }
    let sql = format!("{DECISION_SELECT} WHERE d.request_id IN ({list})");
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    for row in q.fetch_all(&mut *conn).await? {
        let rid: String = row.try_get("request_id")?;
        if let Some(r) = records.iter_mut().find(|r| r.id.to_string() == rid) {
            r.decision = Some(decision_from_row(&row)?);
        }
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: RequestId) -> Result<RequestRecord> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut records = vec![from_row(&row)?];
    load_parts(conn, &mut records).await?;
    Ok(records.remove(0))
}

const DECISION_SELECT: &str = "SELECT d.request_id, d.decided_by, u.display_name, d.decided_at, d.level, d.outcome,
        d.rationale, d.proposed_service, d.service, d.override_reason, d.signposted_to, d.lead_user_id, d.nfa_reason,
        c.display_name AS confirmed_name, d.confirmed_at
    FROM decisions d JOIN users u ON u.id = d.decided_by LEFT JOIN users c ON c.id = d.confirmed_by";

fn decision_from_row(r: &AnyRow) -> Result<DecisionRow> {
    let number: i64 = r.try_get("level")?;
    Ok(DecisionRow {
        decided_by: parse_id(&r.try_get::<String, _>("decided_by")?)?,
        decided_by_name: r.try_get("display_name")?,
        decided_at: parse_time(&r.try_get::<String, _>("decided_at")?)?,
        level: ContinuumLevel::from_number(number)
            .ok_or_else(|| StoreError::Corrupt(format!("not a level of need: {number}")))?,
        outcome: outcome_from_row(r)?,
        rationale: r.try_get("rationale")?,
        proposed_service: opt_coded(r, "proposed_service", TargetedService::from_code)?,
        confirmed: match (
            r.try_get::<Option<String>, _>("confirmed_name")?,
            time(r, "confirmed_at")?,
        ) {
            (Some(name), Some(at)) => Some((name, at)),
            _ => None,
        },
    })
}

/// An outcome from its code and the column its code needs; a code without it is corrupt.
fn outcome_from_row(r: &AnyRow) -> Result<Outcome> {
    let text = |column: &str| -> Result<String> {
        r.try_get::<Option<String>, _>(column)?
            .ok_or_else(|| StoreError::Corrupt(format!("a decision without its {column}")))
    };
    let outcome: String = r.try_get("outcome")?;
    Ok(match outcome.as_str() {
        "signpost" => Outcome::Signpost {
            suggested: text("signposted_to")?,
        },
        "early_help" => Outcome::OpenEarlyHelp {
            lead: parse_id(&text("lead_user_id")?)?,
        },
        "targeted" => Outcome::OpenTargeted {
            service: code(&text("service")?, TargetedService::from_code, "service")?,
            override_reason: r.try_get("override_reason")?,
        },
        "step_up" => Outcome::StepUpToSocialCare,
        "no_further_action" => Outcome::NoFurtherAction {
            reason: text("nfa_reason")?,
        },
        other => return Err(StoreError::Corrupt(format!("not a known outcome: {other}"))),
    })
}

/// Requests still the front door's (waiting for a decision, or for its confirmation), in the
/// order the front door works: safeguarding first, then the most urgent, then the oldest.
pub async fn queue(
    conn: &mut Conn,
    only_assigned_to: Option<UserId>,
    limit: i64,
) -> Result<Vec<RequestRecord>> {
    let assigned = only_assigned_to.map(|u| u.to_string()).unwrap_or_default();
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.status IN ($1, $2) AND ($3 = '' OR r.assigned_to = $3)
         ORDER BY CASE r.queue WHEN 'safeguarding' THEN 0 ELSE 1 END,
                  CASE r.urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END,
                  r.submitted_at
         LIMIT $4"
    ))
    .bind(RequestStatus::Submitted.code())
    .bind(RequestStatus::AwaitingConfirmation.code())
    .bind(assigned)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    load_parts(conn, &mut records).await?;
    Ok(records)
}

/// The requests a practitioner made, newest first.
pub async fn made_by(conn: &mut Conn, requester: UserId, limit: i64) -> Result<Vec<RequestRecord>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.requester_id = $1 ORDER BY r.created_at DESC LIMIT $2"
    ))
    .bind(requester.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    load_parts(conn, &mut records).await?;
    Ok(records)
}

/// Takes a request for an officer, if nobody has changed it since `version`.
pub async fn assign(
    conn: &mut Conn,
    id: RequestId,
    version: i64,
    to: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE requests SET assigned_to = $1, version = version + 1, updated_at = $2
         WHERE id = $3 AND version = $4 AND status = $5",
    )
    .bind(to.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .bind(RequestStatus::Submitted.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Records the decision if the request is still undecided, as `status` (decided, or held for
/// a manager's confirmation); a second decider gets [`StoreError::Conflict`] and nothing is
/// overwritten.
pub async fn decide(
    conn: &mut Conn,
    id: RequestId,
    d: &DecisionRow,
    status: RequestStatus,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE requests SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(status.code())
    .bind(to_text(d.decided_at))
    .bind(id.to_string())
    .bind(RequestStatus::Submitted.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    // Each outcome fills the one column (two, for a targeted service) that it records.
    let (mut signposted_to, mut lead, mut service, mut override_reason, mut nfa_reason) =
        (None, None, None, None, None);
    match &d.outcome {
        Outcome::Signpost { suggested } => signposted_to = Some(suggested.as_str()),
        Outcome::OpenEarlyHelp { lead: l } => lead = Some(*l),
        Outcome::OpenTargeted {
            service: s,
            override_reason: o,
        } => {
            service = Some(*s);
            override_reason = o.as_deref();
        }
        Outcome::StepUpToSocialCare => {}
        Outcome::NoFurtherAction { reason } => nfa_reason = Some(reason.as_str()),
    }
    sqlx::query(
        "INSERT INTO decisions (request_id, decided_by, decided_at, level, outcome, rationale, proposed_service,
            service, override_reason, signposted_to, lead_user_id, nfa_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(d.decided_by.to_string())
    .bind(to_text(d.decided_at))
    .bind(d.level.number())
    .bind(d.outcome.code())
    .bind(&d.rationale)
    .bind(d.proposed_service.map(|s| s.code()))
    .bind(service.map(|s| s.code()))
    .bind(override_reason)
    .bind(signposted_to)
    .bind(lead.map(|u| u.to_string()))
    .bind(nfa_reason)
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// A manager confirms a held decision: the request is decided. [`StoreError::Conflict`] if it
/// is no longer held (confirmed or sent back by someone else).
pub async fn confirm(conn: &mut Conn, id: RequestId, by: UserId, now: DateTime<Utc>) -> Result<()> {
    let done = sqlx::query(
        "UPDATE requests SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(RequestStatus::Decided.code())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(RequestStatus::AwaitingConfirmation.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    sqlx::query("UPDATE decisions SET confirmed_by = $1, confirmed_at = $2 WHERE request_id = $3")
        .bind(by.to_string())
        .bind(to_text(now))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A manager sends a held decision back: the request waits for the front door again, with
/// the reason, and the held decision is removed (the audit log keeps what it was).
pub async fn send_back(
    conn: &mut Conn,
    id: RequestId,
    by: UserId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE requests SET status = $1, sent_back_by = $2, sent_back_at = $3, sent_back_reason = $4,
            version = version + 1, updated_at = $3
         WHERE id = $5 AND status = $6",
    )
    .bind(RequestStatus::Submitted.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(reason)
    .bind(id.to_string())
    .bind(RequestStatus::AwaitingConfirmation.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    sqlx::query("DELETE FROM decisions WHERE request_id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Other requests about any of these people that are still the front door's.
pub async fn open_about(
    conn: &mut Conn,
    people: &[PersonId],
    except: RequestId,
) -> Result<Vec<RequestRecord>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE r.id <> $1 AND r.status IN ($2, $3) AND r.id IN
            (SELECT request_id FROM request_people WHERE person_id IN ({}))
         ORDER BY r.submitted_at",
        placeholders(people.len(), 4)
    );
    let mut q = sqlx::query(&sql)
        .bind(except.to_string())
        .bind(RequestStatus::Submitted.code())
        .bind(RequestStatus::AwaitingConfirmation.code());
    for p in people {
        q = q.bind(p.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    load_parts(conn, &mut records).await?;
    Ok(records)
}

/// When earlier requests about any of these people were submitted (not counting `except`).
pub async fn earlier_for_people(
    conn: &mut Conn,
    people: &[PersonId],
    except: RequestId,
) -> Result<Vec<DateTime<Utc>>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT r.submitted_at FROM requests r JOIN request_people rp ON rp.request_id = r.id
         WHERE rp.person_id IN ({}) AND r.id <> $1 AND r.submitted_at IS NOT NULL",
        placeholders(people.len(), 2)
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql).bind(except.to_string());
    for p in people {
        q = q.bind(p.to_string());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|t| parse_time(t))
        .collect()
}

/// Whether this person is the subject of a request still the front door's.
pub async fn open_for_person(conn: &mut Conn, person: PersonId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM requests r JOIN request_people rp ON rp.request_id = r.id
         WHERE rp.person_id = $1 AND r.status IN ($2, $3)",
    )
    .bind(person.to_string())
    .bind(RequestStatus::Submitted.code())
    .bind(RequestStatus::AwaitingConfirmation.code())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// How many sent requests about this person rest on a lawful basis rather than consent.
pub async fn lawful_basis_count(conn: &mut Conn, person: PersonId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM requests r JOIN request_people rp ON rp.request_id = r.id
         WHERE rp.person_id = $1 AND r.status <> 'draft' AND r.consent <> 'given' AND r.lawful_basis IS NOT NULL",
    )
    .bind(person.to_string())
    .fetch_one(conn)
    .await?)
}

/// Which of these people are the subject of a request still the front door's.
pub async fn open_for_people(conn: &mut Conn, people: &[PersonId]) -> Result<Vec<PersonId>> {
    let mut out = Vec::new();
    for chunk in people.chunks(200) {
        let sql = format!(
            "SELECT DISTINCT rp.person_id FROM requests r JOIN request_people rp ON rp.request_id = r.id
             WHERE r.status IN ($1, $2) AND rp.person_id IN ({})",
            placeholders(chunk.len(), 3)
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql)
            .bind(RequestStatus::Submitted.code())
            .bind(RequestStatus::AwaitingConfirmation.code());
        for p in chunk {
            q = q.bind(p.to_string());
        }
        for id in q.fetch_all(&mut *conn).await? {
            out.push(parse_id(&id)?);
        }
    }
    Ok(out)
}
