//! Practitioners' real journeys, as goose transactions: each signs in as a different account
//! of the city demo and then, with think time between steps, opens My work, searches, checks
//! before adding a person, opens a family's episode, record and chronology, writes a case
//! note and updates a plan action. Front-door officers read the queue, send a request for a
//! family and decide it. Every step is a named request so each gets its own percentiles.

use crate::page;
use goose::goose::GooseResponse;
use goose::metrics::GooseRequestMetric;
use goose::prelude::*;
use rand::seq::SliceRandom;
use rand::Rng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Who signs in: the city demo's accounts (`hearth demo --scale …`).
#[derive(Debug, Clone)]
pub struct Accounts {
    pub domain: String,
    pub password: String,
    pub workers: usize,
    pub partners: usize,
    pub officers: usize,
}

static ACCOUNTS: OnceLock<Accounts> = OnceLock::new();

pub fn use_accounts(a: Accounts) {
    // Set once per process; a second attack in the same run uses the same accounts.
    let _ = ACCOUNTS.set(a);
}

fn accounts() -> &'static Accounts {
    ACCOUNTS.get_or_init(|| Accounts {
        domain: String::new(),
        password: String::new(),
        workers: 0,
        partners: 0,
        officers: 0,
    })
}

/// A practitioner's state between steps.
#[derive(Debug, Default)]
pub(crate) struct Session {
    pub(crate) csrf: String,
    /// A hub worker's session of thirty booked, whose register they mark.
    pub(crate) register: Option<String>,
    episodes: Vec<String>,
    episode: Option<String>,
    person: Option<String>,
    found: Vec<String>,
}

/// Steps, in the order a practitioner takes them.
pub const STEPS: &[&str] = &[
    "my work",
    "search by name",
    "find before create",
    "open episode",
    "open family record",
    "chronology",
    "add case note",
    "open plan",
    "update plan action",
    "front door queue",
    "send request",
    "decision form",
    "decide",
    "partnership dashboard",
    "partnership dashboard, filtered",
    "team dashboard",
    "hubs: open register of 30",
    "hubs: save register of 30",
    "hubs: one mark (script)",
    "hubs: reach over ten years",
];

const SURNAMES: &[&str] = &[
    "Smith", "Khan", "Begum", "Brown", "Wilson", "Hussain", "Taylor", "Ahmed", "Kowalski",
    "Popescu", "Singh", "Johnson", "Evans", "Ali", "Nowak",
];
const GIVEN: &[&str] = &[
    "Jack", "Amelia", "Mohammed", "Olivia", "Aisha", "Harry", "Zara", "Oliver", "Maja", "Leo",
];

/// A page as the journey saw it: where the redirects ended, the body, the request's metric
/// (to mark it failed when the page lacks what the journey needs), and how long the server
/// asked to be left before trying again when it was too busy (503 with `Retry-After`).
pub(crate) struct Page {
    pub(crate) url: String,
    pub(crate) body: String,
    metric: GooseRequestMetric,
    retry_after: Option<std::time::Duration>,
}

/// How often a practitioner tries to sign in while the server says it is too busy.
const SIGN_IN_ATTEMPTS: u32 = 5;

async fn read(user: &mut GooseUser, goose: GooseResponse) -> Result<Page, Box<TransactionError>> {
    let mut metric = goose.request;
    match goose.response {
        Ok(r) => {
            let url = r.url().path().to_string();
            let retry_after = (r.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE)
                .then(|| r.headers().get(reqwest::header::RETRY_AFTER))
                .flatten()
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .map(std::time::Duration::from_secs);
            match r.text().await {
                Ok(body) => Ok(Page {
                    url,
                    body,
                    metric,
                    retry_after,
                }),
                Err(e) => {
                    user.set_failure(&format!("reading the body: {e}"), &mut metric, None, None)?;
                    Ok(Page {
                        url,
                        body: String::new(),
                        metric,
                        retry_after,
                    })
                }
            }
        }
        Err(e) => {
            user.set_failure(&format!("no response: {e}"), &mut metric, None, None)?;
            Ok(Page {
                url: String::new(),
                body: String::new(),
                metric,
                retry_after: None,
            })
        }
    }
}

pub(crate) async fn get(
    user: &mut GooseUser,
    path: &str,
    step: &str,
) -> Result<Page, Box<TransactionError>> {
    let request = GooseRequest::builder().path(path).name(step).build();
    let goose = user.request(request).await?;
    read(user, goose).await
}

