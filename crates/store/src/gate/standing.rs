//! How a user stands to people and episodes: their relationships, each honoured only inside
//! its time window, and the consent they rest on.

use super::{GatePolicy, Viewer};
use crate::decode::{coded, date, parse_id};
use crate::family::people::placeholders;
use crate::{family::consents, requests, Conn, Result};
use chrono::{Duration, NaiveDate};
use hearth_domain::access::{
    consent_allows, consent_for_organisation, ConsentState, InvolvementRole, Relationship,
};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::role::Capability;
use sqlx::Row;

/// One relationship of the user to one person, and the episode it came with, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tie {
    pub person: PersonId,
    pub relationship: Relationship,
    pub episode: Option<EpisodeId>,
}

/// The user's live ties to these people: involvements current on `today` (a recorder's only
/// within the policy's window), the front door's open requests, and consent applied.
pub(super) async fn ties(
    conn: &mut Conn,
    viewer: &Viewer<'_>,
    policy: &GatePolicy,
    people: &[PersonId],
    today: NaiveDate,
) -> Result<Vec<Tie>> {
    let mut out = Vec::new();
    if people.is_empty() {
        return Ok(out);
    }
    for chunk in people.chunks(200) {
        let n = chunk.len();
        let sql = format!(
            "SELECT person_id, role, episode_id, from_date FROM involvements
             WHERE person_id IN ({}) AND (user_id = ${} OR (role = ${} AND team_id = ${}))
               AND from_date <= ${} AND (to_date IS NULL OR to_date > ${})",
            placeholders(n, 1),
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 4
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q.bind(p.to_string());
        }
        let rows = q
            .bind(viewer.user.to_string())
            .bind(InvolvementRole::OwningTeam.code())
            // No team matches no row.
            .bind(viewer.team.map(|t| t.to_string()).unwrap_or_default())
            .bind(today.to_string())
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            let role = coded(r, "role", InvolvementRole::from_code)?;
            if role == InvolvementRole::Recorder
                && date(&r.try_get::<String, _>("from_date")?)?
                    + Duration::days(policy.recorder_days)
                    <= today
            {
                continue;
            }
            let relationship = role.relationship();
            let episode: Option<String> = r.try_get("episode_id")?;
            out.push(Tie {
                person: parse_id(&r.try_get::<String, _>("person_id")?)?,
                relationship,
                episode: episode.as_deref().map(parse_id).transpose()?,
            });
        }
    }
    if viewer.roles.can(Capability::DecideRequests) {
        for p in requests::open_for_people(conn, people).await? {
            out.push(Tie {
                person: p,
                relationship: Relationship::FrontDoorOpenRequest,
                episode: None,
            });
        }
    }
    // Partners by agreement lose what rests on consent once it is withdrawn: consent for
    // their organisation where a record names it (a family withdraws it for one agency on
    // their own page, ADR 0045), the person's consent as a whole otherwise.
    let organisation: Option<String> = if out.iter().any(|t| t.relationship.rests_on_consent()) {
        sqlx::query_scalar(
            "SELECT o.name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1",
        )
        .bind(viewer.user.to_string())
        .fetch_optional(&mut *conn)
        .await?
    } else {
        None
    };
    let mut checked: Vec<(PersonId, bool)> = Vec::new();
    let mut kept = Vec::with_capacity(out.len());
    for t in out {
        if t.relationship.rests_on_consent() {
            let allows = match checked.iter().find(|(p, _)| *p == t.person) {
                Some((_, a)) => *a,
                None => {
                    let (state, lawful) =
                        consent_position_for(conn, t.person, organisation.as_deref(), today)
                            .await?;
                    let a = consent_allows(t.relationship, state, lawful);
                    checked.push((t.person, a));
                    a
                }
            };
            if !allows {
                continue;
            }
        }
        kept.push(t);
    }
    Ok(kept)
}

/// A person's consent state and whether any sharing about them rests on a lawful basis.
pub(super) async fn consent_position(
    conn: &mut Conn,
    person: PersonId,
    today: NaiveDate,
) -> Result<(ConsentState, bool)> {
    let records = consents::for_person(conn, person).await?;
    let lawful = requests::lawful_basis_count(conn, person).await?;
    Ok((consents::state(&records, today), lawful > 0))
}

/// A person's consent state for sharing with one organisation (its own records where any
/// name it, the person's consent as a whole otherwise) and whether any sharing about them
/// rests on a lawful basis.
async fn consent_position_for(
    conn: &mut Conn,
    person: PersonId,
    organisation: Option<&str>,
    today: NaiveDate,
) -> Result<(ConsentState, bool)> {
    let records = consents::for_person(conn, person).await?;
    let lawful = requests::lawful_basis_count(conn, person).await?;
    let named: Vec<(&str, bool)> = records
        .iter()
        .map(|c| (c.share_with.as_str(), c.is_live(today)))
        .collect();
    let state = organisation
        .and_then(|o| consent_for_organisation(&named, o))
        .unwrap_or_else(|| consents::state(&records, today));
    Ok((state, lawful > 0))
}

/// The relationships of these ties, each once.
pub(super) fn relationships<'a>(ties: impl Iterator<Item = &'a Tie>) -> Vec<Relationship> {
    let mut out: Vec<Relationship> = Vec::new();
    for t in ties {
        if !out.contains(&t.relationship) {
            out.push(t.relationship);
        }
    }
    out
}
