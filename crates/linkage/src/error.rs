//! The errors the engine reports. Each carries a sentence for the person running it.

#[derive(Debug, thiserror::Error)]
pub enum LinkageError {
    #[error("model: {0}")]
    Model(String),
    #[error("{0}")]
    Io(String),
    #[error("input: {0}")]
    Input(String),
}
