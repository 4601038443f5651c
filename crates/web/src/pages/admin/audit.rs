use crate::components::{ErrorSummary, Input, Select, Table};
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use hearth_app::audit_log::PAGE_SIZE;
use hearth_app::records::AuditQuery;
use hearth_domain::audit::AuditAction;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    record_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    actor: Input,
    record_id: Input,
    action: Select,
    from: Input,
    to: Input,
    table: Option<Table>,
    /// Link to the next (older) page of results.
    older: Option<String>,
}

fn date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"));
    if parsed.is_err() {
        errors.add(field, "Enter a date like 22/11/2026");
    }
    parsed.ok()
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let from = date(&mut errors, "from", &q.from);
    let to = date(&mut errors, "to", &q.to);
    if q.action.trim() != "" && AuditAction::from_code(q.action.trim()).is_none() {
        errors.add("action", "Select an event from the list");
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add(
                "to",
                "The end date must be the same as or after the start date",
            );
        }
    }
    let non_empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
    let (table, older) = if errors.is_empty() {
        let query = AuditQuery {
            actor: non_empty(&q.actor),
            record_id: non_empty(&q.record_id),
            action: non_empty(&q.action),
            from: from.and_then(midnight),
            to: to.and_then(|d| d.succ_opt()).and_then(midnight),
            before_seq: q.before,
        };
        let events = state.hearth.search_audit(&actor, &query).await?;
        let older = (events.len() as i64 == PAGE_SIZE)
            .then(|| events.last().map(|e| e.seq))
            .flatten()
            .map(|seq| {
                let params = [
                    ("actor", q.actor.as_str()),
                    ("record_id", &q.record_id),
                    ("action", &q.action),
                    ("from", &q.from),
                    ("to", &q.to),
                ];
                format!(
                    "/admin/audit?{}&before={seq}",
                    serde_urlencoded::to_string(params).unwrap_or_default()
                )
            });
        let rows = events
            .iter()
            .map(|e| {
                let what = AuditAction::from_code(&e.action)
                    .map(|a| a.label().to_string())
                    .unwrap_or_else(|| e.action.clone());
                let record = match (&e.record_type, &e.record_id) {
                    (Some(t), Some(id)) => format!("{t} {id}"),
                    (None, Some(id)) => id.clone(),
                    _ => String::new(),
                };
                vec![
                    fields::text_cell(e.seq.to_string()),
                    fields::text_cell(e.at.get(..19).unwrap_or(&e.at).replace('T', " ")),
                    fields::text_cell(&e.actor_label),
                    fields::text_cell(what),
                    fields::text_cell(record),
                    fields::text_cell(e.ip.as_deref().unwrap_or("")),
                    fields::text_cell(e.reason.as_deref().or(e.detail.as_deref()).unwrap_or("")),
                ]
            })
            .collect();
        let caption = if events.is_empty() {
            "No events match".to_string()
        } else {
            format!("{} events, newest first (times in UTC)", events.len())
        };
        (
            Some(fields::table(
                &caption,
                &[
                    "No.",
                    "When",
                    "Who",
                    "What",
                    "Record",
                    "From",
                    "Reason or detail",
                ],
                rows,
            )),
            older,
        )
    } else {
        (None, None)
    };
    let mut actions = vec![(String::new(), "Any event".to_string())];
    actions.extend(
        AuditAction::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.label().to_string())),
    );
    let page = AuditPage {
        shell: Shell::new(&state, &visitor, "Audit log")
            .at("/admin/audit")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(&errors),
        actor: fields::with_hint(
            fields::text("actor", "Who", &q.actor, &errors),
            "Part of an email address, or a user id",
        ),
        record_id: fields::text("record_id", "Record id", &q.record_id, &errors),
        action: fields::select("action", "Event", actions, &q.action, &errors),
        from: fields::with_hint(
            fields::text("from", "From", &q.from, &errors),
            "For example, 01/11/2026",
        ),
        to: fields::with_hint(
            fields::text("to", "To", &q.to, &errors),
            "For example, 22/11/2026",
        ),
        table,
        older,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}
