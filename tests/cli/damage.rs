//! Damaged indexes on the read side (issue 11): a truncated query dictionary,
//! flipped bits, truncated or deleted segment files. Whatever the damage,
//! gongwen never panics and never answers silently wrong: it says the index
//! is damaged, once, with the repair command; `gongwen check` names the part.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::harness::{Run, Sandbox};

/// `gongwen check --json`.
#[derive(Debug, Deserialize)]
struct CheckOut {
    index: String,
    healthy: bool,
    checks: Vec<CheckItem>,
    repair: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CheckItem {
    name: String,
    ok: bool,
    detail: String,
}

/// The segment files of the index (tantivy's, named `<uuid>.<ext>`).
fn segment_files(index: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(index)
        .expect("read the index folder")
        .map(|e| e.expect("an index entry").path())
        .filter(|p| {
            p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                ["idx", "pos", "term", "store", "fast", "fieldnorm", "del"].contains(&x)
            })
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no segment files in {}", index.display());
    v
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name")
        .to_string()
}

/// Exit 2, no panic, and one damaged-index message naming `part` and the
/// repair command.
fn assert_damaged(run: &Run, sb: &Sandbox, part: &str) {
    run.assert_code(2);
    assert!(
        !run.stderr.contains("panicked"),
        "{}: a panic:\n{}",
        run.cmdline,
        run.stderr
    );
    let repair = repair_command(sb);
    assert!(
        run.stderr.contains("is damaged") && run.stderr.contains(part),
        "{}: no damaged-index message naming {part}:\n{}",
        run.cmdline,
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(&repair).count(),
        1,
        "{}: the repair command, once:\n{}",
        run.cmdline,
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "{}: one message:\n{}",
        run.cmdline,
        run.stderr
    );
}

/// The repair command gongwen gives: rebuild from the corpus the index was
/// built from (the sandbox paths need no shell quoting).
fn repair_command(sb: &Sandbox) -> String {
    format!(
        "gongwen index --rebuild --corpus {} --index {}",
        sb.corpus().display(),
        sb.index().display()
    )
}

fn check(sb: &Sandbox) -> (Run, CheckOut) {
    let run = sb.run(&[
        "check".as_ref(),
        "--json".as_ref(),
        "--index".as_ref(),
        sb.index().as_os_str(),
    ]);
    let out: CheckOut = run.json();
    (run, out)
}

/// `check` exits 2, reports unhealthy with the repair command, and the check
/// called `name` fails with a detail containing `detail`.
fn assert_check_fails(sb: &Sandbox, name: &str, detail: &str) {
    let (run, out) = check(sb);
    run.assert_code(2);
    assert!(!out.healthy, "{out:?}");
    assert_eq!(out.repair.as_deref(), Some(repair_command(sb).as_str()));
    let failed: Vec<&CheckItem> = out.checks.iter().filter(|c| !c.ok).collect();
    assert!(
        failed
            .iter()
            .any(|c| c.name == name && c.detail.contains(detail)),
        "expected check {name:?} to fail naming {detail:?}: {out:?}"
    );
}

#[test]
fn issue11_truncated_querydict_is_an_error_not_a_panic() {
    let sb = Sandbox::indexed();
    let dict = sb.index().join("querydict.fst");
    let bytes = std::fs::read(&dict).expect("read querydict.fst");
    std::fs::write(&dict, &bytes[..bytes.len() / 2]).expect("truncate querydict.fst");

    // A damaged dictionary is never used: a jieba fallback would cut queries
    // differently from the indexed text, i.e. answer silently wrong.
    assert_damaged(&sb.search(&["巡察"]), &sb, "querydict.fst");
    let analyze = sb.run(&[
        "analyze".as_ref(),
        "--index".as_ref(),
        sb.index().as_os_str(),
        "巡察整改".as_ref(),
    ]);
    assert_damaged(&analyze, &sb, "querydict.fst");
    assert_check_fails(&sb, "query dictionary", "querydict.fst");
    // An incremental run either repairs the index or refuses, never panics.
    let index = sb.index_cmd(&["--quiet"]);
    assert_ne!(index.code, 101, "index panicked:\n{}", index.stderr);
    assert!(!index.stderr.contains("panicked"), "{}", index.stderr);

    std::fs::remove_file(&dict).expect("delete querydict.fst");
    assert_damaged(&sb.search(&["巡察"]), &sb, "querydict.fst is missing");
    assert_check_fails(&sb, "query dictionary", "querydict.fst is missing");
}

#[test]
fn issue11_bit_flip_in_any_segment_file_says_damaged() {
    let sb = Sandbox::indexed();
    let healthy = sb.search_json(&["巡察"], 0);
    assert!(healthy.total > 0);
    for file in segment_files(&sb.index()) {
        let good = std::fs::read(&file).expect("read a segment file");
        let mut bad = good.clone();
        // A flip in the content, not in the footer: only the checksum says.
        let at = good.len() / 3;
        bad[at] ^= 0x10;
        std::fs::write(&file, &bad).expect("flip a bit");
        let name = name_of(&file);
        assert_damaged(&sb.search(&["巡察"]), &sb, &name);
        assert_check_fails(&sb, "files", &name);
        std::fs::write(&file, &good).expect("restore");
    }
    // Restored bytes (with a new modification time) are verified and trusted.
    assert_eq!(sb.search_json(&["巡察"], 0).total, healthy.total);
}

#[test]
fn issue11_deleted_or_truncated_segment_file_one_clear_message() {
    let sb = Sandbox::indexed();
    let files = segment_files(&sb.index());
    let term = files
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "term"))
        .expect("a .term file");
    let good = std::fs::read(term).expect("read");
    std::fs::write(term, &good[..good.len() / 2]).expect("truncate");
    let name = name_of(term);
    assert_damaged(&sb.search(&["巡察"]), &sb, &name);
    assert_check_fails(&sb, "files", &name);
    std::fs::write(term, &good).expect("restore");

    let store = files
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "store"))
        .expect("a .store file");
    std::fs::remove_file(store).expect("delete");
    let name = name_of(store);
    assert_damaged(&sb.search(&["巡察"]), &sb, &format!("{name} is missing"));
    let stats = sb.run(&["stats".as_ref(), "--index".as_ref(), sb.index().as_os_str()]);
    assert_damaged(&stats, &sb, &name);
    let show = sb.run(&[
        "show".as_ref(),
        "--index".as_ref(),
        sb.index().as_os_str(),
        crate::harness::N001.as_ref(),
    ]);
    assert_damaged(&show, &sb, &name);
    assert_check_fails(&sb, "files", &format!("{name} is missing"));
}

