//! Measuring impact: the dashboards at `/reports` (the partnership, a locality or ward, the
//! manager's team, a worker's own families, an agency's own requests), each indicator's trend
//! drawn on the server as an SVG chart with its numbers in a table beside, the records behind a
//! figure, the CSV export, and the form for the partnership indicators entered each period.

mod board;
pub(crate) mod chart;
mod indicators;

use crate::components::Select;
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
use axum::routing::get;
use axum::Router;
use chart::TrendChart;
use hearth_app::insight::{Dashboard, Drill, DrillRecord, FilterChoices, ReportFilter, Scope};
use hearth_app::Actor;
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::{AgeBand, Kpi, Quarter, Source};
use hearth_domain::person::{Ethnicity, Sex};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(dashboard))
        .route("/reports/export.csv", get(export))
        .route("/reports/drill", get(drill))
        .route(
            "/reports/indicators",
            get(indicators::form).post(indicators::enter),
        )
        .route("/reports/board", get(board::list).post(board::start))
        .route("/reports/board/{id}", get(board::show))
        .route(
            "/reports/board/{id}/edit",
            get(board::edit).post(board::save),
        )
        .route("/reports/board/{id}/report.pdf", get(board::pdf))
}

/// Quarters a dashboard shows.
const QUARTERS: usize = 8;

/// The dashboard's address: what it is of, the last quarter and the filters, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    quarter: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    ward: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    age: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    send: String,
    /// For the records behind a figure: which indicator.
    #[serde(default)]
    kpi: String,
    /// `yes`: work the figures out again now rather than show the kept ones.
    #[serde(default)]
    again: String,
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl ReportQuery {
    /// The scope asked for, or the widest the user may see.
    fn scope(&self, actor: &Actor) -> Scope {
        let open = Scope::open_to(actor);
        Scope::from_code(&self.scope)
            .or_else(|| open.first().copied())
            .unwrap_or(Scope::Partnership)
    }

    fn again(&self) -> bool {
        self.again == "yes"
    }

    fn last_quarter(&self, today: chrono::NaiveDate) -> Quarter {
        Quarter::from_code(&self.quarter).unwrap_or_else(|| Quarter::containing(today))
    }

    /// The filter; a value no form offers is read as no filter.
    fn filter(&self) -> ReportFilter {
        ReportFilter {
            locality: some(&self.locality),
            ward: some(&self.ward),
            agency: self.agency.parse().ok(),
            team: self.team.parse().ok(),
            lead: None,
            age_band: AgeBand::from_code(&self.age),
            sex: Sex::from_code(&self.sex),
            ethnicity: Ethnicity::from_code(&self.ethnicity),
            language: some(&self.language),
            send: self.send == "yes",
        }
    }

    /// The dashboard's own fields as a query string, for the export and the drill links.
    fn params(&self, scope: Scope, quarter: Quarter) -> String {
        serde_urlencoded::to_string([
            ("scope", scope.code()),
            ("quarter", &quarter.code()),
            ("locality", &self.locality),
            ("ward", &self.ward),
            ("agency", &self.agency),
            ("team", &self.team),
            ("age", &self.age),
            ("sex", &self.sex),
            ("ethnicity", &self.ethnicity),
            ("language", &self.language),
            ("send", &self.send),
        ])
        .unwrap_or_default()
    }
}

/// One indicator on the page: its definition, chart and table.
struct Line {
    kpi: Kpi,
    chart: TrendChart,
    /// (quarter's label, the figure as shown, where its records are listed)
    cells: Vec<(String, String, Option<String>)>,
    /// For the definition: N (numerator) of D (denominator) in the latest quarter.
    latest_counts: Option<String>,
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
struct DashboardPage {
    shell: Shell,
    of: String,
    scope: Scope,
    scopes: Vec<(String, &'static str, bool)>,
    partnership: bool,
    suppressed: bool,
    filtered: bool,
    last: String,
    quarter: Select,
    filters: Vec<Select>,
    export: String,
    /// When the figures were worked out, and the link that works them out again.
    worked_out: String,
    again: String,
    lines: Vec<Line>,
}

fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Partnership => "Partnership and localities",
        Scope::Team => "Your team",
        Scope::Mine => "Your families",
        Scope::Agency => "Your organisation's requests",
    }
}

fn choices(list: impl IntoIterator<Item = (String, String)>, any: &str) -> Vec<(String, String)> {
    let mut all = vec![(String::new(), any.to_string())];
    all.extend(list);
    all
}

