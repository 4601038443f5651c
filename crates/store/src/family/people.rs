//! People, their names over time, their addresses, and the candidates find-before-create
//! considers.

use super::blocking::rules;
pub use super::blocking::{Blocking, NameKeys, NamePrefix};
use crate::decode::{code, opt_coded, opt_date, parse_id, parse_time};
use crate::gate::OpenedPerson;
use crate::sql::escape_like;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::person::{ContactChoice, DobCertainty, Ethnicity, SafeAnswer, Sex};
use hearth_domain::role::Role;
use hearth_domain::safe_contact::{may_text, SafeHours, TextRefusal};
use hearth_domain::sms::MobileNumber;
use hearth_domain::time::to_text;
use hearth_linkage::dob::Dob;
use hearth_linkage::find::Candidate;
use hearth_linkage::search_keys::{family_key, given_key, normalise, postcode_key};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub dob_certainty: Option<DobCertainty>,
    pub sex: Option<Sex>,
    /// In the person's own words: not a list to choose from.
    pub gender: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub first_language: Option<String>,
    pub interpreter_needed: bool,
    pub send: Option<String>,
    pub disability: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub restricted: bool,
    /// The roles that may see restricted details.
    pub restriction_roles: Vec<Role>,
    pub restriction_reason: Option<String>,
    /// How to reach them safely (ADR 0050); withheld with the phone by a restriction.
    pub contact: SafeContact,
    pub version: i64,
}

/// How a person may be reached safely: read from the record, typed as far as the domain
/// types them (a stored value that does not read is corrupt, never dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeContact {
    pub mobile: Option<MobileNumber>,
    pub safe_to_text: Option<SafeAnswer>,
    pub safe_to_leave_message: Option<SafeAnswer>,
    pub safe_hours: Option<SafeHours>,
    pub contact_by: Option<ContactChoice>,
}

impl SafeContact {
    /// Whether a text may be sent to them (a mobile, texting safe, text among their choices).
    pub fn may_text(&self) -> std::result::Result<&MobileNumber, TextRefusal> {
        may_text(self.mobile.is_some(), self.safe_to_text, self.contact_by)?;
        self.mobile.as_ref().ok_or(TextRefusal::NoMobile)
    }
}

/// What a practitioner records about a person.
#[derive(Debug, Clone, Default)]
pub struct PersonFields {
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub dob_certainty: Option<DobCertainty>,
    pub sex: Option<Sex>,
    /// In the person's own words: not a list to choose from.
    pub gender: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub first_language: Option<String>,
    pub interpreter_needed: bool,
    pub send: Option<String>,
    pub disability: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub restricted: bool,
    pub restriction_roles: Vec<Role>,
    pub restriction_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub town: Option<String>,
    pub postcode: String,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherName {
    pub given_names: String,
    pub family_name: String,
    pub kind: String,
}

const COLUMNS: &str = "id, given_names, family_name, dob, dob_certainty, sex, gender, ethnicity,
    first_language, interpreter_needed, send, disability, nhs_number, upn, phone, email,
    restricted, restriction_roles, restriction_reason, version, mobile, safe_to_text,
    safe_to_leave_message, safe_hours, contact_by";

/// The role codes a restriction names, stored comma-separated; one that is not a role is
/// corrupt, never dropped (dropping it would hide details from someone meant to see them).
fn restriction_roles(stored: Option<String>) -> Result<Vec<Role>> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| code(r, |c| c.parse().ok(), "restriction role"))
        .collect()
}

