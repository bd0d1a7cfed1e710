//! The application layer: every command gongwen offers as a typed operation,
//! `Params` in (serde, with defaults and validation inside) and a
//! `Serialize` report out. The CLI and the HTTP server are adapters over
//! these operations: they turn arguments or a request into `Params`, print
//! or send the report, and hold no search, filter or default logic of their
//! own. Nothing here parses arguments, prints or exits; long operations
//! report as they go through an [`Observer`].

pub mod add;
pub mod export;
pub mod inspect;
pub mod search;

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::index::{self, BuildReport, IndexHandle, Skipped, WriterLock};

/// The corpus folder when none is given (relative to the working directory).
pub const DEFAULT_CORPUS: &str = "corpus";
/// The index folder when none is given.
pub const DEFAULT_INDEX: &str = "index";
/// Environment variable naming the corpus folder.
pub const CORPUS_ENV: &str = "GONGWEN_CORPUS";
/// Environment variable naming the index folder.
pub const INDEX_ENV: &str = "GONGWEN_INDEX";

/// Told what a long operation is doing, as it happens.
pub trait Observer {
    /// Progress worth a line of its own (a first-use build starting, files
    /// copied); a quiet adapter may drop it.
    fn note(&mut self, _message: &str) {}
    /// Something the user must hear even when asking for quiet (an index
    /// that was damaged and rebuilt).
    fn warn(&mut self, _message: &str) {}
    /// A file or record was skipped.
    fn skipped(&mut self, _skipped: &Skipped) {}
    /// Files processed so far, of how many (during [`index::Phase::Writing`]).
    fn progress(&mut self, _done: usize, _total: usize) {}
    /// A build entered a new phase.
    fn phase(&mut self, _phase: index::Phase) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The corpus folder: the one given, else `$GONGWEN_CORPUS`, else `./corpus`.
pub fn corpus_dir(given: Option<PathBuf>) -> PathBuf {
    given
        .or_else(|| env_path(CORPUS_ENV))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS))
}

/// The index folder: the one given, else `$GONGWEN_INDEX`, else `./index`.
pub fn index_dir(given: Option<PathBuf>) -> PathBuf {
    given
        .or_else(|| env_path(INDEX_ENV))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
}

/// `gongwen index`: what to index where.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct IndexParams {
    /// Folder of notices (default: see [`corpus_dir`]).
    pub corpus: Option<PathBuf>,
    /// Index folder (default: see [`index_dir`]).
    pub index: Option<PathBuf>,
    /// Discard the existing index and build anew.
    pub rebuild: bool,
    /// Read PDFs without a text layer by OCR (when Tesseract is installed).
    pub ocr: bool,
}

/// Bring an index up to date with its corpus folder.
pub fn index(p: &IndexParams, obs: &mut dyn Observer) -> Result<BuildReport> {
    let corpus = corpus_dir(p.corpus.clone());
    let index = index_dir(p.index.clone());
    let read = reading(p.ocr, obs);
    build(&corpus, &index, p.rebuild, None, read, obs)
}

/// How a build reads files; with `ocr` asked for but not available here, a
/// warning says why (the run goes on without it).
fn reading(ocr: bool, obs: &mut dyn Observer) -> crate::notice::ReadOptions {
    if ocr && let Some(why) = crate::notice::ocr::unavailable() {
        obs.warn(&format!(
            "OCR is not available ({why}): PDFs without a text layer are skipped"
        ));
    }
    crate::notice::ReadOptions { ocr }
}

/// Run a build, reporting through `obs`; with `lock`, the caller already
/// holds the writers' lock.
fn build(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    lock: Option<WriterLock>,
    read: crate::notice::ReadOptions,
    obs: &mut dyn Observer,
) -> Result<BuildReport> {
    // Every callback needs the observer; they are never called at once.
    let obs = std::cell::RefCell::new(obs);
    let report = index::build_with(
        corpus,
        index_dir,
        index::BuildOptions {
            rebuild,
            on_skip: &mut |s| obs.borrow_mut().skipped(s),
            on_progress: &mut |done, total| obs.borrow_mut().progress(done, total),
            on_phase: &mut |phase| obs.borrow_mut().phase(phase),
            lock,
            read,
        },
    )?;
    if let Some(why) = &report.damaged {
        obs.borrow_mut().warn(&format!(
            "the index at {} was damaged ({why}): rebuilt it from {}",
            index_dir.display(),
            corpus.display()
        ));
    }
    Ok(report)
}

/// Where to search, for operations that read an index.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpenParams {
    /// The index folder; when none is given (and `$GONGWEN_INDEX` is not
    /// set), the default folder is built from the corpus on first use.
    pub index: Option<PathBuf>,
    /// The corpus folder a first-use build reads (default: see [`corpus_dir`]).
    pub corpus: Option<PathBuf>,
}

/// Open the index for reading. Only the default location is built on first
/// use (and rebuilt when an incompatible gongwen wrote it): an index named
/// explicitly that is missing is an error, never a surprise build.
pub fn open(p: &OpenParams, obs: &mut dyn Observer) -> Result<IndexHandle> {
    use crate::error::Error;
    if let Some(dir) = p.index.clone().or_else(|| env_path(INDEX_ENV)) {
        return IndexHandle::open(&dir);
    }
    let dir = PathBuf::from(DEFAULT_INDEX);
    match IndexHandle::open(&dir) {
        Err(e @ (Error::NoIndex { .. } | Error::IndexVersion { .. })) => {
            let corpus = corpus_dir(p.corpus.clone());
            let why = match e {
                Error::NoIndex { .. } => "no index yet",
                _ => "the index was built by an incompatible gongwen",
            };
            obs.note(&format!(
                "{why}: building {} from {} ...",
                dir.display(),
                corpus.display()
            ));
            let r = build(
                &corpus,
                &dir,
                true,
                None,
                crate::notice::ReadOptions::default(),
                obs,
            )?;
            obs.note(&format!(
                "indexed {} notices ({} sections) in {:.2} s",
                r.indexed, r.sections, r.seconds
            ));
            IndexHandle::open(&dir)
        }
        other => other,
    }
}
