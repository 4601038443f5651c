//! Storage: the repositories over SQLite and PostgreSQL, and the migrations.
//!
//! There is one code path for both engines: queries go through sqlx's `Any` driver with
//! `$1`-style parameters (which SQLite also understands) and the DDL is portable. Only
//! connecting differs: SQLite gets WAL and a busy timeout, and its write transactions begin
//! `IMMEDIATE` so that two writers queue instead of failing.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod care;
mod db;
mod decode;
pub mod directory;
pub mod documents;
pub mod episodes;
mod error;
pub mod family;
pub mod family_asks;
pub mod gate;
pub mod hubs;
pub mod identification;
pub mod information_rights;
pub mod insight;
pub mod letters;
mod lifecycle;
pub mod messages;
pub mod own;
pub mod practice;
pub mod programme;
pub mod quality;
pub mod requests;
pub mod retention;
pub mod returns;
mod sql;
pub mod training;
pub mod voice;

pub use db::{Conn, Engine, PoolStats, Store, Tx};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
