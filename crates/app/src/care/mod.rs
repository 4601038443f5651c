//! Children in care (issue 22, ADR 0034): a social worker records a child coming into care
//! and asks the placements team for a home, with the child's wishes in their own words; the
//! placements team keeps homes and vacancies, sees the homes ranked for each request in the
//! strategy's order with why, and places the child or records that no home was suitable;
//! placements end with the DfE's reason, and the child's record shows where they have lived,
//! how far from home, and the DfE's stability measures. Every step goes through the gate and
//! is audited.

mod children;
mod forms;
mod homes;
mod import903;
mod leavers;
mod legal_status;
mod located;
mod requests;
mod sufficiency;

pub use children::{ChildInCare, PlacedView};
pub use forms::{
    ContractForm, EndCareForm, EndForm, HomeForm, LeaverForm, PlaceForm, ProviderForm, RequestForm,
    StartForm, UnmetForm,
};
pub use hearth_store::care::homes::{Home, HomeFields};
pub use hearth_store::care::import903::Saved;
pub use hearth_store::care::legal_status::StatusChange;
pub use hearth_store::care::periods::{CaseloadChild, Period, Placement};
pub use hearth_store::care::providers::{Provider, ProviderFields};
pub use hearth_store::care::requests::{PlacementRequest, RequestLine};
pub use hearth_store::gate::CareStanding;
pub use import903::{year_of, ImportedLine, ReturnFile, ReturnImport, Unresolved};
pub use legal_status::LegalStatusForm;
pub(crate) use located::LocatedHomes;
pub use requests::{ProposedHome, RequestView};
pub use sufficiency::{ShownTable, Sufficiency};

use crate::accounts::auth::event;
use crate::Actor;
use chrono::{DateTime, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::directory::{Coordinates, Postcode};
use hearth_store::Conn;

fn care_event(
    actor: &Actor,
    action: AuditAction,
    record_type: &'static str,
    id: String,
    now: DateTime<Utc>,
    detail: Option<serde_json::Value>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some(record_type);
    e.record_id = Some(id);
    e.detail = detail.map(|d| d.to_string());
    e
}

/// Where a postcode is, from Hearth's postcode data; `None` when it is not there.
async fn locate(
    conn: &mut Conn,
    postcode: Option<&Postcode>,
) -> Result<Option<Coordinates>, hearth_store::StoreError> {
    match postcode {
        Some(p) => hearth_store::directory::locate(conn, p).await,
        None => Ok(None),
    }
}
