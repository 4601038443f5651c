//! After closure: the sustainment check. Per outcome achieved at closure, whether it lasted,
//! verified from partners' data where there is data that can say (attendance, no new
//! notification) and from the practitioner's evidence otherwise. Each outcome falls due after
//! its own months (the framework's, per outcome) and is answered once from then; the *My work*
//! task waits for the next outcome due, and is done when the last is answered. Only the episode's last lead and owning team read or answer it (the
//! gate's `follow_up`); anyone else is refused, and the refusal audited.

use crate::episodes::{episode_entry, ev};
use crate::identification::worklist::{facts, Evidence};
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeStatus, NeedResult};
use hearth_domain::identification::feed::{EventKind, FeedKind};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::{self, AnswerProblem, DataCheck, Framework, Outcome, Source};
use hearth_domain::task::TaskKind;
use hearth_store::episodes::tasks;
use hearth_store::episodes::Episode;
use hearth_store::gate::OpenedEpisode;
use hearth_store::programme::{self as store, Answer};
use hearth_store::{audit, family::chronology, Conn, Store, StoreError};
use std::collections::BTreeMap;

/// The longest evidence for one outcome.
const EVIDENCE_MAX: usize = 2000;

/// One outcome of a closed episode, and what is known of whether it lasted.
#[derive(Debug, Clone)]
pub struct OutcomeCheck {
    pub outcome: Outcome,
    pub result: Option<NeedResult>,
    /// What showed the result at closure.
    pub closure_evidence: String,
    /// Asked about: achieved at closure.
    pub asked: bool,
    /// When it may be judged: its own months after closure.
    pub due_on: NaiveDate,
    /// Asked, due and not yet answered.
    pub answerable: bool,
    /// What partners' data says, if it can.
    pub data: Option<bool>,
    /// The partner events it rests on (none when it rests on their absence).
    pub data_evidence: Vec<Evidence>,
    /// In words, what the data shows.
    pub data_says: String,
    pub answer: Option<Answer>,
}

/// A closed episode's sustainment check.
#[derive(Debug, Clone)]
pub struct SustainmentCheck {
    pub episode: Episode,
    pub framework_version: String,
    pub closed_on: NaiveDate,
    /// When the next outcome falls due (the last one's day once all are answered).
    pub due_on: NaiveDate,
    /// An outcome is due and not yet answered.
    pub answerable: bool,
    /// Every outcome asked about is answered.
    pub answered: bool,
    pub outcomes: Vec<OutcomeCheck>,
}

/// The answers as posted: per need, `sustained_<need>` (`yes` or `no`) and `evidence_<need>`.
#[derive(Debug, Clone, Default)]
pub struct SustainmentForm {
    pub sustained: BTreeMap<String, String>,
    pub evidence: BTreeMap<String, String>,
}

impl SustainmentForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = SustainmentForm::default();
        for (k, v) in pairs {
            if let Some(need) = k.strip_prefix("sustained_") {
                f.sustained.insert(need.into(), v.clone());
            } else if let Some(need) = k.strip_prefix("evidence_") {
                f.evidence.insert(need.into(), v.clone());
            }
        }
        f
    }

    fn chosen(&self, need: NeedDomain) -> Option<bool> {
        match self.sustained.get(need.code()).map(String::as_str) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        }
    }

    fn evidence(&self, need: NeedDomain) -> &str {
        self.evidence.get(need.code()).map_or("", String::as_str)
    }
}

