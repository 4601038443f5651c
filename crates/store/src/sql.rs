//! Small helpers for writing SQL that both engines read alike.

/// Escapes `%`, `_` and `\` so user text matches literally inside a `LIKE … ESCAPE '\'`
/// pattern.
pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
