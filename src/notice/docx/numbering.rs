//! Word's automatic numbering: the number text a numbered paragraph shows.
//!
//! 公文 headings are often numbered by Word (一、 （一） 1. （1）), so the
//! number is not in the paragraph's text but computed from
//! `word/numbering.xml`: a paragraph names a list (`w:numId`) and a level
//! (`w:ilvl`) directly or through its style; the list points to an abstract
//! definition whose level gives the start value, the number format
//! (`w:numFmt`) and the pattern (`w:lvlText`, `%1` standing for level 1's
//! counter). Counters run through the document per abstract definition, as
//! Word shows them, a deeper level starting again after a shallower one.

use std::collections::HashMap;

use roxmltree::Node;

use crate::notice::xml::{attr, child, children};

/// Levels of a list (`w:ilvl` 0–8).
const LEVELS: usize = 9;
/// Start values and counters are kept within this (a file may say anything).
const MAX_COUNT: i64 = 1_000_000;

/// One level of a list definition.
#[derive(Clone, Debug)]
struct Level {
    start: i64,
    format: String,
    pattern: String,
    suffix: Suffix,
    /// `w:isLgl`: every placeholder shown as a decimal number.
    legal: bool,
    /// `w:lvlRestart`: restart after a level above this one (1-based)
    /// appears; 0 never restarts. `None`: after any level above.
    restart: Option<usize>,
    /// `w:pStyle`: the paragraph style bound to this level.
    style: Option<String>,
}

/// What follows the number: a tab (the default), a space or nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Suffix {
    Tab,
    Space,
    Nothing,
}

/// A list instance (`w:num`): its abstract definition and overrides.
#[derive(Clone, Debug, Default)]
struct Num {
    abstract_id: String,
    /// Per level: a start override and a replacing level definition.
    overrides: Vec<(usize, Option<i64>, Option<Level>)>,
}

/// A style's numbering and parent.
#[derive(Clone, Debug, Default)]
struct StyleNum {
    num_id: Option<String>,
    level: Option<usize>,
    based_on: Option<String>,
}

/// The numbering definitions of a document and the counters so far.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, (Vec<Option<Level>>, Option<String>)>,
    nums: HashMap<String, Num>,
    styles: HashMap<String, StyleNum>,
    counters: HashMap<String, [Option<i64>; LEVELS]>,
    /// Lists already used once (a start override applies at the first use).
    used: Vec<String>,
}

impl Numbering {
    /// Definitions from `word/numbering.xml` and `word/styles.xml` (either
    /// may be missing).
    pub fn new(numbering: Option<Node>, styles: Option<Node>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(root) = numbering {
            for a in children(root, "abstractNum") {
                let Some(id) = attr(a, "abstractNumId") else {
                    continue;
                };
                let mut levels = vec![None; LEVELS];
                for l in children(a, "lvl") {
                    if let Some(i) = ilvl(l) {
                        levels[i] = Some(level(l));
                    }
                }
                let link = child(a, "numStyleLink").and_then(|s| val(s).map(str::to_string));
                n.abstracts.insert(id.to_string(), (levels, link));
            }
            for m in children(root, "num") {
                let Some(id) = attr(m, "numId") else { continue };
                let Some(abs) = child(m, "abstractNumId").and_then(val) else {
                    continue;
                };
                let overrides = children(m, "lvlOverride")
                    .filter_map(|o| {
                        let i = ilvl(o)?;
                        let start = child(o, "startOverride").and_then(number);
                        Some((i, start, child(o, "lvl").map(level)))
                    })
                    .collect();
                n.nums.insert(
                    id.to_string(),
                    Num {
                        abstract_id: abs.to_string(),
                        overrides,
                    },
                );
            }
        }
        if let Some(root) = styles {
            for s in children(root, "style") {
                let Some(id) = attr(s, "styleId") else {
                    continue;
                };
                let num_pr = child(s, "pPr").and_then(|p| child(p, "numPr"));
                n.styles.insert(
                    id.to_string(),
                    StyleNum {
                        num_id: num_pr
                            .and_then(|p| child(p, "numId"))
                            .and_then(val)
                            .map(str::to_string),
                        level: num_pr.and_then(|p| child(p, "ilvl")).and_then(level_index),
                        based_on: child(s, "basedOn").and_then(val).map(str::to_string),
                    },
                );
            }
        }
        n
    }

