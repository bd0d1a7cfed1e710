//! Heading detection and the heading tree.
//!
//! A heading is a line that starts with a numbering (一、 （一） 1. 1） （1） ①,
//! 01 /, 第X编/章/节) followed by a short title. Levels are not fixed by style: the
//! first style met is level 1, a new style nests under the current heading, and
//! a style seen before closes everything below it — which is how both
//! 一、→（一）→1. and 一、→1. documents read.
//!
//! A run-in heading ends at its first full stop: `（一）强化组织领导。投资…`
//! has the heading 强化组织领导 and the rest of the line is section text.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// Numbering styles, in no particular order of rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Bian,
    Zhang,
    Jie,
    CnComma,
    CnParen,
    NumDot,
    NumParen,
    ParenNum,
    Circled,
    /// `01 / 指导思想` — a WeChat post's parts.
    NumSlash,
    /// `1 总则` — the top level of a decimal outline (emergency plans).
    Decimal1,
    /// `1.1 编制目的`.
    Decimal2,
    /// `1.1.1 …`.
    Decimal3,
    /// An unnumbered cross-head on a line of its own.
    Plain,
}

/// One node of the heading tree.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Heading {
    /// Depth, 1 for top-level headings.
    pub level: usize,
    /// The numbering as written (一、, （一）, 1., 第二章 …).
    pub number: String,
    /// The heading without its numbering and trailing punctuation.
    pub text: String,
    /// Headings nested under this one.
    pub children: Vec<Heading>,
}

/// A line recognised as a heading.
#[derive(Debug, PartialEq)]
pub(crate) struct HeadingLine {
    pub style: Style,
    pub number: String,
    pub text: String,
    /// Text that follows a run-in heading on the same line.
    pub rest: Option<String>,
}

const MAX_HEADING_CHARS: usize = 60;
/// The longest lead of an item that continues a numbered list.
const MAX_CONTINUED_CHARS: usize = 160;

fn patterns() -> &'static [(Style, Regex)] {
    static P: OnceLock<Vec<(Style, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        let cn = "[一二三四五六七八九十百零〇两]+";
        let mk = |s: &str| Regex::new(s).expect("static heading pattern");
        vec![
            (Style::Bian, mk(&format!(r"^(第{cn}编)\s*(.*)$"))),
            (Style::Zhang, mk(&format!(r"^(第{cn}章)\s*(.*)$"))),
            (Style::Jie, mk(&format!(r"^(第{cn}节)\s*(.*)$"))),
            (
                Style::CnComma,
                mk(&format!(r"^({cn}\s*[、，,．.])\s*(.+)$")),
            ),
            (
                Style::CnParen,
                mk(&format!(r"^([（(]\s*{cn}\s*[）)])\s*(.+)$")),
            ),
            (Style::ParenNum, mk(r"^([（(]\s*\d{1,3}\s*[）)])\s*(.+)$")),
            (Style::NumParen, mk(r"^(\d{1,3}\s*[)）])\s*(.+)$")),
            (Style::NumDot, mk(r"^(\d{1,3}\s*[.．、])\s*(.+)$")),
            (Style::Circled, mk(r"^([①-⑳])\s*(.+)$")),
            // (a part's number as a post prints it: two digits, a slash)
            (
                Style::NumSlash,
                mk(r"^((?:0[1-9]|1[0-9]|20)\s*/)\s*(\p{Han}.*)$"),
            ),
        ]
    })
}

const TRAILING: &[char] = &['。', '，', ',', '；', ';', '：', ':', '、', ' ', '\u{3000}'];

/// Recognise a heading line (already trimmed). `None` for ordinary text.
pub(crate) fn detect(line: &str) -> Option<HeadingLine> {
    detect_up_to(line, MAX_HEADING_CHARS)
}

/// A numbered line, also one whose lead is a sentence or runs longer than a
/// heading's: an item of a list, whatever the list turns out to be.
pub(crate) fn detect_clause(line: &str) -> Option<HeadingLine> {
    detect_up_to(line, MAX_CONTINUED_CHARS)
}

