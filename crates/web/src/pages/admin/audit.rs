//! The audit log's page: search by who (a name, an email address or an id), record, event
//! and dates; each event shown whole, its details as readable lines; a page at a time; and
//! the events a search finds exported as CSV.

use crate::components::{ErrorSummary, Input, Pagination, PaginationLink, Select};
use crate::download::{self, csv_field};
use crate::error::WebError;
use crate::fields;
use crate::pages::admin::audit_details;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use hearth_app::audit_log::{Named, EXPORT_MAX, PAGE_SIZE};
use hearth_app::records::{AuditEvent, AuditQuery};
use hearth_domain::audit::AuditAction;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    who: String,
    #[serde(default)]
    record_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
    after: Option<i64>,
}

impl SearchQuery {
    /// The search's own fields as a query string, for paging and the export.
    fn params(&self) -> String {
        serde_urlencoded::to_string([
            ("who", self.who.as_str()),
            ("record_id", &self.record_id),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ])
        .unwrap_or_default()
    }

    /// The query for the log, or what to fix in the form.
    fn check(&self) -> Result<AuditQuery, FieldErrors> {
        let mut errors = FieldErrors::new();
        let from = date(&mut errors, "from", &self.from);
        let to = date(&mut errors, "to", &self.to);
        if !self.action.trim().is_empty() && AuditAction::from_code(self.action.trim()).is_none() {
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
        errors.into_result(AuditQuery {
            who: non_empty(&self.who),
            record_id: non_empty(&self.record_id),
            action: non_empty(&self.action),
            from: from.and_then(midnight),
            to: to.and_then(|d| d.succ_opt()).and_then(midnight),
            before_seq: self.before,
            after_seq: self.after,
        })
    }
}

/// One event as the page shows it.
struct EventView {
    seq: i64,
    what: String,
    at: String,
    who: String,
    record: String,
    from: String,
    reason: String,
    /// The event's details, one `name: value` line each.
    details: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    who: Input,
    record_id: Input,
    action: Select,
    from: Input,
    to: Input,
    /// The events found (`None` before a valid search).
    events: Option<Vec<EventView>>,
    caption: String,
    /// What the search's name matched: (people, users).
    named_people: Vec<String>,
    named_users: Vec<String>,
    export: String,
    pagination: Option<Pagination>,
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

fn what(e: &AuditEvent) -> String {
    e.action.label().to_string()
}

/// A record's type in words: "person" is "Person", "service_request" "Service request".
fn record_type(t: &str) -> String {
    let words = t.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn record(e: &AuditEvent) -> String {
    match (&e.record_type, &e.record_id) {
        (Some(t), Some(id)) => format!("{} {id}", record_type(t)),
        (None, Some(id)) => id.clone(),
        _ => String::new(),
    }
}

fn when(e: &AuditEvent) -> String {
    crate::dates::exact_moment(e.at)
}

fn view(e: &AuditEvent, names: &HashMap<String, String>) -> EventView {
    EventView {
        seq: e.seq,
        what: what(e),
        at: when(e),
        who: e.actor_label.clone(),
        record: record(e),
        from: e.ip.clone().unwrap_or_default(),
        reason: e.reason.clone().unwrap_or_default(),
        details: audit_details::lines(e.detail.as_deref(), names),
    }
}

/// Links to the newer and older pages around these events (keyed by sequence number).
fn pagination(q: &SearchQuery, events: &[AuditEvent]) -> Option<Pagination> {
    let (first, last) = (events.first()?, events.last()?);
    let full = events.len() as i64 == PAGE_SIZE;
    let link = |text: &str, key: &str, seq: i64| PaginationLink {
        text: Some(text.into()),
        href: Some(format!("/admin/audit?{}&{key}={seq}", q.params())),
        ..PaginationLink::default()
    };
    let newer = (q.before.is_some() || (q.after.is_some() && full))
        .then(|| link("Newer events", "after", first.seq));
    let older = (q.after.is_some() || full).then(|| link("Older events", "before", last.seq));
    (newer.is_some() || older.is_some()).then(|| Pagination {
        previous: newer,
        next: older,
        landmark_label: Some("Pages of events".into()),
        ..Pagination::default()
    })
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let checked = q.check();
    let errors = checked.as_ref().err().cloned().unwrap_or_default();
    let mut actions = vec![(String::new(), "Any event".to_string())];
    actions.extend(
        AuditAction::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.label().to_string())),
    );
    let mut page = AuditPage {
        shell: Shell::new(&state, &visitor, "Audit log")
            .at("/admin/audit")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(&errors),
        who: fields::with_hint(
            fields::text("who", "Who", &q.who, &errors),
            "A person's or a user's name, part of an email address, or an id: events by them or about them",
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
        events: None,
        caption: String::new(),
        named_people: Vec::new(),
        named_users: Vec::new(),
        export: format!("/admin/audit/export?{}", q.params()),
        pagination: None,
    };
    if let Ok(query) = checked {
        let found = state.hearth.audit_page(&actor, &query).await?;
        page.caption = if found.events.is_empty() {
            "No events match".to_string()
        } else {
            format!("{} events, newest first (UK time)", found.events.len())
        };
        let names = |users: bool| -> Vec<String> {
            found
                .named
                .iter()
                .filter(|n: &&Named| n.is_user == users)
                .map(|n| n.name.clone())
                .collect()
        };
        page.named_people = names(false);
        page.named_users = names(true);
        page.pagination = pagination(&q, &found.events);
        page.events = Some(
            found
                .events
                .iter()
                .map(|e| view(e, &found.account_names))
                .collect(),
        );
    }
    Ok(render(status_for(!errors.is_empty()), &page))
}

/// The events a search finds, as CSV (up to [`EXPORT_MAX`]); the export is audited.
pub async fn export(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let Ok(query) = q.check() else {
        // The search page says what to fix.
        return search(State(state), visitor, SignedIn(actor), Query(q)).await;
    };
    let export = state.hearth.export_audit(&actor, &query).await?;
    let mut csv = String::from(
        "No.,When (UTC),Who,Who (user id),What,Event code,Record type,Record id,From,Reason,Details,API token\r\n",
    );
    for e in &export.events {
        let fields = [
            e.seq.to_string(),
            when(e),
            e.actor_label.clone(),
            e.actor_user_id.clone().unwrap_or_default(),
            what(e),
            e.action.code().to_string(),
            e.record_type.clone().unwrap_or_default(),
            e.record_id.clone().unwrap_or_default(),
            e.ip.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            e.detail.clone().unwrap_or_default(),
            e.api_token_id.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    if export.cut_short {
        csv.push_str(&csv_field(&format!(
            "Only the newest {EXPORT_MAX} events are here: narrow the search (by dates, say) for the rest."
        )));
        csv.push_str("\r\n");
    }
    let name = format!(
        "hearth-audit-{}.csv",
        state.hearth.now().format("%Y%m%d-%H%M%S")
    );
    Ok(download::attachment(download::CSV, &name, csv.into_bytes()))
}
