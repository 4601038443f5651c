//! Loading many rows at once, for synthetic data at city scale and benchmarks.
//!
//! Rows travel as one JSON array per statement (`INSERT … SELECT … FROM json_each($1)` on
//! SQLite, `json_array_elements` on PostgreSQL): one bound parameter for thousands of rows,
//! where a multi-row `VALUES` list needs one per value and sqlx's SQLite driver slows down
//! faster than linearly with them. Values are still bound, never spliced into the SQL.

use crate::{Conn, Engine, Result};
use serde_json::Value;

/// How a column's JSON value becomes the column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
}

/// A table and the columns a load fills, in the order each row lists its values.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
}

/// Rows per statement: large enough that round trips are not the cost, small enough that
/// one statement's JSON stays a few megabytes.
const ROWS_PER_STATEMENT: usize = 2_000;

impl Table {
    fn sql(&self, engine: Engine) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(n, _)| *n).collect();
        let values: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| match kind {
                Kind::Text => format!("value ->> {i}"),
                Kind::Int => format!("CAST(value ->> {i} AS BIGINT)"),
            })
            .collect();
        let source = match engine {
            Engine::Sqlite => "json_each($1)",
            Engine::Postgres => "json_array_elements(CAST($1 AS json)) AS j(value)",
        };
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM {source}",
            self.name,
            names.join(", "),
            values.join(", ")
        )
    }

    /// Inserts `rows` (each a JSON array with one value per column) inside the caller's
    /// transaction.
    pub async fn insert(&self, conn: &mut Conn, engine: Engine, rows: &[Value]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let sql = self.sql(engine);
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let payload = serde_json::to_string(chunk)
                .map_err(|e| crate::StoreError::Corrupt(format!("bulk rows: {e}")))?;
            sqlx::query(&sql).bind(payload).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Rows waiting to be loaded into one table.
pub struct Batch {
    pub table: &'static Table,
    pub rows: Vec<Value>,
}

impl Batch {
    pub fn new(table: &'static Table) -> Self {
        Self {
            table,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Value) {
        debug_assert_eq!(
            row.as_array().map(Vec::len),
            Some(self.table.columns.len()),
            "a row for {} must list every column",
            self.table.name
        );
        self.rows.push(row);
    }

    /// Loads the waiting rows and empties the batch.
    pub async fn flush(&mut self, conn: &mut Conn, engine: Engine) -> Result<usize> {
        let n = self.rows.len();
        self.table.insert(conn, engine, &self.rows).await?;
        self.rows.clear();
        Ok(n)
    }
}
