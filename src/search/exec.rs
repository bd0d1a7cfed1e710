//! Running queries against one index: the tantivy query of a unit, the
//! filters, and collecting matching sections with their notice keys.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::columnar::ColumnIndex;
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;
use tantivy::{
    DateTime, DocAddress, DocId, DocSet, Score, Searcher, TERMINATED, TantivyDocument, Term,
};

use super::ordinals::{self, Restriction, SegmentNotices};
use super::pair::PairQuery;
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

/// The notices a walk is restricted to: a set of keys, or the keys of a
/// map already built (no set is copied from it).
pub(crate) trait NoticeSet {
    /// True when the notice `k` is in.
    fn holds(&self, k: u64) -> bool;
    /// How many notices are in.
    fn count(&self) -> usize;
    /// Call `f` with each notice in.
    fn each(&self, f: &mut dyn FnMut(u64));
    /// The notices in segment `seg` as a walk restricts to them, when
    /// worked out already (see [`Restricted`]).
    fn known(&self, _seg: usize) -> Option<&Restriction> {
        None
    }
    /// The notices in segment `seg` (of notice table `table`) as a walk
    /// restricts to them, worked out once when the set keeps them.
    fn restriction(&self, _seg: usize, _table: &SegmentNotices) -> Option<&Restriction> {
        None
    }
}

/// A notice set that works out its per-segment restrictions once, for the
/// several walks restricted to it: turning a set of keys into a segment's
/// ordinals costs a hash look-up per notice and segment, more than the
/// walk itself when a rarer word left thousands of notices.
pub(crate) struct Restricted<S> {
    pub(crate) set: S,
    /// Per segment, once worked out.
    per_segment: Vec<OnceCell<Restriction>>,
}

impl<S: NoticeSet> Restricted<S> {
    /// `set`, its restrictions worked out when a walk needs them.
    pub(crate) fn of(ex: &Executor, set: S) -> Restricted<S> {
        let n = ex.searcher.segment_readers().len();
        Restricted {
            set,
            per_segment: (0..n).map(|_| OnceCell::new()).collect(),
        }
    }

    /// `set`, which holds exactly the notices of the sections in `run` (a
    /// run in walk order, as [`Executor::run_scoring`] returns it), with
    /// restrictions read from the run's notice ordinals: no look-up by key.
    pub(crate) fn of_run(ex: &Executor, set: S, run: &[SectionMatch]) -> Result<Restricted<S>> {
        let mut r = Restricted::of(ex, set);
        if !ex.handle.notice_tables {
            return Ok(r);
        }
        for (ord, seg) in ex.searcher.segment_readers().iter().enumerate() {
            let from = run.partition_point(|s| (s.addr.segment_ord as usize) < ord);
            let to = run.partition_point(|s| (s.addr.segment_ord as usize) <= ord);
            let notices = run
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .map(|s| s.ordinal);
            let made = ordinals::of(seg)?.restrict_ordinals(notices);
            if let Some(cell) = r.per_segment.get_mut(ord) {
                *cell = OnceCell::from(made);
            }
        }
        Ok(r)
    }
}

impl<S: NoticeSet> NoticeSet for Restricted<S> {
    #[inline]
    fn holds(&self, k: u64) -> bool {
        self.set.holds(k)
    }
    fn count(&self) -> usize {
        self.set.count()
    }
    fn each(&self, f: &mut dyn FnMut(u64)) {
        self.set.each(f)
    }
    fn known(&self, seg: usize) -> Option<&Restriction> {
        self.per_segment.get(seg)?.get()
    }
    fn restriction(&self, seg: usize, table: &SegmentNotices) -> Option<&Restriction> {
        Some(
            self.per_segment
                .get(seg)?
                .get_or_init(|| table.restrict(&self.set)),
        )
    }
}

impl<S: NoticeSet + ?Sized> NoticeSet for &S {
    #[inline]
    fn holds(&self, k: u64) -> bool {
        (**self).holds(k)
    }
    fn count(&self) -> usize {
        (**self).count()
    }
    fn each(&self, f: &mut dyn FnMut(u64)) {
        (**self).each(f)
    }
    fn known(&self, seg: usize) -> Option<&Restriction> {
        (**self).known(seg)
    }
    fn restriction(&self, seg: usize, table: &SegmentNotices) -> Option<&Restriction> {
        (**self).restriction(seg, table)
    }
}

