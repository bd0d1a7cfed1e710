//! Looking into an index: `stats`, `show` and `check`, as typed operations.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::index_dir;
use crate::analysis::normalize;
use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::index::check::{self, CheckReport};
use crate::index::inspect::{self, NoticeView, SectionView, Stats};
use crate::notice;
use crate::search::snippet;

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

/// What an open index holds (for a caller that keeps its index open, such
/// as a server).
pub fn stats_of(handle: &IndexHandle) -> Result<Stats> {
    inspect::stats(handle)
}

/// The notice whose index id is exactly `id`, with every section's text
/// (`show --json --text` of it). Never a tail of an id or a path on disk:
/// for callers that take the name from anyone; an unknown id is
/// [`Error::NoNotice`].
pub fn notice(handle: &IndexHandle, id: &str) -> Result<NoticeView> {
    inspect::show_id(handle, id, true)
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

/// One notice to read in full, named by its index id only, and the query
/// that led to it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReadParams {
    /// The notice's id exactly as the index holds it (never a path).
    pub id: String,
    /// The query whose matches to mark (search syntax; may be empty).
    pub q: String,
}

/// A notice with every section's text and, for a query, where it matches.
#[derive(Clone, Debug, Serialize)]
pub struct Reading {
    /// The notice, with the text of every section.
    #[serde(flatten)]
    pub notice: NoticeView,
    /// How the title and agency were found, read again from the notice's
    /// file (the index keeps only the date's); `None` when the file is no
    /// longer there as it was.
    pub found: Option<FoundFields>,
    /// The strings marked (the query's words), empty without a query.
    pub words: Vec<String>,
    /// The sections that match the query best, best first (their `index`).
    pub matched: Vec<usize>,
    /// Per section, in the order of the notice's sections: `[start, end)`
    /// character ranges of the words in its text.
    pub highlights: Vec<Vec<[usize; 2]>>,
}

/// How a notice's fields were found (see [`crate::notice::Notice`]).
#[derive(Clone, Debug, Serialize)]
pub struct FoundFields {
    /// How the title was found.
    pub title_source: String,
    /// How the agency was found.
    pub agency_source: Option<String>,
}

/// Read one notice (by exact id) in full, with the query's matches.
pub fn read(handle: &IndexHandle, p: &ReadParams, corpus: Option<&Path>) -> Result<Reading> {
    let notice = inspect::show_id(handle, &p.id, true)?;
    let sections = notice.text.as_deref().unwrap_or_default();
    let (mut words, mut matched) = (Vec::new(), Vec::new());
    if !p.q.trim().is_empty() {
        // the search itself says which sections match and which strings
        // every match holds; the path filter on a notice's own path (a
        // record's `file#N` included) holds that notice alone
        let results = super::search::search(
            handle,
            &super::search::SearchParams {
                q: p.q.clone(),
                path: vec![notice.head.path.clone()],
                limit: Some(1),
                no_snippets: true,
                ..Default::default()
            },
        )?;
        if let Some(hit) = results.hits.iter().find(|h| h.head.id == notice.head.id) {
            for s in &hit.sections {
                if let Some(i) = sections.iter().find(|v| v.heading_path == s.heading_path) {
                    matched.push(i.index);
                }
            }
        }
        words = results.words;
    }
    let highlights = sections
        .iter()
        .map(|s| {
            if words.is_empty() {
                Vec::new()
            } else {
                snippet::highlight_all(&s.text, &words)
            }
        })
        .collect();
    let found = original(handle, &p.id, corpus).ok().and_then(|o| {
        let parsed = notice::parse_file(&o.path, &o.rel).ok()?;
        let n = parsed.notices.into_iter().find(|n| n.head.id == p.id)?;
        Some(FoundFields {
            title_source: n.title_source,
            agency_source: n.agency_source,
        })
    });
    Ok(Reading {
        notice,
        found,
        words,
        matched,
        highlights,
    })
}

/// The file a notice was read from.
#[derive(Clone, Debug)]
pub struct Original {
    /// Where it is on disk (inside the corpus folder, links resolved).
    pub path: PathBuf,
    /// Its path relative to the corpus folder, as indexed.
    pub rel: String,
    /// How gongwen reads it.
    pub kind: notice::FileKind,
}

/// The file the notice with id `id` was read from: its path in the index,
/// inside `corpus` (default: the folder the index was built from). Only a
/// notice of the index names a file ([`Error::NoNotice`] otherwise), and
/// only a regular file that is still inside the corpus folder once links
/// are resolved is given ([`Error::NoOriginal`] otherwise: a file removed,
/// or replaced by a link leading out of the corpus).
pub fn original(handle: &IndexHandle, id: &str, corpus: Option<&Path>) -> Result<Original> {
    let view = inspect::show_id(handle, id, false)?;
    let gone = |reason: &str| Error::NoOriginal {
        id: id.to_string(),
        reason: reason.to_string(),
    };
    let root = corpus
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(&handle.stamp.corpus));
    let root = root
        .canonicalize()
        .map_err(|e| gone(&format!("the corpus folder {}: {e}", root.display())))?;
    // a record of a crawler export names its file and `#N`
    let rel = match view.head.path.rsplit_once('#') {
        Some((file, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => view.head.path.as_str(),
    };
    let relative = Path::new(rel);
    if relative
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(gone("its path leaves the corpus folder"));
    }
    let path = root
        .join(relative)
        .canonicalize()
        .map_err(|e| gone(&e.to_string()))?;
    if !path.starts_with(&root) {
        return Err(gone("it is a link leading out of the corpus folder"));
    }
    if !path.is_file() {
        return Err(gone("it is not a file"));
    }
    Ok(Original {
        kind: notice::FileKind::of(&path),
        path,
        rel: rel.to_string(),
    })
}
