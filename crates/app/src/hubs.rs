//! Family Hubs (ADR 0028): a family registered light-touch at a hub, programmes and sessions
//! set up from the directory's services and places, bookings with a waiting list, registers
//! marked at the session (idempotent marks, so a tablet that lost its connection can send
//! again), attendance in the chronology of a person on the shared record who consented, and
//! the hubs' reach. Hub staff go through the gate's hub proofs and never open a full record.

mod concerns;
mod population;
mod progress;

pub use concerns::ConcernForm;
pub use population::{
    read_population, AreaShare, PopulationImport, RowProblem, UnderFives, WardReach,
};
pub use progress::{Attended, CompletionForm, CoursesView, Recorded};

use crate::accounts::auth::event;
use crate::family::{name_keys, name_prefixes, parse_date};
use crate::kept::Kept;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::directory::ServiceStatus;
use hearth_domain::hub::{weekly_dates, AgeBand, BookingStatus, ProgrammeKind};
use hearth_domain::ids::PersonId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_linkage::find::{PersonQuery, Search, STRONG_FROM};
use hearth_linkage::search_keys;
use hearth_store::directory as dir;
use hearth_store::family::people::{self, Blocking};
use hearth_store::hubs::families::{self, NewFamily, NewMember};
use hearth_store::hubs::reach;
use hearth_store::hubs::registers::{self, Mark, Marked, Marking};
use hearth_store::hubs::{self, NewProgramme, NewSession};
use hearth_store::{audit, Conn, Store};
use serde::Deserialize;
use uuid::Uuid;

pub use hearth_store::hubs::families::{Booking, FamilyLine, HubFamily, Member};
pub use hearth_store::hubs::reach::{Figures, Reach};
pub use hearth_store::hubs::registers::{Line, Register};
pub use hearth_store::hubs::{Programme, Session};

/// How many people one registration may list.
pub const MEMBER_ROWS: usize = 6;

/// A family's registration as typed: the hub, how to reach them and what they agreed to, and
/// one row per member (the rows are parallel lists; empty rows are skipped).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub hub: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub consent_contact: String,
    #[serde(default)]
    pub consent_attendance: String,
    #[serde(default)]
    pub given_names: Vec<String>,
    #[serde(default)]
    pub family_name: Vec<String>,
    /// Born on, or due on when `born` says "expected".
    #[serde(default)]
    pub dob: Vec<String>,
    #[serde(default)]
    pub born: Vec<String>,
    #[serde(default)]
    pub ethnicity: Vec<String>,
}

impl RegistrationForm {
    /// Row `i`'s value of a parallel list.
    pub fn at(list: &[String], i: usize) -> &str {
        list.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A programme as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgrammeForm {
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub first_date: String,
    #[serde(default)]
    pub weeks: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub facilitators: String,
    #[serde(default)]
    pub capacity: String,
}

/// A family's registration as hub staff see it.
#[derive(Debug, Clone)]
pub struct FamilyView {
    pub family: HubFamily,
    pub bookings: Vec<Booking>,
    /// (member, sessions came to, the last one).
    pub attendance: Vec<(Uuid, u32, Option<NaiveDate>)>,
    pub programmes: Vec<Programme>,
}

#[derive(Debug, Clone)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub sessions: Vec<Session>,
    pub bookings: Vec<(String, BookingStatus)>,
}

#[derive(Debug, Clone)]
pub struct RegisterView {
    pub programme: Programme,
    pub session: Session,
    pub register: Register,
    pub walk_in_choices: Vec<(Uuid, String)>,
}

/// A mark sent from the register page: `member` with `present`, or a counted walk-in's band.
#[derive(Debug, Clone, Deserialize)]
pub struct MarkInput {
    pub mark_id: String,
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub present: Option<bool>,
    #[serde(default)]
    pub counted: Option<String>,
}

fn uuid_in(e: &mut FieldErrors, field: &str, what: &str, value: &str) -> Option<Uuid> {
    match value.trim().parse::<Uuid>() {
        Ok(u) => Some(u),
        Err(_) => {
            e.add(field, format!("Select {what}"));
            None
        }
    }
}

/// A time of day typed as 9:30, 09:30 or 14:00.
fn time_of_day(e: &mut FieldErrors, field: &str, what: &str, value: &str) -> String {
    match chrono::NaiveTime::parse_from_str(value.trim(), "%H:%M") {
        Ok(t) => t.format("%H:%M").to_string(),
        Err(_) => {
            e.add(field, format!("Enter {what} as a time, like 09:30"));
            String::new()
        }
    }
}

impl Hearth {
    fn hub_event(&self, actor: &Actor, action: AuditAction) -> hearth_domain::audit::NewAuditEvent {
        event(Some(actor), &actor.email, action, &actor.origin, self.now())
    }

