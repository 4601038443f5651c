//! The directory of services in the Open Referral UK 3.0 shape: organisations, locations,
//! services and their parts, taxonomies, the history of changes, postcodes, and search.

pub mod service_requests;

use crate::decode::{coded, date, parse_id, parse_time};
use crate::sql::escape_like;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::directory::{
    distance_metres, prefix_end, AccessMethod, BoundingBox, ChangeStatus, Coordinates, LocalPlane,
    Paging, Postcode, ServiceStatus, NEEDS,
};
use hearth_domain::ids::{OrganisationId, UserId};
use hearth_domain::time::to_text;
use hearth_domain::vocabulary::Vocabulary;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// Entries the partnership keeps itself (the other value of `source` is a feed's address).
pub const LOCAL: &str = "local";

fn uuid(row: &AnyRow, column: &str) -> Result<Uuid> {
    parse_id(&row.try_get::<String, _>(column)?)
}

fn opt_uuid(row: &AnyRow, column: &str) -> Result<Option<Uuid>> {
    row.try_get::<Option<String>, _>(column)?
        .as_deref()
        .map(parse_id)
        .transpose()
}

/// What `put_*` did to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Added,
    Changed,
    Unchanged,
}

// ----- organisations -----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryOrganisation {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub email: Option<String>,
    pub website: Option<String>,
    pub partner_organisation_id: Option<OrganisationId>,
    pub source: String,
}

