//! The family plan: outcomes in the family's words tied to needs, actions (what, who, by
//! when, status), services the family is referred to, and the family's agreement. Every save
//! keeps the version before it; a save from an out-of-date version is refused and both the
//! saved plan and what the user typed come back, so nothing typed is lost.

use crate::episodes::assessment::{closed_error, named_people, record_event};
use crate::episodes::distance::{needs_progress, NeedProgress};
use crate::episodes::plan_services::{
    requests_due, services_on_plan, NotSent, PlannedService, ServiceChoice, ServiceOnPlan,
};
use crate::episodes::record::record_step;
use crate::episodes::{episode_entry, EpisodePermissions};
use crate::family::parse_date;
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::{self, Due};
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{self, ActionStatus, Distance};
use hearth_store::directory::service_requests::{self as sr, ServiceRequest};
use hearth_store::episodes::plans::{self, Outcome, PlanFields};
pub use hearth_store::episodes::plans::{Action, ActionUpdate, Plan, PlanVersion};
use hearth_store::episodes::reviews;
pub use hearth_store::episodes::reviews::Review;
use hearth_store::episodes::{self, Episode, TafMember};
use hearth_store::StoreError;
use serde::Deserialize;
use uuid::Uuid;

/// An outcome as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeForm {
    /// Empty for a new outcome.
    pub id: String,
    pub text: String,
    pub needs: Vec<String>,
}

/// An action as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionForm {
    pub id: String,
    /// The row of the outcome it works towards (0, 1, …).
    pub outcome: String,
    pub what: String,
    /// `user:<id>` for a TAF practitioner or `person:<id>` for a family member.
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

impl ActionForm {
    fn is_blank(&self) -> bool {
        self.id.is_empty()
            && [&self.what, &self.owner, &self.due_on]
                .iter()
                .all(|v| v.trim().is_empty())
    }
}

/// The plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanForm {
    pub outcomes: Vec<OutcomeForm>,
    pub actions: Vec<ActionForm>,
    /// Services chosen from the directory, by id, one a row (an empty row chooses none).
    pub directory_services: Vec<String>,
    /// For each chosen service, the family member it is for by id; empty for everyone.
    pub directory_services_for: Vec<String>,
    /// Services not in the directory, one a line.
    pub services: String,
    /// "yes" when the family agreed the plan.
    pub agreed: String,
    pub agreed_on: String,
    pub agreed_by: String,
    /// The version the edit started from; 0 when there was no plan yet.
    pub version: i64,
}

/// Blank rows offered for new outcomes and actions on the form.
pub const BLANK_ROWS: usize = 2;

fn row<T: Default>(list: &mut Vec<T>, i: usize) -> &mut T {
    if list.len() <= i {
        list.resize_with(i + 1, T::default);
    }
    &mut list[i]
}

