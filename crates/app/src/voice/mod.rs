//! The family's voice (ADR 0037): short surveys at an episode's start, after its reviews and
//! at closure, for the family or a child or young person (about 8 to 17) on it, answered by
//! the same kind of one-time link as the closure feedback; the answers in aggregate for the
//! analysts (small numbers hidden outside the council) and in the indicator "families who
//! say things are better"; and case studies for the board ([`case_studies`]).

pub mod case_studies;

use crate::accounts::auth::{event, random_token, token_hash};
use crate::episodes::feedback::FeedbackForm;
use crate::episodes::record::record_step;
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{DateTime, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeStatus, NoteVisibility};
use hearth_domain::feedback::{self, LinkProblem};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::{show, Figure, Quarter, Shown, Unit};
use hearth_domain::message::{writes_to_family_member, Template};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::person::{Age, DateOfBirth, DobCertainty};
use hearth_domain::survey::{
    check, child_may_answer, AnswerProblem, Audience, Kind, Moment, Question,
};
use hearth_store::accounts::organisations;
use hearth_store::audit;
use hearth_store::episodes::feedback::{Invitation, LinkFor};
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::family::{consents, people};
use hearth_store::gate::SurveyingEpisode;
use hearth_store::voice::{self as store, SurveyAnswer};
use hearth_store::{Store, StoreError, Tx};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// What the practitioner chose to send.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SurveyRequest {
    #[serde(default)]
    pub moment: String,
    /// `family`, or the id of a child on the episode.
    #[serde(default)]
    pub who: String,
}

/// A survey link, shown once to the person who made it: only its hash is kept.
#[derive(Debug, Clone)]
pub struct SurveyLink {
    pub episode: EpisodeId,
    pub moment: Moment,
    pub audience: Audience,
    /// The path the family open, e.g. `/feedback/<token>`.
    pub path: String,
    pub expires_at: DateTime<Utc>,
    /// How many grown-ups in the family it was emailed to (none: the worker gives it).
    pub emailed: usize,
}

/// One link as the episode's survey page lists it: where it stands, and what the worker may
/// read of the answer.
#[derive(Debug, Clone)]
pub struct SurveyLine {
    pub invitation: Invitation,
    /// The child's name, for a children's survey.
    pub child: Option<String>,
    /// The answers the worker may read: the choices always, the free text only where the
    /// partnership allows.
    pub answers: Vec<SurveyAnswer>,
    /// Free-text answers withheld from the worker.
    pub withheld: usize,
}

/// An episode's surveys, for its team and lead.
#[derive(Debug, Clone)]
pub struct EpisodeSurveys {
    pub episode: EpisodeId,
    pub family: String,
    pub closed: bool,
    pub lines: Vec<SurveyLine>,
    /// Children on the episode aged 8 to 17 today, who may be sent the children's version.
    pub children: Vec<(PersonId, String)>,
    /// The moments a survey may be sent at now.
    pub moments: Vec<Moment>,
}

/// What the family's page asks, once the link is known to be usable.
#[derive(Debug, Clone)]
pub struct SurveyAsk {
    pub moment: Moment,
    pub audience: Audience,
    /// Closure's link for the family also asks the feedback form (rating, what changed).
    pub feedback_form: bool,
    pub questions: Vec<Question>,
}

/// One group's answers in a period, as the analysts read them.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultLine {
    pub organisation: String,
    pub team: String,
    pub moment: Moment,
    pub audience: Audience,
    pub answered: Shown,
    /// Of those who answered "are things better?", who said better.
    pub better: Shown,
    /// Of those asked "does your worker listen?", who said yes.
    pub listened: Shown,
}

/// The family's voice in aggregate for a quarter.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub quarter: Quarter,
    pub lines: Vec<ResultLine>,
    pub suppressed: bool,
}

fn age_today(p: &hearth_store::family::people::Person, today: chrono::NaiveDate) -> Option<Age> {
    p.dob.map(|date| {
        DateOfBirth {
            date,
            certainty: p.dob_certainty.unwrap_or(DobCertainty::Exact),
        }
        .age_on(today)
    })
}

