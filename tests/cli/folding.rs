//! Folding (issue 12): traditional and simplified characters, and the bracket
//! forms of a document number, search alike on both sides, while what is
//! stored and shown stays as written and highlights cover the characters as
//! written.

use serde_json::Value;

use crate::harness::{Sandbox, SearchOut};

/// A notice in the plain-text layout: title, header lines, body.
fn notice(title: &str, header: &str, body: &str) -> Vec<u8> {
    format!("{title}\n{header}\n\n{body}\n").into_bytes()
}

/// Invented notices: one simplified, one written in traditional characters,
/// one holding a document number in 〔〕, one with the same words but no
/// bracketed number.
const SIMPLIFIED: &str = "simplified.txt";
const TRADITIONAL: &str = "traditional.txt";
const DOCNO: &str = "docno.txt";
const NEAR_DOCNO: &str = "near-docno.txt";

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    // the sample notices are not needed here: fewer files, faster index
    for entry in std::fs::read_dir(sb.corpus()).expect("read corpus dir") {
        let path = entry.expect("corpus entry").path();
        std::fs::remove_file(&path).expect("remove sample notice");
    }
    sb.add_corpus_file(
        SIMPLIFIED,
        &notice(
            "国务院办公厅关于加强意识形态阵地建设的通知",
            "发布时间：2024-03-01",
            "一、总体要求\n各地区要落实意识形态工作责任制，守好宣传思想文化阵地。\n二、工作措施\n定期研判舆情，完善应急处置预案。",
        ),
    );
    sb.add_corpus_file(
        TRADITIONAL,
        &notice(
            "關於進一步規範檔案管理工作的通知",
            "發佈時間：2024-04-02",
            "一、總體要求\n各單位要高度重視檔案管理，建立健全歸檔制度。\n二、工作措施\n按時移交電子檔案，確保資料安全。",
        ),
    );
    sb.add_corpus_file(
        DOCNO,
        &notice(
            "关于转发城市排水设施维护办法的通知",
            "发布时间：2019-05-06\n文号：国办发〔2019〕6号",
            "现将《城市排水设施维护办法》（国办发〔2019〕6号）转发给你们，请认真贯彻执行。",
        ),
    );
    sb.add_corpus_file(
        NEAR_DOCNO,
        &notice(
            "关于排水设施年度检查的通知",
            "发布时间：2019-07-08",
            "依据国办发2019年第6号文件精神，各地开展排水设施年度检查。",
        ),
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

/// The file names of the hits of `search --json --limit 50 ARGS`, in order
/// (none when the search finds nothing), and the decoded results.
fn search(sb: &Sandbox, args: &[&str]) -> (Vec<String>, Option<SearchOut>) {
    let mut all = vec!["--json", "--limit", "50"];
    all.extend_from_slice(args);
    let out = sb.search(&all);
    if out.code == 1 {
        return (Vec::new(), None);
    }
    out.assert_code(0);
    let res: SearchOut = out.json();
    let names = res
        .hits
        .iter()
        .map(|h| h.path.rsplit('/').next().unwrap_or(&h.path).to_string())
        .collect();
    (names, Some(res))
}

/// Every highlighted string of every section of every hit, as the snippet
/// writes it.
fn highlighted(res: &SearchOut) -> Vec<String> {
    let mut out = Vec::new();
    for hit in &res.hits {
        for s in &hit.sections {
            let chars: Vec<char> = s.snippet.chars().collect();
            for &[a, b] in &s.highlights {
                assert!(a < b && b <= chars.len(), "highlight outside: {s:?}");
                out.push(chars[a..b].iter().collect());
            }
        }
    }
    out
}

#[test]
fn issue12_a_traditional_query_finds_the_simplified_notice_and_highlights_it() {
    let sb = sandbox();
    for q in ["意識形態", "\"意識形態工作\"", "意识形态"] {
        let (names, res) = search(&sb, &[q]);
        assert_eq!(names, [SIMPLIFIED], "{q}");
        let res = res.expect("results");
        // the stored text is shown as written: simplified
        assert_eq!(
            res.hits[0].title, "国务院办公厅关于加强意识形态阵地建设的通知",
            "{q}"
        );
        let marks = highlighted(&res);
        assert!(!marks.is_empty(), "{q}: no highlight");
        for m in &marks {
            assert!(m.starts_with("意识形态"), "{q}: highlight {m:?}");
        }
    }
}

#[test]
fn issue12_a_simplified_query_finds_the_traditional_notice_and_highlights_it() {
    let sb = sandbox();
    for q in [
        "档案管理",
        "\"归档制度\"",
        "檔案管理",
        "关于进一步规范档案管理工作的通知",
    ] {
        let (names, res) = search(&sb, &[q]);
        assert_eq!(names, [TRADITIONAL], "{q}");
        let res = res.expect("results");
        assert_eq!(res.hits[0].title, "關於進一步規範檔案管理工作的通知", "{q}");
        assert!(!highlighted(&res).is_empty(), "{q}: no highlight");
    }
    // the highlight covers the traditional characters as written
    let (_, res) = search(&sb, &["归档制度"]);
    let marks = highlighted(&res.expect("results"));
    assert!(marks.iter().any(|m| m == "歸檔制度"), "{marks:?}");
}

#[test]
fn issue12_every_bracket_form_of_a_document_number_finds_the_tortoise_shell_form() {
    let sb = sandbox();
    for (open, close) in [
        ("〔", "〕"),
        ("[", "]"),
        ("(", ")"),
        ("（", "）"),
        ("【", "】"),
        ("［", "］"),
    ] {
        let number = format!("国办发{open}2019{close}6号");
        // quoted: only the notice holding the bracketed number
        let (names, res) = search(&sb, &[&format!("\"{number}\"")]);
        assert_eq!(names, [DOCNO], "{number}");
        let marks = highlighted(&res.expect("results"));
        assert!(!marks.is_empty(), "{number}: no highlight");
        assert!(
            marks.iter().all(|m| m == "国办发〔2019〕6号"),
            "{number}: {marks:?}"
        );
        // unquoted: every word must occur, and the whole string ranks first
        let (names, _) = search(&sb, &[&number]);
        assert_eq!(names.first().map(String::as_str), Some(DOCNO), "{number}");
        // the bracketed year alone
        let year = format!("\"{open}2019{close}\"");
        let (names, res) = search(&sb, &[&year]);
        assert_eq!(names, [DOCNO], "{year}");
        let marks = highlighted(&res.expect("results"));
        assert!(!marks.is_empty(), "{year}: no highlight");
        assert!(marks.iter().all(|m| m == "〔2019〕"), "{year}: {marks:?}");
    }
}

#[test]
fn issue12_the_document_number_scope_folds_brackets_too() {
    let sb = sandbox();
    for q in ["doc:\"国办发[2019]6号\"", "doc:\"（2019）6号\""] {
        let (names, _) = search(&sb, &[q]);
        assert_eq!(names, [DOCNO], "{q}");
    }
    // unquoted, brackets separate words (each must occur); the notice
    // holding the whole string comes first
    let (names, _) = search(&sb, &["doc:【2019】6号"]);
    assert_eq!(names.first().map(String::as_str), Some(DOCNO), "{names:?}");
    // with another word: both must occur
    let (names, _) = search(&sb, &["\"国办发［2019］6号\"", "排水"]);
    assert_eq!(names, [DOCNO]);
}

#[test]
fn issue12_a_traditional_agency_filter_finds_the_simplified_agency() {
    let sb = sandbox();
    let (names, res) = search(&sb, &["--agency", "國務院辦公廳", "意识形态"]);
    assert_eq!(names, [SIMPLIFIED]);
    let res = res.expect("results");
    // the agency is shown as the notice writes it
    assert_eq!(res.hits[0].agency.as_deref(), Some("国务院办公厅"));
}

#[test]
fn issue12_an_index_built_before_folding_is_refused_then_rebuilt() {
    let sb = sandbox();
    let stamp_path = sb.index().join("gongwen.json");
    let bytes = std::fs::read(&stamp_path).expect("read gongwen.json");
    let mut stamp: Value = serde_json::from_slice(&bytes).expect("gongwen.json is JSON");
    // 3: the analyzer without traditional or bracket folding
    stamp["analyzer"] = Value::from(3);
    std::fs::write(&stamp_path, stamp.to_string()).expect("write gongwen.json");

    let out = sb.search(&["意識形態"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("gongwen index --rebuild"),
        "stderr: {}",
        out.stderr
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let (names, _) = search(&sb, &["意識形態"]);
    assert_eq!(names, [SIMPLIFIED]);
}
