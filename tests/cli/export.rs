//! `gongwen export` (issue 16): the `_bulk` body of an index's sections and
//! the index template for Elasticsearch/OpenSearch, read back here as those
//! engines would read them. No engine runs in these tests (none can be
//! started offline): the output is checked against the bulk format, the
//! index it came from, and the mappings the README describes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::Deserialize;
use serde_json::Value;

use crate::harness::{N000, N001, Run, Sandbox, shared_notices, shared_sources};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    index: Target,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    _index: String,
    _id: String,
}

/// One exported section, every field the export writes (unknown fields
/// are refused: the template's mapping is strict).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct EsDoc {
    notice_id: String,
    section: usize,
    sections: usize,
    path: String,
    folder: String,
    title: String,
    title_words: String,
    agency: Option<String>,
    date: Option<String>,
    doc_number: Option<String>,
    source: Option<String>,
    heading: Option<String>,
    heading_words: Option<String>,
    heading_path: Vec<String>,
    issue: Option<String>,
    text: String,
    text_words: String,
    header: Option<String>,
}

/// `gongwen show --json --text`, the fields compared.
#[derive(Debug, Deserialize)]
struct ShowOut {
    id: String,
    path: String,
    title: String,
    agency: Option<String>,
    date: Option<String>,
    source: Option<String>,
    doc_number: Option<String>,
    sections: usize,
    text: Vec<ShowSection>,
}

#[derive(Debug, Deserialize)]
struct ShowSection {
    index: usize,
    heading: Option<String>,
    heading_path: Vec<String>,
    issue: Option<String>,
    text: String,
}

#[derive(Debug, Deserialize)]
struct StatsOut {
    notices: usize,
    sections: usize,
}

#[derive(Debug, Deserialize)]
struct ReportOut {
    format: String,
    index_name: String,
    out: Option<String>,
    notices: usize,
    sections: usize,
    bytes: u64,
}

fn export(sb: &Sandbox, args: &[&str]) -> Run {
    let index = sb.index().display().to_string();
    let mut all = vec!["export", "--index", index.as_str()];
    all.extend_from_slice(args);
    sb.run(&all)
}

/// The bulk body as the engine reads it: lines in pairs, an action then a
/// source; every line one JSON object, the body ending in a newline.
fn parse_bulk(ndjson: &str) -> Vec<(Target, EsDoc)> {
    assert!(
        ndjson.is_empty() || ndjson.ends_with('\n'),
        "no final newline"
    );
    let lines: Vec<&str> = ndjson.lines().collect();
    assert_eq!(lines.len() % 2, 0, "an action without its source");
    lines
        .chunks(2)
        .map(|pair| {
            let action: Action = serde_json::from_str(pair[0])
                .unwrap_or_else(|e| panic!("not an action line ({e}): {}", pair[0]));
            let doc: EsDoc = serde_json::from_str(pair[1])
                .unwrap_or_else(|e| panic!("not a section document ({e}): {}", pair[1]));
            (action.index, doc)
        })
        .collect()
}

fn bulk(sb: &Sandbox, args: &[&str]) -> Vec<(Target, EsDoc)> {
    let mut all = vec!["--format", "es-bulk"];
    all.extend_from_slice(args);
    let out = export(sb, &all);
    out.assert_code(0);
    parse_bulk(&out.stdout)
}

fn stats(sb: &Sandbox) -> StatsOut {
    let index = sb.index().display().to_string();
    let out = sb.run(&["stats", "--json", "--index", index.as_str()]);
    out.assert_code(0);
    out.json()
}

fn show(sb: &Sandbox, id: &str) -> ShowOut {
    let index = sb.index().display().to_string();
    let out = sb.run(&["show", "--json", "--text", "--index", index.as_str(), id]);
    out.assert_code(0);
    out.json()
}

/// The exported documents grouped into notices, each notice's sections in
/// order.
fn notices_of(docs: &[(Target, EsDoc)]) -> BTreeMap<String, Vec<EsDoc>> {
    let mut by: BTreeMap<String, Vec<EsDoc>> = BTreeMap::new();
    for (_, d) in docs {
        by.entry(d.notice_id.clone()).or_default().push(d.clone());
    }
    for sections in by.values_mut() {
        sections.sort_by_key(|d| d.section);
    }
    by
}

