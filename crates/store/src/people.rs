//! People, their names over time, their addresses, and the candidates find-before-create
//! considers.

use crate::organisations::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::matching::{family_key, given_key, normalise, postcode_key, Candidate};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub dob_certainty: Option<String>,
    pub sex: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub first_language: Option<String>,
    pub interpreter_needed: bool,
    pub send: Option<String>,
    pub disability: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub restricted: bool,
    /// Role codes that may see restricted details.
    pub restriction_roles: Vec<String>,
    pub restriction_reason: Option<String>,
    pub version: i64,
}

/// What a practitioner records about a person.
#[derive(Debug, Clone, Default)]
pub struct PersonFields {
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub dob_certainty: Option<String>,
    pub sex: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub first_language: Option<String>,
    pub interpreter_needed: bool,
    pub send: Option<String>,
    pub disability: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub restricted: bool,
    pub restriction_roles: Vec<String>,
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
    restricted, restriction_roles, restriction_reason, version";

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn from_row(row: &AnyRow) -> Result<Person> {
    let roles: Option<String> = row.try_get("restriction_roles")?;
    Ok(Person {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        given_names: row.try_get("given_names")?,
        family_name: row.try_get("family_name")?,
        dob: date(row.try_get("dob")?),
        dob_certainty: row.try_get("dob_certainty")?,
        sex: row.try_get("sex")?,
        gender: row.try_get("gender")?,
        ethnicity: row.try_get("ethnicity")?,
        first_language: row.try_get("first_language")?,
        interpreter_needed: row.try_get::<i64, _>("interpreter_needed")? != 0,
        send: row.try_get("send")?,
        disability: row.try_get("disability")?,
        nhs_number: row.try_get("nhs_number")?,
        upn: row.try_get("upn")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        restricted: row.try_get::<i64, _>("restricted")? != 0,
        restriction_roles: roles
            .unwrap_or_default()
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
        restriction_reason: row.try_get("restriction_reason")?,
        version: row.try_get("version")?,
    })
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
    .bind(f.dob_certainty.clone())
    .bind(f.sex.clone())
    .bind(f.gender.clone())
    .bind(f.ethnicity.clone())
    .bind(f.first_language.clone())
    .bind(i64::from(f.interpreter_needed))
    .bind(f.send.clone())
    .bind(f.disability.clone())
    .bind(f.nhs_number.clone())
    .bind(f.upn.clone())
    .bind(f.phone.clone())
    .bind(f.email.clone())
    .bind(i64::from(f.restricted))
    .bind(f.restriction_roles.join(","))
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

pub async fn other_names(conn: &mut Conn, person: PersonId) -> Result<Vec<OtherName>> {
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

/// Addresses, current first.
pub async fn addresses(conn: &mut Conn, person: PersonId) -> Result<Vec<Address>> {
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
                from_date: date(r.try_get("from_date")?),
                to_date: date(r.try_get("to_date")?),
            })
        })
        .collect()
}

/// Everything find-before-create needs about a batch of people, keyed by id.
pub async fn candidates(conn: &mut Conn, ids: &[PersonId]) -> Result<Vec<(PersonId, Candidate)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let list = placeholders(chunk.len(), 1);
        let binds: Vec<String> = chunk.iter().map(PersonId::to_string).collect();
        let people_sql = format!(
            "SELECT id, given_names, family_name, dob, nhs_number, upn FROM people
             WHERE id IN ({list}) AND merged_into IS NULL"
        );
        let mut q = sqlx::query(&people_sql);
        for b in &binds {
            q = q.bind(b);
        }
        let people = q.fetch_all(&mut *conn).await?;
        let names_sql = format!(
            "SELECT person_id, given_names, family_name FROM person_names WHERE person_id IN ({list})"
        );
        let mut names_q = sqlx::query(&names_sql);
        for b in &binds {
            names_q = names_q.bind(b);
        }
        let names = names_q.fetch_all(&mut *conn).await?;
        let addr_sql =
            format!("SELECT person_id, postcode FROM addresses WHERE person_id IN ({list})");
        let mut addr_q = sqlx::query(&addr_sql);
        for b in &binds {
            addr_q = addr_q.bind(b);
        }
        let addrs = addr_q.fetch_all(&mut *conn).await?;
        for p in &people {
            let id: String = p.try_get("id")?;
            let mut c = Candidate {
                names: vec![(p.try_get("given_names")?, p.try_get("family_name")?)],
                dob: date(p.try_get("dob")?),
                postcodes: Vec::new(),
                nhs_number: p.try_get("nhs_number")?,
                upn: p.try_get("upn")?,
            };
            for n in names
                .iter()
                .filter(|n| n.try_get::<String, _>("person_id").ok().as_deref() == Some(&id))
            {
                c.names
                    .push((n.try_get("given_names")?, n.try_get("family_name")?));
            }
            for a in addrs
                .iter()
                .filter(|a| a.try_get::<String, _>("person_id").ok().as_deref() == Some(&id))
            {
                c.postcodes.push(a.try_get("postcode")?);
            }
            out.push((parse_id(&id)?, c));
        }
    }
    Ok(out)
}

