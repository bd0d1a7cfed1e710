//! Plain-text layout: title, metadata lines, body; the header is whatever
//! precedes the body (breadcrumbs, a title split over two lines, label lines).

use super::fields::{
    agency_from_delivery, agency_from_law_line, agency_from_speaker, agency_from_spokesperson,
    agency_from_title, dates_in, digits_date, inspection_issuer, is_chrome, is_date_line,
    looks_like_agency, looks_like_agency_list, metadata_pairs, numbered_issuer,
    yearly_report_issuer,
};
use super::headings::{
    Outline, Style, detect, detect_article, detect_clause, detect_continued, detect_decimal,
    has_decimal_outline, is_law_style, is_provision, issue_label, ordinal, table_of_contents,
};
use super::{Notice, NoticeHead, Section, SkipReason};

/// How many lines at the top of the body may still carry metadata (a
/// provincial report repeats 来源/时间 under its page chrome).
const META_SCAN_LINES: usize = 20;
/// How many lines at the end are searched for a signature.
const SIGNATURE_LINES: usize = 10;

/// The lines of `text`, ended by `\n`, `\r\n` or a lone `\r` (old Mac
/// files): like [`str::lines`], which only knows the first two and would read
/// a whole CR-only file as one line.
pub(super) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\n', '\r']) {
            Some(k) => {
                let end = if s[k..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[k + end..]);
                Some(&s[..k])
            }
            None => {
                rest = None;
                (!s.is_empty()).then_some(s)
            }
        }
    })
}

fn clean(line: &str) -> &str {
    let blank = |c: char| c.is_whitespace() || c == '\u{feff}';
    let t = line.trim_matches(blank);
    // a page saved in an encoding without its padding (no-break or
    // ideographic spaces) has `?` for each: `某省人民政府????????`; one `?`
    // is a question mark
    let end = t.trim_end_matches('?');
    let t = if t.len() - end.len() >= 2 {
        end.trim_end_matches(blank)
    } else {
        t
    };
    let start = t.trim_start_matches('?');
    if t.len() - start.len() >= 2 {
        start.trim_start_matches(blank)
    } else {
        t
    }
}

