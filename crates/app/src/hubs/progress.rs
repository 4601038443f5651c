//! A Family Hub course completed, recorded as progress on a family plan's outcome (issue 21).
//! A practitioner working the family's episode sees the courses its people were on, where
//! their family agreed to the hub keeping their attendance, and records a completed one (the
//! domain's rule, with the partnership's threshold) against an outcome: through the episode's
//! gate proof, audited, and in the chronology like the rest of the plan.

use crate::episodes::assessment::{closed_error, record_event};
use crate::episodes::episode_entry;
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::hub::completed;
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::{self, FieldErrors};
use hearth_store::episodes::plans::{self, Outcome};
use hearth_store::episodes::Episode;
use hearth_store::hubs::progress::{self, NewProgress};
use serde::Deserialize;

pub use hearth_store::hubs::progress::{Attended, Recorded};

/// The courses of an episode's people, each with whether it counts as completed, the plan's
/// outcomes to record one against, and what was recorded.
#[derive(Debug, Clone)]
pub struct CoursesView {
    pub episode: Episode,
    pub courses: Vec<(Attended, bool)>,
    pub outcomes: Vec<Outcome>,
    pub recorded: Vec<Recorded>,
    pub may_record: bool,
}

/// A completion as chosen: the course (`<programme>:<member>`), the outcome, a note.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompletionForm {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

impl Hearth {
    fn completes(&self, a: &Attended) -> bool {
        completed(
            a.kind,
            a.finished,
            a.attended,
            a.held,
            self.policies.plans.programme_completion_percent,
        )
    }

    /// The hub courses of an episode's people, for whoever may read the episode. Audited.
    pub async fn episode_courses(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<CoursesView, AppError> {
        let opened = self.episode_for(actor, id, |_| true).await?;
        let now = self.now();
        let mut conn = self.store.read().await?;
        let courses = progress::courses(&mut conn, &opened, now.date_naive()).await?;
        let outcomes = plans::for_episode(&mut conn, &opened)
            .await?
            .map(|p| p.fields.outcomes)
            .unwrap_or_default();
        let recorded = progress::recorded(&mut conn, &opened).await?;
        drop(conn);
        self.append_event(&record_event(
            actor,
            AuditAction::EpisodeViewed,
            "hub_courses",
            id.to_string(),
            id,
            now,
        ))
        .await?;
        let may_record =
            opened.may().contribute && opened.episode().status != EpisodeStatus::Closed;
        Ok(CoursesView {
            courses: courses
                .into_iter()
                .map(|a| {
                    let done = self.completes(&a);
                    (a, done)
                })
                .collect(),
            episode: opened.into_episode(),
            outcomes,
            recorded,
            may_record,
        })
    }

    /// Records a completed course as progress on an outcome of the episode's plan, for a
    /// member of the Team Around the Family. A course not completed, another family's, or
    /// one the family did not agree to share cannot be chosen.
    pub async fn record_course_completion(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &CompletionForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        if opened.episode().status == EpisodeStatus::Closed {
            return Err(closed_error("course"));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let courses = progress::courses(&mut tx, &opened, now.date_naive()).await?;
        let outcomes = plans::for_episode(&mut tx, &opened)
            .await?
            .map(|p| p.fields.outcomes)
            .unwrap_or_default();
        let mut e = FieldErrors::new();
        let course = courses
            .iter()
            .find(|a| format!("{}:{}", a.programme, a.member) == form.course);
        match course {
            None => e.add("course", "Select a course someone completed"),
            Some(a) if !self.completes(a) => e.add(
                "course",
                format!(
                    "{} has not completed {}: they came to {} of {} sessions so far",
                    a.name, a.programme_name, a.attended, a.held
                ),
            ),
            Some(_) => {}
        }
        let outcome = outcomes.iter().find(|o| o.id == form.outcome);
        if outcome.is_none() {
            e.add(
                "outcome",
                "Select the outcome of the plan it is progress on",
            );
        }
        let note = input::optional_text(&mut e, "note", "the note", &form.note, 2000);
        let (Some(course), Some(outcome), true) = (course, outcome, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let fresh = progress::record(
            &mut tx,
            &opened,
            &NewProgress {
                outcome: &outcome.id,
                course,
                note: note.as_deref(),
                by: actor.user_id,
            },
            now,
        )
        .await?;
        if !fresh {
            e.add(
                "course",
                "This course is already recorded as progress on that outcome",
            );
            return Err(AppError::Invalid(e));
        }
        let e = opened.episode();
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Plan,
            actor.user_id,
            format!(
                "{} completed the Family Hub course {} ({} of {} sessions): progress on “{}”",
                course.name, course.programme_name, course.attended, course.held, outcome.text
            ),
            now,
        );
        let mut a = record_event(
            actor,
            AuditAction::HubCompletionRecorded,
            "plan",
            id.to_string(),
            id,
            now,
        );
        a.detail = Some(
            serde_json::json!({
                "episode": id.to_string(),
                "outcome": outcome.id,
                "programme": course.programme.to_string(),
                "person": course.person.to_string(),
            })
            .to_string(),
        );
        record_step(tx, &entry, &a).await?;
        Ok(())
    }
}
