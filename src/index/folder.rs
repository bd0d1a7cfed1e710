//! The index folder is gongwen's own: what may be written into it, which of
//! its files gongwen may remove, and how its small files are replaced.
//!
//! A user can point `--index` anywhere, including at a folder full of their
//! own files (a crawler export with a `meta.json`, the corpus itself). gongwen
//! writes only into a folder that is absent, empty, or marked as its own, and
//! it removes only files it recognises as tantivy's or its own in such a
//! folder — never by extension alone in a foreign one. The mark
//! ([`OWNER_FILE`]) is written under the writers' lock before any tantivy
//! file, so a first build killed half-way still leaves a folder gongwen
//! recognises.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use tantivy::Index;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, INDEX_WRITER_LOCK, Lock, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

use super::build::{LOCK_FILE, MANIFEST_FILE};
use super::{STAMP_FILE, check, querydict};
use crate::error::{Error, Result};

/// The mark that makes a folder gongwen's own index folder.
pub const OWNER_FILE: &str = "gongwen.owner";

const OWNER_TEXT: &str = "This folder is a gongwen index. gongwen writes here and may remove the files it created; keep other files elsewhere.\n";

/// Prefix and suffix of gongwen's temporary files in the index folder.
const TEMP_PREFIX: &str = ".gongwen-";
const TEMP_SUFFIX: &str = ".tmp";

/// What an index folder is, as far as writing into it goes.
#[derive(Debug, PartialEq)]
pub(crate) enum FolderState {
    /// Nothing there yet.
    Absent,
    /// An empty folder (or one holding only gongwen's lock file).
    Empty,
    /// gongwen's own index folder.
    Owned,
}

/// Whether gongwen may write an index into `dir`; a folder holding anything
/// gongwen did not write is refused with the reason.
pub(crate) fn state(dir: &Path) -> Result<FolderState> {
    let shown = dir.display().to_string();
    let refuse = |reason: String| Error::NotIndexFolder {
        path: shown.clone(),
        reason,
    };
    let md = match std::fs::metadata(dir) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FolderState::Absent),
        Err(e) => return Err(Error::io(format!("reading {shown}"), e)),
    };
    if !md.is_dir() {
        return Err(refuse("it is not a folder".into()));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let mut names = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(format!("reading {shown}"), e))?;
        names.push(e.file_name().to_string_lossy().into_owned());
    }
    if is_marked(dir) {
        return Ok(FolderState::Owned);
    }
    let has_lock = names.iter().any(|n| n == LOCK_FILE);
    // A placeholder that keeps an empty folder in version control (this
    // repository's own `index/` has one) does not make the folder someone's.
    let others: Vec<&String> = names
        .iter()
        .filter(|n| *n != LOCK_FILE && !PLACEHOLDERS.contains(&n.as_str()))
        .collect();
    if others.is_empty() {
        return Ok(FolderState::Empty);
    }
    // A first build of an older gongwen, killed before it wrote its stamp:
    // its lock file and nothing but tantivy's files.
    if has_lock && others.iter().all(|n| is_tantivy_file(n)) {
        return Ok(FolderState::Owned);
    }
    let mut sample: Vec<String> = others.iter().take(3).map(|n| format!("{n:?}")).collect();
    if others.len() > 3 {
        sample.push("…".into());
    }
    Err(refuse(format!(
        "it holds {} file{} gongwen did not write ({})",
        others.len(),
        if others.len() == 1 { "" } else { "s" },
        sample.join(", ")
    )))
}

/// Files that keep an otherwise empty folder in version control.
const PLACEHOLDERS: &[&str] = &[".gitkeep", ".keep"];

/// True when `dir` is marked as a gongwen index: it holds the ownership mark,
/// or (an index of an older gongwen) a `gongwen.json` that is gongwen's stamp
/// — a JSON object naming the gongwen that wrote it. A crawler export that
/// happens to be called `gongwen.json` marks nothing.
pub(crate) fn is_marked(dir: &Path) -> bool {
    if dir.join(OWNER_FILE).is_file() {
        return true;
    }
    let path = dir.join(STAMP_FILE);
    // A stamp is a few hundred bytes: anything much larger is not one.
    let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 64 * 1024);
    small
        && std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v.get("gongwen").is_some())
}

/// Mark `dir` (already locked by this process) as gongwen's own.
pub(crate) fn claim(dir: &Path) -> Result<()> {
    if dir.join(OWNER_FILE).exists() {
        return Ok(());
    }
    write_atomically(dir, OWNER_FILE, OWNER_TEXT.as_bytes())
}

