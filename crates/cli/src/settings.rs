//! Configuration: defaults, then a TOML file, then `HEARTH_*` environment variables (and
//! `DATABASE_URL`), then command-line flags. Secrets are never printed.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use hearth_web::RateLimitSettings;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; SQLite under `data_dir` when unset.
    pub database_url: Option<String>,
    /// Where the embedded SQLite database lives.
    pub data_dir: PathBuf,
    /// The partnership's name, shown on every page.
    pub partnership_name: String,
    /// The address users reach Hearth at; `https://…` turns on Secure cookies and HSTS.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` from a reverse proxy.
    pub trust_proxy: bool,
    /// How many proxies in front of Hearth append to `X-Forwarded-For` (read from the right).
    pub trusted_proxies: usize,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Wrong passwords in a row for one email address before each makes the next attempt wait.
    pub sign_in_free_failures: u32,
    /// The longest wait between sign-in attempts (the wait doubles from one minute).
    pub sign_in_max_wait_minutes: i64,
    /// People searches a minute by one user (pages and API); 0 for no limit.
    pub rate_limit_search_per_user: u32,
    /// People searches a minute from one address; 0 for no limit.
    pub rate_limit_search_per_address: u32,
    /// API calls a minute by one user; 0 for no limit.
    pub rate_limit_api_per_user: u32,
    /// API calls a minute from one address; 0 for no limit.
    pub rate_limit_api_per_address: u32,
    /// Sign-in attempts a minute from one address; 0 for no limit.
    pub rate_limit_sign_in_per_address: u32,
    /// People searches by one user in an hour that raise an alert; 0 for none.
    pub search_alert_per_hour: u32,
    pub db_max_connections: u32,
    /// Requests worked on at once; more wait for a turn (see `max_queue_wait_ms`).
    pub max_in_flight: usize,
    /// How long a request may wait for a turn before it is answered "busy, try again"
    /// (503 with `Retry-After`) rather than left queueing.
    pub max_queue_wait_ms: u64,
    /// The team (by name) that takes Targeted Family Help from the core service.
    pub targeted_core_team: String,
    /// The team (by name) that takes Targeted Family Help for adolescents.
    pub targeted_adolescence_team: String,
    /// The team a step-up to children's social care goes to.
    pub social_care_team: String,
    /// The team (by name) whose managers sign off a partner-led closure when neither the
    /// owning team nor the lead's own team has a manager; empty: none.
    pub closure_approver_team: String,
    /// The front door's (MASH's) phone number, told to anyone who raises a safeguarding
    /// concern; unset: they are told to phone the front door, without a number.
    pub mash_phone: Option<String>,
    /// Minutes a family's answers are kept while they ask for help, from when they start;
    /// housekeeping removes them after (ADR 0044).
    pub ask_draft_minutes: i64,
    /// Families' requests for help (started or sent) an hour from one address.
    pub rate_limit_ask_per_address: u32,
    /// Working days the front door has to decide a routine request.
    pub front_door_routine_working_days: u32,
    /// Working days the front door has to decide a request needed soon (urgent requests
    /// and safeguarding concerns: the same working day).
    pub front_door_soon_working_days: u32,
    /// Days from an episode's start by which its assessment is due.
    pub assessment_due_days: i64,
    /// Weeks between Team Around the Family reviews unless the team chooses a date.
    pub review_interval_weeks: i64,
    /// Days after a family's last recorded visit (or the start of their help) by which the
    /// next visit is due.
    pub visit_interval_days: i64,
    /// The share of a Family Hub course's sessions (a percentage, 1 to 100) someone must come
    /// to for it to count as completed.
    pub programme_completion_percent: u32,
    /// The share (a percentage, 1 to 100) of a Supporting Families claim's families the
    /// internal audit samples (ADR 0046).
    pub claim_sample_percent: u32,
    /// Seconds the dashboards' and the hubs' reach figures are kept for the next reader before
    /// they are worked out again (ADR 0040); 0 works them out on every view.
    pub figures_kept_seconds: u64,
    /// Days a practitioner who added a person may work on what they recorded, unless a
    /// request about the person is decided first.
    pub recorder_days: i64,
    /// Days the front-door officer who decided a request may still read the family's record.
    pub deciding_officer_days: i64,
    /// Minutes a reason given to open a restricted record holds for its other pages.
    pub restricted_reason_minutes: i64,
    /// Minutes a break-glass opening lasts.
    pub break_glass_minutes: i64,
    /// The family's own page (ADR 0045): the age from which a young person sees their own
    /// part of the plan (younger children see nothing there).
    pub family_young_person_age: u32,
    /// Days after closure that the family's own page still shows the episode.
    pub family_closed_days: i64,
    /// Hours a one-time link to the family's own page works.
    pub family_link_hours: i64,
    /// Minutes a family session lasts from the link.
    pub family_session_minutes: i64,
    /// Messages a family member may send their lead professional in an hour.
    pub family_messages_per_hour: u32,
    /// GOV.UK One Login for families (ADR 0056): the provider's issuer (like
    /// `https://oidc.account.gov.uk/`); unset, families are not offered it.
    pub family_one_login_issuer: Option<String>,
    /// The client ID One Login gave the partnership.
    pub family_one_login_client_id: Option<String>,
    /// The file holding the partnership's RSA private key (PEM, PKCS#1 or PKCS#8) whose public key is
    /// registered with One Login: Hearth signs its token requests with it (`private_key_jwt`).
    pub family_one_login_private_key_file: Option<PathBuf>,
    /// The key's id (`kid`) as registered, when One Login holds more than one.
    pub family_one_login_key_id: Option<String>,
    /// Instead of a key, a client secret (a provider other than One Login). A secret, never
    /// printed; or `HEARTH_FAMILY_ONE_LOGIN_CLIENT_SECRET`.
    pub family_one_login_client_secret: Option<String>,
    /// The vector of trust asked for (`vtr`); empty sends none.
    pub family_one_login_vtr: String,
    /// The longest an API token may last, in days (its owner chooses up to this).
    pub api_token_max_days: i64,
    /// The longest Hearth waits for one answer from an organisation's identity provider
    /// (single sign-on), in seconds; longer and the sign-in is refused with a clear page.
    pub identity_provider_timeout_seconds: u64,
    /// Roles (codes, like `team_manager`) whose password accounts must set up a second factor
    /// (a code from an authenticator app) before anything else; empty for none.
    pub second_factor_roles: Vec<String>,
    /// A file of the partnership's own training courses over the shipped ones (`version = …`,
    /// `course.title`, `course.valid_months`, `course.required = role, role`, `course.ask`,
    /// `course.withdrawn = yes`; ADR 0048); unset: the shipped courses.
    pub training_courses: Option<PathBuf>,
    /// Hold partner users whose required training is missing or has run out at their
    /// training page (which says which course and whom to ask) until it is recorded.
    pub training_holds_access: bool,
    /// Days before a course runs out that it shows as due and its reminder is emailed.
    pub training_remind_days: i64,
    /// Days before an assessment, a review, a plan action or a task falls due that its owner
    /// is reminded (once per piece of work and date).
    pub work_remind_days: i64,
    /// The file holding the audit key (64 hex digits). Unset: `HEARTH_AUDIT_KEY`, else
    /// `data_dir/audit.key`, made on first use.
    pub audit_key_file: Option<PathBuf>,
    /// Files holding keys retired by a rotation, still needed to verify older events.
    pub audit_retired_key_files: Vec<PathBuf>,
    /// The append-only file the head of the audit chain is written to; unset:
    /// `data_dir/audit-anchors.log`.
    pub audit_anchor_file: Option<PathBuf>,
    /// Anchor the head after this many new events…
    pub audit_anchor_every_events: i64,
    /// …or this many minutes after the last anchor, if any event came since.
    pub audit_anchor_every_minutes: u64,
    /// A file of the partnership's own search phrases for the directory (see
    /// docs/translations.md), read on top of the shipped lists; unset: the shipped lists alone.
    pub directory_synonyms: Option<PathBuf>,
    /// A file of the partnership's own KPI targets, baselines, national averages, frequencies
    /// and titles (`code.field = value` a line); unset: the defaults.
    pub kpi_catalogue: Option<PathBuf>,
    /// A file of the partnership's own survey wording and version (`version = …`,
    /// `audience.question.language = wording`, `workers_read_free_text = yes`,
    /// `after_review = no` to stop the review survey Hearth sends itself; ADR 0037);
    /// unset: the defaults.
    pub survey_questions: Option<PathBuf>,
    /// A file of the partnership's Supporting Families outcome framework over the national
    /// one (`version = …`, `needs_required = 3`, `attendance_percent = 90`,
    /// `need.field = value`; ADR 0042); unset: the national framework.
    pub outcome_framework: Option<PathBuf>,
    /// A file of the partnership's own retention periods (`record_type = years` a line, see
    /// ADR 0030); unset: the default schedule.
    pub retention_schedule: Option<PathBuf>,
    /// A folder with the partnership's own privacy notice, accessibility statement and
    /// cookies page in Markdown (`en/privacy.md`, `ar/privacy.md`, …); unset: Hearth's own.
    pub site_pages_dir: Option<PathBuf>,
    /// Who families write to about their data, shown on the privacy notice.
    pub privacy_contact: Option<String>,
    /// Who to tell about an accessibility problem, shown on the accessibility statement.
    pub accessibility_contact: Option<String>,
    /// The bearer token a Prometheus scraper sends for `/metrics` on `listen`; unset: not
    /// served there. A secret, never printed.
    pub metrics_token: Option<String>,
    /// A second address serving only `/metrics`, with no token: one only the monitoring
    /// can reach, e.g. `127.0.0.1:9090`.
    pub metrics_listen: Option<String>,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish before Hearth
    /// stops anyway.
    pub shutdown_drain_seconds: u64,
    /// Children in care: the city centre placements are measured from (WGS84 degrees)…
    pub care_centre_latitude: f64,
    pub care_centre_longitude: f64,
    /// …within how many miles of it a placement is local…
    pub care_local_miles: f64,
    /// …and the postcode districts inside the council's boundary (local wherever they are).
    pub care_boundary_districts: Vec<String>,
    /// Children under 18 in the area: the sufficiency picture's rate per 10,000.
    pub care_child_population: u64,
    /// The mail server messages are sent through (ADR 0036); unset: none, and messages wait
    /// in the outbox.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (port 587), `tls` (port 465) or `none` (a mail server on this machine only).
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// A secret, never printed; or `HEARTH_SMTP_PASSWORD`.
    pub smtp_password: Option<String>,
    /// The sender of Hearth's messages, e.g. `Family Help <no-reply@example.org>`.
    pub smtp_from: String,
    /// Seconds between looks at the outbox for messages to send.
    pub smtp_every_seconds: u64,
    /// The text message gateway (ADR 0049): `none` (no texts are sent; they wait in the
    /// outbox) or `kannel`, with its smsbox `sendsms` address, user and password.
    pub sms_transport: String,
    pub sms_kannel_url: Option<String>,
    pub sms_kannel_username: Option<String>,
    /// A secret, never printed; or `HEARTH_SMS_KANNEL_PASSWORD`.
    pub sms_kannel_password: Option<String>,
    /// The sender name families see on a text, where the network allows one.
    pub sms_from: Option<String>,
    /// Documents (ADR 0043): the largest file accepted, in megabytes…
    pub documents_max_mb: u32,
    /// …the kinds accepted, by content (`pdf`, `png`, `jpeg`, `docx`)…
    pub documents_types: Vec<String>,
    /// …and ClamAV's daemon (`host:port` of clamd's TCP socket) that scans each upload;
    /// unset, every upload is refused (nothing unscanned is kept).
    pub clamd_address: Option<String>,
    /// Seconds a scan may take before the upload is refused as not checked.
    pub clamd_timeout_seconds: u64,
    /// Where documents' bytes are kept (ADR 0052): `database` (the default) or `s3`, an
    /// S3-compatible object store (AWS S3, MinIO, Ceph…)…
    pub document_store: String,
    /// …its address (`https://…`; unset: AWS's own for the region)…
    pub document_store_endpoint: Option<String>,
    /// …the bucket and its region…
    pub document_store_bucket: Option<String>,
    pub document_store_region: String,
    /// …`https://host/bucket/key` addresses (MinIO, Ceph) rather than `https://bucket.host/key`…
    pub document_store_path_style: bool,
    /// …and its credentials; unset, the usual AWS places (`AWS_*`, the instance's role).
    pub document_store_access_key_id: Option<String>,
    /// A secret, never printed; or `HEARTH_DOCUMENT_STORE_SECRET_ACCESS_KEY`.
    pub document_store_secret_access_key: Option<String>,
    /// Seconds one request to the store may take, retries included, before an upload is
    /// refused as not saved.
    pub document_store_timeout_seconds: u64,
    /// Early identification (ADR 0054): the largest partner's file accepted, in megabytes…
    pub partner_files_max_mb: u32,
    /// …the folder under which each dataset has its watched folder (`<dir>/<code>/`) where
    /// partners drop files; unset: no folder is watched…
    pub partner_drop_dir: Option<PathBuf>,
    /// …and how often, in seconds, the folders are looked at.
    pub partner_drop_every_seconds: u64,
    /// Where the nightly analytics extract is written (ADR 0038); unset: no nightly extract
    /// (`hearth extract --out DIR` still makes one).
    pub extract_dir: Option<PathBuf>,
    /// The secret the extract's pseudonymous ids are keyed with (32 characters or more). A
    /// secret, never printed; keep it apart from the extract, and the same from night to night
    /// so that ids join across extracts.
    pub extract_secret: Option<String>,
    /// The hour (UTC, 0–23) the nightly extract is made.
    pub extract_hour: u32,
    /// `text` or `json`.
    pub log_format: String,
    /// A tracing filter, e.g. `info` or `hearth=debug,info`.
    pub log: String,
}

