//! Building and updating the index from a corpus folder.
//!
//! `index` is incremental: a record of every indexed file (size, mtime, xxh3
//! hash, notices and sections it gave) is kept beside the index, and only files
//! that were added, changed or removed are reprocessed. Every change of a run
//! lands in a single tantivy commit — the crash-safe point — so a run that is
//! killed leaves the previous commit, the last good index, searchable. The file
//! record is written after the commit and names the commit it belongs to; when
//! they disagree (a run killed in between) the record is rebuilt from the index
//! itself, which stores each file's state on its notices.
//!
//! One writer at a time: a lock file in the index folder makes a second `index`
//! or `add` stop with a clear message while searches go on.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::index::SegmentId;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy, NoMergePolicy, UserOperation};
use tantivy::schema::Value;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};
use walkdir::WalkDir;

use super::querydict::QueryDict;
use super::{Fields, FileState, Stamp, exists, folder, read_stamp, write_atomically, write_stamp};
use crate::analysis::{self, WordCounts};
use crate::error::{Error, Result};
use crate::notice::{self, FileKind};

/// Memory budget of the index writer, shared by its threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// How segments are merged while indexing.
///
/// Fewer segments make every query cheaper to start (each segment's files
/// are opened per query), but a merge reads its input segments through memory
/// maps and needs buffers of its own, on top of the writers' memory.
/// tantivy's default (merge eight segments of a size, up to 10M documents,
/// four merge threads) took the peak memory of a 100k-notice build to
/// 1.31–1.35 GB; merging four at a time, one merge at a time, and never a
/// segment of more than 250k sections again measured 1.01–1.25 GB (merges
/// depend on timing), with 9–15 segments at 100k notices and 4 at the 7k
/// sample corpus. BENCHMARKS.md has the runs.
///
/// Segments of up to 1M sections are merged again (four or more of a size at
/// once), so the ~500k-section segments the first merges make become ~2M
/// ones: every segment costs each query ~0.9 ms of CPU at 100k notices, and
/// the earlier cap of 250k left ~50 segments at 1M notices (issue 16).
fn merge_policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_min_num_segments(4);
    p.set_max_docs_before_merge(MERGE_CAP);
    p
}

/// Segments of more sections than this are never merged again.
const MERGE_CAP: usize = 1_000_000;

/// After a rebuild, the segments the policy left below [`MERGE_CAP`] (the
/// writers' last flushes, and sizes that never gathered the four a merge
/// waits for) are merged into one, in a writer of its own that adds nothing.
///
/// A 100k-notice rebuild otherwise ended with ten segments, eight of them
/// under 50k sections, and every segment costs each query ~0.9 ms of CPU.
/// The merge is one more of the policy's size (at most a few ~500k-section
/// segments and the small ones), so it does not raise the peak memory above
/// what the merges while indexing already need.
fn merge_leftovers(index: &Index) -> Result<()> {
    let small: Vec<SegmentId> = index
        .searchable_segment_metas()?
        .into_iter()
        .filter(|m| (m.num_docs() as usize) < MERGE_CAP)
        .map(|m| m.id())
        .collect();
    if small.len() < 2 {
        return Ok(());
    }
    // one thread and tantivy's smallest budget: nothing is added
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(1, MERGE_WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    writer.merge(&small).wait()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The memory budget of the writer that only merges (tantivy's minimum).
const MERGE_WRITER_MEMORY: usize = 15_000_000;

/// The file record kept beside the index.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The writers' lock file.
pub const LOCK_FILE: &str = "gongwen.lock";

/// A file (or record) that was not indexed, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The file (relative to the corpus root where possible).
    pub path: String,
    /// What was wrong with it.
    pub reason: String,
}

/// What a run of `index` did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BuildReport {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed and were indexed again.
    pub updated: usize,
    /// Files gone from the corpus (or no longer readable) whose notices were
    /// removed.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files and records skipped, with a warning each.
    pub skipped: usize,
    /// Notices now in the index.
    pub indexed: usize,
    /// Sections now in the index.
    pub sections: usize,
    /// True when the index was rebuilt from scratch.
    pub rebuilt: bool,
    /// Why the index found in the folder could not be used (a missing or
    /// damaged file): it was rebuilt instead.
    pub damaged: Option<String>,
    /// The files skipped, with reasons.
    pub skipped_files: Vec<Skipped>,
    /// Wall-clock time of the run in seconds.
    pub seconds: f64,
    /// The corpus folder.
    pub corpus: String,
    /// The index folder.
    pub index: String,
}

/// What a run is doing. Only [`Phase::Writing`] moves the file count; the
/// others can each take many seconds on a large corpus (committing and
/// merging most of all), so a progress display shows them by name rather
/// than sitting at the last file count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Walking the corpus and comparing it with the last run (files whose
    /// time changed are read and hashed).
    Reading,
    /// Parsing new and changed files and adding their documents.
    Writing,
    /// Waiting for the indexing threads and writing the new segments
    /// durably (tantivy's `commit`).
    Committing,
    /// Waiting for segment merges to finish.
    Merging,
    /// Writing the query dictionary, the manifest and the checksum record.
    Finishing,
}

