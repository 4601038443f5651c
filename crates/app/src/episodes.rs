//! Episodes of Family Help: opening one from a decision, allocation, the Team Around the
//! Family, step-up and step-down, closure with sign-off, and professional disagreements.
//! Access to an episode is access to its family's record, decided by the access core from the
//! actor's relationships with the family.

use crate::auth::event;
use crate::distance::{needs_progress, NeedProgress};
use crate::feedback::{FeedbackLink, Invitation};
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::access::{decide, RecordAction, Relationship};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::episode::{self, ClosureReason, EpisodeLevel, NeedResult, Route, Step};
use hearth_domain::ids::{
    EpisodeId, EscalationId, OrganisationId, PersonId, RequestId, TeamId, UserId,
};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::need::NeedDomain;
use hearth_domain::role::Capability;
use hearth_domain::routing::TargetedService;
use hearth_store::case_notes::{self, Note};
use hearth_store::chronology::{self, NewEntry};
use hearth_store::episodes::{self, Allocation, Episode, LevelPeriod, NewEpisode, TafMember};
use hearth_store::escalations::{self, Escalation};
use hearth_store::involvements::{self, NewInvolvement};
use hearth_store::tasks::{self, NewTask};
use hearth_store::users::{self, User, UserFilter};
use hearth_store::{audit, people, teams, Conn, Store};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a decision opens.
pub(crate) struct Opening {
    pub request: Option<RequestId>,
    pub level: EpisodeLevel,
    pub service: Option<TargetedService>,
    pub team: Option<TeamId>,
    pub lead: Option<User>,
    pub requester: Option<UserId>,
    pub people: Vec<PersonId>,
    pub needs: Vec<String>,
}

/// What the actor may do with an episode, decided once by the access core.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EpisodePermissions {
    pub contribute: bool,
    pub edit: bool,
    pub manage: bool,
    /// Read notes restricted to the owning team.
    pub restricted_notes: bool,
    pub allocate: bool,
    pub sign_off: bool,
}

pub struct EpisodeView {
    pub episode: Episode,
    pub people: Vec<(PersonId, String)>,
    pub needs: Vec<(NeedDomain, Option<NeedResult>)>,
    pub levels: Vec<LevelPeriod>,
    pub allocations: Vec<Allocation>,
    pub members: Vec<TafMember>,
    pub escalations: Vec<Escalation>,
    /// The latest notes the actor may read.
    pub notes: Vec<Note>,
    /// Per need: the assessment's scores against the latest review's.
    pub needs_progress: Vec<NeedProgress>,
    /// The family's feedback invitations and answers, newest first.
    pub feedback: Vec<Invitation>,
    pub may: EpisodePermissions,
    pub today: NaiveDate,
}

impl EpisodeView {
    pub fn level(&self) -> EpisodeLevel {
        EpisodeLevel::from_code(&self.episode.level).unwrap_or(EpisodeLevel::Early)
    }

