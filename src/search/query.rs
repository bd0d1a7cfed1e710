//! The query language.
//!
//! * `word word` — every word must occur in the notice (jieba splits an
//!   unsegmented string into its words; each word must occur). `AND` between
//!   words says the same and is read as nothing more.
//! * `"exact phrase"` (also “…”) — occurs literally, like grep.
//! * `-word`, `-"phrase"`, `NOT word` — notices containing it are left out.
//! * `a OR b`, `a | b`, `a|b` (also `｜`) — either may match. OR joins the
//!   word right before it to the word right after it (`a b OR c` requires
//!   `a`, and `b` or `c`); parentheses do not group.
//! * `title:` `heading:` `agency:` `issue:` `doc:` (also 标题 标题层级 机关 问题
//!   文号) — restrict the next word or phrase (`title:巡察`, `title: 巡察`,
//!   `title:"…"`) to the title, a heading, the issuing body, the problem
//!   label or the document number (文号).
//! * `path:ccdi/2024` — only notices whose corpus path lies under that folder
//!   (whole path components: `ccdi/2024/x.txt`, not `ccdi/20245/x.txt`);
//!   with several, any may hold them. A filter, not a word: the folders go
//!   to [`ParsedQuery::paths`].
//!
//! Parsing never fails on odd input, and says how it read whatever is not
//! plain syntax ([`ParsedQuery::warnings`]): a lowercase `or`/`and`/`not` is
//! a word; an unknown `name:` prefix made of Latin letters is text (the
//! warning names the fields); an operator or a prefix with nothing to apply
//! to is ignored; an unclosed quote runs to the end of the query. Stray
//! punctuation is ignored without a word, and Chinese text with a colon
//! (`时间：2024年`) is just text.
//!
//! A query to be run is bounded ([`parse_bounded`]): each word or phrase
//! costs index lookups, so 10,000 `OR`ed words took seconds and hundreds of
//! megabytes. The bounds are far above what a person types or pastes.

use std::ops::Range;

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
    /// Folders (`path:`) the notices must lie under, relative to the corpus
    /// root, `/`-separated, without leading or trailing `/`; any may hold
    /// them. Empty: anywhere.
    pub paths: Vec<String>,
    /// How parts of the query that are not plain syntax were read, one
    /// sentence each, for the user (operators with nothing to apply to,
    /// unknown prefixes, lowercase `or`…).
    pub warnings: Vec<String>,
}

impl ParsedQuery {
    /// True when the query has no word or phrase to match (empty, only
    /// punctuation, only exclusions, or only `path:` folders).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// Where an item's text goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    /// A word or phrase, matched in this scope.
    Scope(Scope),
    /// A folder the notices must lie under.
    Path,
}

/// The field prefixes, in the order the help and the warnings list them:
/// the English name, the Chinese one, and the field.
const FIELDS: &[(&str, Option<&str>, Field)] = &[
    ("title", Some("标题"), Field::Scope(Scope::Title)),
    ("heading", Some("标题层级"), Field::Scope(Scope::Heading)),
    ("agency", Some("机关"), Field::Scope(Scope::Agency)),
    ("issue", Some("问题"), Field::Scope(Scope::Issue)),
    ("doc", Some("文号"), Field::Scope(Scope::Doc)),
    ("path", None, Field::Path),
];

/// Longest prefix looked at, in characters (标题层级 is 4; an unknown Latin
/// name up to this length still gets a warning).
const MAX_PREFIX_CHARS: usize = 16;

/// Most warnings kept: a pasted page of odd syntax gets a summary line, not
/// a screenful.
const MAX_WARNINGS: usize = 8;

fn field_of(prefix: &str) -> Option<Field> {
    FIELDS
        .iter()
        .find(|(en, zh, _)| prefix.eq_ignore_ascii_case(en) || *zh == Some(prefix))
        .map(|(_, _, f)| *f)
}

/// The fields as a user types them, for a warning.
fn field_list() -> String {
    let en: Vec<String> = FIELDS.iter().map(|(en, _, _)| format!("{en}:")).collect();
    let zh: Vec<String> = FIELDS
        .iter()
        .filter_map(|(_, zh, _)| zh.map(|z| format!("{z}:")))
        .collect();
    format!("{} ({})", en.join(" "), zh.join(" "))
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '＂')
}

fn is_bar(c: char) -> bool {
    matches!(c, '|' | '｜')
}

