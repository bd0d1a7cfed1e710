//! Index lifecycle (issue 5): incremental `index`, `--rebuild`, `add`, the
//! writers' lock, crash safety under SIGKILL, `stats`, `show`, and indexes
//! written by an incompatible gongwen.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use crate::harness::{HeadingOut, N000, N001, Run, Sandbox, assert_keys};

/// A short notice that is not in the sample corpus, with a word no sample
/// contains.
const NEW_NAME: &str = "002_办公用品采购检查通报.txt";
const NEW_WORD: &str = "测试专用词语甲";
const NEW_NOTICE: &str = "\
关于办公用品采购专项检查情况的通报
发布时间：2024-05-01

各科室、各直属单位：
为进一步规范办公用品采购管理，局办公室于4月对各单位采购台账进行了专项检查，现将有关情况通报如下。
一、检查基本情况
本次检查共抽查采购台账12本、报销凭证86份，发现测试专用词语甲相关问题3个。
二、存在的主要问题
部分单位采购审批手续不全，台账登记不够及时，个别物品验收记录缺失。
三、下一步工作要求
各单位要对照问题清单逐项整改，于6月底前将整改情况报局办公室。

某县财政局办公室
2024年5月1日
";

/// The same notice after an edit: the distinctive word is replaced (and the
/// text is longer, so the size differs too).
const CHANGED_WORD: &str = "替换之后新增词丙";
fn changed_notice() -> String {
    NEW_NOTICE.replace(NEW_WORD, &format!("{CHANGED_WORD}（已复核）"))
}

/// Every field of `index --json` / `add --json` the tests look at.
#[derive(Debug, Deserialize)]
struct Report {
    added: u64,
    updated: u64,
    removed: u64,
    unchanged: u64,
    skipped: u64,
    indexed: u64,
    rebuilt: bool,
}

impl Report {
    /// `(added, updated, removed, unchanged, indexed)`.
    fn counts(&self) -> (u64, u64, u64, u64, u64) {
        (
            self.added,
            self.updated,
            self.removed,
            self.unchanged,
            self.indexed,
        )
    }
}

/// Run a prepared command and collect its outcome.
fn run(mut cmd: Command) -> Run {
    let cmdline = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("spawn {cmdline}: {e}"));
    Run {
        cmdline,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `gongwen index --json EXTRA` with explicit folders; expects success.
fn index_json(sb: &Sandbox, extra: &[&str]) -> Report {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let out = sb.index_cmd(&args);
    out.assert_code(0);
    let r: Report = out.json();
    assert_eq!(r.skipped, 0, "{}", out.stdout);
    r
}

/// `gongwen add --corpus <corpus> --index <index> ARGS`.
fn add(sb: &Sandbox, args: &[&str]) -> Run {
    let mut cmd = sb.corpus_command("add");
    cmd.args(args);
    run(cmd)
}

/// `gongwen stats --index <index> --json`, decoded.
fn stats(sb: &Sandbox) -> Value {
    let mut cmd = sb.command();
    cmd.arg("stats")
        .arg("--index")
        .arg(sb.index())
        .arg("--json");
    let out = run(cmd);
    out.assert_code(0);
    out.json()
}

fn notices_in_index(sb: &Sandbox) -> u64 {
    let v = stats(sb);
    v["notices"]
        .as_u64()
        .unwrap_or_else(|| panic!("stats.notices is not an integer: {v}"))
}

/// `gongwen show --index <index> ARGS`.
fn show(sb: &Sandbox, args: &[&str]) -> Run {
    let mut cmd = sb.command();
    cmd.arg("show").arg("--index").arg(sb.index()).args(args);
    run(cmd)
}

/// Write `text` to `path`, creating its folder.
fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

// ---- incremental index ------------------------------------------------------

#[test]

fn index_is_incremental_and_counts_what_it_did() {
    let sb = Sandbox::new();
    let first = index_json(&sb, &[]);
    assert_eq!(first.counts(), (2, 0, 0, 0, 2), "first run: {first:?}");

    let again = index_json(&sb, &[]);
    assert_eq!(again.counts(), (0, 0, 0, 2, 2), "second run: {again:?}");
    assert!(!again.rebuilt, "an unchanged corpus was rebuilt: {again:?}");

    sb.add_corpus_file(NEW_NAME, NEW_NOTICE.as_bytes());
    let third = index_json(&sb, &[]);
    assert_eq!(
        third.counts(),
        (1, 0, 0, 2, 3),
        "after a new file: {third:?}"
    );

    let res = sb.search_json(&[NEW_WORD], 0);
    assert_eq!(res.ids(), [NEW_NAME], "{res:?}");
    // Nothing was indexed twice.
    assert_eq!(notices_in_index(&sb), 3);
    let res = sb.search_json(&["巡察"], 0);
    assert_eq!(res.total, 2, "{res:?}");
}

#[test]

fn removed_files_vanish_and_changed_files_are_reindexed() {
    let sb = Sandbox::new();
    sb.add_corpus_file(NEW_NAME, NEW_NOTICE.as_bytes());
    let first = index_json(&sb, &[]);
    assert_eq!(first.counts(), (3, 0, 0, 0, 3), "{first:?}");
    assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);

    std::fs::remove_file(sb.corpus().join(N000)).expect("remove a notice");
    let changed = changed_notice();
    assert_ne!(changed.len(), NEW_NOTICE.len());
    sb.add_corpus_file(NEW_NAME, changed.as_bytes());

    let r = index_json(&sb, &[]);
    assert_eq!(r.counts(), (0, 1, 1, 1, 2), "{r:?}");
    // The removed notice is gone from the results (no other notice has the word).
    let gone = sb.search_json(&["差旅费"], 1);
    assert!(gone.hits.is_empty(), "{gone:?}");
    // The changed notice is found by its new text only.
    let old = sb.search_json(&[NEW_WORD], 1);
    assert!(old.hits.is_empty(), "old text still found: {old:?}");
    assert_eq!(sb.search_json(&[CHANGED_WORD], 0).ids(), [NEW_NAME]);
    assert_eq!(notices_in_index(&sb), 2);
}

