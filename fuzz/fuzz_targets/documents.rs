//! What the document targets share: an input cut into XML parts that are
//! zipped under the names a reader looks for (so that mutations reach the
//! XML, not only the zip's headers), and the checks on what a reader
//! returns.

use std::io::Write;

use gongwen::notice::document::Extracted;
use gongwen::notice::{ParsedFile, parse_text};

/// Where an input is cut into parts.
pub const SEPARATOR: &[u8] = b"\n--part--\n";

/// A zip of the input's parts under `names` (an input starting with a zip
/// header is used as it is).
pub fn zipped(data: &[u8], names: &[&str]) -> Vec<u8> {
    if data.starts_with(b"PK\x03\x04") {
        return data.to_vec();
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, part) in names.iter().zip(parts(data)) {
        w.start_file(*name, options).expect("zip entry");
        w.write_all(part).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        out.push(&rest[..i]);
        rest = &rest[i + SEPARATOR.len()..];
    }
    out.push(rest);
    out
}

/// A reader's text is in the plain-text layout (lines trimmed, no empty
/// line, no control character but the line end) and reads as a notice
/// that passes the notice checks.
pub fn check(got: &Extracted) {
    for line in got.text.lines() {
        assert!(!line.is_empty(), "an empty line");
        assert_eq!(line, line.trim(), "an untrimmed line");
        assert!(!line.chars().any(char::is_control), "a control character");
    }
    if let Ok(n) = parse_text(&got.text, "fuzz") {
        super::common::check(&ParsedFile {
            notices: vec![n],
            skipped: Vec::new(),
        });
    }
}
