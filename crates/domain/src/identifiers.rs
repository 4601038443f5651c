//! National identifiers for people, checked by their own check digits so a mistyped number is
//! caught at the field rather than matched to the wrong child.

use std::fmt;

/// An NHS number: ten digits, the last a modulus-11 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Accepts spaces and dashes (`943 476 5919`); says what is wrong otherwise.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Enter an NHS number of 10 digits, like 943 476 5919");
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(v, w)| v * w).sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err("This is not a valid NHS number: check the digits"),
            c => c,
        };
        if check != d[9] {
            return Err("This is not a valid NHS number: check the digits");
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NhsNumber {
    /// Shown in the 3-3-4 grouping people read from letters and red books.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// The letters a UPN's check character (and a temporary UPN's last character) are drawn from.
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// A DfE Unique Pupil Number: a check letter then 12 characters (LA code, establishment, year,
/// serial); a temporary UPN ends in a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upn(String);

impl Upn {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let upn: String = raw.split_whitespace().collect::<String>().to_uppercase();
        let bytes = upn.as_bytes();
        let shape_ok = bytes.len() == 13
            && UPN_LETTERS.contains(&bytes[0])
            && bytes[1..12].iter().all(u8::is_ascii_digit)
            && (bytes[12].is_ascii_digit() || UPN_LETTERS.contains(&bytes[12]));
        if !shape_ok {
            return Err("Enter a UPN of a letter and 12 characters, like A801200111001");
        }
        let value = |b: u8| -> u32 {
            if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                UPN_LETTERS
                    .iter()
                    .position(|l| *l == b)
                    .map(|p| p as u32)
                    .unwrap_or(0)
            }
        };
        let sum: u32 = bytes[1..]
            .iter()
            .zip(2..=13)
            .map(|(b, w)| value(*b) * w)
            .sum();
        if UPN_LETTERS[(sum % 23) as usize] != bytes[0] {
            return Err("This is not a valid UPN: check the letter and digits");
        }
        Ok(Self(upn))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Makes a valid UPN from its 12 trailing characters (for synthetic data and tests).
pub fn upn_with_check_letter(tail: &str) -> Option<String> {
    if tail.len() != 12 {
        return None;
    }
    for letter in UPN_LETTERS {
        let candidate = format!("{}{tail}", *letter as char);
        if Upn::parse(&candidate).is_ok() {
            return Some(candidate);
        }
    }
    None
}

/// Makes a valid NHS number from nine digits, or `None` when no check digit exists for them.
pub fn nhs_with_check_digit(nine: &str) -> Option<String> {
    (0..=9)
        .map(|d| format!("{nine}{d}"))
        .find(|n| NhsNumber::parse(n).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_are_checked_by_modulus_11() {
        assert_eq!(
            NhsNumber::parse("943 476 5919").unwrap().as_str(),
            "9434765919"
        );
        assert_eq!(
            NhsNumber::parse("9434765919").unwrap().to_string(),
            "943 476 5919"
        );
        assert!(NhsNumber::parse("9434765918").is_err(), "wrong check digit");
        assert!(NhsNumber::parse("943476591").is_err(), "too short");
        assert!(NhsNumber::parse("94347659AB").is_err());
        // Nine digits whose check would be 10 have no valid NHS number.
        assert!(NhsNumber::parse("1000000011").is_err());
        assert_eq!(nhs_with_check_digit("100000001"), None);
    }

    #[test]
    fn upns_are_checked_by_their_letter() {
        let made = upn_with_check_letter("801200111001").unwrap();
        assert!(Upn::parse(&made).is_ok());
        assert!(
            Upn::parse(&made.to_lowercase()).is_ok(),
            "case does not matter"
        );
        let mut wrong = made.clone().into_bytes();
        wrong[0] = if wrong[0] == b'A' { b'B' } else { b'A' };
        assert!(Upn::parse(std::str::from_utf8(&wrong).unwrap()).is_err());
        assert!(
            Upn::parse("I801200111001").is_err(),
            "I is never a check letter"
        );
        assert!(Upn::parse("A80120011100").is_err(), "too short");
        let temporary = upn_with_check_letter("80120011100A").unwrap();
        assert!(
            Upn::parse(&temporary).is_ok(),
            "temporary UPNs end in a letter"
        );
    }

    #[test]
    fn a_typo_in_any_digit_is_caught() {
        let good = "9434765919";
        for i in 0..9 {
            let mut b = good.as_bytes().to_vec();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            assert!(
                NhsNumber::parse(std::str::from_utf8(&b).unwrap()).is_err(),
                "digit {i}"
            );
        }
    }
}
