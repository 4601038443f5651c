//! The SSDA903 return (the children looked after return, ADR 0053): the DfE's CSV files for
//! a collection year, 1 April to 31 March, worked out from the record's periods of care and
//! placements, with the DfE's column names and codes. Pure rules; the rows come through the
//! gate. Also the checks Hearth makes before a download, each naming the child, the file and
//! the field, so a problem is put right in the record rather than in a spreadsheet.

use super::leavers::{self, Contact, Stay};
use super::providers::{place_provider, ProviderKind};
use super::{CategoryOfNeed, CeaseReason, EndReason, LegalStatus, PlacementType, Route};
use crate::directory::Postcode;
use crate::ids::PersonId;
use crate::person::{Ethnicity, Sex};
use crate::returns::{Cell, Sheet};
use chrono::{Datelike, NaiveDate};

/// The year a return covers: from 1 April to the 31 March that ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectionYear {
    /// The calendar year of the 31 March that ends it (2026 for 2025-26).
    ends: i32,
}

impl CollectionYear {
    /// The collection year ending on 31 March of `ends`; an error for a year the DfE never
    /// collected (before the 903 began) or past any 31 March Hearth could hold.
    pub fn ending(ends: i32) -> Result<Self, &'static str> {
        if !(1990..=2100).contains(&ends) {
            return Err("Enter the year the collection ends, for example 2026 for 2025 to 2026");
        }
        Ok(CollectionYear { ends })
    }

    /// The latest collection year that has ended by `today`.
    pub fn last_ended(today: NaiveDate) -> Self {
        let ends = if (today.month(), today.day()) >= (3, 31) {
            today.year()
        } else {
            today.year() - 1
        };
        CollectionYear { ends }
    }

    pub fn ends(self) -> i32 {
        self.ends
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.ends - 1, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.ends, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// As the DfE writes it: `2025-26`.
    pub fn label(self) -> String {
        format!("{}-{:02}", self.ends - 1, self.ends % 100)
    }
}

/// A child who was looked after, as the return needs them: no name, no address.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub id: PersonId,
    /// The child's `CHILD` from the social care system's own 903 return, when the record was
    /// imported from one (ADR 0055): written again so the DfE links this year to the last.
    pub reference: Option<String>,
    pub sex: Option<Sex>,
    pub born: Option<NaiveDate>,
    pub ethnicity: Option<Ethnicity>,
    pub upn: Option<String>,
    /// Oldest first.
    pub periods: Vec<Period>,
    /// Contacts with them as a care leaver, any order.
    pub leaver_contacts: Vec<Contact>,
}

/// A period of care, with its placements oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<CeaseReason>,
    /// The legal status on the day care began.
    pub legal_status: LegalStatus,
    /// Each later change of legal status within the care, oldest first (ADR 0055).
    pub status_changes: Vec<(NaiveDate, LegalStatus)>,
    pub category_of_need: CategoryOfNeed,
    pub home_postcode: Option<Postcode>,
    pub uasc: bool,
    pub placements: Vec<Placement>,
}

impl Child {
    /// The child's `CHILD` in the return: the social care system's when imported from it,
    /// else the person's id in the record.
    pub fn child_id(&self) -> String {
        self.reference
            .clone()
            .unwrap_or_else(|| self.id.to_string())
    }
}

impl Period {
    /// The legal status on `day`: the latest change on or before it, else the first.
    pub fn status_on(&self, day: NaiveDate) -> LegalStatus {
        self.status_changes
            .iter()
            .rev()
            .find(|(on, _)| *on <= day)
            .map_or(self.legal_status, |(_, s)| *s)
    }
}

/// A placement as it was on the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub placement_type: PlacementType,
    pub route: Route,
    /// Who runs the home, when known: its provider's kind, or what a 903 return said.
    pub provider: Option<ProviderKind>,
    pub postcode: Postcode,
    pub urn: Option<String>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
}

/// Something in the record that would make the return wrong: which child, which file and
/// field, and what to put right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub child: PersonId,
    pub file: &'static str,
    pub field: &'static str,
    pub message: String,
}

/// The return's files for a year and what Hearth found wrong before they go.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub year: CollectionYear,
    pub header: Sheet,
    pub episodes: Sheet,
    pub uasc: Sheet,
    pub oc3: Sheet,
    pub problems: Vec<Problem>,
}