/// How a run reports as it goes.
pub struct BuildOptions<'a> {
    /// Discard the index and build it anew.
    pub rebuild: bool,
    /// Told about each skipped file as it happens.
    pub on_skip: &'a mut dyn FnMut(&Skipped),
    /// Told `(files done, files to do)` as files are processed.
    pub on_progress: &'a mut dyn FnMut(usize, usize),
    /// Told when the run enters each [`Phase`], in order; a run with
    /// nothing to change stops after [`Phase::Reading`].
    pub on_phase: &'a mut dyn FnMut(Phase),
    /// The writers' lock when the caller already holds it (`add` takes it
    /// before copying files).
    pub lock: Option<WriterLock>,
    /// How files are read (OCR for PDFs without text).
    pub read: notice::ReadOptions,
}

/// The recorded state of one indexed file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(super) struct FileRecord {
    #[serde(flatten)]
    state: FileState,
    /// Notices read from the file.
    pub(super) notices: usize,
    /// Sections of those notices.
    pub(super) sections: usize,
    /// Read without OCR, with pages that have no text (a scanned page in a
    /// PDF): a run with `--ocr` reads the file again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) ocr_pending: bool,
}

/// The file record and the commit it belongs to.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// The commit the record belongs to.
    pub(super) opstamp: u64,
    /// Every indexed file, by its path in the corpus.
    pub(super) files: BTreeMap<String, FileRecord>,
    /// Files skipped for what they hold (a scan, an encrypted or damaged
    /// document), by path: while a file stays as it was, reading it again
    /// would only say the same, so the next run reports it without reading.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) skipped: BTreeMap<String, SkipRecord>,
}

/// A file skipped for its content, as it was when it was read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct SkipRecord {
    #[serde(flatten)]
    state: FileState,
    /// Why it was skipped.
    reason: String,
    /// Whether the run that read it asked for OCR: a run that asks for it
    /// reads a file again that was skipped without it.
    #[serde(default)]
    ocr: bool,
}

/// What a notice's head section stores about its file.
#[derive(Serialize, Deserialize)]
struct HeadState {
    #[serde(flatten)]
    state: FileState,
    sections: usize,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    ocr_pending: bool,
}

/// The path of `file` relative to `root`, with `/` separators.
///
/// This string is a file's identity in the manifest and the index, so it
/// must be one-to-one with the real name: a backslash is written `\\` and a
/// byte that is not UTF-8 `\xHH`, so that two names differing only in such a
/// byte stay two files, `a\xff.txt` and `a\xfe.txt` (a lossy conversion made
/// both `a�.txt`). Names without either are unchanged.
pub fn relative_path(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        escape_name(c.as_os_str(), &mut out);
    }
    out
}

