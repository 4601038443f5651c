//! A second factor for password accounts (ADR 0041): a time-based one-time code (RFC 6238,
//! with `totp-rs`) from an authenticator app, ten single-use recovery codes, and enrolment
//! required for the roles the partnership chooses. A code is checked like a password: wrong
//! ones count towards the same waits, and each is audited; no code is accepted twice.

use crate::accounts::auth::{event, same_secret};
use crate::{Actor, AppError, Hearth};
use base64::Engine as _;
use chrono::Duration;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::UserId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_domain::role::Role;
use hearth_domain::second_factor::{
    self as factor, Code, SessionFactor, RECOVERY_CODES, STEP_SECONDS,
};
use hearth_domain::sign_in::ThrottleKey;
use hearth_store::accounts::second_factor::{self as store, TotpSecret};
use hearth_store::accounts::{passkeys, sessions, throttle, users};
use hearth_store::{audit, Store};
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// Which roles must have a second factor: the partnership's choice.
#[derive(Debug, Clone, Default)]
pub struct SecondFactorPolicy {
    pub required_roles: Vec<Role>,
}

/// What the enrolment page shows: the secret as a QR code and as text, for keyboard users and
/// those who type it into their app.
#[derive(Debug)]
pub struct EnrolmentStart {
    /// Base32, grouped in fours for reading.
    pub secret_text: String,
    /// An SVG of the `otpauth://` address, to scan.
    pub qr_svg: String,
}

/// Why a code was not accepted.
#[derive(Debug)]
pub enum CodeRefused {
    /// Not shaped like a code: what to fix.
    Invalid(FieldErrors),
    /// Wrong, used already, or too old; we do not say which.
    Wrong,
    /// Too many wrong codes: wait.
    Throttled {
        wait: Duration,
    },
    Error(AppError),
}

impl From<AppError> for CodeRefused {
    fn from(e: AppError) -> Self {
        CodeRefused::Error(e)
    }
}

impl From<hearth_store::StoreError> for CodeRefused {
    fn from(e: hearth_store::StoreError) -> Self {
        CodeRefused::Error(e.into())
    }
}

const ISSUER: &str = "Hearth";

fn totp(secret: &TotpSecret, account: &str) -> Result<Totp, AppError> {
    let bytes = Secret::try_from_base32(secret.expose())
        .map_err(|_| AppError::Internal("a stored TOTP secret is not base32".into()))?;
    Builder::new()
        .with_secret(bytes)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::Internal(format!("a TOTP: {e}")))
}

