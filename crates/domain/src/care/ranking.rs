//! Proposing homes for a placement request in the strategy's order — the council's own first,
//! then block contracts, then the D2N2 framework, then a spot purchase — and, within each
//! route, the closest fit: every need met, nearest the child's home, an Ofsted rating, then
//! cost. Each proposal says why it stands where it does; each home left out says why not.

use super::codes::{Offer, OfstedRating, Route};
use std::cmp::Ordering;

/// What the child needs of a home.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The child's age in whole years on the day they would move.
    pub age: u32,
    /// What the home must offer.
    pub needs: Vec<Offer>,
    /// Places needed: the child, and brothers and sisters who should live with them.
    pub places: u32,
    /// No further from home than this, when the social worker set a limit.
    pub max_miles: Option<f64>,
}

/// A home as the ranking sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<Id> {
    pub id: Id,
    pub route: Route,
    pub vacancies: u32,
    pub age_from: u32,
    pub age_to: u32,
    pub offers: Vec<Offer>,
    pub rating: Option<OfstedRating>,
    pub weekly_cost_pence: i64,
    pub miles_from_home: Option<f64>,
}

/// One reason a home stands where it does, or is left out.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Route(Route),
    Miles(f64),
    MilesUnknown,
    Meets(Vec<Offer>),
    Vacancies(u32),
    Rating(Option<OfstedRating>),
    Cost(i64),
    // Why a home is left out:
    TooFewVacancies { have: u32, need: u32 },
    Ages { from: u32, to: u32 },
    Lacks(Vec<Offer>),
    TooFar { miles: f64, limit: f64 },
    Inadequate,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let offers = |o: &[Offer]| {
            o.iter()
                .map(|o| o.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Reason::Route(r) => write!(f, "{}", r.label()),
            Reason::Miles(m) => write!(f, "{m:.1} miles from home"),
            Reason::MilesUnknown => f.write_str("distance from home not known"),
            Reason::Meets(o) if o.is_empty() => f.write_str("no special needs asked for"),
            Reason::Meets(o) => write!(f, "offers {}", offers(o)),
            Reason::Vacancies(1) => f.write_str("1 vacancy"),
            Reason::Vacancies(n) => write!(f, "{n} vacancies"),
            Reason::Rating(Some(r)) => write!(f, "Ofsted: {}", r.label()),
            Reason::Rating(None) => f.write_str("not yet rated by Ofsted"),
            Reason::Cost(p) => write!(f, "£{}.{:02} a week", p / 100, p % 100),
            Reason::TooFewVacancies { have, need } => {
                write!(f, "{have} vacancies, {need} places needed")
            }
            Reason::Ages { from, to } => write!(f, "takes children aged {from} to {to}"),
            Reason::Lacks(o) => write!(f, "does not offer {}", offers(o)),
            Reason::TooFar { miles, limit } => {
                write!(f, "{miles:.1} miles from home, further than {limit:.0}")
            }
            Reason::Inadequate => f.write_str("rated inadequate by Ofsted"),
        }
    }
}

/// A home proposed, in order, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal<Id> {
    pub id: Id,
    pub route: Route,
    pub reasons: Vec<Reason>,
}

/// The proposals in order, and the homes left out with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<Id> {
    pub proposed: Vec<Proposal<Id>>,
    pub left_out: Vec<(Id, Vec<Reason>)>,
}

/// Why a home cannot take the child; empty when it can.
fn unsuitable<Id>(s: &Search, c: &Candidate<Id>) -> Vec<Reason> {
    let mut why = Vec::new();
    if c.vacancies < s.places {
        why.push(Reason::TooFewVacancies {
            have: c.vacancies,
            need: s.places,
        });
    }
    if s.age < c.age_from || s.age > c.age_to {
        why.push(Reason::Ages {
            from: c.age_from,
            to: c.age_to,
        });
    }
    let lacks: Vec<Offer> = s
        .needs
        .iter()
        .filter(|n| !c.offers.contains(n))
        .copied()
        .collect();
    if !lacks.is_empty() {
        why.push(Reason::Lacks(lacks));
    }
    if let (Some(limit), Some(miles)) = (s.max_miles, c.miles_from_home) {
        if miles > limit {
            why.push(Reason::TooFar { miles, limit });
        }
    }
    if c.rating == Some(OfstedRating::Inadequate) {
        why.push(Reason::Inadequate);
    }
    why
}

fn order<Id>(a: &Candidate<Id>, b: &Candidate<Id>) -> Ordering {
    // An unknown distance sorts after every known one: nearness cannot be claimed for it.
    let miles = |c: &Candidate<Id>| c.miles_from_home.unwrap_or(f64::INFINITY);
    a.route
        .cmp(&b.route)
        .then(miles(a).total_cmp(&miles(b)))
        .then(OfstedRating::order(a.rating).cmp(&OfstedRating::order(b.rating)))
        .then(a.weekly_cost_pence.cmp(&b.weekly_cost_pence))
}

