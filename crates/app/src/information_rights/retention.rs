//! Retention under the partnership's schedule: a run lists what is due (the daily job, or
//! `hearth retention run`), the data protection officer reviews and approves it, and the job
//! (or `hearth retention carry-out`) deletes or anonymises it one record per transaction,
//! resuming where it stopped. Legal holds stop it. Everything is audited; the removal log keeps
//! counts and rules, never who.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth, Origin};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::retention::{RecordType, RunStatus, Schedule};
use hearth_store::gate::RetentionDesk;
use hearth_store::retention::holds::{self, HoldOn, LegalHold};
use hearth_store::retention::{self as store, DueItem, ItemStatus, Removal, Run, RunItem};
use hearth_store::{audit, Store};
use serde::Deserialize;
use uuid::Uuid;

/// The officer's retention page: the runs, the standing and lifted holds, the removal log.
#[derive(Debug, Clone)]
pub struct RetentionOverview {
    pub runs: Vec<Run>,
    pub holds: Vec<LegalHold>,
    pub removals: Vec<Removal>,
}

/// A run with its items (while it has them) and, once done, what it removed.
#[derive(Debug, Clone)]
pub struct RunReview {
    pub run: Run,
    pub items: Vec<RunItem>,
    pub removals: Vec<Removal>,
}

/// What one go at carrying out a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CarriedOut {
    pub done: usize,
    pub held: usize,
    pub kept: usize,
    /// Nothing is left pending: the run is done and its removal log written.
    pub finished: bool,
}

/// The form that places a legal hold: on a person or an episode, with the reason.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HoldForm {
    /// The name searched for, kept so the page can show its people again.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub episode: String,
    #[serde(default)]
    pub reason: String,
}

/// How many items a go at a run carries out before it looks again (the server's job goes on
/// until the run is done; the number only bounds one read of the pending list).
const BATCH: i64 = 200;

impl Hearth {
    /// The partnership's retention schedule.
    pub fn retention_schedule(&self) -> &Schedule {
        &self.policies.retention
    }

    async fn retention_desk(&self, actor: &Actor) -> Result<RetentionDesk, AppError> {
        Ok(self.gate.retention_desk(&self.viewer(actor)).await?)
    }

    /// An event by the officer, or by the system for the scheduled job.
    fn retention_event(
        &self,
        actor: Option<&Actor>,
        action: AuditAction,
        record_type: &'static str,
        record_id: Option<String>,
        detail: serde_json::Value,
    ) -> NewAuditEvent {
        let mut e = match actor {
            Some(a) => self.viewer(a).audit,
            None => event(None, "system", action, &Origin::default(), self.now()),
        };
        e.action = action;
        e.record_type = Some(record_type);
        e.record_id = record_id;
        e.detail = Some(detail.to_string());
        e
    }

    /// The officer's overview (it names people on hold: viewing it is recorded).
    pub async fn retention_overview(&self, actor: &Actor) -> Result<RetentionOverview, AppError> {
        let desk = self.retention_desk(actor).await?;
        let mut conn = self.store.read().await?;
        let overview = RetentionOverview {
            runs: store::runs(&mut conn, &desk).await?,
            holds: holds::list(&mut conn, &desk).await?,
            removals: store::removals(&mut conn, &desk, None).await?,
        };
        drop(conn);
        let ev = self.retention_event(
            Some(actor),
            AuditAction::SharingReportViewed,
            "retention",
            None,
            serde_json::json!({ "report": "retention" }),
        );
        self.append_event(&ev).await?;
        Ok(overview)
    }

    /// Lists what the schedule says is due today as a run for review: by the officer, or by
    /// the scheduled job (no actor). Recorded with counts per kind of record.
    pub async fn list_retention(&self, actor: Option<&Actor>) -> Result<Uuid, AppError> {
        let desk = match actor {
            Some(a) => self.retention_desk(a).await?,
            None => self.gate.retention_job(),
        };
        let due = self.due_for_retention(&desk).await?;
        self.record_retention_run(actor, &desk, &due).await
    }

