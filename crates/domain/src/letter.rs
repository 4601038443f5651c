//! Letters to a family (ADR 0043): the family plan, an invitation to a Team Around the Family
//! meeting and the letter when help ends, each from a template the partnership words in the
//! family's language, with placeholders in braces (`{family}`) filled from the record.

use crate::message::Language;

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    FamilyPlan,
    TafInvitation,
    Closure,
}

impl LetterKind {
    pub const ALL: [LetterKind; 3] = [
        LetterKind::FamilyPlan,
        LetterKind::TafInvitation,
        LetterKind::Closure,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LetterKind::FamilyPlan => "family_plan",
            LetterKind::TafInvitation => "taf_invitation",
            LetterKind::Closure => "closure",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::FamilyPlan => "The family plan",
            LetterKind::TafInvitation => "Invitation to a Team Around the Family meeting",
            LetterKind::Closure => "Letter when help ends",
        }
    }

    /// The placeholders this letter may use, each with what it stands for.
    pub fn placeholders(self) -> &'static [(&'static str, &'static str)] {
        const FAMILY: (&str, &str) = ("family", "the names of the family's members");
        const LEAD: (&str, &str) = ("lead", "the lead professional");
        const PARTNERSHIP: (&str, &str) = ("partnership", "the partnership's name");
        const DATE: (&str, &str) = ("date", "the day the letter is made");
        match self {
            LetterKind::FamilyPlan => &[
                FAMILY,
                LEAD,
                PARTNERSHIP,
                DATE,
                ("plan", "the plan's outcomes and actions, one to a line"),
            ],
            LetterKind::TafInvitation => &[
                FAMILY,
                LEAD,
                PARTNERSHIP,
                DATE,
                ("meeting", "the day of the next meeting (review)"),
            ],
            LetterKind::Closure => &[
                FAMILY,
                LEAD,
                PARTNERSHIP,
                DATE,
                ("summary", "what the lead wrote when closing the episode"),
            ],
        }
    }

    /// The wording Hearth ships, used until the partnership saves its own.
    pub fn shipped(self, language: Language) -> &'static str {
        use Language::*;
        use LetterKind::*;
        match (self, language) {
            (FamilyPlan, En) => include_str!("letters/en/family_plan.txt"),
            (FamilyPlan, Ar) => include_str!("letters/ar/family_plan.txt"),
            (FamilyPlan, Ur) => include_str!("letters/ur/family_plan.txt"),
            (FamilyPlan, Pa) => include_str!("letters/pa/family_plan.txt"),
            (FamilyPlan, Ro) => include_str!("letters/ro/family_plan.txt"),
            (FamilyPlan, Pl) => include_str!("letters/pl/family_plan.txt"),
            (TafInvitation, En) => include_str!("letters/en/taf_invitation.txt"),
            (TafInvitation, Ar) => include_str!("letters/ar/taf_invitation.txt"),
            (TafInvitation, Ur) => include_str!("letters/ur/taf_invitation.txt"),
            (TafInvitation, Pa) => include_str!("letters/pa/taf_invitation.txt"),
            (TafInvitation, Ro) => include_str!("letters/ro/taf_invitation.txt"),
            (TafInvitation, Pl) => include_str!("letters/pl/taf_invitation.txt"),
            (Closure, En) => include_str!("letters/en/closure.txt"),
            (Closure, Ar) => include_str!("letters/ar/closure.txt"),
            (Closure, Ur) => include_str!("letters/ur/closure.txt"),
            (Closure, Pa) => include_str!("letters/pa/closure.txt"),
            (Closure, Ro) => include_str!("letters/ro/closure.txt"),
            (Closure, Pl) => include_str!("letters/pl/closure.txt"),
        }
    }
}

/// A family member as the letter's language is chosen from them.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub adult: bool,
    pub first_language: Option<&'a str>,
}

/// The language to write to a family in: the first grown-up's recorded first language that
/// letters are written in, else the first child's, else English.
pub fn family_language(members: &[Member<'_>]) -> Language {
    let recognised = |m: &Member<'_>| {
        let said = m.first_language.map(str::trim).filter(|s| !s.is_empty())?;
        let l = Language::for_first_language(Some(said));
        (l != Language::En || said.to_ascii_lowercase().starts_with("en")).then_some(l)
    };
    members
        .iter()
        .filter(|m| m.adult)
        .chain(members.iter().filter(|m| !m.adult))
        .find_map(recognised)
        .unwrap_or(Language::En)
}

