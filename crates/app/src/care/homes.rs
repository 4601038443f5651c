//! The placements team's homes and fostering households: listed in the strategy's order of
//! routes, added and changed (vacancies included) with a version, every change audited.

use super::{care_event, HomeForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::CareHomeId;
use hearth_store::care::homes::{self, Home};
use hearth_store::{audit, Store};

impl Hearth {
    /// Every home (refused, audited, for anyone but the placements team).
    pub async fn care_homes(&self, actor: &Actor) -> Result<Vec<Home>, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(homes::list(&mut conn, &desk).await?)
    }

    pub async fn care_home(&self, actor: &Actor, id: CareHomeId) -> Result<Home, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(homes::get(&mut conn, &desk, id).await?)
    }

    /// Adds a home (`id` none) or changes one as read at the form's version; audited with
    /// its vacancies.
    pub async fn save_care_home(
        &self,
        actor: &Actor,
        id: Option<CareHomeId>,
        form: &HomeForm,
    ) -> Result<CareHomeId, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let (fields, version) = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = match id {
            Some(id) => {
                let version = version.ok_or(AppError::Conflict)?;
                homes::update(&mut tx, &desk, id, &fields, version, now).await?;
                id
            }
            None => homes::insert(&mut tx, &desk, &fields, now).await?,
        };
        let mut e = care_event(
            actor,
            AuditAction::CareHomeChanged,
            "care_home",
            id.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({
                "vacancies": fields.vacancies,
                "registered_places": fields.registered_places,
            })
            .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }
}
