//! Subject access requests: logged with who asked, whom about, how identity was checked and
//! when it came; due one calendar month later (extendable by up to two months, with the
//! reason); everything held gathered through the gate; the officer's redactions; the release.

use super::document::Document;
use super::received_on;
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::PersonId;
use hearth_domain::information_rights::{
    self as rights, passage_key, sentences, Deadline, SarStatus,
};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::family::people;
use hearth_store::gate::{OpenedSubject, SubjectCandidate};
use hearth_store::information_rights::gathered::{self, Section};
use hearth_store::information_rights::requests::{self, NewRequest, SubjectAccessRequest};
use hearth_store::{audit, Store};
use serde::Deserialize;
use uuid::Uuid;

/// The form that logs a request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SarForm {
    /// The name searched for, kept so the page can show its people again.
    #[serde(default)]
    pub name: String,
    /// The person it is about (chosen from a name search).
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub requested_by: String,
    #[serde(default)]
    pub identity_checked: String,
    #[serde(default, rename = "received-day")]
    pub received_day: String,
    #[serde(default, rename = "received-month")]
    pub received_month: String,
    #[serde(default, rename = "received-year")]
    pub received_year: String,
}

impl SarForm {
    pub fn received(&self) -> DateParts {
        DateParts {
            day: self.received_day.clone(),
            month: self.received_month.clone(),
            year: self.received_year.clone(),
        }
    }
}

/// The form that extends a request's due date.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default, rename = "due-day")]
    pub due_day: String,
    #[serde(default, rename = "due-month")]
    pub due_month: String,
    #[serde(default, rename = "due-year")]
    pub due_year: String,
}

impl ExtendForm {
    pub fn due(&self) -> DateParts {
        DateParts {
            day: self.due_day.clone(),
            month: self.due_month.clone(),
            year: self.due_year.clone(),
        }
    }
}

/// A request on the officer's queue, with how near its due date is.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub request: SubjectAccessRequest,
    pub deadline: Deadline,
}

/// A request opened for review: what was gathered and what the release will leave out.
#[derive(Debug, Clone)]
pub struct SarReview {
    pub request: SubjectAccessRequest,
    /// Every id the person's data is held under (a merged record's too).
    pub record_ids: Vec<PersonId>,
    pub sections: Vec<Section>,
    pub redacted: Vec<String>,
    pub deadline: Deadline,
    /// The latest the due date may be extended to.
    pub latest_extension: NaiveDate,
}

impl Hearth {
    fn rights_event(
        &self,
        actor: &Actor,
        action: AuditAction,
        request: Uuid,
        detail: serde_json::Value,
    ) -> NewAuditEvent {
        let mut e = self.viewer(actor).audit;
        e.action = action;
        e.record_type = Some("subject_access_request");
        e.record_id = Some(request.to_string());
        e.detail = Some(detail.to_string());
        e
    }

