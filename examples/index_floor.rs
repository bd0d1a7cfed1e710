//! What tantivy alone costs for each family of gongwen's fields: the raw text
//! of every `.txt` file under a folder is indexed, one document per file,
//! into a fresh index in a temporary folder, with the same two writer threads
//! and memory budget as `gongwen index`, but no parsing, no sections, no
//! stored fields and no query dictionary. It bounds from below what
//! `gongwen index` can reach while it keeps these fields.
//!
//! usage: cargo run --release --example index_floor -- DIR MODE
//!   MODE: words   jieba search-mode words, with frequencies (ranking)
//!         bigrams character bigrams with positions (exact literal matching)
//!         both    the two fields
//! prints: files, MB, mode, seconds (dictionary built before), MB/s

use std::time::Instant;

use gongwen::analysis;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexWriter, TantivyDocument};

fn field_options(analyzer: &str, rec: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(rec),
    )
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(mode)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: index_floor DIR words|bigrams|both");
    };
    let (words, bigrams) = match mode.as_str() {
        "words" => (true, false),
        "bigrams" => (false, true),
        "both" => (true, true),
        other => anyhow::bail!("unknown mode {other:?}: words, bigrams or both"),
    };
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut b = Schema::builder();
    let w = b.add_text_field(
        "w",
        field_options(analysis::JIEBA, IndexRecordOption::WithFreqs),
    );
    let g = b.add_text_field(
        "g",
        field_options(analysis::BIGRAM, IndexRecordOption::WithFreqsAndPositions),
    );
    let tmp = tempfile::tempdir()?;
    let index = Index::create_in_dir(tmp.path(), b.build())?;
    analysis::register(index.tokenizers());
    analysis::jieba();

    let start = Instant::now();
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(2, 256 * 1024 * 1024)?;
    for t in &texts {
        let mut d = TantivyDocument::default();
        if words {
            d.add_text(w, t);
        }
        if bigrams {
            d.add_text(g, t);
        }
        writer.add_document(d)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "files={} MB={:.1} mode={} seconds={:.2} MB/s={:.1}",
        texts.len(),
        mb,
        mode,
        secs,
        mb / secs
    );
    Ok(())
}
