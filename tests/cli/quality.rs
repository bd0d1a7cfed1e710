//! Search quality pinned on small crafted notices (issue 4): what the
//! analysis must find however jieba segments, and how hits are ordered.

use crate::harness::Sandbox;

/// A notice in the plain-text layout.
fn notice(title: &str, date: &str, body: &str) -> Vec<u8> {
    format!("{title}\n发布时间：{date}\n来源：测试网站\n\n{body}\n").into_bytes()
}

fn sandbox(files: &[(&str, Vec<u8>)]) -> Sandbox {
    let sb = Sandbox::new();
    for (name, bytes) in files {
        sb.add_corpus_file(name, bytes);
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

fn paths(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--limit", "50"];
    all.extend_from_slice(args);
    let out = sb.search(&[&["--json"], &all[..]].concat());
    if out.code == 1 {
        return Vec::new();
    }
    out.assert_code(0);
    let res: crate::harness::SearchOut = out.json();
    res.hits.into_iter().map(|h| h.path).collect()
}

fn mixed() -> Sandbox {
    sandbox(&[
        (
            "latin.txt",
            notice(
                "关于外资工作的通知",
                "2024-01-02",
                "一、总体情况\n完成ＦＤＩ到资2336万美元，推进5G+工业互联网，全年总量达到９５９３３亿元。",
            ),
        ),
        (
            "zhaoshang.txt",
            notice(
                "关于招商引资的通报",
                "2023-05-06",
                "一、工作进展\n加强招商引资，金鳞湖北岸智造谷项目落地。",
            ),
        ),
    ])
}

#[test]
fn latin_digits_and_width_variants_inside_chinese() {
    let sb = mixed();
    for q in [
        "FDI",
        "fdi",
        "ＦＤＩ",
        "5G+",
        "95933亿元",
        "\"FDI到资\"",
        "2336万美元",
    ] {
        assert!(
            paths(&sb, &[q]).contains(&"latin.txt".to_string()),
            "query {q}"
        );
    }
}

#[test]
fn sub_words_single_characters_and_phrases_across_word_boundaries() {
    let sb = mixed();
    // 招商 inside 招商引资, 商引 across jieba's words, 湖北 inside 金鳞湖北岸
    // (the sample notices in every sandbox mention 招商 and 金鳞湖 too)
    for q in ["招商", "\"商引\"", "商引", "金鳞湖", "\"湖北岸\""] {
        assert!(
            paths(&sb, &[q]).contains(&"zhaoshang.txt".to_string()),
            "query {q}"
        );
        assert!(
            !paths(&sb, &[q]).contains(&"latin.txt".to_string()),
            "query {q}"
        );
    }
    // a single character
    assert!(paths(&sb, &["鳞"]).contains(&"zhaoshang.txt".to_string()));
    assert!(paths(&sb, &["\"巡\""]).iter().any(|p| p.starts_with("00")));
}

/// A character is found wherever it stands, also as the very last character
/// of a section or of a notice, where no bigram begins with it.
#[test]
fn single_characters_at_the_end_of_a_section_are_found() {
    let sb = sandbox(&[
        (
            "end.txt",
            notice(
                "关于年度工作的通知",
                "2024-01-01",
                "一、概况\n工作稳步推进犇\n二、要求\n认真落实鑫",
            ),
        ),
        (
            "other.txt",
            notice(
                "关于其他工作的通知",
                "2024-02-01",
                "一、概况\n工作稳步推进。",
            ),
        ),
    ]);
    assert_eq!(paths(&sb, &["犇"]), ["end.txt"]);
    assert_eq!(paths(&sb, &["鑫"]), ["end.txt"]);
    // and in a title, as its first, middle or last character
    assert_eq!(paths(&sb, &["title:他"]), ["other.txt"]);
    assert_eq!(paths(&sb, &["title:知"]).len(), 2);
}

#[test]
fn title_match_ranks_above_a_passing_mention() {
    let filler = "各项工作稳步推进，成效明显。".repeat(20);
    let sb = sandbox(&[
        (
            "mention.txt",
            notice(
                "关于年度工作的总结",
                "2024-01-01",
                &format!("一、概况\n{filler}其中涉及温室气体排放一项。{filler}"),
            ),
        ),
        (
            "about.txt",
            notice(
                "关于控制温室气体排放的通知",
                "2020-01-01",
                &format!("一、要求\n{filler}"),
            ),
        ),
    ]);
    let p = paths(&sb, &["温室气体排放"]);
    assert_eq!(p.first().map(String::as_str), Some("about.txt"), "{p:?}");
}

#[test]
fn several_matching_sections_beat_one_and_together_beats_scattered() {
    let sb = sandbox(&[
        (
            "many.txt",
            notice(
                "关于财务检查情况的通报",
                "2024-01-01",
                "一、问题一\n存在公务接待问题。\n二、问题二\n再次发现公务接待问题。\n三、问题三\n公务接待仍不规范。",
            ),
        ),
        (
            "once.txt",
            notice(
                "关于工作情况的通报",
                "2024-01-01",
                "一、问题\n偶有公务接待。\n二、其他\n其他事项。\n三、再其他\n无。",
            ),
        ),
        (
            "together.txt",
            notice(
                "关于检查的通报",
                "2024-01-01",
                "一、问题\n公务接待超标准问题突出。\n二、其他\n无。",
            ),
        ),
        (
            "apart.txt",
            notice(
                "关于检查的情况",
                "2024-01-01",
                "一、问题\n公务接待需规范。\n二、其他\n用车超标准问题。",
            ),
        ),
    ]);
    let p = paths(&sb, &["公务接待"]);
    let pos = |f: &str| p.iter().position(|x| x == f);
    assert!(pos("many.txt") < pos("once.txt"), "{p:?}");
    let p = paths(&sb, &["公务接待", "超标准"]);
    assert_eq!(p.first().map(String::as_str), Some("together.txt"), "{p:?}");
    assert!(p.contains(&"apart.txt".to_string()));
}

#[test]
fn sort_by_date_paging_and_exact_total() {
    let sb = sandbox(&[
        (
            "a.txt",
            notice("关于甲的通知", "2021-03-01", "一、内容\n巡察整改。"),
        ),
        (
            "b.txt",
            notice("关于乙的通知", "2023-03-01", "一、内容\n巡察整改。"),
        ),
        (
            "c.txt",
            notice("关于丙的通知", "2022-03-01", "一、内容\n巡察整改。"),
        ),
    ]);
    let by_date = paths(&sb, &["--sort", "date", "巡察整改"]);
    let dated: Vec<&String> = by_date.iter().filter(|p| p.len() == 5).collect();
    assert_eq!(dated, vec!["b.txt", "c.txt", "a.txt"]);
    let out = sb.search(&[
        "--json",
        "--limit",
        "1",
        "--offset",
        "1",
        "--sort",
        "date",
        "巡察整改",
    ]);
    let res: crate::harness::SearchOut = out.json();
    assert_eq!(res.hits.len(), 1);
    assert_eq!(res.hits[0].rank, 2);
    assert_eq!(res.total, by_date.len());
}

#[test]
fn analyze_shows_words_and_the_query_plan() {
    let sb = mixed();
    let out = sb.run(&[
        "analyze",
        "--index",
        "index",
        "--json",
        "公务接待超标准",
        "-差旅费",
    ]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    assert!(v["index_words"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(v["clauses"][0][0]["whole_string_ranks_first"], true);
    assert_eq!(v["excluded"][0]["text"], "差旅费");
    assert_eq!(v["segmenter"], "index dictionary");
    let human = sb.run(&["analyze", "招商引资"]);
    human.assert_code(0);
    assert!(human.stdout.contains("招商"), "{}", human.stdout);
}
