//! `hearth-bench care`: the two things of issue 22 that must stay fast. The placement search:
//! a request's homes ranked (every home read, placed and ranked) with 2,000 homes and carers
//! (p95 under 50 ms). And the sufficiency picture on a generated city's children in care
//! (about 720 looked after, ten years of periods and placements; p95 under 300 ms).

use crate::database::{self, Engine};
use crate::family::sign_in_with;
use crate::measure::percentile;
use crate::report;
use hearth_app::care::{HomeForm, RequestForm, StartForm};
use hearth_app::demo::city::CityDemo;
use hearth_app::family::SearchForm;
use hearth_app::{Hearth, Policies};
use hearth_domain::directory::{Coordinates, Postcode};
use hearth_store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct CareArgs {
    /// Homes and fostering households to rank.
    #[arg(long, default_value_t = 2_000)]
    homes: usize,
    /// People in the city the children in care are drawn from.
    #[arg(long, default_value_t = 40_000)]
    people: usize,
    /// Timed runs of each, after 10 warm-up runs.
    #[arg(long, default_value_t = 200)]
    samples: usize,
    #[arg(long, value_enum, default_value_t = crate::Engines::Both)]
    engine: crate::Engines,
    #[arg(long, default_value_t = 20_261_206)]
    seed: u64,
    #[arg(
        long,
        env = "HEARTH_BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
}

const PASSWORD: &str = crate::DEMO_PASSWORD;

/// p50 and p95 of `n` timed runs of `f` after ten untimed ones.
async fn time<F, Fut>(n: usize, mut f: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for _ in 0..10 {
        f().await?;
    }
    let mut ms = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        f().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((percentile(&ms, 50.0), percentile(&ms, 95.0)))
}

