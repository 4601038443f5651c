//! Imports started from the page run as jobs, so the analyst watches their progress (rows
//! matched, for review, unmatched, not imported) instead of waiting on one long request. The
//! import is still one transaction: the job is recorded as running first, and marked done in
//! the import's own transaction. Progress lives in the server that runs the job; a job
//! recorded as running that this server does not hold stopped part-way and is shown as failed
//! (`import_job::shown`), with nothing of its file imported.

use super::files::PartnerFile;
use super::imports::Tracking;
use crate::{Actor, AppError, Hearth};
use hearth_domain::identification::import_job::{shown, JobState, STOPPED};
use hearth_domain::identification::matching::MatchState;
use hearth_domain::ids::ImportJobId;
use hearth_store::identification::jobs::{self as store, Job, JobProblem};
use hearth_store::identification::records::ImportCounts;
use hearth_store::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// A running job's counts so far.
#[derive(Debug, Default)]
pub struct Progress {
    matched: AtomicI64,
    for_review: AtomicI64,
    unmatched: AtomicI64,
}

impl Progress {
    pub(crate) fn placed(&self, state: MatchState) {
        let n = match state {
            MatchState::Matched => &self.matched,
            MatchState::Review => &self.for_review,
            MatchState::Unmatched => &self.unmatched,
        };
        n.fetch_add(1, Ordering::Relaxed);
    }
}

/// The jobs this server is running.
#[derive(Debug, Default)]
pub(crate) struct RunningImports {
    jobs: Mutex<HashMap<ImportJobId, Arc<Progress>>>,
}

impl RunningImports {
    fn progress(&self, id: ImportJobId) -> Option<Arc<Progress>> {
        self.jobs.lock().ok()?.get(&id).cloned()
    }
}

/// Holds a job as running for as long as it lives: dropped (the import finished, failed or
/// panicked), the job is no longer this server's.
struct Held {
    running: Arc<RunningImports>,
    id: ImportJobId,
    progress: Arc<Progress>,
}

impl Held {
    fn new(running: Arc<RunningImports>, id: ImportJobId) -> Self {
        let progress = Arc::new(Progress::default());
        if let Ok(mut jobs) = running.jobs.lock() {
            jobs.insert(id, progress.clone());
        }
        Held {
            running,
            id,
            progress,
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.running.jobs.lock() {
            jobs.remove(&self.id);
        }
    }
}

/// A job as the analyst sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportJob {
    pub id: ImportJobId,
    pub dataset: String,
    pub file_name: String,
    pub state: JobState,
    /// Rows in the file, and how many have been dealt with so far.
    pub rows_total: i64,
    pub rows_done: i64,
    /// So far while running; the import's own counts once done.
    pub counts: ImportCounts,
    pub problems: Vec<JobProblem>,
    pub failure: Option<String>,
}

impl ImportJob {
    fn read(job: Job, progress: Option<&Progress>) -> Self {
        let state = shown(job.state, progress.is_some());
        let rejected = job.problems.len() as i64;
        let counts = match (&job.counts, progress) {
            (Some(c), _) => c.clone(),
            (None, Some(p)) if state == JobState::Running => ImportCounts {
                rows_read: job.rows_total,
                matched: p.matched.load(Ordering::Relaxed),
                for_review: p.for_review.load(Ordering::Relaxed),
                unmatched: p.unmatched.load(Ordering::Relaxed),
                rejected,
            },
            _ => ImportCounts {
                rows_read: job.rows_total,
                rejected,
                ..ImportCounts::default()
            },
        };
        let failure = match (state, job.state) {
            (JobState::Failed, JobState::Running) => Some(STOPPED.to_string()),
            _ => job.failure,
        };
        ImportJob {
            id: job.id,
            dataset: job.dataset_name,
            file_name: job.file_name,
            state,
            rows_total: job.rows_total,
            rows_done: counts.matched + counts.for_review + counts.unmatched + counts.rejected,
            counts,
            problems: job.problems,
            failure,
        }
    }
}

/// Words for why a job failed, from the error that stopped it.
fn why(e: &AppError) -> String {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Busy => "The database was busy: nothing was imported. Import the file again in a few minutes.".into(),
        _ => "Something went wrong: nothing of the file was imported. Import the file again; if it fails again, tell your administrator.".into(),
    }
}

impl Hearth {
    /// Starts importing a partner's file as a job and returns at once with the job's id. The
    /// file is read and checked first: a file that cannot be imported at all is refused here,
    /// with what to fix, and no job is made.
    pub async fn start_partner_import(
        &self,
        actor: &Actor,
        dataset_code: &str,
        file: &PartnerFile<'_>,
    ) -> Result<ImportJobId, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let ready = self.ready_import(dataset_code, file).await?;
        let id = ImportJobId::new();
        // Held before it is recorded as running, so nobody ever sees it running and not held.
        let held = Held::new(self.running_imports.clone(), id);
        let problems: Vec<JobProblem> = ready
            .problems
            .iter()
            .map(|p| JobProblem {
                sheet: p.sheet.clone(),
                line: p.line,
                reason: p.reason.clone(),
            })
            .collect();
        let total = (ready.rows.len() + ready.problems.len()) as i64;
        let mut tx = self.store.write().await?;
        store::start(
            &mut tx,
            &desk,
            id,
            ready.dataset.id,
            &ready.source,
            total,
            &problems,
            self.now(),
        )
        .await?;
        Store::commit(tx).await?;
        let (hearth, actor) = (self.clone(), actor.clone());
        tokio::spawn(async move {
            let result = hearth
                .keep_import(&actor, &desk, ready, Tracking::Job(id, &held.progress))
                .await;
            if let Err(e) = result {
                tracing::warn!(error = %e, job = %id, "a partner's file was not imported");
                let failed = async {
                    let mut tx = hearth.store.write().await?;
                    store::failed(&mut tx, &desk, id, &why(&e), hearth.now()).await?;
                    Store::commit(tx).await
                };
                if let Err(e) = failed.await {
                    tracing::warn!(error = %e, job = %id, "a failed import could not be recorded");
                }
            }
            drop(held);
        });
        Ok(id)
    }

    /// An import's job, with its progress while it runs and its report once done.
    pub async fn import_job(&self, actor: &Actor, id: ImportJobId) -> Result<ImportJob, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let job = store::by_id(&mut conn, &desk, id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let progress = self.running_imports.progress(id);
        Ok(ImportJob::read(job, progress.as_deref()))
    }
}
