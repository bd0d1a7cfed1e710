//! Which notices match a query, and how well: every clause must match, each
//! of its units must occur in the notice (the rarest first, each later one
//! only looking at the notices still in), and a notice holding a clause's
//! whole string as written matches that clause *literally*.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::DocAddress;
use tantivy::query::{BooleanQuery, Occur, Query};

use super::exec::{Executor, MaxScore, NoticeSet, Restricted, SectionMatch, head_only};
use super::query::{Atom, ParsedQuery, Scope};
use super::units::{LiteralPlan, Unit, readings_of, units_of};
use crate::error::Result;

/// Per-notice accumulation (16 bytes: a map of 100k of them is built for
/// a common word; what only some listings need is kept beside it, in
/// [`Matches`]).
#[derive(Default)]
pub(crate) struct NoticeAcc {
    /// Clauses matched literally (the whole string as written, not just its
    /// words scattered).
    pub(crate) literal: u32,
    /// The share of the query the title holds (see `rank::title_coverage`).
    pub(crate) title: f32,
    /// Ranks with the notices holding the query as typed.
    pub(crate) first: bool,
    pub(crate) score: f32,
}

// (checked when built: a field added here is paid for by every notice of
// every search)
const _: () = assert!(std::mem::size_of::<NoticeAcc>() <= 16);

/// What matched: notices with their accumulated scores, and the sections
/// that matched each clause (for the same-section bonus and the best
/// sections shown).
#[derive(Default)]
pub(crate) struct Matches {
    /// Matching notices by key.
    pub(crate) notices: FxHashMap<u64, NoticeAcc>,
    /// Their head sections, for notices listed by a filter alone.
    pub(crate) heads: FxHashMap<u64, DocAddress>,
    /// Their dates, once read (see `rank::fill_dates`).
    pub(crate) dates: FxHashMap<u64, Option<i64>>,
    /// Per clause bit, the sections each unit (and whole string) matched in
    /// the notices that matched its atom.
    pub(crate) runs: Vec<(u64, Vec<SectionMatch>)>,
    /// The strings to highlight in snippets.
    pub(crate) terms: Vec<String>,
    /// Clauses the query requires (0 for a filter-only listing).
    pub(crate) clauses: u32,
    /// Scoring left to do (see [`Deferred`]); the notices' scores are
    /// partial until [`score_deferred`] has run.
    pub(crate) deferred: Option<Deferred>,
}

/// The later units of a word split into units (政府 of 政府采购), matched
/// without scores: membership decides which notices match, and only the
/// notices that can reach the page need their scores (see
/// [`score_deferred`]). Taken for a query of one clause with one reading,
/// where a notice's score is a plain sum of its units' scores.
pub(crate) struct Deferred {
    /// Each deferred unit's (scored) query and the index of its unscored
    /// run in [`Matches::runs`], in the order the units were matched.
    units: Vec<(Box<dyn Query>, usize)>,
    /// Per notice: the first unit's score and the whole string's bonus.
    parts: FxHashMap<u64, (f32, f32)>,
    /// The most each deferred unit's sections can score (see
    /// [`Executor::unit_max_score`]) and the unit's literal; `None` when a
    /// unit has no bound, and every notice is then scored.
    bounds: Option<Vec<(String, MaxScore)>>,
}

impl Matches {
    /// True when a notice matched every clause literally: it contains the
    /// query's text as typed, as grep would find it.
    pub(crate) fn is_literal(&self, acc: &NoticeAcc) -> bool {
        acc.literal >= self.clauses
    }

    /// Notices that contain the query's text as typed.
    pub(crate) fn literal_total(&self) -> usize {
        self.notices
            .values()
            .filter(|acc| self.is_literal(acc))
            .count()
    }
}

