//! The family's voice during an episode: short surveys at its start, after each Team Around
//! the Family review and at closure, with a version in simpler words for a child or young
//! person (about 8 to 17) on the episode. They travel by the same one-time link as the
//! closure feedback ([`crate::feedback`]): a survey is an invitation with a moment and an
//! audience, and closure's survey for the grown-ups *is* the feedback form with the survey's
//! question added.
//!
//! The questions are the partnership's configuration over these defaults, and versioned: an
//! answer keeps the version and the English wording it was asked in, so changing the words
//! later never changes what an old answer meant.

use std::collections::HashMap;

/// When in the episode the family is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    Start,
    Review,
    Closure,
}

impl Moment {
    pub const ALL: [Moment; 3] = [Moment::Start, Moment::Review, Moment::Closure];

    pub fn code(self) -> &'static str {
        match self {
            Moment::Start => "start",
            Moment::Review => "review",
            Moment::Closure => "closure",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Moment::Start => "Start of the help",
            Moment::Review => "After a review",
            Moment::Closure => "End of the help",
        }
    }
}

/// Who answers: the family's grown-ups, or one child or young person in simpler words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Family,
    Child,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Family, Audience::Child];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Family => "family",
            Audience::Child => "child",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Family => "The family",
            Audience::Child => "A child or young person",
        }
    }
}

/// The ages the children's version is written for, inclusive: younger children are heard
/// through play and their worker, not a form; at 18 the grown-ups' version fits.
pub const CHILD_AGES: (u32, u32) = (8, 17);

/// Whether a child of this age (on the day) is offered the children's version.
pub fn child_may_answer(age: Option<u32>) -> bool {
    age.is_some_and(|a| (CHILD_AGES.0..=CHILD_AGES.1).contains(&a))
}

/// The answers a choice question offers, as stored codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// Better, about the same, worse.
    Better,
    /// Yes, a bit, no.
    YesABitNo,
}

impl Choices {
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Choices::Better => &["better", "same", "worse"],
            Choices::YesABitNo => &["yes", "a_bit", "no"],
        }
    }
}

/// The English words of an answer's code.
pub fn choice_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "better" => "Better",
        "same" => "About the same",
        "worse" => "Worse",
        "yes" => "Yes",
        "a_bit" => "A bit",
        "no" => "No",
        _ => return None,
    })
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Choice(Choices),
    /// Words, up to [`TEXT_LIMIT`] characters. Free text is what workers do not read unless
    /// the partnership allows (ADR 0037).
    Text,
}

/// The longest free-text answer.
pub const TEXT_LIMIT: usize = 2000;

/// The question whose answer feeds the indicator "families who say things are better".
pub const BETTER: &str = "better";

/// One question as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub code: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The English wording (the partnership's, or the default): what an answer keeps.
    pub wording: String,
}

/// The default English wording of each question, per audience. Translations of these are in
/// the families' pages' message files, under `survey-<audience>-<code>`.
fn default_wording(audience: Audience, code: &str) -> &'static str {
    match (audience, code) {
        (Audience::Family, "listened") => "Does your worker listen to what your family needs?",
        (Audience::Family, "clear") => "Do you know what will happen next?",
        (Audience::Family, "better") => {
            "Since the help started, are things better, about the same or worse for your family?"
        }
        (Audience::Family, _) => "Is there anything you want to tell us? (optional)",
        (Audience::Child, "listened") => "Does your worker listen to you?",
        (Audience::Child, "clear") => "Do you know what happens next?",
        (Audience::Child, "better") => "Are things better for you now, about the same, or worse?",
        (Audience::Child, _) => "Anything else you want to say? You can leave this empty.",
    }
}

/// The questions at one moment for one audience: (code, kind, required).
fn default_questions(moment: Moment, audience: Audience) -> Vec<(&'static str, Kind, bool)> {
    use Choices::{Better, YesABitNo};
    match (moment, audience) {
        (Moment::Start, _) => vec![
            ("listened", Kind::Choice(YesABitNo), true),
            ("clear", Kind::Choice(YesABitNo), true),
            ("comment", Kind::Text, false),
        ],
        // Closure's grown-ups already rate the help and say what changed in the feedback
        // form; the survey adds its one question, optional so the form stays as short.
        (Moment::Closure, Audience::Family) => vec![(BETTER, Kind::Choice(Better), false)],
        (Moment::Review | Moment::Closure, _) => vec![
            (BETTER, Kind::Choice(Better), true),
            ("listened", Kind::Choice(YesABitNo), true),
            ("comment", Kind::Text, false),
        ],
    }
}

/// Every question code a survey may use.
pub const QUESTION_CODES: [&str; 4] = ["listened", "clear", BETTER, "comment"];

