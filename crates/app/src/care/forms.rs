//! The care forms as typed, and what each means once checked: every problem named on its
//! field, nothing saved until all are fixed.

use chrono::NaiveDate;
use hearth_domain::care::providers::{Contract, ContractKind, ProviderKind};
use hearth_domain::care::{
    CategoryOfNeed, CeaseReason, EndReason, LegalStatus, Offer, OfstedRating, PlacementType, Route,
    Urgency,
};
use hearth_domain::date_parts::DateParts;
use hearth_domain::directory::Postcode;
use hearth_domain::ids::{CareHomeId, PlacementId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::care::homes::HomeFields;
use hearth_store::care::periods::NewPeriod;
use hearth_store::care::providers::{Provider, ProviderFields};
use hearth_store::care::requests::NewRequest;
use serde::Deserialize;

/// A date typed in three boxes: `prefix-day`, `prefix-month`, `prefix-year`.
pub(super) fn required_date(
    errors: &mut FieldErrors,
    field: &str,
    what: &str,
    parts: DateParts,
) -> Option<NaiveDate> {
    match parts.read(what) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add(field, format!("Enter {}", what.to_lowercase()));
            None
        }
        Err(e) => {
            errors.add(field, e.message);
            None
        }
    }
}

pub(super) fn chosen<T: Copy>(
    errors: &mut FieldErrors,
    field: &str,
    message: &str,
    code: &str,
    from_code: fn(&str) -> Option<T>,
) -> Option<T> {
    let found = from_code(code);
    if found.is_none() {
        errors.add(field, message);
    }
    found
}

/// A choice that may be left empty: nothing when it is, the problem when it is not a choice.
fn optional<T: Copy>(
    errors: &mut FieldErrors,
    field: &str,
    code: &str,
    from_code: fn(&str) -> Option<T>,
) -> Option<T> {
    if code.is_empty() {
        None
    } else {
        chosen(errors, field, "Choose from the list", code, from_code)
    }
}

fn offers(errors: &mut FieldErrors, field: &str, codes: &[String]) -> Vec<Offer> {
    let found: Vec<Offer> = codes.iter().filter_map(|c| Offer::from_code(c)).collect();
    if found.len() != codes.len() {
        errors.add(field, "Choose from the list");
    }
    found
}

fn whole(
    errors: &mut FieldErrors,
    field: &str,
    message: &str,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.add(field, message);
            0
        }
    }
}

/// A child coming into care.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StartForm {
    #[serde(default, rename = "start-day")]
    pub start_day: String,
    #[serde(default, rename = "start-month")]
    pub start_month: String,
    #[serde(default, rename = "start-year")]
    pub start_year: String,
    #[serde(default)]
    pub legal_status: String,
    #[serde(default)]
    pub category_of_need: String,
    #[serde(default)]
    pub home_postcode: String,
    /// `yes` when the child is an unaccompanied asylum-seeker.
    #[serde(default)]
    pub uasc: String,
}

impl StartForm {
    pub fn start_parts(&self) -> DateParts {
        DateParts {
            day: self.start_day.clone(),
            month: self.start_month.clone(),
            year: self.start_year.clone(),
        }
    }

    pub(super) fn check(&self, today: NaiveDate) -> Result<NewPeriod, FieldErrors> {
        let mut errors = FieldErrors::new();
        let started_on = required_date(
            &mut errors,
            "start",
            "The day the child came into care",
            self.start_parts(),
        );
        if started_on.is_some_and(|d| d > today) {
            errors.add(
                "start",
                "The day the child came into care must be today or in the past",
            );
        }
        let legal_status = chosen(
            &mut errors,
            "legal_status",
            "Choose the child's legal status",
            &self.legal_status,
            LegalStatus::from_code,
        );
        let category_of_need = chosen(
            &mut errors,
            "category_of_need",
            "Choose why the child came into care",
            &self.category_of_need,
            CategoryOfNeed::from_code,
        );
        let home_postcode = match self.home_postcode.trim() {
            "" => None,
            p => {
                let parsed = Postcode::parse(p);
                if parsed.is_none() {
                    errors.add("home_postcode", "Enter a real postcode, like NG7 5AA");
                }
                parsed
            }
        };
        match (started_on, legal_status, category_of_need) {
            (Some(started_on), Some(legal_status), Some(category_of_need)) if errors.is_empty() => {
                Ok(NewPeriod {
                    started_on,
                    legal_status,
                    category_of_need,
                    home_postcode,
                    team: None,
                    uasc: self.uasc == "yes",
                })
            }
            _ => Err(errors),
        }
    }
}