#[derive(Default)]
struct Meta {
    pairs: Vec<(&'static str, String)>,
}

impl Meta {
    fn get(&self, labels: &[&str]) -> Option<(&'static str, &str)> {
        labels.iter().find_map(|l| {
            self.pairs
                .iter()
                .find(|(k, v)| k == l && !v.is_empty())
                .map(|(k, v)| (*k, v.as_str()))
        })
    }
}

pub(super) fn parse(text: &str, rel: &str) -> Result<Notice, SkipReason> {
    parse_with(text, rel, false)
}

/// [`parse`], keeping what a document prints above its title when
/// `printed_head` is set: a PDF, Word or OFD file has no page chrome, so its
/// red header, 文号, 签发人 and classification lines are its own text and
/// belong in the first section (a web page's lines above the title are
/// mostly the site's, and are left out).
pub(super) fn parse_with(text: &str, rel: &str, printed_head: bool) -> Result<Notice, SkipReason> {
    // a forum's post salted with anti-copy noise is read without it
    let plain = super::noise::strip(text);
    let text = plain.as_deref().unwrap_or(text);
    // a page a converter glossed with pinyin (`關(guān)于`) is read without
    // the glosses; what it shows of the page gets them back
    let Some((plain, glosses)) = super::glosses::Glosses::strip(text) else {
        return parse_plain(text, rel, printed_head);
    };
    let mut n = parse_plain(&plain, rel, printed_head)?;
    let restore = |s: &str| glosses.restore(s, text);
    n.head.title = restore(&n.head.title);
    n.head.agency = n.head.agency.as_deref().map(restore);
    fn walk(h: &mut [super::Heading], restore: &dyn Fn(&str) -> String) {
        for x in h {
            x.text = restore(&x.text);
            walk(&mut x.children, restore);
        }
    }
    walk(&mut n.headings, &restore);
    for s in &mut n.sections {
        for p in &mut s.heading_path {
            *p = restore(p);
        }
        s.heading = s.heading.as_deref().map(restore);
    }
    Ok(n)
}

fn parse_plain(text: &str, rel: &str, printed_head: bool) -> Result<Notice, SkipReason> {
    let lines: Vec<&str> = split_lines(text).map(clean).collect();
    let mut head = super::head::read(&lines).ok_or(SkipReason::NoContent)?;
    // a number printed under the title, in brackets, below where the head
    // ended (`（某政〔2001〕85号）` after a title broken over two lines)
    if head.doc_number.is_none() {
        head.doc_number = lines[head.body_start.min(lines.len())..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(12)
            .find_map(|l| super::head::bracketed_number(l));
    }
    let mut meta = Meta {
        pairs: head.meta.clone(),
    };
    let i = head.body_start.min(lines.len());
    let title = head.title.clone();
    let overflow = head.overflow.clone();

    // Body: headings split it into sections; metadata and chrome near the top
    // are read and dropped from the displayed text.
    let mut outline = Outline::default();
    let mut sections: Vec<Section> = vec![Section {
        heading_path: Vec::new(),
        heading: None,
        number: None,
        issue: None,
        text: overflow.clone().unwrap_or_default(),
    }];
    if printed_head {
        sections[0].text = printed_lines_above(&lines[..i], &title, overflow.as_deref())
            .into_iter()
            .chain(overflow)
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut head_raw: Vec<&str> = lines[..i].to_vec();
    let mut body_lines_seen = 0usize;
    // A text of articles (第X条) is a law: only 编/章/节 are headings, each
    // article is a section of its own, and （一） items are list items.
    let law = lines[i..]
        .iter()
        .filter(|l| detect_article(l).is_some())
        .take(2)
        .count()
        >= 2
        || numbered_across_chapters(&lines[i..]);
    // a body flattened onto one line (a paste that lost its line breaks)
    // still numbers its parts inline: `…通知如下：一、检查范围。…二、…`;
    // it is read as the lines it was
    let mut body: Vec<&str> = Vec::new();
    if let Some(first) = head.overflow.as_deref() {
        let mut parts = split_inline_outline(first).into_iter();
        if let Some(lead) = parts.next()
            && parts.len() > 0
        {
            sections[0].text = lead.to_string();
            body.extend(parts);
        } else if detect_clause(first.trim()).is_some() {
            // a text that opens with its first numbered item (`1、接某镇政府
            // 通知，…`): the item is read with its list
            sections[0].text.clear();
            body.push(first);
        }
    }
    body.extend(
        lines[i..]
            .iter()
            .filter(|l| !l.is_empty())
            .flat_map(|l| split_inline_outline(l)),
    );
    // Unnumbered cross-heads (CCDI features) are only looked for in texts
    // that have no numbered top-level structure of their own.
    let numbered = law
        || body.iter().any(|l| {
            detect(l).is_some_and(|h| {
                matches!(h.style, super::headings::Style::CnComma) || is_law_style(h.style)
            })
        });
    // Emergency plans and standards number 1 / 1.1 / 1.1.1; their table of
    // contents lists the headings once before the text does.
    let decimal = !numbered && has_decimal_outline(&body);
    let toc = table_of_contents(&body);
    // the chapters' names a contents list gives, by number: a chapter line
    // whose name the page lost (`第二章` alone) takes the name listed
    let listed_chapters: Vec<(String, String)> = body
        .iter()
        .zip(&toc)
        .filter(|(_, listed)| **listed)
        .filter_map(|(l, _)| detect(l))
        .filter(|h| h.style == super::headings::Style::Zhang && !h.text.trim().is_empty())
        .map(|h| (h.number, h.text))
        .collect();
    // a 通告's or a rule's numbered items are its provisions: one worded as
    // a sentence is no heading (an MFA briefing's or a report's may be)
    // (the text's opening sentence too, when it starts with its body:
    // `…特发布如下禁火令：`)
    let normative = normative(&title, &body)
        || head
            .overflow
            .as_deref()
            .is_some_and(|first| normative("", &[first]));
    let labelled = labelled_headings(&body, &toc, normative);
    // (a notice that puts a draft of articles out for comment signs above
    // it: its own parts, 一、征求意见的时间 …, are headings)
    let law_from = if law {
        signed_before_articles(&body)
    } else {
        0
    };
    let mut attachments = false;
    // the style and ordinal of the last heading read: a long item that
    // comes next in its list is a heading too
    let mut last_heading: Option<(super::headings::Style, u32)> = None;
    for (k, &l) in body.iter().enumerate() {
        body_lines_seen += 1;
        let in_head = sections.len() == 1;
        if in_head {
            head_raw.push(l);
        }
        if is_chrome(l) {
            continue;
        }
        if law_from > 0 && k == law_from {
            outline.close_all();
        }
        if body_lines_seen <= META_SCAN_LINES
            && in_head
            && let Some(p) = metadata_pairs(l)
        {
            meta.pairs.extend(p);
            continue;
        }
        if law && let Some((number, _)) = detect_article(l) {
            if in_head {
                head_raw.pop();
            }
            let mut path = outline.current_path();
            path.push(number.clone());
            sections.push(Section {
                heading_path: path,
                issue: None,
                heading: Some(number.clone()),
                number: Some(number),
                text: l.to_string(),
            });
            continue;
        }
        let plain = (!numbered && k > 0)
            .then(|| plain_heading(l, body[k - 1], body.get(k + 1).copied()))
            .flatten();
        let in_toc = toc[k];
        // the numbered names listed under 附件： are attachments, not headings
        let compact_line: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        if compact_line == "附件:" || compact_line == "附件：" {
            attachments = true;
        } else if attachments && detect(l).is_none() {
            attachments = false;
        }
        let in_toc = in_toc || (attachments && detect(l).is_some());
        if let Some(h) = decimal
            .then(|| detect_decimal(l))
            .flatten()
            .or(plain)
            .or_else(|| {
                detect(l)
                    .or_else(|| detect_continued(l, last_heading))
                    // (a pair named by its label among headings is judged by it)
                    .filter(|h| {
                        !(normative
                            && provision(h, l, next_line(&body, k))
                            && !matches!(labelled[k], Listed::Heading(_)))
                    })
                    .filter(|h| !law || k < law_from || is_law_style(h.style))
                    .and_then(|h| match labelled[k] {
                        Listed::Heading(label) => Some(super::headings::HeadingLine {
                            text: label.to_string(),
                            ..h
                        }),
                        Listed::Item => None,
                        Listed::AsRead => (!is_list_item(&h, l)).then_some(h),
                    })
            })
            .filter(|_| !in_toc)
            // a chapter line without its name heads nothing a reader can
            // follow, unless the contents list names it
            .and_then(|h| {
                if h.style != super::headings::Style::Zhang || !h.text.trim().is_empty() {
                    return Some(h);
                }
                let name = listed_chapters.iter().find(|(n, _)| *n == h.number)?;
                Some(super::headings::HeadingLine {
                    text: name.1.clone(),
                    ..h
                })
            })
        {
            last_heading = ordinal(&h.number).map(|n| (h.style, n));
            let path = outline.push(&h);
            if in_head {
                head_raw.pop();
            }
            sections.push(Section {
                heading_path: path,
                issue: issue_label(&h.text),
                heading: Some(h.text.clone()),
                number: Some(h.number.clone()),
                // The text starts with the heading line as written: a run-in
                // heading is the lead of its paragraph, which stays whole.
                text: l.to_string(),
            });
            continue;
        }
        // a provision of a text that lays down rules is no heading but a
        // section of its own, as a law's article is
        if normative
            && !in_toc
            && (!law || k < law_from)
            && let Some(h) = detect_clause(l)
            && !is_law_style(h.style)
            && !is_list_item(&h, l)
            && (provision(&h, l, next_line(&body, k))
                // (the last of a list of provisions)
                || (labelled[k] == Listed::Item && whole_sentence(&h, l)))
        {
            if in_head {
                head_raw.pop();
            }
            let mut path = outline.current_path();
            path.push(h.number.clone());
            sections.push(Section {
                heading_path: path,
                issue: None,
                heading: Some(h.number.clone()),
                number: Some(h.number),
                text: l.to_string(),
            });
            continue;
        }
        if let Some(s) = sections.last_mut() {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(l);
        }
    }

    // the signature serves the date and the agency: read once, when needed
    let signed = SignatureOnce::default();
    let (date, date_source) = find_date(&meta, &head, &lines, &signed, i, &sections, rel);
    let (agency, agency_source) =
        find_agency(&head, &meta, &title, &lines, &signed, &sections, &body);
    let source = meta
        .get(&["来源", "信息来源", "文章来源", "来自", "Policy Source"])
        .map(|(_, v)| clean_agency(v).unwrap_or_else(|| v.trim().to_string()));
    let doc_number = meta
        .get(&["发文字号", "文号", "文件编号"])
        .map(|(_, v)| v.to_string())
        .or_else(|| head.doc_number.clone());

    Ok(Notice {
        head: NoticeHead {
            id: rel.to_string(),
            path: rel.to_string(),
            title,
            agency,
            date,
        },
        title_source: head.title_source.to_string(),
        agency_source,
        date_source,
        source,
        doc_number,
        extraction: None,
        headings: outline.into_tree(),
        sections,
        head_raw: head_raw.join("\n"),
    })
}

/// True when a text in chapters (第一章, 第二章 …) numbers its items 一、二、
/// on across them, the second chapter going on where the first stopped:
/// those items are its articles (a 工作规则 written without 第X条), not
/// headings, as a law's articles are not. Items that start again at 一、 in
/// each chapter are its sections' headings.
fn numbered_across_chapters(lines: &[&str]) -> bool {
    let mut chapters = 0;
    let mut first_after_chapter = false;
    for l in lines {
        let Some(h) = detect(l) else { continue };
        match h.style {
            Style::Zhang => {
                chapters += 1;
                first_after_chapter = true;
            }
            Style::CnComma if first_after_chapter => {
                first_after_chapter = false;
                if chapters >= 2 {
                    return ordinal(&h.number).is_some_and(|n| n > 1);
                }
            }
            _ => {}
        }
    }
    false
}

/// The lines of a document's head that are not its title (nor the first
/// line run on into a whole text, which is body): the red header, the 文号,
/// a 签发人 or classification line, in the order printed.
fn printed_lines_above(head: &[&str], title: &str, overflow: Option<&str>) -> Vec<String> {
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let title = compact(title);
    head.iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && Some(*l) != overflow.map(str::trim))
        .filter(|l| !title.contains(&compact(l)))
        .map(str::to_string)
        .collect()
}

/// A numbered line that is an item of a list rather than a heading: a
/// short label and the sentence it introduces, `一、元旦：1月1日放假，与周末连休。`
/// or `二、地点：县政府6楼会议室。` — a holiday or meeting notice's items,
/// numbered like headings. A heading names what follows it; a numbered
/// question (`一、问：…`) is a heading too.
fn is_list_item(h: &super::headings::HeadingLine, line: &str) -> bool {
    let folded = crate::normal::normalize(&h.text);
    let Some(k) = folded.find(':') else {
        return false;
    };
    let label = &folded[..k];
    let said = folded[k + 1..].trim();
    let short = (1..=6).contains(&label.chars().count())
        && !label.contains([',', '、', '(', '“', '"', '《'])
        && !["问", "答", "问题", "回答"].contains(&label);
    let sentence = said.contains([',', '，'])
        || crate::normal::normalize(line.trim_end()).ends_with(['。', '；', ';']);
    // or a short value: a field of a form (`会议地点：会议中心`)
    let field = said.chars().count() <= 40;
    short && !said.is_empty() && (sentence || field)
}

/// Whether a text lays down rules, so that its numbered items are
/// provisions: a 通告, 公告, order (令) or set of rules by its title, or a
/// text that says 特此通告 / 通告如下.
fn normative(title: &str, body: &[&str]) -> bool {
    const KINDS: &[&str] = &[
        "通告", "公告", "令", "规定", "办法", "细则", "条例", "规则", "守则",
    ];
    let t = crate::normal::normalize(title);
    let t = t.trim_end_matches(|c: char| !super::is_han(c));
    KINDS.iter().any(|k| t.ends_with(k))
        || body.iter().any(|l| {
            let l = crate::normal::normalize(l);
            ["特此通告", "通告如下", "公告如下", "特此公告"]
                .iter()
                .any(|w| l.contains(w))
                // `特发布如下禁火令：`, `特发布森林防火禁火令。`
                || ["如下", "发布"].iter().any(|w| {
                    l.split(w).skip(1).any(|after| {
                        let after = after
                            .split(['。', ':', '：', ';', '；'])
                            .next()
                            .unwrap_or("")
                            .trim();
                        after.chars().count() <= 10 && KINDS.iter().any(|k| after.ends_with(k))
                    })
                })
        })
        // a text in chapters (a 规则 a notice issues): its items are articles
        || body
            .iter()
            .any(|l| detect(l).is_some_and(|h| h.style == Style::Zhang))
}

/// Whether a numbered line of a text that lays down rules is one of its
/// provisions: a lead worded as a clause (see [`is_provision`]), or an item
/// that is one whole sentence with its next sibling right below it
/// (`一、禁止露天焚烧秸秆。` over `二、…`). A heading names what follows it: a
/// run-in one (`四、违法处理。违反本命令的…`) on its own line, another the
/// items or paragraphs below it (`（二）县委第三巡察组巡察…。` over `1.…`);
/// a list's last item goes with its siblings (see [`labelled_headings`]).
fn provision(h: &super::headings::HeadingLine, line: &str, next: Option<&str>) -> bool {
    is_provision(&h.text) || (whole_sentence(h, line) && next_is_sibling(h, next))
}

/// Whether `next` (the line after numbered item `h`) is `h`'s next sibling:
/// the same style, numbered one on (`一、…` then `二、…`).
fn next_is_sibling(h: &super::headings::HeadingLine, next: Option<&str>) -> bool {
    next.and_then(detect_clause).is_some_and(|n| {
        n.style == h.style
            && ordinal(&n.number)
                .zip(ordinal(&h.number))
                .is_some_and(|(b, a)| b == a + 1)
    })
}

/// Whether `next`, the line after a list's last item, is the end of the
/// text rather than what the item heads: nothing, a closing formula
/// (`特此通知`), the signature's body or its date.
fn closes_text(next: Option<&str>) -> bool {
    next.is_none_or(|l| {
        let t = crate::normal::normalize(l.trim());
        t.starts_with("特此") || is_date_line(&t).is_some() || looks_like_agency_list(signer(&t))
    })
}

/// Whether a numbered line is one whole sentence: its lead ends it, and
/// nothing runs on after (`一、禁止露天焚烧秸秆。`).
fn whole_sentence(h: &super::headings::HeadingLine, line: &str) -> bool {
    h.rest.is_none() && line.trim_end().ends_with(['。', '！', '!'])
}

/// Whether the numbered lines `at` (one list's items, in order, each with
/// whether it is a `label：value` pair) follow one another with no line
/// between them, more than half of them one whole sentence (a pair's label
/// heads its value: `一、禁火区域：全县所有林地。`). See
/// [`labelled_headings`].
fn heads_nothing(body: &[&str], at: &[(usize, bool)]) -> bool {
    let adjacent = at
        .windows(2)
        .all(|w| body[w[0].0 + 1..w[1].0].iter().all(|l| l.trim().is_empty()));
    let whole = at
        .iter()
        .filter(|&&(k, pair)| {
            !pair && detect_clause(body[k]).is_some_and(|h| whole_sentence(&h, body[k]))
        })
        .count();
    at.len() >= 2 && adjacent && whole * 2 > at.len()
}

/// Where a text of articles begins after a notice of its own: the line
/// after the notice's signature (a body's name over a date) when the notice
/// above it has numbered parts of its own (`一、征求意见的时间` …) and the
/// first article (`第一条`) comes after it; 0 when the whole text is the
/// law.
fn signed_before_articles(body: &[&str]) -> usize {
    let Some(first) = body.iter().position(|l| detect_article(l).is_some()) else {
        return 0;
    };
    let signed = (1..first).rev().find(|&k| {
        is_date_line(body[k].trim()).is_some() && looks_like_agency_list(signer(body[k - 1]))
    });
    let Some(at) = signed else {
        return 0;
    };
    let parts = body[..at]
        .iter()
        .filter(|l| detect(l).is_some_and(|h| h.style == super::headings::Style::CnComma))
        .take(2)
        .count();
    if parts >= 2 { at + 1 } else { 0 }
}

/// The next line of `body` after line `k` that holds text.
fn next_line<'a>(body: &[&'a str], k: usize) -> Option<&'a str> {
    body.get(k + 1..)?
        .iter()
        .find(|l| !l.trim().is_empty())
        .copied()
}

/// Whether numbered line `k` stands alone over a paragraph of its own: no
/// sentence on the line, and the next line an unnumbered sentence
/// (`一、禁燃禁放范围` over `全县行政区域。`).
fn heads_paragraph(body: &[&str], k: usize) -> bool {
    let line = crate::normal::normalize(body[k].trim());
    let Some(h) = detect(&line) else {
        return false;
    };
    h.rest.is_none()
        && !line.ends_with(['。', '；', ';', '，', ',', '：', ':'])
        && !h.text.contains(['，', ',', '；', ';'])
        && next_line(body, k).is_some_and(|n| {
            let n = crate::normal::normalize(n.trim());
            detect_clause(&n).is_none() && n.ends_with(['。', '；', ';'])
        })
}

