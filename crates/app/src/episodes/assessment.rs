//! The whole-family assessment: for each family member and each need domain, strengths,
//! needs, risks and a 0–10 scale; the child's and the parents' voice in their own words; a
//! manager's sign-off. A save from an out-of-date version is refused with both versions.

use crate::accounts::auth::event;
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::{self, Due, Route};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{self, AssessmentStatus};
use hearth_domain::role::Capability;
use hearth_domain::task::TaskKind;
pub use hearth_store::episodes::assessments::Assessment;
use hearth_store::episodes::assessments::{self, AssessmentFields, Entry};
use hearth_store::episodes::Episode;
use hearth_store::family::chronology::NewEntry;
use hearth_store::{family::people, Conn, StoreError};
use std::collections::BTreeMap;

use crate::episodes::{episode_entry, rework_task, EpisodePermissions, SignOff};
use hearth_store::episodes::tasks;

/// One family member's situation in one domain, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryForm {
    /// Named as a need for this family member (the brief assessment asks only this); an
    /// entry with anything written in it is kept whether or not this is ticked.
    pub identified: bool,
    pub strengths: String,
    pub needs: String,
    pub risks: String,
    pub scale: String,
}

impl EntryForm {
    fn is_blank(&self) -> bool {
        !self.identified
            && [&self.strengths, &self.needs, &self.risks, &self.scale]
                .iter()
                .all(|v| v.trim().is_empty())
    }
}

/// The assessment as typed. Entries are keyed by (person id, domain code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentForm {
    pub child_voice: String,
    pub parent_voice: String,
    pub going_well: String,
    pub worries: String,
    pub next_step: String,
    pub entries: BTreeMap<(String, String), EntryForm>,
    /// The version the edit started from; 0 when there was no assessment yet.
    pub version: i64,
}

/// The field name of one part of an entry, e.g. `entry.<person>.health.scale`.
pub fn entry_field(person: &str, domain: &str, part: &str) -> String {
    format!("entry.{person}.{domain}.{part}")
}

impl AssessmentForm {
    /// From the posted pairs: `entry.<person>.<domain>.<part>` fields carry the entries, and
    /// `identified.<person>` the needs ticked for that person.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = AssessmentForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "child_voice" => f.child_voice = v.clone(),
                "parent_voice" => f.parent_voice = v.clone(),
                "going_well" => f.going_well = v.clone(),
                "worries" => f.worries = v.clone(),
                "next_step" => f.next_step = v.clone(),
                "version" => f.version = v.parse().unwrap_or_default(),
                k => {
                    let parts: Vec<&str> = k.split('.').collect();
                    // `identified.<person>` carries one ticked need domain a value.
                    if let ["identified", person] = parts.as_slice() {
                        f.entries
                            .entry((person.to_string(), v.clone()))
                            .or_default()
                            .identified = true;
                    } else if let ["entry", person, domain, part] = parts.as_slice() {
                        let e = f
                            .entries
                            .entry((person.to_string(), domain.to_string()))
                            .or_default();
                        match *part {
                            "strengths" => e.strengths = v.clone(),
                            "needs" => e.needs = v.clone(),
                            "risks" => e.risks = v.clone(),
                            "scale" => e.scale = v.clone(),
                            _ => {}
                        }
                    }
                }
            }
        }
        f
    }

    pub fn from_assessment(a: &Assessment) -> Self {
        AssessmentForm {
            child_voice: a.fields.child_voice.clone(),
            parent_voice: a.fields.parent_voice.clone(),
            going_well: a.fields.going_well.clone(),
            worries: a.fields.worries.clone(),
            next_step: a.fields.next_step.clone(),
            entries: a
                .fields
                .entries
                .iter()
                .map(|e| {
                    (
                        (e.person_id.to_string(), e.domain.code().to_string()),
                        EntryForm {
                            identified: true,
                            strengths: e.strengths.clone(),
                            needs: e.needs.clone(),
                            risks: e.risks.clone(),
                            scale: e.scale.map(|s| s.to_string()).unwrap_or_default(),
                        },
                    )
                })
                .collect(),
            version: a.version,
        }
    }

    /// The answers, checked; a problem with one member's need names them and the need.
    fn check(&self, people: &[(PersonId, String)]) -> Result<AssessmentFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let child_voice = input::optional_text(
            &mut e,
            "child_voice",
            "the child's voice",
            &self.child_voice,
            20_000,
        );
        let parent_voice = input::optional_text(
            &mut e,
            "parent_voice",
            "the parents' voice",
            &self.parent_voice,
            20_000,
        );
        let mut family_text = |field: &str, what: &str, v: &str| {
            input::optional_text(&mut e, field, what, v, 20_000).unwrap_or_default()
        };
        let going_well = family_text("going_well", "what is going well", &self.going_well);
        let worries = family_text("worries", "the worries", &self.worries);
        let next_step = family_text("next_step", "the next step", &self.next_step);
        let mut entries = Vec::new();
        for ((person, domain), f) in &self.entries {
            if f.is_blank() {
                continue;
            }
            let (Some((p, name)), Some(d)) = (
                person
                    .parse::<PersonId>()
                    .ok()
                    .and_then(|p| people.iter().find(|(id, _)| *id == p)),
                NeedDomain::from_code(domain),
            ) else {
                // Not a field the form offers: someone edited the page.
                e.add(
                    &entry_field(person, domain, "strengths"),
                    "This is not a family member or need domain of the episode",
                );
                continue;
            };
            let need = d.label().to_lowercase();
            let text = |e: &mut FieldErrors, part: &str, v: &str| {
                let what = format!("{name}'s {part} in “{need}”");
                input::optional_text(e, &entry_field(person, domain, part), &what, v, 5000)
                    .unwrap_or_default()
            };
            let strengths = text(&mut e, "strengths", &f.strengths);
            let needs = text(&mut e, "needs", &f.needs);
            let risks = text(&mut e, "risks", &f.risks);
            let scale = plan::scale(&f.scale)
                .map_err(|m| {
                    e.add(
                        &entry_field(person, domain, "scale"),
                        format!("{name}, “{need}”: {}", lower_first(m)),
                    )
                })
                .unwrap_or_default();
            entries.push(Entry {
                person_id: *p,
                domain: d,
                strengths,
                needs,
                risks,
                scale,
            });
        }
        e.into_result(AssessmentFields {
            child_voice: child_voice.unwrap_or_default(),
            parent_voice: parent_voice.unwrap_or_default(),
            going_well,
            worries,
            next_step,
            entries,
        })
    }
}

