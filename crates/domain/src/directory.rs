//! The directory of services (the Core Offer), following Open Referral UK 3.0: the rules that
//! need no database — postcodes and distance, what a search may ask for, who may edit and
//! publish a service, when a service is due for review, and requests for a service.

use crate::ids::OrganisationId;
use crate::need::NeedDomain;
use crate::organisation::OrganisationKind;
use crate::role::{Capability, RoleSet};
use chrono::{Days, NaiveDate};

/// A UK postcode in its usual written form (`NG7 5AA`), or just its outward code (`NG7`), which
/// families often type and which we answer from the middle of that district.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(String);

impl Postcode {
    /// Upper-cases, removes spaces and checks the shape: an outward code of a letter or two,
    /// a digit, and an optional digit or letter; then, for a full postcode, a digit and two
    /// letters. `None` when it is not shaped like a postcode.
    pub fn parse(text: &str) -> Option<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if !compact.is_ascii() || compact.len() < 2 || compact.len() > 7 {
            return None;
        }
        let full = compact.len() >= 5 && Self::is_inward(&compact[compact.len() - 3..]);
        let outward = if full {
            &compact[..compact.len() - 3]
        } else {
            &compact[..]
        };
        if !Self::is_outward(outward) {
            return None;
        }
        Some(Self(if full {
            format!("{outward} {}", &compact[compact.len() - 3..])
        } else {
            outward.to_string()
        }))
    }

    fn is_outward(s: &str) -> bool {
        let b = s.as_bytes();
        let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        if !(1..=2).contains(&letters) || b.len() < letters + 1 || b.len() > letters + 2 {
            return false;
        }
        b[letters].is_ascii_digit()
            && b[letters + 1..]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_alphabetic())
    }

    fn is_inward(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 3
            && b[0].is_ascii_digit()
            && b[1].is_ascii_alphabetic()
            && b[2].is_ascii_alphabetic()
    }

    /// The stored form: `NG7 5AA`, or `NG7` for an outward code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when only the outward code was given.
    pub fn is_district(&self) -> bool {
        !self.0.contains(' ')
    }
}

/// A point on the earth, in degrees (WGS84, as the ONS Postcode Directory gives them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    /// `None` unless the latitude and longitude are real numbers on the globe.
    pub fn new(latitude: f64, longitude: f64) -> Option<Self> {
        ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)).then_some(
            Self {
                latitude,
                longitude,
            },
        )
    }
}

const EARTH_RADIUS_METRES: f64 = 6_371_008.8;
pub const METRES_PER_MILE: f64 = 1_609.344;

/// Great-circle distance in metres (the haversine formula): good to a few metres over the
/// distances families travel, which is all a directory needs.
pub fn distance_metres(a: Coordinates, b: Coordinates) -> f64 {
    let (la1, la2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dla = la2 - la1;
    let dlo = (b.longitude - a.longitude).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_METRES * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box that contains every point within `radius` metres of `centre`, so
/// the database can discard far-away locations with an index before distances are worked out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_latitude: f64,
    pub max_latitude: f64,
    pub min_longitude: f64,
    pub max_longitude: f64,
}

impl BoundingBox {
    pub fn around(centre: Coordinates, radius_metres: f64) -> Self {
        let dlat = (radius_metres / EARTH_RADIUS_METRES).to_degrees();
        // Degrees of longitude shrink towards the poles; never divide by (almost) zero.
        let cos = centre.latitude.to_radians().cos().max(0.01);
        let dlon = dlat / cos;
        Self {
            min_latitude: centre.latitude - dlat,
            max_latitude: centre.latitude + dlat,
            min_longitude: centre.longitude - dlon,
            max_longitude: centre.longitude + dlon,
        }
    }
}

/// Distances on a flat map centred on a search's point (the equirectangular projection):
/// plain arithmetic on latitudes and longitudes, so the database itself can keep only the
/// locations within the radius and find each service's nearest one. Over the distances a
/// family searches (up to 20 miles) it is within about half a per cent of the great-circle
/// distance (a few metres at 1 mile); a family's search uses it for the radius, the order and
/// the distance shown, so the three always agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalPlane {
    pub centre: Coordinates,
    /// How much shorter a degree of longitude is than a degree of latitude at the centre.
    pub x_scale: f64,
}

