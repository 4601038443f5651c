//! Information rights (UK GDPR, the Data Protection Act 2018): subject access requests from
//! the data protection officer's queue to the released document, and the officer's reports.
//! Every step is audited; gathering goes through the gate ([`hearth_store::gate::OpenedSubject`]).

pub mod document;
mod erasure;
pub mod pdf;
mod reports;
mod requests;
mod retention;

pub use erasure::{DecisionForm, RightsForm};
pub use reports::PersonViewings;
pub use requests::{ExtendForm, QueueRow, SarForm, SarReview};
pub use retention::{CarriedOut, HoldForm, RetentionOverview, RunReview};