/// A social worker's request for a home.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub wishes: String,
    #[serde(default)]
    pub siblings: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub max_miles: String,
    #[serde(default)]
    pub culture: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub faith: String,
}

impl RequestForm {
    pub(super) fn check(&self) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let urgency = chosen(
            &mut errors,
            "urgency",
            "Choose how soon the child needs a home",
            &self.urgency,
            Urgency::from_code,
        );
        let needs = offers(&mut errors, "needs", &self.needs);
        let wishes = input::required_text(
            &mut errors,
            "wishes",
            "the child's wishes and feelings, in their own words",
            &self.wishes,
            5000,
        );
        let siblings = match self.siblings.trim() {
            "" => 0,
            s => whole(
                &mut errors,
                "siblings",
                "Enter how many brothers and sisters should live with the child, from 0 to 6",
                s,
                0..=6,
            ),
        };
        let max_miles = match self.max_miles.trim() {
            "" => None,
            m => Some(whole(
                &mut errors,
                "max_miles",
                "Enter the furthest from home in whole miles, from 1 to 500, or leave it blank",
                m,
                1..=500,
            )),
        };
        let mut text = |field: &str, what: &str, value: &str| {
            input::optional_text(&mut errors, field, what, value, 500)
        };
        let school = text("school", "the school", &self.school);
        let culture = text("culture", "culture and identity", &self.culture);
        let language = text("language", "language", &self.language);
        let faith = text("faith", "faith", &self.faith);
        match urgency {
            Some(urgency) if errors.is_empty() => Ok(NewRequest {
                urgency,
                needs,
                wishes,
                siblings,
                school,
                max_miles,
                culture,
                language,
                faith,
            }),
            _ => Err(errors),
        }
    }
}

/// A home or fostering household as the placements team records it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HomeForm {
    #[serde(default)]
    pub name: String,
    /// The provider from the providers table (ADR 0055); empty for a home whose provider is
    /// not in it, named in `provider` with its `route`.
    #[serde(default)]
    pub provider_id: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub placement_type: String,
    #[serde(default)]
    pub ofsted_urn: String,
    #[serde(default)]
    pub rating: String,
    #[serde(default, rename = "rated-day")]
    pub rated_day: String,
    #[serde(default, rename = "rated-month")]
    pub rated_month: String,
    #[serde(default, rename = "rated-year")]
    pub rated_year: String,
    #[serde(default)]
    pub registered_places: String,
    #[serde(default)]
    pub vacancies: String,
    #[serde(default)]
    pub age_from: String,
    #[serde(default)]
    pub age_to: String,
    #[serde(default)]
    pub offers: Vec<String>,
    #[serde(default)]
    pub postcode: String,
    /// Pounds and pence a week, as typed ("950" or "950.50").
    #[serde(default)]
    pub weekly_cost: String,
    #[serde(default)]
    pub version: String,
}

/// Pounds as typed to pence; `None` unless a non-negative amount with at most two decimals.
fn pence(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('£').replace(',', "");
    let (pounds, pennies) = text.split_once('.').unwrap_or((&text, ""));
    if pounds.is_empty() || pennies.len() > 2 || !pounds.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let pennies = format!("{pennies:0<2}");
    if !pennies.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    pounds
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(pennies.parse::<i64>().ok()?)
}

impl HomeForm {
    pub fn rated_parts(&self) -> DateParts {
        DateParts {
            day: self.rated_day.clone(),
            month: self.rated_month.clone(),
            year: self.rated_year.clone(),
        }
    }

