//! Counting the matching notices by facet: agency, year, month, folder,
//! top-level folder and problem label (what an inspection office reads
//! across a county's notices: how many name 未严格执行差旅费管理制度).
//!
//! Counts are numbers of *notices*, over every matching notice (not just the
//! page shown), and are read from fast fields, never from stored documents:
//! one section stands for its notice for the notice-wide facets (every
//! section carries its notice's agency, date and folder), and a problem
//! label counts a notice once however many of its sections carry it.
//!
//! A notice without an agency or a date is left out of that facet rather
//! than counted under a made-up value that could be mistaken for a real
//! agency (or fed back as a filter); for the single-valued facets the
//! matching total minus the counts' sum is the number of such notices.

use std::fmt;
use std::str::FromStr;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use tantivy::columnar::StrColumn;
use tantivy::query::ExistsQuery;
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, SegmentReader};

use super::exec::Executor;
use super::matching::Matches;
use super::query::{ParsedQuery, Scope};
use crate::error::{Error, Result};
use crate::notice::Ymd;

/// What the matching notices can be counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FacetKind {
    /// The issuing body as written (`中共某县财政局党组`).
    Agency,
    /// The year of the notice's date (`2024`).
    Year,
    /// The month of the notice's date (`2024-03`).
    Month,
    /// The folder of the notice's file relative to the corpus root
    /// (`ccdi/2024`; `.` for a file at the root).
    Folder,
    /// The top-level folder of the notice's file: the source it was
    /// collected from (`ccdi`; `.` for a file at the root). The same as
    /// `folder` in a corpus one folder deep.
    TopFolder,
    /// The problem labels of the matching sections (`未严格执行差旅费管理制度`);
    /// of all the notice's sections for a listing by filters alone.
    Issue,
}

impl FacetKind {
    /// Every facet, in the order they are documented.
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Agency,
        FacetKind::Year,
        FacetKind::Month,
        FacetKind::Folder,
        FacetKind::TopFolder,
        FacetKind::Issue,
    ];

    /// The facet's name: its JSON key and what [`FromStr`] reads.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Agency => "agency",
            FacetKind::Year => "year",
            FacetKind::Month => "month",
            FacetKind::Folder => "folder",
            FacetKind::TopFolder => "top-folder",
            FacetKind::Issue => "issue",
        }
    }

    /// A comma-separated list of names (`agency,year`), each once, in the
    /// order first given; blanks around names are ignored.
    pub fn parse_list(s: &str) -> Result<Vec<FacetKind>> {
        let mut out = Vec::new();
        for name in s
            .split([',', '，'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let k: FacetKind = name.parse()?;
            if !out.contains(&k) {
                out.push(k);
            }
        }
        Ok(out)
    }
}

impl fmt::Display for FacetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FacetKind {
    type Err = Error;

    /// A facet by name, ignoring case (`top_folder` is read as `top-folder`).
    fn from_str(s: &str) -> Result<FacetKind> {
        let want = s.trim().to_ascii_lowercase().replace('_', "-");
        FacetKind::ALL
            .into_iter()
            .find(|k| k.name() == want)
            .ok_or_else(|| Error::Filter {
                what: "facet".into(),
                value: s.to_string(),
                reason: format!(
                    "expected one of {}",
                    FacetKind::ALL.map(FacetKind::name).join(", ")
                ),
            })
    }
}

/// One value of a facet and the number of matching notices that have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value (an agency, `2024`, `2024-03`, a folder, a problem label).
    pub value: String,
    /// Matching notices with this value.
    pub count: usize,
}

/// The counts of one facet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facet {
    /// The facet.
    pub kind: FacetKind,
    /// Its values, most notices first, then by value.
    pub counts: Vec<FacetCount>,
}

/// The facets asked for, in the order asked. Serialized as a JSON object
/// keyed by facet name, each a list of `{value, count}`:
/// `{"agency": [{"value": "外交部", "count": 12}], "year": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets(pub Vec<Facet>);

impl Facets {
    /// True when no facet was asked for.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The counts of `kind`, when it was asked for.
    pub fn get(&self, kind: FacetKind) -> Option<&[FacetCount]> {
        self.0
            .iter()
            .find(|f| f.kind == kind)
            .map(|f| f.counts.as_slice())
    }

