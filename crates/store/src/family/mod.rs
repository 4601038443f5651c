//! The shared family record: people, households over time, who is involved with whom,
//! consent, merges of duplicates, and the chronology that tells the family's story once.

pub mod blocking;
pub mod changes;
pub mod chronology;
pub mod consents;
pub mod distinct;
pub mod households;
pub mod involvements;
pub mod merges;
pub mod people;
