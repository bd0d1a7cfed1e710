//! Trusting an index's files: a damaged index must never panic and never
//! answer silently wrong.
//!
//! tantivy trusts the bytes it maps: a truncated or missing segment file makes
//! every search fail with a low-level message, and a flipped bit can panic or,
//! worse, return a wrong answer. Every tantivy file ends in a CRC32 of its
//! content, but checking all of them on every search reads the whole index
//! (2.5 GB at 100k notices). So the writer records, after each commit, the
//! size and modification time of every file it has verified
//! ([`VERIFIED_FILE`]); opening for search stats the files the last commit
//! names (cheap) and reads only those that are missing from that record or
//! differ from it. A file changed behind gongwen's back is thus verified
//! before it is used; segment files are written once and never modified, so
//! a matching entry stays valid.
//!
//! [`check`] verifies everything, for `gongwen check`.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

use serde::{Deserialize, Serialize};
use tantivy::index::{IndexMeta, SegmentComponent};
use tantivy::{Index, IndexReader};

use super::build::Manifest;
use super::querydict::{self, QueryDict};
use super::{Fields, MANIFEST_FILE, STAMP_FILE, Stamp, read_stamp};
use crate::analysis;
use crate::error::{Error, Result};

/// Name of the record of verified files inside the index folder.
pub const VERIFIED_FILE: &str = "verified.json";

/// Size, modification time and status-change time of a file when it was
/// verified. A modification time can be set back after the bytes are
/// changed (a restore, a careless tool, an attacker); the status-change time
/// cannot, as every write moves it, so a file written behind the record's
/// back is verified again. (Copying an index moves it too: the copy is
/// verified once, on its first search.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Signature {
    size: u64,
    secs: i64,
    nanos: u32,
    /// Status-change time (seconds, nanoseconds) where the system keeps one.
    #[serde(default)]
    changed: Option<(i64, i64)>,
}

/// Files whose checksum was verified, by name, as they were then.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Verified {
    files: BTreeMap<String, Signature>,
}

fn signature(path: &Path) -> std::io::Result<Signature> {
    let m = std::fs::metadata(path)?;
    let nanos = super::build::mtime_nanos(m.modified()?);
    Ok(Signature {
        size: m.len(),
        secs: nanos.div_euclid(1_000_000_000),
        // in 0..1e9 by the division above
        nanos: u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0),
        changed: status_changed(&m),
    })
}

#[cfg(unix)]
fn status_changed(m: &std::fs::Metadata) -> Option<(i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.ctime(), m.ctime_nsec()))
}

#[cfg(not(unix))]
fn status_changed(_: &std::fs::Metadata) -> Option<(i64, i64)> {
    None
}

