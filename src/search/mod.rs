//! Search: a [`SearchRequest`] (no CLI types) becomes tantivy queries over
//! sections; section hits are grouped by notice, ranked, and the best
//! sections of each notice get snippets.
//!
//! Matching is notice-level: every required word must occur somewhere in the
//! notice, and each word is matched literally through the character-bigram
//! field, so recall never depends on how jieba segmented a document. Ranking
//! adds BM25 over jieba words, with title, heading and problem-label matches
//! weighing more than body text.

mod exec;
pub mod explain;
pub mod facets;
mod matching;
mod paths;
pub mod query;
mod rank;
pub mod snippet;
#[cfg(test)]
pub(crate) mod testing;
mod units;

pub(crate) use units::unit_literals;

pub use facets::{Facet, FacetCount, FacetKind, Facets};

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::notice::Ymd;
use exec::{Executor, get_str};
use matching::NoticeAcc;

/// Sections shown per notice.
pub const SECTIONS_PER_HIT: usize = 3;

/// Field weights (multipliers on BM25).
mod weight {
    pub const LITERAL: f32 = 1.0;
    pub const TITLE_LITERAL: f32 = 2.5;
    pub const HEADING_LITERAL: f32 = 1.5;
    pub const BODY_WORD: f32 = 0.6;
    pub const TITLE_WORD: f32 = 1.5;
    pub const HEADING_WORD: f32 = 1.2;
    pub const ISSUE_WORD: f32 = 1.2;
    /// Share of the other matching sections' scores a notice adds to its best
    /// section's, so several matching sections beat one passing mention…
    pub const OTHER_SECTIONS: f32 = 0.15;
    /// …up to this many times the best section's score.
    pub const OTHER_SECTIONS_CAP: f32 = 3.0;
    /// Score multiplier, at full coverage, for a notice whose title holds
    /// every clause of the query (scaled by the share of clauses it holds).
    pub const TITLE_COVERAGE: f32 = 1.0;
    /// Bonus, as a share of its score, for a section holding every clause.
    pub const SAME_SECTION: f32 = 0.5;
}

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first (notices without a date last).
    Date,
}

/// Everything a search needs, independent of how it was asked for.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// The query text (see [`query`] for the syntax).
    pub query: String,
    /// Keep notices whose agency contains any of these.
    pub agencies: Vec<String>,
    /// Keep notices dated on or after this day.
    pub from: Option<Ymd>,
    /// Keep notices dated on or before this day.
    pub to: Option<Ymd>,
    /// Keep notices whose file lies under any of these paths relative to
    /// the corpus root: a folder (`ccdi`, `ccdi/2024`) or a file, matched on
    /// whole path components (`ccdi` does not take in `ccdi2/`). `./`,
    /// repeated, trailing and backslash separators are normalised; an
    /// absolute path inside the corpus folder is taken relative to it; the
    /// corpus root (`.`) holds every notice. A filter by itself: with no
    /// query words, the notices under these paths are listed.
    pub paths: Vec<String>,
    /// Count the matching notices by these facets (all of them, not just
    /// the page); none when empty.
    pub count_by: Vec<FacetKind>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Result order.
    pub sort: SortOrder,
}

/// One section of a hit.
#[derive(Clone, Debug, Serialize)]
pub struct SectionHit {
    /// The section's own heading (`None` before the first heading).
    pub heading: Option<String>,
    /// Headings from the top level down to the section's own.
    pub heading_path: Vec<String>,
    /// Text around the best match.
    pub snippet: String,
    /// `[start, end)` character ranges of matched text in `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// One notice in the results.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// 1-based rank in the whole result list.
    pub rank: usize,
    /// Relevance score.
    pub score: f32,
    /// Notice id.
    pub id: String,
    /// Path relative to the corpus root.
    pub path: String,
    /// Title.
    pub title: String,
    /// Issuing body.
    pub agency: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The notice contains the query's text as typed (every word or phrase
    /// literally), as grep would find it; false when it only holds the words
    /// of an unquoted string apart.
    pub literal: bool,
    /// Best-matching sections, best first.
    pub sections: Vec<SectionHit>,
}

/// The answer to a search.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Number of matching notices (exact).
    pub total: usize,
    /// Number of matching notices that contain the query's text as typed
    /// (what grep would count); at most `total`.
    pub literal_total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// The matching notices counted by each facet of
    /// [`SearchRequest::count_by`]; left out of the JSON when none was asked
    /// for, so the results of a plain search keep their shape.
    #[serde(skip_serializing_if = "Facets::is_empty")]
    pub facets: Facets,
}

/// Run a search. A panic while reading the index (bytes tantivy did not
/// write) is reported as a damaged index, never a crash.
pub fn search(handle: &IndexHandle, req: &SearchRequest) -> Result<SearchResults> {
    crate::index::check::shielded(&handle.path, || search_unshielded(handle, req))
}

fn search_unshielded(handle: &IndexHandle, req: &SearchRequest) -> Result<SearchResults> {
    let parsed = validate(req)?;
    let ex = Executor::new(handle);
    let filter = ex.filter(req)?;
    let labels = facets::LabelSections::of(&parsed);
    let (mut m, sections) = if parsed.is_empty() {
        (
            matching::filter_only(&ex, filter.as_deref())?,
            Default::default(),
        )
    } else {
        let mut m = matching::match_clauses(&ex, &parsed, filter.as_deref())?;
        rank::title_coverage(&ex, &parsed, &mut m)?;
        let sections = rank::same_section(parsed.clauses.len(), &mut m);
        matching::exclude(&ex, &parsed.excluded, &mut m)?;
        (m, sections)
    };
    let total = m.notices.len();
    let facet_counts = facets::count(&ex, &m, &req.count_by, labels)?;
    let literal_total = m.literal_total();
    let by_date = req.sort.by_date(&parsed);
    let page = rank::page(std::mem::take(&mut m.notices), req, by_date);
    let mut page_sections = rank::page_sections(&page, &m, &sections);
    let mut hits = Vec::with_capacity(page.len());
    for (i, (k, acc)) in page.into_iter().enumerate() {
        let secs = page_sections.remove(&k).unwrap_or_default();
        let literal = m.is_literal(&acc);
        hits.push(make_hit(
            &ex,
            req.offset + i + 1,
            acc,
            literal,
            secs,
            &m.terms,
        )?);
    }
    Ok(SearchResults {
        query: req.query.clone(),
        total,
        literal_total,
        hits,
        facets: facet_counts,
    })
}