impl Default for Settings {
    fn default() -> Self {
        let limits = RateLimitSettings::default();
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("hearth-data"),
            partnership_name: "Family Help Partnership".into(),
            public_url: None,
            trust_proxy: false,
            trusted_proxies: 1,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            sign_in_free_failures: 5,
            sign_in_max_wait_minutes: 15,
            rate_limit_search_per_user: limits.search_per_user,
            rate_limit_search_per_address: limits.search_per_address,
            rate_limit_api_per_user: limits.api_per_user,
            rate_limit_api_per_address: limits.api_per_address,
            rate_limit_sign_in_per_address: limits.sign_in_per_address,
            search_alert_per_hour: limits.search_alert_per_hour,
            db_max_connections: 16,
            max_in_flight: 32,
            max_queue_wait_ms: 2000,
            targeted_core_team: "Targeted Family Help core team".into(),
            targeted_adolescence_team: "Adolescence Service".into(),
            social_care_team: "Children's social care".into(),
            closure_approver_team: "Targeted Family Help core team".into(),
            mash_phone: None,
            ask_draft_minutes: 120,
            rate_limit_ask_per_address: limits.ask_per_address,
            front_door_routine_working_days: 10,
            front_door_soon_working_days: 3,
            assessment_due_days: 45,
            review_interval_weeks: 6,
            visit_interval_days: 28,
            programme_completion_percent: hearth_domain::hub::COMPLETION_PERCENT,
            claim_sample_percent: hearth_domain::programme::claims::SAMPLE_PERCENT,
            figures_kept_seconds: 300,
            recorder_days: 30,
            deciding_officer_days: 14,
            restricted_reason_minutes: 60,
            break_glass_minutes: 240,
            family_young_person_age: 13,
            family_closed_days: 28,
            family_link_hours: 48,
            family_session_minutes: 60,
            family_messages_per_hour: 10,
            family_one_login_issuer: None,
            family_one_login_client_id: None,
            family_one_login_private_key_file: None,
            family_one_login_key_id: None,
            family_one_login_client_secret: None,
            family_one_login_vtr: hearth_app::own::DEFAULT_VTR.into(),
            api_token_max_days: 365,
            identity_provider_timeout_seconds: 10,
            second_factor_roles: Vec::new(),
            training_courses: None,
            training_holds_access: false,
            training_remind_days: hearth_domain::training::REMIND_DAYS,
            work_remind_days: hearth_domain::reminder::REMIND_DAYS,
            audit_key_file: None,
            audit_retired_key_files: Vec::new(),
            audit_anchor_file: None,
            audit_anchor_every_events: 1000,
            audit_anchor_every_minutes: 10,
            directory_synonyms: None,
            kpi_catalogue: None,
            survey_questions: None,
            outcome_framework: None,
            retention_schedule: None,
            site_pages_dir: None,
            privacy_contact: None,
            accessibility_contact: None,
            metrics_token: None,
            metrics_listen: None,
            shutdown_drain_seconds: 20,
            care_centre_latitude: hearth_domain::care::LocalArea::default().centre.latitude,
            care_centre_longitude: hearth_domain::care::LocalArea::default().centre.longitude,
            care_local_miles: hearth_domain::care::LocalArea::default().radius_miles,
            care_boundary_districts: hearth_domain::care::LocalArea::default().boundary_districts,
            care_child_population: hearth_domain::care::LocalArea::default().child_population,
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: "Hearth <no-reply@localhost>".into(),
            smtp_every_seconds: 10,
            sms_transport: "none".into(),
            sms_kannel_url: None,
            sms_kannel_username: None,
            sms_kannel_password: None,
            sms_from: None,
            documents_max_mb: 10,
            documents_types: hearth_domain::document::FileType::ALL
                .iter()
                .map(|t| t.code().to_string())
                .collect(),
            clamd_address: None,
            clamd_timeout_seconds: 30,
            document_store: "database".into(),
            document_store_endpoint: None,
            document_store_bucket: None,
            document_store_region: "eu-west-2".into(),
            document_store_path_style: true,
            document_store_access_key_id: None,
            document_store_secret_access_key: None,
            document_store_timeout_seconds: 30,
            partner_files_max_mb: 20,
            partner_drop_dir: None,
            partner_drop_every_seconds: 60,
            extract_dir: None,
            extract_secret: None,
            extract_hour: 2,
            log_format: "text".into(),
            log: "info".into(),
        }
    }
}

