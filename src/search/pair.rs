//! A literal of four characters made of two common bigrams (行政处罚: 行政 +
//! 处罚), read as one term of the pair field instead of a phrase of its two
//! bigrams.
//!
//! The phrase must read the positions of both bigrams in every section that
//! holds the two, and common bigrams are in hundreds of thousands of
//! sections; the pair field holds the four characters as one term wherever
//! they occur, with how often (`analysis::pair_tokens`). The same sections
//! match, and each scores exactly as the phrase scores it: tantivy scores a
//! phrase with the BM25 weight of its terms (their rarity, the bigram
//! field's lengths) and its count of matches, and the pair's count is that
//! count.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Sections holding a common pair, scored as the phrase of its bigrams.
#[derive(Clone, Debug)]
pub(crate) struct PairQuery {
    /// The pair's term in the pair field.
    pair: Term,
    /// The phrase's terms in the bigram field, in order.
    bigrams: Vec<Term>,
    /// The bigram field, whose lengths score it.
    field: Field,
}

impl PairQuery {
    /// The pair `chars` (four characters), of `pairs`, scored as the
    /// phrase of its two bigrams in `bigram_field`.
    pub(crate) fn new(pairs: Field, bigram_field: Field, chars: &[char]) -> PairQuery {
        let text: String = chars.iter().collect();
        let half = |r: std::ops::Range<usize>| {
            Term::from_field_text(bigram_field, &chars[r].iter().collect::<String>())
        };
        PairQuery {
            pair: Term::from_field_text(pairs, &text),
            bigrams: vec![half(0..2), half(2..4)],
            field: bigram_field,
        }
    }
}

impl Query for PairQuery {
    fn weight(&self, enable: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.bigrams)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            pair: self.pair.clone(),
            field: self.field,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.pair, false);
    }
}

struct PairWeight {
    pair: Term,
    field: Field,
    bm25: Option<Bm25Weight>,
}

impl PairWeight {
    fn pair_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairScorer>> {
        let Some(postings) = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        // as tantivy's phrase reads its field's lengths: only when scoring
        let norms = match &self.bm25 {
            Some(_) => reader.fieldnorms_readers().get_field(self.field)?,
            None => None,
        };
        Ok(Some(PairScorer {
            postings,
            norms: norms.unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)),
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut scorer) = self.pair_scorer(reader, 1.0)? else {
            return Err(does_not_match(doc));
        };
        if scorer.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        let tf = scorer.postings.term_freq();
        let id = scorer.norms.fieldnorm_id(doc);
        Ok(match &self.bm25 {
            Some(w) => w.explain(id, tf),
            None => Explanation::new("common pair (not scored)", 1.0),
        })
    }
}

fn does_not_match(doc: DocId) -> tantivy::TantivyError {
    tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match"))
}

/// See [`PairQuery`].
struct PairScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc();
        if doc == TERMINATED {
            return 0.0;
        }
        match &self.bm25 {
            Some(w) => w.score(self.norms.fieldnorm_id(doc), self.postings.term_freq()),
            None => 1.0,
        }
    }
}
