//! The analytics extract (issue 18, item 6; ADR 0038): the data model as pseudonymised tables
//! that Power BI, DuckDB or Spark read, shaped like Data to Insight's Standard Safeguarding
//! Dataset where it fits (its table and column names, its codes, reusing [`crate::returns`]).
//!
//! What leaves: pseudonymous ids (a keyed hash of the record's id, so the extract can be
//! joined to itself and to next night's, but not back to Hearth without the secret), year of
//! birth and age band, sex, ethnicity, first language, postcode district and a SEND flag;
//! dates of events; coded needs, results, reasons and levels. What never leaves: names, exact
//! dates of birth, NHS numbers and UPNs, addresses beyond the district, contact details and any
//! text a person typed (notes, rationales, comments).

use crate::episode::{ClosureReason, NeedResult};
use crate::ids::{EpisodeId, PersonId, RequestId};
use crate::insight::AgeBand;
use crate::need::NeedDomain;
use crate::person::{DateOfBirth, DobCertainty, Ethnicity, Sex};
use crate::returns::{age_in_years, sex_code, ssd, Cell, Contact, EarlyHelp};
use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::fmt::Display;

/// The shortest secret the pseudonyms are keyed with.
pub const SECRET_MIN: usize = 32;

/// Makes pseudonymous ids: HMAC-SHA-256 of the kind of record and its id under the
/// partnership's secret, the first 128 bits in hex. The same record gets the same id in every
/// extract made with the same secret; without the secret no id can be traced back.
#[derive(Clone)]
pub struct Pseudonymiser {
    key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(****)")
    }
}

impl Pseudonymiser {
    /// A pseudonymiser keyed with `secret`, or why the secret will not do.
    pub fn new(secret: &str) -> Result<Self, String> {
        let secret = secret.trim();
        if secret.chars().count() < SECRET_MIN {
            return Err(format!(
                "the extract's secret must be at least {SECRET_MIN} characters (e.g. from `openssl rand -hex 32`)"
            ));
        }
        Ok(Self {
            key: secret.as_bytes().to_vec(),
        })
    }

    /// The pseudonym of one record, e.g. `id("person", person_id)`.
    pub fn id(&self, kind: &str, id: impl Display) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            // HMAC takes a key of any length; this branch is never taken.
            return String::new();
        };
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(id.to_string().as_bytes());
        let bytes = mac.finalize().into_bytes();
        hex::encode(&bytes[..16])
    }
}

/// How a column is stored: Parquet's types, and how a CSV reader should read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Date,
}

/// One table of the extract.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file's name without its extension (`ssd_person`).
    pub name: &'static str,
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<Vec<Cell>>,
}

/// A person as the extract needs them: what the store reads, before it is coarsened.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFacts {
    pub id: PersonId,
    pub dob: Option<DateOfBirth>,
    pub sex: Option<Sex>,
    pub ethnicity: Option<Ethnicity>,
    pub first_language: Option<String>,
    /// The current address's postcode, as stored.
    pub postcode: Option<String>,
    pub send: bool,
    /// The record this one was merged into (a duplicate of the same person), if any: its
    /// requests and episodes keep this id, so the row stays and says where it went.
    pub merged_into: Option<PersonId>,
}

/// One need of an episode, with its result once the episode closed.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedFact {
    pub episode: EpisodeId,
    pub domain: NeedDomain,
    pub result: Option<NeedResult>,
    pub closed_on: Option<NaiveDate>,
}

/// One Team Around the Family review: when, and the progress scores given (0–10 each).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewFact {
    pub id: String,
    pub episode: EpisodeId,
    pub held_on: NaiveDate,
    pub scores: Vec<i64>,
}

/// One attendance at a Family Hub session.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceFact {
    pub id: String,
    /// The person on the shared record, when the hub member is linked to one.
    pub person: Option<PersonId>,
    /// The hub's own member, when the attendance was registered to one (not a walk-in count).
    pub member: Option<String>,
    pub on: NaiveDate,
    pub service: String,
    pub location: String,
    pub age_band: String,
}

/// Everything the extract is made from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub people: Vec<PersonFacts>,
    pub contacts: Vec<Contact>,
    pub early_help: Vec<EarlyHelp>,
    pub needs: Vec<NeedFact>,
    pub reviews: Vec<ReviewFact>,
    pub attendances: Vec<AttendanceFact>,
}

