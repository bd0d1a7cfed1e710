//! The query language.
//!
//! * `word word` — every word must occur in the notice (jieba splits an
//!   unsegmented string into its words; each word must occur).
//! * `"exact phrase"` (also “…”) — occurs literally, like grep.
//! * `-word` / `-"phrase"` — notices containing it are left out.
//! * `a OR b` — either may match.
//! * `title:` `heading:` `agency:` `issue:` `doc:` — restrict a word or phrase
//!   to the title, a heading, the issuing body, the problem label or the
//!   document number (文号). An unknown prefix is ordinary text.
//!
//! Parsing never fails on odd input: an unbalanced quote runs to the end of
//! the query, stray operators are ignored, and anything left is text.
//!
//! A query to be run is bounded ([`parse_bounded`]): each word or phrase
//! costs index lookups, so 10,000 `OR`ed words took seconds and hundreds of
//! megabytes. The bounds are far above what a person types or pastes.

use crate::error::{Error, Result};

/// The longest query run, in characters: several printed pages of Chinese (a
/// page is about 1,000), so any pasted passage fits. Its cost grows with the
/// words jieba cuts it into: a 10,000-character string without spaces takes
/// about 1.7 s and 65 MB on a 100-notice index, 20,000 twice that.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// The most words and phrases (alternatives and exclusions included) a query
/// run may hold. Each costs up to a few milliseconds on a large index.
pub const MAX_QUERY_ATOMS: usize = 256;

/// Where an atom must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere in the notice.
    Any,
    /// The title.
    Title,
    /// A heading.
    Heading,
    /// The issuing body.
    Agency,
    /// The quoted problem label of an issue heading.
    Issue,
    /// The document number (文号) and header lines.
    Doc,
}

/// One word or phrase of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atom {
    /// Where it must match.
    pub scope: Scope,
    /// The text as the user wrote it (quotes removed).
    pub text: String,
    /// Quoted: the whole text must occur literally.
    pub phrase: bool,
}

/// A parsed query: every clause must match (a clause is a list of
/// alternatives joined by OR); no excluded atom may match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Required clauses, each a non-empty list of alternatives.
    pub clauses: Vec<Vec<Atom>>,
    /// Atoms whose notices are left out.
    pub excluded: Vec<Atom>,
}

impl ParsedQuery {
    /// True when the query has nothing to match (empty or only punctuation).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

#[derive(Debug)]
enum Tok {
    Item { neg: bool, atom: Atom },
    Or,
}

fn scope_of(prefix: &str) -> Option<Scope> {
    match prefix.to_ascii_lowercase().as_str() {
        "title" | "标题" => Some(Scope::Title),
        "heading" | "标题层级" => Some(Scope::Heading),
        "agency" | "机关" => Some(Scope::Agency),
        "issue" | "问题" => Some(Scope::Issue),
        "doc" | "文号" => Some(Scope::Doc),
        _ => None,
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '＂')
}

/// True when `s` holds at least one character that can be searched.
pub fn has_searchable(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn tokenize(q: &str) -> Vec<Tok> {
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut neg = false;
        if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            neg = true;
            i += 1;
        }
        // optional scope prefix
        let mut scope = Scope::Any;
        let mut j = i;
        while j < chars.len() && (chars[j].is_alphanumeric()) && j - i < 8 {
            j += 1;
        }
        if j < chars.len() && j > i && (chars[j] == ':' || chars[j] == '：') {
            let prefix: String = chars[i..j].iter().collect();
            if let Some(s) = scope_of(&prefix) {
                scope = s;
                i = j + 1;
            }
        }
        if i < chars.len() && is_open_quote(chars[i]) {
            i += 1;
            let mut text = String::new();
            while i < chars.len() && !is_open_quote(chars[i]) {
                text.push(chars[i]);
                i += 1;
            }
            i += 1; // closing quote (or end)
            out.push(Tok::Item {
                neg,
                atom: Atom {
                    scope,
                    text,
                    phrase: true,
                },
            });
            continue;
        }
        let mut text = String::new();
        while i < chars.len() && !chars[i].is_whitespace() && !is_open_quote(chars[i]) {
            text.push(chars[i]);
            i += 1;
        }
        if !neg && scope == Scope::Any && text == "OR" {
            out.push(Tok::Or);
            continue;
        }
        if text.is_empty() && i == start {
            i += 1;
            continue;
        }
        out.push(Tok::Item {
            neg,
            atom: Atom {
                scope,
                text,
                phrase: false,
            },
        });
    }
    out
}

/// Parse a query string. Never fails; see the module documentation.
pub fn parse(q: &str) -> ParsedQuery {
    let mut pq = ParsedQuery::default();
    let mut pending_or = false;
    for t in tokenize(q) {
        match t {
            Tok::Or => pending_or = !pq.clauses.is_empty(),
            Tok::Item { neg, atom } => {
                if !has_searchable(&atom.text) {
                    continue;
                }
                if neg {
                    pq.excluded.push(atom);
                    pending_or = false;
                } else if pending_or && let Some(last) = pq.clauses.last_mut() {
                    last.push(atom);
                    pending_or = false;
                } else {
                    pq.clauses.push(vec![atom]);
                }
            }
        }
    }
    // The same word twice asks nothing more: keep each clause once.
    let mut seen: Vec<Vec<Atom>> = Vec::new();
    pq.clauses.retain(|c| {
        if seen.contains(c) {
            false
        } else {
            seen.push(c.clone());
            true
        }
    });
    pq.excluded.dedup();
    pq
}

