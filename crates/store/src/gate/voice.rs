//! The gate's openings for the family's voice (ADR 0037): an episode opened to send its
//! surveys and see whether they were answered (its owning team and lead); a survey link
//! opened for the family who hold it (no account: the link is who they are, once, until it
//! expires); the analysts' desk for the aggregated answers and the published case studies;
//! a closed episode opened for its lead to write a case study, with the family's names so
//! the text can be checked for them; and a case study opened for its reviewer.

use super::{Closed, Gate, OpenedEpisode, Viewer};
use crate::episodes::feedback::{self, Invitation};
use crate::family::people;
use crate::{audit, episodes, voice, Store, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::case_study::CaseStudyStatus;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::feedback::{usable, LinkProblem};
use hearth_domain::ids::{CaseStudyId, EpisodeId, PersonId, UserId};
use hearth_domain::role::Capability;

/// An episode opened to send surveys and list them: its owning team and lead (the ones in
/// touch with the family). Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::SurveyingEpisode { opened: todo!() };
/// ```
#[derive(Debug, Clone)]
pub struct SurveyingEpisode {
    pub(super) opened: OpenedEpisode,
}

impl SurveyingEpisode {
    pub fn episode(&self) -> &OpenedEpisode {
        &self.opened
    }
}

/// A survey or feedback link opened for the family who hold it, while it can be used. Only
/// the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::AnsweringLink { invitation: todo!(), people: Vec::new() };
/// ```
#[derive(Debug, Clone)]
pub struct AnsweringLink {
    pub(super) invitation: Invitation,
    pub(super) people: Vec<PersonId>,
}

impl AnsweringLink {
    pub fn invitation(&self) -> &Invitation {
        &self.invitation
    }

    /// The episode's people, for the line in their chronology.
    pub fn people(&self) -> &[PersonId] {
        &self.people
    }
}

/// The desk where the family's voice is read in aggregate, and the board's case studies:
/// users whose roles see reports. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::VoiceDesk { reader: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct VoiceDesk {
    pub(super) reader: UserId,
}

impl VoiceDesk {
    pub fn reader(&self) -> UserId {
        self.reader
    }
}

/// A closed episode opened for its lead to write a case study from, with the names of
/// everyone in the family (their other names too) to check the text for. Only the gate makes
/// one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::CaseStudySource { opened: todo!(), family: Vec::new(), names: Vec::new() };
/// ```
#[derive(Debug, Clone)]
pub struct CaseStudySource {
    pub(super) opened: OpenedEpisode,
    pub(super) family: Vec<(PersonId, String)>,
    pub(super) names: Vec<String>,
}

impl CaseStudySource {
    pub fn episode(&self) -> &OpenedEpisode {
        &self.opened
    }

    /// Who in the family may give consent: (person, name), for the writer to choose.
    pub fn family(&self) -> &[(PersonId, String)] {
        &self.family
    }

    /// Every name the story must not contain.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A case study waiting for review, opened for a manager of the team that held the episode
/// who did not write it. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::CaseStudyReview { study: hearth_domain::ids::CaseStudyId::new(), reviewer: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CaseStudyReview {
    pub(super) study: CaseStudyId,
    pub(super) reviewer: UserId,
}

impl CaseStudyReview {
    pub fn study(&self) -> CaseStudyId {
        self.study
    }

    pub fn reviewer(&self) -> UserId {
        self.reviewer
    }
}

/// A returned case study opened for its writer to put right and send back for review, with
/// the episode it was written from (still theirs to write from: its lead). Only the gate
/// makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::CaseStudyRevision { study: hearth_domain::ids::CaseStudyId::new(), source: todo!() };
/// ```
#[derive(Debug, Clone)]
pub struct CaseStudyRevision {
    pub(super) study: CaseStudyId,
    pub(super) source: CaseStudySource,
}

impl CaseStudyRevision {
    pub fn study(&self) -> CaseStudyId {
        self.study
    }

    /// The episode, the family who may give consent and the names to keep out.
    pub fn source(&self) -> &CaseStudySource {
        &self.source
    }
}

impl Gate {
    /// Opens an episode to send its surveys and see whether they were answered: for its
    /// owning team and lead (open or closed); refused (audited) for anyone else.
    pub async fn open_for_surveys(
        &self,
        viewer: &Viewer<'_>,
        id: EpisodeId,
    ) -> Result<SurveyingEpisode, Closed> {
        // "Restricted notes" are what the owning team and the lead keep, before and after
        // closure: it marks who is in touch with the family.
        let opened = self
            .open_episode(viewer, id, |m| m.restricted_notes)
            .await?;
        Ok(SurveyingEpisode { opened })
    }

    /// The family's review survey that Hearth sends itself when a review is recorded: the
    /// episode opened to record the review (its `edit` permission) is the decision, so the
    /// one recording it is not asked a second time. Nothing for an episode opened without it.
    pub fn surveying_after_review(&self, recorded: &OpenedEpisode) -> Option<SurveyingEpisode> {
        recorded.may.edit.then(|| SurveyingEpisode {
            opened: recorded.clone(),
        })
    }

