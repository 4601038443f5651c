//! Files to download: a list as CSV, several as a spreadsheet workbook, and the headers that
//! make a browser save them under a name.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use hearth_domain::returns::{Cell, Sheet};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One CSV field, quoted where needed and kept from running as a formula
/// ([`hearth_domain::returns::csv_field`]).
pub use hearth_domain::returns::csv_field;

/// A sheet as CSV: its columns, then a line per row.
pub fn csv(sheet: &Sheet) -> String {
    sheet.csv()
}

/// Sheets as an `.xlsx` workbook: an "About" sheet first (what the lists are and anything the
/// reader should know), then one worksheet per sheet, its title above a bold header row,
/// dates shown `dd/mm/yyyy`.
pub fn workbook(about: &[(&str, String)], sheets: &[&Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let notes = book.add_worksheet();
    notes.set_name("About")?;
    for (i, (label, value)) in about.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        notes.write_string_with_format(row, 0, *label, &bold)?;
        notes.write_string(row, 1, value)?;
    }
    notes.set_column_width(0, 40)?;
    notes.set_column_width(1, 80)?;
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        ws.write_string_with_format(0, 0, sheet.title, &bold)?;
        for (c, column) in sheet.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(2, c, *column, &bold)?;
            ws.set_column_width(c, 22)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 3).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Cell::Number(n) => {
                        // ages and counts: far inside f64's exact range
                        #[allow(clippy::cast_precision_loss)]
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Cell::Date(d) => {
                        use chrono::Datelike;
                        let date = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            u8::try_from(d.month()).unwrap_or(1),
                            u8::try_from(d.day()).unwrap_or(1),
                        )?;
                        ws.write_with_format(r, c, &date, &day)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer()
}

/// A response that a browser saves as `filename`.
pub fn attachment(content_type: &'static str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The media type of a workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of a CSV file.
pub const CSV: &str = "text/csv; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_kept_as_text() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(r#"{"a":"b,c"}"#), r#""{""a"":""b,c""}""#);
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }
}
