//! The `Notice` model and turning a file into one.
//!
//! A notice is what a researcher thinks of as one document: a title, the body
//! that issued it (agency), the date it bears, the republishing site (source),
//! its heading tree and the sections under the headings. This module never
//! touches the index: `gongwen parse` shows exactly what it produces.
//!
//! Files arrive as plain text in any common encoding ([`decode`]), as saved
//! web pages (`html`), as crawler exports with one record per notice
//! (`records`) and as documents — PDF, DOCX, DOC/WPS, OFD ([`document`]).
//! Pages, records and documents are first written out in the plain-text
//! layout, so that every notice is read by the same rules (`text`).

mod decode;
mod doc;
pub mod document;
mod docx;
mod fields;
mod glosses;
mod head;
mod headings;
mod html;
mod layout;
mod noise;
pub mod ocr;
mod ofd;
mod pdf;
mod records;
mod text;
mod xml;
mod zipped;

use std::path::Path;

use serde::Serialize;

pub use decode::{DAMAGE_PER_MILLE, decode};
pub use document::Extraction;
pub use fields::{Ymd, is_han};
pub use headings::Heading;

/// `s` folded (see [`crate::normal::normalize`]) without its whitespace:
/// how two writings of one title or name are compared.
pub(crate) fn folded_compact(s: &str) -> String {
    crate::normal::normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Bumped whenever what the reader makes of a file changes (titles,
/// agencies, dates, headings): `gongwen index` then reads every file again,
/// so an index never mixes notices read by two versions.
pub const READER_VERSION: u32 = 23;

/// One section: the text under one heading (or before the first heading).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Section {
    /// Texts of the headings from the top level down to this section's own.
    pub heading_path: Vec<String>,
    /// The section's own heading without its numbering; `None` for the text
    /// before the first heading.
    pub heading: Option<String>,
    /// The numbering of the section's own heading (一、, （一）, 1. …).
    #[serde(skip)]
    pub number: Option<String>,
    /// The problem label quoted in the heading (针对“学习贯彻不够”问题… →
    /// 学习贯彻不够), when there is one.
    pub issue: Option<String>,
    /// The section's text, lines joined by `\n`, page chrome removed; it
    /// starts with the heading line as written (for a run-in heading such as
    /// `（一）强化组织领导。投资…`, the whole paragraph).
    pub text: String,
}

/// What names a notice in every list: the one declaration of these fields,
/// shared by a parsed [`Notice`], a search hit and a notice read back from
/// the index.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct NoticeHead {
    /// The notice's id in an index: its path, with `#N` for the N-th record
    /// of a crawler export.
    pub id: String,
    /// Path relative to the corpus root, with `/` separators (`#N` included).
    pub path: String,
    /// The title, with a title split over two lines joined; empty (`null`
    /// in JSON) when the text has none (it starts with its body).
    #[serde(serialize_with = "title_or_null")]
    pub title: String,
    /// The issuing body (发文机关), never a republishing site.
    pub agency: Option<String>,
    /// The date the notice bears, when it states one.
    pub date: Option<Ymd>,
}

impl NoticeHead {
    /// What a list shows for the notice: its title, or its file's name when
    /// the text has no title.
    pub fn shown_title(&self) -> &str {
        if self.title.is_empty() {
            self.path.rsplit('/').next().unwrap_or(&self.path)
        } else {
            &self.title
        }
    }
}

fn title_or_null<S: serde::Serializer>(title: &str, s: S) -> Result<S::Ok, S::Error> {
    if title.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(title)
    }
}

/// A parsed notice.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    /// Id, path, title, agency and date.
    #[serde(flatten)]
    pub head: NoticeHead,
    /// How the title was found (`line`, `lines` for a title broken over
    /// lines, `label:标题`, `quoted` from a press item's lead, `first line`
    /// when no line reads as a title, `first sentence`).
    pub title_source: String,
    /// How the agency was found (`label:发文机关`, `red header`, `above
    /// title`, `title`, `signature`, `label:发布机构`, `label:来源`, …).
    pub agency_source: Option<String>,
    /// How the date was found (`label:发布时间`, `signature`, …).
    pub date_source: Option<String>,
    /// The republishing site or newspaper (来源), when given.
    pub source: Option<String>,
    /// The document number (文号) such as 国办发〔2019〕5号, when given.
    pub doc_number: Option<String>,
    /// Which document reader produced the text, and how much it read (PDF,
    /// DOCX, DOC, OFD); `None` for text, pages and records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction: Option<Extraction>,
    /// The heading tree.
    pub headings: Vec<Heading>,
    /// Sections in document order; the first is the text before any heading.
    pub sections: Vec<Section>,
    /// Every line before the first heading, chrome and metadata included: the
    /// n-gram fields index it so that search finds whatever grep finds.
    #[serde(skip)]
    pub head_raw: String,
}