/// The first `n` notice files of every source folder of the shared corpus
/// (seeds aside), sorted, as `(folder, path)`.
fn shared_files(shared: &Path, n: usize) -> Vec<(String, PathBuf)> {
    let sources = shared_sources(shared);
    let mut out = Vec::new();
    for src in sources {
        let name = src.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
            .expect("read source folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.into_iter().take(n).map(|f| (name.clone(), f)));
    }
    out
}

/// The two samples and the first two files of every shared source
/// folder, indexed; the third file of the first folder is returned for
/// adding later.
fn shared_sandbox(shared: &Path) -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let files = shared_files(shared, 3);
    let mut later = None;
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for (folder, f) in files {
        let k = taken.entry(folder.clone()).or_default();
        *k += 1;
        if *k == 3 {
            later.get_or_insert(f);
            continue;
        }
        std::fs::create_dir_all(sb.corpus().join(&folder)).unwrap();
        std::fs::copy(&f, sb.corpus().join(&folder).join(f.file_name().unwrap())).unwrap();
    }
    sb.index_cmd(&["--quiet"]).assert_code(0);
    (sb, later.expect("a third file"))
}

/// Every section of the index is exported exactly once, each with its own
/// valid `_id` and the index's counts.
fn assert_every_section_once(sb: &Sandbox, docs: &[(Target, EsDoc)]) {
    let st = stats(sb);
    assert_eq!(docs.len(), st.sections, "one document per section");
    let notices = notices_of(docs);
    assert_eq!(notices.len(), st.notices);
    let ids: BTreeSet<&str> = docs.iter().map(|(t, _)| t._id.as_str()).collect();
    assert_eq!(ids.len(), docs.len(), "an _id twice");
    for (t, d) in docs {
        assert!(!t._id.is_empty() && t._id.len() <= 512, "{}", t._id);
        assert!(
            t._id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.'),
            "{}",
            t._id
        );
        if let Some(date) = &d.date {
            let ok = date.len() == 10
                && date.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            assert!(ok, "date {date}");
        }
    }
    for (id, sections) in &notices {
        let ords: Vec<usize> = sections.iter().map(|d| d.section).collect();
        assert_eq!(
            ords,
            (0..sections.len()).collect::<Vec<_>>(),
            "{id}: every ordinal once"
        );
        assert!(
            sections.iter().all(|d| d.sections == sections.len()),
            "{id}"
        );
        for d in sections {
            assert_eq!(d.header.is_some(), d.section == 0, "{id} §{}", d.section);
        }
    }
}

/// The notices rebuilt from the export are the notices of the index:
/// ids, fields, section count and every section's heading and text.
fn assert_round_trip(sb: &Sandbox, docs: &[(Target, EsDoc)]) {
    for (id, sections) in notices_of(docs) {
        let shown = show(sb, &id);
        assert_eq!(shown.id, id);
        assert_eq!(shown.sections, sections.len(), "{id}");
        let head = &sections[0];
        assert_eq!(
            (&head.path, &head.title, &head.agency, &head.date),
            (&shown.path, &shown.title, &shown.agency, &shown.date),
            "{id}"
        );
        assert_eq!(
            (&head.source, &head.doc_number),
            (&shown.source, &shown.doc_number),
            "{id}"
        );
        assert_eq!(shown.text.len(), sections.len(), "{id}");
        for (d, s) in sections.iter().zip(&shown.text) {
            assert_eq!(d.section, s.index, "{id}");
            assert_eq!(
                (&d.heading, &d.heading_path, &d.issue, &d.text),
                (&s.heading, &s.heading_path, &s.issue, &s.text),
                "{id} §{}",
                s.index
            );
            // the notice's own fields ride on every section
            assert_eq!(
                (&d.title, &d.agency, &d.date, &d.source),
                (&head.title, &head.agency, &head.date, &head.source),
                "{id} §{}",
                d.section
            );
        }
    }
}

#[test]
fn issue16_bulk_holds_every_section_once_in_action_source_pairs() {
    let sb = Sandbox::indexed();
    let docs = bulk(&sb, &[]);
    assert_every_section_once(&sb, &docs);
    assert!(docs.iter().all(|(t, _)| t._index == "gongwen"));
    let ids: BTreeSet<String> = docs.iter().map(|(_, d)| d.notice_id.clone()).collect();
    assert_eq!(
        ids,
        [N000, N001].iter().map(|s| s.to_string()).collect(),
        "the samples"
    );
    let named = bulk(&sb, &["--index-name", "gongwen-2026"]);
    assert!(named.iter().all(|(t, _)| t._index == "gongwen-2026"));
}

