//! Print one tab-separated line per notice of a folder: path, title, agency,
//! date, date_source, title_source, agency_source, headings (level 1 / 2) —
//! for comparing what two
//! builds of the parser make of a whole corpus (`diff` the outputs).
//!
//! usage: cargo run --release --example parse_dump -- ../shared/corpus/notices > new.tsv

use std::path::Path;

fn main() -> anyhow::Result<()> {
    let root = std::env::args().nth(1).unwrap_or_else(|| "corpus".into());
    let root = Path::new(&root);
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && gongwen::notice::is_notice_file(e.path()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for path in files {
        let rel = path
            .strip_prefix(root)?
            .to_string_lossy()
            .replace('\\', "/");
        match gongwen::notice::parse_file(&path, &rel) {
            Ok(parsed) => {
                for n in parsed.notices {
                    let clean = |s: &str| s.replace(['\t', '\n'], " ");
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}/{}",
                        rel,
                        clean(&n.head.title),
                        clean(n.head.agency.as_deref().unwrap_or("")),
                        n.head.date.map(|d| d.to_string()).unwrap_or_default(),
                        n.date_source.as_deref().unwrap_or(""),
                        n.title_source,
                        n.agency_source.as_deref().unwrap_or(""),
                        n.headings.len(),
                        n.headings.iter().map(|h| h.children.len()).sum::<usize>(),
                    );
                }
            }
            Err(e) => println!("{rel}\tERROR {e}"),
        }
    }
    Ok(())
}
