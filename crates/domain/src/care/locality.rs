//! Whether a placement is local: miles from the child's home and from the city centre, as the
//! crow flies between postcode centroids (as the DfE measures distance), inside the council's
//! boundary or not. The centre, the radius and the boundary are the partnership's settings.

use crate::directory::{distance_metres, Coordinates, Postcode, METRES_PER_MILE};

/// What counts as local for this partnership.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalArea {
    pub centre: Coordinates,
    /// Within this many miles of the centre is local (the strategy: 20).
    pub radius_miles: f64,
    /// The postcode districts (outward codes, `NG7`) inside the council's boundary.
    pub boundary_districts: Vec<String>,
    /// Children under 18 living in the area (the sufficiency picture's rate per 10,000).
    pub child_population: u64,
}

impl Default for LocalArea {
    /// Nottingham: the Old Market Square, 20 miles, and the city's own postcode districts.
    fn default() -> Self {
        Self {
            centre: Coordinates {
                latitude: 52.9530,
                longitude: -1.1505,
            },
            radius_miles: 20.0,
            boundary_districts: ["NG1", "NG2", "NG3", "NG5", "NG6", "NG7", "NG8", "NG11"]
                .map(String::from)
                .to_vec(),
            // ONS 2021, as the strategy gives it
            child_population: 66_000,
        }
    }
}

/// Miles between two points, as the crow flies.
pub fn miles_between(a: Coordinates, b: Coordinates) -> f64 {
    distance_metres(a, b) / METRES_PER_MILE
}

/// Where a placement is, seen from the child's home and from the centre. A distance is
/// unknown when a postcode is not in the postcode data; inside the boundary is read from the
/// placement's postcode itself, so it is known even then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Locality {
    pub from_home_miles: Option<f64>,
    pub from_centre_miles: Option<f64>,
    pub inside_boundary: bool,
}

impl Locality {
    pub fn of(
        area: &LocalArea,
        placement: &Postcode,
        at: Option<Coordinates>,
        home: Option<Coordinates>,
    ) -> Self {
        let outward = placement
            .as_str()
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        Self {
            from_home_miles: at.zip(home).map(|(a, h)| miles_between(a, h)),
            from_centre_miles: at.map(|a| miles_between(a, area.centre)),
            inside_boundary: area.boundary_districts.contains(&outward),
        }
    }

    /// Local: inside the boundary, or within the radius of the centre. Unknown when the
    /// placement is outside the boundary and its postcode cannot be placed.
    pub fn local(&self, area: &LocalArea) -> Option<bool> {
        if self.inside_boundary {
            return Some(true);
        }
        self.from_centre_miles.map(|m| m <= area.radius_miles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates {
            latitude,
            longitude,
        }
    }

    fn pc(s: &str) -> Postcode {
        Postcode::parse(s).expect("a postcode")
    }

    #[test]
    fn distances_from_home_and_centre_and_whether_local() {
        let area = LocalArea::default();
        let hyson_green = at(52.9690, -1.1690);
        let derby = at(52.9225, -1.4746); // about 13.6 miles west
        let sheffield = at(53.3811, -1.4701); // about 32 miles north
        let table = [
            // (placement postcode, where, child's home, inside, local, miles from home)
            (
                "NG7 5AA",
                Some(hyson_green),
                Some(hyson_green),
                true,
                Some(true),
                Some(0.0),
            ),
            (
                "DE1 1AA",
                Some(derby),
                Some(hyson_green),
                false,
                Some(true),
                Some(13.0),
            ),
            (
                "S1 2AA",
                Some(sheffield),
                Some(hyson_green),
                false,
                Some(false),
                Some(29.0),
            ),
            ("S1 2AA", None, Some(hyson_green), false, None, None),
            ("NG7 5AA", None, None, true, Some(true), None),
        ];
        for (postcode, where_, home, inside, local, from_home) in table {
            let l = Locality::of(&area, &pc(postcode), where_, home);
            assert_eq!(l.inside_boundary, inside, "{postcode}");
            assert_eq!(l.local(&area), local, "{postcode}");
            match (l.from_home_miles, from_home) {
                (Some(m), Some(min)) => assert!(m >= min && m < min + 4.0, "{postcode}: {m}"),
                (None, None) => {}
                other => panic!("{postcode}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_radius_is_the_partnerships() {
        let near = LocalArea {
            radius_miles: 10.0,
            ..LocalArea::default()
        };
        let derby = at(52.9225, -1.4746);
        let l = Locality::of(&near, &pc("DE1 1AA"), Some(derby), None);
        assert_eq!(l.local(&near), Some(false));
        assert_eq!(l.local(&LocalArea::default()), Some(true));
    }
}