/// A lead asking its readers to do something (`请各单位于6月前报送`,
/// `邀请…列席会议`); `请示…` names a matter.
fn request(lead: &str) -> bool {
    let t = crate::normal::normalize(lead.trim());
    (t.starts_with('请') && !t.starts_with("请示")) || t.starts_with("邀请")
}

/// The length from which a lead of clauses reads as a sentence among its
/// list's: a heading of parallel phrases runs to about 35 characters
/// (`始终锚定产业优，着力构建现代化产业体系，夯实奋勇争先的物质技术基础`, 33).
const LONG_LEAD: usize = 38;

/// Whether a numbered line is a clause opening what follows it (`3、“十五”
/// 期间，基础教育改革和发展的具体任务是：`): a sentence begun, not a name.
fn introduces(lead: &str, line: &str) -> bool {
    let t = crate::normal::normalize(lead.trim());
    crate::normal::normalize(line.trim_end()).ends_with(':')
        && t.contains(',')
        && ["是", "为", "如下", "包括"].iter().any(|w| t.ends_with(w))
}

/// Whether a lead gives an address or a number to reach someone by: an
/// e-mail address, a web address, a phone or fax number, a postcode.
fn contact_details(lead: &str) -> bool {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(concat!(
            r"[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.[A-Za-z]",
            r"|(?i:https?://|www\.)",
            r"|\d{3,4}[-－—]\d{7,8}",
            r"|(?:邮编|邮政编码|电话|传真)\s*[:：]?\s*\d{6}"
        ))
        .expect("static contact pattern")
    });
    re.is_match(lead)
}

/// What a numbered line's list says of it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Listed<'a> {
    /// Its own wording decides.
    AsRead,
    /// A `label：value` pair among headings: the label is the heading.
    Heading(&'a str),
    /// An item of a list of pairs.
    Item,
}

/// Numbered `label：value` items read with their siblings: in
/// `一、管制时间：9月16日6时至13时。` beside `二、管制路段` and `三、管制措施`
/// the label is the heading, as its siblings are. Where most items of a list
/// are such pairs (a holiday or meeting notice's `元旦：…`, `地点：…`), they
/// are the list's items and none is a heading, also an item whose longer
/// label alone would have made it one (`六、中秋节、国庆节：9月29日至…`). A
/// list is the run of one numbering style counting up from where it starts.
/// Likewise a list made mostly of sentences (a 通告's clauses, `一、任何单位
/// 和个人未经许可，严禁…`) has no headings, not even its one short clause
/// (`四、本通告自发布之日起实施`).
fn labelled_headings<'a>(body: &[&'a str], toc: &[bool], normative: bool) -> Vec<Listed<'a>> {
    use super::headings::Style;
    let mut out = vec![Listed::AsRead; body.len()];
    // open lists: style, last ordinal, members (line, label when a pair,
    // whether a sentence)
    // (and whether one whole sentence, see [`provision`])
    type Member<'a> = (usize, Option<&'a str>, bool, bool);
    let mut lists: Vec<(Style, u32, Vec<Member<'a>>)> = Vec::new();
    let mut done: Vec<Vec<Member<'a>>> = Vec::new();
    // questions and answers (`问：…` / `答：…`): a transcript
    let transcript = body
        .iter()
        .filter(|l| {
            let t = crate::normal::normalize(l.trim_start());
            // (or a reporter's question: `某某台记者：据了解…`)
            let asked = t
                .split_once(':')
                .is_some_and(|(who, _)| who.ends_with("记者") && who.chars().count() <= 20);
            t.starts_with("问:") || t.starts_with("答:") || asked
        })
        .take(2)
        .count()
        >= 2;
    for (k, l) in body.iter().enumerate() {
        if toc.get(k).copied().unwrap_or(false) {
            continue;
        }
        let (h, sentence) = match detect(l) {
            Some(h) => {
                let s = normative && provision(&h, l, next_line(body, k));
                (h, s)
            }
            None => match detect_clause(l) {
                Some(h) if !is_law_style(h.style) => (h, normative),
                _ => continue,
            },
        };
        let Some(n) = ordinal(&h.number) else {
            continue;
        };
        // a pair's label: between the number and the colon; "" when the
        // line is a pair whose label cannot be cut out
        let pair = is_list_item(&h, l);
        let whole = normative && whole_sentence(&h, l);
        let member = (
            k,
            pair.then(|| pair_label(l)),
            sentence && !pair,
            whole && !pair,
        );
        match lists.iter().position(|(s, _, _)| *s == h.style) {
            Some(p) if lists[p].1 + 1 == n => {
                lists[p].1 = n;
                lists[p].2.push(member);
            }
            Some(p) => {
                let (_, _, members) = lists.remove(p);
                done.push(members);
                lists.push((h.style, n, vec![member]));
            }
            None => lists.push((h.style, n, vec![member])),
        }
    }
    done.extend(lists.into_iter().map(|(_, _, m)| m));
    for members in done {
        // entries closed by semicolons, the last by a full stop
        // (`1.县政府分管领导；` `2.各乡镇分管负责同志。`): one enumeration
        let semi = members
            .iter()
            .filter(|m| body[m.0].trim_end().ends_with(['；', ';']))
            .count();
        // (or most of them, two in three: a page cut in its last entry);
        // items that each run a name on into their paragraph (`（一）现场观摩。
        // 上午观摩…；` `（二）集中会议。下午…。`) are headings, whatever ends them
        let run_in = members
            .iter()
            .all(|m| detect_clause(body[m.0]).is_some_and(|h| h.rest.is_some()));
        if !run_in
            && ((semi > 0 && semi + 1 >= members.len())
                || (semi >= 3 && semi * 3 >= members.len() * 2))
        {
            for (k, _, _, _) in members {
                out[k] = Listed::Item;
            }
            continue;
        }
        // (a short line over a paragraph of its own heads it, whatever its
        // siblings: `一、禁燃禁放范围` over `全县行政区域。` before the clauses)
        let clauses: Vec<&Member> = members
            .iter()
            .filter(|m| !(normative && heads_paragraph(body, m.0)))
            .collect();
        let sentences = clauses.iter().filter(|m| m.2).count();
        // (a list of provisions ends with one as whole as they are:
        // `三、本通告自发布之日起施行。` under the signature)
        if sentences * 2 > clauses.len() || (sentences > 0 && clauses.iter().all(|m| m.2 || m.3)) {
            for (k, _, _, _) in clauses {
                out[*k] = Listed::Item;
            }
            continue;
        }
        // a list of arrangements asking its readers to act, most items
        // opening with a request (`1. 请各单位…参加。`, `2. 邀请…列席。`), is
        // one enumeration, none of its items a heading
        let requests = members
            .iter()
            .filter(|m| detect_clause(body[m.0]).is_some_and(|h| request(&h.text)))
            .count();
        if requests >= 2 && requests * 2 > members.len() {
            for (k, _, _, _) in members {
                out[k] = Listed::Item;
            }
            continue;
        }
        // a list whose every item opens with a long sentence of clauses
        // (`一、各地区、各部门要立即开展检查，并于8月30日前报送…`, `1、接某镇
        // 政府通知，因管道破损需抢修，需停水施工`) enumerates what it asks
        // or tells: none of its items names what follows as a heading does
        // (an item giving an address to write to counts with them: `（三）
        // 通过电子邮件方式将意见发送至：abc@example.cn`)
        let told = |m: &Member| {
            detect_clause(body[m.0]).is_some_and(|h| {
                contact_details(&h.text)
                    || (m.1.is_none()
                        && ((super::headings::is_sentence(&h.text)
                            && h.text.chars().count() >= LONG_LEAD)
                            || introduces(&h.text, body[m.0])))
            })
        };
        // (a press conference's opening announcements, `一、应某某邀请，某某将于…
        // 访问`, are the points of its transcript, each a matter of its own)
        if members.len() >= 2 && !transcript && members.iter().all(told) {
            for (k, _, _, _) in members {
                out[k] = Listed::Item;
            }
            continue;
        }
        // a list whose items follow one another with nothing under any of
        // them, most of them one whole sentence (`一、树立生态环保意识，充分
        // 认识…的危害性。` then `二、积极响应号召，自觉做到…。`), is a list
        // of paragraphs: a heading names what follows it, and these head
        // nothing (a run-in heading's paragraph holds more sentences:
        // `一、加强组织领导。各地要…。`)
        // (a run-in lead naming a matter still heads its paragraph: `一、关于
        // 适用范围问题。经征求…` beside `二、本批复自…施行。`; and a press
        // conference's announcements are its transcript's points, as above)
        if !transcript
            && heads_nothing(
                body,
                &members
                    .iter()
                    .map(|m| (m.0, m.1.is_some()))
                    .collect::<Vec<_>>(),
            )
        {
            for (k, _, _, _) in members {
                let names = detect_clause(body[k])
                    .is_some_and(|h| h.rest.is_some() && super::headings::names_a_matter(&h.text));
                if !names {
                    out[k] = Listed::Item;
                }
            }
            continue;
        }
        // an item that is one whole sentence with its next sibling right
        // below it heads nothing, whatever its siblings do (`二、委员报到时
        // 请将提案交大会秘书处。` over `三、…` after `一、出席会议人员` over its
        // paragraph); nor does the list's last after such an item, one
        // whole sentence over the text's close (`特此通知`, the signature).
        // (A last item after a run-in heading goes with it: `二、严格落实
        // 上级要求。` after `一、严格落实人员排查。即日起…`.)
        if !transcript {
            let mut after_bare = false;
            for (j, m) in members.iter().enumerate() {
                let bare = detect_clause(body[m.0])
                    .filter(|h| whole_sentence(h, body[m.0]))
                    .is_some_and(|h| {
                        let next = next_line(body, m.0);
                        next_is_sibling(&h, next)
                            || (after_bare && j + 1 == members.len() && closes_text(next))
                    });
                if bare {
                    out[m.0] = Listed::Item;
                }
                after_bare = bare;
            }
        }
        // a heading never gives an address; and in a text that lays down
        // rules, an item whose lead runs longer than a heading's, with its
        // next sibling right below it, is a provision among headed parts
        // (`四、县城供水、供电…等公用事业车辆提供必要交通保障。渣土车…` after
        // `三、禁止通行时间` over its paragraph)
        // (and the list's last item, one whole sentence after such a
        // provision, closes them: `六、本通告自发布之日起施行。`)
        let mut after_provision = false;
        for (j, m) in members.iter().enumerate() {
            // (in any text, a lead that long and worded as a sentence of
            // clauses: `二、全力做好山洪灾害防御，加大…，坚决撤离…，确保…`
            // between `一、高度重视，切实加强组织领导。…` and its sibling)
            let long_provision = |h: &super::headings::HeadingLine| {
                (normative || (!transcript && super::headings::is_sentence(&h.text)))
                    && m.1.is_none()
                    && h.text.chars().count() >= LONG_LEAD
                    && !super::headings::names_a_matter(&h.text)
                    && next_is_sibling(h, next_line(body, m.0))
            };
            let closing = after_provision && j + 1 == members.len() && m.3;
            let h = detect_clause(body[m.0]);
            let provision = h.as_ref().is_some_and(long_provision);
            if closing || provision || h.is_some_and(|h| contact_details(&h.text)) {
                out[m.0] = Listed::Item;
            }
            after_provision = provision || (after_provision && (m.2 || m.3));
        }
        let pairs = members.iter().filter(|m| m.1.is_some()).count();
        if pairs == 0 {
            continue;
        }
        if pairs * 2 > members.len() {
            for (k, _, _, _) in members {
                if pair_like(body[k]) {
                    out[k] = Listed::Item;
                }
            }
            continue;
        }
        for (k, label, _, _) in members {
            if let Some(label) = label.filter(|l| !l.is_empty()) {
                out[k] = Listed::Heading(label);
            }
        }
    }
    out
}

