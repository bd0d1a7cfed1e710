//! Search: a [`SearchRequest`] (no CLI types) becomes tantivy queries over
//! sections; section hits are grouped by notice, ranked, and the best
//! sections of each notice get snippets.
//!
//! Matching is notice-level: every required word must occur somewhere in the
//! notice, and each word is matched literally through the character-bigram
//! field, so recall never depends on how jieba segmented a document. Ranking
//! adds BM25 over jieba words, with title, heading and problem-label matches
//! weighing more than body text.

pub mod explain;
pub mod query;
pub mod snippet;

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, DocSet, Score, Searcher, TERMINATED, TantivyDocument, Term};

use crate::analysis::normalize;
use crate::error::{Error, Result};
use crate::index::{Fields, IndexHandle};
use crate::notice::{Ymd, is_han};
use query::{Atom, Scope};

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
    /// The requested page of hits.
    pub hits: Vec<Hit>,
}

/// A section matched by one unit query.
#[derive(Clone, Copy)]
struct SectionMatch {
    nid: u64,
    addr: DocAddress,
    score: Score,
    date: Option<i64>,
}

/// A literal unit: one string that must occur (in `scope`), plus the words
/// that score it.
#[derive(Clone, Debug)]
struct Unit {
    scope: Scope,
    literal: String,
}

/// Turn an atom into its units: a quoted phrase is one unit; an unquoted
/// word is one unit per word of its cut (each must occur).
fn units_of(handle: &IndexHandle, atom: &Atom) -> Vec<Unit> {
    unit_literals(atom, &|s| handle.query_words(s))
        .into_iter()
        .map(|literal| Unit {
            scope: atom.scope,
            literal,
        })
        .collect()
}

/// The literals of an atom's units, given the word cut of the index (`cut`).
///
/// A quoted phrase, an agency, or a pasted passage longer than
/// [`MAX_WORDS_CHARS`] is one literal, as written: a query's cost stays
/// bounded whatever its length. Otherwise each word of the cut is one, with
/// two refinements:
/// * single characters that the cut left alone are joined to what they touch
///   in the query: a run of them into one literal (主题党日 → 主题 / 党日,
///   not 主题 / 党 / 日), a lone one onto the next word it touches, else the
///   previous one. Such characters are fragments of a word the dictionary
///   does not know; alone, each would match nearly every notice.
/// * a repeated literal counts once.
pub(crate) fn unit_literals(atom: &Atom, cut: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let long = atom.text.chars().count() > MAX_WORDS_CHARS;
    if atom.phrase || atom.scope == Scope::Agency || long {
        return vec![atom.text.clone()];
    }
    let norm = normalize(&atom.text);
    // (word, touches the previous word in the query)
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut cursor = 0usize;
    for w in cut(&atom.text) {
        let at = norm[cursor..].find(w.as_str()).map(|p| p + cursor);
        let touches = !words.is_empty() && at == Some(cursor);
        if let Some(p) = at {
            cursor = p + w.len();
        }
        words.push((w, touches));
    }
    // a Chinese character the cut left alone
    let single = |w: &str| {
        let mut cs = w.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if is_han(c))
    };
    let han_start = |w: &str| w.chars().next().is_some_and(is_han);
    let han_end = |w: &str| w.chars().next_back().is_some_and(is_han);
    // runs of touching single characters become one word:
    // (word, touches the previous one, made of single characters only)
    let mut joined: Vec<(String, bool, bool)> = Vec::new();
    for (w, touches) in words {
        match joined.last_mut() {
            Some((prev, _, true)) if touches && single(&w) => prev.push_str(&w),
            _ => {
                let run = single(&w);
                joined.push((w, touches, run));
            }
        }
    }
    // a lone single character joins the next word it touches, else the
    // previous one it touches
    let mut out: Vec<String> = Vec::new();
    let mut carry: Option<String> = None;
    for i in 0..joined.len() {
        let (w, touches, _) = &joined[i];
        let w = match carry.take() {
            Some(c) => c + w,
            None => w.clone(),
        };
        if single(&w) {
            if joined.get(i + 1).is_some_and(|n| n.1 && han_start(&n.0)) {
                carry = Some(w);
                continue;
            }
            if *touches
                && let Some(prev) = out.last_mut()
                && han_end(prev)
            {
                prev.push_str(&w);
                continue;
            }
        }
        out.push(w);
    }
    out.extend(carry);
    let mut seen: HashSet<String> = HashSet::new();
    out.retain(|w| seen.insert(w.clone()));
    out
}

