//! Importing a partner's file (CSV or a spreadsheet, read by [`super::files`]): every row read
//! and checked (each bad one reported by its sheet, line and why), matched to the family record with find-before-create's comparisons, and kept with
//! where matching put it, all in one transaction: a crash or a kill part-way leaves nothing
//! imported, never half a file.

use super::files::{read_file, PartnerFile, RowProblem};
use super::jobs::Progress;
use crate::family::{name_keys, name_prefixes};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{Datelike, Duration, NaiveDate};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::feed::PartnerRow;
use hearth_domain::identification::matching::{classify_row, Evidence, MatchState, ReviewDecision};
use hearth_domain::ids::{ImportJobId, PartnerImportId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_linkage::find::{Candidate, PersonQuery, PreparedCandidate, Search};
use hearth_linkage::postcode::compact;
use hearth_linkage::search_keys::{self, normalise};
use hearth_store::accounts::users;
use hearth_store::family::people::{self, Blocking};
use hearth_store::gate::MatchingDesk;
use hearth_store::identification::datasets::{self, Dataset};
use hearth_store::identification::records::{self, ImportCounts, KeptRow, Placement};
use hearth_store::identification::register::{self, Register};
use hearth_store::identification::{drops, jobs};
use hearth_store::{audit, Conn, Store};
use rayon::prelude::*;
use std::collections::HashMap;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub import: PartnerImportId,
    pub dataset: String,
    pub counts: ImportCounts,
    pub problems: Vec<RowProblem>,
    /// Unmatched rows of any dataset removed because their retention ended.
    pub removed: u64,
}

/// Who a row is about, normalised: reviewers' decisions are kept under it, so the same person
/// in next month's file is not asked about again.
pub(crate) fn pair_key(row: &PartnerRow) -> String {
    format!(
        "{}|{}|{}|{}",
        normalise(&row.given_names),
        normalise(&row.family_name),
        row.dob.map(|d| d.to_string()).unwrap_or_default(),
        compact(&row.postcode)
    )
}

/// A row a reviewer already said is a person on the record: attached to them.
fn decided_same(decided: &[(PersonId, ReviewDecision)]) -> Option<Placement> {
    let (person, _) = decided
        .iter()
        .find(|(_, d)| *d == ReviewDecision::SamePerson)?;
    Some(Placement {
        state: MatchState::Matched,
        person: Some(*person),
        candidate: None,
        score: None,
        reasons: vec!["a reviewer decided this is the same person".into()],
        keep_until: None,
    })
}

/// A row as find-before-create's search: what is scored, and the keys its blocking brings
/// candidates by.
fn search_of(row: &PartnerRow) -> (Search, Blocking) {
    let search = Search::new(&PersonQuery {
        name: format!("{} {}", row.given_names, row.family_name),
        dob: row.dob.map(people::dob_of),
        postcode: Some(row.postcode.clone()),
        nhs_number: row.nhs_number.clone(),
        upn: row.upn.clone(),
    });
    let words = search.words();
    let mut dobs: Vec<NaiveDate> = row.dob.into_iter().collect();
    if let Some(d) = row.dob {
        dobs.extend(NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).filter(|s| *s != d));
    }
    let postcode_key = search_keys::postcode_key(&row.postcode);
    let blocking = Blocking {
        names: name_keys(words),
        dobs,
        postcode_key: (!postcode_key.is_empty()).then_some(postcode_key),
        nhs_number: row.nhs_number.clone(),
        upn: row.upn.clone(),
        prefixes: name_prefixes(words),
    };
    (search, blocking)
}

/// find-before-create's points for the same first name and surname (and nothing else).
const SAME_FULL_NAME: u32 = 50;