fn escape_name(name: &std::ffi::OsStr, out: &mut String) {
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        for ch in chunk.valid().chars() {
            if ch == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(ch);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
}

/// The writers' lock of an index, held until dropped.
pub struct WriterLock {
    _file: File,
}

/// Take the writers' lock of the index in `dir` (created if needed), or say
/// that another writer holds it.
pub fn lock_writer(dir: &Path) -> Result<WriterLock> {
    lock(dir).map(|f| WriterLock { _file: f })
}

fn lock(dir: &Path) -> Result<File> {
    let shown = dir.display().to_string();
    // Refuse someone else's folder before writing anything into it, not even
    // the lock file.
    folder::state(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {shown}"), e))?;
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => {
            // Mark the folder before tantivy writes into it, so that a run
            // killed at any point leaves a folder gongwen knows as its own.
            folder::claim(dir)?;
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy { path: shown }),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::io(format!("locking {}", path.display()), e))
        }
    }
}

/// The index to write into, and what became of the one that was there.
struct Opened {
    index: Index,
    fields: Fields,
    /// Every file is indexed anew.
    rebuild: bool,
    /// Why the index there could not be used, when it was damaged.
    damaged: Option<String>,
}

/// Open the index in the gongwen-owned folder `dir` for writing, or create it
/// there: when it is missing, of another version, or damaged, everything of
/// it is removed first. A rebuild of a sound index keeps its files until its
/// new commit replaces them, so a rebuild that is killed leaves the last one.
fn open_or_create(dir: &Path, rebuild: bool) -> Result<Opened> {
    let mut damaged = None;
    if exists(dir) && read_stamp(dir).is_some_and(|s| s.matches_binary()) {
        // A meta.json that parses but lies (no checksum covers it) can make
        // tantivy panic while opening: that is damage too, never a crash.
        let checked = super::check::shielded(dir, || {
            Ok(open_checked(dir).map_err(|why| Error::Damaged {
                path: dir.display().to_string(),
                reason: why,
            }))
        })
        .and_then(|r| r)
        .map_err(|e| match e {
            Error::Damaged { reason, .. } => reason,
            other => other.to_string(),
        });
        match checked {
            Ok((index, fields)) => {
                // Notices read by another version of the reader carry its
                // titles, agencies and dates: read every file again (the
                // old index serves searches until the new commit).
                let reader_changed =
                    read_stamp(dir).is_some_and(|s| s.reader != crate::notice::READER_VERSION);
                return Ok(Opened {
                    index,
                    fields,
                    rebuild: rebuild || reader_changed,
                    damaged: None,
                });
            }
            Err(why) => damaged = Some(why),
        }
    }
    // Missing, of another schema, or damaged: start anew. The folder is
    // gongwen's own (the lock checked it) and only tantivy's and gongwen's
    // own files are removed.
    folder::remove_index_files(dir)?;
    let (schema, fields) = Fields::build();
    // Stored section text is most of the store; zstd packs Chinese text about
    // twice as tight as the default lz4, and 32 KiB blocks keep a hit's fetch
    // to one small block.
    let settings = IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 32 * 1024,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)?;
    Ok(Opened {
        index,
        fields,
        rebuild: true,
        damaged,
    })
}

/// Open the index in `dir` and check that its last commit can be read: its
/// meta.json parses, every segment it names opens (tantivy checks each
/// file's footer, so a missing or truncated file fails here), every file
/// changed since it was last verified matches its checksum (the same cheap
/// test a search makes, see `check::verify_commit`), and the query
/// dictionary is sound. Says what is wrong otherwise.
fn open_checked(dir: &Path) -> std::result::Result<(Index, Fields), String> {
    let index =
        Index::open_in_dir(dir).map_err(|e| format!("its meta.json cannot be read: {e}"))?;
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| "its schema is not the one this gongwen writes".to_string())?;
    let metas = index
        .load_metas()
        .map_err(|e| format!("its meta.json cannot be read: {e}"))?;
    super::check::verify_commit(dir, &index, &metas).map_err(|e| match e {
        Error::Damaged { reason, .. } => reason,
        other => other.to_string(),
    })?;
    match QueryDict::open(dir) {
        Ok(Some(_)) => {}
        Ok(None) => return Err(format!("{} is missing", super::querydict::FILE)),
        Err(Error::Damaged { reason, .. }) => return Err(reason),
        Err(e) => return Err(e.to_string()),
    }
    index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map(|_: tantivy::IndexReader| ())
        .map_err(|e| format!("a segment cannot be opened: {e}"))?;
    Ok((index, fields))
}

