//! Issue 11: what reaches the terminal. Notice text, crawler exports, HTML
//! entities and file names are printed terminal-safe (visible escapes, never
//! raw control sequences), JSON stays exact, a failing stderr or stdout never
//! panics, and a query too large to answer quickly is refused.

use std::process::Stdio;

use serde::Deserialize;

use crate::harness::{ParseOut, Run, Sandbox};

/// A notice whose title, agency, heading and body carry escape sequences
/// (window title, clipboard, hyperlink, screen clearing, colour), bidi
/// controls and a C1 control.
const HOSTILE_TXT: &str = concat!(
    "关于\u{1b}]0;pwned\u{7}加强巡察整改\u{202e}工作\u{9b}2J的通知\n",
    "发文机关：某某\u{1b}[2J县\u{2066}纪委\n",
    "发布时间：2024-05-01\n",
    "\n",
    "一、总体\u{1b}[31m要求\n",
    "巡察整改\u{1b}]52;c;cGF3bmVk\u{7}差旅费内容。\u{1b}]8;;http://evil\u{7}点击\u{1b}]8;;\u{7}\n",
);
const TITLE: &str = "关于\u{1b}]0;pwned\u{7}加强巡察整改\u{202e}工作\u{9b}2J的通知";
const TITLE_SHOWN: &str = r"关于\x1b]0;pwned\x07加强巡察整改\u{202e}工作\u{9b}2J的通知";
const AGENCY: &str = "某某\u{1b}[2J县\u{2066}纪委";
const AGENCY_SHOWN: &str = r"某某\x1b[2J县\u{2066}纪委";
const HEADING: &str = "总体\u{1b}[31m要求";
const HEADING_SHOWN: &str = r"总体\x1b[31m要求";

/// Panic when `s` holds a character that acts on a terminal: a C0 control
/// other than the line breaks of the output itself, DEL, a C1 control, or a
/// bidi control.
fn assert_terminal_safe(s: &str, what: &str) {
    for c in s.chars() {
        let bad = (c < ' ' && c != '\n')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}');
        assert!(!bad, "{what} holds raw {c:?}:\n{s}");
    }
}

fn hostile_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.add_corpus_file("hostile.txt", HOSTILE_TXT.as_bytes());
    sb.index_cmd(&["--quiet"]).assert_code(0);
    sb
}

#[derive(Debug, Deserialize)]
struct ShowOut {
    title: String,
    agency: Option<String>,
}

#[derive(Debug, Deserialize)]
struct StatsOut {
    agencies: Vec<AgencyOut>,
}

#[derive(Debug, Deserialize)]
struct AgencyOut {
    agency: String,
}

#[test]
fn issue11_notice_text_is_escaped_in_search_parse_show_stats() {
    let sb = hostile_sandbox();

    let search = sb.search(&["差旅费"]);
    search.assert_code(0);
    assert_terminal_safe(&search.stdout, "search");
    assert!(search.stdout.contains(TITLE_SHOWN), "{}", search.stdout);
    assert!(search.stdout.contains(AGENCY_SHOWN), "{}", search.stdout);
    // the snippet: escaped pieces, the highlight still on the matched word
    assert!(
        search.stdout.contains(r"cGF3bmVk\x07【差旅费】"),
        "{}",
        search.stdout
    );
    assert!(
        search.stdout.contains(r"\x1b]8;;http://evil\x07"),
        "{}",
        search.stdout
    );

    let parse = sb.run(&["parse", "corpus/hostile.txt"]);
    parse.assert_code(0);
    assert_terminal_safe(&parse.stdout, "parse");
    for shown in [TITLE_SHOWN, AGENCY_SHOWN, HEADING_SHOWN] {
        assert!(parse.stdout.contains(shown), "{shown}:\n{}", parse.stdout);
    }

    let show = sb.run(&["show", "--index", "index", "hostile.txt"]);
    show.assert_code(0);
    assert_terminal_safe(&show.stdout, "show");
    for shown in [TITLE_SHOWN, AGENCY_SHOWN, HEADING_SHOWN] {
        assert!(show.stdout.contains(shown), "{shown}:\n{}", show.stdout);
    }

    let stats = sb.run(&["stats", "--index", "index"]);
    stats.assert_code(0);
    assert_terminal_safe(&stats.stdout, "stats");
    assert!(stats.stdout.contains(AGENCY_SHOWN), "{}", stats.stdout);

    let analyze = sb.run(&["analyze", "--index", "index", "巡察\u{1b}]0;x\u{7}\u{202e}"]);
    analyze.assert_code(0);
    assert_terminal_safe(&analyze.stdout, "analyze");
    assert!(
        analyze.stdout.contains(r"巡察\x1b]0;x\x07\u{202e}"),
        "{}",
        analyze.stdout
    );
}

