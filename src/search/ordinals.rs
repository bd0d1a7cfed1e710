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

use crate::error::Result;

/// Marks a section without a notice key (none should exist).
const NONE: u32 = u32::MAX;

/// The notices of one segment.
pub(crate) struct SegmentNotices {
    /// Per document, its notice's ordinal (`NONE` without a key).
    ord: Vec<u32>,
    /// Per ordinal, the notice key.
    keys: Vec<u64>,
    /// Per ordinal, its first document and one past its last.
    spans: Vec<(DocId, DocId)>,
    /// Notice key -> ordinal.
    by_key: FxHashMap<u64, u32>,
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
            ord,
            keys,
            spans,
            by_key,
        })
    }

    /// The notice key of `doc`.
    #[inline]
    pub(crate) fn key(&self, doc: DocId) -> Option<u64> {
        match self.ord.get(doc as usize) {
            Some(&o) if o != NONE => Some(self.keys[o as usize]),
            _ => None,
        }
    }

    /// The notices of `only` this segment holds, as a bit set over its
    /// ordinals, with their document spans in order (overlaps joined).
    pub(crate) fn restrict(&self, only: &FxHashSet<u64>) -> Restriction {
        let mut bits = vec![0u64; self.keys.len().div_ceil(64)];
        let mut spans: Vec<(DocId, DocId)> = Vec::new();
        for k in only {
            if let Some(&o) = self.by_key.get(k) {
                bits[o as usize / 64] |= 1 << (o % 64);
                spans.push(self.spans[o as usize]);
            }
        }
        spans.sort_unstable();
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

    /// True when `doc`'s notice is in `r`.
    #[inline]
    pub(crate) fn admits(&self, r: &Restriction, doc: DocId) -> bool {
        match self.ord.get(doc as usize) {
            Some(&o) if o != NONE => r.bits[o as usize / 64] & (1 << (o % 64)) != 0,
            _ => false,
        }
    }
}

/// Some notices of one segment (see [`SegmentNotices::restrict`]).
pub(crate) struct Restriction {
    bits: Vec<u64>,
    /// Document ranges holding every section of those notices, in order.
    pub(crate) spans: Vec<(DocId, DocId)>,
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
