//! Hearth's domain: pure types and rules. No async, no IO, no database, no HTTP.
//!
//! Everything here is deterministic so it can be tested exhaustively: who may do what
//! ([`access`]), what the roles grant ([`role`]), how the audit chain is hashed ([`audit`]),
//! and the rules for sign-in ([`sign_in`]) and the values people type ([`input`]).

pub mod access;
pub mod api_scope;
pub mod audit;
pub mod board;
pub mod care;
pub mod case_study;
pub mod chronology;
pub mod continuum;
pub mod date_parts;
pub mod directory;
pub mod disagreement;
pub mod document;
pub mod episode;
pub mod extract;
pub mod family_ask;
pub mod family_sign_on;
pub mod feedback;
pub mod grid;
pub mod hold;
pub mod hub;
pub mod identification;
pub mod identifiers;
pub mod ids;
pub mod information_rights;
pub mod input;
pub mod insight;
pub mod letter;
pub mod message;
pub mod need;
pub mod next_steps;
pub mod organisation;
pub mod overrides;
pub mod own;
pub mod passkey;
pub mod person;
pub mod plan;
pub mod practice;
pub mod programme;
pub mod quality;
pub mod reminder;
pub mod retention;
pub mod returns;
pub mod role;
pub mod routing;
pub mod safe_contact;
pub mod second_factor;
pub mod sign_in;
pub mod single_sign_on;
pub mod sms;
pub mod survey;
pub mod task;
pub mod time;
pub mod training;
pub mod vocabulary;
