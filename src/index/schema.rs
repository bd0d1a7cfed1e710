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

use tantivy::schema::Value;

use crate::analysis;
use crate::notice::{Heading, Notice, NoticeHead, Ymd};

/// Bumped whenever the schema, the Notice → document mapping or the way notices
/// are read changes: an index of another version is rebuilt, never half-updated.
pub const SCHEMA_VERSION: u32 = 12;

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
    /// Title: Latin runs, with positions (head section only).
    pub title_latin: Field,
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
    /// The section's own heading: Latin runs, with positions.
    pub heading_latin: Field,
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
    /// What `ng` holds, as Latin runs with positions: a Latin run of a query
    /// matches whole runs only.
    pub latin: Field,
    /// What `ng` holds, as its common pairs (four characters made of two
    /// common bigrams, see `analysis::common_pair`) with their counts: such
    /// a literal is one term here instead of a phrase of two bigrams.
    pub pairs: Field,
    /// 文号 (stored, every section).
    pub doc_number: Field,
    /// 来源 (stored, head section).
    pub source: Field,
    /// How the date was found (stored, head section).
    pub date_source: Field,
    /// The heading tree as JSON (stored, head section).
    pub outline: Field,
    /// The lines before the first heading as read (stored, head section):
    /// with the section text, what `ng` indexed there.
    pub head_raw: Field,
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

/// A Latin-run field: positions, so a run with punctuation is a phrase.
fn latin_options() -> TextOptions {
    text(
        analysis::LATIN,
        IndexRecordOption::WithFreqsAndPositions,
        false,
    )
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
            title_latin: b.add_text_field("title_latin", latin_options()),
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
            heading_latin: b.add_text_field("heading_latin", latin_options()),
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
            latin: b.add_text_field("latin", latin_options()),
            // (scored with the bigram field's lengths: no norms of its own)
            pairs: b.add_text_field(
                "pairs",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analysis::PAIR)
                        .set_index_option(IndexRecordOption::WithFreqs)
                        .set_fieldnorms(false),
                ),
            ),
            doc_number: b.add_text_field("doc_number", STORED),
            source: b.add_text_field("source", STORED),
            date_source: b.add_text_field("date_source", STORED),
            outline: b.add_text_field("outline", STORED),
            head_raw: b.add_text_field("head_raw", STORED),
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
            title_latin: g("title_latin")?,
            agency: g("agency")?,
            agency_s: g("agency_s")?,
            agency_kw: g("agency_kw")?,
            date: g("date")?,
            heading: g("heading")?,
            heading_ng: g("heading_ng")?,
            heading_latin: g("heading_latin")?,
            heading_path: g("heading_path")?,
            issue: g("issue")?,
            body: g("body")?,
            ng: g("ng")?,
            latin: g("latin")?,
            pairs: g("pairs")?,
            doc_number: g("doc_number")?,
            source: g("source")?,
            date_source: g("date_source")?,
            outline: g("outline")?,
            head_raw: g("head_raw")?,
            file: g("file")?,
            file_state: g("file_state")?,
        })
    }

    /// The tantivy documents of one notice, head section first; `file` is the
    /// corpus file it came from. [`Fields::head`], [`Fields::section`] and
    /// [`Fields::head_extras`] read them back.
    pub fn documents(&self, n: &Notice, file: &str) -> Vec<TantivyDocument> {
        let id = n.head.id.as_str();
        let key = notice_key(id);
        // tantivy dates are nanoseconds in an i64: 1678–2261. A notice dated
        // outside (a misprint) is indexed without a date rather than not at all.
        let date = n
            .head
            .date
            .filter(|d| (1678..=2261).contains(&d.year))
            .map(|d| DateTime::from_timestamp_secs(d.unix_seconds()));
        let agency_kw = n.head.agency.as_deref().map(analysis::normalize);
        let folder = folder_of(file);
        let mut docs = Vec::with_capacity(n.sections.len());
        for (i, s) in n.sections.iter().enumerate() {
            let mut d = TantivyDocument::default();
            d.add_u64(self.nid, key);
            d.add_u64(self.sec, i as u64);
            d.add_text(self.id, id);
            d.add_text(self.file, file);
            d.add_text(self.path, &n.head.path);
            d.add_text(self.folder, folder);
            d.add_text(self.title_s, &n.head.title);
            if let Some(a) = &n.head.agency {
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
                d.add_text(self.heading_latin, h);
            }
            if let Some(iss) = &s.issue {
                d.add_text(self.issue, iss);
            }
            d.add_text(self.body, &s.text);
            // on every section: a hit's best section shows it without
            // reading the head document
            if let Some(x) = &n.doc_number {
                d.add_text(self.doc_number, x);
            }
            let literal = if i == 0 {
                format!("{}\n{}", n.head_raw, s.text)
            } else {
                s.text.clone()
            };
            d.add_text(self.ng, &literal);
            d.add_text(self.latin, &literal);
            d.add_text(self.pairs, &literal);
            if i == 0 {
                d.add_text(self.title, &n.head.title);
                d.add_text(self.title_ng, &n.head.title);
                d.add_text(self.title_latin, &n.head.title);
                if let Some(a) = &n.head.agency {
                    d.add_text(self.agency, a);
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
                d.add_text(self.head_raw, &n.head_raw);
            }
            docs.push(d);
        }
        docs
    }
}