/// Hides a password in a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:****{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("data_dir", &self.data_dir)
            .field("partnership_name", &self.partnership_name)
            .field("public_url", &self.public_url)
            .field("trust_proxy", &self.trust_proxy)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("sign_in_free_failures", &self.sign_in_free_failures)
            .field("sign_in_max_wait_minutes", &self.sign_in_max_wait_minutes)
            .field("rate_limits", &self.rate_limits())
            .field("db_max_connections", &self.db_max_connections)
            .field("max_in_flight", &self.max_in_flight)
            .field("max_queue_wait_ms", &self.max_queue_wait_ms)
            .field("targeted_core_team", &self.targeted_core_team)
            .field("targeted_adolescence_team", &self.targeted_adolescence_team)
            .field("social_care_team", &self.social_care_team)
            .field("closure_approver_team", &self.closure_approver_team)
            .field("mash_phone", &self.mash_phone)
            .field("ask_draft_minutes", &self.ask_draft_minutes)
            .field(
                "rate_limit_ask_per_address",
                &self.rate_limit_ask_per_address,
            )
            .field(
                "front_door_routine_working_days",
                &self.front_door_routine_working_days,
            )
            .field(
                "front_door_soon_working_days",
                &self.front_door_soon_working_days,
            )
            .field("assessment_due_days", &self.assessment_due_days)
            .field("review_interval_weeks", &self.review_interval_weeks)
            .field("visit_interval_days", &self.visit_interval_days)
            .field(
                "programme_completion_percent",
                &self.programme_completion_percent,
            )
            .field("claim_sample_percent", &self.claim_sample_percent)
            .field("figures_kept_seconds", &self.figures_kept_seconds)
            .field("recorder_days", &self.recorder_days)
            .field("deciding_officer_days", &self.deciding_officer_days)
            .field("restricted_reason_minutes", &self.restricted_reason_minutes)
            .field("break_glass_minutes", &self.break_glass_minutes)
            .field("family_young_person_age", &self.family_young_person_age)
            .field("family_closed_days", &self.family_closed_days)
            .field("family_link_hours", &self.family_link_hours)
            .field("family_session_minutes", &self.family_session_minutes)
            .field("family_messages_per_hour", &self.family_messages_per_hour)
            .field("family_one_login_issuer", &self.family_one_login_issuer)
            .field(
                "family_one_login_client_id",
                &self.family_one_login_client_id,
            )
            .field(
                "family_one_login_private_key_file",
                &self.family_one_login_private_key_file,
            )
            .field("family_one_login_key_id", &self.family_one_login_key_id)
            .field(
                "family_one_login_client_secret",
                &self.family_one_login_client_secret.as_ref().map(|_| "****"),
            )
            .field("family_one_login_vtr", &self.family_one_login_vtr)
            .field("api_token_max_days", &self.api_token_max_days)
            .field(
                "identity_provider_timeout_seconds",
                &self.identity_provider_timeout_seconds,
            )
            .field("second_factor_roles", &self.second_factor_roles)
            .field("training_courses", &self.training_courses)
            .field("training_holds_access", &self.training_holds_access)
            .field("training_remind_days", &self.training_remind_days)
            .field("work_remind_days", &self.work_remind_days)
            .field("audit_key_file", &self.audit_key_file)
            .field("audit_retired_key_files", &self.audit_retired_key_files)
            .field("audit_anchor_file", &self.audit_anchor_file)
            .field("audit_anchor_every_events", &self.audit_anchor_every_events)
            .field(
                "audit_anchor_every_minutes",
                &self.audit_anchor_every_minutes,
            )
            .field("directory_synonyms", &self.directory_synonyms)
            .field("kpi_catalogue", &self.kpi_catalogue)
            .field("survey_questions", &self.survey_questions)
            .field("outcome_framework", &self.outcome_framework)
            .field("retention_schedule", &self.retention_schedule)
            .field("site_pages_dir", &self.site_pages_dir)
            .field("privacy_contact", &self.privacy_contact)
            .field("accessibility_contact", &self.accessibility_contact)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "****"),
            )
            .field("metrics_listen", &self.metrics_listen)
            .field("shutdown_drain_seconds", &self.shutdown_drain_seconds)
            .field("care_centre_latitude", &self.care_centre_latitude)
            .field("care_centre_longitude", &self.care_centre_longitude)
            .field("care_local_miles", &self.care_local_miles)
            .field("care_boundary_districts", &self.care_boundary_districts)
            .field("care_child_population", &self.care_child_population)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_security", &self.smtp_security)
            .field("smtp_username", &self.smtp_username)
            .field(
                "smtp_password",
                &self.smtp_password.as_ref().map(|_| "****"),
            )
            .field("smtp_from", &self.smtp_from)
            .field("smtp_every_seconds", &self.smtp_every_seconds)
            .field("sms_transport", &self.sms_transport)
            .field("sms_kannel_url", &self.sms_kannel_url)
            .field("sms_kannel_username", &self.sms_kannel_username)
            .field(
                "sms_kannel_password",
                &self.sms_kannel_password.as_ref().map(|_| "****"),
            )
            .field("sms_from", &self.sms_from)
            .field("documents_max_mb", &self.documents_max_mb)
            .field("documents_types", &self.documents_types)
            .field("clamd_address", &self.clamd_address)
            .field("clamd_timeout_seconds", &self.clamd_timeout_seconds)
            .field("document_store", &self.document_store)
            .field("document_store_endpoint", &self.document_store_endpoint)
            .field("document_store_bucket", &self.document_store_bucket)
            .field("document_store_region", &self.document_store_region)
            .field("document_store_path_style", &self.document_store_path_style)
            .field(
                "document_store_access_key_id",
                &self.document_store_access_key_id,
            )
            .field(
                "document_store_secret_access_key",
                &self
                    .document_store_secret_access_key
                    .as_ref()
                    .map(|_| "****"),
            )
            .field(
                "document_store_timeout_seconds",
                &self.document_store_timeout_seconds,
            )
            .field("partner_files_max_mb", &self.partner_files_max_mb)
            .field("partner_drop_dir", &self.partner_drop_dir)
            .field(
                "partner_drop_every_seconds",
                &self.partner_drop_every_seconds,
            )
            .field("extract_dir", &self.extract_dir)
            .field(
                "extract_secret",
                &self.extract_secret.as_ref().map(|_| "****"),
            )
            .field("extract_hour", &self.extract_hour)
            .field("log_format", &self.log_format)
            .finish()
    }
}

