//! British National Grid eastings and northings (as OS Code-Point Open gives postcodes) to
//! WGS84 latitude and longitude (as the directory stores them).
//!
//! Two documented steps from Ordnance Survey's *A guide to coordinate systems in Great
//! Britain*: the inverse transverse Mercator projection of the National Grid onto the OSGB36
//! datum (Airy 1830 ellipsoid; annex C), then the seven-parameter Helmert transformation from
//! OSGB36 to WGS84 (section 6.6), through Cartesian coordinates. The Helmert step is good to
//! about 5 metres across Great Britain, far closer than a postcode centroid needs (OS's
//! OSTN15 grid, accurate to 0.1 m, would add a 15 MB table for no gain here).

use crate::directory::Coordinates;

/// The Airy 1830 ellipsoid (OSGB36).
const AIRY_A: f64 = 6_377_563.396;
const AIRY_B: f64 = 6_356_256.909;
/// The WGS84 ellipsoid.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_B: f64 = 6_356_752.314_245;

/// The National Grid's projection: scale on the central meridian, true origin, false origin.
const F0: f64 = 0.999_601_271_7;
const LAT0_DEGREES: f64 = 49.0;
const LON0_DEGREES: f64 = -2.0;
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;

/// The grid's extent: every point of Great Britain (and its islands) is inside it.
pub const MAX_EASTING: f64 = 700_000.0;
pub const MAX_NORTHING: f64 = 1_300_000.0;

/// OSGB36 to WGS84: translations in metres, scale in parts per million, rotations in seconds
/// of arc (the published WGS84 → OSGB36 parameters with every sign reversed).
const TX: f64 = 446.448;
const TY: f64 = -125.157;
const TZ: f64 = 542.060;
const S_PPM: f64 = -20.4894;
const RX_SECONDS: f64 = 0.1502;
const RY_SECONDS: f64 = 0.2470;
const RZ_SECONDS: f64 = 0.8421;

/// Where a National Grid point is, in WGS84 degrees; `None` outside the grid.
pub fn national_grid_to_wgs84(easting: f64, northing: f64) -> Option<Coordinates> {
    if !(0.0..=MAX_EASTING).contains(&easting) || !(0.0..=MAX_NORTHING).contains(&northing) {
        return None;
    }
    let (lat, lon) = grid_to_osgb36(easting, northing);
    let (x, y, z) = to_cartesian(lat, lon, AIRY_A, AIRY_B);
    let (x, y, z) = helmert(x, y, z);
    let (lat, lon) = to_geodetic(x, y, z, WGS84_A, WGS84_B);
    Coordinates::new(lat.to_degrees(), lon.to_degrees())
}

/// The meridional arc from the true origin's latitude to `lat` (radians), in metres.
fn meridional_arc(lat: f64) -> f64 {
    let n = (AIRY_A - AIRY_B) / (AIRY_A + AIRY_B);
    let (n2, n3) = (n * n, n * n * n);
    let lat0 = LAT0_DEGREES.to_radians();
    let (d, s) = (lat - lat0, lat + lat0);
    AIRY_B
        * F0
        * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * d
            - (3.0 * n + 3.0 * n2 + 2.625 * n3) * d.sin() * s.cos()
            + (1.875 * n2 + 1.875 * n3) * (2.0 * d).sin() * (2.0 * s).cos()
            - (35.0 / 24.0) * n3 * (3.0 * d).sin() * (3.0 * s).cos())
}

/// The inverse transverse Mercator projection: grid metres to OSGB36 latitude and longitude
/// in radians (OS guide, annex C).
fn grid_to_osgb36(easting: f64, northing: f64) -> (f64, f64) {
    let e2 = 1.0 - (AIRY_B * AIRY_B) / (AIRY_A * AIRY_A);
    let lat0 = LAT0_DEGREES.to_radians();
    let mut lat = (northing - N0) / (AIRY_A * F0) + lat0;
    let mut m = meridional_arc(lat);
    // Converges to a hundredth of a millimetre in a handful of steps.
    for _ in 0..20 {
        if (northing - N0 - m).abs() < 1e-5 {
            break;
        }
        lat += (northing - N0 - m) / (AIRY_A * F0);
        m = meridional_arc(lat);
    }
    let (sin, cos, tan) = (lat.sin(), lat.cos(), lat.tan());
    let nu = AIRY_A * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = AIRY_A * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4, t6) = (tan * tan, tan.powi(4), tan.powi(6));
    let sec = 1.0 / cos;
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    let de = easting - E0;
    let latitude = lat - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let longitude =
        LON0_DEGREES.to_radians() + x * de - xi * de.powi(3) + xii * de.powi(5) - xiia * de.powi(7);
    (latitude, longitude)
}

