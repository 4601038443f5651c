//! Administration: organisations, teams and user accounts. Records with history are
//! deactivated, never deleted.

use crate::accounts::auth::event;
use crate::{accounts::password, Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{OrganisationId, TeamId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::role::{
    separate_duties, Capability, PendingGrant, Role, RoleChangeStatus, RoleSet,
};
use hearth_domain::sign_in::ThrottleKey;
use hearth_store::accounts::organisations::{self, Organisation, OrganisationFields};
use hearth_store::accounts::role_changes::{self, RoleChange};
use hearth_store::accounts::teams::{self, Team, TeamFields};
use hearth_store::accounts::users::{self, FirstPassword, User, UserFields, UserFilter};
use hearth_store::directory::{self as dir, DirectoryOrganisation};
use hearth_store::{accounts::throttle, audit, Conn, Store, StoreError, Tx};
use serde::Deserialize;
use uuid::Uuid;

pub const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 1000;

/// An organisation as typed into the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub identifier: String,
}

impl OrganisationForm {
    pub fn from_record(o: &Organisation) -> Self {
        Self {
            name: o.name.clone(),
            kind: o.kind.code().into(),
            identifier: o.identifier.clone().unwrap_or_default(),
        }
    }

    fn check(&self) -> Result<OrganisationFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = input::required_text(
            &mut errors,
            "name",
            "the organisation name",
            &self.name,
            NAME_MAX,
        );
        let kind = self.kind.parse::<OrganisationKind>().ok();
        if kind.is_none() {
            errors.add("kind", "Select the type of organisation");
        }
        let identifier = match (kind, self.identifier.trim()) {
            (_, "") => None,
            (Some(kind), raw) => match kind.identifier_scheme().normalise(raw) {
                Ok(v) => Some(v),
                Err(message) => {
                    errors.add("identifier", message);
                    None
                }
            },
            (None, _) => None,
        };
        errors.into_result(OrganisationFields {
            name,
            kind: kind.unwrap_or(OrganisationKind::Other),
            identifier,
        })
    }
}

/// A team as typed into the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl TeamForm {
    pub fn from_record(t: &Team) -> Self {
        Self {
            organisation_id: t.organisation_id.to_string(),
            name: t.name.clone(),
            description: t.description.clone().unwrap_or_default(),
        }
    }

    fn check(&self) -> Result<TeamFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let organisation_id = self.organisation_id.parse::<OrganisationId>().ok();
        if organisation_id.is_none() {
            errors.add(
                "organisation_id",
                "Select the organisation the team belongs to",
            );
        }
        let name = input::required_text(&mut errors, "name", "the team name", &self.name, NAME_MAX);
        let description = input::optional_text(
            &mut errors,
            "description",
            "the description",
            &self.description,
            DESCRIPTION_MAX,
        );
        errors.into_result(TeamFields {
            organisation_id: organisation_id.unwrap_or_default(),
            name,
            description,
        })
    }
}

/// A user account as typed into the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
    /// The first password, set by the administrator when creating the account.
    #[serde(default)]
    pub password: String,
}

impl UserForm {
    pub fn from_record(u: &User) -> Self {
        Self {
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            job_title: u.job_title.clone().unwrap_or_default(),
            phone: u.phone.clone().unwrap_or_default(),
            organisation_id: u.organisation_id.to_string(),
            team_id: u.team_id.map(|t| t.to_string()).unwrap_or_default(),
            roles: u
                .roles
                .roles()
                .iter()
                .map(|r| r.code().to_string())
                .collect(),
            password: String::new(),
        }
    }

