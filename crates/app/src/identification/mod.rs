//! Early identification (issue 19, ADR 0035): partners' datasets registered with their
//! agreements ([`datasets`]), their files imported and matched to the family record in one
//! transaction ([`imports`]), uncertain matches decided by a person ([`review`]), and the
//! worklist of families identified, not yet supported, with every reason ([`worklist`]), under
//! the partnership's indicators, kept as versions ([`indicators`]).
//! People decide; Hearth never acts on a family by itself.

mod datasets;
mod drops;
mod fairness;
mod files;
mod imports;
mod indicators;
pub(crate) mod jobs;
mod review;
pub(crate) mod worklist;

pub use datasets::DatasetForm;
pub use drops::Dropped;
pub use fairness::Fairness;
pub use files::{PartnerFile, RowProblem};
pub use hearth_domain::identification::indicators::IndicatorForm;
pub use hearth_store::identification::datasets::Dataset;
pub use hearth_store::identification::indicators::Version as IndicatorVersion;
pub use hearth_store::identification::jobs::JobProblem;
pub use hearth_store::identification::records::{ImportCounts, Pending};
pub use imports::{ImportReport, Matching, PartnerFilePolicy};
pub use indicators::Indicators;
pub use jobs::ImportJob;
pub use review::ReviewForm;
pub use worklist::{Evidence, IdentifiedFamily, OutreachForm, Reason, Worklist};

use crate::accounts::auth::event;
use crate::{Actor, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};

impl Hearth {
    fn identification_event(&self, actor: &Actor, action: AuditAction) -> NewAuditEvent {
        event(Some(actor), &actor.email, action, &actor.origin, self.now())
    }
}
