//! The JSON API (`/api/v1`), for partners' systems. Clients send a per-user token
//! (`Authorization: Bearer hearth_…`) that its owner made, scoped and expiring; every call
//! goes through the same use cases, access rules and audit as the pages, and each route
//! declares the scope it needs (a route that declares none refuses every token).

use crate::rate_limit;
use crate::session::origin_of;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Json, Router};
use hearth_app::family::{Found, SearchForm};
use hearth_app::front_door::RequestForm;
use hearth_app::{Actor, AppError};
use hearth_domain::api_scope::{ApiResource, ApiScope};
use hearth_domain::ids::{EpisodeId, RequestId};
use serde::Deserialize;
use serde_json::{json, Value};

/// The OpenAPI document, kept beside the code and checked against the routes by the tests.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn routes(state: AppState) -> Router<AppState> {
    use ApiResource::{Episodes, People, Requests};
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/people", needs(ApiScope::read(People), get(people)))
        .route(
            "/api/v1/requests",
            needs(ApiScope::write(Requests), post(create_request)),
        )
        .route(
            "/api/v1/requests/{id}",
            needs(ApiScope::read(Requests), get(request)),
        )
        .route(
            "/api/v1/episodes/{id}",
            needs(ApiScope::read(Episodes), get(episode)),
        )
        .route(
            "/api/v1/episodes/{id}/plan",
            needs(ApiScope::read(Episodes), get(plan)),
        )
        .layer(axum::middleware::from_fn_with_state(state, authenticate))
}

/// The scope a route needs, which [`ApiActor`] checks before the handler runs.
#[derive(Debug, Clone, Copy)]
struct Needs(ApiScope);

fn needs(scope: ApiScope, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.layer(Extension(Needs(scope)))
}

/// An error as JSON: `{"error": "...", "fields": {...}}`.
pub struct ApiError(StatusCode, Value);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let res = (self.0, Json(self.1)).into_response();
        if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            crate::admission::retry_later(res)
        } else {
            res
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(fields) => ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "invalid", "fields": fields.iter().map(|(f, m)| (f.to_string(), Value::from(m))).collect::<serde_json::Map<_, _>>()}),
            ),
            AppError::Forbidden(_) => {
                ApiError(StatusCode::FORBIDDEN, json!({"error": "forbidden"}))
            }
            AppError::ReasonNeeded { .. } => ApiError(
                StatusCode::FORBIDDEN,
                json!({"error": "reason_needed", "message": "This record is restricted: open it in Hearth and give your reason first"}),
            ),
            AppError::NotFound => ApiError(StatusCode::NOT_FOUND, json!({"error": "not_found"})),
            AppError::Conflict => ApiError(StatusCode::CONFLICT, json!({"error": "conflict"})),
            AppError::Busy => ApiError(
                StatusCode::SERVICE_UNAVAILABLE,
                crate::admission::busy_body(),
            ),
            other => {
                let reference = crate::request_log::reference();
                tracing::error!(detail = %other, "internal error in the API");
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "internal", "reference": reference}),
                )
            }
        }
    }
}

/// Resolves the bearer token into an [`Actor`] for every API route but the document.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.uri().path() == "/api/v1/openapi.json" {
        return next.run(req).await;
    }
    let origin = origin_of(&req, &state.settings);
    if let Err(refused) = rate_limit::api_by_address(&state, &origin).await {
        return refused;
    }
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    let actor = match token {
        Some(t) => state.hearth.authenticate_token(&t, origin).await,
        None => None,
    };
    let Some(actor) = actor else {
        let mut res = ApiError(StatusCode::UNAUTHORIZED, json!({"error": "unauthorised", "message": "Send a valid API token: Authorization: Bearer hearth_..."})).into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return res;
    };
    if let Err(refused) = rate_limit::api_by_user(&state, &actor, req.uri().path()).await {
        return refused;
    }
    req.extensions_mut().insert(TokenActor(actor));
    next.run(req).await
}

/// The token's user, before the route's scope is checked.
#[derive(Clone)]
struct TokenActor(Actor);

