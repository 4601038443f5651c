//! The partnership's indicators, listed, added, changed and retired by its data lead (the
//! partner data analyst, who registers the datasets they read) in a page. Each change is a new
//! version with who made it and when, and is audited with what it was and what it became; the
//! worklist names the version that fired (ADR 0057).

use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::indicators::{read, Indicator, IndicatorForm};
use hearth_domain::input::FieldErrors;
use hearth_store::gate::MatchingDesk;
use hearth_store::identification::indicators::{self as store, Version};
use hearth_store::{audit, Store};

/// The indicators for the page: each one's latest version (retired ones too), and every
/// version, oldest first, for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicators {
    pub latest: Vec<Version>,
    pub versions: Vec<Version>,
}

impl Indicators {
    /// The versions of one indicator, oldest first.
    pub fn history(&self, code: &str) -> Vec<&Version> {
        self.versions
            .iter()
            .filter(|v| v.indicator.code == code)
            .collect()
    }
}

/// How a version changed its indicator, for the audit log and the history.
fn change(from: Option<&Version>, retired: bool) -> &'static str {
    match (from, retired) {
        (None, _) => "added",
        (Some(_), true) => "retired",
        (Some(f), false) if f.retired => "restored",
        (Some(_), false) => "changed",
    }
}

/// An indicator in a line, as the audit log keeps what it was and what it became.
fn summary(i: &Indicator) -> String {
    let needs: Vec<&str> = i.needs.iter().map(|n| n.code()).collect();
    let levels: Vec<String> = i.levels.iter().map(|l| l.number().to_string()).collect();
    format!(
        "{} | {} | {} | needs {} | levels {}",
        i.label,
        i.feed.code(),
        i.rule.describe(i.event),
        needs.join(","),
        levels.join(",")
    )
}

impl Hearth {
    /// Every indicator, with its history (the data lead only).
    pub async fn identification_indicators(&self, actor: &Actor) -> Result<Indicators, AppError> {
        self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(Indicators {
            latest: store::latest(&mut conn).await?,
            versions: store::versions(&mut conn).await?,
        })
    }

    /// Adds an indicator (`code` is `None`) or changes the one with `code`, keeping the change
    /// as its next version. A change made from a version that is no longer the latest is
    /// refused, so someone else's change is never overwritten unseen; a change that changes
    /// nothing is refused too. Changing a retired indicator brings it back. Audited.
    pub async fn save_indicator(
        &self,
        actor: &Actor,
        code: Option<&str>,
        form: &IndicatorForm,
    ) -> Result<Indicator, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut form = form.clone();
        if let Some(code) = code {
            form.code = code.to_string();
        }
        let typed = read(&form);
        let mut tx = self.store.write().await?;
        let latest = store::latest_of(&mut tx, &form.code.trim().to_lowercase()).await?;
        let mut e = match &typed {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        match (code, &latest) {
            (None, Some(_)) => e.add(
                "code",
                "An indicator already has this code; choose another, or change that indicator",
            ),
            (Some(_), None) => return Err(AppError::NotFound),
            (Some(_), Some(l)) if form.from_version.trim() != l.indicator.version.to_string() => e
                .add(
                    "label",
                    format!(
                        "Someone changed this indicator since you opened it: it is now version {}, \
                         shown in its history. Check their change, then save yours again",
                        l.indicator.version
                    ),
                ),
            (Some(_), Some(l)) => {
                if let Ok(i) = &typed {
                    if !l.retired && i.same_as(&l.indicator) {
                        e.add(
                            "label",
                            format!(
                                "Nothing was changed: this is version {} as it is",
                                l.indicator.version
                            ),
                        )
                    }
                }
            }
            (None, None) => {}
        }
        let (Ok(mut indicator), true) = (typed, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        indicator.version = latest.as_ref().map_or(1, |l| l.indicator.version + 1);
        self.keep_version(&mut tx, actor, &desk, &indicator, latest.as_ref(), false)
            .await?;
        Store::commit(tx).await?;
        Ok(indicator)
    }

    /// Retires an indicator: a new version that fires no more. Retiring from a version that is
    /// no longer the latest is refused (`Conflict`); retiring a retired one does nothing.
    pub async fn retire_indicator(
        &self,
        actor: &Actor,
        code: &str,
        from_version: &str,
    ) -> Result<(), AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let mut tx = self.store.write().await?;
        let Some(latest) = store::latest_of(&mut tx, code).await? else {
            return Err(AppError::NotFound);
        };
        if latest.retired {
            return Ok(());
        }
        if from_version.trim() != latest.indicator.version.to_string() {
            return Err(AppError::Conflict);
        }
        let next = Indicator {
            version: latest.indicator.version + 1,
            ..latest.indicator.clone()
        };
        self.keep_version(&mut tx, actor, &desk, &next, Some(&latest), true)
            .await?;
        Store::commit(tx).await?;
        Ok(())
    }

    async fn keep_version(
        &self,
        tx: &mut hearth_store::Conn,
        actor: &Actor,
        desk: &MatchingDesk,
        i: &Indicator,
        from: Option<&Version>,
        retired: bool,
    ) -> Result<(), AppError> {
        let mut ev = self.identification_event(actor, AuditAction::IdentificationIndicatorChanged);
        ev.record_type = Some("identification_indicator");
        ev.record_id = Some(i.code.clone());
        ev.detail = Some(
            serde_json::json!({
                "version": i.version,
                "change": change(from, retired),
                "from": from.map(|f| summary(&f.indicator)),
                "to": summary(i),
            })
            .to_string(),
        );
        store::insert(tx, desk, i, retired, self.now()).await?;
        audit::append(tx, &ev).await?;
        Ok(())
    }
}
