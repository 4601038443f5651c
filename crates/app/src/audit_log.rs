//! Searching, exporting and verifying the audit log.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::{Anchor, AuditAction};
use hearth_domain::role::Capability;
use hearth_store::accounts::users::{self, UserFilter};
use hearth_store::accounts::{organisations, teams};
use hearth_store::audit::{self, AuditEvent, AuditQuery, Verification};
use hearth_store::Store;
use std::collections::HashMap;

/// One page of results.
pub const PAGE_SIZE: i64 = 50;
/// The most events one export holds; a larger search is narrowed first (by dates, say).
pub const EXPORT_MAX: i64 = 10_000;
/// The most users, and people, one name resolves to.
const NAMED_MAX: i64 = 50;

/// One page of a search: its events, newest first, whom the search's name matched, and the
/// names of the organisations and teams (by id) that events' details refer to.
#[derive(Debug, Default)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub named: Vec<Named>,
    pub account_names: HashMap<String, String>,
}

/// A user or a person a search's name matched, whose events (by them or about them, their
/// account or their record and its episodes) the search finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub is_user: bool,
}

/// An export: the matching events, newest first, and whether there were more than it holds.
#[derive(Debug, Default)]
pub struct AuditExport {
    pub events: Vec<AuditEvent>,
    pub cut_short: bool,
}

