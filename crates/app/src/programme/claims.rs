//! The programme lead's quarter (issue 20, items 4 and 5; ADR 0046): the families whose
//! outcomes may be claimed and why the others may not, the claim with its internal-audit
//! sample, the auditor's verdicts and the sign-off; and the family-level data return, checked
//! before it leaves. Each family is opened through the gate for the programme (audited); the
//! rules are the domain's (`hearth_domain::programme::claims`).

use super::ProgrammeStart;
use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::episode::{EpisodeStatus, NeedResult};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::insight::Quarter;
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::claims::{
    self as rules, NotClaimable, OutcomeFacts, ReturnFamily, ReturnProblem, SignOffProblem,
    Verdict, VerdictProblem,
};
use hearth_domain::returns::{Cell, Sheet};
use hearth_store::family::people;
use hearth_store::gate::{Closed, ProgrammeDesk};
use hearth_store::programme::claims::{self as store, Claim, Claimed, NewClaimFamily};
use hearth_store::programme::{self as programme_store, Answer, NeedAtClosure};
use hearth_store::{audit, Store, Tx};

/// The longest explanation of a return's problem, or reason a family is not upheld.
const WORDS_MAX: usize = 1000;

/// How the programme's claims are audited.
#[derive(Debug, Clone)]
pub struct ClaimPolicy {
    /// The share of a claim's families the internal audit samples (a percentage).
    pub sample_percent: u32,
}

impl Default for ClaimPolicy {
    fn default() -> Self {
        Self {
            sample_percent: rules::SAMPLE_PERCENT,
        }
    }
}

/// One family as the programme lead sees it: its standing at the start, its results at
/// closure and the sustainment check's answers.
#[derive(Debug, Clone)]
pub struct ProgrammeFamily {
    pub start: ProgrammeStart,
    /// The first family member's name, and how many others the help was for.
    pub name: String,
    pub results: Vec<NeedAtClosure>,
    pub answers: Vec<Answer>,
    /// When the next outcome of the sustainment check still to answer falls due.
    pub check_due: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl ProgrammeFamily {
    pub fn episode(&self) -> EpisodeId {
        self.start.episode.id
    }
}

/// One outcome of a family in the quarter: may it be claimed, and is it in the claim.
#[derive(Debug, Clone)]
pub struct ClaimOutcome {
    pub need: NeedDomain,
    pub claimable: Result<(), NotClaimable>,
    /// In this quarter's claim: `Some(withdrawn)`.
    pub in_claim: Option<bool>,
}

/// One family of the quarter.
#[derive(Debug, Clone)]
pub struct QuarterFamily {
    pub family: ProgrammeFamily,
    pub outcomes: Vec<ClaimOutcome>,
    /// Whether the family counts for this quarter's claim (an outcome may be claimed, or is
    /// in its claim).
    pub counts: bool,
    pub in_sample: bool,
    pub verdict: Option<Verdict>,
    pub note: String,
    pub audited_by: Option<String>,
}

/// The programme lead's quarter.
#[derive(Debug, Clone)]
pub struct QuarterView {
    pub quarter: Quarter,
    pub families: Vec<QuarterFamily>,
    pub claim: Option<Claim>,
    /// The sample's share, and how many families it would take if the claim were made now.
    pub sample_percent: u32,
    pub sample_would_take: usize,
    /// Families not opened: a restricted record opens only through the person's own page.
    pub held_back: usize,
    /// A claim may be made: none made yet, the quarter begun, and a family to claim.
    pub may_make_claim: bool,
    /// The viewer gave a verdict of the claim's sample, so another programme lead signs it off.
    pub viewer_audited: bool,
}

/// One family's line in the data return, with what the checks found.
#[derive(Debug, Clone)]
pub struct ReturnLine {
    pub family: ProgrammeFamily,
    /// (problem, its explanation if one was given)
    pub problems: Vec<(ReturnProblem, Option<String>)>,
    /// Outcomes in a claim that stands: (need, quarter).
    pub claimed: Vec<(NeedDomain, String)>,
}

/// The quarter's data return, checked.
#[derive(Debug, Clone)]
pub struct DataReturn {
    pub quarter: Quarter,
    pub lines: Vec<ReturnLine>,
    pub held_back: usize,
    /// Every problem fixed or explained.
    pub ready: bool,
}

/// The return's columns, in the order the programme asks for them.
fn columns() -> Vec<&'static str> {
    let mut c = vec![
        "family_reference",
        "framework_version",
        "attached_on",
        "closed_on",
        "needs_at_start",
    ];
    c.extend(NeedDomain::ALL.iter().map(|n| need_column(*n)));
    c.extend([
        "lead_practitioner",
        "whole_family_assessment",
        "family_plan",
        "team_around_the_family",
        "outcomes_achieved",
        "outcomes_sustained",
        "outcomes_claimed",
        "explained_problems",
    ]);
    c
}

