//! What an API token may do: read, or read and write, a chosen set of the API's resources.
//!
//! A token is made by its owner for one partner system, so it should carry no more than that
//! system needs; the API checks the scope a route needs before it runs (`hearth_web::api`).

use std::fmt;

/// The resources of the JSON API (`/api/v1`), one per group of routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiResource {
    /// Searching for people (`GET /api/v1/people`).
    People,
    /// Requests for support (`POST /api/v1/requests`, `GET /api/v1/requests/{id}`).
    Requests,
    /// Episodes and their plans (`GET /api/v1/episodes/{id}`, `…/plan`).
    Episodes,
}

impl ApiResource {
    pub const ALL: [ApiResource; 3] = [
        ApiResource::People,
        ApiResource::Requests,
        ApiResource::Episodes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApiResource::People => "people",
            ApiResource::Requests => "requests",
            ApiResource::Episodes => "episodes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApiResource::People => "People: search the family record",
            ApiResource::Requests => {
                "Requests for support: read, and send when the token may write"
            }
            ApiResource::Episodes => "Episodes of Family Help and their plans",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Whether a token only reads or may also change things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiAccess {
    Read,
    ReadWrite,
}

impl ApiAccess {
    pub fn code(self) -> &'static str {
        match self {
            ApiAccess::Read => "read",
            ApiAccess::ReadWrite => "read_write",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApiAccess::Read => "Read only",
            ApiAccess::ReadWrite => "Read and write",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ApiAccess::Read, ApiAccess::ReadWrite]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// One scope a route needs, written `resource:read` or `resource:write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiScope {
    pub resource: ApiResource,
    pub write: bool,
}

impl ApiScope {
    pub const fn read(resource: ApiResource) -> Self {
        Self {
            resource,
            write: false,
        }
    }

    pub const fn write(resource: ApiResource) -> Self {
        Self {
            resource,
            write: true,
        }
    }
}

impl fmt::Display for ApiScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = if self.write { "write" } else { "read" };
        write!(f, "{}:{how}", self.resource.code())
    }
}

/// The scopes a token was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiScopes {
    pub access: ApiAccess,
    resources: Vec<ApiResource>,
}

impl ApiScopes {
    pub fn new(access: ApiAccess, resources: impl IntoIterator<Item = ApiResource>) -> Self {
        let mut resources: Vec<ApiResource> = resources.into_iter().collect();
        resources.sort();
        resources.dedup();
        Self { access, resources }
    }

    pub fn resources(&self) -> &[ApiResource] {
        &self.resources
    }

    /// True when the token may do what the route needs; writing needs read-write access.
    pub fn permits(&self, needed: ApiScope) -> bool {
        self.resources.contains(&needed.resource)
            && (!needed.write || self.access == ApiAccess::ReadWrite)
    }

    /// The resources as stored: their codes separated by spaces.
    pub fn resources_text(&self) -> String {
        self.resources
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads what [`Self::resources_text`] and [`ApiAccess::code`] stored; `None` when either
    /// is not ours (a token with scopes we cannot read is refused, never widened).
    pub fn from_stored(access: &str, resources: &str) -> Option<Self> {
        let access = ApiAccess::from_code(access)?;
        let resources: Option<Vec<ApiResource>> = resources
            .split_whitespace()
            .map(ApiResource::from_code)
            .collect();
        Some(Self::new(access, resources?))
    }

    /// How the scopes read on the owner's page, e.g. "Read only: people, requests".
    pub fn describe(&self) -> String {
        let what = if self.resources.is_empty() {
            "nothing".to_string()
        } else {
            self.resources
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!("{}: {what}", self.access.label())
    }
}

/// The lifetimes an owner chooses from, in days; the partnership's maximum cuts the list.
pub const TOKEN_LIFETIMES_DAYS: [i64; 3] = [30, 90, 365];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_token_reads_its_resources_and_writes_nothing() {
        let s = ApiScopes::new(ApiAccess::Read, [ApiResource::Requests]);
        assert!(s.permits(ApiScope::read(ApiResource::Requests)));
        assert!(!s.permits(ApiScope::write(ApiResource::Requests)));
        assert!(!s.permits(ApiScope::read(ApiResource::People)));
    }

    #[test]
    fn a_read_write_token_writes_only_its_resources() {
        let s = ApiScopes::new(ApiAccess::ReadWrite, [ApiResource::Requests]);
        assert!(s.permits(ApiScope::write(ApiResource::Requests)));
        assert!(!s.permits(ApiScope::write(ApiResource::Episodes)));
    }

    #[test]
    fn stored_scopes_round_trip_and_unknown_ones_are_refused() {
        let s = ApiScopes::new(
            ApiAccess::ReadWrite,
            [ApiResource::Episodes, ApiResource::People],
        );
        assert_eq!(
            ApiScopes::from_stored(s.access.code(), &s.resources_text()),
            Some(s)
        );
        assert_eq!(ApiScopes::from_stored("admin", "people"), None);
        assert_eq!(ApiScopes::from_stored("read", "people everything"), None);
        assert_eq!(
            ApiScope::write(ApiResource::Requests).to_string(),
            "requests:write"
        );
    }
}
