//! How long-running stages report progress, so the CLI can draw a bar without the engine
//! knowing about terminals.

pub trait Progress: Sync {
    /// A new stage begins with `total` units of work.
    fn stage(&self, _name: &str, _total: u64) {}
    /// `n` more units are done. Called from many threads at once.
    fn advance(&self, _n: u64) {}
}

/// Reports nothing: for tests and library callers.
pub struct Silent;

impl Progress for Silent {}