#[test]
fn rebuild_reindexes_everything_from_scratch() {
    let sb = Sandbox::indexed();
    let r = index_json(&sb, &["--rebuild"]);
    assert!(r.rebuilt, "{r:?}");
    assert_eq!(r.counts(), (2, 0, 0, 0, 2), "{r:?}");
    assert_eq!(notices_in_index(&sb), 2);
    assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);
}

// ---- add ---------------------------------------------------------------------

#[test]

fn add_copies_a_file_and_updates_the_index_in_one_step() {
    let sb = Sandbox::indexed();
    let inbox = sb.root().join("inbox").join(NEW_NAME);
    write(&inbox, NEW_NOTICE);
    let in_corpus = sb.corpus().join(NEW_NAME);

    let out = add(&sb, &["--json", inbox.to_str().unwrap()]);
    out.assert_code(0);
    assert_eq!(read(&in_corpus), NEW_NOTICE.as_bytes(), "not copied");
    let r: Report = out.json();
    assert_eq!(r.counts(), (1, 0, 0, 2, 3), "{r:?}");
    assert_eq!(sb.search_json(&[NEW_WORD], 0).ids(), [NEW_NAME]);

    // The identical file again: nothing to do.
    let out = add(&sb, &["--json", inbox.to_str().unwrap()]);
    out.assert_code(0);
    let r: Report = out.json();
    assert_eq!(r.counts(), (0, 0, 0, 3, 3), "{r:?}");
    assert_eq!(notices_in_index(&sb), 3);

    // A different file of the same name is refused without --force.
    let other = sb.root().join("inbox2").join(NEW_NAME);
    write(&other, &changed_notice());
    let out = add(&sb, &[other.to_str().unwrap()]);
    out.assert_code(2);
    assert!(out.stderr.contains("--force"), "stderr: {}", out.stderr);
    assert!(out.stderr.contains(NEW_NAME), "stderr: {}", out.stderr);
    assert_eq!(
        read(&in_corpus),
        NEW_NOTICE.as_bytes(),
        "refused add changed the corpus"
    );
    assert_eq!(sb.search_json(&[NEW_WORD], 0).ids(), [NEW_NAME]);

    // --force replaces it, and the index follows.
    let out = add(&sb, &["--force", "--json", other.to_str().unwrap()]);
    out.assert_code(0);
    assert_eq!(read(&in_corpus), changed_notice().as_bytes());
    let r: Report = out.json();
    assert_eq!(r.counts(), (0, 1, 0, 2, 3), "{r:?}");
    assert!(sb.search_json(&[NEW_WORD], 1).hits.is_empty());
    assert_eq!(sb.search_json(&[CHANGED_WORD], 0).ids(), [NEW_NAME]);
    assert_eq!(notices_in_index(&sb), 3);
}