/// Metres in a degree of latitude.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_METRES * std::f64::consts::PI / 180.0;

impl LocalPlane {
    pub fn around(centre: Coordinates) -> Self {
        Self {
            centre,
            x_scale: centre.latitude.to_radians().cos().max(0.01),
        }
    }

    /// The squared distance to `p`, in degrees of latitude: what the database computes.
    pub fn squared_degrees(&self, p: Coordinates) -> f64 {
        let dy = p.latitude - self.centre.latitude;
        let dx = (p.longitude - self.centre.longitude) * self.x_scale;
        dy * dy + dx * dx
    }

    pub fn metres(&self, p: Coordinates) -> f64 {
        self.squared_degrees(p).sqrt() * METRES_PER_DEGREE
    }

    /// A radius in metres as a squared distance in degrees, to compare with [`Self::squared_degrees`].
    pub fn squared_degrees_of(metres: f64) -> f64 {
        (metres / METRES_PER_DEGREE).powi(2)
    }
}

/// The distances a family can choose, in miles.
pub const DISTANCE_CHOICES_MILES: [u32; 5] = [1, 2, 5, 10, 20];
/// The distance used when a postcode is given without one.
pub const DEFAULT_DISTANCE_MILES: u32 = 5;

/// How a family gets into a service. Kept in a change's saved entry by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessMethod {
    DropIn,
    SelfReferral,
    ProfessionalReferral,
}

impl AccessMethod {
    pub const ALL: [AccessMethod; 3] = [
        AccessMethod::DropIn,
        AccessMethod::SelfReferral,
        AccessMethod::ProfessionalReferral,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccessMethod::DropIn => "drop_in",
            AccessMethod::SelfReferral => "self_referral",
            AccessMethod::ProfessionalReferral => "professional_referral",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessMethod::DropIn => "Drop in",
            AccessMethod::SelfReferral => "Contact the service yourself",
            AccessMethod::ProfessionalReferral => "A professional asks for it for you",
        }
    }
}

/// A service's status, as Open Referral names it (and by that code in a change's saved entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ServiceStatus {
    #[serde(rename = "active")]
    Active,
    #[serde(rename = "inactive")]
    Inactive,
    #[serde(rename = "defunct")]
    Defunct,
    #[serde(rename = "temporarily closed")]
    TemporarilyClosed,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 4] = [
        ServiceStatus::Active,
        ServiceStatus::Inactive,
        ServiceStatus::Defunct,
        ServiceStatus::TemporarilyClosed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Defunct => "defunct",
            ServiceStatus::TemporarilyClosed => "temporarily closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Active => "Running",
            ServiceStatus::Inactive => "Not running",
            ServiceStatus::Defunct => "Closed for good",
            ServiceStatus::TemporarilyClosed => "Temporarily closed",
        }
    }
}

/// Days of the week, with the RFC 5545 codes Open Referral schedules use in `byday`.
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
];

/// Languages a service can be delivered in (ISO 639 codes), starting with those the
/// partnership's language audit named. British Sign Language has only a 639-3 code.
pub const SERVICE_LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("ar", "Arabic"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("pl", "Polish"),
    ("bfi", "British Sign Language"),
    ("bn", "Bengali"),
    ("ku", "Kurdish"),
    ("fa", "Persian (Farsi)"),
    ("so", "Somali"),
    ("ti", "Tigrinya"),
];

pub fn language_name(code: &str) -> Option<&'static str> {
    SERVICE_LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// One of the taxonomies Hearth publishes its services under. The ids are fixed so that every
/// partnership's feed uses the same ones.
#[derive(Debug, Clone, Copy)]
pub struct HearthTaxonomy {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub terms: &'static [HearthTerm],
}

