//! Running queries against one index: the tantivy query of a unit, the
//! filters, and collecting matching sections with their notice keys.

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::columnar::ColumnIndex;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;
use tantivy::{
    DateTime, DocAddress, DocId, DocSet, Score, Searcher, TERMINATED, TantivyDocument, Term,
};

use super::ordinals;
use super::query::Scope;
use super::sum::SumQuery;
use super::units::{LiteralPlan, Unit};
use super::{SearchRequest, weight};
use crate::analysis::{crossing_marker, normalize};
use crate::error::{Error, Result};
use crate::index::{Fields, IndexHandle};
use crate::notice::Ymd;

/// How many postings a seek is worth: a restricted run seeks to its
/// notices' sections when they are fewer than the postings over this.
const SEEK_COST: u64 = 32;

/// A section matched by one query.
#[derive(Clone, Copy)]
pub(crate) struct SectionMatch {
    /// The section's notice.
    pub(crate) nid: u64,
    pub(crate) addr: DocAddress,
    pub(crate) score: Score,
}

/// A query that matches exactly the texts of `bigram_field` containing `s`:
/// a phrase of non-overlapping bigrams (the last one overlapping if needed).
pub(crate) fn literal_query(bigram_field: Field, s: &[char]) -> Box<dyn Query> {
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

/// A query for Latin `tokens` in `latin_field`: one term, or a phrase
/// keeping the tokens' relative positions (gaps between chunks included);
/// `None` without tokens.
fn latin_query(latin_field: Field, tokens: &[Token]) -> Option<Box<dyn Query>> {
    let first = tokens.first()?;
    let term = |t: &Token| Term::from_field_text(latin_field, &t.text);
    Some(if tokens.len() == 1 {
        Box::new(TermQuery::new(term(first), IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset(
            tokens
                .iter()
                .map(|t| (t.position - first.position, term(t)))
                .collect(),
        ))
    })
}

/// A query matching exactly the texts that contain a literal (as planned),
/// given the bigram field and the Latin field holding the same text.
pub(crate) fn literal_match(ng: Field, latin: Field, plan: &LiteralPlan) -> Box<dyn Query> {
    match latin_query(latin, &plan.latin) {
        Some(q) if plan.chars.is_empty() => q,
        Some(q) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, literal_query(ng, &plan.chars)),
            (Occur::Must, q),
        ])),
        None => literal_query(ng, &plan.chars),
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
pub(crate) struct Executor<'a> {
    pub(crate) searcher: Searcher,
    pub(crate) f: &'a Fields,
    pub(crate) handle: &'a IndexHandle,
}

impl<'a> Executor<'a> {
    /// An executor over the index's current searcher.
    pub(crate) fn new(handle: &'a IndexHandle) -> Self {
        Executor {
            searcher: handle.reader.searcher(),
            f: &handle.fields,
            handle,
        }
    }

