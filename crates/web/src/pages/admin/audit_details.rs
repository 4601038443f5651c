//! An audit event's details in words, one line per field in the order of their names. The log keeps codes (so it reads the same whatever
//! the wording of the day); the page names them as the rest of Hearth does, and names the
//! organisations and teams an id stands for. The CSV export keeps the stored details as
//! they are.

use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::directory::ServiceRequestStatus;
use hearth_domain::episode::{EpisodeLevel, Route};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::plan::ActionStatus;
use hearth_domain::role::Role;
use hearth_domain::routing::{Outcome, Queue, TargetedService};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::str::FromStr;

/// An event's details as lines a person reads: each field of its JSON on its own line, or
/// the text as it is when it is not JSON. `names` maps organisation and team ids to names.
pub fn lines(detail: Option<&str>, names: &HashMap<String, String>) -> Vec<(String, String)> {
    let Some(detail) = detail else {
        return Vec::new();
    };
    match serde_json::from_str::<Value>(detail) {
        Ok(Value::Object(map)) => {
            // In the order of the fields' names, whatever order serde_json keeps (a test crate
            // turns on its `preserve_order`).
            let mut fields: Vec<(&String, &Value)> =
                map.iter().filter(|(_, v)| !v.is_null()).collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            fields
                .into_iter()
                .map(|(k, v)| (key(k), value(k, v, &map, names)))
                .collect()
        }
        _ => vec![(String::new(), detail.to_string())],
    }
}

/// A field's name in words: `organisation_id` is "Organisation", `wait_seconds` "Wait seconds".
fn key(k: &str) -> String {
    let words = k.strip_suffix("_id").unwrap_or(k).replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn value(k: &str, v: &Value, all: &Map<String, Value>, names: &HashMap<String, String>) -> String {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let coded = |s: &str| -> Option<String> {
        let label = match k {
            "kind" => OrganisationKind::from_str(s).ok()?.label(),
            "queue" => Queue::from_code(s)?.label(),
            "outcome" => Outcome::label_of_code(s)?,
            "service" | "proposed_service" => TargetedService::from_code(s)?.label(),
            "route" => Route::from_code(s)?.label(),
            "level" => EpisodeLevel::from_code(s)?.label(),
            // A service request's status, else a plan action's.
            "status" if all.contains_key("service_request_id") => {
                ServiceRequestStatus::from_code(s)?.label()
            }
            "status" => ActionStatus::from_code(s)?.label(),
            "capability" => return Some(sentence(s)),
            "organisation_id" | "team_id" => return names.get(s).cloned(),
            _ => return None,
        };
        Some(label.to_string())
    };
    match (k, v) {
        ("roles", Value::Array(roles)) => roles
            .iter()
            .map(|r| {
                let code = text(r);
                Role::from_str(&code).map_or(code, |r| r.label().to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        ("level", Value::Number(n)) => n
            .as_i64()
            .and_then(ContinuumLevel::from_number)
            .map_or_else(|| n.to_string(), |l| l.label().to_string()),
        (_, Value::String(s)) => coded(s).unwrap_or_else(|| s.clone()),
        (_, Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_string(),
        _ => text(v),
    }
}

/// `SearchPeople` as "Search people".
fn sentence(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(detail: &str) -> Vec<(String, String)> {
        let names = HashMap::from([("org-1".to_string(), "Trentside Academy".to_string())]);
        lines(Some(detail), &names)
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn codes_are_named_as_the_rest_of_hearth_names_them() {
        assert_eq!(
            read(
                r#"{"roles":["practitioner","team_manager"],"kind":"voluntary_community","organisation_id":"org-1"}"#
            ),
            vec![
                pair("Kind", "Voluntary and community"),
                pair("Organisation", "Trentside Academy"),
                pair("Roles", "Practitioner, Team manager"),
            ]
        );
        assert_eq!(
            read(
                r#"{"level":3,"outcome":"no_further_action","service":"core","queue":"safeguarding","held_for_confirmation":true}"#
            ),
            vec![
                pair("Held for confirmation", "Yes"),
                pair("Level", "Level 3: Targeted Family Help"),
                pair("Outcome", "No further action"),
                pair("Queue", "Safeguarding"),
                pair("Service", "Core Family Help service"),
            ]
        );
        assert_eq!(
            read(r#"{"capability":"SearchPeople","route":"brief"}"#),
            vec![
                pair("Capability", "Search people"),
                pair("Route", "Early Help Brief Assessment"),
            ]
        );
    }

    #[test]
    fn what_is_not_a_known_code_is_shown_as_stored() {
        assert_eq!(
            read(
                r#"{"reason":"wrong password","wait_seconds":60,"x":null,"route":"/api/v1/people","organisation_id":"gone"}"#
            ),
            vec![
                pair("Organisation", "gone"),
                pair("Reason", "wrong password"),
                pair("Route", "/api/v1/people"),
                pair("Wait seconds", "60"),
            ]
        );
        assert_eq!(read("not json"), vec![pair("", "not json")]);
        assert!(lines(None, &HashMap::new()).is_empty());
    }
}
