//! What fairness is counted from: each person on the record with their ethnicity, first
//! language, SEND and the ward of their current address (through its postcode district).

use crate::gate::IdentificationFairness;
use crate::{Conn, Result};
use hearth_domain::ids::PersonId;
use sqlx::Row;

/// One person's groups; empty text where nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub person: PersonId,
    pub ethnicity: String,
    pub language: String,
    pub send: String,
    pub ward: String,
}

/// Everyone on the record (not merged into another), with their groups.
pub async fn profiles(conn: &mut Conn, _fairness: &IdentificationFairness) -> Result<Vec<Profile>> {
    // The postcode district is the compact postcode without its last three characters, as
    // the dashboards read it; a postcode too short to have both is in no ward.
    let rows = sqlx::query(
        "SELECT p.id, COALESCE(p.ethnicity, '') AS ethnicity,
            COALESCE(p.first_language, '') AS first_language, COALESCE(p.send, '') AS send,
            COALESCE((SELECT ra.ward FROM addresses a JOIN report_areas ra ON ra.district =
                CASE WHEN LENGTH(a.postcode_key) > 4
                THEN SUBSTR(a.postcode_key, 1, LENGTH(a.postcode_key) - 3) END
              WHERE a.person_id = p.id AND a.to_date IS NULL
              ORDER BY a.created_at DESC LIMIT 1), '') AS ward
         FROM people p WHERE p.merged_into IS NULL",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Profile {
                person: crate::decode::parse_id(&r.try_get::<String, _>("id")?)?,
                ethnicity: r.try_get("ethnicity")?,
                language: r.try_get("first_language")?,
                send: r.try_get("send")?,
                ward: r.try_get("ward")?,
            })
        })
        .collect()
}
