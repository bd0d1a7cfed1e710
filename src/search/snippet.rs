//! Snippets: the window of a section's text that holds the most query terms,
//! with the matched text as character ranges (no markup, no colour).
//!
//! Matching is literal on normalised text and ignores whitespace, exactly as
//! the n-gram index does, and Latin runs match whole, as the Latin index
//! does (`ai` is not highlighted inside `Explainable`), so every highlighted
//! term is one the index matched.

use crate::analysis::{latin_expansion, norm_char};

/// Target snippet length in characters.
pub const SNIPPET_CHARS: usize = 110;
/// Characters of context kept before the first highlight.
const LEAD: usize = 24;
/// How far before the first highlight a clause boundary is looked for.
const LOOKBACK: usize = 40;

/// A snippet: text plus `[start, end)` character ranges to highlight.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snippet {
    /// The text (newlines shown as spaces).
    pub text: String,
    /// Sorted, non-overlapping character ranges into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// The non-space normalised characters of a text, a compatibility character
/// that stands for several ASCII ones counted as them (as the Latin index
/// does: `Ⅲ` is `iii`).
#[derive(Default)]
struct Compact {
    chars: Vec<char>,
    /// Index of the original character each came from.
    orig: Vec<usize>,
    /// Whitespace came just before it.
    spaced: Vec<bool>,
}

impl Compact {
    fn of(text: impl Iterator<Item = char>) -> Compact {
        let n = text.size_hint().0;
        let mut out = Compact {
            chars: Vec::with_capacity(n),
            orig: Vec::with_capacity(n),
            spaced: Vec::with_capacity(n),
        };
        let mut spaced = false;
        for (i, c) in text.enumerate() {
            let n = norm_char(c);
            if n.is_whitespace() {
                spaced = true;
                continue;
            }
            let mut push = |a: char| {
                out.chars.push(a);
                out.orig.push(i);
                out.spaced.push(std::mem::take(&mut spaced));
            };
            match latin_expansion(n) {
                Some(form) => form.chars().for_each(&mut push),
                None => push(n),
            }
        }
        out
    }

    /// True when `t` occurring at `k` is an occurrence the index matches: a
    /// letter or digit at either end of `t` does not continue a run of the
    /// text, and between two ASCII characters the text has whitespace
    /// exactly where `t` has (whitespace splits a Latin run).
    fn whole_runs_at(&self, k: usize, t: &Compact) -> bool {
        let end = k + t.chars.len();
        let runs_on = |i: usize| {
            i > 0
                && i < self.chars.len()
                && !self.spaced[i]
                && self.chars[i - 1].is_ascii_alphanumeric()
                && self.chars[i].is_ascii_alphanumeric()
        };
        let (Some(first), Some(last)) = (t.chars.first(), t.chars.last()) else {
            return false;
        };
        if (first.is_ascii_alphanumeric() && runs_on(k))
            || (last.is_ascii_alphanumeric() && runs_on(end))
        {
            return false;
        }
        (1..t.chars.len()).all(|j| {
            !(t.chars[j - 1].is_ascii_graphic() && t.chars[j].is_ascii_graphic())
                || self.spaced[k + j] == t.spaced[j]
        })
    }
}

/// Occurrences of each term in `text`: `(start, end, term index)` in
/// character offsets of `text`, whitespace inside a match allowed (but not
/// inside a Latin run).
fn occurrences(chars: &[char], terms: &[String]) -> Vec<(usize, usize, usize)> {
    let text = Compact::of(chars.iter().copied());
    let (compact, orig) = (&text.chars, &text.orig);
    let mut out = Vec::new();
    for (ti, term) in terms.iter().enumerate() {
        let tc = Compact::of(term.chars());
        let t = &tc.chars;
        if t.is_empty() || t.len() > compact.len() {
            continue;
        }
        let first = t[0];
        let mut k = 0;
        while k + t.len() <= compact.len() {
            // (the first character alone rules out nearly every place)
            if compact[k] == first && compact[k..k + t.len()] == t[..] && text.whole_runs_at(k, &tc)
            {
                out.push((orig[k], orig[k + t.len() - 1] + 1, ti));
                k += t.len();
            } else {
                k += 1;
            }
        }
    }
    out.sort_unstable();
    out
}