#[derive(Debug, Clone, Copy)]
pub struct HearthTerm {
    pub id: &'static str,
    /// Stable and short: used in links and as the key of the term's translated name.
    pub code: &'static str,
    pub name: &'static str,
    /// The headline outcome the need belongs to (needs taxonomy only).
    pub domain: Option<NeedDomain>,
}

const fn term(id: &'static str, code: &'static str, name: &'static str) -> HearthTerm {
    HearthTerm {
        id,
        code,
        name,
        domain: None,
    }
}

const fn need(
    id: &'static str,
    code: &'static str,
    name: &'static str,
    domain: NeedDomain,
) -> HearthTerm {
    HearthTerm {
        id,
        code,
        name,
        domain: Some(domain),
    }
}

/// Needs: what a family is looking for help with, each within one of the ten headline outcomes.
pub const NEEDS: HearthTaxonomy = HearthTaxonomy {
    id: "818f69e5-7304-42ed-8d01-374036a113d4",
    name: "Family needs",
    description: "What a family is looking for help with, each term within one of the ten headline outcomes of the Supporting Families programme.",
    terms: &[
        need("bea38330-94a2-45d9-bb37-864d94a7ecda", "parenting", "Parenting support", NeedDomain::FamilyRelationships),
        need("20c0888d-632d-4cec-983e-1fb0b671ad18", "play_learning", "Play and early learning", NeedDomain::EarlyYears),
        need("13d393bc-b245-4cf4-89c0-359aac19365a", "infant_feeding", "Infant feeding", NeedDomain::Health),
        need("bf1d40c7-29d0-4f77-af72-f5066d8d7537", "perinatal_mental_health", "Perinatal mental health", NeedDomain::Health),
        need("0291d4e2-4dee-4e8b-a5e4-90e525da35be", "wellbeing", "Emotional wellbeing and mental health", NeedDomain::Health),
        need("c6b949aa-24b7-4a90-8a95-5ddd57cff0b2", "send", "Special educational needs and disabilities", NeedDomain::GoodEducation),
        need("21259ba0-6f59-42ef-8bcb-2956eff20160", "school", "School attendance and learning", NeedDomain::GoodEducation),
        need("bd2bc42c-826f-43a0-a7d9-fe12610c3db9", "youth", "Youth activities", NeedDomain::CrimePrevention),
        need("4ca15b4e-4f6d-43be-ab9a-80b4f2a3c29e", "substance_use", "Drugs and alcohol", NeedDomain::SubstanceUse),
        need("28f7ead6-742e-48f4-8785-8b6423049689", "relationships", "Healthy relationships", NeedDomain::FamilyRelationships),
        need("f58865f9-7697-4fc3-995d-0a75b45e67df", "domestic_abuse", "Domestic abuse support", NeedDomain::DomesticAbuse),
        need("cb8bbfd2-4d4d-4521-9e19-c0adbe830c60", "staying_safe", "Staying safe from exploitation", NeedDomain::SafeFromAbuseAndExploitation),
        need("5dcc142f-4c3a-4e83-99a4-6b18c8a93aff", "housing", "Housing advice", NeedDomain::SecureHousing),
        need("505a2f51-4df2-4860-acee-367a236ec476", "money", "Money, debt and benefits", NeedDomain::FinancialStability),
        need("5d33b361-3f6c-4f1a-bb71-2c76ce544e96", "work", "Work and training", NeedDomain::FinancialStability),
    ],
};

/// Age bands of the Family Hub offer (conception to 19, and to 25 with SEND).
pub const AGE_BANDS: HearthTaxonomy = HearthTaxonomy {
    id: "0e499728-667d-48ef-a8fb-31d2d27cd814",
    name: "Age bands",
    description: "Who a service is for, by age, as the Family Hub offer groups them.",
    terms: &[
        term(
            "36c8d820-606b-43c7-830d-eaac6d72c9bb",
            "pregnancy",
            "Pregnancy",
        ),
        term(
            "f617778a-47d7-4fc7-83c5-a246e8a9f0ea",
            "age_0_4",
            "0 to 4 years",
        ),
        term(
            "a67e1b1c-cd98-4acb-8aa1-a474ba92bb3e",
            "age_5_11",
            "5 to 11 years",
        ),
        term(
            "42ca4871-f709-420e-9856-9e59e22fe401",
            "age_12_19",
            "12 to 19 years",
        ),
        term(
            "df95b55b-761d-49b7-9ec1-0ed49bf23f3e",
            "age_send_25",
            "Up to 25 with SEND",
        ),
        term(
            "6dc4e551-4232-4cdb-a92d-37faabd5794b",
            "parents_carers",
            "Parents and carers",
        ),
    ],
};