/// The token's user, once the token's scopes allow what the route needs. Only this extractor
/// hands a handler its actor, so a route without a declared scope cannot act.
#[derive(Clone)]
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(TokenActor(actor)) = parts.extensions.get::<TokenActor>().cloned() else {
            return Err(
                ApiError(StatusCode::UNAUTHORIZED, json!({"error": "unauthorised"}))
                    .into_response(),
            );
        };
        let needed = parts.extensions.get::<Needs>().map(|n| n.0);
        let granted = actor.api_token.as_ref().map(|t| &t.scopes);
        match (needed, granted) {
            (Some(needed), Some(scopes)) if scopes.permits(needed) => Ok(ApiActor(actor)),
            (needed, _) => {
                let route = parts.uri.path().to_string();
                let missing = needed.map(|n| n.to_string());
                // A route that declares no scope is a programming error; it is refused rather
                // than let any token through.
                let refused = state.hearth.refuse_api_scope(&actor, needed, &route).await;
                if !matches!(refused, AppError::Forbidden(_)) {
                    return Err(ApiError::from(refused).into_response());
                }
                let mut res = ApiError(
                    StatusCode::FORBIDDEN,
                    json!({
                        "error": "insufficient_scope",
                        "missing_scope": missing,
                        "message": match &missing {
                            Some(m) => format!("This token does not have the scope {m}; its owner can make one that does on their account page."),
                            None => "This route is not open to API tokens.".to_string(),
                        },
                    }),
                )
                .into_response();
                if let Some(m) = missing.and_then(|m| {
                    HeaderValue::from_str(&format!(
                        r#"Bearer error="insufficient_scope", scope="{m}""#
                    ))
                    .ok()
                }) {
                    res.headers_mut().insert(header::WWW_AUTHENTICATE, m);
                }
                Err(res)
            }
        }
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    nhs_number: String,
    #[serde(default)]
    upn: String,
}

fn found_json(f: &Found) -> Value {
    let involved: Vec<Value> = f
        .involved
        .iter()
        .map(|i| json!({"role": i.role.code(), "organisation": i.organisation_name, "team": i.team_name, "name": i.user_name, "phone": i.user_phone, "email": i.user_email}))
        .collect();
    json!({
        "id": f.id.to_string(),
        "name": f.name,
        "age": f.age,
        "area": f.area,
        "score": f.score,
        "likely_match": f.likely,
        "reasons": f.reasons,
        "may_open": f.may_open,
        "involved": if f.may_open { Value::Null } else { Value::from(involved) },
    })
}

async fn people(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<Value>, ApiError> {
    let form = SearchForm {
        name: q.q,
        dob: q.dob,
        postcode: q.postcode,
        nhs_number: q.nhs_number,
        upn: q.upn,
    };
    let outcome = state.hearth.search_people(&actor, &form).await?;
    Ok(Json(json!({
        "search_id": outcome.search_id.to_string(),
        "results": outcome.results.iter().map(found_json).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Default, Deserialize)]
pub struct NewRequest {
    #[serde(default)]
    people: Vec<String>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    concerns: Vec<String>,
    #[serde(default)]
    details: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    family_told: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    consent_detail: String,
    #[serde(default)]
    lawful_basis: String,
    #[serde(default)]
    urgency: String,
    safeguarding: Option<bool>,
    /// Keep it as a draft instead of sending it.
    #[serde(default)]
    draft: bool,
}

async fn create_request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    body: Result<Json<NewRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(r) = body.map_err(|e| {
        ApiError(
            StatusCode::BAD_REQUEST,
            json!({"error": "bad_json", "message": e.body_text()}),
        )
    })?;
    if let Some(p) = hearth_app::front_door::repeated_person(&r.people) {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            json!({"error": "duplicate_person", "person": p.to_string(),
                "message": format!("person {p} is listed more than once in people")}),
        ));
    }
    let form = RequestForm {
        people: r.people,
        needs: r.needs,
        concerns: r.concerns,
        details: r.details,
        family_told: r.family_told,
        consent: r.consent,
        consent_detail: r.consent_detail,
        lawful_basis: r.lawful_basis,
        urgency: r.urgency,
        safeguarding: match r.safeguarding {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        version: 0,
    };
    let id = state
        .hearth
        .save_request(&actor, None, &form, !r.draft)
        .await?;
    let view = state.hearth.request(&actor, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/requests/{id}"))],
        Json(request_json(&view)),
    )
        .into_response())
}

fn request_json(v: &hearth_app::front_door::RequestView) -> Value {
    let r = &v.request;
    json!({
        "id": r.id.to_string(),
        "status": r.status.code(),
        "safeguarding": r.safeguarding,
        "queue": r.queue.code(),
        "urgency": r.urgency.code(),
        "requester": {"name": r.requester_name, "organisation": r.requester_organisation},
        "people": v.people.iter().map(|(id, name, age)| json!({"id": id.to_string(), "name": name, "age": age})).collect::<Vec<_>>(),
        "needs": r.needs.iter().map(|n| json!({"domain": n.domain.code(), "concerns": n.concerns.iter().map(|c| c.code()).collect::<Vec<_>>(), "detail": n.detail})).collect::<Vec<_>>(),
        "family_told": r.family_told,
        "consent": r.consent.map(|c| c.code()),
        "lawful_basis": r.lawful_basis,
        "submitted_at": r.submitted_at.map(|t| t.to_rfc3339()),
        "due_by": v.due.map(|d| d.to_string()),
        "overdue": v.overdue,
        // The rationale draws on the family's record: null for a requester who may not open it.
        "decision": r.decision.as_ref().map(|d| json!({
            "level": d.level.number(), "outcome": d.outcome.code(),
            "rationale": v.shows_rationale.then_some(&d.rationale),
            "service": d.outcome.targeted_service().map(|s| s.code()),
            "decided_at": d.decided_at.to_rfc3339(), "decided_by": d.decided_by_name,
            "confirmed_by": d.confirmed.as_ref().map(|(who, _)| who),
        })),
    })
}

async fn request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: RequestId = id.parse().map_err(|_| ApiError::from(AppError::NotFound))?;
    let view = state.hearth.request(&actor, id).await?;
    Ok(Json(request_json(&view)))
}