/// A numbered lead that is a sentence, not a name for what follows (asked of
/// a normative text's items, see `text::normative`): clauses
/// joined by commas (`（一）7时30分起，京原路…禁止机动车通行，社会车辆可绕行…`,
/// `三、县政府工作的准则是，执政为民，依法行政，…`). A heading may join two
/// short phrases with one comma (`强化组织领导，压实工作责任`).
///
/// A lead that names a matter (`…违规收受礼金，接受…宴请问题`, a case in a
/// discipline body's 通报; `…整改情况`) is a heading however many commas it
/// holds.
pub(crate) fn is_sentence(text: &str) -> bool {
    let commas = text.matches(['，', ',']).count();
    !names_a_matter(text) && (commas >= 2 || (commas == 1 && text.chars().count() > 40))
}

/// A numbered lead that reads as a provision of a text that lays down rules
/// (a 通告, 令, 规定): a sentence, or any clause set off by a comma
/// (`违反本禁火令者，将依法处理`) — such a text's headings name a matter.
pub(crate) fn is_provision(text: &str) -> bool {
    is_sentence(text) || (text.contains(['，', ',']) && !names_a_matter(text))
}

pub(crate) fn names_a_matter(text: &str) -> bool {
    ["问题", "情况", "案", "行为", "事件", "事故"]
        .iter()
        .any(|w| text.ends_with(w))
}

/// A numbered item whose lead runs longer than a heading's, read as the
/// next heading of a list already open: `二、本通告所称秸秆，是指…等。` after
/// `一、禁止露天焚烧秸秆。`. `last` is the style and ordinal of the last
/// heading read; the item must be the next one of the same style.
pub(crate) fn detect_continued(line: &str, last: Option<(Style, u32)>) -> Option<HeadingLine> {
    let (style, n) = last?;
    let h = detect_up_to(line, MAX_CONTINUED_CHARS)?;
    (h.style == style && ordinal(&h.number) == Some(n + 1) && !is_law_style(style)).then_some(h)
}

/// The ordinal a heading's number says: 三、 → 3, （十二） → 12, 4. → 4.
pub(crate) fn ordinal(number: &str) -> Option<u32> {
    let core: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || "一二三四五六七八九十百零〇两".contains(*c))
        .collect();
    if let Ok(n) = core.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = core
        .chars()
        .map(|c| if c == '两' { '二' } else { c })
        .collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        [u] => digit(*u),
        _ => None,
    }
}

/// Whether an item's text opens with a day of the year (`8月30日全县放假`),
/// as in `1.8月30日…`: an item's number before a date, not a decimal.
fn opens_with_day(body: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(?:[1-9]|1[0-2])月[0-3]?\d日").expect("static day pattern"))
        .is_match(body)
}

fn detect_up_to(line: &str, max: usize) -> Option<HeadingLine> {
    let first = line.chars().next()?;
    if !matches!(first, '第' | '（' | '(' | '①'..='⑳' | '0'..='9')
        && !"一二三四五六七八九十".contains(first)
    {
        return None;
    }
    for (style, re) in patterns() {
        let Some(c) = re.captures(line) else { continue };
        let number = c.get(1).map_or("", |m| m.as_str()).to_string();
        let body = c.get(2).map_or("", |m| m.as_str()).trim();
        if *style == Style::NumDot
            && body.starts_with(|c: char| c.is_ascii_digit())
            && !opens_with_day(body)
        {
            return None; // 1.5亿元, 2023.8 — a number, not a heading
        }
        let (text, rest) = split_run_in(body);
        let text = text.trim_end_matches(TRAILING).trim().to_string();
        let n = text.chars().count();
        let law = matches!(style, Style::Bian | Style::Zhang | Style::Jie);
        if n > max || (n == 0 && !law) {
            return None;
        }
        if law && body.contains(['。', '，', '；', '：', ',', ';']) {
            return None; // 第三章规定的… inside a sentence
        }
        return Some(HeadingLine {
            style: *style,
            number: number.chars().filter(|c| !c.is_whitespace()).collect(),
            text,
            rest,
        });
    }
    None
}