/// Unquoted strings longer than this are matched as phrases.
const MAX_WORDS_CHARS: usize = 64;

/// Compact normalised characters of a literal (whitespace removed).
fn compact(s: &str) -> Vec<char> {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A query that matches exactly the texts of `bigram_field` containing `s`:
/// a phrase of non-overlapping bigrams (the last one overlapping if needed).
fn literal_query(bigram_field: Field, s: &[char]) -> Box<dyn Query> {
    match s.len() {
        0 => Box::new(EmptyQuery),
        // Every character of an n-gram field begins one of its terms (a
        // bigram, or the last character alone): the terms in [c, next char).
        1 => {
            let from = Term::from_field_text(bigram_field, &s[0].to_string());
            let next = (u32::from(s[0]) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
            let to = match next {
                Some(n) => Bound::Excluded(Term::from_field_text(bigram_field, &n.to_string())),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(Bound::Included(from), to))
        }
        2 => Box::new(TermQuery::new(
            Term::from_field_text(bigram_field, &s.iter().collect::<String>()),
            IndexRecordOption::WithFreqs,
        )),
        n => {
            let mut terms: Vec<(usize, Term)> = Vec::new();
            let mut i = 0;
            while i + 2 <= n {
                let t: String = s[i..i + 2].iter().collect();
                terms.push((i, Term::from_field_text(bigram_field, &t)));
                i += 2;
            }
            if n % 2 == 1 {
                let t: String = s[n - 2..].iter().collect();
                terms.push((n - 2, Term::from_field_text(bigram_field, &t)));
            }
            Box::new(PhraseQuery::new_with_offset(terms))
        }
    }
}

fn boost(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, w))
}

/// Word-field terms of a literal, each a should-clause scoring `field`.
fn word_terms(
    handle: &IndexHandle,
    field: Field,
    literal: &str,
    w: f32,
) -> Vec<(Occur, Box<dyn Query>)> {
    handle
        .query_words(literal)
        .into_iter()
        .map(|word| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &word),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, boost(q, w))
        })
        .collect()
}

/// The executor of one request against one index.
struct Executor<'a> {
    searcher: Searcher,
    f: &'a Fields,
    handle: &'a IndexHandle,
}