impl PlanForm {
    /// From the posted pairs: `outcome.<n>.<part>` and `action.<n>.<part>` fields.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = PlanForm::default();
        for (k, v) in pairs {
            let parts: Vec<&str> = k.split('.').collect();
            match parts.as_slice() {
                ["services"] => f.services = v.clone(),
                ["directory_service", n] => {
                    let Some(i) = n.parse::<usize>().ok().filter(|i| *i < 200) else {
                        continue;
                    };
                    *row(&mut f.directory_services, i) = v.clone();
                }
                ["directory_service_for", n] => {
                    let Some(i) = n.parse::<usize>().ok().filter(|i| *i < 200) else {
                        continue;
                    };
                    *row(&mut f.directory_services_for, i) = v.clone();
                }
                ["agreed"] => f.agreed = v.clone(),
                ["agreed_on"] => f.agreed_on = v.clone(),
                ["agreed_by"] => f.agreed_by = v.clone(),
                ["version"] => f.version = v.parse().unwrap_or_default(),
                ["outcome", n, part] => {
                    // Rows beyond any real form are ignored rather than allocated.
                    let Some(i) = n.parse::<usize>().ok().filter(|i| *i < 200) else {
                        continue;
                    };
                    let o = row(&mut f.outcomes, i);
                    match *part {
                        "id" => o.id = v.clone(),
                        "text" => o.text = v.clone(),
                        "needs" => o.needs.push(v.clone()),
                        _ => {}
                    }
                }
                ["action", n, part] => {
                    let Some(i) = n.parse::<usize>().ok().filter(|i| *i < 500) else {
                        continue;
                    };
                    let a = row(&mut f.actions, i);
                    match *part {
                        "id" => a.id = v.clone(),
                        "outcome" => a.outcome = v.clone(),
                        "what" => a.what = v.clone(),
                        "owner" => a.owner = v.clone(),
                        "due_on" => a.due_on = v.clone(),
                        "status" => a.status = v.clone(),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// The form filled from a saved plan, for editing.
    pub fn from_plan(p: &Plan) -> Self {
        let f = &p.fields;
        PlanForm {
            outcomes: f
                .outcomes
                .iter()
                .map(|o| OutcomeForm {
                    id: o.id.clone(),
                    text: o.text.clone(),
                    needs: o.needs.iter().map(|d| d.code().to_string()).collect(),
                })
                .collect(),
            actions: f
                .actions
                .iter()
                .map(|a| ActionForm {
                    id: a.id.clone(),
                    outcome: f
                        .outcomes
                        .iter()
                        .position(|o| o.id == a.outcome_id)
                        .map(|i| i.to_string())
                        .unwrap_or_default(),
                    what: a.what.clone(),
                    owner: owner_code(a),
                    due_on: a
                        .due_on
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    status: a.status.code().to_string(),
                })
                .collect(),
            directory_services: f
                .directory_services
                .iter()
                .map(|s| s.service_id.to_string())
                .collect(),
            directory_services_for: f
                .directory_services
                .iter()
                .map(|s| s.person_id.map(|p| p.to_string()).unwrap_or_default())
                .collect(),
            services: f.services.join("\n"),
            agreed: if f.agreed_with_family {
                "yes".into()
            } else {
                String::new()
            },
            agreed_on: f
                .agreed_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            agreed_by: f.agreed_by.clone().unwrap_or_default(),
            version: p.version,
        }
    }

    /// The saved plan with one part replaced by what was posted for it, for the pages that
    /// change one part at a time: `outcomes`, `actions`, `services` or `agreement`. Anything
    /// else (the whole form) takes everything posted.
    pub fn with_part(mut self, part: &str, posted: PlanForm) -> PlanForm {
        match part {
            "outcomes" => self.outcomes = posted.outcomes,
            "actions" => self.actions = posted.actions,
            "services" => {
                self.directory_services = posted.directory_services;
                self.directory_services_for = posted.directory_services_for;
                self.services = posted.services;
            }
            "agreement" => {
                self.agreed = posted.agreed;
                self.agreed_on = posted.agreed_on;
                self.agreed_by = posted.agreed_by;
            }
            _ => return posted,
        }
        self.version = posted.version;
        self
    }

    /// Adds the blank rows the form offers for new outcomes and actions.
    pub fn with_blank_rows(mut self) -> Self {
        for _ in 0..BLANK_ROWS {
            self.outcomes.push(OutcomeForm::default());
            self.actions.push(ActionForm::default());
            self.directory_services.push(String::new());
        }
        self.directory_services_for
            .resize(self.directory_services.len(), String::new());
        self
    }

    fn check(
        &self,
        started: NaiveDate,
        today: NaiveDate,
        owners: &Owners,
        directory: &[PlannedService],
        people: &[PersonId],
    ) -> Result<PlanFields, FieldErrors> {
        let mut e = FieldErrors::new();
        // Outcome rows kept, by their row number, with the id each will have.
        let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
        for (i, o) in self.outcomes.iter().enumerate() {
            if o.text.trim().is_empty() && o.needs.is_empty() {
                continue;
            }
            // Rows are numbered on the form: each problem says which.
            let n = i + 1;
            let text = input::required_text(
                &mut e,
                &format!("outcome.{i}.text"),
                &format!("what the family wants for outcome {n}, in their words"),
                &o.text,
                1000,
            );
            let mut needs = Vec::new();
            for n in &o.needs {
                match NeedDomain::from_code(n) {
                    Some(d) => needs.push(d),
                    None => e.add(
                        &format!("outcome.{i}.needs"),
                        format!("Choose the needs of outcome {n} from the list"),
                    ),
                }
            }
            if needs.is_empty() {
                e.add(
                    &format!("outcome.{i}.needs"),
                    format!("Choose the need or needs outcome {n} works on"),
                );
            }
            let id = if o.id.trim().is_empty() {
                Uuid::now_v7().to_string()
            } else {
                o.id.clone()
            };
            outcomes.push((i, Outcome { id, text, needs }));
        }
        let mut actions = Vec::new();
        for (j, a) in self.actions.iter().enumerate() {
            if a.is_blank() {
                continue;
            }
            let field = |part: &str| format!("action.{j}.{part}");
            let n = j + 1;
            let what = input::required_text(
                &mut e,
                &field("what"),
                &format!("what will be done for action {n}"),
                &a.what,
                1000,
            );
            let outcome = a
                .outcome
                .parse::<usize>()
                .ok()
                .and_then(|row| outcomes.iter().find(|(i, _)| *i == row))
                .map(|(_, o)| o.id.clone());
            if outcome.is_none() {
                e.add(
                    &field("outcome"),
                    format!("Choose the outcome action {n} works towards"),
                );
            }
            let owner = owners.find(&a.owner);
            if owner.is_none() {
                e.add(
                    &field("owner"),
                    format!("Choose who will do action {n}: someone in the Team Around the Family or in the family"),
                );
            }
            let due_on = parse_date(&mut e, &field("due_on"), &a.due_on);
            if a.due_on.trim().is_empty() {
                e.add(
                    &field("due_on"),
                    format!("Enter the date action {n} will be done by, like 27/03/2026"),
                );
            }
            if let Some(d) = due_on {
                if let Err(r) = episode::check_planned(d, started, today) {
                    e.add(
                        &field("due_on"),
                        r.message(&format!("The date action {n} will be done by"), started),
                    );
                }
            }
            let status = if a.status.trim().is_empty() {
                Some(ActionStatus::NotStarted)
            } else {
                ActionStatus::from_code(&a.status)
            };
            if status.is_none() {
                e.add(&field("status"), format!("Choose where action {n} stands"));
            }
            if let (Some(outcome_id), Some((user, person)), Some(status)) = (outcome, owner, status)
            {
                actions.push(Action {
                    id: if a.id.trim().is_empty() {
                        Uuid::now_v7().to_string()
                    } else {
                        a.id.clone()
                    },
                    outcome_id,
                    what,
                    owner_user_id: user,
                    owner_person_id: person,
                    due_on,
                    status,
                });
            }
        }
        let mut directory_services: Vec<PlannedService> = Vec::new();
        for (i, chosen) in self.directory_services.iter().enumerate() {
            let chosen = chosen.trim();
            if chosen.is_empty() {
                continue;
            }
            let for_whom = self
                .directory_services_for
                .get(i)
                .map(|p| p.trim())
                .unwrap_or_default();
            let person_id = if for_whom.is_empty() {
                None
            } else {
                match for_whom
                    .parse::<PersonId>()
                    .ok()
                    .filter(|p| people.contains(p))
                {
                    Some(p) => Some(p),
                    // Only this episode's family can be named: an id from elsewhere reaches nothing.
                    None => {
                        e.add(
                            &format!("directory_service_for.{i}"),
                            "Choose someone in this family, or everyone",
                        );
                        continue;
                    }
                }
            };
            match directory.iter().find(|s| s.service_id.to_string() == chosen) {
                Some(s) => {
                    let s = PlannedService {
                        person_id,
                        ..s.clone()
                    };
                    // Choosing the same service twice for the same people refers them once.
                    if !directory_services.contains(&s) {
                        directory_services.push(s);
                    }
                }
                None => e.add(
                    &format!("directory_service.{i}"),
                    "Choose a service from the directory's list, or type it under services not in the directory",
                ),
            }
        }
        let mut services = Vec::new();
        for line in self
            .services
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if line.chars().count() > 300 {
                e.add("services", "Each service must be 300 characters or fewer");
            }
            services.push(line.to_string());
        }
        let agreed = self.agreed == "yes";
        let (agreed_on, agreed_by) = if agreed {
            let on = parse_date(&mut e, "agreed_on", &self.agreed_on);
            if self.agreed_on.trim().is_empty() {
                e.add("agreed_on", "Enter the date the family agreed the plan");
            }
            if let Some(d) = on {
                if let Err(r) = episode::check_happened(d, started, today) {
                    e.add(
                        "agreed_on",
                        r.message("The date the family agreed", started),
                    );
                }
            }
            let by = input::required_text(
                &mut e,
                "agreed_by",
                "who in the family agreed the plan",
                &self.agreed_by,
                300,
            );
            (on, Some(by))
        } else {
            (None, None)
        };
        e.into_result(PlanFields {
            outcomes: outcomes.into_iter().map(|(_, o)| o).collect(),
            actions,
            services,
            directory_services,
            agreed_with_family: agreed,
            agreed_on,
            agreed_by,
        })
    }
}

fn owner_code(a: &Action) -> String {
    match (a.owner_user_id, a.owner_person_id) {
        (Some(u), _) => format!("user:{u}"),
        (None, Some(p)) => format!("person:{p}"),
        (None, None) => String::new(),
    }
}

/// Who may own an action: the lead, the TAF's current practitioners and the family members.
pub struct Owners {
    pub choices: Vec<(String, String)>,
}

impl Owners {
    fn of(e: &Episode, members: &[TafMember], people: &[(PersonId, String)]) -> Self {
        // The lead is given the episode by allocation rather than by joining the TAF.
        let lead = e.lead_user_id.map(|u| {
            let level = e.level.lead_title();
            (
                format!("user:{u}"),
                format!("{} ({level})", e.lead_name.clone().unwrap_or_default()),
            )
        });
        let mut choices: Vec<(String, String)> = lead.into_iter().collect();
        let others: Vec<(String, String)> = members
            .iter()
            .filter(|m| m.left_on.is_none())
            .filter_map(|m| {
                let u = m.user_id?;
                let name = m.user_name.clone().unwrap_or_default();
                let org = m.organisation_name.clone().unwrap_or_default();
                Some((format!("user:{u}"), format!("{name} ({org})")))
            })
            .collect();
        for o in others {
            if !choices.iter().any(|(c, _)| *c == o.0) {
                choices.push(o);
            }
        }
        choices.extend(
            people
                .iter()
                .map(|(p, name)| (format!("person:{p}"), format!("{name} (family)"))),
        );
        Owners { choices }
    }

    fn find(&self, code: &str) -> Option<(Option<UserId>, Option<PersonId>)> {
        if !self.choices.iter().any(|(c, _)| c == code) {
            return None;
        }
        match code.split_once(':') {
            Some(("user", id)) => id.parse().ok().map(|u| (Some(u), None)),
            Some(("person", id)) => id.parse().ok().map(|p| (None, Some(p))),
            _ => None,
        }
    }

    /// The name shown for an action's owner.
    pub fn name_of(&self, a: &Action) -> String {
        let code = owner_code(a);
        self.choices
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "Someone who has left the team".into())
    }
}

/// A refused save: the plan as saved now, and what this user typed.
#[derive(Debug)]
pub struct PlanConflict {
    pub saved: Plan,
    pub yours: PlanForm,
}

#[derive(Debug)]
pub enum PlanEdit {
    Saved { version: i64 },
    Conflict(Box<PlanConflict>),
}

/// An update on one action, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionUpdateForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

pub struct PlanView {
    pub episode: Episode,
    pub people: Vec<(PersonId, String)>,
    pub plan: Option<Plan>,
    pub versions: Vec<PlanVersion>,
    pub updates: Vec<ActionUpdate>,
    pub reviews: Vec<Review>,
    pub owners: Owners,
    /// When the next review is due, while the episode is open.
    pub next_review_on: NaiveDate,
    pub review_due: Option<Due>,
    /// Progress on each outcome (by id) from the first review to the latest.
    pub distance: Vec<Distance<String>>,
    /// Per need: the assessment's scores against the latest review's.
    pub needs_progress: Vec<NeedProgress>,
    /// The directory's services the plan may choose from.
    pub service_choices: Vec<ServiceChoice>,
    /// The plan's services, each with where the requests for it made for the family stand.
    pub services: Vec<ServiceOnPlan>,
    /// Requests made for the family to services the plan does not name.
    pub other_requests: Vec<ServiceRequest>,
    pub may: EpisodePermissions,
}

/// What a plan may choose from: the directory's published services, and any the plan
/// already names (kept even if their entry has since been withdrawn).
fn choosable(choices: &[ServiceChoice], plan: Option<&Plan>) -> Vec<PlannedService> {
    let mut out: Vec<PlannedService> = plan
        .map(|p| p.fields.directory_services.clone())
        .unwrap_or_default();
    for c in choices {
        if !out.iter().any(|s| s.service_id == c.id) {
            out.push(PlannedService {
                service_id: c.id,
                name: c.name.clone(),
                person_id: None,
            });
        }
    }
    out
}

impl Hearth {
    /// The plan page: the plan, its earlier versions, action updates, reviews and what is
    /// due. The view is audited.
    pub async fn plan(&self, actor: &Actor, id: EpisodeId) -> Result<PlanView, AppError> {
        let mut conn = self.store.read().await?;
        let opened = self.episode_for(actor, id, |_| true).await?;
        let (e, may) = (opened.episode().clone(), opened.may());
        let people = named_people(&mut conn, &e).await?;
        let members = episodes::members(&mut conn, &opened).await?;
        let plan = plans::for_episode(&mut conn, &opened).await?;
        let versions = plans::versions(&mut conn, &opened).await?;
        let updates = plans::action_updates(&mut conn, &opened).await?;
        let reviews = reviews::for_episode(&mut conn, &opened).await?;
        let service_choices = plans::service_choices(&mut conn).await?;
        let requests = sr::for_people(&mut conn, &e.people).await?;
        let needs_progress = needs_progress(&mut conn, id, &people).await?;
        let now = self.now();
        let (services, other_requests) = match &plan {
            Some(p) => {
                let (due, mut held) = requests_due(
                    &mut conn,
                    &p.fields.directory_services,
                    &people,
                    &requests,
                    now.date_naive(),
                )
                .await?;
                held.extend(due.into_iter().map(|d| {
                    (
                        d.service_id,
                        d.person_id,
                        NotSent::NotYet {
                            person: d.person_name,
                        },
                    )
                }));
                services_on_plan(
                    &p.fields.directory_services,
                    &p.fields.services,
                    &requests,
                    &people,
                    &held,
                )
            }
            None => (Vec::new(), requests),
        };
        drop(conn);
        let weeks = self.policies.plans.review_interval_weeks;
        // Until the first review, it falls one interval after the episode began.
        let next_review_on = plan::review_due(
            reviews.last().map(|r| r.fields.next_review_on),
            e.started_on,
            weeks,
        );
        let review_due = (e.status == EpisodeStatus::Open)
            .then(|| episode::due(next_review_on, now.date_naive()));
        let scores: Vec<(String, NaiveDate, u8)> = reviews
            .iter()
            .flat_map(|r| {
                r.fields
                    .progress
                    .iter()
                    .map(|p| (p.outcome_id.clone(), r.fields.held_on, p.scale))
            })
            .collect();
        self.append_event(&record_event(
            actor,
            AuditAction::EpisodeViewed,
            "plan",
            id.to_string(),
            id,
            now,
        ))
        .await?;
        Ok(PlanView {
            owners: Owners::of(&e, &members, &people),
            episode: e,
            people,
            plan,
            versions,
            updates,
            reviews,
            next_review_on,
            review_due,
            distance: plan::distance_travelled(&scores),
            needs_progress,
            service_choices,
            services,
            other_requests,
            may,
        })
    }

    /// Saves the plan as a new version (the one before is kept). From an out-of-date
    /// version nothing is saved and both the saved plan and what was typed come back.
    pub async fn save_plan(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &PlanForm,
    ) -> Result<PlanEdit, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        if e.status == EpisodeStatus::Closed {
            return Err(closed_error("services"));
        }
        let people = named_people(&mut tx, e).await?;
        let members = episodes::members(&mut tx, &opened).await?;
        let directory = choosable(
            &plans::service_choices(&mut tx).await?,
            plans::for_episode(&mut tx, &opened).await?.as_ref(),
        );
        let now = self.now();
        let fields = form
            .check(
                e.started_on,
                now.date_naive(),
                &Owners::of(e, &members, &people),
                &directory,
                &e.people,
            )
            .map_err(AppError::Invalid)?;
        let version =
            match plans::save(&mut tx, &opened, form.version, &fields, actor.user_id, now).await {
                Err(StoreError::Conflict) => {
                    let saved = plans::for_episode(&mut tx, &opened)
                        .await?
                        .ok_or(AppError::Conflict)?;
                    return Ok(PlanEdit::Conflict(Box::new(PlanConflict {
                        saved,
                        yours: form.clone(),
                    })));
                }
                other => other?,
            };
        let agreed = if fields.agreed_with_family {
            ", agreed with the family"
        } else {
            ""
        };
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Plan,
            actor.user_id,
            format!(
                "Family plan saved (version {version}): {} outcomes, {} actions{agreed}",
                fields.outcomes.len(),
                fields.actions.len()
            ),
            now,
        );
        let mut a = record_event(
            actor,
            AuditAction::PlanSaved,
            "plan",
            id.to_string(),
            id,
            now,
        );
        a.detail =
            Some(serde_json::json!({ "episode": id.to_string(), "version": version }).to_string());
        record_step(tx, &entry, &a).await?;
        // A service newly chosen is asked now, for whom the plan names, where consent allows.
        self.send_plan_requests(actor, id).await?;
        Ok(PlanEdit::Saved { version })
    }

