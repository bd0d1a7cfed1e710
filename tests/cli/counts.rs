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
