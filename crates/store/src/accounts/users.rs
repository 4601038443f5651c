//! User accounts and their roles.

use crate::decode::{parse_id, parse_time};
use crate::lifecycle::{self, Deactivatable};
use crate::sql::escape_like;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{OrganisationId, TeamId, UserId};
use hearth_domain::role::{Role, RoleSet};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub roles: RoleSet,
    pub active: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// The password was chosen by an administrator: the user must choose their own before
    /// anything else.
    pub must_change_password: bool,
    pub version: i64,
}

/// What an administrator fills in about a user.
#[derive(Debug, Clone)]
pub struct UserFields {
    pub email: String,
    pub display_name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub organisation_id: OrganisationId,
    pub team_id: Option<TeamId>,
    pub roles: RoleSet,
}

/// Narrows a list of users.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Part of a name or email address.
    pub text: Option<String>,
    pub organisation_id: Option<OrganisationId>,
}

const SELECT: &str =
    "SELECT u.id, u.email, u.display_name, u.job_title, u.phone, u.organisation_id,
        o.name AS organisation_name, u.team_id, t.name AS team_name, u.active, u.failed_attempts,
        u.locked_until, u.last_sign_in_at, u.must_change_password, u.version, r.role
    FROM users u
    JOIN organisations o ON o.id = u.organisation_id
    LEFT JOIN teams t ON t.id = u.team_id
    LEFT JOIN user_roles r ON r.user_id = u.id";

/// Folds one row per role into one user per id, keeping the query's order.
fn fold_rows(rows: &[AnyRow]) -> Result<Vec<User>> {
    let mut users: Vec<User> = Vec::new();
    let mut roles: Vec<Vec<Role>> = Vec::new();
    for row in rows {
        let id: UserId = parse_id(&row.try_get::<String, _>("id")?)?;
        if users.last().map(|u| u.id) != Some(id) {
            let team_id: Option<String> = row.try_get("team_id")?;
            let locked: Option<String> = row.try_get("locked_until")?;
            let last: Option<String> = row.try_get("last_sign_in_at")?;
            users.push(User {
                id,
                email: row.try_get("email")?,
                display_name: row.try_get("display_name")?,
                job_title: row.try_get("job_title")?,
                phone: row.try_get("phone")?,
                organisation_id: parse_id(&row.try_get::<String, _>("organisation_id")?)?,
                organisation_name: row.try_get("organisation_name")?,
                team_id: team_id.as_deref().map(parse_id).transpose()?,
                team_name: row.try_get("team_name")?,
                roles: RoleSet::default(),
                active: row.try_get::<i64, _>("active")? != 0,
                failed_attempts: row.try_get("failed_attempts")?,
                locked_until: locked.as_deref().map(parse_time).transpose()?,
                last_sign_in_at: last.as_deref().map(parse_time).transpose()?,
                must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
                version: row.try_get("version")?,
            });
            roles.push(Vec::new());
        }
        if let (Some(role), Some(list)) =
            (row.try_get::<Option<String>, _>("role")?, roles.last_mut())
        {
            list.push(
                role.parse()
                    .map_err(|_| StoreError::Corrupt(format!("role {role}")))?,
            );
        }
    }
    for (user, roles) in users.iter_mut().zip(roles) {
        user.roles = RoleSet::new(roles);
    }
    Ok(users)
}

/// A new account's first password: chosen by an administrator (who must not go on knowing
/// it: the user changes it at their first sign-in), or at the server's console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPassword {
    ByAdministrator,
    AtConsole,
    /// None: the account signs in through its organisation's identity provider.
    Federated,
}

pub async fn insert(
    conn: &mut Conn,
    id: UserId,
    fields: &UserFields,
    password_hash: &str,
    first: FirstPassword,
    now: DateTime<Utc>,
) -> Result<()> {
    let now = to_text(now);
    sqlx::query(
        "INSERT INTO users (id, email, display_name, job_title, phone, organisation_id, team_id,
                password_hash, active, failed_attempts, password_changed_at, version, created_at,
                updated_at, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 0, $9, 1, $9, $9, $10)",
    )
    .bind(id.to_string())
    .bind(&fields.email)
    .bind(&fields.display_name)
    .bind(fields.job_title.clone())
    .bind(fields.phone.clone())
    .bind(fields.organisation_id.to_string())
    .bind(fields.team_id.map(|t| t.to_string()))
    .bind(password_hash)
    .bind(now)
    .bind(i64::from(first == FirstPassword::ByAdministrator))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    replace_roles(conn, id, &fields.roles).await
}

async fn replace_roles(conn: &mut Conn, id: UserId, roles: &RoleSet) -> Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    for role in roles.roles() {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Saves the fields if the account is still at `version`; otherwise [`StoreError::Conflict`].
pub async fn update(
    conn: &mut Conn,
    id: UserId,
    version: i64,
    fields: &UserFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE users SET email = $1, display_name = $2, job_title = $3, phone = $4,
                organisation_id = $5, team_id = $6, version = version + 1, updated_at = $7
         WHERE id = $8 AND version = $9",
    )
    .bind(&fields.email)
    .bind(&fields.display_name)
    .bind(fields.job_title.clone())
    .bind(fields.phone.clone())
    .bind(fields.organisation_id.to_string())
    .bind(fields.team_id.map(|t| t.to_string()))
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    replace_roles(conn, id, &fields.roles).await
}

