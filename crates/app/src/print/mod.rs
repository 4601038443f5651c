//! Printing to PDF without a browser: real text in an embedded DejaVu Sans (only the glyphs
//! used), shaped so every script the families write reads as written (right to left too), A4,
//! wrapped to the page, a page number on every page (ADR 0026). The subject access release,
//! the board's report and the letters to families (ADR 0043) are all set here.

mod font;

pub use font::FontError;
use font::{deflate, Fonts, ShapedLine, Subset, Weight};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// A line of text to set: its size, weight and the space before it.
struct Line {
    text: String,
    size: f32,
    weight: Weight,
    before: f32,
}

/// Lines of text to set, each paragraph wrapped to the page (in the font it is set in) as it
/// is added.
pub(crate) struct Lines {
    fonts: Fonts,
    lines: Vec<Line>,
}

impl Lines {
    pub(crate) fn new() -> Result<Lines, FontError> {
        Ok(Lines {
            fonts: Fonts::load()?,
            lines: Vec::new(),
        })
    }

    /// Adds a paragraph: its size, weight and the space before its first line.
    pub(crate) fn add(&mut self, text: &str, size: f32, bold: bool, before: f32) {
        let weight = if bold { Weight::Bold } else { Weight::Regular };
        for (i, l) in wrap(&mut self.fonts, text, size, weight)
            .into_iter()
            .enumerate()
        {
            self.lines.push(Line {
                text: l,
                size,
                weight,
                before: if i == 0 { before } else { 0.0 },
            });
        }
    }

    /// The lines set on A4 pages, as PDF bytes, with `title` as the document's title.
    pub(crate) fn write(&self, title: &str) -> Result<Vec<u8>, FontError> {
        set(title, &self.fonts, &self.lines)
    }
}

/// Lays the lines out on A4 pages and writes the PDF.
fn set(title: &str, fonts: &Fonts, lines: &[Line]) -> Result<Vec<u8>, FontError> {
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
    let total = pages.len();
    let footer = |n: usize| format!("Page {} of {total}", n + 1);
    // Shape every line first: the subsets (and so the glyph numbers) must be known before any
    // page's text is written.
    let mut regular = Subset::new(Weight::Regular);
    let mut bold = Subset::new(Weight::Bold);
    let shaped: Vec<Vec<(f32, &Line, ShapedLine)>> = pages
        .iter()
        .map(|page| {
            page.iter()
                .map(|(y, line)| {
                    let s = fonts.shape(&line.text, line.weight);
                    match line.weight {
                        Weight::Regular => regular.add(&s),
                        Weight::Bold => bold.add(&s),
                    }
                    (*y, *line, s)
                })
                .collect()
        })
        .collect();
    let footers: Vec<ShapedLine> = (0..total)
        .map(|n| {
            let s = fonts.shape(&footer(n), Weight::Regular);
            regular.add(&s);
            s
        })
        .collect();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let regular_font = Ref::new(4);
    let mut pdf = Pdf::new();
    let bold_font = Ref::new(regular.write(fonts, &mut pdf, regular_font)?);
    let first = bold.write(fonts, &mut pdf, bold_font)?;
    let page_ids: Vec<Ref> = (0..total).map(|i| Ref::new(first + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(total as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Hearth"));
    for (n, (lines, id)) in shaped.iter().zip(&page_ids).enumerate() {
        let contents = Ref::new(id.get() + 1);
        let mut page = pdf.page(*id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(contents);
        page.resources()
            .fonts()
            .pair(REGULAR, regular_font)
            .pair(BOLD, bold_font);
        page.finish();
        let mut c = Content::new();
        for (y, line, s) in lines {
            let (name, subset) = match line.weight {
                Weight::Regular => (REGULAR, &regular),
                Weight::Bold => (BOLD, &bold),
            };
            // A paragraph that reads right to left is set against the right margin.
            let x = if s.right_to_left {
                WIDTH - MARGIN - fonts.line_width(s, line.weight, line.size)
            } else {
                MARGIN
            };
            c.begin_text();
            c.set_font(name, line.size);
            c.next_line(x, *y);
            subset.show(fonts, s, &mut c);
            c.end_text();
        }
        c.begin_text();
        c.set_font(REGULAR, 9.0);
        c.next_line(MARGIN, MARGIN - 20.0);
        if let Some(f) = footers.get(n) {
            regular.show(fonts, f, &mut c);
        }
        c.end_text();
        pdf.stream(contents, &deflate(&c.finish()))
            .filter(pdf_writer::Filter::FlateDecode);
    }
    Ok(pdf.finish())
}

/// The text broken into lines that fit between the margins, measured in the font it is set
/// in; a paragraph's own line breaks are kept.
fn wrap(fonts: &mut Fonts, text: &str, size: f32, weight: Weight) -> Vec<String> {
    let room = (WIDTH - 2.0 * MARGIN) / size;
    let space = fonts.width(" ", weight);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut used = 0.0;
        for word in paragraph.split_whitespace() {
            let w = fonts.width(word, weight);
            let gap = if line.is_empty() { 0.0 } else { space };
            if !line.is_empty() && used + gap + w > room {
                out.push(std::mem::take(&mut line));
                used = 0.0;
            }
            // A word longer than a line is cut where it must be.
            let mut rest = word;
            while fonts.width(rest, weight) > room {
                let mut cut = rest.len();
                for (i, _) in rest.char_indices().skip(1) {
                    if fonts.width(&rest[..i], weight) > room {
                        break;
                    }
                    cut = i;
                }
                if cut == rest.len() {
                    cut = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(rest[..cut].to_string());
                rest = &rest[cut..];
                used = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                used += space;
            }
            line.push_str(rest);
            used += fonts.width(rest, weight);
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
        let mut fonts = Fonts::load().unwrap();
        let text = "word ".repeat(200) + &"x".repeat(300);
        let lines = wrap(&mut fonts, &text, 10.0, Weight::Regular);
        let room = (WIDTH - 2.0 * MARGIN) / 10.0;
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(fonts.width(l, Weight::Regular) <= room + 0.01, "{l}");
        }
        assert_eq!(lines.join("").replace(' ', "").len(), 200 * 4 + 300);
    }
}