#[test]
fn issue16_round_trip_rebuilds_the_indexed_notices() {
    let sb = Sandbox::indexed();
    let docs = bulk(&sb, &[]);
    assert_round_trip(&sb, &docs);
    let dated = docs
        .iter()
        .find(|(_, d)| d.notice_id == N001)
        .expect("N001");
    assert_eq!(dated.1.date.as_deref(), Some("2024-10-15"));
}

#[test]
fn issue16_shared_sample_exports_whole_and_round_trips() {
    let Some(shared) = shared_notices() else {
        return;
    };
    let (sb, _) = shared_sandbox(&shared);
    let docs = bulk(&sb, &[]);
    assert_every_section_once(&sb, &docs);
    assert_round_trip(&sb, &docs);
}

#[test]
fn issue16_ids_are_stable_across_runs_and_after_adding_another_notice() {
    let (sb, other) = match shared_notices() {
        Some(shared) => shared_sandbox(&shared),
        None => {
            let sb = Sandbox::indexed();
            let other = sb.root().join("新通知.txt");
            std::fs::write(
                &other,
                "某县人民政府办公室关于做好防汛工作的通知\n一、加强值班值守\n严格执行24小时值班制度。\n",
            )
            .unwrap();
            (sb, other)
        }
    };
    let first = export(&sb, &["--format", "es-bulk"]);
    first.assert_code(0);
    let second = export(&sb, &["--format", "es-bulk"]);
    second.assert_code(0);
    assert_eq!(
        first.stdout, second.stdout,
        "two exports of one index differ"
    );

    let index = sb.index().display().to_string();
    let corpus = sb.corpus().display().to_string();
    let other_s = other.display().to_string();
    sb.run(&[
        "add", "--quiet", "--index", &index, "--corpus", &corpus, &other_s,
    ])
    .assert_code(0);
    let keyed = |docs: Vec<(Target, EsDoc)>| -> BTreeMap<String, EsDoc> {
        docs.into_iter().map(|(t, d)| (t._id, d)).collect()
    };
    let before = keyed(parse_bulk(&first.stdout));
    let after_docs = bulk(&sb, &[]);
    assert_every_section_once(&sb, &after_docs);
    let after = keyed(after_docs);
    for (id, doc) in &before {
        assert_eq!(after.get(id), Some(doc), "_id {id} changed or vanished");
    }
    let added: BTreeSet<&str> = after
        .iter()
        .filter(|(id, _)| !before.contains_key(*id))
        .map(|(_, d)| d.notice_id.as_str())
        .collect();
    let name = other.file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added.iter().all(|id| id.ends_with(&name)), "{added:?}");
}

