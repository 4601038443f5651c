//! The outbox for administrators (opened through the gate, each look audited), and each
//! user's own choices about messages (audited when changed).

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::MessageId;
use hearth_domain::input::FieldErrors;
use hearth_domain::message::{Language, MessageState};
use hearth_store::messages::{self, Listed, Preferences};
use hearth_store::{audit, Store};
use serde::Deserialize;

/// A user's choices about messages as their form sends them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub language: String,
}

impl PreferencesForm {
    pub fn from_choice(p: Preferences) -> Self {
        Self {
            email: if p.email { "on" } else { "off" }.into(),
            language: p.language.code().into(),
        }
    }

    fn check(&self) -> Result<Preferences, FieldErrors> {
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
        match (email, language) {
            (Some(email), Some(language)) => Ok(Preferences { email, language }),
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

    /// Saves the signed-in user's choices from their form; errors name the field to fix.
    pub async fn save_message_preferences(
        &self,
        actor: &Actor,
        form: &PreferencesForm,
    ) -> Result<(), AppError> {
        let choice = form.check().map_err(AppError::Invalid)?;
        self.set_message_preferences(actor, choice).await
    }

    /// Changes the signed-in user's own choices about messages (audited).
    pub async fn set_message_preferences(
        &self,
        actor: &Actor,
        choice: Preferences,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        messages::set_preferences(&mut tx, actor.user_id, choice).await?;
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::MessagePreferenceChanged,
            &actor.origin,
            now,
        );
        e.record_type = Some("user");
        e.record_id = Some(actor.user_id.to_string());
        e.detail = Some(
            serde_json::json!({ "email": choice.email, "language": choice.language.code() })
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
