//! The words a family's keyword search understands, in the six languages of the family pages.
//!
//! A service is found by *tokens*: its words as written, their English stems (Snowball), and
//! the needs it meets, each as `~code` (the need's code in [`NEEDS`]; `~` is never part of a
//! typed word, so the two never mix). A search is turned into tokens the same way: every
//! phrase the vocabulary knows ("parenting course", "والدین", "bank żywności") becomes its
//! need's token, a word the vocabulary marks as ignorable ("help", "مدد", "of") is dropped
//! when anything else is left, and every other word becomes its stem, which matches the
//! services whose tokens start with it. The same analysis runs over a service's text when it is
//! saved, so "Parents' group" is found by "parenting" and the phrase's need alike.
//!
//! Phrases come from the shipped lists (`crates/domain/vocabulary/*.txt`, one per language)
//! and from the partnership's own file (`directory_synonyms`), both in the format that
//! [`Vocabulary::parse`] reads. Words are compared after [`fold`]ing, and, in the languages
//! Snowball has (English, Arabic, Romanian), by their stems; in Urdu, Punjabi and Polish a
//! phrase's word ending in `*` matches every word that starts with it (`rodzic*`).

use crate::directory::NEEDS;
use rust_stemmers::{Algorithm, Stemmer};
use sha2::{Digest, Sha256};
use std::fmt;

/// The longest word kept, in characters: longer runs are cut (nobody searches for them whole).
pub const MAX_SEARCH_WORD_CHARS: usize = 40;
/// The most words of a text indexed: a description longer than this is not searched past it.
pub const MAX_SEARCH_WORDS: usize = 400;
/// The most tokens a search looks for; words past them are not searched.
pub const MAX_QUERY_TOKENS: usize = 10;
/// What starts a need's token.
pub const NEED_MARK: char = '~';

/// The languages of the family pages, as the vocabulary's sections name them.
pub const LANGUAGES: [&str; 6] = ["en", "ar", "ur", "pa", "ro", "pl"];

/// The shipped lists, one per language.
const SHIPPED: [&str; 6] = [
    include_str!("../vocabulary/en.txt"),
    include_str!("../vocabulary/ar.txt"),
    include_str!("../vocabulary/ur.txt"),
    include_str!("../vocabulary/pa.txt"),
    include_str!("../vocabulary/ro.txt"),
    include_str!("../vocabulary/pl.txt"),
];

/// What a known phrase stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Meaning {
    /// A need, by its code.
    Need(&'static str),
    /// Nothing to search for ("help", "of") unless nothing else is asked.
    Ignorable,
}

/// One known phrase: its words' keys in its language, each matching exactly or, ending in
/// `*`, as a beginning.
#[derive(Debug, Clone)]
struct Phrase {
    language: usize,
    keys: Vec<Key>,
    meaning: Meaning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Exact(String),
    Prefix(String),
}

impl Key {
    /// An exact word says more than any beginning; a longer beginning more than a shorter.
    fn exactness(&self) -> usize {
        match self {
            Key::Exact(_) => MAX_SEARCH_WORD_CHARS + 1,
            Key::Prefix(p) => p.chars().count(),
        }
    }

    fn matches(&self, key: &str) -> bool {
        match self {
            Key::Exact(k) => k == key,
            Key::Prefix(p) => key.starts_with(p.as_str()),
        }
    }
}

/// A line of a vocabulary file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabularyError {
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for VocabularyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for VocabularyError {}

/// The phrases keyword search knows: the shipped ones and the partnership's.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    phrases: Vec<Phrase>,
    fingerprint: String,
}

impl Default for Vocabulary {
    /// The shipped lists alone.
    fn default() -> Self {
        Self::with_additions("").unwrap_or_else(|_| Self {
            phrases: Vec::new(),
            fingerprint: String::new(),
        })
    }
}

