//! Signing in and out, sessions, and changing a password.

use crate::{password, Actor, AppError, Hearth, Origin};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::{audit, sessions, users, Store};
use sha2::{Digest, Sha256};

/// A new session: the token goes in the cookie and nowhere else.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub actor: Actor,
}

/// Why a sign-in was refused, in terms the page can explain.
#[derive(Debug)]
pub enum SignInRefused {
    /// The form itself needs fixing (no email, not an email address, no password).
    Invalid(FieldErrors),
    /// Wrong email or password; we do not say which.
    WrongCredentials,
    /// Too many failures on the account; try again after `until`.
    Locked {
        until: DateTime<Utc>,
    },
    /// Too many failures from this address.
    Throttled,
    Error(AppError),
}

impl From<AppError> for SignInRefused {
    fn from(e: AppError) -> Self {
        SignInRefused::Error(e)
    }
}

impl From<hearth_store::StoreError> for SignInRefused {
    fn from(e: hearth_store::StoreError) -> Self {
        SignInRefused::Error(e.into())
    }
}

/// Why a session could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum SessionProblem {
    /// No such session (never existed, signed out, or removed).
    Unknown,
    /// It timed out; the user must sign in again.
    Expired,
}

pub(crate) fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The SHA-256 of a session token, which is what the database keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token for the forms of someone who is not signed in (the sign-in form itself).
pub fn anonymous_csrf_token() -> String {
    random_token()
}

pub(crate) fn event(
    actor: Option<&Actor>,
    label: &str,
    action: AuditAction,
    origin: &Origin,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    NewAuditEvent {
        at: now,
        actor_user_id: actor.map(|a| a.user_id.to_string()),
        actor_label: label.to_string(),
        action,
        record_type: None,
        record_id: None,
        ip: origin.ip.clone(),
        reason: None,
        detail: None,
        api_token_id: actor
            .and_then(|a| a.api_token.as_ref())
            .map(|t| t.id.to_string()),
    }
}

