//! *My work*: a practitioner's caseload (the families they lead, and those whose Team Around
//! the Family they are in), the assessments, reviews and actions due on it (overdue first) and
//! their tasks, each naming its family; for a team manager also the team's caseload, its
//! overdue work and the closures waiting for sign-off. Every family named here is one the gate
//! let the user see.

use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::episode;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::plan;
use hearth_domain::role::Capability;
use hearth_store::episodes::tasks::{self, Task};
use hearth_store::episodes::{self, Episode};
use hearth_store::gate::OpenedEpisode;
use hearth_store::{
    episodes::assessments, episodes::plans, episodes::reviews, family::people, Conn,
};
use std::collections::HashMap;

/// A practitioner's or a team's caseload and the work waiting on them.
#[derive(Default)]
pub struct MyWork {
    /// The families the user leads.
    pub caseload: Vec<CaseloadRow>,
    /// The families whose Team Around the Family the user is in (and does not lead).
    pub taf: Vec<CaseloadRow>,
    pub team_caseload: Vec<CaseloadRow>,
    pub tasks: Vec<TaskRow>,
    pub awaiting_sign_off: Vec<CaseloadRow>,
    /// Assessments, reviews and plan actions due on the user's own families, overdue first.
    pub due: Vec<DueWork>,
    /// For a manager: the team's overdue assessments and reviews.
    pub team_overdue: Vec<DueWork>,
}

/// A task, and the family it is about when the user may see them.
pub struct TaskRow {
    pub task: Task,
    pub family: Option<String>,
    pub due: episode::Due,
}

/// One piece of work with a date: an assessment, a review or a plan action.
pub struct DueWork {
    pub episode_id: EpisodeId,
    pub family: String,
    pub what: String,
    pub due: episode::Due,
}

pub struct CaseloadRow {
    pub episode: Episode,
    pub family: String,
    pub weeks_open: i64,
}

/// Up to three names of an episode's family, from the names read for a list.
pub(crate) fn family_name(e: &Episode, found: &[people::Person]) -> String {
    let mut names: Vec<String> = found
        .iter()
        .filter(|p| e.people.contains(&p.id))
        .map(|p| format!("{} {}", p.given_names, p.family_name))
        .collect();
    names.truncate(3);
    names.join(", ")
}

/// The names of the people of these opened episodes, read once for a list.
pub(crate) async fn names_of(
    conn: &mut Conn,
    opened: &[&OpenedEpisode],
) -> Result<Vec<people::Person>, AppError> {
    let mut ids: Vec<PersonId> = opened
        .iter()
        .flat_map(|e| e.episode().people.clone())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(people::summaries(conn, &ids).await?)
}

