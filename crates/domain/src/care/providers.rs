//! Providers of homes and fostering households (ADR 0055): the council itself, a company or a
//! charity, with their framework memberships and block contracts over time. A home's route —
//! the strategy's order of looking (in-house, block, framework, spot) — follows from its
//! provider's contracts on the day, so it changes when a contract begins or ends without anyone
//! editing the home.

use super::Route;
use chrono::NaiveDate;

coded!(
    /// Who runs a provider's homes.
    ProviderKind {
        LocalAuthority => ("local_authority", "The council (local authority)"),
        OtherLocalAuthority => ("other_local_authority", "Another council"),
        OtherPublic => ("other_public", "Another public body (the NHS, say)"),
        Private => ("private", "Private"),
        Voluntary => ("voluntary", "Voluntary or charity"),
    }
);

coded!(
    /// How the council buys from a provider other than by the placement (spot purchase).
    ContractKind {
        Framework => ("framework", "Framework membership"),
        Block => ("block", "Block contract"),
    }
);

/// A framework membership or block contract, from its first day to its last (open-ended when
/// none); a block contract buys a number of places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub kind: ContractKind,
    /// The framework's or contract's name, as the commissioning team knows it (D2N2, ...).
    pub name: String,
    pub places: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Contract {
    /// In force on `on`.
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.starts_on <= on && self.ends_on.is_none_or(|e| on <= e)
    }
}

/// The route of a provider's homes on `on`: the council's own are in-house; a block contract
/// in force comes before a framework membership in force; otherwise a spot purchase.
pub fn route_on(kind: ProviderKind, contracts: &[Contract], on: NaiveDate) -> Route {
    let in_force = |k: ContractKind| contracts.iter().any(|c| c.kind == k && c.covers(on));
    if kind == ProviderKind::LocalAuthority {
        Route::InHouse
    } else if in_force(ContractKind::Block) {
        Route::Block
    } else if in_force(ContractKind::Framework) {
        Route::Framework
    } else {
        Route::Spot
    }
}

/// The DfE's `PLACE_PROVIDER` for a provider's kind: the council's own (`PR1`), another
/// council (`PR2`), another public body (`PR3`), private (`PR4`) or voluntary (`PR5`).
pub fn place_provider(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::LocalAuthority => "PR1",
        ProviderKind::OtherLocalAuthority => "PR2",
        ProviderKind::OtherPublic => "PR3",
        ProviderKind::Private => "PR4",
        ProviderKind::Voluntary => "PR5",
    }
}

/// A provider's kind from the DfE's `PLACE_PROVIDER`; none for a parent's (`PR0`) or the
/// council's own (`PR1`), where nothing is bought.
pub fn kind_of_place_provider(code: &str) -> Option<ProviderKind> {
    match code {
        "PR2" => Some(ProviderKind::OtherLocalAuthority),
        "PR3" => Some(ProviderKind::OtherPublic),
        "PR4" => Some(ProviderKind::Private),
        "PR5" => Some(ProviderKind::Voluntary),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_route_follows_the_contracts_in_force_on_the_day() {
        let contracts = [
            Contract {
                kind: ContractKind::Framework,
                name: "D2N2 fostering".into(),
                places: None,
                starts_on: d(2023, 4, 1),
                ends_on: None,
            },
            Contract {
                kind: ContractKind::Block,
                name: "Sherwood block".into(),
                places: Some(4),
                starts_on: d(2024, 4, 1),
                ends_on: Some(d(2025, 3, 31)),
            },
        ];
        let on = |day| route_on(ProviderKind::Private, &contracts, day);
        assert_eq!(on(d(2023, 3, 31)), Route::Spot, "before any contract");
        assert_eq!(on(d(2023, 4, 1)), Route::Framework);
        assert_eq!(on(d(2024, 4, 1)), Route::Block, "block before framework");
        assert_eq!(on(d(2025, 3, 31)), Route::Block, "the last day is in it");
        assert_eq!(on(d(2025, 4, 1)), Route::Framework);
        assert_eq!(
            route_on(ProviderKind::LocalAuthority, &[], d(2025, 4, 1)),
            Route::InHouse
        );
        for kind in ProviderKind::ALL.iter().copied() {
            let code = place_provider(kind);
            match kind {
                ProviderKind::LocalAuthority => assert_eq!(kind_of_place_provider(code), None),
                other => assert_eq!(kind_of_place_provider(code), Some(other), "{code}"),
            }
        }
        assert_eq!(place_provider(ProviderKind::Voluntary), "PR5");
    }
}
