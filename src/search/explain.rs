//! `gongwen analyze`: how a text is segmented and indexed, and which terms a
//! query becomes — so a user can see why something matched or not.

use serde::Serialize;

use super::query::{self, Atom, Scope};
use super::units::LiteralPlan;
use crate::analysis;
use crate::index::IndexHandle;

/// One indexed word token.
#[derive(Clone, Debug, Serialize)]
pub struct WordToken {
    /// The term as indexed (normalised).
    pub word: String,
    /// Character offset of its first character in the text.
    pub start: usize,
    /// Character offset just past its last character.
    pub end: usize,
}

/// How one word or phrase of a query is looked for.
#[derive(Clone, Debug, Serialize)]
pub struct AtomPlan {
    /// `any`, `title`, `heading`, `agency`, `issue` or `doc`.
    pub scope: &'static str,
    /// The text as written.
    pub text: String,
    /// Quoted: must occur literally as a whole.
    pub phrase: bool,
    /// Strings that must each occur literally (an unquoted string's words).
    pub required: Vec<String>,
    /// The bigram terms of each required string, as the n-gram field holds
    /// them; empty for a string its Latin terms match alone.
    pub bigrams: Vec<Vec<String>>,
    /// The Latin terms of each required string, which must occur as whole
    /// runs, in this order (empty when it has none).
    pub latin: Vec<Vec<String>>,
    /// When the unquoted string has several words: notices containing it
    /// exactly as written rank first.
    pub whole_string_ranks_first: bool,
}

/// The analysis of a text and of the query it makes.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// The text as given.
    pub text: String,
    /// After full-width/half-width and case folding.
    pub normalized: String,
    /// jieba search-mode tokens, as the word fields index the text.
    pub index_words: Vec<WordToken>,
    /// Latin tokens, as the Latin fields index the text.
    pub index_latin: Vec<WordToken>,
    /// Words of the default cut of the query's required words and phrases
    /// (operators, prefixes and excluded words are not among them).
    pub query_words: Vec<String>,
    /// Required clauses; each lists its alternatives (joined by OR).
    pub clauses: Vec<Vec<AtomPlan>>,
    /// Words or phrases whose notices are left out.
    pub excluded: Vec<AtomPlan>,
    /// Folders (`path:`) the notices must lie under; any may hold them.
    pub paths: Vec<String>,
    /// How parts of the query that are not plain syntax were read.
    pub warnings: Vec<String>,
    /// Where query words came from: `index dictionary` or `jieba`.
    pub segmenter: &'static str,
}

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Any => "any",
        Scope::Title => "title",
        Scope::Heading => "heading",
        Scope::Agency => "agency",
        Scope::Issue => "issue",
        Scope::Doc => "doc",
    }
}

fn bigrams(chars: &[char]) -> Vec<String> {
    if chars.len() < 2 {
        return chars.iter().map(char::to_string).collect();
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

fn plan(atom: &Atom, cut: &dyn Fn(&str) -> Vec<String>) -> AtomPlan {
    let required = super::unit_literals(atom, cut);
    let plans: Vec<LiteralPlan> = required.iter().map(|r| LiteralPlan::of(r)).collect();
    AtomPlan {
        scope: scope_name(atom.scope),
        text: atom.text.clone(),
        phrase: atom.phrase,
        bigrams: plans.iter().map(|p| bigrams(&p.chars)).collect(),
        latin: plans
            .iter()
            .map(|p| p.latin.iter().map(|t| t.text.clone()).collect())
            .collect(),
        whole_string_ranks_first: !atom.phrase && required.len() > 1,
        required,
    }
}

/// Analyse `text` both as indexed text and as a query. With an index, query
/// words come from its dictionary, exactly as `search` cuts them.
pub fn analyze(text: &str, handle: Option<&IndexHandle>) -> Analysis {
    let cut = |s: &str| match handle {
        Some(h) => h.query_words(s),
        None => analysis::query_words(s),
    };
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let char_at = |byte: usize| starts.partition_point(|&b| b < byte);
    let shown = |toks: Vec<tantivy::tokenizer::Token>| {
        toks.into_iter()
            .map(|t| WordToken {
                start: char_at(t.offset_from),
                end: char_at(t.offset_to),
                word: t.text,
            })
            .collect()
    };
    let parsed = query::parse(text);
    Analysis {
        text: text.to_string(),
        normalized: analysis::normalize(text),
        index_words: shown(analysis::word_tokens(text)),
        index_latin: shown(analysis::latin_tokens(text)),
        query_words: parsed
            .clauses
            .iter()
            .flatten()
            .flat_map(|a| cut(&a.text))
            .collect(),
        clauses: parsed
            .clauses
            .iter()
            .map(|c| c.iter().map(|a| plan(a, &cut)).collect())
            .collect(),
        excluded: parsed.excluded.iter().map(|a| plan(a, &cut)).collect(),
        paths: parsed.paths.clone(),
        warnings: parsed.warnings.clone(),
        segmenter: match handle.and_then(|h| h.words.as_ref()) {
            Some(_) => "index dictionary",
            None => "jieba",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_words_bigrams_and_plan() {
        let a = analyze("公务接待超标准 -差旅费 \"巡察整改\"", None);
        assert!(a.index_words.iter().any(|w| w.word == "公务"));
        assert_eq!(a.clauses.len(), 2);
        let first = &a.clauses[0][0];
        assert!(first.required.len() > 1);
        assert!(first.whole_string_ranks_first);
        assert_eq!(a.clauses[1][0].bigrams[0], vec!["巡察", "察整", "整改"]);
        assert_eq!(a.excluded[0].text, "差旅费");
        let w = a.index_words.iter().find(|w| w.word == "标准").unwrap();
        assert_eq!((w.start, w.end), (5, 7));
        assert!(a.index_latin.is_empty());
        assert!(a.clauses[0][0].latin.iter().all(Vec::is_empty));
    }

    #[test]
    fn latin_units_show_their_terms_and_no_bigrams() {
        let a = analyze("COVID-19疫情 \"GB/T 9704\"", None);
        let first = &a.clauses[0][0];
        assert_eq!(first.required[0], "COVID-19");
        assert_eq!(first.latin[0], ["covid", "-", "19"]);
        assert!(first.bigrams[0].is_empty());
        // the Chinese word is bigrams only
        assert!(first.latin[1].is_empty() && !first.bigrams[1].is_empty());
        let quoted = &a.clauses[1][0];
        assert_eq!(quoted.latin[0], ["gb", "/", "t", "9704"]);
        assert!(quoted.bigrams[0].is_empty());
        let t = &a.index_latin[4];
        assert_eq!((t.word.as_str(), t.start, t.end), ("gb", 12, 14));
    }

    #[test]
    fn operators_are_shown_as_read() {
        let a = analyze("巡察 | 整改 NOT 差旅费 or path:ccdi/2024", None);
        assert_eq!(a.clauses.len(), 2);
        assert_eq!(a.clauses[0].len(), 2);
        assert_eq!(a.excluded[0].text, "差旅费");
        assert_eq!(a.paths, ["ccdi/2024"]);
        assert!(
            a.warnings.iter().any(|w| w.contains("\"or\"")),
            "{:?}",
            a.warnings
        );
        // the words a query requires: not the operators or the excluded word
        for w in ["not", "差旅费", "path", "ccdi"] {
            assert!(
                !a.query_words.iter().any(|q| q == w),
                "{w}: {:?}",
                a.query_words
            );
        }
        assert!(a.query_words.iter().any(|q| q == "or"));
    }
}