fn organisation_from(row: &AnyRow) -> Result<DirectoryOrganisation> {
    Ok(DirectoryOrganisation {
        id: uuid(row, "id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        email: row.try_get("email")?,
        website: row.try_get("website")?,
        partner_organisation_id: opt_uuid(row, "partner_organisation_id")?.map(OrganisationId),
        source: row.try_get("source")?,
    })
}

const ORGANISATION_COLUMNS: &str =
    "id, name, description, email, website, partner_organisation_id, source";

pub async fn organisation(conn: &mut Conn, id: Uuid) -> Result<DirectoryOrganisation> {
    let row = sqlx::query(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM directory_organisations WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    organisation_from(&row)
}

pub async fn organisation_for_partner(
    conn: &mut Conn,
    partner: OrganisationId,
) -> Result<Option<DirectoryOrganisation>> {
    let row = sqlx::query(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM directory_organisations WHERE partner_organisation_id = $1"
    ))
    .bind(partner.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(organisation_from).transpose()
}

/// Adds the organisation, or brings the stored one up to date.
pub async fn put_organisation(
    conn: &mut Conn,
    vocabulary: &Vocabulary,
    o: &DirectoryOrganisation,
    now: DateTime<Utc>,
) -> Result<Written> {
    let existing = match organisation(conn, o.id).await {
        Ok(e) => Some(e),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let sql = match &existing {
        Some(e) if e == o => return Ok(Written::Unchanged),
        Some(_) => "UPDATE directory_organisations SET name = $2, description = $3, email = $4, website = $5,
                    partner_organisation_id = $6, source = $7, last_modified = $8 WHERE id = $1",
        None => "INSERT INTO directory_organisations (id, name, description, email, website, partner_organisation_id, source, last_modified)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    };
    sqlx::query(sql)
        .bind(o.id.to_string())
        .bind(&o.name)
        .bind(&o.description)
        .bind(o.email.clone())
        .bind(o.website.clone())
        .bind(o.partner_organisation_id.map(|p| p.to_string()))
        .bind(&o.source)
        .bind(to_text(now))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    if existing.as_ref().is_some_and(|e| e.name != o.name) {
        // Keyword search finds services by their organisation's name too.
        reindex_services(
            conn,
            vocabulary,
            "SELECT id FROM directory_services WHERE organisation_id = $1",
            &o.id.to_string(),
        )
        .await?;
    }
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

// ----- locations -----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub address_id: Uuid,
    pub address_1: String,
    pub city: String,
    pub postal_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub family_hub: bool,
    pub accessibility_id: Uuid,
    pub accessibility: Option<String>,
    pub source: String,
}

const LOCATION_COLUMNS: &str =
    "l.id, l.name, l.description, l.address_id, l.address_1, l.city, l.postal_code,
    l.latitude, l.longitude, l.family_hub, l.accessibility_id, l.accessibility, l.source";

fn location_from(row: &AnyRow) -> Result<Location> {
    location_from_prefixed(row, "")
}

/// A location from columns named with `prefix` (`l_` where a query also reads a service).
fn location_from_prefixed(row: &AnyRow, prefix: &str) -> Result<Location> {
    let c = |name: &str| format!("{prefix}{name}");
    Ok(Location {
        id: uuid(row, &c("id"))?,
        name: row.try_get(c("name").as_str())?,
        description: row.try_get(c("description").as_str())?,
        address_id: uuid(row, &c("address_id"))?,
        address_1: row.try_get(c("address_1").as_str())?,
        city: row.try_get(c("city").as_str())?,
        postal_code: row.try_get(c("postal_code").as_str())?,
        latitude: row.try_get(c("latitude").as_str())?,
        longitude: row.try_get(c("longitude").as_str())?,
        family_hub: row.try_get::<i64, _>(c("family_hub").as_str())? != 0,
        accessibility_id: uuid(row, &c("accessibility_id"))?,
        accessibility: row.try_get(c("accessibility").as_str())?,
        source: row.try_get(c("source").as_str())?,
    })
}

pub async fn location(conn: &mut Conn, id: Uuid) -> Result<Location> {
    let row = sqlx::query(&format!(
        "SELECT {LOCATION_COLUMNS} FROM directory_locations l WHERE l.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    location_from(&row)
}

/// The partnership's own locations, Family Hubs first, for editors to choose from.
pub async fn local_locations(conn: &mut Conn) -> Result<Vec<Location>> {
    let rows = sqlx::query(&format!(
        "SELECT {LOCATION_COLUMNS} FROM directory_locations l WHERE l.source = $1
         ORDER BY l.family_hub DESC, l.name"
    ))
    .bind(LOCAL)
    .fetch_all(conn)
    .await?;
    rows.iter().map(location_from).collect()
}

/// When the place was last changed, as stored: the edit form carries it back so that a save
/// over someone else's newer change is refused rather than undoing it.
pub async fn location_modified(conn: &mut Conn, id: Uuid) -> Result<String> {
    sqlx::query_scalar("SELECT last_modified FROM directory_locations WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The partner organisations whose services run at the place (`None` for a directory
/// organisation that is not one of the partnership's), and how many services run there.
pub async fn organisations_at(
    conn: &mut Conn,
    location: Uuid,
) -> Result<(Vec<Option<OrganisationId>>, u64)> {
    let rows = sqlx::query(
        "SELECT o.partner_organisation_id AS partner, COUNT(*) AS services
         FROM directory_service_locations sl
         JOIN directory_services s ON s.id = sl.service_id
         JOIN directory_organisations o ON o.id = s.organisation_id
         WHERE sl.location_id = $1 GROUP BY o.partner_organisation_id",
    )
    .bind(location.to_string())
    .fetch_all(conn)
    .await?;
    let mut partners = Vec::with_capacity(rows.len());
    let mut services = 0;
    for r in &rows {
        let partner = r.try_get::<Option<String>, _>("partner")?;
        partners.push(partner.as_deref().map(parse_id).transpose()?);
        services += r.try_get::<i64, _>("services")?.unsigned_abs();
    }
    Ok((partners, services))
}

pub async fn put_location(conn: &mut Conn, l: &Location, now: DateTime<Utc>) -> Result<Written> {
    let existing = match location(conn, l.id).await {
        Ok(e) => Some(e),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let sql = match &existing {
        Some(e) if e == l => return Ok(Written::Unchanged),
        Some(_) => "UPDATE directory_locations SET name = $2, description = $3, address_id = $4, address_1 = $5,
                    city = $6, postal_code = $7, latitude = $8, longitude = $9, family_hub = $10,
                    accessibility_id = $11, accessibility = $12, source = $13, last_modified = $14 WHERE id = $1",
        None => "INSERT INTO directory_locations (id, name, description, address_id, address_1, city, postal_code,
                 latitude, longitude, family_hub, accessibility_id, accessibility, source, last_modified)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    };
    sqlx::query(sql)
        .bind(l.id.to_string())
        .bind(&l.name)
        .bind(l.description.clone())
        .bind(l.address_id.to_string())
        .bind(&l.address_1)
        .bind(&l.city)
        .bind(&l.postal_code)
        .bind(l.latitude)
        .bind(l.longitude)
        .bind(i64::from(l.family_hub))
        .bind(l.accessibility_id.to_string())
        .bind(l.accessibility.clone())
        .bind(&l.source)
        .bind(to_text(now))
        .execute(&mut *conn)
        .await?;
    if existing.is_some() {
        // The copies its services' rows and word places keep for the distance search
        // (migrations 0013 and 0014).
        for table in ["directory_service_locations", "directory_word_places"] {
            sqlx::query(&format!(
                "UPDATE {table} SET latitude = $1, longitude = $2, family_hub = $3 WHERE location_id = $4"
            ))
            .bind(l.latitude)
            .bind(l.longitude)
            .bind(i64::from(l.family_hub))
            .bind(l.id.to_string())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

// ----- taxonomies -----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub uri: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub id: Uuid,
    pub taxonomy_id: Uuid,
    pub taxonomy_name: String,
    /// A short stable code (`parenting`, `early_years`) the public pages use in links.
    pub code: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<Uuid>,
}

fn taxonomy_from(row: &AnyRow) -> Result<Taxonomy> {
    Ok(Taxonomy {
        id: uuid(row, "id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        uri: row.try_get("uri")?,
        version: row.try_get("version")?,
    })
}

const TERM_COLUMNS: &str =
    "t.id, t.taxonomy_id, x.name AS taxonomy_name, t.code, t.name, t.description, t.parent_id";

fn term_from(row: &AnyRow) -> Result<Term> {
    Ok(Term {
        id: uuid(row, "id")?,
        taxonomy_id: uuid(row, "taxonomy_id")?,
        taxonomy_name: row.try_get("taxonomy_name")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        parent_id: opt_uuid(row, "parent_id")?,
    })
}

pub async fn put_taxonomy(conn: &mut Conn, t: &Taxonomy) -> Result<Written> {
    let existing = taxonomy(conn, t.id).await.ok();
    let sql = match &existing {
        Some(e) if e == t => return Ok(Written::Unchanged),
        Some(_) => "UPDATE directory_taxonomies SET name = $2, description = $3, uri = $4, version = $5 WHERE id = $1",
        None => "INSERT INTO directory_taxonomies (id, name, description, uri, version) VALUES ($1, $2, $3, $4, $5)",
    };
    sqlx::query(sql)
        .bind(t.id.to_string())
        .bind(&t.name)
        .bind(&t.description)
        .bind(t.uri.clone())
        .bind(t.version.clone())
        .execute(conn)
        .await?;
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

pub async fn put_term(conn: &mut Conn, vocabulary: &Vocabulary, t: &Term) -> Result<Written> {
    let existing = term(conn, t.id).await.ok();
    let sql = match &existing {
        Some(e) if Term { taxonomy_name: t.taxonomy_name.clone(), ..e.clone() } == *t => {
            return Ok(Written::Unchanged)
        }
        Some(_) => "UPDATE directory_taxonomy_terms SET taxonomy_id = $2, code = $3, name = $4, description = $5, parent_id = $6 WHERE id = $1",
        None => "INSERT INTO directory_taxonomy_terms (id, taxonomy_id, code, name, description, parent_id) VALUES ($1, $2, $3, $4, $5, $6)",
    };
    sqlx::query(sql)
        .bind(t.id.to_string())
        .bind(t.taxonomy_id.to_string())
        .bind(&t.code)
        .bind(&t.name)
        .bind(&t.description)
        .bind(t.parent_id.map(|p| p.to_string()))
        .execute(&mut *conn)
        .await?;
    if existing.as_ref().is_some_and(|e| e.name != t.name) {
        // Keyword search finds services by the names of their needs too.
        reindex_services(
            conn,
            vocabulary,
            "SELECT service_id AS id FROM directory_service_terms WHERE term_id = $1",
            &t.id.to_string(),
        )
        .await?;
    }
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

pub async fn taxonomy(conn: &mut Conn, id: Uuid) -> Result<Taxonomy> {
    let row = sqlx::query(
        "SELECT id, name, description, uri, version FROM directory_taxonomies WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    taxonomy_from(&row)
}

/// A page of taxonomies and how many there are.
pub async fn taxonomies(conn: &mut Conn, paging: Paging) -> Result<(u64, Vec<Taxonomy>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM directory_taxonomies")
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT id, name, description, uri, version FROM directory_taxonomies ORDER BY name, id LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(paging.per_page))
    .bind(paging.offset() as i64)
    .fetch_all(conn)
    .await?;
    Ok((
        total as u64,
        rows.iter().map(taxonomy_from).collect::<Result<_>>()?,
    ))
}

pub async fn term(conn: &mut Conn, id: Uuid) -> Result<Term> {
    let row = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM directory_taxonomy_terms t JOIN directory_taxonomies x ON x.id = t.taxonomy_id WHERE t.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    term_from(&row)
}

/// A page of terms (of one taxonomy, when given) and how many there are.
pub async fn terms(
    conn: &mut Conn,
    taxonomy: Option<Uuid>,
    paging: Paging,
) -> Result<(u64, Vec<Term>)> {
    let filter = taxonomy.map(|t| t.to_string()).unwrap_or_default();
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM directory_taxonomy_terms WHERE ($1 = '' OR taxonomy_id = $1)",
    )
    .bind(&filter)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM directory_taxonomy_terms t JOIN directory_taxonomies x ON x.id = t.taxonomy_id
         WHERE ($1 = '' OR t.taxonomy_id = $1) ORDER BY x.name, t.name, t.id LIMIT $2 OFFSET $3"
    ))
    .bind(&filter)
    .bind(i64::from(paging.per_page))
    .bind(paging.offset() as i64)
    .fetch_all(conn)
    .await?;
    Ok((
        total as u64,
        rows.iter().map(term_from).collect::<Result<_>>()?,
    ))
}

/// Every term of the taxonomy, by name: the choices on the search form.
pub async fn all_terms_of(conn: &mut Conn, taxonomy: Uuid) -> Result<Vec<Term>> {
    Ok(terms(
        conn,
        Some(taxonomy),
        Paging {
            page: 1,
            per_page: 1000,
        },
    )
    .await?
    .1)
}

pub async fn term_by_code(conn: &mut Conn, code: &str) -> Result<Option<Term>> {
    let row = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM directory_taxonomy_terms t JOIN directory_taxonomies x ON x.id = t.taxonomy_id WHERE t.code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(term_from).transpose()
}

// ----- services -----

/// One time a service runs: days, hours, and which of its locations (if only one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Uuid,
    pub service_at_location_id: Option<Uuid>,
    pub byday: String,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// A service at one location (ORUK's service_at_location).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    pub id: Uuid,
    pub location_id: Uuid,
}

/// A term given to a service (ORUK's attribute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub id: Uuid,
    pub term_id: Uuid,
}

/// A service's whole entry: what editors change, reviewers publish and feeds import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceEntry {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    pub description: String,
    pub url: Option<String>,
    pub email: Option<String>,
    pub status: ServiceStatus,
    pub minimum_age: Option<f64>,
    pub maximum_age: Option<f64>,
    pub free: bool,
    pub cost_option_id: Uuid,
    pub cost_description: Option<String>,
    pub access: AccessMethod,
    pub contact_id: Uuid,
    pub contact_name: Option<String>,
    pub phone_id: Uuid,
    pub phone: Option<String>,
    pub service_area_id: Uuid,
    pub service_area: Option<String>,
    pub last_reviewed: NaiveDate,
    pub schedules: Vec<Schedule>,
    pub languages: Vec<Language>,
    pub locations: Vec<ServiceAtLocation>,
    pub attributes: Vec<Attribute>,
    /// Its name and description in the families' other languages, for the family pages
    /// (never in the Open Referral output, which is the provider's English). Entries kept
    /// before translations have none.
    #[serde(default)]
    pub translations: Vec<ServiceText>,
}

/// A service's name and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceText {
    /// The language's code (`ar`, `ur`, `pa`, `ro`, `pl`).
    pub language: String,
    pub name: String,
    pub description: String,
}

/// A stored service: its entry and what the directory knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub entry: ServiceEntry,
    pub organisation: DirectoryOrganisation,
    pub published: bool,
    pub source: String,
    pub version: i64,
    pub last_modified: DateTime<Utc>,
}

const SERVICE_COLUMNS: &str = "s.id, s.organisation_id, s.name, s.description, s.url, s.email, s.status,
    s.minimum_age, s.maximum_age, s.free, s.cost_option_id, s.cost_description, s.access, s.contact_id,
    s.contact_name, s.phone_id, s.phone, s.service_area_id, s.service_area, s.last_reviewed, s.published,
    s.source, s.version, s.last_modified";

/// The entry's one-to-one fields (the lists are left empty).
fn entry_from(row: &AnyRow) -> Result<ServiceEntry> {
    Ok(ServiceEntry {
        id: uuid(row, "id")?,
        organisation_id: uuid(row, "organisation_id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        url: row.try_get("url")?,
        email: row.try_get("email")?,
        status: coded(row, "status", ServiceStatus::from_code)?,
        minimum_age: row.try_get("minimum_age")?,
        maximum_age: row.try_get("maximum_age")?,
        free: row.try_get::<i64, _>("free")? != 0,
        cost_option_id: uuid(row, "cost_option_id")?,
        cost_description: row.try_get("cost_description")?,
        access: coded(row, "access", AccessMethod::from_code)?,
        contact_id: uuid(row, "contact_id")?,
        contact_name: row.try_get("contact_name")?,
        phone_id: uuid(row, "phone_id")?,
        phone: row.try_get("phone")?,
        service_area_id: uuid(row, "service_area_id")?,
        service_area: row.try_get("service_area")?,
        last_reviewed: date(&row.try_get::<String, _>("last_reviewed")?)?,
        schedules: Vec::new(),
        languages: Vec::new(),
        locations: Vec::new(),
        attributes: Vec::new(),
        translations: Vec::new(),
    })
}

fn service_text_from(r: &AnyRow) -> Result<ServiceText> {
    Ok(ServiceText {
        language: r.try_get("language")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
    })
}

/// The translations into `language` of these services' names and descriptions, by service.
pub async fn texts_in(
    conn: &mut Conn,
    services: &[Uuid],
    language: &str,
) -> Result<HashMap<Uuid, ServiceText>> {
    if services.is_empty() {
        return Ok(HashMap::new());
    }
    let list = (2..services.len() + 2)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT service_id, language, name, description FROM directory_service_texts
         WHERE language = $1 AND service_id IN ({list})"
    );
    let mut q = sqlx::query(&sql).bind(language);
    for id in services {
        q = q.bind(id.to_string());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| Ok((uuid(r, "service_id")?, service_text_from(r)?)))
        .collect()
}

/// One kind of a service's parts (schedules, languages, ...), each row mapped by `from`.
async fn parts<T>(
    conn: &mut Conn,
    sql: &str,
    service: &str,
    from: fn(&AnyRow) -> Result<T>,
) -> Result<Vec<T>> {
    sqlx::query(sql)
        .bind(service)
        .fetch_all(conn)
        .await?
        .iter()
        .map(from)
        .collect()
}

/// A service's entry and its organisation, with every part loaded.
pub async fn service(conn: &mut Conn, id: Uuid) -> Result<Service> {
    let row = sqlx::query(&format!(
        "SELECT {SERVICE_COLUMNS} FROM directory_services s WHERE s.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let mut entry = entry_from(&row)?;
    let key = id.to_string();
    entry.schedules = parts(
        conn,
        "SELECT id, service_at_location_id, byday, opens_at, closes_at, description FROM directory_schedules
         WHERE service_id = $1 ORDER BY id",
        &key,
        |r| {
            Ok(Schedule {
                id: uuid(r, "id")?,
                service_at_location_id: opt_uuid(r, "service_at_location_id")?,
                byday: r.try_get("byday")?,
                opens_at: r.try_get("opens_at")?,
                closes_at: r.try_get("closes_at")?,
                description: r.try_get("description")?,
            })
        },
    )
    .await?;
    entry.languages = parts(
        conn,
        "SELECT id, code, name FROM directory_languages WHERE service_id = $1 ORDER BY id",
        &key,
        |r| {
            Ok(Language {
                id: uuid(r, "id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            })
        },
    )
    .await?;
    entry.locations = parts(
        conn,
        "SELECT id, location_id FROM directory_service_locations WHERE service_id = $1 ORDER BY id",
        &key,
        |r| {
            Ok(ServiceAtLocation {
                id: uuid(r, "id")?,
                location_id: uuid(r, "location_id")?,
            })
        },
    )
    .await?;
    entry.attributes = parts(
        conn,
        "SELECT id, term_id FROM directory_service_terms WHERE service_id = $1 ORDER BY id",
        &key,
        |r| {
            Ok(Attribute {
                id: uuid(r, "id")?,
                term_id: uuid(r, "term_id")?,
            })
        },
    )
    .await?;
    entry.translations = parts(
        conn,
        "SELECT language, name, description FROM directory_service_texts WHERE service_id = $1 ORDER BY language",
        &key,
        service_text_from,
    )
    .await?;
    let organisation = organisation(conn, entry.organisation_id).await?;
    Ok(Service {
        entry,
        organisation,
        published: row.try_get::<i64, _>("published")? != 0,
        source: row.try_get("source")?,
        version: row.try_get("version")?,
        last_modified: parse_time(&row.try_get::<String, _>("last_modified")?)?,
    })
}

/// What keyword search reads of a service: its English text (its name, description,
/// organisation and terms, lower-cased; kept in `search_text`), its translations, and the codes
/// of the needs it meets.
struct Searched {
    text: String,
    translations: Vec<(String, String)>,
    needs: Vec<String>,
}

async fn search_text(conn: &mut Conn, e: &ServiceEntry) -> Result<Searched> {
    let mut text = format!("{} {}", e.name, e.description);
    let mut needs = Vec::new();
    if let Ok(o) = organisation(conn, e.organisation_id).await {
        text.push(' ');
        text.push_str(&o.name);
    }
    for a in &e.attributes {
        if let Ok(t) = term(conn, a.term_id).await {
            text.push(' ');
            text.push_str(&t.name);
            if t.taxonomy_id.to_string() == NEEDS.id {
                needs.push(t.code);
            }
        }
    }
    Ok(Searched {
        text: text.to_lowercase(),
        translations: e
            .translations
            .iter()
            .map(|t| (format!("{} {}", t.name, t.description), t.language.clone()))
            .collect(),
        needs,
    })
}

/// Replaces the tokens keyword search finds the service by (see migration 0012 and
/// [`Vocabulary::service_tokens`]), and its word places (migration 0014): so it comes after
/// the service's row, its terms and its locations are saved.
async fn put_search_words(
    conn: &mut Conn,
    vocabulary: &Vocabulary,
    service: &str,
    searched: &Searched,
) -> Result<()> {
    sqlx::query("DELETE FROM directory_service_words WHERE service_id = $1")
        .bind(service)
        .execute(&mut *conn)
        .await?;
    let needs: Vec<&str> = searched.needs.iter().map(String::as_str).collect();
    let texts = std::iter::once((searched.text.as_str(), "en")).chain(
        searched
            .translations
            .iter()
            .map(|(text, language)| (text.as_str(), language.as_str())),
    );
    let words = vocabulary.service_tokens(texts, &needs);
    // A few statements of up to 100 rows each rather than one per word.
    for chunk in words.chunks(100) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO directory_service_words (word, service_id) VALUES {values}");
        let mut q = sqlx::query(&sql);
        for w in chunk {
            q = q.bind(w.as_str()).bind(service);
        }
        q.execute(&mut *conn).await?;
    }
    put_word_places(conn, service).await
}

/// Rebuilds a service's rows of `directory_word_places` from its words, its locations and its
/// own conditions (see migration 0014).
async fn put_word_places(conn: &mut Conn, service: &str) -> Result<()> {
    sqlx::query("DELETE FROM directory_word_places WHERE service_id = $1")
        .bind(service)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO directory_word_places ({WORD_PLACE_COLUMNS})
         SELECT w.word, sl.id, s.id, sl.location_id, sl.latitude, sl.longitude, sl.family_hub, s.published,
                s.status, s.minimum_age, s.maximum_age, s.free, s.organisation_id, s.last_modified
         FROM directory_service_words w
         JOIN directory_services s ON s.id = w.service_id
         JOIN directory_service_locations sl ON sl.service_id = w.service_id
         WHERE w.service_id = $1"
    ))
    .bind(service)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The columns of `directory_word_places`, in the order [`put_word_places`] fills them.
const WORD_PLACE_COLUMNS: &str =
    "word, service_at_location_id, service_id, location_id, latitude, longitude, \
    family_hub, published, status, minimum_age, maximum_age, free, organisation_id, last_modified";

/// Brings the search words of the services `select` finds (a query of `id`s taking `key` as
/// `$1`) up to date, after a name they are found by has changed.
async fn reindex_services(
    conn: &mut Conn,
    vocabulary: &Vocabulary,
    select: &str,
    key: &str,
) -> Result<()> {
    let ids: Vec<String> = sqlx::query_scalar(select)
        .bind(key)
        .fetch_all(&mut *conn)
        .await?;
    reindex(conn, vocabulary, ids).await
}

/// Brings the search words of these services up to date.
async fn reindex(conn: &mut Conn, vocabulary: &Vocabulary, ids: Vec<String>) -> Result<()> {
    for id in ids {
        let s = service(conn, parse_id(&id)?).await?;
        let searched = search_text(conn, &s.entry).await?;
        sqlx::query("UPDATE directory_services SET search_text = $1 WHERE id = $2")
            .bind(&searched.text)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        put_search_words(conn, vocabulary, &id, &searched).await?;
    }
    Ok(())
}

/// Indexes every service again when the vocabulary has changed since they were indexed
/// (a new release's lists, or the partnership's own file; see migration 0022), and the
/// services no vocabulary has indexed yet; returns how many it indexed. Cheap when the
/// vocabulary is the one the index was built with.
pub async fn index_services(conn: &mut Conn, vocabulary: &Vocabulary) -> Result<usize> {
    let built_with: Option<String> =
        sqlx::query_scalar("SELECT fingerprint FROM directory_search_vocabulary")
            .fetch_optional(&mut *conn)
            .await?;
    if built_with.as_deref() == Some(vocabulary.fingerprint()) {
        return Ok(0);
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM directory_services")
        .fetch_all(&mut *conn)
        .await?;
    let indexed = ids.len();
    reindex(conn, vocabulary, ids).await?;
    sqlx::query("DELETE FROM directory_search_vocabulary")
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO directory_search_vocabulary (fingerprint) VALUES ($1)")
        .bind(vocabulary.fingerprint())
        .execute(&mut *conn)
        .await?;
    Ok(indexed)
}

/// Saves a service's entry: adds it, or replaces the stored one and its parts when anything
/// differs (moving its version on). `expected_version`, when given, must match the stored one.
pub async fn put_service(
    conn: &mut Conn,
    vocabulary: &Vocabulary,
    e: &ServiceEntry,
    published: bool,
    source: &str,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Written> {
    let existing = match service(conn, e.id).await {
        Ok(s) => Some(s),
        Err(StoreError::NotFound) => None,
        Err(err) => return Err(err),
    };
    if let (Some(s), Some(v)) = (&existing, expected_version) {
        if s.version != v {
            return Err(StoreError::Conflict);
        }
    }
    if let Some(s) = &existing {
        if s.entry == *e && s.published == published && s.source == source {
            return Ok(Written::Unchanged);
        }
    }
    let searched = search_text(conn, e).await?;
    let sql = if existing.is_some() {
        "UPDATE directory_services SET organisation_id = $2, name = $3, description = $4, url = $5, email = $6,
         status = $7, minimum_age = $8, maximum_age = $9, free = $10, cost_option_id = $11, cost_description = $12,
         access = $13, contact_id = $14, contact_name = $15, phone_id = $16, phone = $17, service_area_id = $18,
         service_area = $19, last_reviewed = $20, published = $21, search_text = $22, source = $23,
         last_modified = $24, version = version + 1 WHERE id = $1"
    } else {
        "INSERT INTO directory_services (id, organisation_id, name, description, url, email, status, minimum_age,
         maximum_age, free, cost_option_id, cost_description, access, contact_id, contact_name, phone_id, phone,
         service_area_id, service_area, last_reviewed, published, search_text, source, last_modified, created_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
         $22, $23, $24, $24, 1)"
    };
    let key = e.id.to_string();
    sqlx::query(sql)
        .bind(&key)
        .bind(e.organisation_id.to_string())
        .bind(&e.name)
        .bind(&e.description)
        .bind(e.url.clone())
        .bind(e.email.clone())
        .bind(e.status.code())
        .bind(e.minimum_age)
        .bind(e.maximum_age)
        .bind(i64::from(e.free))
        .bind(e.cost_option_id.to_string())
        .bind(e.cost_description.clone())
        .bind(e.access.code())
        .bind(e.contact_id.to_string())
        .bind(e.contact_name.clone())
        .bind(e.phone_id.to_string())
        .bind(e.phone.clone())
        .bind(e.service_area_id.to_string())
        .bind(e.service_area.clone())
        .bind(e.last_reviewed.to_string())
        .bind(i64::from(published))
        .bind(&searched.text)
        .bind(source)
        .bind(to_text(now))
        .execute(&mut *conn)
        .await?;
    for table in [
        "directory_schedules",
        "directory_languages",
        "directory_service_locations",
        "directory_service_terms",
        "directory_service_texts",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE service_id = $1"))
            .bind(&key)
            .execute(&mut *conn)
            .await?;
    }
    for s in &e.schedules {
        sqlx::query(
            "INSERT INTO directory_schedules (id, service_id, service_at_location_id, byday, opens_at, closes_at, description)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(s.id.to_string())
        .bind(&key)
        .bind(s.service_at_location_id.map(|i| i.to_string()))
        .bind(&s.byday)
        .bind(s.opens_at.clone())
        .bind(s.closes_at.clone())
        .bind(s.description.clone())
        .execute(&mut *conn)
        .await?;
    }
    for l in &e.languages {
        sqlx::query(
            "INSERT INTO directory_languages (id, service_id, code, name) VALUES ($1, $2, $3, $4)",
        )
        .bind(l.id.to_string())
        .bind(&key)
        .bind(&l.code)
        .bind(&l.name)
        .execute(&mut *conn)
        .await?;
    }
    for l in &e.locations {
        // With the place's position and mark (see migration 0013).
        let added = sqlx::query(
            "INSERT INTO directory_service_locations (id, service_id, location_id, latitude, longitude, family_hub)
             SELECT $1, $2, l.id, l.latitude, l.longitude, l.family_hub FROM directory_locations l WHERE l.id = $3",
        )
        .bind(l.id.to_string())
        .bind(&key)
        .bind(l.location_id.to_string())
        .execute(&mut *conn)
        .await?;
        if added.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
    }
    for a in &e.attributes {
        sqlx::query(
            "INSERT INTO directory_service_terms (id, service_id, term_id) VALUES ($1, $2, $3)",
        )
        .bind(a.id.to_string())
        .bind(&key)
        .bind(a.term_id.to_string())
        .execute(&mut *conn)
        .await?;
    }
    for t in &e.translations {
        sqlx::query(
            "INSERT INTO directory_service_texts (service_id, language, name, description) VALUES ($1, $2, $3, $4)",
        )
        .bind(&key)
        .bind(&t.language)
        .bind(&t.name)
        .bind(&t.description)
        .execute(&mut *conn)
        .await?;
    }
    put_search_words(conn, vocabulary, &key, &searched).await?;
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

/// Records that the entry was checked today and is still right.
pub async fn mark_reviewed(conn: &mut Conn, id: Uuid, on: NaiveDate) -> Result<()> {
    let done = sqlx::query("UPDATE directory_services SET last_reviewed = $1 WHERE id = $2")
        .bind(on.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A line in an editor's list of services.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLine {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub status: ServiceStatus,
    pub published: bool,
    pub last_reviewed: NaiveDate,
    pub pending_changes: i64,
}

/// The local services of one partner organisation, or of all of them; the least recently
/// reviewed first, so the review-due list is the top of it.
pub async fn service_lines(
    conn: &mut Conn,
    partner: Option<OrganisationId>,
) -> Result<Vec<ServiceLine>> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, o.name AS organisation, s.status, s.published, s.last_reviewed,
                (SELECT COUNT(*) FROM directory_changes c WHERE c.service_id = s.id AND c.status = 'pending') AS pending
         FROM directory_services s JOIN directory_organisations o ON o.id = s.organisation_id
         WHERE s.source = $1 AND ($2 = '' OR o.partner_organisation_id = $2)
         ORDER BY s.last_reviewed, s.name",
    )
    .bind(LOCAL)
    .bind(partner.map(|p| p.to_string()).unwrap_or_default())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ServiceLine {
                id: uuid(r, "id")?,
                name: r.try_get("name")?,
                organisation: r.try_get("organisation")?,
                status: coded(r, "status", ServiceStatus::from_code)?,
                published: r.try_get::<i64, _>("published")? != 0,
                last_reviewed: date(&r.try_get::<String, _>("last_reviewed")?)?,
                pending_changes: r.try_get("pending")?,
            })
        })
        .collect()
}

// ----- changes (review and history) -----

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: Uuid,
    pub service_id: Uuid,
    pub service_name: String,
    pub organisation: String,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    pub entry: ServiceEntry,
    pub summary: String,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

pub struct NewChange<'a> {
    pub id: Uuid,
    pub entry: &'a ServiceEntry,
    pub summary: &'a str,
    pub status: ChangeStatus,
    pub by: UserId,
}

pub async fn insert_change(conn: &mut Conn, c: &NewChange<'_>, now: DateTime<Utc>) -> Result<()> {
    let entry = serde_json::to_string(c.entry)
        .map_err(|e| StoreError::Corrupt(format!("a service entry as JSON: {e}")))?;
    let decided = c.status != ChangeStatus::Pending;
    sqlx::query(
        "INSERT INTO directory_changes (id, service_id, proposed_by, proposed_at, entry, summary, status, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id.to_string())
    .bind(c.entry.id.to_string())
    .bind(c.by.to_string())
    .bind(to_text(now))
    .bind(entry)
    .bind(c.summary)
    .bind(c.status.code())
    .bind(decided.then(|| c.by.to_string()))
    .bind(decided.then(|| to_text(now)))
    .execute(conn)
    .await?;
    Ok(())
}

const CHANGE_SELECT: &str = "SELECT c.id, c.service_id, s.name AS service_name, o.name AS organisation,
    u.display_name AS proposed_by, c.proposed_at, c.entry, c.summary, c.status, d.display_name AS decided_by,
    c.decided_at, c.decision_note
    FROM directory_changes c JOIN directory_services s ON s.id = c.service_id
    JOIN directory_organisations o ON o.id = s.organisation_id
    JOIN users u ON u.id = c.proposed_by LEFT JOIN users d ON d.id = c.decided_by";

fn change_from(row: &AnyRow) -> Result<Change> {
    let entry: String = row.try_get("entry")?;
    Ok(Change {
        id: uuid(row, "id")?,
        service_id: uuid(row, "service_id")?,
        service_name: row.try_get("service_name")?,
        organisation: row.try_get("organisation")?,
        proposed_by: row.try_get("proposed_by")?,
        proposed_at: parse_time(&row.try_get::<String, _>("proposed_at")?)?,
        entry: serde_json::from_str(&entry)
            .map_err(|e| StoreError::Corrupt(format!("a stored service entry: {e}")))?,
        summary: row.try_get("summary")?,
        status: coded(row, "status", ChangeStatus::from_code)?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row
            .try_get::<Option<String>, _>("decided_at")?
            .as_deref()
            .map(parse_time)
            .transpose()?,
        decision_note: row.try_get("decision_note")?,
    })
}

pub async fn change(conn: &mut Conn, id: Uuid) -> Result<Change> {
    let row = sqlx::query(&format!("{CHANGE_SELECT} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    change_from(&row)
}

/// Changes waiting for a reviewer, oldest first.
pub async fn pending_changes(conn: &mut Conn) -> Result<Vec<Change>> {
    let rows = sqlx::query(&format!(
        "{CHANGE_SELECT} WHERE c.status = $1 ORDER BY c.proposed_at"
    ))
    .bind(ChangeStatus::Pending.code())
    .fetch_all(conn)
    .await?;
    rows.iter().map(change_from).collect()
}

/// A service's history of changes, newest first.
pub async fn history(conn: &mut Conn, service: Uuid) -> Result<Vec<Change>> {
    let rows = sqlx::query(&format!(
        "{CHANGE_SELECT} WHERE c.service_id = $1 ORDER BY c.proposed_at DESC"
    ))
    .bind(service.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(change_from).collect()
}

/// Publishes or sends back a pending change; [`StoreError::Conflict`] if it was already decided.
pub async fn decide_change(
    conn: &mut Conn,
    id: Uuid,
    status: ChangeStatus,
    by: UserId,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE directory_changes SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(status.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(note)
    .bind(id.to_string())
    .bind(ChangeStatus::Pending.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

// ----- postcodes -----

pub async fn put_postcode(
    conn: &mut Conn,
    postcode: &Postcode,
    at: Coordinates,
) -> Result<Written> {
    let existing: Option<(f64, f64)> =
        sqlx::query_as("SELECT latitude, longitude FROM postcodes WHERE postcode = $1")
            .bind(postcode.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let sql = match existing {
        Some((la, lo)) if la == at.latitude && lo == at.longitude => return Ok(Written::Unchanged),
        Some(_) => "UPDATE postcodes SET latitude = $2, longitude = $3 WHERE postcode = $1",
        None => "INSERT INTO postcodes (postcode, latitude, longitude) VALUES ($1, $2, $3)",
    };
    sqlx::query(sql)
        .bind(postcode.as_str())
        .bind(at.latitude)
        .bind(at.longitude)
        .execute(conn)
        .await?;
    Ok(if existing.is_some() {
        Written::Changed
    } else {
        Written::Added
    })
}

/// Where a postcode is; for an outward code alone, the middle of the postcodes in it.
pub async fn locate(conn: &mut Conn, postcode: &Postcode) -> Result<Option<Coordinates>> {
    let found: Option<(Option<f64>, Option<f64>)> = if postcode.is_district() {
        sqlx::query_as("SELECT AVG(latitude), AVG(longitude) FROM postcodes WHERE postcode LIKE $1")
            .bind(format!("{} %", postcode.as_str()))
            .fetch_optional(conn)
            .await?
    } else {
        sqlx::query_as("SELECT latitude, longitude FROM postcodes WHERE postcode = $1")
            .bind(postcode.as_str())
            .fetch_optional(conn)
            .await?
            .map(|(a, b): (f64, f64)| (Some(a), Some(b)))
    };
    Ok(match found {
        Some((Some(la), Some(lo))) => Coordinates::new(la, lo),
        _ => None,
    })
}

// ----- search -----

/// What to look for. Every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    /// Words that must all be found (in the name, description, organisation or terms), each as
    /// the start of one of the service's words: `play` finds "playgroup"; `group` does not.
    pub words: Vec<String>,
    pub term_id: Option<Uuid>,
    pub taxonomy_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub modified_after: Option<DateTime<Utc>>,
    /// A child of this age can use the service.
    pub age: Option<f64>,
    /// ORUK `minimum_age`: the service's minimum age is at least this.
    pub minimum_age: Option<f64>,
    /// ORUK `maximum_age`: the service's maximum age is at most this.
    pub maximum_age: Option<f64>,
    pub free_only: bool,
    /// An RFC 5545 day code: the service runs that day.
    pub day: Option<String>,
    /// ORUK `start_time` (`HH:MM`): it opens at or after this, on the day asked for if any.
    pub opens_from: Option<String>,
    /// ORUK `end_time` (`HH:MM`): it closes at or before this, on the day asked for if any.
    pub closes_by: Option<String>,
    /// An ISO 639 language code.
    pub language: Option<String>,
    pub family_hub_only: bool,
    /// Families see only running services; the API shows every published one.
    pub active_only: bool,
}

/// A search's place and radius, in metres.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub centre: Coordinates,
    pub radius_metres: f64,
}

/// A service found, at the location that matched (the nearest one, when searching by distance).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entry: ServiceEntry,
    pub organisation_name: String,
    pub last_modified: DateTime<Utc>,
    pub at: Option<HitLocation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HitLocation {
    pub service_at_location_id: Uuid,
    pub location: Location,
    pub distance_metres: Option<f64>,
}

enum Arg {
    Text(String),
    Float(f64),
}

/// Where a query's conditions find their columns: the service's, its id, and its place's.
#[derive(Clone, Copy)]
struct Columns {
    service: &'static str,
    id: &'static str,
    place: &'static str,
}

/// Services `s`, and their locations `sl` when the query joins them.
const JOINED: Columns = Columns {
    service: "s",
    id: "s.id",
    place: "sl",
};

/// One row of `directory_word_places` carries them all.
const WORD_PLACES: Columns = Columns {
    service: "wp",
    id: "wp.service_id",
    place: "wp",
};

/// A query's WHERE clause, built from the criteria given, with its arguments in order.
struct Filter {
    clauses: Vec<String>,
    args: Vec<Arg>,
    /// What a query over services at locations starts from (see [`located_from`]).
    source: Source,
}

enum Source {
    /// The locations in the bounding box, then their services.
    Positions,
    /// A table `fw (service_id)` of the services matching the first word, then their
    /// locations.
    FirstWord(String),
    /// `directory_word_places wp` alone.
    WordPlaces,
}

/// The arguments of a prefix search for `word` in `directory_service_words.word`.
fn word_range(f: &mut Filter, word: &str) -> (String, String) {
    let end = prefix_end(word).unwrap_or_else(|| format!("{word}{}", char::MAX));
    (f.arg(Arg::Text(word.to_string())), f.arg(Arg::Text(end)))
}

impl Filter {
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// Over services `s`, joined to their locations `sl` when `located` (one service at a
    /// location per row, which carries its place's position and Family Hub mark); otherwise
    /// the location conditions ask about any of the service's places.
    /// `first_word_drives`: the query starts from the services matching the first word
    /// (`fw`, see [`located_from`]), so no clause is added for it.
    fn new(
        c: &Criteria,
        located: bool,
        near: Option<&BoundingBox>,
        first_word_drives: bool,
    ) -> Self {
        let mut f = Self::over(c, JOINED, located, near, usize::from(first_word_drives));
        if let (true, Some(w)) = (first_word_drives, c.words.first()) {
            let (from, to) = word_range(&mut f, w);
            f.source = Source::FirstWord(format!(
                "(SELECT DISTINCT service_id FROM directory_service_words WHERE word >= {from} AND word < {to}) fw"
            ));
        }
        f
    }

    /// Over `directory_word_places wp` alone, whose rows are the first word's services at
    /// their locations with everything the conditions ask of them (migration 0014).
    fn over_word_places(c: &Criteria, first_word: &str, near: Option<&BoundingBox>) -> Self {
        let mut f = Self::over(c, WORD_PLACES, true, near, 1);
        f.source = Source::WordPlaces;
        let (from, to) = word_range(&mut f, first_word);
        f.clauses
            .push(format!("wp.word >= {from} AND wp.word < {to}"));
        f
    }

    /// The conditions, on the columns `at` names; the first `skip_words` words are the
    /// caller's to look for.
    fn over(
        c: &Criteria,
        at: Columns,
        located: bool,
        near: Option<&BoundingBox>,
        skip_words: usize,
    ) -> Self {
        let Columns {
            service: s,
            id,
            place: sl,
        } = at;
        let mut f = Filter {
            clauses: vec![format!("{s}.published = 1")],
            args: Vec::new(),
            source: Source::Positions,
        };
        if c.active_only {
            f.clauses.push(format!("{s}.status = 'active'"));
        }
        for w in c.words.iter().skip(skip_words) {
            let (from, to) = word_range(&mut f, w);
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_service_words w WHERE w.service_id = {id} AND w.word >= {from} AND w.word < {to})"
            ));
        }
        if let Some(t) = c.term_id {
            let p = f.arg(Arg::Text(t.to_string()));
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_service_terms st WHERE st.service_id = {id} AND st.term_id = {p})"
            ));
        }
        if let Some(t) = c.taxonomy_id {
            let p = f.arg(Arg::Text(t.to_string()));
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_service_terms st JOIN directory_taxonomy_terms tt ON tt.id = st.term_id
                 WHERE st.service_id = {id} AND tt.taxonomy_id = {p})"
            ));
        }
        if let Some(o) = c.organisation_id {
            let p = f.arg(Arg::Text(o.to_string()));
            f.clauses.push(format!("{s}.organisation_id = {p}"));
        }
        if let Some(m) = c.modified_after {
            let p = f.arg(Arg::Text(to_text(m)));
            f.clauses.push(format!("{s}.last_modified >= {p}"));
        }
        if let Some(age) = c.age {
            let p = f.arg(Arg::Float(age));
            let q = f.arg(Arg::Float(age));
            f.clauses.push(format!(
                "({s}.minimum_age IS NULL OR {s}.minimum_age <= {p}) AND ({s}.maximum_age IS NULL OR {s}.maximum_age >= {q})"
            ));
        }
        if let Some(age) = c.minimum_age {
            let p = f.arg(Arg::Float(age));
            f.clauses.push(format!("{s}.minimum_age >= {p}"));
        }
        if let Some(age) = c.maximum_age {
            let p = f.arg(Arg::Float(age));
            f.clauses.push(format!("{s}.maximum_age <= {p}"));
        }
        if c.free_only {
            f.clauses.push(format!("{s}.free = 1"));
        }
        // One schedule must match every part asked for: open on Sunday *and* from 9:00 is not
        // a Sunday afternoon session and a weekday morning one.
        let mut schedule = Vec::new();
        if let Some(day) = &c.day {
            let p = f.arg(Arg::Text(format!("%{}%", escape_like(day))));
            schedule.push(format!("sc.byday LIKE {p} ESCAPE '\\'"));
        }
        // Times are kept as `HH:MM` or, when imported, `HH:MM:SS`: compared to the minute.
        if let Some(from) = &c.opens_from {
            let p = f.arg(Arg::Text(from.clone()));
            schedule.push(format!("SUBSTR(sc.opens_at, 1, 5) >= {p}"));
        }
        if let Some(by) = &c.closes_by {
            let p = f.arg(Arg::Text(by.clone()));
            schedule.push(format!("SUBSTR(sc.closes_at, 1, 5) <= {p}"));
        }
        if !schedule.is_empty() {
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_schedules sc WHERE sc.service_id = {id} AND {})",
                schedule.join(" AND ")
            ));
        }
        if let Some(lang) = &c.language {
            let p = f.arg(Arg::Text(lang.clone()));
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_languages dl WHERE dl.service_id = {id} AND dl.code = {p})"
            ));
        }
        if c.family_hub_only && located {
            f.clauses.push(format!("{sl}.family_hub = 1"));
        } else if c.family_hub_only {
            f.clauses.push(format!(
                "EXISTS (SELECT 1 FROM directory_service_locations hub WHERE hub.service_id = {id} AND hub.family_hub = 1)"
            ));
        }
        if let Some(b) = near {
            let a = f.arg(Arg::Float(b.min_latitude));
            let z = f.arg(Arg::Float(b.max_latitude));
            let w = f.arg(Arg::Float(b.min_longitude));
            let e = f.arg(Arg::Float(b.max_longitude));
            f.clauses.push(format!(
                "{sl}.latitude BETWEEN {a} AND {z} AND {sl}.longitude BETWEEN {w} AND {e}"
            ));
        }
        f
    }

    fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for a in &self.args {
            q = match a {
                Arg::Text(t) => q.bind(t.as_str()),
                Arg::Float(x) => q.bind(*x),
            };
        }
        q
    }
}