/// An episode as the API gives it: what the episode page shows, without the case notes' text
/// (a partner system reads notes in Hearth, where each read is seen in context).
async fn episode(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: EpisodeId = id.parse().map_err(|_| ApiError::from(AppError::NotFound))?;
    let v = state.hearth.episode(&actor, id).await?;
    let e = &v.episode;
    Ok(Json(json!({
        "id": e.id.to_string(),
        "level": e.level.code(),
        "service": e.service.map(|s| s.code()),
        "route": e.route.code(),
        "status": e.status.code(),
        "started_on": e.started_on.to_string(),
        "ended_on": e.ended_on.map(|d| d.to_string()),
        "owning_team": e.owning_team_name,
        "lead": e.lead_name,
        "people": v.people.iter().map(|(id, name)| json!({"id": id.to_string(), "name": name})).collect::<Vec<_>>(),
        "needs": v.needs.iter().map(|(d, r)| json!({"domain": d.code(), "result": r.map(|r| r.code())})).collect::<Vec<_>>(),
        "team_around_the_family": v.members.iter().map(|m| json!({
            "name": m.user_name.clone().or_else(|| m.person_name.clone()),
            "organisation": m.organisation_name,
            "role": m.role,
            "joined_on": m.joined_on.to_string(),
            "left_on": m.left_on.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "levels": v.levels.iter().map(|l| json!({
            "level": l.level.code(), "service": l.service.map(|s| s.code()), "team": l.team_name,
            "from": l.from_date.to_string(), "to": l.to_date.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "closure_reason": e.closure_reason.map(|r| r.code()),
    })))
}

/// The family plan of an episode: outcomes, actions with owners and dates, the family's
/// agreement, and the reviews' progress on each outcome.
async fn plan(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: EpisodeId = id.parse().map_err(|_| ApiError::from(AppError::NotFound))?;
    let v = state.hearth.plan(&actor, id).await?;
    let Some(p) = &v.plan else {
        return Err(ApiError::from(AppError::NotFound));
    };
    Ok(Json(json!({
        "episode_id": id.to_string(),
        "version": p.version,
        "agreed_with_family": p.fields.agreed_with_family,
        "outcomes": p.fields.outcomes.iter().map(|o| json!({
            "id": o.id, "text": o.text, "needs": o.needs,
        })).collect::<Vec<_>>(),
        "actions": p.fields.actions.iter().map(|a| json!({
            "id": a.id, "outcome_id": a.outcome_id, "what": a.what,
            "owner": v.owners.name_of(a), "due_on": a.due_on.map(|d| d.to_string()), "status": a.status,
        })).collect::<Vec<_>>(),
        // Directory services carry their id; each request for one made for the family, where
        // it stands.
        "services": v.services.iter().map(|s| json!({
            "name": s.name,
            "service_id": s.service_id.map(|i| i.to_string()),
            "requests": s.requests.iter().map(|r| json!({
                "id": r.id.to_string(), "person_id": r.person_id.to_string(), "status": r.status.code(),
                "opened": r.first_opened_at.is_some(), "answer_reason": r.answer_reason,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "next_review_on": v.next_review_on.to_string(),
        "reviews": v.reviews.iter().map(|r| json!({
            "held_on": r.fields.held_on.to_string(),
            "progress": r.fields.progress.iter().map(|p| json!({"outcome_id": p.outcome_id, "scale": p.scale})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })))
}
