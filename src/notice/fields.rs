//! Field extraction helpers: dates (Arabic and Chinese numerals), metadata
//! label lines (来源：…), page chrome, and agency names.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Serialize, Serializer};

/// A calendar date that is known to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl Ymd {
    /// A date, or `None` when no such day exists (2024-02-30, 2024-13-01).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Ymd> {
        let m = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let d = time::Date::from_calendar_date(year, m, u8::try_from(day).ok()?).ok()?;
        Some(Ymd {
            year: d.year(),
            month: d.month() as u8,
            day: d.day(),
        })
    }

    /// Seconds since the Unix epoch at midnight UTC of this day.
    pub fn unix_seconds(self) -> i64 {
        self.to_time().midnight().assume_utc().unix_timestamp()
    }

    /// The date of a Unix timestamp (UTC).
    pub fn from_unix_seconds(secs: i64) -> Option<Ymd> {
        let dt = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
        Ymd::new(dt.year(), dt.month() as u32, dt.day() as u32)
    }

    fn to_time(self) -> time::Date {
        let m = time::Month::try_from(self.month).unwrap_or(time::Month::January);
        time::Date::from_calendar_date(self.year, m, self.day).unwrap_or(time::Date::MIN)
    }

    /// The last day of the given month (for `--to 2024-02`).
    pub fn end_of_month(year: i32, month: u32) -> Option<Ymd> {
        (28..=31).rev().find_map(|d| Ymd::new(year, month, d))
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Ymd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn date_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?:\D|$))",
            r"|([〇○零一二三四五六七八九OoＯ0０]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日",
            // a page that lost its 年 and 月 (spans dropped): 20251021日
            r"|(?:^|\D)(\d{4})(\d{2})(\d{2})日"
        ))
        .expect("static date pattern")
    })
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        // a zero typed as a Latin O or a digit: 二OO九年, 二0一九年
        '〇' | '○' | '零' | 'O' | 'o' | 'Ｏ' | '0' | '０' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 十二 → 12, 二十五 → 25, 三十一 → 31.
fn cn_small_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + cn_digit(*u)?),
        [t, '十'] => Some(cn_digit(*t)? * 10),
        [t, '十', u] => Some(cn_digit(*t)? * 10 + cn_digit(*u)?),
        [u] => cn_digit(*u),
        _ => None,
    }
}

/// Every valid date written in `s`, in order, with its byte span.
pub(crate) fn dates_in(s: &str) -> Vec<(Ymd, usize, usize)> {
    let mut out = Vec::new();
    for c in date_regex().captures_iter(s) {
        let whole = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let ymd = if let Some(y) = num(1) {
            let (m, d) = match (num(2), num(3)) {
                (Some(m), Some(d)) => (m, d),
                _ => (num(4).unwrap_or(0), num(5).unwrap_or(0)),
            };
            Ymd::new(y as i32, m, d)
        } else if let Some(y) = num(9) {
            Ymd::new(y as i32, num(10).unwrap_or(0), num(11).unwrap_or(0))
        } else {
            let y: Option<u32> = c.get(6).and_then(|m| {
                m.as_str()
                    .chars()
                    .try_fold(0u32, |acc, ch| Some(acc * 10 + cn_digit(ch)?))
            });
            let m = c.get(7).and_then(|m| cn_small_number(m.as_str()));
            let d = c.get(8).and_then(|m| cn_small_number(m.as_str()));
            match (y, m, d) {
                (Some(y), Some(m), Some(d)) => Ymd::new(y as i32, m, d),
                _ => None,
            }
        };
        // no date of a notice lies outside these years; 0000年 or 3024 is
        // a number that merely looks like a date
        if let Some(ymd) = ymd.filter(|d| (1900..=2100).contains(&d.year)) {
            out.push((ymd, whole.0, whole.1));
        }
    }
    out
}

/// The first valid date in `s`.
#[cfg(test)]
pub(crate) fn first_date(s: &str) -> Option<Ymd> {
    dates_in(s).into_iter().next().map(|(d, _, _)| d)
}

/// True when the line is nothing but a date (a signature date line).
pub(crate) fn is_date_line(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let found = dates_in(s);
    let (d, a, b) = *found.first()?;
    // a full stop typed after a signature's date (`2020年6月3日。`) is part
    // of nothing
    let after = s[b..].trim_end().trim_end_matches(['。', '.']);
    let rest: String = format!("{}{}", &s[..a], after);
    rest.chars()
        .all(|c| c.is_whitespace() || "（）()".contains(c))
        .then_some(d)
}