/// Every notice passing `filter`, for a query with no words.
pub(crate) fn filter_only(ex: &Executor, filter: Option<&dyn Query>) -> Result<Matches> {
    let mut q: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, head_only(ex.f))];
    if let Some(fq) = filter {
        q.push((Occur::Must, fq.box_clone()));
    }
    let mut m = Matches::default();
    for s in ex.run(&BooleanQuery::new(q), false)? {
        m.notices.entry(s.nid).or_default();
        m.heads.insert(s.nid, s.addr);
    }
    Ok(m)
}

/// The notices matching every clause of `parsed` (and `filter`), scored;
/// excluded atoms are not applied here.
///
/// With `defer`, a query of one clause with one reading matches its later
/// units without scoring them (see [`Deferred`]).
pub(crate) fn match_clauses(
    ex: &Executor,
    parsed: &ParsedQuery,
    filter: Option<&dyn Query>,
    defer: bool,
) -> Result<Matches> {
    let mut m = Matches {
        clauses: parsed.clauses.len() as u32,
        ..Matches::default()
    };
    let mut candidate: Option<FxHashSet<u64>> = None;
    for (ci, clause) in parsed.clauses.iter().enumerate() {
        let bit = 1u64 << ci.min(63);
        // notice -> (whole string matched, score) of its best alternative
        let mut clause_scores: FxHashMap<u64, (bool, f32)> = FxHashMap::default();
        // every reading of every alternative; a notice keeps its best
        let readings: Vec<(&Atom, Vec<Unit>)> = clause
            .iter()
            .flat_map(|a| readings_of(ex.handle, a).into_iter().map(move |r| (a, r)))
            .collect();
        let alone = parsed.clauses.len() == 1 && readings.len() == 1;
        let defer_here = defer && alone;
        for (atom, units) in readings {
            let base = m.runs.len();
            let only = candidate.as_ref().map(|c| c as &dyn NoticeSet);
            let Some(mut atom_match) =
                match_atom(ex, atom, &units, filter, only, defer_here, &mut m)?
            else {
                continue;
            };
            if let Some(mut d) = atom_match.deferred.take() {
                for (_, ri) in &mut d.units {
                    *ri += base;
                }
                // (every notice is left partial: its first unit's score, and
                // the bonus)
                d.parts = atom_match
                    .notices
                    .iter()
                    .map(|(k, s)| (*k, (s.0, atom_match.bonus(*k))))
                    .collect();
                m.deferred = Some(d);
            }
            let runs = std::mem::take(&mut atom_match.runs);
            m.runs.extend(runs.into_iter().map(|run| (bit, run)));
            if alone {
                // the only clause's only reading: its notices are the
                // matches, scored as the merge below would score them
                m.notices = atom_match
                    .notices
                    .iter()
                    .map(|(k, s)| {
                        let (literal, score) = atom_match.candidate(*k, s.0);
                        let acc = NoticeAcc {
                            literal: u32::from(literal),
                            score: 0.0 + score,
                            ..NoticeAcc::default()
                        };
                        (*k, acc)
                    })
                    .collect();
                return Ok(m);
            }
            if m.notices.is_empty() {
                m.notices.reserve(atom_match.notices.len());
            }
            clause_scores.reserve(atom_match.notices.len());
            for (k, s) in &atom_match.notices {
                m.notices.entry(*k).or_default();
                let cand = atom_match.candidate(*k, s.0);
                let e = clause_scores.entry(*k).or_insert((false, 0.0));
                if (cand.0 && !e.0) || (cand.0 == e.0 && cand.1 > e.1) {
                    *e = cand;
                }
            }
        }
        for (k, (literal, s)) in &clause_scores {
            if let Some(acc) = m.notices.get_mut(k) {
                acc.literal += u32::from(*literal);
                acc.score += s;
            }
        }
        let keys: FxHashSet<u64> = clause_scores.into_keys().collect();
        candidate = Some(match candidate {
            None => keys,
            Some(c) => c.intersection(&keys).copied().collect(),
        });
    }
    let keep = candidate.unwrap_or_default();
    m.notices.retain(|k, _| keep.contains(k));
    Ok(m)
}