/// The request's query, parsed; an error for a request that asks nothing.
fn validate(req: &SearchRequest) -> Result<query::ParsedQuery> {
    if let (Some(a), Some(b)) = (req.from, req.to)
        && a > b
    {
        return Err(Error::Filter {
            what: "date range".into(),
            value: format!("{a} .. {b}"),
            reason: "--from is after --to".into(),
        });
    }
    let parsed = query::parse_bounded(&req.query)?;
    let has_filter =
        !req.agencies.is_empty() || req.from.is_some() || req.to.is_some() || !req.paths.is_empty();
    if parsed.is_empty() && !has_filter {
        return Err(Error::Query {
            query: req.query.clone(),
            reason: if req.query.trim().is_empty() {
                "the query is empty: give words to search for, or a filter such as --agency".into()
            } else {
                "the query has no searchable characters".into()
            },
        });
    }
    Ok(parsed)
}

fn make_hit(
    ex: &Executor,
    rank: usize,
    acc: NoticeAcc,
    literal: bool,
    mut secs: Vec<(DocAddress, f32)>,
    terms: &[String],
) -> Result<Hit> {
    let f = ex.f;
    secs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.doc_id.cmp(&b.0.doc_id)));
    secs.truncate(SECTIONS_PER_HIT);
    if secs.is_empty()
        && let Some(h) = acc.head
    {
        secs.push((h, 0.0));
    }
    let mut sections = Vec::new();
    let mut first: Option<TantivyDocument> = None;
    for (addr, _) in &secs {
        let doc = ex.stored(*addr)?;
        let heading = get_str(&doc, f.heading);
        let heading_path: Vec<String> = get_str(&doc, f.heading_path)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let body = get_str(&doc, f.body).unwrap_or_default();
        let snip = snippet::make(&body, terms);
        sections.push(SectionHit {
            heading,
            heading_path,
            snippet: snip.text,
            highlights: snip.highlights,
        });
        if first.is_none() {
            first = Some(doc);
        }
    }
    let doc = first.unwrap_or_default();
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| Ymd::from_unix_seconds(d.into_timestamp_secs()))
        .map(|d| d.to_string());
    Ok(Hit {
        rank,
        score: (acc.score * 1000.0).round() / 1000.0,
        id: get_str(&doc, f.id).unwrap_or_default(),
        path: get_str(&doc, f.path).unwrap_or_default(),
        title: get_str(&doc, f.title_s).unwrap_or_default(),
        agency: get_str(&doc, f.agency_s),
        date,
        literal,
        sections,
    })
}

/// Parse a `--from`/`--to` value: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
/// (also with `/` or `.`). `end` picks the last day of a year or month.
pub fn parse_date_bound(value: &str, end: bool, what: &str) -> Result<Ymd> {
    let bad = |reason: &str| Error::Filter {
        what: what.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = value.trim().split(['-', '/', '.']).collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let expected = "expected YYYY, YYYY-MM or YYYY-MM-DD";
    let year = parts
        .first()
        .and_then(|s| (s.len() == 4).then(|| num(s)).flatten())
        .ok_or_else(|| bad(expected))?;
    let y = year as i32;
    match parts.len() {
        1 => Ymd::new(y, if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        2 => {
            let m = num(parts[1]).ok_or_else(|| bad(expected))?;
            if !(1..=12).contains(&m) {
                return Err(bad("month must be 1-12"));
            }
            if end {
                Ymd::end_of_month(y, m)
            } else {
                Ymd::new(y, m, 1)
            }
        }
        3 => {
            let m = num(parts[1]).ok_or_else(|| bad(expected))?;
            let d = num(parts[2]).ok_or_else(|| bad(expected))?;
            if !(1..=12).contains(&m) {
                return Err(bad("month must be 1-12"));
            }
            Some(Ymd::new(y, m, d).ok_or_else(|| bad("no such day"))?)
        }
        _ => None,
    }
    .ok_or_else(|| bad(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds() {
        assert_eq!(
            parse_date_bound("2024", false, "--from")
                .unwrap()
                .to_string(),
            "2024-01-01"
        );
        assert_eq!(
            parse_date_bound("2024", true, "--to").unwrap().to_string(),
            "2024-12-31"
        );
        assert_eq!(
            parse_date_bound("2024-02", true, "--to")
                .unwrap()
                .to_string(),
            "2024-02-29"
        );
        assert_eq!(
            parse_date_bound("2023-02", true, "--to")
                .unwrap()
                .to_string(),
            "2023-02-28"
        );
        assert_eq!(
            parse_date_bound("2024-10-15", false, "--from")
                .unwrap()
                .to_string(),
            "2024-10-15"
        );
        let e = parse_date_bound("2024-13-45", false, "--from")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--from") && e.contains("2024-13-45"), "{e}");
        assert!(parse_date_bound("2023-02-30", false, "--from").is_err());
        assert!(parse_date_bound("yesterday", false, "--from").is_err());
        assert!(parse_date_bound("24-01-01", false, "--from").is_err());
    }
}
