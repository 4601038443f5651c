//! Reminders before a course runs out (ADR 0048): the server's housekeeping looks now and then
//! for completions running out within the partnership's days, and queues one reminder per
//! course expiry in the person's own language, by email, text or both as they chose at
//! `/account/messages`, like reminders of work due (the outbox of ADR 0036 sends the emails,
//! Kannel the texts, ADR 0049). The reminder is taken by compare-and-set in the same
//! transaction as its messages, so two servers looking at once queue it once, and a
//! completion already renewed by a later one is not reminded.

use crate::messages::queue::Letter;
use crate::training::whom_to_ask;
use crate::{AppError, Hearth};
use chrono::Duration;
use hearth_domain::message::Template;
use hearth_domain::training::reminder_due;
use hearth_store::accounts::users;
use hearth_store::training as store;
use hearth_store::Store;

impl Hearth {
    /// Queues the reminders now due; returns how many were queued.
    pub async fn queue_training_reminders(&self) -> Result<usize, AppError> {
        let policy = &self.policies.training;
        let today = self.now().date_naive();
        let until = today + Duration::days(policy.remind_days);
        let mut conn = self.store.read().await?;
        let due = store::reminders_due(&mut conn, today, until).await?;
        drop(conn);
        let mut queued = 0;
        for d in due {
            if !reminder_due(Some(d.expires_on), today, policy.remind_days, false) {
                continue;
            }
            let now = self.now();
            let mut tx = self.store.write().await?;
            if !store::take_reminder(&mut tx, d.id, d.expires_on).await? {
                continue;
            }
            // A later completion of the same course (a refresher) makes this one's end moot.
            let renewed = store::own_completions(&mut tx, d.user_id)
                .await?
                .iter()
                .any(|r| {
                    r.course == d.course
                        && r.id != d.id
                        && r.completion.expires_on.is_none_or(|e| e > d.expires_on)
                });
            if !renewed {
                let user = users::get(&mut tx, d.user_id).await?;
                let manager = match user.team_id {
                    Some(team) => users::a_manager_of(&mut tx, team).await?,
                    None => None,
                };
                let course = policy.courses.get(&d.course);
                let ask = course
                    .and_then(|c| c.ask.clone())
                    .unwrap_or_else(|| whom_to_ask(manager.as_deref()));
                let letter = Letter {
                    template: Template::TrainingReminder,
                    values: vec![
                        ("course", policy.title(&d.course)),
                        ("expires", d.expires_on.format("%d/%m/%Y").to_string()),
                        ("ask", ask),
                    ],
                    path: "/account/training",
                    record_type: "training",
                    record_id: d.user_id.to_string(),
                };
                if self
                    .queue_reminder(&mut tx, d.user_id, &letter, now)
                    .await?
                {
                    queued += 1;
                }
            }
            Store::commit(tx).await?;
        }
        Ok(queued)
    }
}