#[test]
fn issue16_words_are_gongwens_own_cut() {
    let sb = Sandbox::indexed();
    let docs = bulk(&sb, &[]);
    #[derive(Deserialize)]
    struct Analysis {
        index_words: Vec<Word>,
    }
    #[derive(Deserialize)]
    struct Word {
        word: String,
    }
    let cut = |text: &str| -> String {
        let out = sb.run(&["analyze", "--json", text]);
        out.assert_code(0);
        let a: Analysis = out.json();
        a.index_words
            .into_iter()
            .map(|w| w.word)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (_, d) = docs
        .iter()
        .find(|(_, d)| d.notice_id == N001 && d.section == 0)
        .expect("N001 head");
    assert_eq!(d.title_words, cut(&d.title));
    let (_, h) = docs
        .iter()
        .find(|(_, d)| d.heading.is_some() && d.text.chars().count() > 20)
        .expect("a section with a heading and text");
    assert_eq!(
        h.heading_words.clone().unwrap(),
        cut(h.heading.as_deref().unwrap())
    );
    assert_eq!(h.text_words, cut(&h.text));
    assert!(
        h.text_words.split(' ').all(|w| !w.is_empty()),
        "{}",
        h.text_words
    );
}

/// One row of the README's table of exported fields.
#[derive(Debug)]
struct ReadmeField {
    name: String,
    kind: String,
    indexed: bool,
    analyzer: Option<String>,
    /// (subfield, analyzer or "" when the row names none, only with --ik)
    subfields: Vec<(String, String, bool)>,
}

/// The table of exported fields in the README's "Outgrowing one machine":
/// rows `| \`field\` | type[, analyzer | , not indexed] | subfields | use |`.
fn readme_fields() -> Vec<ReadmeField> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## Outgrowing one machine")
        .nth(1)
        .expect("README has the section")
        .split("\n## ")
        .next()
        .unwrap();
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let name = cells[0].trim_matches('`').to_string();
        let mut mapping = cells[1].split(',').map(str::trim);
        let kind = mapping
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_string();
        let rest = mapping.next();
        let indexed = rest != Some("not indexed");
        let analyzer = rest
            .filter(|r| *r != "not indexed")
            .map(|r| r.trim_matches('`').to_string());
        let mut subfields = Vec::new();
        for part in cells[2].split(',').map(str::trim).filter(|p| !p.is_empty()) {
            // `.ngram` (gongwen_ngram) or `.ik` (with --ik: ...)
            let (sub, rest) = part.split_once(' ').unwrap_or((part, ""));
            let sub = sub.trim_matches('`').trim_start_matches('.').to_string();
            let ik = rest.contains("--ik");
            let analyzer = if ik {
                String::new()
            } else {
                rest.trim_matches(|c| c == '(' || c == ')' || c == '`')
                    .to_string()
            };
            subfields.push((sub, analyzer, ik));
        }
        rows.push(ReadmeField {
            name,
            kind,
            indexed,
            analyzer,
            subfields,
        });
    }
    assert!(rows.len() > 10, "README table not found: {rows:?}");
    rows
}

fn template(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["export", "--format", "es-template"];
    all.extend_from_slice(args);
    let out = sb.run(&all);
    out.assert_code(0);
    out.json()
}

#[test]
fn issue16_template_is_json_with_the_mappings_the_readme_describes() {
    // the template needs no index
    let sb = Sandbox::new();
    for ik in [false, true] {
        let t = template(&sb, if ik { &["--ik"][..] } else { &[] });
        assert_eq!(
            t["index_patterns"],
            serde_json::json!(["gongwen", "gongwen-*"])
        );
        let props = &t["template"]["mappings"]["properties"];
        assert_eq!(t["template"]["mappings"]["dynamic"], "strict");
        let analyzers = &t["template"]["settings"]["analysis"]["analyzer"];
        let rows = readme_fields();
        let documented: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let mapped: BTreeSet<&str> = props
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(documented, mapped, "README and template list other fields");
        for r in &rows {
            let m = &props[&r.name];
            assert_eq!(m["type"], r.kind.as_str(), "{}", r.name);
            assert_eq!(m["index"] != false, r.indexed, "{}", r.name);
            if let Some(a) = &r.analyzer {
                assert_eq!(m["analyzer"], a.as_str(), "{}", r.name);
                assert!(analyzers[a].is_object(), "{a} undefined");
            }
            let subs = m["fields"].as_object().cloned().unwrap_or_default();
            let want: BTreeSet<&str> = r
                .subfields
                .iter()
                .filter(|s| ik || !s.2)
                .map(|s| s.0.as_str())
                .collect();
            let got: BTreeSet<&str> = subs.keys().map(String::as_str).collect();
            assert_eq!(got, want, "{} subfields (ik {ik})", r.name);
            for (sub, analyzer, _) in r.subfields.iter().filter(|s| !s.1.is_empty()) {
                assert_eq!(subs[sub]["analyzer"], analyzer.as_str(), "{}.{sub}", r.name);
            }
        }
        if ik {
            let ik_index = &props["text"]["fields"]["ik"];
            let index_an = ik_index["analyzer"].as_str().unwrap();
            let search_an = ik_index["search_analyzer"].as_str().unwrap();
            assert_eq!(analyzers[index_an]["tokenizer"], "ik_max_word");
            assert_eq!(analyzers[search_an]["tokenizer"], "ik_smart");
            assert_eq!(props["title"]["fields"]["ik"], *ik_index);
        } else {
            assert!(!t.to_string().contains("ik_"), "IK without --ik");
        }
        // the whitespace analyzer ranks gongwen's words; n-grams 1 to 2
        assert_eq!(analyzers["gongwen_words"]["tokenizer"], "whitespace");
        let ngram = &t["template"]["settings"]["analysis"]["tokenizer"]["gongwen_ngram"];
        assert_eq!(
            (ngram["min_gram"].as_u64(), ngram["max_gram"].as_u64()),
            (Some(1), Some(2))
        );
    }
    let named = template(&sb, &["--index-name", "notices"]);
    assert_eq!(
        named["index_patterns"],
        serde_json::json!(["notices", "notices-*"])
    );
}

