//! The gate for Family Hubs (ADR 0028). Hub staff work with the hub's own light-touch
//! registrations and registers, never with the family's full record: a registration is
//! opened only for someone whose roles run hub sessions, and only within the organisation that
//! registered the family (or runs the programme). What they may see of a person comes from the
//! registration itself; a member linked to the shared record stays a link the hub cannot
//! follow. Refusals are audited here like every other.

use super::{Closed, Gate, Viewer};
use crate::decode::parse_id;
use crate::StoreError;
use hearth_domain::ids::OrganisationId;
use hearth_domain::role::Capability;
use uuid::Uuid;

/// A hub worker at their desk: may register families for their organisation and list the
/// families it registered. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::HubDesk { organisation: hearth_domain::ids::OrganisationId::new() };
/// ```
#[derive(Debug, Clone)]
pub struct HubDesk {
    pub(super) organisation: OrganisationId,
}

impl HubDesk {
    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }
}

/// One family's hub registration, opened for a hub worker of the organisation that registered
/// it: who is in the family, their bookings and attendance, nothing of the shared record.
#[derive(Debug, Clone)]
pub struct OpenedHubFamily {
    pub(super) id: Uuid,
    pub(super) organisation: OrganisationId,
}

impl OpenedHubFamily {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }
}

/// A programme opened for a hub worker of the organisation that runs it: its bookings,
/// waiting list and the registers of its sessions (whose members must be that organisation's
/// registrations too, which the store checks as it marks).
#[derive(Debug, Clone)]
pub struct OpenedProgramme {
    pub(super) id: Uuid,
    pub(super) organisation: OrganisationId,
}

impl OpenedProgramme {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }
}

impl Gate {
    /// The hub desk for a user whose roles run hub sessions, for their organisation; refused
    /// (audited) for anyone else.
    pub async fn hub_desk(
        &self,
        viewer: &Viewer<'_>,
        organisation: OrganisationId,
    ) -> Result<HubDesk, Closed> {
        if !viewer.roles.can(Capability::RunHubSessions) {
            return Err(self
                .refused(viewer, "hub", organisation.to_string(), "no capability")
                .await);
        }
        Ok(HubDesk { organisation })
    }

    /// Opens a family's hub registration for a hub worker of the organisation that made it;
    /// refused (audited) otherwise.
    pub async fn open_hub_family(
        &self,
        viewer: &Viewer<'_>,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<OpenedHubFamily, Closed> {
        if !viewer.roles.can(Capability::RunHubSessions)
            || self.owner("hub_families", id).await? != organisation
        {
            return Err(self
                .refused(viewer, "hub_family", id.to_string(), "not this hub's")
                .await);
        }
        Ok(OpenedHubFamily { id, organisation })
    }

    /// Opens a hub programme (its bookings and registers) for a hub worker of the
    /// organisation that runs it; refused (audited) otherwise.
    pub async fn open_programme(
        &self,
        viewer: &Viewer<'_>,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<OpenedProgramme, Closed> {
        if !viewer.roles.can(Capability::RunHubSessions)
            || self.owner("hub_programmes", id).await? != organisation
        {
            return Err(self
                .refused(viewer, "hub_programme", id.to_string(), "not this hub's")
                .await);
        }
        Ok(OpenedProgramme { id, organisation })
    }

    /// The organisation a hub registration or programme belongs to.
    async fn owner(&self, table: &'static str, id: Uuid) -> Result<OrganisationId, Closed> {
        let mut conn = self.store.read().await?;
        let owner: Option<String> = sqlx::query_scalar(&format!(
            "SELECT organisation_id FROM {table} WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(StoreError::from)?;
        match owner {
            Some(o) => Ok(parse_id(&o)?),
            None => Err(Closed::NotFound),
        }
    }
}
