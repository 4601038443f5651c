//! The released document as a PDF anyone can read and search (ADR 0026), set by
//! [`crate::print`]: each section and item headed. Only what the document holds is written:
//! redacted items are gone before this sees it.

use super::document::Document;
pub use crate::print::FontError;
use crate::print::Lines;

/// The document as PDF bytes.
pub fn pdf(document: &Document) -> Result<Vec<u8>, FontError> {
    let mut lines = Lines::new()?;
    let mut add = |text: &str, size: f32, bold: bool, before: f32| {
        lines.add(text, size, bold, before);
    };
    add(
        &format!("Information held about {}", document.person),
        20.0,
        true,
        0.0,
    );
    add(
        &format!(
            "Subject access request from {}, received {}, released {}",
            document.requested_by,
            document.received_on.format("%-d %B %Y"),
            document.released_on.format("%-d %B %Y")
        ),
        10.0,
        false,
        6.0,
    );
    for p in document.introduction() {
        add(&p, 11.0, false, 8.0);
    }
    for s in &document.sections {
        add(&s.title, 15.0, true, 18.0);
        add(&s.about, 10.0, false, 2.0);
        if s.items.is_empty() {
            add("Nothing held.", 11.0, false, 6.0);
        }
        for item in &s.items {
            add(&item.heading, 11.0, true, 10.0);
            for f in &item.fields {
                add(&format!("{}: {}", f.label, f.value), 10.0, false, 2.0);
            }
        }
    }
    lines.write(&format!("Information held about {}", document.person))
}
