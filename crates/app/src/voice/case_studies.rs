//! Case studies for the board: written by the lead from a closed episode, only with the
//! family's consent recorded, anonymised (the writer confirms it, and the text is refused
//! if any of the family's names is in it), reviewed by a manager of the team that held the
//! episode who did not write it, and then published to the board's list.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use chrono::{Datelike, NaiveDate};
use hearth_domain::audit::AuditAction;
use hearth_domain::case_study::{names_in, ConsentWay};
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::{CaseStudyId, EpisodeId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::gate::CaseStudySource;
use hearth_store::voice::{self as store, NewCaseStudy, ReturnedCaseStudy, RevisedCaseStudy};
use hearth_store::{audit, Store, StoreError};
use serde::Deserialize;

pub use hearth_store::voice::CaseStudy;

/// What the writer typed, kept as typed so an error loses nothing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseStudyForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub story: String,
    /// Who in the family gave consent (a person on the episode).
    #[serde(default)]
    pub consent_person: String,
    #[serde(default, rename = "consent-day")]
    pub consent_day: String,
    #[serde(default, rename = "consent-month")]
    pub consent_month: String,
    #[serde(default, rename = "consent-year")]
    pub consent_year: String,
    #[serde(default)]
    pub consent_way: String,
    /// "yes" when the writer confirms names and identifying details are out.
    #[serde(default)]
    pub anonymised: String,
}

impl CaseStudyForm {
    pub fn consent_parts(&self) -> DateParts {
        DateParts {
            day: self.consent_day.clone(),
            month: self.consent_month.clone(),
            year: self.consent_year.clone(),
        }
    }
}

/// The reviewer's decision.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewForm {
    /// "publish" or "return".
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// What the writer's page needs: the family members who may give consent.
#[derive(Debug, Clone)]
pub struct CaseStudyStart {
    pub episode: EpisodeId,
    pub family: Vec<(PersonId, String)>,
}

/// A case study's words and consent, checked.
struct Checked {
    title: String,
    story: String,
    consent_person: PersonId,
    consent_on: NaiveDate,
    consent_way: ConsentWay,
}

/// Checks what the writer typed, for a new case study and a returned one alike: the words
/// present and free of the family's names, consent from someone in the family on a day not
/// in the future, and the writer's confirmation that it is anonymised.
fn checked(
    form: &CaseStudyForm,
    source: &CaseStudySource,
    today: NaiveDate,
) -> Result<Checked, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = input::required_text(&mut e, "title", "a title", &form.title, 200);
    let story = input::required_text(&mut e, "story", "the story", &form.story, 20_000);
    for (field, text) in [("title", &title), ("story", &story)] {
        let found = names_in(text, source.names());
        if !found.is_empty() {
            e.add(
                field,
                format!(
                    "Take the family's names out: the {field} names {}",
                    found.join(", ")
                ),
            );
        }
    }
    let consent_person = form
        .consent_person
        .parse::<PersonId>()
        .ok()
        .filter(|p| source.family().iter().any(|(f, _)| f == p));
    if consent_person.is_none() {
        e.add("consent_person", "Choose who in the family gave consent");
    }
    let consent_on = match form.consent_parts().read("The date consent was given") {
        Ok(Some(d)) if d <= today => Some(d),
        Ok(Some(_)) => {
            e.add(
                "consent",
                "The date consent was given must be today or in the past",
            );
            None
        }
        Ok(None) => {
            e.add("consent", "Enter the date consent was given");
            None
        }
        Err(err) => {
            e.add("consent", err.message);
            None
        }
    };
    let consent_way = ConsentWay::from_code(&form.consent_way);
    if consent_way.is_none() {
        e.add("consent_way", "Choose how the family gave consent");
    }
    if form.anonymised != "yes" {
        e.add(
            "anonymised",
            "Confirm you took out names and details that could identify the family",
        );
    }
    match (consent_person, consent_on, consent_way, e.is_empty()) {
        (Some(consent_person), Some(consent_on), Some(consent_way), true) => Ok(Checked {
            title,
            story,
            consent_person,
            consent_on,
            consent_way,
        }),
        _ => Err(e),
    }
}

/// A returned case study opened for its writer: what it says now, why it came back, and
/// the family who may give consent.
#[derive(Debug, Clone)]
pub struct CaseStudyToRevise {
    pub returned: ReturnedCaseStudy,
    pub family: Vec<(PersonId, String)>,
}

impl CaseStudyToRevise {
    /// The writer's form, filled with what the study says now; the confirmation is asked
    /// again, as the words are to change.
    pub fn form(&self) -> CaseStudyForm {
        let r = &self.returned;
        CaseStudyForm {
            title: r.study.title.clone(),
            story: r.study.story.clone(),
            consent_person: r.consent_person.to_string(),
            consent_day: r.consent_on.day().to_string(),
            consent_month: r.consent_on.month().to_string(),
            consent_year: r.consent_on.year().to_string(),
            consent_way: r.consent_way.code().to_string(),
            anonymised: String::new(),
        }
    }
}

