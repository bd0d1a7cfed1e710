//! Fuzz the crawler-export reader: the same bytes as JSON Lines (`.jsonl`)
//! and as a JSON array (`.json`).
#![no_main]

use gongwen::notice::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for (kind, name) in [
        (FileKind::JsonLines, "fuzz.jsonl"),
        (FileKind::Json, "fuzz.json"),
    ] {
        if let Ok(parsed) = parse_bytes(data, name, kind) {
            for n in &parsed.notices {
                assert!(n.path.starts_with(name), "record path {:?}", n.path);
            }
            for s in &parsed.skipped {
                assert!(s.path.starts_with(name), "skipped path {:?}", s.path);
            }
            common::check(&parsed);
        }
    }
});
