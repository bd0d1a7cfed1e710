//! The hand-off to Elasticsearch and OpenSearch: one `_bulk` document per
//! indexed section, and an index template that reproduces gongwen's analysis
//! as closely as those engines allow without plugins.
//!
//! What is reproduced, and how:
//!
//! * **gongwen's words.** `title_words`, `heading_words` and `text_words`
//!   hold the very terms gongwen's word fields index (jieba's search mode,
//!   after gongwen's folding), space-joined; the engine indexes them with a
//!   whitespace analyzer, so BM25 there counts the same words as here.
//!   Positions in them mean nothing (search mode overlaps 北京 / 北京大学):
//!   they rank, they never answer a phrase.
//! * **Literal recall.** `text.ngram`, `title.ngram`, `heading.ngram` (and
//!   the other `.ngram` subfields) are character 1- and 2-grams with
//!   positions, whitespace taken out first, as gongwen's bigram fields: a
//!   `match_phrase` there finds a string exactly where it occurs, however
//!   any segmenter cut the text around it. Unigrams *and* bigrams (min 1,
//!   max 2): bigrams are the literal unit; unigrams make a one-character
//!   query (党) a term of its own, where gongwen reads a prefix of its bigram
//!   terms; trigrams would add half as many terms again for no string a
//!   phrase of bigrams does not already find.
//! * **Folding.** gongwen folds width, case, NFKC compatibility forms, the
//!   bracket forms of a document number and traditional characters, one
//!   character to one character. The template carries that fold as a
//!   `mapping` character filter generated from [`crate::normal::norm_char`]
//!   itself, every character it changes, so `國辦發〔2019〕` finds 国办发(2019)
//!   there as here.
//! * **IK** (optional): `text.ik` and `title.ik` index with the IK plugin's
//!   `ik_max_word` and search with `ik_smart`, after the same fold.
//!
//! What is not: gongwen's notice-level matching (every word somewhere in
//! the notice, not necessarily in one section) and its title-coverage and
//! literal-first ranking; with one document per section, the engine's
//! `collapse` on `notice_id` groups sections into notices.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::analysis;
use crate::index::sections::IndexedSection;
use crate::normal::norm_char;

/// The index name when none is given.
pub const DEFAULT_INDEX_NAME: &str = "gongwen";

/// Version of the exported document shape and of the template (recorded in
/// the template's `_meta`); bumped when either changes.
pub const FORMAT_VERSION: u32 = 1;

