//! The under-fives population of each ward, and the Family Hub whose area it is in, imported
//! from a CSV file (pasted on the reach page by an analyst or manager, or `hearth hubs
//! population import FILE`): the reach's denominators. A file with any bad row imports
//! nothing and names every bad row by its line and why.

use crate::accounts::auth::event;
use crate::kept::Kept;
use crate::{Actor, AppError, Hearth, Origin};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::hub::share_tenths;
use hearth_domain::role::Capability;
use hearth_store::hubs::population::{self, WardPopulation};
use hearth_store::{audit, Store};
use std::collections::HashMap;
use uuid::Uuid;

pub use hearth_store::hubs::population::WardReach;

/// A row of the file that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopulationImport {
    /// Every row imported: this many wards.
    Imported(usize),
    /// Nothing imported, because of these rows.
    Refused(Vec<RowProblem>),
}

/// The hub a row names: a Family Hub by its name, with or without "Family Hub" at the end.
fn hub_named(hubs: &[(Uuid, String)], name: &str) -> Option<Uuid> {
    let name = name.trim().to_lowercase();
    let name = name.strip_suffix(" family hub").unwrap_or(&name);
    hubs.iter()
        .find(|(_, h)| {
            let h = h.to_lowercase();
            h.strip_suffix(" family hub").unwrap_or(&h) == name
        })
        .map(|(id, _)| *id)
}