pub(crate) async fn post(
    user: &mut GooseUser,
    path: &str,
    step: &str,
    form: &[(&str, String)],
) -> Result<Page, Box<TransactionError>> {
    let builder = user
        .get_request_builder(&GooseMethod::Post, path)?
        .form(form);
    let request = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(path)
        .name(step)
        .set_request_builder(builder)
        .build();
    let goose = user.request(request).await?;
    read(user, goose).await
}

/// Marks the page's request failed when it lacks what the journey needs.
pub(crate) fn require(
    user: &mut GooseUser,
    ok: bool,
    page: &mut Page,
    why: &str,
) -> TransactionResult {
    if ok {
        return Ok(());
    }
    user.set_failure(why, &mut page.metric, None, Some(&page.body))
}

pub(crate) fn session(user: &mut GooseUser) -> &mut Session {
    if user.get_session_data::<Session>().is_none() {
        user.set_session_data(Session::default());
    }
    user.get_session_data_unchecked_mut::<Session>()
}

pub(crate) async fn sign_in_as(user: &mut GooseUser, email: String) -> TransactionResult {
    let password = accounts().password.clone();
    let mut attempt = 1;
    loop {
        let form = get(user, "/sign-in", "sign in (form)").await?;
        let token = page::csrf(&form.body).unwrap_or_default();
        let mut home = match form.retry_after {
            Some(_) => form,
            None => {
                post(
                    user,
                    "/sign-in",
                    "sign in",
                    &[
                        ("csrf_token", token),
                        ("email", email.clone()),
                        ("password", password.clone()),
                    ],
                )
                .await?
            }
        };
        // Turned away as too busy (already counted as an error): as a person would, wait as
        // asked and try again, rather than carry on signed out.
        if let (Some(wait), true) = (home.retry_after, attempt < SIGN_IN_ATTEMPTS) {
            attempt += 1;
            tokio::time::sleep(wait).await;
            continue;
        }
        let csrf = page::csrf(&home.body);
        let ok = csrf.is_some() && home.body.contains("Sign out");
        require(user, ok, &mut home, &format!("{email} could not sign in"))?;
        let s = session(user);
        s.csrf = csrf.unwrap_or_default();
        s.episodes = page::caseload(&home.body);
        return Ok(());
    }
}

/// Practitioners alternate between Family Help Workers and partners' lead professionals.
pub async fn sign_in_practitioner(user: &mut GooseUser) -> TransactionResult {
    let a = accounts();
    let n = user.weighted_users_index;
    let email = if (n.is_multiple_of(2) && a.workers > 0) || a.partners == 0 {
        format!("worker{}@{}", (n / 2) % a.workers.max(1) + 1, a.domain)
    } else {
        format!("partner{}@{}", (n / 2) % a.partners.max(1) + 1, a.domain)
    };
    sign_in_as(user, email).await
}

pub async fn sign_in_officer(user: &mut GooseUser) -> TransactionResult {
    let a = accounts();
    let email = format!(
        "officer{}@{}",
        user.weighted_users_index % a.officers.max(1) + 1,
        a.domain
    );
    sign_in_as(user, email).await
}

pub async fn my_work(user: &mut GooseUser) -> TransactionResult {
    let page = get(user, "/", "my work").await?;
    let episodes = page::caseload(&page.body);
    let s = session(user);
    if !episodes.is_empty() {
        s.episodes = episodes;
    }
    s.episode = s.episodes.choose(&mut rand::thread_rng()).cloned();
    Ok(())
}

fn name() -> String {
    let mut rng = rand::thread_rng();
    format!(
        "{} {}",
        GIVEN.choose(&mut rng).copied().unwrap_or("Jack"),
        SURNAMES.choose(&mut rng).copied().unwrap_or("Smith")
    )
}

pub async fn search(user: &mut GooseUser) -> TransactionResult {
    let csrf = session(user).csrf.clone();
    let page = post(
        user,
        "/people/search",
        "search by name",
        &[("csrf_token", csrf), ("name", name())],
    )
    .await?;
    session(user).found = page::linked_ids(&page.body, "/people/");
    Ok(())
}

