//! The query dictionary: every word jieba produced (its default-mode cut,
//! not the extra search-mode sub-words) while the corpus was indexed, with how
//! often it occurred, kept as an FST beside the index.
//!
//! Building jieba's own dictionary costs ~100 ms, more than a whole query may
//! take. Queries are instead segmented against this dictionary with jieba's
//! algorithm — the most probable route through the graph of known words, an
//! unknown character counting as frequency 1, consecutive ASCII letters and
//! digits kept together — so a query is cut the way the indexed text around
//! the same words was cut, and loading costs one small file read.
//!
//! The dictionary is also the vocabulary "did you mean" corrects against
//! ([`QueryDict::nearest`]): a word the index does not hold is looked up
//! through a Levenshtein automaton intersected with the FST, so only the
//! words within the allowed edits are visited.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use fst::{IntoStreamer, Map, MapBuilder, Streamer};
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};

pub use crate::analysis::WordCounts;
use crate::error::{Error, Result};
use crate::notice::is_han;

/// File name of the query dictionary inside the index folder.
pub const FILE: &str = "querydict.fst";
/// Longest word (in characters) looked up.
const MAX_WORD_CHARS: usize = 16;
/// Key under which the total count is stored (never a real word).
const TOTAL_KEY: &[u8] = b"\x00total";

/// A loaded query dictionary.
pub struct QueryDict {
    map: Map<Vec<u8>>,
    log_total: f64,
}

fn is_block_char(c: char) -> bool {
    c.is_alphanumeric() || "+#&._%-".contains(c)
}

impl QueryDict {
    /// Write `counts` (merged with the dictionary already in `dir`, if any,
    /// when `merge_existing`) to `dir`, atomically.
    pub fn write(dir: &Path, counts: &WordCounts, merge_existing: bool) -> Result<()> {
        let mut all: Vec<(Vec<u8>, u64)> = counts
            .iter()
            .map(|(w, c)| (w.as_bytes().to_vec(), *c))
            .collect();
        // A damaged old dictionary cannot be merged into: its counts are lost,
        // and writing only the new counts would silently cut queries against
        // part of the corpus. The error names the repair (a rebuild).
        if merge_existing && let Some(old) = QueryDict::open(dir)? {
            let mut merged: HashMap<Vec<u8>, u64> = all.into_iter().collect();
            let mut stream = old.map.stream();
            while let Some((k, v)) = stream.next() {
                if k != TOTAL_KEY {
                    *merged.entry(k.to_vec()).or_insert(0) += v;
                }
            }
            all = merged.into_iter().collect();
        }
        let total: u64 = all.iter().map(|(_, c)| *c).sum::<u64>().max(1);
        all.push((TOTAL_KEY.to_vec(), total));
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all.dedup_by(|a, b| a.0 == b.0);
        let mut builder = MapBuilder::memory();
        for (k, v) in &all {
            builder.insert(k, *v).map_err(|e| {
                Error::io("building the query dictionary", std::io::Error::other(e))
            })?;
        }
        let bytes = builder
            .into_inner()
            .map_err(|e| Error::io("building the query dictionary", std::io::Error::other(e)))?;
        // Through a fresh, exclusively created temporary file: a file or link
        // planted under a predictable name (`querydict.fst.tmp`) is never
        // written through, and readers see the old dictionary or the new.
        super::write_atomically(dir, FILE, &bytes)
    }

    /// Open the dictionary of the index in `dir`: `None` when there is none
    /// (an index written before dictionaries existed; callers then cut
    /// queries with jieba). A dictionary that cannot be read, or whose
    /// checksum does not match its bytes (truncated, overwritten, bit flips),
    /// is an [`Error::Damaged`]: the fst crate trusts the bytes it is given
    /// and panics on broken ones, so they are never used unverified.
    pub fn open(dir: &Path) -> Result<Option<QueryDict>> {
        let path = dir.join(FILE);
        let damaged = |reason: String| Error::Damaged {
            path: dir.display().to_string(),
            reason: format!("{FILE}: {reason}"),
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                return Err(damaged("not a file".into()));
            }
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        // fst's own Display says only "FST error"; the inner error says what.
        let why = |e: fst::Error| match e {
            fst::Error::Fst(inner) => damaged(inner.to_string()),
            other => damaged(other.to_string()),
        };
        let map = Map::new(bytes).map_err(why)?;
        map.as_fst().verify().map_err(why)?;
        let total = map.get(TOTAL_KEY).unwrap_or(1).max(1);
        Ok(Some(QueryDict {
            map,
            log_total: (total as f64).ln(),
        }))
    }

