//! The Threshold of Need: read by everyone signed in (beside the request form and the
//! decision, and as the partnership's printable document), published by those who write
//! practice guidance, every edition kept.

use super::practice_event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::practice::{Part, Threshold};
use hearth_domain::role::Capability;
use hearth_store::practice::threshold::{self, Edition};
use hearth_store::Store;
use std::collections::HashMap;

/// The threshold a page shows: an edition (or Hearth's default when `edition` is `None`),
/// with the editions there are and the one in force.
#[derive(Debug, Clone)]
pub struct ThresholdInForce {
    pub threshold: Threshold,
    /// The edition shown; `None` for Hearth's default.
    pub edition: Option<Edition>,
    /// The edition in force (0: the default).
    pub in_force: i64,
    pub editions: Vec<Edition>,
}

impl ThresholdInForce {
    pub fn is_in_force(&self) -> bool {
        self.edition.as_ref().map_or(0, |e| e.number) == self.in_force
    }
}

/// The threshold as typed: one field per level and part (`level2-housing`), a note of what
/// changed, and the edition it was written from.
#[derive(Debug, Clone, Default)]
pub struct ThresholdForm {
    pub fields: HashMap<String, String>,
    pub note: String,
    pub based_on: i64,
}

impl ThresholdForm {
    /// The form filled with a threshold, to change it.
    pub fn of(t: &ThresholdInForce) -> Self {
        let mut fields = HashMap::new();
        for level in hearth_domain::continuum::ContinuumLevel::ALL {
            for part in Part::all() {
                fields.insert(part.field(level), t.threshold.text(level, part).to_string());
            }
        }
        ThresholdForm {
            fields,
            note: String::new(),
            based_on: t.in_force,
        }
    }

    pub fn get(&self, field: &str) -> &str {
        self.fields.get(field).map_or("", String::as_str)
    }
}

impl Hearth {
    /// Whether the actor writes practice guidance (refused, audited, otherwise): the edit
    /// pages ask it before showing a form.
    pub async fn may_write_guidance(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Capability::EditPracticeGuidance).await
    }

    /// The Threshold of Need: the edition in force, or `edition` (0 is Hearth's default).
    /// It is the partnership's content, not anyone's record: reading it needs only sign-in.
    pub async fn threshold(&self, edition: Option<i64>) -> Result<ThresholdInForce, AppError> {
        let mut conn = self.store.read().await?;
        let editions = threshold::editions(&mut conn).await?;
        let in_force = editions.first().map_or(0, |e| e.number);
        let wanted = edition.unwrap_or(in_force);
        let (threshold, edition) = if wanted == 0 {
            (Threshold::nottingham(), None)
        } else {
            let e = editions
                .iter()
                .find(|e| e.number == wanted)
                .cloned()
                .ok_or(AppError::NotFound)?;
            (threshold::texts(&mut conn, wanted).await?, Some(e))
        };
        Ok(ThresholdInForce {
            threshold,
            edition,
            in_force,
            editions,
        })
    }

    /// Publishes a new edition of the Threshold of Need (refused, audited, for anyone who does
    /// not write practice guidance). Returns its number.
    pub async fn publish_threshold(
        &self,
        actor: &Actor,
        form: &ThresholdForm,
    ) -> Result<i64, AppError> {
        self.require(actor, Capability::EditPracticeGuidance)
            .await?;
        let mut errors = FieldErrors::new();
        let note = input::required_text(
            &mut errors,
            "note",
            "what changed in this edition",
            &form.note,
            500,
        );
        let checked = Threshold::from_parts(|l, p| form.get(&p.field(l)).to_string());
        let threshold = match checked {
            Ok(t) if errors.is_empty() => t,
            Ok(_) => return Err(AppError::Invalid(errors)),
            Err(more) => {
                for (f, m) in more.iter() {
                    errors.add(f, m);
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let edition = threshold::publish(
            &mut tx,
            form.based_on,
            &threshold,
            &note,
            actor.user_id,
            now,
        )
        .await?;
        let e = practice_event(
            actor,
            AuditAction::ThresholdPublished,
            "threshold",
            edition.to_string(),
            now,
        );
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(edition)
    }
}
