//! The sufficiency picture (issue 22, ADR 0047): the Placements Commissioning and Sufficiency
//! Strategy's figures, worked out from the record for any date — children looked after and
//! their rate per 10,000 children, over ten years and by age, sex, ethnicity and UASC status;
//! the placement mix; in-house and external; within the radius by kind of placement; inside
//! the boundary; the DfE's stability measures; spend by kind and financial year; the Ofsted
//! ratings of the homes used; and the gaps, from requests that found no suitable home.
//!
//! Pure: the store gathers the facts, the app hides small numbers. Each table carries its
//! definition, which the page shows beside it.

use super::codes::{EndReason, Offer, OfstedRating, Route, SufficiencyKind};
use super::leavers::{self, Accommodation, Activity};
use super::locality::{LocalArea, Locality};
use super::stability::{long_term_stable, three_or_more, Stay};
use crate::directory::{Coordinates, Postcode};
use crate::insight::Figure;
use crate::person::{Ethnicity, Sex};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;

/// One period of care, as the picture needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFact {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// Short breaks (V3, V4): the DfE does not count these children as looked after.
    pub short_break: bool,
    pub uasc: bool,
    /// Where the home the child came from is, when its postcode is known.
    pub home: Option<Coordinates>,
}

impl PeriodFact {
    fn on(&self, day: NaiveDate) -> bool {
        !self.short_break && self.started_on <= day && self.ended_on.is_none_or(|e| e > day)
    }
}

/// One placement, as it was on the day, with its home's rating now.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementFact {
    /// Which of the child's periods it belongs to (an index into `ChildFacts::periods`).
    pub period: usize,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
    pub kind: SufficiencyKind,
    pub route: Route,
    pub postcode: Postcode,
    pub at: Option<Coordinates>,
    pub weekly_cost_pence: i64,
    /// The home, to count each home used once.
    pub home: String,
    pub rating: Option<OfstedRating>,
}

impl PlacementFact {
    fn on(&self, day: NaiveDate) -> bool {
        self.started_on <= day && self.ended_on.is_none_or(|e| e > day)
    }
}

/// A child who has been in care, with every period and placement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChildFacts {
    pub born: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub ethnicity: Option<Ethnicity>,
    pub periods: Vec<PeriodFact>,
    pub placements: Vec<PlacementFact>,
    /// Contacts with them as a care leaver, any order.
    pub leaver_contacts: Vec<leavers::Contact>,
}

/// A request for a home decided as "no suitable home".
#[derive(Debug, Clone, PartialEq)]
pub struct UnmetFact {
    pub decided_on: NaiveDate,
    pub needs: Vec<Offer>,
    /// Brothers and sisters to be placed with the child.
    pub siblings: i64,
}

/// What the picture is worked out from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub children: Vec<ChildFacts>,
    pub unmet: Vec<UnmetFact>,
}

/// One cell of a table, before small numbers are hidden.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// A number of children, homes or requests.
    Count(u64),
    /// A share: the numerator of the denominator, shown as a percentage.
    Share(Figure),
    /// A rate per 10,000 of the child population.
    Rate { count: u64, population: u64 },
    /// Money, in pence (never a count of people: not hidden).
    Pence(i64),
}

/// One line of a table: what it counts and its cells, in the table's column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// One of the picture's tables, with its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// A stable name (the CSV's first column, the page's anchor).
    pub key: &'static str,
    pub title: String,
    pub definition: String,
    /// Headings of the cells (the line's label has its own first heading).
    pub head: Vec<String>,
    pub lines: Vec<Line>,
}

/// How many financial years of spend the picture shows.
pub const SPEND_YEARS: i32 = 5;
/// How many 31 Marches the picture counts back over.
pub const TREND_YEARS: i32 = 10;

/// The 31 March that ends the financial year `day` falls in.
pub fn year_end_of(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 4 {
        day.year() + 1
    } else {
        day.year()
    };
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(day)
}

/// A financial year as people write it: `2022–23`.
pub fn financial_year(year_end: NaiveDate) -> String {
    format!("{}–{:02}", year_end.year() - 1, year_end.year() % 100)
}

/// The DfE's age bands for children looked after.
pub const AGE_BANDS: [(&str, u32, u32); 5] = [
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 and over", 16, u32::MAX),
];

fn age_on(born: NaiveDate, day: NaiveDate) -> Option<u32> {
    day.years_since(born)
}

/// The broad ethnic groups the strategy reports (White British apart, as it does).
pub fn ethnic_group(e: Option<Ethnicity>) -> &'static str {
    match e.map(|e| e.code()) {
        Some("WBRI") => "White British",
        Some(c) if c.starts_with('W') => "Other White",
        Some(c) if c.starts_with('M') => "Mixed",
        Some(c) if c.starts_with('A') => "Asian or Asian British",
        Some(c) if c.starts_with('B') => "Black or Black British",
        Some("CHNE" | "OOTH") => "Other ethnic group",
        _ => "Not known or refused",
    }
}

