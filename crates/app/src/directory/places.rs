//! The places where the directory's services run: adding one, found on the map from its
//! postcode, and changing it later. Every change is audited.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::directory::{may_add_location, may_change_location, Coordinates, Postcode};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::directory::{self as dir, Location, Written, LOCAL};
use hearth_store::{accounts::organisations, audit, Conn, Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

/// The add-a-place and change-a-place form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LocationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address_1: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub accessibility: String,
    /// `yes` to mark it as a Family Hub.
    #[serde(default)]
    pub family_hub: String,
    /// When the place was last changed, as it was when the form was opened (changing only).
    #[serde(default)]
    pub stamp: String,
}

impl LocationForm {
    /// The form filled in with the place as saved.
    pub fn of(l: &Location, stamp: String) -> Self {
        LocationForm {
            name: l.name.clone(),
            address_1: l.address_1.clone(),
            city: l.city.clone(),
            postcode: l.postal_code.clone(),
            accessibility: l.accessibility.clone().unwrap_or_default(),
            family_hub: if l.family_hub {
                "yes".into()
            } else {
                String::new()
            },
            stamp,
        }
    }
}

/// A place to change, with what the form needs to know about it.
#[derive(Debug, Clone)]
pub struct PlaceToChange {
    pub location: Location,
    pub form: LocationForm,
    /// How many services run there (their pages show the change at once).
    pub services: u64,
    /// Whether this person may mark or unmark it as a Family Hub.
    pub may_mark_hub: bool,
}

/// What became of a change to a place.
#[derive(Debug, Clone)]
pub enum PlaceSave {
    Saved,
    /// Someone else changed the place after this form was opened: nothing was saved. The
    /// place as it is now, and the stamp to save over it once the person has checked.
    Stale {
        now: Box<Location>,
        stamp: String,
    },
}

/// A place's checked details.
struct CheckedPlace {
    name: String,
    address_1: String,
    city: String,
    postcode: Postcode,
    at: Coordinates,
    accessibility: Option<String>,
    family_hub: bool,
}

/// Checks the form, collecting every problem by field; the position comes from the postcode.
async fn check(
    conn: &mut Conn,
    form: &LocationForm,
    may_mark_hub: bool,
    was_hub: bool,
) -> Result<CheckedPlace, AppError> {
    let mut e = FieldErrors::new();
    let name = input::required_text(&mut e, "name", "the name of the place", &form.name, 200);
    let address_1 = input::required_text(
        &mut e,
        "address_1",
        "the building and street",
        &form.address_1,
        200,
    );
    let city = input::required_text(&mut e, "city", "the town or city", &form.city, 100);
    let accessibility = input::optional_text(
        &mut e,
        "accessibility",
        "how accessible it is",
        &form.accessibility,
        1000,
    );
    let family_hub = form.family_hub == "yes";
    if family_hub != was_hub && !may_mark_hub {
        e.add(
            "family_hub",
            "Only the council's directory editors can mark a place as a Family Hub",
        );
    }
    let position = match Postcode::parse(&form.postcode) {
        None if form.postcode.trim().is_empty() => {
            e.add("postcode", "Enter the postcode of the place, like NG7 5AA");
            None
        }
        None => {
            e.add("postcode", "Enter a real postcode, like NG7 5AA");
            None
        }
        Some(p) if p.is_district() => {
            e.add(
                "postcode",
                "Enter the whole postcode, like NG7 5AA, not only the first part",
            );
            None
        }
        Some(p) => match dir::locate(conn, &p).await? {
            Some(at) => Some((p, at)),
            None => {
                e.add(
                    "postcode",
                    format!(
                        "We do not know where {} is. Check the postcode; if it is right, ask an administrator to import the latest postcodes",
                        p.as_str()
                    ),
                );
                None
            }
        },
    };
    match position.filter(|_| e.is_empty()) {
        Some((postcode, at)) => Ok(CheckedPlace {
            name,
            address_1,
            city,
            postcode,
            at,
            accessibility,
            family_hub,
        }),
        None => Err(AppError::Invalid(e)),
    }
}

impl CheckedPlace {
    /// A new place of the partnership's own with these details.
    fn new_place(self) -> Location {
        Location {
            id: Uuid::now_v7(),
            name: self.name,
            description: None,
            address_id: Uuid::now_v7(),
            address_1: self.address_1,
            city: self.city,
            postal_code: self.postcode.as_str().to_string(),
            latitude: Some(self.at.latitude),
            longitude: Some(self.at.longitude),
            family_hub: self.family_hub,
            accessibility_id: Uuid::now_v7(),
            accessibility: self.accessibility,
            source: LOCAL.into(),
        }
    }