    /// The form filled from a home, to change it.
    pub fn of(f: &HomeFields, version: i64) -> Self {
        let rated = f.rated_on.map(DateParts::of).unwrap_or_default();
        Self {
            name: f.name.clone(),
            provider_id: f.provider_id.map(|p| p.to_string()).unwrap_or_default(),
            provider: f.provider.clone(),
            route: f.route.code().into(),
            placement_type: f.placement_type.code().into(),
            ofsted_urn: f.ofsted_urn.clone().unwrap_or_default(),
            rating: f.rating.map(|r| r.code().to_string()).unwrap_or_default(),
            rated_day: rated.day,
            rated_month: rated.month,
            rated_year: rated.year,
            registered_places: f.registered_places.to_string(),
            vacancies: f.vacancies.to_string(),
            age_from: f.age_from.to_string(),
            age_to: f.age_to.to_string(),
            offers: f.offers.iter().map(|o| o.code().to_string()).collect(),
            postcode: f.postcode.as_str().to_string(),
            weekly_cost: format!(
                "{}.{:02}",
                f.weekly_cost_pence / 100,
                f.weekly_cost_pence % 100
            ),
            version: version.to_string(),
        }
    }

    /// Checks the form; `provider` is the provider chosen from the list, as it is today (its
    /// name and route), which the home then follows.
    pub(super) fn check(
        &self,
        provider: Option<&Provider>,
        today: NaiveDate,
    ) -> Result<(HomeFields, Option<i64>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = input::required_text(&mut errors, "name", "the home's name", &self.name, 200);
        let (provider_id, provider, route) = match provider {
            Some(p) => (Some(p.id), p.fields.name.clone(), Some(p.route_on(today))),
            None => (
                None,
                input::required_text(
                    &mut errors,
                    "provider",
                    "the provider, or choose one from the list",
                    &self.provider,
                    200,
                ),
                chosen(
                    &mut errors,
                    "route",
                    "Choose how the home is bought, or choose its provider from the list",
                    &self.route,
                    Route::from_code,
                ),
            ),
        };
        let placement_type = chosen(
            &mut errors,
            "placement_type",
            "Choose the type of placement",
            &self.placement_type,
            PlacementType::from_code,
        );
        let ofsted_urn = input::optional_text(
            &mut errors,
            "ofsted_urn",
            "the Ofsted URN",
            &self.ofsted_urn,
            20,
        );
        if ofsted_urn
            .as_deref()
            .is_some_and(|u| !u.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            errors.add(
                "ofsted_urn",
                "The Ofsted URN must be letters and numbers only, like SC123456",
            );
        }
        let rating = match self.rating.as_str() {
            "" => None,
            r => chosen(
                &mut errors,
                "rating",
                "Choose the rating from the list",
                r,
                OfstedRating::from_code,
            ),
        };
        let rated_on = match self.rated_parts().read("The date of the rating") {
            Ok(d) => d,
            Err(e) => {
                errors.add("rated", e.message);
                None
            }
        };
        if rating.is_some() && rated_on.is_none() && errors.get("rated").is_none() {
            errors.add("rated", "Enter the date of the rating");
        }
        let registered_places = whole(
            &mut errors,
            "registered_places",
            "Enter the places the home is registered or approved for, from 1 to 99",
            &self.registered_places,
            1..=99,
        );
        let vacancies = whole(
            &mut errors,
            "vacancies",
            "Enter the vacancies today, from 0 to 99",
            &self.vacancies,
            0..=99,
        );
        if vacancies > registered_places && errors.get("vacancies").is_none() {
            errors.add("vacancies", "Vacancies cannot be more than the places");
        }
        let age_from = whole(
            &mut errors,
            "age_from",
            "Enter the youngest age taken, from 0 to 25",
            &self.age_from,
            0..=25,
        );
        let age_to = whole(
            &mut errors,
            "age_to",
            "Enter the oldest age taken, from 0 to 25",
            &self.age_to,
            0..=25,
        );
        if age_to < age_from && errors.get("age_to").is_none() {
            errors.add(
                "age_to",
                "The oldest age must be the same as or more than the youngest",
            );
        }
        let offers = offers(&mut errors, "offers", &self.offers);
        let postcode = Postcode::parse(&self.postcode).filter(|p| !p.is_district());
        if postcode.is_none() {
            errors.add("postcode", "Enter the home's full postcode, like NG7 5AA");
        }
        let weekly_cost_pence = pence(&self.weekly_cost);
        if weekly_cost_pence.is_none() {
            errors.add(
                "weekly_cost",
                "Enter the weekly cost in pounds, like 950 or 950.50",
            );
        }
        let version = match self.version.trim() {
            "" => None,
            v => v.parse::<i64>().ok(),
        };
        match (route, placement_type, postcode, weekly_cost_pence) {
            (Some(route), Some(placement_type), Some(postcode), Some(weekly_cost_pence))
                if errors.is_empty() =>
            {
                Ok((
                    HomeFields {
                        name,
                        provider,
                        provider_id,
                        route,
                        placement_type,
                        ofsted_urn,
                        rating,
                        rated_on,
                        registered_places,
                        vacancies,
                        age_from,
                        age_to,
                        offers,
                        postcode,
                        weekly_cost_pence,
                    },
                    version,
                ))
            }
            _ => Err(errors),
        }
    }
}