/// What one atom matched.
struct AtomMatch {
    /// notice -> (summed unit scores, nothing: the first unit's per-notice
    /// map reused)
    notices: FxHashMap<u64, (f32, f32)>,
    /// notice -> score of its best section holding the whole string, when
    /// the atom is several units (empty for a single unit, whose sections
    /// are the whole string's and which has no bonus).
    whole: FxHashMap<u64, f32>,
    /// Several units: only the notices in `whole` hold the whole string.
    split: bool,
    /// Of the notices holding the whole string, those holding it only
    /// across whitespace (see [`Executor::not_as_typed`]).
    not_typed: FxHashSet<u64>,
    /// The sections matched, per unit and for the whole string.
    runs: Vec<Vec<SectionMatch>>,
    /// The units matched without scores (`notices` then holds the first
    /// unit's scores only); their run indices are into `runs`.
    deferred: Option<Deferred>,
}

impl AtomMatch {
    /// The whole string's bonus of notice `k`.
    fn bonus(&self, k: u64) -> f32 {
        self.whole.get(&k).copied().unwrap_or(0.0)
    }

    /// True when notice `k` holds the atom's text as typed.
    fn literal(&self, k: u64) -> bool {
        (!self.split || self.whole.contains_key(&k)) && !self.not_typed.contains(&k)
    }

    /// What notice `k` (summed unit score `s`) brings to its clause: (held
    /// as typed, score), the score never under 0 unless held as typed, as
    /// the best of the clause's alternatives is chosen.
    fn candidate(&self, k: u64, s: f32) -> (bool, f32) {
        let literal = self.literal(k);
        let score = s + self.bonus(k);
        if literal || score > 0.0 {
            (literal, score)
        } else {
            (false, 0.0)
        }
    }
}

/// The whole string's run, its notices' best scores, and those holding it
/// only across whitespace.
type WholeString = (Vec<SectionMatch>, FxHashMap<u64, f32>, FxHashSet<u64>);

