//! Dates of birth as agencies hold them: complete, year and month only, year only, or missing,
//! and often mistyped.

use std::fmt;

/// A date of birth; 0 marks an unknown part. A known day implies a known month, and a known
/// month a known year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dob {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Why a date of birth could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DobError(pub String);

impl fmt::Display for DobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Dob {
    pub fn missing() -> Dob {
        Dob::default()
    }

    pub fn is_missing(self) -> bool {
        self.year == 0
    }

    pub fn is_full(self) -> bool {
        self.day != 0
    }

    /// Reads YYYY-MM-DD, YYYY-MM, YYYY, YYYYMMDD (FEBRL's form) or DD/MM/YYYY. An empty value
    /// is a missing date, not an error. The day is checked against 1–31 only, not against the
    /// month: "1984-02-30" is kept because a mistyped date still says a lot about a person.
    pub fn parse(raw: &str) -> Result<Dob, DobError> {
        Dob::read(raw, true)
    }

    /// Like [`Dob::parse`] but keeps a well-shaped date whose month or day is out of range
    /// ("1940-45-02"): such a value is usually a typing mistake of the right date, and the
    /// comparison can still recognise it as one.
    pub fn parse_lenient(raw: &str) -> Option<Dob> {
        Dob::read(raw, false).ok()
    }