pub async fn find_before_create(user: &mut GooseUser) -> TransactionResult {
    let csrf = session(user).csrf.clone();
    let (dob, postcode) = {
        let mut rng = rand::thread_rng();
        (
            format!(
                "{:02}/{:02}/{}",
                rng.gen_range(1..29),
                rng.gen_range(1..13),
                rng.gen_range(2008..2024)
            ),
            format!(
                "NG{} {}{}",
                rng.gen_range(1..12),
                rng.gen_range(1..9),
                ["AB", "DE", "FG", "HJ"][rng.gen_range(0..4)]
            ),
        )
    };
    post(
        user,
        "/people/search",
        "find before create",
        &[
            ("csrf_token", csrf),
            ("name", name()),
            ("dob", dob),
            ("postcode", postcode),
        ],
    )
    .await?;
    Ok(())
}

pub async fn open_episode(user: &mut GooseUser) -> TransactionResult {
    let Some(episode) = session(user).episode.clone() else {
        return Ok(());
    };
    let mut page = get(user, &format!("/episodes/{episode}"), "open episode").await?;
    let people = page::linked_ids(&page.body, "/people/");
    require(
        user,
        !people.is_empty(),
        &mut page,
        "the episode page names no family member",
    )?;
    session(user).person = people.choose(&mut rand::thread_rng()).cloned();
    Ok(())
}

pub async fn open_record(user: &mut GooseUser) -> TransactionResult {
    let Some(person) = session(user).person.clone() else {
        return Ok(());
    };
    get(user, &format!("/people/{person}"), "open family record").await?;
    Ok(())
}

pub async fn chronology(user: &mut GooseUser) -> TransactionResult {
    let Some(person) = session(user).person.clone() else {
        return Ok(());
    };
    get(user, &format!("/people/{person}/chronology"), "chronology").await?;
    Ok(())
}

pub async fn add_note(user: &mut GooseUser) -> TransactionResult {
    let s = session(user);
    let (Some(episode), csrf) = (s.episode.clone(), s.csrf.clone()) else {
        return Ok(());
    };
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    let mut page = post(
        user,
        &format!("/episodes/{episode}/notes"),
        "add case note",
        &[
            ("csrf_token", csrf),
            ("kind", "call".into()),
            ("occurred_on", today),
            ("participants", "Mum".into()),
            (
                "body",
                "Rang mum to check how the new morning routine is going; she says it helps.".into(),
            ),
            ("visibility", "taf".into()),
        ],
    )
    .await?;
    // A saved note redirects back to the episode; a refused one shows the form with errors.
    let ok = !page.body.contains("govuk-error-summary");
    require(user, ok, &mut page, "the note was not saved")
}

pub async fn update_action(user: &mut GooseUser) -> TransactionResult {
    let s = session(user);
    let (Some(episode), csrf) = (s.episode.clone(), s.csrf.clone()) else {
        return Ok(());
    };
    let plan = get(user, &format!("/episodes/{episode}/plan"), "open plan").await?;
    let Some(action) = page::plan_actions(&plan.body)
        .choose(&mut rand::thread_rng())
        .cloned()
    else {
        return Ok(());
    };
    let mut page = post(
        user,
        &format!("/episodes/{episode}/plan/actions/{action}"),
        "update plan action",
        &[
            ("csrf_token", csrf),
            ("status", "in_progress".into()),
            ("note", "Talked it through at the visit.".into()),
        ],
    )
    .await?;
    let ok = !page.body.contains("govuk-error-summary");
    require(user, ok, &mut page, "the action was not updated")
}

pub async fn front_door(user: &mut GooseUser) -> TransactionResult {
    let csrf = session(user).csrf.clone();
    get(user, "/front-door", "front door queue").await?;
    // A family to ask about: anyone the officer's search finds.
    let mut person = None;
    for _ in 0..5 {
        let page = post(
            user,
            "/people/search",
            "search by name",
            &[("csrf_token", csrf.clone()), ("name", name())],
        )
        .await?;
        person = page::linked_ids(&page.body, "/people/").into_iter().next();
        if person.is_some() {
            break;
        }
    }
    let Some(person) = person else {
        return Ok(());
    };
    let mut sent = post(
        user,
        "/requests/new",
        "send request",
        &[
            ("csrf_token", csrf.clone()),
            ("people", person),
            ("needs", "education".into()),
            ("detail_education", "Late most mornings this term.".into()),
            ("family_told", "Mum knows and agreed.".into()),
            ("consent", "given".into()),
            ("urgency", "routine".into()),
            ("safeguarding", "no".into()),
        ],
    )
    .await?;
    let request = sent
        .url
        .strip_prefix("/requests/")
        .filter(|id| id.len() == 36)
        .map(str::to_string);
    require(
        user,
        request.is_some(),
        &mut sent,
        "the request was not sent",
    )?;
    let Some(request) = request else {
        return Ok(());
    };
    get(
        user,
        &format!("/requests/{request}/decide"),
        "decision form",
    )
    .await?;
    let mut decided = post(
        user,
        &format!("/requests/{request}/decide"),
        "decide",
        &[
            ("csrf_token", csrf),
            ("level", "1".into()),
            ("outcome", "signpost".into()),
            ("rationale", "Universal services can meet this need.".into()),
            ("signposted_to", "Family Hub stay-and-play".into()),
        ],
    )
    .await?;
    let ok = !decided.body.contains("govuk-error-summary");
    require(user, ok, &mut decided, "the decision was not recorded")
}