impl Executor<'_> {
    /// Section query of a unit: must contain the literal (in scope); scored by
    /// literal and word matches in title, heading, issue label and body.
    fn unit_query(&self, u: &Unit, agency_filter: Option<&dyn Query>) -> Result<Box<dyn Query>> {
        let f = self.f;
        let chars = compact(&u.literal);
        if chars.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match u.scope {
            Scope::Any | Scope::Doc => {
                clauses.push((
                    Occur::Must,
                    boost(literal_query(f.ng, &chars), weight::LITERAL),
                ));
                if chars.len() >= 2 {
                    clauses.push((
                        Occur::Should,
                        boost(literal_query(f.title_ng, &chars), weight::TITLE_LITERAL),
                    ));
                    clauses.push((
                        Occur::Should,
                        boost(literal_query(f.heading_ng, &chars), weight::HEADING_LITERAL),
                    ));
                }
                clauses.extend(self.scored_words(
                    &u.literal,
                    &[
                        (f.title, weight::TITLE_WORD),
                        (f.heading, weight::HEADING_WORD),
                        (f.issue, weight::ISSUE_WORD),
                        (f.body, weight::BODY_WORD),
                    ],
                ));
                if u.scope == Scope::Doc {
                    clauses.push((Occur::Must, head_only(f)));
                }
            }
            Scope::Title => {
                clauses.push((
                    Occur::Must,
                    boost(literal_query(f.title_ng, &chars), weight::TITLE_LITERAL),
                ));
                clauses.extend(self.scored_words(&u.literal, &[(f.title, weight::TITLE_WORD)]));
            }
            Scope::Heading | Scope::Issue => {
                clauses.push((
                    Occur::Must,
                    boost(literal_query(f.heading_ng, &chars), weight::HEADING_LITERAL),
                ));
                clauses.extend(self.scored_words(
                    &u.literal,
                    &[
                        (f.heading, weight::HEADING_WORD),
                        (f.issue, weight::ISSUE_WORD),
                    ],
                ));
                if u.scope == Scope::Issue {
                    for (_, q) in word_terms(self.handle, f.issue, &u.literal, 1.0) {
                        clauses.push((Occur::Must, q));
                    }
                }
            }
            Scope::Agency => {
                let q = self.agency_query(std::slice::from_ref(&u.literal))?;
                clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 1.0))));
                clauses.push((Occur::Must, head_only(f)));
            }
        }
        if let Some(filter) = agency_filter {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Should-clauses scoring the literal's words in each `(field, weight)`.
    fn scored_words(&self, literal: &str, fields: &[(Field, f32)]) -> Vec<(Occur, Box<dyn Query>)> {
        fields
            .iter()
            .flat_map(|(field, w)| word_terms(self.handle, *field, literal, *w))
            .collect()
    }

    /// Sections whose agency contains any of `needles` (after normalisation).
    fn agency_query(&self, needles: &[String]) -> Result<Box<dyn Query>> {
        let needles: Vec<String> = needles.iter().map(|n| normalize(n.trim())).collect();
        let mut terms: HashSet<Vec<u8>> = HashSet::new();
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(self.f.agency_kw)?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| Error::io("reading the agency terms", e))?;
            while stream.advance() {
                let key = stream.key();
                if let Ok(s) = std::str::from_utf8(key)
                    && needles.iter().any(|n| s.contains(n.as_str()))
                {
                    terms.insert(key.to_vec());
                }
            }
        }
        let terms: Vec<Term> = terms
            .into_iter()
            .filter_map(|k| String::from_utf8(k).ok())
            .map(|s| Term::from_field_text(self.f.agency_kw, &s))
            .collect();
        Ok(Box::new(TermSetQuery::new(terms)))
    }

    fn run(&self, q: &dyn Query, scoring: bool) -> Result<Vec<SectionMatch>> {
        self.run_only(q, scoring, None)
    }

    /// Every live section matching `q`, with its notice key, date and (with
    /// `scoring`) score; with `only`, just the sections of those notices. A
    /// section of another notice is skipped before it is scored, so a common
    /// word costs little once a rarer one has narrowed the notices down.
    fn run_only(
        &self,
        q: &dyn Query,
        scoring: bool,
        only: Option<Arc<FxHashSet<u64>>>,
    ) -> Result<Vec<SectionMatch>> {
        let enable = if scoring {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = q.weight(enable)?;
        let mut out = Vec::new();
        for (ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            let nid = seg.fast_fields().u64("nid")?;
            let date = seg.fast_fields().date("date")?;
            let alive = seg.alive_bitset();
            let mut scorer = weight.scorer(seg, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc))
                    && let Some(k) = nid.first(doc)
                    && only.as_ref().is_none_or(|o| o.contains(&k))
                {
                    out.push(SectionMatch {
                        nid: k,
                        addr: DocAddress::new(ord as u32, doc),
                        score: if scoring { scorer.score() } else { 0.0 },
                        date: date.first(doc).map(|d| d.into_timestamp_secs()),
                    });
                }
                doc = scorer.advance();
            }
        }
        Ok(out)
    }

    /// An upper bound on the sections a unit matches: the document frequency
    /// of its rarest bigram (any unit of one character counts as common).
    fn unit_bound(&self, u: &Unit) -> u64 {
        let chars = compact(&u.literal);
        if chars.len() < 2 || u.scope != Scope::Any {
            return u64::MAX;
        }
        chars
            .windows(2)
            .map(|w| {
                let t = Term::from_field_text(self.f.ng, &w.iter().collect::<String>());
                self.searcher.doc_freq(&t).unwrap_or(u64::MAX)
            })
            .min()
            .unwrap_or(u64::MAX)
    }

    fn stored(&self, addr: DocAddress) -> Result<TantivyDocument> {
        Ok(self.searcher.doc::<TantivyDocument>(addr)?)
    }
}

