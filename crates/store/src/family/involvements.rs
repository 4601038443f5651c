//! Who works with whom: the relationships that grant access to a family's record and that
//! contact search shows.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::access::InvolvementRole;
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, RequestId, TeamId, UserId};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involvement {
    pub role: InvolvementRole,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub user_phone: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

pub struct NewInvolvement {
    pub person: PersonId,
    pub user: Option<UserId>,
    pub team: Option<TeamId>,
    pub organisation: OrganisationId,
    pub role: InvolvementRole,
    pub request: Option<RequestId>,
    pub episode: Option<EpisodeId>,
    /// The day it ends (exclusive), when it is known from the start.
    pub until: Option<NaiveDate>,
}

pub async fn insert(conn: &mut Conn, i: &NewInvolvement, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO involvements (id, person_id, user_id, team_id, organisation_id, role, request_id, from_date, episode_id, to_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(i.person.to_string())
    .bind(i.user.map(|u| u.to_string()))
    .bind(i.team.map(|t| t.to_string()))
    .bind(i.organisation.to_string())
    .bind(i.role.code())
    .bind(i.request.map(|r| r.to_string()))
    .bind(now.date_naive().to_string())
    .bind(i.episode.map(|e| e.to_string()))
    .bind(i.until.map(|d| d.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends what asking for help and recording the people gave, once the request is decided: the
/// requester's tie to each person in it, and anyone's recorder tie to them.
pub async fn end_for_decided_request(
    conn: &mut Conn,
    request: RequestId,
    people: &[PersonId],
    on: NaiveDate,
) -> Result<()> {
    sqlx::query(
        "UPDATE involvements SET to_date = $1
         WHERE request_id = $2 AND role = $3 AND (to_date IS NULL OR to_date > $1)",
    )
    .bind(on.to_string())
    .bind(request.to_string())
    .bind(InvolvementRole::Requester.code())
    .execute(&mut *conn)
    .await?;
    for chunk in people.chunks(200) {
        let sql = format!(
            "UPDATE involvements SET to_date = $1
             WHERE role = $2 AND (to_date IS NULL OR to_date > $1) AND person_id IN ({})",
            crate::family::people::placeholders(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql)
            .bind(on.to_string())
            .bind(InvolvementRole::Recorder.code());
        for p in chunk {
            q = q.bind(p.to_string());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Ends what an episode granted: to one user (leaving the TAF, handing over the lead), to
/// one team (a step to another service), or in one role.
pub async fn end_for_episode(
    conn: &mut Conn,
    episode: EpisodeId,
    user: Option<UserId>,
    team: Option<TeamId>,
    role: InvolvementRole,
    on: NaiveDate,
) -> Result<()> {
    let mut sql = String::from(
        "UPDATE involvements SET to_date = $1 WHERE episode_id = $2 AND role = $3 AND to_date IS NULL",
    );
    let mut binds = Vec::new();
    if let Some(u) = user {
        binds.push(u.to_string());
        sql.push_str(&format!(" AND user_id = ${}", 3 + binds.len()));
    }
    if let Some(t) = team {
        binds.push(t.to_string());
        sql.push_str(&format!(" AND team_id = ${}", 3 + binds.len()));
    }
    let mut q = sqlx::query(&sql)
        .bind(on.to_string())
        .bind(episode.to_string())
        .bind(role.code());
    for b in binds {
        q = q.bind(b);
    }
    q.execute(conn).await?;
    Ok(())
}

const SELECT: &str =
    "SELECT i.person_id, i.role, i.organisation_id, o.name AS organisation_name, i.team_id,
        t.name AS team_name, i.user_id, u.display_name, u.email, u.phone, i.from_date, i.to_date
    FROM involvements i
    JOIN organisations o ON o.id = i.organisation_id
    LEFT JOIN teams t ON t.id = i.team_id
    LEFT JOIN users u ON u.id = i.user_id";

/// Current involvements with a person, for contact search and the record's header.
pub async fn current_for(conn: &mut Conn, person: PersonId) -> Result<Vec<Involvement>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.person_id = $1 AND i.to_date IS NULL ORDER BY i.from_date"
    ))
    .bind(person.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| from_row(r).map(|(_, i)| i)).collect()
}

/// Current involvements with each of these people, in one query (for search results).
pub async fn current_for_many(
    conn: &mut Conn,
    people: &[PersonId],
) -> Result<Vec<(PersonId, Involvement)>> {
    let mut out = Vec::new();
    for chunk in people.chunks(200) {
        let sql = format!(
            "{SELECT} WHERE i.person_id IN ({}) AND i.to_date IS NULL ORDER BY i.from_date",
            crate::family::people::placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q.bind(p.to_string());
        }
        for row in q.fetch_all(&mut *conn).await? {
            out.push(from_row(&row)?);
        }
    }
    Ok(out)
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<(PersonId, Involvement)> {
    let team: Option<String> = r.try_get("team_id")?;
    let user: Option<String> = r.try_get("user_id")?;
    Ok((
        parse_id(&r.try_get::<String, _>("person_id")?)?,
        Involvement {
            role: coded(r, "role", InvolvementRole::from_code)?,
            organisation_id: parse_id(&r.try_get::<String, _>("organisation_id")?)?,
            organisation_name: r.try_get("organisation_name")?,
            team_id: team.as_deref().map(parse_id).transpose()?,
            team_name: r.try_get("team_name")?,
            user_id: user.as_deref().map(parse_id).transpose()?,
            user_name: r.try_get("display_name")?,
            user_email: r.try_get("email")?,
            user_phone: r.try_get("phone")?,
            from_date: date(&r.try_get::<String, _>("from_date")?)?,
            to_date: opt_date(r.try_get("to_date")?)?,
        },
    ))
}
