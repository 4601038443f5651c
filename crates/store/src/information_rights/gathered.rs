//! Everything held about a person, for a subject access request: their record and its
//! history, households, requests and decisions, episodes and their notes, the family's
//! messages with the lead professional, assessments (their parts), plans, reviews, Supporting
//! Families outcomes, claims' audits and data-return explanations, consents, service requests,
//! feedback, the Team Around the Family, the chronology and who viewed their data. Each item
//! has a stable key (so the data protection officer's redactions survive a second gathering)
//! and says when it tells of someone else (another family member, a note about the whole
//! family), for the officer to review before release.
//!
//! The statements are fixed here, one per section, with plain-English column names; only the
//! person's ids, and their episodes' and requests', are bound.

use crate::gate::OpenedSubject;
use crate::{Conn, Result};
use hearth_domain::audit::AuditAction;
use hearth_domain::time::from_text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Column, Row};

/// One part of the document: a kind of record and its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    /// What the section is, in plain words.
    pub about: String,
    pub items: Vec<Item>,
}

/// One record: its fields in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable across gatherings: the section and the record's id.
    pub key: String,
    pub heading: String,
    pub fields: Vec<Field>,
    /// Why the officer should check it before release: it tells of someone else.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub third_party: Option<String>,
    /// The key of the item this one repeats (a chronology entry of a note, a note's earlier
    /// version): leaving that item out leaves this one out too.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub repeats: Option<String>,
}

