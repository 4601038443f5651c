//! Reading stored text back into typed values, once, at the edge of the store. A value that
//! does not decode is [`StoreError::Corrupt`]: never a silent default that a page or a rule
//! would then act on.

use crate::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::time::from_text;
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("not an id: {text}")))
}

pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    from_text(text).ok_or_else(|| StoreError::Corrupt(format!("not a time: {text}")))
}

/// A stored calendar date (`YYYY-MM-DD`).
pub(crate) fn date(text: &str) -> Result<NaiveDate> {
    // ISO 8601's own parser: no format string to read for each of the many dates a report reads.
    text.parse::<NaiveDate>()
        .map_err(|_| StoreError::Corrupt(format!("not a date: {text}")))
}

/// A date that may be absent; present but unreadable is still an error.
pub(crate) fn opt_date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.as_deref().map(date).transpose()
}

/// A domain code (a level, a status, a role) through its own `from_code`; `what` names it in
/// the error.
pub(crate) fn code<T>(text: &str, from_code: fn(&str) -> Option<T>, what: &str) -> Result<T> {
    from_code(text).ok_or_else(|| StoreError::Corrupt(format!("not a known {what}: {text}")))
}

/// A row's column holding a domain code; the column's name says which in the error.
pub(crate) fn coded<T>(row: &AnyRow, column: &str, from_code: fn(&str) -> Option<T>) -> Result<T> {
    code(&row.try_get::<String, _>(column)?, from_code, column)
}

/// A column that may hold no code; present but unknown is still an error.
pub(crate) fn opt_coded<T>(
    row: &AnyRow,
    column: &str,
    from_code: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    row.try_get::<Option<String>, _>(column)?
        .map(|c| code(&c, from_code, column))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::episode::EpisodeLevel;

    #[test]
    fn bad_stored_values_are_errors_not_defaults() {
        assert!(matches!(date("2026-13-01"), Err(StoreError::Corrupt(_))));
        assert!(matches!(
            opt_date(Some("soon".into())),
            Err(StoreError::Corrupt(_))
        ));
        assert_eq!(opt_date(None).unwrap(), None);
        assert!(matches!(
            code("middling", EpisodeLevel::from_code, "level"),
            Err(StoreError::Corrupt(m)) if m.contains("middling")
        ));
        assert_eq!(
            code("early", EpisodeLevel::from_code, "level").unwrap(),
            EpisodeLevel::Early
        );
    }
}
