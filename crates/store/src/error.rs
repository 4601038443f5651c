use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Someone else saved the record since it was read (its version moved on).
    #[error("the record was changed by someone else since it was read")]
    Conflict,
    /// A unique value (a name, an email address) is taken.
    #[error("that value is already in use")]
    Duplicate,
    #[error("no such record")]
    NotFound,
    /// A stored value could not be read back (e.g. an unknown role code).
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn from_write(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Database(e),
        }
    }
}