#[test]
fn add_on_a_fresh_corpus_copies_and_indexes_the_file() {
    // Works without an earlier index (the first run of `add` is a full
    // build, so the incremental record plays no part).
    let sb = Sandbox::new();
    let inbox = sb.root().join("inbox").join(NEW_NAME);
    write(&inbox, NEW_NOTICE);
    let out = add(&sb, &["--json", inbox.to_str().unwrap()]);
    out.assert_code(0);
    assert_eq!(read(&sb.corpus().join(NEW_NAME)), NEW_NOTICE.as_bytes());
    let r: Report = out.json();
    assert_eq!(r.indexed, 3, "{r:?}");
    assert_eq!(sb.search_json(&[NEW_WORD], 0).ids(), [NEW_NAME]);

    // A refusal leaves the corpus file and the index as they were.
    let other = sb.root().join("inbox2").join(NEW_NAME);
    write(&other, &changed_notice());
    let out = add(&sb, &[other.to_str().unwrap()]);
    out.assert_code(2);
    assert!(out.stderr.contains("--force"), "stderr: {}", out.stderr);
    assert_eq!(read(&sb.corpus().join(NEW_NAME)), NEW_NOTICE.as_bytes());
    assert_eq!(sb.search_json(&[NEW_WORD], 0).ids(), [NEW_NAME]);
}

#[test]
fn add_a_folder_copies_its_notices_under_its_name() {
    let sb = Sandbox::new();
    let batch = sb.root().join("weekly");
    write(&batch.join("a.txt"), NEW_NOTICE);
    write(&batch.join("b.txt"), &changed_notice());
    write(&batch.join("notes.bin"), "not a notice");
    let out = add(&sb, &["--json", batch.to_str().unwrap()]);
    out.assert_code(0);
    assert_eq!(
        read(&sb.corpus().join("weekly/a.txt")),
        NEW_NOTICE.as_bytes()
    );
    assert_eq!(
        read(&sb.corpus().join("weekly/b.txt")),
        changed_notice().as_bytes()
    );
    let r: Report = out.json();
    assert_eq!(r.indexed, 4, "{r:?}");
    let hit = sb.search_json(&[NEW_WORD], 0);
    assert_eq!(hit.hits.len(), 1, "{hit:?}");
    assert!(hit.hits[0].path.ends_with("weekly/a.txt"), "{hit:?}");
    let hit = sb.search_json(&[CHANGED_WORD], 0);
    assert_eq!(hit.hits.len(), 1, "{hit:?}");
    assert!(hit.hits[0].path.ends_with("weekly/b.txt"), "{hit:?}");
}

// ---- the writers' lock --------------------------------------------------------

#[test]
fn a_second_writer_is_refused_while_searches_keep_working() {
    let sb = Sandbox::indexed();
    let lock_path = sb.index().join("gongwen.lock");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .expect("open the lock file");
    // flock locks belong to the open file description: this one, held by the
    // test process, blocks the child processes below.
    lock.try_lock().expect("take the writers' lock");

    let out = sb.index_cmd(&["--json"]);
    out.assert_code(2);
    let msg = out.stderr.to_lowercase();
    assert!(
        msg.contains("another") && msg.contains("writ"),
        "no 'another writer' message: {}",
        out.stderr
    );
    assert!(out.stdout.trim().is_empty(), "stdout: {}", out.stdout);

    let out = sb.index_cmd(&["--rebuild", "--json"]);
    out.assert_code(2);

    let inbox = sb.root().join("inbox").join(NEW_NAME);
    write(&inbox, NEW_NOTICE);
    let out = add(&sb, &[inbox.to_str().unwrap()]);
    out.assert_code(2);
    assert!(out.stderr.contains("another"), "stderr: {}", out.stderr);

    // Readers are not blocked.
    assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);
    assert_eq!(notices_in_index(&sb), 2);

    lock.unlock().expect("release the lock");
    drop(lock);
    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let r: Report = out.json();
    assert!(r.indexed >= 2, "{r:?}");
    assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);
}