/// `$from, $from+1, …` for an IN list of `n` values.
pub(crate) fn placeholders(n: usize, from: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What narrows the people considered: any that share one of these keys.
#[derive(Debug, Clone, Default)]
pub struct Blocking {
    pub family_key: Option<String>,
    pub given_key: Option<String>,
    pub dobs: Vec<NaiveDate>,
    pub postcode_key: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    /// Lower-cased name prefixes (for partial names typed in any order).
    pub prefixes: Vec<String>,
}

/// Ids of people sharing a blocking key, at most `limit` per key, merged records excluded.
pub async fn block(conn: &mut Conn, b: &Blocking, limit: i64) -> Result<Vec<PersonId>> {
    let mut ids: Vec<String> = Vec::new();
    let mut queries: Vec<(&str, Vec<String>)> = Vec::new();
    if let Some(k) = &b.family_key {
        queries.push((
            "SELECT id FROM people WHERE family_key = $1 AND merged_into IS NULL LIMIT $2",
            vec![k.clone()],
        ));
        queries.push((
            "SELECT person_id AS id FROM person_names WHERE family_key = $1 LIMIT $2",
            vec![k.clone()],
        ));
    }
    if let (Some(g), false) = (&b.given_key, b.dobs.is_empty()) {
        for d in &b.dobs {
            queries.push(("SELECT id FROM people WHERE given_key = $1 AND dob = $2 AND merged_into IS NULL LIMIT $3", vec![g.clone(), d.to_string()]));
        }
    }
    for d in &b.dobs {
        queries.push((
            "SELECT id FROM people WHERE dob = $1 AND merged_into IS NULL LIMIT $2",
            vec![d.to_string()],
        ));
    }
    if let Some(p) = &b.postcode_key {
        queries.push((
            "SELECT person_id AS id FROM addresses WHERE postcode_key = $1 LIMIT $2",
            vec![p.clone()],
        ));
    }
    if let Some(n) = &b.nhs_number {
        queries.push((
            "SELECT id FROM people WHERE nhs_number = $1 LIMIT $2",
            vec![n.clone()],
        ));
    }
    if let Some(u) = &b.upn {
        queries.push((
            "SELECT id FROM people WHERE upn = $1 LIMIT $2",
            vec![u.clone()],
        ));
    }
    for p in &b.prefixes {
        let upper = format!("{p}\u{10FFFF}");
        queries.push(("SELECT id FROM people WHERE family_lower >= $1 AND family_lower < $2 AND merged_into IS NULL LIMIT $3", vec![p.clone(), upper.clone()]));
        queries.push(("SELECT id FROM people WHERE given_lower >= $1 AND given_lower < $2 AND merged_into IS NULL LIMIT $3", vec![p.clone(), upper]));
    }
    for (sql, binds) in queries {
        let mut q = sqlx::query_scalar::<_, String>(sql);
        for b in binds {
            q = q.bind(b);
        }
        ids.extend(q.bind(limit).fetch_all(&mut *conn).await?);
    }
    ids.sort();
    ids.dedup();
    ids.iter().map(|i| parse_id(i)).collect()
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
