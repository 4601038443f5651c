//! Records with history are deactivated, never deleted: one rule for every such table.

use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::time::to_text;

/// Tables whose rows are deactivated rather than deleted.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Deactivatable {
    Organisations,
    Teams,
    Users,
}

impl Deactivatable {
    fn table(self) -> &'static str {
        match self {
            Deactivatable::Organisations => "organisations",
            Deactivatable::Teams => "teams",
            Deactivatable::Users => "users",
        }
    }
}

/// Marks a row active or not, moving its version on so an open edit form cannot undo it.
pub(crate) async fn set_active(
    conn: &mut Conn,
    what: Deactivatable,
    id: String,
    active: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        what.table()
    ))
    .bind(i64::from(active))
    .bind(to_text(now))
    .bind(id)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