/// The file record of the index in `dir`: from the manifest when it belongs
/// to the index's last commit, otherwise read back from the index.
fn load_manifest(dir: &Path, index: &Index, fields: &Fields) -> Result<Manifest> {
    let opstamp = index.load_metas()?.opstamp;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let head_query = fields.heads_query();
    // The manifest must belong to the last commit and count what the index
    // holds (one head document per notice, one document per section); a
    // manifest that disagrees would make every file look new and be indexed
    // twice.
    if let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST_FILE))
        && let Ok(m) = serde_json::from_str::<Manifest>(&text)
        && m.opstamp == opstamp
    {
        let (notices, sections) = m.files.values().fold((0u64, 0u64), |a, r| {
            (a.0 + r.notices as u64, a.1 + r.sections as u64)
        });
        let heads = searcher.search(&head_query, &Count)? as u64;
        if notices == heads && sections == searcher.num_docs() {
            return Ok(m);
        }
    }
    Ok(Manifest {
        opstamp,
        files: file_records(&searcher, fields)?,
        skipped: BTreeMap::new(),
    })
}

/// The file record read back from the index itself: every notice's head
/// document stores its file's state and its own section count.
pub(super) fn file_records(
    searcher: &tantivy::Searcher,
    fields: &Fields,
) -> Result<BTreeMap<String, FileRecord>> {
    let mut files: BTreeMap<String, FileRecord> = BTreeMap::new();
    for addr in searcher.search(&fields.heads_query(), &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let file = doc.get_first(fields.file).and_then(|v| v.as_str());
        let state = doc
            .get_first(fields.file_state)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str::<HeadState>(s).ok());
        if let (Some(file), Some(h)) = (file, state) {
            let r = files.entry(file.to_string()).or_insert(FileRecord {
                state: h.state,
                notices: 0,
                sections: 0,
                ocr_pending: h.ocr_pending,
            });
            r.notices += 1;
            r.sections += h.sections;
        }
    }
    Ok(files)
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let json = serde_json::to_vec(m).unwrap_or_default();
    write_atomically(dir, MANIFEST_FILE, &json)
}

/// A notice file found by [`walk`].
pub struct Found {
    /// Where it is (under the walked folder).
    pub path: PathBuf,
    /// Its identity: the path relative to the walked folder ([`relative_path`]).
    pub rel: String,
    size: u64,
    mtime: i64,
}

/// What [`walk`] found.
#[derive(Default)]
pub struct Walk {
    /// Every notice file, in name order.
    pub files: Vec<Found>,
    /// Folders and files that exist but could not be read now (relative, as
    /// [`relative_path`]; empty for the walked folder itself). What was
    /// indexed from them is kept: a folder made unreadable for a moment must
    /// not lose its notices.
    pub unreadable: Vec<String>,
}

