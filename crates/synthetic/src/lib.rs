//! Synthetic partnerships: no real person's data, deterministic from a seed.
//!
//! - [`population`]: people in households with the names, spellings, ages and addresses of a
//!   city like Nottingham (used by the find-before-create benchmark and the city demo);
//! - [`load`]: loading a population through the store in large transactions;
//! - [`city`]: ten years of Family Help history for a partnership the size of Nottingham
//!   City — requests, decisions, episodes with their Team Around the Family, assessments,
//!   plans, reviews, case notes, closures, the chronology and the audit log.

pub mod care;
pub mod city;
pub mod hubs;
pub mod load;
pub mod names;
pub mod partner_feeds;
pub mod population;