/// A refused save: what is saved now and what this user typed.
#[derive(Debug)]
pub struct AssessmentConflict {
    pub saved: Assessment,
    pub yours: AssessmentForm,
}

#[derive(Debug)]
pub enum AssessmentEdit {
    Saved,
    Conflict(Box<AssessmentConflict>),
}

pub struct AssessmentView {
    pub episode: Episode,
    pub people: Vec<(PersonId, String)>,
    pub assessment: Option<Assessment>,
    pub due_on: NaiveDate,
    /// Until it is signed off.
    pub due: Option<Due>,
    pub may: EpisodePermissions,
}

impl AssessmentView {
    /// Which form it is: the assessment's own once started (so a later change of the
    /// episode's route never hides answers), the episode's route before.
    pub fn route(&self) -> Route {
        self.assessment
            .as_ref()
            .map_or(self.episode.route, |a| a.route)
    }

    pub fn status(&self) -> AssessmentStatus {
        self.assessment
            .as_ref()
            .map_or(AssessmentStatus::Draft, |a| a.status)
    }
}

pub(crate) fn record_event(
    actor: &Actor,
    action: AuditAction,
    record_type: &'static str,
    record_id: String,
    episode: EpisodeId,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some(record_type);
    e.record_id = Some(record_id);
    e.detail = Some(serde_json::json!({ "episode": episode.to_string() }).to_string());
    e
}

/// The assessment's line in the family's chronology: a line about the episode.
fn assessment_entry<'a>(
    actor: &Actor,
    e: &'a Episode,
    summary: &str,
    now: DateTime<Utc>,
) -> NewEntry<'a> {
    episode_entry(
        e.id,
        &e.people,
        EntryKind::Assessment,
        actor.user_id,
        summary.to_string(),
        now,
    )
}

/// The family members of an episode by name, in the episode's order.
/// "Enter a whole number …" as "enter a whole number …", to follow a name.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(crate) async fn named_people(
    conn: &mut Conn,
    e: &Episode,
) -> Result<Vec<(PersonId, String)>, AppError> {
    let found = people::summaries(conn, &e.people).await?;
    Ok(e.people
        .iter()
        .filter_map(|p| {
            found
                .iter()
                .find(|f| f.id == *p)
                .map(|f| (*p, format!("{} {}", f.given_names, f.family_name)))
        })
        .collect())
}

