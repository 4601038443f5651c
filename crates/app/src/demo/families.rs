//! Synthetic families for the demo partnership: a few hundred households in Nottingham
//! postcodes, with requests for support in every state. Deterministic from a seed, and made
//! of invented names only.

use crate::episodes::Opening;
use crate::{AppError, Hearth};
use chrono::Duration;
use hearth_domain::access::InvolvementRole;
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::identifiers::{nhs_with_check_digit, upn_with_check_letter};
use hearth_domain::ids::{HouseholdId, PersonId, RequestId, UserId};
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::person::{DobCertainty, HouseholdRelationship, Sex};
use hearth_domain::routing::{
    self, Outcome, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use hearth_store::accounts::users::{self, UserFilter};
use hearth_store::family::involvements::{self, NewInvolvement};
use hearth_store::family::people::{self, Address, PersonFields};
use hearth_store::requests::{self, DecisionRow, NeedRow, RequestFields};
use hearth_store::{accounts::teams, family::households, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const FAMILY_NAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Khan", "Ahmed", "Hussain", "Begum", "Ali", "Kowalski", "Nowak", "Popescu", "Ionescu", "Singh",
    "Kaur", "Okafor", "Mensah", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Turner", "Hill", "Moore",
    "Cooper", "Ward",
];
const GIVEN_CHILD: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Leo", "Noah", "Oliver", "George", "Muhammad",
    "Arthur", "Freddie", "Harry", "Aisha", "Zainab", "Maja", "Jakub", "Andrei", "Ioana", "Kayden",
    "Tyler", "Jayden", "Poppy", "Evie", "Lily", "Amir", "Yusuf", "Harpreet", "Chloe", "Ellie",
];
const GIVEN_ADULT: &[&str] = &[
    "Sarah",
    "Emma",
    "Laura",
    "Gemma",
    "Kelly",
    "Donna",
    "Fatima",
    "Nadia",
    "Agnieszka",
    "Elena",
    "David",
    "Mark",
    "Paul",
    "Lee",
    "Jason",
    "Imran",
    "Tariq",
    "Marek",
    "Florin",
    "Gurpreet",
];
const STREETS: &[&str] = &[
    "Alfreton Road",
    "Radford Road",
    "Hucknall Road",
    "Bestwood Road",
    "Arkwright Street",
    "Wilford Road",
    "Gregory Boulevard",
    "Beechdale Road",
    "Bulwell Lane",
    "Sneinton Dale",
];
const POSTCODES: &[&str] = &[
    "NG7 5AA", "NG7 3BB", "NG5 5CC", "NG5 1DD", "NG2 2EE", "NG8 4FF", "NG7 6GG", "NG6 8HH",
    "NG3 7JJ", "NG11 8KK",
];
const LANGUAGES: &[&str] = &[
    "English", "English", "English", "Urdu", "Polish", "Romanian", "Arabic", "Punjabi",
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// How many synthetic families the demo holds.
pub const DEMO_FAMILIES: usize = 300;

impl Hearth {
    /// Adds the synthetic families unless people are already on the record. Returns how many
    /// people were added.
    pub async fn seed_demo_families(&self, families: usize) -> Result<usize, AppError> {
        let mut conn = self.store.read().await?;
        if people::count(&mut conn).await? > 0 {
            return Ok(0);
        }
        let users = users::list(&mut conn, &UserFilter::default(), 100).await?;
        let team_list = teams::list(&mut conn, None).await?;
        drop(conn);
        let find = |email: &str| users.iter().find(|u| u.email == email).cloned();
        let (Some(lead), Some(officer)) = (
            find("lead@demo.hearth.test"),
            find("frontdoor@demo.hearth.test"),
        ) else {
            return Ok(0);
        };
        let requester_pool: Vec<_> = users
            .iter()
            .filter(|u| u.roles.can(hearth_domain::role::Capability::RequestSupport))
            .cloned()
            .collect();
        let team_named = |name: &str| team_list.iter().find(|t| t.name == name).cloned();
        let core = team_named(&self.policies.routing.core);
        let adolescence = team_named(&self.policies.routing.adolescence);

        let mut rng = StdRng::seed_from_u64(20261122);
        let now = self.now();
        let today = now.date_naive();
        let mut added = 0;
        let mut tx = self.store.write().await?;
        for f in 0..families {
            let family_name = pick(&mut rng, FAMILY_NAMES);
            let postcode = POSTCODES[f % POSTCODES.len()];
            let address = Address {
                line1: format!("{} {}", rng.gen_range(1..200), pick(&mut rng, STREETS)),
                line2: None,
                town: Some("Nottingham".into()),
                postcode: postcode.into(),
                from_date: Some(today - Duration::days(rng.gen_range(30..3000))),
                to_date: None,
            };
            let household = HouseholdId::new();
            households::create(&mut tx, household, &format!("{family_name} household"), now)
                .await?;
            let mut members: Vec<(PersonId, u32)> = Vec::new();
            let adults = rng.gen_range(1..=2);
            let children = rng.gen_range(1..=4);
            for i in 0..adults + children {
                let is_child = i >= adults;
                let age = if is_child {
                    rng.gen_range(0..17)
                } else {
                    rng.gen_range(20..50)
                };
                let dob = today - Duration::days(age * 365 + rng.gen_range(0..365));
                let id = PersonId::new();
                let nine: String = (0..9)
                    .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
                    .collect();
                let upn_tail = format!(
                    "892{:04}{:02}{:03}",
                    rng.gen_range(2000..2999),
                    rng.gen_range(10..25),
                    rng.gen_range(0..999)
                );
                people::insert(
                    &mut tx,
                    id,
                    &PersonFields {
                        given_names: pick(
                            &mut rng,
                            if is_child { GIVEN_CHILD } else { GIVEN_ADULT },
                        )
                        .into(),
                        family_name: family_name.into(),
                        dob: Some(dob),
                        dob_certainty: Some(DobCertainty::Exact),
                        sex: Some(if rng.gen_bool(0.5) {
                            Sex::Female
                        } else {
                            Sex::Male
                        }),
                        first_language: Some(pick(&mut rng, LANGUAGES).into()),
                        nhs_number: nhs_with_check_digit(&nine),
                        upn: (is_child && age >= 4)
                            .then(|| upn_with_check_letter(&upn_tail))
                            .flatten(),
                        ..PersonFields::default()
                    },
                    None,
                    now,
                )
                .await?;
                people::add_address(&mut tx, id, &address, now).await?;
                households::add_member(
                    &mut tx,
                    household,
                    id,
                    if is_child {
                        HouseholdRelationship::Child
                    } else {
                        HouseholdRelationship::Parent
                    },
                    address.from_date.unwrap_or(today),
                )
                .await?;
                members.push((id, age as u32));
                added += 1;
            }
            // Requests in every state: most families have none; some are drafts, waiting, or decided each way.
            let state = f % 10;
            if state >= 7 {
                continue;
            }
            let requester = &requester_pool[f % requester_pool.len()];
            let subjects: Vec<PersonId> = members.iter().map(|(id, _)| *id).collect();
            let teen = members.iter().any(|(_, a)| (10..18).contains(a));
            let fields = RequestFields {
                urgency: [Urgency::Routine, Urgency::Soon, Urgency::Urgent][f % 3],
                safeguarding: f % 13 == 0,
                queue: routing::queue_for(f % 13 == 0),
                family_told: Some("The family know we are asking for help.".into()),
                consent: Some(SharingConsent::Given),
                consent_detail: Some("Parent agreed for all the family".into()),
                lawful_basis: None,
                people: subjects.clone(),
                needs: vec![
                    NeedRow {
                        domain: NeedDomain::FamilyRelationships,
                        concerns: vec![],
                        detail: Some("Arguments at home affecting the children".into()),
                    },
                    NeedRow {
                        domain: if teen {
                            NeedDomain::SafeFromAbuseAndExploitation
                        } else {
                            NeedDomain::SecureHousing
                        },
                        concerns: if teen {
                            vec![Concern::MissingEpisodes]
                        } else {
                            vec![]
                        },
                        detail: None,
                    },
                ],
            };
            let id = RequestId::new();
            // At least four hours ago: the front door decides four hours after a request, and
            // a decision (and the episode it opens) must not be dated after now.
            let submitted = now - Duration::hours(4) - Duration::days(rng.gen_range(0..20));
            let status = if state == 0 {
                RequestStatus::Draft
            } else {
                RequestStatus::Submitted
            };
            requests::insert(
                &mut tx,
                id,
                requester.id,
                requester.organisation_id,
                &fields,
                status,
                submitted,
            )
            .await?;
            for p in &subjects {
                involvements::insert(
                    &mut tx,
                    &NewInvolvement {
                        person: *p,
                        user: Some(requester.id),
                        team: requester.team_id,
                        organisation: requester.organisation_id,
                        role: InvolvementRole::Requester,
                        request: Some(id),
                        episode: None,
                        until: None,
                    },
                    submitted,
                )
                .await?;
            }
            if state <= 2 {
                continue;
            }
            let service = if teen {
                TargetedService::Adolescence
            } else {
                TargetedService::Core
            };
            let (outcome, level) = match state {
                3 => (
                    Outcome::Signpost {
                        suggested: "Family Hub stay and play; debt advice drop-in".into(),
                    },
                    ContinuumLevel::Universal,
                ),
                4 => (
                    Outcome::OpenEarlyHelp { lead: lead.id },
                    ContinuumLevel::EarlyFamilyHelp,
                ),
                5 => (
                    Outcome::OpenTargeted {
                        service,
                        override_reason: None,
                    },
                    ContinuumLevel::TargetedFamilyHelp,
                ),
                _ => (
                    Outcome::NoFurtherAction {
                        reason: "Needs already met by the school".into(),
                    },
                    ContinuumLevel::Universal,
                ),
            };
            let opening = match &outcome {
                Outcome::OpenEarlyHelp { .. } => Some(Opening {
                    level: EpisodeLevel::Early,
                    service: None,
                    team: None,
                    lead: Some(lead.clone()),
                    ..opening_for(id, requester.id, &subjects, &fields)
                }),
                Outcome::OpenTargeted { service, .. } => Some(Opening {
                    level: EpisodeLevel::Targeted,
                    service: Some(*service),
                    team: match service {
                        TargetedService::Adolescence => &adolescence,
                        TargetedService::Core => &core,
                    }
                    .as_ref()
                    .map(|t| t.id),
                    lead: None,
                    ..opening_for(id, requester.id, &subjects, &fields)
                }),
                _ => None,
            };
            requests::decide(
                &mut tx,
                id,
                &DecisionRow {
                    decided_by: officer.id,
                    decided_by_name: officer.display_name.clone(),
                    decided_at: submitted + Duration::hours(4),
                    level,
                    outcome,
                    rationale:
                        "Decided against the Continuum of Need with the family's needs in view."
                            .into(),
                    proposed_service: Some(service),
                    confirmed: None,
                },
                RequestStatus::Decided,
            )
            .await?;
            if let Some(o) = opening {
                self.open_episode(&mut tx, &o, officer.id, submitted + Duration::hours(4))
                    .await?;
            }
        }
        Store::commit(tx).await?;
        Ok(added)
    }
}

/// The parts of an episode's opening that come from the request.
fn opening_for(
    request: RequestId,
    requester: UserId,
    people: &[PersonId],
    fields: &RequestFields,
) -> Opening {
    Opening {
        request: Some(request),
        level: EpisodeLevel::Early,
        service: None,
        team: None,
        lead: None,
        requester: Some(requester),
        people: people.to_vec(),
        needs: fields.needs.iter().map(|n| n.domain).collect(),
    }
}
