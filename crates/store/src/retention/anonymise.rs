//! Anonymising a person's record: what names, reaches or identifies them goes; what the figures
//! count stays (episodes, their dates, levels, needs and outcomes, closure reasons, requests and
//! decisions with agency and urgency, the person's sex, ethnicity, first language, SEND, the
//! month and year of birth and the postcode district that places them in a locality).
//!
//! Free text about the family (case notes, the episode's closure summary, the request's words)
//! goes once everyone in the episode or request is anonymised: until then it is also the
//! record of someone still kept.

use crate::gate::RetentionDesk;
use crate::{Conn, Result};
use chrono::NaiveDate;
use hearth_domain::ids::PersonId;

/// The person's own details. A name is kept non-empty ("Removed") because pages and searches
/// expect one; the search keys are emptied so no search finds them.
const PERSON: &str =
    "UPDATE people SET given_names = 'Removed', family_name = 'Removed', family_key = '',
        given_key = '', family_lower = '', given_lower = '',
        dob = CASE WHEN dob IS NULL THEN NULL ELSE SUBSTR(dob, 1, 8) || '01' END,
        gender = NULL, disability = NULL, nhs_number = NULL, upn = NULL, phone = NULL,
        email = NULL, restriction_reason = NULL, anonymised_on = $2, version = version + 1
     WHERE id = $1";

/// What else is held about the person alone.
const OWN: &[&str] = &[
    "DELETE FROM person_names WHERE person_id = $1",
    // The district (all but the last three characters of the key) places them in a ward.
    "UPDATE addresses SET line1 = '', line2 = NULL, town = NULL,
        postcode = SUBSTR(postcode_key, 1, LENGTH(postcode_key) - 3),
        postcode_key = SUBSTR(postcode_key, 1, LENGTH(postcode_key) - 3) || '000'
     WHERE person_id = $1 AND LENGTH(postcode_key) > 3",
    "DELETE FROM person_changes WHERE person_id = $1",
    "UPDATE consents SET given_by = 'Removed', withdrawn_reason = NULL WHERE person_id = $1",
];

/// Free text of each episode and request whose people are all anonymised now.
const FAMILY: &[&str] = &[
    "DELETE FROM case_note_revisions WHERE note_id IN (SELECT n.id FROM case_notes n
        WHERE n.episode_id IN (SELECT episode_id FROM episode_people WHERE person_id = $1)
          AND NOT EXISTS (SELECT 1 FROM episode_people x JOIN people p ON p.id = x.person_id
                          WHERE x.episode_id = n.episode_id AND p.anonymised_on IS NULL))",
    "UPDATE case_notes SET body = '', participants = ''
     WHERE episode_id IN (SELECT episode_id FROM episode_people WHERE person_id = $1)
       AND NOT EXISTS (SELECT 1 FROM episode_people x JOIN people p ON p.id = x.person_id
                       WHERE x.episode_id = case_notes.episode_id AND p.anonymised_on IS NULL)",
    "UPDATE chronology SET summary = ''
     WHERE episode_id IN (SELECT episode_id FROM episode_people WHERE person_id = $1)
       AND NOT EXISTS (SELECT 1 FROM episode_people x JOIN people p ON p.id = x.person_id
                       WHERE x.episode_id = chronology.episode_id AND p.anonymised_on IS NULL)",
    "UPDATE episodes SET closure_summary = NULL
     WHERE id IN (SELECT episode_id FROM episode_people WHERE person_id = $1)
       AND NOT EXISTS (SELECT 1 FROM episode_people x JOIN people p ON p.id = x.person_id
                       WHERE x.episode_id = episodes.id AND p.anonymised_on IS NULL)",
    "UPDATE requests SET family_told = NULL, consent_detail = NULL, sent_back_reason = NULL
     WHERE id IN (SELECT request_id FROM request_people WHERE person_id = $1)
       AND NOT EXISTS (SELECT 1 FROM request_people x JOIN people p ON p.id = x.person_id
                       WHERE x.request_id = requests.id AND p.anonymised_on IS NULL)",
    "UPDATE decisions SET rationale = '', override_reason = NULL, nfa_reason = NULL
     WHERE request_id IN (SELECT request_id FROM request_people WHERE person_id = $1)
       AND NOT EXISTS (SELECT 1 FROM request_people x JOIN people p ON p.id = x.person_id
                       WHERE x.request_id = decisions.request_id AND p.anonymised_on IS NULL)",
];

/// Anonymises one person, in the caller's transaction (so a retention item or an erasure is
/// done whole or not at all).
pub async fn person(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    person: PersonId,
    today: NaiveDate,
) -> Result<()> {
    sqlx::query(PERSON)
        .bind(person.to_string())
        .bind(today.to_string())
        .execute(&mut *conn)
        .await?;
    for sql in OWN.iter().chain(FAMILY) {
        sqlx::query(sql)
            .bind(person.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
