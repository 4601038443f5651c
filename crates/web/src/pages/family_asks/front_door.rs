//! The front door's side of families' own requests: the list waiting, one request with the
//! records each person may already be, and taking it in as a request for support.

use crate::components::{Button, Checkboxes, ErrorSummary, Radios, Textarea};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::i18n::Lang;
use crate::pages::requests::FamilyPanel;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hearth_app::family_asks::FamilyAsk;
use hearth_app::family_asks::{AskAtTheDoor, TakeInForm};
use hearth_app::AppError;
use hearth_domain::family_ask::{language_name, Born};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use hearth_domain::routing::Urgency;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/front-door/family-asks", get(list))
        .route("/front-door/family-asks/{id}", get(show).post(take_in))
}

/// How a family's contact safety reads to an officer: shown first, and plainly.
pub struct SafetyMarks {
    pub lines: Vec<(bool, String)>,
}

impl SafetyMarks {
    pub fn of(a: &FamilyAsk) -> Self {
        let mut lines = Vec::new();
        match a.safe_to_text {
            Some(false) => lines.push((
                true,
                "Do not text: the family said texting is not safe.".to_string(),
            )),
            Some(true) => lines.push((false, "Texting is safe, the family said.".to_string())),
            None => {}
        }
        match a.safe_to_leave_message {
            Some(false) => lines.push((
                true,
                "Do not leave a voice message: the family said it is not safe.".to_string(),
            )),
            Some(true) => lines.push((
                false,
                "A voice message is safe, the family said.".to_string(),
            )),
            None => {}
        }
        if !a.safe_times.is_empty() {
            lines.push((false, format!("Safe times to call: {}", a.safe_times)));
        }
        SafetyMarks { lines }
    }

    pub fn any_warning(&self) -> bool {
        self.lines.iter().any(|(w, _)| *w)
    }
}

/// The family's language, as the officer reads it.
pub fn language_of(a: &FamilyAsk) -> String {
    match (Lang::from_code(&a.language), language_name(&a.language)) {
        (Some(Lang::En), _) => "English".to_string(),
        (Some(l), Some(name)) => {
            format!("{} ({name}): an interpreter may be needed", l.native_name())
        }
        _ => format!("{} (an interpreter may be needed)", a.language_other),
    }
}

pub fn born_text(b: Born) -> String {
    match b {
        Born::On(d) => format!("born {}", d.format("%d/%m/%Y")),
        Born::Aged(y) => format!("aged {y}, the family said"),
        Born::Due(d) => format!("not born yet, due {}", d.format("%d/%m/%Y")),
    }
}

#[derive(Template)]
#[template(path = "family_asks/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<(FamilyAsk, SafetyMarks)>,
}

async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let asks = state.hearth.family_asks_waiting(&actor).await?;
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Requests from families").at("/front-door"),
        rows: asks
            .into_iter()
            .map(|a| {
                let m = SafetyMarks::of(&a);
                (a, m)
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "family_asks/show.html")]
struct ShowPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    at: AskAtTheDoor,
    panel: FamilyPanel,
    worries: Vec<String>,
    /// (legend, radios) per person named.
    choices: Vec<Radios>,
    needs: Checkboxes,
    urgency: Radios,
    safeguarding: Radios,
    lawful_basis: Textarea,
    submit: Button,
}

