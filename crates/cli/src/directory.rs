//! `hearth postcodes import` and `hearth directory import-oruk`: bringing in the postcode
//! table that distance search needs, and another publisher's Open Referral UK feed. Both show
//! progress, report every rejected row or record with its reason, and can be run again safely.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearth_app::directory::oruk;
use hearth_app::directory::ImportKind;
use hearth_app::records::Written;
use hearth_app::Hearth;
use hearth_domain::directory::{Coordinates, Postcode};
use hearth_domain::grid::national_grid_to_wgs84;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;

/// The ORUK 3.0 schema every imported service must pass, shipped with Hearth.
const SERVICE_SCHEMA: &str = include_str!("../../../standards/oruk-3.0/compiled/service.json");
/// Postcodes saved per transaction.
const POSTCODE_BATCH: usize = 1000;
/// A feed's page size, and the most pages we follow (a feed that never ends is broken).
const FEED_PAGE_SIZE: u32 = 50;
const MAX_FEED_PAGES: u32 = 10_000;

#[derive(Subcommand)]
pub enum PostcodesCommand {
    /// Import postcode centroids from a CSV file, whichever of these it is (told apart by its
    /// first line): the ONS Postcode Directory (columns pcds or pcd, lat, long) or any file
    /// with postcode, latitude and longitude columns; OS Code-Point Open (no header: postcode,
    /// quality, eastings, northings, ...), or any file with postcode, eastings and northings
    /// columns, whose National Grid positions are converted to latitude and longitude.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum DirectoryCommand {
    /// Import services from another publisher's Open Referral UK 3.0 feed: the API's address
    /// (its /services pages, then each service) or a JSON file (a page, a list of services or
    /// one service). Each service is imported whole or not at all; running again updates.
    ImportOruk {
        /// e.g. https://example.org/openreferral or ./feed.json
        source: String,
    },
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{pos}}/{{len}} [{{elapsed_precise}}] {{msg}}"
    )) {
        b.set_style(style);
    }
    b
}

/// The first of `names` (in order of preference) that is a column of the file.
fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    })
}

/// How a postcode file gives positions, and in which columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostcodeFormat {
    /// Latitude and longitude (WGS84), columns named in a header: the ONS Postcode Directory.
    LatLong {
        postcode: usize,
        latitude: usize,
        longitude: usize,
    },
    /// National Grid eastings and northings, with Code-Point's positional quality when there
    /// is one: OS Code-Point Open.
    Grid {
        postcode: usize,
        easting: usize,
        northing: usize,
        quality: Option<usize>,
    },
}

/// OS Code-Point Open's columns (its files have no header): postcode, positional quality,
/// eastings, northings, then codes for the country, NHS regions, county, district and ward.
const CODE_POINT_OPEN: PostcodeFormat = PostcodeFormat::Grid {
    postcode: 0,
    easting: 2,
    northing: 3,
    quality: Some(1),
};

/// Code-Point's positional quality for a postcode it has no position for.
const NO_POSITION_QUALITY: &str = "90";

impl PostcodeFormat {
    /// Works out the format from the file's first line. `Ok((format, true))` when that line is
    /// a header, `Ok((format, false))` when it is already data (Code-Point Open).
    fn detect(first: &csv::StringRecord) -> Result<(Self, bool), String> {
        let number = |i: usize| {
            first
                .get(i)
                .is_some_and(|t| t.trim().parse::<f64>().is_ok())
        };
        let is_postcode = first
            .get(0)
            .and_then(Postcode::parse)
            .is_some_and(|p| !p.is_district());
        if is_postcode && number(1) && number(2) && number(3) {
            return Ok((CODE_POINT_OPEN, false));
        }
        let postcode = column(first, &["pcds", "postcode", "pcd", "pcd2", "pc"]);
        let latlong = (
            column(first, &["lat", "latitude"]),
            column(first, &["long", "lon", "lng", "longitude"]),
        );
        let grid = (
            column(first, &["ea", "eastings", "easting", "oseast1m"]),
            column(first, &["no", "northings", "northing", "osnrth1m"]),
        );
        match (postcode, latlong, grid) {
            (Some(postcode), (Some(latitude), Some(longitude)), _) => Ok((
                PostcodeFormat::LatLong {
                    postcode,
                    latitude,
                    longitude,
                },
                true,
            )),
            (Some(postcode), _, (Some(easting), Some(northing))) => Ok((
                PostcodeFormat::Grid {
                    postcode,
                    easting,
                    northing,
                    quality: column(first, &["pq", "quality"]),
                },
                true,
            )),
            _ => Err(format!(
                "is neither an ONS Postcode Directory file (columns pcds, lat and long), nor OS \
                 Code-Point Open (no header; postcode, quality, eastings, northings), nor a file \
                 with a postcode column and latitude and longitude or eastings and northings \
                 columns. Its first line is: {}",
                first.iter().collect::<Vec<_>>().join(",")
            )),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            PostcodeFormat::LatLong { .. } => "latitude and longitude (ONS Postcode Directory)",
            PostcodeFormat::Grid {
                quality: Some(_), ..
            } => "National Grid eastings and northings (OS Code-Point Open)",
            PostcodeFormat::Grid { quality: None, .. } => "National Grid eastings and northings",
        }
    }