/// The SHA-256 of a normalised recovery code. The codes are random (50 bits), so a plain hash
/// is enough and lets a code be found directly.
pub(crate) fn recovery_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Ten random codes, shown as `abcde-12345`.
pub(crate) fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| ALPHABET[rand::random::<usize>() % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(format!("a QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

impl Hearth {
    fn unix_now(&self) -> u64 {
        u64::try_from(self.now().timestamp()).unwrap_or(0)
    }

    /// Whether the user has a confirmed second factor, and how many recovery codes are left.
    pub async fn second_factor_status(&self, actor: &Actor) -> Result<Option<i64>, AppError> {
        let mut conn = self.store.read().await?;
        let enrolled = store::get(&mut conn, actor.user_id)
            .await?
            .is_some_and(|e| e.confirmed_at.is_some());
        if !enrolled {
            return Ok(None);
        }
        Ok(Some(
            store::unused_recovery_codes(&mut conn, actor.user_id).await?,
        ))
    }

    /// Starts setting up a second factor with a new secret; a set-up under way keeps its own.
    pub async fn begin_second_factor(&self, actor: &Actor) -> Result<EnrolmentStart, AppError> {
        let secret = TotpSecret::new(Secret::from(rand::random::<[u8; 20]>()).to_base32());
        let mut tx = self.store.write().await?;
        let existing = store::get(&mut tx, actor.user_id).await?;
        let secret = match existing {
            // An enrolment under way keeps its secret, so a reload does not break the app
            // the user has just scanned it into.
            Some(e) if e.confirmed_at.is_none() => e.secret,
            Some(_) => {
                let mut errors = FieldErrors::new();
                errors.add("code", "You have set up a second factor already");
                return Err(AppError::Invalid(errors));
            }
            None => {
                store::begin(&mut tx, actor.user_id, &secret, self.now()).await?;
                secret
            }
        };
        Store::commit(tx).await?;
        let t = totp(&secret, &actor.email)?;
        let url = t
            .to_url()
            .map_err(|e| AppError::Internal(format!("an otpauth address: {e}")))?;
        let text = secret
            .expose()
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(EnrolmentStart {
            secret_text: text,
            qr_svg: qr_svg(&url)?,
        })
    }

    /// Finishes setting up: the code from the app proves it holds the secret. Returns the
    /// recovery codes, shown once.
    pub async fn confirm_second_factor(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<Vec<String>, CodeRefused> {
        let Ok(Code::Totp(code)) = factor::read_code(typed) else {
            let mut errors = FieldErrors::new();
            errors.add(
                "code",
                "Enter the 6 digits your authenticator app shows now, like 123456",
            );
            return Err(CodeRefused::Invalid(errors));
        };
        let mut conn = self.store.read().await?;
        let enrolment = store::get(&mut conn, actor.user_id).await?;
        drop(conn);
        let Some(enrolment) = enrolment.filter(|e| e.confirmed_at.is_none()) else {
            return Err(AppError::NotFound.into());
        };
        self.check_totp(actor, &enrolment, &code, AuditAction::SecondFactorEnrolled)
            .await?;
        let codes = new_recovery_codes();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| recovery_hash(&c.replace('-', "")))
            .collect();
        let mut tx = self.store.write().await?;
        store::confirm(&mut tx, actor.user_id, self.now()).await?;
        store::set_must_enrol(&mut tx, actor.user_id, false).await?;
        store::set_recovery_codes(&mut tx, actor.user_id, &hashes).await?;
        store::set_session_factor(&mut tx, &actor.session_hash, SessionFactor::Done).await?;
        Store::commit(tx).await?;
        Ok(codes)
    }

    /// The code asked for after a password: from the app, or a recovery code (used once).
    pub async fn pass_second_factor(&self, actor: &Actor, typed: &str) -> Result<(), CodeRefused> {
        let code = factor::read_code(typed).map_err(|m| {
            let mut errors = FieldErrors::new();
            errors.add("code", m);
            CodeRefused::Invalid(errors)
        })?;
        let mut conn = self.store.read().await?;
        let enrolment = store::get(&mut conn, actor.user_id).await?;
        drop(conn);
        match code {
            Code::Totp(code) => {
                // Someone with passkeys only has no app to take a code from: the same
                // answer as a wrong code, counted and audited.
                let Some(enrolment) = enrolment.filter(|e| e.confirmed_at.is_some()) else {
                    self.throttled(actor).await?;
                    return Err(self.wrong_code(actor).await);
                };
                self.check_totp(actor, &enrolment, &code, AuditAction::SecondFactorPassed)
                    .await?
            }
            // Recovery codes come with the first second factor, an app or a passkey.
            Code::Recovery(code) => self.check_recovery_code(actor, &code).await?,
        }
        let mut tx = self.store.write().await?;
        store::set_session_factor(&mut tx, &actor.session_hash, SessionFactor::Done).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Waits first if too many codes (or passwords) were wrong; then checks the code against
    /// the time steps still usable, takes the step so it cannot be used again, and audits.
    async fn check_totp(
        &self,
        actor: &Actor,
        enrolment: &store::Enrolment,
        code: &str,
        success: AuditAction,
    ) -> Result<(), CodeRefused> {
        self.throttled(actor).await?;
        let t = totp(&enrolment.secret, &actor.email)?;
        let step = self.unix_now() / STEP_SECONDS;
        let matched = factor::usable_steps(step, enrolment.last_step)
            .into_iter()
            .find(|s| same_secret(&t.generate(s * STEP_SECONDS).to_string(), code));
        let mut tx = self.store.write().await?;
        let taken = match matched {
            Some(s) => store::use_step(&mut tx, actor.user_id, s).await?,
            None => false,
        };
        if !taken {
            Store::commit(tx).await?;
            return Err(self.wrong_code(actor).await);
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            success,
            &actor.origin,
            self.now(),
        );
        e.detail = Some(r#"{"method":"totp"}"#.into());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    async fn check_recovery_code(&self, actor: &Actor, code: &str) -> Result<(), CodeRefused> {
        self.throttled(actor).await?;
        let mut tx = self.store.write().await?;
        if !store::use_recovery_code(&mut tx, actor.user_id, &recovery_hash(code), self.now())
            .await?
        {
            Store::commit(tx).await?;
            return Err(self.wrong_code(actor).await);
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::SecondFactorPassed,
            &actor.origin,
            self.now(),
        );
        e.detail = Some(r#"{"method":"recovery_code"}"#.into());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    fn throttle_keys(actor: &Actor) -> [(ThrottleKey, String); 2] {
        [
            (
                ThrottleKey::Account,
                ThrottleKey::Account.hash(&actor.email),
            ),
            (
                ThrottleKey::Address,
                ThrottleKey::Address.hash(actor.origin.ip.as_deref().unwrap_or_default()),
            ),
        ]
    }

    pub(crate) async fn throttled(&self, actor: &Actor) -> Result<(), CodeRefused> {
        let now = self.now();
        let mut conn = self.store.read().await?;
        let mut until = None;
        for (kind, key) in Self::throttle_keys(actor) {
            until = until.max(throttle::blocked_until(&mut conn, kind, &key).await?);
        }
        drop(conn);
        match until.filter(|u| *u > now) {
            Some(until) => {
                let mut tx = self.store.write().await?;
                let mut e = event(
                    Some(actor),
                    &actor.email,
                    AuditAction::SignInThrottled,
                    &actor.origin,
                    now,
                );
                e.detail = Some(r#"{"step":"second_factor"}"#.into());
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                Err(CodeRefused::Throttled { wait: until - now })
            }
            None => Ok(()),
        }
    }

    /// Counts a wrong code as a failed sign-in (the same waits as a wrong password) and
    /// audits it.
    async fn wrong_code(&self, actor: &Actor) -> CodeRefused {
        self.refused_with(actor, AuditAction::SecondFactorFailed, None)
            .await
    }

    /// Counts a refused second factor (a wrong code, a refused passkey, a wrong password
    /// before a passkey is changed) as a failed sign-in, and audits it as `action`.
    pub(crate) async fn refused_factor(
        &self,
        actor: &Actor,
        action: AuditAction,
        detail: &str,
    ) -> CodeRefused {
        self.refused_with(actor, action, Some(detail.to_string()))
            .await
    }

    async fn refused_with(
        &self,
        actor: &Actor,
        action: AuditAction,
        detail: Option<String>,
    ) -> CodeRefused {
        let now = self.now();
        let policy = self.policies.throttle;
        let recorded = async {
            let mut tx = self.store.write().await?;
            let mut wait = None;
            for (kind, key) in Self::throttle_keys(actor) {
                let failures =
                    throttle::record_failure(&mut tx, kind, &key, now, now - policy.forget_after)
                        .await?;
                if let Some(until) = policy.blocked_until(kind, failures, now) {
                    throttle::block(&mut tx, kind, &key, until).await?;
                    wait = wait.max(Some(until - now));
                }
            }
            let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
            e.detail = detail;
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            Ok::<_, AppError>(wait)
        }
        .await;
        match recorded {
            Ok(Some(wait)) => CodeRefused::Throttled { wait },
            Ok(None) => CodeRefused::Wrong,
            Err(e) => CodeRefused::Error(e),
        }
    }
}

impl Hearth {
    /// Whether a user has a second factor set up, for an administrator.
    pub async fn user_has_second_factor(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> Result<bool, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(store::get(&mut conn, user)
            .await?
            .is_some_and(|e| e.confirmed_at.is_some())
            || passkeys::count(&mut conn, user).await? > 0)
    }

    /// An administrator takes away a user's lost second factor, with a reason: their
    /// sessions end, and they set one up again at their next sign-in whatever their role.
    /// Nobody resets their own (that would let a stolen password sign in alone); that and
    /// anyone without the capability are refused, audited.
    pub async fn reset_second_factor(
        &self,
        actor: &Actor,
        user: UserId,
        reason: &str,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        if user == actor.user_id {
            let refusal = self
                .gate
                .refuse(
                    &self.viewer(actor),
                    Some("user"),
                    Some(user.to_string()),
                    Some(r#"{"refused":"own second factor"}"#.into()),
                )
                .await?;
            return Err(AppError::Forbidden(refusal));
        }
        let mut errors = FieldErrors::new();
        let reason = input::required_text(
            &mut errors,
            "reason",
            "why the second factor is reset",
            reason,
            500,
        );
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let account = users::get(&mut tx, user).await?;
        if store::get(&mut tx, user).await?.is_none() && passkeys::count(&mut tx, user).await? == 0
        {
            let mut errors = FieldErrors::new();
            errors.add(
                "reason",
                format!("{} has no second factor to reset", account.display_name),
            );
            return Err(AppError::Invalid(errors));
        }
        store::remove(&mut tx, user).await?;
        passkeys::remove_all(&mut tx, user).await?;
        store::set_must_enrol(&mut tx, user, true).await?;
        sessions::delete_for_user(&mut tx, user, None).await?;
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::SecondFactorReset,
            &actor.origin,
            now,
        );
        e.record_type = Some("user");
        e.record_id = Some(user.to_string());
        e.reason = Some(reason);
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// An inline image of an SVG, for an `<img>` (so the page's content security policy need not
/// allow inline SVG styles).
pub fn svg_data_uri(svg: &str) -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())
    )
}
