//! The family record: finding people, adding them after a search, and opening a record as the
//! access rules allow — the full record, or only who is involved (contact search).

pub mod consent;
pub mod details;
pub mod merging;

use crate::accounts::auth::event;
use crate::BreakGlassUse;
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::access::InvolvementRole;
use hearth_domain::access::{BreakGlassReason, RecordAction, RESTRICTION_ROLES};
use hearth_domain::audit::AuditAction;
use hearth_domain::date_parts::DateParts;
use hearth_domain::identifiers::{NhsNumber, Upn};
use hearth_domain::ids::{HouseholdId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::person::{
    postcode_district, Age, DateOfBirth, DobCertainty, Ethnicity, HouseholdRelationship, Sex,
};
use hearth_domain::role::{Capability, Role};
use hearth_domain::task::TaskKind;
use hearth_linkage::find::{Match, PersonQuery, Search, SHOW_FROM};
use hearth_linkage::search_keys;
use hearth_store::accounts::users::{self, UserFilter};
use hearth_store::episodes::Episode;
use hearth_store::family::changes::{self, Change};
use hearth_store::family::distinct;
use hearth_store::family::households::{self, Member};
use hearth_store::family::involvements::{self, Involvement, NewInvolvement};
use hearth_store::family::people::{
    self, Address, Blocking, NameKeys, NamePrefix, OtherName, Person, PersonFields,
};
use hearth_store::gate::{Closed, Ground, Sight};
use hearth_store::{audit, episodes::tasks, Conn, Store};
use serde::Deserialize;
use uuid::Uuid;

/// How long a find-before-create search stays good for adding a person.
pub(crate) const SEARCH_VALID_MINUTES: i64 = 60;
/// How many results a search shows.
const SHOWN: usize = 25;

/// What was typed into the search form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub dob: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub upn: String,
}

impl SearchForm {
    /// Enough to look for one person, not to list the register: two letters of a name, an
    /// identifier, or a date of birth with a postcode.
    pub fn is_enough(&self) -> bool {
        let letters = self.name.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2
            || !self.nhs_number.trim().is_empty()
            || !self.upn.trim().is_empty()
            || (!self.dob.trim().is_empty() && !self.postcode.trim().is_empty())
    }

    pub fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.dob,
            &self.postcode,
            &self.nhs_number,
            &self.upn,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

/// A date typed as 22/11/2026 or 2026-11-22.
pub fn parse_date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(value, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(value, "%d-%m-%Y"));
    if parsed.is_err() {
        errors.add(field, "Enter a real date, like 27/03/2012");
    }
    parsed.ok()
}

/// An NHS number and a UPN as typed: checked by their check characters, normalised, and any
/// problem reported against its field.
fn identifiers(e: &mut FieldErrors, nhs: &str, upn: &str) -> (Option<String>, Option<String>) {
    let nhs = match nhs.trim() {
        "" => None,
        raw => NhsNumber::parse(raw)
            .map(|n| n.as_str().to_string())
            .map_err(|m| e.add("nhs_number", m))
            .ok(),
    };
    let upn = match upn.trim() {
        "" => None,
        raw => Upn::parse(raw)
            .map(|u| u.as_str().to_string())
            .map_err(|m| e.add("upn", m))
            .ok(),
    };
    (nhs, upn)
}

/// One person found.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: PersonId,
    pub name: String,
    pub age: String,
    pub area: Option<String>,
    pub score: u32,
    pub reasons: Vec<String>,
    /// A likely match for the person being looked for (find-before-create).
    pub likely: bool,
    /// Whether the searcher may open the record; if not, only `involved` is shown.
    pub may_open: bool,
    pub involved: Vec<Involvement>,
}

#[derive(Debug, Clone)]
pub struct SearchOutcome {
    /// Quoted when adding a new person: proof that a search came first.
    pub search_id: Uuid,
    pub results: Vec<Found>,
}

/// How an age reads: "14", "about 10", "unborn (due 03/2027)".
pub fn describe_age(
    dob: Option<NaiveDate>,
    certainty: Option<DobCertainty>,
    today: NaiveDate,
) -> String {
    let Some(date) = dob else {
        return "Not known".into();
    };
    let certainty = certainty.unwrap_or(DobCertainty::Exact);
    match (DateOfBirth { date, certainty }.age_on(today), certainty) {
        (Age::Unborn, _) => format!("Unborn (due {})", date.format("%d/%m/%Y")),
        (Age::Years(y), DobCertainty::Estimated) => format!("About {y}"),
        (Age::Years(y), _) => y.to_string(),
    }
}

