//! The partnership indicators that come from outside Hearth (education, health, youth
//! justice): an analyst enters each period's published figure, and may correct it.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::{Quarter, Source};
use hearth_domain::role::Capability;
use hearth_store::insight::{self as store, IndicatorValue};
use hearth_store::{audit, Store};
use serde::Deserialize;

/// What the analyst typed, kept as typed so that an error loses nothing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
}

impl Hearth {
    /// Every entered figure, for the page where they are entered.
    pub async fn indicator_values(&self, actor: &Actor) -> Result<Vec<IndicatorValue>, AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let mut conn = self.store.read().await?;
        Ok(store::indicator_values(&mut conn).await?)
    }

    /// Records a published figure for a quarter (again: replaces it), audited.
    pub async fn enter_indicator(
        &self,
        actor: &Actor,
        form: &IndicatorForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let mut errors = FieldErrors::new();
        let indicator = self
            .catalogue()
            .iter()
            .find(|k| k.code == form.indicator && k.source == Source::Entered);
        if indicator.is_none() {
            errors.add("indicator", "Select the indicator the figure is for");
        }
        let period = Quarter::from_code(form.period.trim());
        if period.is_none() {
            errors.add("period", "Select the quarter the figure is for");
        }
        let value: Option<f64> = form
            .value
            .trim()
            .trim_end_matches('%')
            .replace(',', "")
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0);
        if form.value.trim().is_empty() {
            errors.add("value", "Enter the figure as published, like 37.8");
        } else if value.is_none() {
            errors.add(
                "value",
                "The figure must be a number of 0 or more, like 37.8",
            );
        }
        let note = form.note.trim();
        if note.chars().count() > 500 {
            errors.add("note", "The note must be 500 characters or fewer");
        }
        let (Some(indicator), Some(period), Some(value)) = (indicator, period, value) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::put_indicator_value(
            &mut tx,
            &indicator.code,
            &period.code(),
            value,
            (!note.is_empty()).then_some(note),
            actor.user_id,
            now,
        )
        .await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::IndicatorEntered,
            &actor.origin,
            now,
        );
        ev.record_type = Some("kpi");
        ev.record_id = Some(indicator.code.clone());
        ev.detail = Some(serde_json::json!({"period": period.code(), "value": value}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