fn app(e: hearth_app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Postcodes in and around the city and further away, with where they are.
async fn postcodes(store: &Store, rng: &mut StdRng) -> anyhow::Result<Vec<String>> {
    let mut tx = store.write().await?;
    let mut out = Vec::new();
    for n in 0..300 {
        // Most within 20 miles of the centre; a few up to 60.
        let spread = if n % 5 == 0 { 0.8 } else { 0.25 };
        let la = 52.953 + rng.gen_range(-spread..spread);
        let lo = -1.15 + rng.gen_range(-spread..spread) * 1.6;
        let text = format!(
            "NG{} {}{}{}",
            n % 20 + 1,
            n / 20 % 10,
            (b'P' + (n % 8) as u8) as char,
            (b'Q' + (n / 8 % 8) as u8) as char
        );
        let (Some(p), Some(at)) = (Postcode::parse(&text), Coordinates::new(la, lo)) else {
            continue;
        };
        hearth_store::directory::put_postcode(&mut tx, &p, at).await?;
        out.push(text);
    }
    Store::commit(tx).await?;
    Ok(out)
}

fn home(n: usize, postcode: &str, rng: &mut StdRng) -> HomeForm {
    let (route, kind) = [
        ("in_house", "U4"),
        ("in_house", "U6"),
        ("block", "K2"),
        ("framework", "U6"),
        ("framework", "K2"),
        ("spot", "K2"),
        ("spot", "H5"),
    ][n % 7];
    let offers = [
        "teenagers",
        "sibling_groups",
        "under_threes",
        "disability",
        "therapeutic",
    ];
    HomeForm {
        name: format!("Home {n}"),
        provider_id: String::new(),
        provider: format!("Provider {}", n % 60),
        route: route.into(),
        placement_type: kind.into(),
        ofsted_urn: String::new(),
        rating: ["outstanding", "good", "good", "requires_improvement", ""][n % 5].into(),
        rated_day: "1".into(),
        rated_month: "6".into(),
        rated_year: "2025".into(),
        registered_places: "4".into(),
        vacancies: rng.gen_range(0..4).to_string(),
        age_from: ["0", "8", "11"][n % 3].into(),
        age_to: "17".into(),
        offers: offers
            .iter()
            .filter(|_| rng.gen_bool(0.4))
            .map(|o| o.to_string())
            .collect(),
        postcode: postcode.into(),
        weekly_cost: (400 + rng.gen_range(0..5_000)).to_string(),
        version: String::new(),
    }
}

struct Row {
    engine: &'static str,
    homes: usize,
    proposed: usize,
    search: (f64, f64),
    /// The search after a change: every home read again.
    search_cold: (f64, f64),
    looked_after: String,
    picture: (f64, f64),
    /// The picture with figures kept, as a server keeps them (`figures_kept`, 300 s).
    picture_kept: (f64, f64),
    seeded: f64,
}

async fn one(engine: Engine, args: &CareArgs) -> anyhow::Result<Row> {
    let db = database::create(engine, &args.postgres).await?;
    let h = Hearth::new(db.store.clone(), Policies::default());
    let started = Instant::now();
    h.seed_demo(PASSWORD).await.map_err(app)?;
    h.seed_demo_care().await.map_err(app)?;
    let officer = sign_in_with(&h, "placements@demo.hearth.test", PASSWORD).await?;
    let sw = sign_in_with(&h, "social-worker@demo.hearth.test", PASSWORD).await?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let places = postcodes(&db.store, &mut rng).await?;
    let existing = h.care_homes(&officer).await.map_err(app)?.len();
    for n in existing..args.homes {
        let form = home(n, &places[rng.gen_range(0..places.len())], &mut rng);
        h.save_care_home(&officer, None, &form).await.map_err(app)?;
    }
    // Daniel, 14, in the demo: into care, and a home asked for him and his brother.
    let found = h
        .search_people(
            &sw,
            &SearchForm {
                name: "Daniel Okafor".into(),
                ..SearchForm::default()
            },
        )
        .await
        .map_err(app)?;
    let daniel = found
        .results
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo has no Daniel Okafor"))?
        .id;
    let today = h.now().date_naive();
    h.start_care(
        &sw,
        daniel,
        &StartForm {
            start_day: chrono::Datelike::day(&today).to_string(),
            start_month: chrono::Datelike::month(&today).to_string(),
            start_year: chrono::Datelike::year(&today).to_string(),
            legal_status: "C2".into(),
            category_of_need: "N1".into(),
            home_postcode: "NG7 5AA".into(),
            uasc: String::new(),
        },
    )
    .await
    .map_err(app)?;
    let request = h
        .request_placement(
            &sw,
            daniel,
            &RequestForm {
                urgency: "this_week".into(),
                needs: vec!["teenagers".into()],
                wishes: "I want to live with my brother Sam.".into(),
                siblings: "1".into(),
                max_miles: "40".into(),
                ..RequestForm::default()
            },
        )
        .await
        .map_err(app)?;
    // The city's children in care, drawn from its people.
    let population = hearth_synthetic::population::generate(args.people, args.seed)?;
    hearth_synthetic::load::load(&db.store, &population, args.seed, "people").await?;
    let report = h
        .seed_city_care(&CityDemo {
            scale: 1.0,
            seed: args.seed,
            years: 10,
            today,
        })
        .await
        .map_err(app)?;
    db.store.analyze().await?;
    let seeded = started.elapsed().as_secs_f64();
    eprintln!(
        "{}: seeded in {seeded:.1} s ({} periods, {} placements, {} homes generated)",
        engine.label(),
        report.periods,
        report.placements,
        report.homes
    );
    let homes = h.care_homes(&officer).await.map_err(app)?.len();
    let proposed = h
        .placement_request(&officer, request)
        .await
        .map_err(app)?
        .proposed
        .len();
    let search = time(args.samples, || {
        let (h, officer) = (&h, &officer);
        async move {
            h.placement_request(officer, request).await.map_err(app)?;
            Ok(())
        }
    })
    .await?;
    // The first search after any change to homes, providers or contracts reads every home
    // again: a new Hearth each time has none kept (making one takes microseconds).
    let search_cold = time(args.samples, || {
        let (store, officer) = (db.store.clone(), &officer);
        async move {
            let fresh = Hearth::new(store, Policies::default());
            fresh
                .placement_request(officer, request)
                .await
                .map_err(app)?;
            Ok(())
        }
    })
    .await?;
    let looked_after = h
        .sufficiency(&officer, today, false)
        .await
        .map_err(app)?
        .tables
        .first()
        .and_then(|t| t.lines.first())
        .and_then(|l| l.1.first())
        .cloned()
        .unwrap_or_default();
    let picture = time(args.samples, || {
        let (h, officer) = (&h, &officer);
        async move {
            h.sufficiency(officer, today, false).await.map_err(app)?;
            Ok(())
        }
    })
    .await?;
    let keeping = Hearth::new(
        db.store.clone(),
        Policies {
            figures_kept: std::time::Duration::from_secs(300),
            ..Policies::default()
        },
    );
    let picture_kept = time(args.samples, || {
        let (h, officer) = (&keeping, &officer);
        async move {
            h.sufficiency(officer, today, false).await.map_err(app)?;
            Ok(())
        }
    })
    .await?;
    db.remove().await;
    Ok(Row {
        engine: engine.label(),
        homes,
        proposed,
        search,
        search_cold,
        looked_after,
        picture,
        picture_kept,
        seeded,
    })
}

pub async fn run(args: CareArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let engines = args.engine.list();
    let mut rows = Vec::new();
    for engine in engines {
        rows.push(one(engine, &args).await?);
    }
    let mut md = format!(
        "Machine: {}\n\nCommand: `{command}`\n\nLoad average (1, 5, 15 min) at the start: {load_before}; at the end: {}\n\n{} timed runs of each, after 10 warm-up runs.\n\n",
        report::machine(),
        report::load_average(),
        args.samples
    );
    md.push_str("| engine | seeding (s) | homes ranked | homes proposed | placement search p50 / p95 (ms) | after a change p50 / p95 (ms) | looked after | sufficiency picture worked out p50 / p95 (ms) | kept p50 / p95 (ms) |\n|---|---|---|---|---|---|---|---|---|\n");
    for r in &rows {
        md.push_str(&format!(
            "| {} | {:.1} | {} | {} | {:.1} / {:.1} | {:.1} / {:.1} | {} | {:.1} / {:.1} | {:.2} / {:.2} |\n",
            r.engine,
            r.seeded,
            r.homes,
            r.proposed,
            r.search.0,
            r.search.1,
            r.search_cold.0,
            r.search_cold.1,
            r.looked_after,
            r.picture.0,
            r.picture.1,
            r.picture_kept.0,
            r.picture_kept.1
        ));
    }
    println!("{md}");
    Ok(())
}
