//! Changes to a person's details made from their record, and their history: every detail
//! changed is one row (who, when, which detail, before and after), written in the same
//! transaction as the change, which only lands on the version the user saw.

use crate::decode::{coded, parse_time};
use crate::gate::OpenedPerson;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::person::PersonDetail;
use hearth_domain::time::to_text;
use hearth_linkage::search_keys::{family_key, given_key, normalise};
use sqlx::Row;
use uuid::Uuid;

/// One detail's value before and after, as stored: a code, an ISO date, `yes`/`no`, or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailChange {
    pub detail: PersonDetail,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One change in the history, with who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub detail: PersonDetail,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    /// The person disagrees with the change, and what they say (a correction is made, and
    /// their view is kept beside it).
    pub disputed: Option<String>,
    /// A restriction withholds this detail from the user: its values (and the reason, which
    /// may repeat them) are left out.
    pub withheld: bool,
    pub by: String,
    pub organisation: String,
    pub at: DateTime<Utc>,
}

/// The column a detail is kept in. Every detail is a column of `people` of the same name, so
/// the statement below is built only from these fixed names, never from what was typed.
fn column(detail: PersonDetail) -> &'static str {
    detail.code()
}

/// Why a change was made, and whether the person disputes it (with what they say).
#[derive(Debug, Clone, Copy, Default)]
pub struct Why<'a> {
    pub reason: Option<&'a str>,
    pub disputed: Option<&'a str>,
}

/// Saves `changes` to the opened person if their record is still at `version` (else
/// [`StoreError::Conflict`], and nothing is written), and records each in the history.
pub async fn save(
    conn: &mut Conn,
    opened: &OpenedPerson,
    version: i64,
    changes: &[DetailChange],
    why: Why<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut sets = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for c in changes {
        match c.detail {
            PersonDetail::InterpreterNeeded => {
                values.push(Value::Flag(c.new.as_deref() == Some("yes")));
                sets.push(format!("{} = ${}", column(c.detail), values.len()));
            }
            PersonDetail::GivenNames | PersonDetail::FamilyName => {
                let name = c.new.clone().unwrap_or_default();
                let (key_column, lower_column, key) = if c.detail == PersonDetail::GivenNames {
                    ("given_key", "given_lower", given_key(&name))
                } else {
                    ("family_key", "family_lower", family_key(&name))
                };
                for (col, v) in [
                    (column(c.detail), name.clone()),
                    (key_column, key),
                    (lower_column, normalise(&name)),
                ] {
                    values.push(Value::Text(Some(v)));
                    sets.push(format!("{col} = ${}", values.len()));
                }
            }
            _ => {
                values.push(Value::Text(c.new.clone()));
                sets.push(format!("{} = ${}", column(c.detail), values.len()));
            }
        }
    }
    values.push(Value::Text(Some(to_text(now))));
    sets.push(format!("updated_at = ${}", values.len()));
    let sql = format!(
        "UPDATE people SET {}, version = version + 1 WHERE id = ${} AND version = ${}",
        sets.join(", "),
        values.len() + 1,
        values.len() + 2
    );
    let mut q = sqlx::query(&sql);
    for v in values {
        q = match v {
            Value::Text(t) => q.bind(t),
            Value::Flag(f) => q.bind(i64::from(f)),
        };
    }
    let done = q
        .bind(opened.id().to_string())
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    for c in changes {
        sqlx::query(
            "INSERT INTO person_changes (id, person_id, detail, old_value, new_value, reason, changed_by, changed_at, disputed, disputed_note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(opened.id().to_string())
        .bind(c.detail.code())
        .bind(c.old.clone())
        .bind(c.new.clone())
        .bind(why.reason.map(str::to_string))
        .bind(by.to_string())
        .bind(to_text(now))
        .bind(i64::from(why.disputed.is_some()))
        .bind(why.disputed.map(str::to_string))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

enum Value {
    Text(Option<String>),
    Flag(bool),
}

/// The person's history of changes, newest first. Values of details a restriction withholds
/// from this user are left out (the row stays: that something changed is not hidden).
pub async fn history(conn: &mut Conn, opened: &OpenedPerson) -> Result<Vec<Change>> {
    let rows = sqlx::query(
        "SELECT c.detail, c.old_value, c.new_value, c.reason, c.disputed, c.disputed_note, c.changed_at, u.display_name, o.name AS organisation
         FROM person_changes c JOIN users u ON u.id = c.changed_by
         JOIN organisations o ON o.id = u.organisation_id
         WHERE c.person_id = $1 ORDER BY c.changed_at DESC, c.id DESC",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let detail = coded(r, "detail", PersonDetail::from_code)?;
            let hidden = detail.withheld_by_restriction() && opened.details_withheld();
            let value = |column: &str| -> Result<Option<String>> {
                Ok(if hidden { None } else { r.try_get(column)? })
            };
            Ok(Change {
                detail,
                old: value("old_value")?,
                new: value("new_value")?,
                reason: value("reason")?,
                disputed: if r.try_get::<i64, _>("disputed")? != 0 {
                    // Disputed shows to everyone; what the person said follows the values.
                    Some(value("disputed_note")?.unwrap_or_default())
                } else {
                    None
                },
                withheld: hidden,
                by: r.try_get("display_name")?,
                organisation: r.try_get("organisation")?,
                at: parse_time(&r.try_get::<String, _>("changed_at")?)?,
            })
        })
        .collect()
}
