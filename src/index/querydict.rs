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

use std::collections::HashMap;
use std::path::Path;

use fst::{Map, MapBuilder};

pub use crate::analysis::WordCounts;
use crate::error::{Error, Result};

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
            use fst::Streamer;
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
