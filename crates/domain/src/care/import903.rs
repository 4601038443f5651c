//! Reading a 903 return from the social care system (ADR 0055): the Header, Episodes, UASC
//! and OC3 files of one or more collection years, already split into cells, turned into each
//! child's periods of care, legal status changes and placements, as the record keeps them.
//! Pure rules: the files are read by the app, the children matched and saved by the store
//! through the gate. Every row that cannot be taken is reported with its file, line and why;
//! a child with any such row is left out whole, so nothing half a child is imported.

use super::leavers::{self, Accommodation, Activity, Contact, InTouch};
use super::providers::{kind_of_place_provider, ProviderKind};
use super::ssda903::{CollectionYear, Period, Placement};
use super::{CategoryOfNeed, CeaseReason, EndReason, LegalStatus, PlacementType, Route};
use crate::directory::Postcode;
use crate::person::{Ethnicity, Sex};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Which of the return's files a table is, told by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Header,
    Episodes,
    Uasc,
    Oc3,
}

impl FileKind {
    /// The kind of file with these column names (any case), if it is one the import reads.
    pub fn of(columns: &[String]) -> Option<FileKind> {
        let has = |c: &str| columns.iter().any(|x| x.trim().eq_ignore_ascii_case(c));
        if has("DECOM") {
            Some(FileKind::Episodes)
        } else if has("IN_TOUCH") {
            Some(FileKind::Oc3)
        } else if has("DUC") {
            Some(FileKind::Uasc)
        } else if has("CHILD") && has("DOB") && has("SEX") {
            Some(FileKind::Header)
        } else {
            None
        }
    }
}

/// One CSV file of the return as read: its name as the report shows it, the collection year
/// its folder names (needed only for OC3), its columns and its rows with their line numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub file: String,
    pub year: Option<CollectionYear>,
    pub columns: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// A row that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub file: String,
    pub line: usize,
    pub child: Option<String>,
    pub reason: String,
}

/// One child as the files tell them: who (for matching to a person in the record) and their
/// care, ready to save.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedChild {
    /// `CHILD`: the social care system's id for the child.
    pub child: String,
    pub sex: Option<Sex>,
    pub born: Option<NaiveDate>,
    pub ethnicity: Option<Ethnicity>,
    /// A real unique pupil number, never the DfE's `UN1`-`UN5` reasons for none.
    pub upn: Option<String>,
    /// The authority's optional extra columns: `FORENAME`, `SURNAME`, `POSTCODE`.
    pub forename: Option<String>,
    pub surname: Option<String>,
    pub postcode: Option<String>,
    /// Oldest first; a placement's route is `InHouse` for the council's own (`PR1`), else
    /// `Spot` until the home it is at says otherwise.
    pub periods: Vec<Period>,
    /// Care leaver contacts from OC3, each dated the birthday the year's row is about.
    pub leaver_contacts: Vec<Contact>,
}

/// What the files hold: the children that can be imported, and every row that cannot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Read {
    pub children: Vec<ImportedChild>,
    pub rejected: Vec<Rejected>,
}

/// A table's cells by column name.
struct Row<'a> {
    cells: HashMap<String, &'a str>,
}

impl<'a> Row<'a> {
    fn new(columns: &[String], cells: &'a [String]) -> Self {
        Row {
            cells: columns
                .iter()
                .zip(cells)
                .map(|(c, v)| (c.trim().to_ascii_uppercase(), v.trim()))
                .collect(),
        }
    }

    fn get(&self, column: &str) -> Option<&'a str> {
        self.cells.get(column).copied().filter(|v| !v.is_empty())
    }
}

/// A date as the 903 writes it, `dd/mm/yyyy`.
fn day(column: &str, v: Option<&str>) -> Result<Option<NaiveDate>, String> {
    v.map(|v| {
        NaiveDate::parse_from_str(v, "%d/%m/%Y")
            .map_err(|_| format!("{column} is \"{v}\", not a date written dd/mm/yyyy"))
    })
    .transpose()
}

fn required<'a>(column: &str, v: Option<&'a str>) -> Result<&'a str, String> {
    v.ok_or_else(|| format!("{column} is empty: the 903 needs it on every row"))
}

