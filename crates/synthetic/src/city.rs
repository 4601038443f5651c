//! Ten years of Family Help for a partnership the size of Nottingham City (seeds 000 and 001:
//! 323,700 residents, about 35,000 households with dependent children, about 6,000 people
//! starting early help a year), written straight into the store in large transactions.
//!
//! The shape follows what the use cases write — a request with its people and needs, the
//! front door's decision, an episode with its levels, allocation, Team Around the Family and
//! the involvements that grant access, the assessment, the plan, reviews every six weeks, case
//! notes, the closure and its sign-off, one chronology entry per event and the hash-chained
//! audit log — so every page and every journey works on it. Most families are known once; a
//! few come back again and again (requests pick households with a skewed draw); requests peak
//! in the autumn and dip in August. The same seed, scale and end date give the same data.

use crate::load;
use crate::names::COMMUNITIES;
use crate::population::{self, Ids, Population};
use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::AuditEventId;
use hearth_domain::survey::{Audience, Moment, SurveyBook, BETTER, DEFAULT_VERSION};
use hearth_domain::time::to_text;
use hearth_store::bulk::{Batch, Kind::Int, Kind::Text, Table};
use hearth_store::{audit, Store};
use indicatif::{ProgressBar, ProgressStyle};
use rand::prelude::*;
use rand::rngs::StdRng;
use serde_json::{json, Value};
use sqlx::Row;
use std::time::Instant;

/// What to generate. `scale` 1.0 is the city; 0.01 makes a small town for tests.
#[derive(Debug, Clone)]
pub struct CityOptions {
    pub scale: f64,
    pub seed: u64,
    pub years: u32,
    /// The last day of the history ("today" for the data).
    pub today: NaiveDate,
    /// The Argon2 hash every generated account gets (hashed once by the caller).
    pub password_hash: String,
}

/// What was written, and how long it took.
#[derive(Debug, Clone, Default)]
pub struct CityReport {
    pub people: usize,
    pub households: usize,
    pub staff: usize,
    /// Generated accounts by kind: `worker{n}`, `partner{n}`, `officer{n}` from 1.
    pub workers: usize,
    pub partners: usize,
    pub officers: usize,
    pub requests: usize,
    pub episodes: usize,
    pub open_episodes: usize,
    pub notes: usize,
    pub reviews: usize,
    pub chronology: usize,
    pub audit_events: usize,
    pub seconds: f64,
}

/// The generated accounts' addresses: `{kind}{n}@city.hearth.test`, n counting from 1 for each
/// kind (worker, manager, partner, officer).
pub const EMAIL_DOMAIN: &str = "city.hearth.test";

/// Population and activity at scale 1.0.
const PEOPLE: f64 = 130_000.0;
const REQUESTS_PER_YEAR: f64 = 4_300.0;
/// Chance of a case note on each weekday an episode is open: about 70 notes in an average
/// episode, two million over ten years.
const NOTE_CHANCE: f64 = 0.6;
const REVIEW_EVERY_DAYS: i64 = 42;

/// Requests by month, January first: peaks in autumn and late winter, a dip in August.
const SEASON: [f64; 12] = [1.1, 1.1, 1.1, 0.9, 1.0, 1.0, 0.85, 0.5, 1.15, 1.3, 1.2, 0.8];

const NEEDS: [&str; 10] = [
    "education",
    "early_years",
    "health",
    "substance_use",
    "family_relationships",
    "abuse_exploitation",
    "crime",
    "domestic_abuse",
    "housing",
    "financial",
];

#[derive(Debug, Clone)]
struct Team {
    id: String,
    name: String,
    organisation: String,
    council: bool,
}

#[derive(Debug, Clone)]
struct Staff {
    id: String,
    email: String,
    name: String,
    team: usize,
}

struct Partnership {
    teams: Vec<Team>,
    front_door: usize,
    hubs: Vec<usize>,
    core: usize,
    adolescence: usize,
    staff: Vec<Staff>,
    /// Indexes into `staff`, by kind.
    workers_by_team: Vec<Vec<usize>>,
    partners: Vec<usize>,
    officers: Vec<usize>,
    manager_of_team: Vec<Option<usize>>,
}

macro_rules! table {
    ($name:ident, $table:literal, [$(($col:literal, $kind:ident)),* $(,)?]) => {
        const $name: Table = Table { name: $table, columns: &[$(($col, $kind)),*] };
    };
}

