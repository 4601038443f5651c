//! Importing a 903 return from the social care system (issue 22 item 7, ADR 0055), so a
//! partnership starts from the data it has: the Header, Episodes, UASC and OC3 files of one
//! or more years, each child matched to a person in the record — by the `CHILD` an earlier
//! import kept, by unique pupil number, else by the authority's extra columns (forename and
//! surname, with date of birth, sex and postcode) with find-before-create's comparisons.
//! A certain match is imported, one child in one transaction with its audit event; an
//! uncertain or unmatched child is listed for a person to resolve, never made a new person;
//! every row not taken is reported with its file, line and why.

use super::care_event;
use crate::family::{name_keys, name_prefixes};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{Datelike, NaiveDate};
use hearth_domain::audit::AuditAction;
use hearth_domain::care::import903::{self, ImportedChild, Rejected, Table};
use hearth_domain::care::ssda903::CollectionYear;
use hearth_domain::identification::matching::{classify, MatchState};
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;
use hearth_linkage::find::{PersonQuery, Search};
use hearth_linkage::search_keys;
use hearth_store::accounts::users;
use hearth_store::care::import903::{self as saving, Saved};
use hearth_store::family::people::{self, Blocking};
use hearth_store::gate::CareImport;
use hearth_store::{audit, Conn, Store};

/// One file of the return as uploaded or found in the folder: its name (with the folder, which
/// names the collection year for OC3) and its bytes.
#[derive(Debug, Clone)]
pub struct ReturnFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A child imported, and what was made.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedLine {
    pub child: String,
    pub person: PersonId,
    pub saved: Saved,
}

/// A child left for a person to resolve: no one in the record is certainly them.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub child: String,
    pub born: Option<NaiveDate>,
    pub why: String,
}

/// What an import of a 903 return did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReturnImport {
    pub imported: Vec<ImportedLine>,
    pub unresolved: Vec<Unresolved>,
    pub rejected: Vec<Rejected>,
}

impl ReturnImport {
    /// The children whose care was already all in the record (an import run again).
    pub fn unchanged(&self) -> usize {
        self.imported
            .iter()
            .filter(|l| l.saved.periods == 0 && l.saved.contacts == 0)
            .count()
    }
}

/// The collection year a file's name or folder gives: `2026` or `2025-26` (the year that
/// ends it), the last one named.
pub fn year_of(name: &str) -> Option<CollectionYear> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // The number of the digits from `i` to `j` (ASCII, so any byte range of them is text).
    let number = |i: usize, j: usize| {
        std::str::from_utf8(&b[i..j])
            .ok()
            .and_then(|t| t.parse::<i32>().ok())
    };
    let mut found = None;
    let mut i = 0;
    while i + 4 <= b.len() {
        // Four digits alone: no digit just before or after them.
        let alone = (i..i + 4).all(digit) && (i == 0 || !digit(i - 1)) && !digit(i + 4);
        if !alone {
            i += 1;
            continue;
        }
        let start = number(i, i + 4).unwrap_or(0);
        // `2025-26` or `2025_26`: the year that ends it.
        let two = matches!(b.get(i + 4), Some(b'-' | b'_'))
            && digit(i + 5)
            && digit(i + 6)
            && !digit(i + 7);
        let ends = match two.then(|| number(i + 5, i + 7)).flatten() {
            Some(t) if t == (start + 1) % 100 => start + 1,
            _ => start,
        };
        if let Ok(y) = CollectionYear::ending(ends) {
            found = Some(y);
        }
        i += 4;
    }
    found
}

/// A CSV file's columns and rows with their line numbers; an unreadable file is one
/// rejection naming it.
fn table(file: &ReturnFile) -> Result<Table, Rejected> {
    let unreadable = |line: usize, why: String| Rejected {
        file: file.name.clone(),
        line,
        child: None,
        reason: why,
    };
    let text = std::str::from_utf8(&file.bytes)
        .map_err(|_| unreadable(1, "not a CSV file in UTF-8: save it as CSV UTF-8".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(1, format!("the first line cannot be read: {e}")))?
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            unreadable(e.position().map_or(0, |p| p.line() as usize), e.to_string())
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table {
        file: file.name.clone(),
        year: year_of(&file.name),
        columns,
        rows,
    })
}

/// Who a child is in the record, or why no one certainly is.
enum Found {
    Person(PersonId),
    Unresolved(String),
}

