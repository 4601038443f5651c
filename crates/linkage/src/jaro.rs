//! Jaro–Winkler similarity on ASCII byte strings without allocating.
//!
//! This runs inside the pair-scoring loop, tens of millions of times for a large dataset, so
//! it works on fixed stack buffers instead of `strsim`'s per-call vectors. Values are the same
//! as `strsim::jaro_winkler` for strings up to [`MAX_LEN`] bytes (the tests check this); longer
//! strings are compared on their first `MAX_LEN` bytes, which is plenty for names.

pub const MAX_LEN: usize = 64;

/// Jaro similarity in 0..=1.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let a = &a[..a.len().min(MAX_LEN)];
    let b = &b[..b.len().min(MAX_LEN)];
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // Bit sets rather than bool arrays: MAX_LEN fits in a u64.
    let mut a_flags: u64 = 0;
    let mut b_flags: u64 = 0;
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if ca == cb && b_flags & (1u64 << j) == 0 {
                a_flags |= 1u64 << i;
                b_flags |= 1u64 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_flags & (1u64 << i) == 0 {
            continue;
        }
        while b_flags & (1u64 << j) == 0 {
            j += 1;
        }
        if ca != b[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    let t = (transpositions / 2) as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0
}

/// Jaro–Winkler: Jaro with a bonus for a shared prefix of up to four letters, applied only
/// above 0.7 as in Winkler's original and in `strsim`.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let sim = jaro(a, b);
    if sim <= 0.7 {
        return sim;
    }
    let prefix = a
        .iter()
        .zip(b.iter())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    sim + 0.1 * prefix as f64 * (1.0 - sim)
}

/// An upper bound of `jaro_winkler(a, b)` from the strings' lengths and letter sets alone
/// (see `record::letter_set`), far cheaper than the measure itself. Two strings can share at
/// most the letters both contain, counted with repeats, which is at most the shared distinct
/// letters plus the repeats of either string.
#[inline]
pub fn jaro_winkler_bound(a: &[u8], a_letters: u32, b: &[u8], b_letters: u32) -> f64 {
    let (la, lb) = (a.len().min(MAX_LEN), b.len().min(MAX_LEN));
    if la == 0 || lb == 0 {
        return if la == lb { 1.0 } else { 0.0 };
    }
    let shared = (a_letters & b_letters).count_ones() as usize;
    let repeats_a = la.saturating_sub(a_letters.count_ones() as usize);
    let repeats_b = lb.saturating_sub(b_letters.count_ones() as usize);
    // Non-letters (digits, spaces) are not in the sets: count them as possible matches.
    let m = (shared + repeats_a.min(repeats_b)).min(la).min(lb) as f64;
    let j = (m / la as f64 + m / lb as f64 + 1.0) / 3.0;
    if j <= 0.7 {
        return j;
    }
    let prefix = a
        .iter()
        .zip(b.iter())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    j + 0.1 * prefix as f64 * (1.0 - j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim() {
        let words = [
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "jellyfish",
            "smellyfish",
            "",
            "a",
            "smith",
            "smyth",
            "mohammed",
            "muhammad",
            "featherstonehaugh",
            "fanshawe",
            "aaaa",
            "aaab",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkm",
        ];
        for a in words {
            for b in words {
                let ours = jaro_winkler(a.as_bytes(), b.as_bytes());
                let theirs = strsim::jaro_winkler(a, b);
                assert!(
                    (ours - theirs).abs() < 1e-12,
                    "{a} vs {b}: {ours} != {theirs}"
                );
            }
        }
    }

    #[test]
    fn bound_is_never_below_the_measure() {
        let words = [
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "anna",
            "nana",
            "aaaa",
            "aaab",
            "smith",
            "smyth",
            "oliver",
            "sophia",
            "mary jane",
            "o2",
            "x",
            "",
            "abcabcabc",
            "cbacbacba",
        ];
        let set = |s: &str| {
            s.bytes()
                .filter(u8::is_ascii_lowercase)
                .fold(0u32, |m, b| m | 1 << (b - b'a'))
        };
        for a in words {
            for b in words {
                let bound = jaro_winkler_bound(a.as_bytes(), set(a), b.as_bytes(), set(b));
                let exact = jaro_winkler(a.as_bytes(), b.as_bytes());
                assert!(
                    bound + 1e-12 >= exact,
                    "{a} vs {b}: bound {bound} < {exact}"
                );
            }
        }
        assert!(jaro_winkler_bound(b"oliver", set("oliver"), b"sophia", set("sophia")) < 0.8);
    }

    #[test]
    fn known_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.961).abs() < 0.001);
        assert_eq!(jaro_winkler(b"smith", b"smith"), 1.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
    }
}
