//! Merging duplicate records of one person, and undoing a merge. Team managers only; every
//! merge is audited with its reason, and both ids keep resolving.

use crate::accounts::auth::event;
use crate::family::SearchForm;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::PersonId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::family::merges::{self, Merge};
use hearth_store::{audit, family::people, Store, StoreError};
use uuid::Uuid;

/// A record that may be the same person.
#[derive(Debug, Clone)]
pub struct PossibleDuplicate {
    pub id: PersonId,
    pub name: String,
    pub age: String,
    pub score: u32,
    pub reasons: Vec<String>,
}

impl Hearth {
    /// The person's name and the other records that look like them, for a manager deciding on
    /// a merge. Only what contact search shows is needed to decide, so no full record opens.
    pub async fn possible_duplicates(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<(String, Vec<PossibleDuplicate>), AppError> {
        self.require(actor, Capability::MergeRecords).await?;
        let duplicates = self.likely_same(actor, person).await?;
        let mut conn = self.store.read().await?;
        let p = people::get(&mut conn, person).await?;
        Ok((format!("{} {}", p.given_names, p.family_name), duplicates))
    }

    /// Other records that look like this person (a likely match by the search), as contact
    /// search shows them.
    pub(crate) async fn likely_same(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<PossibleDuplicate>, AppError> {
        // Looking for duplicates is data care across families: it needs no relationship, but
        // shows no more than contact search does (the name; the birth date and postcode only
        // feed the search, whose results pass the gate one by one). The gate still says
        // whether this user may look the person up (and asks a restricted person's reason).
        self.gate.look_up(&self.viewer(actor), person, None).await?;
        let mut conn = self.store.read().await?;
        let p = people::get(&mut conn, person).await?;
        // A restricted person's address stays out of the search, as it does for anyone.
        let postcode = if p.restricted {
            None
        } else {
            people::current_postcodes(&mut conn, &[p.id])
                .await?
                .into_iter()
                .next()
                .map(|(_, pc)| pc)
        };
        drop(conn);
        let form = SearchForm {
            name: format!("{} {}", p.given_names, p.family_name),
            dob: p
                .dob
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            postcode: postcode.unwrap_or_default(),
            nhs_number: String::new(),
            upn: String::new(),
        };
        let found = self.search_people(actor, &form).await?;
        Ok(found
            .results
            .into_iter()
            .filter(|r| r.id != p.id && r.likely)
            .map(|r| PossibleDuplicate {
                id: r.id,
                name: r.name,
                age: r.age,
                score: r.score,
                reasons: r.reasons,
            })
            .collect())
    }

    /// Merges `merged` into `survivor`: all history moves, the merged id keeps resolving.
    pub async fn merge_people(
        &self,
        actor: &Actor,
        survivor: PersonId,
        merged: PersonId,
        reason: &str,
    ) -> Result<Uuid, AppError> {
        self.require(actor, Capability::MergeRecords).await?;
        let mut e = FieldErrors::new();
        let reason = input::required_text(
            &mut e,
            "reason",
            "why these are the same person",
            reason,
            1000,
        );
        if survivor == merged {
            e.add("merged", "Choose a different record to merge");
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let id = Uuid::now_v7();
        let mut tx = self.store.write().await?;
        let kept = people::get(&mut tx, survivor).await?;
        let gone = people::get(&mut tx, merged).await?;
        if kept.id == gone.id {
            let mut e = FieldErrors::new();
            e.add("merged", "These records are already merged");
            return Err(AppError::Invalid(e));
        }
        let moved =
            match merges::merge(&mut tx, id, kept.id, gone.id, actor.user_id, &reason, now).await {
                Err(StoreError::Conflict) => return Err(AppError::Conflict),
                other => other?,
            };
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonMerged,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(kept.id.to_string());
        ev.reason = Some(reason);
        ev.detail = Some(serde_json::json!({"merge_id": id.to_string(), "merged": gone.id.to_string(), "moved": moved}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Puts both records back as they were before the merge.
    pub async fn undo_merge(
        &self,
        actor: &Actor,
        merge: Uuid,
    ) -> Result<(PersonId, PersonId), AppError> {
        self.require(actor, Capability::MergeRecords).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let (survivor, merged) = match merges::undo(&mut tx, merge, actor.user_id, now).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        };
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonMergeUndone,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(survivor.to_string());
        ev.detail = Some(
            serde_json::json!({"merge_id": merge.to_string(), "restored": merged.to_string()})
                .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok((survivor, merged))
    }

    /// Merges into a person, for the record page.
    pub async fn merges_into(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Merge>, AppError> {
        if !actor.can(Capability::MergeRecords) {
            return Ok(Vec::new());
        }
        let mut conn = self.store.read().await?;
        Ok(merges::into(&mut conn, person).await?)
    }
}
