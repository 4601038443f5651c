//! Families' own requests for help (ADR 0044): the drafts a family's browser holds while they
//! answer, and the requests they send, waiting at the front door until an officer takes them
//! in. A sent request is read only through the gate's desk ([`FamilyAskDesk`],
//! [`OpenedFamilyAsk`]).

use crate::decode::{code, coded, date, parse_id, parse_time};
use crate::gate::{FamilyAskDesk, OpenedFamilyAsk};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::family_ask::{Answers, Asker, Born, Consent, Relation, Worry};
use hearth_domain::ids::{FamilyAskId, PersonId, RequestId};
use hearth_domain::person::DobCertainty;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A draft as stored: the answers so far, or the reference once sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub answers: Answers,
    pub sent_reference: Option<String>,
    pub expires_at: DateTime<Utc>,
}

fn answers_json(a: &Answers) -> Result<String> {
    serde_json::to_string(a).map_err(|e| StoreError::Corrupt(format!("answers: {e}")))
}

pub async fn insert_draft(
    conn: &mut Conn,
    token_hash: &str,
    answers: &Answers,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO family_ask_drafts (token_hash, answers, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(answers_json(answers)?)
    .bind(to_text(now))
    .bind(to_text(expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The draft behind a token's hash, if it has not expired.
pub async fn draft(conn: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Draft>> {
    let row = sqlx::query(
        "SELECT answers, sent_reference, expires_at FROM family_ask_drafts
         WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_text(now))
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let text: String = row.try_get("answers")?;
        Ok(Draft {
            answers: serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("draft answers: {e}")))?,
            sent_reference: row.try_get("sent_reference")?,
            expires_at: parse_time(&row.try_get::<String, _>("expires_at")?)?,
        })
    })
    .transpose()
}

pub async fn update_draft(conn: &mut Conn, token_hash: &str, answers: &Answers) -> Result<()> {
    let done = sqlx::query(
        "UPDATE family_ask_drafts SET answers = $1 WHERE token_hash = $2 AND sent_reference IS NULL",
    )
    .bind(answers_json(answers)?)
    .bind(token_hash)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Marks a draft sent: its answers are emptied, only the reference stays for the
/// confirmation page until the draft expires.
pub async fn mark_sent(conn: &mut Conn, token_hash: &str, reference: &str) -> Result<()> {
    sqlx::query(
        "UPDATE family_ask_drafts SET answers = $1, sent_reference = $2 WHERE token_hash = $3",
    )
    .bind(answers_json(&Answers::default())?)
    .bind(reference)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes every draft that expired before `now`.
pub async fn prune_drafts(conn: &mut Conn, now: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM family_ask_drafts WHERE expires_at <= $1")
            .bind(to_text(now))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Where a family's request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskStatus {
    Waiting,
    TakenIn,
}

impl AskStatus {
    pub fn code(self) -> &'static str {
        match self {
            AskStatus::Waiting => "waiting",
            AskStatus::TakenIn => "taken_in",
        }
    }

    pub fn from_code(c: &str) -> Option<Self> {
        [AskStatus::Waiting, AskStatus::TakenIn]
            .into_iter()
            .find(|s| s.code() == c)
    }
}

/// What the family sent, to be written.
pub struct NewAsk<'a> {
    pub id: FamilyAskId,
    pub reference: &'a str,
    pub answers: &'a Answers,
    /// The language the pages were read in.
    pub asked_in: &'a str,
    pub received_at: DateTime<Utc>,
    pub today: NaiveDate,
}

/// A person the family named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskPerson {
    pub position: i64,
    pub name: String,
    pub dob: NaiveDate,
    pub certainty: DobCertainty,
    pub born: Born,
    pub relation: Relation,
    /// The record they were linked to when taken in.
    pub person: Option<PersonId>,
}

