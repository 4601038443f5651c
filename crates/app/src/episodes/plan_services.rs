//! The services a family plan refers the family to: chosen from the partnership's directory
//! (or typed, for a service the directory does not list), each shown with where any request
//! for it made for the family stands.

use chrono::{DateTime, Utc};
use hearth_domain::directory::ServiceRequestStatus;
pub use hearth_store::directory::service_requests::ServiceRequest;
pub use hearth_store::episodes::plans::{PlannedService, ServiceChoice};
use uuid::Uuid;

/// Where a request for a service stands, in words a practitioner reads at a glance.
pub fn request_standing(r: &ServiceRequest) -> String {
    let day = |t: DateTime<Utc>| t.format("%-d %B %Y").to_string();
    match r.status {
        ServiceRequestStatus::Sent => match r.first_opened_at {
            Some(at) => format!(
                "Opened by the service on {}; waiting for an answer",
                day(at)
            ),
            None => format!("Sent on {}; not opened yet", day(r.created_at)),
        },
        ServiceRequestStatus::Accepted => format!(
            "Accepted{}: {}",
            r.answered_at
                .map(|t| format!(" on {}", day(t)))
                .unwrap_or_default(),
            r.answer_reason.clone().unwrap_or_default()
        ),
        ServiceRequestStatus::Declined => format!(
            "Declined{}: {}",
            r.answered_at
                .map(|t| format!(" on {}", day(t)))
                .unwrap_or_default(),
            r.answer_reason.clone().unwrap_or_default()
        ),
    }
}

/// One service on the plan and the requests for it made for the family, newest first.
#[derive(Debug, Clone)]
pub struct ServiceOnPlan {
    /// Empty for a service typed in free text.
    pub service_id: Option<Uuid>,
    pub name: String,
    pub requests: Vec<ServiceRequest>,
}

/// The plan's services, each with its requests, then the requests made for the family to
/// services the plan does not name (so none is out of sight).
pub fn services_on_plan(
    directory: &[PlannedService],
    free_text: &[String],
    requests: &[ServiceRequest],
) -> (Vec<ServiceOnPlan>, Vec<ServiceRequest>) {
    let mut on_plan: Vec<ServiceOnPlan> = directory
        .iter()
        .map(|s| ServiceOnPlan {
            service_id: Some(s.service_id),
            name: s.name.clone(),
            requests: requests
                .iter()
                .filter(|r| r.service_id == s.service_id)
                .cloned()
                .collect(),
        })
        .collect();
    on_plan.extend(free_text.iter().map(|name| ServiceOnPlan {
        service_id: None,
        name: name.clone(),
        requests: Vec::new(),
    }));
    let others = requests
        .iter()
        .filter(|r| !directory.iter().any(|s| s.service_id == r.service_id))
        .cloned()
        .collect();
    (on_plan, others)
}
