//! Record linkage for Hearth: finding the same person across the records of schools, health,
//! police, housing and DWP, so that families tell their story once.
//!
//! The engine is a Fellegi–Sunter model ([`model`]) whose parameters are estimated without
//! labels ([`train`]): u-probabilities from random pairs, m-probabilities by expectation
//! maximisation over blocked pairs, and the prior from deterministic rules. Candidate pairs
//! come from several blocking rules ([`blocking`]); each pair is compared field by field
//! ([`compare`]) with comparators made for UK people data, scored with term-frequency
//! adjustment ([`score`]) and explained in words ([`explain`]). On top sit the three uses:
//! one record against a register ([`register`]), linking two datasets and deduplicating one
//! ([`linkage`]), with clustering that keeps twins and fathers and sons apart ([`cluster`]).
//! Hearth's own find-before-create scores the candidates its database fetches with the same
//! comparators ([`find`]), from the keys it stores with each person ([`search_keys`]).

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod dataset;
pub mod dob;
pub mod error;
pub mod explain;
pub mod find;
pub mod input;
pub mod intern;
pub mod jaro;
pub mod linkage;
pub mod model;
pub mod nicknames;
pub mod output;
pub mod postcode;
pub mod progress;
pub mod record;
pub mod register;
pub mod rng;
pub mod score;
pub mod search_keys;
pub mod synthetic;
pub mod text;
pub mod train;
pub mod translit;

pub use dataset::Dataset;
pub use error::LinkageError;
pub use model::{MatchClass, Model};
pub use record::PersonRecord;
pub use register::{Candidate, Register};
