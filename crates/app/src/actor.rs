use hearth_domain::api_scope::ApiScopes;
use hearth_domain::hold::Hold;
use hearth_domain::ids::{OrganisationId, TeamId, UserId};
use hearth_domain::role::{Capability, RoleSet};
use hearth_domain::second_factor::SessionFactor;
use hearth_store::accounts::users::User;

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The API token an actor acts through: its id (recorded on every audit event) and what it
/// may do.
#[derive(Debug, Clone)]
pub struct ApiTokenGrant {
    pub id: uuid::Uuid,
    pub scopes: ApiScopes,
}

/// A signed-in user acting through a session, or through an API token.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub roles: RoleSet,
    /// The session's CSRF token, which every form must carry back.
    pub csrf_token: String,
    /// The SHA-256 of the session token (never the token itself).
    pub session_hash: String,
    pub origin: Origin,
    /// Set when acting through an API token rather than a session.
    pub api_token: Option<ApiTokenGrant>,
    /// An administrator chose the password: the user must choose their own before anything
    /// else (the pages send them to do it; the API refuses their tokens).
    pub must_change_password: bool,
    /// Whether the session still owes a code from an authenticator app, or must set one up
    /// first (the pages send them to do it; ADR 0041).
    pub second_factor: SessionFactor,
    /// The partnership holds access until required training is recorded, and some of this
    /// user's is missing or has run out (ADR 0048).
    pub training_held: bool,
}

impl Actor {
    pub(crate) fn from_user(
        user: User,
        csrf_token: String,
        session_hash: String,
        origin: Origin,
    ) -> Self {
        Self {
            user_id: user.id,
            email: user.email,
            display_name: user.display_name,
            organisation_id: user.organisation_id,
            organisation_name: user.organisation_name,
            team_id: user.team_id,
            team_name: user.team_name,
            roles: user.roles,
            must_change_password: user.must_change_password,
            second_factor: SessionFactor::Done,
            training_held: false,
            csrf_token,
            session_hash,
            origin,
            api_token: None,
        }
    }

    /// What the user must do, or wait for, before any other page opens.
    pub fn hold(&self) -> Option<Hold> {
        Hold::first(
            self.must_change_password,
            self.second_factor,
            self.training_held,
        )
    }

    pub fn can(&self, capability: Capability) -> bool {
        self.roles.can(capability)
    }
}