/// Reads a population file: a header naming the columns `ward`, `hub` and `under_fives` (in
/// any order, other columns ignored), then one ward a line.
pub fn read_population(
    text: &str,
    hubs: &[(Uuid, String)],
) -> Result<Vec<WardPopulation>, Vec<RowProblem>> {
    let problem = |line: u64, reason: String| RowProblem { line, reason };
    // A form's text box sends CRLF line endings, and the csv reader does not count a CRLF as a
    // new line: without this every problem would be said to be on line 1.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![problem(1, format!("the line cannot be read: {e}"))]),
        None => return Err(vec![problem(1, "the file is empty".into())]),
    };
    let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ward_at), Some(hub_at), Some(count_at)) =
        (column("ward"), column("hub"), column("under_fives"))
    else {
        return Err(vec![problem(
            1,
            "the first line must name the columns ward, hub and under_fives".into(),
        )]);
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (n, record) in records.enumerate() {
        let fallback = n as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(fallback, |p| p.line());
                problems.push(problem(line, format!("the line cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(fallback, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let ward = field(ward_at);
        if ward.is_empty() {
            problems.push(problem(line, "the ward is empty".into()));
            continue;
        }
        if ward.chars().count() > 100 {
            problems.push(problem(
                line,
                "the ward's name is longer than 100 characters".into(),
            ));
            continue;
        }
        let Some(hub) = hub_named(hubs, field(hub_at)) else {
            problems.push(problem(
                line,
                format!("no Family Hub is called \"{}\"", field(hub_at)),
            ));
            continue;
        };
        let Ok(under_fives) = field(count_at).parse::<u64>() else {
            problems.push(problem(
                line,
                format!(
                    "under_fives must be a whole number of 0 or more, not \"{}\"",
                    field(count_at)
                ),
            ));
            continue;
        };
        if let Some(first) = seen.insert(ward.to_lowercase(), line) {
            problems.push(problem(
                line,
                format!("the ward \"{ward}\" is already on line {first}"),
            ));
            continue;
        }
        rows.push(WardPopulation {
            ward: ward.to_string(),
            hub,
            under_fives,
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

impl Hearth {
    /// Lets whoever may import the populations (and read reports) to the import form;
    /// refuses (audited) anyone else.
    pub async fn require_population_import(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Capability::ViewReports).await
    }

    /// Imports wards' under-fives populations pasted by an analyst or manager (who may read
    /// reports). Audited.
    pub async fn import_ward_populations(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<PopulationImport, AppError> {
        self.require_population_import(actor).await?;
        self.put_ward_populations(Some(actor), "pasted", text).await
    }

    /// Imports wards' under-fives populations from a file read by the command line (whoever
    /// runs it runs the server). Audited as the system.
    pub async fn import_ward_populations_file(
        &self,
        source: &str,
        text: &str,
    ) -> Result<PopulationImport, AppError> {
        self.put_ward_populations(None, source, text).await
    }

    async fn put_ward_populations(
        &self,
        actor: Option<&Actor>,
        source: &str,
        text: &str,
    ) -> Result<PopulationImport, AppError> {
        let rows = match read_population(text, &self.hub_places().await?) {
            Ok(rows) => rows,
            Err(problems) => return Ok(PopulationImport::Refused(problems)),
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        for row in &rows {
            population::put_ward(&mut tx, row, actor.map(|a| a.user_id), now).await?;
        }
        let system = Origin::default();
        let mut ev = event(
            actor,
            actor.map_or("system", |a| a.email.as_str()),
            AuditAction::WardPopulationsImported,
            actor.map_or(&system, |a| &a.origin),
            now,
        );
        ev.detail = Some(serde_json::json!({"source": source, "wards": rows.len()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(PopulationImport::Imported(rows.len()))
    }

    /// The share of under-fives the hubs reached from `from` to `to`, by hub (its area's
    /// wards together) and by ward, for whoever reads reports (aggregate: no person in it;
    /// the reach page it shows on is audited as a whole); kept like the reach (ADR 0040).
    pub async fn under_fives_reached(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
        again: bool,
    ) -> Result<UnderFives, AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let kept = self
            .kept
            .under_fives
            .get((from, to), again, || {
                let hearth = self.clone();
                async move {
                    let mut conn = hearth.store.read().await?;
                    let wards = population::ward_reach(&mut conn, from, to).await?;
                    Ok(Kept {
                        at: hearth.now(),
                        value: UnderFives::of(&wards),
                    })
                }
            })
            .await?;
        Ok(kept.value.clone())
    }
}

/// Under-fives reached against the population, for one hub's area or one ward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaShare {
    pub label: String,
    /// The hub whose area it is (for a ward).
    pub hub: String,
    pub reached: u64,
    pub population: u64,
    /// Tenths of a percent.
    pub share: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnderFives {
    pub by_hub: Vec<AreaShare>,
    pub by_ward: Vec<AreaShare>,
}

impl UnderFives {
    /// A hub's area is its wards: a child lives in one ward, so the wards' reach adds up.
    fn of(wards: &[WardReach]) -> Self {
        let mut by_hub: Vec<AreaShare> = Vec::new();
        for w in wards {
            match by_hub.iter_mut().find(|h| h.label == w.hub_name) {
                Some(h) => {
                    h.reached += w.reached;
                    h.population += w.under_fives;
                }
                None => by_hub.push(AreaShare {
                    label: w.hub_name.clone(),
                    hub: w.hub_name.clone(),
                    reached: w.reached,
                    population: w.under_fives,
                    share: None,
                }),
            }
        }
        for h in &mut by_hub {
            h.share = share_tenths(h.reached, h.population);
        }
        UnderFives {
            by_hub,
            by_ward: wards
                .iter()
                .map(|w| AreaShare {
                    label: w.ward.clone(),
                    hub: w.hub_name.clone(),
                    reached: w.reached,
                    population: w.under_fives,
                    share: share_tenths(w.reached, w.under_fives),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hubs() -> Vec<(Uuid, String)> {
        vec![
            (Uuid::from_u128(1), "Bestwood Family Hub".into()),
            (Uuid::from_u128(2), "Meadows Family Hub".into()),
        ]
    }

    #[test]
    fn a_good_file_reads_every_ward_whatever_the_column_order() {
        let rows = read_population(
            "Under_Fives,Ward,Hub\n812,Bestwood,Bestwood Family Hub\n640,\"Clifton East\",meadows\n",
            &hubs(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].ward, "Clifton East");
        assert_eq!(rows[1].hub, Uuid::from_u128(2));
        assert_eq!(rows[0].under_fives, 812);
    }

    #[test]
    fn a_bad_row_sent_from_a_text_box_is_named_by_its_own_line() {
        // Browsers send a text box's lines ending CRLF.
        let problems = read_population(
            "ward,hub,under_fives\r\nBestwood,Bestwood,812\r\nBulwell,Bestwood,many\r\n",
            &hubs(),
        )
        .unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3]);
    }

    #[test]
    fn every_bad_row_is_named_by_its_line_and_why() {
        let problems = read_population(
            "ward,hub,under_fives\nBestwood,Bestwood,812\n,Bestwood,1\nAspley,Nowhere,5\nBulwell,Bestwood,many\nbestwood,Meadows,3\nMeadows,Meadows\n",
            &hubs(),
        )
        .unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert!(problems[0].reason.contains("ward is empty"));
        assert!(problems[1].reason.contains("\"Nowhere\""));
        assert!(problems[2].reason.contains("\"many\""));
        assert!(problems[3].reason.contains("already on line 2"));
        assert!(problems[4].reason.contains("not \"\""));
        assert_eq!(
            read_population("district,people\nNG5,3\n", &hubs()).unwrap_err()[0].line,
            1
        );
        assert_eq!(read_population("", &hubs()).unwrap_err()[0].line, 1);
    }
}