fn from_row(row: &AnyRow) -> Result<Person> {
    Ok(Person {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        given_names: row.try_get("given_names")?,
        family_name: row.try_get("family_name")?,
        dob: opt_date(row.try_get("dob")?)?,
        dob_certainty: opt_coded(row, "dob_certainty", DobCertainty::from_code)?,
        sex: opt_coded(row, "sex", Sex::from_code)?,
        gender: row.try_get("gender")?,
        ethnicity: opt_coded(row, "ethnicity", Ethnicity::from_code)?,
        first_language: row.try_get("first_language")?,
        interpreter_needed: row.try_get::<i64, _>("interpreter_needed")? != 0,
        send: row.try_get("send")?,
        disability: row.try_get("disability")?,
        nhs_number: row.try_get("nhs_number")?,
        upn: row.try_get("upn")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        restricted: row.try_get::<i64, _>("restricted")? != 0,
        restriction_roles: restriction_roles(row.try_get("restriction_roles")?)?,
        restriction_reason: row.try_get("restriction_reason")?,
        contact: SafeContact {
            mobile: row
                .try_get::<Option<String>, _>("mobile")?
                .map(|m| code(&m, |c| MobileNumber::parse(c).ok(), "mobile"))
                .transpose()?,
            safe_to_text: opt_coded(row, "safe_to_text", SafeAnswer::from_code)?,
            safe_to_leave_message: opt_coded(row, "safe_to_leave_message", SafeAnswer::from_code)?,
            safe_hours: row
                .try_get::<Option<String>, _>("safe_hours")?
                .map(|h| code(&h, SafeHours::from_code, "safe hours"))
                .transpose()?,
            contact_by: opt_coded(row, "contact_by", ContactChoice::from_code)?,
        },
        version: row.try_get("version")?,
    })
}

