//! `gongwen index`, and the index built on first use by `search`.

use crate::harness::{IndexOut, N000, N001, Sandbox, assert_keys};

#[test]
fn index_json_counts_the_sample_corpus() {
    let sb = Sandbox::new();
    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let report: IndexOut = out.json();
    assert_eq!(report.indexed, 2, "stdout: {}", out.stdout);
    assert_eq!(report.skipped, 0, "stdout: {}", out.stdout);
    // `indexed` and `skipped` are integers, not strings or floats.
    let v: serde_json::Value = out.json();
    assert_keys(&v, &["indexed", "skipped"], "index report");
    assert!(v["indexed"].is_u64() && v["skipped"].is_u64(), "{v}");
    assert!(sb.index().is_dir(), "index folder not created");
    assert!(
        out.stderr.trim().is_empty(),
        "clean corpus gave warnings: {}",
        out.stderr
    );
}

#[test]
fn index_human_summary_reports_the_counts() {
    let sb = Sandbox::new();
    let out = sb.index_cmd(&[]);
    out.assert_code(0);
    assert!(out.stdout.contains("2 added"), "stdout: {}", out.stdout);
    assert!(out.stdout.contains("2 notices"), "stdout: {}", out.stdout);
    assert!(out.stdout.contains("0 skipped"), "stdout: {}", out.stdout);
}

#[test]
fn index_skips_bad_and_empty_files_with_a_warning() {
    let sb = Sandbox::new();
    sb.add_corpus_file(
        "bad.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01garbage\x00\x9c",
    );
    sb.add_corpus_file("empty.txt", b"");
    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let report: IndexOut = out.json();
    assert_eq!(report.indexed, 2, "stdout: {}", out.stdout);
    assert_eq!(report.skipped, 2, "stdout: {}", out.stdout);

    let bad_line = out
        .stderr
        .lines()
        .find(|l| l.contains("bad.txt"))
        .unwrap_or_else(|| panic!("stderr does not name bad.txt: {}", out.stderr));
    // The warning gives a reason after the file name.
    let reason = bad_line.split("bad.txt").nth(1).unwrap_or("");
    assert!(
        reason.trim_start_matches([':', ' ']).len() > 3,
        "warning for bad.txt gives no reason: {bad_line}"
    );
    assert!(
        out.stderr.contains("empty.txt"),
        "stderr does not name empty.txt: {}",
        out.stderr
    );

    // The good notices are searchable.
    let res = sb.search_json(&["巡察"], 0);
    let mut ids = res.ids();
    ids.sort();
    assert_eq!(ids, [N000, N001]);
}

#[test]
fn index_quiet_suppresses_skip_warnings_but_still_counts() {
    let sb = Sandbox::new();
    sb.add_corpus_file("empty.txt", b"  \n");
    let out = sb.index_cmd(&["--json", "--quiet"]);
    out.assert_code(0);
    let report: IndexOut = out.json();
    assert_eq!((report.indexed, report.skipped), (2, 1));
    assert!(
        !out.stderr.contains("empty.txt"),
        "--quiet still warned: {}",
        out.stderr
    );
}

#[test]
fn index_defaults_to_corpus_and_index_in_the_current_dir() {
    let sb = Sandbox::new();
    let out = sb.run(&["index", "--json"]);
    out.assert_code(0);
    let report: IndexOut = out.json();
    assert_eq!(report.indexed, 2);
    assert!(sb.index().is_dir(), "./index not created");
}

#[test]
fn index_of_a_missing_corpus_is_an_error() {
    let sb = Sandbox::new();
    let missing = sb.root().join("no-such-corpus");
    let out = sb.run(&[
        "index".as_ref(),
        "--corpus".as_ref(),
        missing.as_os_str(),
        "--index".as_ref(),
        sb.index().as_os_str(),
    ]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("no-such-corpus"),
        "stderr does not name the folder: {}",
        out.stderr
    );
}

#[test]
fn env_vars_choose_corpus_and_index() {
    let sb = Sandbox::new();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let idx = sb.root().join("env-index");

    let mut cmd = sb.command();
    cmd.current_dir(elsewhere.path())
        .env("GONGWEN_CORPUS", sb.corpus())
        .env("GONGWEN_INDEX", &idx)
        .args(["index", "--json"]);
    let out = cmd.output().expect("run index");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(idx.is_dir(), "GONGWEN_INDEX was not used");

    let mut cmd = sb.command();
    cmd.current_dir(elsewhere.path())
        .env("GONGWEN_INDEX", &idx)
        .args(["search", "--json", "差旅费"]);
    let out = cmd.output().expect("run search");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let res: crate::harness::SearchOut = serde_json::from_slice(&out.stdout).expect("search JSON");
    assert_eq!(res.ids().first(), Some(&N000));
    assert!(
        !elsewhere.path().join("index").exists(),
        "search built a default index despite GONGWEN_INDEX"
    );
}

#[test]
fn first_search_builds_the_default_index() {
    let sb = Sandbox::new();
    assert!(!sb.index().exists());
    let out = sb.run(&["search", "差旅费"]);
    out.assert_code(0);
    assert!(
        out.stderr.to_lowercase().contains("building"),
        "stderr does not say it is building the index: {}",
        out.stderr
    );
    assert!(sb.index().is_dir(), "index/ was not created");
    assert!(out.stdout.contains(N000), "stdout: {}", out.stdout);

    // The second search reuses the index silently.
    let again = sb.run(&["search", "差旅费"]);
    again.assert_code(0);
    assert!(
        !again.stderr.to_lowercase().contains("building"),
        "index rebuilt on the second search: {}",
        again.stderr
    );
}

#[test]
fn rebuild_picks_up_removed_notices() {
    let sb = Sandbox::indexed();
    std::fs::remove_file(sb.corpus().join(N000)).expect("remove notice");
    let out = sb.index_cmd(&["--json", "--rebuild"]);
    out.assert_code(0);
    let report: IndexOut = out.json();
    assert_eq!(report.indexed, 1);
    sb.search_json(&["差旅费"], 1);
}
