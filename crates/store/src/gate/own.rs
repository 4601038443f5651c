//! The gate's door for a family member (ADR 0045): a person on the record who proved who they
//! are with a one-time link. A family session is not a staff session: its proof
//! ([`FamilyMember`]) opens only the family's own episodes ([`FamilyEpisode`]), only those in
//! which the person is in the family, only while the episode is open or lately closed, and only
//! for someone old enough (an adult sees the plan, a young person their own part). Every
//! opening and every refusal is written to the audit log here.

use super::{Closed, Gate, OpenedEpisode};
use crate::family::people;
use crate::own::{self, Link, SessionBegun};
use crate::{audit, episodes, Conn, Store, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::access::EpisodePermissions;
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::feedback::{usable, LinkProblem};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::own::{
    family_sight, may_decide_consent_for, ConsentForRefusal, ConsentStanding, FamilyRefusal,
    FamilySight, FamilyStanding,
};
use hearth_domain::person::{Age, DateOfBirth, DobCertainty, HouseholdRelationship};
use sqlx::Row;

/// A family member in a family session. Only the gate makes one, from a live session.
///
/// ```compile_fail
/// let _ = hearth_store::gate::FamilyMember { person: hearth_domain::ids::PersonId::new(), name: String::new() };
/// ```
#[derive(Debug, Clone)]
pub struct FamilyMember {
    pub(super) person: PersonId,
    pub(super) name: String,
}

impl FamilyMember {
    pub fn person(&self) -> PersonId {
        self.person
    }

    /// Their name as the record has it, for their own page and the thread.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How the audit log names a family member: never a staff account.
    pub fn label(&self) -> String {
        format!("family member {}", self.person)
    }
}

/// An episode opened for a family member, with what they may see of it. Only the gate makes
/// one. It carries an [`OpenedEpisode`] with no permissions, so the store's reads of the plan
/// and reviews serve it and nothing that writes as a practitioner does.
///
/// ```compile_fail
/// let _ = hearth_store::gate::FamilyEpisode { opened: todo!(), member: todo!(), sight: hearth_domain::own::FamilySight::WholePlan };
/// ```
#[derive(Debug, Clone)]
pub struct FamilyEpisode {
    pub(super) opened: OpenedEpisode,
    pub(super) member: FamilyMember,
    pub(super) sight: FamilySight,
}

impl FamilyEpisode {
    pub fn opened(&self) -> &OpenedEpisode {
        &self.opened
    }

    pub fn member(&self) -> &FamilyMember {
        &self.member
    }

    pub fn sight(&self) -> FamilySight {
        self.sight
    }
}

/// A person whose consents a family member gives and withdraws on their page: themselves, or
/// a child of the episode's family they decide for (`hearth_domain::own::
/// may_decide_consent_for`). Only the gate makes one; the store's consent changes for a
/// family take it.
///
/// ```compile_fail
/// let _ = hearth_store::gate::FamilyConsents { person: hearth_domain::ids::PersonId::new(), name: String::new(), by: hearth_domain::ids::PersonId::new() };
/// ```
#[derive(Debug, Clone)]
pub struct FamilyConsents {
    pub(super) person: PersonId,
    pub(super) name: String,
    pub(super) by: PersonId,
}

impl FamilyConsents {
    /// Whose consents these are.
    pub fn person(&self) -> PersonId {
        self.person
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The family member who gives and withdraws them.
    pub fn by(&self) -> PersonId {
        self.by
    }

    /// The family member's own consents.
    pub fn are_own(&self) -> bool {
        self.person == self.by
    }
}

/// How a link fared: a family session's member, or why not.
#[derive(Debug)]
pub enum LinkOutcome {
    SignedIn(FamilyMember),
    Refused(LinkProblem),
}

/// How a sign-in by a provider-verified email address fared.
#[derive(Debug)]
pub enum EmailOutcome {
    SignedIn(FamilyMember),
    /// Nobody on the record has that address.
    NoMatch,
    /// More than one person has it: which of them is signing in cannot be known.
    SeveralMatches,
}

/// The partnership's settings the gate applies to families.
#[derive(Debug, Clone, Copy)]
pub struct FamilyTerms {
    /// The age from which a young person sees their own part of the plan.
    pub young_person_age: u32,
    /// Days after closure the family's page still shows the episode.
    pub closed_days: i64,
}

impl Gate {
    fn family_terms(&self) -> FamilyTerms {
        FamilyTerms {
            young_person_age: self.policy.young_person_age,
            closed_days: self.policy.family_closed_days,
        }
    }

    /// Uses a one-time link: once, before it expires. It starts a family session (the token's
    /// hash is `session_hash`, lasting until `until`), audited as a family sign-in; a used or
    /// expired link is refused and the refusal recorded. An unknown link opens nothing and
    /// names nobody, so it is not recorded (recording guesses would let anyone fill the log).
    pub async fn family_sign_in(
        &self,
        token_hash: &str,
        session_hash: &str,
        until: DateTime<Utc>,
        as_family: &NewAuditEvent,
    ) -> Result<LinkOutcome, Closed> {
        let now = as_family.at;
        let mut tx = self.store.write().await?;
        let Some(link) = own::link_by_token(&mut tx, token_hash).await? else {
            return Err(Closed::NotFound);
        };
        let Link {
            id,
            person,
            expires_at,
            used,
        } = link;
        let mut e = as_family.clone();
        e.record_type = Some("family_link");
        e.record_id = Some(id.to_string());
        e.actor_label = format!("family member {person}");
        let problem = match usable(now, expires_at, used, false) {
            Err(p) => Some(p),
            // Two taps at once: only one wins the link.
            Ok(()) if !own::use_link(&mut tx, id, now).await? => Some(LinkProblem::Used),
            Ok(()) => None,
        };
        if let Some(problem) = problem {
            drop(tx);
            e.action = AuditAction::AccessDenied;
            e.detail = Some(serde_json::json!({ "refused": problem.code() }).to_string());
            let mut tx = self.store.write().await?;
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            return Ok(LinkOutcome::Refused(problem));
        }
        own::insert_session(
            &mut tx,
            session_hash,
            person,
            SessionBegun::Link(id),
            now,
            until,
        )
        .await?;
        e.action = AuditAction::FamilySignedIn;
        e.detail = Some(serde_json::json!({ "person": person.to_string() }).to_string());
        audit::append(&mut tx, &e).await?;
        let member = member(&mut tx, person).await?;
        Store::commit(tx).await?;
        Ok(LinkOutcome::SignedIn(member))
    }

    /// Makes a family session for the one person on the record whose email address is the
    /// one the partnership's provider (GOV.UK One Login, ADR 0056) verified: the same session
    /// a link gives (`session_hash`, until `until`), audited as a family sign-in with its
    /// method. Nobody with that address, or more than one, is refused and the refusal recorded
    /// (`single_sign_on_refused`, "for": "family"; several matches name the people, so an
    /// officer can put the record right). Nobody is ever made. The caller has checked that the
    /// provider verified the address, and says nothing to the family about who was found.
    pub async fn family_sign_in_by_email(
        &self,
        verified_email: &str,
        session_hash: &str,
        until: DateTime<Utc>,
        as_family: &NewAuditEvent,
    ) -> Result<EmailOutcome, StoreError> {
        let now = as_family.at;
        let mut tx = self.store.write().await?;
        let people = own::people_with_email(&mut tx, verified_email).await?;
        let mut e = as_family.clone();
        let person = match people.as_slice() {
            [one] => *one,
            none_or_many => {
                let (outcome, detail) = if none_or_many.is_empty() {
                    (
                        EmailOutcome::NoMatch,
                        serde_json::json!({ "for": "family", "reason": "no_match" }),
                    )
                } else {
                    let ids: Vec<String> = none_or_many.iter().map(|p| p.to_string()).collect();
                    (
                        EmailOutcome::SeveralMatches,
                        serde_json::json!({ "for": "family", "reason": "several_matches", "people": ids }),
                    )
                };
                e.action = AuditAction::SingleSignOnRefused;
                e.record_type = Some("family_sign_in");
                e.detail = Some(detail.to_string());
                audit::append(&mut tx, &e).await?;
                Store::commit(tx).await?;
                return Ok(outcome);
            }
        };
        own::insert_session(
            &mut tx,
            session_hash,
            person,
            SessionBegun::OneLogin,
            now,
            until,
        )
        .await?;
        e.action = AuditAction::FamilySignedIn;
        e.actor_label = format!("family member {person}");
        e.record_type = Some("person");
        e.record_id = Some(person.to_string());
        e.detail = Some(
            serde_json::json!({ "person": person.to_string(), "method": "one_login" }).to_string(),
        );
        audit::append(&mut tx, &e).await?;
        let member = member(&mut tx, person).await?;
        Store::commit(tx).await?;
        Ok(EmailOutcome::SignedIn(member))
    }

    /// The family member of a live family session; `None` for anything else (no session,
    /// ended, expired, or a staff session's token, which is kept elsewhere).
    pub async fn family_member(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<FamilyMember>, StoreError> {
        let mut conn = self.store.read().await?;
        match own::session_person(&mut conn, session_hash, now).await? {
            Some(person) => Ok(Some(member(&mut conn, person).await?)),
            None => Ok(None),
        }
    }

    /// How the family member stands to each episode they are in: those they may open (newest
    /// first) with what they may see. A list, not a reading of any: not audited one by one.
    pub async fn family_episodes(
        &self,
        member: &FamilyMember,
        now: DateTime<Utc>,
    ) -> Result<Vec<(EpisodeId, FamilySight)>, StoreError> {
        let mut conn = self.store.read().await?;
        let list = episodes::for_people(&mut conn, &[member.person]).await?;
        let mut out = Vec::new();
        for e in list {
            if let Ok(sight) = self.sight_of(&mut conn, member.person, &e, now).await? {
                out.push((e.id, sight));
            }
        }
        Ok(out)
    }

    /// Whether a person may open any episode on a family's own page (they may be sent a link
    /// when they ask for one). Says nothing to the asker; not audited.
    pub async fn has_family_page(
        &self,
        person: PersonId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut conn = self.store.read().await?;
        let list = episodes::for_people(&mut conn, &[person]).await?;
        for e in list {
            if self.sight_of(&mut conn, person, &e, now).await?.is_ok() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn sight_of(
        &self,
        conn: &mut Conn,
        person: PersonId,
        episode: &episodes::Episode,
        now: DateTime<Utc>,
    ) -> Result<Result<FamilySight, FamilyRefusal>, StoreError> {
        let today = now.date_naive();
        let p = people::get(conn, person).await?;
        let age = match age_of(&p, today) {
            Some(Age::Years(y)) => Some(y),
            Some(Age::Unborn) | None => None,
        };
        let rows =
            sqlx::query("SELECT left_on FROM taf_members WHERE episode_id = $1 AND person_id = $2")
                .bind(episode.id.to_string())
                .bind(person.to_string())
                .fetch_all(&mut *conn)
                .await?;
        let mut current = false;
        for r in &rows {
            current |= r.try_get::<Option<String>, _>("left_on")?.is_none();
        }
        // Moved out of the household they shared with the rest of the episode's family (the
        // household's history says so): no longer one of the family on this page.
        let households =
            |rows: Vec<sqlx::any::AnyRow>| -> Result<Vec<(String, Option<String>)>, StoreError> {
                rows.iter()
                    .map(|r| Ok((r.try_get("household_id")?, r.try_get("to_date")?)))
                    .collect()
            };
        let mine = households(
            sqlx::query("SELECT household_id, to_date FROM household_members WHERE person_id = $1")
                .bind(person.to_string())
                .fetch_all(&mut *conn)
                .await?,
        )?;
        let mut shared: Vec<Option<String>> = Vec::new();
        for other in episode.people.iter().filter(|p| **p != person) {
            let theirs = households(
                sqlx::query(
                    "SELECT household_id, to_date FROM household_members WHERE person_id = $1",
                )
                .bind(other.to_string())
                .fetch_all(&mut *conn)
                .await?,
            )?;
            for (h, to) in &mine {
                if theirs.iter().any(|(t, _)| t == h) {
                    shared.push(to.clone());
                }
            }
        }
        let today_text = today.to_string();
        let moved_out = !shared.is_empty()
            && shared
                .iter()
                .all(|to| to.as_deref().is_some_and(|d| d <= today_text.as_str()));
        let terms = self.family_terms();
        Ok(family_sight(
            &FamilyStanding {
                in_family: episode.people.contains(&person),
                removed: (!rows.is_empty() && !current) || moved_out,
                age,
                status: episode.status,
                ended_on: episode.ended_on,
            },
            terms.young_person_age,
            terms.closed_days,
            today,
        ))
    }

    /// Whose consents the family member of `fe` gives and withdraws on this episode's page:
    /// their own first, then each child of the episode's family they decide for. Reading a
    /// child's consents is audited (`family_page_viewed` on the child's record).
    pub async fn family_consent_holders(
        &self,
        fe: &FamilyEpisode,
        as_family: &NewAuditEvent,
    ) -> Result<Vec<FamilyConsents>, StoreError> {
        let today = as_family.at.date_naive();
        let terms = self.family_terms();
        let me = fe.member.person;
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for person in std::iter::once(me).chain(
            fe.opened
                .episode
                .people
                .iter()
                .copied()
                .filter(|p| *p != me),
        ) {
            let (may, name) =
                consent_standing(&mut conn, fe, person, terms.young_person_age, today).await?;
            if may.is_ok() {
                out.push(FamilyConsents {
                    person,
                    name,
                    by: me,
                });
            }
        }
        drop(conn);
        let children: Vec<&FamilyConsents> = out.iter().filter(|h| !h.are_own()).collect();
        if !children.is_empty() {
            let mut tx = self.store.write().await?;
            for child in children {
                let mut e = as_family.clone();
                e.action = AuditAction::FamilyPageViewed;
                e.actor_label = fe.member.label();
                e.record_type = Some("person");
                e.record_id = Some(child.person.to_string());
                e.detail = Some(
                    serde_json::json!({ "consents_of": child.person.to_string(), "by": "family", "episode": fe.opened.episode.id.to_string() })
                        .to_string(),
                );
                audit::append(&mut tx, &e).await?;
            }
            Store::commit(tx).await?;
        }
        Ok(out)
    }

    /// Opens `person`'s consents for the family member of `fe` to give or withdraw: their own,
    /// or a child's they decide for. Anyone else's is refused, and the refusal recorded with
    /// its reason.
    pub async fn family_consents_of(
        &self,
        fe: &FamilyEpisode,
        person: PersonId,
        as_family: &NewAuditEvent,
    ) -> Result<FamilyConsents, Closed> {
        let terms = self.family_terms();
        let mut conn = self.store.read().await?;
        let (may, name) = consent_standing(
            &mut conn,
            fe,
            person,
            terms.young_person_age,
            as_family.at.date_naive(),
        )
        .await?;
        drop(conn);
        match may {
            Ok(()) => Ok(FamilyConsents {
                person,
                name,
                by: fe.member.person,
            }),
            Err(why) => {
                let mut e = as_family.clone();
                e.action = AuditAction::AccessDenied;
                e.actor_label = fe.member.label();
                e.record_type = Some("person");
                e.record_id = Some(person.to_string());
                e.detail = Some(
                    serde_json::json!({ "refused": why.code(), "consents_of": person.to_string(), "person": fe.member.person.to_string() })
                        .to_string(),
                );
                Err(Closed::Refused(self.refuse_as(&e).await?))
            }
        }
    }

    /// Opens one of the family's episodes for a family member, or refuses (audited). An
    /// episode that does not exist and one they may not open answer alike (`NotFound` and
    /// `Refused` show the same page), so nothing about another family shows. With `reading`,
    /// the reading is audited here (`family_page_viewed`); a change is audited by its use case
    /// with the change.
    pub async fn open_for_family(
        &self,
        member: &FamilyMember,
        id: EpisodeId,
        as_family: &NewAuditEvent,
        reading: bool,
    ) -> Result<FamilyEpisode, Closed> {
        let mut conn = self.store.read().await?;
        let episode = episodes::get(&mut conn, id).await?;
        let sight = self
            .sight_of(&mut conn, member.person, &episode, as_family.at)
            .await?;
        drop(conn);
        let mut e = as_family.clone();
        e.actor_label = member.label();
        e.record_type = Some("episode");
        e.record_id = Some(id.to_string());
        match sight {
            Ok(sight) => {
                if reading {
                    e.action = AuditAction::FamilyPageViewed;
                    e.detail = Some(
                        serde_json::json!({ "person": member.person.to_string() }).to_string(),
                    );
                    let mut tx = self.store.write().await?;
                    audit::append(&mut tx, &e).await?;
                    Store::commit(tx).await?;
                }
                Ok(FamilyEpisode {
                    opened: OpenedEpisode {
                        episode,
                        may: EpisodePermissions::default(),
                    },
                    member: member.clone(),
                    sight,
                })
            }
            Err(why) => {
                e.action = AuditAction::AccessDenied;
                e.detail = Some(
                    serde_json::json!({ "refused": why.code(), "person": member.person.to_string() })
                        .to_string(),
                );
                let r = self.refuse_as(&e).await?;
                Err(Closed::Refused(r))
            }
        }
    }
}

/// A person's age today, as their date of birth and its certainty give it.
fn age_of(p: &people::Person, today: chrono::NaiveDate) -> Option<Age> {
    p.dob.map(|date| {
        let certainty = p.dob_certainty.unwrap_or(DobCertainty::Exact);
        (DateOfBirth { date, certainty }).age_on(today)
    })
}

/// Whether the family member of `fe` may decide `person`'s consents, and that person's
/// name: their own always (the gate opened the episode for them); another's by the rule.
async fn consent_standing(
    conn: &mut Conn,
    fe: &FamilyEpisode,
    person: PersonId,
    young_person_age: u32,
    today: chrono::NaiveDate,
) -> Result<(Result<(), ConsentForRefusal>, String), StoreError> {
    let me = fe.member.person;
    let child = people::get(conn, person).await?;
    let name = format!("{} {}", child.given_names, child.family_name);
    if person == me {
        return Ok((Ok(()), name));
    }
    let adult = people::get(conn, me).await?;
    let years = |p: &people::Person, unborn: Option<u32>| match age_of(p, today) {
        Some(Age::Years(y)) => Some(y),
        Some(Age::Unborn) => unborn,
        None => None,
    };
    let today_text = today.to_string();
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT m.relationship FROM household_members m
         JOIN household_members c ON c.household_id = m.household_id
         WHERE m.person_id = $1 AND c.person_id = $2
           AND (m.to_date IS NULL OR m.to_date > $3) AND (c.to_date IS NULL OR c.to_date > $3)",
    )
    .bind(me.to_string())
    .bind(person.to_string())
    .bind(&today_text)
    .fetch_all(&mut *conn)
    .await?;
    let standing = ConsentStanding {
        adult_age: years(&adult, None),
        roles_with_child: roles
            .iter()
            .filter_map(|r| HouseholdRelationship::from_code(r.as_str()))
            .collect(),
        child_age: years(&child, Some(0)),
        child_in_family: fe.opened.episode.people.contains(&person),
    };
    Ok((may_decide_consent_for(&standing, young_person_age), name))
}

async fn member(conn: &mut Conn, person: PersonId) -> Result<FamilyMember, StoreError> {
    let p = people::get(conn, person).await?;
    Ok(FamilyMember {
        person,
        name: format!("{} {}", p.given_names, p.family_name),
    })
}