/// The first characters of a query, for an error message about it.
fn shortened(q: &str) -> String {
    const SHOWN: usize = 40;
    let mut s: String = q.chars().take(SHOWN).collect();
    if q.chars().nth(SHOWN).is_some() {
        s.push('…');
    }
    s
}

/// Parse a query that is to be run, refusing one longer than
/// [`MAX_QUERY_CHARS`] or with more than [`MAX_QUERY_ATOMS`] words and
/// phrases: the error names the query (shortened) and the limit.
pub fn parse_bounded(q: &str) -> Result<ParsedQuery> {
    let too_large = |reason: String| Error::Query {
        query: shortened(q),
        reason,
    };
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(too_large(format!(
            "it is {chars} characters long; a query may have at most {MAX_QUERY_CHARS}"
        )));
    }
    let parsed = parse(q);
    let atoms = parsed.clauses.iter().map(Vec::len).sum::<usize>() + parsed.excluded.len();
    if atoms > MAX_QUERY_ATOMS {
        return Err(too_large(format!(
            "it has {atoms} words and phrases; a query may have at most {MAX_QUERY_ATOMS}"
        )));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str, phrase: bool) -> Atom {
        Atom {
            scope: Scope::Any,
            text: text.into(),
            phrase,
        }
    }

    #[test]
    fn words_phrases_exclusions() {
        let q = parse("差旅费 \"落实全面从严治党\" -招待费");
        assert_eq!(
            q.clauses,
            vec![vec![a("差旅费", false)], vec![a("落实全面从严治党", true)]]
        );
        assert_eq!(q.excluded, vec![a("招待费", false)]);
    }

    #[test]
    fn repeated_words_count_once() {
        assert_eq!(parse("巡察 整改 巡察 整改 巡察").clauses.len(), 2);
    }

    #[test]
    fn or_joins_neighbours() {
        let q = parse("差旅费 OR 招待费 巡察");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0].len(), 2);
    }

    #[test]
    fn field_prefixes_and_unknown_prefixes() {
        let q = parse("title:巡察 heading:\"差旅费\" http://x");
        assert_eq!(q.clauses[0][0].scope, Scope::Title);
        assert_eq!(q.clauses[1][0].scope, Scope::Heading);
        assert!(q.clauses[1][0].phrase);
        assert_eq!(q.clauses[2][0].text, "http://x");
        assert_eq!(q.clauses[2][0].scope, Scope::Any);
    }

    #[test]
    fn odd_input_never_fails() {
        assert!(parse("").is_empty());
        assert!(parse("，。！ ？ ()").is_empty());
        assert!(parse("OR AND -").is_empty() || parse("OR AND -").clauses.len() == 1);
        let q = parse("\"未闭合的引号");
        assert_eq!(q.clauses[0][0].text, "未闭合的引号");
        let q = parse("“中文引号”");
        assert_eq!(q.clauses[0][0], a("中文引号", true));
        let long = "字".repeat(10_000);
        assert_eq!(parse(&long).clauses.len(), 1);
    }

    #[test]
    fn document_number_brackets_are_ordinary_text() {
        // no bracket form is an operator: the atom keeps it, and analysis
        // folds them all alike (issue 12)
        for q in [
            "国办发〔2019〕6号",
            "国办发[2019]6号",
            "国办发(2019)6号",
            "国办发（2019）6号",
            "国办发【2019】6号",
            "国办发［2019］6号",
        ] {
            let p = parse(q);
            assert_eq!(p.clauses, vec![vec![a(q, false)]], "{q}");
            assert!(p.excluded.is_empty(), "{q}");
        }
        let p = parse("doc:\"【2019】6号\" -[2020] （2019）");
        let doc = Atom {
            scope: Scope::Doc,
            text: "【2019】6号".into(),
            phrase: true,
        };
        assert_eq!(p.clauses, vec![vec![doc], vec![a("（2019）", false)]]);
        assert_eq!(p.excluded, vec![a("[2020]", false)]);
    }

    #[test]
    fn bounds_refuse_huge_queries_only() {
        let or_query = |n: usize| {
            (0..n)
                .map(|i| format!("词{i}"))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        assert!(parse_bounded(&or_query(MAX_QUERY_ATOMS)).is_ok());
        let Err(Error::Query { query, reason }) = parse_bounded(&or_query(MAX_QUERY_ATOMS + 1))
        else {
            panic!("257 alternatives accepted");
        };
        assert!(
            query.starts_with("词0 OR 词1") && query.ends_with('…'),
            "{query}"
        );
        assert!(reason.contains("257") && reason.contains("256"), "{reason}");
        // exclusions count too
        let neg = (0..=MAX_QUERY_ATOMS)
            .map(|i| format!("-词{i}"))
            .collect::<Vec<_>>();
        assert!(parse_bounded(&format!("巡察 {}", neg.join(" "))).is_err());
        // a long pasted sentence is one word list, under the length bound
        assert!(parse_bounded(&"关于加强公务接待管理的通知".repeat(300)).is_ok());
        let Err(Error::Query { reason, .. }) = parse_bounded(&"字".repeat(MAX_QUERY_CHARS + 1))
        else {
            panic!("an over-long query accepted");
        };
        assert!(
            reason.contains("10001") && reason.contains("10000"),
            "{reason}"
        );
    }
}
