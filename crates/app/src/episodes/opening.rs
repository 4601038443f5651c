//! Opening an episode from a decision, and the access the TAF gives.

use super::{episode_entry, lead_role};
use crate::{AppError, Hearth};
use chrono::{DateTime, Utc};
use hearth_domain::access::InvolvementRole;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeLevel, Route};
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, RequestId, TeamId, UserId};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use hearth_domain::routing::TargetedService;
use hearth_domain::task::TaskKind;
use hearth_store::accounts::users::{self, User};
use hearth_store::episodes::tasks::{self, NewTask};
use hearth_store::episodes::{self, NewEpisode};
use hearth_store::family::chronology;
use hearth_store::family::involvements::{self, NewInvolvement};
use hearth_store::{accounts::teams, Conn, StoreError};

/// What a decision opens.
pub(crate) struct Opening {
    pub request: Option<RequestId>,
    pub level: EpisodeLevel,
    pub service: Option<TargetedService>,
    pub team: Option<TeamId>,
    pub lead: Option<User>,
    pub requester: Option<UserId>,
    pub people: Vec<PersonId>,
    pub needs: Vec<NeedDomain>,
}

impl Hearth {
    /// Opens an episode in the decision's transaction: the episode, what it grants (lead or
    /// owning team), the Team Around the Family with the family in it, a task for the
    /// receiving team to allocate when nobody leads yet, and the chronology entry.
    pub(crate) async fn open_episode(
        &self,
        tx: &mut Conn,
        o: &Opening,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<EpisodeId, AppError> {
        let today = now.date_naive();
        let team = match (o.team, &o.lead) {
            (Some(t), _) => Some(t),
            (None, Some(lead)) => lead.team_id,
            (None, None) => None,
        };
        let id = episodes::insert(
            tx,
            &NewEpisode {
                request_id: o.request,
                level: o.level,
                service: o.service,
                route: Route::Full,
                owning_team_id: team,
                lead_user_id: o.lead.as_ref().map(|l| l.id),
                people: o.people.clone(),
                needs: o.needs.clone(),
                started_on: today,
                by,
            },
            now,
        )
        .await?;
        hearth_store::programme::attach(tx, id, &self.policies.programme, now).await?;
        if let Some(lead) = &o.lead {
            self.grant(tx, id, &o.people, Some(lead), None, lead_role(o.level), now)
                .await?;
        }
        if let Some(t) = team {
            let team = teams::get(tx, t).await?;
            for p in &o.people {
                involvements::insert(
                    tx,
                    &NewInvolvement {
                        person: *p,
                        user: None,
                        team: Some(team.id),
                        organisation: team.organisation_id,
                        role: InvolvementRole::OwningTeam,
                        request: o.request,
                        episode: Some(id),
                        until: None,
                    },
                    now,
                )
                .await?;
            }
            if o.lead.is_none() {
                tasks::insert(
                    tx,
                    &NewTask {
                        kind: TaskKind::Allocate,
                        request: None,
                        episode: Some(id),
                        user: None,
                        team: Some(team.id),
                        title: format!("Allocate a {}", o.level.lead_title().to_lowercase()),
                        due_on: today + chrono::Duration::days(2),
                    },
                    now,
                )
                .await?;
            }
        }
        for p in &o.people {
            episodes::add_member(tx, id, None, Some(*p), "Family member", by, today).await?;
        }
        if let Some(r) = o
            .requester
            .filter(|r| Some(*r) != o.lead.as_ref().map(|l| l.id))
        {
            self.join_taf(tx, id, &o.people, r, "Asked for support", by, now)
                .await?;
        }
        let lead = o
            .lead
            .as_ref()
            .map(|l| {
                format!(
                    ", {} {}",
                    o.level.lead_title().to_lowercase(),
                    l.display_name
                )
            })
            .unwrap_or_default();
        chronology::append(
            tx,
            &episode_entry(
                id,
                &o.people,
                EntryKind::Episode,
                by,
                format!("{} began{lead}", o.level.label()),
                now,
            ),
        )
        .await?;
        Ok(id)
    }

    /// Involvements with every family member of the episode, for a user or a team.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn grant(
        &self,
        tx: &mut Conn,
        episode: EpisodeId,
        people: &[PersonId],
        user: Option<&User>,
        team: Option<(TeamId, OrganisationId)>,
        role: InvolvementRole,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        for p in people {
            let (user_id, team_id, organisation) = match (user, team) {
                (Some(u), _) => (Some(u.id), u.team_id, u.organisation_id),
                (None, Some((t, o))) => (None, Some(t), o),
                (None, None) => return Ok(()),
            };
            involvements::insert(
                tx,
                &NewInvolvement {
                    person: *p,
                    user: user_id,
                    team: team_id,
                    organisation,
                    role,
                    request: None,
                    episode: Some(episode),
                    until: None,
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Adds a practitioner to the TAF and gives them the access membership brings.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn join_taf(
        &self,
        tx: &mut Conn,
        episode: EpisodeId,
        people: &[PersonId],
        user: UserId,
        role: &str,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let u = users::get(tx, user).await?;
        episodes::add_member(tx, episode, Some(user), None, role, by, now.date_naive())
            .await
            .map_err(|e| match e {
                // Someone added them at the same moment: the unique index kept one.
                StoreError::Duplicate => {
                    let mut errors = FieldErrors::new();
                    errors.add("user_id", "They are already in the team");
                    AppError::Invalid(errors)
                }
                e => e.into(),
            })?;
        self.grant(
            tx,
            episode,
            people,
            Some(&u),
            None,
            InvolvementRole::TafMember,
            now,
        )
        .await?;
        chronology::append(
            tx,
            &episode_entry(
                episode,
                people,
                EntryKind::Taf,
                by,
                format!(
                    "{} joined the Team Around the Family ({role})",
                    u.display_name
                ),
                now,
            ),
        )
        .await
        .map_err(AppError::from)
    }
}
