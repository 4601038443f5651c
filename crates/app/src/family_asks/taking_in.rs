//! The front door and a family's own request: reading it with the records each person named
//! may already be (the find-before-create search), then taking it in as a request for
//! support — each person linked to their record or added — which the front door then decides
//! like any other.

use crate::accounts::auth::event;
use crate::family::{describe_age, write_new_person, Found, NewPerson, PersonForm, SearchForm};
use crate::front_door::{write_request, RequestForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::family_ask::{Consent, Relation};
use hearth_domain::ids::{FamilyAskId, PersonId, RequestId};
use hearth_domain::input::FieldErrors;
use hearth_domain::person::{DobCertainty, SafeAnswer};
use hearth_domain::role::Capability;
use hearth_domain::sms::MobileNumber;
use hearth_store::family::people::{self, SafeContact};
use hearth_store::family_asks::{self, AskPerson, AskStatus, FamilyAsk};
use hearth_store::{audit, Store};
use std::collections::BTreeMap;

/// How many possible records are shown for each person named.
const MATCHES_SHOWN: usize = 5;

/// One person the family named, with the records they may already be.
#[derive(Debug, Clone)]
pub struct PersonAtTheDoor {
    pub named: AskPerson,
    pub age: String,
    /// Best first, each with the search's reasons; `likely` ones are probably this person.
    pub matches: Vec<Found>,
}

/// A family's request as the front door reads it.
#[derive(Debug, Clone)]
pub struct AskAtTheDoor {
    pub ask: FamilyAsk,
    pub people: Vec<PersonAtTheDoor>,
}

/// The officer's answers when taking a family's request in: for each person named (by
/// position) `new` or the id of their record; the needs, urgency and safeguarding as on any
/// request; and a lawful basis when the family asked to talk before anything is shared.
#[derive(Debug, Clone, Default)]
pub struct TakeInForm {
    pub version: i64,
    pub links: BTreeMap<i64, String>,
    pub needs: Vec<String>,
    pub urgency: String,
    pub safeguarding: String,
    pub lawful_basis: String,
}

impl TakeInForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = TakeInForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "version" => f.version = v.parse().unwrap_or(0),
                "needs" => f.needs.push(v.clone()),
                "urgency" => f.urgency = v.clone(),
                "safeguarding" => f.safeguarding = v.clone(),
                "lawful_basis" => f.lawful_basis = v.clone(),
                other => {
                    if let Some(pos) = other.strip_prefix("person_").and_then(|p| p.parse().ok()) {
                        f.links.insert(pos, v.clone());
                    }
                }
            }
        }
        f
    }
}

/// What the officer chose for one person the family named: their record, or a new person
/// checked and ready to add.
enum Chosen {
    Record(PersonId),
    New(Box<NewPerson>),
}

/// A name as the record keeps it: the last word is the family name. A family may give one
/// name only; the record then says the family name is not known.
/// What the family said about reaching them safely, for the person who asked: their number
/// as a mobile when it is one, and whether a text and a voice message are safe. The times
/// they gave are their own words and stay on the request for the officer to record.
fn safe_contact_of(ask: &FamilyAsk) -> SafeContact {
    let answer = |a: Option<bool>| a.map(|yes| if yes { SafeAnswer::Yes } else { SafeAnswer::No });
    SafeContact {
        mobile: MobileNumber::parse(&ask.phone).ok(),
        safe_to_text: answer(ask.safe_to_text),
        safe_to_leave_message: answer(ask.safe_to_leave_message),
        safe_hours: None,
        contact_by: None,
    }
}

fn split_name(name: &str) -> (String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.join(" "), (*last).to_string()),
        _ => (name.trim().to_string(), "Not known".to_string()),
    }
}

/// The search the front door runs for one person named: their name, their date of birth
/// where the family gave it exactly, and the family's postcode.
fn search_for(p: &AskPerson, postcode: &str) -> SearchForm {
    SearchForm {
        name: p.name.clone(),
        dob: if p.certainty == DobCertainty::Exact {
            p.dob.to_string()
        } else {
            String::new()
        },
        postcode: postcode.to_string(),
        ..SearchForm::default()
    }
}

impl Hearth {
    /// The families' requests waiting at the front door, oldest first. The list's opening is
    /// audited; anyone who does not decide requests is refused (audited).
    pub async fn family_asks_waiting(&self, actor: &Actor) -> Result<Vec<FamilyAsk>, AppError> {
        let viewer = self.viewer(actor);
        let desk = self.gate.family_ask_desk(&viewer).await?;
        let mut conn = self.store.read().await?;
        let list = family_asks::waiting(&mut conn, &desk, 100).await?;
        drop(conn);
        self.gate
            .record_family_asks_listed(&viewer, &desk, list.len())
            .await?;
        Ok(list)
    }

    /// How many families' requests wait: a number that names nobody, for the queue's link.
    pub async fn family_asks_waiting_count(&self, actor: &Actor) -> Result<i64, AppError> {
        self.require(actor, Capability::DecideRequests).await?;
        let mut conn = self.store.read().await?;
        Ok(family_asks::waiting_count(&mut conn).await?)
    }

