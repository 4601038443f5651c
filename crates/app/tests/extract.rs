//! The analytics extract on both engines: written as Parquet and CSV, read back with the
//! Parquet crate's own reader (another reader than the writer's code path: the file's
//! footer, schema and pages as any tool reads them), with no name, exact date of birth, full
//! postcode or free text from the record anywhere in any file; the opening audited; no
//! half-written file left behind.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{TimeZone, Utc};
use hearth_app::records::AuditQuery;
use hearth_testkit::app::{actor, hearth_with_clock};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use parquet::file::reader::{FileReader, SerializedFileReader};
use std::collections::BTreeMap;
use std::path::Path;

const SECRET: &str = "test-extract-secret-0123456789-abcdefghij";

/// Each Parquet file's rows as text, read with the Parquet crate's reader.
fn read_parquet(folder: &Path) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "parquet") {
            let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
            let rows: Vec<BTreeMap<String, String>> = reader
                .get_row_iter(None)
                .unwrap()
                .map(|row| {
                    row.unwrap()
                        .get_column_iter()
                        .map(|(name, field)| (name.clone(), field.to_string()))
                        .collect()
                })
                .collect();
            assert_eq!(
                rows.len() as i64,
                reader.metadata().file_metadata().num_rows(),
                "{}",
                path.display()
            );
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            out.insert(name, rows);
        }
    }
    out
}

both_engines!(
    the_extract_is_parquet_and_csv_that_another_reader_reads_with_no_name_in_it,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2040, 1, 10, 10, 0, 0).unwrap();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Quillfeather")
            .child("Marigold", "14/03/2031")
            .address("17 Wintergreen Lane", "NG7 5AA")
            .parent("Thaddeus", "02/11/1990")
            .need("health")
            .detail("health", "Zephyrine-detail: the family's own words")
            .early_help(&h, &lead, "Zephyrine-rationale known best by school")
            .await;
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2040, 2, 1, 10, 0, 0).unwrap();
        let folder = std::env::temp_dir().join(format!("hearth-extract-{}", uuid::Uuid::new_v4()));
        let written = h.write_extract(SECRET, &folder).await.unwrap();
        let counts: BTreeMap<String, usize> = written.tables.iter().cloned().collect();
        assert_eq!(counts.len(), 7, "{counts:?}");
        assert!(counts["ssd_person"] >= 2, "Marigold and Thaddeus at least");
        assert!(counts["ssd_contacts"] >= 2);
        assert!(counts["ssd_early_help_episodes"] >= 2);
        assert!(counts["hearth_needs"] >= 1);

        // Another reader: the Parquet crate's, from the files alone.
        let tables = read_parquet(&folder);
        assert_eq!(tables.len(), 7);
        for (name, rows) in &tables {
            assert_eq!(
                rows.len(),
                counts[name],
                "{name}: the rows written are read"
            );
            let csv = std::fs::read_to_string(folder.join(format!("{name}.csv"))).unwrap();
            assert_eq!(
                csv.lines().count(),
                rows.len() + 1,
                "{name}: CSV has the same rows"
            );
        }
        // Marigold, by her pseudonymous id on her episode: born 2031, 8 in 2040, in NG7.
        let episodes: Vec<_> = tables["ssd_early_help_episodes"]
            .iter()
            .filter(|r| r["earl_episode_start_date"] == "2040-01-10")
            .collect();
        assert_eq!(episodes.len(), 2, "one row per person in the episode");
        let ids: Vec<&String> = episodes.iter().map(|r| &r["earl_person_id"]).collect();
        let people: Vec<_> = tables["ssd_person"]
            .iter()
            .filter(|p| ids.contains(&&p["pers_person_id"]))
            .collect();
        let marigold = people
            .iter()
            .find(|p| p["pers_year_of_birth"] == "2031")
            .expect("the child");
        assert_eq!(marigold["pers_age_band"], "\"5-9\"");
        assert_eq!(marigold["pers_postcode_district"], "\"NG7\"");
        assert!(
            !marigold["pers_person_id"].contains(&opened.people[0].to_string()),
            "a pseudonym, not the record's id"
        );
        assert_eq!(episodes[0]["earl_episode_reason"], "\"health\"");

        // Nothing that names or pins down the family, in any file, in any form.
        let mut everything = String::new();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            everything.push_str(&String::from_utf8_lossy(&bytes));
        }
        for rows in tables.values() {
            for row in rows {
                for value in row.values() {
                    everything.push_str(value);
                }
            }
        }
        for forbidden in [
            "Quillfeather",
            "Marigold",
            "Thaddeus",
            "Wintergreen",
            "5AA",
            "2031-03-14",
            "1990-11-02",
            "Zephyrine",
            &opened.people[0].to_string(),
            &opened.episode.to_string(),
        ] {
            assert!(
                !everything.contains(forbidden),
                "{forbidden} is in the extract"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["made_on"], "2040-02-01");

        // The same secret gives the same ids tomorrow; the opening is in the audit log.
        let again = std::env::temp_dir().join(format!("hearth-extract-{}", uuid::Uuid::new_v4()));
        h.write_extract(SECRET, &again).await.unwrap();
        let second = read_parquet(&again);
        assert_eq!(second["ssd_person"], tables["ssd_person"]);
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let events = h
            .search_audit(
                &admin,
                &AuditQuery {
                    action: Some("analytics_extract_produced".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(events.len(), 2);
        assert!(events[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("hearth-extract-")));
        assert!(h.write_extract("too short", &again).await.is_err());
        std::fs::remove_dir_all(&folder).unwrap();
        std::fs::remove_dir_all(&again).unwrap();
    }
);
