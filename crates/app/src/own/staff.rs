//! The practitioner's side of the family's own page: inviting a family member to it from the
//! episode, the thread with the family on the episode, and sharing a case note with the
//! family. The lead and the owning team do these (the gate's `restricted_notes` permission:
//! the ones in touch with the family, as for surveys).

use super::message_error;
use crate::accounts::auth::event;
use crate::episodes::ev;
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth};
use chrono::Duration;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeStatus, NoteVisibility};
use hearth_domain::ids::{EpisodeId, NoteId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_domain::message::{sendable_address, Template};
use hearth_domain::own::check_message;
use hearth_store::episodes::case_notes;
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::family::people;
use hearth_store::own::{self, Sender, ShareableNote, ThreadMessage};
use hearth_store::{audit, Store};

/// The thread with the family as the episode shows it to the lead, and who in the family
/// may be invited to their own page.
#[derive(Debug, Clone)]
pub struct FamilyThread {
    pub episode: EpisodeId,
    pub status: EpisodeStatus,
    pub messages: Vec<ThreadMessage>,
    /// (person, name, what stops an invitation if anything).
    pub family: Vec<(PersonId, String, Option<String>)>,
    /// The notes the family may be shown, and whether each is.
    pub notes: Vec<ShareableNote>,
}

impl Hearth {
    /// The thread with the family, and who may be invited; each look audited.
    pub async fn family_thread(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<FamilyThread, AppError> {
        let opened = self.episode_for(actor, id, |m| m.restricted_notes).await?;
        let e = opened.episode();
        let now = self.now();
        let mut conn = self.store.read().await?;
        let messages = own::thread(&mut conn, &opened).await?;
        let notes = own::shareable_notes(&mut conn, &opened).await?;
        let people = people::summaries(&mut conn, &e.people).await?;
        drop(conn);
        let mut family = Vec::new();
        for p in people {
            let stop = if !p.email.as_deref().is_some_and(sendable_address) {
                Some("no email address recorded".to_string())
            } else if !self.gate.has_family_page(p.id, now).await? {
                Some("too young to have their own page".to_string())
            } else {
                None
            };
            family.push((p.id, format!("{} {}", p.given_names, p.family_name), stop));
        }
        let mut tx = self.store.write().await?;
        audit::append(
            &mut tx,
            &ev(actor, AuditAction::FamilyMessagesViewed, id, now),
        )
        .await?;
        Store::commit(tx).await?;
        Ok(FamilyThread {
            episode: id,
            status: e.status,
            messages,
            family,
            notes,
        })
    }

    /// Invites a family member to their own page: a one-time link by email in their language.
    /// Not for someone the family page would not open for (too young, not in the family), nor
    /// without an email address (text messages come later, issue 23 item 3).
    pub async fn invite_to_own_page(
        &self,
        actor: &Actor,
        id: EpisodeId,
        person: &str,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.restricted_notes).await?;
        let e = opened.episode();
        let now = self.now();
        let mut errors = FieldErrors::new();
        let person: Option<PersonId> = person.parse().ok().filter(|p| e.people.contains(p));
        let Some(person) = person else {
            errors.add("person", "Choose who in the family to invite");
            return Err(AppError::Invalid(errors));
        };
        if e.status == EpisodeStatus::Closed {
            errors.add("person", "The episode is closed");
            return Err(AppError::Invalid(errors));
        }
        let mut conn = self.store.read().await?;
        let p = people::get(&mut conn, person).await?;
        drop(conn);
        if !p.email.as_deref().is_some_and(sendable_address) {
            errors.add(
                "person",
                "Record their email address on their details first",
            );
            return Err(AppError::Invalid(errors));
        }
        if !self.gate.has_family_page(person, now).await? {
            errors.add("person", "They are too young for their own page");
            return Err(AppError::Invalid(errors));
        }
        let mut tx = self.store.write().await?;
        if own::links_since(&mut tx, person, now - Duration::hours(1)).await?
            >= self.policies.own.links_per_hour
        {
            errors.add(
                "person",
                "They were sent several links in the last hour; try again later",
            );
            return Err(AppError::Invalid(errors));
        }
        self.send_family_link(
            &mut tx,
            person,
            Some(id),
            Some(actor),
            &actor.email,
            &actor.origin,
            now,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The lead (or owning team) writes to the family: kept in the thread and the chronology,
    /// each family member in the thread told by email that there is a message.
    pub async fn message_family(
        &self,
        actor: &Actor,
        id: EpisodeId,
        text: &str,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.restricted_notes).await?;
        let e = opened.episode();
        let now = self.now();
        let from = Sender::Practitioner(actor.user_id);
        let mut tx = self.store.write().await?;
        let sent = own::sent_since(&mut tx, &from, now - Duration::hours(1)).await?;
        // Practitioners answer many families: their limit is ten times a family's.
        let body = check_message(text, sent, self.policies.own.messages_per_hour * 10)
            .map_err(message_error)?;
        let message = own::insert_message(&mut tx, &opened, &from, &body, now).await?;
        chronology::append(
            &mut tx,
            &NewEntry {
                at: now,
                occurred_on: now.date_naive(),
                kind: EntryKind::Message,
                episode: Some(e.id),
                organisation: None,
                actor: Some(actor.user_id),
                summary: format!("Message to the family: {body}"),
                record_type: Some("family_message"),
                record_id: Some(message.to_string()),
                visibility: NoteVisibility::OwningTeam,
                people: &e.people,
            },
        )
        .await?;
        for person in own::family_in_thread(&mut tx, &opened).await? {
            let p = people::get(&mut tx, person).await?;
            self.queue_for_person(
                &mut tx,
                &p,
                &Letter {
                    template: Template::FamilyMessage,
                    values: Vec::new(),
                    path: &format!("/my-family/episodes/{}", e.id),
                    record_type: "episode",
                    record_id: e.id.to_string(),
                },
                now,
            )
            .await?;
        }
        let mut a = ev(actor, AuditAction::FamilyMessageSent, id, now);
        a.detail = Some(
            serde_json::json!({ "message": message.to_string(), "from": "practitioner" })
                .to_string(),
        );
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Marks a case note shared with the family (or not): it then shows on their own page. A
    /// note restricted to the owning team cannot be shared.
    pub async fn share_note_with_family(
        &self,
        actor: &Actor,
        note: NoteId,
        shared: bool,
    ) -> Result<EpisodeId, AppError> {
        let mut conn = self.store.read().await?;
        let episode = case_notes::episode_of(&mut conn, note).await?;
        drop(conn);
        let opened = self
            .episode_for(actor, episode, |m| m.restricted_notes)
            .await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        own::set_note_shared(&mut tx, &opened, note, shared).await?;
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::NoteSharedWithFamily,
            &actor.origin,
            now,
        );
        a.record_type = Some("case_note");
        a.record_id = Some(note.to_string());
        a.detail = Some(
            serde_json::json!({ "episode": episode.to_string(), "shared": shared }).to_string(),
        );
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(episode)
    }
}
