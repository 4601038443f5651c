use hearth_domain::input::FieldErrors;
use hearth_store::gate::{Closed, Refusal};
use hearth_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// The actor may not do this. Only the gate makes a [`Refusal`], once it has written the
    /// refusal to the audit log, so every "forbidden" answer is recorded.
    #[error("you do not have permission to do that")]
    Forbidden(Refusal),
    /// The record is restricted: the user must say why before it opens.
    #[error("this record is restricted: give a reason to open it")]
    ReasonNeeded {
        id: hearth_domain::ids::PersonId,
        name: String,
    },
    #[error("not found")]
    NotFound,
    /// What the user typed needs fixing; nothing was saved.
    #[error("the form has problems")]
    Invalid(FieldErrors),
    /// Someone else saved the record after this user opened it; nothing was saved.
    #[error("someone else changed this record since you opened it")]
    Conflict,
    /// Hearth is overloaded: nothing was done; the caller may try again in a few seconds.
    #[error("the service is busy")]
    Busy,
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict,
            // A unique index refused a second copy that someone made at the same moment (the
            // use cases that expect it say so on a field first): the record moved on.
            StoreError::Duplicate => AppError::Conflict,
            StoreError::Busy => AppError::Busy,
            other => AppError::Store(other),
        }
    }
}

impl From<Closed> for AppError {
    fn from(c: Closed) -> Self {
        match c {
            Closed::Refused(r) => AppError::Forbidden(r),
            Closed::ReasonNeeded { id, name } => AppError::ReasonNeeded { id, name },
            Closed::NotFound => AppError::NotFound,
            Closed::Store(e) => e.into(),
        }
    }
}