/// A person's record as the viewer may see it.
#[derive(Debug, Clone)]
pub enum PersonView {
    Full(Box<FullRecord>),
    /// Contact search only: name, age, area and who is involved — never the content.
    ContactOnly(ContactView),
    /// The record is restricted: the viewer must say why before it opens.
    ReasonNeeded {
        id: PersonId,
        name: String,
    },
}

#[derive(Debug, Clone)]
pub struct FullRecord {
    pub person: Person,
    pub age: String,
    pub other_names: Vec<OtherName>,
    /// Empty when restricted and the viewer's role is not named.
    pub addresses: Vec<Address>,
    pub details_withheld: bool,
    /// The roles a restriction names, by their labels ("Front door officer").
    pub restricted_to: Vec<String>,
    pub family: Vec<Member>,
    pub involved: Vec<Involvement>,
    /// Every episode of help the person has been part of, newest first.
    pub episodes: Vec<Episode>,
    pub may_request: bool,
    pub may_merge: bool,
    /// May add to the record (consent, household changes).
    pub may_contribute: bool,
    /// May change the person's details ("Change" links, and their history).
    pub may_edit: bool,
    /// Every change to the person's details, newest first.
    pub history: Vec<Change>,
    /// Opened by break-glass: the page says so.
    pub broke_glass: bool,
}

#[derive(Debug, Clone)]
pub struct ContactView {
    pub id: PersonId,
    pub name: String,
    pub age: String,
    pub area: Option<String>,
    pub involved: Vec<Involvement>,
    /// The user's roles let them break the glass to open it.
    pub may_break_glass: bool,
}

/// A new person as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub search_id: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub other_names: String,
    /// A date of birth as one text (`27/03/2012` or ISO), as older clients send it; the page
    /// sends the three boxes below instead.
    #[serde(default)]
    pub dob: String,
    #[serde(default, rename = "dob-day")]
    pub dob_day: String,
    #[serde(default, rename = "dob-month")]
    pub dob_month: String,
    #[serde(default, rename = "dob-year")]
    pub dob_year: String,
    #[serde(default)]
    pub dob_certainty: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub first_language: String,
    #[serde(default)]
    pub interpreter_needed: Option<String>,
    #[serde(default)]
    pub send: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub upn: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_town: String,
    #[serde(default)]
    pub postcode: String,
    /// Join the household of this person …
    #[serde(default)]
    pub with_person: String,
    /// … as their (the new person is the existing person's) relationship.
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub restricted: Option<String>,
    #[serde(default)]
    pub restriction_reason: String,
    /// Codes of the roles that may see what the restriction hides.
    #[serde(default)]
    pub restriction_roles: Vec<String>,
    /// Why this is a different person from the existing records they closely match.
    #[serde(default)]
    pub different_reason: String,
}

impl PersonForm {
    /// The date of birth's three boxes as typed; a date carried as one text (from the search
    /// that came before) fills them.
    pub fn dob_parts(&self) -> DateParts {
        let parts = DateParts {
            day: self.dob_day.clone(),
            month: self.dob_month.clone(),
            year: self.dob_year.clone(),
        };
        if parts.is_empty() {
            if let Some(date) = parse_date(&mut FieldErrors::new(), "dob", &self.dob) {
                return DateParts::of(date);
            }
        }
        parts
    }

    /// The date of birth typed, from the three boxes or else the one text; a problem is
    /// reported against `dob`.
    fn dob(&self, e: &mut FieldErrors) -> Option<NaiveDate> {
        let parts = self.dob_parts();
        if parts.is_empty() {
            return parse_date(e, "dob", &self.dob);
        }
        parts
            .read("Date of birth")
            .map_err(|err| e.add("dob", err.message))
            .ok()
            .flatten()
    }

    /// The date of birth as search reads it (ISO), when it reads.
    fn dob_for_search(&self) -> String {
        let parts = self.dob_parts();
        if parts.is_empty() {
            return self.dob.clone();
        }
        parts
            .read("Date of birth")
            .ok()
            .flatten()
            .map(|d| d.to_string())
            .unwrap_or_default()
    }