    /// The request's filters as one query every section must also match;
    /// `None` without filters.
    pub(crate) fn filter(&self, req: &SearchRequest) -> Result<Option<Box<dyn Query>>> {
        let f = self.f;
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !req.agencies.is_empty() {
            parts.push((Occur::Must, self.agency_query(&req.agencies)?));
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
            parts.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(req.from), bound(req.to))),
            ));
        }
        if let Some(q) = super::paths::query(f, &self.handle.stamp.corpus, &req.paths)? {
            parts.push((Occur::Must, q));
        }
        Ok((!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>))
    }

    /// Section query of a unit: must contain the literal (in scope); scored by
    /// literal and word matches in title, heading, issue label and body.
    pub(crate) fn unit_query(
        &self,
        u: &Unit,
        filter: Option<&dyn Query>,
    ) -> Result<Box<dyn Query>> {
        let f = self.f;
        let plan = LiteralPlan::of(&u.literal);
        if plan.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let title = || literal_match(f.title_ng, f.title_latin, &plan);
        let heading = || literal_match(f.heading_ng, f.heading_latin, &plan);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match u.scope {
            Scope::Any | Scope::Doc => {
                clauses.push((
                    Occur::Must,
                    boost(literal_match(f.ng, f.latin, &plan), weight::LITERAL),
                ));
                // (one Chinese character matches too widely to score)
                if !plan.latin.is_empty() || plan.chars.len() >= 2 {
                    clauses.push((Occur::Should, boost(title(), weight::TITLE_LITERAL)));
                    clauses.push((Occur::Should, boost(heading(), weight::HEADING_LITERAL)));
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
                clauses.push((Occur::Must, boost(title(), weight::TITLE_LITERAL)));
                clauses.extend(self.scored_words(&u.literal, &[(f.title, weight::TITLE_WORD)]));
            }
            Scope::Heading | Scope::Issue => {
                clauses.push((Occur::Must, boost(heading(), weight::HEADING_LITERAL)));
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
        if let Some(filter) = filter {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        // the scoring clauses as one, moved only where a section is kept
        let (should, mut clauses): (Vec<_>, Vec<_>) =
            clauses.into_iter().partition(|(o, _)| *o == Occur::Should);
        if !should.is_empty() {
            let parts = should.into_iter().map(|(_, q)| q).collect();
            clauses.push((Occur::Should, Box::new(SumQuery::new(parts))));
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

    pub(crate) fn run(&self, q: &dyn Query, scoring: bool) -> Result<Vec<SectionMatch>> {
        self.run_only(q, scoring, None)
    }

    /// Every live section matching `q`, with its notice key and (with
    /// `scoring`) score; with `only`, just the sections of those notices. A
    /// section of another notice is skipped before it is scored, so a common
    /// word costs little once a rarer one has narrowed the notices down.
    ///
    /// This loop runs for every section a common word matches (600k for
    /// 政府 at 100k notices), so it reads nothing it can do without: the
    /// notice key straight from the column's values when every section has
    /// one, and no date (a notice's date is read once, for the notices
    /// ordered by date: see [`Executor::notice_dates`]).
    pub(crate) fn run_only(
        &self,
        q: &dyn Query,
        scoring: bool,
        only: Option<Arc<FxHashSet<u64>>>,
    ) -> Result<Vec<SectionMatch>> {
        self.run_scoring(q, scoring, only, None)
    }

    /// [`Executor::run_only`], scoring only the sections of the notices in
    /// `scored`: a unit query's optional scoring clauses are moved only to
    /// the sections scored. Of another notice only the first matching
    /// section is kept (with score 0), which says that it matches, and the
    /// walk skips the rest of it (with notice tables).
    pub(crate) fn run_scoring(
        &self,
        q: &dyn Query,
        scoring: bool,
        only: Option<Arc<FxHashSet<u64>>>,
        scored: Option<&FxHashSet<u64>>,
    ) -> Result<Vec<SectionMatch>> {
        let enable = if scoring {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = q.weight(enable)?;
        let mut out = Vec::new();
        for (ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            let alive = seg.alive_bitset();
            let mut scorer = weight.scorer(seg, 1.0)?;
            // (a guess: the postings of the rarest required term, at most
            // what a few MB hold; growing a long run by doubling copies it)
            out.reserve((scorer.size_hint() as usize).min(1 << 17));
            // pushes a section; false when its notice is matched without
            // scores, whose other sections the walk may skip
            let mut push = |doc: DocId, nid: u64, scorer: &mut Box<dyn tantivy::query::Scorer>| {
                let whole = scored.is_none_or(|s| s.contains(&nid));
                out.push(SectionMatch {
                    nid,
                    addr: DocAddress::new(ord as u32, doc),
                    score: if scoring && whole {
                        scorer.score()
                    } else {
                        0.0
                    },
                });
                whole
            };
            if self.handle.notice_tables {
                let table = ordinals::of(seg)?;
                let Some(only) = &only else {
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc))
                            && let Some(k) = table.key(doc)
                        {
                            push(doc, k, &mut scorer);
                        }
                        doc = scorer.advance();
                    }
                    continue;
                };
                let hint = u64::from(scorer.size_hint());
                if hint < 2 * only.len() as u64 {
                    // few postings: a look-up each costs less than a bit set
                    // of the notices
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc))
                            && let Some(k) = table.key(doc)
                            && only.contains(&k)
                            && !push(doc, k, &mut scorer)
                        {
                            doc = past_notice(&table, doc, &mut scorer);
                            continue;
                        }
                        doc = scorer.advance();
                    }
                    continue;
                }
                let r = table.restrict(only);
                if r.spans.is_empty() {
                    continue;
                }
                // a few notices: seek to their sections rather than walk
                // every posting (a seek costs a few dozen postings' walk)
                let seek = (r.spans.len() as u64).saturating_mul(SEEK_COST)
                    < u64::from(scorer.size_hint());
                let mut doc = scorer.doc();
                if seek {
                    for &(start, end) in &r.spans {
                        if doc < start {
                            doc = scorer.seek(start);
                        }
                        while doc < end {
                            if alive.is_none_or(|a| a.is_alive(doc))
                                && table.admits(&r, doc)
                                && let Some(k) = table.key(doc)
                                && !push(doc, k, &mut scorer)
                            {
                                doc = past_notice(&table, doc, &mut scorer);
                                continue;
                            }
                            doc = scorer.advance();
                        }
                        if doc == TERMINATED {
                            break;
                        }
                    }
                } else {
                    while doc != TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc))
                            && table.admits(&r, doc)
                            && let Some(k) = table.key(doc)
                            && !push(doc, k, &mut scorer)
                        {
                            doc = past_notice(&table, doc, &mut scorer);
                            continue;
                        }
                        doc = scorer.advance();
                    }
                }
                continue;
            }
            let nid = seg.fast_fields().u64("nid")?;
            // every section has a key: its values are indexed by document
            let full = matches!(nid.index, ColumnIndex::Full).then(|| Arc::clone(&nid.values));
            let key = |doc: DocId| match &full {
                Some(values) => Some(values.get_val(doc)),
                None => nid.first(doc),
            };
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc))
                    && let Some(k) = key(doc)
                    && only.as_ref().is_none_or(|o| o.contains(&k))
                {
                    push(doc, k, &mut scorer);
                }
                doc = scorer.advance();
            }
        }
        Ok(out)
    }

    /// An upper bound on the sections a unit matches: the document frequency
    /// of its rarest bigram or Latin token (a unit of one Chinese character
    /// counts as common).
    pub(crate) fn unit_bound(&self, u: &Unit) -> u64 {
        if u.scope != Scope::Any {
            return u64::MAX;
        }
        let plan = LiteralPlan::of(&u.literal);
        let freq = |field: Field, text: &str| {
            let t = Term::from_field_text(field, text);
            self.searcher.doc_freq(&t).unwrap_or(u64::MAX)
        };
        let bigrams = plan
            .chars
            .windows(2)
            .map(|w| freq(self.f.ng, &w.iter().collect::<String>()));
        let latin = plan.latin.iter().map(|t| freq(self.f.latin, &t.text));
        bigrams.chain(latin).min().unwrap_or(u64::MAX)
    }

    /// Of the notices in `claimed`, those where `chars` occurs as typed: the
    /// bigram phrase of a literal skips whitespace (a line break inside a
    /// word still matches), grep does not. A section whose match may span
    /// whitespace holds a crossing marker of one of the literal's pairs; only
    /// such sections are read back and checked. `run` holds the sections
    /// that matched the literal.
    pub(crate) fn as_typed(
        &self,
        chars: &[char],
        run: &[SectionMatch],
        claimed: FxHashSet<u64>,
    ) -> Result<FxHashSet<u64>> {
        if chars.len() < 2 || claimed.is_empty() {
            return Ok(claimed);
        }
        // only the markers some section holds: usually none, and then no
        // section needs a second look
        let markers: Vec<Term> = chars
            .windows(2)
            .map(|w| Term::from_field_text(self.f.ng, &crossing_marker(w[0], w[1])))
            .filter(|t| !matches!(self.searcher.doc_freq(t), Ok(0)))
            .collect();
        if markers.is_empty() {
            return Ok(claimed);
        }
        // a handful of terms: a plain disjunction (a term set query builds an
        // automaton, whose allocation alone cost more than the search)
        let any_marker = BooleanQuery::new(
            markers
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect(),
        );
        let claimed = Arc::new(claimed);
        let crossing: FxHashSet<DocAddress> = self
            .run_only(&any_marker, false, Some(Arc::clone(&claimed)))?
            .into_iter()
            .map(|s| s.addr)
            .collect();
        let mut out: FxHashSet<u64> =
            FxHashSet::with_capacity_and_hasher(claimed.len(), Default::default());
        let mut doubtful: Vec<&SectionMatch> = Vec::new();
        for s in run.iter().filter(|s| claimed.contains(&s.nid)) {
            if crossing.contains(&s.addr) {
                doubtful.push(s);
            } else {
                out.insert(s.nid);
            }
        }
        let needle: String = chars.iter().collect();
        for s in doubtful {
            if out.contains(&s.nid) {
                continue;
            }
            let text = normalize(&self.f.literal_text(&self.stored(s.addr)?));
            if text.contains(&needle) {
                out.insert(s.nid);
            }
        }
        Ok(out)
    }

    /// How rare a unit is, as an inverse document frequency over sections
    /// (from its rarest bigram; 0 for a one-character unit).
    pub(crate) fn rarity(&self, u: &Unit) -> f32 {
        let df = self.unit_bound(u);
        if df == u64::MAX {
            return 0.0;
        }
        let n = self.searcher.num_docs() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// The date (seconds since the epoch) of each notice in `sections`,
    /// read from the one section given for it: every section of a notice
    /// carries its date.
    pub(crate) fn notice_dates(
        &self,
        sections: impl IntoIterator<Item = (u64, DocAddress)>,
    ) -> Result<FxHashMap<u64, Option<i64>>> {
        let mut by_segment: FxHashMap<u32, Vec<(DocId, u64)>> = FxHashMap::default();
        for (k, a) in sections {
            by_segment
                .entry(a.segment_ord)
                .or_default()
                .push((a.doc_id, k));
        }
        let mut out: FxHashMap<u64, Option<i64>> = FxHashMap::default();
        for (ord, docs) in by_segment {
            let col = self
                .searcher
                .segment_reader(ord)
                .fast_fields()
                .date("date")?;
            for (doc, k) in docs {
                out.insert(k, col.first(doc).map(|d| d.into_timestamp_secs()));
            }
        }
        Ok(out)
    }

    pub(crate) fn stored(&self, addr: DocAddress) -> Result<TantivyDocument> {
        Ok(self.searcher.doc::<TantivyDocument>(addr)?)
    }
}

/// Move `scorer`, on `doc`, past the rest of `doc`'s notice.
fn past_notice(
    table: &ordinals::SegmentNotices,
    doc: DocId,
    scorer: &mut Box<dyn tantivy::query::Scorer>,
) -> DocId {
    match table.notice_end(doc) {
        Some(end) if end > doc + 1 => scorer.seek(end),
        _ => scorer.advance(),
    }
}

pub(crate) fn head_only(f: &Fields) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_u64(f.sec, 0),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}
