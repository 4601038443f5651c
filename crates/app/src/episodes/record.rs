//! Saving a step in a family's help: the change, the line in the family's chronology and the
//! audit event that says who did it are kept in one write transaction.

use crate::AppError;
use hearth_domain::audit::NewAuditEvent;
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::{audit, Store, Tx};

/// A step in a family's help is saved with its chronology entry and audit event, all or nothing.
pub(crate) async fn record_step(
    mut tx: Tx,
    entry: &NewEntry<'_>,
    event: &NewAuditEvent,
) -> Result<(), AppError> {
    chronology::append(&mut tx, entry).await?;
    audit::append(&mut tx, event).await?;
    Store::commit(tx).await?;
    Ok(())
}