#[test]
fn issue11_json_output_keeps_the_exact_text() {
    let sb = hostile_sandbox();

    let hits = sb.search_json(&["差旅费"], 0);
    let hit = hits
        .hits
        .iter()
        .find(|h| h.path == "hostile.txt")
        .expect("the hostile notice is found");
    assert_eq!(hit.title, TITLE);
    assert_eq!(hit.agency.as_deref(), Some(AGENCY));
    let snippet = &hit.sections[0].snippet;
    assert!(
        snippet.contains("cGF3bmVk\u{7}差旅费内容。\u{1b}]8;;http://evil\u{7}"),
        "{snippet:?}"
    );
    // highlights are character ranges into the raw snippet
    let [a, b] = hit.sections[0].highlights[0];
    let word: String = snippet.chars().skip(a).take(b - a).collect();
    assert_eq!(word, "差旅费");

    let parse = sb.run(&["parse", "--json", "corpus/hostile.txt"]);
    parse.assert_code(0);
    let n: ParseOut = parse.json();
    assert_eq!(n.title, TITLE);
    assert_eq!(n.agency.as_deref(), Some(AGENCY));
    assert_eq!(n.headings[0].text, HEADING);

    let show = sb.run(&["show", "--json", "--index", "index", "hostile.txt"]);
    show.assert_code(0);
    let v: ShowOut = show.json();
    assert_eq!(v.title, TITLE);
    assert_eq!(v.agency.as_deref(), Some(AGENCY));

    let stats = sb.run(&["stats", "--json", "--index", "index"]);
    stats.assert_code(0);
    let s: StatsOut = stats.json();
    assert!(s.agencies.iter().any(|a| a.agency == AGENCY), "{s:?}");
}

#[test]
fn issue11_html_entity_escapes_are_shown_not_emitted() {
    let sb = Sandbox::new();
    sb.add_corpus_file(
        "page.html",
        "<html><head><title>关于&#27;]0;pwned&#7;巡察的通知</title></head><body>\
         <h1>关于&#27;]0;pwned&#7;巡察的通知</h1><p>发文机关：某&#x202E;纪委</p>\
         <p>巡察整改&#27;[2J差旅费。</p></body></html>"
            .as_bytes(),
    );
    let human = sb.run(&["parse", "corpus/page.html"]);
    human.assert_code(0);
    assert_terminal_safe(&human.stdout, "parse of an HTML page");
    assert!(
        human.stdout.contains(r"关于\x1b]0;pwned\x07巡察的通知"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains(r"某\u{202e}纪委"), "{}", human.stdout);

    let json = sb.run(&["parse", "--json", "corpus/page.html"]);
    json.assert_code(0);
    let n: ParseOut = json.json();
    assert_eq!(n.title, "关于\u{1b}]0;pwned\u{7}巡察的通知");
    assert_eq!(n.agency.as_deref(), Some("某\u{202e}纪委"));
}

#[test]
fn issue11_crawler_export_control_chars_are_escaped() {
    let sb = Sandbox::new();
    let record = serde_json::json!({
        "title": "关于\u{1b}[2J巡察的通知\u{9b}",
        "agency": "某\u{202e}纪委\u{7}",
        "content": "巡察整改\u{1b}]8;;http://x\u{7}差旅费",
        "date": "2024-01-02",
    });
    sb.add_corpus_file("export.jsonl", format!("{record}\n").as_bytes());
    let human = sb.run(&["parse", "corpus/export.jsonl"]);
    human.assert_code(0);
    assert_terminal_safe(&human.stdout, "parse of a crawler export");
    assert!(
        human.stdout.contains(r"关于\x1b[2J巡察的通知\u{9b}"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains(r"某\u{202e}纪委\x07"),
        "{}",
        human.stdout
    );

    let json = sb.run(&["parse", "--json", "corpus/export.jsonl"]);
    json.assert_code(0);
    let n: ParseOut = json.json();
    assert_eq!(n.title, "关于\u{1b}[2J巡察的通知\u{9b}");
    assert_eq!(n.agency.as_deref(), Some("某\u{202e}纪委\u{7}"));
}

#[test]
fn issue11_file_name_cannot_forge_a_warning_line() {
    let sb = Sandbox::new();
    // an empty file is skipped with a warning that quotes its name
    let name = "e\ngongwen: skipped passwd: forged\u{1b}]0;pwned\u{7}.txt";
    sb.add_corpus_file(name, b"");
    let run = sb.index_cmd(&[]);
    run.assert_code(0);
    assert_terminal_safe(&run.stderr, "index warnings");
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("skipped"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(
            r"gongwen: skipped e\ngongwen: skipped passwd: forged\x1b]0;pwned\x07.txt: "
        ),
        "{}",
        run.stderr
    );
    assert_terminal_safe(&run.stdout, "index summary");

    // an error quoting the name (main's `gongwen: {err}`) is escaped too
    let missing = sb.run(&["parse", "corpus/x\n\u{1b}[2J\u{202e}.txt"]);
    missing.assert_code(2);
    assert_terminal_safe(&missing.stderr, "an error message");
    assert_eq!(missing.stderr.lines().count(), 1, "{}", missing.stderr);
    assert!(
        missing.stderr.contains(r"x\n\x1b[2J\u{202e}.txt"),
        "{}",
        missing.stderr
    );

    // `add`: the skip warning for the copied file is one escaped line
    let incoming = sb.root().join("incoming");
    std::fs::create_dir(&incoming).expect("create incoming");
    std::fs::write(incoming.join("f\n\u{1b}[2J.txt"), b"").expect("write incoming file");
    let add = sb.run(&[
        "add".as_ref(),
        "--corpus".as_ref(),
        sb.corpus().as_os_str(),
        "--index".as_ref(),
        sb.index().as_os_str(),
        incoming.as_os_str(),
    ]);
    add.assert_code(0);
    assert_terminal_safe(&add.stderr, "add messages");
    assert!(add.stderr.contains(r"f\n\x1b[2J.txt"), "{}", add.stderr);
}

#[test]
fn issue11_index_summary_and_stats_escape_folder_names() {
    let sb = Sandbox::new();
    let corpus = sb.root().join("c\u{1b}[2J\norpus");
    let index = sb.root().join("i\u{1b}]0;t\u{7}ndex");
    std::fs::create_dir(&corpus).expect("create corpus");
    std::fs::write(corpus.join("hostile.txt"), HOSTILE_TXT).expect("write notice");
    let mut cmd = sb.command();
    cmd.arg("index")
        .arg("--corpus")
        .arg(&corpus)
        .arg("--index")
        .arg(&index);
    let out = cmd.output().expect("run index");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 summary");
    assert_terminal_safe(&stdout, "index summary");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains(r"i\x1b]0;t\x07ndex"), "{stdout}");
    assert!(stdout.contains(r"c\x1b[2J\norpus"), "{stdout}");

    let mut cmd = sb.command();
    cmd.arg("stats").arg("--index").arg(&index);
    let out = cmd.output().expect("run stats");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stats");
    assert_terminal_safe(&stdout, "stats");
    assert!(stdout.contains(r"c\x1b[2J\norpus"), "{stdout}");
}

/// `/dev/full` for writing, or `None` (with a note) where it does not exist.
fn dev_full() -> Option<std::fs::File> {
    match std::fs::OpenOptions::new().write(true).open("/dev/full") {
        Ok(f) => Some(f),
        Err(e) => {
            println!("skipped: no writable /dev/full here ({e})");
            None
        }
    }
}

#[test]
fn issue11_full_stderr_still_indexes_and_commits() {
    let Some(full) = dev_full() else { return };
    let sb = Sandbox::new();
    // a skipped file makes the run write a warning
    sb.add_corpus_file("empty.txt", b"");
    let mut cmd = sb.corpus_command("index");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(full));
    let status = cmd.status().expect("run index");
    assert_eq!(status.code(), Some(0), "index with stderr on /dev/full");
    let hits = sb.search_json(&["差旅费"], 0);
    assert_eq!(hits.total, 1);
}

