//! `search`: the parameters a person gives (strings, as typed on a command
//! line or in a URL), validated into a [`SearchRequest`], and the results.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::notice::Ymd;
use crate::search::{self, FacetKind, SearchRequest, SearchResults, SortOrder};

/// Notices per page when no limit is given.
pub const DEFAULT_LIMIT: usize = 10;

/// Result order, as named in parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// What to search for and how to show it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    /// The query (see `search::query` for the syntax). May be empty when a
    /// filter is given: then every notice that passes is listed, newest first.
    pub q: String,
    /// Keep notices whose issuing body contains any of these.
    pub agency: Vec<String>,
    /// Keep notices dated on or after this day: `YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD` (also with `/` or `.`); a year or month means its first day.
    pub from: Option<String>,
    /// Keep notices dated on or before this day; a year or month means its last day.
    pub to: Option<String>,
    /// Result order.
    pub sort: Sort,
    /// Notices per page (default [`DEFAULT_LIMIT`]).
    pub limit: Option<usize>,
    /// Notices to skip (paging).
    pub offset: usize,
    /// Leave the snippets out (lists of paths, tables).
    pub no_snippets: bool,
    /// Keep notices under any of these folders (or files) of the corpus.
    pub path: Vec<String>,
    /// Count the matching notices by these facets (`agency`, `year`,
    /// `month`, `folder`, `top-folder`, `issue`; each value may list several
    /// separated by commas).
    pub count_by: Vec<String>,
}

impl SearchParams {
    /// Validate the parameters into a request; a bad value is an
    /// [`Error::Param`] naming the parameter.
    pub fn request(&self) -> Result<SearchRequest> {
        let from = self
            .from
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| parse_date_bound(v, false, "from"))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| parse_date_bound(v, true, "to"))
            .transpose()?;
        if let (Some(a), Some(b), Some(raw)) = (from, to, &self.from)
            && a > b
        {
            return Err(Error::Param {
                param: "from".into(),
                value: raw.clone(),
                reason: format!("the range starts ({a}) after it ends ({b})"),
            });
        }
        Ok(SearchRequest {
            query: self.q.clone(),
            agencies: self
                .agency
                .iter()
                .filter(|s| !s.trim().is_empty())
                .cloned()
                .collect(),
            from,
            to,
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            offset: self.offset,
            sort: match self.sort {
                Sort::Relevance => SortOrder::Relevance,
                Sort::Date => SortOrder::Date,
            },
            no_snippets: self.no_snippets,
            paths: self
                .path
                .iter()
                .filter(|s| !s.trim().is_empty())
                .cloned()
                .collect(),
            count_by: self.facets()?,
        })
    }

    /// The same search as a list of every match (paths, a table): no page
    /// limit unless one was given, and no snippets.
    pub fn whole_list(mut self) -> SearchParams {
        self.limit = Some(self.limit.unwrap_or(usize::MAX));
        self.no_snippets = true;
        self
    }

    /// The facets asked for, in order, each once.
    fn facets(&self) -> Result<Vec<FacetKind>> {
        let mut out: Vec<FacetKind> = Vec::new();
        for list in &self.count_by {
            let kinds = FacetKind::parse_list(list).map_err(|e| Error::Param {
                param: "count-by".into(),
                value: list.clone(),
                reason: match e {
                    Error::Filter { reason, .. } => reason,
                    e => e.to_string(),
                },
            })?;
            for k in kinds {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        Ok(out)
    }
}

/// Run a search.
pub fn search(handle: &IndexHandle, p: &SearchParams) -> Result<SearchResults> {
    search::search(handle, &p.request()?)
}

/// Parse a date bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or
/// `.`). `end` picks the last day of a year or month; `param` names the
/// parameter in the error.
pub fn parse_date_bound(value: &str, end: bool, param: &str) -> Result<Ymd> {
    let bad = |reason: &str| Error::Param {
        param: param.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = value.trim().split(['-', '/', '.']).collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let expected = "expected YYYY, YYYY-MM or YYYY-MM-DD";
    let year = parts
        .first()
        .and_then(|s| (s.len() == 4).then(|| num(s)).flatten())
        .ok_or_else(|| bad(expected))?;
    let y = year as i32;
    match parts.len() {
        1 => Ymd::new(y, if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        2 => {
            let m = num(parts[1]).ok_or_else(|| bad(expected))?;
            if !(1..=12).contains(&m) {
                return Err(bad("month must be 1-12"));
            }
            if end {
                Ymd::end_of_month(y, m)
            } else {
                Ymd::new(y, m, 1)
            }
        }
        3 => {
            let m = num(parts[1]).ok_or_else(|| bad(expected))?;
            let d = num(parts[2]).ok_or_else(|| bad(expected))?;
            if !(1..=12).contains(&m) {
                return Err(bad("month must be 1-12"));
            }
            Some(Ymd::new(y, m, d).ok_or_else(|| bad("no such day"))?)
        }
        _ => None,
    }
    .ok_or_else(|| bad(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(v: &str, end: bool) -> String {
        parse_date_bound(v, end, "from")
            .map(|d| d.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn date_bounds() {
        assert_eq!(day("2024", false), "2024-01-01");
        assert_eq!(day("2024", true), "2024-12-31");
        assert_eq!(day("2024-02", true), "2024-02-29");
        assert_eq!(day("2023-02", true), "2023-02-28");
        assert_eq!(day("2024/10/15", false), "2024-10-15");
        let e = day("2024-13-45", false);
        assert!(e.contains("from") && e.contains("2024-13-45"), "{e}");
        for bad in ["2023-02-30", "yesterday", "24-01-01", "2024-1-2-3"] {
            assert!(day(bad, false).starts_with("error"), "{bad}");
        }
    }

    #[test]
    fn params_default_and_validate() {
        let p: SearchParams = serde_json::from_str(r#"{"q": "巡察"}"#).unwrap();
        let r = p.request().unwrap();
        assert_eq!((r.limit, r.offset, r.sort), (10, 0, SortOrder::Relevance));
        let p = SearchParams {
            from: Some("2024-05".into()),
            to: Some("2024-01".into()),
            ..SearchParams::default()
        };
        let e = p.request().unwrap_err().to_string();
        assert!(e.contains("from") && e.contains("2024-05"), "{e}");
        // blank filters are no filters
        let p = SearchParams {
            agency: vec![" ".into()],
            from: Some("".into()),
            ..SearchParams::default()
        };
        let r = p.request().unwrap();
        assert!(r.agencies.is_empty() && r.from.is_none());
    }
}