fn head_only(f: &Fields) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_u64(f.sec, 0),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

fn get_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

/// Per-notice accumulation.
#[derive(Default)]
struct NoticeAcc {
    /// Clauses matched as a whole literal (an unsegmented query string found
    /// as written, not just its words scattered): ranks before `score`.
    tier: u32,
    score: f32,
    date: Option<i64>,
    head: Option<DocAddress>,
}

/// Per-section accumulation.
struct SectionAcc {
    /// The section's notice.
    nid: u64,
    score: f32,
    /// Which clauses the section matched (bit i = clause i).
    clauses: u64,
}

/// Run a search. A panic while reading the index (bytes tantivy did not
/// write) is reported as a damaged index, never a crash.
pub fn search(handle: &IndexHandle, req: &SearchRequest) -> Result<SearchResults> {
    crate::index::check::shielded(&handle.path, || search_unshielded(handle, req))
}

fn search_unshielded(handle: &IndexHandle, req: &SearchRequest) -> Result<SearchResults> {
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
    let has_filter = !req.agencies.is_empty() || req.from.is_some() || req.to.is_some();
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
    let ex = Executor {
        searcher: handle.reader.searcher(),
        f: &handle.fields,
        handle,
    };
    let f = &handle.fields;

    // Filters: one query every section must also match.
    let mut filter_parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !req.agencies.is_empty() {
        filter_parts.push((Occur::Must, ex.agency_query(&req.agencies)?));
    }
    if req.from.is_some() || req.to.is_some() {
        // clamp to what an index date can hold (1678–2261)
        let lo = Ymd::new(1678, 1, 1).map_or(i64::MIN, Ymd::unix_seconds);
        let hi = Ymd::new(2261, 12, 31).map_or(i64::MAX, Ymd::unix_seconds);
        let bound = |d: Option<Ymd>| match d {
            Some(d) => Bound::Included(Term::from_field_date(
                f.date,
                DateTime::from_timestamp_secs(d.unix_seconds().clamp(lo, hi)),
            )),
            None => Bound::Unbounded,
        };
        filter_parts.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(req.from), bound(req.to))),
        ));
    }
    let filter: Option<Box<dyn Query>> = (!filter_parts.is_empty())
        .then(|| Box::new(BooleanQuery::new(filter_parts)) as Box<dyn Query>);

    let mut notices: FxHashMap<u64, NoticeAcc> = FxHashMap::default();
    // The sections each unit (and whole string) matched in the notices that
    // matched its atom, with the bit of its clause.
    let mut all_runs: Vec<(u64, Vec<SectionMatch>)> = Vec::new();
    // Per-section totals (keyed by `addr_key`), when the query has several
    // clauses: sections holding all of them count more.
    let mut sections: FxHashMap<u64, SectionAcc> = FxHashMap::default();
    let mut terms_for_snippets: Vec<String> = Vec::new();

    if parsed.is_empty() {
        // Filter only: every notice that passes, newest first.
        let mut q: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, head_only(f))];
        if let Some(fq) = &filter {
            q.push((Occur::Must, fq.box_clone()));
        }
        for m in ex.run(&BooleanQuery::new(q), false)? {
            let acc = notices.entry(m.nid).or_default();
            acc.date = m.date;
            acc.head = Some(m.addr);
        }
    } else {
        let mut candidate: Option<Arc<FxHashSet<u64>>> = None;
        for (ci, clause) in parsed.clauses.iter().enumerate() {
            let bit = 1u64 << ci.min(63);
            let mut clause_scores: FxHashMap<u64, (u32, f32)> = FxHashMap::default();
            for atom in clause {
                let units = units_of(handle, atom);
                if units.is_empty() {
                    continue;
                }
                for u in &units {
                    if !terms_for_snippets.contains(&u.literal) {
                        terms_for_snippets.push(u.literal.clone());
                    }
                }
                // Every unit must occur in the notice: the rarest first, and
                // each later one only collects the notices still in.
                let mut order: Vec<(u64, usize)> = units
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (ex.unit_bound(u), i))
                    .collect();
                order.sort_unstable();
                let mut runs: Vec<Vec<SectionMatch>> = Vec::with_capacity(units.len());
                // notice -> (score, date)
                let mut alt: Option<FxHashMap<u64, (f32, Option<i64>)>> = None;
                for &(_, i) in &order {
                    let only = match &alt {
                        Some(a) => Some(Arc::new(a.keys().copied().collect())),
                        None => candidate.clone(),
                    };
                    let q = ex.unit_query(&units[i], filter.as_deref())?;
                    runs.push(ex.run_only(q.as_ref(), true, only)?);
                    let mut per_notice: FxHashMap<u64, (f32, f32, Option<i64>)> =
                        FxHashMap::default();
                    for m in runs.last().into_iter().flatten() {
                        let e = per_notice.entry(m.nid).or_insert((0.0, 0.0, m.date));
                        if m.score > e.0 {
                            e.1 += e.0;
                            e.0 = m.score;
                        } else {
                            e.1 += m.score;
                        }
                    }
                    alt = Some(match alt {
                        None => per_notice
                            .into_iter()
                            .map(|(k, (best, rest, date))| (k, (unit_score(best, rest), date)))
                            .collect(),
                        Some(mut prev) => {
                            prev.retain(|k, s| match per_notice.get(k) {
                                Some(&(best, rest, _)) => {
                                    s.0 += unit_score(best, rest);
                                    true
                                }
                                None => false,
                            });
                            prev
                        }
                    });
                }
                let alt = alt.unwrap_or_default();
                for (k, (_, date)) in &alt {
                    notices.entry(*k).or_default().date = *date;
                }
                // The sections of the notices still in, kept for the
                // same-section bonus and the best sections shown.
                for mut run in runs {
                    run.retain(|m| alt.contains_key(&m.nid));
                    all_runs.push((bit, run));
                }
                // The whole string as written: a phrase bonus and a tier.
                let whole: FxHashMap<u64, f32> = if units.len() > 1 {
                    let u = Unit {
                        scope: atom.scope,
                        literal: atom.text.clone(),
                    };
                    let q = ex.unit_query(&u, filter.as_deref())?;
                    let mut best: FxHashMap<u64, f32> = FxHashMap::default();
                    let only = Arc::new(alt.keys().copied().collect());
                    // (a section holding the whole string holds every unit)
                    let run = ex.run_only(q.as_ref(), true, Some(only))?;
                    for m in &run {
                        let e = best.entry(m.nid).or_insert(0.0);
                        *e = e.max(m.score);
                    }
                    all_runs.push((bit, run));
                    best
                } else {
                    alt.keys().map(|k| (*k, 0.0)).collect()
                };
                for (k, (s, _)) in alt {
                    let literal = whole.get(&k);
                    let s = s + literal.copied().unwrap_or(0.0);
                    let e = clause_scores.entry(k).or_insert((0, 0.0));
                    let cand = (u32::from(literal.is_some()), s);
                    if cand.0 > e.0 || (cand.0 == e.0 && cand.1 > e.1) {
                        *e = cand;
                    }
                }
            }
            for (k, (tier, s)) in &clause_scores {
                if let Some(acc) = notices.get_mut(k) {
                    acc.tier += tier;
                    acc.score += s;
                }
            }
            let keys: FxHashSet<u64> = clause_scores.into_keys().collect();
            candidate = Some(Arc::new(match candidate {
                None => keys,
                Some(c) => c.intersection(&keys).copied().collect(),
            }));
        }
        let keep = candidate.unwrap_or_default();
        notices.retain(|k, _| keep.contains(k));
        // Title coverage: the share of clauses whose text the title holds.
        let mut in_title: FxHashMap<u64, u32> = FxHashMap::default();
        for clause in &parsed.clauses {
            let mut hit: FxHashSet<u64> = FxHashSet::default();
            for atom in clause.iter().filter(|a| a.scope == Scope::Any) {
                let chars = compact(&atom.text);
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, literal_query(f.title_ng, &chars)),
                    (Occur::Must, head_only(f)),
                ]));
                for m in ex.run(q.as_ref(), false)? {
                    if notices.contains_key(&m.nid) {
                        hit.insert(m.nid);
                    }
                }
            }
            for k in hit {
                *in_title.entry(k).or_insert(0) += 1;
            }
        }
        let nclauses = parsed.clauses.len().max(1) as f32;
        for (k, c) in in_title {
            if let Some(acc) = notices.get_mut(&k) {
                acc.score *= 1.0 + weight::TITLE_COVERAGE * c as f32 / nclauses;
            }
        }
        // Same section: a section holding every clause counts more, and so
        // does its notice.
        let n = parsed.clauses.len().min(64);
        if n >= 2 {
            for (bit, run) in &all_runs {
                for m in run.iter().filter(|m| notices.contains_key(&m.nid)) {
                    let sec = sections.entry(addr_key(m.addr)).or_insert(SectionAcc {
                        nid: m.nid,
                        score: 0.0,
                        clauses: 0,
                    });
                    sec.score += m.score;
                    sec.clauses |= bit;
                }
            }
            let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            let mut best: FxHashMap<u64, f32> = FxHashMap::default();
            for sec in sections.values_mut() {
                if sec.clauses & all == all {
                    let b = best.entry(sec.nid).or_insert(0.0);
                    *b = b.max(sec.score);
                    sec.score *= 1.0 + weight::SAME_SECTION;
                }
            }
            for (k, b) in best {
                if let Some(acc) = notices.get_mut(&k) {
                    acc.score += weight::SAME_SECTION * b;
                }
            }
        }
        for atom in &parsed.excluded {
            for u in units_of(handle, atom) {
                let q = ex.unit_query(&u, None)?;
                for m in ex.run(q.as_ref(), false)? {
                    notices.remove(&m.nid);
                }
            }
        }
    }

    let total = notices.len();
    let mut ranked: Vec<(u64, NoticeAcc)> = notices.into_iter().collect();
    let by_date = parsed.is_empty() || req.sort == SortOrder::Date;
    let order = |a: &(u64, NoticeAcc), b: &(u64, NoticeAcc)| {
        if by_date {
            b.1.date
                .cmp(&a.1.date)
                .then(b.1.score.total_cmp(&a.1.score))
                .then(a.0.cmp(&b.0))
        } else {
            b.1.tier
                .cmp(&a.1.tier)
                .then(b.1.score.total_cmp(&a.1.score))
                .then(a.0.cmp(&b.0))
        }
    };
    // Only the requested page needs to be in order.
    let end = req.offset.saturating_add(req.limit).min(ranked.len());
    if end > 0 && end < ranked.len() {
        ranked.select_nth_unstable_by(end - 1, order);
        ranked.truncate(end);
    }
    ranked.sort_by(order);
    let page: Vec<(u64, NoticeAcc)> = ranked
        .into_iter()
        .skip(req.offset)
        .take(req.limit)
        .collect();
    // The matched sections of the notices on the page.
    let mut page_sections: FxHashMap<u64, Vec<(DocAddress, f32)>> =
        page.iter().map(|(k, _)| (*k, Vec::new())).collect();
    if sections.is_empty() {
        let mut totals: FxHashMap<u64, (u64, f32)> = FxHashMap::default();
        for m in all_runs.iter().flat_map(|(_, run)| run) {
            if page_sections.contains_key(&m.nid) {
                totals.entry(addr_key(m.addr)).or_insert((m.nid, 0.0)).1 += m.score;
            }
        }
        for (key, (nid, score)) in totals {
            if let Some(v) = page_sections.get_mut(&nid) {
                v.push((key_addr(key), score));
            }
        }
    } else {
        for (key, sec) in &sections {
            if let Some(v) = page_sections.get_mut(&sec.nid) {
                v.push((key_addr(*key), sec.score));
            }
        }
    }
    let mut hits = Vec::new();
    for (i, (k, acc)) in page.into_iter().enumerate() {
        let secs = page_sections.remove(&k).unwrap_or_default();
        hits.push(make_hit(
            &ex,
            req.offset + i + 1,
            acc,
            secs,
            &terms_for_snippets,
        )?);
    }
    Ok(SearchResults {
        query: req.query.clone(),
        total,
        hits,
    })
}

