//! Each practitioner's training (issue 23 item 6, ADR 0048): the partnership's courses and the
//! roles that must have them (configuration, [`hearth_domain::training::Courses`]), each
//! person's own page, their team manager's view of the team, recording and correcting a
//! completion (by the manager or an administrator, audited), access held until required
//! training is recorded when the partnership turns that on, reminders before a course runs
//! out ([`reminders`]) and the workforce development report ([`report`]).

pub mod record;
pub mod reminders;
pub mod report;

use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::ids::{TeamId, UserId};
use hearth_domain::role::RoleSet;
use hearth_domain::training::{self, Completion, Course, Courses, Standing, TrainingAction};
use hearth_store::accounts::users::{self, User};
use hearth_store::training::{self as store, TrainingRecord};

pub use hearth_store::training::TrainingRecord as Record;

/// The partnership's choices about training.
#[derive(Debug, Clone)]
pub struct TrainingPolicy {
    pub courses: Courses,
    /// Partner users whose required training is missing or has run out are held at their
    /// training page until it is recorded (off unless the partnership turns it on).
    pub hold_access: bool,
    /// Days before a course runs out that it counts as due, and its reminder goes.
    pub remind_days: i64,
}

impl Default for TrainingPolicy {
    fn default() -> Self {
        Self {
            courses: Courses::default(),
            hold_access: false,
            remind_days: training::REMIND_DAYS,
        }
    }
}

/// One course on someone's page: whether they must have it, and where they stand.
#[derive(Debug, Clone)]
pub struct CourseLine {
    pub course: Course,
    pub required: bool,
    pub standing: Standing,
}

/// One member of staff's training.
#[derive(Debug, Clone)]
pub struct StaffTraining {
    pub user: UserId,
    pub name: String,
    pub organisation: String,
    pub team: Option<String>,
    /// Every course they must have, then any other they have done.
    pub lines: Vec<CourseLine>,
    /// Every completion recorded, the latest first.
    pub records: Vec<TrainingRecord>,
    /// The viewer may record and correct completions here.
    pub may_record: bool,
    /// The person is held from Hearth until a missing course is recorded.
    pub held: bool,
    /// Whom to ask about the missing or due courses.
    pub ask: String,
}

impl StaffTraining {
    /// The required courses missing (never done, or run out).
    pub fn missing(&self) -> impl Iterator<Item = &CourseLine> {
        self.lines
            .iter()
            .filter(|l| l.required && l.standing.missing())
    }
}

/// A manager's team: each member's standing with each course any of them must have.
#[derive(Debug, Clone)]
pub struct TeamTraining {
    pub team: TeamId,
    pub courses: Vec<Course>,
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone)]
pub struct TeamMember {
    pub user: UserId,
    pub name: String,
    /// By the team's courses, in order; `None` where the course is not required of them.
    pub standings: Vec<Option<Standing>>,
}

impl TrainingPolicy {
    /// Where someone with `roles` stands with every course they must have, and any other
    /// they have done, from their completions, on `today`.
    pub fn lines(
        &self,
        roles: &RoleSet,
        records: &[TrainingRecord],
        today: NaiveDate,
    ) -> Vec<CourseLine> {
        self.courses
            .courses
            .iter()
            .filter_map(|c| {
                let done: Vec<Completion> = records
                    .iter()
                    .filter(|r| r.course == c.code)
                    .map(|r| r.completion)
                    .collect();
                let required = c.required_of(roles);
                (required || !done.is_empty()).then(|| CourseLine {
                    course: c.clone(),
                    required,
                    standing: Standing::of(&done, today, self.remind_days),
                })
            })
            .collect()
    }

    /// The title of a course by its code (a course the partnership withdrew keeps its code).
    pub fn title(&self, code: &str) -> String {
        self.courses
            .get(code)
            .map_or_else(|| code.to_string(), |c| c.title.clone())
    }
}

