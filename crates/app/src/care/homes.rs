//! The placements team's homes and fostering households: listed in the strategy's order of
//! routes, added and changed (vacancies included) with a version, every change audited. And
//! the providers they belong to (ADR 0055): added and changed, with framework memberships and
//! block contracts, from which each home's route follows on the day.

use super::{care_event, ContractForm, HomeForm, ProviderForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::{CareHomeId, CareProviderId, ProviderContractId};
use hearth_domain::input::FieldErrors;
use hearth_store::care::homes::{self, Home};
use hearth_store::care::providers::{self, Provider};
use hearth_store::{audit, Store, StoreError};

impl Hearth {
    /// Every home (refused, audited, for anyone but the placements team).
    pub async fn care_homes(&self, actor: &Actor) -> Result<Vec<Home>, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let today = self.now().date_naive();
        Ok(homes::list(&mut conn, &desk, today).await?)
    }

    pub async fn care_home(&self, actor: &Actor, id: CareHomeId) -> Result<Home, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let today = self.now().date_naive();
        Ok(homes::get(&mut conn, &desk, id, today).await?)
    }

    /// Adds a home (`id` none) or changes one as read at the form's version; audited with
    /// its vacancies. A home given a provider from the list takes its name and route.
    pub async fn save_care_home(
        &self,
        actor: &Actor,
        id: Option<CareHomeId>,
        form: &HomeForm,
    ) -> Result<CareHomeId, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let today = self.now().date_naive();
        let provider = match form.provider_id.trim() {
            "" => None,
            p => {
                let chosen = match p.parse::<CareProviderId>() {
                    Ok(p) => {
                        let mut conn = self.store.read().await?;
                        match providers::get(&mut conn, &desk, p).await {
                            Ok(p) => Some(p),
                            Err(StoreError::NotFound) => None,
                            Err(e) => return Err(e.into()),
                        }
                    }
                    Err(_) => None,
                };
                let Some(chosen) = chosen else {
                    let mut e = FieldErrors::new();
                    e.add("provider_id", "Choose the provider from the list");
                    return Err(AppError::Invalid(e));
                };
                Some(chosen)
            }
        };
        let (fields, version) = form
            .check(provider.as_ref(), today)
            .map_err(AppError::Invalid)?;
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
        let e = care_event(
            actor,
            AuditAction::CareHomeChanged,
            "care_home",
            id.to_string(),
            now,
            Some(serde_json::json!({
                "vacancies": fields.vacancies,
                "registered_places": fields.registered_places,
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Every provider with its contracts (refused, audited, for anyone but the placements
    /// team, who commission them).
    pub async fn care_providers(&self, actor: &Actor) -> Result<Vec<Provider>, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(providers::list(&mut conn, &desk).await?)
    }

    pub async fn care_provider(
        &self,
        actor: &Actor,
        id: CareProviderId,
    ) -> Result<Provider, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(providers::get(&mut conn, &desk, id).await?)
    }

    /// Adds a provider (`id` none) or changes one as read at the form's version; audited.
    pub async fn save_care_provider(
        &self,
        actor: &Actor,
        id: Option<CareProviderId>,
        form: &ProviderForm,
    ) -> Result<CareProviderId, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let (fields, version) = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = match id {
            Some(id) => {
                let version = version.ok_or(AppError::Conflict)?;
                providers::update(&mut tx, &desk, id, &fields, version, now).await?;
                id
            }
            None => providers::insert(&mut tx, &desk, &fields, now).await?,
        };
        let e = care_event(
            actor,
            AuditAction::CareProviderChanged,
            "care_provider",
            id.to_string(),
            now,
            Some(serde_json::json!({ "kind": fields.kind.code() })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Adds a framework membership or block contract to a provider; audited.
    pub async fn add_provider_contract(
        &self,
        actor: &Actor,
        provider: CareProviderId,
        form: &ContractForm,
    ) -> Result<ProviderContractId, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let contract = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = providers::add_contract(&mut tx, &desk, provider, &contract, now).await?;
        let e = care_event(
            actor,
            AuditAction::CareProviderChanged,
            "care_provider",
            provider.to_string(),
            now,
            Some(serde_json::json!({
                "contract": id.to_string(),
                "kind": contract.kind.code(),
                "starts_on": contract.starts_on.to_string(),
                "ends_on": contract.ends_on.map(|d| d.to_string()),
                "places": contract.places,
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Ends a provider's contract on the day given (its last day); one that had not begun by
    /// then is taken back. Audited.
    pub async fn end_provider_contract(
        &self,
        actor: &Actor,
        provider: CareProviderId,
        contract: ProviderContractId,
        last_day: &DateParts,
    ) -> Result<(), AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let on = match last_day.read("The last day of the contract") {
            Ok(Some(d)) => d,
            Ok(None) => {
                let mut e = FieldErrors::new();
                e.add("ends", "Enter the last day of the contract");
                return Err(AppError::Invalid(e));
            }
            Err(why) => {
                let mut e = FieldErrors::new();
                e.add("ends", why.message);
                return Err(AppError::Invalid(e));
            }
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        providers::end_contract(&mut tx, &desk, provider, contract, on).await?;
        let e = care_event(
            actor,
            AuditAction::CareProviderChanged,
            "care_provider",
            provider.to_string(),
            now,
            Some(
                serde_json::json!({ "contract": contract.to_string(), "ends_on": on.to_string() }),
            ),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
