//! Each practitioner's training (issue 23 item 6, ADR 0048): the partnership's courses and
//! which roles must have done them, when a course done on a day runs out, where someone stands
//! with each course (done, due soon, expired, never done), who is held from Hearth until their
//! required training is recorded, and when a reminder goes before a course runs out.
//!
//! The courses are configuration (like the KPI catalogue and the outcome framework): the
//! defaults are seed 000's "Training" section — an individual plan with Whole Family Working,
//! Signs of Safety and Trauma Aware practice, induction, shadowing and six-monthly events —
//! and a partnership changes them with a file of lines under a `version` of its own.

use crate::ids::{TeamId, UserId};
use crate::role::{Capability, Role, RoleSet};
use chrono::{Months, NaiveDate};

/// The version of the shipped courses; a partnership's file names its own.
pub const DEFAULT_VERSION: &str = "hearth-1";
/// Days before a course runs out that its reminder goes, unless the partnership says.
pub const REMIND_DAYS: i64 = 30;
/// The longest a course may stay valid, in months (ten years).
pub const VALID_MONTHS_MAX: u32 = 120;

/// One course the partnership runs or recognises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// The stable code a record keeps (`signs_of_safety`).
    pub code: String,
    pub title: String,
    /// Months a completion stays valid; `None`: done once, never runs out (induction).
    pub valid_months: Option<u32>,
    /// The roles that must have it.
    pub required_for: Vec<Role>,
    /// Whom to ask to book it (a team, an address), shown to whoever needs it.
    pub ask: Option<String>,
}

impl Course {
    /// When a completion on `done_on` runs out: that many months later, or never.
    pub fn expires_on(&self, done_on: NaiveDate) -> Option<NaiveDate> {
        self.valid_months
            .and_then(|m| done_on.checked_add_months(Months::new(m)))
    }

    /// Whether someone with `roles` must have done it.
    pub fn required_of(&self, roles: &RoleSet) -> bool {
        self.required_for.iter().any(|r| roles.has(*r))
    }
}

/// The partnership's courses, under a version the report names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Courses {
    pub version: String,
    pub courses: Vec<Course>,
}

/// Every role whose work reaches families' records: the people seed 000 says need the
/// partnership's training.
fn front_line() -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| r.over_family_records())
        .collect()
}

impl Default for Courses {
    fn default() -> Self {
        let course = |code: &str, title: &str, valid_months, required_for: Vec<Role>| Course {
            code: code.into(),
            title: title.into(),
            valid_months,
            required_for,
            ask: None,
        };
        Self {
            version: DEFAULT_VERSION.into(),
            courses: vec![
                course("induction", "Early Help induction", None, front_line()),
                course(
                    "whole_family_working",
                    "Whole Family Working",
                    Some(36),
                    front_line(),
                ),
                course("signs_of_safety", "Signs of Safety", Some(36), front_line()),
                course(
                    "trauma_aware",
                    "Trauma Aware practice",
                    Some(36),
                    front_line(),
                ),
                course(
                    "shadowing",
                    "Shadowing an experienced colleague",
                    None,
                    vec![],
                ),
                course(
                    "practice_event",
                    "Six-monthly practice development event",
                    Some(6),
                    vec![],
                ),
            ],
        }
    }
}