fn show_page(
    state: &AppState,
    visitor: &Visitor,
    at: AskAtTheDoor,
    f: &TakeInForm,
    e: &FieldErrors,
) -> ShowPage {
    let a = &at.ask;
    let choices = at
        .people
        .iter()
        .map(|p| {
            let field = format!("person_{}", p.named.position);
            let mut items: Vec<(String, String, Option<String>)> = p
                .matches
                .iter()
                .map(|m| {
                    let mut hint = format!("Matches on: {}", m.reasons.join(", "));
                    if m.likely {
                        hint = format!("Likely the same person. {hint}");
                    }
                    if !m.may_open {
                        hint.push_str(". You may see only who is involved with this record");
                    }
                    (
                        m.id.to_string(),
                        format!(
                            "Link to {}, {}{}",
                            m.name,
                            m.age,
                            m.area
                                .as_deref()
                                .map(|a| format!(", {a}"))
                                .unwrap_or_default()
                        ),
                        Some(hint),
                    )
                })
                .collect();
            items.push((
                "new".into(),
                format!("Add {} as a new person", p.named.name),
                Some(if p.matches.is_empty() {
                    "No record was found for them.".to_string()
                } else {
                    "None of these records is them.".to_string()
                }),
            ));
            fields::radios(
                &field,
                &format!(
                    "{} ({}, {}): {}",
                    p.named.name,
                    p.named.relation.label(),
                    born_text(p.named.born),
                    p.age
                ),
                items,
                f.links
                    .get(&p.named.position)
                    .map(String::as_str)
                    .unwrap_or(""),
                e,
            )
        })
        .collect();
    let ticked: Vec<String> = if f.needs.is_empty() && e.is_empty() {
        hearth_domain::family_ask::needs_of(&hearth_domain::family_ask::Answers {
            worries: a.worries.clone(),
            ..Default::default()
        })
        .iter()
        .map(|d| d.code().to_string())
        .collect()
    } else {
        f.needs.clone()
    };
    let needs = fields::checkboxes_with_hint(
        fields::checkboxes(
            "needs",
            "Needs",
            NeedDomain::ALL
                .iter()
                .map(|d| (d.code().to_string(), d.label().to_string(), None))
                .collect(),
            &ticked,
            e,
        ),
        "Ticked from the choices the family made. The family's words are the detail of each need.",
    );
    let urgency = fields::radios(
        "urgency",
        "How soon does the family need help?",
        Urgency::ALL
            .iter()
            .map(|u| (u.code().to_string(), u.label().to_string(), None))
            .collect(),
        if f.urgency.is_empty() {
            "routine"
        } else {
            f.urgency.as_str()
        },
        e,
    );
    let safeguarding = fields::radios(
        "safeguarding",
        "Is a child at risk of significant harm?",
        vec![
            ("yes".into(), "Yes".into(), None),
            ("no".into(), "No".into(), None),
        ],
        &f.safeguarding,
        e,
    );
    let lawful_basis = fields::with_textarea_hint(
        fields::textarea("lawful_basis", "Lawful basis for sharing", &f.lawful_basis, e),
        "Only if the family asked to talk first before anything is shared: the basis on which the front door looks into it now.",
    );
    ShowPage {
        shell: Shell::new(
            state,
            visitor,
            &format!("Request from a family, {}", a.reference),
        )
        .at("/front-door"),
        error_summary: fields::error_summary(e),
        panel: FamilyPanel::new(a.clone()),
        worries: a
            .worries
            .iter()
            .map(|w| w.domain().label().to_string())
            .collect(),
        choices,
        needs,
        urgency,
        safeguarding,
        lawful_basis,
        submit: fields::submit("Take in as a request"),
        at,
    }
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    let at = state.hearth.family_ask_at_the_door(&actor, id).await?;
    if let Some(r) = at.ask.request {
        return Ok(Redirect::to(&format!("/requests/{r}")).into_response());
    }
    let f = TakeInForm {
        version: at.ask.version,
        ..TakeInForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &show_page(&state, &visitor, at, &f, &FieldErrors::new()),
    ))
}

async fn take_in(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| {
        WebError::BadRequest("The form could not be read. Go back and try again.".into())
    })?;
    let f = TakeInForm::from_pairs(&pairs);
    match state.hearth.take_in_family_ask(&actor, id, &f).await {
        Ok(request) => Ok(Redirect::to(&format!("/requests/{request}/decide")).into_response()),
        Err(AppError::Invalid(e)) => {
            let at = state.hearth.family_ask_at_the_door(&actor, id).await?;
            Ok(render(
                status_for(true),
                &show_page(&state, &visitor, at, &f, &e),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
