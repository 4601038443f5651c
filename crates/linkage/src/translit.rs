//! A spelling-insensitive key for names that reach agencies through different
//! transliterations: Chaudhry, Choudhury and Chowdhury; Mohammed and Muhammad; Kowalski and
//! Kovalsky.
//!
//! The key keeps the first letter and the consonant skeleton of the rest, after folding the
//! digraphs and letters that transliterations trade for one another. It is deliberately
//! coarse: it only ever earns a "similar spelling" level whose weight the model estimates,
//! never an exact match.

/// The key of one folded word (lower-case ASCII). Empty input gives an empty key.
pub fn name_key(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    let mut last: u8 = 0;
    while i < bytes.len() {
        let (sound, used) = sound_at(bytes, i);
        i += used;
        let Some(sound) = sound else { continue };
        if out.is_empty() {
            out.push(sound as char);
            last = sound;
            continue;
        }
        if is_vowel_like(sound) {
            // Vowels separate repeated consonants ("Hanan") but are otherwise dropped.
            last = 0;
            continue;
        }
        if sound != last {
            out.push(sound as char);
        }
        last = sound;
    }
    out
}

fn is_vowel_like(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w' | b'h')
}

/// The sound starting at `i` and how many bytes it takes; `None` for letters that are not
/// spoken (a silent h after a consonant).
fn sound_at(b: &[u8], i: usize) -> (Option<u8>, usize) {
    let c = b[i];
    let next = b.get(i + 1).copied().unwrap_or(0);
    match (c, next) {
        (b'p', b'h') => (Some(b'f'), 2),
        (b'k', b'h') | (b'c', b'k') | (b'q', _) => (Some(b'k'), if c == b'q' { 1 } else { 2 }),
        (b'g', b'h') => (Some(b'g'), 2),
        (b't', b'h') | (b'd', b'h') => (Some(b't'), 2),
        (b's', b'h') | (b's', b'z') | (b'c', b'h') | (b'c', b'z') => (Some(b'x'), 2),
        (b'c', _) => (Some(b'k'), 1),
        (b'z', _) => (Some(b's'), 1),
        (b'v', _) => (Some(b'f'), 1),
        (b'd', _) => (Some(b't'), 1),
        (b'j', _) => (Some(b'g'), 1),
        (b'x', _) => (Some(b'k'), 1),
        (b'0'..=b'9', _) => (None, 1),
        (b' ', _) => (None, 1),
        _ => (Some(c), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn transliterations_share_a_key() {
        let k = name_key("chaudhry");
        assert_eq!(k, name_key("choudhury"));
        assert_eq!(k, name_key("chowdhury"));
        assert_eq!(name_key("mohammed"), name_key("muhammad"));
        assert_eq!(name_key("mohammed"), name_key("mohamed"));
        assert_eq!(name_key("kowalski"), name_key("kowalsky"));
        assert_eq!(name_key("stephen"), name_key("stefan"));
        assert_eq!(name_key("hussain"), name_key("hossain"));
    }

    #[test]
    fn different_names_do_not() {
        assert_ne!(name_key("smith"), name_key("jones"));
        assert_ne!(name_key("khan"), name_key("kaur"));
        assert_ne!(name_key("patel"), name_key("powell"));
        assert_eq!(name_key(""), "");
    }
}
