//! The outbox for administrators (opened through the gate, each look audited), and each
//! user's own choices about messages (audited when changed).

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::MessageId;
use hearth_domain::input::FieldErrors;
use hearth_domain::message::{Language, MessageState};
use hearth_domain::reminder::RemindBy;
use hearth_domain::sms::{MobileNumber, NumberProblem};
use hearth_store::messages::{self, Listed, Preferences, Reminding};
use hearth_store::{audit, Store};
use serde::Deserialize;

/// A user's choices about messages as their form sends them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub language: String,
    /// How reminders of work due come: `email`, `text` or `both`.
    #[serde(default)]
    pub remind_by: String,
    /// The mobile number texts go to, as typed.
    #[serde(default)]
    pub mobile: String,
}

impl PreferencesForm {
    pub fn from_choice(p: Preferences, r: &Reminding) -> Self {
        Self {
            email: if p.email { "on" } else { "off" }.into(),
            language: p.language.code().into(),
            remind_by: r.by.code().into(),
            mobile: r
                .mobile
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }

    fn check(&self) -> Result<(Preferences, Reminding), FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = match self.email.as_str() {
            "on" => Some(true),
            "off" => Some(false),
            _ => {
                errors.add("email", "Choose whether Hearth may email you");
                None
            }
        };
        let language = Language::from_code(&self.language);
        if language.is_none() {
            errors.add("language", "Choose the language of your messages");
        }
        let by = RemindBy::from_code(&self.remind_by);
        if by.is_none() {
            errors.add(
                "remind_by",
                "Choose how Hearth reminds you of work due: email, text message or both",
            );
        }
        // A number is kept when typed, whatever the choice; texts need one.
        let mobile = match MobileNumber::parse(&self.mobile) {
            Ok(m) => Some(m),
            Err(NumberProblem::Empty) => {
                if by.is_some_and(RemindBy::needs_mobile) {
                    errors.add(
                        "mobile",
                        "Enter your mobile phone number, for reminders by text message",
                    );
                }
                None
            }
            Err(problem) => {
                errors.add("mobile", problem.message());
                None
            }
        };
        match (email, language, by) {
            (Some(email), Some(language), Some(by)) if errors.is_empty() => {
                Ok((Preferences { email, language }, Reminding { by, mobile }))
            }
            _ => Err(errors),
        }
    }
}

/// How many messages of one state the outbox page lists.
const PAGE: i64 = 100;

/// The outbox as an administrator sees it.
#[derive(Debug, Clone)]
pub struct Outbox {
    /// Messages in each state, in [`MessageState::ALL`]'s order.
    pub counts: Vec<(MessageState, i64)>,
    /// The latest messages in the state asked for.
    pub messages: Vec<Listed>,
    /// Whether a mail server is configured; without one, messages wait.
    pub email_delivered: bool,
}

impl Hearth {
    /// The outbox's latest messages in `state`, for an administrator (the look is audited;
    /// anyone else is refused, audited).
    pub async fn outbox(&self, actor: &Actor, state: MessageState) -> Result<Outbox, AppError> {
        let opened = self
            .gate
            .open_outbox(&self.viewer(actor), state.code())
            .await?;
        let mut conn = self.store.read().await?;
        Ok(Outbox {
            counts: messages::counts(&mut conn).await?,
            messages: messages::list(&mut conn, &opened, state, PAGE).await?,
            email_delivered: self.email_delivered(),
        })
    }

    /// Queues a failed message to be sent again, for an administrator (audited); a message
    /// that is not failed is left as it is (`Conflict`).
    pub async fn retry_message(&self, actor: &Actor, id: MessageId) -> Result<(), AppError> {
        let opened = self
            .gate
            .open_outbox(&self.viewer(actor), &id.to_string())
            .await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        if !messages::retry(&mut tx, &opened, id, now).await? {
            return Err(AppError::Conflict);
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::MessageRetried,
            &actor.origin,
            now,
        );
        e.record_type = Some("message");
        e.record_id = Some(id.to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The signed-in user's own choices about messages.
    pub async fn message_preferences(&self, actor: &Actor) -> Result<Preferences, AppError> {
        let mut conn = self.store.read().await?;
        Ok(messages::preferences(&mut conn, actor.user_id).await?)
    }

    /// How the signed-in user is reminded of work due, and their mobile number.
    pub async fn reminding(&self, actor: &Actor) -> Result<Reminding, AppError> {
        let mut conn = self.store.read().await?;
        Ok(messages::reminding(&mut conn, actor.user_id).await?)
    }

    /// Saves the signed-in user's choices from their form; errors name the field to fix and
    /// nothing is saved until all is right.
    pub async fn save_message_preferences(
        &self,
        actor: &Actor,
        form: &PreferencesForm,
    ) -> Result<(), AppError> {
        let (choice, reminding) = form.check().map_err(AppError::Invalid)?;
        self.save_choices(actor, choice, Some(&reminding)).await
    }

    /// Changes the signed-in user's own choices about messages (audited).
    pub async fn set_message_preferences(
        &self,
        actor: &Actor,
        choice: Preferences,
    ) -> Result<(), AppError> {
        self.save_choices(actor, choice, None).await
    }

    /// Saves the user's choices, and how they are reminded when given, audited with the
    /// number's last three digits only.
    async fn save_choices(
        &self,
        actor: &Actor,
        choice: Preferences,
        reminding: Option<&Reminding>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        messages::set_preferences(&mut tx, actor.user_id, choice).await?;
        let mut detail =
            serde_json::json!({ "email": choice.email, "language": choice.language.code() });
        if let Some(r) = reminding {
            messages::set_reminding(&mut tx, actor.user_id, r).await?;
            detail["remind_by"] = r.by.code().into();
            detail["number_ends"] = r.mobile.as_ref().map(|m| m.last_three()).into();
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::MessagePreferenceChanged,
            &actor.origin,
            now,
        );
        e.record_type = Some("user");
        e.record_id = Some(actor.user_id.to_string());
        e.detail = Some(detail.to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
