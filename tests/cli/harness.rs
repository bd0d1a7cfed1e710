//! Test harness: a [`Sandbox`] is a fresh temporary directory with a
//! `corpus/` folder holding copies of the sample notices; commands run the
//! built `gongwen` binary inside it with a clean environment.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use tempfile::TempDir;

/// The notice without a date (三门县); it is the one about 差旅费.
pub const N000: &str = "000_4f4fae3bed152b1a.txt";
/// The notice dated 2024-10-15 (合肥市包河区).
pub const N001: &str = "001_8141e087f3230e59.txt";

/// Environment variables the binary reads; removed from every spawned
/// command unless a test sets them explicitly.
pub const ENV_VARS: &[&str] = &["GONGWEN_CORPUS", "GONGWEN_INDEX", "NO_COLOR", "TERM"];

/// A fresh temporary working directory with `corpus/` holding the samples.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    /// A temp dir containing `corpus/` with the two sample notices and no index.
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("gongwen-test-")
            .tempdir()
            .expect("create temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("create corpus dir");
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for name in [N000, N001] {
            std::fs::copy(samples.join(name), corpus.join(name))
                .unwrap_or_else(|e| panic!("copy sample {name}: {e}"));
        }
        Sandbox { dir }
    }

    /// A sandbox whose index has already been built at `index/` with explicit
    /// `--corpus`/`--index`.
    pub fn indexed() -> Sandbox {
        let sb = Sandbox::new();
        let out = sb.index_cmd(&["--quiet"]);
        out.assert_code(0);
        sb
    }

    /// The sandbox root (the working directory of spawned commands).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `<root>/corpus`.
    pub fn corpus(&self) -> PathBuf {
        self.root().join("corpus")
    }

    /// `<root>/index` (may not exist yet).
    pub fn index(&self) -> PathBuf {
        self.root().join("index")
    }

    /// Write a file into the corpus folder.
    pub fn add_corpus_file(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.corpus().join(name), bytes)
            .unwrap_or_else(|e| panic!("write corpus file {name}: {e}"));
    }

    /// A `gongwen` command running in the sandbox root with a clean environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongwen"));
        cmd.current_dir(self.root());
        for var in ENV_VARS {
            cmd.env_remove(var);
        }
        cmd
    }

    /// Run `gongwen ARGS` in the sandbox root.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut cmd = self.command();
        cmd.args(args);
        Run::of(cmd)
    }

    /// `gongwen SUBCOMMAND --corpus <root>/corpus --index <root>/index`, not
    /// yet run.
    pub fn corpus_command(&self, subcommand: &str) -> Command {
        let mut cmd = self.command();
        cmd.arg(subcommand)
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index());
        cmd
    }

    /// Run `gongwen index --corpus <root>/corpus --index <root>/index EXTRA`.
    pub fn index_cmd(&self, extra: &[&str]) -> Run {
        let mut cmd = self.corpus_command("index");
        cmd.args(extra);
        Run::of(cmd)
    }

    /// Run `gongwen search --index <root>/index ARGS`.
    pub fn search<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut cmd = self.command();
        cmd.arg("search")
            .arg("--index")
            .arg(self.index())
            .args(args);
        Run::of(cmd)
    }

    /// Run `gongwen search --index <root>/index --json ARGS`, expect exit
    /// `code`, and decode the results.
    pub fn search_json(&self, args: &[&str], code: i32) -> SearchOut {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.search(&all);
        out.assert_code(code);
        out.json()
    }
}

/// The outcome of one command.
#[derive(Debug)]
pub struct Run {
    /// What was run (for failure messages).
    pub cmdline: String,
    /// Exit status (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output, UTF-8.
    pub stdout: String,
    /// Standard error, UTF-8 (lossy).
    pub stderr: String,
}

impl Run {
    /// Run `cmd` to its end.
    pub fn of(mut cmd: Command) -> Run {
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

    /// Panic with the full output unless the exit status is `code`.
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit status for {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.cmdline, self.stdout, self.stderr
        );
        self
    }

    /// Decode stdout as one JSON value of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout of {} is not the expected JSON: {e}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.cmdline, self.stdout, self.stderr
            )
        })
    }
}

/// True when `s` contains an ANSI escape character.
pub fn has_ansi(s: &str) -> bool {
    s.contains('\u{1b}')
}

// ---- JSON contracts -------------------------------------------------------
//
// Only the contract fields are declared; extra fields are allowed. Some
// fields exist only to pin the shape (decoding fails if their type changes).

/// `gongwen search --json`.
#[derive(Debug, Deserialize)]
pub struct SearchOut {
    pub query: String,
    pub total: usize,
    pub literal_total: usize,
    pub words: Vec<String>,
    pub hits: Vec<HitOut>,
}

impl SearchOut {
    /// The ids of the hits, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.hits.iter().map(|h| h.id.as_str()).collect()
    }
}

/// A title, `null` when the notice has none: read as "".
fn title_or_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// One hit of `search --json`.
#[derive(Debug, Deserialize)]
pub struct HitOut {
    pub rank: usize,
    pub score: f64,
    pub id: String,
    pub path: String,
    #[serde(deserialize_with = "title_or_empty")]
    pub title: String,
    pub agency: Option<String>,
    pub date: Option<String>,
    pub literal: bool,
    pub sections: Vec<SectionHitOut>,
}

/// One section of a hit.
#[derive(Debug, Deserialize)]
pub struct SectionHitOut {
    pub heading: Option<String>,
    pub heading_path: Vec<String>,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
}

/// `gongwen parse --json`.
#[derive(Debug, Deserialize)]
pub struct ParseOut {
    pub path: String,
    /// `null` (read as "") when the text has no title
    #[serde(deserialize_with = "title_or_empty")]
    pub title: String,
    pub title_source: String,
    pub agency: Option<String>,
    pub agency_source: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub source: Option<String>,
    pub doc_number: Option<String>,
    pub headings: Vec<HeadingOut>,
    pub sections: Vec<SectionOut>,
}

/// One node of the heading tree.
#[derive(Debug, Deserialize)]
pub struct HeadingOut {
    pub level: usize,
    pub number: String,
    pub text: String,
    pub children: Vec<HeadingOut>,
}

/// One section of a parsed notice.
#[derive(Debug, Deserialize)]
pub struct SectionOut {
    pub heading_path: Vec<String>,
    pub text: String,
}

/// `gongwen index --json`.
#[derive(Debug, Deserialize)]
pub struct IndexOut {
    pub indexed: u64,
    pub skipped: u64,
}

/// Panic unless the JSON object `v` has every key in `keys` (a `null` value
/// counts: the contract is that the key is always present).
pub fn assert_keys(v: &serde_json::Value, keys: &[&str], what: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not a JSON object: {v}"));
    for k in keys {
        assert!(obj.contains_key(*k), "{what} lacks key {k:?}: {v}");
    }
}

/// The shared corpus of real notices beside the checkout, or `None` with a
/// "skipped" line when it is absent (a test that needs it says so).
pub fn shared_notices() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/notices");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// The source folders of the shared corpus (seeds aside), sorted.
pub fn shared_sources(shared: &Path) -> Vec<PathBuf> {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(shared)
        .expect("read shared corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with("seeds"))
        .collect();
    sources.sort();
    sources
}
