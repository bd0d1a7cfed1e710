//! Counts a researcher can quote (issue 12): `literal_total` is what grep
//! counts, `total` every notice holding the query's words, and the human
//! output says both and marks the notices that hold the words apart.

use crate::harness::Sandbox;

/// Three notices: the string as typed, the string broken by a line break
/// (a wrapped line), and its two words far apart.
fn three_ways() -> Sandbox {
    let sb = Sandbox::new();
    sb.add_corpus_file(
        "typed.txt",
        "关于数据工作的通知\n\n各单位要认真贯彻数据安全法，做好数据分类分级。\n".as_bytes(),
    );
    sb.add_corpus_file(
        "wrapped.txt",
        "关于网络工作的通报\n\n各单位要贯彻落实数据\n安全法的各项规定，压实责任。\n".as_bytes(),
    );
    sb.add_corpus_file(
        "apart.txt",
        "关于统计工作的通知\n\n统计数据要真实准确。\n\n二、严格执行安全法律法规。生产安全法规定的事项要落实。\n"
            .as_bytes(),
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

#[test]
fn issue12_literal_total_counts_the_string_as_typed() {
    let sb = three_ways();
    let out = sb.search_json(&["数据安全法"], 0);
    assert_eq!(
        out.total,
        3,
        "every notice holding 数据 and 安全法: {:?}",
        out.ids()
    );
    // a line break inside the string is not the string as typed: grep
    // would not count it
    assert_eq!(out.literal_total, 1, "{:?}", out.hits);
    let typed: Vec<&str> = out
        .hits
        .iter()
        .filter(|h| h.literal)
        .map(|h| h.path.as_str())
        .collect();
    assert_eq!(typed, ["typed.txt"]);
    assert_eq!(
        out.hits[0].path, "typed.txt",
        "the literal match ranks first"
    );
    assert_eq!(out.words, ["数据", "安全法"]);
    // quoted, the wrapped line still matches (recall), but only one holds
    // the string as typed
    let quoted = sb.search_json(&["\"数据安全法\""], 0);
    assert_eq!(quoted.total, 2, "{:?}", quoted.ids());
    assert_eq!(quoted.literal_total, 1);
}

#[test]
fn issue12_human_output_says_both_counts_and_marks_the_others() {
    let sb = three_ways();
    let out = sb.search(&["数据安全法"]);
    out.assert_code(0);
    assert!(
        out.stdout
            .contains("1 notice contains \"数据安全法\" as typed; 2 more contain its words 数据 / 安全法 apart"),
        "{}",
        out.stdout
    );
    let marker = out
        .stdout
        .find("below: notices with the words apart")
        .expect("a line marks where the literal matches end");
    let typed = out.stdout.find("typed.txt").expect("typed.txt listed");
    assert!(typed < marker, "{}", out.stdout);
    assert_eq!(
        out.stdout.matches("words apart").count(),
        3,
        "{}",
        out.stdout
    );
    // when every match is literal, one count
    let one = sb.search(&["分类分级"]);
    assert!(one.stdout.contains("1 notice matches;"), "{}", one.stdout);
    assert!(!one.stdout.contains("as typed"), "{}", one.stdout);
}

#[test]
fn issue12_count_and_files_with_matches_cover_every_match() {
    let sb = three_ways();
    let count = sb.search(&["数据安全法", "--count"]);
    count.assert_code(0);
    assert_eq!(count.stdout, "3\n");
    let none = sb.search(&["不存在的词语组合", "--count"]);
    none.assert_code(1);
    assert_eq!(none.stdout, "0\n");
    // every match, not a page of ten; paths only, ranked
    let l = sb.search(&["数据安全法", "-l"]);
    l.assert_code(0);
    let paths: Vec<&str> = l.stdout.lines().collect();
    assert_eq!(paths.len(), 3, "{}", l.stdout);
    assert_eq!(paths[0], "typed.txt");
    let limited = sb.search(&["数据安全法", "--files-with-matches", "--limit", "1"]);
    assert_eq!(limited.stdout, "typed.txt\n");
    // one output format at a time
    let both = sb.search(&["数据安全法", "-l", "--json"]);
    both.assert_code(2);
}

#[test]
fn issue12_csv_has_one_row_per_notice_and_defuses_formulas() {
    let sb = three_ways();
    sb.add_corpus_file(
        "formula.txt",
        // a formula a spreadsheet would run (a title with a link in it is
        // read as a pasted advertisement's, and the link dropped)
        "=SUM(1,2)+cmd|'/C calc'!A0关于数据安全法的通知\n文号：国办发〔2024〕3号\n\n一、总体要求\n贯彻数据安全法。\n".as_bytes(),
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let out = sb.search(&["数据安全法", "--csv"]);
    out.assert_code(0);
    let mut rd = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "rank",
            "id",
            "path",
            "title",
            "agency",
            "date",
            "doc_number",
            "heading_path",
            "literal"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("a CSV row")).collect();
    assert_eq!(rows.len(), 4, "{}", out.stdout);
    let formula = rows
        .iter()
        .find(|r| &r[2] == "formula.txt")
        .expect("formula.txt listed");
    assert!(formula[3].starts_with("'=SUM(1,2)"), "{:?}", formula);
    assert_eq!(&formula[6], "国办发〔2024〕3号");
    assert_eq!(&formula[8], "yes");
    assert!(rows.iter().any(|r| &r[8] == "no"));
    assert_eq!(&rows[0][0], "1");
}

#[derive(Debug, serde::Deserialize)]
struct FacetOut {
    value: String,
    count: usize,
}

#[derive(Debug, serde::Deserialize)]
struct FacetsOut {
    total: usize,
    facets: std::collections::BTreeMap<String, Vec<FacetOut>>,
}

#[test]
fn issue12_count_by_and_path_filter_through_the_binary() {
    let sb = three_ways();
    std::fs::create_dir_all(sb.corpus().join("county/2024")).unwrap();
    sb.add_corpus_file(
        "county/2024/a.txt",
        "某县审计局关于数据安全法落实情况的通报\n发布时间：2024-03-05\n\n一、关于“未严格执行差旅费管理制度”问题的整改\n贯彻数据安全法。\n"
            .as_bytes(),
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let out = sb.search(&[
        "数据安全法",
        "--json",
        "--count-by",
        "folder,year",
        "--count-by",
        "issue",
    ]);
    out.assert_code(0);
    let v: FacetsOut = out.json();
    assert_eq!(v.total, 4);
    let folders: usize = v.facets["folder"].iter().map(|c| c.count).sum();
    assert_eq!(folders, 4, "every notice has a folder: {:?}", v.facets);
    assert!(
        v.facets["folder"]
            .iter()
            .any(|c| c.value == "county/2024" && c.count == 1)
    );
    assert_eq!(v.facets["year"].len(), 1, "{:?}", v.facets["year"]);
    assert_eq!(v.facets["year"][0].value, "2024");
    assert!(
        v.facets["issue"]
            .iter()
            .any(|c| c.value == "未严格执行差旅费管理制度")
    );
    // the path filter, as a flag and in the query
    for args in [
        vec!["数据安全法", "--path", "county", "-l"],
        vec!["数据安全法", "path:county/", "-l"],
        vec!["path:county", "-l"],
    ] {
        let l = sb.search(&args);
        l.assert_code(0);
        assert_eq!(l.stdout, "county/2024/a.txt\n", "{args:?}");
    }
    let none = sb.search(&["数据安全法", "--path", "count", "-l"]);
    none.assert_code(1);
    // the tables, for a person
    let human = sb.search(&["数据安全法", "--count", "--count-by", "year"]);
    assert!(human.stdout.starts_with("4\n"), "{}", human.stdout);
    assert!(human.stdout.contains("notices by year"), "{}", human.stdout);
    let bad = sb.search(&["数据安全法", "--count-by", "agnecy"]);
    bad.assert_code(2);
    assert!(
        bad.stderr
            .starts_with("gongwen: invalid --count-by \"agnecy\""),
        "{}",
        bad.stderr
    );
}

/// A line break inside a string of Latin and Chinese (`A\n类`) is not the
/// string as typed, even when another section holds the same characters
/// as typed inside longer Latin runs (`AA类`), which the string's whole-run
/// rule does not match: only the sections that match are read back.
#[test]
fn issue12_a_wrapped_latin_string_is_not_typed_for_a_longer_run_elsewhere() {
    let sb = Sandbox::new();
    sb.add_corpus_file(
        "mixed.txt",
        "关于分类工作的通知\n\n一、分类要求\n各单位按A\n类标准执行。\n\n二、其他事项\n编号XA\n类和AA类不在此列。\n"
            .as_bytes(),
    );
    sb.index_cmd(&["--quiet"]).assert_code(0);
    let out = sb.search_json(&["\"A类\""], 0);
    assert_eq!(out.total, 1, "the wrapped A类 matches: {:?}", out.ids());
    assert_eq!(out.literal_total, 0, "{:?}", out.hits);
    assert!(!out.hits[0].literal);
}
