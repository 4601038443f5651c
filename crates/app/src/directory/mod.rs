//! The directory of services: what families find (no sign-in), what the Open Referral API
//! publishes, how editors change entries and reviewers publish them, and imports from other
//! publishers and of postcodes.

pub mod oruk;
pub mod places;
pub mod service_requests;

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::directory::{
    edit_route, language_name, parse_age, parse_page, parse_page_size, review_due, AccessMethod,
    ChangeStatus, Coordinates, EditRoute, Paging, Postcode, SearchProblem, ServiceStatus,
    DEFAULT_DISTANCE_MILES, DISTANCE_CHOICES_MILES, HEARTH_TAXONOMIES, METRES_PER_MILE, NEEDS,
    SERVICE_LANGUAGES, WEEKDAYS,
};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::directory::{
    self as dir, Criteria, DirectoryOrganisation, Hit, Location, Near, Service, ServiceEntry,
    ServiceLine, ServiceText, Term, Written, LOCAL,
};
use hearth_store::{accounts::organisations, audit, Store, StoreError};
use oruk::Page;
use serde::Deserialize;
use uuid::Uuid;

/// Results a family sees on one page.
pub const FAMILY_PAGE_SIZE: u32 = 10;
/// The API's page size when none is asked for.
pub const API_PAGE_SIZE: u32 = 50;
/// The longest search text we look at.
const MAX_SEARCH_CHARS: usize = 200;

/// The family's search form, as typed (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindForm {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub distance: String,
    #[serde(default)]
    pub free: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub hub: String,
    #[serde(default)]
    pub page: String,
}

impl FindForm {
    /// True when the family has asked for anything at all.
    pub fn is_search(&self) -> bool {
        [
            &self.q,
            &self.need,
            &self.age,
            &self.postcode,
            &self.free,
            &self.day,
            &self.language,
            &self.hub,
        ]
        .iter()
        .any(|f| !f.trim().is_empty())
    }
}

/// What a family's search found, or the problems with it (by field), in which case nothing was
/// searched.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub problems: Vec<(&'static str, SearchProblem)>,
    pub total: u64,
    pub hits: Vec<Hit>,
    pub paging: Option<Paging>,
    pub distance_miles: Option<u32>,
}

impl Findings {
    pub fn total_pages(&self) -> u64 {
        self.paging.map(|p| p.total_pages(self.total)).unwrap_or(0)
    }
}

/// A service as a family's page shows it.
#[derive(Debug, Clone)]
pub struct ServiceView {
    pub service: Service,
    pub locations: Vec<(Uuid, Location)>,
    pub terms: Vec<(Uuid, Term)>,
}

/// The Open Referral API's query parameters, as given.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrukQuery {
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub taxonomy_term_id: String,
    #[serde(default)]
    pub taxonomy_id: String,
    #[serde(default)]
    pub organization_id: String,
    #[serde(default)]
    pub modified_after: String,
    #[serde(default)]
    pub minimum_age: String,
    #[serde(default)]
    pub maximum_age: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub per_page: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub proximity: String,
    /// An RFC 5545 day code, `MO` to `SU`.
    #[serde(default)]
    pub day: String,
    /// `HH:MM` or `HH:MM:SS`.
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
}

impl Hearth {
    /// What keyword search looks for when a family or the API types `text`
    /// ([`Vocabulary::query_tokens`](hearth_domain::vocabulary::Vocabulary::query_tokens)).
    fn words(&self, text: &str) -> Vec<String> {
        let text: String = text.chars().take(MAX_SEARCH_CHARS).collect();
        self.policies.vocabulary.query_tokens(&text)
    }

    /// Makes sure Hearth's own taxonomies (needs, age bands, delivery) are in the directory,
    /// and that every service can be found by its words (services saved before keyword search
    /// had its own table are indexed now, once).
    pub async fn ensure_directory_taxonomies(&self) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        for t in HEARTH_TAXONOMIES {
            let id: Uuid =
                t.id.parse()
                    .map_err(|_| AppError::Internal(format!("taxonomy id {}", t.id)))?;
            dir::put_taxonomy(
                &mut tx,
                &dir::Taxonomy {
                    id,
                    name: t.name.into(),
                    description: t.description.into(),
                    uri: None,
                    version: Some("1".into()),
                },
            )
            .await?;
            for term in t.terms {
                dir::put_term(
                    &mut tx,
                    &self.policies.vocabulary,
                    &Term {
                        id: term
                            .id
                            .parse()
                            .map_err(|_| AppError::Internal(format!("term id {}", term.id)))?,
                        taxonomy_id: id,
                        taxonomy_name: t.name.into(),
                        code: term.code.into(),
                        name: term.name.into(),
                        description: term
                            .domain
                            .map(|d| format!("Within the headline outcome: {}", d.label()))
                            .unwrap_or_else(|| term.name.into()),
                        parent_id: None,
                    },
                )
                .await?;
            }
        }
        dir::index_services(&mut tx, &self.policies.vocabulary).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Where a postcode (or an outward code) is, or the problem with it.
    async fn locate(
        conn: &mut hearth_store::Conn,
        text: &str,
    ) -> Result<Result<Coordinates, SearchProblem>, AppError> {
        let Some(postcode) = Postcode::parse(text) else {
            return Ok(Err(SearchProblem::PostcodeMalformed));
        };
        Ok(dir::locate(conn, &postcode)
            .await?
            .ok_or(SearchProblem::PostcodeUnknown))
    }

