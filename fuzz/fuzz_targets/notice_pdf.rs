//! Fuzz the PDF reader and the page layout on the bytes of a `.pdf` file,
//! uncontained (a panic inside oxidize-pdf or the layout must show here,
//! where `gongwen index` would catch it), then the whole notice pipeline.
#![no_main]

use gongwen::notice::document::{Format, read};
use gongwen::notice::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(got) = read(data, Format::Pdf) {
        assert!(got.pages.is_some(), "a PDF has pages");
    }
    if let Ok(parsed) = parse_bytes(data, "fuzz.pdf", FileKind::Document) {
        common::check(&parsed);
    }
});
