//! Single sign-on: organisations' identity providers, the rules that map a first sign-in, the
//! sign-ins under way and the provider subject behind each federated account (ADR 0041).

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{IdentityProviderId, OrganisationId, SignOnRuleId, TeamId, UserId};
use hearth_domain::role::Role;
use hearth_domain::single_sign_on::{self as sso, MappingRule};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::fmt;

/// A provider's client secret: its `Debug` hides it, so it reaches no log or error page.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    /// The secret itself, for the provider's token endpoint only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret([hidden])")
    }
}

#[derive(Debug, Clone)]
pub struct IdentityProvider {
    pub id: IdentityProviderId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub scopes: Vec<String>,
    pub email_domains: Vec<String>,
    pub active: bool,
    pub version: i64,
}

/// What an administrator sets about a provider.
#[derive(Debug, Clone)]
pub struct ProviderFields {
    pub organisation_id: OrganisationId,
    pub issuer: String,
    pub client_id: String,
    /// `None` on a change keeps the stored secret (the form never shows it back).
    pub client_secret: Option<ClientSecret>,
    pub scopes: Vec<String>,
    pub email_domains: Vec<String>,
    pub active: bool,
}

const SELECT: &str = "SELECT p.id, p.organisation_id, o.name AS organisation_name, p.issuer,
        p.client_id, p.client_secret, p.scopes, p.email_domains, p.active, p.version
    FROM identity_providers p JOIN organisations o ON o.id = p.organisation_id";

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

