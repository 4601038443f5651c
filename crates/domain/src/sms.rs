//! Text messages (issue 23 item 3, ADR 0049): the rules for a phone number we may text and for
//! the length of a text. Pure: no gateway here.
//!
//! A number is kept and sent in E.164 (`+447700900123`). Only UK mobile numbers are texted: a
//! landline cannot receive one, and a number abroad is not one a partnership texts families at.

use std::fmt;

/// A UK mobile number in E.164, checked: the only kind of number a text is sent to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MobileNumber(String);

/// Why a typed number cannot be texted; each says what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    Empty,
    /// Letters or signs other than spaces, brackets, dashes, dots and a leading `+`.
    NotANumber,
    /// A number abroad: only UK mobiles are texted.
    NotUk,
    /// A UK number that is not a mobile (landlines start 01, 02, 03…).
    NotMobile,
    /// Too short or too long for a UK mobile (07 and nine more digits).
    WrongLength,
}

impl NumberProblem {
    /// The message shown beside the field.
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "Enter a mobile phone number",
            Self::NotANumber => "Enter a mobile phone number using only numbers, like 07700 900123",
            Self::NotUk => "Enter a UK mobile phone number, like 07700 900123 or +44 7700 900123",
            Self::NotMobile => {
                "Enter a mobile phone number starting 07: texts cannot go to a landline"
            }
            Self::WrongLength => "Enter a mobile phone number of 11 digits, like 07700 900123",
        }
    }
}

impl MobileNumber {
    /// Reads a number as people type it (`07700 900123`, `+44 (0)7700-900123`, `447700900123`)
    /// into E.164, or says what is wrong with it.
    pub fn parse(typed: &str) -> Result<Self, NumberProblem> {
        let t = typed.trim();
        if t.is_empty() {
            return Err(NumberProblem::Empty);
        }
        let plus = t.starts_with('+');
        let mut digits = String::with_capacity(t.len());
        for (i, c) in t.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(NumberProblem::NotANumber),
            }
        }
        if digits.is_empty() {
            return Err(NumberProblem::NotANumber);
        }
        // The national part, without its leading 0.
        let national = if let Some(rest) = digits.strip_prefix("0044") {
            rest
        } else if let Some(rest) = digits
            .strip_prefix("44")
            .filter(|_| plus || digits.len() > 11)
        {
            rest
        } else if plus || digits.starts_with("00") {
            return Err(NumberProblem::NotUk);
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(NumberProblem::NotUk);
        };
        // "+44 (0)7700…": the 0 written after the country code is not dialled.
        let national = national.strip_prefix('0').unwrap_or(national);
        if !national.starts_with('7') {
            return Err(NumberProblem::NotMobile);
        }
        // 07624 is the Isle of Man, also reached through +44; 070 and 076 (but for 07624) are
        // personal numbers and pagers, not mobiles.
        if national.len() != 10 {
            return Err(NumberProblem::WrongLength);
        }
        if national.starts_with("70")
            || (national.starts_with("76") && !national.starts_with("7624"))
        {
            return Err(NumberProblem::NotMobile);
        }
        Ok(Self(format!("+44{national}")))
    }

    /// The number in E.164, as it is stored and sent.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The last three digits: all that an audit record or a screen keeps of a number.
    pub fn last_three(&self) -> &str {
        &self.0[self.0.len() - 3..]
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a text is encoded: in the GSM 7-bit alphabet (160 characters in one text), or in UCS-2
/// when any character is outside it (70 in one text: Arabic, Urdu, Punjabi, many emoji).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Gsm7,
    Ucs2,
}

impl Coding {
    /// Kannel's `coding` value for it (0: 7-bit, 2: UCS-2).
    pub fn kannel_code(self) -> u8 {
        match self {
            Self::Gsm7 => 0,
            Self::Ucs2 => 2,
        }
    }
}

/// The GSM 03.38 basic alphabet: one septet each.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: two septets each (an escape and the character).
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// How long a text is and how many texts it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub coding: Coding,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Texts it is sent as: one up to 160 septets (70 units), then 153 (67) per part.
    pub segments: usize,
}

