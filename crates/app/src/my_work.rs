//! *My work*: a practitioner's caseload, the assessments, reviews and actions due on it
//! (overdue first) and their tasks; for a team manager also the team's caseload, its overdue
//! work and the closures waiting for sign-off.

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

/// A practitioner's or a team's caseload and the work waiting on them.
#[derive(Default)]
pub struct MyWork {
    pub caseload: Vec<CaseloadRow>,
    pub team_caseload: Vec<CaseloadRow>,
    pub tasks: Vec<(Task, episode::Due)>,
    pub awaiting_sign_off: Vec<CaseloadRow>,
    /// Assessments, reviews and plan actions due on the user's own families, overdue first.
    pub due: Vec<DueWork>,
    /// For a manager: the team's overdue assessments and reviews.
    pub team_overdue: Vec<DueWork>,
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

impl Hearth {
    /// A practitioner's caseload and tasks, overdue first; for a manager also the team's.
    pub async fn my_work(&self, actor: &Actor) -> Result<MyWork, AppError> {
        let mut conn = self.store.read().await?;
        let today = self.now().date_naive();
        if !actor.can(Capability::SearchFamilies) {
            // No caseload, but tasks: the data protection officer's break-glass reviews.
            let mut tasks: Vec<(Task, episode::Due)> =
                tasks::open_for(&mut conn, Some(actor.user_id), None)
                    .await?
                    .into_iter()
                    .map(|t| {
                        let d = episode::due(t.due_on, today);
                        (t, d)
                    })
                    .collect();
            tasks.sort_by_key(|(_, d)| d.urgency());
            return Ok(MyWork {
                tasks,
                ..MyWork::default()
            });
        }
        let manager = actor.can(Capability::AllocateWork);
        let viewer = self.viewer(actor);
        let mine = episodes::caseload(&mut conn, Some(actor.user_id), None).await?;
        let mine = self.gate.worklist(&viewer, mine).await?;
        let team = if manager && actor.team_id.is_some() {
            let team = episodes::caseload(&mut conn, None, actor.team_id).await?;
            self.gate.worklist(&viewer, team).await?
        } else {
            Vec::new()
        };
        let mut all_people: Vec<PersonId> = mine
            .iter()
            .chain(&team)
            .flat_map(|e| e.episode().people.clone())
            .collect();
        all_people.sort();
        all_people.dedup();
        let found = people::summaries(&mut conn, &all_people).await?;
        let family = |e: &Episode| -> String {
            let mut names: Vec<String> = found
                .iter()
                .filter(|p| e.people.contains(&p.id))
                .map(|p| format!("{} {}", p.given_names, p.family_name))
                .collect();
            names.truncate(3);
            names.join(", ")
        };
        let row = |opened: OpenedEpisode| {
            let e = opened.into_episode();
            CaseloadRow {
                family: family(&e),
                weeks_open: (today - e.started_on).num_weeks(),
                episode: e,
            }
        };
        let mut tasks: Vec<(Task, episode::Due)> = tasks::open_for(
            &mut conn,
            Some(actor.user_id),
            if manager { actor.team_id } else { None },
        )
        .await?
        .into_iter()
        .map(|t| {
            let d = episode::due(t.due_on, today);
            (t, d)
        })
        .collect();
        tasks.sort_by_key(|(_, d)| d.urgency());
        let awaiting_sign_off = if actor.can(Capability::SignOff) {
            team.iter()
                .filter(|e| e.episode().status == EpisodeStatus::Closing)
                .cloned()
                .map(row)
                .collect()
        } else {
            Vec::new()
        };
        let mut due = Vec::new();
        for e in &mine {
            due.extend(
                self.dated_work(&mut conn, e, &family(e.episode()), today)
                    .await?,
            );
        }
        for (episode, what, on) in plans::open_actions_owned_by(&mut conn, actor.user_id).await? {
            if let Some(on) = on {
                due.push(DueWork {
                    family: mine
                        .iter()
                        .find(|e| e.id() == episode)
                        .map(|e| family(e.episode()))
                        .unwrap_or_default(),
                    episode_id: episode,
                    what: format!("Action: {what}"),
                    due: episode::due(on, today),
                });
            }
        }
        due.sort_by_key(|d| d.due.urgency());
        let mut team_overdue = Vec::new();
        for e in team
            .iter()
            .filter(|e| e.episode().status == EpisodeStatus::Open)
        {
            let work = self
                .dated_work(&mut conn, e, &family(e.episode()), today)
                .await?;
            team_overdue.extend(work.into_iter().filter(|w| w.due.is_overdue()));
        }
        team_overdue.sort_by_key(|d| d.due.urgency());
        Ok(MyWork {
            due,
            team_overdue,
            caseload: mine.into_iter().map(row).collect(),
            team_caseload: team.into_iter().map(row).collect(),
            tasks,
            awaiting_sign_off,
        })
    }

    /// The assessment (until it is submitted) and the next review of an open episode, dated.
    async fn dated_work(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
        family: &str,
        today: NaiveDate,
    ) -> Result<Vec<DueWork>, AppError> {
        let e = opened.episode();
        let mut out = Vec::new();
        if e.status != EpisodeStatus::Open {
            return Ok(out);
        }
        let assessment = assessments::for_episode(conn, opened).await?;
        let pending = assessment
            .as_ref()
            .is_none_or(|a| a.status == plan::AssessmentStatus::Draft);
        if pending {
            let on = assessment.map(|a| a.due_on).unwrap_or_else(|| {
                plan::assessment_due(e.started_on, self.policies.plans.assessment_due_days)
            });
            out.push(DueWork {
                episode_id: e.id,
                family: family.to_string(),
                what: "Whole-family assessment".into(),
                due: episode::due(on, today),
            });
        }
        let next_review = reviews::for_episode(conn, opened)
            .await?
            .last()
            .map(|r| r.fields.next_review_on)
            .unwrap_or_else(|| {
                plan::next_review(e.started_on, self.policies.plans.review_interval_weeks)
            });
        out.push(DueWork {
            episode_id: e.id,
            family: family.to_string(),
            what: "Team Around the Family review".into(),
            due: episode::due(next_review, today),
        });
        Ok(out)
    }
}
