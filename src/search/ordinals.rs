//! Per-segment notice ordinals for a long-running server: which notice each
//! section belongs to, as a small dense number, kept in memory.
//!
//! A query walks the postings of its common words (政府 matches 600k
//! sections at 100k notices) and, for each section, needs its notice: to
//! keep only the notices a rarer word left in, and to add the score up per
//! notice. Read from the `nid` column that costs an unpacking of a 64-bit
//! value and a hash look-up per section. A server answers many queries from
//! one index, so, like the global ordinals a search server keeps per
//! segment, it pays once per segment for a table `section -> ordinal` and
//! answers "is this section's notice still in?" with a bit test.
//!
//! A segment never changes once written, so the tables are shared by every
//! searcher that holds it, across reloads, and built at most once per
//! segment. Sections of a notice are written together (one batch, one
//! segment, consecutive documents), so a notice also has its span of
//! documents: a query restricted to a few notices seeks to their spans
//! instead of walking every posting of a common word.
//!
//! The one-shot CLI does not build them: for one query, reading the whole
//! column costs more than the sections it needs.

use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use super::exec::NoticeSet;
use crate::error::Result;

/// Marks a section without a notice key (none should exist).
const NONE: u32 = u32::MAX;

/// The notices of one segment.
pub(crate) struct SegmentNotices {
    /// Per document, its notice's ordinal.
    ord: Ordinals,
    /// Per ordinal, the notice key.
    keys: Vec<u64>,
    /// Per ordinal, its first document and one past its last.
    spans: Vec<(DocId, DocId)>,
    /// Notice key -> ordinal.
    by_key: FxHashMap<u64, u32>,
}

/// Which notice (ordinal) each document belongs to.
///
/// A query asks this of every section it walks, far apart in the segment: a
/// `u32` per document (8 MB for the 2M sections of 100k notices) misses the
/// cache on nearly every look-up, and the profile of a common word spent a
/// tenth of its time on that one load. Written in one batch, a notice's
/// sections are consecutive and ordinals grow with the document, so the
/// ordinal of a document is the number of notices begun up to it: one bit
/// per document marking where a notice begins, with the count of notices
/// begun before each word (250 + 125 kB for 2M sections, which stay in the
/// cache).
enum Ordinals {
    /// Every document keyed, each notice one run of documents, in ordinal
    /// order: bit `d` marks a notice beginning at document `d`.
    Runs {
        starts: Vec<u64>,
        /// Notices begun before each word of `starts`.
        before: Vec<u32>,
        max: DocId,
    },
    /// Any other layout (a section without a key, a notice in two runs).
    Dense(Vec<u32>),
}

impl Ordinals {
    /// The ordinals of a segment's documents, given one per document.
    fn of(ord: Vec<u32>) -> Ordinals {
        // runs in ordinal order: each document continues its predecessor's
        // notice or begins the next one
        let runs = ord.first().is_none_or(|&o| o == 0)
            && !ord.contains(&NONE)
            && ord.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1);
        if !runs {
            return Ordinals::Dense(ord);
        }
        let mut starts = vec![0u64; ord.len().div_ceil(64)];
        for (d, w) in ord.iter().enumerate() {
            if d == 0 || ord[d - 1] != *w {
                starts[d / 64] |= 1 << (d % 64);
            }
        }
        let mut before = Vec::with_capacity(starts.len());
        let mut n = 0u32;
        for word in &starts {
            before.push(n);
            n += word.count_ones();
        }
        Ordinals::Runs {
            starts,
            before,
            max: ord.len() as DocId,
        }
    }

    /// The ordinal of `doc`; `None` without one.
    #[inline]
    fn get(&self, doc: DocId) -> Option<u32> {
        match self {
            Ordinals::Runs {
                starts,
                before,
                max,
            } => {
                if doc >= *max {
                    return None;
                }
                let d = doc as usize;
                let w = d / 64;
                let n = before[w] + (starts[w] & (u64::MAX >> (63 - d % 64))).count_ones();
                // document 0 begins a notice, so n >= 1
                Some(n - 1)
            }
            Ordinals::Dense(ord) => match ord.get(doc as usize) {
                Some(&o) if o != NONE => Some(o),
                _ => None,
            },
        }
    }
}

impl SegmentNotices {
    /// Read the segment's `nid` column once.
    fn build(seg: &SegmentReader) -> Result<SegmentNotices> {
        let col = seg.fast_fields().u64("nid")?;
        let max = seg.max_doc();
        let mut ord = Vec::with_capacity(max as usize);
        let mut keys: Vec<u64> = Vec::new();
        let mut spans: Vec<(DocId, DocId)> = Vec::new();
        let mut by_key: FxHashMap<u64, u32> = FxHashMap::default();
        let mut last: Option<(u64, u32)> = None;
        for doc in 0..max {
            let Some(k) = col.first(doc) else {
                ord.push(NONE);
                continue;
            };
            let o = match last {
                Some((lk, lo)) if lk == k => lo,
                _ => *by_key.entry(k).or_insert_with(|| {
                    keys.push(k);
                    spans.push((doc, doc + 1));
                    (keys.len() - 1) as u32
                }),
            };
            let span = &mut spans[o as usize];
            span.1 = doc + 1;
            ord.push(o);
            last = Some((k, o));
        }
        Ok(SegmentNotices {
            ord: Ordinals::of(ord),
            keys,
            spans,
            by_key,
        })
    }

