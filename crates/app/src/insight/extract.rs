//! The analytics extract (issue 18, item 6; ADR 0038): `hearth extract --out DIR`, or the
//! nightly run in `hearth serve`, writes the data model as pseudonymised tables, each as
//! Parquet and as CSV, for Power BI, DuckDB or Spark. The records are opened by the gate for
//! the server's job (audited); the rows are shaped by [`hearth_domain::extract`], which keeps
//! no name, exact date of birth or free text. Every file is written beside its final name and
//! renamed into place once complete and flushed to disk, and `manifest.json` last, so a crash
//! leaves the last complete extract or a new one, never half a file.

use crate::{AppError, Hearth};
use hearth_domain::extract::{tables, Facts, Kind, Pseudonymiser, Table};
use hearth_domain::returns::Cell;
use hearth_store::insight::extract as store;
use hearth_store::returns;
use parquet::basic::{LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractWritten {
    pub folder: PathBuf,
    /// (table, rows), in the order written.
    pub tables: Vec<(String, usize)>,
}

/// Rows per Parquet row group: large enough for readers to scan quickly, small enough to
/// keep the writer's memory flat at city scale.
const ROW_GROUP: usize = 100_000;

impl Hearth {
    /// Writes the extract into `folder` (made if missing), keyed with `secret`.
    pub async fn write_extract(
        &self,
        secret: &str,
        folder: &Path,
    ) -> Result<ExtractWritten, AppError> {
        let pseudonyms = Pseudonymiser::new(secret).map_err(AppError::Internal)?;
        let opened = self
            .gate
            .open_extract_job(self.now(), &folder.display().to_string())
            .await?;
        let mut conn = self.store.read().await?;
        let facts = Facts {
            people: store::people(&mut conn, &opened).await?,
            contacts: returns::contacts(&mut conn, opened.records()).await?,
            early_help: returns::early_help(&mut conn, opened.records()).await?,
            needs: store::needs(&mut conn, &opened).await?,
            reviews: store::reviews(&mut conn, &opened).await?,
            attendances: store::attendances(&mut conn, &opened).await?,
        };
        drop(conn);
        let made = tables(&pseudonyms, opened.on(), &facts);
        let folder = folder.to_path_buf();
        let on = opened.on();
        tokio::task::spawn_blocking(move || write_all(&folder, on, &made))
            .await
            .map_err(|e| AppError::Internal(format!("the extract's writer stopped: {e}")))?
            .map_err(|e| AppError::Internal(format!("the extract could not be written: {e}")))
    }
}

fn write_all(
    folder: &Path,
    on: chrono::NaiveDate,
    made: &[Table],
) -> Result<ExtractWritten, String> {
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut written = Vec::new();
    for table in made {
        put(folder, &format!("{}.parquet", table.name), |f| {
            parquet_file(table, f)
        })?;
        put(folder, &format!("{}.csv", table.name), |f| {
            csv_file(table, f)
        })?;
        written.push((table.name.to_string(), table.rows.len()));
    }
    let manifest = serde_json::json!({
        "made_on": on.to_string(),
        "pseudonyms": "HMAC-SHA-256 of the record's kind and id under the partnership's extract secret, first 128 bits in hex",
        "tables": written.iter().map(|(name, rows)| serde_json::json!({
            "name": name,
            "rows": rows,
            "files": [format!("{name}.parquet"), format!("{name}.csv")],
        })).collect::<Vec<_>>(),
    });
    put(folder, "manifest.json", |f| {
        serde_json::to_writer_pretty(f, &manifest).map_err(|e| e.to_string())
    })?;
    Ok(ExtractWritten {
        folder: folder.to_path_buf(),
        tables: written,
    })
}

/// Writes a file beside `name`, flushes it to disk and renames it into place: readers see the
/// old file or the new one, whole.
fn put(
    folder: &Path,
    name: &str,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), String>,
) -> Result<(), String> {
    let at = |e: std::io::Error| format!("{name}: {e}");
    let temporary = folder.join(format!(".{name}.partial"));
    let mut file = std::fs::File::create(&temporary).map_err(at)?;
    write(&mut file).map_err(|e| format!("{name}: {e}"))?;
    file.flush().map_err(at)?;
    file.sync_all().map_err(at)?;
    drop(file);
    std::fs::rename(&temporary, folder.join(name)).map_err(at)?;
    Ok(())
}