/// Sets how a new person may be reached, from what the family said when they asked for help
/// themselves (the front door's taking in, in the transaction that adds them).
pub async fn set_safe_contact(conn: &mut Conn, person: PersonId, c: &SafeContact) -> Result<()> {
    sqlx::query(
        "UPDATE people SET mobile = $1, safe_to_text = $2, safe_to_leave_message = $3,
            safe_hours = $4, contact_by = $5 WHERE id = $6",
    )
    .bind(c.mobile.as_ref().map(|m| m.e164().to_string()))
    .bind(c.safe_to_text.map(|a| a.code()))
    .bind(c.safe_to_leave_message.map(|a| a.code()))
    .bind(c.safe_hours.map(|h| h.code()))
    .bind(c.contact_by.map(|a| a.code()))
    .bind(person.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert(
    conn: &mut Conn,
    id: PersonId,
    f: &PersonFields,
    created_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let now = to_text(now);
    sqlx::query(
        "INSERT INTO people (id, given_names, family_name, family_key, given_key, family_lower,
            given_lower, dob, dob_certainty, sex, gender, ethnicity, first_language,
            interpreter_needed, send, disability, nhs_number, upn, phone, email, restricted,
            restriction_roles, restriction_reason, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20, $21, $22, $23, 1, $24, $25, $25)",
    )
    .bind(id.to_string())
    .bind(&f.given_names)
    .bind(&f.family_name)
    .bind(family_key(&f.family_name))
    .bind(given_key(&f.given_names))
    .bind(normalise(&f.family_name))
    .bind(normalise(&f.given_names))
    .bind(f.dob.map(|d| d.to_string()))
    .bind(f.dob_certainty.map(|c| c.code()))
    .bind(f.sex.map(|c| c.code()))
    .bind(f.gender.clone())
    .bind(f.ethnicity.map(|c| c.code()))
    .bind(f.first_language.clone())
    .bind(i64::from(f.interpreter_needed))
    .bind(f.send.clone())
    .bind(f.disability.clone())
    .bind(f.nhs_number.clone())
    .bind(f.upn.clone())
    .bind(f.phone.clone())
    .bind(f.email.clone())
    .bind(i64::from(f.restricted))
    .bind(
        f.restriction_roles
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(","),
    )
    .bind(f.restriction_reason.clone())
    .bind(created_by.map(|u| u.to_string()))
    .bind(now)
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn add_name(
    conn: &mut Conn,
    person: PersonId,
    name: &OtherName,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_names (id, person_id, given_names, family_name, family_key, given_key, kind, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(person.to_string())
    .bind(&name.given_names)
    .bind(&name.family_name)
    .bind(family_key(&name.family_name))
    .bind(given_key(&name.given_names))
    .bind(&name.kind)
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds an address; the previous current address (no end date) ends the day before `from`.
pub async fn add_address(
    conn: &mut Conn,
    person: PersonId,
    a: &Address,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(from) = a.from_date {
        sqlx::query("UPDATE addresses SET to_date = $1 WHERE person_id = $2 AND to_date IS NULL")
            .bind((from - chrono::Days::new(1)).to_string())
            .bind(person.to_string())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO addresses (id, person_id, line1, line2, town, postcode, postcode_key, from_date, to_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(person.to_string())
    .bind(&a.line1)
    .bind(a.line2.clone())
    .bind(a.town.clone())
    .bind(&a.postcode)
    .bind(postcode_key(&a.postcode))
    .bind(a.from_date.map(|d| d.to_string()))
    .bind(a.to_date.map(|d| d.to_string()))
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A person by id, following merges to the surviving record.
pub async fn get(conn: &mut Conn, id: PersonId) -> Result<Person> {
    let mut id = id.to_string();
    for _ in 0..8 {
        let merged: Option<Option<String>> =
            sqlx::query_scalar("SELECT merged_into FROM people WHERE id = $1")
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await?;
        match merged {
            None => return Err(StoreError::NotFound),
            Some(Some(next)) => id = next,
            Some(None) => break,
        }
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM people WHERE id = $1"))
        .bind(&id)
        .fetch_one(conn)
        .await?;
    from_row(&row)
}

/// Other names the person has been known by (opened through the gate).
pub async fn other_names(conn: &mut Conn, opened: &OpenedPerson) -> Result<Vec<OtherName>> {
    let person = opened.id();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT given_names, family_name, kind FROM person_names WHERE person_id = $1 ORDER BY created_at",
    )
    .bind(person.to_string())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(given_names, family_name, kind)| OtherName {
            given_names,
            family_name,
            kind,
        })
        .collect())
}

/// Addresses, current first; none when a restriction withholds them from this user.
pub async fn addresses(conn: &mut Conn, opened: &OpenedPerson) -> Result<Vec<Address>> {
    if opened.details_withheld() {
        return Ok(Vec::new());
    }
    let person = opened.id();
    let rows = sqlx::query(
        "SELECT line1, line2, town, postcode, from_date, to_date FROM addresses WHERE person_id = $1
         ORDER BY CASE WHEN to_date IS NULL THEN 0 ELSE 1 END, from_date DESC",
    )
    .bind(person.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Address {
                line1: r.try_get("line1")?,
                line2: r.try_get("line2")?,
                town: r.try_get("town")?,
                postcode: r.try_get("postcode")?,
                from_date: opt_date(r.try_get("from_date")?)?,
                to_date: opt_date(r.try_get("to_date")?)?,
            })
        })
        .collect()
}

/// The people sharing a blocking key with the search, with everything find-before-create
/// scores them on, in three queries whatever the number of rules: one for the people (every
/// rule a limited sub-select of one UNION), one for their other names, and one for their
/// postcodes when a postcode was typed.
pub async fn candidates(conn: &mut Conn, b: &Blocking) -> Result<Vec<(PersonId, Candidate)>> {
    let rules: Vec<(String, Vec<String>, i64)> = rules(b)
        .iter()
        .map(|r| {
            let (sql, binds) = r.sql(&b.dobs);
            (sql, binds, r.limit)
        })
        .collect();
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let mut next = 0usize;
    let mut param = || {
        next += 1;
        format!("${next}")
    };
    let mut selects = Vec::with_capacity(rules.len());
    for (i, (rule, ..)) in rules.iter().enumerate() {
        let mut sql = String::with_capacity(rule.len() + 16);
        for (j, part) in rule.split('?').enumerate() {
            if j > 0 {
                sql.push_str(&param());
            }
            sql.push_str(part);
        }
        selects.push(format!(
            "SELECT id FROM ({sql} LIMIT {}) AS rule{i}",
            param()
        ));
    }
    let people_sql = format!(
        "SELECT id, given_names, family_name, dob, nhs_number, upn FROM people
         WHERE merged_into IS NULL AND id IN ({})",
        selects.join(" UNION ")
    );
    let mut q = sqlx::query(&people_sql);
    for (_, binds, limit) in &rules {
        for v in binds {
            q = q.bind(v);
        }
        q = q.bind(*limit);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut found: Vec<(PersonId, Candidate)> = Vec::with_capacity(rows.len());
    let mut position: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        position.insert(id.clone(), found.len());
        found.push((
            parse_id(&id)?,
            Candidate {
                names: vec![(r.try_get("given_names")?, r.try_get("family_name")?)],
                dob: opt_date(r.try_get("dob")?)?.map(dob_of),
                postcodes: Vec::new(),
                nhs_number: r.try_get("nhs_number")?,
                upn: r.try_get("upn")?,
            },
        ));
    }
    let ids: Vec<&String> = position.keys().collect();
    for chunk in ids.chunks(500) {
        let list = placeholders(chunk.len(), 1);
        let sql = format!(
            "SELECT person_id, given_names, family_name FROM person_names WHERE person_id IN ({list})
             ORDER BY id"
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let id: String = r.try_get("person_id")?;
            if let Some(&i) = position.get(&id) {
                found[i]
                    .1
                    .names
                    .push((r.try_get("given_names")?, r.try_get("family_name")?));
            }
        }
        // Only a typed postcode is scored against addresses; otherwise they are not read.
        if b.postcode_key.is_some() {
            let sql =
                format!("SELECT person_id, postcode FROM addresses WHERE person_id IN ({list})");
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&mut *conn).await? {
                let id: String = r.try_get("person_id")?;
                if let Some(&i) = position.get(&id) {
                    found[i].1.postcodes.push(r.try_get("postcode")?);
                }
            }
        }
    }
    Ok(found)
}

/// A name as held for counting who holds it: the first given name and the surname,
/// normalised (`Mary Jane`, `O'Brien` → `mary`, `obrien`).
pub fn first_and_family(given_names: &str, family_name: &str) -> (String, String) {
    let given = normalise(given_names);
    let first = given.split(' ').next().unwrap_or_default().to_string();
    (first, normalise(family_name))
}

/// How many people (not merged) hold this first given name and surname
/// ([`first_and_family`]), as their name now or one they have been known by. Everyone who does
/// shares the name's sounds, so only those are read.
pub async fn holding_name(conn: &mut Conn, given_names: &str, family_name: &str) -> Result<usize> {
    let held = first_and_family(given_names, family_name);
    let keys = (family_key(family_name), given_key(given_names));
    let mut holders: Vec<String> = Vec::new();
    for sql in [
        "SELECT id, given_names, family_name FROM people
         WHERE family_key = $1 AND given_key = $2 AND merged_into IS NULL",
        "SELECT p.id, n.given_names, n.family_name FROM person_names n
         JOIN people p ON p.id = n.person_id
         WHERE n.family_key = $1 AND n.given_key = $2 AND p.merged_into IS NULL",
    ] {
        let rows: Vec<(String, String, String)> = sqlx::query_as(sql)
            .bind(&keys.0)
            .bind(&keys.1)
            .fetch_all(&mut *conn)
            .await?;
        holders.extend(
            rows.into_iter()
                .filter(|(_, g, f)| first_and_family(g, f) == held)
                .map(|(id, ..)| id),
        );
    }
    holders.sort_unstable();
    holders.dedup();
    Ok(holders.len())
}

/// A date as the linkage crate compares it.
pub fn dob_of(d: NaiveDate) -> Dob {
    use chrono::Datelike;
    // Years, months and days from a NaiveDate always fit; out-of-range years become unknown.
    Dob {
        year: u16::try_from(d.year()).unwrap_or(0),
        month: d.month() as u8,
        day: d.day() as u8,
    }
}

/// `$from, $from+1, …` for an IN list of `n` values.
pub(crate) fn placeholders(n: usize, from: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE merged_into IS NULL")
            .fetch_one(conn)
            .await?,
    )
}

/// Records a find-before-create search and returns its id.
pub async fn record_search(
    conn: &mut Conn,
    user: UserId,
    criteria: &str,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO person_searches (id, user_id, criteria, at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(criteria)
        .bind(to_text(now))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Forgets searches made before `before`: what was typed names people, and a search is only
/// needed for adding someone soon after it.
pub async fn prune_searches(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM person_searches WHERE at < $1")
        .bind(to_text(before))
        .execute(conn)
        .await?
        .rows_affected())
}

/// When `user` made search `id`, if they did.
pub async fn search_made_by(
    conn: &mut Conn,
    id: Uuid,
    user: UserId,
) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> =
        sqlx::query_scalar("SELECT at FROM person_searches WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_optional(conn)
            .await?;
    at.as_deref().map(parse_time).transpose()
}

/// Name and date of birth of each of these people, in one query (for lists).
pub async fn summaries(conn: &mut Conn, ids: &[PersonId]) -> Result<Vec<Person>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let sql = format!(
            "SELECT {COLUMNS} FROM people WHERE id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for row in q.fetch_all(&mut *conn).await? {
            out.push(from_row(&row)?);
        }
    }
    Ok(out)
}