async fn find(conn: &mut Conn, import: &CareImport, c: &ImportedChild) -> Result<Found, AppError> {
    if let Some(p) = saving::person_of_child(conn, import, &c.child).await? {
        return Ok(Found::Person(p));
    }
    if let Some(upn) = &c.upn {
        match saving::people_with_upn(conn, import, upn).await?.as_slice() {
            [one] => return Ok(Found::Person(*one)),
            [] => {}
            _ => {
                return Ok(Found::Unresolved(format!(
                    "more than one person in the record has the UPN {upn}"
                )))
            }
        }
    }
    let (Some(forename), Some(surname)) = (&c.forename, &c.surname) else {
        return Ok(Found::Unresolved(
            "no one in the record has their UPN, and the file has no FORENAME and SURNAME columns to look for them by".into(),
        ));
    };
    let postcode = c.postcode.clone().or_else(|| {
        c.periods
            .iter()
            .find_map(|p| p.home_postcode.as_ref().map(|p| p.as_str().to_string()))
    });
    let search = Search::new(&PersonQuery {
        name: format!("{forename} {surname}"),
        dob: c.born.map(people::dob_of),
        postcode: postcode.clone(),
        nhs_number: None,
        upn: None,
    });
    let words = search.words();
    let mut dobs: Vec<NaiveDate> = c.born.into_iter().collect();
    if let Some(d) = c.born {
        dobs.extend(NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).filter(|s| *s != d));
    }
    let postcode_key = postcode
        .as_deref()
        .map(search_keys::postcode_key)
        .filter(|k| !k.is_empty());
    let blocking = Blocking {
        names: name_keys(words),
        dobs,
        postcode_key,
        nhs_number: None,
        upn: None,
        prefixes: name_prefixes(words),
    };
    // A restricted person's address plays no part, so a match never tells where they live.
    let candidates = people::candidates_for_matching(conn, &blocking).await?;
    let best = search.best_of(candidates.iter().map(|(_, c)| c), 2);
    let score = |i: usize| best.get(i).map(|(_, m)| m.score);
    match (classify(score(0), score(1)), best.first()) {
        (MatchState::Matched, Some((i, _))) => {
            let person = candidates[*i].0;
            let recorded = saving::sex_of(conn, import, person).await?;
            match (recorded, c.sex) {
                (Some(a), Some(b)) if a != b => Ok(Found::Unresolved(
                    "a person in the record has their name and date of birth but a different sex"
                        .into(),
                )),
                _ => Ok(Found::Person(person)),
            }
        }
        (MatchState::Review, _) => Ok(Found::Unresolved(
            "someone in the record may be them, but not certainly: check the person's name, date of birth and postcode, or add their UPN, and import again".into(),
        )),
        _ => Ok(Found::Unresolved(
            "no one in the record is them: find or add the person (search first), then import again".into(),
        )),
    }
}

impl Hearth {
    /// Imports the files of a 903 return, for the placements team (refused, audited, for
    /// anyone else). Each child certainly matched is saved in its own transaction with its
    /// audit event, so a crash part-way leaves every child imported whole or not at all; the
    /// run's counts are audited at the end.
    pub async fn import_ssda903(
        &self,
        actor: &Actor,
        files: &[ReturnFile],
    ) -> Result<ReturnImport, AppError> {
        let import = self.gate.care_import(&self.viewer(actor)).await?;
        if files.is_empty() {
            let mut e = FieldErrors::new();
            e.add(
                "files",
                "Choose the return's CSV files: Header and Episodes, with UASC and OC3 where you have them",
            );
            return Err(AppError::Invalid(e));
        }
        let mut report = ReturnImport::default();
        let mut tables = Vec::new();
        for f in files {
            match table(f) {
                Ok(t) => tables.push(t),
                Err(r) => report.rejected.push(r),
            }
        }
        let read = import903::read(&tables);
        report.rejected.extend(read.rejected);
        for child in &read.children {
            let mut conn = self.store.read().await?;
            let found = find(&mut conn, &import, child).await?;
            drop(conn);
            let person = match found {
                Found::Person(p) => p,
                Found::Unresolved(why) => {
                    report.unresolved.push(Unresolved {
                        child: child.child.clone(),
                        born: child.born,
                        why,
                    });
                    continue;
                }
            };
            let now = self.now();
            let mut tx = self.store.write().await?;
            let saved = saving::save_child(&mut tx, &import, person, child, now).await?;
            let e = care_event(
                actor,
                AuditAction::CareChildImported,
                "person",
                person.to_string(),
                now,
                Some(serde_json::json!({
                    "child": child.child,
                    "periods": saved.periods,
                    "placements": saved.placements,
                    "homes": saved.homes,
                    "contacts": saved.contacts,
                    "already": saved.already,
                })),
            );
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            report.imported.push(ImportedLine {
                child: child.child.clone(),
                person,
                saved,
            });
        }
        let now = self.now();
        let e = care_event(
            actor,
            AuditAction::Ssda903Imported,
            "ssda903_import",
            String::new(),
            now,
            Some(serde_json::json!({
                "files": files.len(),
                "imported": report.imported.len(),
                "unchanged": report.unchanged(),
                "unresolved": report.unresolved.len(),
                "rejected": report.rejected.len(),
            })),
        );
        self.append_event(&e).await?;
        Ok(report)
    }

    /// Imports a 903 return from the command line, as the placements officer whose account
    /// `email` is (refused, audited, if their roles do not commission placements).
    pub async fn import_ssda903_as(
        &self,
        email: &str,
        files: &[ReturnFile],
    ) -> Result<ReturnImport, AppError> {
        let mut conn = self.store.read().await?;
        let user = users::find_for_sign_in(&mut conn, email.trim()).await?;
        drop(conn);
        let Some((user, _)) = user.filter(|(u, _)| u.active) else {
            let mut e = FieldErrors::new();
            e.add("as", format!("No active account has the email {email}"));
            return Err(AppError::Invalid(e));
        };
        let actor = Actor::from_user(user, String::new(), String::new(), Origin::default());
        self.import_ssda903(&actor, files).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_read_from_the_folder_or_the_name() {
        let y = |n: &str| year_of(n).map(|y| y.ends());
        assert_eq!(y("2026/header.csv"), Some(2026));
        assert_eq!(y("returns/2025-26/oc3.csv"), Some(2026));
        assert_eq!(y("903_2024_25_episodes.csv"), Some(2025));
        assert_eq!(y("header.csv"), None);
        assert_eq!(y("SC123456.csv"), None);
    }
}
