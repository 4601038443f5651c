//! The keys Hearth stores with each person so that find-before-create can fetch candidates
//! by index (blocking): the Soundex of a surname and of a canonical given name, names in
//! lower case, and compact postcodes. They are written into the database, so changing how one
//! is computed means re-keying every stored person; scoring ([`crate::find`]) is free to
//! change and does not depend on them.

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
    match soundex_code(word) {
        [0, ..] => String::new(),
        code => code.iter().map(|&b| char::from(b)).collect(),
    }
}

/// [`soundex`] as four ASCII bytes, without allocating (all zeros for a word with no letter
/// a–z), for comparing in a loop.
pub fn soundex_code(word: &str) -> [u8; 4] {
    let code = |c: u8| match c {
        b'b' | b'f' | b'p' | b'v' => b'1',
        b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
        b'd' | b't' => b'3',
        b'l' => b'4',
        b'm' | b'n' => b'5',
        b'r' => b'6',
        _ => b'0',
    };
    let mut letters = word.bytes().filter(u8::is_ascii_lowercase);
    let Some(first) = letters.next() else {
        return [0; 4];
    };
    let mut out = [first.to_ascii_uppercase(), b'0', b'0', b'0'];
    let mut len = 1;
    let mut last = code(first);
    for c in letters {
        let d = code(c);
        if d != b'0' && d != last {
            out[len] = d;
            len += 1;
            if len == 4 {
                break;
            }
        }
        if c != b'h' && c != b'w' {
            last = d;
        }
    }
    out
}

/// Groups of given names that share a key: short forms and common spellings. Frozen with the
/// stored keys; the scorer's own, larger table ([`crate::nicknames`]) groups every pair these
/// do (a test checks), so a candidate fetched by this key is always recognised as a variant.
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
    crate::postcode::compact(postcode)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_scorer_knows_every_group_the_key_makes() {
        for group in NAME_GROUPS {
            for a in *group {
                for b in *group {
                    assert!(
                        crate::nicknames::are_variants(a, b),
                        "{a} and {b} share a key but the scorer does not group them"
                    );
                }
            }
        }
    }

    #[test]
    fn accents_and_punctuation_are_folded() {
        assert_eq!(normalise("  Zoë  O'Brien-Łukasz "), "zoe obrien lukasz");
    }
}
