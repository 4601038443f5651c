//! The team view: for a team manager, over their own team, each worker's caseload and what is
//! overdue on it (assessments, reviews and visits), narrowed to one worker or one kind of
//! work. Every family comes through the gate's worklist, as on *My work*.

use crate::my_work::{family_name, names_of};
use crate::{Actor, AppError, Hearth};
use hearth_domain::episode::{self, Due, DueKind, EpisodeStatus};
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::plan;
use hearth_domain::role::Capability;
use hearth_store::accounts::users;
use hearth_store::episodes::{self, case_notes};

/// Whose work to show: one worker's, or the families nobody leads yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    Lead(UserId),
    Unallocated,
}

/// What the manager narrowed the view to; nothing is everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct TeamFilter {
    pub worker: Option<Worker>,
    pub overdue: Option<DueKind>,
}

/// The team's work, as its manager sees it.
#[derive(Debug, Default)]
pub struct TeamWork {
    /// `None` when the manager is in no team.
    pub team_name: Option<String>,
    /// Every worker (the team's members and anyone leading one of its families) and the
    /// families nobody leads yet, with their counts, whatever the filter.
    pub workers: Vec<WorkerLoad>,
    /// Overdue work matching the filter, most overdue first.
    pub overdue: Vec<OverdueWork>,
}

/// One worker's caseload in the team, and how much of it is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLoad {
    /// `Unallocated` for the families nobody leads yet.
    pub worker: Worker,
    pub name: String,
    pub families: usize,
    pub assessments: usize,
    pub reviews: usize,
    pub visits: usize,
}

impl WorkerLoad {
    pub fn overdue(&self, kind: DueKind) -> usize {
        match kind {
            DueKind::Assessment => self.assessments,
            DueKind::Review => self.reviews,
            DueKind::Visit => self.visits,
        }
    }
}

/// A piece of overdue work on one of the team's families.
#[derive(Debug, Clone)]
pub struct OverdueWork {
    pub episode_id: EpisodeId,
    pub family: String,
    pub worker: Worker,
    pub worker_name: Option<String>,
    pub kind: DueKind,
    pub due: Due,
}

impl Hearth {
    /// The manager's own team's caseloads and overdue work (refused, audited, for anyone whose
    /// roles do not allocate work).
    pub async fn team_work(&self, actor: &Actor, filter: TeamFilter) -> Result<TeamWork, AppError> {
        self.require(actor, Capability::AllocateWork).await?;
        let Some(team) = actor.team_id else {
            return Ok(TeamWork::default());
        };
        let today = self.now().date_naive();
        let viewer = self.viewer(actor);
        let mut conn = self.store.read().await?;
        let members = users::team_members(&mut conn, team).await?;
        let list = episodes::caseload(&mut conn, None, Some(team)).await?;
        let opened = self.gate.worklist(&viewer, list).await?;
        let all: Vec<_> = opened.iter().collect();
        let found = names_of(&mut conn, &all).await?;

        let mut workers: Vec<WorkerLoad> = members
            .into_iter()
            .map(|(id, name)| load(Worker::Lead(id), name))
            .collect();
        workers.push(load(Worker::Unallocated, "Not allocated yet".into()));
        let mut overdue = Vec::new();
        for e in &opened {
            let ep = e.episode();
            let worker = ep.lead_user_id.map_or(Worker::Unallocated, Worker::Lead);
            let index = match workers.iter().position(|w| w.worker == worker) {
                Some(i) => i,
                None => {
                    // A lead from outside the team still carries this family.
                    let name = ep.lead_name.clone().unwrap_or_default();
                    workers.insert(workers.len() - 1, load(worker, name));
                    workers.len() - 2
                }
            };
            workers[index].families += 1;
            if ep.status != EpisodeStatus::Open {
                continue;
            }
            let mut dated = vec![(DueKind::Review, self.next_review(&mut conn, e).await?)];
            if let Some(on) = self.assessment_pending(&mut conn, e).await? {
                dated.push((DueKind::Assessment, on));
            }
            let last_visit = case_notes::last_visit(&mut conn, e)
                .await?
                .unwrap_or(ep.started_on);
            dated.push((
                DueKind::Visit,
                plan::next_visit(last_visit, self.policies.plans.visit_interval_days),
            ));
            for (kind, on) in dated {
                let due = episode::due(on, today);
                if !due.is_overdue() {
                    continue;
                }
                let w = &mut workers[index];
                match kind {
                    DueKind::Assessment => w.assessments += 1,
                    DueKind::Review => w.reviews += 1,
                    DueKind::Visit => w.visits += 1,
                }
                overdue.push(OverdueWork {
                    episode_id: ep.id,
                    family: family_name(ep, &found),
                    worker,
                    worker_name: ep.lead_name.clone(),
                    kind,
                    due,
                });
            }
        }
        overdue.retain(|o| {
            filter.worker.is_none_or(|w| o.worker == w)
                && filter.overdue.is_none_or(|k| o.kind == k)
        });
        overdue.sort_by_key(|o| o.due.urgency());
        Ok(TeamWork {
            team_name: actor.team_name.clone(),
            workers,
            overdue,
        })
    }
}

fn load(worker: Worker, name: String) -> WorkerLoad {
    WorkerLoad {
        worker,
        name,
        families: 0,
        assessments: 0,
        reviews: 0,
        visits: 0,
    }
}
