//! PDF: the text layer of each page, with positions, through oxidize-pdf,
//! rebuilt into lines and paragraphs by [`super::layout`].
//!
//! Chinese text in 公文 PDFs comes in CID fonts, with a ToUnicode map or
//! with one of the predefined CMaps (UniGB-UCS2-H, GBK-EUC-H) and no map at
//! all; oxidize-pdf decodes both. A PDF encrypted only against editing
//! (an empty user password, common on government sites) is opened; one
//! that needs a password is a skip reason.

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
            Err(e) => warnings.push(format!("page {}: {e}", i + 1)),
        }
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
    if !blank.is_empty() && blank.len() < pages.len() {
        warnings.push(format!(
            "no text on page(s) {} (scanned?)",
            blank
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Extracted {
        text,
        pages: Some(count),
        warnings,
    })
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