/// A numbered line worded `label：value` with a label of a few words, in a
/// list of such pairs: `六、中秋节、国庆节：9月29日至10月6日放假调休`, or
/// `三、参加会议人员：` over its value's lines.
fn pair_like(line: &str) -> bool {
    let folded = crate::normal::normalize(line);
    // (a label alone, `三、参加会议人员：`, has its value on the lines below)
    let Some((lead, _)) = folded.split_once(':') else {
        return false;
    };
    let label = pair_label(lead);
    (1..=12).contains(&label.chars().count()) && !label.contains([',', '(', '“', '"', '《', '。'])
}

/// The label of a numbered `label：value` line: what stands between its
/// number and the first colon (`一、管制时间：…` → 管制时间).
fn pair_label(line: &str) -> &str {
    let lead = line.split([':', '：']).next().unwrap_or("");
    let number_end = lead
        .char_indices()
        .find(|&(_, c)| {
            !(c.is_whitespace()
                || c.is_ascii_digit()
                || "一二三四五六七八九十百零〇两、，,．.（）()".contains(c))
        })
        .map_or(lead.len(), |(k, _)| k);
    lead[number_end..].trim()
}

/// A line that holds a flattened body's numbered parts, cut where each
/// part starts: the markers must count up from 一、 (or （一）) in order, each
/// after a sentence's end, a colon or a space, so `其一、` and `第（一）项`
/// inside a sentence stay. Lines of ordinary length are left whole.
fn split_inline_outline(line: &str) -> Vec<&str> {
    const LONG: usize = 200;
    if line.chars().count() < LONG {
        return vec![line];
    }
    let mut out = vec![line];
    for paren in [false, true] {
        out = out
            .into_iter()
            .flat_map(|piece| split_at_markers(piece, paren))
            .collect();
    }
    out.into_iter().flat_map(split_at_figures).collect()
}

/// The figures of a flattened outline, cut where each part starts: `1.编制
/// 目的 有效抗御…。 2.编制依据 …` or a plan's `1.总则 1.1目的依据 提高…。
/// 1.2现状特点 …`. Each marker is the next in the outline's order (a sibling,
/// a first child, or an ancestor's next sibling), the first one 1 (or 1.1,
/// 1.1.1), and stands after a space (the line break it was) before a word
/// that is no unit, so an amount (`共 2.5亿元`) stays.
fn split_at_figures(line: &str) -> Vec<&str> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"([0-9]{1,2}(?:[.．][0-9]{1,2}){0,3})(?:[.．、]\s*|\s*)(\p{Han})")
            .expect("static outline figure pattern")
    });
    // (where a line break was: a sentence's own enumeration, `包括：1、…；
    // 2、…`, runs on without one)
    let boundary = |before: &str| {
        before.trim_end().is_empty() || before.ends_with([' ', '\u{3000}', '\u{a0}'])
    };
    let mut cuts: Vec<usize> = Vec::new();
    let mut prev: Vec<u32> = Vec::new();
    for c in re.captures_iter(line) {
        let Some(m) = c.get(1) else { continue };
        if !boundary(&line[..m.start()]) {
            continue;
        }
        // a single figure needs its point or 、 (`1.总则`); a decimal one
        // stands on its own (`1.1目的依据`)
        let whole = c.get(0).map_or("", |w| w.as_str());
        let levels: Vec<u32> = m
            .as_str()
            .split(['.', '．'])
            .filter_map(|d| d.parse().ok())
            .collect();
        if levels.len() == 1 && !whole[m.len()..].starts_with(['.', '．', '、']) {
            continue;
        }
        // (an amount or a count: `1.1亿元`, `3天`)
        if c.get(2)
            .is_some_and(|h| super::headings::MEASURE.contains(h.as_str()))
        {
            continue;
        }
        let next = if prev.is_empty() {
            levels.iter().all(|&d| d == 1)
        } else {
            // a first child, or the next sibling at any level up
            (levels.len() == prev.len() + 1
                && levels[..prev.len()] == prev[..]
                && levels.last() == Some(&1))
                || (1..=prev.len()).any(|k| {
                    levels.len() == k
                        && levels[..k - 1] == prev[..k - 1]
                        && levels[k - 1] == prev[k - 1] + 1
                })
        };
        if next {
            cuts.push(m.start());
            prev = levels;
        }
    }
    if cuts.len() < 2 {
        return vec![line];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &at in cuts
        .iter()
        .skip_while(|&&at| at == 0)
        .chain(std::iter::once(&line.len()))
    {
        let piece = line[from..at].trim();
        if !piece.is_empty() {
            out.extend(figure_label_apart(piece));
        }
        from = at;
    }
    out
}

/// A part of a flattened outline whose label stood on its own line: `1.1
/// 目的依据 提高…` is the item `1.1目的依据` and its text.
fn figure_label_apart(piece: &str) -> Vec<&str> {
    let number_end = piece
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || ".．、".contains(c) || c.is_whitespace()))
        .map_or(piece.len(), |(k, _)| k);
    if number_end == 0 {
        return vec![piece];
    }
    apart_after(piece, number_end)
}

/// The item of `piece` (its marker ending at `marker_end`) and, when a
/// short label of words stands before the first space, the text after it.
fn apart_after(piece: &str, marker_end: usize) -> Vec<&str> {
    let after = &piece[marker_end..];
    let Some(space) = after.find(char::is_whitespace) else {
        return vec![piece];
    };
    let label = &after[..space];
    let rest = after[space..].trim();
    if (2..=16).contains(&label.chars().count())
        && label.chars().all(super::is_han)
        && rest.chars().count() >= 2
    {
        vec![piece[..marker_end + space].trim_end(), rest]
    } else {
        vec![piece]
    }
}

