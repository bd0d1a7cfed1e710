//! Walking the corpus and `add` (issue 11): a file's identity is its real
//! name, index folders are not notices, links out of the corpus are not
//! followed, an unreadable folder keeps its notices, `add` never writes
//! through a planted link nor copies the corpus into itself nor reads a
//! device, and one file is never read beyond the size limit.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::harness::{ENV_VARS, N000, N001, Run, Sandbox};

/// `index --json` / `add --json`, the fields these tests read.
#[derive(Debug, Deserialize)]
struct Report {
    added: usize,
    removed: usize,
    unchanged: usize,
    indexed: usize,
    skipped_files: Vec<SkippedOut>,
}

#[derive(Debug, Deserialize)]
struct SkippedOut {
    path: String,
    reason: String,
}

/// A small notice holding `marker`.
fn notice(marker: &str) -> String {
    format!(
        "关于开展专项检查工作的通知\n\n各单位：\n现将检查安排通知如下，标记{marker}。\n\n某某区财政局\n2024年3月1日\n"
    )
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The paths `search --json` finds for `query` in the index at `index`.
fn found_in(sb: &Sandbox, index: &Path, query: &str) -> Vec<String> {
    let out = sb.run(&[
        "search".as_ref(),
        "--json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
        query.as_ref(),
    ]);
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    let v: crate::harness::SearchOut = out.json();
    v.hits.into_iter().map(|h| h.path).collect()
}

fn found(sb: &Sandbox, query: &str) -> Vec<String> {
    found_in(sb, &sb.index(), query)
}

fn index_report(sb: &Sandbox) -> Report {
    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    out.json()
}

fn skip_reason<'a>(r: &'a Report, path: &str) -> Option<&'a str> {
    r.skipped_files
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.reason.as_str())
}

/// `gongwen add --corpus <sandbox corpus> --index <sandbox index> SRC`.
fn add(sb: &Sandbox, src: &Path) -> Run {
    sb.run(&[
        "add".as_ref(),
        "--corpus".as_ref(),
        sb.corpus().as_os_str(),
        "--index".as_ref(),
        sb.index().as_os_str(),
        src.as_os_str(),
    ])
}

