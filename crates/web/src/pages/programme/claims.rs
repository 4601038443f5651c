//! The programme lead's pages (ADR 0046): the dashboard, the quarter (which families count
//! and why, the claim, its sample's verdicts and the sign-off) and the data return checked
//! before it leaves. Handlers only translate: the rules and the gate are the app's.

use crate::components::{ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::dates::{day, day_of};
use crate::download::{self, attachment};
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
use hearth_app::programme::{DataReturn, ExplanationForm, QuarterView, VerdictForm};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::Quarter;
use hearth_domain::programme::claims::Verdict;
use hearth_domain::role::Capability;
use serde::Deserialize;

fn quarter(code: &str) -> Result<Quarter, WebError> {
    Quarter::from_code(code).ok_or(WebError::NotFound)
}

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Deserialize, Default)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

/// One row of the dashboard's table.
struct NeedRow {
    label: String,
    at_start: String,
    achieved: String,
    sustained: String,
    claimed: String,
}

#[derive(Template)]
#[template(path = "programme/dashboard.html")]
struct DashboardPage {
    shell: Shell,
    families_attached: String,
    outcomes_claimed: String,
    outcomes_expected: String,
    suppressed: bool,
    rows: Vec<NeedRow>,
    /// (code, label) of the quarters the lead works, this one first.
    quarters: Vec<(String, String)>,
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let d = state.hearth.programme_dashboard(&actor).await?;
    let this = Quarter::containing(state.hearth.now().date_naive());
    let quarters = if actor.can(Capability::ClaimProgrammeResults) {
        let mut q = this.trailing(4);
        q.reverse();
        q.into_iter().map(|q| (q.code(), q.label())).collect()
    } else {
        Vec::new()
    };
    let page = DashboardPage {
        shell: Shell::new(&state, &visitor, "Supporting Families dashboard"),
        families_attached: d.families_attached.text(),
        outcomes_claimed: d.outcomes_claimed.text(),
        outcomes_expected: d.outcomes_expected.text(),
        suppressed: d.suppressed,
        rows: d
            .by_need
            .iter()
            .map(|n| NeedRow {
                label: n.need.label().into(),
                at_start: n.at_start.text(),
                achieved: n.achieved.text(),
                sustained: n.sustained.text(),
                claimed: n.claimed.text(),
            })
            .collect(),
        quarters,
    };
    Ok(render(StatusCode::OK, &page))
}

/// One outcome of a family, as the quarter shows it.
struct OutcomeLine {
    label: String,
    /// "Counts", or why not.
    status: String,
    counts: bool,
}

/// One family, as the quarter shows it.
struct FamilyCard {
    episode: String,
    name: String,
    started_on: String,
    closed_on: String,
    needs: String,
    working: String,
    answered: String,
    outcomes: Vec<OutcomeLine>,
    counts: bool,
    in_sample: bool,
    /// Once audited: (verdict, reason, by whom)
    verdict: Option<(String, String, String)>,
    verdict_radios: Option<Radios>,
    note: Option<Textarea>,
}

#[derive(Template)]
#[template(path = "programme/quarter.html")]
struct QuarterPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    code: String,
    label: String,
    view: QuarterView,
    counting: Vec<FamilyCard>,
    others: Vec<FamilyCard>,
    /// (made by, made on, signed off by and on)
    claim: Option<(String, String, Option<String>)>,
    claim_error: Option<String>,
    sign_off_error: Option<String>,
    sampled: usize,
    audited: usize,
}

