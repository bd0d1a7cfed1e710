//! `add`: copy notice files into the corpus folder and update the index in
//! one step. Every file is checked before anything is copied, so a refused
//! add changes nothing; copies are written beside their destination and
//! renamed into place, so no reader ever sees half a file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Observer, corpus_dir, index_dir};
use crate::error::{Error, Result};
use crate::index::{self, BuildReport, Skipped};
use crate::notice;

/// What to add where.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddParams {
    /// Notice files, or folders of them (copied with their folder name).
    pub paths: Vec<PathBuf>,
    /// The corpus folder to copy into (default: see [`corpus_dir`]).
    pub corpus: Option<PathBuf>,
    /// The index to update (default: see [`index_dir`]).
    pub index: Option<PathBuf>,
    /// Replace a different file of the same name already in the corpus.
    pub force: bool,
    /// Read PDFs without a text layer by OCR (as `index --ocr`).
    pub ocr: bool,
}

/// What an add did.
#[derive(Clone, Debug, Serialize)]
pub struct AddReport {
    /// Files newly copied (or replaced) into the corpus.
    pub copied: usize,
    /// Files given (after walking folders), identical ones included.
    pub files: usize,
    /// The index update that followed.
    #[serde(flatten)]
    pub build: BuildReport,
}

/// Copy the files into the corpus and bring the index up to date.
pub fn add(p: &AddParams, obs: &mut dyn Observer) -> Result<AddReport> {
    let corpus = corpus_dir(p.corpus.clone());
    let index_dir = index_dir(p.index.clone());
    std::fs::create_dir_all(&corpus).map_err(|e| {
        Error::io(
            format!("cannot create the corpus folder {}", corpus.display()),
            e,
        )
    })?;
    let real_corpus = corpus.canonicalize().map_err(|e| {
        Error::io(
            format!("cannot read the corpus folder {}", corpus.display()),
            e,
        )
    })?;
    let plan = plan(p, &corpus, &real_corpus, &index_dir, obs)?;
    // Take the writers' lock before touching the corpus: a refused add
    // copies nothing.
    let lock = index::lock_writer(&index_dir)?;
    let mut copied = 0;
    for (src, dest) in &plan {
        if copy_notice(src, dest, &real_corpus, p.force)? {
            copied += 1;
        }
    }
    obs.note(&format!(
        "copied {copied} of {} file{} into {}",
        plan.len(),
        if plan.len() == 1 { "" } else { "s" },
        corpus.display()
    ));
    let build = super::build(
        &corpus,
        &index_dir,
        false,
        Some(lock),
        super::reading(p.ocr, obs),
        obs,
    )?;
    Ok(AddReport {
        copied,
        files: plan.len(),
        build,
    })
}

fn refuse(path: &Path, reason: impl Into<String>) -> Error {
    Error::Add {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Every (source, destination) pair to copy, checked: sources exist and are
/// regular files or folders, none is the corpus or an index, and no
/// destination holds different content (unless `force`).
fn plan(
    p: &AddParams,
    corpus: &Path,
    real_corpus: &Path,
    index_dir: &Path,
    obs: &mut dyn Observer,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut plan: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in &p.paths {
        let md = std::fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => refuse(path, "no such file or folder"),
            _ => refuse(path, format!("cannot read: {e}")),
        })?;
        let real = path
            .canonicalize()
            .map_err(|e| refuse(path, format!("cannot read: {e}")))?;
        if real.starts_with(real_corpus) {
            return Err(refuse(
                path,
                format!(
                    "is the corpus folder {} or lies inside it: its notices are in the corpus already (`gongwen index` indexes them)",
                    corpus.display()
                ),
            ));
        }
        if md.is_dir() && index::is_index_folder(path) {
            return Err(refuse(
                path,
                "is a gongwen index folder, not a folder of notices",
            ));
        }
        if md.is_dir() {
            let base = real.file_name().map(PathBuf::from).unwrap_or_default();
            // The corpus and the index may lie inside the folder (`add .`):
            // they are passed over, not copied into themselves.
            let mut on_skip = |path: String, reason: String| {
                obs.skipped(&Skipped { path, reason });
            };
            let walked = index::walk(
                path,
                "the folder being added",
                &[corpus, index_dir],
                &mut on_skip,
            );
            for f in walked.files {
                let rel = f.path.strip_prefix(path).unwrap_or(&f.path);
                plan.push((f.path.clone(), corpus.join(&base).join(rel)));
            }
        } else if md.is_file() {
            let name = path
                .file_name()
                .ok_or_else(|| refuse(path, "has no file name"))?;
            if md.len() > notice::MAX_FILE_BYTES {
                return Err(refuse(path, notice::SkipReason::TooLarge.to_string()));
            }
            plan.push((path.clone(), corpus.join(name)));
        } else {
            // Never read: a device or a pipe may never end or never answer.
            return Err(refuse(
                path,
                format!(
                    "not a regular file ({}); only notice files and folders of them can be added",
                    special_kind(md.file_type())
                ),
            ));
        }
    }
    if !p.force {
        for (src, dest) in &plan {
            if dest.exists() && notice::read_file(src).ok() != notice::read_file(dest).ok() {
                return Err(Error::AddConflict {
                    path: dest.display().to_string(),
                });
            }
        }
    }
    Ok(plan)
}

/// Copy one notice file to `dest` inside the corpus `real_corpus`
/// (canonical): identical content is a no-op, different content under the
/// same name is refused unless `force`. Returns whether it copied.
fn copy_notice(src: &Path, dest: &Path, real_corpus: &Path, force: bool) -> Result<bool> {
    let bytes = notice::read_file(src).map_err(|e| refuse(src, format!("cannot copy: {e}")))?;
    if dest.exists() {
        let old = notice::read_file(dest)
            .map_err(|e| refuse(dest, format!("cannot compare with it: {e}")))?;
        if old == bytes {
            return Ok(false);
        }
        if !force {
            return Err(Error::AddConflict {
                path: dest.display().to_string(),
            });
        }
    }
    let parent = dest.parent().ok_or_else(|| refuse(dest, "has no folder"))?;
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    // A folder of the corpus may be a link out of it: writing through it
    // would put the copy anywhere on the disk.
    let real_parent = parent
        .canonicalize()
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    if !real_parent.starts_with(real_corpus) {
        return Err(refuse(
            dest,
            format!(
                "cannot copy here: {} leads out of the corpus (to {})",
                parent.display(),
                real_parent.display()
            ),
        ));
    }
    // Write beside, then rename: a reader never sees half a file. The
    // temporary file gets a fresh name, created exclusively, so a link
    // planted under a predictable name cannot redirect the write.
    let mut tmp = tempfile::Builder::new()
        .prefix(".")
        .suffix(".gongwen-partial")
        .tempfile_in(parent)
        .map_err(|e| Error::io(format!("cannot write in {}", parent.display()), e))?;
    tmp.write_all(&bytes)
        .map_err(|e| Error::io(format!("cannot write {}", tmp.path().display()), e))?;
    // The copy is as readable as its source (a temporary file is private).
    if let Ok(md) = std::fs::metadata(src) {
        let _ = tmp.as_file().set_permissions(md.permissions());
    }
    tmp.persist(dest)
        .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e.error))?;
    Ok(true)
}

/// What kind of thing a path that is neither a file nor a folder is.
fn special_kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_fifo() {
            return "a named pipe";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    let _ = ft;
    "not a file or folder"
}