impl Hearth {
    fn assessment_due_on(&self, e: &Episode) -> NaiveDate {
        plan::assessment_due(e.started_on, self.policies.plans.assessment_due_days)
    }

    /// The episode's assessment (or an empty one, with its due date). The view is audited.
    pub async fn assessment(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<AssessmentView, AppError> {
        let mut conn = self.store.read().await?;
        let opened = self.episode_for(actor, id, |_| true).await?;
        let (e, may) = (opened.episode().clone(), opened.may());
        let people = named_people(&mut conn, &e).await?;
        let assessment = assessments::for_episode(&mut conn, &opened).await?;
        drop(conn);
        let now = self.now();
        let due_on = assessment
            .as_ref()
            .map(|a| a.due_on)
            .unwrap_or_else(|| self.assessment_due_on(&e));
        let signed = assessment
            .as_ref()
            .is_some_and(|a| a.status == AssessmentStatus::SignedOff);
        let due = (!signed && e.status == EpisodeStatus::Open)
            .then(|| episode::due(due_on, now.date_naive()));
        self.append_event(&record_event(
            actor,
            AuditAction::EpisodeViewed,
            "assessment",
            id.to_string(),
            id,
            now,
        ))
        .await?;
        Ok(AssessmentView {
            episode: e,
            people,
            assessment,
            due_on,
            due,
            may,
        })
    }

    /// Saves the draft assessment. If someone else saved since this user opened it, nothing
    /// is saved and both versions come back.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &AssessmentForm,
    ) -> Result<AssessmentEdit, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let people = named_people(&mut tx, e).await?;
        let mut fields = form.check(&people).map_err(AppError::Invalid)?;
        fields
            .entries
            .sort_by_key(|e| (e.person_id, e.domain.code()));
        let now = self.now();
        let current = assessments::for_episode(&mut tx, &opened).await?;
        let (assessment_id, version) = match (&current, form.version) {
            (None, 0) => {
                if e.status != EpisodeStatus::Open {
                    return Err(closed_error("child_voice"));
                }
                assessments::start(
                    &mut tx,
                    &opened,
                    e.route,
                    self.assessment_due_on(e),
                    actor.user_id,
                    now,
                )
                .await
                .map_err(|err| match err {
                    StoreError::Duplicate => StoreError::Conflict,
                    other => other,
                })?;
                let started = assessments::for_episode(&mut tx, &opened)
                    .await?
                    .ok_or(AppError::NotFound)?;
                (started.id, started.version)
            }
            (Some(a), v) => {
                if a.status != AssessmentStatus::Draft {
                    let mut errors = FieldErrors::new();
                    errors.add(
                        "child_voice",
                        "The assessment has been submitted for sign-off, so it can no longer be changed",
                    );
                    return Err(AppError::Invalid(errors));
                }
                (a.id.clone(), v)
            }
            (None, _) => return Err(AppError::NotFound),
        };
        match assessments::save(&mut tx, &opened, version, &fields, actor.user_id, now).await {
            Err(StoreError::Conflict) => {
                if let Some(saved) = current {
                    return Ok(AssessmentEdit::Conflict(Box::new(AssessmentConflict {
                        saved,
                        yours: form.clone(),
                    })));
                }
                return Err(AppError::Conflict);
            }
            other => other?,
        }
        record_step(
            tx,
            &assessment_entry(actor, e, "Assessment saved as a draft", now),
            &record_event(
                actor,
                AuditAction::AssessmentSaved,
                "assessment",
                assessment_id,
                id,
                now,
            ),
        )
        .await?;
        Ok(AssessmentEdit::Saved)
    }

    /// The lead submits the assessment for a manager's sign-off. It must say what the child
    /// and the parents said and assess at least one need.
    pub async fn submit_assessment(
        &self,
        actor: &Actor,
        id: EpisodeId,
        version: i64,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let a = assessments::for_episode(&mut tx, &opened)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = FieldErrors::new();
        if a.status != AssessmentStatus::Draft {
            errors.add("child_voice", "The assessment has already been submitted");
        }
        let written = |t: &str| !t.trim().is_empty();
        let answered = plan::Answered {
            child_voice: written(&a.fields.child_voice),
            parent_voice: written(&a.fields.parent_voice),
            needs: !a.fields.entries.is_empty(),
            next_step: written(&a.fields.next_step),
        };
        for (field, message) in plan::missing_for_submission(a.route, answered) {
            errors.add(field, message);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        assessments::submit(&mut tx, &opened, version, actor.user_id, now).await?;
        tasks::complete(
            &mut tx,
            id,
            TaskKind::ReworkAssessment,
            actor.user_id,
            Some("submitted again"),
            now,
        )
        .await?;
        // The owning team's managers are told it waits for them.
        tasks::insert(
            &mut tx,
            &tasks::NewTask {
                kind: TaskKind::SignOffAssessment,
                episode: Some(id),
                user: None,
                team: e.owning_team_id,
                title: match a.route {
                    Route::Brief => "Sign off the Early Help Brief Assessment",
                    Route::Full => "Sign off the whole-family assessment",
                }
                .into(),
                due_on: now.date_naive() + chrono::Duration::days(5),
                request: None,
            },
            now,
        )
        .await?;
        record_step(
            tx,
            &assessment_entry(actor, e, "Assessment submitted for sign-off", now),
            &record_event(
                actor,
                AuditAction::AssessmentSubmitted,
                "assessment",
                a.id,
                id,
                now,
            ),
        )
        .await?;
        Ok(())
    }

    /// A manager of the owning team signs the assessment off, or sends it back as a draft.
    pub async fn sign_off_assessment(
        &self,
        actor: &Actor,
        id: EpisodeId,
        decision: &SignOff,
        version: i64,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::SignOff).await?;
        let opened = self.episode_for(actor, id, |m| m.sign_off).await?;
        let e = opened.episode();
        let reason = decision.reason()?;
        let approve = decision.approves();
        let mut tx = self.store.write().await?;
        let a = assessments::for_episode(&mut tx, &opened)
            .await?
            .ok_or(AppError::NotFound)?;
        if a.status != AssessmentStatus::Submitted {
            return Err(AppError::Conflict);
        }
        let now = self.now();
        assessments::decide(&mut tx, &opened, version, approve, actor.user_id, now).await?;
        tasks::complete(
            &mut tx,
            id,
            TaskKind::SignOffAssessment,
            actor.user_id,
            Some(if approve { "signed off" } else { "sent back" }),
            now,
        )
        .await?;
        let summary = match &reason {
            None => "Assessment signed off".to_string(),
            Some(why) => {
                tasks::insert(
                    &mut tx,
                    &rework_task(
                        e,
                        TaskKind::ReworkAssessment,
                        "Rework the assessment the manager sent back",
                        now.date_naive(),
                    ),
                    now,
                )
                .await?;
                format!("Assessment sent back to the lead as a draft. Why: {why}")
            }
        };
        let entry = assessment_entry(actor, e, &summary, now);
        let mut ev = record_event(
            actor,
            AuditAction::AssessmentSignedOff,
            "assessment",
            a.id,
            id,
            now,
        );
        ev.detail =
            Some(serde_json::json!({ "episode": id.to_string(), "approved": approve }).to_string());
        ev.reason = reason;
        record_step(tx, &entry, &ev).await?;
        Ok(())
    }
}

