//! Fairness: who the worklist identifies compared with the population on the record, by
//! ethnicity, first language, area (ward) and SEND, so that a biased feed shows up. For each
//! group: how many people, how many identified, the rate, each group's share of the identified
//! and of the population, and the ratio of the two (1 is a fair share; 2, twice its share).
//! Small numbers are suppressed outside the council, as the dashboards do.

use crate::insight::{show, Figure, Shown, Unit, SUPPRESS_BELOW};

/// What the population is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Ethnicity,
    Language,
    Area,
    Send,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Ethnicity,
        Dimension::Language,
        Dimension::Area,
        Dimension::Send,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Ethnicity => "ethnicity",
            Dimension::Language => "language",
            Dimension::Area => "area",
            Dimension::Send => "send",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Ethnicity => "Ethnicity",
            Dimension::Language => "First language",
            Dimension::Area => "Area (ward)",
            Dimension::Send => "Special educational needs and disabilities",
        }
    }
}

/// One group's people on the record and, of them, those identified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub group: String,
    pub population: u64,
    pub identified: u64,
}

/// One group compared, as the viewer may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    pub group: String,
    pub population: Shown,
    pub identified: Shown,
    /// Of the group's people, the share identified.
    pub rate: Shown,
    /// The group's share of everyone identified.
    pub share_identified: Shown,
    /// The group's share of the population.
    pub share_population: Shown,
    /// Its share of the identified over its share of the population.
    pub ratio: Shown,
}

/// Each group compared with the population, in the order given. With `suppress_small`, a
/// group whose people or identified number 1 to 4 shows neither, nor anything worked out
/// from them.
pub fn compare(groups: &[GroupCount], suppress_small: bool) -> Vec<Compared> {
    let population: u64 = groups.iter().map(|g| g.population).sum();
    let identified: u64 = groups.iter().map(|g| g.identified).sum();
    let small = |n: u64| (1..SUPPRESS_BELOW).contains(&n);
    groups
        .iter()
        .map(|g| {
            let hidden = suppress_small && (small(g.population) || small(g.identified));
            let shown = |figure: Figure, unit: Unit| {
                if hidden {
                    Shown::Suppressed
                } else {
                    show(figure, unit, false)
                }
            };
            let pct = |n: u64, d: u64| {
                shown(
                    Figure {
                        numerator: n,
                        denominator: Some(d),
                    },
                    Unit::Percent,
                )
            };
            let share_identified =
                (identified > 0).then(|| g.identified as f64 / identified as f64);
            let share_population =
                (population > 0).then(|| g.population as f64 / population as f64);
            let ratio = match (share_identified, share_population) {
                _ if hidden => Shown::Suppressed,
                (Some(i), Some(p)) if p > 0.0 => Shown::Value {
                    value: i / p,
                    text: format!("{:.2}", i / p),
                },
                _ => Shown::Nothing,
            };
            Compared {
                group: g.group.clone(),
                population: shown(
                    Figure {
                        numerator: g.population,
                        denominator: None,
                    },
                    Unit::Count,
                ),
                identified: shown(
                    Figure {
                        numerator: g.identified,
                        denominator: None,
                    },
                    Unit::Count,
                ),
                rate: pct(g.identified, g.population),
                share_identified: pct(g.identified, identified),
                share_population: pct(g.population, population),
                ratio,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(group: &str, population: u64, identified: u64) -> GroupCount {
        GroupCount {
            group: group.into(),
            population,
            identified,
        }
    }

    #[test]
    fn each_group_is_compared_with_its_share_of_the_population() {
        // 1,000 people, 50 identified: a group with a fifth of the people and two fifths of
        // those identified is identified at twice its share.
        let groups = [
            group("White British", 600, 20),
            group("Pakistani", 200, 20),
            group("Polish", 200, 10),
        ];
        let got = compare(&groups, false);
        let text = |s: &Shown| s.text();
        let cases: &[(usize, &str, &str, &str, &str, &str)] = &[
            (0, "3.3%", "40.0%", "60.0%", "0.67", "20"),
            (1, "10.0%", "40.0%", "20.0%", "2.00", "20"),
            (2, "5.0%", "20.0%", "20.0%", "1.00", "10"),
        ];
        for (i, rate, share_id, share_pop, ratio, identified) in cases {
            let c = &got[*i];
            assert_eq!(
                (
                    text(&c.rate),
                    text(&c.share_identified),
                    text(&c.share_population),
                    text(&c.ratio),
                    text(&c.identified)
                ),
                (
                    rate.to_string(),
                    share_id.to_string(),
                    share_pop.to_string(),
                    ratio.to_string(),
                    identified.to_string()
                ),
                "{}",
                c.group
            );
        }
    }

    #[test]
    fn small_numbers_are_suppressed_outside_the_council_and_shown_inside() {
        let groups = [
            group("Many", 500, 40),
            group("Few identified", 300, 3),
            group("Few people", 4, 0),
            group("None identified", 100, 0),
        ];
        let outside = compare(&groups, true);
        assert_eq!(outside[0].ratio.text(), "1.68");
        for c in &outside[1..3] {
            for s in [
                &c.population,
                &c.identified,
                &c.rate,
                &c.share_identified,
                &c.ratio,
            ] {
                assert_eq!(s, &Shown::Suppressed, "{}", c.group);
            }
        }
        // Nobody identified tells nothing about a family: shown, with a ratio of 0.
        assert_eq!(outside[3].identified.text(), "0");
        assert_eq!(outside[3].ratio.text(), "0.00");
        let inside = compare(&groups, false);
        assert_eq!(inside[1].identified.text(), "3");
        assert_eq!(inside[2].population.text(), "4");
    }

    #[test]
    fn nobody_identified_gives_no_shares_of_it() {
        let got = compare(&[group("All", 10, 0)], false);
        assert_eq!(got[0].share_identified, Shown::Nothing);
        assert_eq!(got[0].ratio, Shown::Nothing);
        assert_eq!(got[0].rate.text(), "0.0%");
    }
}
