//! Reading an episode, and what the actor may do with it.

use super::{ev, EpisodePermissions, EpisodeView, NOTES_PER_PAGE};
use crate::episodes::distance::needs_progress;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::next_steps::{next_steps, Standing};
use hearth_domain::plan;
use hearth_domain::role::Capability;
use hearth_store::accounts::teams;
use hearth_store::accounts::users::{self, User, UserFilter};
use hearth_store::episodes::case_notes;
use hearth_store::episodes::escalations;
use hearth_store::episodes::tasks;
use hearth_store::episodes::{self, Episode};
use hearth_store::episodes::{assessments, reviews};
use hearth_store::gate::OpenedEpisode;
use hearth_store::{audit, family::people, Conn, Store};

impl Hearth {
    /// Opens an episode through the gate for what `need` asks of the actor's permissions,
    /// or the gate refuses and records it. The gate reads on its own connection, so use cases
    /// open the episode before their write transaction.
    pub(crate) async fn episode_for(
        &self,
        actor: &Actor,
        id: EpisodeId,
        need: impl Fn(&EpisodePermissions) -> bool,
    ) -> Result<OpenedEpisode, AppError> {
        Ok(self
            .gate
            .open_episode(&self.viewer(actor), id, need)
            .await?)
    }

    /// Writes one audit event in a write transaction of its own.
    pub(crate) async fn append_event(&self, e: &NewAuditEvent) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The episode's overview: level and its history, lead and allocation history, the TAF,
    /// needs, disagreements and the latest notes. The view is audited.
    pub async fn episode(&self, actor: &Actor, id: EpisodeId) -> Result<EpisodeView, AppError> {
        self.episode_section(actor, id, |_| true, 1).await
    }

    /// The episode for one of its pages: the gate opens it only for what `need` asks (a form's
    /// page for those who may use the form, refused and audited otherwise), with the page of
    /// notes `notes_page` (from 1, [`NOTES_PER_PAGE`] a page). The view is audited.
    pub async fn episode_section(
        &self,
        actor: &Actor,
        id: EpisodeId,
        need: impl Fn(&EpisodePermissions) -> bool,
        notes_page: i64,
    ) -> Result<EpisodeView, AppError> {
        let opened = self.episode_for(actor, id, need).await?;
        let (e, may) = (opened.episode().clone(), opened.may());
        let mut conn = self.store.read().await?;
        let found = people::summaries(&mut conn, &e.people).await?;
        let people: Vec<(PersonId, String)> = e
            .people
            .iter()
            .filter_map(|p| {
                found
                    .iter()
                    .find(|f| f.id == *p)
                    .map(|f| (*p, format!("{} {}", f.given_names, f.family_name)))
            })
            .collect();
        let needs = episodes::needs(&mut conn, &opened).await?;
        let closure_signer = match tasks::closure_signers(&mut conn, &[id]).await?.first() {
            Some((_, team)) => Some(teams::get(&mut conn, *team).await?.name),
            None => None,
        };
        let notes_page = notes_page.max(1);
        // One more than a page, to know whether another page follows.
        let mut notes = case_notes::newest(
            &mut conn,
            &opened,
            NOTES_PER_PAGE + 1,
            (notes_page - 1) * NOTES_PER_PAGE,
        )
        .await?;
        let more_notes = notes.len() as i64 > NOTES_PER_PAGE;
        notes.truncate(NOTES_PER_PAGE as usize);
        let escalations = escalations::for_episode(&mut conn, &opened).await?;
        let today = self.now().date_naive();
        let assessment = assessments::for_episode(&mut conn, &opened).await?;
        let last_review = reviews::for_episode(&mut conn, &opened).await?.pop();
        let plans = &self.policies.plans;
        let next_steps = next_steps(&Standing {
            status: e.status,
            has_lead: e.lead_name.is_some(),
            assessment: assessment.as_ref().map(|a| a.status),
            assessment_due_on: assessment
                .as_ref()
                .map(|a| a.due_on)
                .unwrap_or_else(|| plan::assessment_due(e.started_on, plans.assessment_due_days)),
            next_review_on: plan::review_due(
                last_review.map(|r| r.fields.next_review_on),
                e.started_on,
                plans.review_interval_weeks,
            ),
            overdue_disagreements: escalations
                .iter()
                .filter(|x| x.resolution.is_none() && x.deadline < today)
                .count(),
            today,
        });
        let view = EpisodeView {
            closure_signer,
            needs_progress: needs_progress(&mut conn, id, &people).await?,
            levels: episodes::levels(&mut conn, &opened).await?,
            allocations: episodes::allocations(&mut conn, &opened).await?,
            members: episodes::members(&mut conn, &opened).await?,
            escalations,
            notes,
            notes_page,
            more_notes,
            next_steps,
            // The closure feedback; the surveys have their own page (ADR 0037).
            feedback: hearth_store::episodes::feedback::for_episode(&mut conn, id)
                .await?
                .into_iter()
                .filter(|i| {
                    i.moment == hearth_domain::survey::Moment::Closure
                        && i.audience == hearth_domain::survey::Audience::Family
                })
                .collect(),
            episode: e,
            people,
            needs,
            may,
            today,
        };
        drop(conn);
        self.append_event(&ev(actor, AuditAction::EpisodeViewed, id, self.now()))
            .await?;
        Ok(view)
    }

    /// Episodes a person has been part of, for their record (the caller has opened it).
    pub async fn episodes_of(
        &self,
        conn: &mut Conn,
        person: PersonId,
    ) -> Result<Vec<Episode>, AppError> {
        Ok(episodes::for_people(conn, &[person]).await?)
    }

    /// Who may lead (active users whose roles let them lead families) and who may join a TAF
    /// (anyone active who works with families): one read of the staff for both choices.
    pub async fn possible_team(&self, actor: &Actor) -> Result<PossibleTeam, AppError> {
        self.require(actor, Capability::SearchFamilies).await?;
        let mut conn = self.store.read().await?;
        let active: Vec<User> = users::list(&mut conn, &UserFilter::default(), 1000)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .collect();
        let leads = active
            .iter()
            .filter(|u| u.roles.can(Capability::LeadFamilies))
            .cloned()
            .collect();
        let members = active
            .into_iter()
            .filter(|u| u.roles.can(Capability::SearchFamilies))
            .collect();
        Ok(PossibleTeam { leads, members })
    }
}

/// The staff an episode's page offers: as its lead, and as members of its TAF.
#[derive(Debug, Clone, Default)]
pub struct PossibleTeam {
    pub leads: Vec<User>,
    pub members: Vec<User>,
}
