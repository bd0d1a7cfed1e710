//! Looking into an index: `stats`, `show` and `check`, as typed operations.

use std::path::PathBuf;

use serde::Deserialize;

use super::index_dir;
use crate::analysis::normalize;
use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::index::check::{self, CheckReport};
use crate::index::inspect::{self, NoticeView, SectionView, Stats};

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
    /// The notice's id as search prints it (with or without its
    /// extension), a tail of it (a file name when it is unique), or a path
    /// to the file.
    pub which: String,
    /// Include every section's text.
    pub text: bool,
    /// Only this section (and its text): its number as `show --text` prints
    /// it, or words of its heading.
    pub section: Option<String>,
}

/// One notice as the index holds it.
pub fn show(handle: &IndexHandle, p: &ShowParams) -> Result<NoticeView> {
    let section = p
        .section
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut view = inspect::show(handle, &p.which, p.text || section.is_some())?;
    if let Some(want) = section
        && let Some(all) = view.text.take()
    {
        view.text = Some(pick_section(all, want)?);
    }
    Ok(view)
}

/// The sections `want` names: a number is a section's index; other text
/// must occur in the heading (the first such section, and the sections
/// below it).
fn pick_section(all: Vec<SectionView>, want: &str) -> Result<Vec<SectionView>> {
    let n = all.len();
    let bad = |reason: String| Error::Param {
        param: "section".into(),
        value: want.to_string(),
        reason,
    };
    if let Ok(i) = want.parse::<usize>() {
        return all
            .into_iter()
            .find(|s| s.index == i)
            .map(|s| vec![s])
            .ok_or_else(|| {
                bad(format!(
                    "the notice has sections 0 to {}",
                    n.saturating_sub(1)
                ))
            });
    }
    let needle = normalize(want);
    let hit = all.iter().position(|s| {
        s.heading
            .as_deref()
            .is_some_and(|h| normalize(h).contains(&needle))
    });
    let Some(first) = hit else {
        return Err(bad(
            "no heading of the notice holds it (`show --text` lists the sections)".into(),
        ));
    };
    // the section and its subsections: those whose heading path extends its own
    let path = all[first].heading_path.clone();
    Ok(all
        .into_iter()
        .skip(first)
        .take_while(|s| s.heading_path.starts_with(&path))
        .collect())
}

/// Verify every file of the index.
pub fn check(p: &IndexLocation) -> Result<CheckReport> {
    check::check(&index_dir(p.index.clone()))
}