impl Item {
    /// Whether leaving out the items whose keys are `redacted` leaves this one out.
    pub fn left_out_by(&self, redacted: &[String]) -> bool {
        redacted
            .iter()
            .any(|k| *k == self.key || self.repeats.as_ref() == Some(k))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

struct Part {
    key: &'static str,
    title: &'static str,
    about: &'static str,
    /// `{ids}`, `{episodes}` and `{requests}` stand for the bound lists. Columns whose names
    /// start with `_` steer: `_key` (the record's id), `_heading`, `_third` (why it tells of
    /// someone else), `_repeats` (the key of the item it repeats); the others are the fields, named as the reader reads them.
    sql: &'static str,
}

const OTHERS_IN_EPISODE: &str = "CASE WHEN EXISTS (SELECT 1 FROM episode_people x WHERE x.episode_id = {episode} AND x.person_id NOT IN ({ids})) THEN 'Written about the family: may tell of other family members' END";

const PARTS: &[Part] = &[
    Part {
        key: "record",
        title: "Your record",
        about: "The details the partnership holds about you. If you were recorded twice and the records were joined, both are shown.",
        sql: "SELECT id AS _key, given_names || ' ' || family_name AS _heading,
                CASE WHEN restricted <> 0 THEN 'Says why the record is restricted' END AS _third,
                given_names AS \"First names\", family_name AS \"Last name\", dob AS \"Date of birth\",
                dob_certainty AS \"How sure the date of birth is\", sex AS \"Sex\", gender AS \"Gender\",
                ethnicity AS \"Ethnicity\", first_language AS \"First language\",
                CASE WHEN interpreter_needed <> 0 THEN 'Yes' ELSE 'No' END AS \"Needs an interpreter\",
                send AS \"Special educational needs\", disability AS \"Disability\",
                nhs_number AS \"NHS number\", upn AS \"Unique pupil number\", phone AS \"Phone\",
                email AS \"Email\", mobile AS \"Mobile for texts\",
                safe_to_text AS \"Safe to text\", safe_to_leave_message AS \"Safe to leave a message\",
                safe_hours AS \"Safe times to text\", contact_by AS \"Hears from us by\",
                restriction_reason AS \"Why the record is restricted\",
                CASE WHEN merged_into IS NOT NULL THEN 'Yes: joined to the record above as the same person' END AS \"Joined to another record\",
                created_at AS \"Recorded\"
              FROM people WHERE id IN ({ids}) ORDER BY created_at, id",
    },
    Part {
        key: "names",
        title: "Other names",
        about: "Names you have been known by.",
        sql: "SELECT id AS _key, given_names || ' ' || family_name AS _heading,
                kind AS \"Kind of name\", created_at AS \"Recorded\"
              FROM person_names WHERE person_id IN ({ids}) ORDER BY created_at, id",
    },
    Part {
        key: "addresses",
        title: "Addresses",
        about: "Where you have lived, as recorded.",
        sql: "SELECT id AS _key, line1 || ', ' || postcode AS _heading, line1 AS \"Address\",
                line2 AS \"Address line 2\", town AS \"Town\", postcode AS \"Postcode\",
                from_date AS \"From\", to_date AS \"Until\"
              FROM addresses WHERE person_id IN ({ids}) ORDER BY created_at, id",
    },
    Part {
        key: "changes",
        title: "Changes to your details",
        about: "Every change made to your details: what it was before and after, who changed it and why. A change you disagree with is marked as disputed.",
        sql: "SELECT c.id AS _key, c.detail AS _heading, c.old_value AS \"Before\",
                c.new_value AS \"After\", c.reason AS \"Why\",
                CASE WHEN c.disputed <> 0 THEN 'Yes' END AS \"Disputed\",
                c.disputed_note AS \"What you said\", u.display_name AS \"Changed by\",
                c.changed_at AS \"When\"
              FROM person_changes c JOIN users u ON u.id = c.changed_by
              WHERE c.person_id IN ({ids}) ORDER BY c.changed_at, c.id",
    },
    Part {
        key: "households",
        title: "Households",
        about: "The households you have been part of, and who else was in them.",
        sql: "SELECT m.id AS _key, h.name || ': ' || p.given_names || ' ' || p.family_name AS _heading,
                CASE WHEN m.person_id NOT IN ({ids}) THEN 'Another member of the household' END AS _third,
                p.given_names || ' ' || p.family_name AS \"Name\", m.relationship AS \"Relationship\",
                m.from_date AS \"From\", m.to_date AS \"Until\"
              FROM household_members m JOIN households h ON h.id = m.household_id
              JOIN people p ON p.id = m.person_id
              WHERE m.household_id IN (SELECT household_id FROM household_members WHERE person_id IN ({ids}))
              ORDER BY h.name, m.from_date, m.id",
    },
    Part {
        key: "involved",
        title: "Who is involved with you",
        about: "The practitioners and teams recorded as working with you, and when.",
        sql: "SELECT i.id AS _key, i.role AS _heading, COALESCE(u.display_name, t.name) AS \"Who\",
                o.name AS \"Organisation\", i.from_date AS \"From\", i.to_date AS \"Until\"
              FROM involvements i JOIN organisations o ON o.id = i.organisation_id
              LEFT JOIN users u ON u.id = i.user_id LEFT JOIN teams t ON t.id = i.team_id
              WHERE i.person_id IN ({ids}) ORDER BY i.from_date, i.id",
    },
    Part {
        key: "requests",
        title: "Requests for support",
        about: "Requests for help for you or your family, what the family was told and the basis for sharing.",
        sql: "SELECT r.id AS _key, 'Request for support' AS _heading,
                CASE WHEN EXISTS (SELECT 1 FROM request_people x WHERE x.request_id = r.id AND x.person_id NOT IN ({ids})) THEN 'Also about other family members' END AS _third,
                r.submitted_at AS \"Sent\", u.display_name AS \"Asked by\", o.name AS \"Organisation\",
                r.status AS \"Where it stands\", r.urgency AS \"How urgent\",
                CASE WHEN r.safeguarding <> 0 THEN 'Yes' END AS \"A safeguarding concern\",
                r.family_told AS \"What the family was told\", r.consent AS \"Consent\",
                r.consent_detail AS \"About consent\", r.lawful_basis AS \"Lawful basis\"
              FROM requests r JOIN users u ON u.id = r.requester_id
              JOIN organisations o ON o.id = r.requester_organisation_id
              WHERE r.id IN ({requests}) ORDER BY r.created_at, r.id",
    },
    Part {
        key: "needs",
        title: "Needs described in requests",
        about: "What each request said the family needed help with.",
        sql: "SELECT n.request_id || ':' || n.domain AS _key, n.domain AS _heading,
                CASE WHEN EXISTS (SELECT 1 FROM request_people x WHERE x.request_id = n.request_id AND x.person_id NOT IN ({ids})) THEN 'Also about other family members' END AS _third,
                n.concerns AS \"Concerns\", n.detail AS \"In the requester's words\"
              FROM request_needs n WHERE n.request_id IN ({requests}) ORDER BY n.request_id, n.domain",
    },
    Part {
        key: "decisions",
        title: "Decisions",
        about: "What the front door decided about each request, and why.",
        sql: "SELECT d.request_id AS _key, 'Decision' AS _heading,
                CASE WHEN EXISTS (SELECT 1 FROM request_people x WHERE x.request_id = d.request_id AND x.person_id NOT IN ({ids})) THEN 'Also about other family members' END AS _third,
                d.decided_at AS \"Decided\", u.display_name AS \"Decided by\", d.outcome AS \"Outcome\",
                d.level AS \"Level of need\", d.rationale AS \"Why\", d.service AS \"Service\",
                d.signposted_to AS \"Signposted to\", d.nfa_reason AS \"Why no further action\"
              FROM decisions d JOIN users u ON u.id = d.decided_by
              WHERE d.request_id IN ({requests}) ORDER BY d.decided_at, d.request_id",
    },
    Part {
        key: "episodes",
        title: "Episodes of help",
        about: "Each time the family was helped: the level, the lead professional and how it ended.",
        sql: "SELECT e.id AS _key, 'Episode of Family Help' AS _heading,
                CASE WHEN e.closure_summary IS NOT NULL AND EXISTS (SELECT 1 FROM episode_people x WHERE x.episode_id = e.id AND x.person_id NOT IN ({ids})) THEN 'The closure summary may tell of other family members' END AS _third,
                e.started_on AS \"Started\", e.ended_on AS \"Ended\", e.level AS \"Level\",
                e.service AS \"Service\", e.status AS \"Status\", u.display_name AS \"Lead professional\",
                e.closure_reason AS \"Why it closed\", e.closure_summary AS \"Closure summary\"
              FROM episodes e LEFT JOIN users u ON u.id = e.lead_user_id
              WHERE e.id IN ({episodes}) ORDER BY e.started_on, e.id",
    },
    Part {
        key: "team",
        title: "Team Around the Family",
        about: "When you were a member of the Team Around the Family.",
        sql: "SELECT t.id AS _key, t.role AS _heading, t.joined_on AS \"Joined\", t.left_on AS \"Left\",
                t.left_reason AS \"Why\"
              FROM taf_members t WHERE t.person_id IN ({ids}) ORDER BY t.joined_on, t.id",
    },
    Part {
        key: "notes",
        title: "Case notes",
        about: "Notes practitioners wrote while helping the family.",
        sql: "SELECT n.id AS _key, n.kind AS _heading, {third:n.episode_id} AS _third,
                n.occurred_on AS \"Date\", n.participants AS \"Who took part\", n.body AS \"Note\",
                u.display_name AS \"Written by\", o.name AS \"Organisation\"
              FROM case_notes n JOIN users u ON u.id = n.author_id
              JOIN organisations o ON o.id = n.organisation_id
              WHERE n.episode_id IN ({episodes}) ORDER BY n.occurred_on, n.id",
    },
    Part {
        key: "note_versions",
        title: "Earlier versions of case notes",
        about: "When a note was corrected, what it said before.",
        sql: "SELECT r.note_id || ':' || r.version AS _key, 'Earlier version of a note' AS _heading,
                'notes:' || r.note_id AS _repeats,
                {third:n.episode_id} AS _third, r.body AS \"The note as it was\",
                u.display_name AS \"Written by\", r.written_at AS \"Written\", r.replaced_at AS \"Replaced\"
              FROM case_note_revisions r JOIN case_notes n ON n.id = r.note_id
              JOIN users u ON u.id = r.written_by
              WHERE n.episode_id IN ({episodes}) ORDER BY r.written_at, r.note_id, r.version",
    },
    Part {
        key: "messages",
        title: "Messages with the lead professional",
        about: "What you and your family wrote to the lead professional from the family's own page, and their answers.",
        sql: "SELECT m.id AS _key,
                CASE WHEN m.from_person_id IS NOT NULL THEN 'Message from the family'
                    ELSE 'Message to the family' END AS _heading,
                CASE WHEN m.from_person_id IS NOT NULL AND m.from_person_id NOT IN ({ids})
                    THEN 'Written by another family member'
                    ELSE {third:m.episode_id} END AS _third,
                m.created_at AS \"Sent\",
                COALESCE(p.given_names || ' ' || p.family_name, u.display_name) AS \"From\",
                o.name AS \"Organisation\", m.body AS \"Message\"
              FROM family_messages m LEFT JOIN people p ON p.id = m.from_person_id
              LEFT JOIN users u ON u.id = m.from_user_id
              LEFT JOIN organisations o ON o.id = u.organisation_id
              WHERE m.episode_id IN ({episodes}) ORDER BY m.created_at, m.id",
    },
    Part {
        key: "assessment_parts",
        title: "Assessments: the parts about you",
        about: "What each assessment said about you: strengths, needs, risks and a score from 0 to 10.",
        sql: "SELECT a.assessment_id || ':' || a.person_id || ':' || a.domain AS _key, a.domain AS _heading,
                a.strengths AS \"Strengths\", a.needs AS \"Needs\", a.risks AS \"Risks\",
                a.scale AS \"Score (0 to 10)\"
              FROM assessment_entries a WHERE a.person_id IN ({ids}) ORDER BY a.assessment_id, a.domain",
    },
    Part {
        key: "assessments",
        title: "Assessments: what the family said",
        about: "The child's voice and the family's view recorded in each assessment.",
        sql: "SELECT s.id AS _key, 'Assessment' AS _heading, {third:s.episode_id} AS _third,
                s.child_voice AS \"The child's voice\", s.parent_voice AS \"The family's view\",
                s.status AS \"Status\", s.signed_off_at AS \"Signed off\"
              FROM assessments s WHERE s.episode_id IN ({episodes}) ORDER BY s.saved_at, s.id",
    },
    Part {
        key: "plan_outcomes",
        title: "Plans: outcomes",
        about: "What the family's plan aimed for.",
        sql: "SELECT o.id AS _key, 'Outcome' AS _heading, {third:p.episode_id} AS _third,
                o.text AS \"Outcome\", o.removed_on AS \"Removed\"
              FROM plan_outcomes o JOIN plans p ON p.id = o.plan_id
              WHERE p.episode_id IN ({episodes}) ORDER BY p.id, o.position",
    },
    Part {
        key: "plan_actions",
        title: "Plans: actions",
        about: "What was to be done, by whom and by when.",
        sql: "SELECT a.id AS _key, 'Action' AS _heading,
                CASE WHEN a.owner_person_id IS NOT NULL AND a.owner_person_id NOT IN ({ids}) THEN 'Names another family member' END AS _third,
                a.what AS \"What\", COALESCE(u.display_name, op.given_names || ' ' || op.family_name) AS \"Who\",
                a.due_on AS \"Due\", a.status AS \"Status\", a.removed_on AS \"Removed\"
              FROM plan_actions a JOIN plans p ON p.id = a.plan_id
              LEFT JOIN users u ON u.id = a.owner_user_id LEFT JOIN people op ON op.id = a.owner_person_id
              WHERE p.episode_id IN ({episodes}) ORDER BY p.id, a.position",
    },
    Part {
        key: "plan_services",
        title: "Plans: services",
        about: "The services the plan referred the family to.",
        sql: "SELECT s.plan_id || ':' || s.position AS _key, s.name AS _heading, s.name AS \"Service\"
              FROM plan_services s JOIN plans p ON p.id = s.plan_id
              WHERE p.episode_id IN ({episodes}) ORDER BY s.plan_id, s.position",
    },
    Part {
        key: "reviews",
        title: "Reviews",
        about: "Team Around the Family reviews: who came and what was decided.",
        sql: "SELECT r.id AS _key, 'Review' AS _heading, {third:r.episode_id} AS _third,
                r.held_on AS \"Held\", r.attendees AS \"Who came\", r.decisions AS \"Decisions\",
                r.next_review_on AS \"Next review\"
              FROM reviews r WHERE r.episode_id IN ({episodes}) ORDER BY r.held_on, r.id",
    },
    Part {
        key: "programme_outcomes",
        title: "Supporting Families: outcomes and whether they lasted",
        about: "For each need the help was for: whether it was achieved when the help ended and what showed it, and, months later, whether it lasted and what showed that.",
        sql: "SELECT n.episode_id || ':' || n.domain AS _key, n.domain AS _heading,
                {third:n.episode_id} AS _third, n.result AS \"At the end of the help\",
                n.evidence AS \"What showed it\",
                CASE WHEN a.sustained IS NULL THEN NULL WHEN a.sustained <> 0 THEN 'Yes' ELSE 'No' END AS \"Did it last\",
                a.evidence AS \"What showed whether it lasted\", a.recorded_at AS \"Checked\"
              FROM episode_needs n
              LEFT JOIN sustainment_answers a ON a.episode_id = n.episode_id AND a.domain = n.domain
              WHERE n.episode_id IN ({episodes}) AND (n.result IS NOT NULL OR a.episode_id IS NOT NULL)
              ORDER BY n.episode_id, n.domain",
    },
    Part {
        key: "programme_claims",
        title: "Supporting Families: claims and their audit",
        about: "The quarters the council claimed for the family's outcomes under the Supporting Families programme, and what its internal audit found where the family was in the sample.",
        sql: "SELECT f.quarter || ':' || f.episode_id AS _key, f.quarter AS _heading,
                {third:f.episode_id} AS _third,
                CASE WHEN f.in_sample <> 0 THEN 'Yes' ELSE 'No' END AS \"In the audit sample\",
                f.verdict AS \"Audit verdict\", f.verdict_note AS \"The auditor's reason\",
                u.display_name AS \"Audited by\", f.audited_at AS \"Audited\"
              FROM programme_claim_families f LEFT JOIN users u ON u.id = f.audited_by
              WHERE f.episode_id IN ({episodes}) ORDER BY f.quarter, f.episode_id",
    },
    Part {
        key: "programme_return",
        title: "Supporting Families: the programme's data return",
        about: "Where the quarterly data return found something missing in the family's record, the explanation given for it.",
        sql: "SELECT e.quarter || ':' || e.episode_id || ':' || e.problem AS _key,
                e.problem AS _heading, {third:e.episode_id} AS _third, e.quarter AS \"Quarter\",
                e.explanation AS \"Explanation\", u.display_name AS \"Explained by\",
                e.explained_at AS \"Explained\"
              FROM programme_return_explanations e JOIN users u ON u.id = e.explained_by
              WHERE e.episode_id IN ({episodes}) ORDER BY e.quarter, e.episode_id, e.problem",
    },
    Part {
        key: "consents",
        title: "Consents",
        about: "What you (or someone for you) agreed could be shared, with whom, and any withdrawal.",
        sql: "SELECT c.id AS _key, 'Consent' AS _heading, c.given_by AS \"Given by\",
                c.share_with AS \"To share with\", c.given_on AS \"Given\", c.expires_on AS \"Expires\",
                c.withdrawn_on AS \"Withdrawn\", c.withdrawn_reason AS \"Why withdrawn\",
                u.display_name AS \"Recorded by\"
              FROM consents c JOIN users u ON u.id = c.recorded_by
              WHERE c.person_id IN ({ids}) ORDER BY c.given_on, c.id",
    },
    Part {
        key: "service_requests",
        title: "Requests for a service",
        about: "Services you were referred to, and their answers.",
        sql: "SELECT s.id AS _key, d.name AS _heading, s.created_at AS \"Sent\",
                s.reason AS \"Why\", s.consent_given_by AS \"Consent given by\",
                s.contact_preference AS \"How to contact you\", s.contact_detail AS \"Contact\",
                s.status AS \"Where it stands\", s.answer_reason AS \"Answer\"
              FROM service_requests s JOIN directory_services d ON d.id = s.service_id
              WHERE s.person_id IN ({ids}) ORDER BY s.created_at, s.id",
    },
    Part {
        key: "feedback",
        title: "Feedback",
        about: "What the family said about the help when it ended.",
        sql: "SELECT f.id AS _key, 'Feedback' AS _heading,
                'Given by a family member, who may not be you' AS _third,
                f.answered_at AS \"Given\", f.rating AS \"Rating (1 to 5)\",
                f.what_changed AS \"What changed\", f.anything_else AS \"Anything else\"
              FROM feedback_invitations f
              WHERE f.episode_id IN ({episodes}) AND f.answered_at IS NOT NULL ORDER BY f.answered_at, f.id",
    },
    Part {
        key: "surveys",
        title: "Surveys",
        about: "What the family, or a child in it, answered in the short surveys during the help, with each question as it was asked.",
        sql: "SELECT a.invitation_id || '-' || CAST(a.position AS TEXT) AS _key,
                f.moment AS _heading,
                'Given by a family member or a child, who may not be you' AS _third,
                f.answered_at AS \"Given\", a.asked AS \"Question\", a.answer AS \"Answer\"
              FROM survey_answers a JOIN feedback_invitations f ON f.id = a.invitation_id
              WHERE f.episode_id IN ({episodes}) ORDER BY f.answered_at, a.invitation_id, a.position",
    },
    Part {
        key: "documents",
        title: "Documents",
        about: "Files kept on your record or your family's (signed consents, reports, photos, letters). Each is listed here; a copy of any of them can be sent with this release.",
        sql: "SELECT d.id AS _key, d.title AS _heading,
                CASE WHEN d.episode_id IS NOT NULL THEN 'Kept on the family''s episode: may tell of other family members' END AS _third,
                d.kind AS \"What it is\", d.file_name AS \"File\", d.file_type AS \"Type\",
                d.uploaded_at AS \"Added\", u.display_name AS \"Added by\"
              FROM documents d JOIN users u ON u.id = d.uploaded_by
              WHERE d.person_id IN ({ids}) OR d.episode_id IN ({episodes})
              ORDER BY d.uploaded_at, d.id",
    },
    Part {
        key: "chronology",
        title: "Your chronology",
        about: "The timeline of what happened, as practitioners see it.",
        sql: "SELECT DISTINCT c.id AS _key, c.kind AS _heading,
                CASE c.record_type WHEN 'case_note' THEN 'notes:' || c.record_id
                    WHEN 'review' THEN 'reviews:' || c.record_id
                    WHEN 'document' THEN 'documents:' || c.record_id
                    WHEN 'family_message' THEN 'messages:' || c.record_id END AS _repeats,
                c.at AS \"When\",
                c.summary AS \"What happened\", o.name AS \"Organisation\"
              FROM chronology c JOIN chronology_people cp ON cp.entry_id = c.id
              LEFT JOIN organisations o ON o.id = c.organisation_id
              WHERE cp.person_id IN ({ids}) ORDER BY c.at, c.id",
    },
];

/// The ids bound for one gathering.
struct Binds {
    ids: Vec<String>,
    episodes: Vec<String>,
    requests: Vec<String>,
}

impl Binds {
    /// The statement with its lists as numbered parameters, and the values in their order.
    fn statement(&self, sql: &str) -> (String, Vec<String>) {
        let mut values = Vec::new();
        let mut list = |items: &[String]| {
            let from = values.len() + 1;
            // An empty list matches nothing (and `IN ()` is not SQL).
            let items = if items.is_empty() {
                vec![String::new()]
            } else {
                items.to_vec()
            };
            let n = items.len();
            values.extend(items);
            (from..from + n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ids = list(&self.ids);
        let episodes = list(&self.episodes);
        let requests = list(&self.requests);
        let mut sql = sql.to_string();
        for column in [
            "n.episode_id",
            "s.episode_id",
            "p.episode_id",
            "r.episode_id",
            "f.episode_id",
            "e.episode_id",
            "m.episode_id",
        ] {
            sql = sql.replace(
                &format!("{{third:{column}}}"),
                &OTHERS_IN_EPISODE.replace("{episode}", column),
            );
        }
        let sql = sql
            .replace("{ids}", &ids)
            .replace("{episodes}", &episodes)
            .replace("{requests}", &requests);
        (sql, values)
    }
}

/// Everything held about the opened subject, section by section (empty sections included,
/// so the reader sees what was looked for).
pub async fn everything(conn: &mut Conn, subject: &OpenedSubject) -> Result<Vec<Section>> {
    let ids: Vec<String> = subject.ids().iter().map(ToString::to_string).collect();
    let episodes = linked(conn, "episode_people", "episode_id", &ids).await?;
    let requests = linked(conn, "request_people", "request_id", &ids).await?;
    let binds = Binds {
        ids,
        episodes,
        requests,
    };
    let mut sections = Vec::with_capacity(PARTS.len() + 1);
    for part in PARTS {
        let (sql, values) = binds.statement(part.sql);
        let mut q = sqlx::query(&sql);
        for v in &values {
            q = q.bind(v.as_str());
        }
        let rows = q.fetch_all(&mut *conn).await?;
        sections.push(Section {
            key: part.key.into(),
            title: part.title.into(),
            about: part.about.into(),
            items: rows
                .iter()
                .map(|r| item(part.key, r))
                .collect::<Result<_>>()?,
        });
    }
    sections.push(viewers(conn, &binds).await?);
    Ok(sections)
}

/// The ids in `column` of a link `table` (episodes', requests' people) for these people.
/// Both names are fixed by the callers in this module, never typed.
pub(super) async fn linked(
    conn: &mut Conn,
    table: &'static str,
    column: &'static str,
    ids: &[String],
) -> Result<Vec<String>> {
    let people = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT DISTINCT {column} FROM {table} WHERE person_id IN ({people})");
    let mut q = sqlx::query_scalar(&sql);
    for id in ids {
        q = q.bind(id.as_str());
    }
    Ok(q.fetch_all(conn).await?)
}

/// A row as an item: `_`-columns steer, the rest are fields (empty ones left out).
fn item(section: &str, row: &AnyRow) -> Result<Item> {
    let mut key = String::new();
    let mut heading = String::new();
    let mut third_party = None;
    let mut repeats = None;
    let mut fields = Vec::new();
    for (i, column) in row.columns().iter().enumerate() {
        let Some(value) = value(row, i)? else {
            continue;
        };
        match column.name() {
            "_key" => key = value,
            "_heading" => heading = plain(&value),
            "_third" => third_party = Some(value),
            "_repeats" => repeats = Some(value),
            label => fields.push(Field {
                label: label.to_string(),
                value: plain(&value),
            }),
        }
    }
    Ok(Item {
        key: format!("{section}:{key}"),
        heading,
        fields,
        third_party,
        repeats,
    })
}

/// A column's value as text, whatever its type; `None` when empty.
fn value(row: &AnyRow, i: usize) -> Result<Option<String>> {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return Ok(v.filter(|v| !v.trim().is_empty()));
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map(|v| v.to_string()));
    }
    Ok(row.try_get::<Option<f64>, _>(i)?.map(|v| v.to_string()))
}

/// A stored value as people read it: times and dates in words, codes with their
/// underscores as spaces; text as it was written.
pub fn plain(value: &str) -> String {
    if let Some(t) = from_text(value) {
        return t.format("%-d %B %Y at %H:%M").to_string();
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return d.format("%-d %B %Y").to_string();
    }
    let is_code = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
    if is_code && value.contains('_') {
        let words = value.replace('_', " ");
        let mut chars = words.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => words,
        };
    }
    value.to_string()
}

/// Who viewed or changed the person's data, one item per member of staff: how often by each
/// kind of event, first and last (from the audit log: their record, their episodes, their
/// requests, search results and chronologies that showed them).
async fn viewers(conn: &mut Conn, binds: &Binds) -> Result<Section> {
    let rows = super::viewers::events(conn, &binds.ids, &binds.episodes, &binds.requests).await?;
    let mut items: Vec<Item> = Vec::new();
    let mut counts: Vec<(String, AuditAction, i64, String, String)> = Vec::new();
    for e in rows {
        let who = format!("{}, {}", e.who, e.organisation);
        match counts
            .iter_mut()
            .find(|(w, a, _, _, _)| *w == who && *a == e.action)
        {
            Some(c) => {
                c.2 += 1;
                c.4 = plain(&e.at);
            }
            None => counts.push((who, e.action, 1, plain(&e.at), plain(&e.at))),
        }
    }
    for (who, action, n, first, last) in counts {
        let value = if n == 1 {
            format!("once, {first}")
        } else {
            format!("{n} times, from {first} to {last}")
        };
        let field = Field {
            label: action.label().to_string(),
            value,
        };
        match items.iter_mut().find(|i| i.heading == who) {
            Some(i) => i.fields.push(field),
            None => items.push(Item {
                key: format!("viewers:{who}"),
                heading: who,
                fields: vec![field],
                third_party: Some("Names a member of staff".into()),
                repeats: None,
            }),
        }
    }
    Ok(Section {
        key: "viewers".into(),
        title: "Who has seen or changed your data".into(),
        about: "Every member of staff who opened, searched for or changed your data, from the audit log: how often and when.".into(),
        items,
    })
}