/// How a service is delivered and how families get into it. The access terms' codes are the
/// [`AccessMethod`] codes.
pub const DELIVERY: HearthTaxonomy = HearthTaxonomy {
    id: "4ac447a0-e7e1-42f7-bc11-2f86dd0fff3c",
    name: "Delivery and access",
    description: "How a service is delivered, and how a family gets into it.",
    terms: &[
        term("d13ff211-38cf-4d6f-a53c-58221e114805", "drop_in", "Drop in"),
        term(
            "ca4c1e4b-b5c7-451c-8fe9-694301b86e0f",
            "self_referral",
            "Self-referral",
        ),
        term(
            "aee27ab3-300a-4ccf-9c47-4d1d96164f43",
            "professional_referral",
            "Professional referral",
        ),
        term(
            "cadd7413-f7dc-49b8-9f3f-fec607a31b6a",
            "group",
            "Group sessions",
        ),
        term(
            "5d295dd5-7703-45fb-9813-9f53889ccee4",
            "one_to_one",
            "One to one",
        ),
        term(
            "7b13689d-5ba9-453a-8136-02d6ce657af0",
            "online",
            "Online or by phone",
        ),
    ],
};

pub const HEARTH_TAXONOMIES: [HearthTaxonomy; 3] = [NEEDS, AGE_BANDS, DELIVERY];

/// The delivery term that says how families get into a service.
pub fn access_term(access: AccessMethod) -> Option<&'static HearthTerm> {
    DELIVERY.terms.iter().find(|t| t.code == access.code())
}

/// The largest page anyone may ask for, on the pages and in the API.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Ages above this are not children's or families' services' business (SEND support runs to 25).
pub const MAX_AGE: f64 = 120.0;

/// Something wrong with what a search asked for, said so it can be put right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchProblem {
    AgeNotNumber,
    AgeNegative,
    AgeTooHigh,
    PostcodeMalformed,
    PostcodeUnknown,
    DistanceInvalid,
    PageInvalid,
    PageSizeInvalid,
    PageSizeTooLarge,
}

impl SearchProblem {
    /// A stable code: the key of its translated message on the public pages.
    pub fn code(self) -> &'static str {
        match self {
            SearchProblem::AgeNotNumber => "error-age-not-number",
            SearchProblem::AgeNegative => "error-age-negative",
            SearchProblem::AgeTooHigh => "error-age-too-high",
            SearchProblem::PostcodeMalformed => "error-postcode-malformed",
            SearchProblem::PostcodeUnknown => "error-postcode-unknown",
            SearchProblem::DistanceInvalid => "error-distance-invalid",
            SearchProblem::PageInvalid => "error-page-invalid",
            SearchProblem::PageSizeInvalid => "error-page-size-invalid",
            SearchProblem::PageSizeTooLarge => "error-page-size-too-large",
        }
    }

    /// The message in English, for the API.
    pub fn message(self) -> String {
        match self {
            SearchProblem::AgeNotNumber => "Age must be a number of years, like 3".into(),
            SearchProblem::AgeNegative => "Age must be 0 or more".into(),
            SearchProblem::AgeTooHigh => format!("Age must be {MAX_AGE} or less"),
            SearchProblem::PostcodeMalformed => {
                "Enter a real postcode, like NG7 5AA, or the first part, like NG7".into()
            }
            SearchProblem::PostcodeUnknown => {
                "We do not know where that postcode is. Check it, or try the first part only, like NG7".into()
            }
            SearchProblem::DistanceInvalid => "Distance must be a positive number".into(),
            SearchProblem::PageInvalid => "Page must be a whole number, 1 or more".into(),
            SearchProblem::PageSizeInvalid => "per_page must be a whole number, 1 or more".into(),
            SearchProblem::PageSizeTooLarge => {
                format!("per_page must be {MAX_PAGE_SIZE} or fewer")
            }
        }
    }
}