#[test]
fn issue11_damage_behind_the_records_back_is_caught_at_search() {
    let sb = Sandbox::indexed();
    // Bytes changed with the size and modification time kept: the write
    // still moved the file's status-change time, so the open verifies the
    // file against its checksum before tantivy reads it (a damaged string
    // length in the document store would otherwise ask for terabytes).
    for file in segment_files(&sb.index()) {
        if file.extension().is_none_or(|x| x != "store") {
            continue;
        }
        let mtime = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("modification time");
        let mut bytes = std::fs::read(&file).expect("read");
        for i in (bytes.len() / 8..bytes.len() / 2).step_by(97) {
            bytes[i] ^= 0x5a;
        }
        std::fs::write(&file, &bytes).expect("damage");
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(mtime))
            .expect("keep the modification time");
    }
    let run = sb.search(&["巡察"]);
    assert_damaged(&run, &sb, "");
    let stats = sb.run(&["stats".as_ref(), "--index".as_ref(), sb.index().as_os_str()]);
    assert_damaged(&stats, &sb, "");
    // `check` reads every file whatever the record says.
    assert_check_fails(&sb, "files", "does not match its checksum");
}

#[test]
fn issue11_check_healthy_index() {
    let sb = Sandbox::indexed();
    let (run, out) = check(&sb);
    run.assert_code(0);
    assert!(out.healthy, "{out:?}");
    assert!(out.repair.is_none());
    assert_eq!(out.index, sb.index().display().to_string());
    for name in [
        "stamp",
        "commit",
        "files",
        "query dictionary",
        "documents",
        "manifest",
        "counts",
    ] {
        assert!(
            out.checks.iter().any(|c| c.name == name && c.ok),
            "{name}: {out:?}"
        );
    }
    let human = sb.run(&["check".as_ref(), "--index".as_ref(), sb.index().as_os_str()]);
    human.assert_code(0);
    assert!(human.stdout.contains("is healthy"), "{}", human.stdout);
    assert_eq!(human.stdout.lines().count(), out.checks.len() + 1);
}