fn split_at_markers(line: &str, paren: bool) -> Vec<&str> {
    const CN: &str = "一二三四五六七八九十";
    let boundary = |before: &str| {
        before.trim_end().is_empty()
            || before.ends_with([' ', '\u{3000}', '\u{a0}'])
            || before
                .trim_end()
                .ends_with(['。', '：', ':', '；', ';', '！', '？', '”'])
    };
    let mut cuts = Vec::new();
    let mut want = 1u32;
    for (at, c) in line.char_indices() {
        let marker_end = if paren {
            if c != '（' && c != '(' {
                continue;
            }
            let rest = &line[at + c.len_utf8()..];
            let digits: String = rest.chars().take_while(|c| CN.contains(*c)).collect();
            let after = &rest[digits.len()..];
            if digits.is_empty() || !after.starts_with(['）', ')']) {
                continue;
            }
            if ordinal(&digits) != Some(want) {
                continue;
            }
            at
        } else {
            if !CN.contains(c) || !boundary(&line[..at]) {
                continue;
            }
            let digits: String = line[at..].chars().take_while(|c| CN.contains(*c)).collect();
            let after = &line[at + digits.len()..];
            if !after.starts_with('、') || ordinal(&digits) != Some(want) {
                continue;
            }
            at
        };
        if paren && !boundary(&line[..at]) {
            continue;
        }
        cuts.push(marker_end);
        want += 1;
    }
    if cuts.len() < 2 {
        return vec![line];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &at in cuts.iter().chain(std::iter::once(&line.len())) {
        let piece = line[from..at].trim();
        if !piece.is_empty() {
            if from > 0 {
                out.extend(label_apart(piece));
            } else {
                out.push(piece);
            }
        }
        from = at;
    }
    out
}

/// An item of a flattened list whose label stood on its own line above its
/// content, the line break now a space: `一、管制时间 2023年1月20日 17:00`
/// is the item `一、管制时间` and its content.
fn label_apart(piece: &str) -> Vec<&str> {
    let Some(marker) = piece.find(['、', '）', ')']) else {
        return vec![piece];
    };
    let marker_end = marker + piece[marker..].chars().next().map_or(0, char::len_utf8);
    apart_after(piece, marker_end)
}

/// An unnumbered cross-head standing between paragraphs: a short line with
/// no sentence punctuation, after a paragraph that ends a sentence and before
/// a paragraph. Author lines, captions, dates, credits in brackets and
/// numbered lines are not cross-heads.
fn plain_heading(
    line: &str,
    prev: &str,
    next: Option<&str>,
) -> Option<super::headings::HeadingLine> {
    let n = line.chars().count();
    let next = next?;
    let han = line
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let ends_sentence = |s: &str| s.ends_with(['。', '！', '？', '”', '…', '」']);
    let ok = (4..=45).contains(&n)
        && han >= 4
        && !line.contains(['。', '！', '？', '：', ':', '；', ';'])
        && !line.ends_with(['，', ',', '、'])
        && !line.contains("网站")
        && !line.contains("记者")
        && !line.contains("通讯员")
        && !line.contains("图为")
        && !line.contains("供图")
        && !line.ends_with('摄')
        // a credit or note in brackets: `（某县林业局）`
        && !(line.starts_with(['(', '（']) && line.ends_with([')', '）']))
        // a row of a joint signature (`某省卫生厅      某省教育厅`)
        && !(line.split_whitespace().count() >= 2 && looks_like_agency_list(line.trim()))
        // a numbered line of an outline the text is not read as (`1.2 编制依据`;
        // `2026年重点工作` is a cross-head)
        && detect_decimal(line).is_none_or(|h| h.style == super::headings::Style::Decimal1)
        && is_date_line(line).is_none()
        && metadata_pairs(line).is_none()
        && detect(line).is_none()
        // (the closing sentence of a text whose full stop the page lost:
        // `现将…完成情况予以通报(具体见附件)`)
        && !["现将", "特此"]
            .iter()
            .any(|w| crate::normal::normalize(line.trim_start()).starts_with(w))
        && prev.chars().count() >= 30
        && ends_sentence(prev)
        && next.chars().count() >= 30
        && detect(next).is_none()
        // a cross-head is followed by its text, not by the attachments
        && !crate::normal::normalize(next.trim_start()).starts_with("附件");
    ok.then(|| super::headings::HeadingLine {
        style: super::headings::Style::Plain,
        number: String::new(),
        text: line.to_string(),
        rest: None,
    })
}

/// Dates in order of trust: a label line, the date under the signature, the
/// latest version line of a law, a work report's delivery line, and last the
/// date in a source URL.
fn find_date(
    meta: &Meta,
    head: &super::head::Head,
    lines: &[&str],
    signed: &SignatureOnce,
    body_start: usize,
    sections: &[Section],
    rel: &str,
) -> (Option<super::Ymd>, Option<String>) {
    let labelled = [
        "发布日期",
        "发布时间",
        "发表日期",
        "发表时间",
        "Release Time",
        "成文日期",
        "发文日期",
        "签署日期",
        "公布日期",
        // Zhejiang's disclosure pages: the day the document was made
        "生成日期",
        "公开日期",
        "日期",
        "时间",
        "信息时间",
        "更新时间",
        "更新日期",
    ];
    // A page that posts an old document again (a law database, a mirror, a
    // forum) stamps it with the day of posting: a bare 时间/日期 or timestamp
    // more than a year after the date the notice is signed is that
    // posting's, and the signature's date is the notice's own. An explicit
    // 发布日期/发布时间 is the publisher's word and stands.
    // The document number's year tells as much when there is no signature
    // (`湘政办发〔2009〕24号` on a page a document-sharing site stamped 2019).
    // (a text without a signature may still say when it was printed, in
    // its imprint: `某某县人民政府办公室2017年5月27日印发`)
    let imprint = || {
        signed
            .get(lines)
            .and_then(|s| s.date)
            .is_none()
            .then(|| imprint_date(lines))
            .flatten()
    };
    let signed_date = || signed.get(lines).and_then(|s| s.date).or_else(imprint);
    let numbered_year = meta
        .get(&["发文字号", "文号", "文件编号"])
        .map(|(_, v)| v.to_string())
        .or_else(|| head.doc_number.clone())
        .and_then(|n| number_year(&n));
    // a signature dated without its year (`10月14日`, a copy's) says the
    // day, not the year: a stamp that is not within two months after that
    // day is a re-post's
    let yearless = lines
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(SIGNATURE_LINES)
        .find_map(|l| month_day_of(l));
    let reposted = |d: super::Ymd| {
        signed_date().is_some_and(|s| d.unix_seconds() > s.unix_seconds())
            || numbered_year.is_some_and(|y| d.year > y + 1)
            || yearless.is_some_and(|(m, day)| !soon_after(d, m, day))
    };
    // …and a publication date years after the signature's or the number's
    // is a mirror's posting an old document again (发布时间 2018 over a
    // notice signed 二〇〇六年, numbered 〔2006〕)
    let posted_again = |d: super::Ymd| {
        signed_date().is_some_and(|s| d.year > s.year + 1)
            || numbered_year.is_some_and(|y| d.year > y + 1)
    };
    for l in labelled {
        if let Some((k, v)) = meta.get(&[l])
            && let Some(d) = dates_in(v)
                .into_iter()
                .next()
                .map(|(d, _, _)| d)
                .or_else(|| day_unmarked(v))
        {
            let stamp = ["日期", "时间", "更新时间", "更新日期"].contains(&k);
            // (the document's own dates stand)
            let own = ["成文日期", "发文日期", "签署日期"].contains(&k);
            if own || (!stamp && !posted_again(d)) || (stamp && !reposted(d)) {
                return (Some(d), Some(format!("label:{k}")));
            }
        }
    }
    if let Some(d) = head.timestamp.filter(|d| !reposted(*d)) {
        return (Some(d), Some("timestamp".to_string()));
    }
    // a time of publication run into another label's value
    // (`来源:某某网 2017-12-13 14:19 作者:…`)
    if let Some(d) = meta
        .pairs
        .iter()
        .find_map(|(_, v)| stamped_date(v))
        .filter(|d| !reposted(*d))
    {
        return (Some(d), Some("timestamp".to_string()));
    }
    if let Some(d) = signed.get(lines).and_then(|s| s.date) {
        return (Some(d), Some("signature".to_string()));
    }
    if let Some(d) = imprint() {
        return (Some(d), Some("imprint".to_string()));
    }
    if let Some(d) = head.title_date {
        return (Some(d), Some("title".to_string()));
    }
    let title = head.title.as_str();
    // Law version lines: the latest date on a line saying 通过/修正/修订/公布.
    let head = &sections[0].text;
    let mut best: Option<super::Ymd> = None;
    for l in split_lines(head).take(12) {
        let opens_with_date = dates_in(l.trim_start_matches(['（', '(']))
            .first()
            .is_some_and(|(_, start, _)| *start == 0);
        if !opens_with_date || l.chars().count() > 200 {
            continue;
        }
        // words read folded: a traditional page's 會議通過 says 通过
        let said = crate::normal::normalize(l);
        if said.contains("施行") && !said.contains("通过") && !said.contains("公布") {
            continue;
        }
        if ["通过", "修正", "修订", "公布", "发布", "批准"]
            .iter()
            .any(|w| said.contains(w))
        {
            for (d, _, _) in dates_in(l) {
                best = Some(best.map_or(d, |b| b.max(d)));
            }
        }
    }
    if let Some(d) = best {
        return (Some(d), Some("version".to_string()));
    }
    for l in lines[body_start.min(lines.len())..].iter().take(12) {
        if (l.starts_with("——") || l.starts_with("--"))
            && let Some((d, _, _)) = dates_in(l).into_iter().next()
        {
            return (Some(d), Some("delivered".to_string()));
        }
    }
    // a page's own index row, a date then the headline (`2017-08-26 某某
    // 全面展开 1 1 某某日报`, what an e-paper prints under its story)
    if let Some(d) = indexed_date(lines, title) {
        return (Some(d), Some("index".to_string()));
    }
    if let Some((_, url)) = meta.get(&["原文链接"])
        && let Some(d) = url_date(url)
    {
        return (Some(d), Some("url".to_string()));
    }
    if let Some(d) = url_date(rel) {
        return (Some(d), Some("file name".to_string()));
    }
    (None, None)
}

/// The date of a line that opens with it and goes on with the notice's
/// title (`2017-08-26 某某全面展开 …`): the page's index row for the
/// notice. A title shorter than six characters proves nothing.
fn indexed_date(lines: &[&str], title: &str) -> Option<super::Ymd> {
    let compact = super::folded_compact;
    let title = compact(title);
    if title.chars().count() < 6 {
        return None;
    }
    lines.iter().find_map(|l| {
        let line = compact(l);
        let (d, start, end) = dates_in(&line).into_iter().next()?;
        // (the title right after the date; a date's pattern may take in the
        // numeral the title opens with: `2017-08-26九届…`)
        let at = line.find(title.as_str())?;
        (start == 0 && at <= end && at + 4 >= end).then_some(d)
    })
}

/// A labelled date whose 日 the page dropped: `2018年03月27`, the value's
/// whole text.
fn day_unmarked(value: &str) -> Option<super::Ymd> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})$")
            .expect("static unmarked day pattern")
    });
    captured_ymd(&re.captures(value.trim())?, 0)
}

/// The day of a date pattern's first three groups (year, month, day);
/// `century` is added to the year (2000 for a two-digit one).
fn captured_ymd(c: &regex::Captures, century: i32) -> Option<super::Ymd> {
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    super::Ymd::new(century + n(1)? as i32, n(2)?, n(3)?)
}

/// The year a document number carries in its brackets: 湘政办发〔2009〕24号 → 2009.
fn number_year(number: &str) -> Option<i32> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"[〔\[(（【［]\s*((?:19|20)\d{2})\s*[〕\])）】］]")
            .expect("static number year pattern")
    });
    re.captures(number)?.get(1)?.as_str().parse().ok()
}

/// The date of a document's imprint (版记) near its end: the office that
/// printed it and the day, `某某县人民政府办公室 2017年5月27日印发`.
fn imprint_date(lines: &[&str]) -> Option<super::Ymd> {
    lines
        .iter()
        .rev()
        .map(|l| crate::normal::normalize(l.trim()))
        .filter(|l| !l.is_empty())
        .take(SIGNATURE_LINES * 2)
        .find_map(|l| {
            let before = l.strip_suffix("印发")?.trim_end();
            let (d, start, end) = dates_in(before).into_iter().last()?;
            (end == before.len()
                && before[..start]
                    .chars()
                    .all(|c| super::is_han(c) || c.is_whitespace()))
            .then_some(d)
        })
}

/// A date with a clock time after it (`2017-12-13 14:19`) inside a value.
fn stamped_date(v: &str) -> Option<super::Ymd> {
    dates_in(v)
        .into_iter()
        .find_map(|(d, start, end)| {
            let after = v[end..].trim_start();
            let clock = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ':')
                .collect::<String>();
            // (or the date alone ends the value, after the name it stamps:
            // `来源：某某晚报 2023年01月04日`)
            let last = after.is_empty() && v[..start].ends_with(char::is_whitespace);
            (last || (clock.len() >= 4 && clock.contains(':'))).then_some(d)
        })
        .or_else(|| short_year_stamp(v))
}

/// A posting stamp with a two-digit year and its clock time
/// (`22-10-03 11:47:19`): only with the clock is it surely a date.
fn short_year_stamp(v: &str) -> Option<super::Ymd> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^0-9])(\d{2})-(\d{1,2})-(\d{1,2})\s+\d{1,2}:\d{2}(?:[^0-9]|$)")
            .expect("static short-year stamp pattern")
    });
    captured_ymd(&re.captures(v)?, 2000)
}

/// A date written in a URL or file name: 2018-11/19, 2019-03-12, 20190312.
fn url_date(s: &str) -> Option<super::Ymd> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(
            r"(?:^|[^0-9A-Za-z%])((?:19|20)\d{2})[-/_.]?(\d{2})[-/_.]?(\d{2})(?:[^0-9]|$)",
        )
        .expect("static url date pattern")
    });
    re.captures_iter(s).find_map(|c| captured_ymd(&c, 0))
}

