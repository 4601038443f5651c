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
    /// Every connection stayed busy for as long as a request may wait for one, or SQLite's
    /// write lock stayed taken for its whole busy timeout: the server is overloaded and the
    /// caller should try again shortly. Nothing was written (the transaction rolls back).
    #[error("the database is busy: no connection came free in time")]
    Busy,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The audit key is missing or is not the one this process uses.
    #[error("audit key: {0}")]
    AuditKey(String),
    /// The object store holding documents' bytes (ADR 0052) could not be reached or refused;
    /// never carries credentials.
    #[error("the document store: {0}")]
    ObjectStore(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            // SQLITE_BUSY and its extended codes: under overload a writer waited out the busy
            // timeout. That is the same "try again shortly" as a pool time-out, not a fault.
            sqlx::Error::Database(db) if sqlite_busy(db.code().as_deref()) => StoreError::Busy,
            other => StoreError::Database(other),
        }
    }
}

/// SQLite's primary result code is the low byte of the extended one; 5 is SQLITE_BUSY.
fn sqlite_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| c & 0xff == 5)
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn from_write(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::from(e),
        }
    }
}
