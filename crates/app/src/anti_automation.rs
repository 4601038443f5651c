//! What the rate limits (in `web`) record: a refusal, once per limit, key and window, and an
//! alert for the data protection officer when one user's volume of searches is unusual.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth, Origin};
use hearth_domain::audit::AuditAction;
use serde_json::json;

impl Hearth {
    /// Records that requests were refused by the rate limit `limit` (e.g. `people_search`),
    /// counted `by` user or address.
    pub async fn record_rate_limited(
        &self,
        actor: Option<&Actor>,
        origin: &Origin,
        limit: &str,
        by: &str,
    ) -> Result<(), AppError> {
        let label = actor.map_or("(not signed in)", |a| a.email.as_str());
        let mut e = event(actor, label, AuditAction::RateLimited, origin, self.now());
        e.detail = Some(json!({"limit": limit, "by": by}).to_string());
        self.append_event(&e).await
    }

    /// Records an alert: `actor` made more than `per_hour` requests of kind `what` in an hour.
    pub async fn record_unusual_volume(
        &self,
        actor: &Actor,
        what: &str,
        per_hour: u32,
    ) -> Result<(), AppError> {
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::UnusualVolume,
            &actor.origin,
            self.now(),
        );
        e.reason = Some(format!("More than {per_hour} in an hour"));
        e.detail = Some(json!({"what": what, "more_than_per_hour": per_hour}).to_string());
        self.append_event(&e).await
    }
}
