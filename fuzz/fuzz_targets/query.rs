//! Fuzz the query language: the parser alone, then a search (and the
//! `analyze` explanation) against an index of the two sample notices built
//! once per process in a temporary folder.
//!
//! Input: one control byte, then the query as UTF-8. The control byte picks
//! the page size (bits 0-4), the offset (bits 5-6) and date order (bit 7),
//! so that paging and sorting are fuzzed too.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use gongwen::index::{self, IndexHandle};
use gongwen::search::{self, SearchRequest, SortOrder, explain, query};
use libfuzzer_sys::fuzz_target;

fn sample_index() -> &'static (tempfile::TempDir, IndexHandle) {
    static INDEX: OnceLock<(tempfile::TempDir, IndexHandle)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let idx = dir.path().join("index");
        index::build(&corpus, &idx, true, &mut |_| {}).expect("index the samples");
        let handle = IndexHandle::open(&idx).expect("open the index");
        (dir, handle)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let Ok(q) = std::str::from_utf8(rest) else {
        return;
    };
    let parsed = query::parse(q);
    for atom in parsed.clauses.iter().flatten().chain(&parsed.excluded) {
        assert!(query::has_searchable(&atom.text), "{atom:?} from {q:?}");
    }
    assert!(parsed.clauses.iter().all(|c| !c.is_empty()), "{parsed:?}");

    let (_dir, handle) = sample_index();
    let _ = explain::analyze(q, Some(handle));
    let req = SearchRequest {
        query: q.to_string(),
        limit: usize::from(ctl & 0x1f),
        offset: usize::from((ctl >> 5) & 0x3),
        sort: if ctl & 0x80 != 0 {
            SortOrder::Date
        } else {
            SortOrder::Relevance
        },
        ..Default::default()
    };
    if let Ok(r) = search::search(handle, &req) {
        assert!(
            r.hits.len() <= req.limit,
            "{} hits for limit {}",
            r.hits.len(),
            req.limit
        );
        assert!(
            r.hits.len() + req.offset <= r.total.max(req.offset),
            "{r:?}"
        );
        for (i, h) in r.hits.iter().enumerate() {
            assert_eq!(h.rank, req.offset + i + 1, "ranks are consecutive");
            for s in &h.sections {
                let len = s.snippet.chars().count();
                let mut prev = 0;
                for &[a, b] in &s.highlights {
                    assert!(a < b && b <= len, "{:?} in {len} chars", s.highlights);
                    assert!(a >= prev, "overlapping {:?}", s.highlights);
                    prev = b;
                }
            }
        }
    }
});