table!(
    USERS,
    "users",
    [
        ("id", Text),
        ("email", Text),
        ("display_name", Text),
        ("job_title", Text),
        ("organisation_id", Text),
        ("team_id", Text),
        ("password_hash", Text),
        ("password_changed_at", Text),
        ("created_at", Text),
        ("updated_at", Text)
    ]
);
table!(
    USER_ROLES,
    "user_roles",
    [("user_id", Text), ("role", Text)]
);
table!(
    REQUESTS,
    "requests",
    [
        ("id", Text),
        ("status", Text),
        ("requester_id", Text),
        ("requester_organisation_id", Text),
        ("urgency", Text),
        ("safeguarding", Int),
        ("queue", Text),
        ("family_told", Text),
        ("consent", Text),
        ("submitted_at", Text),
        ("created_at", Text),
        ("updated_at", Text)
    ]
);
table!(
    REQUEST_PEOPLE,
    "request_people",
    [("request_id", Text), ("person_id", Text)]
);
table!(
    REQUEST_NEEDS,
    "request_needs",
    [
        ("request_id", Text),
        ("domain", Text),
        ("concerns", Text),
        ("detail", Text)
    ]
);
table!(
    DECISIONS,
    "decisions",
    [
        ("request_id", Text),
        ("decided_by", Text),
        ("decided_at", Text),
        ("level", Int),
        ("outcome", Text),
        ("rationale", Text),
        ("service", Text),
        ("signposted_to", Text),
        ("lead_user_id", Text),
        ("nfa_reason", Text)
    ]
);
table!(
    INVOLVEMENTS,
    "involvements",
    [
        ("id", Text),
        ("person_id", Text),
        ("user_id", Text),
        ("team_id", Text),
        ("organisation_id", Text),
        ("role", Text),
        ("request_id", Text),
        ("from_date", Text),
        ("to_date", Text),
        ("episode_id", Text)
    ]
);
table!(
    EPISODES,
    "episodes",
    [
        ("id", Text),
        ("request_id", Text),
        ("level", Text),
        ("service", Text),
        ("route", Text),
        ("status", Text),
        ("owning_team_id", Text),
        ("lead_user_id", Text),
        ("started_on", Text),
        ("ended_on", Text),
        ("closure_reason", Text),
        ("closure_summary", Text),
        ("closure_recorded_by", Text),
        ("closure_signed_off_by", Text),
        ("created_at", Text),
        ("updated_at", Text)
    ]
);
table!(
    EPISODE_PEOPLE,
    "episode_people",
    [("episode_id", Text), ("person_id", Text)]
);
table!(
    EPISODE_NEEDS,
    "episode_needs",
    [("episode_id", Text), ("domain", Text), ("result", Text)]
);
table!(
    EPISODE_LEVELS,
    "episode_levels",
    [
        ("id", Text),
        ("episode_id", Text),
        ("level", Text),
        ("service", Text),
        ("owning_team_id", Text),
        ("from_date", Text),
        ("moved_by", Text)
    ]
);
table!(
    ALLOCATIONS,
    "allocations",
    [
        ("id", Text),
        ("episode_id", Text),
        ("user_id", Text),
        ("from_date", Text),
        ("allocated_by", Text)
    ]
);
table!(
    TAF_MEMBERS,
    "taf_members",
    [
        ("id", Text),
        ("episode_id", Text),
        ("user_id", Text),
        ("person_id", Text),
        ("role", Text),
        ("joined_on", Text),
        ("added_by", Text)
    ]
);
table!(
    NOTES,
    "case_notes",
    [
        ("id", Text),
        ("episode_id", Text),
        ("kind", Text),
        ("occurred_on", Text),
        ("participants", Text),
        ("child_seen", Int),
        ("child_seen_alone", Int),
        ("body", Text),
        ("visibility", Text),
        ("author_id", Text),
        ("organisation_id", Text),
        ("created_at", Text),
        ("updated_at", Text)
    ]
);
table!(
    TASKS,
    "tasks",
    [
        ("id", Text),
        ("kind", Text),
        ("episode_id", Text),
        ("user_id", Text),
        ("title", Text),
        ("due_on", Text),
        ("done_at", Text),
        ("done_by", Text),
        ("created_at", Text)
    ]
);
table!(
    CHRONOLOGY,
    "chronology",
    [
        ("id", Text),
        ("at", Text),
        ("kind", Text),
        ("episode_id", Text),
        ("organisation_id", Text),
        ("actor_id", Text),
        ("summary", Text),
        ("record_type", Text),
        ("record_id", Text),
        ("visibility", Text),
        ("occurred_on", Text)
    ]
);
table!(
    CHRONOLOGY_PEOPLE,
    "chronology_people",
    [
        ("entry_id", Text),
        ("person_id", Text),
        ("at", Text),
        ("kind", Text),
        ("organisation_id", Text),
        ("visibility", Text),
        ("occurred_on", Text)
    ]
);
table!(
    ASSESSMENTS,
    "assessments",
    [
        ("id", Text),
        ("episode_id", Text),
        ("route", Text),
        ("status", Text),
        ("due_on", Text),
        ("child_voice", Text),
        ("parent_voice", Text),
        ("saved_by", Text),
        ("saved_at", Text),
        ("submitted_by", Text),
        ("submitted_at", Text),
        ("signed_off_by", Text),
        ("signed_off_at", Text)
    ]
);
table!(
    ASSESSMENT_ENTRIES,
    "assessment_entries",
    [
        ("assessment_id", Text),
        ("person_id", Text),
        ("domain", Text),
        ("strengths", Text),
        ("needs", Text),
        ("risks", Text),
        ("scale", Int)
    ]
);
table!(
    PLANS,
    "plans",
    [
        ("id", Text),
        ("episode_id", Text),
        ("agreed_with_family", Int),
        ("agreed_on", Text),
        ("agreed_by", Text),
        ("saved_by", Text),
        ("saved_at", Text)
    ]
);
table!(
    PLAN_OUTCOMES,
    "plan_outcomes",
    [
        ("id", Text),
        ("plan_id", Text),
        ("position", Int),
        ("text", Text)
    ]
);
table!(
    PLAN_OUTCOME_NEEDS,
    "plan_outcome_needs",
    [("outcome_id", Text), ("domain", Text)]
);
table!(
    PLAN_ACTIONS,
    "plan_actions",
    [
        ("id", Text),
        ("plan_id", Text),
        ("outcome_id", Text),
        ("position", Int),
        ("what", Text),
        ("owner_user_id", Text),
        ("owner_person_id", Text),
        ("due_on", Text),
        ("status", Text)
    ]
);
table!(
    PLAN_SERVICES,
    "plan_services",
    [("plan_id", Text), ("position", Int), ("name", Text)]
);
table!(
    REVIEWS,
    "reviews",
    [
        ("id", Text),
        ("episode_id", Text),
        ("held_on", Text),
        ("attendees", Text),
        ("decisions", Text),
        ("next_review_on", Text),
        ("recorded_by", Text),
        ("recorded_at", Text)
    ]
);
table!(
    FEEDBACK_INVITATIONS,
    "feedback_invitations",
    [
        ("id", Text),
        ("episode_id", Text),
        ("token_hash", Text),
        ("created_by", Text),
        ("created_at", Text),
        ("expires_at", Text),
        ("answered_at", Text),
        ("rating", Int),
        ("what_changed", Text),
        ("moment", Text),
        ("audience", Text),
        ("version", Text),
        ("language", Text)
    ]
);
table!(
    SURVEY_ANSWERS,
    "survey_answers",
    [
        ("invitation_id", Text),
        ("position", Int),
        ("question", Text),
        ("asked", Text),
        ("answer", Text)
    ]
);
table!(
    REVIEW_PROGRESS,
    "review_progress",
    [
        ("review_id", Text),
        ("outcome_id", Text),
        ("scale", Int),
        ("comment", Text)
    ]
);

/// Rows waiting to be written, one batch per table in the order parents come before children.
struct Rows {
    batches: Vec<Batch>,
    pending: usize,
}

/// Positions in `Rows::batches`.
#[derive(Clone, Copy)]
enum T {
    Users,
    UserRoles,
    Requests,
    RequestPeople,
    RequestNeeds,
    Decisions,
    Episodes,
    EpisodePeople,
    EpisodeNeeds,
    EpisodeLevels,
    Allocations,
    TafMembers,
    Involvements,
    Notes,
    Tasks,
    Chronology,
    ChronologyPeople,
    Assessments,
    AssessmentEntries,
    Plans,
    PlanOutcomes,
    PlanOutcomeNeeds,
    PlanActions,
    PlanServices,
    Reviews,
    ReviewProgress,
    FeedbackInvitations,
    SurveyAnswers,
}

