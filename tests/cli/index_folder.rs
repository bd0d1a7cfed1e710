//! Issue 11: the index folder is gongwen's own. gongwen writes only into an
//! absent, empty or gongwen-owned folder, removes only its own files, repairs
//! a damaged index, writes its small files without following planted links,
//! reads an index it cannot write, and survives a full disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use serde::Deserialize;

use crate::harness::{N000, Run, Sandbox};

/// The parts of `index --json` these tests read.
#[derive(Debug, Deserialize)]
struct IndexReport {
    added: usize,
    updated: usize,
    unchanged: usize,
    indexed: usize,
    rebuilt: bool,
    damaged: Option<String>,
}

/// The parts of `stats --json` these tests read.
#[derive(Debug, Deserialize)]
struct StatsOut {
    notices: usize,
    sections: usize,
}

/// Every file in `dir` with its bytes (symlinks as their target text).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().into_owned();
        let ft = e.file_type().expect("file type");
        let bytes = if ft.is_symlink() {
            std::fs::read_link(e.path())
                .expect("read link")
                .to_string_lossy()
                .as_bytes()
                .to_vec()
        } else if ft.is_file() {
            std::fs::read(e.path()).expect("read file")
        } else {
            b"<dir>".to_vec()
        };
        out.insert(name, bytes);
    }
    out
}

/// A folder of someone else's files that looks a little like an index.
fn foreign_folder(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("meta.json"), br#"{"crawler":"export","pages":2}"#).expect("write");
    std::fs::write(dir.join("pages.idx"), b"user index").expect("write");
    std::fs::write(dir.join("pages.store"), b"user store").expect("write");
    std::fs::write(dir.join("old.del"), b"user deletions").expect("write");
    std::fs::write(dir.join("manifest.json"), b"{\"mine\":true}").expect("write");
}

fn index_into(sb: &Sandbox, index: &Path, extra: &[&str]) -> Run {
    let mut cmd = sb.command();
    cmd.arg("index")
        .arg("--corpus")
        .arg(sb.corpus())
        .arg("--index")
        .arg(index)
        .args(extra);
    run(cmd)
}