/// An age in years as typed: empty is no age; otherwise a number from 0 to [`MAX_AGE`].
pub fn parse_age(text: &str) -> Result<Option<f64>, SearchProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let age: f64 = text.parse().map_err(|_| SearchProblem::AgeNotNumber)?;
    if !age.is_finite() {
        Err(SearchProblem::AgeNotNumber)
    } else if age < 0.0 {
        Err(SearchProblem::AgeNegative)
    } else if age > MAX_AGE {
        Err(SearchProblem::AgeTooHigh)
    } else {
        Ok(Some(age))
    }
}

/// A page number as given: empty is the first page.
pub fn parse_page(text: &str) -> Result<u32, SearchProblem> {
    match text.trim() {
        "" => Ok(1),
        t => t
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or(SearchProblem::PageInvalid),
    }
}

/// A page size as given: empty is `default`; never more than [`MAX_PAGE_SIZE`].
pub fn parse_page_size(text: &str, default: u32) -> Result<u32, SearchProblem> {
    match text.trim() {
        "" => Ok(default),
        t => match t.parse::<i64>() {
            Ok(n) if n > i64::from(MAX_PAGE_SIZE) => Err(SearchProblem::PageSizeTooLarge),
            Ok(n) if n >= 1 => Ok(n as u32),
            _ => Err(SearchProblem::PageSizeInvalid),
        },
    }
}

/// Where a page of results starts, and how many pages there are, HSDS-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    pub fn offset(self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }

    pub fn total_pages(self, total_items: u64) -> u64 {
        total_items.div_ceil(u64::from(self.per_page.max(1)))
    }
}

/// The first text after every text that starts with `prefix`, in code-point order (which is
/// both SQLite's and a `C`-collated PostgreSQL's): `word >= prefix AND word < end` is a
/// prefix search an index answers. `None` when there is no such text (never for real words).
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(u32::from(c) + 1),
        };
        if let Some(n) = next {
            chars.push(n);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// How long a service's entry stays current before its organisation must check it again.
pub const REVIEW_INTERVAL_DAYS: u64 = 182;

/// The date a service's entry must be checked by.
pub fn review_due(last_reviewed: NaiveDate) -> NaiveDate {
    last_reviewed
        .checked_add_days(Days::new(REVIEW_INTERVAL_DAYS))
        .unwrap_or(last_reviewed)
}

/// What happens to a change to a service's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRoute {
    /// A directory reviewer's change is published at once (and kept in the history).
    Publish,
    /// A partner's change waits for a reviewer.
    Review,
}

/// Who may change a service's entry, and whether the change needs review. Reviewers may change
/// any service; directory editors only their own organisation's, and their changes are
/// reviewed. A service from another publisher's feed is changed only by importing it again.
pub fn edit_route(
    roles: &RoleSet,
    actor_organisation: OrganisationId,
    service_organisation: Option<OrganisationId>,
    imported: bool,
) -> Option<EditRoute> {
    if imported {
        return None;
    }
    if roles.can(Capability::ReviewDirectory) {
        return Some(EditRoute::Publish);
    }
    (roles.can(Capability::EditDirectory) && service_organisation == Some(actor_organisation))
        .then_some(EditRoute::Review)
}

/// Who may add a place where services run, and mark it as a Family Hub. Any directory
/// editor may add a place (it is seen by families only once a published service runs there);
/// only the council runs the Family Hubs, so only its editors, and reviewers, may mark one.
pub fn may_add_location(
    roles: &RoleSet,
    actor_organisation: OrganisationKind,
    family_hub: bool,
) -> bool {
    roles.can(Capability::EditDirectory)
        && (!family_hub
            || roles.can(Capability::ReviewDirectory)
            || actor_organisation == OrganisationKind::LocalAuthority)
}

