//! Training (ADR 0048): each person's own page (`/account/training`, which is also where a
//! user held for missing training is sent), a manager's team, one member of staff's record
//! with recording and correcting a completion, and the workforce development report with its
//! CSV.

use crate::components::{DateInput, ErrorSummary, NotificationBanner, Select, Textarea};
use crate::dates;
use crate::download::{attachment, csv};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hearth_app::training::record::TrainingForm;
use hearth_app::training::report::{GroupBy, TrainingReport};
use hearth_app::training::{Record, StaffTraining, TeamTraining};
use hearth_app::AppError;
use hearth_domain::ids::{TrainingRecordId, UserId};
use hearth_domain::input::FieldErrors;
use hearth_domain::training::Standing;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/training", get(own))
        .route("/team/training", get(team))
        .route("/training/staff/{user}", get(staff).post(record))
        .route(
            "/training/staff/{user}/records/{record}",
            get(change_form).post(change),
        )
        .route("/reports/training", get(report))
}

/// A standing as a GOV.UK tag: its words and colour.
pub struct Tag {
    pub text: &'static str,
    pub class: &'static str,
}

fn tag(s: Standing) -> Tag {
    Tag {
        text: s.label(),
        class: match s {
            Standing::Done(_) => "govuk-tag--green",
            Standing::DueSoon(_) => "govuk-tag--yellow",
            Standing::Expired(_) => "govuk-tag--red",
            Standing::NeverDone => "govuk-tag--grey",
        },
    }
}

/// One course's line, ready to show.
struct Line {
    title: String,
    required: bool,
    tag: Tag,
    done_on: String,
    runs_out: String,
}

/// One completion, ready to show.
struct Entry {
    id: TrainingRecordId,
    title: String,
    done_on: String,
    runs_out: String,
    evidence: String,
    recorded_by: String,
    changed_by: Option<String>,
}

fn runs_out(end: Option<chrono::NaiveDate>) -> String {
    end.map_or_else(|| "Does not run out".into(), dates::day)
}

fn lines(t: &StaffTraining) -> Vec<Line> {
    t.lines
        .iter()
        .map(|l| {
            let (done_on, end) = match l.standing {
                Standing::Done(c) | Standing::DueSoon(c) | Standing::Expired(c) => {
                    (dates::day(c.done_on), runs_out(c.expires_on))
                }
                Standing::NeverDone => ("Not done".into(), String::new()),
            };
            Line {
                title: l.course.title.clone(),
                required: l.required,
                tag: tag(l.standing),
                done_on,
                runs_out: end,
            }
        })
        .collect()
}

fn entries(state: &AppState, records: &[Record]) -> Vec<Entry> {
    let policy = &state.hearth.policies().training;
    records
        .iter()
        .map(|r| Entry {
            id: r.id,
            title: policy.title(&r.course),
            done_on: dates::day(r.completion.done_on),
            runs_out: runs_out(r.completion.expires_on),
            evidence: r.evidence.clone().unwrap_or_default(),
            recorded_by: r.recorded_by.clone(),
            changed_by: r.changed_by.clone(),
        })
        .collect()
}

/// The course, dates and evidence of a completion.
struct CompletionFields {
    course: Select,
    done: DateInput,
    expires: DateInput,
    evidence: Textarea,
}

fn completion_fields(
    state: &AppState,
    form: &TrainingForm,
    errors: &FieldErrors,
) -> CompletionFields {
    let mut courses = vec![(String::new(), "Choose a course".to_string())];
    courses.extend(
        state
            .hearth
            .policies()
            .training
            .courses
            .courses
            .iter()
            .map(|c| (c.code.clone(), c.title.clone())),
    );
    CompletionFields {
        course: fields::select("course", "Course", courses, &form.course, errors),
        done: fields::date(
            "done",
            "When was it done?",
            Some("For example, 27 3 2026"),
            &form.done_parts(),
            errors,
        ),
        expires: fields::date(
            "expires",
            "When does it run out? (optional)",
            Some("Leave blank to use the course's own length"),
            &form.expires_parts(),
            errors,
        ),
        evidence: fields::with_textarea_hint(
            fields::textarea(
                "evidence",
                "Evidence seen (optional)",
                &form.evidence,
                errors,
            ),
            "For example, the attendance register or a certificate's number",
        ),
    }
}

fn summary(form: &TrainingForm, errors: &FieldErrors) -> Option<ErrorSummary> {
    fields::error_summary_with_dates(
        errors,
        &[
            ("done", &form.done_parts()),
            ("expires", &form.expires_parts()),
        ],
    )
}

#[derive(Template)]
#[template(path = "training/staff.html")]
struct StaffPage {
    shell: Shell,
    own: bool,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    training: StaffTraining,
    missing: Vec<String>,
    lines: Vec<Line>,
    entries: Vec<Entry>,
    form: Option<CompletionFields>,
    action: String,
}

