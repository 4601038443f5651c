//! A family asking for help themselves (issue 24 item 1, ADR 0044): their answers kept as a
//! short-lived draft while they go through the pages, then sent to the front door; and the
//! front door taking the request in (`taking_in`).

mod taking_in;

pub use hearth_store::family_asks::{AskPerson, AskStatus, FamilyAsk};
pub use taking_in::{AskAtTheDoor, PersonAtTheDoor, TakeInForm};

use crate::accounts::auth::{event, random_token, token_hash};
use crate::{AppError, Hearth, Origin};
use chrono::Duration;
use hearth_domain::audit::AuditAction;
use hearth_domain::family_ask::{first_unanswered, reference, Answers, Step};
use hearth_domain::ids::FamilyAskId;
use hearth_store::family_asks::{self, NewAsk};
use hearth_store::Store;

/// How long a family's answers are kept: each partnership sets its own.
#[derive(Debug, Clone)]
pub struct FamilyAskPolicy {
    /// Minutes from starting until the answers are removed, sent or not.
    pub draft_minutes: i64,
}

impl Default for FamilyAskPolicy {
    fn default() -> Self {
        Self { draft_minutes: 120 }
    }
}

/// A family's answers so far, or that they were sent. Made once a page, so its size does not
/// matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskDraft {
    Answering(Answers),
    /// Sent, with the reference to quote.
    Sent(String),
}

impl Hearth {
    /// Starts a family's request: an empty draft, found by the token returned (only its hash
    /// is kept), which the browser holds in a cookie.
    pub async fn start_family_ask(&self) -> Result<String, AppError> {
        let now = self.now();
        let token = random_token();
        let mut tx = self.store.write().await?;
        family_asks::insert_draft(
            &mut tx,
            &token_hash(&token),
            &Answers::default(),
            now,
            now + Duration::minutes(self.policies.family_asks.draft_minutes),
        )
        .await?;
        Store::commit(tx).await?;
        Ok(token)
    }

    /// The draft behind a token, unless it expired (then the family starts again).
    pub async fn family_ask_draft(&self, token: &str) -> Result<Option<AskDraft>, AppError> {
        let mut conn = self.store.read().await?;
        let draft = family_asks::draft(&mut conn, &token_hash(token), self.now()).await?;
        Ok(draft.map(|d| match d.sent_reference {
            Some(r) => AskDraft::Sent(r),
            None => AskDraft::Answering(d.answers),
        }))
    }

    /// Keeps the answers so far. A draft that expired or was sent is not found.
    pub async fn keep_family_answers(
        &self,
        token: &str,
        answers: &Answers,
    ) -> Result<(), AppError> {
        let hash = token_hash(token);
        let mut tx = self.store.write().await?;
        if family_asks::draft(&mut tx, &hash, self.now())
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        family_asks::update_draft(&mut tx, &hash, answers).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Sends the family's request to the front door. `Ok(Err(step))` when a page is still to
    /// be answered; otherwise the reference. The draft keeps only the reference afterwards.
    pub async fn send_family_ask(
        &self,
        token: &str,
        asked_in: &str,
        origin: &Origin,
    ) -> Result<Result<String, Step>, AppError> {
        let Some(AskDraft::Answering(answers)) = self.family_ask_draft(token).await? else {
            return Err(AppError::NotFound);
        };
        let step = first_unanswered(&answers);
        if step != Step::Check {
            return Ok(Err(step));
        }
        let now = self.now();
        let reference = reference(rand::random());
        let id = FamilyAskId::new();
        // Nobody is signed in: the event names the form, not the family.
        let ev = event(
            None,
            "(a family, not signed in)",
            AuditAction::FamilyAskReceived,
            origin,
            now,
        );
        self.gate
            .receive_family_ask(
                &NewAsk {
                    id,
                    reference: &reference,
                    answers: &answers,
                    asked_in,
                    received_at: now,
                    today: now.date_naive(),
                },
                &ev,
            )
            .await?;
        let mut tx = self.store.write().await?;
        family_asks::mark_sent(&mut tx, &token_hash(token), &reference).await?;
        Store::commit(tx).await?;
        Ok(Ok(reference))
    }

    /// Housekeeping: removes families' drafts that have expired. Returns how many.
    pub async fn prune_family_ask_drafts(&self) -> Result<u64, AppError> {
        let mut tx = self.store.write().await?;
        let n = family_asks::prune_drafts(&mut tx, self.now()).await?;
        Store::commit(tx).await?;
        Ok(n)
    }
}