/// The length of a text as a phone network counts it.
pub fn length(text: &str) -> Length {
    let mut septets = 0usize;
    let mut gsm = true;
    for c in text.chars() {
        if GSM7_BASIC.contains(c) {
            septets += 1;
        } else if GSM7_EXTENDED.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    let (coding, units, single, part) = if gsm {
        (Coding::Gsm7, septets, 160, 153)
    } else {
        (Coding::Ucs2, text.encode_utf16().count(), 70, 67)
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    Length {
        coding,
        units,
        segments,
    }
}

/// The most texts one message may take: a family's link must arrive whole, and long texts
/// cost more and are split badly by some phones. The templates are kept inside it (a test
/// checks every language).
pub const MAX_SEGMENTS: usize = 3;

/// What a gateway reported about a text after it took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Taken by the network (the SMS centre), not yet on the phone.
    Accepted,
    /// On the phone.
    Delivered,
    /// Not delivered: refused by the network or undeliverable (switched off too long, no
    /// such number).
    Failed,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Accepted, Delivery::Delivered, Delivery::Failed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Accepted => "Accepted by the network",
            Self::Delivered => "Delivered to the phone",
            Self::Failed => "Not delivered",
        }
    }

    /// Kannel's delivery report type (`%d`): 1 delivered, 2 undeliverable, 4 buffered in the
    /// SMS centre, 8 accepted by it, 16 refused by it. `None` for anything else.
    pub fn from_kannel(code: u32) -> Option<Self> {
        match code {
            1 => Some(Self::Delivered),
            2 | 16 => Some(Self::Failed),
            4 | 8 => Some(Self::Accepted),
            _ => None,
        }
    }

    /// Whether it is the last word: a late "accepted" never overwrites "delivered" or
    /// "failed", as reports can arrive out of order.
    pub fn is_final(self) -> bool {
        self != Self::Accepted
    }
}

/// The delivery reports Kannel is asked for (`dlr-mask`): delivered, undeliverable, accepted
/// and refused by the SMS centre (1 + 2 + 8 + 16); not "buffered", which says nothing new.
pub const KANNEL_DLR_MASK: u32 = 27;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_mobiles_are_read_as_people_type_them() {
        for typed in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "0044 7700 900123",
            "447700900123",
            " 07700-900-123 ",
        ] {
            assert_eq!(
                MobileNumber::parse(typed).map(|n| n.e164().to_string()),
                Ok("+447700900123".to_string()),
                "{typed}"
            );
        }
    }

    #[test]
    fn numbers_that_cannot_be_texted_say_why() {
        assert_eq!(MobileNumber::parse(" "), Err(NumberProblem::Empty));
        assert_eq!(
            MobileNumber::parse("07700 9001x3"),
            Err(NumberProblem::NotANumber)
        );
        assert_eq!(
            MobileNumber::parse("+33 6 12 34 56 78"),
            Err(NumberProblem::NotUk)
        );
        assert_eq!(
            MobileNumber::parse("0161 496 0000"),
            Err(NumberProblem::NotMobile)
        );
        assert_eq!(
            MobileNumber::parse("0700 000 0000"),
            Err(NumberProblem::NotMobile)
        );
        assert_eq!(
            MobileNumber::parse("07700 90012"),
            Err(NumberProblem::WrongLength)
        );
        assert_eq!(
            MobileNumber::parse("077009001234"),
            Err(NumberProblem::WrongLength)
        );
        assert!(
            MobileNumber::parse("07624 123456").is_ok(),
            "the Isle of Man"
        );
    }

    #[test]
    fn only_the_last_three_digits_are_shown() {
        let n = MobileNumber::parse("07700 900123").expect("a mobile");
        assert_eq!(n.last_three(), "123");
    }

    #[test]
    fn texts_are_counted_as_the_network_counts_them() {
        let short = length("Your link: https://hearth.example/own/abc");
        assert_eq!((short.coding, short.segments), (Coding::Gsm7, 1));
        assert_eq!(length(&"a".repeat(160)).segments, 1);
        assert_eq!(length(&"a".repeat(161)).segments, 2);
        // An extension character takes two septets.
        assert_eq!(length(&"€".repeat(80)).units, 160);
        assert_eq!(length(&"€".repeat(81)).segments, 2);
        // Polish letters outside GSM-7 turn the whole text to UCS-2.
        let polish = length("Zażółć");
        assert_eq!((polish.coding, polish.units), (Coding::Ucs2, 6));
        let arabic = length(&"ب".repeat(71));
        assert_eq!((arabic.coding, arabic.segments), (Coding::Ucs2, 2));
        assert_eq!(length(&"ب".repeat(134)).segments, 2);
        assert_eq!(length(&"ب".repeat(135)).segments, 3);
    }

    #[test]
    fn kannel_reports_are_read_and_late_ones_do_not_undo_the_last_word() {
        assert_eq!(Delivery::from_kannel(1), Some(Delivery::Delivered));
        assert_eq!(Delivery::from_kannel(16), Some(Delivery::Failed));
        assert_eq!(Delivery::from_kannel(8), Some(Delivery::Accepted));
        assert_eq!(Delivery::from_kannel(3), None);
        assert!(!Delivery::Accepted.is_final() && Delivery::Failed.is_final());
        for d in Delivery::ALL {
            assert_eq!(Delivery::from_code(d.code()), Some(d));
        }
    }
}
