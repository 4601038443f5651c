//! The board's quarterly report (issue 18, item 5): a pack for the steering group and the
//! safeguarding partnership built from the dashboards' own figures, with sections the analyst
//! writes. A draft is edited; publishing freezes the figures and the text as they are, so a
//! published report reads the same whatever the record, the catalogue or the targets become.

use crate::input::FieldErrors;
use crate::insight::{Direction, Quarter, Shown};
use serde::{Deserialize, Serialize};

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// Being written: its figures are the record's as it is now.
    Draft,
    /// Sent to the boards: figures and text frozen, never changed again.
    Published,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "draft" => Some(ReportStatus::Draft),
            "published" => Some(ReportStatus::Published),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Draft",
            ReportStatus::Published => "Published",
        }
    }
}

/// The longest a section may be, in characters (a board pack, not a book).
pub const SECTION_MAX: usize = 20_000;
/// The longest a title may be.
pub const TITLE_MAX: usize = 200;

/// The sections the analyst writes, in the order the report prints them: (field, heading,
/// what the section is for).
pub const SECTIONS: [(&str, &str, &str); 4] = [
    (
        "summary",
        "Summary",
        "The quarter in a few sentences, for a reader who reads nothing else",
    ),
    (
        "going_well",
        "What is going well",
        "Where the figures, audits and families' voices show the help working",
    ),
    (
        "worries",
        "What we are worried about",
        "Figures going the wrong way, gaps and risks, and why they matter",
    ),
    (
        "actions",
        "What we will do",
        "Actions for the coming quarter: what, who and by when",
    ),
];

/// What the analyst wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    pub summary: String,
    pub going_well: String,
    pub worries: String,
    pub actions: String,
}

impl Sections {
    /// The section written for a field of [`SECTIONS`].
    pub fn get(&self, field: &str) -> &str {
        match field {
            "summary" => &self.summary,
            "going_well" => &self.going_well,
            "worries" => &self.worries,
            "actions" => &self.actions,
            _ => "",
        }
    }

    /// What must be fixed before the sections are saved (too long), or published (each
    /// section written: a board reads a pack with a gap as a pack with nothing to say).
    pub fn check(&self, title: &str, publishing: bool) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let title = title.trim();
        if title.is_empty() {
            errors.add("title", "Enter a title for the report");
        } else if title.chars().count() > TITLE_MAX {
            errors.add(
                "title",
                format!("The title must be {TITLE_MAX} characters or fewer"),
            );
        }
        for (field, heading, _) in SECTIONS {
            let text = self.get(field).trim();
            if text.chars().count() > SECTION_MAX {
                errors.add(
                    field,
                    format!("{heading} must be {SECTION_MAX} characters or fewer"),
                );
            } else if publishing && text.is_empty() {
                errors.add(
                    field,
                    format!(
                        "Write the section \u{201c}{heading}\u{201d} before publishing the report"
                    ),
                );
            }
        }
        errors
    }
}

/// The title a new report starts with.
pub fn default_title(quarter: Quarter) -> String {
    format!("Family Help quarterly report, {}", quarter.label())
}

/// The quarters a report's trends show: the report's quarter and the three before it.
pub const TREND_QUARTERS: usize = 4;

/// A quarter as a report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenQuarter {
    pub code: String,
    pub label: String,
}

/// One quarter's figure as the report shows it (suppressed or not, as it was then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenFigure {
    pub text: String,
    pub value: Option<f64>,
}

impl From<&Shown> for FrozenFigure {
    fn from(shown: &Shown) -> Self {
        Self {
            text: shown.text(),
            value: shown.value(),
        }
    }
}

/// One indicator as the report shows it: its definition, target, baseline, national average,
/// direction and the trend, in words as they were on the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenLine {
    pub code: String,
    pub title: String,
    pub numerator: String,
    pub denominator: Option<String>,
    pub direction: String,
    pub target: Option<String>,
    pub baseline: Option<String>,
    pub national_average: Option<String>,
    pub frequency: String,
    /// One per quarter of [`FrozenFigures::quarters`], oldest first.
    pub figures: Vec<FrozenFigure>,
    /// The latest quarter against the one before, read against the direction.
    pub change: String,
}

/// The figures of a report: computed afresh for a draft, kept as published once published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenFigures {
    /// Oldest first; the last is the report's quarter.
    pub quarters: Vec<FrozenQuarter>,
    pub lines: Vec<FrozenLine>,
    /// Counts under this were hidden (the pack goes outside the council).
    pub suppressed_below: u64,
}

/// Which way is better, in words a board member reads.
pub fn direction_words(direction: Direction) -> &'static str {
    match direction {
        Direction::Increase => "Higher is better",
        Direction::Reduce => "Lower is better",
        Direction::Monitor => "A volume to watch",
    }
}

/// The change from one quarter to the next in words, read against the indicator's
/// direction: "Up: better", "Down: worse", "No change", "Up" (a volume to watch).
pub fn change_words(direction: Direction, previous: Option<f64>, latest: Option<f64>) -> String {
    let (Some(before), Some(now)) = (previous, latest) else {
        return "No comparison".into();
    };
    // Figures are shown to one decimal place: a smaller move is no change to the reader.
    if (now - before).abs() < 0.05 {
        return "No change".into();
    }
    let up = now > before;
    let word = if up { "Up" } else { "Down" };
    match (direction, up) {
        (Direction::Monitor, _) => word.into(),
        (Direction::Increase, true) | (Direction::Reduce, false) => format!("{word}: better"),
        (Direction::Increase, false) | (Direction::Reduce, true) => format!("{word}: worse"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_read_against_the_indicators_direction() {
        let cases = [
            (Direction::Increase, Some(80.0), Some(85.0), "Up: better"),
            (Direction::Increase, Some(85.0), Some(80.0), "Down: worse"),
            (Direction::Reduce, Some(25.0), Some(20.0), "Down: better"),
            (Direction::Reduce, Some(20.0), Some(25.0), "Up: worse"),
            (Direction::Monitor, Some(120.0), Some(140.0), "Up"),
            (Direction::Monitor, Some(140.0), Some(120.0), "Down"),
            (Direction::Increase, Some(80.0), Some(80.04), "No change"),
            (Direction::Reduce, None, Some(20.0), "No comparison"),
            (Direction::Reduce, Some(20.0), None, "No comparison"),
        ];
        for (direction, before, now, words) in cases {
            assert_eq!(
                change_words(direction, before, now),
                words,
                "{direction:?} {before:?} → {now:?}"
            );
        }
    }

    #[test]
    fn a_draft_may_have_gaps_but_a_published_report_may_not() {
        let mut s = Sections {
            summary: "A steady quarter.".into(),
            ..Sections::default()
        };
        assert!(s.check("Q1 report", false).is_empty());
        let errors = s.check("Q1 report", true);
        assert_eq!(errors.get("summary"), None);
        assert_eq!(
            errors.get("worries"),
            Some("Write the section \u{201c}What we are worried about\u{201d} before publishing the report")
        );
        assert!(errors.get("going_well").is_some() && errors.get("actions").is_some());
        s.actions = "x".repeat(SECTION_MAX + 1);
        assert_eq!(
            s.check("Q1 report", false).get("actions"),
            Some("What we will do must be 20000 characters or fewer")
        );
        assert_eq!(
            s.check("  ", false).get("title"),
            Some("Enter a title for the report")
        );
    }
}
