//! Every section an index holds, read straight from the document store,
//! segment by segment and in document order: how an index is exported whole
//! without holding its notices in memory.
//!
//! A section's document stores its notice's head (id, path, title, agency,
//! date, 文号), so most of what a section needs is on it. What only the
//! notice's head document stores (its 来源, how many sections it has, the
//! lines before its first heading) is read from there: the documents of one
//! notice lie close together (a notice's documents are added one after the
//! other, though indexing threads may split them between segments), so a
//! small cache of the last notices seen answers almost every section, and
//! the head document is looked up by id for the rest.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::{Fields, IndexHandle, StoredSection};
use crate::error::Result;
use crate::notice::NoticeHead;

/// What a notice's head document alone stores about the whole notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeWide {
    /// Republishing site (来源).
    pub source: Option<String>,
    /// How many sections the notice has in the index.
    pub sections: usize,
}

/// One section of the index, with everything stored about its notice.
#[derive(Clone, Debug)]
pub struct IndexedSection {
    /// The notice's id, path, title, agency and date.
    pub head: NoticeHead,
    /// The section's position in its notice (0: before the first heading).
    pub ordinal: u64,
    /// Heading, heading path, problem label and text.
    pub section: StoredSection,
    /// The notice's document number (文号).
    pub doc_number: Option<String>,
    /// What the notice's head document stores about the whole notice.
    pub notice: Arc<NoticeWide>,
    /// On section 0 only: the lines before the first heading as read (the
    /// title block, 文号 and metadata lines).
    pub header: Option<String>,
}

/// How many notices and sections were visited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Visited {
    /// Notices (their head sections).
    pub notices: usize,
    /// Sections.
    pub sections: usize,
}

/// Notices whose head is kept at hand while walking the store. Sections of
/// one notice rarely lie further apart than a few thousand documents.
const CACHED_NOTICES: usize = 4096;

/// The heads of the notices seen last, first in first out.
struct HeadCache {
    by_id: FxHashMap<String, Arc<NoticeWide>>,
    order: VecDeque<String>,
}

impl HeadCache {
    fn new() -> Self {
        HeadCache {
            by_id: FxHashMap::default(),
            order: VecDeque::with_capacity(CACHED_NOTICES),
        }
    }

    fn get(&self, id: &str) -> Option<Arc<NoticeWide>> {
        self.by_id.get(id).cloned()
    }

    fn put(&mut self, id: &str, wide: Arc<NoticeWide>) {
        if self.by_id.insert(id.to_string(), wide).is_none() {
            if self.order.len() == CACHED_NOTICES
                && let Some(old) = self.order.pop_front()
            {
                self.by_id.remove(&old);
            }
            self.order.push_back(id.to_string());
        }
    }
}

fn wide_of(f: &Fields, head_doc: &TantivyDocument) -> NoticeWide {
    NoticeWide {
        source: f.head_extras(head_doc).source,
        sections: f.indexed_sections(head_doc).unwrap_or(0),
    }
}

/// The head document of notice `id`, looked up by its id.
fn lookup_wide(f: &Fields, searcher: &Searcher, id: &str) -> Result<NoticeWide> {
    let parts: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.id, id),
                IndexRecordOption::Basic,
            )),
        ),
        (Occur::Must, Box::new(f.heads_query())),
    ];
    let found = searcher.search(&BooleanQuery::new(parts), &DocSetCollector)?;
    match found.into_iter().min() {
        Some(addr) => Ok(wide_of(f, &searcher.doc(addr)?)),
        // a notice always has its head: none would be a damaged index,
        // which opening it verified against
        None => Ok(NoticeWide::default()),
    }
}

/// Hand every section of the index to `visit`, segment by segment in
/// document order (a deterministic order for one state of the index, not
/// the notices' order). Stops at the first error `visit` returns.
pub fn each_section(
    h: &IndexHandle,
    mut visit: impl FnMut(IndexedSection) -> Result<()>,
) -> Result<Visited> {
    super::check::shielded(&h.path, || {
        let searcher = h.reader.searcher();
        let f = &h.fields;
        let mut cache = HeadCache::new();
        let mut visited = Visited::default();
        for seg in searcher.segment_readers() {
            // one cached block: the store is read front to back
            let store = seg
                .get_store_reader(1)
                .map_err(|e| crate::error::Error::io("reading the document store", e))?;
            for doc in store.iter::<TantivyDocument>(seg.alive_bitset()) {
                let doc = doc?;
                let head = f.head(&doc);
                let ordinal = f.ordinal(&doc);
                let notice = match cache.get(&head.id) {
                    Some(w) => w,
                    None => {
                        let w = Arc::new(if ordinal == 0 {
                            wide_of(f, &doc)
                        } else {
                            lookup_wide(f, &searcher, &head.id)?
                        });
                        cache.put(&head.id, w.clone());
                        w
                    }
                };
                let section = IndexedSection {
                    ordinal,
                    section: f.section(&doc),
                    doc_number: f.doc_number(&doc),
                    header: (ordinal == 0).then(|| f.head_lines(&doc)).flatten(),
                    notice,
                    head,
                };
                visit(section)?;
                visited.sections += 1;
                if ordinal == 0 {
                    visited.notices += 1;
                }
            }
        }
        Ok(visited)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testing::{self, COUNTY};

    #[test]
    fn every_section_once_with_its_notice() {
        let t = testing::build(COUNTY);
        let mut seen: Vec<(String, u64, usize)> = Vec::new();
        let v = each_section(&t.handle, |s| {
            seen.push((s.head.id.clone(), s.ordinal, s.notice.sections));
            assert_eq!(s.header.is_some(), s.ordinal == 0, "{}", s.head.id);
            Ok(())
        })
        .expect("walk");
        assert_eq!(v.sections, t.handle.reader.searcher().num_docs() as usize);
        assert_eq!(v.notices, 7);
        seen.sort();
        let before = seen.len();
        seen.dedup();
        assert_eq!(seen.len(), before, "a section twice");
        // every notice's ordinals are 0..sections
        let mut by_notice: FxHashMap<String, Vec<u64>> = FxHashMap::default();
        for (id, ord, n) in &seen {
            let v = by_notice.entry(id.clone()).or_default();
            v.push(*ord);
            assert!(*n > 0, "{id} has a section count");
        }
        for (id, ords) in by_notice {
            let n = seen.iter().find(|s| s.0 == id).map(|s| s.2).unwrap();
            assert_eq!(ords, (0..n as u64).collect::<Vec<_>>(), "{id}");
        }
    }

    #[test]
    fn the_cache_forgets_the_oldest_notice_first() {
        let mut c = HeadCache::new();
        for i in 0..=CACHED_NOTICES {
            c.put(&format!("n{i}"), Arc::new(NoticeWide::default()));
        }
        assert!(c.get("n0").is_none());
        assert!(c.get("n1").is_some());
        assert!(c.get(&format!("n{CACHED_NOTICES}")).is_some());
        assert_eq!(c.by_id.len(), CACHED_NOTICES);
    }
}