const HIT_COLUMNS: &str = "s.id, s.organisation_id, s.name, s.description, s.url, s.email, s.status,
    s.minimum_age, s.maximum_age, s.free, s.cost_option_id, s.cost_description, s.access, s.contact_id,
    s.contact_name, s.phone_id, s.phone, s.service_area_id, s.service_area, s.last_reviewed, s.last_modified,
    o.name AS organisation_name";

const HIT_LOCATION_COLUMNS: &str = "sl.id AS sal_id, l.id AS l_id, l.name AS l_name, l.description AS l_description,
    l.address_id AS l_address_id, l.address_1 AS l_address_1, l.city AS l_city, l.postal_code AS l_postal_code,
    l.latitude AS l_latitude, l.longitude AS l_longitude, l.family_hub AS l_family_hub,
    l.accessibility_id AS l_accessibility_id, l.accessibility AS l_accessibility, l.source AS l_source";

fn hit_from(row: &AnyRow, with_location: bool) -> Result<Hit> {
    let at = if with_location {
        Some(HitLocation {
            service_at_location_id: uuid(row, "sal_id")?,
            location: location_from_prefixed(row, "l_")?,
            distance_metres: None,
        })
    } else {
        None
    };
    Ok(Hit {
        entry: entry_from(row)?,
        organisation_name: row.try_get("organisation_name")?,
        last_modified: parse_time(&row.try_get::<String, _>("last_modified")?)?,
        at,
    })
}

