//! The family plan of an episode: outcomes, actions, services and the family's agreement.
//! Every save moves the version on and keeps a snapshot of what was saved; a save from an
//! out-of-date version is refused with [`StoreError::Conflict`]. Outcomes and actions taken
//! out of the plan are kept (marked removed) because reviews and updates point at them.

use crate::decode::{coded, opt_date, parse_id, parse_time};
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::ActionStatus;
use hearth_domain::time::to_text;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    /// In the family's own words.
    pub text: String,
    /// The need domains it works on.
    pub needs: Vec<NeedDomain>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub outcome_id: String,
    pub what: String,
    /// A TAF practitioner, or
    pub owner_user_id: Option<UserId>,
    /// a family member.
    pub owner_person_id: Option<PersonId>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// A service from the directory that the plan refers the family to, with its name as it was
/// when chosen (the plan still reads if the entry later changes or goes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedService {
    pub service_id: Uuid,
    pub name: String,
    /// The family member the service is for; none for everyone in the episode. Absent from
    /// versions saved before plans sent requests.
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFields {
    pub outcomes: Vec<Outcome>,
    pub actions: Vec<Action>,
    /// Services the family is referred to that are not in the directory, in free text.
    pub services: Vec<String>,
    /// Services the family is referred to from the partnership's directory. Absent from
    /// versions saved before the directory landed.
    #[serde(default)]
    pub directory_services: Vec<PlannedService>,
    pub agreed_with_family: bool,
    pub agreed_on: Option<NaiveDate>,
    /// Who in the family agreed, in their words.
    pub agreed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub episode_id: EpisodeId,
    pub version: i64,
    pub fields: PlanFields,
    pub saved_by_name: String,
    pub saved_at: DateTime<Utc>,
}

/// A saved version, as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersion {
    pub version: i64,
    pub fields: PlanFields,
    pub saved_by_name: String,
    pub saved_at: DateTime<Utc>,
}

/// One update on an action: its status then, what was said, who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionUpdate {
    pub action_id: String,
    pub status: ActionStatus,
    pub note: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

pub async fn for_episode(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Option<Plan>> {
    let episode = opened.id();
    let Some(r) = sqlx::query(
        "SELECT p.id, p.version, p.agreed_with_family, p.agreed_on, p.agreed_by,
            u.display_name, p.saved_at
         FROM plans p JOIN users u ON u.id = p.saved_by WHERE p.episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let id: String = r.try_get("id")?;
    let mut outcomes: Vec<Outcome> = sqlx::query(
        "SELECT id, text FROM plan_outcomes WHERE plan_id = $1 AND removed_on IS NULL
         ORDER BY position",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|o| {
        Ok(Outcome {
            id: o.try_get("id")?,
            text: o.try_get("text")?,
            needs: Vec::new(),
        })
    })
    .collect::<Result<_>>()?;
    let needs = sqlx::query(
        "SELECT n.outcome_id, n.domain FROM plan_outcome_needs n
         JOIN plan_outcomes o ON o.id = n.outcome_id WHERE o.plan_id = $1 ORDER BY n.domain",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    for n in &needs {
        let outcome: String = n.try_get("outcome_id")?;
        if let Some(o) = outcomes.iter_mut().find(|o| o.id == outcome) {
            o.needs.push(coded(n, "domain", NeedDomain::from_code)?);
        }
    }
    let actions = sqlx::query(
        "SELECT id, outcome_id, what, owner_user_id, owner_person_id, due_on, status
         FROM plan_actions WHERE plan_id = $1 AND removed_on IS NULL ORDER BY position",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        let user: Option<String> = a.try_get("owner_user_id")?;
        let person: Option<String> = a.try_get("owner_person_id")?;
        Ok(Action {
            id: a.try_get("id")?,
            outcome_id: a.try_get("outcome_id")?,
            what: a.try_get("what")?,
            owner_user_id: user.as_deref().map(parse_id).transpose()?,
            owner_person_id: person.as_deref().map(parse_id).transpose()?,
            due_on: opt_date(a.try_get("due_on")?)?,
            status: coded(a, "status", ActionStatus::from_code)?,
        })
    })
    .collect::<Result<_>>()?;
    let mut services = Vec::new();
    let mut directory_services = Vec::new();
    for s in sqlx::query(
        "SELECT name, service_id, person_id FROM plan_services WHERE plan_id = $1
         ORDER BY position",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?
    {
        let name: String = s.try_get("name")?;
        match s.try_get::<Option<String>, _>("service_id")? {
            Some(service) => directory_services.push(PlannedService {
                service_id: service
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("bad service id {service}")))?,
                name,
                person_id: s
                    .try_get::<Option<String>, _>("person_id")?
                    .as_deref()
                    .map(parse_id)
                    .transpose()?,
            }),
            None => services.push(name),
        }
    }
    let agreed: i64 = r.try_get("agreed_with_family")?;
    Ok(Some(Plan {
        episode_id: episode,
        version: r.try_get("version")?,
        fields: PlanFields {
            outcomes,
            actions,
            services,
            directory_services,
            agreed_with_family: agreed != 0,
            agreed_on: opt_date(r.try_get("agreed_on")?)?,
            agreed_by: r.try_get("agreed_by")?,
        },
        saved_by_name: r.try_get("display_name")?,
        saved_at: parse_time(&r.try_get::<String, _>("saved_at")?)?,
        id,
    }))
}