/// A need's column: `need_` and its code.
fn need_column(n: NeedDomain) -> &'static str {
    use NeedDomain::*;
    match n {
        GoodEducation => "need_education",
        EarlyYears => "need_early_years",
        Health => "need_health",
        SubstanceUse => "need_substance_use",
        FamilyRelationships => "need_family_relationships",
        SafeFromAbuseAndExploitation => "need_safe_from_abuse",
        CrimePrevention => "need_crime",
        DomesticAbuse => "need_domestic_abuse",
        SecureHousing => "need_housing",
        FinancialStability => "need_financial_stability",
    }
}

impl DataReturn {
    /// The return as the programme's CSV takes it: one line per family, no names.
    pub fn sheet(&self) -> Sheet {
        let yes = |b: bool| Cell::Text(if b { "Y" } else { "N" }.into());
        let list = |needs: Vec<NeedDomain>| {
            Cell::Text(needs.iter().map(|n| n.code()).collect::<Vec<_>>().join(";"))
        };
        let rows = self
            .lines
            .iter()
            .map(|l| {
                let f = &l.family;
                let s = &f.start;
                let mut row = vec![
                    Cell::Text(f.episode().to_string()),
                    Cell::Text(s.framework_version.clone()),
                    Cell::Date(s.episode.started_on),
                    s.episode.ended_on.map_or(Cell::Empty, Cell::Date),
                    Cell::Number(i64::try_from(s.needs.len()).unwrap_or(i64::MAX)),
                ];
                for n in NeedDomain::ALL {
                    row.push(yes(s.needs.iter().any(|x| x.outcome.need == n)));
                }
                for (_, met) in &s.criteria {
                    row.push(yes(*met));
                }
                row.push(list(
                    f.results
                        .iter()
                        .filter(|r| r.result == Some(NeedResult::Achieved))
                        .map(|r| r.need)
                        .collect(),
                ));
                row.push(list(
                    f.answers
                        .iter()
                        .filter(|a| a.sustained)
                        .map(|a| a.need)
                        .collect(),
                ));
                row.push(list(l.claimed.iter().map(|(n, _)| *n).collect()));
                row.push(Cell::Text(
                    l.problems
                        .iter()
                        .map(|(p, _)| p.code())
                        .collect::<Vec<_>>()
                        .join(";"),
                ));
                row
            })
            .collect();
        Sheet {
            name: "supporting-families",
            title: "Supporting Families: family-level data return",
            columns: columns(),
            rows,
        }
    }
}

/// Why a claim is not signed off, said on the sign-off button.
fn sign_off_refused(p: SignOffProblem) -> AppError {
    let mut errors = FieldErrors::new();
    errors.add(
        "sign_off",
        match p {
            SignOffProblem::SampleNotAudited(n) => {
                format!("Give your verdict on every family in the sample: {n} still to audit")
            }
            SignOffProblem::Empty => "Nothing is left to claim: every family was taken out".into(),
            SignOffProblem::SignerAudited => "You gave verdicts on this claim's sample, so another programme lead must sign it off: internal audit is someone other than the one who signs off checking the sample".into(),
        },
    );
    AppError::Invalid(errors)
}

