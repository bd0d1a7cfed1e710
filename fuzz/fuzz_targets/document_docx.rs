//! Fuzz the DOCX reader: the input's parts (cut at `--part--` lines) as
//! `word/document.xml`, `word/numbering.xml` and `word/styles.xml`.
#![no_main]

use gongwen::notice::document::{Format, read};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "documents.rs"]
mod documents;

fuzz_target!(|data: &[u8]| {
    let bytes = documents::zipped(
        data,
        &["word/document.xml", "word/numbering.xml", "word/styles.xml"],
    );
    if let Ok(got) = read(&bytes, Format::Docx) {
        documents::check(&got);
    }
});