const ORDER: [&Table; 28] = [
    &USERS,
    &USER_ROLES,
    &REQUESTS,
    &REQUEST_PEOPLE,
    &REQUEST_NEEDS,
    &DECISIONS,
    &EPISODES,
    &EPISODE_PEOPLE,
    &EPISODE_NEEDS,
    &EPISODE_LEVELS,
    &ALLOCATIONS,
    &TAF_MEMBERS,
    &INVOLVEMENTS,
    &NOTES,
    &TASKS,
    &CHRONOLOGY,
    &CHRONOLOGY_PEOPLE,
    &ASSESSMENTS,
    &ASSESSMENT_ENTRIES,
    &PLANS,
    &PLAN_OUTCOMES,
    &PLAN_OUTCOME_NEEDS,
    &PLAN_ACTIONS,
    &PLAN_SERVICES,
    &REVIEWS,
    &REVIEW_PROGRESS,
    &FEEDBACK_INVITATIONS,
    &SURVEY_ANSWERS,
];

/// Rows per transaction.
const FLUSH_AT: usize = 60_000;

impl Rows {
    fn new() -> Self {
        Self {
            batches: ORDER.iter().map(|t| Batch::new(t)).collect(),
            pending: 0,
        }
    }

    fn push(&mut self, t: T, row: Value) {
        self.batches[t as usize].push(row);
        self.pending += 1;
    }

    async fn flush(&mut self, store: &Store) -> anyhow::Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let engine = store.engine();
        let mut tx = store.write().await?;
        for b in &mut self.batches {
            b.flush(&mut tx, engine)
                .await
                .with_context(|| format!("loading {}", b.table.name))?;
        }
        Store::commit(tx).await?;
        self.pending = 0;
        Ok(())
    }

    async fn maybe_flush(&mut self, store: &Store) -> anyhow::Result<()> {
        if self.pending >= FLUSH_AT {
            self.flush(store).await?;
        }
        Ok(())
    }
}

/// One chronology entry with the people it is about.
struct Entry<'a> {
    at: DateTime<Utc>,
    kind: &'a str,
    episode: Option<&'a str>,
    organisation: &'a str,
    actor: &'a str,
    summary: String,
    record: (&'a str, &'a str),
    visibility: &'a str,
    people: &'a [String],
}

/// The generator's state: the random source, ids, rows waiting, audit events to chain.
struct Generator<'a> {
    rng: StdRng,
    ids: Ids,
    rows: Rows,
    audit: Vec<(DateTime<Utc>, NewAuditEvent)>,
    p: &'a Partnership,
    today: NaiveDate,
    report: CityReport,
}

fn at(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(8, 0, 0).unwrap_or_default())
        + Duration::minutes(minutes)
}

