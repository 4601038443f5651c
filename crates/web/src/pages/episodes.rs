//! An episode of Family Help: its page (lead, TAF, needs, notes, disagreements) and the forms
//! that change it. A form with problems comes back on the same page with what was typed.

use crate::components::{ErrorSummary, Radios, Select, Textarea};
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
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::drafts::KeptForm;
use hearth_app::episodes::case_notes::{NoteEdit, NoteForm};
use hearth_app::episodes::{
    AllocationForm, ClosureForm, EpisodeView, EscalationForm, EscalationUpdate, MemberForm,
    SignOff, StepForm,
};
use hearth_app::records::{Note, Revision, User};
use hearth_app::{Actor, AppError};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{ClosureReason, EpisodeLevel, NeedResult, NoteKind};
use hearth_domain::ids::{EpisodeId, EscalationId, NoteId, PersonId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// What was typed into the episode page's forms, kept when one comes back with problems.
#[derive(Default)]
struct Typed {
    note: NoteForm,
    member: MemberForm,
    allocation: AllocationForm,
    step: StepForm,
    closure: ClosureForm,
    escalation: EscalationForm,
    /// Why the manager sends the closure back.
    send_back_reason: String,
}

#[derive(Template)]
#[template(path = "episodes/show.html")]
struct EpisodePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    banner: Option<crate::components::NotificationBanner>,
    view: EpisodeView,
    level: EpisodeLevel,
    note_kind: Radios,
    note_on: crate::components::Input,
    note_participants: crate::components::Input,
    note_seen: bool,
    note_seen_alone: bool,
    note_body: Textarea,
    note_restricted: bool,
    member_user: Select,
    member_role: crate::components::Input,
    lead: Select,
    allocation_reason: Textarea,
    step_level: Radios,
    step_service: Radios,
    step_lead: Select,
    handover: Textarea,
    closure_reason: Radios,
    closure_results: Vec<Radios>,
    closure_summary: Textarea,
    send_back_reason: Textarea,
    escalation_about: Textarea,
    feedback: Vec<super::feedback::FeedbackLine>,
    needs: Vec<super::plans::NeedLine>,
}

async fn episode_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &Typed,
    errors: &FieldErrors,
    done: Option<&str>,
) -> Result<EpisodePage, WebError> {
    let view = state.hearth.episode(actor, id).await?;
    let level = view.level();
    let team = if view.may.allocate || view.may.manage {
        state.hearth.possible_team(actor).await?
    } else {
        Default::default()
    };
    let leads = team.leads;
    let members = if view.may.manage {
        team.members
    } else {
        Vec::new()
    };
    let people_choices = |list: &[User]| {
        let mut c = vec![(String::new(), "Choose someone".to_string())];
        c.extend(list.iter().map(|u| {
            (
                u.id.to_string(),
                format!("{} ({})", u.display_name, u.email),
            )
        }));
        c
    };
    let n = &typed.note;
    let today = view.today.format("%d/%m/%Y").to_string();
    Ok(EpisodePage {
        shell: Shell::new(state, visitor, level.label())
            .at("/")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        banner: done.map(fields::success),
        feedback: super::feedback::feedback_lines(&view.feedback, state.hearth.now()),
        needs: super::plans::need_lines(&view.needs_progress),
        level,
        note_kind: fields::radios(
            "kind",
            "What kind of contact was it?",
            NoteKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string(), None))
                .collect(),
            &n.kind,
            errors,
        ),
        note_on: fields::with_hint(
            fields::text(
                "occurred_on",
                "When did it happen?",
                if n.occurred_on.is_empty() {
                    &today
                } else {
                    &n.occurred_on
                },
                errors,
            ),
            "For example, 27/03/2026",
        ),
        note_participants: fields::text(
            "participants",
            "Who took part (optional)",
            &n.participants,
            errors,
        ),
        note_seen: n.child_seen == "yes",
        note_seen_alone: n.child_seen_alone == "yes",
        note_body: fields::textarea("body", "What happened", &n.body, errors),
        note_restricted: n.visibility == "owning_team",
        member_user: fields::select(
            "user_id",
            "Who is joining?",
            people_choices(&members),
            &typed.member.user_id,
            errors,
        ),
        member_role: fields::with_hint(
            fields::text(
                "role",
                "Their role in the team",
                &typed.member.role,
                errors,
            ),
            "For example, school designated safeguarding lead, health visitor",
        ),
        lead: fields::select(
            "lead_user_id",
            &format!("Who will be the {}?", level.lead_title().to_lowercase()),
            people_choices(&leads),
            &typed.allocation.lead_user_id,
            errors,
        ),
        allocation_reason: fields::textarea(
            "reason",
            "Reason (optional)",
            &typed.allocation.reason,
            errors,
        ),
        step_level: fields::radios(
            "level",
            "Move the family's help to",
            EpisodeLevel::ALL
                .iter()
                .filter(|l| **l != level)
                .map(|l| (l.code().to_string(), l.label().to_string(), None))
                .collect(),
            &typed.step.level,
            errors,
        ),
        step_service: fields::radios(
            "service",
            "For Targeted Family Help: which service?",
            vec![
                ("core".into(), "Core service".into(), None),
                (
                    "adolescence".into(),
                    "Adolescence Service".into(),
                    Some("Young people aged 10 and over".into()),
                ),
            ],
            &typed.step.service,
            errors,
        ),
        step_lead: fields::select(
            "lead_user_id",
            "For Early Family Help: who will be the lead professional?",
            people_choices(&leads),
            &typed.step.lead_user_id,
            errors,
        ),
        handover: fields::with_textarea_hint(
            fields::textarea(
                "handover",
                "Handover summary",
                &typed.step.handover,
                errors,
            ),
            "What the receiving team needs to know so the family do not have to tell their story again",
        ),
        closure_reason: fields::radios(
            "reason",
            "Why is the family's help ending?",
            ClosureReason::ALL
                .iter()
                .map(|r| (r.code().to_string(), r.label().to_string(), None))
                .collect(),
            &typed.closure.reason,
            errors,
        ),
        closure_results: view
            .needs
            .iter()
            .map(|(d, _)| {
                let name = format!("result_{}", d.code());
                fields::radios(
                    &name,
                    &format!("{}: how far was the need met?", d.label()),
                    NeedResult::ALL
                        .iter()
                        .map(|r| (r.code().to_string(), r.label().to_string(), None))
                        .collect(),
                    typed
                        .closure
                        .results
                        .get(d.code())
                        .map(String::as_str)
                        .unwrap_or(""),
                    errors,
                )
            })
            .collect(),
        closure_summary: fields::textarea(
            "summary",
            "Closure summary",
            &typed.closure.summary,
            errors,
        ),
        send_back_reason: fields::with_textarea_hint(
            fields::textarea(
                "send_back_reason",
                "If you send it back: why, and what the lead should change",
                &typed.send_back_reason,
                errors,
            ),
            "Needed to send it back; the lead sees it in the family's chronology.",
        ),
        escalation_about: fields::textarea(
            "about",
            "What is the disagreement about?",
            &typed.escalation.about,
            errors,
        ),
        view,
    })
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let done = q.done.as_deref().and_then(done_message);
    let page = episode_page(
        &state,
        &visitor,
        &actor,
        id,
        &Typed::default(),
        &FieldErrors::new(),
        done,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "note" => "Your note has been added.",
        "member" => "They have joined the Team Around the Family.",
        "left" => "They have left the Team Around the Family.",
        "allocated" => "The episode has been allocated.",
        "stepped" => "The family's help has moved. The receiving team has been told.",
        "closure" => "The closure has been recorded and sent for sign-off.",
        "signed_off" => "The closure has been signed off. The episode has ended.",
        "returned" => "The closure has been sent back to the lead.",
        "escalation" => "The disagreement has been recorded.",
        "route" => "The assessment route has been changed.",
        _ => return None,
    })
}

