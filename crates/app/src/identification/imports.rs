//! Importing a partner's file: every row read and checked (each bad one reported by its line
//! and why), matched to the family record with find-before-create's comparisons, and kept with
//! where matching put it, all in one transaction: a crash or a kill part-way leaves nothing
//! imported, never half a file.

use crate::family::{name_keys, name_prefixes};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{Datelike, Duration, NaiveDate};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::feed::{missing_columns, read_row, PartnerRow};
use hearth_domain::identification::matching::{classify, MatchState, ReviewDecision};
use hearth_domain::ids::{PartnerImportId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_linkage::find::{PersonQuery, Search};
use hearth_linkage::postcode::compact;
use hearth_linkage::search_keys::{self, normalise};
use hearth_store::accounts::users;
use hearth_store::family::people::{self, Blocking};
use hearth_store::gate::MatchingDesk;
use hearth_store::identification::datasets::{self, Dataset};
use hearth_store::identification::records::{self, ImportCounts, Placement};
use hearth_store::{audit, Conn, Store};
use std::collections::HashMap;

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub reason: String,
}

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

/// The rows read, each with its line, and the problems of those that could not be.
type ReadFile = (Vec<(u64, PartnerRow)>, Vec<RowProblem>);

/// The rows of a file, each with its line, or the whole file refused (a header lacking
/// columns, an empty file) with the reason.
fn read_file(dataset: &Dataset, text: &str, today: NaiveDate) -> Result<ReadFile, String> {
    // A text box sends CRLF, which the csv reader does not count as a new line.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.to_lowercase()).collect(),
        Some(Err(e)) => return Err(format!("the first line cannot be read: {e}")),
        None => return Err("the file is empty".into()),
    };
    let missing = missing_columns(&header.iter().map(String::as_str).collect::<Vec<_>>());
    if !missing.is_empty() {
        return Err(format!(
            "the first line must name the columns; it lacks {}",
            missing.join(", ")
        ));
    }
    // The reader counts no blank lines, and a record after blank lines starts, for it, where
    // they do: its line is counted from the first character that is not a line end.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut at = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (n, record) in records.enumerate() {
        let fallback = n as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(fallback, |p| line_at(p.byte()));
                problems.push(RowProblem {
                    line,
                    reason: format!("the line cannot be read: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(fallback, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let values: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        match read_row(dataset.kind, &values, today) {
            Ok(row) => rows.push((line, row)),
            Err(reason) => problems.push(RowProblem { line, reason }),
        }
    }
    Ok((rows, problems))
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

impl Hearth {
    /// Imports a partner's file pasted or uploaded on the import page.
    pub async fn import_partner_data(
        &self,
        actor: &Actor,
        dataset_code: &str,
        source: &str,
        text: &str,
    ) -> Result<ImportReport, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        self.import_with(actor, &desk, dataset_code, source, text)
            .await
    }

    /// Imports a partner's file from the command line, as the partner data analyst whose
    /// account `email` is (whoever runs the command runs the server; the import is theirs in
    /// the audit log, and refused, audited, if their roles do not match partners' data).
    pub async fn import_partner_data_as(
        &self,
        email: &str,
        dataset_code: &str,
        source: &str,
        text: &str,
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
        self.import_partner_data(&actor, dataset_code, source, text)
            .await
    }

    async fn import_with(
        &self,
        actor: &Actor,
        desk: &MatchingDesk,
        dataset_code: &str,
        source: &str,
        text: &str,
    ) -> Result<ImportReport, AppError> {
        let invalid = |field: &str, message: String| {
            let mut e = FieldErrors::new();
            e.add(field, message);
            AppError::Invalid(e)
        };
        let mut conn = self.store.read().await?;
        let dataset = datasets::by_code(&mut conn, dataset_code.trim()).await?;
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
        let (rows, problems) =
            read_file(&dataset, text, today).map_err(|why| invalid("file", why))?;
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
            source,
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
        }
        records::set_import_counts(&mut tx, import, &counts).await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::identification::feed::{FeedKind, LawfulBasis};
    use hearth_domain::ids::{OrganisationId, PartnerDatasetId};

    fn dataset() -> Dataset {
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        Dataset {
            id: PartnerDatasetId::new(),
            code: "attendance".into(),
            name: "Attendance".into(),
            kind: FeedKind::SchoolCensus,
            owner: OrganisationId::new(),
            owner_name: String::new(),
            agreement_reference: "DSA-1".into(),
            agreement_from: day,
            agreement_to: day,
            lawful_basis: LawfulBasis::PublicTask,
            fields: String::new(),
            refresh: String::new(),
            unmatched_days: 30,
        }
    }

    #[test]
    fn every_bad_row_is_named_by_its_own_line_even_from_a_text_box() {
        let text = "reference,given_names,family_name,dob,postcode,event,date,attendance\r\n\
            R1,Mia,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,87.5\r\n\
            R2,,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,87.5\r\n\
            \r\n\
            R4,Sam,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,187\r\n";
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let (rows, problems) = read_file(&dataset(), text, today).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 5]);
        assert!(problems[1].reason.contains("attendance '187'"));
    }

    #[test]
    fn a_header_lacking_columns_refuses_the_file() {
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let got = read_file(&dataset(), "reference,name\nR1,Mia\n", today);
        assert!(got.is_err_and(|e| e.contains("given_names")));
    }
}