    /// Lets hub staff through to the hub's forms; refuses (audited) anyone else.
    pub async fn require_hub_desk(&self, actor: &Actor) -> Result<(), AppError> {
        self.gate
            .hub_desk(&self.viewer(actor), actor.organisation_id)
            .await?;
        Ok(())
    }

    /// The Family Hubs (the directory's places marked as hubs) to register families at.
    pub async fn hub_places(&self) -> Result<Vec<(Uuid, String)>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(dir::local_locations(&mut conn)
            .await?
            .into_iter()
            .filter(|l| l.family_hub)
            .map(|l| (l.id, l.name))
            .collect())
    }

    /// The directory's places (hubs first) a programme may run at.
    pub async fn programme_places(&self) -> Result<Vec<(Uuid, String)>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(dir::local_locations(&mut conn)
            .await?
            .into_iter()
            .map(|l| (l.id, l.name))
            .collect())
    }

    /// The directory's running services a programme may be set up from.
    pub async fn programme_services(&self) -> Result<Vec<(Uuid, String)>, AppError> {
        let mut conn = self.store.read().await?;
        let mut out: Vec<(Uuid, String)> = dir::service_lines(&mut conn, None)
            .await?
            .into_iter()
            .filter(|l| l.published && l.status == ServiceStatus::Active)
            .map(|l| (l.id, format!("{} ({})", l.name, l.organisation)))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    /// Registers a family at a hub: checks what was typed, links each member to the shared
    /// record when find-before-create finds exactly one likely person (the hub never sees who),
    /// and records who registered them. Audited with the links made.
    pub async fn register_hub_family(
        &self,
        actor: &Actor,
        form: &RegistrationForm,
    ) -> Result<Uuid, AppError> {
        let desk = self
            .gate
            .hub_desk(&self.viewer(actor), actor.organisation_id)
            .await?;
        let mut e = FieldErrors::new();
        let hub = uuid_in(&mut e, "hub", "the Family Hub", &form.hub);
        if let Some(h) = hub {
            if !self.hub_places().await?.iter().any(|(id, _)| *id == h) {
                e.add("hub", "Select the Family Hub");
            }
        }
        let postcode = input::required_text(
            &mut e,
            "postcode",
            "the family's postcode",
            &form.postcode,
            10,
        )
        .to_uppercase();
        let language = input::required_text(
            &mut e,
            "language",
            "the language the family speaks at home",
            &form.language,
            60,
        );
        let phone = input::optional_text(&mut e, "phone", "the phone number", &form.phone, 30);
        let consent_contact = form.consent_contact == "yes";
        let consent_attendance = form.consent_attendance == "yes";
        if phone.is_some() && !consent_contact {
            e.add("consent_contact", "Confirm the family agreed to their phone number being kept, or leave the number out");
        }
        let today = self.now().date_naive();
        let mut members = Vec::new();
        for i in 0..MEMBER_ROWS.min(form.given_names.len().max(form.family_name.len())) {
            let given = RegistrationForm::at(&form.given_names, i).trim();
            let family = RegistrationForm::at(&form.family_name, i).trim();
            let dob_text = RegistrationForm::at(&form.dob, i);
            if given.is_empty() && family.is_empty() && dob_text.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let given = input::required_text(
                &mut e,
                &format!("given_names-{i}"),
                &format!("person {n}'s first name"),
                given,
                100,
            );
            let family = input::required_text(
                &mut e,
                &format!("family_name-{i}"),
                &format!("person {n}'s last name"),
                family,
                100,
            );
            let expected = RegistrationForm::at(&form.born, i) == "expected";
            let dob = parse_date(&mut e, &format!("dob-{i}"), dob_text);
            if expected && dob.is_none_or(|d| d <= today) {
                e.add(
                    &format!("dob-{i}"),
                    format!("Enter the date person {n} is due, in the future, like 27/03/2027"),
                );
            } else if !expected && dob.is_some_and(|d| d > today) {
                e.add(&format!("dob-{i}"), format!("Person {n}'s date of birth must be in the past; choose 'Expected baby' for a baby on the way"));
            }
            let ethnicity = input::optional_text(
                &mut e,
                &format!("ethnicity-{i}"),
                "the ethnicity",
                RegistrationForm::at(&form.ethnicity, i),
                60,
            );
            members.push(NewMember {
                given_names: given,
                family_name: family,
                dob,
                expected,
                ethnicity,
                person: None,
            });
        }
        if members.is_empty() && e.is_empty() {
            e.add("given_names-0", "Enter at least one person in the family");
        }
        let (Some(hub), true) = (hub, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        {
            let mut conn = self.store.read().await?;
            for m in members.iter_mut().filter(|m| !m.expected) {
                m.person = linked_person(&mut conn, m, &postcode).await?;
            }
        }
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.store.write().await?;
        families::insert_family(
            &mut tx,
            &desk,
            &NewFamily {
                id,
                hub_location: hub,
                postcode: &postcode,
                language: &language,
                phone: phone.as_deref().filter(|_| consent_contact),
                consent_contact,
                consent_attendance,
                registered_by: actor.user_id,
            },
            &members,
            now,
        )
        .await?;
        let mut ev = self.hub_event(actor, AuditAction::HubFamilyRegistered);
        ev.record_type = Some("hub_family");
        ev.record_id = Some(id.to_string());
        ev.detail = Some(
            serde_json::json!({
                "members": members.len(),
                "linked_people": members.iter().filter_map(|m| m.person).map(|p| p.to_string()).collect::<Vec<_>>(),
                "consent_contact": consent_contact, "consent_attendance": consent_attendance,
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The families the actor's organisation registered (latest first, or by family name).
    pub async fn hub_families(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<Vec<FamilyLine>, AppError> {
        let desk = self
            .gate
            .hub_desk(&self.viewer(actor), actor.organisation_id)
            .await?;
        let mut conn = self.store.read().await?;
        Ok(families::families(&mut conn, &desk, name).await?)
    }

    /// A family's registration, bookings and attendance, opened by the gate for hub staff of
    /// the organisation that registered them. Audited.
    pub async fn hub_family(&self, actor: &Actor, id: Uuid) -> Result<FamilyView, AppError> {
        let opened = self
            .gate
            .open_hub_family(&self.viewer(actor), actor.organisation_id, id)
            .await?;
        let mut conn = self.store.read().await?;
        let view = FamilyView {
            family: families::family(&mut conn, &opened).await?,
            bookings: families::bookings(&mut conn, &opened).await?,
            attendance: families::attendance(&mut conn, &opened).await?,
            programmes: hubs::programmes(&mut conn, actor.organisation_id).await?,
        };
        drop(conn);
        let mut ev = self.hub_event(actor, AuditAction::HubFamilyViewed);
        ev.record_type = Some("hub_family");
        ev.record_id = Some(id.to_string());
        self.append_event(&ev).await?;
        Ok(view)
    }

    /// Records that a family withdrew (or gave again) their agreement to the hub keeping their
    /// attendance. Withdrawing takes their attendance out of the chronology at once; the
    /// sessions they came to stay counted in the reach. Audited with the lines taken out.
    pub async fn set_hub_attendance_consent(
        &self,
        actor: &Actor,
        family: Uuid,
        agreed: bool,
    ) -> Result<u64, AppError> {
        let opened = self
            .gate
            .open_hub_family(&self.viewer(actor), actor.organisation_id, family)
            .await?;
        let mut tx = self.store.write().await?;
        let (changed, removed) = families::set_attendance_consent(&mut tx, &opened, agreed).await?;
        // Already so (a form sent twice): nothing changed, nothing to record.
        if !changed {
            return Ok(0);
        }
        let mut ev = self.hub_event(actor, AuditAction::HubAttendanceConsentChanged);
        ev.record_type = Some("hub_family");
        ev.record_id = Some(family.to_string());
        ev.detail = Some(
            serde_json::json!({"consent_attendance": agreed, "chronology_lines_removed": removed})
                .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(removed)
    }

    /// Books a family member on a programme: a place, or the waiting list when it is full.
    pub async fn book_on_programme(
        &self,
        actor: &Actor,
        family: Uuid,
        member: &str,
        programme: &str,
    ) -> Result<BookingStatus, AppError> {
        let opened = self
            .gate
            .open_hub_family(&self.viewer(actor), actor.organisation_id, family)
            .await?;
        let mut e = FieldErrors::new();
        let member = uuid_in(&mut e, "member", "who to book", member);
        let programme = uuid_in(&mut e, "programme", "the programme", programme);
        let (Some(member), Some(programme)) = (member, programme) else {
            return Err(AppError::Invalid(e));
        };
        let mut tx = self.store.write().await?;
        let status = match families::book(
            &mut tx,
            &opened,
            programme,
            member,
            actor.user_id,
            self.now(),
        )
        .await
        {
            Ok(s) => s,
            Err(hearth_store::StoreError::NotFound) => {
                drop(tx);
                return Err(self.refused(actor, "hub_family", family.to_string()).await);
            }
            Err(err) => return Err(err.into()),
        };
        let mut ev = self.hub_event(actor, AuditAction::HubBookingMade);
        ev.record_type = Some("hub_family");
        ev.record_id = Some(family.to_string());
        ev.detail = Some(serde_json::json!({"member": member.to_string(), "programme": programme.to_string(), "status": status.code()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(status)
    }

    /// Sets up a programme from a directory service at a place, with a session a week.
    pub async fn create_programme(
        &self,
        actor: &Actor,
        form: &ProgrammeForm,
    ) -> Result<Uuid, AppError> {
        let desk = self
            .gate
            .hub_desk(&self.viewer(actor), actor.organisation_id)
            .await?;
        let mut e = FieldErrors::new();
        let service = uuid_in(
            &mut e,
            "service",
            "the service from the directory",
            &form.service,
        );
        if let Some(s) = service {
            if !self
                .programme_services()
                .await?
                .iter()
                .any(|(id, _)| *id == s)
            {
                e.add("service", "Select the service from the directory");
            }
        }
        let location = uuid_in(&mut e, "location", "where it runs", &form.location);
        if let Some(l) = location {
            if !self
                .programme_places()
                .await?
                .iter()
                .any(|(id, _)| *id == l)
            {
                e.add("location", "Select where it runs");
            }
        }
        let name = input::required_text(&mut e, "name", "the programme's name", &form.name, 120);
        let kind = ProgrammeKind::from_code(&form.kind);
        if kind.is_none() {
            e.add("kind", "Select whether it is a course or a drop-in");
        }
        let first = parse_date(&mut e, "first_date", &form.first_date);
        if first.is_none() && e.get("first_date").is_none() {
            e.add(
                "first_date",
                "Enter the date of the first session, like 06/01/2027",
            );
        }
        let weeks = match form.weeks.trim().parse::<u32>() {
            Ok(w @ 1..=52) => w,
            _ => {
                e.add("weeks", "Enter how many weekly sessions, from 1 to 52");
                0
            }
        };
        let starts = time_of_day(&mut e, "starts", "the start time", &form.starts);
        let ends = time_of_day(&mut e, "ends", "the end time", &form.ends);
        if !starts.is_empty() && !ends.is_empty() && ends <= starts {
            e.add("ends", "The end time must be after the start time");
        }
        let facilitators = input::required_text(
            &mut e,
            "facilitators",
            "who runs the sessions",
            &form.facilitators,
            200,
        );
        let capacity = match form.capacity.trim().parse::<u32>() {
            Ok(c @ 1..=500) => c,
            _ => {
                e.add("capacity", "Enter how many places, from 1 to 500");
                0
            }
        };
        let (Some(service), Some(location), Some(kind), Some(first), true) =
            (service, location, kind, first, e.is_empty())
        else {
            return Err(AppError::Invalid(e));
        };
        let sessions: Vec<NewSession> = weekly_dates(first, weeks)
            .into_iter()
            .map(|on| NewSession {
                on,
                starts: &starts,
                ends: &ends,
                facilitators: &facilitators,
            })
            .collect();
        let id = Uuid::now_v7();
        let mut tx = self.store.write().await?;
        hubs::insert_programme(
            &mut tx,
            &NewProgramme {
                id,
                organisation: desk.organisation(),
                service,
                location,
                name: &name,
                kind,
                capacity,
                created_by: actor.user_id,
            },
            &sessions,
            self.now(),
        )
        .await?;
        let mut ev = self.hub_event(actor, AuditAction::HubProgrammeCreated);
        ev.record_type = Some("hub_programme");
        ev.record_id = Some(id.to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The programmes the actor's organisation runs.
    pub async fn hub_programmes(&self, actor: &Actor) -> Result<Vec<Programme>, AppError> {
        let desk = self
            .gate
            .hub_desk(&self.viewer(actor), actor.organisation_id)
            .await?;
        let mut conn = self.store.read().await?;
        Ok(hubs::programmes(&mut conn, desk.organisation()).await?)
    }

    /// A programme with its sessions and who is booked or waiting.
    pub async fn hub_programme(&self, actor: &Actor, id: Uuid) -> Result<ProgrammeView, AppError> {
        let opened = self
            .gate
            .open_programme(&self.viewer(actor), actor.organisation_id, id)
            .await?;
        let mut conn = self.store.read().await?;
        Ok(ProgrammeView {
            programme: hubs::programme(&mut conn, id).await?,
            sessions: hubs::sessions(&mut conn, id).await?,
            bookings: registers::bookings(&mut conn, &opened).await?,
        })
    }

    /// The programme a session belongs to, opened by the gate for the actor.
    async fn session_programme(
        &self,
        actor: &Actor,
        session: Uuid,
    ) -> Result<(Session, hearth_store::gate::OpenedProgramme), AppError> {
        let s = {
            let mut conn = self.store.read().await?;
            hubs::session(&mut conn, session).await?
        };
        let opened = self
            .gate
            .open_programme(&self.viewer(actor), actor.organisation_id, s.programme)
            .await?;
        Ok((s, opened))
    }

    /// A session, for hub staff of the organisation that runs its programme.
    pub async fn hub_session(&self, actor: &Actor, session: Uuid) -> Result<Session, AppError> {
        Ok(self.session_programme(actor, session).await?.0)
    }

    /// Cancels a session and hands back who to call (name, and phone where the family agreed
    /// to it being kept) until notifications exist. Audited.
    pub async fn cancel_hub_session(
        &self,
        actor: &Actor,
        session: Uuid,
        reason: &str,
    ) -> Result<Vec<(String, Option<String>)>, AppError> {
        let (_, opened) = self.session_programme(actor, session).await?;
        let mut e = FieldErrors::new();
        let reason = input::required_text(
            &mut e,
            "reason",
            "why the session is cancelled",
            reason,
            500,
        );
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let mut tx = self.store.write().await?;
        if !hubs::cancel_session(&mut tx, session, &reason, self.now()).await? {
            return Err(AppError::Conflict);
        }
        let mut ev = self.hub_event(actor, AuditAction::HubSessionCancelled);
        ev.record_type = Some("hub_session");
        ev.record_id = Some(session.to_string());
        ev.reason = Some(reason);
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        let mut conn = self.store.read().await?;
        Ok(registers::to_call(&mut conn, &opened).await?)
    }

    /// A session's register, for marking. Audited.
    pub async fn session_register(
        &self,
        actor: &Actor,
        session: Uuid,
    ) -> Result<RegisterView, AppError> {
        let (s, opened) = self.session_programme(actor, session).await?;
        let mut conn = self.store.read().await?;
        let view = RegisterView {
            programme: hubs::programme(&mut conn, opened.id()).await?,
            register: registers::register(&mut conn, &opened, session).await?,
            walk_in_choices: registers::walk_in_choices(&mut conn, &opened, session).await?,
            session: s,
        };
        drop(conn);
        let mut ev = self.hub_event(actor, AuditAction::HubRegisterViewed);
        ev.record_type = Some("hub_session");
        ev.record_id = Some(session.to_string());
        self.append_event(&ev).await?;
        Ok(view)
    }

    /// Applies marks to a session's register in one transaction; each mark's id makes sending
    /// it again harmless. A member of another organisation's registrations is refused
    /// (audited) and nothing is kept. Returns how many marks changed the register.
    pub async fn mark_register(
        &self,
        actor: &Actor,
        session: Uuid,
        marks: &[MarkInput],
    ) -> Result<usize, AppError> {
        let (s, opened) = self.session_programme(actor, session).await?;
        if s.cancelled {
            let mut e = FieldErrors::new();
            e.add(
                "present",
                "This session was cancelled: its register cannot be marked",
            );
            return Err(AppError::Invalid(e));
        }
        let mut parsed = Vec::with_capacity(marks.len());
        for m in marks {
            let mark_id = m.mark_id.trim();
            if mark_id.is_empty() || mark_id.len() > 80 {
                return Err(AppError::NotFound);
            }
            let what = match (&m.member, &m.counted) {
                (Some(member), None) => Marking::Member {
                    member: member.parse().map_err(|_| AppError::NotFound)?,
                    present: m.present.unwrap_or(true),
                },
                (None, Some(band)) => {
                    Marking::Counted(AgeBand::from_code(band).ok_or(AppError::NotFound)?)
                }
                _ => return Err(AppError::NotFound),
            };
            parsed.push(Mark {
                mark_id: mark_id.to_string(),
                what,
            });
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let mut changed = 0;
        let marked = async {
            let target = registers::session_to_mark(&mut tx, &opened, session).await?;
            for m in &parsed {
                if registers::mark(&mut tx, &opened, &target, m, actor.user_id, now).await?
                    == Marked::Changed
                {
                    changed += 1;
                }
            }
            Ok::<_, hearth_store::StoreError>(())
        }
        .await;
        match marked {
            Ok(()) => {}
            Err(hearth_store::StoreError::NotFound) => {
                drop(tx);
                return Err(self
                    .refused(actor, "hub_session", session.to_string())
                    .await);
            }
            Err(err) => return Err(err.into()),
        }
        if changed > 0 {
            let mut ev = self.hub_event(actor, AuditAction::HubRegisterMarked);
            ev.record_type = Some("hub_session");
            ev.record_id = Some(session.to_string());
            ev.detail =
                Some(serde_json::json!({"marks": parsed.len(), "changed": changed}).to_string());
            audit::append(&mut tx, &ev).await?;
        }
        Store::commit(tx).await?;
        Ok(changed)
    }

    /// The hubs' reach from `from` to `to` (aggregate: no person in it), and when it was
    /// worked out: kept a few minutes unless `again` (ADR 0040). Audited.
    pub async fn hub_reach(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
        again: bool,
    ) -> Result<(Reach, DateTime<Utc>), AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let kept = self
            .kept
            .reach
            .get((from, to), again, || {
                let hearth = self.clone();
                async move {
                    let mut conn = hearth.store.read().await?;
                    Ok(Kept {
                        at: hearth.now(),
                        value: reach::reach(&mut conn, from, to).await?,
                    })
                }
            })
            .await?;
        let mut ev = self.hub_event(actor, AuditAction::HubReachViewed);
        ev.detail =
            Some(serde_json::json!({"from": from.to_string(), "to": to.to_string()}).to_string());
        self.append_event(&ev).await?;
        Ok((kept.value.clone(), kept.at))
    }
}

/// The one person on the shared record a registered member is, when find-before-create finds
/// exactly one strong match by name, date of birth and postcode; otherwise none (the hub is
/// never shown who, so a doubtful match is better left unlinked). A match merely worth showing
/// in a search is not enough: a child registered with a parent shares their family name and
/// postcode, and would be linked to the parent's record.
async fn linked_person(
    conn: &mut Conn,
    m: &NewMember,
    postcode: &str,
) -> Result<Option<PersonId>, AppError> {
    let Some(dob) = m.dob else {
        return Ok(None);
    };
    let search = Search::new(&PersonQuery {
        name: format!("{} {}", m.given_names, m.family_name),
        dob: Some(people::dob_of(dob)),
        postcode: Some(postcode.to_string()),
        nhs_number: None,
        upn: None,
    });
    let words = search.words();
    let postcode_key = search_keys::postcode_key(postcode);
    let blocking = Blocking {
        names: name_keys(words),
        dobs: vec![dob],
        postcode_key: (!postcode_key.is_empty()).then_some(postcode_key),
        nhs_number: None,
        upn: None,
        prefixes: name_prefixes(words),
    };
    let candidates = people::candidates(conn, &blocking).await?;
    let likely: Vec<PersonId> = search
        .best_of(candidates.iter().map(|(_, c)| c), 2)
        .into_iter()
        .filter(|(_, found)| found.score >= STRONG_FROM)
        .map(|(i, _)| candidates[i].0)
        .collect();
    Ok(match likely.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}
