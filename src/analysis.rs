//! Text analysis: normalisation, the jieba word analyzer and the character
//! n-gram analyzers, and their registration with tantivy.
//!
//! Two families of fields are indexed for every section:
//!
//! * **word fields** (`gw_jieba`): jieba's search-mode segmentation. They carry
//!   ranking: a query word that jieba also found in the document scores as a word.
//! * **n-gram fields** (`gw_bigram`, with positions): every pair of adjacent
//!   non-space characters, and the last character on its own. They carry
//!   recall: any literal string of two or more characters becomes a phrase of
//!   bigrams, which matches exactly where the string occurs, however jieba
//!   happened to segment the surrounding text; every character begins one
//!   term, so a one-character string is a prefix of the field's terms.
//!
//! * **Latin fields** (`gw_latin`, with positions): runs of ASCII letters and
//!   digits as whole tokens. They carry the rule that a Latin or digit run of
//!   a query matches only whole runs of the text (`ai` is not in
//!   `Explainable`, `2019` not in `20190101`), which bigrams cannot express.
//!
//! Decisions pinned by tests below:
//! * text is normalised *before* segmenting: full-width forms fold to
//!   half-width, letters fold to lower case, other compatibility characters
//!   take their NFKC form when that is a single character, the bracket forms
//!   of a document number (〔〕 ［］ 【】 [] （） ()) fold to `(` `)`, and
//!   traditional characters fold to simplified ones, each on its own, so that
//!   one original character always maps to one normalised character (a
//!   traditional query finds simplified text and the reverse, and highlights
//!   land on the characters as written);
//! * token offsets are **byte** offsets into the original (unnormalised) text,
//!   as tantivy expects, and always lie on character boundaries;
//! * word-token positions are the **character** index of the token's first
//!   character, so the overlapping tokens of search mode (北京 / 大学 / 北京大学)
//!   keep their true distance, and n-gram positions count non-space characters;
//! * Latin tokens come from *chunks*: maximal stretches of ASCII non-space
//!   characters (after normalisation) holding a letter or digit. Inside a
//!   chunk every maximal run of letters/digits is one token and every other
//!   character a token of its own (`f-16` → `f` `-` `16`), at consecutive
//!   positions, so punctuation inside a query's run matches literally. Between
//!   chunks the position skips one (only whitespace between) or two (anything
//!   else between), so no phrase spans two chunks, and one typed with a space
//!   (`GB/T 9704`) matches only where the text has nothing but whitespace
//!   there. A character whose compatibility form is several ASCII characters
//!   counts as them (`Ⅲ` is `iii`), as NFKC has it.

use std::sync::{Arc, Mutex, OnceLock};

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};
use unicode_normalization::UnicodeNormalization;

pub use crate::normal::{norm_char, normalize};

/// Name under which the jieba word analyzer is registered.
pub const JIEBA: &str = "gw_jieba";
/// Name under which the character-bigram analyzer is registered.
pub const BIGRAM: &str = "gw_bigram";
/// Name under which the Latin-run analyzer is registered.
pub const LATIN: &str = "gw_latin";
/// Name under which the common-pair analyzer is registered.
pub const PAIR: &str = "gw_pair";
/// Bumped whenever analysis output changes, so an index built by another
/// analyzer is detected rather than silently searched wrongly.
pub const ANALYZER_VERSION: u32 = 5;

/// The process-wide jieba instance (building its dictionary costs ~100 ms).
pub fn jieba() -> &'static Jieba {
    static JIEBA_INSTANCE: OnceLock<Jieba> = OnceLock::new();
    JIEBA_INSTANCE.get_or_init(Jieba::new)
}

/// A normalised copy of a text plus, for every character, the byte offset of
/// the original character it came from (and the original length at the end).
struct Normalized {
    text: String,
    /// `orig_byte[i]` = byte offset in the original of normalised char `i`.
    orig_byte: Vec<usize>,
}

impl Normalized {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut orig_byte = Vec::with_capacity(original.len() / 2 + 1);
        for (i, c) in original.char_indices() {
            orig_byte.push(i);
            text.push(norm_char(c));
        }
        orig_byte.push(original.len());
        Normalized { text, orig_byte }
    }
}

/// True for characters that never form part of a searchable word token.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || (!c.is_alphanumeric() && c != '_')
}

/// One word token of [`word_spans`]: byte ranges in the original and the
/// normalised text, and the position (character index of its first char).
#[derive(Clone, Copy, Debug)]
struct Span {
    from: usize,
    to: usize,
    position: usize,
    norm_from: usize,
    norm_to: usize,
}

