//! Bulk loading of the synthetic population through the store's own connection.
//!
//! `people::insert` and `add_address` write one row per statement, which at 500,000 people
//! would measure round trips rather than search. Here rows go in as multi-row INSERTs inside
//! large transactions, but every column the store's blocking reads is filled exactly as
//! `people::insert`, `add_name` and `add_address` fill it: the keys come from the same domain
//! functions (`family_key`, `given_key`, `normalise`, `postcode_key`).

use crate::population::{reference_date, Ids, Population};
use anyhow::Context;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hearth_domain::time::to_text;
use hearth_linkage::search_keys::{family_key, given_key, normalise, postcode_key};
use hearth_store::{Conn, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

/// A bound value: the tables only hold text and integers.
enum V {
    S(Option<String>),
    I(i64),
}

fn s(v: impl Into<String>) -> V {
    V::S(Some(v.into()))
}

fn opt(v: Option<String>) -> V {
    V::S(v)
}

/// One multi-row INSERT: `row` is a tuple with `?` where a value is bound; constants are
/// written inline so fewer parameters cross the wire.
struct Table {
    head: &'static str,
    row: &'static str,
}

/// Parameters per statement. Both engines allow far more (SQLite 32,766, PostgreSQL 65,535),
/// but sqlx's SQLite driver slows down faster than linearly with them: at 20,000 people,
/// 12,000 per statement took 18.5 s to seed and 1,000 took 2.1 s. PostgreSQL barely cares
/// (2.7 s at 3,000, 3.0 s at 1,000).
const MAX_PARAMS: usize = 1_000;

impl Table {
    fn params_per_row(&self) -> usize {
        self.row.matches('?').count()
    }

    fn sql(&self, rows: usize) -> String {
        let mut out = String::with_capacity(self.head.len() + rows * (self.row.len() + 16));
        out.push_str(self.head);
        out.push_str(" VALUES ");
        let mut n = 0;
        for r in 0..rows {
            if r > 0 {
                out.push_str(", ");
            }
            for c in self.row.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
        }
        out
    }

    async fn insert(&self, conn: &mut Conn, rows: Vec<Vec<V>>) -> anyhow::Result<()> {
        let per = (MAX_PARAMS / self.params_per_row()).max(1);
        // Full chunks share one statement text, so the driver prepares it once.
        let full_sql = self.sql(per);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<V>> = rows.by_ref().take(per).collect();
            let sql = if chunk.len() == per {
                full_sql.clone()
            } else {
                self.sql(chunk.len())
            };
            let mut q = sqlx::query(&sql);
            for v in chunk.into_iter().flatten() {
                q = match v {
                    V::S(text) => q.bind(text),
                    V::I(i) => q.bind(i),
                };
            }
            q.execute(&mut *conn)
                .await
                .with_context(|| format!("bulk insert: {}", self.head))?;
        }
        Ok(())
    }
}

const HOUSEHOLDS: Table = Table {
    head: "INSERT INTO households (id, name, created_at)",
    row: "(?, ?, ?)",
};

const PEOPLE: Table = Table {
    head: "INSERT INTO people (id, given_names, family_name, family_key, given_key, family_lower,
        given_lower, dob, dob_certainty, sex, gender, ethnicity, first_language,
        interpreter_needed, send, disability, nhs_number, upn, phone, email, restricted,
        restriction_roles, restriction_reason, version, created_by, created_at, updated_at)",
    row: "(?, ?, ?, ?, ?, ?, ?, ?, 'exact', ?, NULL, NULL, ?, 0, NULL, NULL, ?, NULL, NULL, NULL, ?, ?, ?, 1, NULL, ?, ?)",
};

const MEMBERS: Table = Table {
    head: "INSERT INTO household_members (id, household_id, person_id, relationship, from_date, to_date)",
    row: "(?, ?, ?, ?, ?, NULL)",
};

const ADDRESSES: Table = Table {
    head: "INSERT INTO addresses (id, person_id, line1, line2, town, postcode, postcode_key, from_date, to_date, created_at)",
    row: "(?, ?, ?, NULL, 'Nottingham', ?, ?, ?, ?, ?)",
};

const NAMES: Table = Table {
    head: "INSERT INTO person_names (id, person_id, given_names, family_name, family_key, given_key, kind, created_at)",
    row: "(?, ?, ?, ?, ?, ?, 'previous', ?)",
};

#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    pub seconds: f64,
    pub analyze_seconds: f64,
    pub people: usize,
    pub addresses: usize,
    pub other_names: usize,
    pub households: usize,
}