    pub fn route(&self) -> Route {
        Route::from_code(&self.episode.route).unwrap_or(Route::Full)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AllocationForm {
    #[serde(default)]
    pub lead_user_id: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberForm {
    /// A practitioner's account, or
    #[serde(default)]
    pub user_id: String,
    /// a family member on the episode.
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepForm {
    /// "up" or "down".
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub level: String,
    /// For Targeted Family Help: core or adolescence.
    #[serde(default)]
    pub service: String,
    /// For Early Family Help: who leads.
    #[serde(default)]
    pub lead_user_id: String,
    #[serde(default)]
    pub handover: String,
    #[serde(default)]
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ClosureForm {
    pub reason: String,
    pub summary: String,
    /// Need domain code → result code.
    pub results: BTreeMap<String, String>,
    pub version: i64,
}

impl ClosureForm {
    /// From the posted pairs: `result_<domain>` fields carry each need's result.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = ClosureForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "reason" => f.reason = v.clone(),
                "summary" => f.summary = v.clone(),
                "version" => f.version = v.parse().unwrap_or_default(),
                k => {
                    if let Some(domain) = k.strip_prefix("result_") {
                        f.results.insert(domain.to_string(), v.clone());
                    }
                }
            }
        }
        f
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationForm {
    #[serde(default)]
    pub about: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationUpdate {
    /// "next_stage" or "resolve".
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub version: i64,
}

fn ev(actor: &Actor, action: AuditAction, episode: EpisodeId, now: DateTime<Utc>) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some("episode");
    e.record_id = Some(episode.to_string());
    e
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
                level: o.level.code(),
                service: o.service.map(|s| s.code().to_string()),
                route: Route::Full.code(),
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
                        role: involvements::OWNING_TEAM,
                        request: o.request,
                        episode: Some(id),
                    },
                    now,
                )
                .await?;
            }
            if o.lead.is_none() {
                tasks::insert(
                    tx,
                    &NewTask {
                        kind: tasks::ALLOCATE,
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
                "episode",
                None,
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
    async fn grant(
        &self,
        tx: &mut Conn,
        episode: EpisodeId,
        people: &[PersonId],
        user: Option<&User>,
        team: Option<(TeamId, OrganisationId)>,
        role: &'static str,
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
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Adds a practitioner to the TAF and gives them the access membership brings.
    #[allow(clippy::too_many_arguments)]
    async fn join_taf(
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
        episodes::add_member(tx, episode, Some(user), None, role, by, now.date_naive()).await?;
        self.grant(
            tx,
            episode,
            people,
            Some(&u),
            None,
            involvements::TAF_MEMBER,
            now,
        )
        .await?;
        chronology::append(
            tx,
            &episode_entry(
                episode,
                people,
                "taf",
                Some(u.organisation_id),
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

    /// The actor's relationships with the episode's family and what they allow.
    pub(crate) async fn episode_permissions(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        e: &Episode,
    ) -> Result<(Vec<Relationship>, EpisodePermissions), AppError> {
        let mut rels = Vec::new();
        for p in &e.people {
            for r in self.relationships(conn, actor, *p).await? {
                if !rels.contains(&r) {
                    rels.push(r);
                }
            }
        }
        let allowed = |a| decide(&actor.roles, &rels, a, None).is_allowed();
        let owning = rels.iter().any(|r| {
            matches!(
                r,
                Relationship::OwningTeam
                    | Relationship::LeadProfessional
                    | Relationship::AllocatedWorker
            )
        });
        let of_team = rels.contains(&Relationship::OwningTeam)
            || (e.owning_team_id.is_none() && actor.can(Capability::AllocateWork));
        let may = EpisodePermissions {
            contribute: allowed(RecordAction::Contribute),
            edit: allowed(RecordAction::Edit),
            manage: allowed(RecordAction::ManageEpisode),
            restricted_notes: owning,
            allocate: of_team && actor.can(Capability::AllocateWork),
            sign_off: of_team && actor.can(Capability::SignOff),
        };
        if e.status == episodes::CLOSED {
            // A closed episode is read-only. Its last lead and owning team can still read it
            // (to follow up whether outcomes were sustained, and for supervision), although
            // the access it gave to the family's wider record ended at closure.
            let former = e.lead_user_id == Some(actor.user_id)
                || (e.owning_team_id.is_some() && e.owning_team_id == actor.team_id);
            if former && !rels.contains(&Relationship::OwningTeam) {
                rels.push(Relationship::OwningTeam);
            }
            let read_only = EpisodePermissions {
                restricted_notes: owning || former,
                ..EpisodePermissions::default()
            };
            return Ok((rels, read_only));
        }
        Ok((rels, may))
    }

    /// Loads an episode the actor may do what `need` asks on, or records the refusal. It reads
    /// on its own connection, so use cases check access before opening a write transaction
    /// and a refusal is audited even on SQLite, where only one writer runs at a time.
    pub(crate) async fn episode_for(
        &self,
        actor: &Actor,
        id: EpisodeId,
        need: impl Fn(&EpisodePermissions) -> bool,
    ) -> Result<(Episode, EpisodePermissions), AppError> {
        self.require(actor, Capability::SearchFamilies).await?;
        let mut conn = self.store.read().await?;
        let e = episodes::get(&mut conn, id).await?;
        let (rels, may) = self.episode_permissions(&mut conn, actor, &e).await?;
        drop(conn);
        let can_view = decide(&actor.roles, &rels, RecordAction::View, None).is_allowed();
        if !can_view || !need(&may) {
            let mut denied = ev(actor, AuditAction::AccessDenied, id, self.now());
            denied.detail = Some(r#"{"episode":"refused"}"#.into());
            self.append_event(&denied).await?;
            return Err(AppError::Forbidden);
        }
        Ok((e, may))
    }

    pub(crate) async fn append_event(&self, e: &NewAuditEvent) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The episode page: level and its history, lead and allocation history, the TAF,
    /// needs and disagreements. The view is audited.
    pub async fn episode(&self, actor: &Actor, id: EpisodeId) -> Result<EpisodeView, AppError> {
        let mut conn = self.store.read().await?;
        let (e, may) = self.episode_for(actor, id, |_| true).await?;
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
        let needs = episodes::needs(&mut conn, id)
            .await?
            .into_iter()
            .filter_map(|(d, r)| {
                Some((
                    NeedDomain::from_code(&d)?,
                    r.as_deref().and_then(NeedResult::from_code),
                ))
            })
            .collect();
        let view = EpisodeView {
            needs_progress: needs_progress(&mut conn, id, &people).await?,
            levels: episodes::levels(&mut conn, id).await?,
            allocations: episodes::allocations(&mut conn, id).await?,
            members: episodes::members(&mut conn, id).await?,
            escalations: escalations::for_episode(&mut conn, id).await?,
            notes: case_notes::latest(&mut conn, id, may.restricted_notes, 20).await?,
            feedback: hearth_store::feedback::for_episode(&mut conn, id).await?,
            episode: e,
            people,
            needs,
            may,
            today: self.now().date_naive(),
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

    /// Who may lead: active users whose roles let them lead families.
    pub async fn possible_leads(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        self.require(actor, Capability::SearchFamilies).await?;
        let mut conn = self.store.read().await?;
        Ok(users::list(&mut conn, &UserFilter::default(), 1000)
            .await?
            .into_iter()
            .filter(|u| u.active && u.roles.can(Capability::LeadFamilies))
            .collect())
    }

    /// Practitioners who may join a TAF: anyone active who works with families.
    pub async fn possible_members(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        self.require(actor, Capability::SearchFamilies).await?;
        let mut conn = self.store.read().await?;
        Ok(users::list(&mut conn, &UserFilter::default(), 1000)
            .await?
            .into_iter()
            .filter(|u| u.active && u.roles.can(Capability::SearchFamilies))
            .collect())
    }

    pub async fn set_route(
        &self,
        actor: &Actor,
        id: EpisodeId,
        route: &str,
        version: i64,
    ) -> Result<(), AppError> {
        self.episode_for(actor, id, |m| m.manage).await?;
        let mut tx = self.store.write().await?;
        let Some(route) = Route::from_code(route) else {
            let mut e = FieldErrors::new();
            e.add(
                "route",
                "Choose the brief assessment or the whole-family assessment",
            );
            return Err(AppError::Invalid(e));
        };
        let now = self.now();
        episodes::set_route(&mut tx, id, version, route.code(), now).await?;
        let mut e = ev(actor, AuditAction::EpisodeChanged, id, now);
        e.detail = Some(format!(r#"{{"route":"{}"}}"#, route.code()));
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Gives the episode its lead (or a new one). The earlier lead's access as lead ends and
    /// they stay in the TAF, so nothing they knew is lost to the family's help.
    pub async fn allocate(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &AllocationForm,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.allocate).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let lead: Option<UserId> = form.lead_user_id.parse().ok();
        let lead = match lead {
            Some(l) => Some(users::get(&mut tx, l).await?),
            None => None,
        };
        let Some(lead) = lead.filter(|u| u.active && u.roles.can(Capability::LeadFamilies)) else {
            errors.add("lead_user_id", "Choose who will lead the family's help");
            return Err(AppError::Invalid(errors));
        };
        if Some(lead.id) == e.lead_user_id {
            errors.add(
                "lead_user_id",
                "They already lead this episode; choose someone else",
            );
            return Err(AppError::Invalid(errors));
        }
        let reason = input::optional_text(&mut errors, "reason", "Reason", &form.reason, 1000);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let level = EpisodeLevel::from_code(&e.level).unwrap_or(EpisodeLevel::Early);
        self.hand_to_lead(
            &mut tx,
            &e,
            &lead,
            level,
            form.version,
            reason.as_deref(),
            actor.user_id,
            now,
        )
        .await?;
        tasks::complete(
            &mut tx,
            id,
            tasks::ALLOCATE,
            actor.user_id,
            Some(&lead.display_name),
            now,
        )
        .await?;
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                "allocation",
                Some(lead.organisation_id),
                actor.user_id,
                format!(
                    "{} allocated as {}",
                    lead.display_name,
                    level.lead_title().to_lowercase()
                ),
                now,
            ),
        )
        .await?;
        let mut a = ev(actor, AuditAction::EpisodeAllocated, id, now);
        a.detail = Some(format!(r#"{{"lead":"{}"}}"#, lead.id));
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Adds a practitioner or a family member to the Team Around the Family.
    pub async fn add_taf_member(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &MemberForm,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.manage).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let role = input::required_text(
            &mut errors,
            "role",
            "their role in the team",
            &form.role,
            200,
        );
        let user: Option<UserId> = form.user_id.parse().ok();
        if user.is_none() {
            errors.add("user_id", "Choose who is joining the team");
        }
        if e.status == episodes::CLOSED {
            errors.add("user_id", "The episode is closed");
        }
        let now = self.now();
        if let Some(u) = user {
            let current = episodes::members(&mut tx, id).await?;
            if current
                .iter()
                .any(|m| m.user_id == Some(u) && m.left_on.is_none())
            {
                errors.add("user_id", "They are already in the team");
            }
        }
        let Some(u) = user.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        self.join_taf(&mut tx, id, &e.people, u, &role, actor.user_id, now)
            .await?;
        let mut a = ev(actor, AuditAction::TafMemberAdded, id, now);
        a.detail = Some(format!(r#"{{"user":"{u}"}}"#));
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Someone leaves the TAF: the membership ends (kept in history) and so does the access
    /// it gave.
    pub async fn leave_taf(
        &self,
        actor: &Actor,
        id: EpisodeId,
        member: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.manage).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let reason =
            input::required_text(&mut errors, "reason", "why they are leaving", reason, 500);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let user = episodes::end_member(&mut tx, id, member, &reason, now.date_naive()).await?;
        if let Some(u) = user {
            involvements::end_for_episode(
                &mut tx,
                id,
                Some(u),
                None,
                involvements::TAF_MEMBER,
                now.date_naive(),
            )
            .await?;
            let left = users::get(&mut tx, u).await?;
            chronology::append(
                &mut tx,
                &episode_entry(
                    id,
                    &e.people,
                    "taf",
                    Some(left.organisation_id),
                    actor.user_id,
                    format!(
                        "{} left the Team Around the Family: {reason}",
                        left.display_name
                    ),
                    now,
                ),
            )
            .await?;
        }
        let mut a = ev(actor, AuditAction::TafMemberLeft, id, now);
        a.detail = Some(serde_json::json!({"member": member}).to_string());
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Steps the episode up or down. The record, the TAF and its history stay; the receiving
    /// team is given the episode and a task to allocate it (or, down to Early Family Help,
    /// the chosen lead professional takes it), with the handover summary.
    pub async fn step_episode(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &StepForm,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.manage).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let from = EpisodeLevel::from_code(&e.level).unwrap_or(EpisodeLevel::Early);
        let wanted = if form.direction == "down" {
            Step::Down
        } else {
            Step::Up
        };
        let to = EpisodeLevel::from_code(&form.level);
        let handover = input::required_text(
            &mut errors,
            "handover",
            "a handover summary",
            &form.handover,
            20_000,
        );
        let step = match to {
            None => {
                errors.add("level", "Choose the level the family's help moves to");
                None
            }
            Some(to) => episode::step_in_direction(from, to, e.status == episodes::OPEN, wanted)
                .map_err(|r| errors.add("level", r.to_string()))
                .ok(),
        };
        let service = match (to, form.service.as_str()) {
            (Some(EpisodeLevel::Targeted), "adolescence") => Some(TargetedService::Adolescence),
            (Some(EpisodeLevel::Targeted), "core") => Some(TargetedService::Core),
            (Some(EpisodeLevel::Targeted), _) => {
                errors.add(
                    "service",
                    "Choose the core service or the Adolescence Service",
                );
                None
            }
            _ => None,
        };
        let new_lead = if to == Some(EpisodeLevel::Early) {
            let lead = match form.lead_user_id.parse::<UserId>() {
                Ok(l) => Some(users::get(&mut tx, l).await?),
                Err(_) => None,
            };
            let lead = lead.filter(|u| u.active && u.roles.can(Capability::LeadFamilies));
            if lead.is_none() {
                errors.add(
                    "lead_user_id",
                    "Choose the lead professional who will take the family's help on",
                );
            }
            lead
        } else {
            None
        };
        let (Some(to), Some(_), true) = (to, step, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let team = match to {
            // A partner's lead professional: the team stepping down keeps oversight.
            EpisodeLevel::Early => match &new_lead {
                Some(l) if l.organisation_id != actor.organisation_id => e.owning_team_id,
                Some(l) => l.team_id,
                None => None,
            },
            EpisodeLevel::Targeted => {
                let name = match service {
                    Some(TargetedService::Adolescence) => &self.policies.routing.adolescence,
                    _ => &self.policies.routing.core,
                };
                self.team_named(&mut tx, name).await?
            }
            EpisodeLevel::SocialCare => {
                let name = self.policies.routing.social_care.clone();
                self.team_named(&mut tx, &name).await?
            }
        };
        let now = self.now();
        let today = now.date_naive();
        episodes::change_level(
            &mut tx,
            id,
            form.version,
            to.code(),
            service.map(|s| s.code()),
            team,
            actor.user_id,
            &handover,
            now,
        )
        .await?;
        // The team that owned the episode hands it over; its access as owner ends.
        if let Some(old) = e.owning_team_id.filter(|o| Some(*o) != team) {
            involvements::end_for_episode(
                &mut tx,
                id,
                None,
                Some(old),
                involvements::OWNING_TEAM,
                today,
            )
            .await?;
        }
        if let Some(t) = team.filter(|t| Some(*t) != e.owning_team_id) {
            let t = teams::get(&mut tx, t).await?;
            self.grant(
                &mut tx,
                id,
                &e.people,
                None,
                Some((t.id, t.organisation_id)),
                involvements::OWNING_TEAM,
                now,
            )
            .await?;
        }
        match &new_lead {
            Some(lead) => {
                // Down to Early Family Help: the chosen lead professional takes it on.
                // The level change moved the version on; hand over from the one it left.
                let version = episodes::get(&mut tx, id).await?.version;
                self.hand_to_lead(
                    &mut tx,
                    &e,
                    lead,
                    to,
                    version,
                    Some("Stepped down"),
                    actor.user_id,
                    now,
                )
                .await?;
            }
            None => {
                if let Some(t) = team {
                    tasks::insert(
                        &mut tx,
                        &NewTask {
                            kind: tasks::ALLOCATE,
                            episode: Some(id),
                            user: None,
                            team: Some(t),
                            title: format!(
                                "{} arrived: allocate a {}",
                                to.label(),
                                to.lead_title().to_lowercase()
                            ),
                            due_on: today + chrono::Duration::days(2),
                        },
                        now,
                    )
                    .await?;
                }
            }
        }
        let kind = if wanted == Step::Up {
            "step_up"
        } else {
            "step_down"
        };
        let summary = format!(
            "Stepped {} from {} to {}. Handover: {handover}",
            if wanted == Step::Up { "up" } else { "down" },
            from.label(),
            to.label()
        );
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                kind,
                Some(actor.organisation_id),
                actor.user_id,
                summary,
                now,
            ),
        )
        .await?;
        let mut a = ev(actor, AuditAction::EpisodeStepped, id, now);
        a.detail = Some(format!(
            r#"{{"from":"{}","to":"{}"}}"#,
            from.code(),
            to.code()
        ));
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Gives the episode a new lead in the caller's transaction (from `version`, refused if
    /// it moved on): the earlier lead's access as lead ends and they stay in the TAF, so
    /// nothing they knew is lost to the family's help.
    #[allow(clippy::too_many_arguments)]
    async fn hand_to_lead(
        &self,
        tx: &mut Conn,
        e: &Episode,
        lead: &User,
        level: EpisodeLevel,
        version: i64,
        reason: Option<&str>,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        episodes::allocate(tx, e.id, version, lead.id, by, reason, now).await?;
        if let Some(before) = e.lead_user_id.filter(|b| *b != lead.id) {
            for role in [
                involvements::LEAD_PROFESSIONAL,
                involvements::ALLOCATED_WORKER,
            ] {
                involvements::end_for_episode(tx, e.id, Some(before), None, role, now.date_naive())
                    .await?;
            }
            self.join_taf(
                tx,
                e.id,
                &e.people,
                before,
                "Previously led the family's help",
                by,
                now,
            )
            .await?;
        }
        self.grant(tx, e.id, &e.people, Some(lead), None, lead_role(level), now)
            .await
    }

    async fn team_named(&self, conn: &mut Conn, name: &str) -> Result<Option<TeamId>, AppError> {
        Ok(teams::list(conn, None)
            .await?
            .into_iter()
            .find(|t| t.active && t.name == name)
            .map(|t| t.id))
    }

    /// The lead records the closure: reason, summary and how far each need was met. A
    /// manager of the owning team signs it off (or sends it back).
    pub async fn record_closure(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &ClosureForm,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.manage).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        if e.status != episodes::OPEN {
            errors.add("reason", "The closure has already been recorded");
        }
        let reason = ClosureReason::from_code(&form.reason);
        if reason.is_none() {
            errors.add("reason", "Choose why the family's help is ending");
        }
        let summary = input::required_text(
            &mut errors,
            "summary",
            "a closure summary",
            &form.summary,
            20_000,
        );
        let needs = episodes::needs(&mut tx, id).await?;
        let mut results = Vec::new();
        for (domain, _) in &needs {
            match form
                .results
                .get(domain)
                .and_then(|r| NeedResult::from_code(r))
            {
                Some(r) => results.push((domain.clone(), r.code().to_string())),
                None => {
                    let label = NeedDomain::from_code(domain)
                        .map(|d| d.label())
                        .unwrap_or("this need");
                    errors.add(
                        &format!("result_{domain}"),
                        format!("Say how far the need “{label}” was met"),
                    );
                }
            }
        }
        let open_actions = hearth_store::plans::open_actions(&mut tx, id).await?;
        if let Some(m) = hearth_domain::plan::closing_with_open_actions(&open_actions) {
            errors.add("reason", m);
        }
        let (Some(reason), true) = (reason, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        episodes::record_closure(
            &mut tx,
            id,
            form.version,
            reason.code(),
            &summary,
            &results,
            actor.user_id,
            now,
        )
        .await?;
        tasks::insert(
            &mut tx,
            &NewTask {
                kind: tasks::SIGN_OFF_CLOSURE,
                episode: Some(id),
                user: None,
                team: e.owning_team_id,
                title: "Sign off the closure".into(),
                due_on: now.date_naive() + chrono::Duration::days(5),
            },
            now,
        )
        .await?;
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                "closure",
                Some(actor.organisation_id),
                actor.user_id,
                format!("Closure recorded ({}): {summary}", reason.label()),
                now,
            ),
        )
        .await?;
        let mut a = ev(actor, AuditAction::ClosureRecorded, id, now);
        a.detail = Some(format!(r#"{{"reason":"{}"}}"#, reason.code()));
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// A manager signs off a recorded closure (the episode ends, with a follow-up in six
    /// months to ask whether outcomes were sustained, and the family is invited to give
    /// feedback: the link comes back, to give them), or sends it back to the lead.
    pub async fn decide_closure(
        &self,
        actor: &Actor,
        id: EpisodeId,
        approve: bool,
        version: i64,
    ) -> Result<Option<FeedbackLink>, AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.sign_off).await?;
        let mut tx = self.store.write().await?;
        if e.status != episodes::CLOSING {
            return Err(AppError::Conflict);
        }
        let now = self.now();
        let today = now.date_naive();
        let action = if approve {
            episodes::sign_off_closure(&mut tx, id, version, actor.user_id, now).await?;
            tasks::insert(
                &mut tx,
                &NewTask {
                    kind: tasks::SUSTAINED_FOLLOW_UP,
                    episode: Some(id),
                    user: e.lead_user_id,
                    team: if e.lead_user_id.is_none() {
                        e.owning_team_id
                    } else {
                        None
                    },
                    title: "Were the family's outcomes sustained six months on?".into(),
                    due_on: episode::sustained_follow_up(today),
                },
                now,
            )
            .await?;
            AuditAction::ClosureSignedOff
        } else {
            episodes::return_closure(&mut tx, id, version, now).await?;
            AuditAction::ClosureReturned
        };
        tasks::complete(
            &mut tx,
            id,
            tasks::SIGN_OFF_CLOSURE,
            actor.user_id,
            Some(if approve { "signed off" } else { "returned" }),
            now,
        )
        .await?;
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                "closure",
                Some(actor.organisation_id),
                actor.user_id,
                if approve {
                    "Closure signed off; the episode has ended".into()
                } else {
                    "Closure sent back to the lead; the episode stays open".into()
                },
                now,
            ),
        )
        .await?;
        audit::append(&mut tx, &ev(actor, action, id, now)).await?;
        let link = if approve {
            Some(self.invite_feedback(&mut tx, actor, &e, now).await?)
        } else {
            None
        };
        Store::commit(tx).await?;
        Ok(link)
    }

    /// Raises a professional disagreement on the episode (any TAF member may).
    pub async fn raise_escalation(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &EscalationForm,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.contribute).await?;
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let about = input::required_text(
            &mut errors,
            "about",
            "what the disagreement is about",
            &form.about,
            5000,
        );
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let today = now.date_naive();
        let deadline = episode::escalation_deadline(1, today).unwrap_or(today);
        escalations::insert(&mut tx, id, actor.user_id, &about, today, deadline).await?;
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                "escalation",
                Some(actor.organisation_id),
                actor.user_id,
                format!("Disagreement raised (stage 1): {about}"),
                now,
            ),
        )
        .await?;
        audit::append(&mut tx, &ev(actor, AuditAction::EscalationRaised, id, now)).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Moves a disagreement to its next stage (with a new deadline) or records its resolution.
    pub async fn update_escalation(
        &self,
        actor: &Actor,
        id: EpisodeId,
        escalation: EscalationId,
        form: &EscalationUpdate,
    ) -> Result<(), AppError> {
        let (e, _) = self.episode_for(actor, id, |m| m.contribute).await?;
        let mut tx = self.store.write().await?;
        let current = escalations::for_episode(&mut tx, id)
            .await?
            .into_iter()
            .find(|x| x.id == escalation)
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        let today = now.date_naive();
        let mut errors = FieldErrors::new();
        let summary = match form.action.as_str() {
            "next_stage" => {
                let stage = current.stage + 1;
                let Some(deadline) = episode::escalation_deadline(stage as u8, today) else {
                    errors.add("action", "Stage 3 is the last stage; record the resolution");
                    return Err(AppError::Invalid(errors));
                };
                escalations::advance(&mut tx, escalation, form.version, stage, today, deadline)
                    .await?;
                format!("Disagreement moved to stage {stage}")
            }
            _ => {
                let resolution = input::required_text(
                    &mut errors,
                    "resolution",
                    "how it was resolved",
                    &form.resolution,
                    5000,
                );
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                escalations::resolve(&mut tx, escalation, form.version, &resolution, today).await?;
                format!("Disagreement resolved: {resolution}")
            }
        };
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                "escalation",
                Some(actor.organisation_id),
                actor.user_id,
                summary,
                now,
            ),
        )
        .await?;
        audit::append(&mut tx, &ev(actor, AuditAction::EscalationUpdated, id, now)).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

fn lead_role(level: EpisodeLevel) -> &'static str {
    match level {
        EpisodeLevel::Early => involvements::LEAD_PROFESSIONAL,
        EpisodeLevel::Targeted | EpisodeLevel::SocialCare => involvements::ALLOCATED_WORKER,
    }
}

/// A chronology entry about the episode itself, which everyone who may open the family's
/// record may read.
fn episode_entry<'a>(
    episode: EpisodeId,
    people: &'a [PersonId],
    kind: &'a str,
    organisation: Option<OrganisationId>,
    actor: UserId,
    summary: String,
    at: DateTime<Utc>,
) -> NewEntry<'a> {
    NewEntry {
        at,
        kind,
        episode: Some(episode),
        organisation,
        actor: Some(actor),
        summary,
        record_type: Some("episode"),
        record_id: Some(episode.to_string()),
        visibility: chronology::EVERYONE,
        people,
    }
}
