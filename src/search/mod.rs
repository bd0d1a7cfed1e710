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
mod ordinals;
mod pair;
mod paths;
pub mod query;
mod rank;
pub mod snippet;
mod suggest;
mod sum;
#[cfg(test)]
pub(crate) mod testing;
mod units;

pub(crate) use units::unit_literals;

pub use facets::{Facet, FacetCount, FacetKind, Facets};

use serde::Serialize;
use tantivy::DocAddress;

use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::notice::{NoticeHead, Ymd};
use exec::Executor;
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
    /// every clause of the query (scaled by the share of clauses it holds):
    /// a title is the strongest evidence of what a notice is about.
    pub const TITLE_COVERAGE: f32 = 2.0;
    /// Bonus, as a share of its score, for a section holding every clause.
    pub const SAME_SECTION: f32 = 0.5;
    /// Title coverage a title earns by holding a clause's words (weighed by
    /// rarity) rather than its whole text, which earns 1.
    pub const TITLE_WORDS: f32 = 1.0;
    /// Score multiplier, at full share, for a notice that holds every
    /// clause as typed.
    pub const LITERAL_BOOST: f32 = 1.0;
    /// Title coverage from which a notice ranks with those holding the
    /// query as typed.
    pub const TITLE_RANKS_FIRST: f32 = 0.5;
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
    /// Leave the snippets out (a list of paths or a table has no use for
    /// them, and they cost most of a long page).
    pub no_snippets: bool,
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
    /// Id, path, title, agency and date.
    #[serde(flatten)]
    pub head: NoticeHead,
    /// The document number (文号), when the notice states one.
    pub doc_number: Option<String>,
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
    /// The strings every matching notice holds: each quoted phrase, and
    /// each word of an unquoted string (which may occur apart).
    pub words: Vec<String>,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// When nothing matched: corrected queries that would find something,
    /// best first (at most 5); otherwise empty.
    pub suggestions: Vec<String>,
    /// How parts of the query that are not plain syntax were read (see
    /// [`query::ParsedQuery::warnings`]).
    pub warnings: Vec<String>,
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

/// Ready `handle` to answer many queries, as a server does: keep each
/// segment's notice table in memory (built now, for every segment the
/// handle reads, so no request waits for one). See `ordinals`.
pub fn keep_notice_tables(handle: &mut IndexHandle) -> Result<()> {
    ordinals::warm(&handle.reader.searcher())?;
    handle.notice_tables = true;
    Ok(())
}

fn search_unshielded(handle: &IndexHandle, req: &SearchRequest) -> Result<SearchResults> {
    let parsed = validate(req)?;
    // `path:` in the query is the path filter, given another way
    let joined;
    let req = if parsed.paths.is_empty() {
        req
    } else {
        joined = SearchRequest {
            paths: req.paths.iter().chain(&parsed.paths).cloned().collect(),
            ..req.clone()
        };
        &joined
    };
    let ex = Executor::new(handle);
    let filter = ex.filter(req)?;
    let labels = facets::LabelSections::of(&parsed);
    let by_date = req.sort.by_date(&parsed);
    let (mut m, sections) = if parsed.is_empty() {
        (
            matching::filter_only(&ex, filter.as_deref())?,
            Default::default(),
        )
    } else {
        let mut m = matching::match_clauses(
            &ex,
            &parsed,
            filter.as_deref(),
            // (a page by date may show any notice; problem labels are
            // counted over every matched section)
            !by_date && !req.count_by.contains(&FacetKind::Issue),
        )?;
        rank::title_coverage(&ex, &parsed, &mut m)?;
        let sections = rank::same_section(parsed.clauses.len(), &mut m);
        matching::exclude(&ex, &parsed.excluded, &mut m)?;
        rank::literal_boost(&mut m);
        if let Some(d) = m.deferred.take() {
            // only the notices that can reach the page need whole scores
            let need = req.offset.saturating_add(req.limit);
            matching::score_deferred(&ex, d, &mut m, need)?;
        }
        (m, sections)
    };
    let total = m.notices.len();
    let facet_counts = facets::count(&ex, &m, &req.count_by, labels)?;
    let literal_total = m.literal_total();
    if by_date {
        rank::fill_dates(&ex, &mut m)?;
    }
    let page = rank::page(std::mem::take(&mut m.notices), &m.dates, req, by_date);
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
            m.heads.get(&k).copied(),
            if req.no_snippets { &[] } else { &m.terms },
        )?);
    }
    // Only a search that found nothing pays for suggestions.
    let suggestions = if total == 0 && !parsed.is_empty() {
        suggest::suggest(&ex, filter.as_deref(), &parsed, &req.query)?
    } else {
        Vec::new()
    };
    Ok(SearchResults {
        query: req.query.clone(),
        total,
        literal_total,
        words: m.terms,
        hits,
        suggestions,
        warnings: parsed.warnings,
        facets: facet_counts,
    })
}

/// The request's query, parsed; an error for a request that asks nothing.
fn validate(req: &SearchRequest) -> Result<query::ParsedQuery> {
    let parsed = query::parse_bounded(&req.query)?;
    let has_filter = !req.agencies.is_empty()
        || req.from.is_some()
        || req.to.is_some()
        || !req.paths.is_empty()
        || !parsed.paths.is_empty();
    if parsed.is_empty() && !has_filter {
        return Err(Error::Query {
            query: req.query.clone(),
            reason: if req.query.trim().is_empty() {
                "the query is empty: give words to search for, or a filter such as --agency".into()
            } else if !parsed.excluded.is_empty() {
                "it only says what to leave out: give a word to search for too".into()
            } else if !parsed.warnings.is_empty() {
                // how the operators were read is why nothing is left
                format!(
                    "the query has no searchable characters ({})",
                    parsed.warnings.join("; ")
                )
            } else {
                "the query has no searchable characters".into()
            },
        });
    }
    Ok(parsed)
}

/// A hit: the notice head and its best sections with snippets.
fn make_hit(
    ex: &Executor,
    rank: usize,
    acc: NoticeAcc,
    literal: bool,
    mut secs: Vec<(DocAddress, f32)>,
    // the head section, shown when no section matched (a filter's listing)
    head_section: Option<DocAddress>,
    terms: &[String],
) -> Result<Hit> {
    let f = ex.f;
    secs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.doc_id.cmp(&b.0.doc_id)));
    secs.truncate(SECTIONS_PER_HIT);
    if secs.is_empty()
        && let Some(h) = head_section
    {
        secs.push((h, 0.0));
    }
    let mut sections = Vec::new();
    let mut head: Option<(NoticeHead, Option<String>)> = None;
    for (addr, _) in &secs {
        let doc = ex.stored(*addr)?;
        let s = f.section(&doc);
        let snip = if terms.is_empty() {
            snippet::Snippet::default()
        } else {
            snippet::make(&s.text, terms)
        };
        sections.push(SectionHit {
            heading: s.heading,
            heading_path: s.heading_path,
            snippet: snip.text,
            highlights: snip.highlights,
        });
        if head.is_none() {
            head = Some((f.head(&doc), f.doc_number(&doc)));
        }
    }
    let (head, doc_number) = head.unwrap_or_default();
    Ok(Hit {
        rank,
        score: (acc.score * 1000.0).round() / 1000.0,
        head,
        doc_number,
        literal,
        sections,
    })
}