#[test]
fn issue11_full_stdout_is_an_error_not_a_panic() {
    let Some(full) = dev_full() else { return };
    let sb = Sandbox::indexed();
    let mut cmd = sb.command();
    cmd.arg("search")
        .arg("--index")
        .arg(sb.index())
        .arg("差旅费")
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped());
    let out = cmd.output().expect("run search");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
}

#[test]
fn issue11_closed_pipe_is_still_success() {
    let sb = Sandbox::indexed();
    let mut cmd = sb.command();
    // many pages of output, so the write meets the closed pipe
    cmd.arg("search")
        .arg("--index")
        .arg(sb.index())
        .arg("--agency")
        .arg("区")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn search");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for search");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// `巡察0 OR 巡察1 OR …` with `n` words, as separate arguments (one
/// argument may not exceed 128 KiB on Linux).
fn or_query(n: usize) -> Vec<String> {
    let mut args = Vec::with_capacity(2 * n);
    for i in 0..n {
        if i > 0 {
            args.push("OR".to_string());
        }
        args.push(format!("巡察{i}"));
    }
    args
}

fn refused(run: &Run, limit: &str) {
    run.assert_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("gongwen: invalid query \"巡察0 OR 巡察1 OR"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains('…'),
        "the query is shortened: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("at most {limit}")),
        "{}",
        run.stderr
    );
}

#[test]
fn issue11_query_complexity_is_bounded() {
    let sb = Sandbox::indexed();
    // the issue's 10,000 alternatives: over the length bound
    refused(&sb.search(&or_query(10_000)), "10000");
    // short enough, but too many words
    refused(&sb.search(&or_query(300)), "256");
    // what a person writes or pastes still runs
    let many = sb.search(&or_query(256));
    assert!(many.code == 0 || many.code == 1, "{many:?}");
    let pasted = "关于进一步加强和规范党政机关国内公务接待管理工作的通知".repeat(100);
    let pasted = sb.search(&[pasted]);
    assert!(pasted.code == 0 || pasted.code == 1, "{pasted:?}");
}
