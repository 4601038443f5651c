//! Text normalisation: every value is folded once, when a record is prepared, so that the
//! comparison loop only ever sees lower-case ASCII words.

/// Lower-cases, folds common accented Latin letters to ASCII and turns anything that is not a
/// letter or digit into a single space. Apostrophes vanish rather than split, so "O'Brien" and
/// "OBrien" fold alike.
pub fn fold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c == '\'' || c == '\u{2019}' || c == '`' {
            continue;
        }
        let folded = fold_char(c);
        match folded {
            Some(s) => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(s);
            }
            None => pending_space = true,
        }
    }
    out
}

/// One character's ASCII lower-case spelling, or `None` for a separator.
fn fold_char(c: char) -> Option<&'static str> {
    const LOWER: [&str; 26] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
        "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if c.is_ascii_alphabetic() {
        return Some(LOWER[(c.to_ascii_lowercase() as u8 - b'a') as usize]);
    }
    if c.is_ascii_digit() {
        return Some(DIGITS[(c as u8 - b'0') as usize]);
    }
    // The accents people's names actually arrive with in UK agency data (Irish, Polish,
    // Turkish, Portuguese, French, German spellings); anything rarer is treated as a separator.
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ę' | 'Ě' => {
            "e"
        }
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    };
    Some(s)
}

/// A generation marker written after a name: what tells a father from a son who share a name
/// and an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Generation {
    #[default]
    Unmarked,
    Junior,
    Senior,
    Third,
    Fourth,
}

impl Generation {
    fn from_token(token: &str) -> Option<Generation> {
        match token {
            "jr" | "jnr" | "junior" | "ii" | "2nd" => Some(Generation::Junior),
            "sr" | "snr" | "senior" | "i" => Some(Generation::Senior),
            "iii" | "3rd" => Some(Generation::Third),
            "iv" | "4th" => Some(Generation::Fourth),
            _ => None,
        }
    }

    /// Two records whose markers name different generations are different people, however
    /// alike the rest looks. An unmarked record conflicts with nothing.
    pub fn conflicts_with(self, other: Generation) -> bool {
        self != Generation::Unmarked && other != Generation::Unmarked && self != other
    }

    pub fn label(self) -> &'static str {
        match self {
            Generation::Unmarked => "",
            Generation::Junior => "Jr",
            Generation::Senior => "Sr",
            Generation::Third => "III",
            Generation::Fourth => "IV",
        }
    }
}

/// Splits a folded name into words, taking off a trailing generation marker. "i" counts only
/// after another word, so the initial "I" stays a name.
pub fn strip_generation(folded: &str) -> (Vec<&str>, Generation) {
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut generation = Generation::Unmarked;
    while words.len() > 1 {
        let last = words[words.len() - 1];
        match Generation::from_token(last) {
            Some(g) => {
                generation = g;
                words.pop();
            }
            None => break,
        }
    }
    (words, generation)
}

/// Words common to so many addresses that sharing them says nothing about being the same
/// household. Dropped before addresses are compared.
pub fn is_address_filler(word: &str) -> bool {
    matches!(
        word,
        "road"
            | "rd"
            | "street"
            | "st"
            | "avenue"
            | "ave"
            | "lane"
            | "ln"
            | "close"
            | "cl"
            | "drive"
            | "dr"
            | "way"
            | "court"
            | "ct"
            | "crescent"
            | "cres"
            | "place"
            | "pl"
            | "gardens"
            | "gdns"
            | "terrace"
            | "grove"
            | "flat"
            | "apartment"
            | "apt"
            | "house"
            | "the"
            | "of"
            | "and"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("  O'Brien-SMITH "), "obrien smith");
        assert_eq!(fold("Zoë Łukasz"), "zoe lukasz");
        assert_eq!(fold("Smith--Jones"), "smith jones");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn takes_off_generation_markers() {
        assert_eq!(
            strip_generation("john smith jr"),
            (vec!["john", "smith"], Generation::Junior)
        );
        assert_eq!(
            strip_generation("smith snr"),
            (vec!["smith"], Generation::Senior)
        );
        assert_eq!(strip_generation("i"), (vec!["i"], Generation::Unmarked));
        assert_eq!(
            strip_generation("jones"),
            (vec!["jones"], Generation::Unmarked)
        );
        assert!(Generation::Junior.conflicts_with(Generation::Senior));
        assert!(!Generation::Junior.conflicts_with(Generation::Unmarked));
    }
}
