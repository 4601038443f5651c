//! Family Hubs' pages (ADR 0028): the hub worker's desk (programmes and registered families),
//! registering a family, programmes and their sessions, registers marked on a phone or
//! tablet, and the reach report for managers.

mod concerns;
mod families;
mod population;
mod programmes;
mod progress;
mod registers;

use crate::components::{ErrorSummary, Input, NotificationBanner};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Months, NaiveDate};
use hearth_app::family::parse_date;
use hearth_app::hubs::{AreaShare, FamilyLine, Figures, Programme, Reach, UnderFives};
use hearth_domain::hub::AgeBand;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hubs", get(desk))
        .route("/hubs/reach", get(reach))
        .route(
            "/hubs/population",
            get(population::form).post(population::import),
        )
        .route(
            "/hubs/families/new",
            get(families::new_form).post(families::create),
        )
        .route("/hubs/families/{id}", get(families::show))
        .route("/hubs/families/{id}/bookings", post(families::book))
        .route(
            "/hubs/families/{id}/concern",
            get(concerns::form).post(concerns::send),
        )
        .route(
            "/hubs/families/{id}/attendance-consent",
            post(families::attendance_consent),
        )
        .route(
            "/hubs/programmes/new",
            get(programmes::new_form).post(programmes::create),
        )
        .route("/hubs/programmes/{id}", get(programmes::show))
        .route(
            "/hubs/sessions/{id}/cancel",
            get(programmes::cancel_form).post(programmes::cancel),
        )
        .route(
            "/hubs/sessions/{id}/register",
            get(registers::show).post(registers::save),
        )
        .route("/hubs/sessions/{id}/marks", post(registers::mark))
        .route(
            "/episodes/{id}/plan/hub-courses",
            get(progress::show).post(progress::record),
        )
}

pub(crate) fn id(text: &str) -> Result<Uuid, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

#[derive(Template)]
#[template(path = "hubs/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    programmes: Vec<Programme>,
    families: Vec<FamilyLine>,
    name: Input,
}

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    done: String,
}

async fn desk(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DeskQuery>,
) -> Result<Response, WebError> {
    let families = state.hearth.hub_families(&actor, &q.name).await?;
    let programmes = state.hearth.hub_programmes(&actor).await?;
    let page = DeskPage {
        shell: Shell::new(&state, &visitor, "Family Hubs").at("/hubs"),
        banner: (q.done == "programme").then(|| fields::success("Programme set up.")),
        programmes,
        families,
        name: fields::text("name", "Family name", &q.name, &FieldErrors::new()),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "hubs/reach.html")]
struct ReachPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    from: Input,
    to: Input,
    period: String,
    reach: Option<Reach>,
    /// When the reach was worked out (it is kept a few minutes), and the link that works it
    /// out again.
    worked_out: Option<String>,
    again: String,
    /// Each breakdown's title and rows, labels as people read them.
    tables: Vec<(&'static str, Vec<Figures>)>,
    /// Under-fives reached by hub's area, then by ward (with each ward's hub).
    area_tables: Vec<AreaTable>,
}

struct AreaTable {
    caption: &'static str,
    heading: &'static str,
    wards: bool,
    rows: Vec<AreaShare>,
}

impl ReachPage {
    fn no_populations(&self) -> bool {
        self.area_tables.iter().all(|t| t.rows.is_empty())
    }

    /// A share as people read it: 12.3%, or "No population" without one.
    fn share(&self, a: &AreaShare) -> String {
        a.share.map_or_else(
            || "No population".into(),
            |t| format!("{}.{}%", t / 10, t % 10),
        )
    }
}

/// A breakdown's rows with readable labels: age bands named, an empty label (a walk-in
/// counted only, a detail not given) said so.
fn readable(rows: &[Figures], bands: bool) -> Vec<Figures> {
    rows.iter()
        .map(|r| Figures {
            label: match (bands, r.label.as_str()) {
                (true, code) => AgeBand::from_code(code)
                    .map_or("Age not known", AgeBand::label)
                    .to_string(),
                (false, "") => "Not known, or walk-in counted only".to_string(),
                (false, l) => l.to_string(),
            },
            ..r.clone()
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct ReachQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `yes`: work the reach out again now rather than show the kept figures.
    #[serde(default)]
    again: String,
}

/// The reach over a period; by default the fourteen months to today (the seed's period).
async fn reach(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReachQuery>,
) -> Result<Response, WebError> {
    let today = state.hearth.now().date_naive();
    let mut e = FieldErrors::new();
    let default_from = today.checked_sub_months(Months::new(14)).unwrap_or(today);
    let from = parse_date(&mut e, "from", &q.from).unwrap_or(default_from);
    let to = parse_date(&mut e, "to", &q.to).unwrap_or(today);
    if e.is_empty() && to < from {
        e.add("to", "The end of the period must be on or after its start");
    }
    let again = q.again == "yes";
    let (figures, worked_out, under_fives) = if e.is_empty() {
        let (figures, at) = state.hearth.hub_reach(&actor, from, to, again).await?;
        (
            Some(figures),
            Some(crate::dates::moment(at)),
            state
                .hearth
                .under_fives_reached(&actor, from, to, again)
                .await?,
        )
    } else {
        (None, None, UnderFives::default())
    };
    let shown = |typed: &str, d: NaiveDate| {
        if typed.trim().is_empty() {
            d.format("%d/%m/%Y").to_string()
        } else {
            typed.to_string()
        }
    };
    let page = ReachPage {
        shell: Shell::new(&state, &visitor, "Family Hubs' reach")
            .at("/hubs/reach")
            .with_errors(!e.is_empty()),
        error_summary: fields::error_summary(&e),
        from: fields::with_hint(
            fields::text("from", "From", &shown(&q.from, from), &e),
            "For example, 01/01/2023",
        ),
        to: fields::with_hint(
            fields::text("to", "To", &shown(&q.to, to), &e),
            "For example, 28/02/2024",
        ),
        period: format!(
            "{} to {}",
            crate::dates::UkDate::uk(&from),
            crate::dates::UkDate::uk(&to)
        ),
        tables: figures
            .as_ref()
            .map(|r| {
                vec![
                    ("Hub", readable(&r.by_hub, false)),
                    ("Service", readable(&r.by_service, false)),
                    ("Age band", readable(&r.by_age_band, true)),
                    ("Language", readable(&r.by_language, false)),
                    ("Ethnicity", readable(&r.by_ethnicity, false)),
                ]
            })
            .unwrap_or_default(),
        reach: figures,
        worked_out,
        again: format!(
            "/hubs/reach?{}",
            serde_urlencoded::to_string([
                ("from", from.format("%d/%m/%Y").to_string()),
                ("to", to.format("%d/%m/%Y").to_string()),
                ("again", "yes".to_string()),
            ])
            .unwrap_or_default()
        ),
        area_tables: vec![
            AreaTable {
                caption: "Under-fives reached, by Family Hub's area",
                heading: "Family Hub",
                wards: false,
                rows: under_fives.by_hub,
            },
            AreaTable {
                caption: "Under-fives reached, by ward",
                heading: "Ward",
                wards: true,
                rows: under_fives.by_ward,
            },
        ],
    };
    Ok(render(crate::pages::status_for(!e.is_empty()), &page))
}