/// A unit's score in a notice: its best section's, plus a share of the
/// others' (capped).
fn unit_score(best: f32, rest: f32) -> f32 {
    best + weight::OTHER_SECTIONS * rest.min(best * weight::OTHER_SECTIONS_CAP)
}

/// A section address as one hash key.
fn addr_key(a: DocAddress) -> u64 {
    (u64::from(a.segment_ord) << 32) | u64::from(a.doc_id)
}

fn key_addr(k: u64) -> DocAddress {
    DocAddress::new((k >> 32) as u32, k as u32)
}

fn make_hit(
    ex: &Executor,
    rank: usize,
    acc: NoticeAcc,
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

    fn units(text: &str, cut: &[&str]) -> Vec<String> {
        let atom = Atom {
            scope: Scope::Any,
            text: text.to_string(),
            phrase: false,
        };
        let words: Vec<String> = cut.iter().map(|w| w.to_string()).collect();
        unit_literals(&atom, &move |_| words.clone())
    }

    #[test]
    fn single_characters_join_what_they_touch() {
        // a run of single characters is one unit
        assert_eq!(units("主题党日", &["主题", "党", "日"]), ["主题", "党日"]);
        // a lone one joins the next word, else the previous
        assert_eq!(
            units("巡察的问题", &["巡察", "的", "问题"]),
            ["巡察", "的问题"]
        );
        assert_eq!(units("问题的", &["问题", "的"]), ["问题的"]);
        // not across a separator the cut dropped
        assert_eq!(units("党、政府", &["党", "政府"]), ["党", "政府"]);
        assert_eq!(units("政府、党", &["政府", "党"]), ["政府", "党"]);
        // words of two or more characters stay as they are; repeats count once
        assert_eq!(
            units("公务接待超标准", &["公务", "接待", "超标准"]),
            ["公务", "接待", "超标准"]
        );
        assert_eq!(units("整改整改", &["整改", "整改"]), ["整改"]);
        assert_eq!(units("党", &["党"]), ["党"]);
        // only Chinese characters, onto Chinese words
        assert_eq!(units("31m巡察", &["31", "m", "巡察"]), ["31", "m", "巡察"]);
        assert_eq!(units("5g党", &["5g", "党"]), ["5g", "党"]);
    }
}