#[test]
fn issue11_check_names_a_wrong_manifest_and_stamp() {
    let sb = Sandbox::indexed();
    let path = sb.index().join("manifest.json");
    let good = std::fs::read_to_string(&path).expect("read manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&good).expect("manifest JSON");
    let files = m["files"].as_object_mut().expect("a file map");
    let first = files.keys().next().expect("a file").clone();
    files[&first]["notices"] = serde_json::json!(7);
    std::fs::write(&path, m.to_string()).expect("write manifest.json");
    assert_check_fails(&sb, "manifest", &first);
    std::fs::write(&path, good).expect("restore");

    let stamp = sb.index().join("gongwen.json");
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&stamp).expect("read")).expect("JSON");
    s["notices"] = serde_json::json!(99);
    std::fs::write(&stamp, s.to_string()).expect("write gongwen.json");
    assert_check_fails(&sb, "counts", "99 notices");

    // The human report: one line per check, the summary with the repair.
    let human = sb.run(&["check".as_ref(), "--index".as_ref(), sb.index().as_os_str()]);
    human.assert_code(2);
    assert!(human.stdout.contains("DAMAGED counts"), "{}", human.stdout);
    assert!(
        human.stdout.contains(&repair_command(&sb)),
        "{}",
        human.stdout
    );
}

#[test]
fn issue11_check_without_an_index_is_an_error() {
    let sb = Sandbox::new();
    let run = sb.run(&["check".as_ref(), "--index".as_ref(), sb.index().as_os_str()]);
    run.assert_code(2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
}

#[derive(Deserialize)]
struct VerifiedOut {
    files: std::collections::BTreeMap<String, VerifiedSig>,
}

#[derive(Deserialize)]
struct VerifiedSig {
    size: u64,
    secs: i64,
}

#[test]
fn issue11_copied_index_is_verified_once_then_recorded() {
    // `cp -r` gives every file a new modification time: the first search
    // verifies the files against their checksums and records them, so later
    // searches do not read the whole index again.
    let sb = Sandbox::indexed();
    let copy = sb.root().join("copy");
    std::fs::create_dir(&copy).expect("mkdir");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for e in std::fs::read_dir(sb.index()).expect("read index") {
        let e = e.expect("entry");
        if e.file_name() != "verified.json" && e.path().is_file() {
            std::fs::copy(e.path(), copy.join(e.file_name())).expect("copy");
        }
    }
    let run = sb.run(&[
        "search".as_ref(),
        "--index".as_ref(),
        copy.as_os_str(),
        "差旅费".as_ref(),
    ]);
    run.assert_code(0);
    let text = std::fs::read_to_string(copy.join("verified.json")).expect("a record was written");
    let record: VerifiedOut = serde_json::from_str(&text).expect("record JSON");
    let segments = segment_files(&copy);
    assert!(!segments.is_empty());
    for f in &segments {
        let sig = record
            .files
            .get(&name_of(f))
            .unwrap_or_else(|| panic!("{} not recorded: {text}", name_of(f)));
        let md = std::fs::metadata(f).expect("stat");
        let secs = md
            .modified()
            .expect("mtime")
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        assert_eq!(sig.size, md.len());
        assert_eq!(sig.secs, i64::try_from(secs).expect("fits"));
    }
    // Damage found after the record is still found: a changed file no
    // longer matches its entry.
    let victim = &segments[0];
    let mut bytes = std::fs::read(victim).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(victim, bytes).expect("write");
    let run = sb.run(&[
        "search".as_ref(),
        "--index".as_ref(),
        copy.as_os_str(),
        "差旅费".as_ref(),
    ]);
    run.assert_code(2);
    assert!(run.stderr.contains("is damaged"), "{}", run.stderr);
}

#[test]
fn issue11_repair_command_names_the_corpus_from_any_folder() {
    // Built with a relative --corpus: the repair command must still point at
    // it when the search runs elsewhere.
    let sb = Sandbox::new();
    sb.run(&[
        "index", "--quiet", "--corpus", "corpus", "--index", "rel-idx",
    ])
    .assert_code(0);
    let dict = sb.root().join("rel-idx").join("querydict.fst");
    let bytes = std::fs::read(&dict).expect("read querydict");
    std::fs::write(&dict, &bytes[..bytes.len() / 2]).expect("truncate");
    let run = sb.run(&["search", "--index", "rel-idx", "差旅费"]);
    run.assert_code(2);
    let corpus = sb.root().canonicalize().expect("root").join("corpus");
    let expected = format!("--corpus {} --index rel-idx", corpus.display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}