/// Who may change a place where services run. A place from another publisher's feed is
/// changed only by importing it again. Reviewers may change any of the partnership's own
/// places; a directory editor only one where no other organisation's services run, since
/// those services' pages show it too. Marking or unmarking a Family Hub follows
/// [`may_add_location`].
pub fn may_change_location(
    roles: &RoleSet,
    imported: bool,
    other_organisations_run_there: bool,
) -> bool {
    !imported
        && (roles.can(Capability::ReviewDirectory)
            || (roles.can(Capability::EditDirectory) && !other_organisations_run_there))
}

/// Whether the actor may see and answer the requests sent to a service of
/// `receiving_organisation`: someone who works with families, in that organisation.
pub fn may_answer_service_requests(
    roles: &RoleSet,
    actor_organisation: OrganisationId,
    receiving_organisation: Option<OrganisationId>,
) -> bool {
    roles.can(Capability::AnswerServiceRequests)
        && receiving_organisation == Some(actor_organisation)
}

/// Where an editor's change to a directory entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeStatus {
    /// Waiting for a reviewer.
    Pending,
    Published,
    /// Sent back to the editor with a note.
    Rejected,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 3] = [
        ChangeStatus::Pending,
        ChangeStatus::Published,
        ChangeStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Published => "published",
            ChangeStatus::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Only a change still waiting can be published or sent back.
    pub fn awaits_review(self) -> bool {
        self == ChangeStatus::Pending
    }

    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "Waiting for review",
            ChangeStatus::Published => "Published",
            ChangeStatus::Rejected => "Sent back",
        }
    }
}

/// Where a request for a service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceRequestStatus {
    Sent,
    Accepted,
    Declined,
}

impl ServiceRequestStatus {
    pub const ALL: [ServiceRequestStatus; 3] = [
        ServiceRequestStatus::Sent,
        ServiceRequestStatus::Accepted,
        ServiceRequestStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceRequestStatus::Sent => "sent",
            ServiceRequestStatus::Accepted => "accepted",
            ServiceRequestStatus::Declined => "declined",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceRequestStatus::Sent => "Waiting for an answer",
            ServiceRequestStatus::Accepted => "Accepted",
            ServiceRequestStatus::Declined => "Declined",
        }
    }

    /// Only a request still waiting can be answered, and only once.
    pub fn can_answer(self) -> bool {
        self == ServiceRequestStatus::Sent
    }
}

