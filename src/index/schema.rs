//! The schema (built once into a [`Fields`] struct) and the one place where a
//! [`Notice`] becomes tantivy documents.
//!
//! One document per section. Every section carries its notice's key, id,
//! path, title, agency and date (stored, so any hit can be shown on its own);
//! the title, metadata and agency are *indexed* only on the head section
//! (section 0), so a title word counts once per notice, not once per section.

use tantivy::schema::{
    DateOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument};

use crate::analysis;
use crate::notice::Notice;

/// Bumped whenever the schema, the Notice → document mapping or the way notices
/// are read changes: an index of another version is rebuilt, never half-updated.
pub const SCHEMA_VERSION: u32 = 8;

/// Handles to every field of the schema.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Notice key: a 64-bit hash of the notice id (fast field for grouping).
    pub nid: Field,
    /// Section ordinal within the notice; 0 is the head section.
    pub sec: Field,
    /// Notice id (the path relative to the corpus root), untokenized.
    pub id: Field,
    /// Path relative to the corpus root (stored).
    pub path: Field,
    /// The folder of the notice's file relative to the corpus root (`.` for
    /// the root), as a fast field: counting notices by folder reads it
    /// without loading stored documents.
    pub folder: Field,
    /// Title: jieba words (head section only).
    pub title: Field,
    /// Title as written (stored on every section).
    pub title_s: Field,
    /// Title: character bigrams (head section only).
    pub title_ng: Field,
    /// Agency: jieba words (head section only).
    pub agency: Field,
    /// Agency as written (stored on every section), also a fast field for
    /// counting notices by agency.
    pub agency_s: Field,
    /// Agency, normalised, untokenized: the `--agency` filter.
    pub agency_kw: Field,
    /// Publication date (all sections), indexed and fast for ranges.
    pub date: Field,
    /// The section's own heading: jieba words, stored.
    pub heading: Field,
    /// The section's own heading: character bigrams.
    pub heading_ng: Field,
    /// Heading path as a JSON array of strings (stored).
    pub heading_path: Field,
    /// The problem label quoted in the heading (jieba words, stored), also a
    /// fast field holding the label as written, for counting by label.
    pub issue: Field,
    /// Section text: jieba words, stored.
    pub body: Field,
    /// Everything the section holds (head: every header line), bigrams with
    /// positions: exact literal matching.
    pub ng: Field,
    /// 文号 (stored, head section).
    pub doc_number: Field,
    /// 来源 (stored, head section).
    pub source: Field,
    /// How the date was found (stored, head section).
    pub date_source: Field,
    /// The heading tree as JSON (stored, head section).
    pub outline: Field,
    /// The corpus file the notice came from (all sections): updates and
    /// removals delete by it.
    pub file: Field,
    /// JSON `{size, mtime, hash, sections}`: the file when this notice was
    /// indexed (head section), so the file record can be rebuilt from the index.
    pub file_state: Field,
}

/// What is known about a corpus file when it was indexed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (an i64 holds
    /// them until 2262; serde cannot read an i128 inside a flattened struct).
    pub mtime: i64,
    /// xxh3 hash of the content.
    pub hash: u64,
}

fn text(analyzer: &str, rec: IndexRecordOption, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(rec),
    );
    if stored { opts.set_stored() } else { opts }
}

impl Fields {
    /// The query for every notice's head document (its section 0), which
    /// carries the notice's head and its file's state.
    pub fn heads_query(&self) -> tantivy::query::TermQuery {
        tantivy::query::TermQuery::new(
            tantivy::Term::from_field_u64(self.sec, 0),
            tantivy::schema::IndexRecordOption::Basic,
        )
    }