impl Walk {
    /// True when the file `rel` lies in (or is) something that could not be
    /// read.
    fn hides(&self, rel: &str) -> bool {
        self.unreadable.iter().any(|u| {
            u.is_empty()
                || rel == u
                || rel
                    .strip_prefix(u.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }
}

/// Every notice file under `root`, in name order; what is left out is told
/// to `skip` as `(path, reason)`, in walk order.
///
/// `what` names the root in reasons ("the corpus"). Symbolic links are
/// followed only while they stay inside `root`: a link to `/etc` or `/` must
/// not bring system files into the index (or into the corpus, for `add`).
/// Folders in `avoid` (the index being written, the corpus for `add`) and any
/// folder holding gongwen's stamp (an index) are passed over silently: their
/// `meta.json` and `manifest.json` are not notices. Files larger than
/// [`notice::MAX_FILE_BYTES`] are reported and not read.
pub fn walk(
    root: &Path,
    what: &str,
    avoid: &[&Path],
    skip: &mut dyn FnMut(String, String),
) -> Walk {
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let avoid: Vec<PathBuf> = avoid
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    // Both the filter and the loop report; one list keeps the walk's order.
    let notes = std::cell::RefCell::new(Vec::<(String, String)>::new());
    let shown = |p: &Path| {
        let rel = relative_path(root, p);
        if rel.is_empty() {
            root.display().to_string()
        } else {
            rel
        }
    };
    let keep = |e: &walkdir::DirEntry| {
        if e.depth() == 0 {
            return true;
        }
        if e.path_is_symlink()
            && let Ok(target) = std::fs::canonicalize(e.path())
            && !target.starts_with(&real_root)
        {
            notes.borrow_mut().push((
                shown(e.path()),
                format!(
                    "symbolic link to {} outside {what}: not followed",
                    target.display()
                ),
            ));
            return false;
        }
        if !e.file_type().is_dir() {
            return true;
        }
        if super::folder::is_marked(e.path()) {
            return false;
        }
        // Canonicalising every folder would cost a few system calls each:
        // only a folder with an avoided folder's name can be one.
        !avoid.iter().any(|a| {
            a.file_name() == Some(e.file_name())
                && std::fs::canonicalize(e.path()).is_ok_and(|c| &c == a)
        })
    };
    let mut out = Walk::default();
    let entries = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(keep);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| root.display().to_string(), &shown);
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else if let Some(io) = e.io_error() {
                    // Gone (a dangling link) is not unreadable: only what
                    // exists keeps its notices.
                    if io.kind() != std::io::ErrorKind::NotFound {
                        out.unreadable.push(
                            e.path()
                                .map_or_else(String::new, |p| relative_path(root, p)),
                        );
                    }
                    format!("cannot read: {io}")
                } else {
                    e.to_string()
                };
                notes.borrow_mut().push((path, reason));
                continue;
            }
        };
        if !entry.file_type().is_file() || !notice::is_notice_file(entry.path()) {
            continue;
        }
        let rel = relative_path(root, entry.path());
        match entry.metadata() {
            Ok(md) if md.len() > notice::MAX_FILE_BYTES => {
                notes
                    .borrow_mut()
                    .push((rel, notice::SkipReason::TooLarge.to_string()));
            }
            Ok(md) => {
                let mtime = md.modified().map_or(0, mtime_nanos);
                out.files.push(Found {
                    path: entry.path().to_path_buf(),
                    rel,
                    size: md.len(),
                    mtime,
                });
            }
            Err(e) => {
                out.unreadable.push(rel.clone());
                notes.borrow_mut().push((rel, format!("cannot read: {e}")));
            }
        }
    }
    for (p, r) in notes.into_inner() {
        skip(p, r);
    }
    out
}

/// Nanoseconds from the Unix epoch to `t`, negative before it: a file dated
/// before 1970 (old archives, broken clocks) keeps a distinct time, so its
/// edits are still noticed.
pub(super) fn mtime_nanos(t: SystemTime) -> i64 {
    let clamp = |n: u128| i64::try_from(n).unwrap_or(i64::MAX);
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => clamp(d.as_nanos()),
        Err(e) => -clamp(e.duration().as_nanos()),
    }
}

/// Build (or rebuild) the index in `index_dir` from every notice under
/// `corpus`; `on_skip` is told about each skipped file as it happens.
pub fn build(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    on_skip: &mut dyn FnMut(&Skipped),
) -> Result<BuildReport> {
    build_with(
        corpus,
        index_dir,
        BuildOptions {
            rebuild,
            on_skip,
            on_progress: &mut |_, _| {},
            on_phase: &mut |_| {},
            lock: None,
            read: notice::ReadOptions::default(),
        },
    )
}

