//! The worklist of families identified, not yet supported: each family whose members' partner
//! events meet indicators in several headline needs and who have no open episode, with every
//! reason (which data, from whom, when) and what people recorded doing. A person on the record
//! who lives in no household is a family of one. It only brings a family to someone's
//! attention; what happens next is a person's decision.

use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::feed::EventKind;
use hearth_domain::identification::indicators::{assess, Fact, Indicator};
use hearth_domain::identification::worklist::{identified, FamilyKey, Outreach};
use hearth_domain::ids::PersonId;
use hearth_domain::input::{optional_text, FieldErrors};
use hearth_domain::need::NeedDomain;
use hearth_store::gate::IdentificationWorklist;
use hearth_store::identification::indicators as configured;
use hearth_store::identification::worklist::{self as store, Done, MatchedEvent, Member};
use hearth_store::{audit, Store};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One partner event behind a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub event: EventKind,
    pub on: NaiveDate,
    pub attendance: Option<u32>,
    pub dataset: String,
    pub from: String,
}

/// One indicator met by one family member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The member's name; "A family member (restricted record)" for a restricted one.
    pub who: String,
    /// What the indicator says, in words.
    pub indicator: String,
    /// The indicator's code and the version of it that fired.
    pub code: String,
    pub version: u32,
    /// The headline needs it points to.
    pub needs: Vec<NeedDomain>,
    pub evidence: Vec<Evidence>,
}

