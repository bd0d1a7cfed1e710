//! Input formats (issue 3): saved web pages, GBK and UTF-16 text, crawler
//! exports (JSON array and JSON Lines), each read through the real binary by
//! `parse --json` and by `index` + `search`.
//!
//! The GBK and UTF-16 files are produced here by encoding text with
//! `encoding_rs`, so the fixtures folder holds only UTF-8 files.

use encoding_rs::{GBK, UTF_16BE, UTF_16LE};
use serde::Deserialize;

use crate::harness::{N000, N001, Sandbox};

const PAGE: &[u8] = include_bytes!("../fixtures/page.html");
const JSONL: &[u8] = include_bytes!("../fixtures/notices.jsonl");
const JSON: &[u8] = include_bytes!("../fixtures/notices.json");

/// A plain-text notice to store in legacy encodings.
const NOTICE: &str = "中共某某区审计局党组关于巡察整改进展情况的通报\n\
发布日期：2022年11月8日\n\
来源：某某区纪委监委\n\
\n\
按照区委统一部署，区委第一巡察组于2022年5月对区审计局党组开展了巡察。\n\
一、关于“审计整改跟踪问效不够”问题的整改进展情况\n\
建立审计发现问题整改台账，实行销号管理，已完成整改事项二十三项。\n\
二、关于“廉政风险防控机制不健全”问题的整改进展情况\n\
修订审计现场纪律八条，组织全体审计人员签订廉洁从审承诺书。\n";

/// Page furniture of `page.html` that must not reach any field.
const PAGE_CHROME: &[&str] = &[
    "返回首页",
    "无障碍浏览",
    "您当前所在的位置",
    "要闻动态",
    "分享到",
    "新浪微博",
    "QQ空间",
    "字号",
    "打印本页",
    "关闭窗口",
    "相关文章",
    "财政局",
    "版权所有",
    "ICP备",
    "网站标识码",
    "关于我们",
    "网站声明",
    "关键字不能为空",
    "advsearch",
    "text-indent",
    "正文样式",
];

/// `parse --json` output, with the fields these tests look at.
#[derive(Debug, Deserialize)]
struct Parsed {
    path: String,
    title: String,
    agency: Option<String>,
    date: Option<String>,
    date_source: Option<String>,
    source: Option<String>,
    doc_number: Option<String>,
    headings: Vec<Heading>,
    sections: Vec<Section>,
}

#[derive(Debug, Deserialize)]
struct Heading {
    text: String,
    children: Vec<Heading>,
}

#[derive(Debug, Deserialize)]
struct Section {
    heading: Option<String>,
    issue: Option<String>,
    text: String,
}

impl Parsed {
    /// Everything a user sees of the notice, as one string.
    fn all_text(&self) -> String {
        let mut s = self.title.clone();
        for h in &self.headings {
            s.push_str(&h.text);
            for c in &h.children {
                s.push_str(&c.text);
            }
        }
        for sec in &self.sections {
            s.push_str(sec.heading.as_deref().unwrap_or(""));
            s.push_str(&sec.text);
        }
        s
    }

    fn top_headings(&self) -> Vec<&str> {
        self.headings.iter().map(|h| h.text.as_str()).collect()
    }
}

/// `gongwen parse --json FILE` (relative to the sandbox root): one notice.
fn parse_one(sb: &Sandbox, file: &str) -> Parsed {
    let out = sb.run(&["parse", "--json", file]);
    out.assert_code(0);
    out.json()
}

/// `gongwen parse --json FILE` for an export: one notice per stdout line.
fn parse_many(sb: &Sandbox, file: &str) -> (Vec<Parsed>, String) {
    let out = sb.run(&["parse", "--json", file]);
    out.assert_code(0);
    let notices = out
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("line is not a notice ({e}): {l}\n{}", out.stdout))
        })
        .collect();
    (notices, out.stderr.clone())
}

fn encode(enc: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "text not representable in {}", enc.name());
    bytes.into_owned()
}