/// A date a page wrote as bare digits after dropping its 年 and 月 spans
/// (`20171116`, `2018525`): only when one reading of the digits is a real
/// day. Asked only of a signature's date line.
pub(crate) fn digits_date(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let n = s.len();
    if !(6..=8).contains(&n)
        || !s.bytes().all(|b| b.is_ascii_digit())
        || !(s.starts_with("19") || s.starts_with("20"))
    {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    let rest = &s[4..];
    let mut found: Vec<Ymd> = Vec::new();
    for split in 1..rest.len() {
        let (m, d) = rest.split_at(split);
        if m.len() > 2 || d.len() > 2 {
            continue;
        }
        if let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>())
            && let Some(ymd) = Ymd::new(year, m, d)
        {
            found.push(ymd);
        }
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Metadata labels gongwen understands, longest first so that 发布时间 wins
/// over 时间.
const LABELS: &[&str] = &[
    "Release Department",
    "Release Time",
    "Policy Source",
    "信息索引号",
    "信息索取号",
    "发布时间",
    "发布日期",
    "发表时间",
    "发表日期",
    "成文日期",
    "发文日期",
    "生成日期",
    "公开日期",
    "最后更新时间",
    "最后更新",
    "更新时间",
    "更新日期",
    "上载日期",
    "归档时间",
    "生效时间",
    "生效日期",
    "实施日期",
    "施行日期",
    "失效日期",
    "所属类别",
    "信息类别",
    "公开时限",
    "责任部门",
    "废止时间",
    "发文机关",
    "发文单位",
    "发布机构",
    "发文机构",
    "发布单位",
    "信息时间",
    "所属机构",
    "发文字号",
    "文件编号",
    "公开责任部门",
    "信息来源",
    "文章来源",
    "原文链接",
    "阅读次数",
    "浏览次数",
    "访问次数",
    "点击数",
    "浏览量",
    "文件名称",
    "文章标题",
    // a reprint's note of the title its source gave it
    "原标题",
    "公开方式",
    "公开范围",
    "主题分类",
    "公开目录",
    "公开形式",
    "组配分类",
    "信息分类",
    "体裁分类",
    "内容概述",
    "责任编辑",
    "发布人",
    "有效性",
    "关键词",
    "主题词",
    "索引号",
    "文号",
    "标题",
    "名称",
    "来源",
    // a page's `来自:某某局 时间:…`
    "来自",
    "日期",
    "时间",
    "栏目",
    // a page's column (`分类:政府动态`)
    "分类",
    "作者",
    "时效性",
    "效力级别",
    "效力位阶",
    "公布日期",
    "签署日期",
    "登记日期",
    "统一登记号",
    "信息时效期",
    "所属主题",
    "字体大小",
    "字体",
    "字号",
];

fn label_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        // A Chinese label may be spread out to align a table (`文　　号：`,
        // `索 引 号:`); a pasted table cell ends at a tab instead of a colon.
        let alts: Vec<String> = LABELS
            .iter()
            .map(|l| {
                if l.is_ascii() {
                    regex::escape(l)
                } else {
                    let chars: Vec<String> =
                        l.chars().map(|c| regex::escape(&c.to_string())).collect();
                    chars.join(r"\s*")
                }
            })
            .collect();
        // matched against folded text: traditional labels (發布時間) and
        // full-width colons read as their simplified, half-width forms
        // `[ 发布日期 ] 2023-06-03` and `【信息时间:…` (brackets fold to
        // parentheses) are labels too
        // a table pasted as text: cells set apart by bars (`文件名称 | …`), or a
        // label spread out with spaces and its value after a space
        // (`发 布 机 构 市政府办公室`, `索   引   号 2019-00001`)
        let spread: Vec<String> = LABELS
            .iter()
            .filter(|l| !l.is_ascii())
            .map(|l| {
                let chars: Vec<String> = l.chars().map(|c| regex::escape(&c.to_string())).collect();
                chars.join(r"[ \t]+")
            })
            .collect();
        Regex::new(&format!(
            r"(?i)(?:(?:\(\s*)?({})(?:\s*\)\s*:?|\s*:|\t+|\s*\|)|({})[ \t]+)",
            alts.join("|"),
            spread.join("|")
        ))
        .expect("static label pattern")
    })
}

/// Where the first metadata label in `line` starts (a byte offset into
/// `line`), for a text run on without line breaks: `某某事 来源:某局 发布时间:…`.
pub(crate) fn first_label_at(line: &str) -> Option<usize> {
    let folded = crate::normal::normalize(line);
    let m = label_regex().find(&folded)?;
    let chars = folded[..m.start()].chars().count();
    Some(
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(b, _)| b),
    )
}

/// A law database's field run into its value without a colon
/// (`发文机关中共某省交通运输厅党组`, `施行日期2021年12月21日`, `时效性现行有效`):
/// only the labels no sentence starts with, on a short line.
fn glued_pair(line: &str, folded: &str) -> Option<(&'static str, String)> {
    const GLUED: &[&str] = &[
        "发文机关",
        "发文日期",
        "发文字号",
        "成文日期",
        "公布日期",
        "发布日期",
        "施行日期",
        "实施日期",
        "效力级别",
        "效力位阶",
        "时效性",
    ];
    let label = GLUED.iter().find(|l| folded.starts_with(*l))?;
    let n = label.chars().count();
    let value: String = line.chars().skip(n).collect();
    let value = value.trim();
    (folded.chars().count() <= 40
        && !value.is_empty()
        && !value.starts_with(['，', ',', '。', '的', '和', '应', '要', '由']))
    .then(|| (*label, value.to_string()))
}