fn code<T>(column: &str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    parse(v).ok_or_else(|| format!("{column} is \"{v}\", not one of the DfE's codes"))
}

fn postcode(column: &str, v: Option<&str>) -> Result<Option<Postcode>, String> {
    v.map(|v| Postcode::parse(v).ok_or_else(|| format!("{column} is \"{v}\", not a postcode")))
        .transpose()
}

/// SSDA903 `PLACE` as the record keeps it: `K3` (supported accommodation since 2024-25) is
/// the record's `H5`, which the return writes `K3` again.
fn place(v: &str) -> Result<PlacementType, String> {
    match v {
        "K3" => Ok(PlacementType::H5),
        other => code("PLACE", other, PlacementType::from_code),
    }
}

/// SSDA903 `PLACE_PROVIDER` as a route: the council's own (`PR1`) is in-house; any other is
/// bought until the home it is at says how (a parent's, `PR0`, is in-house: nothing is bought).
fn route(v: Option<&str>) -> Result<Route, String> {
    match v {
        Some("PR0" | "PR1") => Ok(Route::InHouse),
        Some("PR2" | "PR3" | "PR4" | "PR5") | None => Ok(Route::Spot),
        Some(other) => Err(format!(
            "PLACE_PROVIDER is \"{other}\", not one of the DfE's codes (PR0 to PR5)"
        )),
    }
}

fn sex(v: Option<&str>) -> Result<Option<Sex>, String> {
    match v {
        Some("M" | "1") => Ok(Some(Sex::Male)),
        Some("F" | "2") => Ok(Some(Sex::Female)),
        Some("U") | None => Ok(None),
        Some(other) => Err(format!("SEX is \"{other}\", not M, F or U")),
    }
}

/// One episode row, read.
#[derive(Debug, Clone, PartialEq)]
struct Episode {
    file: String,
    line: usize,
    decom: NaiveDate,
    rne: String,
    legal_status: LegalStatus,
    category_of_need: CategoryOfNeed,
    placement_type: PlacementType,
    route: Route,
    provider: Option<ProviderKind>,
    dec: Option<NaiveDate>,
    rec: Option<String>,
    reason: Option<EndReason>,
    home_postcode: Option<Postcode>,
    postcode: Option<Postcode>,
    urn: Option<String>,
}

fn episode(file: &str, line: usize, r: &Row<'_>) -> Result<Episode, String> {
    let decom = day("DECOM", Some(required("DECOM", r.get("DECOM"))?))?
        .ok_or_else(|| "DECOM is empty".to_string())?;
    let dec = day("DEC", r.get("DEC"))?;
    if dec.is_some_and(|d| d < decom) {
        return Err("DEC is before DECOM: an episode cannot end before it began".into());
    }
    let rne = required("RNE", r.get("RNE"))?.to_string();
    if !matches!(rne.as_str(), "S" | "L" | "P" | "T" | "U" | "B") {
        return Err(format!(
            "RNE is \"{rne}\", not one of the DfE's codes (S, L, P, T, U, B)"
        ));
    }
    let rec = r.get("REC").map(str::to_string);
    if let Some(rec) = rec.as_deref().filter(|c| *c != "X1") {
        code("REC", rec, CeaseReason::from_code)?;
    }
    if rec.is_some() != dec.is_some() {
        return Err("DEC and REC go together: an episode that ended needs both".into());
    }
    Ok(Episode {
        file: file.to_string(),
        line,
        decom,
        rne,
        legal_status: code("LS", required("LS", r.get("LS"))?, LegalStatus::from_code)?,
        category_of_need: code(
            "CIN",
            required("CIN", r.get("CIN"))?,
            CategoryOfNeed::from_code,
        )?,
        placement_type: place(required("PLACE", r.get("PLACE"))?)?,
        route: route(r.get("PLACE_PROVIDER"))?,
        provider: r.get("PLACE_PROVIDER").and_then(kind_of_place_provider),
        dec,
        rec,
        reason: r
            .get("REASON_PLACE_CHANGE")
            .map(|v| code("REASON_PLACE_CHANGE", v, EndReason::from_code))
            .transpose()?,
        home_postcode: postcode("HOME_POST", r.get("HOME_POST"))?,
        postcode: postcode("PL_POST", r.get("PL_POST"))?,
        urn: r.get("URN").map(str::to_string),
    })
}

