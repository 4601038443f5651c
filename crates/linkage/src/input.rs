//! Reading people from CSV. Column names are matched loosely (`first_name`, `forename`,
//! `given_name`, ...) and can be mapped explicitly, several source columns joined into one
//! field. An address given in parts (`street_number`, `address_1`, `address_2`, or
//! `address_line_1`, `address_line_2`) is joined in that order into the address; the town or
//! suburb is a field of its own. Columns that match no field are listed so the caller can say
//! they were ignored. Every row that cannot be used, and every value that cannot be read, is
//! reported with its line number and what is wrong: nothing is dropped silently.

use crate::dob::Dob;
use crate::error::LinkageError;
use crate::record::PersonRecord;
use rustc_hash::FxHashMap;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Id,
    FirstName,
    Surname,
    Dob,
    Postcode,
    Address,
    Locality,
}

impl Target {
    pub const ALL: [Target; 7] = [
        Target::Id,
        Target::FirstName,
        Target::Surname,
        Target::Dob,
        Target::Postcode,
        Target::Address,
        Target::Locality,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Id => "id",
            Target::FirstName => "first_name",
            Target::Surname => "surname",
            Target::Dob => "dob",
            Target::Postcode => "postcode",
            Target::Address => "address",
            Target::Locality => "locality",
        }
    }

    /// Column names accepted for this field without a mapping (compared lower-case, with
    /// spaces and hyphens read as underscores). For the address every one present is used,
    /// joined in this order: a whole address, then the house number, then the lines.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Target::Id => &["id", "record_id", "rec_id", "unique_id", "person_id"],
            Target::FirstName => &[
                "first_name",
                "firstname",
                "forename",
                "forenames",
                "given_name",
                "given_names",
            ],
            Target::Surname => &["surname", "last_name", "lastname", "family_name"],
            Target::Dob => &["dob", "date_of_birth", "birth_date", "dateofbirth"],
            Target::Postcode => &["postcode", "post_code", "postal_code", "zip", "zip_code"],
            Target::Address => &[
                "address",
                "full_address",
                "address_line",
                "street_number",
                "house_number",
                "house_no",
                "building_number",
                "house_name",
                "building_name",
                "address_1",
                "address1",
                "address_line_1",
                "address_line1",
                "street",
                "street_name",
                "address_2",
                "address2",
                "address_line_2",
                "address_line2",
                "address_3",
                "address_line_3",
            ],
            Target::Locality => &[
                "locality",
                "suburb",
                "town",
                "city",
                "town_city",
                "post_town",
                "village",
            ],
        }
    }

    /// Whether every column with one of this field's names is used (joined), rather than
    /// the first.
    fn joins_parts(self) -> bool {
        self == Target::Address
    }

    fn required(self) -> bool {
        matches!(self, Target::Id | Target::FirstName | Target::Surname)
    }

    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name.trim())
    }
}

/// `field=column` or `field=col1+col2` (columns joined with a space), e.g.
/// `address=street_number+address_1+suburb`.
pub fn parse_mapping(spec: &str) -> Result<(Target, Vec<String>), LinkageError> {
    let (field, columns) = spec.split_once('=').ok_or_else(|| {
        LinkageError::Input(format!(
            "column mapping {spec:?} is not FIELD=COLUMN[+COLUMN...]"
        ))
    })?;
    let target = Target::parse(field).ok_or_else(|| {
        LinkageError::Input(format!(
            "unknown field {field:?} in column mapping; fields are id, first_name, surname, dob, postcode, address, locality"
        ))
    })?;
    let columns: Vec<String> = columns
        .split('+')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if columns.is_empty() {
        return Err(LinkageError::Input(format!(
            "column mapping {spec:?} names no column"
        )));
    }
    Ok((target, columns))
}

/// A row that was rejected, or a value that was set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub id: Option<String>,
    pub reason: String,
    /// Whether the row was still used (with the bad value treated as missing).
    pub kept: bool,
}

pub struct Loaded {
    pub records: Vec<PersonRecord>,
    pub problems: Vec<RowProblem>,
    /// Optional fields the file has no column for.
    pub absent: Vec<Target>,
    /// Columns of the file that no field uses, as written in its header.
    pub ignored: Vec<String>,
}

pub fn read_csv(path: &Path, mapping: &[(Target, Vec<String>)]) -> Result<Loaded, LinkageError> {
    let file = std::fs::File::open(path)
        .map_err(|e| LinkageError::Io(format!("cannot open {}: {e}", path.display())))?;
    read(std::io::BufReader::with_capacity(1 << 20, file), mapping)
        .map_err(|e| LinkageError::Input(format!("{}: {e}", path.display())))
}

