//! The toolkits: search, a page (any version) rendered from its Markdown, and the form that
//! publishes a new page or its next version.

use crate::components::{ErrorSummary, NotificationBanner};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::practice::PageLine;
use hearth_app::practice::{ToolkitForm, ToolkitPage};
use hearth_app::AppError;
use hearth_domain::ids::ToolkitPageId;
use hearth_domain::input::FieldErrors;
use hearth_domain::practice::PracticeStep;
use hearth_domain::role::Capability;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    /// A step of the journey: the pages that help with it (linked from that step's page).
    #[serde(default)]
    step: String,
}

#[derive(Template)]
#[template(path = "practice/toolkits.html")]
struct SearchPage {
    shell: Shell,
    step: Option<PracticeStep>,
    q: String,
    pages: Vec<PageLine>,
    may_edit: bool,
    today: chrono::NaiveDate,
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let step = PracticeStep::from_code(&q.step);
    let pages = match step {
        Some(step) if q.q.trim().is_empty() => state.hearth.toolkits_for(step).await?,
        _ => state.hearth.search_toolkits(&q.q).await?,
    };
    let page = SearchPage {
        step,
        shell: Shell::new(&state, &visitor, "Practice guidance").at("/toolkits"),
        q: q.q,
        pages,
        may_edit: actor.can(Capability::EditPracticeGuidance),
        today: state.hearth.now().date_naive(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    version: Option<i64>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "practice/toolkit.html")]
struct ShowPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    t: ToolkitPage,
    body: String,
}

fn page_id(id: &str) -> Result<ToolkitPageId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let t = state
        .hearth
        .toolkit_page(&actor, page_id(&id)?, q.version)
        .await?;
    let page = ShowPage {
        shell: Shell::new(&state, &visitor, &t.page.text.title).at("/toolkits"),
        banner: (q.done.as_deref() == Some("published"))
            .then(|| fields::success("The page is published.")),
        body: crate::markdown::render(&t.page.text.body, &[]),
        t,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "practice/toolkit_form.html")]
struct FormPage {
    shell: Shell,
    heading: &'static str,
    error_summary: Option<ErrorSummary>,
    action: String,
    back: String,
    version: i64,
    title: crate::components::Input,
    summary: crate::components::Textarea,
    body: crate::components::Textarea,
    step: crate::components::Select,
    review_on: crate::components::DateInput,
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    id: Option<ToolkitPageId>,
    f: &ToolkitForm,
    errors: &FieldErrors,
) -> FormPage {
    let review = f.review_parts();
    let mut steps = vec![(String::new(), "None in particular".to_string())];
    steps.extend(
        PracticeStep::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string())),
    );
    let (action, back) = match id {
        Some(id) => (format!("/toolkits/{id}/edit"), format!("/toolkits/{id}")),
        None => ("/toolkits/new".to_string(), "/toolkits".to_string()),
    };
    let heading = if id.is_some() {
        "Change a toolkit page"
    } else {
        "Write a toolkit page"
    };
    FormPage {
        heading,
        shell: Shell::new(state, visitor, heading)
        .at("/toolkits")
        .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("review_on", &review)]),
        action,
        back,
        version: f.version,
        title: fields::text("title", "Title", &f.title, errors),
        summary: fields::with_textarea_hint(
            fields::textarea("summary", "Summary", &f.summary, errors),
            "One or two sentences in plain language: what it helps with.",
        ),
        body: fields::with_textarea_hint(
            fields::textarea("body", "The guidance", &f.body, errors),
            "Plain language. Markdown: ## for a heading, - for a list, [text](https://…) for a link.",
        ),
        step: fields::select(
            "step",
            "Which step of the family's journey does it help with?",
            steps,
            &f.step,
            errors,
        ),
        review_on: fields::date(
            "review_on",
            "Review it by",
            Some("Within two years. For example, 27 3 2027"),
            &review,
            errors,
        ),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.may_write_guidance(&actor).await?;
    let page = form_page(
        &state,
        &visitor,
        None,
        &ToolkitForm::default(),
        &FieldErrors::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = page_id(&id)?;
    state.hearth.may_write_guidance(&actor).await?;
    let t = state.hearth.toolkit_page(&actor, id, None).await?;
    let page = form_page(
        &state,
        &visitor,
        Some(id),
        &ToolkitForm::of(&t.page),
        &FieldErrors::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: Option<ToolkitPageId>,
    f: ToolkitForm,
) -> Result<Response, WebError> {
    match state.hearth.publish_toolkit_page(actor, id, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/toolkits/{id}?done=published")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &form_page(state, visitor, id, &f, &errors),
        )),
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add("title", "Someone published a new version of this page since you opened it, so yours was not published. What you typed is below: open the page again to see theirs.");
            Ok(render(
                StatusCode::CONFLICT,
                &form_page(state, visitor, id, &f, &errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<ToolkitForm>,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, None, f).await
}

pub async fn publish(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ToolkitForm>,
) -> Result<Response, WebError> {
    let id = page_id(&id)?;
    save(&state, &visitor, &actor, Some(id), f).await
}