/// Characters that, right after a figure, make it an amount or a count
/// (`3天内`, `10万元`, `2.5亿`), never an outline's number.
pub(crate) const MEASURE: &str = "天个万千亿元年月日时人次名项家户所级倍岁条款号期批轮届";

/// A heading of a decimal outline (`1 总则`, `1.1 编制目的`, `1.2.3 …`), as
/// emergency plans and standards number theirs. Only asked for in a text
/// that has such an outline (see [`has_decimal_outline`]): on its own a line
/// starting with a number is as likely a list item or a figure.
pub(crate) fn detect_decimal(line: &str) -> Option<HeadingLine> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,2})(?:\s+|\s*([\p{Han}]))(.*)$")
            .expect("static decimal pattern")
    });
    let c = re.captures(line.trim())?;
    let number = c.get(1)?.as_str();
    let depth = number.matches('.').count();
    let body = format!(
        "{}{}",
        c.get(2).map_or("", |m| m.as_str()),
        c.get(3).map_or("", |m| m.as_str())
    );
    // `1 总则` is the top level; written `1总则` (the space dropped), only
    // a short heading standing alone is, never `3天内完成` or `10万元以上`;
    // `1.1编制目的` may do without a space
    if depth == 0 && c.get(2).is_some() {
        let t = body.trim();
        if t.starts_with(|c: char| MEASURE.contains(c))
            || t.chars().count() > 10
            || !t.chars().all(super::is_han)
        {
            return None;
        }
    }
    let (text, rest) = split_run_in(body.trim());
    let text = text.trim_end_matches(TRAILING).trim().to_string();
    let n = text.chars().count();
    if n == 0
        || n > 30
        || text.contains(['，', ',', '；', ';'])
        || !text.starts_with(|c: char| !c.is_ascii_digit())
    {
        return None;
    }
    let style = match depth {
        0 => Style::Decimal1,
        1 => Style::Decimal2,
        _ => Style::Decimal3,
    };
    Some(HeadingLine {
        style,
        number: number.to_string(),
        text,
        rest,
    })
}

/// Whether a text is laid out as a decimal outline: at least two top-level
/// `N 标题` lines and two `N.M 标题` lines, or (a text cut short in its
/// first part) one `N 标题` line with two of its own, `N.1` and `N.2`,
/// after it, in order; the top may be written with its point and its name
/// right after it (`1.总则`).
pub(crate) fn has_decimal_outline(lines: &[&str]) -> bool {
    let (mut top, mut second) = (0, 0);
    // the last top-level number, and how far its items have counted up
    let mut open: Option<(String, u32)> = None;
    let mut counted = 0;
    let mut pointed = false;
    // a top written with a point (`1.总则`) opens its items too, though it
    // heads nothing unless they count up under it (`1.1目的依据`, `1.2…`)
    let pointed_top = |l: &str| -> Option<String> {
        let t = l.trim();
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        // (its name right after the point: `3. 交通运行监管` over project
        // lists is a numbered part of another kind)
        let name = t[digits.len()..].strip_prefix(['.', '．'])?;
        ((1..=2).contains(&digits.len())
            && (2..=10).contains(&name.chars().count())
            && name.chars().all(super::is_han))
        .then_some(digits)
    };
    for l in lines {
        let Some(h) = detect_decimal(l) else {
            if let Some(n) = pointed_top(l) {
                open = Some((n, 0));
                pointed = true;
            }
            continue;
        };
        match h.style {
            Style::Decimal1 => {
                top += 1;
                open = Some((h.number.clone(), 0));
            }
            Style::Decimal2 => {
                second += 1;
                if let Some((n, last)) = &mut open
                    && let Some((a, b)) = h.number.split_once('.')
                    && a == n.as_str()
                    && b.parse::<u32>().is_ok_and(|b| b == *last + 1)
                {
                    *last += 1;
                    counted = counted.max(*last);
                }
            }
            _ => {}
        }
    }
    (top >= 2 && second >= 2) || ((top >= 1 || pointed) && counted >= 2)
}

