//! API tokens: an administrator makes one for a user (shown once) and can revoke it; API
//! clients act as that user, under the same access rules and audit as the pages.

use crate::auth::{event, token_hash};
use crate::{Actor, AppError, Hearth, Origin};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::UserId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::api_tokens::{self, ApiToken};
use hearth_store::{audit, users, Store};
use uuid::Uuid;

/// Tokens start with this, so they are recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "hearth_";

impl Hearth {
    /// Makes a token for `user`; the token itself is returned once and never stored.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
    ) -> Result<String, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut e = FieldErrors::new();
        let name = input::required_text(
            &mut e,
            "token_name",
            "a name for the token, such as the system that will use it",
            name,
            100,
        );
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let token = format!(
            "{TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
        );
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.store.write().await?;
        users::get(&mut tx, user).await?;
        api_tokens::insert(
            &mut tx,
            id,
            user,
            &name,
            &token_hash(&token),
            Some(actor.user_id),
            now,
        )
        .await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ApiTokenCreated,
            &actor.origin,
            now,
        );
        ev.record_type = Some("user");
        ev.record_id = Some(user.to_string());
        ev.detail = Some(serde_json::json!({"token_id": id.to_string(), "name": name}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(token)
    }

    pub async fn api_tokens(&self, actor: &Actor, user: UserId) -> Result<Vec<ApiToken>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(api_tokens::for_user(&mut conn, user).await?)
    }

    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        user: UserId,
        token: Uuid,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        api_tokens::revoke(&mut tx, token, user, now).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ApiTokenRevoked,
            &actor.origin,
            now,
        );
        ev.record_type = Some("user");
        ev.record_id = Some(user.to_string());
        ev.detail = Some(serde_json::json!({"token_id": token.to_string()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The user an API token acts for, if it is live and the user active.
    pub async fn authenticate_token(&self, token: &str, origin: Origin) -> Option<Actor> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return None;
        }
        let mut conn = self.store.read().await.ok()?;
        let (id, user) = api_tokens::user_for(&mut conn, &token_hash(token), self.now())
            .await
            .ok()??;
        let user = users::get(&mut conn, user).await.ok()?;
        user.active
            .then(|| Actor::from_user(user, String::new(), format!("api-token:{id}"), origin))
    }
}
