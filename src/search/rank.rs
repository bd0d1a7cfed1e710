//! Ranking the matching notices: evidence beyond the clause scores (a title
//! holding the query, a section holding every clause), then the order and
//! the requested page.

use rustc_hash::FxHashMap;
use tantivy::DocAddress;
use tantivy::query::{BooleanQuery, Occur, Query};

use super::exec::{Executor, NoticeSet, Restricted, head_only, literal_match};
use super::matching::{Matches, NoticeAcc};
use super::query::{ParsedQuery, Scope};
use super::units::{LiteralPlan, readings_of};
use super::{SearchRequest, SortOrder, weight};
use crate::error::Result;

/// Per-section accumulation.
pub(crate) struct SectionAcc {
    /// The section's notice.
    pub(crate) nid: u64,
    pub(crate) score: f32,
    /// Which clauses the section matched (bit i = clause i).
    clauses: u64,
}

/// Title coverage: a notice's score grows with how much of each clause its
/// title holds — the whole text of the clause, or else its words, each
/// weighing by its rarity (a title holding the rare word of a query says
/// more than one holding the common word).
pub(crate) fn title_coverage(ex: &Executor, parsed: &ParsedQuery, m: &mut Matches) -> Result<()> {
    let mut coverage: FxHashMap<u64, f32> = FxHashMap::default();
    // (several walks restricted to the same notices)
    let only = Restricted::of(ex, &m.notices);
    let only: &dyn NoticeSet = &only;
    for clause in &parsed.clauses {
        // notice -> the share of this clause its title holds (best alternative)
        let mut share: FxHashMap<u64, f32> = FxHashMap::default();
        for atom in clause.iter().filter(|a| a.scope == Scope::Any) {
            for k in in_title(ex, &atom.text, only)? {
                share.insert(k, 1.0);
            }
            for units in readings_of(ex.handle, atom) {
                if units.len() < 2 {
                    continue;
                }
                let rarity: Vec<f32> = units.iter().map(|u| ex.rarity(u)).collect();
                let all: f32 = rarity.iter().sum();
                if all <= 0.0 {
                    continue;
                }
                let mut part: FxHashMap<u64, f32> = FxHashMap::default();
                for (u, r) in units.iter().zip(&rarity) {
                    for k in in_title(ex, &u.literal, only)? {
                        *part.entry(k).or_insert(0.0) += r / all;
                    }
                }
                for (k, p) in part {
                    let e = share.entry(k).or_insert(0.0);
                    *e = e.max(p * weight::TITLE_WORDS);
                }
            }
        }
        for (k, s) in share {
            *coverage.entry(k).or_insert(0.0) += s;
        }
    }
    let nclauses = parsed.clauses.len().max(1) as f32;
    for (k, c) in coverage {
        if let Some(acc) = m.notices.get_mut(&k) {
            acc.title = c / nclauses;
            acc.score *= title_factor(acc.title);
        }
    }
    Ok(())
}

/// The matching notices whose title holds `text`.
pub(crate) fn in_title(ex: &Executor, text: &str, only: &dyn NoticeSet) -> Result<Vec<u64>> {
    let f = ex.f;
    let plan = LiteralPlan::of(text);
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, literal_match(f.title_ng, f.title_latin, &plan)),
        (Occur::Must, head_only(f)),
    ]));
    // only the matching notices' head sections are looked at
    Ok(ex
        .run_only(q.as_ref(), false, Some(only))?
        .into_iter()
        .map(|s| s.nid)
        .collect())
}

/// A notice holding the query's text as typed (every clause literally)
/// weighs more.
///
/// Notices holding the query as typed rank first, as grep would list them,
/// together with the notices whose title holds most of the query's words
/// (weighed by rarity) — a known item named by its title can be first even
/// when its text never holds the string.
pub(crate) fn literal_boost(m: &mut Matches) {
    let n = m.clauses.max(1);
    for acc in m.notices.values_mut() {
        acc.score *= literal_factor(acc.literal, m.clauses);
        acc.first = acc.literal >= n || acc.title >= weight::TITLE_RANKS_FIRST;
    }
}

/// A notice's score multiplier for its title coverage.
pub(crate) fn title_factor(title: f32) -> f32 {
    1.0 + weight::TITLE_COVERAGE * title
}

/// A notice's score multiplier for the clauses it holds as typed, of
/// `clauses`.
pub(crate) fn literal_factor(literal: u32, clauses: u32) -> f32 {
    1.0 + weight::LITERAL_BOOST * literal as f32 / clauses.max(1) as f32
}

