//! The optional, scoring clauses of a unit's query as one clause whose
//! parts are moved only to the documents the required part asks about.
//!
//! A unit's query requires its literal and adds the scores of a handful of
//! optional clauses (the literal in the title and headings, its words in
//! each field). tantivy joins optional clauses in a buffered union, which is
//! fast when the required part visits most documents in order, but a query
//! restricted to a few notices visits their sections only, far apart: each
//! visit then refills the union's window from every part (the profile of
//! 政府采购 on a 100k index spent 40 % of its time there). Here each part
//! seeks on its own, through its skip list, and the scores of the parts on
//! the document are added in the clauses' order, as the union adds them.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// The sum of `parts`' scores on each document any of them matches.
#[derive(Debug)]
pub(crate) struct SumQuery {
    parts: Vec<Box<dyn Query>>,
}

impl SumQuery {
    pub(crate) fn new(parts: Vec<Box<dyn Query>>) -> SumQuery {
        SumQuery { parts }
    }
}

impl Clone for SumQuery {
    fn clone(&self) -> Self {
        SumQuery {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for SumQuery {
    fn weight(&self, enable: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|q| q.weight(enable))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SumWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for q in &self.parts {
            q.query_terms(visitor);
        }
    }
}

struct SumWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let parts = self
            .parts
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SumScorer::new(parts)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut e = Explanation::new("sum of", scorer.score());
        for w in &self.parts {
            if let Ok(part) = w.explain(reader, doc) {
                e.add_detail(part);
            }
        }
        Ok(e)
    }
}

/// See [`SumQuery`]. `docs` holds each part's document (read once per move
/// rather than asked of the part), `doc` the smallest of them. A part with
/// nothing in the segment is left out from the start.
struct SumScorer {
    parts: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    doc: DocId,
}

impl SumScorer {
    fn new(mut parts: Vec<Box<dyn Scorer>>) -> SumScorer {
        // (the parts left keep their order: scores add up as before)
        parts.retain(|p| p.doc() != TERMINATED);
        let docs: Vec<DocId> = parts.iter().map(|p| p.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        SumScorer { parts, docs, doc }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SumScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let at = self.doc;
        for (p, d) in self.parts.iter_mut().zip(&mut self.docs) {
            if *d == at {
                *d = p.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (p, d) in self.parts.iter_mut().zip(&mut self.docs) {
            if *d < target {
                *d = p.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(|p| p.size_hint()).max().unwrap_or(0)
    }
}

impl Scorer for SumScorer {
    fn score(&mut self) -> Score {
        let at = self.doc;
        let mut sum: Score = 0.0;
        for (p, d) in self.parts.iter_mut().zip(&self.docs) {
            if *d == at {
                sum += p.score();
            }
        }
        sum
    }
}
