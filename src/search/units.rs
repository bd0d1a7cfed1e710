//! Query atoms become *units*: strings that must each occur literally in a
//! notice. A quoted phrase is one unit; an unquoted string is one unit per
//! word of the index's cut, so the words may occur apart.

use std::collections::HashSet;

use super::query::{Atom, Scope};
use crate::analysis::normalize;
use crate::index::IndexHandle;
use crate::notice::is_han;

/// A literal unit: one string that must occur (in `scope`), plus the words
/// that score it.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub(crate) scope: Scope,
    pub(crate) literal: String,
}

/// Every reading of an atom as units (see [`unit_readings`]).
pub(crate) fn readings_of(handle: &IndexHandle, atom: &Atom) -> Vec<Vec<Unit>> {
    unit_readings(atom, &|s| handle.query_words(s))
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|literal| Unit {
                    scope: atom.scope,
                    literal,
                })
                .collect()
        })
        .collect()
}

/// Turn an atom into its units: a quoted phrase is one unit; an unquoted
/// word is one unit per word of its cut (each must occur).
pub(crate) fn units_of(handle: &IndexHandle, atom: &Atom) -> Vec<Unit> {
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
    reading(atom, cut, true)
}

/// The ways an atom may be read as units: [`unit_literals`], and, when a
/// lone single character could as well end the word before it, that reading
/// too (十九大报告 cut 十九 / 大 / 报告: 十九 + 大报告, or 十九大 + 报告).
/// A notice matches the atom when it matches either reading.
pub(crate) fn unit_readings(atom: &Atom, cut: &dyn Fn(&str) -> Vec<String>) -> Vec<Vec<String>> {
    let first = reading(atom, cut, true);
    let second = reading(atom, cut, false);
    if second == first {
        vec![first]
    } else {
        vec![first, second]
    }
}

/// One reading; `join_next`: a lone single character joins the next word
/// it touches rather than the previous one.
fn reading(atom: &Atom, cut: &dyn Fn(&str) -> Vec<String>, join_next: bool) -> Vec<String> {
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
    // previous one it touches (or the other way round)
    let mut out: Vec<String> = Vec::new();
    let mut carry: Option<String> = None;
    for i in 0..joined.len() {
        let (w, touches, _) = &joined[i];
        let w = match carry.take() {
            Some(c) => c + w,
            None => w.clone(),
        };
        if single(&w) {
            let next = joined.get(i + 1).is_some_and(|n| n.1 && han_start(&n.0));
            let prev = *touches && out.last().is_some_and(|p| han_end(p));
            if next && (join_next || !prev) {
                carry = Some(w);
                continue;
            }
            if prev && let Some(p) = out.last_mut() {
                p.push_str(&w);
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
pub(crate) fn compact(s: &str) -> Vec<char> {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_lone_character_may_end_the_word_before_it() {
        let atom = Atom {
            scope: Scope::Any,
            text: "十九大报告".to_string(),
            phrase: false,
        };
        let cut = |_: &str| vec!["十九".to_string(), "大".to_string(), "报告".to_string()];
        assert_eq!(
            unit_readings(&atom, &cut),
            [vec!["十九", "大报告"], vec!["十九大", "报告"]]
        );
        // one reading when there is no choice
        let atom = Atom {
            text: "巡察整改".to_string(),
            ..atom
        };
        let cut = |_: &str| vec!["巡察".to_string(), "整改".to_string()];
        assert_eq!(unit_readings(&atom, &cut), [vec!["巡察", "整改"]]);
    }
}