/// A family's request, as the front door reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyAsk {
    pub id: FamilyAskId,
    pub reference: String,
    pub status: AskStatus,
    pub asker: Asker,
    pub worry: String,
    pub worries: Vec<Worry>,
    pub postcode: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub safe_to_text: Option<bool>,
    pub safe_to_leave_message: Option<bool>,
    pub safe_times: String,
    pub language: String,
    pub language_other: String,
    pub consent: Consent,
    pub asked_in: String,
    pub received_at: DateTime<Utc>,
    pub request: Option<RequestId>,
    pub version: i64,
    pub people: Vec<AskPerson>,
}

fn flag(v: Option<bool>) -> Option<i64> {
    v.map(i64::from)
}

pub async fn insert(conn: &mut Conn, a: &NewAsk<'_>) -> Result<()> {
    let ans = a.answers;
    let consent = ans
        .consent
        .ok_or_else(|| StoreError::Corrupt("a request sent without consent".into()))?;
    let asker = ans
        .asker
        .ok_or_else(|| StoreError::Corrupt("a request sent without who asked".into()))?;
    sqlx::query(
        "INSERT INTO family_asks (id, reference, status, asker, worry, worries, postcode, address,
            phone, email, safe_to_text, safe_to_leave_message, safe_times, language,
            language_other, consent, asked_in, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(a.id.to_string())
    .bind(a.reference)
    .bind(AskStatus::Waiting.code())
    .bind(asker.code())
    .bind(&ans.worry)
    .bind(
        ans.worries
            .iter()
            .map(|w| w.code())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .bind(&ans.postcode)
    .bind(&ans.address)
    .bind(&ans.phone)
    .bind(&ans.email)
    .bind(flag(ans.safe_to_text))
    .bind(flag(ans.safe_to_leave_message))
    .bind(&ans.safe_times)
    .bind(&ans.language)
    .bind(&ans.language_other)
    .bind(consent.code())
    .bind(a.asked_in)
    .bind(to_text(a.received_at))
    .execute(&mut *conn)
    .await?;
    for (i, p) in ans.people.iter().enumerate() {
        let (dob, certainty) = p.born.date_of_birth(a.today);
        let born_as = match p.born {
            Born::On(_) => "on".to_string(),
            Born::Aged(y) => format!("aged {y}"),
            Born::Due(_) => "due".to_string(),
        };
        sqlx::query(
            "INSERT INTO family_ask_people (ask_id, position, name, dob, dob_certainty, born_as, relation)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(a.id.to_string())
        .bind(i as i64)
        .bind(&p.name)
        .bind(dob.to_string())
        .bind(certainty.code())
        .bind(born_as)
        .bind(p.relation.code())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn exists(conn: &mut Conn, id: FamilyAskId) -> Result<bool> {
    Ok(sqlx::query("SELECT id FROM family_asks WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .is_some())
}

const SELECT: &str = "SELECT id, reference, status, asker, worry, worries, postcode, address,
        phone, email, safe_to_text, safe_to_leave_message, safe_times, language, language_other,
        consent, asked_in, received_at, request_id, version
    FROM family_asks";

fn opt_flag(row: &AnyRow, col: &str) -> Result<Option<bool>> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
}

fn from_row(row: &AnyRow) -> Result<FamilyAsk> {
    let worries: String = row.try_get("worries")?;
    Ok(FamilyAsk {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        reference: row.try_get("reference")?,
        status: coded(row, "status", AskStatus::from_code)?,
        asker: coded(row, "asker", Asker::from_code)?,
        worry: row.try_get("worry")?,
        worries: worries
            .split_whitespace()
            .map(|w| code(w, Worry::from_code, "worry"))
            .collect::<Result<_>>()?,
        postcode: row.try_get("postcode")?,
        address: row.try_get("address")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        safe_to_text: opt_flag(row, "safe_to_text")?,
        safe_to_leave_message: opt_flag(row, "safe_to_leave_message")?,
        safe_times: row.try_get("safe_times")?,
        language: row.try_get("language")?,
        language_other: row.try_get("language_other")?,
        consent: coded(row, "consent", Consent::from_code)?,
        asked_in: row.try_get("asked_in")?,
        received_at: parse_time(&row.try_get::<String, _>("received_at")?)?,
        request: row
            .try_get::<Option<String>, _>("request_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        version: row.try_get("version")?,
        people: Vec::new(),
    })
}

async fn with_people(conn: &mut Conn, mut ask: FamilyAsk) -> Result<FamilyAsk> {
    let rows = sqlx::query(
        "SELECT position, name, dob, dob_certainty, born_as, relation, person_id
         FROM family_ask_people WHERE ask_id = $1 ORDER BY position",
    )
    .bind(ask.id.to_string())
    .fetch_all(conn)
    .await?;
    for row in rows {
        let dob = date(&row.try_get::<String, _>("dob")?)?;
        let certainty = coded(&row, "dob_certainty", DobCertainty::from_code)?;
        let born_as: String = row.try_get("born_as")?;
        let born = match (certainty, born_as.strip_prefix("aged ")) {
            (DobCertainty::Expected, _) => Born::Due(dob),
            (_, Some(y)) => Born::Aged(
                y.parse()
                    .map_err(|_| StoreError::Corrupt(format!("not an age: {y}")))?,
            ),
            _ => Born::On(dob),
        };
        ask.people.push(AskPerson {
            position: row.try_get("position")?,
            name: row.try_get("name")?,
            dob,
            certainty,
            born,
            relation: coded(&row, "relation", Relation::from_code)?,
            person: row
                .try_get::<Option<String>, _>("person_id")?
                .as_deref()
                .map(parse_id)
                .transpose()?,
        });
    }
    Ok(ask)
}

/// The requests waiting at the front door, oldest first.
pub async fn waiting(conn: &mut Conn, _desk: &FamilyAskDesk, limit: i64) -> Result<Vec<FamilyAsk>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE status = $1 ORDER BY received_at, id LIMIT $2"
    ))
    .bind(AskStatus::Waiting.code())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(with_people(conn, from_row(row)?).await?);
    }
    Ok(out)
}

/// How many wait at the front door: the queue page's count, which names nobody.
pub async fn waiting_count(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM family_asks WHERE status = $1")
            .bind(AskStatus::Waiting.code())
            .fetch_one(conn)
            .await?,
    )
}

pub async fn get(conn: &mut Conn, opened: &OpenedFamilyAsk) -> Result<FamilyAsk> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(opened.id().to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    with_people(conn, from_row(&row)?).await
}

/// The family's request a request for support was taken in from, for the front door.
pub async fn for_request(
    conn: &mut Conn,
    _desk: &FamilyAskDesk,
    request: RequestId,
) -> Result<Option<FamilyAsk>> {
    let row = sqlx::query(&format!("{SELECT} WHERE request_id = $1"))
        .bind(request.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(with_people(conn, from_row(&row)?).await?)),
        None => Ok(None),
    }
}

/// Records that the request was taken in as `request`, each person linked to a record. A
/// request someone else took in first (its version moved on) is a conflict.
pub async fn take_in(
    conn: &mut Conn,
    opened: &OpenedFamilyAsk,
    version: i64,
    request: RequestId,
    links: &[(i64, PersonId)],
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE family_asks SET status = $1, request_id = $2, taken_in_by = $3, taken_in_at = $4,
            version = version + 1
         WHERE id = $5 AND version = $6 AND status = $7",
    )
    .bind(AskStatus::TakenIn.code())
    .bind(request.to_string())
    .bind(opened.officer().to_string())
    .bind(to_text(now))
    .bind(opened.id().to_string())
    .bind(version)
    .bind(AskStatus::Waiting.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    for (position, person) in links {
        sqlx::query(
            "UPDATE family_ask_people SET person_id = $1 WHERE ask_id = $2 AND position = $3",
        )
        .bind(person.to_string())
        .bind(opened.id().to_string())
        .bind(*position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
