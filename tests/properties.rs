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

// ---- documents ----------------------------------------------------------
//
// Damaged office and OFD files: the fixtures with bytes overwritten and
// cut short, read by each reader on the test's own thread (not contained,
// so a panic fails the test). The fuzz targets `document_*` go further.

mod documents {
    use std::io::{Read, Write};
    use std::sync::OnceLock;

    use gongwen::notice::document::{Format, read};
    use proptest::prelude::*;

    const DOC: &[u8] = include_bytes!("fixtures/docs/notice-typed.doc");
    const DOCX: &[u8] = include_bytes!("fixtures/docs/notice-numbered.docx");
    const DOCX_PARTS: [&str; 3] = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];

    const OFD_NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

    fn ofd_parts() -> Vec<(&'static str, String)> {
        let obj = |x: f64, y: f64, t: &str| {
            let n = t.chars().count();
            format!(
                r#"<ofd:TextObject ID="1" Size="5.6" Boundary="{x} {} {} 8"><ofd:TextCode X="0" Y="5.6" DeltaX="g {} 5.6">{t}</ofd:TextCode></ofd:TextObject>"#,
                y - 5.6,
                n as f64 * 5.6,
                n.saturating_sub(1)
            )
        };
        let page = format!(
            r#"<ofd:Page {OFD_NS}><ofd:Template TemplateID="5"/><ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="3" Size="5.6" CTM="1 0 0 1 0 0" Boundary="75 62 60 8"><ofd:TextCode X="0" Y="5.6" DeltaX="5.6 5.6 5.6 5.6 2.8 2.8 2.8">某环发〔202</ofd:TextCode><ofd:TextCode X="30.8" DeltaX="5.6 2.8 2.8">4〕15号</ofd:TextCode><ofd:TextCode X="0" Y="20" DeltaY="g 2 6">竖排字</ofd:TextCode></ofd:TextObject>{}{}<ofd:PageBlock>{}</ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>"#,
            obj(40.0, 90.0, "某某局关于开展专项检查的通知"),
            obj(28.0, 120.0, "各有关单位："),
            obj(39.2, 129.0, "一、检查范围"),
        );
        vec![
            (
                "OFD.xml",
                format!(
                    r#"<ofd:OFD {OFD_NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
                ),
            ),
            (
                "Doc_0/Document.xml",
                format!(
                    r#"<ofd:Document {OFD_NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#
                ),
            ),
            ("Doc_0/Pages/Page_0/Content.xml", page),
            (
                "Doc_0/Tpls/Tpl_0/Content.xml",
                r#"<Page xmlns="http://www.ofdspec.org/2016"><Content><Layer><TextObject Size="14" HScale="0.7" Boundary="30 30 150 20"><TextCode X="0" Y="14" DeltaX="g 4 14">某某局文件</TextCode></TextObject></Layer></Content></Page>"#.to_string(),
            ),
        ]
    }

    fn docx_parts() -> &'static [Vec<u8>] {
        static PARTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        PARTS.get_or_init(|| {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(DOCX)).expect("fixture zip");
            DOCX_PARTS
                .iter()
                .map(|n| {
                    let mut b = Vec::new();
                    z.by_name(n)
                        .expect("fixture part")
                        .read_to_end(&mut b)
                        .expect("read part");
                    b
                })
                .collect()
        })
    }

    fn stored_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in parts {
            w.start_file(*name, options).expect("zip entry");
            w.write_all(bytes).expect("zip write");
        }
        w.finish().expect("zip finish").into_inner()
    }

    /// `seed` with bytes overwritten and, for `cut` under 100, cut to that
    /// share of its length.
    fn damaged(seed: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
        let mut b = seed.to_vec();
        for &(i, v) in edits {
            if !b.is_empty() {
                let k = i % b.len();
                b[k] = v;
            }
        }
        if cut < 100 {
            b.truncate(b.len() * cut / 100);
        }
        b
    }

    /// Bytes that change what a reader reads: digits, signs, separators,
    /// markup, the `g` of DeltaX, field and cell marks, and anything.
    fn edits() -> impl Strategy<Value = Vec<(usize, u8)>> {
        let byte = prop_oneof![
            prop::sample::select(b"0123456789-. g%<>\"/=\x07\x13\x14\x15\x0d\xff\x00".to_vec()),
            any::<u8>(),
        ];
        prop::collection::vec((any::<usize>(), byte), 0..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn damaged_doc_files_never_panic(e in edits(), cut in 0usize..130) {
            let _ = read(&damaged(DOC, &e, cut), Format::Doc);
        }

        #[test]
        fn damaged_docx_parts_never_panic(which in 0usize..3, e in edits(), cut in 0usize..130) {
            let parts = docx_parts();
            let hurt = damaged(&parts[which], &e, cut);
            let named: Vec<(&str, &[u8])> = DOCX_PARTS
                .iter()
                .zip(parts)
                .enumerate()
                .map(|(i, (n, p))| (*n, if i == which { hurt.as_slice() } else { p.as_slice() }))
                .collect();
            let _ = read(&stored_zip(&named), Format::Docx);
        }

        #[test]
        fn damaged_ofd_parts_never_panic(which in 0usize..4, e in edits(), cut in 0usize..130) {
            let parts = ofd_parts();
            let hurt = damaged(parts[which].1.as_bytes(), &e, cut);
            let named: Vec<(&str, &[u8])> = parts
                .iter()
                .enumerate()
                .map(|(i, (n, p))| (*n, if i == which { hurt.as_slice() } else { p.as_bytes() }))
                .collect();
            let _ = read(&stored_zip(&named), Format::Ofd);
        }
    }

    #[test]
    fn the_undamaged_seeds_read() {
        assert!(read(DOC, Format::Doc).is_ok());
        assert!(read(DOCX, Format::Docx).is_ok());
        let parts = ofd_parts();
        let named: Vec<(&str, &[u8])> = parts.iter().map(|(n, p)| (*n, p.as_bytes())).collect();
        let got = read(&stored_zip(&named), Format::Ofd).expect("the OFD seed reads");
        assert!(got.text.contains("某环发〔2024〕15号"), "{}", got.text);
    }
}
