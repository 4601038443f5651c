//! Asking for help for a family, and the front door's queue and decision.

use crate::components::{Button, Checkboxes, ErrorSummary, NotificationBanner, Radios, Textarea};
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
use hearth_app::accounts::drafts::KeptForm;
use hearth_app::front_door::{
    days_waiting, ConfirmationForm, DecisionAside, DecisionContext, DecisionForm, History,
    RequestForm, RequestView,
};
use hearth_app::records::Request;
use hearth_app::{Actor, AppError};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::ids::{PersonId, RequestId};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::role::Capability;
use hearth_domain::routing::{
    safeguarding_now, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use serde::Deserialize;

/// What to do now about a child at risk: shown as soon as "yes" is chosen, before anything
/// else is asked, and again once the request is sent.
#[derive(Template)]
#[template(path = "requests/safeguarding_now.html")]
pub(crate) struct SafeguardingNow {
    heading: &'static str,
    steps: [String; 3],
}

pub(crate) fn safeguarding_steps(state: &AppState, heading: &'static str) -> SafeguardingNow {
    SafeguardingNow {
        heading,
        steps: safeguarding_now(state.hearth.policies().front_door.mash_phone.as_deref()),
    }
}

#[derive(Template)]
#[template(path = "requests/form.html")]
struct RequestPage {
    shell: Shell,
    /// Everyone offered as a family member, kept so a failed send can offer them again.
    offered: Vec<String>,
    /// Said when the form comes back kept from before signing in again.
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    action: String,
    version: i64,
    people: Checkboxes,
    needs: Checkboxes,
    concerns: Checkboxes,
    family_told: Textarea,
    consent: Radios,
    consent_detail: Textarea,
    lawful_basis: Textarea,
    urgency: Radios,
    safeguarding: Radios,
    send: Button,
    save: Button,
    /// The Threshold of Need and the guidance for asking, beside the form.
    threshold: crate::pages::practice::ThresholdAside,
}

/// The request form with the Threshold of Need beside it (the indicators of the needs ticked).
async fn with_threshold(
    state: &AppState,
    mut page: RequestPage,
    form: &RequestForm,
) -> Result<RequestPage, WebError> {
    let needs: Vec<hearth_domain::need::NeedDomain> = form
        .needs
        .iter()
        .filter_map(|n| hearth_domain::need::NeedDomain::from_code(n))
        .collect();
    page.threshold = crate::pages::practice::ThresholdAside::load(
        state,
        &needs,
        hearth_domain::practice::PracticeStep::AskingForHelp,
    )
    .await?;
    Ok(page)
}

fn request_page(
    state: &AppState,
    visitor: &Visitor,
    who: &[(PersonId, String, String)],
    f: &RequestForm,
    errors: &FieldErrors,
    id: Option<RequestId>,
) -> RequestPage {
    let yes_no = vec![
        ("yes".to_string(), "Yes".to_string(), None),
        ("no".to_string(), "No".to_string(), None),
    ];
    let mut safeguarding = fields::radios(
        "safeguarding",
        "Are you worried a child is at risk of significant harm?",
        yes_no,
        &f.safeguarding,
        errors,
    );
    fields::reveal_under(
        &mut safeguarding,
        "yes",
        fields::reveal(&[&safeguarding_steps(
            state,
            "Do this now, before you finish this request:",
        )]),
    );
    let mut needs = fields::checkboxes(
        "needs",
        "What does the family need help with?",
        NeedDomain::ALL
            .iter()
            .map(|d| (d.code().to_string(), d.label().to_string(), None))
            .collect(),
        &f.needs,
        errors,
    );
    // Each need asks what is happening under it, where the front door will read it.
    for (item, d) in needs.items.iter_mut().zip(NeedDomain::ALL.iter()) {
        let name = format!("detail_{}", d.code());
        item.conditional = fields::reveal(&[&fields::textarea(
            &name,
            &format!("{}: what is happening, and for whom", d.label()),
            f.details.get(d.code()).map(String::as_str).unwrap_or(""),
            errors,
        )]);
    }
    let due = &state.hearth.policies().front_door.due;
    RequestPage {
        offered: who.iter().map(|(id, _, _)| id.to_string()).collect(),
        banner: None,
        shell: Shell::new(state, visitor, "Ask for help for a family")
            .at("/people")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        action: id
            .map(|i| format!("/requests/{i}"))
            .unwrap_or_else(|| "/requests/new".into()),
        version: f.version,
        people: fields::checkboxes(
            "people",
            "Who is the request about?",
            who.iter()
                .map(|(id, name, age)| (id.to_string(), name.clone(), Some(format!("Age: {age}"))))
                .collect(),
            &f.people,
            errors,
        ),
        needs,
        concerns: fields::checkboxes(
            "concerns",
            "Are any of these a concern for a child?",
            Concern::ALL
                .iter()
                .map(|c| (c.code().to_string(), c.label().to_string(), None))
                .collect(),
            &f.concerns,
            errors,
        ),
        family_told: fields::textarea(
            "family_told",
            "What has the family been told about this request?",
            &f.family_told,
            errors,
        ),
        consent: fields::radios(
            "consent",
            "Did the family agree to share their information with the partnership?",
            SharingConsent::ALL
                .into_iter()
                .map(|c| {
                    let hint = (c == SharingConsent::NotAsked).then(|| {
                        "For example, because asking would put a child at risk".to_string()
                    });
                    (c.code().to_string(), c.answer().to_string(), hint)
                })
                .collect(),
            &f.consent,
            errors,
        ),
        consent_detail: fields::textarea(
            "consent_detail",
            "Who agreed, for which family members, and to share with whom (optional)",
            &f.consent_detail,
            errors,
        ),
        lawful_basis: fields::textarea(
            "lawful_basis",
            "If they did not agree: the lawful basis for sharing and why",
            &f.lawful_basis,
            errors,
        ),
        urgency: fields::radios(
            "urgency",
            "How soon does the family need help?",
            Urgency::ALL
                .iter()
                .map(|u| (u.code().to_string(), u.promise(due), None))
                .collect(),
            &f.urgency,
            errors,
        ),
        safeguarding,
        send: fields::submit("Send request"),
        save: crate::components::Button {
            name: Some("save_draft".into()),
            value: Some("yes".into()),
            classes: Some("govuk-button--secondary".into()),
            ..crate::components::Button::text("Save as draft")
        },
        threshold: Default::default(),
    }
}

/// The family members to offer: the chosen person and everyone in their household; for a
/// person whose record the user may not open, that person alone, as contact search shows them.
async fn family_choices(
    state: &AppState,
    actor: &Actor,
    people: &[String],
) -> Result<Vec<(PersonId, String, String)>, WebError> {
    let mut out: Vec<(PersonId, String, String)> = Vec::new();
    for p in people {
        let Ok(id) = p.parse::<PersonId>() else {
            continue;
        };
        let record = match state.hearth.person(actor, id, None).await? {
            hearth_app::family::PersonView::Full(record) => record,
            hearth_app::family::PersonView::ContactOnly(contact) => {
                if !out.iter().any(|(i, _, _)| *i == contact.id) {
                    out.push((contact.id, contact.name, contact.age));
                }
                continue;
            }
            hearth_app::family::PersonView::ReasonNeeded { .. } => continue,
        };
        {
            let today = state.hearth.now().date_naive();
            let me = (
                record.person.id,
                format!(
                    "{} {}",
                    record.person.given_names, record.person.family_name
                ),
                record.age.clone(),
            );
            if !out.iter().any(|(i, _, _)| *i == me.0) {
                out.push(me);
            }
            for m in record.family.iter().filter(|m| m.to_date.is_none()) {
                if !out.iter().any(|(i, _, _)| *i == m.person_id) {
                    out.push((
                        m.person_id,
                        format!("{} {}", m.given_names, m.family_name),
                        hearth_app::family::describe_age(m.dob, None, today),
                    ));
                }
            }
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    person: Vec<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    axum_extra_query: axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let q: NewQuery = serde_html_form::from_str(axum_extra_query.0.as_deref().unwrap_or(""))
        .unwrap_or(NewQuery { person: Vec::new() });
    let who = family_choices(&state, &actor, &q.person).await?;
    let form = RequestForm {
        people: q.person.clone(),
        ..RequestForm::default()
    };
    let page = request_page(&state, &visitor, &who, &form, &FieldErrors::new(), None);
    Ok(render(
        StatusCode::OK,
        &with_threshold(&state, page, &form).await?,
    ))
}

/// The request typed, whether it is being sent, and everyone who was offered as a member.
fn pairs_form(pairs: Vec<(String, String)>) -> (RequestForm, bool, Vec<String>) {
    let draft = pairs.iter().any(|(k, _)| k == "save_draft");
    let form = RequestForm::from_pairs(&pairs);
    let mut offered: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "offered")
        .map(|(_, v)| v)
        .collect();
    offered.extend(form.people.iter().cloned());
    offered.dedup();
    (form, !draft, offered)
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: Option<RequestId>,
    pairs: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let (form, send, offered) = pairs_form(pairs);
    match state.hearth.save_request(actor, id, &form, send).await {
        Ok(id) => Ok(Redirect::to(&format!("/requests/{id}?done={}", if send { "sent" } else { "saved" })).into_response()),
        Err(AppError::Invalid(errors)) => {
            let who = family_choices(state, actor, &offered).await?;
            let page = request_page(state, visitor, &who, &form, &errors, id);
            Ok(render(status_for(true), &with_threshold(state, page, &form).await?))
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest("This request has already been sent, or was changed in another window. Open it again to see where it is.".into())),
        Err(e) => Err(e.into()),
    }
}

/// A request for support kept when its writer was signed out before it was saved, shown back
/// in its own form to check and send (never sent for them). `None` when the kept form is not
/// a request for support.
pub async fn kept_request(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    kept: &KeptForm,
) -> Result<Option<Response>, WebError> {
    let id = match kept.path.strip_prefix("/requests/") {
        Some("new") => None,
        Some(id) => match id.parse::<RequestId>() {
            Ok(id) => Some(id),
            Err(_) => return Ok(None),
        },
        None => return Ok(None),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&kept.fields).unwrap_or_default();
    let (form, _, offered) = pairs_form(pairs);
    let who = family_choices(state, actor, &offered).await?;
    let mut page = request_page(state, visitor, &who, &form, &FieldErrors::new(), id);
    page.banner = Some(fields::important(
        "You were signed out before your request was saved. It was kept and is in the form below: check it, then save or send it.",
    ));
    Ok(Some(render(
        StatusCode::OK,
        &with_threshold(state, page, &form).await?,
    )))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, Some(request_id(&id)?), pairs).await
}

fn request_id(id: &str) -> Result<RequestId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Template)]
#[template(path = "requests/show.html")]
struct ShowPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    view: RequestView,
    safeguarding_now: Option<SafeguardingNow>,
    may_decide: bool,
    needs: Vec<(String, Vec<String>, String)>,
    outcome: Option<String>,
    /// The decision's rationale, for those who may read it.
    rationale: Option<String>,
    /// A manager's confirm-or-send-back form, for a held decision they did not make.
    confirmation: Option<Radios>,
    /// Challenges to the decision, once it is decided.
    challenges: crate::pages::practice::RequestChallenges,
    /// What the family said, when they asked for help themselves (front door only).
    from_family: Option<FamilyPanel>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn describe_needs(r: &Request) -> Vec<(String, Vec<String>, String)> {
    r.needs
        .iter()
        .map(|n| {
            (
                n.domain.label().to_string(),
                n.concerns.iter().map(|c| c.label().to_string()).collect(),
                n.detail.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn describe_outcome(r: &Request) -> Option<String> {
    let d = r.decision.as_ref()?;
    let (level, what) = (d.level.label(), d.outcome.summary());
    Some(format!(
        "{level}. {what}. Decided by {} on {}.",
        d.decided_by_name,
        d.decided_at.uk()
    ))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let view = state.hearth.request(&actor, id).await?;
    let is_requester = view.request.requester_id == actor.user_id;
    if is_requester && view.request.status == RequestStatus::Draft {
        let form = RequestForm::from_record(&view.request);
        let who = family_choices(&state, &actor, &form.people).await?;
        let mut page = request_page(&state, &visitor, &who, &form, &FieldErrors::new(), Some(id));
        if q.done.as_deref() == Some("saved") {
            page.shell.title = "Draft saved".into();
        }
        return Ok(render(
            StatusCode::OK,
            &with_threshold(&state, page, &form).await?,
        ));
    }
    let decided = view.request.status == RequestStatus::Decided;
    let mut page = show_page(
        &state,
        &visitor,
        &actor,
        view,
        q.done.as_deref(),
        &ConfirmationForm::default(),
        &FieldErrors::new(),
    );
    page.from_family = family_panel(&state, &actor, id).await?;
    // Everyone who reads a decided request may challenge it, or settle its challenges.
    if decided && (actor.can(Capability::RequestSupport) || actor.can(Capability::DecideRequests)) {
        page.challenges = match state.hearth.challenges(&actor, id).await {
            Ok(c) => Some(c),
            Err(AppError::Forbidden(_)) => None,
            Err(e) => return Err(e.into()),
        };
    }
    Ok(render(StatusCode::OK, &page))
}

fn show_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    view: RequestView,
    done: Option<&str>,
    answer: &ConfirmationForm,
    errors: &FieldErrors,
) -> ShowPage {
    let is_requester = view.request.requester_id == actor.user_id;
    let held = view.request.status == RequestStatus::AwaitingConfirmation;
    let confirms = held
        && actor.can(Capability::SignOff)
        && view
            .request
            .decision
            .as_ref()
            .is_some_and(|d| d.decided_by != actor.user_id);
    ShowPage {
        shell: Shell::new(state, visitor, "Request for support")
            .at(if is_requester { "/" } else { "/front-door" })
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        banner: match done {
            Some("sent") => Some(fields::success(
                "Your request has been sent to the front door.",
            )),
            Some("held") => Some(fields::success(
                "Decision recorded. It closes a safeguarding concern, so a manager must confirm it before it takes effect; they have been given a task.",
            )),
            _ => None,
        },
        safeguarding_now: (view.request.safeguarding && done == Some("sent"))
            .then(|| {
                safeguarding_steps(state, "You raised a safeguarding concern. Do this now:")
            }),
        may_decide: actor.can(Capability::DecideRequests)
            && view.request.status == RequestStatus::Submitted,
        needs: describe_needs(&view.request),
        outcome: describe_outcome(&view.request),
        rationale: view
            .request
            .decision
            .as_ref()
            .filter(|_| view.shows_rationale)
            .map(|d| d.rationale.clone()),
        confirmation: confirms.then(|| {
            let mut answers = fields::radios(
                "answer",
                "Do you confirm this decision?",
                vec![
                    (
                        "confirm".into(),
                        "Confirm: the decision takes effect".into(),
                        None,
                    ),
                    (
                        "send_back".into(),
                        "Send it back to the front door".into(),
                        None,
                    ),
                ],
                &answer.answer,
                errors,
            );
            fields::reveal_under(
                &mut answers,
                "send_back",
                fields::reveal(&[&fields::textarea(
                    "reason",
                    "Why, and what should the officer look at again",
                    &answer.reason,
                    errors,
                )]),
            );
            answers
        }),
        challenges: None,
        from_family: None,
        view,
    }
}

/// A manager's answer to a decision held for their confirmation.
pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ConfirmationForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state.hearth.confirm_decision(&actor, id, &f).await {
        // Once confirmed the request is decided and no longer the front door's to read: the
        // manager goes back to the queue.
        Ok(()) => Ok(Redirect::to(if f.answer == "send_back" {
            "/front-door?done=sent_back"
        } else {
            "/front-door?done=confirmed"
        })
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = state.hearth.request(&actor, id).await?;
            Ok(render(
                status_for(true),
                &show_page(&state, &visitor, &actor, view, None, &f, &errors),
            ))
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This decision has already been confirmed or sent back. Open the request again to see where it stands.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// What a family who asked for help themselves said, shown to the front door first: their
/// contact safety marks above all.
#[derive(Template)]
#[template(path = "family_asks/panel.html")]
pub struct FamilyPanel {
    fam: hearth_app::family_asks::FamilyAsk,
    fam_marks: crate::pages::family_asks::front_door::SafetyMarks,
    fam_language: String,
}

// Rendered from escaped parts, like the components.
impl askama::filters::HtmlSafe for FamilyPanel {}

impl FamilyPanel {
    pub fn new(fam: hearth_app::family_asks::FamilyAsk) -> Self {
        use crate::pages::family_asks::front_door::{language_of, SafetyMarks};
        Self {
            fam_marks: SafetyMarks::of(&fam),
            fam_language: language_of(&fam),
            fam,
        }
    }
}

async fn family_panel(
    state: &AppState,
    actor: &Actor,
    id: hearth_domain::ids::RequestId,
) -> Result<Option<FamilyPanel>, WebError> {
    Ok(state
        .hearth
        .family_ask_for_request(actor, id)
        .await?
        .map(FamilyPanel::new))
}

#[derive(Template)]
#[template(path = "requests/queue.html")]
struct QueuePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    /// Requests from families waiting to be taken in.
    from_families: i64,
    rows: Vec<(RequestView, i64)>,
    mine_only: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    mine: Option<String>,
    done: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let mine_only = q.mine.is_some();
    let list = state.hearth.front_door_queue(&actor, mine_only).await?;
    let now = state.hearth.now();
    let from_families = state.hearth.family_asks_waiting_count(&actor).await?;
    let page = QueuePage {
        from_families,
        shell: Shell::new(&state, &visitor, "Front door").at("/front-door"),
        banner: match q.done.as_deref() {
            Some("decided") => Some(fields::success(
                "Decision recorded. The requester can see the outcome.",
            )),
            Some("assigned") => Some(fields::success("The request is assigned to you.")),
            Some("confirmed") => Some(fields::success(
                "Decision confirmed. It has taken effect and is in the family's chronology.",
            )),
            Some("sent_back") => Some(fields::success(
                "Decision sent back to the front door with your reason.",
            )),
            _ => None,
        },
        rows: list
            .into_iter()
            .map(|v| {
                let d = days_waiting(v.request.submitted_at, now);
                (v, d)
            })
            .collect(),
        mine_only,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    version: i64,
}

pub async fn assign(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    match state
        .hearth
        .assign_request(&actor, request_id(&id)?, f.version)
        .await
    {
        Ok(()) | Err(AppError::Conflict) => {
            Ok(Redirect::to("/front-door?done=assigned").into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "requests/decide.html")]
struct DecidePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    ctx: DecisionContext,
    aside: DecisionAside,
    needs: Vec<(String, Vec<String>, String)>,
    level: Radios,
    outcome: Radios,
    rationale: Textarea,
    submit: Button,
    threshold: crate::pages::practice::ThresholdAside,
    /// What the family said, when they asked for help themselves.
    from_family: Option<FamilyPanel>,
}

/// The decision form: each outcome's own questions revealed under it (all shown, each under
/// its outcome, without JavaScript; only the chosen outcome's are read).
fn decide_page(
    state: &AppState,
    visitor: &Visitor,
    ctx: DecisionContext,
    aside: DecisionAside,
    f: &DecisionForm,
    errors: &FieldErrors,
) -> DecidePage {
    let proposed = ctx.proposed_service;
    let mut leads = vec![(String::new(), "Select the lead professional".to_string())];
    leads.extend(ctx.leads.iter().map(|u| {
        (
            u.id.to_string(),
            format!("{} ({})", u.display_name, u.organisation_name),
        )
    }));
    let service_value = if f.service.is_empty() {
        proposed.code().to_string()
    } else {
        f.service.clone()
    };
    let mut outcome = fields::radios(
        "outcome",
        "What happens next?",
        vec![
            (
                "signpost".into(),
                "Signpost to universal services".into(),
                None,
            ),
            (
                "early_help".into(),
                "Open Early Family Help with a lead professional".into(),
                None,
            ),
            ("targeted".into(), "Open Targeted Family Help".into(), None),
            (
                "step_up".into(),
                "Step up to children's social care".into(),
                None,
            ),
            ("no_further_action".into(), "No further action".into(), None),
        ],
        &f.outcome,
        errors,
    );
    fields::reveal_under(
        &mut outcome,
        "signpost",
        fields::reveal(&[&fields::textarea(
            "signposted_to",
            "What was suggested to the family",
            &f.signposted_to,
            errors,
        )]),
    );
    fields::reveal_under(
        &mut outcome,
        "early_help",
        fields::reveal(&[&fields::select(
            "lead_user_id",
            "The lead professional",
            leads,
            &f.lead_user_id,
            errors,
        )]),
    );
    fields::reveal_under(
        &mut outcome,
        "targeted",
        fields::reveal(&[
            &fields::radios(
                "service",
                "Who provides it",
                [TargetedService::Core, TargetedService::Adolescence]
                    .iter()
                    .map(|s| {
                        (
                            s.code().to_string(),
                            s.label().to_string(),
                            (*s == proposed).then(|| "Proposed by the routing rules".to_string()),
                        )
                    })
                    .collect(),
                &service_value,
                errors,
            ),
            &fields::textarea(
                "override_reason",
                "If you choose a different service from the one proposed: why",
                &f.override_reason,
                errors,
            ),
        ]),
    );
    fields::reveal_under(
        &mut outcome,
        "no_further_action",
        fields::reveal(&[&fields::textarea(
            "nfa_reason",
            "The reason for no further action",
            &f.nfa_reason,
            errors,
        )]),
    );
    DecidePage {
        from_family: None,
        shell: Shell::new(state, visitor, "Decide a request")
            .at("/front-door")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        needs: describe_needs(&ctx.view.request),
        level: fields::radios(
            "level",
            "Level of need on the Continuum",
            ContinuumLevel::ALL
                .iter()
                .map(|l| (l.number().to_string(), l.label().to_string(), None))
                .collect(),
            &f.level,
            errors,
        ),
        outcome,
        rationale: fields::textarea("rationale", "Rationale", &f.rationale, errors),
        submit: fields::submit("Record decision"),
        threshold: Default::default(),
        ctx,
        aside,
    }
}

/// The decision page's parts: the request and what to read beside it.
async fn decision_parts(
    state: &AppState,
    actor: &Actor,
    id: RequestId,
) -> Result<(DecisionContext, DecisionAside), WebError> {
    let ctx = state.hearth.decision_context(actor, id).await?;
    let aside = state.hearth.decision_aside(actor, &ctx).await?;
    Ok((ctx, aside))
}

/// The decision page with the Threshold of Need's indicators for the request's needs.
async fn with_indicators(state: &AppState, mut page: DecidePage) -> Result<DecidePage, WebError> {
    let needs: Vec<_> = page
        .ctx
        .view
        .request
        .needs
        .iter()
        .map(|n| n.domain)
        .collect();
    page.threshold = crate::pages::practice::ThresholdAside::load(
        state,
        &needs,
        hearth_domain::practice::PracticeStep::Decision,
    )
    .await?;
    Ok(page)
}

pub async fn decide_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let (ctx, aside) = decision_parts(&state, &actor, id).await?;
    let mut page = decide_page(
        &state,
        &visitor,
        ctx,
        aside,
        &DecisionForm::default(),
        &FieldErrors::new(),
    );
    page.from_family = family_panel(&state, &actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &with_indicators(&state, page).await?,
    ))
}

pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state.hearth.decide_request(&actor, id, &f).await {
        Ok(RequestStatus::AwaitingConfirmation) => {
            Ok(Redirect::to(&format!("/requests/{id}?done=held")).into_response())
        }
        Ok(_) => Ok(Redirect::to("/front-door?done=decided").into_response()),
        Err(AppError::Invalid(errors)) => {
            let (ctx, aside) = decision_parts(&state, &actor, id).await?;
            let mut page = decide_page(&state, &visitor, ctx, aside, &f, &errors);
            page.from_family = family_panel(&state, &actor, id).await?;
            Ok(render(
                status_for(true),
                &with_indicators(&state, page).await?,
            ))
        }
        Err(AppError::Conflict) => {
            let (ctx, aside) = decision_parts(&state, &actor, id).await?;
            let mut errors = FieldErrors::new();
            errors.add("outcome", format!("This request has already been decided{}. Your decision was not saved; what you typed is below.", ctx.view.request.decision.as_ref().map(|d| format!(" by {}", d.decided_by_name)).unwrap_or_default()));
            let page = decide_page(&state, &visitor, ctx, aside, &f, &errors);
            Ok(render(
                StatusCode::CONFLICT,
                &with_indicators(&state, page).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
