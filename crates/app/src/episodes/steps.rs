//! The assessment route, and stepping up or down between levels.

use super::{episode_entry, ev};
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::access::InvolvementRole;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::{self, EpisodeLevel, Route, Step};
use hearth_domain::ids::{EpisodeId, TeamId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_domain::routing::TargetedService;
use hearth_domain::task::TaskKind;
use hearth_store::accounts::users;
use hearth_store::episodes;
use hearth_store::episodes::tasks::{self, NewTask};
use hearth_store::family::involvements;
use hearth_store::{accounts::teams, audit, Conn, Store};
use serde::Deserialize;

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

impl Hearth {
    pub async fn set_route(
        &self,
        actor: &Actor,
        id: EpisodeId,
        route: &str,
        version: i64,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.manage).await?;
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
        episodes::set_route(&mut tx, &opened, version, route, now).await?;
        let mut e = ev(actor, AuditAction::EpisodeChanged, id, now);
        e.detail = Some(format!(r#"{{"route":"{}"}}"#, route.code()));
        audit::append(&mut tx, &e).await?;
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
        let opened = self.episode_for(actor, id, |m| m.manage).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let from = e.level;
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
            Some(to) => {
                episode::step_in_direction(from, to, e.status == EpisodeStatus::Open, wanted)
                    .map_err(|r| errors.add("level", r.to_string()))
                    .ok()
            }
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
            to,
            service,
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
                InvolvementRole::OwningTeam,
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
                InvolvementRole::OwningTeam,
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
                    e,
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
                            kind: TaskKind::Allocate,
                            request: None,
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
            EntryKind::StepUp
        } else {
            EntryKind::StepDown
        };
        let summary = format!(
            "Stepped {} from {} to {}. Handover: {handover}",
            if wanted == Step::Up { "up" } else { "down" },
            from.label(),
            to.label()
        );
        let entry = episode_entry(id, &e.people, kind, actor.user_id, summary, now);
        let mut a = ev(actor, AuditAction::EpisodeStepped, id, now);
        a.detail = Some(format!(
            r#"{{"from":"{}","to":"{}"}}"#,
            from.code(),
            to.code()
        ));
        record_step(tx, &entry, &a).await?;
        Ok(())
    }

    pub(crate) async fn team_named(
        &self,
        conn: &mut Conn,
        name: &str,
    ) -> Result<Option<TeamId>, AppError> {
        Ok(teams::list(conn, None)
            .await?
            .into_iter()
            .find(|t| t.active && t.name == name)
            .map(|t| t.id))
    }
}