impl Hearth {
    /// Searches the log, newest first, a page at a time. A name finds events by or about the
    /// users and people it names. The search itself is recorded.
    pub async fn search_audit(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEvent>, AppError> {
        Ok(self.audit_page(actor, query).await?.events)
    }

    /// [`Hearth::search_audit`], with whom the name matched.
    pub async fn audit_page(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> Result<AuditPage, AppError> {
        self.require(actor, Capability::ViewAuditLog).await?;
        self.record_audit_use(actor, AuditAction::AuditSearched, query, None)
            .await?;
        let (ids, named) = self.who(actor, query).await?;
        let mut conn = self.store.read().await?;
        let mut events = audit::search(&mut conn, query, &ids, PAGE_SIZE).await?;
        minimise(actor, &mut events);
        // Accounts' organisations and teams are not personal data: named for every event.
        let mut account_names: HashMap<String, String> = organisations::list(&mut conn)
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect();
        account_names.extend(teams::list(&mut conn, None).await?.into_iter().map(|t| {
            (
                t.id.to_string(),
                format!("{}, {}", t.name, t.organisation_name),
            )
        }));
        Ok(AuditPage {
            events,
            named,
            account_names,
        })
    }

    /// Every event a search finds (up to [`EXPORT_MAX`]), to be downloaded; the export is
    /// recorded with the search and how many events it held.
    pub async fn export_audit(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> Result<AuditExport, AppError> {
        self.require(actor, Capability::ViewAuditLog).await?;
        let query = AuditQuery {
            before_seq: None,
            after_seq: None,
            ..query.clone()
        };
        let (ids, _) = self.who(actor, &query).await?;
        let mut conn = self.store.read().await?;
        let mut events = audit::search(&mut conn, &query, &ids, EXPORT_MAX + 1).await?;
        drop(conn);
        let cut_short = events.len() as i64 > EXPORT_MAX;
        minimise(actor, &mut events);
        events.truncate(EXPORT_MAX as usize);
        self.record_audit_use(
            actor,
            AuditAction::AuditExported,
            &query,
            Some(events.len()),
        )
        .await?;
        Ok(AuditExport { events, cut_short })
    }

    /// The ids a search's `who` stands for: itself (an id typed in), the users whose name or
    /// email address holds it, and the people whose names it gives (through the gate) with
    /// their episodes.
    async fn who(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> Result<(Vec<String>, Vec<Named>), AppError> {
        let Some(text) = query.who.as_deref() else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut ids = vec![text.to_string()];
        let mut named = Vec::new();
        let mut conn = self.store.read().await?;
        let found = users::list(
            &mut conn,
            &UserFilter {
                text: Some(text.to_string()),
                organisation_id: None,
            },
            NAMED_MAX,
        )
        .await?;
        drop(conn);
        for u in found {
            ids.push(u.id.to_string());
            named.push(Named {
                name: u.display_name,
                is_user: true,
            });
        }
        if text.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            let viewer = self.viewer(actor);
            for p in self.gate.audit_subjects(&viewer, text, NAMED_MAX).await? {
                ids.push(p.person.to_string());
                ids.extend(p.episodes.iter().map(|e| e.to_string()));
                named.push(Named {
                    name: p.name,
                    is_user: false,
                });
            }
        }
        Ok((ids, named))
    }

    async fn record_audit_use(
        &self,
        actor: &Actor,
        action: AuditAction,
        query: &AuditQuery,
        exported: Option<usize>,
    ) -> Result<(), AppError> {
        let mut e = event(Some(actor), &actor.email, action, &actor.origin, self.now());
        let mut detail = serde_json::json!({
            "who": query.who,
            "record_id": query.record_id,
            "action": query.action,
            "from": query.from.map(|t| t.to_rfc3339()),
            "to": query.to.map(|t| t.to_rfc3339()),
        });
        if let Some(n) = exported {
            detail["events"] = n.into();
        }
        e.detail = Some(detail.to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Checks every link of the chain with the process's audit keys, and the chain against
    /// the anchors written outside the database (for `hearth audit verify`, run on the server).
    pub async fn verify_audit(&self, anchors: Vec<Anchor>) -> Result<Verification, AppError> {
        let mut conn = self.store.read().await?;
        Ok(audit::verify(&mut conn, audit::keys()?, anchors).await?)
    }

    /// The head of the chain now, to be written outside the database as an anchor.
    pub async fn audit_anchor(&self) -> Result<Anchor, AppError> {
        let mut conn = self.store.read().await?;
        Ok(audit::head(&mut conn, self.now()).await?)
    }
}

/// Audit minimisation: for anyone but the data protection officer, the personal search terms
/// in the events are withheld (see [`minimised_detail`]).
fn minimise(actor: &Actor, events: &mut [AuditEvent]) {
    if actor.can(Capability::ManageInformationRights) {
        return;
    }
    for e in events {
        if let Some(d) = e.detail.as_mut() {
            *d = minimised_detail(e.action, d);
        }
    }
}

/// What replaces a personal search term for someone who may not see it.
pub const WITHHELD: &str = "(withheld: only the data protection officer sees search terms)";

/// An audit event's detail as an administrator may read it: the names, dates of birth, NHS
/// numbers and other terms someone searched for (a person search's criteria, the name an
/// audit search looked for) are withheld; everything else (who, when, what, which records)
/// stays. The data protection officer reads the detail whole.
pub fn minimised_detail(action: AuditAction, detail: &str) -> String {
    let fields: &[&str] = match action {
        AuditAction::PersonSearched => &["criteria"],
        AuditAction::AuditSearched | AuditAction::AuditExported => &["who"],
        _ => return detail.to_string(),
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(detail) else {
        // A detail that is not JSON cannot be minimised field by field: withhold it whole.
        return WITHHELD.to_string();
    };
    if let Some(object) = value.as_object_mut() {
        for field in fields {
            if let Some(v) = object.get_mut(*field) {
                if !v.is_null() {
                    *v = serde_json::Value::String(WITHHELD.to_string());
                }
            }
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_do_not_see_what_was_searched_for() {
        let search =
            r#"{"criteria":{"name":"Mia Okafor","nhs_number":"9434765919"},"shown":["p1"]}"#;
        let out = minimised_detail(AuditAction::PersonSearched, search);
        assert!(
            !out.contains("Okafor") && !out.contains("9434765919"),
            "{out}"
        );
        assert!(out.contains("p1"), "which records were shown stays: {out}");
        let audit = r#"{"who":"Okafor","action":null}"#;
        let out = minimised_detail(AuditAction::AuditSearched, audit);
        assert!(!out.contains("Okafor"), "{out}");
        assert_eq!(
            minimised_detail(AuditAction::AuditSearched, r#"{"who":null}"#),
            r#"{"who":null}"#
        );
        assert_eq!(
            minimised_detail(AuditAction::PersonSearched, "Okafor"),
            WITHHELD
        );
        let view = r#"{"page":1}"#;
        assert_eq!(minimised_detail(AuditAction::PersonViewed, view), view);
    }
}