/// Why `name` cannot name an Elasticsearch/OpenSearch index, or `None`
/// when it can (their rules: lower case, at most 255 bytes, none of
/// `\ / * ? " < > | , # :` or a space, not starting with `-`, `_` or `+`,
/// not `.` or `..`).
pub fn invalid_index_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name == "." || name == ".." {
        return Some("it cannot be . or ..".into());
    }
    if name.len() > 255 {
        return Some("it is longer than 255 bytes".into());
    }
    if name.starts_with(['-', '_', '+']) {
        return Some("it cannot start with -, _ or +".into());
    }
    if name.chars().any(char::is_uppercase) {
        return Some("it must be lower case".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\\/*?\"<>|,#:".contains(*c))
    {
        return Some(format!("it cannot hold {c:?}"));
    }
    None
}

/// The `_id` of section `ordinal` of notice `notice_id`: the XXH3-128 hash
/// of the notice id in hex, a dot, the ordinal. It depends on nothing else,
/// so it is the same in every export of the notice whatever else the index
/// holds; it is at most 53 bytes of `[0-9a-f.]` (valid and URL-safe where a
/// notice id, a path of any length and bytes, is neither).
pub fn doc_id(notice_id: &str, ordinal: u64) -> String {
    let h = xxhash_rust::xxh3::xxh3_128(notice_id.as_bytes());
    format!("{h:032x}.{ordinal}")
}

/// The source of one section's document, as written to `_bulk`.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// The notice's id in gongwen (collapse and group on it).
    pub notice_id: &'a str,
    /// The section's position in its notice (0: before the first heading).
    pub section: u64,
    /// How many sections the notice has.
    pub sections: usize,
    /// Path relative to the corpus root.
    pub path: &'a str,
    /// The folder of the path (`.` at the root).
    pub folder: &'a str,
    /// The notice's title.
    pub title: &'a str,
    /// The title's words, as gongwen cuts them.
    pub title_words: String,
    /// The issuing body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<&'a str>,
    /// The notice's date, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 文号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<&'a str>,
    /// Republishing site (来源).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// The section's own heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<&'a str>,
    /// The heading's words, as gongwen cuts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading_words: Option<String>,
    /// Headings from the top level down to the section's own.
    pub heading_path: &'a [String],
    /// The problem label quoted in the heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<&'a str>,
    /// The section's text.
    pub text: &'a str,
    /// The text's words, as gongwen cuts them.
    pub text_words: String,
    /// Section 0 only: the lines before the first heading (title block,
    /// 文号, metadata lines), which gongwen's literal search covers too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<&'a str>,
}

impl<'a> Document<'a> {
    /// The document of one indexed section (segments its texts).
    pub fn of(s: &'a IndexedSection) -> Document<'a> {
        let path = s.head.path.as_str();
        Document {
            notice_id: &s.head.id,
            section: s.ordinal,
            sections: s.notice.sections,
            path,
            folder: match path.rsplit_once('/') {
                Some((dir, _)) if !dir.is_empty() => dir,
                _ => ".",
            },
            title: &s.head.title,
            title_words: analysis::word_text(&s.head.title),
            agency: s.head.agency.as_deref(),
            date: s.head.date.map(|d| d.to_string()),
            doc_number: s.doc_number.as_deref(),
            source: s.notice.source.as_deref(),
            heading: s.section.heading.as_deref(),
            heading_words: s.section.heading.as_deref().map(analysis::word_text),
            heading_path: &s.section.heading_path,
            issue: s.section.issue.as_deref(),
            text: &s.section.text,
            text_words: analysis::word_text(&s.section.text),
            header: s.header.as_deref(),
        }
    }
}

/// Write one section as a `_bulk` action line and source line.
pub fn write_bulk(w: &mut dyn Write, index_name: &str, s: &IndexedSection) -> io::Result<()> {
    #[derive(Serialize)]
    struct Target<'a> {
        _index: &'a str,
        _id: &'a str,
    }
    #[derive(Serialize)]
    struct Action<'a> {
        index: Target<'a>,
    }
    let id = doc_id(&s.head.id, s.ordinal);
    let action = Action {
        index: Target {
            _index: index_name,
            _id: &id,
        },
    };
    serde_json::to_writer(&mut *w, &action)?;
    w.write_all(b"\n")?;
    serde_json::to_writer(&mut *w, &Document::of(s))?;
    w.write_all(b"\n")
}

/// One character in a mapping rule of the `mapping` character filter:
/// non-ASCII characters of the Basic Multilingual Plane as they are (but
/// whitespace), everything else as `\uXXXX` escapes (the filter's rule
/// parser trims spaces and reads `=>`, and the engine's strings are
/// UTF-16, so a character beyond the BMP is its two surrogates).
fn rule_char(c: char, out: &mut String) {
    if (c as u32) > 0x7f && (c as u32) <= 0xffff && !c.is_whitespace() && !c.is_control() {
        out.push(c);
    } else {
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            out.push_str(&format!("\\u{u:04x}"));
        }
    }
}

/// gongwen's fold as rules of a `mapping` character filter: `from => to`
/// for every character [`norm_char`] changes, in code point order.
pub fn fold_rules() -> Vec<String> {
    let mut rules = Vec::new();
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        let n = norm_char(c);
        if n != c {
            let mut r = String::with_capacity(16);
            rule_char(c, &mut r);
            r.push_str("=>");
            rule_char(n, &mut r);
            rules.push(r);
        }
    }
    rules
}

/// A text field kept for display (`_source`) and searched through its
/// subfields: `.ngram` for literal recall, and `.ik` with IK.
fn text_with_subfields(ik: bool) -> Value {
    let mut fields = json!({ "ngram": { "type": "text", "analyzer": "gongwen_ngram" } });
    if ik {
        fields["ik"] = json!({
            "type": "text",
            "analyzer": "gongwen_ik_index",
            "search_analyzer": "gongwen_ik_search"
        });
    }
    json!({ "type": "text", "index": false, "fields": fields })
}

/// A keyword (as written: filters, aggregations) with an `.ngram` subfield
/// for "contains" matching, as gongwen's `--agency` and `doc:`.
fn keyword_with_ngram() -> Value {
    json!({
        "type": "keyword",
        "fields": { "ngram": { "type": "text", "analyzer": "gongwen_ngram" } }
    })
}

/// gongwen's words: whitespace-separated, folded (a no-op on exported
/// words; it folds the words of a query). Frequencies without positions.
fn words() -> Value {
    json!({ "type": "text", "analyzer": "gongwen_words", "index_options": "freqs" })
}

/// The `_index_template` body for indexes named `index_name` (and
/// `index_name-*`, for an index per export behind an alias); with `ik`,
/// the IK plugin's analyzers on `text.ik` and `title.ik` (a cluster
/// without the plugin refuses such a template).
pub fn template(index_name: &str, ik: bool) -> Value {
    let mut analyzers = json!({
        "gongwen_words": {
            "type": "custom",
            "char_filter": ["gongwen_fold"],
            "tokenizer": "whitespace"
        },
        "gongwen_ngram": {
            "type": "custom",
            "char_filter": ["gongwen_fold", "gongwen_no_space"],
            "tokenizer": "gongwen_ngram"
        },
        "gongwen_path": {
            "type": "custom",
            "tokenizer": "gongwen_path"
        }
    });
    if ik {
        analyzers["gongwen_ik_index"] = json!({
            "type": "custom",
            "char_filter": ["gongwen_fold"],
            "tokenizer": "ik_max_word"
        });
        analyzers["gongwen_ik_search"] = json!({
            "type": "custom",
            "char_filter": ["gongwen_fold"],
            "tokenizer": "ik_smart"
        });
    }
    json!({
        "index_patterns": [index_name, format!("{index_name}-*")],
        "_meta": {
            "description": "gongwen's sections (one document per section); \
                            made by `gongwen export --format es-template`",
            "gongwen": env!("CARGO_PKG_VERSION"),
            "format": FORMAT_VERSION,
            "ik": ik
        },
        "template": {
            "settings": {
                "index": { "max_ngram_diff": 1 },
                "analysis": {
                    "char_filter": {
                        "gongwen_fold": { "type": "mapping", "mappings": fold_rules() },
                        // Unicode whitespace (\s is ASCII only in Java)
                        "gongwen_no_space": {
                            "type": "pattern_replace",
                            "pattern": "[\\s\\p{Z}\\x{85}]+",
                            "replacement": ""
                        }
                    },
                    "tokenizer": {
                        "gongwen_ngram": {
                            "type": "ngram",
                            "min_gram": 1,
                            "max_gram": 2,
                            "token_chars": []
                        },
                        "gongwen_path": { "type": "path_hierarchy", "delimiter": "/" }
                    },
                    "analyzer": analyzers
                }
            },
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "notice_id": { "type": "keyword" },
                    "section": { "type": "integer" },
                    "sections": { "type": "integer" },
                    "path": {
                        "type": "keyword",
                        "fields": {
                            "tree": {
                                "type": "text",
                                "analyzer": "gongwen_path",
                                "search_analyzer": "keyword"
                            }
                        }
                    },
                    "folder": { "type": "keyword" },
                    "title": text_with_subfields(ik),
                    "title_words": words(),
                    "agency": keyword_with_ngram(),
                    "date": { "type": "date", "format": "strict_date" },
                    "doc_number": keyword_with_ngram(),
                    "source": { "type": "keyword" },
                    "heading": text_with_subfields(false),
                    "heading_words": words(),
                    "heading_path": { "type": "text", "index": false },
                    "issue": keyword_with_ngram(),
                    "text": text_with_subfields(ik),
                    "text_words": words(),
                    "header": text_with_subfields(false)
                }
            }
        }
    })
}

/// Write the template (see [`template`]) as indented JSON, but for the
/// fold's rules: thousands of them, on one line rather than one line each.
pub fn write_template(w: &mut dyn Write, index_name: &str, ik: bool) -> io::Result<()> {
    const HOLE: &str = "\u{0}gongwen fold rules\u{0}";
    let mut t = template(index_name, ik);
    let slot =
        &mut t["template"]["settings"]["analysis"]["char_filter"]["gongwen_fold"]["mappings"];
    let rules = std::mem::replace(slot, Value::String(HOLE.into()));
    let pretty = serde_json::to_string_pretty(&t)?;
    let hole = serde_json::to_string(HOLE)?;
    match pretty.split_once(&hole) {
        Some((before, after)) => {
            w.write_all(before.as_bytes())?;
            serde_json::to_writer(&mut *w, &rules)?;
            w.write_all(after.as_bytes())?;
        }
        None => w.write_all(pretty.as_bytes())?,
    }
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_pinned_short_and_plain() {
        // pinned: a change here re-identifies every exported document
        assert_eq!(
            doc_id("000_4f4fae3bed152b1a.txt", 0),
            "01800ec0f512b437a322dcbf4ff9fba1.0"
        );
        let long = "目录/".repeat(200) + "x.txt#12";
        let id = doc_id(&long, u64::MAX);
        assert!(id.len() <= 53, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'.'));
        assert_ne!(doc_id("a.txt", 0), doc_id("a.txt", 1));
        assert_ne!(doc_id("a.txt", 0), doc_id("b.txt", 0));
    }

    #[test]
    fn index_names_follow_the_engines_rules() {
        for ok in ["gongwen", "gongwen-2026-12-02", "公文", "a.b"] {
            assert_eq!(invalid_index_name(ok), None, "{ok}");
        }
        for bad in [
            "", ".", "..", "Gongwen", "-x", "_x", "+x", "a b", "a/b", "a*", "a,b", "a#b", "a:b",
        ] {
            assert!(invalid_index_name(bad).is_some(), "{bad:?}");
        }
        assert!(invalid_index_name(&"a".repeat(256)).is_some());
    }

    /// Read a rule side back as the engine's rule parser does.
    fn unescape(s: &str) -> String {
        let mut units: Vec<u16> = Vec::new();
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\\' {
                assert_eq!(it.next(), Some('u'), "{s}");
                let hex: String = it.by_ref().take(4).collect();
                units.push(u16::from_str_radix(&hex, 16).expect("hex"));
            } else {
                let mut b = [0u16; 2];
                units.extend_from_slice(c.encode_utf16(&mut b));
            }
        }
        String::from_utf16(&units).expect("valid UTF-16")
    }

    #[test]
    fn the_fold_rules_are_gongwens_fold() {
        let rules = fold_rules();
        let mut from_seen = std::collections::HashSet::new();
        for r in &rules {
            let (from, to) = r.split_once("=>").expect("a rule");
            assert_eq!(from.trim(), from, "{r}");
            let (from, to) = (unescape(from), unescape(to));
            assert_eq!(from.chars().count(), 1, "{r}");
            assert_eq!(to.chars().count(), 1, "{r}");
            let c = from.chars().next().unwrap();
            assert_eq!(norm_char(c).to_string(), to, "{r}");
            assert!(from_seen.insert(c), "{c:?} twice");
        }
        for (from, to) in [
            ('國', '国'),
            ('〔', '('),
            ('Ａ', 'a'),
            ('Z', 'z'),
            ('\u{3000}', ' '),
        ] {
            assert!(from_seen.contains(&from), "{from} is not folded");
            assert_eq!(norm_char(from), to);
        }
        assert!(!from_seen.contains(&'国'));
    }

    #[test]
    fn the_written_template_is_the_template() {
        let mut out = Vec::new();
        write_template(&mut out, "gw", true).expect("write");
        let text = String::from_utf8(out).expect("UTF-8");
        let back: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back, template("gw", true));
        assert!(text.lines().count() < 300, "the rules on one line");
    }

    #[test]
    fn the_template_names_only_what_it_defines() {
        for ik in [false, true] {
            let t = template("gw", ik);
            let analysis = &t["template"]["settings"]["analysis"];
            let props = t["template"]["mappings"]["properties"]
                .as_object()
                .expect("properties");
            let mut analyzers_used = Vec::new();
            for (_, m) in props {
                let mut all = vec![m];
                if let Some(fields) = m["fields"].as_object() {
                    all.extend(fields.values());
                }
                for f in all {
                    for key in ["analyzer", "search_analyzer"] {
                        if let Some(a) = f[key].as_str() {
                            analyzers_used.push(a.to_string());
                        }
                    }
                }
            }
            for a in analyzers_used {
                assert!(
                    a == "keyword" || analysis["analyzer"][&a].is_object(),
                    "{a} is not defined"
                );
            }
            let ik_named = t.to_string().contains("ik_");
            assert_eq!(ik_named, ik, "IK appears only when asked for");
        }
    }
}