/// A page of services (one row each), by name, and how many match in all.
pub async fn services_page(
    conn: &mut Conn,
    c: &Criteria,
    paging: Paging,
) -> Result<(u64, Vec<Hit>)> {
    let f = Filter::new(c, false, None, false);
    let where_ = f.sql();
    let total: i64 = f
        .bind(sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM directory_services s WHERE {where_}"
        )))
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    // The page's ids come from the (published, name, id) index alone; only those rows are
    // then read in full and joined to their organisation. The limit and offset are written
    // into the SQL (they are numbers we made): as arguments, PostgreSQL would soon switch to
    // a generic plan that expects a tenth of the table and reads every service to join it.
    let sql = format!(
        "SELECT {HIT_COLUMNS} FROM directory_services s JOIN directory_organisations o ON o.id = s.organisation_id
         WHERE s.id IN (SELECT s.id FROM directory_services s WHERE {where_} ORDER BY s.name, s.id LIMIT {} OFFSET {})
         ORDER BY s.name, s.id",
        paging.per_page,
        paging.offset()
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    Ok((
        total as u64,
        rows.iter()
            .map(|r| hit_from(r, false))
            .collect::<Result<_>>()?,
    ))
}

/// A page of services at locations, and how many match in all.
pub async fn service_at_locations_page(
    conn: &mut Conn,
    c: &Criteria,
    paging: Paging,
) -> Result<(u64, Vec<Hit>)> {
    let f = Filter::new(c, true, None, false);
    let from = "directory_service_locations sl JOIN directory_services s ON s.id = sl.service_id
        JOIN directory_locations l ON l.id = sl.location_id JOIN directory_organisations o ON o.id = s.organisation_id";
    let where_ = f.sql();
    let total: i64 = f
        .bind(sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM {from} WHERE {where_}"
        )))
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let sql = format!(
        "SELECT {HIT_COLUMNS}, {HIT_LOCATION_COLUMNS} FROM {from} WHERE {where_} ORDER BY s.name, sl.id LIMIT {} OFFSET {}",
        paging.per_page,
        paging.offset()
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    Ok((
        total as u64,
        rows.iter()
            .map(|r| hit_from(r, true))
            .collect::<Result<_>>()?,
    ))
}