// ---- crash safety ---------------------------------------------------------------

/// Notices generated for the crash tests: enough that a rebuild takes a couple
/// of seconds in a debug build.
const GENERATED: usize = 120;

/// Fill `corpus/batch/` with `GENERATED` notices: copies of the two samples,
/// each with a numbered line so that every file differs. Even numbers copy
/// N000 (the one about 差旅费).
fn generate_notices(sb: &Sandbox) {
    let samples = [read(&sb.corpus().join(N000)), read(&sb.corpus().join(N001))];
    let dir = sb.corpus().join("batch");
    std::fs::create_dir_all(&dir).expect("create batch folder");
    for i in 0..GENERATED {
        let mut text = samples[i % 2].clone();
        text.extend_from_slice(format!("\n附件编号：第{i}号（批量测试）\n").as_bytes());
        std::fs::write(dir.join(format!("gen_{i:04}.txt")), text).expect("write generated notice");
    }
}

/// Spawn `gongwen index ARGS`, SIGKILL it after `delay` unless it finished
/// first. Returns whether the kill interrupted it.
fn kill_index_after(sb: &Sandbox, args: &[&str], delay: Duration) -> bool {
    let mut cmd = sb.corpus_command("index");
    cmd.arg("--quiet")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("spawn gongwen index");
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().expect("poll child").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let interrupted = child.try_wait().expect("poll child").is_none();
    // SIGKILL on Unix.
    let _ = child.kill();
    child.wait().expect("reap child");
    interrupted
}

/// The index after a killed run is the previous commit or the finished one,
/// never something in between, and it is searchable.
fn assert_a_committed_index(sb: &Sandbox, context: &str) {
    let n = notices_in_index(sb);
    assert!(
        n == 2 || n == 2 + GENERATED as u64,
        "{context}: the index holds {n} notices, neither the old commit (2) nor the new ({})",
        2 + GENERATED
    );
    let res = sb.search_json(&["差旅费", "--limit", "1000"], 0);
    assert!(res.ids().contains(&N000), "{context}: N000 not found");
    // Every even-numbered generated notice is about 差旅费 too.
    let expected = if n == 2 { 1 } else { 1 + GENERATED / 2 };
    assert_eq!(res.total, expected, "{context}: {n} notices in the index");
}

#[test]
fn sigkill_during_rebuild_leaves_the_previous_commit_searchable() {
    let sb = Sandbox::indexed();
    generate_notices(&sb);
    let mut interrupted = 0;
    for ms in [150, 600, 1200] {
        let context = format!("index --rebuild killed after {ms} ms");
        if kill_index_after(&sb, &["--rebuild"], Duration::from_millis(ms)) {
            interrupted += 1;
        }
        assert_a_committed_index(&sb, &context);
    }
    eprintln!("{interrupted} of 3 kills interrupted a running index");

    // A rebuild after the kills completes with every notice, once each.
    let r = index_json(&sb, &["--rebuild"]);
    assert_eq!(r.indexed, 2 + GENERATED as u64, "{r:?}");
    assert_eq!(notices_in_index(&sb), 2 + GENERATED as u64);
    let res = sb.search_json(&["差旅费", "--limit", "1000"], 0);
    assert_eq!(res.total, 1 + GENERATED / 2, "total {}", res.total);
}

#[test]

fn the_index_run_after_a_sigkill_completes_correctly() {
    let sb = Sandbox::indexed();
    generate_notices(&sb);
    kill_index_after(&sb, &["--rebuild"], Duration::from_millis(400));
    assert_a_committed_index(&sb, "index --rebuild killed after 400 ms");
    kill_index_after(&sb, &[], Duration::from_millis(800));
    assert_a_committed_index(&sb, "index killed after 800 ms");

    let r = index_json(&sb, &[]);
    assert_eq!(r.indexed, 2 + GENERATED as u64, "{r:?}");
    assert_eq!(notices_in_index(&sb), 2 + GENERATED as u64);
    let res = sb.search_json(&["差旅费", "--limit", "1000"], 0);
    assert_eq!(res.total, 1 + GENERATED / 2, "total {}", res.total);
    // And the run after that has nothing left to do.
    let r = index_json(&sb, &[]);
    assert_eq!(
        r.counts(),
        (0, 0, 0, 2 + GENERATED as u64, 2 + GENERATED as u64)
    );
}

