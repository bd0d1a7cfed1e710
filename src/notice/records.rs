//! Crawler exports: a JSON array (`.json`) or JSON Lines (`.jsonl`), one
//! record per notice.
//!
//! Each record's fields are found under the names crawlers commonly use
//! (see [`FIELDS`]; keys compare case-insensitively and without `_`, `-` or
//! spaces) and written out as a plain-text notice — title line, 发文机关/
//! 文号/发布时间/来源/原文链接 lines, a blank line, the body — so the record is
//! read by exactly the same rules as a `.txt` notice.
//!
//! Records are numbered from 1: by line in a `.jsonl` file (so that a
//! record's number does not change when a broken line before it is fixed)
//! and by position in a JSON array.

use serde_json::{Map, Value};

use super::fields::Ymd;
use super::text::split_lines;
use super::{SkipReason, html};

/// What a record field means, with the keys it goes by (normalised: lower
/// case, no `_`, `-` or spaces), most specific first.
pub const FIELDS: &[(Role, &[&str])] = &[
    (
        Role::Title,
        &[
            "title",
            "标题",
            "文章标题",
            "题目",
            "articletitle",
            "headline",
            "subject",
            "name",
            "名称",
        ],
    ),
    (
        Role::Content,
        &[
            "content",
            "正文",
            "内容",
            "body",
            "text",
            "articlecontent",
            "contenttext",
            "maintext",
            "fulltext",
            "article",
            "detail",
            "contenthtml",
            "bodyhtml",
            "html",
        ],
    ),
    (
        Role::Date,
        &[
            "pubdate",
            "publishdate",
            "publishtime",
            "发布时间",
            "发布日期",
            "pubtime",
            "releasedate",
            "releasetime",
            "date",
            "日期",
            "time",
            "时间",
        ],
    ),
    (Role::Written, &["成文日期", "writtendate"]),
    (
        Role::Agency,
        &[
            "agency",
            "发文机关",
            "发文单位",
            "发布机构",
            "发布单位",
            "department",
            "dept",
            "issuer",
            "publisher",
            "organ",
            "机关",
            "部门",
        ],
    ),
    (
        Role::Source,
        &["source", "来源", "信息来源", "文章来源", "sitename", "site"],
    ),
    (
        Role::Url,
        &[
            "url",
            "link",
            "原文链接",
            "链接",
            "网址",
            "href",
            "sourceurl",
            "pageurl",
            "articleurl",
        ],
    ),
    (
        Role::DocNumber,
        &[
            "docnumber",
            "docno",
            "documentnumber",
            "文号",
            "发文字号",
            "wenhao",
            "fileno",
        ],
    ),
];

/// What a record field means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The title.
    Title,
    /// The body, plain text or HTML.
    Content,
    /// The publication date.
    Date,
    /// The date the document was signed (成文日期).
    Written,
    /// The issuing body (发文机关).
    Agency,
    /// The republishing site (来源).
    Source,
    /// The original URL (原文链接).
    Url,
    /// The document number (文号).
    DocNumber,
}

/// Keys under which an export wraps its array of records
/// (`{"data": [...]}`).
const WRAPPERS: &[&str] = &[
    "data", "items", "records", "list", "results", "result", "rows", "articles", "docs",
];

/// One record of an export: its number and its text, or why it has none.
pub(super) type Record = (usize, Result<String, SkipReason>);

/// The records of an export file. `lines` is true for JSON Lines.
pub(super) fn records(text: &str, lines: bool) -> Result<Vec<Record>, SkipReason> {
    let first = split_lines(text).map(str::trim).find(|l| !l.is_empty());
    let is_array = text.trim_start().starts_with('[');
    // A `.json` file that is really JSON Lines, and the other way round.
    let lines = if lines {
        !is_array || serde_json::from_str::<Value>(text).is_err()
    } else {
        !is_array
            && serde_json::from_str::<Value>(text).is_err()
            && first.is_some_and(|l| matches!(serde_json::from_str(l), Ok(Value::Object(_))))
    };
    if lines {
        let out: Vec<Record> = split_lines(text)
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let n = i + 1;
                let rec = match serde_json::from_str::<Value>(l) {
                    Ok(Value::Object(o)) => record_text(&o, &format!("line {n}")),
                    Ok(_) => Err(SkipReason::Record(format!("line {n} is not a JSON object"))),
                    Err(e) => Err(json_error(&e, Some(n))),
                };
                (n, rec)
            })
            .collect();
        return if out.is_empty() {
            Err(SkipReason::NoContent)
        } else {
            Ok(out)
        };
    }
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e, None))?;
    let items = record_array(&value).ok_or_else(|| {
        SkipReason::Record("not a crawler export: expected an array of records".into())
    })?;
    if items.is_empty() {
        return Err(SkipReason::NoContent);
    }
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let n = i + 1;
            let rec = match v {
                Value::Object(o) => record_text(o, &format!("record {n}")),
                _ => Err(SkipReason::Record(format!(
                    "record {n} is not a JSON object"
                ))),
            };
            (n, rec)
        })
        .collect())
}

