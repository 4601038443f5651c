//! Passkeys (WebAuthn) as a second factor for password accounts (ADR 0051), with
//! `webauthn-rs`: its passkey ceremonies require user verification (a PIN or a fingerprint on
//! the authenticator), ask for no attestation, and check every signature, origin, challenge
//! and signature counter themselves. Hearth keeps the challenges server side, one per session
//! and purpose, answered once and within a few minutes; asks for the password again before a
//! passkey is added or removed; counts a refused passkey in the sign-in throttle like a wrong
//! code; and audits every registration, use, refusal and removal.

use crate::accounts::auth::event;
use crate::accounts::password;
use crate::accounts::second_factor::CodeRefused;
use crate::{Actor, AppError, Hearth};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::PasskeyId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::passkey::{self as rules, Purpose, CHALLENGE_MINUTES};
use hearth_domain::second_factor::SessionFactor;
use hearth_store::accounts::passkeys::{self as store, Challenge, StoredPasskey};
use hearth_store::accounts::{second_factor, users};
use hearth_store::{audit, Store, StoreError};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

/// A passkey as its owner sees it in their list.
#[derive(Debug, Clone)]
pub struct PasskeySummary {
    pub id: PasskeyId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A passkey just registered.
#[derive(Debug)]
pub struct Registered {
    pub name: String,
    /// Recovery codes, shown once, when this passkey is the user's first second factor (so
    /// a lost passkey, or a browser without JavaScript, does not lock them out).
    pub recovery_codes: Vec<String>,
}

/// The relying party: Hearth at its public address. WebAuthn ties a passkey to a domain
/// name, so an address by IP number (a test server's) has none.
fn relying_party(public_url: &str) -> Result<Webauthn, AppError> {
    let url = Url::parse(public_url)
        .map_err(|e| AppError::Internal(format!("public_url {public_url:?}: {e}")))?;
    let domain = url.domain().ok_or_else(|| {
        AppError::Internal(format!(
            "passkeys need public_url to name the site by its domain name, not {public_url:?}"
        ))
    })?;
    WebauthnBuilder::new(domain, &url)
        .map(|b| b.rp_name("Hearth"))
        .and_then(|b| b.build())
        .map_err(|e| AppError::Internal(format!("passkeys for {public_url:?}: {e}")))
}

fn credential_text(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

fn json_error(what: &str, e: serde_json::Error) -> AppError {
    AppError::Internal(format!("{what}: {e}"))
}

fn field_error(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}

impl Hearth {
    /// Whether passkeys can be offered: the public address names a domain.
    pub fn passkeys_offered(&self) -> bool {
        relying_party(&self.policies.messages.public_url).is_ok()
    }

    fn webauthn(&self) -> Result<Webauthn, AppError> {
        relying_party(&self.policies.messages.public_url)
    }

    /// The user's own passkeys, oldest first.
    pub async fn passkeys(&self, actor: &Actor) -> Result<Vec<PasskeySummary>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(store::for_user(&mut conn, actor.user_id)
            .await?
            .into_iter()
            .map(|p| PasskeySummary {
                id: p.id,
                name: p.name,
                created_at: p.created_at,
                last_used_at: p.last_used_at,
            })
            .collect())
    }

    /// The password again before a passkey is added or removed: a session left open on a
    /// shared computer must not be enough to give someone else a way in, or take the
    /// owner's away. A wrong one waits and is audited like any wrong password.
    async fn reauthenticate(&self, actor: &Actor, typed: &str) -> Result<(), CodeRefused> {
        if typed.is_empty() {
            return Err(CodeRefused::Invalid(field_error(
                "password",
                "Enter your password",
            )));
        }
        self.throttled(actor).await?;
        let mut conn = self.store.read().await?;
        let stored = users::password_hash(&mut conn, actor.user_id).await?;
        drop(conn);
        if typed.chars().count() > input::PASSWORD_MAX
            || !password::verify(typed.to_string(), Some(stored)).await
        {
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"reason":"wrong password"}"#,
                )
                .await);
        }
        Ok(())
    }

    /// Starts adding a passkey named `name`, after the password: the options for the
    /// browser's `navigator.credentials.create`, as JSON. The challenge stays here.
    pub async fn begin_passkey_registration(
        &self,
        actor: &Actor,
        name: &str,
        password: &str,
    ) -> Result<String, CodeRefused> {
        let mut errors = FieldErrors::new();
        let name = rules::read_name(&mut errors, "name", name);
        if password.is_empty() {
            errors.add("password", "Enter your password");
        }
        if !errors.is_empty() {
            return Err(CodeRefused::Invalid(errors));
        }
        let webauthn = self.webauthn()?;
        self.reauthenticate(actor, password).await?;
        let mut conn = self.store.read().await?;
        let mine = store::for_user(&mut conn, actor.user_id).await?;
        drop(conn);
        if mine.iter().any(|p| p.name.eq_ignore_ascii_case(&name)) {
            return Err(CodeRefused::Invalid(field_error(
                "name",
                format!("You have a passkey called {name} already: give this one another name"),
            )));
        }
        // The authenticator is told which passkeys it holds for this account already, so
        // it does not make a second one.
        let exclude = mine
            .iter()
            .map(|p| URL_SAFE_NO_PAD.decode(&p.credential_id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(format!("a stored credential id: {e}")))?;
        let (options, state) = webauthn
            .start_passkey_registration(
                actor.user_id.0,
                &actor.email,
                &actor.display_name,
                (!exclude.is_empty()).then_some(exclude),
            )
            .map_err(|e| AppError::Internal(format!("starting a passkey registration: {e}")))?;
        let challenge = Challenge {
            user_id: actor.user_id,
            name: Some(name),
            state: serde_json::to_string(&state).map_err(|e| json_error("a registration", e))?,
            created_at: self.now(),
        };
        let mut tx = self.store.write().await?;
        store::put_challenge(
            &mut tx,
            &actor.session_hash,
            Purpose::Registration,
            &challenge,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(serde_json::to_string(&options).map_err(|e| json_error("registration options", e))?)
    }

    /// Takes the session's challenge for `purpose` away; `None` when there is none, it is
    /// another user's, or it is too old to answer.
    async fn take_challenge(
        &self,
        actor: &Actor,
        purpose: Purpose,
    ) -> Result<Option<Challenge>, AppError> {
        let mut tx = self.store.write().await?;
        let taken = store::take_challenge(&mut tx, &actor.session_hash, purpose).await?;
        Store::commit(tx).await?;
        let oldest = self.now() - Duration::minutes(CHALLENGE_MINUTES);
        Ok(taken.filter(|c| c.user_id == actor.user_id && c.created_at >= oldest))
    }

    /// Finishes adding a passkey with the browser's answer (JSON). Its first second factor
    /// ends a hold for enrolment, and comes with recovery codes.
    pub async fn finish_passkey_registration(
        &self,
        actor: &Actor,
        answer: &str,
    ) -> Result<Registered, CodeRefused> {
        let webauthn = self.webauthn()?;
        let Some(challenge) = self.take_challenge(actor, Purpose::Registration).await? else {
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"step":"registration","reason":"no challenge, or too old"}"#,
                )
                .await);
        };
        let state: PasskeyRegistration = serde_json::from_str(&challenge.state)
            .map_err(|e| json_error("a stored registration", e))?;
        let registered = serde_json::from_str::<RegisterPublicKeyCredential>(answer)
            .ok()
            .and_then(|answer| {
                webauthn
                    .finish_passkey_registration(&answer, &state)
                    .map_err(|e| tracing::info!(error = %e, "a passkey registration refused"))
                    .ok()
            });
        let Some(passkey) = registered else {
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"step":"registration","reason":"answer refused"}"#,
                )
                .await);
        };
        let name = challenge.name.unwrap_or_else(|| "Passkey".into());
        let now = self.now();
        let row = StoredPasskey {
            id: PasskeyId::new(),
            user_id: actor.user_id,
            name: name.clone(),
            credential_id: credential_text(passkey.cred_id()),
            passkey: serde_json::to_string(&passkey).map_err(|e| json_error("a passkey", e))?,
            created_at: now,
            last_used_at: None,
        };
        let mut tx = self.store.write().await?;
        let totp = second_factor::get(&mut tx, actor.user_id)
            .await?
            .is_some_and(|e| e.confirmed_at.is_some());
        let first = !totp && store::count(&mut tx, actor.user_id).await? == 0;
        match store::add(&mut tx, &row).await {
            Err(StoreError::Duplicate) => {
                return Err(CodeRefused::Invalid(field_error(
                    "name",
                    "That passkey is registered already",
                )))
            }
            other => other?,
        }
        let recovery_codes = if first {
            let codes = crate::accounts::second_factor::new_recovery_codes();
            let hashes: Vec<String> = codes
                .iter()
                .map(|c| crate::accounts::second_factor::recovery_hash(&c.replace('-', "")))
                .collect();
            second_factor::set_recovery_codes(&mut tx, actor.user_id, &hashes).await?;
            codes
        } else {
            Vec::new()
        };
        second_factor::set_must_enrol(&mut tx, actor.user_id, false).await?;
        if actor.second_factor == SessionFactor::MustEnrol {
            second_factor::set_session_factor(&mut tx, &actor.session_hash, SessionFactor::Done)
                .await?;
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::PasskeyRegistered,
            &actor.origin,
            now,
        );
        e.record_type = Some("passkey");
        e.record_id = Some(row.id.to_string());
        e.detail = Some(serde_json::json!({ "name": name }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(Registered {
            name,
            recovery_codes,
        })
    }

    /// Whether the user has a passkey to give at the code prompt.
    pub async fn has_passkeys(&self, actor: &Actor) -> Result<bool, AppError> {
        let mut conn = self.store.read().await?;
        Ok(store::count(&mut conn, actor.user_id).await? > 0)
    }

    /// Starts giving a passkey after the password: the options for the browser's
    /// `navigator.credentials.get`, as JSON, naming the user's own passkeys only.
    pub async fn begin_passkey_sign_in(&self, actor: &Actor) -> Result<String, CodeRefused> {
        let webauthn = self.webauthn()?;
        self.throttled(actor).await?;
        let mut conn = self.store.read().await?;
        let mine = store::for_user(&mut conn, actor.user_id).await?;
        drop(conn);
        let passkeys = mine
            .iter()
            .map(|p| serde_json::from_str::<Passkey>(&p.passkey))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| json_error("a stored passkey", e))?;
        if passkeys.is_empty() {
            return Err(CodeRefused::Invalid(field_error(
                "code",
                "You have no passkey: enter the code from your authenticator app, or a recovery code",
            )));
        }
        let (options, state) = webauthn
            .start_passkey_authentication(&passkeys)
            .map_err(|e| AppError::Internal(format!("starting a passkey sign-in: {e}")))?;
        let challenge = Challenge {
            user_id: actor.user_id,
            name: None,
            state: serde_json::to_string(&state).map_err(|e| json_error("a sign-in", e))?,
            created_at: self.now(),
        };
        let mut tx = self.store.write().await?;
        store::put_challenge(&mut tx, &actor.session_hash, Purpose::SignIn, &challenge).await?;
        Store::commit(tx).await?;
        Ok(serde_json::to_string(&options).map_err(|e| json_error("sign-in options", e))?)
    }

    /// Checks the browser's answer (JSON) to the sign-in challenge: one of the user's
    /// passkeys, verified by the authenticator, signed over this challenge, its counter
    /// moving on. The session's second factor is then given.
    pub async fn pass_with_passkey(&self, actor: &Actor, answer: &str) -> Result<(), CodeRefused> {
        let webauthn = self.webauthn()?;
        self.throttled(actor).await?;
        let Some(challenge) = self.take_challenge(actor, Purpose::SignIn).await? else {
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"step":"sign_in","reason":"no challenge, or too old"}"#,
                )
                .await);
        };
        let state: PasskeyAuthentication = serde_json::from_str(&challenge.state)
            .map_err(|e| json_error("a stored sign-in", e))?;
        let checked = serde_json::from_str::<PublicKeyCredential>(answer)
            .ok()
            .and_then(|answer| {
                webauthn
                    .finish_passkey_authentication(&answer, &state)
                    .map_err(|e| tracing::info!(error = %e, "a passkey sign-in refused"))
                    .ok()
            });
        let Some(result) = checked else {
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"step":"sign_in","reason":"answer refused"}"#,
                )
                .await);
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let used = credential_text(result.cred_id());
        let Some(stored) = store::for_user(&mut tx, actor.user_id)
            .await?
            .into_iter()
            .find(|p| p.credential_id == used)
        else {
            // Removed between the challenge and the answer.
            Store::commit(tx).await?;
            return Err(self
                .refused_factor(
                    actor,
                    AuditAction::PasskeyFailed,
                    r#"{"step":"sign_in","reason":"passkey removed"}"#,
                )
                .await);
        };
        // The counter and backup flags move on as the crate advises (a counter that went
        // backwards was refused above, as a sign of a copied authenticator).
        let mut passkey: Passkey =
            serde_json::from_str(&stored.passkey).map_err(|e| json_error("a stored passkey", e))?;
        passkey.update_credential(&result);
        let updated = serde_json::to_string(&passkey).map_err(|e| json_error("a passkey", e))?;
        store::record_use(&mut tx, stored.id, &updated, now).await?;
        second_factor::set_session_factor(&mut tx, &actor.session_hash, SessionFactor::Done)
            .await?;
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::PasskeyUsed,
            &actor.origin,
            now,
        );
        e.record_type = Some("passkey");
        e.record_id = Some(stored.id.to_string());
        e.detail = Some(serde_json::json!({ "name": stored.name }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Removes one of the user's own passkeys, after the password; its name.
    pub async fn remove_passkey(
        &self,
        actor: &Actor,
        id: PasskeyId,
        password: &str,
    ) -> Result<String, CodeRefused> {
        self.reauthenticate(actor, password).await?;
        let mut tx = self.store.write().await?;
        let Some(name) = store::remove(&mut tx, actor.user_id, id).await? else {
            return Err(AppError::NotFound.into());
        };
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::PasskeyRemoved,
            &actor.origin,
            self.now(),
        );
        e.record_type = Some("passkey");
        e.record_id = Some(id.to_string());
        e.detail = Some(serde_json::json!({ "name": name }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(name)
    }

    /// Forgets challenges never answered.
    pub(crate) async fn prune_passkey_challenges(
        &self,
        tx: &mut hearth_store::Tx,
    ) -> Result<(), AppError> {
        store::prune_challenges(tx, self.now() - Duration::minutes(CHALLENGE_MINUTES)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passkeys_need_a_domain_name() {
        assert!(relying_party("https://hearth.example.gov.uk").is_ok());
        assert!(relying_party("http://localhost:8080").is_ok());
        assert!(relying_party("http://127.0.0.1:8080").is_err());
        assert!(relying_party("not a url").is_err());
    }
}
