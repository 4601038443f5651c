//! The allowed values of the API's coded fields, read from the domain's own enums so the
//! description lists exactly what the answers can hold (a new status is described the moment
//! it exists). Each function is a `#[schema(schema_with = ...)]` for one field.

use hearth_domain::access::InvolvementRole;
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::directory::ServiceRequestStatus;
use hearth_domain::episode::{ClosureReason, EpisodeLevel, EpisodeStatus, NeedResult, Route};
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::plan::ActionStatus;
use hearth_domain::routing::{
    Outcome, Queue, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Array, KnownFormat, Object, SchemaFormat};

/// The error codes an answer's `error` field can hold.
pub const ERRORS: [&str; 13] = [
    "unauthorised",
    "insufficient_scope",
    "forbidden",
    "reason_needed",
    "not_found",
    "bad_json",
    "bad_query",
    "duplicate_person",
    "invalid",
    "conflict",
    "rate_limited",
    "busy",
    "internal",
];

fn one_of<'a>(codes: impl IntoIterator<Item = &'a str>, nullable: bool) -> Object {
    let mut values: Vec<Value> = codes.into_iter().map(Value::from).collect();
    let kind = if nullable {
        values.push(Value::Null);
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .enum_values(Some(values))
        .build()
}

fn list_of(item: Object) -> Array {
    ArrayBuilder::new().items(item).build()
}

pub fn error() -> Object {
    one_of(ERRORS, false)
}

pub fn need_domain() -> Object {
    one_of(NeedDomain::ALL.map(|n| n.code()), false)
}

pub fn need_domains() -> Array {
    list_of(need_domain())
}

/// The needs a request asks about: at least one (a concern ticked implies its need too).
pub fn need_domains_asked() -> Array {
    let mut a = need_domains();
    a.min_items = Some(1);
    a
}

pub fn concerns() -> Array {
    list_of(one_of(Concern::ALL.map(|c| c.code()), false))
}

pub fn request_status() -> Object {
    one_of(RequestStatus::ALL.map(|s| s.code()), false)
}

pub fn queue() -> Object {
    one_of(Queue::ALL.map(|q| q.code()), false)
}

pub fn urgency() -> Object {
    one_of(Urgency::ALL.map(|u| u.code()), false)
}

pub fn consent() -> Object {
    one_of(SharingConsent::ALL.map(|c| c.code()), false)
}

pub fn consent_or_none() -> Object {
    one_of(SharingConsent::ALL.map(|c| c.code()), true)
}

pub fn outcome() -> Object {
    one_of(Outcome::codes(), false)
}

pub fn targeted_service_or_none() -> Object {
    one_of(TargetedService::ALL.map(|s| s.code()), true)
}

/// The level of the continuum a decision places the family at, by its number.
pub fn continuum_level() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .enum_values(Some(ContinuumLevel::ALL.map(|l| l.number())))
        .build()
}

pub fn episode_level() -> Object {
    one_of(EpisodeLevel::ALL.map(|l| l.code()), false)
}

pub fn episode_status() -> Object {
    one_of(EpisodeStatus::ALL.map(|s| s.code()), false)
}

pub fn route() -> Object {
    one_of(Route::ALL.map(|r| r.code()), false)
}

pub fn need_result_or_none() -> Object {
    one_of(NeedResult::ALL.map(|r| r.code()), true)
}

pub fn closure_reason_or_none() -> Object {
    one_of(ClosureReason::ALL.map(|r| r.code()), true)
}

pub fn involvement_role() -> Object {
    one_of(InvolvementRole::ALL.map(|r| r.code()), false)
}

pub fn action_status() -> Object {
    one_of(ActionStatus::ALL.map(|s| s.code()), false)
}

pub fn service_request_status() -> Object {
    one_of(ServiceRequestStatus::ALL.map(|s| s.code()), false)
}

fn formatted(format: KnownFormat, nullable: bool) -> Object {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .build()
}

pub fn uuid() -> Object {
    formatted(KnownFormat::Uuid, false)
}

pub fn uuid_or_none() -> Object {
    formatted(KnownFormat::Uuid, true)
}

/// The people a request is about, by id: at least one when it is sent (a draft may have none).
pub fn person_ids() -> Array {
    let mut a = list_of(uuid());
    a.min_items = Some(1);
    a
}

pub fn date() -> Object {
    formatted(KnownFormat::Date, false)
}

pub fn date_or_none() -> Object {
    formatted(KnownFormat::Date, true)
}

pub fn date_time() -> Object {
    formatted(KnownFormat::DateTime, false)
}

pub fn date_time_or_none() -> Object {
    formatted(KnownFormat::DateTime, true)
}

/// `missing_scope` of an `insufficient_scope` refusal: the scope, or null for a route open to
/// no token.
pub fn scope_or_none() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .build()
}

/// What to fix in each field of a form (`invalid`): field name to message.
pub fn field_messages() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Object))
        .additional_properties(Some(
            ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)),
        ))
        .build()
}