/// Those who read the dashboards: the partnership's analyst (the demo's, present in every
/// city) and the managers of six teams, one after the other.
pub async fn sign_in_reader(user: &mut GooseUser) -> TransactionResult {
    let index = user.weighted_users_index;
    let email = if index.is_multiple_of(2) {
        "analyst@demo.hearth.test".to_string()
    } else {
        format!("manager{}@{}", 1 + (index / 2) % 6, accounts().domain)
    };
    sign_in_as(user, email).await
}

/// The localities and languages an analyst narrows the dashboard to: 24 sets of figures.
const LOCALITIES: [&str; 4] = ["Bestwood", "Broxtowe", "Hyson+Green", "Meadows"];
const LANGUAGES: [&str; 6] = ["Urdu", "Polish", "Arabic", "Romanian", "Punjabi", "English"];

/// The analyst reads the partnership's dashboard whole, then narrowed to a locality and a
/// language chosen at random; a manager reads their team's.
pub async fn dashboards(user: &mut GooseUser) -> TransactionResult {
    if user.weighted_users_index.is_multiple_of(2) {
        let mut page = get(user, "/reports", "partnership dashboard").await?;
        let ok = page.body.contains("Needs met through the early help");
        require(
            user,
            ok,
            &mut page,
            "the partnership dashboard is incomplete",
        )?;
        let (locality, language) = {
            let mut rng = rand::thread_rng();
            (
                LOCALITIES[rng.gen_range(0..LOCALITIES.len())],
                LANGUAGES[rng.gen_range(0..LANGUAGES.len())],
            )
        };
        let mut page = get(
            user,
            &format!("/reports?scope=partnership&locality={locality}&language={language}"),
            "partnership dashboard, filtered",
        )
        .await?;
        let ok = page.body.contains("Clear the filters");
        require(user, ok, &mut page, "the filtered dashboard is incomplete")
    } else {
        let mut page = get(user, "/reports?scope=team", "team dashboard").await?;
        let ok = page.body.contains("Episodes of Family Help closed");
        require(user, ok, &mut page, "the team dashboard is incomplete")
    }
}

/// Warm-up readers taken so far: the first is the analyst, the next six the teams' managers.
static WARMERS: AtomicUsize = AtomicUsize::new(0);
/// The analyst and the six teams' managers who read every set of figures once in the warm-up.
pub const FIGURES_WARMERS: usize = 7;

/// Warm-up: every set of figures the readers will ask for is read once, as on a server that
/// has been running: the analyst's partnership dashboard, its 24 filters and the hubs' reach,
/// or a manager's team dashboard.
pub async fn warm_figures(user: &mut GooseUser) -> TransactionResult {
    let n = WARMERS.fetch_add(1, Ordering::Relaxed) % FIGURES_WARMERS;
    if n > 0 {
        sign_in_as(user, format!("manager{n}@{}", accounts().domain)).await?;
        get(user, "/reports?scope=team", "warm-up: team dashboard").await?;
        return Ok(());
    }
    sign_in_as(user, "analyst@demo.hearth.test".to_string()).await?;
    get(user, "/reports", "warm-up: partnership dashboard").await?;
    for locality in LOCALITIES {
        for language in LANGUAGES {
            let path =
                format!("/reports?scope=partnership&locality={locality}&language={language}");
            get(user, &path, "warm-up: filtered dashboard").await?;
        }
    }
    crate::hubs::reach(user).await
}

pub async fn healthz(user: &mut GooseUser) -> TransactionResult {
    get(user, "/healthz", "/healthz").await?;
    Ok(())
}
