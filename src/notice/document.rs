//! Office and fixed-layout documents (PDF, DOCX, DOC/WPS, OFD) as text.
//!
//! Each format has its own reader that turns the file into the plain-text
//! layout (one paragraph or visual line per line, page furniture removed);
//! the notice is then read from that text by the same rules as a `.txt`
//! file, so a PDF's red header and 文号 line reach the title, agency and date
//! rules exactly as a pasted page would.
//!
//! The format is decided by the file's first bytes, not its name: real
//! folders hold `.doc` files that are DOCX or web pages, and `.wps` files
//! that are Word binaries.
//!
//! Readers of these formats are large and their input is hostile (a broken
//! or crafted file from anywhere), so every reader runs *contained*: on a
//! thread of its own, with a panic caught and reported as a skip reason
//! naming the file, and with a time limit after which the run goes on
//! without it.

use std::sync::mpsc;
use std::time::Duration;

use serde::Serialize;

use super::SkipReason;

/// What a document reader made of a file: shown by `gongwen parse`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Extraction {
    /// The reader that ran: `pdf`, `docx`, `doc`, `ofd`.
    pub extractor: &'static str,
    /// Pages read, for the paged formats (PDF, OFD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Characters of text the reader produced.
    pub chars: usize,
    /// What the reader could not read (pages without text, a page that
    /// failed); the notice holds the rest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Pages without text in a PDF that has text on others (a scanned page
    /// among typeset ones), 1-based: what OCR can read.
    #[serde(skip)]
    pub blank_pages: Vec<u32>,
}

/// The text of a document and how it was read.
#[derive(Debug)]
pub struct Extracted {
    /// The document's text in the plain-text layout.
    pub text: String,
    /// Pages read, for the paged formats.
    pub pages: Option<u32>,
    /// What could not be read.
    pub warnings: Vec<String>,
    /// Pages without text in a PDF that has text on others (1-based).
    pub blank_pages: Vec<u32>,
}

/// The document formats, told apart by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `%PDF-`.
    Pdf,
    /// A zip holding `word/document.xml` (also WPS Office's `.docx`/`.wps` saved as OOXML).
    Docx,
    /// A zip holding `OFD.xml`.
    Ofd,
    /// An OLE2 compound file (Word 97–2003 `.doc`, WPS `.wps`).
    Doc,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Ofd => "ofd",
            Format::Doc => "doc",
        }
    }

    /// What a user calls the format, in messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Ofd => "OFD",
            Format::Doc => "Word 97-2003 (DOC/WPS)",
        }
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The document format of `bytes`, if they are one of the document formats
/// gongwen reads. A PDF may carry junk before its header (the format allows
/// up to 1 KiB); a zip is told apart by the names of its entries.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Some(Format::Doc);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return super::zipped::kind(bytes);
    }
    None
}

/// How long one document may take before the run goes on without it.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Read the document in `bytes` (of format `format`) as text, contained.
pub fn extract(bytes: &[u8], format: Format) -> Result<(String, Extraction), SkipReason> {
    let owned = bytes.to_vec();
    let got = contained(format, TIME_LIMIT, move || read(&owned, format))?;
    Ok(finish(got, format.name()))
}

/// [`extract`] for a PDF whose pages without text were read by OCR: each
/// page of `filled` (1-based number → the text OCR read) is laid out with
/// the others, in its place.
pub fn extract_pdf_filled(
    bytes: &[u8],
    filled: std::collections::BTreeMap<u32, String>,
) -> Result<(String, Extraction), SkipReason> {
    let owned = bytes.to_vec();
    let got = contained(Format::Pdf, TIME_LIMIT, move || {
        super::pdf::extract_filled(&owned, &filled)
    })?;
    Ok(finish(got, "pdf+ocr"))
}

fn finish(got: Extracted, extractor: &'static str) -> (String, Extraction) {
    let chars = got.text.chars().filter(|c| !c.is_whitespace()).count();
    (
        got.text,
        Extraction {
            extractor,
            pages: got.pages,
            chars,
            warnings: got.warnings,
            blank_pages: got.blank_pages,
        },
    )
}

/// Run the reader of `format` on `bytes` on this thread, not contained:
/// for the fuzz targets, which must see a reader's panic.
#[doc(hidden)]
pub fn read(bytes: &[u8], format: Format) -> Result<Extracted, SkipReason> {
    match format {
        Format::Pdf => super::pdf::extract(bytes),
        Format::Docx => super::docx::extract(bytes),
        Format::Ofd => super::ofd::extract(bytes),
        Format::Doc => super::doc::extract(bytes),
    }
}

/// The name of the threads readers run on; the panic hook stays silent for
/// them (the panic becomes a skip reason instead of a message on stderr).
const THREAD_NAME: &str = "gongwen-document";

/// Run `f` on a thread of its own: a panic becomes a [`SkipReason`], and
/// after `limit` the caller goes on without waiting (the thread is left to
/// finish on its own; it holds only its own copy of the input).
fn contained(
    format: Format,
    limit: Duration,
    f: impl FnOnce() -> Result<Extracted, SkipReason> + Send + 'static,
) -> Result<Extracted, SkipReason> {
    quiet_panics_on_reader_threads();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(THREAD_NAME.to_string())
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            // The receiver may have given up waiting: nothing to do then.
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(SkipReason::Io(e));
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(r)) => r,
        Ok(Err(payload)) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_string());
            Err(SkipReason::Document(format!(
                "the {} reader failed on this file ({})",
                format.label(),
                what.chars().take(120).collect::<String>()
            )))
        }
        Err(_) => Err(SkipReason::Document(format!(
            "gave up reading this {} after {} s",
            format.label(),
            limit.as_secs()
        ))),
    }
}

/// Install, once, a panic hook that says nothing for reader threads and
/// defers to the previous hook for every other thread.
fn quiet_panics_on_reader_threads() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(THREAD_NAME) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_formats_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Format::Pdf));
        assert_eq!(sniff(b"\r\n\r\n%PDF-1.4"), Some(Format::Pdf));
        assert_eq!(sniff(OLE_MAGIC), Some(Format::Doc));
        assert_eq!(sniff("关于印发的通知".as_bytes()), None);
        assert_eq!(sniff(b"PK\x03\x04 not really a zip"), None);
    }

    #[test]
    fn a_panicking_reader_is_a_skip_reason_not_a_crash() {
        let r = contained(Format::Pdf, Duration::from_secs(5), || {
            panic!("index out of bounds")
        });
        let msg = r.expect_err("a panic is an error").to_string();
        assert!(msg.contains("PDF reader failed"), "{msg}");
        assert!(msg.contains("index out of bounds"), "{msg}");
    }

    #[test]
    fn a_stalled_reader_is_given_up() {
        let r = contained(Format::Ofd, Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
            Err(SkipReason::Empty)
        });
        let msg = r.expect_err("a stall is an error").to_string();
        assert!(msg.contains("gave up"), "{msg}");
    }
}
