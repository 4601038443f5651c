//! Where the time goes. `Hearth::search_people` is a black box from outside, so this replays
//! its stages through the same public store and domain functions, in the same order, with a
//! clock around each: blocking, loading candidates, scoring, loading the shown results one by
//! one (person, relationships, address, involvements) and the audit write.
//!
//! Keep `current` in step with `crates/app/src/family.rs::search_people`; it exists only to
//! attribute time, and its recall is checked against the real use case in the report.

use crate::measure::{percentile, Run};
use crate::queries::Labelled;
use chrono::{Datelike, NaiveDate, Utc};
use hearth_app::Actor;
use hearth_domain::access::{decide, RecordAction};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::PersonId;
use hearth_domain::matching::{self, Candidate, PersonQuery};
use hearth_store::people::{self, Blocking};
use hearth_store::{audit, involvements, Store};
use std::fmt::Write;
use std::time::Instant;

mod proposals;

use proposals::{proposed, PROPOSALS};

/// What the search form yields once parsed, as `search_people` builds it.
pub struct Parsed {
    pub words: Vec<String>,
    pub query: PersonQuery,
    pub blocking: Blocking,
}

pub fn parse(q: &Labelled) -> Parsed {
    let dob = NaiveDate::parse_from_str(q.dob.trim(), "%d/%m/%Y").ok();
    let words: Vec<String> = matching::normalise(&q.name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let (given, family) = match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] => (String::new(), one.clone()),
        [first @ .., last] => (first.join(" "), last.clone()),
    };
    let query = PersonQuery {
        given_names: given.clone(),
        family_name: family.clone(),
        dob,
        postcode: Some(q.postcode.clone()).filter(|p| !p.trim().is_empty()),
        nhs_number: None,
        upn: None,
    };
    let mut dobs: Vec<NaiveDate> = dob.into_iter().collect();
    if let Some(d) = dob {
        dobs.extend(NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).filter(|s| *s != d));
    }
    let blocking = Blocking {
        family_key: Some(matching::family_key(&family)).filter(|k| !k.is_empty()),
        given_key: Some(matching::given_key(&given)).filter(|k| !k.is_empty()),
        dobs,
        postcode_key: query.postcode.as_deref().map(matching::postcode_key),
        nhs_number: None,
        upn: None,
        prefixes: words.iter().filter(|w| w.len() >= 2).cloned().collect(),
    };
    Parsed {
        words,
        query,
        blocking,
    }
}

/// Scores candidates as `search_people` does (straight, then words rotated), best first.
pub fn score_all(p: &Parsed, candidates: &[(PersonId, Candidate)]) -> Vec<(PersonId, u32)> {
    score_ranked(p, candidates, false)
}

/// Scores as `search_people` does; with `tie_break`, people with the same score are ordered
/// by how close their full name is to what was typed (Jaro-Winkler), instead of by id.
pub fn score_ranked(
    p: &Parsed,
    candidates: &[(PersonId, Candidate)],
    tie_break: bool,
) -> Vec<(PersonId, u32)> {
    let mut scored: Vec<(PersonId, u32)> = candidates
        .iter()
        .filter_map(|(id, c)| {
            let m = matching::score(&p.query, c).or_else(|| prefix_match(&p.words, c))?;
            Some((*id, m.score))
        })
        .collect();
    if p.words.len() >= 2 {
        let rotated = PersonQuery {
            given_names: p.words[1..].join(" "),
            family_name: p.words[0].clone(),
            ..p.query.clone()
        };
        for (id, c) in candidates {
            if let Some(m) = matching::score(&rotated, c) {
                match scored.iter_mut().find(|(i, _)| i == id) {
                    Some((_, best)) if *best >= m.score => {}
                    Some((_, best)) => *best = m.score,
                    None => scored.push((*id, m.score)),
                }
            }
        }
    }
    if tie_break {
        let typed = p.words.join(" ");
        let rotated = p
            .words
            .split_first()
            .map(|(first, rest)| {
                let mut w = rest.to_vec();
                w.push(first.clone());
                w.join(" ")
            })
            .unwrap_or_default();
        let closeness = |c: &Candidate| {
            c.names
                .iter()
                .map(|(g, f)| matching::normalise(&format!("{g} {f}")))
                .map(|held| {
                    strsim::jaro_winkler(&typed, &held).max(strsim::jaro_winkler(&rotated, &held))
                })
                .fold(0.0, f64::max)
        };
        let by_id: std::collections::HashMap<PersonId, &Candidate> =
            candidates.iter().map(|(id, c)| (*id, c)).collect();
        let mut keyed: Vec<(PersonId, u32, f64)> = scored
            .iter()
            .map(|(id, s)| (*id, *s, by_id.get(id).map(|c| closeness(c)).unwrap_or(0.0)))
            .collect();
        keyed.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)));
        keyed.truncate(25);
        return keyed.into_iter().map(|(id, s, _)| (id, s)).collect();
    }
    scored.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    scored.truncate(25);
    scored
}