/// Parse a metadata line such as `日期:2024-10-15 10:38 来源:包河区纪委`
/// into (label, value) pairs. `None` unless the line starts with a label.
/// Labels are recognised in any width or script (`發布時間：`); values are
/// returned as written.
pub(crate) fn metadata_pairs(line: &str) -> Option<Vec<(&'static str, String)>> {
    let folded = crate::normal::normalize(line);
    let re = label_regex();
    let matches: Vec<_> = re.captures_iter(&folded).collect();
    if matches
        .first()
        .and_then(|m| m.get(0))
        .is_none_or(|m| m.start() != 0)
    {
        return glued_pair(line, &folded).map(|p| vec![p]);
    }
    // folding maps one character to one: byte offsets of the folded text
    // map back through character indices
    let orig: Vec<(usize, char)> = line.char_indices().collect();
    let char_at = |byte: usize| folded[..byte].chars().count();
    let orig_byte = |byte: usize| orig.get(char_at(byte)).map_or(line.len(), |(b, _)| *b);
    let mut out = Vec::new();
    for (i, c) in matches.iter().enumerate() {
        let (Some(whole), Some(label)) = (c.get(0), c.get(1).or_else(|| c.get(2))) else {
            continue;
        };
        let end = matches
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(folded.len(), |m| m.start());
        let value = line[orig_byte(whole.end())..orig_byte(end)]
            .trim()
            .trim_matches(|c: char| "[]【】［］|".contains(c) || c.is_whitespace() || is_icon(c));
        // a bracket of the layout (`(信息来源:(信息时间:…`), never one of the
        // value's own pairs
        let value = if value.matches('(').count() > value.matches(')').count() {
            value.trim_start_matches('(')
        } else if value.matches(')').count() > value.matches('(').count() {
            value.trim_end_matches(')')
        } else {
            value
        }
        .trim()
        .to_string();
        let label: String = if label.as_str().is_ascii() {
            label.as_str().to_string()
        } else {
            label
                .as_str()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        if let Some(l) = LABELS.iter().find(|l| l.eq_ignore_ascii_case(&label)) {
            out.push((*l, value));
        }
    }
    Some(out)
}

/// True for lines that are page furniture rather than text: breadcrumbs,
/// print/close/share buttons, font-size switches, view counters.
/// Today's date and weekday as a site prints it at the top of its pages,
/// matched against a line without its spaces.
fn clock_banner() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(今天是|今天|今日|当前日期|当前时间|日期)?[:：]?\d{4}年\d{1,2}月\d{1,2}日[(（]?(星期|周|礼拜)[一二三四五六日天][)）]?$",
        )
        .expect("static clock banner pattern")
    })
}

pub(crate) fn is_chrome(line: &str) -> bool {
    const EXACT: &[&str] = &[
        "下载",
        "打印",
        "全屏",
        "收藏",
        "关闭",
        "分享",
        "分享到",
        "加大",
        "还原",
        "减小",
        "】",
        "【",
        "【字号：",
        "【字号:",
        "打印本页",
        "关闭窗口",
        "返回顶部",
        "【大中小】",
        "[大中小]",
        "字号：大中小",
        "扫一扫在手机打开当前页",
        "【打印】",
        "【关闭】",
    ];
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return false;
    }
    if EXACT.contains(&compact.as_str()) {
        return true;
    }
    const STARTS: &[&str] = &[
        "您当前所在的位置",
        "当前位置",
        "您现在的位置",
        "您所在的位置",
    ];
    if STARTS.iter().any(|s| compact.starts_with(s)) {
        return true;
    }
    // a site's clock: today's date with its weekday, alone on a line
    // (`今天是:2025年7月1日 星期二`); a notice dates itself without one
    if clock_banner().is_match(&compact) {
        return true;
    }
    // …or the clock's words alone after the site's name, the date left to
    // a script the copy did not run (`某某网 今天是`)
    if compact.trim_end_matches([':', '：']).ends_with("今天是") {
        return true;
    }
    // lines made only of button words: 下载打印全屏收藏【字号：加大还原减小】
    let mut rest = compact.as_str();
    const WORDS: &[&str] = &[
        "下载",
        "打印",
        "全屏",
        "收藏",
        "关闭",
        "分享到",
        "分享",
        // a channel menu's switches: 展开频道 收起频道
        "展开",
        "收起",
        "频道",
        "【",
        "】",
        "字号",
        "字体",
        "：",
        ":",
        "加大",
        "还原",
        "减小",
        "大",
        "中",
        "小",
        "[",
        "]",
        "|",
    ];
    'outer: while !rest.is_empty() {
        for w in WORDS {
            if let Some(r) = rest.strip_prefix(w) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    compact.chars().count() >= 4
}

const AGENCY_SUFFIXES: &[&str] = &[
    "中共中央",
    "党组",
    "党委",
    "委员会",
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    // 巡察办, 防火办: an office's short name
    "办",
    "纪委",
    "监委",
    "中心",
    "局",
    "厅",
    "部",
    "委",
    "院",
    "署",
    "总局",
    "银行",
    "会",
    "党支部",
    "支部",
    "公司",
    "集团",
    "组",
    "队",
    "处",
];

/// True when `s` reads like the name of a body (ends with 党组, 人民政府, 局 …).
/// The name is read folded when it is not in simplified characters already
/// (`汕尾市公安局交通警察支隊` is a body as much as its simplified form).
pub(crate) fn looks_like_agency(s: &str) -> bool {
    let n = s.chars().count();
    let ends_as_body = |t: &str| AGENCY_SUFFIXES.iter().any(|x| t.ends_with(x));
    let folded = crate::normal::normalize(s);
    (2..=40).contains(&n)
        && !s.contains(char::is_whitespace)
        && (ends_as_body(s) || ends_as_body(&folded))
        && !meeting(&folded)
        && !s.contains(['。', '，', ',', '；', '：', ':', '？', '！', '“', '《'])
        && !s.starts_with(|c: char| c.is_ascii_digit())
        // a clause cut off at the page's end (`…和机关党委负责本委`) names
        // duties, not a body
        && !["负责", "应当", "本委", "本局", "本单位", "本机关", "本部门"]
            .iter()
            .any(|w| folded.contains(w))
}