    /// A family's search. Needs no sign-in and touches no personal data, so it is not audited.
    pub async fn find_services(&self, form: &FindForm) -> Result<Findings, AppError> {
        let mut problems = Vec::new();
        let age = parse_age(&form.age).unwrap_or_else(|p| {
            problems.push(("age", p));
            None
        });
        let page = parse_page(&form.page).unwrap_or_else(|p| {
            problems.push(("page", p));
            1
        });
        // One connection for the whole search: the postcode, then the services.
        let mut conn = self.store.read().await?;
        let mut near = None;
        let mut distance_miles = None;
        if !form.postcode.trim().is_empty() {
            let miles = match form.distance.trim() {
                "" => Some(DEFAULT_DISTANCE_MILES),
                d => d
                    .parse::<u32>()
                    .ok()
                    .filter(|m| DISTANCE_CHOICES_MILES.contains(m)),
            };
            match (Self::locate(&mut conn, &form.postcode).await?, miles) {
                (Err(p), _) => problems.push(("postcode", p)),
                (Ok(_), None) => problems.push(("distance", SearchProblem::DistanceInvalid)),
                (Ok(centre), Some(m)) => {
                    distance_miles = Some(m);
                    near = Some(Near {
                        centre,
                        radius_metres: f64::from(m) * METRES_PER_MILE,
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Ok(Findings {
                problems,
                ..Findings::default()
            });
        }
        let term_id = match form.need.trim() {
            "" => None,
            code => dir::term_by_code(&mut conn, code).await?.map(|t| t.id),
        };
        let criteria = Criteria {
            words: self.words(&form.q),
            term_id,
            age,
            free_only: form.free == "yes",
            day: WEEKDAYS
                .iter()
                .find(|(c, _)| *c == form.day)
                .map(|(c, _)| c.to_string()),
            language: SERVICE_LANGUAGES
                .iter()
                .find(|(c, _)| *c == form.language)
                .map(|(c, _)| c.to_string()),
            family_hub_only: form.hub == "yes",
            active_only: true,
            ..Criteria::default()
        };
        let paging = Paging {
            page,
            per_page: FAMILY_PAGE_SIZE,
        };
        let (total, hits) = match near {
            Some(near) => {
                let (total, page) =
                    dir::nearest_services(&mut conn, &criteria, near, paging).await?;
                (total, dir::hits_at(&mut conn, &page).await?)
            }
            None => dir::services_page(&mut conn, &criteria, paging).await?,
        };
        Ok(Findings {
            problems,
            total,
            hits,
            paging: Some(paging),
            distance_miles,
        })
    }

    /// The translations of these services' names and descriptions into a family's language
    /// (`ar`, `ur`, …), for the services that have one.
    pub async fn service_texts_in(
        &self,
        services: &[Uuid],
        language: &str,
    ) -> Result<std::collections::HashMap<Uuid, ServiceText>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(dir::texts_in(&mut conn, services, language).await?)
    }

    /// The needs a family can choose from.
    pub async fn directory_needs(&self) -> Result<Vec<Term>, AppError> {
        let mut conn = self.store.read().await?;
        let id: Uuid = NEEDS
            .id
            .parse()
            .map_err(|_| AppError::Internal("needs taxonomy id".into()))?;
        Ok(dir::all_terms_of(&mut conn, id).await?)
    }

    /// A published service with its locations and terms; not found while it awaits its first
    /// review.
    pub async fn published_service(&self, id: Uuid) -> Result<ServiceView, AppError> {
        let mut conn = self.store.read().await?;
        let service = dir::service(&mut conn, id).await?;
        if !service.published {
            return Err(AppError::NotFound);
        }
        let locations = dir::locations_of(&mut conn, &service.entry).await?;
        let terms = dir::terms_of(&mut conn, &service.entry).await?;
        Ok(ServiceView {
            service,
            locations,
            terms,
        })
    }

    // ----- the Open Referral UK API -----

    fn oruk_criteria(&self, q: &OrukQuery) -> Result<(Criteria, Paging), FieldErrors> {
        let mut e = FieldErrors::new();
        let mut id = |field: &str, text: &str| -> Option<Uuid> {
            match text.trim() {
                "" => None,
                t => t
                    .parse()
                    .map_err(|_| e.add(field, format!("{field} must be a UUID")))
                    .ok(),
            }
        };
        let term_id = id("taxonomy_term_id", &q.taxonomy_term_id);
        let taxonomy_id = id("taxonomy_id", &q.taxonomy_id);
        let organisation_id = id("organization_id", &q.organization_id);
        let modified_after = match q.modified_after.trim() {
            "" => None,
            t => DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc))
                .or_else(|_| {
                    NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
                })
                .map_err(|_| {
                    e.add(
                        "modified_after",
                        "modified_after must be a date or date-time, like 2026-01-31 or 2026-01-31T09:00:00Z",
                    )
                })
                .ok(),
        };
        let mut age = |field: &str, text: &str| {
            parse_age(text)
                .map_err(|p| e.add(field, format!("{field}: {}", p.message())))
                .ok()
                .flatten()
        };
        let minimum_age = age("minimum_age", &q.minimum_age);
        let maximum_age = age("maximum_age", &q.maximum_age);
        let day = match q.day.trim() {
            "" => None,
            d => WEEKDAYS
                .iter()
                .find(|(code, _)| code.eq_ignore_ascii_case(d))
                .map(|(code, _)| code.to_string())
                .or_else(|| {
                    e.add("day", "day must be one of MO, TU, WE, TH, FR, SA or SU");
                    None
                }),
        };
        let mut time = |field: &str, text: &str| match text.trim() {
            "" => None,
            t => chrono::NaiveTime::parse_from_str(t, "%H:%M:%S")
                .or_else(|_| chrono::NaiveTime::parse_from_str(t, "%H:%M"))
                .map(|t| t.format("%H:%M").to_string())
                .map_err(|_| {
                    e.add(
                        field,
                        format!("{field} must be a time, like 09:30 or 09:30:00"),
                    )
                })
                .ok(),
        };
        let opens_from = time("start_time", &q.start_time);
        let closes_by = time("end_time", &q.end_time);
        let page = parse_page(&q.page)
            .map_err(|p| e.add("page", p.message()))
            .unwrap_or(1);
        let per_page = parse_page_size(&q.per_page, API_PAGE_SIZE)
            .map_err(|p| e.add("per_page", p.message()))
            .unwrap_or(API_PAGE_SIZE);
        e.into_result((
            Criteria {
                words: self.words(&q.search),
                term_id,
                taxonomy_id,
                organisation_id,
                modified_after,
                minimum_age,
                maximum_age,
                day,
                opens_from,
                closes_by,
                ..Criteria::default()
            },
            Paging { page, per_page },
        ))
    }

    /// `GET /services`: a page of services' one-to-one fields.
    pub async fn oruk_services(&self, q: &OrukQuery) -> Result<Page<oruk::Service>, AppError> {
        let (criteria, paging) = self.oruk_criteria(q).map_err(AppError::Invalid)?;
        let mut conn = self.store.read().await?;
        let (total, hits) = dir::services_page(&mut conn, &criteria, paging).await?;
        Ok(Page::new(
            hits.iter()
                .map(|h| oruk::service_summary(&h.entry, h.last_modified))
                .collect(),
            total,
            paging.page,
            paging.per_page,
        ))
    }

    /// `GET /services/{id}`: the whole service.
    pub async fn oruk_service(&self, id: Uuid) -> Result<oruk::Service, AppError> {
        let v = self.published_service(id).await?;
        Ok(oruk::full_service(&v.service, &v.locations, &v.terms))
    }

    /// `GET /service_at_locations`: services at locations, near a postcode when one is given.
    pub async fn oruk_service_at_locations(
        &self,
        q: &OrukQuery,
    ) -> Result<Page<oruk::ServiceAtLocation>, AppError> {
        let (criteria, paging) = self.oruk_criteria(q).map_err(AppError::Invalid)?;
        let mut conn = self.store.read().await?;
        let near = if q.postcode.trim().is_empty() {
            None
        } else {
            let radius = match q.proximity.trim() {
                "" => f64::from(DEFAULT_DISTANCE_MILES) * METRES_PER_MILE,
                p => match p.parse::<f64>() {
                    Ok(m) if m.is_finite() && m > 0.0 => m,
                    _ => {
                        let mut e = FieldErrors::new();
                        e.add("proximity", "proximity must be a positive number of metres");
                        return Err(AppError::Invalid(e));
                    }
                },
            };
            match Self::locate(&mut conn, &q.postcode).await? {
                Ok(centre) => Some(Near {
                    centre,
                    radius_metres: radius,
                }),
                Err(p) => {
                    let mut e = FieldErrors::new();
                    e.add("postcode", p.message());
                    return Err(AppError::Invalid(e));
                }
            }
        };
        let (total, hits) = match near {
            Some(near) => {
                let all = dir::candidates_near(&mut conn, &criteria, near).await?;
                let page: Vec<_> = all
                    .iter()
                    .skip(paging.offset() as usize)
                    .take(paging.per_page as usize)
                    .copied()
                    .collect();
                (all.len() as u64, dir::hits_at(&mut conn, &page).await?)
            }
            None => dir::service_at_locations_page(&mut conn, &criteria, paging).await?,
        };
        let contents = hits
            .iter()
            .filter_map(|h| {
                let at = h.at.as_ref()?;
                Some(oruk::ServiceAtLocation {
                    id: at.service_at_location_id,
                    service_id: Some(h.entry.id),
                    location_id: Some(at.location.id),
                    location: Some(oruk::location(&at.location, false)),
                    service: Some(Box::new(oruk::service_summary(&h.entry, h.last_modified))),
                })
            })
            .collect();
        Ok(Page::new(contents, total, paging.page, paging.per_page))
    }

    /// `GET /service_at_locations/{id}`: the location in full, and the service in full.
    pub async fn oruk_service_at_location(
        &self,
        id: Uuid,
    ) -> Result<oruk::ServiceAtLocation, AppError> {
        let mut conn = self.store.read().await?;
        let (service_id, location) = dir::service_at_location(&mut conn, id).await?;
        drop(conn);
        let service = self.oruk_service(service_id).await?;
        Ok(oruk::ServiceAtLocation {
            id,
            service_id: Some(service_id),
            location_id: Some(location.id),
            location: Some(oruk::location(&location, true)),
            service: Some(Box::new(service)),
        })
    }

    pub async fn oruk_taxonomies(&self, q: &OrukQuery) -> Result<Page<oruk::Taxonomy>, AppError> {
        let (_, paging) = self.oruk_criteria(q).map_err(AppError::Invalid)?;
        let mut conn = self.store.read().await?;
        let (total, list) = dir::taxonomies(&mut conn, paging).await?;
        Ok(Page::new(
            list.iter().map(oruk::taxonomy).collect(),
            total,
            paging.page,
            paging.per_page,
        ))
    }

    pub async fn oruk_taxonomy(&self, id: Uuid) -> Result<oruk::Taxonomy, AppError> {
        let mut conn = self.store.read().await?;
        Ok(oruk::taxonomy(&dir::taxonomy(&mut conn, id).await?))
    }

    pub async fn oruk_terms(&self, q: &OrukQuery) -> Result<Page<oruk::TaxonomyTerm>, AppError> {
        let (c, paging) = self.oruk_criteria(q).map_err(AppError::Invalid)?;
        let mut conn = self.store.read().await?;
        let (total, list) = dir::terms(&mut conn, c.taxonomy_id, paging).await?;
        Ok(Page::new(
            list.iter().map(oruk::term).collect(),
            total,
            paging.page,
            paging.per_page,
        ))
    }

    pub async fn oruk_term(&self, id: Uuid) -> Result<oruk::TaxonomyTerm, AppError> {
        let mut conn = self.store.read().await?;
        Ok(oruk::term(&dir::term(&mut conn, id).await?))
    }

    // ----- editing and review -----

    /// The services an editor looks after (a reviewer: every local service), least recently
    /// reviewed first, and the changes waiting for review.
    pub async fn directory_desk(
        &self,
        actor: &Actor,
    ) -> Result<(Vec<ServiceLine>, Vec<dir::Change>), AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let reviewer = actor.can(Capability::ReviewDirectory);
        let mut conn = self.store.read().await?;
        let lines =
            dir::service_lines(&mut conn, (!reviewer).then_some(actor.organisation_id)).await?;
        let pending = if reviewer {
            dir::pending_changes(&mut conn).await?
        } else {
            Vec::new()
        };
        Ok((lines, pending))
    }