/// A case note kept when its session ended, back in the episode's note form to check and
/// add; `None` when the kept form was not a new note.
pub async fn kept_note(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    kept: &KeptForm,
) -> Result<Option<Response>, WebError> {
    let Some(id) = kept
        .path
        .strip_prefix("/episodes/")
        .and_then(|rest| rest.strip_suffix("/notes"))
        .and_then(|id| id.parse::<EpisodeId>().ok())
    else {
        return Ok(None);
    };
    let Ok(note) = serde_html_form::from_str::<NoteForm>(&kept.fields) else {
        return Ok(None);
    };
    let typed = Typed {
        note,
        ..Typed::default()
    };
    let mut page =
        episode_page(state, visitor, actor, id, &typed, &FieldErrors::new(), None).await?;
    page.banner = Some(fields::important(
        "You were signed out before your note was added. It was kept and is in the form below: check it, then add it.",
    ));
    Ok(Some(render(StatusCode::OK, &page)))
}

/// Runs a change; on problems, shows the page again with what was typed.
async fn after(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    result: Result<(), AppError>,
    done: &str,
    typed: Typed,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/episodes/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = episode_page(state, visitor, actor, id, &typed, &errors, None).await?;
            Ok(render(status_for(true), &page))
        }
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "version",
                "Someone else changed this episode since you opened it, so your change was not saved. Check the page and try again; what you typed is below.",
            );
            let page = episode_page(state, visitor, actor, id, &typed, &errors, None).await?;
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_note(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.add_note(&actor, id, &f).await.map(|_| ());
    let typed = Typed {
        note: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "note", typed).await
}

pub async fn add_member(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.add_taf_member(&actor, id, &f).await;
    let typed = Typed {
        member: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "member", typed).await
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    reason: String,
}

pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, member)): Path<(String, String)>,
    Form(f): Form<LeaveForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.leave_taf(&actor, id, &member, &f.reason).await;
    after(
        &state,
        &visitor,
        &actor,
        id,
        result,
        "left",
        Typed::default(),
    )
    .await
}

pub async fn allocate(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AllocationForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.allocate(&actor, id, &f).await;
    let typed = Typed {
        allocation: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "allocated", typed).await
}

pub async fn step(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.step_episode(&actor, id, &f).await;
    let typed = Typed {
        step: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "stepped", typed).await
}