/// A meeting named like a body (`某某工作动员部署会`, `座谈会`, `党员代表大会`):
/// a 会 that is held, not one that issues. Bodies named 会 end as a
/// committee, association or congress does.
fn meeting(folded: &str) -> bool {
    const BODIES: &[&str] = &[
        "委员会",
        "委会",
        "协会",
        "学会",
        "商会",
        "工会",
        "联合会",
        "基金会",
        "理事会",
        "董事会",
        "监事会",
        "研究会",
        "促进会",
        "人民代表大会",
        "总会",
        "分会",
        "十字会",
        "议事会",
        "联谊会",
    ];
    folded.ends_with('会') && !BODIES.iter().any(|b| folded.ends_with(b))
}

fn title_agency_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?",
            r"(.{2,40}?(?:部|委|院|厅|局|署|办|会|党组|党委|政府|中心|办公室|指挥部|委员会))",
            r"(?:发言人|新闻发言人|就|举行|召开|印发|转发|发布|公告|通告|通令|命令|令\b|拟|征收|决定|通知|通报)"
        ))
        .expect("static title pattern")
    })
}

/// The body a yearly report of its own work is titled by: `某县交通运输局
/// 2023年政府信息公开工作年度报告`, `某镇2010年工作总结`. The second value is
/// whether the name is a place's (`某镇`: its government reports, under
/// the name the title prints) rather than a body's.
pub(crate) fn yearly_report_issuer(title: &str) -> Option<(String, bool)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^(\p{Han}{2,30}?)(?:\d{4}|[一二〇○零OＯ][〇○零一二三四五六七八九OＯ]{3})年度?",
            r"\p{Han}*?(?:年度报告|工作报告|工作总结|工作要点|工作计划|年报)$"
        ))
        .expect("static yearly report pattern")
    });
    let t = super::folded_compact(title);
    let c = re.captures(&t)?;
    let who = c.get(1)?.as_str();
    if who.starts_with("关于") {
        return None;
    }
    if looks_like_agency(who) {
        return Some((who.to_string(), false));
    }
    let place = ["省", "市", "县", "区", "镇", "乡", "街道", "旗", "州"]
        .iter()
        .any(|p| who.ends_with(p));
    place.then(|| (who.to_string(), true))
}

/// The issuing body named in a title: the part before 关于, or before
/// 发言人/就/举行… for press material.
pub(crate) fn agency_from_title(title: &str) -> Option<String> {
    let t = title.trim();
    // matched on the folded title (關於 is 关于), cut from the title as written
    let folded = crate::normal::normalize(t);
    let orig_prefix =
        |byte: usize| -> String { t.chars().take(folded[..byte].chars().count()).collect() };
    // a body that forwards or issues another's document: `某市人民政府办公厅
    // 转发省某办公室关于…的通报的通知` is the 办公厅's
    let about = folded.find("关于").unwrap_or(folded.len());
    if let Some(i) = ["转发", "批转", "印发"]
        .iter()
        .filter_map(|w| folded.find(w))
        .filter(|&i| i > 0 && i < about)
        .min()
    {
        let prefix = orig_prefix(i);
        let prefix = prefix.trim();
        if looks_like_agency(&crate::normal::normalize(prefix)) {
            return Some(prefix.to_string());
        }
    }
    if let Some(i) = folded.find("关于") {
        let prefix = orig_prefix(i);
        let prefix = prefix.trim();
        let forwarded = ["转发", "印发", "关于"]
            .iter()
            .any(|w| prefix.starts_with(w));
        if !forwarded
            && prefix.chars().count() >= 2
            && looks_like_agency_list(&crate::normal::normalize(prefix))
        {
            // joint issuers set apart by spaces read as a list
            let parts: Vec<&str> = prefix
                .split([' ', '\u{3000}'])
                .filter(|p| !p.is_empty())
                .collect();
            return Some(parts.join("、"));
        }
    }
    // a body's press conference (`外交部例行记者会就…答问`) is the body's
    if let Some(i) = [
        "例行记者会",
        "新闻发布会",
        "记者招待会",
        "记者会",
        "发布会",
        "吹风会",
    ]
    .iter()
    .filter_map(|w| folded.find(w))
    .min()
    {
        let prefix = orig_prefix(i);
        let prefix = prefix.trim();
        if looks_like_agency(&crate::normal::normalize(prefix)) {
            return Some(prefix.to_string());
        }
    }
    if let Some(c) = title_agency_regex().captures(&folded) {
        let m = c.get(1)?;
        let a: String = t
            .chars()
            .skip(folded[..m.start()].chars().count())
            .take(m.as_str().chars().count())
            .collect();
        if !a.contains("关于")
            && !a.contains("關於")
            && looks_like_agency(&crate::normal::normalize(&a))
        {
            return Some(a);
        }
    }
    if let Some(a) = agency_opening_title(t, &folded) {
        return Some(a);
    }
    // an order, announcement or set of rules titled by its body and its
    // subject, without 关于: `某县人民政府森林防火禁火令`, `某市公安局烟花爆竹
    // 禁放通告`, `某学院党委巡察工作规程`
    static ORDER: OnceLock<Regex> = OnceLock::new();
    let order = ORDER.get_or_init(|| {
        Regex::new(concat!(
            r"^(.{2,30}?(?:人民政府|政府|委员会|指挥部|办公室|办公厅|公安局|管理局|局|党组|党委))",
            r"[^关于的,:]{2,16}(?:禁火令|禁令|通告|公告|命令|通令)$",
            // a party committee's own rules (a rule's title may name what it
            // governs instead: `某市村民委员会选举办法`)
            r"|^(.{2,30}?(?:党委|党组))[^关于的,:]{2,16}(?:规程|规定|办法|细则|规则|守则)$"
        ))
        .expect("static order title pattern")
    });
    if let Some(m) = order
        .captures(&folded)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
    {
        let a = orig_prefix(m.end());
        if looks_like_agency(&crate::normal::normalize(&a)) {
            return Some(a);
        }
    }
    if let Some(i) = t.find("政府工作报告") {
        let mut p = t[..i].trim_start_matches(|c: char| c.is_ascii_digit() || c == '年');
        p = p.trim();
        p = p.strip_suffix("人民").unwrap_or(p);
        if p.ends_with("国务院") {
            return Some(p.to_string());
        }
        if p.ends_with(['省', '市', '区', '州', '县']) && p.chars().count() >= 2 {
            return Some(format!("{p}人民政府"));
        }
    }
    None
}