/// A service at a location within a search's radius, before its details are loaded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub service_at_location_id: Uuid,
    pub service_id: Uuid,
    pub distance_metres: f64,
}

/// Every service at a location within the radius, nearest first. The database discards what
/// is outside the bounding box and returns only ids and positions; the exact distance is
/// worked out here, so only the page a family sees is loaded in full ([`hits_at`]).
///
/// With a keyword the query starts from the services having the first word (an index range
/// on `directory_service_words`), then their locations in the box; without one it starts
/// from the locations in the box (the position index), then their services. SQLite takes
/// CROSS JOIN as the order to join in; PostgreSQL plans it like any other join.
pub async fn candidates_near(conn: &mut Conn, c: &Criteria, near: Near) -> Result<Vec<Candidate>> {
    let b = BoundingBox::around(near.centre, near.radius_metres);
    let f = Filter::new(c, true, Some(&b), true);
    let sql = format!(
        "SELECT sl.id AS sal_id, s.id, sl.latitude, sl.longitude FROM {}",
        located_from(&f)
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let (Some(la), Some(lo)) = (
            r.try_get::<Option<f64>, _>("latitude")?,
            r.try_get::<Option<f64>, _>("longitude")?,
        ) else {
            continue;
        };
        let Some(point) = Coordinates::new(la, lo) else {
            continue;
        };
        let d = distance_metres(near.centre, point);
        if d <= near.radius_metres {
            out.push(Candidate {
                service_at_location_id: uuid(r, "sal_id")?,
                service_id: uuid(r, "id")?,
                distance_metres: d,
            });
        }
    }
    out.sort_by(|a, b| {
        a.distance_metres
            .total_cmp(&b.distance_metres)
            .then_with(|| a.service_at_location_id.cmp(&b.service_at_location_id))
    });
    Ok(out)
}