impl Hearth {
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Whether `user` is held from Hearth's pages and API until their required training is
    /// recorded. Reads nothing when the partnership has not turned the hold on.
    pub(crate) async fn training_held(&self, user: &User) -> Result<bool, AppError> {
        let policy = &self.policies.training;
        if !training::held(policy.hold_access, &user.roles, 1)
            || policy.courses.required_of(&user.roles).next().is_none()
        {
            return Ok(false);
        }
        let mut conn = self.store.read().await?;
        let records = store::own_completions(&mut conn, user.id).await?;
        let missing = policy
            .lines(&user.roles, &records, self.today())
            .iter()
            .filter(|l| l.required && l.standing.missing())
            .count();
        Ok(training::held(policy.hold_access, &user.roles, missing))
    }

    /// The signed-in user's own training.
    pub async fn own_training(&self, actor: &Actor) -> Result<StaffTraining, AppError> {
        self.staff_training(actor, actor.user_id).await
    }

    /// A member of staff's training, for themselves, their team's manager or an
    /// administrator; anyone else is refused (audited).
    pub async fn staff_training(
        &self,
        actor: &Actor,
        whose: UserId,
    ) -> Result<StaffTraining, AppError> {
        let mut conn = self.store.read().await?;
        let user = match users::get(&mut conn, whose).await {
            Ok(u) => u,
            // Someone who is not there is refused like someone who is, so ids cannot be
            // probed for.
            Err(hearth_store::StoreError::NotFound) => {
                drop(conn);
                return Err(self.refused(actor, "training", whose.to_string()).await);
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let opened = self
            .gate
            .open_training(
                &self.viewer(actor),
                whose,
                user.team_id,
                TrainingAction::Read,
            )
            .await?;
        let mut conn = self.store.read().await?;
        let records = store::records(&mut conn, &opened).await?;
        let manager = match user.team_id {
            Some(team) => users::a_manager_of(&mut conn, team).await?,
            None => None,
        };
        drop(conn);
        let policy = &self.policies.training;
        let lines = policy.lines(&user.roles, &records, self.today());
        let missing = lines
            .iter()
            .filter(|l| l.required && l.standing.missing())
            .count();
        let course_ask = lines
            .iter()
            .filter(|l| l.required && l.standing.missing())
            .find_map(|l| l.course.ask.clone());
        Ok(StaffTraining {
            user: whose,
            name: user.display_name,
            organisation: user.organisation_name,
            team: user.team_name,
            held: training::held(policy.hold_access, &user.roles, missing),
            ask: course_ask.unwrap_or_else(|| whom_to_ask(manager.as_deref())),
            lines,
            records,
            may_record: opened.may_record(),
        })
    }

    /// The manager's own team: each member's standing with the courses any of them must
    /// have. Anyone who manages no team is refused (audited).
    pub async fn team_training(&self, actor: &Actor) -> Result<TeamTraining, AppError> {
        let opened = self.gate.open_team_training(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let members = users::active_in_team(&mut conn, opened.team()).await?;
        let records = store::team_records(&mut conn, &opened).await?;
        drop(conn);
        let policy = &self.policies.training;
        let courses: Vec<Course> = policy
            .courses
            .courses
            .iter()
            .filter(|c| members.iter().any(|m| c.required_of(&m.roles)))
            .cloned()
            .collect();
        let today = self.today();
        let members = members
            .into_iter()
            .map(|m| {
                let standings = courses
                    .iter()
                    .map(|c| {
                        c.required_of(&m.roles).then(|| {
                            let done: Vec<Completion> = records
                                .iter()
                                .filter(|r| r.user_id == m.id && r.course == c.code)
                                .map(|r| r.completion)
                                .collect();
                            Standing::of(&done, today, policy.remind_days)
                        })
                    })
                    .collect();
                TeamMember {
                    user: m.id,
                    name: m.display_name,
                    standings,
                }
            })
            .collect();
        Ok(TeamTraining {
            team: opened.team(),
            courses,
            members,
        })
    }
}

/// Whom a member of staff asks about their training: their team's manager, or an
/// administrator when their team has none.
pub(crate) fn whom_to_ask(manager: Option<&str>) -> String {
    match manager {
        Some(email) => format!("your team manager ({email})"),
        None => "your Hearth administrator".into(),
    }
}
