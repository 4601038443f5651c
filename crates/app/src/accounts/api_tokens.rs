//! API tokens: a user makes their own (shown once), scoped to what one partner system needs
//! and expiring; they or an administrator can revoke it. API clients act as that user, under
//! the same access rules and audit as the pages, and every event names the token.

use crate::accounts::auth::{event, token_hash};
use crate::{Actor, ApiTokenGrant, AppError, Hearth, Origin};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Duration;
use hearth_domain::api_scope::{ApiAccess, ApiResource, ApiScope, ApiScopes, TOKEN_LIFETIMES_DAYS};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::hold::Hold;
use hearth_domain::ids::UserId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::accounts::api_tokens::{self, ApiToken, NewApiToken};
use hearth_store::{accounts::users, audit, Store};
use serde::Deserialize;
use uuid::Uuid;

/// Tokens start with this, so they are recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "hearth_";

/// A token as its owner asks for it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub token_name: String,
    /// `read` or `read_write`.
    #[serde(default)]
    pub access: String,
    /// Resource codes (`people`, `requests`, `episodes`).
    #[serde(default)]
    pub resources: Vec<String>,
    /// One of [`Hearth::token_lifetimes`], in days.
    #[serde(default)]
    pub lifetime_days: String,
}

/// Why a token was refused, as the audit log records it.
#[derive(Debug, Clone, Copy)]
enum Refused {
    Unknown,
    Revoked,
    Expired,
    InactiveUser,
    /// The owner is held (ADR 0048): their own password to choose, or required training
    /// to have recorded, first.
    Held(Hold),
}

impl Refused {
    fn code(self) -> &'static str {
        match self {
            Refused::Unknown => "unknown",
            Refused::Revoked => "revoked",
            Refused::Expired => "expired",
            Refused::InactiveUser => "account_deactivated",
            Refused::Held(hold) => hold.code(),
        }
    }
}

impl Hearth {
    /// The lifetimes an owner may choose, in days, within the partnership's maximum.
    pub fn token_lifetimes(&self) -> Vec<i64> {
        let max = self.policies.api_tokens.max_days.max(1);
        let mut days: Vec<i64> = TOKEN_LIFETIMES_DAYS
            .into_iter()
            .filter(|d| *d <= max)
            .collect();
        if days.last() != Some(&max) && days.len() < TOKEN_LIFETIMES_DAYS.len() {
            days.push(max);
        }
        days
    }

