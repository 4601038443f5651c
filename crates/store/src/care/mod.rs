//! Children in care (ADR 0034): periods of care and placements, the homes and fostering
//! households the placements team keeps, and placement requests. A child's record is read and
//! changed only through the gate's proofs (`OpenedChildInCare`, `OpenedPlacementRequest`);
//! homes, which hold no child's data, through the placements desk.

pub mod homes;
pub mod import903;
pub mod leavers;
pub mod legal_status;
pub mod periods;
pub mod providers;
pub mod requests;
pub mod ssda903;
pub mod sufficiency;

use crate::{Result, StoreError};
use hearth_domain::care::Offer;
use hearth_domain::directory::Postcode;

/// Offers as stored: their codes, space-separated.
fn offers_text(offers: &[Offer]) -> String {
    offers
        .iter()
        .map(|o| o.code())
        .collect::<Vec<_>>()
        .join(" ")
}

fn offers_of(text: &str) -> Result<Vec<Offer>> {
    text.split_whitespace()
        .map(|c| {
            Offer::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("not an offer: {c}")))
        })
        .collect()
}

fn postcode(text: &str) -> Result<Postcode> {
    Postcode::parse(text).ok_or_else(|| StoreError::Corrupt(format!("not a postcode: {text}")))
}
