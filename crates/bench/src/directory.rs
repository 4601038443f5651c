//! `hearth-bench directory`: a directory the size of a large partnership's (10,000 services at
//! 2,000 locations by default), and the two things that must stay fast on it: a family's search
//! by keyword, postcode, distance and age, and a page of 50 from the Open Referral `/services`.

use crate::database::{self, Engine};
use crate::measure::{bar, percentile};
use crate::report;
use anyhow::Context;
use hearth_app::directory::{FindForm, OrukQuery};
use hearth_app::{Hearth, Policies};
use hearth_domain::directory::{Coordinates, Postcode, NEEDS};
use hearth_domain::vocabulary::Vocabulary;
use hearth_store::directory::{self as dir, DirectoryOrganisation, Location, ServiceEntry, LOCAL};
use hearth_store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use uuid::Uuid;

#[derive(clap::Args, Debug)]
pub struct DirectoryArgs {
    #[arg(long, default_value_t = 10_000)]
    services: usize,
    #[arg(long, default_value_t = 2_000)]
    locations: usize,
    /// Searches and API pages timed, each.
    #[arg(long, default_value_t = 500)]
    queries: usize,
    #[arg(long, value_enum, default_value_t = crate::Engines::Both)]
    engine: crate::Engines,
    #[arg(long, default_value_t = 20_261_122)]
    seed: u64,
    #[arg(
        long,
        env = "HEARTH_BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
    /// Keep the databases afterwards and print their URLs (to look at query plans).
    #[arg(long)]
    keep: bool,
}

const WORDS: &[&str] = &[
    "parenting",
    "play",
    "feeding",
    "youth",
    "debt",
    "advice",
    "wellbeing",
    "music",
    "sport",
    "reading",
    "cooking",
    "housing",
    "money",
    "baby",
    "toddler",
    "teen",
    "family",
    "carers",
];
const KINDS: &[&str] = &["group", "drop-in", "club", "support", "course", "clinic"];