/// Bring the index in `index_dir` up to date with `corpus`.
pub fn build_with(corpus: &Path, index_dir: &Path, opts: BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let corpus_shown = corpus.display().to_string();
    let meta = std::fs::metadata(corpus).map_err(|e| Error::Corpus {
        path: corpus_shown.clone(),
        reason: e.to_string(),
    })?;
    if !meta.is_dir() {
        return Err(Error::Corpus {
            path: corpus_shown,
            reason: "not a folder".into(),
        });
    }
    let _lock = match opts.lock {
        Some(l) => l,
        None => lock_writer(index_dir)?,
    };
    let result = update(
        corpus,
        index_dir,
        opts.rebuild,
        opts.on_skip,
        opts.on_progress,
        opts.on_phase,
        opts.read,
    );
    let Err(e) = result else {
        return result.map(|mut r| {
            r.seconds = elapsed_secs(start.elapsed());
            r
        });
    };
    // A failed run leaves the last commit as it was; its new segment files
    // are nobody's, and on a full disk they are what keeps it full.
    let full = is_disk_full(&e) || fs4::available_space(index_dir).is_ok_and(|n| n < 64 * 1024);
    folder::remove_partial_files(index_dir);
    Err(if full {
        Error::DiskFull {
            path: index_dir.display().to_string(),
            detail: e.to_string(),
        }
    } else {
        e
    })
}

/// True when `e` comes from a full disk (or an exhausted quota).
fn is_disk_full(e: &Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && (io.kind() == std::io::ErrorKind::StorageFull
                || io.kind() == std::io::ErrorKind::QuotaExceeded)
        {
            return true;
        }
        cur = err.source();
    }
    // tantivy's indexing threads lose the io::Error; only its text is left
    let text = e.to_string();
    text.contains("No space left on device") || text.contains("Disk quota exceeded")
}

