//! The work of an episode: the whole-family assessment, the family plan (and its
//! plain-language view for the family), action updates and Team Around the Family reviews.
//! Every form works without JavaScript; a save refused because someone else saved first
//! shows both versions so nothing typed is lost.

use crate::components::{Button, Checkboxes, ErrorSummary, Input, Select, Textarea, WarningText};
use crate::dates::{day, day_of, moment};
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
use axum::routing::{get, post};
use axum::Router;
use hearth_app::episodes::assessment::{
    entry_field, AssessmentEdit, AssessmentForm, AssessmentView, EntryForm,
};
use hearth_app::episodes::distance::NeedProgress;
use hearth_app::episodes::plan::{Action, ActionUpdateForm, Plan, PlanEdit, PlanForm, PlanView};
use hearth_app::episodes::plan_services::{request_standing, NotSent};
use hearth_app::episodes::review::{
    progress_field, Outcome, Review, ReviewEdit, ReviewFields, ReviewForm, ReviewToEdit,
    ReviewVersion,
};
use hearth_app::episodes::SignOff;
use hearth_app::AppError;
use hearth_domain::episode::{Due, Route};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{ActionStatus, AssessmentStatus, Tenths};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/episodes/{id}/assessment",
            get(assessment_form).post(assessment_save),
        )
        .route("/episodes/{id}/plan", get(plan_form).post(plan_save))
        .route("/episodes/{id}/plan/actions/{action}", post(action_update))
        .route("/episodes/{id}/plan/family", get(family_view))
        .route(
            "/episodes/{id}/reviews/new",
            get(review_form).post(review_save),
        )
        .route(
            "/episodes/{id}/reviews/{review}/edit",
            get(review_edit_form).post(review_edit_save),
        )
}

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

fn due_text(d: Option<Due>) -> Option<String> {
    d.map(|d| d.describe())
}

