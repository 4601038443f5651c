//! Asking a TAF Worker: the advice on an episode (a section of its own), the page to ask,
//! and the Family Hub's queue where TAF Workers answer.

use crate::components::{ErrorSummary, NotificationBanner};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::episodes::{episode_id, section};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use hearth_app::episodes::EpisodeView;
use hearth_app::practice::Consultation;
use hearth_app::practice::{AnswerForm, ConsultationForm, HubQueue};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::{ConsultationId, EpisodeId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// How long something has waited, in words.
pub fn waited(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        0..=59 => "under an hour".to_string(),
        60..=1439 => match minutes / 60 {
            1 => "1 hour".to_string(),
            h => format!("{h} hours"),
        },
        _ => match minutes / 1440 {
            1 => "1 day".to_string(),
            d => format!("{d} days"),
        },
    }
}

#[derive(Template)]
#[template(path = "practice/advice.html")]
struct AdvicePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: EpisodeId,
    section: &'static str,
    view: EpisodeView,
    consultations: Vec<Consultation>,
}

pub async fn on_episode(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let view = state.hearth.episode(&actor, id).await?;
    let consultations = state.hearth.consultations(&actor, id).await?;
    let page = AdvicePage {
        shell: Shell::new(&state, &visitor, "Advice from TAF Workers").at("/"),
        banner: (q.done.as_deref() == Some("asked")).then(|| {
            fields::success("Your question has been sent to the Family Hub's TAF Workers. Their answer will be here.")
        }),
        error_summary: None,
        episode: id,
        section: section::ADVICE,
        view,
        consultations,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "practice/advice_new.html")]
struct AskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    hub: crate::components::Select,
    named: crate::components::Radios,
    question: crate::components::Textarea,
}

async fn ask_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    f: &ConsultationForm,
    errors: &FieldErrors,
) -> Result<AskPage, WebError> {
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.contribute, 1)
        .await?;
    let mut hubs = vec![(String::new(), "Choose a Family Hub".to_string())];
    hubs.extend(
        state
            .hearth
            .hubs()
            .await?
            .into_iter()
            .map(|(t, n)| (t.to_string(), n)),
    );
    Ok(AskPage {
        shell: Shell::new(state, visitor, "Ask a TAF Worker")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}/advice"),
        view,
        hub: fields::select("hub", "Which Family Hub?", hubs, &f.hub, errors),
        named: fields::radios(
            "named",
            "Do you want to name the family to the hub?",
            vec![
                (
                    "no".into(),
                    "No, ask without naming them".into(),
                    Some("The hub sees your question, your name and your organisation only. Do not put the family's names or address in the question.".into()),
                ),
                (
                    "yes".into(),
                    "Yes, name the family".into(),
                    Some("The hub sees the family members' names with your question.".into()),
                ),
            ],
            &f.named,
            errors,
        ),
        question: fields::textarea("question", "What do you want to know?", &f.question, errors),
    })
}

pub async fn ask_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = ask_page(
        &state,
        &visitor,
        &actor,
        id,
        &ConsultationForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ConsultationForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state.hearth.ask_taf_worker(&actor, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/episodes/{id}/advice?done=asked")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &ask_page(&state, &visitor, &actor, id, &f, &errors).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "practice/hub_queue.html")]
struct QueuePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    q: HubQueue,
    /// The consultation whose answer had problems, and what was typed.
    typed: Option<(ConsultationId, String)>,
    errors: FieldErrors,
}

impl QueuePage {
    fn between(&self, asked: &DateTime<Utc>, answered: &DateTime<Utc>) -> String {
        waited(*asked, *answered)
    }

    fn error_for(&self, id: &ConsultationId) -> Option<&str> {
        self.errors.get(&format!("answer-{id}"))
    }

    fn waited(&self, since: &DateTime<Utc>) -> String {
        waited(*since, self.q.now)
    }

    fn typed_for(&self, id: &ConsultationId) -> &str {
        match &self.typed {
            Some((t, text)) if t == id => text,
            _ => "",
        }
    }
}

async fn queue_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    banner: Option<NotificationBanner>,
    typed: Option<(ConsultationId, String)>,
    errors: &FieldErrors,
) -> Result<QueuePage, WebError> {
    let q = state.hearth.hub_queue(actor).await?;
    Ok(QueuePage {
        shell: Shell::new(state, visitor, "Consultations")
            .at("/hub/consultations")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        q,
        typed,
        errors: errors.clone(),
    })
}

pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = (q.done.as_deref() == Some("answered")).then(|| {
        fields::success("Your advice has been sent. The lead reads it on the family's episode.")
    });
    let page = queue_page(&state, &visitor, &actor, banner, None, &FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let id: ConsultationId = id.parse().map_err(|_| WebError::NotFound)?;
    match state.hearth.answer_consultation(&actor, id, &f).await {
        Ok(()) => Ok(Redirect::to("/hub/consultations?done=answered").into_response()),
        Err(AppError::Invalid(mut errors)) => {
            // The field is named for its consultation so the summary links to the right box.
            let mut named = FieldErrors::new();
            for (_, m) in errors.iter() {
                named.add(&format!("answer-{id}"), m);
            }
            errors = named;
            Ok(render(
                status_for(true),
                &queue_page(
                    &state,
                    &visitor,
                    &actor,
                    None,
                    Some((id, f.answer)),
                    &errors,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
