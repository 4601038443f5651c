//! Homes and fostering households, kept current by the placements team: type, route, Ofsted
//! registration and rating, places and vacancies, ages, what they offer, where, and cost.

use super::{offers_of, offers_text, postcode};
use crate::decode::{coded, opt_coded, opt_date, parse_id};
use crate::gate::PlacementsDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::{Offer, OfstedRating, PlacementType, Route};
use hearth_domain::directory::{Coordinates, Postcode};
use hearth_domain::ids::{CareHomeId, CareProviderId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// What the placements team records about a home.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeFields {
    pub name: String,
    /// The provider's name; kept from its record when the home has one.
    pub provider: String,
    /// The provider in the providers table (ADR 0055); its contracts give the route.
    pub provider_id: Option<CareProviderId>,
    /// As stored; for a home with a provider, read as the provider's route on the day.
    pub route: Route,
    pub placement_type: PlacementType,
    pub ofsted_urn: Option<String>,
    pub rating: Option<OfstedRating>,
    pub rated_on: Option<NaiveDate>,
    pub registered_places: i64,
    pub vacancies: i64,
    pub age_from: i64,
    pub age_to: i64,
    pub offers: Vec<Offer>,
    pub postcode: Postcode,
    pub weekly_cost_pence: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Home {
    pub id: CareHomeId,
    pub fields: HomeFields,
    pub version: i64,
}

const COLUMNS: &str = "id, name, provider, route, placement_type, ofsted_urn, rating, rated_on,
    registered_places, vacancies, age_from, age_to, offers, postcode, weekly_cost_pence, version,
    provider_id";

fn read(r: &AnyRow) -> Result<Home> {
    Ok(Home {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        fields: HomeFields {
            name: r.try_get("name")?,
            provider: r.try_get("provider")?,
            provider_id: r
                .try_get::<Option<String>, _>("provider_id")?
                .map(|p| parse_id(&p))
                .transpose()?,
            route: coded(r, "route", Route::from_code)?,
            placement_type: coded(r, "placement_type", PlacementType::from_code)?,
            ofsted_urn: r.try_get("ofsted_urn")?,
            rating: opt_coded(r, "rating", OfstedRating::from_code)?,
            rated_on: opt_date(r.try_get("rated_on")?)?,
            registered_places: r.try_get("registered_places")?,
            vacancies: r.try_get("vacancies")?,
            age_from: r.try_get("age_from")?,
            age_to: r.try_get("age_to")?,
            offers: offers_of(&r.try_get::<String, _>("offers")?)?,
            postcode: postcode(&r.try_get::<String, _>("postcode")?)?,
            weekly_cost_pence: r.try_get("weekly_cost_pence")?,
        },
        version: r.try_get("version")?,
    })
}

/// Each home with a provider takes its provider's name and its route on `on` (ADR 0055).
async fn follow_providers<'h>(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    homes: impl Iterator<Item = &'h mut Home>,
    on: NaiveDate,
) -> Result<()> {
    let routes = super::providers::routes_on(conn, desk, on).await?;
    for h in homes {
        if let Some((name, route)) = h.fields.provider_id.and_then(|p| routes.get(&p)) {
            h.fields.provider.clone_from(name);
            h.fields.route = *route;
        }
    }
    Ok(())
}

/// Every home as it is on `on`, in the strategy's order of routes, then by name.
pub async fn list(conn: &mut Conn, desk: &PlacementsDesk, on: NaiveDate) -> Result<Vec<Home>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM care_homes"))
        .fetch_all(&mut *conn)
        .await?;
    let mut homes = rows.iter().map(read).collect::<Result<Vec<_>>>()?;
    follow_providers(conn, desk, homes.iter_mut(), on).await?;
    homes.sort_by(|a, b| {
        (a.fields.route, &a.fields.name, a.id).cmp(&(b.fields.route, &b.fields.name, b.id))
    });
    Ok(homes)
}