fn quarter_page(
    state: &AppState,
    visitor: &Visitor,
    view: QuarterView,
    pairs: &[(String, String)],
    errors: &FieldErrors,
    done: Option<&str>,
) -> QuarterPage {
    let signed = view.claim.as_ref().is_some_and(|c| c.signed_off.is_some());
    let cards: Vec<FamilyCard> = view
        .families
        .iter()
        .map(|f| {
            let s = &f.family.start;
            let id = f.family.episode().to_string();
            let verdict_field = format!("verdict_{id}");
            let note_field = format!("note_{id}");
            let open_for_verdict = f.in_sample && !signed;
            FamilyCard {
                name: f.family.name.clone(),
                started_on: day(s.episode.started_on),
                closed_on: s.episode.ended_on.map_or("Still open".into(), day),
                needs: s
                    .needs
                    .iter()
                    .map(|n| n.outcome.need.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                working: if s.counts {
                    "Every part met".into()
                } else {
                    let missing: Vec<&str> = s
                        .criteria
                        .iter()
                        .filter(|(_, met)| !met)
                        .map(|(c, _)| c.label())
                        .collect();
                    if missing.is_empty() {
                        "Not in the programme".into()
                    } else {
                        format!("Missing: {}", missing.join(", "))
                    }
                },
                answered: f
                    .family
                    .answered_at
                    .map_or("Not answered yet".into(), day_of),
                outcomes: f
                    .outcomes
                    .iter()
                    .map(|o| OutcomeLine {
                        label: o.need.label().into(),
                        status: match (o.in_claim, o.claimable) {
                            (Some(true), _) => "Taken out of the claim at sign-off".into(),
                            (Some(false), _) => "In this claim".into(),
                            (None, Ok(())) => "Counts: achieved and sustained".into(),
                            (None, Err(why)) => why.reason().into(),
                        },
                        counts: o.in_claim == Some(false)
                            || (o.in_claim.is_none() && o.claimable.is_ok()),
                    })
                    .collect(),
                counts: f.counts,
                in_sample: f.in_sample,
                verdict: f.verdict.map(|v| {
                    (
                        v.label().to_string(),
                        f.note.clone(),
                        f.audited_by.clone().unwrap_or_default(),
                    )
                }),
                verdict_radios: open_for_verdict.then(|| {
                    fields::radios(
                        &verdict_field,
                        &format!("{}: does the record bear the claim out?", f.family.name),
                        Verdict::ALL
                            .into_iter()
                            .map(|v| (v.code().to_string(), v.label().to_string(), None))
                            .collect(),
                        if pairs.is_empty() {
                            f.verdict.map_or("", |v| v.code())
                        } else {
                            typed(pairs, &verdict_field)
                        },
                        errors,
                    )
                }),
                note: open_for_verdict.then(|| {
                    fields::textarea(
                        &note_field,
                        &format!("{}: the reason, if not upheld", f.family.name),
                        if pairs.is_empty() {
                            f.note.as_str()
                        } else {
                            typed(pairs, &note_field)
                        },
                        errors,
                    )
                }),
                episode: id,
            }
        })
        .collect();
    let (counting, others): (Vec<FamilyCard>, Vec<FamilyCard>) =
        cards.into_iter().partition(|c| c.counts);
    let claim = view.claim.as_ref().map(|c| {
        (
            c.made_by_name.clone(),
            day_of(c.made_at),
            c.signed_off
                .as_ref()
                .map(|(who, at)| format!("{who}, {}", day_of(*at))),
        )
    });
    let sampled = view.families.iter().filter(|f| f.in_sample).count();
    let audited = view
        .families
        .iter()
        .filter(|f| f.in_sample && f.verdict.is_some())
        .count();
    let label = view.quarter.label();
    QuarterPage {
        shell: Shell::new(state, visitor, &format!("Supporting Families: {label}"))
            .with_errors(!errors.is_empty()),
        banner: match done {
            Some("claimed") => Some(fields::success(
                "The claim is made and its audit sample drawn.",
            )),
            Some("audited") => Some(fields::success("Your verdict is recorded.")),
            Some("signed") => Some(fields::success("The claim is signed off.")),
            _ => None,
        },
        error_summary: fields::error_summary(errors),
        code: view.quarter.code(),
        label,
        counting,
        others,
        claim,
        claim_error: errors.get("claim").map(str::to_string),
        sign_off_error: errors.get("sign_off").map(str::to_string),
        sampled,
        audited,
        view,
    }
}

pub(super) async fn quarter_get(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let shown = Shown::new(&state, &visitor, &actor, quarter(&code)?);
    shown
        .show(Which::Quarter, &[], &FieldErrors::new(), q.done.as_deref())
        .await
}

/// What was typed in the field `name`, or nothing.
fn typed<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A use case's answer as a response: `done` with what it gave; the page `again`, saying
/// what to fix, when the form has problems; or the error.
async fn answered<T, Again>(
    result: Result<T, AppError>,
    done: impl FnOnce(T) -> Response,
    again: impl FnOnce(FieldErrors) -> Again,
) -> Result<Response, WebError>
where
    Again: std::future::Future<Output = Result<Response, WebError>>,
{
    match result {
        Ok(t) => Ok(done(t)),
        Err(AppError::Invalid(errors)) => again(errors).await,
        Err(e) => Err(e.into()),
    }
}

/// Which of the lead's pages for a quarter.
#[derive(Clone, Copy)]
enum Which {
    Quarter,
    Return,
}

/// The lead's quarter, or its data return, as this request shows them.
struct Shown<'a> {
    state: &'a AppState,
    visitor: &'a Visitor,
    actor: &'a Actor,
    quarter: Quarter,
}

