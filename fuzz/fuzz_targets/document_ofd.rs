//! Fuzz the OFD reader: the input's parts (cut at `--part--` lines) as
//! `OFD.xml`, `Doc_0/Document.xml`, two pages and a template page.
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
        &[
            "OFD.xml",
            "Doc_0/Document.xml",
            "Doc_0/Pages/Page_0/Content.xml",
            "Doc_0/Pages/Page_1/Content.xml",
            "Doc_0/Tpls/Tpl_0/Content.xml",
        ],
    );
    if let Ok(got) = read(&bytes, Format::Ofd) {
        assert!(got.pages.is_some(), "OFD is paged");
        documents::check(&got);
    }
});
