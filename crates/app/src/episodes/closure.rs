//! Closure: the lead records it, a manager signs it off or sends it back.

use super::{episode_entry, ev, rework_task, SignOff};
use crate::episodes::feedback::FeedbackLink;
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::access::{closure_signing_team, SigningCandidate};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::{ClosureReason, NeedResult};
use hearth_domain::ids::{EpisodeId, TeamId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::{Capability, RoleSet};
use hearth_domain::task::TaskKind;
use hearth_store::accounts::users;
use hearth_store::episodes;
use hearth_store::episodes::tasks::{self, NewTask};
use hearth_store::episodes::Episode;
use hearth_store::family::chronology;
use hearth_store::{audit, Conn, Store};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct ClosureForm {
    pub reason: String,
    pub summary: String,
    /// Need domain code → result code.
    pub results: BTreeMap<String, String>,
    /// Need domain code → what shows the result (optional).
    pub evidence: BTreeMap<String, String>,
    pub version: i64,
}

impl ClosureForm {
    /// From the posted pairs: `result_<domain>` fields carry each need's result, and
    /// `evidence_<domain>` what shows it.
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
                    } else if let Some(domain) = k.strip_prefix("evidence_") {
                        f.evidence.insert(domain.to_string(), v.clone());
                    }
                }
            }
        }
        f
    }
}

/// The longest evidence for one need's result.
const EVIDENCE_MAX: usize = 2000;

/// A team that could sign off a closure, and whether anyone in it may.
async fn signing_candidate(
    conn: &mut Conn,
    team: Option<TeamId>,
) -> Result<Option<SigningCandidate>, AppError> {
    let Some(team) = team else {
        return Ok(None);
    };
    let roles = RoleSet::new(users::roles_in_team(conn, team).await?);
    Ok(Some(SigningCandidate {
        team,
        has_signer: roles.can(Capability::SignOff),
    }))
}

impl Hearth {
    /// The team asked to sign off this episode's closure, by the rule in the domain.
    async fn closure_signing_team(
        &self,
        conn: &mut Conn,
        e: &Episode,
    ) -> Result<Option<TeamId>, AppError> {
        let lead_team = match e.lead_user_id {
            Some(lead) => users::get(conn, lead).await?.team_id,
            None => None,
        };
        let owning = signing_candidate(conn, e.owning_team_id).await?;
        let lead = signing_candidate(conn, lead_team).await?;
        let name = self.policies.routing.closure_approver.clone();
        let approver = self.team_named(conn, &name).await?;
        Ok(closure_signing_team(owning, lead, approver))
    }

