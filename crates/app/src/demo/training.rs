//! The demo's training records (ADR 0048): a few completions for the demo accounts, recorded
//! by the demo administrator, so the training pages and the report are not empty — and one
//! course running out soon, so a reminder can be seen going.

use crate::training::record::TrainingForm;
use crate::{AppError, Hearth};
use chrono::{Datelike, Duration, Months, NaiveDate};

const ADMIN: &str = "admin@demo.hearth.test";

/// (whose, course, months ago it was done, days from today it runs out, if not by the
/// course's own months)
const RECORDS: &[(&str, &str, u32, Option<i64>)] = &[
    ("practitioner@demo.hearth.test", "induction", 14, None),
    (
        "practitioner@demo.hearth.test",
        "whole_family_working",
        12,
        None,
    ),
    // Runs out in three weeks: its reminder is due.
    (
        "practitioner@demo.hearth.test",
        "signs_of_safety",
        35,
        Some(21),
    ),
    ("worker@demo.hearth.test", "induction", 30, None),
    ("worker@demo.hearth.test", "whole_family_working", 20, None),
    ("worker@demo.hearth.test", "signs_of_safety", 8, None),
    ("worker@demo.hearth.test", "trauma_aware", 5, None),
    ("worker@demo.hearth.test", "shadowing", 29, None),
    ("lead@demo.hearth.test", "induction", 24, None),
    ("lead@demo.hearth.test", "trauma_aware", 40, None),
    ("manager@demo.hearth.test", "induction", 60, None),
    ("manager@demo.hearth.test", "signs_of_safety", 10, None),
];

fn parts(d: NaiveDate) -> (String, String, String) {
    (
        d.day().to_string(),
        d.month().to_string(),
        d.year().to_string(),
    )
}

impl Hearth {
    /// Records the demo's training unless the demo administrator has recorded some already.
    /// Returns how many completions were recorded.
    pub async fn seed_demo_training(&self) -> Result<usize, AppError> {
        let Some(admin) = self.demo_actor(ADMIN).await? else {
            return Ok(0);
        };
        let today = self.now().date_naive();
        let mut added = 0;
        for (email, course, months_ago, runs_out_in) in RECORDS {
            let Some(whose) = self.demo_actor(email).await? else {
                continue;
            };
            if added == 0
                && !self
                    .staff_training(&admin, whose.user_id)
                    .await?
                    .records
                    .is_empty()
            {
                return Ok(0);
            }
            let done = today
                .checked_sub_months(Months::new(*months_ago))
                .unwrap_or(today);
            let (day, month, year) = parts(done);
            let (eday, emonth, eyear) = match runs_out_in {
                Some(days) => parts(today + Duration::days(*days)),
                None => Default::default(),
            };
            self.record_training(
                &admin,
                whose.user_id,
                &TrainingForm {
                    course: (*course).into(),
                    done_day: day,
                    done_month: month,
                    done_year: year,
                    expires_day: eday,
                    expires_month: emonth,
                    expires_year: eyear,
                    evidence: "Attendance register of the partnership's learning team".into(),
                    version: String::new(),
                },
            )
            .await?;
            added += 1;
        }
        Ok(added)
    }
}