/// A body whose own yearly or standing paper the title names, at the
/// title's start: `某县住房和城乡建设局2018年度整体支出绩效评价报告`,
/// `某县人民政府工作规则`, `某局2024年工作要点`. A work report of a
/// government is read by its own rule; a law naming a body (`…人民法院组织法`)
/// has no year or 工作 after the name.
fn agency_opening_title(t: &str, folded: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^(.{2,30}?(?:人民政府|政府|办公室|办公厅|委员会|党组|党委|局|厅|委|中心))",
            r"(?:(?:19|20)\d{2}\s*年|工作(?:规则|要点|计划|总结|报告|制度|方案))"
        ))
        .expect("static opening pattern")
    });
    if folded.contains("政府工作报告") {
        return None;
    }
    let m = re.captures(folded)?.get(1)?;
    let name = m.as_str();
    if !looks_like_agency(name) || name.starts_with("关于") || name.contains("关于") {
        return None;
    }
    Some(t.chars().take(name.chars().count()).collect())
}

/// The government delivering a work report, from the line saying where it
/// was delivered: `——2026年1月25日在云南省第十四届人民代表大会第四次会议上`
/// → 云南省人民政府.
pub(crate) fn agency_from_delivery(lines: &[&str]) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"在([\p{Han}]{2,12}?)第[一二三四五六七八九十百]+届人民代表大会")
            .expect("static delivery pattern")
    });
    lines.iter().take(40).find_map(|l| {
        let place = re.captures(l)?.get(1)?.as_str();
        (place.ends_with(['省', '市', '区', '州', '县', '盟', '旗']) || place.ends_with("自治区"))
            .then(|| format!("{place}人民政府"))
    })
}

/// The body of the official who delivers a report, from the line under its
/// title naming them (`市审计局局长 某某某`, `某某县财政局局长　某某`) → 市审计局.
/// Only the first lines are read.
pub(crate) fn agency_from_speaker(lines: &[&str]) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"^(\p{Han}{2,20}?)(?:代)?(?:局长|主任|厅长|部长|署长|审计长|委员长|行长|院长|检察长|关长)",
            r"\s+\p{Han}{2,4}$"
        ))
        .expect("static speaker pattern")
    });
    lines.iter().take(15).find_map(|l| {
        let folded = crate::normal::normalize(l.trim());
        let body = re.captures(&folded)?.get(1)?.as_str();
        looks_like_agency(body).then(|| body.to_string())
    })
}

/// The body whose spokesperson speaks in a press text: `…外交部发言人秦刚…`
/// → 外交部. Only the first lines are read.
pub(crate) fn agency_from_spokesperson(lines: &[&str]) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"([\p{Han}]{1,12}?(?:部|委员会|委|局|署|办公室|办|政府))(?:新闻)?发言人")
            .expect("static spokesperson pattern")
    });
    lines.iter().take(15).find_map(|l| {
        re.captures_iter(l).find_map(|c| {
            let a = c.get(1)?.as_str();
            // 中方代表团发言人 names no body; trim leading date-like text
            let a = a.trim_start_matches(|c: char| !is_han(c) || "年月日号".contains(c));
            let a = ["今天", "昨天", "当天", "今日", "日前"]
                .iter()
                .fold(a, |a, p| a.strip_prefix(p).unwrap_or(a));
            looks_like_agency(a).then(|| a.to_string())
        })
    })
}

/// Joint issuers (教育部、财政部) are allowed; each part must read as a body.
pub(crate) fn looks_like_agency_list(s: &str) -> bool {
    s.split(['、', ' ', '　'])
        .filter(|p| !p.is_empty())
        .all(looks_like_agency)
}

