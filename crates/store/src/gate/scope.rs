//! Which part of a family's timeline one user may read through one person's record.

use super::proof::{ChronologyScope, Ground, OpenedPerson, Together};
use super::{openings, standing, Viewer};
use crate::decode::parse_id;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use hearth_domain::access::{consent_allows, InvolvementRole, Relationship};
use hearth_domain::ids::{EpisodeId, PersonId};
use sqlx::Row;

pub(super) async fn chronology(
    store: &Store,
    viewer: &Viewer<'_>,
    opened: &OpenedPerson,
) -> Result<ChronologyScope> {
    let person = opened.id();
    let today = viewer.now().date_naive();
    let mut conn = store.read().await?;
    // Everyone who lived with the person, and for how long they lived together.
    let rows = sqlx::query(
        "SELECT o.person_id, o.from_date AS o_from, o.to_date AS o_to,
                m.from_date AS m_from, m.to_date AS m_to, p.restricted
         FROM household_members m
         JOIN household_members o ON o.household_id = m.household_id AND o.person_id <> m.person_id
         JOIN people p ON p.id = o.person_id
         WHERE m.person_id = $1",
    )
    .bind(person.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let date = |s: Option<String>| -> Result<Option<NaiveDate>> {
        s.map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .transpose()
    };
    // Whose consent matters: only a user whose every ground to the person rests on agreement
    // loses sight of a member who withdrew it; statutory and lead roles keep it.
    let by_agreement = match opened.ground() {
        Ground::BreakGlass => false,
        Ground::Relationship(_) => opened.relationships().iter().all(|r| r.rests_on_consent()),
    };
    let mut members: Vec<Together> = Vec::new();
    let mut restricted: Vec<PersonId> = Vec::new();
    for r in &rows {
        let other: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
        let (Some(of), Some(mf)) = (date(r.try_get("o_from")?)?, date(r.try_get("m_from")?)?)
        else {
            continue;
        };
        let from = of.max(mf);
        let to = match (date(r.try_get("o_to")?)?, date(r.try_get("m_to")?)?) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if to.is_some_and(|t| t <= from) {
            continue;
        }
        if r.try_get::<i64, _>("restricted")? != 0 {
            restricted.push(other);
        }
        members.push(Together {
            person: other,
            from,
            to,
        });
    }
    // A restricted member's entries need their own reason, given within the while.
    let opened_with_reason = openings::with_reason(&mut conn, viewer, &restricted).await?;
    let mut kept = Vec::with_capacity(members.len());
    for m in members {
        if restricted.contains(&m.person) && !opened_with_reason.contains(&m.person) {
            continue;
        }
        if by_agreement {
            let (state, lawful) = standing::consent_position(&mut conn, m.person, today).await?;
            if !consent_allows(Relationship::TafMember, state, lawful) {
                continue;
            }
        }
        kept.push(m);
    }
    // Owning-team entries: only of the episodes this user works as their owner (or owned
    // before they closed).
    let owned: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT i.episode_id FROM involvements i
         WHERE i.person_id = $1 AND i.episode_id IS NOT NULL
           AND ((i.user_id = $2 AND i.role IN ($3, $4)) OR (i.role = $5 AND i.team_id = $6))
           AND i.from_date <= $7 AND (i.to_date IS NULL OR i.to_date > $7)
         UNION
         SELECT e.id FROM episodes e JOIN episode_people ep ON ep.episode_id = e.id
         WHERE ep.person_id = $1 AND e.status = 'closed'
           AND (e.lead_user_id = $2 OR e.owning_team_id = $6)",
    )
    .bind(person.to_string())
    .bind(viewer.user.to_string())
    .bind(InvolvementRole::LeadProfessional.code())
    .bind(InvolvementRole::AllocatedWorker.code())
    .bind(InvolvementRole::OwningTeam.code())
    .bind(viewer.team.map(|t| t.to_string()).unwrap_or_default())
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let owned_episodes = owned
        .iter()
        .map(|e| parse_id::<EpisodeId>(e))
        .collect::<Result<Vec<_>>>()?;
    Ok(ChronologyScope {
        person,
        members: kept,
        owned_episodes,
    })
}
