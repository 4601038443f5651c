//! Open Referral UK 3.0 (the UK profile of HSDS 3.0): the JSON shapes Hearth publishes and
//! imports, and the mapping to and from the directory's records. One set of types serves both
//! directions, so what we publish is exactly what we can read back.

use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::directory::{access_term, language_name, AccessMethod, ServiceStatus};
use hearth_domain::input::is_web_address;
use hearth_store::directory::{
    self as dir, DirectoryOrganisation, Location as StoredLocation, Service as StoredService,
    ServiceEntry, Term,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The HSDS version and the profile Hearth publishes.
pub const HSDS_VERSION: &str = "3.0";
pub const PROFILE: &str = "https://openreferraluk.org/";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Service {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assured_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedules: Option<Vec<Schedule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_areas: Option<Vec<ServiceArea>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_at_locations: Option<Vec<ServiceAtLocation>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<Language>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_options: Option<Vec<CostOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<Contact>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_at_location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freq: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServiceArea {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// In `/service_at_locations` listings: the service's one-to-one fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Box<Service>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Location {
    pub id: Uuid,
    pub location_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<Vec<Accessibility>>,
    /// Family Hubs are marked with this flag, a local property: ORUK allows them and asks
    /// for a convention that marks them, and ours is `x_` and the supplier's name (ADR 0015).
    /// Feeds from Hearth before that called it `family_hub`, which imports still read.
    #[serde(
        default,
        rename = "x_hearth_family_hub",
        alias = "family_hub",
        skip_serializing_if = "Option::is_none"
    )]
    pub family_hub: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    pub address_1: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
    pub address_type: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Accessibility {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Language {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    /// HSDS 3.0's name and code, which the UK profile's schema leaves open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CostOption {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Contact {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// HSDS 3.0 puts phones on contacts; the UK profile's schema leaves them open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<Phone>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Phone {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<Uuid>,
    pub number: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Attribute {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_term_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_term: Option<TaxonomyTerm>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Taxonomy {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TaxonomyTerm {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

/// A page of results, HSDS 3.0's shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page<T> {
    pub total_items: u64,
    pub total_pages: u64,
    pub page_number: u64,
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    pub fn new(contents: Vec<T>, total_items: u64, page: u32, per_page: u32) -> Self {
        let total_pages = total_items.div_ceil(u64::from(per_page.max(1)));
        let page_number = u64::from(page);
        Self {
            total_items,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page: page_number <= 1,
            last_page: page_number >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

pub fn organization(o: &DirectoryOrganisation) -> Organization {
    Organization {
        id: o.id,
        name: o.name.clone(),
        description: o.description.clone(),
        email: o.email.clone(),
        website: o.website.clone(),
    }
}

pub fn term(t: &Term) -> TaxonomyTerm {
    TaxonomyTerm {
        id: t.id,
        name: t.name.clone(),
        description: t.description.clone(),
        parent_id: t.parent_id,
        taxonomy: Some(t.taxonomy_name.clone()),
        taxonomy_id: Some(t.taxonomy_id),
        term: Some(t.code.clone()),
    }
}

pub fn taxonomy(t: &dir::Taxonomy) -> Taxonomy {
    Taxonomy {
        id: t.id,
        name: t.name.clone(),
        description: t.description.clone(),
        uri: t.uri.clone(),
        version: t.version.clone(),
    }
}

/// A location with its address and accessibility (`full`), or its one-to-one fields.
pub fn location(l: &StoredLocation, full: bool) -> Location {
    Location {
        id: l.id,
        location_type: "physical".into(),
        name: Some(l.name.clone()),
        description: l.description.clone(),
        latitude: l.latitude,
        longitude: l.longitude,
        addresses: full.then(|| {
            vec![Address {
                id: l.address_id,
                location_id: Some(l.id),
                address_1: l.address_1.clone(),
                city: l.city.clone(),
                state_province: "England".into(),
                postal_code: l.postal_code.clone(),
                country: "GB".into(),
                address_type: "physical".into(),
            }]
        }),
        accessibility: full.then(|| {
            l.accessibility
                .iter()
                .map(|a| Accessibility {
                    id: l.accessibility_id,
                    location_id: Some(l.id),
                    description: Some(a.clone()),
                })
                .collect()
        }),
        family_hub: Some(l.family_hub),
    }
}

/// A service's one-to-one fields: what listings carry.
pub fn service_summary(e: &ServiceEntry, last_modified: DateTime<Utc>) -> Service {
    Service {
        id: e.id,
        organization_id: Some(e.organisation_id),
        name: e.name.clone(),
        description: Some(e.description.clone()),
        url: e.url.clone(),
        email: e.email.clone(),
        status: e.status.code().into(),
        minimum_age: e.minimum_age,
        maximum_age: e.maximum_age,
        assured_date: Some(e.last_reviewed.to_string()),
        last_modified: Some(last_modified),
        ..Service::default()
    }
}

/// The whole service, nested as `/services/{id}` gives it.
pub fn full_service(
    s: &StoredService,
    locations: &[(Uuid, StoredLocation)],
    terms: &[(Uuid, Term)],
) -> Service {
    let e = &s.entry;
    let free_text = "Free".to_string();
    Service {
        organization: Some(organization(&s.organisation)),
        schedules: Some(
            e.schedules
                .iter()
                .map(|x| Schedule {
                    id: x.id,
                    service_id: Some(e.id),
                    service_at_location_id: x.service_at_location_id,
                    freq: Some("WEEKLY".into()),
                    byday: Some(x.byday.clone()),
                    opens_at: x.opens_at.clone(),
                    closes_at: x.closes_at.clone(),
                    description: x.description.clone(),
                })
                .collect(),
        ),
        service_areas: Some(
            e.service_area
                .iter()
                .map(|name| ServiceArea {
                    id: e.service_area_id,
                    service_id: Some(e.id),
                    name: Some(name.clone()),
                })
                .collect(),
        ),
        service_at_locations: Some(
            locations
                .iter()
                .map(|(id, l)| ServiceAtLocation {
                    id: *id,
                    service_id: Some(e.id),
                    location_id: Some(l.id),
                    location: Some(location(l, true)),
                    service: None,
                })
                .collect(),
        ),
        languages: Some(
            e.languages
                .iter()
                .map(|l| Language {
                    id: l.id,
                    service_id: Some(e.id),
                    name: Some(l.name.clone()),
                    code: Some(l.code.clone()),
                })
                .collect(),
        ),
        cost_options: Some(vec![CostOption {
            id: e.cost_option_id,
            service_id: Some(e.id),
            option: Some(if e.free {
                free_text
            } else {
                e.cost_description
                    .clone()
                    .unwrap_or_else(|| "Charge".into())
            }),
            amount: e.free.then_some(0.0),
            amount_description: e.cost_description.clone(),
        }]),
        contacts: Some(
            (e.contact_name.is_some() || e.phone.is_some())
                .then(|| Contact {
                    id: e.contact_id,
                    service_id: Some(e.id),
                    name: e.contact_name.clone(),
                    phones: Some(
                        e.phone
                            .iter()
                            .map(|n| Phone {
                                id: e.phone_id,
                                contact_id: Some(e.contact_id),
                                number: n.clone(),
                            })
                            .collect(),
                    ),
                })
                .into_iter()
                .collect(),
        ),
        attributes: Some(
            terms
                .iter()
                .map(|(id, t)| Attribute {
                    id: *id,
                    link_id: Some(e.id),
                    taxonomy_term_id: Some(t.id),
                    link_type: Some("service".into()),
                    taxonomy_term: Some(term(t)),
                })
                .collect(),
        ),
        ..service_summary(e, s.last_modified)
    }
}

/// What an imported service becomes in the directory.
#[derive(Debug, Clone)]
pub struct Imported {
    pub organisation: DirectoryOrganisation,
    pub locations: Vec<StoredLocation>,
    pub taxonomies: Vec<dir::Taxonomy>,
    pub terms: Vec<Term>,
    pub entry: ServiceEntry,
}

/// Maps a service from another publisher's feed into the directory's records. Fails with the
/// reasons when the service cannot be used (the schema check comes first; this catches what
/// the schema allows but the directory needs: an organisation, a known status).
pub fn import(s: &Service, source: &str, today: NaiveDate) -> Result<Imported, Vec<String>> {
    let mut problems = Vec::new();
    let Some(org) = &s.organization else {
        return Err(vec!["the service has no organization".into()]);
    };
    if s.organization_id.is_some_and(|id| id != org.id) {
        problems.push("organization_id does not match organization.id".into());
    }
    let status = ServiceStatus::from_code(&s.status);
    if status.is_none() {
        problems.push(format!("status '{}' is not an ORUK status", s.status));
    }
    if s.name.trim().is_empty() {
        problems.push("name is empty".into());
    }
    if let (Some(a), Some(b)) = (s.minimum_age, s.maximum_age) {
        if a > b {
            problems.push(format!("minimum_age {a} is above maximum_age {b}"));
        }
    }
    // The same rule as the service editor's: a feed's link could otherwise be `javascript:`
    // and run in the browser of whoever follows it from our directory.
    for (field, link) in [("url", &s.url), ("organization.website", &org.website)] {
        if let Some(l) = link.as_deref().filter(|l| !l.is_empty()) {
            if !is_web_address(l) {
                problems.push(format!(
                    "{field} {l:?} is not a web address: only https and http links are published"
                ));
            }
        }
    }
    let mut locations = Vec::new();
    let mut sals = Vec::new();
    for sal in s.service_at_locations.iter().flatten() {
        let Some(l) = &sal.location else {
            problems.push(format!("service_at_location {} has no location", sal.id));
            continue;
        };
        let address = l.addresses.iter().flatten().next();
        locations.push(StoredLocation {
            id: l.id,
            name: l
                .name
                .clone()
                .or_else(|| address.map(|a| a.address_1.clone()))
                .unwrap_or_else(|| s.name.clone()),
            description: l.description.clone(),
            address_id: address
                .map(|a| a.id)
                .unwrap_or_else(|| Uuid::new_v5_like(&l.id.to_string(), "address")),
            address_1: address.map(|a| a.address_1.clone()).unwrap_or_default(),
            city: address.map(|a| a.city.clone()).unwrap_or_default(),
            postal_code: address.map(|a| a.postal_code.clone()).unwrap_or_default(),
            latitude: l.latitude,
            longitude: l.longitude,
            family_hub: l.family_hub.unwrap_or(false),
            accessibility_id: l
                .accessibility
                .iter()
                .flatten()
                .next()
                .map(|a| a.id)
                .unwrap_or_else(|| Uuid::new_v5_like(&l.id.to_string(), "accessibility")),
            accessibility: l
                .accessibility
                .iter()
                .flatten()
                .filter_map(|a| a.description.clone())
                .next(),
            source: source.into(),
        });
        sals.push(dir::ServiceAtLocation {
            id: sal.id,
            location_id: l.id,
        });
    }
    let mut taxonomies: Vec<dir::Taxonomy> = Vec::new();
    let mut terms = Vec::new();
    let mut attributes = Vec::new();
    for a in s.attributes.iter().flatten() {
        let Some(t) = &a.taxonomy_term else {
            problems.push(format!("attribute {} has no taxonomy_term", a.id));
            continue;
        };
        // A term without a taxonomy gets one of its own, named after the publisher.
        let taxonomy_id = t
            .taxonomy_id
            .unwrap_or_else(|| Uuid::new_v5_like(source, "taxonomy"));
        if !taxonomies.iter().any(|x| x.id == taxonomy_id) {
            taxonomies.push(dir::Taxonomy {
                id: taxonomy_id,
                name: t
                    .taxonomy
                    .clone()
                    .unwrap_or_else(|| format!("Terms of {source}")),
                description: format!("Imported from {source}"),
                uri: None,
                version: None,
            });
        }
        terms.push(Term {
            id: t.id,
            taxonomy_id,
            taxonomy_name: String::new(),
            code: t.term.clone().unwrap_or_else(|| t.id.to_string()),
            name: t.name.clone(),
            description: t.description.clone(),
            parent_id: t.parent_id,
        });
        attributes.push(dir::Attribute {
            id: a.id,
            term_id: t.id,
        });
    }
    let access = terms
        .iter()
        .find_map(|t| AccessMethod::from_code(&t.code))
        .unwrap_or(AccessMethod::SelfReferral);
    let cost = s.cost_options.iter().flatten().next();
    let free = s.cost_options.iter().flatten().any(|c| {
        c.amount == Some(0.0)
            || c.option
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case("free"))
    });
    let contact = s.contacts.iter().flatten().next();
    let phone = contact.and_then(|c| c.phones.iter().flatten().next());
    let (Some(status), true) = (status, problems.is_empty()) else {
        return Err(problems);
    };
    // Parts the feed gives no id get one made from the service's, so importing again matches.
    let part = |what: &str| Uuid::new_v5_like(&s.id.to_string(), what);
    Ok(Imported {
        organisation: DirectoryOrganisation {
            id: org.id,
            name: org.name.clone(),
            description: org.description.clone(),
            email: org.email.clone(),
            website: org.website.clone(),
            partner_organisation_id: None,
            source: source.into(),
        },
        locations,
        taxonomies,
        terms,
        entry: ServiceEntry {
            id: s.id,
            organisation_id: org.id,
            name: s.name.trim().to_string(),
            description: s.description.clone().unwrap_or_default(),
            url: s.url.clone(),
            email: s.email.clone(),
            status,
            minimum_age: s.minimum_age,
            maximum_age: s.maximum_age,
            free,
            cost_option_id: cost.map(|c| c.id).unwrap_or_else(|| part("cost_option")),
            cost_description: cost.and_then(|c| c.amount_description.clone().or(c.option.clone())),
            access,
            contact_id: contact.map(|c| c.id).unwrap_or_else(|| part("contact")),
            contact_name: contact.and_then(|c| c.name.clone()),
            phone_id: phone.map(|p| p.id).unwrap_or_else(|| part("phone")),
            phone: phone.map(|p| p.number.clone()),
            service_area_id: s
                .service_areas
                .iter()
                .flatten()
                .next()
                .map(|a| a.id)
                .unwrap_or_else(|| part("service_area")),
            service_area: s
                .service_areas
                .iter()
                .flatten()
                .find_map(|a| a.name.clone()),
            last_reviewed: s
                .assured_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or(today),
            schedules: s
                .schedules
                .iter()
                .flatten()
                .filter_map(|x| {
                    Some(dir::Schedule {
                        id: x.id,
                        service_at_location_id: x.service_at_location_id,
                        byday: x.byday.clone()?,
                        opens_at: x.opens_at.clone(),
                        closes_at: x.closes_at.clone(),
                        description: x.description.clone(),
                    })
                })
                .collect(),
            languages: s
                .languages
                .iter()
                .flatten()
                .filter_map(|l| {
                    let code = l.code.clone()?;
                    Some(dir::Language {
                        id: l.id,
                        name: l
                            .name
                            .clone()
                            .or_else(|| language_name(&code).map(str::to_string))
                            .unwrap_or_else(|| code.clone()),
                        code,
                    })
                })
                .collect(),
            locations: sals,
            attributes,
            // A feed carries the publisher's own text only (see ADR 0017).
            translations: Vec::new(),
        },
    })
}

/// The access term Hearth adds to every local service's attributes.
pub fn access_attribute_term(access: AccessMethod) -> Option<Uuid> {
    access_term(access).and_then(|t| t.id.parse().ok())
}

/// A stable id made from text, for parts a feed leaves without one: the same text always
/// gives the same id, so importing a feed again changes nothing.
trait StableId {
    fn new_v5_like(namespace: &str, name: &str) -> Uuid;
}

impl StableId for Uuid {
    fn new_v5_like(namespace: &str, name: &str) -> Uuid {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{namespace}\u{0}{name}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }
}
