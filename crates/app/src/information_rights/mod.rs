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

use chrono::NaiveDate;
use hearth_domain::date_parts::DateParts;
use hearth_domain::input::FieldErrors;

/// The day a request (subject access, erasure or restriction) was received: a real date, given,
/// and not in the future.
fn received_on(e: &mut FieldErrors, received: &DateParts, today: NaiveDate) -> Option<NaiveDate> {
    match received.read("The date the request was received") {
        Err(err) => {
            e.add("received", err.message);
            None
        }
        Ok(None) => {
            e.add("received", "Enter the date the request was received");
            None
        }
        Ok(Some(d)) if d > today => {
            e.add(
                "received",
                "The date the request was received must be today or in the past",
            );
            None
        }
        Ok(Some(d)) => Some(d),
    }
}