/// The records of a parsed `.json` file: the array itself, the array under
/// a wrapper key (one or two levels down), or a single record object.
fn record_array(v: &Value) -> Option<&[Value]> {
    match v {
        Value::Array(a) => Some(a),
        Value::Object(o) => {
            if lookup(o, Role::Title).is_some() || lookup(o, Role::Content).is_some() {
                return Some(std::slice::from_ref(v));
            }
            WRAPPERS.iter().find_map(|w| {
                let (_, inner) = o.iter().find(|(k, _)| normalise(k) == *w)?;
                match inner {
                    Value::Array(a) => Some(a.as_slice()),
                    Value::Object(_) => record_array(inner),
                    _ => None,
                }
            })
        }
        _ => None,
    }
}

fn json_error(e: &serde_json::Error, line: Option<usize>) -> SkipReason {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = msg.strip_suffix(&suffix).unwrap_or(&msg).to_string();
    SkipReason::Json {
        line: line.unwrap_or(e.line()),
        column: e.column(),
        message: msg,
    }
}

/// A key as compared: lower case, without `_`, `-`, `.` or spaces.
fn normalise(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' ' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first non-empty field of the record with the given role.
fn lookup(o: &Map<String, Value>, role: Role) -> Option<&Value> {
    let names = FIELDS.iter().find(|(r, _)| *r == role)?.1;
    names.iter().find_map(|name| {
        o.iter()
            .find(|(k, v)| normalise(k) == *name && !is_blank(v))
            .map(|(_, v)| v)
    })
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(is_blank),
        _ => false,
    }
}

/// A field value as one line of text.
fn one_line(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().filter_map(one_line).collect::<Vec<_>>().join("、"),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A date field: a date in any written form, or a Unix timestamp in seconds
/// or milliseconds (read in China Standard Time).
fn date_value(v: &Value) -> Option<String> {
    let digits = match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().bytes().all(|b| b.is_ascii_digit()) => s.trim().parse().ok(),
        _ => None,
    };
    if let Some(n) = digits {
        if (19_000_101..=21_001_231).contains(&n) {
            let d = Ymd::new(
                (n / 10_000) as i32,
                (n / 100 % 100) as u32,
                (n % 100) as u32,
            )?;
            return Some(d.to_string());
        }
        let secs = if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        };
        const CST: i64 = 8 * 3600;
        return Ymd::from_unix_seconds(secs.checked_add(CST)?).map(|d| d.to_string());
    }
    one_line(v)
}

/// The body lines of a content field: plain text line by line, HTML by
/// paragraph, a list of strings one per line.
fn content_lines(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) if html::is_markup(s) => html::fragment_lines(s),
        Value::String(s) => split_lines(s)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Array(a) => a.iter().flat_map(content_lines).collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// One record as a plain-text notice.