impl NoticeSet for FxHashSet<u64> {
    #[inline]
    fn holds(&self, k: u64) -> bool {
        self.contains(&k)
    }
    fn count(&self) -> usize {
        self.len()
    }
    fn each(&self, f: &mut dyn FnMut(u64)) {
        self.iter().for_each(|k| f(*k));
    }
}

impl<V> NoticeSet for FxHashMap<u64, V> {
    #[inline]
    fn holds(&self, k: u64) -> bool {
        self.contains_key(&k)
    }
    fn count(&self) -> usize {
        self.len()
    }
    fn each(&self, f: &mut dyn FnMut(u64)) {
        self.keys().for_each(|k| f(*k));
    }
}

/// A section matched by one query.
#[derive(Clone, Copy)]
pub(crate) struct SectionMatch {
    /// The section's notice.
    pub(crate) nid: u64,
    pub(crate) addr: DocAddress,
    pub(crate) score: Score,
    /// The notice's ordinal in its segment's notice table (see
    /// [`ordinals`]); [`NO_ORDINAL`] without notice tables.
    pub(crate) ordinal: u32,
}

/// [`SectionMatch::ordinal`] of a walk without notice tables.
pub(crate) const NO_ORDINAL: u32 = u32::MAX;

/// The terms of a literal of two or more characters in `bigram_field`, at
/// their offsets: non-overlapping bigrams, the last one overlapping if
/// needed.
fn bigram_terms(bigram_field: Field, s: &[char]) -> Vec<(usize, Term)> {
    let n = s.len();
    let mut terms: Vec<(usize, Term)> = Vec::new();
    let mut i = 0;
    while i + 2 <= n {
        let t: String = s[i..i + 2].iter().collect();
        terms.push((i, Term::from_field_text(bigram_field, &t)));
        i += 2;
    }
    if n % 2 == 1 && n > 2 {
        let t: String = s[n - 2..].iter().collect();
        terms.push((n - 2, Term::from_field_text(bigram_field, &t)));
    }
    terms
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
        _ => Box::new(PhraseQuery::new_with_offset(bigram_terms(bigram_field, s))),
    }
}

/// The terms of Latin `tokens` in `latin_field`, at their positions
/// relative to the first (gaps between chunks included).
fn latin_terms(latin_field: Field, tokens: &[Token]) -> Vec<(usize, Term)> {
    let Some(first) = tokens.first() else {
        return Vec::new();
    };
    tokens
        .iter()
        .map(|t| {
            (
                t.position - first.position,
                Term::from_field_text(latin_field, &t.text),
            )
        })
        .collect()
}

/// A query for Latin `tokens` in `latin_field`: one term, or a phrase
/// keeping the tokens' relative positions; `None` without tokens.
fn latin_query(latin_field: Field, tokens: &[Token]) -> Option<Box<dyn Query>> {
    let mut terms = latin_terms(latin_field, tokens);
    match terms.len() {
        0 => None,
        1 => {
            let (_, t) = terms.pop()?;
            Some(Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)))
        }
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
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

/// The most a section can score for a unit (see
/// [`Executor::unit_max_score`]), in two parts: what the notice's title
/// gives, which only a head section whose title holds the unit's literal or
/// one of its `words` can score, and everything else.
pub(crate) struct MaxScore {
    pub(crate) title: f32,
    pub(crate) other: f32,
    pub(crate) words: Vec<String>,
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
                    boost(self.text_literal(&plan), weight::LITERAL),
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

    /// A query matching exactly the sections whose text holds a literal (as
    /// planned): its common pair when it is one (see [`PairQuery`]: the same
    /// sections, scored the same), else its bigrams and Latin tokens.
    fn text_literal(&self, plan: &LiteralPlan) -> Box<dyn Query> {
        let f = self.f;
        if plan.latin.is_empty() && crate::analysis::common_pair(&plan.chars) {
            Box::new(PairQuery::new(f.pairs, f.ng, &plan.chars))
        } else {
            literal_match(f.ng, f.latin, plan)
        }
    }

