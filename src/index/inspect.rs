//! Looking into an index: `stats` (what it holds) and `show` (one notice as
//! it was indexed).

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::IndexHandle;
use crate::error::{Error, Result};
use crate::index::HeadExtras;
use crate::notice::NoticeHead;

/// An agency and how many notices it issued.
#[derive(Clone, Debug, Serialize)]
pub struct AgencyCount {
    /// The issuing body as written.
    pub agency: String,
    /// Notices.
    pub count: usize,
}

/// A year and how many notices bear a date in it.
#[derive(Clone, Debug, Serialize)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// Notices.
    pub count: usize,
}

/// What an index holds.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Notices.
    pub notices: usize,
    /// Sections.
    pub sections: usize,
    /// Agencies, most notices first.
    pub agencies: Vec<AgencyCount>,
    /// Years, oldest first.
    pub years: Vec<YearCount>,
    /// Notices whose agency is unknown.
    pub without_agency: usize,
    /// Notices that state no date.
    pub without_date: usize,
    /// Bytes the index takes on disk.
    pub index_bytes: u64,
    /// The corpus folder it was built from.
    pub corpus: String,
}

/// One notice as the index holds it.
#[derive(Clone, Debug, Serialize)]
pub struct NoticeView {
    /// Id, path, title, agency and date.
    #[serde(flatten)]
    pub head: NoticeHead,
    /// Date source, republishing site, 文号 and heading tree.
    #[serde(flatten)]
    pub extras: HeadExtras,
    /// Sections in the index.
    pub sections: usize,
    /// Every section with its text, in order (when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Vec<SectionView>>,
}

/// One section of a notice, with its text.
#[derive(Clone, Debug, Serialize)]
pub struct SectionView {
    /// Its position in the notice (0: the text before the first heading).
    pub index: usize,
    /// The section's own heading.
    pub heading: Option<String>,
    /// Headings from the top level down to the section's own.
    pub heading_path: Vec<String>,
    /// The problem label quoted in the heading.
    pub issue: Option<String>,
    /// The section's text.
    pub text: String,
}