/// The header's fields of a child.
#[derive(Debug, Clone, Default, PartialEq)]
struct Header {
    sex: Option<Sex>,
    born: Option<NaiveDate>,
    ethnicity: Option<Ethnicity>,
    upn: Option<String>,
    forename: Option<String>,
    surname: Option<String>,
    postcode: Option<String>,
}

fn header(r: &Row<'_>) -> Result<Header, String> {
    let upn = r
        .get("UPN")
        .filter(|u| !u.starts_with("UN") || u.len() == 13)
        .map(str::to_string);
    if let Some(u) = &upn {
        if u.len() != 13 {
            return Err(format!(
                "UPN is \"{u}\": a unique pupil number has 13 characters, else UN1 to UN5"
            ));
        }
    }
    Ok(Header {
        sex: sex(r.get("SEX"))?,
        born: day("DOB", r.get("DOB"))?,
        ethnicity: r
            .get("ETHNIC")
            .map(|v| code("ETHNIC", v, Ethnicity::from_code))
            .transpose()?,
        upn,
        forename: r.get("FORENAME").map(str::to_string),
        surname: r.get("SURNAME").map(str::to_string),
        postcode: r.get("POSTCODE").map(str::to_string),
    })
}

/// A care leaver's OC3 row, dated the 17th to 21st birthday in its year.
fn oc3(
    r: &Row<'_>,
    year: Option<CollectionYear>,
    born: Option<NaiveDate>,
) -> Result<Option<Contact>, String> {
    let Some(in_touch) = r.get("IN_TOUCH") else {
        // Nothing was known of them that year: no contact to keep.
        return Ok(None);
    };
    let year = year.ok_or(
        "the folder does not name the collection year (for example 2026 or 2025-26), so the birthday this row is about is not known",
    )?;
    let born = day("DOB", r.get("DOB"))?.or(born).ok_or("DOB is empty")?;
    let (_, birthday) = leavers::birthday_in(born, year.first_day(), year.last_day())
        .ok_or("the young person has no 17th to 21st birthday in the year")?;
    let accommodation = match r.get("ACCOM").filter(|a| *a != "0") {
        Some(a) => {
            let (letter, digit) = a.split_at(a.chars().next().map_or(0, char::len_utf8));
            let place = code("ACCOM", letter, Accommodation::from_code)?;
            match digit {
                "1" => Some((place, true)),
                "2" => Some((place, false)),
                _ => return Err(format!("ACCOM is \"{a}\", not a letter and 1 or 2")),
            }
        }
        None => None,
    };
    Ok(Some(Contact {
        recorded_on: birthday,
        in_touch: code("IN_TOUCH", in_touch, InTouch::from_code)?,
        activity: r
            .get("ACTIV")
            .filter(|a| *a != "0")
            .map(|a| code("ACTIV", a, Activity::from_code))
            .transpose()?,
        accommodation,
        staying_put: false,
        staying_close: false,
    }))
}

