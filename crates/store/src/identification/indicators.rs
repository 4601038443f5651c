//! The partnership's indicators, every version kept (migration 0075, ADR 0057). Indicators are
//! configuration, not personal data: anyone's use case may read the current set; only the
//! matching desk (the data lead's) writes a version.

use crate::decode::{code, coded, parse_id, parse_time};
use crate::gate::MatchingDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::identification::feed::{EventKind, FeedKind};
use hearth_domain::identification::indicators::{Field, Indicator, Rule};
use hearth_domain::ids::UserId;
use hearth_domain::need::NeedDomain;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One version of an indicator, with who made it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub indicator: Indicator,
    /// This version retires the indicator: it fires no more.
    pub retired: bool,
    /// Who made it; `None` for Hearth's standard set.
    pub by: Option<UserId>,
    pub by_name: Option<String>,
    pub at: DateTime<Utc>,
}

const SELECT: &str = "SELECT i.code, i.version, i.label, i.feed, i.event, i.rule, i.event_count,
    i.field, i.tenths, i.months, i.needs, i.levels, i.retired, i.changed_by, i.changed_at,
    u.display_name
    FROM identification_indicators i LEFT JOIN users u ON u.id = i.changed_by";

fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("not a known {what}: {value}"))
}

fn read(r: &AnyRow) -> Result<Version> {
    let whole = |column: &str| -> Result<Option<u32>> {
        let v: Option<i64> = r.try_get(column)?;
        v.map(|v| u32::try_from(v).map_err(|_| corrupt(column, v)))
            .transpose()
    };
    let months = whole("months")?.ok_or_else(|| corrupt("months", "none"))?;
    let rule = match r.try_get::<String, _>("rule")?.as_str() {
        "presence" => Rule::Presence { months },
        "at_least" => Rule::AtLeast {
            count: whole("event_count")?.ok_or_else(|| corrupt("event_count", "none"))? as usize,
            months,
        },
        "below" => Rule::Below {
            field: code(
                &r.try_get::<Option<String>, _>("field")?.unwrap_or_default(),
                Field::from_code,
                "field",
            )?,
            tenths: whole("tenths")?.ok_or_else(|| corrupt("tenths", "none"))?,
            months,
        },
        other => return Err(corrupt("rule", other)),
    };
    let needs: String = r.try_get("needs")?;
    let levels: String = r.try_get("levels")?;
    let by: Option<String> = r.try_get("changed_by")?;
    let retired: i64 = r.try_get("retired")?;
    Ok(Version {
        indicator: Indicator {
            code: r.try_get("code")?,
            version: whole("version")?.ok_or_else(|| corrupt("version", "none"))?,
            label: r.try_get("label")?,
            feed: coded(r, "feed", FeedKind::from_code)?,
            event: coded(r, "event", EventKind::from_code)?,
            rule,
            needs: needs
                .split(',')
                .map(|c| code(c, NeedDomain::from_code, "need"))
                .collect::<Result<_>>()?,
            levels: levels
                .split(',')
                .map(|n| {
                    n.parse()
                        .ok()
                        .and_then(ContinuumLevel::from_number)
                        .ok_or_else(|| corrupt("level", n))
                })
                .collect::<Result<_>>()?,
        },
        retired: retired != 0,
        by: by.as_deref().map(parse_id).transpose()?,
        by_name: r.try_get("display_name")?,
        at: parse_time(&r.try_get::<String, _>("changed_at")?)?,
    })
}

/// Every version of every indicator, each indicator's oldest first, indicators by code.
pub async fn versions(conn: &mut Conn) -> Result<Vec<Version>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY i.code, i.version"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(read).collect()
}

/// The latest version of each indicator, retired or not, by code.
pub async fn latest(conn: &mut Conn) -> Result<Vec<Version>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.version = (SELECT MAX(v.version) FROM identification_indicators v
            WHERE v.code = i.code)
         ORDER BY i.code"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(read).collect()
}

/// The indicators that fire today: each one's latest version, unless it retires it.
pub async fn current(conn: &mut Conn) -> Result<Vec<Indicator>> {
    Ok(latest(conn)
        .await?
        .into_iter()
        .filter(|v| !v.retired)
        .map(|v| v.indicator)
        .collect())
}

/// The latest version of the indicator with this code, if there is one.
pub async fn latest_of(conn: &mut Conn, code: &str) -> Result<Option<Version>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE i.code = $1 ORDER BY i.version DESC LIMIT 1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(read).transpose()
}

/// Keeps a new version (`i.version` is the new version's number), made at the data lead's desk.
pub async fn insert(
    conn: &mut Conn,
    desk: &MatchingDesk,
    i: &Indicator,
    retired: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    let (count, field, tenths) = match i.rule {
        Rule::Presence { .. } => (None, None, None),
        Rule::AtLeast { count, .. } => (Some(count as i64), None, None),
        Rule::Below { field, tenths, .. } => (None, Some(field.code()), Some(i64::from(tenths))),
    };
    let needs: Vec<&str> = i.needs.iter().map(|n| n.code()).collect();
    let levels: Vec<String> = i.levels.iter().map(|l| l.number().to_string()).collect();
    sqlx::query(
        "INSERT INTO identification_indicators (code, version, label, feed, event, rule,
            event_count, field, tenths, months, needs, levels, retired, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&i.code)
    .bind(i64::from(i.version))
    .bind(&i.label)
    .bind(i.feed.code())
    .bind(i.event.code())
    .bind(i.rule.kind())
    .bind(count)
    .bind(field)
    .bind(tenths)
    .bind(i64::from(i.rule.months()))
    .bind(needs.join(","))
    .bind(levels.join(","))
    .bind(i64::from(retired))
    .bind(desk.analyst().to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}