    /// Any member of the Team Around the Family updates an action: where it stands and what
    /// happened, with who and when.
    pub async fn update_action(
        &self,
        actor: &Actor,
        id: EpisodeId,
        action: &str,
        form: &ActionUpdateForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        if e.status == EpisodeStatus::Closed {
            return Err(closed_error("status"));
        }
        let mut errors = FieldErrors::new();
        let status = ActionStatus::from_code(&form.status);
        if status.is_none() {
            errors.add("status", "Choose where the action stands");
        }
        let note = input::required_text(&mut errors, "note", "what has happened", &form.note, 5000);
        let (Some(status), true) = (status, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let what = plans::for_episode(&mut tx, &opened)
            .await?
            .and_then(|p| p.fields.actions.into_iter().find(|a| a.id == action))
            .map(|a| a.what)
            .ok_or(AppError::NotFound)?;
        plans::update_action(&mut tx, &opened, action, status, &note, actor.user_id, now).await?;
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Plan,
            actor.user_id,
            format!(
                "Action “{what}” is {}: {note}",
                status.label().to_lowercase()
            ),
            now,
        );
        let mut a = record_event(
            actor,
            AuditAction::PlanActionUpdated,
            "plan_action",
            action.to_string(),
            id,
            now,
        );
        a.detail = Some(
            serde_json::json!({ "episode": id.to_string(), "status": status.code() }).to_string(),
        );
        record_step(tx, &entry, &a).await?;
        Ok(())
    }
}