    /// Count of `word` in the indexed corpus (0 when unknown).
    pub fn count(&self, word: &str) -> u64 {
        self.map.get(word.as_bytes()).unwrap_or(0)
    }

    /// Cut already-normalised text into words, separators dropped.
    pub fn cut(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !is_block_char(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && is_block_char(chars[i]) {
                i += 1;
            }
            self.cut_block(&chars[start..i], &mut out);
        }
        out.retain(|w| w.chars().any(char::is_alphanumeric));
        out
    }

    fn cut_block(&self, chars: &[char], out: &mut Vec<String>) {
        let n = chars.len();
        // route[i] = (best log probability of chars[i..], end of first word)
        let mut route: Vec<(f64, usize)> = vec![(0.0, n); n + 1];
        let mut word = String::new();
        for i in (0..n).rev() {
            let mut best: Option<(f64, usize)> = None;
            word.clear();
            for j in i..n.min(i + MAX_WORD_CHARS) {
                word.push(chars[j]);
                let c = self.map.get(word.as_bytes()).unwrap_or(0);
                if c == 0 {
                    continue;
                }
                let p = (c as f64).ln() - self.log_total + route[j + 1].0;
                let better = match best {
                    None => true,
                    Some((bp, be)) => p > bp || (p == bp && j + 1 > be),
                };
                if better {
                    best = Some((p, j + 1));
                }
            }
            route[i] = best.unwrap_or((-self.log_total + route[i + 1].0, i + 1));
        }
        // Emit words; single ASCII letters/digits run together as jieba does.
        let mut buf = String::new();
        let mut i = 0;
        while i < n {
            let end = route[i].1;
            if end == i + 1 && chars[i].is_ascii_alphanumeric() {
                buf.push(chars[i]);
            } else {
                if !buf.is_empty() {
                    out.push(std::mem::take(&mut buf));
                }
                out.push(chars[i..end].iter().collect());
            }
            i = end;
        }
        if !buf.is_empty() {
            out.push(buf);
        }
    }
}

/// A dictionary word near a word the index does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Near {
    /// The word, as the dictionary holds it (normalised).
    pub word: String,
    /// Edits from the word looked up (see [`max_edits`]).
    pub edits: u8,
    /// How often it occurred in the indexed corpus.
    pub count: u64,
}

/// How many edits a correction of `word` may make, counted in characters: a
/// character inserted, deleted or replaced, or two neighbours swapped (the
/// commonest typing slip, `covdi` → `covid`, is then one edit, not two).
///
/// * Nothing for one character, for two Latin letters or digits (every short
///   word is within one edit of them), for a word longer than the dictionary
///   holds, or for a number alone (another number is another fact).
/// * One edit for a two-character Chinese word (巡查 → 巡察: a Chinese
///   character carries a syllable and a meaning, so two of them weigh like a
///   short Latin word, not like two letters) and for words of 3–5
///   characters (意识形太 → 意识形态, covdi → covid).
/// * Two edits from 6 characters on: there enough of the word is left that
///   two slips still point at one word rather than at dozens. The second
///   edit keeps the first character (as Lucene's fuzzy `prefix_length`
///   does): two edits anywhere walk every two-character start in the
///   dictionary, most of a long zero-hit query's time, while a slip in the
///   first character alone is still found.
pub fn max_edits(word: &str) -> u8 {
    let n = word.chars().count();
    if n > MAX_WORD_CHARS || word.chars().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    match n {
        0 | 1 => 0,
        2 if word.chars().all(is_han) => 1,
        2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// The edit distance (as [`max_edits`] counts it) between `a` and `b`, when
/// it is at most `max` (1 or 2; 0 always gives `None`).
pub fn edit_distance(a: &str, b: &str, max: u8) -> Option<u8> {
    if max == 0 {
        return None;
    }
    match automata(max).build_dfa(a).eval(b) {
        Distance::Exact(d) => Some(d),
        Distance::AtLeast(_) => None,
    }
}

/// The automaton builder for up to `max` edits (1 or 2), built once: it is a
/// table computed from the distance alone, a few milliseconds for two edits.
fn automata(max: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    if max <= 1 {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    } else {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    }
}

/// A Levenshtein DFA walked over the FST's bytes, only below `anchor` (a
/// prefix every key must start with; empty for none). (The automata crate
/// has an fst adapter behind a feature; turning it on would rebuild
/// tantivy, which depends on the same crate.)
struct Within<'a> {
    dfa: &'a DFA,
    anchor: &'a [u8],
}

impl fst::Automaton for Within<'_> {
    /// The DFA's state and the bytes read; `None` once off the anchor.
    type State = Option<(u32, usize)>;

    fn start(&self) -> Self::State {
        Some((self.dfa.initial_state(), 0))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(state, Some((d, read))
            if *read >= self.anchor.len() && matches!(self.dfa.distance(*d), Distance::Exact(_)))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        matches!(state, Some((d, _)) if *d != SINK_STATE)
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let (d, read) = (*state)?;
        match self.anchor.get(read) {
            Some(&b) if b != byte => None,
            _ => Some((self.dfa.transition(d, byte), read.saturating_add(1))),
        }
    }
}