/// People whose names have every word of `words` at the start of a given or family name, at
/// most `limit`, with their names. Only the gate calls this (for the audit log's search).
pub(crate) async fn named(
    conn: &mut Conn,
    words: &[String],
    limit: i64,
) -> Result<Vec<(PersonId, String)>> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    for w in words {
        args.push(format!("{}%", escape_like(&normalise(w))));
        let start = args.len();
        args.push(format!("% {}%", escape_like(&normalise(w))));
        let inner = start + 1;
        clauses.push(format!(
            "(given_lower LIKE ${start} ESCAPE '\\' OR family_lower LIKE ${start} ESCAPE '\\'
              OR given_lower LIKE ${inner} ESCAPE '\\' OR family_lower LIKE ${inner} ESCAPE '\\')"
        ));
    }
    let sql = format!(
        "SELECT id, given_names, family_name FROM people WHERE {}
         ORDER BY family_lower, given_lower, id LIMIT {}",
        clauses.join(" AND "),
        limit.max(0)
    );
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.as_str());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("id")?)?,
                format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
            ))
        })
        .collect()
}

/// The candidates [`candidates`] brings, for matching rows from another system (a partner's
/// file, a 903 return): a restricted person is held without their postcodes, so a match never
/// tells where they live.
pub async fn candidates_for_matching(
    conn: &mut Conn,
    b: &Blocking,
) -> Result<Vec<(PersonId, Candidate)>> {
    let mut found = candidates(conn, b).await?;
    let ids: Vec<PersonId> = found.iter().map(|(id, _)| *id).collect();
    let restricted: Vec<PersonId> = restricted_among(conn, &ids)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (id, c) in found.iter_mut() {
        if restricted.contains(id) {
            c.postcodes.clear();
        }
    }
    Ok(found)
}

/// Which of these people are restricted, with the roles each restriction names.
pub async fn restricted_among(
    conn: &mut Conn,
    ids: &[PersonId],
) -> Result<Vec<(PersonId, Vec<Role>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let sql = format!(
            "SELECT id, restriction_roles FROM people WHERE restricted = 1 AND id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for row in q.fetch_all(&mut *conn).await? {
            out.push((
                parse_id(&row.try_get::<String, _>("id")?)?,
                restriction_roles(row.try_get("restriction_roles")?)?,
            ));
        }
    }
    Ok(out)
}

/// The current postcode of each of these people who has one, in one query.
pub async fn current_postcodes(
    conn: &mut Conn,
    ids: &[PersonId],
) -> Result<Vec<(PersonId, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let sql = format!(
            "SELECT person_id, postcode FROM addresses WHERE to_date IS NULL AND person_id IN ({})",
            placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for (id, postcode) in q.fetch_all(&mut *conn).await? {
            out.push((parse_id(&id)?, postcode));
        }
    }
    Ok(out)
}
