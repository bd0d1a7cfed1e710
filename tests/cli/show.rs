//! `gongwen show`: one notice as the index holds it, named the way a user
//! would name it, with its whole text or one section (issue 12, "Reading").

use serde::Deserialize;

use crate::harness::{N000, Sandbox};

#[derive(Debug, Deserialize)]
struct ShowOut {
    id: String,
    title: String,
    sections: usize,
    text: Option<Vec<SectionOut>>,
}

#[derive(Debug, Deserialize)]
struct SectionOut {
    index: usize,
    heading: Option<String>,
    heading_path: Vec<String>,
    text: String,
}

fn show(sb: &Sandbox, args: &[&str]) -> crate::harness::Run {
    let index = sb.index().display().to_string();
    let mut all = vec!["show", "--index", index.as_str()];
    all.extend_from_slice(args);
    sb.run(&all)
}

#[test]
fn issue12_show_accepts_the_id_with_or_without_extension_or_a_path() {
    let sb = Sandbox::indexed();
    let stem = N000.trim_end_matches(".txt");
    let on_disk = sb.corpus().join(N000).display().to_string();
    let relative = format!("corpus/{N000}");
    for name in [
        N000,
        stem,
        on_disk.as_str(),
        relative.as_str(),
        "./000_4f4fae3bed152b1a.txt",
    ] {
        let out = show(&sb, &["--json", name]);
        out.assert_code(0);
        let v: ShowOut = out.json();
        assert_eq!(v.id, N000, "named as {name}");
        assert!(v.text.is_none(), "no text unless asked");
    }
    let out = show(&sb, &["000_4f4f"]);
    out.assert_code(2);
    assert!(out.stderr.contains("no notice"), "{}", out.stderr);
}

#[test]
fn issue12_show_text_prints_every_section_in_order() {
    let sb = Sandbox::indexed();
    let v: ShowOut = show(&sb, &["--json", "--text", N000]).json();
    let text = v.text.expect("--text gives the sections");
    assert_eq!(text.len(), v.sections);
    assert!(text.iter().enumerate().all(|(i, s)| s.index == i));
    assert!(
        text[0].heading.is_none(),
        "section 0 is the text before the headings"
    );
    let whole: String = text.iter().map(|s| s.text.as_str()).collect();
    assert!(whole.contains("未严格执行差旅费管理制度"), "{whole}");
    let human = show(&sb, &["--text", N000]);
    human.assert_code(0);
    assert!(human.stdout.contains(&v.title), "{}", human.stdout);
    assert!(human.stdout.contains("[1] "), "{}", human.stdout);
    assert!(
        human.stdout.contains("三门县机关工作人员差旅费管理规定"),
        "{}",
        human.stdout
    );
}

#[test]
fn issue12_show_section_by_heading_words_or_number() {
    let sb = Sandbox::indexed();
    let v: ShowOut = show(&sb, &["--json", "--section", "差旅费", N000]).json();
    let secs = v.text.expect("--section gives text");
    assert_eq!(secs.len(), 1, "{secs:?}");
    let s = &secs[0];
    assert!(
        s.heading.as_deref().is_some_and(|h| h.contains("差旅费")),
        "{s:?}"
    );
    assert!(s.heading_path.len() >= 2, "the path down to it: {s:?}");
    let by_number: ShowOut = show(&sb, &["--json", "--section", &s.index.to_string(), N000]).json();
    assert_eq!(by_number.text.expect("text")[0].text, s.text);
    // a top-level heading brings its subsections along
    let top: ShowOut = show(&sb, &["--json", "--section", "财务管理不够规范", N000]).json();
    let top = top.text.expect("text");
    assert!(
        top.len() > 1 && top.iter().any(|t| t.text == s.text),
        "{top:?}"
    );
    for bad in ["999", "没有这个标题"] {
        let out = show(&sb, &["--section", bad, N000]);
        out.assert_code(2);
        assert!(
            out.stderr.starts_with("gongwen: invalid --section"),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
}