/// The version of the default wording.
pub const DEFAULT_VERSION: &str = "2026-1";

/// The partnership's surveys: the defaults with its own wording (in English and in any of
/// the families' languages) under its own version, and whether workers may read free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyBook {
    pub version: String,
    /// Workers on the episode read the families' own words too (not only the choices).
    pub workers_read_free_text: bool,
    /// Hearth sends the family's review survey itself when a Team Around the Family review
    /// is recorded (`after_review = yes`, the default), so no review goes unasked.
    pub after_review: bool,
    /// (audience, question code, language code) → wording.
    wording: HashMap<(Audience, String, String), String>,
}

impl Default for SurveyBook {
    fn default() -> Self {
        Self {
            version: DEFAULT_VERSION.into(),
            workers_read_free_text: false,
            after_review: true,
            wording: HashMap::new(),
        }
    }
}

impl SurveyBook {
    /// The defaults changed by the partnership's lines: `version = 2027-1`,
    /// `workers_read_free_text = yes`, `after_review = no`, or `<audience>.<question>.<language> = wording`
    /// (`family.better.en = …`). `#` starts a comment; an error names its line.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let mut book = Self::default();
        let mut changed_wording = false;
        let mut versioned = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |why: &str| format!("line {}: {why}", n + 1);
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| at("expected `key = value`"))?;
            let (key, value) = (key.trim(), value.trim());
            match key {
                "version" if !value.is_empty() => {
                    book.version = value.into();
                    versioned = true;
                }
                "workers_read_free_text" | "after_review" => {
                    let yes = match value {
                        "yes" => true,
                        "no" => false,
                        _ => return Err(at(&format!("{key} is `yes` or `no`"))),
                    };
                    if key == "after_review" {
                        book.after_review = yes;
                    } else {
                        book.workers_read_free_text = yes;
                    }
                }
                _ => {
                    let parts: Vec<&str> = key.split('.').collect();
                    let [audience, code, lang] = parts[..] else {
                        return Err(at("expected `audience.question.language = wording`"));
                    };
                    let audience = Audience::from_code(audience)
                        .ok_or_else(|| at("the audience is `family` or `child`"))?;
                    if !QUESTION_CODES.contains(&code) {
                        return Err(at(&format!("no question `{code}`")));
                    }
                    if !["en", "ar", "ur", "pa", "ro", "pl"].contains(&lang) || value.is_empty() {
                        return Err(at("the language is en, ar, ur, pa, ro or pl, with words"));
                    }
                    book.wording
                        .insert((audience, code.into(), lang.into()), value.into());
                    changed_wording = true;
                }
            }
        }
        // Old answers keep their questions only if new words come under a new version.
        if changed_wording && !versioned {
            return Err("the wording changed: give it a new `version`".into());
        }
        Ok(book)
    }

    /// The questions asked at a moment of an audience, in the partnership's English wording.
    pub fn questions(&self, moment: Moment, audience: Audience) -> Vec<Question> {
        default_questions(moment, audience)
            .into_iter()
            .map(|(code, kind, required)| Question {
                code,
                kind,
                required,
                wording: self
                    .wording
                    .get(&(audience, code.to_string(), "en".to_string()))
                    .cloned()
                    .unwrap_or_else(|| default_wording(audience, code).to_string()),
            })
            .collect()
    }

    /// The partnership's own wording of a question in a language, where it gave one. Where it
    /// changed only the English, the English is shown (a default translation of the old
    /// words would ask something else); otherwise the page uses its default translation.
    pub fn wording_in(&self, audience: Audience, code: &str, lang: &str) -> Option<&str> {
        let key = |l: &str| (audience, code.to_string(), l.to_string());
        self.wording
            .get(&key(lang))
            .or_else(|| self.wording.get(&key("en")))
            .map(String::as_str)
    }
}

/// Why an answer was not taken, per question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question left unanswered, or a choice that is not one of its choices.
    Choose,
    TooLong,
}

/// One question's answer, kept with the question as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub code: String,
    pub asked: String,
    pub answer: String,
}