fn prefix_match(words: &[String], c: &Candidate) -> Option<matching::Match> {
    let (given, family) = c.names.first()?;
    let held = matching::normalise(&format!("{given} {family}"));
    let hits = words
        .iter()
        .filter(|w| w.len() >= 2 && held.split(' ').any(|h| h.starts_with(w.as_str())))
        .count();
    (hits > 0 && hits == words.len()).then(|| matching::Match {
        score: 10 * hits as u32,
        reasons: Vec::new(),
    })
}

#[derive(Default)]
struct Stages {
    block: Vec<f64>,
    candidates: Vec<f64>,
    score: Vec<f64>,
    results: Vec<f64>,
    audit: Vec<f64>,
    total: Vec<f64>,
    blocked: Vec<f64>,
    loaded: Vec<f64>,
    /// Whether the true person was among the candidates scored: separates misses caused by
    /// blocking from misses caused by ranking.
    found: Vec<bool>,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Replays the current pipeline for every query; returns the stage table and the run (for
/// recall, to check the replay matches the real use case).
async fn current(
    store: &Store,
    actor: &Actor,
    queries: &[Labelled],
) -> anyhow::Result<(Stages, Run)> {
    let mut st = Stages::default();
    let mut run = Run {
        label: "replay".into(),
        ..Run::default()
    };
    for q in queries {
        let p = parse(q);
        let all = Instant::now();
        let mut conn = store.read().await?;
        let t = Instant::now();
        let ids = people::block(&mut conn, &p.blocking, 300).await?;
        st.block.push(ms(t));
        st.blocked.push(ids.len() as f64);
        let t = Instant::now();
        let candidates = people::candidates(&mut conn, &ids).await?;
        st.candidates.push(ms(t));
        st.loaded.push(candidates.len() as f64);
        st.found
            .push(candidates.iter().any(|(id, _)| id.0 == q.truth));
        let t = Instant::now();
        // The real use case also formats every reason; score_all keeps them too (inside
        // matching::score), so this is the same work.
        let scored = score_all(&p, &candidates);
        st.score.push(ms(t));
        let t = Instant::now();
        let mut shown = Vec::with_capacity(scored.len());
        for (id, _) in &scored {
            let person = people::get(&mut conn, *id).await?;
            // Relationships: involvements (the lead has none with synthetic people).
            let _rels = involvements::current_for(&mut conn, *id).await?;
            let may_open = decide(&actor.roles, &[], RecordAction::View, None).is_allowed();
            if !person.restricted {
                let _ = people::addresses(&mut conn, *id).await?;
            }
            if !may_open {
                let _ = involvements::current_for(&mut conn, *id).await?;
            }
            shown.push(id.0);
        }
        st.results.push(ms(t));
        drop(conn);
        let t = Instant::now();
        write_audit(store, actor, q, shown.len()).await?;
        st.audit.push(ms(t));
        st.total.push(ms(all));
        run.ranks.push(shown.iter().position(|id| *id == q.truth));
        run.shown.push(shown.len());
    }
    run.millis = st.total.clone();
    Ok((st, run))
}

async fn write_audit(
    store: &Store,
    actor: &Actor,
    q: &Labelled,
    shown: usize,
) -> anyhow::Result<()> {
    let mut tx = store.write().await?;
    people::record_search(&mut tx, actor.user_id, &q.name, Utc::now()).await?;
    audit::append(
        &mut tx,
        &NewAuditEvent {
            at: Utc::now(),
            actor_user_id: Some(actor.user_id.to_string()),
            actor_label: actor.email.clone(),
            action: AuditAction::PersonSearched,
            record_type: None,
            record_id: None,
            ip: None,
            reason: None,
            detail: Some(serde_json::json!({"bench": true, "shown": shown}).to_string()),
        },
    )
    .await?;
    Store::commit(tx).await?;
    Ok(())
}

fn stage_row(out: &mut String, name: &str, v: &[f64], unit: &str) {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    let _ = writeln!(
        out,
        "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {unit} |",
        percentile(v, 50.0),
        percentile(v, 95.0),
        percentile(v, 99.0),
        mean
    );
}

pub async fn run(
    store: &Store,
    actor: &Actor,
    queries: &[Labelled],
    engine: &str,
) -> anyhow::Result<String> {
    let warm = queries.len().min(50);
    current(store, actor, &queries[..warm]).await?;
    let (st, run) = current(store, actor, queries).await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Stage profile ({engine}, replay of search_people through the store; recall@5 of the replay {:.1} %):\n",
        run.recall(5) * 100.0
    );
    out.push_str("| Stage | p50 | p95 | p99 | mean | unit |\n|---|---:|---:|---:|---:|---|\n");
    stage_row(&mut out, "blocking (people::block)", &st.block, "ms");
    stage_row(&mut out, "ids from blocking", &st.blocked, "people");
    stage_row(
        &mut out,
        "load candidates (people::candidates)",
        &st.candidates,
        "ms",
    );
    stage_row(&mut out, "candidates loaded", &st.loaded, "people");
    stage_row(&mut out, "scoring (matching::score ×2)", &st.score, "ms");
    stage_row(&mut out, "load shown results one by one", &st.results, "ms");
    stage_row(
        &mut out,
        "audit write (record_search + append + commit)",
        &st.audit,
        "ms",
    );
    stage_row(&mut out, "total", &st.total, "ms");
    out.push_str("\nPrototyped changes (same queries, replayed through the store; see the recommendations):\n\n");
    out.push_str("| Pipeline | p50 ms | p95 ms | p99 ms | Recall@5 | Truth among candidates | Candidates p50 / p95 | Block p95 | Candidates p95 | Score p95 | Results p95 | Audit p95 |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    proposal_row(&mut out, "current (replay)", &st, &run);
    // Name search (only the name typed) is where blocking matters most: no date of birth
    // or postcode to find the person by, so it is also the fair comparison with pg_trgm.
    let names_only: Vec<Labelled> = queries
        .iter()
        .map(|q| Labelled {
            dob: String::new(),
            postcode: String::new(),
            ..q.clone()
        })
        .collect();
    let (st, run) = current(store, actor, &names_only).await?;
    let mut name_rows = String::new();
    proposal_row(&mut name_rows, "name only: current (replay)", &st, &run);
    let mut indexed = None;
    for prop in PROPOSALS {
        if prop.first_letters && indexed.is_none() {
            indexed = Some(create_prototype_indexes(store).await?);
        }
        proposed(store, actor, &queries[..warm], *prop).await?;
        let (st, run) = proposed(store, actor, queries, *prop).await?;
        proposal_row(&mut out, prop.name, &st, &run);
        if prop.rows_from_blocking {
            let (st, run) = proposed(store, actor, &names_only, *prop).await?;
            proposal_row(
                &mut name_rows,
                &format!("name only: {}", prop.name),
                &st,
                &run,
            );
        }
    }
    out.push_str(&name_rows);
    if let Some(seconds) = indexed {
        let _ = writeln!(
            out,
            "\nG's two indexes, `people (family_key, given_lower)` and `people (given_key, family_lower)`, took {seconds:.1} s to build on this database."
        );
    }
    Ok(out)
}

/// The indexes proposal G needs, on this benchmark's own database. Returns seconds taken.
async fn create_prototype_indexes(store: &Store) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut conn = store.read().await?;
    for sql in [
        "CREATE INDEX IF NOT EXISTS bench_people_family_key_given_lower ON people (family_key, given_lower)",
        "CREATE INDEX IF NOT EXISTS bench_people_given_key_family_lower ON people (given_key, family_lower)",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(started.elapsed().as_secs_f64())
}

fn proposal_row(out: &mut String, name: &str, st: &Stages, run: &Run) {
    let _ = writeln!(
        out,
        "| {name} | {:.2} | {:.2} | {:.2} | {:.1} % | {:.1} % | {:.0} / {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
        run.percentile(50.0),
        run.percentile(95.0),
        run.percentile(99.0),
        run.recall(5) * 100.0,
        st.found.iter().filter(|f| **f).count() as f64 * 100.0 / st.found.len().max(1) as f64,
        percentile(&st.loaded, 50.0),
        percentile(&st.loaded, 95.0),
        percentile(&st.block, 95.0),
        percentile(&st.candidates, 95.0),
        percentile(&st.score, 95.0),
        percentile(&st.results, 95.0),
        percentile(&st.audit, 95.0),
    );
}