    /// One row as a postcode and where it is, or why it cannot be used.
    fn read(self, row: &csv::StringRecord) -> Result<(Postcode, Coordinates), String> {
        let field = |i: usize| row.get(i).unwrap_or("").trim();
        let column = match self {
            PostcodeFormat::LatLong { postcode, .. } | PostcodeFormat::Grid { postcode, .. } => {
                postcode
            }
        };
        let text = field(column);
        let postcode =
            Postcode::parse(text).ok_or_else(|| format!("'{text}' is not a postcode"))?;
        if postcode.is_district() {
            return Err(format!("'{text}' is only the first part of a postcode"));
        }
        let number = |i: usize, what: &str| -> Result<f64, String> {
            let t = field(i);
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("{what} '{t}' is not a number"))
        };
        let at = match self {
            PostcodeFormat::LatLong {
                latitude,
                longitude,
                ..
            } => {
                let (la, lo) = (
                    number(latitude, "latitude")?,
                    number(longitude, "longitude")?,
                );
                // The ONS directory gives 99.999999 for postcodes it has no position for.
                Coordinates::new(la, lo)
                    .filter(|_| la.abs() < 90.0)
                    .ok_or_else(|| format!("no position ({la}, {lo})"))?
            }
            PostcodeFormat::Grid {
                easting,
                northing,
                quality,
                ..
            } => {
                if quality.is_some_and(|q| field(q) == NO_POSITION_QUALITY) {
                    return Err(
                        "no position (Code-Point positional quality 90: no coordinates)".into(),
                    );
                }
                let (e, n) = (number(easting, "eastings")?, number(northing, "northings")?);
                if e == 0.0 && n == 0.0 {
                    return Err("no position (eastings and northings are 0)".into());
                }
                national_grid_to_wgs84(e, n).ok_or_else(|| {
                    format!("eastings {e} and northings {n} are not on the National Grid")
                })?
            }
        };
        Ok((postcode, at))
    }
}

pub async fn import_postcodes(hearth: &Hearth, file: &PathBuf) -> Result<bool> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut records = reader.records();
    let first = match records.next() {
        Some(r) => r.with_context(|| format!("cannot read {}", file.display()))?,
        None => bail!("{} is empty", file.display()),
    };
    let (format, header) = match PostcodeFormat::detect(&first) {
        Ok(f) => f,
        Err(e) => bail!("{} {e}", file.display()),
    };
    eprintln!(
        "Reading {} as postcodes with {}.",
        file.display(),
        format.describe()
    );
    let progress = bar(size, "postcodes (bytes read)");
    let (mut added, mut changed, mut unchanged, mut rejected) = (0, 0, 0, 0);
    let mut batch = Vec::with_capacity(POSTCODE_BATCH);
    let rows = (!header).then_some(Ok(first)).into_iter().chain(records);
    for (n, row) in rows.enumerate() {
        let line = n + if header { 2 } else { 1 };
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                rejected += 1;
                progress.suspend(|| eprintln!("line {line}: rejected: {e}"));
                continue;
            }
        };
        progress.set_position(row.position().map(|p| p.byte()).unwrap_or(0));
        match format.read(&row) {
            Ok(pc) => batch.push(pc),
            Err(reason) => {
                rejected += 1;
                progress.suspend(|| eprintln!("line {line}: rejected: {reason}"));
            }
        }
        if batch.len() >= POSTCODE_BATCH {
            let (a, c) = hearth.put_postcodes(&batch).await?;
            added += a;
            changed += c;
            unchanged += batch.len() - a - c;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        let (a, c) = hearth.put_postcodes(&batch).await?;
        added += a;
        changed += c;
        unchanged += batch.len() - a - c;
    }
    progress.finish_and_clear();
    hearth
        .record_import(
            ImportKind::Postcodes,
            &file.display().to_string(),
            added,
            changed,
            unchanged,
            rejected,
        )
        .await?;
    println!(
        "Postcodes: {added} added, {changed} changed, {unchanged} unchanged, {rejected} rejected."
    );
    Ok(rejected == 0)
}

/// Where a feed's services come from.
enum Feed {
    Api {
        base: String,
        client: reqwest::Client,
    },
    File(Vec<Value>),
}

async fn get_json(client: &reqwest::Client, url: &str) -> Result<Value, String> {
    let res = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !res.status().is_success() {
        return Err(format!("{url}: the server answered {}", res.status()));
    }
    res.json()
        .await
        .map_err(|e| format!("{url}: not JSON ({e})"))
}

