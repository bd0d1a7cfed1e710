//! Issue 12: "did you mean" for queries that find nothing, and query
//! language honesty (operators supported or their reading said on stderr
//! and in JSON `warnings`).

use serde::Deserialize;

use crate::harness::{N000, Run, Sandbox, assert_keys};

/// An invented notice on ideology work that also mentions COVID-19 and 巡察.
const IDEOLOGY: &str = "中共某市委宣传部
关于加强意识形态工作的通知
各单位：为落实意识形态工作责任制，现就有关事项通知如下。
一、提高思想认识
巡察整改中发现，意识形态工作责任制落实不到位。各单位要把意识形态工作摆在重要位置。
二、做好疫情期间宣传
做好新冠肺炎（COVID）疫情防控期间的宣传工作，及时回应群众关切。
";

/// Another invented notice: 建没 occurs here (创建没有), never beside 党风廉政.
const OTHER: &str = "某县机关事务管理局
关于创建节约型机关的通知
各科室：要努力创建没有浪费的节约型机关。
";

/// `gongwen search --json`, with the fields of issue 12.
#[derive(Debug, Deserialize)]
struct Found {
    total: usize,
    hits: Vec<HitId>,
    suggestions: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct HitId {
    id: String,
}

impl Found {
    fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.hits.iter().map(|h| h.id.as_str()).collect();
        ids.sort_unstable();
        ids
    }
}

/// The two samples plus the invented notice, indexed.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.add_corpus_file("101_ideology.txt", IDEOLOGY.as_bytes());
    sb.add_corpus_file("102_other.txt", OTHER.as_bytes());
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

fn json(sb: &Sandbox, args: &[&str], code: i32) -> Found {
    let mut all = vec!["--json", "--limit", "50"];
    all.extend_from_slice(args);
    let out = sb.search(&all);
    out.assert_code(code);
    out.json()
}

/// The `gongwen: warning: …` lines of a run.
fn warning_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("gongwen: warning: "))
        .collect()
}

#[test]
fn issue12_a_typo_suggests_the_indexed_word() {
    let sb = sandbox();
    let human = sb.search(&["意识形太"]);
    human.assert_code(1);
    assert!(human.stdout.is_empty(), "stdout: {}", human.stdout);
    assert_eq!(
        human.stderr,
        "gongwen: no notice matches \"意识形太\"; did you mean: 意识形态?\n"
    );

    let res = json(&sb, &["意识形太"], 1);
    assert_eq!(res.total, 0);
    assert_eq!(res.suggestions, ["意识形态"]);
    assert!(res.warnings.is_empty(), "{:?}", res.warnings);
    // and the suggestion finds what it promises
    assert!(
        json(&sb, &["意识形态"], 0)
            .ids()
            .contains(&"101_ideology.txt")
    );
}

#[test]
fn issue12_a_corrected_query_keeps_its_other_words_as_typed() {
    let sb = sandbox();
    let res = json(&sb, &["巡察  意识形太 -差旅费"], 1);
    assert_eq!(res.suggestions, ["巡察  意识形态 -差旅费"]);
    // a Latin word, swapped letters: one edit
    assert_eq!(json(&sb, &["covdi"], 1).suggestions, ["covid"]);
    // the known words of an unsegmented string stay, the unknown one is
    // fixed, with its neighbour when that makes a word (巡察 / 意识 / 形太)
    assert_eq!(
        json(&sb, &["巡察意识形太"], 1).suggestions,
        ["巡察意识形态"]
    );
    // the words of 党风廉政建没 (党风廉政, 建没) each occur, never together:
    // the one that is not a word is corrected, before dropping it
    let res = json(&sb, &["党风廉政建没"], 1);
    assert_eq!(
        res.suggestions.first().map(String::as_str),
        Some("党风廉政建设"),
        "{res:?}"
    );
    let res = json(&sb, &["COVDI疫情"], 1);
    assert_eq!(
        res.suggestions.first().map(String::as_str),
        Some("covid疫情")
    );
    assert!(res.suggestions.len() <= 5);
}

