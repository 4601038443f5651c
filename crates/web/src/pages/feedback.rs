//! The family's feedback: the invitation letter a practitioner gives the family (shown once,
//! when the link is made), the short public page the family answer on (no sign-in), and the
//! answers as the episode page shows them.

use crate::components::{Button, ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::dates::day_of as day;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::family_frame::{kind_page, with_language, KindWords, PublicFrame};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use hearth_app::episodes::feedback::{FeedbackLink, Invitation};
use hearth_app::voice::SurveyAsk;
use hearth_app::AppError;
use hearth_domain::feedback::{rating_label, LinkProblem, RATINGS};
use hearth_domain::input::FieldErrors;
use hearth_domain::survey::{Audience, Kind};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/feedback-link", post(new_link))
        .route("/feedback/{token}", get(ask).post(answer))
}

/// One invitation as the episode page lists it.
pub struct FeedbackLine {
    /// Who made the link and when, and where it stands.
    pub invitation: String,
    /// What the family said: (rating, what changed, anything else).
    pub answer: Option<(String, String, String)>,
}

pub fn feedback_lines(list: &[Invitation], now: DateTime<Utc>) -> Vec<FeedbackLine> {
    list.iter()
        .map(|i| {
            let standing = match (&i.answer, i.withdrawn_at) {
                (Some(a), _) => format!("answered on {}", day(a.at)),
                (None, Some(_)) => "replaced by a newer link".into(),
                (None, None) if i.expires_at <= now => {
                    format!("not answered; the link expired on {}", day(i.expires_at))
                }
                (None, None) => format!(
                    "not answered yet; the link works until {}",
                    day(i.expires_at)
                ),
            };
            FeedbackLine {
                invitation: format!(
                    "Link made by {} on {}: {standing}",
                    i.created_by_name,
                    day(i.created_at)
                ),
                answer: i.answer.as_ref().map(|a| {
                    (
                        rating_label(a.rating).unwrap_or_default().to_string(),
                        a.what_changed.clone(),
                        a.anything_else.clone().unwrap_or_default(),
                    )
                }),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "feedback/letter.html")]
struct LetterPage {
    shell: Shell,
    /// What was just done, e.g. the sign-off.
    banner: Option<NotificationBanner>,
    episode: String,
    url: String,
    expires: String,
}

/// The invitation to give the family: the whole address, since they will type or tap it.
pub fn letter(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    link: &FeedbackLink,
    done: &str,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings.secure {
        "https"
    } else {
        "http"
    };
    render(
        StatusCode::OK,
        &LetterPage {
            shell: Shell::new(state, visitor, "The family's feedback invitation"),
            banner: Some(fields::success(done)),
            episode: link.episode.to_string(),
            url: format!("{scheme}://{host}{}", link.path),
            expires: day(link.expires_at),
        },
    )
}

async fn new_link(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    let link = state.hearth.new_feedback_link(&actor, id).await?;
    Ok(letter(
        &state,
        &visitor,
        &headers,
        &link,
        "A new feedback link has been made. The family's old link no longer works.",
    ))
}

/// One survey question on the family's page.
enum Asked {
    Choice(Radios),
    Text(Textarea),
}

#[derive(Template)]
#[template(path = "feedback/ask.html")]
struct AskPage {
    frame: PublicFrame,
    csrf: String,
    error_summary: Option<ErrorSummary>,
    token: String,
    heading: String,
    intro: String,
    /// The closure feedback form's fields, where the link has them.
    rating: Option<Radios>,
    what_changed: Option<Textarea>,
    anything_else: Option<Textarea>,
    questions: Vec<Asked>,
    send: Button,
}

/// The family's own language for the feedback pages, as on the directory's.
#[derive(Debug, Default, Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// The family's page: what the app said was wrong, in the family's language.
fn translated(tr: &Tr, sent: &HashMap<String, String>, errors: &FieldErrors) -> FieldErrors {
    let mut said = FieldErrors::new();
    let blank = |f: &str| sent.get(f).is_none_or(|v| v.trim().is_empty());
    for (field, _) in errors.iter() {
        let id = match field {
            "rating" => "feedback-error-rating",
            "what_changed" if blank("what_changed") => "feedback-error-what-changed",
            "what_changed" | "anything_else" => "feedback-error-too-long",
            f if blank(f) || !is_text_question(f) => "survey-error-choose",
            _ => "survey-error-too-long",
        };
        said.add(field, tr.t(id));
    }
    said
}

fn is_text_question(code: &str) -> bool {
    code == "comment"
}

/// A question's words in the family's language: the partnership's own where it gave them,
/// else the shipped translation.
fn wording(state: &AppState, tr: &Tr, audience: Audience, code: &str) -> String {
    state
        .hearth
        .policies()
        .surveys
        .wording_in(audience, code, tr.lang.code())
        .map(str::to_string)
        .unwrap_or_else(|| tr.t(&format!("survey-{}-{code}", audience.code())))
}

fn ask_page(
    state: &AppState,
    visitor: &Visitor,
    lang: Lang,
    token: &str,
    asks: &SurveyAsk,
    sent: &HashMap<String, String>,
    errors: &FieldErrors,
) -> AskPage {
    let tr = Tr::new(lang);
    let errors = translated(&tr, sent, errors);
    let value = |f: &str| sent.get(f).cloned().unwrap_or_default();
    let (heading, intro) = match (asks.feedback_form, asks.audience) {
        (true, _) => (tr.t("feedback-title"), tr.t("feedback-intro")),
        (false, Audience::Child) => (tr.t("survey-title-child"), tr.t("survey-intro-child")),
        (false, Audience::Family) => (tr.t("survey-title-family"), tr.t("survey-intro-family")),
    };
    let mut frame = PublicFrame::new(
        state,
        lang,
        heading.clone(),
        &format!("/feedback/{token}"),
        None,
    );
    frame.has_errors = !errors.is_empty();
    let prefix = tr.t("error-prefix");
    let mut rating = asks.feedback_form.then(|| {
        fields::radios(
            "rating",
            &tr.t("feedback-rating"),
            RATINGS
                .iter()
                .map(|(r, _)| (r.to_string(), tr.t(&format!("rating-{r}")), None))
                .collect(),
            &value("rating"),
            &errors,
        )
    });
    let mut what_changed = asks.feedback_form.then(|| {
        fields::with_textarea_hint(
            fields::textarea(
                "what_changed",
                &tr.t("feedback-what-changed"),
                &value("what_changed"),
                &errors,
            ),
            &tr.t("feedback-what-changed-hint"),
        )
    });
    let mut anything_else = asks.feedback_form.then(|| {
        fields::textarea(
            "anything_else",
            &tr.t("feedback-anything-else"),
            &value("anything_else"),
            &errors,
        )
    });
    let mut questions: Vec<Asked> = asks
        .questions
        .iter()
        .map(|q| {
            let words = wording(state, &tr, asks.audience, q.code);
            match q.kind {
                Kind::Choice(c) => Asked::Choice(fields::radios(
                    q.code,
                    &words,
                    c.codes()
                        .iter()
                        .map(|code| {
                            (
                                code.to_string(),
                                tr.t(&format!("survey-choice-{}", code.replace('_', "-"))),
                                None,
                            )
                        })
                        .collect(),
                    &value(q.code),
                    &errors,
                )),
                Kind::Text => {
                    Asked::Text(fields::textarea(q.code, &words, &value(q.code), &errors))
                }
            }
        })
        .collect();
    for message in [
        rating.as_mut().and_then(|r| r.error_message.as_mut()),
        what_changed.as_mut().and_then(|t| t.error_message.as_mut()),
        anything_else
            .as_mut()
            .and_then(|t| t.error_message.as_mut()),
    ]
    .into_iter()
    .flatten()
    {
        message.visually_hidden_text = Some(prefix.clone());
    }
    for q in &mut questions {
        let message = match q {
            Asked::Choice(r) => r.error_message.as_mut(),
            Asked::Text(t) => t.error_message.as_mut(),
        };
        if let Some(m) = message {
            m.visually_hidden_text = Some(prefix.clone());
        }
    }
    AskPage {
        frame,
        csrf: visitor.csrf().to_string(),
        error_summary: fields::error_summary(&errors).map(|mut s| {
            s.title_text = Some(tr.t("error-summary-title"));
            s
        }),
        token: token.to_string(),
        heading,
        intro,
        rating,
        what_changed,
        anything_else,
        questions,
        send: fields::submit(&tr.t("feedback-send")),
    }
}

fn done(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    heading: String,
    message: String,
) -> Response {
    let words = KindWords {
        heading,
        message,
        next: None,
    };
    kind_page(state, lang, status, "/find", words)
}

/// A survey link used already, or expired.
fn refused(state: &AppState, lang: Lang, problem: LinkProblem) -> Response {
    let tr = Tr::new(lang);
    done(
        state,
        lang,
        StatusCode::GONE,
        tr.t("feedback-refused-title"),
        tr.t(&format!("feedback-{}", problem.code())),
    )
}

async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let res = match state.hearth.survey_link(&token, visitor.origin()).await? {
        Ok(asks) => render(
            StatusCode::OK,
            &ask_page(
                &state,
                &visitor,
                lang,
                &token,
                &asks,
                &HashMap::new(),
                &FieldErrors::new(),
            ),
        ),
        Err(problem) => refused(&state, lang, problem),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(sent): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let tr = Tr::new(lang);
    let res = match state
        .hearth
        .answer_survey(&token, lang.code(), &sent, visitor.origin())
        .await
    {
        Ok(Ok(())) => done(
            &state,
            lang,
            StatusCode::OK,
            tr.t("feedback-thanks-title"),
            tr.t("feedback-thanks"),
        ),
        Ok(Err(problem)) => refused(&state, lang, problem),
        Err(AppError::Invalid(errors)) => {
            match state.hearth.survey_link(&token, visitor.origin()).await? {
                Ok(asks) => render(
                    status_for(true),
                    &ask_page(&state, &visitor, lang, &token, &asks, &sent, &errors),
                ),
                Err(problem) => refused(&state, lang, problem),
            }
        }
        Err(e) => return Err(e.into()),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}