pub async fn set_active(
    conn: &mut Conn,
    id: UserId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    lifecycle::set_active(conn, Deactivatable::Users, id.to_string(), active, now).await
}

pub async fn get(conn: &mut Conn, id: UserId) -> Result<User> {
    let rows = sqlx::query(&format!("{SELECT} WHERE u.id = $1"))
        .bind(id.to_string())
        .fetch_all(conn)
        .await?;
    fold_rows(&rows)?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)
}

/// The account and its password hash, for signing in.
pub async fn find_for_sign_in(conn: &mut Conn, email: &str) -> Result<Option<(User, String)>> {
    let hash: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, hash)) = hash else {
        return Ok(None);
    };
    let user = get(conn, parse_id(&id)?).await?;
    Ok(Some((user, hash)))
}

pub async fn password_hash(conn: &mut Conn, id: UserId) -> Result<String> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(conn: &mut Conn, filter: &UserFilter, limit: i64) -> Result<Vec<User>> {
    // Only the conditions given are written, and the limit as a number (one we chose): with
    // `LIKE '%'` and `LIMIT $n` as arguments PostgreSQL soon settles on a generic plan of
    // nested loops that read the staff's rows five thousand pages at a time (10 ms a list of
    // 550 at city scale, the most expensive statement of a loaded server; 2.7 ms otherwise).
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(t) = &filter.text {
        args.push(format!("%{}%", escape_like(&t.to_lowercase())));
        let p = args.len();
        clauses.push(format!(
            "(LOWER(display_name) LIKE ${p} ESCAPE '\\' OR email LIKE ${p} ESCAPE '\\')"
        ));
    }
    if let Some(o) = filter.organisation_id {
        args.push(o.to_string());
        clauses.push(format!("organisation_id = ${}", args.len()));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    // Page by user first, then join the roles, so the limit counts users rather than roles.
    let sql = format!(
        "{SELECT} WHERE u.id IN (
             SELECT id FROM users {where_}
             ORDER BY active DESC, LOWER(display_name), id
             LIMIT {})
         ORDER BY u.active DESC, LOWER(u.display_name), u.id",
        limit.max(0)
    );
    let mut query = sqlx::query(&sql);
    for a in &args {
        query = query.bind(a.as_str());
    }
    let rows = query.fetch_all(conn).await?;
    fold_rows(&rows)
}

/// The active members of a team with their roles, by name.
pub async fn active_in_team(conn: &mut Conn, team: TeamId) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE u.team_id = $1 AND u.active = 1 ORDER BY LOWER(u.display_name), u.id"
    ))
    .bind(team.to_string())
    .fetch_all(conn)
    .await?;
    fold_rows(&rows)
}

/// Every active account with its roles, organisation and team (for counts by them).
pub async fn all_active(conn: &mut Conn) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE u.active = 1 ORDER BY u.id"))
        .fetch_all(conn)
        .await?;
    fold_rows(&rows)
}

/// The active members of a team, by name: (id, name).
pub async fn team_members(conn: &mut Conn, team: TeamId) -> Result<Vec<(UserId, String)>> {
    sqlx::query(
        "SELECT id, display_name FROM users WHERE team_id = $1 AND active = 1
         ORDER BY LOWER(display_name), id",
    )
    .bind(team.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            parse_id(&r.try_get::<String, _>("id")?)?,
            r.try_get("display_name")?,
        ))
    })
    .collect()
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await?)
}

pub async fn record_success(conn: &mut Conn, id: UserId, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $1 WHERE id = $2",
    )
    .bind(to_text(now))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Clears what is left of the old lock-out columns (an administrator's unlock; the sign-in
/// throttle itself is in `throttle`).
pub async fn unlock(conn: &mut Conn, id: UserId) -> Result<()> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's own new password (so no longer one an administrator chose).
pub async fn set_password(
    conn: &mut Conn,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, failed_attempts = 0,
                locked_until = NULL, must_change_password = 0
         WHERE id = $3",
    )
    .bind(hash)
    .bind(to_text(now))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Every role held by an active member of a team (to know whether anyone in it may sign off).
pub async fn roles_in_team(conn: &mut Conn, team: TeamId) -> Result<Vec<Role>> {
    sqlx::query(
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE u.team_id = $1 AND u.active = 1",
    )
    .bind(team.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let role: String = r.try_get("role")?;
        role.parse()
            .map_err(|_| StoreError::Corrupt(format!("role {role}")))
    })
    .collect()
}

/// The email of an active manager of `team` (the earliest made), if it has one: who signs off
/// work the team owns.
pub async fn a_manager_of(conn: &mut Conn, team: TeamId) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id
         WHERE u.team_id = $1 AND u.active = 1 AND r.role = $2 ORDER BY u.created_at, u.email",
    )
    .bind(team.to_string())
    .bind(Role::TeamManager.code())
    .fetch_optional(conn)
    .await?)
}
