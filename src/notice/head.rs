//! The head of a notice: everything above its body, where a page saved by
//! hand or by a crawler puts the site's furniture around the document's own
//! title block.
//!
//! What the head may hold, in any order: breadcrumbs and banners, a
//! public-information metadata block (`信息索引号 / 文件名称 / 发布机构 /
//! 成文日期`, a label per line with its value beside it or on the next line),
//! a red header naming the issuer (`XX人民政府办公厅文件`), the document
//! number (`X府发〔2024〕3号`), the issuer's name on lines of its own, the
//! title (possibly broken over two or three lines), a publication timestamp,
//! and a press item's lead sentence (`…印发了《关于…的通知》。全文如下：`).
//!
//! The title is chosen on evidence rather than position: a line that reads
//! as a document title (it names a document kind at its end — 通知, 通报,
//! 公告, 意见 … — or says `关于`) wins over an earlier line that does not,
//! and the head ends where the body begins (the salutation `各…：`, a
//! numbered heading, a paragraph). Only when no line reads as a title is the
//! first remaining line taken, as before: a news headline names no document
//! kind. All matching is done on the folded text (traditional, full-width
//! and bracket forms fold as in search), while what is returned is the text
//! as written.

use std::sync::OnceLock;

use regex::Regex;

use super::Ymd;
use super::fields::{
    dates_in, first_label_at, is_chrome, is_icon, looks_like_agency_list, metadata_pairs,
};
use super::headings::detect;
use crate::normal::normalize;

/// How many non-empty lines the head may have: a metadata block with a
/// label and a value per line takes about 30.
const HEAD_LINES: usize = 80;
/// A title longer than this is a paragraph.
const MAX_TITLE_CHARS: usize = 100;
/// At most this many lines are joined into one title.
const MAX_TITLE_LINES: usize = 3;

/// What was read above the body.
#[derive(Debug, Default)]
pub(super) struct Head {
    /// The title as written (parts of a broken title joined), `""` if none.
    pub title: String,
    /// How the title was found: `line`, `lines` (joined), `label:标题`,
    /// `quoted` (from a press item's lead), `first line`, `first sentence`.
    pub title_source: &'static str,
    /// The issuer named above the title: a red header (`XX文件`) or the
    /// issuer's name on lines of its own, with how it was found.
    pub issuer: Option<(String, &'static str)>,
    /// Metadata label/value pairs read in the head.
    pub meta: Vec<(&'static str, String)>,
    /// A 文号 printed on a line of its own (or before the title).
    pub doc_number: Option<String>,
    /// A publication timestamp standing on its own line (`2020-01-11 09:23`,
    /// `发表于 2023-10-25 11:00`), or opening a line of labels.
    pub timestamp: Option<Ymd>,
    /// A date the title carries at its end, in brackets (removed from it).
    pub title_date: Option<Ymd>,
    /// Index of the first line of the body (after the title).
    pub body_start: usize,
    /// The first line was a whole text run on (no line breaks): it is body
    /// text too, and stays in the first section.
    pub overflow: Option<String>,
    /// The site the page's own title line names after its headline
    /// (`某某情况-某某大学党委巡视办`): who posted it.
    pub site: Option<String>,
}

/// Document kinds a title ends with (folded forms).
const KINDS: &[&str] = &[
    "通知",
    "通报",
    "通告",
    "公告",
    "决定",
    "决议",
    "意见",
    "办法",
    "规定",
    "方案",
    "报告",
    "批复",
    "复函",
    "函",
    "细则",
    "规则",
    "规划",
    "纲要",
    "条例",
    "公报",
    "命令",
    "议案",
    "请示",
    "纪要",
    "要点",
    "规范",
    "指引",
    "指南",
    "清单",
    "守则",
    "章程",
    "准则",
    "制度",
    "提醒",
    "倡议书",
    "公开信",
    "启事",
    "声明",
    "预案",
    "计划",
    "公示",
    "通令",
    "答复",
    "批示",
    "解释",
    "说明",
    "讲话",
    "措施",
    "名单",
    "标准",
    "目录",
    // 封山令, 禁火令, 政府令
    "令",
];

fn doc_number_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        // folded text: every bracket form is ( ), full-width digits ASCII
        Regex::new(r"^[\p{Han}A-Za-z]{1,16}\s*\(\s*(?:19|20)\d{2}\s*\)\s*第?\s*\d{1,5}\s*号")
            .expect("static document number pattern")
    })
}

/// A line that is a document number alone, perhaps in brackets as a
/// regulation prints it under its title (`（某政〔2001〕85号）`): the number
/// as written, without the brackets.
pub(super) fn bracketed_number(line: &str) -> Option<String> {
    let t = line.trim();
    let folded = normalize(t);
    let inner = folded
        .strip_prefix('(')
        .and_then(|f| f.strip_suffix(')'))
        .unwrap_or(&folded)
        .trim();
    let m = doc_number_regex().find(inner)?;
    if m.end() != inner.len() || numbered_order_title(inner) {
        return None;
    }
    // (folding keeps one character for one: cut the same characters)
    let skip = usize::from(inner.len() != folded.len());
    let n = inner.chars().count();
    Some(
        t.chars()
            .skip(skip)
            .take(n)
            .collect::<String>()
            .trim()
            .to_string(),
    )
}

/// An order or announcement titled with its yearly number
/// (`森林防火禁火令(2021)第2号`): a title, though it ends like a 文号.
fn numbered_order_title(folded: &str) -> bool {
    let Some(prefix) = folded.split('(').next() else {
        return false;
    };
    let prefix = prefix.trim();
    prefix.chars().count() >= 4
        && prefix.chars().all(super::is_han)
        && ["禁火令", "封山令", "命令", "通令", "通告"]
            .iter()
            .any(|k| prefix.ends_with(k))
}

/// Trailing things a title is decorated with: `(第14号)`, `(2019-06-17)`,
/// `(试行)`, `(征求意见稿)`, `第二号`, a site name after `_`, ` |`, and
/// closing quote marks.
fn strip_for_kind(folded: &str) -> String {
    strip_decorations(folded, &['|', '-', '_', '》', '"', '”'])
}

/// [`strip_for_kind`] with `trailing` the marks taken off the end.
fn strip_decorations(folded: &str, trailing: &[char]) -> String {
    let mut t: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = t.len();
        if t.ends_with(')')
            && let Some(k) = t.rfind('(')
            && k > 0
        {
            t.truncate(k);
        }
        if let Some(k) = t.rfind('第')
            && t.ends_with('号')
            && t[k..].chars().count() <= 6
        {
            t.truncate(k);
        }
        t = t.trim_end_matches(trailing).to_string();
        if t.len() == before {
            return t;
        }
    }
}

/// A title in English (pkulaw's English-titled records): mostly Latin
/// words, no full stop at the end.
fn english_title(folded: &str) -> bool {
    let words = folded.split_whitespace().count();
    let latin = folded.chars().filter(char::is_ascii_alphabetic).count();
    let n = folded.chars().filter(|c| !c.is_whitespace()).count();
    (3..=60).contains(&words)
        && !folded.chars().any(super::is_han)
        && latin * 2 >= n
        && n <= 400
        && !folded.trim_end().ends_with(['.', ':'])
}

/// Whether folded text reads as a document title: it names a document kind
/// at its end (decorations aside), or says 关于, and has no sentence in it.
fn title_like(folded: &str) -> bool {
    // a 文号 printed before the title says nothing about it
    if let Some(m) = doc_number_regex().find(folded)
        && m.end() < folded.len()
    {
        return title_like(folded[m.end()..].trim_start());
    }
    let n = folded.chars().count();
    if english_title(folded) {
        return true;
    }
    if !(2..=MAX_TITLE_CHARS).contains(&n)
        || folded.contains(['。', '！', '？', ';', '；', '?', '!'])
        || folded.starts_with([',', '、', '.', ':'])
        || folded.starts_with("——")
        || folded.starts_with("--")
        // a notice's closing formula (`特此通告`) names its kind, no title
        || folded.starts_with("特此")
    {
        return false;
    }
    let quoted_end = strip_decorations(folded, &['|', '-', '_']).ends_with('》');
    let core = strip_for_kind(folded);
    let core = core.trim_start_matches(['《', '"', '“']);
    if core.ends_with(':') || core.ends_with(',') {
        return false;
    }
    // a line ending in a cited title (…实施《某某条例》) is a sentence about
    // it, unless it says 关于 outside the quotes (关于转发《…的通知》)
    if quoted_end && !unquoted(core).contains("关于") && !folded.starts_with('《') {
        return false;
    }
    // a line that is only a cited name (《某某条例》, a line of a sentence
    // broken around it) is a title only if it says 关于
    if folded.starts_with('《') && quoted_end && !core.contains("关于") {
        return false;
    }
    // a line opening with a full date is a version or dateline, not a title
    if dates_in(core)
        .first()
        .is_some_and(|(_, start, _)| *start == 0)
    {
        return false;
    }
    // `2号令` under its issuer's line is the number of an order, not a title
    // nor is `某省人民政府令` over its number: the order's header
    let numbered_order = core
        .strip_suffix('令')
        .is_some_and(|r| r.ends_with('号') || super::fields::looks_like_agency(r.trim()));
    (KINDS.iter().any(|k| core.ends_with(k)) && !numbered_order)
        || (unquoted(core).contains("关于")
            && !starts_like_sentence(core)
            && core.chars().count() >= 8)
}