/// The children of the return's files. Episodes of one child in several years' files are
/// one episode when they begin the same day (`CHILD` and `DECOM`): the one with an end wins,
/// and two different ends are a conflict reported on both.
pub fn read(tables: &[Table]) -> Read {
    let mut rejected: Vec<Rejected> = Vec::new();
    let mut bad_children: Vec<String> = Vec::new();
    let mut headers: BTreeMap<String, Header> = BTreeMap::new();
    let mut episodes: BTreeMap<String, BTreeMap<NaiveDate, Episode>> = BTreeMap::new();
    let mut uasc: HashMap<String, Option<NaiveDate>> = HashMap::new();
    let mut oc3_rows: Vec<(&Table, usize, Row<'_>)> = Vec::new();
    let mut reject = |file: &str, line: usize, child: Option<&str>, reason: String| {
        rejected.push(Rejected {
            file: file.to_string(),
            line,
            child: child.map(str::to_string),
            reason,
        })
    };
    for t in tables {
        let Some(kind) = FileKind::of(&t.columns) else {
            reject(
                &t.file,
                1,
                None,
                "not a file of the 903 return the import reads (Header, Episodes, UASC or OC3): its columns name none of them".into(),
            );
            continue;
        };
        for (line, cells) in &t.rows {
            let r = Row::new(&t.columns, cells);
            let Some(child) = r.get("CHILD").map(str::to_string) else {
                reject(&t.file, *line, None, "CHILD is empty".into());
                continue;
            };
            let mut bad = |reason: String| {
                reject(&t.file, *line, Some(child.as_str()), reason);
                bad_children.push(child.clone());
            };
            match kind {
                FileKind::Header => match header(&r) {
                    Ok(h) => {
                        let kept = headers.entry(child.clone()).or_default();
                        // Later years may hold the real UPN where earlier ones gave a reason.
                        let upn = h.upn.clone().or(kept.upn.take());
                        *kept = Header { upn, ..h };
                    }
                    Err(e) => bad(e),
                },
                FileKind::Episodes => match episode(&t.file, *line, &r) {
                    Ok(e) => {
                        let of_child = episodes.entry(child.clone()).or_default();
                        match of_child.get(&e.decom) {
                            Some(before)
                                if before.dec.is_some()
                                    && e.dec.is_some()
                                    && before.dec != e.dec =>
                            {
                                let (f, l) = (before.file.clone(), before.line);
                                bad(format!(
                                    "the episode that began on {} ends on a different day in {f} line {l}: correct one of the files",
                                    e.decom.format("%d/%m/%Y")
                                ));
                            }
                            Some(before) if before.dec.is_some() => {}
                            _ => {
                                of_child.insert(e.decom, e);
                            }
                        }
                    }
                    Err(e) => bad(e),
                },
                FileKind::Uasc => match day("DUC", r.get("DUC")) {
                    Ok(duc) => {
                        uasc.insert(child.clone(), duc);
                    }
                    Err(e) => bad(e),
                },
                FileKind::Oc3 => oc3_rows.push((t, *line, r)),
            }
        }
    }
    let mut contacts: HashMap<String, Vec<Contact>> = HashMap::new();
    for (t, line, r) in oc3_rows {
        let Some(child) = r.get("CHILD") else {
            continue;
        };
        let born = headers.get(child).and_then(|h| h.born);
        match oc3(&r, t.year, born) {
            Ok(Some(c)) => contacts.entry(child.to_string()).or_default().push(c),
            Ok(None) => {}
            Err(e) => {
                reject(&t.file, line, Some(child), e);
                bad_children.push(child.to_string());
            }
        }
    }
    let mut children = Vec::new();
    for (child, h) in &headers {
        if bad_children.contains(child) {
            continue;
        }
        let eps: Vec<Episode> = episodes
            .remove(child)
            .unwrap_or_default()
            .into_values()
            .collect();
        let duc = uasc.get(child).copied();
        match periods(&eps, duc) {
            Ok(periods) => children.push(ImportedChild {
                child: child.clone(),
                sex: h.sex,
                born: h.born,
                ethnicity: h.ethnicity,
                upn: h.upn.clone(),
                forename: h.forename.clone(),
                surname: h.surname.clone(),
                postcode: h.postcode.clone(),
                periods,
                leaver_contacts: contacts.remove(child).unwrap_or_default(),
            }),
            Err((file, line, reason)) => reject(&file, line, Some(child.as_str()), reason),
        }
    }
    for (child, eps) in episodes {
        if bad_children.contains(&child) {
            continue;
        }
        if let Some(e) = eps.values().next() {
            reject(
                &e.file,
                e.line,
                Some(child.as_str()),
                "the child is in no Header file: add the year's Header with their sex and date of birth".into(),
            );
        }
    }
    rejected.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    rejected.dedup();
    Read { children, rejected }
}

/// A child's periods of care from their episodes, oldest first: each `S` begins one; `P` and
/// `T` move the child, `L` changes the legal status, `U` and `B` both. An error names the
/// row that breaks the chain.
fn periods(
    eps: &[Episode],
    duc: Option<Option<NaiveDate>>,
) -> Result<Vec<Period>, (String, usize, String)> {
    let mut out: Vec<Period> = Vec::new();
    let mut open = false;
    for (i, e) in eps.iter().enumerate() {
        let fail = |reason: String| Err((e.file.clone(), e.line, reason));
        let before = i.checked_sub(1).map(|b| &eps[b]);
        let continues =
            before.is_some_and(|b| b.rec.as_deref() == Some("X1") && b.dec == Some(e.decom));
        if e.rne == "S" {
            if open {
                return fail(format!(
                    "RNE is S but the care before it had not ended (the episode before ends {}): correct the episode before",
                    before.and_then(|b| b.dec).map_or("nowhere".into(), |d| d.format("%d/%m/%Y").to_string())
                ));
            }
            out.push(Period {
                started_on: e.decom,
                ended_on: None,
                end_reason: None,
                legal_status: e.legal_status,
                status_changes: Vec::new(),
                category_of_need: e.category_of_need,
                home_postcode: e.home_postcode.clone(),
                uasc: duc.is_some_and(|d| d.is_none_or(|d| e.decom < d)),
                placements: vec![placement(e)?],
            });
        } else {
            let Some(period) = out.last_mut().filter(|_| continues) else {
                return fail(format!(
                    "RNE is {} but no episode ends with X1 on {}: the care began before these files; import the earlier years' files with them",
                    e.rne,
                    e.decom.format("%d/%m/%Y")
                ));
            };
            let moved = matches!(e.rne.as_str(), "P" | "T" | "U" | "B");
            let changed = matches!(e.rne.as_str(), "L" | "U" | "B");
            if changed {
                period.status_changes.push((e.decom, e.legal_status));
            }
            if moved {
                if let Some(last) = period.placements.last_mut() {
                    last.ended_on = Some(e.decom);
                    last.end_reason = before.and_then(|b| b.reason);
                }
                period.placements.push(placement(e)?);
            }
        }
        open = true;
        if let Some(rec) = e.rec.as_deref().filter(|r| *r != "X1") {
            let period = out
                .last_mut()
                .ok_or((e.file.clone(), e.line, "no care".to_string()))?;
            period.ended_on = e.dec;
            period.end_reason = CeaseReason::from_code(rec);
            if let Some(last) = period.placements.last_mut() {
                last.ended_on = e.dec;
            }
            open = false;
        } else if e.rec.is_some()
            && eps
                .get(i + 1)
                .is_none_or(|n| n.decom != e.dec.unwrap_or(n.decom))
        {
            return fail(
                "REC is X1 but no episode begins the day this one ends: add the next episode, or the year's file that holds it".into(),
            );
        }
    }
    Ok(out)
}

fn placement(e: &Episode) -> Result<Placement, (String, usize, String)> {
    let postcode = e.postcode.clone().ok_or((
        e.file.clone(),
        e.line,
        "PL_POST is empty: the record needs where the child was placed".to_string(),
    ))?;
    Ok(Placement {
        placement_type: e.placement_type,
        route: e.route,
        provider: e.provider,
        postcode,
        urn: e.urn.clone(),
        started_on: e.decom,
        ended_on: None,
        end_reason: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(file: &str, columns: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            file: file.into(),
            year: CollectionYear::ending(2026).ok(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i + 2, r.iter().map(|c| c.to_string()).collect()))
                .collect(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const EP: [&str; 13] = super::super::ssda903::EPISODES;

    #[test]
    fn episodes_become_a_period_with_a_move_and_a_change_of_legal_status() {
        let header = t(
            "header.csv",
            &[
                "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "FORENAME", "SURNAME",
            ],
            &[&[
                "A1",
                "M",
                "01/05/2012",
                "WBRI",
                "UN5",
                "",
                "",
                "Dan",
                "Okafor",
            ]],
        );
        let episodes = t(
            "episodes.csv",
            &EP,
            &[
                &[
                    "A1",
                    "10/04/2025",
                    "S",
                    "V2",
                    "N1",
                    "U6",
                    "PR4",
                    "02/06/2025",
                    "X1",
                    "",
                    "NG7 2DF",
                    "NG5 1AB",
                    "SC1",
                ],
                &[
                    "A1",
                    "02/06/2025",
                    "L",
                    "C1",
                    "N1",
                    "U6",
                    "PR4",
                    "01/09/2025",
                    "X1",
                    "CHILD",
                    "NG7 2DF",
                    "NG5 1AB",
                    "SC1",
                ],
                &[
                    "A1",
                    "01/09/2025",
                    "U",
                    "C2",
                    "N1",
                    "K3",
                    "PR1",
                    "",
                    "",
                    "",
                    "NG7 2DF",
                    "NG9 1AA",
                    "SC2",
                ],
            ],
        );
        let r = read(&[header, episodes]);
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        let c = &r.children[0];
        assert_eq!(
            (c.child.as_str(), c.forename.as_deref()),
            ("A1", Some("Dan"))
        );
        assert_eq!(c.upn, None, "UN5 is a reason, not a UPN");
        let p = &c.periods[0];
        assert_eq!(p.legal_status, LegalStatus::V2);
        assert_eq!(
            p.status_changes,
            [
                (d(2025, 6, 2), LegalStatus::C1),
                (d(2025, 9, 1), LegalStatus::C2)
            ]
        );
        assert_eq!(p.placements.len(), 2);
        assert_eq!(p.placements[0].ended_on, Some(d(2025, 9, 1)));
        assert_eq!(p.placements[0].end_reason, Some(EndReason::Child));
        assert_eq!(p.placements[1].placement_type, PlacementType::H5);
        assert_eq!(p.placements[1].route, Route::InHouse);
        assert_eq!(p.ended_on, None);
    }

    #[test]
    fn two_years_files_are_one_care_and_a_bad_row_leaves_its_child_out() {
        let header = t(
            "2026/header.csv",
            &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            &[
                &["A1", "F", "01/05/2012", "WBRI", "A123456789012", "0", ""],
                &["B2", "M", "01/05/2013", "WBRI", "UN5", "", ""],
            ],
        );
        let last = t(
            "2025/episodes.csv",
            &EP,
            &[&[
                "A1",
                "10/04/2024",
                "S",
                "C2",
                "N1",
                "U6",
                "PR4",
                "",
                "",
                "",
                "NG7 2DF",
                "NG5 1AB",
                "SC1",
            ]],
        );
        let this = t(
            "2026/episodes.csv",
            &EP,
            &[
                &[
                    "A1",
                    "10/04/2024",
                    "S",
                    "C2",
                    "N1",
                    "U6",
                    "PR4",
                    "01/08/2025",
                    "E4A",
                    "",
                    "NG7 2DF",
                    "NG5 1AB",
                    "SC1",
                ],
                &[
                    "B2",
                    "1/13/2025",
                    "S",
                    "C2",
                    "N1",
                    "U6",
                    "PR4",
                    "",
                    "",
                    "",
                    "NG7 2DF",
                    "NG5 1AB",
                    "SC1",
                ],
            ],
        );
        let r = read(&[header, last, this]);
        assert_eq!(r.children.len(), 1);
        let p = &r.children[0].periods[0];
        assert_eq!(
            (p.ended_on, p.end_reason),
            (Some(d(2025, 8, 1)), Some(CeaseReason::HomePlanned))
        );
        assert_eq!(r.children[0].upn.as_deref(), Some("A123456789012"));
        assert_eq!(r.rejected.len(), 1);
        let bad = &r.rejected[0];
        assert_eq!(
            (bad.file.as_str(), bad.line, bad.child.as_deref()),
            ("2026/episodes.csv", 3, Some("B2"))
        );
        assert!(
            bad.reason.contains("DECOM is \"1/13/2025\""),
            "{}",
            bad.reason
        );
    }

    #[test]
    fn a_care_begun_before_the_files_is_reported_not_guessed() {
        let header = t(
            "h.csv",
            &["CHILD", "SEX", "DOB"],
            &[&["A1", "F", "01/05/2012"]],
        );
        let episodes = t(
            "e.csv",
            &EP,
            &[&[
                "A1",
                "10/04/2025",
                "P",
                "C2",
                "N1",
                "U6",
                "PR4",
                "",
                "",
                "",
                "NG7 2DF",
                "NG5 1AB",
                "SC1",
            ]],
        );
        let r = read(&[header, episodes]);
        assert!(r.children.is_empty());
        assert!(
            r.rejected[0].reason.contains("import the earlier years"),
            "{:?}",
            r.rejected
        );
    }
}
