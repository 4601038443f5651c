//! An open episode for a family, opened the way practitioners open one: the lead professional
//! finds and adds the family, asks for help, and the front door decides.
//!
//! ```ignore
//! let opened = Family::new("Okafor")
//!     .child("Mia", "01/02/2017")
//!     .need("education")
//!     .early_help(&h, &lead, "School knows the family best")
//!     .await;
//! ```

use crate::app::{actor, actor_from};
use hearth_app::episodes::AllocationForm;
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::front_door::{DecisionForm, RequestForm};
use hearth_app::{Actor, Hearth, Origin};
use hearth_domain::ids::{EpisodeId, PersonId, RequestId};

/// A family to add and ask help for; the first member is the child the request is about.
#[derive(Debug, Clone)]
pub struct Family {
    family_name: String,
    members: Vec<Member>,
    needs: Vec<String>,
    details: Vec<(String, String)>,
    family_told: String,
    urgency: String,
}

#[derive(Debug, Clone)]
struct Member {
    given_names: String,
    dob: String,
    address: Option<(String, String)>,
    /// Why the member's details are withheld, and the roles that may still see them.
    restricted: Option<(String, Vec<String>)>,
}

/// An episode and the family in it, in the order they were added.
#[derive(Debug, Clone)]
pub struct Opened {
    pub episode: EpisodeId,
    pub people: Vec<PersonId>,
}

/// A Targeted Family Help episode allocated to the demo worker, with who was involved.
#[derive(Debug, Clone)]
pub struct Targeted {
    pub episode: EpisodeId,
    pub people: Vec<PersonId>,
    pub lead: Actor,
    pub worker: Actor,
    pub manager: Actor,
}

impl Family {
    /// Nobody yet; routine, no safeguarding concern, consent given and "Mum knows".
    pub fn new(family_name: &str) -> Self {
        Self {
            family_name: family_name.into(),
            members: Vec::new(),
            needs: Vec::new(),
            details: Vec::new(),
            family_told: "Mum knows".into(),
            urgency: "routine".into(),
        }
    }

    /// The child the help is for (call first).
    pub fn child(self, given_names: &str, dob: &str) -> Self {
        self.member(given_names, dob)
    }

    /// A parent, in the child's household.
    pub fn parent(self, given_names: &str, dob: &str) -> Self {
        self.member(given_names, dob)
    }

    fn member(mut self, given_names: &str, dob: &str) -> Self {
        self.members.push(Member {
            given_names: given_names.into(),
            dob: dob.into(),
            address: None,
            restricted: None,
        });
        self
    }

    /// Where the member added last lives.
    pub fn address(mut self, line1: &str, postcode: &str) -> Self {
        if let Some(m) = self.members.last_mut() {
            m.address = Some((line1.into(), postcode.into()));
        }
        self
    }

    /// The member added last is restricted: details withheld from all but these roles.
    pub fn restricted(mut self, reason: &str, roles: &[&str]) -> Self {
        if let Some(m) = self.members.last_mut() {
            m.restricted = Some((reason.into(), roles.iter().map(|r| r.to_string()).collect()));
        }
        self
    }

    pub fn need(mut self, code: &str) -> Self {
        self.needs.push(code.into());
        self
    }

    /// What the request says about one of its needs.
    pub fn detail(mut self, need: &str, text: &str) -> Self {
        self.details.push((format!("detail_{need}"), text.into()));
        self
    }

    pub fn told(mut self, family_told: &str) -> Self {
        self.family_told = family_told.into();
        self
    }

    pub fn urgency(mut self, urgency: &str) -> Self {
        self.urgency = urgency.into();
        self
    }