impl Vocabulary {
    /// The shipped lists and then `additions` (a partnership's file, in the same format).
    pub fn with_additions(additions: &str) -> Result<Self, VocabularyError> {
        let mut phrases = Vec::new();
        let mut hash = Sha256::new();
        // The analysis itself is part of what the index depends on: a change to it must
        // re-index as a change to the lists does.
        hash.update(b"hearth-vocabulary-1\n");
        for text in SHIPPED.iter().chain(std::iter::once(&additions)) {
            phrases.extend(Self::parse(text)?);
            hash.update(text.as_bytes());
            hash.update(b"\n\x00\n");
        }
        Ok(Self {
            phrases,
            fingerprint: hex::encode(hash.finalize()),
        })
    }

    /// Reads a vocabulary file: `[code]` starts a language's section (en, ar, ur, pa, ro,
    /// pl), `phrase = need` maps a phrase to a need's code, `phrase = -` marks it ignorable,
    /// `#` starts a comment.
    fn parse(text: &str) -> Result<Vec<Phrase>, VocabularyError> {
        let mut language = None;
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let err = |problem: String| VocabularyError {
                line: n + 1,
                problem,
            };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(code) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                language = Some(
                    LANGUAGES
                        .iter()
                        .position(|l| *l == code.trim())
                        .ok_or_else(|| {
                            err(format!(
                                "unknown language [{code}]: use one of {LANGUAGES:?}"
                            ))
                        })?,
                );
                continue;
            }
            let language =
                language.ok_or_else(|| err("a phrase before any [language] line".into()))?;
            let (phrase, target) = line
                .split_once('=')
                .ok_or_else(|| err(format!("no '=' in \"{line}\"")))?;
            let meaning = match target.trim() {
                "-" => Meaning::Ignorable,
                code => Meaning::Need(
                    NEEDS
                        .terms
                        .iter()
                        .find(|t| t.code == code)
                        .map(|t| t.code)
                        .ok_or_else(|| err(format!("\"{code}\" is not a need's code or '-'")))?,
                ),
            };
            let keys: Vec<Key> = phrase
                .split_whitespace()
                .flat_map(|w| {
                    let prefix = w.ends_with('*');
                    words(w.trim_end_matches('*'))
                        .into_iter()
                        .map(move |w| (w, prefix))
                        .collect::<Vec<_>>()
                })
                .map(|(w, prefix)| match prefix {
                    true => Key::Prefix(w),
                    false => Key::Exact(key(&w, language)),
                })
                .collect();
            if keys.is_empty() {
                return Err(err("no words before '='".into()));
            }
            out.push(Phrase {
                language,
                keys,
                meaning,
            });
        }
        Ok(out)
    }

    /// Changes whenever the tokens a text gives may change: the index is rebuilt then.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The tokens a service is found by, from its text in `language` (a code of
    /// [`LANGUAGES`]; English when unknown) and the codes of the needs it meets.
    pub fn service_tokens<'a>(
        &self,
        texts: impl IntoIterator<Item = (&'a str, &'a str)>,
        needs: &[&str],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let add = |t: String, out: &mut Vec<String>| {
            if !out.contains(&t) {
                out.push(t);
            }
        };
        for code in needs {
            if NEEDS.terms.iter().any(|t| t.code == *code) {
                add(need_token(code), &mut out);
            }
        }
        for (text, language) in texts {
            let language = LANGUAGES.iter().position(|l| *l == language).unwrap_or(0);
            let words = words(text);
            for m in self.read(&words, &[language]) {
                if let Some(Meaning::Need(code)) = m.meaning {
                    add(need_token(code), &mut out);
                }
            }
            for w in &words {
                add(w.clone(), &mut out);
                add(key(w, 0), &mut out);
            }
        }
        out.truncate(MAX_SEARCH_WORDS * 3);
        out
    }

    /// The tokens a search looks for, each the beginning of a service's token: a known
    /// phrase in any of the languages gives its need's token; every other word its English
    /// stem; ignorable words are dropped when anything else is left.
    pub fn query_tokens(&self, text: &str) -> Vec<String> {
        let words = words(text);
        let all: Vec<usize> = (0..LANGUAGES.len()).collect();
        let readings = self.read(&words, &all);
        let meaningful = readings
            .iter()
            .any(|r| r.meaning != Some(Meaning::Ignorable));
        let mut out: Vec<String> = Vec::new();
        for r in readings {
            let token = match r.meaning {
                Some(Meaning::Need(code)) => need_token(code),
                Some(Meaning::Ignorable) if meaningful => continue,
                Some(Meaning::Ignorable) | None => key(&words[r.start], 0),
            };
            if !out.contains(&token) {
                out.push(token);
            }
        }
        out.truncate(MAX_QUERY_TOKENS);
        out
    }

    /// Reads `words` left to right, taking at each point the longest phrase of `languages`
    /// that starts there, else the word alone.
    fn read(&self, words: &[String], languages: &[usize]) -> Vec<Reading> {
        // Each word's key in each language, worked out once.
        let keys: Vec<Vec<String>> = words
            .iter()
            .map(|w| (0..LANGUAGES.len()).map(|l| key(w, l)).collect())
            .collect();
        let mut out = Vec::new();
        let mut start = 0;
        while start < words.len() {
            let best = self
                .phrases
                .iter()
                .filter(|p| languages.contains(&p.language))
                .filter(|p| {
                    p.keys.len() <= words.len() - start
                        && p.keys.iter().enumerate().all(|(j, k)| match k {
                            Key::Exact(_) => k.matches(&keys[start + j][p.language]),
                            Key::Prefix(_) => k.matches(&words[start + j]),
                        })
                })
                // The longest; among equals, the most exact ("szkoleni*" before "szkol*"),
                // then a need before an ignorable word.
                .max_by_key(|p| {
                    let exactness: usize = p.keys.iter().map(Key::exactness).sum();
                    (
                        p.keys.len(),
                        exactness,
                        matches!(p.meaning, Meaning::Need(_)),
                    )
                });
            let (meaning, len) = match best {
                Some(p) => (Some(p.meaning.clone()), p.keys.len()),
                None => (None, 1),
            };
            out.push(Reading { start, meaning });
            start += len;
        }
        out
    }
}

