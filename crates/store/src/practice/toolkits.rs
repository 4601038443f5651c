//! The partnership's toolkits: pages of practice guidance, each with its owner, review date
//! and every version kept; found by the words of their current version.

use crate::decode::{date, parse_id, parse_time};
use crate::sql::escape_like;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{ToolkitPageId, UserId};
use hearth_domain::practice::{searchable, PracticeStep, ToolkitText};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A page as a list shows it (its current version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    pub id: ToolkitPageId,
    pub title: String,
    pub summary: String,
    pub step: Option<PracticeStep>,
    pub review_on: NaiveDate,
    pub owner: String,
    pub owner_organisation: String,
}

/// One version of a page, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: ToolkitPageId,
    pub owner_id: UserId,
    pub owner: String,
    pub owner_organisation: String,
    /// The version in force.
    pub current_version: i64,
    /// This version.
    pub version: i64,
    pub text: ToolkitText,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

/// A version in a page's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionLine {
    pub version: i64,
    pub title: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

fn step(code: Option<String>) -> Result<Option<PracticeStep>> {
    code.map(|c| {
        PracticeStep::from_code(&c).ok_or_else(|| StoreError::Corrupt(format!("practice step {c}")))
    })
    .transpose()
}

const LINE: &str = "SELECT p.id, p.title, p.summary, p.step, p.review_on, u.display_name,
        o.name AS organisation_name
     FROM toolkit_pages p JOIN users u ON u.id = p.owner_id
     JOIN organisations o ON o.id = u.organisation_id";

fn line(r: &AnyRow) -> Result<PageLine> {
    Ok(PageLine {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        step: step(r.try_get("step")?)?,
        review_on: date(&r.try_get::<String, _>("review_on")?)?,
        owner: r.try_get("display_name")?,
        owner_organisation: r.try_get("organisation_name")?,
    })
}

async fn insert_version(
    conn: &mut Conn,
    id: ToolkitPageId,
    version: i64,
    text: &ToolkitText,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO toolkit_versions (page_id, version, title, summary, body, step, review_on,
            published_by, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(version)
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .bind(text.step.map(|s| s.code()))
    .bind(text.review_on.to_string())
    .bind(by.to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Publishes a new page, owned by its author.
pub async fn publish_new(
    conn: &mut Conn,
    text: &ToolkitText,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<ToolkitPageId> {
    let id = ToolkitPageId::new();
    sqlx::query(
        "INSERT INTO toolkit_pages (id, owner_id, current_version, title, summary, step, review_on,
            search_text, updated_at)
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(by.to_string())
    .bind(&text.title)
    .bind(&text.summary)
    .bind(text.step.map(|s| s.code()))
    .bind(text.review_on.to_string())
    .bind(searchable(text))
    .bind(to_text(at))
    .execute(&mut *conn)
    .await?;
    insert_version(conn, id, 1, text, by, at).await?;
    Ok(id)
}

/// Publishes the next version of a page written from version `based_on`; a page changed
/// meanwhile is a conflict and nothing is written. The owner stays the owner.
pub async fn publish_version(
    conn: &mut Conn,
    id: ToolkitPageId,
    based_on: i64,
    text: &ToolkitText,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<i64> {
    let version = based_on + 1;
    let done = sqlx::query(
        "UPDATE toolkit_pages SET current_version = $1, title = $2, summary = $3, step = $4,
            review_on = $5, search_text = $6, updated_at = $7
         WHERE id = $8 AND current_version = $9",
    )
    .bind(version)
    .bind(&text.title)
    .bind(&text.summary)
    .bind(text.step.map(|s| s.code()))
    .bind(text.review_on.to_string())
    .bind(searchable(text))
    .bind(to_text(at))
    .bind(id.to_string())
    .bind(based_on)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    insert_version(conn, id, version, text, by, at).await?;
    Ok(version)
}

/// A page at `version`, or at the version in force.
pub async fn get(conn: &mut Conn, id: ToolkitPageId, version: Option<i64>) -> Result<Page> {
    let r = sqlx::query(
        "SELECT p.owner_id, p.current_version, ow.display_name AS owner_name,
            o.name AS organisation_name, v.version, v.title, v.summary, v.body, v.step,
            v.review_on, pb.display_name AS published_by_name, v.published_at
         FROM toolkit_pages p
         JOIN toolkit_versions v ON v.page_id = p.id
         JOIN users ow ON ow.id = p.owner_id
         JOIN organisations o ON o.id = ow.organisation_id
         JOIN users pb ON pb.id = v.published_by
         WHERE p.id = $1 AND v.version = COALESCE($2, p.current_version)",
    )
    .bind(id.to_string())
    .bind(version)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Page {
        id,
        owner_id: parse_id(&r.try_get::<String, _>("owner_id")?)?,
        owner: r.try_get("owner_name")?,
        owner_organisation: r.try_get("organisation_name")?,
        current_version: r.try_get("current_version")?,
        version: r.try_get("version")?,
        text: ToolkitText {
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            body: r.try_get("body")?,
            step: step(r.try_get("step")?)?,
            review_on: date(&r.try_get::<String, _>("review_on")?)?,
        },
        published_by: r.try_get("published_by_name")?,
        published_at: parse_time(&r.try_get::<String, _>("published_at")?)?,
    })
}

/// A page's versions, newest first.
pub async fn versions(conn: &mut Conn, id: ToolkitPageId) -> Result<Vec<VersionLine>> {
    let rows = sqlx::query(
        "SELECT v.version, v.title, u.display_name, v.published_at
         FROM toolkit_versions v JOIN users u ON u.id = v.published_by
         WHERE v.page_id = $1 ORDER BY v.version DESC",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionLine {
                version: r.try_get("version")?,
                title: r.try_get("title")?,
                published_by: r.try_get("display_name")?,
                published_at: parse_time(&r.try_get::<String, _>("published_at")?)?,
            })
        })
        .collect()
}

/// Pages whose current version holds every word (in its title, summary or text), by title;
/// no words lists every page.
pub async fn search(conn: &mut Conn, words: &[String], limit: i64) -> Result<Vec<PageLine>> {
    let mut sql = format!("{LINE} WHERE 1 = 1");
    for n in 1..=words.len() {
        sql.push_str(&format!(" AND p.search_text LIKE ${n} ESCAPE '\\'"));
    }
    sql.push_str(&format!(
        " ORDER BY p.title, p.id LIMIT ${}",
        words.len() + 1
    ));
    let mut q = sqlx::query(&sql);
    for w in words {
        q = q.bind(format!("%{}%", escape_like(w)));
    }
    let rows = q.bind(limit).fetch_all(conn).await?;
    rows.iter().map(line).collect()
}

/// Pages that help with a step of the journey, by title.
pub async fn for_step(conn: &mut Conn, step: PracticeStep) -> Result<Vec<PageLine>> {
    let rows = sqlx::query(&format!("{LINE} WHERE p.step = $1 ORDER BY p.title, p.id"))
        .bind(step.code())
        .fetch_all(conn)
        .await?;
    rows.iter().map(line).collect()
}