    fn check(&self) -> Result<UserFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = input::email(&mut errors, "email", &self.email);
        let display_name = input::required_text(
            &mut errors,
            "display_name",
            "the person's full name",
            &self.display_name,
            NAME_MAX,
        );
        let job_title = input::optional_text(
            &mut errors,
            "job_title",
            "the job title",
            &self.job_title,
            NAME_MAX,
        );
        let phone = input::optional_text(&mut errors, "phone", "the phone number", &self.phone, 40);
        if let Some(p) = &phone {
            if !p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
                errors.add("phone", "Enter a phone number using only numbers, spaces, brackets, dashes and +, like 0115 876 5432");
            }
        }
        let organisation_id = self.organisation_id.parse::<OrganisationId>().ok();
        if organisation_id.is_none() {
            errors.add("organisation_id", "Select the person's organisation");
        }
        let team_id = match self.team_id.trim() {
            "" => None,
            t => match t.parse::<TeamId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("team_id", "Select a team from the list");
                    None
                }
            },
        };
        let roles: Result<Vec<Role>, _> = self.roles.iter().map(|r| r.parse::<Role>()).collect();
        let roles = match roles {
            Ok(r) if !r.is_empty() => RoleSet::new(r),
            Ok(_) => {
                errors.add("roles", "Select at least one role");
                RoleSet::default()
            }
            Err(e) => {
                errors.add("roles", e.to_string());
                RoleSet::default()
            }
        };
        errors.into_result(UserFields {
            email,
            display_name,
            job_title,
            phone,
            organisation_id: organisation_id.unwrap_or_default(),
            team_id,
            roles,
        })
    }
}

/// Maps a clash on a unique value to a message on the field that caused it.
fn on_duplicate(
    result: Result<(), StoreError>,
    field: &str,
    message: &str,
) -> Result<(), AppError> {
    match result {
        Err(StoreError::Duplicate) => Err(duplicate(field, message)),
        other => Ok(other?),
    }
}

fn duplicate(field: &str, message: &str) -> AppError {
    let mut e = FieldErrors::new();
    e.add(field, message);
    AppError::Invalid(e)
}

/// A team must belong to the user's organisation.
async fn check_team(conn: &mut Conn, fields: &UserFields) -> Result<(), AppError> {
    if let Some(team_id) = fields.team_id {
        let team = teams::get(conn, team_id)
            .await
            .map_err(|_| duplicate("team_id", "Select a team from the list"))?;
        if team.organisation_id != fields.organisation_id {
            return Err(duplicate(
                "team_id",
                "Select a team in the person's organisation, or no team",
            ));
        }
    }
    Ok(())
}

fn org_detail(f: &OrganisationFields) -> String {
    serde_json::json!({"name": f.name, "kind": f.kind.code(), "identifier": f.identifier})
        .to_string()
}

fn team_detail(f: &TeamFields) -> String {
    serde_json::json!({"organisation_id": f.organisation_id.to_string(), "name": f.name, "description": f.description}).to_string()
}

fn user_detail(f: &UserFields) -> serde_json::Value {
    serde_json::json!({
        "email": f.email,
        "display_name": f.display_name,
        "job_title": f.job_title,
        "organisation_id": f.organisation_id.to_string(),
        "team_id": f.team_id.map(|t| t.to_string()),
        "roles": f.roles.roles().iter().map(|r| r.code()).collect::<Vec<_>>(),
    })
}

fn grant_detail(change: Uuid, grant: &PendingGrant) -> serde_json::Value {
    serde_json::json!({
        "change": change.to_string(),
        "add_roles": grant.roles.roles().iter().map(|r| r.code()).collect::<Vec<_>>(),
        "changes_team": grant.team.is_some(),
        "team_id": grant.team.flatten().map(|t| t.to_string()),
    })
}

