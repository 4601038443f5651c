//! UK postcodes split into the parts that say how near two addresses are: the unit (about
//! fifteen households), the sector, the district and the area. "NG7 2RD" is unit "NG72RD",
//! sector "NG7 2", district "NG7", area "NG".

/// A postcode as parsed from one record, borrowed from the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UkPostcode {
    /// Upper-case, no spaces: "NG72RD".
    pub unit: String,
    pub sector: String,
    pub district: String,
    pub area: String,
}

/// Upper-case letters and digits only.
pub fn compact(raw: &str) -> String {
    raw.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Parses a compacted postcode. Anything that is not shaped like a UK postcode (an overseas
/// code, a typo that breaks the shape) gives `None` and is then compared as plain text.
pub fn parse_uk(compacted: &str) -> Option<UkPostcode> {
    let b = compacted.as_bytes();
    if !(5..=7).contains(&b.len()) {
        return None;
    }
    let (outward, inward) = b.split_at(b.len() - 3);
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let letters = outward
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let rest = &outward[letters..];
    let outward_ok = (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 2
        && rest[0].is_ascii_digit()
        && rest.iter().all(u8::is_ascii_alphanumeric);
    if !inward_ok || !outward_ok {
        return None;
    }
    let outward = &compacted[..compacted.len() - 3];
    Some(UkPostcode {
        unit: compacted.to_string(),
        sector: format!("{outward} {}", inward[0] as char),
        district: outward.to_string(),
        area: compacted[..letters].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_uk_shapes() {
        let p = parse_uk(&compact("ng7 2rd")).expect("valid");
        assert_eq!(p.unit, "NG72RD");
        assert_eq!(p.sector, "NG7 2");
        assert_eq!(p.district, "NG7");
        assert_eq!(p.area, "NG");
        let p = parse_uk(&compact("EC1A 1BB")).expect("valid");
        assert_eq!(p.district, "EC1A");
        assert_eq!(p.area, "EC");
        let p = parse_uk(&compact("M1 1AE")).expect("valid");
        assert_eq!(p.sector, "M1 1");
    }

    #[test]
    fn rejects_other_shapes() {
        assert_eq!(parse_uk(&compact("2615")), None);
        assert_eq!(parse_uk(&compact("NG7 RD2")), None);
        assert_eq!(parse_uk(&compact("1234 5AB")), None);
        assert_eq!(parse_uk(""), None);
    }
}