/// The FROM and WHERE of a query over services at locations, in the join order that suits
/// the filter: from the word places, or the first word's services, when there is a keyword;
/// else from the positions.
/// SQLite takes CROSS JOIN as the order to join in; PostgreSQL plans it like any other join.
fn located_from(f: &Filter) -> String {
    match &f.source {
        Source::WordPlaces => format!("directory_word_places wp WHERE {}", f.sql()),
        Source::FirstWord(fw) => format!(
            "{fw} CROSS JOIN directory_services s CROSS JOIN directory_service_locations sl
             WHERE s.id = fw.service_id AND sl.service_id = s.id AND {}",
            f.sql()
        ),
        Source::Positions => format!(
            "directory_service_locations sl CROSS JOIN directory_services s
             WHERE s.id = sl.service_id AND {}",
            f.sql()
        ),
    }
}

/// The distance condition on a flat map around the centre ([`LocalPlane`]): plain
/// arithmetic both engines compute. Returns the squared distance's SQL.
fn within_plane(f: &mut Filter, near: Near, sl: &str) -> String {
    let plane = LocalPlane::around(near.centre);
    let la = f.arg(Arg::Float(near.centre.latitude));
    let lo = f.arg(Arg::Float(near.centre.longitude));
    let k = f.arg(Arg::Float(plane.x_scale));
    let r2 = f.arg(Arg::Float(LocalPlane::squared_degrees_of(
        near.radius_metres,
    )));
    let d2 = format!(
        "(({sl}.latitude - {la}) * ({sl}.latitude - {la}) + (({sl}.longitude - {lo}) * {k}) * (({sl}.longitude - {lo}) * {k}))"
    );
    f.clauses.push(format!("{d2} <= {r2}"));
    d2
}

