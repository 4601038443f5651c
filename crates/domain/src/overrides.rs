//! Reading a partnership's file of `key = value` lines (its own courses, outcome framework,
//! survey wording…): blank lines and `#` comments are skipped, and each line knows its number
//! so that an error says where to look.

/// One `key = value` line, trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// Counted from 1, as an editor shows it.
    pub number: usize,
    pub key: &'a str,
    pub value: &'a str,
}

impl Line<'_> {
    /// An error about this line: `line 3: why`.
    pub fn error(&self, why: &str) -> String {
        format!("line {}: {why}", self.number)
    }
}

/// The file's lines with a key and a value; a line without `=` is an error naming it.
pub fn lines(text: &str) -> impl Iterator<Item = Result<Line<'_>, String>> {
    text.lines().enumerate().filter_map(|(n, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        Some(match line.split_once('=') {
            Some((key, value)) => Ok(Line {
                number: n + 1,
                key: key.trim(),
                value: value.trim(),
            }),
            None => Err(format!("line {}: expected `key = value`", n + 1)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_comments_and_name_their_number() {
        let read: Vec<_> = lines("# a comment\n\n a = 1 \nb=two = three\nwords\n").collect();
        assert_eq!(
            read,
            vec![
                Ok(Line {
                    number: 3,
                    key: "a",
                    value: "1"
                }),
                Ok(Line {
                    number: 4,
                    key: "b",
                    value: "two = three"
                }),
                Err("line 5: expected `key = value`".into()),
            ]
        );
        assert_eq!(
            Line {
                number: 7,
                key: "k",
                value: "v"
            }
            .error("no"),
            "line 7: no"
        );
    }
}
