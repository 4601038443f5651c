//! Reminders of work falling due (issue 23 item 3): a practitioner hears, a few days before,
//! that an assessment, a Team Around the Family review (which reviews the family plan), a plan
//! action they own or a task assigned to them falls due. Pure rules: which work is reminded,
//! when, and by which channels a user's preference sends it.

use crate::message::Channel;
use chrono::{Duration, NaiveDate};

/// How many days before its date a piece of work is reminded, unless the partnership says
/// otherwise (`work_remind_days`).
pub const REMIND_DAYS: i64 = 3;

/// The kinds of work a practitioner is reminded of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueWork {
    /// The episode's whole-family assessment, until it is submitted; its lead is reminded.
    Assessment,
    /// The episode's next Team Around the Family review, where the plan is reviewed; its lead
    /// is reminded.
    Review,
    /// An action on the family plan; the practitioner who owns it is reminded.
    Action,
    /// A task assigned to one user (not to a whole team).
    Task,
}

impl DueWork {
    pub const ALL: [DueWork; 4] = [
        DueWork::Assessment,
        DueWork::Review,
        DueWork::Action,
        DueWork::Task,
    ];

    /// The code kept with a reminder, and the selector of the message's words.
    pub fn code(self) -> &'static str {
        match self {
            DueWork::Assessment => "assessment",
            DueWork::Review => "review",
            DueWork::Action => "action",
            DueWork::Task => "task",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code)
    }

    /// Where in Hearth the reminder's link opens: the work itself on the episode, or the
    /// user's own work list for a task about no episode.
    pub fn path(self, episode: Option<&str>) -> String {
        match (self, episode) {
            (DueWork::Assessment, Some(e)) => format!("/episodes/{e}/assessment"),
            (DueWork::Review, Some(e)) => format!("/episodes/{e}/reviews/new"),
            (DueWork::Action, Some(e)) => format!("/episodes/{e}/plan"),
            (_, Some(e)) => format!("/episodes/{e}"),
            (_, None) => "/".into(),
        }
    }
}

/// Whether work due on `due_on` is reminded `today`: within `days_before` of its date and not
/// yet past it (work already overdue shows on the user's work list; a reminder "before" it
/// falls due would be late and misleading).
pub fn remind_now(due_on: NaiveDate, today: NaiveDate, days_before: i64) -> bool {
    today <= due_on && today >= due_on - Duration::days(days_before.max(0))
}

/// How a user wants to be reminded of work due, as they chose on their account page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemindBy {
    Email,
    Text,
    Both,
}

impl RemindBy {
    pub const ALL: [RemindBy; 3] = [RemindBy::Email, RemindBy::Text, RemindBy::Both];

    pub fn code(self) -> &'static str {
        match self {
            RemindBy::Email => "email",
            RemindBy::Text => "text",
            RemindBy::Both => "both",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RemindBy::Email => "By email",
            RemindBy::Text => "By text message",
            RemindBy::Both => "By email and by text message",
        }
    }

    /// Whether this choice needs a mobile number on the account.
    pub fn needs_mobile(self) -> bool {
        matches!(self, RemindBy::Text | RemindBy::Both)
    }

    /// The channels a reminder goes by, given whether the user lets Hearth email them and
    /// whether a mobile number is on their account. A text wanted without a number falls back
    /// to email (a reminder is not silently dropped); email turned off is respected.
    pub fn channels(self, email_on: bool, has_mobile: bool) -> Vec<Channel> {
        let text = self.needs_mobile() && has_mobile;
        let email = email_on && (self != RemindBy::Text || !has_mobile);
        let mut out = Vec::with_capacity(2);
        if email {
            out.push(Channel::Email);
        }
        if text {
            out.push(Channel::Text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn codes_round_trip() {
        for w in DueWork::ALL {
            assert_eq!(DueWork::from_code(w.code()), Some(w));
        }
        for r in RemindBy::ALL {
            assert_eq!(RemindBy::from_code(r.code()), Some(r));
        }
        assert_eq!(RemindBy::from_code("pigeon"), None);
    }

    #[test]
    fn work_is_reminded_within_the_days_before_it_falls_due() {
        let due = d("2026-12-10");
        let cases = [
            ("2026-12-06", 3, false),
            ("2026-12-07", 3, true),
            ("2026-12-09", 3, true),
            ("2026-12-10", 3, true),
            ("2026-12-11", 3, false),
            ("2026-12-10", 0, true),
            ("2026-12-09", 0, false),
            ("2026-12-09", -2, false),
            ("2026-11-10", 30, true),
            ("2026-11-09", 30, false),
        ];
        for (today, days, want) in cases {
            assert_eq!(remind_now(due, d(today), days), want, "{today} {days}");
        }
    }

    #[test]
    fn a_users_choice_gives_the_channels_a_reminder_goes_by() {
        use Channel::{Email, Text};
        let cases = [
            (RemindBy::Email, true, false, vec![Email]),
            (RemindBy::Email, true, true, vec![Email]),
            (RemindBy::Email, false, true, vec![]),
            (RemindBy::Text, true, true, vec![Text]),
            (RemindBy::Text, false, true, vec![Text]),
            // No number: email instead, if email is on.
            (RemindBy::Text, true, false, vec![Email]),
            (RemindBy::Text, false, false, vec![]),
            (RemindBy::Both, true, true, vec![Email, Text]),
            (RemindBy::Both, false, true, vec![Text]),
            (RemindBy::Both, true, false, vec![Email]),
        ];
        for (by, email_on, mobile, want) in cases {
            assert_eq!(
                by.channels(email_on, mobile),
                want,
                "{by:?} {email_on} {mobile}"
            );
        }
    }

    #[test]
    fn the_link_opens_the_work_itself() {
        let cases = [
            (DueWork::Assessment, Some("e1"), "/episodes/e1/assessment"),
            (DueWork::Review, Some("e1"), "/episodes/e1/reviews/new"),
            (DueWork::Action, Some("e1"), "/episodes/e1/plan"),
            (DueWork::Task, Some("e1"), "/episodes/e1"),
            (DueWork::Task, None, "/"),
        ];
        for (w, e, want) in cases {
            assert_eq!(w.path(e), want, "{w:?}");
        }
    }
}