fn scale_input(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Input {
    Input {
        inputmode: Some("numeric".into()),
        classes: Some("govuk-input--width-2".into()),
        ..fields::with_hint(
            fields::text(name, label, value, errors),
            "0 is the worst it could be, 10 the best",
        )
    }
}

fn date_input(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Input {
    Input {
        classes: Some("govuk-input--width-10".into()),
        ..fields::with_hint(
            fields::text(name, label, value, errors),
            "For example, 27/03/2026",
        )
    }
}

fn secondary(text: &str, name: &str, value: &str) -> Button {
    Button {
        name: Some(name.into()),
        value: Some(value.into()),
        classes: Some("govuk-button--secondary".into()),
        ..Button::text(text)
    }
}

/// One need's distance travelled, as read: the need, where each member started, where the
/// family are now, and the change.
pub struct NeedLine {
    pub need: String,
    pub start: String,
    pub now: String,
    pub change: String,
}

pub fn need_lines(list: &[NeedProgress]) -> Vec<NeedLine> {
    list.iter()
        .map(|n| NeedLine {
            need: n.domain.label().to_string(),
            start: match n.start_mean() {
                Some(mean) => format!(
                    "{mean} ({})",
                    n.start
                        .iter()
                        .map(|(who, s)| format!("{who} {s}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => "Not scored in the assessment".into(),
            },
            now: match &n.now {
                Some((on, score)) => format!("{score} (review on {})", day(*on)),
                None => "No review has scored it yet".into(),
            },
            change: match n.travelled() {
                Some(0) => "No change".into(),
                Some(t) => format!(
                    "{} {}",
                    if t > 0 { "Up" } else { "Down" },
                    Tenths(u16::try_from(t.unsigned_abs()).unwrap_or(u16::MAX))
                ),
                None => String::new(),
            },
        })
        .collect()
}

// ---- Assessment ----

struct DomainSection {
    label: String,
    open: bool,
    identified: Checkboxes,
    strengths: Textarea,
    needs: Textarea,
    risks: Textarea,
    scale: Input,
}

struct PersonSection {
    name: String,
    domains: Vec<DomainSection>,
}

/// One family member's part of the assessment as it reads: only the needs written about.
struct PersonReading {
    name: String,
    domains: Vec<NeedReading>,
}

/// One need of one family member as it reads.
struct NeedReading {
    need: String,
    /// False for a need only identified (as the brief assessment does), nothing written yet.
    written: bool,
    strengths: String,
    needs: String,
    risks: String,
    /// Where things are, from 0 to 10.
    scale: String,
}

/// The whole assessment as it reads, for everyone who may see the episode and for print.
fn reading(view: &AssessmentView) -> Vec<PersonReading> {
    let Some(a) = &view.assessment else {
        return Vec::new();
    };
    view.people
        .iter()
        .map(|(p, name)| PersonReading {
            name: name.clone(),
            domains: NeedDomain::ALL
                .iter()
                .filter_map(|d| {
                    let e = a
                        .fields
                        .entries
                        .iter()
                        .find(|e| e.person_id == *p && e.domain == *d)?;
                    let written = |t: &str| {
                        if t.trim().is_empty() {
                            "Nothing written".to_string()
                        } else {
                            t.to_string()
                        }
                    };
                    Some(NeedReading {
                        need: d.label().to_string(),
                        written: e.scale.is_some()
                            || [&e.strengths, &e.needs, &e.risks]
                                .iter()
                                .any(|t| !t.trim().is_empty()),
                        strengths: written(&e.strengths),
                        needs: written(&e.needs),
                        risks: written(&e.risks),
                        scale: e
                            .scale
                            .map(|s| format!("{s} out of 10"))
                            .unwrap_or_else(|| "Not scored".into()),
                    })
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "plans/assessment.html")]
struct AssessmentPage {
    shell: Shell,
    /// The episode's section this is, for its sub-navigation.
    section: &'static str,
    /// "Early Help Brief Assessment" or "Whole-family assessment".
    title: String,
    /// The brief form: the family-level questions and the needs identified, nothing more.
    brief: bool,
    /// Who is in the family, by name.
    family: Vec<String>,
    going_well: Textarea,
    worries: Textarea,
    next_step: Textarea,
    /// The brief form's needs identified, one group for each family member.
    needs_identified: Vec<Checkboxes>,
    /// What is saved in the family-level questions: (question, answer).
    family_answers: Vec<(String, String)>,
    may_extend: bool,
    extend: Button,
    error_summary: Option<ErrorSummary>,
    conflict: Option<WarningText>,
    saved_voices: Option<(String, String)>,
    episode: String,
    version: i64,
    status: String,
    due: Option<String>,
    due_on: String,
    editable: bool,
    /// The print-friendly page: the assessment as it reads, nothing else.
    print: bool,
    /// Who last saved it and when; who signed it off and when.
    saved: Option<String>,
    signed_off: Option<String>,
    voices: Option<(String, String)>,
    reading: Vec<PersonReading>,
    may_submit: bool,
    may_sign_off: bool,
    child_voice: Textarea,
    parent_voice: Textarea,
    people: Vec<PersonSection>,
    save: Button,
    submit: Button,
    approve: Button,
    send_back: Button,
    send_back_reason: Textarea,
}

fn assessment_page(
    state: &AppState,
    visitor: &Visitor,
    view: &AssessmentView,
    form: &AssessmentForm,
    errors: &FieldErrors,
    conflict: Option<&hearth_app::episodes::assessment::Assessment>,
    print: bool,
) -> AssessmentPage {
    let status = view.status();
    let route = view.route();
    let brief = route == Route::Brief;
    let editable = view.may.edit && status == AssessmentStatus::Draft && !print;
    let identified = |p: &PersonId| -> Vec<String> {
        form.entries
            .iter()
            .filter(|((person, _), e)| *person == p.to_string() && e.identified)
            .map(|((_, domain), _)| domain.clone())
            .collect()
    };
    let needs_identified = view
        .people
        .iter()
        .enumerate()
        .map(|(i, (p, name))| {
            let mut group = fields::checkboxes(
                &format!("identified.{p}"),
                &format!("Needs identified for {name}"),
                NeedDomain::ALL
                    .iter()
                    .map(|d| (d.code().to_string(), d.label().to_string(), None))
                    .collect(),
                &identified(p),
                errors,
            );
            group.classes = Some("govuk-checkboxes--small".into());
            if let Some(f) = group.fieldset.as_mut().and_then(|f| f.legend.as_mut()) {
                f.classes = Some("govuk-fieldset__legend--s".into());
            }
            if i == 0 {
                // The error summary's "choose a need" links here.
                group.id_prefix = Some("entries".into());
                group.error_message = errors
                    .get("entries")
                    .map(crate::components::ErrorMessage::text);
            }
            group
        })
        .collect();
    let people = view
        .people
        .iter()
        .map(|(p, name)| PersonSection {
            name: name.clone(),
            domains: NeedDomain::ALL
                .iter()
                .map(|d| {
                    let key = (p.to_string(), d.code().to_string());
                    let entry = form.entries.get(&key).cloned().unwrap_or_default();
                    let field = |part: &str| entry_field(&key.0, &key.1, part);
                    let has_error = ["strengths", "needs", "risks", "scale"]
                        .iter()
                        .any(|part| errors.get(&field(part)).is_some());
                    let mut identified = fields::checkboxes(
                        &format!("identified.{}", key.0),
                        &format!("{}: {}", name, d.label()),
                        vec![(key.1.clone(), "Identified as a need".to_string(), None)],
                        &if entry.identified {
                            vec![key.1.clone()]
                        } else {
                            vec![]
                        },
                        errors,
                    );
                    identified.id_prefix = Some(format!("identified-{}-{}", key.0, key.1));
                    identified.classes = Some("govuk-checkboxes--small".into());
                    // The details' summary already says which need it is.
                    identified.fieldset = None;
                    DomainSection {
                        label: d.label().to_string(),
                        open: has_error || entry != EntryForm::default(),
                        identified,
                        strengths: fields::textarea(
                            &field("strengths"),
                            "Strengths",
                            &entry.strengths,
                            errors,
                        ),
                        needs: fields::textarea(&field("needs"), "Needs", &entry.needs, errors),
                        risks: fields::textarea(&field("risks"), "Risks", &entry.risks, errors),
                        scale: scale_input(
                            &field("scale"),
                            "Where things are now, from 0 to 10",
                            &entry.scale,
                            errors,
                        ),
                    }
                })
                .collect(),
        })
        .collect();
    let id = view.episode.id;
    let family_text = |name: &str, label: &str, hint: &str, value: &str| {
        fields::with_textarea_hint(fields::textarea(name, label, value, errors), hint)
    };
    AssessmentPage {
        shell: Shell::new(state, visitor, route.label()).with_errors(!errors.is_empty()),
        section: "assessment",
        title: route.label().to_string(),
        brief,
        family: view.people.iter().map(|(_, n)| n.clone()).collect(),
        going_well: family_text(
            "going_well",
            "What is going well",
            "The family's strengths, and what helps",
            &form.going_well,
        ),
        worries: family_text(
            "worries",
            "What the worries are",
            "What the family, and those who work with them, are worried about",
            &form.worries,
        ),
        next_step: family_text(
            "next_step",
            "The next step",
            "What happens next, agreed with the family: for example a family plan, or a service",
            &form.next_step,
        ),
        needs_identified,
        family_answers: view
            .assessment
            .as_ref()
            .map(|a| {
                [
                    ("What is going well", &a.fields.going_well),
                    ("What the worries are", &a.fields.worries),
                    ("The next step", &a.fields.next_step),
                ]
                .into_iter()
                .map(|(q, v)| {
                    let v = if v.trim().is_empty() { "Nothing written".to_string() } else { v.clone() };
                    (q.to_string(), v)
                })
                .collect()
            })
            .unwrap_or_default(),
        may_extend: brief
            && !print
            && view.may.edit
            && view.assessment.is_some()
            && status != AssessmentStatus::Submitted,
        extend: secondary(
            "Extend into the whole-family assessment",
            "extend",
            "yes",
        ),
        error_summary: fields::error_summary(errors),
        conflict: conflict.map(|saved| WarningText {
            text: Some(format!(
                "{} saved this assessment while you were working on it, so your changes have not been saved. \
                 What they saved is shown first; your version is in the form below. Check it and save again.",
                saved.saved_by_name
            )),
            ..WarningText::default()
        }),
        saved_voices: conflict.map(|s| (s.fields.child_voice.clone(), s.fields.parent_voice.clone())),
        episode: id.to_string(),
        version: conflict.map(|s| s.version).unwrap_or(form.version),
        status: status.label().to_string(),
        due: due_text(view.due),
        due_on: day(view.due_on),
        editable,
        print,
        saved: view
            .assessment
            .as_ref()
            .map(|a| format!("{}, {}", a.saved_by_name, moment(a.saved_at))),
        signed_off: view
            .assessment
            .as_ref()
            .and_then(|a| a.signed_off_at)
            .map(moment),
        voices: view
            .assessment
            .as_ref()
            .map(|a| (a.fields.child_voice.clone(), a.fields.parent_voice.clone())),
        reading: reading(view),
        may_submit: editable && view.assessment.is_some(),
        may_sign_off: view.may.sign_off && status == AssessmentStatus::Submitted,
        child_voice: fields::with_textarea_hint(
            fields::textarea("child_voice", "The child's voice", &form.child_voice, errors),
            "What the child says, in their own words",
        ),
        parent_voice: fields::with_textarea_hint(
            fields::textarea(
                "parent_voice",
                if brief { "The family's view" } else { "The parents' voice" },
                &form.parent_voice,
                errors,
            ),
            "What the parents or carers say, in their own words",
        ),
        people,
        save: fields::submit("Save draft"),
        submit: secondary("Submit for sign-off", "submit", "yes"),
        approve: Button {
            name: Some("decision".into()),
            value: Some("approve".into()),
            ..fields::submit("Sign off the assessment")
        },
        send_back: secondary("Send back to the lead", "decision", "return"),
        send_back_reason: fields::with_textarea_hint(
            fields::textarea(
                "send_back_reason",
                "If you send it back: why, and what the lead should change",
                "",
                errors,
            ),
            "Needed to send it back; the lead sees it in the family's chronology.",
        ),
    }
}

/// `?print=yes` asks for the print-friendly page.
#[derive(Debug, Default, serde::Deserialize)]
struct PrintQuery {
    #[serde(default)]
    print: Option<String>,
}

async fn assessment_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PrintQuery>,
) -> Result<Response, WebError> {
    let view = state.hearth.assessment(&actor, episode_id(&id)?).await?;
    let form = view
        .assessment
        .as_ref()
        .map(AssessmentForm::from_assessment)
        .unwrap_or_default();
    Ok(render(
        StatusCode::OK,
        &assessment_page(
            &state,
            &visitor,
            &view,
            &form,
            &FieldErrors::new(),
            None,
            q.print.is_some(),
        ),
    ))
}

async fn assessment_save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let form = AssessmentForm::from_pairs(&pairs);
    let choice = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let back = Redirect::to(&format!("/episodes/{id}/assessment")).into_response();
    let result = if let Some(decision) = choice("decision") {
        let decision = SignOff::from_form(decision, choice("send_back_reason").unwrap_or(""));
        state
            .hearth
            .sign_off_assessment(&actor, id, &decision, form.version)
            .await
            .map(|_| None)
    } else if choice("extend").is_some() {
        state
            .hearth
            .extend_assessment(&actor, id, form.version)
            .await
            .map(|_| None)
    } else if choice("submit").is_some() {
        state
            .hearth
            .submit_assessment(&actor, id, form.version)
            .await
            .map(|_| None)
    } else {
        state
            .hearth
            .save_assessment(&actor, id, &form)
            .await
            .map(|edit| match edit {
                AssessmentEdit::Saved => None,
                AssessmentEdit::Conflict(c) => Some(c),
            })
    };
    match result {
        Ok(None) => Ok(back),
        Ok(Some(c)) => {
            let view = state.hearth.assessment(&actor, id).await?;
            Ok(render(
                StatusCode::CONFLICT,
                &assessment_page(
                    &state,
                    &visitor,
                    &view,
                    &c.yours,
                    &FieldErrors::new(),
                    Some(&c.saved),
                    false,
                ),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let view = state.hearth.assessment(&actor, id).await?;
            let form = if choice("submit").is_some() {
                view.assessment
                    .as_ref()
                    .map(AssessmentForm::from_assessment)
                    .unwrap_or_default()
            } else {
                form
            };
            let mut page = assessment_page(&state, &visitor, &view, &form, &errors, None, false);
            page.send_back_reason.value = choice("send_back_reason").map(str::to_string);
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Plan ----

struct OutcomeRow {
    n: usize,
    id: String,
    text: Textarea,
    needs: Checkboxes,
}

struct ActionRow {
    n: usize,
    id: String,
    what: Input,
    outcome: Select,
    owner: Select,
    due_on: Input,
    status: Select,
}

/// A saved action with where it stands and a form to update it.
struct SavedAction {
    id: String,
    outcome_id: String,
    what: String,
    owner: String,
    due_on: String,
    status: String,
    updates: Vec<String>,
    update_status: Select,
    update_note: Textarea,
}

/// One service on the plan: who it is for, where each request stands, and the requests it
/// calls for that have not gone (with where to record a missing consent).
struct ServiceLine {
    name: String,
    lines: Vec<String>,
    /// (person id, name) whose consent naming the organisation is missing.
    consent_needed: Vec<(String, String)>,
}

struct ReviewSummary {
    id: String,
    /// "Corrected by …" when it has been.
    corrected: Option<String>,
    held_on: String,
    attendees: String,
    decisions: String,
    next_review_on: String,
    progress: Vec<(String, u8, String)>,
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage {
    shell: Shell,
    /// The episode's section this is, for its sub-navigation.
    section: &'static str,
    error_summary: Option<ErrorSummary>,
    conflict: Option<WarningText>,
    saved: Option<Vec<(String, Vec<String>)>>,
    episode: String,
    /// The family the plan is for, by name, so a part page says whose plan it is.
    family: String,
    version: i64,
    may_edit: bool,
    may_contribute: bool,
    next_review_on: String,
    review_due: Option<String>,
    outcomes: Vec<OutcomeRow>,
    actions: Vec<ActionRow>,
    /// Which part of the plan the page shows: `summary`, one part to change (`outcomes`,
    /// `actions`, `services`, `agreement`), `all` of them, or `update` for one action.
    mode: String,
    /// The action whose update form is shown, in `update` mode.
    update_id: String,
    /// The saved outcomes: (id, what the family wants).
    saved_outcomes: Vec<(String, String)>,
    /// The family's agreement as saved, in words.
    agreement: String,
    /// (service, who it is for)
    directory_services: Vec<(Select, Select)>,
    services: Textarea,
    /// The plan's services as saved.
    saved_services: Vec<ServiceLine>,
    /// Some request the plan calls for has not gone and can be sent again.
    may_send: bool,
    send: Button,
    /// Requests for the family to services the plan does not name: (service, standing).
    other_requests: Vec<(String, String)>,
    agreed: crate::components::Radios,
    agreed_on: Input,
    agreed_by: Input,
    save: Button,
    saved_actions: Vec<SavedAction>,
    update: Button,
    versions: Vec<(i64, String, String)>,
    reviews: Vec<ReviewSummary>,
    distance: Vec<(String, u8, u8)>,
    needs: Vec<NeedLine>,
}

fn status_choices() -> Vec<(String, String)> {
    ActionStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect()
}

/// The saved plan as lines to read beside what this user typed.
fn plan_lines(p: &Plan, view: &PlanView) -> Vec<(String, Vec<String>)> {
    p.fields
        .outcomes
        .iter()
        .map(|o| {
            (
                o.text.clone(),
                p.fields
                    .actions
                    .iter()
                    .filter(|a| a.outcome_id == o.id)
                    .map(|a| {
                        format!(
                            "{} — {}{} ({})",
                            a.what,
                            view.owners.name_of(a),
                            a.due_on
                                .map(|d| format!(", by {}", day(d)))
                                .unwrap_or_default(),
                            a.status.label(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn plan_page(
    state: &AppState,
    visitor: &Visitor,
    view: &PlanView,
    form: &PlanForm,
    errors: &FieldErrors,
    conflict: Option<&Plan>,
    update_errors: Option<(&str, &FieldErrors)>,
    mode: &str,
) -> PlanPage {
    let empty = FieldErrors::new();
    let outcomes: Vec<OutcomeRow> = form
        .outcomes
        .iter()
        .enumerate()
        .map(|(n, o)| OutcomeRow {
            n,
            id: o.id.clone(),
            text: fields::with_textarea_hint(
                fields::textarea(
                    &format!("outcome.{n}.text"),
                    &format!("Outcome {}: what the family wants", n + 1),
                    &o.text,
                    errors,
                ),
                "In the family's own words",
            ),
            needs: fields::checkboxes(
                &format!("outcome.{n}.needs"),
                "Which needs does it work on?",
                NeedDomain::ALL
                    .iter()
                    .map(|d| (d.code().to_string(), d.label().to_string(), None))
                    .collect(),
                &o.needs,
                errors,
            ),
        })
        .collect();
    let outcome_choices: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose an outcome".to_string()))
            .chain(
                outcomes
                    .iter()
                    .map(|o| (o.n.to_string(), format!("Outcome {}", o.n + 1))),
            )
            .collect();
    let owner_choices: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose who".to_string()))
            .chain(view.owners.choices.iter().cloned())
            .collect();
    let actions = form
        .actions
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let f = |part: &str| format!("action.{n}.{part}");
            ActionRow {
                n,
                id: a.id.clone(),
                what: fields::text(
                    &f("what"),
                    &format!("Action {}: what will be done", n + 1),
                    &a.what,
                    errors,
                ),
                outcome: fields::select(
                    &f("outcome"),
                    "Towards which outcome",
                    outcome_choices.clone(),
                    &a.outcome,
                    errors,
                ),
                owner: fields::select(
                    &f("owner"),
                    "Who will do it",
                    owner_choices.clone(),
                    &a.owner,
                    errors,
                ),
                due_on: date_input(&f("due_on"), "By when", &a.due_on, errors),
                status: fields::select(
                    &f("status"),
                    "Where it stands",
                    status_choices(),
                    &a.status,
                    errors,
                ),
            }
        })
        .collect();
    let saved_actions = view
        .plan
        .iter()
        .flat_map(|p| p.fields.actions.iter())
        .enumerate()
        .map(|(i, a)| {
            let mine = update_errors.filter(|(id, _)| *id == a.id);
            let errs = mine.map(|(_, e)| e).unwrap_or(&empty);
            let mut status = fields::select(
                "status",
                "Where it stands now",
                status_choices(),
                a.status.code(),
                errs,
            );
            let mut note = fields::textarea("note", "What has happened", "", errs);
            if mine.is_none() {
                // Only the form with problems takes the ids the error summary links to.
                status.id = Some(format!("update-{i}-status"));
                note.id = Some(format!("update-{i}-note"));
            }
            SavedAction {
                id: a.id.clone(),
                outcome_id: a.outcome_id.clone(),
                what: a.what.clone(),
                owner: view.owners.name_of(a),
                due_on: a.due_on.map(day).unwrap_or_default(),
                status: a.status.label().to_string(),
                updates: view
                    .updates
                    .iter()
                    .filter(|u| u.action_id == a.id)
                    .map(|u| {
                        format!(
                            "{} — {} ({}, {})",
                            u.note,
                            u.status.label(),
                            u.by_name,
                            day_of(u.at)
                        )
                    })
                    .collect(),
                update_status: status,
                update_note: note,
            }
        })
        .collect();
    let outcome_text = |id: &str| {
        view.plan
            .iter()
            .flat_map(|p| p.fields.outcomes.iter())
            .find(|o| o.id == id)
            .map(|o| o.text.clone())
            .unwrap_or_else(|| "An outcome no longer in the plan".into())
    };
    let all_errors = update_errors.map(|(_, e)| e).unwrap_or(errors);
    PlanPage {
        shell: Shell::new(state, visitor, "Family plan").with_errors(!all_errors.is_empty()),
        section: "plan",
        error_summary: fields::error_summary(all_errors),
        conflict: conflict.map(|saved| WarningText {
            text: Some(format!(
                "{} saved version {} of this plan while you were working on it, so your changes have not been saved. \
                 Their version is shown first; yours is in the form below. Check it and save again.",
                saved.saved_by_name, saved.version
            )),
            ..WarningText::default()
        }),
        saved: conflict.map(|p| plan_lines(p, view)),
        episode: view.episode.id.to_string(),
        family: view
            .people
            .iter()
            .map(|(_, name)| name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        version: conflict.map(|p| p.version).unwrap_or(form.version),
        may_edit: view.may.edit,
        may_contribute: view.may.contribute,
        next_review_on: day(view.next_review_on),
        review_due: due_text(view.review_due),
        outcomes,
        actions,
        directory_services: {
            let choices: Vec<(String, String)> =
                std::iter::once((String::new(), "Choose a service".to_string()))
                    .chain(view.service_choices.iter().map(|c| {
                        (c.id.to_string(), format!("{} — {}", c.name, c.organisation))
                    }))
                    .chain(
                        // A service the plan names whose entry has since been withdrawn.
                        view.plan
                            .iter()
                            .flat_map(|p| p.fields.directory_services.iter())
                            .filter(|s| !view.service_choices.iter().any(|c| c.id == s.service_id))
                            .map(|s| (s.service_id.to_string(), format!("{} (no longer in the directory)", s.name))),
                    )
                    .collect();
            let people: Vec<(String, String)> =
                std::iter::once((String::new(), "Everyone in the family".to_string()))
                    .chain(view.people.iter().map(|(p, n)| (p.to_string(), n.clone())))
                    .collect();
            form.directory_services
                .iter()
                .enumerate()
                .map(|(n, chosen)| {
                    (
                        fields::select(
                            &format!("directory_service.{n}"),
                            &format!("Service from the directory {}", n + 1),
                            choices.clone(),
                            chosen,
                            errors,
                        ),
                        fields::select(
                            &format!("directory_service_for.{n}"),
                            &format!("Who service {} is for", n + 1),
                            people.clone(),
                            form.directory_services_for.get(n).map_or("", String::as_str),
                            errors,
                        ),
                    )
                })
                .collect()
        },
        services: fields::with_textarea_hint(
            fields::textarea("services", "Services not in the directory", &form.services, errors),
            "One a line",
        ),
        saved_services: view
            .services
            .iter()
            .map(|s| ServiceLine {
                name: match &s.for_person {
                    Some(p) => format!("{} (for {p})", s.name),
                    None => s.name.clone(),
                },
                lines: s
                    .requests
                    .iter()
                    .map(|r| format!("Request for {}: {}", r.person_name, request_standing(r)))
                    .chain(s.not_sent.iter().map(NotSent::describe))
                    .collect(),
                consent_needed: s
                    .not_sent
                    .iter()
                    .filter_map(|n| match n {
                        NotSent::NoConsent {
                            person_id, person, ..
                        } => Some((person_id.to_string(), person.clone())),
                        _ => None,
                    })
                    .collect(),
            })
            .collect(),
        may_send: view.may.edit
            && view.services.iter().any(|s| {
                s.not_sent
                    .iter()
                    .any(|n| !matches!(n, NotSent::NotThroughHearth { .. }))
            }),
        send: secondary("Send the requests not sent yet", "part", "send"),
        mode: mode.to_string(),
        update_id: update_errors.map(|(a, _)| a.to_string()).unwrap_or_default(),
        saved_outcomes: view
            .plan
            .iter()
            .flat_map(|p| p.fields.outcomes.iter())
            .map(|o| (o.id.clone(), o.text.clone()))
            .collect(),
        agreement: match &view.plan {
            Some(p) if p.fields.agreed_with_family => format!(
                "Agreed with the family{}{}",
                p.fields
                    .agreed_by
                    .as_ref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default(),
                p.fields
                    .agreed_on
                    .map(|d| format!(" on {}", day(d)))
                    .unwrap_or_default()
            ),
            Some(_) => "Not agreed with the family yet".into(),
            None => "There is no plan yet".into(),
        },
        other_requests: view
            .other_requests
            .iter()
            .map(|r| {
                (
                    format!("{} (for {})", r.service_name, r.person_name),
                    request_standing(r),
                )
            })
            .collect(),
        agreed: fields::radios(
            "agreed",
            "Has the family agreed this plan?",
            vec![
                ("yes".into(), "Yes".into(), None),
                (String::new(), "Not yet".into(), None),
            ],
            &form.agreed,
            errors,
        ),
        agreed_on: date_input("agreed_on", "Date they agreed", &form.agreed_on, errors),
        agreed_by: fields::text("agreed_by", "Who in the family agreed", &form.agreed_by, errors),
        save: fields::submit("Save the plan"),
        saved_actions,
        update: secondary("Save the update", "update", "yes"),
        versions: view
            .versions
            .iter()
            .map(|v| (v.version, v.saved_by_name.clone(), day_of(v.saved_at)))
            .collect(),
        reviews: view
            .reviews
            .iter()
            .rev()
            .map(|r| ReviewSummary {
                id: r.id.clone(),
                corrected: r.edited_by_name.as_ref().map(|n| {
                    format!("Corrected by {n} (version {}; earlier versions kept)", r.version)
                }),
                held_on: day(r.fields.held_on),
                attendees: r.fields.attendees.clone(),
                decisions: r.fields.decisions.clone(),
                next_review_on: day(r.fields.next_review_on),
                progress: r
                    .fields
                    .progress
                    .iter()
                    .map(|p| (outcome_text(&p.outcome_id), p.scale, p.comment.clone()))
                    .collect(),
            })
            .collect(),
        needs: need_lines(&view.needs_progress),
        distance: view
            .distance
            .iter()
            .map(|d| (outcome_text(&d.key), d.first, d.latest))
            .collect(),
    }
}

fn editing_form(view: &PlanView) -> PlanForm {
    view.plan
        .as_ref()
        .map(PlanForm::from_plan)
        .unwrap_or_default()
        .with_blank_rows()
}

/// The parts of the plan changed one at a time, each on its own page.
const PLAN_PARTS: [&str; 4] = ["outcomes", "actions", "services", "agreement"];

/// `?change=<part>` (or `all`) opens one part of the plan to change; `?update=<action>` the
/// form to update one action. Without either, the plan's summary.
#[derive(Debug, Default, serde::Deserialize)]
struct PlanQuery {
    #[serde(default)]
    change: Option<String>,
    #[serde(default)]
    update: Option<String>,
}

/// The part a form posted (`part`), as a page mode: the whole form when it names none.
fn posted_mode(pairs: &[(String, String)]) -> &str {
    pairs
        .iter()
        .find(|(k, _)| k == "part")
        .map(|(_, v)| v.as_str())
        .filter(|p| PLAN_PARTS.contains(p))
        .unwrap_or("all")
}

async fn plan_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, WebError> {
    let view = state.hearth.plan(&actor, episode_id(&id)?).await?;
    let form = editing_form(&view);
    let (mode, update) = match (q.change.as_deref(), q.update) {
        (_, Some(action)) => ("update", action),
        (Some(part), None) if PLAN_PARTS.contains(&part) || part == "all" => (part, String::new()),
        _ => ("summary", String::new()),
    };
    let mut page = plan_page(
        &state,
        &visitor,
        &view,
        &form,
        &FieldErrors::new(),
        None,
        None,
        mode,
    );
    page.update_id = update;
    Ok(render(StatusCode::OK, &page))
}

async fn plan_save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let back = Redirect::to(&format!("/episodes/{id}/plan")).into_response();
    if pairs.iter().any(|(k, v)| k == "part" && v == "send") {
        state.hearth.send_plan_requests(&actor, id).await?;
        return Ok(back);
    }
    let mode = posted_mode(&pairs);
    let posted = PlanForm::from_pairs(&pairs);
    let form = if mode == "all" {
        posted
    } else {
        // One part changed on its own page: the rest is the plan as saved.
        let view = state.hearth.plan(&actor, id).await?;
        view.plan
            .as_ref()
            .map(PlanForm::from_plan)
            .unwrap_or_default()
            .with_part(mode, posted)
    };
    match state.hearth.save_plan(&actor, id, &form).await {
        Ok(PlanEdit::Saved { .. }) => Ok(back),
        Ok(PlanEdit::Conflict(c)) => {
            let view = state.hearth.plan(&actor, id).await?;
            Ok(render(
                StatusCode::CONFLICT,
                &plan_page(
                    &state,
                    &visitor,
                    &view,
                    &c.yours,
                    &FieldErrors::new(),
                    Some(&c.saved),
                    None,
                    mode,
                ),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let view = state.hearth.plan(&actor, id).await?;
            Ok(render(
                status_for(true),
                &plan_page(&state, &visitor, &view, &form, &errors, None, None, mode),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn action_update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionUpdateForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state.hearth.update_action(&actor, id, &action, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/episodes/{id}/plan")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = state.hearth.plan(&actor, id).await?;
            let plan = editing_form(&view);
            Ok(render(
                status_for(true),
                &plan_page(
                    &state,
                    &visitor,
                    &view,
                    &plan,
                    &FieldErrors::new(),
                    None,
                    Some((&action, &errors)),
                    "update",
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- The family's own view ----

/// One thing the family or a worker will do, in plain words.
struct FamilyStep {
    what: String,
    who: String,
    when: String,
    done: String,
}

#[derive(Template)]
#[template(path = "plans/family.html")]
struct FamilyPage {
    shell: Shell,
    episode: String,
    names: String,
    /// What we want, and what we will do for it: (what, who, by when, done).
    outcomes: Vec<(String, Vec<FamilyStep>)>,
    services: Vec<String>,
    agreed: Option<String>,
    next_review_on: String,
}

/// What a status means in plain words.
fn plain_status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::NotStarted => "Not started yet",
        ActionStatus::InProgress => "Started",
        ActionStatus::Done => "Done",
        ActionStatus::Dropped => "We stopped this",
    }
}

async fn family_view(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let view = state.hearth.plan(&actor, episode_id(&id)?).await?;
    let Some(plan) = &view.plan else {
        return Err(WebError::NotFound);
    };
    let owner = |a: &Action| {
        // The family reads first names and "you", not job titles and organisations.
        view.owners
            .name_of(a)
            .split(" (")
            .next()
            .unwrap_or("")
            .to_string()
    };
    let outcomes = plan
        .fields
        .outcomes
        .iter()
        .map(|o| {
            (
                o.text.clone(),
                plan.fields
                    .actions
                    .iter()
                    .filter(|a| a.outcome_id == o.id && a.status != ActionStatus::Dropped)
                    .map(|a| FamilyStep {
                        what: a.what.clone(),
                        who: owner(a),
                        when: a.due_on.map(day).unwrap_or_default(),
                        done: plain_status(a.status).to_string(),
                    })
                    .collect(),
            )
        })
        .collect();
    let page = FamilyPage {
        shell: Shell::new(&state, &visitor, "Our family plan"),
        episode: view.episode.id.to_string(),
        names: view
            .people
            .iter()
            .map(|(_, n)| n.clone())
            .collect::<Vec<_>>()
            .join(", "),
        outcomes,
        services: plan
            .fields
            .directory_services
            .iter()
            .map(|s| s.name.clone())
            .chain(plan.fields.services.iter().cloned())
            .collect(),
        agreed: plan.fields.agreed_with_family.then(|| {
            format!(
                "{} agreed this plan{}.",
                plan.fields.agreed_by.clone().unwrap_or_default(),
                plan.fields
                    .agreed_on
                    .map(|d| format!(" on {}", day(d)))
                    .unwrap_or_default()
            )
        }),
        next_review_on: day(view.next_review_on),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---- Reviews ----

struct ProgressRow {
    outcome: String,
    scale: Input,
    comment: Textarea,
}

#[derive(Template)]
#[template(path = "plans/review.html")]
struct ReviewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    conflict: Option<WarningText>,
    heading: String,
    action: String,
    version: i64,
    /// The review as saved now, when a correction was refused.
    saved: Option<Vec<String>>,
    held_on: Input,
    attendees: Textarea,
    progress: Vec<ProgressRow>,
    decisions: Textarea,
    next_review_on: Input,
    save: Button,
    /// Earlier versions: (who saved it and when, what it said).
    versions: Vec<(String, Vec<String>)>,
}

/// A saved review as lines to read.
fn review_lines(f: &ReviewFields, outcomes: &[Outcome]) -> Vec<String> {
    let mut lines = vec![
        format!("Held on {}", day(f.held_on)),
        format!("Who came: {}", f.attendees),
    ];
    lines.extend(f.progress.iter().map(|p| {
        let outcome = outcomes
            .iter()
            .find(|o| o.id == p.outcome_id)
            .map(|o| o.text.as_str())
            .unwrap_or("An outcome no longer in the plan");
        let comment = if p.comment.is_empty() {
            String::new()
        } else {
            format!(". {}", p.comment)
        };
        format!("{outcome}: {} out of 10{comment}", p.scale)
    }));
    lines.push(format!("Decided: {}", f.decisions));
    lines.push(format!("Next review: {}", day(f.next_review_on)));
    lines
}

/// How a review page is used: recording a new review or correcting one.
struct ReviewUse<'a> {
    heading: &'a str,
    action: String,
    outcomes: &'a [Outcome],
    conflict: Option<&'a Review>,
    versions: &'a [ReviewVersion],
}

fn review_page(
    state: &AppState,
    visitor: &Visitor,
    using: ReviewUse<'_>,
    form: &ReviewForm,
    errors: &FieldErrors,
) -> ReviewPage {
    let interval = state.hearth.policies().plans.review_interval_weeks;
    ReviewPage {
        shell: Shell::new(state, visitor, using.heading).with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        conflict: using.conflict.map(|saved| WarningText {
            text: Some(format!(
                "{} corrected this review while you were working on it, so your changes have not been saved. \
                 Their version is shown first; yours is in the form below. Check it and save again.",
                saved
                    .edited_by_name
                    .clone()
                    .unwrap_or_else(|| saved.recorded_by_name.clone())
            )),
            ..WarningText::default()
        }),
        heading: using.heading.to_string(),
        action: using.action,
        version: using.conflict.map(|r| r.version).unwrap_or(form.version),
        saved: using
            .conflict
            .map(|r| review_lines(&r.fields, using.outcomes)),
        held_on: date_input("held_on", "Date of the review", &form.held_on, errors),
        attendees: fields::textarea("attendees", "Who came", &form.attendees, errors),
        progress: using
            .outcomes
            .iter()
            .map(|o| {
                let (scale, comment) = form.progress.get(&o.id).cloned().unwrap_or_default();
                ProgressRow {
                    outcome: o.text.clone(),
                    scale: scale_input(
                        &progress_field(&o.id, "scale"),
                        "Progress, from 0 to 10",
                        &scale,
                        errors,
                    ),
                    comment: fields::textarea(
                        &progress_field(&o.id, "comment"),
                        "What has changed",
                        &comment,
                        errors,
                    ),
                }
            })
            .collect(),
        decisions: fields::textarea(
            "decisions",
            "What the review decided",
            &form.decisions,
            errors,
        ),
        next_review_on: fields::with_hint(
            fields::text(
                "next_review_on",
                "Date of the next review",
                &form.next_review_on,
                errors,
            ),
            &format!("Leave empty for {interval} weeks after this review. For example, 27/03/2026"),
        ),
        save: fields::submit("Save the review"),
        versions: using
            .versions
            .iter()
            .map(|v| {
                (
                    format!(
                        "Version {}, saved by {} on {}",
                        v.version,
                        v.saved_by_name,
                        day_of(v.saved_at)
                    ),
                    review_lines(&v.fields, using.outcomes),
                )
            })
            .collect(),
    }
}

fn new_review<'a>(id: EpisodeId, view: &'a PlanView) -> ReviewUse<'a> {
    ReviewUse {
        heading: "Record a Team Around the Family review",
        action: format!("/episodes/{id}/reviews/new"),
        outcomes: view
            .plan
            .as_ref()
            .map(|p| p.fields.outcomes.as_slice())
            .unwrap_or(&[]),
        conflict: None,
        versions: &[],
    }
}

async fn review_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let view = state.hearth.plan(&actor, id).await?;
    if !view.may.edit {
        return Err(state
            .hearth
            .refused(&actor, "episode", id.to_string())
            .await
            .into());
    }
    Ok(render(
        StatusCode::OK,
        &review_page(
            &state,
            &visitor,
            new_review(id, &view),
            &ReviewForm::default(),
            &FieldErrors::new(),
        ),
    ))
}

async fn review_save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let form = ReviewForm::from_pairs(&pairs);
    match state.hearth.record_review(&actor, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/episodes/{id}/plan")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = state.hearth.plan(&actor, id).await?;
            Ok(render(
                status_for(true),
                &review_page(&state, &visitor, new_review(id, &view), &form, &errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn correcting<'a>(
    id: EpisodeId,
    edit: &'a ReviewToEdit,
    conflict: Option<&'a Review>,
) -> ReviewUse<'a> {
    ReviewUse {
        heading: "Correct a Team Around the Family review",
        action: format!("/episodes/{id}/reviews/{}/edit", edit.review.id),
        outcomes: &edit.outcomes,
        conflict,
        versions: &edit.versions,
    }
}

async fn review_edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, review)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let edit = state.hearth.review_to_edit(&actor, id, &review).await?;
    let form = ReviewForm::from_review(&edit.review);
    Ok(render(
        StatusCode::OK,
        &review_page(
            &state,
            &visitor,
            correcting(id, &edit, None),
            &form,
            &FieldErrors::new(),
        ),
    ))
}

async fn review_edit_save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, review)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let form = ReviewForm::from_pairs(&pairs);
    match state.hearth.edit_review(&actor, id, &review, &form).await {
        Ok(ReviewEdit::Saved { .. }) => {
            Ok(Redirect::to(&format!("/episodes/{id}/plan")).into_response())
        }
        Ok(ReviewEdit::Conflict(c)) => {
            let edit = state.hearth.review_to_edit(&actor, id, &review).await?;
            Ok(render(
                StatusCode::CONFLICT,
                &review_page(
                    &state,
                    &visitor,
                    correcting(id, &edit, Some(&c.saved)),
                    &c.yours,
                    &FieldErrors::new(),
                ),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let edit = state.hearth.review_to_edit(&actor, id, &review).await?;
            Ok(render(
                status_for(true),
                &review_page(
                    &state,
                    &visitor,
                    correcting(id, &edit, None),
                    &form,
                    &errors,
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
