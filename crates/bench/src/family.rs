//! A family with ten years of history: five episodes one after another (the first four closed
//! and signed off, with the family's feedback invitation; the latest open), 2,000 case notes
//! and 30 TAF reviews spread over them, each change written through the real use cases with a
//! clock that walks through the decade. The demo's front door (MASH) team, which oversees
//! Early Family Help led by a partner, has no manager, so the bench adds one to sign off. Then the pages a practitioner opens most — the person's record, the
//! episode and the first page of the chronology — are timed through the same use cases the
//! web pages call (audit writes included).

use crate::measure::{bar, percentile};
use chrono::{DateTime, Duration, Utc};
use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::front_door::{DecisionForm, RequestForm};
use hearth_app::{Actor, Hearth, Origin, Policies};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_store::Store;
use std::sync::{Arc, Mutex};
use std::time::Instant;

const PASSWORD: &str = "bench-demo-password-not-secret";
const EPISODES: usize = 5;
const REVIEWS_PER_EPISODE: usize = 6;

pub struct FamilyResult {
    pub engine: &'static str,
    pub notes: usize,
    pub reviews: usize,
    /// Episodes closed and signed off.
    pub closed: usize,
    pub seed_seconds: f64,
    /// (page, p50, p95, p99) in ms.
    pub pages: Vec<(&'static str, f64, f64, f64)>,
    pub subject_access: SubjectAccess,
}

/// A subject access request for the child, through the data protection officer's use cases.
pub struct SubjectAccess {
    pub items: usize,
    /// Gathering everything held (the review page's work), ms.
    pub gather_ms: f64,
    /// Releasing: gathering again and storing the document, ms.
    pub release_ms: f64,
    /// Reading the released document and making the PDF, ms.
    pub pdf_ms: f64,
    pub pdf_bytes: usize,
    pub json_bytes: usize,
}

/// Logs a request for the person as the demo's data protection officer (signing in with
/// `password`), and times its steps.
pub async fn subject_access(
    h: &Hearth,
    child: PersonId,
    password: &str,
) -> anyhow::Result<SubjectAccess> {
    use chrono::Datelike;
    let dpo = sign_in_with(h, "dpo@demo.hearth.test", password).await?;
    let today = h.now().date_naive();
    let id = h
        .log_subject_access(
            &dpo,
            &hearth_app::information_rights::SarForm {
                person: child.to_string(),
                requested_by: "Her mother".into(),
                identity_checked: "Passport seen".into(),
                received_day: today.day().to_string(),
                received_month: today.month().to_string(),
                received_year: today.year().to_string(),
                ..Default::default()
            },
        )
        .await
        .map_err(app)?;
    let t = Instant::now();
    let review = h.subject_access(&dpo, id).await.map_err(app)?;
    let gather_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    h.release_subject_access(&dpo, id).await.map_err(app)?;
    let release_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let document = h
        .released_subject_access(&dpo, id, "pdf")
        .await
        .map_err(app)?;
    let pdf = hearth_app::information_rights::pdf::pdf(&document)
        .map_err(|_| anyhow::anyhow!("the PDF's font could not be read"))?;
    let pdf_ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(SubjectAccess {
        items: review.sections.iter().map(|s| s.items.len()).sum(),
        gather_ms,
        release_ms,
        pdf_ms,
        pdf_bytes: pdf.len(),
        json_bytes: serde_json::to_vec_pretty(&document)?.len(),
    })
}

struct Clock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.0.lock() {
            *now += by;
        }
    }
}

async fn sign_in(h: &Hearth, email: &str) -> anyhow::Result<Actor> {
    sign_in_with(h, email, PASSWORD).await
}

pub(crate) async fn sign_in_with(h: &Hearth, email: &str, password: &str) -> anyhow::Result<Actor> {
    Ok(h.sign_in(email, password, Origin::default())
        .await
        .map_err(|e| anyhow::anyhow!("{email} could not sign in: {e:?}"))?
        .actor)
}