    /// A service's entry for editing, with the route its changes would take.
    pub async fn service_for_editing(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(Service, EditRoute, Vec<dir::Change>), AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let mut conn = self.store.read().await?;
        let service = dir::service(&mut conn, id).await?;
        let route = edit_route(
            &actor.roles,
            actor.organisation_id,
            service.organisation.partner_organisation_id,
            service.source != LOCAL,
        );
        let history = dir::history(&mut conn, id).await?;
        drop(conn);
        match route {
            Some(r) => Ok((service, r, history)),
            None => Err(self
                .refused(actor, "directory_service", id.to_string())
                .await),
        }
    }

    /// Saves an editor's change to a service (or a new service when `id` is `None`): a
    /// reviewer's is published at once, a partner's waits for review. Either way it is kept in
    /// the service's history and audited.
    pub async fn change_service(
        &self,
        actor: &Actor,
        id: Option<Uuid>,
        form: &ServiceForm,
    ) -> Result<(Uuid, EditRoute), AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let now = self.now();
        let today = now.date_naive();
        let mut tx = self.store.write().await?;
        let (base, version, org, route) = match id {
            Some(id) => {
                let s = dir::service(&mut tx, id).await?;
                let Some(route) = edit_route(
                    &actor.roles,
                    actor.organisation_id,
                    s.organisation.partner_organisation_id,
                    s.source != LOCAL,
                ) else {
                    drop(tx);
                    return Err(self
                        .refused(actor, "directory_service", id.to_string())
                        .await);
                };
                (Some(s.entry), Some(s.version), s.organisation, route)
            }
            None => {
                let org = self.directory_organisation_of(&mut tx, actor, now).await?;
                let Some(route) = edit_route(
                    &actor.roles,
                    actor.organisation_id,
                    org.partner_organisation_id,
                    false,
                ) else {
                    drop(tx);
                    return Err(self
                        .refused(actor, "directory_organisation", org.id.to_string())
                        .await);
                };
                (None, None, org, route)
            }
        };
        if version.is_some_and(|v| v != form.version) {
            return Err(AppError::Conflict);
        }
        let locations = dir::local_locations(&mut tx).await?;
        let needs = dir::all_terms_of(
            &mut tx,
            NEEDS
                .id
                .parse()
                .map_err(|_| AppError::Internal("needs id".into()))?,
        )
        .await?;
        let entry = form
            .check(base.as_ref(), org.id, &locations, &needs, today)
            .map_err(AppError::Invalid)?;
        let summary = match &base {
            Some(b) => describe_changes(b, &entry),
            None => "New service".to_string(),
        };
        if base.as_ref() == Some(&entry) {
            let mut e = FieldErrors::new();
            e.add(
                "name",
                "Nothing has changed. Change something before saving, or go back.",
            );
            return Err(AppError::Invalid(e));
        }
        let (status, action) = match route {
            EditRoute::Publish => (
                ChangeStatus::Published,
                AuditAction::DirectoryChangePublished,
            ),
            EditRoute::Review => (ChangeStatus::Pending, AuditAction::DirectoryChangeProposed),
        };
        match (route, base.is_some()) {
            (EditRoute::Publish, _) => {
                dir::put_service(
                    &mut tx,
                    &self.policies.vocabulary,
                    &entry,
                    true,
                    LOCAL,
                    version,
                    now,
                )
                .await?;
            }
            // A partner's new service is stored unpublished so the change has something to
            // belong to; nobody outside sees it until a reviewer publishes it.
            (EditRoute::Review, false) => {
                dir::put_service(
                    &mut tx,
                    &self.policies.vocabulary,
                    &entry,
                    false,
                    LOCAL,
                    None,
                    now,
                )
                .await?;
            }
            (EditRoute::Review, true) => {}
        }
        let change_id = Uuid::now_v7();
        dir::insert_change(
            &mut tx,
            &dir::NewChange {
                id: change_id,
                entry: &entry,
                summary: &summary,
                status,
                by: actor.user_id,
            },
            now,
        )
        .await?;
        let mut ev = event(Some(actor), &actor.email, action, &actor.origin, now);
        ev.record_type = Some("directory_service");
        ev.record_id = Some(entry.id.to_string());
        ev.detail = Some(
            serde_json::json!({"change_id": change_id.to_string(), "summary": summary}).to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok((entry.id, route))
    }