#[test]
fn issue12_only_suggestions_that_find_something_and_only_on_no_hits() {
    let sb = sandbox();
    // corrected, it still finds nothing in this date range: no suggestion
    let human = sb.search(&["意识形太", "--from", "2030"]);
    human.assert_code(1);
    assert_eq!(human.stderr, "gongwen: no notice matches \"意识形太\"\n");
    assert!(
        json(&sb, &["意识形太", "--from", "2030"], 1)
            .suggestions
            .is_empty()
    );
    // the words exist, they just never meet: nothing to correct
    assert!(json(&sb, &["covid 差旅费"], 1).suggestions.is_empty());
    // a query that finds something: the keys are there, empty
    let out = sb.search(&["--json", "意识形态"]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    assert_keys(&v, &["suggestions", "warnings"], "search --json");
    assert_eq!(v["suggestions"], serde_json::json!([]));
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn issue12_not_and_bar_behave_as_documented() {
    let sb = sandbox();
    let minus = json(&sb, &["巡察 -差旅费"], 0);
    assert!(!minus.ids().contains(&N000), "{minus:?}");
    for q in ["巡察 NOT 差旅费", "巡察 NOT \"差旅费\""] {
        let not = json(&sb, &[q], 0);
        assert_eq!(not.ids(), minus.ids(), "{q}");
        assert!(not.warnings.is_empty(), "{q}: {:?}", not.warnings);
    }
    let either = json(&sb, &["差旅费 OR 意识形态"], 0);
    assert!(either.ids().contains(&N000) && either.ids().contains(&"101_ideology.txt"));
    for q in ["差旅费 | 意识形态", "差旅费|意识形态", "差旅费 ｜ 意识形态"] {
        assert_eq!(json(&sb, &[q], 0).ids(), either.ids(), "{q}");
    }
    // AND is the default
    assert_eq!(
        json(&sb, &["巡察 AND 意识形态"], 0).ids(),
        json(&sb, &["巡察 意识形态"], 0).ids()
    );
    // an OR with nothing on its right is ignored, and said
    let run = sb.search(&["意识形态 OR"]);
    run.assert_code(0);
    assert_eq!(warning_lines(&run).len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("ignored OR"), "{}", run.stderr);
}

#[test]
fn issue12_an_unknown_prefix_warns_on_stderr_and_in_json() {
    let sb = sandbox();
    let run = sb.search(&["titel:意识形态"]);
    run.assert_code(1);
    let lines = warning_lines(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    for part in [
        "titel:",
        "as text",
        "did you mean title:?",
        "path:",
        "标题:",
    ] {
        assert!(lines[0].contains(part), "{part}: {}", lines[0]);
    }
    let res = json(&sb, &["titel:意识形态"], 1);
    assert_eq!(res.warnings.len(), 1);
    assert!(res.warnings[0].contains("titel:"), "{:?}", res.warnings);
    // the field it meant works, without a warning
    assert!(json(&sb, &["title:意识形态"], 0).warnings.is_empty());
}

#[test]
fn issue12_lowercase_operators_are_words_and_say_so() {
    let sb = sandbox();
    let run = sb.search(&["意识形态 or 差旅费"]);
    let lines = warning_lines(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("\"or\" as a word"), "{}", lines[0]);
    // (whether "not" occurs somewhere decides the exit status, not the point)
    let res: Found = sb.search(&["--json", "意识形态 not 差旅费"]).json();
    assert!(
        res.warnings[0].contains("\"not\" as a word"),
        "{:?}",
        res.warnings
    );
}

#[test]
fn issue12_colons_in_pasted_chinese_text_do_not_warn() {
    let sb = sandbox();
    for q in ["各单位：为落实", "时间：2024年", "http://www.ccdi.gov.cn"] {
        let run = sb.search(&[q]);
        assert!(warning_lines(&run).is_empty(), "{q}: {}", run.stderr);
    }
    let found = sb.search(&["各单位：为落实"]);
    found.assert_code(0);
    assert!(found.stderr.is_empty(), "{}", found.stderr);
}

#[test]
fn issue12_analyze_shows_how_operators_were_read() {
    let sb = sandbox();
    let out = sb.run(&[
        "analyze",
        "--index",
        "index",
        "--json",
        "巡察 | 整改 NOT 差旅费 or path:ccdi/2024",
    ]);
    out.assert_code(0);
    let v: serde_json::Value = out.json();
    assert_eq!(v["clauses"][0].as_array().map(Vec::len), Some(2));
    assert_eq!(v["excluded"][0]["text"], "差旅费");
    assert_eq!(v["paths"], serde_json::json!(["ccdi/2024"]));
    let warnings = v["warnings"].as_array().cloned().unwrap_or_default();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("\"or\""))),
        "{v}"
    );
    let human = sb.run(&["analyze", "--index", "index", "巡察 or path:ccdi/2024"]);
    human.assert_code(0);
    assert!(
        human.stdout.contains("under folder: ccdi/2024"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("note:"), "{}", human.stdout);
}
