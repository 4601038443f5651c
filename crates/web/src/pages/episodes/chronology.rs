//! A person's chronology: everything that happened in their record, in order, filtered by kind
//! and organisation, a page at a time, and as a page to print.

use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_domain::chronology::EntryKind;
use hearth_domain::ids::PersonId;

#[derive(Template)]
#[template(path = "episodes/chronology.html")]
struct ChronologyPage {
    shell: Shell,
    person: PersonId,
    page: hearth_app::episodes::case_notes::ChronologyPage,
    kinds: Vec<(&'static str, &'static str, bool)>,
    organisation: String,
    query: String,
    print: bool,
}

#[derive(Default)]
pub struct ChronologyQuery {
    kind: Vec<String>,
    organisation: String,
    page: Option<i64>,
    print: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    raw: axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let person: PersonId = id.parse().map_err(|_| WebError::NotFound)?;
    let raw = raw.0.unwrap_or_default();
    let q: ChronologyQuery = serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw.as_bytes())
        .map(|pairs| {
            let mut q = ChronologyQuery::default();
            for (k, v) in pairs {
                match k.as_str() {
                    "kind" => q.kind.push(v),
                    "organisation" => q.organisation = v,
                    "page" => q.page = v.parse().ok(),
                    "print" => q.print = Some(v),
                    _ => {}
                }
            }
            q
        })
        .unwrap_or_default();
    let organisation = q.organisation.parse().ok();
    let page = state
        .hearth
        .chronology(
            &actor,
            person,
            &q.kind,
            organisation,
            q.page.unwrap_or(1),
            None,
        )
        .await?;
    let mut query: Vec<(String, String)> =
        q.kind.iter().map(|k| ("kind".into(), k.clone())).collect();
    if !q.organisation.is_empty() {
        query.push(("organisation".into(), q.organisation.clone()));
    }
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    let print = q.print.is_some();
    let mut shell = Shell::new(&state, &visitor, "Chronology").at("/people");
    if print {
        // A page to print or save: the record alone, without the staff menu.
        shell.nav = None;
    }
    Ok(render(
        StatusCode::OK,
        &ChronologyPage {
            shell,
            person,
            kinds: EntryKind::ALL
                .iter()
                .map(|k| (k.code(), k.label(), q.kind.iter().any(|c| c == k.code())))
                .collect(),
            organisation: q.organisation,
            query,
            print,
            page,
        },
    ))
}
