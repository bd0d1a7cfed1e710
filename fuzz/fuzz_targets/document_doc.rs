//! Fuzz the DOC/WPS reader (compound file, FIB, piece table, fields) on
//! the bytes of a `.doc` file.
#![no_main]

use gongwen::notice::document::{Format, read};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
// Only its checks: a DOC is not a zip.
#[allow(dead_code)]
#[path = "documents.rs"]
mod documents;

fuzz_target!(|data: &[u8]| {
    if let Ok(got) = read(data, Format::Doc) {
        documents::check(&got);
    }
});