fn record_text(o: &Map<String, Value>, which: &str) -> Result<String, SkipReason> {
    let title = lookup(o, Role::Title).and_then(one_line);
    let body = lookup(o, Role::Content)
        .map(content_lines)
        .unwrap_or_default();
    if title.is_none() && body.is_empty() {
        return Err(SkipReason::Record(format!(
            "{which} has no title or content field"
        )));
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(t) = &title {
        out.push(t.clone());
    }
    let labelled = [
        (Role::Agency, "发文机关"),
        (Role::DocNumber, "文号"),
        (Role::Date, "发布时间"),
        (Role::Written, "成文日期"),
        (Role::Source, "来源"),
        (Role::Url, "原文链接"),
    ];
    for (role, label) in labelled {
        let value = match role {
            Role::Date | Role::Written => lookup(o, role).and_then(date_value),
            _ => lookup(o, role).and_then(one_line),
        };
        if let Some(v) = value {
            out.push(format!("{label}：{v}"));
        }
    }
    out.push(String::new());
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let title_c = title.as_deref().map(compact);
    for (i, l) in body.into_iter().enumerate() {
        // Crawlers often repeat the title as the first line of the body.
        if i == 0 && title_c.as_deref() == Some(compact(&l).as_str()) {
            continue;
        }
        out.push(l);
    }
    let mut s = out.join("\n");
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(recs: Vec<Record>) -> Vec<(usize, String)> {
        recs.into_iter()
            .map(|(n, r)| (n, r.unwrap_or_else(|e| format!("ERR {e}"))))
            .collect()
    }

    #[test]
    fn field_names_map_onto_label_lines() {
        let rec = r#"{"标题":"关于开展检查的通知","发文机关":"某某市人民政府办公室","Pub_Date":"2023-09-27 06:00","来源":"某某日报","URL":"http://x.gov.cn/a.html","doc_number":"某政办发〔2023〕5号","content":"关于开展检查的通知\n各区县：\n一、检查范围\n全市。"}"#;
        let r = texts(records(rec, true).unwrap());
        assert_eq!(
            r[0].1,
            "关于开展检查的通知\n发文机关：某某市人民政府办公室\n文号：某政办发〔2023〕5号\n发布时间：2023-09-27 06:00\n来源：某某日报\n原文链接：http://x.gov.cn/a.html\n\n各区县：\n一、检查范围\n全市。\n"
        );
    }

    #[test]
    fn jsonl_records_are_numbered_by_line() {
        let src = "{\"title\":\"甲通知\",\"content\":\"正文甲\"}\n\n{\"title\": broken\n[1,2]\n{\"title\":\"乙通知\",\"text\":\"正文乙\"}\n";
        let r = records(src, true).unwrap();
        let nums: Vec<usize> = r.iter().map(|(n, _)| *n).collect();
        assert_eq!(nums, [1, 3, 4, 5]);
        assert!(matches!(r[1].1, Err(SkipReason::Json { line: 3, .. })));
        assert!(matches!(r[2].1, Err(SkipReason::Record(_))));
        assert!(r[3].1.as_ref().unwrap().starts_with("乙通知\n"));
    }

    #[test]
    fn json_arrays_wrappers_and_single_objects() {
        let arr = r#"[{"title":"甲"},{"title":"乙"}]"#;
        assert_eq!(records(arr, false).unwrap().len(), 2);
        let wrapped =
            r#"{"code":0,"data":{"list":[{"title":"甲"},{"title":"乙"},{"title":"丙"}]}}"#;
        assert_eq!(records(wrapped, false).unwrap().len(), 3);
        let single = r#"{"title":"甲通知","content":"正文"}"#;
        assert_eq!(records(single, false).unwrap().len(), 1);
        assert!(matches!(
            records(r#"{"name2":1}"#, false),
            Err(SkipReason::Record(_))
        ));
        assert!(matches!(records("[]", false), Err(SkipReason::NoContent)));
        assert!(matches!(
            records("[{\"title\":1,]", false),
            Err(SkipReason::Json { .. })
        ));
        // JSON Lines saved as .json
        let jl = "{\"title\":\"甲\"}\n{\"title\":\"乙\"}\n";
        assert_eq!(records(jl, false).unwrap().len(), 2);
    }

    #[test]
    fn dates_from_timestamps_and_compact_digits() {
        // 2023-09-26 22:00 UTC is already the 27th in Beijing.
        assert_eq!(
            date_value(&Value::from(1_695_765_600_i64)).as_deref(),
            Some("2023-09-27")
        );
        assert_eq!(
            date_value(&Value::from(1_695_765_600_000_i64)).as_deref(),
            Some("2023-09-27")
        );
        assert_eq!(
            date_value(&Value::from("20230927")).as_deref(),
            Some("2023-09-27")
        );
        assert_eq!(
            date_value(&Value::from("2023年9月27日")).as_deref(),
            Some("2023年9月27日")
        );
    }

    #[test]
    fn html_content_becomes_paragraphs() {
        let rec = r#"{"title":"通知","content":"<div class=\"share\">分享到：微信</div><p>第一段文字。</p><p>第二段<br>换行。</p><script>var x=1;</script>"}"#;
        let r = texts(records(rec, true).unwrap());
        assert!(
            r[0].1.ends_with("\n\n第一段文字。\n第二段\n换行。\n"),
            "{}",
            r[0].1
        );
    }
}