fn run(mut cmd: Command) -> Run {
    let cmdline = format!("{cmd:?}");
    let out = cmd.output().expect("spawn gongwen");
    Run {
        cmdline,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn stats(sb: &Sandbox) -> StatsOut {
    let mut cmd = sb.command();
    cmd.arg("stats")
        .arg("--index")
        .arg(sb.index())
        .arg("--json");
    let out = run(cmd);
    out.assert_code(0);
    out.json()
}

fn index_json(sb: &Sandbox, extra: &[&str]) -> (IndexReport, Run) {
    let mut args = vec!["--json", "--quiet"];
    args.extend_from_slice(extra);
    let out = sb.index_cmd(&args);
    out.assert_code(0);
    (out.json(), out)
}

/// The segment files of the index (tantivy's 32-hex-digit names).
fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read index")
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.len() > 33 && n[..32].bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn assert_refused(out: &Run, folder: &Path) {
    out.assert_code(2);
    assert!(
        out.stderr.contains("not a gongwen index folder")
            && out.stderr.contains(&folder.display().to_string()),
        "refusal should name the folder and why: {}",
        out.stderr
    );
}

#[test]
fn issue11_foreign_folder_with_meta_json_is_left_untouched() {
    let sb = Sandbox::new();
    let dir = sb.root().join("export");
    foreign_folder(&dir);
    let before = snapshot(&dir);
    let out = index_into(&sb, &dir, &["--quiet"]);
    assert_refused(&out, &dir);
    assert_eq!(
        snapshot(&dir),
        before,
        "index must not touch a foreign folder"
    );
    let out = index_into(&sb, &dir, &["--quiet", "--rebuild"]);
    assert_refused(&out, &dir);
    assert_eq!(snapshot(&dir), before, "--rebuild must not either");
}

#[test]
fn issue11_export_named_gongwen_json_does_not_make_a_folder_gongwens() {
    // A crawler export that happens to be called gongwen.json (an array of
    // records) beside a meta.json: not gongwen's stamp, so not its folder.
    let sb = Sandbox::new();
    let dir = sb.root().join("export");
    foreign_folder(&dir);
    std::fs::write(
        dir.join("gongwen.json"),
        r#"[{"title":"关于测试的通知","content":"测试内容。"}]"#,
    )
    .expect("write");
    let before = snapshot(&dir);
    for extra in [&["--quiet"][..], &["--quiet", "--rebuild"][..]] {
        let out = index_into(&sb, &dir, extra);
        assert_refused(&out, &dir);
        assert_eq!(
            snapshot(&dir),
            before,
            "the export folder must stay as it was"
        );
    }
}

#[test]
fn issue11_placeholder_file_does_not_make_a_folder_foreign() {
    // This repository ships `index/.gitkeep`: the first search of a fresh
    // clone builds the default index there.
    let sb = Sandbox::new();
    std::fs::create_dir(sb.index()).expect("mkdir");
    std::fs::write(sb.index().join(".gitkeep"), b"").expect("write");
    let out = sb.run(&["search", "差旅费"]);
    out.assert_code(0);
    assert!(out.stdout.contains(N000), "{}", out.stdout);
    assert!(
        sb.index().join(".gitkeep").is_file(),
        "the placeholder is kept"
    );
}

#[test]
fn issue11_index_equal_to_corpus_keeps_the_crawler_export() {
    let sb = Sandbox::new();
    std::fs::write(sb.corpus().join("meta.json"), br#"{"source":"crawler"}"#).expect("write");
    let before = snapshot(&sb.corpus());
    let out = index_into(&sb, &sb.corpus(), &["--quiet"]);
    assert_refused(&out, &sb.corpus());
    assert_eq!(snapshot(&sb.corpus()), before);
}

#[test]
fn issue11_add_into_foreign_folder_is_refused() {
    let sb = Sandbox::new();
    let dir = sb.root().join("export");
    foreign_folder(&dir);
    let before = snapshot(&dir);
    let src = sb.root().join("new.txt");
    std::fs::write(&src, "关于测试的通知\n\n一、总则\n测试内容。\n").expect("write");
    let mut cmd = sb.command();
    cmd.arg("add")
        .arg("--corpus")
        .arg(sb.corpus())
        .arg("--index")
        .arg(&dir)
        .arg("--quiet")
        .arg(&src);
    let out = run(cmd);
    assert_refused(&out, &dir);
    assert_eq!(snapshot(&dir), before);
    assert!(
        !sb.corpus().join("new.txt").exists(),
        "a refused add copies nothing"
    );
}

#[test]
fn issue11_default_index_first_use_refuses_a_foreign_folder() {
    let sb = Sandbox::new();
    foreign_folder(&sb.index());
    let before = snapshot(&sb.index());
    let out = sb.run(&["search", "差旅费"]);
    assert_refused(&out, Path::new("index"));
    assert_eq!(snapshot(&sb.index()), before);
}

#[test]
fn issue11_empty_or_lock_only_folder_becomes_an_index() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.index()).expect("mkdir");
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.indexed, 2);
    assert!(sb.index().join("gongwen.owner").is_file());

    let sb = Sandbox::new();
    std::fs::create_dir(sb.index()).expect("mkdir");
    std::fs::write(sb.index().join("gongwen.lock"), b"").expect("write");
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.indexed, 2);
}

#[test]
fn issue11_killed_first_build_folder_is_still_gongwens() {
    // What a first build killed after tantivy created its files leaves:
    // the mark, the lock and tantivy's files, but no stamp yet.
    let sb = Sandbox::indexed();
    for f in ["gongwen.json", "manifest.json", "querydict.fst"] {
        std::fs::remove_file(sb.index().join(f)).expect("remove");
    }
    let (r, _) = index_json(&sb, &[]);
    assert!(r.rebuilt);
    assert_eq!(r.indexed, 2);
    assert_eq!(stats(&sb).notices, 2);
}

