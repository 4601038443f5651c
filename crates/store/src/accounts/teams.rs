//! Teams within organisations.

use crate::decode::parse_id;
use crate::lifecycle::{self, Deactivatable};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{OrganisationId, TeamId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub name: String,
    pub description: Option<String>,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct TeamFields {
    pub organisation_id: OrganisationId,
    pub name: String,
    pub description: Option<String>,
}

const SELECT: &str = "SELECT t.id, t.organisation_id, o.name AS organisation_name, t.name,
        t.description, t.active, t.version
    FROM teams t JOIN organisations o ON o.id = t.organisation_id";

fn from_row(row: &AnyRow) -> Result<Team> {
    Ok(Team {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        organisation_id: parse_id(&row.try_get::<String, _>("organisation_id")?)?,
        organisation_name: row.try_get("organisation_name")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

pub async fn insert(
    conn: &mut Conn,
    id: TeamId,
    fields: &TeamFields,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO teams (id, organisation_id, name, name_key, description, active, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, 1, $6, $6)",
    )
    .bind(id.to_string())
    .bind(fields.organisation_id.to_string())
    .bind(&fields.name)
    .bind(fields.name.to_lowercase())
    .bind(fields.description.clone())
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn update(
    conn: &mut Conn,
    id: TeamId,
    version: i64,
    fields: &TeamFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE teams SET organisation_id = $1, name = $2, name_key = $3, description = $4,
                version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7",
    )
    .bind(fields.organisation_id.to_string())
    .bind(&fields.name)
    .bind(fields.name.to_lowercase())
    .bind(fields.description.clone())
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
    id: TeamId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    lifecycle::set_active(conn, Deactivatable::Teams, id.to_string(), active, now).await
}

pub async fn get(conn: &mut Conn, id: TeamId) -> Result<Team> {
    let row = sqlx::query(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

pub async fn find_by_name(
    conn: &mut Conn,
    organisation_id: OrganisationId,
    name: &str,
) -> Result<Option<Team>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE t.organisation_id = $1 AND t.name_key = $2"
    ))
    .bind(organisation_id.to_string())
    .bind(name.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// All teams, by organisation then name; only one organisation's when `organisation_id` is given.
pub async fn list(conn: &mut Conn, organisation_id: Option<OrganisationId>) -> Result<Vec<Team>> {
    let rows = match organisation_id {
        Some(org) => {
            sqlx::query(&format!(
                "{SELECT} WHERE t.organisation_id = $1 ORDER BY t.active DESC, t.name_key"
            ))
            .bind(org.to_string())
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "{SELECT} ORDER BY o.name_key, t.active DESC, t.name_key"
            ))
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(from_row).collect()
}
