//! Team Around the Family reviews: when it was held (within the episode, not in the future),
//! who came, progress on each outcome on the 0–10 scale, decisions, and the next review
//! (the partnership's interval unless the team chooses a date). A review can be corrected:
//! the earlier version is kept, and a correction from an out-of-date copy is refused with
//! both versions shown, as for the plan.

use crate::episodes::assessment::{closed_error, record_event};
use crate::episodes::record::record_step;
use crate::family::parse_date;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::NoteVisibility;
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::plan;
use hearth_domain::survey::{Audience, Moment};
use hearth_store::episodes::plans;
pub use hearth_store::episodes::plans::Outcome;
use hearth_store::episodes::reviews::{self, Progress};
pub use hearth_store::episodes::reviews::{Review, ReviewFields, ReviewVersion};
use hearth_store::episodes::Episode;
use hearth_store::family::chronology::NewEntry;
use hearth_store::StoreError;
use std::collections::BTreeMap;

/// A review as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    pub held_on: String,
    pub attendees: String,
    pub decisions: String,
    /// Empty: the partnership's interval after the review.
    pub next_review_on: String,
    /// Outcome id → (scale, comment) as typed.
    pub progress: BTreeMap<String, (String, String)>,
    /// The version a correction started from (0 for a new review).
    pub version: i64,
}

/// The field name of one outcome's progress, e.g. `progress.<outcome>.scale`.
pub fn progress_field(outcome: &str, part: &str) -> String {
    format!("progress.{outcome}.{part}")
}

impl ReviewForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = ReviewForm::default();
        for (k, v) in pairs {
            let parts: Vec<&str> = k.split('.').collect();
            match parts.as_slice() {
                ["held_on"] => f.held_on = v.clone(),
                ["attendees"] => f.attendees = v.clone(),
                ["decisions"] => f.decisions = v.clone(),
                ["next_review_on"] => f.next_review_on = v.clone(),
                ["version"] => f.version = v.parse().unwrap_or_default(),
                ["progress", outcome, "scale"] => {
                    f.progress.entry(outcome.to_string()).or_default().0 = v.clone()
                }
                ["progress", outcome, "comment"] => {
                    f.progress.entry(outcome.to_string()).or_default().1 = v.clone()
                }
                _ => {}
            }
        }
        f
    }

    /// The form filled from a saved review, for correcting it.
    pub fn from_review(r: &Review) -> Self {
        let uk = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
        ReviewForm {
            held_on: uk(r.fields.held_on),
            attendees: r.fields.attendees.clone(),
            decisions: r.fields.decisions.clone(),
            next_review_on: uk(r.fields.next_review_on),
            progress: r
                .fields
                .progress
                .iter()
                .map(|p| {
                    (
                        p.outcome_id.clone(),
                        (p.scale.to_string(), p.comment.clone()),
                    )
                })
                .collect(),
            version: r.version,
        }
    }

    fn check(
        &self,
        started: chrono::NaiveDate,
        today: chrono::NaiveDate,
        interval_weeks: i64,
        outcomes: &[Outcome],
    ) -> Result<ReviewFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = parse_date(&mut e, "held_on", &self.held_on);
        if self.held_on.trim().is_empty() {
            e.add(
                "held_on",
                "Enter the date the review was held, like 27/03/2026",
            );
        }
        if let Some(on) = held_on {
            if let Err(r) = episode::check_happened(on, started, today) {
                e.add("held_on", r.message("The review date", started));
            }
        }
        let attendees = input::required_text(
            &mut e,
            "attendees",
            "who came to the review",
            &self.attendees,
            2000,
        );
        let mut progress = Vec::new();
        for o in outcomes {
            let (scale, comment) = self.progress.get(&o.id).cloned().unwrap_or_default();
            let scale_field = progress_field(&o.id, "scale");
            match plan::scale(&scale) {
                Ok(Some(s)) => {
                    let comment = input::optional_text(
                        &mut e,
                        &progress_field(&o.id, "comment"),
                        "the comment",
                        &comment,
                        5000,
                    )
                    .unwrap_or_default();
                    progress.push(Progress {
                        outcome_id: o.id.clone(),
                        scale: s,
                        comment,
                    });
                }
                Ok(None) => e.add(
                    &scale_field,
                    format!("Enter a score from 0 to 10 for “{}”", o.text),
                ),
                Err(m) => e.add(&scale_field, m),
            }
        }
        let decisions = input::required_text(
            &mut e,
            "decisions",
            "what the review decided",
            &self.decisions,
            20_000,
        );
        let next = if self.next_review_on.trim().is_empty() {
            held_on.map(|h| plan::next_review(h, interval_weeks))
        } else {
            let next = parse_date(&mut e, "next_review_on", &self.next_review_on);
            if let Some(n) = next {
                if let Err(r) = episode::check_planned(n, started, today) {
                    e.add("next_review_on", r.message("The next review date", started));
                } else if held_on.is_some_and(|h| n <= h) {
                    e.add(
                        "next_review_on",
                        "The next review date must be after this review",
                    );
                }
            }
            next
        };
        let (Some(held_on), Some(next_review_on), true) = (held_on, next, e.is_empty()) else {
            return Err(e);
        };
        Ok(ReviewFields {
            held_on,
            attendees,
            decisions,
            next_review_on,
            progress,
        })
    }
}

