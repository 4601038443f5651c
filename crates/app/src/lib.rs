//! Hearth's use cases: the only door to personal data.
//!
//! Each use case loads what it needs from the store, asks `domain` whether the actor may do it,
//! does it, and writes the audit event in the same transaction.

mod access;
pub mod accounts;
mod actor;
mod anti_automation;
pub mod audit_log;
pub mod care;
pub mod demo;
pub mod directory;
pub mod documents;
pub mod episodes;
mod error;
pub mod family;
pub mod family_asks;
pub mod front_door;
pub mod hubs;
pub mod identification;
pub mod information_rights;
pub mod insight;
mod kept;
pub mod letters;
pub mod messages;
pub mod my_work;
pub mod own;
pub mod practice;
mod print;
pub mod programme;
pub mod quality;
pub mod returns;
pub mod team_work;
pub mod training;
pub mod voice;

pub use actor::{Actor, ApiTokenGrant, Origin};
pub use error::AppError;
pub use hearth_store::audit::install_keys as install_audit_keys;
pub use hearth_store::gate::{BreakGlassUse, GatePolicy, Refusal};
pub use hearth_store::{Engine, PoolStats, Store};

use chrono::{DateTime, Utc};
use hearth_domain::sign_in::{SessionPolicy, ThrottlePolicy};
use std::sync::Arc;

/// Settings the use cases need.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    pub gate: hearth_store::gate::GatePolicy,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
    pub routing: RoutingTeams,
    pub front_door: FrontDoorPolicy,
    /// How long a family's answers are kept while they ask for help themselves.
    pub family_asks: family_asks::FamilyAskPolicy,
    pub plans: PlanTimings,
    pub api_tokens: ApiTokenPolicy,
    /// The words keyword search in the directory understands: the shipped lists and the
    /// partnership's own.
    pub vocabulary: Arc<hearth_domain::vocabulary::Vocabulary>,
    /// The partnership's catalogue of key performance indicators.
    pub catalogue: hearth_domain::insight::Catalogue,
    /// The partnership's retention schedule.
    pub retention: hearth_domain::retention::Schedule,
    /// What counts as a local placement for children in care: the centre, the radius and
    /// the council's own postcode districts.
    pub care: hearth_domain::care::LocalArea,
    /// How messages are made and whether they go.
    pub messages: messages::MessagePolicy,
    /// The partnership's surveys of families and children: the questions' wording and
    /// version, and whether workers read the free text.
    pub surveys: hearth_domain::survey::SurveyBook,
    /// How long dashboard and reach figures are kept before they are worked out again (ADR
    /// 0040); zero, the default here, works them out on every view.
    pub figures_kept: std::time::Duration,
    /// The Supporting Families outcome framework new episodes are measured against.
    pub programme: hearth_domain::programme::Framework,
    /// How the programme's claims are audited.
    pub claims: programme::ClaimPolicy,
    /// The partnership's name, as its letters are signed.
    pub partnership_name: String,
    /// Documents' limits and the virus scanner.
    pub documents: documents::DocumentPolicy,
    /// How Hearth talks to organisations' identity providers.
    pub single_sign_on: accounts::single_sign_on::SingleSignOnPolicy,
    /// Which roles must have a second factor on their password accounts.
    pub second_factor: accounts::second_factor::SecondFactorPolicy,
    /// The family's own page: how long links and family sessions last, how much families
    /// may send (ADR 0045).
    pub own: own::OwnPagePolicy,
    /// The partnership's courses, the roles that must have them, whether access waits for
    /// them, and when reminders go (ADR 0048).
    pub training: training::TrainingPolicy,
    /// How many days before assessments, reviews, plan actions and tasks fall due their
    /// owners are reminded.
    pub work_reminders: messages::reminders::WorkReminderPolicy,
    /// How large a partner's file for early identification may be.
    pub partner_files: identification::PartnerFilePolicy,
}

/// How long API tokens may live.
#[derive(Debug, Clone)]
pub struct ApiTokenPolicy {
    /// The longest lifetime an owner may choose, in days.
    pub max_days: i64,
}

impl Default for ApiTokenPolicy {
    fn default() -> Self {
        Self { max_days: 365 }
    }
}

/// When the work of an episode falls due: each partnership sets its own.
#[derive(Debug, Clone)]
pub struct PlanTimings {
    /// Days from the episode's start by which the assessment is due.
    pub assessment_due_days: i64,
    /// Weeks from one Team Around the Family review to the next, unless the team chooses.
    pub review_interval_weeks: i64,
    /// Days from a family's last recorded visit (or the start of their help) to the next.
    pub visit_interval_days: i64,
    /// The share of a Family Hub course's sessions (a percentage) someone must come to for it
    /// to count as completed, and be recorded as progress on a plan's outcome.
    pub programme_completion_percent: u32,
}

impl Default for PlanTimings {
    fn default() -> Self {
        Self {
            assessment_due_days: 45,
            review_interval_weeks: 6,
            visit_interval_days: 28,
            programme_completion_percent: hearth_domain::hub::COMPLETION_PERCENT,
        }
    }
}