impl Generator<'_> {
    fn id(&mut self) -> String {
        self.ids.next_id().to_string()
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.rng.gen_range(0..list.len())]
    }

    fn working_time(&mut self, day: NaiveDate) -> DateTime<Utc> {
        let minutes = self.rng.gen_range(0..9 * 60);
        at(day, minutes)
    }

    fn entry(&mut self, e: Entry<'_>) {
        let id = self.id();
        let at = to_text(e.at);
        // Everything the generator records is entered on the day it happened.
        let occurred_on = e.at.date_naive().to_string();
        self.rows.push(
            T::Chronology,
            json!([
                id,
                at,
                e.kind,
                e.episode,
                e.organisation,
                e.actor,
                e.summary,
                e.record.0,
                e.record.1,
                e.visibility,
                occurred_on
            ]),
        );
        for person in e.people {
            self.rows.push(
                T::ChronologyPeople,
                json!([
                    id,
                    person,
                    at,
                    e.kind,
                    e.organisation,
                    e.visibility,
                    occurred_on
                ]),
            );
        }
        self.report.chronology += 1;
    }

    fn audit(
        &mut self,
        when: DateTime<Utc>,
        staff: usize,
        action: AuditAction,
        record: (&'static str, &str),
        detail: Option<String>,
    ) {
        let s = &self.p.staff[staff];
        self.audit.push((
            when,
            NewAuditEvent {
                at: when,
                actor_user_id: Some(s.id.clone()),
                actor_label: s.email.clone(),
                action,
                record_type: Some(record.0),
                record_id: Some(record.1.to_string()),
                ip: None,
                reason: None,
                detail,
                api_token_id: None,
            },
        ));
    }

    fn team_of(&self, staff: usize) -> &Team {
        &self.p.teams[self.p.staff[staff].team]
    }

    /// A request for the family on `day`, and everything that follows from it.
    fn request(&mut self, day: NaiveDate, people: Vec<String>, children: &[NaiveDate]) {
        let p = self.p;
        let requester = if self.rng.gen_bool(0.75) {
            self.pick(&p.partners)
        } else {
            let team = self.pick(&p.hubs);
            match p.workers_by_team[team].first() {
                Some(_) => self.pick(&p.workers_by_team[team]),
                None => self.pick(&p.partners),
            }
        };
        let requester_org = self.team_of(requester).organisation.clone();
        let requester_team = self.team_of(requester).name.clone();
        let id = self.id();
        let safeguarding = self.rng.gen_bool(0.04);
        let urgency = if safeguarding {
            "urgent"
        } else {
            self.pick(&["routine", "routine", "routine", "soon", "soon", "urgent"])
        };
        let submitted = self.working_time(day);
        let decided_day = day + Duration::days(self.rng.gen_range(0..4));
        let decided = decided_day <= self.today;
        let n_needs = self.rng.gen_range(1..4);
        let mut needs: Vec<&'static str> = NEEDS
            .choose_multiple(&mut self.rng, n_needs)
            .copied()
            .collect();
        needs.sort_unstable();
        self.rows.push(
            T::Requests,
            json!([
                id,
                if decided { "decided" } else { "submitted" },
                p.staff[requester].id,
                requester_org,
                urgency,
                i64::from(safeguarding),
                if safeguarding {
                    "safeguarding"
                } else {
                    "standard"
                },
                "The family know we are asking for help and agreed to it.",
                "given",
                to_text(submitted),
                to_text(submitted),
                to_text(submitted)
            ]),
        );
        for person in &people {
            self.rows.push(T::RequestPeople, json!([id, person]));
            let inv = self.id();
            self.rows.push(
                T::Involvements,
                json!([
                    inv,
                    person,
                    p.staff[requester].id,
                    null,
                    requester_org,
                    "requester",
                    id,
                    day.to_string(),
                    null,
                    null
                ]),
            );
        }
        for need in &needs {
            let concerns = if *need == "abuse_exploitation" && self.rng.gen_bool(0.5) {
                "exploitation"
            } else {
                ""
            };
            self.rows.push(
                T::RequestNeeds,
                json!([
                    id,
                    need,
                    concerns,
                    format!("{requester_team} are worried about this.")
                ]),
            );
        }
        self.entry(Entry {
            at: submitted,
            kind: "request",
            episode: None,
            organisation: &requester_org,
            actor: &p.staff[requester].id.clone(),
            summary: format!("Request for support sent by {requester_team}"),
            record: ("request", &id),
            visibility: "taf",
            people: &people,
        });
        self.audit(
            submitted,
            requester,
            AuditAction::RequestSubmitted,
            ("request", &id),
            None,
        );
        self.report.requests += 1;
        if !decided {
            return;
        }
        self.decide(id, decided_day, requester, people, children, needs);
    }

    #[allow(clippy::too_many_arguments)]
    fn decide(
        &mut self,
        request: String,
        day: NaiveDate,
        requester: usize,
        people: Vec<String>,
        children: &[NaiveDate],
        needs: Vec<&'static str>,
    ) {
        let p = self.p;
        let officer = self.pick(&p.officers);
        let when = self.working_time(day) + Duration::hours(1);
        let roll: f64 = self.rng.gen();
        let oldest = children.iter().min().copied();
        let adolescent = oldest.is_some_and(|dob| (day - dob).num_days() >= 10 * 365)
            && needs
                .iter()
                .any(|n| ["abuse_exploitation", "crime", "education"].contains(n));
        let (level, outcome, label) = match roll {
            r if r < 0.55 => (2, "early_help", "open Early Family Help"),
            r if r < 0.70 => (3, "targeted", "open Targeted Family Help"),
            r if r < 0.85 => (1, "signpost", "signpost to universal services"),
            r if r < 0.92 => (4, "step_up", "step up to children's social care"),
            _ => (1, "no_further_action", "no further action"),
        };
        let service =
            (outcome == "targeted").then_some(if adolescent { "adolescence" } else { "core" });
        // Early help is led by the partner who asked two times in three, else by a hub.
        let lead = match outcome {
            "early_help" => Some(
                if self.rng.gen_bool(0.66) && p.partners.contains(&requester) {
                    requester
                } else {
                    let hub = self.pick(&p.hubs);
                    self.worker_in(hub)
                },
            ),
            "targeted" => Some(self.worker_in(if adolescent { p.adolescence } else { p.core })),
            _ => None,
        };
        let level_label = [
            "",
            "Universal",
            "Early Family Help",
            "Targeted Family Help",
            "Specialist",
        ][level as usize];
        self.rows.push(
            T::Decisions,
            json!([
                request,
                p.staff[officer].id,
                to_text(when),
                level,
                outcome,
                "Needs and strengths weighed against the Continuum of Need.",
                service,
                (outcome == "signpost")
                    .then_some("Family Hub stay-and-play and the school nurse drop-in"),
                lead.filter(|_| outcome == "early_help")
                    .map(|l| p.staff[l].id.clone()),
                (outcome == "no_further_action")
                    .then_some("Needs already met by universal services")
            ]),
        );
        let officer_org = self.team_of(officer).organisation.clone();
        self.entry(Entry {
            at: when,
            kind: "decision",
            episode: None,
            organisation: &officer_org,
            actor: &p.staff[officer].id.clone(),
            summary: format!("Front door decision: {level_label} — {label}"),
            record: ("request", &request),
            visibility: "taf",
            people: &people,
        });
        self.audit(
            when,
            officer,
            AuditAction::RequestDecided,
            ("request", &request),
            None,
        );
        if let Some(lead) = lead {
            let level = if outcome == "early_help" {
                "early"
            } else {
                "targeted"
            };
            let team = if level == "early" && !self.team_of(lead).council {
                p.front_door
            } else {
                p.staff[lead].team
            };
            self.episode(Opening {
                request,
                day,
                when,
                officer,
                requester,
                lead,
                team,
                level,
                service,
                people,
                needs,
            });
        }
    }

    fn worker_in(&mut self, team: usize) -> usize {
        let list = &self.p.workers_by_team[team];
        if list.is_empty() {
            self.pick(&self.p.partners)
        } else {
            let i = self.rng.gen_range(0..list.len());
            list[i]
        }
    }
}

struct Opening {
    request: String,
    day: NaiveDate,
    when: DateTime<Utc>,
    officer: usize,
    requester: usize,
    lead: usize,
    team: usize,
    level: &'static str,
    service: Option<&'static str>,
    people: Vec<String>,
    needs: Vec<&'static str>,
}

