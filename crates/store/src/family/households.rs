//! Households over time: who lives with whom, and how they are related.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::gate::OpenedPerson;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{HouseholdId, PersonId};
use hearth_domain::person::HouseholdRelationship;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The membership itself (one person's time in one household).
    pub membership_id: String,
    pub household_id: HouseholdId,
    pub person_id: PersonId,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub relationship: HouseholdRelationship,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

pub async fn create(
    conn: &mut Conn,
    id: HouseholdId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO households (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(name)
        .bind(to_text(now))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn add_member(
    conn: &mut Conn,
    household: HouseholdId,
    person: PersonId,
    relationship: HouseholdRelationship,
    from: NaiveDate,
) -> Result<()> {
    // One current membership per person and household, kept by a partial unique index: of
    // two joins at once, the second inserts nothing and is told it is a duplicate.
    let done = sqlx::query(
        "INSERT INTO household_members (id, household_id, person_id, relationship, from_date) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(household.to_string())
    .bind(person.to_string())
    .bind(relationship.code())
    .bind(from.to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::Duplicate);
    }
    Ok(())
}

/// Everyone who has lived in the households this person is in now, current members first
/// (the person opened through the gate).
pub async fn family_of(conn: &mut Conn, opened: &OpenedPerson) -> Result<Vec<Member>> {
    let person = opened.id();
    let rows = sqlx::query(
        "SELECT m.id, m.household_id, m.person_id, p.given_names, p.family_name, p.dob, m.relationship, m.from_date, m.to_date
         FROM household_members m JOIN people p ON p.id = m.person_id
         WHERE m.household_id IN (SELECT household_id FROM household_members WHERE person_id = $1 AND to_date IS NULL)
         ORDER BY CASE WHEN m.to_date IS NULL THEN 0 ELSE 1 END, p.dob",
    )
    .bind(person.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                membership_id: r.try_get("id")?,
                household_id: parse_id(&r.try_get::<String, _>("household_id")?)?,
                person_id: parse_id(&r.try_get::<String, _>("person_id")?)?,
                given_names: r.try_get("given_names")?,
                family_name: r.try_get("family_name")?,
                dob: opt_date(r.try_get("dob")?)?,
                relationship: coded(r, "relationship", HouseholdRelationship::from_code)?,
                from_date: date(&r.try_get::<String, _>("from_date")?)?,
                to_date: opt_date(r.try_get("to_date")?)?,
            })
        })
        .collect()
}

/// The household a person lives in now, if any.
pub async fn current_household(conn: &mut Conn, person: PersonId) -> Result<Option<HouseholdId>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT household_id FROM household_members WHERE person_id = $1 AND to_date IS NULL ORDER BY from_date DESC LIMIT 1",
    )
    .bind(person.to_string())
    .fetch_optional(conn)
    .await?;
    id.as_deref().map(parse_id).transpose()
}

/// Ends a membership on `on` (someone moved out); nothing is deleted. Returns the person whose
/// membership it was, or `None` when it had already ended or does not exist.
pub async fn end_membership(
    conn: &mut Conn,
    opened: &OpenedPerson,
    membership: &str,
    on: NaiveDate,
) -> Result<Option<PersonId>> {
    // Only a membership of a household the opened person lives in now.
    let person: Option<String> = sqlx::query_scalar(
        "SELECT person_id FROM household_members WHERE id = $1 AND to_date IS NULL
           AND household_id IN (SELECT household_id FROM household_members WHERE person_id = $2 AND to_date IS NULL)",
    )
    .bind(membership)
    .bind(opened.id().to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(person) = person else {
        return Ok(None);
    };
    sqlx::query("UPDATE household_members SET to_date = $1 WHERE id = $2")
        .bind(on.to_string())
        .bind(membership)
        .execute(conn)
        .await?;
    Ok(Some(parse_id(&person)?))
}