fn heads(h: &IndexHandle, searcher: &Searcher) -> Result<Vec<DocAddress>> {
    let mut v: Vec<DocAddress> = searcher
        .search(&h.fields.heads_query(), &DocSetCollector)?
        .into_iter()
        .collect();
    v.sort();
    Ok(v)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Count what the index holds.
pub fn stats(h: &IndexHandle) -> Result<Stats> {
    super::check::shielded(&h.path, || stats_unshielded(h))
}

fn stats_unshielded(h: &IndexHandle) -> Result<Stats> {
    let searcher = h.reader.searcher();
    let f = &h.fields;
    let mut agencies: BTreeMap<String, usize> = BTreeMap::new();
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let (mut notices, mut without_agency, mut without_date) = (0, 0, 0);
    for addr in heads(h, &searcher)? {
        let head = f.head(&searcher.doc(addr)?);
        notices += 1;
        match head.agency {
            Some(a) => *agencies.entry(a).or_insert(0) += 1,
            None => without_agency += 1,
        }
        match head.date {
            Some(d) => *years.entry(d.year).or_insert(0) += 1,
            None => without_date += 1,
        }
    }
    let mut agencies: Vec<AgencyCount> = agencies
        .into_iter()
        .map(|(agency, count)| AgencyCount { agency, count })
        .collect();
    agencies.sort_by(|a, b| b.count.cmp(&a.count).then(a.agency.cmp(&b.agency)));
    Ok(Stats {
        notices,
        sections: searcher.num_docs() as usize,
        agencies,
        years: years
            .into_iter()
            .map(|(year, count)| YearCount { year, count })
            .collect(),
        without_agency,
        without_date,
        index_bytes: dir_size(&h.path),
        corpus: h.stamp.corpus.clone(),
    })
}

/// Find a notice by id or path and show it as indexed; with `text`, every
/// section's text too.
pub fn show(h: &IndexHandle, which: &str, text: bool) -> Result<NoticeView> {
    super::check::shielded(&h.path, || show_unshielded(h, which, text))
}

/// The ids a name given by a person may mean: the id itself; the id without
/// its extension; a tail of the id (its file name, or a path below a
/// folder); or a path on disk that ends with the id (`corpus/a/b.txt`,
/// `./b.txt`). Every comparison is on whole path components.
fn candidates(ids: &[String], which: &str) -> Vec<String> {
    let want = which.trim().replace('\\', "/");
    let want = want.trim_start_matches("./");
    let stem = |id: &str| -> String {
        match id.rsplit_once('.') {
            Some((s, ext)) if !ext.contains('/') && !ext.contains('#') => s.to_string(),
            _ => id.to_string(),
        }
    };
    let tail = |long: &str, short: &str| long == short || long.ends_with(&format!("/{short}"));
    let exact: Vec<String> = ids.iter().filter(|id| *id == want).cloned().collect();
    if !exact.is_empty() {
        return exact;
    }
    let mut found: Vec<String> = ids
        .iter()
        .filter(|id| tail(id, want) || tail(&stem(id), want))
        .cloned()
        .collect();
    if found.is_empty() {
        // a path on disk: the longest id it ends with
        let mut on_disk: Vec<&String> = ids.iter().filter(|id| tail(want, id)).collect();
        on_disk.sort_by_key(|id| std::cmp::Reverse(id.len()));
        if let Some(longest) = on_disk.first() {
            found.push((*longest).clone());
        }
    }
    found
}

fn show_unshielded(h: &IndexHandle, which: &str, text: bool) -> Result<NoticeView> {
    let searcher = h.reader.searcher();
    let f = &h.fields;
    let mut ids: Vec<String> = Vec::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(f.id)?;
        let mut stream = inv
            .terms()
            .stream()
            .map_err(|e| Error::io("reading the notice ids", e))?;
        while stream.advance() {
            if let Ok(id) = std::str::from_utf8(stream.key()) {
                ids.push(id.to_string());
            }
        }
    }
    ids.sort();
    ids.dedup();
    let matches = candidates(&ids, which);
    if matches.len() > 1 {
        return Err(Error::Query {
            query: which.to_string(),
            reason: format!(
                "names {} notices: {}",
                matches.len(),
                matches
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let not_found = || Error::Query {
        query: which.to_string(),
        reason: "no notice with this id or path in the index".into(),
    };
    let id = matches.first().ok_or_else(not_found)?;
    view(h, &searcher, id, text)?.ok_or_else(not_found)
}

/// Show the notice whose id is exactly `id` (never a tail of an id, never
/// a path on disk: for callers such as a server, where the name comes from
/// anyone); an unknown id is [`Error::NoNotice`].
pub fn show_id(h: &IndexHandle, id: &str, text: bool) -> Result<NoticeView> {
    super::check::shielded(&h.path, || {
        view(h, &h.reader.searcher(), id, text)?
            .ok_or_else(|| Error::NoNotice { id: id.to_string() })
    })
}

/// The notice with id `id` as indexed; `None` when the index holds none.
fn view(h: &IndexHandle, searcher: &Searcher, id: &str, text: bool) -> Result<Option<NoticeView>> {
    let f = &h.fields;
    let mut docs: Vec<(u64, TantivyDocument)> = Vec::new();
    let all = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
    for addr in searcher.search(&all, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        docs.push((f.ordinal(&doc), doc));
    }
    docs.sort_by_key(|(sec, _)| *sec);
    let Some((_, first)) = docs.first() else {
        return Ok(None);
    };
    Ok(Some(NoticeView {
        head: f.head(first),
        extras: f.head_extras(first),
        sections: docs.len(),
        text: text.then(|| {
            docs.iter()
                .map(|(sec, doc)| {
                    let s = f.section(doc);
                    SectionView {
                        index: *sec as usize,
                        heading: s.heading,
                        heading_path: s.heading_path,
                        issue: s.issue,
                        text: s.text,
                    }
                })
                .collect()
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testing::{self, COUNTY};

    #[test]
    fn stats_count_agencies_and_years_of_notices() {
        let t = testing::build(COUNTY);
        let s = stats(&t.handle).expect("stats");
        assert_eq!((s.notices, s.without_agency, s.without_date), (7, 1, 1));
        let agencies: Vec<(&str, usize)> = s
            .agencies
            .iter()
            .map(|a| (a.agency.as_str(), a.count))
            .collect();
        assert_eq!(
            agencies,
            [
                ("中共某县财政局党组", 2),
                ("某某县人民政府办公室", 2),
                ("中共某区教育局党组", 1),
                ("中共某县教育局党组", 1),
            ]
        );
        let years: Vec<(i32, usize)> = s.years.iter().map(|y| (y.year, y.count)).collect();
        assert_eq!(years, [(2023, 3), (2024, 3)]);
    }
}