impl Hearth {
    /// The page to write a case study from a closed episode: its lead only.
    pub async fn case_study_start(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<CaseStudyStart, AppError> {
        let source = self
            .gate
            .open_for_case_study(&self.viewer(actor), id)
            .await?;
        Ok(CaseStudyStart {
            episode: id,
            family: source.family().to_vec(),
        })
    }

    /// Records a case study, waiting for review: with the family's consent (who, when, how),
    /// the writer's confirmation that it is anonymised, and none of the family's names in
    /// the title or the story. Audited.
    pub async fn write_case_study(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &CaseStudyForm,
    ) -> Result<CaseStudyId, AppError> {
        let source = self
            .gate
            .open_for_case_study(&self.viewer(actor), id)
            .await?;
        let now = self.now();
        let Checked {
            title,
            story,
            consent_person,
            consent_on,
            consent_way,
        } = checked(form, &source, now.date_naive()).map_err(AppError::Invalid)?;
        let study = CaseStudyId::new();
        let mut tx = self.store.write().await?;
        store::write(
            &mut tx,
            &source,
            &NewCaseStudy {
                id: study,
                title,
                story,
                consent_person,
                consent_on,
                consent_way,
                at: now,
            },
        )
        .await?;
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseStudyWritten,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_study");
        a.record_id = Some(study.to_string());
        a.detail = Some(serde_json::json!({ "episode": id.to_string() }).to_string());
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(study)
    }

    /// The case studies the user wrote and those waiting for review in their team: titles
    /// and where each stands (`true` for the user's own).
    pub async fn case_study_worklist(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(CaseStudy, bool)>, AppError> {
        let mut conn = self.store.read().await?;
        let team = actor
            .can(hearth_domain::role::Capability::SignOff)
            .then_some(actor.team_id)
            .flatten();
        Ok(store::worklist(&mut conn, actor.user_id, team).await?)
    }

    /// A case study opened for its review (audited as read).
    pub async fn case_study_for_review(
        &self,
        actor: &Actor,
        id: CaseStudyId,
    ) -> Result<CaseStudy, AppError> {
        let review = self.gate.review_case_study(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let study = store::for_review(&mut conn, &review).await?;
        drop(conn);
        self.case_study_read(actor, id).await?;
        Ok(study)
    }

    /// Publishes a case study to the board, or returns it to its writer with the reason.
    /// Audited.
    pub async fn review_case_study(
        &self,
        actor: &Actor,
        id: CaseStudyId,
        form: &ReviewForm,
    ) -> Result<bool, AppError> {
        let review = self.gate.review_case_study(&self.viewer(actor), id).await?;
        let mut e = FieldErrors::new();
        let publish = match form.decision.as_str() {
            "publish" => Some(true),
            "return" => Some(false),
            _ => {
                e.add(
                    "decision",
                    "Choose to publish it or return it to the writer",
                );
                None
            }
        };
        let note = input::optional_text(&mut e, "note", "the reason", &form.note, 2000);
        if publish == Some(false) && note.is_none() {
            e.add("note", "Say what the writer should change");
        }
        let (Some(publish), true) = (publish, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        match store::decide(&mut tx, &review, publish, note.as_deref(), now).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        }
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseStudyReviewed,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_study");
        a.record_id = Some(id.to_string());
        a.detail = Some(
            serde_json::json!({ "decision": if publish { "published" } else { "returned" } })
                .to_string(),
        );
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(publish)
    }

    /// The case studies published to the board, for analysts and the board's report (users
    /// whose roles see reports). Audited.
    pub async fn board_case_studies(&self, actor: &Actor) -> Result<Vec<CaseStudy>, AppError> {
        let desk = self.gate.voice_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let list = store::published(&mut conn, &desk).await?;
        drop(conn);
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseStudiesRead,
            &actor.origin,
            self.now(),
        );
        a.record_type = Some("case_studies");
        a.detail = Some(serde_json::json!({ "published": list.len() }).to_string());
        self.append_event(&a).await?;
        Ok(list)
    }

    /// A case study returned to its writer, opened for them to put right (audited as read).
    pub async fn case_study_to_revise(
        &self,
        actor: &Actor,
        id: CaseStudyId,
    ) -> Result<CaseStudyToRevise, AppError> {
        let revision = self.gate.revise_case_study(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let returned = store::returned(&mut conn, &revision).await?;
        drop(conn);
        self.case_study_read(actor, id).await?;
        Ok(CaseStudyToRevise {
            returned,
            family: revision.source().family().to_vec(),
        })
    }

    /// Saves the writer's changes to a returned case study, checked as a new one is, keeps
    /// the returned version with its reason, and sends it back for review. Audited.
    pub async fn revise_case_study(
        &self,
        actor: &Actor,
        id: CaseStudyId,
        form: &CaseStudyForm,
    ) -> Result<(), AppError> {
        let revision = self.gate.revise_case_study(&self.viewer(actor), id).await?;
        let now = self.now();
        let c = checked(form, revision.source(), now.date_naive()).map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        let revised = RevisedCaseStudy {
            title: c.title,
            story: c.story,
            consent_person: c.consent_person,
            consent_on: c.consent_on,
            consent_way: c.consent_way,
            at: now,
        };
        match store::revise(&mut tx, &revision, &revised).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        }
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseStudyRevised,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_study");
        a.record_id = Some(id.to_string());
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Records that the user read one case study (its reviewer, or its writer putting it
    /// right).
    async fn case_study_read(&self, actor: &Actor, id: CaseStudyId) -> Result<(), AppError> {
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseStudiesRead,
            &actor.origin,
            self.now(),
        );
        a.record_type = Some("case_study");
        a.record_id = Some(id.to_string());
        self.append_event(&a).await
    }
}
