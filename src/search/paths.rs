//! The path filter: notices whose file lies in a folder of the corpus (a
//! source such as `ccdi`, or a sub-folder such as `ccdi/2024`) or is a given
//! file, matched on whole path components, so `ccdi` takes in `ccdi/a.txt`
//! and `ccdi/2024/b.txt` but not `ccdi2/x.txt`.
//!
//! It reads the terms of the untokenized `id` field (the path relative to
//! the corpus root; `<file>#<n>` for a record of a crawler export): a notice
//! is under `p` when its id is `p`, starts with `p/`, or starts with `p#`.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::error::{Error, Result};
use crate::index::Fields;

/// A path filter value as a prefix of notice ids: `/`-separated, without
/// `.` or empty components (`./ccdi/`, `ccdi\2024` and `ccdi//2024/` are
/// `ccdi` and `ccdi/2024`); the empty string is the corpus root. An absolute
/// path is taken relative to `corpus` (the folder the index was built from)
/// when it lies inside it. `..` is refused: nothing outside is indexed.
///
/// A backslash is read as a separator, so a file whose name holds one
/// (stored as `\\` in its id) cannot be named; its folder can.
pub(crate) fn prefix(value: &str, corpus: &str) -> Result<String> {
    let bad = |reason: String| Error::Filter {
        what: "path".into(),
        value: value.to_string(),
        reason,
    };
    let unified = |s: &str| s.trim().replace('\\', "/");
    let components = |s: &str| -> Vec<String> {
        s.split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .map(str::to_string)
            .collect()
    };
    let v = unified(value);
    let mut parts = components(&v);
    if v.starts_with('/') {
        let root = unified(corpus);
        let root_parts = components(&root);
        if !root.starts_with('/') || !parts.starts_with(&root_parts) {
            return Err(bad(format!(
                "a path is relative to the corpus folder ({corpus}), or lies inside it"
            )));
        }
        parts.drain(..root_parts.len());
    }
    if parts.iter().any(|c| c == "..") {
        return Err(bad("a path cannot leave the corpus folder (..)".into()));
    }
    Ok(parts.join("/"))
}

/// The sections of the notices under any of `values` (see [`prefix`]);
/// `None` without values, or when one of them is the corpus root, which
/// holds every notice.
pub(crate) fn query(f: &Fields, corpus: &str, values: &[String]) -> Result<Option<Box<dyn Query>>> {
    if values.is_empty() {
        // (a boolean query without clauses would match nothing)
        return Ok(None);
    }
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for v in values {
        let p = prefix(v, corpus)?;
        if p.is_empty() {
            return Ok(None);
        }
        let id = |s: &str| Term::from_field_text(f.id, s);
        alternatives.push((
            Occur::Should,
            Box::new(TermQuery::new(id(&p), IndexRecordOption::Basic)),
        ));
        // Below a folder (`p/…`) and the records of an export (`p#…`): the
        // ids from `p/` up to `p0`, and from `p#` up to `p$` ('0' and '$'
        // are the bytes right after '/' and '#').
        for (from, to) in [('/', '0'), ('#', '$')] {
            alternatives.push((
                Occur::Should,
                Box::new(RangeQuery::new(
                    Bound::Included(id(&format!("{p}{from}"))),
                    Bound::Excluded(id(&format!("{p}{to}"))),
                )),
            ));
        }
    }
    Ok(Some(Box::new(BooleanQuery::new(alternatives))))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::search::testing::{self, COUNTY, TestIndex};
    use crate::search::{SearchRequest, search};

    fn county() -> &'static TestIndex {
        static INDEX: OnceLock<TestIndex> = OnceLock::new();
        INDEX.get_or_init(|| testing::build(COUNTY))
    }

    /// The ids of every notice matching `query` under `paths`, sorted.
    fn ids(query: &str, paths: &[&str]) -> Vec<String> {
        let req = SearchRequest {
            query: query.into(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            limit: 100,
            ..Default::default()
        };
        let mut v: Vec<String> = search(&county().handle, &req)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.head.id)
            .collect();
        v.sort();
        v
    }

    #[test]
    fn values_are_normalised() {
        let p = |v: &str| prefix(v, "/data/corpus").expect(v);
        assert_eq!(p("ccdi"), "ccdi");
        assert_eq!(p("./ccdi/"), "ccdi");
        assert_eq!(p("ccdi\\2024\\"), "ccdi/2024");
        assert_eq!(p(" ccdi//2024/./a.txt "), "ccdi/2024/a.txt");
        assert_eq!(p("."), "");
        assert_eq!(p("/data/corpus/ccdi"), "ccdi");
        assert_eq!(p("/data/corpus"), "");
        let e = prefix("/elsewhere/ccdi", "/data/corpus")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/elsewhere/ccdi") && e.contains("/data/corpus"),
            "{e}"
        );
        assert!(prefix("/data/corpus/ccdi", "corpus").is_err());
        assert!(prefix("ccdi/../x", "/data/corpus").is_err());
    }

    #[test]
    fn a_folder_takes_in_its_sub_folders_on_component_boundaries() {
        let county = [
            "county/edu/c.txt",
            "county/finance/a.txt",
            "county/finance/b.txt",
        ];
        assert_eq!(ids("", &["county"]), county);
        assert_eq!(ids("", &["./county/"]), county);
        // not county2/d.txt, and a partial component names nothing
        assert_eq!(ids("", &["county2"]), ["county2/d.txt"]);
        assert!(ids("", &["count"]).is_empty());
        assert!(ids("", &["county/fin"]).is_empty());
        assert_eq!(
            ids("", &["county/finance"]),
            ["county/finance/a.txt", "county/finance/b.txt"]
        );
    }

    #[test]
    fn a_file_path_names_that_file_and_an_export_its_records() {
        assert_eq!(ids("", &["county/finance/a.txt"]), ["county/finance/a.txt"]);
        assert_eq!(
            ids("", &["county\\finance\\a.txt"]),
            ["county/finance/a.txt"]
        );
        assert_eq!(
            ids("", &["exports/n.jsonl"]),
            ["exports/n.jsonl#1", "exports/n.jsonl#2"]
        );
        assert_eq!(ids("", &["exports/n.jsonl#2"]), ["exports/n.jsonl#2"]);
    }

    #[test]
    fn paths_are_alternatives_and_combine_with_the_query() {
        assert_eq!(
            ids("", &["county2", "county/edu"]),
            ["county/edu/c.txt", "county2/d.txt"]
        );
        assert_eq!(
            ids("差旅费", &["county"]),
            ["county/finance/a.txt", "county/finance/b.txt"]
        );
        // the corpus root holds everything
        assert_eq!(ids("差旅费", &["."]).len(), 4);
        assert_eq!(ids("", &["."]).len(), 7);
    }

    #[test]
    fn a_bad_path_is_an_error_naming_it() {
        let req = SearchRequest {
            paths: vec!["../x".into()],
            limit: 10,
            ..Default::default()
        };
        let e = search(&county().handle, &req).unwrap_err().to_string();
        assert!(e.contains("../x"), "{e}");
    }
}
