//! Nothing typed is lost: a form that arrives after its session ended (timed out, signed out
//! in another tab, or a newer session since) is kept here, and shown back in its form once
//! the same user has signed in again. They check it and send it themselves; it is never sent
//! for them.

use crate::accounts::auth::{event, random_token, token_hash};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::Duration;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::UserId;
use hearth_store::accounts::drafts::{self, NewDraft};
use hearth_store::{audit, Store};

/// How long a kept form waits for its user: a working day and a night.
pub const DRAFT_HOURS: i64 = 24;

/// A form kept for its user: where it was going and its fields (urlencoded, without
/// passwords or tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptForm {
    pub path: String,
    pub fields: String,
}

impl Hearth {
    /// Keeps a form for `owner` (when the ended session said whose it was) and returns the
    /// token that brings it back; only its hash is stored.
    pub async fn keep_draft(
        &self,
        owner: Option<UserId>,
        form: &KeptForm,
    ) -> Result<String, AppError> {
        let now = self.now();
        let token = random_token();
        let mut tx = self.store.write().await?;
        drafts::insert(
            &mut tx,
            &NewDraft {
                token_hash: &token_hash(&token),
                user_id: owner,
                path: &form.path,
                fields: &form.fields,
                expires_at: now + Duration::hours(DRAFT_HOURS),
            },
            now,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(token)
    }

    /// The kept form behind `token`, once, for the user it belongs to. A draft whose owner was
    /// not known (the session was signed out) comes back only in the browser that sent it
    /// (`held_here`): a token alone would let anyone keep a form and send its link to someone
    /// else to sign in and send. Anyone else gets nothing, and the attempt is audited; an
    /// expired draft is gone.
    pub async fn take_draft(
        &self,
        actor: &Actor,
        token: &str,
        held_here: bool,
        origin: &Origin,
    ) -> Result<Option<KeptForm>, AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let mut tx = self.store.write().await?;
        let Some(draft) = drafts::get(&mut tx, &hash).await? else {
            return Ok(None);
        };
        if draft.expires_at <= now {
            drafts::delete(&mut tx, &hash).await?;
            Store::commit(tx).await?;
            return Ok(None);
        }
        let theirs = match draft.user_id {
            Some(owner) => owner == actor.user_id,
            None => held_here,
        };
        if !theirs {
            audit::append(
                &mut tx,
                &event(
                    Some(actor),
                    &actor.email,
                    AuditAction::DraftRefused,
                    origin,
                    now,
                ),
            )
            .await?;
            Store::commit(tx).await?;
            return Ok(None);
        }
        drafts::delete(&mut tx, &hash).await?;
        Store::commit(tx).await?;
        Ok(Some(KeptForm {
            path: draft.path,
            fields: draft.fields,
        }))
    }
}
