//! Merging two records of the same person, and undoing it. Every row that moves is recorded,
//! so the undo puts back exactly what the merge moved; the merged id keeps resolving to the
//! survivor (see `people::get`).

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::time::to_text;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

/// Tables whose rows belong to a person and move with a merge (each has `id` and `person_id`).
const MOVABLE: [&str; 4] = [
    "person_names",
    "addresses",
    "household_members",
    "involvements",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Moved {
    /// Table → ids of rows moved to the survivor.
    pub rows: Vec<(String, Vec<String>)>,
    /// Requests that named the merged person and now name the survivor.
    pub requests_moved: Vec<String>,
    /// Requests that named both: the merged person's line was set aside, to restore on undo.
    pub requests_set_aside: Vec<String>,
    /// The alias added to the survivor carrying the merged record's name.
    pub alias_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub id: Uuid,
    pub survivor_id: PersonId,
    pub merged_id: PersonId,
    pub merged_by: String,
    pub merged_at: DateTime<Utc>,
    pub reason: String,
    pub undone_at: Option<DateTime<Utc>>,
}

pub async fn merge(
    conn: &mut Conn,
    id: Uuid,
    survivor: PersonId,
    merged: PersonId,
    by: UserId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Moved> {
    let mut moved = Moved::default();
    for table in MOVABLE {
        let ids: Vec<String> =
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE person_id = $1"))
                .bind(merged.to_string())
                .fetch_all(&mut *conn)
                .await?;
        sqlx::query(&format!(
            "UPDATE {table} SET person_id = $1 WHERE person_id = $2"
        ))
        .bind(survivor.to_string())
        .bind(merged.to_string())
        .execute(&mut *conn)
        .await?;
        moved.rows.push((table.to_string(), ids));
    }
    let requests: Vec<String> =
        sqlx::query_scalar("SELECT request_id FROM request_people WHERE person_id = $1")
            .bind(merged.to_string())
            .fetch_all(&mut *conn)
            .await?;
    for request in requests {
        let both: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_people WHERE request_id = $1 AND person_id = $2",
        )
        .bind(&request)
        .bind(survivor.to_string())
        .fetch_one(&mut *conn)
        .await?;
        if both > 0 {
            sqlx::query("DELETE FROM request_people WHERE request_id = $1 AND person_id = $2")
                .bind(&request)
                .bind(merged.to_string())
                .execute(&mut *conn)
                .await?;
            moved.requests_set_aside.push(request);
        } else {
            sqlx::query(
                "UPDATE request_people SET person_id = $1 WHERE request_id = $2 AND person_id = $3",
            )
            .bind(survivor.to_string())
            .bind(&request)
            .bind(merged.to_string())
            .execute(&mut *conn)
            .await?;
            moved.requests_moved.push(request);
        }
    }
    // The survivor keeps the merged record's name as another name, so searches still find it.
    let alias = Uuid::now_v7().to_string();
    let done = sqlx::query(
        "INSERT INTO person_names (id, person_id, given_names, family_name, family_key, given_key, kind, created_at)
         SELECT $1, $2, given_names, family_name, family_key, given_key, 'merged record', $3 FROM people WHERE id = $4",
    )
    .bind(&alias)
    .bind(survivor.to_string())
    .bind(to_text(now))
    .bind(merged.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        moved.alias_id = Some(alias);
    }
    let done = sqlx::query("UPDATE people SET merged_into = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND merged_into IS NULL")
        .bind(survivor.to_string())
        .bind(to_text(now))
        .bind(merged.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let json = serde_json::to_string(&moved).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO person_merges (id, survivor_id, merged_id, merged_by, merged_at, reason, moved) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id.to_string())
        .bind(survivor.to_string())
        .bind(merged.to_string())
        .bind(by.to_string())
        .bind(to_text(now))
        .bind(reason)
        .bind(json)
        .execute(conn)
        .await?;
    Ok(moved)
}

/// Puts back exactly what a merge moved. A merge already undone gives [`StoreError::Conflict`].
pub async fn undo(
    conn: &mut Conn,
    id: Uuid,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(PersonId, PersonId)> {
    let row = sqlx::query(
        "SELECT survivor_id, merged_id, moved, undone_at FROM person_merges WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    if row.try_get::<Option<String>, _>("undone_at")?.is_some() {
        return Err(StoreError::Conflict);
    }
    let survivor: String = row.try_get("survivor_id")?;
    let merged: String = row.try_get("merged_id")?;
    let moved: Moved = serde_json::from_str(&row.try_get::<String, _>("moved")?)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    for (table, ids) in &moved.rows {
        if !MOVABLE.contains(&table.as_str()) {
            return Err(StoreError::Corrupt(format!(
                "merge record names table {table}"
            )));
        }
        for row_id in ids {
            sqlx::query(&format!("UPDATE {table} SET person_id = $1 WHERE id = $2"))
                .bind(&merged)
                .bind(row_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    for request in &moved.requests_moved {
        sqlx::query(
            "UPDATE request_people SET person_id = $1 WHERE request_id = $2 AND person_id = $3",
        )
        .bind(&merged)
        .bind(request)
        .bind(&survivor)
        .execute(&mut *conn)
        .await?;
    }
    for request in &moved.requests_set_aside {
        sqlx::query("INSERT INTO request_people (request_id, person_id) VALUES ($1, $2)")
            .bind(request)
            .bind(&merged)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(alias) = &moved.alias_id {
        sqlx::query("DELETE FROM person_names WHERE id = $1")
            .bind(alias)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE people SET merged_into = NULL, version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(to_text(now))
        .bind(&merged)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE person_merges SET undone_at = $1, undone_by = $2 WHERE id = $3")
        .bind(to_text(now))
        .bind(by.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok((parse_id(&survivor)?, parse_id(&merged)?))
}

/// Merges into this person, newest first.
pub async fn into(conn: &mut Conn, survivor: PersonId) -> Result<Vec<Merge>> {
    let rows = sqlx::query(
        "SELECT m.id, m.survivor_id, m.merged_id, u.display_name, m.merged_at, m.reason, m.undone_at
         FROM person_merges m JOIN users u ON u.id = m.merged_by WHERE m.survivor_id = $1 ORDER BY m.merged_at DESC",
    )
    .bind(survivor.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Merge {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                survivor_id: parse_id(&r.try_get::<String, _>("survivor_id")?)?,
                merged_id: parse_id(&r.try_get::<String, _>("merged_id")?)?,
                merged_by: r.try_get("display_name")?,
                merged_at: parse_time(&r.try_get::<String, _>("merged_at")?)?,
                reason: r.try_get("reason")?,
                undone_at: r
                    .try_get::<Option<String>, _>("undone_at")?
                    .as_deref()
                    .map(parse_time)
                    .transpose()?,
            })
        })
        .collect()
}
