//! Partners' datasets, each registered with its owner, agreement, lawful basis, fields,
//! refresh and how long unmatched rows may be kept.

use crate::decode::{coded, date, parse_id};
use crate::gate::MatchingDesk;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::identification::feed::{FeedKind, LawfulBasis};
use hearth_domain::ids::{OrganisationId, PartnerDatasetId, UserId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub id: PartnerDatasetId,
    /// Short name used on the command line (`--dataset attendance`).
    pub code: String,
    pub name: String,
    pub kind: FeedKind,
    pub owner: OrganisationId,
    pub owner_name: String,
    pub agreement_reference: String,
    pub agreement_from: NaiveDate,
    pub agreement_to: NaiveDate,
    pub lawful_basis: LawfulBasis,
    pub fields: String,
    pub refresh: String,
    pub unmatched_days: i64,
}

const SELECT: &str = "SELECT d.id, d.code, d.name, d.kind, d.owner_organisation_id,
    o.name AS owner_name, d.agreement_reference, d.agreement_from, d.agreement_to,
    d.lawful_basis, d.fields, d.refresh, d.unmatched_days
    FROM partner_datasets d JOIN organisations o ON o.id = d.owner_organisation_id";

fn read(r: &AnyRow) -> Result<Dataset> {
    Ok(Dataset {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: coded(r, "kind", FeedKind::from_code)?,
        owner: parse_id(&r.try_get::<String, _>("owner_organisation_id")?)?,
        owner_name: r.try_get("owner_name")?,
        agreement_reference: r.try_get("agreement_reference")?,
        agreement_from: date(&r.try_get::<String, _>("agreement_from")?)?,
        agreement_to: date(&r.try_get::<String, _>("agreement_to")?)?,
        lawful_basis: coded(r, "lawful_basis", LawfulBasis::from_code)?,
        fields: r.try_get("fields")?,
        refresh: r.try_get("refresh")?,
        unmatched_days: r.try_get("unmatched_days")?,
    })
}

/// Registers a dataset (`id` and `owner_name` are ignored: new and looked up).
pub async fn insert(
    conn: &mut Conn,
    desk: &MatchingDesk,
    d: &Dataset,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_datasets (id, code, name, kind, owner_organisation_id,
            agreement_reference, agreement_from, agreement_to, lawful_basis, fields, refresh,
            unmatched_days, registered_by, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(d.id.to_string())
    .bind(&d.code)
    .bind(&d.name)
    .bind(d.kind.code())
    .bind(d.owner.to_string())
    .bind(&d.agreement_reference)
    .bind(d.agreement_from.to_string())
    .bind(d.agreement_to.to_string())
    .bind(d.lawful_basis.code())
    .bind(&d.fields)
    .bind(&d.refresh)
    .bind(d.unmatched_days)
    .bind(desk.analyst().to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Every dataset, by name.
pub async fn list(conn: &mut Conn) -> Result<Vec<Dataset>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY d.name, d.code"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(read).collect()
}

/// The dataset with this code, if any.
pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<Dataset>> {
    let row = sqlx::query(&format!("{SELECT} WHERE d.code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(read).transpose()
}

/// Who registered a dataset: its owner analyst, as whom files dropped for it are imported.
pub async fn registered_by(conn: &mut Conn, dataset: PartnerDatasetId) -> Result<UserId> {
    let row = sqlx::query("SELECT registered_by FROM partner_datasets WHERE id = $1")
        .bind(dataset.to_string())
        .fetch_one(conn)
        .await?;
    parse_id(&row.try_get::<String, _>("registered_by")?)
}
