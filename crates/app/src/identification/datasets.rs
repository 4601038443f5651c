//! Registering a partner's dataset: who owns it, under which agreement and lawful basis, what
//! it holds, how often it comes and how long rows that match nobody may be kept.

use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::feed::{read_date, FeedKind, LawfulBasis};
use hearth_domain::ids::{OrganisationId, PartnerDatasetId};
use hearth_domain::input::{required_text, FieldErrors};
use hearth_store::identification::datasets::{self, Dataset};
use hearth_store::{accounts, audit, Store};
use serde::Deserialize;

/// The registration form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DatasetForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub agreement_reference: String,
    #[serde(default)]
    pub agreement_from: String,
    #[serde(default)]
    pub agreement_to: String,
    #[serde(default)]
    pub lawful_basis: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub refresh: String,
    #[serde(default)]
    pub unmatched_days: String,
}

impl Hearth {
    /// Registers a partner's dataset (partner data analysts only). Audited.
    pub async fn register_dataset(
        &self,
        actor: &Actor,
        form: &DatasetForm,
    ) -> Result<Dataset, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut e = FieldErrors::new();
        let code = required_text(&mut e, "code", "a short code", &form.code, 40).to_lowercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            e.add("code", "Code must be letters, digits, - or _ only");
        }
        let name = required_text(&mut e, "name", "the dataset's name", &form.name, 200);
        let kind = FeedKind::from_code(&form.kind);
        if kind.is_none() {
            e.add("kind", "Choose what kind of data the partner shares");
        }
        let owner: Option<OrganisationId> = form.owner.trim().parse().ok();
        let mut conn = self.store.read().await?;
        let owners = accounts::organisations::list(&mut conn).await?;
        let taken = datasets::by_code(&mut conn, &code).await?.is_some();
        drop(conn);
        if !owners.iter().any(|o| Some(o.id) == owner) {
            e.add("owner", "Choose the organisation that owns the data");
        }
        if taken {
            e.add("code", "A dataset already has this code; choose another");
        }
        let reference = required_text(
            &mut e,
            "agreement_reference",
            "the data-sharing agreement's reference",
            &form.agreement_reference,
            100,
        );
        let from = read_date(&form.agreement_from);
        if from.is_none() {
            e.add(
                "agreement_from",
                "Enter the date the agreement starts, like 2025-04-01",
            );
        }
        let to = read_date(&form.agreement_to);
        match (from, to) {
            (_, None) => e.add(
                "agreement_to",
                "Enter the date the agreement ends, like 2027-03-31",
            ),
            (Some(f), Some(t)) if t < f => {
                e.add("agreement_to", "The agreement must end after it starts")
            }
            _ => {}
        }
        let basis = LawfulBasis::from_code(&form.lawful_basis);
        if basis.is_none() {
            e.add(
                "lawful_basis",
                "Choose the lawful basis the partner shares on",
            );
        }
        let fields = required_text(&mut e, "fields", "the fields shared", &form.fields, 500);
        let refresh = required_text(
            &mut e,
            "refresh",
            "how often it is refreshed",
            &form.refresh,
            100,
        );
        let days = form
            .unmatched_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d));
        if days.is_none() {
            e.add(
                "unmatched_days",
                "Enter how many days rows that match nobody may be kept, from 0 to 3650",
            );
        }
        let (Some(kind), Some(owner), Some(from), Some(to), Some(basis), Some(days)) =
            (kind, owner, from, to, basis, days)
        else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let d = Dataset {
            id: PartnerDatasetId::new(),
            code,
            name,
            kind,
            owner,
            owner_name: owners
                .iter()
                .find(|o| o.id == owner)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            agreement_reference: reference,
            agreement_from: from,
            agreement_to: to,
            lawful_basis: basis,
            fields,
            refresh,
            unmatched_days: days,
        };
        let mut ev = self.identification_event(actor, AuditAction::PartnerDatasetRegistered);
        ev.record_type = Some("partner_dataset");
        ev.record_id = Some(d.id.to_string());
        ev.detail = Some(serde_json::json!({ "code": d.code, "kind": d.kind.code() }).to_string());
        let mut tx = self.store.write().await?;
        datasets::insert(&mut tx, &desk, &d, self.now()).await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(d)
    }

    /// The registered datasets (partner data analysts only).
    pub async fn partner_datasets(&self, actor: &Actor) -> Result<Vec<Dataset>, AppError> {
        self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(datasets::list(&mut conn).await?)
    }
}

impl Hearth {
    /// The organisations a dataset may be owned by, for the registration form (partner data
    /// analysts only).
    pub async fn dataset_owners(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(OrganisationId, String)>, AppError> {
        self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(accounts::organisations::list(&mut conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect())
    }
}
