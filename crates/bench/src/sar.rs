//! Subject access for the busiest person in a database already seeded (the city demo): the
//! person on the most chronology lines, through the data protection officer's use cases, timed
//! as `hearth-bench family` times its own family's child.

use crate::database;
use crate::family::subject_access;
use crate::report;
use hearth_app::{Hearth, Policies};
use hearth_domain::ids::PersonId;
use sqlx::Row;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct SarArgs {
    /// The seeded database (`sqlite://…` or `postgres://…`), e.g. the load test's city.
    #[arg(long)]
    database: String,
    /// The demo accounts' password the database was seeded with.
    #[arg(long, env = "HEARTH_DEMO_PASSWORD", default_value = "family-help-demo")]
    password: String,
    /// The person to ask about; by default the one on the most chronology lines.
    #[arg(long)]
    person: Option<PersonId>,
}

pub async fn run(args: SarArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let db = database::existing(&args.database).await?;
    let t = Instant::now();
    let (person, lines) = match args.person {
        Some(p) => (p, None),
        None => {
            let (p, n) = busiest(&db.store).await?;
            (p, Some(n))
        }
    };
    let found_s = t.elapsed().as_secs_f64();
    let h = Hearth::new(db.store.clone(), Policies::default());
    let s = subject_access(&h, person, &args.password).await?;
    db.store.close().await;
    println!(
        "Machine: {}\n\nCommand: `{command}`\n\nLoad average at start: {load_before}; at end: {}\n\nPerson {person}{} (found in {found_s:.1} s)\n\n| Items | Gather ms | Release ms | PDF ms | PDF size | JSON size |\n|---:|---:|---:|---:|---:|---:|\n| {} | {:.0} | {:.0} | {:.0} | {:.0} KB | {:.0} KB |",
        report::machine(),
        report::load_average(),
        lines.map(|n| format!(", on {n} chronology lines")).unwrap_or_default(),
        s.items,
        s.gather_ms,
        s.release_ms,
        s.pdf_ms,
        s.pdf_bytes as f64 / 1024.0,
        s.json_bytes as f64 / 1024.0
    );
    Ok(())
}

/// The person on the most chronology lines, and how many.
async fn busiest(store: &hearth_store::Store) -> anyhow::Result<(PersonId, i64)> {
    let mut conn = store.read().await?;
    let row = sqlx::query(
        "SELECT person_id, COUNT(*) AS n FROM chronology_people
         GROUP BY person_id ORDER BY n DESC, person_id LIMIT 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    let id: String = row.try_get("person_id")?;
    Ok((id.parse()?, row.try_get("n")?))
}
