//! Early identification: partners' datasets ([`datasets`]), the rows imported from their files
//! and the decisions about who they are ([`records`]), and the worklist's facts and outreach
//! ([`worklist`]). Rows that name people are read only through the gate's proofs.

pub mod datasets;
pub mod drops;
pub mod fairness;
pub mod indicators;
pub mod jobs;
pub mod records;
pub mod register;
pub mod worklist;