impl Hearth {
    /// Writes the audit event for a change and commits both together.
    pub(crate) async fn commit_recorded(
        &self,
        mut tx: Tx,
        actor: Option<&Actor>,
        action: AuditAction,
        record_type: &'static str,
        record_id: String,
        detail: Option<String>,
    ) -> Result<(), AppError> {
        let label = actor.map(|a| a.email.as_str()).unwrap_or("system");
        let origin = actor.map(|a| a.origin.clone()).unwrap_or_default();
        let mut e = event(actor, label, action, &origin, self.now());
        e.record_type = Some(record_type);
        e.record_id = Some(record_id);
        e.detail = detail;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Checks a capability when a person is acting; the command line on the server acts as
    /// the system and needs none.
    async fn require_unless_system(
        &self,
        actor: Option<&Actor>,
        capability: Capability,
    ) -> Result<(), AppError> {
        match actor {
            Some(actor) => self.require(actor, capability).await,
            None => Ok(()),
        }
    }

    // ---- organisations ----

    pub async fn organisations(&self, actor: &Actor) -> Result<Vec<Organisation>, AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut conn = self.store.read().await?;
        Ok(organisations::list(&mut conn).await?)
    }

    pub async fn organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
    ) -> Result<Organisation, AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut conn = self.store.read().await?;
        Ok(organisations::get(&mut conn, id).await?)
    }

    pub async fn create_organisation(
        &self,
        actor: Option<&Actor>,
        form: &OrganisationForm,
    ) -> Result<OrganisationId, AppError> {
        self.require_unless_system(actor, Capability::ManageOrganisations)
            .await?;
        let fields = form.check().map_err(AppError::Invalid)?;
        let id = OrganisationId::new();
        let mut tx = self.store.write().await?;
        on_duplicate(organisations::insert(&mut tx, id, &fields, self.now()).await, "name", "An organisation with this name already exists: choose another name, or edit the existing one")?;
        self.commit_recorded(
            tx,
            actor,
            AuditAction::OrganisationCreated,
            "organisation",
            id.to_string(),
            Some(org_detail(&fields)),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
        version: i64,
        form: &OrganisationForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let fields = form.check().map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        on_duplicate(
            organisations::update(&mut tx, id, version, &fields, self.now()).await,
            "name",
            "Another organisation already has this name: choose another name",
        )?;
        // The directory shows the organisation by name, and keyword search finds its
        // services by it: a rename reaches both.
        if let Some(listed) = dir::organisation_for_partner(&mut tx, id).await? {
            let renamed = DirectoryOrganisation {
                name: fields.name.clone(),
                ..listed
            };
            dir::put_organisation(&mut tx, &self.policies.vocabulary, &renamed, self.now()).await?;
        }
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::OrganisationChanged,
            "organisation",
            id.to_string(),
            Some(org_detail(&fields)),
        )
        .await?;
        Ok(())
    }

    pub async fn set_organisation_active(
        &self,
        actor: &Actor,
        id: OrganisationId,
        active: bool,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut tx = self.store.write().await?;
        organisations::set_active(&mut tx, id, active, self.now()).await?;
        let action = if active {
            AuditAction::OrganisationReactivated
        } else {
            AuditAction::OrganisationDeactivated
        };
        self.commit_recorded(
            tx,
            Some(actor),
            action,
            "organisation",
            id.to_string(),
            None,
        )
        .await?;
        Ok(())
    }

    // ---- teams ----

    pub async fn teams(&self, actor: &Actor) -> Result<Vec<Team>, AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut conn = self.store.read().await?;
        Ok(teams::list(&mut conn, None).await?)
    }

    /// Teams to choose from when placing a user (administrators of users need these too).
    pub async fn team_choices(&self, actor: &Actor) -> Result<Vec<Team>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(teams::list(&mut conn, None).await?)
    }

    pub async fn organisation_choices(&self, actor: &Actor) -> Result<Vec<Organisation>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(organisations::list(&mut conn).await?)
    }

    pub async fn team(&self, actor: &Actor, id: TeamId) -> Result<Team, AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut conn = self.store.read().await?;
        Ok(teams::get(&mut conn, id).await?)
    }

    pub async fn create_team(
        &self,
        actor: Option<&Actor>,
        form: &TeamForm,
    ) -> Result<TeamId, AppError> {
        self.require_unless_system(actor, Capability::ManageOrganisations)
            .await?;
        let fields = form.check().map_err(AppError::Invalid)?;
        let id = TeamId::new();
        let mut tx = self.store.write().await?;
        organisations::get(&mut tx, fields.organisation_id)
            .await
            .map_err(|_| {
                duplicate(
                    "organisation_id",
                    "Select the organisation the team belongs to",
                )
            })?;
        on_duplicate(
            teams::insert(&mut tx, id, &fields, self.now()).await,
            "name",
            "This organisation already has a team with this name",
        )?;
        self.commit_recorded(
            tx,
            actor,
            AuditAction::TeamCreated,
            "team",
            id.to_string(),
            Some(team_detail(&fields)),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_team(
        &self,
        actor: &Actor,
        id: TeamId,
        version: i64,
        form: &TeamForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let fields = form.check().map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        on_duplicate(
            teams::update(&mut tx, id, version, &fields, self.now()).await,
            "name",
            "This organisation already has a team with this name",
        )?;
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::TeamChanged,
            "team",
            id.to_string(),
            Some(team_detail(&fields)),
        )
        .await?;
        Ok(())
    }

    pub async fn set_team_active(
        &self,
        actor: &Actor,
        id: TeamId,
        active: bool,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageOrganisations).await?;
        let mut tx = self.store.write().await?;
        teams::set_active(&mut tx, id, active, self.now()).await?;
        let action = if active {
            AuditAction::TeamReactivated
        } else {
            AuditAction::TeamDeactivated
        };
        self.commit_recorded(tx, Some(actor), action, "team", id.to_string(), None)
            .await?;
        Ok(())
    }

    // ---- users ----

    pub async fn users(&self, actor: &Actor, filter: &UserFilter) -> Result<Vec<User>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        let mut list = users::list(&mut conn, filter, 500).await?;
        self.show_sign_in_waits(&mut conn, &mut list).await?;
        Ok(list)
    }

    pub async fn user(&self, actor: &Actor, id: UserId) -> Result<User, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        let mut user = [users::get(&mut conn, id).await?];
        self.show_sign_in_waits(&mut conn, &mut user).await?;
        let [user] = user;
        Ok(user)
    }

    /// Sets each user's `locked_until` to the end of their sign-in wait, if they have one, so
    /// the administrator sees whom to unlock.
    async fn show_sign_in_waits(&self, conn: &mut Conn, list: &mut [User]) -> Result<(), AppError> {
        let waits: std::collections::HashMap<String, _> =
            throttle::blocked_accounts(conn, self.now())
                .await?
                .into_iter()
                .collect();
        for u in list {
            u.locked_until = waits.get(&ThrottleKey::Account.hash(&u.email)).copied();
        }
        Ok(())
    }

    /// Creates an account. `actor` is `None` only for the command line on the server itself.
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        form: &UserForm,
    ) -> Result<UserId, AppError> {
        self.require_unless_system(actor, Capability::ManageUsers)
            .await?;
        let fields = form.check();
        let mut errors = fields.as_ref().err().cloned().unwrap_or_default();
        input::new_password(
            &mut errors,
            "password",
            &form.password,
            &form.email.trim().to_lowercase(),
        );
        let fields = errors
            .into_result(())
            .and(fields)
            .map_err(AppError::Invalid)?;
        let hash = password::hash(form.password.clone()).await?;
        let id = UserId::new();
        let mut tx = self.store.write().await?;
        organisations::get(&mut tx, fields.organisation_id)
            .await
            .map_err(|_| duplicate("organisation_id", "Select the person's organisation"))?;
        check_team(&mut tx, &fields).await?;
        // An administrator's new account starts with what one administrator may give; the
        // rest waits for a second. The operator at the server's console (the first
        // administrator of a fresh install, the demo) gives everything at once, and the log
        // says it was the console.
        let (now_fields, pending) = match actor {
            Some(_) => {
                let split =
                    separate_duties(&RoleSet::default(), None, &fields.roles, fields.team_id);
                let pending = split.pending;
                (
                    UserFields {
                        roles: split.roles_now,
                        team_id: split.team_now,
                        ..fields.clone()
                    },
                    pending,
                )
            }
            None => (fields.clone(), None),
        };
        on_duplicate(
            users::insert(
                &mut tx,
                id,
                &now_fields,
                &hash,
                match actor {
                    Some(_) => FirstPassword::ByAdministrator,
                    None => FirstPassword::AtConsole,
                },
                self.now(),
            )
            .await,
            "email",
            "There is already an account with this email address",
        )?;
        let mut detail = user_detail(&now_fields);
        if actor.is_none() {
            detail["granted_at"] = "the server's console (no second administrator)".into();
        }
        match (actor, pending) {
            (Some(actor), Some(grant)) => {
                self.record_change(&mut tx, actor, AuditAction::UserCreated, id, detail)
                    .await?;
                self.propose_role_change(tx, actor, id, &grant).await?;
            }
            _ => {
                self.commit_recorded(
                    tx,
                    actor,
                    AuditAction::UserCreated,
                    "user",
                    id.to_string(),
                    Some(detail.to_string()),
                )
                .await?;
            }
        }
        Ok(id)
    }

    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        version: i64,
        form: &UserForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let fields = form.check().map_err(AppError::Invalid)?;
        if id == actor.user_id && !fields.roles.has(Role::Administrator) {
            return Err(duplicate("roles", "You cannot remove the administrator role from your own account; ask another administrator"));
        }
        let mut tx = self.store.write().await?;
        check_team(&mut tx, &fields).await?;
        // Removing roles applies at once (it only reduces access); giving a family-record
        // role, or moving an account that holds one to another team, waits for a second
        // administrator.
        let before = users::get(&mut tx, id).await?;
        let split = separate_duties(&before.roles, before.team_id, &fields.roles, fields.team_id);
        let now_fields = UserFields {
            roles: split.roles_now,
            team_id: split.team_now,
            ..fields
        };
        on_duplicate(
            users::update(&mut tx, id, version, &now_fields, self.now()).await,
            "email",
            "There is already an account with this email address",
        )?;
        match split.pending {
            Some(grant) => {
                self.record_change(
                    &mut tx,
                    actor,
                    AuditAction::UserChanged,
                    id,
                    user_detail(&now_fields),
                )
                .await?;
                self.propose_role_change(tx, actor, id, &grant).await
            }
            None => {
                self.commit_recorded(
                    tx,
                    Some(actor),
                    AuditAction::UserChanged,
                    "user",
                    id.to_string(),
                    Some(user_detail(&now_fields).to_string()),
                )
                .await
            }
        }
    }

    /// Writes the audit event for a change to an account inside `tx`, without committing.
    async fn record_change(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: AuditAction,
        user: UserId,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        let mut e = event(Some(actor), &actor.email, action, &actor.origin, self.now());
        e.record_type = Some("user");
        e.record_id = Some(user.to_string());
        e.detail = Some(detail.to_string());
        audit::append(tx, &e).await?;
        Ok(())
    }

    /// Records a grant waiting for a second administrator, withdrawing any earlier one for
    /// the same account, and commits.
    async fn propose_role_change(
        &self,
        mut tx: Tx,
        actor: &Actor,
        user: UserId,
        grant: &PendingGrant,
    ) -> Result<(), AppError> {
        let change = Uuid::now_v7();
        let withdrawn =
            role_changes::propose(&mut tx, change, user, grant, actor.user_id, self.now())
                .await
                .map_err(|e| match e {
                    StoreError::Duplicate => AppError::Conflict,
                    e => e.into(),
                })?;
        let mut detail = grant_detail(change, grant);
        detail["withdraws"] = withdrawn.map(|w| w.to_string()).into();
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::RoleChangeProposed,
            "user",
            user.to_string(),
            Some(detail.to_string()),
        )
        .await
    }

    /// Role changes waiting for a second administrator, oldest first.
    pub async fn pending_role_changes(&self, actor: &Actor) -> Result<Vec<RoleChange>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(role_changes::pending(&mut conn).await?)
    }

    /// The change waiting for one account, if any.
    pub async fn pending_role_change(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> Result<Option<RoleChange>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(role_changes::pending_for(&mut conn, user).await?)
    }

    /// A second administrator approves a waiting change: the roles are added and the team
    /// set. Neither the administrator who proposed it nor the account's own holder may
    /// approve it (refused and audited).
    pub async fn approve_role_change(&self, actor: &Actor, change: Uuid) -> Result<(), AppError> {
        self.decide_role_change(actor, change, true).await
    }

    /// Rejects a waiting change (or, by its proposer, withdraws it); nothing is granted.
    pub async fn reject_role_change(&self, actor: &Actor, change: Uuid) -> Result<(), AppError> {
        self.decide_role_change(actor, change, false).await
    }

    async fn decide_role_change(
        &self,
        actor: &Actor,
        id: Uuid,
        approve: bool,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let change = {
            let mut conn = self.store.read().await?;
            role_changes::get(&mut conn, id).await?
        };
        let own = change.proposed_by == actor.user_id;
        if approve && (own || change.user_id == actor.user_id) {
            return Err(self.refused(actor, "role_change", id.to_string()).await);
        }
        let status = match (approve, own) {
            (true, _) => RoleChangeStatus::Approved,
            (false, true) => RoleChangeStatus::Withdrawn,
            (false, false) => RoleChangeStatus::Rejected,
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        // Only a change still waiting is decided: of two administrators deciding at once,
        // the second is told it moved on.
        role_changes::decide(&mut tx, id, status, actor.user_id, now)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::Conflict,
                e => e.into(),
            })?;
        if approve {
            if let Some(Some(team)) = change.grant.team {
                let user = users::get(&mut tx, change.user_id).await?;
                let team = teams::get(&mut tx, team).await?;
                if team.organisation_id != user.organisation_id {
                    return Err(duplicate(
                        "decision",
                        "The account has moved to another organisation since this change was proposed: reject it and propose it again",
                    ));
                }
            }
            role_changes::apply(&mut tx, change.user_id, &change.grant, now).await?;
        }
        let mut detail = grant_detail(id, &change.grant);
        detail["status"] = status.code().into();
        detail["proposed_by"] = change.proposed_by.to_string().into();
        self.commit_recorded(
            tx,
            Some(actor),
            if approve {
                AuditAction::RoleChangeApproved
            } else {
                AuditAction::RoleChangeRejected
            },
            "user",
            change.user_id.to_string(),
            Some(detail.to_string()),
        )
        .await
    }

    /// Deactivating also ends the user's sessions at once.
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        id: UserId,
        active: bool,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        if id == actor.user_id && !active {
            return Err(duplicate(
                "active",
                "You cannot deactivate your own account",
            ));
        }
        let mut tx = self.store.write().await?;
        users::set_active(&mut tx, id, active, self.now()).await?;
        if !active {
            hearth_store::accounts::sessions::delete_for_user(&mut tx, id, None).await?;
        }
        let action = if active {
            AuditAction::UserReactivated
        } else {
            AuditAction::UserDeactivated
        };
        self.commit_recorded(tx, Some(actor), action, "user", id.to_string(), None)
            .await?;
        Ok(())
    }

    pub async fn unlock_user(&self, actor: &Actor, id: UserId) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut tx = self.store.write().await?;
        let user = users::get(&mut tx, id).await?;
        users::unlock(&mut tx, id).await?;
        // The account's wait ends; an address's does not (it may be an attacker's).
        throttle::clear(
            &mut tx,
            ThrottleKey::Account,
            &ThrottleKey::Account.hash(&user.email),
        )
        .await?;
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::UserUnlocked,
            "user",
            id.to_string(),
            None,
        )
        .await?;
        Ok(())
    }

    /// Organisations by name, for the command line (which acts as the system).
    pub async fn find_organisation(&self, name: &str) -> Result<Option<Organisation>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(organisations::find_by_name(&mut conn, name).await?)
    }
}