pub async fn closure(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let f = ClosureForm::from_pairs(&pairs);
    let result = state.hearth.record_closure(&actor, id, &f).await;
    let typed = Typed {
        closure: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "closure", typed).await
}

#[derive(Deserialize)]
pub struct SignOffForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    send_back_reason: String,
    #[serde(default)]
    version: i64,
}

pub async fn sign_off(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<SignOffForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let decision = SignOff::from_form(&f.decision, &f.send_back_reason);
    let approve = decision.approves();
    match state
        .hearth
        .decide_closure(&actor, id, &decision, f.version)
        .await
    {
        // Signed off: the family's feedback link is shown now, the only time it can be.
        Ok(Some(link)) => Ok(super::feedback::letter(
            &state,
            &visitor,
            &headers,
            &link,
            "The closure has been signed off. The episode has ended.",
        )),
        result => {
            let done = if approve { "signed_off" } else { "returned" };
            let result = result.map(|_| ());
            let typed = Typed {
                send_back_reason: f.send_back_reason,
                ..Typed::default()
            };
            after(&state, &visitor, &actor, id, result, done, typed).await
        }
    }
}

pub async fn raise(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<EscalationForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.raise_escalation(&actor, id, &f).await;
    let typed = Typed {
        escalation: f,
        ..Typed::default()
    };
    after(&state, &visitor, &actor, id, result, "escalation", typed).await
}

pub async fn update_escalation(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, escalation)): Path<(String, String)>,
    Form(f): Form<EscalationUpdate>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let escalation: EscalationId = escalation.parse().map_err(|_| WebError::NotFound)?;
    let result = state
        .hearth
        .update_escalation(&actor, id, escalation, &f)
        .await;
    after(
        &state,
        &visitor,
        &actor,
        id,
        result,
        "escalation",
        Typed::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    route: String,
    #[serde(default)]
    version: i64,
}

pub async fn route(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<RouteForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state
        .hearth
        .set_route(&actor, id, &f.route, f.version)
        .await;
    after(
        &state,
        &visitor,
        &actor,
        id,
        result,
        "route",
        Typed::default(),
    )
    .await
}

#[derive(Template)]
#[template(path = "episodes/note.html")]
struct NotePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    note: Note,
    revisions: Vec<Revision>,
    may_edit: bool,
    /// Set when an edit was refused because someone else saved first.
    conflict: Option<String>,
    version: i64,
    kind: Radios,
    occurred_on: crate::components::Input,
    participants: crate::components::Input,
    seen: bool,
    seen_alone: bool,
    body: Textarea,
}

fn note_page(
    state: &AppState,
    visitor: &Visitor,
    (note, revisions, may_edit): (Note, Vec<Revision>, bool),
    f: &NoteForm,
    errors: &FieldErrors,
    conflict: Option<String>,
) -> NotePage {
    NotePage {
        shell: Shell::new(state, visitor, "Case note")
            .at("/")
            .with_errors(!errors.is_empty() || conflict.is_some()),
        error_summary: fields::error_summary(errors),
        version: note.version,
        kind: fields::radios(
            "kind",
            "What kind of contact was it?",
            NoteKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string(), None))
                .collect(),
            &f.kind,
            errors,
        ),
        occurred_on: fields::text("occurred_on", "When did it happen?", &f.occurred_on, errors),
        participants: fields::text(
            "participants",
            "Who took part (optional)",
            &f.participants,
            errors,
        ),
        seen: f.child_seen == "yes",
        seen_alone: f.child_seen_alone == "yes",
        body: fields::textarea("body", "What happened", &f.body, errors),
        note,
        revisions,
        may_edit,
        conflict,
    }
}

fn note_id(id: &str) -> Result<NoteId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn note(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let loaded = state.hearth.note(&actor, note_id(&id)?).await?;
    let form = NoteForm::from_note(&loaded.0);
    Ok(render(
        StatusCode::OK,
        &note_page(&state, &visitor, loaded, &form, &FieldErrors::new(), None),
    ))
}

pub async fn edit_note(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let id = note_id(&id)?;
    match state.hearth.edit_note(&actor, id, &f).await {
        Ok(NoteEdit::Saved) => {
            let (note, _, _) = state.hearth.note(&actor, id).await?;
            Ok(Redirect::to(&format!("/episodes/{}?done=note", note.episode_id)).into_response())
        }
        Ok(NoteEdit::Conflict(c)) => {
            let loaded = state.hearth.note(&actor, id).await?;
            let message = format!(
                "{} saved this note on {} after you opened it, so your changes were not saved. The saved text is shown above; your text is in the form below — copy what you need and save again.",
                c.saved.author_name,
                crate::dates::moment(c.saved.updated_at)
            );
            Ok(render(
                StatusCode::CONFLICT,
                &note_page(
                    &state,
                    &visitor,
                    loaded,
                    &c.yours,
                    &FieldErrors::new(),
                    Some(message),
                ),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let loaded = state.hearth.note(&actor, id).await?;
            Ok(render(
                status_for(true),
                &note_page(&state, &visitor, loaded, &f, &errors, None),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

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

pub async fn chronology(
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
