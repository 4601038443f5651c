//! Files partners drop in a dataset's watched folder, known by their content's hash, so that a
//! file is imported once however often it is dropped. A drop is recorded in its import's own
//! transaction: an import killed part-way leaves no record, and the file is picked up again.

use crate::gate::MatchingDesk;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{PartnerDatasetId, PartnerImportId};
use hearth_domain::time::to_text;
use sqlx::Row;

/// When a file with this hash was imported into the dataset, and under what name.
pub async fn seen(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    dataset: PartnerDatasetId,
    hash: &str,
) -> Result<Option<(String, DateTime<Utc>)>> {
    let row = sqlx::query(
        "SELECT file_name, dropped_at FROM partner_drops WHERE dataset_id = $1 AND hash = $2",
    )
    .bind(dataset.to_string())
    .bind(hash)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("file_name")?,
            crate::decode::parse_time(&r.try_get::<String, _>("dropped_at")?)?,
        ))
    })
    .transpose()
}

/// Records a dropped file as imported: called inside its import's transaction.
pub async fn record(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    dataset: PartnerDatasetId,
    hash: &str,
    file_name: &str,
    import: PartnerImportId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_drops (hash, dataset_id, file_name, import_id, dropped_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash)
    .bind(dataset.to_string())
    .bind(file_name)
    .bind(import.to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}
