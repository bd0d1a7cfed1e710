//! Fuzz the query language: the parser alone, then a search (and the
//! `analyze` explanation) against an index of the two sample notices built
//! once per process in a temporary folder.
//!
//! Input: three control bytes, then the query as UTF-8. The first picks the
//! page size (bits 0-4), the offset (bits 5-6) and date order (bit 7); the
//! next two, when not 0, a `--from` and a `--to` year (byte × 40, so years
//! 0040-9960 and beyond, through `parse_date_bound`), so that paging,
//! sorting and date filters are fuzzed too.
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
    let [ctl, from, to, rest @ ..] = data else {
        return;
    };
    let ctl = *ctl;
    let year = |b: u8, end: bool, what: &str| {
        (b != 0)
            .then(|| search::parse_date_bound(&format!("{:04}", u32::from(b) * 40), end, what))
            .and_then(Result::ok)
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
        from: year(*from, false, "--from"),
        to: year(*to, true, "--to"),
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
        let (lo, hi) = (
            req.from.map(|d| d.to_string()),
            req.to.map(|d| d.to_string()),
        );
        for (i, h) in r.hits.iter().enumerate() {
            assert_eq!(h.rank, req.offset + i + 1, "ranks are consecutive");
            if lo.is_some() || hi.is_some() {
                let date = h.date.as_deref().expect("a date-filtered hit has a date");
                assert!(
                    lo.as_deref().is_none_or(|lo| date >= lo)
                        && hi.as_deref().is_none_or(|hi| date <= hi),
                    "{date} outside {lo:?}..{hi:?}"
                );
            }
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
