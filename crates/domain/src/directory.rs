//! The directory of services (the Core Offer), following Open Referral UK 3.0: the rules that
//! need no database — postcodes and distance, what a search may ask for, who may edit and
//! publish a service, when a service is due for review, and requests for a service.

use crate::ids::OrganisationId;
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
        ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude))
            .then_some(Self {
                latitude,
                longitude,
            })
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

/// The distances a family can choose, in miles.
pub const DISTANCE_CHOICES_MILES: [u32; 5] = [1, 2, 5, 10, 20];
/// The distance used when a postcode is given without one.
pub const DEFAULT_DISTANCE_MILES: u32 = 5;

/// How a family gets into a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// A service's status, as Open Referral names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceStatus {
    Active,
    Inactive,
    Defunct,
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

pub fn is_weekday_code(code: &str) -> bool {
    WEEKDAYS.iter().any(|(c, _)| *c == code)
}

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
        for bad in ["", "7NG 5AA", "NOTAPOSTCODE", "NG", "NG7 5A", "ŃG7 5AA", "NG777 5AA"] {
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
    fn a_review_falls_due_half_a_year_on() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(review_due(d), NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
    }
}
