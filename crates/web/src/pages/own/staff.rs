//! The practitioner's side of the family's own page (ADR 0045), on the episode: the thread
//! with the family (read and answer), inviting a family member to their own page, and
//! sharing case notes with the family. For the lead and the owning team.

use crate::components::{Button, ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::own::Sender;
use hearth_app::own::{FamilyThread, Invitable, LinkChannel};
use hearth_app::{Actor, AppError};
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::{EpisodeId, NoteId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/family", get(show))
        .route("/episodes/{id}/family/messages", post(send))
        .route("/episodes/{id}/family/invite", post(invite))
        .route("/notes/{id}/family", post(share))
}

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

struct Line {
    from: String,
    at: String,
    body: String,
}

struct NoteLine {
    id: String,
    on: String,
    author: String,
    body: String,
    shared: bool,
}

#[derive(Template)]
#[template(path = "own/thread.html")]
struct ThreadPage {
    shell: Shell,
    episode: String,
    section: &'static str,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    open: bool,
    lines: Vec<Line>,
    message: Textarea,
    send: Button,
    invite: Option<Radios>,
    channel: Option<Radios>,
    invite_button: Button,
    notes: Vec<NoteLine>,
}

#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: Option<String>,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    t: FamilyThread,
    done: Option<&str>,
    message: &str,
    errors: &FieldErrors,
) -> Response {
    let mut shell = Shell::new(state, visitor, "Messages with the family");
    shell.has_errors = !errors.is_empty();
    let open = t.status != EpisodeStatus::Closed;
    let invitable: Vec<(String, String, Option<String>)> = t
        .family
        .iter()
        .map(|i| (i.person.to_string(), i.name.clone(), invite_hint(i)))
        .collect();
    let invite = (open && !invitable.is_empty()).then(|| {
        fields::radios(
            "person",
            "Invite someone in the family to their own page",
            invitable,
            "",
            errors,
        )
    });
    // "By text" is offered only when someone in the family can be texted safely.
    let textable = t.family.iter().any(|i| i.by(LinkChannel::Text).is_ok());
    let mut channels = vec![(
        LinkChannel::Email.code().to_string(),
        "By email".to_string(),
        None,
    )];
    if textable {
        channels.push((
            LinkChannel::Text.code().to_string(),
            "By text message".to_string(),
            Some("Only to a mobile on their record, when they said texting is safe. Outside the times they said are safe, the text waits until those times begin.".to_string()),
        ));
    }
    let channel = invite.as_ref().map(|_| {
        fields::radios(
            "channel",
            "How should the link reach them?",
            channels,
            if textable {
                ""
            } else {
                LinkChannel::Email.code()
            },
            errors,
        )
    });
    render(
        status_for(!errors.is_empty()),
        &ThreadPage {
            shell,
            episode: t.episode.to_string(),
            section: "family",
            banner: done.and_then(|d| match d {
                "sent" => Some(fields::success(
                    "Your message was sent. The family were told by email.",
                )),
                "invited" => Some(fields::success(
                    "The invitation was sent by email in their language. The link works once.",
                )),
                "invited-text" => Some(fields::success(
                    "The invitation was sent by text in their language. Outside the times they said are safe, it waits until those times begin. The link works once.",
                )),
                "shared" => Some(fields::success("The note now shows on the family's page.")),
                "unshared" => Some(fields::success(
                    "The note no longer shows on the family's page.",
                )),
                _ => None,
            }),
            error_summary: fields::error_summary(errors),
            open,
            lines: t
                .messages
                .iter()
                .map(|m| Line {
                    from: match (&m.from, &m.organisation) {
                        (Sender::Family(_), _) => format!("{} (family)", m.from_name),
                        (Sender::Practitioner(_), Some(o)) => format!("{}, {o}", m.from_name),
                        (Sender::Practitioner(_), None) => m.from_name.clone(),
                    },
                    at: m.at.uk_moment(),
                    body: m.body.clone(),
                })
                .collect(),
            message: fields::textarea("message", "Write to the family", message, errors),
            send: fields::submit("Send message"),
            invite,
            channel,
            invite_button: fields::submit("Send the invitation"),
            notes: t
                .notes
                .iter()
                .map(|n| NoteLine {
                    id: n.id.to_string(),
                    on: n.occurred_on.uk(),
                    author: n.author.clone(),
                    body: n.body.chars().take(200).collect(),
                    shared: n.shared,
                })
                .collect(),
        },
    )
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let t = state.hearth.family_thread(&actor, episode_id(&id)?).await?;
    Ok(page(
        &state,
        &visitor,
        t,
        q.done.as_deref(),
        "",
        &FieldErrors::new(),
    ))
}

#[derive(Debug, Default, Deserialize)]
struct MessageForm {
    #[serde(default)]
    message: String,
}

async fn again(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    message: &str,
    e: AppError,
) -> Result<Response, WebError> {
    match e {
        AppError::Invalid(errors) => {
            let t = state.hearth.family_thread(actor, id).await?;
            Ok(page(state, visitor, t, None, message, &errors))
        }
        other => Err(other.into()),
    }
}

async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state.hearth.message_family(&actor, id, &f.message).await {
        Ok(()) => Ok(Redirect::to(&format!("/episodes/{id}/family?done=sent")).into_response()),
        Err(e) => again(&state, &visitor, &actor, id, &f.message, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct InviteForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    channel: String,
}

/// What stops a family member being invited, by each channel, if anything.
fn invite_hint(i: &Invitable) -> Option<String> {
    if let Some(stop) = &i.stop {
        return Some(format!("Cannot be invited: {stop}"));
    }
    let email = i.by(LinkChannel::Email).err();
    let text = i.by(LinkChannel::Text).err();
    match (email, text) {
        (None, None) => Some("By email or by text".into()),
        (None, Some(t)) => Some(format!("By email only. Not by text: {t}")),
        (Some(e), None) => Some(format!("By text only. Not by email: {e}")),
        (Some(e), Some(t)) => Some(format!("Cannot be invited. Email: {e}. Text: {t}")),
    }
}

async fn invite(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<InviteForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state
        .hearth
        .invite_to_own_page(&actor, id, &f.person, &f.channel)
        .await
    {
        Ok(channel) => {
            let done = match channel {
                LinkChannel::Email => "invited",
                LinkChannel::Text => "invited-text",
            };
            Ok(Redirect::to(&format!("/episodes/{id}/family?done={done}#invite")).into_response())
        }
        Err(e) => again(&state, &visitor, &actor, id, "", e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct ShareForm {
    #[serde(default)]
    shared: String,
}

async fn share(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ShareForm>,
) -> Result<Response, WebError> {
    let note: NoteId = id.parse().map_err(|_| WebError::NotFound)?;
    let shared = f.shared == "yes";
    let episode = state
        .hearth
        .share_note_with_family(&actor, note, shared)
        .await?;
    let done = if shared { "shared" } else { "unshared" };
    Ok(Redirect::to(&format!("/episodes/{episode}/family?done={done}#notes")).into_response())
}