/// Whether `short` is `long` shortened: every character of it found in
/// `long`, in order, and `long` the longer.
fn abridges(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().count() >= 8
        && long.len() > short.len()
        && short.chars().all(|c| rest.any(|d| d == c))
}

/// The number of an order on a line of its own: `2号令`, `第3号令`.
fn order_number(line: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^第?\s*(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,5})\s*号\s*令$")
            .expect("static order number pattern")
    });
    re.is_match(normalize(line).trim())
}

/// A header's number line: `2023年第10号`, `第3号`, `〔2015〕第6号`.
fn number_line(folded: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^\s*(?:\d{4}\s*年\s*|[(\[]\s*\d{4}\s*[)\]]\s*)?第?\s*\d{1,4}\s*号\s*$")
            .expect("static number line pattern")
    });
    re.is_match(folded)
}

/// The issuer of a header that is its name and a document kind alone
/// (`某市公安局交通管理局通告`, `某县人民政府公告`), folded.
fn kind_header(folded: &str) -> Option<String> {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let body = ["通告", "公告", "令"]
        .iter()
        .find_map(|k| compact.strip_suffix(k))?;
    (!body.contains("关于") && super::fields::looks_like_agency(body)).then(|| body.to_string())
}

/// Text outside `《…》` quotes (a title cited inside a line says nothing
/// about the line).
fn unquoted(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '《' => depth += 1,
                '》' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// A title that is whole: it reads as a title and ends with a document
/// kind (a line that only says 关于 may go on on the next line).
fn complete(folded: &str) -> bool {
    english_title(folded)
        || (title_like(folded) && {
            let core = strip_for_kind(folded);
            KINDS.iter().any(|k| core.ends_with(k))
        })
}

/// Whether a title names a document (ends with its kind: 通知, 公告, 办法…)
/// rather than headlining a news item.
pub(super) fn names_document(title: &str) -> bool {
    complete(&super::folded_compact(title))
}

/// Openings of body sentences, never of titles.
fn starts_like_sentence(folded: &str) -> bool {
    [
        "根据",
        "按照",
        "为",
        "经",
        "现将",
        "据",
        "近日",
        "日前",
        "今年",
        "本网",
        "原标题",
    ]
    .iter()
    .any(|p| folded.starts_with(p))
}

/// A line that ends the head: a numbered heading, a paragraph, or the
/// salutation (`各乡镇人民政府，县政府各部门：`).
fn starts_body(line: &str, folded: &str) -> bool {
    if detect(line).is_some() {
        return true;
    }
    if english_title(folded) {
        return false;
    }
    let n = folded.chars().count();
    let sentence = folded.contains(['。', '！', '？', ';', '；']);
    (sentence && n >= 20)
        || n > MAX_TITLE_CHARS
        || (folded.ends_with(':') && n >= 4 && !folded.contains("如下"))
        || (folded.contains(',') && n >= 40)
}

/// A press item's lead that announces the document below it.
fn announces_text(folded: &str) -> bool {
    let t = folded.trim_end();
    t.ends_with("如下:") || t.ends_with("如下") || t.ends_with("全文:")
}

/// A notice's own words leading into its items (`现将有关事项通知如下:`,
/// `现就…通告如下`): what follows is the notice's text, not a document a
/// press item reprints.
fn own_items_lead(folded: &str) -> bool {
    let t = folded.trim_end().trim_end_matches(':');
    let sentence = t.rsplit(['。', ';', '!']).next().unwrap_or(t);
    (sentence.contains("现将") || sentence.contains("现就"))
        && [
            "通知如下",
            "通告如下",
            "公告如下",
            "通报如下",
            "决定如下",
            "明确如下",
        ]
        .iter()
        .any(|w| t.ends_with(w))
}

/// The title of a document a press item reprints in the lead's own
/// paragraph, its text run on after it: `…全文如下:某某关于成立…的通知各省、
/// 自治区…:` → 某某关于成立…的通知, as the line writes it.
fn reprinted_inline(line: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"全文如下\s*:\s*",
            r"(\p{Han}[^,。:;!?《》]{1,40}?关于[^,。:;!?]{2,80}?的",
            r"(?:通知|通告|公告|决定|意见|通报|批复|决议|命令))"
        ))
        .expect("static reprint pattern")
    });
    // (folding keeps one character for one, so the match is the line's)
    let folded = normalize(line);
    let m = re.captures(&folded)?.get(1)?;
    let start = folded[..m.start()].chars().count();
    let len = m.as_str().chars().count();
    title_like(m.as_str().trim()).then(|| {
        line.chars()
            .skip(start)
            .take(len)
            .collect::<String>()
            .trim()
            .to_string()
    })
}

/// A notice's own opening that puts a draft out for comment (`现将《某某
/// 办法（征求意见稿）》全文公布，征求社会各界意见…有关事项告知如下：`): what
/// follows are the notice's arrangements, so the draft it cites is not its
/// title, as a reprinted document's would be.
/// A lead ending `全文如下：` reprints the draft all the same.
fn own_arrangements(folded: &str) -> bool {
    let outside: String = unquoted(folded);
    let t = folded.trim_end().trim_end_matches(':');
    outside.contains("征求")
        && outside.contains("意见")
        && !t.ends_with("全文如下")
        && !t.ends_with("全文")
}

/// The title a press item's lead quotes: `《国务院办公厅关于…的通知》公布：`.
/// A law or rule the lead cites as its basis (`根据《某某条例》…，现将有关事项
/// 通告如下`) is not the document it announces.
fn quoted_title(line: &str) -> Option<String> {
    super::fields::cited(line)
        .filter(|inner| {
            let at = (inner.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
            let clause = line
                .get(..at)
                .unwrap_or("")
                .rsplit([',', '，', '。', ';', '；', ':', '：'])
                .next()
                .unwrap_or("");
            let clause = normalize(clause);
            !["根据", "按照", "依据", "依照", "遵照", "贯彻", "落实"]
                .iter()
                .any(|w| clause.contains(w))
        })
        .filter(|inner| {
            let folded = normalize(inner);
            title_like(&folded) && !folded.contains('《') && inner.chars().count() >= 8
        })
        .max_by_key(|inner| inner.len())
        .map(str::to_string)
}

/// A red header (`某某人民政府办公厅文件`) within the next lines after
/// `from`, before any numbered heading.
fn red_header_ahead(lines: &[&str], from: usize) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(from)
        .filter(|(_, l)| !l.trim().is_empty())
        .take(12)
        .take_while(|(_, l)| detect(strip_bullet(l)).is_none())
        .find(|(_, l)| {
            let l = strip_bullet(l);
            red_header(l, &normalize(l)).is_some()
        })
        .map(|(k, _)| k)
}

/// The next line at or after `from` that is a whole title, when at most
/// `within` short lines (no paragraph, no numbered heading) stand before it.
fn title_ahead(lines: &[&str], from: usize, within: usize) -> Option<usize> {
    let mut seen = 0;
    // the line right above, which may open a title broken over two lines
    let mut above: Option<(usize, String)> = None;
    for (k, l) in lines.iter().enumerate().skip(from) {
        let l = strip_bullet(l);
        if l.is_empty() {
            above = None;
            continue;
        }
        seen += 1;
        let folded = normalize(l);
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        if complete(&compact) && !starts_body(l, &folded) {
            // (`某市重大政策文件` / `解读制度`: the title starts a line up)
            if let Some((a, part)) = above
                && part.chars().count() > 6
                && part.chars().all(super::is_han)
                && complete(&format!("{part}{compact}"))
            {
                return Some(a);
            }
            return Some(k);
        }
        above = (!starts_body(l, &folded)).then_some((k, compact.clone()));
        if seen >= within || compact.chars().count() > 40 || detect(l).is_some() {
            return None;
        }
    }
    None
}

/// Bullets and list marks a metadata block's lines start with.
fn strip_bullet(line: &str) -> &str {
    let l = line
        .trim_start_matches(['•', '·', '●', '◆', '■', '▪', '►', '▶', '○', '◇', '□', '*'])
        .trim();
    // a dash that marks a list item (`- 发布日期：…`), not a rule (`——`)
    match l.strip_prefix("- ").or_else(|| l.strip_prefix("－ ")) {
        Some(rest) => rest.trim(),
        None => l,
    }
}

/// A line that only names a column of the page's breadcrumb (`重要通告`)
/// or recommends its items (`推荐通知公告`): short, saying neither what it
/// is about nor who issues it.
fn column_name(folded: &str, columns: &[String]) -> bool {
    folded.chars().count() <= 8
        && !folded.contains("关于")
        && super::fields::agency_from_title(folded).is_none()
        && columns
            .iter()
            .any(|c| c.chars().count() >= 2 && folded.ends_with(c.as_str()))
}

/// A breadcrumb (`首页 > 政务公开 > 通知公告`, `>政务频道 >本局文件`).
fn is_breadcrumb(folded: &str) -> bool {
    // (a `>` closing a tag, `<script>`, separates nothing)
    let seps = folded.matches(['»', '›', '→']).count()
        + if folded.contains('<') {
            0
        } else {
            folded.matches('>').count()
        };
    let starts = [
        "首页",
        "网站首页",
        "当前位置",
        "您的位置",
        "您所在位置",
        "您当前的位置",
        "位置:",
        "所在位置",
    ];
    // (`当前位置: 首页巢湖快讯`: the label says it, whose separators the
    // copy lost)
    let labelled = [
        "当前位置",
        "您的位置",
        "您所在位置",
        "您当前的位置",
        "所在位置",
    ]
    .iter()
    .any(|s| {
        folded
            .strip_prefix(s)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    });
    folded.starts_with(['>', '»', '›', '→'])
        || labelled
        || (seps >= 1 && starts.iter().any(|s| folded.starts_with(s)))
        || (seps >= 2 && folded.chars().count() <= 80 && !folded.contains(['。', ',']))
}