impl Return {
    /// The files, in the order the DfE lists them.
    pub fn files(&self) -> [&Sheet; 4] {
        [&self.header, &self.episodes, &self.uasc, &self.oc3]
    }

    /// A file by its name (`header`, `episodes`, `uasc`, `oc3`).
    pub fn file(&self, name: &str) -> Option<&Sheet> {
        self.files().into_iter().find(|s| s.name == name)
    }
}

pub const HEADER: [&str; 7] = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"];
pub const EPISODES: [&str; 13] = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
];
pub const UASC: [&str; 4] = ["CHILD", "SEX", "DOB", "DUC"];
pub const OC3: [&str; 5] = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"];

/// Dates as the 903 writes them.
fn day(d: NaiveDate) -> Cell {
    Cell::Text(d.format("%d/%m/%Y").to_string())
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// SSDA903 `SEX`.
pub fn sex_code(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::Male) => "M",
        Some(Sex::Female) => "F",
        Some(Sex::NotKnown) | None => "U",
    }
}

/// SSDA903 `PLACE_PROVIDER`: with a parent (PR0), the NHS or a young offender institution
/// (PR3, other public), the council's own (PR1), otherwise who runs the home by its
/// provider's kind (PR2 to PR5); a bought home whose provider is not known is written private
/// (PR4), the commonest.
pub fn provider_code(
    place: PlacementType,
    route: Route,
    provider: Option<ProviderKind>,
) -> &'static str {
    match (place, route, provider) {
        (PlacementType::P1, _, _) => "PR0",
        (PlacementType::R2 | PlacementType::R5, _, _) => "PR3",
        (_, Route::InHouse, _) => "PR1",
        (_, _, Some(kind)) => place_provider(kind),
        (_, _, None) => "PR4",
    }
}

/// SSDA903 `PLACE`: the record's code, but supported accommodation (`H5`, before Ofsted
/// registered it) is written `K3`, the code the DfE has used for it since 2024-25.
pub fn place_code(place: PlacementType) -> &'static str {
    match place {
        PlacementType::H5 => "K3",
        other => other.code(),
    }
}

/// Placements the DfE wants no Ofsted URN for (rule 222); every other needs one (rule 218).
fn no_urn(place: PlacementType) -> bool {
    use PlacementType::*;
    matches!(place, P1 | P3 | R1 | R2 | R5 | Z1)
}

/// SSDA903 `UPN`: the record's unique pupil number; otherwise `UN1` for a child under school
/// age on the 31 August before the year began, else `UN5` (the sources do not hold it).
pub fn upn(child: &Child, year: CollectionYear) -> String {
    if let Some(upn) = child.upn.as_deref().filter(|u| u.len() == 13) {
        return upn.to_string();
    }
    let reference = NaiveDate::from_ymd_opt(year.ends() - 2, 8, 31).unwrap_or(NaiveDate::MIN);
    match child.born {
        Some(born) if leavers::age_on(born, reference) < 4 => "UN1".into(),
        _ => "UN5".into(),
    }
}

/// One episode: a period's stretch in one placement under one legal status.
struct Episode {
    decom: NaiveDate,
    rne: &'static str,
    legal_status: LegalStatus,
    /// Which of the period's placements the child was in.
    placement: usize,
    dec: Option<NaiveDate>,
    rec: Option<&'static str>,
    reason: Option<EndReason>,
}