    fn check(
        &self,
        today: NaiveDate,
    ) -> Result<(PersonFields, Option<Address>, Vec<OtherName>), FieldErrors> {
        let mut e = FieldErrors::new();
        let given_names = input::required_text(
            &mut e,
            "given_names",
            "the person's first name",
            &self.given_names,
            100,
        );
        let family_name = input::required_text(
            &mut e,
            "family_name",
            "the person's last name",
            &self.family_name,
            100,
        );
        let dob = self.dob(&mut e);
        let certainty = DobCertainty::from_code(&self.dob_certainty).unwrap_or(DobCertainty::Exact);
        if let Err(m) = DateOfBirth::checked(dob, certainty, today) {
            e.add("dob", m);
        }
        let sex = chosen(
            &mut e,
            "sex",
            &self.sex,
            Sex::from_code,
            "Select the person's sex from the list",
        );
        let ethnicity = chosen(
            &mut e,
            "ethnicity",
            &self.ethnicity,
            Ethnicity::from_code,
            "Select an ethnicity from the list",
        );
        let (nhs_number, upn) = identifiers(&mut e, &self.nhs_number, &self.upn);
        let email = match self.email.trim() {
            "" => None,
            raw => Some(input::email(&mut e, "email", raw)),
        };
        let phone = input::optional_text(&mut e, "phone", "the phone number", &self.phone, 40);
        let line1 = input::optional_text(
            &mut e,
            "address_line1",
            "the address",
            &self.address_line1,
            200,
        );
        let town = input::optional_text(
            &mut e,
            "address_town",
            "the town or city",
            &self.address_town,
            100,
        );
        let postcode = self.postcode.trim().to_uppercase();
        let address = match (line1, postcode.is_empty()) {
            (None, true) => None,
            (Some(line1), false) => {
                let key = search_keys::postcode_key(&postcode);
                if !(5..=7).contains(&key.len())
                    || !key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                {
                    e.add("postcode", "Enter a real postcode, like NG7 1AA");
                }
                Some(Address {
                    line1,
                    line2: None,
                    town,
                    postcode,
                    from_date: Some(today),
                    to_date: None,
                })
            }
            (None, false) => {
                e.add(
                    "address_line1",
                    "Enter the first line of the address, or leave the postcode empty",
                );
                None
            }
            (Some(_), true) => {
                e.add("postcode", "Enter the postcode");
                None
            }
        };
        if !self.with_person.trim().is_empty() && chosen_relationship(&self.relationship).is_none()
        {
            e.add("relationship", "Select how this person is related");
        }
        let restricted = self.restricted.is_some();
        let restriction_reason = input::optional_text(
            &mut e,
            "restriction_reason",
            "the reason",
            &self.restriction_reason,
            500,
        );
        if restricted && restriction_reason.is_none() {
            e.add("restriction_reason", "Say why this person's details must be hidden, for example an address withheld because of domestic abuse");
        }
        let chosen: Vec<Option<Role>> = self
            .restriction_roles
            .iter()
            .map(|code| {
                code.parse::<Role>()
                    .ok()
                    .filter(|r| RESTRICTION_ROLES.contains(r))
            })
            .collect();
        let restriction_roles: Vec<Role> = RESTRICTION_ROLES
            .into_iter()
            .filter(|r| chosen.contains(&Some(*r)))
            .collect();
        if restricted && (restriction_roles.is_empty() || chosen.contains(&None)) {
            e.add(
                "restriction_roles",
                "Choose the roles that may see this person's address and contact details",
            );
        }
        let other_names = self
            .other_names
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter_map(|l| {
                let (given, family) = l.rsplit_once(' ')?;
                Some(OtherName {
                    given_names: given.to_string(),
                    family_name: family.to_string(),
                    kind: "other".into(),
                })
            })
            .collect();
        let fields = PersonFields {
            given_names,
            family_name,
            dob,
            dob_certainty: dob.map(|_| certainty),
            sex,
            gender: input::optional_text(&mut e, "gender", "the gender", &self.gender, 100),
            ethnicity,
            first_language: input::optional_text(
                &mut e,
                "first_language",
                "the first language",
                &self.first_language,
                100,
            ),
            interpreter_needed: self.interpreter_needed.is_some(),
            send: input::optional_text(&mut e, "send", "the SEND details", &self.send, 500),
            disability: input::optional_text(
                &mut e,
                "disability",
                "the disability details",
                &self.disability,
                500,
            ),
            nhs_number,
            upn,
            phone,
            email,
            restricted,
            // Only the roles chosen see restricted details; others see that they exist.
            restriction_roles: if restricted {
                restriction_roles
            } else {
                Vec::new()
            },
            restriction_reason,
        };
        e.into_result((fields, address, other_names))
    }
}

