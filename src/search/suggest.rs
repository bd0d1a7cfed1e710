//! "Did you mean": when a query finds nothing, the same query with each word
//! the index does not hold replaced by the nearest words of the index's
//! query dictionary — offered only when it would find something.
//!
//! What is replaced: the words and phrases (atoms) of a clause that matches
//! no notice on its own — a misspelling, not a combination that happens to
//! meet nowhere. An atom is replaced by the dictionary words nearest to it
//! as a whole (意识形太 → 意识形态), or keeps the words of it that occur
//! and has each of the others replaced in place, with a neighbour when that
//! makes a word (巡察意识形太 → 巡察意识形态), preferring corrections that
//! occur as one string, as typed. Everything else in the query stays as
//! typed ([`query::rewrite`]). The edits allowed and the order (fewest
//! edits, then the most frequent word) are the dictionary's
//! ([`QueryDict::nearest`]).
//!
//! Only a query that found nothing pays for this, and the cost is bounded:
//! a query of more than [`MAX_ATOMS`] words and phrases gets no suggestion
//! (a pasted passage is not a typo), and at most [`MAX_TRIES`] corrected
//! queries are run.

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocSet, TERMINATED};

use super::exec::Executor;
use super::matching;
use super::query::{self, Atom, ParsedQuery};
use super::units::{Unit, units_of};
use crate::analysis::normalize;
use crate::error::Result;
use crate::index::querydict::{QueryDict, max_edits};

/// Most suggestions given.
pub(crate) const MAX_SUGGESTIONS: usize = 5;
/// Most words and phrases a query may have to get suggestions.
const MAX_ATOMS: usize = 8;
/// Replacements considered for each atom, or each word inside one.
const PER_PIECE: usize = 5;
/// Most corrected queries run to see whether they find something.
const MAX_TRIES: usize = 10;

/// One replacement for an atom's text.
struct Fix {
    text: String,
    edits: u8,
}

/// One replacement inside an atom's (normalised) text.
struct Replace {
    from: String,
    to: String,
    edits: u8,
    /// How often `to` occurred in the corpus.
    count: u64,
}

/// The replacements for the missing word `k` of an atom (`literals`, its
/// words; `norm`, its text), best first. The word with a neighbour comes
/// first: 巡察意识形太 cuts as 巡察 / 意识 / 形太, and 意识形太 → 意识形态 says
/// more than 形太 → 形式. Never more edits than the word alone allows, so a
/// stretch is not "corrected" by dropping the word (巡察形太 → 巡察).
fn replacements(dict: &QueryDict, norm: &str, literals: &[String], k: usize) -> Vec<Replace> {
    let Some(word) = literals.get(k) else {
        return Vec::new();
    };
    let allowed = max_edits(word);
    let near = |from: String| -> Vec<Replace> {
        if !norm.contains(from.as_str()) {
            // (the neighbour is across a separator)
            return Vec::new();
        }
        dict.nearest(&from, PER_PIECE)
            .into_iter()
            .filter(|n| n.edits <= allowed)
            .map(|n| Replace {
                from: from.clone(),
                to: n.word,
                edits: n.edits,
                count: n.count,
            })
            .collect()
    };
    let mut with_neighbour = Vec::new();
    if let Some(left) = k.checked_sub(1).and_then(|l| literals.get(l)) {
        with_neighbour.extend(near(format!("{left}{word}")));
    }
    if let Some(right) = literals.get(k + 1) {
        with_neighbour.extend(near(format!("{word}{right}")));
    }
    if with_neighbour.is_empty() {
        return near(word.clone());
    }
    with_neighbour.sort_by_key(|r| (r.edits, std::cmp::Reverse(r.count)));
    with_neighbour.truncate(PER_PIECE);
    with_neighbour
}

/// What an atom matches on its own, in the whole index.
enum Verdict {
    /// Some notice.
    Matches,
    /// No notice; the replacements, best first (maybe none).
    Fails(Vec<Fix>),
    /// Not looked at: too long for any replacement, so a check would only
    /// cost time.
    Unchecked,
}

