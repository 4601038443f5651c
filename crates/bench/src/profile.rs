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

/// A change to the pipeline, prototyped here so its effect can be measured without editing
/// the app or store crates. Each flag corresponds to one recommended change.
#[derive(Debug, Clone, Copy)]
pub struct Proposal {
    pub name: &'static str,
    /// Load the shown results in three IN-queries instead of five queries per result.
    pub batch_results: bool,
    /// Group candidates' names and addresses by person id in a hash map (one pass) instead of
    /// scanning every row of the chunk for every person.
    pub grouped_candidates: bool,
    /// Blocking on the (family_key, given_key) index, without the redundant given_key + dob
    /// query, and with the broad family-key and prefix queries capped at this many rows.
    pub keyed_blocking: Option<i64>,
    /// Read addresses only when a postcode was typed (nothing else in scoring uses them),
    /// in IN lists of up to 500 ids rather than 200.
    pub lean_candidates: bool,
    /// Blocking queries on `people` return the candidate's columns, so the people are not
    /// read a second time by id.
    pub rows_from_blocking: bool,
    /// Also block on the same family key with a given name starting with the same two
    /// letters, and the same given key with a surname starting with the same two letters:
    /// catches a slip that changes a name's Soundex (Hughes typed Hughws) and short or
    /// unknown forms (Leo for Leon, Jake for Jacob). Needs two indexes the schema lacks.
    pub first_letters: bool,
    /// Among equal scores, the closest full name first (today: arbitrary, by id).
    pub tie_break: bool,
}

pub const PROPOSALS: &[Proposal] = &[
    Proposal {
        name: "A. results loaded in batches",
        batch_results: true,
        grouped_candidates: false,
        keyed_blocking: None,
        lean_candidates: false,
        rows_from_blocking: false,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "B. A + candidates grouped by id",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: None,
        lean_candidates: false,
        rows_from_blocking: false,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "C. B + keyed blocking, broad queries capped at 100",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(100),
        lean_candidates: false,
        rows_from_blocking: false,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "D. B + keyed blocking, broad queries capped at 30",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(30),
        lean_candidates: false,
        rows_from_blocking: false,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "E. D + addresses read only when a postcode is typed",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(30),
        lean_candidates: true,
        rows_from_blocking: false,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "F. E + blocking returns the candidate rows",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(30),
        lean_candidates: true,
        rows_from_blocking: true,
        first_letters: false,
        tie_break: false,
    },
    Proposal {
        name: "G. F + blocking on the first two letters (two new indexes)",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(30),
        lean_candidates: true,
        rows_from_blocking: true,
        first_letters: true,
        tie_break: false,
    },
    Proposal {
        name: "H. G + equal scores ordered by name closeness",
        batch_results: true,
        grouped_candidates: true,
        keyed_blocking: Some(30),
        lean_candidates: true,
        rows_from_blocking: true,
        first_letters: true,
        tie_break: true,
    },
];

fn in_list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// (given, family) as typed, and the other way round when two or more words were typed.
fn typed_pairs(p: &Parsed) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !p.query.given_names.is_empty() && !p.query.family_name.is_empty() {
        out.push((p.query.given_names.clone(), p.query.family_name.clone()));
    }
    if p.words.len() >= 2 {
        out.push((p.words[1..].join(" "), p.words[0].clone()));
    }
    out
}

/// The first two letters of the first word (normalised), or nothing for a one-letter word.
fn two_letters(name: &str) -> String {
    let first = name.split(' ').next().unwrap_or("");
    if first.chars().count() < 2 {
        return String::new();
    }
    first.chars().take(2).collect()
}