/// A family's search by distance: the page of services nearest the centre, each at its
/// nearest location within the radius, and how many services there are within it in all.
/// The database finds each service's nearest location and counts them, so only the page
/// comes back (through sqlx, every row returned costs, most of all on SQLite); the distances
/// are on the [`LocalPlane`], as the radius is. With a keyword, one range of
/// `directory_word_places` holds every row the search looks at, so nothing is joined.
pub async fn nearest_services(
    conn: &mut Conn,
    c: &Criteria,
    near: Near,
    paging: Paging,
) -> Result<(u64, Vec<Candidate>)> {
    let b = BoundingBox::around(near.centre, near.radius_metres);
    let (mut f, at) = match c.words.first() {
        Some(first) => (Filter::over_word_places(c, first, Some(&b)), WORD_PLACES),
        None => (Filter::new(c, true, Some(&b), false), JOINED),
    };
    let d2 = within_plane(&mut f, near, at.place);
    let id = at.id;
    let nearest = format!(
        "SELECT {id} AS service_id, MIN({d2}) AS d2 FROM {} GROUP BY {id}",
        located_from(&f)
    );
    let sql = format!(
        "SELECT n.service_id, COUNT(*) OVER () AS total FROM ({nearest}) n
         ORDER BY n.d2, n.service_id LIMIT {} OFFSET {}",
        paging.per_page,
        paging.offset()
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    let total: i64 = match rows.first() {
        Some(r) => r.try_get("total")?,
        // Past the last page the window has no rows to count on.
        None if paging.offset() > 0 => f
            .bind(sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM ({nearest}) x"
            )))
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?,
        None => 0,
    };
    let page: Vec<Uuid> = rows
        .iter()
        .map(|r| uuid(r, "service_id"))
        .collect::<Result<_>>()?;
    if page.is_empty() {
        return Ok((total as u64, Vec::new()));
    }
    // Which of each page service's locations is the nearest that qualifies: the services
    // are known to match, so only the location's conditions are left (the radius, and being
    // a Family Hub when asked), checked here on the page's few locations.
    let list = (1..=page.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT sl.id AS sal_id, sl.service_id AS id, sl.latitude, sl.longitude, sl.family_hub
         FROM directory_service_locations sl WHERE sl.service_id IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for id in &page {
        q = q.bind(id.to_string());
    }
    let plane = LocalPlane::around(near.centre);
    // The same sum as the database's; the margin only covers the last bit of rounding.
    let r2 = LocalPlane::squared_degrees_of(near.radius_metres) * (1.0 + 1e-12);
    let mut best: HashMap<Uuid, Candidate> = HashMap::new();
    for r in &q.fetch_all(&mut *conn).await? {
        if c.family_hub_only && r.try_get::<i64, _>("family_hub")? == 0 {
            continue;
        }
        let (Some(la), Some(lo)) = (
            r.try_get::<Option<f64>, _>("latitude")?,
            r.try_get::<Option<f64>, _>("longitude")?,
        ) else {
            continue;
        };
        let Some(point) = Coordinates::new(la, lo).filter(|p| plane.squared_degrees(*p) <= r2)
        else {
            continue;
        };
        let candidate = Candidate {
            service_at_location_id: uuid(r, "sal_id")?,
            service_id: uuid(r, "id")?,
            distance_metres: plane.metres(point),
        };
        let keep = best.get(&candidate.service_id).is_none_or(|b| {
            candidate
                .distance_metres
                .total_cmp(&b.distance_metres)
                .then_with(|| {
                    candidate
                        .service_at_location_id
                        .cmp(&b.service_at_location_id)
                })
                .is_lt()
        });
        if keep {
            best.insert(candidate.service_id, candidate);
        }
    }
    Ok((
        total as u64,
        page.iter().filter_map(|id| best.remove(id)).collect(),
    ))
}

