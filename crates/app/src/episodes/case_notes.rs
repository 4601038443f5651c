//! Case notes on an episode and the family's chronology. A note is never silently
//! overwritten: an edit keeps the earlier text, and an edit from an out-of-date copy is
//! refused with both versions returned so nothing typed is lost.

use crate::accounts::auth::event;
use crate::episodes::record::record_step;
use crate::family::parse_date;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, Utc};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{self, NoteKind, NoteVisibility};
use hearth_domain::ids::{EpisodeId, NoteId, OrganisationId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::episodes::case_notes::{self, Note, NoteFields, Revision};
use hearth_store::episodes::Episode;
use hearth_store::family::chronology::{self, Entry, Filter, NewEntry};
use hearth_store::StoreError;
use serde::Deserialize;

/// A note as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub occurred_on: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub child_seen: String,
    #[serde(default)]
    pub child_seen_alone: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub visibility: String,
    /// The version the edit started from (edits only).
    #[serde(default)]
    pub version: i64,
}

/// The longest note we keep (about 15 pages of text).
pub const NOTE_MAX: usize = 50_000;

impl NoteForm {
    fn check(
        &self,
        started: chrono::NaiveDate,
        today: chrono::NaiveDate,
    ) -> Result<NoteFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = NoteKind::from_code(&self.kind);
        if kind.is_none() {
            e.add(
                "kind",
                "Choose the kind of contact: visit, call, meeting, message or other",
            );
        }
        let on = parse_date(&mut e, "occurred_on", &self.occurred_on);
        if self.occurred_on.trim().is_empty() {
            e.add("occurred_on", "Enter the date it happened, like 27/03/2026");
        }
        if let Some(on) = on {
            if let Err(r) = episode::check_happened(on, started, today) {
                e.add("occurred_on", r.message("The date", started));
            }
        }
        let participants = input::optional_text(
            &mut e,
            "participants",
            "who took part",
            &self.participants,
            500,
        );
        let body = input::required_text(&mut e, "body", "what happened", &self.body, NOTE_MAX);
        let seen = self.child_seen == "yes";
        let alone = self.child_seen_alone == "yes";
        if alone && !seen {
            e.add(
                "child_seen_alone",
                "A child seen alone was seen: tick “child seen” too",
            );
        }
        // Nothing chosen is the usual "the TAF may read it"; anything else must be a choice
        // offered, never quietly widened.
        let visibility = if self.visibility.is_empty() {
            Some(NoteVisibility::Taf)
        } else {
            NoteVisibility::from_code(&self.visibility)
        };
        if visibility.is_none() {
            e.add("visibility", "Choose who may read the note");
        }
        let (Some(kind), Some(on), Some(visibility), true) = (kind, on, visibility, e.is_empty())
        else {
            return Err(e);
        };
        Ok(NoteFields {
            kind,
            occurred_on: on,
            participants: participants.unwrap_or_default(),
            child_seen: seen,
            child_seen_alone: alone,
            body,
            visibility,
        })
    }

    /// The form filled from a saved note, for editing.
    pub fn from_note(n: &Note) -> Self {
        NoteForm {
            kind: n.fields.kind.code().into(),
            occurred_on: n.fields.occurred_on.format("%d/%m/%Y").to_string(),
            participants: n.fields.participants.clone(),
            child_seen: if n.fields.child_seen {
                "yes".into()
            } else {
                String::new()
            },
            child_seen_alone: if n.fields.child_seen_alone {
                "yes".into()
            } else {
                String::new()
            },
            body: n.fields.body.clone(),
            visibility: n.fields.visibility.code().into(),
            version: n.version,
        }
    }
}

/// A refused edit: what is saved now, and what this user typed, side by side.
pub struct NoteConflict {
    pub saved: Note,
    pub yours: NoteForm,
}

pub enum NoteEdit {
    Saved,
    Conflict(Box<NoteConflict>),
}

/// A page of the chronology.
pub struct ChronologyPage {
    pub entries: Vec<Entry>,
    pub more: bool,
    pub page: i64,
    pub organisations: Vec<(OrganisationId, String)>,
    pub people: Vec<PersonId>,
}

pub const CHRONOLOGY_PAGE: i64 = 50;