/// The postcode district (outward code) of a postcode: `NG7 5AA` → `NG7`. A postcode without
/// a space is split before its last three characters; anything not shaped like a postcode
/// gives nothing rather than risk passing on more than the district.
pub fn postcode_district(postcode: &str) -> Option<String> {
    let compact: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = inward.as_bytes()[0].is_ascii_digit()
        && inward.as_bytes()[1..].iter().all(u8::is_ascii_alphabetic);
    let outward_ok = outward.as_bytes()[0].is_ascii_alphabetic()
        && outward.chars().all(|c| c.is_ascii_alphanumeric())
        && outward.chars().any(|c| c.is_ascii_digit());
    (inward_ok && outward_ok).then(|| outward.to_string())
}

/// The age band a person is in on `on`; nothing for a child not yet born or an unknown date.
pub fn age_band(dob: Option<DateOfBirth>, on: NaiveDate) -> Option<AgeBand> {
    let age = age_in_years(dob, on)?;
    let age = u32::try_from(age).ok()?;
    AgeBand::ALL.into_iter().find(|b| {
        let (from, to) = b.years();
        age >= from && to.is_none_or(|to| age < to)
    })
}

/// A first language as recorded, kept only when it reads as the name of a language (letters,
/// spaces, hyphens, brackets; short): the field is typed, and anything else may be a note.
pub fn language(recorded: Option<&str>) -> Option<String> {
    let text = recorded?.trim();
    let plain = !text.is_empty()
        && text.chars().count() <= 40
        && text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '(' | ')' | '\''));
    plain.then(|| text.to_string())
}

