//! The API's handlers: thin, each a use case called as the token's user, its answer typed and
//! described by its `#[utoipa::path]` (the statuses common to every secured route, 401, 403
//! for a missing scope, 429, 500 and 503, are added by [`super::document`]).

use super::answers::{EpisodeAnswer, PeopleFound, PlanAnswer, RequestAnswer};
use super::codes;
use super::error::{ApiError, ErrorBody};
use super::ApiActor;
use crate::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hearth_app::family::SearchForm;
use hearth_app::front_door::RequestForm;
use hearth_app::AppError;
use hearth_domain::ids::{EpisodeId, RequestId};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// What to search people by; at least one is needed.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Name: partial, any order, sounds-like. (`q`, its name before, is still read.)
    #[serde(default, alias = "q")]
    name: String,
    /// Date of birth: DD/MM/YYYY or YYYY-MM-DD.
    #[serde(default)]
    dob: String,
    #[serde(default)]
    postcode: String,
    /// NHS number (ten digits, spaces allowed).
    #[serde(default)]
    nhs_number: String,
    /// Unique pupil number.
    #[serde(default)]
    upn: String,
}

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorBody::saying("bad_query", e.body_text()),
    )
}

/// An id in the path: one that cannot be an id names nothing.
fn path_id<T: std::str::FromStr>(id: Result<Path<String>, PathRejection>) -> Result<T, ApiError> {
    id.ok()
        .and_then(|Path(id)| id.parse().ok())
        .ok_or_else(ApiError::not_found)
}

/// Search people by name, date of birth, postcode, NHS number or UPN.
///
/// Give at least two letters of a name, an NHS number or a UPN, or a date of birth with a
/// postcode (otherwise 422, naming the field). The people found come best first. A person the
/// user may not open is given as contact search only: name, age, area and who is involved.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    operation_id = "searchPeople",
    tag = "people",
    params(PeopleQuery),
    security(("token" = ["people:read"])),
    responses(
        (status = 200, description = "People found, best first", body = PeopleFound),
        (status = 400, description = "The query string could not be read", body = ErrorBody),
        (status = 403, description = "The token lacks the scope (insufficient_scope), or the user's roles do not allow searching (forbidden)", body = ErrorBody),
        (status = 422, description = "Nothing to search by, or a value that cannot be right (fields names the parameter)", body = ErrorBody),
        (status = 429, description = "Too many people searches a minute by this user or from this address (rate_limited)", body = ErrorBody),
    )
)]
pub async fn people(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<PeopleQuery>, QueryRejection>,
) -> Result<Json<PeopleFound>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let form = SearchForm {
        name: q.name,
        dob: q.dob,
        postcode: q.postcode,
        nhs_number: q.nhs_number,
        upn: q.upn,
    };
    let outcome = state.hearth.search_people(&actor, &form).await?;
    Ok(Json(PeopleFound::from(outcome)))
}

/// A request for support for a family, as a partner's system sends it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewRequest {
    /// The family members it is about, by id (from a people search). At least one when it is
    /// sent; a draft may have none.
    #[serde(default)]
    #[schema(schema_with = codes::person_ids)]
    people: Vec<String>,
    /// The needs it asks about. At least one when it is sent; a concern ticked implies its
    /// need too.
    #[serde(default)]
    #[schema(schema_with = codes::need_domains_asked)]
    needs: Vec<String>,
    /// Concerns that decide who should help.
    #[serde(default)]
    #[schema(schema_with = codes::concerns)]
    concerns: Vec<String>,
    /// What is happening for each need asked about, by need code (up to 4000 characters).
    #[serde(default)]
    details: BTreeMap<String, String>,
    /// What the family has been told.
    #[serde(default)]
    family_told: String,
    /// Whether the family agreed to share their information (needed when it is sent).
    #[serde(default)]
    #[schema(schema_with = codes::consent)]
    consent: String,
    /// Who agreed and to what.
    #[serde(default)]
    consent_detail: String,
    /// Needed when consent is not given.
    #[serde(default)]
    lawful_basis: String,
    #[serde(default)]
    #[schema(schema_with = codes::urgency)]
    urgency: String,
    /// Whether a child may be at risk of significant harm (needed when it is sent).
    safeguarding: Option<bool>,
    /// Keep it as a draft instead of sending it.
    #[serde(default)]
    draft: bool,
}