    /// One family's request with, for each person named, the records they may already be.
    /// The opening and each search are audited.
    pub async fn family_ask_at_the_door(
        &self,
        actor: &Actor,
        id: FamilyAskId,
    ) -> Result<AskAtTheDoor, AppError> {
        let opened = self.gate.open_family_ask(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let ask = family_asks::get(&mut conn, &opened).await?;
        drop(conn);
        let today = self.now().date_naive();
        let mut people = Vec::with_capacity(ask.people.len());
        for p in &ask.people {
            let matches = if ask.status == AskStatus::Waiting {
                match self
                    .search_people(actor, &search_for(p, &ask.postcode))
                    .await
                {
                    Ok(found) => found.results.into_iter().take(MATCHES_SHOWN).collect(),
                    // A name too short to search by finds nothing to show.
                    Err(AppError::Invalid(_)) => Vec::new(),
                    Err(e) => return Err(e),
                }
            } else {
                Vec::new()
            };
            people.push(PersonAtTheDoor {
                named: p.clone(),
                age: describe_age(Some(p.dob), Some(p.certainty), today),
                matches,
            });
        }
        Ok(AskAtTheDoor { ask, people })
    }

    /// The family's request a request for support came from, for the front door's pages
    /// (`None` for a practitioner's request, or for someone not at the front door).
    pub async fn family_ask_for_request(
        &self,
        actor: &Actor,
        request: RequestId,
    ) -> Result<Option<FamilyAsk>, AppError> {
        if !actor.can(Capability::DecideRequests) {
            return Ok(None);
        }
        let desk = self.gate.family_ask_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(family_asks::for_request(&mut conn, &desk, request).await?)
    }

    /// Takes a family's request in: each person is linked to the record the officer chose, or
    /// added as new (after the same find-before-create search as any new person); the request
    /// for support is sent from the officer, in the family's words, and waits for a decision
    /// like any other. Everything is checked before anything is written.
    pub async fn take_in_family_ask(
        &self,
        actor: &Actor,
        id: FamilyAskId,
        form: &TakeInForm,
    ) -> Result<RequestId, AppError> {
        self.require(actor, Capability::RequestSupport).await?;
        let opened = self.gate.open_family_ask(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let ask = family_asks::get(&mut conn, &opened).await?;
        drop(conn);
        if ask.status != AskStatus::Waiting || ask.version != form.version {
            return Err(AppError::Conflict);
        }
        let mut e = FieldErrors::new();
        let mut chosen: Vec<(i64, Option<PersonId>)> = Vec::new();
        for p in &ask.people {
            let field = format!("person_{}", p.position);
            match form.links.get(&p.position).map(|s| s.trim()) {
                Some("new") => chosen.push((p.position, None)),
                Some(raw) if !raw.is_empty() => match raw.parse::<PersonId>() {
                    Ok(existing) => {
                        let mut conn = self.store.read().await?;
                        if people::get(&mut conn, existing).await.is_err() {
                            e.add(&field, format!("Choose {}'s record again", p.name));
                        }
                        chosen.push((p.position, Some(existing)));
                    }
                    Err(_) => e.add(&field, format!("Choose {}'s record again", p.name)),
                },
                _ => e.add(
                    &field,
                    format!("Select {}'s record, or add them as a new person", p.name),
                ),
            }
        }
        let mut linked: Vec<PersonId> = chosen.iter().filter_map(|(_, p)| *p).collect();
        linked.sort();
        if linked.windows(2).any(|w| w[0] == w[1]) {
            e.add(
                "people",
                "Two people the family named are linked to the same record: choose again",
            );
        }
        let mut request = RequestForm {
            // Stand-ins for the people still to be added, so the request is checked whole now.
            people: chosen
                .iter()
                .map(|(_, p)| p.unwrap_or_default().to_string())
                .collect(),
            needs: form.needs.clone(),
            details: form
                .needs
                .iter()
                .map(|n| (n.clone(), format!("In the family's words: {}", ask.worry)))
                .collect(),
            family_told: format!(
                "The family asked for help themselves (reference {}).",
                ask.reference
            ),
            consent: match ask.consent {
                Consent::Agree => "given".into(),
                Consent::TalkFirst => "refused".into(),
            },
            consent_detail: format!("{} (asked online).", ask.consent.label()),
            lawful_basis: form.lawful_basis.clone(),
            urgency: form.urgency.clone(),
            safeguarding: form.safeguarding.clone(),
            version: 0,
            ..RequestForm::default()
        };
        if let Err(problems) = request.check(true) {
            for (field, message) in problems.iter() {
                // The family's words are every need's detail, so no detail is missing.
                if field != "people" {
                    e.add(field, message);
                }
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        // Each new person is checked (their search, their close matches) before anything is
        // written; then the people, the request and the family's request's mark are written in
        // one transaction, so a failure part way leaves nothing behind.
        let mut people_chosen = Vec::with_capacity(chosen.len());
        for (position, existing) in &chosen {
            people_chosen.push(match existing {
                Some(p) => (*position, Chosen::Record(*p)),
                None => {
                    let named = ask
                        .people
                        .iter()
                        .find(|p| p.position == *position)
                        .ok_or(AppError::NotFound)?;
                    let new = self.check_named_person(actor, &ask, named).await?;
                    (*position, Chosen::New(Box::new(new)))
                }
            });
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let mut links = Vec::with_capacity(people_chosen.len());
        for (position, choice) in &people_chosen {
            let person = match choice {
                Chosen::Record(p) => *p,
                Chosen::New(new) => {
                    let added = write_new_person(&mut tx, actor, new, now).await?;
                    let asker = ask
                        .people
                        .iter()
                        .any(|p| p.position == *position && p.relation == Relation::Me);
                    if asker {
                        people::set_safe_contact(&mut tx, added, &safe_contact_of(&ask)).await?;
                    }
                    added
                }
            };
            links.push((*position, person));
        }
        request.people = links.iter().map(|(_, p)| p.to_string()).collect();
        let fields = request.check(true).map_err(AppError::Invalid)?;
        let request_id = write_request(&mut tx, actor, None, 0, &fields, true, now).await?;
        family_asks::take_in(&mut tx, &opened, ask.version, request_id, &links, now).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::FamilyAskTakenIn,
            &actor.origin,
            now,
        );
        ev.record_type = Some("family_ask");
        ev.record_id = Some(id.to_string());
        ev.detail = Some(
            serde_json::json!({
                "request": request_id.to_string(),
                "linked": chosen.iter().filter_map(|(_, p)| p.map(|p| p.to_string())).collect::<Vec<_>>(),
                "added": links.iter().filter(|(pos, _)| chosen.iter().any(|(c, e)| c == pos && e.is_none())).map(|(_, p)| p.to_string()).collect::<Vec<_>>(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(request_id)
    }

    /// Checks a person the family named for adding, as any new person is added: after a
    /// search, and, when it finds a close match, with the officer's reason that this is
    /// someone else (they chose "new" with the matches in front of them).
    async fn check_named_person(
        &self,
        actor: &Actor,
        ask: &FamilyAsk,
        named: &AskPerson,
    ) -> Result<NewPerson, AppError> {
        let search = self
            .search_people(actor, &search_for(named, &ask.postcode))
            .await;
        let search_id = match search {
            Ok(s) => s.search_id.to_string(),
            Err(AppError::Invalid(_)) => {
                // A name too short to search by (one letter): search by it as a family's name.
                let s = self
                    .search_people(
                        actor,
                        &SearchForm {
                            name: format!("{} family", named.name),
                            ..SearchForm::default()
                        },
                    )
                    .await?;
                s.search_id.to_string()
            }
            Err(e) => return Err(e),
        };
        let (given, family) = split_name(&named.name);
        let me = named.relation == Relation::Me;
        let address_line = ask.address.split_whitespace().collect::<Vec<_>>().join(" ");
        let with_address = !ask.postcode.is_empty() && !address_line.is_empty();
        let form = PersonForm {
            search_id,
            given_names: given,
            family_name: family,
            dob: named.dob.to_string(),
            dob_certainty: named.certainty.code().into(),
            first_language: hearth_domain::family_ask::language_name(&ask.language)
                .map(str::to_string)
                .unwrap_or_else(|| ask.language_other.clone()),
            // Contact details belong to whoever asked; the safety marks stay with the
            // request, where the front door reads them.
            phone: if me { ask.phone.clone() } else { String::new() },
            email: if me { ask.email.clone() } else { String::new() },
            address_line1: if with_address {
                address_line.chars().take(200).collect()
            } else {
                String::new()
            },
            postcode: if with_address {
                ask.postcode.clone()
            } else {
                String::new()
            },
            different_reason: format!(
                "Named in the family's own request {}; the front door compared the records found and chose to add a new person.",
                ask.reference
            ),
            ..PersonForm::default()
        };
        self.check_new_person(actor, &form).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_given_and_family() {
        assert_eq!(split_name("Amina  Yusuf"), ("Amina".into(), "Yusuf".into()));
        assert_eq!(
            split_name("Mary Ann Smith"),
            ("Mary Ann".into(), "Smith".into())
        );
        assert_eq!(split_name("Amina"), ("Amina".into(), "Not known".into()));
    }

    #[test]
    fn the_form_reads_each_persons_choice() {
        let pairs: Vec<(String, String)> = [
            ("version", "1"),
            ("person_0", "new"),
            ("person_1", "abc"),
            ("needs", "housing"),
            ("needs", "financial"),
            ("urgency", "routine"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let f = TakeInForm::from_pairs(&pairs);
        assert_eq!(f.version, 1);
        assert_eq!(f.links.get(&0).map(String::as_str), Some("new"));
        assert_eq!(f.links.get(&1).map(String::as_str), Some("abc"));
        assert_eq!(f.needs, vec!["housing", "financial"]);
    }
}