/// Build the best snippet of `text` for `terms`.
pub fn make(text: &str, terms: &[String]) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let occ = occurrences(&chars, terms);
    let n = chars.len();
    // choose the window start that covers the most distinct terms, then the
    // most occurrences; ties go to the earliest
    let mut best_start = 0usize;
    let mut best_key = (0usize, 0usize);
    let mut seen: Vec<usize> = Vec::new();
    for (i, &(s, _, _)) in occ.iter().enumerate() {
        let ws = s.saturating_sub(LEAD);
        let we = ws + SNIPPET_CHARS;
        seen.clear();
        let mut count = 0;
        for &(a, b, t) in &occ[i..] {
            if a >= we {
                break;
            }
            if b <= we {
                count += 1;
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
        }
        let key = (seen.len(), count);
        if key > best_key {
            best_key = key;
            best_start = ws;
        }
    }
    // start at a clause boundary within the lead-in when there is one
    let first_hit = occ
        .iter()
        .map(|o| o.0)
        .find(|&a| a >= best_start)
        .unwrap_or(best_start);
    let start = (first_hit.saturating_sub(LOOKBACK)..first_hit.min(n))
        .rev()
        .find(|&i| {
            matches!(
                chars[i],
                '。' | '；' | '！' | '？' | '\n' | '，' | ';' | ','
            )
        })
        .map_or(best_start, |i| i + 1)
        .min(n);
    let mut end = (start + SNIPPET_CHARS).min(n);
    // never cut a highlight: stop before one that would cross the end
    if let Some(&(a, b, _)) = occ.iter().find(|&&(a, b, _)| a < end && b > end) {
        end = if a > start { a } else { b.min(n) };
    }
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    for &(a, b, _) in &occ {
        if a >= start && b <= end {
            let r = [a - start, b - start];
            match ranges.last_mut() {
                Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
                _ => ranges.push(r),
            }
        }
    }
    let text: String = chars[start..end]
        .iter()
        .map(|&c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    Snippet {
        text,
        highlights: ranges,
    }
}

/// Every occurrence of `terms` in the whole of `text` (a notice's section
/// shown in full), matched as [`make`] matches them: sorted,
/// non-overlapping `[start, end)` character ranges into `text`.
pub fn highlight_all(text: &str, terms: &[String]) -> Vec<[usize; 2]> {
    let chars: Vec<char> = text.chars().collect();
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    for (a, b, _) in occurrences(&chars, terms) {
        match ranges.last_mut() {
            Some(last) if a <= last[1] => last[1] = last[1].max(b),
            _ => ranges.push([a, b]),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_text_highlights_every_occurrence() {
        let text = format!("差旅费{}差旅\n费与招待费", "无关。".repeat(60));
        let r = highlight_all(&text, &["差旅费".into(), "招待费".into()]);
        let c: Vec<char> = text.chars().collect();
        let got: Vec<String> = r.iter().map(|[a, b]| c[*a..*b].iter().collect()).collect();
        assert_eq!(got, ["差旅费", "差旅\n费", "招待费"]);
        assert!(highlight_all("无关", &["差旅费".into()]).is_empty());
    }

    fn hl(s: &Snippet) -> Vec<String> {
        let c: Vec<char> = s.text.chars().collect();
        s.highlights
            .iter()
            .map(|[a, b]| c[*a..*b].iter().collect())
            .collect()
    }

    #[test]
    fn window_holds_the_terms_and_highlights_them() {
        let text = format!(
            "{}差旅费报销管理{}",
            "无关内容。".repeat(40),
            "其他。".repeat(40)
        );
        let s = make(&text, &["差旅费".into()]);
        assert_eq!(hl(&s), vec!["差旅费"]);
        assert!(s.text.chars().count() <= SNIPPET_CHARS);
    }

    #[test]
    fn adjacent_highlights_merge_and_width_folds() {
        let s = make("加强ＦＤＩ到资管理", &["fdi".into(), "到资".into()]);
        assert_eq!(hl(&s), vec!["ＦＤＩ到资"]);
    }

    #[test]
    fn folded_terms_highlight_the_text_as_written() {
        // traditional term, simplified text, and the reverse
        let s = make("落实意识形态工作责任制", &["意識形態".into()]);
        assert_eq!(hl(&s), vec!["意识形态"]);
        let s = make("高度重視檔案管理", &["档案管理".into()]);
        assert_eq!(hl(&s), vec!["檔案管理"]);
        // any bracket form of a document number
        let s = make("（国办发〔2019〕6号）转发", &["国办发[2019]6号".into()]);
        assert_eq!(hl(&s), vec!["国办发〔2019〕6号"]);
    }

    #[test]
    fn match_across_line_break() {
        let s = make("所作的\n政府工作报告\n。", &["所作的政府".into()]);
        assert_eq!(s.highlights, vec![[0, 6]]);
        assert!(!s.text.contains('\n'));
    }

    #[test]
    fn latin_terms_highlight_whole_runs_only() {
        let s = make(
            "Information on AI and Explainable ai",
            &["on".into(), "ai".into()],
        );
        assert_eq!(hl(&s), vec!["on", "AI", "ai"]);
        let s = make(
            "F-161与F-16，20190101及2019年",
            &["f-16".into(), "2019".into()],
        );
        assert_eq!(hl(&s), vec!["F-16", "2019"]);
        // punctuation at the end of a term may be followed by anything
        let s = make("C++11标准", &["c++".into()]);
        assert_eq!(hl(&s), vec!["C++"]);
        // a Latin run is not split by a line break, nor joined across a space
        let s = make(
            "COVID-\n19，GB/T 9704与GB/T9704",
            &["covid-19".into(), "gb/t 9704".into()],
        );
        assert_eq!(hl(&s), vec!["GB/T 9704"]);
        // compatibility forms count as their ASCII letters
        let s = make("Ⅲ类与III类", &["iii".into()]);
        assert_eq!(hl(&s), vec!["Ⅲ", "III"]);
        // next to Chinese a run is whole
        let s = make("推进5G+工业互联网和5G建设", &["5g".into()]);
        assert_eq!(hl(&s), vec!["5G", "5G"]);
    }

    #[test]
    fn highlights_stay_inside_snippet() {
        let text = "巡察".repeat(200);
        let s = make(&text, &["巡察".into()]);
        let len = s.text.chars().count();
        assert!(s.highlights.iter().all(|[a, b]| a < b && *b <= len));
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = make("第一行\n第二行", &["不存在".into()]);
        assert_eq!(s.text, "第一行 第二行");
        assert!(s.highlights.is_empty());
    }
}