/// A course code: lower-case letters, digits and underscores, as other codes are.
fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 60
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Courses {
    /// The shipped courses changed by the partnership's lines: `version = …`, or
    /// `<course>.<field> = value` where the field is `title`, `valid_months` (a number, or
    /// `never`), `required` (role codes, comma-separated, or `none`) or `ask`; a new code
    /// with a `title` adds a course, and `<course>.withdrawn = yes` takes one away. `#` starts
    /// a comment; an error names its line. Any change needs a new `version`, so the report
    /// says which list it measured against.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let mut c = Self::default();
        let mut changed = false;
        let mut versioned = false;
        for line in crate::overrides::lines(text) {
            let line = line?;
            let at = |why: &str| line.error(why);
            let (key, value) = (line.key, line.value);
            if key == "version" {
                if value.is_empty() || value == DEFAULT_VERSION {
                    return Err(at("give the partnership's courses their own version"));
                }
                c.version = value.into();
                versioned = true;
                continue;
            }
            let (code, field) = key
                .split_once('.')
                .ok_or_else(|| at("expected `course.field = value`"))?;
            if !is_code(code) {
                return Err(at(&format!(
                    "`{code}` is not a course code: use lower-case letters, digits and _"
                )));
            }
            if !c.courses.iter().any(|k| k.code == code) {
                if field != "title" {
                    return Err(at(&format!(
                        "no course `{code}`: give a new course its `title` first"
                    )));
                }
                c.courses.push(Course {
                    code: code.into(),
                    title: String::new(),
                    valid_months: None,
                    required_for: vec![],
                    ask: None,
                });
            }
            let course = c
                .courses
                .iter_mut()
                .find(|k| k.code == code)
                .ok_or_else(|| at("the course was lost"))?;
            match field {
                "title" | "ask" if value.is_empty() => return Err(at("the words are missing")),
                "title" => course.title = value.into(),
                "ask" => course.ask = Some(value.into()),
                "valid_months" if value == "never" => course.valid_months = None,
                "valid_months" => {
                    course.valid_months = Some(
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|m| (1..=VALID_MONTHS_MAX).contains(m))
                            .ok_or_else(|| {
                                at(&format!(
                                    "valid_months is `never` or a whole number from 1 to {VALID_MONTHS_MAX}"
                                ))
                            })?,
                    )
                }
                "required" if value == "none" => course.required_for = vec![],
                "required" => {
                    course.required_for = value
                        .split(',')
                        .map(|r| r.trim().parse::<Role>().map_err(|e| at(&e.to_string())))
                        .collect::<Result<_, _>>()?
                }
                "withdrawn" if value == "yes" => {
                    c.courses.retain(|k| k.code != code);
                }
                _ => return Err(at(&format!("no field `{field}` for a course"))),
            }
            changed = true;
        }
        if changed && !versioned {
            return Err("the courses changed: give them a new `version`".into());
        }
        Ok(c)
    }

    pub fn get(&self, code: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.code == code)
    }

    /// The courses someone with `roles` must have done.
    pub fn required_of<'a>(&'a self, roles: &'a RoleSet) -> impl Iterator<Item = &'a Course> {
        self.courses.iter().filter(move |c| c.required_of(roles))
    }
}

/// One completion of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub done_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

/// Where someone stands with one course on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Done, and valid beyond the reminder window (or never runs out).
    Done(Completion),
    /// Done, and runs out within the reminder window: book it again.
    DueSoon(Completion),
    /// Ran out on `expires_on`.
    Expired(Completion),
    NeverDone,
}

impl Standing {
    /// Where someone stands with a course from its completions, on `today`, when `due_days`
    /// before running out counts as due. The completion that lasts longest counts (a
    /// refresher recorded before an older one's end replaces it).
    pub fn of(completions: &[Completion], today: NaiveDate, due_days: i64) -> Self {
        let best = completions
            .iter()
            .filter(|c| c.done_on <= today)
            .max_by_key(|c| (c.expires_on.is_none(), c.expires_on, c.done_on));
        match best {
            None => Standing::NeverDone,
            Some(c) => match c.expires_on {
                Some(end) if end <= today => Standing::Expired(*c),
                Some(end) if (end - today).num_days() <= due_days => Standing::DueSoon(*c),
                _ => Standing::Done(*c),
            },
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Standing::Done(_) => "done",
            Standing::DueSoon(_) => "due",
            Standing::Expired(_) => "expired",
            Standing::NeverDone => "never_done",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Done(_) => "Done",
            Standing::DueSoon(_) => "Due soon",
            Standing::Expired(_) => "Expired",
            Standing::NeverDone => "Not done",
        }
    }

    /// Whether a required course in this standing is missing: never done, or run out.
    pub fn missing(self) -> bool {
        matches!(self, Standing::Expired(_) | Standing::NeverDone)
    }
}

/// Whether someone is held from Hearth's other pages until their training is recorded: the
/// partnership has turned the hold on, and a required course is missing. Administrators are
/// never held, so that someone can always sign in to put things right.
pub fn held(hold_on: bool, roles: &RoleSet, required_missing: usize) -> bool {
    hold_on && required_missing > 0 && !roles.has(Role::Administrator)
}