fn csv_file(table: &Table, file: &mut std::fs::File) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(file);
    let err = |e: csv::Error| e.to_string();
    w.write_record(table.columns.iter().map(|(name, _)| *name))
        .map_err(err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(Cell::text)).map_err(err)?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// The table's Parquet schema: every column optional (an empty cell is a null), text as
/// UTF-8 strings, dates as Parquet dates.
fn schema(table: &Table) -> parquet::errors::Result<Type> {
    let fields = table
        .columns
        .iter()
        .map(|(name, kind)| {
            let column = match kind {
                Kind::Text => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
                Kind::Integer => Type::primitive_type_builder(name, Physical::INT64),
                Kind::Date => Type::primitive_type_builder(name, Physical::INT32)
                    .with_logical_type(Some(LogicalType::Date)),
            };
            column
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    Type::group_type_builder(table.name)
        .with_fields(fields)
        .build()
}

fn days_since_epoch(day: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((day - epoch).num_days()).unwrap_or(i32::MIN)
}

fn parquet_file(table: &Table, file: &mut std::fs::File) -> Result<(), String> {
    let err = |e: parquet::errors::ParquetError| e.to_string();
    let schema = Arc::new(schema(table).map_err(err)?);
    let properties = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, schema, properties).map_err(err)?;
    let groups: Vec<&[Vec<Cell>]> = if table.rows.is_empty() {
        vec![&[]]
    } else {
        table.rows.chunks(ROW_GROUP).collect()
    };
    for rows in groups {
        let mut group = writer.next_row_group().map_err(err)?;
        let mut index = 0;
        while let Some(mut column) = group.next_column().map_err(err)? {
            let kind = table.columns[index].1;
            let cells = rows.iter().map(|r| &r[index]);
            // A cell the column's kind does not hold is written as a null: the definition
            // levels and the values come from the same reading of each cell.
            match kind {
                Kind::Text => {
                    let values: Vec<Option<ByteArray>> = cells
                        .map(|c| match c {
                            Cell::Empty => None,
                            other => Some(ByteArray::from(other.text().into_bytes())),
                        })
                        .collect();
                    let (defs, present) = split(values);
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&present, Some(&defs), None)
                        .map_err(err)?;
                }
                Kind::Integer => {
                    let values: Vec<Option<i64>> = cells
                        .map(|c| match c {
                            Cell::Number(n) => Some(*n),
                            _ => None,
                        })
                        .collect();
                    let (defs, present) = split(values);
                    column
                        .typed::<Int64Type>()
                        .write_batch(&present, Some(&defs), None)
                        .map_err(err)?;
                }
                Kind::Date => {
                    let values: Vec<Option<i32>> = cells
                        .map(|c| match c {
                            Cell::Date(d) => Some(days_since_epoch(*d)),
                            _ => None,
                        })
                        .collect();
                    let (defs, present) = split(values);
                    column
                        .typed::<Int32Type>()
                        .write_batch(&present, Some(&defs), None)
                        .map_err(err)?;
                }
            }
            column.close().map_err(err)?;
            index += 1;
        }
        group.close().map_err(err)?;
    }
    writer.close().map_err(err)?;
    Ok(())
}

/// Definition levels (1 present, 0 null) and the present values, as Parquet writes an
/// optional column.
fn split<T>(values: Vec<Option<T>>) -> (Vec<i16>, Vec<T>) {
    let defs = values.iter().map(|v| i16::from(v.is_some())).collect();
    (defs, values.into_iter().flatten().collect())
}