impl<'a> Shown<'a> {
    fn new(state: &'a AppState, visitor: &'a Visitor, actor: &'a Actor, quarter: Quarter) -> Self {
        Shown {
            state,
            visitor,
            actor,
            quarter,
        }
    }

    /// The quarter's page, or its return's, with what was typed and what to fix (a 422 when
    /// there is any).
    async fn show(
        &self,
        which: Which,
        pairs: &[(String, String)],
        errors: &FieldErrors,
        done: Option<&str>,
    ) -> Result<Response, WebError> {
        let (hearth, status) = (&self.state.hearth, status_for(!errors.is_empty()));
        Ok(match which {
            Which::Quarter => {
                let view = hearth.programme_quarter(self.actor, self.quarter).await?;
                let page = quarter_page(self.state, self.visitor, view, pairs, errors, done);
                render(status, &page)
            }
            Which::Return => {
                let ret = hearth.programme_return(self.actor, self.quarter).await?;
                render(
                    status,
                    &return_page(self.state, self.visitor, ret, pairs, errors, done),
                )
            }
        })
    }

    /// After a use case on the quarter: back to it with a banner, or the page with what to
    /// fix.
    async fn after(
        &self,
        pairs: &[(String, String)],
        result: Result<(), AppError>,
        to: &str,
    ) -> Result<Response, WebError> {
        let code = self.quarter.code();
        answered(
            result,
            |()| Redirect::to(&format!("/programme/quarters/{code}?done={to}")).into_response(),
            |errors| async move { self.show(Which::Quarter, pairs, &errors, None).await },
        )
        .await
    }
}

pub(super) async fn make_claim(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    claim_step(&state, &visitor, &actor, &code, &pairs, false).await
}

/// The quarter's claim made (or, `sign`, signed off): back to the quarter with a banner, or
/// the quarter saying what to fix.
async fn claim_step(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    code: &str,
    pairs: &[(String, String)],
    sign: bool,
) -> Result<Response, WebError> {
    let shown = Shown::new(state, visitor, actor, quarter(code)?);
    let (result, to) = if sign {
        let r = state.hearth.sign_off_programme_claim(actor, shown.quarter);
        (r.await, "signed#claim")
    } else {
        let r = state.hearth.make_programme_claim(actor, shown.quarter);
        (r.await, "claimed#claim")
    };
    shown.after(pairs, result, to).await
}