/// The issuing body of a law from its version line:
/// 第八届全国人民代表大会常务委员会第二十次会议通过 → 全国人民代表大会常务委员会.
pub(crate) fn agency_from_law_line(line: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(concat!(
            r"([\p{Han}]{0,12}?)(?:第[一二三四五六七八九十百]+届)?",
            r"([\p{Han}]{0,12}人民代表大会(?:常务委员会)?)第[一二三四五六七八九十百]+次"
        ))
        .expect("static law pattern")
    });
    // (a day before the body is no part of its name: `2023年3月13日第十四届
    // 全国人民代表大会…` names 全国人民代表大会)
    static DAY: OnceLock<Regex> = OnceLock::new();
    let day = DAY.get_or_init(|| {
        Regex::new(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日").expect("static day pattern")
    });
    let undated = day.replace_all(line, " ");
    if let Some(c) = re.captures(&undated) {
        let place = c.get(1).map_or("", |m| m.as_str());
        let body = c.get(2).map_or("", |m| m.as_str());
        // `…日在某省第十四届人民代表大会第四次会议上` is where a report was
        // delivered, not a body that enacted something; and a session that
        // met (`某乡第九届人民代表大会第四次会议胜利召开`) enacted nothing
        // the line says
        let after = undated.get(c.get(0).map_or(0, |m| m.end())..).unwrap_or("");
        // (a law's history line, which may break before its verb, starts
        // with the day: `2016年5月27日 某省第十二届人民代表大会常务委员会…`;
        // a session's own paper names it: `…第一次会议关于…的决议`)
        let dated = day
            .find(line)
            .is_some_and(|m| line[..m.start()].trim().is_empty());
        let enacts = dated
            || ["通过", "批准", "修正", "修订", "公布", "关于"]
                .iter()
                .any(|w| after.contains(w))
            // (a session's resolution speaks of what it did: `…第三次会议
            // 听取了…`)
            || ["听取", "审议", "决定"].iter().any(|w| {
                after
                    .trim_start_matches("会议")
                    .trim_start_matches("上")
                    .starts_with(w)
            });
        if place.contains('在') || body.contains('在') || !enacts {
            return None;
        }
        let place = place.trim_start_matches(|c: char| !is_han(c));
        return Some(format!("{place}{body}"));
    }
    if line.contains("国务院令") || line.contains("国务院第") {
        // `根据《某某条例》(国务院令第652号)…`: a law the text cites, by its
        // number in brackets after its name, is not the text's
        static C: OnceLock<Regex> = OnceLock::new();
        let cited = C.get_or_init(|| {
            Regex::new(r"》\s*[(（]\s*国务院(?:令|第)").expect("static citation pattern")
        });
        let orders = line.matches("国务院令").count() + line.matches("国务院第").count();
        if cited.find_iter(line).count() < orders {
            return Some("国务院".to_string());
        }
    }
    // `某省人民政府令` on a line of its own, its number may follow
    // (`某省人民政府令 〔2015〕第6号`): the body that orders it
    static O: OnceLock<Regex> = OnceLock::new();
    let order = O.get_or_init(|| {
        Regex::new(concat!(
            r"^([\p{Han}]{2,30}?)令\s*(?:[〔\[(（]\s*\d{4}\s*[〕\])）]\s*)?",
            r"(?:第\s*[0-9一二三四五六七八九十百]+\s*号)?$"
        ))
        .expect("static order pattern")
    });
    if let Some(c) = order.captures(line.trim())
        && let Some(body) = c.get(1).map(|m| m.as_str())
        && looks_like_agency(&crate::normal::normalize(body))
    {
        return Some(body.to_string());
    }
    // `1989年11月13日 卫生部令第3号发布`: the body whose decree (令) made it
    static D: OnceLock<Regex> = OnceLock::new();
    let decree = D.get_or_init(|| {
        Regex::new(r"([\p{Han}、]{2,40}?)令\s*第\s*[0-9]+\s*号\s*(?:公布|发布|修订|修正)")
            .expect("static decree pattern")
    });
    let c = decree.captures(line)?;
    let body = c
        .get(1)?
        .as_str()
        .trim_start_matches(|c: char| "年月日".contains(c));
    looks_like_agency_list(body).then(|| body.to_string())
}

/// The names a line cites in `《…》`, in order (the text between each
/// opening mark and the next closing one).
pub(crate) fn cited(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let a = rest.find('《')?;
        let after = &rest[a + '《'.len_utf8()..];
        let b = after.find('》')?;
        rest = &after[b + '》'.len_utf8()..];
        Some(&after[..b])
    })
}

/// The issuer of a 巡察/巡视 announcement that does not sign: it is issued
/// for the party committee whose teams go out, so the body the text names
/// for that committee's inspection work (`中共某市委巡察工作领导小组办公室`,
/// to whom reports go), else the committee whose deployment it follows
/// (`按照某市委统一安排` → 某市委). `None` for any other title, and when the
/// text names the committee without its place (`按照县委…部署`).
pub(crate) fn inspection_issuer(title: &str, lines: &[&str]) -> Option<String> {
    static OFFICE: OnceLock<Regex> = OnceLock::new();
    static COMMITTEE: OnceLock<Regex> = OnceLock::new();
    let compact: String = crate::normal::normalize(title)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !(compact.contains("巡察") || compact.contains("巡视")) || !compact.ends_with("公告") {
        return None;
    }
    let office = OFFICE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:中共)?[\p{Han}--[委的于关按照根据向对经由在]]{2,12}?",
            r"(?:省|市|县|区|州|旗|盟)委巡[察视]工作领导小组办公室"
        ))
        .expect("static pattern")
    });
    let committee = COMMITTEE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:按照|根据|经)((?:中共)?[\p{Han}--[委的于关按照根据向对经由在市县区]]{2,8}?",
            r"(?:省|市|县|区|州|旗|盟)委)(?:统一|关于|的|部署|安排|决定|巡察|巡视)"
        ))
        .expect("static pattern")
    });
    let text: Vec<String> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .map(|l| crate::normal::normalize(l))
        .collect();
    text.iter()
        .find_map(|l| office.find(l).map(|m| m.as_str().to_string()))
        .or_else(|| {
            text.iter().find_map(|l| {
                committee
                    .captures(l)
                    .and_then(|c| c.get(1))
                    .map(|m| m.as_str().to_string())
            })
        })
}