#[test]
fn issue11_legacy_index_is_recognised_and_rebuilt_without_losing_user_files() {
    let sb = Sandbox::indexed();
    // an index of the previous gongwen: a stamp, no ownership mark
    std::fs::remove_file(sb.index().join("gongwen.owner")).expect("remove mark");
    let (r, _) = index_json(&sb, &[]);
    assert!(!r.rebuilt, "same version: used as it is");
    assert_eq!(r.unchanged, 2);

    // another version: rebuilt, but a user's files in the folder survive
    let stamp = sb.index().join("gongwen.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stamp).expect("read stamp")).expect("stamp");
    v["schema"] = serde_json::json!(0);
    std::fs::write(&stamp, v.to_string()).expect("write stamp");
    std::fs::write(sb.index().join("notes.idx"), b"mine").expect("write");
    std::fs::write(sb.index().join("readme.txt"), b"mine too").expect("write");
    let (r, _) = index_json(&sb, &[]);
    assert!(r.rebuilt);
    assert_eq!(r.indexed, 2);
    assert_eq!(
        std::fs::read(sb.index().join("notes.idx")).expect("kept"),
        b"mine"
    );
    assert_eq!(
        std::fs::read(sb.index().join("readme.txt")).expect("kept"),
        b"mine too"
    );
    assert_eq!(stats(&sb).notices, 2);
}

/// Ways to damage the index in `dir`.
fn damage(dir: &Path, how: &str) {
    let first_segment = || {
        segment_files(dir)
            .into_iter()
            .next()
            .expect("a segment file")
    };
    match how {
        "empty meta.json" => std::fs::write(dir.join("meta.json"), b"").expect("write"),
        "garbage meta.json" => {
            std::fs::write(dir.join("meta.json"), b"\x00\xffnot json").expect("write")
        }
        "deleted segment file" => std::fs::remove_file(first_segment()).expect("remove"),
        "truncated segment file" => {
            let f = first_segment();
            let len = std::fs::metadata(&f).expect("stat").len();
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&f)
                .expect("open");
            file.set_len(len / 2).expect("truncate");
        }
        "garbage manifest" => std::fs::write(dir.join("manifest.json"), b"{{{").expect("write"),
        "garbage stamp" => std::fs::write(dir.join("gongwen.json"), b"\xff").expect("write"),
        "garbage querydict" => {
            std::fs::write(dir.join("querydict.fst"), b"not an fst").expect("write")
        }
        "leftover temp files" => {
            for f in [
                "manifest.json.tmp",
                "gongwen.json.tmp",
                "querydict.fst.tmp",
                ".gongwen-x1y2.tmp",
                ".tmpAb12Cd",
            ] {
                std::fs::write(dir.join(f), b"half").expect("write");
            }
        }
        other => panic!("unknown damage {other}"),
    }
}

const DAMAGES: &[&str] = &[
    "empty meta.json",
    "garbage meta.json",
    "deleted segment file",
    "truncated segment file",
    "garbage manifest",
    "garbage stamp",
    "garbage querydict",
    "leftover temp files",
];

#[test]
fn issue11_rebuild_succeeds_from_any_damage() {
    for how in DAMAGES {
        let sb = Sandbox::indexed();
        damage(&sb.index(), how);
        let out = sb.index_cmd(&["--rebuild", "--json", "--quiet"]);
        assert_eq!(out.code, 0, "--rebuild after {how}: {}", out.stderr);
        let r: IndexReport = out.json();
        assert_eq!(r.indexed, 2, "after {how}");
        let s = stats(&sb);
        assert_eq!((s.notices, s.sections > 2), (2, true), "after {how}");
        let hits = sb.search_json(&["差旅费"], 0);
        assert!(hits.total >= 1, "search after {how}");
        let left: Vec<String> = snapshot(&sb.index())
            .into_keys()
            .filter(|n| n.ends_with(".tmp") || n.starts_with(".tmp"))
            .collect();
        assert!(
            left.is_empty(),
            "temporary files left after {how}: {left:?}"
        );
    }
}