impl Hearth {
    /// Searches the record: by name (partial, any order, sounds-like), date of birth, postcode,
    /// NHS number or UPN. Every search is recorded, with the people it showed.
    pub async fn search_people(
        &self,
        actor: &Actor,
        form: &SearchForm,
    ) -> Result<SearchOutcome, AppError> {
        self.require(actor, Capability::SearchFamilies).await?;
        let mut e = FieldErrors::new();
        if form.is_empty() {
            e.add(
                "name",
                "Enter a name, date of birth, postcode, NHS number or UPN",
            );
        }
        if form.name.chars().count() > 200 {
            e.add("name", "Name must be 200 characters or fewer");
        }
        let dob = parse_date(&mut e, "dob", &form.dob);
        let (nhs, upn) = identifiers(&mut e, &form.nhs_number, &form.upn);
        if e.is_empty() && !form.is_enough() {
            e.add(
                "name",
                "Enter at least two letters of a name, or an NHS number or UPN, or both a date of birth and a postcode",
            );
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let search = Search::new(&PersonQuery {
            name: form.name.clone(),
            dob: dob.map(people::dob_of),
            postcode: Some(form.postcode.clone()),
            nhs_number: nhs.clone(),
            upn: upn.clone(),
        });
        let words = search.words();
        let mut dobs: Vec<NaiveDate> = dob.into_iter().collect();
        if let Some(d) = dob {
            use chrono::Datelike;
            dobs.extend(NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).filter(|s| *s != d));
        }
        let postcode_key = search_keys::postcode_key(&form.postcode);
        let blocking = Blocking {
            names: name_keys(words),
            dobs,
            postcode_key: (!postcode_key.is_empty()).then_some(postcode_key),
            nhs_number: nhs,
            upn,
            prefixes: name_prefixes(words),
        };
        let viewer = self.viewer(actor);
        let mut conn = self.store.read().await?;
        let mut candidates = people::candidates(&mut conn, &blocking).await?;
        // Hidden means hidden: a restricted person's address plays no part in matching for a
        // user who may not see it, so a guessed postcode neither ranks nor explains them.
        let ids: Vec<PersonId> = candidates.iter().map(|(id, _)| *id).collect();
        let restricted: Vec<(PersonId, bool, Vec<Role>)> =
            people::restricted_among(&mut conn, &ids)
                .await?
                .into_iter()
                .map(|(id, roles)| (id, true, roles))
                .collect();
        let hidden: Vec<PersonId> = self
            .gate
            .glimpses(&viewer, &restricted)
            .await?
            .into_iter()
            .filter(|g| g.hidden)
            .map(|g| g.person)
            .collect();
        for (id, c) in candidates.iter_mut() {
            if hidden.contains(id) {
                c.postcodes.clear();
            }
        }
        // Every candidate is scored; only those shown are explained in words.
        let scored: Vec<(PersonId, Match)> = search
            .best_of(candidates.iter().map(|(_, c)| c), SHOWN)
            .into_iter()
            .map(|(i, m)| (candidates[i].0, m))
            .collect();
        let today = self.now().date_naive();
        let mut results = Vec::with_capacity(scored.len());
        // Everything the results show, loaded for all of them at once.
        let ids: Vec<PersonId> = scored.iter().map(|(id, _)| *id).collect();
        let found = people::summaries(&mut conn, &ids).await?;
        let involved = involvements::current_for_many(&mut conn, &ids).await?;
        let postcodes = people::current_postcodes(&mut conn, &ids).await?;
        drop(conn);
        let glimpses = self
            .gate
            .glimpses(
                &viewer,
                &found
                    .iter()
                    .map(|p| (p.id, p.restricted, p.restriction_roles.clone()))
                    .collect::<Vec<_>>(),
            )
            .await?;
        for (id, m) in scored {
            let Some(person) = found.iter().find(|p| p.id == id) else {
                continue;
            };
            let theirs: Vec<Involvement> = involved
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, i)| i.clone())
                .collect();
            let may_open = glimpses.iter().any(|g| g.person == id && g.may_open);
            let area = if person.restricted {
                None
            } else {
                postcodes
                    .iter()
                    .find(|(p, _)| *p == id)
                    .map(|(_, pc)| postcode_district(pc))
            };
            results.push(Found {
                id,
                name: format!("{} {}", person.given_names, person.family_name),
                age: describe_age(person.dob, person.dob_certainty, today),
                area,
                likely: m.score >= SHOW_FROM,
                score: m.score,
                reasons: m.reasons,
                may_open,
                involved: if may_open { Vec::new() } else { theirs },
            });
        }
        let criteria = serde_json::json!({
            "name": form.name, "dob": form.dob, "postcode": form.postcode,
            "nhs_number": form.nhs_number, "upn": form.upn,
        });
        let mut tx = self.store.write().await?;
        let search_id =
            people::record_search(&mut tx, actor.user_id, &criteria.to_string(), self.now())
                .await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonSearched,
            &actor.origin,
            self.now(),
        );
        ev.detail = Some(
            serde_json::json!({
                "criteria": criteria,
                "shown": results.iter().map(|r| r.id.to_string()).collect::<Vec<_>>(),
                "contact_search_only": results.iter().filter(|r| !r.may_open).map(|r| r.id.to_string()).collect::<Vec<_>>(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(SearchOutcome { search_id, results })
    }

    /// Opens a person's record as far as the actor may. Every view is recorded; a restricted
    /// record opens only with a reason.
    pub async fn person(
        &self,
        actor: &Actor,
        id: PersonId,
        reason: Option<&str>,
    ) -> Result<PersonView, AppError> {
        let viewer = self.viewer(actor);
        let today = self.now().date_naive();
        let mut ev = viewer.audit.clone();
        ev.action = AuditAction::PersonViewed;
        ev.record_type = Some("person");
        ev.record_id = Some(id.to_string());
        let sight = match self.gate.look_up(&viewer, id, reason).await {
            Err(Closed::ReasonNeeded { id, name }) => {
                return Ok(PersonView::ReasonNeeded { id, name })
            }
            other => other?,
        };
        let opened = match sight {
            Sight::Opened(p) => *p,
            Sight::Contact(card) => {
                let mut conn = self.store.read().await?;
                let person = people::summaries(&mut conn, &[card.person])
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(AppError::NotFound)?;
                let area = if person.restricted {
                    None
                } else {
                    people::current_postcodes(&mut conn, &[person.id])
                        .await?
                        .into_iter()
                        .next()
                        .map(|(_, pc)| postcode_district(&pc))
                };
                let involved = involvements::current_for(&mut conn, person.id).await?;
                drop(conn);
                ev.action = AuditAction::PersonContactViewed;
                ev.record_id = Some(person.id.to_string());
                self.append_event(&ev).await?;
                return Ok(PersonView::ContactOnly(ContactView {
                    id: person.id,
                    name: format!("{} {}", person.given_names, person.family_name),
                    age: describe_age(person.dob, person.dob_certainty, today),
                    area,
                    involved,
                    may_break_glass: card.may_break_glass,
                }));
            }
        };
        let person = opened.person();
        ev.record_id = Some(person.id.to_string());
        match opened.ground() {
            Ground::BreakGlass => {
                ev.action = AuditAction::PersonViewed;
                ev.reason = opened.reason().map(str::to_string);
                ev.detail = Some(r#"{"break_glass":true}"#.into());
            }
            Ground::Relationship(_) if person.restricted => {
                ev.action = AuditAction::RestrictedPersonViewed;
                ev.reason = opened.reason().map(str::to_string);
            }
            Ground::Relationship(_) => {}
        }
        let named = &person.restriction_roles;
        let mut conn = self.store.read().await?;
        let record = FullRecord {
            age: describe_age(person.dob, person.dob_certainty, today),
            other_names: people::other_names(&mut conn, &opened).await?,
            addresses: people::addresses(&mut conn, &opened).await?,
            details_withheld: opened.details_withheld(),
            restricted_to: named.iter().map(|r| r.label().to_string()).collect(),
            family: households::family_of(&mut conn, &opened).await?,
            involved: involvements::current_for(&mut conn, person.id).await?,
            episodes: self.episodes_of(&mut conn, person.id).await?,
            may_request: actor.can(Capability::RequestSupport),
            may_merge: actor.can(Capability::MergeRecords),
            may_contribute: opened.may_contribute(),
            may_edit: opened.may_edit(),
            history: changes::history(&mut conn, &opened).await?,
            broke_glass: matches!(opened.ground(), Ground::BreakGlass),
            person: person.clone(),
        };
        drop(conn);
        self.append_event(&ev).await?;
        Ok(PersonView::Full(Box::new(record)))
    }

    /// Breaks the glass: a user whose roles carry it opens a record they have no part in, with
    /// a reason, for a limited time. Their team's manager and the data protection officer are
    /// given a task to review it.
    pub async fn break_glass(
        &self,
        actor: &Actor,
        id: PersonId,
        reason: &str,
    ) -> Result<(), AppError> {
        let Some(reason) = BreakGlassReason::new(reason) else {
            let mut e = FieldErrors::new();
            e.add(
                "reason",
                "Say why you must open this record now, in a sentence or more (at least 10 characters)",
            );
            return Err(AppError::Invalid(e));
        };
        let viewer = self.viewer(actor);
        let until = self.gate.break_glass(&viewer, id, &reason).await?;
        let now = self.now();
        let title = format!(
            "Review break-glass: {} opened a record until {} — \"{}\"",
            actor.display_name,
            until.format("%d/%m/%Y %H:%M"),
            reason.as_str()
        );
        let mut tx = self.store.write().await?;
        let reviewers = users::list(&mut tx, &UserFilter::default(), 1000).await?;
        for u in reviewers.iter().filter(|u| {
            u.active
                && (u.roles.has(Role::DataProtectionOfficer)
                    || (u.roles.has(Role::TeamManager)
                        && u.team_id.is_some()
                        && u.team_id == actor.team_id))
        }) {
            tasks::insert(
                &mut tx,
                &tasks::NewTask {
                    kind: TaskKind::BreakGlassReview,
                    request: None,
                    episode: None,
                    user: Some(u.id),
                    team: None,
                    title: title.clone(),
                    due_on: now.date_naive() + chrono::Duration::days(7),
                },
                now,
            )
            .await?;
        }
        Store::commit(tx).await?;
        Ok(())
    }

    /// Every break-glass opening in the last `days`, for the data protection officer.
    pub async fn break_glass_report(
        &self,
        actor: &Actor,
        days: i64,
    ) -> Result<Vec<BreakGlassUse>, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        let since = self.now() - chrono::Duration::days(days);
        let uses = self.gate.break_glass_uses(since).await?;
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::SharingReportViewed;
        ev.detail = Some(serde_json::json!({"report": "break_glass", "days": days}).to_string());
        self.append_event(&ev).await?;
        Ok(uses)
    }

    /// Adds a person, only after a search by the same user in the last hour. The person who
    /// adds them is recorded as involved, so they can open the record they made.
    pub async fn add_person(&self, actor: &Actor, form: &PersonForm) -> Result<PersonId, AppError> {
        let checked = self.check_new_person(actor, form).await?;
        let mut tx = self.store.write().await?;
        let id = write_new_person(&mut tx, actor, &checked, self.now()).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Everything `add_person` checks before it writes: the search made first, the form, the
    /// close matches and the reason they are someone else, and the household to join. A use
    /// case that adds people with other writes checks each first, then writes them all in its
    /// own transaction with [`write_new_person`].
    pub(crate) async fn check_new_person(
        &self,
        actor: &Actor,
        form: &PersonForm,
    ) -> Result<NewPerson, AppError> {
        self.require(actor, Capability::RequestSupport).await?;
        let now = self.now();
        let searched = match form.search_id.parse::<Uuid>() {
            Ok(sid) => {
                let mut conn = self.store.read().await?;
                people::search_made_by(&mut conn, sid, actor.user_id).await?
            }
            Err(_) => None,
        };
        if searched.is_none_or(|at| now - at > chrono::Duration::minutes(SEARCH_VALID_MINUTES)) {
            let mut e = FieldErrors::new();
            e.add(
                "search",
                "Search for the person first, so that nobody is recorded twice",
            );
            return Err(AppError::Invalid(e));
        }
        let (fields, address, other_names) =
            form.check(now.date_naive()).map_err(AppError::Invalid)?;
        // Someone who closely matches a person already on the record is that person until
        // the user says, with a reason, that they are not: a duplicate splits a family's story.
        let matches = self.close_matches(actor, form).await?;
        let different_reason = form.different_reason.trim();
        if !matches.is_empty() {
            let mut e = FieldErrors::new();
            if different_reason.is_empty() {
                e.add(
                    "different_reason",
                    format!(
                        "{} may already be on the record: ask for help for them from their result below, or say why this is a different person",
                        matches.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                );
            } else if different_reason.chars().count() > 1000 {
                e.add(
                    "different_reason",
                    "Why this is a different person must be 1000 characters or fewer",
                );
            }
            if !e.is_empty() {
                return Err(AppError::Invalid(e));
            }
        }
        // Joining someone's household is a change to their family: the gate must let this
        // user add to that record.
        let joining = match form.with_person.trim() {
            "" => None,
            raw => {
                let other = raw.parse::<PersonId>().map_err(|_| AppError::NotFound)?;
                let opened = self
                    .gate
                    .open_person(&self.viewer(actor), other, RecordAction::Contribute, None)
                    .await?;
                // Checked with the rest of the form above.
                let relationship =
                    chosen_relationship(&form.relationship).ok_or(AppError::NotFound)?;
                Some((opened.id(), relationship))
            }
        };
        Ok(NewPerson {
            fields,
            address,
            other_names,
            different_from: matches.iter().map(|m| m.id).collect(),
            different_reason: different_reason.to_string(),
            joining,
            search_id: form.search_id.clone(),
            with_person: form.with_person.clone(),
        })
    }

    /// People already on the record whom a person about to be added closely matches (a
    /// likely match by name, date of birth, postcode or identifier), as search shows them.
    pub async fn close_matches(
        &self,
        actor: &Actor,
        form: &PersonForm,
    ) -> Result<Vec<Found>, AppError> {
        let search = SearchForm {
            name: format!("{} {}", form.given_names.trim(), form.family_name.trim()),
            dob: form.dob_for_search(),
            postcode: form.postcode.clone(),
            nhs_number: form.nhs_number.clone(),
            upn: form.upn.clone(),
        };
        Ok(match self.search_people(actor, &search).await {
            Ok(found) => found.results.into_iter().filter(|r| r.likely).collect(),
            // What cannot be searched for (a mistyped date) is reported by the form's checks.
            Err(AppError::Invalid(_)) => Vec::new(),
            Err(e) => return Err(e),
        })
    }
}

impl Hearth {
    /// Records that someone left a household (moved out, went into care): the membership ends
    /// today and stays in the family's history. Anyone who contributes to the family's record
    /// (a TAF member, the practitioner who asked for help) may record it, as they are often
    /// the first to know.
    pub async fn end_household_membership(
        &self,
        actor: &Actor,
        from_person: PersonId,
        membership: &str,
    ) -> Result<(), AppError> {
        let opened = self
            .gate
            .open_person(
                &self.viewer(actor),
                from_person,
                RecordAction::Contribute,
                None,
            )
            .await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let Some(left) =
            households::end_membership(&mut tx, &opened, membership, now.date_naive()).await?
        else {
            drop(tx);
            // Not a membership of this person's household now: another family's, or ended.
            return Err(self
                .refused(
                    actor,
                    "household_membership",
                    membership.chars().take(64).collect(),
                )
                .await);
        };
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonChanged,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(left.to_string());
        ev.detail = Some(serde_json::json!({"left_household_membership": membership}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// The readings of the words typed (see [`Blocking`]). Every split of the words into given
/// names and a surname is read, surname last and surname first, because a surname may have
/// several words (Brennan-Okoro, van der Berg); each given name is read on its own, so a
/// middle name typed first still finds the person.
pub(crate) fn name_keys(words: &[String]) -> Vec<NameKeys> {
    let keys = |given: &str, family: &str| NameKeys {
        family_key: search_keys::family_key(family),
        given_key: search_keys::given_key(given),
        family_start: start(family),
        given_start: start(given),
        family_part: if family.contains(' ') || family.chars().count() < 3 {
            String::new()
        } else {
            family.to_string()
        },
    };
    let mut out: Vec<NameKeys> = Vec::new();
    let mut push = |k: NameKeys| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    if let [one] = words {
        push(keys("", one));
    }
    // Long inputs are mostly one person's many given names; four words cover real names.
    let words = &words[..words.len().min(4)];
    for split in 1..words.len() {
        let (before, after) = words.split_at(split);
        // Surname last: given names before the split, the surname from it.
        for given in before.iter().take(3) {
            push(keys(given, &after.join(" ")));
        }
        // Surname first: the surname before the split, given names after it.
        for given in after.iter().take(3) {
            push(keys(given, &before.join(" ")));
        }
    }
    out
}

/// The names typed as prefixes: one word could begin either name; with more, the first word
/// begins the given name and a later word the surname, or the other way round.
pub(crate) fn name_prefixes(words: &[String]) -> Vec<NamePrefix> {
    let prefix = |given: &str, family: &str| NamePrefix {
        given: given.to_string(),
        family: family.to_string(),
    };
    match words {
        [] => Vec::new(),
        [one] if one.chars().count() < 2 => Vec::new(),
        [one] => vec![prefix("", one), prefix(one, "")],
        [first, rest @ ..] => rest
            .iter()
            .take(3)
            .flat_map(|w| [prefix(first, w), prefix(w, first)])
            .collect(),
    }
}

/// A code chosen from a list, or nothing when the box was left empty; a code not on the list
/// is reported against `field`.
pub(crate) fn chosen<T>(
    e: &mut FieldErrors,
    field: &str,
    typed: &str,
    from_code: fn(&str) -> Option<T>,
    message: &str,
) -> Option<T> {
    match typed.trim() {
        "" => None,
        code => {
            let found = from_code(code);
            if found.is_none() {
                e.add(field, message);
            }
            found
        }
    }
}

/// A household relationship a practitioner may choose (not `member`, which Hearth gives).
fn chosen_relationship(code: &str) -> Option<HouseholdRelationship> {
    HouseholdRelationship::from_code(code.trim()).filter(|r| *r != HouseholdRelationship::Member)
}

/// The first two letters of a name, which a slip rarely reaches.
fn start(word: &str) -> String {
    if word.chars().count() >= 2 {
        word.chars().take(2).collect()
    } else {
        String::new()
    }
}

/// A new person checked and ready to write (see `Hearth::check_new_person`).
#[derive(Debug, Clone)]
pub(crate) struct NewPerson {
    fields: PersonFields,
    address: Option<Address>,
    other_names: Vec<OtherName>,
    /// Close matches the user said are someone else, with their reason.
    different_from: Vec<PersonId>,
    different_reason: String,
    joining: Option<(PersonId, HouseholdRelationship)>,
    search_id: String,
    with_person: String,
}

/// Writes a person checked by `Hearth::check_new_person` in the caller's transaction: the
/// record, their other names and address, the matches they are not, the household they join,
/// the adder's involvement and the `person_created` event.
pub(crate) async fn write_new_person(
    tx: &mut Conn,
    actor: &Actor,
    new: &NewPerson,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PersonId, AppError> {
    let id = PersonId::new();
    people::insert(tx, id, &new.fields, Some(actor.user_id), now).await?;
    for n in &new.other_names {
        people::add_name(tx, id, n, now).await?;
    }
    if let Some(a) = &new.address {
        people::add_address(tx, id, a, now).await?;
    }
    for other in &new.different_from {
        distinct::record(tx, id, *other, &new.different_reason, actor.user_id, now).await?;
    }
    if let Some((other, relationship)) = new.joining {
        let household = household_of(tx, other, now).await?;
        households::add_member(tx, household, id, relationship, now.date_naive()).await?;
    }
    involvements::insert(
        tx,
        &NewInvolvement {
            person: id,
            user: Some(actor.user_id),
            team: actor.team_id,
            organisation: actor.organisation_id,
            role: InvolvementRole::Recorder,
            request: None,
            episode: None,
            until: None,
        },
        now,
    )
    .await?;
    let mut ev = event(
        Some(actor),
        &actor.email,
        AuditAction::PersonCreated,
        &actor.origin,
        now,
    );
    ev.record_type = Some("person");
    ev.record_id = Some(id.to_string());
    ev.detail = Some(serde_json::json!({"search_id": new.search_id, "joined_household_of": new.with_person, "different_from": new.different_from.iter().map(|m| m.to_string()).collect::<Vec<_>>()}).to_string());
    ev.reason = (!new.different_from.is_empty()).then(|| new.different_reason.clone());
    audit::append(tx, &ev).await?;
    Ok(id)
}

/// The household `person` lives in now; one is made for them (named for their family) when
/// they have none, so that someone can join them.
async fn household_of(
    tx: &mut Conn,
    person: PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HouseholdId, AppError> {
    if let Some(h) = households::current_household(tx, person).await? {
        return Ok(h);
    }
    let h = HouseholdId::new();
    let existing = people::get(tx, person).await?;
    households::create(tx, h, &format!("{} household", existing.family_name), now).await?;
    households::add_member(
        tx,
        h,
        person,
        HouseholdRelationship::Member,
        now.date_naive(),
    )
    .await?;
    Ok(h)
}

/// Someone already on the record joining another person's household, for example a child who
/// lives between two parents' homes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JoinHouseholdForm {
    /// The person joining.
    #[serde(default)]
    pub member: String,
    /// Their relationship to the person whose household they join.
    #[serde(default)]
    pub relationship: String,
}

impl Hearth {
    /// Adds a person already on the record to the household `of` lives in, keeping any
    /// household they already live in: a person can belong to more than one. The membership
    /// starts today; leaving later ends it and keeps it in the history. The actor must be able
    /// to contribute to `of`'s record and to open the joining person's.
    pub async fn join_household(
        &self,
        actor: &Actor,
        of: PersonId,
        form: &JoinHouseholdForm,
    ) -> Result<(), AppError> {
        let member = form
            .member
            .trim()
            .parse::<PersonId>()
            .map_err(|_| AppError::NotFound)?;
        let viewer = self.viewer(actor);
        let of_opened = self
            .gate
            .open_person(&viewer, of, RecordAction::Contribute, None)
            .await?;
        let member = self
            .gate
            .open_person(&viewer, member, RecordAction::View, None)
            .await?
            .id();
        let of = of_opened.id();
        let mut conn = self.store.read().await?;
        let mut e = FieldErrors::new();
        let relationship = chosen_relationship(&form.relationship);
        if relationship.is_none() {
            e.add("relationship", "Select how this person is related");
        }
        let current = households::current_household(&mut conn, of).await?;
        let already = match current {
            Some(h) => households::family_of(&mut conn, &of_opened)
                .await?
                .iter()
                .any(|m| m.household_id == h && m.person_id == member && m.to_date.is_none()),
            None => false,
        };
        if member == of || already {
            e.add(
                "relationship",
                "This person already lives in this household",
            );
        }
        drop(conn);
        let Some(relationship) = relationship.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let household = household_of(&mut tx, of, now).await?;
        households::add_member(&mut tx, household, member, relationship, now.date_naive()).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonChanged,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(member.to_string());
        ev.detail = Some(
            serde_json::json!({
                "joined_household": household.to_string(),
                "household_of": of.to_string(),
                "relationship": relationship.code(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
