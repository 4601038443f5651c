//! A memorable date typed as three boxes (day, month, year), as the GOV.UK date input asks for
//! it, read with the Design System's rules: what is missing is named, a box that cannot be part
//! of a real date is marked on its own, and the messages are the ones GOV.UK recommends.

use chrono::NaiveDate;
use serde::Deserialize;

/// The three boxes as typed (kept as typed, so a form shown again gives them back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DateParts {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
}

/// One of the three boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Day,
    Month,
    Year,
}

impl DatePart {
    /// The suffix of the box's name and id (`dob-day`).
    pub fn suffix(self) -> &'static str {
        match self {
            DatePart::Day => "day",
            DatePart::Month => "month",
            DatePart::Year => "year",
        }
    }
}

/// What is wrong with a date, and which boxes are wrong (the page marks only those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub parts: Vec<DatePart>,
}

impl DateError {
    /// The whole date is wrong (in the future, too long ago): every box is marked.
    pub fn whole(message: impl Into<String>) -> Self {
        DateError {
            message: message.into(),
            parts: vec![DatePart::Day, DatePart::Month, DatePart::Year],
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl DateParts {
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        DateParts {
            day: date.day().to_string(),
            month: date.month().to_string(),
            year: date.year().to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        [&self.day, &self.month, &self.year]
            .iter()
            .all(|p| p.trim().is_empty())
    }

    /// The date typed, `None` when all three boxes are empty. `what` names the date in the
    /// messages ("Date of birth").
    pub fn read(&self, what: &str) -> Result<Option<NaiveDate>, DateError> {
        if self.is_empty() {
            return Ok(None);
        }
        let boxes = [
            (DatePart::Day, self.day.trim()),
            (DatePart::Month, self.month.trim()),
            (DatePart::Year, self.year.trim()),
        ];
        let missing: Vec<DatePart> = boxes
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(p, _)| *p)
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|p| p.suffix()).collect();
            return Err(DateError {
                message: format!("{what} must include a {}", names.join(" and ")),
                parts: missing,
            });
        }
        let day = number(self.day.trim()).filter(|d| (1..=31).contains(d));
        let month = number(self.month.trim())
            .or_else(|| month_named(self.month.trim()))
            .filter(|m| (1..=12).contains(m));
        let year_text = self.year.trim();
        let year = number(year_text);
        let mut wrong = Vec::new();
        if day.is_none() {
            wrong.push(DatePart::Day);
        }
        if month.is_none() {
            wrong.push(DatePart::Month);
        }
        if year.is_none() {
            wrong.push(DatePart::Year);
        }
        if !wrong.is_empty() {
            return Err(DateError {
                message: format!("{what} must be a real date"),
                parts: wrong,
            });
        }
        if year_text.len() != 4 {
            return Err(DateError {
                message: "Year must include 4 numbers".into(),
                parts: vec![DatePart::Year],
            });
        }
        let (Some(day), Some(month), Some(year)) = (day, month, year) else {
            return Err(DateError::whole(format!("{what} must be a real date")));
        };
        // 31 June, 29 February 2023: every box reads, but together they are no date.
        let year = i32::try_from(year)
            .map_err(|_| DateError::whole(format!("{what} must be a real date")))?;
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Some)
            .ok_or_else(|| DateError {
                message: format!("{what} must be a real date"),
                parts: vec![DatePart::Day],
            })
    }
}

fn number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A month typed as its name or its first three letters (GOV.UK asks services to accept them).
fn month_named(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(day: &str, month: &str, year: &str) -> DateParts {
        DateParts {
            day: day.into(),
            month: month.into(),
            year: year.into(),
        }
    }

    fn err(p: DateParts) -> DateError {
        p.read("Date of birth").unwrap_err()
    }

    #[test]
    fn a_whole_date_reads() {
        assert_eq!(
            parts("27", "3", "2012").read("Date of birth"),
            Ok(NaiveDate::from_ymd_opt(2012, 3, 27))
        );
        assert_eq!(
            parts(" 07 ", "03", "2012").read("Date of birth"),
            Ok(NaiveDate::from_ymd_opt(2012, 3, 7))
        );
        assert_eq!(
            parts("1", "Feb", "2020").read("Date of birth"),
            Ok(NaiveDate::from_ymd_opt(2020, 2, 1))
        );
        assert_eq!(
            parts("1", "september", "2020").read("Date of birth"),
            Ok(NaiveDate::from_ymd_opt(2020, 9, 1))
        );
        assert_eq!(parts("", " ", "").read("Date of birth"), Ok(None));
    }

    #[test]
    fn what_is_missing_is_named_and_only_its_boxes_marked() {
        let e = err(parts("27", "", "2012"));
        assert_eq!(e.message, "Date of birth must include a month");
        assert_eq!(e.parts, vec![DatePart::Month]);
        let e = err(parts("", "", "2012"));
        assert_eq!(e.message, "Date of birth must include a day and month");
        assert_eq!(e.parts, vec![DatePart::Day, DatePart::Month]);
        let e = err(parts("3", "", ""));
        assert_eq!(e.message, "Date of birth must include a month and year");
    }

    #[test]
    fn a_box_that_cannot_be_a_date_is_marked_alone() {
        let e = err(parts("27", "13", "2012"));
        assert_eq!(e.message, "Date of birth must be a real date");
        assert_eq!(e.parts, vec![DatePart::Month]);
        let e = err(parts("x", "3", "2012"));
        assert_eq!(e.parts, vec![DatePart::Day]);
        let e = err(parts("31", "6", "2012"));
        assert_eq!(e.message, "Date of birth must be a real date");
        assert_eq!(e.parts, vec![DatePart::Day]);
        let e = err(parts("29", "2", "2023"));
        assert_eq!(e.parts, vec![DatePart::Day]);
        assert!(parts("29", "2", "2024").read("Date of birth").is_ok());
        let e = err(parts("1", "2", "12"));
        assert_eq!(e.message, "Year must include 4 numbers");
        assert_eq!(e.parts, vec![DatePart::Year]);
    }

    #[test]
    fn a_date_shows_as_its_boxes() {
        let d = NaiveDate::from_ymd_opt(2012, 3, 7).unwrap();
        assert_eq!(DateParts::of(d), parts("7", "3", "2012"));
    }
}