/// Why a file was not turned into a notice.
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("larger than the {} MiB limit for one notice file", MAX_FILE_BYTES >> 20)]
    TooLarge,
    /// The file is empty or only whitespace.
    #[error("empty file")]
    Empty,
    /// The file holds binary data.
    #[error("binary file (NUL bytes)")]
    Binary,
    /// The file's encoding cannot be determined, or its text is damaged.
    #[error("{0}")]
    Encoding(String),
    /// The text holds no title or body.
    #[error("no text content")]
    NoContent,
    /// A crawler export, or one record of it, is not valid JSON.
    #[error("invalid JSON on line {line}, column {column}: {message}")]
    Json {
        /// Line of the file.
        line: usize,
        /// Column of the line.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// A record of a crawler export holds no notice.
    #[error("{0}")]
    Record(String),
    /// A document (PDF, DOCX, DOC, OFD) that cannot be read: damaged,
    /// encrypted, too large when inflated, or its reader failed.
    #[error("{0}")]
    Document(String),
    /// A paged document whose pages carry no text: a scan, or text drawn as
    /// outlines.
    #[error("no text layer on its {pages} page(s): scanned, or text drawn as outlines?")]
    NoTextLayer {
        /// Pages of the document.
        pages: u32,
    },
}

impl From<std::io::Error> for SkipReason {
    // Not `#[from]`: that would also make the I/O error the `source`, and
    // `{:#}` would print its message twice.
    fn from(e: std::io::Error) -> Self {
        SkipReason::Io(e)
    }
}

/// File name extensions `index` reads.
pub const EXTENSIONS: &[&str] = &[
    "txt", "html", "htm", "shtml", "json", "jsonl", "ndjson", "pdf", "docx", "doc", "wps", "ofd",
];

/// True when `path` has an extension gongwen reads.
pub fn is_notice_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// How a file is read, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A plain-text notice (a saved page with a `.txt` name is read as HTML).
    Text,
    /// A saved web page (`.html`, `.htm`, `.shtml`).
    Html,
    /// A crawler export: a JSON array of records (`.json`).
    Json,
    /// A crawler export: one JSON record per line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// A document: PDF, DOCX, DOC/WPS or OFD (`.pdf`, `.docx`, `.doc`,
    /// `.wps`, `.ofd`); which one is told by its content.
    Document,
}

impl FileKind {
    /// The kind of the file at `path`, by its extension.
    pub fn of(path: &Path) -> FileKind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm" | "shtml" | "xhtml") => FileKind::Html,
            Some("json") => FileKind::Json,
            Some("jsonl" | "ndjson") => FileKind::JsonLines,
            Some("pdf" | "docx" | "doc" | "wps" | "ofd") => FileKind::Document,
            _ => FileKind::Text,
        }
    }
}

/// What one file yields: one notice for a text file or a page, one per
/// record for a crawler export.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// The notices, in file order. The path of an export's notice is
    /// `<file>#<record number>`.
    pub notices: Vec<Notice>,
    /// Records of an export that hold no notice, in file order.
    pub skipped: Vec<SkippedRecord>,
}

/// A record of a crawler export that was not read.
#[derive(Debug)]
pub struct SkippedRecord {
    /// `<file>#<record number>`.
    pub path: String,
    /// Why (the reason names the line or record).
    pub reason: SkipReason,
}

/// The largest notice file gongwen reads: 64 MiB.
///
/// The largest real notice of the sample corpus is well under 1 MB, and a
/// file takes about ten times its size in memory while it is parsed; the
/// limit keeps one stray file (a disk image, `/dev/urandom`, an endless pipe)
/// from taking the machine's memory while leaving room for any real notice.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Read the file at `path`, refusing one larger than [`MAX_FILE_BYTES`].
///
/// At most the limit plus one byte is ever read, so a device or a pipe that
/// never ends is bounded too.
pub fn read_file(path: &Path) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    // The size is a hint only: a device reports 0 and a file may grow.
    let hint = file.metadata().map_or(0, |m| m.len());
    if hint > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge);
    }
    Ok(bytes)
}

/// How files are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read PDF pages without a text layer by OCR ([`ocr`]), when the OCR
    /// programs are installed.
    pub ocr: bool,
}

/// Read and parse the file at `path`; `rel` is the path to record (relative
/// to the corpus root).
pub fn parse_file(path: &Path, rel: &str) -> Result<ParsedFile, SkipReason> {
    parse_file_with(path, rel, ReadOptions::default())
}

/// [`parse_file`] with options.
pub fn parse_file_with(
    path: &Path,
    rel: &str,
    opts: ReadOptions,
) -> Result<ParsedFile, SkipReason> {
    let bytes = read_file(path)?;
    parse_bytes_with(&bytes, rel, FileKind::of(path), opts)
}

/// Parse the bytes of a file of the given kind; `rel` is its path.
pub fn parse_bytes(bytes: &[u8], rel: &str, kind: FileKind) -> Result<ParsedFile, SkipReason> {
    parse_bytes_with(bytes, rel, kind, ReadOptions::default())
}