impl Reason {
    /// Which indicator fired, and which version of it: "indicator attendance_under_90,
    /// version 2".
    pub fn fired(&self) -> String {
        format!("indicator {}, version {}", self.code, self.version)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifiedFamily {
    /// A household, or a person in no household: a family of one.
    pub family: FamilyKey,
    pub name: String,
    pub members: Vec<String>,
    /// Who the members are, in the same order.
    pub people: Vec<PersonId>,
    pub needs: Vec<NeedDomain>,
    pub reasons: Vec<Reason>,
    /// What people recorded doing, newest first.
    pub done: Vec<Done>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worklist {
    pub families: Vec<IdentifiedFamily>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutreachForm {
    #[serde(default)]
    pub outreach: String,
    #[serde(default)]
    pub note: String,
}

const RESTRICTED: &str = "A family member (restricted record)";

fn name_of(m: &Member) -> String {
    if m.restricted {
        RESTRICTED.into()
    } else {
        format!("{} {}", m.given_names, m.family_name)
    }
}

impl Evidence {
    /// The event in words: what, when, from which dataset of whom.
    pub fn describe(&self) -> String {
        let attendance = self
            .attendance
            .map(|a| format!(" {}.{}%", a / 10, a % 10))
            .unwrap_or_default();
        format!(
            "{}{attendance} on {}, from {} ({})",
            self.event.label(),
            self.on.format("%-d %B %Y"),
            self.dataset,
            self.from
        )
    }
}

impl From<&MatchedEvent> for Evidence {
    fn from(e: &MatchedEvent) -> Self {
        Evidence {
            event: e.event,
            on: e.on,
            attendance: e.attendance,
            dataset: e.dataset_name.clone(),
            from: e.owner_name.clone(),
        }
    }
}

/// The partner events as the domain's facts, each pointing back to its event.
pub(crate) fn facts(events: &[MatchedEvent]) -> Vec<Fact<&MatchedEvent>> {
    events
        .iter()
        .map(|e| Fact {
            event: e.event,
            on: e.on,
            attendance: e.attendance,
            source: e,
        })
        .collect()
}

/// The `indicators` met on `today` by each person `who` names (with the name to show), with
/// the partner events behind each.
pub(crate) fn reasons(
    indicators: &[Indicator],
    events: &[MatchedEvent],
    who: &[(PersonId, String)],
    today: NaiveDate,
) -> Vec<Reason> {
    let mut by_person: BTreeMap<PersonId, Vec<Fact<&MatchedEvent>>> = BTreeMap::new();
    for f in facts(events) {
        by_person.entry(f.source.person).or_default().push(f);
    }
    let mut out = Vec::new();
    for (person, name) in who {
        let facts = by_person.get(person).map(Vec::as_slice).unwrap_or(&[]);
        for met in assess(indicators, facts, today) {
            out.push(Reason {
                who: name.clone(),
                indicator: met.indicator.label.clone(),
                code: met.indicator.code.clone(),
                version: met.indicator.version,
                needs: met.indicator.needs.clone(),
                evidence: met
                    .evidence
                    .iter()
                    .map(|f| Evidence::from(f.source))
                    .collect(),
            });
        }
    }
    out
}

/// The headline needs partners' `events` show of their people on `day` under `indicators`,
/// once each, naming nobody: the needs the start page shows from partners' data, for counting.
pub(crate) fn needs_shown(
    indicators: &[Indicator],
    events: &[MatchedEvent],
    day: NaiveDate,
) -> Vec<NeedDomain> {
    let people: BTreeSet<PersonId> = events.iter().map(|e| e.person).collect();
    let who: Vec<(PersonId, String)> = people.into_iter().map(|p| (p, String::new())).collect();
    let needs: BTreeSet<NeedDomain> = reasons(indicators, events, &who, day)
        .iter()
        .flat_map(|r| r.needs.iter().copied())
        .collect();
    needs.into_iter().collect()
}

/// The families the worklist shows under `indicators`, from the matched events, the
/// households' members and what was done, on `today`.
fn families(
    indicators: &[Indicator],
    events: &[MatchedEvent],
    members: &[Member],
    done: &[Done],
    today: NaiveDate,
) -> Vec<IdentifiedFamily> {
    let mut families: BTreeMap<FamilyKey, Vec<&Member>> = BTreeMap::new();
    for m in members {
        families.entry(m.family).or_default().push(m);
    }
    let mut out = Vec::new();
    for (family, people) in families {
        let who: Vec<(PersonId, String)> = people.iter().map(|m| (m.person, name_of(m))).collect();
        let reasons = reasons(indicators, events, &who, today);
        let needs: BTreeSet<NeedDomain> = reasons
            .iter()
            .flat_map(|r| r.needs.iter().copied())
            .collect();
        let supported = people.iter().any(|m| m.supported);
        if !identified(&needs, supported) {
            continue;
        }
        let name = match (family, people.first()) {
            (FamilyKey::OfOne(_), Some(m)) => format!("{} (a family of one)", name_of(m)),
            (_, m) => m.map(|m| m.household_name.clone()).unwrap_or_default(),
        };
        out.push(IdentifiedFamily {
            family,
            name,
            members: people.iter().map(|m| name_of(m)).collect(),
            people: people.iter().map(|m| m.person).collect(),
            needs: needs.into_iter().collect(),
            reasons,
            done: done
                .iter()
                .filter(|d| d.family == family)
                .cloned()
                .collect(),
        });
    }
    // Most needs first; families nobody has done anything about before those already worked.
    out.sort_by_key(|f| (f.done.len().min(1), std::cmp::Reverse(f.needs.len())));
    out
}

impl Hearth {
    /// The worklist (front door officers and TAF Workers). Opening it is audited.
    pub async fn identification_worklist(&self, actor: &Actor) -> Result<Worklist, AppError> {
        let list = self
            .gate
            .open_identification_worklist(&self.viewer(actor))
            .await?;
        self.worklist_through(&list).await
    }

    pub(crate) async fn worklist_through(
        &self,
        list: &IdentificationWorklist,
    ) -> Result<Worklist, AppError> {
        let mut conn = self.store.read().await?;
        let events = store::matched_events(&mut conn, list).await?;
        let members = store::members(&mut conn, list).await?;
        let done = store::done(&mut conn, list).await?;
        let indicators = configured::current(&mut conn).await?;
        drop(conn);
        Ok(Worklist {
            families: families(
                &indicators,
                &events,
                &members,
                &done,
                self.now().date_naive(),
            ),
        })
    }

    /// Records what was done about a family on the worklist. A family not on it is refused
    /// (audited): the worklist is the only way to it here.
    pub async fn record_outreach(
        &self,
        actor: &Actor,
        family: FamilyKey,
        form: &OutreachForm,
    ) -> Result<(), AppError> {
        let list = self
            .gate
            .open_identification_worklist(&self.viewer(actor))
            .await?;
        let worklist = self.worklist_through(&list).await?;
        if !worklist.families.iter().any(|f| f.family == family) {
            return Err(self
                .refused(actor, "identification_family", family.to_string())
                .await);
        }
        let mut e = FieldErrors::new();
        let outreach = Outreach::from_code(form.outreach.trim());
        if outreach.is_none() {
            e.add("outreach", "Choose what was done");
        }
        let note = optional_text(&mut e, "note", "the note", &form.note, 2000).unwrap_or_default();
        let Some(outreach) = outreach.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let mut ev = self.identification_event(actor, AuditAction::IdentificationOutreachRecorded);
        (ev.record_type, ev.record_id) = match family {
            FamilyKey::Household(h) => (Some("household"), Some(h.to_string())),
            FamilyKey::OfOne(p) => (Some("person"), Some(p.to_string())),
        };
        ev.detail = Some(serde_json::json!({ "outreach": outreach.code() }).to_string());
        let mut tx = self.store.write().await?;
        store::record(&mut tx, &list, family, outreach, &note, self.now()).await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