/// One run of `index` under the writers' lock.
fn update(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    on_skip: &mut dyn FnMut(&Skipped),
    on_progress: &mut dyn FnMut(usize, usize),
    on_phase: &mut dyn FnMut(Phase),
    reading: notice::ReadOptions,
) -> Result<BuildReport> {
    on_phase(Phase::Reading);
    folder::remove_stale_temp_files(index_dir)?;
    let Opened {
        index,
        fields,
        rebuild,
        damaged,
    } = open_or_create(index_dir, rebuild)?;
    let counts: analysis::SharedCounts = Arc::new(Mutex::new(WordCounts::default()));
    analysis::register_counting(index.tokenizers(), Some(counts.clone()));

    let old = if rebuild {
        Manifest::default()
    } else {
        load_manifest(index_dir, &index, &fields)?
    };
    let mut report = BuildReport {
        rebuilt: rebuild,
        damaged,
        corpus: corpus.display().to_string(),
        index: index_dir.display().to_string(),
        ..BuildReport::default()
    };
    let mut skip = |report: &mut BuildReport, path: String, reason: String| {
        let s = Skipped { path, reason };
        on_skip(&s);
        report.skipped_files.push(s);
        report.skipped += 1;
    };
    let mut walk_skips = Vec::new();
    let walked = walk(corpus, "the corpus", &[index_dir], &mut |p, r| {
        walk_skips.push((p, r));
    });
    for (p, r) in walk_skips {
        let r = if walked.unreadable.contains(&p) {
            format!("{r}; its notices stay in the index")
        } else {
            r
        };
        skip(&mut report, p, r);
    }

    // Decide what to do with every file.
    let present: std::collections::HashSet<&str> =
        walked.files.iter().map(|f| f.rel.as_str()).collect();
    let mut files: BTreeMap<String, FileRecord> = BTreeMap::new();
    let mut gone: Vec<String> = Vec::new();
    for (rel, r) in &old.files {
        if present.contains(rel.as_str()) {
            continue;
        }
        if walked.hides(rel) {
            // In a folder that cannot be read now: not gone, kept as it was.
            report.unchanged += 1;
            files.insert(rel.clone(), r.clone());
        } else {
            gone.push(rel.clone());
        }
    }
    // (file, its bytes and hash when already read, whether it was indexed)
    type Todo = (Found, Option<(Vec<u8>, u64)>, bool);
    let mut todo: Vec<Todo> = Vec::new();
    let mut skipped_now: BTreeMap<String, SkipRecord> = BTreeMap::new();
    for f in walked.files {
        if let Some(r) = old.skipped.get(&f.rel)
            && r.state.size == f.size
            && r.state.mtime == f.mtime
            && (r.ocr || !reading.ocr)
        {
            skip(
                &mut report,
                f.rel.clone(),
                format!("{} (unchanged since it was last read)", r.reason),
            );
            skipped_now.insert(f.rel, r.clone());
            continue;
        }
        match old.files.get(&f.rel) {
            Some(r)
                if r.state.size == f.size
                    && r.state.mtime == f.mtime
                    && !(reading.ocr && r.ocr_pending) =>
            {
                report.unchanged += 1;
                files.insert(f.rel.clone(), r.clone());
            }
            Some(r) => match notice::read_file(&f.path) {
                Ok(bytes) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
                    if hash == r.state.hash
                        && bytes.len() as u64 == r.state.size
                        && !(reading.ocr && r.ocr_pending)
                    {
                        report.unchanged += 1;
                        let mut r = r.clone();
                        r.state.mtime = f.mtime;
                        files.insert(f.rel.clone(), r);
                    } else {
                        todo.push((f, Some((bytes, hash)), true));
                    }
                }
                Err(notice::SkipReason::Io(e)) => {
                    // Exists but cannot be read now: keep what was indexed.
                    report.unchanged += 1;
                    files.insert(f.rel.clone(), r.clone());
                    skip(&mut report, f.rel, kept_reason(&e));
                }
                // too large now: the loop below reports it and removes it
                Err(_) => todo.push((f, None, true)),
            },
            None => todo.push((f, None, false)),
        }
    }

    if !rebuild && todo.is_empty() && gone.is_empty() && skipped_now.len() == old.skipped.len() {
        let totals = files
            .values()
            .fold((0, 0), |a, r| (a.0 + r.notices, a.1 + r.sections));
        report.indexed = totals.0;
        report.sections = totals.1;
        // An index written before the verified record existed gets one now.
        let _ = super::check::record_verified(index_dir, &index);
        return Ok(report);
    }

    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_options(
        IndexWriterOptions::builder()
            .num_worker_threads(2)
            .memory_budget_per_thread(WRITER_MEMORY / 2)
            // one merge at a time: a merge's memory comes on top of the writers'
            .num_merge_threads(1)
            .build(),
    )?;
    writer.set_merge_policy(Box::new(merge_policy()));
    if rebuild {
        writer.delete_all_documents()?;
    }
    // Files gone from the corpus.
    for rel in &gone {
        writer.delete_term(Term::from_field_text(fields.file, rel));
        report.removed += 1;
    }
    let total = todo.len();
    on_phase(Phase::Writing);
    for (done, (f, read, was_indexed)) in todo.into_iter().enumerate() {
        on_progress(done, total);
        let (bytes, hash) = match read {
            Some(x) => x,
            None => match notice::read_file(&f.path) {
                Ok(b) => {
                    let h = xxhash_rust::xxh3::xxh3_64(&b);
                    (b, h)
                }
                Err(notice::SkipReason::Io(e)) if was_indexed => {
                    // Exists but cannot be read now: keep what was indexed.
                    if let Some(r) = old.files.get(&f.rel) {
                        report.unchanged += 1;
                        files.insert(f.rel.clone(), r.clone());
                    }
                    skip(&mut report, f.rel, kept_reason(&e));
                    continue;
                }
                Err(e) => {
                    if was_indexed {
                        writer.delete_term(Term::from_field_text(fields.file, &f.rel));
                        report.removed += 1;
                    }
                    skip(&mut report, f.rel, e.to_string());
                    continue;
                }
            },
        };
        if was_indexed {
            writer.delete_term(Term::from_field_text(fields.file, &f.rel));
        }
        let state = FileState {
            size: bytes.len() as u64,
            mtime: f.mtime,
            hash,
        };
        match notice::parse_bytes_with(&bytes, &f.rel, FileKind::of(&f.path), reading) {
            Ok(parsed) => {
                // pages without text left unread because OCR was not asked for
                let ocr_pending = !reading.ocr
                    && parsed.notices.iter().any(|n| {
                        n.extraction
                            .as_ref()
                            .is_some_and(|x| !x.blank_pages.is_empty())
                    });
                let mut rec = FileRecord {
                    state,
                    notices: 0,
                    sections: 0,
                    ocr_pending,
                };
                for n in &parsed.notices {
                    let head = HeadState {
                        state,
                        sections: n.sections.len(),
                        ocr_pending,
                    };
                    let mut docs = fields.documents(n, &f.rel);
                    if let Some(d) = docs.first_mut() {
                        d.add_text(
                            fields.file_state,
                            serde_json::to_string(&head).unwrap_or_default(),
                        );
                    }
                    rec.sections += docs.len();
                    // one batch: a notice's sections land in one segment as
                    // consecutive documents, so a search can seek to them
                    writer.run(docs.into_iter().map(UserOperation::Add))?;
                    rec.notices += 1;
                }
                for s in parsed.skipped {
                    skip(&mut report, s.path, s.reason.to_string());
                }
                if rec.notices > 0 {
                    if was_indexed {
                        report.updated += 1;
                    } else {
                        report.added += 1;
                    }
                    files.insert(f.rel, rec);
                } else if was_indexed {
                    report.removed += 1;
                }
            }
            Err(e) => {
                if was_indexed {
                    report.removed += 1;
                }
                let reason = e.to_string();
                if !matches!(e, notice::SkipReason::Io(_)) {
                    let record = SkipRecord {
                        state,
                        reason: reason.clone(),
                        ocr: reading.ocr,
                    };
                    skipped_now.insert(f.rel.clone(), record);
                }
                skip(&mut report, f.rel, reason);
            }
        }
    }
    on_progress(total, total);
    on_phase(Phase::Committing);
    let opstamp = writer.commit()?;
    on_phase(Phase::Merging);
    writer.wait_merging_threads()?;
    if rebuild {
        merge_leftovers(&index)?;
    }

    on_phase(Phase::Finishing);
    let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
    QueryDict::write(index_dir, &counts, !rebuild)?;
    let manifest = Manifest {
        opstamp,
        files,
        skipped: skipped_now,
    };
    write_manifest(index_dir, &manifest)?;
    let totals = manifest
        .files
        .values()
        .fold((0, 0), |a, r| (a.0 + r.notices, a.1 + r.sections));
    report.indexed = totals.0;
    report.sections = totals.1;
    write_stamp(
        index_dir,
        &Stamp {
            gongwen: env!("CARGO_PKG_VERSION").to_string(),
            analyzer: analysis::ANALYZER_VERSION,
            schema: super::SCHEMA_VERSION,
            reader: crate::notice::READER_VERSION,
            // Absolute, so the repair command a damaged index gives works
            // from any working folder.
            corpus: std::path::absolute(corpus)
                .unwrap_or_else(|_| corpus.to_path_buf())
                .display()
                .to_string(),
            notices: report.indexed,
            sections: report.sections,
        },
    )?;
    // Only saves readers from re-reading files: without it they verify more.
    let _ = super::check::record_verified(index_dir, &index);
    Ok(report)
}

/// Why a file that exists but cannot be read now was left as it was.
fn kept_reason(e: &std::io::Error) -> String {
    format!("cannot read: {e}; its notices stay in the index")
}

fn elapsed_secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Phases in the order a run enters them.
    fn phases(corpus: &Path, index_dir: &Path) -> Vec<Phase> {
        let mut seen = Vec::new();
        build_with(
            corpus,
            index_dir,
            BuildOptions {
                rebuild: false,
                on_skip: &mut |_| {},
                on_progress: &mut |_, _| {},
                on_phase: &mut |p| seen.push(p),
                lock: None,
                read: notice::ReadOptions::default(),
            },
        )
        .expect("build");
        seen
    }

    #[test]
    fn phases_are_reported_in_order_and_an_unchanged_run_only_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        let seed = include_str!("../../corpus/001_8141e087f3230e59.txt");
        std::fs::write(corpus.join("a.txt"), seed).expect("write notice");
        let index_dir = dir.path().join("index");
        use Phase::*;
        assert_eq!(
            phases(&corpus, &index_dir),
            [Reading, Writing, Committing, Merging, Finishing]
        );
        assert_eq!(phases(&corpus, &index_dir), [Reading]);
    }
}