#[test]

fn a_run_killed_between_commit_and_file_record_is_recovered() {
    // A run killed after its commit but before it wrote manifest.json leaves
    // a record that names an older commit (or none): the next run must read
    // the files' state back from the index instead of re-adding them.
    let sb = Sandbox::indexed();
    let manifest = sb.index().join("manifest.json");
    for stale in [Some(r#"{"opstamp":0,"files":{}}"#), None] {
        match stale {
            Some(text) => std::fs::write(&manifest, text).expect("write manifest"),
            None => std::fs::remove_file(&manifest).expect("remove manifest"),
        }
        let r = index_json(&sb, &[]);
        assert_eq!(r.counts(), (0, 0, 0, 2, 2), "manifest {stale:?}: {r:?}");
        assert_eq!(notices_in_index(&sb), 2, "manifest {stale:?}");
        assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);
    }
}

// ---- stats and show ----------------------------------------------------------------

#[test]
fn stats_json_counts_the_sample_index() {
    let sb = Sandbox::indexed();
    let v = stats(&sb);
    assert_keys(
        &v,
        &[
            "notices",
            "sections",
            "agencies",
            "years",
            "without_agency",
            "without_date",
            "index_bytes",
        ],
        "stats",
    );
    assert_eq!(v["notices"].as_u64(), Some(2), "{v}");
    let sections = v["sections"].as_u64().expect("sections is an integer");
    assert!(
        sections > 2,
        "two notices with headings give more sections: {v}"
    );
    assert_eq!(v["without_agency"].as_u64(), Some(0), "{v}");
    assert_eq!(
        v["without_date"].as_u64(),
        Some(1),
        "N000 states no date: {v}"
    );
    assert!(v["index_bytes"].as_u64().is_some_and(|b| b > 0), "{v}");

    let agencies = v["agencies"].as_array().expect("agencies is an array");
    for a in agencies {
        assert_keys(a, &["agency", "count"], "agency entry");
        assert!(a["agency"].is_string() && a["count"].is_u64(), "{a}");
    }
    let count_of = |name: &str| {
        agencies
            .iter()
            .find(|a| a["agency"] == name)
            .and_then(|a| a["count"].as_u64())
    };
    assert_eq!(count_of("中共合肥市包河区投资促进中心党组"), Some(1), "{v}");
    assert_eq!(count_of("中共三门县投资促进中心党组"), Some(1), "{v}");

    let years = v["years"].as_array().expect("years is an array");
    for y in years {
        assert_keys(y, &["year", "count"], "year entry");
        assert!(y["year"].is_u64() && y["count"].is_u64(), "{y}");
    }
    assert!(
        years.iter().any(|y| y["year"] == 2024 && y["count"] == 1),
        "{v}"
    );
    let dated: u64 = years.iter().filter_map(|y| y["count"].as_u64()).sum();
    assert_eq!(
        dated + 1,
        2,
        "years plus undated must cover every notice: {v}"
    );

    // The human form says the same.
    let mut cmd = sb.command();
    cmd.arg("stats").arg("--index").arg(sb.index());
    let out = run(cmd);
    out.assert_code(0);
    assert!(out.stdout.contains("2024"), "{}", out.stdout);
    assert!(
        out.stdout.contains("中共合肥市包河区投资促进中心党组"),
        "{}",
        out.stdout
    );
}

/// `show --json`: the fields the tests check.
#[derive(Debug, Deserialize)]
struct ShowOut {
    id: String,
    path: String,
    title: String,
    agency: Option<String>,
    date: Option<String>,
    headings: Vec<HeadingOut>,
}

