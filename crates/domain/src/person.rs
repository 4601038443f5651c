//! What we hold about a person that rules depend on: their date of birth and age.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How sure we are of a date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DobCertainty {
    Exact,
    /// Approximate (e.g. a newly arrived child with no documents).
    Estimated,
    /// An unborn child's expected date of delivery.
    Expected,
}

impl DobCertainty {
    pub fn code(self) -> &'static str {
        match self {
            DobCertainty::Exact => "exact",
            DobCertainty::Estimated => "estimated",
            DobCertainty::Expected => "expected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            DobCertainty::Exact,
            DobCertainty::Estimated,
            DobCertainty::Expected,
        ]
        .into_iter()
        .find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateOfBirth {
    pub date: NaiveDate,
    pub certainty: DobCertainty,
}

/// A person's age as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Unborn,
    Years(u32),
}

impl DateOfBirth {
    /// Age in whole years on `today`. An expected child is unborn until the date passes
    /// (then treated as a baby, since the birth will not have been recorded yet).
    pub fn age_on(&self, today: NaiveDate) -> Age {
        if self.certainty == DobCertainty::Expected && self.date > today {
            return Age::Unborn;
        }
        let mut years = today.year() - self.date.year();
        if (today.month(), today.day()) < (self.date.month(), self.date.day()) {
            years -= 1;
        }
        Age::Years(u32::try_from(years.max(0)).unwrap_or(0))
    }

    /// Checks a date of birth against today: only an expected date may be in the future, and
    /// not by more than ten months.
    pub fn check(&self, today: NaiveDate) -> Result<(), &'static str> {
        match self.certainty {
            DobCertainty::Expected => {
                if self.date > today + chrono::Days::new(300) {
                    Err("An expected date of birth must be within the next 10 months")
                } else {
                    Ok(())
                }
            }
            _ if self.date > today => Err("Date of birth must be today or in the past"),
            _ if today.year() - self.date.year() > 120 => {
                Err("Date of birth must be within the last 120 years")
            }
            _ => Ok(()),
        }
    }
}

impl Age {
    pub fn years(self) -> Option<u32> {
        match self {
            Age::Unborn => None,
            Age::Years(y) => Some(y),
        }
    }

    /// Children are under 18; unborn children count as children.
    pub fn is_child(self) -> bool {
        self.years().is_none_or(|y| y < 18)
    }
}

/// DfE ethnicity codes (the main categories used in school and children's social care returns).
pub const ETHNICITIES: &[(&str, &str)] = &[
    ("WBRI", "White – British"),
    ("WIRI", "White – Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WROM", "Gypsy/Roma"),
    ("WOTH", "Any other White background"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"),
    ("BAFR", "Black – African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
];

/// How people in a household are related to the person they are added with.
pub const RELATIONSHIPS: &[(&str, &str)] = &[
    ("parent", "Parent"),
    ("step_parent", "Step-parent"),
    ("carer", "Carer"),
    ("child", "Child"),
    ("sibling", "Sibling"),
    ("half_sibling", "Half-sibling"),
    ("partner", "Partner"),
    ("grandparent", "Grandparent"),
    ("other", "Other"),
];

/// The outward code of a postcode (`NG7 1AA` → `NG7`): the area shown in contact search.
pub fn postcode_district(postcode: &str) -> String {
    let compact: String = postcode
        .split_whitespace()
        .collect::<String>()
        .to_uppercase();
    if compact.len() > 3 {
        compact[..compact.len() - 3].to_string()
    } else {
        compact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dob(date: NaiveDate, certainty: DobCertainty) -> DateOfBirth {
        DateOfBirth { date, certainty }
    }

    #[test]
    fn age_counts_whole_years_and_birthdays() {
        let today = d(2026, 11, 22);
        assert_eq!(
            dob(d(2012, 11, 22), DobCertainty::Exact).age_on(today),
            Age::Years(14)
        );
        assert_eq!(
            dob(d(2012, 11, 23), DobCertainty::Exact).age_on(today),
            Age::Years(13)
        );
        assert_eq!(
            dob(d(2016, 6, 1), DobCertainty::Estimated).age_on(today),
            Age::Years(10)
        );
    }

    #[test]
    fn an_expected_baby_is_unborn_until_the_date() {
        let today = d(2026, 11, 22);
        assert_eq!(
            dob(d(2027, 3, 1), DobCertainty::Expected).age_on(today),
            Age::Unborn
        );
        assert_eq!(
            dob(d(2026, 11, 1), DobCertainty::Expected).age_on(today),
            Age::Years(0)
        );
        assert!(Age::Unborn.is_child());
        assert!(!Age::Years(18).is_child());
    }

    #[test]
    fn impossible_dates_are_refused() {
        let today = d(2026, 11, 22);
        assert!(
            dob(d(2026, 12, 1), DobCertainty::Exact)
                .check(today)
                .is_err(),
            "born in the future"
        );
        assert!(dob(d(2026, 12, 1), DobCertainty::Expected)
            .check(today)
            .is_ok());
        assert!(dob(d(2028, 1, 1), DobCertainty::Expected)
            .check(today)
            .is_err());
        assert!(dob(d(1890, 1, 1), DobCertainty::Exact)
            .check(today)
            .is_err());
        assert!(dob(d(2010, 1, 1), DobCertainty::Estimated)
            .check(today)
            .is_ok());
    }
}