    /// Build the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let date_opts = DateOptions::from(INDEXED).set_stored().set_fast();
        let f = Fields {
            nid: b.add_u64_field("nid", INDEXED | FAST | STORED),
            sec: b.add_u64_field("sec", INDEXED | FAST | STORED),
            id: b.add_text_field("id", STRING | STORED),
            path: b.add_text_field("path", STORED),
            // Not indexed: only counted, never searched (the path filter
            // reads the `id` terms).
            folder: b.add_text_field("folder", FAST),
            title: b.add_text_field(
                "title",
                text(analysis::JIEBA, IndexRecordOption::WithFreqs, false),
            ),
            title_s: b.add_text_field("title_s", STORED),
            title_ng: b.add_text_field(
                "title_ng",
                text(
                    analysis::BIGRAM,
                    IndexRecordOption::WithFreqsAndPositions,
                    false,
                ),
            ),
            agency: b.add_text_field(
                "agency",
                text(analysis::JIEBA, IndexRecordOption::WithFreqs, false),
            ),
            agency_s: b.add_text_field("agency_s", STORED | FAST),
            agency_kw: b.add_text_field("agency_kw", STRING),
            date: b.add_date_field("date", date_opts),
            heading: b.add_text_field(
                "heading",
                text(analysis::JIEBA, IndexRecordOption::WithFreqs, true),
            ),
            heading_ng: b.add_text_field(
                "heading_ng",
                text(
                    analysis::BIGRAM,
                    IndexRecordOption::WithFreqsAndPositions,
                    false,
                ),
            ),
            heading_path: b.add_text_field("heading_path", STORED),
            // The fast column holds the whole label (raw), the index its words.
            issue: b.add_text_field(
                "issue",
                text(analysis::JIEBA, IndexRecordOption::WithFreqs, true).set_fast("raw"),
            ),
            body: b.add_text_field(
                "body",
                text(analysis::JIEBA, IndexRecordOption::WithFreqs, true),
            ),
            ng: b.add_text_field(
                "ng",
                text(
                    analysis::BIGRAM,
                    IndexRecordOption::WithFreqsAndPositions,
                    false,
                ),
            ),
            doc_number: b.add_text_field("doc_number", STORED),
            source: b.add_text_field("source", STORED),
            date_source: b.add_text_field("date_source", STORED),
            outline: b.add_text_field("outline", STORED),
            file: b.add_text_field("file", STRING | STORED),
            file_state: b.add_text_field("file_state", STORED),
        };
        (b.build(), f)
    }

    /// Look the fields up in an existing schema; `None` if one is missing.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let g = |n: &str| schema.get_field(n).ok();
        Some(Fields {
            nid: g("nid")?,
            sec: g("sec")?,
            id: g("id")?,
            path: g("path")?,
            folder: g("folder")?,
            title: g("title")?,
            title_s: g("title_s")?,
            title_ng: g("title_ng")?,
            agency: g("agency")?,
            agency_s: g("agency_s")?,
            agency_kw: g("agency_kw")?,
            date: g("date")?,
            heading: g("heading")?,
            heading_ng: g("heading_ng")?,
            heading_path: g("heading_path")?,
            issue: g("issue")?,
            body: g("body")?,
            ng: g("ng")?,
            doc_number: g("doc_number")?,
            source: g("source")?,
            date_source: g("date_source")?,
            outline: g("outline")?,
            file: g("file")?,
            file_state: g("file_state")?,
        })
    }

    /// The tantivy documents of one notice, head section first; `file` is the
    /// corpus file it came from.
    pub fn documents(&self, n: &Notice, id: &str, file: &str) -> Vec<TantivyDocument> {
        let key = notice_key(id);
        // tantivy dates are nanoseconds in an i64: 1678–2261. A notice dated
        // outside (a misprint) is indexed without a date rather than not at all.
        let date = n
            .date
            .filter(|d| (1678..=2261).contains(&d.year))
            .map(|d| DateTime::from_timestamp_secs(d.unix_seconds()));
        let agency_kw = n.agency.as_deref().map(analysis::normalize);
        let folder = folder_of(file);
        let mut docs = Vec::with_capacity(n.sections.len());
        for (i, s) in n.sections.iter().enumerate() {
            let mut d = TantivyDocument::default();
            d.add_u64(self.nid, key);
            d.add_u64(self.sec, i as u64);
            d.add_text(self.id, id);
            d.add_text(self.file, file);
            d.add_text(self.path, &n.path);
            d.add_text(self.folder, folder);
            d.add_text(self.title_s, &n.title);
            if let Some(a) = &n.agency {
                d.add_text(self.agency_s, a);
            }
            if let Some(a) = &agency_kw {
                d.add_text(self.agency_kw, a);
            }
            if let Some(dt) = date {
                d.add_date(self.date, dt);
            }
            d.add_text(
                self.heading_path,
                serde_json::to_string(&s.heading_path).unwrap_or_default(),
            );
            if let Some(h) = &s.heading {
                d.add_text(self.heading, h);
                d.add_text(self.heading_ng, h);
            }
            if let Some(iss) = &s.issue {
                d.add_text(self.issue, iss);
            }
            d.add_text(self.body, &s.text);
            let literal = if i == 0 {
                format!("{}\n{}", n.head_raw, s.text)
            } else {
                s.text.clone()
            };
            d.add_text(self.ng, &literal);
            if i == 0 {
                d.add_text(self.title, &n.title);
                d.add_text(self.title_ng, &n.title);
                if let Some(a) = &n.agency {
                    d.add_text(self.agency, a);
                }
                if let Some(x) = &n.doc_number {
                    d.add_text(self.doc_number, x);
                }
                if let Some(x) = &n.source {
                    d.add_text(self.source, x);
                }
                if let Some(x) = &n.date_source {
                    d.add_text(self.date_source, x);
                }
                d.add_text(
                    self.outline,
                    serde_json::to_string(&n.headings).unwrap_or_default(),
                );
            }
            docs.push(d);
        }
        docs
    }
}

/// The folder of a corpus file (a path relative to the corpus root with `/`
/// separators), `.` for a file at the root.
fn folder_of(file: &str) -> &str {
    match file.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir,
        _ => ".",
    }
}

/// The 64-bit key of a notice id (FNV-1a): stable across builds and platforms.
pub fn notice_key(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