/// What is wrong with a template's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateProblem {
    Empty,
    /// A `{name}` this letter has no value for.
    UnknownPlaceholder(String),
    /// A `{` without its `}`.
    Unclosed,
}

impl TemplateProblem {
    pub fn message(&self, kind: LetterKind) -> String {
        match self {
            TemplateProblem::Empty => "Enter the letter's wording".into(),
            TemplateProblem::UnknownPlaceholder(name) => format!(
                "{{{name}}} is not a placeholder this letter has: use {}",
                kind.placeholders()
                    .iter()
                    .map(|(p, _)| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TemplateProblem::Unclosed => {
                "A placeholder is not closed: each { needs its } (for example {family})".into()
            }
        }
    }
}

/// The template's pieces: text, and placeholders by name.
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateProblem> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(TemplateProblem::Unclosed)?;
        out.push(Piece::Placeholder(after[..close].trim()));
        rest = &after[close + 1..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Checks a template before it is saved: not empty, every placeholder closed and known.
pub fn check(kind: LetterKind, template: &str) -> Result<(), TemplateProblem> {
    if template.trim().is_empty() {
        return Err(TemplateProblem::Empty);
    }
    for p in pieces(template)? {
        if let Piece::Placeholder(name) = p {
            if !kind.placeholders().iter().any(|(k, _)| *k == name) {
                return Err(TemplateProblem::UnknownPlaceholder(name.to_string()));
            }
        }
    }
    Ok(())
}

/// The letter's text: the template with each placeholder replaced by its value (a missing
/// value leaves nothing). Templates are checked when saved, so one that no longer parses is
/// shown as written rather than lost.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let Ok(pieces) = pieces(template) else {
        return template.to_string();
    };
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string(),
            Piece::Placeholder(name) => values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let values = [
            ("family", "Amal Haddad".to_string()),
            ("date", "5 December 2026".into()),
        ];
        for (template, want) in [
            ("Dear {family},", "Dear Amal Haddad,"),
            ("{ family } on {date}", "Amal Haddad on 5 December 2026"),
            ("No placeholders", "No placeholders"),
            ("{lead}.", "."),
            ("Broken {family", "Broken {family"),
        ] {
            assert_eq!(fill(template, &values), want, "{template}");
        }
    }

    #[test]
    fn templates_are_checked_before_saving() {
        let cases = [
            (LetterKind::FamilyPlan, "Dear {family}, {plan}", Ok(())),
            (LetterKind::FamilyPlan, "  ", Err(TemplateProblem::Empty)),
            (
                LetterKind::FamilyPlan,
                "Dear {family}, see you on {meeting}",
                Err(TemplateProblem::UnknownPlaceholder("meeting".into())),
            ),
            (LetterKind::TafInvitation, "On {meeting}", Ok(())),
            (
                LetterKind::Closure,
                "Dear {family",
                Err(TemplateProblem::Unclosed),
            ),
        ];
        for (kind, template, want) in cases {
            assert_eq!(check(kind, template), want, "{template}");
        }
    }

    #[test]
    fn every_shipped_letter_uses_only_its_placeholders_and_names_the_family() {
        for kind in LetterKind::ALL {
            for language in Language::ALL {
                let text = kind.shipped(language);
                assert_eq!(check(kind, text), Ok(()), "{kind:?} {language:?}");
                assert!(text.contains("{family}"), "{kind:?} {language:?}");
            }
        }
    }

    #[test]
    fn letters_go_in_the_grown_ups_language_first() {
        let m = |adult, l: Option<&'static str>| Member {
            adult,
            first_language: l,
        };
        let cases = [
            (
                vec![m(false, Some("Polish")), m(true, Some("Arabic"))],
                Language::Ar,
            ),
            (
                vec![m(false, Some("Arabic")), m(true, Some("English"))],
                Language::En,
            ),
            (vec![m(false, Some("ur")), m(true, None)], Language::Ur),
            (
                vec![m(true, Some("Klingon")), m(true, Some("ro-RO"))],
                Language::Ro,
            ),
            (vec![m(true, Some("Klingon"))], Language::En),
            (vec![], Language::En),
        ];
        for (members, want) in cases {
            assert_eq!(family_language(&members), want, "{members:?}");
        }
    }

    #[test]
    fn an_unknown_placeholder_names_the_ones_to_use() {
        assert_eq!(
            TemplateProblem::UnknownPlaceholder("meeting".into()).message(LetterKind::Closure),
            "{meeting} is not a placeholder this letter has: use {family}, {lead}, {partnership}, {date}, {summary}"
        );
    }
}