/// jieba search-mode tokens of `text` as spans into its normalised copy,
/// separators dropped, sorted by position (search mode emits a compound's
/// parts before the compound; tantivy wants each term's positions in
/// increasing order).
fn word_spans(text: &str) -> (String, Vec<Span>) {
    let norm = Normalized::new(text);
    let base = norm.text.as_ptr() as usize;
    let mut spans: Vec<Span> = jieba()
        .cut_for_search(&norm.text, false)
        .into_iter()
        .filter(|t| !t.word.chars().all(is_separator))
        .map(|t| {
            let norm_from = t.word.as_ptr() as usize - base;
            Span {
                from: norm.orig_byte[t.start],
                to: norm.orig_byte[t.end],
                position: t.start,
                norm_from,
                norm_to: norm_from + t.word.len(),
            }
        })
        .collect();
    spans.sort_by_key(|t| (t.position, t.to));
    (norm.text, spans)
}

/// Segment `text` with jieba's search mode into word tokens: normalised text,
/// original byte offsets, character-index positions, sorted by position.
pub fn word_tokens(text: &str) -> Vec<Token> {
    let (norm, spans) = word_spans(text);
    spans
        .iter()
        .map(|t| Token {
            offset_from: t.from,
            offset_to: t.to,
            position: t.position,
            text: norm[t.norm_from..t.norm_to].to_string(),
            position_length: 1,
        })
        .collect()
}

/// The word tokens of `text` (exactly the terms the word fields index, as
/// [`word_tokens`] gives them, in the same order) joined by single spaces:
/// what another engine indexes with a whitespace tokenizer to rank on
/// gongwen's own words. A token never holds whitespace (jieba keeps it
/// apart, and tokens of separators alone are dropped).
pub fn word_text(text: &str) -> String {
    let (norm, spans) = word_spans(text);
    let mut out = String::with_capacity(norm.len() + norm.len() / 2);
    for s in &spans {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&norm[s.norm_from..s.norm_to]);
    }
    out
}

/// The words of jieba's default-mode cut among search-mode `tokens` (as
/// returned by [`word_tokens`]): at each position the longest token, unless
/// it lies inside the previous such word. Search mode only adds sub-words
/// inside these, so this recovers the cut without segmenting twice.
pub fn main_words(tokens: &[Token]) -> Vec<&str> {
    main_words_of(tokens.iter().map(|t| (t.position, t.text.as_str())))
}

/// [`main_words`] over `(position, word)` pairs sorted by position.
fn main_words_of<'a>(tokens: impl Iterator<Item = (usize, &'a str)>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    let mut cur_end = 0usize;
    let mut pending: Option<(usize, &str)> = None;
    let flush = |t: (usize, &'a str), out: &mut Vec<&'a str>, cur_end: &mut usize| {
        if t.0 >= *cur_end {
            out.push(t.1);
            *cur_end = t.0 + t.1.chars().count();
        }
    };
    for t in tokens {
        match pending {
            // the longest token at a position comes last among its peers
            Some(p) if p.0 == t.0 => pending = Some(t),
            Some(p) => {
                flush(p, &mut out, &mut cur_end);
                pending = Some(t);
            }
            None => pending = Some(t),
        }
    }
    if let Some(p) = pending {
        flush(p, &mut out, &mut cur_end);
    }
    out
}

/// Character n-gram tokens of `text`: one token per pair of adjacent
/// non-space characters, then the last non-space character alone, so that
/// every character begins exactly one token (a one-character query is a
/// prefix of the terms). Positions count non-space characters, so whitespace
/// (line breaks inside a sentence, spaces between words) never breaks a
/// phrase; a pair that whitespace separates is also marked by a second token
/// at the same position, [`CROSSING`] followed by the pair, so a search can
/// tell a string that occurs as typed from one broken by a line break.
pub fn ngram_tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut stream = GwTokenizer::new(Kind::Bigram);
    let mut s = stream.token_stream(text);
    while s.advance() {
        out.push(s.token().clone());
    }
    out
}

/// First character of a crossing marker (see [`ngram_tokens`]): a control
/// character, which no bigram of normalised text begins with in practice, and
/// a marker is three characters where a bigram is two, so they never collide.
pub const CROSSING: char = '\u{1}';

/// The marker term of a pair of characters that whitespace separates.
pub fn crossing_marker(a: char, b: char) -> String {
    [CROSSING, a, b].iter().collect()
}

fn c_len_at(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(0, char::len_utf8)
}

