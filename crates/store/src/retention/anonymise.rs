//! Anonymising a person's record: what names, reaches or identifies them goes; what the figures
//! count stays (episodes, their dates, levels, needs and outcomes, closure reasons, requests and
//! decisions with agency and urgency, the person's sex, ethnicity, first language, SEND, the
//! month and year of birth and the postcode district that places them in a locality).
//!
//! Free text about the family (case notes, assessments, plans, reviews, the request's words,
//! the programme's evidence, audit verdicts and return explanations, and the rest listed in
//! `FAMILY`) goes once everyone in the episode or request is anonymised:
//! until then it is also the record of someone still kept.

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
        email = NULL, mobile = NULL, safe_to_text = NULL, safe_to_leave_message = NULL,
        safe_hours = NULL, contact_by = NULL, restriction_reason = NULL, anonymised_on = $2, version = version + 1
     WHERE id = $1";

/// What else is held about the person alone: their names, address, history and consents,
/// their part of each assessment, what was asked of services for them, their registration at
/// a Family Hub, and the documents on their record.
const OWN: &[&str] = &[
    "DELETE FROM person_names WHERE person_id = $1",
    // The district (all but the last three characters of the key) places them in a ward.
    "UPDATE addresses SET line1 = '', line2 = NULL, town = NULL,
        postcode = SUBSTR(postcode_key, 1, LENGTH(postcode_key) - 3),
        postcode_key = SUBSTR(postcode_key, 1, LENGTH(postcode_key) - 3) || '000'
     WHERE person_id = $1 AND LENGTH(postcode_key) > 3",
    "DELETE FROM person_changes WHERE person_id = $1",
    "UPDATE consents SET given_by = 'Removed', withdrawn_reason = NULL WHERE person_id = $1",
    "UPDATE assessment_entries SET strengths = '', needs = '', risks = '' WHERE person_id = $1",
    "UPDATE service_requests SET reason = '', consent_given_by = 'Removed', contact_detail = NULL,
        answer_reason = CASE WHEN answer_reason IS NULL THEN NULL ELSE '' END
     WHERE person_id = $1",
    "UPDATE hub_members SET given_names = 'Removed', family_name = 'Removed',
        dob = CASE WHEN dob IS NULL THEN NULL ELSE SUBSTR(dob, 1, 8) || '01' END
     WHERE person_id = $1",
    // Documents on their record (ADR 0043): the file and what describes it, like any record;
    // a file in the object store is deleted by the sweep once this commits (ADR 0052).
    "INSERT INTO document_object_sweep (object_key, why, not_before)
       SELECT object_key, 'erased', NULL FROM documents
        WHERE person_id = $1 AND object_key IS NOT NULL
     ON CONFLICT (object_key) DO UPDATE SET why = excluded.why, not_before = NULL",
    "DELETE FROM document_contents WHERE document_id IN
       (SELECT id FROM documents WHERE person_id = $1)",
    "DELETE FROM documents WHERE person_id = $1",
    // Their links to and sessions on the family's own page (ADR 0045).
    "DELETE FROM family_sessions WHERE person_id = $1",
    "DELETE FROM family_links WHERE person_id = $1",
];

/// The person's episodes whose people are all anonymised now.
macro_rules! episodes_gone {
    () => {
        "SELECT e.episode_id FROM episode_people e WHERE e.person_id = $1
           AND NOT EXISTS (SELECT 1 FROM episode_people x JOIN people p ON p.id = x.person_id
                           WHERE x.episode_id = e.episode_id AND p.anonymised_on IS NULL)"
    };
}

/// The person's requests whose people are all anonymised now.
macro_rules! requests_gone {
    () => {
        "SELECT r.request_id FROM request_people r WHERE r.person_id = $1
           AND NOT EXISTS (SELECT 1 FROM request_people x JOIN people p ON p.id = x.person_id
                           WHERE x.request_id = r.request_id AND p.anonymised_on IS NULL)"
    };
}