/// The issuer a document number names by its organ code, among the
/// governments the title or the first lines name: `海府〔2011〕33号` under
/// 关于印发《海口市人民政府工作规则》的通知 → 海口市人民政府 (府 and 政 stand
/// for a people's government, 府办 and 政办 for its general office; the
/// code starts with the first character of the place).
pub(crate) fn numbered_issuer(number: &str, title: &str, lines: &[&str]) -> Option<String> {
    static GOV: OnceLock<Regex> = OnceLock::new();
    let code: String = crate::normal::normalize(number)
        .chars()
        .take_while(|c| is_han(*c))
        .collect();
    let office = ["府办", "政办"].iter().any(|o| code.contains(o));
    let government = office || code.contains('府') || code.contains('政');
    let place = code.chars().next()?;
    if !government || code.chars().count() > 5 {
        return None;
    }
    let gov = GOV.get_or_init(|| {
        Regex::new(concat!(
            r"[\p{Han}--[关于印发转的和与及在对]]{1,10}?(?:省|市|县|区|州|旗|盟)",
            r"人民政府(?:办公厅|办公室)?"
        ))
        .expect("static pattern")
    });
    std::iter::once(&title)
        .chain(lines.iter().filter(|l| !l.trim().is_empty()).take(15))
        .map(|l| crate::normal::normalize(l))
        .find_map(|l| {
            gov.find_iter(&l)
                .map(|m| m.as_str().to_string())
                .find(|name| name.starts_with(place) && (name.ends_with("人民政府") != office))
        })
}

/// A pictograph a page sets before a value instead of its label (`🕓`
/// before a date, `🔗` before a source).
pub(crate) fn is_icon(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{2bff}' | '\u{1f000}'..='\u{1faff}')
}