/// True when `s` holds at least one character that can be searched.
pub fn has_searchable(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// A word or phrase as written, with what came before it.
#[derive(Debug)]
struct Item {
    /// Preceded by `-` (or, once parsed, `NOT`).
    neg: bool,
    field: Field,
    /// The prefix as written (`title:`), when there was one.
    prefix: Option<String>,
    text: String,
    phrase: bool,
    /// A phrase whose closing quote is missing.
    unclosed: bool,
    /// Byte range of `text` in the query.
    span: Range<usize>,
}

#[derive(Debug)]
enum Tok {
    Item(Item),
    /// A known prefix followed by a space (`title: 巡察`): it applies to the
    /// next item.
    Prefix {
        neg: bool,
        field: Field,
        written: String,
    },
    /// `OR`, `|` or `｜`, as written.
    Or(String),
    And,
    Not,
}

/// Warnings, each kept once, in the order they arose.
#[derive(Default)]
struct Warnings(Vec<String>);

impl Warnings {
    fn push(&mut self, w: String) {
        if !self.0.contains(&w) {
            self.0.push(w);
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.0.len() > MAX_WARNINGS {
            let more = self.0.len() - (MAX_WARNINGS - 1);
            self.0.truncate(MAX_WARNINGS - 1);
            self.0
                .push(format!("… and {more} more notes on how the query was read"));
        }
        self.0
    }
}

/// Split a query into items and operators.
fn lex(q: &str, warnings: &mut Warnings) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    let n = chars.len();
    let c = |i: usize| chars[i].1;
    // byte offset of char i (the end of the query past the last one)
    let at = |i: usize| chars.get(i).map_or(q.len(), |&(b, _)| b);
    let mut i = 0;
    let mut out = Vec::new();
    while i < n {
        if c(i).is_whitespace() {
            i += 1;
            continue;
        }
        if is_bar(c(i)) {
            out.push(Tok::Or("|".into()));
            i += 1;
            continue;
        }
        let token_start = i;
        let mut neg = false;
        if c(i) == '-' && i + 1 < n && !c(i + 1).is_whitespace() && !is_bar(c(i + 1)) {
            neg = true;
            i += 1;
        }
        let mut field = Field::Scope(Scope::Any);
        let mut prefix = None;
        let mut unknown = None;
        let mut j = i;
        while j < n && c(j).is_alphanumeric() && j - i < MAX_PREFIX_CHARS {
            j += 1;
        }
        if j > i && j < n && matches!(c(j), ':' | '：') {
            let name = &q[at(i)..at(j)];
            if let Some(f) = field_of(name) {
                field = f;
                prefix = Some(q[at(i)..at(j + 1)].to_string());
                i = j + 1;
                if i >= n || c(i).is_whitespace() {
                    out.push(Tok::Prefix {
                        neg,
                        field,
                        written: prefix.unwrap_or_default(),
                    });
                    continue;
                }
            } else if looks_like_field(name) && (j + 1 >= n || c(j + 1) != '/') {
                // (`http://…` is a link, not a field)
                unknown = Some(q[at(i)..at(j + 1)].to_string());
            }
        }
        let (span, phrase, unclosed) = if i < n && is_open_quote(c(i)) {
            let start = i + 1;
            i = start;
            while i < n && !is_open_quote(c(i)) {
                i += 1;
            }
            let unclosed = i >= n;
            let span = at(start)..at(i);
            i += 1; // the closing quote
            (span, true, unclosed)
        } else {
            let start = i;
            while i < n && !c(i).is_whitespace() && !is_open_quote(c(i)) && !is_bar(c(i)) {
                i += 1;
            }
            (at(start)..at(i), false, false)
        };
        let text = q[span.clone()].to_string();
        if let Some(name) = unknown {
            let written = &q[at(token_start)..at(i.min(n))];
            warnings.push(unknown_field(&name, written));
        }
        if !neg && prefix.is_none() && !phrase {
            match text.as_str() {
                "OR" => {
                    out.push(Tok::Or(text));
                    continue;
                }
                "AND" => {
                    out.push(Tok::And);
                    continue;
                }
                "NOT" => {
                    out.push(Tok::Not);
                    continue;
                }
                _ => {}
            }
        }
        out.push(Tok::Item(Item {
            neg,
            field,
            prefix,
            text,
            phrase,
            unclosed,
            span,
        }));
    }
    out
}

/// A `name:` that someone meant as a field: Latin letters only. Chinese text
/// before a colon (`时间：2024年`) is text, and so is `12:30`.
fn looks_like_field(name: &str) -> bool {
    name.len() >= 2 && name.chars().all(|c| c.is_ascii_alphabetic())
}

fn unknown_field(name: &str, written: &str) -> String {
    let bare = name.trim_end_matches([':', '：']).to_ascii_lowercase();
    let near = FIELDS
        .iter()
        .map(|(en, _, _)| *en)
        .find(|en| {
            crate::index::querydict::edit_distance(
                &bare,
                en,
                crate::index::querydict::max_edits(&bare),
            )
            .is_some()
        })
        .map(|en| format!(" (did you mean {en}:?)"))
        .unwrap_or_default();
    format!(
        "searched \"{}\" as text: {name} is not a field{near}; the fields are {}",
        shortened(written),
        field_list()
    )
}

/// A `path:` value as a folder relative to the corpus root: `/`-separated,
/// no empty or `.` components (`./ccdi//2024/` is `ccdi/2024`).
fn clean_path(value: &str) -> String {
    value
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// What the previous item was, for an OR to join it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Word,
    Excluded,
    Path,
}

/// Parse a query string. Never fails; see the module documentation.
pub fn parse(q: &str) -> ParsedQuery {
    parse_spanned(q).0
}

/// Parse, also giving every atom's text span in `q` (for [`rewrite`]).
fn parse_spanned(q: &str) -> (ParsedQuery, Vec<(Atom, Range<usize>)>) {
    let mut warnings = Warnings::default();
    let toks = lex(q, &mut warnings);
    let items = toks.iter().filter(|t| matches!(t, Tok::Item(_))).count();
    let mut pq = ParsedQuery::default();
    let mut spans = Vec::new();
    let mut last = Last::Nothing;
    // an OR waiting for its right side: (as written, what its left side was)
    let mut pending_or: Option<(String, Last)> = None;
    let mut pending_not = false;
    let mut pending_prefix: Option<(bool, Field, String)> = None;
    let mut joined = false;
    let mut parens = false;
    for t in toks {
        let mut item = match t {
            Tok::Or(op) => {
                match last {
                    // `a OR OR b` is `a OR b`
                    _ if pending_or.is_some() => {}
                    Last::Word | Last::Path if !pending_not => pending_or = Some((op, last)),
                    Last::Excluded => warnings.push(or_mixed(&op)),
                    _ => warnings.push(or_alone(&op)),
                }
                continue;
            }
            // every word is required anyway
            Tok::And => continue,
            Tok::Not => {
                pending_not = true;
                continue;
            }
            Tok::Prefix {
                neg,
                field,
                written,
            } => {
                if let Some((_, _, before)) = pending_prefix.replace((neg, field, written)) {
                    warnings.push(nothing_after(&before));
                }
                continue;
            }
            Tok::Item(item) => item,
        };
        if let Some((neg, field, written)) = pending_prefix.take() {
            if item.prefix.is_some() || item.neg {
                warnings.push(nothing_after(&written));
            } else {
                item.neg = neg;
                item.field = field;
                item.prefix = Some(written);
            }
        }
        let after_not = std::mem::take(&mut pending_not);
        item.neg |= after_not;
        let path = clean_path(&item.text);
        let searchable = match item.field {
            Field::Path => !path.is_empty(),
            Field::Scope(_) => has_searchable(&item.text),
        };
        if !searchable {
            warnings.push(match (&item.prefix, after_not) {
                _ if item.unclosed => "ignored a quote mark that is never closed".into(),
                (Some(p), _) => nothing_after(p),
                (None, true) => nothing_after("NOT"),
                (None, false) if item.neg || item.text == "-" => {
                    "ignored a lone -: to leave a word out, write it right after the minus (-word)"
                        .into()
                }
                (None, false) if item.phrase => format!(
                    "ignored \"{}\": nothing in the quotes to search for",
                    shortened(&item.text)
                ),
                // stray punctuation
                _ => continue,
            });
            continue;
        }
        if item.unclosed {
            warnings.push(format!(
                "a quote is not closed: read \"{}\" to the end of the query as one phrase",
                shortened(&item.text)
            ));
        }
        if !item.phrase
            && item.prefix.is_none()
            && !item.neg
            && items > 1
            && let Some(w) = lowercase_operator(&item.text)
        {
            warnings.push(w);
        }
        if !item.phrase && (item.text.starts_with(['(', '（']) || item.text.ends_with([')', '）']))
        {
            parens = true;
        }
        let this = match (item.field, item.neg) {
            (Field::Path, _) => Last::Path,
            (_, true) => Last::Excluded,
            _ => Last::Word,
        };
        let join = match pending_or.take() {
            Some((_, left)) if left == this && this == Last::Word => true,
            // several folders are alternatives anyway
            Some((_, left)) if left == this && this == Last::Path => false,
            Some((op, _)) => {
                warnings.push(or_mixed(&op));
                false
            }
            None => false,
        };
        last = this;
        let scope = match item.field {
            Field::Path if item.neg => {
                warnings.push(format!(
                    "ignored -{}{}: a folder cannot be left out, only searched in",
                    item.prefix.as_deref().unwrap_or("path:"),
                    shortened(&item.text)
                ));
                continue;
            }
            Field::Path => {
                if !pq.paths.contains(&path) {
                    pq.paths.push(path);
                }
                continue;
            }
            Field::Scope(s) => s,
        };
        let atom = Atom {
            scope,
            text: item.text,
            phrase: item.phrase,
        };
        spans.push((atom.clone(), item.span));
        if item.neg {
            pq.excluded.push(atom);
        } else if join && let Some(clause) = pq.clauses.last_mut() {
            clause.push(atom);
            joined = true;
        } else {
            pq.clauses.push(vec![atom]);
        }
    }
    if let Some((op, _)) = pending_or {
        warnings.push(or_alone(&op));
    }
    if pending_not {
        warnings.push(nothing_after("NOT"));
    }
    if let Some((_, _, written)) = pending_prefix {
        warnings.push(nothing_after(&written));
    }
    if joined && parens {
        warnings.push(
            "parentheses do not group: OR joins only the word right before it and the word right after it"
                .into(),
        );
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
    pq.warnings = warnings.finish();
    (pq, spans)
}

fn nothing_after(what: &str) -> String {
    format!("ignored {what}: nothing after it to apply to")
}

fn or_alone(op: &str) -> String {
    format!("ignored {op}: it needs a word or phrase on each side")
}

fn or_mixed(op: &str) -> String {
    format!(
        "ignored {op}: it joins two words or phrases (or two path: folders); an excluded word is always left out and a folder always restricts the results"
    )
}

/// The warning for a lowercase (or mixed-case) operator word read as a word.
fn lowercase_operator(text: &str) -> Option<String> {
    let how = match text.to_ascii_lowercase().as_str() {
        "or" => "write OR (capitals) or | for alternatives",
        "and" => "every word is required anyway",
        "not" => "write NOT (capitals) or -word to leave a word out",
        _ => return None,
    };
    Some(format!("read \"{text}\" as a word to search for; {how}"))
}

/// `q` with the text of every atom for which `replace` gives a new text
/// changed to it, everything else as written (operators, prefixes, quotes,
/// spacing), so a corrected query reads like the one typed.
pub fn rewrite(q: &str, replace: &dyn Fn(&Atom) -> Option<String>) -> String {
    let (_, spans) = parse_spanned(q);
    let mut edits: Vec<(Range<usize>, String)> = spans
        .into_iter()
        .filter_map(|(atom, span)| replace(&atom).map(|text| (span, text)))
        .collect();
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(q.len());
    let mut pos = 0;
    for (span, text) in edits {
        if span.start < pos {
            continue;
        }
        out.push_str(&q[pos..span.start]);
        out.push_str(&text);
        pos = span.end;
    }
    out.push_str(&q[pos..]);
    out
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
    // a folder costs a filter, like a word
    let atoms = parsed.clauses.iter().map(Vec::len).sum::<usize>()
        + parsed.excluded.len()
        + parsed.paths.len();
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
    fn warned(q: &str, needle: &str) -> bool {
        parse(q).warnings.iter().any(|w| w.contains(needle))
    }

    #[test]
    fn not_leaves_out_like_minus() {
        let q = parse("巡察 NOT 差旅费");
        assert_eq!(q.clauses, vec![vec![a("巡察", false)]]);
        assert_eq!(q.excluded, vec![a("差旅费", false)]);
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        assert_eq!(parse("巡察 NOT 差旅费"), parse("巡察 -差旅费"));
        let q = parse("巡察 NOT title:\"差旅 费\"");
        assert_eq!(q.excluded[0].scope, Scope::Title);
        assert!(q.excluded[0].phrase);
        // NOT with nothing after it
        assert!(warned("巡察 NOT", "ignored NOT"));
        assert!(parse("巡察 NOT").excluded.is_empty());
    }

    #[test]
    fn or_and_bars_are_alternatives() {
        let want = parse("差旅费 OR 招待费");
        assert_eq!(
            want.clauses,
            vec![vec![a("差旅费", false), a("招待费", false)]]
        );
        for q in [
            "差旅费 | 招待费",
            "差旅费|招待费",
            "差旅费 ｜ 招待费",
            "差旅费 || 招待费",
        ] {
            assert_eq!(parse(q), want, "{q}");
        }
        let q = parse("巡察 差旅费 OR 招待费 OR 会议费");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[1].len(), 3);
        // a prefix applies to its own word only
        let q = parse("title:巡察|整改");
        assert_eq!(q.clauses[0][0].scope, Scope::Title);
        assert_eq!(q.clauses[0][1], a("整改", false));
    }

    #[test]
    fn and_is_the_default() {
        assert_eq!(parse("巡察 AND 整改"), parse("巡察 整改"));
        assert!(parse("AND 巡察 AND").warnings.is_empty());
        assert!(parse("AND").is_empty());
    }

    #[test]
    fn dangling_or_and_or_beside_an_exclusion_are_ignored_with_a_warning() {
        for q in ["OR 巡察", "巡察 OR", "巡察 |", "| 巡察"] {
            let p = parse(q);
            assert_eq!(p.clauses, vec![vec![a("巡察", false)]], "{q}");
            assert!(
                p.warnings.iter().any(|w| w.contains("on each side")),
                "{q}: {:?}",
                p.warnings
            );
        }
        for q in ["巡察 OR -整改", "-整改 OR 巡察", "巡察 OR path:ccdi"] {
            let p = parse(q);
            assert_eq!(p.clauses, vec![vec![a("巡察", false)]], "{q}");
            assert!(warned(q, "ignored OR: it joins"), "{q}: {:?}", p.warnings);
        }
        // several folders are alternatives anyway
        let p = parse("path:a OR path:b 巡察");
        assert_eq!(p.paths, ["a", "b"]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn lowercase_operators_are_words_with_a_warning() {
        let q = parse("巡察 or 整改");
        assert_eq!(q.clauses.len(), 3);
        assert_eq!(q.clauses[1][0].text, "or");
        assert!(warned("巡察 or 整改", "read \"or\" as a word"));
        assert!(warned("巡察 or 整改", "OR"));
        assert!(warned("巡察 not 整改", "read \"not\" as a word"));
        assert!(warned("巡察 Not 整改", "read \"Not\" as a word"));
        assert!(warned("巡察 and 整改", "read \"and\" as a word"));
        assert_eq!(parse("巡察 and 整改").clauses.len(), 3);
        // alone, or quoted, it is just the word asked for
        assert!(parse("or").warnings.is_empty());
        assert!(parse("巡察 \"or\"").warnings.is_empty());
    }

    #[test]
    fn unknown_prefixes_are_text_with_a_warning_naming_the_fields() {
        let q = parse("titel:巡察");
        assert_eq!(q.clauses, vec![vec![a("titel:巡察", false)]]);
        let w = &q.warnings;
        assert_eq!(w.len(), 1, "{w:?}");
        for part in [
            "titel:",
            "as text",
            "(did you mean title:?)",
            "path:",
            "标题:",
            "文号:",
        ] {
            assert!(w[0].contains(part), "{part}: {}", w[0]);
        }
        let w = parse("foo:bar").warnings;
        assert!(
            w[0].contains("foo:") && !w[0].contains("did you mean"),
            "{w:?}"
        );
        assert!(warned("-agncy：三门县", "did you mean agency:?"));
        // known prefixes in any case, and the Chinese ones
        assert_eq!(parse("TITLE:巡察").clauses[0][0].scope, Scope::Title);
        assert_eq!(parse("机关：三门县").clauses[0][0].scope, Scope::Agency);
        assert!(parse("TITLE:巡察 机关：三门县").warnings.is_empty());
    }

    #[test]
    fn colons_in_ordinary_text_do_not_warn() {
        for q in [
            "时间：2024年",
            "关于巡察：整改情况",
            "会议 12:30",
            "http://www.ccdi.gov.cn/x",
            "https://x.gov.cn",
            "“问题：整改”",
            "a:b",
        ] {
            let p = parse(q);
            assert!(p.warnings.is_empty(), "{q}: {:?}", p.warnings);
        }
        assert_eq!(parse("时间：2024年").clauses[0][0].text, "时间：2024年");
    }

    #[test]
    fn prefixes_apply_to_the_next_word_and_warn_when_nothing_follows() {
        let q = parse("title: 巡察 整改");
        assert_eq!(q.clauses[0][0].scope, Scope::Title);
        assert_eq!(q.clauses[0][0].text, "巡察");
        assert_eq!(q.clauses[1][0].scope, Scope::Any);
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        let q = parse("-title: 巡察 整改");
        assert_eq!(q.excluded[0].scope, Scope::Title);
        for q in ["title:", "巡察 title:", "巡察 heading：", "title:，"] {
            assert!(
                warned(q, "nothing after it"),
                "{q}: {:?}",
                parse(q).warnings
            );
        }
        assert!(warned("title: -巡察", "ignored title:"));
    }

    #[test]
    fn quotes_and_minus_that_apply_to_nothing_are_reported() {
        let q = parse("\"未闭合的引号");
        assert_eq!(q.clauses[0][0], a("未闭合的引号", true));
        assert!(warned("\"未闭合的引号", "not closed"));
        assert!(warned("巡察 \"", "never closed"));
        assert!(warned("巡察 \"\"", "nothing in the quotes"));
        assert!(warned("巡察 -", "lone -"));
        assert!(parse("“中文引号” 巡察").warnings.is_empty());
        // stray punctuation is silently nothing
        assert!(parse("巡察 ， 整改 —").warnings.is_empty());
    }

    #[test]
    fn parentheses_do_not_group_and_say_so_with_or() {
        assert!(warned("(巡察 OR 整改) 通报", "parentheses do not group"));
        assert!(parse("（一）巡察 整改").warnings.is_empty());
    }

    #[test]
    fn path_prefixes_are_folders_not_words() {
        let q = parse("path:ccdi/2024 巡察");
        assert_eq!(q.paths, ["ccdi/2024"]);
        assert_eq!(q.clauses, vec![vec![a("巡察", false)]]);
        assert!(q.warnings.is_empty());
        assert_eq!(parse("path:./ccdi//2024/ 巡察").paths, ["ccdi/2024"]);
        assert_eq!(parse("PATH:\"省 纪委/2024\" 巡察").paths, ["省 纪委/2024"]);
        assert_eq!(parse("path: ccdi 巡察").paths, ["ccdi"]);
        assert_eq!(parse("path:a path:a 巡察").paths, ["a"]);
        let only = parse("path:ccdi");
        assert!(only.is_empty() && only.paths == ["ccdi"]);
        assert!(warned("巡察 path:", "ignored path:"));
        assert!(warned("巡察 path:/", "ignored path:"));
        let q = parse("巡察 -path:ccdi");
        assert!(q.paths.is_empty() && q.excluded.is_empty());
        assert!(warned("巡察 -path:ccdi", "cannot be left out"));
    }

    #[test]
    fn warnings_are_capped() {
        // 30 different unknown prefixes: xaa: … xbd:
        let q: Vec<String> = (0..30u8)
            .map(|i| {
                format!(
                    "x{}{}:巡察",
                    (b'a' + i / 26) as char,
                    (b'a' + i % 26) as char
                )
            })
            .collect();
        let w = parse(&q.join(" ")).warnings;
        assert_eq!(w.len(), MAX_WARNINGS);
        assert!(w[MAX_WARNINGS - 1].contains("23 more"), "{w:?}");
    }

    #[test]
    fn rewrite_replaces_atom_text_and_keeps_the_rest_as_written() {
        let q = "title:意识形太  OR “巡查” -差旅费 path:ccdi 意识形太";
        let fixed = rewrite(q, &|atom| match atom.text.as_str() {
            "意识形太" => Some("意识形态".into()),
            "巡查" => Some("巡察".into()),
            _ => None,
        });
        assert_eq!(
            fixed,
            "title:意识形态  OR “巡察” -差旅费 path:ccdi 意识形态"
        );
        assert_eq!(
            rewrite("title: 巡查", &|_| Some("巡察".into())),
            "title: 巡察"
        );
        assert_eq!(rewrite("巡察", &|_| None), "巡察");
    }
}
