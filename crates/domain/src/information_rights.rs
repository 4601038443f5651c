//! Information rights under UK GDPR and the Data Protection Act 2018: the deadlines of a
//! subject access request (Article 12(3)).

use chrono::{Months, NaiveDate};

/// Where a subject access request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SarStatus {
    /// Logged; being gathered and reviewed.
    Open,
    /// Released to the person who asked: the document is kept as it was sent.
    Released,
}

impl SarStatus {
    pub const ALL: [SarStatus; 2] = [SarStatus::Open, SarStatus::Released];

    pub fn code(self) -> &'static str {
        match self {
            SarStatus::Open => "open",
            SarStatus::Released => "released",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SarStatus::Open => "Open",
            SarStatus::Released => "Released",
        }
    }
}

/// The day a request is due: one calendar month after it was received (the same day of the
/// next month, or that month's last day when it has no such day: 31 January → 28 or 29
/// February), as the ICO reads Article 12(3).
pub fn due_on(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_months(Months::new(1))
        .unwrap_or(received)
}

/// The latest a request may be extended to: two further months (Article 12(3)), so three
/// calendar months after it was received.
pub fn latest_extension(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_months(Months::new(3))
        .unwrap_or(received)
}

/// How a due date reads on the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Overdue { days: i64 },
    DueToday,
    DueIn { days: i64 },
}

pub fn deadline(due: NaiveDate, today: NaiveDate) -> Deadline {
    let days = (due - today).num_days();
    match days {
        d if d < 0 => Deadline::Overdue { days: -d },
        0 => Deadline::DueToday,
        d => Deadline::DueIn { days: d },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn a_request_is_due_one_calendar_month_after_it_was_received() {
        assert_eq!(due_on(d(2026, 3, 5)), d(2026, 4, 5));
        assert_eq!(due_on(d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(due_on(d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(due_on(d(2026, 12, 15)), d(2027, 1, 15));
        assert_eq!(latest_extension(d(2026, 3, 5)), d(2026, 6, 5));
    }

    #[test]
    fn the_queue_says_how_far_off_the_due_date_is() {
        let due = d(2026, 4, 5);
        assert_eq!(deadline(due, d(2026, 4, 1)), Deadline::DueIn { days: 4 });
        assert_eq!(deadline(due, due), Deadline::DueToday);
        assert_eq!(deadline(due, d(2026, 4, 7)), Deadline::Overdue { days: 2 });
    }

    #[test]
    fn statuses_round_trip() {
        for s in SarStatus::ALL {
            assert_eq!(SarStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(SarStatus::from_code("lost"), None);
    }
}

/// What a release shows where the officer left a passage out.
pub const PASSAGE_LEFT_OUT: &str = "[Left out: about someone else]";

/// The key of one sentence of one field of a gathered item, as the officer's list of what to
/// leave out holds it beside whole items' keys (`{item}#{field}.{sentence}`).
pub fn passage_key(item: &str, field: usize, sentence: usize) -> String {
    format!("{item}#{field}.{sentence}")
}

/// The sentences of a text as written (Unicode's sentence boundaries, UAX #29), each with the
/// spaces after it, so that joining them gives the text back.
pub fn sentences(text: &str) -> Vec<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    text.split_sentence_bounds().collect()
}

/// The text with the sentences at `left_out` (indices into [`sentences`]) replaced, a run of
/// neighbours by one mark, so the reader sees that something was taken out and where.
pub fn without_passages(text: &str, left_out: &[usize]) -> String {
    let mut out = String::new();
    let mut in_gap = false;
    for (i, s) in sentences(text).into_iter().enumerate() {
        if left_out.contains(&i) {
            if !in_gap {
                out.push_str(PASSAGE_LEFT_OUT);
                // Keep the sentence's own spacing so the next one does not run on.
                let trailing = &s[s.trim_end().len()..];
                out.push_str(if trailing.is_empty() { " " } else { trailing });
            }
            in_gap = true;
        } else {
            out.push_str(s);
            in_gap = false;
        }
    }
    out.trim_end().to_string()
}

/// Which sentences of field `field` of item `item` are left out, by the officer's keys.
pub fn passages_left_out(keys: &[String], item: &str, field: usize) -> Vec<usize> {
    let prefix = format!("{item}#{field}.");
    keys.iter()
        .filter_map(|k| k.strip_prefix(&prefix)?.parse().ok())
        .collect()
}

#[cfg(test)]
mod passage_tests {
    use super::*;

    #[test]
    fn sentences_join_back_into_the_text() {
        for text in [
            "Mum said she is tired. Her sister Amy drinks too much! Is dad working?",
            "One sentence without a stop",
            "Mama powiedziała: dziękuję. Brat Piotr był w szkole.",
            "قالت الأم إنها متعبة. أختها تشرب كثيرا.",
            "",
        ] {
            assert_eq!(sentences(text).concat(), text);
        }
        assert_eq!(
            sentences("Mum is tired. Amy drinks. Dad works."),
            vec!["Mum is tired. ", "Amy drinks. ", "Dad works."]
        );
    }

    #[test]
    fn left_out_sentences_are_marked_once_per_run() {
        let text = "Mum is tired. Amy drinks. Amy's partner hit her. Dad works.";
        for (left_out, expected) in [
            (vec![], text.to_string()),
            (
                vec![1],
                format!("Mum is tired. {PASSAGE_LEFT_OUT} Amy's partner hit her. Dad works."),
            ),
            (
                vec![1, 2],
                format!("Mum is tired. {PASSAGE_LEFT_OUT} Dad works."),
            ),
            (
                vec![3],
                format!("Mum is tired. Amy drinks. Amy's partner hit her. {PASSAGE_LEFT_OUT}"),
            ),
            (
                vec![0, 3],
                format!("{PASSAGE_LEFT_OUT} Amy drinks. Amy's partner hit her. {PASSAGE_LEFT_OUT}"),
            ),
            (vec![9], text.to_string()),
        ] {
            assert_eq!(without_passages(text, &left_out), expected, "{left_out:?}");
        }
    }

    #[test]
    fn an_items_passages_are_read_from_the_keys_and_nothing_else() {
        let keys = vec![
            "notes:abc".to_string(),
            passage_key("notes:abc", 2, 1),
            passage_key("notes:abc", 2, 4),
            passage_key("notes:abc", 3, 0),
            passage_key("notes:abcd", 2, 7),
            "notes:abc#2.x".to_string(),
        ];
        assert_eq!(passages_left_out(&keys, "notes:abc", 2), vec![1, 4]);
        assert_eq!(passages_left_out(&keys, "notes:abc", 3), vec![0]);
        assert!(passages_left_out(&keys, "notes:ab", 2).is_empty());
    }
}
