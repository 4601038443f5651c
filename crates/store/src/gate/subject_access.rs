//! The gate's door for information rights: the data protection officer, with a subject access
//! request logged, may gather everything held about its person — every record of theirs,
//! merged ones included — and nobody else may, nor without a request. The proof,
//! [`OpenedSubject`], is what the store's gathering takes.

use super::{Closed, Gate, Viewer};
use crate::family::people;
use crate::information_rights::requests::{self, SubjectAccessRequest};
use crate::StoreError;
use hearth_domain::ids::PersonId;
use hearth_domain::role::Capability;
use uuid::Uuid;

/// A subject access request opened by the gate for the data protection officer: the request,
/// and every id its person has had (their surviving record first, then any merged into it).
///
/// Only the gate makes one, so a gathering cannot be reached around it:
///
/// ```compile_fail
/// # fn f(request: hearth_store::information_rights::requests::SubjectAccessRequest) {
/// let _ = hearth_store::gate::OpenedSubject { request, ids: Vec::new() };
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct OpenedSubject {
    pub(super) request: SubjectAccessRequest,
    pub(super) ids: Vec<PersonId>,
}

impl OpenedSubject {
    pub fn request(&self) -> &SubjectAccessRequest {
        &self.request
    }

    /// The person's surviving record.
    pub fn person(&self) -> PersonId {
        self.request.person
    }

    /// Every id the person's data is held under: the surviving record, then the records merged
    /// into it (their rows may still name the old id).
    pub fn ids(&self) -> &[PersonId] {
        &self.ids
    }
}

/// A person's trail in the audit log (who reached their data, by which path), opened by the
/// gate for the data protection officer only, with every id the person has had.
#[derive(Debug, Clone)]
pub struct PersonTrail {
    pub(super) person: PersonId,
    pub(super) ids: Vec<PersonId>,
}

impl PersonTrail {
    pub fn person(&self) -> PersonId {
        self.person
    }

    pub fn ids(&self) -> &[PersonId] {
        &self.ids
    }
}

/// A person the data protection officer may log a request about, found by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectCandidate {
    pub person: PersonId,
    pub name: String,
    pub dob: Option<chrono::NaiveDate>,
}

/// The most people one name finds for a request.
const CANDIDATES: i64 = 20;

impl Gate {
    /// Opens a logged subject access request for the data protection officer (the
    /// `ManageInformationRights` capability). Anyone else is refused, and the refusal
    /// recorded; a request that was never logged is not found.
    pub async fn open_subject(
        &self,
        viewer: &Viewer<'_>,
        request: Uuid,
    ) -> Result<OpenedSubject, Closed> {
        if !viewer.roles.can(Capability::ManageInformationRights) {
            return Err(self
                .refused(
                    viewer,
                    "subject_access_request",
                    request.to_string(),
                    "no capability",
                )
                .await);
        }
        let mut conn = self.store.read().await?;
        let request = requests::get(&mut conn, request).await?;
        let ids = merged_ids(&mut conn, request.person).await?;
        Ok(OpenedSubject { request, ids })
    }

    /// Opens a person's trail in the audit log for the data protection officer; anyone else
    /// is refused (recorded).
    pub async fn person_trail(
        &self,
        viewer: &Viewer<'_>,
        person: PersonId,
    ) -> Result<PersonTrail, Closed> {
        if !viewer.roles.can(Capability::ManageInformationRights) {
            return Err(self
                .refused(viewer, "person", person.to_string(), "no capability")
                .await);
        }
        let mut conn = self.store.read().await?;
        let person = people::get(&mut conn, person).await?.id;
        let ids = merged_ids(&mut conn, person).await?;
        Ok(PersonTrail { person, ids })
    }

    /// The people whose names have every word of `name` (their surviving records), for the
    /// data protection officer to choose whom a request is about; for anyone else, nobody.
    pub async fn subject_candidates(
        &self,
        viewer: &Viewer<'_>,
        name: &str,
    ) -> Result<Vec<SubjectCandidate>, StoreError> {
        if !viewer.roles.can(Capability::ManageInformationRights) {
            return Ok(Vec::new());
        }
        let words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
        let mut conn = self.store.read().await?;
        let mut out: Vec<SubjectCandidate> = Vec::new();
        for (id, _) in people::named(&mut conn, &words, CANDIDATES).await? {
            let p = people::get(&mut conn, id).await?;
            if out.iter().all(|c| c.person != p.id) {
                out.push(SubjectCandidate {
                    person: p.id,
                    name: format!("{} {}", p.given_names, p.family_name),
                    dob: p.dob,
                });
            }
        }
        Ok(out)
    }
}

/// The person's id and every id merged into it, at any depth.
async fn merged_ids(conn: &mut crate::Conn, person: PersonId) -> Result<Vec<PersonId>, StoreError> {
    let mut ids = vec![person];
    let mut next = 0;
    while next < ids.len() {
        let into: Vec<String> = sqlx::query_scalar("SELECT id FROM people WHERE merged_into = $1")
            .bind(ids[next].to_string())
            .fetch_all(&mut *conn)
            .await?;
        for id in into {
            let id: PersonId = crate::decode::parse_id(&id)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        next += 1;
    }
    Ok(ids)
}