/// Checks what the family sent (question code → value) against the questions: every
/// required one answered, every choice one of its choices, text within its limit. Unanswered
/// optional questions are left out.
pub fn check(
    questions: &[Question],
    sent: &HashMap<String, String>,
) -> Result<Vec<Given>, Vec<(&'static str, AnswerProblem)>> {
    let mut given = Vec::new();
    let mut problems = Vec::new();
    for q in questions {
        let value = sent.get(q.code).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if q.required {
                problems.push((q.code, AnswerProblem::Choose));
            }
            continue;
        }
        let problem = match q.kind {
            Kind::Choice(c) if !c.codes().contains(&value) => Some(AnswerProblem::Choose),
            Kind::Text if value.chars().count() > TEXT_LIMIT => Some(AnswerProblem::TooLong),
            _ => None,
        };
        match problem {
            Some(p) => problems.push((q.code, p)),
            None => given.push(Given {
                code: q.code.into(),
                asked: q.wording.clone(),
                answer: value.into(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(given)
    } else {
        Err(problems)
    }
}

/// Whether an answer to [`BETTER`] says things are better.
pub fn says_better(answer: &str) -> bool {
    answer == "better"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn each_moment_asks_its_questions_and_children_have_their_own_words() {
        let book = SurveyBook::default();
        let codes = |m, a| -> Vec<&str> { book.questions(m, a).iter().map(|q| q.code).collect() };
        assert_eq!(
            codes(Moment::Start, Audience::Family),
            ["listened", "clear", "comment"]
        );
        assert_eq!(
            codes(Moment::Review, Audience::Child),
            ["better", "listened", "comment"]
        );
        assert_eq!(codes(Moment::Closure, Audience::Family), ["better"]);
        assert!(!book.questions(Moment::Closure, Audience::Family)[0].required);
        let family = &book.questions(Moment::Review, Audience::Family)[0].wording;
        let child = &book.questions(Moment::Review, Audience::Child)[0].wording;
        assert_ne!(family, child);
        assert!(child.split_whitespace().count() < family.split_whitespace().count());
    }

    #[test]
    fn children_from_8_to_17_are_offered_their_version() {
        for (age, offered) in [
            (None, false),
            (Some(7), false),
            (Some(8), true),
            (Some(17), true),
            (Some(18), false),
        ] {
            assert_eq!(child_may_answer(age), offered, "{age:?}");
        }
    }

    #[test]
    fn the_partnership_may_stop_the_automatic_review_survey() {
        let book = SurveyBook::with_overrides("after_review = no\n");
        assert_eq!(book.as_ref().map(|b| b.after_review), Ok(false));
        let wrong = SurveyBook::with_overrides("after_review = sometimes\n");
        assert_eq!(
            wrong.map(|b| b.after_review),
            Err("line 1: after_review is `yes` or `no`".to_string())
        );
    }

    #[test]
    fn the_partnership_changes_the_words_under_a_new_version() {
        let book = SurveyBook::with_overrides(
            "# ours\nversion = 2027-1\nfamily.better.en = Is life better now?\nfamily.better.pl = Czy życie jest teraz lepsze?\nworkers_read_free_text = yes\n",
        )
        .unwrap_or_default();
        assert_eq!(book.version, "2027-1");
        assert!(book.workers_read_free_text);
        assert!(
            book.after_review,
            "sent after each review unless the partnership says no"
        );
        assert_eq!(
            book.questions(Moment::Review, Audience::Family)[0].wording,
            "Is life better now?"
        );
        assert_eq!(
            book.wording_in(Audience::Family, "better", "pl"),
            Some("Czy życie jest teraz lepsze?")
        );
        // Changed only in English: the English shows, not a translation of the old words.
        assert_eq!(
            book.wording_in(Audience::Family, "better", "ar"),
            Some("Is life better now?")
        );
        assert_eq!(book.wording_in(Audience::Child, "better", "ar"), None);
        assert_eq!(
            SurveyBook::with_overrides("family.better.en = New words")
                .err()
                .as_deref(),
            Some("the wording changed: give it a new `version`")
        );
        assert_eq!(
            SurveyBook::with_overrides("version = 2\nfamily.nope.en = x")
                .err()
                .as_deref(),
            Some("line 2: no question `nope`")
        );
        assert!(SurveyBook::with_overrides("version = 2\nfamily.better.fr = x").is_err());
        assert!(SurveyBook::with_overrides("workers_read_free_text = maybe").is_err());
    }

    #[test]
    fn answers_are_checked_and_keep_their_question() {
        let qs = SurveyBook::default().questions(Moment::Review, Audience::Family);
        let ok = check(
            &qs,
            &sent(&[
                ("better", "better"),
                ("listened", "a_bit"),
                ("comment", "  "),
            ]),
        );
        let ok = ok.unwrap_or_default();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].asked, qs[0].wording);
        assert_eq!(ok[1].answer, "a_bit");
        assert_eq!(
            check(
                &qs,
                &sent(&[
                    ("better", "great"),
                    ("comment", &"x".repeat(TEXT_LIMIT + 1))
                ])
            ),
            Err(vec![
                ("better", AnswerProblem::Choose),
                ("listened", AnswerProblem::Choose),
                ("comment", AnswerProblem::TooLong)
            ])
        );
        assert!(says_better("better"));
        assert!(!says_better("same"));
        for c in [Choices::Better, Choices::YesABitNo] {
            for code in c.codes() {
                assert!(choice_label(code).is_some());
            }
        }
    }
}