fn years(age: Option<Age>) -> Option<u32> {
    match age {
        Some(Age::Years(y)) => Some(y),
        _ => None,
    }
}

impl Hearth {
    /// The moments a survey may be sent at: start and review while the help goes on,
    /// closure once it has ended.
    fn moments_for(status: EpisodeStatus) -> Vec<Moment> {
        if status == EpisodeStatus::Closed {
            vec![Moment::Closure]
        } else {
            vec![Moment::Start, Moment::Review]
        }
    }

    /// An episode's surveys and where each stands, for its owning team and lead (audited).
    pub async fn episode_surveys(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<EpisodeSurveys, AppError> {
        let viewer = self.viewer(actor);
        let opened = self.gate.open_for_surveys(&viewer, id).await?;
        let e = opened.episode().episode().clone();
        let mut conn = self.store.read().await?;
        let list = store::invitations(&mut conn, &opened).await?;
        let family = people::summaries(&mut conn, &e.people).await?;
        drop(conn);
        let today = self.now().date_naive();
        let name_of = |p: PersonId| {
            family
                .iter()
                .find(|x| x.id == p)
                .map(|x| format!("{} {}", x.given_names, x.family_name))
        };
        let free_text = self.policies.surveys.workers_read_free_text;
        let lines = list
            .into_iter()
            .map(|(invitation, answers)| {
                let (shown, withheld): (Vec<_>, Vec<_>) = answers
                    .into_iter()
                    .partition(|a| free_text || !is_free_text(&a.question));
                SurveyLine {
                    child: invitation.child.and_then(name_of),
                    invitation,
                    answers: shown,
                    withheld: withheld.len(),
                }
            })
            .collect();
        let children = family
            .iter()
            .filter(|p| child_may_answer(years(age_today(p, today))))
            .map(|p| (p.id, format!("{} {}", p.given_names, p.family_name)))
            .collect();
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::SurveysViewed,
            &actor.origin,
            self.now(),
        );
        ev.record_type = Some("episode");
        ev.record_id = Some(id.to_string());
        self.append_event(&ev).await?;
        Ok(EpisodeSurveys {
            episode: id,
            family: family
                .first()
                .map(|p| p.family_name.clone())
                .unwrap_or_default(),
            closed: e.status == EpisodeStatus::Closed,
            lines,
            children,
            moments: Self::moments_for(e.status),
        })
    }

    /// Makes a survey link for the family or one child, records it (audited, and a line in
    /// the chronology), and emails it to the family's grown-ups who gave an address and did
    /// not withdraw consent; a child's link is never emailed, it is given by the worker.
    pub async fn send_survey(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &SurveyRequest,
    ) -> Result<SurveyLink, AppError> {
        let viewer = self.viewer(actor);
        let opened = self.gate.open_for_surveys(&viewer, id).await?;
        let e = opened.episode().episode().clone();
        let now = self.now();
        let mut errors = FieldErrors::new();
        let moment =
            Moment::from_code(&form.moment).filter(|m| Self::moments_for(e.status).contains(m));
        if moment.is_none() {
            errors.add("moment", "Choose when in the help this survey is for");
        }
        let mut conn = self.store.read().await?;
        let family = people::summaries(&mut conn, &e.people).await?;
        drop(conn);
        let (audience, child) = match form.who.as_str() {
            "family" => (Some(Audience::Family), None),
            other => match other.parse::<PersonId>().ok().and_then(|c| {
                family
                    .iter()
                    .find(|p| p.id == c && child_may_answer(years(age_today(p, now.date_naive()))))
            }) {
                Some(p) => (Some(Audience::Child), Some(p.id)),
                None => (None, None),
            },
        };
        if audience.is_none() {
            errors.add(
                "who",
                "Choose the family, or a child aged 8 to 17 on this episode",
            );
        }
        let (Some(moment), Some(audience)) = (moment, audience) else {
            return Err(AppError::Invalid(errors));
        };
        let mut tx = self.store.write().await?;
        let link = self
            .issue_survey(&mut tx, &opened, actor, (moment, audience, child), false)
            .await?;
        Store::commit(tx).await?;
        Ok(link)
    }