/// The front door's promises and numbers: each partnership sets its own.
#[derive(Debug, Clone, Default)]
pub struct FrontDoorPolicy {
    /// Working days to decide a request, by urgency (safeguarding: the same working day).
    pub due: hearth_domain::routing::DueTimes,
    /// The front door's (MASH's) phone number, said to anyone who raises a safeguarding
    /// concern; unset: the words say to phone the front door, without a number.
    pub mash_phone: Option<String>,
}

/// The teams that take Targeted Family Help, by name: each partnership names its own.
#[derive(Debug, Clone)]
pub struct RoutingTeams {
    pub core: String,
    pub adolescence: String,
    /// Where a step-up to children's social care goes.
    pub social_care: String,
    /// The team whose managers sign off a closure when neither the owning team nor the
    /// lead's own team has a manager (a partner-led episode); empty: none.
    pub closure_approver: String,
}

impl Default for RoutingTeams {
    fn default() -> Self {
        Self {
            core: "Targeted Family Help core team".into(),
            adolescence: "Adolescence Service".into(),
            social_care: "Children's social care".into(),
            closure_approver: "Targeted Family Help core team".into(),
        }
    }
}

/// Where "now" comes from; tests move it forward to expire sessions and locks.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The application: the store, the policies, and a clock. Cheap to clone.
#[derive(Clone)]
pub struct Hearth {
    store: Store,
    /// The one door to personal data: every record is opened, and every refusal recorded, here.
    gate: hearth_store::gate::Gate,
    policies: Policies,
    clock: Clock,
    /// Dashboard and reach figures kept for `policies.figures_kept`.
    kept: Arc<kept::KeptSets>,
    /// Partners' files this server is importing, with their progress.
    running_imports: Arc<identification::jobs::RunningImports>,
    /// The homes the placement search ranked last, while unchanged.
    located_homes: Arc<care::LocatedHomes>,
}

impl std::fmt::Debug for Hearth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hearth")
            .field("store", &self.store)
            .field("policies", &self.policies)
            .finish_non_exhaustive()
    }
}

impl Hearth {
    pub fn new(store: Store, policies: Policies) -> Self {
        Self::with_clock(store, policies, Arc::new(Utc::now))
    }

    pub fn with_clock(store: Store, policies: Policies, clock: Clock) -> Self {
        Self {
            gate: hearth_store::gate::Gate::new(store.clone(), policies.gate.clone()),
            store,
            kept: Arc::new(kept::KeptSets::new(policies.figures_kept)),
            running_imports: Arc::default(),
            located_homes: Arc::default(),
            policies,
            clock,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// Readiness: the database answers and is fully migrated.
    pub async fn is_ready(&self) -> bool {
        self.store.is_ready().await
    }

    pub fn pool_stats(&self) -> PoolStats {
        self.store.pool_stats()
    }

    pub fn engine(&self) -> Engine {
        self.store.engine()
    }
}

/// The records use cases return, for the layers above to display.
pub mod records {
    pub use hearth_store::accounts::api_tokens::ApiToken;
    pub use hearth_store::accounts::organisations::Organisation;
    pub use hearth_store::accounts::password_resets::PasswordReset;
    pub use hearth_store::accounts::role_changes::RoleChange;
    pub use hearth_store::accounts::single_sign_on::{IdentityProvider, StoredRule as SignOnRule};
    pub use hearth_store::accounts::teams::Team;
    pub use hearth_store::accounts::users::{User, UserFilter};
    pub use hearth_store::audit::{AuditEvent, AuditQuery, Verification};
    pub use hearth_store::directory::service_requests::ServiceRequest;
    pub use hearth_store::directory::{
        Change as DirectoryChange, Hit as DirectoryHit, Location as DirectoryLocation,
        Service as DirectoryService, ServiceEntry as DirectoryEntry,
        ServiceLine as DirectoryServiceLine, ServiceText, Term as DirectoryTerm, Written,
    };
    pub use hearth_store::episodes::case_notes::{Note, Revision};
    pub use hearth_store::episodes::{Episode, TafMember};
    pub use hearth_store::family::chronology::Entry as ChronologyEntry;
    pub use hearth_store::family::consents::{
        Consent, Expiring as ConsentExpiring, SharedWithoutConsent,
    };
    pub use hearth_store::family::merges::Merge;
    pub use hearth_store::gate::SubjectCandidate;
    pub use hearth_store::information_rights::gathered::{Field, Item, Section};
    pub use hearth_store::information_rights::requests::SubjectAccessRequest;
    pub use hearth_store::information_rights::viewers::{ViewPath, Viewing};
    pub use hearth_store::requests::RequestRecord as Request;
    pub use hearth_store::retention::holds::{HoldOn, LegalHold};
    pub use hearth_store::retention::rights::RightsRequest;
    pub use hearth_store::retention::{ItemStatus, Removal, Run, RunItem};
}
