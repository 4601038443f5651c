//! The PDF's font (ADR 0026): DejaVu Sans, regular and bold, embedded in each document with only
//! the glyphs it uses. Text is shaped by harfrust (HarfBuzz's own Rust port) and set in visual
//! order by unicode-bidi, so a
//! Polish, Romanian, Arabic or Urdu name reads as the family write it; a ToUnicode map keeps the
//! PDF's text searchable and copyable. The font's licence is `crates/app/fonts/LICENSE-DejaVu.txt`.

use harfrust::{Direction, ShapeOptions, ShaperData, UnicodeBuffer};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::{GlyphMetrics, Metrics};
use skrifa::{FontRef, GlyphId};
use std::collections::{BTreeMap, HashMap};
use unicode_bidi::BidiInfo;

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// Which of the two faces a line is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// A glyph as set: its id in the whole font, the shaper's advance and offset (font units), and
/// the text it stands for (empty after the first glyph of a cluster).
#[derive(Debug, Clone)]
pub struct Glyph {
    id: u16,
    advance: i32,
    offset: i32,
    text: String,
}

/// A line shaped for setting: glyphs in visual (left to right) order, and whether its paragraph
/// reads right to left (so it is set against the right margin).
#[derive(Debug, Clone)]
pub struct ShapedLine {
    pub glyphs: Vec<Glyph>,
    pub right_to_left: bool,
}

/// The font could not be read: only possible if the compiled-in files were damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontError;

struct Face {
    data: &'static [u8],
    font: FontRef<'static>,
    shaper: ShaperData,
    metrics: Metrics,
    units: f32,
    base: &'static [u8],
}

impl Face {
    fn load(data: &'static [u8], base: &'static [u8]) -> Result<Face, FontError> {
        let font = FontRef::new(data).map_err(|_| FontError)?;
        let metrics = Metrics::new(&font, Size::unscaled(), LocationRef::default());
        Ok(Face {
            data,
            shaper: ShaperData::new(&font),
            units: f32::from(metrics.units_per_em),
            metrics,
            font,
            base,
        })
    }

    /// Shapes one run of a single direction; glyphs come back in visual order.
    fn shape(&self, text: &str, direction: Direction, out: &mut Vec<Glyph>) {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(direction);
        buffer.guess_segment_properties();
        let shaper = self.shaper.shaper(&self.font).build();
        let shaped = shaper.shape(buffer, ShapeOptions::new());
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // A cluster's text goes with the first of its glyphs (in visual order) for ToUnicode.
        let mut seen = std::collections::HashSet::new();
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let glyph_text = if seen.insert(start) {
                let end = infos
                    .iter()
                    .map(|i| i.cluster as usize)
                    .filter(|c| *c > start)
                    .min()
                    .unwrap_or(text.len());
                text.get(start..end).unwrap_or_default().to_string()
            } else {
                String::new()
            };
            out.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance,
                offset: pos.x_offset,
                text: glyph_text,
            });
        }
    }

    /// The glyphs' own widths (the font's horizontal metrics), in font units.
    fn advances(&self) -> GlyphMetrics<'_> {
        GlyphMetrics::new(&self.font, Size::unscaled(), LocationRef::default())
    }
}

/// Shows the glyphs gathered so far as one string, and starts the next.
fn flush(items: &mut pdf_writer::writers::PositionedItems<'_>, run: &mut Vec<u8>) {
    if !run.is_empty() {
        items.show(Str(run));
        run.clear();
    }
}

/// Compressed for a PDF stream's `FlateDecode` filter.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn own_advance(advances: &GlyphMetrics<'_>, id: u16) -> i32 {
    advances
        .advance_width(GlyphId::new(u32::from(id)))
        .map_or(0, |w| w.round() as i32)
}

/// Both faces, with what each document has used of them.
pub struct Fonts {
    regular: Face,
    bold: Face,
    widths: HashMap<(Weight, String), f32>,
}