/// The extract's tables, made on `on`.
pub fn tables(p: &Pseudonymiser, on: NaiveDate, facts: &Facts) -> Vec<Table> {
    let text = |t: &str| Cell::Text(t.to_string());
    let opt = |t: Option<String>| t.map_or(Cell::Empty, Cell::Text);
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    let person_id = |id: PersonId| Cell::Text(p.id("person", id));
    let episode_id = |id: EpisodeId| Cell::Text(p.id("episode", id));
    let request_id = |id: RequestId| Cell::Text(p.id("request", id));
    let yn = |b: bool| text(if b { "Y" } else { "N" });

    let mut people: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for person in &facts.people {
        let born = person.dob.filter(|d| d.certainty != DobCertainty::Expected);
        let pseudonym = p.id("person", person.id);
        people.insert(
            pseudonym.clone(),
            vec![
                Cell::Text(pseudonym),
                text(sex_code(person.sex)),
                text(person.ethnicity.map_or("NOBT", |e| e.code())),
                born.map_or(Cell::Empty, |d| Cell::Number(i64::from(d.date.year()))),
                opt(age_band(born, on).map(|b| b.code().to_string())),
                yn(person
                    .dob
                    .is_some_and(|d| d.certainty == DobCertainty::Expected)),
                opt(language(person.first_language.as_deref())),
                opt(person.postcode.as_deref().and_then(postcode_district)),
                yn(person.send),
                person.merged_into.map_or(Cell::Empty, person_id),
            ],
        );
    }
    let person = Table {
        name: "ssd_person",
        columns: vec![
            ("pers_person_id", Kind::Text),
            ("pers_sex", Kind::Text),
            ("pers_ethnicity", Kind::Text),
            ("pers_year_of_birth", Kind::Integer),
            ("pers_age_band", Kind::Text),
            ("pers_unborn_flag", Kind::Text),
            ("pers_first_language", Kind::Text),
            ("pers_postcode_district", Kind::Text),
            ("pers_send_flag", Kind::Text),
            ("pers_merged_into_person_id", Kind::Text),
        ],
        rows: people.into_values().collect(),
    };

    let contacts = Table {
        name: "ssd_contacts",
        columns: vec![
            ("cont_contact_id", Kind::Text),
            ("cont_referral_id", Kind::Text),
            ("cont_person_id", Kind::Text),
            ("cont_contact_date", Kind::Date),
            ("cont_contact_source_code", Kind::Text),
            ("cont_contact_source_desc", Kind::Text),
            ("cont_contact_outcome_json", Kind::Text),
        ],
        rows: facts
            .contacts
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(p.id("contact", format!("{}:{}", c.request, c.subject.id))),
                    request_id(c.request),
                    person_id(c.subject.id),
                    Cell::Date(c.received_on),
                    text(c.source_code()),
                    // The kind of agency, not its name: a small agency's name can point to a family.
                    text(c.source.label()),
                    Cell::Text(ssd::outcome_json(c.outcome)),
                ]
            })
            .collect(),
    };

    let episodes = Table {
        name: "ssd_early_help_episodes",
        columns: vec![
            ("earl_episode_id", Kind::Text),
            ("earl_person_id", Kind::Text),
            ("earl_episode_start_date", Kind::Date),
            ("earl_episode_end_date", Kind::Date),
            ("earl_episode_reason", Kind::Text),
            ("earl_episode_end_reason", Kind::Text),
            ("earl_episode_organisation", Kind::Text),
            ("earl_episode_worker_id", Kind::Text),
            ("earl_family_episode_id", Kind::Text),
            ("earl_level", Kind::Text),
        ],
        rows: facts
            .early_help
            .iter()
            .map(|e| {
                let reason: Vec<&str> = e.needs.iter().map(|n| n.code()).collect();
                vec![
                    Cell::Text(p.id("episode_person", format!("{}:{}", e.episode, e.subject.id))),
                    person_id(e.subject.id),
                    Cell::Date(e.started_on),
                    date(e.ended_on),
                    Cell::Text(reason.join(";")),
                    opt(e.closure.map(|c: ClosureReason| c.code().to_string())),
                    opt(e.organisation.clone()),
                    opt(e.lead.map(|u| p.id("worker", u))),
                    episode_id(e.episode),
                    text(e.level.code()),
                ]
            })
            .collect(),
    };

    let needs = Table {
        name: "hearth_needs",
        columns: vec![
            ("need_episode_id", Kind::Text),
            ("need_domain", Kind::Text),
            ("need_label", Kind::Text),
        ],
        rows: facts
            .needs
            .iter()
            .map(|n| {
                vec![
                    episode_id(n.episode),
                    text(n.domain.code()),
                    text(n.domain.label()),
                ]
            })
            .collect(),
    };

    let outcomes = Table {
        name: "hearth_outcomes",
        columns: vec![
            ("outc_episode_id", Kind::Text),
            ("outc_need_domain", Kind::Text),
            ("outc_result", Kind::Text),
            ("outc_closed_date", Kind::Date),
        ],
        rows: facts
            .needs
            .iter()
            .filter_map(|n| {
                let result = n.result?;
                Some(vec![
                    episode_id(n.episode),
                    text(n.domain.code()),
                    text(result.code()),
                    date(n.closed_on),
                ])
            })
            .collect(),
    };

    let reviews = Table {
        name: "hearth_reviews",
        columns: vec![
            ("revw_review_id", Kind::Text),
            ("revw_episode_id", Kind::Text),
            ("revw_review_date", Kind::Date),
            ("revw_outcomes_scored", Kind::Integer),
            ("revw_score_total", Kind::Integer),
        ],
        rows: facts
            .reviews
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(p.id("review", &r.id)),
                    episode_id(r.episode),
                    Cell::Date(r.held_on),
                    Cell::Number(r.scores.len() as i64),
                    Cell::Number(r.scores.iter().sum()),
                ]
            })
            .collect(),
    };

    let attendances = Table {
        name: "hearth_attendances",
        columns: vec![
            ("atte_attendance_id", Kind::Text),
            ("atte_person_id", Kind::Text),
            ("atte_hub_member_id", Kind::Text),
            ("atte_date", Kind::Date),
            ("atte_service_id", Kind::Text),
            ("atte_location_id", Kind::Text),
            ("atte_age_band", Kind::Text),
        ],
        rows: facts
            .attendances
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(p.id("attendance", &a.id)),
                    a.person.map_or(Cell::Empty, person_id),
                    opt(a.member.as_ref().map(|m| p.id("hub_member", m))),
                    Cell::Date(a.on),
                    text(&a.service),
                    text(&a.location),
                    text(&a.age_band),
                ]
            })
            .collect(),
    };

    vec![
        person,
        contacts,
        episodes,
        needs,
        outcomes,
        reviews,
        attendances,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::episode::EpisodeLevel;
    use crate::organisation::OrganisationKind;
    use crate::returns::{ContactOutcome, Subject};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn key() -> Pseudonymiser {
        Pseudonymiser::new("a-secret-of-at-least-thirty-two-characters").unwrap()
    }

    #[test]
    fn pseudonyms_are_stable_keyed_and_kind_bound() {
        let id = PersonId::new();
        let a = key();
        let b = Pseudonymiser::new("another-secret-of-thirty-two-characters!!").unwrap();
        assert_eq!(a.id("person", id), a.id("person", id));
        assert_eq!(a.id("person", id).len(), 32);
        assert_ne!(a.id("person", id), b.id("person", id), "another key");
        assert_ne!(a.id("person", id), a.id("episode", id), "another kind");
        assert!(!a.id("person", id).contains(&id.to_string()));
        assert!(Pseudonymiser::new("short").is_err());
    }

    #[test]
    fn postcodes_are_cut_to_their_district_and_anything_else_dropped() {
        let cases = [
            ("NG7 5AA", Some("NG7")),
            ("ng75aa", Some("NG7")),
            ("NG10 1AB", Some("NG10")),
            ("SW1A 1AA", Some("SW1A")),
            ("NG7", None),
            ("12 Oak Street", None),
            ("", None),
        ];
        for (postcode, district) in cases {
            assert_eq!(
                postcode_district(postcode).as_deref(),
                district,
                "{postcode}"
            );
        }
    }

    #[test]
    fn ages_become_bands_and_languages_stay_names() {
        let dob = |y, m, day| {
            Some(DateOfBirth {
                date: d(y, m, day),
                certainty: DobCertainty::Exact,
            })
        };
        let on = d(2026, 6, 1);
        assert_eq!(age_band(dob(2022, 6, 2), on), Some(AgeBand::UnderFive));
        assert_eq!(age_band(dob(2021, 6, 1), on), Some(AgeBand::FiveToNine));
        assert_eq!(
            age_band(dob(2010, 6, 1), on),
            Some(AgeBand::SixteenToTwentyFive)
        );
        assert_eq!(age_band(dob(1980, 1, 1), on), Some(AgeBand::Adult));
        assert_eq!(age_band(None, on), None);
        assert_eq!(language(Some(" Urdu ")).as_deref(), Some("Urdu"));
        assert_eq!(
            language(Some("Punjabi (Gurmukhi)")).as_deref(),
            Some("Punjabi (Gurmukhi)")
        );
        assert_eq!(language(Some("Mum: ring 07700 900123")), None);
    }

    #[test]
    fn the_tables_carry_no_name_date_of_birth_or_record_id() {
        let p = key();
        let amy = PersonId::new();
        let request = RequestId::new();
        let episode = EpisodeId::new();
        let dob = DateOfBirth {
            date: d(2015, 4, 1),
            certainty: DobCertainty::Exact,
        };
        let subject = Subject {
            id: amy,
            sex: Some(Sex::Female),
            ethnicity: None,
            dob: Some(dob),
            nhs_number: Some("9434765919".into()),
        };
        let facts = Facts {
            people: vec![PersonFacts {
                id: amy,
                dob: Some(dob),
                sex: Some(Sex::Female),
                ethnicity: None,
                first_language: Some("Polish".into()),
                postcode: Some("NG7 5AA".into()),
                send: true,
                merged_into: None,
            }],
            contacts: vec![Contact {
                request,
                subject: subject.clone(),
                received_on: d(2026, 1, 5),
                source: OrganisationKind::School,
                source_name: "Oakfield Primary School".into(),
                outcome: Some(ContactOutcome::EarlyHelp),
            }],
            early_help: vec![EarlyHelp {
                episode,
                subject,
                level: EpisodeLevel::Early,
                started_on: d(2026, 1, 10),
                ended_on: None,
                closure: None,
                needs: vec![NeedDomain::Health],
                organisation: Some("Nottingham City Council".into()),
                lead: None,
            }],
            needs: vec![NeedFact {
                episode,
                domain: NeedDomain::Health,
                result: Some(NeedResult::Achieved),
                closed_on: Some(d(2026, 5, 1)),
            }],
            ..Facts::default()
        };
        let tables = tables(&p, d(2026, 6, 1), &facts);
        let person = &tables[0];
        assert_eq!(person.rows.len(), 1);
        assert_eq!(person.rows[0][3], Cell::Number(2015));
        assert_eq!(person.rows[0][4], Cell::Text("10-15".into()));
        assert_eq!(person.rows[0][7], Cell::Text("NG7".into()));
        assert_eq!(person.rows[0][8], Cell::Text("Y".into()));
        assert_eq!(tables[4].rows.len(), 1, "one outcome");
        let everything: Vec<String> = tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten().map(Cell::text))
            .collect();
        for forbidden in [
            amy.to_string(),
            request.to_string(),
            episode.to_string(),
            "2015-04-01".into(),
            "9434765919".into(),
            "Oakfield".into(),
            "5AA".into(),
        ] {
            assert!(
                !everything.iter().any(|c| c.contains(&forbidden)),
                "{forbidden} left Hearth"
            );
        }
        for t in &tables {
            assert!(
                t.rows.iter().all(|r| r.len() == t.columns.len()),
                "{}",
                t.name
            );
        }
    }
}