/// The lines of a table of contents, as a mask over `lines`: `目录`
/// followed by the headings it lists, before the text repeats the first of
/// them; a run of heading lines whose first entry the text repeats (an
/// emergency plan's outline printed before it, with no `目录` line); and an
/// entry with a dotted leader and a page number (`一、工作原则……3`).
pub(crate) fn table_of_contents(lines: &[&str]) -> Vec<bool> {
    let compact = |l: &str| -> String { l.chars().filter(|c| !c.is_whitespace()).collect() };
    let mut mask = vec![false; lines.len()];
    let heading_like = |l: &str| detect(l).is_some() || detect_decimal(l).is_some();
    // the outline before the text: from the first heading line to where the
    // text repeats it, every line in between a heading too
    // an outline may list its top level without numbers (`总则`, then
    // `1.1 编制目的`, while the text says `1 总则`): a short line of words
    // only, standing above a numbered entry
    let numbered_repeat = |bare: &str, line: &str| -> bool {
        let (b, t) = (compact(bare), compact(line));
        t.len() > b.len()
            && t.ends_with(b.as_str())
            && t[..t.len() - b.len()]
                .chars()
                .all(|d| d.is_ascii_digit() || "、.．第章一二三四五六七八九十".contains(d))
    };
    let bare_entry = |k: usize| -> bool {
        let c = compact(lines[k]);
        (2..=16).contains(&c.chars().count())
            && c.chars().all(super::is_han)
            && lines[k + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| heading_like(l))
    };
    let run = |first: usize| -> Option<std::ops::Range<usize>> {
        let entry = compact(lines[first]);
        // an outline lists names; a field with its value (`1.巡察时间：3月至
        // 5月。`, under each of several groups) is no entry of one
        if entry
            .split_once(['：', ':'])
            .is_some_and(|(_, value)| !value.is_empty())
        {
            return None;
        }
        // (or its chapter's number alone, the name lost: `第一章 总则`
        // listed, `第一章` over the text)
        let chapter = detect(lines[first])
            .filter(|h| h.style == Style::Zhang)
            .map(|h| h.number);
        let repeats = |l: &str| {
            compact(l) == entry
                || chapter.as_ref().is_some_and(|n| {
                    detect(l).is_some_and(|h| h.number == *n && h.text.trim().is_empty())
                })
        };
        let mut again = lines[first + 1..]
            .iter()
            .position(|l| repeats(l))
            .map(|k| first + 1 + k)?;
        let listed = (first..again)
            .filter(|&k| !lines[k].trim().is_empty())
            .all(|k| heading_like(lines[k]) || bare_entry(k));
        if !listed || again - first < 3 {
            return None;
        }
        // the bare entry that opens it, just above its first numbered one;
        // the text then starts where it repeats that entry with a number
        let start = lines[..first]
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .filter(|&k| bare_entry(k))
            .unwrap_or(first);
        if start < first
            && let Some(k) = (first + 1..again).find(|&k| numbered_repeat(lines[start], lines[k]))
        {
            again = k;
        }
        Some(start..again)
    };
    if let Some(at) = lines.iter().position(|l| compact(l) == "目录")
        && let Some(first) = lines[at + 1..]
            .iter()
            .position(|l| !l.trim().is_empty())
            .map(|k| at + 1 + k)
    {
        // (the text may number it otherwise: `1、总则` listed, `1. 总 则` over
        // the text)
        let entry = entry_name(lines[first]);
        if !entry.is_empty()
            && let Some(k) = lines[first + 1..]
                .iter()
                .position(|l| entry_name(l) == entry)
        {
            mask[at..first + 1 + k].iter_mut().for_each(|m| *m = true);
        }
    } else if let Some(r) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| heading_like(l))
        .take(12)
        .find_map(|(k, _)| run(k))
    {
        // the outline may come after a few numbered lines of its own (the
        // cover notice's list of attachments)
        mask[r].iter_mut().for_each(|m| *m = true);
    }
    static LEADER: OnceLock<Regex> = OnceLock::new();
    let leader = LEADER.get_or_init(|| {
        // (or a page number between dashes: `1 总则- 1 -`)
        Regex::new(r"(?:\.{4,}|…{2,}|·{4,}|\.[ .]{6,})\s*\d{1,3}\s*$|\S\s*-\s*\d{1,3}\s*-\s*$")
            .expect("static leader pattern")
    });
    for (k, l) in lines.iter().enumerate() {
        if leader.is_match(l) {
            mask[k] = true;
        }
    }
    mask
}