const ETHNIC_GROUPS: [&str; 7] = [
    "White British",
    "Other White",
    "Mixed",
    "Asian or Asian British",
    "Black or Black British",
    "Other ethnic group",
    "Not known or refused",
];

/// A child looked after on the day: their period then, and their placement then, if placed.
struct Looked<'a> {
    child: &'a ChildFacts,
    period: &'a PeriodFact,
    placement: Option<&'a PlacementFact>,
}

fn looked_after(facts: &Facts, day: NaiveDate) -> Vec<Looked<'_>> {
    facts
        .children
        .iter()
        .filter_map(|child| {
            let (i, period) = child.periods.iter().enumerate().find(|(_, p)| p.on(day))?;
            let placement = child.placements.iter().find(|p| p.period == i && p.on(day));
            Some(Looked {
                child,
                period,
                placement,
            })
        })
        .collect()
}

fn share(n: usize, of: usize) -> Cell {
    Cell::Share(Figure {
        numerator: n as u64,
        denominator: Some(of as u64),
    })
}

fn count(n: usize) -> Cell {
    Cell::Count(n as u64)
}

/// Lines counting the children in each group, with their share of all, in `order`.
fn grouped<'a>(
    looked: &[Looked<'a>],
    order: &[&str],
    group: impl Fn(&Looked<'a>) -> String,
) -> Vec<Line> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in looked {
        *counts.entry(group(l)).or_default() += 1;
    }
    order
        .iter()
        .map(|label| {
            let n = counts.get(*label).copied().unwrap_or(0);
            Line {
                label: (*label).to_string(),
                cells: vec![count(n), share(n, looked.len())],
            }
        })
        .collect()
}

fn number_and_share() -> Vec<String> {
    vec!["Children".into(), "Share".into()]
}

/// The whole picture on `on`, for a child population of `population`.
pub fn picture(facts: &Facts, on: NaiveDate, area: &LocalArea, population: u64) -> Vec<Table> {
    let looked = looked_after(facts, on);
    let total = looked.len();
    let mut tables = vec![
        Table {
            key: "looked_after",
            title: "Children looked after".into(),
            definition: format!(
                "Children in a period of care on {on} (a period ending that day is over), without children on an agreed series of short breaks (V3, V4), as the DfE counts them. The rate is per 10,000 of the partnership's {population} children under 18 (a setting)."
            ),
            head: vec!["Children".into(), "Rate per 10,000 children".into()],
            lines: vec![Line {
                label: "Looked after".into(),
                cells: vec![
                    count(total),
                    Cell::Rate {
                        count: total as u64,
                        population,
                    },
                ],
            }],
        },
        trend(facts, on, population),
    ];
    tables.extend(characteristics(&looked, on));
    tables.extend(placements(&looked, area));
    tables.push(stability(facts, on));
    tables.push(spend(facts, on));
    tables.push(ratings(&looked));
    tables.push(gaps(facts, on));
    tables.push(care_leavers(facts, on));
    tables
}

fn trend(facts: &Facts, on: NaiveDate, population: u64) -> Table {
    let latest = if year_end_of(on) == on {
        on
    } else {
        year_end_of(on)
            .checked_sub_months(Months::new(12))
            .unwrap_or(on)
    };
    let lines = (0..TREND_YEARS)
        .rev()
        .filter_map(|back| latest.checked_sub_months(Months::new(12 * back as u32)))
        .map(|day| {
            let n = looked_after(facts, day).len();
            Line {
                label: day.to_string(),
                cells: vec![
                    count(n),
                    Cell::Rate {
                        count: n as u64,
                        population,
                    },
                ],
            }
        })
        .collect();
    Table {
        key: "over_time",
        title: "Children looked after at 31 March, over ten years".into(),
        definition: "Counted as above at each 31 March up to the date chosen, over today's child population (the setting), so the rate shows the change in numbers.".into(),
        head: vec!["Children".into(), "Rate per 10,000 children".into()],
        lines,
    }
}

