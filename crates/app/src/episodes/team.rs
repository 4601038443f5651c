//! Allocation and the Team Around the Family.

use super::{episode_entry, ev, lead_role};
use crate::episodes::record::record_step;
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, Utc};
use hearth_domain::access::InvolvementRole;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::message::Template;
use hearth_domain::role::Capability;
use hearth_domain::task::TaskKind;
use hearth_store::accounts::users::{self, User};
use hearth_store::episodes::tasks;
use hearth_store::episodes::{self, Episode};
use hearth_store::family::chronology;
use hearth_store::family::involvements;
use hearth_store::{audit, Conn, Store};
use serde::Deserialize;

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

impl Hearth {
    /// Gives the episode its lead (or a new one). The earlier lead's access as lead ends and
    /// they stay in the TAF, so nothing they knew is lost to the family's help.
    pub async fn allocate(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &AllocationForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.allocate).await?;
        let e = opened.episode();
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
        let level = e.level;
        self.hand_to_lead(
            &mut tx,
            e,
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
            TaskKind::Allocate,
            actor.user_id,
            Some(&lead.display_name),
            now,
        )
        .await?;
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Allocation,
            actor.user_id,
            format!(
                "{} allocated as {}",
                lead.display_name,
                level.lead_title().to_lowercase()
            ),
            now,
        );
        let mut a = ev(actor, AuditAction::EpisodeAllocated, id, now);
        a.detail = Some(format!(r#"{{"lead":"{}"}}"#, lead.id));
        record_step(tx, &entry, &a).await?;
        Ok(())
    }

    /// Adds a practitioner or a family member to the Team Around the Family.
    pub async fn add_taf_member(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &MemberForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.manage).await?;
        let e = opened.episode();
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
        if e.status == EpisodeStatus::Closed {
            errors.add("user_id", "The episode is closed");
        }
        let now = self.now();
        if let Some(u) = user {
            let current = episodes::members(&mut tx, &opened).await?;
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
        let path = format!("/episodes/{id}");
        let letter = Letter {
            template: Template::TafInvitation,
            values: Vec::new(),
            path: &path,
            record_type: "episode",
            record_id: id.to_string(),
        };
        self.queue_for_user(&mut tx, u, letter, now).await?;
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
        let opened = self.episode_for(actor, id, |m| m.manage).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let reason =
            input::required_text(&mut errors, "reason", "why they are leaving", reason, 500);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let user =
            episodes::end_member(&mut tx, &opened, member, &reason, now.date_naive()).await?;
        if let Some(u) = user {
            involvements::end_for_episode(
                &mut tx,
                id,
                Some(u),
                None,
                InvolvementRole::TafMember,
                now.date_naive(),
            )
            .await?;
            let left = users::get(&mut tx, u).await?;
            chronology::append(
                &mut tx,
                &episode_entry(
                    id,
                    &e.people,
                    EntryKind::Taf,
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

    /// Gives the episode a new lead in the caller's transaction (from `version`, refused if
    /// it moved on): the earlier lead's access as lead ends and they stay in the TAF, so
    /// nothing they knew is lost to the family's help.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn hand_to_lead(
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
                InvolvementRole::LeadProfessional,
                InvolvementRole::AllocatedWorker,
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
}