/// The name an outline's entry gives, without its number, its page number
/// or its spacing: `1、总则`, `1. 总 则` and `1 总则- 1 -` all name `总则`.
fn entry_name(line: &str) -> String {
    let t = line.trim();
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == ' ');
    let named = detect(t)
        .or_else(|| detect_decimal(t))
        .map_or_else(|| t.to_string(), |h| h.text);
    named.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Split `一是…。二是…` style run-in text at the first sentence end.
fn split_run_in(body: &str) -> (&str, Option<String>) {
    match body.find(['。', '！', '？']) {
        Some(i) => {
            let end = i + body[i..].chars().next().map_or(0, char::len_utf8);
            let rest = body[end..].trim();
            (&body[..i], (!rest.is_empty()).then(|| rest.to_string()))
        }
        None => (body, None),
    }
}

/// A law article line: `第十条 内容…` → (`第十条`, `内容…`).
pub(crate) fn detect_article(line: &str) -> Option<(String, String)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r"^(第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?)\s*(.*)$",
        )
        .expect("static article pattern")
    });
    let c = re.captures(line)?;
    let rest = c[2].trim();
    // `第二十条第（一）项`, a row of a disclosure report's table: a
    // provision cited, not an article
    static CITED: OnceLock<Regex> = OnceLock::new();
    let cited = CITED.get_or_init(|| {
        Regex::new(r"^第\s*[（(]?\s*[一二三四五六七八九十0-9]+\s*[）)]?\s*[项款]")
            .expect("static cited provision pattern")
    });
    if cited.is_match(rest) {
        return None;
    }
    Some((c[1].to_string(), rest.to_string()))
}

/// True when a heading style belongs to the 编/章/节 structure of a law.
pub(crate) fn is_law_style(style: Style) -> bool {
    matches!(style, Style::Bian | Style::Zhang | Style::Jie)
}

/// The problem label quoted in a heading: 针对“学习贯彻不够”问题 → 学习贯彻不够.
pub(crate) fn issue_label(heading: &str) -> Option<String> {
    let open = heading.find(['“', '"', '「'])?;
    let after = &heading[open + heading[open..].chars().next()?.len_utf8()..];
    let close = after.find(['”', '"', '」'])?;
    let label = after[..close].trim();
    let tail = &after[close..];
    let tail = &tail[tail.chars().next()?.len_utf8()..];
    (tail.starts_with("问题") && !label.is_empty()).then(|| label.to_string())
}

/// Tracks the open headings while a document is read top to bottom.
#[derive(Default)]
pub(crate) struct Outline {
    stack: Vec<(Style, String)>,
    flat: Vec<(usize, String, String)>,
}

impl Outline {
    /// Place a heading; returns the heading path (texts from level 1 down).
    pub fn push(&mut self, h: &HeadingLine) -> Vec<String> {
        if let Some(pos) = self.stack.iter().position(|(s, _)| *s == h.style) {
            self.stack.truncate(pos);
        }
        self.stack.push((h.style, h.text.clone()));
        self.flat
            .push((self.stack.len(), h.number.clone(), h.text.clone()));
        self.stack.iter().map(|(_, t)| t.clone()).collect()
    }

    /// Close every open heading: what follows (a document attached under
    /// a notice's signature) stands under none of them.
    pub fn close_all(&mut self) {
        self.stack.clear();
    }

    /// Texts of the open headings, top level first.
    pub fn current_path(&self) -> Vec<String> {
        self.stack.iter().map(|(_, t)| t.clone()).collect()
    }

    /// The finished tree.
    pub fn into_tree(self) -> Vec<Heading> {
        let mut roots: Vec<Heading> = Vec::new();
        for (level, number, text) in self.flat {
            let node = Heading {
                level,
                number,
                text,
                children: Vec::new(),
            };
            insert(&mut roots, node, 1);
        }
        roots
    }
}

