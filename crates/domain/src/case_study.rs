//! Case studies for the partnership's board: a family's story told by their lead from a
//! closed episode, only with the family's consent, with names and identifying details taken
//! out. The writer confirms the anonymising; Hearth also looks for the family's own names in
//! the text and refuses it if any is there; a second person (a manager of the team that held
//! the episode) reviews it before it is published to the board.

/// Where a case study is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStudyStatus {
    /// Written and waiting for review.
    Submitted,
    /// The reviewer sent it back, saying why; the writer may write it again.
    Returned,
    /// Published to the board.
    Published,
}

impl CaseStudyStatus {
    pub const ALL: [CaseStudyStatus; 3] = [
        CaseStudyStatus::Submitted,
        CaseStudyStatus::Returned,
        CaseStudyStatus::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStudyStatus::Submitted => "submitted",
            CaseStudyStatus::Returned => "returned",
            CaseStudyStatus::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStudyStatus::Submitted => "Waiting for review",
            CaseStudyStatus::Returned => "Returned to the writer",
            CaseStudyStatus::Published => "Published to the board",
        }
    }
}

/// How the family gave their consent to their story being told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentWay {
    InWriting,
    Verbally,
}

impl ConsentWay {
    pub const ALL: [ConsentWay; 2] = [ConsentWay::InWriting, ConsentWay::Verbally];

    pub fn code(self) -> &'static str {
        match self {
            ConsentWay::InWriting => "in_writing",
            ConsentWay::Verbally => "verbally",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentWay::InWriting => "In writing",
            ConsentWay::Verbally => "Verbally, and recorded on the file",
        }
    }
}

/// The words of `names` (given names, family names, aliases of everyone in the family) that
/// appear in `text` as whole words, ignoring case, each once, in the order of `names`. Names
/// of one letter are skipped: an initial is not a name.
pub fn names_in(text: &str, names: &[String]) -> Vec<String> {
    // Words as written ("O'Brien", "Jan-Paweł") and their parts ("Kowalski" in "Kowalski's").
    let mut words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| {
            w.trim_matches(|c| c == '\'' || c == '’' || c == '-')
                .to_lowercase()
        })
        .collect();
    words.extend(
        text.split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase),
    );
    words.retain(|w| !w.is_empty());
    let mut found: Vec<String> = Vec::new();
    for name in names {
        for part in name.split(|c: char| c.is_whitespace() || c == '-') {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            if part.chars().count() < 2 {
                continue;
            }
            let lower = part.to_lowercase();
            if words.contains(&lower) && !found.iter().any(|f| f.to_lowercase() == lower) {
                found.push(part.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_familys_names_are_found_as_whole_words() {
        let names = vec![
            "Anna Kowalska".to_string(),
            "Jan-Paweł Kowalski".to_string(),
            "Al".to_string(),
            "J".to_string(),
        ];
        assert_eq!(
            names_in(
                "The mother (anna) asked for help with KOWALSKI's school.",
                &names
            ),
            ["Anna", "Kowalski"]
        );
        assert_eq!(names_in("Paweł went back to school.", &names), ["Paweł"]);
        assert_eq!(names_in("Kowalska’s son", &names), ["Kowalska"]);
        assert_eq!(
            names_in("Mrs O'Brien said so", &["Siobhan O'Brien".to_string()]),
            ["O'Brien"]
        );
        // Part of a longer word is not the name; nor is an initial.
        assert!(names_in("Annabel and her brother J. talked about alcohol.", &names).is_empty());
        assert_eq!(names_in("Al said so. Al again.", &names), ["Al"]);
        assert!(names_in("A family of four in the north of the city.", &names).is_empty());
    }

    #[test]
    fn codes_read_back() {
        for s in CaseStudyStatus::ALL {
            assert_eq!(CaseStudyStatus::from_code(s.code()), Some(s));
        }
        for w in ConsentWay::ALL {
            assert_eq!(ConsentWay::from_code(w.code()), Some(w));
        }
    }
}