    /// The number text of paragraph `p` (with what follows it: a space
    /// after a number ending in a Latin character, nothing after 、 or ）),
    /// counting it; `None` for a paragraph without numbering or with a
    /// bullet.
    pub fn number(&mut self, p: Node) -> Option<String> {
        let ppr = child(p, "pPr");
        let direct = ppr.and_then(|p| child(p, "numPr"));
        let style = ppr
            .and_then(|p| child(p, "pStyle"))
            .and_then(val)
            .map(str::to_string);
        let mut num_id = direct
            .and_then(|n| child(n, "numId"))
            .and_then(val)
            .map(str::to_string);
        let mut level = direct.and_then(|n| child(n, "ilvl")).and_then(level_index);
        if num_id.is_none() || level.is_none() {
            let (sn, sl) = self.style_numbering(style.as_deref());
            num_id = num_id.or(sn);
            level = level.or(sl);
        }
        let num_id = num_id.filter(|id| id != "0")?;
        let (abs_id, levels) = self.levels_of(&num_id)?;
        // A style bound to a level of the list names that level.
        let level = level
            .or_else(|| {
                let style = style.as_deref()?;
                levels
                    .iter()
                    .position(|l| l.as_ref().and_then(|l| l.style.as_deref()) == Some(style))
            })
            .unwrap_or(0);
        let this = levels.get(level)?.clone()?;
        if this.format == "bullet" {
            return None;
        }
        self.count(&num_id, &abs_id, level, &levels);
        let counters = self.counters.get(&abs_id)?;
        let mut text = String::new();
        let mut rest = this.pattern.as_str();
        while let Some(i) = rest.find('%') {
            text.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            let Some(d) = rest.chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            rest = &rest[1..];
            let k = (d as usize).wrapping_sub(1);
            let Some(Some(l)) = levels.get(k) else {
                continue;
            };
            let value = counters.get(k).copied().flatten().unwrap_or(l.start);
            let format = if this.legal { "decimal" } else { &l.format };
            text.push_str(&format_number(value, format));
        }
        text.push_str(rest);
        let text = text.trim().to_string();
        if text.is_empty() {
            return None;
        }
        let ascii_end = text.chars().last().is_some_and(|c| c.is_ascii());
        if this.suffix != Suffix::Nothing && ascii_end {
            return Some(text + " ");
        }
        Some(text)
    }

    /// The list and level a style gives (through its `w:basedOn` parents).
    fn style_numbering(&self, style: Option<&str>) -> (Option<String>, Option<usize>) {
        let mut next = style;
        let mut num = None;
        let mut level = None;
        for _ in 0..16 {
            let Some(s) = next.and_then(|id| self.styles.get(id)) else {
                break;
            };
            num = num.or_else(|| s.num_id.clone());
            level = level.or(s.level);
            if num.is_some() {
                break;
            }
            next = s.based_on.as_deref();
        }
        (num, level)
    }

    /// The abstract definition of list `num_id` (following a style link
    /// once) and its levels with the list's overrides applied.
    fn levels_of(&self, num_id: &str) -> Option<(String, Vec<Option<Level>>)> {
        let num = self.nums.get(num_id)?;
        let mut abs_id = num.abstract_id.clone();
        let (mut levels, link) = self.abstracts.get(&abs_id)?.clone();
        if let Some(link) = link {
            let linked = self
                .styles
                .get(&link)
                .and_then(|s| s.num_id.as_deref())
                .and_then(|id| self.nums.get(id))
                .map(|n| n.abstract_id.clone());
            if let Some(linked) = linked
                && let Some((l, _)) = self.abstracts.get(&linked)
            {
                abs_id = linked;
                levels = l.clone();
            }
        }
        for (i, start, replaced) in &num.overrides {
            if let Some(l) = replaced.clone() {
                levels[*i] = Some(l);
            }
            if let (Some(s), Some(Some(l))) = (start, levels.get_mut(*i)) {
                l.start = *s;
            }
        }
        Some((abs_id, levels))
    }

