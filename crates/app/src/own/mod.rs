//! The family's own page (issue 24 items 2–4, ADR 0045): a family member proves who they are
//! with a one-time link by email, then reads their plan, the next review, who is in their
//! Team Around the Family and how to reach them, the notes shared with them and their
//! consents (which they give and withdraw), and writes to their lead professional. Every
//! family view and change goes through the gate ([`hearth_store::gate::FamilyEpisode`]) and
//! the audit log. A practitioner sends the link by email or, where the family said texting is
//! safe, by text (ADR 0050).

mod one_login;
mod staff;

pub use hearth_store::own::{Sender, ShareableNote, ThreadMessage};
pub use one_login::{
    ClientAuth, FamilyOneLogin, FamilySignOnRefused, FamilySignedOn, DEFAULT_VTR,
    FAMILY_CALLBACK_PATH,
};
pub use staff::{FamilyThread, Invitable};

use crate::accounts::auth::{random_token, token_hash};
use crate::messages::queue::Letter;
use crate::{AppError, Hearth, Origin};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::{EpisodeLevel, EpisodeStatus, NoteVisibility};
use hearth_domain::feedback::LinkProblem;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_domain::message::{sendable_address, Language, Template};
use hearth_domain::own::{check_message, FamilySight, MessageProblem};
use hearth_domain::plan::ActionStatus;
use hearth_store::episodes::{self, plans};
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::family::consents::{self, Consent};
use hearth_store::family::people::{self, Person};
use hearth_store::gate::{FamilyConsents, FamilyEpisode, FamilyMember, LinkOutcome};
use hearth_store::own;
use hearth_store::{audit, Conn, Store};
use uuid::Uuid;

/// How long links and family sessions last and how much a family may send; each partnership
/// may set its own.
#[derive(Debug, Clone)]
pub struct OwnPagePolicy {
    /// Hours a one-time link works.
    pub link_hours: i64,
    /// Minutes a family session lasts from the link (no sliding: a shared phone signs out).
    pub session_minutes: i64,
    /// Messages a family member (or a practitioner) may send in an hour, across threads.
    pub messages_per_hour: u32,
    /// Links a person may be sent in an hour when asking for one (invitations count too).
    pub links_per_hour: u32,
    /// The partnership's provider for families (GOV.UK One Login, ADR 0056); none: not
    /// offered.
    pub one_login: Option<FamilyOneLogin>,
}

impl Default for OwnPagePolicy {
    fn default() -> Self {
        Self {
            link_hours: 48,
            session_minutes: 60,
            messages_per_hour: 10,
            links_per_hour: 3,
            one_login: None,
        }
    }
}

/// How a link reaches the family: both go through the same outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkChannel {
    Email,
    /// Only to a mobile on the record when the family said texting is safe (ADR 0050).
    Text,
}

impl LinkChannel {
    pub const ALL: [LinkChannel; 2] = [LinkChannel::Email, LinkChannel::Text];