#[test]
fn issue11_incremental_index_repairs_damaged_or_missing_files() {
    for how in [
        "empty meta.json",
        "garbage meta.json",
        "deleted segment file",
        "truncated segment file",
    ] {
        let sb = Sandbox::indexed();
        damage(&sb.index(), how);
        let out = sb.index_cmd(&["--json"]);
        assert_eq!(out.code, 0, "index after {how}: {}", out.stderr);
        let r: IndexReport = out.json();
        assert!(r.rebuilt, "after {how}: {r:?}");
        assert_eq!(r.indexed, 2, "after {how}");
        assert!(r.damaged.is_some(), "after {how}: {r:?}");
        assert!(
            out.stderr.contains("damaged") && out.stderr.contains("rebuilt"),
            "index must say it repaired the index after {how}: {}",
            out.stderr
        );
        assert_eq!(stats(&sb).notices, 2, "after {how}");
        assert!(sb.search_json(&["差旅费"], 0).total >= 1, "after {how}");
    }
}

#[test]
fn issue11_planted_temp_links_are_not_followed() {
    let sb = Sandbox::indexed();
    let victim = sb.root().join("victim.txt");
    std::fs::write(&victim, b"precious").expect("write");
    for name in ["manifest.json.tmp", "gongwen.json.tmp"] {
        std::os::unix::fs::symlink(&victim, sb.index().join(name)).expect("symlink");
    }
    // a change, so that the manifest and stamp are written again
    sb.add_corpus_file(
        "002_new.txt",
        "关于新增测试的通知\n\n一、总则\n新增内容。\n".as_bytes(),
    );
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.added, 1);
    assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
    let (r, _) = index_json(&sb, &["--rebuild"]);
    assert_eq!(r.indexed, 3);
    assert_eq!(std::fs::read(&victim).expect("victim"), b"precious");
    assert_eq!(stats(&sb).notices, 3);
}

#[test]
fn issue11_manifest_that_disagrees_with_the_index_is_rebuilt() {
    let sb = Sandbox::indexed();
    let path = sb.index().join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("manifest");
    m["files"] = serde_json::json!({});
    std::fs::write(&path, m.to_string()).expect("write");
    let (r, _) = index_json(&sb, &[]);
    assert_eq!((r.added, r.unchanged, r.indexed), (0, 2, 2), "{r:?}");
    assert_eq!(stats(&sb).notices, 2, "no notice may be indexed twice");
}

#[test]
fn issue11_edits_before_1970_are_detected() {
    let sb = Sandbox::new();
    let file = sb.corpus().join(N000);
    let set_time = |secs_before_epoch: u64| {
        let t = UNIX_EPOCH - Duration::from_secs(secs_before_epoch);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open")
            .set_modified(t)
            .expect("set mtime");
        assert!(
            std::fs::metadata(&file)
                .expect("stat")
                .modified()
                .expect("mtime")
                < UNIX_EPOCH
        );
    };
    set_time(10 * 365 * 86_400);
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.added, 2);
    // same size, other content, other (still pre-1970) time
    let mut bytes = std::fs::read(&file).expect("read");
    let pos = bytes
        .iter()
        .rposition(|b| b.is_ascii_digit())
        .expect("a digit to change");
    bytes[pos] = if bytes[pos] == b'9' { b'8' } else { b'9' };
    std::fs::write(&file, &bytes).expect("write");
    set_time(9 * 365 * 86_400);
    let (r, _) = index_json(&sb, &[]);
    assert_eq!((r.updated, r.unchanged), (1, 1), "{r:?}");
}