/// Saves the plan over `version` (0: there is no plan yet) and returns the new version. Ids
/// of new outcomes and actions are chosen by the caller so actions can name their outcome.
pub async fn save(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    f: &PlanFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    let episode = opened.id();
    let existing = sqlx::query("SELECT id FROM plans WHERE episode_id = $1")
        .bind(episode.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let id = match existing {
        None if version == 0 => {
            let id = Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO plans (id, episode_id, version, saved_by, saved_at)
                 VALUES ($1, $2, 1, $3, $4)",
            )
            .bind(&id)
            .bind(episode.to_string())
            .bind(by.to_string())
            .bind(to_text(now))
            .execute(&mut *conn)
            .await
            // Someone else wrote the first plan at the same moment.
            .map_err(|e| match StoreError::from_write(e) {
                StoreError::Duplicate => StoreError::Conflict,
                other => other,
            })?;
            id
        }
        None => return Err(StoreError::Conflict),
        Some(r) => {
            let id: String = r.try_get("id")?;
            bump(conn, &id, version, by, now).await?;
            id
        }
    };
    let today = now.date_naive().to_string();
    sqlx::query(
        "UPDATE plans SET agreed_with_family = $1, agreed_on = $2, agreed_by = $3 WHERE id = $4",
    )
    .bind(i64::from(f.agreed_with_family))
    .bind(f.agreed_on.map(|d| d.to_string()))
    .bind(f.agreed_by.clone())
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE plan_outcomes SET removed_on = $1 WHERE plan_id = $2 AND removed_on IS NULL",
    )
    .bind(&today)
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    for (i, o) in f.outcomes.iter().enumerate() {
        let kept = sqlx::query(
            "UPDATE plan_outcomes SET text = $1, position = $2, removed_on = NULL
             WHERE id = $3 AND plan_id = $4",
        )
        .bind(&o.text)
        .bind(i as i64)
        .bind(&o.id)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
        if kept.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO plan_outcomes (id, plan_id, position, text) VALUES ($1, $2, $3, $4)",
            )
            .bind(&o.id)
            .bind(&id)
            .bind(i as i64)
            .bind(&o.text)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM plan_outcome_needs WHERE outcome_id = $1")
            .bind(&o.id)
            .execute(&mut *conn)
            .await?;
        for n in &o.needs {
            sqlx::query("INSERT INTO plan_outcome_needs (outcome_id, domain) VALUES ($1, $2)")
                .bind(&o.id)
                .bind(n.code())
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query(
        "UPDATE plan_actions SET removed_on = $1 WHERE plan_id = $2 AND removed_on IS NULL",
    )
    .bind(&today)
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    for (i, a) in f.actions.iter().enumerate() {
        let kept = sqlx::query(
            "UPDATE plan_actions SET outcome_id = $1, position = $2, what = $3, owner_user_id = $4,
                owner_person_id = $5, due_on = $6, status = $7, removed_on = NULL
             WHERE id = $8 AND plan_id = $9",
        )
        .bind(&a.outcome_id)
        .bind(i as i64)
        .bind(&a.what)
        .bind(a.owner_user_id.map(|u| u.to_string()))
        .bind(a.owner_person_id.map(|p| p.to_string()))
        .bind(a.due_on.map(|d| d.to_string()))
        .bind(a.status.code())
        .bind(&a.id)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
        if kept.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO plan_actions (id, plan_id, outcome_id, position, what, owner_user_id,
                    owner_person_id, due_on, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&a.id)
            .bind(&id)
            .bind(&a.outcome_id)
            .bind(i as i64)
            .bind(&a.what)
            .bind(a.owner_user_id.map(|u| u.to_string()))
            .bind(a.owner_person_id.map(|p| p.to_string()))
            .bind(a.due_on.map(|d| d.to_string()))
            .bind(a.status.code())
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query("DELETE FROM plan_services WHERE plan_id = $1")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    // The directory's services first, then the free-text ones, in the order given.
    let rows = f
        .directory_services
        .iter()
        .map(|s| {
            (
                Some(s.service_id.to_string()),
                &s.name,
                s.person_id.map(|p| p.to_string()),
            )
        })
        .chain(f.services.iter().map(|s| (None, s, None)));
    for (i, (service, name, person)) in rows.enumerate() {
        sqlx::query(
            "INSERT INTO plan_services (plan_id, position, name, service_id, person_id)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(i as i64)
        .bind(name)
        .bind(service)
        .bind(person)
        .execute(&mut *conn)
        .await?;
    }
    keep_version(conn, opened, by, now).await
}

async fn bump(
    conn: &mut Conn,
    id: &str,
    version: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE plans SET version = version + 1, saved_by = $1, saved_at = $2
         WHERE id = $3 AND version = $4",
    )
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Keeps the plan as it now is under its version number; returns that version.
async fn keep_version(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    let plan = for_episode(conn, opened)
        .await?
        .ok_or(StoreError::NotFound)?;
    let snapshot =
        serde_json::to_string(&plan.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO plan_versions (plan_id, version, snapshot, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&plan.id)
    .bind(plan.version)
    .bind(snapshot)
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(plan.version)
}

/// Every saved version of the plan, newest first.
pub async fn versions(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<PlanVersion>> {
    let episode = opened.id();
    sqlx::query(
        "SELECT v.version, v.snapshot, u.display_name, v.saved_at FROM plan_versions v
         JOIN plans p ON p.id = v.plan_id JOIN users u ON u.id = v.saved_by
         WHERE p.episode_id = $1 ORDER BY v.version DESC",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let snapshot: String = r.try_get("snapshot")?;
        Ok(PlanVersion {
            version: r.try_get("version")?,
            fields: serde_json::from_str(&snapshot)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            saved_by_name: r.try_get("display_name")?,
            saved_at: parse_time(&r.try_get::<String, _>("saved_at")?)?,
        })
    })
    .collect()
}

/// An update on one action by any TAF member. The plan's version moves on (and the plan as
/// it now is is kept) so that a plan edit begun before it cannot undo the new status.
pub async fn update_action(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    action: &str,
    status: ActionStatus,
    note: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    let episode = opened.id();
    // An action's update is made from no one's copy of the plan, so it takes the next version
    // whatever the current one is: two TAF members updating actions at once both succeed, one
    // after the other (the row lock queues them), rather than the second being refused.
    let bumped = sqlx::query(
        "UPDATE plans SET version = version + 1, saved_by = $1, saved_at = $2
         WHERE episode_id = $3",
    )
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(episode.to_string())
    .execute(&mut *conn)
    .await?;
    if bumped.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let plan = for_episode(conn, opened)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !plan.fields.actions.iter().any(|a| a.id == action) {
        return Err(StoreError::NotFound);
    }
    sqlx::query("UPDATE plan_actions SET status = $1 WHERE id = $2")
        .bind(status.code())
        .bind(action)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO plan_action_updates (id, action_id, status, note, by_user, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(action)
    .bind(status.code())
    .bind(note)
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    keep_version(conn, opened, by, now).await
}

/// The updates on the plan's actions, oldest first.
pub async fn action_updates(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<ActionUpdate>> {
    let episode = opened.id();
    sqlx::query(
        "SELECT au.action_id, au.status, au.note, u.display_name, au.at
         FROM plan_action_updates au JOIN plan_actions a ON a.id = au.action_id
         JOIN plans p ON p.id = a.plan_id JOIN users u ON u.id = au.by_user
         WHERE p.episode_id = $1 ORDER BY au.at, au.id",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(ActionUpdate {
            action_id: r.try_get("action_id")?,
            status: coded(r, "status", ActionStatus::from_code)?,
            note: r.try_get("note")?,
            by_name: r.try_get("display_name")?,
            at: parse_time(&r.try_get::<String, _>("at")?)?,
        })
    })
    .collect()
}

/// What the plan's actions still to be finished say, for the closure check.
pub async fn open_actions(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<String>> {
    let episode = opened.id();
    sqlx::query(
        "SELECT a.what FROM plan_actions a JOIN plans p ON p.id = a.plan_id
         WHERE p.episode_id = $1 AND a.removed_on IS NULL
           AND a.status IN ('not_started', 'in_progress')
         ORDER BY a.position",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| Ok(r.try_get("what")?))
    .collect()
}

/// The open episodes with an unfinished plan action this user owns: which families to ask
/// the gate about before reading the actions themselves.
pub async fn episodes_with_actions_owned_by(
    conn: &mut Conn,
    user: UserId,
) -> Result<Vec<EpisodeId>> {
    sqlx::query(
        "SELECT DISTINCT p.episode_id FROM plan_actions a JOIN plans p ON p.id = a.plan_id
         JOIN episodes e ON e.id = p.episode_id
         WHERE a.owner_user_id = $1 AND a.removed_on IS NULL
           AND a.status IN ('not_started', 'in_progress') AND e.status <> 'closed'",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| parse_id(&r.try_get::<String, _>("episode_id")?))
    .collect()
}

/// The unfinished plan actions this user owns on one opened episode: (what, due date).
pub async fn open_actions_owned_by(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    user: UserId,
) -> Result<Vec<(String, Option<NaiveDate>)>> {
    sqlx::query(
        "SELECT a.what, a.due_on FROM plan_actions a JOIN plans p ON p.id = a.plan_id
         WHERE p.episode_id = $1 AND a.owner_user_id = $2 AND a.removed_on IS NULL
           AND a.status IN ('not_started', 'in_progress')
         ORDER BY a.due_on",
    )
    .bind(opened.id().to_string())
    .bind(user.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("what")?, opt_date(r.try_get("due_on")?)?)))
    .collect()
}

/// A published service a plan may refer the family to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceChoice {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
}

/// The directory's published, running services (the partnership's own and imported), by
/// name: what a family plan chooses its services from.
pub async fn service_choices(conn: &mut Conn) -> Result<Vec<ServiceChoice>> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, o.name AS organisation
         FROM directory_services s JOIN directory_organisations o ON o.id = s.organisation_id
         WHERE s.published = 1 AND s.status = 'active' ORDER BY s.name, o.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            Ok(ServiceChoice {
                id: id
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("bad service id {id}")))?,
                name: r.try_get("name")?,
                organisation: r.try_get("organisation")?,
            })
        })
        .collect()
}