/// Corrected versions of the query `q` (parsed: `parsed`) that find
/// something with the request's `filter`, best first; empty when no clause
/// fails for a word the index lacks, or none of the corrections finds
/// anything.
pub(crate) fn suggest(
    ex: &Executor,
    filter: Option<&dyn Query>,
    parsed: &ParsedQuery,
    q: &str,
) -> Result<Vec<String>> {
    let Some(dict) = ex.handle.words.as_ref() else {
        return Ok(Vec::new());
    };
    if parsed.clauses.iter().map(Vec::len).sum::<usize>() > MAX_ATOMS {
        return Ok(Vec::new());
    }
    // the atoms of the clauses that match nothing, with their replacements
    let mut pieces: Vec<(&Atom, Vec<Fix>)> = Vec::new();
    for clause in &parsed.clauses {
        let mut failing = Vec::new();
        let mut satisfied = false;
        for atom in clause {
            match verdict(ex, dict, atom)? {
                Verdict::Fails(fixes) => failing.push((atom, fixes)),
                Verdict::Matches | Verdict::Unchecked => {
                    satisfied = true;
                    break;
                }
            }
        }
        if satisfied {
            continue;
        }
        if failing.iter().all(|(_, fixes)| fixes.is_empty()) {
            // nothing can make this clause match
            return Ok(Vec::new());
        }
        pieces.extend(failing.into_iter().filter(|(_, fixes)| !fixes.is_empty()));
    }
    if pieces.is_empty() {
        return Ok(Vec::new());
    }
    let edits: Vec<Vec<u8>> = pieces
        .iter()
        .map(|(_, fixes)| fixes.iter().map(|f| f.edits).collect())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for pick in combine(&edits, MAX_TRIES) {
        let candidate = query::rewrite(q, &|atom| {
            pieces
                .iter()
                .zip(&pick)
                .find(|((a, _), _)| *a == atom)
                .and_then(|((_, fixes), &i)| fixes.get(i))
                .map(|f| f.text.clone())
        });
        if candidate == q || out.contains(&candidate) {
            continue;
        }
        if finds_something(ex, filter, &candidate)? {
            out.push(candidate);
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
    }
    Ok(out)
}

/// Whether `atom` matches on its own, and if not, its replacements.
fn verdict(ex: &Executor, dict: &QueryDict, atom: &Atom) -> Result<Verdict> {
    let norm = normalize(&atom.text);
    let units = units_of(ex.handle, atom);
    let correctable = |s: &str| max_edits(s) > 0;
    if !correctable(norm.trim()) && !units.iter().any(|u| correctable(&normalize(&u.literal))) {
        return Ok(Verdict::Unchecked);
    }
    let literals: Vec<String> = units.iter().map(|u| normalize(&u.literal)).collect();
    let mut missing = Vec::new();
    for (k, u) in units.iter().enumerate() {
        if !occurs(ex, ex.unit_query(u, None)?.as_ref())? {
            missing.push(k);
        }
    }
    // Every word occurs: the atom fails only if they never meet in a notice.
    if missing.is_empty() && (units.len() <= 1 || atom_matches(ex, atom)?) {
        return Ok(Verdict::Matches);
    }
    if missing.is_empty() {
        // Each occurs somewhere, never together: suspect those that are not
        // words. A misspelt word falls apart into single characters, which
        // the cut glues back into a non-word (党风廉政建没 → 党风廉政 / 建没).
        missing = (0..literals.len())
            .filter(|&k| literals.get(k).is_some_and(|l| dict.count(l) == 0))
            .collect();
    }
    // Nearest the whole atom, and with its missing words replaced in place:
    // fewest edits first, the whole first among equals (党风廉政建没 →
    // 党风廉政建设 with one edit before 党风廉政 with two).
    let mut fixes: Vec<Fix> = dict
        .nearest(norm.trim(), PER_PIECE)
        .into_iter()
        .map(|n| Fix {
            text: n.word,
            edits: n.edits,
        })
        .collect();
    if units.len() > 1 {
        fixes.extend(inner_fixes(ex, dict, atom, &norm, &literals, &missing)?);
    }
    fixes.sort_by_key(|f| f.edits);
    let mut seen: Vec<String> = Vec::new();
    fixes.retain(|f| {
        let new = !seen.contains(&f.text);
        seen.push(f.text.clone());
        new
    });
    fixes.truncate(PER_PIECE);
    Ok(Verdict::Fails(fixes))
}

/// The atom's text (`norm`, its words `literals`) with each missing word
/// (indexes into `literals`) replaced in place, best first.
fn inner_fixes(
    ex: &Executor,
    dict: &QueryDict,
    atom: &Atom,
    norm: &str,
    literals: &[String],
    missing: &[usize],
) -> Result<Vec<Fix>> {
    let mut options: Vec<Vec<Replace>> = Vec::new();
    for &k in missing {
        let found = replacements(dict, norm, literals, k);
        if found.is_empty() {
            // a word with nothing near: no correction of it works
            return Ok(Vec::new());
        }
        options.push(found);
    }
    if options.is_empty() {
        return Ok(Vec::new());
    }
    let edits: Vec<Vec<u8>> = options
        .iter()
        .map(|os| os.iter().map(|o| o.edits).collect())
        .collect();
    let mut fixes = Vec::new();
    for pick in combine(&edits, PER_PIECE) {
        let mut text = norm.to_string();
        let mut total = 0u8;
        for (os, &i) in options.iter().zip(&pick) {
            if let Some(o) = os.get(i) {
                text = text.replacen(o.from.as_str(), &o.to, 1);
                total = total.saturating_add(o.edits);
            }
        }
        fixes.push(Fix { text, edits: total });
    }
    // The user typed one string: prefer corrections that occur as one
    // string (中央八项规定精身 → 中央八项规定精神, not 中央八项规定健身, whose
    // words merely occur somewhere in the same notices). Without any, only
    // the likeliest is offered.
    let mut literal = Vec::new();
    for f in &fixes {
        let whole = Unit {
            scope: atom.scope,
            literal: f.text.clone(),
        };
        literal.push(occurs(ex, ex.unit_query(&whole, None)?.as_ref())?);
    }
    if literal.contains(&true) {
        let mut keep = literal.into_iter();
        fixes.retain(|_| keep.next().unwrap_or(false));
    } else {
        fixes.truncate(1);
    }
    Ok(fixes)
}

/// True when some live document matches `q` (stops at the first).
fn occurs(ex: &Executor, q: &dyn Query) -> Result<bool> {
    let weight = q.weight(EnableScoring::disabled_from_searcher(&ex.searcher))?;
    for seg in ex.searcher.segment_readers() {
        let alive = seg.alive_bitset();
        let mut docs = weight.scorer(seg, 1.0)?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                return Ok(true);
            }
            doc = docs.advance();
        }
    }
    Ok(false)
}

