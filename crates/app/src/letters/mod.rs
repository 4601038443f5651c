//! Letters to a family as PDF in their language (ADR 0043): the family plan, an invitation to
//! a Team Around the Family meeting and the letter when help ends, from the partnership's
//! wording (or Hearth's), set by [`crate::print`] without a browser, right to left for Arabic
//! and Urdu. Made through the gate by whoever may work on the episode, audited, and kept as a
//! document on the episode.

use crate::accounts::auth::event;
use crate::documents::Attach;
use crate::print::Lines;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::document::{DocumentKind, FileType};
use hearth_domain::ids::{DocumentId, EpisodeId};
use hearth_domain::input::FieldErrors;
use hearth_domain::letter::{self, family_language, LetterKind, Member};
use hearth_domain::message::Language;
use hearth_domain::role::Capability;
use hearth_store::episodes::{plans, reviews};
use hearth_store::family::people;
use hearth_store::letters::{self as store};
use hearth_store::{Store, StoreError};

/// A letter made: the document it is kept as, and its bytes.
pub struct Letter {
    pub document: DocumentId,
    pub file_name: String,
    pub pdf: Vec<u8>,
}

/// Which letter to make, as chosen: a letter's code, and a language's code (empty: the
/// family's own).
#[derive(Debug, Clone, Default)]
pub struct LetterForm {
    pub letter: String,
    pub language: String,
}

/// A letter's wording as an administrator edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    pub kind: LetterKind,
    pub language: Language,
    pub body: String,
    /// 0 while the shipped wording is used.
    pub version: i64,
}

impl Hearth {
    /// Makes the letter chosen for an episode in the language chosen (the family's own when
    /// none is), keeps it as a document on the episode and returns it. The gate opens the
    /// episode before the choice is read, so a refusal is the same whatever was sent.
    pub async fn produce_letter(
        &self,
        actor: &Actor,
        episode: EpisodeId,
        form: &LetterForm,
    ) -> Result<Letter, AppError> {
        let opened = self.episode_for(actor, episode, |m| m.contribute).await?;
        let mut errors = FieldErrors::new();
        let kind = LetterKind::from_code(&form.letter);
        if kind.is_none() {
            errors.add("letter", "Choose which letter to make");
        }
        let language = match form.language.as_str() {
            "" => None,
            code => {
                let l = Language::from_code(code);
                if l.is_none() {
                    errors.add("language", "Choose a language from the list");
                }
                l
            }
        };
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let e = opened.episode();
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        let family = people::summaries(&mut conn, &e.people).await?;
        let language = language.unwrap_or_else(|| {
            let members: Vec<Member<'_>> = family
                .iter()
                .map(|p| Member {
                    adult: p
                        .dob
                        .and_then(|d| today.years_since(d))
                        .is_none_or(|y| y >= 18),
                    first_language: p.first_language.as_deref(),
                })
                .collect();
            family_language(&members)
        });
        let template = match store::template(&mut conn, kind, language).await? {
            Some(t) => t.body,
            None => kind.shipped(language).to_string(),
        };
        let mut values = vec![
            (
                "family",
                family
                    .iter()
                    .map(|p| format!("{} {}", p.given_names, p.family_name))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                "lead",
                e.lead_name
                    .clone()
                    .or_else(|| e.owning_team_name.clone())
                    .unwrap_or_default(),
            ),
            ("partnership", self.policies.partnership_name.clone()),
            ("date", today.format("%d/%m/%Y").to_string()),
        ];
        match kind {
            LetterKind::FamilyPlan => {
                let plan = plans::for_episode(&mut conn, &opened).await?;
                let mut lines = Vec::new();
                for o in plan.iter().flat_map(|p| &p.fields.outcomes) {
                    lines.push(o.text.clone());
                    for a in plan.iter().flat_map(|p| &p.fields.actions) {
                        if a.outcome_id == o.id {
                            lines.push(format!("  - {}", a.what));
                        }
                    }
                }
                values.push(("plan", lines.join("\n")));
            }
            LetterKind::TafInvitation => {
                let next = reviews::for_episode(&mut conn, &opened)
                    .await?
                    .iter()
                    .map(|r| r.fields.next_review_on)
                    .max();
                values.push((
                    "meeting",
                    next.map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                ));
            }
            LetterKind::Closure => {
                values.push(("summary", e.closure_summary.clone().unwrap_or_default()));
            }
        }
        drop(conn);
        let text = letter::fill(&template, &values);
        let title = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or(kind.label())
            .to_string();
        let pdf = print(&title, &text)?;
        let file_name = format!("{}-{}.pdf", kind.code().replace('_', "-"), language.code());
        let opened = crate::documents::Opened::Episode(Box::new(opened));
        let document = self
            .keep_document(
                actor,
                &opened,
                Attach::Episode(episode),
                crate::documents::Kept {
                    action: AuditAction::LetterProduced,
                    kind: DocumentKind::Letter,
                    title: &format!("{} ({})", kind.label(), language.english_name()),
                    file_name: &file_name,
                    file_type: FileType::Pdf,
                    bytes: &pdf,
                },
            )
            .await?;
        Ok(Letter {
            document,
            file_name,
            pdf,
        })
    }

    /// A letter's wording in a language, for an administrator to edit.
    pub async fn letter_template(
        &self,
        actor: &Actor,
        kind: LetterKind,
        language: Language,
    ) -> Result<TemplateView, AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut conn = self.store.read().await?;
        let saved = store::template(&mut conn, kind, language).await?;
        Ok(match saved {
            Some(t) => TemplateView {
                kind,
                language,
                body: t.body,
                version: t.version,
            },
            None => TemplateView {
                kind,
                language,
                body: kind.shipped(language).to_string(),
                version: 0,
            },
        })
    }

    /// Saves an administrator's wording of a letter, checked first (placeholders known and
    /// closed); a save from an out-of-date copy is refused and nothing is lost (the form keeps
    /// what was typed). Audited.
    pub async fn save_letter_template(
        &self,
        actor: &Actor,
        kind: LetterKind,
        language: Language,
        body: &str,
        version: i64,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        if let Err(p) = letter::check(kind, body) {
            let mut e = FieldErrors::new();
            e.add("body", p.message(kind));
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        match store::save(&mut tx, kind, language, body, version, actor.user_id, now).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        }
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::LetterTemplateChanged,
            &actor.origin,
            now,
        );
        a.record_type = Some("letter_template");
        a.record_id = Some(format!("{}:{}", kind.code(), language.code()));
        hearth_store::audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// The letter on A4: its first line as the heading, each paragraph after it.
fn print(title: &str, text: &str) -> Result<Vec<u8>, AppError> {
    let font = |_| AppError::Internal("the letter's font could not be read".into());
    let mut lines = Lines::new().map_err(font)?;
    lines.add(title, 18.0, true, 0.0);
    let mut gap = 14.0;
    for line in text.trim_start().lines().skip(1) {
        if line.trim().is_empty() {
            gap = 10.0;
            continue;
        }
        lines.add(line, 11.0, false, gap);
        gap = 0.0;
    }
    lines.write(title).map_err(font)
}