fn app(e: hearth_app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

const MASH_MANAGER: &str = "mash-manager@bench.hearth.test";

/// A manager for the front door (MASH) team, made at the server's console: one administrator
/// alone cannot give a family-record role (separation of duties), and the demo has one.
async fn add_mash_manager(h: &Hearth) -> anyhow::Result<()> {
    let officer = sign_in(h, "frontdoor@demo.hearth.test").await?;
    let team = officer
        .team_id
        .ok_or_else(|| anyhow::anyhow!("the front door officer has no team"))?;
    h.create_user(
        None,
        &hearth_app::accounts::admin::UserForm {
            email: MASH_MANAGER.into(),
            display_name: "Mo MASH-Manager".into(),
            job_title: "MASH team manager".into(),
            organisation_id: officer.organisation_id.to_string(),
            team_id: team.to_string(),
            roles: vec!["team_manager".into()],
            password: PASSWORD.into(),
            ..hearth_app::accounts::admin::UserForm::default()
        },
    )
    .await
    .map_err(app)?;
    Ok(())
}

/// The lead finishes the plan's actions and records the closure; the MASH manager signs it
/// off (which invites the family's feedback).
async fn close(h: &Hearth, lead: &Actor, episode: EpisodeId) -> anyhow::Result<()> {
    let plan = h.plan(lead, episode).await.map_err(app)?;
    for a in plan.plan.iter().flat_map(|p| p.fields.actions.iter()) {
        h.update_action(
            lead,
            episode,
            &a.id,
            &hearth_app::episodes::plan::ActionUpdateForm {
                status: "done".into(),
                note: "Jaxon walks to school with his mum most days".into(),
            },
        )
        .await
        .map_err(app)?;
    }
    let version = plan.episode.version;
    h.record_closure(
        lead,
        episode,
        &hearth_app::episodes::ClosureForm::from_pairs(&[
            ("reason".into(), "outcomes_met".into()),
            ("summary".into(), "Attendance is back above 95%".into()),
            ("result_education".into(), "achieved".into()),
            ("result_family_relationships".into(), "partly".into()),
            ("version".into(), version.to_string()),
        ]),
    )
    .await
    .map_err(app)?;
    let manager = sign_in(h, MASH_MANAGER).await?;
    h.decide_closure(
        &manager,
        episode,
        &hearth_app::episodes::SignOff::Approve,
        version + 1,
    )
    .await
    .map_err(app)?
    .ok_or_else(|| anyhow::anyhow!("signing off gave no feedback invitation"))?;
    Ok(())
}

/// What seeding made.
struct Seeded {
    child: PersonId,
    latest: EpisodeId,
    lead: Actor,
    reviews: usize,
    closed: usize,
}

/// Builds the family and its history.
async fn seed(h: &Hearth, clock: &Clock, notes: usize) -> anyhow::Result<Seeded> {
    add_mash_manager(h).await?;
    // Sessions expire as the clock walks ten years, so sign in afresh for each episode.
    let lead = sign_in(h, "lead@demo.hearth.test").await?;
    let found = h
        .search_people(
            &lead,
            &SearchForm {
                name: "Jaxon Whitmore-Adeyemi".into(),
                ..SearchForm::default()
            },
        )
        .await
        .map_err(app)?;
    let child = h
        .add_person(
            &lead,
            &PersonForm {
                search_id: found.search_id.to_string(),
                given_names: "Jaxon".into(),
                family_name: "Whitmore-Adeyemi".into(),
                dob: "14/05/2013".into(),
                address_line1: "9 Example Close".into(),
                postcode: "NG7 1AB".into(),
                ..PersonForm::default()
            },
        )
        .await
        .map_err(app)?;
    let per_episode = notes / EPISODES;
    let progress = bar(notes, "notes")?;
    let mut latest = None;
    let mut reviews = 0;
    let mut closed = 0;
    for round in 0..EPISODES {
        let lead = sign_in(h, "lead@demo.hearth.test").await?;
        let officer = sign_in(h, "frontdoor@demo.hearth.test").await?;
        let request = RequestForm::from_pairs(&[
            ("people".into(), child.to_string()),
            ("needs".into(), "education".into()),
            ("needs".into(), "family_relationships".into()),
            (
                "detail_education".into(),
                "Missing school two days a week".into(),
            ),
            (
                "detail_family_relationships".into(),
                "Arguments at home most evenings".into(),
            ),
            ("family_told".into(), "Mum knows".into()),
            ("consent".into(), "given".into()),
            ("urgency".into(), "routine".into()),
            ("safeguarding".into(), "no".into()),
        ]);
        let request = h
            .save_request(&lead, None, &request, true)
            .await
            .map_err(app)?;
        h.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "2".into(),
                outcome: "early_help".into(),
                rationale: "Emerging needs".into(),
                lead_user_id: lead.user_id.to_string(),
                ..DecisionForm::default()
            },
        )
        .await
        .map_err(app)?;
        let record = match h.person(&lead, child, None).await.map_err(app)? {
            hearth_app::family::PersonView::Full(r) => r,
            _ => anyhow::bail!("the lead cannot open the child's record"),
        };
        let episode = record
            .episodes
            .iter()
            .find(|e| e.status == hearth_domain::episode::EpisodeStatus::Open)
            .map(|e| e.id)
            .ok_or_else(|| anyhow::anyhow!("no open episode after the decision"))?;
        // A plan with one outcome, reviewed six times in the episode (30 in all).
        let plan = hearth_app::episodes::plan::PlanForm::from_pairs(&[
            (
                "outcome.0.text".into(),
                "Jaxon goes to school every day".into(),
            ),
            ("outcome.0.needs".into(), "education".into()),
            ("action.0.what".into(), "Walk to school together".into()),
            ("action.0.outcome".into(), "0".into()),
            ("action.0.owner".into(), format!("user:{}", lead.user_id)),
            ("action.0.status".into(), "in_progress".into()),
            (
                "action.0.due_on".into(),
                (h.now().date_naive() + Duration::days(300))
                    .format("%d/%m/%Y")
                    .to_string(),
            ),
        ]);
        h.save_plan(&lead, episode, &plan).await.map_err(app)?;
        let outcome = h
            .plan(&lead, episode)
            .await
            .map_err(app)?
            .plan
            .and_then(|p| p.fields.outcomes.first().map(|o| o.id.clone()))
            .ok_or_else(|| anyhow::anyhow!("the plan was not saved"))?;
        let review_every = (per_episode / REVIEWS_PER_EPISODE).max(1);
        for n in 0..per_episode {
            if n % review_every == review_every - 1 {
                let held = h.now().date_naive().format("%d/%m/%Y").to_string();
                let review = hearth_app::episodes::review::ReviewForm::from_pairs(&[
                    ("held_on".into(), held),
                    ("attendees".into(), "Mum, school, health visitor".into()),
                    ("decisions".into(), "Keep going".into()),
                    (
                        format!("progress.{outcome}.scale"),
                        ((n / review_every) % 11).to_string(),
                    ),
                ]);
                h.record_review(&lead, episode, &review)
                    .await
                    .map_err(app)?;
                reviews += 1;
            }
            // About 400 notes over ~18 months: a contact every day or two.
            clock.advance(Duration::hours(31));
            let occurred = h.now().date_naive().format("%d/%m/%Y").to_string();
            h.add_note(
                &lead,
                episode,
                &NoteForm {
                    kind: ["visit", "call", "meeting", "message"][n % 4].into(),
                    occurred_on: occurred,
                    participants: "Jaxon and his mum".into(),
                    child_seen: if n % 3 == 0 {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    body: format!(
                        "Contact {n} of episode {}: talked about school attendance, sleep and \
                         what is going well at home; agreed the next steps with mum.",
                        round + 1
                    ),
                    ..NoteForm::default()
                },
            )
            .await
            .map_err(app)?;
            progress.inc(1);
        }
        latest = Some(episode);
        if round + 1 < EPISODES {
            close(h, &lead, episode).await?;
            closed += 1;
        }
        // The next request comes some months later.
        clock.advance(Duration::days(120));
    }
    progress.finish_and_clear();
    let lead = sign_in(h, "lead@demo.hearth.test").await?;
    let latest = latest.ok_or_else(|| anyhow::anyhow!("no episode"))?;
    Ok(Seeded {
        child,
        latest,
        lead,
        reviews,
        closed,
    })
}

