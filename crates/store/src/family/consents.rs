//! Consent records, and the requests shared without consent on a lawful basis.

use crate::decode::{date, opt_date, parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::routing::SharingConsent;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: Uuid,
    pub person_id: PersonId,
    pub given_by: String,
    pub share_with: String,
    pub given_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawn_reason: Option<String>,
    pub recorded_by: String,
}

pub struct NewConsent<'a> {
    pub person: PersonId,
    pub given_by: &'a str,
    pub share_with: &'a str,
    pub given_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

pub async fn insert(
    conn: &mut Conn,
    id: Uuid,
    c: &NewConsent<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (id, person_id, given_by, share_with, given_on, expires_on, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(c.person.to_string())
    .bind(c.given_by)
    .bind(c.share_with)
    .bind(c.given_on.to_string())
    .bind(c.expires_on.map(|d| d.to_string()))
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn withdraw(conn: &mut Conn, id: Uuid, on: NaiveDate, reason: &str) -> Result<PersonId> {
    let person: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM consents WHERE id = $1 AND withdrawn_on IS NULL")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let person = person.ok_or(StoreError::Conflict)?;
    sqlx::query("UPDATE consents SET withdrawn_on = $1, withdrawn_reason = $2 WHERE id = $3")
        .bind(on.to_string())
        .bind(reason)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    parse_id(&person)
}

impl Consent {
    /// Given, and on `today` neither withdrawn nor expired.
    pub fn is_live(&self, today: NaiveDate) -> bool {
        self.withdrawn_on.is_none() && self.expires_on.is_none_or(|e| e >= today)
    }
}

/// Where consent stands for a person on `today`, from their consent records.
pub fn state(records: &[Consent], today: NaiveDate) -> hearth_domain::access::ConsentState {
    use hearth_domain::access::ConsentState;
    if records.iter().any(|c| c.is_live(today)) {
        ConsentState::Given
    } else if records.is_empty() {
        ConsentState::NotRecorded
    } else {
        ConsentState::Withdrawn
    }
}

/// A person's consents, newest first.
pub async fn for_person(conn: &mut Conn, person: PersonId) -> Result<Vec<Consent>> {
    let rows = sqlx::query(
        "SELECT c.id, c.person_id, c.given_by, c.share_with, c.given_on, c.expires_on, c.withdrawn_on, c.withdrawn_reason,
                u.display_name FROM consents c JOIN users u ON u.id = c.recorded_by
         WHERE c.person_id = $1 ORDER BY c.given_on DESC, c.created_at DESC",
    )
    .bind(person.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Consent {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
                given_by: r.try_get("given_by")?,
                share_with: r.try_get("share_with")?,
                given_on: date(&r.try_get::<String, _>("given_on")?)?,
                expires_on: opt_date(r.try_get("expires_on")?)?,
                withdrawn_on: opt_date(r.try_get("withdrawn_on")?)?,
                withdrawn_reason: r.try_get("withdrawn_reason")?,
                recorded_by: r.try_get("display_name")?,
            })
        })
        .collect()
}

/// A request sent without the family's consent, for the data protection officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWithoutConsent {
    pub request_id: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub requester: String,
    pub organisation: String,
    pub consent: Option<SharingConsent>,
    pub lawful_basis: String,
    pub people: String,
}

pub async fn shared_without_consent(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<SharedWithoutConsent>> {
    let rows = sqlx::query(
        "SELECT r.id, r.submitted_at, u.display_name, o.name AS organisation, r.consent, r.lawful_basis
         FROM requests r JOIN users u ON u.id = r.requester_id JOIN organisations o ON o.id = r.requester_organisation_id
         WHERE r.status <> 'draft' AND r.consent <> 'given'
         ORDER BY r.submitted_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let names: Vec<(String, String)> = sqlx::query_as(
            "SELECT p.given_names, p.family_name FROM request_people rp JOIN people p ON p.id = rp.person_id WHERE rp.request_id = $1",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(SharedWithoutConsent {
            request_id: id,
            submitted_at: r
                .try_get::<Option<String>, _>("submitted_at")?
                .as_deref()
                .map(parse_time)
                .transpose()?,
            requester: r.try_get("display_name")?,
            organisation: r.try_get("organisation")?,
            consent: crate::requests::opt_consent(r)?,
            lawful_basis: r
                .try_get::<Option<String>, _>("lawful_basis")?
                .unwrap_or_default(),
            people: names
                .into_iter()
                .map(|(g, f)| format!("{g} {f}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(out)
}

/// A live consent that ends soon, for the data protection officer to have it renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    pub person: String,
    pub share_with: String,
    pub expires_on: NaiveDate,
}

/// Live consents (not withdrawn) that expire from `from` to `until`, soonest first. The
/// caller checks the capability: the list names people.
pub async fn expiring(
    conn: &mut Conn,
    from: NaiveDate,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<Expiring>> {
    let rows = sqlx::query(
        "SELECT p.given_names, p.family_name, c.share_with, c.expires_on
         FROM consents c JOIN people p ON p.id = c.person_id
         WHERE c.withdrawn_on IS NULL AND c.expires_on >= $1 AND c.expires_on <= $2
         ORDER BY c.expires_on, c.id LIMIT $3",
    )
    .bind(from.to_string())
    .bind(until.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Expiring {
                person: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                share_with: r.try_get("share_with")?,
                expires_on: date(&r.try_get::<String, _>("expires_on")?)?,
            })
        })
        .collect()
}