impl Settings {
    /// The partnership's provider for families, when its issuer is set: the client ID and
    /// exactly one of a private key file and a client secret, each checked, with what to fix.
    pub fn family_one_login(&self) -> Result<Option<hearth_app::own::FamilyOneLogin>, String> {
        use hearth_app::own::{ClientAuth, FamilyOneLogin};
        let Some(issuer) = self
            .family_one_login_issuer
            .as_deref()
            .filter(|i| !i.trim().is_empty())
        else {
            return Ok(None);
        };
        let client_id = self.family_one_login_client_id.as_deref().unwrap_or("");
        let auth = match (
            &self.family_one_login_private_key_file,
            self.family_one_login_client_secret
                .as_deref()
                .filter(|s| !s.is_empty()),
        ) {
            (Some(file), None) => ClientAuth::PrivateKeyJwt {
                key_pem: std::fs::read_to_string(file).map_err(|e| {
                    format!(
                        "family_one_login_private_key_file: cannot read {}: {e}",
                        file.display()
                    )
                })?,
                key_id: self.family_one_login_key_id.clone(),
            },
            (None, Some(secret)) => ClientAuth::ClientSecret(secret.to_string()),
            _ => {
                return Err("family_one_login_issuer is set: set family_one_login_private_key_file (GOV.UK One Login) or family_one_login_client_secret, one of the two".into())
            }
        };
        FamilyOneLogin::new(
            issuer,
            client_id,
            auth,
            Some(self.family_one_login_vtr.clone()),
        )
        .map(Some)
        .map_err(|e| format!("family_one_login: {e}"))
    }