impl Hearth {
    /// Adds a case note (any TAF member may).
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &NoteForm,
    ) -> Result<NoteId, AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        let (e, may) = (opened.episode(), opened.may());
        let mut tx = self.store.write().await?;
        let now = self.now();
        let mut fields = form
            .check(e.started_on, now.date_naive())
            .map_err(AppError::Invalid)?;
        // Only those who may read owning-team notes may write them.
        if !may.restricted_notes {
            fields.visibility = NoteVisibility::Taf;
        }
        let note = case_notes::insert(
            &mut tx,
            &opened,
            &fields,
            actor.user_id,
            actor.organisation_id,
            now,
        )
        .await?;
        let entry = note_entry(e, actor, note, &fields, note_summary(&fields), now);
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseNoteAdded,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_note");
        a.record_id = Some(note.to_string());
        a.detail = Some(format!(r#"{{"episode":"{id}"}}"#));
        record_step(tx, &entry, &a).await?;
        Ok(note)
    }

    /// A note and its earlier texts, for reading or editing. Restricted notes only for the
    /// owning team.
    pub async fn note(
        &self,
        actor: &Actor,
        id: NoteId,
    ) -> Result<(Note, Vec<Revision>, bool), AppError> {
        let episode = {
            let mut conn = self.store.read().await?;
            case_notes::episode_of(&mut conn, id).await?
        };
        let opened = self
            .episode_for(actor, episode, |m| m.contribute || m.edit)
            .await?;
        let mut conn = self.store.read().await?;
        let note = case_notes::get(&mut conn, &opened, id).await?;
        if note.fields.visibility == NoteVisibility::OwningTeam && !opened.may().restricted_notes {
            drop(conn);
            return Err(self.refused(actor, "case_note", id.to_string()).await);
        }
        let revisions = case_notes::revisions(&mut conn, &opened, id).await?;
        let may_edit = note.author_id == actor.user_id;
        drop(conn);
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::EpisodeViewed,
            &actor.origin,
            self.now(),
        );
        a.record_type = Some("case_note");
        a.record_id = Some(id.to_string());
        self.append_event(&a).await?;
        Ok((note, revisions, may_edit))
    }

    /// Edits a note (its author only). The earlier text is kept; if someone else saved the
    /// note since this user opened it, nothing is saved and both versions come back.
    pub async fn edit_note(
        &self,
        actor: &Actor,
        id: NoteId,
        form: &NoteForm,
    ) -> Result<NoteEdit, AppError> {
        let episode = {
            let mut conn = self.store.read().await?;
            case_notes::episode_of(&mut conn, id).await?
        };
        let opened = self.episode_for(actor, episode, |m| m.contribute).await?;
        let note = {
            let mut conn = self.store.read().await?;
            case_notes::get(&mut conn, &opened, id).await?
        };
        if note.author_id != actor.user_id {
            return Err(self.refused(actor, "case_note", id.to_string()).await);
        }
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let now = self.now();
        let fields = form
            .check(e.started_on, now.date_naive())
            .map_err(AppError::Invalid)?;
        match case_notes::edit(
            &mut tx,
            &opened,
            id,
            form.version,
            &fields,
            actor.user_id,
            now,
        )
        .await
        {
            Err(StoreError::Conflict) => {
                return Ok(NoteEdit::Conflict(Box::new(NoteConflict {
                    saved: note,
                    yours: form.clone(),
                })))
            }
            other => other?,
        }
        let entry = note_entry(
            e,
            actor,
            id,
            &fields,
            format!(
                "Note edited (the earlier text is kept): {}",
                note_summary(&fields)
            ),
            now,
        );
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::CaseNoteEdited,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_note");
        a.record_id = Some(id.to_string());
        record_step(tx, &entry, &a).await?;
        Ok(NoteEdit::Saved)
    }

    /// A page of the chronology of the family this person belongs to (their household now
    /// and before, and themselves), newest first. Audited.
    pub async fn chronology(
        &self,
        actor: &Actor,
        person: PersonId,
        filter_kinds: &[String],
        organisation: Option<OrganisationId>,
        page: i64,
        reason: Option<&str>,
    ) -> Result<ChronologyPage, AppError> {
        let viewer = self.viewer(actor);
        // The chronology is the record: a restricted person's needs the reason here too.
        let opened = self
            .gate
            .open_person(&viewer, person, RecordAction::View, reason)
            .await?;
        let scope = self.gate.chronology_scope(&viewer, &opened).await?;
        let people = scope.people();
        let page = page.max(1);
        // A kind not known is not a filter anyone could have chosen: it is left out.
        let kinds: Vec<EntryKind> = filter_kinds
            .iter()
            .filter_map(|k| EntryKind::from_code(k))
            .collect();
        let filter = Filter {
            kinds,
            organisation,
        };
        let mut conn = self.store.read().await?;
        let (entries, more) = chronology::page(
            &mut conn,
            &scope,
            &filter,
            (page - 1) * CHRONOLOGY_PAGE,
            CHRONOLOGY_PAGE,
        )
        .await?;
        let organisations = chronology::organisations(&mut conn, &scope).await?;
        drop(conn);
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::ChronologyViewed,
            &actor.origin,
            self.now(),
        );
        a.record_type = Some("person");
        a.record_id = Some(opened.id().to_string());
        a.reason = opened.reason().map(str::to_string);
        // Whom the page showed, so the data protection officer can tell who saw a person through
        // a relative's chronology.
        a.detail = Some(
            serde_json::json!({
                "page": page,
                "people": people.len(),
                "shown": people.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
            .to_string(),
        );
        self.append_event(&a).await?;
        Ok(ChronologyPage {
            entries,
            more,
            page,
            organisations,
            people,
        })
    }
}

/// One line for the chronology: the kind, who was seen, and the start of the text.
fn note_summary(f: &NoteFields) -> String {
    let kind = f.kind.label();
    let seen = match (f.child_seen, f.child_seen_alone) {
        (_, true) => " (child seen alone)",
        (true, false) => " (child seen)",
        _ => "",
    };
    let mut text: String = f.body.chars().take(200).collect();
    if f.body.chars().count() > 200 {
        text.push('…');
    }
    format!("{kind}{seen}: {text}")
}

/// A note's line in the family's chronology: a restricted note's line is seen only by the
/// owning team, as the note is.
fn note_entry<'a>(
    e: &'a Episode,
    actor: &Actor,
    note: NoteId,
    fields: &NoteFields,
    summary: String,
    at: DateTime<Utc>,
) -> NewEntry<'a> {
    NewEntry {
        at,
        occurred_on: fields.occurred_on,
        kind: EntryKind::Note,
        episode: Some(e.id),
        organisation: None,
        actor: Some(actor.user_id),
        summary,
        record_type: Some("case_note"),
        record_id: Some(note.to_string()),
        visibility: fields.visibility,
        people: &e.people,
    }
}
