//! The board's quarterly reports (ADR 0038). Every function takes a [`BoardDesk`], which only
//! the gate makes for a user whose roles see reports. A published report's figures are the
//! JSON written when it was published; nothing here recomputes or changes them.

use crate::decode::{code, parse_id, parse_time};
use crate::gate::BoardDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::board::{ReportStatus, Sections};
use hearth_domain::ids::BoardReportId;
use hearth_domain::insight::Quarter;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardReport {
    pub id: BoardReportId,
    pub quarter: Quarter,
    pub title: String,
    pub sections: Sections,
    pub status: ReportStatus,
    /// The figures as published (JSON); none for a draft.
    pub figures: Option<String>,
    pub version: i64,
    pub created_by_name: String,
    pub updated_at: DateTime<Utc>,
    pub published_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "b.id, b.quarter, b.title, b.summary, b.going_well, b.worries, b.actions,
    b.status, b.figures, b.version, b.updated_at, b.published_at,
    c.display_name AS created_by_name, p.display_name AS published_by_name";
const FROM: &str = "FROM board_reports b JOIN users c ON c.id = b.created_by
    LEFT JOIN users p ON p.id = b.published_by";

fn report(row: &AnyRow) -> Result<BoardReport> {
    let quarter: String = row.try_get("quarter")?;
    Ok(BoardReport {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        quarter: Quarter::from_code(&quarter)
            .ok_or_else(|| StoreError::Corrupt(format!("not a quarter: {quarter}")))?,
        title: row.try_get("title")?,
        sections: Sections {
            summary: row.try_get("summary")?,
            going_well: row.try_get("going_well")?,
            worries: row.try_get("worries")?,
            actions: row.try_get("actions")?,
        },
        status: code(
            &row.try_get::<String, _>("status")?,
            ReportStatus::from_code,
            "report status",
        )?,
        figures: row.try_get("figures")?,
        version: row.try_get("version")?,
        created_by_name: row.try_get("created_by_name")?,
        updated_at: parse_time(&row.try_get::<String, _>("updated_at")?)?,
        published_by_name: row.try_get("published_by_name")?,
        published_at: row
            .try_get::<Option<String>, _>("published_at")?
            .map(|t| parse_time(&t))
            .transpose()?,
    })
}

/// Starts a draft.
pub async fn create(
    conn: &mut Conn,
    desk: &BoardDesk,
    id: BoardReportId,
    quarter: Quarter,
    title: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let by = desk.user().to_string();
    sqlx::query(
        "INSERT INTO board_reports (id, quarter, title, summary, going_well, worries, actions,
            status, version, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, '', '', '', '', 'draft', 1, $4, $5, $4, $5)",
    )
    .bind(id.to_string())
    .bind(quarter.code())
    .bind(title)
    .bind(by)
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// One report.
pub async fn get(conn: &mut Conn, _desk: &BoardDesk, id: BoardReportId) -> Result<BoardReport> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE b.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    report(&row)
}

/// Every report, the newest quarter first and drafts before what was published of it.
pub async fn list(conn: &mut Conn, _desk: &BoardDesk) -> Result<Vec<BoardReport>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} ORDER BY b.quarter DESC, b.status, b.created_at DESC"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(report).collect()
}

/// Saves a draft's title and sections, from the version the writer read; a report changed
/// since, or already published, is a conflict.
pub async fn save(
    conn: &mut Conn,
    desk: &BoardDesk,
    id: BoardReportId,
    version: i64,
    title: &str,
    sections: &Sections,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE board_reports SET title = $1, summary = $2, going_well = $3, worries = $4,
            actions = $5, version = version + 1, updated_by = $6, updated_at = $7
         WHERE id = $8 AND version = $9 AND status = 'draft'",
    )
    .bind(title)
    .bind(&sections.summary)
    .bind(&sections.going_well)
    .bind(&sections.worries)
    .bind(&sections.actions)
    .bind(desk.user().to_string())
    .bind(to_text(at))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Publishes a draft at the version the publisher read, writing its figures as they are now;
/// from then on neither they nor the text change.
pub async fn publish(
    conn: &mut Conn,
    desk: &BoardDesk,
    id: BoardReportId,
    version: i64,
    figures: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE board_reports SET status = 'published', figures = $1, version = version + 1,
            published_by = $2, published_at = $3, updated_by = $2, updated_at = $3
         WHERE id = $4 AND version = $5 AND status = 'draft'",
    )
    .bind(figures)
    .bind(desk.user().to_string())
    .bind(to_text(at))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