    /// Advance the counter of `level`, and restart the deeper ones.
    fn count(&mut self, num_id: &str, abs_id: &str, level: usize, levels: &[Option<Level>]) {
        let first_use = !self.used.iter().any(|u| u == num_id);
        if first_use {
            self.used.push(num_id.to_string());
        }
        let restarts: Vec<usize> = self
            .nums
            .get(num_id)
            .map(|n| {
                n.overrides
                    .iter()
                    .filter(|o| o.1.is_some())
                    .map(|o| o.0)
                    .collect()
            })
            .unwrap_or_default();
        let counters = self.counters.entry(abs_id.to_string()).or_default();
        if first_use {
            for &i in &restarts {
                counters[i] = None;
            }
        }
        let start = levels[level].as_ref().map_or(1, |l| l.start);
        counters[level] = Some(match counters[level] {
            Some(c) => (c + 1).min(MAX_COUNT),
            None => start,
        });
        for (d, l) in levels.iter().enumerate().skip(level + 1) {
            let after = l.as_ref().and_then(|l| l.restart).unwrap_or(d);
            if level < after {
                counters[d] = None;
            }
        }
    }
}

/// A level definition (`w:lvl`).
fn level(l: Node) -> Level {
    Level {
        start: child(l, "start").and_then(number).unwrap_or(1),
        format: child(l, "numFmt")
            .and_then(val)
            .unwrap_or("decimal")
            .to_string(),
        pattern: child(l, "lvlText").and_then(val).unwrap_or("").to_string(),
        suffix: match child(l, "suff").and_then(val) {
            Some("space") => Suffix::Space,
            Some("nothing") => Suffix::Nothing,
            _ => Suffix::Tab,
        },
        legal: child(l, "isLgl").is_some_and(|n| !matches!(val(n), Some("0" | "false" | "off"))),
        restart: child(l, "lvlRestart")
            .and_then(number)
            .and_then(|n| usize::try_from(n).ok()),
        style: child(l, "pStyle").and_then(val).map(str::to_string),
    }
}

fn val<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    attr(n, "val")
}

fn number(n: Node) -> Option<i64> {
    val(n)?
        .trim()
        .parse::<i64>()
        .ok()
        .map(|v| v.clamp(0, MAX_COUNT))
}

/// `w:ilvl` as an attribute of `n` (on `w:lvl`, `w:lvlOverride`).
fn ilvl(n: Node) -> Option<usize> {
    attr(n, "ilvl")?
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|&i| i < LEVELS)
}

/// A `w:ilvl` element's value.
fn level_index(n: Node) -> Option<usize> {
    val(n)?.trim().parse::<usize>().ok().filter(|&i| i < LEVELS)
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const TIANGAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const DIZHI: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

/// `n` written in the number format `format` (a `w:numFmt` value);
/// formats that are not known, and numbers a format cannot write, as
/// decimals.
pub fn format_number(n: i64, format: &str) -> String {
    let small = |max: i64| (1..=max).contains(&n);
    let shifted = |base: u32| char::from_u32(base + n as u32 - 1).map(String::from);
    let out = match format {
        "none" => Some(String::new()),
        "decimalZero" if small(9) => Some(format!("0{n}")),
        "decimalFullWidth" | "decimalFullWidth2" => Some(
            n.to_string()
                .chars()
                .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32))
                .collect(),
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if small(20) => shifted(0x2460),
        "decimalEnclosedParen" if small(20) => shifted(0x2474),
        "decimalEnclosedFullstop" if small(20) => shifted(0x2488),
        "ideographEnclosedCircle" if small(10) => shifted(0x3280),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting"
            if small(99_999) =>
        {
            Some(counting(n, &CN_DIGITS, ['十', '百', '千', '万']))
        }
        "chineseLegalSimplified" | "ideographLegalTraditional" if small(99_999) => {
            Some(counting(n, &CN_LEGAL, ['拾', '佰', '仟', '万']))
        }
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" if n >= 0 => Some(
            n.to_string()
                .chars()
                .filter_map(|c| c.to_digit(10).map(|d| CN_DIGITS[d as usize]))
                .collect(),
        ),
        "ideographTraditional" if small(10) => Some(TIANGAN[n as usize - 1].to_string()),
        "ideographZodiac" if small(12) => Some(DIZHI[n as usize - 1].to_string()),
        "ideographZodiacTraditional" if small(60) => {
            let i = n as usize - 1;
            Some(format!("{}{}", TIANGAN[i % 10], DIZHI[i % 12]))
        }
        "lowerLetter" | "upperLetter" if small(26 * 20) => {
            let c = (b'a' + ((n - 1) % 26) as u8) as char;
            let s = c.to_string().repeat(((n - 1) / 26 + 1) as usize);
            Some(if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            })
        }
        "lowerRoman" | "upperRoman" if small(3999) => {
            let s = roman(n);
            Some(if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            })
        }
        _ => None,
    };
    out.unwrap_or_else(|| n.to_string())
}