    /// Reads the configuration file (if any) and the environment.
    pub fn load(config_file: Option<PathBuf>) -> Result<Self, Box<figment::Error>> {
        let file = config_file.unwrap_or_else(|| PathBuf::from("hearth.toml"));
        let mut settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("HEARTH_").ignore(&[
                "DEMO_PASSWORD",
                "CONFIG",
                "TEST_POSTGRES",
                "NEW_USER_PASSWORD",
                // A secret, read on its own and never part of the printed settings.
                "AUDIT_KEY",
            ]))
            .extract()
            .map_err(Box::new)?;
        if let Ok(url) = std::env::var("DATABASE_URL") {
            if !url.trim().is_empty() {
                settings.database_url = Some(url);
            }
        }
        Ok(settings)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("hearth.db").display()))
    }

    /// The rate limits for the web layer.
    pub fn rate_limits(&self) -> RateLimitSettings {
        RateLimitSettings {
            search_per_user: self.rate_limit_search_per_user,
            search_per_address: self.rate_limit_search_per_address,
            api_per_user: self.rate_limit_api_per_user,
            api_per_address: self.rate_limit_api_per_address,
            sign_in_per_address: self.rate_limit_sign_in_per_address,
            ask_per_address: self.rate_limit_ask_per_address,
            search_alert_per_hour: self.search_alert_per_hour,
        }
    }

    pub fn audit_anchor_file(&self) -> PathBuf {
        self.audit_anchor_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-anchors.log"))
    }

    /// The mail server's settings, when one is configured; an error names a bad setting.
    pub fn mailer(&self) -> Result<Option<hearth_app::messages::MailerSettings>, String> {
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let security = hearth_app::messages::SmtpSecurity::from_code(&self.smtp_security)
            .ok_or_else(|| {
                format!(
                    "smtp_security must be starttls, tls or none, not {:?}",
                    self.smtp_security
                )
            })?;
        Ok(Some(hearth_app::messages::MailerSettings {
            host,
            port: self.smtp_port,
            security,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            from: self.smtp_from.clone(),
        }))
    }

    /// The text message gateway's settings, when one is configured; an error names a bad or
    /// missing setting (never the password's value).
    pub fn texter(&self) -> Result<Option<hearth_app::messages::KannelSettings>, String> {
        match self.sms_transport.trim() {
            "" | "none" => Ok(None),
            "kannel" => {
                let need = |v: &Option<String>, name: &str| {
                    v.clone()
                        .filter(|v| !v.trim().is_empty())
                        .ok_or_else(|| format!("sms_transport = \"kannel\" needs {name}"))
                };
                Ok(Some(hearth_app::messages::KannelSettings {
                    sendsms_url: need(&self.sms_kannel_url, "sms_kannel_url")?,
                    username: need(&self.sms_kannel_username, "sms_kannel_username")?,
                    password: need(&self.sms_kannel_password, "sms_kannel_password")?,
                    from: self.sms_from.clone().filter(|f| !f.trim().is_empty()),
                }))
            }
            other => Err(format!(
                "sms_transport must be none or kannel, not {other:?} (GOV.UK Notify is not yet \
                 available: ADR 0049)"
            )),
        }
    }

    /// The object store for documents' bytes, when `document_store = "s3"`; an error names a
    /// bad or missing setting (never the secret's value).
    pub fn document_store(
        &self,
    ) -> Result<Option<hearth_app::documents::ObjectStoreSettings>, String> {
        match self.document_store.trim() {
            "" | "database" => Ok(None),
            "s3" => {
                let nonempty = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
                if !(1..=600).contains(&self.document_store_timeout_seconds) {
                    return Err("document_store_timeout_seconds must be from 1 to 600".into());
                }
                Ok(Some(hearth_app::documents::ObjectStoreSettings {
                    endpoint: nonempty(&self.document_store_endpoint),
                    bucket: nonempty(&self.document_store_bucket)
                        .ok_or("document_store = \"s3\" needs document_store_bucket".to_string())?,
                    region: self.document_store_region.clone(),
                    path_style: self.document_store_path_style,
                    access_key_id: nonempty(&self.document_store_access_key_id),
                    secret_access_key: nonempty(&self.document_store_secret_access_key),
                    timeout: std::time::Duration::from_secs(self.document_store_timeout_seconds),
                }))
            }
            other => Err(format!(
                "document_store must be database or s3, not {other:?}"
            )),
        }
    }

    /// When the nightly extract next runs after `now`: today at `extract_hour` (UTC) if that
    /// is still to come, otherwise tomorrow.
    pub fn next_extract_after(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        match now.date_naive().and_hms_opt(self.extract_hour, 0, 0) {
            Some(today) if today.and_utc() > now => today.and_utc(),
            Some(today) => today.and_utc() + chrono::Duration::days(1),
            None => now + chrono::Duration::days(1),
        }
    }

    pub fn secure(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Checks values a person may have mistyped, naming the setting to fix.
    pub fn check(&self) -> Result<(), String> {
        if self.session_idle_minutes < 1 || self.session_absolute_hours < 1 {
            return Err(
                "session_idle_minutes and session_absolute_hours must be at least 1".into(),
            );
        }
        if self.sign_in_free_failures < 1 || self.sign_in_max_wait_minutes < 1 {
            return Err(
                "sign_in_free_failures and sign_in_max_wait_minutes must be at least 1".into(),
            );
        }
        if self.trust_proxy && self.trusted_proxies < 1 {
            return Err("trusted_proxies must be at least 1 when trust_proxy is on".into());
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(format!(
                "log_format must be text or json, not {:?}",
                self.log_format
            ));
        }
        if self.front_door_soon_working_days > self.front_door_routine_working_days
            || self.front_door_routine_working_days > 60
        {
            return Err("front_door_soon_working_days must be no more than front_door_routine_working_days, and that at most 60".into());
        }
        if self.assessment_due_days < 1
            || self.review_interval_weeks < 1
            || self.visit_interval_days < 1
        {
            return Err(
                "assessment_due_days, review_interval_weeks and visit_interval_days must be at least 1"
                    .into(),
            );
        }
        if !(1..=100).contains(&self.programme_completion_percent) {
            return Err("programme_completion_percent must be from 1 to 100".into());
        }
        if !(1..=100).contains(&self.claim_sample_percent) {
            return Err("claim_sample_percent must be from 1 to 100".into());
        }
        if self.figures_kept_seconds > 3600 {
            return Err(
                "figures_kept_seconds must be at most 3600: dashboards older than an hour mislead"
                    .into(),
            );
        }
        if self.recorder_days < 0
            || self.deciding_officer_days < 0
            || self.restricted_reason_minutes < 1
            || self.break_glass_minutes < 1
        {
            return Err("recorder_days and deciding_officer_days must be 0 or more, restricted_reason_minutes and break_glass_minutes at least 1".into());
        }
        if !(10..=18).contains(&self.family_young_person_age)
            || self.family_closed_days < 0
            || !(1..=24 * 14).contains(&self.family_link_hours)
            || !(5..=24 * 60).contains(&self.family_session_minutes)
            || !(1..=100).contains(&self.family_messages_per_hour)
        {
            return Err("family_young_person_age must be 10 to 18, family_closed_days 0 or more, family_link_hours 1 to 336, family_session_minutes 5 to 1440 and family_messages_per_hour 1 to 100".into());
        }
        if !(1..=3650).contains(&self.api_token_max_days) {
            return Err("api_token_max_days must be between 1 and 3650".into());
        }
        if !(1..=120).contains(&self.identity_provider_timeout_seconds) {
            return Err("identity_provider_timeout_seconds must be between 1 and 120".into());
        }
        if self.db_max_connections < 1 {
            return Err("db_max_connections must be at least 1".into());
        }
        if self.max_in_flight < 1 {
            return Err("max_in_flight must be at least 1".into());
        }
        if self
            .metrics_token
            .as_deref()
            .is_some_and(|t| t.len() < 16 || t.chars().any(char::is_whitespace))
        {
            return Err(
                "metrics_token must be at least 16 characters with no spaces (e.g. from `openssl rand -hex 32`)"
                    .into(),
            );
        }
        if self.extract_hour > 23 {
            return Err("extract_hour must be from 0 to 23".into());
        }
        if let Some(secret) = &self.extract_secret {
            hearth_domain::extract::Pseudonymiser::new(secret)
                .map_err(|e| format!("extract_secret: {e}"))?;
        } else if self.extract_dir.is_some() {
            return Err(
                "extract_dir is set but extract_secret is not: the nightly extract needs a secret to key its pseudonyms"
                    .into(),
            );
        }
        self.document_store()?;
        if self.audit_anchor_every_events < 1 || self.audit_anchor_every_minutes < 1 {
            return Err(
                "audit_anchor_every_events and audit_anchor_every_minutes must be at least 1"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact_url("postgres://hearth:s3cret@db.internal:5432/hearth"),
            "postgres://hearth:****@db.internal:5432/hearth"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        let s = Settings {
            database_url: Some("postgres://u:pw@h/db".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("pw"));
        let s = Settings {
            metrics_token: Some("scrape-me-0123456789".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("scrape-me"));
        assert_eq!(s.check(), Ok(()));
        let s = Settings {
            metrics_token: Some("short".into()),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().starts_with("metrics_token"));
        let s = Settings {
            extract_secret: Some("an-extract-secret-0123456789-abcdef".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("an-extract-secret"));
        assert_eq!(s.check(), Ok(()));
        let s = Settings {
            extract_dir: Some(PathBuf::from("/var/lib/hearth/extract")),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().starts_with("extract_dir is set"));
        let s = Settings {
            extract_secret: Some("short".into()),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().starts_with("extract_secret"));
        let s = Settings {
            family_one_login_client_secret: Some("one-login-s3cret".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("one-login-s3cret"));
    }

    #[test]
    fn one_login_for_families_is_off_until_its_issuer_is_set_and_says_what_is_missing() {
        assert!(Settings::default().family_one_login().unwrap().is_none());
        let s = Settings {
            family_one_login_issuer: Some("https://oidc.account.gov.uk/".into()),
            family_one_login_client_id: Some("abc".into()),
            ..Settings::default()
        };
        assert!(s
            .family_one_login()
            .unwrap_err()
            .contains("family_one_login_private_key_file"));
        let s = Settings {
            family_one_login_private_key_file: Some(PathBuf::from("/nowhere/key.pem")),
            ..s
        };
        assert!(s.family_one_login().unwrap_err().contains("cannot read"));
        let s = Settings {
            family_one_login_private_key_file: None,
            family_one_login_client_secret: Some("secret".into()),
            ..s
        };
        let p = s.family_one_login().unwrap().unwrap();
        assert_eq!(p.vtr.as_deref(), Some(r#"["Cl.Cm"]"#));
    }

    #[test]
    fn the_document_stores_secret_is_hidden_and_its_settings_checked() {
        let s = Settings {
            document_store: "s3".into(),
            document_store_bucket: Some("family-help-documents".into()),
            document_store_access_key_id: Some("AKIAEXAMPLE".into()),
            document_store_secret_access_key: Some("wJalrXUtnFEMI-secret".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("wJalrXUtnFEMI"));
        assert_eq!(s.check(), Ok(()));
        let object_store = s.document_store().unwrap().unwrap();
        assert!(!format!("{object_store:?}").contains("wJalrXUtnFEMI"));
        let no_bucket = Settings {
            document_store: "s3".into(),
            ..Settings::default()
        };
        assert!(no_bucket
            .check()
            .unwrap_err()
            .contains("needs document_store_bucket"));
        let neither = Settings {
            document_store: "minio".into(),
            ..Settings::default()
        };
        assert!(neither
            .check()
            .unwrap_err()
            .starts_with("document_store must be database or s3"));
        assert!(matches!(Settings::default().document_store(), Ok(None)));
    }

    #[test]
    fn a_server_that_could_take_no_request_is_refused_naming_the_setting() {
        let s = Settings {
            max_in_flight: 0,
            ..Settings::default()
        };
        assert_eq!(s.check(), Err("max_in_flight must be at least 1".into()));
        assert_eq!(Settings::default().check(), Ok(()));
    }

    #[test]
    fn trusting_a_proxy_needs_at_least_one_and_rate_limits_follow_the_settings() {
        let s = Settings {
            trust_proxy: true,
            trusted_proxies: 0,
            ..Settings::default()
        };
        assert_eq!(
            s.check(),
            Err("trusted_proxies must be at least 1 when trust_proxy is on".into())
        );
        let s = Settings {
            rate_limit_search_per_user: 7,
            ..Settings::default()
        };
        assert_eq!(s.rate_limits().search_per_user, 7);
        assert_eq!(
            Settings::default().rate_limits(),
            hearth_web::RateLimitSettings::default()
        );
    }

    #[test]
    fn the_nightly_extract_runs_at_its_hour_today_or_else_tomorrow() {
        use chrono::TimeZone;
        let at = |d, h, m| chrono::Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap();
        let s = Settings::default();
        assert_eq!(s.extract_hour, 2);
        assert_eq!(s.next_extract_after(at(5, 1, 59)), at(5, 2, 0));
        assert_eq!(s.next_extract_after(at(5, 2, 0)), at(6, 2, 0));
        assert_eq!(s.next_extract_after(at(5, 23, 0)), at(6, 2, 0));
        let s = Settings {
            extract_hour: 24,
            ..Settings::default()
        };
        assert_eq!(s.check(), Err("extract_hour must be from 0 to 23".into()));
    }

    #[test]
    fn sqlite_under_the_data_folder_is_the_default() {
        assert_eq!(
            Settings::default().database_url(),
            "sqlite://hearth-data/hearth.db"
        );
    }
}