/// A section as stored: the reverse of [`Fields::documents`] for one document.
#[derive(Clone, Debug, Default)]
pub struct StoredSection {
    /// The section's own heading (`None` before the first heading).
    pub heading: Option<String>,
    /// Headings from the top level down to the section's own.
    pub heading_path: Vec<String>,
    /// The problem label quoted in the heading.
    pub issue: Option<String>,
    /// The section's text.
    pub text: String,
}

/// What only a notice's head document stores besides its head.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HeadExtras {
    /// How the date was found.
    pub date_source: Option<String>,
    /// Republishing site.
    pub source: Option<String>,
    /// Document number (文号).
    pub doc_number: Option<String>,
    /// The heading tree.
    pub headings: Vec<Heading>,
}

fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

impl Fields {
    /// The notice head stored on every document of a notice.
    pub fn head(&self, doc: &TantivyDocument) -> NoticeHead {
        NoticeHead {
            id: stored_str(doc, self.id).unwrap_or_default(),
            path: stored_str(doc, self.path).unwrap_or_default(),
            title: stored_str(doc, self.title_s).unwrap_or_default(),
            agency: stored_str(doc, self.agency_s),
            date: doc
                .get_first(self.date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| Ymd::from_unix_seconds(d.into_timestamp_secs())),
        }
    }

    /// The notice's document number (文号), stored on every section.
    pub fn doc_number(&self, doc: &TantivyDocument) -> Option<String> {
        stored_str(doc, self.doc_number)
    }

    /// The section's position in its notice (0: the head section).
    pub fn ordinal(&self, doc: &TantivyDocument) -> u64 {
        doc.get_first(self.sec)
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }

    /// The section a document holds.
    pub fn section(&self, doc: &TantivyDocument) -> StoredSection {
        StoredSection {
            heading: stored_str(doc, self.heading),
            heading_path: stored_str(doc, self.heading_path)
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            issue: stored_str(doc, self.issue),
            text: stored_str(doc, self.body).unwrap_or_default(),
        }
    }

    /// The text a document's `ng` field indexed: the section's text, after
    /// the lines before the first heading on a head document.
    pub fn literal_text(&self, doc: &TantivyDocument) -> String {
        let text = stored_str(doc, self.body).unwrap_or_default();
        match stored_str(doc, self.head_raw) {
            Some(head) => format!("{head}\n{text}"),
            None => text,
        }
    }

    /// The lines before the first heading as read, stored on a head
    /// document (section 0) only.
    pub fn head_lines(&self, doc: &TantivyDocument) -> Option<String> {
        stored_str(doc, self.head_raw)
    }

    /// How many sections the notice has, as a head document records it
    /// (the `sections` of its file state, which the build writes there).
    pub fn indexed_sections(&self, doc: &TantivyDocument) -> Option<usize> {
        #[derive(serde::Deserialize)]
        struct Sections {
            sections: usize,
        }
        let json = stored_str(doc, self.file_state)?;
        serde_json::from_str::<Sections>(&json)
            .ok()
            .map(|s| s.sections)
    }

    /// What a head document (section 0) stores about the whole notice.
    pub fn head_extras(&self, doc: &TantivyDocument) -> HeadExtras {
        HeadExtras {
            date_source: stored_str(doc, self.date_source),
            source: stored_str(doc, self.source),
            doc_number: stored_str(doc, self.doc_number),
            headings: stored_str(doc, self.outline)
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
        }
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
