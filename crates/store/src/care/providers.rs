//! Providers of homes and fostering households, kept by the commissioning (placements) team
//! through the placements desk (ADR 0055): name, Ofsted provider URN, kind, and each framework
//! membership and block contract with its dates. No child's data: the desk opens them.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::gate::PlacementsDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::providers::{route_on, Contract, ContractKind, ProviderKind};
use hearth_domain::care::Route;
use hearth_domain::ids::{CareProviderId, ProviderContractId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// What the commissioning team records about a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFields {
    pub name: String,
    pub ofsted_urn: Option<String>,
    pub kind: ProviderKind,
}

/// A provider with its contracts (oldest first) and how many homes it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: CareProviderId,
    pub fields: ProviderFields,
    pub version: i64,
    pub contracts: Vec<(ProviderContractId, Contract)>,
    pub homes: i64,
}

impl Provider {
    /// The route of its homes on `on`.
    pub fn route_on(&self, on: NaiveDate) -> Route {
        let contracts: Vec<Contract> = self.contracts.iter().map(|(_, c)| c.clone()).collect();
        route_on(self.fields.kind, &contracts, on)
    }
}

fn read(r: &AnyRow) -> Result<Provider> {
    Ok(Provider {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        fields: ProviderFields {
            name: r.try_get("name")?,
            ofsted_urn: r.try_get("ofsted_urn")?,
            kind: coded(r, "kind", ProviderKind::from_code)?,
        },
        version: r.try_get("version")?,
        contracts: Vec::new(),
        homes: r.try_get("homes")?,
    })
}

/// Every provider by name, with its contracts: two reads.
pub async fn list(conn: &mut Conn, _desk: &PlacementsDesk) -> Result<Vec<Provider>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.ofsted_urn, p.kind, p.version,
            (SELECT COUNT(*) FROM care_homes h WHERE h.provider_id = p.id) AS homes
         FROM care_providers p ORDER BY p.name, p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut providers = rows.iter().map(read).collect::<Result<Vec<_>>>()?;
    let at: HashMap<String, usize> = providers
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.to_string(), i))
        .collect();
    let rows = sqlx::query(
        "SELECT id, provider_id, kind, name, places, starts_on, ends_on
         FROM care_provider_contracts ORDER BY provider_id, starts_on, id",
    )
    .fetch_all(conn)
    .await?;
    for r in &rows {
        if let Some(i) = at.get(&r.try_get::<String, _>("provider_id")?) {
            providers[*i].contracts.push(contract(r)?);
        }
    }
    Ok(providers)
}

fn contract(r: &AnyRow) -> Result<(ProviderContractId, Contract)> {
    Ok((
        parse_id(&r.try_get::<String, _>("id")?)?,
        Contract {
            kind: coded(r, "kind", ContractKind::from_code)?,
            name: r.try_get("name")?,
            places: r.try_get("places")?,
            starts_on: date(&r.try_get::<String, _>("starts_on")?)?,
            ends_on: opt_date(r.try_get("ends_on")?)?,
        },
    ))
}

pub async fn get(conn: &mut Conn, _desk: &PlacementsDesk, id: CareProviderId) -> Result<Provider> {
    let row = sqlx::query(
        "SELECT p.id, p.name, p.ofsted_urn, p.kind, p.version,
            (SELECT COUNT(*) FROM care_homes h WHERE h.provider_id = p.id) AS homes
         FROM care_providers p WHERE p.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let mut p = read(&row)?;
    let rows = sqlx::query(
        "SELECT id, provider_id, kind, name, places, starts_on, ends_on
         FROM care_provider_contracts WHERE provider_id = $1 ORDER BY starts_on, id",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    p.contracts = rows.iter().map(contract).collect::<Result<_>>()?;
    Ok(p)
}

/// The route of every provider's homes on `on`, and its name, for the homes to follow.
pub async fn routes_on(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    on: NaiveDate,
) -> Result<HashMap<CareProviderId, (String, Route)>> {
    Ok(list(conn, desk)
        .await?
        .into_iter()
        .map(|p| {
            let route = p.route_on(on);
            (p.id, (p.fields.name, route))
        })
        .collect())
}

pub async fn insert(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    f: &ProviderFields,
    at: DateTime<Utc>,
) -> Result<CareProviderId> {
    let id = CareProviderId::new();
    sqlx::query(
        "INSERT INTO care_providers (id, name, ofsted_urn, kind, updated_at, updated_by, version)
         VALUES ($1, $2, $3, $4, $5, $6, 1)",
    )
    .bind(id.to_string())
    .bind(&f.name)
    .bind(f.ofsted_urn.as_deref())
    .bind(f.kind.code())
    .bind(to_text(at))
    .bind(desk.officer().to_string())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Changes a provider as read at `version`; its homes' provider name follows.
pub async fn update(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    id: CareProviderId,
    f: &ProviderFields,
    version: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE care_providers SET name = $1, ofsted_urn = $2, kind = $3, updated_at = $4,
            updated_by = $5, version = version + 1
         WHERE id = $6 AND version = $7",
    )
    .bind(&f.name)
    .bind(f.ofsted_urn.as_deref())
    .bind(f.kind.code())
    .bind(to_text(at))
    .bind(desk.officer().to_string())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        get(conn, desk, id).await?;
        return Err(StoreError::Conflict);
    }
    sqlx::query("UPDATE care_homes SET provider = $1 WHERE provider_id = $2")
        .bind(&f.name)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a framework membership or block contract to a provider.
pub async fn add_contract(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    provider: CareProviderId,
    c: &Contract,
    at: DateTime<Utc>,
) -> Result<ProviderContractId> {
    let id = ProviderContractId::new();
    let done = sqlx::query(
        "INSERT INTO care_provider_contracts (id, provider_id, kind, name, places, starts_on,
            ends_on, created_by, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
         WHERE EXISTS (SELECT 1 FROM care_providers WHERE id = $10)",
    )
    .bind(id.to_string())
    .bind(provider.to_string())
    .bind(c.kind.code())
    .bind(&c.name)
    .bind(c.places)
    .bind(c.starts_on.to_string())
    .bind(c.ends_on.map(|d| d.to_string()))
    .bind(desk.officer().to_string())
    .bind(to_text(at))
    .bind(provider.to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(id)
    } else {
        Err(StoreError::NotFound)
    }
}

/// Ends a provider's contract on `on` (its last day), or takes back one entered by mistake
/// when it had not begun by then.
pub async fn end_contract(
    conn: &mut Conn,
    _desk: &PlacementsDesk,
    provider: CareProviderId,
    id: ProviderContractId,
    on: NaiveDate,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE care_provider_contracts SET ends_on = $1, version = version + 1
         WHERE id = $2 AND provider_id = $3 AND starts_on <= $4",
    )
    .bind(on.to_string())
    .bind(id.to_string())
    .bind(provider.to_string())
    .bind(on.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let gone =
        sqlx::query("DELETE FROM care_provider_contracts WHERE id = $1 AND provider_id = $2")
            .bind(id.to_string())
            .bind(provider.to_string())
            .execute(conn)
            .await?;
    if gone.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