fn utf16_with_bom(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn assert_page_fields(n: &Parsed) {
    assert_eq!(
        n.title,
        "中共某某市生态环境局党组关于巡察整改进展情况的通报"
    );
    assert_eq!(n.agency.as_deref(), Some("中共某某市生态环境局党组"));
    assert_eq!(n.date.as_deref(), Some("2024-03-05"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布时间"));
    assert_eq!(n.source.as_deref(), Some("某某市纪委监委网站"));
    assert_eq!(
        n.top_headings(),
        [
            "提高政治站位，扛起整改政治责任",
            "聚焦问题清单，逐条推进整改落实"
        ]
    );
    let issues: Vec<&str> = n
        .sections
        .iter()
        .filter_map(|s| s.issue.as_deref())
        .collect();
    assert_eq!(issues, ["落实生态环境保护责任不到位", "公务用车管理不规范"]);
    let all = n.all_text();
    assert!(all.contains("共排查排污口86个，整治到位79个"), "{all}");
    assert!(all.contains("严格执行派车单制度"), "{all}");
    assert!(
        n.sections[0].text.starts_with("根据市委统一部署"),
        "{:?}",
        n.sections[0].text
    );
    for chrome in PAGE_CHROME {
        assert!(!all.contains(chrome), "page chrome {chrome:?} in {all}");
    }
}

#[test]
fn issue3_html_page_gives_the_article_without_chrome() {
    let sb = Sandbox::new();
    sb.add_corpus_file("page.html", PAGE);
    let n = parse_one(&sb, "corpus/page.html");
    assert_eq!(n.path, "corpus/page.html");
    assert_page_fields(&n);
}

#[test]
fn issue3_html_page_in_gbk_declared_or_not() {
    let sb = Sandbox::new();
    let page = std::str::from_utf8(PAGE).expect("fixture is UTF-8");
    let declared = page.replace("<meta charset=\"utf-8\">", "<meta charset=\"gbk\">");
    assert_ne!(declared, page);
    sb.add_corpus_file("declared.htm", &encode(GBK, &declared));
    let undeclared = page.replace("<meta charset=\"utf-8\">", "");
    sb.add_corpus_file("undeclared.shtml", &encode(GBK, &undeclared));
    assert_page_fields(&parse_one(&sb, "corpus/declared.htm"));
    assert_page_fields(&parse_one(&sb, "corpus/undeclared.shtml"));
}

fn assert_notice_fields(n: &Parsed) {
    assert_eq!(n.title, "中共某某区审计局党组关于巡察整改进展情况的通报");
    assert_eq!(n.agency.as_deref(), Some("中共某某区审计局党组"));
    assert_eq!(n.date.as_deref(), Some("2022-11-08"));
    assert_eq!(n.source.as_deref(), Some("某某区纪委监委"));
    assert_eq!(n.headings.len(), 2);
    let issues: Vec<&str> = n
        .sections
        .iter()
        .filter_map(|s| s.issue.as_deref())
        .collect();
    assert_eq!(issues, ["审计整改跟踪问效不够", "廉政风险防控机制不健全"]);
    assert!(n.all_text().contains("签订廉洁从审承诺书"));
}

#[test]
fn issue3_gbk_text_without_declaration() {
    let sb = Sandbox::new();
    let bytes = encode(GBK, NOTICE);
    assert!(std::str::from_utf8(&bytes).is_err(), "not a GBK test");
    sb.add_corpus_file("gbk.txt", &bytes);
    assert_notice_fields(&parse_one(&sb, "corpus/gbk.txt"));
}

#[test]
fn issue3_utf16_with_bom_both_byte_orders() {
    let sb = Sandbox::new();
    let le = utf16_with_bom(NOTICE, false);
    let be = utf16_with_bom(NOTICE, true);
    // The hand-made bytes are what encoding_rs decodes back to the text.
    assert_eq!(UTF_16LE.decode_with_bom_removal(&le[2..]).0, NOTICE);
    assert_eq!(UTF_16BE.decode_with_bom_removal(&be[2..]).0, NOTICE);
    sb.add_corpus_file("le.txt", &le);
    sb.add_corpus_file("be.txt", &be);
    assert_notice_fields(&parse_one(&sb, "corpus/le.txt"));
    assert_notice_fields(&parse_one(&sb, "corpus/be.txt"));
}

#[test]
fn issue3_undeterminable_encoding_is_skipped_not_indexed() {
    let sb = Sandbox::new();
    // Latin-1 bytes: neither UTF-8 nor anything Chinese.
    sb.add_corpus_file(
        "latin1.txt",
        b"Avis de la pr\xe9fecture\n\nLa r\xe9union du conseil municipal aura lieu \xe0 l'h\xf4tel de ville.\n",
    );
    let out = sb.run(&["parse", "corpus/latin1.txt"]);
    out.assert_code(2);
    assert!(out.stderr.contains("latin1.txt"), "{}", out.stderr);
    assert!(out.stderr.contains("encoding"), "{}", out.stderr);

    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let report: serde_json::Value = out.json();
    assert_eq!(report["indexed"], 2, "{report}");
    assert_eq!(report["skipped"], 1, "{report}");
    assert_eq!(report["skipped_files"][0]["path"], "latin1.txt");
    let warning = out
        .stderr
        .lines()
        .find(|l| l.contains("latin1.txt"))
        .unwrap_or_else(|| panic!("no warning names latin1.txt: {}", out.stderr));
    assert!(warning.contains("encoding"), "{warning}");
}

#[test]
fn issue3_jsonl_export_two_records_and_a_broken_line() {
    let sb = Sandbox::new();
    sb.add_corpus_file("notices.jsonl", JSONL);
    let (notices, stderr) = parse_many(&sb, "corpus/notices.jsonl");
    assert_eq!(notices.len(), 2);

    let a = &notices[0];
    assert_eq!(a.path, "corpus/notices.jsonl#1");
    assert_eq!(
        a.title,
        "某某县人民政府办公室关于做好2023年防汛抗旱工作的通知"
    );
    assert_eq!(a.agency.as_deref(), Some("某某县人民政府办公室"));
    assert_eq!(a.date.as_deref(), Some("2023-06-01"));
    assert_eq!(a.source.as_deref(), Some("某某县政府门户网站"));
    assert_eq!(a.doc_number.as_deref(), Some("某政办发〔2023〕12号"));
    assert_eq!(a.top_headings(), ["压实防汛责任", "加强隐患排查"]);
    assert!(a.all_text().contains("领导带班制度"));

    // The record after the broken line keeps its line number.
    let b = &notices[1];
    assert_eq!(b.path, "corpus/notices.jsonl#3");
    assert_eq!(b.title, "关于公布某某县2023年第一批行政执法典型案例的公告");
    assert_eq!(b.agency.as_deref(), Some("某某县司法局"));
    assert_eq!(b.source.as_deref(), Some("某某县政府门户网站"));
    assert_eq!(b.date.as_deref(), Some("2023-07-15"));
    assert_eq!(b.top_headings(), ["基本情况"]);
    let all = b.all_text();
    assert!(all.contains("共计六件"), "{all}");
    assert!(!all.contains("分享到") && !all.contains("views"), "{all}");

    // The broken line is named with file and line.
    let warning = stderr
        .lines()
        .find(|l| l.contains("notices.jsonl#2"))
        .unwrap_or_else(|| panic!("no warning for the broken record: {stderr}"));
    assert!(warning.contains("line 2"), "{warning}");
}

#[test]
fn issue3_jsonl_parse_in_human_form_lists_each_record() {
    let sb = Sandbox::new();
    sb.add_corpus_file("notices.jsonl", JSONL);
    let out = sb.run(&["parse", "corpus/notices.jsonl"]);
    out.assert_code(0);
    assert_eq!(out.stdout.matches("path:").count(), 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("corpus/notices.jsonl#3"),
        "{}",
        out.stdout
    );
}

#[test]
fn issue3_export_without_a_readable_record_is_an_error() {
    let sb = Sandbox::new();
    sb.add_corpus_file("broken.jsonl", b"{\"title\": \n");
    let out = sb.run(&["parse", "--json", "corpus/broken.jsonl"]);
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("broken.jsonl#1"), "{}", out.stderr);
}

#[test]
fn issue3_json_array_export() {
    let sb = Sandbox::new();
    sb.add_corpus_file("notices.json", JSON);
    let (notices, stderr) = parse_many(&sb, "corpus/notices.json");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(notices.len(), 2);
    let a = &notices[0];
    assert_eq!(a.path, "corpus/notices.json#1");
    assert_eq!(a.agency.as_deref(), Some("某某市医疗保障局"));
    // A Unix timestamp read in China Standard Time.
    assert_eq!(a.date.as_deref(), Some("2023-09-27"));
    assert_eq!(a.top_headings(), ["调整病种范围", "提高支付比例"]);
    let b = &notices[1];
    assert_eq!(b.path, "corpus/notices.json#2");
    assert_eq!(b.date.as_deref(), Some("2024-03-18"));
    assert_eq!(b.agency.as_deref(), Some("某某市市场监督管理局"));
    assert!(b.all_text().contains("电动自行车生产、销售企业"));
}

#[test]
fn issue3_every_input_kind_is_indexed_and_found() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.corpus().join("inputs")).expect("mkdir");
    sb.add_corpus_file("inputs/page.html", PAGE);
    sb.add_corpus_file("inputs/notices.jsonl", JSONL);
    sb.add_corpus_file("inputs/notices.json", JSON);
    sb.add_corpus_file("inputs/gbk.txt", &encode(GBK, NOTICE));
    let other = NOTICE
        .replace("审计局", "统计局")
        .replace("签订廉洁从审承诺书", "签订统计数据质量承诺书");
    sb.add_corpus_file("inputs/utf16.txt", &utf16_with_bom(&other, false));

    let out = sb.index_cmd(&["--json"]);
    out.assert_code(0);
    let report: serde_json::Value = out.json();
    // 2 samples + page + 2 JSONL records + 2 JSON records + GBK + UTF-16.
    assert_eq!(report["indexed"], 9, "{report}\n{}", out.stderr);
    assert_eq!(report["skipped"], 1, "{report}");
    assert_eq!(report["skipped_files"][0]["path"], "inputs/notices.jsonl#2");
    let reason = report["skipped_files"][0]["reason"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("line 2"), "{reason}");
    assert!(
        out.stderr.contains("inputs/notices.jsonl#2"),
        "{}",
        out.stderr
    );

    let found = |query: &str| {
        let res = sb.search_json(&[query], 0);
        assert_eq!(res.hits.len(), 1, "{query}: {:?}", res.ids());
        res.hits.into_iter().next().expect("one hit")
    };
    let h = found("入河排污口");
    assert_eq!(h.id, "inputs/page.html");
    assert_eq!(h.agency.as_deref(), Some("中共某某市生态环境局党组"));
    assert_eq!(h.date.as_deref(), Some("2024-03-05"));
    assert!(h.sections[0].snippet.contains("入河排污口"));
    let h = found("防汛值班");
    assert_eq!(
        (h.id.as_str(), h.path.as_str()),
        ("inputs/notices.jsonl#1", "inputs/notices.jsonl#1")
    );
    assert_eq!(found("行政执法典型案例").id, "inputs/notices.jsonl#3");
    let h = found("阿尔茨海默病");
    assert_eq!(h.id, "inputs/notices.json#1");
    assert_eq!(h.date.as_deref(), Some("2023-09-27"));
    let h = found("廉洁从审");
    assert_eq!(h.id, "inputs/gbk.txt");
    assert!(
        h.sections[0].snippet.contains("廉洁从审"),
        "{:?}",
        h.sections
    );
    assert_eq!(found("统计数据质量").id, "inputs/utf16.txt");

    // Filters see the fields read from each kind.
    let res = sb.search_json(&["--agency", "某某县司法局"], 0);
    assert_eq!(res.ids(), ["inputs/notices.jsonl#3"]);
    let res = sb.search_json(&["--from", "2024-03", "--to", "2024-03"], 0);
    let mut ids = res.ids();
    ids.sort();
    assert_eq!(ids, ["inputs/notices.json#2", "inputs/page.html"]);

    // Page chrome is not indexed.
    for chrome in [
        "版权所有",
        "新浪微博",
        "关键字不能为空",
        "无障碍浏览",
        "网站标识码",
    ] {
        let res = sb.search_json(&[chrome], 1);
        assert!(res.hits.is_empty(), "{chrome}: {:?}", res.ids());
    }
    // The samples are still there.
    let res = sb.search_json(&["差旅费"], 0);
    assert_eq!(res.ids(), [N000]);
    let res = sb.search_json(&["--agency", "包河区"], 0);
    assert_eq!(res.ids(), [N001]);
}