/// Where the scores put a row, from its candidates in order of id (those a reviewer said it
/// is not left out), whichever way they were found. `holders` is how many people of the
/// `register`'s hold the row's name, counted for a row without a date of birth.
fn scored(
    row: &PartnerRow,
    search: &Search,
    candidates: &[(PersonId, &PreparedCandidate)],
    decided: &[(PersonId, ReviewDecision)],
    (holders, register): (usize, usize),
    keep_until: NaiveDate,
) -> Placement {
    let candidates: Vec<&(PersonId, &PreparedCandidate)> = candidates
        .iter()
        .filter(|(id, _)| !decided.iter().any(|(p, _)| p == id))
        .collect();
    let best = search.best_of_prepared(candidates.iter().map(|(_, c)| *c), 2);
    let score = |i: usize| best.get(i).map(|(_, m)| m.score);
    let first = best.first();
    let only_name_and_postcode = row.dob.is_none()
        && first.is_some_and(|(i, _)| name_and_postcode(row, candidates[*i].1.candidate()));
    let (state, because) = classify_row(&Evidence {
        best: score(0),
        second: score(1),
        name_and_postcode_only: only_name_and_postcode,
        alike_at_postcode: only_name_and_postcode
            && first.is_some_and(|(best, _)| {
                candidates.iter().enumerate().any(|(i, (_, c))| {
                    let c = c.candidate();
                    // An address not held (a restricted record's is never) may be there.
                    let may_live_there = c.postcodes.is_empty() || at_postcode(row, c);
                    i != *best && may_live_there && name_points(row, c) >= NAME_ALIKE
                })
            }),
        holders,
        register,
    });
    let (person, candidate) = match (state, first) {
        (MatchState::Matched, Some((i, _))) => (Some(candidates[*i].0), None),
        (MatchState::Review, Some((i, _))) => (None, Some(candidates[*i].0)),
        _ => (None, None),
    };
    let mut reasons = match state {
        MatchState::Unmatched => Vec::new(),
        _ => first.map(|(_, m)| m.reasons.clone()).unwrap_or_default(),
    };
    reasons.extend(because);
    Placement {
        state,
        person,
        candidate,
        score: (state != MatchState::Unmatched).then(|| score(0)).flatten(),
        reasons,
        keep_until: (state == MatchState::Unmatched).then_some(keep_until),
    }
}

/// find-before-create's points for a name like another: the same surname and a first name at
/// least partly similar, or the other way round.
const NAME_ALIKE: u32 = 35;

/// How the candidate's names agree with the row's, in find-before-create's points.
fn name_points(row: &PartnerRow, held: &Candidate) -> u32 {
    Search::new(&PersonQuery {
        name: format!("{} {}", row.given_names, row.family_name),
        ..PersonQuery::default()
    })
    .score(held)
    .unwrap_or(0)
}

/// Whether the candidate has lived at the row's postcode (a restricted person's postcodes
/// are never held, so never agree).
fn at_postcode(row: &PartnerRow, held: &Candidate) -> bool {
    let postcode = compact(&row.postcode);
    !postcode.is_empty() && held.postcodes.iter().any(|p| compact(p) == postcode)
}

/// Whether a candidate has the row's first name and surname as written and its postcode.
fn name_and_postcode(row: &PartnerRow, held: &Candidate) -> bool {
    name_points(row, held) == SAME_FULL_NAME && at_postcode(row, held)
}

/// Where a row goes, one search at a time: to the person a reviewer already said it is, else
/// by the scores of the candidates find-before-create's blocking brings. A restricted
/// person's address plays no part, so a match never tells where they live.
async fn place(
    conn: &mut Conn,
    desk: &MatchingDesk,
    register: usize,
    row: &PartnerRow,
    key: &str,
    keep_until: NaiveDate,
) -> Result<Placement, AppError> {
    let decided = records::decisions(conn, desk, key).await?;
    if let Some(placed) = decided_same(&decided) {
        return Ok(placed);
    }
    let (search, blocking) = search_of(row);
    let mut candidates = people::candidates_for_matching(conn, &blocking).await?;
    candidates.sort_by_key(|(id, _)| *id);
    let prepared: Vec<(PersonId, PreparedCandidate)> = candidates
        .into_iter()
        .map(|(id, c)| (id, PreparedCandidate::new(c)))
        .collect();
    let held: Vec<(PersonId, &PreparedCandidate)> =
        prepared.iter().map(|(id, c)| (*id, c)).collect();
    let holders = match row.dob {
        None => people::holding_name(conn, &row.given_names, &row.family_name).await?,
        Some(_) => 0,
    };
    Ok(scored(
        row,
        &search,
        &held,
        &decided,
        (holders, register),
        keep_until,
    ))
}

