//! What the API answers, as types: each is serialised as the answer and described in the
//! OpenAPI document from the same definition. Ids, codes and dates are written as the text
//! the answers have always carried (an id as its UUID, a date as `YYYY-MM-DD`, a moment as
//! RFC 3339, a coded value as its code); a field that can be empty is `null`, never absent.

use super::codes;
use hearth_app::episodes::plan::PlanView;
use hearth_app::episodes::EpisodeView;
use hearth_app::family::{Found, SearchOutcome};
use hearth_app::front_door::RequestView;
use serde::Serialize;
use utoipa::ToSchema;

/// The people found, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleFound {
    /// Quoted when adding a new person in Hearth: proof that a search came first.
    #[schema(schema_with = codes::uuid)]
    pub search_id: String,
    pub results: Vec<PersonFound>,
}

/// One person found. A person the user may not open is given as contact search only: name,
/// age, area and who is involved.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonFound {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    pub name: String,
    /// As it reads: "14", "about 10", "unborn (due 03/2027)".
    pub age: String,
    /// Postcode district; null when not known or restricted.
    #[schema(required = true)]
    pub area: Option<String>,
    #[schema(minimum = 0, maximum = 100)]
    pub score: u32,
    pub likely_match: bool,
    pub reasons: Vec<String>,
    pub may_open: bool,
    /// Only when the record may not be opened (contact search); null otherwise.
    #[schema(required = true)]
    pub involved: Option<Vec<Involvement>>,
}

/// Someone involved with a person the user may not open, to contact instead.
#[derive(Debug, Serialize, ToSchema)]
pub struct Involvement {
    #[schema(schema_with = codes::involvement_role)]
    pub role: &'static str,
    pub organisation: String,
    #[schema(required = true)]
    pub team: Option<String>,
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub phone: Option<String>,
    #[schema(required = true)]
    pub email: Option<String>,
}

impl From<SearchOutcome> for PeopleFound {
    fn from(outcome: SearchOutcome) -> Self {
        PeopleFound {
            search_id: outcome.search_id.to_string(),
            results: outcome.results.into_iter().map(PersonFound::from).collect(),
        }
    }
}

impl From<Found> for PersonFound {
    fn from(f: Found) -> Self {
        let involved = (!f.may_open).then(|| {
            f.involved
                .into_iter()
                .map(|i| Involvement {
                    role: i.role.code(),
                    organisation: i.organisation_name,
                    team: i.team_name,
                    name: i.user_name,
                    phone: i.user_phone,
                    email: i.user_email,
                })
                .collect()
        });
        PersonFound {
            id: f.id.to_string(),
            name: f.name,
            age: f.age,
            area: f.area,
            score: f.score,
            likely_match: f.likely,
            reasons: f.reasons,
            may_open: f.may_open,
            involved,
        }
    }
}