/// The blocking queries of the keyed plan: (SQL, binds, row limit).
fn keyed_queries(
    p: &Parsed,
    broad: i64,
    first_letters: bool,
) -> Vec<(&'static str, Vec<String>, i64)> {
    let b = &p.blocking;
    let mut queries: Vec<(&str, Vec<String>, i64)> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    if let (Some(f), Some(g)) = (&b.family_key, &b.given_key) {
        keys.push((f.clone(), g.clone()));
    }
    // Surname typed first: the same index with the words the other way round.
    if p.words.len() >= 2 {
        let f = matching::family_key(&p.words[0]);
        let g = matching::given_key(&p.words[1..].join(" "));
        if !f.is_empty() && !g.is_empty() && !keys.contains(&(f.clone(), g.clone())) {
            keys.push((f, g));
        }
    }
    if first_letters {
        for (given, family) in typed_pairs(p) {
            let (fk, gk) = (matching::family_key(&family), matching::given_key(&given));
            let (gp, fp) = (two_letters(&given), two_letters(&family));
            if !fk.is_empty() && !gp.is_empty() {
                let upper = format!("{gp}\u{10FFFF}");
                queries.push((
                    "SELECT id FROM people WHERE family_key = $1 AND given_lower >= $2 AND given_lower < $3 AND merged_into IS NULL LIMIT $4",
                    vec![fk, gp, upper],
                    100,
                ));
            }
            if !gk.is_empty() && !fp.is_empty() {
                let upper = format!("{fp}\u{10FFFF}");
                queries.push((
                    "SELECT id FROM people WHERE given_key = $1 AND family_lower >= $2 AND family_lower < $3 AND merged_into IS NULL LIMIT $4",
                    vec![gk, fp, upper],
                    100,
                ));
            }
        }
    }
    for (f, g) in &keys {
        queries.push((
            "SELECT id FROM people WHERE family_key = $1 AND given_key = $2 AND merged_into IS NULL LIMIT $3",
            vec![f.clone(), g.clone()],
            300,
        ));
        queries.push((
            "SELECT person_id AS id FROM person_names WHERE family_key = $1 AND given_key = $2 LIMIT $3",
            vec![f.clone(), g.clone()],
            300,
        ));
    }
    if let Some(k) = &b.family_key {
        queries.push((
            "SELECT id FROM people WHERE family_key = $1 AND merged_into IS NULL LIMIT $2",
            vec![k.clone()],
            broad,
        ));
    }
    for d in &b.dobs {
        queries.push((
            "SELECT id FROM people WHERE dob = $1 AND merged_into IS NULL LIMIT $2",
            vec![d.to_string()],
            300,
        ));
    }
    if let Some(pc) = &b.postcode_key {
        queries.push((
            "SELECT person_id AS id FROM addresses WHERE postcode_key = $1 LIMIT $2",
            vec![pc.clone()],
            300,
        ));
    }
    for w in &b.prefixes {
        let upper = format!("{w}\u{10FFFF}");
        queries.push(("SELECT id FROM people WHERE family_lower >= $1 AND family_lower < $2 AND merged_into IS NULL LIMIT $3", vec![w.clone(), upper.clone()], broad));
        queries.push(("SELECT id FROM people WHERE given_lower >= $1 AND given_lower < $2 AND merged_into IS NULL LIMIT $3", vec![w.clone(), upper], broad));
    }
    queries
}

async fn keyed_block(
    conn: &mut hearth_store::Conn,
    p: &Parsed,
    broad: i64,
) -> anyhow::Result<Vec<PersonId>> {
    let first_letters = false;
    let mut ids: Vec<String> = Vec::new();
    for (sql, binds, limit) in keyed_queries(p, broad, first_letters) {
        let mut q = sqlx::query_scalar::<_, String>(sql);
        for v in binds {
            q = q.bind(v);
        }
        ids.extend(q.bind(limit).fetch_all(&mut *conn).await?);
    }
    ids.sort();
    ids.dedup();
    ids.iter()
        .map(|i| i.parse::<PersonId>().map_err(anyhow::Error::from))
        .collect()
}

const CANDIDATE_COLUMNS: &str = "id, given_names, family_name, dob, nhs_number, upn";

fn candidate_from(r: &sqlx::any::AnyRow) -> anyhow::Result<(String, Candidate)> {
    use sqlx::Row;
    Ok((
        r.try_get("id")?,
        Candidate {
            names: vec![(r.try_get("given_names")?, r.try_get("family_name")?)],
            dob: r
                .try_get::<Option<String>, _>("dob")?
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            postcodes: Vec::new(),
            nhs_number: r.try_get("nhs_number")?,
            upn: r.try_get("upn")?,
        },
    ))
}