impl Hearth {
    /// Extends the brief assessment into the whole-family one. Nothing is retyped: every
    /// answer stays, the whole-family form opens with them filled in, as a draft again.
    pub async fn extend_assessment(
        &self,
        actor: &Actor,
        id: EpisodeId,
        version: i64,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let a = assessments::for_episode(&mut tx, &opened)
            .await?
            .ok_or(AppError::NotFound)?;
        if e.status != EpisodeStatus::Open {
            return Err(closed_error("extend"));
        }
        // Waiting for a manager, it is theirs to sign off or send back first.
        if a.route != Route::Brief || a.status == AssessmentStatus::Submitted {
            return Err(AppError::Conflict);
        }
        let now = self.now();
        assessments::extend(&mut tx, &opened, version, actor.user_id, now).await?;
        record_step(
            tx,
            &assessment_entry(
                actor,
                e,
                "Early Help Brief Assessment extended into the whole-family assessment",
                now,
            ),
            &record_event(
                actor,
                AuditAction::AssessmentSaved,
                "assessment",
                a.id,
                id,
                now,
            ),
        )
        .await?;
        Ok(())
    }
}

/// A change refused because the episode has ended.
pub(crate) fn closed_error(field: &str) -> AppError {
    let mut errors = FieldErrors::new();
    errors.add(
        field,
        "The episode has closed, so this can no longer be changed",
    );
    AppError::Invalid(errors)
}
