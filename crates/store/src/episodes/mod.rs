//! Episodes of Family Help: level and its history, allocation, the Team Around the Family and
//! closure. Changes that others may make at the same time carry the version they started from
//! and are refused with [`StoreError::Conflict`] when it has moved on.

pub mod assessments;
pub mod case_notes;
pub mod distance;
pub mod escalations;
pub mod feedback;
pub mod plans;
pub mod reviews;
pub mod tasks;

use crate::decode::{coded, date, opt_coded, opt_date, parse_id};
use crate::family::people::placeholders;
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::{ClosureReason, EpisodeLevel, EpisodeStatus, NeedResult, Route};
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, RequestId, TeamId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::routing::TargetedService;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub id: EpisodeId,
    pub request_id: Option<RequestId>,
    pub level: EpisodeLevel,
    pub service: Option<TargetedService>,
    pub route: Route,
    pub status: EpisodeStatus,
    pub owning_team_id: Option<TeamId>,
    pub owning_team_name: Option<String>,
    pub owning_organisation_id: Option<OrganisationId>,
    pub lead_user_id: Option<UserId>,
    pub lead_name: Option<String>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub closure_reason: Option<ClosureReason>,
    pub closure_summary: Option<String>,
    pub closure_recorded_by: Option<UserId>,
    pub closure_signed_off_by: Option<UserId>,
    pub version: i64,
    pub people: Vec<PersonId>,
}

pub struct NewEpisode {
    pub request_id: Option<RequestId>,
    pub level: EpisodeLevel,
    pub service: Option<TargetedService>,
    pub route: Route,
    pub owning_team_id: Option<TeamId>,
    pub lead_user_id: Option<UserId>,
    pub people: Vec<PersonId>,
    pub needs: Vec<NeedDomain>,
    pub started_on: NaiveDate,
    pub by: UserId,
}

