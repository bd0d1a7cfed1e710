//! Latin letters and digits (issue 12): a run of ASCII letters/digits in a
//! query matches whole runs of the text, case-insensitively; punctuation
//! inside such a run matches literally; a Latin word that occurs nowhere
//! finds nothing, never its fragments.

use serde::Deserialize;

use crate::harness::Sandbox;

/// A notice in the plain-text layout.
fn notice(title: &str, body: &str) -> Vec<u8> {
    format!("{title}\n发布时间：2024-05-06\n来源：测试网站\n\n一、情况\n{body}\n").into_bytes()
}

/// The invented notices every test here searches (with the two samples
/// every sandbox holds).
fn latin_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let files: &[(&str, &str, &str)] = &[
        (
            "explainable.txt",
            "关于可解释模型研究的通知",
            "推进Explainable models研究，完善Information系统。",
        ),
        (
            "ai.txt",
            "关于人工智能应用的通知",
            "推进人工智能（AI）应用落地。",
        ),
        ("year.txt", "关于年度计划的通知", "2019年度计划已经完成。"),
        (
            "date.txt",
            "关于编号规则的通知",
            "文件编号20190101起执行，编号规则见附件。",
        ),
        (
            "covid.txt",
            "关于疫情防控的通知",
            "做好COVID-19疫情防控工作，落实GB/T 9704格式要求。",
        ),
        (
            "covid-apart.txt",
            "关于防控工作的通知",
            "COVID-19的疫情防控仍需加强，另见GB/T9704-2012。",
        ),
        (
            "iphone.txt",
            "关于iPhone采购的通知",
            "采购iPhone手机三台，C++开发培训一次。",
        ),
        ("c.txt", "关于C语言课程的通知", "开设C语言课程。"),
        ("f16.txt", "关于航展的通知", "航展展出F-16战机和B-1轰炸机。"),
        (
            "f161.txt",
            "关于装备型号的通知",
            "型号F-161、JF-17、AB-1与B-1B均已登记。",
        ),
    ];
    for (name, title, body) in files {
        sb.add_corpus_file(name, &notice(title, body));
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

/// `search --json` output with the counts this issue is about.
#[derive(Debug, Deserialize)]
struct Results {
    total: usize,
    literal_total: usize,
    hits: Vec<Hit>,
}

#[derive(Debug, Deserialize)]
struct Hit {
    path: String,
    literal: bool,
    sections: Vec<Section>,
}

#[derive(Debug, Deserialize)]
struct Section {
    snippet: String,
    highlights: Vec<[usize; 2]>,
}

/// Run `search --json --limit 100 QUERY…`, expecting exit `code`.
fn search(sb: &Sandbox, query: &[&str], code: i32) -> Results {
    let mut args = vec!["--json", "--limit", "100"];
    args.extend_from_slice(query);
    let out = sb.search(&args);
    out.assert_code(code);
    out.json()
}

/// The sorted paths of the notices `query` finds (none when it exits 1).
fn paths(sb: &Sandbox, query: &[&str]) -> Vec<String> {
    let out = sb.search(&[&["--json", "--limit", "100"], query].concat());
    if out.code == 1 {
        return Vec::new();
    }
    out.assert_code(0);
    let res: Results = out.json();
    let mut p: Vec<String> = res.hits.into_iter().map(|h| h.path).collect();
    p.sort();
    p
}

#[test]
fn issue12_ai_does_not_match_inside_explainable() {
    let sb = latin_sandbox();
    for q in ["ai", "AI", "ａｉ"] {
        let res = search(&sb, &[q], 0);
        let p: Vec<&str> = res.hits.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(p, ["ai.txt"], "query {q}");
        assert_eq!((res.total, res.literal_total), (1, 1), "query {q}");
    }
    // a piece of a longer run is no word of the text
    search(&sb, &["xplain"], 1);
    assert_eq!(paths(&sb, &["explainable"]), ["explainable.txt"]);
}

#[test]
fn issue12_a_year_does_not_match_inside_a_longer_number() {
    let sb = latin_sandbox();
    let p = paths(&sb, &["2019"]);
    assert!(p.contains(&"year.txt".to_string()), "{p:?}");
    assert!(!p.contains(&"date.txt".to_string()), "{p:?}");
    assert_eq!(paths(&sb, &["20190101"]), ["date.txt"]);
    assert!(paths(&sb, &["0190101"]).is_empty());
}

#[test]
fn issue12_covid_finds_covid_19_and_the_chunk_stays_whole() {
    let sb = latin_sandbox();
    let both = ["covid-apart.txt", "covid.txt"];
    assert_eq!(paths(&sb, &["covid"]), both);
    assert_eq!(paths(&sb, &["COVID-19"]), both);
    assert_eq!(paths(&sb, &["covid-19"]), both);
    assert!(paths(&sb, &["covid-1"]).is_empty());
    assert!(paths(&sb, &["ovid-19"]).is_empty());
    // Chinese next to the chunk: every notice holding both counts, only the
    // one holding the string as written counts literally
    let res = search(&sb, &["COVID-19疫情"], 0);
    assert_eq!((res.total, res.literal_total), (2, 1), "{res:?}");
    let literal: Vec<&str> = res
        .hits
        .iter()
        .filter(|h| h.literal)
        .map(|h| h.path.as_str())
        .collect();
    assert_eq!(literal, ["covid.txt"]);
}

#[test]
fn issue12_iphone_finds_iphone_whatever_the_case() {
    let sb = latin_sandbox();
    for q in ["iphone", "IPHONE", "iPhone"] {
        let res = search(&sb, &[q], 0);
        assert_eq!(res.hits.len(), 1, "query {q}: {res:?}");
        assert_eq!(res.hits[0].path, "iphone.txt");
        assert_eq!((res.total, res.literal_total), (1, 1));
    }
    // scoped to the title, too
    assert_eq!(paths(&sb, &["title:iphone"]), ["iphone.txt"]);
    assert!(paths(&sb, &["title:phone"]).is_empty());
}

#[test]
fn issue12_c_plus_plus_matches_its_punctuation_literally() {
    let sb = latin_sandbox();
    assert_eq!(paths(&sb, &["C++"]), ["iphone.txt"]);
    assert_eq!(paths(&sb, &["c++"]), ["iphone.txt"]);
    // a lone letter is a whole run: C++ and C语言, nothing else
    assert_eq!(paths(&sb, &["c"]), ["c.txt", "iphone.txt"]);
}

#[test]
fn issue12_f_16_does_not_match_f_161_or_jf_17() {
    let sb = latin_sandbox();
    let res = search(&sb, &["F-16"], 0);
    let p: Vec<&str> = res.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(p, ["f16.txt"]);
    assert_eq!((res.total, res.literal_total), (1, 1));
    assert_eq!(paths(&sb, &["f-161"]), ["f161.txt"]);
    assert_eq!(paths(&sb, &["jf-17"]), ["f161.txt"]);
    assert!(paths(&sb, &["f-17"]).is_empty());
}

#[test]
fn issue12_b_1_matches_only_b_1() {
    let sb = latin_sandbox();
    assert_eq!(paths(&sb, &["B-1"]), ["f16.txt"]);
    assert_eq!(paths(&sb, &["b-1b"]), ["f161.txt"]);
    assert_eq!(paths(&sb, &["ab-1"]), ["f161.txt"]);
}

#[test]
fn issue12_a_latin_word_that_occurs_nowhere_finds_nothing() {
    let sb = latin_sandbox();
    for q in ["elbanialpxekj", "noitamrofniqx", "Phon"] {
        // nothing is listed, at most the line saying so
        let out = sb.search(&[q]);
        out.assert_code(1);
        assert!(out.stdout.lines().count() <= 1, "query {q}: {}", out.stdout);
        assert!(!out.stdout.contains(".txt"), "query {q}: {}", out.stdout);
        let res = search(&sb, &[q], 1);
        assert_eq!((res.total, res.literal_total), (0, 0), "query {q}");
        assert!(res.hits.is_empty());
    }
}

#[test]
fn issue12_highlights_cover_whole_runs_only() {
    let sb = latin_sandbox();
    for (q, want) in [
        ("ai", "AI"),
        ("iphone", "iPhone"),
        ("f-16", "F-16"),
        ("c++", "C++"),
        ("b-1", "B-1"),
    ] {
        let res = search(&sb, &[q], 0);
        let mut seen = 0;
        for s in res.hits.iter().flat_map(|h| &h.sections) {
            let chars: Vec<char> = s.snippet.chars().collect();
            for &[a, b] in &s.highlights {
                let text: String = chars[a..b].iter().collect();
                assert_eq!(text, want, "query {q}: {s:?}");
                let joins = |c: Option<&char>| c.is_some_and(char::is_ascii_alphanumeric);
                assert!(
                    !joins(a.checked_sub(1).and_then(|i| chars.get(i))) && !joins(chars.get(b)),
                    "query {q}: highlight inside a longer run: {s:?}"
                );
                seen += 1;
            }
        }
        assert!(seen > 0, "query {q}: nothing highlighted: {res:?}");
    }
}

#[test]
fn issue12_quoted_phrases_exclusions_and_or_keep_whole_runs() {
    let sb = latin_sandbox();
    // a space in a quoted phrase matches whitespace only, between whole runs
    assert_eq!(paths(&sb, &["\"GB/T 9704\""]), ["covid.txt"]);
    assert_eq!(paths(&sb, &["\"gb/t9704\""]), ["covid-apart.txt"]);
    assert_eq!(paths(&sb, &["\"GB/T9704-2012\""]), ["covid-apart.txt"]);
    // leaving out a Latin word leaves out whole runs only (after `--`, an
    // ASCII word starting with `-` would be read as an option)
    let all = paths(&sb, &["通知"]);
    let without = |gone: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|p| !gone.contains(&p.as_str()))
            .cloned()
            .collect()
    };
    assert!(all.len() >= 10, "{all:?}");
    assert_eq!(
        paths(&sb, &["--", "通知", "-covid"]),
        without(&["covid.txt", "covid-apart.txt"])
    );
    assert_eq!(paths(&sb, &["--", "通知", "-ai"]), without(&["ai.txt"]));
    assert_eq!(
        paths(&sb, &["--", "通知", "-c"]),
        without(&["c.txt", "iphone.txt"])
    );
    assert_eq!(
        paths(&sb, &["--", "通知", "-\"GB/T 9704\""]),
        without(&["covid.txt"])
    );
    // OR of Latin words
    assert_eq!(
        paths(&sb, &["iphone", "OR", "f-16"]),
        ["f16.txt", "iphone.txt"]
    );
}

#[test]
fn issue12_analyze_shows_latin_terms() {
    let sb = latin_sandbox();
    let out = sb.run(&["analyze", "--index", "index", "--json", "COVID-19疫情"]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    let plan = &v["clauses"][0][0];
    assert_eq!(plan["required"][0], "COVID-19");
    assert_eq!(plan["latin"][0], serde_json::json!(["covid", "-", "19"]));
    assert_eq!(plan["bigrams"][0], serde_json::json!([]));
    assert_eq!(plan["latin"][1], serde_json::json!([]));
    let runs: Vec<&str> = v["index_latin"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["word"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(runs, ["covid", "-", "19"]);
    let human = sb.run(&["analyze", "--index", "index", "F-16"]);
    human.assert_code(0);
    assert!(human.stdout.contains("latin[f - 16]"), "{}", human.stdout);
}