    fn read(raw: &str, strict: bool) -> Result<Dob, DobError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(Dob::missing());
        }
        let bad = || {
            DobError(format!(
                "date of birth {s:?} is not YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY"
            ))
        };
        let parts: Vec<&str> = if s.contains('/') {
            let mut p: Vec<&str> = s.split('/').collect();
            p.reverse();
            p
        } else if s.contains('-') {
            s.split('-').collect()
        } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            vec![&s[0..4], &s[4..6], &s[6..8]]
        } else {
            vec![s]
        };
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let num = |p: &str| -> Result<u16, DobError> {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u16>().map_err(|_| bad())
        };
        let year = num(parts[0])?;
        let month = match parts.get(1) {
            Some(p) => num(p)?,
            None => 0,
        };
        let day = match parts.get(2) {
            Some(p) => num(p)?,
            None => 0,
        };
        if !strict {
            if !(1000..=2999).contains(&year) || month > 99 || day > 99 {
                return Err(bad());
            }
            return Ok(Dob {
                year,
                month: month as u8,
                day: day as u8,
            });
        }
        if !(1800..=2200).contains(&year) {
            return Err(DobError(format!(
                "year {year} in date of birth {s:?} is out of range"
            )));
        }
        if parts.len() >= 2 && !(1..=12).contains(&month) {
            return Err(DobError(format!(
                "month {month} in date of birth {s:?} is not 1-12"
            )));
        }
        if parts.len() == 3 && !(1..=31).contains(&day) {
            return Err(DobError(format!(
                "day {day} in date of birth {s:?} is not 1-31"
            )));
        }
        Ok(Dob {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The eight digits YYYYMMDD, for comparing typing mistakes.
    fn digits(self) -> [u8; 8] {
        let y = self.year;
        [
            (y / 1000 % 10) as u8,
            (y / 100 % 10) as u8,
            (y / 10 % 10) as u8,
            (y % 10) as u8,
            self.month / 10,
            self.month % 10,
            self.day / 10,
            self.day % 10,
        ]
    }
}

impl fmt::Display for Dob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (0, _, _) => f.write_str("unknown"),
            (y, 0, _) => write!(f, "{y:04}"),
            (y, m, 0) => write!(f, "{y:04}-{m:02}"),
            (y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// How two dates of birth relate, best first. The levels of the date-of-birth comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DobAgreement {
    Missing,
    Exact,
    DayMonthSwapped,
    OneTypo,
    PartialAgrees,
    SameYear,
    Differs,
}

/// Compares two dates. Partial dates agree when every part both of them know is equal.
pub fn compare(a: Dob, b: Dob) -> DobAgreement {
    if a.is_missing() || b.is_missing() {
        return DobAgreement::Missing;
    }
    if a.is_full() && b.is_full() {
        if a == b {
            return DobAgreement::Exact;
        }
        if a.year == b.year && a.day == b.month && a.month == b.day {
            return DobAgreement::DayMonthSwapped;
        }
        if one_typo(a.digits(), b.digits()) {
            return DobAgreement::OneTypo;
        }
        if a.year == b.year {
            return DobAgreement::SameYear;
        }
        return DobAgreement::Differs;
    }
    let month_ok = a.month == 0 || b.month == 0 || a.month == b.month;
    let day_ok = a.day == 0 || b.day == 0 || a.day == b.day;
    if a.year == b.year && month_ok && day_ok {
        DobAgreement::PartialAgrees
    } else {
        DobAgreement::Differs
    }
}

/// One digit changed, or two neighbouring digits swapped. Counts by hand: this runs for every
/// candidate pair.
fn one_typo(a: [u8; 8], b: [u8; 8]) -> bool {
    let mut count = 0;
    let mut first = 0;
    let mut second = 0;
    for i in 0..8 {
        if a[i] != b[i] {
            count += 1;
            match count {
                1 => first = i,
                2 => second = i,
                _ => return false,
            }
        }
    }
    match count {
        1 => true,
        2 => second == first + 1 && a[first] == b[second] && a[second] == b[first],
        _ => false,
    }
}

/// Dates that cannot belong to one person even allowing for a typing mistake: both years
/// known and the dates disagree beyond a typo. Used to keep clusters from swallowing a parent
/// and child, or siblings, who share a name.
pub fn strongly_conflict(a: Dob, b: Dob) -> bool {
    compare(a, b) == DobAgreement::Differs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dob {
        Dob::parse(s).expect("valid date")
    }

    #[test]
    fn parses_the_accepted_forms() {
        assert_eq!(
            d("1984-03-12"),
            Dob {
                year: 1984,
                month: 3,
                day: 12
            }
        );
        assert_eq!(
            d("19840312"),
            Dob {
                year: 1984,
                month: 3,
                day: 12
            }
        );
        assert_eq!(
            d("12/03/1984"),
            Dob {
                year: 1984,
                month: 3,
                day: 12
            }
        );
        assert_eq!(
            d("1984-03"),
            Dob {
                year: 1984,
                month: 3,
                day: 0
            }
        );
        assert_eq!(
            d("1984"),
            Dob {
                year: 1984,
                month: 0,
                day: 0
            }
        );
        assert!(d("  ").is_missing());
        assert_eq!(d("1984-03-12").to_string(), "1984-03-12");
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(Dob::parse("12 March").is_err());
        assert!(Dob::parse("1984-13-01").is_err());
        assert!(Dob::parse("1984-12-32").is_err());
        assert!(Dob::parse("0084-12-01").is_err());
        assert_eq!(
            Dob::parse_lenient("1940-45-02"),
            Some(Dob {
                year: 1940,
                month: 45,
                day: 2
            })
        );
        assert_eq!(Dob::parse_lenient("12 March"), None);
        let e = Dob::parse("1984-13-01").expect_err("bad month");
        assert!(e.0.contains("month 13"), "{e}");
    }

    #[test]
    fn grades_agreement() {
        use DobAgreement::*;
        assert_eq!(compare(d("1984-03-12"), d("1984-03-12")), Exact);
        assert_eq!(compare(d("1984-03-12"), d("1984-12-03")), DayMonthSwapped);
        assert_eq!(compare(d("1984-03-12"), d("1984-03-13")), OneTypo);
        assert_eq!(compare(d("1984-03-12"), d("1948-03-12")), OneTypo);
        assert_eq!(compare(d("1984-03-12"), d("1984-07-30")), SameYear);
        assert_eq!(compare(d("1984-03-12"), d("1984")), PartialAgrees);
        assert_eq!(compare(d("1984-03"), d("1984-03-12")), PartialAgrees);
        assert_eq!(compare(d("1984-03"), d("1984-04")), Differs);
        assert_eq!(compare(d("1984-03-12"), d("2009-06-01")), Differs);
        assert_eq!(compare(d("1984-03-12"), d("")), Missing);
    }

    #[test]
    fn twins_do_not_conflict_but_father_and_son_do() {
        assert!(!strongly_conflict(d("2010-05-05"), d("2010-05-05")));
        assert!(strongly_conflict(d("1980-05-05"), d("2005-11-20")));
        assert!(!strongly_conflict(d("1980-05-05"), d("")));
    }
}
