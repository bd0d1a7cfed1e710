//! The index: schema, open-or-create (always registering the analyzers),
//! building from a corpus folder, and the version stamp that keeps an index
//! from being read by a gongwen that would analyse queries differently.

mod build;
pub mod check;
mod folder;
pub mod inspect;
pub mod querydict;
mod schema;
pub mod sections;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

use build::MANIFEST_FILE;
pub use build::{
    BuildOptions, BuildReport, Phase, Skipped, WriterLock, build, build_with, lock_writer,
};
pub use build::{Found, Walk, relative_path, walk};
pub use folder::OWNER_FILE;
pub use schema::{Fields, FileState, HeadExtras, SCHEMA_VERSION, StoredSection, notice_key};

use crate::analysis;
use crate::error::{Error, Result};

/// Name of gongwen's own stamp file inside the index folder.
pub const STAMP_FILE: &str = "gongwen.json";

/// What gongwen records about an index beside tantivy's own files.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Stamp {
    /// The gongwen version that wrote the index.
    pub gongwen: String,
    /// Analyzer version (see [`analysis::ANALYZER_VERSION`]).
    pub analyzer: u32,
    /// Schema version (see [`SCHEMA_VERSION`]).
    pub schema: u32,
    /// Notice reader version (see [`crate::notice::READER_VERSION`]); 0 for
    /// an index written before it was recorded.
    #[serde(default)]
    pub reader: u32,
    /// The corpus folder the index was built from.
    pub corpus: String,
    /// Notices in the index.
    pub notices: usize,
    /// Sections in the index.
    pub sections: usize,
}

impl Stamp {
    fn versions(&self) -> String {
        format!("analyzer {} / schema {}", self.analyzer, self.schema)
    }
    fn current_versions() -> String {
        format!(
            "analyzer {} / schema {}",
            analysis::ANALYZER_VERSION,
            SCHEMA_VERSION
        )
    }
    fn matches_binary(&self) -> bool {
        self.analyzer == analysis::ANALYZER_VERSION && self.schema == SCHEMA_VERSION
    }
}

/// An open index ready for searching.
pub struct IndexHandle {
    /// The tantivy index.
    pub index: Index,
    /// A reader on its last commit.
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
    /// gongwen's stamp.
    pub stamp: Stamp,
    /// Where it lives.
    pub path: PathBuf,
    /// Words of the indexed corpus, for cutting queries without jieba.
    pub words: Option<querydict::QueryDict>,
    /// Searches read the notices of sections from tables kept in memory
    /// (a server's choice: see `search::keep_notice_tables`).
    pub notice_tables: bool,
}

/// True when `dir` is marked as a gongwen index folder (its ownership mark,
/// or the stamp of an older gongwen), whatever state its files are in.
pub fn is_index_folder(dir: &Path) -> bool {
    folder::is_marked(dir)
}

/// True when `dir` holds a gongwen index (at least a tantivy commit in a
/// folder gongwen marked as its own: a `meta.json` of someone else's is not
/// an index).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file() && folder::is_marked(dir)
}

/// The command that rebuilds the index in `dir` from the corpus it was built
/// from (named in its stamp when the stamp can be read), paths quoted for a
/// POSIX shell when they need it.
pub fn repair_command(dir: &Path) -> String {
    let index = shell_word(&dir.display().to_string());
    match read_stamp(dir) {
        Some(s) if !s.corpus.is_empty() => format!(
            "gongwen index --rebuild --corpus {} --index {index}",
            shell_word(&s.corpus)
        ),
        _ => format!("gongwen index --rebuild --index {index}"),
    }
}

/// `s` as one word for a POSIX shell: as it is when it holds only characters
/// no shell treats specially, otherwise in single quotes.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ',' | ':' | '@' | '=')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn read_stamp(dir: &Path) -> Option<Stamp> {
    let text = std::fs::read_to_string(dir.join(STAMP_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_stamp(dir: &Path, stamp: &Stamp) -> Result<()> {
    let json = serde_json::to_string_pretty(stamp).unwrap_or_default();
    write_atomically(dir, STAMP_FILE, json.as_bytes())
}

/// Replace the file `name` in the index folder `dir` with `bytes` at once,
/// through an exclusively created temporary file (a planted file or link of
/// the same name cannot redirect the write). For gongwen's own small files:
/// the stamp, the manifest, the query dictionary.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    folder::write_atomically(dir, name, bytes)
}

/// Open the index in `dir` and a reader on its last commit, once every file
/// of that commit is verified (see [`check`]); `None` when a writer committed
/// meanwhile (its garbage collection may remove the files just verified), so
/// the caller tries again on the new commit.
fn open_verified(dir: &Path) -> Result<Option<(Index, IndexReader)>> {
    check::shielded(dir, || {
        let as_damage = |e: tantivy::TantivyError| check::tantivy_damage(dir, e);
        // no write access needed: see folder::open_for_reading
        let index = folder::open_for_reading(dir).map_err(as_damage)?;
        analysis::register(index.tokenizers());
        let metas = index.load_metas().map_err(as_damage)?;
        let moved_on = || {
            index
                .load_metas()
                .is_ok_and(|now| now.opstamp != metas.opstamp)
        };
        let opened = check::verify_commit(dir, &index, &metas).and_then(|()| {
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(as_damage)
        });
        match opened {
            Ok(reader) => Ok(check::reader_matches(&reader, &metas).then_some((index, reader))),
            Err(Error::Damaged { .. }) if moved_on() => Ok(None),
            Err(e) => Err(e),
        }
    })
}

impl IndexHandle {
    /// Open the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<IndexHandle> {
        let shown = dir.display().to_string();
        if !exists(dir) {
            return Err(Error::NoIndex { path: shown });
        }
        let version_error = |found: String| Error::IndexVersion {
            path: shown.clone(),
            found,
            expected: Stamp::current_versions(),
        };
        let stamp = read_stamp(dir).ok_or_else(|| version_error("unknown".into()))?;
        if !stamp.matches_binary() {
            return Err(version_error(stamp.versions()));
        }
        // A commit may land between reading meta.json and opening the reader
        // (and its old files be collected): then verify the new commit.
        let mut attempts = 0;
        let (index, reader) = loop {
            attempts += 1;
            match open_verified(dir)? {
                Some(x) => break x,
                None if attempts < 5 => continue,
                None => {
                    return Err(Error::Damaged {
                        path: shown,
                        reason: "its last commit kept changing while it was opened".into(),
                    });
                }
            }
        };
        let fields =
            Fields::from_schema(&index.schema()).ok_or_else(|| version_error(stamp.versions()))?;
        Ok(IndexHandle {
            index,
            reader,
            fields,
            stamp,
            path: dir.to_path_buf(),
            words: Some(
                querydict::QueryDict::open(dir)?.ok_or_else(|| Error::Damaged {
                    path: dir.display().to_string(),
                    // Every index of this schema was written with one; cutting
                    // queries with jieba instead could silently miss hits.
                    reason: format!("{} is missing", querydict::FILE),
                })?,
            ),
            notice_tables: false,
        })
    }

    /// Cut query text into words the way the index's text was cut: against
    /// the index's query dictionary, or with jieba when there is none.
    pub fn query_words(&self, text: &str) -> Vec<String> {
        match &self.words {
            Some(d) => d.cut(&analysis::normalize(text)),
            None => analysis::query_words(text),
        }
    }
}