/// The filters' selects: those a narrower scope fixes itself are left out.
fn filter_selects(q: &ReportQuery, scope: Scope, c: &FilterChoices) -> Vec<Select> {
    let none = FieldErrors::new();
    let mut localities: Vec<String> = c.areas.iter().map(|(l, _)| l.clone()).collect();
    localities.dedup();
    let mut list = vec![
        fields::select(
            "locality",
            "Locality (Family Hub area)",
            choices(
                localities.into_iter().map(|l| (l.clone(), l)),
                "All localities",
            ),
            &q.locality,
            &none,
        ),
        fields::select(
            "ward",
            "Ward",
            choices(
                c.areas
                    .iter()
                    .map(|(l, w)| (w.clone(), format!("{w} ({l})"))),
                "All wards",
            ),
            &q.ward,
            &none,
        ),
    ];
    if scope != Scope::Agency {
        list.push(fields::select(
            "agency",
            "Agency that asked",
            choices(
                c.agencies.iter().map(|(id, n)| (id.to_string(), n.clone())),
                "All agencies",
            ),
            &q.agency,
            &none,
        ));
    }
    if scope == Scope::Partnership {
        list.push(fields::select(
            "team",
            "Team",
            choices(
                c.teams.iter().map(|(id, n)| (id.to_string(), n.clone())),
                "All teams",
            ),
            &q.team,
            &none,
        ));
    }
    list.extend([
        fields::select(
            "age",
            "Age band",
            choices(
                AgeBand::ALL
                    .iter()
                    .map(|b| (b.code().into(), b.label().into())),
                "All ages",
            ),
            &q.age,
            &none,
        ),
        fields::select(
            "sex",
            "Sex",
            choices(
                Sex::ALL.iter().map(|s| (s.code().into(), s.label().into())),
                "Any",
            ),
            &q.sex,
            &none,
        ),
        fields::select(
            "ethnicity",
            "Ethnicity",
            choices(
                Ethnicity::ALL
                    .iter()
                    .map(|e| (e.code().into(), e.label().into())),
                "Any",
            ),
            &q.ethnicity,
            &none,
        ),
        fields::select(
            "language",
            "First language",
            choices(c.languages.iter().map(|l| (l.clone(), l.clone())), "Any"),
            &q.language,
            &none,
        ),
        fields::select(
            "send",
            "Special educational needs or disability",
            vec![
                (String::new(), "Anyone".into()),
                ("yes".into(), "Only with SEND recorded".into()),
            ],
            &q.send,
            &none,
        ),
    ]);
    list
}

fn line(d: &Dashboard, index: usize, params_for: &dyn Fn(Quarter) -> String) -> Line {
    let l = &d.lines[index];
    // Published figures have no records behind them here, and the worklist's families are
    // listed on the worklist, for those who work it.
    let drillable = l.kpi.source != Source::Entered
        && !l
            .kpi
            .measure()
            .is_some_and(hearth_domain::insight::Measure::counts_families);
    let cells = d
        .quarters
        .iter()
        .zip(&l.figures)
        .map(|(q, f)| {
            let href = (drillable && f.value().is_some())
                .then(|| format!("/reports/drill?kpi={}&{}", l.kpi.code, params_for(*q)));
            (q.label(), f.text(), href)
        })
        .collect();
    let latest_counts = l
        .counts
        .last()
        .copied()
        .flatten()
        .map(|f| match f.denominator {
            Some(d) => format!("{} of {}", f.numerator, d),
            None => f.numerator.to_string(),
        });
    Line {
        chart: TrendChart::new(&l.kpi.title, &d.quarters, &l.figures, index),
        kpi: l.kpi.clone(),
        cells,
        latest_counts,
    }
}

