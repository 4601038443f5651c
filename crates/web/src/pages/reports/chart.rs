//! An indicator's trend as a small bar chart drawn on the server: an SVG with no script, read
//! to a screen reader as one image whose title names the indicator and whose description
//! gives every quarter's figure (the table beside it has the same numbers).

use hearth_domain::insight::{Quarter, Shown};

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
/// Room under the bars for the quarters' names.
const AXIS: f64 = 34.0;
/// Room above the tallest bar for its figure.
const TOP: f64 = 16.0;

/// One quarter's bar, with its geometry worked out.
pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// Where the bar's label and figure are centred.
    pub middle: String,
    pub figure_y: String,
    pub quarter: String,
    pub figure: String,
    /// No bar: the figure is suppressed or there is none.
    pub missing: bool,
}

pub struct TrendChart {
    /// Unique on the page, for `aria-labelledby`.
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: String,
    pub height: String,
    pub baseline_y: String,
    pub bars: Vec<Bar>,
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

impl TrendChart {
    /// The chart of an indicator (by its title) over the quarters.
    pub fn new(title: &str, quarters: &[Quarter], figures: &[Shown], index: usize) -> Self {
        let max = figures
            .iter()
            .filter_map(Shown::value)
            .fold(0.0_f64, f64::max);
        let scale = if max > 0.0 {
            (HEIGHT - AXIS - TOP) / max
        } else {
            0.0
        };
        let slot = WIDTH / quarters.len().max(1) as f64;
        let baseline = HEIGHT - AXIS;
        let bars = quarters
            .iter()
            .zip(figures)
            .enumerate()
            .map(|(i, (q, f))| {
                let value = f.value().unwrap_or(0.0);
                let h = value * scale;
                let x = i as f64 * slot + slot * 0.15;
                Bar {
                    x: px(x),
                    y: px(baseline - h),
                    width: px(slot * 0.7),
                    height: px(h),
                    middle: px(x + slot * 0.35),
                    figure_y: px(baseline - h - 4.0),
                    quarter: q.short(),
                    figure: match f {
                        Shown::Value { text, .. } => text.clone(),
                        Shown::Suppressed => "<5".into(),
                        Shown::Nothing => "–".into(),
                    },
                    missing: f.value().is_none(),
                }
            })
            .collect();
        let description = quarters
            .iter()
            .zip(figures)
            .map(|(q, f)| format!("{}: {}", q.label(), f.text()))
            .collect::<Vec<_>>()
            .join("; ");
        Self {
            id: format!("chart-{index}"),
            title: format!("{title}, by quarter"),
            description: format!("{description}."),
            width: px(WIDTH),
            height: px(HEIGHT),
            baseline_y: px(baseline),
            bars,
        }
    }
}