fn read_verified(dir: &Path) -> Verified {
    std::fs::read_to_string(dir.join(VERIFIED_FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn damaged(dir: &Path, reason: impl Into<String>) -> Error {
    Error::Damaged {
        path: dir.display().to_string(),
        reason: reason.into(),
    }
}

/// A tantivy failure while opening the index at `dir`: damage, unless it is
/// about access (a lock, a permission) rather than the files' content.
pub(crate) fn tantivy_damage(dir: &Path, e: tantivy::TantivyError) -> Error {
    use tantivy::TantivyError as T;
    let access = match &e {
        T::LockFailure(..) => true,
        T::IoError(io) => io.kind() == std::io::ErrorKind::PermissionDenied,
        T::OpenReadError(tantivy::directory::error::OpenReadError::IoError {
            io_error, ..
        }) => io_error.kind() == std::io::ErrorKind::PermissionDenied,
        _ => false,
    };
    if access {
        return Error::Tantivy(e);
    }
    let reason = match &e {
        T::OpenReadError(tantivy::directory::error::OpenReadError::FileDoesNotExist(p)) => {
            format!("{} is missing", p.display())
        }
        _ => e.to_string().lines().next().unwrap_or_default().to_string(),
    };
    damaged(dir, reason)
}

/// The first line of a panic's message, for an error that replaces it.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    text.lines().next().unwrap_or_default().to_string()
}

thread_local! {
    /// How many [`shielded`] calls the current thread is inside.
    static SHIELDED: Cell<u32> = const { Cell::new(0) };
}

/// A panic caught by [`shielded`] becomes one damaged-index message; the
/// default hook would first print the panic and a backtrace, as if gongwen
/// had crashed. Panics elsewhere (and in other threads) still reach the
/// previous hook.
fn quiet_shielded_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if SHIELDED.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Run `f`, which reads the index at `dir`, turning a panic inside it (tantivy
/// or fst meeting bytes it did not write) into [`Error::Damaged`]: the
/// answer of an index that panics cannot be trusted, and a crash tells the
/// user nothing about the repair.
///
/// A tantivy error inside `f` is damage too (a file that fails to decode),
/// unless it is about access; either way it is reported once, not as
/// tantivy's message nested three deep.
pub fn shielded<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    quiet_shielded_panics();
    SHIELDED.with(|d| d.set(d.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    SHIELDED.with(|d| d.set(d.get().saturating_sub(1)));
    match outcome {
        Ok(Err(Error::Tantivy(e))) => Err(tantivy_damage(dir, e)),
        Ok(r) => r,
        Err(p) => Err(damaged(
            dir,
            format!("reading it failed: {}", panic_message(p.as_ref())),
        )),
    }
}

/// The files the commit `metas` uses, by name: the components of each
/// segment, and its deletion bitset when it has one.
fn committed_files(metas: &IndexMeta) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for seg in &metas.segments {
        for c in [
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Terms,
            SegmentComponent::Store,
        ] {
            names.push(seg.relative_path(c).to_string_lossy().into_owned());
        }
        if seg.has_deletes() {
            names.push(
                seg.relative_path(SegmentComponent::Delete)
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    names
}

/// Whether the file `name` of `index` matches its checksum; `Err` says why it
/// could not be read (missing, shorter than its footer…).
fn checksum_ok(index: &Index, name: &str) -> std::result::Result<bool, String> {
    let path = PathBuf::from(name);
    match catch_unwind(AssertUnwindSafe(|| {
        index.directory().validate_checksum(&path)
    })) {
        Ok(Ok(ok)) => Ok(ok),
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(panic_message(p.as_ref())),
    }
}

/// Why a file of the commit cannot be trusted, or `None` when it can.
fn file_problem(dir: &Path, index: &Index, name: &str) -> Option<String> {
    match checksum_ok(index, name) {
        Ok(true) => None,
        Ok(false) => Some(format!("{name} does not match its checksum")),
        Err(_) if !dir.join(name).exists() => Some(format!("{name} is missing")),
        Err(e) => Some(format!("{name} cannot be read: {e}")),
    }
}

/// Verify, cheaply, the files of the last commit before a reader uses them:
/// every one must exist, and one that is not in the verified record as it is
/// now must match its checksum.
pub(crate) fn verify_commit(dir: &Path, index: &Index, metas: &IndexMeta) -> Result<()> {
    let record = read_verified(dir);
    let mut newly = Vec::new();
    for name in committed_files(metas) {
        let sig = match signature(&dir.join(&name)) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(damaged(dir, format!("{name} is missing")));
            }
            Err(e) => {
                return Err(Error::io(
                    format!("reading {}", dir.join(&name).display()),
                    e,
                ));
            }
        };
        if record.files.get(&name) == Some(&sig) {
            continue;
        }
        if let Some(problem) = file_problem(dir, index, &name) {
            return Err(damaged(dir, problem));
        }
        newly.push((name, sig));
    }
    if !newly.is_empty() {
        // Files verified here (an index copied without its modification
        // times, or one written before the record existed) are recorded, so
        // the next search does not read them again. Best effort: a reader
        // may have no write access, and a writer rewrites the record anyway.
        let mut record = record;
        record.files.extend(newly);
        let _ = write_verified(dir, &record);
    }
    Ok(())
}

/// Whether `reader` serves exactly the commit `metas` (a writer may commit
/// between reading meta.json and opening the reader).
pub(crate) fn reader_matches(reader: &IndexReader, metas: &IndexMeta) -> bool {
    let searcher = reader.searcher();
    let served = searcher.generation().segments();
    served.len() == metas.segments.len()
        && metas
            .segments
            .iter()
            .all(|s| served.get(&s.id()) == Some(&s.delete_opstamp()))
}

/// Record the files of the index's last commit as verified: those already
/// recorded unchanged are kept, the others are checked against their
/// checksum first (a damaged one is left out, so readers keep refusing it).
/// The writer calls this after each commit, holding the writers' lock.
pub fn record_verified(dir: &Path, index: &Index) -> Result<()> {
    let metas = index.load_metas()?;
    let old = read_verified(dir);
    let mut new = Verified::default();
    for name in committed_files(&metas) {
        let Ok(sig) = signature(&dir.join(&name)) else {
            continue;
        };
        let known = old.files.get(&name) == Some(&sig);
        if known || checksum_ok(index, &name) == Ok(true) {
            new.files.insert(name, sig);
        }
    }
    write_verified(dir, &new)
}

fn write_verified(dir: &Path, record: &Verified) -> Result<()> {
    let json = serde_json::to_vec(record).unwrap_or_default();
    super::write_atomically(dir, VERIFIED_FILE, &json)
}

/// One verification of `gongwen check`.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What was verified.
    pub name: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// What `gongwen check` found.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// The index folder.
    pub index: String,
    /// True when every check passed.
    pub healthy: bool,
    /// Each check, in the order run.
    pub checks: Vec<Check>,
    /// How to repair a damaged index (absent when healthy).
    pub repair: Option<String>,
}

impl CheckReport {
    fn push(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check {
            name: name.into(),
            ok,
            detail: detail.into(),
        });
    }
}

/// Per file: (notices, sections) as the index's head documents record them.
type FileCounts = BTreeMap<String, (usize, usize)>;

/// Read every notice head of the index (which also reads its stored
/// documents, so a damaged store shows here too), and the section total.
fn head_counts(reader: &IndexReader, fields: &Fields) -> Result<(FileCounts, usize)> {
    let searcher = reader.searcher();
    let counts = super::build::file_records(&searcher, fields)?
        .into_iter()
        .map(|(file, r)| (file, (r.notices, r.sections)))
        .collect();
    Ok((counts, searcher.num_docs() as usize))
}

/// Verify the index in `dir` completely: gongwen's stamp, tantivy's commit,
/// every file it names (present, and matching its checksum), the query
/// dictionary, the documents, and the manifest and stamp against them.
/// Reads the whole index; never writes.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let shown = dir.display().to_string();
    if !super::exists(dir) {
        return Err(Error::NoIndex { path: shown });
    }
    let mut r = CheckReport {
        index: shown.clone(),
        healthy: true,
        checks: Vec::new(),
        repair: None,
    };
    let stamp = read_stamp(dir);
    match &stamp {
        None => r.push(
            "stamp",
            false,
            format!("{STAMP_FILE} is missing or unreadable"),
        ),
        Some(s) if !s.matches_binary() => r.push(
            "stamp",
            false,
            format!(
                "written for {}, this gongwen reads {}",
                s.versions(),
                Stamp::current_versions()
            ),
        ),
        Some(s) => r.push(
            "stamp",
            true,
            format!("gongwen {}, {}", s.gongwen, s.versions()),
        ),
    }
    let opened = shielded(dir, || {
        // no write access needed: a read-only index can be checked too
        let index = super::folder::open_for_reading(dir)?;
        let metas = index.load_metas()?;
        Ok((index, metas))
    });
    let (index, metas) = match opened {
        Ok(x) => x,
        Err(e) => {
            r.push("commit", false, format!("meta.json cannot be read: {e}"));
            return Ok(finish(r));
        }
    };
    analysis::register(index.tokenizers());
    let files = committed_files(&metas);
    r.push(
        "commit",
        true,
        format!(
            "commit {}, {} segments, {} files",
            metas.opstamp,
            metas.segments.len(),
            files.len()
        ),
    );
    let problems: Vec<String> = files
        .iter()
        .filter_map(|f| file_problem(dir, &index, f))
        .collect();
    r.push(
        "files",
        problems.is_empty(),
        if problems.is_empty() {
            format!("{} files present and matching their checksums", files.len())
        } else {
            problems.join("; ")
        },
    );
    match QueryDict::open(dir) {
        Ok(Some(_)) => r.push("query dictionary", true, "checksum matches"),
        Ok(None) => r.push(
            "query dictionary",
            false,
            format!("{} is missing", querydict::FILE),
        ),
        Err(Error::Damaged { reason, .. }) => r.push("query dictionary", false, reason),
        Err(e) => r.push("query dictionary", false, e.to_string()),
    }
    if !problems.is_empty() {
        // Reading documents out of damaged files may panic or mislead.
        return Ok(finish(r));
    }
    let fields = match Fields::from_schema(&index.schema()) {
        Some(f) => f,
        None => {
            r.push("documents", false, "the schema is not gongwen's");
            return Ok(finish(r));
        }
    };
    let counted = shielded(dir, || {
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        head_counts(&reader, &fields)
    });
    let (heads, sections) = match counted {
        Ok(x) => x,
        Err(e) => {
            r.push("documents", false, e.to_string());
            return Ok(finish(r));
        }
    };
    let notices: usize = heads.values().map(|c| c.0).sum();
    r.push(
        "documents",
        true,
        format!("{notices} notices, {sections} sections readable"),
    );
    check_manifest(&mut r, dir, metas.opstamp, &heads, sections);
    if let Some(s) = &stamp {
        let ok = s.notices == notices && s.sections == sections;
        r.push(
            "counts",
            ok,
            format!(
                "{STAMP_FILE} says {} notices, {} sections; the index holds {notices}, {sections}",
                s.notices, s.sections
            ),
        );
    }
    Ok(finish(r))
}

fn check_manifest(
    r: &mut CheckReport,
    dir: &Path,
    opstamp: u64,
    heads: &FileCounts,
    sections: usize,
) {
    let path = dir.join(MANIFEST_FILE);
    let manifest = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<Manifest>(&t).map_err(|e| e.to_string()));
    let m = match manifest {
        Ok(m) => m,
        Err(e) => {
            r.push("manifest", false, format!("{MANIFEST_FILE}: {e}"));
            return;
        }
    };
    if m.opstamp != opstamp {
        // `index` then reads the file record back from the index itself.
        r.push(
            "manifest",
            true,
            format!(
                "belongs to commit {}, not {opstamp}: the next index run reads it back from the index",
                m.opstamp
            ),
        );
        return;
    }
    let listed: HashMap<&str, (usize, usize)> = m
        .files
        .iter()
        .map(|(k, v)| (k.as_str(), (v.notices, v.sections)))
        .collect();
    let mut wrong: Vec<String> = Vec::new();
    for (file, &(n, s)) in heads {
        match listed.get(file.as_str()) {
            None => wrong.push(format!("{file} is indexed but not listed")),
            Some(&(ln, ls)) if (ln, ls) != (n, s) => wrong.push(format!(
                "{file}: listed with {ln} notices, {ls} sections; indexed with {n}, {s}"
            )),
            Some(_) => {}
        }
    }
    for (file, &(n, _)) in &listed {
        if n > 0 && !heads.contains_key(*file) {
            wrong.push(format!("{file} is listed but not indexed"));
        }
    }
    let listed_sections: usize = listed.values().map(|c| c.1).sum();
    if wrong.is_empty() && listed_sections != sections {
        wrong.push(format!(
            "lists {listed_sections} sections, the index holds {sections}"
        ));
    }
    wrong.sort();
    let n = wrong.len();
    wrong.truncate(5);
    if n > 5 {
        wrong.push(format!("… {} more", n - 5));
    }
    r.push(
        "manifest",
        wrong.is_empty(),
        if wrong.is_empty() {
            format!("{} files agree with the index", m.files.len())
        } else {
            wrong.join("; ")
        },
    );
}

fn finish(mut r: CheckReport) -> CheckReport {
    r.healthy = r.checks.iter().all(|c| c.ok);
    if !r.healthy {
        r.repair = Some(super::repair_command(Path::new(&r.index)));
    }
    r
}
