//! Reminders of work due (issue 23 item 3): the server's housekeeping looks now and then for
//! assessments and Team Around the Family reviews on episodes a practitioner leads, plan
//! actions they own and tasks assigned to them that fall due within the partnership's days,
//! and queues one reminder per piece of work and date, by email, text or both as the user
//! chose, in their language (the outbox of ADR 0036 sends them). Each reminder is taken by
//! compare-and-set in the same transaction as its messages, so two servers, or a restart
//! mid-round, queue it once. A reminder names the kind of work and its date and links to it:
//! never a family's name or the words of an action.

use crate::messages::queue::Letter;
use crate::{AppError, Hearth};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::message::{sendable_address, Channel, Template};
use hearth_domain::plan;
use hearth_domain::reminder::{remind_now, DueWork, REMIND_DAYS};
use hearth_store::accounts::users;
use hearth_store::messages::{self, reminders};
use hearth_store::{Conn, Store};

/// When reminders of work due go.
#[derive(Debug, Clone)]
pub struct WorkReminderPolicy {
    /// Days before the work's date.
    pub days_before: i64,
}

impl Default for WorkReminderPolicy {
    fn default() -> Self {
        Self {
            days_before: REMIND_DAYS,
        }
    }
}

/// One piece of work to remind someone of.
struct Due {
    work: DueWork,
    item_id: String,
    episode: Option<EpisodeId>,
    user: UserId,
    due_on: NaiveDate,
}

impl Hearth {
    /// Queues the reminders of work now due; returns how many pieces of work were reminded.
    pub async fn queue_work_reminders(&self) -> Result<usize, AppError> {
        let days = self.policies.work_reminders.days_before;
        let today = self.now().date_naive();
        let round = self.gate.reminder_round();
        let mut conn = self.store.read().await?;
        let mut due = Vec::new();
        let timings = &self.policies.plans;
        for e in reminders::led_episodes(&mut conn, &round).await? {
            let assessment =
                plan::assessment_pending(e.assessment, e.started_on, timings.assessment_due_days);
            let review = plan::review_due(
                e.next_review_on,
                e.started_on,
                timings.review_interval_weeks,
            );
            let dated = [
                (DueWork::Assessment, assessment),
                (DueWork::Review, Some(review)),
            ];
            for (work, on) in dated {
                if let Some(due_on) = on {
                    due.push(Due {
                        work,
                        item_id: e.episode.to_string(),
                        episode: Some(e.episode),
                        user: e.lead,
                        due_on,
                    });
                }
            }
        }
        let until = today + Duration::days(days.max(0));
        for w in reminders::owned_work_due(&mut conn, &round, today, until).await? {
            due.push(Due {
                work: w.work,
                item_id: w.item_id,
                episode: w.episode,
                user: w.user,
                due_on: w.due_on,
            });
        }
        drop(conn);
        let mut reminded = 0;
        for d in due.iter().filter(|d| remind_now(d.due_on, today, days)) {
            let now = self.now();
            let mut tx = self.store.write().await?;
            let taken =
                reminders::take(&mut tx, &round, d.work, &d.item_id, d.due_on, d.user, now).await?;
            if taken && self.remind(&mut tx, d, now).await? {
                reminded += 1;
            }
            Store::commit(tx).await?;
        }
        Ok(reminded)
    }

    /// Queues one reminder of work to its user by the channels they chose.
    async fn remind(&self, tx: &mut Conn, d: &Due, now: DateTime<Utc>) -> Result<bool, AppError> {
        let episode = d.episode.map(|e| e.to_string());
        let path = d.work.path(episode.as_deref());
        let letter = Letter {
            template: Template::WorkReminder,
            values: vec![
                ("work", d.work.code().to_string()),
                ("due", d.due_on.format("%d/%m/%Y").to_string()),
            ],
            path: &path,
            record_type: if episode.is_some() { "episode" } else { "task" },
            record_id: episode.unwrap_or_else(|| d.item_id.clone()),
        };
        self.queue_reminder(tx, d.user, &letter, now).await
    }

    /// Queues a reminder (of work due, or of training running out) to a user by the channels
    /// they chose at `/account/messages`: email, text or both, in their language, inside the
    /// caller's transaction. False when none could go (an inactive account, email turned off
    /// and no number).
    pub(crate) async fn queue_reminder(
        &self,
        tx: &mut Conn,
        user: UserId,
        letter: &Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let account = users::get(tx, user).await?;
        if !account.active {
            return Ok(false);
        }
        let prefs = messages::preferences(tx, user).await?;
        let reminding = messages::reminding(tx, user).await?;
        let channels = reminding.by.channels(
            prefs.email && sendable_address(&account.email),
            reminding.mobile.is_some(),
        );
        let mut queued = false;
        for channel in channels {
            let id = match (channel, &reminding.mobile) {
                (Channel::Email, _) => self.queue_for_user(tx, user, letter.clone(), now).await?,
                (Channel::Text, Some(number)) => {
                    self.queue_text_for_user(tx, user, number, letter, now)
                        .await?
                }
                (Channel::Text, None) => None,
            };
            queued |= id.is_some();
        }
        Ok(queued)
    }
}
