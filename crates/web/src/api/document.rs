//! The API's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]`s and the
//! answers' types (ADR 0024), and served at `/api/v1/openapi.json`.

use super::answers;
use super::error::ErrorBody;
use super::handlers;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        version = "1.0.0",
        description = "The Family Help platform's API for partners' systems. Every call acts as the user who made the token (on their account page in Hearth), within the token's scopes and under the same access rules and audit as the web pages. Each operation names the scope it needs in its security requirement and in x-hearth-scope (people:read, requests:read, requests:write, episodes:read); a token without it gets 403 with error insufficient_scope and missing_scope. Tokens expire; an expired, revoked or unknown token gets 401. Calls are rate limited per user and per address (429, with Retry-After). A person the user may not open is returned as contact search only: name, age, area and who is involved. This document is generated from Hearth's code.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/")),
    security(("token" = [])),
    paths(
        handlers::people,
        handlers::create_request,
        handlers::request,
        handlers::episode,
        handlers::plan,
        serve,
    ),
    components(schemas(ErrorBody, answers::PeopleFound, answers::RequestAnswer, answers::EpisodeAnswer, answers::PlanAnswer, handlers::NewRequest)),
    modifiers(&BearerToken),
    tags(
        (name = "people", description = "Finding people (search before you ask for help for them)"),
        (name = "requests", description = "Requests for support sent to the front door"),
        (name = "episodes", description = "Episodes of Family Help and their plans"),
        (name = "about", description = "This document"),
    )
)]
struct Description;

/// The bearer token scheme every secured operation names.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token starting hearth_, made by its owner on their account page (read or read-write; people, requests, episodes; 30 to 365 days), revocable by them or an administrator. An operation's security requirement lists the scope it needs."))
                    .build(),
            ),
        );
    }
}

/// The statuses every operation behind a token can answer, whatever it does.
fn common_responses() -> [(&'static str, &'static str); 5] {
    [
        ("401", "No valid token: missing, unknown, expired or revoked (unauthorised; WWW-Authenticate: Bearer)"),
        ("403", "The token lacks the scope this operation needs (insufficient_scope, missing_scope names it)"),
        ("429", "Too many calls a minute by this user or from this address (rate_limited; Retry-After says when to try again)"),
        ("500", "Something went wrong in Hearth (internal; reference is what to quote to the administrator)"),
        ("503", "Hearth is too busy to take the call; nothing was changed (busy; Retry-After says when to try again)"),
    ]
}

/// The document: what utoipa generates, with each secured operation's scope written into its
/// description and `x-hearth-scope`, and the statuses common to every secured operation.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(Description::openapi()).unwrap_or_default();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
            .filter_map(Value::as_object_mut)
        {
            let scope = operation
                .get("security")
                .and_then(|s| s.pointer("/0/token/0"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let Some(scope) = scope else { continue };
            let description = operation
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let description = format!("{description}\n\nNeeds a token with the scope `{scope}`.")
                .trim_start()
                .to_string();
            operation.insert("description".into(), Value::from(description));
            operation.insert("x-hearth-scope".into(), Value::from(scope));
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                for (status, said) in common_responses() {
                    responses.entry(status).or_insert_with(|| {
                        json!({
                            "description": said,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                        })
                    });
                }
            }
        }
    }
    // Where one answer leads: the request made to reading it, the episode to its plan.
    for (answer, link, to) in [
        (
            "/paths/~1api~1v1~1requests/post/responses/201",
            "getRequest",
            "The request made",
        ),
        (
            "/paths/~1api~1v1~1episodes~1{id}/get/responses/200",
            "getPlan",
            "The episode's plan",
        ),
    ] {
        if let Some(answer) = doc.pointer_mut(answer).and_then(Value::as_object_mut) {
            answer.insert(
                "links".into(),
                json!({link: {"operationId": link, "parameters": {"id": "$response.body#/id"}, "description": to}}),
            );
        }
    }
    doc
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

/// This document (no token needed).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "getOpenApiDocument",
    tag = "about",
    security(()),
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}
