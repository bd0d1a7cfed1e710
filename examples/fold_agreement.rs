//! How well gongwen's traditional → simplified folding agrees with OpenCC's
//! phrase-aware conversion, the way the evaluation's "T" queries use it: for
//! simplified text `s` and its OpenCC s2t form `t`, does `normalize(t)` equal
//! `normalize(s)`? Also counts the simplified strings folding changes.
//!
//! The pairs come from outside (OpenCC is a Python package), one per line,
//! `s<TAB>t`, e.g. random Han substrings of the corpus's simplified notices:
//!
//! ```text
//! python3 -c 'import opencc, sys; c = opencc.OpenCC("s2t")
//! for l in sys.stdin: s = l.strip(); print(s, c.convert(s), sep="\t")' < strings.txt > pairs.tsv
//! cargo run --release --example fold_agreement -- pairs.tsv
//! ```
//!
//! prints: pairs, agreeing pairs and rate, simplified strings changed, and
//! the first disagreements.

use gongwen::analysis::normalize;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: fold_agreement PAIRS.tsv");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fold_agreement: {path}: {e}");
            std::process::exit(2);
        }
    };
    let (mut pairs, mut agree, mut changed) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for line in text.lines() {
        let Some((s, t)) = line.split_once('\t') else {
            continue;
        };
        pairs += 1;
        let (fs, ft) = (normalize(s), normalize(t));
        changed += usize::from(fs != s);
        if fs == ft {
            agree += 1;
        } else if misses.len() < 20 {
            misses.push(format!("{s}\t{t}\t{ft}"));
        }
    }
    let rate = agree as f64 / pairs.max(1) as f64;
    println!("pairs {pairs}, fold(s2t(s)) == fold(s): {agree} ({rate:.4})");
    println!("simplified strings that folding changes: {changed}");
    for m in misses {
        println!("miss\t{m}");
    }
}