impl Hearth {
    /// A practitioner's caseload and tasks, overdue first; for a manager also the team's.
    pub async fn my_work(&self, actor: &Actor) -> Result<MyWork, AppError> {
        let mut conn = self.store.read().await?;
        let today = self.now().date_naive();
        let viewer = self.viewer(actor);
        let manager = actor.can(Capability::AllocateWork);
        let works_with_families = actor.can(Capability::SearchFamilies);

        let (mine, taf, team) = if works_with_families {
            let mine = episodes::caseload(&mut conn, Some(actor.user_id), None).await?;
            let mine = self.gate.worklist(&viewer, mine).await?;
            let taf: Vec<Episode> = episodes::taf_caseload(&mut conn, actor.user_id)
                .await?
                .into_iter()
                .filter(|e| !mine.iter().any(|m| m.id() == e.id))
                .collect();
            let taf = self.gate.worklist(&viewer, taf).await?;
            let team = match actor.team_id {
                Some(team) if manager => {
                    let list = episodes::caseload(&mut conn, None, Some(team)).await?;
                    self.gate.worklist(&viewer, list).await?
                }
                _ => Vec::new(),
            };
            (mine, taf, team)
        } else {
            Default::default()
        };
        let raw_tasks = tasks::open_for(
            &mut conn,
            Some(actor.user_id),
            if manager { actor.team_id } else { None },
        )
        .await?;
        let with_actions = if works_with_families {
            plans::episodes_with_actions_owned_by(&mut conn, actor.user_id).await?
        } else {
            Vec::new()
        };
        // The tasks' and actions' families not already on a list, asked of the gate too.
        let mut others: Vec<EpisodeId> = raw_tasks
            .iter()
            .filter_map(|t| t.episode_id)
            .chain(with_actions.iter().copied())
            .filter(|id| !mine.iter().chain(&taf).chain(&team).any(|e| e.id() == *id))
            .collect();
        others.sort();
        others.dedup();
        let others = episodes::by_ids(&mut conn, &others).await?;
        let others = self.gate.worklist(&viewer, others).await?;

        let all: Vec<&OpenedEpisode> = mine
            .iter()
            .chain(&taf)
            .chain(&team)
            .chain(&others)
            .collect();
        let found = names_of(&mut conn, &all).await?;
        let families: HashMap<EpisodeId, String> = all
            .iter()
            .map(|e| (e.id(), family_name(e.episode(), &found)))
            .collect();
        let family = |e: &OpenedEpisode| families.get(&e.id()).cloned().unwrap_or_default();
        let row = |opened: &OpenedEpisode| CaseloadRow {
            family: family(opened),
            weeks_open: (today - opened.episode().started_on).num_weeks(),
            episode: opened.episode().clone(),
        };

        let mut tasks: Vec<TaskRow> = raw_tasks
            .into_iter()
            .map(|task| TaskRow {
                family: task.episode_id.and_then(|e| families.get(&e).cloned()),
                due: episode::due(task.due_on, today),
                task,
            })
            .collect();
        tasks.sort_by_key(|t| t.due.urgency());

        let awaiting_sign_off = if actor.can(Capability::SignOff) {
            team.iter()
                .filter(|e| e.episode().status == EpisodeStatus::Closing)
                .map(row)
                .collect()
        } else {
            Vec::new()
        };
        let mut due = Vec::new();
        for e in &mine {
            due.extend(
                self.dated_work(&mut conn, e, &family(e), today, true)
                    .await?,
            );
        }
        // Team members come to the reviews; the assessment is the lead's.
        for e in &taf {
            due.extend(
                self.dated_work(&mut conn, e, &family(e), today, false)
                    .await?,
            );
        }
        for e in all.iter().filter(|e| with_actions.contains(&e.id())) {
            for (what, on) in plans::open_actions_owned_by(&mut conn, e, actor.user_id).await? {
                if let Some(on) = on {
                    due.push(DueWork {
                        family: family(e),
                        episode_id: e.id(),
                        what: format!("Action: {what}"),
                        due: episode::due(on, today),
                    });
                }
            }
        }
        due.sort_by_key(|d| d.due.urgency());
        let mut team_overdue = Vec::new();
        for e in team
            .iter()
            .filter(|e| e.episode().status == EpisodeStatus::Open)
        {
            let work = self
                .dated_work(&mut conn, e, &family(e), today, true)
                .await?;
            team_overdue.extend(work.into_iter().filter(|w| w.due.is_overdue()));
        }
        team_overdue.sort_by_key(|d| d.due.urgency());
        Ok(MyWork {
            due,
            team_overdue,
            caseload: mine.iter().map(row).collect(),
            taf: taf.iter().map(row).collect(),
            team_caseload: team.iter().map(row).collect(),
            tasks,
            awaiting_sign_off,
        })
    }

    /// The assessment (until it is submitted, when `assessment` is wanted) and the next
    /// review of an open episode, dated.
    async fn dated_work(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
        family: &str,
        today: NaiveDate,
        assessment: bool,
    ) -> Result<Vec<DueWork>, AppError> {
        let e = opened.episode();
        let mut out = Vec::new();
        if e.status != EpisodeStatus::Open {
            return Ok(out);
        }
        if assessment {
            if let Some(on) = self.assessment_pending(conn, opened).await? {
                out.push(DueWork {
                    episode_id: e.id,
                    family: family.to_string(),
                    what: "Whole-family assessment".into(),
                    due: episode::due(on, today),
                });
            }
        }
        out.push(DueWork {
            episode_id: e.id,
            family: family.to_string(),
            what: "Team Around the Family review".into(),
            due: episode::due(self.next_review(conn, opened).await?, today),
        });
        Ok(out)
    }

    /// When the episode's assessment is due, while it is still a draft (or not started).
    pub(crate) async fn assessment_pending(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
    ) -> Result<Option<NaiveDate>, AppError> {
        let assessment = assessments::for_episode(conn, opened).await?;
        Ok(plan::assessment_pending(
            assessment.map(|a| (a.status, a.due_on)),
            opened.episode().started_on,
            self.policies.plans.assessment_due_days,
        ))
    }

    /// The date of the episode's next Team Around the Family review.
    pub(crate) async fn next_review(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
    ) -> Result<NaiveDate, AppError> {
        let latest = reviews::for_episode(conn, opened)
            .await?
            .last()
            .map(|r| r.fields.next_review_on);
        Ok(plan::review_due(
            latest,
            opened.episode().started_on,
            self.policies.plans.review_interval_weeks,
        ))
    }
}
