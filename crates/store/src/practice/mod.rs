//! Practice support: the partnership's Threshold of Need and toolkits (its own content, every
//! version kept), challenges to front-door decisions, and consultations with TAF Workers.

pub mod challenges;
pub mod consultations;
pub mod threshold;
pub mod toolkits;