fn canonical(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// Reads CSV with a header row from `reader`.
pub fn read(reader: impl Read, mapping: &[(Target, Vec<String>)]) -> Result<Loaded, LinkageError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let written: Vec<String> = csv
        .headers()
        .map_err(|e| LinkageError::Input(format!("cannot read the header row: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let headers: Vec<String> = written.iter().map(|h| canonical(h)).collect();
    let mut columns: Vec<(Target, Vec<usize>)> = Vec::new();
    let mut absent = Vec::new();
    for target in Target::ALL {
        let found: Vec<usize> = match mapping.iter().find(|(t, _)| *t == target) {
            Some((_, names)) => names
                .iter()
                .map(|n| {
                    headers
                        .iter()
                        .position(|h| *h == canonical(n))
                        .ok_or_else(|| {
                            LinkageError::Input(format!(
                                "column {n:?} mapped to {} is not in the header ({})",
                                target.name(),
                                headers.join(", ")
                            ))
                        })
                })
                .collect::<Result<_, _>>()?,
            None if target.joins_parts() => target
                .aliases()
                .iter()
                .filter_map(|alias| headers.iter().position(|h| h == alias))
                .collect(),
            None => headers
                .iter()
                .position(|h| target.aliases().contains(&h.as_str()))
                .into_iter()
                .collect(),
        };
        if found.is_empty() {
            if target.required() {
                return Err(LinkageError::Input(format!(
                    "no {} column: name one of {} or map it with --column {}=YOUR_COLUMN",
                    target.name(),
                    target.aliases().join(", "),
                    target.name()
                )));
            }
            absent.push(target);
        }
        columns.push((target, found));
    }
    let ignored = written
        .iter()
        .enumerate()
        .filter(|(i, _)| !columns.iter().any(|(_, used)| used.contains(i)))
        .map(|(_, h)| h.clone())
        .collect();
    let width = headers.len();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut first_seen: FxHashMap<String, u64> = FxHashMap::default();
    let mut row = csv::StringRecord::new();
    loop {
        let line_hint = csv.position().line();
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_hint);
                problems.push(RowProblem {
                    line,
                    id: None,
                    reason: format!("unreadable row: {}", describe_csv_error(&e)),
                    kept: false,
                });
                continue;
            }
        }
        let line = row.position().map(|p| p.line()).unwrap_or(line_hint);
        if row.len() != width {
            problems.push(RowProblem {
                line,
                id: row.get(0).map(str::to_string),
                reason: format!("has {} fields but the header has {width}", row.len()),
                kept: false,
            });
            continue;
        }
        let value = |target: Target| -> String {
            let cols = &columns
                .iter()
                .find(|(t, _)| *t == target)
                .map(|(_, c)| c.as_slice())
                .unwrap_or(&[]);
            let mut out = String::new();
            for &c in cols.iter() {
                let v = row.get(c).unwrap_or("").trim();
                if !v.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(v);
                }
            }
            out
        };
        let mut record = PersonRecord {
            id: value(Target::Id),
            first_name: value(Target::FirstName),
            surname: value(Target::Surname),
            dob: value(Target::Dob),
            postcode: value(Target::Postcode),
            address: value(Target::Address),
            locality: value(Target::Locality),
        };
        if record.id.is_empty() {
            problems.push(RowProblem {
                line,
                id: None,
                reason: "has no id".into(),
                kept: false,
            });
            continue;
        }
        if let Some(&earlier) = first_seen.get(&record.id) {
            problems.push(RowProblem {
                line,
                id: Some(record.id.clone()),
                reason: format!("id {:?} is already used on line {earlier}", record.id),
                kept: false,
            });
            continue;
        }
        if record.first_name.is_empty() && record.surname.is_empty() {
            problems.push(RowProblem {
                line,
                id: Some(record.id.clone()),
                reason: "has neither a first name nor a surname; matched on the other fields only"
                    .into(),
                kept: true,
            });
        }
        if let Err(e) = Dob::parse(&record.dob) {
            let reason = if Dob::parse_lenient(&record.dob).is_some() {
                format!("{e}; kept as written, to match the date it was probably mistyped from")
            } else {
                record.dob.clear();
                format!("{e}; compared as missing")
            };
            problems.push(RowProblem {
                line,
                id: Some(record.id.clone()),
                reason,
                kept: true,
            });
        }
        first_seen.insert(record.id.clone(), line);
        records.push(record);
    }
    Ok(Loaded {
        records,
        problems,
        absent,
        ignored,
    })
}

fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "text is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_aliases_and_reports_every_bad_row() {
        let csv = "\
Record ID,Forename,Surname,Date of Birth,Postcode,Address
1,Ann,Lee,1985-03-12,NG7 2RD,14 High St
2,Bob,Ray,12th March,NG7 2RD,
3,Cy,Day,1984-13-01,,
,Cat,Fox,1990,,
1,Dan,Orr,,,
4,,,1990,,
5,Eve,Kim,1990,NG1 1AA
6,Fay,\"Ng\",2001-02-03,M1 1AE,\"1 Long Road, Leeds\"
";
        let loaded = read(csv.as_bytes(), &[]).expect("readable");
        let ids: Vec<&str> = loaded.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "2", "3", "4", "6"]);
        assert_eq!(
            loaded.records[1].dob, "",
            "shapeless date treated as missing"
        );
        assert_eq!(loaded.records[2].dob, "1984-13-01", "mistyped date kept");
        assert_eq!(loaded.records[4].address, "1 Long Road, Leeds");
        let p: Vec<(u64, bool, &str)> = loaded
            .problems
            .iter()
            .map(|p| (p.line, p.kept, p.reason.as_str()))
            .collect();
        assert_eq!(p.len(), 6, "{p:?}");
        assert_eq!(p[0].0, 3);
        assert!(p[0].1 && p[0].2.contains("12th March"), "{p:?}");
        assert_eq!(p[1].0, 4);
        assert!(
            p[1].1 && p[1].2.contains("month 13") && p[1].2.contains("kept as written"),
            "{p:?}"
        );
        assert_eq!((p[2].0, p[2].1, p[2].2), (5, false, "has no id"));
        assert_eq!(p[3].0, 6);
        assert!(
            !p[3].1 && p[3].2.contains("already used on line 2"),
            "{p:?}"
        );
        assert_eq!(p[4].0, 7);
        assert!(p[4].1 && p[4].2.contains("neither a first name nor a surname"));
        assert_eq!(p[5].0, 8);
        assert!(
            !p[5].1 && p[5].2.contains("has 5 fields but the header has 6"),
            "{p:?}"
        );
        assert_eq!(loaded.absent, vec![Target::Locality]);
        assert!(loaded.ignored.is_empty());
    }

    #[test]
    fn reads_febrl_columns_as_they_are() {
        let csv = "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id\n\
rec-1-org,michaela,neumann,8,stanley street,miami,winston hills,4223,nsw,19151111,5304218\n\
rec-2-org,courtney,painter,,pinkerton circuit,,richlands,4560,vic,,4066625\n";
        let loaded = read(csv.as_bytes(), &[]).expect("readable");
        let r = &loaded.records[0];
        assert_eq!(
            (r.id.as_str(), r.first_name.as_str(), r.dob.as_str()),
            ("rec-1-org", "michaela", "19151111")
        );
        assert_eq!(
            r.address, "8 stanley street miami",
            "number, then the lines"
        );
        assert_eq!(r.locality, "winston hills");
        assert_eq!(loaded.records[1].address, "pinkerton circuit");
        assert_eq!(loaded.ignored, vec!["state", "soc_sec_id"]);
        assert!(loaded.absent.is_empty());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let uk = "ID,Forename,Surname,DOB,Address Line 1,Address Line 2,Town,Postcode,NHS number\n\
1,Ann,Lee,1985-03-12,Flat 2,14 High Street,Lenton,NG7 2RD,943 476 5919\n";
        let loaded = read(uk.as_bytes(), &[]).expect("readable");
        assert_eq!(loaded.records[0].address, "Flat 2 14 High Street");
        assert_eq!(loaded.records[0].locality, "Lenton");
        assert_eq!(loaded.ignored, vec!["NHS number"]);
    }

    #[test]
    fn maps_and_joins_columns() {
        let csv = "rec_id,given_name,surname,date_of_birth,street_number,address_1,postcode\n\
a,Ann,Lee,19850312,14,high street,2615\n";
        let mapping = vec![
            parse_mapping("address=street_number+address_1").expect("spec"),
            parse_mapping("dob=date_of_birth").expect("spec"),
        ];
        let loaded = read(csv.as_bytes(), &mapping).expect("readable");
        assert_eq!(loaded.records[0].address, "14 high street");
        assert_eq!(loaded.records[0].first_name, "Ann");
        assert!(loaded.problems.is_empty());
    }

    #[test]
    fn explains_missing_required_columns_and_bad_mappings() {
        let e = read("id,name\n1,x\n".as_bytes(), &[])
            .err()
            .expect("no first name");
        assert!(e.to_string().contains("no first_name column"), "{e}");
        assert!(parse_mapping("nickname=x").is_err());
        assert!(parse_mapping("address").is_err());
        let m = vec![parse_mapping("address=nope").expect("spec")];
        let e = read("id,first_name,surname\n".as_bytes(), &m)
            .err()
            .expect("absent");
        assert!(e.to_string().contains("\"nope\""), "{e}");
        let loaded = read("id,first_name,surname\n".as_bytes(), &[]).expect("ok");
        assert_eq!(
            loaded.absent,
            vec![
                Target::Dob,
                Target::Postcode,
                Target::Address,
                Target::Locality
            ]
        );
    }
}