    async fn due_for_retention(&self, desk: &RetentionDesk) -> Result<Vec<DueItem>, AppError> {
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        Ok(store::due(&mut conn, desk, &self.policies.retention, today).await?)
    }

    async fn record_retention_run(
        &self,
        actor: Option<&Actor>,
        desk: &RetentionDesk,
        due: &[DueItem],
    ) -> Result<Uuid, AppError> {
        let today = self.now().date_naive();
        let mut tx = self.store.write().await?;
        let id = store::list(&mut tx, desk, due, today, self.now()).await?;
        let counts: serde_json::Map<String, serde_json::Value> = RecordType::ALL
            .iter()
            .filter_map(|t| {
                let n = due.iter().filter(|d| d.record_type == *t).count();
                (n > 0).then(|| (t.code().to_string(), n.into()))
            })
            .collect();
        let ev = self.retention_event(
            actor,
            AuditAction::RetentionListed,
            "retention_run",
            Some(id.to_string()),
            serde_json::json!({
                "due": counts,
                "held": due.iter().filter(|d| d.held).count(),
            }),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// A run for review: its items with whom each is about (recorded), or what it removed.
    pub async fn retention_run(&self, actor: &Actor, id: Uuid) -> Result<RunReview, AppError> {
        let desk = self.retention_desk(actor).await?;
        let mut conn = self.store.read().await?;
        let review = RunReview {
            run: store::run(&mut conn, &desk, id).await?,
            items: store::items(&mut conn, &desk, id).await?,
            removals: store::removals(&mut conn, &desk, Some(id)).await?,
        };
        drop(conn);
        let ev = self.retention_event(
            Some(actor),
            AuditAction::SharingReportViewed,
            "retention_run",
            Some(id.to_string()),
            serde_json::json!({ "report": "retention_run", "items": review.items.len() }),
        );
        self.append_event(&ev).await?;
        Ok(review)
    }

    /// The officer approves a run under review; the job then carries it out.
    pub async fn approve_retention(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        let desk = self.retention_desk(actor).await?;
        let mut tx = self.store.write().await?;
        let run = store::run(&mut tx, &desk, id).await?;
        if run.status != RunStatus::Review {
            return Err(AppError::Conflict);
        }
        store::approve(&mut tx, &desk, id, self.now()).await?;
        let ev = self.retention_event(
            Some(actor),
            AuditAction::RetentionApproved,
            "retention_run",
            Some(id.to_string()),
            serde_json::json!({ "as_of": run.as_of.to_string() }),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Carries out an approved run (the scheduled job's part): each record in a transaction
    /// of its own with its mark and its audit event, so a run stopped at any point resumes
    /// where it stopped. `at_most` stops after that many records (a bounded go; tests use it
    /// to stop a run half-way); `None` goes on until the run is done. A run not approved is
    /// left alone.
    pub async fn carry_out_retention(
        &self,
        id: Uuid,
        at_most: Option<usize>,
    ) -> Result<CarriedOut, AppError> {
        let desk = self.gate.retention_job();
        let today = self.now().date_naive();
        let mut out = CarriedOut::default();
        loop {
            let left = at_most.map(|m| m.saturating_sub(out.done + out.held + out.kept));
            if left == Some(0) {
                return Ok(out);
            }
            let limit = left.map_or(BATCH, |l| BATCH.min(l as i64));
            let mut conn = self.store.read().await?;
            let batch = store::pending(&mut conn, &desk, id, limit).await?;
            drop(conn);
            if batch.is_empty() {
                break;
            }
            for (seq, record_type, record_id) in batch {
                let mut tx = self.store.write().await?;
                let status =
                    match store::carry_out(&mut tx, &desk, id, seq, record_type, &record_id, today)
                        .await
                    {
                        Ok(s) => s,
                        // Another worker carried it out first.
                        Err(hearth_store::StoreError::Conflict) => continue,
                        Err(e) => return Err(e.into()),
                    };
                // The event names the run and the item's number and kind, never whose it was.
                let ev = self.retention_event(
                    None,
                    AuditAction::RetentionCarriedOut,
                    "retention_run",
                    Some(id.to_string()),
                    serde_json::json!({
                        "item": seq,
                        "record_type": record_type.code(),
                        "status": status.code(),
                    }),
                );
                audit::append(&mut tx, &ev).await?;
                Store::commit(tx).await?;
                match status {
                    ItemStatus::Done => out.done += 1,
                    ItemStatus::Held => out.held += 1,
                    ItemStatus::Kept | ItemStatus::Pending => out.kept += 1,
                }
            }
        }
        let mut tx = self.store.write().await?;
        let run = store::run(&mut tx, &desk, id).await?;
        if run.status == RunStatus::Approved {
            out.finished =
                store::finish(&mut tx, &desk, id, &self.policies.retention, self.now()).await?;
        }
        Store::commit(tx).await?;
        // Documents in the object store whose rows the run deleted (ADR 0052).
        self.sweep_after_erasure().await;
        Ok(out)
    }

    /// Approved runs not yet done, oldest first.
    pub async fn approved_retention_runs(&self) -> Result<Vec<Uuid>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(store::approved(&mut conn, &self.gate.retention_job()).await?)
    }

    /// The daily job: carries out (or resumes) every approved run, then lists what is due
    /// for the officer's next review unless a run still waits for review.
    pub async fn daily_retention(&self) -> Result<(), AppError> {
        let desk = self.gate.retention_job();
        let approved = self.approved_retention_runs().await?;
        let mut conn = self.store.read().await?;
        let waiting = store::runs(&mut conn, &desk)
            .await?
            .iter()
            .any(|r| r.status == RunStatus::Review);
        drop(conn);
        for id in approved {
            self.carry_out_retention(id, None).await?;
        }
        // A run is listed only when something is due: a quiet day leaves no empty run (and no
        // audit event) for the officer to wade through.
        if !waiting {
            let due = self.due_for_retention(&desk).await?;
            if !due.is_empty() {
                self.record_retention_run(None, &desk, &due).await?;
            }
        }
        Ok(())
    }

    /// Places a legal hold on a person or an episode, with the reason.
    pub async fn place_legal_hold(&self, actor: &Actor, form: &HoldForm) -> Result<Uuid, AppError> {
        let desk = self.retention_desk(actor).await?;
        let mut e = FieldErrors::new();
        let person: Option<PersonId> = form.person.trim().parse().ok();
        let episode: Option<EpisodeId> = form.episode.trim().parse().ok();
        let on = match (person, episode) {
            (Some(p), None) => Some(HoldOn::Person(p)),
            (None, Some(ep)) => Some(HoldOn::Episode(ep)),
            _ => {
                e.add(
                    "on",
                    "Select the person, or give the episode, the hold is on",
                );
                None
            }
        };
        let reason = input::required_text(
            &mut e,
            "reason",
            "why the record must be kept (for example, a court case or an inquiry)",
            &form.reason,
            1000,
        );
        let Some(on) = on.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let mut tx = self.store.write().await?;
        let id = match holds::place(&mut tx, &desk, on, &reason, actor.user_id, self.now()).await {
            Ok(id) => id,
            // A hold on nothing protects nothing.
            Err(hearth_store::StoreError::NotFound) => {
                let mut e = FieldErrors::new();
                e.add(
                    "on",
                    "Select the person, or give the episode, the hold is on",
                );
                return Err(AppError::Invalid(e));
            }
            Err(other) => return Err(other.into()),
        };
        let (kind, target) = match on {
            HoldOn::Person(p) => ("person", p.to_string()),
            HoldOn::Episode(ep) => ("episode", ep.to_string()),
        };
        let mut ev = self.retention_event(
            Some(actor),
            AuditAction::LegalHoldPlaced,
            kind,
            Some(target),
            serde_json::json!({ "hold": id.to_string() }),
        );
        ev.reason = Some(reason);
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Lifts a standing hold.
    pub async fn lift_legal_hold(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        let desk = self.retention_desk(actor).await?;
        let mut tx = self.store.write().await?;
        holds::lift(&mut tx, &desk, id, actor.user_id, self.now()).await?;
        let ev = self.retention_event(
            Some(actor),
            AuditAction::LegalHoldLifted,
            "legal_hold",
            Some(id.to_string()),
            serde_json::json!({}),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
