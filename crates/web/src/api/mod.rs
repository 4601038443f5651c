//! The JSON API (`/api/v1`), for partners' systems. Clients send a per-user token
//! (`Authorization: Bearer hearth_…`) that its owner made, scoped and expiring; every call
//! goes through the same use cases, access rules and audit as the pages, and each route
//! declares the scope it needs (a route that declares none refuses every token).
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from this code (ADR 0024): the
//! answers are typed ([`answers`]), each handler carries its `#[utoipa::path]`, and the tests
//! check the document against the routes and the scopes they enforce.

mod answers;
mod codes;
mod document;
mod error;
mod handlers;

use crate::rate_limit;
use crate::session::origin_of;
use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Router};
use error::{ApiError, ErrorBody};
use hearth_app::{Actor, AppError};
use hearth_domain::api_scope::{ApiResource, ApiScope};

pub fn routes(state: AppState) -> Router<AppState> {
    use ApiResource::{Episodes, People, Requests};
    // Each route's scope is written twice: here, where it is enforced, and in its
    // `#[utoipa::path]` security, where it is described; the API tests check the two agree.
    Router::new()
        .route("/api/v1/openapi.json", get(document::serve))
        .route(
            "/api/v1/people",
            needs(ApiScope::read(People), get(handlers::people)),
        )
        .route(
            "/api/v1/requests",
            needs(ApiScope::write(Requests), post(handlers::create_request)),
        )
        .route(
            "/api/v1/requests/{id}",
            needs(ApiScope::read(Requests), get(handlers::request)),
        )
        .route(
            "/api/v1/episodes/{id}",
            needs(ApiScope::read(Episodes), get(handlers::episode)),
        )
        .route(
            "/api/v1/episodes/{id}/plan",
            needs(ApiScope::read(Episodes), get(handlers::plan)),
        )
        .layer(axum::middleware::from_fn_with_state(state, authenticate))
}

/// The scope a route needs, which [`ApiActor`] checks before the handler runs.
#[derive(Debug, Clone, Copy)]
struct Needs(ApiScope);

fn needs(scope: ApiScope, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.layer(Extension(Needs(scope)))
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
        let mut res = ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorBody::saying(
                "unauthorised",
                "Send a valid API token: Authorization: Bearer hearth_...",
            ),
        )
        .into_response();
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
                ApiError::new(StatusCode::UNAUTHORIZED, ErrorBody::new("unauthorised"))
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
                let message = match &missing {
                    Some(m) => format!("This token does not have the scope {m}; its owner can make one that does on their account page."),
                    None => "This route is not open to API tokens.".to_string(),
                };
                let mut res = ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorBody {
                        missing_scope: Some(missing.clone()),
                        message: Some(message),
                        ..ErrorBody::new("insufficient_scope")
                    },
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