    /// The lead records the closure: reason, summary and how far each need was met. A
    /// manager of the team [`closure_signing_team`] names signs it off (or sends it back).
    pub async fn record_closure(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &ClosureForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.manage).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        if e.status != EpisodeStatus::Open {
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
        let needs = episodes::needs(&mut tx, &opened).await?;
        let mut results = Vec::new();
        for (domain, _) in &needs {
            let evidence = input::optional_text(
                &mut errors,
                &format!("evidence_{}", domain.code()),
                &format!("the evidence for “{}”", domain.label()),
                form.evidence.get(domain.code()).map_or("", String::as_str),
                EVIDENCE_MAX,
            )
            .unwrap_or_default();
            match form
                .results
                .get(domain.code())
                .and_then(|r| NeedResult::from_code(r))
            {
                Some(r) => results.push((*domain, r, evidence)),
                None => errors.add(
                    &format!("result_{}", domain.code()),
                    format!("Say how far the need “{}” was met", domain.label()),
                ),
            }
        }
        let open_actions = hearth_store::episodes::plans::open_actions(&mut tx, &opened).await?;
        if let Some(m) = hearth_domain::plan::closing_with_open_actions(&open_actions) {
            errors.add("reason", m);
        }
        let (Some(reason), true) = (reason, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        episodes::record_closure(
            &mut tx,
            &opened,
            form.version,
            reason,
            &summary,
            &results,
            actor.user_id,
            now,
        )
        .await?;
        tasks::complete(
            &mut tx,
            id,
            TaskKind::ReworkClosure,
            actor.user_id,
            Some("recorded again"),
            now,
        )
        .await?;
        let signers = self.closure_signing_team(&mut tx, e).await?;
        tasks::insert(
            &mut tx,
            &NewTask {
                kind: TaskKind::SignOffClosure,
                request: None,
                episode: Some(id),
                user: None,
                team: signers,
                title: "Sign off the closure".into(),
                due_on: now.date_naive() + chrono::Duration::days(5),
            },
            now,
        )
        .await?;
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Closure,
            actor.user_id,
            format!("Closure recorded ({}): {summary}", reason.label()),
            now,
        );
        let mut a = ev(actor, AuditAction::ClosureRecorded, id, now);
        a.detail = Some(format!(r#"{{"reason":"{}"}}"#, reason.code()));
        record_step(tx, &entry, &a).await?;
        Ok(())
    }

    /// A manager signs off a recorded closure (the episode ends, with a follow-up in six
    /// months to ask whether outcomes were sustained, and the family is invited to give
    /// feedback: the link comes back, to give them), or sends it back to the lead.
    pub async fn decide_closure(
        &self,
        actor: &Actor,
        id: EpisodeId,
        decision: &SignOff,
        version: i64,
    ) -> Result<Option<FeedbackLink>, AppError> {
        let opened = self.episode_for(actor, id, |m| m.sign_off).await?;
        let e = opened.episode();
        let reason = decision.reason()?;
        let approve = decision.approves();
        let mut tx = self.store.write().await?;
        if e.status != EpisodeStatus::Closing {
            return Err(AppError::Conflict);
        }
        let now = self.now();
        let today = now.date_naive();
        let action = if approve {
            episodes::sign_off_closure(&mut tx, &opened, version, actor.user_id, now).await?;
            let needs: Vec<_> = episodes::needs(&mut tx, &opened)
                .await?
                .into_iter()
                .map(|(need, _)| need)
                .collect();
            let framework = self.framework_of(&mut tx, id).await?;
            // Due when the first outcome achieved has had its time (each outcome is judged
            // from its own months on); with none achieved, after the longest.
            let results = hearth_store::programme::closure_results(&mut tx, &opened).await?;
            let achieved = hearth_domain::programme::to_check(
                &results
                    .iter()
                    .map(|r| (r.need, r.result))
                    .collect::<Vec<_>>(),
            );
            let due_on = framework
                .next_due(today, &achieved, &[])
                .unwrap_or_else(|| framework.sustainment_due(today, &needs));
            tasks::insert(
                &mut tx,
                &NewTask {
                    kind: TaskKind::SustainedFollowUp,
                    request: None,
                    episode: Some(id),
                    user: e.lead_user_id,
                    team: if e.lead_user_id.is_none() {
                        e.owning_team_id
                    } else {
                        None
                    },
                    title: "Were the family's outcomes sustained?".into(),
                    due_on,
                },
                now,
            )
            .await?;
            AuditAction::ClosureSignedOff
        } else {
            episodes::return_closure(&mut tx, &opened, version, now).await?;
            tasks::insert(
                &mut tx,
                &rework_task(
                    e,
                    TaskKind::ReworkClosure,
                    "Rework the closure the manager sent back",
                    today,
                ),
                now,
            )
            .await?;
            AuditAction::ClosureReturned
        };
        tasks::complete(
            &mut tx,
            id,
            TaskKind::SignOffClosure,
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
                EntryKind::Closure,
                actor.user_id,
                match &reason {
                    None => "Closure signed off; the episode has ended".into(),
                    Some(why) => {
                        format!("Closure sent back to the lead; the episode stays open. Why: {why}")
                    }
                },
                now,
            ),
        )
        .await?;
        let mut event = ev(actor, action, id, now);
        event.reason = reason;
        audit::append(&mut tx, &event).await?;
        let link = if approve {
            Some(self.invite_feedback(&mut tx, actor, e, now).await?)
        } else {
            None
        };
        Store::commit(tx).await?;
        Ok(link)
    }
}