/// A CJK ideograph: the unified blocks and their extensions, and the
/// compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_is_held_not_issuing() {
        assert_eq!(
            agency_from_title("六届市委第十二轮巡察工作动员部署会召开"),
            None
        );
        assert!(!looks_like_agency("党员代表大会"));
        assert_eq!(
            agency_from_title("外交部例行记者会就中方立场答问").as_deref(),
            Some("外交部")
        );
        assert_eq!(agency_from_title("某某出席会晤吹风会举行"), None);
        for body in [
            "某市人民代表大会",
            "某县红十字会",
            "某区总工会",
            "某市委常委会",
            "某街道工作委员会",
        ] {
            assert!(looks_like_agency(body), "{body}");
        }
        assert_eq!(
            agency_from_title("某市人民代表大会常务委员会召开第五次会议").as_deref(),
            Some("某市人民代表大会常务委员会")
        );
    }

    #[test]
    fn an_inspection_issuer_only_for_an_inspection_announcement() {
        let body = ["按照某江市委统一部署，市委第二巡察组进驻某局。"];
        assert_eq!(
            inspection_issuer("市委第二巡察组巡察公告", &body).as_deref(),
            Some("某江市委")
        );
        // another kind of text following the committee's deployment
        assert_eq!(inspection_issuer("关于巡察整改进展情况的通报", &body), None);
        // the committee without its place names no one
        let bare = ["按照县委关于巡察工作的统一部署，县委派出3个巡察组。"];
        assert_eq!(inspection_issuer("巡察公告", &bare), None);
    }

    #[test]
    fn a_document_number_names_a_government_of_its_place_only() {
        let title = "关于印发《某口市人民政府工作规则》的通知";
        assert_eq!(
            numbered_issuer("某府〔2011〕33号", title, &[]).as_deref(),
            Some("某口市人民政府")
        );
        // another place's code, a department's code, an office's code
        assert_eq!(numbered_issuer("另府〔2011〕33号", title, &[]), None);
        assert_eq!(numbered_issuer("某教发〔2011〕3号", title, &[]), None);
        assert_eq!(numbered_issuer("某府办〔2011〕3号", title, &[]), None);
        let office = ["某口市人民政府办公室关于做好防汛工作的通知"];
        assert_eq!(
            numbered_issuer("某府办〔2011〕3号", "", &office).as_deref(),
            Some("某口市人民政府办公室")
        );
    }

    #[test]
    fn dates_in_all_written_forms() {
        assert_eq!(
            first_date("日期:2024-10-15 10:38").unwrap().to_string(),
            "2024-10-15"
        );
        assert_eq!(
            first_date("2023年8月8日，县委").unwrap().to_string(),
            "2023-08-08"
        );
        assert_eq!(
            first_date("二〇二四年三月五日").unwrap().to_string(),
            "2024-03-05"
        );
        assert_eq!(
            first_date("二〇一九年十二月三十一日").unwrap().to_string(),
            "2019-12-31"
        );
        assert_eq!(first_date("2019/1/24").unwrap().to_string(), "2019-01-24");
        assert!(first_date("2024-13-45").is_none());
        assert_eq!(first_date("20251021日").unwrap().to_string(), "2025-10-21");
        assert!(first_date("编号120251021日").is_none());
        assert!(first_date("2023年2月30日").is_none());
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("2019年1月24日").is_some());
        assert!(is_date_line("（2019年1月24日）").is_some());
        assert!(is_date_line("2019年1月24日起施行").is_none());
    }

    #[test]
    fn metadata_lines_with_several_pairs() {
        let p = metadata_pairs("日期:2024-10-15 10:38 来源:包河区纪委 阅读次数: 字体:【").unwrap();
        assert_eq!(p[0], ("日期", "2024-10-15 10:38".to_string()));
        assert_eq!(p[1], ("来源", "包河区纪委".to_string()));
        assert!(metadata_pairs("根据来源：某某").is_none());
        let p = metadata_pairs("发布时间：2022-05-31 17:00").unwrap();
        assert_eq!(p[0].0, "发布时间");
        // spread-out labels of an aligned table, traditional labels, tabs
        let p = metadata_pairs("文　　号：某政发〔2024〕3号　　發布日期：2024年3月5日").unwrap();
        assert_eq!(p[0], ("文号", "某政发〔2024〕3号".to_string()));
        assert_eq!(p[1], ("发布日期", "2024年3月5日".to_string()));
        let p = metadata_pairs("发布机构\t某县人民政府办公室\t成文日期\t2024-01-02").unwrap();
        assert_eq!(p[0], ("发布机构", "某县人民政府办公室".to_string()));
        assert_eq!(p[1], ("成文日期", "2024-01-02".to_string()));
    }

    #[test]
    fn table_rows_pasted_without_colons() {
        let p = metadata_pairs("发 布 机 构 市人民政府办公室 发 文 日 期 2024-11-29").unwrap();
        assert_eq!(p[0], ("发布机构", "市人民政府办公室".to_string()));
        assert_eq!(p[1], ("发文日期", "2024-11-29".to_string()));
        let p = metadata_pairs("文件名称 | 某事落实情况的通报 | ||").unwrap();
        assert_eq!(p[0], ("文件名称", "某事落实情况的通报".to_string()));
        // an unspaced label still needs its colon: this is a sentence
        assert!(metadata_pairs("时间就是生命").is_none());
    }

    #[test]
    fn dates_written_as_bare_digits() {
        assert_eq!(digits_date("20171116").unwrap().to_string(), "2017-11-16");
        assert_eq!(digits_date("2018525").unwrap().to_string(), "2018-05-25");
        // 2019-1-12 or 2019-11-2: no one reading
        assert!(digits_date("2019112").is_none());
        assert!(digits_date("12345678").is_none());
    }

    #[test]
    fn chrome_lines() {
        assert!(is_chrome(
            "您当前所在的位置:首页 > 巡视巡察 > 巡察工作 > 巡察整改"
        ));
        assert!(is_chrome("下载 打印 全屏 收藏 【字号：加大 还原 减小】"));
        assert!(is_chrome("打印"));
        assert!(!is_chrome("中共三门县投资促进中心党组"));
        assert!(!is_chrome("大中小学"));
    }

    #[test]
    fn agencies_from_titles() {
        assert_eq!(
            agency_from_title("中共合肥市包河区投资促进中心党组关于巡察整改进展情况的通报")
                .as_deref(),
            Some("中共合肥市包河区投资促进中心党组")
        );
        assert_eq!(
            agency_from_title("外交部就温家宝总理访问活动举行中外媒体吹风会").as_deref(),
            Some("外交部")
        );
        assert_eq!(
            agency_from_title("2004年7月15日外交部发言人章启月在例行记者会上答记者问").as_deref(),
            Some("外交部")
        );
        assert_eq!(
            agency_from_title("2026年上海市政府工作报告").as_deref(),
            Some("上海市人民政府")
        );
        assert_eq!(agency_from_title("专利代理条例"), None);
        assert_eq!(
            agency_from_title("某县住房和城乡建设局2023年度部门整体支出绩效评价报告").as_deref(),
            Some("某县住房和城乡建设局")
        );
        assert_eq!(
            agency_from_title("某县人民政府工作规则").as_deref(),
            Some("某县人民政府")
        );
        assert_eq!(agency_from_title("中华人民共和国人民法院组织法"), None);
        assert_eq!(
            agency_from_title("12月19日外交部发言人秦刚在例行记者会上答问").as_deref(),
            Some("外交部")
        );
        assert_eq!(
            agency_from_spokesperson(&["今天，外交部发言人秦刚说，中方欢迎"]).as_deref(),
            Some("外交部")
        );
        assert_eq!(agency_from_spokesperson(&["中方代表团发言人姜瑜说"]), None);
        assert_eq!(
            agency_from_spokesperson(&["19日外交部发言人秦刚说"]).as_deref(),
            Some("外交部")
        );
    }

    #[test]
    fn yearly_reports_name_their_body_or_place() {
        let issuer = |t: &str| yearly_report_issuer(t);
        assert_eq!(
            issuer("青禾县交通运输局2023年政府信息公开工作年度报告"),
            Some(("青禾县交通运输局".to_string(), false))
        );
        assert_eq!(
            issuer("禾川镇二〇二二年工作总结"),
            Some(("禾川镇".to_string(), true))
        );
        // a title about someone else's report, a news headline, a year alone
        assert_eq!(issuer("关于青禾县2023年政府信息公开工作年度报告"), None);
        assert_eq!(issuer("青禾县2024年春节期间森林防火工作取得实效"), None);
        assert_eq!(issuer("2023年政府信息公开工作年度报告"), None);
    }

    #[test]
    fn agencies_from_law_lines() {
        assert_eq!(
            agency_from_law_line("2015年4月24日 第十二届全国人民代表大会常务委员会第十四次会议")
                .as_deref(),
            Some("全国人民代表大会常务委员会")
        );
        assert_eq!(
            agency_from_law_line("2019年4月20日 中华人民共和国国务院令第713号公布").as_deref(),
            Some("国务院")
        );
    }
}