/// The signature block at the end of a notice: the signing body and the
/// date under it.
struct Signature {
    agency: Option<String>,
    date: Option<super::Ymd>,
}

/// The signature of one notice, read at most once (the date and the agency
/// both fall back on it).
#[derive(Default)]
struct SignatureOnce(std::cell::OnceCell<Option<Signature>>);

impl SignatureOnce {
    fn get(&self, lines: &[&str]) -> Option<&Signature> {
        self.0.get_or_init(|| signature(lines)).as_ref()
    }
}

/// Page furniture that follows a notice on a saved page (copyright, 备案,
/// sharing buttons, editor credits): passed over when the signature is looked
/// for.
fn is_footer(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        "版权所有",
        "copyright",
        "©",
        "icp",
        "备案",
        "主办单位",
        "承办单位",
        "主办:",
        "技术支持",
        "网站标识码",
        "公网安备",
        "联系我们",
        "网站地图",
        "责任编辑",
        "编辑:",
        "审核:",
        "校对:",
        "来源:",
        "分享到",
        "扫一扫",
        "打印本页",
        "关闭窗口",
        "相关链接",
        "相关文章",
        "上一篇",
        "下一篇",
        "附件:",
        "抄送:",
        "主题词",
        "点击数",
        "浏览次数",
        "阅读次数",
    ];
    WORDS.iter().any(|w| folded.contains(w))
        || is_chrome(folded)
        || (folded.starts_with(['(', '['])
            && folded.ends_with([')', ']'])
            && folded.chars().count() <= 16)
}

/// The signature: the last date standing on a line of its own near the end
/// (footer lines passed over), and the body named on the line above it —
/// or, with no date, a body named on the last line.
fn signature(lines: &[&str]) -> Option<Signature> {
    let tail: Vec<(&str, String)> = lines
        .iter()
        .rev()
        // (a table cell's rule left after the date: `2021年4月21日 |`)
        .map(|l| l.trim_end_matches(['|', '｜', '│', ' ', '\u{3000}']))
        .filter(|l| !l.is_empty())
        .map(|l| (l, crate::normal::normalize(l)))
        .filter(|(_, f)| !is_footer(f))
        // (two more: the signer's name over the last date looked at, which
        // may be broken over two lines)
        // (and room for a joint signature's rows of bodies, see below)
        .take(SIGNATURE_LINES + 8)
        .collect();
    // a date line, or a date written as bare digits (`20171116`, the 年 and
    // 月 dropped with the page's spans) right under a body's name
    let date_at = |at: usize| -> Option<super::Ymd> {
        let (l, f) = &tail[at];
        is_date_line(l).or_else(|| is_date_line(f)).or_else(|| {
            digits_date(l).filter(|_| {
                tail.get(at + 1)
                    .is_some_and(|(p, _)| looks_like_agency_list(signer(p)))
            })
        })
    };
    // a signature dated without its year (`12月11日`, the page dropped it):
    // the body above it signs, the date says nothing
    let yearless = |at: usize| {
        let (line, _) = tail.get(at)?;
        let (above, _) = tail.get(at + 1)?;
        (month_day_line(line) && looks_like_agency_list(signer(above))).then(|| Signature {
            agency: Some(joined_list(signer(above))),
            date: None,
        })
    };
    if let Some(s) = yearless(0) {
        return Some(s);
    }
    if let Some(at) = (0..tail.len().min(SIGNATURE_LINES)).find(|&at| date_at(at).is_some()) {
        let date = date_at(at);
        let agency = tail
            .get(at + 1)
            .map(|(l, _)| signer(l))
            .filter(|a| looks_like_agency_list(a))
            .map(|a| match tail.get(at + 2) {
                // a long name broken over two lines: `某区新型冠状病毒感染
                // 肺炎` above `疫情防控指挥部`
                Some((l, f)) if name_head(f) && looks_like_agency(&format!("{}{a}", l.trim())) => {
                    format!("{}{a}", l.trim())
                }
                _ => signed_rows(&tail[at + 1..]),
            });
        return Some(Signature { agency, date });
    }
    // …and so is one further up, under the page's own lines that the
    // footer filter does not know (`转载请注明地址:…`, `上一篇文章:`), when
    // no line below it holds a whole date
    if let Some(s) = (1..tail.len().min(SIGNATURE_LINES)).find_map(yearless) {
        return Some(s);
    }
    // a flattened body ends with its signature: …特此通告 某某局 2023年1月20日,
    // or signs before its annex: …见到实效。 二○○五年十一月二十一日 附: …
    // (its page's labels may run on after the date: `… 2013年12月27日
    // 作者: 信息来源: |`, which makes it look like a footer)
    let flat_tail: Vec<&str> = lines
        .iter()
        .rev()
        .map(|l| l.trim_end_matches(['|', '｜', '│', ' ', '\u{3000}']))
        .filter(|l| !l.is_empty())
        .filter(|l| l.chars().count() > 80 || !is_footer(&crate::normal::normalize(l)))
        .take(3)
        .collect();
    for l in flat_tail {
        let l = cut_trailing_labels(l);
        let last = dates_in(l).last().copied();
        let before_annex = dates_in(l).into_iter().find(|&(_, start, end)| {
            let after = l[end..].trim_start();
            end < l.len()
                && l[end..].starts_with([' ', '\u{3000}'])
                && after.starts_with('附')
                && l[..start].trim_end().ends_with(['。', '！'])
                && l[..start].ends_with([' ', '\u{3000}'])
        });
        if let Some((d, _, _)) = before_annex {
            return Some(Signature {
                agency: None,
                date: Some(d),
            });
        }
        // an attachment's file name run on into the signer and the date:
        // `…附件:某某通知.pdf某县农业农村局2024年9月6日扫一扫…`
        if let Some(signed) = dates_in(l).into_iter().find_map(|(d, start, _)| {
            let before = &l[..start];
            let folded = before.to_ascii_lowercase();
            let ext = [
                ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".wps", ".ofd", ".zip", ".rar",
            ]
            .iter()
            .filter_map(|e| folded.rfind(e).map(|k| k + e.len()))
            .max()?;
            let name = before[ext..].trim();
            looks_like_agency_list(name).then(|| Signature {
                agency: Some(joined_list(name)),
                date: Some(d),
            })
        }) {
            return Some(signed);
        }
        // the bodies named before a date, each set apart by spaces
        let signers = |start: usize| -> Option<String> {
            let names: Vec<&str> = l[..start]
                .trim_end()
                .rsplit([' ', '\u{3000}'])
                .filter(|w| !w.is_empty())
                .map(signer)
                .take_while(|w| looks_like_agency_list(w))
                .collect();
            let names: Vec<&str> = names.into_iter().rev().collect();
            (!names.is_empty()).then(|| joined_list(&names.join(" ")))
        };
        // (or run on after the last sentence with no space at all: `…另行
        // 通知。某市某指挥部2021年9月18日`)
        let run_on = |start: usize| -> Option<String> {
            let before = l[..start].trim_end();
            let k = before.rfind(['。', '！'])?;
            let name = signer(before[k..].trim_start_matches(['。', '！']).trim());
            looks_like_agency(name).then(|| name.to_string())
        };
        if let Some((d, start, end)) = last
            && l[end..].trim().is_empty()
            && start > 0
            && let Some(agency) = signers(start).or_else(|| run_on(start))
        {
            return Some(Signature {
                agency: Some(agency),
                date: Some(d),
            });
        }
        // a flattened notice that issues an attached document signs before
        // it, its name and date set apart by spaces: `…现印发给你们。 附件:
        // 某某预案 某某镇人民政府 2020年10月22日 某某预案 1.总则 …`
        if l.chars().count() > 80
            && let Some(signed) = dates_in(l).into_iter().find_map(|(d, start, end)| {
                let apart = l[..start].ends_with([' ', '\u{3000}'])
                    && l[end..].starts_with([' ', '\u{3000}']);
                apart
                    .then(|| signers(start))
                    .flatten()
                    .map(|agency| Signature {
                        agency: Some(agency),
                        date: Some(d),
                    })
            })
        {
            return Some(signed);
        }
    }
    // a notice that issues an attached document signs before it: the first
    // line naming a body followed by a line that is only a date; a
    // government order (令) is signed by its head (`省长 某某`) the same way
    let mut prev: Option<&str> = None;
    for l in lines.iter().filter(|l| !l.is_empty()) {
        // the cheap test first: most lines follow no body's name
        // (the name may close the attachment line it signs under:
        // `附件：某某名单 某省人民政府`)
        fn named(p: &str) -> &str {
            if crate::normal::normalize(p).starts_with("附件") {
                p.trim_end().rsplit([' ', '\u{3000}']).next().unwrap_or(p)
            } else {
                p
            }
        }
        if let Some(p) = prev
            .map(named)
            .filter(|p| looks_like_agency_list(signer(p)) || leader(p))
            && let Some(d) = is_date_line(l).or_else(|| digits_date(l))
        {
            return Some(Signature {
                agency: Some(joined_list(signer(p))).filter(|_| !leader(p)),
                date: Some(d),
            });
        }
        prev = Some(l);
    }
    // the last line, past a page's bare posting stamp (`04.07.2016 22:53`)
    let (last, _) = tail.iter().find(|(l, _)| !is_bare_stamp(l))?;
    if tail.len() < 3 {
        return None;
    }
    let name = signer(last);
    if looks_like_agency_list(name) {
        return Some(Signature {
            agency: Some(joined_list(name)),
            date: None,
        });
    }
    // a flattened last paragraph that runs on into its signer: `…抓好责任
    // 落实。某某工作领导小组`
    let (_, after) = last.trim_end().rsplit_once(['。', '！'])?;
    let name = signer(after);
    looks_like_agency(name).then(|| Signature {
        agency: Some(name.to_string()),
        date: None,
    })
}

/// The bodies signing over a date, from the line above it upwards (`tail`,
/// last line first): one line (`某局 某局`), or a joint signature set in
/// columns, a row of bodies a line (`某省卫生厅      某省教育厅` over
/// `某省公安厅      某省财政厅` …), the rows read from the top.
fn signed_rows(tail: &[(&str, String)]) -> String {
    let columns = |l: &str| {
        let l = signer(l);
        l.contains("  ") || l.contains('\u{3000}')
    };
    let Some((first, _)) = tail.first() else {
        return String::new();
    };
    let mut rows = vec![signer(first)];
    if columns(first) {
        rows.extend(
            tail[1..]
                .iter()
                .map(|(l, _)| *l)
                .take_while(|l| columns(l) && looks_like_agency_list(signer(l)))
                .map(signer),
        );
    }
    rows.reverse();
    joined_list(&rows.join(" "))
}