/// `n` (1–99,999) in Chinese counting: 十一, 二十, 一百零五, 一千二百
/// (`digits[0]` unused: an inner zero is read 零).
fn counting(n: i64, digits: &[char; 10], units: [char; 4]) -> String {
    let mut out = String::new();
    let parts = [
        (n / 10_000 % 10, Some(units[3])),
        (n / 1000 % 10, Some(units[2])),
        (n / 100 % 10, Some(units[1])),
        (n / 10 % 10, Some(units[0])),
        (n % 10, None),
    ];
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十一, not 一十一, when the tens lead.
        if !(out.is_empty() && d == 1 && unit == Some(units[0])) {
            out.push(digits[d as usize]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
    }
    out
}

fn roman(mut n: i64) -> String {
    const R: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::xml;

    #[test]
    fn chinese_counting() {
        let cn = |n| format_number(n, "chineseCounting");
        assert_eq!(cn(1), "一");
        assert_eq!(cn(10), "十");
        assert_eq!(cn(11), "十一");
        assert_eq!(cn(20), "二十");
        assert_eq!(cn(99), "九十九");
        assert_eq!(cn(100), "一百");
        assert_eq!(cn(105), "一百零五");
        assert_eq!(cn(110), "一百一十");
        assert_eq!(cn(1001), "一千零一");
        assert_eq!(format_number(12, "chineseLegalSimplified"), "拾贰");
        assert_eq!(format_number(10, "ideographDigital"), "一〇");
        assert_eq!(format_number(3, "ideographTraditional"), "丙");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        // What a format cannot write is a decimal, never a huge string.
        assert_eq!(format_number(1_000_000, "lowerLetter"), "1000000");
        assert_eq!(format_number(0, "chineseCounting"), "0");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="7">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="%1.%4"/></w:lvl>
        <w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="8">
        <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:style w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
    </w:styles>"#;

    fn numbers(paragraphs: &[(&str, &str, &str)]) -> Vec<Option<String>> {
        let nd = xml::parse(NUMBERING, "DOCX", "numbering").expect("numbering");
        let sd = xml::parse(STYLES, "DOCX", "styles").expect("styles");
        let mut n = Numbering::new(Some(nd.root_element()), Some(sd.root_element()));
        paragraphs
            .iter()
            .map(|(num, lvl, style)| {
                let mut ppr = String::new();
                if !style.is_empty() {
                    ppr.push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
                }
                if !num.is_empty() {
                    ppr.push_str(&format!(
                        r#"<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>"#
                    ));
                }
                let p = format!(
                    r#"<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr>{ppr}</w:pPr></w:p>"#
                );
                let pd = xml::parse(&p, "DOCX", "p").expect("p");
                n.number(pd.root_element())
            })
            .collect()
    }

    #[test]
    fn levels_count_and_restart() {
        let got = numbers(&[
            ("1", "0", ""),
            ("1", "1", ""),
            ("1", "1", ""),
            ("1", "2", ""),
            ("1", "0", ""),
            ("1", "1", ""),
            ("1", "3", ""),
            ("2", "0", ""),
            ("2", "0", ""),
            ("1", "4", ""),
            ("0", "0", ""),
            ("", "", "H1b"),
            ("3", "0", ""),
        ]);
        let want = [
            Some("一、"),
            Some("（一）"),
            Some("（二）"),
            Some("1. "),
            Some("二、"),
            Some("（一）"),
            Some("2.1"),
            Some("3. "),
            Some("4. "),
            None,
            None,
            Some("三、"),
            Some("五、"),
        ];
        let got: Vec<Option<&str>> = got.iter().map(|s| s.as_deref()).collect();
        assert_eq!(got, want);
    }
}
