//! The partnership's wording of its letters to families (ADR 0043), one per letter and
//! language, changed by an administrator with optimistic concurrency. Not personal data: the
//! record's values are filled in when a letter is made.

use crate::decode::parse_time;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::letter::LetterKind;
use hearth_domain::message::Language;
use hearth_domain::time::to_text;
use sqlx::Row;

/// A saved wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTemplate {
    pub body: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// The partnership's wording of a letter in a language, if it saved one.
pub async fn template(
    conn: &mut Conn,
    kind: LetterKind,
    language: Language,
) -> Result<Option<SavedTemplate>> {
    let row = sqlx::query(
        "SELECT body, version, updated_at FROM letter_templates WHERE letter = $1 AND language = $2",
    )
    .bind(kind.code())
    .bind(language.code())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(SavedTemplate {
            body: r.try_get("body")?,
            version: r.try_get("version")?,
            updated_at: parse_time(&r.try_get::<String, _>("updated_at")?)?,
        })
    })
    .transpose()
}

/// Saves a wording. `version` is the one the administrator started from (0: the shipped
/// wording); someone else's save since is a [`StoreError::Conflict`].
pub async fn save(
    conn: &mut Conn,
    kind: LetterKind,
    language: Language,
    body: &str,
    version: i64,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = if version == 0 {
        sqlx::query(
            "INSERT INTO letter_templates (letter, language, body, version, updated_by, updated_at)
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (letter, language) DO NOTHING",
        )
        .bind(kind.code())
        .bind(language.code())
        .bind(body)
        .bind(by.to_string())
        .bind(to_text(at))
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE letter_templates SET body = $3, version = version + 1, updated_by = $4,
                updated_at = $5
             WHERE letter = $1 AND language = $2 AND version = $6",
        )
        .bind(kind.code())
        .bind(language.code())
        .bind(body)
        .bind(by.to_string())
        .bind(to_text(at))
        .bind(version)
        .execute(&mut *conn)
        .await?
    };
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