/// A stretch of a text read: a known phrase's meaning, or `None` for a word read alone.
struct Reading {
    /// Where it starts, in words.
    start: usize,
    meaning: Option<Meaning>,
}

fn need_token(code: &str) -> String {
    format!("{NEED_MARK}{code}")
}

/// A word's key in a language: its stem where Snowball has the language, else the word.
fn key(word: &str, language: usize) -> String {
    let algorithm = match LANGUAGES[language] {
        "en" => Algorithm::English,
        "ar" => Algorithm::Arabic,
        "ro" => Algorithm::Romanian,
        _ => return word.to_string(),
    };
    Stemmer::create(algorithm).stem(word).into_owned()
}

/// The words of a text, lower-cased and [`fold`]ed, each once, at most [`MAX_SEARCH_WORDS`]
/// of them and [`MAX_SEARCH_WORD_CHARS`] characters each. Marks that belong to a letter
/// (Arabic vowel signs, Gurmukhi's) and the joiners Urdu typing puts inside words do not
/// split a word.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || is_inner_mark(c))) {
        let w: String = fold(w).chars().take(MAX_SEARCH_WORD_CHARS).collect();
        if w.is_empty() || out.contains(&w) {
            continue;
        }
        out.push(w);
        if out.len() == MAX_SEARCH_WORDS {
            break;
        }
    }
    out
}

