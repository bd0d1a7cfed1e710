//! The library's error type. The binary adds context with anyhow.

/// Errors the library reports to its caller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the given location.
    #[error("no index at {path}: build one with `gongwen index --index {path}`")]
    NoIndex {
        /// Where the index was looked for.
        path: String,
    },
    /// The index was written by a gongwen whose analyzer or schema differs.
    #[error(
        "the index at {path} was built with analyzer/schema {found}, this gongwen uses {expected}: rebuild it with `gongwen index --rebuild --index {path}`"
    )]
    IndexVersion {
        /// Where the index is.
        path: String,
        /// Version found in the index.
        found: String,
        /// Version this binary writes.
        expected: String,
    },
    /// The index's files are damaged (truncated, missing, changed on disk):
    /// its answers cannot be trusted until it is rebuilt.
    #[error(
        "the index at {path} is damaged ({reason}): repair it with `{}`",
        crate::index::repair_command(std::path::Path::new(.path))
    )]
    Damaged {
        /// The index folder.
        path: String,
        /// What is wrong, naming the damaged file.
        reason: String,
    },
    /// Another `index` or `add` is writing to this index.
    #[error(
        "another gongwen is writing to the index at {path} (index or add); wait for it to finish — searches keep working meanwhile"
    )]
    Busy {
        /// The index folder.
        path: String,
    },
    /// The index folder holds files gongwen did not write; it is left alone.
    #[error(
        "{path} is not a gongwen index folder: {reason}; gongwen writes an index only into a new or empty folder or one of its own, so nothing was changed — choose another index folder"
    )]
    NotIndexFolder {
        /// The folder.
        path: String,
        /// What is in the way.
        reason: String,
    },
    /// The disk holding the index filled up while it was written.
    #[error(
        "no space left on the disk holding the index {path}: the last good index is kept and the partial files of this run were removed; free some space and run again ({detail})"
    )]
    DiskFull {
        /// The index folder.
        path: String,
        /// The underlying failure.
        detail: String,
    },
    /// The query could not be understood.
    #[error("invalid query {query:?}: {reason}")]
    Query {
        /// The query as given.
        query: String,
        /// What was wrong.
        reason: String,
    },
    /// No notice of the index has this id (a lookup by exact id, as a
    /// server does: it never reads a name as a path).
    #[error("no notice with id {id:?} in the index")]
    NoNotice {
        /// The id asked for.
        id: String,
    },
    /// A notice's file is no longer in the corpus folder as it was indexed
    /// (removed, unreadable, or replaced by a link leading out of it).
    #[error("the file of notice {id:?} is not in the corpus folder any more ({reason})")]
    NoOriginal {
        /// The notice's id.
        id: String,
        /// What was found instead.
        reason: String,
    },
    /// A filter value could not be understood.
    #[error("invalid {what} {value:?}: {reason}")]
    Filter {
        /// Which filter (e.g. `--from`).
        what: String,
        /// The value given.
        value: String,
        /// What was wrong.
        reason: String,
    },
    /// A parameter of a command has a value that cannot be used.
    #[error("invalid {param} {value:?}: {reason}")]
    Param {
        /// The parameter's name (`from`, `limit`, …).
        param: String,
        /// The value given.
        value: String,
        /// What was wrong.
        reason: String,
    },
    /// A notice file cannot be added to the corpus.
    #[error("{path}: {reason}")]
    Add {
        /// The file or folder given.
        path: String,
        /// Why it cannot be added.
        reason: String,
    },
    /// A file of the same name and different content is in the corpus
    /// already; adding it again would replace that file.
    #[error("{path} already exists in the corpus with different content")]
    AddConflict {
        /// The file in the corpus.
        path: String,
    },
    /// The corpus folder is missing or unreadable.
    #[error("corpus folder {path}: {reason}")]
    Corpus {
        /// The folder.
        path: String,
        /// What was wrong.
        reason: String,
    },
    /// A tantivy failure.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A filesystem failure.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wrap an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
