//! The practitioner's side of the family's own page: inviting a family member to it from the
//! episode, the thread with the family on the episode, and sharing a case note with the
//! family. The lead and the owning team do these (the gate's `restricted_notes` permission:
//! the ones in touch with the family, as for surveys).

use super::{message_error, LinkChannel};
use crate::accounts::auth::event;
use crate::episodes::ev;
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth};
use chrono::Duration;
use hearth_domain::access::may_see_restricted;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeStatus, NoteVisibility};
use hearth_domain::ids::{EpisodeId, NoteId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_domain::message::{sendable_address, Template};
use hearth_domain::own::check_message;
use hearth_domain::person::ContactChoice;
use hearth_domain::role::RoleSet;
use hearth_store::episodes::case_notes;
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::family::people::{self, Person};
use hearth_store::own::{self, Sender, ShareableNote, ThreadMessage};
use hearth_store::{audit, Store};

/// The thread with the family as the episode shows it to the lead, and who in the family
/// may be invited to their own page.
#[derive(Debug, Clone)]
pub struct FamilyThread {
    pub episode: EpisodeId,
    pub status: EpisodeStatus,
    pub messages: Vec<ThreadMessage>,
    /// Who in the family may be invited, and by which channel.
    pub family: Vec<Invitable>,
    /// The notes the family may be shown, and whether each is.
    pub notes: Vec<ShareableNote>,
}

/// A family member as the invitation offers them: what stops each channel, if anything.
#[derive(Debug, Clone)]
pub struct Invitable {
    pub person: PersonId,
    pub name: String,
    /// What stops an invitation at all (too young; contact details a restriction withholds
    /// from this user), before any channel.
    pub stop: Option<String>,
    pub by_email: Result<(), String>,
    pub by_text: Result<(), String>,
}

impl Invitable {
    /// A restriction that withholds their contact details from this user withholds sending
    /// to them too (it is there because someone must not reach them), and says nothing of
    /// what the details are.
    fn of(p: &Person, has_page: bool, roles: &RoleSet) -> Self {
        let withheld = p.restricted && !may_see_restricted(roles, &p.restriction_roles);
        let stop = if !has_page {
            Some("too young to have their own page")
        } else if withheld {
            Some("their contact details are restricted, so someone the restriction names must send the link")
        } else {
            None
        };
        Invitable {
            person: p.id,
            name: format!("{} {}", p.given_names, p.family_name),
            stop: stop.map(str::to_string),
            by_email: may_email(p).map_err(str::to_string),
            by_text: p
                .contact
                .may_text()
                .map(|_| ())
                .map_err(|r| r.message().to_string()),
        }
    }

    /// Whether a link can reach them by this channel.
    pub fn by(&self, channel: LinkChannel) -> Result<(), &str> {
        if let Some(stop) = &self.stop {
            return Err(stop);
        }
        match channel {
            LinkChannel::Email => self.by_email.as_ref().map_err(String::as_str).copied(),
            LinkChannel::Text => self.by_text.as_ref().map_err(String::as_str).copied(),
        }
    }
}

/// Whether a person may be sent a link by email: an address we can send to, and email among
/// the channels they chose.
fn may_email(p: &Person) -> Result<(), &'static str> {
    if !p.email.as_deref().is_some_and(sendable_address) {
        return Err("Record their email address on their details first");
    }
    if p.contact.contact_by == Some(ContactChoice::Text) {
        return Err("They asked to hear from us by text only");
    }
    Ok(())
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
            let has_page = self.gate.has_family_page(p.id, now).await?;
            family.push(Invitable::of(&p, has_page, &actor.roles));
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

    /// Invites a family member to their own page: a one-time link in their language, by
    /// email or by text. Not for someone the family page would not open for (too young, not
    /// in the family), nor by a channel that cannot reach them safely: no address, no mobile,
    /// texting not safe or never asked, or a channel they did not choose. A text outside the
    /// hours they said are safe waits in the outbox until they begin.
    pub async fn invite_to_own_page(
        &self,
        actor: &Actor,
        id: EpisodeId,
        person: &str,
        channel: &str,
    ) -> Result<LinkChannel, AppError> {
        let opened = self.episode_for(actor, id, |m| m.restricted_notes).await?;
        let e = opened.episode();
        let now = self.now();
        let mut errors = FieldErrors::new();
        let person: Option<PersonId> = person.parse().ok().filter(|p| e.people.contains(p));
        let channel = LinkChannel::from_code(channel.trim());
        if channel.is_none() {
            errors.add(
                "channel",
                "Choose whether to send the link by email or by text",
            );
        }
        let (Some(person), Some(channel)) = (person, channel) else {
            if person.is_none() {
                errors.add("person", "Choose who in the family to invite");
            }
            return Err(AppError::Invalid(errors));
        };
        if e.status == EpisodeStatus::Closed {
            errors.add("person", "The episode is closed");
            return Err(AppError::Invalid(errors));
        }
        let mut conn = self.store.read().await?;
        let p = people::get(&mut conn, person).await?;
        drop(conn);
        let has_page = self.gate.has_family_page(person, now).await?;
        let invitable = Invitable::of(&p, has_page, &actor.roles);
        if let Err(why) = invitable.by(channel) {
            let field = if invitable.stop.is_some() {
                "person"
            } else {
                "channel"
            };
            errors.add(field, format!("{}: {why}", invitable.name));
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
            &p,
            channel,
            Some(id),
            Some(actor),
            &actor.origin,
            now,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(channel)
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