/// [`parse_bytes`] with options.
pub fn parse_bytes_with(
    bytes: &[u8],
    rel: &str,
    kind: FileKind,
    opts: ReadOptions,
) -> Result<ParsedFile, SkipReason> {
    let one = |n: Notice| ParsedFile {
        notices: vec![n],
        skipped: Vec::new(),
    };
    // A document is told by its content: a `.doc` may be a DOCX or a saved
    // page, a `.txt` download may be a PDF. Outside the document names only
    // a header at the very start counts, so a text that quotes one is text.
    let format = match kind {
        FileKind::Document => document::sniff(bytes),
        _ => document::sniff(bytes)
            .filter(|_| bytes.starts_with(b"%PDF-") || bytes.starts_with(b"PK\x03\x04")),
    };
    if let Some(format) = format {
        return parse_document(bytes, rel, format, opts).map(one);
    }
    match kind {
        FileKind::Html => {
            let text = decode::decode_with(bytes, html::declared_charset(bytes))?.text;
            parse_html(&text, rel).map(one)
        }
        FileKind::Text | FileKind::Document => {
            let text = decode(bytes)?;
            if html::looks_like_html(&text) {
                parse_html(&text, rel).map(one)
            } else {
                let text = html::markup_lines_read(&text).unwrap_or(text);
                parse_text(&text, rel).map(one)
            }
        }
        FileKind::Json | FileKind::JsonLines => {
            let text = decode(bytes)?;
            let mut out = ParsedFile::default();
            for (n, rec) in records::records(&text, kind == FileKind::JsonLines)? {
                let path = format!("{rel}#{n}");
                // The file name's date is not the record's: parse without it.
                match rec.and_then(|t| parse_text(&t, "")) {
                    Ok(mut notice) => {
                        notice.head.id = path.clone();
                        notice.head.path = path;
                        out.notices.push(notice);
                    }
                    Err(reason) => out.skipped.push(SkippedRecord { path, reason }),
                }
            }
            Ok(out)
        }
    }
}

/// Parse a document (PDF, DOCX, DOC, OFD): its text is read by
/// [`parse_text`] and the notice records which reader ran.
pub fn parse_document(
    bytes: &[u8],
    rel: &str,
    format: document::Format,
    opts: ReadOptions,
) -> Result<Notice, SkipReason> {
    let (text, extraction) = match document::extract(bytes, format) {
        Err(SkipReason::NoTextLayer { pages })
            if opts.ocr && format == document::Format::Pdf && pages > 0 =>
        {
            by_ocr(bytes, pages)?
        }
        other => other?,
    };
    let (text, extraction) = if opts.ocr && !extraction.blank_pages.is_empty() {
        with_ocr_pages(bytes, text, extraction)
    } else {
        (text, extraction)
    };
    let mut notice =
        text::parse_with(&text, rel, true).map_err(|e| match (e, extraction.pages) {
            (SkipReason::NoContent | SkipReason::Empty, Some(pages)) => {
                SkipReason::NoTextLayer { pages }
            }
            (e, _) => e,
        })?;
    notice.extraction = Some(extraction);
    Ok(notice)
}

/// A PDF with text on some pages and none on others (a signed page scanned
/// back in among typeset ones): those pages read by OCR and laid out in
/// their place. If OCR fails, the text read without them stands, with a
/// warning saying why.
fn with_ocr_pages(bytes: &[u8], text: String, extraction: Extraction) -> (String, Extraction) {
    let wanted: Vec<u32> = extraction
        .blank_pages
        .iter()
        .copied()
        .take(ocr::MAX_PAGES as usize)
        .collect();
    let read = match ocr::pdf_pages(bytes, &wanted) {
        Ok(read) => read,
        Err(e) => {
            let mut extraction = extraction;
            extraction.warnings.push(format!(
                "the pages without text could not be read by OCR: {e}"
            ));
            return (text, extraction);
        }
    };
    let filled = wanted.into_iter().zip(read).collect();
    document::extract_pdf_filled(bytes, filled).unwrap_or((text, extraction))
}

/// The text of a PDF without a text layer, read by OCR.
fn by_ocr(bytes: &[u8], pages: u32) -> Result<(String, Extraction), SkipReason> {
    let wanted: Vec<u32> = (1..=pages.min(ocr::MAX_PAGES)).collect();
    let text = ocr::pdf_pages(bytes, &wanted)?.join("\n");
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    if chars < 10 {
        return Err(SkipReason::NoTextLayer { pages });
    }
    let mut warnings = vec![format!(
        "no text layer: read by OCR (tesseract, chi_sim) from {} page(s)",
        wanted.len()
    )];
    if pages > ocr::MAX_PAGES {
        warnings.push(format!(
            "only the first {} of {pages} pages read by OCR",
            ocr::MAX_PAGES
        ));
    }
    Ok((
        text,
        Extraction {
            extractor: "pdf+ocr",
            pages: Some(pages),
            chars,
            warnings,
            blank_pages: Vec::new(),
        },
    ))
}

/// Parse the text of one plain-text notice.
pub fn parse_text(text: &str, rel: &str) -> Result<Notice, SkipReason> {
    text::parse(text, rel)
}

/// Parse a saved web page: its article is written out in the plain-text
/// layout and read by [`parse_text`].
pub fn parse_html(page: &str, rel: &str) -> Result<Notice, SkipReason> {
    parse_text(&html::page_text(page), rel)
}

#[cfg(test)]
mod tests;