    /// The place with these details, keeping `base`'s ids and source.
    fn onto(self, base: Location) -> Location {
        Location {
            name: self.name,
            address_1: self.address_1,
            city: self.city,
            postal_code: self.postcode.as_str().to_string(),
            latitude: Some(self.at.latitude),
            longitude: Some(self.at.longitude),
            family_hub: self.family_hub,
            accessibility: self.accessibility,
            ..base
        }
    }
}

impl Hearth {
    /// The partnership's own places, Family Hubs first, for directory editors to choose from
    /// and change.
    pub async fn directory_locations(&self, actor: &Actor) -> Result<Vec<Location>, AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let mut conn = self.store.read().await?;
        Ok(dir::local_locations(&mut conn).await?)
    }

    /// Whether the actor may mark a place as a Family Hub (the place forms ask only those
    /// who may).
    pub async fn may_mark_family_hub(&self, actor: &Actor) -> Result<bool, AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let mut conn = self.store.read().await?;
        may_mark_hub(&mut conn, actor).await
    }

    /// Adds a place where services run. Any directory editor may add one; it is on the
    /// public pages only once a published service runs there, so it needs no review of its
    /// own. Audited.
    pub async fn add_directory_location(
        &self,
        actor: &Actor,
        form: &LocationForm,
    ) -> Result<Uuid, AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let may_mark = may_mark_hub(&mut tx, actor).await?;
        let location = check(&mut tx, form, may_mark, false).await?.new_place();
        dir::put_location(&mut tx, &location, now).await?;
        record(
            &mut tx,
            actor,
            AuditAction::DirectoryLocationAdded,
            &location,
            now,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(location.id)
    }

    /// A place for the change form, if this person may change it (see
    /// [`may_change_location`]); refused and audited otherwise.
    pub async fn place_to_change(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<PlaceToChange, AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let mut conn = self.store.read().await?;
        let Some((location, services)) = changeable(&mut conn, actor, id).await? else {
            drop(conn);
            return Err(self
                .refused(actor, "directory_location", id.to_string())
                .await);
        };
        let stamp = dir::location_modified(&mut conn, id).await?;
        Ok(PlaceToChange {
            form: LocationForm::of(&location, stamp),
            location,
            services,
            may_mark_hub: may_mark_hub(&mut conn, actor).await?,
        })
    }

    /// Saves a change to a place. Every service running there shows it at once, so only
    /// those who may change the place (see [`may_change_location`]) can; a save over someone
    /// else's newer change is refused with the place as it is now. Audited.
    pub async fn change_directory_location(
        &self,
        actor: &Actor,
        id: Uuid,
        form: &LocationForm,
    ) -> Result<PlaceSave, AppError> {
        self.require(actor, Capability::EditDirectory).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let Some((saved, _)) = changeable(&mut tx, actor, id).await? else {
            drop(tx);
            return Err(self
                .refused(actor, "directory_location", id.to_string())
                .await);
        };
        let stamp = dir::location_modified(&mut tx, id).await?;
        if stamp != form.stamp {
            return Ok(PlaceSave::Stale {
                now: Box::new(saved),
                stamp,
            });
        }
        let may_mark = may_mark_hub(&mut tx, actor).await?;
        let location = check(&mut tx, form, may_mark, saved.family_hub)
            .await?
            .onto(saved);
        if dir::put_location(&mut tx, &location, now).await? == Written::Changed {
            record(
                &mut tx,
                actor,
                AuditAction::DirectoryLocationChanged,
                &location,
                now,
            )
            .await?;
        }
        Store::commit(tx).await?;
        Ok(PlaceSave::Saved)
    }
}

/// The place and how many services run there, or `None` when the actor may not change it.
async fn changeable(
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<(Location, u64)>, AppError> {
    let location = match dir::location(conn, id).await {
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        other => other?,
    };
    let (partners, services) = dir::organisations_at(conn, id).await?;
    let others = partners.iter().any(|p| *p != Some(actor.organisation_id));
    Ok(
        may_change_location(&actor.roles, location.source != LOCAL, others)
            .then_some((location, services)),
    )
}

/// Whether the actor's organisation lets them mark a Family Hub (see [`may_add_location`]).
async fn may_mark_hub(conn: &mut Conn, actor: &Actor) -> Result<bool, AppError> {
    let kind = organisations::get(conn, actor.organisation_id).await?.kind;
    Ok(may_add_location(&actor.roles, kind, true))
}

/// The audit event of a place added or changed, with what families will see.
async fn record(
    conn: &mut Conn,
    actor: &Actor,
    action: AuditAction,
    l: &Location,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let mut ev = event(Some(actor), &actor.email, action, &actor.origin, now);
    ev.record_type = Some("directory_location");
    ev.record_id = Some(l.id.to_string());
    ev.detail = Some(
        serde_json::json!({"name": l.name, "postcode": l.postal_code,
            "family_hub": l.family_hub})
        .to_string(),
    );
    audit::append(conn, &ev).await?;
    Ok(())
}
