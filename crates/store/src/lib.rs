//! Storage: the repositories over SQLite and PostgreSQL, and the migrations.
//!
//! There is one code path for both engines: queries go through sqlx's `Any` driver with
//! `$1`-style parameters (which SQLite also understands) and the DDL is portable. Only
//! connecting differs: SQLite gets WAL and a busy timeout, and its write transactions begin
//! `IMMEDIATE` so that two writers queue instead of failing.

pub mod api_tokens;
pub mod assessments;
pub mod audit;
pub mod bulk;
pub mod case_notes;
pub mod chronology;
pub mod consents;
mod db;
mod decode;
pub mod directory;
pub mod distance;
pub mod episodes;
mod error;
pub mod escalations;
pub mod feedback;
pub mod gate;
pub mod households;
pub mod involvements;
mod lifecycle;
pub mod merges;
pub mod organisations;
pub mod people;
pub mod plans;
pub mod requests;
pub mod reviews;
pub mod role_changes;
pub mod service_requests;
pub mod sessions;
pub mod tasks;
pub mod teams;
pub mod throttle;
pub mod users;

pub use db::{Conn, Engine, PoolStats, Store, Tx};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
