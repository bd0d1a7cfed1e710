//! Criterion benchmarks of the pieces a query and an index run are made of:
//! analyzer throughput (MB/s of Chinese text), notice parsing, indexing a
//! fixed sample, and query latency in-process (index already open).
//!
//! Input is the two sample notices shipped in `corpus/`, plus up to 200
//! notices of `../shared/corpus/notices` when it is beside the checkout.
//! Run with `cargo bench --bench core`.
//!
//! `GONGWEN_BENCH_INDEX=DIR cargo bench --bench core -- served` also times
//! the 20 benchmark queries (`../shared/bench/queries.txt`) against an index
//! built beforehand (e.g. the 100k corpus of `scripts/bench.sh`), answered as
//! `gongwen serve` answers them (notice tables kept in memory): the
//! in-process cost behind `scripts/load-serve.sh`, steadier than a load run
//! for comparing two builds (`--save-baseline before`, then `--baseline
//! before`).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::analysis::{self, ngram_tokens, word_tokens};
use gongwen::index::{self, IndexHandle};
use gongwen::notice::parse_text;
use gongwen::search::{self, SearchRequest};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample notices plus a fixed slice of the shared corpus, as texts.
fn sample_texts() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = Vec::new();
    for e in walkdir::WalkDir::new(root().join("corpus"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "txt") {
            files.push(e.path().to_path_buf());
        }
    }
    let shared = root().join("../shared/corpus/notices");
    if shared.is_dir() {
        let mut more: Vec<PathBuf> = walkdir::WalkDir::new(&shared)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
            .map(|e| e.path().to_path_buf())
            .collect();
        // every 35th file: ~200 notices across all sources
        more = more.into_iter().step_by(35).collect();
        files.extend(more);
    }
    files
        .into_iter()
        .filter_map(|p| {
            let t = std::fs::read_to_string(&p).ok()?;
            Some((p.file_name()?.to_string_lossy().to_string(), t))
        })
        .collect()
}

fn bench_analysis(c: &mut Criterion) {
    let texts = sample_texts();
    let all: String = texts
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let _ = analysis::jieba(); // dictionary built outside the timing
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(all.len() as u64));
    g.sample_size(10);
    g.bench_function("jieba_words", |b| {
        b.iter(|| black_box(word_tokens(&all).len()))
    });
    g.bench_function("bigrams", |b| {
        b.iter(|| black_box(ngram_tokens(&all).len()))
    });
    g.bench_function("raw_jieba_cut_for_search", |b| {
        b.iter(|| black_box(analysis::jieba().cut_for_search(&all, false).len()))
    });
    g.finish();
}

fn bench_parse(c: &mut Criterion) {
    let texts = sample_texts();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("notices", |b| {
        b.iter(|| {
            for (name, t) in &texts {
                black_box(parse_text(t, name).ok());
            }
        })
    });
    g.finish();
}

/// A temporary corpus folder holding the sample texts.
fn sample_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    for (i, (name, t)) in sample_texts().iter().enumerate() {
        std::fs::write(corpus.join(format!("{i:04}_{name}")), t).expect("write sample");
    }
    corpus
}

fn bench_index(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = sample_corpus(dir.path());
    let bytes: u64 = std::fs::read_dir(&corpus)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let mut g = c.benchmark_group("index");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("rebuild_sample", |b| {
        b.iter(|| {
            let r =
                index::build(&corpus, &dir.path().join("index"), true, &mut |_| {}).expect("index");
            black_box(r.indexed)
        })
    });
    g.finish();
}

fn bench_query(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = sample_corpus(dir.path());
    let idx = dir.path().join("index");
    index::build(&corpus, &idx, true, &mut |_| {}).expect("index");
    let handle = IndexHandle::open(&idx).expect("open");
    let mut g = c.benchmark_group("query");
    bench_searches(
        &mut g,
        &handle,
        [
            "差旅费",
            "意识形态",
            "公务接待 超标准",
            "\"落实全面从严治党主体责任\"",
            "巡察整改情况",
        ],
    );
    g.finish();
}

/// One benchmark per query: its first page of 10 hits.
fn bench_searches<'q>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    handle: &IndexHandle,
    queries: impl IntoIterator<Item = &'q str>,
) {
    for q in queries {
        let req = SearchRequest {
            query: q.to_string(),
            limit: 10,
            ..Default::default()
        };
        g.bench_function(q, |b| {
            b.iter(|| black_box(search::search(handle, &req).map(|r| r.total).ok()))
        });
    }
}

/// The benchmark queries against `GONGWEN_BENCH_INDEX`, as a server
/// answers them; skipped (with a message) without that index.
fn bench_served(c: &mut Criterion) {
    let Some(idx) = std::env::var_os("GONGWEN_BENCH_INDEX") else {
        eprintln!("served: skipped (set GONGWEN_BENCH_INDEX to an index directory)");
        return;
    };
    let queries = root().join("../shared/bench/queries.txt");
    let Ok(text) = std::fs::read_to_string(&queries) else {
        eprintln!("served: skipped ({} is not readable)", queries.display());
        return;
    };
    let mut handle = IndexHandle::open(Path::new(&idx)).expect("open GONGWEN_BENCH_INDEX");
    search::keep_notice_tables(&mut handle).expect("notice tables");
    let mut g = c.benchmark_group("served");
    g.sample_size(20);
    g.warm_up_time(std::time::Duration::from_millis(500));
    g.measurement_time(std::time::Duration::from_secs(2));
    bench_searches(
        &mut g,
        &handle,
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#')),
    );
    g.finish();
}

criterion_group!(
    benches,
    bench_analysis,
    bench_parse,
    bench_index,
    bench_query,
    bench_served
);
criterion_main!(benches);