pub async fn insert(conn: &mut Conn, e: &NewEpisode, now: DateTime<Utc>) -> Result<EpisodeId> {
    let id = EpisodeId::new();
    sqlx::query(
        "INSERT INTO episodes (id, request_id, level, service, route, status, owning_team_id,
            lead_user_id, started_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id.to_string())
    .bind(e.request_id.map(|r| r.to_string()))
    .bind(e.level.code())
    .bind(e.service.map(|s| s.code()))
    .bind(e.route.code())
    .bind(EpisodeStatus::Open.code())
    .bind(e.owning_team_id.map(|t| t.to_string()))
    .bind(e.lead_user_id.map(|u| u.to_string()))
    .bind(e.started_on.to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    for p in &e.people {
        sqlx::query("INSERT INTO episode_people (episode_id, person_id) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(p.to_string())
            .execute(&mut *conn)
            .await?;
    }
    for n in &e.needs {
        sqlx::query("INSERT INTO episode_needs (episode_id, domain) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(n.code())
            .execute(&mut *conn)
            .await?;
    }
    insert_level(
        conn,
        id,
        e.level,
        e.service,
        e.owning_team_id,
        e.started_on,
        e.by,
        None,
    )
    .await?;
    if let Some(lead) = e.lead_user_id {
        insert_allocation(conn, id, lead, e.started_on, e.by, None).await?;
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_level(
    conn: &mut Conn,
    episode: EpisodeId,
    level: EpisodeLevel,
    service: Option<TargetedService>,
    team: Option<TeamId>,
    from: NaiveDate,
    by: UserId,
    handover: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO episode_levels (id, episode_id, level, service, owning_team_id, from_date, moved_by, handover)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(episode.to_string())
    .bind(level.code())
    .bind(service.map(|s| s.code()))
    .bind(team.map(|t| t.to_string()))
    .bind(from.to_string())
    .bind(by.to_string())
    .bind(handover)
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_allocation(
    conn: &mut Conn,
    episode: EpisodeId,
    user: UserId,
    from: NaiveDate,
    by: UserId,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO allocations (id, episode_id, user_id, from_date, allocated_by, reason)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(episode.to_string())
    .bind(user.to_string())
    .bind(from.to_string())
    .bind(by.to_string())
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT e.id, e.request_id, e.level, e.service, e.route, e.status,
        e.owning_team_id, t.name AS team_name, t.organisation_id AS team_organisation_id,
        e.lead_user_id, u.display_name AS lead_name, e.started_on, e.ended_on,
        e.closure_reason, e.closure_summary, e.closure_recorded_by, e.closure_signed_off_by,
        e.version
    FROM episodes e
    LEFT JOIN teams t ON t.id = e.owning_team_id
    LEFT JOIN users u ON u.id = e.lead_user_id";

fn from_row(r: &AnyRow) -> Result<Episode> {
    let opt_id = |col: &str| -> Result<Option<String>> { Ok(r.try_get(col)?) };
    Ok(Episode {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        request_id: opt_id("request_id")?.as_deref().map(parse_id).transpose()?,
        level: coded(r, "level", EpisodeLevel::from_code)?,
        service: opt_coded(r, "service", TargetedService::from_code)?,
        route: coded(r, "route", Route::from_code)?,
        status: coded(r, "status", EpisodeStatus::from_code)?,
        owning_team_id: opt_id("owning_team_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        owning_team_name: r.try_get("team_name")?,
        owning_organisation_id: opt_id("team_organisation_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        lead_user_id: opt_id("lead_user_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        lead_name: r.try_get("lead_name")?,
        started_on: date(&r.try_get::<String, _>("started_on")?)?,
        ended_on: opt_date(r.try_get("ended_on")?)?,
        closure_reason: opt_coded(r, "closure_reason", ClosureReason::from_code)?,
        closure_summary: r.try_get("closure_summary")?,
        closure_recorded_by: opt_id("closure_recorded_by")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        closure_signed_off_by: opt_id("closure_signed_off_by")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        version: r.try_get("version")?,
        people: Vec::new(),
    })
}

async fn with_people(conn: &mut Conn, mut list: Vec<Episode>) -> Result<Vec<Episode>> {
    if list.is_empty() {
        return Ok(list);
    }
    for chunk in list.chunks_mut(200) {
        let sql = format!(
            "SELECT episode_id, person_id FROM episode_people WHERE episode_id IN ({}) ORDER BY person_id",
            placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk.iter() {
            q = q.bind(e.id.to_string());
        }
        for r in q.fetch_all(&mut *conn).await? {
            let episode: EpisodeId = parse_id(&r.try_get::<String, _>("episode_id")?)?;
            let person: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
            if let Some(e) = chunk.iter_mut().find(|e| e.id == episode) {
                e.people.push(person);
            }
        }
    }
    Ok(list)
}

pub async fn get(conn: &mut Conn, id: EpisodeId) -> Result<Episode> {
    let row = sqlx::query(&format!("{SELECT} WHERE e.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let e = from_row(&row)?;
    Ok(with_people(conn, vec![e]).await?.remove(0))
}

/// Every episode any of these people has been part of, newest first.
pub async fn for_people(conn: &mut Conn, people: &[PersonId]) -> Result<Vec<Episode>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE e.id IN (SELECT episode_id FROM episode_people WHERE person_id IN ({}))
         ORDER BY e.started_on DESC, e.id DESC",
        placeholders(people.len(), 1)
    );
    let mut q = sqlx::query(&sql);
    for p in people {
        q = q.bind(p.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let list = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    with_people(conn, list).await
}

/// Open episodes (not yet closed) led by this user, or owned by this team.
pub async fn caseload(
    conn: &mut Conn,
    lead: Option<UserId>,
    team: Option<TeamId>,
) -> Result<Vec<Episode>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE e.status <> 'closed' AND (e.lead_user_id = $1 OR e.owning_team_id = $2)
         ORDER BY e.started_on"
    ))
    .bind(lead.map(|u| u.to_string()))
    .bind(team.map(|t| t.to_string()))
    .fetch_all(&mut *conn)
    .await?;
    let list = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    with_people(conn, list).await
}

/// Open episodes (not yet closed) whose Team Around the Family this user is in now.
pub async fn taf_caseload(conn: &mut Conn, user: UserId) -> Result<Vec<Episode>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE e.status <> 'closed' AND e.id IN (
             SELECT episode_id FROM taf_members WHERE user_id = $1 AND left_on IS NULL)
         ORDER BY e.started_on"
    ))
    .bind(user.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let list = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    with_people(conn, list).await
}

/// These episodes (those that exist), for a list that names them once the gate has let them.
pub async fn by_ids(conn: &mut Conn, ids: &[EpisodeId]) -> Result<Vec<Episode>> {
    let mut list = Vec::new();
    for chunk in ids.chunks(200) {
        let sql = format!("{SELECT} WHERE e.id IN ({})", placeholders(chunk.len(), 1));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for row in q.fetch_all(&mut *conn).await? {
            list.push(from_row(&row)?);
        }
    }
    with_people(conn, list).await
}

/// The needs an episode works on, each with how far it was met once closure is recorded.
pub async fn needs(
    conn: &mut Conn,
    opened: &OpenedEpisode,
) -> Result<Vec<(NeedDomain, Option<NeedResult>)>> {
    let id = opened.id();
    let rows = sqlx::query(
        "SELECT domain, result FROM episode_needs WHERE episode_id = $1 ORDER BY domain",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                coded(r, "domain", NeedDomain::from_code)?,
                opt_coded(r, "result", NeedResult::from_code)?,
            ))
        })
        .collect()
}

/// Bumps the version the change started from; refused when someone else changed it first.
async fn bump(conn: &mut Conn, id: EpisodeId, version: i64, now: DateTime<Utc>) -> Result<()> {
    let done = sqlx::query(
        "UPDATE episodes SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
    )
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn set_route(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    route: Route,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = opened.id();
    bump(conn, id, version, now).await?;
    sqlx::query("UPDATE episodes SET route = $1 WHERE id = $2")
        .bind(route.code())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives the episode a new lead; the earlier allocation ends the same day and stays in history.
pub async fn allocate(
    conn: &mut Conn,
    id: EpisodeId,
    version: i64,
    lead: UserId,
    by: UserId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    bump(conn, id, version, now).await?;
    let today = now.date_naive().to_string();
    sqlx::query("UPDATE allocations SET to_date = $1 WHERE episode_id = $2 AND to_date IS NULL")
        .bind(&today)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE episodes SET lead_user_id = $1 WHERE id = $2")
        .bind(lead.to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    insert_allocation(conn, id, lead, now.date_naive(), by, reason).await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub user_id: UserId,
    pub user_name: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub allocated_by_name: String,
    pub reason: Option<String>,
}

pub async fn allocations(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Allocation>> {
    let id = opened.id();
    let rows = sqlx::query(
        "SELECT a.user_id, u.display_name, a.from_date, a.to_date, b.display_name AS by_name, a.reason
         FROM allocations a JOIN users u ON u.id = a.user_id JOIN users b ON b.id = a.allocated_by
         WHERE a.episode_id = $1 ORDER BY a.from_date, a.id",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Allocation {
                user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
                user_name: r.try_get("display_name")?,
                from_date: date(&r.try_get::<String, _>("from_date")?)?,
                to_date: opt_date(r.try_get("to_date")?)?,
                allocated_by_name: r.try_get("by_name")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Moves the episode to another level (step-up or step-down) with its handover summary. The
/// lead stays until the receiving team allocates; the record and the TAF stay as they are.
#[allow(clippy::too_many_arguments)]
pub async fn change_level(
    conn: &mut Conn,
    id: EpisodeId,
    version: i64,
    level: EpisodeLevel,
    service: Option<TargetedService>,
    team: Option<TeamId>,
    by: UserId,
    handover: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    bump(conn, id, version, now).await?;
    let today = now.date_naive();
    sqlx::query("UPDATE episode_levels SET to_date = $1 WHERE episode_id = $2 AND to_date IS NULL")
        .bind(today.to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE episodes SET level = $1, service = $2, owning_team_id = $3 WHERE id = $4")
        .bind(level.code())
        .bind(service.map(|s| s.code()))
        .bind(team.map(|t| t.to_string()))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    insert_level(conn, id, level, service, team, today, by, Some(handover)).await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelPeriod {
    pub level: EpisodeLevel,
    pub service: Option<TargetedService>,
    pub team_name: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub moved_by_name: Option<String>,
    pub handover: Option<String>,
}

pub async fn levels(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<LevelPeriod>> {
    let id = opened.id();
    let rows = sqlx::query(
        "SELECT l.level, l.service, t.name AS team_name, l.from_date, l.to_date,
            u.display_name, l.handover
         FROM episode_levels l LEFT JOIN teams t ON t.id = l.owning_team_id
         LEFT JOIN users u ON u.id = l.moved_by
         WHERE l.episode_id = $1 ORDER BY l.from_date, l.id",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LevelPeriod {
                level: coded(r, "level", EpisodeLevel::from_code)?,
                service: opt_coded(r, "service", TargetedService::from_code)?,
                team_name: r.try_get("team_name")?,
                from_date: date(&r.try_get::<String, _>("from_date")?)?,
                to_date: opt_date(r.try_get("to_date")?)?,
                moved_by_name: r.try_get("display_name")?,
                handover: r.try_get("handover")?,
            })
        })
        .collect()
}

/// The lead's closure: reason, summary and how far each need was met; waits for sign-off.
#[allow(clippy::too_many_arguments)]
pub async fn record_closure(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    reason: ClosureReason,
    summary: &str,
    results: &[(NeedDomain, NeedResult, String)],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = opened.id();
    bump(conn, id, version, now).await?;
    sqlx::query(
        "UPDATE episodes SET status = $1, closure_reason = $2, closure_summary = $3,
            closure_recorded_by = $4 WHERE id = $5",
    )
    .bind(EpisodeStatus::Closing.code())
    .bind(reason.code())
    .bind(summary)
    .bind(by.to_string())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    for (domain, result, evidence) in results {
        sqlx::query(
            "UPDATE episode_needs SET result = $1, evidence = $2
             WHERE episode_id = $3 AND domain = $4",
        )
        .bind(result.code())
        .bind(evidence)
        .bind(id.to_string())
        .bind(domain.code())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A manager's sign-off ends the episode, its allocation, its level and every involvement
/// and TAF membership it granted.
pub async fn sign_off_closure(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = opened.id();
    bump(conn, id, version, now).await?;
    let today = now.date_naive().to_string();
    sqlx::query(
        "UPDATE episodes SET status = $1, ended_on = $2, closure_signed_off_by = $3 WHERE id = $4",
    )
    .bind(EpisodeStatus::Closed.code())
    .bind(&today)
    .bind(by.to_string())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    for sql in [
        "UPDATE allocations SET to_date = $1 WHERE episode_id = $2 AND to_date IS NULL",
        "UPDATE episode_levels SET to_date = $1 WHERE episode_id = $2 AND to_date IS NULL",
        "UPDATE involvements SET to_date = $1 WHERE episode_id = $2 AND to_date IS NULL",
        "UPDATE taf_members SET left_on = $1 WHERE episode_id = $2 AND left_on IS NULL",
    ] {
        sqlx::query(sql)
            .bind(&today)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Sends a recorded closure back to the lead: the episode is open again, the reason kept out.
pub async fn return_closure(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = opened.id();
    bump(conn, id, version, now).await?;
    sqlx::query("UPDATE episodes SET status = $1 WHERE id = $2")
        .bind(EpisodeStatus::Open.code())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A member of the Team Around the Family: a practitioner or a family member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TafMember {
    pub id: String,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub organisation_name: Option<String>,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub role: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub left_reason: Option<String>,
}

/// Adds a member to the Team Around the Family; [`StoreError::Duplicate`] when they are in it
/// already.
pub async fn add_member(
    conn: &mut Conn,
    episode: EpisodeId,
    user: Option<UserId>,
    person: Option<PersonId>,
    role: &str,
    by: UserId,
    on: NaiveDate,
) -> Result<String> {
    let id = Uuid::now_v7().to_string();
    // A partial unique index keeps one current membership per practitioner and per family
    // member: of two adds at once, the second inserts nothing and is told it is a duplicate.
    let done = sqlx::query(
        "INSERT INTO taf_members (id, episode_id, user_id, person_id, role, joined_on, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(episode.to_string())
    .bind(user.map(|u| u.to_string()))
    .bind(person.map(|p| p.to_string()))
    .bind(role)
    .bind(on.to_string())
    .bind(by.to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Duplicate);
    }
    Ok(id)
}

/// Ends a membership; returns the practitioner who left, if it was one.
pub async fn end_member(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    member: &str,
    reason: &str,
    on: NaiveDate,
) -> Result<Option<UserId>> {
    let episode = opened.id();
    let row = sqlx::query(
        "SELECT user_id FROM taf_members WHERE id = $1 AND episode_id = $2 AND left_on IS NULL",
    )
    .bind(member)
    .bind(episode.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let user: Option<String> = row.try_get("user_id")?;
    sqlx::query("UPDATE taf_members SET left_on = $1, left_reason = $2 WHERE id = $3")
        .bind(on.to_string())
        .bind(reason)
        .bind(member)
        .execute(&mut *conn)
        .await?;
    user.as_deref().map(parse_id).transpose()
}

pub async fn members(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<TafMember>> {
    let episode = opened.id();
    let rows = sqlx::query(
        "SELECT m.id, m.user_id, u.display_name, u.email, o.name AS organisation_name,
            m.person_id, p.given_names, p.family_name, m.role, m.joined_on, m.left_on, m.left_reason
         FROM taf_members m
         LEFT JOIN users u ON u.id = m.user_id
         LEFT JOIN organisations o ON o.id = u.organisation_id
         LEFT JOIN people p ON p.id = m.person_id
         WHERE m.episode_id = $1 ORDER BY m.joined_on, m.id",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let user: Option<String> = r.try_get("user_id")?;
            let person: Option<String> = r.try_get("person_id")?;
            let given: Option<String> = r.try_get("given_names")?;
            let family: Option<String> = r.try_get("family_name")?;
            Ok(TafMember {
                id: r.try_get("id")?,
                user_id: user.as_deref().map(parse_id).transpose()?,
                user_name: r.try_get("display_name")?,
                user_email: r.try_get("email")?,
                organisation_name: r.try_get("organisation_name")?,
                person_id: person.as_deref().map(parse_id).transpose()?,
                person_name: given.zip(family).map(|(g, f)| format!("{g} {f}")),
                role: r.try_get("role")?,
                joined_on: date(&r.try_get::<String, _>("joined_on")?)?,
                left_on: opt_date(r.try_get("left_on")?)?,
                left_reason: r.try_get("left_reason")?,
            })
        })
        .collect()
}