pub(super) async fn verdict(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((code, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let quarter = quarter(&code)?;
    let episode = episode_id(&id)?;
    let form = VerdictForm {
        verdict: typed(&pairs, &format!("verdict_{episode}")).to_string(),
        note: typed(&pairs, &format!("note_{episode}")).to_string(),
    };
    let result = state
        .hearth
        .record_claim_verdict(&actor, quarter, episode, &form)
        .await;
    Shown::new(&state, &visitor, &actor, quarter)
        .after(&pairs, result, &format!("audited#family-{episode}"))
        .await
}

pub(super) async fn sign_off(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    claim_step(&state, &visitor, &actor, &code, &pairs, true).await
}

/// One problem of a family's line, as the return shows it.
struct ProblemLine {
    code: String,
    what_to_fix: String,
    explained: Option<String>,
    explain: Option<Textarea>,
}

struct ReturnCard {
    episode: String,
    name: String,
    needs: String,
    problems: Vec<ProblemLine>,
}

#[derive(Template)]
#[template(path = "programme/return.html")]
struct ReturnPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    code: String,
    label: String,
    ret: DataReturn,
    cards: Vec<ReturnCard>,
    with_problems: usize,
}

fn return_page(
    state: &AppState,
    visitor: &Visitor,
    ret: DataReturn,
    pairs: &[(String, String)],
    errors: &FieldErrors,
    done: Option<&str>,
) -> ReturnPage {
    let cards: Vec<ReturnCard> = ret
        .lines
        .iter()
        .filter(|l| !l.problems.is_empty())
        .map(|l| {
            let id = l.family.episode().to_string();
            ReturnCard {
                name: l.family.name.clone(),
                needs: l
                    .family
                    .start
                    .needs
                    .iter()
                    .map(|n| n.outcome.need.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                problems: l
                    .problems
                    .iter()
                    .map(|(p, why)| {
                        let field = format!("explanation_{id}_{}", p.code());
                        ProblemLine {
                            code: p.code(),
                            what_to_fix: p.what_to_fix(),
                            explained: why.clone(),
                            explain: why.is_none().then(|| {
                                fields::textarea(
                                    &field,
                                    &format!(
                                        "{}: why this cannot be put right (if it cannot)",
                                        l.family.name
                                    ),
                                    typed(pairs, &field),
                                    errors,
                                )
                            }),
                        }
                    })
                    .collect(),
                episode: id,
            }
        })
        .collect();
    let label = ret.quarter.label();
    ReturnPage {
        shell: Shell::new(state, visitor, &format!("Data return: {label}"))
            .with_errors(!errors.is_empty()),
        banner: (done == Some("explained")).then(|| fields::success("The explanation is kept.")),
        error_summary: fields::error_summary(errors),
        code: ret.quarter.code(),
        label,
        with_problems: cards.len(),
        cards,
        ret,
    }
}

pub(super) async fn return_get(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let shown = Shown::new(&state, &visitor, &actor, quarter(&code)?);
    shown
        .show(Which::Return, &[], &FieldErrors::new(), q.done.as_deref())
        .await
}

pub(super) async fn explain(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((code, id, problem)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let quarter = quarter(&code)?;
    let episode = episode_id(&id)?;
    let form = ExplanationForm {
        explanation: typed(&pairs, &format!("explanation_{episode}_{problem}")).to_string(),
        problem,
    };
    let result = state
        .hearth
        .explain_return_problem(&actor, quarter, episode, &form)
        .await;
    answered(
        result,
        |()| {
            Redirect::to(&format!(
                "/programme/quarters/{}/return?done=explained",
                quarter.code()
            ))
            .into_response()
        },
        |errors| async move {
            Shown::new(&state, &visitor, &actor, quarter)
                .show(Which::Return, &pairs, &errors, None)
                .await
        },
    )
    .await
}

pub(super) async fn return_csv(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let quarter = quarter(&code)?;
    let result = state
        .hearth
        .download_programme_return(&actor, quarter)
        .await;
    answered(
        result,
        |sheet| {
            attachment(
                download::CSV,
                &format!("supporting-families-{}.csv", quarter.code()),
                download::csv(&sheet).into_bytes(),
            )
        },
        |errors| async move {
            Shown::new(&state, &visitor, &actor, quarter)
                .show(Which::Return, &[], &errors, None)
                .await
        },
    )
    .await
}
