//! `gongwen search`: ranking, sections, highlights, filters, query syntax,
//! exit codes and output formats.

use crate::harness::{N000, N001, Sandbox, assert_keys, has_ansi};

const TRAVEL_ISSUE: &str = "未严格执行差旅费管理制度";

#[test]
fn travel_expenses_rank_the_sanmen_notice_first_at_its_issue_heading() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["差旅费"], 0);
    assert_eq!(res.query, "差旅费");
    assert!(res.total >= 1 && res.total == res.hits.len(), "{res:?}");
    let top = &res.hits[0];
    assert_eq!(top.id, N000, "{res:?}");
    assert_eq!(top.rank, 1);
    assert!(top.path.ends_with(N000), "path {}", top.path);
    assert!(
        top.title.contains("巡察整改进展情况"),
        "title {}",
        top.title
    );
    assert_eq!(top.agency.as_deref(), Some("中共三门县投资促进中心党组"));
    assert_eq!(top.date, None, "000 states no date");

    let first = top.sections.first().expect("the hit has sections");
    assert_eq!(
        first.heading.as_deref(),
        Some("针对“未严格执行差旅费管理制度”问题的整改进展情况"),
        "{first:?}"
    );
    let last = first.heading_path.last().expect("heading_path not empty");
    assert!(last.contains(TRAVEL_ISSUE), "{first:?}");
    assert_eq!(first.heading.as_ref(), Some(last));
    // The parent heading comes first in the path.
    assert!(
        first.heading_path[0].contains("财务管理不够规范"),
        "{first:?}"
    );
}

#[test]
fn highlights_are_char_ranges_inside_the_snippet_covering_the_query() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["差旅费"], 0);
    let first = &res.hits[0].sections[0];
    assert!(!first.highlights.is_empty(), "no highlights: {first:?}");
    for hit in &res.hits {
        for s in &hit.sections {
            let chars: Vec<char> = s.snippet.chars().collect();
            let mut prev_end = 0;
            for &[a, b] in &s.highlights {
                assert!(
                    a < b && b <= chars.len(),
                    "highlight [{a}, {b}) outside snippet of {} chars: {s:?}",
                    chars.len()
                );
                assert!(a >= prev_end, "highlights overlap or unsorted: {s:?}");
                prev_end = b;
                let text: String = chars[a..b].iter().collect();
                assert_eq!(text, "差旅费", "highlight [{a}, {b}) in {s:?}");
            }
        }
    }
}

#[test]
fn search_json_keeps_every_contract_key() {
    let sb = Sandbox::indexed();
    let out = sb.search(&["--json", "差旅费"]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    assert_keys(&v, &["query", "total", "hits"], "search result");
    assert!(v["total"].is_u64(), "total is not an integer: {v}");
    let hit = &v["hits"][0];
    assert_keys(
        hit,
        &[
            "rank", "score", "id", "path", "title", "agency", "date", "sections",
        ],
        "hit",
    );
    assert!(hit["date"].is_null(), "{hit}");
    assert_keys(
        &hit["sections"][0],
        &["heading", "heading_path", "snippet", "highlights"],
        "section",
    );
}

#[test]
fn agency_filter_keeps_only_matching_issuers() {
    let sb = Sandbox::indexed();
    // Both notices talk about 意识形态 ...
    let all = sb.search_json(&["意识形态"], 0);
    assert_eq!(all.total, 2, "{all:?}");
    // ... only one was issued by a 包河区 body.
    let res = sb.search_json(&["--agency", "包河区", "意识形态"], 0);
    assert_eq!(res.ids(), [N001], "{res:?}");
    assert_eq!(res.total, 1);
    assert_eq!(
        res.hits[0].agency.as_deref(),
        Some("中共合肥市包河区投资促进中心党组")
    );
}

#[test]
fn from_filter_leaves_out_undated_notices() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["--from", "2024-01-01", "巡察"], 0);
    assert_eq!(res.ids(), [N001], "{res:?}");
    assert_eq!(res.hits[0].date.as_deref(), Some("2024-10-15"));
}

