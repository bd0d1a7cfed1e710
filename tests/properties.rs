//! Property tests: whatever text or query arrives, parsing, analysis,
//! snippets and search never panic, and every offset they report is valid.

use std::sync::OnceLock;

use gongwen::analysis::{ngram_tokens, word_tokens};
use gongwen::index::{self, IndexHandle};
use gongwen::notice::{decode, parse_text};
use gongwen::search::{self, SearchRequest, snippet};
use proptest::prelude::*;

/// Text drawn from the characters notices are made of, plus anything at all.
fn notice_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "一、",
        "（一）",
        "1.",
        "1）",
        "（1）",
        "①",
        "第一章",
        "第二条",
        "关于",
        "问题",
        "“",
        "”",
        "巡察",
        "整改",
        "差旅费",
        "。",
        "，",
        "\n",
        "\n\n",
        " ",
        "　",
        "日期:2024-10-15",
        "来源：",
        "发布时间：",
        "2023年8月8日",
        "二〇二四年三月五日",
        "ＦＤＩ",
        "5G+",
        "中共某某党组",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_never_panics(text in notice_like()) {
        let _ = parse_text(&text, "x.txt");
    }

    #[test]
    fn decoding_and_parsing_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(text) = decode(&bytes) {
            let _ = parse_text(&text, "x.txt");
        }
    }

    #[test]
    fn analyzer_offsets_lie_on_char_boundaries_inside_the_text(text in notice_like()) {
        for t in word_tokens(&text).iter().chain(ngram_tokens(&text).iter()) {
            prop_assert!(t.offset_from < t.offset_to, "{t:?}");
            prop_assert!(t.offset_to <= text.len());
            prop_assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
        }
    }

    #[test]
    fn highlights_lie_inside_their_snippet(text in notice_like(), terms in prop::collection::vec(notice_like(), 0..4)) {
        let s = snippet::make(&text, &terms);
        let len = s.text.chars().count();
        let mut prev_end = 0;
        for [a, b] in &s.highlights {
            prop_assert!(a < b && *b <= len, "{:?} in {} chars", s.highlights, len);
            prop_assert!(*a >= prev_end, "overlapping {:?}", s.highlights);
            prev_end = *b;
        }
    }
}

fn sample_index() -> &'static (tempfile::TempDir, IndexHandle) {
    static INDEX: OnceLock<(tempfile::TempDir, IndexHandle)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let idx = dir.path().join("index");
        index::build(&corpus, &idx, true, &mut |_| {}).expect("index the samples");
        let handle = IndexHandle::open(&idx).expect("open");
        (dir, handle)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_query_gives_results_or_an_error_never_a_panic(
        q in prop_oneof![
            notice_like(),
            prop::sample::select(vec![
                "\"", "\"unbalanced", "(", ")", "OR", "AND", "NOT", "-", "*", "?", "title:", "foo:bar",
                "a OR", "OR b", "--", "🎉🎉", "[1 TO 2]", "+巡察 -", "\\\\", "^2", "~", "heading:\"",
            ]).prop_map(String::from),
        ],
        limit in 0usize..50,
        offset in 0usize..5,
    ) {
        let (_dir, handle) = sample_index();
        let req = SearchRequest { query: q, limit, offset, ..Default::default() };
        if let Ok(r) = search::search(handle, &req) {
            prop_assert!(r.hits.len() <= limit);
            for h in &r.hits {
                for s in &h.sections {
                    let len = s.snippet.chars().count();
                    prop_assert!(s.highlights.iter().all(|[a, b]| a < b && *b <= len));
                }
            }
        }
    }
}
