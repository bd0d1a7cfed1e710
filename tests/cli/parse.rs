//! `gongwen parse`: what gongwen understands of one file.

use crate::harness::{HeadingOut, N000, N001, ParseOut, Sandbox, assert_keys};

fn parse_json(sb: &Sandbox, rel: &str) -> ParseOut {
    let out = sb.run(&["parse", "--json", rel]);
    out.assert_code(0);
    out.json()
}

/// Check levels: top-level headings are 1 and each child is one deeper.
fn check_levels(hs: &[HeadingOut], level: usize) {
    for h in hs {
        assert_eq!(h.level, level, "{h:?}");
        assert!(!h.number.is_empty() && !h.text.is_empty(), "{h:?}");
        check_levels(&h.children, level + 1);
    }
}

#[test]
fn parse_dated_baohe_notice() {
    let sb = Sandbox::new();
    let rel = format!("corpus/{N001}");
    let n = parse_json(&sb, &rel);
    assert_eq!(n.path, rel);
    assert_eq!(
        n.title,
        "中共合肥市包河区投资促进中心党组关于巡察整改进展情况的通报"
    );
    assert_eq!(
        n.agency.as_deref(),
        Some("中共合肥市包河区投资促进中心党组")
    );
    assert_eq!(n.date.as_deref(), Some("2024-10-15"));
    assert!(n.date_source.is_some(), "a found date says where from");
    // The republishing site is not the agency.
    assert_ne!(n.source, n.agency);

    assert_eq!(n.headings.len(), 3, "{:#?}", n.headings);
    check_levels(&n.headings, 1);
    assert_eq!(n.headings[0].number, "一、");
    assert_eq!(n.headings[0].text, "提高政治站位,落实巡察反馈整改工作");

    // Sections: the text before the first heading, then one per heading,
    // each section's path starting at a top-level heading.
    assert!(n.sections.len() > n.headings.len(), "{:#?}", n.sections);
    assert!(n.sections[0].heading_path.is_empty());
    assert!(!n.sections[0].text.is_empty());
    let tops: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    for s in &n.sections[1..] {
        let top = s
            .heading_path
            .first()
            .expect("heading_path after a heading");
        assert!(tops.contains(&top.as_str()), "{s:?}");
    }
    let covered: Vec<&str> = n
        .sections
        .iter()
        .filter_map(|s| s.heading_path.first().map(String::as_str))
        .collect();
    for t in &tops {
        assert!(covered.contains(t), "no section under {t}");
    }
}

#[test]
fn parse_undated_sanmen_notice() {
    let sb = Sandbox::new();
    let rel = format!("corpus/{N000}");
    let n = parse_json(&sb, &rel);
    assert_eq!(n.agency.as_deref(), Some("中共三门县投资促进中心党组"));
    assert_eq!(n.date, None);
    assert_eq!(n.date_source, None);
    assert_eq!(n.headings.len(), 8, "{:#?}", n.headings);
    check_levels(&n.headings, 1);
    let finance = n
        .headings
        .iter()
        .find(|h| h.text.contains("财务管理不够规范"))
        .expect("财务管理 heading");
    assert!(
        finance
            .children
            .iter()
            .any(|c| c.text.contains("未严格执行差旅费管理制度")),
        "{finance:?}"
    );
    assert!(
        n.sections.iter().any(|s| s
            .heading_path
            .last()
            .is_some_and(|h| h.contains("未严格执行差旅费管理制度"))
            && s.text.contains("差旅费")),
        "no section under the 差旅费 heading"
    );
}

#[test]
fn parse_json_keeps_every_contract_key() {
    let sb = Sandbox::new();
    let out = sb.run(&["parse", "--json", &format!("corpus/{N000}")]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    assert_keys(
        &v,
        &[
            "path",
            "title",
            "title_source",
            "agency",
            "agency_source",
            "date",
            "date_source",
            "source",
            "doc_number",
            "headings",
            "sections",
        ],
        "parse result",
    );
    assert!(v["date"].is_null(), "{}", v["date"]);
    assert_keys(
        &v["headings"][0],
        &["level", "number", "text", "children"],
        "heading",
    );
    assert_keys(&v["sections"][0], &["heading_path", "text"], "section");
}

#[test]
fn parse_human_output_shows_fields_and_headings() {
    let sb = Sandbox::new();
    let out = sb.run(&["parse", &format!("corpus/{N001}")]);
    out.assert_code(0);
    assert!(
        out.stdout.contains("中共合肥市包河区投资促进中心党组"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("2024-10-15"), "{}", out.stdout);
    assert!(
        out.stdout.contains("建立长效机制,巩固巡察整改成果"),
        "{}",
        out.stdout
    );
}

#[test]
fn parse_does_not_need_or_create_an_index() {
    let sb = Sandbox::new();
    parse_json(&sb, &format!("corpus/{N000}"));
    assert!(!sb.index().exists(), "parse created an index");
}

#[test]
fn parse_of_a_binary_file_is_an_error_with_a_reason() {
    let sb = Sandbox::new();
    sb.add_corpus_file("bad.txt", b"\x00\x01\x02\xff binary");
    let out = sb.run(&["parse", "corpus/bad.txt"]);
    out.assert_code(2);
    assert!(out.stderr.contains("bad.txt"), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
}

#[test]
fn parse_of_a_missing_file_reports_the_cause_once() {
    let sb = Sandbox::new();
    let out = sb.run(&["parse", "corpus/nothere.txt"]);
    out.assert_code(2);
    assert!(out.stderr.contains("nothere.txt"), "stderr: {}", out.stderr);
    let cause = "os error 2";
    assert_eq!(
        out.stderr.matches(cause).count(),
        1,
        "cause repeated: {}",
        out.stderr
    );
}
