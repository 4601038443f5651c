//! The released document as a PDF anyone can read and search: real text in the PDF's own
//! Helvetica (no font to embed), A4, wrapped to the page, each section and item headed, a page
//! number on every page (ADR 0026). Only what the document holds is written: redacted items
//! are gone before this sees it.

use super::document::Document;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// A line of text to set: its size, weight and the space before it.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    before: f32,
}

/// Lines of text to set, each paragraph wrapped to the page as it is added.
#[derive(Default)]
pub(crate) struct Lines(Vec<Line>);

impl Lines {
    /// Adds a paragraph: its size, weight and the space before its first line.
    pub(crate) fn add(&mut self, text: &str, size: f32, bold: bool, before: f32) {
        for (i, l) in wrap(text, size, bold).into_iter().enumerate() {
            self.0.push(Line {
                text: l,
                size,
                bold,
                before: if i == 0 { before } else { 0.0 },
            });
        }
    }

    /// The lines set on A4 pages, as PDF bytes, with `title` as the document's title.
    pub(crate) fn write(&self, title: &str) -> Vec<u8> {
        set(title, &self.0)
    }
}

/// The document as PDF bytes.
pub fn pdf(document: &Document) -> Vec<u8> {
    let mut lines = Lines::default();
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
    set(
        &format!("Information held about {}", document.person),
        &lines.0,
    )
}

/// Lays the lines out on A4 pages and writes the PDF.
fn set(title: &str, lines: &[Line]) -> Vec<u8> {
    let mut pages: Vec<Vec<(f32, &Line)>> = vec![Vec::new()];
    let mut y = HEIGHT - MARGIN;
    for line in lines {
        let step = line.before + line.size * 1.35;
        if y - step < MARGIN + 20.0 {
            pages.push(Vec::new());
            y = HEIGHT - MARGIN;
        }
        y -= if pages.last().is_some_and(Vec::is_empty) {
            line.size * 1.35
        } else {
            step
        };
        if let Some(page) = pages.last_mut() {
            page.push((y, line));
        }
    }
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first + 2 * i as i32))
        .collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Hearth"));
    let total = pages.len();
    for (n, (lines, id)) in pages.iter().zip(&page_ids).enumerate() {
        let contents = Ref::new(id.get() + 1);
        let mut page = pdf.page(*id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(contents);
        page.resources()
            .fonts()
            .pair(REGULAR, regular)
            .pair(BOLD, bold);
        page.finish();
        let mut c = Content::new();
        for (y, line) in lines {
            c.begin_text();
            c.set_font(if line.bold { BOLD } else { REGULAR }, line.size);
            c.next_line(MARGIN, *y);
            c.show(Str(&win_ansi(&line.text)));
            c.end_text();
        }
        c.begin_text();
        c.set_font(REGULAR, 9.0);
        c.next_line(MARGIN, MARGIN - 20.0);
        c.show(Str(&win_ansi(&format!("Page {} of {total}", n + 1))));
        c.end_text();
        pdf.stream(contents, &c.finish());
    }
    pdf.finish()
}

/// Text in the standard fonts' WinAnsi encoding: Latin letters with their accents, curly
/// quotes and dashes; anything else (other scripts) as `?` — the page and the JSON carry it
/// whole (ADR 0026).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        })
        .collect()
}

/// A character's width in Helvetica, in ems, rounded up (so a line never runs off the page).
fn em(c: char) -> f32 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 't' | 'f' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.3,
        'm' | 'M' | 'W' | 'w' => 0.95,
        'A'..='Z' => 0.75,
        '0'..='9' => 0.56,
        _ => 0.6,
    }
}

/// The text broken into lines that fit between the margins; a paragraph's own line breaks
/// are kept.
fn wrap(text: &str, size: f32, bold: bool) -> Vec<String> {
    let room = (WIDTH - 2.0 * MARGIN) / (size * if bold { 1.08 } else { 1.0 });
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut used = 0.0;
        for word in paragraph.split_whitespace() {
            let w: f32 = word.chars().map(em).sum();
            let space = if line.is_empty() { 0.0 } else { em(' ') };
            if !line.is_empty() && used + space + w > room {
                out.push(std::mem::take(&mut line));
                used = 0.0;
            }
            // A word longer than a line is cut where it must be.
            let mut rest = word;
            while rest.chars().map(em).sum::<f32>() > room {
                let mut taken = 0.0;
                let cut = rest
                    .char_indices()
                    .find(|(_, c)| {
                        taken += em(*c);
                        taken > room
                    })
                    .map(|(i, _)| i)
                    .unwrap_or(rest.len());
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(rest[..cut].to_string());
                rest = &rest[cut..];
                used = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                used += em(' ');
            }
            line.push_str(rest);
            used += rest.chars().map(em).sum::<f32>();
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_page_and_keeps_every_word() {
        let text = "word ".repeat(200) + &"x".repeat(300);
        let lines = wrap(&text, 10.0, false);
        let room = (WIDTH - 2.0 * MARGIN) / 10.0;
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(l.chars().map(em).sum::<f32>() <= room + 0.01, "{l}");
        }
        assert_eq!(lines.join("").replace(' ', "").len(), 200 * 4 + 300);
    }

    #[test]
    fn latin_accents_and_quotes_are_kept_other_scripts_marked() {
        assert_eq!(win_ansi("Zoë’s"), vec![b'Z', b'o', 0xeb, 0x92, b's']);
        assert_eq!(win_ansi("ع"), vec![b'?']);
    }
}
