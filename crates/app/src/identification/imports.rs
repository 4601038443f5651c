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
use hearth_domain::identification::matching::{classify, MatchState, ReviewDecision};
use hearth_domain::ids::{ImportJobId, PartnerImportId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_linkage::find::{PersonQuery, Search};
use hearth_linkage::postcode::compact;
use hearth_linkage::search_keys::{self, normalise};
use hearth_store::accounts::users;
use hearth_store::family::people::{self, Blocking};
use hearth_store::gate::MatchingDesk;
use hearth_store::identification::datasets::{self, Dataset};
use hearth_store::identification::records::{self, ImportCounts, Placement};
use hearth_store::identification::{drops, jobs};
use hearth_store::{audit, Conn, Store};

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

/// Where a row goes: to the person a reviewer already said it is, else by the scores of the
/// candidates find-before-create's blocking brings (those a reviewer said it is not left out).
/// A restricted person's address plays no part, so a match never tells where they live.
async fn place(
    conn: &mut Conn,
    desk: &MatchingDesk,
    row: &PartnerRow,
    key: &str,
    keep_until: NaiveDate,
) -> Result<Placement, AppError> {
    let decided = records::decisions(conn, desk, key).await?;
    if let Some((person, _)) = decided
        .iter()
        .find(|(_, d)| *d == ReviewDecision::SamePerson)
    {
        return Ok(Placement {
            state: MatchState::Matched,
            person: Some(*person),
            candidate: None,
            score: None,
            reasons: vec!["a reviewer decided this is the same person".into()],
            keep_until: None,
        });
    }
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
    let mut candidates = people::candidates(conn, &blocking).await?;
    candidates.retain(|(id, _)| !decided.iter().any(|(p, _)| p == id));
    let ids: Vec<PersonId> = candidates.iter().map(|(id, _)| *id).collect();
    let restricted: Vec<PersonId> = people::restricted_among(conn, &ids)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (id, c) in candidates.iter_mut() {
        if restricted.contains(id) {
            c.postcodes.clear();
        }
    }
    let best = search.best_of(candidates.iter().map(|(_, c)| c), 2);
    let score = |i: usize| best.get(i).map(|(_, m)| m.score);
    let state = classify(score(0), score(1));
    let first = best.first();
    let (person, candidate) = match (state, first) {
        (MatchState::Matched, Some((i, _))) => (Some(candidates[*i].0), None),
        (MatchState::Review, Some((i, _))) => (None, Some(candidates[*i].0)),
        _ => (None, None),
    };
    Ok(Placement {
        state,
        person,
        candidate,
        score: (state != MatchState::Unmatched).then(|| score(0)).flatten(),
        reasons: match state {
            MatchState::Unmatched => Vec::new(),
            _ => first.map(|(_, m)| m.reasons.clone()).unwrap_or_default(),
        },
        keep_until: (state == MatchState::Unmatched).then_some(keep_until),
    })
}

/// How large a partner's file may be.
#[derive(Debug, Clone)]
pub struct PartnerFilePolicy {
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for PartnerFilePolicy {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
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
        for (line, row) in &rows {
            let key = pair_key(row);
            let placed = place(&mut tx, desk, row, &key, keep_until).await?;
            match placed.state {
                MatchState::Matched => counts.matched += 1,
                MatchState::Review => counts.for_review += 1,
                MatchState::Unmatched => counts.unmatched += 1,
            }
            records::insert_row(&mut tx, desk, dataset.id, import, *line, row, &key, &placed)
                .await?;
            if let Tracking::Job(_, progress) = tracking {
                progress.placed(placed.state);
            }
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