/// Match one reading of an atom: every unit must occur in the notice. `None`
/// when the atom has nothing to match.
fn match_atom(
    ex: &Executor,
    atom: &Atom,
    units: &[Unit],
    filter: Option<&dyn Query>,
    candidate: Option<&dyn NoticeSet>,
    defer: bool,
    m: &mut Matches,
) -> Result<Option<AtomMatch>> {
    if units.is_empty() {
        return Ok(None);
    }
    for u in units {
        if !m.terms.contains(&u.literal) {
            m.terms.push(u.literal.clone());
        }
    }
    // The rarest unit first; each later one only collects the notices still in.
    let mut order: Vec<(u64, usize)> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (ex.unit_bound(u), i))
        .collect();
    order.sort_unstable();
    let mut runs: Vec<Vec<SectionMatch>> = Vec::with_capacity(units.len() + 1);
    // notice -> (summed unit scores, nothing): the first unit's per-notice
    // (best, rest) turned into its score in place
    // (with the notices' restrictions, read from the run that left them)
    let mut alt: Option<Restricted<FxHashMap<u64, (f32, f32)>>> = None;
    let whole_unit = Unit {
        scope: atom.scope,
        literal: atom.text.clone(),
    };
    // With `defer` (and units to defer), the whole string is matched right
    // after the rarest unit, and the later units are scored only on the
    // notices that can rank first (see [`Deferred`])
    let defer = defer && units.len() > 1;
    let mut early: Option<WholeString> = None;
    // (set once the whole string is matched: the notices scored in the
    // walk, none — each later unit only says which notices hold it)
    let mut scored: Option<FxHashSet<u64>> = None;
    let mut deferred: Vec<(Box<dyn Query>, usize)> = Vec::new();
    let mut bounds: Option<Vec<(String, MaxScore)>> = Some(Vec::new());
    for (step, &(_, i)) in order.iter().enumerate() {
        let only: Option<&dyn NoticeSet> = match &alt {
            Some(a) => Some(a),
            None => candidate,
        };
        if defer
            && scored.is_none()
            && let Some(cand) = only
            && alt.is_some()
        {
            // (a section holding the whole string holds every unit)
            let q = ex.unit_query(&whole_unit, filter)?;
            let run = ex.run_only(q.as_ref(), true, Some(cand))?;
            let best = best_scores(&run);
            let not_typed = not_typed(ex, atom, units, &run, &best)?;
            scored = Some(FxHashSet::default());
            early = Some((run, best, not_typed));
        }
        let q = ex.unit_query(&units[i], filter)?;
        let run = match &scored {
            Some(set) => {
                let run = ex.run_scoring(q.as_ref(), true, only, Some(set))?;
                bounds = match (bounds, ex.unit_max_score(&units[i])?) {
                    (Some(mut b), Some(most)) => {
                        b.push((units[i].literal.clone(), most));
                        Some(b)
                    }
                    _ => None,
                };
                deferred.push((q, runs.len()));
                run
            }
            None => ex.run_only(q.as_ref(), true, only)?,
        };
        let mut per_notice = per_notice_scores(&run);
        let next = match alt {
            None => {
                for v in per_notice.values_mut() {
                    *v = (unit_score(v.0, v.1), 0.0);
                }
                per_notice
            }
            Some(prev) => {
                let mut prev = prev.set;
                prev.retain(|k, s| match per_notice.get(k) {
                    Some(&(best, rest)) => {
                        s.0 += unit_score(best, rest);
                        true
                    }
                    None => false,
                });
                prev
            }
        };
        // Walks restricted to the notices left follow when a unit does, or
        // the whole string: their restrictions are read from the run (which,
        // restricted to the notices left before it, holds exactly those left
        // after it); otherwise worked out only if needed.
        alt = Some(
            if step + 1 < order.len() || (units.len() > 1 && early.is_none()) {
                Restricted::of_run(ex, next, &run)?
            } else {
                Restricted::of(ex, next)
            },
        );
        runs.push(run);
    }
    let notices = match alt {
        Some(a) => a,
        None => Restricted::of(ex, FxHashMap::default()),
    };
    // (the first run's notices are the notices when there is one unit)
    if runs.len() > 1 {
        for run in &mut runs {
            run.retain(|s| notices.set.contains_key(&s.nid));
        }
    }
    // The whole string as written: a phrase bonus, and the literal match.
    let (whole, not_typed) = if units.len() > 1 {
        let (run, best, not_typed) = match early {
            Some((mut run, mut best, not_typed)) => {
                run.retain(|s| notices.set.contains_key(&s.nid));
                best.retain(|k, _| notices.set.contains_key(k));
                (run, best, not_typed)
            }
            None => {
                let q = ex.unit_query(&whole_unit, filter)?;
                let run = ex.run_only(q.as_ref(), true, Some(&notices))?;
                let best = best_scores(&run);
                let not_typed = not_typed(ex, atom, units, &run, &best)?;
                (run, best, not_typed)
            }
        };
        runs.push(run);
        (best, not_typed)
    } else {
        let not_typed = match runs.last() {
            Some(run) => not_typed(ex, atom, units, run, &notices)?,
            None => FxHashSet::default(),
        };
        (FxHashMap::default(), not_typed)
    };
    Ok(Some(AtomMatch {
        notices: notices.set,
        whole,
        split: units.len() > 1,
        not_typed,
        runs,
        deferred: scored.map(|_| Deferred {
            units: deferred,
            parts: FxHashMap::default(),
            bounds,
        }),
    }))
}

/// Each notice's best section score in `run`.
fn best_scores(run: &[SectionMatch]) -> FxHashMap<u64, f32> {
    let mut best: FxHashMap<u64, f32> = FxHashMap::default();
    for s in run {
        let e = best.entry(s.nid).or_insert(0.0);
        *e = e.max(s.score);
    }
    best
}