/// Ranks the homes for one child's search.
pub fn rank<Id: Clone>(search: &Search, homes: Vec<Candidate<Id>>) -> Ranked<Id> {
    let (mut fit, mut left_out) = (Vec::new(), Vec::new());
    for c in homes {
        let why = unsuitable(search, &c);
        if why.is_empty() {
            fit.push(c);
        } else {
            left_out.push((c.id, why));
        }
    }
    fit.sort_by(order);
    let proposed = fit
        .into_iter()
        .map(|c| Proposal {
            reasons: vec![
                Reason::Route(c.route),
                c.miles_from_home
                    .map_or(Reason::MilesUnknown, Reason::Miles),
                Reason::Meets(search.needs.clone()),
                Reason::Vacancies(c.vacancies),
                Reason::Rating(c.rating),
                Reason::Cost(c.weekly_cost_pence),
            ],
            id: c.id,
            route: c.route,
        })
        .collect();
    Ranked { proposed, left_out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Offer::*;
    use OfstedRating::*;

    fn home(
        id: &'static str,
        route: Route,
        miles: Option<f64>,
        rating: Option<OfstedRating>,
        cost: i64,
    ) -> Candidate<&'static str> {
        Candidate {
            id,
            route,
            vacancies: 2,
            age_from: 0,
            age_to: 17,
            offers: vec![Teenagers, SiblingGroups],
            rating,
            weekly_cost_pence: cost,
            miles_from_home: miles,
        }
    }

    fn teenager_with_brother() -> Search {
        Search {
            age: 14,
            needs: vec![Teenagers, SiblingGroups],
            places: 2,
            max_miles: None,
        }
    }

    fn ids(r: &Ranked<&'static str>) -> Vec<&'static str> {
        r.proposed.iter().map(|p| p.id).collect()
    }

    #[test]
    fn the_strategys_route_comes_before_distance_rating_and_cost() {
        let table: Vec<(Vec<Candidate<&'static str>>, Vec<&'static str>)> = vec![
            // a far in-house carer before a near spot purchase
            (
                vec![
                    home("spot", Route::Spot, Some(1.0), Some(Outstanding), 100),
                    home("in-house", Route::InHouse, Some(15.0), Some(Good), 900),
                ],
                vec!["in-house", "spot"],
            ),
            // block before framework before spot
            (
                vec![
                    home("framework", Route::Framework, Some(2.0), Some(Good), 1),
                    home("spot", Route::Spot, Some(2.0), Some(Good), 1),
                    home("block", Route::Block, Some(2.0), Some(Good), 1),
                ],
                vec!["block", "framework", "spot"],
            ),
            // within a route: nearer, then better rated, then cheaper
            (
                vec![
                    home("far", Route::Framework, Some(9.0), Some(Outstanding), 1),
                    home("near-good", Route::Framework, Some(3.0), Some(Good), 1),
                    home(
                        "near-outstanding",
                        Route::Framework,
                        Some(3.0),
                        Some(Outstanding),
                        5,
                    ),
                    home(
                        "near-good-cheaper",
                        Route::Framework,
                        Some(3.0),
                        Some(Good),
                        0,
                    ),
                ],
                vec!["near-outstanding", "near-good-cheaper", "near-good", "far"],
            ),
            // an unknown distance after known ones; unrated after good
            (
                vec![
                    home("unknown", Route::Block, None, Some(Outstanding), 1),
                    home("unrated", Route::Block, Some(4.0), None, 1),
                    home("good", Route::Block, Some(4.0), Some(Good), 1),
                ],
                vec!["good", "unrated", "unknown"],
            ),
        ];
        for (homes, expected) in table {
            assert_eq!(ids(&rank(&teenager_with_brother(), homes)), expected);
        }
    }

    #[test]
    fn homes_that_cannot_take_the_child_are_left_out_with_why() {
        let mut full = home("full", Route::InHouse, Some(1.0), Some(Good), 1);
        full.vacancies = 1;
        let mut young = home("young", Route::InHouse, Some(1.0), Some(Good), 1);
        young.age_to = 11;
        let mut no_siblings = home("no-siblings", Route::Block, Some(1.0), Some(Good), 1);
        no_siblings.offers = vec![Teenagers];
        let far = home("far", Route::Block, Some(40.0), Some(Good), 1);
        let bad = home("bad", Route::Spot, Some(1.0), Some(Inadequate), 1);
        let fits = home("fits", Route::Spot, Some(5.0), None, 1);
        let search = Search {
            max_miles: Some(20.0),
            ..teenager_with_brother()
        };
        let r = rank(&search, vec![full, young, no_siblings, far, bad, fits]);
        assert_eq!(ids(&r), vec!["fits"]);
        let why: Vec<(&str, Vec<Reason>)> = r.left_out;
        assert_eq!(
            why,
            vec![
                ("full", vec![Reason::TooFewVacancies { have: 1, need: 2 }]),
                ("young", vec![Reason::Ages { from: 0, to: 11 }]),
                ("no-siblings", vec![Reason::Lacks(vec![SiblingGroups])]),
                (
                    "far",
                    vec![Reason::TooFar {
                        miles: 40.0,
                        limit: 20.0
                    }]
                ),
                ("bad", vec![Reason::Inadequate]),
            ]
        );
    }

    #[test]
    fn each_proposal_is_explained_in_words() {
        let r = rank(
            &teenager_with_brother(),
            vec![home("h", Route::InHouse, Some(3.24), Some(Good), 45_050)],
        );
        let words: Vec<String> = r.proposed[0]
            .reasons
            .iter()
            .map(|r| r.to_string())
            .collect();
        assert_eq!(
            words,
            vec![
                "In-house",
                "3.2 miles from home",
                "offers teenagers, sibling groups",
                "2 vacancies",
                "Ofsted: Good",
                "£450.50 a week",
            ]
        );
    }
}
