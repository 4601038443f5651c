//! Producing returns: Ofsted's Annex A early-help lists for an inspection date, and the
//! early-help tables of the Standard Safeguarding Dataset for a period. The gate decides who
//! may (those whose roles may produce returns) and records each opening and refusal; the lists are worked out by the rules in
//! [`hearth_domain::returns`].

use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::care::ssda903::{self, CollectionYear};
use hearth_domain::returns::annex_a::{self, AnnexA};
use hearth_domain::returns::ssd::{self, Dataset};
use hearth_domain::returns::{ReturnKind, Window};
use hearth_domain::role::Capability;
use hearth_store::care::ssda903 as care_return;
use hearth_store::returns;

impl Hearth {
    /// Lets the user at the returns page when their roles may produce returns; otherwise the
    /// refusal is recorded like any other.
    pub async fn may_produce_returns(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Capability::ProduceReturns).await
    }

    /// Annex A's lists 1 and 2 for an inspection on `on`.
    pub async fn annex_a(&self, actor: &Actor, on: NaiveDate) -> Result<AnnexA, AppError> {
        let opened = self
            .gate
            .open_return(
                &self.viewer(actor),
                ReturnKind::AnnexA,
                Window::six_months_to(on),
            )
            .await?;
        let mut conn = self.store.read().await?;
        let contacts = returns::contacts(&mut conn, &opened).await?;
        let early_help = returns::early_help(&mut conn, &opened).await?;
        Ok(annex_a::lists(on, &contacts, &early_help))
    }

    /// The Standard Safeguarding Dataset's early-help tables for `window`.
    pub async fn safeguarding_dataset(
        &self,
        actor: &Actor,
        window: Window,
    ) -> Result<Dataset, AppError> {
        let opened = self
            .gate
            .open_return(&self.viewer(actor), ReturnKind::SafeguardingDataset, window)
            .await?;
        let mut conn = self.store.read().await?;
        let contacts = returns::contacts(&mut conn, &opened).await?;
        let early_help = returns::early_help(&mut conn, &opened).await?;
        let involvements = returns::involvements(&mut conn, &opened).await?;
        Ok(ssd::tables(window, &contacts, &early_help, &involvements))
    }

    /// The SSDA903 return's files for a collection year, with the problems Hearth found in
    /// the record before they go (ADR 0053). Opened through the gate like any return.
    pub async fn ssda903(
        &self,
        actor: &Actor,
        year: CollectionYear,
    ) -> Result<ssda903::Return, AppError> {
        let window = Window {
            from: year.first_day(),
            to: year.last_day(),
        };
        let opened = self
            .gate
            .open_return(&self.viewer(actor), ReturnKind::Ssda903, window)
            .await?;
        let mut conn = self.store.read().await?;
        let children = care_return::children(&mut conn, &opened).await?;
        Ok(ssda903::generate(year, &children))
    }
}