    /// The directory organisation that stands for the actor's organisation, made on first use.
    async fn directory_organisation_of(
        &self,
        conn: &mut hearth_store::Conn,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<DirectoryOrganisation, AppError> {
        if let Some(o) = dir::organisation_for_partner(conn, actor.organisation_id).await? {
            return Ok(o);
        }
        let partner = organisations::get(conn, actor.organisation_id).await?;
        let o = DirectoryOrganisation {
            id: Uuid::now_v7(),
            description: partner.name.clone(),
            name: partner.name,
            email: None,
            website: None,
            partner_organisation_id: Some(actor.organisation_id),
            source: LOCAL.into(),
        };
        dir::put_organisation(conn, &self.policies.vocabulary, &o, now).await?;
        Ok(o)
    }

    /// Records that an entry was checked and is still right: its review date moves on.
    pub async fn confirm_service_current(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        let _ = self.service_for_editing(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        dir::mark_reviewed(&mut tx, id, now.date_naive()).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::DirectoryServiceConfirmed,
            &actor.origin,
            now,
        );
        ev.record_type = Some("directory_service");
        ev.record_id = Some(id.to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// A change waiting for review, and the entry as it stands now (for comparison).
    pub async fn directory_change(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(dir::Change, Service), AppError> {
        self.require(actor, Capability::ReviewDirectory).await?;
        let mut conn = self.store.read().await?;
        let change = dir::change(&mut conn, id).await?;
        let current = dir::service(&mut conn, change.service_id).await?;
        Ok((change, current))
    }

    /// A reviewer publishes a partner's change, or sends it back with a note saying why.
    pub async fn decide_directory_change(
        &self,
        actor: &Actor,
        id: Uuid,
        publish: bool,
        note: &str,
    ) -> Result<Uuid, AppError> {
        self.require(actor, Capability::ReviewDirectory).await?;
        let mut e = FieldErrors::new();
        let note = if publish {
            input::optional_text(&mut e, "note", "a note", note, 2000)
        } else {
            Some(input::required_text(
                &mut e,
                "note",
                "what the editor needs to change",
                note,
                2000,
            ))
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let change = dir::change(&mut tx, id).await?;
        let status = if publish {
            ChangeStatus::Published
        } else {
            ChangeStatus::Rejected
        };
        dir::decide_change(&mut tx, id, status, actor.user_id, note.as_deref(), now).await?;
        if publish {
            let mut entry = change.entry.clone();
            entry.last_reviewed = now.date_naive();
            dir::put_service(
                &mut tx,
                &self.policies.vocabulary,
                &entry,
                true,
                LOCAL,
                None,
                now,
            )
            .await?;
        }
        let mut ev = event(
            Some(actor),
            &actor.email,
            if publish {
                AuditAction::DirectoryChangePublished
            } else {
                AuditAction::DirectoryChangeRejected
            },
            &actor.origin,
            now,
        );
        ev.record_type = Some("directory_service");
        ev.record_id = Some(change.service_id.to_string());
        ev.reason = note;
        ev.detail = Some(serde_json::json!({"change_id": id.to_string()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(change.service_id)
    }

    // ----- imports -----

    /// Imports one service from another publisher's feed, in its own transaction: all of it
    /// or none. A service the partnership keeps itself is never overwritten by a feed.
    pub async fn import_oruk_service(
        &self,
        source: &str,
        service: &oruk::Service,
    ) -> Result<Written, Vec<String>> {
        let today = self.now().date_naive();
        let imported = oruk::import(service, source, today)?;
        let internal = |e: StoreError| vec![format!("could not be saved: {e}")];
        let now = self.now();
        let mut tx = self.store.write().await.map_err(internal)?;
        match dir::service(&mut tx, imported.entry.id).await {
            Ok(s) if s.source != source => {
                return Err(vec![format!(
                    "a service with id {} is already in the directory from {}",
                    s.entry.id,
                    if s.source == LOCAL {
                        "this partnership"
                    } else {
                        &s.source
                    }
                )])
            }
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(internal(e)),
        }
        if let Ok(o) = dir::organisation(&mut tx, imported.organisation.id).await {
            if o.source != source {
                return Err(vec![format!(
                    "organization {} is already in the directory from another source",
                    o.id
                )]);
            }
        }
        dir::put_organisation(
            &mut tx,
            &self.policies.vocabulary,
            &imported.organisation,
            now,
        )
        .await
        .map_err(internal)?;
        for l in &imported.locations {
            dir::put_location(&mut tx, l, now).await.map_err(internal)?;
        }
        for t in &imported.taxonomies {
            if dir::taxonomy(&mut tx, t.id).await.is_err() {
                dir::put_taxonomy(&mut tx, t).await.map_err(internal)?;
            }
        }
        for t in &imported.terms {
            if dir::term(&mut tx, t.id).await.is_err() {
                dir::put_term(&mut tx, &self.policies.vocabulary, t)
                    .await
                    .map_err(internal)?;
            }
        }
        let written = dir::put_service(
            &mut tx,
            &self.policies.vocabulary,
            &imported.entry,
            true,
            source,
            None,
            now,
        )
        .await
        .map_err(internal)?;
        Store::commit(tx).await.map_err(internal)?;
        Ok(written)
    }

    /// Records an import (of services or postcodes) and what it did, in the audit log.
    pub async fn record_import(
        &self,
        what: ImportKind,
        source: &str,
        added: usize,
        changed: usize,
        unchanged: usize,
        rejected: usize,
    ) -> Result<(), AppError> {
        let mut ev = event(
            None,
            "system",
            match what {
                ImportKind::Services => AuditAction::DirectoryImported,
                ImportKind::Postcodes => AuditAction::PostcodesImported,
            },
            &Origin::default(),
            self.now(),
        );
        ev.detail = Some(
            serde_json::json!({"source": source, "added": added, "changed": changed,
                "unchanged": unchanged, "rejected": rejected})
            .to_string(),
        );
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Saves a batch of postcodes in one transaction; returns how many were added and changed.
    pub async fn put_postcodes(
        &self,
        batch: &[(Postcode, Coordinates)],
    ) -> Result<(usize, usize), AppError> {
        let mut tx = self.store.write().await?;
        let (mut added, mut changed) = (0, 0);
        for (p, c) in batch {
            match dir::put_postcode(&mut tx, p, *c).await? {
                Written::Added => added += 1,
                Written::Changed => changed += 1,
                Written::Unchanged => {}
            }
        }
        Store::commit(tx).await?;
        Ok((added, changed))
    }
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Services,
    Postcodes,
}

/// The date an entry is due for its next review.
pub fn next_review(line: &ServiceLine) -> NaiveDate {
    review_due(line.last_reviewed)
}

/// The edit form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ServiceForm {
    pub name: String,
    pub description: String,
    pub url: String,
    pub email: String,
    pub status: String,
    pub minimum_age: String,
    pub maximum_age: String,
    pub free: String,
    pub cost_description: String,
    pub access: String,
    pub contact_name: String,
    pub phone: String,
    pub service_area: String,
    pub languages: Vec<String>,
    pub needs: Vec<String>,
    /// When it runs, one line per weekday in [`WEEKDAYS`] order (blank on days it does not).
    pub hours: Vec<DayHours>,
    pub locations: Vec<String>,
    /// The name and description in each of the families' other languages, as typed.
    pub translations: Vec<TranslationFields>,
    pub version: i64,
}

/// A service's name and description in one of the families' languages, as typed (both blank
/// when there is no translation into it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TranslationFields {
    /// The language's code: one of [`TRANSLATED_LANGUAGES`].
    pub language: &'static str,
    pub name: String,
    pub description: String,
}

impl TranslationFields {
    /// The form fields' names: `name_ar`, `description_ar`.
    pub fn name_field(&self) -> String {
        format!("name_{}", self.language)
    }

    pub fn description_field(&self) -> String {
        format!("description_{}", self.language)
    }
}

/// The languages of the family pages a service's own words are translated into: all but
/// English, which is the provider's.
pub const TRANSLATED_LANGUAGES: [&str; 5] = ["ar", "ur", "pa", "ro", "pl"];

/// One blank translation per language.
fn no_translations() -> Vec<TranslationFields> {
    TRANSLATED_LANGUAGES
        .iter()
        .map(|language| TranslationFields {
            language,
            ..TranslationFields::default()
        })
        .collect()
}

/// The opening and closing times typed for one weekday; both blank when it does not run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayHours {
    /// The RFC 5545 day code, `MO` to `SU`.
    pub day: String,
    pub opens: String,
    pub closes: String,
}

impl DayHours {
    /// The form fields' names: `opens_at_MO`, `closes_at_MO`.
    pub fn opens_field(&self) -> String {
        format!("opens_at_{}", self.day)
    }

    pub fn closes_field(&self) -> String {
        format!("closes_at_{}", self.day)
    }
}

/// Seven empty days, Monday first.
fn empty_week() -> Vec<DayHours> {
    WEEKDAYS
        .iter()
        .map(|(code, _)| DayHours {
            day: code.to_string(),
            ..DayHours::default()
        })
        .collect()
}

/// A time as typed (`9:30`, `09:30`) in the form schedules keep (`09:30`).
fn time_of_day(text: &str) -> Option<String> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .ok()
        .map(|t| t.format("%H:%M").to_string())
}

impl ServiceForm {
    /// From the submitted form's name–value pairs (checkboxes repeat).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self {
            hours: empty_week(),
            translations: no_translations(),
            ..Self::default()
        };
        for (k, v) in pairs {
            let v = v.clone();
            let translation = |prefix: &str| {
                let language = k.strip_prefix(prefix)?;
                TRANSLATED_LANGUAGES.iter().position(|l| *l == language)
            };
            if let Some(i) = translation("name_") {
                f.translations[i].name = v;
                continue;
            }
            if let Some(i) = translation("description_") {
                f.translations[i].description = v;
                continue;
            }
            if let Some(day) = k.strip_prefix("opens_at_") {
                f.set_hours(day, Some(v), None);
                continue;
            }
            if let Some(day) = k.strip_prefix("closes_at_") {
                f.set_hours(day, None, Some(v));
                continue;
            }
            match k.as_str() {
                "name" => f.name = v,
                "description" => f.description = v,
                "url" => f.url = v,
                "email" => f.email = v,
                "status" => f.status = v,
                "minimum_age" => f.minimum_age = v,
                "maximum_age" => f.maximum_age = v,
                "free" => f.free = v,
                "cost_description" => f.cost_description = v,
                "access" => f.access = v,
                "contact_name" => f.contact_name = v,
                "phone" => f.phone = v,
                "service_area" => f.service_area = v,
                "languages" => f.languages.push(v),
                "needs" => f.needs.push(v),
                "locations" => f.locations.push(v),
                "version" => f.version = v.parse().unwrap_or(0),
                _ => {}
            }
        }
        f
    }

    /// Sets a weekday's opening (`opens`) and closing (`closes`) times, where given; a day
    /// that is not a weekday code is ignored.
    pub fn set_hours(&mut self, day: &str, opens: Option<String>, closes: Option<String>) {
        if self.hours.is_empty() {
            self.hours = empty_week();
        }
        if let Some(h) = self.hours.iter_mut().find(|h| h.day == day) {
            if let Some(o) = opens {
                h.opens = o;
            }
            if let Some(c) = closes {
                h.closes = c;
            }
        }
    }

    /// The form filled in from a stored entry.
    pub fn from_entry(s: &Service, needs: &[Term]) -> Self {
        let e = &s.entry;
        let age = |a: Option<f64>| a.map(|a| a.to_string()).unwrap_or_default();
        let mut hours = empty_week();
        for h in hours.iter_mut() {
            // An imported schedule may cover several days (`MO,WE`); the first one for a day
            // is the one shown.
            if let Some(x) = e
                .schedules
                .iter()
                .find(|x| x.byday.split(',').any(|d| d.trim() == h.day))
            {
                h.opens = x.opens_at.clone().unwrap_or_default();
                h.closes = x.closes_at.clone().unwrap_or_default();
            }
        }
        Self {
            name: e.name.clone(),
            description: e.description.clone(),
            url: e.url.clone().unwrap_or_default(),
            email: e.email.clone().unwrap_or_default(),
            status: e.status.code().into(),
            minimum_age: age(e.minimum_age),
            maximum_age: age(e.maximum_age),
            free: if e.free { "yes" } else { "no" }.into(),
            cost_description: e.cost_description.clone().unwrap_or_default(),
            access: e.access.code().into(),
            contact_name: e.contact_name.clone().unwrap_or_default(),
            phone: e.phone.clone().unwrap_or_default(),
            service_area: e.service_area.clone().unwrap_or_default(),
            languages: e.languages.iter().map(|l| l.code.clone()).collect(),
            needs: needs
                .iter()
                .filter(|t| e.attributes.iter().any(|a| a.term_id == t.id))
                .map(|t| t.code.clone())
                .collect(),
            hours,
            locations: e
                .locations
                .iter()
                .map(|l| l.location_id.to_string())
                .collect(),
            translations: no_translations()
                .into_iter()
                .map(|mut t| {
                    if let Some(x) = e.translations.iter().find(|x| x.language == t.language) {
                        t.name = x.name.clone();
                        t.description = x.description.clone();
                    }
                    t
                })
                .collect(),
            version: s.version,
        }
    }

    /// Checks the form and builds the entry it describes, keeping the ids of the parts that
    /// carry over from `base` so the published feed's ids stay stable.
    fn check(
        &self,
        base: Option<&ServiceEntry>,
        organisation_id: Uuid,
        locations: &[Location],
        needs: &[Term],
        today: NaiveDate,
    ) -> Result<ServiceEntry, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = input::required_text(&mut e, "name", "the name of the service", &self.name, 200);
        let description = input::required_text(
            &mut e,
            "description",
            "what the service does and who it is for",
            &self.description,
            4000,
        );
        let url = input::optional_text(&mut e, "url", "the website", &self.url, 500);
        if url.as_deref().is_some_and(|u| !input::is_web_address(u)) {
            e.add("url", "Enter the website's full address, starting https://");
        }
        let email = match self.email.trim() {
            "" => None,
            t => Some(input::email(&mut e, "email", t)),
        };
        let status = ServiceStatus::from_code(&self.status);
        if status.is_none() {
            e.add("status", "Select whether the service is running");
        }
        let mut age = |field: &str, text: &str| match parse_age(text) {
            Ok(a) => a,
            Err(p) => {
                e.add(field, p.message());
                None
            }
        };
        let minimum_age = age("minimum_age", &self.minimum_age);
        let maximum_age = age("maximum_age", &self.maximum_age);
        if let (Some(a), Some(b)) = (minimum_age, maximum_age) {
            if a > b {
                e.add(
                    "maximum_age",
                    "The oldest age must be the same as or more than the youngest",
                );
            }
        }
        let free = match self.free.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                e.add("free", "Select whether the service is free");
                false
            }
        };
        let cost_description = input::optional_text(
            &mut e,
            "cost_description",
            "what it costs",
            &self.cost_description,
            500,
        );
        if !free && cost_description.is_none() {
            e.add("cost_description", "Say what the service costs");
        }
        let access = AccessMethod::from_code(&self.access);
        if access.is_none() {
            e.add("access", "Select how families get into the service");
        }
        let contact_name = input::optional_text(
            &mut e,
            "contact_name",
            "the contact's name",
            &self.contact_name,
            200,
        );
        let phone = input::optional_text(&mut e, "phone", "the phone number", &self.phone, 40);
        let service_area = input::optional_text(
            &mut e,
            "service_area",
            "the area served",
            &self.service_area,
            200,
        );
        // Each day it runs: both times, real times of day, closing after opening.
        let mut open_days: Vec<(&str, String, String)> = Vec::new();
        for (code, day) in WEEKDAYS {
            let Some(h) = self.hours.iter().find(|h| h.day == code) else {
                continue;
            };
            let (opens, closes) = (h.opens.trim(), h.closes.trim());
            if opens.is_empty() && closes.is_empty() {
                continue;
            }
            let opens_at = time_of_day(opens);
            let closes_at = time_of_day(closes);
            match (opens, &opens_at) {
                ("", _) => e.add(
                    &h.opens_field(),
                    format!("Enter the time it opens on {day}, like 09:30, or clear the closing time if it does not run on {day}s"),
                ),
                (_, None) => e.add(
                    &h.opens_field(),
                    format!("Enter the time it opens on {day} as hours and minutes, like 09:30"),
                ),
                _ => {}
            }
            match (closes, &closes_at) {
                ("", _) => e.add(
                    &h.closes_field(),
                    format!("Enter the time it closes on {day}, like 11:30, or clear the opening time if it does not run on {day}s"),
                ),
                (_, None) => e.add(
                    &h.closes_field(),
                    format!("Enter the time it closes on {day} as hours and minutes, like 11:30"),
                ),
                _ => {}
            }
            if let (Some(a), Some(b)) = (opens_at, closes_at) {
                if a >= b {
                    e.add(
                        &h.closes_field(),
                        format!("The closing time on {day} must be after the opening time"),
                    );
                } else {
                    open_days.push((code, a, b));
                }
            }
        }
        let chosen_locations: Vec<&Location> = locations
            .iter()
            .filter(|l| self.locations.contains(&l.id.to_string()))
            .collect();
        if chosen_locations.is_empty() {
            e.add(
                "locations",
                "Select at least one place where the service runs",
            );
        }
        let translations = self.checked_translations(&mut e);
        let (Some(status), Some(access), true) = (status, access, e.is_empty()) else {
            return Err(e);
        };
        let keep_or_new = |old: Option<Uuid>| old.unwrap_or_else(Uuid::now_v7);
        let schedules = open_days
            .into_iter()
            .map(|(d, opens_at, closes_at)| dir::Schedule {
                id: keep_or_new(
                    base.and_then(|b| b.schedules.iter().find(|s| s.byday == d).map(|s| s.id)),
                ),
                service_at_location_id: None,
                byday: d.to_string(),
                opens_at: Some(opens_at),
                closes_at: Some(closes_at),
                description: None,
            })
            .collect();
        let languages = SERVICE_LANGUAGES
            .iter()
            .filter(|(c, _)| self.languages.iter().any(|l| l == c))
            .map(|(code, name)| dir::Language {
                id: keep_or_new(
                    base.and_then(|b| b.languages.iter().find(|l| l.code == *code).map(|l| l.id)),
                ),
                code: code.to_string(),
                name: name.to_string(),
            })
            .collect();
        let sals = chosen_locations
            .iter()
            .map(|l| dir::ServiceAtLocation {
                id: keep_or_new(base.and_then(|b| {
                    b.locations
                        .iter()
                        .find(|x| x.location_id == l.id)
                        .map(|x| x.id)
                })),
                location_id: l.id,
            })
            .collect();
        // The needs and the way in come from the form; any other terms stay as they were.
        let access_term = oruk::access_attribute_term(access);
        let delivery_access: Vec<Uuid> = AccessMethod::ALL
            .iter()
            .filter_map(|a| oruk::access_attribute_term(*a))
            .collect();
        let mut wanted: Vec<Uuid> = needs
            .iter()
            .filter(|t| self.needs.contains(&t.code))
            .map(|t| t.id)
            .collect();
        wanted.extend(access_term);
        let managed =
            |term: &Uuid| needs.iter().any(|t| t.id == *term) || delivery_access.contains(term);
        // Kept in their order, so an unchanged entry compares equal.
        let mut attributes: Vec<dir::Attribute> = base
            .map(|b| {
                b.attributes
                    .iter()
                    .filter(|a| !managed(&a.term_id) || wanted.contains(&a.term_id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        for term_id in wanted {
            if !attributes.iter().any(|a| a.term_id == term_id) {
                attributes.push(dir::Attribute {
                    id: Uuid::now_v7(),
                    term_id,
                });
            }
        }
        Ok(ServiceEntry {
            id: base.map(|b| b.id).unwrap_or_else(Uuid::now_v7),
            organisation_id,
            name,
            description,
            url,
            email,
            status,
            minimum_age,
            maximum_age,
            free,
            cost_option_id: keep_or_new(base.map(|b| b.cost_option_id)),
            cost_description,
            access,
            contact_id: keep_or_new(base.map(|b| b.contact_id)),
            contact_name,
            phone_id: keep_or_new(base.map(|b| b.phone_id)),
            phone,
            service_area_id: keep_or_new(base.map(|b| b.service_area_id)),
            service_area,
            last_reviewed: base.map(|b| b.last_reviewed).unwrap_or(today),
            schedules,
            languages,
            locations: sals,
            attributes,
            translations,
        })
    }

    /// The translations typed: a name and a description for each language given one, or
    /// the field that is missing.
    fn checked_translations(&self, e: &mut FieldErrors) -> Vec<ServiceText> {
        let mut out = Vec::new();
        for t in &self.translations {
            let language = language_label(t.language);
            let name = input::optional_text(
                e,
                &t.name_field(),
                &format!("the name in {language}"),
                &t.name,
                200,
            );
            let description = input::optional_text(
                e,
                &t.description_field(),
                &format!("the description in {language}"),
                &t.description,
                4000,
            );
            match (name, description) {
                (Some(name), Some(description)) => out.push(ServiceText {
                    language: t.language.to_string(),
                    name,
                    description,
                }),
                (None, None) => {}
                (None, Some(_)) => e.add(
                    &t.name_field(),
                    format!("Enter the name in {language} too, or clear the description"),
                ),
                (Some(_), None) => e.add(
                    &t.description_field(),
                    format!("Enter the description in {language} too, or clear the name"),
                ),
            }
        }
        out
    }
}

/// A line a reviewer reads: which parts of the entry a change touches.
fn describe_changes(old: &ServiceEntry, new: &ServiceEntry) -> String {
    let mut parts = Vec::new();
    let mut note = |changed: bool, what: &str| {
        if changed {
            parts.push(what.to_string());
        }
    };
    note(old.name != new.name, "name");
    note(old.description != new.description, "description");
    note(old.status != new.status, "status");
    note(
        old.minimum_age != new.minimum_age || old.maximum_age != new.maximum_age,
        "ages",
    );
    note(
        old.free != new.free || old.cost_description != new.cost_description,
        "cost",
    );
    note(old.access != new.access, "how to get in");
    note(
        old.url != new.url
            || old.email != new.email
            || old.phone != new.phone
            || old.contact_name != new.contact_name,
        "contact details",
    );
    note(old.schedules != new.schedules, "times");
    note(old.languages != new.languages, "languages");
    note(old.locations != new.locations, "places");
    note(old.attributes != new.attributes, "needs");
    note(old.service_area != new.service_area, "area");
    if parts.is_empty() {
        "No change".into()
    } else {
        format!("Changed: {}", parts.join(", "))
    }
}

/// The name of a language code, for pages.
pub fn language_label(code: &str) -> String {
    language_name(code).unwrap_or(code).to_string()
}