fn characteristics(looked: &[Looked<'_>], on: NaiveDate) -> Vec<Table> {
    let bands: Vec<&str> = AGE_BANDS
        .iter()
        .map(|(l, _, _)| *l)
        .chain(["Age not known"])
        .collect();
    let age = grouped(looked, &bands, |l| {
        l.child
            .born
            .and_then(|b| age_on(b, on))
            .and_then(|a| {
                AGE_BANDS
                    .iter()
                    .find(|(_, lo, hi)| (*lo..=*hi).contains(&a))
            })
            .map_or("Age not known", |(l, _, _)| l)
            .to_string()
    });
    let sexes = ["Female", "Male", "Not known"];
    let sex = grouped(looked, &sexes, |l| {
        l.child.sex.map_or("Not known", |s| s.label()).to_string()
    });
    let ethnicity = grouped(looked, &ETHNIC_GROUPS, |l| {
        ethnic_group(l.child.ethnicity).to_string()
    });
    let uasc = grouped(looked, &["Unaccompanied asylum-seeking", "Not UASC"], |l| {
        if l.period.uasc {
            "Unaccompanied asylum-seeking"
        } else {
            "Not UASC"
        }
        .to_string()
    });
    vec![
        Table {
            key: "age",
            title: "By age".into(),
            definition: "Age on the date chosen, in the DfE's bands, of the children looked after then.".into(),
            head: number_and_share(),
            lines: age,
        },
        Table {
            key: "sex",
            title: "By sex".into(),
            definition: "Sex as recorded on the child's record.".into(),
            head: number_and_share(),
            lines: sex,
        },
        Table {
            key: "ethnicity",
            title: "By ethnicity".into(),
            definition: "The DfE's ethnicity code on the child's record, in its main groups (White British apart, as the strategy shows it).".into(),
            head: number_and_share(),
            lines: ethnicity,
        },
        Table {
            key: "uasc",
            title: "Unaccompanied asylum-seeking children".into(),
            definition: "Children whose period of care is recorded as an unaccompanied asylum-seeking child's (the DfE's UASC).".into(),
            head: number_and_share(),
            lines: uasc,
        },
    ]
}

fn placements(looked: &[Looked<'_>], area: &LocalArea) -> Vec<Table> {
    let total = looked.len();
    let placed: Vec<(&Looked<'_>, &PlacementFact)> = looked
        .iter()
        .filter_map(|l| l.placement.map(|p| (l, p)))
        .collect();
    let mut mix: Vec<Line> = SufficiencyKind::ALL
        .iter()
        .map(|k| {
            let n = placed.iter().filter(|(_, p)| p.kind == *k).count();
            Line {
                label: k.label().into(),
                cells: vec![count(n), share(n, total)],
            }
        })
        .collect();
    mix.push(Line {
        label: "Not placed (no placement recorded)".into(),
        cells: vec![
            count(total - placed.len()),
            share(total - placed.len(), total),
        ],
    });
    let routes: Vec<Line> = Route::ALL
        .iter()
        .map(|r| {
            let n = placed.iter().filter(|(_, p)| p.route == *r).count();
            Line {
                label: r.label().into(),
                cells: vec![count(n), share(n, total)],
            }
        })
        .chain([{
            let n = placed
                .iter()
                .filter(|(_, p)| p.route != Route::InHouse)
                .count();
            Line {
                label: "External (all routes but in-house)".into(),
                cells: vec![count(n), share(n, total)],
            }
        }])
        .collect();
    let radius = area.radius_miles;
    let local_line = |label: String, these: Vec<&(&Looked<'_>, &PlacementFact)>| {
        let n = these.len();
        let (mut home, mut centre, mut inside) = (0, 0, 0);
        for (l, p) in &these {
            let at = Locality::of(area, &p.postcode, p.at, l.period.home);
            home += usize::from(at.from_home_miles.is_some_and(|m| m <= radius));
            centre += usize::from(at.from_centre_miles.is_some_and(|m| m <= radius));
            inside += usize::from(at.inside_boundary);
        }
        Line {
            label,
            cells: vec![count(n), share(home, n), share(centre, n), share(inside, n)],
        }
    };
    let mut local: Vec<Line> = SufficiencyKind::ALL
        .iter()
        .map(|k| {
            local_line(
                k.label().into(),
                placed.iter().filter(|(_, p)| p.kind == *k).collect(),
            )
        })
        .collect();
    local.push(local_line("All placements".into(), placed.iter().collect()));
    vec![
        Table {
            key: "placement_mix",
            title: "Placement mix".into(),
            definition: "The kind of placement of each child looked after on the date (the DfE's placement code, fostering split by whether the carers are the council's own), as a share of all children looked after.".into(),
            head: number_and_share(),
            lines: mix,
        },
        Table {
            key: "provider",
            title: "In-house and external".into(),
            definition: "How each child's placement was bought: the council's own homes and carers, a block contract, the D2N2 framework or a spot purchase, as a share of all children looked after.".into(),
            head: number_and_share(),
            lines: routes,
        },
        Table {
            key: "local",
            title: format!("Within {radius} miles and inside the boundary, by kind"),
            definition: format!(
                "Of the children placed on the date: the share placed within {radius} miles of the home they came from and of the centre (straight-line miles between postcode centroids, as the DfE measures; an unknown postcode counts as not within), and the share placed inside the council's boundary (the configured postcode districts)."
            ),
            head: vec![
                "Placed".into(),
                format!("Within {radius} miles of home"),
                format!("Within {radius} miles of the centre"),
                "Inside the boundary".into(),
            ],
            lines: local,
        },
    ]
}

fn stays(child: &ChildFacts) -> Vec<Stay> {
    child
        .placements
        .iter()
        .map(|p| Stay {
            from: p.started_on,
            to: p.ended_on,
            ended: p.end_reason,
        })
        .collect()
}

fn stability(facts: &Facts, on: NaiveDate) -> Table {
    let (mut three, mut three_of) = (0, 0);
    let (mut stable, mut stable_of) = (0, 0);
    for child in &facts.children {
        let Some(period) = child.periods.iter().find(|p| p.on(on)) else {
            continue;
        };
        let stays = stays(child);
        if let Some(t) = three_or_more(on, &stays) {
            three_of += 1;
            three += usize::from(t);
        }
        if let Some(s) = child
            .born
            .and_then(|b| long_term_stable(on, b, period.started_on, &stays))
        {
            stable_of += 1;
            stable += usize::from(s);
        }
    }
    Table {
        key: "stability",
        title: "Stability".into(),
        definition: "The DfE's two measures, taken on the date chosen as the end of a year: children looked after then who had three or more placements in the year before; and children under 16 looked after for at least two and a half years who had lived in the same placement for at least two. Short breaks are not counted.".into(),
        head: vec!["Children".into(), "Share".into()],
        lines: vec![
            Line {
                label: "Three or more placements in the year".into(),
                cells: vec![count(three), share(three, three_of)],
            },
            Line {
                label: "Under 16, in care 2½ years, same placement 2 years".into(),
                cells: vec![count(stable), share(stable, stable_of)],
            },
        ],
    }
}

/// What a placement cost between `from` and `to` (both inclusive): its weekly cost for each
/// day it lasted then.
pub fn cost_between(p: &PlacementFact, from: NaiveDate, to: NaiveDate) -> i64 {
    let start = p.started_on.max(from);
    // A placement's last night is the day before it ended.
    let end = p
        .ended_on
        .and_then(|e| e.pred_opt())
        .map_or(to, |e| e.min(to));
    if end < start {
        return 0;
    }
    let days = (end - start).num_days() + 1;
    p.weekly_cost_pence * days / 7
}

fn spend(facts: &Facts, on: NaiveDate) -> Table {
    let last = year_end_of(on);
    let years: Vec<NaiveDate> = (0..SPEND_YEARS)
        .rev()
        .filter_map(|back| last.checked_sub_months(Months::new(12 * back as u32)))
        .collect();
    let bounds = |end: NaiveDate| {
        let from = end
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(end);
        (from, end.min(on))
    };
    let placements: Vec<&PlacementFact> = facts
        .children
        .iter()
        .flat_map(|c| c.placements.iter())
        .collect();
    let row = |label: String, these: &[&PlacementFact]| Line {
        label,
        cells: years
            .iter()
            .map(|y| {
                let (from, to) = bounds(*y);
                Cell::Pence(these.iter().map(|p| cost_between(p, from, to)).sum())
            })
            .collect(),
    };
    let mut lines: Vec<Line> = SufficiencyKind::ALL
        .iter()
        .map(|k| {
            let these: Vec<&PlacementFact> = placements
                .iter()
                .copied()
                .filter(|p| p.kind == *k)
                .collect();
            row(k.label().into(), &these)
        })
        .collect();
    lines.push(row("All placements".into(), &placements));
    Table {
        key: "spend",
        title: "Spend by kind of placement and financial year".into(),
        definition: format!(
            "Each placement's weekly cost as recorded on the day it was made, times the nights it lasted in each financial year (1 April to 31 March); the latest year up to {on} only."
        ),
        head: years.iter().map(|y| financial_year(*y)).collect(),
        lines,
    }
}

fn ratings(looked: &[Looked<'_>]) -> Table {
    let mut homes: BTreeMap<&str, Option<OfstedRating>> = BTreeMap::new();
    let mut children: BTreeMap<Option<OfstedRating>, usize> = BTreeMap::new();
    for p in looked.iter().filter_map(|l| l.placement) {
        homes.insert(p.home.as_str(), p.rating);
        *children.entry(p.rating).or_default() += 1;
    }
    let all = homes.len();
    let line = |label: &str, r: Option<OfstedRating>| {
        let n = homes.values().filter(|h| **h == r).count();
        Line {
            label: label.into(),
            cells: vec![
                count(n),
                share(n, all),
                count(children.get(&r).copied().unwrap_or(0)),
            ],
        }
    };
    let mut lines: Vec<Line> = OfstedRating::ALL
        .iter()
        .map(|r| line(r.label(), Some(*r)))
        .collect();
    lines.push(line("Not rated", None));
    let good = homes
        .values()
        .filter(|r| matches!(r, Some(OfstedRating::Outstanding | OfstedRating::Good)))
        .count();
    lines.push(Line {
        label: "Good or outstanding".into(),
        cells: vec![
            count(good),
            share(good, all),
            count(
                children
                    .iter()
                    .filter(|(r, _)| {
                        matches!(r, Some(OfstedRating::Outstanding | OfstedRating::Good))
                    })
                    .map(|(_, n)| n)
                    .sum(),
            ),
        ],
    });
    Table {
        key: "ratings",
        title: "Ofsted ratings of the homes used".into(),
        definition: "Each home or fostering household with a child placed there on the date, counted once, by its latest Ofsted grade as the placements team keeps it; with the children placed in them.".into(),
        head: vec!["Homes".into(), "Share of homes".into(), "Children".into()],
        lines,
    }
}

fn gaps(facts: &Facts, on: NaiveDate) -> Table {
    let since = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    let unmet: Vec<&UnmetFact> = facts
        .unmet
        .iter()
        .filter(|u| u.decided_on > since && u.decided_on <= on)
        .collect();
    let mut lines: Vec<Line> = Offer::ALL
        .iter()
        .map(|o| Line {
            label: o.label().into(),
            cells: vec![count(unmet.iter().filter(|u| u.needs.contains(o)).count())],
        })
        .collect();
    lines.push(Line {
        label: "Sibling groups of 3 or more".into(),
        cells: vec![count(unmet.iter().filter(|u| u.siblings >= 2).count())],
    });
    lines.push(Line {
        label: "No particular need recorded".into(),
        cells: vec![count(unmet.iter().filter(|u| u.needs.is_empty()).count())],
    });
    lines.push(Line {
        label: "All requests with no suitable home".into(),
        cells: vec![count(unmet.len())],
    });
    Table {
        key: "gaps",
        title: "Gaps: no suitable home, by need".into(),
        definition: "Requests for a placement decided as \"no suitable home\" in the 12 months to the date, by each need the social worker recorded (a request with several needs counts under each): the market position statement's evidence.".into(),
        head: vec!["Requests".into()],
        lines,
    }
}

fn care_leavers(facts: &Facts, on: NaiveDate) -> Table {
    let since = on.checked_sub_months(Months::new(12)).unwrap_or(on);
    // Each care leaver of 17 to 21 on the date, with their latest contact of the last year.
    let latest: Vec<Option<&leavers::Contact>> = facts
        .children
        .iter()
        .filter(|c| {
            c.born.is_some_and(|born| {
                let stays: Vec<leavers::Stay> = c
                    .periods
                    .iter()
                    .map(|p| leavers::Stay {
                        from: p.started_on,
                        to: p.ended_on,
                        died: false,
                    })
                    .collect();
                (17..=21).contains(&leavers::age_on(born, on))
                    && leavers::is_care_leaver(born, &stays, on)
            })
        })
        .map(|c| {
            c.leaver_contacts
                .iter()
                .filter(|k| k.recorded_on > since && k.recorded_on <= on)
                .max_by_key(|k| k.recorded_on)
        })
        .collect();
    let all = latest.len();
    let known: Vec<&leavers::Contact> = latest.iter().flatten().copied().collect();
    let line = |label: String, n: usize| Line {
        label,
        cells: vec![count(n), share(n, all)],
    };
    let mut lines = vec![line("Care leavers aged 17 to 21".into(), all)];
    lines.push(line(
        "In touch".into(),
        known
            .iter()
            .filter(|k| k.in_touch == leavers::InTouch::Yes)
            .count(),
    ));
    lines.push(line(
        "No contact recorded in the last 12 months".into(),
        all - known.len(),
    ));
    lines.push(line(
        "In education, training or employment".into(),
        known
            .iter()
            .filter(|k| k.activity.is_some_and(Activity::is_eet))
            .count(),
    ));
    for a in Activity::ALL {
        lines.push(line(
            format!("Activity: {}", a.label()),
            known.iter().filter(|k| k.activity == Some(*a)).count(),
        ));
    }
    lines.push(line(
        "In suitable accommodation".into(),
        known
            .iter()
            .filter(|k| {
                k.accommodation
                    .is_some_and(|(a, suits)| a.oc3_code(suits).ends_with('1'))
            })
            .count(),
    ));
    for a in Accommodation::ALL {
        lines.push(line(
            format!("Accommodation: {}", a.label()),
            known
                .iter()
                .filter(|k| k.accommodation.is_some_and(|(b, _)| b == *a))
                .count(),
        ));
    }
    lines.push(line(
        "Staying put".into(),
        known.iter().filter(|k| k.staying_put).count(),
    ));
    lines.push(line(
        "Staying close".into(),
        known.iter().filter(|k| k.staying_close).count(),
    ));
    Table {
        key: "care_leavers",
        title: "Care leavers: activity and accommodation".into(),
        definition: "Young people aged 17 to 21 on the date who were looked after for 13 weeks or more since their 14th birthday, some of it on or after their 16th, and are no longer looked after (the DfE's relevant and former relevant), by their latest contact in the 12 months to the date: in touch, what they are doing and where they live, in the DfE's care leaver (OC3) categories; staying put is living on with former foster carers after 18, staying close living near the children's home they left.".into(),
        head: vec!["Young people".into(), "Share of care leavers".into()],
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    fn pc(s: &str) -> Postcode {
        Postcode::parse(s).expect("a postcode")
    }

    fn centre() -> Coordinates {
        LocalArea::default().centre
    }

    /// Roughly `miles` north of the centre.
    fn north(miles: f64) -> Coordinates {
        Coordinates {
            latitude: centre().latitude + miles / 69.0,
            longitude: centre().longitude,
        }
    }

    fn placement(
        from: NaiveDate,
        to: Option<NaiveDate>,
        kind: SufficiencyKind,
        route: Route,
    ) -> PlacementFact {
        PlacementFact {
            period: 0,
            started_on: from,
            ended_on: to,
            end_reason: to.map(|_| EndReason::CarePlan),
            kind,
            route,
            postcode: pc("NG7 1AA"),
            at: Some(north(1.0)),
            weekly_cost_pence: 70_000,
            home: format!("{kind:?}-{route:?}"),
            rating: Some(OfstedRating::Good),
        }
    }

    fn child(born: NaiveDate, since: NaiveDate, placements: Vec<PlacementFact>) -> ChildFacts {
        ChildFacts {
            born: Some(born),
            sex: Some(Sex::Male),
            ethnicity: Ethnicity::from_code("WBRI"),
            periods: vec![PeriodFact {
                started_on: since,
                ended_on: None,
                short_break: false,
                uasc: false,
                home: Some(centre()),
            }],
            placements,
            leaver_contacts: Vec::new(),
        }
    }

    fn table<'a>(tables: &'a [Table], key: &str) -> &'a Table {
        tables.iter().find(|t| t.key == key).expect("the table")
    }

    fn cell(t: &Table, label: &str, i: usize) -> Cell {
        t.lines
            .iter()
            .find(|l| l.label == label)
            .expect("the line")
            .cells[i]
    }

    #[test]
    fn looked_after_on_the_day_leaves_out_ended_care_and_short_breaks() {
        let on = d(2026, 3, 31);
        let mut ended = child(d(2012, 1, 1), d(2020, 1, 1), vec![]);
        ended.periods[0].ended_on = Some(on);
        let mut short = child(d(2012, 1, 1), d(2020, 1, 1), vec![]);
        short.periods[0].short_break = true;
        let later = child(d(2012, 1, 1), d(2026, 4, 1), vec![]);
        let facts = Facts {
            children: vec![
                child(d(2012, 1, 1), d(2020, 1, 1), vec![]),
                ended,
                short,
                later,
            ],
            unmet: vec![],
        };
        let tables = picture(&facts, on, &LocalArea::default(), 66_000);
        let t = table(&tables, "looked_after");
        assert_eq!(t.lines[0].cells[0], Cell::Count(1));
        assert_eq!(
            t.lines[0].cells[1],
            Cell::Rate {
                count: 1,
                population: 66_000
            }
        );
        let trend = table(&tables, "over_time");
        assert_eq!(trend.lines.len(), 10);
        assert_eq!(trend.lines[9].label, "2026-03-31");
        assert_eq!(trend.lines[0].label, "2017-03-31");
        assert_eq!(trend.lines[0].cells[0], Cell::Count(0));
    }

    #[test]
    fn ages_fall_in_the_dfes_bands() {
        let on = d(2026, 3, 31);
        let table_of = |born| {
            let facts = Facts {
                children: vec![child(born, d(2026, 1, 1), vec![])],
                unmet: vec![],
            };
            let tables = picture(&facts, on, &LocalArea::default(), 1000);
            table(&tables, "age")
                .lines
                .iter()
                .find(|l| l.cells[0] == Cell::Count(1))
                .map(|l| l.label.clone())
        };
        let cases = [
            (d(2025, 6, 1), "Under 1"),
            (d(2025, 3, 31), "1 to 4"),
            (d(2021, 4, 1), "1 to 4"),
            (d(2021, 3, 31), "5 to 9"),
            (d(2016, 1, 1), "10 to 15"),
            (d(2010, 3, 31), "16 and over"),
        ];
        for (born, band) in cases {
            assert_eq!(table_of(born).as_deref(), Some(band), "born {born}");
        }
    }

    #[test]
    fn mix_routes_and_distances_count_the_placement_on_the_day() {
        use Route::*;
        use SufficiencyKind as K;
        let on = d(2026, 3, 31);
        let mut far = placement(d(2025, 1, 1), None, K::Residential, Spot);
        far.at = Some(north(30.0));
        far.postcode = pc("DE1 1AA");
        let mut unknown = placement(d(2025, 1, 1), None, K::ExternalFostering, Framework);
        unknown.at = None;
        unknown.postcode = pc("LE1 1AA");
        let facts = Facts {
            children: vec![
                child(
                    d(2012, 1, 1),
                    d(2024, 1, 1),
                    vec![
                        placement(d(2024, 1, 1), Some(d(2025, 1, 1)), K::Residential, Spot),
                        placement(d(2025, 1, 1), None, K::InHouseFostering, InHouse),
                    ],
                ),
                child(d(2012, 1, 1), d(2024, 1, 1), vec![far]),
                child(d(2012, 1, 1), d(2024, 1, 1), vec![unknown]),
                child(d(2012, 1, 1), d(2024, 1, 1), vec![]),
            ],
            unmet: vec![],
        };
        let tables = picture(&facts, on, &LocalArea::default(), 1000);
        let mix = table(&tables, "placement_mix");
        let of4 = |n| {
            Cell::Share(Figure {
                numerator: n,
                denominator: Some(4),
            })
        };
        assert_eq!(cell(mix, "In-house fostering", 1), of4(1));
        assert_eq!(cell(mix, "Residential", 0), Cell::Count(1));
        assert_eq!(
            cell(mix, "Not placed (no placement recorded)", 0),
            Cell::Count(1)
        );
        let routes = table(&tables, "provider");
        assert_eq!(
            cell(routes, "External (all routes but in-house)", 1),
            of4(2)
        );
        let local = table(&tables, "local");
        let of3 = |n| {
            Cell::Share(Figure {
                numerator: n,
                denominator: Some(3),
            })
        };
        // one inside NG7 a mile out; one 30 miles out; one whose postcode is not known
        assert_eq!(cell(local, "All placements", 1), of3(1));
        assert_eq!(cell(local, "All placements", 2), of3(1));
        assert_eq!(cell(local, "All placements", 3), of3(1));
    }

    #[test]
    fn spend_is_weekly_cost_by_nights_in_each_financial_year() {
        let p = placement(
            d(2025, 3, 25),
            Some(d(2025, 4, 8)),
            SufficiencyKind::Residential,
            Route::Spot,
        );
        // 25–31 March: 7 nights; 1–7 April: 7 nights
        assert_eq!(cost_between(&p, d(2024, 4, 1), d(2025, 3, 31)), 70_000);
        assert_eq!(cost_between(&p, d(2025, 4, 1), d(2026, 3, 31)), 70_000);
        assert_eq!(cost_between(&p, d(2026, 4, 1), d(2027, 3, 31)), 0);
        let facts = Facts {
            children: vec![child(d(2012, 1, 1), d(2025, 3, 25), vec![p])],
            unmet: vec![],
        };
        let tables = picture(&facts, d(2025, 6, 1), &LocalArea::default(), 1000);
        let spend = table(&tables, "spend");
        assert_eq!(spend.head.last().map(String::as_str), Some("2025–26"));
        assert_eq!(spend.head.len(), 5);
        let all = spend.lines.last().expect("a total");
        assert_eq!(all.cells[3], Cell::Pence(70_000));
        assert_eq!(all.cells[4], Cell::Pence(70_000));
        assert_eq!(year_end_of(d(2025, 4, 1)), d(2026, 3, 31));
        assert_eq!(year_end_of(d(2025, 3, 31)), d(2025, 3, 31));
    }

    #[test]
    fn stability_uses_the_dfes_measures_on_the_day() {
        use SufficiencyKind as K;
        let on = d(2026, 3, 31);
        let moves = vec![
            placement(
                d(2025, 5, 1),
                Some(d(2025, 8, 1)),
                K::Residential,
                Route::Spot,
            ),
            placement(
                d(2025, 8, 1),
                Some(d(2025, 12, 1)),
                K::Residential,
                Route::Spot,
            ),
            placement(d(2025, 12, 1), None, K::Residential, Route::Spot),
        ];
        let settled = vec![placement(
            d(2022, 1, 1),
            None,
            K::InHouseFostering,
            Route::InHouse,
        )];
        let facts = Facts {
            children: vec![
                child(d(2012, 1, 1), d(2025, 5, 1), moves),
                child(d(2014, 1, 1), d(2021, 1, 1), settled),
            ],
            unmet: vec![],
        };
        let tables = picture(&facts, on, &LocalArea::default(), 1000);
        let s = table(&tables, "stability");
        let half = Cell::Share(Figure {
            numerator: 1,
            denominator: Some(2),
        });
        assert_eq!(s.lines[0].cells[1], half);
        assert_eq!(
            s.lines[1].cells[1],
            Cell::Share(Figure {
                numerator: 1,
                denominator: Some(1)
            })
        );
    }

    #[test]
    fn gaps_count_each_need_of_the_years_unmet_requests() {
        let on = d(2026, 3, 31);
        let unmet = |decided_on, needs: Vec<Offer>, siblings| UnmetFact {
            decided_on,
            needs,
            siblings,
        };
        let facts = Facts {
            children: vec![],
            unmet: vec![
                unmet(d(2025, 6, 1), vec![Offer::Teenagers, Offer::Therapeutic], 0),
                unmet(d(2026, 1, 1), vec![Offer::Teenagers], 2),
                unmet(d(2026, 2, 1), vec![], 0),
                unmet(d(2025, 3, 31), vec![Offer::UnderThrees], 0),
            ],
        };
        let tables = picture(&facts, on, &LocalArea::default(), 1000);
        let g = table(&tables, "gaps");
        assert_eq!(cell(g, "Teenagers", 0), Cell::Count(2));
        assert_eq!(cell(g, "Therapeutic care", 0), Cell::Count(1));
        assert_eq!(cell(g, "Under-3s", 0), Cell::Count(0));
        assert_eq!(cell(g, "Sibling groups of 3 or more", 0), Cell::Count(1));
        assert_eq!(cell(g, "No particular need recorded", 0), Cell::Count(1));
        assert_eq!(
            cell(g, "All requests with no suitable home", 0),
            Cell::Count(3)
        );
    }

    #[test]
    fn ratings_count_each_home_used_once() {
        let on = d(2026, 3, 31);
        let p = || {
            placement(
                d(2025, 1, 1),
                None,
                SufficiencyKind::Residential,
                Route::Block,
            )
        };
        let mut weak = p();
        weak.home = "other".into();
        weak.rating = Some(OfstedRating::RequiresImprovement);
        let facts = Facts {
            children: vec![
                child(d(2012, 1, 1), d(2025, 1, 1), vec![p()]),
                child(d(2012, 1, 1), d(2025, 1, 1), vec![p()]),
                child(d(2012, 1, 1), d(2025, 1, 1), vec![weak]),
            ],
            unmet: vec![],
        };
        let tables = picture(&facts, on, &LocalArea::default(), 1000);
        let r = table(&tables, "ratings");
        assert_eq!(cell(r, "Good", 0), Cell::Count(1));
        assert_eq!(cell(r, "Good", 2), Cell::Count(2));
        assert_eq!(cell(r, "Good or outstanding", 0), Cell::Count(1));
        assert_eq!(cell(r, "Requires improvement", 0), Cell::Count(1));
    }

    #[test]
    fn ethnic_groups_follow_the_dfes_main_categories() {
        let g = |c: &str| ethnic_group(Ethnicity::from_code(c));
        assert_eq!(g("WBRI"), "White British");
        assert_eq!(g("WROM"), "Other White");
        assert_eq!(g("MWBC"), "Mixed");
        assert_eq!(g("APKN"), "Asian or Asian British");
        assert_eq!(g("BAFR"), "Black or Black British");
        assert_eq!(g("CHNE"), "Other ethnic group");
        assert_eq!(g("REFU"), "Not known or refused");
        assert_eq!(ethnic_group(None), "Not known or refused");
    }

    #[test]
    fn care_leavers_are_counted_by_their_latest_contact_of_the_year() {
        use crate::care::leavers::{Contact, InTouch};
        let on = d(2026, 3, 31);
        let contact = |day, activity, accommodation: Accommodation, put| Contact {
            recorded_on: day,
            in_touch: InTouch::Yes,
            activity: Some(activity),
            accommodation: Some((accommodation, true)),
            staying_put: put,
            staying_close: false,
        };
        let left = |born, contacts: Vec<Contact>| {
            let mut c = child(born, d(2021, 1, 1), vec![]);
            c.periods[0].ended_on = Some(d(2024, 1, 1));
            c.leaver_contacts = contacts;
            c
        };
        let facts = Facts {
            children: vec![
                left(
                    d(2006, 6, 1),
                    vec![
                        contact(
                            d(2025, 1, 1),
                            Activity::NotOther,
                            Accommodation::Independent,
                            false,
                        ),
                        contact(
                            d(2025, 6, 1),
                            Activity::HigherFull,
                            Accommodation::FormerFosterCarers,
                            true,
                        ),
                    ],
                ),
                left(
                    d(2006, 9, 1),
                    vec![contact(
                        d(2024, 6, 1),
                        Activity::NotOther,
                        Accommodation::Independent,
                        false,
                    )],
                ),
                // Still looked after: not a care leaver.
                child(d(2007, 1, 1), d(2021, 1, 1), vec![]),
            ],
            unmet: vec![],
        };
        let t = table(
            &picture(&facts, on, &LocalArea::default(), 66_000),
            "care_leavers",
        )
        .clone();
        let n = |label: &str| {
            t.lines
                .iter()
                .find(|l| l.label == label)
                .map(|l| l.cells[0])
                .unwrap_or_else(|| panic!("{label}"))
        };
        assert_eq!(n("Care leavers aged 17 to 21"), count(2));
        assert_eq!(
            n("No contact recorded in the last 12 months"),
            count(1),
            "too old"
        );
        assert_eq!(n("In education, training or employment"), count(1));
        assert_eq!(n("Activity: Full-time in higher education"), count(1));
        assert_eq!(
            n("Activity: Not in education, training or employment: other reasons"),
            count(0),
            "the latest contact counts"
        );
        assert_eq!(n("Accommodation: With former foster carers"), count(1));
        assert_eq!(n("Staying put"), count(1));
    }
}
