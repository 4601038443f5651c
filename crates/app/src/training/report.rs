//! The workforce development report (ADR 0048): for each course, by organisation or by team,
//! how many of the staff who must have it have done it, are due within N days, have let it run
//! out, or never did it. Counts only, never names: it is for planning courses, and is open to
//! anyone who reads the partnership's reports (analysts, managers); who in particular is due
//! is their own manager's business, on the team's page.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::returns::{Cell, Sheet};
use hearth_domain::role::Capability;
use hearth_domain::training::{Completion, Standing};
use hearth_store::accounts::users;
use hearth_store::{audit, training as store, Store};
use std::collections::BTreeMap;

/// The longest look ahead for "due", in days.
pub const WITHIN_MAX: i64 = 730;

/// How the report's rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Organisation,
    Team,
}

impl GroupBy {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "organisation" => Some(GroupBy::Organisation),
            "team" => Some(GroupBy::Team),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Organisation => "organisation",
            GroupBy::Team => "team",
        }
    }
}

/// One row: a course in one organisation (and team).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRow {
    pub course: String,
    pub course_title: String,
    pub organisation: String,
    /// Empty when grouped by organisation, or for staff in no team.
    pub team: String,
    /// Staff who must have it.
    pub required_of: usize,
    pub done: usize,
    pub due: usize,
    pub expired: usize,
    pub never_done: usize,
}

#[derive(Debug, Clone)]
pub struct TrainingReport {
    pub version: String,
    pub within_days: i64,
    pub group_by: GroupBy,
    pub rows: Vec<ReportRow>,
}

impl TrainingReport {
    /// The report as a sheet (the web writes it as CSV): one row per course and group.
    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: "Training",
            title: "Training by course",
            columns: vec![
                "course",
                "course_title",
                "organisation",
                "team",
                "required_of",
                "done",
                "due_within_days",
                "expired",
                "never_done",
            ],
            rows: self
                .rows
                .iter()
                .map(|r| {
                    let n = |v: usize| Cell::Number(i64::try_from(v).unwrap_or(i64::MAX));
                    vec![
                        Cell::Text(r.course.clone()),
                        Cell::Text(r.course_title.clone()),
                        Cell::Text(r.organisation.clone()),
                        Cell::Text(r.team.clone()),
                        n(r.required_of),
                        n(r.done),
                        n(r.due),
                        n(r.expired),
                        n(r.never_done),
                    ]
                })
                .collect(),
        }
    }
}

impl Hearth {
    /// The report, for anyone who reads the partnership's reports (audited); `within_days`
    /// counts as due.
    pub async fn training_report(
        &self,
        actor: &Actor,
        within_days: i64,
        group_by: GroupBy,
        format: &str,
    ) -> Result<TrainingReport, AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let within_days = within_days.clamp(0, WITHIN_MAX);
        let mut conn = self.store.read().await?;
        let staff = users::all_active(&mut conn).await?;
        let records = store::all_active(&mut conn).await?;
        drop(conn);
        let mut by_user: BTreeMap<_, Vec<&store::TrainingRecord>> = BTreeMap::new();
        for r in &records {
            by_user.entry(r.user_id).or_default().push(r);
        }
        let today = self.now().date_naive();
        let courses = &self.policies.training.courses;
        let mut rows: BTreeMap<(usize, String, String), ReportRow> = BTreeMap::new();
        for person in &staff {
            let theirs = by_user.get(&person.id).map(Vec::as_slice).unwrap_or(&[]);
            for (n, course) in courses.courses.iter().enumerate() {
                if !course.required_of(&person.roles) {
                    continue;
                }
                let done: Vec<Completion> = theirs
                    .iter()
                    .filter(|r| r.course == course.code)
                    .map(|r| r.completion)
                    .collect();
                let team = match group_by {
                    GroupBy::Team => person.team_name.clone().unwrap_or_default(),
                    GroupBy::Organisation => String::new(),
                };
                let row = rows
                    .entry((n, person.organisation_name.clone(), team.clone()))
                    .or_insert_with(|| ReportRow {
                        course: course.code.clone(),
                        course_title: course.title.clone(),
                        organisation: person.organisation_name.clone(),
                        team,
                        ..ReportRow::default()
                    });
                row.required_of += 1;
                match Standing::of(&done, today, within_days) {
                    Standing::Done(_) => row.done += 1,
                    Standing::DueSoon(_) => row.due += 1,
                    Standing::Expired(_) => row.expired += 1,
                    Standing::NeverDone => row.never_done += 1,
                }
            }
        }
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::TrainingReportViewed,
            &actor.origin,
            self.now(),
        );
        e.detail = Some(
            serde_json::json!({"within_days": within_days, "by": group_by.code(), "format": format})
                .to_string(),
        );
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(TrainingReport {
            version: courses.version.clone(),
            within_days,
            group_by,
            rows: rows.into_values().collect(),
        })
    }
}