/// Marks and joiners that are part of the word they are in.
fn is_inner_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // Latin combining accents
        | '\u{0610}'..='\u{061A}' // Arabic signs above and below
        | '\u{064B}'..='\u{065F}' // Arabic vowel marks (harakat), shadda, sukun
        | '\u{0670}'              // superscript alef
        | '\u{06D6}'..='\u{06ED}' // Quranic marks
        | '\u{0A00}'..='\u{0A7F}' // the whole Gurmukhi block: vowel signs, nukta, virama, addak
        | '\u{200C}' | '\u{200D}' // zero-width non-joiner and joiner
    )
}

/// One spelling for the variants people type of the same word: lower case; no Arabic vowel
/// marks, tatweel or joiners; the hamza forms of alef as alef; Urdu's and Arabic's yeh, kaf
/// and heh as one each; Latin letters without their accents (Romanian and Polish are often
/// typed without them).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            '\u{0300}'..='\u{036F}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{0A3C}' => None,
            // Gurmukhi's letters with a nukta, typed as one character or as two: the base
            // letter (the nukta alone is dropped above).
            '\u{0A59}' => Some('\u{0A16}'),
            '\u{0A5A}' => Some('\u{0A17}'),
            '\u{0A5B}' => Some('\u{0A1C}'),
            '\u{0A5E}' => Some('\u{0A2B}'),
            '\u{0A33}' => Some('\u{0A32}'),
            '\u{0A36}' => Some('\u{0A38}'),
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' | 'ی' | 'ې' => Some('ي'),
            'ک' => Some('ك'),
            'ہ' | 'ۃ' | 'ة' | 'ھ' => Some('ه'),
            'ă' | 'â' | 'ą' | 'á' | 'à' | 'ä' => Some('a'),
            'î' | 'í' => Some('i'),
            'ș' | 'ş' | 'ś' => Some('s'),
            'ț' | 'ţ' => Some('t'),
            'ć' | 'ç' => Some('c'),
            'ę' | 'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'ł' => Some('l'),
            'ń' | 'ñ' => Some('n'),
            'ó' | 'ö' => Some('o'),
            'ü' | 'ú' => Some('u'),
            'ź' | 'ż' => Some('z'),
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v() -> Vocabulary {
        Vocabulary::default()
    }

    #[test]
    fn the_shipped_lists_read_and_name_only_real_needs() {
        assert!(Vocabulary::with_additions("").is_ok());
        assert!(v().phrases.len() > 100);
        for (i, _) in LANGUAGES.iter().enumerate() {
            assert!(
                v().phrases.iter().any(|p| p.language == i),
                "no phrases for {}",
                LANGUAGES[i]
            );
        }
    }

    #[test]
    fn no_need_code_starts_another_so_a_token_range_is_one_need() {
        for a in NEEDS.terms {
            for b in NEEDS.terms {
                assert!(
                    a.code == b.code || !b.code.starts_with(a.code),
                    "{}",
                    a.code
                );
            }
        }
    }

    #[test]
    fn words_are_folded_runs_of_letters_and_digits_once_each() {
        assert_eq!(
            words("Drop-in (Parents') group: PARENTS and 0-5s, Café"),
            vec!["drop", "in", "parents", "group", "and", "0", "5s", "cafe"]
        );
        assert_eq!(words("  --  "), Vec::<String>::new());
        assert_eq!(
            words(&"a".repeat(100))[0].chars().count(),
            MAX_SEARCH_WORD_CHARS
        );
        let many: String = (0..1000).map(|n| format!("w{n} ")).collect();
        assert_eq!(words(&many).len(), MAX_SEARCH_WORDS);
        // A shadda or a Gurmukhi vowel sign is inside its word, not a break.
        assert_eq!(words("والتعلّم"), vec!["والتعلم"]);
        assert_eq!(words("ਮਾਪਿਆਂ ਦੀ"), vec!["ਮਾਪਿਆਂ", "ਦੀ"]);
        // Urdu's and Arabic's spellings of the same letters are one.
        assert_eq!(fold("کی"), fold("كي"));
        assert_eq!(fold("żywność"), "zywnosc");
        assert_eq!(fold("Școală"), "scoala");
        // A nukta letter as one character (U+0A5B) or as the letter and the nukta.
        assert_eq!(fold("\u{0A5B}"), fold("\u{0A1C}\u{0A3C}"));
    }

    #[test]
    fn everyday_phrases_find_their_need_in_every_language() {
        let cases = [
            ("parenting course", "~parenting"),
            ("Parenting courses", "~parenting"),
            ("money worries", "~money"),
            ("food bank", "~money"),
            // The family page's own examples, in Urdu and Arabic.
            ("والدین کی مدد", "~parenting"),
            ("کھیل کود", "~play_learning"),
            ("قرض کے بارے میں مشورہ", "~money"),
            ("دعم الوالدين", "~parenting"),
            ("اللعب والتعلّم", "~play_learning"),
            ("نصائح حول الديون", "~money"),
            ("ਮਾਪਿਆਂ ਦੀ ਮਦਦ", "~parenting"),
            ("sprijin pentru părinți", "~parenting"),
            ("bancă de alimente", "~money"),
            ("wsparcie dla rodziców", "~parenting"),
            ("bank żywności", "~money"),
        ];
        for (query, need) in cases {
            assert_eq!(v().query_tokens(query), vec![need.to_string()], "{query}");
        }
    }

    #[test]
    fn other_words_are_their_stems_and_ignorable_words_go_only_beside_others() {
        assert_eq!(v().query_tokens("families"), vec!["famili"]);
        assert_eq!(v().query_tokens("stay and play"), vec!["~play_learning"]);
        assert_eq!(
            v().query_tokens("swimming for toddlers"),
            vec!["swim", "~play_learning"]
        );
        assert_eq!(v().query_tokens("help with swimming"), vec!["swim"]);
        // Asked alone, an ignorable word is searched for.
        assert_eq!(v().query_tokens("help"), vec!["help"]);
        assert_eq!(v().query_tokens(""), Vec::<String>::new());
    }

    #[test]
    fn a_service_is_found_by_its_words_stems_and_needs() {
        let tokens = v().service_tokens(
            [("Families' Parenting Programme for dads", "en")],
            &["wellbeing", "drop_in"],
        );
        for t in [
            "~wellbeing",
            "~parenting",
            "families",
            "famili",
            "programm",
            "dads",
            "dad",
        ] {
            assert!(tokens.contains(&t.to_string()), "{t} in {tokens:?}");
        }
        // Only needs' codes become need tokens.
        assert!(!tokens.contains(&"~drop_in".to_string()));
        // What a search for it looks for is the beginning of one of its tokens.
        for q in ["parenting course", "family", "programmes", "dad"] {
            for t in v().query_tokens(q) {
                assert!(tokens.iter().any(|s| s.starts_with(&t)), "{q}: {t}");
            }
        }
    }

    #[test]
    fn a_partnership_adds_phrases_and_its_mistakes_are_named_by_line() {
        let more = Vocabulary::with_additions("# ours\n[en]\nbumps and babies = infant_feeding\n")
            .map_err(|e| e.to_string());
        let more = more.as_ref().map(|m| m.query_tokens("bumps and babies"));
        assert_eq!(more, Ok(vec!["~infant_feeding".to_string()]));
        assert_ne!(
            Vocabulary::with_additions("[en]\nx = money\n").map(|v| v.fingerprint().to_string()),
            Ok(v().fingerprint().to_string())
        );
        let bad = |text: &str| {
            Vocabulary::with_additions(text)
                .err()
                .map(|e| e.to_string())
        };
        assert_eq!(
            bad("[en]\nfood = groceries"),
            Some("line 2: \"groceries\" is not a need's code or '-'".into())
        );
        assert!(bad("[xx]").is_some_and(|e| e.starts_with("line 1: unknown language")));
        assert!(bad("food = money").is_some_and(|e| e.contains("before any [language]")));
        assert!(bad("[en]\nfood money").is_some_and(|e| e.contains("no '='")));
    }
}