impl Hearth {
    /// Records a review of the plan. Reviews are only ever added, so two recorded at once
    /// both stay.
    pub async fn record_review(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &ReviewForm,
    ) -> Result<String, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        if e.status == EpisodeStatus::Closed {
            return Err(closed_error("held_on"));
        }
        let outcomes = plans::for_episode(&mut tx, &opened)
            .await?
            .map(|p| p.fields.outcomes)
            .unwrap_or_default();
        let now = self.now();
        let fields = form
            .check(
                e.started_on,
                now.date_naive(),
                self.policies.plans.review_interval_weeks,
                &outcomes,
            )
            .map_err(AppError::Invalid)?;
        let review = reviews::insert(&mut tx, &opened, &fields, actor.user_id, now).await?;
        // Each review asks the family how it is going, in the same transaction: a review is
        // never recorded without its survey, nor a survey sent for a review not kept.
        if self.policies.surveys.after_review {
            if let Some(surveying) = self.gate.surveying_after_review(&opened) {
                self.issue_survey(
                    &mut tx,
                    &surveying,
                    actor,
                    (Moment::Review, Audience::Family, None),
                    true,
                )
                .await?;
            }
        }
        let entry = review_entry(
            e,
            actor,
            review.clone(),
            format!(
                "Team Around the Family review held on {}; next review {}",
                fields.held_on.format("%-d %B %Y"),
                fields.next_review_on.format("%-d %B %Y")
            ),
            (now, fields.held_on),
        );
        record_step(
            tx,
            &entry,
            &record_event(
                actor,
                AuditAction::ReviewRecorded,
                "review",
                review.clone(),
                id,
                now,
            ),
        )
        .await?;
        Ok(review)
    }
}

/// A refused correction: the review as saved now, and what this user typed.
#[derive(Debug)]
pub struct ReviewConflict {
    pub saved: Review,
    pub yours: ReviewForm,
}

#[derive(Debug)]
pub enum ReviewEdit {
    Saved { version: i64 },
    Conflict(Box<ReviewConflict>),
}

/// A review to correct, with its earlier versions and the outcomes it scores.
pub struct ReviewToEdit {
    pub review: Review,
    pub versions: Vec<ReviewVersion>,
    /// The outcomes of the plan this review scored (outcomes since taken out of the plan
    /// are no longer offered).
    pub outcomes: Vec<Outcome>,
}

/// The plan's outcomes the review scored, in the plan's order.
fn scored(outcomes: Vec<Outcome>, r: &Review) -> Vec<Outcome> {
    outcomes
        .into_iter()
        .filter(|o| r.fields.progress.iter().any(|p| p.outcome_id == o.id))
        .collect()
}