/// The 32 hex digits tantivy names a segment's files with, when `name` is
/// one of them.
fn segment_id(name: &str) -> Option<&str> {
    let id = name.get(..32)?;
    let rest = &name[32..];
    if !id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let known = [
        ".idx",
        ".pos",
        ".term",
        ".store",
        ".store.temp",
        ".temp",
        ".fast",
        ".fieldnorm",
    ];
    let delete = rest
        .strip_prefix('.')
        .and_then(|r| r.strip_suffix(".del"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (known.contains(&rest) || delete).then_some(id)
}

/// True for a file tantivy writes into an index folder.
fn is_tantivy_file(name: &str) -> bool {
    [
        "meta.json",
        ".managed.json",
        ".tantivy-meta.lock",
        ".tantivy-writer.lock",
    ]
    .contains(&name)
        || segment_id(name).is_some()
}

/// True for one of gongwen's temporary files, current or of older versions.
fn is_gongwen_temp(name: &str) -> bool {
    // `.tmpXXXXXX`: tempfile's default name; gongwen's own files go through
    // `write_atomically`, but such debris in a gongwen-owned folder (the only
    // place this is looked for) is a temporary file all the same
    let default_temp = name
        .strip_prefix(".tmp")
        .is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    default_temp
        || (name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
        || [
            STAMP_FILE,
            MANIFEST_FILE,
            querydict::FILE,
            check::VERIFIED_FILE,
        ]
        .iter()
        .any(|f| name.strip_suffix(".tmp") == Some(f))
}

/// Remove every tantivy and gongwen file from the gongwen-owned folder `dir`,
/// keeping its lock and ownership mark: what a rebuild starts from.
pub(crate) fn remove_index_files(dir: &Path) -> Result<()> {
    remove_where(dir, |name| {
        is_tantivy_file(name)
            || is_gongwen_temp(name)
            || [
                STAMP_FILE,
                MANIFEST_FILE,
                querydict::FILE,
                check::VERIFIED_FILE,
            ]
            .contains(&name)
    })
}

/// Remove temporary files a killed run left behind; the caller holds the
/// writers' lock, so none of them is being written.
pub(crate) fn remove_stale_temp_files(dir: &Path) -> Result<()> {
    remove_where(dir, is_gongwen_temp)
}

/// After a failed write: remove the segment files no commit refers to and
/// gongwen's temporary files, so they do not keep the disk full. Nothing is
/// removed when the last commit cannot be read (its files cannot be told
/// apart from the rest then).
pub(crate) fn remove_partial_files(dir: &Path) {
    let live: Option<HashSet<String>> = Index::open_in_dir(dir)
        .and_then(|i| i.searchable_segment_metas())
        .ok()
        .map(|metas| metas.iter().map(|m| m.id().uuid_string()).collect());
    let _ = remove_where(dir, |name| {
        is_gongwen_temp(name)
            || match (&live, segment_id(name)) {
                (Some(live), Some(id)) => !live.contains(id),
                _ => false,
            }
    });
}

fn remove_where(dir: &Path, remove: impl Fn(&str) -> bool) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    for e in entries.flatten() {
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        // never descend into, or remove, a folder
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir && remove(&name) {
            match std::fs::remove_file(e.path()) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => {
                    return Err(Error::io(format!("removing {}", e.path().display()), err));
                }
            }
        }
    }
    Ok(())
}

/// Replace `dir/name` with `bytes` all at once. The temporary file is created
/// exclusively under a fresh random name, so a planted file or link cannot
/// redirect the write, and renamed over the target, so a reader (or a run
/// killed half-way) sees the old or the new content, never half of it.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let fail = |e: std::io::Error| Error::io(format!("writing {}", target.display()), e);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Open the index in `dir` for reading. Readers take tantivy's meta lock
/// (a file in the folder) while they open segments; in a folder this process
/// cannot write — a read-only mount, another user's index — there is no
/// writer of ours to guard against, so the lock is skipped rather than
/// failing the search.
pub(crate) fn open_for_reading(dir: &Path) -> tantivy::Result<Index> {
    let inner = MmapDirectory::open(dir)?;
    Index::open(ReadDirectory { inner })
}

/// tantivy's memory-mapped folder, minus the need to write a lock to read.
#[derive(Clone, Debug)]
struct ReadDirectory {
    inner: MmapDirectory,
}

impl Directory for ReadDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<std::sync::Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn open_read(&self, path: &Path) -> Result<tantivy::directory::FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath != INDEX_WRITER_LOCK.filepath
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::PermissionDenied
                            | std::io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_names_are_recognised_and_user_names_are_not() {
        let id = "0123456789abcdef0123456789abcdef";
        for ok in [
            ".idx",
            ".pos",
            ".store",
            ".fast",
            ".fieldnorm",
            ".term",
            ".7.del",
        ] {
            assert!(is_tantivy_file(&format!("{id}{ok}")), "{ok}");
        }
        for not in [
            "notes.idx",
            "data.store",
            "x.del",
            "meta.json.bak",
            "0123.idx",
        ] {
            assert!(!is_tantivy_file(not), "{not}");
        }
        assert!(!is_tantivy_file(&format!("{id}.7x.del")));
        assert!(is_gongwen_temp("manifest.json.tmp"));
        assert!(is_gongwen_temp(".gongwen-abc.tmp"));
        assert!(!is_gongwen_temp("other.tmp"));
        assert!(is_gongwen_temp(".tmpA1b2C3"));
        assert!(!is_gongwen_temp(".tmp-notes"));
    }
}
