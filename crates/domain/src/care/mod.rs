//! Children in care (issue 22): the DfE's SSDA903 codes for a period of care and a
//! placement, the strategy's kinds of placement and commissioning routes, whether a placement
//! is local, the ranking of homes for a placement request, and the DfE's stability measures.
//! Pure rules; the store keeps the codes, the app asks these.

#[macro_use]
mod codes;
pub mod import903;
pub mod leavers;
mod legal_status;
mod locality;
pub mod providers;
mod ranking;
pub mod ssda903;
mod stability;
pub mod sufficiency;

pub use codes::{
    CategoryOfNeed, CeaseReason, EndReason, LegalStatus, Offer, OfstedRating, PlacementType,
    RequestStatus, Route, SufficiencyKind, Urgency,
};
pub use legal_status::{ChangeProblem, StatusHistory};
pub use locality::{miles_between, LocalArea, Locality};
pub use ranking::{rank, Candidate, Proposal, Ranked, Reason, Search};
pub use stability::{breakdowns_warning, long_term_stable, three_or_more, Stay, BREAKDOWNS_WARN};