    /// The facets in the order asked.
    pub fn iter(&self) -> impl Iterator<Item = &Facet> {
        self.0.iter()
    }
}

impl Serialize for Facets {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            map.serialize_entry(f.kind.name(), &f.counts)?;
        }
        map.end()
    }
}

/// Which sections' problem labels count for a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LabelSections {
    /// Every section of the notice.
    All,
    /// The sections that matched one of these clauses (bit i = clause i).
    Matched(u64),
}

impl LabelSections {
    /// For a query: the sections matched by its clauses that look into
    /// sections. A clause only about the notice as a whole (its title,
    /// agency or document number, all held by the head section) matches no
    /// section in particular, so it acts like a filter; a query made only
    /// of such clauses, or none, counts every section's label.
    pub(crate) fn of(parsed: &ParsedQuery) -> LabelSections {
        let mut mask = 0u64;
        for (ci, clause) in parsed.clauses.iter().enumerate() {
            let in_sections = clause
                .iter()
                .any(|a| matches!(a.scope, Scope::Any | Scope::Heading | Scope::Issue));
            if in_sections {
                // the clause bits of matching::match_clauses
                mask |= 1u64 << ci.min(63);
            }
        }
        if mask == 0 {
            LabelSections::All
        } else {
            LabelSections::Matched(mask)
        }
    }
}

/// Count the notices of `m` by each of `kinds` (each once, in order).
pub(crate) fn count(
    ex: &Executor,
    m: &Matches,
    kinds: &[FacetKind],
    labels: LabelSections,
) -> Result<Facets> {
    let mut out = Facets::default();
    let mut reps: Option<FxHashMap<u32, Vec<DocId>>> = None;
    for &kind in kinds {
        if out.get(kind).is_some() {
            continue;
        }
        let values = if kind == FacetKind::Issue {
            count_labels(ex, m, labels)?
        } else {
            let reps = reps.get_or_insert_with(|| representatives(m));
            count_notices(ex, reps, kind)?
        };
        let mut counts: Vec<FacetCount> = values
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out.0.push(Facet { kind, counts });
    }
    Ok(out)
}