/// What the data says, in words.
fn data_says(need: NeedDomain, data: Option<bool>, evidence: &[Evidence]) -> String {
    match (data, programme::data_check(need)) {
        (None, None) => "No partner data can show this outcome.".into(),
        (None, Some(_)) => "Partners' data cannot say yet.".into(),
        (Some(true), Some(DataCheck::NoneOf(kinds))) => {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            format!(
                "No new {} since closure in partners' data.",
                kinds.join(" or ").to_lowercase()
            )
        }
        (Some(_), _) => evidence
            .iter()
            .map(Evidence::describe)
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The day a feed carrying `kind` was last imported.
fn imported(last: &[(FeedKind, NaiveDate)], kind: EventKind) -> Option<NaiveDate> {
    last.iter()
        .filter(|(feed, _)| feed.events().contains(&kind))
        .map(|(_, on)| *on)
        .max()
}

impl Hearth {
    /// Reads what the check needs for an opened, closed episode.
    async fn sustainment(
        &self,
        conn: &mut Conn,
        opened: &OpenedEpisode,
    ) -> Result<SustainmentCheck, AppError> {
        let e = opened.episode().clone();
        let (EpisodeStatus::Closed, Some(closed_on)) = (e.status, e.ended_on) else {
            return Err(AppError::NotFound);
        };
        let framework: Framework = self.framework_of(conn, e.id).await?;
        let results = store::closure_results(conn, opened).await?;
        let needs: Vec<NeedDomain> = results.iter().map(|r| r.need).collect();
        let asked = programme::to_check(
            &results
                .iter()
                .map(|r| (r.need, r.result))
                .collect::<Vec<_>>(),
        );
        let events = store::family_events(conn, opened).await?;
        let facts = facts(&events);
        let last = store::last_imports(conn).await?;
        let answers = store::answers(conn, opened).await?;
        let answered_needs: Vec<NeedDomain> = answers.iter().map(|a| a.need).collect();
        // With nothing achieved there is nothing to judge: answering only closes the task.
        let answered = if asked.is_empty() {
            !answers.is_empty()
        } else {
            asked.iter().all(|n| answered_needs.contains(n))
        };
        let due_on = framework
            .next_due(closed_on, &asked, &answered_needs)
            .unwrap_or_else(|| framework.sustainment_due(closed_on, &needs));
        let today = self.now().date_naive();
        // In the framework's order, as the start page shows them.
        let outcomes: Vec<OutcomeCheck> = framework
            .outcomes
            .iter()
            .filter_map(|outcome| {
                let r = results.iter().find(|r| r.need == outcome.need)?;
                let outcome = outcome.clone();
                let own_due = framework.outcome_due(closed_on, r.need);
                let verdict =
                    programme::verify(r.need, &framework, closed_on, own_due, &facts, |k| {
                        imported(&last, k)
                    });
                let data_evidence: Vec<Evidence> = match &verdict {
                    programme::Verdict::Sustained(f) | programme::Verdict::NotSustained(f) => {
                        f.iter().map(|f| Evidence::from(f.source)).collect()
                    }
                    programme::Verdict::NoData => Vec::new(),
                };
                let data = verdict.sustained();
                let answer = answers.iter().find(|a| a.need == r.need).cloned();
                let is_asked = asked.contains(&r.need);
                Some(OutcomeCheck {
                    asked: is_asked,
                    due_on: own_due,
                    answerable: is_asked
                        && answer.is_none()
                        && programme::may_answer(today, own_due),
                    data_says: data_says(r.need, data, &data_evidence),
                    data,
                    data_evidence,
                    answer,
                    outcome,
                    result: r.result,
                    closure_evidence: r.evidence.clone(),
                })
            })
            .collect();
        let answerable = !answered
            && (outcomes.iter().any(|o| o.answerable)
                || (asked.is_empty() && programme::may_answer(today, due_on)));
        Ok(SustainmentCheck {
            answerable,
            answered,
            framework_version: framework.version,
            closed_on,
            due_on,
            outcomes,
            episode: e,
        })
    }

    /// The sustainment check of a closed episode, for its last lead and owning team (refused,
    /// and audited, for anyone else). The read is audited.
    pub async fn sustainment_check(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<SustainmentCheck, AppError> {
        let opened = self.episode_for(actor, id, |m| m.follow_up).await?;
        let mut conn = self.store.read().await?;
        let check = self.sustainment(&mut conn, &opened).await?;
        drop(conn);
        let mut a = ev(actor, AuditAction::ProgrammeViewed, id, self.now());
        a.detail = Some(r#"{"page":"sustainment"}"#.into());
        self.append_event(&a).await?;
        Ok(check)
    }

    /// Answers the sustainment check: per outcome asked about, partners' data decides where
    /// it can and the practitioner's choice and evidence otherwise. Completes the task, writes
    /// the family's chronology and the audit log. Once only.
    pub async fn answer_sustainment(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &SustainmentForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.follow_up).await?;
        let mut tx = self.store.write().await?;
        let check = self.sustainment(&mut tx, &opened).await?;
        if check.answered {
            return Err(AppError::Conflict);
        }
        let mut errors = FieldErrors::new();
        if !check.answerable {
            errors.add(
                "sustained",
                format!(
                    "The check falls due on {}: whether outcomes lasted can be answered from then",
                    check.due_on.format("%-d %B %Y")
                ),
            );
        }
        let mut answers = Vec::new();
        for o in check.outcomes.iter().filter(|o| o.answerable) {
            let need = o.outcome.need;
            let words = input::optional_text(
                &mut errors,
                &format!("evidence_{}", need.code()),
                &format!("the evidence for “{}”", need.label()),
                form.evidence(need),
                EVIDENCE_MAX,
            )
            .unwrap_or_default();
            match programme::answer(o.data, form.chosen(need), &words) {
                Ok((sustained, source)) => {
                    let evidence = match source {
                        Source::PartnerData if words.is_empty() => o.data_says.clone(),
                        Source::PartnerData => format!("{} {words}", o.data_says),
                        Source::Practitioner => words,
                    };
                    answers.push((need, sustained, source, evidence));
                }
                Err(AnswerProblem::Choose) => errors.add(
                    &format!("sustained_{}", need.code()),
                    format!("Say whether “{}” was sustained", need.label()),
                ),
                Err(AnswerProblem::Evidence) => errors.add(
                    &format!("evidence_{}", need.code()),
                    format!(
                        "Enter what shows whether “{}” was sustained: no partner data can say",
                        need.label()
                    ),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        store::record_answers(&mut tx, &opened, &answers, actor.user_id, now)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate => AppError::Conflict,
                e => e.into(),
            })?;
        // The task is done with the last outcome; until then it waits for the next one due.
        let framework = self.framework_of(&mut tx, id).await?;
        let asked: Vec<NeedDomain> = check
            .outcomes
            .iter()
            .filter(|o| o.asked)
            .map(|o| o.outcome.need)
            .collect();
        let now_answered: Vec<NeedDomain> = check
            .outcomes
            .iter()
            .filter(|o| o.answer.is_some())
            .map(|o| o.outcome.need)
            .chain(answers.iter().map(|a| a.0))
            .collect();
        match framework.next_due(check.closed_on, &asked, &now_answered) {
            Some(next) => {
                tasks::reschedule(&mut tx, id, TaskKind::SustainedFollowUp, next).await?;
            }
            None => {
                tasks::complete(
                    &mut tx,
                    id,
                    TaskKind::SustainedFollowUp,
                    actor.user_id,
                    Some("answered"),
                    now,
                )
                .await?;
            }
        }
        let sustained = answers.iter().filter(|a| a.1).count();
        let summary = if answers.is_empty() {
            "Sustainment check answered: no outcome was achieved at closure".to_string()
        } else {
            let lines: Vec<String> = answers
                .iter()
                .map(|(need, s, source, _)| {
                    format!(
                        "{}: {} ({})",
                        need.label(),
                        if *s { "sustained" } else { "not sustained" },
                        source.label().to_lowercase()
                    )
                })
                .collect();
            format!("Sustainment check answered. {}", lines.join("; "))
        };
        let e = opened.episode();
        chronology::append(
            &mut tx,
            &episode_entry(
                id,
                &e.people,
                EntryKind::Closure,
                actor.user_id,
                summary,
                now,
            ),
        )
        .await?;
        let mut a = ev(actor, AuditAction::SustainmentRecorded, id, now);
        a.detail = Some(format!(
            r#"{{"sustained":{sustained},"not_sustained":{}}}"#,
            answers.len() - sustained
        ));
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