    /// The most any section can score for `u`'s query ([`Executor::unit_query`]):
    /// each scored part's BM25 maximum (its terms' rarity, a term frequency
    /// without end) times its weight, summed as the query sums the parts.
    /// `None` where no bound is kept: a unit of one Chinese character (whose
    /// range query scores otherwise) or of a scope other than the text.
    pub(crate) fn unit_max_score(&self, u: &Unit) -> Result<Option<MaxScore>> {
        if !matches!(u.scope, Scope::Any | Scope::Doc) {
            return Ok(None);
        }
        let f = self.f;
        let plan = LiteralPlan::of(&u.literal);
        let words = self.handle.query_words(&u.literal);
        let mut most = MaxScore {
            title: 0.0,
            other: 0.0,
            words: words.clone(),
        };
        if plan.is_empty() {
            return Ok(Some(most));
        }
        if plan.chars.len() == 1 {
            return Ok(None);
        }
        let max = |terms: Vec<(usize, Term)>| -> Result<f32> {
            if terms.is_empty() {
                return Ok(0.0);
            }
            let terms: Vec<Term> = terms.into_iter().map(|(_, t)| t).collect();
            Ok(Bm25Weight::for_terms(&self.searcher, &terms)?.max_score())
        };
        // a literal's query: its bigrams' phrase (or term) and its Latin
        // tokens' (see `literal_match`)
        let literal = |ng: Field, latin: Field| -> Result<f32> {
            let chars = if plan.chars.is_empty() {
                0.0
            } else {
                max(bigram_terms(ng, &plan.chars))?
            };
            Ok(chars + max(latin_terms(latin, &plan.latin))?)
        };
        most.other = weight::LITERAL * literal(f.ng, f.latin)?;
        if !plan.latin.is_empty() || plan.chars.len() >= 2 {
            most.title += weight::TITLE_LITERAL * literal(f.title_ng, f.title_latin)?;
            most.other += weight::HEADING_LITERAL * literal(f.heading_ng, f.heading_latin)?;
        }
        for (field, w) in [
            (f.title, weight::TITLE_WORD),
            (f.heading, weight::HEADING_WORD),
            (f.issue, weight::ISSUE_WORD),
            (f.body, weight::BODY_WORD),
        ] {
            for word in &words {
                let m = w * max(vec![(0, Term::from_field_text(field, word))])?;
                if field == f.title {
                    most.title += m;
                } else {
                    most.other += m;
                }
            }
        }
        Ok(Some(most))
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
        only: Option<&dyn NoticeSet>,
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
        only: Option<&dyn NoticeSet>,
        scored: Option<&FxHashSet<u64>>,
    ) -> Result<Vec<SectionMatch>> {
        let enable = if scoring {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = q.weight(enable)?;
        let mut out = Vec::new();
        let segments = self.searcher.segment_readers();
        let mut scorers = Vec::with_capacity(segments.len());
        for seg in segments {
            scorers.push(weight.scorer(seg, 1.0)?);
        }
        // Room for the run, reserved once (a guess: the postings of the
        // rarest required term in every segment, at most what a few MB
        // hold): growing a long run copies it.
        let guess: usize = scorers.iter().map(|s| s.size_hint() as usize).sum();
        out.reserve(guess.min(1 << 18));
        for (ord, (seg, mut scorer)) in segments.iter().zip(scorers).enumerate() {
            let alive = seg.alive_bitset();
            // pushes a section; false when its notice is matched without
            // scores, whose other sections the walk may skip
            let mut push =
                |doc: DocId,
                 (nid, ordinal): (u64, u32),
                 scorer: &mut Box<dyn tantivy::query::Scorer>| {
                    let whole = scored.is_none_or(|s| s.contains(&nid));
                    out.push(SectionMatch {
                        nid,
                        ordinal,
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
                let Some(only) = only else {
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc))
                            && let Some(o) = table.ordinal(doc)
                        {
                            push(doc, (table.key_of(o), o), &mut scorer);
                        }
                        doc = scorer.advance();
                    }
                    continue;
                };
                let hint = u64::from(scorer.size_hint());
                if hint < 2 * only.count() as u64 {
                    // few postings: a look-up each costs less than a bit set
                    // of the notices (a bit test when there is one)
                    let known = only.known(ord);
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc))
                            && let Some(o) = table.ordinal(doc)
                            && known.map_or_else(|| only.holds(table.key_of(o)), |r| r.admits(o))
                            && !push(doc, (table.key_of(o), o), &mut scorer)
                        {
                            doc = past_notice(&table, doc, &mut scorer);
                            continue;
                        }
                        doc = scorer.advance();
                    }
                    continue;
                }
                let made;
                let r = match only.restriction(ord, &table) {
                    Some(r) => r,
                    None => {
                        made = table.restrict(only);
                        &made
                    }
                };
                if r.spans.is_empty() {
                    continue;
                }
                // a few notices: seek to their sections rather than walk
                // every posting (a seek costs a few dozen postings' walk)
                let seek = (r.spans.len() as u64).saturating_mul(SEEK_COST)
                    < u64::from(scorer.size_hint());
                let mut doc = scorer.doc();
                if seek {
                    for &(start, end) in r.spans.iter() {
                        if doc < start {
                            doc = scorer.seek(start);
                        }
                        while doc < end {
                            if alive.is_none_or(|a| a.is_alive(doc))
                                && let Some(o) = table.ordinal(doc)
                                && r.admits(o)
                                && !push(doc, (table.key_of(o), o), &mut scorer)
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
                            && let Some(o) = table.ordinal(doc)
                            && r.admits(o)
                            && !push(doc, (table.key_of(o), o), &mut scorer)
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
                    && only.is_none_or(|o| o.holds(k))
                {
                    push(doc, (k, NO_ORDINAL), &mut scorer);
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

    /// Of the notices in `claimed`, those where `chars` does **not** occur
    /// as typed: the bigram phrase of a literal skips whitespace (a line
    /// break inside a word still matches), grep does not. A section whose
    /// match may span whitespace holds a crossing marker of one of the
    /// literal's pairs; only such sections are read back and checked, and
    /// only for notices that have no other matching section. `run` holds the
    /// sections that matched the literal, every notice in `claimed` having
    /// one there. Usually empty, and then no set of the claimed notices is
    /// made, nor is `run` looked at.
    pub(crate) fn not_as_typed(
        &self,
        chars: &[char],
        run: &[SectionMatch],
        claimed: &dyn NoticeSet,
    ) -> Result<FxHashSet<u64>> {
        let mut failed: FxHashSet<u64> = FxHashSet::default();
        if chars.len() < 2 || claimed.count() == 0 {
            return Ok(failed);
        }
        // only the markers some section holds: usually none, and then no
        // section needs a second look
        let markers: Vec<Term> = chars
            .windows(2)
            .map(|w| Term::from_field_text(self.f.ng, &crossing_marker(w[0], w[1])))
            .filter(|t| !matches!(self.searcher.doc_freq(t), Ok(0)))
            .collect();
        if markers.is_empty() {
            return Ok(failed);
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
        let crossing_run = self.run_only(&any_marker, false, Some(claimed))?;
        if crossing_run.is_empty() {
            return Ok(failed);
        }
        let crossing: FxHashSet<DocAddress> = crossing_run.iter().map(|s| s.addr).collect();
        // the notices with a crossing section, and whether one of their
        // sections holds the literal without crossing (then it is there as
        // typed)
        let mut suspects: FxHashMap<u64, bool> =
            crossing_run.iter().map(|s| (s.nid, false)).collect();
        // (and the crossing sections among them, the only ones whose text
        // is read: a crossing section outside `run` may hold the string, a
        // Latin run or a scope the literal's query also asks for aside)
        let mut doubtful: Vec<(u64, DocAddress)> = Vec::new();
        for s in run {
            if let Some(clean) = suspects.get_mut(&s.nid) {
                if crossing.contains(&s.addr) {
                    doubtful.push((s.nid, s.addr));
                } else {
                    *clean = true;
                }
            }
        }
        suspects.retain(|_, clean| !*clean);
        // the rest hold it as typed when one of their crossing sections'
        // text does (the flag now says so)
        let needle: String = chars.iter().collect();
        for (nid, addr) in doubtful {
            let Some(found) = suspects.get_mut(&nid) else {
                continue;
            };
            if !*found {
                let text = normalize(&self.f.literal_text(&self.stored(addr)?));
                *found = text.contains(&needle);
            }
        }
        failed.extend(
            suspects
                .into_iter()
                .filter(|(_, found)| !found)
                .map(|(k, _)| k),
        );
        Ok(failed)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testing::{COUNTY, build};

    /// No section scores more for a unit than its bound, and a section
    /// whose notice's title does not hold the unit no more than the bound's
    /// part outside the title: the pruning of deferred units relies on both.
    #[test]
    fn no_section_scores_above_a_units_bound() {
        let t = build(COUNTY);
        let ex = Executor::new(&t.handle);
        let mut checked = 0;
        for literal in [
            "差旅费",
            "公务用车",
            "巡察整改",
            "整改",
            "财政局",
            "防汛工作",
        ] {
            let u = Unit {
                scope: Scope::Any,
                literal: literal.to_string(),
            };
            let most = ex
                .unit_max_score(&u)
                .expect("read the statistics")
                .expect("a unit of the text has a bound");
            let q = ex.unit_query(&u, None).expect("the unit's query");
            let titled: FxHashSet<u64> = ex
                .run(
                    &BooleanQuery::new(vec![
                        (
                            Occur::Must,
                            literal_query(ex.f.title_ng, &literal.chars().collect::<Vec<_>>()),
                        ),
                        (Occur::Must, head_only(ex.f)),
                    ]),
                    false,
                )
                .expect("titles")
                .into_iter()
                .map(|s| s.nid)
                .collect();
            let run = ex.run(q.as_ref(), true).expect("the unit's sections");
            assert!(!run.is_empty(), "{literal} matches a section");
            for s in &run {
                assert!(s.score > 0.0, "{literal} scores its sections");
                let cap = if titled.contains(&s.nid) {
                    most.title + most.other
                } else {
                    most.other
                };
                assert!(
                    s.score <= cap * (1.0 + 1e-4),
                    "{literal}: a section scores {} over its bound {cap}",
                    s.score
                );
                checked += 1;
            }
        }
        assert!(checked > 10, "{checked} sections checked");
    }

    /// A literal of two common bigrams matches, through its pair term,
    /// exactly the sections its bigram phrase matches, each with the same
    /// score to the bit: the pair's count is the phrase's, across a line
    /// break too.
    #[test]
    fn a_common_pair_matches_and_scores_as_its_phrase() {
        let t = build(&[
            (
                "a.txt",
                "关于整改落实的通知\n一、整改落实情况\n整改落实到位，整改\n落实有力，再抓整改落实。\n",
            ),
            (
                "b.txt",
                "关于工作落实的通知\n一、工作安排\n整改工作落实到位。落实整改。\n",
            ),
            ("c.txt", "关于整改落实的报告\n整改落实。\n"),
        ]);
        let ex = Executor::new(&t.handle);
        let chars: Vec<char> = "整改落实".chars().collect();
        assert!(
            crate::analysis::common_pair(&chars),
            "整改 and 落实 are common bigrams"
        );
        let pair = super::super::pair::PairQuery::new(ex.f.pairs, ex.f.ng, &chars);
        let phrase = literal_query(ex.f.ng, &chars);
        let key = |v: Vec<SectionMatch>| -> Vec<(DocAddress, u32)> {
            v.into_iter().map(|s| (s.addr, s.score.to_bits())).collect()
        };
        let by_pair = key(ex.run(&pair, true).expect("the pair's sections"));
        let by_phrase = key(ex
            .run(phrase.as_ref(), true)
            .expect("the phrase's sections"));
        assert_eq!(by_pair, by_phrase);
        // a.txt's head, its section, and c.txt's head; not b.txt
        assert_eq!(by_pair.len(), 3, "{by_pair:?}");
        // every one scored (the phrase's count: three in a.txt's section,
        // one of them across a line break)
        assert!(by_pair.iter().all(|(_, b)| f32::from_bits(*b) > 0.0));
        // not every literal is a pair: a rare half keeps the phrase
        assert!(!crate::analysis::common_pair(
            &"整改鸬鹚".chars().collect::<Vec<_>>()
        ));
        assert!(!crate::analysis::common_pair(
            &"整改落".chars().collect::<Vec<_>>()
        ));
    }

    /// A notice made to score as high as a section can — the unit as its
    /// whole title and body, many times over, and as a heading over the
    /// same body — stays under the bound and reaches about half of it (the
    /// head section holds no heading and no problem label: their parts of
    /// the bound are never scored with the title's).
    #[test]
    fn a_units_bound_is_tight_for_a_section_made_of_the_unit() {
        let body = "差旅费".repeat(60);
        let made = format!("差旅费\n{body}\n一、差旅费\n{body}\n");
        let other = "关于做好防汛工作的通知\n一、压实防汛责任\n落实防汛值班制度。\n";
        let t = build(&[("a.txt", made.as_str()), ("b.txt", other), ("c.txt", other)]);
        let ex = Executor::new(&t.handle);
        let u = Unit {
            scope: Scope::Any,
            literal: "差旅费".to_string(),
        };
        let most = ex
            .unit_max_score(&u)
            .expect("read the statistics")
            .expect("a bound");
        let q = ex.unit_query(&u, None).expect("the unit's query");
        let top = ex
            .run(q.as_ref(), true)
            .expect("the unit's sections")
            .iter()
            .map(|s| s.score)
            .fold(0.0, f32::max);
        let bound = most.title + most.other;
        assert!(top <= bound * (1.0 + 1e-4), "{top} over {bound}");
        assert!(top > 0.45 * bound, "{top} far under {bound}");
    }
}
