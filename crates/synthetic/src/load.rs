//! Bulk loading of the synthetic population through the store's own connection.
//!
//! `people::insert` and `add_address` write one row per statement, which at 500,000 people
//! would measure round trips rather than search. Here rows go in through `store::bulk` inside
//! large transactions, but every column the store's blocking reads is filled exactly as
//! `people::insert`, `add_name` and `add_address` fill it: the keys come from the same domain
//! functions (`family_key`, `given_key`, `normalise`, `postcode_key`).

use crate::population::{reference_date, Ids, Population};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hearth_domain::time::to_text;
use hearth_linkage::search_keys::{family_key, given_key, normalise, postcode_key};
use hearth_store::bulk::{Kind::Int, Kind::Text, Table};
use hearth_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::time::Instant;

const HOUSEHOLDS: Table = Table {
    name: "households",
    columns: &[("id", Text), ("name", Text), ("created_at", Text)],
};

const PEOPLE: Table = Table {
    name: "people",
    columns: &[
        ("id", Text),
        ("given_names", Text),
        ("family_name", Text),
        ("family_key", Text),
        ("given_key", Text),
        ("family_lower", Text),
        ("given_lower", Text),
        ("dob", Text),
        ("dob_certainty", Text),
        ("sex", Text),
        ("first_language", Text),
        ("nhs_number", Text),
        ("restricted", Int),
        ("restriction_roles", Text),
        ("restriction_reason", Text),
        ("created_at", Text),
        ("updated_at", Text),
    ],
};

const MEMBERS: Table = Table {
    name: "household_members",
    columns: &[
        ("id", Text),
        ("household_id", Text),
        ("person_id", Text),
        ("relationship", Text),
        ("from_date", Text),
    ],
};

const ADDRESSES: Table = Table {
    name: "addresses",
    columns: &[
        ("id", Text),
        ("person_id", Text),
        ("line1", Text),
        ("town", Text),
        ("postcode", Text),
        ("postcode_key", Text),
        ("from_date", Text),
        ("to_date", Text),
        ("created_at", Text),
    ],
};

const NAMES: Table = Table {
    name: "person_names",
    columns: &[
        ("id", Text),
        ("person_id", Text),
        ("given_names", Text),
        ("family_name", Text),
        ("family_key", Text),
        ("given_key", Text),
        ("kind", Text),
        ("created_at", Text),
    ],
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

/// Loads the population (people, households, addresses, previous names); `label` names the
/// engine on the progress bar.
pub async fn load(
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
            households.push(json!([h.id.to_string(), h.name, created]));
        }
        let mut people = Vec::with_capacity(members.len());
        let mut member_rows = Vec::with_capacity(members.len());
        let mut addresses = Vec::with_capacity(members.len() * 5 / 4);
        let mut names = Vec::new();
        for p in members {
            let h = &pop.households[p.household];
            let (roles, reason) = if p.restricted {
                (
                    "front_door_officer,team_manager",
                    Some("Address withheld: domestic abuse (synthetic)"),
                )
            } else {
                ("", None)
            };
            people.push(json!([
                p.id.to_string(),
                p.given,
                p.family,
                family_key(&p.family),
                given_key(&p.given),
                normalise(&p.family),
                normalise(&p.given),
                p.dob.to_string(),
                "exact",
                p.sex.code(),
                p.language,
                p.nhs_number,
                i64::from(p.restricted),
                roles,
                reason,
                created,
                created,
            ]));
            member_rows.push(json!([
                ids.next_id().to_string(),
                h.id.to_string(),
                p.id.to_string(),
                p.relationship,
                h.moved_in.max(p.dob).to_string(),
            ]));
            if let Some((line1, pc)) = &h.previous {
                let postcode = &pop.postcodes[*pc];
                let to: NaiveDate = h.moved_in - Duration::days(1);
                addresses.push(json!([
                    ids.next_id().to_string(),
                    p.id.to_string(),
                    line1,
                    "Nottingham",
                    postcode,
                    postcode_key(postcode),
                    (h.moved_in - Duration::days(1500)).max(p.dob).to_string(),
                    to.to_string(),
                    created,
                ]));
            }
            let postcode = &pop.postcodes[h.postcode];
            addresses.push(json!([
                ids.next_id().to_string(),
                p.id.to_string(),
                h.line1,
                "Nottingham",
                postcode,
                postcode_key(postcode),
                h.moved_in.max(p.dob).to_string(),
                null,
                created,
            ]));
            if let Some(previous) = &p.previous_family {
                names.push(json!([
                    ids.next_id().to_string(),
                    p.id.to_string(),
                    p.given,
                    previous,
                    family_key(previous),
                    given_key(&p.given),
                    "previous",
                    created,
                ]));
            }
        }
        report.people += people.len();
        report.addresses += addresses.len();
        report.other_names += names.len();

        let engine = store.engine();
        let mut tx = store.write().await?;
        HOUSEHOLDS.insert(&mut tx, engine, &households).await?;
        PEOPLE.insert(&mut tx, engine, &people).await?;
        MEMBERS.insert(&mut tx, engine, &member_rows).await?;
        ADDRESSES.insert(&mut tx, engine, &addresses).await?;
        NAMES.insert(&mut tx, engine, &names).await?;
        Store::commit(tx).await?;
        bar.inc(members.len() as u64);
    }
    bar.finish();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