    /// Adds each member after searching for them first, as the app insists; the others join
    /// the first one's household as parents.
    pub async fn add(&self, h: &Hearth, lead: &Actor) -> Vec<PersonId> {
        let mut people: Vec<PersonId> = Vec::new();
        for m in &self.members {
            let search = h
                .search_people(
                    lead,
                    &SearchForm {
                        name: format!("{} {}", m.given_names, self.family_name),
                        dob: m.dob.clone(),
                        ..SearchForm::default()
                    },
                )
                .await
                .expect("search before adding");
            let (address_line1, postcode) = m.address.clone().unwrap_or_default();
            let (with_person, relationship) = match people.first() {
                Some(first) => (first.to_string(), "parent".to_string()),
                None => (String::new(), String::new()),
            };
            let id = h
                .add_person(
                    lead,
                    &PersonForm {
                        search_id: search.search_id.to_string(),
                        given_names: m.given_names.clone(),
                        family_name: self.family_name.clone(),
                        dob: m.dob.clone(),
                        address_line1,
                        postcode,
                        with_person,
                        relationship,
                        restricted: m.restricted.as_ref().map(|_| "yes".into()),
                        restriction_reason: m
                            .restricted
                            .as_ref()
                            .map(|(r, _)| r.clone())
                            .unwrap_or_default(),
                        restriction_roles: m
                            .restricted
                            .as_ref()
                            .map(|(_, roles)| roles.clone())
                            .unwrap_or_default(),
                        // Test families may share a child's name and age with another.
                        different_reason: format!("The {} family", self.family_name),
                        ..PersonForm::default()
                    },
                )
                .await
                .expect("add a family member");
            if m.restricted.is_some() {
                // Those who join them are added from their record, which asks the reason.
                h.person(lead, id, Some("Adding the family"))
                    .await
                    .expect("open with a reason");
            }
            people.push(id);
        }
        people
    }

    /// Adds the family and sends the front door a request for help with them all.
    pub async fn ask(&self, h: &Hearth, lead: &Actor) -> (Vec<PersonId>, RequestId) {
        let people = self.add(h, lead).await;
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        let pairs: Vec<(String, String)> = people
            .iter()
            .map(|p| pair("people", &p.to_string()))
            .chain(self.needs.iter().map(|n| pair("needs", n)))
            .chain(self.details.iter().cloned())
            // Every need ticked is described; a family built without a detail gets one.
            .chain(
                self.needs
                    .iter()
                    .filter(|n| {
                        !self
                            .details
                            .iter()
                            .any(|(k, _)| *k == format!("detail_{n}"))
                    })
                    .map(|n| pair(&format!("detail_{n}"), "What the school has seen")),
            )
            .chain([
                pair("family_told", &self.family_told),
                pair("consent", "given"),
                pair("urgency", &self.urgency),
                pair("safeguarding", "no"),
            ])
            .collect();
        let request = h
            .save_request(lead, None, &RequestForm::from_pairs(&pairs), true)
            .await
            .expect("send the request");
        (people, request)
    }

    /// Early Family Help with `lead` as lead professional, decided by the front door.
    pub async fn early_help(&self, h: &Hearth, lead: &Actor, rationale: &str) -> Opened {
        let (people, request) = self.ask(h, lead).await;
        let officer = actor(h, "frontdoor@demo.hearth.test").await;
        h.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "2".into(),
                outcome: "early_help".into(),
                rationale: rationale.into(),
                lead_user_id: lead.user_id.to_string(),
                ..DecisionForm::default()
            },
        )
        .await
        .expect("decide on Early Family Help");
        // Read from the lead's caseload, not the record, so that set-up audits no view.
        let work = h.my_work(lead).await.expect("the lead's caseload");
        let opened: Vec<EpisodeId> = work
            .caseload
            .iter()
            .filter(|r| r.episode.people.contains(&people[0]))
            .map(|r| r.episode.id)
            .collect();
        assert_eq!(opened.len(), 1, "the decision opened one episode");
        Opened {
            episode: opened[0],
            people,
        }
    }

    /// Targeted Family Help with the core team, allocated by its manager to the demo Family
    /// Help Worker; the demo lead asks. Everyone signs in from `origin`.
    pub async fn targeted(&self, h: &Hearth, origin: Origin) -> Targeted {
        let lead = actor_from(h, "lead@demo.hearth.test", origin.clone()).await;
        let (people, request) = self.ask(h, &lead).await;
        let officer = actor_from(h, "frontdoor@demo.hearth.test", origin.clone()).await;
        h.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "3".into(),
                outcome: "targeted".into(),
                service: "core".into(),
                override_reason: "The core team knows the family".into(),
                rationale: "Relationships at home have broken down".into(),
                ..DecisionForm::default()
            },
        )
        .await
        .expect("decide on Targeted Family Help");
        let manager = actor_from(h, "manager@demo.hearth.test", origin.clone()).await;
        let worker = actor_from(h, "worker@demo.hearth.test", origin).await;
        let work = h.my_work(&manager).await.expect("the team's caseload");
        let e = &work.team_caseload[0].episode;
        h.allocate(
            &manager,
            e.id,
            &AllocationForm {
                lead_user_id: worker.user_id.to_string(),
                reason: String::new(),
                version: e.version,
            },
        )
        .await
        .expect("allocate the worker");
        Targeted {
            episode: e.id,
            people,
            lead,
            worker,
            manager,
        }
    }
}