    /// The people a name finds, for the officer to choose whom a request is about.
    pub async fn subject_candidates(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<Vec<SubjectCandidate>, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        if name.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            return Ok(Vec::new());
        }
        Ok(self
            .gate
            .subject_candidates(&self.viewer(actor), name)
            .await?)
    }

    /// Logs a request; it is due one calendar month after it was received.
    pub async fn log_subject_access(
        &self,
        actor: &Actor,
        form: &SarForm,
    ) -> Result<Uuid, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        let today = self.now().date_naive();
        let mut e = FieldErrors::new();
        let person: Option<PersonId> = form.person.trim().parse().ok();
        if person.is_none() {
            e.add("person", "Select the person the request is about");
        }
        let requested_by = input::required_text(
            &mut e,
            "requested_by",
            "who made the request",
            &form.requested_by,
            200,
        );
        let identity_checked = input::required_text(
            &mut e,
            "identity_checked",
            "how their identity (and right to ask) was checked",
            &form.identity_checked,
            1000,
        );
        let received = received_on(&mut e, &form.received(), today);
        let (Some(person), Some(received)) = (person, received) else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let mut tx = self.store.write().await?;
        // A merged record's id finds the surviving record: the request is about the person.
        let person = match people::get(&mut tx, person).await {
            Ok(p) => p.id,
            Err(hearth_store::StoreError::NotFound) => {
                let mut e = FieldErrors::new();
                e.add("person", "Select the person the request is about");
                return Err(AppError::Invalid(e));
            }
            Err(other) => return Err(other.into()),
        };
        let now = self.now();
        let id = requests::insert(
            &mut tx,
            &NewRequest {
                person,
                requested_by: &requested_by,
                identity_checked: &identity_checked,
                received_on: received,
                due_on: rights::due_on(received),
                logged_by: actor.user_id,
            },
            now,
        )
        .await?;
        let ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessLogged,
            id,
            serde_json::json!({ "person": person.to_string(), "received_on": received.to_string() }),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The officer's queue: open requests soonest due first, then those released.
    pub async fn subject_access_queue(&self, actor: &Actor) -> Result<Vec<QueueRow>, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        let list = requests::queue(&mut conn).await?;
        drop(conn);
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::SharingReportViewed;
        ev.detail = Some(serde_json::json!({"report": "subject_access_queue"}).to_string());
        self.append_event(&ev).await?;
        Ok(list
            .into_iter()
            .map(|request| QueueRow {
                deadline: rights::deadline(request.due_on, today),
                request,
            })
            .collect())
    }

    async fn open_subject(&self, actor: &Actor, id: Uuid) -> Result<OpenedSubject, AppError> {
        Ok(self.gate.open_subject(&self.viewer(actor), id).await?)
    }

    /// A request with everything held about its person, gathered now through the gate (the
    /// gathering is audited), and what the release will leave out.
    pub async fn subject_access(&self, actor: &Actor, id: Uuid) -> Result<SarReview, AppError> {
        let subject = self.open_subject(actor, id).await?;
        let mut conn = self.store.read().await?;
        let sections = gathered::everything(&mut conn, &subject).await?;
        let redacted = requests::redactions(&mut conn, &subject).await?;
        drop(conn);
        let items: usize = sections.iter().map(|s| s.items.len()).sum();
        let ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessGathered,
            id,
            serde_json::json!({
                "person": subject.person().to_string(),
                "record_ids": subject.ids().iter().map(ToString::to_string).collect::<Vec<_>>(),
                "items": items,
            }),
        );
        self.append_event(&ev).await?;
        let request = subject.request().clone();
        Ok(SarReview {
            deadline: rights::deadline(request.due_on, self.now().date_naive()),
            latest_extension: rights::latest_extension(request.received_on),
            record_ids: subject.ids().to_vec(),
            request,
            sections,
            redacted,
        })
    }

    /// Extends an open request's due date, up to two further months, with the reason.
    pub async fn extend_subject_access(
        &self,
        actor: &Actor,
        id: Uuid,
        form: &ExtendForm,
    ) -> Result<(), AppError> {
        let subject = self.open_subject(actor, id).await?;
        let request = subject.request();
        let latest = rights::latest_extension(request.received_on);
        let mut e = FieldErrors::new();
        let reason = input::required_text(
            &mut e,
            "reason",
            "why the request needs longer (for example, it is complex or one of many from the same person)",
            &form.reason,
            1000,
        );
        let due = match form.due().read("The new due date") {
            Err(err) => {
                e.add("due", err.message);
                None
            }
            Ok(None) => {
                e.add("due", "Enter the new due date");
                None
            }
            Ok(Some(d)) if d <= request.due_on => {
                e.add(
                    "due",
                    format!(
                        "The new due date must be after {}",
                        request.due_on.format("%-d %B %Y")
                    ),
                );
                None
            }
            Ok(Some(d)) if d > latest => {
                e.add(
                    "due",
                    format!(
                        "The new due date must be no later than {}, three months after the request was received",
                        latest.format("%-d %B %Y")
                    ),
                );
                None
            }
            Ok(Some(d)) => Some(d),
        };
        if request.status != SarStatus::Open {
            e.add(
                "due",
                "This request has been released: its due date no longer applies",
            );
        }
        let Some(due) = due.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let version: i64 = form
            .version
            .trim()
            .parse()
            .map_err(|_| AppError::Conflict)?;
        let mut tx = self.store.write().await?;
        requests::extend(&mut tx, &subject, version, due, &reason).await?;
        let mut ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessExtended,
            id,
            serde_json::json!({ "from": request.due_on.to_string(), "to": due.to_string() }),
        );
        ev.reason = Some(reason);
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Sets what the release leaves out: the items, and the sentences of items, whose keys are
    /// given (each must be gathered for this request; others are ignored).
    pub async fn redact_subject_access(
        &self,
        actor: &Actor,
        id: Uuid,
        keys: &[String],
    ) -> Result<(), AppError> {
        let subject = self.open_subject(actor, id).await?;
        let mut conn = self.store.read().await?;
        let sections = gathered::everything(&mut conn, &subject).await?;
        drop(conn);
        // Whole items, and single sentences of an item's fields (`passage_key`).
        let mut known = Vec::new();
        for item in sections.iter().flat_map(|s| &s.items) {
            if keys.contains(&item.key) {
                known.push(item.key.clone());
            }
            for (n, field) in item.fields.iter().enumerate() {
                for s in 0..sentences(&field.value).len() {
                    let key = passage_key(&item.key, n, s);
                    if keys.contains(&key) {
                        known.push(key);
                    }
                }
            }
        }
        let mut tx = self.store.write().await?;
        requests::set_redactions(&mut tx, &subject, &known, actor.user_id, self.now()).await?;
        // The keys name records by id, never their content.
        let ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessRedacted,
            id,
            serde_json::json!({ "left_out": known }),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Releases an open request: everything gathered now, less what the officer left out, is
    /// kept as the document sent.
    pub async fn release_subject_access(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        let subject = self.open_subject(actor, id).await?;
        let mut conn = self.store.read().await?;
        let sections = gathered::everything(&mut conn, &subject).await?;
        let redacted = requests::redactions(&mut conn, &subject).await?;
        drop(conn);
        let request = subject.request();
        let now = self.now();
        let document = Document::new(
            request.person_name.clone(),
            subject.ids().iter().map(ToString::to_string).collect(),
            request.requested_by.clone(),
            request.received_on,
            now.date_naive(),
            sections,
            &redacted,
        );
        let json =
            serde_json::to_string(&document).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.store.write().await?;
        requests::release(&mut tx, &subject, &json, actor.user_id, now).await?;
        let ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessReleased,
            id,
            serde_json::json!({
                "items": document.sections.iter().map(|s| s.items.len()).sum::<usize>(),
                "left_out": document.left_out,
            }),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The released document, for download as `format` (recorded); not found before release.
    pub async fn released_subject_access(
        &self,
        actor: &Actor,
        id: Uuid,
        format: &str,
    ) -> Result<Document, AppError> {
        let subject = self.open_subject(actor, id).await?;
        let mut conn = self.store.read().await?;
        let json = requests::released_document(&mut conn, &subject)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let document: Document = serde_json::from_str(&json)
            .map_err(|e| AppError::Store(hearth_store::StoreError::Corrupt(e.to_string())))?;
        let ev = self.rights_event(
            actor,
            AuditAction::SubjectAccessDownloaded,
            id,
            serde_json::json!({ "format": format }),
        );
        self.append_event(&ev).await?;
        Ok(document)
    }
}