#[test]
fn issue11_index_folder_inside_the_corpus_is_not_read() {
    let sb = Sandbox::new();
    let inner = sb.corpus().join(".idx");
    // An older index of gongwen's, recognised by its stamp, with files that
    // have notice names.
    let old = sb.corpus().join("old-index");
    write(&old.join("gongwen.json"), r#"{"gongwen":"0.1.0"}"#);
    write(&old.join("manifest.json"), r#"{"title":"旧索引ZQOLDIDX"}"#);
    write(&old.join("notes.txt"), &notice("ZQOLDIDX"));
    // A crawler export that happens to share the stamp's name is a notice.
    write(
        &sb.corpus().join("exports/gongwen.json"),
        r#"[{"title": "关于开展专项检查工作的通知", "content": "检查安排，标记ZQEXPORT。", "pub_date": "2024-03-01"}]"#,
    );
    for run in 0..2 {
        let mut cmd = sb.command();
        cmd.arg("index")
            .arg("--json")
            .arg("--corpus")
            .arg(sb.corpus())
            .arg("--index")
            .arg(&inner);
        let out = cmd.output().expect("run gongwen");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "run {run}: {stderr}");
        let r: Report = serde_json::from_slice(&out.stdout).expect("index --json");
        assert_eq!(r.indexed, 3, "run {run}: {r:?}");
        assert!(
            r.skipped_files
                .iter()
                .all(|s| !s.path.starts_with(".idx") && !s.path.starts_with("old-index")),
            "run {run}: index files were read as notices: {r:?}"
        );
    }
    assert!(found_in(&sb, &inner, "ZQOLDIDX").is_empty());
    assert_eq!(
        found_in(&sb, &inner, "ZQEXPORT"),
        ["exports/gongwen.json#1"]
    );
    let mut all = found_in(&sb, &inner, "巡察");
    all.sort();
    assert_eq!(all, [N000, N001]);
}

#[cfg(unix)]
#[test]
fn issue11_names_that_differ_in_invalid_bytes_stay_two_files() {
    use std::os::unix::ffi::OsStrExt;
    let sb = Sandbox::new();
    let name = |b: &[u8]| sb.corpus().join(std::ffi::OsStr::from_bytes(b));
    // Some file systems (APFS) refuse names that are not UTF-8.
    if std::fs::write(name(b"a\xff.txt"), notice("ZQBYTEFF")).is_err() {
        println!("skipped: this file system refuses names that are not UTF-8");
        return;
    }
    std::fs::write(name(b"a\xfe.txt"), notice("ZQBYTEFE")).expect("write a\\xfe.txt");
    // A real backslash must not be taken for an escape.
    std::fs::write(name(b"a\\xff.txt"), notice("ZQBACKSLASH")).expect("write a\\\\xff.txt");

    for run in 0..3 {
        let r = index_report(&sb);
        assert_eq!(r.indexed, 5, "run {run}: {r:?}");
        assert_eq!(r.removed, 0, "run {run}: {r:?}");
        if run == 0 {
            assert_eq!(r.added, 5, "{r:?}");
        } else {
            assert_eq!(r.unchanged, 5, "run {run}: {r:?}");
        }
        assert_eq!(found(&sb, "ZQBYTEFF"), [r"a\xff.txt"], "run {run}");
        assert_eq!(found(&sb, "ZQBYTEFE"), [r"a\xfe.txt"], "run {run}");
        assert_eq!(found(&sb, "ZQBACKSLASH"), [r"a\\xff.txt"], "run {run}");
    }
}

/// `gongwen ARGS` in the sandbox; as root it runs as `nobody` through
/// `setpriv`, since root reads any folder whatever its permissions. `None`
/// when that is not possible here.
fn unprivileged(sb: &Sandbox) -> Option<impl Fn(&[&std::ffi::OsStr]) -> Run + '_> {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        // nobody must be able to write the sandbox (index) and reach the
        // binary.
        let ok = Command::new("chmod")
            .arg("-R")
            .arg("a+rwX")
            .arg(sb.root())
            .status()
            .is_ok_and(|s| s.success());
        let probe = Command::new(setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_gongwen"))
            .arg("--version")
            .output();
        if !ok || !probe.is_ok_and(|o| o.status.success()) {
            return None;
        }
    }
    Some(move |args: &[&std::ffi::OsStr]| {
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_gongwen"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_gongwen"))
        };
        cmd.current_dir(sb.root()).args(args);
        for v in ENV_VARS {
            cmd.env_remove(v);
        }
        let out = cmd.output().expect("run gongwen");
        Run {
            cmdline: format!("{cmd:?}"),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

#[cfg(unix)]
#[test]
fn issue11_unreadable_folder_and_file_keep_their_notices() {
    let sb = Sandbox::new();
    let sub = sb.corpus().join("sub");
    write(&sub.join("inner.txt"), &notice("ZQINSUB"));
    let file = sb.corpus().join("later.txt");
    write(&file, &notice("ZQLATER"));
    let Some(gongwen) = unprivileged(&sb) else {
        println!("skipped: running as root and cannot drop to nobody (no setpriv)");
        return;
    };
    let index = || {
        let args: Vec<&std::ffi::OsStr> = vec![
            "index".as_ref(),
            "--json".as_ref(),
            "--corpus".as_ref(),
            "corpus".as_ref(),
            "--index".as_ref(),
            "index".as_ref(),
        ];
        let out = gongwen(&args);
        out.assert_code(0);
        (out.json::<Report>(), out.stderr)
    };
    let (r, _) = index();
    assert_eq!(r.indexed, 4, "{r:?}");

    // The folder becomes unreadable; the file changes and becomes unreadable.
    chmod(&sub, 0o000);
    write(&file, &format!("{}\n补充说明。\n", notice("ZQLATER")));
    chmod(&file, 0o000);
    let (r, stderr) = index();
    chmod(&sub, 0o755);
    chmod(&file, 0o644);
    assert_eq!(r.indexed, 4, "notices were dropped: {r:?}\n{stderr}");
    assert_eq!(r.removed, 0, "{r:?}");
    let sub_reason = skip_reason(&r, "sub").unwrap_or_else(|| panic!("sub not reported: {r:?}"));
    assert!(sub_reason.contains("cannot read"), "{sub_reason}");
    assert!(
        stderr.contains("gongwen: skipped sub: "),
        "no warning naming the folder:\n{stderr}"
    );
    let file_reason =
        skip_reason(&r, "later.txt").unwrap_or_else(|| panic!("later.txt not reported: {r:?}"));
    assert!(file_reason.contains("cannot read"), "{file_reason}");
    assert_eq!(found(&sb, "ZQINSUB"), ["sub/inner.txt"]);
    assert_eq!(found(&sb, "ZQLATER"), ["later.txt"]);

    // Readable again: the change is picked up, nothing lost.
    let (r, _) = index();
    assert_eq!(r.indexed, 4, "{r:?}");
    assert!(r.skipped_files.is_empty(), "{r:?}");
    // Really gone: now the notices go.
    std::fs::remove_dir_all(&sub).expect("remove sub");
    let (r, _) = index();
    assert_eq!(r.indexed, 3, "{r:?}");
    assert!(found(&sb, "ZQINSUB").is_empty());
}

#[cfg(unix)]
#[test]
fn issue11_links_out_of_the_corpus_are_not_followed() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new();
    let outside = sb.root().join("outside");
    write(&outside.join("secret.txt"), &notice("ZQOUTSIDE"));
    symlink(&outside, sb.corpus().join("elsewhere")).expect("symlink folder");
    symlink(outside.join("secret.txt"), sb.corpus().join("passwd.txt")).expect("symlink file");
    // A link to the root of the disk must not start a walk of the disk.
    symlink("/", sb.corpus().join("root")).expect("symlink /");
    // A link inside the corpus still works.
    write(&sb.corpus().join("sub/inner.txt"), &notice("ZQINSIDE"));
    symlink("sub/inner.txt", sb.corpus().join("alias.txt")).expect("symlink inside");

    let started = Instant::now();
    let r = index_report(&sb);
    assert!(started.elapsed() < Duration::from_secs(60), "slow walk");
    for path in ["elsewhere", "passwd.txt", "root"] {
        let reason = skip_reason(&r, path).unwrap_or_else(|| panic!("{path} not reported: {r:?}"));
        assert!(reason.contains("outside the corpus"), "{path}: {reason}");
    }
    assert!(found(&sb, "ZQOUTSIDE").is_empty());
    let mut inside = found(&sb, "ZQINSIDE");
    inside.sort();
    assert_eq!(inside, ["alias.txt", "sub/inner.txt"]);
    assert_eq!(r.indexed, 4, "{r:?}");

    // `add` of a downloaded folder: its links out of it are not copied,
    // a dangling one is skipped like in `index`.
    let dl = sb.root().join("download");
    write(&dl.join("good.txt"), &notice("ZQDOWNLOAD"));
    symlink(outside.join("secret.txt"), dl.join("passwd.txt")).expect("symlink in download");
    symlink("/nonexistent/notice.txt", dl.join("dangling.txt")).expect("dangling");
    let out = sb.run(&[
        "add".as_ref(),
        "--json".as_ref(),
        "--corpus".as_ref(),
        sb.corpus().as_os_str(),
        "--index".as_ref(),
        sb.index().as_os_str(),
        dl.as_os_str(),
    ]);
    out.assert_code(0);
    assert!(
        out.stderr.contains("passwd.txt: symbolic link to")
            && out.stderr.contains("outside the folder being added"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("dangling.txt"), "{}", out.stderr);
    assert!(sb.corpus().join("download/good.txt").is_file());
    assert!(!sb.corpus().join("download/passwd.txt").exists());
    assert_eq!(found(&sb, "ZQDOWNLOAD"), ["download/good.txt"]);
    assert!(found(&sb, "ZQOUTSIDE").is_empty());
}

#[cfg(unix)]
#[test]
fn issue11_add_never_writes_through_a_planted_partial_file() {
    let sb = Sandbox::indexed();
    let victim = sb.root().join("victim.txt");
    write(&victim, "do not touch");
    let planted = sb.corpus().join("new.gongwen-partial");
    std::os::unix::fs::symlink(&victim, &planted).expect("plant link");
    let src = sb.root().join("new.txt");
    write(&src, &notice("ZQPLANTED"));
    let out = add(&sb, &src);
    out.assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "do not touch"
    );
    assert!(
        std::fs::symlink_metadata(&planted)
            .expect("planted link")
            .file_type()
            .is_symlink()
    );
    let dest = sb.corpus().join("new.txt");
    assert!(
        std::fs::symlink_metadata(&dest)
            .expect("copy")
            .file_type()
            .is_file()
    );
    // No temporary file left behind.
    let left: Vec<String> = std::fs::read_dir(sb.corpus())
        .expect("read corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongwen-partial") && n != "new.gongwen-partial")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(found(&sb, "ZQPLANTED"), ["new.txt"]);
}