async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let scope = q.scope(&actor);
    let last = q.last_quarter(state.hearth.now().date_naive());
    let d = if q.again() {
        state
            .hearth
            .dashboard_now(&actor, scope, q.filter(), last, QUARTERS)
            .await?
    } else {
        state
            .hearth
            .dashboard(&actor, scope, q.filter(), last, QUARTERS)
            .await?
    };
    let choices = if actor.can(hearth_domain::role::Capability::ViewReports) {
        state.hearth.filter_choices(&actor).await?
    } else {
        FilterChoices::default()
    };
    let params_for = |quarter: Quarter| q.params(scope, quarter);
    let lines = (0..d.lines.len())
        .map(|i| line(&d, i, &params_for))
        .collect();
    let today = Quarter::containing(state.hearth.now().date_naive());
    let quarter_choices = today
        .trailing(24)
        .into_iter()
        .rev()
        .map(|x| (x.code(), x.label()))
        .collect();
    let none = FieldErrors::new();
    let title = format!("Measuring impact: {}", d.of);
    let page = DashboardPage {
        shell: Shell::new(&state, &visitor, &title).at("/reports"),
        of: d.of.clone(),
        scope,
        scopes: Scope::open_to(&actor)
            .into_iter()
            .map(|s| {
                (
                    format!("/reports?scope={}", s.code()),
                    scope_label(s),
                    s == scope,
                )
            })
            .collect(),
        partnership: scope == Scope::Partnership,
        suppressed: d.suppressed,
        filtered: q.filter() != ReportFilter::default(),
        last: last.label(),
        quarter: fields::select(
            "quarter",
            "Up to the quarter",
            quarter_choices,
            &last.code(),
            &none,
        ),
        filters: if choices.areas.is_empty() && choices.languages.is_empty() {
            Vec::new()
        } else {
            filter_selects(&q, scope, &choices)
        },
        export: format!("/reports/export.csv?{}", q.params(scope, last)),
        worked_out: crate::dates::moment(d.worked_out),
        again: format!("/reports?{}&again=yes", q.params(scope, last)),
        lines,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The dashboard as CSV: one row per indicator and quarter, with its definition and the
/// figure as the viewer may see it (suppressed outside the council).
async fn export(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    use crate::download::csv_field as field;
    let scope = q.scope(&actor);
    let last = q.last_quarter(state.hearth.now().date_naive());
    let d = state
        .hearth
        .dashboard(&actor, scope, q.filter(), last, QUARTERS)
        .await?;
    let mut csv = String::from(
        "indicator,title,quarter,figure,value,numerator,denominator,numerator_definition,denominator_definition,direction,target,baseline,national_average,frequency\r\n",
    );
    for l in &d.lines {
        for ((quarter, shown), counts) in d.quarters.iter().zip(&l.figures).zip(&l.counts) {
            let k = &l.kpi;
            let row = [
                k.code.clone(),
                k.title.clone(),
                quarter.code(),
                shown.text(),
                shown.value().map(|v| format!("{v:.4}")).unwrap_or_default(),
                counts.map(|c| c.numerator.to_string()).unwrap_or_default(),
                counts
                    .and_then(|c| c.denominator)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                k.numerator.clone(),
                k.denominator.clone().unwrap_or_default(),
                k.direction.label().into(),
                k.target.clone().unwrap_or_default(),
                k.baseline.clone().unwrap_or_default(),
                k.national_average.clone().unwrap_or_default(),
                k.frequency.label().into(),
            ];
            let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
            csv.push_str(&cells.join(","));
            csv.push_str("\r\n");
        }
    }
    let name = format!("hearth-{}-{}.csv", scope.code(), last.code());
    Ok(crate::download::attachment(
        crate::download::CSV,
        &name,
        csv.into_bytes(),
    ))
}

#[derive(Template)]
#[template(path = "reports/drill.html")]
struct DrillPage {
    shell: Shell,
    drill: Drill,
    back: String,
    records: Vec<(String, String, bool)>,
}

async fn drill(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let scope = q.scope(&actor);
    let quarter = q.last_quarter(state.hearth.now().date_naive());
    let drill = state
        .hearth
        .drill(&actor, scope, q.filter(), &q.kpi, quarter)
        .await?;
    let records = drill
        .shown
        .iter()
        .map(|r| match r {
            DrillRecord::Episode {
                id,
                family,
                in_numerator,
            } => (format!("/episodes/{id}"), family.clone(), *in_numerator),
            DrillRecord::Request {
                id,
                submitted,
                in_numerator,
            } => (
                format!("/requests/{id}"),
                format!("Request of {}", submitted.format("%-d %B %Y")),
                *in_numerator,
            ),
        })
        .collect();
    let title = format!("{}: {}", drill.kpi.title, quarter.label());
    let page = DrillPage {
        shell: Shell::new(&state, &visitor, &title).at("/reports"),
        back: format!("/reports?{}", q.params(scope, quarter)),
        drill,
        records,
    };
    Ok(render(StatusCode::OK, &page))
}