#[test]
fn show_prints_one_notice_and_its_heading_tree() {
    let sb = Sandbox::indexed();
    for which in [N001.to_string(), format!("./{N001}")] {
        let out = show(&sb, &["--json", &which]);
        out.assert_code(0);
        let n: ShowOut = out.json();
        assert_eq!(n.id, N001, "{which}");
        assert!(n.path.ends_with(N001), "{n:?}");
        assert_eq!(
            n.title, "中共合肥市包河区投资促进中心党组关于巡察整改进展情况的通报",
            "{which}"
        );
        assert_eq!(
            n.agency.as_deref(),
            Some("中共合肥市包河区投资促进中心党组")
        );
        assert_eq!(n.date.as_deref(), Some("2024-10-15"));
        let top: Vec<&str> = n.headings.iter().map(|h| h.number.as_str()).collect();
        assert_eq!(top, ["一、", "二、", "三、"], "{which}");
        assert!(n.headings[0].text.contains("提高政治站位"), "{n:?}");
        assert!(!n.headings[1].children.is_empty(), "no sub-headings: {n:?}");
    }

    let out = show(&sb, &[N001]);
    out.assert_code(0);
    for want in [
        "中共合肥市包河区投资促进中心党组",
        "2024-10-15",
        "一、",
        "二、",
        "三、",
    ] {
        assert!(
            out.stdout.contains(want),
            "human show lacks {want}: {}",
            out.stdout
        );
    }

    let out = show(&sb, &["009_no_such_notice.txt"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("009_no_such_notice.txt"),
        "stderr does not name the id: {}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
}

// ---- incompatible index --------------------------------------------------------------

#[test]
fn an_index_from_an_incompatible_gongwen_is_refused_then_rebuilt() {
    for (key, value) in [("schema", 1), ("analyzer", 999)] {
        let sb = Sandbox::indexed();
        let stamp_path = sb.index().join("gongwen.json");
        let mut stamp: Value =
            serde_json::from_slice(&read(&stamp_path)).expect("gongwen.json is JSON");
        assert!(stamp.get(key).is_some_and(Value::is_u64), "{stamp}");
        stamp[key] = Value::from(value);
        std::fs::write(&stamp_path, stamp.to_string()).expect("write gongwen.json");

        let out = sb.search(&["差旅费"]);
        out.assert_code(2);
        assert!(
            out.stderr.contains("gongwen index --rebuild"),
            "{key}={value}: stderr does not give the command: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);

        let r = index_json(&sb, &[]);
        assert_eq!(r.indexed, 2, "{key}={value}: {r:?}");
        assert!(r.rebuilt, "{key}={value}: {r:?}");
        assert_eq!(sb.search_json(&["差旅费"], 0).ids(), [N000]);
        assert_eq!(notices_in_index(&sb), 2);
    }
}

#[test]
fn the_default_index_is_rebuilt_when_incompatible() {
    // `search` without --index uses ./index and rebuilds it from ./corpus.
    let sb = Sandbox::indexed();
    let stamp_path = sb.index().join("gongwen.json");
    let mut stamp: Value = serde_json::from_slice(&read(&stamp_path)).expect("gongwen.json");
    stamp["analyzer"] = Value::from(999);
    std::fs::write(&stamp_path, stamp.to_string()).expect("write gongwen.json");

    let out = sb.run(&["search", "--json", "差旅费"]);
    out.assert_code(0);
    assert!(
        out.stderr.contains("incompatible"),
        "stderr: {}",
        out.stderr
    );
    let res: crate::harness::SearchOut = out.json();
    assert_eq!(res.ids(), [N000]);
    assert_eq!(notices_in_index(&sb), 2);
}

#[test]

fn an_add_refused_by_the_lock_leaves_the_corpus_alone() {
    let sb = Sandbox::indexed();
    let lock = std::fs::File::options()
        .write(true)
        .open(sb.index().join("gongwen.lock"))
        .expect("open the lock file");
    lock.try_lock().expect("take the writers' lock");
    let inbox = sb.root().join("inbox").join(NEW_NAME);
    write(&inbox, NEW_NOTICE);
    let out = add(&sb, &[inbox.to_str().unwrap()]);
    out.assert_code(2);
    assert!(
        !sb.corpus().join(NEW_NAME).exists(),
        "the refused add copied the file anyway; stderr: {}",
        out.stderr
    );
}