/// How the family would like the service to get in touch.
pub const CONTACT_PREFERENCES: &[(&str, &str)] = &[
    ("phone", "Phone call"),
    ("text", "Text message"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("through_referrer", "Through me, the practitioner who asked"),
];

pub fn contact_preference_label(code: &str) -> Option<&'static str> {
    CONTACT_PREFERENCES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::Role;

    #[test]
    fn postcodes_are_normalised_and_checked() {
        let p = |s: &str| Postcode::parse(s).map(|p| p.as_str().to_string());
        assert_eq!(p("ng75aa").as_deref(), Some("NG7 5AA"));
        assert_eq!(p(" NG7  5AA ").as_deref(), Some("NG7 5AA"));
        assert_eq!(p("ng11 8kk").as_deref(), Some("NG11 8KK"));
        assert_eq!(p("W1A 1AA").as_deref(), Some("W1A 1AA"));
        assert_eq!(p("EC1A1BB").as_deref(), Some("EC1A 1BB"));
        assert_eq!(p("NG7").as_deref(), Some("NG7"));
        assert!(Postcode::parse("NG7").unwrap().is_district());
        for bad in [
            "",
            "7NG 5AA",
            "NOTAPOSTCODE",
            "NG",
            "NG7 5A",
            "ŃG7 5AA",
            "NG777 5AA",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn distances_match_known_values() {
        // Nottingham's Old Market Square to Hyson Green: about 2.3 km.
        let square = Coordinates::new(52.9530, -1.1505).unwrap();
        let hyson = Coordinates::new(52.9690, -1.1690).unwrap();
        let d = distance_metres(square, hyson);
        assert!((2_000.0..2_400.0).contains(&d), "{d}");
        assert_eq!(distance_metres(square, square), 0.0);
        // London to Nottingham: about 172 km as the crow flies.
        let london = Coordinates::new(51.5074, -0.1278).unwrap();
        let far = distance_metres(square, london) / 1000.0;
        assert!((170.0..176.0).contains(&far), "{far}");
        assert!(Coordinates::new(91.0, 0.0).is_none());
    }

    #[test]
    fn the_bounding_box_holds_every_point_within_the_radius() {
        let centre = Coordinates::new(52.95, -1.15).unwrap();
        let radius = 5.0 * METRES_PER_MILE;
        let b = BoundingBox::around(centre, radius);
        for bearing in 0..36 {
            let t = f64::from(bearing * 10).to_radians();
            // Step outwards along the bearing until just inside the radius.
            let mut p = centre;
            for step in 1..2000 {
                let q = Coordinates {
                    latitude: centre.latitude + t.cos() * 0.0001 * f64::from(step),
                    longitude: centre.longitude + t.sin() * 0.00016 * f64::from(step),
                };
                if distance_metres(centre, q) > radius {
                    break;
                }
                p = q;
            }
            assert!(
                (b.min_latitude..=b.max_latitude).contains(&p.latitude)
                    && (b.min_longitude..=b.max_longitude).contains(&p.longitude),
                "bearing {bearing}0 degrees"
            );
        }
    }

    #[test]
    fn ages_and_pages_say_what_is_wrong() {
        assert_eq!(parse_age(""), Ok(None));
        assert_eq!(parse_age(" 3 "), Ok(Some(3.0)));
        assert_eq!(parse_age("-1"), Err(SearchProblem::AgeNegative));
        assert_eq!(parse_age("three"), Err(SearchProblem::AgeNotNumber));
        assert_eq!(parse_age("NaN"), Err(SearchProblem::AgeNotNumber));
        assert_eq!(parse_age("500"), Err(SearchProblem::AgeTooHigh));
        assert_eq!(parse_page(""), Ok(1));
        assert_eq!(parse_page("0"), Err(SearchProblem::PageInvalid));
        assert_eq!(parse_page("-2"), Err(SearchProblem::PageInvalid));
        assert_eq!(parse_page_size("", 20), Ok(20));
        assert_eq!(parse_page_size("100", 20), Ok(100));
        assert_eq!(
            parse_page_size("1000000", 20),
            Err(SearchProblem::PageSizeTooLarge)
        );
        assert_eq!(
            parse_page_size("-5", 20),
            Err(SearchProblem::PageSizeInvalid)
        );
        let paging = Paging {
            page: 3,
            per_page: 50,
        };
        assert_eq!(paging.offset(), 100);
        assert_eq!(paging.total_pages(101), 3);
        assert_eq!(paging.total_pages(0), 0);
    }

    #[test]
    fn partners_changes_are_reviewed_and_reviewers_publish() {
        let own = OrganisationId::new();
        let other = OrganisationId::new();
        let editor = RoleSet::new([Role::DirectoryEditor]);
        let reviewer = RoleSet::new([Role::DirectoryReviewer]);
        let practitioner = RoleSet::new([Role::Practitioner]);
        assert_eq!(
            edit_route(&editor, own, Some(own), false),
            Some(EditRoute::Review)
        );
        assert_eq!(edit_route(&editor, own, Some(other), false), None);
        assert_eq!(edit_route(&editor, own, None, false), None);
        assert_eq!(
            edit_route(&reviewer, own, Some(other), false),
            Some(EditRoute::Publish)
        );
        assert_eq!(edit_route(&reviewer, own, Some(other), true), None);
        assert_eq!(edit_route(&practitioner, own, Some(own), false), None);
    }

    #[test]
    fn only_the_receiving_organisation_answers_requests() {
        let own = OrganisationId::new();
        let practitioner = RoleSet::new([Role::Practitioner]);
        assert!(may_answer_service_requests(&practitioner, own, Some(own)));
        assert!(!may_answer_service_requests(
            &practitioner,
            own,
            Some(OrganisationId::new())
        ));
        assert!(!may_answer_service_requests(
            &RoleSet::new([Role::Analyst]),
            own,
            Some(own)
        ));
        assert!(ServiceRequestStatus::Sent.can_answer());
        assert!(!ServiceRequestStatus::Accepted.can_answer());
    }

    #[test]
    fn every_need_term_belongs_to_a_headline_outcome_and_ids_are_unique() {
        assert!(NEEDS.terms.iter().all(|t| t.domain.is_some()));
        let mut ids: Vec<&str> = HEARTH_TAXONOMIES
            .iter()
            .flat_map(|t| std::iter::once(t.id).chain(t.terms.iter().map(|x| x.id)))
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for a in AccessMethod::ALL {
            assert!(access_term(a).is_some(), "{a:?}");
        }
    }

    #[test]
    fn a_review_falls_due_half_a_year_on() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(review_due(d), NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
    }

    #[test]
    fn prefix_end_is_just_after_every_word_with_the_prefix() {
        assert_eq!(prefix_end("play").as_deref(), Some("plaz"));
        let end = prefix_end("play").unwrap_or_default();
        for w in ["play", "playgroup", "playzzzz", "play\u{10FFFE}"] {
            assert!(w >= "play" && w < end.as_str(), "{w}");
        }
        assert!("plaza" >= end.as_str());
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
    }

    #[test]
    fn any_directory_editor_adds_a_place_but_only_the_councils_mark_a_family_hub() {
        use crate::role::Role;
        let editor = RoleSet::new([Role::DirectoryEditor]);
        let reviewer = RoleSet::new([Role::DirectoryReviewer]);
        let nobody = RoleSet::new([]);
        let (council, charity) = (
            OrganisationKind::LocalAuthority,
            OrganisationKind::VoluntaryCommunity,
        );
        assert!(may_add_location(&editor, charity, false));
        assert!(!may_add_location(&editor, charity, true));
        assert!(may_add_location(&editor, council, true));
        assert!(may_add_location(&reviewer, charity, true));
        assert!(!may_add_location(&nobody, council, false));
    }

    #[test]
    fn an_editor_changes_a_place_only_where_no_other_organisations_services_run() {
        use crate::role::Role;
        let editor = RoleSet::new([Role::DirectoryEditor]);
        let reviewer = RoleSet::new([Role::DirectoryReviewer]);
        let nobody = RoleSet::new([]);
        assert!(may_change_location(&editor, false, false));
        assert!(!may_change_location(&editor, false, true));
        assert!(may_change_location(&reviewer, false, true));
        assert!(!may_change_location(&reviewer, true, false), "imported");
        assert!(!may_change_location(&nobody, false, false));
    }

    #[test]
    fn the_local_plane_agrees_with_the_great_circle_over_a_familys_distances() {
        let centre = Coordinates::new(52.9536, -1.1505).expect("a point");
        let plane = LocalPlane::around(centre);
        for (dla, dlo) in [
            (0.0, 0.01),
            (0.01, 0.0),
            (0.2, 0.3),
            (-0.25, -0.2),
            (0.1, -0.45),
        ] {
            let p =
                Coordinates::new(centre.latitude + dla, centre.longitude + dlo).expect("a point");
            let (flat, round) = (plane.metres(p), distance_metres(centre, p));
            assert!(round < 35_000.0, "within about 20 miles: {round}");
            assert!((flat - round).abs() / round < 0.005, "{flat} vs {round}");
            assert!(
                (plane.squared_degrees(p) <= LocalPlane::squared_degrees_of(flat + 1.0))
                    && (plane.squared_degrees(p) > LocalPlane::squared_degrees_of(flat - 1.0))
            );
        }
        assert_eq!(plane.metres(centre), 0.0);
    }
}