impl Feed {
    fn open(source: &str) -> Result<Self> {
        if source.starts_with("http://") || source.starts_with("https://") {
            let client = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()?;
            return Ok(Feed::Api {
                base: source.trim_end_matches('/').to_string(),
                client,
            });
        }
        let text =
            std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"))?;
        let v: Value =
            serde_json::from_str(&text).with_context(|| format!("{source} is not JSON"))?;
        Ok(Feed::File(match v {
            Value::Array(items) => items,
            Value::Object(ref o) if o.contains_key("contents") => match o.get("contents") {
                Some(Value::Array(items)) => items.clone(),
                _ => bail!("{source}: `contents` is not a list of services"),
            },
            other => vec![other],
        }))
    }
}

/// Checks a service against the ORUK 3.0 schema and reads it, or says what is wrong.
fn read_service(
    validator: &jsonschema::Validator,
    v: &Value,
) -> Result<oruk::Service, Vec<String>> {
    let problems: Vec<String> = validator
        .iter_errors(v)
        .take(10)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{}: {e}", if at.is_empty() { "/" } else { &at })
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_json::from_value(v.clone()).map_err(|e| vec![e.to_string()])
}

fn label(v: &Value, n: usize) -> String {
    match (
        v.get("id").and_then(Value::as_str),
        v.get("name").and_then(Value::as_str),
    ) {
        (Some(id), Some(name)) => format!("service {id} ({name})"),
        (Some(id), None) => format!("service {id}"),
        _ => format!("record {n}"),
    }
}

pub async fn import_oruk(hearth: &Hearth, source: &str) -> Result<bool> {
    let schema: Value = serde_json::from_str(SERVICE_SCHEMA)?;
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| anyhow::anyhow!("the ORUK service schema: {e}"))?;
    let feed = Feed::open(source)?;
    let (mut added, mut changed, mut unchanged, mut rejected) = (0, 0, 0, 0);
    let report = |what: &str, problems: &[String], progress: &ProgressBar| {
        progress.suspend(|| {
            eprintln!("{what}: rejected:");
            for p in problems {
                eprintln!("    {p}");
            }
        });
    };
    let items: Vec<(String, Result<Value, String>)> = match feed {
        Feed::File(values) => values
            .into_iter()
            .enumerate()
            .map(|(n, v)| (label(&v, n + 1), Ok(v)))
            .collect(),
        Feed::Api { base, client } => {
            let mut ids = Vec::new();
            let mut seen = HashSet::new();
            let listing = bar(0, "pages");
            for page in 1..=MAX_FEED_PAGES {
                let url = format!("{base}/services?page={page}&per_page={FEED_PAGE_SIZE}");
                let v = match get_json(&client, &url).await {
                    Ok(v) => v,
                    Err(e) => {
                        rejected += 1;
                        report(&format!("page {page}"), &[e], &listing);
                        break;
                    }
                };
                let Some(contents) = v.get("contents").and_then(Value::as_array) else {
                    rejected += 1;
                    report(
                        &format!("page {page}"),
                        &[
                            "the page has no `contents` list: the feed's pagination is broken"
                                .into(),
                        ],
                        &listing,
                    );
                    break;
                };
                let before = ids.len();
                for c in contents {
                    match c.get("id").and_then(Value::as_str) {
                        Some(id) if seen.insert(id.to_string()) => ids.push(id.to_string()),
                        Some(_) => {}
                        None => {
                            rejected += 1;
                            report(
                                &format!("page {page}"),
                                &["a service without an id".into()],
                                &listing,
                            );
                        }
                    }
                }
                listing.inc(1);
                let last = v.get("last_page").and_then(Value::as_bool).unwrap_or(true);
                if last || contents.is_empty() {
                    break;
                }
                if ids.len() == before {
                    rejected += 1;
                    report(
                        &format!("page {page}"),
                        &[
                            "the page repeats earlier services: the feed's pagination is broken"
                                .into(),
                        ],
                        &listing,
                    );
                    break;
                }
            }
            listing.finish_and_clear();
            let mut items = Vec::with_capacity(ids.len());
            let fetching = bar(ids.len() as u64, "services fetched");
            for id in ids {
                let got = get_json(&client, &format!("{base}/services/{id}")).await;
                fetching.inc(1);
                items.push((format!("service {id}"), got));
            }
            fetching.finish_and_clear();
            items
        }
    };
    let progress = bar(items.len() as u64, "services imported");
    for (what, item) in items {
        // Each service in its own transaction: a bad one is reported, the rest go in.
        let outcome = match item {
            Err(e) => Err(vec![e]),
            Ok(v) => match read_service(&validator, &v) {
                Ok(s) => hearth.import_oruk_service(source, &s).await,
                Err(p) => Err(p),
            },
        };
        progress.inc(1);
        match outcome {
            Ok(Written::Added) => added += 1,
            Ok(Written::Changed) => changed += 1,
            Ok(Written::Unchanged) => unchanged += 1,
            Err(problems) => {
                rejected += 1;
                report(&what, &problems, &progress);
            }
        }
    }
    progress.finish_and_clear();
    hearth
        .record_import(
            ImportKind::Services,
            source,
            added,
            changed,
            unchanged,
            rejected,
        )
        .await?;
    println!(
        "Services from {source}: {added} added, {changed} changed, {unchanged} unchanged, {rejected} rejected."
    );
    Ok(rejected == 0)
}