/// Of the notices in `claimed`, those that do not hold the atom's text as
/// typed; `run` holds the sections that matched the whole string (the only
/// unit's when there is one).
fn not_typed(
    ex: &Executor,
    atom: &Atom,
    units: &[Unit],
    run: &[SectionMatch],
    claimed: &dyn NoticeSet,
) -> Result<FxHashSet<u64>> {
    if !matches!(atom.scope, Scope::Any | Scope::Doc) {
        return Ok(FxHashSet::default());
    }
    let text = if units.len() > 1 {
        &atom.text
    } else {
        &units[0].literal
    };
    // an all-Latin literal matched whole runs through the Latin fields,
    // whose phrases never span whitespace: nothing to check
    let plan = LiteralPlan::of(text);
    if plan.chars.is_empty() {
        Ok(FxHashSet::default())
    } else {
        ex.not_as_typed(&plan.chars, run, claimed)
    }
}

/// Complete the scores [`Deferred`] left partial, for every notice that can
/// reach the first `need` places. Ranked by relevance, the notices ranking
/// first (holding the query as typed, or named by it in their titles) come
/// before all others: when there are `need` of them, only those whose
/// score can still reach the `need`-th best are scored. A notice's highest
/// possible score is its partial score plus the most its deferred units
/// can add (see [`Executor::unit_max_score`]); below a floor under the
/// `need`-th best whole score — the `need`-th best partial score, or the
/// lowest whole score of `need` notices scored first — it is never on the
/// page. Otherwise every notice is scored.
pub(crate) fn score_deferred(
    ex: &Executor,
    d: Deferred,
    m: &mut Matches,
    need: usize,
) -> Result<()> {
    use super::rank::{literal_factor, title_factor};
    let all = |m: &Matches| m.notices.keys().copied().collect();
    let Some(bounds) = &d.bounds else {
        return score_exactly(ex, &d, m, all(m));
    };
    let firsts: FxHashSet<u64> = m
        .notices
        .iter()
        .filter(|(_, acc)| acc.first)
        .map(|(k, _)| *k)
        .collect();
    if need == 0 || firsts.len() < need {
        return score_exactly(ex, &d, m, all(m));
    }
    // Per deferred unit, the first notices whose titles hold it: only there
    // can the unit's title part score.
    let mut titled: Vec<FxHashSet<u64>> = Vec::with_capacity(bounds.len());
    for (literal, most) in bounds {
        let mut holding: FxHashSet<u64> = FxHashSet::default();
        if most.title > 0.0 {
            let mut words: Vec<&String> = std::iter::once(literal).chain(&most.words).collect();
            words.sort_unstable();
            words.dedup();
            for w in words {
                holding.extend(super::rank::in_title(ex, w, &firsts)?);
            }
        }
        titled.push(holding);
    }
    // (notice, partial score, highest possible score)
    let mut first: Vec<(u64, f32, f32)> = firsts
        .iter()
        .filter_map(|k| {
            let acc = m.notices.get(k)?;
            let (unit, bonus) = d.parts.get(k).copied().unwrap_or_default();
            // the most the deferred units can add
            let added: f32 = bounds
                .iter()
                .zip(&titled)
                .map(|((_, most), holding)| {
                    let title = if holding.contains(k) { most.title } else { 0.0 };
                    unit_score_bound(most.other + title)
                })
                .sum();
            // computed as the whole score is, with a margin for the
            // rounding of the sums in another order
            let most = (unit + added + bonus)
                * title_factor(acc.title)
                * literal_factor(acc.literal, m.clauses);
            Some((*k, acc.score, most * (1.0 + BOUND_MARGIN)))
        })
        .collect();
    let mut partial: Vec<f32> = first.iter().map(|x| x.1).collect();
    partial.select_nth_unstable_by(need - 1, |a, b| b.total_cmp(a));
    let mut floor = partial[need - 1];
    // With notice tables a walk costs what it visits: the `need` most
    // promising notices are scored first, and their lowest whole score
    // raises the floor (without, every walk reads the units' postings
    // whole, and one is cheaper).
    if ex.handle.notice_tables {
        first.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let lead: FxHashSet<u64> = first.drain(..need).map(|x| x.0).collect();
        score_exactly(ex, &d, m, lead.clone())?;
        let lowest = lead
            .iter()
            .filter_map(|k| m.notices.get(k))
            .map(|acc| acc.score)
            .min_by(f32::total_cmp);
        if let Some(lowest) = lowest {
            floor = floor.max(lowest);
        }
    }
    let rest = first.iter().filter(|x| x.2 >= floor).map(|x| x.0).collect();
    score_exactly(ex, &d, m, rest)
}