/// Lines of site furniture that `is_chrome` does not know by their words:
/// banners with an English name, newspaper page labels, archive stamps,
/// player and login buttons.
fn is_site_furniture(folded: &str) -> bool {
    const EXACT: &[&str] = &[
        "朗读",
        "文章播报",
        "播报",
        "举报",
        "登录",
        "注册",
        "无障碍",
        "无障碍版",
        "长者助手",
        "返回",
        "返回列表",
        "发新帖",
        "回复",
        "首页",
        "|",
        "通知公告",
        "最新信息",
        "信息公开",
        "政务公开",
        "正文",
        "阅读",
        "字号",
        "视力保护色",
        "手机版",
        "微信",
        "微博",
        "返回首页",
        "政府信息公开",
        "适老版",
        "关怀版",
        "长者模式",
        "无障碍浏览",
        "网站无障碍",
        "繁体",
        "简体",
    ];
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if EXACT.contains(&compact.as_str()) {
        return true;
    }
    // a line of buttons: 无障碍版 长者助手 登录
    let words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() >= 2 && words.iter().all(|w| EXACT.contains(w)) {
        return true;
    }
    if nav_bar(folded) || page_label(folded) {
        return true;
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:归档时间\s*:",
            r"|[\p{Han}]{2,20}\s+the\s+[a-z' ]+$",
            // a language switch, the site's address alone, a column's name
            // with its English gloss (要闻动态Navigation, 通知公告 NOTICE)
            r"|(?i:en|english|中文|中文版|english\s+version)$",
            r"|(?i:https?://|www\.)[^\s\p{Han}]+$",
            r"|\p{Han}{2,8}\s*[a-zA-Z]{3,}(?:\s[a-zA-Z]{2,}){0,2}$",
            // a plug-in's prompt where a player was
            r"|.{0,40}(?i:flash\s*player)",
            r"|您好\s*[:：]",
            r"|[\p{Han}]{2,12}\d{1,2}月\d{1,2}日\s*电\s*$",
            // an image's file name left where the picture was
            r"|(?i:[^\s]{1,80}\.(?:jpg|jpeg|png|gif|bmp|webp))$",
            r"|欢迎(?:您|访问|光临)",
            // an accessibility link to the page's content
            r"|(?:跳转|跳|直接跳)(?:到|至)?(?:主要|主)?(?:内容|正文)(?:区域?)?$|跳过导航$",
            // the site's own particulars, as its footer gives them
            r"|(?:主办单位|承办单位|协办单位|主办|承办|投稿邮箱|联系邮箱|电子邮箱|网站标识码|技术支持)\s*:",
            // the caption of the page itself: 政策法规详细信息, 新闻详情
            r"|\p{Han}{0,10}(?:详细信息|详情页?|信息详情|内容详情|文章内容|正文内容)$",
            // a forum thread's counters and buttons: 查看: 8822|回复: 0,
            // 收起左侧, [复制链接], 只看该作者, 发新话题 回复该主题
            r"|(?:查看|回复|浏览|阅读|点击)\s*:\s*\d+(?:\s*\|.*)?$",
            r"|(?:\|?\s*(?:收起左侧|\(?复制链接\)?|显示全部楼层|阅读模式|只看该作者|倒序浏览|电梯直达|楼主|发新话题|回复该主题|发表回复|返回列表)\s*\|?\s*)+$",
            r")"
        ))
        .expect("static furniture pattern")
    });
    re.is_match(folded)
}

/// A code standing alone on its line: a rule's registration number
/// (`CYQD00-2019-0014`, `YXDR-2012-00006`), a page's serial.
fn registration_code(folded: &str) -> bool {
    let t = folded.trim();
    (8..=40).contains(&t.len())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A report's byline standing on its line: `本报记者 某某`, `某报记者 某某
/// 通讯员 某某某` (an e-paper may leave a stray letter before it).
fn byline(folded: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^[a-z0-9]?\s*\p{Han}{0,6}?(?:记者|通讯员)\s*:?\s*\p{Han}{2,4}",
            r"(?:[\s、,]+(?:(?:记者|通讯员)\s*:?\s*)?\p{Han}{2,4})*$"
        ))
        .expect("static byline pattern")
    });
    folded.chars().count() <= 40 && re.is_match(folded.trim())
}

/// A site's name standing as a line of its banner: `某某·纪检监察·清风网`,
/// `某某新闻网`, `某某政府门户网站`.
fn site_name(folded: &str) -> bool {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let n = compact.chars().count();
    (3..=20).contains(&n)
        && !compact.contains([',', '。', ':', '"'])
        && ["网", "网站", "门户", "在线", "客户端"]
            .iter()
            .any(|w| compact.ends_with(w))
}

/// A newspaper's page label: `第A03版：要闻`, `第01版:头版`, `第一版：要闻`.
fn page_label(folded: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^第[a-z]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})版\s*[:：]?.{0,12}$")
            .expect("static page label pattern")
    })
    .is_match(folded.trim())
}

/// A site's navigation bar pasted as one line: short items set apart by
/// spaces, with the site's foreign-language versions among them
/// (`中国政府网 省政府网 English Русская версия 市人大`), or a menu spread
/// out letter by letter (`首 页 政 务 公 开 网 上 办 事`). Joint issuers on
/// one line and a spaced-out title (`巡 察 公 告`) are not.
fn nav_bar(folded: &str) -> bool {
    let words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() < 3
        || !folded.chars().any(super::is_han)
        || folded.contains(['。', ',', ';', '?', '!', ':'])
        || words.iter().any(|w| w.chars().count() > 8)
    {
        return false;
    }
    let compact: String = words.concat();
    if title_like(&compact) || looks_like_agency_list(folded) {
        return false;
    }
    let foreign = words.iter().any(|w| {
        w.chars().filter(char::is_ascii_alphabetic).count() >= 2
            || w.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c))
    });
    let spread = words.len() >= 6
        && words.iter().all(|w| w.chars().count() <= 4)
        && !folded.chars().any(|c| c.is_ascii_digit());
    // a menu led by its home link: 首页 要闻动态 巡察工作 审查调查
    let home = ["首页", "网站首页", "首頁"].contains(&words[0]);
    foreign || spread || home
}

/// `湖南省人民政府办公厅文件` → 湖南省人民政府办公厅.
fn red_header(line: &str, folded: &str) -> Option<String> {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let body = compact.strip_suffix("文件")?;
    // a column named 政府文件 or 市政府文件 is a list of documents, not a
    // header: a red header names its body
    let generic = body.trim_start_matches(['省', '市', '县', '区', '本']);
    if !looks_like_agency_list(body)
        || [
            "政府",
            "人民政府",
            "党委",
            "部门",
            "机关",
            "单位",
            "政府办",
            "办公室",
        ]
        .contains(&generic)
    {
        return None;
    }
    let orig: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let n = orig.chars().count();
    Some(orig.chars().take(n.saturating_sub(2)).collect())
}

/// A publication timestamp at the start of a line: `2020-01-11 09:23`,
/// `2020年02月09日 19:35来源:庆元网`, `发表于 2023-10-25 11:00:15`. Returns the
/// date and the rest of the line after the time.
fn leading_timestamp(line: &str) -> Option<(Ymd, &str)> {
    let trimmed = line
        .strip_prefix("发表于")
        .or_else(|| line.strip_prefix("發表於"))
        .or_else(|| line.strip_prefix("发布于"))
        .unwrap_or(line)
        .trim_start();
    let (d, start, end) = *dates_in(trimmed).first()?;
    // a date opening the line, in brackets (`（2011年7月1日）` under a title),
    // or after a site's name (`中央政府门户网站 www.gov.cn 2011年07月01日`)
    let before = trimmed[..start].trim();
    let prefix_ok = before.is_empty()
        || before == "("
        || (before.chars().count() <= 30
            && !before.contains(['。', ',', ';', '，'])
            && trimmed[..start].ends_with(|c: char| c.is_whitespace() || is_icon(c)));
    if !prefix_ok {
        return None;
    }
    let rest = trimmed[end..]
        .trim_start()
        .trim_start_matches(')')
        .trim_start();
    // an optional clock time
    let timed = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '：');
    let clock = timed.len() + 3 <= rest.len();
    let rest = timed;
    // a bar between the time and the labels (`17:03:08 | 来源: 某网`)
    let rest = rest
        .trim()
        .trim_start_matches(['|', '｜', '丨', '/'])
        .trim();
    // a view counter whose number the copy lost (`次浏览`, `123次阅读`)
    let counted = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = ["次浏览", "次阅读", "次点击", "次访问"]
        .iter()
        .find_map(|w| counted.strip_prefix(w))
        .map_or(rest, str::trim_start);
    // a page's byline may follow (`2023-03-17 09:13编辑:某某`)
    let byline = [
        "编辑",
        "责任编辑",
        "作者",
        "浏览",
        "点击",
        "阅读",
        "字号",
        "字体",
    ]
    .iter()
    .any(|w| {
        rest.strip_prefix(w)
            .is_some_and(|r| r.trim_start().starts_with([':', '：']))
    });
    // (or the column the page was posted in, `2026-01-05 16:03:23 社区工作者`:
    // a few words and no more after the clock)
    let column = |r: &str| {
        (1..=12).contains(&r.chars().count())
            && r.chars().all(|c| super::is_han(c) || c == ' ')
            // (not the notice's own name: `2024-01-05 09:00 停电公告`)
            && !KINDS.iter().any(|k| r.ends_with(k))
    };
    (rest.is_empty()
        || byline
        || metadata_pairs(rest).is_some()
        || (clock && (stamped_by(rest) || column(rest))))
    .then_some((d, rest))
}