/// The ASCII characters a normalised character that is not itself ASCII
/// stands for in Latin text: its NFKC form when that is all printable ASCII
/// (`ⅲ` → `iii`, `⑵` → `(2)`, `㎡` → `m2`), lower-cased; `None` otherwise.
/// [`norm_char`] keeps one character per character (offsets and bigrams
/// depend on it), so these expansions are made here, for Latin runs only.
pub fn latin_expansion(n: char) -> Option<String> {
    // Han characters and CJK punctuation, most of what is not ASCII, never
    // expand to ASCII: skip the NFKC step for them.
    if n.is_ascii() || matches!(n, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}') {
        return None;
    }
    let form: String = std::iter::once(n).nfkc().collect();
    form.bytes()
        .all(|b| b.is_ascii_graphic())
        .then(|| form.to_ascii_lowercase())
}

/// The Latin analysis of a text: its tokens (see the module doc) and whether
/// anything but whitespace lies outside them.
#[derive(Clone, Debug, Default)]
pub struct Latin {
    /// Tokens, in order; positions consecutive inside a chunk, with a gap
    /// between chunks; byte offsets into the original text.
    pub tokens: Vec<Token>,
    /// The text holds non-space characters that are in no token (Chinese,
    /// other scripts, punctuation standing apart from any letter or digit).
    pub other: bool,
}

/// Analyse `text` into Latin tokens (see [`Latin`] and the module doc).
pub fn latin(text: &str) -> Latin {
    let mut b = LatinBuilder::default();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let n = norm_char(c);
        if n.is_ascii_graphic() {
            b.chunk.push((n, i, end));
        } else if let Some(form) = latin_expansion(n) {
            b.chunk.extend(form.chars().map(|a| (a, i, end)));
        } else {
            b.flush();
            if !n.is_whitespace() {
                b.other();
            }
        }
    }
    b.flush();
    b.out
}

/// A [`Latin`] analysis being built, chunk by chunk.
#[derive(Default)]
struct LatinBuilder {
    out: Latin,
    /// The current chunk: (ASCII character, original byte range).
    chunk: Vec<(char, usize, usize)>,
    /// Position of the next token.
    position: usize,
    /// Only whitespace has come since the last chunk emitted.
    spaced: bool,
}

impl LatinBuilder {
    /// Something that is neither whitespace nor in a token came: a phrase
    /// typed with only whitespace here must not match across it.
    fn other(&mut self) {
        self.out.other = true;
        self.spaced = false;
    }

    /// End the current chunk: its tokens, unless it holds no letter or digit
    /// (punctuation standing alone is not indexed).
    fn flush(&mut self) {
        if self.chunk.is_empty() {
            return;
        }
        if !self.chunk.iter().any(|c| c.0.is_ascii_alphanumeric()) {
            self.chunk.clear();
            self.other();
            return;
        }
        if !self.out.tokens.is_empty() {
            self.position += if self.spaced { 1 } else { 2 };
        }
        let chunk = &self.chunk;
        let mut i = 0;
        while i < chunk.len() {
            let mut j = i + 1;
            if chunk[i].0.is_ascii_alphanumeric() {
                while j < chunk.len() && chunk[j].0.is_ascii_alphanumeric() {
                    j += 1;
                }
            }
            self.out.tokens.push(Token {
                offset_from: chunk[i].1,
                offset_to: chunk[j - 1].2,
                position: self.position,
                text: chunk[i..j].iter().map(|c| c.0).collect(),
                position_length: 1,
            });
            self.position += 1;
            i = j;
        }
        self.chunk.clear();
        self.spaced = true;
    }
}

/// The Latin tokens of `text` (see [`latin`]).
pub fn latin_tokens(text: &str) -> Vec<Token> {
    latin(text).tokens
}

/// Which analysis a [`GwTokenizer`] performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// jieba search-mode words.
    Word,
    /// Adjacent character pairs (and the last character alone).
    Bigram,
    /// Runs of ASCII letters/digits and the punctuation between them.
    Latin,
    /// Four characters whose two halves are common bigrams (see
    /// [`common_pair`]), as [`pair_tokens`] gives them.
    Pair,
}

/// How often each word of jieba's default cut occurred in indexed text.
#[derive(Default, Debug, Clone)]
pub struct WordCounts {
    counts: FxHashMap<String, u64>,
}

impl WordCounts {
    /// Count one occurrence of `word`.
    pub fn add(&mut self, word: &str) {
        match self.counts.get_mut(word) {
            Some(c) => *c += 1,
            None => {
                self.counts.insert(word.to_string(), 1);
            }
        }
    }

