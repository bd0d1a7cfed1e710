//! Hostile and foreign content in notices (issue 11): deeply nested and
//! attribute-heavy pages, Japanese, Korean and traditional Chinese legacy
//! encodings, and old-Mac line endings, each through `gongwen parse --json`
//! (and `index` where skipping is the question).
//!
//! The hostile pages are generated here, a few hundred KB each: enough to
//! take tens of seconds before the work per page was bounded, never a timed
//! assertion (timings are in FUZZING.md). What is asserted is that the page
//! parses and its text — before and after the hostile part — is still there.

use encoding_rs::{BIG5, EUC_KR, Encoding, SHIFT_JIS};

use crate::harness::{ParseOut, Sandbox};

const TITLE: &str = "某某县关于做好防汛工作的通知";
const AFTER: &str = "各乡镇要在汛期前完成隐患排查并上报结果。";

/// A page whose article is `hostile` markup followed by one paragraph.
fn page(hostile: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{TITLE}</title></head><body>\
         <h1>{TITLE}</h1><div class=\"content\">{hostile}<p>{AFTER}</p></div></body></html>"
    )
}

fn parse(sb: &Sandbox, name: &str, bytes: &[u8]) -> ParseOut {
    sb.add_corpus_file(name, bytes);
    let out = sb.run(&["parse", "--json", &format!("corpus/{name}")]);
    out.assert_code(0);
    out.json()
}

fn all_text(n: &ParseOut) -> String {
    n.sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parse a hostile page and check its title and the text after the
/// hostile part; returns the text for further checks.
fn parse_hostile(hostile: &str) -> String {
    let sb = Sandbox::new();
    let n = parse(&sb, "hostile.html", page(hostile).as_bytes());
    assert_eq!(n.title, TITLE);
    let text = all_text(&n);
    assert!(text.contains(AFTER), "text after the hostile part lost");
    text
}

#[test]
fn issue11_deeply_nested_divs_parse_and_keep_their_text() {
    let n = 40_000;
    let text = parse_hostile(&format!(
        "{}深处的文字{}",
        "<div>".repeat(n),
        "</div>".repeat(n)
    ));
    assert!(text.contains("深处的文字"), "{text}");
}

#[test]
fn issue11_unclosed_divs_parse_and_keep_their_text() {
    let text = parse_hostile(&format!("{}深处的文字", "<div>".repeat(60_000)));
    assert!(text.contains("深处的文字"), "{text}");
}

#[test]
fn issue11_nested_headers_inside_an_article() {
    // Inside an article a header is not furniture: its text stays, and
    // deciding that is one pass, not an ancestor walk per element.
    let n = 30_000;
    let text = parse_hostile(&format!(
        "<article>{}页眉里的文字{}</article>",
        "<header>".repeat(n),
        "</header>".repeat(n)
    ));
    assert!(text.contains("页眉里的文字"), "{text}");
}

#[test]
fn issue11_unclosed_formatting_elements_with_attributes() {
    // Each paragraph leaves a distinct <b> open; the parser would reopen all
    // earlier ones in every later paragraph.
    let hostile: String = (0..15_000)
        .map(|i| format!("<p><b id=\"x{i}\">第{i}段</p>"))
        .collect();
    let text = parse_hostile(&hostile);
    for i in [0, 7_500, 14_999] {
        assert!(text.contains(&format!("第{i}段")), "paragraph {i} lost");
    }
}

#[test]
fn issue11_misnested_formatting_around_blocks() {
    // `</b>` with a block open inside the b: the parser keeps the block and
    // opens a copy of the b inside it, so the pattern nests ever deeper.
    let text = parse_hostile(&format!(
        "{}嵌套里的文字",
        "<b><div>第一段</b>".repeat(40_000)
    ));
    assert!(text.contains("嵌套里的文字"), "{text}");
}

#[test]
fn issue11_a_tag_with_a_hundred_thousand_attributes() {
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let text = parse_hostile(&format!("<div{attrs}>属性之后的文字</div>"));
    assert!(text.contains("属性之后的文字"), "{text}");
}

#[test]
fn issue11_nested_title_candidates() {
    // Every level looks like a title holder; reading each one's whole
    // subtree made this quadratic.
    let n = 20_000;
    parse_hostile(&format!(
        "{}标题候选{}",
        "<div class=\"title\">".repeat(n),
        "</div>".repeat(n)
    ));
}

fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "text not representable in {}", enc.name());
    bytes.into_owned()
}

/// Index the sandbox and return (indexed, skipped).
fn index_counts(sb: &Sandbox) -> (u64, u64) {
    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    (
        v["indexed"].as_u64().unwrap_or(u64::MAX),
        v["skipped"].as_u64().unwrap_or(u64::MAX),
    )
}

