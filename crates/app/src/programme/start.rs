//! At the start: which headline needs are present and what shows each (the assessment's words,
//! partners' data), whether the family is in the programme, and the whole-family working.

use crate::episodes::ev;
use crate::identification::worklist::{reasons, Reason};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::AssessmentStatus;
use hearth_domain::programme::{self, Criterion, Outcome, Working};
use hearth_store::episodes::{self, assessments, plans, Episode};
use hearth_store::family::people;
use hearth_store::gate::OpenedEpisode;
use hearth_store::programme as store;
use hearth_store::Conn;
use std::collections::BTreeSet;

/// One headline need present at the start, and what shows it.
#[derive(Debug, Clone)]
pub struct NeedAtStart {
    pub outcome: Outcome,
    /// Among the episode's needs (the request's, then the assessment's).
    pub assessed: bool,
    /// The assessment's words about the need, by family member.
    pub from_assessment: Vec<(String, String)>,
    /// Partners' indicators met when the episode started.
    pub from_data: Vec<Reason>,
}

/// An episode's Supporting Families standing at the start.
#[derive(Debug, Clone)]
pub struct ProgrammeStart {
    pub episode: Episode,
    pub framework_version: String,
    pub needs_required: usize,
    pub needs: Vec<NeedAtStart>,
    pub in_programme: bool,
    pub criteria: Vec<(Criterion, bool)>,
    pub counts: bool,
}

impl Hearth {
    /// The episode's standing for the programme, for anyone who may read the episode. The
    /// read is audited (it shows partners' data about the family).
    pub async fn programme_start(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<ProgrammeStart, AppError> {
        let opened = self.episode_for(actor, id, |_| true).await?;
        let mut conn = self.store.read().await?;
        let view = self.standing(&mut conn, &opened).await?;
        drop(conn);
        let mut a = ev(actor, AuditAction::ProgrammeViewed, id, self.now());
        a.detail = Some(r#"{"page":"start"}"#.into());
        self.append_event(&a).await?;
        Ok(view)
    }

    /// An opened episode's standing at the start (the caller audits the reading).
    pub(crate) async fn standing(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
    ) -> Result<ProgrammeStart, AppError> {
        let e = opened.episode().clone();
        let id = e.id;
        let framework = self.framework_of(conn, id).await?;
        let names: Vec<(PersonId, String)> = people::summaries(conn, &e.people)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.given_names, p.family_name)))
            .collect();
        let assessed: BTreeSet<NeedDomain> = episodes::needs(conn, opened)
            .await?
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let assessment = assessments::for_episode(conn, opened).await?;
        let events = store::family_events(conn, opened).await?;
        let indicators = hearth_store::identification::indicators::current(conn).await?;
        let from_data = reasons(&indicators, &events, &names, e.started_on);
        let plan = plans::for_episode(conn, opened).await?;
        let members = episodes::members(conn, opened).await?;
        let working = Working {
            lead: e.lead_user_id.is_some(),
            assessment: assessment.as_ref().is_some_and(|a| {
                matches!(
                    a.status,
                    AssessmentStatus::Submitted | AssessmentStatus::SignedOff
                )
            }),
            plan: plan.is_some_and(|p| !p.fields.outcomes.is_empty()),
            // Anyone who was in the team besides the lead, then or since: closure ends every
            // membership, and a closed family's TAF still counts.
            taf: members
                .iter()
                .any(|m| m.user_id.is_some() && m.user_id != e.lead_user_id),
        };
        let needs: Vec<NeedAtStart> = framework
            .outcomes
            .iter()
            .map(|o| NeedAtStart {
                outcome: o.clone(),
                assessed: assessed.contains(&o.need),
                from_assessment: assessment
                    .iter()
                    .flat_map(|a| &a.fields.entries)
                    .filter(|x| x.domain == o.need && !x.needs.trim().is_empty())
                    .map(|x| {
                        let who = names
                            .iter()
                            .find(|(p, _)| *p == x.person_id)
                            .map(|(_, n)| n.clone())
                            .unwrap_or_default();
                        (who, x.needs.clone())
                    })
                    .collect(),
                from_data: from_data
                    .iter()
                    .filter(|r| r.needs.contains(&o.need))
                    .cloned()
                    .collect(),
            })
            .filter(|n| n.assessed || !n.from_data.is_empty())
            .collect();
        let view = ProgrammeStart {
            in_programme: programme::in_programme(needs.len(), &framework),
            counts: programme::counts(needs.len(), working, &framework),
            criteria: programme::criteria(working),
            framework_version: framework.version,
            needs_required: framework.needs_required,
            needs,
            episode: e,
        };
        Ok(view)
    }
}