/// Where a row goes, against the register held in memory: the same decisions, blocking
/// rules (uncapped), restrictions and scores as [`place`].
fn place_in(
    register: &Register,
    decided: &[(PersonId, ReviewDecision)],
    row: &PartnerRow,
    keep_until: NaiveDate,
) -> Placement {
    if let Some(placed) = decided_same(decided) {
        return placed;
    }
    let (search, blocking) = search_of(row);
    let holders = match row.dob {
        None => register.holding_name(&row.given_names, &row.family_name),
        Some(_) => 0,
    };
    scored(
        row,
        &search,
        &register.candidates(&blocking),
        decided,
        (holders, register.len()),
        keep_until,
    )
}

/// How a file's rows are placed.
enum Matcher {
    /// One search a row, in the database, which holds this many people.
    RowByRow(usize),
    /// Against the register read once, with the reviewers' decisions about the file's pairs.
    Bulk(
        Box<Register>,
        HashMap<String, Vec<(PersonId, ReviewDecision)>>,
    ),
}

/// How many people reading the register costs as much time as placing one row by its own
/// queries (about six a row): a row so placed took about 4.5 ms on the benchmark's machine
/// (docs/benchmarks.md), and reading and indexing the register takes some tens of
/// microseconds a person (500,000 people in well under the import's time).
const PEOPLE_A_ROW_COSTS: usize = 200;

/// Which way a file is matched. Reading the whole register costs the same whatever the
/// file's size, and placing a row by its own queries costs the same whatever the register's:
/// so a file is matched against the register in memory once it has enough rows to pay for
/// reading it, and a handful of rows against a city's register is matched row by row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Matching {
    #[default]
    BySize,
    /// Always one search a row (for comparing the two ways).
    RowByRow,
    /// Always against the register read once.
    Bulk,
}

/// Rows placed, then kept, at a time: their INSERTs go many rows to a statement.
const ROWS_A_ROUND: usize = 1_000;

/// How large a partner's file may be.
#[derive(Debug, Clone)]
pub struct PartnerFilePolicy {
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Row by row, against the register read once, or chosen by size.
    pub matching: Matching,
}

impl Default for PartnerFilePolicy {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            matching: Matching::default(),
        }
    }
}

impl Hearth {
    /// Imports a partner's CSV text, pasted on the import page.
    pub async fn import_partner_data(
        &self,
        actor: &Actor,
        dataset_code: &str,
        source: &str,
        text: &str,
    ) -> Result<ImportReport, AppError> {
        let file = PartnerFile {
            name: source,
            bytes: text.as_bytes(),
            sheet: None,
        };
        self.import_partner_file(actor, dataset_code, &file).await
    }