/// A request for support and, once made, the front door's decision.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Request)]
pub struct RequestAnswer {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    #[schema(schema_with = codes::request_status)]
    pub status: &'static str,
    pub safeguarding: bool,
    #[schema(schema_with = codes::queue)]
    pub queue: &'static str,
    #[schema(schema_with = codes::urgency)]
    pub urgency: &'static str,
    pub requester: Requester,
    pub people: Vec<RequestPerson>,
    pub needs: Vec<RequestNeed>,
    #[schema(required = true)]
    pub family_told: Option<String>,
    #[schema(required = true, schema_with = codes::consent_or_none)]
    pub consent: Option<&'static str>,
    #[schema(required = true)]
    pub lawful_basis: Option<String>,
    #[schema(required = true, schema_with = codes::date_time_or_none)]
    pub submitted_at: Option<String>,
    /// While it waits at the front door: the working day by whose end it must be decided.
    #[schema(required = true, schema_with = codes::date_or_none)]
    pub due_by: Option<String>,
    pub overdue: bool,
    #[schema(required = true)]
    pub decision: Option<Decision>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Requester {
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPerson {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    pub name: String,
    pub age: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestNeed {
    #[schema(schema_with = codes::need_domain)]
    pub domain: &'static str,
    #[schema(schema_with = codes::concerns)]
    pub concerns: Vec<&'static str>,
    #[schema(required = true)]
    pub detail: Option<String>,
}

/// The front door's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decision {
    /// The level of the continuum of help: 1 universal to 4 specialist.
    #[schema(schema_with = codes::continuum_level)]
    pub level: i64,
    #[schema(schema_with = codes::outcome)]
    pub outcome: &'static str,
    /// The reasons, drawn on the family's record: null for a requester who may not open it.
    #[schema(required = true)]
    pub rationale: Option<String>,
    /// The service giving Targeted Family Help, where that was decided.
    #[schema(required = true, schema_with = codes::targeted_service_or_none)]
    pub service: Option<&'static str>,
    #[schema(schema_with = codes::date_time)]
    pub decided_at: String,
    pub decided_by: String,
    /// The manager who confirmed a decision that needed it.
    #[schema(required = true)]
    pub confirmed_by: Option<String>,
}

impl From<&RequestView> for RequestAnswer {
    fn from(v: &RequestView) -> Self {
        let r = &v.request;
        RequestAnswer {
            id: r.id.to_string(),
            status: r.status.code(),
            safeguarding: r.safeguarding,
            queue: r.queue.code(),
            urgency: r.urgency.code(),
            requester: Requester {
                name: r.requester_name.clone(),
                organisation: r.requester_organisation.clone(),
            },
            people: v
                .people
                .iter()
                .map(|(id, name, age)| RequestPerson {
                    id: id.to_string(),
                    name: name.clone(),
                    age: age.clone(),
                })
                .collect(),
            needs: r
                .needs
                .iter()
                .map(|n| RequestNeed {
                    domain: n.domain.code(),
                    concerns: n.concerns.iter().map(|c| c.code()).collect(),
                    detail: n.detail.clone(),
                })
                .collect(),
            family_told: r.family_told.clone(),
            consent: r.consent.map(|c| c.code()),
            lawful_basis: r.lawful_basis.clone(),
            submitted_at: r.submitted_at.map(|t| t.to_rfc3339()),
            due_by: v.due.map(|d| d.to_string()),
            overdue: v.overdue,
            decision: r.decision.as_ref().map(|d| Decision {
                level: d.level.number(),
                outcome: d.outcome.code(),
                rationale: v.shows_rationale.then(|| d.rationale.clone()),
                service: d.outcome.targeted_service().map(|s| s.code()),
                decided_at: d.decided_at.to_rfc3339(),
                decided_by: d.decided_by_name.clone(),
                confirmed_by: d.confirmed.as_ref().map(|(who, _)| who.clone()),
            }),
        }
    }
}

/// An episode of Family Help: what the episode page shows, without the case notes' text (a
/// partner system reads notes in Hearth, where each read is seen in context).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Episode)]
pub struct EpisodeAnswer {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    #[schema(schema_with = codes::episode_level)]
    pub level: &'static str,
    #[schema(required = true, schema_with = codes::targeted_service_or_none)]
    pub service: Option<&'static str>,
    #[schema(schema_with = codes::route)]
    pub route: &'static str,
    #[schema(schema_with = codes::episode_status)]
    pub status: &'static str,
    #[schema(schema_with = codes::date)]
    pub started_on: String,
    #[schema(required = true, schema_with = codes::date_or_none)]
    pub ended_on: Option<String>,
    #[schema(required = true)]
    pub owning_team: Option<String>,
    #[schema(required = true)]
    pub lead: Option<String>,
    pub people: Vec<EpisodePerson>,
    pub needs: Vec<EpisodeNeed>,
    pub team_around_the_family: Vec<TeamMember>,
    pub levels: Vec<LevelPeriod>,
    #[schema(required = true, schema_with = codes::closure_reason_or_none)]
    pub closure_reason: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodePerson {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeNeed {
    #[schema(schema_with = codes::need_domain)]
    pub domain: &'static str,
    /// Set when the episode closes.
    #[schema(required = true, schema_with = codes::need_result_or_none)]
    pub result: Option<&'static str>,
}

/// A member of the Team Around the Family: a practitioner or a family member.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMember {
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub organisation: Option<String>,
    pub role: String,
    #[schema(schema_with = codes::date)]
    pub joined_on: String,
    #[schema(required = true, schema_with = codes::date_or_none)]
    pub left_on: Option<String>,
}

/// A period at one level of help, and who held it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelPeriod {
    #[schema(schema_with = codes::episode_level)]
    pub level: &'static str,
    #[schema(required = true, schema_with = codes::targeted_service_or_none)]
    pub service: Option<&'static str>,
    #[schema(required = true)]
    pub team: Option<String>,
    #[schema(schema_with = codes::date)]
    pub from: String,
    #[schema(required = true, schema_with = codes::date_or_none)]
    pub to: Option<String>,
}

impl From<&EpisodeView> for EpisodeAnswer {
    fn from(v: &EpisodeView) -> Self {
        let e = &v.episode;
        EpisodeAnswer {
            id: e.id.to_string(),
            level: e.level.code(),
            service: e.service.map(|s| s.code()),
            route: e.route.code(),
            status: e.status.code(),
            started_on: e.started_on.to_string(),
            ended_on: e.ended_on.map(|d| d.to_string()),
            owning_team: e.owning_team_name.clone(),
            lead: e.lead_name.clone(),
            people: v
                .people
                .iter()
                .map(|(id, name)| EpisodePerson {
                    id: id.to_string(),
                    name: name.clone(),
                })
                .collect(),
            needs: v
                .needs
                .iter()
                .map(|(d, r)| EpisodeNeed {
                    domain: d.code(),
                    result: r.map(|r| r.code()),
                })
                .collect(),
            team_around_the_family: v
                .members
                .iter()
                .map(|m| TeamMember {
                    name: m.user_name.clone().or_else(|| m.person_name.clone()),
                    organisation: m.organisation_name.clone(),
                    role: m.role.clone(),
                    joined_on: m.joined_on.to_string(),
                    left_on: m.left_on.map(|d| d.to_string()),
                })
                .collect(),
            levels: v
                .levels
                .iter()
                .map(|l| LevelPeriod {
                    level: l.level.code(),
                    service: l.service.map(|s| s.code()),
                    team: l.team_name.clone(),
                    from: l.from_date.to_string(),
                    to: l.to_date.map(|d| d.to_string()),
                })
                .collect(),
            closure_reason: e.closure_reason.map(|r| r.code()),
        }
    }
}

/// The family plan of an episode: outcomes, actions with owners and dates, the family's
/// agreement, the services it names and the reviews' progress on each outcome.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Plan)]
pub struct PlanAnswer {
    #[schema(schema_with = codes::uuid)]
    pub episode_id: String,
    /// Moves on with every save.
    pub version: i64,
    pub agreed_with_family: bool,
    pub outcomes: Vec<PlanOutcome>,
    pub actions: Vec<PlanAction>,
    pub services: Vec<PlanService>,
    #[schema(schema_with = codes::date)]
    pub next_review_on: String,
    pub reviews: Vec<PlanReview>,
}

/// An outcome, in the family's own words, and the needs it works on.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOutcome {
    pub id: String,
    pub text: String,
    #[schema(schema_with = codes::need_domains)]
    pub needs: Vec<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanAction {
    pub id: String,
    pub outcome_id: String,
    pub what: String,
    /// A practitioner in the Team Around the Family or a family member, by name.
    pub owner: String,
    #[schema(required = true, schema_with = codes::date_or_none)]
    pub due_on: Option<String>,
    #[schema(schema_with = codes::action_status)]
    pub status: &'static str,
}

/// A service the plan names: from the directory (with its id) or in free text (id null), with
/// each request for it made for the family and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanService {
    pub name: String,
    #[schema(required = true, schema_with = codes::uuid_or_none)]
    pub service_id: Option<String>,
    pub requests: Vec<ServiceRequest>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRequest {
    #[schema(schema_with = codes::uuid)]
    pub id: String,
    #[schema(schema_with = codes::uuid)]
    pub person_id: String,
    #[schema(schema_with = codes::service_request_status)]
    pub status: &'static str,
    /// Whether the receiving organisation has opened it.
    pub opened: bool,
    #[schema(required = true)]
    pub answer_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanReview {
    #[schema(schema_with = codes::date)]
    pub held_on: String,
    pub progress: Vec<OutcomeProgress>,
}

/// Progress on one outcome at a review, on a scale of 0 to 10.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeProgress {
    pub outcome_id: String,
    #[schema(minimum = 0, maximum = 10)]
    pub scale: u8,
}

impl PlanAnswer {
    /// The plan, or none while the episode has no plan yet.
    pub fn of(v: &PlanView) -> Option<Self> {
        let p = v.plan.as_ref()?;
        Some(PlanAnswer {
            episode_id: p.episode_id.to_string(),
            version: p.version,
            agreed_with_family: p.fields.agreed_with_family,
            outcomes: p
                .fields
                .outcomes
                .iter()
                .map(|o| PlanOutcome {
                    id: o.id.clone(),
                    text: o.text.clone(),
                    needs: o.needs.iter().map(|n| n.code()).collect(),
                })
                .collect(),
            actions: p
                .fields
                .actions
                .iter()
                .map(|a| PlanAction {
                    id: a.id.clone(),
                    outcome_id: a.outcome_id.clone(),
                    what: a.what.clone(),
                    owner: v.owners.name_of(a),
                    due_on: a.due_on.map(|d| d.to_string()),
                    status: a.status.code(),
                })
                .collect(),
            services: v
                .services
                .iter()
                .map(|s| PlanService {
                    name: s.name.clone(),
                    service_id: s.service_id.map(|i| i.to_string()),
                    requests: s
                        .requests
                        .iter()
                        .map(|r| ServiceRequest {
                            id: r.id.to_string(),
                            person_id: r.person_id.to_string(),
                            status: r.status.code(),
                            opened: r.first_opened_at.is_some(),
                            answer_reason: r.answer_reason.clone(),
                        })
                        .collect(),
                })
                .collect(),
            next_review_on: v.next_review_on.to_string(),
            reviews: v
                .reviews
                .iter()
                .map(|r| PlanReview {
                    held_on: r.fields.held_on.to_string(),
                    progress: r
                        .fields
                        .progress
                        .iter()
                        .map(|p| OutcomeProgress {
                            outcome_id: p.outcome_id.clone(),
                            scale: p.scale,
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}
