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
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};
use walkdir::WalkDir;

use super::querydict::QueryDict;
use super::{Fields, FileState, Stamp, exists, read_stamp, write_stamp};
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
fn merge_policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_min_num_segments(4);
    p.set_max_docs_before_merge(250_000);
    p
}

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
    /// The files skipped, with reasons.
    pub skipped_files: Vec<Skipped>,
    /// Wall-clock time of the run in seconds.
    pub seconds: f64,
    /// The corpus folder.
    pub corpus: String,
    /// The index folder.
    pub index: String,
}

/// How a run reports as it goes.
pub struct BuildOptions<'a> {
    /// Discard the index and build it anew.
    pub rebuild: bool,
    /// Told about each skipped file as it happens.
    pub on_skip: &'a mut dyn FnMut(&Skipped),
    /// Told `(files done, files to do)` as files are processed.
    pub on_progress: &'a mut dyn FnMut(usize, usize),
    /// The writers' lock when the caller already holds it (`add` takes it
    /// before copying files).
    pub lock: Option<WriterLock>,
}

/// The recorded state of one indexed file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct FileRecord {
    #[serde(flatten)]
    state: FileState,
    notices: usize,
    sections: usize,
}

/// The file record and the commit it belongs to.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    opstamp: u64,
    files: BTreeMap<String, FileRecord>,
}

/// What a notice's head section stores about its file.
#[derive(Serialize, Deserialize)]
struct HeadState {
    #[serde(flatten)]
    state: FileState,
    sections: usize,
}

/// The path of `file` relative to `root`, with `/` separators.
pub fn relative_path(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {shown}"), e))?;
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy { path: shown }),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::io(format!("locking {}", path.display()), e))
        }
    }
}

fn open_or_create(dir: &Path, rebuild: bool) -> Result<(Index, Fields, bool)> {
    let reusable = exists(dir) && read_stamp(dir).is_some_and(|s| s.matches_binary());
    if reusable {
        let index = Index::open_in_dir(dir)?;
        if let Some(fields) = Fields::from_schema(&index.schema()) {
            return Ok((index, fields, rebuild));
        }
    }
    if exists(dir) {
        // An index of another schema cannot be updated in place: start anew.
        // Only tantivy's and gongwen's own files are removed.
        remove_index_files(dir)?;
    }
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
    Ok((index, fields, true))
}

fn remove_index_files(dir: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let ours = [
            "meta.json",
            ".managed.json",
            super::STAMP_FILE,
            MANIFEST_FILE,
            super::querydict::FILE,
        ]
        .contains(&name.as_str())
            || [
                ".idx",
                ".pos",
                ".term",
                ".store",
                ".fast",
                ".fieldnorm",
                ".del",
            ]
            .iter()
            .any(|x| name.ends_with(x));
        if ours {
            std::fs::remove_file(e.path())
                .map_err(|err| Error::io(format!("removing {}", e.path().display()), err))?;
        }
    }
    Ok(())
}

/// The file record of the index in `dir`: from the manifest when it belongs
/// to the index's last commit, otherwise read back from the index.
fn load_manifest(dir: &Path, index: &Index, fields: &Fields) -> Result<Manifest> {
    let opstamp = index.load_metas()?.opstamp;
    if let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST_FILE))
        && let Ok(m) = serde_json::from_str::<Manifest>(&text)
        && m.opstamp == opstamp
    {
        return Ok(m);
    }
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let heads = searcher.search(
        &TermQuery::new(
            Term::from_field_u64(fields.sec, 0),
            IndexRecordOption::Basic,
        ),
        &DocSetCollector,
    )?;
    let mut m = Manifest {
        opstamp,
        files: BTreeMap::new(),
    };
    for addr in heads {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let file = doc.get_first(fields.file).and_then(|v| v.as_str());
        let state = doc
            .get_first(fields.file_state)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str::<HeadState>(s).ok());
        if let (Some(file), Some(h)) = (file, state) {
            let r = m.files.entry(file.to_string()).or_insert(FileRecord {
                state: h.state,
                notices: 0,
                sections: 0,
            });
            r.notices += 1;
            r.sections += h.sections;
        }
    }
    Ok(m)
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let path = dir.join(MANIFEST_FILE);
    let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
    let json = serde_json::to_vec(m).unwrap_or_default();
    std::fs::write(&tmp, json).map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// A notice file found in the corpus.
struct Found {
    path: PathBuf,
    rel: String,
    size: u64,
    mtime: i64,
}

