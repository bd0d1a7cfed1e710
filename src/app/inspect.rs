//! Looking into an index: `stats`, `show` and `check`, as typed operations.

use std::path::PathBuf;

use serde::Deserialize;

use super::index_dir;
use crate::error::Result;
use crate::index::IndexHandle;
use crate::index::check::{self, CheckReport};
use crate::index::inspect::{self, NoticeView, Stats};

/// Which index to look into.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct IndexLocation {
    /// The index folder (default: see [`index_dir`]).
    pub index: Option<PathBuf>,
}

impl IndexLocation {
    /// Open the index (never built on first use: looking into an index that
    /// does not exist is an error).
    pub fn open(&self) -> Result<IndexHandle> {
        IndexHandle::open(&index_dir(self.index.clone()))
    }
}

/// What the index holds.
pub fn stats(p: &IndexLocation) -> Result<Stats> {
    inspect::stats(&p.open()?)
}

/// One notice, named by id or path.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowParams {
    /// The notice's id or path (a file name is enough when it is unique).
    pub which: String,
}

/// One notice as the index holds it.
pub fn show(handle: &IndexHandle, p: &ShowParams) -> Result<NoticeView> {
    inspect::show(handle, &p.which)
}

/// Verify every file of the index.
pub fn check(p: &IndexLocation) -> Result<CheckReport> {
    check::check(&index_dir(p.index.clone()))
}