/// The name of each household, and the free text of each episode and request, whose people
/// are all anonymised now: what was
/// written in its notes, chronology, documents, assessment, plan, reviews, feedback, consultations,
/// escalations, hub progress, case-file audits and Supporting Families evidence, audit
/// verdicts and return explanations, and earlier versions of them. Lines stay
/// ("Removed") where a page needs one; dates, grades, statuses and outcomes stay for the
/// figures.
const FAMILY: &[&str] = &[
    "UPDATE households SET name = 'Removed' WHERE id IN
       (SELECT h.household_id FROM household_members h WHERE h.person_id = $1
          AND NOT EXISTS (SELECT 1 FROM household_members x JOIN people p ON p.id = x.person_id
                          WHERE x.household_id = h.household_id AND p.anonymised_on IS NULL))",
    concat!(
        "DELETE FROM case_note_revisions WHERE note_id IN
           (SELECT id FROM case_notes WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE case_notes SET body = '', participants = '' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE family_messages SET body = '' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE chronology SET summary = '' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "INSERT INTO document_object_sweep (object_key, why, not_before)
           SELECT object_key, 'erased', NULL FROM documents
            WHERE object_key IS NOT NULL AND episode_id IN (",
        episodes_gone!(),
        ") ON CONFLICT (object_key) DO UPDATE SET why = excluded.why, not_before = NULL"
    ),
    concat!(
        "DELETE FROM document_contents WHERE document_id IN
           (SELECT id FROM documents WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "DELETE FROM documents WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE episodes SET closure_summary = NULL WHERE id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE assessments SET child_voice = '', parent_voice = '', going_well = '',
            worries = '', next_step = '' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE plans SET agreed_by = NULL WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "DELETE FROM plan_versions WHERE plan_id IN
           (SELECT id FROM plans WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE plan_outcomes SET text = 'Removed' WHERE plan_id IN
           (SELECT id FROM plans WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE plan_actions SET what = 'Removed' WHERE plan_id IN
           (SELECT id FROM plans WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE plan_action_updates SET note = '' WHERE action_id IN
           (SELECT a.id FROM plan_actions a JOIN plans p ON p.id = a.plan_id
            WHERE p.episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE reviews SET attendees = '', decisions = '' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE review_progress SET comment = '' WHERE review_id IN
           (SELECT id FROM reviews WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "DELETE FROM review_versions WHERE review_id IN
           (SELECT id FROM reviews WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE feedback_invitations SET what_changed = NULL, anything_else = NULL
         WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE survey_answers SET answer = '' WHERE question = 'comment' AND invitation_id IN
           (SELECT id FROM feedback_invitations WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    concat!(
        "UPDATE consultations SET question = 'Removed',
            answer = CASE WHEN answer IS NULL THEN NULL ELSE 'Removed' END
         WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE escalations SET about = 'Removed',
            resolution = CASE WHEN resolution IS NULL THEN NULL ELSE 'Removed' END
         WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE hub_outcome_progress SET note = NULL WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE case_audits SET comments = NULL, moderation_reasons = NULL WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE case_audit_answers SET comment = '' WHERE audit_id IN
           (SELECT id FROM case_audits WHERE episode_id IN (",
        episodes_gone!(),
        "))"
    ),
    // Supporting Families (ADR 0042, 0046): the evidence given with each need's result and
    // with each sustainment answer, the internal auditor's reason and the data return's
    // explanations. Kept as "Removed" where words were given, so the claim and the return
    // still see that they were.
    concat!(
        "UPDATE episode_needs SET evidence = 'Removed' WHERE evidence <> '' AND episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE sustainment_answers SET evidence = 'Removed' WHERE evidence <> ''
           AND episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE programme_claim_families SET verdict_note = 'Removed' WHERE verdict_note <> ''
           AND episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE programme_return_explanations SET explanation = 'Removed' WHERE episode_id IN (",
        episodes_gone!(),
        ")"
    ),
    concat!(
        "UPDATE requests SET family_told = NULL, consent_detail = NULL, sent_back_reason = NULL
         WHERE id IN (",
        requests_gone!(),
        ")"
    ),
    concat!(
        "UPDATE decisions SET rationale = '', override_reason = NULL, nfa_reason = NULL
         WHERE request_id IN (",
        requests_gone!(),
        ")"
    ),
    concat!(
        "UPDATE decision_challenges SET about = 'Removed',
            resolution = CASE WHEN resolution IS NULL THEN NULL ELSE 'Removed' END
         WHERE request_id IN (",
        requests_gone!(),
        ")"
    ),
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
