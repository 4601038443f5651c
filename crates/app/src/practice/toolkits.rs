//! The partnership's toolkits: practice guidance written by partners, each page with an owner
//! and a review date, every version kept; searched by its words, linked from the steps where
//! it helps.

use super::practice_event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::ToolkitPageId;
use hearth_domain::input::FieldErrors;
use hearth_domain::practice::{search_words, PracticeStep, ToolkitText};
use hearth_domain::role::Capability;
use hearth_store::practice::toolkits::{self, Page, PageLine, VersionLine};
use hearth_store::Store;
use serde::Deserialize;

/// How many pages a search shows.
const SEARCH_LIMIT: i64 = 50;

/// A page as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ToolkitForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub step: String,
    #[serde(default, rename = "review_on-day")]
    pub review_day: String,
    #[serde(default, rename = "review_on-month")]
    pub review_month: String,
    #[serde(default, rename = "review_on-year")]
    pub review_year: String,
    /// The version it was written from (0 for a new page).
    #[serde(default)]
    pub version: i64,
}

impl ToolkitForm {
    pub fn review_parts(&self) -> DateParts {
        DateParts {
            day: self.review_day.clone(),
            month: self.review_month.clone(),
            year: self.review_year.clone(),
        }
    }

    /// The form filled with a page, to write its next version.
    pub fn of(page: &Page) -> Self {
        let parts = DateParts::of(page.text.review_on);
        ToolkitForm {
            title: page.text.title.clone(),
            summary: page.text.summary.clone(),
            body: page.text.body.clone(),
            step: page
                .text
                .step
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
            review_day: parts.day,
            review_month: parts.month,
            review_year: parts.year,
            version: page.current_version,
        }
    }

    fn check(&self, today: chrono::NaiveDate) -> Result<ToolkitText, FieldErrors> {
        let mut errors = FieldErrors::new();
        let review_on = match self.review_parts().read("The review date") {
            Ok(d) => d,
            Err(e) => {
                errors.add("review_on", e.message);
                None
            }
        };
        ToolkitText::check(
            &self.title,
            &self.summary,
            &self.body,
            &self.step,
            review_on,
            today,
            errors,
        )
    }
}

/// A page with its history, and whether the reader may write its next version.
#[derive(Debug, Clone)]
pub struct ToolkitPage {
    pub page: Page,
    pub versions: Vec<VersionLine>,
    pub may_edit: bool,
    /// Its review date has passed.
    pub review_overdue: bool,
}

impl Hearth {
    /// Pages matching the words of `query` (every page when it has none).
    pub async fn search_toolkits(&self, query: &str) -> Result<Vec<PageLine>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(toolkits::search(&mut conn, &search_words(query), SEARCH_LIMIT).await?)
    }

    /// Pages that help with a step of the journey.
    pub async fn toolkits_for(&self, step: PracticeStep) -> Result<Vec<PageLine>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(toolkits::for_step(&mut conn, step).await?)
    }

    /// A page at a version, or at the version in force.
    pub async fn toolkit_page(
        &self,
        actor: &Actor,
        id: ToolkitPageId,
        version: Option<i64>,
    ) -> Result<ToolkitPage, AppError> {
        let mut conn = self.store.read().await?;
        let page = toolkits::get(&mut conn, id, version).await?;
        let versions = toolkits::versions(&mut conn, id).await?;
        Ok(ToolkitPage {
            review_overdue: page.text.review_on < self.now().date_naive(),
            may_edit: actor.can(Capability::EditPracticeGuidance),
            page,
            versions,
        })
    }

    /// Publishes a new page, or the next version of `id` (refused, audited, for anyone who
    /// does not write practice guidance; a page changed since it was opened is a conflict).
    pub async fn publish_toolkit_page(
        &self,
        actor: &Actor,
        id: Option<ToolkitPageId>,
        form: &ToolkitForm,
    ) -> Result<ToolkitPageId, AppError> {
        self.require(actor, Capability::EditPracticeGuidance)
            .await?;
        let now = self.now();
        let text = form.check(now.date_naive()).map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        let (id, version) = match id {
            None => (
                toolkits::publish_new(&mut tx, &text, actor.user_id, now).await?,
                1,
            ),
            Some(id) => {
                let v =
                    toolkits::publish_version(&mut tx, id, form.version, &text, actor.user_id, now)
                        .await?;
                (id, v)
            }
        };
        let mut e = practice_event(
            actor,
            AuditAction::ToolkitPagePublished,
            "toolkit_page",
            id.to_string(),
            now,
        );
        e.detail = Some(serde_json::json!({ "version": version }).to_string());
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }
}