/// The services at these locations in full, in the order given, with their distances.
pub async fn hits_at(conn: &mut Conn, candidates: &[Candidate]) -> Result<Vec<Hit>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let list = (1..=candidates.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {HIT_COLUMNS}, {HIT_LOCATION_COLUMNS} FROM directory_service_locations sl
         JOIN directory_services s ON s.id = sl.service_id JOIN directory_locations l ON l.id = sl.location_id
         JOIN directory_organisations o ON o.id = s.organisation_id WHERE sl.id IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for c in candidates {
        q = q.bind(c.service_at_location_id.to_string());
    }
    let mut found: HashMap<Uuid, Hit> = HashMap::new();
    for r in q.fetch_all(conn).await?.iter() {
        let hit = hit_from(r, true)?;
        if let Some(at) = &hit.at {
            found.insert(at.service_at_location_id, hit);
        }
    }
    Ok(candidates
        .iter()
        .filter_map(|c| {
            let mut hit = found.remove(&c.service_at_location_id)?;
            if let Some(at) = hit.at.as_mut() {
                at.distance_metres = Some(c.distance_metres);
            }
            Some(hit)
        })
        .collect())
}

/// Where a service at a location is: the service's id and the location.
pub async fn service_at_location(conn: &mut Conn, id: Uuid) -> Result<(Uuid, Location)> {
    let row = sqlx::query(&format!(
        "SELECT sl.service_id, {LOCATION_COLUMNS} FROM directory_service_locations sl
         JOIN directory_locations l ON l.id = sl.location_id
         JOIN directory_services s ON s.id = sl.service_id
         WHERE sl.id = $1 AND s.published = 1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((uuid(&row, "service_id")?, location_from(&row)?))
}

/// The locations of a service, for the pages and the API.
pub async fn locations_of(conn: &mut Conn, e: &ServiceEntry) -> Result<Vec<(Uuid, Location)>> {
    let mut out = Vec::with_capacity(e.locations.len());
    for sal in &e.locations {
        out.push((sal.id, location(conn, sal.location_id).await?));
    }
    Ok(out)
}

/// The terms of a service, for the pages and the API.
pub async fn terms_of(conn: &mut Conn, e: &ServiceEntry) -> Result<Vec<(Uuid, Term)>> {
    let mut out = Vec::with_capacity(e.attributes.len());
    for a in &e.attributes {
        out.push((a.id, term(conn, a.term_id).await?));
    }
    Ok(out)
}