    /// Add another set of counts to this one.
    pub fn merge(&mut self, other: WordCounts) {
        for (w, c) in other.counts {
            *self.counts.entry(w).or_insert(0) += c;
        }
    }

    /// Every word with its count.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &u64)> {
        self.counts.iter()
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Word counts shared by the indexing threads.
pub type SharedCounts = Arc<Mutex<WordCounts>>;

/// A tantivy tokenizer wrapping one of the analyses above.
///
/// A counting word tokenizer counts into its own table (each indexing
/// thread's segment writer holds its own clone, so no lock per word) and adds
/// the table to the shared counts when it is dropped, which tantivy does when
/// the segment is finished, before `commit` returns.
pub struct GwTokenizer {
    kind: Kind,
    counts: Option<SharedCounts>,
    local: WordCounts,
}

impl GwTokenizer {
    /// A tokenizer of the given kind.
    pub fn new(kind: Kind) -> Self {
        GwTokenizer {
            kind,
            counts: None,
            local: WordCounts::default(),
        }
    }
}

impl Clone for GwTokenizer {
    fn clone(&self) -> Self {
        GwTokenizer {
            kind: self.kind,
            counts: self.counts.clone(),
            local: WordCounts::default(),
        }
    }
}

impl Drop for GwTokenizer {
    fn drop(&mut self) {
        if let Some(shared) = &self.counts
            && !self.local.is_empty()
            && let Ok(mut c) = shared.lock()
        {
            c.merge(std::mem::take(&mut self.local));
        }
    }
}

/// Word tokens streamed from spans, one reused token buffer.
pub struct WordStream {
    norm: String,
    spans: Vec<Span>,
    next: usize,
    token: Token,
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        let Some(sp) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.offset_from = sp.from;
        self.token.offset_to = sp.to;
        self.token.position = sp.position;
        self.token.text.clear();
        self.token
            .text
            .push_str(&self.norm[sp.norm_from..sp.norm_to]);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Character bigrams (as [`ngram_tokens`]) streamed straight from the text,
/// one reused buffer.
pub struct NgramStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    prev: Option<(usize, char)>,
    position: usize,
    /// Whitespace came since `prev`.
    gap: bool,
    /// The crossing marker to emit next, at the last bigram's position.
    marker: Option<(char, char)>,
    token: Token,
}

impl TokenStream for NgramStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((a, b)) = self.marker.take() {
            // same offsets and position as the bigram just emitted
            self.token.text.clear();
            self.token.text.push(CROSSING);
            self.token.text.push(a);
            self.token.text.push(b);
            return true;
        }
        for (i, orig) in self.chars.by_ref() {
            let c = norm_char(orig);
            if c.is_whitespace() {
                self.gap = self.prev.is_some();
                continue;
            }
            let k = self.position;
            self.position += 1;
            let gap = std::mem::take(&mut self.gap);
            if let Some((start, p)) = self.prev.replace((i, c)) {
                self.token.text.clear();
                self.token.text.push(p);
                self.token.text.push(c);
                self.token.offset_from = start;
                self.token.offset_to = i + orig.len_utf8();
                self.token.position = k - 1;
                if gap {
                    self.marker = Some((p, c));
                }
                return true;
            }
        }
        // the last character alone, once
        let Some((start, p)) = self.prev.take() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push(p);
        self.token.offset_from = start;
        self.token.offset_to = start + c_len_at(self.text, start);
        self.token.position = self.position - 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The bigrams of Han characters found in at least 5 % of the notices of
/// the shared corpus (`scripts/common-bigrams.py`), each as its two
/// characters packed in a `u64`.
static COMMON_BIGRAMS: std::sync::LazyLock<rustc_hash::FxHashSet<u64>> =
    std::sync::LazyLock::new(|| {
        include_str!("index/common_bigrams.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cs = l.chars();
                match (cs.next(), cs.next(), cs.next()) {
                    (Some(a), Some(b), None) => Some(pack(a, b)),
                    _ => None,
                }
            })
            .collect()
    });

fn pack(a: char, b: char) -> u64 {
    (u64::from(u32::from(a)) << 32) | u64::from(u32::from(b))
}

/// True when `a b` is a common bigram, and four characters made of two of
/// them are indexed as one term (the pair field).
pub fn common_bigram(a: char, b: char) -> bool {
    COMMON_BIGRAMS.contains(&pack(a, b))
}

