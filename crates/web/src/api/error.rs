//! The API's refusals and failures: a status and a JSON body `{"error": code, ...}` whose
//! codes are listed in the description (the `Error` schema).

use super::codes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hearth_app::AppError;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// An error as JSON: `error` is always there; the other fields only where they apply.
#[derive(Debug, Default, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    #[schema(schema_with = codes::error)]
    pub error: &'static str,
    /// For insufficient_scope: the scope the token lacks, e.g. requests:write (null for a
    /// route no token may use).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = codes::scope_or_none)]
    pub missing_scope: Option<Option<String>>,
    /// For invalid: what to fix in each field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = codes::field_messages)]
    pub fields: Option<Map<String, Value>>,
    /// For duplicate_person: the person listed more than once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// In words, for a person reading it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For rate_limited: when to try again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// For internal: what to quote to the administrator (it is in the log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl ErrorBody {
    pub fn new(error: &'static str) -> Self {
        ErrorBody {
            error,
            ..Default::default()
        }
    }

    pub fn saying(error: &'static str, message: impl Into<String>) -> Self {
        ErrorBody {
            message: Some(message.into()),
            ..ErrorBody::new(error)
        }
    }
}

/// A refusal or failure the API answers with.
pub struct ApiError(StatusCode, Box<ErrorBody>);

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

impl ApiError {
    pub fn new(status: StatusCode, body: ErrorBody) -> Self {
        ApiError(status, Box::new(body))
    }

    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, ErrorBody::new("not_found"))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(fields) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    fields: Some(
                        fields
                            .iter()
                            .map(|(f, m)| (f.to_string(), Value::from(m)))
                            .collect(),
                    ),
                    ..ErrorBody::new("invalid")
                },
            ),
            AppError::Forbidden(_) => {
                ApiError::new(StatusCode::FORBIDDEN, ErrorBody::new("forbidden"))
            }
            AppError::ReasonNeeded { .. } => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorBody::saying(
                    "reason_needed",
                    "This record is restricted: open it in Hearth and give your reason first",
                ),
            ),
            AppError::NotFound => ApiError::not_found(),
            AppError::Conflict => ApiError::new(StatusCode::CONFLICT, ErrorBody::new("conflict")),
            AppError::Busy => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorBody::saying("busy", crate::admission::busy_message()),
            ),
            other => {
                let reference = crate::request_log::reference();
                tracing::error!(detail = %other, "internal error in the API");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody {
                        reference: Some(reference),
                        ..ErrorBody::new("internal")
                    },
                )
            }
        }
    }
}