/// The digits of `s`, in order.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl QueryDict {
    /// Up to `limit` dictionary words within [`max_edits`] of `word` (already
    /// normalised), nearest first, then the most frequent. `word` itself is
    /// not one of them, nor single characters, words with anything but
    /// letters and digits (they could not be typed back as one query word),
    /// or words whose digits differ from `word`'s (2025年 is not a typo of
    /// 2024年).
    pub fn nearest(&self, word: &str, limit: usize) -> Vec<Near> {
        let max = max_edits(word);
        if max == 0 || limit == 0 {
            return Vec::new();
        }
        let mut found = self.within(word, 1, "");
        if max >= 2 {
            // the second edit keeps the first character (see max_edits)
            let first = word.chars().next().map_or(0, char::len_utf8);
            found.extend(self.within(word, 2, word.get(..first).unwrap_or("")));
        }
        // each word once, at its fewest edits
        found.sort_by(|a, b| a.word.cmp(&b.word).then(a.edits.cmp(&b.edits)));
        found.dedup_by(|later, first| later.word == first.word);
        found.sort_by(|a, b| {
            (a.edits.cmp(&b.edits))
                .then(b.count.cmp(&a.count))
                .then_with(|| a.word.cmp(&b.word))
        });
        found.truncate(limit);
        found
    }

    /// The suggestible words within `edits` of `word` that start with
    /// `anchor` (see [`QueryDict::nearest`]), unordered.
    fn within(&self, word: &str, edits: u8, anchor: &str) -> Vec<Near> {
        let dfa = automata(edits).build_dfa(word);
        let wanted_digits = digits(word);
        let mut found = Vec::new();
        let walk = Within {
            dfa: &dfa,
            anchor: anchor.as_bytes(),
        };
        let mut stream = self.map.search_with_state(walk).into_stream();
        while let Some((key, count, state)) = stream.next() {
            let Some(Distance::Exact(edits)) = state.map(|(d, _)| dfa.distance(d)) else {
                continue;
            };
            let Ok(w) = std::str::from_utf8(key) else {
                continue;
            };
            let suggestible = edits > 0
                && w.chars().nth(1).is_some()
                && w.chars().all(char::is_alphanumeric)
                && digits(w) == wanted_digits;
            if suggestible {
                found.push(Near {
                    word: w.to_string(),
                    edits,
                    count,
                });
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(words: &[(&str, u64)]) -> (tempfile::TempDir, QueryDict) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = WordCounts::default();
        for (w, n) in words {
            for _ in 0..*n {
                c.add(w);
            }
        }
        QueryDict::write(dir.path(), &c, false).unwrap();
        let d = QueryDict::open(dir.path()).unwrap().unwrap();
        (dir, d)
    }

    #[test]
    fn most_probable_route() {
        let (_d, q) = dict(&[
            ("公务", 50),
            ("接待", 40),
            ("公务接待", 30),
            ("标准", 60),
            ("超", 5),
        ]);
        assert_eq!(q.cut("公务接待超标准"), vec!["公务接待", "超", "标准"]);
        assert_eq!(q.count("公务"), 50);
    }

    #[test]
    fn edits_allowed_grow_with_length() {
        for (word, edits) in [
            ("党", 0),
            ("ab", 0),
            ("巡查", 1),
            ("5g", 0),
            ("2024", 0),
            ("covdi", 1),
            ("意识形太", 1),
            ("公务接待超标", 2),
            ("mmmmmmmmm", 2),
            ("中华人民共和国国务院办公厅关于印发", 0),
        ] {
            assert_eq!(max_edits(word), edits, "{word}");
        }
        assert_eq!(edit_distance("titel", "title", 1), Some(1));
        assert_eq!(edit_distance("covdi", "cover", 1), None);
        assert_eq!(edit_distance("covdi", "cover", 2), Some(2));
        assert_eq!(edit_distance("a", "a", 0), None);
    }

    #[test]
    fn nearest_words_fewest_edits_then_most_frequent() {
        let (_d, q) = dict(&[
            ("意识形态", 50),
            ("意识", 100),
            ("形态", 30),
            ("形式", 80),
            ("巡察", 40),
            ("巡查", 5),
            ("covid", 3),
            ("cover", 10),
            ("2024年", 20),
            ("2023年", 30),
            ("中央八项规定", 7),
            ("中央八项规定精神", 9),
            ("中央八项", 100),
            ("形", 90),
        ]);
        let words =
            |w: &str| -> Vec<String> { q.nearest(w, 5).into_iter().map(|n| n.word).collect() };
        assert_eq!(words("意识形太"), ["意识形态"]);
        assert_eq!(
            q.nearest("意识形太", 5)[0],
            Near {
                word: "意识形态".into(),
                edits: 1,
                count: 50
            }
        );
        // a swap of neighbours is one edit; cover is two away
        assert_eq!(words("covdi"), ["covid"]);
        // equally near: the more frequent first; never the word itself or a
        // single character
        assert_eq!(words("形太"), ["形式", "形态"]);
        assert_eq!(words("巡查"), ["巡察"]);
        // the digits stay: another year is not a correction
        assert!(words("2024nian").is_empty());
        assert!(words("2025年").is_empty());
        // two edits for longer words, the nearest first however rare
        assert_eq!(words("中央八项规则"), ["中央八项规定", "中央八项"]);
        assert_eq!(words("中央八项规"), ["中央八项", "中央八项规定"]);
        // a slip in the first character is found; a second slip then is not
        assert_eq!(words("东央八项规定"), ["中央八项规定"]);
        assert!(words("东央八项规则").is_empty());
        assert_eq!(q.nearest("意识形太", 0), []);
        assert!(words("ab").is_empty());
    }

    #[test]
    fn unknown_chars_and_ascii_runs() {
        let (_d, q) = dict(&[("到资", 10)]);
        assert_eq!(q.cut("fdi到资2336万"), vec!["fdi", "到资", "2336", "万"]);
        assert_eq!(q.cut("，。 "), Vec::<String>::new());
    }

    #[test]
    fn merge_adds_counts() {
        let (dir, _q) = dict(&[("巡察", 2)]);
        let mut more = WordCounts::default();
        more.add("巡察");
        more.add("整改");
        QueryDict::write(dir.path(), &more, true).unwrap();
        let q = QueryDict::open(dir.path()).unwrap().unwrap();
        assert_eq!(q.count("巡察"), 3);
        assert_eq!(q.count("整改"), 1);
    }

    #[test]
    fn damaged_dictionary_is_an_error_never_a_panic() {
        let (dir, _q) = dict(&[("巡察", 2), ("整改", 3), ("公务接待", 4)]);
        let path = dir.path().join(FILE);
        let good = std::fs::read(&path).unwrap();
        // Every truncation and a flip of every bit is caught by the checksum.
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(matches!(
                QueryDict::open(dir.path()),
                Err(Error::Damaged { .. })
            ));
        }
        for i in 0..good.len() * 8 {
            let mut bad = good.clone();
            bad[i / 8] ^= 1 << (i % 8);
            std::fs::write(&path, &bad).unwrap();
            assert!(matches!(
                QueryDict::open(dir.path()),
                Err(Error::Damaged { .. })
            ));
        }
        // Merging into a damaged dictionary would lose its counts silently.
        let mut more = WordCounts::default();
        more.add("巡察");
        assert!(matches!(
            QueryDict::write(dir.path(), &more, true),
            Err(Error::Damaged { .. })
        ));
        std::fs::remove_file(&path).unwrap();
        assert!(QueryDict::open(dir.path()).unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_link_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(format!("{FILE}.tmp"))).unwrap();
        let mut c = WordCounts::default();
        c.add("巡察");
        QueryDict::write(dir.path(), &c, false).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(
            QueryDict::open(dir.path()).unwrap().unwrap().count("巡察"),
            1
        );
    }
}