/// Blocking and candidate loading in one: the `people` blocking queries select the columns
/// scoring needs, other names always and addresses only when a postcode was typed.
/// Returns (blocking ms, loading ms, candidates).
async fn lean_block_and_load(
    conn: &mut hearth_store::Conn,
    p: &Parsed,
    broad: i64,
    rows_from_blocking: bool,
    first_letters: bool,
) -> anyhow::Result<(f64, f64, Vec<(PersonId, Candidate)>)> {
    use sqlx::Row;
    use std::collections::HashMap;
    let t = Instant::now();
    let mut found: HashMap<String, Candidate> = HashMap::new();
    let mut ids: Vec<String> = Vec::new();
    for (sql, binds, limit) in keyed_queries(p, broad, first_letters) {
        let reads_people = sql.starts_with("SELECT id FROM people");
        let sql = if rows_from_blocking && reads_people {
            sql.replacen("SELECT id ", &format!("SELECT {CANDIDATE_COLUMNS} "), 1)
        } else {
            sql.to_string()
        };
        let mut q = sqlx::query(&sql);
        for v in binds {
            q = q.bind(v);
        }
        for r in q.bind(limit).fetch_all(&mut *conn).await? {
            if rows_from_blocking && reads_people {
                let (id, c) = candidate_from(&r)?;
                found.entry(id).or_insert(c);
            } else {
                ids.push(r.try_get("id")?);
            }
        }
    }
    let block_ms = ms(t);
    let t = Instant::now();
    ids.sort();
    ids.dedup();
    ids.retain(|i| !found.contains_key(i));
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM people WHERE id IN ({}) AND merged_into IS NULL",
            in_list(chunk.len())
        );
        for r in fetch_in(conn, &sql, chunk).await? {
            let (id, c) = candidate_from(&r)?;
            found.insert(id, c);
        }
    }
    let all: Vec<String> = found.keys().cloned().collect();
    for chunk in all.chunks(500) {
        let list = in_list(chunk.len());
        let sql = format!(
            "SELECT person_id, given_names, family_name FROM person_names WHERE person_id IN ({list})"
        );
        for r in fetch_in(conn, &sql, chunk).await? {
            let id: String = r.try_get("person_id")?;
            if let Some(c) = found.get_mut(&id) {
                c.names
                    .push((r.try_get("given_names")?, r.try_get("family_name")?));
            }
        }
        if p.query.postcode.is_some() {
            let sql =
                format!("SELECT person_id, postcode FROM addresses WHERE person_id IN ({list})");
            for r in fetch_in(conn, &sql, chunk).await? {
                let id: String = r.try_get("person_id")?;
                if let Some(c) = found.get_mut(&id) {
                    c.postcodes.push(r.try_get("postcode")?);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (id, c) in found {
        out.push((id.parse::<PersonId>()?, c));
    }
    // Blocking returned ids in id order; keep that so ties rank as they do today.
    out.sort_by_key(|(id, _)| *id);
    Ok((block_ms, ms(t), out))
}

async fn fetch_in(
    conn: &mut hearth_store::Conn,
    sql: &str,
    binds: &[String],
) -> anyhow::Result<Vec<sqlx::any::AnyRow>> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(conn).await?)
}

/// `people::candidates` with the rows grouped by person id in one pass.
async fn grouped_candidates(
    conn: &mut hearth_store::Conn,
    ids: &[PersonId],
) -> anyhow::Result<Vec<(PersonId, Candidate)>> {
    use sqlx::Row;
    use std::collections::HashMap;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let list = in_list(chunk.len());
        let binds: Vec<String> = chunk.iter().map(PersonId::to_string).collect();
        let people_rows = fetch_in(
            conn,
            &format!(
                "SELECT id, given_names, family_name, dob, nhs_number, upn FROM people
                 WHERE id IN ({list}) AND merged_into IS NULL"
            ),
            &binds,
        )
        .await?;
        let mut names: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let sql = format!(
            "SELECT person_id, given_names, family_name FROM person_names WHERE person_id IN ({list})"
        );
        for r in fetch_in(conn, &sql, &binds).await? {
            names
                .entry(r.try_get("person_id")?)
                .or_default()
                .push((r.try_get("given_names")?, r.try_get("family_name")?));
        }
        let mut postcodes: HashMap<String, Vec<String>> = HashMap::new();
        let sql = format!("SELECT person_id, postcode FROM addresses WHERE person_id IN ({list})");
        for r in fetch_in(conn, &sql, &binds).await? {
            postcodes
                .entry(r.try_get("person_id")?)
                .or_default()
                .push(r.try_get("postcode")?);
        }
        for r in &people_rows {
            let id: String = r.try_get("id")?;
            let mut c = Candidate {
                names: vec![(r.try_get("given_names")?, r.try_get("family_name")?)],
                dob: r
                    .try_get::<Option<String>, _>("dob")?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                postcodes: postcodes.remove(&id).unwrap_or_default(),
                nhs_number: r.try_get("nhs_number")?,
                upn: r.try_get("upn")?,
            };
            c.names.extend(names.remove(&id).unwrap_or_default());
            out.push((id.parse::<PersonId>()?, c));
        }
    }
    Ok(out)
}