/// Placing the child in one of the homes proposed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    pub home: String,
    #[serde(default, rename = "start-day")]
    pub start_day: String,
    #[serde(default, rename = "start-month")]
    pub start_month: String,
    #[serde(default, rename = "start-year")]
    pub start_year: String,
    /// Why the child's current placement ends, when they have one.
    #[serde(default)]
    pub end_reason: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: String,
}

/// A checked placing.
pub(super) struct Placing {
    pub home: CareHomeId,
    pub started_on: NaiveDate,
    pub end_reason: Option<EndReason>,
    pub note: Option<String>,
    pub version: i64,
}

impl PlaceForm {
    pub fn start_parts(&self) -> DateParts {
        DateParts {
            day: self.start_day.clone(),
            month: self.start_month.clone(),
            year: self.start_year.clone(),
        }
    }

    pub(super) fn check(&self, placed_now: bool) -> Result<Placing, FieldErrors> {
        let mut errors = FieldErrors::new();
        let home = self.home.parse::<CareHomeId>().ok();
        if home.is_none() {
            errors.add("home", "Choose one of the homes proposed");
        }
        let started_on = required_date(
            &mut errors,
            "start",
            "The day the child moves in",
            self.start_parts(),
        );
        let end_reason = if placed_now {
            chosen(
                &mut errors,
                "end_reason",
                "Choose why the child's current placement ends",
                &self.end_reason,
                EndReason::from_code,
            )
        } else {
            None
        };
        let note = input::optional_text(&mut errors, "note", "the note", &self.note, 2000);
        let version = self.version.trim().parse::<i64>().unwrap_or(0);
        match (home, started_on) {
            (Some(home), Some(started_on)) if errors.is_empty() => Ok(Placing {
                home,
                started_on,
                end_reason,
                note,
                version,
            }),
            _ => Err(errors),
        }
    }
}

/// No suitable home: why, for the unmet need.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnmetForm {
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub version: String,
}

impl UnmetForm {
    pub(super) fn check(&self) -> Result<(String, i64), FieldErrors> {
        let mut errors = FieldErrors::new();
        let why = input::required_text(
            &mut errors,
            "why",
            "why no home is suitable",
            &self.why,
            2000,
        );
        let version = self.version.trim().parse::<i64>().unwrap_or(0);
        errors.into_result((why, version))
    }
}

/// A placement ending.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    pub placement: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default, rename = "end-day")]
    pub end_day: String,
    #[serde(default, rename = "end-month")]
    pub end_month: String,
    #[serde(default, rename = "end-year")]
    pub end_year: String,
}

impl EndForm {
    pub fn end_parts(&self) -> DateParts {
        DateParts {
            day: self.end_day.clone(),
            month: self.end_month.clone(),
            year: self.end_year.clone(),
        }
    }

    pub(super) fn check(
        &self,
        today: NaiveDate,
    ) -> Result<(PlacementId, NaiveDate, EndReason), FieldErrors> {
        let mut errors = FieldErrors::new();
        let placement = self.placement.parse::<PlacementId>().ok();
        if placement.is_none() {
            errors.add("placement", "Choose the placement that ends");
        }
        let reason = chosen(
            &mut errors,
            "reason",
            "Choose why the placement ended",
            &self.reason,
            EndReason::from_code,
        );
        let on = required_date(
            &mut errors,
            "end",
            "The day the placement ended",
            self.end_parts(),
        );
        if on.is_some_and(|d| d > today) {
            errors.add(
                "end",
                "The day the placement ended must be today or in the past",
            );
        }
        match (placement, on, reason) {
            (Some(p), Some(on), Some(r)) if errors.is_empty() => Ok((p, on, r)),
            _ => Err(errors),
        }
    }
}