/// Households per transaction: about 5,000 people, big enough that commits are not the cost.
const HOUSEHOLDS_PER_TX: usize = 1_700;

pub async fn seed(
    store: &Store,
    pop: &Population,
    seed: u64,
    label: &str,
) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let created =
        to_text(Utc.from_utc_datetime(&reference_date().and_hms_opt(9, 0, 0).unwrap_or_default()));
    let mut ids = Ids::new(seed ^ 0x5eed);
    let bar = ProgressBar::new(pop.people.len() as u64);
    bar.set_style(ProgressStyle::with_template(
        "{msg} seeding [{elapsed_precise}] {wide_bar} {pos}/{len} people ({per_sec}, eta {eta})",
    )?);
    bar.set_message(label.to_string());
    let mut report = SeedReport {
        households: pop.households.len(),
        ..SeedReport::default()
    };
    // People are generated household by household, so a household's members are contiguous.
    let mut start = 0;
    for chunk in pop.households.chunks(HOUSEHOLDS_PER_TX) {
        let first = start;
        let last_household = first + chunk.len();
        let members = &pop.people[pop.people.partition_point(|p| p.household < first)
            ..pop.people.partition_point(|p| p.household < last_household)];
        start = last_household;

        let mut households = Vec::with_capacity(chunk.len());
        for h in chunk {
            households.push(vec![
                s(h.id.to_string()),
                s(h.name.clone()),
                s(created.clone()),
            ]);
        }
        let mut people = Vec::with_capacity(members.len());
        let mut member_rows = Vec::with_capacity(members.len());
        let mut addresses = Vec::with_capacity(members.len() * 5 / 4);
        let mut names = Vec::new();
        for p in members {
            let h = &pop.households[p.household];
            let (roles, reason) = if p.restricted {
                (
                    "front_door_officer,team_manager".to_string(),
                    Some("Address withheld: domestic abuse (synthetic)".to_string()),
                )
            } else {
                (String::new(), None)
            };
            people.push(vec![
                s(p.id.to_string()),
                s(p.given.clone()),
                s(p.family.clone()),
                s(family_key(&p.family)),
                s(given_key(&p.given)),
                s(normalise(&p.family)),
                s(normalise(&p.given)),
                s(p.dob.to_string()),
                s(p.sex.code()),
                s(p.language),
                opt(p.nhs_number.clone()),
                V::I(i64::from(p.restricted)),
                s(roles),
                opt(reason),
                s(created.clone()),
                s(created.clone()),
            ]);
            member_rows.push(vec![
                s(ids.next().to_string()),
                s(h.id.to_string()),
                s(p.id.to_string()),
                s(p.relationship),
                s(h.moved_in.max(p.dob).to_string()),
            ]);
            if let Some((line1, pc)) = &h.previous {
                let postcode = &pop.postcodes[*pc];
                let to: NaiveDate = h.moved_in - Duration::days(1);
                addresses.push(vec![
                    s(ids.next().to_string()),
                    s(p.id.to_string()),
                    s(line1.clone()),
                    s(postcode.clone()),
                    s(postcode_key(postcode)),
                    s((h.moved_in - Duration::days(1500)).max(p.dob).to_string()),
                    s(to.to_string()),
                    s(created.clone()),
                ]);
            }
            let postcode = &pop.postcodes[h.postcode];
            addresses.push(vec![
                s(ids.next().to_string()),
                s(p.id.to_string()),
                s(h.line1.clone()),
                s(postcode.clone()),
                s(postcode_key(postcode)),
                s(h.moved_in.max(p.dob).to_string()),
                V::S(None),
                s(created.clone()),
            ]);
            if let Some(previous) = &p.previous_family {
                names.push(vec![
                    s(ids.next().to_string()),
                    s(p.id.to_string()),
                    s(p.given.clone()),
                    s(previous.clone()),
                    s(family_key(previous)),
                    s(given_key(&p.given)),
                    s(created.clone()),
                ]);
            }
        }
        report.people += people.len();
        report.addresses += addresses.len();
        report.other_names += names.len();

        let mut tx = store.write().await?;
        HOUSEHOLDS.insert(&mut tx, households).await?;
        PEOPLE.insert(&mut tx, people).await?;
        MEMBERS.insert(&mut tx, member_rows).await?;
        ADDRESSES.insert(&mut tx, addresses).await?;
        NAMES.insert(&mut tx, names).await?;
        Store::commit(tx).await?;
        bar.inc(members.len() as u64);
    }
    bar.finish();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
