//! The `Notice` model and turning a file into one.
//!
//! A notice is what a researcher thinks of as one document: a title, the body
//! that issued it (agency), the date it bears, the republishing site (source),
//! its heading tree and the sections under the headings. This module never
//! touches the index: `gongwen parse` shows exactly what it produces.

mod fields;
mod headings;
mod text;

use std::path::Path;

use serde::Serialize;

pub use fields::Ymd;
pub use headings::Heading;

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
    /// The section's text, lines joined by `\n`, page chrome removed.
    pub text: String,
}

/// A parsed notice.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    /// The title, with a title split over two lines joined.
    pub title: String,
    /// The issuing body (发文机关), never a republishing site.
    pub agency: Option<String>,
    /// The date the notice bears, when it states one.
    pub date: Option<Ymd>,
    /// How the date was found (`label:发布时间`, `signature`, …).
    pub date_source: Option<String>,
    /// The republishing site or newspaper (来源), when given.
    pub source: Option<String>,
    /// The document number (文号) such as 国办发〔2019〕5号, when given.
    pub doc_number: Option<String>,
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
    /// The file is empty or only whitespace.
    #[error("empty file")]
    Empty,
    /// The file holds binary data.
    #[error("binary file (NUL bytes)")]
    Binary,
    /// The file is not valid UTF-8 text.
    #[error("not valid UTF-8 text ({0})")]
    Encoding(String),
    /// The text holds no title or body.
    #[error("no text content")]
    NoContent,
}

impl From<std::io::Error> for SkipReason {
    // Not `#[from]`: that would also make the I/O error the `source`, and
    // `{:#}` would print its message twice.
    fn from(e: std::io::Error) -> Self {
        SkipReason::Io(e)
    }
}

/// File name extensions `index` reads.
pub const EXTENSIONS: &[&str] = &["txt"];

/// True when `path` has an extension gongwen reads.
pub fn is_notice_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Decode file bytes into text, or say why they are not text.
pub fn decode(bytes: &[u8]) -> Result<String, SkipReason> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SkipReason::Empty);
    }
    if bytes.contains(&0) {
        return Err(SkipReason::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(SkipReason::Encoding(format!(
            "invalid byte at offset {}",
            e.valid_up_to()
        ))),
    }
}

/// Read and parse the file at `path`; `rel` is the path to record (relative
/// to the corpus root).
pub fn parse_file(path: &Path, rel: &str) -> Result<Notice, SkipReason> {
    let bytes = std::fs::read(path)?;
    let text = decode(&bytes)?;
    parse_text(&text, rel)
}

/// Parse the text of one plain-text notice.
pub fn parse_text(text: &str, rel: &str) -> Result<Notice, SkipReason> {
    text::parse(text, rel)
}

#[cfg(test)]
mod tests;
