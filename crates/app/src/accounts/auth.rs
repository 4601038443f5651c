//! Signing in and out, sessions, and changing a password.

use crate::{accounts::password, Actor, AppError, Hearth, Origin};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::UserId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::second_factor::SessionFactor;
use hearth_domain::sign_in::ThrottleKey;
use hearth_store::accounts::{drafts, passkeys, second_factor, sessions, throttle, users};
use hearth_store::{audit, Store, Tx};
use sha2::{Digest, Sha256};

/// A new session: the token goes in the cookie and nowhere else.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub actor: Actor,
}

/// Why a sign-in was refused, in terms the page can explain. The answers are the same whether
/// or not an account exists for the email address.
#[derive(Debug)]
pub enum SignInRefused {
    /// The form itself needs fixing (no email, not an email address, no password).
    Invalid(FieldErrors),
    /// Wrong email or password; we do not say which.
    WrongCredentials,
    /// Too many failures for this email address or from this address: try again after
    /// `wait`. Not checked, and not counted as another failure.
    Throttled {
        wait: Duration,
    },
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
    /// It timed out; the user (named, so that what they were sending stays theirs) must sign
    /// in again.
    Expired(UserId),
}

pub(crate) fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The SHA-256 of a session token, which is what the database keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets (or their hashes) in constant time.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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

/// Opens a session for `user`, who has proved who they are (by password or their
/// organisation's provider); the caller audits how.
pub(crate) async fn open_session(
    tx: &mut Tx,
    user: users::User,
    origin: Origin,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let token = random_token();
    let csrf = random_token();
    let hash = token_hash(&token);
    sessions::insert(
        tx,
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
    Ok(SignedIn { token, actor })
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
        let policy = self.policies.throttle;
        // Both keys exist whether or not the account does, so that an unknown email is slowed
        // down, and answered, exactly like a real one.
        let account = ThrottleKey::Account.hash(&email);
        let address = ThrottleKey::Address.hash(origin.ip.as_deref().unwrap_or_default());

        let mut conn = self.store.read().await?;
        let found = users::find_for_sign_in(&mut conn, &email).await?;
        let waits = [
            throttle::blocked_until(&mut conn, ThrottleKey::Account, &account).await?,
            throttle::blocked_until(&mut conn, ThrottleKey::Address, &address).await?,
        ];
        drop(conn);

        if let Some(until) = waits.into_iter().flatten().filter(|u| *u > now).max() {
            let mut tx = self.store.write().await?;
            let mut e = event(None, &email, AuditAction::SignInThrottled, &origin, now);
            e.actor_user_id = found.as_ref().map(|(u, _)| u.id.to_string());
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            return Err(SignInRefused::Throttled { wait: until - now });
        }

        let stored_hash = found.as_ref().map(|(_, h)| h.clone());
        let matches = password::verify(password.to_string(), stored_hash).await;
        let mut tx = self.store.write().await?;
        match found {
            Some((user, _)) if matches && user.active => {
                users::record_success(&mut tx, user.id, now).await?;
                // The account's failures are forgiven; the address's are not, or one working
                // account would let an address guess at all the others.
                throttle::clear(&mut tx, ThrottleKey::Account, &account).await?;
                // A password is one factor: someone with an authenticator app gives its code
                // next, and someone whose role requires one sets it up first (ADR 0041).
                let enrolled = second_factor::get(&mut tx, user.id)
                    .await?
                    .is_some_and(|e| e.confirmed_at.is_some())
                    || passkeys::count(&mut tx, user.id).await? > 0;
                let reset = second_factor::must_enrol(&mut tx, user.id).await?;
                let factor = SessionFactor::after_password(
                    enrolled,
                    &user.roles,
                    &self.policies.second_factor.required_roles,
                    reset,
                );
                let mut signed_in = open_session(&mut tx, user, origin, now).await?;
                if factor != SessionFactor::Done {
                    second_factor::set_session_factor(
                        &mut tx,
                        &signed_in.actor.session_hash,
                        factor,
                    )
                    .await?;
                    signed_in.actor.second_factor = factor;
                }
                audit::append(
                    &mut tx,
                    &event(
                        Some(&signed_in.actor),
                        &signed_in.actor.email,
                        AuditAction::SignIn,
                        &signed_in.actor.origin,
                        now,
                    ),
                )
                .await?;
                Store::commit(tx).await?;
                Ok(signed_in)
            }
            found => {
                let mut e = event(None, &email, AuditAction::SignInFailed, &origin, now);
                if let Some((user, _)) = &found {
                    e.actor_user_id = Some(user.id.to_string());
                    if !user.active {
                        e.detail = Some(r#"{"reason":"account deactivated"}"#.into());
                    }
                }
                let forget_before = now - policy.forget_after;
                let mut wait = None;
                for (kind, key) in [
                    (ThrottleKey::Account, &account),
                    (ThrottleKey::Address, &address),
                ] {
                    let failures =
                        throttle::record_failure(&mut tx, kind, key, now, forget_before).await?;
                    if let Some(until) = policy.blocked_until(kind, failures, now) {
                        throttle::block(&mut tx, kind, key, until).await?;
                        wait = wait.max(Some(until - now));
                    }
                }
                if let Some(wait) = wait {
                    e.detail = Some(format!(
                        r#"{{"reason":"wrong password","wait_seconds":{}}}"#,
                        wait.num_seconds()
                    ));
                }
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                match wait {
                    Some(wait) => Err(SignInRefused::Throttled { wait }),
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
            return Err(SessionProblem::Expired(user.id));
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
        // Held until required training is recorded (ADR 0048); a failure to tell holds too.
        let training_held = match self.training_held(&user).await {
            Ok(held) => held,
            Err(e) => {
                tracing::warn!(error = %e, "could not read a user's training");
                true
            }
        };
        let mut actor = Actor::from_user(user, session.csrf_token, hash, origin);
        actor.second_factor = session.second_factor;
        actor.training_held = training_held;
        Ok(actor)
    }

    /// Ends the session. For a session signed in through an identity provider, returns where
    /// to send the browser to sign out there too.
    pub async fn sign_out(&self, actor: &Actor) -> Result<Option<String>, AppError> {
        let at_provider = self.provider_sign_out_url(actor).await;
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
        Ok(at_provider)
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

    /// Removes sessions past their time-outs, forgotten sign-in failures, old drafts and the
    /// find-before-create searches too old to add a person after.
    pub async fn prune_sessions(&self) -> Result<u64, AppError> {
        let now = self.now();
        let p = &self.policies;
        let mut tx = self.store.write().await?;
        let n = sessions::prune(&mut tx, now - p.session.idle, now - p.session.absolute).await?;
        throttle::prune(&mut tx, now - p.throttle.forget_after, now).await?;
        drafts::prune(&mut tx, now).await?;
        self.prune_sign_on_attempts(&mut tx).await?;
        self.prune_passkey_challenges(&mut tx).await?;
        hearth_store::family::people::prune_searches(
            &mut tx,
            now - chrono::Duration::minutes(crate::family::SEARCH_VALID_MINUTES),
        )
        .await?;
        Store::commit(tx).await?;
        Ok(n)
    }
}