#[test]
fn issue11_shift_jis_text_is_decoded_not_mojibake() {
    let text = "令和六年度防災訓練の実施について\n\
                各位\n\
                下記のとおり防災訓練を実施しますので、お知らせします。\n\
                訓練は午前十時から市役所で行います。\n";
    let sb = Sandbox::new();
    let n = parse(&sb, "sjis.txt", &encode(SHIFT_JIS, text));
    assert_eq!(n.title, "令和六年度防災訓練の実施について");
    assert!(all_text(&n).contains("市役所で行います"));
    assert_eq!(index_counts(&sb), (3, 0));
}

#[test]
fn issue11_euc_kr_text_is_decoded_not_mojibake() {
    let text = "2024년 재난 대비 훈련 안내\n\
                다음과 같이 재난 대비 훈련을 실시하오니 참고하시기 바랍니다.\n\
                훈련은 오전 열 시에 시청에서 진행합니다.\n";
    let sb = Sandbox::new();
    let n = parse(&sb, "euckr.txt", &encode(EUC_KR, text));
    assert_eq!(n.title, "2024년 재난 대비 훈련 안내");
    assert!(all_text(&n).contains("시청에서 진행합니다"));
    assert_eq!(index_counts(&sb), (3, 0));
}

#[test]
fn issue11_big5_text_is_read() {
    let text = "某某縣關於開展巡察整改工作的通報\n\
                日期：2023年5月8日\n\
                \n\
                各單位：為落實整改責任，現將有關事項通報如下。\n\
                一、提高政治站位\n\
                認真對照檢查，逐項整改落實。\n";
    let sb = Sandbox::new();
    let n = parse(&sb, "big5.txt", &encode(BIG5, text));
    assert_eq!(n.title, "某某縣關於開展巡察整改工作的通報");
    assert_eq!(n.date.as_deref(), Some("2023-05-08"));
    assert_eq!(n.headings.len(), 1);
    assert!(all_text(&n).contains("逐項整改落實"));
    assert_eq!(index_counts(&sb), (3, 0));
}

/// A notice with a title, a date label, an agency in the title and two
/// headings, its lines joined by `eol`.
fn notice_with(eol: &str) -> String {
    [
        "中共某某区审计局党组关于巡察整改进展情况的通报",
        "发布日期：2022年11月8日",
        "",
        "按照区委统一部署，区委第一巡察组对区审计局党组开展了巡察。",
        "一、关于审计整改跟踪问效的整改进展情况",
        "建立审计发现问题整改台账，实行销号管理。",
        "二、关于廉政风险防控机制的整改进展情况",
        "组织全体审计人员签订廉洁从审承诺书。",
    ]
    .join(eol)
}

fn assert_structured(n: &ParseOut, what: &str) {
    assert_eq!(
        n.title, "中共某某区审计局党组关于巡察整改进展情况的通报",
        "{what}"
    );
    assert_eq!(n.agency.as_deref(), Some("中共某某区审计局党组"), "{what}");
    assert_eq!(n.date.as_deref(), Some("2022-11-08"), "{what}");
    assert_eq!(n.headings.len(), 2, "{what}: {:?}", n.headings);
}

#[test]
fn issue11_lone_cr_line_endings_end_lines() {
    let sb = Sandbox::new();
    for (name, eol) in [("cr.txt", "\r"), ("crlf.txt", "\r\n"), ("lf.txt", "\n")] {
        let n = parse(&sb, name, notice_with(eol).as_bytes());
        assert_structured(&n, name);
    }
}

#[test]
fn issue11_lone_cr_in_a_page_and_an_export_field() {
    let sb = Sandbox::new();
    let body = notice_with("\r");
    let paragraphs: String = body
        .split('\r')
        .skip(3)
        .map(|l| format!("<p>{l}</p>\r"))
        .collect();
    let html = format!(
        "<html><head><title>中共某某区审计局党组关于巡察整改进展情况的通报</title></head>\r<body>\r\
         <h1>中共某某区审计局党组关于巡察整改进展情况的通报</h1>\r<div>发布日期：2022年11月8日</div>\r\
         <div class=\"content\">\r{paragraphs}</div></body></html>"
    );
    assert_structured(&parse(&sb, "cr.html", html.as_bytes()), "cr.html");
    // An export whose content field separates paragraphs with a lone CR,
    // and whose records are separated by one too.
    let content: Vec<&str> = body.split('\r').skip(3).collect();
    let record = serde_json::json!({
        "title": "中共某某区审计局党组关于巡察整改进展情况的通报",
        "date": "2022-11-08",
        "content": content.join("\r"),
    });
    let jsonl = format!("{record}\r{record}\r");
    sb.add_corpus_file("cr.jsonl", jsonl.as_bytes());
    let out = sb.run(&["parse", "--json", "corpus/cr.jsonl"]);
    out.assert_code(0);
    let notices: Vec<ParseOut> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(notices.len(), 2, "{}", out.stdout);
    for n in &notices {
        assert_eq!(n.headings.len(), 2, "{:?}", n.headings);
        assert_eq!(n.date.as_deref(), Some("2022-11-08"));
    }
}