/// Whether a completion's reminder is due on `today`: it runs out within `days_before`, has
/// not run out yet, and no reminder went for this end date (one per course expiry).
pub fn reminder_due(
    expires_on: Option<NaiveDate>,
    today: NaiveDate,
    days_before: i64,
    reminded: bool,
) -> bool {
    match expires_on {
        Some(end) => !reminded && end > today && (end - today).num_days() <= days_before,
        None => false,
    }
}

/// Who is looking at, or recording, a member of staff's training.
#[derive(Debug, Clone, Copy)]
pub struct Looker<'a> {
    pub user: UserId,
    pub team: Option<TeamId>,
    pub roles: &'a RoleSet,
}

/// What someone wants to do with a member of staff's training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingAction {
    Read,
    Record,
}

/// Whether `looker` may `action` the training of the member of staff `whose` in team `team`.
/// Anyone reads their own; their team's manager reads and records it; an administrator reads
/// and records anyone's. Nobody records their own: a completion is vouched for by someone
/// else, which is what lets it open Hearth for a held user.
pub fn may(
    looker: Looker<'_>,
    whose: UserId,
    team: Option<TeamId>,
    action: TrainingAction,
) -> bool {
    let own = looker.user == whose;
    let manager =
        looker.roles.can(Capability::AllocateWork) && team.is_some() && looker.team == team;
    let administrator = looker.roles.can(Capability::ManageUsers);
    match action {
        TrainingAction::Read => own || manager || administrator,
        TrainingAction::Record => !own && (manager || administrator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn done(on: &str, until: Option<&str>) -> Completion {
        Completion {
            done_on: d(on),
            expires_on: until.map(d),
        }
    }

    #[test]
    fn standing_on_a_day() {
        let today = d("2026-12-06");
        let cases: [(&[Completion], &str); 8] = [
            (&[], "never_done"),
            (&[done("2025-01-01", None)], "done"),
            (&[done("2025-01-01", Some("2027-06-01"))], "done"),
            (&[done("2024-01-01", Some("2027-01-05"))], "due"),
            (&[done("2024-01-01", Some("2026-12-06"))], "expired"),
            (&[done("2023-01-01", Some("2026-01-01"))], "expired"),
            // A refresher replaces the completion running out.
            (
                &[
                    done("2023-01-01", Some("2026-01-01")),
                    done("2026-11-01", Some("2029-11-01")),
                ],
                "done",
            ),
            // A completion dated in the future does not count yet.
            (&[done("2027-01-01", Some("2030-01-01"))], "never_done"),
        ];
        for (completions, expected) in cases {
            assert_eq!(
                Standing::of(completions, today, 30).code(),
                expected,
                "{completions:?}"
            );
        }
        assert!(Standing::NeverDone.missing());
        assert!(Standing::Expired(done("2020-01-01", Some("2021-01-01"))).missing());
        assert!(!Standing::DueSoon(done("2020-01-01", Some("2027-01-01"))).missing());
    }

    #[test]
    fn a_course_runs_out_after_its_months() {
        let c = Courses::default();
        let sos = c
            .get("signs_of_safety")
            .map(|k| k.expires_on(d("2024-02-29")));
        assert_eq!(sos, Some(Some(d("2027-02-28"))));
        let induction = c.get("induction").map(|k| k.expires_on(d("2024-02-29")));
        assert_eq!(induction, Some(None));
        let event = c
            .get("practice_event")
            .map(|k| k.expires_on(d("2026-08-31")));
        assert_eq!(event, Some(Some(d("2027-02-28"))));
    }

    #[test]
    fn who_must_do_what_and_who_is_held() {
        let c = Courses::default();
        let practitioner = RoleSet::new(vec![Role::Practitioner]);
        let editor = RoleSet::new(vec![Role::DirectoryEditor]);
        let admin = RoleSet::new(vec![Role::Administrator, Role::TeamManager]);
        let required: Vec<&str> = c
            .required_of(&practitioner)
            .map(|k| k.code.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "induction",
                "whole_family_working",
                "signs_of_safety",
                "trauma_aware"
            ]
        );
        assert_eq!(c.required_of(&editor).count(), 0);
        let cases = [
            (true, &practitioner, 1, true),
            (true, &practitioner, 0, false),
            (false, &practitioner, 3, false),
            (true, &admin, 2, false),
        ];
        for (on, roles, missing, expected) in cases {
            assert_eq!(
                held(on, roles, missing),
                expected,
                "{on} {roles:?} {missing}"
            );
        }
    }

    #[test]
    fn one_reminder_per_expiry_inside_the_window() {
        let today = d("2026-12-06");
        let cases = [
            (Some("2027-01-05"), false, true),
            (Some("2027-01-05"), true, false),
            (Some("2027-01-06"), false, false),
            (Some("2026-12-06"), false, false),
            (Some("2026-12-07"), false, true),
            (None, false, false),
        ];
        for (end, reminded, expected) in cases {
            assert_eq!(
                reminder_due(end.map(d), today, 30, reminded),
                expected,
                "{end:?} {reminded}"
            );
        }
    }

    #[test]
    fn who_reads_and_records_whose_training() {
        let me = UserId::new();
        let colleague = UserId::new();
        let team = Some(TeamId::new());
        let other_team = Some(TeamId::new());
        let practitioner = RoleSet::new(vec![Role::Practitioner]);
        let manager = RoleSet::new(vec![Role::TeamManager]);
        let admin = RoleSet::new(vec![Role::Administrator]);
        let look = |user, team, roles| Looker { user, team, roles };
        use TrainingAction::{Read, Record};
        let cases = [
            (look(me, team, &practitioner), me, team, Read, true),
            (look(me, team, &practitioner), me, team, Record, false),
            (look(me, team, &practitioner), colleague, team, Read, false),
            (
                look(me, team, &practitioner),
                colleague,
                team,
                Record,
                false,
            ),
            (look(me, team, &manager), colleague, team, Read, true),
            (look(me, team, &manager), colleague, team, Record, true),
            (look(me, team, &manager), me, team, Record, false),
            (look(me, other_team, &manager), colleague, team, Read, false),
            (
                look(me, other_team, &manager),
                colleague,
                team,
                Record,
                false,
            ),
            (look(me, None, &manager), colleague, None, Read, false),
            (look(me, None, &admin), colleague, team, Record, true),
            (look(me, None, &admin), me, None, Record, false),
        ];
        for (n, (looker, whose, team, action, expected)) in cases.into_iter().enumerate() {
            assert_eq!(may(looker, whose, team, action), expected, "case {n}");
        }
    }

    #[test]
    fn the_partnership_changes_its_courses_under_a_version() {
        let c = Courses::with_overrides(
            "# ours\nversion = 2027-1\nsigns_of_safety.valid_months = 24\n\
             signs_of_safety.ask = Learning team, learning@council.example\n\
             practice_event.required = lead_professional, family_help_worker\n\
             dv_awareness.title = Domestic abuse awareness\ndv_awareness.valid_months = 12\n\
             shadowing.withdrawn = yes\ninduction.valid_months = never\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.version, "2027-1");
        let sos = c
            .get("signs_of_safety")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert_eq!(sos.valid_months, Some(24));
        assert_eq!(
            sos.ask.as_deref(),
            Some("Learning team, learning@council.example")
        );
        let event = c.get("practice_event").cloned().unwrap_or_else(|| panic!());
        assert_eq!(
            event.required_for,
            [Role::LeadProfessional, Role::FamilyHelpWorker]
        );
        assert_eq!(
            c.get("dv_awareness").map(|k| k.valid_months),
            Some(Some(12))
        );
        assert!(c.get("shadowing").is_none());

        let bad = [
            ("signs_of_safety.valid_months = 24\n", "new `version`"),
            ("version = 2\nsigns_of_safety.valid_months = 0\n", "line 2"),
            ("version = 2\nnew_course.valid_months = 6\n", "title"),
            (
                "version = 2\nsigns_of_safety.required = wizard\n",
                "not a role",
            ),
            ("version = 2\nSigns.title = x\n", "not a course code"),
            ("version = hearth-1\n", "own version"),
            ("version = 2\nsigns_of_safety.colour = red\n", "no field"),
            ("just words\n", "key = value"),
        ];
        for (text, says) in bad {
            let e = Courses::with_overrides(text).err().unwrap_or_default();
            assert!(e.contains(says), "{text:?}: {e}");
        }
        assert_eq!(Courses::with_overrides("").ok(), Some(Courses::default()));
    }
}