    /// Imports a partner's file, CSV or a spreadsheet, uploaded on the import page.
    pub async fn import_partner_file(
        &self,
        actor: &Actor,
        dataset_code: &str,
        file: &PartnerFile<'_>,
    ) -> Result<ImportReport, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        self.import_with(actor, &desk, dataset_code, file).await
    }

    /// Imports a partner's file from the command line, as the partner data analyst whose
    /// account `email` is (whoever runs the command runs the server; the import is theirs in
    /// the audit log, and refused, audited, if their roles do not match partners' data).
    pub async fn import_partner_data_as(
        &self,
        email: &str,
        dataset_code: &str,
        file: &PartnerFile<'_>,
    ) -> Result<ImportReport, AppError> {
        let mut conn = self.store.read().await?;
        let user = users::find_for_sign_in(&mut conn, email.trim()).await?;
        drop(conn);
        let Some((user, _)) = user.filter(|(u, _)| u.active) else {
            let mut e = FieldErrors::new();
            e.add("as", format!("No active account has the email {email}"));
            return Err(AppError::Invalid(e));
        };
        let actor = Actor::from_user(user, String::new(), String::new(), Origin::default());
        self.import_partner_file(&actor, dataset_code, file).await
    }

    async fn import_with(
        &self,
        actor: &Actor,
        desk: &MatchingDesk,
        dataset_code: &str,
        file: &PartnerFile<'_>,
    ) -> Result<ImportReport, AppError> {
        let ready = self.ready_import(dataset_code, file).await?;
        self.keep_import(actor, desk, ready, Tracking::None).await
    }

    /// Everything before the import's transaction: the dataset and its agreement, the file's
    /// size, and the file read, with every bad row named. Whatever is wrong comes back here,
    /// before anything is written.
    pub(crate) async fn ready_import(
        &self,
        dataset_code: &str,
        file: &PartnerFile<'_>,
    ) -> Result<ReadyImport, AppError> {
        let source = file.name;
        let invalid = |field: &str, message: String| {
            let mut e = FieldErrors::new();
            e.add(field, message);
            AppError::Invalid(e)
        };
        let mut conn = self.store.read().await?;
        // Codes are kept in lower case when registered, so any case finds them.
        let dataset = datasets::by_code(&mut conn, &dataset_code.trim().to_lowercase()).await?;
        drop(conn);
        let Some(dataset) = dataset else {
            return Err(invalid(
                "dataset",
                format!("No dataset has the code \"{}\"", dataset_code.trim()),
            ));
        };
        let today = self.now().date_naive();
        if today < dataset.agreement_from || today > dataset.agreement_to {
            return Err(invalid(
                "dataset",
                format!(
                    "The data-sharing agreement {} runs from {} to {}: nothing can be imported outside it",
                    dataset.agreement_reference, dataset.agreement_from, dataset.agreement_to
                ),
            ));
        }
        let max = self.policies.partner_files.max_bytes;
        if file.bytes.len() > max {
            return Err(invalid(
                "file",
                format!(
                    "The file must be smaller than {}: split it into smaller files, a term or a quarter at a time",
                    hearth_domain::document::size(max)
                ),
            ));
        }
        let (rows, problems) = read_file(dataset.kind, file, today)
            .map_err(|why| invalid("file", format!("{source}: {why}")))?;
        Ok(ReadyImport {
            dataset,
            source: source.to_string(),
            rows,
            problems,
            today,
        })
    }

    /// Matches and keeps a file's rows in one transaction, with its counts and audit event;
    /// a job's progress is counted as rows are placed and it is marked done in the same
    /// transaction, as a dropped file is recorded.
    pub(crate) async fn keep_import(
        &self,
        actor: &Actor,
        desk: &MatchingDesk,
        ready: ReadyImport,
        tracking: Tracking<'_>,
    ) -> Result<ImportReport, AppError> {
        let ReadyImport {
            dataset,
            source,
            rows,
            problems,
            today,
        } = ready;
        let import = PartnerImportId::new();
        let keep_until = today + Duration::days(dataset.unmatched_days);
        let mut counts = ImportCounts {
            rows_read: (rows.len() + problems.len()) as i64,
            rejected: problems.len() as i64,
            ..ImportCounts::default()
        };
        // One transaction for the whole file: the import row goes first (the rows point to
        // it) with its counts set at the end.
        let mut tx = self.store.write().await?;
        let removed = records::remove_expired(&mut tx, desk, today).await?;
        records::insert_import(
            &mut tx,
            desk,
            import,
            dataset.id,
            &source,
            &counts,
            self.now(),
        )
        .await?;
        let matcher = self.matcher(&mut tx, desk, &rows).await?;
        for round in rows.chunks(ROWS_A_ROUND) {
            let keys: Vec<String> = round.iter().map(|(_, row)| pair_key(row)).collect();
            let placements: Vec<Placement> = match &matcher {
                Matcher::RowByRow(people) => {
                    let mut placed = Vec::with_capacity(round.len());
                    for ((_, row), key) in round.iter().zip(&keys) {
                        placed.push(place(&mut tx, desk, *people, row, key, keep_until).await?);
                    }
                    placed
                }
                // Pure work on a register only read: the round's rows are placed on every core.
                Matcher::Bulk(register, decided) => round
                    .par_iter()
                    .zip(keys.par_iter())
                    .map(|((_, row), key)| {
                        let decided = decided.get(key).map_or(&[][..], Vec::as_slice);
                        place_in(register, decided, row, keep_until)
                    })
                    .collect(),
            };
            let mut kept = Vec::with_capacity(round.len());
            for (((line, row), key), placed) in round.iter().zip(keys).zip(placements) {
                match placed.state {
                    MatchState::Matched => counts.matched += 1,
                    MatchState::Review => counts.for_review += 1,
                    MatchState::Unmatched => counts.unmatched += 1,
                }
                if let Tracking::Job(_, progress) = tracking {
                    progress.placed(placed.state);
                }
                kept.push(KeptRow {
                    line: *line,
                    row,
                    pair_key: key,
                    placed,
                });
            }
            records::insert_rows(&mut tx, desk, dataset.id, import, &kept).await?;
        }
        records::set_import_counts(&mut tx, import, &counts).await?;
        match tracking {
            Tracking::None => {}
            Tracking::Job(id, _) => jobs::done(&mut tx, desk, id, import, self.now()).await?,
            Tracking::Drop(hash) => {
                drops::record(&mut tx, desk, dataset.id, hash, &source, import, self.now()).await?
            }
        }
        let mut ev = self.identification_event(actor, AuditAction::PartnerDataImported);
        ev.record_type = Some("partner_import");
        ev.record_id = Some(import.to_string());
        ev.detail = Some(
            serde_json::json!({
                "dataset": dataset.code,
                "source": source,
                "rows": counts.rows_read,
                "matched": counts.matched,
                "for_review": counts.for_review,
                "unmatched": counts.unmatched,
                "rejected": counts.rejected,
                "removed_unmatched": removed,
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(ImportReport {
            import,
            dataset: dataset.name,
            counts,
            problems,
            removed,
        })
    }
}

impl Hearth {
    /// Which way this file is matched ([`Matching`]), with the register read when in memory.
    async fn matcher(
        &self,
        conn: &mut Conn,
        desk: &MatchingDesk,
        rows: &[(u64, PartnerRow)],
    ) -> Result<Matcher, AppError> {
        let people = usize::try_from(people::count(conn).await?).unwrap_or(0);
        let bulk = match self.policies.partner_files.matching {
            Matching::RowByRow => false,
            Matching::Bulk => true,
            Matching::BySize => rows.len().saturating_mul(PEOPLE_A_ROW_COSTS) >= people,
        };
        if !bulk {
            return Ok(Matcher::RowByRow(people));
        }
        let keys: Vec<String> = rows.iter().map(|(_, row)| pair_key(row)).collect();
        let mut keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        keys.sort_unstable();
        keys.dedup();
        let decided = records::decisions_for(conn, desk, &keys).await?;
        let register = Box::new(register::read(conn, desk).await?);
        Ok(Matcher::Bulk(register, decided))
    }
}

/// What else an import keeps in its transaction.
#[derive(Clone, Copy)]
pub(crate) enum Tracking<'a> {
    None,
    /// A job started from the page: its progress, and done.
    Job(ImportJobId, &'a Progress),
    /// A file dropped in a watched folder: its hash, so it is imported once.
    Drop(&'a str),
}

/// A partner's file read and checked against its dataset, not yet matched or kept.
pub(crate) struct ReadyImport {
    pub(crate) dataset: Dataset,
    pub(crate) source: String,
    pub(crate) rows: Vec<(u64, PartnerRow)>,
    pub(crate) problems: Vec<RowProblem>,
    today: NaiveDate,
}
