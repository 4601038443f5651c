//! The sufficiency picture (ADR 0047): the strategy's figures for any date, for those who
//! read reports or commission placements, through the gate (audited); small numbers hidden
//! outside the council as the dashboards hide them; each table with its definition, and the
//! same tables as a CSV file.

use crate::kept::Kept;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::sufficiency::{self, Cell};
use hearth_domain::insight::{show, too_small, Figure, Shown, Unit};
use hearth_domain::returns::{self, Sheet};
use hearth_store::care::sufficiency as store;

/// One table as its reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownTable {
    pub key: &'static str,
    pub title: String,
    pub definition: String,
    pub head: Vec<String>,
    /// Each line's label and its cells' text.
    pub lines: Vec<(String, Vec<String>)>,
}

/// The picture on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Sufficiency {
    pub on: NaiveDate,
    pub tables: Vec<ShownTable>,
    /// True when counts of 1 to 4 are hidden for this reader.
    pub small_hidden: bool,
    /// When the figures were worked out (they are kept for a few minutes).
    pub worked_out: DateTime<Utc>,
}

/// Whole pounds with thousands separated: `£57,012,345`.
fn pounds(pence: i64) -> String {
    let pounds = (pence + 50) / 100;
    let digits = pounds.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}£{out}", if pounds < 0 { "-" } else { "" })
}

/// A cell's text, small numbers hidden when `hide`.
fn text(cell: Cell, hide: bool) -> String {
    match cell {
        Cell::Count(n) => show(
            Figure {
                numerator: n,
                denominator: None,
            },
            Unit::Count,
            hide,
        )
        .text(),
        Cell::Share(f) => show(f, Unit::Percent, hide).text(),
        Cell::Rate { count, population } => {
            let f = Figure {
                numerator: count,
                denominator: Some(population),
            };
            if hide && too_small(f) {
                Shown::Suppressed.text()
            } else if population == 0 {
                Shown::Nothing.text()
            } else {
                format!("{:.0}", count as f64 * 10_000.0 / population as f64)
            }
        }
        Cell::Pence(p) => pounds(p),
    }
}

impl Sufficiency {
    /// The picture as one CSV sheet: a line per cell, with its table, line and column.
    pub fn sheet(&self) -> Sheet {
        let mut rows = Vec::new();
        for t in &self.tables {
            for (label, cells) in &t.lines {
                for (head, value) in t.head.iter().zip(cells) {
                    rows.push(vec![
                        returns::Cell::Date(self.on),
                        returns::Cell::Text(t.key.into()),
                        returns::Cell::Text(t.title.clone()),
                        returns::Cell::Text(label.clone()),
                        returns::Cell::Text(head.clone()),
                        returns::Cell::Text(value.clone()),
                    ]);
                }
            }
        }
        Sheet {
            name: "Sufficiency",
            title: "The sufficiency picture",
            columns: vec!["on", "table", "title", "line", "column", "value"],
            rows,
        }
    }
}

impl Hearth {
    /// The sufficiency picture on `on` (no later than today), for a reader of reports or a
    /// placements officer (audited); anyone else is refused (audited). The tables are counts
    /// only, the same for every reader: kept for the partnership's `figures_kept` time like the
    /// dashboards' (ADR 0040), and worked out now when `again`. Small numbers are hidden for
    /// each reader afterwards.
    pub async fn sufficiency(
        &self,
        actor: &Actor,
        on: NaiveDate,
        again: bool,
    ) -> Result<Sufficiency, AppError> {
        let on = on.min(self.now().date_naive());
        let desk = self.gate.sufficiency_desk(&self.viewer(actor), on).await?;
        let hide = self.hides_small_numbers(actor).await?;
        let kept = self
            .kept
            .sufficiency
            .get(on, again, || {
                let hearth = self.clone();
                async move {
                    let facts = {
                        let mut conn = hearth.store.read().await?;
                        store::facts(&mut conn, &desk, on).await?
                    };
                    let area = &hearth.policies().care;
                    Ok(Kept {
                        at: hearth.now(),
                        value: sufficiency::picture(&facts, on, area, area.child_population),
                    })
                }
            })
            .await?;
        let tables = kept
            .value
            .iter()
            .map(|t| ShownTable {
                key: t.key,
                title: t.title.clone(),
                definition: t.definition.clone(),
                head: t.head.clone(),
                lines: t
                    .lines
                    .iter()
                    .map(|l| {
                        (
                            l.label.clone(),
                            l.cells.iter().map(|c| text(*c, hide)).collect(),
                        )
                    })
                    .collect(),
            })
            .collect();
        Ok(Sufficiency {
            on,
            tables,
            small_hidden: hide,
            worked_out: kept.at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_are_whole_and_grouped() {
        assert_eq!(pounds(5_701_234_567), "£57,012,346");
        assert_eq!(pounds(99_949), "£999");
        assert_eq!(pounds(0), "£0");
        assert_eq!(pounds(100_000_000), "£1,000,000");
    }

    #[test]
    fn small_counts_are_hidden_only_when_asked() {
        assert_eq!(text(Cell::Count(3), true), "Fewer than 5");
        assert_eq!(text(Cell::Count(3), false), "3");
        assert_eq!(text(Cell::Count(0), true), "0");
        let rate = Cell::Rate {
            count: 721,
            population: 66_000,
        };
        assert_eq!(text(rate, true), "109");
        let share = Cell::Share(Figure {
            numerator: 2,
            denominator: Some(10),
        });
        assert_eq!(text(share, true), "Fewer than 5");
        assert_eq!(text(share, false), "20.0%");
    }
}
