//! Changes to the search pipeline, prototyped in the bench so their effect can be measured
//! on the same data without editing the app or store crates (which others own). Each flag of
//! [`Proposal`] is one recommended change; docs/benchmarks.md says what to change where.

use super::{ms, parse, score_all, score_ranked, write_audit, Parsed, Stages};
use crate::measure::Run;
use crate::queries::Labelled;
use chrono::NaiveDate;
use hearth_app::Actor;
use hearth_domain::access::{decide, RecordAction};
use hearth_domain::ids::PersonId;
use hearth_domain::matching::{self, Candidate};
use hearth_store::people;
use hearth_store::{involvements, Store};
use std::time::Instant;

/// A change to the pipeline. Each flag corresponds to one recommended change.
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

pub(super) async fn proposed(
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