/// Relative slack on a notice's highest possible score.
const BOUND_MARGIN: f32 = 1e-3;

/// Give the notices in `only` their full scores, computed as
/// [`match_clauses`] and the ranking steps after it do (the units' scores
/// summed in the order they were matched, the whole string's bonus, then
/// the title and literal factors); the deferred runs get all their
/// sections in those notices, scored.
fn score_exactly(ex: &Executor, d: &Deferred, m: &mut Matches, only: FxHashSet<u64>) -> Result<()> {
    use super::rank::{literal_factor, title_factor};
    if only.is_empty() {
        return Ok(());
    }
    let mut sums: FxHashMap<u64, f32> = d
        .parts
        .iter()
        .filter(|(k, _)| only.contains(k))
        .map(|(k, (first, _))| (*k, *first))
        .collect();
    for (q, ri) in &d.units {
        let scored = ex.run_only(q.as_ref(), true, Some(&only))?;
        let per_notice = per_notice_scores(&scored);
        for (k, s) in &mut sums {
            if let Some(&(best, rest)) = per_notice.get(k) {
                *s += unit_score(best, rest);
            }
        }
        // the run held only one section of each of these notices: it gets
        // all of them, scored
        if let Some((_, run)) = m.runs.get_mut(*ri) {
            run.retain(|s| !only.contains(&s.nid));
            run.extend(scored);
        }
    }
    for (k, s) in sums {
        let bonus = d.parts.get(&k).map_or(0.0, |p| p.1);
        if let Some(acc) = m.notices.get_mut(&k) {
            acc.score =
                (s + bonus) * title_factor(acc.title) * literal_factor(acc.literal, m.clauses);
        }
    }
    Ok(())
}

/// Per notice: (best section's score, the other sections' scores summed).
fn per_notice_scores(run: &[SectionMatch]) -> FxHashMap<u64, (f32, f32)> {
    // a notice's sections come one after another: sized for the runs of
    // one notice, each added up before it is looked up
    let groups = run.chunk_by(|a, b| a.nid == b.nid);
    let mut per_notice: FxHashMap<u64, (f32, f32)> =
        FxHashMap::with_capacity_and_hasher(groups.clone().count(), Default::default());
    for group in groups {
        let e = per_notice.entry(group[0].nid).or_insert((0.0, 0.0));
        for s in group {
            if s.score > e.0 {
                e.1 += e.0;
                e.0 = s.score;
            } else {
                e.1 += s.score;
            }
        }
    }
    per_notice
}

/// The most [`unit_score`] gives when no section scores more than `best`.
fn unit_score_bound(best: f32) -> f32 {
    use super::weight;
    best + weight::OTHER_SECTIONS * best * weight::OTHER_SECTIONS_CAP
}

/// A unit's score in a notice: its best section's, plus a share of the
/// others' (capped).
fn unit_score(best: f32, rest: f32) -> f32 {
    use super::weight;
    best + weight::OTHER_SECTIONS * rest.min(best * weight::OTHER_SECTIONS_CAP)
}

/// Leave out the notices that contain an excluded atom.
pub(crate) fn exclude(ex: &Executor, excluded: &[Atom], m: &mut Matches) -> Result<()> {
    for atom in excluded {
        for u in units_of(ex.handle, atom) {
            let q = ex.unit_query(&u, None)?;
            for s in ex.run(q.as_ref(), false)? {
                m.notices.remove(&s.nid);
            }
        }
    }
    Ok(())
}