#[test]
fn to_filter_before_every_date_finds_nothing() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["--to", "2023-12-31", "巡察"], 1);
    assert_eq!(res.total, 0);
    assert!(res.hits.is_empty());
}

#[test]
fn date_range_around_the_notice_date_keeps_it() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["--from", "2024-10", "--to", "2024-10-15", "巡察"], 0);
    assert_eq!(res.ids(), [N001], "{res:?}");
    sb.search_json(&["--from", "2024-10-16", "巡察"], 1);
}

#[test]
fn filter_without_query_lists_matching_notices() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["--agency", "三门县"], 0);
    assert_eq!(res.ids(), [N000], "{res:?}");
}

#[test]
fn quoted_phrase_matches_literally() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["\"差旅费管理\""], 0);
    assert_eq!(res.ids(), [N000], "{res:?}");
}

#[test]
fn sub_word_query_finds_both_notices() {
    let sb = Sandbox::indexed();
    for q in ["招商", "投促"] {
        let res = sb.search_json(&[q], 0);
        let mut ids = res.ids();
        ids.sort();
        assert_eq!(ids, [N000, N001], "query {q}: {res:?}");
        assert_eq!(res.total, 2, "query {q}");
    }
}

#[test]
fn minus_word_excludes_notices_containing_it() {
    let sb = Sandbox::indexed();
    let both = sb.search_json(&["巡察"], 0);
    assert_eq!(both.total, 2, "{both:?}");
    let res = sb.search_json(&["巡察", "-差旅费"], 0);
    assert_eq!(res.ids(), [N001], "{res:?}");
}

#[test]
fn limit_and_offset_page_through_results() {
    let sb = Sandbox::indexed();
    let all = sb.search_json(&["巡察"], 0);
    assert_eq!(all.hits.len(), 2);
    let ranks: Vec<usize> = all.hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, [1, 2]);
    assert!(all.hits[0].score >= all.hits[1].score, "{all:?}");

    let page1 = sb.search_json(&["-n", "1", "巡察"], 0);
    assert_eq!(page1.total, 2, "total counts every match");
    assert_eq!(page1.ids(), [all.hits[0].id.as_str()]);
    let page2 = sb.search_json(&["--limit", "1", "--offset", "1", "巡察"], 0);
    assert_eq!(page2.ids(), [all.hits[1].id.as_str()]);
    assert_eq!(page2.hits[0].rank, 2);
}

#[test]
fn sort_by_date_puts_dated_notices_first() {
    let sb = Sandbox::indexed();
    let res = sb.search_json(&["--sort", "date", "巡察"], 0);
    assert_eq!(res.ids(), [N001, N000], "{res:?}");
}

// ---- exit codes and errors ------------------------------------------------

#[test]
fn exit_code_0_when_found_and_1_when_not() {
    let sb = Sandbox::indexed();
    let found = sb.search(&["差旅费"]);
    found.assert_code(0);
    assert!(found.stdout.contains(N000), "stdout: {}", found.stdout);

    let missing = sb.search(&["不存在的词语组合XYZ"]);
    missing.assert_code(1);
    // like grep: nothing on stdout; one line on stderr, not an error
    assert!(missing.stdout.is_empty(), "{}", missing.stdout);
    assert!(
        missing
            .stderr
            .starts_with("gongwen: nothing matched 不存在的词语组合XYZ")
            && missing.stderr.lines().count() == 1,
        "no hits is not an error: {}",
        missing.stderr
    );
    let res = sb.search_json(&["不存在的词语组合XYZ"], 1);
    assert_eq!(res.total, 0);
    assert!(res.hits.is_empty());
}