/// The episodes of a period, and the problems of its placements. A period's first episode
/// starts the care (`S`); a later one begins at each change of placement (`P`), of legal
/// status (`L`, ADR 0055) or of both on one day (`U`). Each episode but the last ends with
/// `X1` (the episode ceased and a new one began), with the placement's reason for the change
/// when the next episode moves the child; the last ends with the care's own reason when the
/// care ended.
fn episodes_of(child: &Child, period: &Period, problems: &mut Vec<Problem>) -> Vec<Episode> {
    let mut problem = |field: &'static str, message: String| {
        problems.push(Problem {
            child: child.id,
            file: "episodes",
            field,
            message,
        })
    };
    let Some(first) = period.placements.first() else {
        problem(
            "PLACE",
            format!(
                "The care that began on {} has no placement: record where the child lives",
                period.started_on.format("%d/%m/%Y")
            ),
        );
        return Vec::new();
    };
    if first.started_on != period.started_on {
        problem(
            "DECOM",
            format!(
                "The first placement began on {}, not on the day care began ({}): the 903 needs a placement from the first day",
                first.started_on.format("%d/%m/%Y"),
                period.started_on.format("%d/%m/%Y")
            ),
        );
    }
    let last = period.placements.len() - 1;
    for (i, pl) in period.placements.iter().enumerate() {
        if i < last {
            let next = period.placements[i + 1].started_on;
            if pl.ended_on != Some(next) {
                problem(
                    "DEC",
                    format!(
                        "The placement that began on {} does not end on the day the next began ({}): correct the placement's end",
                        pl.started_on.format("%d/%m/%Y"),
                        next.format("%d/%m/%Y")
                    ),
                );
            }
            if pl.end_reason.is_none() {
                problem(
                    "REASON_PLACE_CHANGE",
                    format!(
                        "The placement that began on {} ended with no reason: record why it ended",
                        pl.started_on.format("%d/%m/%Y")
                    ),
                );
            }
        } else if let Some(ended) = period.ended_on {
            if period.end_reason.is_none() {
                problem(
                    "REC",
                    format!(
                        "The care ended on {} with no reason: record why it ended",
                        ended.format("%d/%m/%Y")
                    ),
                );
            }
        } else if let Some(ended) = pl.ended_on {
            problem(
                "DEC",
                format!(
                    "The child's last placement ended on {} but the care goes on: record where the child lives now, or that the care ended",
                    ended.format("%d/%m/%Y")
                ),
            );
        }
    }
    // The days an episode begins: the care's first, each later placement's, and each change
    // of legal status while the care lasted.
    let mut days: Vec<NaiveDate> = period.placements[1..]
        .iter()
        .map(|p| p.started_on)
        .chain(period.status_changes.iter().map(|(on, _)| *on))
        .filter(|d| *d > period.started_on && period.ended_on.is_none_or(|e| *d < e))
        .collect();
    days.sort();
    days.dedup();
    let mut out: Vec<Episode> = Vec::new();
    for day in std::iter::once(period.started_on).chain(days) {
        let placement = period
            .placements
            .iter()
            .rposition(|p| p.started_on <= day)
            .unwrap_or(0);
        let legal_status = period.status_on(day);
        let rne = match out.last() {
            None => "S",
            Some(before) => {
                let moved = placement != before.placement;
                let changed = legal_status != before.legal_status;
                match (moved, changed) {
                    (true, true) => "U",
                    (true, false) => "P",
                    (false, true) => "L",
                    // A change to the status the child already had is no new episode.
                    (false, false) => continue,
                }
            }
        };
        if let Some(before) = out.last_mut() {
            before.dec = Some(day);
            before.rec = Some("X1");
            before.reason = if rne == "L" {
                None
            } else {
                period.placements[before.placement].end_reason
            };
        }
        out.push(Episode {
            decom: day,
            rne,
            legal_status,
            placement,
            dec: None,
            rec: None,
            reason: None,
        });
    }
    if let (Some(last), Some(ended)) = (out.last_mut(), period.ended_on) {
        last.dec = Some(ended);
        last.rec = period.end_reason.map(CeaseReason::code);
    }
    out
}

/// The OC3 row of a young person whose 17th to 21st birthday falls in the year and who was a
/// care leaver on it, from the latest contact near the birthday; a problem when there is none.
fn oc3_row(child: &Child, year: CollectionYear, problems: &mut Vec<Problem>) -> Option<Vec<Cell>> {
    let born = child.born?;
    let (age, birthday) = leavers::birthday_in(born, year.first_day(), year.last_day())?;
    let stays: Vec<Stay> = child
        .periods
        .iter()
        .map(|p| Stay {
            from: p.started_on,
            to: p.ended_on,
            died: p.end_reason == Some(CeaseReason::Died),
        })
        .collect();
    if !leavers::is_care_leaver(born, &stays, birthday) {
        return None;
    }
    let (in_touch, activity, accommodation) = match leavers::contact_for(
        &child.leaver_contacts,
        birthday,
    ) {
        Some(c) => (
            text(c.in_touch.code()),
            text(c.activity.map_or("0", |a| a.code())),
            text(
                &c.accommodation
                    .map_or_else(|| "0".to_string(), |(a, suits)| a.oc3_code(suits)),
            ),
        ),
        None => {
            problems.push(Problem {
                    child: child.id,
                    file: "oc3",
                    field: "IN_TOUCH",
                    message: format!(
                        "No care leaver contact is recorded around the birthday they turned {age} ({}): record one from three months before it to a month after",
                        birthday.format("%d/%m/%Y")
                    ),
                });
            (Cell::Empty, Cell::Empty, Cell::Empty)
        }
    };
    Some(vec![
        text(&child.child_id()),
        day(born),
        in_touch,
        activity,
        accommodation,
    ])
}