impl Generator<'_> {
    /// An episode from its opening to today or its closure.
    fn episode(&mut self, o: Opening) {
        let p = self.p;
        let id = self.id();
        let length = (self.rng.gen::<f64>() * 0.9 + self.rng.gen::<f64>() * 0.9 + 0.2) * 170.0;
        let end = o.day + Duration::days(length.clamp(30.0, 900.0) as i64);
        let closed = end <= self.today;
        // A closure ends what the episode granted; the involvements stay as history.
        let ended = closed.then(|| end.to_string());
        let last = end.min(self.today);
        let team = &p.teams[o.team];
        let lead = &p.staff[o.lead];
        let lead_org = self.team_of(o.lead).organisation.clone();
        let manager = p.manager_of_team[o.team];
        let lead_title = if o.level == "early" {
            "Lead professional"
        } else {
            "Family Help Worker"
        };
        let closure_reason = self.pick(&[
            "outcomes_met",
            "outcomes_met",
            "outcomes_met",
            "step_down_universal",
            "moved_away",
            "consent_withdrawn",
        ]);
        self.rows.push(
            T::Episodes,
            json!([
                id,
                o.request,
                o.level,
                o.service,
                "full",
                if closed { "closed" } else { "open" },
                team.id,
                lead.id,
                o.day.to_string(),
                closed.then(|| end.to_string()),
                closed.then_some(closure_reason),
                closed.then_some(
                    "The family's plan is done and they know where to go if things change."
                ),
                closed.then(|| lead.id.clone()),
                closed
                    .then(|| manager.map(|m| p.staff[m].id.clone()))
                    .flatten(),
                to_text(o.when),
                to_text(o.when)
            ]),
        );
        for person in &o.people {
            self.rows.push(T::EpisodePeople, json!([id, person]));
        }
        for need in &o.needs {
            let result =
                closed.then(|| self.pick(&["achieved", "achieved", "partly", "not_achieved"]));
            self.rows.push(T::EpisodeNeeds, json!([id, need, result]));
        }
        let level_id = self.id();
        self.rows.push(
            T::EpisodeLevels,
            json!([
                level_id,
                id,
                o.level,
                o.service,
                team.id,
                o.day.to_string(),
                p.staff[o.officer].id
            ]),
        );
        let alloc = self.id();
        self.rows.push(
            T::Allocations,
            json!([alloc, id, lead.id, o.day.to_string(), p.staff[o.officer].id]),
        );
        // The TAF: the lead, whoever asked, sometimes another partner, and the family.
        let mut practitioners = vec![(o.lead, lead_title)];
        if o.requester != o.lead {
            practitioners.push((o.requester, "Asked for support"));
        }
        if self.rng.gen_bool(0.4) {
            let other = self.pick(&p.partners);
            if practitioners.iter().all(|(s, _)| *s != other) {
                practitioners.push((other, "Team Around the Family member"));
            }
        }
        for (staff, role) in &practitioners {
            let member = self.id();
            self.rows.push(
                T::TafMembers,
                json!([
                    member,
                    id,
                    p.staff[*staff].id,
                    null,
                    role,
                    o.day.to_string(),
                    p.staff[o.officer].id
                ]),
            );
            let involvement_role = if *staff == o.lead {
                if o.level == "early" {
                    "lead_professional"
                } else {
                    "allocated_worker"
                }
            } else {
                "taf_member"
            };
            let org = self.team_of(*staff).organisation.clone();
            for person in &o.people {
                let inv = self.id();
                self.rows.push(
                    T::Involvements,
                    json!([
                        inv,
                        person,
                        p.staff[*staff].id,
                        p.teams[p.staff[*staff].team].id,
                        org,
                        involvement_role,
                        null,
                        o.day.to_string(),
                        ended,
                        id
                    ]),
                );
            }
        }
        for person in &o.people {
            let inv = self.id();
            self.rows.push(
                T::Involvements,
                json!([
                    inv,
                    person,
                    null,
                    team.id,
                    team.organisation,
                    "owning_team",
                    o.request,
                    o.day.to_string(),
                    ended,
                    id
                ]),
            );
            let member = self.id();
            self.rows.push(
                T::TafMembers,
                json!([
                    member,
                    id,
                    null,
                    person,
                    "Family member",
                    o.day.to_string(),
                    p.staff[o.officer].id
                ]),
            );
        }
        let level_label = if o.level == "early" {
            "Early Family Help"
        } else {
            "Targeted Family Help"
        };
        self.entry(Entry {
            at: o.when,
            kind: "episode",
            episode: Some(&id),
            organisation: &p.teams[p.staff[o.officer].team].organisation.clone(),
            actor: &p.staff[o.officer].id.clone(),
            summary: format!(
                "{level_label} began, {} {}",
                lead_title.to_lowercase(),
                lead.name
            ),
            record: ("episode", &id),
            visibility: "taf",
            people: &o.people,
        });
        self.audit(
            o.when,
            o.officer,
            AuditAction::EpisodeOpened,
            ("episode", &id),
            None,
        );
        self.report.episodes += 1;
        if !closed {
            self.report.open_episodes += 1;
        }
        let ctx = Life {
            id: id.clone(),
            lead: o.lead,
            lead_org,
            practitioners,
            people: o.people.clone(),
            needs: o.needs.clone(),
            manager,
        };
        self.assessment(&ctx, o.day, last, closed);
        let outcomes = self.plan(&ctx, o.day, last, closed);
        self.notes_and_reviews(&ctx, o.day, last, &outcomes);
        if closed {
            self.closure(&ctx, end);
        }
    }

    /// An entry about the episode itself, by its lead, which the whole TAF may read.
    fn episode_entry(&mut self, c: &Life, at: DateTime<Utc>, kind: &str, summary: String) {
        let lead = self.p.staff[c.lead].id.clone();
        self.entry(Entry {
            at,
            kind,
            episode: Some(&c.id),
            organisation: &c.lead_org,
            actor: &lead,
            summary,
            record: ("episode", &c.id),
            visibility: "taf",
            people: &c.people,
        });
    }

    fn assessment(&mut self, c: &Life, start: NaiveDate, last: NaiveDate, closed: bool) {
        let day = start + Duration::days(self.rng.gen_range(10..35));
        if day > last {
            return;
        }
        let id = self.id();
        let when = self.working_time(day);
        let signed = closed || day + Duration::days(10) <= last;
        let manager = c.manager.filter(|_| signed);
        let lead = self.p.staff[c.lead].id.clone();
        self.rows.push(
            T::Assessments,
            json!([
                id,
                c.id,
                "full",
                if manager.is_some() {
                    "signed_off"
                } else {
                    "submitted"
                },
                (start + Duration::days(45)).to_string(),
                "I want things at home to be calmer and to see my friends.",
                "We want help with the mornings and with money.",
                lead,
                to_text(when),
                lead,
                to_text(when),
                manager.map(|m| self.p.staff[m].id.clone()),
                manager.map(|_| to_text(when + Duration::days(5)))
            ]),
        );
        for person in &c.people {
            for need in &c.needs {
                let scale = self.rng.gen_range(2..6);
                self.rows.push(
                    T::AssessmentEntries,
                    json!([
                        id,
                        person,
                        need,
                        "Close, loving relationships; keeps trying.",
                        "Needs steady routines and support.",
                        "Things could slip if support stops.",
                        scale
                    ]),
                );
            }
        }
        self.episode_entry(
            c,
            when,
            "assessment",
            "Whole-family assessment submitted".into(),
        );
        self.audit(
            when,
            c.lead,
            AuditAction::AssessmentSubmitted,
            ("episode", &c.id),
            None,
        );
    }

    /// The family plan; returns its outcomes' ids for the reviews.
    fn plan(&mut self, c: &Life, start: NaiveDate, last: NaiveDate, closed: bool) -> Vec<String> {
        let day = start + Duration::days(self.rng.gen_range(14..40));
        if day > last {
            return Vec::new();
        }
        let id = self.id();
        let when = self.working_time(day);
        let lead = self.p.staff[c.lead].id.clone();
        self.rows.push(
            T::Plans,
            json!([
                id,
                c.id,
                1,
                day.to_string(),
                "Mum and the children",
                lead,
                to_text(when)
            ]),
        );
        let mut outcomes = Vec::new();
        for (i, need) in c.needs.iter().take(2).enumerate() {
            let outcome = self.id();
            let text = match *need {
                "education" => "The children get to school on time every day",
                "housing" => "We have a safe, warm home we can afford",
                "financial" => "We can pay the bills and buy food each week",
                "health" => "Mum feels well enough to do the things she enjoys",
                _ => "Home feels calmer and we sort things out without shouting",
            };
            self.rows
                .push(T::PlanOutcomes, json!([outcome, id, i, text]));
            self.rows.push(T::PlanOutcomeNeeds, json!([outcome, need]));
            for (j, what) in [
                "Agree a morning routine together",
                "Meet the school every month",
            ]
            .iter()
            .enumerate()
            {
                let action = self.id();
                let by_family = j == 0 && self.rng.gen_bool(0.5);
                let due = day + Duration::days(self.rng.gen_range(20..120));
                let status = if closed || due < self.today - Duration::days(30) {
                    "done"
                } else {
                    self.pick(&["not_started", "in_progress", "in_progress"])
                };
                self.rows.push(
                    T::PlanActions,
                    json!([
                        action,
                        id,
                        outcome,
                        i * 2 + j,
                        what,
                        (!by_family).then(|| lead.clone()),
                        by_family.then(|| c.people.last().cloned()).flatten(),
                        due.to_string(),
                        status
                    ]),
                );
            }
            outcomes.push(outcome);
        }
        self.rows.push(
            T::PlanServices,
            json!([id, 0, "Family Hub parenting group"]),
        );
        self.episode_entry(c, when, "plan", "Family plan saved (version 1)".into());
        self.audit(
            when,
            c.lead,
            AuditAction::PlanSaved,
            ("episode", &c.id),
            None,
        );
        outcomes
    }

    fn notes_and_reviews(
        &mut self,
        c: &Life,
        start: NaiveDate,
        last: NaiveDate,
        outcomes: &[String],
    ) {
        let mut day = start;
        let mut next_review = start + Duration::days(REVIEW_EVERY_DAYS);
        let mut reviews = 0;
        while day <= last {
            if self.rng.gen_bool(NOTE_CHANCE) && day.weekday().num_days_from_monday() < 5 {
                self.note(c, day);
            }
            if day == next_review && !outcomes.is_empty() {
                reviews += 1;
                self.review(c, day, outcomes, reviews);
                next_review = day + Duration::days(REVIEW_EVERY_DAYS);
            }
            day += Duration::days(1);
        }
    }

    fn note(&mut self, c: &Life, day: NaiveDate) {
        let (author, _) = if self.rng.gen_bool(0.8) {
            c.practitioners[0]
        } else {
            self.pick(&c.practitioners)
        };
        let p = self.p;
        let id = self.id();
        let when = self.working_time(day);
        let kind = self.pick(&[
            "visit", "visit", "call", "call", "meeting", "message", "other",
        ]);
        let seen = kind == "visit" && self.rng.gen_bool(0.7);
        let alone = seen && self.rng.gen_bool(0.3);
        let restricted = self.rng.gen_bool(0.04);
        let body = self.pick(&NOTE_TEXTS);
        let org = self.team_of(author).organisation.clone();
        let visibility = if restricted { "owning_team" } else { "taf" };
        self.rows.push(
            T::Notes,
            json!([
                id,
                c.id,
                kind,
                day.to_string(),
                "Mum and the children",
                i64::from(seen),
                i64::from(alone),
                body,
                visibility,
                p.staff[author].id,
                org,
                to_text(when),
                to_text(when)
            ]),
        );
        let label = match kind {
            "visit" => "Visit",
            "call" => "Phone call",
            "meeting" => "Meeting",
            "message" => "Message",
            _ => "Other",
        };
        let seen_text = match (seen, alone) {
            (_, true) => " (child seen alone)",
            (true, false) => " (child seen)",
            _ => "",
        };
        self.entry(Entry {
            at: when,
            kind: "note",
            episode: Some(&c.id),
            organisation: &org,
            actor: &p.staff[author].id.clone(),
            summary: format!("{label}{seen_text}: {body}"),
            record: ("case_note", &id),
            visibility,
            people: &c.people,
        });
        self.audit(
            when,
            author,
            AuditAction::CaseNoteAdded,
            ("case_note", &id),
            Some(format!(r#"{{"episode":"{}"}}"#, c.id)),
        );
        self.report.notes += 1;
    }

    fn review(&mut self, c: &Life, day: NaiveDate, outcomes: &[String], n: i64) {
        let id = self.id();
        let when = self.working_time(day);
        let lead = self.p.staff[c.lead].id.clone();
        self.rows.push(
            T::Reviews,
            json!([
                id,
                c.id,
                day.to_string(),
                "Mum, the lead professional, school",
                "Keep going with the plan; check again at the next review.",
                (day + Duration::days(REVIEW_EVERY_DAYS)).to_string(),
                lead,
                to_text(when)
            ]),
        );
        for outcome in outcomes {
            let scale = (3 + n + self.rng.gen_range(-1..2)).clamp(0, 10);
            self.rows.push(
                T::ReviewProgress,
                json!([id, outcome, scale, "Better than last time"]),
            );
        }
        self.episode_entry(
            c,
            when,
            "review",
            format!("Team Around the Family review {n}"),
        );
        self.survey(c, when, Moment::Review, n);
        self.audit(
            when,
            c.lead,
            AuditAction::ReviewRecorded,
            ("episode", &c.id),
            None,
        );
        self.report.reviews += 1;
    }

    /// The family's survey after a review (sent by Hearth with each review) or their
    /// feedback at closure, answered by about a third of families within ten days; things
    /// turn better as the help goes on. The link's token is not one Hearth could have made,
    /// so no demo link opens.
    fn survey(&mut self, c: &Life, sent: DateTime<Utc>, moment: Moment, review: i64) {
        let id = self.id();
        let answered = sent + Duration::days(self.rng.gen_range(1..=10));
        let answers = self.rng.gen_bool(0.33) && answered.date_naive() <= self.today;
        let closure = moment == Moment::Closure;
        self.rows.push(
            T::FeedbackInvitations,
            json!([
                id,
                c.id,
                format!("demo-{id}"),
                self.p.staff[c.lead].id,
                to_text(sent),
                to_text(sent + Duration::days(42)),
                answers.then(|| to_text(answered)),
                (answers && closure).then(|| self.rng.gen_range(3..=5)),
                (answers && closure).then_some("We talk more and the mornings are calmer."),
                moment.code(),
                Audience::Family.code(),
                DEFAULT_VERSION,
                answers.then_some("en")
            ]),
        );
        if !answers {
            return;
        }
        let better = 0.45 + 0.05 * review.min(6) as f64 + if closure { 0.25 } else { 0.0 };
        let roll: f64 = self.rng.gen();
        let better = if roll < better {
            "better"
        } else if roll < better + 0.1 {
            "worse"
        } else {
            "same"
        };
        let listened = self.pick(&["yes", "yes", "yes", "a_bit", "a_bit", "no"]);
        let book = SurveyBook::default();
        for (position, q) in book.questions(moment, Audience::Family).iter().enumerate() {
            let answer = match q.code {
                BETTER => better,
                "listened" => listened,
                _ => continue,
            };
            self.rows.push(
                T::SurveyAnswers,
                json!([id, position, q.code, q.wording, answer]),
            );
        }
    }

    fn closure(&mut self, c: &Life, end: NaiveDate) {
        let when = self.working_time(end);
        let lead = self.p.staff[c.lead].id.clone();
        self.episode_entry(c, when, "closure", "Episode closed".into());
        self.survey(c, when + Duration::days(2), Moment::Closure, 0);
        self.audit(
            when,
            c.lead,
            AuditAction::ClosureRecorded,
            ("episode", &c.id),
            None,
        );
        if let Some(m) = c.manager {
            self.audit(
                when + Duration::days(2),
                m,
                AuditAction::ClosureSignedOff,
                ("episode", &c.id),
                None,
            );
        }
        // Six months on: were the outcomes sustained? Answered unless it is still to come.
        let due = end + Duration::days(182);
        let task = self.id();
        let done = due <= self.today;
        self.rows.push(
            T::Tasks,
            json!([
                task,
                "sustained_follow_up",
                c.id,
                lead,
                "Were the family's outcomes sustained?",
                due.to_string(),
                done.then(|| to_text(at(due, 60))),
                done.then(|| lead.clone()),
                to_text(when)
            ]),
        );
    }
}

/// An episode while it runs.
struct Life {
    id: String,
    lead: usize,
    lead_org: String,
    practitioners: Vec<(usize, &'static str)>,
    people: Vec<String>,
    needs: Vec<&'static str>,
    manager: Option<usize>,
}

const NOTE_TEXTS: [&str; 8] = [
    "Talked with mum about the mornings; the new routine is helping and the children were on time three days this week.",
    "School called: attendance is up, but there was a falling-out at lunchtime. Agreed to talk it through at home.",
    "Home visit. The house was calm; we went through the money plan and the energy bill. Mum has applied for the grant.",
    "TAF meeting at school with health and housing. Everyone agreed the next steps; minutes shared with the family.",
    "Text from mum: the appointment at the GP went well and the referral to the sleep clinic is made.",
    "Visit after school. The eldest talked about friends and football; he says things at home are better.",
    "Call with the housing officer: the repair is booked for next week. Let mum know.",
    "Mum was upset about a letter from the council. We read it together and rang them; it is sorted.",
];

async fn teams(store: &Store) -> anyhow::Result<Vec<Team>> {
    let mut conn = store.read().await?;
    let rows = sqlx::query(
        "SELECT t.id, t.name, t.organisation_id, o.kind FROM teams t
         JOIN organisations o ON o.id = t.organisation_id ORDER BY o.name, t.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Team {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                organisation: r.try_get("organisation_id")?,
                council: r.try_get::<String, _>("kind")? == "local_authority",
            })
        })
        .collect()
}