#[test]
fn invalid_date_is_an_error_naming_the_value() {
    let sb = Sandbox::indexed();
    let out = sb.search(&["--from", "2024-13-45", "巡察"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("2024-13-45"),
        "stderr does not name the bad value: {}",
        out.stderr
    );
    assert!(out.stderr.contains("--from"), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
}

#[test]
fn reversed_date_range_is_an_error() {
    let sb = Sandbox::indexed();
    let out = sb.search(&["--from", "2024", "--to", "2023", "巡察"]);
    out.assert_code(2);
    assert!(out.stderr.contains("--from"), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
}

#[test]
fn missing_explicit_index_is_an_error_pointing_at_gongwen_index() {
    let sb = Sandbox::new();
    let missing = sb.root().join("nowhere");
    let out = sb.run(&[
        "search".as_ref(),
        "--index".as_ref(),
        missing.as_os_str(),
        "差旅费".as_ref(),
    ]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("gongwen index"),
        "stderr does not say how to build the index: {}",
        out.stderr
    );
    assert!(
        !missing.exists(),
        "search created the explicit index folder"
    );
    assert!(
        !sb.index().exists(),
        "search built the default index instead"
    );
}

#[test]
fn empty_query_without_filter_is_an_error() {
    let sb = Sandbox::indexed();
    for args in [&[][..], &[""][..], &["   "][..]] {
        let out = sb.search(args);
        out.assert_code(2);
        assert!(
            out.stderr.contains("empty"),
            "args {args:?}: stderr does not explain: {}",
            out.stderr
        );
    }
}

// ---- output formats -------------------------------------------------------

#[test]
fn json_output_has_no_ansi_escapes() {
    let sb = Sandbox::indexed();
    let out = sb.search(&["--json", "差旅费"]);
    out.assert_code(0);
    assert!(!has_ansi(&out.stdout), "stdout: {:?}", out.stdout);
    // Exactly one JSON document.
    let _: serde_json::Value = out.json();
}

#[test]
fn human_output_with_no_color_has_no_escapes() {
    let sb = Sandbox::indexed();
    let mut cmd = sb.command();
    cmd.env("NO_COLOR", "1")
        .arg("search")
        .arg("--index")
        .arg(sb.index())
        .arg("差旅费");
    let out = cmd.output().expect("run search");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!has_ansi(&stdout), "stdout: {stdout:?}");
    assert!(
        stdout.contains("中共三门县投资促进中心党组关于巡察整改进展情况的通报"),
        "title missing: {stdout}"
    );
    assert!(stdout.contains(TRAVEL_ISSUE), "heading missing: {stdout}");
    // Without colour, matches are still marked in the snippet.
    assert!(stdout.contains("【差旅费】"), "no match markers: {stdout}");
}

/// Run `gongwen search --index <index> 差旅费` on a pseudo-terminal through
/// util-linux `script`; `None` when no pseudo-terminal can be had here.
#[cfg(target_os = "linux")]
fn search_on_a_tty(sb: &Sandbox, no_color: bool) -> Option<String> {
    use crate::harness::ENV_VARS;
    use std::process::{Command, Stdio};
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let probe = Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .env("SHELL", "/bin/sh")
        .stdin(Stdio::null())
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return None;
    }
    let line = format!(
        "{} search --index {} 差旅费",
        quote(env!("CARGO_BIN_EXE_gongwen")),
        quote(sb.index().to_str().expect("UTF-8 temp path"))
    );
    let mut script = Command::new("script");
    script
        .current_dir(sb.root())
        .args(["-qec", &line, "/dev/null"])
        .env("SHELL", "/bin/sh")
        .stdin(Stdio::null());
    for var in ENV_VARS {
        script.env_remove(var);
    }
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script.output().expect("run script");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[cfg(target_os = "linux")]
fn terminal_output_is_coloured_unless_no_color() {
    let sb = Sandbox::indexed();
    let Some(coloured) = search_on_a_tty(&sb, false) else {
        eprintln!("skipped: no pseudo-terminal (util-linux `script`) available");
        return;
    };
    assert!(has_ansi(&coloured), "no colour on a terminal: {coloured:?}");
    let plain = search_on_a_tty(&sb, true).expect("pseudo-terminal available");
    assert!(!has_ansi(&plain), "colour despite NO_COLOR: {plain:?}");
    assert!(plain.contains("【差旅费】"), "no match markers: {plain}");
}