pub async fn run(
    store: Store,
    engine: &'static str,
    notes: usize,
    samples: usize,
) -> anyhow::Result<FamilyResult> {
    let start = Utc::now() - Duration::days(3650);
    let now = Arc::new(Mutex::new(start));
    let reading = now.clone();
    let h = Hearth::with_clock(
        store,
        Policies::default(),
        Arc::new(move || reading.lock().map(|t| *t).unwrap_or_else(|_| Utc::now())),
    );
    h.seed_demo(PASSWORD).await?;
    let clock = Clock(now);
    let started = Instant::now();
    let Seeded {
        child,
        latest: episode,
        lead,
        reviews,
        closed,
    } = seed(&h, &clock, notes).await?;
    let seed_seconds = started.elapsed().as_secs_f64();
    let mut pages = Vec::new();
    let mut time = |label: &'static str, millis: Vec<f64>| {
        pages.push((
            label,
            percentile(&millis, 50.0),
            percentile(&millis, 95.0),
            percentile(&millis, 99.0),
        ));
    };
    let mut family = Vec::with_capacity(samples);
    let mut episode_page = Vec::with_capacity(samples);
    let mut chronology = Vec::with_capacity(samples);
    for i in 0..samples + 20 {
        let t = Instant::now();
        h.person(&lead, child, None).await.map_err(app)?;
        let a = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        h.episode(&lead, episode).await.map_err(app)?;
        let b = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let page = h
            .chronology(&lead, child, &[], None, 1, None)
            .await
            .map_err(app)?;
        let c = t.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(page.entries.len() == 50 && page.more, "a full first page");
        // The first 20 warm the caches.
        if i >= 20 {
            family.push(a);
            episode_page.push(b);
            chronology.push(c);
        }
    }
    time("family record (person page)", family);
    time("episode page", episode_page);
    time("chronology, first page of 50", chronology);
    let subject_access = subject_access(&h, child, PASSWORD).await?;
    Ok(FamilyResult {
        engine,
        notes: notes / EPISODES * EPISODES,
        reviews,
        closed,
        seed_seconds,
        pages,
        subject_access,
    })
}

pub fn report(results: &[FamilyResult]) -> String {
    let mut md = String::from(
        "| Engine | Notes | Reviews | Closed episodes | Seeding | Page | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---|---:|---:|---:|\n",
    );
    for r in results {
        for (page, p50, p95, p99) in &r.pages {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {:.1} s | {page} | {p50:.2} | {p95:.2} | {p99:.2} |\n",
                r.engine, r.notes, r.reviews, r.closed, r.seed_seconds
            ));
        }
    }
    md.push_str(
        "\n| Engine | Subject access: items | Gather ms | Release ms | PDF ms | PDF size | JSON size |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        let s = &r.subject_access;
        md.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} KB | {:.0} KB |\n",
            r.engine,
            s.items,
            s.gather_ms,
            s.release_ms,
            s.pdf_ms,
            s.pdf_bytes as f64 / 1024.0,
            s.json_bytes as f64 / 1024.0
        ));
    }
    md
}