    /// Opens a link for the family who hold it. A link used or expired is refused, and the
    /// refusal is recorded (`as_family` says from where); an unknown link opens nothing and
    /// names nobody, so it is not recorded.
    pub async fn answering_link(
        &self,
        token_hash: &str,
        as_family: &NewAuditEvent,
        now: DateTime<Utc>,
    ) -> Result<Result<AnsweringLink, LinkProblem>, Closed> {
        let mut conn = self.store.read().await?;
        let Some(invitation) = feedback::by_token(&mut conn, token_hash).await? else {
            return Err(Closed::NotFound);
        };
        let episode = episodes::get(&mut conn, invitation.episode_id).await?;
        drop(conn);
        match usable(
            now,
            invitation.expires_at,
            invitation.answered_at.is_some(),
            invitation.withdrawn_at.is_some(),
        ) {
            Ok(()) => Ok(Ok(AnsweringLink {
                invitation,
                people: episode.people,
            })),
            Err(problem) => {
                let mut e = as_family.clone();
                e.action = AuditAction::AccessDenied;
                e.record_type = Some("survey_link");
                e.record_id = Some(invitation.id.to_string());
                e.detail = Some(serde_json::json!({ "refused": problem.code() }).to_string());
                let mut tx = self.store.write().await?;
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                Ok(Err(problem))
            }
        }
    }

    /// The desk for the family's voice in aggregate and the board's case studies: users whose
    /// roles see reports; refused (audited) for anyone else.
    pub async fn voice_desk(&self, viewer: &Viewer<'_>) -> Result<VoiceDesk, Closed> {
        if viewer.roles.can(Capability::ViewReports) {
            Ok(VoiceDesk {
                reader: viewer.user,
            })
        } else {
            Err(self
                .refused(viewer, "voice", String::new(), "no capability")
                .await)
        }
    }

    /// Opens a closed episode for its lead to write a case study from; refused (audited) for
    /// anyone else, and for an episode still open.
    pub async fn open_for_case_study(
        &self,
        viewer: &Viewer<'_>,
        id: EpisodeId,
    ) -> Result<CaseStudySource, Closed> {
        let opened = self
            .open_episode(viewer, id, |m| m.restricted_notes)
            .await?;
        let e = opened.episode();
        if e.status != EpisodeStatus::Closed || e.lead_user_id != Some(viewer.user) {
            return Err(self
                .refused(
                    viewer,
                    "episode",
                    id.to_string(),
                    "a case study is written by the lead of a closed episode",
                )
                .await);
        }
        let mut conn = self.store.read().await?;
        let people = people::summaries(&mut conn, &e.people).await?;
        let mut names: Vec<String> = people
            .iter()
            .flat_map(|p| [p.given_names.clone(), p.family_name.clone()])
            .collect();
        names.extend(voice::other_names(&mut conn, &e.people).await?);
        let family = people
            .iter()
            .map(|p| (p.id, format!("{} {}", p.given_names, p.family_name)))
            .collect();
        Ok(CaseStudySource {
            opened,
            family,
            names,
        })
    }

    /// Opens a case study waiting for review for a user who signs off work in the team that
    /// held the episode and did not write it; refused (audited) for anyone else.
    pub async fn review_case_study(
        &self,
        viewer: &Viewer<'_>,
        id: CaseStudyId,
    ) -> Result<CaseStudyReview, Closed> {
        let mut conn = self.store.read().await?;
        let study = match voice::case_study_standing(&mut conn, id).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(Closed::NotFound),
            Err(e) => return Err(Closed::Store(e)),
        };
        drop(conn);
        let why = if !viewer.roles.can(Capability::SignOff) {
            Some("no capability")
        } else if study.team.is_none() || study.team != viewer.team {
            Some("another team's case study")
        } else if study.written_by == viewer.user {
            Some("the writer does not review their own case study")
        } else if study.status != CaseStudyStatus::Submitted {
            Some("not waiting for review")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(self
                .refused(viewer, "case_study", id.to_string(), why)
                .await);
        }
        Ok(CaseStudyReview {
            study: id,
            reviewer: viewer.user,
        })
    }

    /// Opens a case study its reviewer returned, for its writer to put right: only the
    /// writer, only while it is returned, and only while they are still the lead of the
    /// closed episode it tells of; refused (audited) for anyone else.
    pub async fn revise_case_study(
        &self,
        viewer: &Viewer<'_>,
        id: CaseStudyId,
    ) -> Result<CaseStudyRevision, Closed> {
        let mut conn = self.store.read().await?;
        let study = match voice::case_study_standing(&mut conn, id).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(Closed::NotFound),
            Err(e) => return Err(Closed::Store(e)),
        };
        drop(conn);
        let why = if study.written_by != viewer.user {
            Some("only its writer changes a case study")
        } else if study.status != CaseStudyStatus::Returned {
            Some("not returned for changes")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(self
                .refused(viewer, "case_study", id.to_string(), why)
                .await);
        }
        let source = self.open_for_case_study(viewer, study.episode).await?;
        Ok(CaseStudyRevision { study: id, source })
    }
}
