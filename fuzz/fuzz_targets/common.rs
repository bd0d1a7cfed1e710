//! What every notice-parser target checks beyond "no panic": each notice
//! prints (as JSON and as text, the way `gongwen parse` shows it), becomes
//! index documents (one per section, dates converted to tantivy's), and the
//! analyzer's offsets on its sections lie on character boundaries inside the
//! text, as the index needs them to.

use std::sync::OnceLock;

use gongwen::analysis::{ngram_tokens, word_tokens};
use gongwen::index::Fields;
use gongwen::notice::{Notice, ParsedFile};
use gongwen::output::Printer;

/// Sections longer than this are not re-tokenised (jieba is the slow part).
const MAX_ANALYSED: usize = 4096;

pub fn check(parsed: &ParsedFile) {
    for n in &parsed.notices {
        check_notice(n);
    }
    for s in &parsed.skipped {
        // The reason is shown to the user: formatting it must not fail.
        let _ = s.reason.to_string();
    }
}

fn check_notice(n: &Notice) {
    let mut out = Vec::new();
    Printer::Json.notice(&mut out, n).expect("print as JSON");
    let _: serde_json::Value = serde_json::from_slice(&out).expect("the JSON is valid");
    out.clear();
    Printer::Human { color: false }
        .notice(&mut out, n)
        .expect("print as text");
    std::str::from_utf8(&out).expect("the text output is UTF-8");
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| Fields::build().1);
    let docs = fields.documents(n, "fuzz");
    // The head section carries the notice's fields in the index: a notice
    // without it could be counted but never found.
    assert!(!n.sections.is_empty(), "a notice without sections");
    assert_eq!(docs.len(), n.sections.len(), "one document per section");
    for text in std::iter::once(n.head.title.as_str())
        .chain(n.sections.iter().map(|s| s.text.as_str()))
        .filter(|t| t.len() <= MAX_ANALYSED)
    {
        for t in word_tokens(text)
            .iter()
            .chain(ngram_tokens(text).iter())
        {
            assert!(t.offset_from < t.offset_to, "{t:?} in {text:?}");
            assert!(t.offset_to <= text.len(), "{t:?} in {text:?}");
            assert!(
                text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to),
                "{t:?} in {text:?}"
            );
        }
    }
}