    pub fn code(self) -> &'static str {
        match self {
            LinkChannel::Email => "email",
            LinkChannel::Text => "text",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A family member on their own page: the gate's proof of their session, and where they are.
#[derive(Debug, Clone)]
pub struct FamilyVisit {
    pub member: FamilyMember,
    pub origin: Origin,
}

impl FamilyVisit {
    fn event(&self, action: AuditAction, now: DateTime<Utc>) -> NewAuditEvent {
        family_event(&self.member.label(), action, &self.origin, now)
    }
}

fn family_event(
    label: &str,
    action: AuditAction,
    origin: &Origin,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    NewAuditEvent {
        at: now,
        actor_user_id: None,
        actor_label: label.to_string(),
        action,
        record_type: None,
        record_id: None,
        ip: origin.ip.clone(),
        reason: None,
        detail: None,
        api_token_id: None,
    }
}

/// One outcome of the plan with its actions, in the family's words.
#[derive(Debug, Clone)]
pub struct OwnOutcome {
    pub text: String,
    pub actions: Vec<OwnAction>,
}

#[derive(Debug, Clone)]
pub struct OwnAction {
    pub what: String,
    /// Who does it: a practitioner's name or a family member's.
    pub who: String,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// Someone in the Team Around the Family as the family sees them: work contact only.
#[derive(Debug, Clone)]
pub struct OwnTeamMember {
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
    /// A practitioner's work email; none for a family member.
    pub work_email: Option<String>,
    pub lead: bool,
}

/// A note a practitioner shared with the family.
#[derive(Debug, Clone)]
pub struct OwnNote {
    pub occurred_on: NaiveDate,
    pub author: String,
    pub organisation: String,
    pub body: String,
}

/// A child's consents, which the parent or carer reading the page gives and withdraws.
#[derive(Debug, Clone)]
pub struct ChildConsents {
    pub person: PersonId,
    pub name: String,
    pub consents: Vec<Consent>,
}

/// Everything on a family member's page for one episode.
#[derive(Debug, Clone)]
pub struct OwnPage {
    pub episode: EpisodeId,
    pub name: String,
    pub sight: FamilySight,
    pub level: EpisodeLevel,
    pub status: EpisodeStatus,
    pub outcomes: Vec<OwnOutcome>,
    pub services: Vec<String>,
    pub plan_agreed: bool,
    pub next_review: Option<NaiveDate>,
    pub lead: Option<OwnTeamMember>,
    pub team: Vec<OwnTeamMember>,
    pub consents: Vec<Consent>,
    /// The consents of each child of the family this family member decides for.
    pub children: Vec<ChildConsents>,
    pub notes: Vec<OwnNote>,
    pub messages: Vec<ThreadMessage>,
}

impl Hearth {
    /// The family member of a family session token; `None` when there is none (signed out,
    /// expired, never was).
    pub async fn family_visit(&self, session_token: &str, origin: Origin) -> Option<FamilyVisit> {
        match self
            .gate
            .family_member(&token_hash(session_token), self.now())
            .await
        {
            Ok(Some(member)) => Some(FamilyVisit { member, origin }),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(?e, "family session");
                None
            }
        }
    }

    /// Uses a one-time link: a family session's token and its member, or why the link cannot
    /// be used (used, expired). An unknown link is [`AppError::NotFound`].
    pub async fn family_sign_in(
        &self,
        token: &str,
        origin: &Origin,
    ) -> Result<Result<(String, FamilyVisit), LinkProblem>, AppError> {
        let now = self.now();
        let session = random_token();
        let until = now + Duration::minutes(self.policies.own.session_minutes);
        let e = family_event("family member", AuditAction::FamilySignedIn, origin, now);
        match self
            .gate
            .family_sign_in(&token_hash(token), &token_hash(&session), until, &e)
            .await?
        {
            LinkOutcome::SignedIn(member) => Ok(Ok((
                session,
                FamilyVisit {
                    member,
                    origin: origin.clone(),
                },
            ))),
            LinkOutcome::Refused(p) => Ok(Err(p)),
        }
    }

    /// Ends a family session.
    pub async fn family_sign_out(
        &self,
        visit: &FamilyVisit,
        session_token: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        own::end_session(&mut tx, &token_hash(session_token), now).await?;
        let mut e = visit.event(AuditAction::FamilySignedOut, now);
        e.record_type = Some("person");
        e.record_id = Some(visit.member.person().to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The episodes the family member may open, newest first.
    pub async fn own_episodes(
        &self,
        visit: &FamilyVisit,
    ) -> Result<Vec<(EpisodeId, FamilySight)>, AppError> {
        Ok(self.gate.family_episodes(&visit.member, self.now()).await?)
    }

    /// A family member asks for a new link by giving their email address. Whether the address
    /// is known is never said: the same answer comes back either way. A link goes to each
    /// person with that address who may open one of their episodes, unless they were sent
    /// [`OwnPagePolicy::links_per_hour`] links in the last hour.
    pub async fn ask_for_family_link(&self, email: &str, origin: &Origin) -> Result<(), AppError> {
        let email = email.trim();
        if !sendable_address(email) {
            let mut e = FieldErrors::new();
            e.add(
                "email",
                "Enter an email address in the correct format, like name@example.com",
            );
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let mut conn = self.store.read().await?;
        let matched = own::people_with_email(&mut conn, email).await?;
        drop(conn);
        for person in matched {
            if !self.gate.has_family_page(person, now).await? {
                continue;
            }
            let mut tx = self.store.write().await?;
            if own::links_since(&mut tx, person, now - Duration::hours(1)).await?
                >= self.policies.own.links_per_hour
            {
                continue;
            }
            let p = people::get(&mut tx, person).await?;
            // They asked by giving their address: the link goes back to it.
            self.send_family_link(&mut tx, &p, LinkChannel::Email, None, None, origin, now)
                .await?;
            Store::commit(tx).await?;
        }
        Ok(())
    }

    /// Makes a link and queues it by email or text in the person's language, audited. The
    /// caller has checked the channel can reach them ([`Invitable::by`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn send_family_link(
        &self,
        tx: &mut Conn,
        p: &Person,
        channel: LinkChannel,
        episode: Option<EpisodeId>,
        by: Option<&crate::Actor>,
        origin: &Origin,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let person = p.id;
        let token = random_token();
        let expires = now + Duration::hours(self.policies.own.link_hours);
        own::insert_link(
            tx,
            person,
            episode,
            &token_hash(&token),
            by.map(|a| a.user_id),
            now,
            expires,
        )
        .await?;
        let language = Language::for_first_language(p.first_language.as_deref());
        let path = format!("/my-family/sign-in/{token}?lang={}", language.code());
        let letter = Letter {
            template: Template::FamilyPageLink,
            values: vec![("expires", expires.format("%d/%m/%Y %H:%M UTC").to_string())],
            path: &path,
            record_type: "person",
            record_id: person.to_string(),
        };
        let queued = match (channel, p.contact.may_text()) {
            (LinkChannel::Email, _) => self.queue_for_person(tx, p, &letter, now).await?,
            (LinkChannel::Text, Ok(number)) => {
                let number = number.clone();
                self.queue_text_for_person(tx, p, &number, &letter, now)
                    .await?
            }
            (LinkChannel::Text, Err(_)) => None,
        }
        .is_some();
        let label = format!("family member {person}");
        let mut e = match by {
            Some(a) => crate::accounts::auth::event(
                Some(a),
                &a.email,
                AuditAction::FamilyLinkSent,
                origin,
                now,
            ),
            None => family_event(&label, AuditAction::FamilyLinkSent, origin, now),
        };
        e.record_type = Some("person");
        e.record_id = Some(person.to_string());
        e.detail = Some(
            serde_json::json!({
                "channel": channel.code(),
                "queued": queued,
                "episode": episode.map(|e| e.to_string()),
            })
            .to_string(),
        );
        audit::append(tx, &e).await?;
        Ok(queued)
    }

    /// The family member's page for one episode, in what they may see of it; the reading is
    /// audited by the gate.
    pub async fn own_page(&self, visit: &FamilyVisit, id: EpisodeId) -> Result<OwnPage, AppError> {
        let now = self.now();
        let fe = self
            .gate
            .open_for_family(
                &visit.member,
                id,
                &visit.event(AuditAction::FamilyPageViewed, now),
                true,
            )
            .await?;
        let holders = self
            .gate
            .family_consent_holders(&fe, &visit.event(AuditAction::FamilyPageViewed, now))
            .await?;
        self.page_of(&fe, &holders).await
    }

    async fn page_of(
        &self,
        fe: &FamilyEpisode,
        holders: &[FamilyConsents],
    ) -> Result<OwnPage, AppError> {
        let opened = fe.opened();
        let e = opened.episode();
        let me = fe.member().person();
        let mut conn = self.store.read().await?;
        let plan = plans::for_episode(&mut conn, opened).await?;
        let members = episodes::members(&mut conn, opened).await?;
        let consents = consents::for_person(&mut conn, me).await?;
        let mut children = Vec::new();
        for h in holders.iter().filter(|h| !h.are_own()) {
            children.push(ChildConsents {
                person: h.person(),
                name: h.name().to_string(),
                consents: consents::for_person(&mut conn, h.person()).await?,
            });
        }
        let notes = own::shared_notes(&mut conn, opened).await?;
        let messages = own::thread(&mut conn, opened).await?;
        let next_review = match e.status {
            EpisodeStatus::Closed => None,
            _ => Some(self.next_review(&mut conn, opened).await?),
        };
        let names = people::summaries(&mut conn, &e.people).await?;
        drop(conn);
        let person_name = |p: PersonId| {
            names
                .iter()
                .find(|s| s.id == p)
                .map(|s| format!("{} {}", s.given_names, s.family_name))
                .unwrap_or_default()
        };
        let user_name = |u: hearth_domain::ids::UserId| {
            members
                .iter()
                .find(|m| m.user_id == Some(u))
                .and_then(|m| m.user_name.clone())
                .or_else(|| {
                    (e.lead_user_id == Some(u))
                        .then(|| e.lead_name.clone())
                        .flatten()
                })
                .unwrap_or_default()
        };
        let mine = |a: &plans::Action| a.owner_person_id == Some(me);
        let (outcomes, services, plan_agreed) = match &plan {
            Some(p) => {
                let f = &p.fields;
                let outcomes = f
                    .outcomes
                    .iter()
                    .filter(|o| {
                        fe.sight() == FamilySight::WholePlan
                            || f.actions.iter().any(|a| a.outcome_id == o.id && mine(a))
                    })
                    .map(|o| OwnOutcome {
                        text: o.text.clone(),
                        actions: f
                            .actions
                            .iter()
                            .filter(|a| a.outcome_id == o.id)
                            .filter(|a| fe.sight() == FamilySight::WholePlan || mine(a))
                            .map(|a| OwnAction {
                                what: a.what.clone(),
                                who: match (a.owner_person_id, a.owner_user_id) {
                                    (Some(p), _) => person_name(p),
                                    (None, Some(u)) => user_name(u),
                                    (None, None) => String::new(),
                                },
                                due_on: a.due_on,
                                status: a.status,
                            })
                            .collect(),
                    })
                    .collect();
                let services = f
                    .directory_services
                    .iter()
                    .filter(|s| {
                        fe.sight() == FamilySight::WholePlan
                            || s.person_id.is_none()
                            || s.person_id == Some(me)
                    })
                    .map(|s| s.name.clone())
                    .chain(
                        f.services
                            .iter()
                            .filter(|_| fe.sight() == FamilySight::WholePlan)
                            .cloned(),
                    )
                    .collect();
                (outcomes, services, f.agreed_with_family)
            }
            None => (Vec::new(), Vec::new(), false),
        };
        let team: Vec<OwnTeamMember> = members
            .iter()
            .filter(|m| m.left_on.is_none())
            .map(|m| OwnTeamMember {
                name: m
                    .user_name
                    .clone()
                    .or_else(|| m.person_name.clone())
                    .unwrap_or_default(),
                role: m.role.clone(),
                organisation: m.organisation_name.clone(),
                work_email: m.user_email.clone(),
                lead: m.user_id.is_some() && m.user_id == e.lead_user_id,
            })
            .collect();
        let lead = match team.iter().find(|m| m.lead) {
            Some(m) => Some(m.clone()),
            None => match e.lead_user_id {
                Some(u) => {
                    let mut conn = self.store.read().await?;
                    let user = hearth_store::accounts::users::get(&mut conn, u).await?;
                    Some(OwnTeamMember {
                        name: user.display_name,
                        role: e.level.lead_title().to_string(),
                        organisation: None,
                        work_email: Some(user.email),
                        lead: true,
                    })
                }
                None => None,
            },
        };
        Ok(OwnPage {
            episode: e.id,
            name: fe.member().name().to_string(),
            sight: fe.sight(),
            level: e.level,
            status: e.status,
            outcomes,
            services,
            plan_agreed,
            next_review,
            lead,
            team,
            consents,
            children,
            notes: notes
                .into_iter()
                .map(|n| OwnNote {
                    occurred_on: n.fields.occurred_on,
                    author: n.author_name,
                    organisation: n.organisation_name,
                    body: n.fields.body,
                })
                .collect(),
            messages,
        })
    }

    /// Opens, through the gate, the consents a consent record belongs to for the family member
    /// to change: their own, or a child's they decide for (anyone else's is refused and the
    /// refusal recorded; an unknown record is not found).
    async fn consents_to_change(
        &self,
        visit: &FamilyVisit,
        id: EpisodeId,
        consent: Uuid,
        action: AuditAction,
        now: DateTime<Utc>,
    ) -> Result<FamilyConsents, AppError> {
        let as_family = visit.event(action, now);
        let fe = self
            .gate
            .open_for_family(&visit.member, id, &as_family, false)
            .await?;
        let mut conn = self.store.read().await?;
        let person = own::consent_person(&mut conn, consent)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        Ok(self
            .gate
            .family_consents_of(&fe, person, &as_family)
            .await?)
    }

    /// The family member withdraws one of their consents, or one of a child's they decide
    /// for, on their page: access follows at once (the gate reads consent on every opening),
    /// audited with the change and who in the family made it.
    pub async fn own_withdraw_consent(
        &self,
        visit: &FamilyVisit,
        id: EpisodeId,
        consent: Uuid,
    ) -> Result<(), AppError> {
        let now = self.now();
        let holder = self
            .consents_to_change(visit, id, consent, AuditAction::ConsentWithdrawn, now)
            .await?;
        let reason = if holder.are_own() {
            "Withdrawn by the family member on their own page".to_string()
        } else {
            format!(
                "Withdrawn by {}, their parent or carer, on the family's own page",
                visit.member.name()
            )
        };
        let mut tx = self.store.write().await?;
        own::withdraw_consent(&mut tx, &holder, consent, now.date_naive(), &reason).await?;
        let mut e = visit.event(AuditAction::ConsentWithdrawn, now);
        e.record_type = Some("person");
        e.record_id = Some(holder.person().to_string());
        e.reason = Some(reason);
        e.detail = Some(serde_json::json!({ "consent_id": consent.to_string(), "by": "family", "by_person": holder.by().to_string(), "episode": id.to_string() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The family member gives again a consent that was withdrawn (theirs, or a child's they
    /// decide for), audited with the change.
    pub async fn own_give_consent(
        &self,
        visit: &FamilyVisit,
        id: EpisodeId,
        consent: Uuid,
    ) -> Result<(), AppError> {
        let now = self.now();
        let holder = self
            .consents_to_change(visit, id, consent, AuditAction::ConsentRecorded, now)
            .await?;
        let given_by = if holder.are_own() {
            format!("{}, on their own page", visit.member.name())
        } else {
            format!(
                "{}, their parent or carer, on the family's own page",
                visit.member.name()
            )
        };
        let mut tx = self.store.write().await?;
        let new =
            own::give_consent_again(&mut tx, &holder, consent, &given_by, now.date_naive(), now)
                .await?;
        let mut e = visit.event(AuditAction::ConsentRecorded, now);
        e.record_type = Some("person");
        e.record_id = Some(holder.person().to_string());
        e.detail = Some(serde_json::json!({ "consent_id": new.to_string(), "again_for": consent.to_string(), "by": "family", "by_person": holder.by().to_string() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The family member writes to their lead professional: kept in the thread and the
    /// chronology (seen by the lead and the owning team), the lead told by email that there
    /// is a message (never its words).
    pub async fn own_send_message(
        &self,
        visit: &FamilyVisit,
        id: EpisodeId,
        text: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let fe = self
            .gate
            .open_for_family(
                &visit.member,
                id,
                &visit.event(AuditAction::FamilyMessageSent, now),
                false,
            )
            .await?;
        let from = Sender::Family(fe.member().person());
        let mut tx = self.store.write().await?;
        let sent = own::sent_since(&mut tx, &from, now - Duration::hours(1)).await?;
        let body = check_message(text, sent, self.policies.own.messages_per_hour).map_err(|p| {
            // The family's page says it in their language, from the code.
            let mut e = FieldErrors::new();
            e.add("message", p.code());
            AppError::Invalid(e)
        })?;
        let opened = fe.opened();
        let e = opened.episode();
        let message = own::insert_message(&mut tx, opened, &from, &body, now).await?;
        let summary = format!("Message from {} (family): {body}", fe.member().name());
        chronology::append(
            &mut tx,
            &NewEntry {
                at: now,
                occurred_on: now.date_naive(),
                kind: EntryKind::Message,
                episode: Some(e.id),
                organisation: e.owning_organisation_id,
                actor: None,
                summary,
                record_type: Some("family_message"),
                record_id: Some(message.to_string()),
                // The family's words are for the lead and the team that owns the help.
                visibility: NoteVisibility::OwningTeam,
                people: &e.people,
            },
        )
        .await?;
        if let Some(lead) = e.lead_user_id {
            self.queue_for_user(
                &mut tx,
                lead,
                Letter {
                    template: Template::FamilyMessage,
                    values: Vec::new(),
                    path: &format!("/episodes/{}/family", e.id),
                    record_type: "episode",
                    record_id: e.id.to_string(),
                },
                now,
            )
            .await?;
        }
        let mut a = visit.event(AuditAction::FamilyMessageSent, now);
        a.record_type = Some("episode");
        a.record_id = Some(e.id.to_string());
        a.detail = Some(
            serde_json::json!({ "message": message.to_string(), "from": "family" }).to_string(),
        );
        audit::append(&mut tx, &a).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// A message's problem as the form shows it, on the `message` field.
pub(crate) fn message_error(p: MessageProblem) -> AppError {
    let mut e = FieldErrors::new();
    e.add(
        "message",
        match p {
            MessageProblem::Empty => "Enter your message",
            MessageProblem::TooLong => "Your message must be 2,000 characters or fewer",
            MessageProblem::TooMany => {
                "You have sent a lot of messages in the last hour; try again later"
            }
        },
    );
    AppError::Invalid(e)
}
