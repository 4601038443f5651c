//! Organisations in the partnership.

use crate::decode::parse_id;
use crate::lifecycle::{self, Deactivatable};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::OrganisationId;
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub identifier: Option<String>,
    pub active: bool,
    pub version: i64,
}

/// What an administrator fills in.
#[derive(Debug, Clone)]
pub struct OrganisationFields {
    pub name: String,
    pub kind: OrganisationKind,
    pub identifier: Option<String>,
}

const COLUMNS: &str = "id, name, kind, identifier, active, version";

fn from_row(row: &AnyRow) -> Result<Organisation> {
    let kind: String = row.try_get("kind")?;
    Ok(Organisation {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        kind: kind
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("organisation kind {kind}")))?,
        identifier: row.try_get("identifier")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

pub async fn insert(
    conn: &mut Conn,
    id: OrganisationId,
    fields: &OrganisationFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let now = to_text(now);
    sqlx::query(
        "INSERT INTO organisations (id, name, name_key, kind, identifier, active, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, 1, $6, $6)",
    )
    .bind(id.to_string())
    .bind(&fields.name)
    .bind(fields.name.to_lowercase())
    .bind(fields.kind.code())
    .bind(fields.identifier.clone())
    .bind(now)
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Saves the fields if the record is still at `version`; otherwise [`StoreError::Conflict`].
pub async fn update(
    conn: &mut Conn,
    id: OrganisationId,
    version: i64,
    fields: &OrganisationFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE organisations SET name = $1, name_key = $2, kind = $3, identifier = $4,
                version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7",
    )
    .bind(&fields.name)
    .bind(fields.name.to_lowercase())
    .bind(fields.kind.code())
    .bind(fields.identifier.clone())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn set_active(
    conn: &mut Conn,
    id: OrganisationId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    lifecycle::set_active(
        conn,
        Deactivatable::Organisations,
        id.to_string(),
        active,
        now,
    )
    .await
}

pub async fn get(conn: &mut Conn, id: OrganisationId) -> Result<Organisation> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

pub async fn find_by_name(conn: &mut Conn, name: &str) -> Result<Option<Organisation>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE name_key = $1"
    ))
    .bind(name.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// All organisations, active first, then by name.
pub async fn list(conn: &mut Conn) -> Result<Vec<Organisation>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY active DESC, name_key"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