fn find(teams: &[Team], name: &str) -> anyhow::Result<usize> {
    teams.iter().position(|t| t.name == name).with_context(|| {
        format!("the demo partnership has no team called {name:?}: run the demo seed first")
    })
}

/// The partnership's staff: Family Help Workers in the hubs and targeted teams, lead
/// professionals across the partners, front-door officers and a manager for each council team.
fn staff(
    rng: &mut StdRng,
    ids: &mut Ids,
    teams: Vec<Team>,
    scale: f64,
    rows: &mut Rows,
    password_hash: &str,
    created: &str,
) -> anyhow::Result<Partnership> {
    let front_door = find(&teams, "Front door (MASH)")?;
    let core = find(&teams, "Targeted Family Help core team")?;
    let adolescence = find(&teams, "Adolescence Service")?;
    let hubs: Vec<usize> = (0..teams.len())
        .filter(|i| teams[*i].name.ends_with("Family Hub"))
        .collect();
    let partner_teams: Vec<usize> = (0..teams.len()).filter(|i| !teams[*i].council).collect();
    anyhow::ensure!(
        !hubs.is_empty() && !partner_teams.is_empty(),
        "the demo partnership has no Family Hubs or partners"
    );
    let n = |at_city: f64| ((at_city * scale).round() as usize).max(1);
    let mut p = Partnership {
        workers_by_team: vec![Vec::new(); teams.len()],
        manager_of_team: vec![None; teams.len()],
        teams,
        front_door,
        hubs: hubs.clone(),
        core,
        adolescence,
        staff: Vec::new(),
        partners: Vec::new(),
        officers: Vec::new(),
    };
    let community = &COMMUNITIES[0];
    let mut numbered = std::collections::HashMap::<String, usize>::new();
    let mut add = |p: &mut Partnership,
                   rng: &mut StdRng,
                   kind: &str,
                   team: usize,
                   role: &str,
                   title: &str| {
        let n = numbered.entry(kind.to_string()).or_default();
        *n += 1;
        let id = ids.next_id().to_string();
        let email = format!("{kind}{n}@{EMAIL_DOMAIN}");
        let given = community.female_adult[rng.gen_range(0..community.female_adult.len())];
        let family = community.surnames[rng.gen_range(0..community.surnames.len())];
        let name = format!("{given} {family}");
        rows.push(
            T::Users,
            json!([
                id,
                email,
                name,
                title,
                p.teams[team].organisation,
                p.teams[team].id,
                password_hash,
                created,
                created,
                created
            ]),
        );
        rows.push(T::UserRoles, json!([id, role]));
        p.staff.push(Staff {
            id,
            email,
            name,
            team,
        });
        p.staff.len() - 1
    };
    let mut workers = vec![(core, n(50.0)), (adolescence, n(30.0))];
    workers.extend(hubs.iter().map(|h| (*h, n(140.0 / hubs.len() as f64))));
    for (team, count) in workers {
        for _ in 0..count {
            let s = add(
                &mut p,
                rng,
                "worker",
                team,
                "family_help_worker",
                "Family Help Worker",
            );
            p.workers_by_team[team].push(s);
        }
        let m = add(&mut p, rng, "manager", team, "team_manager", "Team manager");
        p.manager_of_team[team] = Some(m);
    }
    for i in 0..n(330.0) {
        let team = partner_teams[i % partner_teams.len()];
        let s = add(
            &mut p,
            rng,
            "partner",
            team,
            "lead_professional",
            "Lead professional",
        );
        p.partners.push(s);
    }
    for _ in 0..n(12.0) {
        let s = add(
            &mut p,
            rng,
            "officer",
            front_door,
            "front_door_officer",
            "Front door officer",
        );
        p.officers.push(s);
    }
    let m = add(
        &mut p,
        rng,
        "manager",
        front_door,
        "team_manager",
        "Front door manager",
    );
    p.manager_of_team[front_door] = Some(m);
    Ok(p)
}

