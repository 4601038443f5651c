//! Reading a partner's file: CSV text, or a spreadsheet (.xlsx or .ods; the first sheet or a
//! named one). The first line names the columns; every row after it is read into a typed
//! [`PartnerRow`] or reported with its sheet, its line and why. Spreadsheets' dates are read as
//! dates, whatever the cell's display format.

use chrono::NaiveDate;
use hearth_domain::identification::feed::{missing_columns, read_row, FeedKind, PartnerRow};
use std::collections::HashMap;
use std::io::Cursor;

/// A partner's file as it arrived: its name (for the record), its bytes, and the sheet to read
/// when it is a spreadsheet (the first one when none is named).
#[derive(Debug, Clone, Copy)]
pub struct PartnerFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub sheet: Option<&'a str>,
}

/// A row that was not imported, and why: its sheet (in a spreadsheet) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub sheet: Option<String>,
    pub line: u64,
    pub reason: String,
}

impl RowProblem {
    /// Where the row is, in words: "sheet Autumn, line 4" or "line 4".
    pub fn place(&self) -> String {
        match &self.sheet {
            Some(s) => format!("sheet {s}, line {}", self.line),
            None => format!("line {}", self.line),
        }
    }
}

/// The rows read, each with its line, and the problems of those that could not be.
pub(crate) type ReadFile = (Vec<(u64, PartnerRow)>, Vec<RowProblem>);

/// One line of a table: its number, and its cells or why they cannot be read.
type Line = (u64, Result<Vec<String>, String>);

/// The rows of a file, or the whole file refused (a header lacking columns, an empty file, a
/// sheet that is not there) with the reason.
pub(crate) fn read_file(
    kind: FeedKind,
    file: &PartnerFile<'_>,
    today: NaiveDate,
) -> Result<ReadFile, String> {
    if is_spreadsheet(file.bytes) {
        let (sheet, lines) = spreadsheet_lines(file.bytes, file.sheet)?;
        read_table(kind, Some(sheet), lines, today)
    } else {
        let text = std::str::from_utf8(file.bytes).map_err(|_| {
            "the file is neither CSV text (saved as UTF-8) nor a spreadsheet (.xlsx or .ods)"
                .to_string()
        })?;
        read_table(kind, None, csv_lines(text), today)
    }
}

/// Spreadsheets (.xlsx, .ods) are zip files, which start with these bytes; CSV never does.
fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn read_table(
    kind: FeedKind,
    sheet: Option<String>,
    lines: Vec<Line>,
    today: NaiveDate,
) -> Result<ReadFile, String> {
    let mut lines = lines.into_iter();
    let header: Vec<String> = match lines.next() {
        Some((_, Ok(h))) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Some((_, Err(e))) => return Err(format!("the first line cannot be read: {e}")),
        None => return Err("the file is empty".into()),
    };
    let missing = missing_columns(&header.iter().map(String::as_str).collect::<Vec<_>>());
    if !missing.is_empty() {
        return Err(format!(
            "the first line must name the columns; it lacks {}",
            missing.join(", ")
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let problem = |line, reason| RowProblem {
        sheet: sheet.clone(),
        line,
        reason,
    };
    for (line, cells) in lines {
        let cells = match cells {
            Ok(c) => c,
            Err(reason) => {
                problems.push(problem(line, reason));
                continue;
            }
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let values: HashMap<String, String> = header.iter().cloned().zip(cells).collect();
        match read_row(kind, &values, today) {
            Ok(row) => rows.push((line, row)),
            Err(reason) => problems.push(problem(line, reason)),
        }
    }
    Ok((rows, problems))
}

/// The lines of CSV text, each numbered as an editor numbers it.
fn csv_lines(text: &str) -> Vec<Line> {
    // A text box sends CRLF, which the csv reader does not count as a new line.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // The reader counts no blank lines, and a record after blank lines starts, for it, where
    // they do: its line is counted from the first character that is not a line end. Records
    // come in order, so the count goes on from the last one's (from the start it would cost
    // the whole file again for every row).
    let bytes = text.as_bytes();
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        let mut at = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        if at < counted.0 {
            counted = (0, 1);
        }
        counted.1 += bytes[counted.0..at].iter().filter(|b| **b == b'\n').count() as u64;
        counted.0 = at;
        counted.1
    };
    reader
        .records()
        .enumerate()
        .map(|(n, record)| {
            let fallback = n as u64 + 1;
            match record {
                Ok(r) => (
                    r.position().map_or(fallback, |p| line_at(p.byte())),
                    Ok(r.iter().map(str::to_string).collect()),
                ),
                Err(e) => (
                    e.position().map_or(fallback, |p| line_at(p.byte())),
                    Err(format!("the line cannot be read: {e}")),
                ),
            }
        })
        .collect()
}

/// The chosen sheet's name and its lines, numbered as the spreadsheet numbers its rows.
fn spreadsheet_lines(bytes: &[u8], wanted: Option<&str>) -> Result<(String, Vec<Line>), String> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        format!("the spreadsheet cannot be read ({e}): save it again as .xlsx or .ods")
    })?;
    let names = book.sheet_names();
    let name = match wanted.map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(w))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the spreadsheet has no sheet called \"{w}\"; its sheets are {}",
                    names.join(", ")
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the spreadsheet has no sheets".to_string())?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("the sheet {name} cannot be read: {e}"))?;
    // Rows above the first used one are empty; the range starts where the data does.
    let first = range.start().map_or(0, |(row, _)| u64::from(row));
    let lines = range
        .rows()
        .enumerate()
        .map(|(n, cells)| {
            let cells: Result<Vec<String>, String> = cells.iter().map(cell_text).collect();
            (first + n as u64 + 1, cells)
        })
        .collect();
    Ok((name, lines))
}