/// Whether `rest`, what follows a page's time stamp (`2021-02-02 17:15
/// 某某市融媒体中心`), is the name of the body or outlet that posted it: a
/// short name alone, no sentence.
fn stamped_by(rest: &str) -> bool {
    let t = rest.trim();
    let n = t.chars().count();
    (4..=20).contains(&n)
        && t.chars().all(|c| super::is_han(c) || c == ' ')
        && (looks_like_agency_list(t) || super::text::outlet(t))
}

/// Remove a title's decorations, keeping what they say: a leading 文号, a
/// leading column name (`[城市建设]`, `通知公告:`), `《…》` around the whole
/// title, a trailing date in brackets, a trailing site name or bar.
fn clean_title(title: &str, head: &mut Head) {
    let mut t = title.trim().to_string();
    // trailing bar or site name of a page <title>: 通知_某某网, 通知 | 某某
    for sep in [" | ", "_", " - ", "|"] {
        if let Some(k) = t.rfind(sep) {
            let (left, right) = (&t[..k], &t[k + sep.len()..]);
            let site = normalize(right);
            if left.chars().any(super::is_han)
                && title_like(&normalize(left))
                && !title_like(&site)
                && site.chars().count() <= 20
            {
                t = left.trim().to_string();
            }
        }
    }
    t = t.trim_end_matches(['|', ' ']).to_string();
    // a listing's mark that the story has pictures or a video (`…召开[图]`)
    for mark in [
        "[图]",
        "[组图]",
        "(图)",
        "(组图)",
        "（图）",
        "（组图）",
        "【图】",
        "【组图】",
        "[视频]",
        "【视频】",
    ] {
        if let Some(left) = t.strip_suffix(mark)
            && left.chars().filter(|c| super::is_han(*c)).count() >= 4
        {
            t = left.trim().to_string();
        }
    }
    // a forum thread's button after its subject: `某某通告 [复制链接]`
    for button in ["[复制链接]", "【复制链接】", "复制链接"] {
        if let Some(left) = t.strip_suffix(button)
            && title_like(&normalize(left.trim()))
        {
            t = left.trim().to_string();
        }
    }
    // a reprint's words run on after the title it gives (`某某关于…的通知，
    // 全文如下：`)
    for tail in ["全文如下", "全文"] {
        let trimmed = t.trim_end_matches([':', '：', ' ']);
        if let Some(left) = trimmed.strip_suffix(tail) {
            let left = left.trim_end_matches([',', '，', ' ']);
            if title_like(&normalize(left)) {
                t = left.to_string();
                break;
            }
        }
    }
    // an advertisement's name and link pasted before the title
    // (`某某医院 http://example.net/某县指挥部关于…的通知`)
    if let Some(k) = t.find("http://").or_else(|| t.find("https://")) {
        let url_end = t[k..]
            .find(|c: char| !(c.is_ascii_graphic()))
            .map_or(t.len(), |e| k + e);
        let rest = t[url_end..].trim();
        if title_like(&normalize(rest)) {
            t = rest.to_string();
        }
    }
    // leading decorations, in any order: a 文号, a column name in brackets
    // or before a colon
    loop {
        let before = t.clone();
        // a leading 文号
        let folded = normalize(&t);
        if let Some(m) = doc_number_regex().find(&folded) {
            let chars = folded[..m.end()].chars().count();
            let rest: String = t.chars().skip(chars).collect();
            // (a numbered notice's number is its title's core: `某指挥部
            // 〔2021〕第3号通告` keeps it, the kind alone names nothing)
            let kind_only = KINDS.contains(&normalize(rest.trim()).as_str());
            if title_like(&normalize(rest.trim())) && !kind_only {
                head.doc_number
                    .get_or_insert_with(|| t.chars().take(chars).collect());
                t = rest.trim().to_string();
            }
        }
        // a leading column name: [城市建设]关于…, 【通知公告】…, 「通告」…
        for (open, close) in [
            ('[', ']'),
            ('【', '】'),
            ('［', '］'),
            ('〔', '〕'),
            ('「', '」'),
        ] {
            if t.starts_with(open)
                && let Some(k) = t.find(close)
            {
                let rest = t[k + close.len_utf8()..].trim();
                if title_like(&normalize(rest)) {
                    t = rest.to_string();
                }
            }
        }
        // a column name before a bar (`政务服务丨…`), `原标题：`, a disclosure
        // mark glued on (`主动公开`)
        for sep in ['丨', '|', '｜'] {
            if let Some(k) = t.find(sep) {
                let (left, rest) = (&t[..k], t[k + sep.len_utf8()..].trim());
                if left.chars().count() <= 10 && title_like(&normalize(rest)) {
                    t = rest.to_string();
                }
            }
        }
        // a column named after the kind of its documents, before a dash
        // (`应急预案—某市突发公共事件总体应急预案`)
        for sep in ["——", "—", "－"] {
            if let Some(k) = t.find(sep) {
                let (left, rest) = (t[..k].trim(), t[k + sep.len()..].trim());
                let kind = normalize(left);
                if (2..=8).contains(&left.chars().count())
                    && left.chars().all(super::is_han)
                    && normalize(rest).ends_with(&kind)
                    && title_like(&normalize(rest))
                {
                    t = rest.to_string();
                }
            }
        }
        for mark in ["原标题：", "原标题:", "主动公开", "依申请公开"] {
            if let Some(rest) = t.strip_prefix(mark)
                && title_like(&normalize(rest.trim()))
            {
                t = rest.trim().to_string();
            }
        }
        // a column name before a colon: 通知公告：关于…
        if let Some(k) = t.find([':', '：']) {
            let (left, rest) = (&t[..k], t[k..].chars().skip(1).collect::<String>());
            let column = [
                "公告", "公示", "通知", "动态", "要闻", "新闻", "信息", "公开", "文件", "栏目",
                "专栏", "专题", "资讯", "政策", "法规", "快讯", "头条", "通报",
            ];
            let left_folded = normalize(left);
            if left.chars().count() <= 8
                && column.iter().any(|c| left_folded.ends_with(c))
                && title_like(&normalize(rest.trim()))
            {
                t = rest.trim().to_string();
            }
        }
        if t == before {
            break;
        }
    }
    // 《…》 around the whole title
    if t.starts_with('《') && t.ends_with('》') && t.matches('《').count() == 1 {
        t = t['《'.len_utf8()..t.len() - '》'.len_utf8()]
            .trim()
            .to_string();
    }
    // a trailing date in brackets
    if let Some(open) = t.rfind(['(', '（'])
        && (t.ends_with(')') || t.ends_with('）'))
    {
        let inside = &t[open..];
        let found = dates_in(inside);
        if let Some((d, _, _)) = found.first()
            && super::fields::is_date_line(inside).is_some()
            && open > 0
        {
            head.title_date = Some(*d);
            t = t[..open].trim().to_string();
        }
    }
    head.title = t;
}

/// One line of the head, classified.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Could be (part of) the title.
    Candidate,
    /// Names the issuer on its own (`玉环县人民政府办公室` above `关于…`).
    Issuer,
}

