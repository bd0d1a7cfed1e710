//! PDF: the text layer of each page, with positions, through oxidize-pdf,
//! rebuilt into lines and paragraphs by [`super::layout`].
//!
//! Chinese text in 公文 PDFs comes in CID fonts, with a ToUnicode map or
//! with one of the predefined CMaps (UniGB-UCS2-H, GBK-EUC-H) and no map at
//! all; oxidize-pdf decodes both. A PDF encrypted only against editing
//! (an empty user password, common on government sites) is opened; one
//! that needs a password is a skip reason.

use std::collections::BTreeMap;
use std::io::Cursor;

use oxidize_pdf::parser::{ParseOptions, PdfDocument, PdfReader};
use oxidize_pdf::text::ExtractionOptions;

use super::SkipReason;
use super::document::Extracted;
use super::layout::{Page, Piece, text_of};

/// Pages beyond this many are not read (a notice is never that long; the
/// text of the first pages is enough to find it).
pub const MAX_PAGES: u32 = 2000;

fn fail(what: impl std::fmt::Display) -> SkipReason {
    SkipReason::Document(format!("PDF: {what}"))
}

/// The text of the PDF in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    extract_filled(bytes, &BTreeMap::new())
}

/// [`extract`], with each page of `filled` (1-based number → text read by
/// OCR) that has no text of its own given that text, line by line at the
/// body's left margin and size, so the layout reads it with the rest.
pub fn extract_filled(
    bytes: &[u8],
    filled: &BTreeMap<u32, String>,
) -> Result<Extracted, SkipReason> {
    let options = ParseOptions {
        log_recovery_details: false,
        collect_warnings: false,
        ..ParseOptions::lenient()
    };
    let mut reader = PdfReader::new_with_options(Cursor::new(bytes), options)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if reader.is_encrypted() && !reader.try_empty_password().unwrap_or(false) {
        return Err(fail("encrypted (a password is needed to read it)"));
    }
    let doc = PdfDocument::new(reader);
    let count = doc
        .page_count()
        .map_err(|e| fail(format!("cannot read the page tree: {e}")))?;
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    let mut blank = Vec::new();
    for i in 0..count.min(MAX_PAGES) {
        let options = ExtractionOptions {
            preserve_layout: true,
            ..Default::default()
        };
        let top = doc.get_page(i).map_or(0.0, |p| p.media_box[3]);
        let height = doc.get_page(i).map_or(0.0, |p| p.height());
        match doc.extract_text_from_page_with_options(i, options) {
            Ok(t) => {
                let pieces: Vec<Piece> = t
                    .fragments
                    .into_iter()
                    .map(|f| Piece {
                        x: f.x,
                        y: top - f.y,
                        width: f.width,
                        size: f.font_size.abs().max(f.height.abs()),
                        text: clean(&f.text),
                    })
                    .filter(|p| !p.text.trim().is_empty())
                    .collect();
                if pieces.is_empty() {
                    blank.push(i + 1);
                }
                pages.push(Page { height, pieces });
            }
            Err(e) => {
                warnings.push(format!("page {}: {e}", i + 1));
                // kept empty, so that pages[k] stays page k + 1
                pages.push(Page {
                    height,
                    pieces: Vec::new(),
                });
            }
        }
    }
    let mut by_ocr = Vec::new();
    if !filled.is_empty() {
        let (left, size) = body_position(&pages);
        for &n in &blank {
            if let (Some(text), Some(page)) = (filled.get(&n), pages.get_mut(n as usize - 1)) {
                page.pieces = ocr_pieces(text, page.height, left, size);
                if !page.pieces.is_empty() {
                    by_ocr.push(n);
                }
            }
        }
        blank.retain(|n| !by_ocr.contains(n));
    }
    if count > MAX_PAGES {
        warnings.push(format!("only the first {MAX_PAGES} of {count} pages read"));
    }
    let text = text_of(&pages);
    let readable = text
        .chars()
        .filter(|c| c.is_alphanumeric() && !is_unmapped(*c))
        .count();
    if readable < 10 {
        if pages.iter().any(|p| !p.pieces.is_empty()) && text.chars().any(is_unmapped) {
            return Err(fail(
                "its fonts map no characters to Unicode, so its text cannot be read",
            ));
        }
        return Err(SkipReason::NoTextLayer { pages: count });
    }
    let listed = |pages: &[u32]| {
        pages
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !by_ocr.is_empty() {
        warnings.push(format!(
            "no text on page(s) {}: read by OCR (tesseract, chi_sim)",
            listed(&by_ocr)
        ));
    }
    let mixed = !blank.is_empty() && blank.len() < pages.len();
    if mixed {
        warnings.push(format!("no text on page(s) {} (scanned?)", listed(&blank)));
    }
    Ok(Extracted {
        text,
        pages: Some(count),
        warnings,
        blank_pages: if mixed { blank } else { Vec::new() },
    })
}

/// The body's most common left edge and font size on the pages that have
/// text, rounded to a unit (where a page read by OCR puts its lines).
fn body_position(pages: &[Page]) -> (f64, f64) {
    let mut xs: BTreeMap<i64, usize> = BTreeMap::new();
    let mut sizes: BTreeMap<i64, usize> = BTreeMap::new();
    for p in pages.iter().flat_map(|p| &p.pieces) {
        *xs.entry(p.x.round() as i64).or_default() += 1;
        *sizes.entry(p.size.round() as i64).or_default() += p.text.chars().count();
    }
    let most = |m: BTreeMap<i64, usize>, default: f64| {
        m.into_iter()
            .max_by_key(|&(_, n)| n)
            .map_or(default, |(v, _)| v as f64)
    };
    (most(xs, 72.0), most(sizes, 16.0).max(1.0))
}

/// The lines OCR read from a page as pieces: at the body's left edge, one
/// and a half sizes apart, spread over the page (the first and last lines
/// near its edges, where a page number stands).
fn ocr_pieces(text: &str, height: f64, left: f64, size: f64) -> Vec<Piece> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let height = if height > 0.0 { height } else { 842.0 };
    let step = (height * 0.9 / lines.len().saturating_sub(1).max(1) as f64).max(size * 1.5);
    lines
        .iter()
        .enumerate()
        .map(|(k, l)| Piece {
            x: left,
            y: height * 0.05 + step * k as f64,
            width: 0.0,
            size,
            text: clean(l),
        })
        .collect()
}

/// A character a font without a Unicode map produces: a private-use code
/// point or the replacement character.
fn is_unmapped(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FFFD}')
}

/// Control characters out (a NUL or a form feed from a font's codes); a
/// no-break space or a tab read as a space (an ideographic space stays:
/// the layout reads a typed indent from it).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .map(|c| if c == '\u{a0}' || c == '\t' { ' ' } else { c })
        .collect()
}
