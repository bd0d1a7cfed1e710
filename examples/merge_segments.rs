//! Merges the segments of an existing gongwen index into fewer, to measure
//! what the number of segments costs a query (issue 16: `gongwen index`'s
//! merge policy stops at segments of ~500k sections, ~50 of them at 1M
//! notices). Work on a copy: the index keeps working, but it is rewritten.
//!
//! usage: cargo run --release --example merge_segments -- INDEX_DIR [SEGMENTS]
//!   SEGMENTS: how many segments to leave (default 1); the segments are
//!             dealt, largest first, to the smallest group
//! prints: the segments' section counts before and after, and the seconds

use std::path::Path;
use std::time::Instant;

use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        anyhow::bail!("usage: merge_segments INDEX_DIR [SEGMENTS]");
    };
    let groups: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    anyhow::ensure!(groups >= 1, "SEGMENTS must be at least 1");
    let dir = Path::new(&dir);
    let index = Index::open_in_dir(dir)?;
    let mut segs: Vec<(SegmentId, u32)> = index
        .searchable_segment_metas()?
        .iter()
        .map(|m| (m.id(), m.max_doc()))
        .collect();
    println!(
        "before: {} segments {:?}",
        segs.len(),
        segs.iter().map(|s| s.1).collect::<Vec<_>>()
    );
    segs.sort_by_key(|s| std::cmp::Reverse(s.1));
    let mut plan: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); groups];
    for (id, n) in segs {
        // `plan` is never empty (groups >= 1)
        if let Some(g) = plan.iter_mut().min_by_key(|g| g.0) {
            g.0 += u64::from(n);
            g.1.push(id);
        }
    }
    let started = Instant::now();
    // one thread, a small budget: nothing is added, only merged
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 50_000_000)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (_, ids) in plan.iter().filter(|g| g.1.len() > 1) {
        writer.merge(ids).wait()?;
    }
    writer.wait_merging_threads()?;
    // the merged files are new: record them as verified, as `gongwen index`
    // does after a commit, or every search would read them to check them
    gongwen::index::check::record_verified(dir, &index)?;
    let after: Vec<u32> = index
        .searchable_segment_metas()?
        .iter()
        .map(|m| m.max_doc())
        .collect();
    println!(
        "after: {} segments {:?} in {:.1} s",
        after.len(),
        after,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