/// Read the head of `lines` (trimmed). `None` when no line holds text.
pub(super) fn read(lines: &[&str]) -> Option<Head> {
    let mut head = Head::default();
    let mut cands: Vec<(usize, Kind)> = Vec::new();
    let mut body_start = lines.len();
    let mut seen = 0usize;
    let mut pending_label: Option<&'static str> = None;
    let mut quoted: Option<String> = None;

    // lines of metadata or a timestamp: a page's header block
    let mut meta_lines: Vec<usize> = Vec::new();
    // the columns the page's breadcrumb names (`首页 » 重要通告 » 正文`)
    let mut columns: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = strip_bullet(lines[i]);
        i += 1;
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if seen > HEAD_LINES {
            body_start = i - 1;
            break;
        }
        let folded = normalize(line);
        if let Some(label) = pending_label.take()
            && metadata_pairs(&folded).is_none()
        {
            head.meta.push((label, line.to_string()));
            continue;
        }
        if is_breadcrumb(&folded) {
            // the site's menus stand above its breadcrumb, the document's
            // title below it: a line above that names no document is a
            // menu's
            if !cands
                .iter()
                .any(|(k, _)| complete(&super::folded_compact(strip_bullet(lines[*k]))))
            {
                cands.clear();
            }
            columns.extend(
                folded
                    .split(['>', '»', ':', '/'])
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
            );
            continue;
        }
        // a newspaper's page label (`第01版：要闻`) heads the article: what
        // stands above it is the e-paper site's
        if page_label(&folded) {
            cands.clear();
            continue;
        }
        if is_chrome(line) || is_chrome(&folded) || is_site_furniture(&folded) {
            continue;
        }
        if let Some(pairs) = metadata_pairs(line) {
            meta_lines.push(i - 1);
            if let [(label, value)] = pairs.as_slice()
                && value.is_empty()
            {
                pending_label = Some(label);
            }
            head.meta.extend(pairs);
            continue;
        }
        if let Some((d, rest)) = leading_timestamp(&folded) {
            meta_lines.push(i - 1);
            head.timestamp.get_or_insert(d);
            if !rest.is_empty() {
                // the labels after the time, read from the line as written
                let skip = folded.chars().count() - rest.chars().count();
                let orig: String = line.chars().skip(skip).collect();
                if let Some(p) = metadata_pairs(orig.trim()) {
                    head.meta.extend(p);
                } else if stamped_by(rest) {
                    // the body or outlet that posted the page: its 来源
                    head.meta.push(("来源", rest.trim().to_string()));
                }
            }
            continue;
        }
        if let Some(who) = red_header(line, &folded) {
            head.issuer.get_or_insert((who, "red header"));
            continue;
        }
        if let Some(m) = doc_number_regex().find(&folded)
            && m.end() == folded.trim_end().len()
            && !numbered_order_title(&folded)
        {
            head.doc_number.get_or_insert_with(|| line.to_string());
            continue;
        }
        // a rule's registration number or a page's serial standing alone
        // (`ZFG-2024-001`) names nothing; nor does a report's byline
        if registration_code(&folded) || byline(&folded) {
            continue;
        }
        if starts_body(line, &folded) {
            let none_yet = cands
                .iter()
                .all(|(k, _)| !title_like(&normalize(lines[*k])));
            if none_yet
                && quoted.is_none()
                && (announces_text(&folded) || folded.ends_with(':'))
                && !own_arrangements(&folded)
            {
                quoted = quoted_title(line);
            }
            // a press item's lead (this line or the next): the document
            // follows it, so the head goes on below
            // a short line of page furniture that reads like a salutation
            // or a heading (`请选择时期:`, `第十一条 第二十一条`) ends no head:
            // when a whole title follows within a few short lines, the head
            // goes on from it
            if none_yet
                && quoted.is_none()
                && seen <= 6
                && folded.chars().filter(|c| !c.is_whitespace()).count() <= 20
                && let Some(at) = title_ahead(lines, i, 4)
            {
                cands.clear();
                i = at;
                continue;
            }
            // a site's slogan on the first line, or a page's introduction
            // before a document that opens with its red header
            // (`某省人民政府办公厅文件` / 文号 / title): the document starts there
            if none_yet && quoted.is_none() && seen <= 6 {
                let ahead = if seen == 1 {
                    title_ahead(lines, i, 8)
                } else {
                    None
                };
                if let Some(at) = ahead.or_else(|| red_header_ahead(lines, i)) {
                    cands.clear();
                    i = at;
                    continue;
                }
            }
            if none_yet && seen <= 4 {
                let next = (i..lines.len()).find(|&k| !lines[k].trim().is_empty());
                // (a notice's own lead into its items under its salutation,
                // `现将有关事项通知如下:`, leads into no other document)
                let lead_ends = if announces_text(&folded) {
                    Some(i)
                } else {
                    next.filter(|&k| {
                        let l = normalize(lines[k]);
                        announces_text(&l) && !own_items_lead(&l)
                    })
                    .map(|k| k + 1)
                };
                if let Some(after) = lead_ends {
                    if quoted.is_none() {
                        quoted = next.and_then(|k| quoted_title(lines[k]));
                    }
                    cands.clear();
                    i = after;
                    continue;
                }
            }
            body_start = i - 1;
            break;
        }
        if (folded.starts_with("——") || folded.starts_with("--")) && !cands.is_empty() {
            // a subtitle (——在…上的报告) belongs to the line above
            continue;
        }
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        let kind = if looks_like_agency_list(&folded) && !title_like(&compact) {
            Kind::Issuer
        } else {
            Kind::Candidate
        };
        cands.push((i - 1, kind));
    }
    if let Some(label) = pending_label {
        head.meta.push((label, String::new()));
    }
    // No line above the body reads as a title: a page that reprints a
    // notice may introduce it in a paragraph first (`…通告全文如下`), the
    // notice's title on the line after
    if quoted.is_none()
        && cands
            .iter()
            .all(|(k, _)| !title_like(&normalize(strip_bullet(lines[*k]))))
    {
        let body: Vec<&str> = lines[body_start.min(lines.len())..]
            .iter()
            .map(|l| strip_bullet(l))
            .filter(|l| !l.is_empty())
            .take(12)
            .collect();
        quoted = body
            .windows(2)
            .find(|w| {
                let next = normalize(w[1]);
                announces_text(&normalize(w[0]))
                    && complete(
                        &next
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .collect::<String>(),
                    )
                    && !starts_body(w[1], &next)
            })
            .map(|w| w[1].to_string())
            // or in a lead of its own after an editor's words (`…发布《某某
            // 关于…的通知》，全文如下：`), the notice's text below it
            .or_else(|| {
                body.iter()
                    .find(|l| {
                        let t = normalize(l);
                        let t = t.trim_end().trim_end_matches(':');
                        t.ends_with("全文如下") || t.ends_with("全文")
                    })
                    .and_then(|l| quoted_title(l))
            });
    }

    // The title: the first line (or run of up to three lines) that reads as
    // one; lines naming the issuer just above it are the issuer.
    // each candidate folded once, spaces out (an English title kept whole:
    // its words are what make it a title)
    let folded: Vec<String> = cands
        .iter()
        .map(|&(k, _)| {
            let f = normalize(strip_bullet(lines[k]));
            if english_title(&f) {
                f
            } else {
                f.chars().filter(|c| !c.is_whitespace()).collect()
            }
        })
        .collect();
    // Every line, or run of lines, that reads as a title, in order.
    // a line naming the issuer above a title broken over three lines does
    // not count against them
    let max_lines =
        |a: usize| (MAX_TITLE_LINES + usize::from(cands[a].1 == Kind::Issuer)).min(cands.len() - a);
    // parts join across blank lines only, a Latin line never joins a Han one
    let joinable = |prev: usize, this: usize, next: &str| {
        !lines[cands[prev].0 + 1..cands[this].0]
            .iter()
            .any(|l| !l.trim().is_empty())
            && next.chars().any(super::is_han)
    };
    // `关于印发某某办法` is whole as it stands, but a title that 印发s a
    // document ends with 的通知: when the lines below complete it so, they
    // are its parts (`…公示办法` / `…全过程记录` / `办法的通知`)
    let extend = |a: usize, len: usize| -> usize {
        let joined: String = (a..a + len).map(|c| folded[c].as_str()).collect();
        let core = strip_for_kind(&joined);
        let issues = ["印发", "转发", "颁发"]
            .iter()
            .any(|w| unquoted(&core).contains(w));
        let notice = ["通知", "通报", "决定", "公告", "通告", "意见", "批复"]
            .iter()
            .any(|k| core.ends_with(k));
        if !issues || notice {
            return len;
        }
        for more in len + 1..=max_lines(a) {
            if !joinable(a + more - 2, a + more - 1, &folded[a + more - 1]) {
                break;
            }
            let longer: String = (a..a + more).map(|c| folded[c].as_str()).collect();
            if longer.chars().count() > MAX_TITLE_CHARS {
                break;
            }
            let core = strip_for_kind(&longer);
            if complete(&longer) && ["通知", "通报", "决定"].iter().any(|k| core.ends_with(k))
            {
                return more;
            }
        }
        len
    };
    let option_at = |a: usize| -> Option<(usize, usize, bool)> {
        let first = &folded[a];
        if complete(first) {
            return Some((a, extend(a, 1), true));
        }
        // a title broken over lines opens with a long part, the issuer's
        // name or 关于: a short column name or button above it is no part
        // of it (`返回首页` / `政府信息公开` / `某县防汛应急预案`)
        let opens = first.chars().count() > 6
            || cands[a].1 == Kind::Issuer
            || ["关于", "印发", "转发"]
                .iter()
                .any(|w| first.starts_with(w));
        if !opens {
            return title_like(first).then_some((a, 1, false));
        }
        for len in 2..=max_lines(a) {
            let (prev, this) = (cands[a + len - 2].0, cands[a + len - 1].0);
            let next = &folded[a + len - 1];
            // parts join across blank lines only, a Latin line never joins
            // a Han one, and a line naming the issuer joins only the 关于
            // line of its title (or a bare 通告)
            if lines[prev + 1..this].iter().any(|l| !l.trim().is_empty())
                || !first.chars().any(super::is_han)
                || !next.chars().any(super::is_han)
                || (cands[a + len - 2].1 == Kind::Issuer
                    && cands[a + len - 1].1 != Kind::Issuer
                    && !["关于", "印发", "转发"].iter().any(|w| next.starts_with(w))
                    && !KINDS.contains(&strip_for_kind(next).as_str()))
            {
                break;
            }
            let joined: String = (a..a + len).map(|c| folded[c].as_str()).collect();
            if joined.chars().count() > MAX_TITLE_CHARS {
                break;
            }
            if complete(&joined) {
                return Some((a, extend(a, len), true));
            }
        }
        title_like(first).then_some((a, 1, false))
    };
    let mut options: Vec<(usize, usize, bool)> = Vec::new();
    let mut a = 0;
    while a < cands.len() {
        match option_at(a) {
            Some(o) => {
                options.push(o);
                a += o.1;
            }
            None => a += 1,
        }
    }
    // A page names the document above its own title block (a headline, an
    // aggregator's title), with its metadata lines between the two: then
    // the last title after such lines, within a few lines of the first, is
    // the document's own. A title repeated in the text (a law's name again
    // under its version lines) has no metadata between, and an English
    // title is a record's own.
    let first_complete = options.first().copied();
    let mut chosen: Option<(usize, usize)> = match first_complete {
        Some((a, len, _)) if english_title(&folded[a]) => Some((a, len)),
        Some((a, len, _)) => {
            let end = cands[a + len - 1].0;
            let window = cands[a].0 + 16;
            let text_of = |o: &(usize, usize, bool)| -> String {
                (o.0..o.0 + o.1).map(|c| folded[c].as_str()).collect()
            };
            let first_text = text_of(&(a, len, true));
            options
                .iter()
                .rfind(|o| {
                    let text = text_of(o);
                    // the document's own title says what it is about and
                    // who issues it, and is not a part of the headline
                    let own = unquoted(&text).contains("关于")
                        || super::fields::agency_from_title(&text).is_some()
                        || (o.0 > 0 && cands[o.0 - 1].1 == Kind::Issuer)
                        // the headline shortened from it (`…马拉松赛部分路段…`
                        // above `…“马拉松赛事”期间对部分路段…`)
                        || abridges(&first_text, &text)
                        // or retold shorter as a document of the same kind
                        // (`2024年某市事业单位招聘89人公告` above
                        // `某市2024年事业单位统一公开招聘工作人员公告`)
                        || (text.chars().count() > first_text.chars().count()
                            && KINDS.iter().any(|k| {
                                strip_for_kind(&text).ends_with(k)
                                    && strip_for_kind(&first_text).ends_with(k)
                            }));
                    // the headline repeated under the issuer's own line is
                    // the document's title block
                    let issuer_led = cands[o.0].1 == Kind::Issuer
                        || (o.0 > 0 && cands[o.0 - 1].1 == Kind::Issuer);
                    o.2 && own
                        && (issuer_led
                            || (!first_text.contains(&text) && !text.contains(&first_text)))
                        && o.0 != a
                        && cands[o.0].0 <= window
                        && meta_lines.iter().any(|&m| m > end && m < cands[o.0].0)
                })
                .map(|o| (o.0, o.1))
                .or(Some((a, len)))
        }
        None => None,
    };
    // A page's headline repeated under the document's own header, only the
    // issuer's line between (`2022年某某年度报告` / `某镇人民政府` /
    // `2022年某某年度报告`): the second is the document's title block.
    // (or the issuer's line opens the title broken over lines: `某镇人民政府`
    // / `关于加强…的` / `通告` under `关于加强…的通告`)
    if let Some((a, len)) = chosen
        && let Some(o) = options.iter().find(|o| {
            let headline: String = (a..a + len).map(|c| folded[c].as_str()).collect();
            let text: String = (o.0..o.0 + o.1).map(|c| folded[c].as_str()).collect();
            o.0 >= a + len
                && o.2
                && text.ends_with(&headline)
                && (a + len..o.0).all(|c| cands[c].1 == Kind::Issuer)
                && (o.0 > a + len || cands[o.0].1 == Kind::Issuer)
                && cands[o.0].0 <= cands[a + len - 1].0 + 8
        })
    {
        let b = (o.0..o.0 + o.1)
            .find(|&c| cands[c].1 != Kind::Issuer)
            .unwrap_or(o.0);
        // (the same title: a headline naming the issuer itself is the
        // fuller one)
        let headline: String = (a..a + len).map(|c| folded[c].as_str()).collect();
        let own: String = (b..o.0 + o.1).map(|c| folded[c].as_str()).collect();
        if own == headline {
            chosen = Some((b, o.0 + o.1 - b));
        }
    }
    // A page often repeats its own name for the document right above the
    // document's title: when the next title-like line names its issuer and
    // the chosen one does not, the next one is the document's own.
    if let Some((a, len)) = chosen
        && let Some(b) = (a + len < cands.len()).then_some(a + len)
        && len == 1
        && lines[cands[a].0].chars().any(super::is_han)
        && title_like(&folded[b])
        && super::fields::agency_from_title(strip_bullet(lines[cands[a].0])).is_none()
        && super::fields::agency_from_title(strip_bullet(lines[cands[b].0])).is_some()
    {
        chosen = Some((b, 1));
    }
    // A column's name standing alone above the title (`重要通告`, named in
    // the breadcrumb too): the next title that says what it is about or who
    // issues it is the document's.
    if let Some((a, 1)) = chosen
        && column_name(folded[a].trim(), &columns)
        && let Some(o) = options.iter().find(|o| {
            let t: String = (o.0..o.0 + o.1).map(|c| folded[c].as_str()).collect();
            o.0 > a
                && o.2
                && cands[o.0].0 <= cands[a].0 + 16
                && (unquoted(&t).contains("关于") || super::fields::agency_from_title(&t).is_some())
        })
    {
        chosen = Some((o.0, o.1));
    }
    // A news headline that says a body published the notice
    // (`某区公布关于划定…`, cut short) above the notice's own title: the
    // title is the notice's.
    let announces = |t: &str| {
        [
            "公布关于",
            "发布关于",
            "印发关于",
            "出台关于",
            "公布《关于",
            "发布《关于",
            "印发《关于",
        ]
        .iter()
        .any(|v| t.contains(v))
    };
    if let Some((a, len)) = chosen
        && announces(&folded[a])
    {
        // the notice's title may have been read as the headline's second line
        if let Some(b) = (a + 1..a + len).find(|&b| folded[b].trim_start().starts_with("关于")) {
            chosen = Some((b, a + len - b));
        } else if let Some(o) = options.iter().find(|o| {
            let t: String = (o.0..o.0 + o.1).map(|c| folded[c].as_str()).collect();
            o.0 >= a + len
                && o.2
                && cands[o.0].0 <= cands[a + len - 1].0 + 4
                && t.starts_with("关于")
        }) {
            chosen = Some((o.0, o.1));
        }
    }
    // A notice headed by its issuer and its kind (`某市公安局交通管理局通告`
    // over `2023年第10号`) gives its title on the lines below: the title
    // that says what it is about is the document's, the header names the
    // issuer.
    if let Some((a, 1)) = chosen
        && let Some(issuer) = kind_header(&folded[a])
        && let Some(o) = options.iter().find(|o| {
            let t: String = (o.0..o.0 + o.1).map(|c| folded[c].as_str()).collect();
            o.0 > a && o.2 && cands[o.0].0 <= cands[a].0 + 4 && unquoted(&t).contains("关于")
        })
    {
        // the header's number line (`2023年第10号`) is no part of the title
        let skip = (o.0..o.0 + o.1)
            .take_while(|&c| number_line(&folded[c]))
            .count()
            .min(o.1 - 1);
        chosen = Some((o.0 + skip, o.1 - skip));
        let orig: String = strip_bullet(lines[cands[a].0])
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(issuer.chars().count())
            .collect();
        head.issuer.get_or_insert((orig, "above title"));
    }
    // A page titled with the name of a document (a wiki's or database's
    // entry `某市档案管理规定`) above the notice that issues it (`某市人民
    // 政府关于印发某市档案管理规定的通知`): the notice is the document.
    if let Some((a, len)) = chosen {
        let text_of = |a: usize, len: usize| -> String {
            (a..a + len)
                .map(|c| folded[c].as_str())
                .collect::<String>()
                .replace(['《', '》'], "")
        };
        let first = text_of(a, len);
        if !first.contains("关于") && super::fields::agency_from_title(&first).is_none() {
            let window = cands[a].0 + 16;
            if let Some(o) = options.iter().find(|o| {
                let t = text_of(o.0, o.1);
                o.0 > a
                    && o.2
                    && cands[o.0].0 <= window
                    && t.contains("关于")
                    && t.contains(&first)
                    && super::fields::agency_from_title(&t).is_some()
            }) {
                chosen = Some((o.0, o.1));
            }
        }
    }
    // a title that opens with its issuer's line takes the other issuers'
    // lines stacked above it too (several bodies issue it jointly)
    if let Some((mut a, mut len)) = chosen
        && cands[a].1 == Kind::Issuer
    {
        while a > 0
            && cands[a - 1].1 == Kind::Issuer
            && lines[cands[a - 1].0 + 1..cands[a].0]
                .iter()
                .all(|l| l.trim().is_empty())
            && len < 2 * MAX_TITLE_LINES
        {
            a -= 1;
            len += 1;
        }
        chosen = Some((a, len));
    }
    let meta_title = head
        .meta
        .iter()
        .find(|(k, v)| ["标题", "文件名称", "名称", "文章标题"].contains(k) && !v.is_empty())
        .map(|(k, v)| (*k, v.clone()));
    let mut title: String;
    // a document a press item reprints right after its lead, run on in the
    // same paragraph (`…全文如下:某某关于…的通知各省…:`), over a headline
    // (not over a document's own title line)
    let reprinted = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .find_map(|l| reprinted_inline(l));
    let own_title = chosen.is_some_and(|(a, len)| {
        (a..a + len).any(|c| normalize(lines[cands[c].0]).contains("关于"))
    });
    if let Some(r) = reprinted.clone().filter(|_| !own_title) {
        title = r;
        head.title_source = "quoted";
        body_start = cands
            .first()
            .map_or(body_start, |(k, _)| (*k).min(body_start));
    } else if let Some((a, len)) = chosen {
        let parts: Vec<&str> = (a..a + len)
            .map(|c| strip_bullet(lines[cands[c].0]))
            .collect();
        title = join_title(&parts);
        head.title_source = if len > 1 { "lines" } else { "line" };
        // issuer lines stacked right above the title (only blank lines
        // between), or opening a title broken over lines
        let mut names: Vec<String> = Vec::new();
        let mut below = cands[a].0;
        for &(k, kind) in cands[..a].iter().rev() {
            if kind != Kind::Issuer || lines[k + 1..below].iter().any(|l| !l.trim().is_empty()) {
                break;
            }
            names.insert(0, strip_bullet(lines[k]).to_string());
            below = k;
        }
        for c in a..a + len - 1 {
            if cands[c].1 != Kind::Issuer {
                break;
            }
            names.push(strip_bullet(lines[cands[c].0]).to_string());
        }
        if !names.is_empty() && head.issuer.is_none() {
            let parts: Vec<&str> = names
                .iter()
                .flat_map(|n| n.split([' ', '\u{3000}', '、']))
                .filter(|p| !p.is_empty())
                .collect();
            head.issuer = Some((parts.join("、"), "above title"));
        }
        body_start = cands[a + len - 1].0 + 1;
    } else if let Some((k, v)) = meta_title.clone() {
        title = v;
        head.title_source = label_source(k);
        body_start = cands
            .first()
            .map_or(body_start, |(k, _)| (*k).min(body_start));
    } else if let Some(q) = quoted.clone() {
        title = q;
        head.title_source = "quoted";
        body_start = cands
            .first()
            .map_or(body_start, |(k, _)| (*k).min(body_start));
    } else if let Some(&(k, _)) = cands
        .iter()
        .find(|(k, _)| {
            let folded = normalize(strip_bullet(lines[*k]));
            !site_name(&folded) && folded.chars().filter(|c| !c.is_whitespace()).count() > 6
        })
        .filter(|(k, _)| {
            // the headline stands right above its 发布时间/来源 line
            let next = (k + 1..lines.len()).find(|&j| !lines[j].trim().is_empty());
            *k <= cands[0].0 + 6 && next.is_some_and(|j| meta_lines.contains(&j))
        })
        .or(cands.first())
    {
        // a news headline names no document kind: the first line that can
        // be one, past a column's name above it (`巡察工作`, `重要通告`)
        title = strip_bullet(lines[k]).to_string();
        head.title_source = "first line";
        body_start = k + 1;
    } else {
        // no line before the body: the text itself starts at once (a file
        // without line breaks, or a body with no title)
        // (past the page's breadcrumb, buttons and stamps, which the loop
        // above passed over)
        let passed_over = |l: &&str| {
            let folded = normalize(strip_bullet(l));
            l.trim().is_empty()
                || is_breadcrumb(&folded)
                || is_chrome(l)
                || is_site_furniture(&folded)
                || metadata_pairs(l).is_some()
                || leading_timestamp(&folded).is_some()
                || registration_code(&folded)
        };
        // (and past a site's short slogan or link that no title reads as:
        // `开启全网商机`, `登录/注册`)
        let short_junk = |l: &&str| {
            let folded = normalize(l.trim());
            folded.chars().count() <= 12 && !title_like(&folded)
        };
        let k = lines
            .get(body_start)
            .filter(|l| {
                !l.trim().is_empty()
                    && lines[..body_start]
                        .iter()
                        .all(|l| passed_over(l) || short_junk(l))
            })
            .map(|_| body_start)
            .or_else(|| lines.iter().position(|l| !passed_over(l) && !short_junk(l)))
            .or_else(|| lines.iter().position(|l| !l.trim().is_empty()))?;
        let first = strip_bullet(lines[k]);
        head.overflow = Some(first.to_string());
        title = first_sentence_title(first);
        head.title_source = "first sentence";
        // a text that starts with its body (a page cut above the title, a
        // paste without it) has no title: not its 文号, its salutation or
        // its first sentence
        let rest = first
            .strip_prefix(title.as_str())
            .unwrap_or("")
            .trim_start();
        // (nor its first numbered heading: `一、总体情况`, `第一章 总则`)
        if !opens_as_title(&title, rest) || detect(first).is_some() {
            title.clear();
            head.title_source = "none";
        }
        // a page run on into one line keeps its labels after the headline
        // (`某某事 来源:某局 发布时间:2018-08-01 …`): read them
        if let Some(at) = first_label_at(first)
            && first.len() > title.len()
            && at >= title.len()
            && let Some(pairs) = metadata_pairs(&first[at..])
        {
            head.meta.extend(pairs);
        }
        body_start = k + 1;
    }
    // an order's issuer over its number (`某某指挥部` / `2号令`): the two
    // lines are its title
    if looks_like_agency_list(&normalize(&title))
        && let Some(k) = (body_start..lines.len()).find(|&k| !lines[k].trim().is_empty())
        && order_number(lines[k])
    {
        title.push_str(lines[k].trim());
        if head.overflow.is_some() {
            head.overflow = Some(title.clone());
        }
        body_start = k + 1;
    }
    head.body_start = body_start;
    clean_title(&title, &mut head);
    if head.title.is_empty() {
        head.title_source = "none";
    }
    head.site = page_title_site(&lines[..body_start.min(lines.len())], &head.title);
    Some(head)
}