/// A cell as the text a CSV file would hold: dates as 2025-03-14, whole numbers without a
/// decimal point.
fn cell_text(cell: &calamine::Data) -> Result<String, String> {
    use calamine::Data;
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if !d.is_duration() => {
            // The spreadsheet's own calendar (1900 or 1904 system) decides the day.
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
                .map(|d| d.to_string())
                .ok_or_else(|| format!("a date cell holds {}, which is not a date", d.as_f64()))?
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        // OpenDocument keeps dates as ISO text, sometimes with a time after the date.
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("a cell holds the spreadsheet error {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str, today: NaiveDate) -> Result<ReadFile, String> {
        let file = PartnerFile {
            name: "f.csv",
            bytes: text.as_bytes(),
            sheet: None,
        };
        read_file(FeedKind::SchoolCensus, &file, today)
    }

    #[test]
    fn every_bad_row_is_named_by_its_own_line_even_from_a_text_box() {
        let text = "reference,given_names,family_name,dob,postcode,event,date,attendance\r\n\
            R1,Mia,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,87.5\r\n\
            R2,,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,87.5\r\n\
            \r\n\
            R4,Sam,Okafor,2015-03-14,NG7 2RD,attendance,2025-07-18,187\r\n";
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let (rows, problems) = csv(text, today).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 5]);
        assert!(problems[1].reason.contains("attendance '187'"));
        assert_eq!(problems[0].place(), "line 3");
    }

    #[test]
    fn a_header_lacking_columns_refuses_the_file() {
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let got = csv("reference,name\nR1,Mia\n", today);
        assert!(got.is_err_and(|e| e.contains("given_names")));
    }

    #[test]
    fn bytes_that_are_neither_text_nor_a_spreadsheet_are_refused_with_what_to_do() {
        let file = PartnerFile {
            name: "f.xls",
            bytes: &[0xd0, 0xcf, 0x11, 0xe0, 0xff, 0xfe],
            sheet: None,
        };
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let got = read_file(FeedKind::SchoolCensus, &file, today);
        assert!(got.is_err_and(|e| e.contains(".xlsx or .ods")));
    }

    #[test]
    fn spreadsheet_cells_read_as_csv_would_hold_them() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        let cases: &[(Data, Result<&str, &str>)] = &[
            (Data::Empty, Ok("")),
            (Data::String("Mia".into()), Ok("Mia")),
            (Data::Float(84.2), Ok("84.2")),
            (Data::Float(90.0), Ok("90")),
            (Data::Int(7), Ok("7")),
            (
                Data::DateTime(ExcelDateTime::new(
                    45856.0,
                    ExcelDateTimeType::DateTime,
                    false,
                )),
                Ok("2025-07-18"),
            ),
            (
                Data::DateTime(ExcelDateTime::new(
                    42077.75,
                    ExcelDateTimeType::DateTime,
                    false,
                )),
                Ok("2015-03-14"),
            ),
            (
                Data::DateTimeIso("2015-03-14T00:00:00".into()),
                Ok("2015-03-14"),
            ),
            (
                Data::Error(calamine::CellErrorType::Div0),
                Err("spreadsheet error"),
            ),
        ];
        for (cell, want) in cases {
            match (cell_text(cell), want) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{cell:?}"),
                (Err(got), Err(want)) => assert!(got.contains(want), "{got}"),
                (got, _) => panic!("{cell:?} read as {got:?}"),
            }
        }
    }
}