    fn check_token_form(&self, form: &TokenForm) -> Result<(String, ApiScopes, i64), AppError> {
        let mut e = FieldErrors::new();
        let name = input::required_text(
            &mut e,
            "token_name",
            "a name for the token, such as the system that will use it",
            &form.token_name,
            100,
        );
        let access = ApiAccess::from_code(&form.access);
        if access.is_none() {
            e.add(
                "access",
                "Choose whether the token only reads or also writes",
            );
        }
        let resources: Option<Vec<ApiResource>> = form
            .resources
            .iter()
            .map(|r| ApiResource::from_code(r))
            .collect();
        match &resources {
            Some(r) if !r.is_empty() => {}
            _ => e.add("resources", "Choose what the token may use"),
        }
        let days = form
            .lifetime_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| self.token_lifetimes().contains(d));
        if days.is_none() {
            e.add("lifetime_days", "Choose how long the token lasts");
        }
        e.into_result(()).map_err(AppError::Invalid)?;
        Ok((
            name,
            ApiScopes::new(
                access.unwrap_or(ApiAccess::Read),
                resources.unwrap_or_default(),
            ),
            days.unwrap_or(1),
        ))
    }

    /// Makes a token for the actor's own account; the token itself is returned once and
    /// never stored. Nobody makes tokens for someone else, and a token cannot make tokens.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        form: &TokenForm,
    ) -> Result<String, AppError> {
        if actor.api_token.is_some() {
            return Err(self.refused(actor, "user", actor.user_id.to_string()).await);
        }
        let (name, scopes, days) = self.check_token_form(form)?;
        let token = format!(
            "{TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
        );
        let id = Uuid::now_v7();
        let now = self.now();
        let expires_at = now + Duration::days(days);
        let mut tx = self.store.write().await?;
        api_tokens::insert(
            &mut tx,
            &NewApiToken {
                id,
                user: actor.user_id,
                name: &name,
                token_hash: &token_hash(&token),
                scopes: &scopes,
                expires_at,
            },
            now,
        )
        .await?;
        let mut ev = token_event(actor, AuditAction::ApiTokenCreated, actor.user_id, id, now);
        ev.detail = Some(
            serde_json::json!({
                "token_id": id.to_string(),
                "name": name,
                "access": scopes.access.code(),
                "resources": scopes.resources_text(),
                "expires_at": hearth_domain::time::to_text(expires_at),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(token)
    }

    /// The actor's own tokens.
    pub async fn own_api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(api_tokens::for_user(&mut conn, actor.user_id).await?)
    }

    /// A user's tokens, for an administrator (who may revoke them, never make them).
    pub async fn api_tokens(&self, actor: &Actor, user: UserId) -> Result<Vec<ApiToken>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(api_tokens::for_user(&mut conn, user).await?)
    }

    /// Revokes one of the actor's own tokens.
    pub async fn revoke_own_api_token(&self, actor: &Actor, token: Uuid) -> Result<(), AppError> {
        self.revoke(actor, actor.user_id, token).await
    }

    /// An administrator revokes any user's token (audited as theirs, naming the owner).
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        user: UserId,
        token: Uuid,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        self.revoke(actor, user, token).await
    }

    async fn revoke(&self, actor: &Actor, user: UserId, token: Uuid) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        api_tokens::revoke(&mut tx, token, user, now).await?;
        let ev = token_event(actor, AuditAction::ApiTokenRevoked, user, token, now);
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The user an API token acts for, if it is live and the user active. A token that is
    /// unknown, revoked or expired is refused and the refusal audited, naming at most the
    /// first characters of the token's hash (never the token).
    pub async fn authenticate_token(&self, token: &str, origin: Origin) -> Option<Actor> {
        let hash = token_hash(token);
        let now = self.now();
        let found = if token.starts_with(TOKEN_PREFIX) && token.len() <= 200 {
            let mut conn = self.store.read().await.ok()?;
            api_tokens::find(&mut conn, &hash).await.ok()?
        } else {
            None
        };
        let refused = match &found {
            None => Refused::Unknown,
            Some(t) if t.revoked_at.is_some() => Refused::Revoked,
            Some(t) if !t.is_live(&now) => Refused::Expired,
            Some(t) => {
                let mut conn = self.store.read().await.ok()?;
                let user = users::get(&mut conn, t.user_id).await.ok()?;
                drop(conn);
                let training_held = match user.active {
                    true => self.training_held(&user).await.ok()?,
                    false => false,
                };
                match (user.active, t.scopes.clone()) {
                    (true, Some(scopes)) => {
                        let mut actor = Actor::from_user(
                            user,
                            String::new(),
                            format!("api-token:{}", t.id),
                            origin.clone(),
                        );
                        actor.training_held = training_held;
                        match actor.hold() {
                            Some(hold) => Refused::Held(hold),
                            None => {
                                let mut conn = self.store.write().await.ok()?;
                                api_tokens::touch(&mut conn, t.id, now).await.ok()?;
                                Store::commit(conn).await.ok()?;
                                actor.api_token = Some(ApiTokenGrant { id: t.id, scopes });
                                return Some(actor);
                            }
                        }
                    }
                    _ => Refused::InactiveUser,
                }
            }
        };
        let mut ev = event(
            None,
            "api-token",
            AuditAction::ApiTokenRefused,
            &origin,
            now,
        );
        if let Some(t) = &found {
            ev.record_type = Some("api_token");
            ev.record_id = Some(t.id.to_string());
            ev.api_token_id = Some(t.id.to_string());
        }
        ev.detail = Some(
            serde_json::json!({"reason": refused.code(), "token_hash_prefix": &hash[..8]})
                .to_string(),
        );
        if let Err(e) = self.append_event(&ev).await {
            tracing::error!(error = %e, "could not audit a refused API token");
        }
        None
    }

    /// Records that an API call was refused because its token lacks `needed` (or the route
    /// declares no scope, so no token may use it), and answers [`AppError::Forbidden`].
    pub async fn refuse_api_scope(
        &self,
        actor: &Actor,
        needed: Option<ApiScope>,
        route: &str,
    ) -> AppError {
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ApiScopeRefused,
            &actor.origin,
            self.now(),
        );
        ev.detail = Some(
            serde_json::json!({"missing_scope": needed.map(|n| n.to_string()), "route": route})
                .to_string(),
        );
        match self.gate.refuse_as(&ev).await {
            Ok(r) => AppError::Forbidden(r),
            Err(e) => e.into(),
        }
    }
}

/// An event about a token of `owner`'s, by `actor`.
fn token_event(
    actor: &Actor,
    action: AuditAction,
    owner: UserId,
    token: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> NewAuditEvent {
    let mut ev = event(Some(actor), &actor.email, action, &actor.origin, now);
    ev.record_type = Some("user");
    ev.record_id = Some(owner.to_string());
    ev.detail = Some(serde_json::json!({"token_id": token.to_string()}).to_string());
    ev
}