/// Latitude and longitude (radians, on the ground: height 0) to Cartesian metres.
fn to_cartesian(lat: f64, lon: f64, a: f64, b: f64) -> (f64, f64, f64) {
    let e2 = 1.0 - (b * b) / (a * a);
    let nu = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
    (
        nu * lat.cos() * lon.cos(),
        nu * lat.cos() * lon.sin(),
        (1.0 - e2) * nu * lat.sin(),
    )
}

/// The seven-parameter Helmert transformation, OSGB36 to WGS84.
fn helmert(x: f64, y: f64, z: f64) -> (f64, f64, f64) {
    let s = S_PPM / 1e6;
    let r = |seconds: f64| (seconds / 3600.0).to_radians();
    let (rx, ry, rz) = (r(RX_SECONDS), r(RY_SECONDS), r(RZ_SECONDS));
    (
        TX + x * (1.0 + s) - y * rz + z * ry,
        TY + x * rz + y * (1.0 + s) - z * rx,
        TZ - x * ry + y * rx + z * (1.0 + s),
    )
}

/// Cartesian metres to latitude and longitude in radians, by iteration (converges to well
/// under a millimetre in a few steps at the earth's surface).
fn to_geodetic(x: f64, y: f64, z: f64, a: f64, b: f64) -> (f64, f64) {
    let e2 = 1.0 - (b * b) / (a * a);
    let p = (x * x + y * y).sqrt();
    let mut lat = z.atan2(p * (1.0 - e2));
    for _ in 0..10 {
        let nu = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
        lat = (z + e2 * nu * lat.sin()).atan2(p);
    }
    (lat, y.atan2(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d + m / 60.0 + s / 3600.0
    }

    #[test]
    fn the_os_guides_worked_example_projects_to_its_osgb36_position() {
        // OS guide, annex C: E 651409.903, N 313177.270 is 52°39′27.2531″N 1°43′4.5177″E.
        let (lat, lon) = grid_to_osgb36(651_409.903, 313_177.270);
        assert!((lat.to_degrees() - dms(52.0, 39.0, 27.2531)).abs() < 1e-7);
        assert!((lon.to_degrees() - dms(1.0, 43.0, 4.5177)).abs() < 1e-7);
    }

    #[test]
    fn a_grid_point_becomes_its_wgs84_position() {
        // The same point in WGS84 by the same Helmert transformation: 52°39′28.72″N
        // 1°42′57.79″E (within a metre or so of other published implementations).
        let c = national_grid_to_wgs84(651_409.903, 313_177.270).expect("on the grid");
        assert!((c.latitude - dms(52.0, 39.0, 28.72)).abs() < 2e-5, "{c:?}");
        assert!((c.longitude - dms(1.0, 42.0, 57.79)).abs() < 2e-5, "{c:?}");
    }

    #[test]
    fn nottingham_is_where_it_should_be() {
        // Nottingham, SK 570 400, is about 52.955°N 1.158°W: a check on the signs and the
        // order of the axes, to a kilometre.
        let c = national_grid_to_wgs84(457_000.0, 340_000.0).expect("on the grid");
        assert!((c.latitude - 52.955).abs() < 0.01, "{c:?}");
        assert!((c.longitude - -1.158).abs() < 0.01, "{c:?}");
    }

    #[test]
    fn points_off_the_grid_have_no_position() {
        assert_eq!(national_grid_to_wgs84(-1.0, 300_000.0), None);
        assert_eq!(national_grid_to_wgs84(400_000.0, 1_300_001.0), None);
        assert_eq!(national_grid_to_wgs84(f64::NAN, 300_000.0), None);
    }
}