/// The month and day of a line that is only those, in figures: `10月14日`.
fn month_day_of(line: &str) -> Option<(u32, u32)> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日$").expect("static month-day pattern")
    });
    let c = re.captures(line.trim())?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// Whether `d` falls on the month and day given or within two months
/// after it (the year before when the day is later in the year than `d`).
fn soon_after(d: super::Ymd, month: u32, day: u32) -> bool {
    let signed = super::Ymd::new(d.year, month, day)
        .filter(|s| s.unix_seconds() <= d.unix_seconds())
        .or_else(|| super::Ymd::new(d.year - 1, month, day));
    signed.is_some_and(|s| d.unix_seconds() - s.unix_seconds() <= 61 * 86_400)
}

/// A line that is only a month and a day: `12月11日`, `十二月十一日`.
fn month_day_line(line: &str) -> bool {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(
            // (a 年 left of a year the page lost: `年4月11日`)
            r"^(?:年\s*)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$",
        )
        .expect("static month-day pattern")
    })
    .is_match(line.trim())
}

/// A line of digits and separators only: a page's posting stamp
/// (`04.07.2016 22:53`, `2016-07-04`), which signs nothing.
fn is_bare_stamp(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ':' | ' ' | '：'))
}

/// A line that is the title of a government's head, alone or with a name
/// (`省长`, `市长 某某某`): how an order (令) is signed.
fn leader(line: &str) -> bool {
    const TITLES: &[&str] = &[
        "省长",
        "市长",
        "县长",
        "区长",
        "州长",
        "盟长",
        "旗长",
        "主席",
        "代省长",
        "代市长",
        "代县长",
        "代区长",
        "代主席",
    ];
    let compact: String = crate::normal::normalize(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    TITLES.iter().any(|t| {
        compact
            .strip_prefix(t)
            // `市长: 何 健`
            .map(|name| name.trim_start_matches(':'))
            .is_some_and(|name| name.chars().count() <= 4 && name.chars().all(super::is_han))
    })
}

/// A flattened body's last line without the page labels that run on after
/// its signature date (`… 2025年3月20日 来源:区融媒体中心`).
fn cut_trailing_labels(line: &str) -> &str {
    const LABELS: &[&str] = &[
        "作者",
        "来源",
        "信息来源",
        "文章来源",
        "编辑",
        "责任编辑",
        "审核",
        "浏览",
        "点击",
    ];
    let Some(&(_, _, end)) = dates_in(line).last() else {
        return line;
    };
    let after = crate::normal::normalize(line[end..].trim_start());
    let labelled = LABELS.iter().any(|w| {
        after
            .strip_prefix(w)
            .is_some_and(|r| r.trim_start().starts_with([':', '：']))
    });
    if labelled && line[end..].starts_with([' ', '\u{3000}']) {
        &line[..end]
    } else {
        line
    }
}

/// The first part of a signing body's name broken over two lines: a short
/// run of text that is no name, sentence, date or closing formula itself.
fn name_head(folded: &str) -> bool {
    let n = folded.chars().count();
    (2..=24).contains(&n)
        && folded
            .chars()
            .all(|c| super::is_han(c) || c.is_ascii_alphanumeric())
        && !looks_like_agency(folded)
        && is_date_line(folded).is_none()
        && !["特此", "此复", "此致", "附件", "联系"]
            .iter()
            .any(|w| folded.starts_with(w))
}

/// Several signing bodies on one line, however separated, joined by `、`.
fn joined_list(names: &str) -> String {
    names
        .split([' ', '\u{3000}', '、'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// A signing line without its seal mark: `某某局（章）` → 某某局.
fn signer(line: &str) -> &str {
    line.trim()
        .trim_end_matches("（章）")
        .trim_end_matches("(章)")
        .trim_end_matches("（盖章）")
        .trim()
}

/// The issuer a page names when it cites its own document in full in the
/// text: a title without issuer (`关于春节期间禁止燃放烟花爆竹的通告`) and,
/// in the first paragraphs, `县政府发布《某县人民政府关于春节期间…的通告》`.
/// The cited title must end as the title does, with most of its words.
fn cited_self(title: &str, body: &[&str]) -> Option<String> {
    let folded = crate::normal::normalize(title);
    let core: Vec<char> = folded
        .strip_prefix("关于")
        .unwrap_or(&folded)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if core.len() < 6 || agency_from_title(title).is_some() {
        return None;
    }
    // the cited title must end with most of the title: at least 12
    // characters and three fifths of it in common at the end
    let need = 12.max(core.len() * 3 / 5);
    if core.len() < need {
        return None;
    }
    let tail: String = core[core.len() - need..].iter().collect();
    body.iter().take(10).find_map(|l| {
        super::fields::cited(l).find_map(|cited| {
            let cited_folded: String = crate::normal::normalize(cited)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if cited_folded.ends_with(&tail) {
                agency_from_title(cited)
            } else {
                None
            }
        })
    })
}

/// The body a press item's lead says issued the document it reprints:
/// `近日，中共中央办公厅、国务院办公厅印发了《关于…的通知》。全文如下：` under
/// (or above) that title → 中共中央办公厅、国务院办公厅.
fn lead_issuer(title: &str, lines: &[&str]) -> Option<String> {
    let compact = super::folded_compact;
    let want = compact(title);
    if want.chars().count() < 6 {
        return None;
    }
    // the lead names the bodies in full where a headline above it may
    // shorten them (`省委办公厅省政府办公厅印发《…》`): the longest name wins
    lines
        .iter()
        .filter(|l| !l.is_empty())
        .take(15)
        .filter_map(|l| {
            let cited = super::fields::cited(l).find(|c| compact(c) == want)?;
            let at = l.find(&format!("《{cited}》"))?;
            announcer(&l[..at])
        })
        .max_by_key(|a| a.chars().count())
}

/// The body named right before an announcing verb at the end of `before`:
/// `…电 近日，某省人民政府办公厅印发了` → 某省人民政府办公厅.
fn announcer(before: &str) -> Option<String> {
    let folded = crate::normal::normalize(before);
    let folded = folded.trim_end();
    let verbs = [
        "印发了",
        "印发",
        "发布了",
        "发布",
        "公布了",
        "公布",
        "出台了",
        "出台",
        "下发了",
        "下发",
    ];
    let verb = verbs.iter().find(|v| folded.ends_with(*v))?;
    let stem = folded[..folded.len() - verb.len()].trim_end();
    let stem = stem.strip_suffix("联合").unwrap_or(stem).trim_end();
    // or close it: 某院、某部近日联合发布 → 某院、某部
    let stem = [
        "近日", "日前", "近期", "今天", "今日", "昨天", "昨日", "目前",
    ]
    .iter()
    .fold(stem, |c, w| c.strip_suffix(w).unwrap_or(c))
    .trim_end();
    // the clause that names the body: after the last comma, full stop or space
    let start = stem
        .rfind([',', '，', '。', ' ', ':', '：'])
        .map_or(0, |k| {
            k + stem[k..].chars().next().map_or(1, char::len_utf8)
        });
    let clause = &stem[start..];
    // a time word may open it: 近日某某局 → 某某局
    let clause = [
        "近日", "日前", "近期", "今天", "今日", "昨天", "昨日", "目前",
    ]
    .iter()
    .fold(clause, |c, w| c.strip_prefix(w).unwrap_or(c));
    if !looks_like_agency_list(clause) {
        return None;
    }
    // cut the same characters from the text as written
    let orig: Vec<char> = before.trim_end().chars().collect();
    let stem_chars = stem.chars().count();
    let from = stem_chars - clause.chars().count();
    Some(orig[from..stem_chars].iter().collect())
}

/// A 来源 that names a website or app that carried the text, not a body:
/// `某某新闻网`, `某某客户端`. A body's own site (`某某网站`) names the body.
fn republisher(source: &str) -> bool {
    let folded = crate::normal::normalize(source);
    ["网", "客户端", "公众号", "头条号", "App", "APP"]
        .iter()
        .any(|w| folded.ends_with(w))
}

/// A 来源 that names a news outlet: a website, app or account, a newspaper,
/// a news agency or a broadcaster (`某某日报`, `新华社`, `某某电视台`).
pub(super) fn outlet(source: &str) -> bool {
    let folded = crate::normal::normalize(source);
    republisher(source)
        || [
            "报",
            "社",
            "台",
            "网站",
            "新闻中心",
            "融媒体中心",
            "杂志",
            "期刊",
        ]
        .iter()
        .any(|w| folded.ends_with(w))
}

/// A discipline body's or a government's own news account, as a credit
/// names it: a place and what it posts (`某县巡察`, `某市纪检监察`, `某区发布`).
fn account(who: &str) -> bool {
    let n = who.chars().count();
    (4..=12).contains(&n)
        && who.chars().all(super::is_han)
        && ["巡察", "纪检", "纪检监察", "清风", "发布"]
            .iter()
            .any(|w| who.ends_with(w) && who.chars().count() > w.chars().count() + 1)
}

/// The body or outlet a news item credits at its end, after its last
/// sentence and before the page's furniture: a closing bracket naming it
/// (`…工作。（某县政府网）`, a line `（某县林业局）`, `（来源：某某日报）`),
/// or a footer claiming the story (`文章为某某融媒体中心原创`). A bracket
/// naming a person (`（吴某某）`, `（记者：某某）`) credits no body.
/// Whether several paragraphs close with the bodies in charge of them in
/// brackets (`…按期完成。（市发展改革委、市财政局）`): a plan's task notes.
fn task_notes(lines: &[&str]) -> bool {
    lines
        .iter()
        .filter(|l| {
            let t = l.trim_end();
            let Some(inner) = t.strip_suffix(['）', ')']) else {
                return false;
            };
            inner
                .rfind(['（', '('])
                .is_some_and(|k| looks_like_agency_list(inner[k..].trim_start_matches(['（', '('])))
        })
        .take(2)
        .count()
        >= 2
}

fn closing_credit(lines: &[&str]) -> Option<String> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(concat!(
            r"[(（](?:来源[:：]\s*)?([^()（）:：]{2,30})[)）]\s*$",
            r"|^\W*(?:本文|文章|此文)[系为是](\p{Han}{2,16}?)原创"
        ))
        .expect("static credit pattern")
    });
    for line in lines
        .iter()
        .rev()
        .map(|l| crate::normal::normalize(l.trim()))
        .filter(|l| !l.is_empty())
        .take(12)
    {
        if let Some(c) = re.captures(&line) {
            let who = c
                .get(1)
                .or_else(|| c.get(2))
                .map_or("", |m| m.as_str().trim());
            if !who.contains("记者") && (outlet(who) || looks_like_agency_list(who) || account(who))
            {
                // (the bodies in charge noted after each task of a plan,
                // `（市发展改革委、市财政局）`, credit nothing)
                if task_notes(lines) {
                    return None;
                }
                return Some(who.to_string());
            }
            // a unit and its writer (`（区融媒体中心 梁静）`): the unit
            if let Some((unit, name)) = who.rsplit_once(' ')
                && (2..=4).contains(&name.chars().count())
                && name.chars().all(super::is_han)
                && !looks_like_agency(name)
                && !unit.contains(['、', ' '])
                && looks_like_agency(unit.trim())
            {
                return Some(unit.trim().to_string());
            }
            // a reporter's byline names the paper (`（某某日报全媒体记者 某某）`)
            if let Some(k) = who.find("记者") {
                let mut paper = who[..k].trim();
                for w in ["全媒体", "融媒体", "首席", "特约", "见习", "驻站"] {
                    paper = paper.strip_suffix(w).unwrap_or(paper).trim();
                }
                if !paper.starts_with('本') && paper.chars().count() >= 3 && outlet(paper) {
                    return Some(paper.to_string());
                }
            }
        }
        // the story's last sentence, uncredited: what follows is the page's
        if line.ends_with('。') {
            return None;
        }
    }
    None
}

/// A value read as an agency, if it can be one: at most 40 characters, no
/// sentence in it, and not a counter or a label that ran on into it
/// (`中国新闻网  更新` → 中国新闻网).
fn clean_agency(v: &str) -> Option<String> {
    let mut v = v.trim();
    if let Some(k) = v.find("  ") {
        v = v[..k].trim();
    }
    for stop in [
        "浏览量",
        "点击数",
        "阅读次数",
        "浏览次数",
        "作者:",
        "作者：",
        "【",
        " [",
        "|",
    ] {
        if let Some(k) = v.find(stop) {
            v = v[..k].trim();
        }
    }
    // a Latin name (pkulaw's English 发布部门) is longer than a Chinese one
    let max = if v.chars().any(super::is_han) {
        40
    } else {
        2000
    };
    let n = v.chars().count();
    // what a site writes when it names no source: 本站原创, 未知来源, 网络
    let unnamed = [
        "本网",
        "本站",
        "网站",
        "网络",
        "互联网",
        "转载",
        "佚名",
        "其他",
        "本地",
    ]
    .contains(&v)
        || ["原创", "未知"].iter().any(|w| v.contains(w))
        // a poster's login (`tmjjjc1`): letters and digits run together
        || (v.chars().any(|c| c.is_ascii_digit())
            && v.chars().any(|c| c.is_ascii_alphabetic())
            && v.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)));
    // a database's code for a body (`发布单位：81201`) names no one
    let code = !v.chars().any(char::is_alphabetic);
    let ok = (2..=max).contains(&n)
        && !v.contains(['。', '，', '；', '？', '！', ';'])
        && !unnamed
        && !code;
    ok.then(|| v.to_string())
}