/// The return's files for `year` from the children's records, each child's rows in the
/// order of their `CHILD`. A child is in it when any of their episodes was open on any day of
/// the year; an episode still open on 31 March is written without its end.
pub fn generate(year: CollectionYear, children: &[Child]) -> Return {
    let (first, last) = (year.first_day(), year.last_day());
    let mut problems = Vec::new();
    let mut header = Vec::new();
    let mut episodes = Vec::new();
    let mut uasc = Vec::new();
    let mut oc3 = Vec::new();
    // In the order of `CHILD`, so a record imported from a return writes it back line for line.
    let mut ordered: Vec<&Child> = children.iter().collect();
    ordered.sort_by_cached_key(|c| c.child_id());
    for child in ordered {
        let id = child.child_id();
        let mut rows = Vec::new();
        let mut was_uasc = false;
        for period in child
            .periods
            .iter()
            .filter(|p| p.started_on <= last && p.ended_on.is_none_or(|e| e >= first))
        {
            let short_break = period.legal_status.is_short_break();
            if period.home_postcode.is_none() && !short_break && !period.uasc {
                problems.push(Problem {
                    child: child.id,
                    file: "episodes",
                    field: "HOME_POST",
                    message: format!(
                        "The care that began on {} has no home postcode: record where the child lived before care",
                        period.started_on.format("%d/%m/%Y")
                    ),
                });
            }
            let eps = episodes_of(child, period, &mut problems);
            for ep in &eps {
                let pl = &period.placements[ep.placement];
                let open_in_year = ep.decom <= last && ep.dec.is_none_or(|d| d >= first);
                if !open_in_year {
                    continue;
                }
                was_uasc |= period.uasc;
                let ended = ep.dec.filter(|d| *d <= last);
                // V3 and V4 (short breaks) carry no postcodes, and an unaccompanied child no
                // home postcode: the DfE measures no distance for either.
                let (home_post, pl_post) = if short_break {
                    (Cell::Empty, Cell::Empty)
                } else if period.uasc {
                    (Cell::Empty, text(pl.postcode.as_str()))
                } else {
                    (
                        period
                            .home_postcode
                            .as_ref()
                            .map_or(Cell::Empty, |p| text(p.as_str())),
                        text(pl.postcode.as_str()),
                    )
                };
                if !short_break
                    && pl.placement_type != PlacementType::P1
                    && period.home_postcode.as_ref() == Some(&pl.postcode)
                {
                    problems.push(Problem {
                        child: child.id,
                        file: "episodes",
                        field: "PL_POST",
                        message: format!(
                            "The placement that began on {} is at the child's home postcode, {}, but is not with a parent (P1): check both postcodes",
                            pl.started_on.format("%d/%m/%Y"),
                            pl.postcode.as_str()
                        ),
                    });
                }
                let urn = if no_urn(pl.placement_type) {
                    Cell::Empty
                } else if let Some(urn) = pl.urn.as_deref() {
                    text(urn)
                } else {
                    problems.push(Problem {
                        child: child.id,
                        file: "episodes",
                        field: "URN",
                        message: format!(
                            "The placement that began on {} is at a home with no Ofsted URN: record the URN of the home, or of the fostering service that approved the carers",
                            pl.started_on.format("%d/%m/%Y")
                        ),
                    });
                    Cell::Empty
                };
                rows.push(vec![
                    text(&id),
                    day(ep.decom),
                    text(ep.rne),
                    text(ep.legal_status.code()),
                    text(period.category_of_need.code()),
                    text(place_code(pl.placement_type)),
                    text(provider_code(pl.placement_type, pl.route, pl.provider)),
                    ended.map_or(Cell::Empty, day),
                    ended.and(ep.rec).map_or(Cell::Empty, text),
                    ended.and(ep.reason).map_or(Cell::Empty, |r| text(r.code())),
                    home_post,
                    pl_post,
                    urn,
                ]);
            }
        }
        let leaver = oc3_row(child, year, &mut problems);
        if rows.is_empty() && leaver.is_none() {
            continue;
        }
        let looked_after = !rows.is_empty();
        episodes.extend(rows);
        oc3.extend(leaver);
        let born = child.born.map_or(Cell::Empty, day);
        if child.born.is_none() {
            problems.push(Problem {
                child: child.id,
                file: "header",
                field: "DOB",
                message: "The child's date of birth is not recorded: record it on their page"
                    .into(),
            });
        }
        let sex = sex_code(child.sex);
        if sex == "U" {
            problems.push(Problem {
                child: child.id,
                file: "header",
                field: "SEX",
                message: "The child's sex is not recorded: record it on their page".into(),
            });
        }
        header.push(vec![
            text(&id),
            text(sex),
            born.clone(),
            text(child.ethnicity.unwrap_or(Ethnicity::NotYetObtained).code()),
            text(&upn(child, year)),
            // The record does not hold that a girl in care is herself a mother (ADR 0053);
            // the DfE asks it only of those looked after in the year, not of care leavers.
            if sex == "F" && looked_after {
                text("0")
            } else {
                Cell::Empty
            },
            Cell::Empty,
        ]);
        if was_uasc {
            let ceased = child
                .born
                // The 18th birthday: the day a child stops being an unaccompanied child.
                .and_then(|b| leavers::birthday(b, 18))
                .filter(|d| *d <= last)
                .map_or(Cell::Empty, day);
            uasc.push(vec![text(&id), text(sex), born, ceased]);
        }
    }
    Return {
        year,
        header: Sheet {
            name: "header",
            title: "Header: the children looked after in the year",
            columns: HEADER.to_vec(),
            rows: header,
        },
        episodes: Sheet {
            name: "episodes",
            title: "Episodes: each change of placement or legal status",
            columns: EPISODES.to_vec(),
            rows: episodes,
        },
        uasc: Sheet {
            name: "uasc",
            title: "UASC: unaccompanied asylum-seeking children",
            columns: UASC.to_vec(),
            rows: uasc,
        },
        oc3: Sheet {
            name: "oc3",
            title: "OC3: care leavers at 17 to 21",
            columns: OC3.to_vec(),
            rows: oc3,
        },
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pc(s: &str) -> Postcode {
        Postcode::parse(s).unwrap()
    }

    fn placement(
        place: PlacementType,
        route: Route,
        from: NaiveDate,
        to: Option<NaiveDate>,
        reason: Option<EndReason>,
    ) -> Placement {
        Placement {
            placement_type: place,
            route,
            provider: None,
            postcode: pc("NG5 1AB"),
            urn: Some("SC123456".into()),
            started_on: from,
            ended_on: to,
            end_reason: reason,
        }
    }

    fn period(from: NaiveDate, placements: Vec<Placement>) -> Period {
        Period {
            started_on: from,
            ended_on: None,
            end_reason: None,
            legal_status: LegalStatus::C2,
            status_changes: Vec::new(),
            category_of_need: CategoryOfNeed::N1,
            home_postcode: Some(pc("NG7 2DF")),
            uasc: false,
            placements,
        }
    }

    fn child(born: NaiveDate, sex: Sex, periods: Vec<Period>) -> Child {
        Child {
            id: PersonId::new(),
            reference: None,
            sex: Some(sex),
            born: Some(born),
            ethnicity: Some(Ethnicity::WhiteBritish),
            upn: None,
            periods,
            leaver_contacts: Vec::new(),
        }
    }

    fn y26() -> CollectionYear {
        CollectionYear::ending(2026).unwrap()
    }

    fn cells(row: &[Cell]) -> Vec<String> {
        row.iter().map(Cell::text).collect()
    }

    #[test]
    fn the_year_runs_from_april_to_march() {
        let y = y26();
        assert_eq!(
            (y.first_day(), y.last_day()),
            (d(2025, 4, 1), d(2026, 3, 31))
        );
        assert_eq!(y.label(), "2025-26");
        assert_eq!(CollectionYear::last_ended(d(2026, 12, 6)), y);
        assert_eq!(CollectionYear::last_ended(d(2026, 3, 31)), y);
        assert_eq!(CollectionYear::last_ended(d(2026, 3, 30)).ends(), 2025);
        assert!(CollectionYear::ending(26).is_err());
    }

    #[test]
    fn codes_are_the_dfes() {
        use PlacementType::*;
        use ProviderKind::{LocalAuthority, OtherLocalAuthority, Private, Voluntary};
        let table = [
            (P1, Route::InHouse, None, "PR0"),
            (R2, Route::Spot, Some(Private), "PR3"),
            (R5, Route::InHouse, None, "PR3"),
            (U4, Route::InHouse, Some(LocalAuthority), "PR1"),
            (U4, Route::Spot, Some(OtherLocalAuthority), "PR2"),
            (U6, Route::Framework, None, "PR4"),
            (U6, Route::Framework, Some(Private), "PR4"),
            (K2, Route::Block, Some(Voluntary), "PR5"),
        ];
        for (place, route, provider, code) in table {
            assert_eq!(
                provider_code(place, route, provider),
                code,
                "{place:?} {route:?} {provider:?}"
            );
        }
        assert_eq!(sex_code(Some(Sex::Female)), "F");
        assert_eq!(sex_code(Some(Sex::NotKnown)), "U");
        assert_eq!(sex_code(None), "U");
    }

    #[test]
    fn unique_pupil_numbers_or_the_dfes_reason_for_none() {
        let mut c = child(d(2012, 5, 1), Sex::Male, vec![]);
        assert_eq!(upn(&c, y26()), "UN5", "school age, no UPN held");
        c.upn = Some("A123456789012".into());
        assert_eq!(upn(&c, y26()), "A123456789012");
        c.upn = None;
        c.born = Some(d(2021, 9, 1));
        assert_eq!(upn(&c, y26()), "UN1", "under 4 on 31/08/2024");
        c.born = Some(d(2020, 8, 31));
        assert_eq!(upn(&c, y26()), "UN5", "4 on 31/08/2024");
    }

    #[test]
    fn a_move_in_the_year_is_two_episodes_the_first_ending_x1_with_its_reason() {
        let c = child(
            d(2012, 5, 1),
            Sex::Male,
            vec![period(
                d(2024, 6, 1),
                vec![
                    placement(
                        PlacementType::U4,
                        Route::InHouse,
                        d(2024, 6, 1),
                        Some(d(2025, 9, 10)),
                        Some(EndReason::Child),
                    ),
                    placement(PlacementType::K2, Route::Spot, d(2025, 9, 10), None, None),
                ],
            )],
        );
        let r = generate(y26(), std::slice::from_ref(&c));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let id = c.id.to_string();
        assert_eq!(
            cells(&r.header.rows[0]),
            [&id, "M", "01/05/2012", "WBRI", "UN5", "", ""]
        );
        assert_eq!(
            cells(&r.episodes.rows[0]),
            [
                &id,
                "01/06/2024",
                "S",
                "C2",
                "N1",
                "U4",
                "PR1",
                "10/09/2025",
                "X1",
                "CHILD",
                "NG7 2DF",
                "NG5 1AB",
                "SC123456"
            ]
        );
        assert_eq!(
            cells(&r.episodes.rows[1]),
            [
                &id,
                "10/09/2025",
                "P",
                "C2",
                "N1",
                "K2",
                "PR4",
                "",
                "",
                "",
                "NG7 2DF",
                "NG5 1AB",
                "SC123456"
            ]
        );
        assert!(r.uasc.rows.is_empty());
        assert_eq!(r.header.columns, HEADER);
        assert_eq!(r.episodes.columns, EPISODES);
    }

    #[test]
    fn which_episodes_and_ends_the_year_holds() {
        // (placement start, its end, care end, rows written, DEC written)
        // (placement start, its end, care end, rows written, DEC written)
        type Case = (
            NaiveDate,
            Option<NaiveDate>,
            Option<NaiveDate>,
            usize,
            &'static str,
        );
        let table: [Case; 5] = [
            (
                d(2023, 1, 1),
                Some(d(2025, 3, 31)),
                Some(d(2025, 3, 31)),
                0,
                "",
            ),
            (
                d(2023, 1, 1),
                Some(d(2025, 4, 1)),
                Some(d(2025, 4, 1)),
                1,
                "01/04/2025",
            ),
            (
                d(2025, 5, 1),
                Some(d(2026, 4, 2)),
                Some(d(2026, 4, 2)),
                1,
                "",
            ),
            (d(2026, 4, 1), None, None, 0, ""),
            (d(2026, 3, 31), None, None, 1, ""),
        ];
        for (from, to, care_ended, rows, dec) in table {
            let mut p = period(
                from,
                vec![placement(PlacementType::U6, Route::Spot, from, to, None)],
            );
            p.ended_on = care_ended;
            p.end_reason = care_ended.map(|_| CeaseReason::HomePlanned);
            let r = generate(y26(), &[child(d(2012, 5, 1), Sex::Female, vec![p])]);
            assert!(r.problems.is_empty(), "{:?}", r.problems);
            assert_eq!(r.episodes.rows.len(), rows, "{from} {to:?}");
            assert_eq!(r.header.rows.len(), rows.min(1));
            if rows == 1 {
                assert_eq!(r.episodes.rows[0][7].text(), dec, "{from} {to:?}");
                let rec = if dec.is_empty() { "" } else { "E4A" };
                assert_eq!(r.episodes.rows[0][8].text(), rec);
                assert_eq!(r.header.rows[0][5].text(), "0", "MOTHER for a girl");
            }
        }
    }

    #[test]
    fn unaccompanied_children_have_no_home_postcode_and_a_uasc_row() {
        let mut p = period(
            d(2025, 1, 10),
            vec![placement(
                PlacementType::H5,
                Route::Framework,
                d(2025, 1, 10),
                None,
                None,
            )],
        );
        p.uasc = true;
        p.home_postcode = None;
        let c = child(d(2008, 2, 3), Sex::Male, vec![p]);
        let r = generate(y26(), std::slice::from_ref(&c));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let row = cells(&r.episodes.rows[0]);
        assert_eq!((row[10].as_str(), row[11].as_str()), ("", "NG5 1AB"));
        assert_eq!(row[12], "SC123456", "a URN for H5 since October 2023");
        assert_eq!(
            cells(&r.uasc.rows[0]),
            [c.id.to_string().as_str(), "M", "03/02/2008", "03/02/2026"]
        );
    }

    #[test]
    fn problems_name_the_child_the_file_and_the_field() {
        let gap = period(
            d(2025, 5, 1),
            vec![
                placement(
                    PlacementType::U6,
                    Route::Spot,
                    d(2025, 5, 1),
                    Some(d(2025, 6, 1)),
                    None,
                ),
                placement(PlacementType::U6, Route::Spot, d(2025, 6, 5), None, None),
            ],
        );
        let mut none = period(d(2025, 7, 1), vec![]);
        none.home_postcode = None;
        let mut c = child(d(2012, 5, 1), Sex::Male, vec![gap, none]);
        c.born = None;
        let r = generate(y26(), std::slice::from_ref(&c));
        let fields: Vec<(&str, &str)> = r.problems.iter().map(|p| (p.file, p.field)).collect();
        assert_eq!(
            fields,
            [
                ("episodes", "DEC"),
                ("episodes", "REASON_PLACE_CHANGE"),
                ("episodes", "HOME_POST"),
                ("episodes", "PLACE"),
                ("header", "DOB"),
            ]
        );
        assert!(r.problems.iter().all(|p| p.child == c.id));
        assert!(r.problems[0].message.contains("05/06/2025"));
        let mut same = period(
            d(2025, 5, 1),
            vec![placement(
                PlacementType::U6,
                Route::Spot,
                d(2025, 5, 1),
                None,
                None,
            )],
        );
        same.home_postcode = Some(pc("NG5 1AB"));
        let r = generate(y26(), &[child(d(2012, 5, 1), Sex::Male, vec![same])]);
        assert_eq!(r.problems[0].field, "PL_POST");
    }

    #[test]
    fn care_leavers_at_17_to_21_are_in_oc3_and_the_header_without_episodes() {
        use crate::care::leavers::{Accommodation, Activity, InTouch};
        let mut p = period(
            d(2021, 1, 4),
            vec![placement(
                PlacementType::U4,
                Route::InHouse,
                d(2021, 1, 4),
                None,
                None,
            )],
        );
        p.ended_on = Some(d(2024, 6, 1));
        p.end_reason = Some(CeaseReason::StayingPut);
        let mut c = child(d(2006, 6, 1), Sex::Female, vec![p]);
        let r = generate(y26(), std::slice::from_ref(&c));
        assert!(r.episodes.rows.is_empty(), "care ended before the year");
        assert_eq!(r.problems[0].file, "oc3");
        assert!(r.problems[0].message.contains("turned 19 (01/06/2025)"));
        c.leaver_contacts.push(Contact {
            recorded_on: d(2025, 5, 20),
            in_touch: InTouch::Yes,
            activity: Some(Activity::HigherFull),
            accommodation: Some((Accommodation::FormerFosterCarers, true)),
            staying_put: true,
            staying_close: false,
        });
        let r = generate(y26(), std::slice::from_ref(&c));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let id = c.id.to_string();
        assert_eq!(
            cells(&r.oc3.rows[0]),
            [&id, "01/06/2006", "YES", "F1", "Z1"]
        );
        assert_eq!(cells(&r.header.rows[0])[0], id);
        assert_eq!(r.oc3.columns, OC3);
        c.leaver_contacts[0].in_touch = InTouch::ReturnedHome;
        c.leaver_contacts[0].activity = None;
        c.leaver_contacts[0].accommodation = None;
        let r = generate(y26(), std::slice::from_ref(&c));
        assert_eq!(cells(&r.oc3.rows[0])[2..], ["RHOM", "0", "0"]);
        // Still looked after on the 17th birthday: no care leaver yet.
        let young = child(
            d(2008, 7, 1),
            Sex::Male,
            vec![period(
                d(2023, 1, 1),
                vec![placement(
                    PlacementType::U4,
                    Route::InHouse,
                    d(2023, 1, 1),
                    None,
                    None,
                )],
            )],
        );
        let r = generate(y26(), &[young]);
        assert!(r.oc3.rows.is_empty() && r.problems.is_empty());
    }

    #[test]
    fn a_change_of_legal_status_is_an_episode_l_alone_or_u_with_a_move() {
        let mut p = period(
            d(2025, 4, 10),
            vec![
                placement(
                    PlacementType::U6,
                    Route::Spot,
                    d(2025, 4, 10),
                    Some(d(2025, 9, 1)),
                    Some(EndReason::Child),
                ),
                placement(PlacementType::K2, Route::Spot, d(2025, 9, 1), None, None),
            ],
        );
        p.legal_status = LegalStatus::V2;
        p.status_changes = vec![
            (d(2025, 6, 2), LegalStatus::C1),
            (d(2025, 9, 1), LegalStatus::C2),
        ];
        let mut c = child(d(2012, 5, 1), Sex::Male, vec![p]);
        c.reference = Some("AB123".into());
        let r = generate(y26(), std::slice::from_ref(&c));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let rows: Vec<Vec<String>> = r.episodes.rows.iter().map(|r| cells(r)).collect();
        let pick = |i: usize| {
            let w = &rows[i];
            [
                w[0].as_str(),
                w[1].as_str(),
                w[2].as_str(),
                w[3].as_str(),
                w[5].as_str(),
                w[7].as_str(),
                w[8].as_str(),
                w[9].as_str(),
            ]
        };
        assert_eq!(rows.len(), 3);
        assert_eq!(
            pick(0),
            [
                "AB123",
                "10/04/2025",
                "S",
                "V2",
                "U6",
                "02/06/2025",
                "X1",
                ""
            ]
        );
        assert_eq!(
            pick(1),
            [
                "AB123",
                "02/06/2025",
                "L",
                "C1",
                "U6",
                "01/09/2025",
                "X1",
                "CHILD"
            ]
        );
        assert_eq!(
            pick(2),
            ["AB123", "01/09/2025", "U", "C2", "K2", "", "", ""]
        );
        assert_eq!(cells(&r.header.rows[0])[0], "AB123");
    }
}
