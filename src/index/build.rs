//! Building the index from a corpus folder.
//!
//! Every file is parsed on its own: a file that cannot be read or is not text
//! is reported and skipped, never aborting the run; so is a broken record of a
//! crawler export, whose other records are indexed. All documents of a build
//! land in a single tantivy commit, so an interrupted build leaves the previous
//! commit — the last good index — in place.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::{Index, IndexWriter, TantivyDocument};
use walkdir::WalkDir;

use super::{Fields, Stamp, exists, read_stamp, write_stamp};
use crate::analysis;
use crate::error::{Error, Result};
use crate::notice;

/// Memory budget of the index writer, shared by its threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// A file that was not indexed, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The file (relative to the corpus root where possible).
    pub path: String,
    /// What was wrong with it.
    pub reason: String,
}

/// What a build did.
#[derive(Clone, Debug, Serialize)]
pub struct BuildReport {
    /// Notices indexed.
    pub indexed: usize,
    /// Sections indexed.
    pub sections: usize,
    /// Number of files skipped.
    pub skipped: usize,
    /// The files skipped, with reasons.
    pub skipped_files: Vec<Skipped>,
    /// Wall-clock time of the build in seconds.
    pub seconds: f64,
    /// The corpus folder.
    pub corpus: String,
    /// The index folder.
    pub index: String,
}

/// The path of `file` relative to `root`, with `/` separators.
pub fn relative_path(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn open_or_create(dir: &Path, rebuild: bool) -> Result<(Index, Fields)> {
    let shown = dir.display().to_string();
    let reusable = exists(dir) && !rebuild && read_stamp(dir).is_some_and(|s| s.matches_binary());
    if reusable {
        let index = Index::open_in_dir(dir)?;
        if let Some(fields) = Fields::from_schema(&index.schema()) {
            analysis::register(index.tokenizers());
            return Ok((index, fields));
        }
    }
    if exists(dir) {
        // An index of another schema cannot be updated in place: start anew.
        // Only tantivy's and gongwen's own files are removed.
        remove_index_files(dir)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {shown}"), e))?;
    let (schema, fields) = Fields::build();
    let index = Index::create_in_dir(dir, schema)?;
    analysis::register(index.tokenizers());
    Ok((index, fields))
}

fn remove_index_files(dir: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name == super::STAMP_FILE
            || name.ends_with(".idx")
            || name.ends_with(".pos")
            || name.ends_with(".term")
            || name.ends_with(".store")
            || name.ends_with(".fast")
            || name.ends_with(".fieldnorm")
            || name.ends_with(".del");
        if ours {
            std::fs::remove_file(e.path())
                .map_err(|err| Error::io(format!("removing {}", e.path().display()), err))?;
        }
    }
    Ok(())
}

/// Build (or rebuild) the index in `index_dir` from every notice under
/// `corpus`. `on_skip` is told about each skipped file as it happens.
pub fn build(
    corpus: &Path,
    index_dir: &Path,
    rebuild: bool,
    on_skip: &mut dyn FnMut(&Skipped),
) -> Result<BuildReport> {
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
    let (index, fields) = open_or_create(index_dir, rebuild)?;
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(2, WRITER_MEMORY)?;
    writer.delete_all_documents()?;

    let mut report = BuildReport {
        indexed: 0,
        sections: 0,
        skipped: 0,
        skipped_files: Vec::new(),
        seconds: 0.0,
        corpus: corpus.display().to_string(),
        index: index_dir.display().to_string(),
    };
    let mut skip = |report: &mut BuildReport, path: String, reason: String| {
        let s = Skipped { path, reason };
        on_skip(&s);
        report.skipped_files.push(s);
        report.skipped += 1;
    };
    let walker = WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative_path(corpus, p))
                    .unwrap_or_else(|| corpus_shown.clone());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), std::string::ToString::to_string)
                };
                skip(&mut report, path, reason);
                continue;
            }
        };
        if !entry.file_type().is_file() || !notice::is_notice_file(entry.path()) {
            continue;
        }
        let rel = relative_path(corpus, entry.path());
        match notice::parse_file(entry.path(), &rel) {
            Ok(parsed) => {
                // A notice's id is its path: the file's, or `file#N` for a
                // record of a crawler export.
                for n in &parsed.notices {
                    for d in fields.documents(n, &n.path) {
                        writer.add_document(d)?;
                        report.sections += 1;
                    }
                    report.indexed += 1;
                }
                for s in parsed.skipped {
                    skip(&mut report, s.path, s.reason.to_string());
                }
            }
            Err(e) => skip(&mut report, rel, e.to_string()),
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
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
    report.seconds = elapsed_secs(start.elapsed());
    Ok(report)
}

fn elapsed_secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}
