//! Role changes waiting for a second administrator (separation of duties), and their outcome.

use crate::decode::{coded, parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{TeamId, UserId};
use hearth_domain::role::{PendingGrant, Role, RoleChangeStatus, RoleSet};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub id: Uuid,
    pub user_id: UserId,
    pub user_name: String,
    pub grant: PendingGrant,
    /// The name of the team it moves to, when it moves to one.
    pub team_name: Option<String>,
    pub status: RoleChangeStatus,
    pub proposed_by: UserId,
    pub proposed_by_name: String,
    pub proposed_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT c.id, c.user_id, u.display_name AS user_name, c.roles,
        c.changes_team, c.team_id, t.name AS team_name, c.status, c.proposed_by,
        p.display_name AS proposed_by_name, c.proposed_at
    FROM role_changes c
    JOIN users u ON u.id = c.user_id
    JOIN users p ON p.id = c.proposed_by
    LEFT JOIN teams t ON t.id = c.team_id";

fn from_row(r: &AnyRow) -> Result<RoleChange> {
    let roles: String = r.try_get("roles")?;
    let roles: std::result::Result<Vec<Role>, _> =
        roles.split_whitespace().map(str::parse).collect();
    let roles = roles.map_err(|e| StoreError::Corrupt(format!("role change: {e}")))?;
    let team: Option<String> = r.try_get("team_id")?;
    let team: Option<TeamId> = team.as_deref().map(parse_id).transpose()?;
    let changes_team = r.try_get::<i64, _>("changes_team")? != 0;
    Ok(RoleChange {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
        user_name: r.try_get("user_name")?,
        grant: PendingGrant {
            roles: RoleSet::new(roles),
            team: changes_team.then_some(team),
        },
        team_name: r.try_get("team_name")?,
        status: coded(r, "status", RoleChangeStatus::from_code)?,
        proposed_by: parse_id(&r.try_get::<String, _>("proposed_by")?)?,
        proposed_by_name: r.try_get("proposed_by_name")?,
        proposed_at: parse_time(&r.try_get::<String, _>("proposed_at")?)?,
    })
}

/// Records a proposal, withdrawing any earlier one still waiting for the same account (whose
/// id is returned). The partial unique index keeps one waiting per account even when two
/// administrators propose at once: the second is told [`StoreError::Duplicate`].
pub async fn propose(
    conn: &mut Conn,
    id: Uuid,
    user: UserId,
    grant: &PendingGrant,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>> {
    let earlier: Option<String> =
        sqlx::query_scalar("SELECT id FROM role_changes WHERE user_id = $1 AND status = $2")
            .bind(user.to_string())
            .bind(RoleChangeStatus::Pending.code())
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(earlier) = &earlier {
        decide(
            conn,
            parse_id(earlier)?,
            RoleChangeStatus::Withdrawn,
            by,
            now,
        )
        .await?;
    }
    let roles = grant
        .roles
        .roles()
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(" ");
    sqlx::query(
        "INSERT INTO role_changes (id, user_id, roles, changes_team, team_id, status, proposed_by, proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(roles)
    .bind(i64::from(grant.team.is_some()))
    .bind(grant.team.flatten().map(|t| t.to_string()))
    .bind(RoleChangeStatus::Pending.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    earlier.as_deref().map(parse_id).transpose()
}

/// Closes a waiting change as `status`; [`StoreError::NotFound`] when it is no longer waiting
/// (someone else decided it first).
pub async fn decide(
    conn: &mut Conn,
    id: Uuid,
    status: RoleChangeStatus,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE role_changes SET status = $1, decided_by = $2, decided_at = $3
         WHERE id = $4 AND status = $5",
    )
    .bind(status.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(RoleChangeStatus::Pending.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: Uuid) -> Result<RoleChange> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The change waiting for this account, if any.
pub async fn pending_for(conn: &mut Conn, user: UserId) -> Result<Option<RoleChange>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.user_id = $1 AND c.status = $2"))
        .bind(user.to_string())
        .bind(RoleChangeStatus::Pending.code())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every change waiting, oldest first.
pub async fn pending(conn: &mut Conn) -> Result<Vec<RoleChange>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.status = $1 ORDER BY c.proposed_at, c.id"
    ))
    .bind(RoleChangeStatus::Pending.code())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Adds roles to an account and, when given, moves it to a team; bumps its version.
pub async fn apply(
    conn: &mut Conn,
    user: UserId,
    grant: &PendingGrant,
    now: DateTime<Utc>,
) -> Result<()> {
    for role in grant.roles.roles() {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user.to_string())
        .bind(role.code())
        .execute(&mut *conn)
        .await?;
    }
    let (sets_team, team) = match grant.team {
        Some(t) => (1_i64, t.map(|t| t.to_string())),
        None => (0, None),
    };
    sqlx::query(
        "UPDATE users SET team_id = CASE WHEN $1 = 1 THEN $2 ELSE team_id END,
                version = version + 1, updated_at = $3
         WHERE id = $4",
    )
    .bind(sets_team)
    .bind(team)
    .bind(to_text(now))
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
