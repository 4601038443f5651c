//! The data protection officer's report of who reached one person's data, by every path.

use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::PersonId;
use hearth_store::family::people;
use hearth_store::information_rights::viewers::{self, Viewing};

/// Everyone who reached a person's data, oldest first.
#[derive(Debug, Clone)]
pub struct PersonViewings {
    pub person: PersonId,
    pub name: String,
    pub viewings: Vec<Viewing>,
}

impl Hearth {
    /// Who viewed or changed this person's data, by every path (the report is recorded).
    pub async fn person_viewings(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<PersonViewings, AppError> {
        let trail = self.gate.person_trail(&self.viewer(actor), person).await?;
        let mut conn = self.store.read().await?;
        let p = people::get(&mut conn, trail.person()).await?;
        let viewings = viewers::of_person(&mut conn, &trail).await?;
        drop(conn);
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::PersonViewersReported;
        ev.record_type = Some("person");
        ev.record_id = Some(trail.person().to_string());
        self.append_event(&ev).await?;
        Ok(PersonViewings {
            person: trail.person(),
            name: format!("{} {}", p.given_names, p.family_name),
            viewings,
        })
    }
}
