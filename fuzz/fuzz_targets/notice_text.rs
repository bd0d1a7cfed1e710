//! Fuzz the notice parser on the bytes of a `.text` file.
#![no_main]

use gongwen::notice::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = parse_bytes(data, "fuzz.text", FileKind::Text) {
        assert_eq!(parsed.notices.len(), 1, "a text file is one notice");
        common::check(&parsed);
    }
});