/// How many files are under `dir`.
fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let t = e.file_type().expect("file type");
        if t.is_dir() {
            n += count_files(&e.path());
        } else {
            n += 1;
        }
    }
    n
}

#[test]
fn issue11_add_refuses_the_corpus_and_skips_it_inside_a_folder() {
    let sb = Sandbox::indexed();
    let before = count_files(&sb.corpus());
    for src in [sb.corpus(), sb.corpus().join(".")] {
        let out = add(&sb, &src);
        out.assert_code(2);
        assert!(
            out.stderr.contains("is the corpus folder"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(count_files(&sb.corpus()), before);

    // An index folder is not a folder of notices: its meta.json and
    // manifest.json would come in as crawler exports.
    let out = add(&sb, &sb.index());
    out.assert_code(2);
    assert!(
        out.stderr.contains("is a gongwen index folder"),
        "{}",
        out.stderr
    );
    assert_eq!(count_files(&sb.corpus()), before);

    // `add .` in a folder holding ./corpus and ./index (the defaults): the
    // other notices come in, the corpus and the index are not copied.
    write(&sb.root().join("extra/more.txt"), &notice("ZQEXTRA"));
    let out = sb.run(&["add", "--json", "."]);
    out.assert_code(0);
    let base = sb
        .root()
        .canonicalize()
        .expect("root")
        .file_name()
        .expect("name")
        .to_os_string();
    let copy = sb.corpus().join(&base);
    assert!(copy.join("extra/more.txt").is_file(), "{}", out.stderr);
    assert!(!copy.join("corpus").exists(), "the corpus was copied");
    assert!(!copy.join("index").exists(), "the index was copied");
    let r: Report = out.json();
    assert_eq!(r.indexed, 3, "{r:?}");
}

#[test]
fn issue11_add_refuses_a_device_without_reading_it() {
    let sb = Sandbox::new();
    if !Path::new("/dev/zero").exists() {
        println!("skipped: no /dev/zero here");
        return;
    }
    let out = sb.run(&["add", "/dev/zero"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("not a regular file") && out.stderr.contains("device"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no such file"), "{}", out.stderr);
}

/// Run `cmd` and kill it after `limit`: an endless read must fail the test,
/// not hang it.
fn run_bounded(mut cmd: Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gongwen");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (code, reader.join().unwrap_or_default())
}

#[test]
fn issue11_size_limit_in_index_add_and_parse() {
    let sb = Sandbox::new();
    // A sparse file just over the limit: no disk, no time to write.
    let big = sb.corpus().join("big.txt");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len((64 << 20) + 1))
        .expect("sparse file");
    let r = index_report(&sb);
    let reason = skip_reason(&r, "big.txt").unwrap_or_else(|| panic!("big.txt: {r:?}"));
    assert!(reason.contains("larger than the 64 MiB limit"), "{reason}");
    assert_eq!(r.indexed, 2, "{r:?}");

    let out = sb.run(&[
        "add".as_ref(),
        "--corpus".as_ref(),
        sb.root().join("other").as_os_str(),
        "--index".as_ref(),
        sb.root().join("other-index").as_os_str(),
        big.as_os_str(),
    ]);
    out.assert_code(2);
    assert!(out.stderr.contains("64 MiB limit"), "{}", out.stderr);

    let (code, stderr) = run_bounded(
        {
            let mut c = sb.command();
            c.arg("parse").arg(&big);
            c
        },
        Duration::from_secs(60),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("64 MiB limit"), "{stderr}");

    if Path::new("/dev/urandom").exists() {
        // Capped at 2 GiB of address space: a reader without a bound (4 GB
        // in 15 s before) fails here instead of taking the machine's memory.
        let mut c = Command::new("sh");
        c.current_dir(sb.root())
            .arg("-c")
            .arg("ulimit -v 2097152 && exec \"$0\" parse /dev/urandom")
            .arg(env!("CARGO_BIN_EXE_gongwen"));
        let (code, stderr) = run_bounded(c, Duration::from_secs(120));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("64 MiB limit"), "{stderr}");
    } else {
        println!("skipped: no /dev/urandom here (the endless-input case)");
    }
}
