//! Recording a completion of a course on a member of staff's training, and correcting one:
//! by their team's manager or an administrator (never by the person themselves), through the
//! gate, audited in the same transaction with who did it. A correction names the version it
//! was read at: two people correcting at once do not overwrite each other.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::{TrainingRecordId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::training::{Completion, TrainingAction};
use hearth_store::accounts::users;
use hearth_store::gate::OpenedTraining;
use hearth_store::training::{self as store, RecordFields, TrainingRecord};
use hearth_store::{audit, Store};
use serde::Deserialize;

/// The longest evidence note.
pub const EVIDENCE_MAX: usize = 500;

/// A completion as typed: the course, the day it was done, when it runs out (blank: by the
/// course's own months), and a note of the evidence seen.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TrainingForm {
    #[serde(default)]
    pub course: String,
    #[serde(default, rename = "done-day")]
    pub done_day: String,
    #[serde(default, rename = "done-month")]
    pub done_month: String,
    #[serde(default, rename = "done-year")]
    pub done_year: String,
    #[serde(default, rename = "expires-day")]
    pub expires_day: String,
    #[serde(default, rename = "expires-month")]
    pub expires_month: String,
    #[serde(default, rename = "expires-year")]
    pub expires_year: String,
    #[serde(default)]
    pub evidence: String,
    /// The version a correction was read at.
    #[serde(default)]
    pub version: String,
}

impl TrainingForm {
    pub fn done_parts(&self) -> DateParts {
        DateParts {
            day: self.done_day.clone(),
            month: self.done_month.clone(),
            year: self.done_year.clone(),
        }
    }

    pub fn expires_parts(&self) -> DateParts {
        DateParts {
            day: self.expires_day.clone(),
            month: self.expires_month.clone(),
            year: self.expires_year.clone(),
        }
    }

    /// A recorded completion, to correct.
    pub fn of(record: &TrainingRecord) -> Self {
        let done = DateParts::of(record.completion.done_on);
        let expires = record
            .completion
            .expires_on
            .map(DateParts::of)
            .unwrap_or_default();
        Self {
            course: record.course.clone(),
            done_day: done.day,
            done_month: done.month,
            done_year: done.year,
            expires_day: expires.day,
            expires_month: expires.month,
            expires_year: expires.year,
            evidence: record.evidence.clone().unwrap_or_default(),
            version: record.version.to_string(),
        }
    }
}

/// What a form checks out as.
struct Checked {
    course: String,
    completion: Completion,
    evidence: Option<String>,
}

impl Checked {
    fn fields(&self) -> RecordFields<'_> {
        RecordFields {
            course: &self.course,
            completion: self.completion,
            evidence: self.evidence.as_deref(),
        }
    }
}

/// The audit event of a completion recorded or corrected on `whose` training, naming who did
/// it (the actor), the record and the course.
fn training_event(
    actor: &Actor,
    action: AuditAction,
    whose: UserId,
    id: TrainingRecordId,
    checked: &Checked,
    now: chrono::DateTime<chrono::Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some("training");
    e.record_id = Some(whose.to_string());
    e.detail =
        Some(serde_json::json!({"record": id.to_string(), "course": checked.course}).to_string());
    e
}

impl Hearth {
    fn check_training(&self, form: &TrainingForm) -> Result<Checked, AppError> {
        let mut errors = FieldErrors::new();
        let courses = &self.policies.training.courses;
        let course = courses.get(form.course.trim());
        if course.is_none() {
            errors.add("course", "Choose the course from the list");
        }
        let today = self.now().date_naive();
        let done = match form.done_parts().read("The date the course was done") {
            Ok(Some(d)) if d > today => {
                errors.add(
                    "done",
                    "The date the course was done must be today or in the past",
                );
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("done", "Enter the date the course was done");
                None
            }
            Err(e) => {
                errors.add("done", e.message);
                None
            }
        };
        let typed_expiry = match form.expires_parts().read("The date it runs out") {
            Ok(d) => d,
            Err(e) => {
                errors.add("expires", e.message);
                None
            }
        };
        if let (Some(done), Some(end)) = (done, typed_expiry) {
            if end <= done {
                errors.add(
                    "expires",
                    "The date it runs out must be after the date the course was done",
                );
            }
        }
        let evidence = input::optional_text(
            &mut errors,
            "evidence",
            "the evidence",
            &form.evidence,
            EVIDENCE_MAX,
        );
        match (course, done, errors.is_empty()) {
            (Some(course), Some(done_on), true) => Ok(Checked {
                course: course.code.clone(),
                completion: Completion {
                    done_on,
                    // Blank: the course's own months from the day it was done.
                    expires_on: typed_expiry.or_else(|| course.expires_on(done_on)),
                },
                evidence,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// Opens `whose` training for recording, or refuses (audited) — the person themselves,
    /// another team's manager, anyone else. Someone who does not exist is refused the same.
    async fn open_for_recording(
        &self,
        actor: &Actor,
        whose: UserId,
    ) -> Result<OpenedTraining, AppError> {
        let mut conn = self.store.read().await?;
        let team = match users::get(&mut conn, whose).await {
            Ok(u) => u.team_id,
            Err(hearth_store::StoreError::NotFound) => {
                drop(conn);
                return Err(self.refused(actor, "training", whose.to_string()).await);
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        Ok(self
            .gate
            .open_training(&self.viewer(actor), whose, team, TrainingAction::Record)
            .await?)
    }

    /// Records a completion on `whose` training.
    pub async fn record_training(
        &self,
        actor: &Actor,
        whose: UserId,
        form: &TrainingForm,
    ) -> Result<TrainingRecordId, AppError> {
        let opened = self.open_for_recording(actor, whose).await?;
        let checked = self.check_training(form)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = store::insert(&mut tx, &opened, &checked.fields(), actor.user_id, now).await?;
        let e = training_event(
            actor,
            AuditAction::TrainingRecorded,
            whose,
            id,
            &checked,
            now,
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// One completion on `whose` training, to correct.
    pub async fn training_record(
        &self,
        actor: &Actor,
        whose: UserId,
        id: TrainingRecordId,
    ) -> Result<TrainingRecord, AppError> {
        let opened = self.open_for_recording(actor, whose).await?;
        let mut conn = self.store.read().await?;
        Ok(store::get(&mut conn, &opened, id).await?)
    }

    /// Corrects a completion on `whose` training, if nobody changed it since the form's
    /// version.
    pub async fn change_training(
        &self,
        actor: &Actor,
        whose: UserId,
        id: TrainingRecordId,
        form: &TrainingForm,
    ) -> Result<(), AppError> {
        let opened = self.open_for_recording(actor, whose).await?;
        let checked = self.check_training(form)?;
        let version = form
            .version
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::Conflict)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::update(
            &mut tx,
            &opened,
            id,
            version,
            &checked.fields(),
            actor.user_id,
            now,
        )
        .await?;
        let e = training_event(
            actor,
            AuditAction::TrainingChanged,
            whose,
            id,
            &checked,
            now,
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