    /// Makes the link in the caller's transaction, emails the family's grown-ups (not a
    /// child: the worker gives a child's link), and writes the chronology line and the audit
    /// event (`automatic` when Hearth sent it after a review).
    pub(crate) async fn issue_survey(
        &self,
        tx: &mut Tx,
        opened: &SurveyingEpisode,
        actor: &Actor,
        (moment, audience, child): (Moment, Audience, Option<PersonId>),
        automatic: bool,
    ) -> Result<SurveyLink, AppError> {
        let e = opened.episode().episode();
        let now = self.now();
        let token = random_token();
        let invitation = Uuid::now_v7();
        let expires_at = feedback::expires(now);
        let version = self.policies.surveys.version.clone();
        store::send(
            tx,
            opened,
            invitation,
            &token_hash(&token),
            actor.user_id,
            (now, expires_at),
            LinkFor {
                moment,
                audience,
                child,
                version: &version,
            },
        )
        .await?;
        let path = format!("/feedback/{token}");
        let mut emailed = 0;
        if audience == Audience::Family {
            let family = people::summaries(tx, &e.people).await?;
            let letter = Letter {
                template: Template::SurveyLink,
                values: vec![("expires", expires_at.format("%d/%m/%Y").to_string())],
                path: &path,
                record_type: "episode",
                record_id: e.id.to_string(),
            };
            let mut sent_to: Vec<String> = Vec::new();
            for person in &family {
                let Some(address) = person.email.as_deref().map(|a| a.trim().to_lowercase()) else {
                    continue;
                };
                let consents = consents::for_person(tx, person.id).await?;
                let withdrawn =
                    !consents.is_empty() && consents.iter().all(|c| c.withdrawn_on.is_some());
                if !writes_to_family_member(age_today(person, now.date_naive()))
                    || withdrawn
                    || sent_to.contains(&address)
                {
                    continue;
                }
                if self
                    .queue_for_person(tx, person, &letter, now)
                    .await?
                    .is_some()
                {
                    sent_to.push(address);
                }
            }
            emailed = sent_to.len();
        }
        let entry = NewEntry {
            at: now,
            occurred_on: now.date_naive(),
            kind: EntryKind::Note,
            episode: Some(e.id),
            organisation: None,
            actor: Some(actor.user_id),
            summary: format!(
                "A survey was sent ({}, {}){}",
                moment.label().to_lowercase(),
                audience.label().to_lowercase(),
                if automatic { " with the review" } else { "" }
            ),
            record_type: Some("episode"),
            record_id: Some(e.id.to_string()),
            visibility: NoteVisibility::Taf,
            people: &e.people,
        };
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::SurveySent,
            &actor.origin,
            now,
        );
        a.record_type = Some("episode");
        a.record_id = Some(e.id.to_string());
        a.detail = Some(
            serde_json::json!({ "invitation": invitation.to_string(), "moment": moment.code(),
                "audience": audience.code(), "emailed": emailed, "automatic": automatic })
            .to_string(),
        );
        chronology::append(tx, &entry).await?;
        audit::append(tx, &a).await?;
        Ok(SurveyLink {
            episode: e.id,
            moment,
            audience,
            path,
            expires_at,
            emailed,
        })
    }

    /// What a link asks, if it can be used now; a used or expired link is refused (audited).
    pub async fn survey_link(
        &self,
        token: &str,
        origin: &Origin,
    ) -> Result<Result<SurveyAsk, LinkProblem>, AppError> {
        let as_family = self.as_family(origin);
        match self
            .gate
            .answering_link(&token_hash(token), &as_family, self.now())
            .await?
        {
            Ok(link) => Ok(Ok(self.asks(link.invitation()))),
            Err(problem) => Ok(Err(problem)),
        }
    }

    fn as_family(&self, origin: &Origin) -> hearth_domain::audit::NewAuditEvent {
        event(
            None,
            "the family (survey link)",
            AuditAction::SurveyAnswered,
            origin,
            self.now(),
        )
    }

    fn asks(&self, inv: &Invitation) -> SurveyAsk {
        let feedback_form = inv.moment == Moment::Closure && inv.audience == Audience::Family;
        // Links made before surveys asked only the feedback form.
        let questions = if inv.version.is_some() {
            self.policies.surveys.questions(inv.moment, inv.audience)
        } else {
            Vec::new()
        };
        SurveyAsk {
            moment: inv.moment,
            audience: inv.audience,
            feedback_form,
            questions,
        }
    }

    /// The family's (or child's) answer through their link, in the language they answered
    /// in: stored once with the questions as asked, a line in the episode's chronology, and
    /// audited (with no account: the link is who they are). `sent` holds each field by name:
    /// the survey's questions, and the feedback form's where the link has one.
    pub async fn answer_survey(
        &self,
        token: &str,
        language: &str,
        sent: &HashMap<String, String>,
        origin: &Origin,
    ) -> Result<Result<(), LinkProblem>, AppError> {
        let as_family = self.as_family(origin);
        let now = self.now();
        let link = match self
            .gate
            .answering_link(&token_hash(token), &as_family, now)
            .await?
        {
            Ok(link) => link,
            Err(problem) => return Ok(Err(problem)),
        };
        let asks = self.asks(link.invitation());
        let mut errors = FieldErrors::new();
        let form = if asks.feedback_form {
            let field = |n: &str| sent.get(n).cloned().unwrap_or_default();
            match (FeedbackForm {
                rating: field("rating"),
                what_changed: field("what_changed"),
                anything_else: field("anything_else"),
            })
            .checked(now)
            {
                Ok(a) => Some(a),
                Err(e) => {
                    for (f, m) in e.iter() {
                        errors.add(f, m);
                    }
                    None
                }
            }
        } else {
            None
        };
        let given = match check(&asks.questions, sent) {
            Ok(g) => g,
            Err(problems) => {
                for (code, problem) in problems {
                    errors.add(
                        code,
                        match problem {
                            AnswerProblem::Choose => "Choose an answer",
                            AnswerProblem::TooLong => {
                                "This answer is too long: make it 2,000 characters or fewer"
                            }
                        },
                    );
                }
                Vec::new()
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let language = crate::voice::language_code(language);
        let inv = link.invitation().clone();
        let mut tx = self.store.write().await?;
        match store::answer(&mut tx, &link, now, language, form.as_ref(), &given).await {
            // Used or withdrawn a moment ago, by another answer or a new link.
            Err(StoreError::Conflict) => {
                return Ok(Err(
                    match hearth_store::episodes::feedback::by_token(&mut tx, &token_hash(token))
                        .await?
                    {
                        Some(i) if i.answered_at.is_some() => LinkProblem::Used,
                        _ => LinkProblem::Expired,
                    },
                ))
            }
            other => other?,
        }
        let said = match &form {
            Some(a) => format!(
                "The family said how the help went: {}",
                feedback::rating_label(a.rating).unwrap_or_default()
            ),
            None => format!(
                "{} answered a survey ({})",
                if inv.audience == Audience::Child {
                    "A child"
                } else {
                    "The family"
                },
                inv.moment.label().to_lowercase()
            ),
        };
        let entry = NewEntry {
            at: now,
            occurred_on: now.date_naive(),
            kind: if inv.moment == Moment::Closure {
                EntryKind::Closure
            } else {
                EntryKind::Note
            },
            episode: Some(inv.episode_id),
            organisation: None,
            actor: None,
            summary: said,
            record_type: Some("episode"),
            record_id: Some(inv.episode_id.to_string()),
            visibility: NoteVisibility::Taf,
            people: link.people(),
        };
        let mut a = as_family;
        a.action = if form.is_some() {
            AuditAction::FeedbackGiven
        } else {
            AuditAction::SurveyAnswered
        };
        a.record_type = Some("episode");
        a.record_id = Some(inv.episode_id.to_string());
        a.detail = Some(
            serde_json::json!({ "invitation": inv.id.to_string(), "moment": inv.moment.code(),
                "audience": inv.audience.code(), "language": language })
            .to_string(),
        );
        record_step(tx, &entry, &a).await?;
        Ok(Ok(()))
    }

    /// The family's voice in aggregate for a quarter, per organisation, team, moment and
    /// audience: how many answered, how many said things are better and that their worker
    /// listens. Counts under 5 are hidden outside the council. Audited.
    pub async fn survey_results(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<SurveyResults, AppError> {
        let viewer = self.viewer(actor);
        let desk = self.gate.voice_desk(&viewer).await?;
        let mut conn = self.store.read().await?;
        let organisation = organisations::get(&mut conn, actor.organisation_id).await?;
        let answered = store::answered(&mut conn, &desk, quarter.start(), quarter.end()).await?;
        drop(conn);
        let suppressed = organisation.kind != OrganisationKind::LocalAuthority;
        let lines = tally(&answered)
            .into_iter()
            .map(|((organisation, team, moment, audience), t)| ResultLine {
                organisation,
                team,
                moment,
                audience,
                answered: show(
                    Figure {
                        numerator: t.answered,
                        denominator: None,
                    },
                    Unit::Count,
                    suppressed,
                ),
                better: show(
                    Figure {
                        numerator: t.better,
                        denominator: Some(t.better_of),
                    },
                    Unit::Percent,
                    suppressed,
                ),
                listened: show(
                    Figure {
                        numerator: t.listened,
                        denominator: Some(t.listened_of),
                    },
                    Unit::Percent,
                    suppressed,
                ),
            })
            .collect();
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::SurveyResultsViewed,
            &actor.origin,
            self.now(),
        );
        ev.record_type = Some("surveys");
        ev.record_id = Some(quarter.code());
        self.append_event(&ev).await?;
        Ok(SurveyResults {
            quarter,
            lines,
            suppressed,
        })
    }
}

/// The language an answer is recorded in: one of the six, else English.
pub(crate) fn language_code(code: &str) -> &'static str {
    hearth_domain::message::Language::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .map_or("en", |l| l.code())
}