    /// The ordinal of `doc`'s notice.
    #[inline]
    pub(crate) fn ordinal(&self, doc: DocId) -> Option<u32> {
        self.ord.get(doc)
    }

    /// The key of the notice of ordinal `o` (one [`SegmentNotices::ordinal`]
    /// gave).
    #[inline]
    pub(crate) fn key_of(&self, o: u32) -> u64 {
        self.keys[o as usize]
    }

    /// One past the last document of `doc`'s notice.
    #[inline]
    pub(crate) fn notice_end(&self, doc: DocId) -> Option<DocId> {
        self.ord.get(doc).map(|o| self.spans[o as usize].1)
    }

    /// The notices of `only` this segment holds, as a bit set over its
    /// ordinals, with their document spans in order (overlaps joined).
    pub(crate) fn restrict(&self, only: &dyn NoticeSet) -> Restriction {
        let mut held: Vec<u32> = Vec::new();
        only.each(&mut |k| held.extend(self.by_key.get(&k)));
        self.restrict_ordinals(held.into_iter())
    }

    /// The notices of ordinals `notices` (repeated as they come, in
    /// increasing order for the spans to come sorted; others are skipped),
    /// as [`SegmentNotices::restrict`] gives them, with no look-up by key.
    pub(crate) fn restrict_ordinals(&self, notices: impl Iterator<Item = u32>) -> Restriction {
        let mut bits = vec![0u64; self.keys.len().div_ceil(64)];
        let mut spans: Vec<(DocId, DocId)> = Vec::new();
        for o in notices {
            let Some(&span) = self.spans.get(o as usize) else {
                continue;
            };
            let (word, bit) = (o as usize / 64, 1u64 << (o % 64));
            if bits[word] & bit == 0 {
                bits[word] |= bit;
                spans.push(span);
            }
        }
        Restriction::new(bits, spans)
    }
}

/// Some notices of one segment (see [`SegmentNotices::restrict`]).
pub(crate) struct Restriction {
    bits: Vec<u64>,
    /// Document ranges holding every section of those notices, in order.
    pub(crate) spans: Vec<(DocId, DocId)>,
}

impl Restriction {
    /// True when the notice of ordinal `o` is in.
    #[inline]
    pub(crate) fn admits(&self, o: u32) -> bool {
        self.bits
            .get(o as usize / 64)
            .is_some_and(|w| w & (1 << (o % 64)) != 0)
    }

    /// The notices set in `bits`, with their spans in any order.
    fn new(bits: Vec<u64>, mut spans: Vec<(DocId, DocId)>) -> Restriction {
        // (spans read in document order come sorted)
        if !spans.is_sorted() {
            spans.sort_unstable();
        }
        let mut joined: Vec<(DocId, DocId)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match joined.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => joined.push((a, b)),
            }
        }
        Restriction {
            bits,
            spans: joined,
        }
    }
}

/// Tables of the segments seen, by segment.
static TABLES: LazyLock<Mutex<FxHashMap<SegmentId, Arc<SegmentNotices>>>> =
    LazyLock::new(Default::default);

/// The notice table of `seg`, built on first use.
pub(crate) fn of(seg: &SegmentReader) -> Result<Arc<SegmentNotices>> {
    let id = seg.segment_id();
    if let Some(t) = lock().get(&id) {
        return Ok(Arc::clone(t));
    }
    // built without the lock: two requests may build the same table once
    let t = Arc::new(SegmentNotices::build(seg)?);
    lock().insert(id, Arc::clone(&t));
    Ok(t)
}

/// Build the tables of every segment `searcher` reads before it answers,
/// and forget those of segments it no longer reads (merged away). Searchers
/// still answering from an older state rebuild a forgotten table if they
/// need it.
pub(crate) fn warm(searcher: &Searcher) -> Result<()> {
    let live: FxHashSet<SegmentId> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id())
        .collect();
    lock().retain(|id, _| live.contains(id));
    for seg in searcher.segment_readers() {
        of(seg)?;
    }
    Ok(())
}

fn lock() -> std::sync::MutexGuard<'static, FxHashMap<SegmentId, Arc<SegmentNotices>>> {
    TABLES.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layout answers as the plain table would, at word and block
    /// edges too.
    #[test]
    fn ordinals_answer_as_the_plain_table() {
        // run lengths within, across and over whole 64-document words
        let mut runs: Vec<u32> = Vec::new();
        for (o, len) in [1usize, 63, 1, 64, 65, 500, 3, 1, 1, 700, 2]
            .iter()
            .enumerate()
        {
            runs.extend(std::iter::repeat_n(o as u32, *len));
        }
        let gapped: Vec<u32> = [0, 0, NONE, 1, 1].to_vec();
        let split: Vec<u32> = [0, 0, 1, 1, 0, 2].to_vec();
        for (name, plain) in [("runs", runs), ("gapped", gapped), ("split", split)] {
            let o = Ordinals::of(plain.clone());
            assert_eq!(
                matches!(o, Ordinals::Runs { .. }),
                name == "runs",
                "{name}: the compact form is for one run per notice only"
            );
            for (d, &want) in plain.iter().enumerate() {
                let want = (want != NONE).then_some(want);
                assert_eq!(o.get(d as DocId), want, "{name}: document {d}");
            }
            assert_eq!(o.get(plain.len() as DocId), None, "{name}: past the end");
        }
        assert_eq!(Ordinals::of(Vec::new()).get(0), None);
    }
}
