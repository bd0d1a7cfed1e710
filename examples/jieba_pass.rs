//! A raw jieba-rs segmentation pass over a folder of `.txt` files: the
//! yardstick for indexing throughput. `cut_for_search` (no HMM, as gongwen's
//! analyzer), the files split evenly over N threads.
//!
//! usage: cargo run --release --example jieba_pass -- DIR [THREADS]
//! prints: files, MB, seconds (segmentation only, dictionary built before), MB/s

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: jieba_pass DIR [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(2).max(1);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.path().to_path_buf())
        .collect();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let jieba = gongwen::analysis::jieba();
    let start = Instant::now();
    let tokens: usize = std::thread::scope(|s| {
        let chunks: Vec<&[String]> = texts.chunks(texts.len().div_ceil(threads).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|t| jieba.cut_for_search(t, false).len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "files={} MB={:.1} threads={} tokens={} seconds={:.2} MB/s={:.1}",
        texts.len(),
        mb,
        threads,
        tokens,
        secs,
        mb / secs
    );
}