/// Seeds the synthetic directory straight through the store, a few hundred services per
/// transaction. Returns the postcodes used, for the searches.
async fn seed(
    store: &Store,
    vocabulary: &Vocabulary,
    args: &DirectoryArgs,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<String>> {
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let needs: Vec<Uuid> = {
        let mut conn = store.read().await?;
        dir::all_terms_of(&mut conn, NEEDS.id.parse()?)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect()
    };
    let mut tx = store.write().await?;
    let mut postcodes = Vec::with_capacity(args.locations);
    let mut locations = Vec::with_capacity(args.locations);
    for n in 0..args.locations {
        // Nottingham and around: about 14 by 13 km.
        let (la, lo) = (rng.gen_range(52.90..53.02), rng.gen_range(-1.26..-1.06));
        let text = format!(
            "NG{} {}{}{}",
            n % 20 + 1,
            n / 400 % 10,
            (b'A' + (n % 20) as u8) as char,
            (b'A' + (n / 20 % 20) as u8) as char
        );
        let postcode = Postcode::parse(&text).context("a generated postcode")?;
        let at = Coordinates::new(la, lo).context("generated coordinates")?;
        dir::put_postcode(&mut tx, &postcode, at).await?;
        let id = Uuid::now_v7();
        dir::put_location(
            &mut tx,
            &Location {
                id,
                name: format!("Venue {n}"),
                description: None,
                address_id: Uuid::now_v7(),
                address_1: format!("{n} Example Road"),
                city: "Nottingham".into(),
                postal_code: postcode.as_str().into(),
                latitude: Some(la),
                longitude: Some(lo),
                family_hub: n % 50 == 0,
                accessibility_id: Uuid::now_v7(),
                accessibility: None,
                source: LOCAL.into(),
            },
            now,
        )
        .await?;
        postcodes.push(postcode.as_str().to_string());
        locations.push(id);
    }
    let mut organisations = Vec::new();
    for n in 0..200 {
        let o = DirectoryOrganisation {
            id: Uuid::now_v7(),
            name: format!("Provider {n}"),
            description: "A synthetic provider".into(),
            email: None,
            website: None,
            partner_organisation_id: None,
            source: LOCAL.into(),
        };
        dir::put_organisation(&mut tx, vocabulary, &o, now).await?;
        organisations.push(o.id);
    }
    Store::commit(tx).await?;
    let progress = bar(args.services, "services seeded")?;
    for chunk in 0..args.services.div_ceil(500) {
        let mut tx = store.write().await?;
        for n in chunk * 500..(chunk * 500 + 500).min(args.services) {
            let min = rng.gen_range(0..12) as f64;
            let entry = ServiceEntry {
                id: Uuid::now_v7(),
                organisation_id: organisations[n % organisations.len()],
                name: format!(
                    "{} {} {n}",
                    WORDS[rng.gen_range(0..WORDS.len())],
                    KINDS[rng.gen_range(0..KINDS.len())]
                ),
                description: format!(
                    "A {} {} for families, with {}.",
                    WORDS[rng.gen_range(0..WORDS.len())],
                    KINDS[rng.gen_range(0..KINDS.len())],
                    WORDS[rng.gen_range(0..WORDS.len())]
                ),
                url: None,
                email: None,
                status: hearth_domain::directory::ServiceStatus::Active,
                minimum_age: Some(min),
                maximum_age: Some(min + rng.gen_range(2..10) as f64),
                free: rng.gen_bool(0.7),
                cost_option_id: Uuid::now_v7(),
                cost_description: None,
                access: hearth_domain::directory::AccessMethod::DropIn,
                contact_id: Uuid::now_v7(),
                contact_name: None,
                phone_id: Uuid::now_v7(),
                phone: Some("0115 496 0000".into()),
                service_area_id: Uuid::now_v7(),
                service_area: None,
                last_reviewed: today,
                schedules: vec![dir::Schedule {
                    id: Uuid::now_v7(),
                    service_at_location_id: None,
                    byday: ["MO", "TU", "WE", "TH", "FR"][n % 5].into(),
                    opens_at: Some("10:00".into()),
                    closes_at: Some("12:00".into()),
                    description: None,
                }],
                languages: vec![dir::Language {
                    id: Uuid::now_v7(),
                    code: "en".into(),
                    name: "English".into(),
                }],
                locations: (0..rng.gen_range(1..=2))
                    .map(|_| dir::ServiceAtLocation {
                        id: Uuid::now_v7(),
                        location_id: locations[rng.gen_range(0..locations.len())],
                    })
                    .collect(),
                attributes: vec![dir::Attribute {
                    id: Uuid::now_v7(),
                    term_id: needs[n % needs.len()],
                }],
                translations: Vec::new(),
            };
            dir::put_service(&mut tx, vocabulary, &entry, true, LOCAL, None, now).await?;
            progress.inc(1);
        }
        Store::commit(tx).await?;
    }
    progress.finish_and_clear();
    Ok(postcodes)
}

/// p50 and p95 in milliseconds of `n` runs of `f`.
async fn time<F, Fut>(n: usize, mut f: F) -> anyhow::Result<(f64, f64, usize)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    for i in 0..n.min(20) {
        f(i).await?;
    }
    let mut ms = Vec::with_capacity(n);
    let mut found = 0;
    for i in 0..n {
        let started = Instant::now();
        found += f(i).await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((
        percentile(&ms, 50.0),
        percentile(&ms, 95.0),
        found / n.max(1),
    ))
}

pub async fn run(args: DirectoryArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let engines = args.engine.list();
    let mut rows = Vec::new();
    for engine in engines {
        let db = database::create(engine, &args.postgres).await?;
        let hearth = Hearth::new(db.store.clone(), Policies::default());
        hearth.ensure_directory_taxonomies().await?;
        let mut rng = StdRng::seed_from_u64(args.seed);
        let started = Instant::now();
        let postcodes = seed(&db.store, &hearth.policies().vocabulary, &args, &mut rng).await?;
        let seeded = started.elapsed().as_secs_f64();
        if engine == Engine::Postgres {
            // What autovacuum does after a bulk load (PostgreSQL 13 and later vacuum a table
            // after many inserts too): statistics, and the visibility map that lets the
            // `/services` listing read page ids from its index alone.
            let mut conn = db.store.read().await?;
            sqlx::query("VACUUM ANALYZE").execute(&mut *conn).await?;
        }
        // The seeding's writes flushed now, not by a checkpoint in the middle of the timings.
        let mut conn = db.store.read().await?;
        let flush = match engine {
            Engine::Postgres => "CHECKPOINT",
            Engine::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
        };
        sqlx::query(flush).execute(&mut *conn).await?;
        drop(conn);
        eprintln!("{}: seeded in {seeded:.1} s", engine.label());
        let searches: Vec<FindForm> = (0..args.queries)
            .map(|_| FindForm {
                q: WORDS[rng.gen_range(0..WORDS.len())].into(),
                postcode: postcodes[rng.gen_range(0..postcodes.len())].clone(),
                distance: ["1", "2", "5"][rng.gen_range(0..3)].into(),
                age: rng.gen_range(0..12).to_string(),
                ..FindForm::default()
            })
            .collect();
        let pages = args.services.div_ceil(50).max(1);
        let api: Vec<OrukQuery> = (0..args.queries)
            .map(|_| OrukQuery {
                page: rng.gen_range(1..=pages).to_string(),
                per_page: "50".into(),
                ..OrukQuery::default()
            })
            .collect();
        let search = time(args.queries, |i| {
            let hearth = &hearth;
            let form = &searches[i];
            async move {
                let f = hearth.find_services(form).await?;
                anyhow::ensure!(f.problems.is_empty(), "search problems: {:?}", f.problems);
                Ok(f.total as usize)
            }
        })
        .await?;
        let listing = time(args.queries, |i| {
            let hearth = &hearth;
            let q = &api[i];
            async move {
                let page = hearth.oruk_services(q).await?;
                let json = serde_json::to_vec(&page)?;
                Ok(json.len() / 1024)
            }
        })
        .await?;
        // The floor on this machine at this moment: one trivial query through the same pool.
        let floor = time(args.queries, |_| {
            let store = &db.store;
            async move {
                let mut conn = store.read().await?;
                let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *conn).await?;
                Ok(one as usize)
            }
        })
        .await?;
        rows.push((engine.label(), seeded, search, listing, floor));
        if args.keep {
            eprintln!("kept {} database at {}", engine.label(), db.url);
        } else {
            db.remove().await;
        }
    }
    let mut md = String::new();
    md.push_str(&format!("Machine: {}\n\n", report::machine()));
    md.push_str(&format!("Command: `{command}`\n\n"));
    md.push_str(&format!(
        "{} services at {} locations; {} timed runs of each, after 20 warm-up runs.\n\n",
        args.services, args.locations, args.queries
    ));
    md.push_str(&format!(
        "Load average (1, 5, 15 min) at the start: {load_before}; at the end: {}\n\n",
        report::load_average()
    ));
    md.push_str("| engine | seeding (s) | family search p50 / p95 (ms) | services found (mean) | `/services` page of 50 p50 / p95 (ms) | page size (KiB) | `SELECT 1` p50 / p95 (ms) |\n|---|---|---|---|---|---|---|\n");
    for (label, seeded, s, l, f) in &rows {
        md.push_str(&format!(
            "| {label} | {seeded:.1} | {:.2} / {:.2} | {} | {:.2} / {:.2} | {} | {:.3} / {:.3} |\n",
            s.0, s.1, s.2, l.0, l.1, l.2, f.0, f.1
        ));
    }
    println!("{md}");
    Ok(())
}
