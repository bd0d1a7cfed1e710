//! Looking into an index: `stats` (what it holds) and `show` (one notice as
//! it was indexed).

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::IndexHandle;
use crate::error::{Error, Result};
use crate::notice::{Heading, Ymd};

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
    /// Notice id.
    pub id: String,
    /// Path relative to the corpus root.
    pub path: String,
    /// Title.
    pub title: String,
    /// Issuing body.
    pub agency: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// How the date was found.
    pub date_source: Option<String>,
    /// Republishing site.
    pub source: Option<String>,
    /// Document number (文号).
    pub doc_number: Option<String>,
    /// The heading tree.
    pub headings: Vec<Heading>,
    /// Sections in the index.
    pub sections: usize,
}

fn get_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn date_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<Ymd> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(|d| Ymd::from_unix_seconds(d.into_timestamp_secs()))
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
        let doc: TantivyDocument = searcher.doc(addr)?;
        notices += 1;
        match get_str(&doc, f.agency_s) {
            Some(a) => *agencies.entry(a).or_insert(0) += 1,
            None => without_agency += 1,
        }
        match date_of(&doc, f.date) {
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

/// Find a notice by id or path (also by a path's tail such as its file name)
/// and show it as indexed.
pub fn show(h: &IndexHandle, which: &str) -> Result<NoticeView> {
    super::check::shielded(&h.path, || show_unshielded(h, which))
}

fn show_unshielded(h: &IndexHandle, which: &str) -> Result<NoticeView> {
    let searcher = h.reader.searcher();
    let f = &h.fields;
    let want = which.trim().trim_start_matches("./").replace('\\', "/");
    let head_of = |id: &str| -> Result<Option<DocAddress>> {
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.id, id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.sec, 0),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        Ok(searcher.search(&q, &DocSetCollector)?.into_iter().next())
    };
    let mut found = head_of(&want)?;
    if found.is_none() {
        // a tail of a path: the file name, or a path below a folder
        let suffix = format!("/{want}");
        let mut matches = Vec::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(f.id)?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| Error::io("reading the notice ids", e))?;
            while stream.advance() {
                if let Ok(id) = std::str::from_utf8(stream.key())
                    && id.ends_with(&suffix)
                {
                    matches.push(id.to_string());
                }
            }
        }
        matches.sort();
        matches.dedup();
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
        if let Some(id) = matches.first() {
            found = head_of(id)?;
        }
    }
    let addr = found.ok_or_else(|| Error::Query {
        query: which.to_string(),
        reason: "no notice with this id or path in the index".into(),
    })?;
    let doc: TantivyDocument = searcher.doc(addr)?;
    let id = get_str(&doc, f.id).unwrap_or_default();
    let sections = searcher.search(
        &TermQuery::new(Term::from_field_text(f.id, &id), IndexRecordOption::Basic),
        &tantivy::collector::Count,
    )?;
    Ok(NoticeView {
        path: get_str(&doc, f.path).unwrap_or_default(),
        title: get_str(&doc, f.title_s).unwrap_or_default(),
        agency: get_str(&doc, f.agency_s),
        date: date_of(&doc, f.date).map(|d| d.to_string()),
        date_source: get_str(&doc, f.date_source),
        source: get_str(&doc, f.source),
        doc_number: get_str(&doc, f.doc_number),
        headings: get_str(&doc, f.outline)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        sections,
        id,
    })
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