/// A household's members, by index into the population's people.
fn households(pop: &Population) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); pop.households.len()];
    for (i, person) in pop.people.iter().enumerate() {
        out[person.household].push(i);
    }
    out
}

/// A Poisson draw (Knuth's method: the means here are small).
pub(crate) fn poisson(rng: &mut StdRng, mean: f64) -> usize {
    let limit = (-mean).exp();
    let mut k = 0;
    let mut product: f64 = rng.gen();
    while product > limit {
        k += 1;
        product *= rng.gen::<f64>();
    }
    k
}

/// Generates the city into a store that holds the demo partnership (its organisations and
/// teams) and nothing else of the family record.
/// The city's people at `scale` from `seed`, as [`generate`] makes them: partners' synthetic
/// files (`partner_feeds`) are made from the same people.
pub fn people(scale: f64, seed: u64) -> anyhow::Result<Population> {
    population::generate(((PEOPLE * scale) as usize).max(200), seed)
}

pub async fn generate(store: &Store, o: &CityOptions) -> anyhow::Result<CityReport> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut ids = Ids::new(o.seed ^ 0xc17);
    let created = to_text(at(
        o.today - Duration::days(i64::from(o.years) * 365 + 30),
        0,
    ));
    let mut rows = Rows::new();
    let partnership = staff(
        &mut rng,
        &mut ids,
        teams(store).await?,
        o.scale,
        &mut rows,
        &o.password_hash,
        &created,
    )?;
    rows.flush(store).await?;

    let population = people(o.scale, o.seed)?;
    let loaded = load::load(store, &population, o.seed, "people").await?;
    let members = households(&population);
    // Families with children, in a seeded order; requests favour the first ones (a skewed draw),
    // so most families are known once and a few have long histories.
    let mut families: Vec<usize> = (0..members.len())
        .filter(|h| {
            members[*h]
                .iter()
                .any(|m| (o.today - population.people[*m].dob).num_days() < 18 * 365)
        })
        .collect();
    families.shuffle(&mut rng);
    anyhow::ensure!(
        !families.is_empty(),
        "the population has no families with children"
    );

    let start = o.today - Duration::days(i64::from(o.years) * 365);
    let days = (o.today - start).num_days();
    let bar = ProgressBar::new(days as u64);
    bar.set_style(ProgressStyle::with_template(
        "history [{elapsed_precise}] {wide_bar} {pos}/{len} days ({msg}, eta {eta})",
    )?);
    let mut g = Generator {
        rng,
        ids,
        rows,
        audit: Vec::new(),
        p: &partnership,
        today: o.today,
        report: CityReport {
            people: loaded.people,
            households: loaded.households,
            staff: partnership.staff.len(),
            workers: partnership.workers_by_team.iter().map(Vec::len).sum(),
            partners: partnership.partners.len(),
            officers: partnership.officers.len(),
            ..CityReport::default()
        },
    };
    let mean = REQUESTS_PER_YEAR * o.scale / 365.0;
    let mut day = start;
    while day <= o.today {
        let season = SEASON[day.month0() as usize];
        let weekday = day.weekday().num_days_from_monday() < 5;
        let count = if weekday {
            poisson(&mut g.rng, mean * season * 7.0 / 5.0)
        } else {
            0
        };
        for _ in 0..count {
            let pick = (g.rng.gen::<f64>().powf(1.6) * families.len() as f64) as usize;
            let household = &members[families[pick.min(families.len() - 1)]];
            let children: Vec<usize> = household
                .iter()
                .copied()
                .filter(|m| {
                    let age = (day - population.people[*m].dob).num_days();
                    (0..18 * 365).contains(&age)
                })
                .take(3)
                .collect();
            if children.is_empty() {
                continue;
            }
            let mut people: Vec<String> = children
                .iter()
                .map(|c| population.people[*c].id.to_string())
                .collect();
            if let Some(adult) = household.iter().find(|m| {
                !children.contains(m) && (day - population.people[**m].dob).num_days() >= 18 * 365
            }) {
                people.push(population.people[*adult].id.to_string());
            }
            let dobs: Vec<NaiveDate> = children.iter().map(|c| population.people[*c].dob).collect();
            g.request(day, people, &dobs);
        }
        g.rows.maybe_flush(store).await?;
        bar.set_message(format!("{} notes", g.report.notes));
        bar.inc(1);
        day += Duration::days(1);
    }
    g.rows.flush(store).await?;
    bar.finish();

    // The audit log in time order, chained from the demo's own events.
    let mut events = std::mem::take(&mut g.audit);
    events.sort_by_key(|(when, _)| *when);
    let chain = ProgressBar::new(events.len() as u64);
    chain.set_style(ProgressStyle::with_template(
        "audit log [{elapsed_precise}] {wide_bar} {pos}/{len} events (eta {eta})",
    )?);
    let mut audit_ids = Ids::new(o.seed ^ 0xa0d17);
    for chunk in events.chunks(50_000) {
        let batch: Vec<(AuditEventId, NewAuditEvent)> = chunk
            .iter()
            .map(|(_, e)| (AuditEventId(audit_ids.next_id()), e.clone()))
            .collect();
        let mut tx = store.write().await?;
        audit::append_many(&mut tx, store.engine(), &batch).await?;
        Store::commit(tx).await?;
        chain.inc(chunk.len() as u64);
    }
    chain.finish();
    store.analyze().await?;
    g.report.audit_events = events.len();
    g.report.seconds = started.elapsed().as_secs_f64();
    Ok(g.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_draws_average_their_mean() {
        let mut rng = StdRng::seed_from_u64(7);
        let n = 20_000;
        let total: usize = (0..n).map(|_| poisson(&mut rng, 3.5)).sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 3.5).abs() < 0.1, "mean {mean}");
    }
}