/// The programme's audit event for what the lead did to `record` (its type and id), with
/// what the log should say of it.
fn programme_event(
    actor: &Actor,
    action: AuditAction,
    record: (&'static str, String),
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some(record.0);
    e.record_id = Some(record.1);
    e.detail = Some(detail.to_string());
    e
}

/// Writes the change's audit event in its transaction, and commits both.
async fn commit_audited(mut tx: Tx, e: &NewAuditEvent) -> Result<(), AppError> {
    audit::append(&mut tx, e).await?;
    Store::commit(tx).await?;
    Ok(())
}

/// The quarter's last day: a sustainment check due by then should be answered.
fn last_day(quarter: Quarter) -> NaiveDate {
    quarter.end().pred_opt().unwrap_or(quarter.end())
}

/// One family's line as the return's checks read it.
fn return_facts(f: &ProgrammeFamily) -> ReturnFamily {
    ReturnFamily {
        attached_on: f.start.episode.started_on,
        closed_on: f.start.episode.ended_on,
        needs: f.start.needs.iter().map(|n| n.outcome.need).collect(),
        criteria: f.start.criteria.clone(),
        results: f
            .results
            .iter()
            .map(|r| (r.need, r.result, !r.evidence.trim().is_empty()))
            .collect(),
        check_due: f.check_due,
        checked: f.check_due.is_none(),
    }
}

/// The form a claim's verdict is given with.
#[derive(Debug, Clone, Default)]
pub struct VerdictForm {
    pub verdict: String,
    pub note: String,
}

/// The form a return's problem is explained with.
#[derive(Debug, Clone, Default)]
pub struct ExplanationForm {
    pub problem: String,
    pub explanation: String,
}

impl Hearth {
    /// The programme lead's desk: refused (audited) to anyone whose roles do not make the
    /// programme's claims.
    async fn programme_desk(&self, actor: &Actor) -> Result<ProgrammeDesk, AppError> {
        Ok(self.gate.programme_desk(&self.viewer(actor)).await?)
    }

    /// Opens one family for the programme (audited) and reads what the claim and the return
    /// need; `None` for a family with a restricted record (the refusal is audited).
    async fn programme_family(
        &self,
        actor: &Actor,
        desk: &ProgrammeDesk,
        id: EpisodeId,
        quarter: Quarter,
    ) -> Result<Option<ProgrammeFamily>, AppError> {
        let opened = match self
            .gate
            .open_for_programme(&self.viewer(actor), desk, id, &quarter.code())
            .await
        {
            Ok(o) => o,
            Err(Closed::Refused(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut conn = self.store.read().await?;
        let start = self.standing(&mut conn, &opened).await?;
        let results = programme_store::closure_results(&mut conn, &opened).await?;
        let answers = programme_store::answers(&mut conn, &opened).await?;
        let answered_at = store::answered_at(&mut conn, desk, id).await?;
        let framework = self.framework_of(&mut conn, id).await?;
        let people = people::summaries(&mut conn, &start.episode.people).await?;
        drop(conn);
        let name = match people.first() {
            Some(p) if people.len() > 1 => format!(
                "{} {} and {} more",
                p.given_names,
                p.family_name,
                people.len() - 1
            ),
            Some(p) => format!("{} {}", p.given_names, p.family_name),
            None => "A family with no people recorded".into(),
        };
        // The next outcome of the check still to answer, and when it falls due.
        let check_due = match (start.episode.status, start.episode.ended_on) {
            (EpisodeStatus::Closed, Some(closed)) => {
                let asked = hearth_domain::programme::to_check(
                    &results
                        .iter()
                        .map(|r| (r.need, r.result))
                        .collect::<Vec<_>>(),
                );
                let answered: Vec<NeedDomain> = answers.iter().map(|a| a.need).collect();
                framework.next_due(closed, &asked, &answered)
            }
            _ => None,
        };
        Ok(Some(ProgrammeFamily {
            start,
            name,
            results,
            answers,
            check_due,
            answered_at,
        }))
    }

    /// The quarter as the programme lead works it: which families count and why, and the
    /// claim once made.
    pub async fn programme_quarter(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<QuarterView, AppError> {
        let desk = self.programme_desk(actor).await?;
        self.quarter_view(actor, &desk, quarter).await
    }

    async fn quarter_view(
        &self,
        actor: &Actor,
        desk: &ProgrammeDesk,
        quarter: Quarter,
    ) -> Result<QuarterView, AppError> {
        let code = quarter.code();
        let mut conn = self.store.read().await?;
        let ids = store::claim_episodes(&mut conn, desk, &code, quarter.end()).await?;
        let claim = store::claim(&mut conn, desk, &code).await?;
        let claimed: Vec<Claimed> = store::claimed(&mut conn).await?;
        drop(conn);
        let (start, end) = (quarter.start(), quarter.end());
        let mut families = Vec::new();
        let mut held_back = 0;
        for id in ids {
            let Some(family) = self.programme_family(actor, desk, id, quarter).await? else {
                held_back += 1;
                continue;
            };
            let in_claim = claim
                .as_ref()
                .and_then(|c| c.families.iter().find(|f| f.episode == id));
            let outcomes: Vec<ClaimOutcome> = family
                .results
                .iter()
                .map(|r| {
                    let sustained = family
                        .answers
                        .iter()
                        .find(|a| a.need == r.need)
                        .map(|a| a.sustained);
                    let claimed_elsewhere = claimed
                        .iter()
                        .any(|c| c.episode == id && c.need == r.need && c.quarter != code);
                    ClaimOutcome {
                        need: r.need,
                        claimable: rules::claimable(OutcomeFacts {
                            in_programme: family.start.in_programme,
                            whole_family: family.start.counts,
                            result: r.result,
                            sustained,
                            claimed_elsewhere,
                        }),
                        in_claim: in_claim
                            .and_then(|f| f.outcomes.iter().find(|(n, _)| *n == r.need))
                            .map(|(_, w)| *w),
                    }
                })
                .collect();
            let answered_in_quarter = family
                .answered_at
                .is_some_and(|t| t.date_naive() >= start && t.date_naive() < end);
            let counts = in_claim.is_some()
                || (claim.is_none() && outcomes.iter().any(|o| o.claimable.is_ok()));
            if !(counts || answered_in_quarter) {
                continue;
            }
            families.push(QuarterFamily {
                counts,
                in_sample: in_claim.is_some_and(|f| f.in_sample),
                verdict: in_claim.and_then(|f| f.verdict),
                note: in_claim.map(|f| f.note.clone()).unwrap_or_default(),
                audited_by: in_claim.and_then(|f| f.audited_by_name.clone()),
                family,
                outcomes,
            });
        }
        let countable = families.iter().filter(|f| f.counts).count();
        let percent = claim
            .as_ref()
            .map_or(self.policies.claims.sample_percent, |c| c.sample_percent);
        let today = self.now().date_naive();
        let viewer_audited = claim.as_ref().is_some_and(|c| {
            c.families
                .iter()
                .any(|f| f.audited_by == Some(actor.user_id))
        });
        Ok(QuarterView {
            may_make_claim: claim.is_none() && today >= start && countable > 0,
            viewer_audited,
            sample_would_take: rules::sample_size(countable, percent),
            sample_percent: percent,
            quarter,
            families,
            claim,
            held_back,
        })
    }

    /// Makes the quarter's claim from the families that count now, and draws its audit
    /// sample. Once per quarter; never for a quarter not yet begun.
    pub async fn make_programme_claim(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<(), AppError> {
        let desk = self.programme_desk(actor).await?;
        let view = self.quarter_view(actor, &desk, quarter).await?;
        if view.claim.is_some() {
            return Err(AppError::Conflict);
        }
        if !view.may_make_claim {
            let mut errors = FieldErrors::new();
            errors.add(
                "claim",
                "There is no family to claim for this quarter yet: a family counts once its outcomes are achieved and sustained",
            );
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let seed = u64::try_from(now.timestamp_micros()).unwrap_or(0);
        let counting: Vec<&QuarterFamily> = view.families.iter().filter(|f| f.counts).collect();
        let keys: Vec<String> = counting
            .iter()
            .map(|f| f.family.episode().to_string())
            .collect();
        let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let sample = rules::draw_sample(&key_refs, view.sample_percent, seed);
        let families: Vec<NewClaimFamily> = counting
            .iter()
            .map(|f| NewClaimFamily {
                episode: f.family.episode(),
                outcomes: f
                    .outcomes
                    .iter()
                    .filter(|o| o.claimable.is_ok())
                    .map(|o| o.need)
                    .collect(),
                in_sample: sample.contains(&f.family.episode().to_string().as_str()),
            })
            .collect();
        let outcomes: usize = families.iter().map(|f| f.outcomes.len()).sum();
        let code = quarter.code();
        let mut tx = self.store.write().await?;
        store::make_claim(
            &mut tx,
            &desk,
            &code,
            view.sample_percent,
            seed,
            &families,
            now,
        )
        .await?;
        let e = programme_event(
            actor,
            AuditAction::ProgrammeClaimMade,
            ("programme_claim", code),
            serde_json::json!({
                "families": families.len(),
                "outcomes": outcomes,
                "sample": sample.len(),
                "sample_percent": view.sample_percent,
                "seed": seed.to_string(),
            }),
            now,
        );
        commit_audited(tx, &e).await
    }

    /// The auditor's verdict on one family of the claim's sample.
    pub async fn record_claim_verdict(
        &self,
        actor: &Actor,
        quarter: Quarter,
        episode: EpisodeId,
        form: &VerdictForm,
    ) -> Result<(), AppError> {
        let desk = self.programme_desk(actor).await?;
        let field = format!("verdict_{episode}");
        let note_field = format!("note_{episode}");
        let mut errors = FieldErrors::new();
        let note = input::optional_text(
            &mut errors,
            &note_field,
            "the reason",
            &form.note,
            WORDS_MAX,
        )
        .unwrap_or_default();
        match rules::verdict(Verdict::from_code(&form.verdict), &note) {
            Err(VerdictProblem::Choose) => {
                errors.add(&field, "Say whether the record bears the claim out");
            }
            Err(VerdictProblem::Reason) => errors.add(
                &note_field,
                "Enter why the family is not upheld: the programme's auditors will ask",
            ),
            Ok(_) => {}
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let verdict = Verdict::from_code(&form.verdict).ok_or(AppError::NotFound)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        if !store::record_verdict(
            &mut tx,
            &desk,
            &quarter.code(),
            episode,
            verdict,
            &note,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        let e = programme_event(
            actor,
            AuditAction::ProgrammeClaimAudited,
            ("episode", episode.to_string()),
            serde_json::json!({ "quarter": quarter.code(), "verdict": verdict.code() }),
            now,
        );
        commit_audited(tx, &e).await
    }

    /// Signs the quarter's claim off once its sample is audited, by a programme lead who gave
    /// none of its verdicts (the gate refuses, audited, one who did); the families not upheld
    /// come out of it (and may be claimed again once put right).
    pub async fn sign_off_programme_claim(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<(), AppError> {
        let desk = self.programme_desk(actor).await?;
        let code = quarter.code();
        let signer = match self
            .gate
            .claim_signer(&self.viewer(actor), &desk, &code)
            .await
        {
            Ok(s) => s,
            Err(Closed::Refused(_)) => return Err(sign_off_refused(SignOffProblem::SignerAudited)),
            Err(e) => return Err(e.into()),
        };
        let mut tx = self.store.write().await?;
        let claim = store::claim(&mut tx, &desk, &code)
            .await?
            .ok_or(AppError::NotFound)?;
        if claim.signed_off.is_some() {
            return Err(AppError::Conflict);
        }
        let families: Vec<(bool, Option<Verdict>)> = claim
            .families
            .iter()
            .map(|f| (f.in_sample, f.verdict))
            .collect();
        rules::may_sign_off(&families).map_err(sign_off_refused)?;
        let now = self.now();
        if !store::sign_off(&mut tx, &signer, now).await? {
            return Err(AppError::Conflict);
        }
        let taken_out = claim
            .families
            .iter()
            .filter(|f| f.verdict == Some(Verdict::NotUpheld))
            .count();
        let e = programme_event(
            actor,
            AuditAction::ProgrammeClaimSignedOff,
            ("programme_claim", code),
            serde_json::json!({
                "families": claim.families.len() - taken_out,
                "taken_out": taken_out,
            }),
            now,
        );
        commit_audited(tx, &e).await
    }

    /// The quarter's data return: each family in the programme whose help was open on a day
    /// of the quarter, whose sustainment check was answered in it or who is in its claim;
    /// checked, with the explanations given.
    pub async fn programme_return(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<DataReturn, AppError> {
        let desk = self.programme_desk(actor).await?;
        self.data_return(actor, &desk, quarter).await
    }

    async fn data_return(
        &self,
        actor: &Actor,
        desk: &ProgrammeDesk,
        quarter: Quarter,
    ) -> Result<DataReturn, AppError> {
        let code = quarter.code();
        let mut conn = self.store.read().await?;
        let ids =
            store::return_episodes(&mut conn, desk, &code, quarter.start(), quarter.end()).await?;
        let explained = store::explanations(&mut conn, desk, &code).await?;
        let claimed = store::claimed(&mut conn).await?;
        drop(conn);
        let mut lines = Vec::new();
        let mut held_back = 0;
        for id in ids {
            let Some(family) = self.programme_family(actor, desk, id, quarter).await? else {
                held_back += 1;
                continue;
            };
            if !family.start.in_programme {
                continue;
            }
            let problems = rules::return_problems(&return_facts(&family), last_day(quarter))
                .into_iter()
                .map(|p| {
                    let why = explained
                        .iter()
                        .find(|x| x.episode == id && x.problem == p.code())
                        .map(|x| format!("{} ({})", x.explanation, x.by_name));
                    (p, why)
                })
                .collect();
            lines.push(ReturnLine {
                claimed: claimed
                    .iter()
                    .filter(|c| c.episode == id)
                    .map(|c| (c.need, c.quarter.clone()))
                    .collect(),
                family,
                problems,
            });
        }
        let ready = lines.iter().all(|l| {
            rules::may_download(
                &l.problems
                    .iter()
                    .map(|(p, why)| (*p, why.is_some()))
                    .collect::<Vec<_>>(),
            )
        });
        Ok(DataReturn {
            quarter,
            lines,
            held_back,
            ready,
        })
    }

    /// Explains a problem the return's checks found in one family's line, where it cannot be
    /// fixed in the record.
    pub async fn explain_return_problem(
        &self,
        actor: &Actor,
        quarter: Quarter,
        episode: EpisodeId,
        form: &ExplanationForm,
    ) -> Result<(), AppError> {
        let desk = self.programme_desk(actor).await?;
        let field = format!("explanation_{episode}_{}", form.problem);
        let mut errors = FieldErrors::new();
        let words = input::optional_text(
            &mut errors,
            &field,
            "the explanation",
            &form.explanation,
            WORDS_MAX,
        )
        .unwrap_or_default();
        if errors.is_empty() && words.is_empty() {
            errors.add(&field, "Enter why this cannot be put right in the record");
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        // Only a problem the checks find today can be explained.
        let found = self
            .programme_family(actor, &desk, episode, quarter)
            .await?
            .map(|f| {
                rules::return_problems(&return_facts(&f), last_day(quarter))
                    .iter()
                    .any(|p| p.code() == form.problem)
            })
            .unwrap_or(false);
        if !found {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::explain(
            &mut tx,
            &desk,
            &quarter.code(),
            episode,
            &form.problem,
            &words,
            now,
        )
        .await?;
        let e = programme_event(
            actor,
            AuditAction::ProgrammeReturnExplained,
            ("episode", episode.to_string()),
            serde_json::json!({ "quarter": quarter.code(), "problem": form.problem }),
            now,
        );
        commit_audited(tx, &e).await
    }

    /// The return as a CSV sheet, only when every problem is fixed or explained; the download
    /// (and a refusal while problems remain) is audited.
    pub async fn download_programme_return(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<Sheet, AppError> {
        let desk = self.programme_desk(actor).await?;
        let r = self.data_return(actor, &desk, quarter).await?;
        let now = self.now();
        self.append_event(&programme_event(
            actor,
            AuditAction::ProgrammeReturnDownloaded,
            ("programme_return", quarter.code()),
            serde_json::json!({ "families": r.lines.len(), "sent": r.ready }),
            now,
        ))
        .await?;
        if !r.ready {
            let mut errors = FieldErrors::new();
            errors.add(
                "download",
                "The return has problems: fix each one in the record, or explain it, before it leaves",
            );
            return Err(AppError::Invalid(errors));
        }
        Ok(r.sheet())
    }
}