/// The site a page's title line names after the headline, as a browser
/// shows it (`> 某某情况-某某大学党委巡视办`, `某某情况_某某网`): a line above
/// the body that is the title, a separator and a name.
fn page_title_site(lines: &[&str], title: &str) -> Option<String> {
    let compact = super::folded_compact;
    let t = compact(title);
    if t.chars().count() < 6 {
        return None;
    }
    lines.iter().find_map(|l| {
        let c = compact(l.trim_start_matches(['>', '»', ' ']));
        let rest = c.strip_prefix(t.as_str())?;
        let name = rest
            .strip_prefix(['-', '_', '|', '—'])?
            .trim_start_matches(['-', '—']);
        // the name as the line writes it
        let n = name.chars().count();
        let orig: String = l.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let orig: String = orig
            .chars()
            .skip(orig.chars().count().checked_sub(n)?)
            .collect();
        ((2..=30).contains(&n) && !name.contains(['-', '_', '|'])).then_some(orig)
    })
}

fn label_source(label: &str) -> &'static str {
    match label {
        "标题" => "label:标题",
        "文件名称" => "label:文件名称",
        "文章标题" => "label:文章标题",
        _ => "label:名称",
    }
}

/// Join the parts of a broken title: Han text joins directly, Latin words
/// keep a space between them.
fn join_title(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.trim();
        if let (Some(a), Some(b)) = (out.chars().last(), p.chars().next())
            && a.is_ascii_alphanumeric()
            && b.is_ascii_alphanumeric()
        {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// Whether the opening of a text without a title line can be its title:
/// not a document number alone, a salutation (`各乡镇人民政府，…：`), nor a
/// body sentence (`根据市委统一部署，…`, `当前，我县已进入…`).
fn opens_as_title(opening: &str, rest: &str) -> bool {
    let folded: String = normalize(opening)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let number_only = doc_number_regex()
        .find(&folded)
        .is_some_and(|m| m.start() == 0 && m.end() == folded.len());
    let sentence = starts_like_sentence(&folded)
        || ["当前", "目前", "近年来", "为了", "随着"]
            .iter()
            .any(|w| folded.starts_with(w))
        // a sentence with its clauses, and more sentences after it (a
        // title with a comma is the whole line: `高举…旗帜，把…推向二十一世纪`)
        || (folded.contains(',') && rest.starts_with(['。', '！', '？', '；']))
        // a statement closed by its full stop with more sentences run on
        // after it (`县、乡换届选举大致分为…等阶段。本次选民登记时间为…`):
        // a headline names a document or an event, and stops without one
        || (rest.starts_with(['。', '；'])
            && rest.chars().count() > 20
            && !KINDS.iter().any(|k| folded.ends_with(k)))
        // a line that is one long statement closed by its full stop (`因…
        // 占用某路部分车道半封闭施工。`): a headline stops without one
        // (one naming a document run on into its text stays: `某县年鉴编纂
        // 工作的通知第2页…。`, a title and a page joined by the layout)
        || (rest.trim_end() == "。"
            && folded.chars().count() >= 20
            && !KINDS.iter().any(|k| folded.contains(k)));
    !folded.is_empty()
        && !number_only
        && !folded.ends_with(':')
        && !sentence
        && dateline_outlet(&folded).is_none()
}

/// The outlet of a news dateline opening a text: `新华社北京7月29日电`,
/// `【中新社北京十二月三日电】` → 新华社, 中新社. `folded` is normalized.
pub(super) fn dateline_outlet(folded: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^[【\[(]?\s*(?:(\p{Han}{2,12}?)\s*",
            r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日\s*(?:[电讯]|消息)",
            // a lead naming whose report it retells: 据某某网报道
            r"|据(\p{Han}{2,12}?)(?:报道|消息)",
            // an outlet's dateline without the day: 某都讯 …
            r"|(\p{Han}{2,6})讯(?:\s|[(（【:])",
            // an app's or outlet's byline opening the story: 某某报道：
            r"|(\p{Han}{2,8}?)报道[:：])"
        ))
        .expect("static dateline pattern")
    });
    let c = re.captures(folded)?;
    if let Some(who) = c.get(4).map(|m| m.as_str()) {
        // (`本台报道：`, `记者报道：`, `综合报道：`: no outlet named)
        let unnamed = who.starts_with(['本', '据'])
            || [
                "记者", "综合", "新闻", "消息", "图片", "视频", "专题", "独家", "特别", "网友",
            ]
            .iter()
            .any(|w| who.ends_with(w));
        return (!unnamed).then(|| who.to_string());
    }
    if let Some(who) = c.get(3).map(|m| m.as_str()) {
        // (`本报讯`: this paper, whichever it is; `新闻快讯`, `图讯`: a column)
        let column = who.ends_with(['快', '简', '资', '通', '喜', '短', '视', '电', '音', '图']);
        return (!who.starts_with('本') && !column).then(|| who.to_string());
    }
    let who = c.get(1).or_else(|| c.get(2))?.as_str();
    // `本报5月29日讯`: this paper, whichever it is
    if who.starts_with('本') {
        return None;
    }
    // the outlet ends the name, the place follows it (新华社北京)
    let end = ["日报", "晚报", "社", "报", "网", "电视台", "台"]
        .iter()
        .filter_map(|w| who.find(w).map(|i| i + w.len()))
        .min()?;
    let outlet = &who[..end];
    (outlet.chars().count() >= 2).then(|| outlet.to_string())
}

/// The title at the start of a text run on without line breaks: the
/// shortest opening that reads as a title (`关于…的通知为切实…` → `关于…的通知`),
/// else the first sentence, at most 200 characters.
fn first_sentence_title(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = normalize(text).chars().collect();
    for end in 6..=MAX_TITLE_CHARS.min(chars.len()) {
        let f: String = folded[..end].iter().collect();
        if f.contains(['。', '，', ',', ':', '；']) {
            break;
        }
        // (a numbered notice names its number instead: `某指挥部〔2021〕第3号
        // 通告为切实保障…`)
        let numbered = ["号通告", "号公告"].iter().any(|k| f.ends_with(k)) && f.contains('第');
        if KINDS.iter().any(|k| f.ends_with(k))
            && (f.contains("关于") || numbered || end == chars.len())
        {
            // a forwarded document's kind, then the notice's own:
            // `…的通报的通知`
            let mut end = end;
            while folded.get(end) == Some(&'的') {
                let rest: String = folded[end + 1..].iter().take(8).collect();
                match KINDS.iter().find(|k| rest.starts_with(*k)) {
                    Some(k) => end += 1 + k.chars().count(),
                    None => break,
                }
            }
            return chars[..end].iter().collect();
        }
    }
    let cut: String = chars.iter().take(200).collect();
    // (a headline may exclaim or ask before its last words: `放假通知！今年
    // 春节休7天`)
    let short_tail = |k: usize| {
        let tail = &cut[k..];
        tail.chars().count() <= 21 && !tail.contains(['。', '；'])
    };
    let cut = match cut.find(['。', '！', '？', '；']) {
        Some(k) if k > 0 && !(cut[k..].starts_with(['！', '？']) && short_tail(k)) => {
            cut[..k].to_string()
        }
        _ => cut,
    };
    // a headline run on into its page's labels ends before them
    match first_label_at(&cut) {
        Some(k) if cut[..k].trim().chars().count() >= 6 => cut[..k].trim().to_string(),
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Head {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        read(&lines).expect("a head")
    }

    #[test]
    fn titles_read_as_titles() {
        for t in [
            "中共三门县投资促进中心党组关于巡察整改进展情况的通报",
            "关于印发《某某办法》的通知",
            "某县人民政府拟征收土地公告",
            "通 知",
            "巡 察 公 告",
            "關於加強意識形態工作的通知",
            "某某指挥部通告(第14号)",
        ] {
            assert!(title_like(&normalize(t)), "{t}");
        }
        assert!(is_breadcrumb(&normalize("首页 > 政务公开 > 通知公告")));
        assert!(nav_bar(&normalize(
            "中国政府网 某省政府网 English Русская версия 市人大"
        )));
        assert!(nav_bar(&normalize("首 页 政 务 公 开 网 上 办 事")));
        assert!(!nav_bar(&normalize("巡 察 公 告")));
        assert!(!nav_bar(&normalize("某部 某局 某委 某署")));
        assert!(!title_like(&normalize("，1945年某某大会报告")));
        for t in [
            "根据区委统一部署，现将整改情况通报如下：",
            "2024年部分节假日安排公布:春节连休8天",
            "某某人民政府",
        ] {
            assert!(!title_like(&normalize(t)), "{t}");
        }
    }

    #[test]
    fn chrome_and_metadata_before_the_title_are_passed_over() {
        let h = head(
            "首页 > 政务公开 > 通知公告\n某县人民政府 The People's Government of Mou County\n\
             • 信息索引号:\n  0001/2024-00001\n• 发布机构:\n  某县人民政府办公室\n朗读\n\
             某县人民政府办公室关于做好春节期间安全工作的通知\n各乡镇人民政府，县政府各部门：\n正文。",
        );
        assert_eq!(
            head_title(&h),
            "某县人民政府办公室关于做好春节期间安全工作的通知"
        );
        assert_eq!(h.title_source, "line");
        assert!(
            h.meta
                .contains(&("发布机构", "某县人民政府办公室".to_string()))
        );
    }

    fn head_title(h: &Head) -> &str {
        &h.title
    }

    #[test]
    fn red_header_number_and_broken_title() {
        let h = head(
            "某省人民政府办公厅文件\n\n某政办发〔2009〕24号\n\n某省人民政府办公厅关于加强普通高等学校\n\n\
             毕业生就业工作的通知\n\n各市州人民政府：\n",
        );
        assert_eq!(
            h.title,
            "某省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知"
        );
        assert_eq!(h.title_source, "lines");
        assert_eq!(
            h.issuer.as_ref().map(|x| x.0.as_str()),
            Some("某省人民政府办公厅")
        );
        assert_eq!(h.doc_number.as_deref(), Some("某政办发〔2009〕24号"));
    }

    #[test]
    fn issuers_on_lines_of_their_own() {
        let h = head("中共某镇委员会\n某镇人民政府\n关于印发《某某方案》的通知\n各村：\n");
        assert_eq!(
            h.title,
            "中共某镇委员会某镇人民政府关于印发《某某方案》的通知"
        );
        assert_eq!(
            h.issuer.as_ref().map(|x| x.0.as_str()),
            Some("中共某镇委员会、某镇人民政府")
        );
    }

    #[test]
    fn press_items_give_the_quoted_or_following_title() {
        let h = head(
            "某事安排公布：春节连休8天\n来源：某某网 更新时间：2023-10-25\n\
             据某某消息，《国务院办公厅关于某事安排的通知》公布：\n一、元旦：1月1日放假。\n",
        );
        assert_eq!(h.title, "国务院办公厅关于某事安排的通知");
        assert_eq!(h.title_source, "quoted");
        let h = head(
            "某部、某局今日发布某某公告。全文如下：\n某部 某局\n某机关2013年度考试录用公务员公告\n为满足需要，现公告如下。\n",
        );
        assert_eq!(h.title, "某机关2013年度考试录用公务员公告");
        assert_eq!(h.issuer.as_ref().map(|x| x.0.as_str()), Some("某部、某局"));
    }

    #[test]
    fn decorations_come_off_the_title() {
        let h = head("京政办发〔2016〕26号《某市人民政府办公厅关于印发某某要点的通知》\n各区：\n");
        assert_eq!(h.title, "某市人民政府办公厅关于印发某某要点的通知");
        assert_eq!(h.doc_number.as_deref(), Some("京政办发〔2016〕26号"));
        let h = head("[城市建设]关于实施交通管制的通告(2021-10-09)\n正文，很长的一段话。\n");
        assert_eq!(h.title, "关于实施交通管制的通告");
        assert_eq!(
            h.title_date.map(|d| d.to_string()).as_deref(),
            Some("2021-10-09")
        );
    }

    #[test]
    fn a_text_without_line_breaks_starts_with_its_title() {
        let h = head(
            "关于做好节假期间森林防火工作的通知为切实做好森林防火工作，现通知如下：各单位要落实责任。",
        );
        assert_eq!(h.title, "关于做好节假期间森林防火工作的通知");
        assert_eq!(h.title_source, "first sentence");
        assert!(h.overflow.is_some());
    }

    #[test]
    fn timestamps_under_the_title() {
        let h = head("关于某事的通告\n\n2020-01-11 09:23\n来源:本网\n");
        assert_eq!(
            h.timestamp.map(|d| d.to_string()).as_deref(),
            Some("2020-01-11")
        );
        let h = head("某指挥部通告第14号\n2020年02月09日 19:35来源:某某网 作者:\n正文。\n");
        assert_eq!(
            h.timestamp.map(|d| d.to_string()).as_deref(),
            Some("2020-02-09")
        );
        assert!(h.meta.iter().any(|(k, v)| *k == "来源" && v == "某某网"));
    }
}
