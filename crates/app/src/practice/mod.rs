//! Practice support (issue 26): the Threshold of Need and toolkits the partnership writes,
//! challenges to front-door decisions, and consultations with a Family Hub's TAF Workers.

mod challenges;
mod consultations;
mod threshold;
mod toolkits;

pub use challenges::{ChallengeForm, ChallengeUpdate, Challenges};
pub use consultations::{AnswerForm, ConsultationForm, HubQueue};
pub use threshold::{ThresholdForm, ThresholdInForce};
pub use toolkits::{ToolkitForm, ToolkitPage};

/// The records these use cases return, for the layers above to display.
pub use hearth_store::practice::challenges::{Challenge, Figures, StageSpan};
pub use hearth_store::practice::consultations::{Consultation, Waiting};
pub use hearth_store::practice::threshold::Edition;
pub use hearth_store::practice::toolkits::{Page, PageLine, VersionLine};

use crate::accounts::auth::event;
use crate::Actor;
use chrono::{DateTime, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::audit::NewAuditEvent;

fn practice_event(
    actor: &Actor,
    action: AuditAction,
    record_type: &'static str,
    id: String,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some(record_type);
    e.record_id = Some(id);
    e
}