/// The shown results in three queries: the people, their current addresses, and who is
/// involved (what `relationships` and contact search read).
async fn batch_results(
    conn: &mut hearth_store::Conn,
    actor: &Actor,
    ids: &[PersonId],
) -> anyhow::Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let persons = people::summaries(&mut *conn, ids).await?;
    let list = in_list(ids.len());
    let binds: Vec<String> = ids.iter().map(PersonId::to_string).collect();
    let sql = format!(
        "SELECT person_id, postcode FROM addresses WHERE person_id IN ({list}) AND to_date IS NULL"
    );
    let addresses = fetch_in(conn, &sql, &binds).await?;
    let sql = format!(
        "SELECT i.person_id, i.role, i.organisation_id, o.name AS organisation_name, i.team_id,
                t.name AS team_name, i.user_id, u.display_name, u.email, u.phone, i.from_date, i.to_date
         FROM involvements i
         JOIN organisations o ON o.id = i.organisation_id
         LEFT JOIN teams t ON t.id = i.team_id
         LEFT JOIN users u ON u.id = i.user_id
         WHERE i.person_id IN ({list}) AND i.to_date IS NULL
         ORDER BY i.from_date"
    );
    let involved = fetch_in(conn, &sql, &binds).await?;
    let _ = decide(&actor.roles, &[], RecordAction::View, None).is_allowed();
    Ok(persons.len() + addresses.len() + involved.len())
}

async fn proposed(
    store: &Store,
    actor: &Actor,
    queries: &[Labelled],
    prop: Proposal,
) -> anyhow::Result<(Stages, Run)> {
    let mut st = Stages::default();
    let mut run = Run {
        label: prop.name.into(),
        ..Run::default()
    };
    for q in queries {
        let p = parse(q);
        let all = Instant::now();
        let mut conn = store.read().await?;
        if let (true, Some(broad)) = (prop.lean_candidates, prop.keyed_blocking) {
            let (block_ms, load_ms, candidates) = lean_block_and_load(
                &mut conn,
                &p,
                broad,
                prop.rows_from_blocking,
                prop.first_letters,
            )
            .await?;
            st.block.push(block_ms);
            st.blocked.push(candidates.len() as f64);
            st.candidates.push(load_ms);
            st.loaded.push(candidates.len() as f64);
            st.found
                .push(candidates.iter().any(|(id, _)| id.0 == q.truth));
            st.found
                .push(candidates.iter().any(|(id, _)| id.0 == q.truth));
            let t = Instant::now();
            let scored = score_ranked(&p, &candidates, prop.tie_break);
            st.score.push(ms(t));
            let t = Instant::now();
            let shown: Vec<PersonId> = scored.iter().map(|(id, _)| *id).collect();
            batch_results(&mut conn, actor, &shown).await?;
            st.results.push(ms(t));
            drop(conn);
            let t = Instant::now();
            write_audit(store, actor, q, shown.len()).await?;
            st.audit.push(ms(t));
            st.total.push(ms(all));
            run.ranks.push(shown.iter().position(|id| id.0 == q.truth));
            run.shown.push(shown.len());
            continue;
        }
        let t = Instant::now();
        let ids = match prop.keyed_blocking {
            Some(broad) => keyed_block(&mut conn, &p, broad).await?,
            None => people::block(&mut conn, &p.blocking, 300).await?,
        };
        st.block.push(ms(t));
        st.blocked.push(ids.len() as f64);
        let t = Instant::now();
        let candidates = if prop.grouped_candidates {
            grouped_candidates(&mut conn, &ids).await?
        } else {
            people::candidates(&mut conn, &ids).await?
        };
        st.candidates.push(ms(t));
        st.loaded.push(candidates.len() as f64);
        st.found
            .push(candidates.iter().any(|(id, _)| id.0 == q.truth));
        let t = Instant::now();
        let scored = score_all(&p, &candidates);
        st.score.push(ms(t));
        let t = Instant::now();
        let shown: Vec<PersonId> = scored.iter().map(|(id, _)| *id).collect();
        if prop.batch_results {
            batch_results(&mut conn, actor, &shown).await?;
        } else {
            for id in &shown {
                let person = people::get(&mut conn, *id).await?;
                let _ = involvements::current_for(&mut conn, *id).await?;
                if !person.restricted {
                    let _ = people::addresses(&mut conn, *id).await?;
                }
                let _ = involvements::current_for(&mut conn, *id).await?;
            }
        }
        st.results.push(ms(t));
        drop(conn);
        let t = Instant::now();
        write_audit(store, actor, q, shown.len()).await?;
        st.audit.push(ms(t));
        st.total.push(ms(all));
        run.ranks.push(shown.iter().position(|id| id.0 == q.truth));
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