/// True when the normalised, compact characters `s` are four whose two
/// halves are common bigrams: the pair field holds them as one term
/// wherever they occur, as often as they occur.
pub fn common_pair(s: &[char]) -> bool {
    matches!(s, [a, b, c, d] if common_bigram(*a, *b) && common_bigram(*c, *d))
}

/// The pair tokens of `text`: at each position of its non-space
/// characters (counted as [`ngram_tokens`] counts them), the four
/// characters from there when they are a [`common_pair`].
pub fn pair_tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut s = GwTokenizer::new(Kind::Pair);
    let mut stream = s.token_stream(text);
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

/// Common pairs (as [`pair_tokens`]) streamed from the text.
pub struct PairStream<'a> {
    chars: std::str::CharIndices<'a>,
    /// The last three non-space characters read (normalised), with their
    /// byte offsets and whether the bigram each ends is common, oldest
    /// first: each bigram is looked up once, as it is read.
    window: [(usize, char, bool); 3],
    /// How many of `window` are filled.
    filled: usize,
    position: usize,
    token: Token,
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        for (i, orig) in self.chars.by_ref() {
            let c = norm_char(orig);
            if c.is_whitespace() {
                continue;
            }
            self.position += 1;
            let ends_common = self.filled > 0 && common_bigram(self.window[self.filled - 1].1, c);
            if self.filled < 3 {
                self.window[self.filled] = (i, c, ends_common);
                self.filled += 1;
                continue;
            }
            let [(from, a, _), (_, b, ab), (_, x, _)] = self.window;
            self.window = [self.window[1], self.window[2], (i, c, ends_common)];
            if ab && ends_common {
                self.token.text.clear();
                self.token.text.extend([a, b, x, c]);
                self.token.offset_from = from;
                self.token.offset_to = i + orig.len_utf8();
                self.token.position = self.position - 4;
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Latin tokens (as [`latin_tokens`]), analysed up front.
pub struct LatinStream {
    tokens: std::vec::IntoIter<Token>,
    token: Token,
}

impl TokenStream for LatinStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token = t;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The stream of a [`GwTokenizer`].
pub enum GwStream<'a> {
    /// Words.
    Word(WordStream),
    /// N-grams.
    Ngram(NgramStream<'a>),
    /// Latin runs.
    Latin(LatinStream),
    /// Common pairs.
    Pair(PairStream<'a>),
}

impl TokenStream for GwStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            GwStream::Word(s) => s.advance(),
            GwStream::Ngram(s) => s.advance(),
            GwStream::Latin(s) => s.advance(),
            GwStream::Pair(s) => s.advance(),
        }
    }
    fn token(&self) -> &Token {
        match self {
            GwStream::Word(s) => s.token(),
            GwStream::Ngram(s) => s.token(),
            GwStream::Latin(s) => s.token(),
            GwStream::Pair(s) => s.token(),
        }
    }
    fn token_mut(&mut self) -> &mut Token {
        match self {
            GwStream::Word(s) => s.token_mut(),
            GwStream::Ngram(s) => s.token_mut(),
            GwStream::Latin(s) => s.token_mut(),
            GwStream::Pair(s) => s.token_mut(),
        }
    }
}

impl Tokenizer for GwTokenizer {
    type TokenStream<'a> = GwStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> GwStream<'a> {
        match self.kind {
            Kind::Word => {
                let (norm, spans) = word_spans(text);
                if self.counts.is_some() {
                    let words = main_words_of(
                        spans
                            .iter()
                            .map(|s| (s.position, &norm[s.norm_from..s.norm_to])),
                    );
                    for w in words {
                        self.local.add(w);
                    }
                }
                GwStream::Word(WordStream {
                    norm,
                    spans,
                    next: 0,
                    token: Token::default(),
                })
            }
            Kind::Bigram => GwStream::Ngram(NgramStream {
                text,
                chars: text.char_indices(),
                prev: None,
                position: 0,
                gap: false,
                marker: None,
                token: Token::default(),
            }),
            Kind::Latin => GwStream::Latin(LatinStream {
                tokens: latin_tokens(text).into_iter(),
                token: Token::default(),
            }),
            Kind::Pair => GwStream::Pair(PairStream {
                chars: text.char_indices(),
                window: [(0, ' ', false); 3],
                filled: 0,
                position: 0,
                token: Token::default(),
            }),
        }
    }
}

/// Register gongwen's analyzers; must run every time an index is opened.
pub fn register(manager: &TokenizerManager) {
    register_counting(manager, None);
}