/// One section of every matching notice, by segment: it stands for its
/// notice in the facets every section carries (agency, date, folder).
fn representatives(m: &Matches) -> FxHashMap<u32, Vec<DocId>> {
    let mut chosen: FxHashMap<u64, DocAddress> = FxHashMap::default();
    chosen.reserve(m.notices.len());
    for (k, h) in &m.heads {
        if m.notices.contains_key(k) {
            chosen.insert(*k, *h);
        }
    }
    // A notice matched by a query has no head address, but sections in the runs.
    for s in m.runs.iter().flat_map(|(_, run)| run) {
        if chosen.len() == m.notices.len() {
            break;
        }
        if m.notices.contains_key(&s.nid) {
            chosen.entry(s.nid).or_insert(s.addr);
        }
    }
    let mut by_segment: FxHashMap<u32, Vec<DocId>> = FxHashMap::default();
    for a in chosen.into_values() {
        by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    by_segment
}

fn field_name(ex: &Executor, field: Field) -> String {
    ex.searcher.schema().get_field_name(field).to_string()
}

/// The text column of `field` in a segment; `None` when no document of the
/// segment has a value.
fn str_column(seg: &SegmentReader, name: &str) -> Result<Option<StrColumn>> {
    Ok(seg.fast_fields().str(name)?)
}

/// The texts of the term ordinals `ords` of `col`, each with its ordinal.
/// One pass over the dictionary in ordinal order: looking each ordinal up
/// on its own decodes its dictionary block again, which made counting 250
/// agencies cost more than the search.
fn ords_text(col: &StrColumn, mut ords: Vec<u64>) -> Result<Vec<(u64, String)>> {
    ords.sort_unstable();
    ords.dedup();
    let mut texts = Vec::with_capacity(ords.len());
    col.dictionary()
        .sorted_ords_to_term_cb(&ords, |b| {
            texts.push(String::from_utf8_lossy(b).into_owned());
        })
        .map_err(|e| Error::io("reading a fast field's dictionary", e))?;
    // (an ordinal not found ends the pass: the texts are a prefix)
    Ok(ords.into_iter().zip(texts).collect())
}

/// The top-level folder of a folder (`ccdi/2024` → `ccdi`).
fn top_folder(folder: &str) -> &str {
    folder.split('/').next().unwrap_or(folder)
}

/// Notices per value of a notice-wide facet, reading each notice's
/// representative section.
fn count_notices(
    ex: &Executor,
    reps: &FxHashMap<u32, Vec<DocId>>,
    kind: FacetKind,
) -> Result<FxHashMap<String, usize>> {
    let mut out: FxHashMap<String, usize> = FxHashMap::default();
    for (&seg_ord, docs) in reps {
        let seg = ex.searcher.segment_reader(seg_ord);
        match kind {
            FacetKind::Year | FacetKind::Month => {
                let col = seg.fast_fields().date(&field_name(ex, ex.f.date))?;
                // (year, month or 0): formatted once per value, not per notice
                let mut per: FxHashMap<(i32, u8), usize> = FxHashMap::default();
                for &d in docs {
                    let Some(ymd) = col
                        .first(d)
                        .and_then(|t| Ymd::from_unix_seconds(t.into_timestamp_secs()))
                    else {
                        continue;
                    };
                    let month = if kind == FacetKind::Month {
                        ymd.month
                    } else {
                        0
                    };
                    *per.entry((ymd.year, month)).or_insert(0) += 1;
                }
                for ((y, mo), c) in per {
                    let v = if mo == 0 {
                        format!("{y:04}")
                    } else {
                        format!("{y:04}-{mo:02}")
                    };
                    *out.entry(v).or_insert(0) += c;
                }
            }
            FacetKind::Agency | FacetKind::Folder | FacetKind::TopFolder => {
                let field = if kind == FacetKind::Agency {
                    ex.f.agency_s
                } else {
                    ex.f.folder
                };
                let Some(col) = str_column(seg, &field_name(ex, field))? else {
                    continue;
                };
                let mut per_ord: FxHashMap<u64, usize> = FxHashMap::default();
                for &d in docs {
                    if let Some(o) = col.term_ords(d).next() {
                        *per_ord.entry(o).or_insert(0) += 1;
                    }
                }
                let texts = ords_text(&col, per_ord.keys().copied().collect())?;
                for (o, v) in texts {
                    let c = per_ord.get(&o).copied().unwrap_or(0);
                    let v = if kind == FacetKind::TopFolder {
                        top_folder(&v).to_string()
                    } else {
                        v
                    };
                    *out.entry(v).or_insert(0) += c;
                }
            }
            FacetKind::Issue => {}
        }
    }
    Ok(out)
}

/// Notices per problem label: a notice counts once for each label some of
/// its counted sections carry.
fn count_labels(
    ex: &Executor,
    m: &Matches,
    labels: LabelSections,
) -> Result<FxHashMap<String, usize>> {
    let name = field_name(ex, ex.f.issue);
    // The sections whose labels count, as (notice, address).
    let sections: Vec<(u64, DocAddress)> = match labels {
        LabelSections::Matched(mask) => m
            .runs
            .iter()
            .filter(|(bit, _)| bit & mask != 0)
            .flat_map(|(_, run)| run)
            .filter(|s| m.notices.contains_key(&s.nid))
            .map(|s| (s.nid, s.addr))
            .collect(),
        LabelSections::All => {
            // only the sections that carry a label, of the matching notices
            ex.run_only(
                &ExistsQuery::new(name.clone(), false),
                false,
                Some(&m.notices),
            )?
            .into_iter()
            .map(|s| (s.nid, s.addr))
            .collect()
        }
    };
    // Term ordinals are per segment, and a notice's sections may lie in
    // several segments: (notice, ordinal) per segment first, then by text.
    let columns: Vec<Option<StrColumn>> = ex
        .searcher
        .segment_readers()
        .iter()
        .map(|seg| str_column(seg, &name))
        .collect::<Result<_>>()?;
    let mut pairs: FxHashMap<u32, FxHashSet<(u64, u64)>> = FxHashMap::default();
    for (nid, a) in sections {
        if let Some(Some(col)) = columns.get(a.segment_ord as usize) {
            let set = pairs.entry(a.segment_ord).or_default();
            for o in col.term_ords(a.doc_id) {
                set.insert((nid, o));
            }
        }
    }
    // labels by text, each with the notices carrying it
    let mut label_ids: FxHashMap<String, usize> = FxHashMap::default();
    let mut notices_of: Vec<FxHashSet<u64>> = Vec::new();
    for (seg_ord, set) in pairs {
        let Some(Some(col)) = columns.get(seg_ord as usize) else {
            continue;
        };
        let ords: Vec<u64> = set.iter().map(|&(_, o)| o).collect();
        let ids: FxHashMap<u64, usize> = ords_text(col, ords)?
            .into_iter()
            .map(|(o, t)| {
                let id = *label_ids.entry(t).or_insert_with(|| {
                    notices_of.push(FxHashSet::default());
                    notices_of.len() - 1
                });
                (o, id)
            })
            .collect();
        for (nid, o) in set {
            if let Some(n) = ids.get(&o).and_then(|&i| notices_of.get_mut(i)) {
                n.insert(nid);
            }
        }
    }
    Ok(label_ids
        .into_iter()
        .map(|(label, i)| (label, notices_of.get(i).map_or(0, FxHashSet::len)))
        .collect())
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

    fn facets(query: &str, paths: &[&str], limit: usize) -> (usize, Facets) {
        let req = SearchRequest {
            query: query.into(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            count_by: FacetKind::ALL.to_vec(),
            limit,
            ..Default::default()
        };
        let r = search(&county().handle, &req).expect("search");
        (r.total, r.facets)
    }

    fn counts(f: &Facets, kind: FacetKind) -> Vec<(String, usize)> {
        f.get(kind)
            .expect("facet asked for")
            .iter()
            .map(|c| (c.value.clone(), c.count))
            .collect()
    }

    fn pairs(v: &[(&str, usize)]) -> Vec<(String, usize)> {
        v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    }

    #[test]
    fn names_parse_and_print() {
        assert_eq!(
            FacetKind::parse_list(" agency, YEAR，top_folder,agency ,").expect("list"),
            [FacetKind::Agency, FacetKind::Year, FacetKind::TopFolder]
        );
        for k in FacetKind::ALL {
            assert_eq!(k.to_string().parse::<FacetKind>().expect("own name"), k);
            assert_eq!(
                serde_json::to_value(k).expect("json"),
                serde_json::Value::String(k.name().into())
            );
        }
        let e = "agencies".parse::<FacetKind>().unwrap_err().to_string();
        assert!(e.contains("agencies") && e.contains("top-folder"), "{e}");
    }

    #[test]
    fn each_facet_counts_matching_notices() {
        // 差旅费: a, b (finance), d (the other district), root.txt
        let (total, f) = facets("差旅费", &[], 10);
        assert_eq!(total, 4);
        // root.txt names no agency and no date: left out, not counted
        assert_eq!(
            counts(&f, FacetKind::Agency),
            pairs(&[("中共某县财政局党组", 2), ("中共某区教育局党组", 1)])
        );
        assert_eq!(counts(&f, FacetKind::Year), pairs(&[("2024", 3)]));
        assert_eq!(
            counts(&f, FacetKind::Month),
            pairs(&[("2024-03", 2), ("2024-05", 1)])
        );
        assert_eq!(
            counts(&f, FacetKind::Folder),
            pairs(&[("county/finance", 2), (".", 1), ("county2", 1)])
        );
        assert_eq!(
            counts(&f, FacetKind::TopFolder),
            pairs(&[("county", 2), (".", 1), ("county2", 1)])
        );
    }

    #[test]
    fn issue_counts_notices_with_a_matching_section_of_that_label() {
        let (_, f) = facets("差旅费", &[], 10);
        // a carries 未严格执行差旅费管理制度 on two matching sections: one
        // notice; b's 学习贯彻不够 section does not mention 差旅费, d's does.
        assert_eq!(
            counts(&f, FacetKind::Issue),
            pairs(&[
                ("未严格执行差旅费管理制度", 2),
                ("公务用车管理不规范", 1),
                ("学习贯彻不够", 1),
            ])
        );
    }

    #[test]
    fn a_listing_by_filters_counts_every_section_label() {
        let (total, f) = facets("", &["county"], 10);
        assert_eq!(total, 3);
        assert_eq!(
            counts(&f, FacetKind::Issue),
            pairs(&[
                ("公务用车管理不规范", 2),
                ("未严格执行差旅费管理制度", 2),
                ("学习贯彻不够", 1),
            ])
        );
        assert_eq!(
            counts(&f, FacetKind::Folder),
            pairs(&[("county/finance", 2), ("county/edu", 1)])
        );
    }

    #[test]
    fn a_query_about_the_notice_as_a_whole_counts_every_section_label() {
        // agency: matches the head section only, which carries no label
        let (total, f) = facets("agency:教育局", &[], 10);
        assert_eq!(total, 2);
        assert_eq!(
            counts(&f, FacetKind::Issue),
            pairs(&[("公务用车管理不规范", 1), ("学习贯彻不够", 1)])
        );
    }

    #[test]
    fn facets_cover_every_match_not_just_the_page() {
        let (total, f) = facets("差旅费", &[], 1);
        assert_eq!(total, 4);
        let sum: usize = f
            .get(FacetKind::TopFolder)
            .expect("asked")
            .iter()
            .map(|c| c.count)
            .sum();
        assert_eq!(sum, 4);
        let req = SearchRequest {
            query: "差旅费".into(),
            count_by: vec![FacetKind::Agency],
            limit: 0,
            ..Default::default()
        };
        let r = search(&county().handle, &req).expect("search");
        assert!(r.hits.is_empty());
        assert_eq!(
            counts(&r.facets, FacetKind::Agency),
            pairs(&[("中共某县财政局党组", 2), ("中共某区教育局党组", 1)])
        );
    }

    #[test]
    fn excluded_notices_are_not_counted() {
        let (total, f) = facets("差旅费 -公务用车", &[], 10);
        assert_eq!(total, 3);
        assert_eq!(
            counts(&f, FacetKind::Agency),
            pairs(&[("中共某区教育局党组", 1), ("中共某县财政局党组", 1)])
        );
        assert_eq!(
            counts(&f, FacetKind::Issue),
            pairs(&[("学习贯彻不够", 1), ("未严格执行差旅费管理制度", 1)])
        );
    }

    #[test]
    fn json_has_facets_by_name_in_the_order_asked_and_none_when_not_asked() {
        let h = &county().handle;
        let mut req = SearchRequest {
            query: "差旅费".into(),
            count_by: vec![FacetKind::Year, FacetKind::Agency],
            limit: 10,
            ..Default::default()
        };
        let json = serde_json::to_string(&search(h, &req).expect("search")).expect("json");
        let tail = &json[json.find("\"facets\"").expect("facets in the JSON")..];
        assert!(
            tail.starts_with(
                "\"facets\":{\"year\":[{\"value\":\"2024\",\"count\":3}],\"agency\":[{\"value\":\"中共某县财政局党组\",\"count\":2},"
            ),
            "{tail}"
        );
        req.count_by.clear();
        let v = serde_json::to_value(search(h, &req).expect("search")).expect("json");
        assert!(v.get("facets").is_none(), "{v}");
    }

    #[test]
    fn export_records_are_notices_of_their_file_folder() {
        let (total, f) = facets("", &["exports"], 10);
        assert_eq!(total, 2);
        assert_eq!(counts(&f, FacetKind::Folder), pairs(&[("exports", 2)]));
        assert_eq!(
            counts(&f, FacetKind::Month),
            pairs(&[("2023-06", 1), ("2023-07", 1)])
        );
        assert_eq!(
            counts(&f, FacetKind::Agency),
            pairs(&[("某某县人民政府办公室", 2)])
        );
        assert_eq!(counts(&f, FacetKind::Issue), pairs(&[]));
    }
}
