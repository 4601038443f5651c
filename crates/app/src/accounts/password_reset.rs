//! Password reset links. There is no email yet: an administrator makes a one-time link for a
//! user and hands it over; the user follows it, signed out, and chooses a new password. The
//! administrator never learns it, cannot make a link for their own account, and every link
//! made and used is audited.

use crate::accounts::auth::{event, random_token, token_hash};
use crate::messages::queue::Letter;
use crate::{accounts::password, Actor, AppError, Hearth, Origin};
use chrono::{DateTime, Duration, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::UserId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::message::Template;
use hearth_domain::role::Capability;
use hearth_domain::sign_in::ThrottleKey;
use hearth_store::accounts::password_resets::{self, NewReset, PasswordReset};
use hearth_store::accounts::{sessions, throttle, users};
use hearth_store::{audit, Store};
use uuid::Uuid;

/// How long a link works: long enough to hand it over today, short enough that a link
/// forgotten in a message is soon useless.
pub const LINK_HOURS: i64 = 24;

/// A link just made: emailed to the user when a mail server is configured; otherwise its
/// token is shown once, on the administrator's page. It is kept nowhere.
#[derive(Debug, Clone)]
pub struct ResetLink {
    /// The token to show, when the link was not emailed.
    pub token: Option<String>,
    /// The address the link was emailed to.
    pub sent_to: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Whose account a live link is for, to greet them on its page.
#[derive(Debug, Clone)]
pub struct ResetFor {
    pub email: String,
    pub display_name: String,
}

/// Why a link cannot be used. Unknown, used, withdrawn and expired links read alike.
#[derive(Debug)]
pub enum ResetRefused {
    /// No such link, or it was used, replaced by a newer one, or has expired.
    Dead,
    /// The new password needs fixing.
    Invalid(FieldErrors),
    Error(AppError),
}

impl<E: Into<AppError>> From<E> for ResetRefused {
    fn from(e: E) -> Self {
        ResetRefused::Error(e.into())
    }
}

impl Hearth {
    /// An administrator makes a one-time link for `user` to choose a new password. Never for
    /// their own account (refused and audited: they change their own password knowing the
    /// current one), nor for a deactivated one. A newer link withdraws the older.
    pub async fn make_password_reset(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> Result<ResetLink, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        if user == actor.user_id {
            return Err(self.refused(actor, "user", user.to_string()).await);
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let account = users::get(&mut tx, user).await?;
        if !account.active {
            let mut errors = FieldErrors::new();
            errors.add(
                "reset",
                "This account is deactivated: reactivate it before making a reset link",
            );
            return Err(AppError::Invalid(errors));
        }
        let token = random_token();
        let id = Uuid::now_v7();
        let expires_at = now + Duration::hours(LINK_HOURS);
        password_resets::insert(
            &mut tx,
            &NewReset {
                id,
                user,
                token_hash: &token_hash(&token),
                made_by: actor.user_id,
                expires_at,
            },
            now,
        )
        .await?;
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::PasswordResetLinkMade,
            &actor.origin,
            now,
        );
        e.record_type = Some("user");
        e.record_id = Some(user.to_string());
        e.detail = Some(
            serde_json::json!({ "link": id.to_string(), "expires_at": expires_at.to_rfc3339() })
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        // With a mail server the link goes to the user, and the administrator never sees it.
        let sent_to = if self.email_delivered() {
            let path = format!("/reset-password/{token}");
            let letter = Letter {
                template: Template::PasswordReset,
                values: vec![(
                    "expires",
                    expires_at.format("%d/%m/%Y %H:%M UTC").to_string(),
                )],
                path: &path,
                record_type: "user",
                record_id: user.to_string(),
            };
            self.queue_for_user(&mut tx, user, letter, now)
                .await?
                .map(|_| account.email.clone())
        } else {
            None
        };
        Store::commit(tx).await?;
        Ok(ResetLink {
            token: if sent_to.is_some() { None } else { Some(token) },
            sent_to,
            expires_at,
        })
    }

    /// The account's latest reset link (made, used or not), for its page.
    pub async fn latest_password_reset(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> Result<Option<PasswordReset>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(password_resets::latest_for(&mut conn, user).await?)
    }

    /// Whose account a link is for, while it works.
    pub async fn password_reset_for(&self, token: &str) -> Result<ResetFor, ResetRefused> {
        let (_, user) = self.live_reset(token).await?;
        Ok(ResetFor {
            email: user.email,
            display_name: user.display_name,
        })
    }

    async fn live_reset(&self, token: &str) -> Result<(PasswordReset, users::User), ResetRefused> {
        if token.len() > 100 {
            return Err(ResetRefused::Dead);
        }
        let mut conn = self.store.read().await?;
        let reset = password_resets::find(&mut conn, &token_hash(token))
            .await?
            .filter(|r| r.is_live(self.now()))
            .ok_or(ResetRefused::Dead)?;
        let user = users::get(&mut conn, reset.user_id).await?;
        if !user.active {
            return Err(ResetRefused::Dead);
        }
        Ok((reset, user))
    }

    /// The user chooses a new password through their link, signed out (`signed_in` is whoever
    /// holds a session in the browser following it: anyone signed in is refused, audited, so
    /// an administrator's own browser cannot use a link they made). The link then stops
    /// working, every session of the account ends, and its sign-in wait is over; the user
    /// signs in with the new password.
    pub async fn reset_password(
        &self,
        token: &str,
        new: &str,
        confirm: &str,
        signed_in: Option<&Actor>,
        origin: Origin,
    ) -> Result<(), ResetRefused> {
        let (reset, user) = self.live_reset(token).await?;
        if let Some(actor) = signed_in {
            return Err(ResetRefused::Error(
                self.refused(actor, "user", user.id.to_string()).await,
            ));
        }
        let mut errors = FieldErrors::new();
        input::new_password(&mut errors, "new_password", new, &user.email);
        if errors.get("new_password").is_none() && new != confirm {
            errors.add("confirm_password", "Enter the same new password twice");
        }
        if !errors.is_empty() {
            return Err(ResetRefused::Invalid(errors));
        }
        let hash = password::hash(new.to_string()).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        // Two sends of the form at once: only the first uses the link.
        if !password_resets::use_once(&mut tx, reset.id, now).await? {
            return Err(ResetRefused::Dead);
        }
        users::set_password(&mut tx, user.id, &hash, now).await?;
        sessions::delete_for_user(&mut tx, user.id, None).await?;
        throttle::clear(
            &mut tx,
            ThrottleKey::Account,
            &ThrottleKey::Account.hash(&user.email),
        )
        .await?;
        // The link is who they are: the event names the account and the link, as the user.
        let mut e = event(None, &user.email, AuditAction::PasswordReset, &origin, now);
        e.actor_user_id = Some(user.id.to_string());
        e.record_type = Some("user");
        e.record_id = Some(user.id.to_string());
        e.detail = Some(
            serde_json::json!({ "link": reset.id.to_string(), "made_by": reset.made_by.to_string() })
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