/// Every home as it is on `on`, with where its postcode is (`None` when the postcode data
/// does not have it), in one read and the providers': the placement search ranks them all.
pub async fn list_located(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    on: NaiveDate,
) -> Result<Vec<(Home, Option<Coordinates>)>> {
    let rows = sqlx::query(&format!(
        "SELECT c.*, pc.latitude, pc.longitude FROM (SELECT {COLUMNS} FROM care_homes) c
         LEFT JOIN postcodes pc ON pc.postcode = c.postcode"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut homes = rows
        .iter()
        .map(|r| {
            let la: Option<f64> = r.try_get("latitude")?;
            let lo: Option<f64> = r.try_get("longitude")?;
            Ok((
                read(r)?,
                la.zip(lo).and_then(|(la, lo)| Coordinates::new(la, lo)),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    follow_providers(conn, desk, homes.iter_mut().map(|(h, _)| h), on).await?;
    homes.sort_by(|(a, _), (b, _)| {
        (a.fields.route, &a.fields.name, a.id).cmp(&(b.fields.route, &b.fields.name, b.id))
    });
    Ok(homes)
}

/// What the homes the placement search ranks were read from: their count and versions, and the
/// providers' and contracts' (each change moves a version on or adds a row; a contract taken
/// back changes the count, and a new one the newest contract's time). The same stamp means
/// the same homes, providers and routes, so the search may keep them between requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomesStamp(Vec<Option<String>>);

pub async fn stamp(conn: &mut Conn, _desk: &PlacementsDesk) -> Result<HomesStamp> {
    let row = sqlx::query(
        "SELECT
            (SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(SUM(version), 0) AS TEXT)
                FROM care_homes) AS homes,
            (SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(SUM(version), 0) AS TEXT)
                FROM care_providers) AS providers,
            (SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(SUM(version), 0) AS TEXT)
                FROM care_provider_contracts) AS contracts,
            (SELECT MAX(created_at) FROM care_provider_contracts) AS newest",
    )
    .fetch_one(conn)
    .await?;
    Ok(HomesStamp(
        ["homes", "providers", "contracts", "newest"]
            .iter()
            .map(|c| row.try_get::<Option<String>, _>(*c))
            .collect::<std::result::Result<_, _>>()?,
    ))
}

/// A home; with a provider, its name and route as they are on `on`.
pub async fn get(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    id: CareHomeId,
    on: NaiveDate,
) -> Result<Home> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM care_homes WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut home = read(&row)?;
    follow_providers(conn, desk, std::iter::once(&mut home), on).await?;
    Ok(home)
}

pub async fn insert(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    f: &HomeFields,
    at: DateTime<Utc>,
) -> Result<CareHomeId> {
    let id = CareHomeId::new();
    bind_fields(
        sqlx::query(
            "INSERT INTO care_homes (name, provider, route, placement_type, ofsted_urn, rating,
            rated_on, registered_places, vacancies, age_from, age_to, offers, postcode,
            weekly_cost_pence, provider_id, updated_at, updated_by, id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, 1)",
        ),
        f,
    )
    .bind(to_text(at))
    .bind(desk.officer().to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Binds a home's fields as `$1` to `$15`, in the column order both the insert and the update
/// name them.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    f: &'q HomeFields,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(&f.name)
        .bind(&f.provider)
        .bind(f.route.code())
        .bind(f.placement_type.code())
        .bind(f.ofsted_urn.as_deref())
        .bind(f.rating.map(|r| r.code()))
        .bind(f.rated_on.map(|d| d.to_string()))
        .bind(f.registered_places)
        .bind(f.vacancies)
        .bind(f.age_from)
        .bind(f.age_to)
        .bind(offers_text(&f.offers))
        .bind(f.postcode.as_str())
        .bind(f.weekly_cost_pence)
        .bind(f.provider_id.map(|p| p.to_string()))
}

/// Changes a home as read at `version`; someone else's change since is a conflict.
pub async fn update(
    conn: &mut Conn,
    desk: &PlacementsDesk,
    id: CareHomeId,
    f: &HomeFields,
    version: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = bind_fields(
        sqlx::query(
            "UPDATE care_homes SET name = $1, provider = $2, route = $3, placement_type = $4,
            ofsted_urn = $5, rating = $6, rated_on = $7, registered_places = $8, vacancies = $9,
            age_from = $10, age_to = $11, offers = $12, postcode = $13, weekly_cost_pence = $14,
            provider_id = $15, updated_at = $16, updated_by = $17, version = version + 1
         WHERE id = $18 AND version = $19",
        ),
        f,
    )
    .bind(to_text(at))
    .bind(desk.officer().to_string())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    // Not found, or changed since it was read.
    let there: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM care_homes WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(conn)
        .await?;
    if there == 0 {
        return Err(StoreError::NotFound);
    }
    Err(StoreError::Conflict)
}

/// Takes `places` of a home's vacancies for a child placed there (and brothers or sisters);
/// a conflict when they have gone meanwhile.
pub async fn take_places(
    conn: &mut Conn,
    _desk: &PlacementsDesk,
    id: CareHomeId,
    places: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE care_homes SET vacancies = vacancies - $1, version = version + 1
         WHERE id = $2 AND vacancies >= $3",
    )
    .bind(places)
    .bind(id.to_string())
    .bind(places)
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}