/// The issuing body, in order of trust: a 发文机关 label; the red header;
/// the body named above the title or in it; the signature; a law's
/// enacting body; a spokesperson's body; and only then the publishing
/// office of a metadata block (发布机构, which need not be the issuer) and
/// the 来源 line.
fn find_agency(
    head: &super::head::Head,
    meta: &Meta,
    title: &str,
    lines: &[&str],
    signed: &SignatureOnce,
    sections: &[Section],
    body: &[&str],
) -> (Option<String>, Option<String>) {
    let labelled = |labels: &[&str]| {
        meta.get(labels)
            .and_then(|(k, v)| clean_agency(v).map(|a| (a, format!("label:{k}"))))
    };
    let from_title = agency_from_title(title);
    // (read once, and only when the sources before it name nobody)
    let yearly = std::cell::OnceCell::new();
    let yearly = || yearly.get_or_init(|| yearly_report_issuer(title)).clone();
    let above = head.issuer.as_ref().and_then(|(who, how)| {
        let compact = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '、')
                .collect()
        };
        let agrees = from_title
            .as_deref()
            .is_none_or(|t| compact(t) == compact(who));
        (*how == "red header" || agrees).then(|| (who.clone(), how.to_string()))
    });
    let found = labelled(&["发文机关", "Release Department", "发文单位"])
        .or(above)
        .or_else(|| from_title.map(|a| (a, "title".to_string())))
        .or_else(|| {
            signed
                .get(lines)
                .and_then(|s| s.agency.clone())
                .map(|a| (a, "signature".to_string()))
        })
        .or_else(|| {
            title
                .contains("政府工作报告")
                .then(|| agency_from_delivery(lines))
                .flatten()
                .map(|a| (a, "delivered".to_string()))
        })
        .or_else(|| {
            // a report delivered by the head of a body (`市审计局局长 某某`)
            crate::normal::normalize(title)
                .ends_with("报告")
                .then(|| agency_from_speaker(lines))
                .flatten()
                .map(|a| (a, "speaker".to_string()))
        })
        .or_else(|| law_agency(&sections[0].text).map(|a| (a, "law".to_string())))
        .or_else(|| agency_from_spokesperson(body).map(|a| (a, "spokesperson".to_string())))
        .or_else(|| cited_self(title, body).map(|a| (a, "cited title".to_string())))
        .or_else(|| lead_issuer(title, lines).map(|a| (a, "lead".to_string())))
        .or_else(|| {
            meta.get(&["发文字号", "文号", "文件编号"])
                .map(|(_, v)| v.to_string())
                .or_else(|| head.doc_number.clone())
                .and_then(|n| numbered_issuer(&n, title, lines))
                .map(|a| (a, "document number".to_string()))
        })
        // a body's yearly report of its own work is the body's, whoever
        // posted it; a place's (`某镇2010年…年度报告`) its government's,
        // which the page's publishing office may name better
        .or_else(|| {
            yearly()
                .filter(|(_, place)| !place)
                .map(|(a, _)| (a, "title".to_string()))
        })
        .or_else(|| labelled(&["发布机构", "发布单位", "所属机构", "公开责任部门"]))
        .or_else(|| yearly().map(|(a, _)| (a, "title".to_string())))
        .or_else(|| inspection_issuer(title, body).map(|a| (a, "inspection".to_string())))
        // a news site or portal that carried a document (`某某新闻网`,
        // `某某纪检监察网`) republished it; it issued nothing. A news item
        // (a headline, no document named) is the outlet's own report: its
        // 来源 is its author (`来源：某某日报 记者某某`).
        .or_else(|| {
            labelled(&["来源", "信息来源", "文章来源", "来自"]).and_then(|(a, how)| {
                // `来源：某县纪委监委 某县纪检监察网`: the body, not its site
                let parts: Vec<&str> = a
                    .split([' ', '\u{3000}'])
                    .filter(|p| !p.is_empty())
                    .collect();
                parts
                    .iter()
                    .find(|p| !republisher(p) && (p.len() == a.len() || looks_like_agency_list(p)))
                    .or_else(|| {
                        parts
                            .first()
                            .filter(|p| outlet(p) && !super::head::names_document(title))
                    })
                    .map(|p| (p.to_string(), how))
            })
        })
        // an author line that names a body (`作者：某县应急局`), not a person
        .or_else(|| {
            labelled(&["作者"])
                .filter(|(a, _)| looks_like_agency_list(&crate::normal::normalize(a)))
        })
        // a news story opening with its agency's dateline (`新华社北京7月29日
        // 电（记者…）…`) is that agency's, unless it reprints a document
        .or_else(|| {
            (!super::head::names_document(title))
                .then(|| {
                    lines
                        .iter()
                        .filter(|l| !l.trim().is_empty())
                        .take(8)
                        .find_map(|l| {
                            super::head::dateline_outlet(&crate::normal::normalize(l.trim()))
                        })
                })
                .flatten()
                .map(|a| (a, "dateline".to_string()))
        })
        // a news item credited at its end: `…工作。（某县政府网）`, a line
        // `（某县林业局）`, `文章为某某融媒体中心原创`; a page carrying a
        // document credits its issuer, not the outlet that republished it
        .or_else(|| {
            closing_credit(lines)
                .filter(|a| !super::head::names_document(title) || !outlet(a))
                .map(|a| (a, "credit".to_string()))
        })
        // a news item under no 来源 is the report of the body whose site
        // its page title names (`某某情况-某某大学党委巡视办`)
        .or_else(|| {
            head.site
                .clone()
                .filter(|s| {
                    !super::head::names_document(title)
                        && looks_like_agency_list(&crate::normal::normalize(s))
                })
                .map(|a| (a, "page title".to_string()))
        });
    match found {
        Some((a, how)) => (Some(a), Some(how)),
        None => (None, None),
    }
}

fn law_agency(head: &str) -> Option<String> {
    split_lines(head)
        .take(12)
        .filter_map(agency_from_law_line)
        .last()
}

#[cfg(test)]
mod tests {
    use super::{split_at_figures, split_lines};

    #[test]
    fn a_flattened_outline_is_cut_only_where_its_figures_count_on() {
        let plan = "1.总则 1.1编制目的 为应对灾害，制定本预案。 1.2编制依据 依据有关法律。 \
                    2.组织体系 镇防汛指挥部负责全镇工作。";
        assert_eq!(
            split_at_figures(plan),
            [
                "1.总则",
                "1.1编制目的",
                "为应对灾害，制定本预案。",
                "1.2编制依据",
                "依据有关法律。",
                "2.组织体系",
                "镇防汛指挥部负责全镇工作。"
            ]
        );
        // a sentence's own enumeration (no line break was there), an
        // amount, figures out of order: whole
        for line in [
            "重点应该包括：1、重申对宪章的承诺；2、推动解决发展问题；3、推进改革。",
            "全年投入 2.5亿元，比上年增加 1.2亿元，其中 3.1亿元用于民生。",
            "见 2.1节 与 1.3节 的规定。",
            "其中一季度完成 1.1亿元 二季度完成 1.2亿元，同比增长。",
            "会议定于２０２１年 ３月 ５日 在市政府召开，请各单位准时参加。",
        ] {
            assert_eq!(split_at_figures(line), [line], "{line}");
        }
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        fn all(t: &str) -> Vec<&str> {
            split_lines(t).collect()
        }
        assert_eq!(all("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(all("a\r\rb\r"), ["a", "", "b"]);
        assert_eq!(all(""), Vec::<&str>::new());
        assert_eq!(all("\n"), [""]);
        assert_eq!(all("a\n\nb\n"), "a\n\nb\n".lines().collect::<Vec<_>>());
    }
}