fn staff_page(
    state: &AppState,
    visitor: &Visitor,
    training: StaffTraining,
    own: bool,
    form: &TrainingForm,
    errors: &FieldErrors,
    saved: bool,
) -> StaffPage {
    let title = if own {
        "Your training".to_string()
    } else {
        format!("{}'s training", training.name)
    };
    let path = if own {
        "/account/training".to_string()
    } else {
        format!("/training/staff/{}", training.user)
    };
    StaffPage {
        shell: Shell::new(state, visitor, &title)
            .at(&path)
            .with_errors(!errors.is_empty()),
        own,
        banner: saved.then(|| fields::success("The training has been recorded.")),
        error_summary: summary(form, errors),
        missing: training.missing().map(|l| l.course.title.clone()).collect(),
        lines: lines(&training),
        entries: entries(state, &training.records),
        form: training
            .may_record
            .then(|| completion_fields(state, form, errors)),
        action: path,
        training,
    }
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn own(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let training = state.hearth.own_training(&actor).await?;
    let page = staff_page(
        &state,
        &visitor,
        training,
        true,
        &TrainingForm::default(),
        &FieldErrors::new(),
        false,
    );
    Ok(render(StatusCode::OK, &page))
}

fn user_id(text: &str) -> Result<UserId, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

pub async fn staff(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(user): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, WebError> {
    let whose = user_id(&user)?;
    let training = state.hearth.staff_training(&actor, whose).await?;
    let own = whose == actor.user_id;
    let page = staff_page(
        &state,
        &visitor,
        training,
        own,
        &TrainingForm::default(),
        &FieldErrors::new(),
        q.saved.is_some(),
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn record(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(user): Path<String>,
    Form(form): Form<TrainingForm>,
) -> Result<Response, WebError> {
    let whose = user_id(&user)?;
    match state.hearth.record_training(&actor, whose, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/training/staff/{whose}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let training = state.hearth.staff_training(&actor, whose).await?;
            let page = staff_page(&state, &visitor, training, false, &form, &errors, false);
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "training/change.html")]
struct ChangePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    name: String,
    back: String,
    action: String,
    version: String,
    fields: CompletionFields,
}

fn change_page(
    state: &AppState,
    visitor: &Visitor,
    name: String,
    whose: UserId,
    id: TrainingRecordId,
    form: &TrainingForm,
    errors: &FieldErrors,
) -> ChangePage {
    let back = format!("/training/staff/{whose}");
    ChangePage {
        shell: Shell::new(state, visitor, "Correct a course on the training record")
            .at(&back)
            .with_errors(!errors.is_empty()),
        error_summary: summary(form, errors),
        name,
        action: format!("{back}/records/{id}"),
        back,
        version: form.version.clone(),
        fields: completion_fields(state, form, errors),
    }
}

fn record_id(text: &str) -> Result<TrainingRecordId, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

pub async fn change_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((user, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (whose, id) = (user_id(&user)?, record_id(&id)?);
    let record = state.hearth.training_record(&actor, whose, id).await?;
    let training = state.hearth.staff_training(&actor, whose).await?;
    let page = change_page(
        &state,
        &visitor,
        training.name,
        whose,
        id,
        &TrainingForm::of(&record),
        &FieldErrors::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((user, id)): Path<(String, String)>,
    Form(form): Form<TrainingForm>,
) -> Result<Response, WebError> {
    let (whose, id) = (user_id(&user)?, record_id(&id)?);
    match state.hearth.change_training(&actor, whose, id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/training/staff/{whose}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let training = state.hearth.staff_training(&actor, whose).await?;
            let page = change_page(&state, &visitor, training.name, whose, id, &form, &errors);
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "training/team.html")]
struct TeamPage {
    shell: Shell,
    team_name: Option<String>,
    titles: Vec<String>,
    /// (user, name, a tag per course; `None` where not required of them)
    members: Vec<(UserId, String, Vec<Option<Tag>>)>,
}

pub async fn team(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let TeamTraining {
        courses, members, ..
    } = state.hearth.team_training(&actor).await?;
    let page = TeamPage {
        shell: Shell::new(&state, &visitor, "Your team's training").at("/team"),
        team_name: actor.team_name.clone(),
        titles: courses.iter().map(|c| c.title.clone()).collect(),
        members: members
            .into_iter()
            .map(|m| {
                let tags = m.standings.into_iter().map(|s| s.map(tag)).collect();
                (m.user, m.name, tags)
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    within: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "training/report.html")]
struct ReportPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    within: crate::components::Input,
    by: Select,
    report: TrainingReport,
    csv_href: String,
}

pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let default_days = state.hearth.policies().training.remind_days;
    let within = match q.within.trim() {
        "" => default_days,
        typed => match typed.parse::<i64>() {
            Ok(n) if (0..=hearth_app::training::report::WITHIN_MAX).contains(&n) => n,
            _ => {
                errors.add(
                    "within",
                    format!(
                        "Days ahead must be a whole number from 0 to {}",
                        hearth_app::training::report::WITHIN_MAX
                    ),
                );
                default_days
            }
        },
    };
    let by = GroupBy::from_code(&q.by).unwrap_or(GroupBy::Team);
    let csv_wanted = q.format == "csv" && errors.is_empty();
    let report = state
        .hearth
        .training_report(&actor, within, by, if csv_wanted { "csv" } else { "page" })
        .await?;
    if csv_wanted {
        return Ok(attachment(
            "text/csv; charset=utf-8",
            "training.csv",
            csv(&report.sheet()).into_bytes(),
        ));
    }
    let page = ReportPage {
        shell: Shell::new(&state, &visitor, "Training across the partnership")
            .at("/reports")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(&errors),
        within: fields::with_hint(
            fields::text("within", "Due within how many days", &q.within, &errors),
            "Courses that run out within this many days count as due",
        ),
        by: fields::select(
            "by",
            "Show by",
            vec![
                ("team".into(), "Team".into()),
                ("organisation".into(), "Organisation".into()),
            ],
            by.code(),
            &FieldErrors::new(),
        ),
        csv_href: format!(
            "/reports/training?within={}&by={}&format=csv",
            report.within_days,
            by.code()
        ),
        report,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}