/// True when some notice holds every word of `atom` (as the search requires).
fn atom_matches(ex: &Executor, atom: &Atom) -> Result<bool> {
    let alone = ParsedQuery {
        clauses: vec![vec![atom.clone()]],
        ..ParsedQuery::default()
    };
    Ok(!matching::match_clauses(ex, &alone, None, false)?
        .notices
        .is_empty())
}

/// True when the query `q` finds a notice passing `filter`: the notices
/// search() counts (clauses matched, exclusions applied; ranking changes no
/// membership).
fn finds_something(ex: &Executor, filter: Option<&dyn Query>, q: &str) -> Result<bool> {
    let Ok(parsed) = query::parse_bounded(q) else {
        return Ok(false);
    };
    if parsed.is_empty() {
        return Ok(false);
    }
    let mut m = matching::match_clauses(ex, &parsed, filter, false)?;
    matching::exclude(ex, &parsed.excluded, &mut m)?;
    Ok(!m.notices.is_empty())
}

/// The best `limit` ways to pick one option for every piece, given each
/// option's edits (options best first): fewest edits in all, then the
/// earliest options. Exact: every piece offers the same options to every
/// partial pick, so a partial pick outside the best `limit` cannot lead to
/// one of the best `limit` whole picks.
fn combine(edits: &[Vec<u8>], limit: usize) -> Vec<Vec<usize>> {
    let mut beam: Vec<(u32, usize, Vec<usize>)> = vec![(0, 0, Vec::new())];
    for options in edits {
        let mut next = Vec::with_capacity(beam.len() * options.len());
        for (total, ranks, pick) in &beam {
            for (i, &e) in options.iter().enumerate() {
                let mut p = pick.clone();
                p.push(i);
                next.push((total + u32::from(e), ranks + i, p));
            }
        }
        next.sort();
        next.truncate(limit);
        beam = next;
    }
    beam.into_iter().map(|(_, _, pick)| pick).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_fewest_edits_then_earliest_options() {
        // one piece: its options in order
        assert_eq!(combine(&[vec![1, 1, 2]], 5), [[0], [1], [2]]);
        // two pieces: a 2-edit option of one loses to 1-edit options of both
        let picks = combine(&[vec![1, 2], vec![1, 1]], 3);
        assert_eq!(picks, [vec![0, 0], vec![0, 1], vec![1, 0]]);
        assert_eq!(combine(&[vec![1; 5], vec![1; 5], vec![1; 5]], 10).len(), 10);
    }
}