impl Hearth {
    /// A review to correct and its earlier versions, for those who may record reviews.
    /// Audited as a view of the episode's plan.
    pub async fn review_to_edit(
        &self,
        actor: &Actor,
        id: EpisodeId,
        review: &str,
    ) -> Result<ReviewToEdit, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        if e.status == EpisodeStatus::Closed {
            return Err(self.refused(actor, "episode", id.to_string()).await);
        }
        let mut conn = self.store.read().await?;
        let r = reviews::for_episode(&mut conn, &opened)
            .await?
            .into_iter()
            .find(|r| r.id == review)
            .ok_or(AppError::NotFound)?;
        let versions = reviews::versions(&mut conn, &opened, review).await?;
        let outcomes = plans::for_episode(&mut conn, &opened)
            .await?
            .map(|p| p.fields.outcomes)
            .unwrap_or_default();
        drop(conn);
        let now = self.now();
        self.append_event(&record_event(
            actor,
            AuditAction::EpisodeViewed,
            "review",
            review.to_string(),
            id,
            now,
        ))
        .await?;
        Ok(ReviewToEdit {
            outcomes: scored(outcomes, &r),
            review: r,
            versions,
        })
    }

    /// Corrects a review; the version before is kept. From an out-of-date copy nothing is
    /// saved and both the saved review and what was typed come back.
    pub async fn edit_review(
        &self,
        actor: &Actor,
        id: EpisodeId,
        review: &str,
        form: &ReviewForm,
    ) -> Result<ReviewEdit, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        if e.status == EpisodeStatus::Closed {
            return Err(closed_error("held_on"));
        }
        let saved = reviews::for_episode(&mut tx, &opened)
            .await?
            .into_iter()
            .find(|r| r.id == review)
            .ok_or(AppError::NotFound)?;
        let outcomes = scored(
            plans::for_episode(&mut tx, &opened)
                .await?
                .map(|p| p.fields.outcomes)
                .unwrap_or_default(),
            &saved,
        );
        let now = self.now();
        let fields = form
            .check(
                e.started_on,
                now.date_naive(),
                self.policies.plans.review_interval_weeks,
                &outcomes,
            )
            .map_err(AppError::Invalid)?;
        let version = match reviews::update(
            &mut tx,
            &opened,
            review,
            form.version,
            &fields,
            actor.user_id,
            now,
        )
        .await
        {
            Err(StoreError::Conflict) => {
                return Ok(ReviewEdit::Conflict(Box::new(ReviewConflict {
                    saved,
                    yours: form.clone(),
                })))
            }
            other => other?,
        };
        let entry = review_entry(
            e,
            actor,
            review.to_string(),
            format!(
                "Team Around the Family review of {} corrected (version {version})",
                fields.held_on.format("%-d %B %Y")
            ),
            (now, now.date_naive()),
        );
        let mut a = record_event(
            actor,
            AuditAction::ReviewEdited,
            "review",
            review.to_string(),
            id,
            now,
        );
        a.detail =
            Some(serde_json::json!({ "episode": id.to_string(), "version": version }).to_string());
        record_step(tx, &entry, &a).await?;
        Ok(ReviewEdit::Saved { version })
    }
}

/// A review's line in the family's chronology, seen by everyone working with them, entered
/// `at` and in its place on the day it happened (`on`: the day a review was held, or the day a
/// correction was made).
fn review_entry<'a>(
    e: &'a Episode,
    actor: &Actor,
    review: String,
    summary: String,
    (at, on): (DateTime<Utc>, NaiveDate),
) -> NewEntry<'a> {
    NewEntry {
        at,
        occurred_on: on,
        kind: EntryKind::Review,
        episode: Some(e.id),
        organisation: None,
        actor: Some(actor.user_id),
        summary,
        record_type: Some("review"),
        record_id: Some(review),
        visibility: NoteVisibility::Taf,
        people: &e.people,
    }
}
