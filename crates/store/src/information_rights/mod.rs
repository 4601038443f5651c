//! Information rights: subject access requests (what was asked, by whom, when it is due, what
//! the data protection officer leaves out), and the gathering of everything held about a
//! person, which takes the gate's [`crate::gate::OpenedSubject`].

pub mod gathered;
pub mod requests;
pub mod viewers;