/// Same section: with several clauses, a section holding every one counts
/// more, and so does its notice. Returns the matched sections' totals, keyed
/// by [`addr_key`] (empty for a single clause).
pub(crate) fn same_section(nclauses: usize, m: &mut Matches) -> FxHashMap<u64, SectionAcc> {
    let mut sections: FxHashMap<u64, SectionAcc> = FxHashMap::default();
    let n = nclauses.min(64);
    if n < 2 {
        return sections;
    }
    for (bit, run) in &m.runs {
        for s in run.iter().filter(|s| m.notices.contains_key(&s.nid)) {
            let sec = sections.entry(addr_key(s.addr)).or_insert(SectionAcc {
                nid: s.nid,
                score: 0.0,
                clauses: 0,
            });
            sec.score += s.score;
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
        if let Some(acc) = m.notices.get_mut(&k) {
            acc.score += weight::SAME_SECTION * b;
        }
    }
    sections
}

/// Each notice's date, for ordering by date: read once per notice (from
/// its head section, or else one of its matched sections), not for every
/// matched section.
pub(crate) fn fill_dates(ex: &Executor, m: &mut Matches) -> Result<()> {
    let mut chosen: FxHashMap<u64, DocAddress> = m
        .heads
        .iter()
        .filter(|(k, _)| m.notices.contains_key(k))
        .map(|(k, h)| (*k, *h))
        .collect();
    for s in m.runs.iter().flat_map(|(_, run)| run) {
        if chosen.len() == m.notices.len() {
            break;
        }
        if m.notices.contains_key(&s.nid) {
            chosen.entry(s.nid).or_insert(s.addr);
        }
    }
    m.dates.extend(ex.notice_dates(chosen)?);
    Ok(())
}

/// The notices of the requested page, in order: by relevance (literal
/// matches of more clauses first, then score) or newest first.
pub(crate) fn page(
    notices: FxHashMap<u64, NoticeAcc>,
    dates: &FxHashMap<u64, Option<i64>>,
    req: &SearchRequest,
    by_date: bool,
) -> Vec<(u64, NoticeAcc)> {
    type Ranked = (u64, NoticeAcc, Option<i64>);
    // (each notice's date looked up once, not at every comparison)
    let mut ranked: Vec<Ranked> = notices
        .into_iter()
        .map(|(k, acc)| {
            let date = if by_date {
                dates.get(&k).copied().flatten()
            } else {
                None
            };
            (k, acc, date)
        })
        .collect();
    let order = |a: &Ranked, b: &Ranked| {
        if by_date {
            b.2.cmp(&a.2)
                .then(b.1.score.total_cmp(&a.1.score))
                .then(a.0.cmp(&b.0))
        } else {
            b.1.first
                .cmp(&a.1.first)
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
    ranked
        .into_iter()
        .skip(req.offset)
        .take(req.limit)
        .map(|(k, acc, _)| (k, acc))
        .collect()
}

/// The matched sections of each notice on the page with their scores.
pub(crate) fn page_sections(
    page: &[(u64, NoticeAcc)],
    m: &Matches,
    sections: &FxHashMap<u64, SectionAcc>,
) -> FxHashMap<u64, Vec<(DocAddress, f32)>> {
    let mut out: FxHashMap<u64, Vec<(DocAddress, f32)>> =
        page.iter().map(|(k, _)| (*k, Vec::new())).collect();
    if sections.is_empty() {
        let mut totals: FxHashMap<u64, (u64, f32)> = FxHashMap::default();
        for s in m.runs.iter().flat_map(|(_, run)| run) {
            if out.contains_key(&s.nid) {
                totals.entry(addr_key(s.addr)).or_insert((s.nid, 0.0)).1 += s.score;
            }
        }
        for (key, (nid, score)) in totals {
            if let Some(v) = out.get_mut(&nid) {
                v.push((key_addr(key), score));
            }
        }
    } else {
        for (key, sec) in sections {
            if let Some(v) = out.get_mut(&sec.nid) {
                v.push((key_addr(*key), sec.score));
            }
        }
    }
    out
}

/// A section address as one hash key.
fn addr_key(a: DocAddress) -> u64 {
    (u64::from(a.segment_ord) << 32) | u64::from(a.doc_id)
}

fn key_addr(k: u64) -> DocAddress {
    DocAddress::new((k >> 32) as u32, k as u32)
}

impl SortOrder {
    /// True when results are ordered by date: asked for, or a listing by
    /// filters alone (which has no relevance).
    pub(crate) fn by_date(self, parsed: &ParsedQuery) -> bool {
        parsed.is_empty() || self == SortOrder::Date
    }
}