#[test]
fn issue16_every_exported_field_is_mapped() {
    let sb = Sandbox::indexed();
    let t = template(&sb, &[]);
    let props = t["template"]["mappings"]["properties"]
        .as_object()
        .unwrap()
        .clone();
    let out = export(&sb, &["--format", "es-bulk"]);
    out.assert_code(0);
    for line in out.stdout.lines().skip(1).step_by(2) {
        let v: Value = serde_json::from_str(line).unwrap();
        for k in v.as_object().unwrap().keys() {
            assert!(props.contains_key(k), "{k} is not in the (strict) mapping");
        }
    }
}

#[test]
fn issue16_out_replaces_the_file_only_when_complete() {
    let sb = Sandbox::indexed();
    let to_stdout = export(&sb, &["--format", "es-bulk"]);
    to_stdout.assert_code(0);
    assert!(
        to_stdout.stderr.contains("exported 2 notices"),
        "{}",
        to_stdout.stderr
    );

    let dir = sb.root().join("out");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("sections.ndjson");
    std::fs::write(&file, "old").unwrap();
    let file_s = file.display().to_string();
    let out = export(&sb, &["--format", "es-bulk", "--out", &file_s, "--json"]);
    out.assert_code(0);
    let report: ReportOut = out.json();
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, to_stdout.stdout, "the file holds what stdout held");
    assert_eq!(report.bytes, written.len() as u64);
    assert_eq!(
        (report.format.as_str(), report.index_name.as_str()),
        ("es-bulk", "gongwen")
    );
    assert_eq!(report.out.as_deref(), Some(file_s.as_str()));
    let st = stats(&sb);
    assert_eq!((report.notices, report.sections), (st.notices, st.sections));
    let listing = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(listing(&dir), ["sections.ndjson"], "a temporary file left");

    // a failed export leaves the file as it was
    std::fs::write(&file, "old").unwrap();
    let missing = sb.root().join("no-index").display().to_string();
    let failed = sb.run(&[
        "export", "--format", "es-bulk", "--index", &missing, "--out", &file_s,
    ]);
    failed.assert_code(2);
    assert!(failed.stderr.contains("no-index"), "{}", failed.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
    assert_eq!(listing(&dir), ["sections.ndjson"], "a temporary file left");

    // the human summary names the file
    let template = dir.join("template.json");
    let t = template.display().to_string();
    let out = sb.run(&["export", "--format", "es-template", "--out", &t]);
    out.assert_code(0);
    assert!(out.stdout.contains("template.json"), "{}", out.stdout);
    let _: Value = serde_json::from_str(&std::fs::read_to_string(&template).unwrap()).unwrap();
}

#[test]
fn issue16_bad_requests_exit_2_naming_what_is_wrong() {
    let sb = Sandbox::indexed();
    for (args, says) in [
        (
            &["--format", "es-bulk", "--index-name", "Gongwen"][..],
            "--index-name",
        ),
        (
            &["--format", "es-bulk", "--index-name", "a b"][..],
            "--index-name",
        ),
        (&["--format", "es-bulk", "--ik"][..], "--ik"),
        (&["--format", "csv"][..], "csv"),
        (&[][..], "--format"),
        (&["--format", "es-bulk", "--json"][..], "--out"),
    ] {
        let out = export(&sb, args);
        out.assert_code(2);
        assert!(
            out.stderr.starts_with("gongwen: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let nowhere = sb
        .root()
        .join("missing/dir/out.ndjson")
        .display()
        .to_string();
    let out = export(&sb, &["--format", "es-bulk", "--out", &nowhere]);
    out.assert_code(2);
    assert!(out.stderr.contains("out.ndjson"), "{}", out.stderr);
}

#[test]
fn issue16_a_closed_pipe_is_not_an_error() {
    let sb = Sandbox::indexed();
    let mut cmd = sb.command();
    cmd.args(["export", "--format", "es-bulk", "--index"])
        .arg(sb.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn export");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for export");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