/// Register the analyzers for writing; with `counts`, every word the jieba
/// analyzer cuts is counted there (the query dictionary is built from them).
pub fn register_counting(manager: &TokenizerManager, counts: Option<SharedCounts>) {
    manager.register(
        JIEBA,
        GwTokenizer {
            kind: Kind::Word,
            counts,
            local: WordCounts::default(),
        },
    );
    manager.register(BIGRAM, GwTokenizer::new(Kind::Bigram));
    manager.register(LATIN, GwTokenizer::new(Kind::Latin));
    manager.register(PAIR, GwTokenizer::new(Kind::Pair));
}

/// Split a query string into the words a user means: jieba's default-mode cut
/// of the normalised text, without separators.
pub fn query_words(text: &str) -> Vec<String> {
    let norm = normalize(text);
    jieba()
        .cut(&norm, false)
        .into_iter()
        .map(|t| t.word.to_string())
        .filter(|w| !w.chars().all(is_separator))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn word_text_is_the_word_tokens_space_joined() {
        for t in [
            "公务接待超标准问题\n整改到位",
            "COVID-19 疫情\u{3000}防控，iPhone 12\tPro",
            "  北京大学\r\n\u{a0}国办发〔2019〕6号 ",
            "",
            "。，、",
        ] {
            let joined = word_text(t);
            let tokens = word_tokens(t);
            let split: Vec<&str> = joined.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(split, texts(&tokens), "{t:?}");
            assert!(
                !joined.contains("  ") && !joined.starts_with(' '),
                "{joined:?}"
            );
        }
    }

    #[test]
    fn full_width_and_case_fold_before_segmenting() {
        assert_eq!(normalize("ＦＤＩ到资９５９３３亿元"), "fdi到资95933亿元");
        assert_eq!(normalize("AI＋"), "ai+");
        assert_eq!(normalize("a\u{3000}b"), "a b");
        // one character in, one character out, even where NFKC would expand
        assert_eq!(normalize("①㈠").chars().count(), 2);
    }

    #[test]
    fn document_number_brackets_fold_to_one_form() {
        let want = "国办发(2019)6号";
        for q in [
            "国办发〔2019〕6号",
            "国办发[2019]6号",
            "国办发(2019)6号",
            "国办发（2019）6号",
            "国办发【2019】6号",
            "国办发［2019］6号",
            // presentation forms, through NFKC
            "国办发﹝2019﹞6号",
            "国办发︹2019︺6号",
            "国办发︻2019︼6号",
        ] {
            assert_eq!(normalize(q), want, "{q}");
        }
        // other brackets keep their identity: titles and numbering differ
        assert_eq!(normalize("《通知》〖一〗「二」"), "《通知》〖一〗「二」");
    }

    #[test]
    fn traditional_folds_to_simplified_and_simplified_stays() {
        let simplified = "关于加强意识形态工作的通知";
        assert_eq!(normalize("關於加強意識形態工作的通知"), simplified);
        assert_eq!(normalize(simplified), simplified);
        // mixed text, and a traditional document number
        assert_eq!(normalize("國辦發〔2019〕6號"), "国办发(2019)6号");
        // a compatibility ideograph (U+F902 車) folds through NFKC, then t2s
        assert_eq!(normalize("\u{f902}輛"), "车辆");
        // common simplified text is left as it is
        let text = "国务院办公厅关于印发全面从严治党主体责任清单的通知干部复杂覆盖";
        assert_eq!(normalize(text), text);
    }

    #[test]
    fn normalisation_is_one_char_and_idempotent() {
        // every scalar value: one character out, and folding it again
        // changes nothing (index and query sides may fold twice)
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let n = norm_char(c);
            assert_eq!(norm_char(n), n, "U+{:04X} → U+{:04X}", c as u32, n as u32);
        }
        let text = "國辦發【2019】6號關於ＦＤＩ";
        assert_eq!(normalize(text).chars().count(), text.chars().count());
    }

    #[test]
    fn folded_tokens_keep_the_original_offsets() {
        let text = "國辦發〔2019〕6號關於意識形態工作";
        let toks = word_tokens(text);
        assert!(texts(&toks).contains(&"意识形态"), "{:?}", texts(&toks));
        for t in &toks {
            assert!(text.is_char_boundary(t.offset_from));
            assert!(text.is_char_boundary(t.offset_to));
            assert_eq!(normalize(&text[t.offset_from..t.offset_to]), t.text);
        }
        let grams = ngram_tokens(text);
        assert!(texts(&grams).contains(&"发("));
        for t in &grams {
            assert_eq!(normalize(&text[t.offset_from..t.offset_to]), t.text);
        }
        // a traditional query is cut like the simplified one
        assert_eq!(query_words("意識形態"), query_words("意识形态"));
    }

    #[test]
    fn word_offsets_are_original_bytes_on_char_boundaries() {
        let text = "完成ＦＤＩ到资，差旅费管理";
        let toks = word_tokens(text);
        assert!(texts(&toks).contains(&"fdi"));
        assert!(texts(&toks).contains(&"差旅费"));
        for t in &toks {
            assert!(text.is_char_boundary(t.offset_from));
            assert!(text.is_char_boundary(t.offset_to));
            assert_eq!(normalize(&text[t.offset_from..t.offset_to]), t.text);
        }
        // punctuation never becomes a token
        assert!(!texts(&toks).contains(&"，"));
    }

    #[test]
    fn search_mode_positions_are_char_starts() {
        let toks = word_tokens("中华人民共和国成立");
        let whole = toks.iter().find(|t| t.text == "中华人民共和国").unwrap();
        let part = toks.iter().find(|t| t.text == "共和国").unwrap();
        assert_eq!(whole.position, 0);
        assert_eq!(part.position, 4);
        let pos: Vec<usize> = toks.iter().map(|t| t.position).collect();
        let mut sorted = pos.clone();
        sorted.sort();
        assert_eq!(pos, sorted);
    }

    #[test]
    fn main_words_equal_the_default_cut() {
        for text in [
            "中华人民共和国国务院关于巡察整改进展情况的通报",
            "完成FDI到资2336万美元，公务接待超标准",
            "三门县投资促进中心党组坚持把巡察整改作为推进招商工作高质量发展的政治任务",
        ] {
            let toks = word_tokens(text);
            let cut: Vec<String> = jieba()
                .cut(&normalize(text), false)
                .into_iter()
                .map(|t| t.word.to_string())
                .filter(|w| !w.chars().all(is_separator))
                .collect();
            assert_eq!(main_words(&toks), cut, "{text}");
        }
    }

    fn stream(kind: Kind, text: &str) -> Vec<Token> {
        let mut t = GwTokenizer::new(kind);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().clone());
        }
        out
    }

    #[test]
    fn word_stream_matches_the_vector_analysis() {
        let text = "完成ＦＤＩ到资，巡察 整改\n巡察整改";
        let words = stream(Kind::Word, text);
        assert_eq!(
            words
                .iter()
                .map(|t| (&t.text, t.position, t.offset_from, t.offset_to))
                .collect::<Vec<_>>(),
            word_tokens(text)
                .iter()
                .map(|t| (&t.text, t.position, t.offset_from, t.offset_to))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn bigrams_skip_whitespace_and_keep_offsets() {
        let text = "招商\n引资";
        let toks = ngram_tokens(text);
        let marker = crossing_marker('商', '引');
        assert_eq!(
            texts(&toks),
            vec!["招商", "商引", marker.as_str(), "引资", "资"]
        );
        assert_eq!(
            toks.iter().map(|t| t.position).collect::<Vec<_>>(),
            vec![0, 1, 1, 2, 3]
        );
        assert_eq!(&text[toks[1].offset_from..toks[1].offset_to], "商\n引");
        assert_eq!(&text[toks[2].offset_from..toks[2].offset_to], "商\n引");
        assert_eq!(&text[toks[4].offset_from..toks[4].offset_to], "资");
        // leading and trailing whitespace marks nothing
        assert_eq!(texts(&ngram_tokens(" 招商 ")), vec!["招商", "商"]);
        // a lone character is its own token; nothing but spaces gives none
        assert_eq!(texts(&ngram_tokens(" 巡 ")), vec!["巡"]);
        assert!(ngram_tokens(" \n ").is_empty());
    }

    /// (text, position, original text) of each Latin token.
    fn latin_of(text: &str) -> Vec<(String, usize, &str)> {
        latin_tokens(text)
            .into_iter()
            .map(|t| (t.text, t.position, &text[t.offset_from..t.offset_to]))
            .collect()
    }

    #[test]
    fn latin_runs_are_whole_tokens_and_punctuation_its_own() {
        let toks = latin_of("型号F-16与iPhone、C++和5G+");
        assert_eq!(
            toks,
            vec![
                ("f".into(), 0, "F"),
                ("-".into(), 1, "-"),
                ("16".into(), 2, "16"),
                // 与 ends the chunk: the position skips two
                ("iphone".into(), 5, "iPhone"),
                ("c".into(), 8, "C"),
                ("+".into(), 9, "+"),
                ("+".into(), 10, "+"),
                ("5g".into(), 13, "5G"),
                ("+".into(), 14, "+"),
            ]
        );
        // a run is never cut: no token inside Explainable or 20190101
        let texts: Vec<String> = latin_of("Explainable AI，20190101")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(texts, ["explainable", "ai", ",", "20190101"]);
    }

    #[test]
    fn latin_chunks_are_apart_by_one_after_spaces_and_two_otherwise() {
        let pos =
            |text: &str| -> Vec<usize> { latin_tokens(text).iter().map(|t| t.position).collect() };
        // GB / T then a space then 9704: one position skipped
        assert_eq!(pos("GB/T 9704"), [0, 1, 2, 4]);
        assert_eq!(pos("GB/T\n\n 9704"), [0, 1, 2, 4]);
        // Chinese, or punctuation standing alone, between: two skipped
        assert_eq!(pos("GB/T与9704"), [0, 1, 2, 5]);
        assert_eq!(pos("ab - cd"), [0, 3]);
        // punctuation alone and text without Latin give no token
        assert!(latin_tokens("——，。、 - ,").is_empty());
        assert!(latin_tokens("巡察整改").is_empty());
    }

    #[test]
    fn latin_offsets_are_original_bytes_and_forms_fold() {
        let text = "采用ＡＩ＋技术，Ⅲ类，COVID-19";
        let toks = latin_of(text);
        assert_eq!(
            toks,
            vec![
                ("ai".into(), 0, "ＡＩ"),
                ("+".into(), 1, "＋"),
                // after 技术: the full-width comma folds to ASCII and joins
                // the chunk it touches
                (",".into(), 4, "，"),
                ("iii".into(), 5, "Ⅲ"),
                (",".into(), 8, "，"),
                ("covid".into(), 9, "COVID"),
                ("-".into(), 10, "-"),
                ("19".into(), 11, "19"),
            ]
        );
        for t in latin_tokens(text) {
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
        }
        assert_eq!(latin_expansion('⑵').as_deref(), Some("(2)"));
        assert_eq!(latin_expansion('巡'), None);
        assert_eq!(latin_expansion('“'), None);
    }

    #[test]
    fn latin_tells_whether_anything_else_is_there() {
        assert!(!latin("covid-19").other);
        assert!(!latin(" GB/T 9704 ").other);
        assert!(latin("covid-19疫情").other);
        assert!(latin("a - b").other);
        assert!(latin("巡察").other);
        assert!(!latin("").other);
    }

    #[test]
    fn latin_stream_matches_the_vector_analysis() {
        let text = "完成ＦＤＩ到资 GB/T 9704-2012，Ⅱ期";
        let s = stream(Kind::Latin, text);
        let v = latin_tokens(text);
        assert_eq!(s.len(), v.len());
        assert!(s.iter().zip(&v).all(|(a, b)| a.text == b.text
            && a.position == b.position
            && a.offset_from == b.offset_from
            && a.offset_to == b.offset_to));
    }

    #[test]
    fn query_words_drop_punctuation() {
        let w = query_words("公务接待，超标准");
        assert!(w.contains(&"公务".to_string()) || w.contains(&"公务接待".to_string()));
        assert!(!w.iter().any(|x| x == "，" || x == ","));
    }

    /// Pair tokens: four characters made of two common bigrams, at the
    /// position of their first character as the bigram field counts
    /// positions (whitespace skipped, so a pair broken by a line break is
    /// still one), and nothing where a half is rare.
    #[test]
    fn pairs_are_two_common_bigrams_at_their_bigram_positions() {
        let toks = pair_tokens("加强整改落实，\n整改\n落实 鸬鹚落实");
        let got: Vec<(&str, usize)> = toks.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert!(got.contains(&("整改落实", 2)), "{got:?}");
        assert!(got.contains(&("整改落实", 7)), "{got:?}");
        assert!(got.iter().all(|(t, _)| !t.contains('鸬')), "{got:?}");
        // the positions are the bigram field's: the pair starts where its
        // first bigram does
        let bigrams = ngram_tokens("加强整改落实，\n整改\n落实 鸬鹚落实");
        for (text, pos) in &got {
            let first: String = text.chars().take(2).collect();
            assert!(
                bigrams
                    .iter()
                    .any(|b| b.position == *pos && b.text == first),
                "{text} at {pos}"
            );
        }
        // full-width and traditional forms are folded first
        assert!(pair_tokens("整改落實").iter().any(|t| t.text == "整改落实"));
        assert!(pair_tokens("").is_empty());
        assert!(pair_tokens("整改落").is_empty());
    }
}