fn insert(siblings: &mut Vec<Heading>, node: Heading, depth: usize) {
    if node.level > depth
        && let Some(last) = siblings.last_mut()
    {
        insert(&mut last.children, node, depth + 1);
        return;
    }
    let mut node = node;
    node.level = depth;
    siblings.push(node);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(line: &str) -> Option<(Style, String, String, Option<String>)> {
        detect(line).map(|h| (h.style, h.number, h.text, h.rest))
    }

    #[test]
    fn recognises_every_numbering_style() {
        assert_eq!(d("一、总体要求").unwrap().0, Style::CnComma);
        assert_eq!(d("（一）指导思想").unwrap().0, Style::CnParen);
        assert_eq!(d("(二)制定工作方案").unwrap().0, Style::CnParen);
        assert_eq!(d("1.针对问题").unwrap().0, Style::NumDot);
        assert_eq!(d("2、加强管理").unwrap().0, Style::NumDot);
        assert_eq!(d("1）提高政治站位").unwrap().0, Style::NumParen);
        assert_eq!(d("19)加强党费收缴").unwrap().0, Style::NumParen);
        assert_eq!(d("（3）规范程序").unwrap().0, Style::ParenNum);
        assert_eq!(d("①加强学习").unwrap().0, Style::Circled);
        assert_eq!(d("第一章 总则").unwrap().2, "总则");
        assert_eq!(d("第二节　收监").unwrap().0, Style::Jie);
    }

    #[test]
    fn run_in_heading_ends_at_first_full_stop() {
        let (_, num, text, rest) =
            d("(一)强化组织领导,落实主体责任。投资促进中心党组高度重视").unwrap();
        assert_eq!(num, "(一)");
        assert_eq!(text, "强化组织领导,落实主体责任");
        assert_eq!(rest.as_deref(), Some("投资促进中心党组高度重视"));
        let (_, _, text, rest) = d("1.针对“学习贯彻不够”问题的整改进展情况。").unwrap();
        assert_eq!(text, "针对“学习贯彻不够”问题的整改进展情况");
        assert_eq!(rest, None);
    }

    #[test]
    fn numbers_and_sentences_are_not_headings() {
        assert!(d("1.5亿元用于项目建设").is_none());
        assert!(d("2023.8月完成").is_none());
        assert!(d("一是加强学习").is_none());
        assert!(d("第三章规定的事项，由县级以上人民政府负责。").is_none());
        let long = format!("1.{}", "很长的句子".repeat(20));
        assert!(d(&long).is_none());
    }

    #[test]
    fn law_articles() {
        assert_eq!(
            detect_article("第十条 为了规范").unwrap(),
            ("第十条".to_string(), "为了规范".to_string())
        );
        assert_eq!(detect_article("第十条之一　内容").unwrap().0, "第十条之一");
        assert!(detect_article("第十个条件").is_none());
        // a provision cited in a table row, not an article
        assert!(detect_article("第二十条第(一)项").is_none());
        assert!(detect_article("第二十条第（五）项").is_none());
        assert!(detect_article("第二十条　第一项规定的情形").is_none());
        assert!(detect_article("第二十条 第三人的权利").is_some());
    }

    #[test]
    fn issue_label_from_quotes() {
        assert_eq!(
            issue_label("针对“学习贯彻不够”问题的整改进展情况").as_deref(),
            Some("学习贯彻不够")
        );
        assert_eq!(
            issue_label("针对“招商引资‘软实力’不足”问题的整改进展情况").as_deref(),
            Some("招商引资‘软实力’不足")
        );
        assert_eq!(issue_label("促进产教融合校企“双元”育人"), None);
    }

    #[test]
    fn outline_nests_new_styles_and_closes_old_ones() {
        let mut o = Outline::default();
        for l in ["一、甲", "1.乙", "2.丙", "二、丁", "（一）戊"] {
            o.push(&detect(l).unwrap());
        }
        let t = o.into_tree();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.len(), 2);
        assert_eq!(t[1].children[0].text, "戊");
        assert_eq!(t[1].children[0].level, 2);
    }
}