/// Make `path` and everything below readable by everyone and writable by
/// no one (or writable again).
fn chmod_tree(path: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir_like(path) {
        let md = std::fs::symlink_metadata(&e).expect("stat");
        if md.file_type().is_symlink() {
            continue;
        }
        let mode = if md.is_dir() { 0o555 } else { 0o444 } | if writable { 0o200 } else { 0 };
        std::fs::set_permissions(&e, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
}

fn walkdir_like(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if path.is_dir() {
        for e in std::fs::read_dir(path).expect("read dir").flatten() {
            out.extend(walkdir_like(&e.path()));
        }
    }
    out
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn issue11_read_only_index_can_be_searched() {
    let sb = Sandbox::indexed();
    // As root, permissions are not enforced: read as an unprivileged user
    // (nobody) instead, through setpriv, which is the other-user's-folder case.
    let as_other = is_root();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_gongwen"));
    let wrap = |args: &[&str]| -> Command {
        if as_other {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin)
                .args(args);
            c.current_dir(sb.root());
            c
        } else {
            let mut c = sb.command();
            c.args(args);
            c
        }
    };
    if as_other {
        let probe = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status();
        if !probe.is_ok_and(|s| s.success()) {
            println!("skipped: running as root ignores file permissions and setpriv is not usable");
            return;
        }
        // the other user must be able to reach the sandbox and the binary
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(sb.root(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let reach = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--version")
            .output();
        if !reach.is_ok_and(|o| o.status.success()) {
            println!("skipped: the test binary is not reachable by an unprivileged user");
            return;
        }
    }
    chmod_tree(&sb.index(), false);
    let index = sb.index().display().to_string();
    let results = [
        run(wrap(&["search", "--index", &index, "--json", "差旅费"])),
        run(wrap(&["stats", "--index", &index, "--json"])),
        run(wrap(&["show", "--index", &index, "--json", N000])),
        run(wrap(&["analyze", "--index", &index, "--json", "差旅费"])),
        run(wrap(&["check", "--index", &index, "--json"])),
    ];
    chmod_tree(&sb.index(), true);
    for out in &results {
        out.assert_code(0);
    }
    let hits: crate::harness::SearchOut = results[0].json();
    assert!(hits.total >= 1);
    let s: StatsOut = results[1].json();
    assert_eq!(s.notices, 2);
}

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Text that compresses badly and has many distinct words: a large index.
fn bulky_notice(bytes: usize) -> String {
    let mut s = String::from("关于磁盘测试的通知\n\n一、总则\n");
    let mut x: u32 = 12345;
    while s.len() < bytes {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let c = char::from_u32(0x4E00 + (x >> 8) % 6000).unwrap_or('测');
        s.push(c);
        if (x >> 20).is_multiple_of(40) {
            s.push('。');
        }
        if (x >> 24).is_multiple_of(97) {
            s.push('\n');
        }
    }
    s
}

fn used_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn issue11_disk_full_is_reported_and_cleaned_up() {
    let sb = Sandbox::new();
    let Some(_mnt) = Tmpfs::mount(&sb.index(), "3m") else {
        println!("skipped: cannot mount a small tmpfs (needs root) to fill a disk");
        return;
    };
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.indexed, 2);
    let before = used_bytes(&sb.index());
    sb.add_corpus_file("002_big.txt", bulky_notice(6 << 20).as_bytes());
    let out = sb.index_cmd(&["--quiet"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("no space left")
            && out.stderr.contains(&sb.index().display().to_string()),
        "should say the disk of the index is full: {}",
        out.stderr
    );
    // the last good index is kept and the run's partial files are gone
    assert_eq!(stats(&sb).notices, 2);
    assert!(sb.search_json(&["差旅费"], 0).total >= 1);
    let after = used_bytes(&sb.index());
    assert!(
        after <= before + 64 * 1024,
        "partial files left: {before} -> {after} bytes"
    );
    // and the next run works once the cause is gone
    std::fs::remove_file(sb.corpus().join("002_big.txt")).expect("remove");
    let (r, _) = index_json(&sb, &[]);
    assert_eq!(r.indexed, 2);
}
