//! Fuzz the notice parser on the bytes of a `.html` file.
#![no_main]

use gongwen::notice::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = parse_bytes(data, "fuzz.html", FileKind::Html) {
        assert_eq!(parsed.notices.len(), 1, "a html file is one notice");
        common::check(&parsed);
    }
});