/// The end of a child's period of care: the day and the DfE's reason.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndCareForm {
    #[serde(default)]
    pub cease_reason: String,
    #[serde(default, rename = "ceased-day")]
    pub ceased_day: String,
    #[serde(default, rename = "ceased-month")]
    pub ceased_month: String,
    #[serde(default, rename = "ceased-year")]
    pub ceased_year: String,
}

impl EndCareForm {
    pub fn ceased_parts(&self) -> DateParts {
        DateParts {
            day: self.ceased_day.clone(),
            month: self.ceased_month.clone(),
            year: self.ceased_year.clone(),
        }
    }

    /// The day and the reason; the day not in the future and not before the care, or the
    /// current placement, began.
    pub(super) fn check(
        &self,
        today: NaiveDate,
        earliest: NaiveDate,
    ) -> Result<(NaiveDate, CeaseReason), FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = chosen(
            &mut errors,
            "cease_reason",
            "Choose why the child's care ended",
            &self.cease_reason,
            CeaseReason::from_code,
        );
        let on = required_date(
            &mut errors,
            "ceased",
            "The day the child's care ended",
            self.ceased_parts(),
        );
        if on.is_some_and(|d| d > today) {
            errors.add(
                "ceased",
                "The day the child's care ended must be today or in the past",
            );
        } else if on.is_some_and(|d| d < earliest) {
            errors.add(
                "ceased",
                format!(
                    "The day the child's care ended must be on or after {}, when their care or current placement began",
                    earliest.format("%-d %B %Y")
                ),
            );
        }
        match (on, reason) {
            (Some(on), Some(r)) if errors.is_empty() => Ok((on, r)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pence;

    #[test]
    fn pounds_as_typed_to_pence() {
        let table = [
            ("950", Some(95_000)),
            ("950.5", Some(95_050)),
            ("£1,250.05", Some(125_005)),
            ("", None),
            ("12.345", None),
            ("-3", None),
            ("ten", None),
        ];
        for (typed, expected) in table {
            assert_eq!(pence(typed), expected, "{typed}");
        }
    }
}

/// A contact with a care leaver as their worker records it: the day, in touch or not, and (in
/// touch) what they are doing and where they live, in the DfE's OC3 codes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LeaverForm {
    #[serde(default, rename = "contact-day")]
    pub contact_day: String,
    #[serde(default, rename = "contact-month")]
    pub contact_month: String,
    #[serde(default, rename = "contact-year")]
    pub contact_year: String,
    #[serde(default)]
    pub in_touch: String,
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub accommodation: String,
    /// `no` when the accommodation does not suit the young person.
    #[serde(default)]
    pub suitable: String,
    /// `put` (staying put) and `close` (staying close), as ticked.
    #[serde(default)]
    pub staying: Vec<String>,
}

impl LeaverForm {
    pub fn contact_parts(&self) -> DateParts {
        DateParts {
            day: self.contact_day.clone(),
            month: self.contact_month.clone(),
            year: self.contact_year.clone(),
        }
    }

    /// The contact, or each problem against its field; the day not in the future.
    pub(super) fn check(
        &self,
        today: NaiveDate,
    ) -> Result<hearth_domain::care::leavers::Contact, FieldErrors> {
        use hearth_domain::care::leavers::{self, Accommodation, Activity, InTouch};
        let mut errors = FieldErrors::new();
        let on = required_date(
            &mut errors,
            "contact",
            "The day of the contact",
            self.contact_parts(),
        );
        if on.is_some_and(|d| d > today) {
            errors.add(
                "contact",
                "The day of the contact must be today or in the past",
            );
        }
        let in_touch = chosen(
            &mut errors,
            "in_touch",
            "Choose whether the council is in touch with the young person",
            &self.in_touch,
            InTouch::from_code,
        );
        let activity = optional(&mut errors, "activity", &self.activity, Activity::from_code);
        let accommodation = optional(
            &mut errors,
            "accommodation",
            &self.accommodation,
            Accommodation::from_code,
        );
        let (Some(recorded_on), Some(in_touch)) = (on, in_touch) else {
            return Err(errors);
        };
        let contact = leavers::Contact {
            recorded_on,
            in_touch,
            activity,
            accommodation: accommodation.map(|a| (a, self.suitable != "no")),
            staying_put: self.staying.iter().any(|s| s == "put"),
            staying_close: self.staying.iter().any(|s| s == "close"),
        };
        for (field, message) in leavers::check(&contact) {
            errors.add(field, message);
        }
        if errors.is_empty() {
            Ok(contact)
        } else {
            Err(errors)
        }
    }
}

/// A provider of homes as typed by the commissioning team.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProviderForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub ofsted_urn: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub version: String,
}