impl Hearth {
    /// Checks an email address and password; on success opens a session.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        origin: Origin,
    ) -> Result<SignedIn, SignInRefused> {
        let mut errors = FieldErrors::new();
        let email = input::email(&mut errors, "email", email);
        if password.is_empty() {
            errors.add("password", "Enter your password");
        } else if password.chars().count() > input::PASSWORD_MAX {
            errors.add(
                "password",
                format!(
                    "Password must be {} characters or fewer",
                    input::PASSWORD_MAX
                ),
            );
        }
        if !errors.is_empty() {
            return Err(SignInRefused::Invalid(errors));
        }
        let now = self.now();
        let policy = self.policies.lockout;
        let ip = origin.ip.clone().unwrap_or_default();

        let mut conn = self.store.read().await?;
        let recent = users::address_failures_since(&mut conn, &ip, now - policy.window).await?;
        let found = users::find_for_sign_in(&mut conn, &email).await?;
        drop(conn);

        if policy.address_throttled(u32::try_from(recent).unwrap_or(u32::MAX)) {
            let mut tx = self.store.write().await?;
            let mut e = event(None, &email, AuditAction::SignInLocked, &origin, now);
            e.detail = Some(r#"{"reason":"address throttled"}"#.into());
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            return Err(SignInRefused::Throttled);
        }

        if let Some((user, _)) = &found {
            if policy.is_locked(user.locked_until, now) {
                let mut tx = self.store.write().await?;
                let mut e = event(None, &email, AuditAction::SignInLocked, &origin, now);
                e.actor_user_id = Some(user.id.to_string());
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                return Err(SignInRefused::Locked {
                    until: user.locked_until.unwrap_or(now),
                });
            }
        }

        let stored_hash = found.as_ref().map(|(_, h)| h.clone());
        let matches = password::verify(password.to_string(), stored_hash).await;
        let mut tx = self.store.write().await?;
        match found {
            Some((user, _)) if matches && user.active => {
                users::record_success(&mut tx, user.id, now).await?;
                let token = random_token();
                let csrf = random_token();
                let hash = token_hash(&token);
                sessions::insert(
                    &mut tx,
                    &sessions::NewSession {
                        token_hash: &hash,
                        user_id: user.id,
                        csrf_token: &csrf,
                        ip: origin.ip.as_deref(),
                        user_agent: origin.user_agent.as_deref(),
                    },
                    now,
                )
                .await?;
                let actor = Actor::from_user(user, csrf, hash, origin);
                audit::append(
                    &mut tx,
                    &event(
                        Some(&actor),
                        &actor.email,
                        AuditAction::SignIn,
                        &actor.origin,
                        now,
                    ),
                )
                .await?;
                Store::commit(tx).await?;
                Ok(SignedIn { token, actor })
            }
            found => {
                let mut e = event(None, &email, AuditAction::SignInFailed, &origin, now);
                let mut locked_until = None;
                if let Some((user, _)) = &found {
                    e.actor_user_id = Some(user.id.to_string());
                    if !user.active {
                        e.detail = Some(r#"{"reason":"account deactivated"}"#.into());
                    } else {
                        let before = u32::try_from(user.failed_attempts).unwrap_or(u32::MAX);
                        locked_until = policy.lock_after_failure(before, now);
                        users::record_failure(&mut tx, user.id, locked_until).await?;
                        if locked_until.is_some() {
                            e.detail = Some(r#"{"reason":"wrong password","locked":true}"#.into());
                        }
                    }
                }
                users::record_address_failure(&mut tx, &ip, &email, now).await?;
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                match locked_until {
                    Some(until) => Err(SignInRefused::Locked { until }),
                    None => Err(SignInRefused::WrongCredentials),
                }
            }
        }
    }

    /// Finds the signed-in user behind a session token, ending the session if it timed out.
    pub async fn authenticate(&self, token: &str, origin: Origin) -> Result<Actor, SessionProblem> {
        let now = self.now();
        let hash = token_hash(token);
        let found = async {
            let mut conn = self.store.read().await?;
            let Some(session) = sessions::get(&mut conn, &hash).await? else {
                return Ok::<_, AppError>(None);
            };
            let user = users::get(&mut conn, session.user_id).await?;
            Ok(Some((session, user)))
        }
        .await;
        let Ok(Some((session, user))) = found else {
            return Err(SessionProblem::Unknown);
        };
        let policy = self.policies.session;
        if !user.active || policy.is_expired(now, session.created_at, session.last_seen_at) {
            let ended = async {
                let mut tx = self.store.write().await?;
                sessions::delete(&mut tx, &hash).await?;
                let mut e = event(None, &user.email, AuditAction::SessionExpired, &origin, now);
                e.actor_user_id = Some(user.id.to_string());
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await
            }
            .await;
            if let Err(e) = ended {
                tracing::warn!(error = %e, "could not end an expired session");
            }
            return Err(SessionProblem::Expired);
        }
        if policy.should_touch(now, session.last_seen_at) {
            let touched = async {
                let mut conn = self.store.read().await?;
                sessions::touch(&mut conn, &hash, now).await
            }
            .await;
            if let Err(e) = touched {
                tracing::warn!(error = %e, "could not record session activity");
            }
        }
        Ok(Actor::from_user(user, session.csrf_token, hash, origin))
    }

    pub async fn sign_out(&self, actor: &Actor) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        sessions::delete(&mut tx, &actor.session_hash).await?;
        audit::append(
            &mut tx,
            &event(
                Some(actor),
                &actor.email,
                AuditAction::SignOut,
                &actor.origin,
                now,
            ),
        )
        .await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Changes the actor's own password and ends their other sessions.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        if current.is_empty() {
            errors.add("current_password", "Enter your current password");
        }
        input::new_password(&mut errors, "new_password", new, &actor.email);
        if errors.get("new_password").is_none() && new != confirm {
            errors.add("confirm_password", "Enter the same new password twice");
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let mut conn = self.store.read().await?;
        let stored = users::password_hash(&mut conn, actor.user_id).await?;
        drop(conn);
        if current.chars().count() > input::PASSWORD_MAX
            || !password::verify(current.to_string(), Some(stored)).await
        {
            let mut tx = self.store.write().await?;
            audit::append(
                &mut tx,
                &event(
                    Some(actor),
                    &actor.email,
                    AuditAction::PasswordChangeFailed,
                    &actor.origin,
                    now,
                ),
            )
            .await?;
            Store::commit(tx).await?;
            let mut errors = FieldErrors::new();
            errors.add("current_password", "Your current password is not correct");
            return Err(AppError::Invalid(errors));
        }
        let hash = password::hash(new.to_string()).await?;
        let mut tx = self.store.write().await?;
        users::set_password(&mut tx, actor.user_id, &hash, now).await?;
        sessions::delete_for_user(&mut tx, actor.user_id, Some(&actor.session_hash)).await?;
        audit::append(
            &mut tx,
            &event(
                Some(actor),
                &actor.email,
                AuditAction::PasswordChanged,
                &actor.origin,
                now,
            ),
        )
        .await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Removes sessions past their time-outs and forgotten sign-in failures.
    pub async fn prune_sessions(&self) -> Result<u64, AppError> {
        let now = self.now();
        let p = &self.policies;
        let mut tx = self.store.write().await?;
        let n = sessions::prune(&mut tx, now - p.session.idle, now - p.session.absolute).await?;
        users::prune_address_failures(&mut tx, now - p.lockout.window).await?;
        Store::commit(tx).await?;
        Ok(n)
    }
}