/// Free text is any answer to a question that is not a choice.
fn is_free_text(question: &str) -> bool {
    !matches!(question, "better" | "listened" | "clear")
}

/// The counts of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub answered: u64,
    pub better: u64,
    pub better_of: u64,
    pub listened: u64,
    pub listened_of: u64,
}

type Group = (String, String, Moment, Audience);

/// Counts the answered surveys per organisation, team, moment and audience, in that order.
pub fn tally(answered: &[hearth_store::voice::AnsweredSurvey]) -> Vec<(Group, Tally)> {
    let mut groups: Vec<(Group, Tally)> = Vec::new();
    for s in answered {
        let key = (s.organisation.clone(), s.team.clone(), s.moment, s.audience);
        let at = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((key, Tally::default()));
                groups.len() - 1
            }
        };
        let t = &mut groups[at].1;
        t.answered += 1;
        for (q, a) in &s.choices {
            match q.as_str() {
                "better" => {
                    t.better_of += 1;
                    t.better += u64::from(a == "better");
                }
                "listened" => {
                    t.listened_of += 1;
                    t.listened += u64::from(a == "yes");
                }
                _ => {}
            }
        }
    }
    let order = |m: Moment| Moment::ALL.iter().position(|x| *x == m);
    groups.sort_by(|(a, _), (b, _)| {
        (&a.0, &a.1, order(a.2), a.3 == Audience::Child).cmp(&(
            &b.0,
            &b.1,
            order(b.2),
            b.3 == Audience::Child,
        ))
    });
    groups
}

/// Whether a question takes free text, for the page.
pub fn takes_text(q: &Question) -> bool {
    q.kind == Kind::Text
}