/// Every notice file under `corpus`, in name order; unreadable entries and
/// link loops are reported through `skip`.
fn scan(corpus: &Path, skip: &mut dyn FnMut(String, String)) -> Vec<Found> {
    let mut out = Vec::new();
    for entry in WalkDir::new(corpus).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(
                    || corpus.display().to_string(),
                    |p| relative_path(corpus, p),
                );
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), std::string::ToString::to_string)
                };
                skip(path, reason);
                continue;
            }
        };
        if !entry.file_type().is_file() || !notice::is_notice_file(entry.path()) {
            continue;
        }
        let rel = relative_path(corpus, entry.path());
        match entry.metadata() {
            Ok(md) => {
                let mtime = md
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
                out.push(Found {
                    path: entry.path().to_path_buf(),
                    rel,
                    size: md.len(),
                    mtime,
                });
            }
            Err(e) => skip(rel, format!("cannot read: {e}")),
        }
    }
    out
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
            lock: None,
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
    let (index, fields, rebuild) = open_or_create(index_dir, opts.rebuild)?;
    let counts: analysis::SharedCounts = Arc::new(Mutex::new(WordCounts::default()));
    analysis::register_counting(index.tokenizers(), Some(counts.clone()));

    let old = if rebuild {
        Manifest::default()
    } else {
        load_manifest(index_dir, &index, &fields)?
    };
    let mut report = BuildReport {
        rebuilt: rebuild,
        corpus: corpus.display().to_string(),
        index: index_dir.display().to_string(),
        ..BuildReport::default()
    };
    let on_skip = opts.on_skip;
    let mut skip = |report: &mut BuildReport, path: String, reason: String| {
        let s = Skipped { path, reason };
        on_skip(&s);
        report.skipped_files.push(s);
        report.skipped += 1;
    };
    let mut walk_skips = Vec::new();
    let found = scan(corpus, &mut |p, r| walk_skips.push((p, r)));
    for (p, r) in walk_skips {
        skip(&mut report, p, r);
    }

    // Decide what to do with every file.
    let present: std::collections::HashSet<&str> = found.iter().map(|f| f.rel.as_str()).collect();
    let gone: Vec<String> = old
        .files
        .keys()
        .filter(|k| !present.contains(&k[..]))
        .cloned()
        .collect();
    let mut files: BTreeMap<String, FileRecord> = BTreeMap::new();
    // (file, its bytes and hash when already read, whether it was indexed)
    type Todo = (Found, Option<(Vec<u8>, u64)>, bool);
    let mut todo: Vec<Todo> = Vec::new();
    for f in found {
        match old.files.get(&f.rel) {
            Some(r) if r.state.size == f.size && r.state.mtime == f.mtime => {
                report.unchanged += 1;
                files.insert(f.rel.clone(), r.clone());
            }
            Some(r) => match std::fs::read(&f.path) {
                Ok(bytes) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
                    if hash == r.state.hash && bytes.len() as u64 == r.state.size {
                        report.unchanged += 1;
                        let mut r = r.clone();
                        r.state.mtime = f.mtime;
                        files.insert(f.rel.clone(), r);
                    } else {
                        todo.push((f, Some((bytes, hash)), true));
                    }
                }
                // unreadable now: the loop below reports it and removes it
                Err(_) => todo.push((f, None, true)),
            },
            None => todo.push((f, None, false)),
        }
    }

    if !rebuild && todo.is_empty() && gone.is_empty() {
        let totals = files
            .values()
            .fold((0, 0), |a, r| (a.0 + r.notices, a.1 + r.sections));
        report.indexed = totals.0;
        report.sections = totals.1;
        report.seconds = elapsed_secs(start.elapsed());
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
    let on_progress = opts.on_progress;
    for (done, (f, read, was_indexed)) in todo.into_iter().enumerate() {
        on_progress(done, total);
        if was_indexed {
            writer.delete_term(Term::from_field_text(fields.file, &f.rel));
        }
        let (bytes, hash) = match read {
            Some(x) => x,
            None => match std::fs::read(&f.path) {
                Ok(b) => {
                    let h = xxhash_rust::xxh3::xxh3_64(&b);
                    (b, h)
                }
                Err(e) => {
                    if was_indexed {
                        report.removed += 1;
                    }
                    skip(&mut report, f.rel, format!("cannot read: {e}"));
                    continue;
                }
            },
        };
        let state = FileState {
            size: bytes.len() as u64,
            mtime: f.mtime,
            hash,
        };
        match notice::parse_bytes(&bytes, &f.rel, FileKind::of(&f.path)) {
            Ok(parsed) => {
                let mut rec = FileRecord {
                    state,
                    notices: 0,
                    sections: 0,
                };
                for n in &parsed.notices {
                    let head = HeadState {
                        state,
                        sections: n.sections.len(),
                    };
                    let docs = fields.documents(n, &n.path, &f.rel);
                    for (i, mut d) in docs.into_iter().enumerate() {
                        if i == 0 {
                            d.add_text(
                                fields.file_state,
                                serde_json::to_string(&head).unwrap_or_default(),
                            );
                        }
                        writer.add_document(d)?;
                        rec.sections += 1;
                    }
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
                skip(&mut report, f.rel, e.to_string());
            }
        }
    }
    on_progress(total, total);
    let opstamp = writer.commit()?;
    writer.wait_merging_threads()?;

    let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
    QueryDict::write(index_dir, &counts, !rebuild)?;
    let manifest = Manifest { opstamp, files };
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
            corpus: corpus.display().to_string(),
            notices: report.indexed,
            sections: report.sections,
        },
    )?;
    // Only saves readers from re-reading files: without it they verify more.
    let _ = super::check::record_verified(index_dir, &index);
    report.seconds = elapsed_secs(start.elapsed());
    Ok(report)
}

fn elapsed_secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}