impl Fonts {
    pub fn load() -> Result<Fonts, FontError> {
        Ok(Fonts {
            regular: Face::load(REGULAR_TTF, b"DejaVuSans")?,
            bold: Face::load(BOLD_TTF, b"DejaVuSans-Bold")?,
            widths: HashMap::new(),
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// How wide `text` is set at one point, in points (remembered: documents repeat words).
    pub fn width(&mut self, text: &str, weight: Weight) -> f32 {
        if let Some(w) = self.widths.get(&(weight, text.to_string())) {
            return *w;
        }
        let face = self.face(weight);
        let mut glyphs = Vec::new();
        face.shape(text, Direction::LeftToRight, &mut glyphs);
        let w = glyphs.iter().map(|g| g.advance as f32).sum::<f32>() / face.units;
        self.widths.insert((weight, text.to_string()), w);
        w
    }

    /// One line shaped for setting, its runs in visual order.
    pub fn shape(&self, text: &str, weight: Weight) -> ShapedLine {
        let face = self.face(weight);
        let bidi = BidiInfo::new(text, None);
        let mut glyphs = Vec::new();
        let mut right_to_left = false;
        for para in &bidi.paragraphs {
            right_to_left |= para.level.is_rtl();
            let (levels, runs) = bidi.visual_runs(para, para.range.clone());
            for run in runs {
                let direction = if levels[run.start].is_rtl() {
                    Direction::RightToLeft
                } else {
                    Direction::LeftToRight
                };
                face.shape(&text[run], direction, &mut glyphs);
            }
        }
        ShapedLine {
            glyphs,
            right_to_left,
        }
    }

    /// The line's width at `size` points.
    pub fn line_width(&self, line: &ShapedLine, weight: Weight, size: f32) -> f32 {
        let face = self.face(weight);
        line.glyphs.iter().map(|g| g.advance as f32).sum::<f32>() * size / face.units
    }
}

/// The glyphs a document uses of one face, renumbered for its subset.
pub struct Subset {
    weight: Weight,
    remapper: subsetter::GlyphRemapper,
    text: BTreeMap<u16, String>,
}

impl Subset {
    pub fn new(weight: Weight) -> Subset {
        Subset {
            weight,
            remapper: subsetter::GlyphRemapper::new(),
            text: BTreeMap::new(),
        }
    }

    /// Notes a line's glyphs as used.
    pub fn add(&mut self, line: &ShapedLine) {
        for g in &line.glyphs {
            let new = self.remapper.remap(g.id);
            if !g.text.is_empty() {
                self.text.entry(new).or_insert_with(|| g.text.clone());
            }
        }
    }

    /// The line as a `TJ` array: each glyph's two-byte id in the subset, with the shaper's
    /// offsets and advances where they differ from the glyph's own width (kerning, marks).
    pub fn show(&self, fonts: &Fonts, line: &ShapedLine, content: &mut pdf_writer::Content) {
        let face = fonts.face(self.weight);
        let per_mille = 1000.0 / face.units;
        let advances = face.advances();
        let mut shown = content.show_positioned();
        let mut items = shown.items();
        // Glyphs set at their own widths go in one string; a string ends where the shaper
        // moved a glyph (kerning, a mark), so the PDF stays small.
        let mut run: Vec<u8> = Vec::new();
        for g in &line.glyphs {
            let id = self.remapper.get(g.id).unwrap_or(0);
            if g.offset != 0 {
                flush(&mut items, &mut run);
                items.adjust(-(g.offset as f32) * per_mille);
            }
            run.extend_from_slice(&id.to_be_bytes());
            let correction = own_advance(&advances, g.id) - g.advance + g.offset;
            if correction != 0 {
                flush(&mut items, &mut run);
                items.adjust(correction as f32 * per_mille);
            }
        }
        flush(&mut items, &mut run);
    }

    /// Writes the face as a Type 0 font with the subset embedded, at `font` and the three
    /// references after it; returns the next free reference number.
    pub fn write(&self, fonts: &Fonts, pdf: &mut Pdf, font: Ref) -> Result<i32, FontError> {
        let face = fonts.face(self.weight);
        let cid = Ref::new(font.get() + 1);
        let descriptor = Ref::new(font.get() + 2);
        let file = Ref::new(font.get() + 3);
        let to_unicode = Ref::new(font.get() + 4);
        let data = subsetter::subset(face.data, 0, &self.remapper).map_err(|_| FontError)?;
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        let per_mille = 1000.0 / face.units;
        pdf.type0_font(font)
            .base_font(Name(face.base))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(to_unicode);
        let advances = face.advances();
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|old| own_advance(&advances, old) as f32 * per_mille)
            .collect();
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(Name(face.base))
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        c.widths().consecutive(0, widths);
        c.finish();
        let m = &face.metrics;
        let bbox = m.bounds.unwrap_or_default();
        pdf.font_descriptor(descriptor)
            .name(Name(face.base))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                bbox.x_min * per_mille,
                bbox.y_min * per_mille,
                bbox.x_max * per_mille,
                bbox.y_max * per_mille,
            ))
            .italic_angle(0.0)
            .ascent(m.ascent * per_mille)
            .descent(m.descent * per_mille)
            .cap_height(m.cap_height.unwrap_or(m.ascent) * per_mille)
            .stem_v(match self.weight {
                Weight::Regular => 80.0,
                Weight::Bold => 140.0,
            })
            .font_file2(file);
        pdf.stream(file, &deflate(&data))
            .filter(pdf_writer::Filter::FlateDecode)
            .pair(
                Name(b"Length1"),
                i32::try_from(data.len()).unwrap_or(i32::MAX),
            );
        let mut cmap = UnicodeCmap::new(Name(b"Hearth-UTF16"), info);
        for (id, text) in &self.text {
            cmap.pair_with_multiple(*id, text.chars());
        }
        pdf.cmap(to_unicode, &cmap.finish());
        Ok(font.get() + 5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_romanian_and_arabic_letters_have_glyphs_of_their_own() {
        let fonts = Fonts::load().unwrap();
        for name in ["Łukasz Wójcik", "Ștefan Țărău", "محمد علی"] {
            let line = fonts.shape(name, Weight::Regular);
            assert!(
                line.glyphs.iter().all(|g| g.id != 0),
                "{name}: every letter found in the font"
            );
        }
    }

    #[test]
    fn arabic_is_joined_and_set_right_to_left() {
        let fonts = Fonts::load().unwrap();
        // The same letter isolated and inside a word takes different (joined) forms.
        let alone = fonts.shape("ب", Weight::Regular).glyphs[0].id;
        let word = fonts.shape("ببب", Weight::Regular);
        assert_eq!(word.glyphs.len(), 3);
        assert!(word.glyphs.iter().all(|g| g.id != alone), "joined forms");
        // Visual order: the word's last letter (final form) is set first, at the left.
        let first_letter_text = &word.glyphs[2].text;
        assert_eq!(first_letter_text, "ب");
        assert!(fonts.shape("محمد", Weight::Regular).right_to_left);
        assert!(!fonts.shape("Name: محمد", Weight::Regular).right_to_left);
    }

    #[test]
    fn bold_is_wider_than_regular() {
        let mut fonts = Fonts::load().unwrap();
        let regular = fonts.width("Information held", Weight::Regular);
        let bold = fonts.width("Information held", Weight::Bold);
        assert!(bold > regular && regular > 5.0, "{regular} {bold}");
    }
}