/// Ask for help for a family (or keep a draft).
#[utoipa::path(
    post,
    path = "/api/v1/requests",
    operation_id = "createRequest",
    tag = "requests",
    request_body = NewRequest,
    security(("token" = ["requests:write"])),
    responses(
        (status = 201, description = "Made (sent, or kept as a draft); Location names it", body = RequestAnswer,
            headers(("Location" = String, description = "/api/v1/requests/{id}"))),
        (status = 400, description = "The body is not the JSON described (bad_json), or lists a person twice (duplicate_person)", body = ErrorBody),
        (status = 403, description = "The token lacks the scope requests:write (insufficient_scope), or the user may not ask for help (forbidden)", body = ErrorBody),
        (status = 404, description = "A person listed is not known to Hearth (not_found)", body = ErrorBody),
        (status = 422, description = "What to fix before it can be sent (fields names each)", body = ErrorBody),
    )
)]
pub async fn create_request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    body: Result<Json<NewRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(r) = body.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorBody::saying("bad_json", e.body_text()),
        )
    })?;
    if let Some(p) = hearth_app::front_door::repeated_person(&r.people) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorBody {
                person: Some(p.to_string()),
                ..ErrorBody::saying(
                    "duplicate_person",
                    format!("person {p} is listed more than once in people"),
                )
            },
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
        Json(RequestAnswer::from(&view)),
    )
        .into_response())
}

/// A request and its decision (for its requester or the front door).
#[utoipa::path(
    get,
    path = "/api/v1/requests/{id}",
    operation_id = "getRequest",
    tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "The request's id")),
    security(("token" = ["requests:read"])),
    responses(
        (status = 200, description = "The request", body = RequestAnswer),
        (status = 403, description = "The token lacks the scope (insufficient_scope), or the request is neither the user's nor the front door's (forbidden)", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody),
    )
)]
pub async fn request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<RequestAnswer>, ApiError> {
    let id: RequestId = path_id(id)?;
    let view = state.hearth.request(&actor, id).await?;
    Ok(Json(RequestAnswer::from(&view)))
}

/// An episode of Family Help: level and its history, lead, the Team Around the Family, needs
/// and their results (for those the access rules let open the family's record).
#[utoipa::path(
    get,
    path = "/api/v1/episodes/{id}",
    operation_id = "getEpisode",
    tag = "episodes",
    params(("id" = String, Path, format = Uuid, description = "The episode's id")),
    security(("token" = ["episodes:read"])),
    responses(
        (status = 200, description = "The episode", body = EpisodeAnswer),
        (status = 403, description = "The token lacks the scope (insufficient_scope); the user has no part in the family's help (forbidden); or the record is restricted and a reason must be given in Hearth first (reason_needed)", body = ErrorBody),
        (status = 404, description = "No such episode", body = ErrorBody),
    )
)]
pub async fn episode(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<EpisodeAnswer>, ApiError> {
    let id: EpisodeId = path_id(id)?;
    let v = state.hearth.episode(&actor, id).await?;
    Ok(Json(EpisodeAnswer::from(&v)))
}

/// The family plan of an episode: outcomes, actions with owners and dates, the family's
/// agreement, its services and the reviews' progress.
#[utoipa::path(
    get,
    path = "/api/v1/episodes/{id}/plan",
    operation_id = "getPlan",
    tag = "episodes",
    params(("id" = String, Path, format = Uuid, description = "The episode's id")),
    security(("token" = ["episodes:read"])),
    responses(
        (status = 200, description = "The plan", body = PlanAnswer),
        (status = 403, description = "The token lacks the scope (insufficient_scope); the user has no part in the family's help (forbidden); or the record is restricted and a reason must be given in Hearth first (reason_needed)", body = ErrorBody),
        (status = 404, description = "No such episode, or no plan yet", body = ErrorBody),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<PlanAnswer>, ApiError> {
    let id: EpisodeId = path_id(id)?;
    let v = state.hearth.plan(&actor, id).await?;
    PlanAnswer::of(&v)
        .map(Json)
        .ok_or_else(|| ApiError::from(AppError::NotFound))
}
