//! Find-before-create matching: how likely a person already on the record is the one being
//! added, and why, in words a practitioner can check. One interface ([`score`]) so the
//! engine can be swapped for the record-linkage crate when it lands.

use chrono::{Datelike, NaiveDate};

/// Names and details typed into a search.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub postcode: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

/// A person on the record, with every name they have been known by.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub names: Vec<(String, String)>,
    pub dob: Option<NaiveDate>,
    pub postcodes: Vec<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// 0–100: how strongly the evidence points to the same person.
    pub score: u32,
    /// Why, strongest first: "same date of birth", "Bill is a short form of William".
    pub reasons: Vec<String>,
}

/// Scores below this are not shown as likely matches.
pub const SHOW_FROM: u32 = 35;

/// Lower case letters only (accents folded where simple), words separated by single spaces.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_alphabetic() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            gap = false;
        } else if c != '\'' {
            gap = true;
        }
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' | 'ă' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ę' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' | 'ć' => 'c',
        'ł' => 'l',
        'ń' | 'ñ' => 'n',
        'ś' | 'ș' | 'ş' => 's',
        'ț' | 'ţ' => 't',
        'ź' | 'ż' => 'z',
        other => other,
    }
}

/// American Soundex of a word: names that sound alike share it (Smith/Smyth, Mohammed/Muhammad).
pub fn soundex(word: &str) -> String {
    let code = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => '1',
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => '2',
        'd' | 't' => '3',
        'l' => '4',
        'm' | 'n' => '5',
        'r' => '6',
        _ => '0',
    };
    let letters: Vec<char> = word.chars().filter(|c| c.is_ascii_lowercase()).collect();
    let Some(first) = letters.first() else {
        return String::new();
    };
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(*first);
    for &c in &letters[1..] {
        let d = code(c);
        if d != '0' && d != last {
            out.push(d);
            if out.len() == 4 {
                break;
            }
        }
        if c != 'h' && c != 'w' {
            last = d;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

/// Groups of names that are the same name: short forms and common spellings.
const NAME_GROUPS: &[&[&str]] = &[
    &["william", "bill", "billy", "will", "willy", "liam"],
    &["robert", "bob", "bobby", "rob", "robbie", "bert"],
    &[
        "elizabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "eliza",
        "elisabeth",
        "libby",
    ],
    &["margaret", "maggie", "meg", "peggy", "marge"],
    &["richard", "rick", "ricky", "dick", "rich"],
    &["james", "jim", "jimmy", "jamie"],
    &["john", "jack", "johnny", "jon"],
    &[
        "mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohd",
    ],
    &[
        "katherine",
        "catherine",
        "kathryn",
        "kate",
        "katie",
        "kathy",
        "cathy",
        "kat",
    ],
    &[
        "alexander",
        "alex",
        "sandy",
        "xander",
        "alexandr",
        "aleksander",
    ],
    &["alexandra", "alex", "sasha", "aleksandra", "alexandria"],
    &["thomas", "tom", "tommy"],
    &["joseph", "joe", "joey", "jo"],
    &["daniel", "dan", "danny"],
    &["michael", "mike", "mikey", "mick", "mickey", "michal"],
    &["christopher", "chris", "kit"],
    &["jennifer", "jen", "jenny"],
    &["rebecca", "becky", "becca"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammie"],
    &["anthony", "tony", "antony"],
    &["edward", "ed", "eddie", "ted", "teddy"],
    &["charlotte", "charlie", "lottie"],
    &["charles", "charlie", "chas", "chuck"],
    &["oliver", "ollie", "olly"],
    &["benjamin", "ben", "benny"],
    &["matthew", "matt", "matty"],
    &["nicholas", "nick", "nicky"],
    &["jessica", "jess", "jessie"],
    &["victoria", "vicky", "tori"],
    &["abigail", "abbie", "abby", "gail"],
    &["ahmed", "ahmad", "ahmet"],
    &["yusuf", "youssef", "yousef", "joseph"],
    &["fatima", "fatimah", "fatma"],
    &["aisha", "ayesha", "aysha", "aishah"],
    &["ibrahim", "ebrahim", "abraham"],
    &["zainab", "zaynab", "zeinab"],
    &["gurpreet", "gurprit"],
    &["harpreet", "harprit"],
    &["andrzej", "andrew", "andy", "drew"],
    &["krzysztof", "christopher"],
    &["ioan", "ion", "john"],
    &["maria", "mariya", "marie", "mary"],
    &["patrick", "pat", "paddy"],
    &["patricia", "pat", "patty", "trish"],
    &["susan", "sue", "susie", "suzanne"],
    &["deborah", "debbie", "debra", "deb"],
    &["jacqueline", "jackie", "jacquie"],
    &["stephen", "steven", "steve", "stevie"],
    &["jonathan", "jon", "jonny", "nathan"],
    &["nathaniel", "nathan", "nat"],
    &["leonard", "leo", "len", "lenny"],
];

/// The canonical form of a given name: its group's first name, or itself.
pub fn canonical_given(name: &str) -> &str {
    NAME_GROUPS
        .iter()
        .find(|g| g.contains(&name))
        .map(|g| g[0])
        .unwrap_or(name)
}

fn same_name_group(a: &str, b: &str) -> bool {
    a != b && NAME_GROUPS.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// The blocking key of a family name: Soundex of its first part.
pub fn family_key(family_name: &str) -> String {
    soundex(
        normalise(family_name)
            .split([' ', '-'])
            .next()
            .unwrap_or(""),
    )
}

/// The blocking key of given names: Soundex of the canonical first given name.
pub fn given_key(given_names: &str) -> String {
    let n = normalise(given_names);
    soundex(canonical_given(n.split(' ').next().unwrap_or("")))
}

/// Upper case, no spaces: `ng7 1aa` → `NG71AA`.
pub fn postcode_key(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

/// The sector of a postcode key: everything but the last two characters (`NG71AA` → `NG71A`).
fn postcode_sector(key: &str) -> Option<&str> {
    (key.len() >= 5).then(|| &key[..key.len() - 2])
}

struct NameEvidence {
    points: u32,
    reason: String,
}

fn compare_word(query: &str, candidate: &str, what: &str) -> Option<NameEvidence> {
    if query.is_empty() || candidate.is_empty() {
        return None;
    }
    if query == candidate {
        return Some(NameEvidence {
            points: 25,
            reason: format!("same {what}"),
        });
    }
    if same_name_group(query, candidate) {
        return Some(NameEvidence {
            points: 20,
            reason: format!(
                "{what}: {} and {} are the same name",
                title(query),
                title(candidate)
            ),
        });
    }
    let jw = strsim::jaro_winkler(query, candidate);
    if jw >= 0.9 {
        return Some(NameEvidence {
            points: 17,
            reason: format!(
                "{what} spelt similarly ({} / {})",
                title(query),
                title(candidate)
            ),
        });
    }
    if soundex(query) == soundex(candidate) {
        return Some(NameEvidence {
            points: 14,
            reason: format!(
                "{what} sounds alike ({} / {})",
                title(query),
                title(candidate)
            ),
        });
    }
    if jw >= 0.82 {
        return Some(NameEvidence {
            points: 10,
            reason: format!(
                "{what} partly similar ({} / {})",
                title(query),
                title(candidate)
            ),
        });
    }
    None
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Best evidence for a name part, comparing each word typed with each word held.
fn best_name(query: &str, candidate: &str, what: &str) -> Option<NameEvidence> {
    let q: Vec<&str> = query.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let c: Vec<&str> = candidate
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    q.iter()
        .flat_map(|qw| c.iter().filter_map(move |cw| compare_word(qw, cw, what)))
        .max_by_key(|e| e.points)
}

fn dob_evidence(query: NaiveDate, candidate: NaiveDate) -> Option<(u32, String)> {
    if query == candidate {
        return Some((30, "same date of birth".into()));
    }
    if query.day() == candidate.month()
        && query.month() == candidate.day()
        && query.year() == candidate.year()
    {
        return Some((22, "date of birth with day and month swapped".into()));
    }
    let qs = query.format("%Y%m%d").to_string();
    let cs = candidate.format("%Y%m%d").to_string();
    let differing = qs.bytes().zip(cs.bytes()).filter(|(a, b)| a != b).count();
    if differing == 1 {
        return Some((18, "date of birth differs by one digit".into()));
    }
    let transposed = (0..7).any(|i| {
        let mut b = qs.clone().into_bytes();
        b.swap(i, i + 1);
        b == cs.as_bytes()
    });
    if transposed {
        return Some((18, "date of birth with two digits transposed".into()));
    }
    if query.month() == candidate.month()
        && query.day() == candidate.day()
        && (query.year() - candidate.year()).abs() == 1
    {
        return Some((12, "date of birth a year apart".into()));
    }
    None
}

/// How strongly `candidate` looks like the person described by `query`, and why.
/// `None` when there is nothing in common worth showing.
pub fn score(query: &PersonQuery, candidate: &Candidate) -> Option<Match> {
    let mut points = 0u32;
    let mut reasons: Vec<(u32, String)> = Vec::new();
    let mut add = |p: u32, reason: String| {
        points += p;
        reasons.push((p, reason));
    };

    let same_id = |q: &Option<String>, c: &Option<String>| matches!((q, c), (Some(a), Some(b)) if !a.is_empty() && a == b);
    if same_id(&query.nhs_number, &candidate.nhs_number) {
        add(60, "same NHS number".into());
    }
    if same_id(&query.upn, &candidate.upn) {
        add(60, "same UPN".into());
    }

    let qg = normalise(&query.given_names);
    let qf = normalise(&query.family_name);
    let mut best: (u32, Vec<NameEvidence>) = (0, Vec::new());
    for (i, (given, family)) in candidate.names.iter().enumerate() {
        let cg = normalise(given);
        let cf = normalise(family);
        let straight = [
            best_name(&qg, &cg, "first name"),
            best_name(&qf, &cf, "surname"),
        ];
        let swapped = [
            best_name(&qg, &cf, "first name and surname swapped:"),
            best_name(&qf, &cg, "surname"),
        ];
        for (option, penalty) in [(straight, 0), (swapped, 8)] {
            let total: u32 = option
                .iter()
                .flatten()
                .map(|e| e.points)
                .sum::<u32>()
                .saturating_sub(penalty);
            if total > best.0 {
                let mut evidence: Vec<NameEvidence> = option.into_iter().flatten().collect();
                if i > 0 {
                    for e in &mut evidence {
                        e.reason = format!("{} (a previous or other name)", e.reason);
                    }
                }
                best = (total, evidence);
            }
        }
    }
    for e in best.1 {
        add(e.points, e.reason);
    }

    if let (Some(q), Some(c)) = (query.dob, candidate.dob) {
        if let Some((p, r)) = dob_evidence(q, c) {
            add(p, r);
        }
    }

    if let Some(qp) = query
        .postcode
        .as_deref()
        .map(postcode_key)
        .filter(|k| !k.is_empty())
    {
        let keys: Vec<String> = candidate
            .postcodes
            .iter()
            .map(|p| postcode_key(p))
            .collect();
        if keys.contains(&qp) {
            add(12, "same postcode".into());
        } else if let Some(sector) = postcode_sector(&qp) {
            if keys.iter().any(|k| postcode_sector(k) == Some(sector)) {
                add(6, "same postcode sector".into());
            }
        }
    }

    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    (points > 0).then(|| Match {
        score: points.min(100),
        reasons: reasons.into_iter().map(|(_, r)| r).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn candidate(given: &str, family: &str, dob: &str, postcode: &str) -> Candidate {
        Candidate {
            names: vec![(given.into(), family.into())],
            dob: d(dob),
            postcodes: vec![postcode.into()],
            ..Candidate::default()
        }
    }

    fn query(given: &str, family: &str, dob: &str, postcode: &str) -> PersonQuery {
        PersonQuery {
            given_names: given.into(),
            family_name: family.into(),
            dob: d(dob),
            postcode: Some(postcode.into()),
            ..PersonQuery::default()
        }
    }

    #[test]
    fn soundex_groups_names_that_sound_alike() {
        assert_eq!(soundex("robert"), "R163");
        assert_eq!(soundex("rupert"), "R163");
        assert_eq!(soundex("smith"), soundex("smyth"));
        assert_eq!(family_key("O'Connor-Smith"), soundex("oconnor"));
        assert_eq!(given_key("Bill"), given_key("William James"));
        assert_eq!(postcode_key(" ng7 1aa"), "NG71AA");
    }

    #[test]
    fn the_same_person_typed_differently_scores_high_with_reasons() {
        let held = candidate("William", "Smith", "2012-03-04", "NG7 1AA");
        let m = score(&query("Bill", "Smyth", "2012-04-03", "NG71AA"), &held).unwrap();
        assert!(m.score >= 60, "{m:?}");
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("Bill and William are the same name")),
            "{m:?}"
        );
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("day and month swapped")),
            "{m:?}"
        );
        assert!(m.reasons.iter().any(|r| r == "same postcode"), "{m:?}");
    }

    #[test]
    fn transliterations_and_typos_in_dates_are_recognised() {
        let held = candidate("Mohammed", "Khan", "2010-11-25", "NG7 5AB");
        let m = score(
            &PersonQuery {
                dob: d("2010-12-25"),
                ..query("Muhammad", "Khan", "", "NG7 5AB")
            },
            &held,
        )
        .unwrap();
        assert!(
            m.reasons.iter().any(|r| r.contains("differs by one digit")),
            "{m:?}"
        );
        assert!(m.score >= SHOW_FROM);
    }

    #[test]
    fn a_stranger_with_a_common_surname_does_not_reach_the_threshold() {
        let held = candidate("Grace", "Smith", "1985-01-01", "NG1 1AA");
        let m = score(&query("Oliver", "Smith", "2015-06-07", "NG11 9ZZ"), &held).unwrap();
        assert!(m.score < SHOW_FROM, "{m:?}");
    }

    #[test]
    fn a_previous_surname_and_swapped_names_still_match() {
        let held = Candidate {
            names: vec![
                ("Amy".into(), "Jones".into()),
                ("Amy".into(), "Taylor".into()),
            ],
            dob: d("2008-02-02"),
            ..Candidate::default()
        };
        let m = score(&query("Amy", "Taylor", "2008-02-02", ""), &held).unwrap();
        assert!(m.score >= 75, "{m:?}");
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("previous or other name")),
            "{m:?}"
        );
        let swapped = score(&query("Jones", "Amy", "2008-02-02", ""), &held).unwrap();
        assert!(
            swapped.reasons.iter().any(|r| r.contains("swapped")),
            "{swapped:?}"
        );
    }

    #[test]
    fn an_nhs_number_match_is_decisive() {
        let held = Candidate {
            nhs_number: Some("9434765919".into()),
            ..candidate("Jo", "Bloggs", "2001-01-01", "")
        };
        let q = PersonQuery {
            nhs_number: Some("9434765919".into()),
            ..PersonQuery::default()
        };
        let m = score(&q, &held).unwrap();
        assert_eq!(m.reasons[0], "same NHS number");
        assert!(m.score >= 60);
    }

    #[test]
    fn accents_and_punctuation_are_folded() {
        assert_eq!(normalise("  Zoë  O'Brien-Łukasz "), "zoe obrien lukasz");
    }
}