impl ProviderForm {
    /// The form filled from a provider, to change it.
    pub fn of(p: &Provider) -> Self {
        Self {
            name: p.fields.name.clone(),
            ofsted_urn: p.fields.ofsted_urn.clone().unwrap_or_default(),
            kind: p.fields.kind.code().into(),
            version: p.version.to_string(),
        }
    }

    pub(super) fn check(&self) -> Result<(ProviderFields, Option<i64>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let name =
            input::required_text(&mut errors, "name", "the provider's name", &self.name, 200);
        let ofsted_urn = input::optional_text(
            &mut errors,
            "ofsted_urn",
            "the Ofsted provider URN",
            &self.ofsted_urn,
            20,
        );
        if ofsted_urn
            .as_deref()
            .is_some_and(|u| !u.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            errors.add(
                "ofsted_urn",
                "The Ofsted provider URN must be letters and numbers only, like SC123456",
            );
        }
        let kind = chosen(
            &mut errors,
            "kind",
            "Choose who runs the provider's homes",
            &self.kind,
            ProviderKind::from_code,
        );
        let version = self.version.trim().parse::<i64>().ok();
        match kind {
            Some(kind) if errors.is_empty() => Ok((
                ProviderFields {
                    name,
                    ofsted_urn,
                    kind,
                },
                version,
            )),
            _ => Err(errors),
        }
    }
}

/// A framework membership or block contract as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContractForm {
    #[serde(default)]
    pub kind: String,
    /// Sent as `contract_name`: the provider's page has its own `name`.
    #[serde(default, rename = "contract_name")]
    pub name: String,
    #[serde(default)]
    pub places: String,
    #[serde(default, rename = "starts-day")]
    pub starts_day: String,
    #[serde(default, rename = "starts-month")]
    pub starts_month: String,
    #[serde(default, rename = "starts-year")]
    pub starts_year: String,
    #[serde(default, rename = "ends-day")]
    pub ends_day: String,
    #[serde(default, rename = "ends-month")]
    pub ends_month: String,
    #[serde(default, rename = "ends-year")]
    pub ends_year: String,
}

impl ContractForm {
    pub fn starts_parts(&self) -> DateParts {
        DateParts {
            day: self.starts_day.clone(),
            month: self.starts_month.clone(),
            year: self.starts_year.clone(),
        }
    }

    pub fn ends_parts(&self) -> DateParts {
        DateParts {
            day: self.ends_day.clone(),
            month: self.ends_month.clone(),
            year: self.ends_year.clone(),
        }
    }

    pub(super) fn check(&self) -> Result<Contract, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = chosen(
            &mut errors,
            "kind",
            "Choose a framework membership or a block contract",
            &self.kind,
            ContractKind::from_code,
        );
        let name = input::required_text(
            &mut errors,
            "contract_name",
            "the framework's or contract's name",
            &self.name,
            200,
        );
        let places = match (kind, self.places.trim()) {
            (Some(ContractKind::Block), p) => Some(whole(
                &mut errors,
                "places",
                "Enter the places the block contract buys, from 1 to 999",
                p,
                1..=999,
            )),
            (_, "") => None,
            (_, p) => Some(whole(
                &mut errors,
                "places",
                "Enter the places as a whole number from 1 to 999, or leave it empty",
                p,
                1..=999,
            )),
        };
        let starts_on = required_date(
            &mut errors,
            "starts",
            "The day it begins",
            self.starts_parts(),
        );
        let ends_on = match self.ends_parts().read("The day it ends") {
            Ok(d) => d,
            Err(e) => {
                errors.add("ends", e.message);
                None
            }
        };
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add(
                    "ends",
                    "The day it ends must be on or after the day it begins",
                );
            }
        }
        match (kind, starts_on) {
            (Some(kind), Some(starts_on)) if errors.is_empty() => Ok(Contract {
                kind,
                name,
                places,
                starts_on,
                ends_on,
            }),
            _ => Err(errors),
        }
    }
}