fn provider(row: &AnyRow) -> Result<IdentityProvider> {
    Ok(IdentityProvider {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        organisation_id: parse_id(&row.try_get::<String, _>("organisation_id")?)?,
        organisation_name: row.try_get("organisation_name")?,
        issuer: row.try_get("issuer")?,
        client_id: row.try_get("client_id")?,
        client_secret: ClientSecret(row.try_get("client_secret")?),
        scopes: words(&row.try_get::<String, _>("scopes")?),
        email_domains: words(&row.try_get::<String, _>("email_domains")?),
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

/// Every provider, by organisation name.
pub async fn list(conn: &mut Conn) -> Result<Vec<IdentityProvider>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY o.name"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(provider).collect()
}

pub async fn get(conn: &mut Conn, id: IdentityProviderId) -> Result<IdentityProvider> {
    let row = sqlx::query(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    provider(&row)
}

pub async fn insert(
    conn: &mut Conn,
    id: IdentityProviderId,
    f: &ProviderFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let secret = f
        .client_secret
        .as_ref()
        .map(|s| s.0.clone())
        .unwrap_or_default();
    sqlx::query(
        "INSERT INTO identity_providers (id, organisation_id, issuer, client_id, client_secret,
                scopes, email_domains, active, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(id.to_string())
    .bind(f.organisation_id.to_string())
    .bind(&f.issuer)
    .bind(&f.client_id)
    .bind(secret)
    .bind(f.scopes.join(" "))
    .bind(f.email_domains.join(" "))
    .bind(i64::from(f.active))
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Saves the fields if the provider is still at `version`; otherwise [`StoreError::Conflict`].
pub async fn update(
    conn: &mut Conn,
    id: IdentityProviderId,
    version: i64,
    f: &ProviderFields,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE identity_providers SET organisation_id = $1, issuer = $2, client_id = $3,
                client_secret = COALESCE($4, client_secret), scopes = $5, email_domains = $6,
                active = $7, version = version + 1, updated_at = $8
         WHERE id = $9 AND version = $10",
    )
    .bind(f.organisation_id.to_string())
    .bind(&f.issuer)
    .bind(&f.client_id)
    .bind(f.client_secret.as_ref().map(|s| s.0.clone()))
    .bind(f.scopes.join(" "))
    .bind(f.email_domains.join(" "))
    .bind(i64::from(f.active))
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// A rule as stored: who made it and who confirmed it.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub id: SignOnRuleId,
    pub rule: MappingRule,
    pub team_name: Option<String>,
    pub created_by: UserId,
    pub confirmed_by: Option<UserId>,
}

pub async fn rules(conn: &mut Conn, provider: IdentityProviderId) -> Result<Vec<StoredRule>> {
    let rows = sqlx::query(
        "SELECT r.id, r.claim, r.claim_value, r.role, r.team_id, t.name AS team_name,
                r.created_by, r.confirmed_by
         FROM sign_on_rules r LEFT JOIN teams t ON t.id = r.team_id
         WHERE r.provider_id = $1 ORDER BY r.id",
    )
    .bind(provider.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let claim: String = row.try_get("claim")?;
            let value: String = row.try_get("claim_value")?;
            let role: String = row.try_get("role")?;
            let team: Option<String> = row.try_get("team_id")?;
            let confirmed_by: Option<String> = row.try_get("confirmed_by")?;
            Ok(StoredRule {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                rule: MappingRule {
                    condition: sso::condition(&claim, &value)
                        .map_err(|_| StoreError::Corrupt(format!("sign-on rule {claim}")))?,
                    role: role
                        .parse::<Role>()
                        .map_err(|_| StoreError::Corrupt(format!("role {role}")))?,
                    team: team.as_deref().map(parse_id::<TeamId>).transpose()?,
                    confirmed: confirmed_by.is_some(),
                },
                team_name: row.try_get("team_name")?,
                created_by: parse_id(&row.try_get::<String, _>("created_by")?)?,
                confirmed_by: confirmed_by.as_deref().map(parse_id).transpose()?,
            })
        })
        .collect()
}

pub async fn insert_rule(
    conn: &mut Conn,
    id: SignOnRuleId,
    provider: IdentityProviderId,
    rule: &MappingRule,
    created_by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_on_rules (id, provider_id, claim, claim_value, role, team_id,
                created_by, confirmed_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(provider.to_string())
    .bind(rule.condition.claim())
    .bind(rule.condition.value())
    .bind(rule.role.code())
    .bind(rule.team.map(|t| t.to_string()))
    .bind(created_by.to_string())
    .bind(rule.confirmed.then(|| created_by.to_string()))
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Confirms a rule of `provider` made by someone other than `by`; false when there was none.
pub async fn confirm_rule(
    conn: &mut Conn,
    provider: IdentityProviderId,
    id: SignOnRuleId,
    by: UserId,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sign_on_rules SET confirmed_by = $1
         WHERE id = $2 AND provider_id = $3 AND confirmed_by IS NULL AND created_by <> $1",
    )
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(provider.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_rule(
    conn: &mut Conn,
    provider: IdentityProviderId,
    id: SignOnRuleId,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sign_on_rules WHERE id = $1 AND provider_id = $2")
        .bind(id.to_string())
        .bind(provider.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A sign-in sent to a provider and not yet back.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub provider_id: IdentityProviderId,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_attempt(conn: &mut Conn, state_hash: &str, a: &Attempt) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_on_attempts (state_hash, provider_id, browser_hash, nonce,
                pkce_verifier, next_path, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(state_hash)
    .bind(a.provider_id.to_string())
    .bind(&a.browser_hash)
    .bind(&a.nonce)
    .bind(&a.pkce_verifier)
    .bind(&a.next_path)
    .bind(to_text(a.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the attempt with this state away (it can be answered once); `None` when there is
/// none, or another request took it first.
pub async fn take_attempt(conn: &mut Conn, state_hash: &str) -> Result<Option<Attempt>> {
    let row = sqlx::query(
        "SELECT provider_id, browser_hash, nonce, pkce_verifier, next_path, created_at
         FROM sign_on_attempts WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let taken = sqlx::query("DELETE FROM sign_on_attempts WHERE state_hash = $1")
        .bind(state_hash)
        .execute(&mut *conn)
        .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(Attempt {
        provider_id: parse_id(&row.try_get::<String, _>("provider_id")?)?,
        browser_hash: row.try_get("browser_hash")?,
        nonce: row.try_get("nonce")?,
        pkce_verifier: row.try_get("pkce_verifier")?,
        next_path: row.try_get("next_path")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
    }))
}

/// Forgets attempts started before `before` (never answered).
pub async fn prune_attempts(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sign_on_attempts WHERE created_at < $1")
            .bind(to_text(before))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// The account that is `subject` at `provider`.
pub async fn user_for_subject(
    conn: &mut Conn,
    provider: IdentityProviderId,
    subject: &str,
) -> Result<Option<UserId>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM user_identities WHERE provider_id = $1 AND subject = $2",
    )
    .bind(provider.to_string())
    .bind(subject)
    .fetch_optional(conn)
    .await?;
    id.as_deref().map(parse_id).transpose()
}

/// Whether the account signs in through any provider.
pub async fn is_federated(conn: &mut Conn, user: UserId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert_identity(
    conn: &mut Conn,
    provider: IdentityProviderId,
    subject: &str,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_identities (provider_id, subject, user_id, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(provider.to_string())
    .bind(subject)
    .bind(user.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Marks a session as signed in through `provider`.
pub async fn mark_session(
    conn: &mut Conn,
    token_hash: &str,
    provider: IdentityProviderId,
) -> Result<()> {
    sqlx::query("UPDATE sessions SET identity_provider_id = $1 WHERE token_hash = $2")
        .bind(provider.to_string())
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The provider a session was signed in through, if any.
pub async fn session_provider(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<IdentityProviderId>> {
    let id: Option<Option<String>> =
        sqlx::query_scalar("SELECT identity_provider_id FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?;
    id.flatten().as_deref().map(parse_id).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_secret_never_shows_in_debug_output() {
        let secret = ClientSecret::new("s3cret-value".into());
        assert!(!format!("{secret:?}").contains("s3cret-value"));
        assert_eq!(secret.expose(), "s3cret-value");
    }
}
