//! Saved web pages → the plain-text layout that [`super::text`] reads.
//!
//! A page is parsed with html5ever (through `scraper`). Page furniture is
//! dropped by what it is (`script`, `style`, `nav`, `footer`, forms, hidden
//! elements) and by what it is called (class and id names of share widgets,
//! breadcrumbs, menus, footers, QR codes …). The article body is the element
//! whose paragraph children hold the most text outside links; the title is the
//! heading that best matches the page's `<title>`/`<meta>` titles and sits
//! closest before the body. Publication data comes from the label lines
//! between title and body (来源：…, 发布时间：…) and from `<meta>` tags.
//!
//! The result is written out as a plain-text notice — title line, metadata
//! lines, a blank line, one paragraph per line — so headings, agency and date
//! are read by exactly the same rules as a `.txt` notice.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use encoding_rs::Encoding;
use rustc_hash::{FxHashMap, FxHashSet};
use scraper::node::Element;
use scraper::{Html, Node};

use super::fields::{dates_in, is_chrome, looks_like_agency, metadata_pairs};

mod bound;

/// Elements that are never text: their whole subtree is dropped.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "nav",
    "aside", "footer", "form", "button", "select", "input", "textarea", "option", "head", "link",
    "meta", "title", "audio", "video", "map", "dialog", "menu",
];

/// Elements that start and end a line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "table",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "center",
    "hr",
    "figure",
    "figcaption",
    "address",
    "body",
    "html",
];

/// Containers that count as one paragraph of their parent when they hold no
/// block of their own (`<div>text<br>text</div>`).
const LEAF_BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "td",
    "th",
    "li",
    "dd",
    "blockquote",
    "pre",
    "center",
];

/// Inline elements whose text is paragraph text of their parent.
const INLINE_TAGS: &[&str] = &[
    "span", "font", "strong", "b", "em", "i", "u", "sub", "sup", "small", "big", "label", "o:p",
    "ins", "s", "strike", "code", "time", "abbr", "cite", "q", "mark",
];

/// Class or id words (after splitting on non-alphanumerics) of page furniture.
const CHROME_WORDS: &[&str] = &[
    "foot",
    "bottom",
    "position",
    "location",
    "weizhi",
    "dqwz",
    "mianbao",
    "related",
    "relate",
    "recommend",
    "comment",
    "comments",
    "xgwz",
    "xgxw",
    "print",
    "tool",
    "tools",
    "login",
    "search",
    "hide",
    "hidden",
    "advert",
    "ads",
    "gotop",
    "backtop",
    "fontsize",
    "zihao",
    "ewm",
    "pager",
    "pagination",
];

/// Fragments of class or id words of page furniture (`bdsharebuttonbox`,
/// `footer_warp`, `topnav`).
const CHROME_FRAGMENTS: &[&str] = &[
    "share",
    "breadcrumb",
    "crumb",
    "footer",
    "copyright",
    "banquan",
    "sidebar",
    "toolbar",
    "qrcode",
    "erweima",
    "menu",
];

/// Steps (element openings and closings, text nodes) of a title candidate's
/// subtree read for its lines.
const TITLE_NODES: usize = 4000;

/// `<meta>` names that carry the publication date.
const DATE_METAS: &[&str] = &[
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publish_time",
    "pubtime",
    "firstpublishedtime",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "datepublished",
    "releasedate",
    "dc.date.issued",
    "dc.date",
    "dc.date.created",
    "weibo:article:create_at",
];

/// `<meta>` names that carry the source (来源).
const SOURCE_METAS: &[&str] = &["contentsource", "source", "article:source", "og:source"];

/// `<meta>` names of an article's own title (without the site's name).
const TITLE_METAS: &[&str] = &["articletitle", "article:title"];

/// `<meta>` names of titles that usually carry the site's name too.
const PAGE_TITLE_METAS: &[&str] = &["og:title", "twitter:title", "title", "dc.title"];

/// Short lines that are a site footer wherever they appear.
const FOOTER_MARKS: &[&str] = &[
    "版权所有",
    "ICP备",
    "ICP证",
    "公网安备",
    "Copyright",
    "COPYRIGHT",
    "copyright",
    "©",
    "技术支持：",
    "网站标识码",
];

/// Labels of metadata lines kept from the page header.
const DATE_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "成文日期",
    "日期",
    "时间",
    "Release Time",
];

/// The charset a page declares in its first bytes (`<meta charset=gbk>`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`).
pub(super) fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + b"charset".len();
        from = j;
        while j < lower.len() && matches!(lower[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if lower.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < lower.len() && matches!(lower[j], b' ' | b'"' | b'\'') {
            j += 1;
        }
        let end = lower[j..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
            .map_or(lower.len(), |k| j + k);
        if let Some(enc) = Encoding::for_label(&lower[j..end]) {
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// True when decoded text is an HTML page rather than a plain-text notice
/// (a saved page with a `.txt` name).
pub(super) fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head: String = start
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// The page as a plain-text notice: title, metadata lines, blank line, body.
pub(super) fn page_text(src: &str) -> String {
    // Bounded first: html5ever's work per tag grows with the nesting depth
    // and the formatting elements left open (see `bound`).
    let doc = Html::parse_document(&bound::bound(src));
    let page = Page::read(&doc);
    page.synthesize()
}

/// Per-element measures, in units of text weight (see [`weight`]).
#[derive(Clone, Copy, Default)]
struct Stat {
    /// Text outside links in the whole subtree.
    text: usize,
    /// Text inside links in the whole subtree.
    link: usize,
    /// Text of the element's own paragraphs: direct text, inline children
    /// and children that are blocks without blocks inside.
    paragraphs: usize,
    /// Has a block element somewhere below.
    has_block: bool,
    /// Inside a link (`<a>`), or a link itself.
    in_link: bool,
    /// Order of the element's opening and closing in the document.
    open: usize,
    close: usize,
}

struct Page<'a> {
    doc: &'a Html,
    chrome: FxHashSet<NodeId>,
    stats: FxHashMap<NodeId, Stat>,
    metas: Vec<(String, String)>,
    page_title: String,
}

impl<'a> Page<'a> {
    fn read(doc: &'a Html) -> Page<'a> {
        let mut metas = Vec::new();
        let mut page_title = String::new();
        let mut chrome = FxHashSet::default();
        let mut named = Vec::new();
        walk_elements(doc.tree.root(), |node, el, in_article| {
            match el.name() {
                "meta" => {
                    let key = el
                        .attr("name")
                        .or_else(|| el.attr("property"))
                        .or_else(|| el.attr("itemprop"));
                    if let (Some(k), Some(v)) = (key, el.attr("content")) {
                        metas.push((k.trim().to_ascii_lowercase(), collapse(v)));
                    }
                }
                "title" if page_title.is_empty() => {
                    page_title = collapse(&node_text(node));
                }
                _ => {}
            }
            match chrome_kind(el, in_article) {
                Some(Chrome::Always) => {
                    chrome.insert(node.id());
                }
                Some(Chrome::Named) => named.push(node.id()),
                None => {}
            }
        });
        let mut page = Page {
            doc,
            chrome,
            stats: FxHashMap::default(),
            metas,
            page_title,
        };
        // A class name is weaker evidence than a tag: a wrapper called
        // `has-sidebar` that holds most of the page's text is not furniture.
        page.measure();
        let total = page
            .doc
            .tree
            .root()
            .children()
            .filter_map(|c| page.stats.get(&c.id()))
            .map(|s| s.text)
            .sum::<usize>();
        for id in named {
            let text = page.stats.get(&id).map_or(0, |s| s.text);
            if text * 5 < total * 2 || text < 300 {
                page.chrome.insert(id);
            }
        }
        page.stats.clear();
        page.measure();
        page
    }

    fn meta(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.metas
                .iter()
                .find(|(k, v)| k == n && !v.is_empty())
                .map(|(_, v)| v.as_str())
        })
    }

    /// One pass over the document computing [`Stat`] for every element that
    /// is not furniture.
    fn measure(&mut self) {
        struct Frame {
            id: NodeId,
            tag: String,
            stat: Stat,
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut links = 0usize;
        let mut skip: Option<NodeId> = None;
        for (step, edge) in self.doc.tree.root().traverse().enumerate() {
            match edge {
                Edge::Open(n) => {
                    if skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Element(el) => {
                            if self.chrome.contains(&n.id()) {
                                skip = Some(n.id());
                                continue;
                            }
                            if el.name() == "a" {
                                links += 1;
                            }
                            stack.push(Frame {
                                id: n.id(),
                                tag: el.name().to_string(),
                                stat: Stat {
                                    open: step,
                                    in_link: links > 0,
                                    ..Stat::default()
                                },
                            });
                        }
                        Node::Text(t) => {
                            if let Some(top) = stack.last_mut() {
                                let w = weight(t);
                                if links > 0 {
                                    top.stat.link += w;
                                } else {
                                    top.stat.text += w;
                                    top.stat.paragraphs += w;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if let Some(s) = skip {
                        if s == n.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if !n.value().is_element() {
                        continue;
                    }
                    let Some(mut f) = stack.pop() else {
                        continue;
                    };
                    f.stat.close = step;
                    if f.tag == "a" {
                        links = links.saturating_sub(1);
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.stat.text += f.stat.text;
                        parent.stat.link += f.stat.link;
                        parent.stat.has_block |=
                            f.stat.has_block || BLOCK_TAGS.contains(&f.tag.as_str());
                        let paragraph = INLINE_TAGS.contains(&f.tag.as_str())
                            || (LEAF_BLOCK_TAGS.contains(&f.tag.as_str()) && !f.stat.has_block);
                        if paragraph {
                            parent.stat.paragraphs += f.stat.text;
                        }
                    }
                    self.stats.insert(f.id, f.stat);
                }
            }
        }
    }

    fn node(&self, id: NodeId) -> Option<NodeRef<'a, Node>> {
        self.doc.tree.get(id)
    }

    /// The element holding the article body: the most paragraph text outside
    /// links, widened to its parent while the parent's own paragraphs are a
    /// real part of the text (an intro before a list, a closing paragraph).
    fn body(&self) -> Option<NodeId> {
        let mut best: Option<(NodeId, usize, usize)> = None;
        for (id, s) in &self.stats {
            let better = match best {
                None => true,
                // Ties go to the outer element (it closes later).
                Some((_, p, close)) => s.paragraphs > p || (s.paragraphs == p && s.close > close),
            };
            if better {
                best = Some((*id, s.paragraphs, s.close));
            }
        }
        let (mut id, score, _) = best.filter(|b| b.1 > 0)?;
        for _ in 0..3 {
            let Some(parent) = self
                .node(id)
                .and_then(|n| n.parent())
                .filter(|p| self.stats.contains_key(&p.id()))
            else {
                break;
            };
            let own = self.stats.get(&parent.id()).map_or(0, |s| s.paragraphs);
            if own * 4 >= score && own >= 60 {
                id = parent.id();
            } else {
                break;
            }
        }
        Some(id)
    }

    /// The article title and the element it came from.
    fn title(&self, body: Option<NodeId>) -> (Option<String>, Option<NodeId>) {
        let site = self.meta(&["sitename", "og:site_name", "site_name"]);
        let page_titles: Vec<String> = std::iter::once(self.page_title.as_str())
            .chain(
                PAGE_TITLE_METAS
                    .iter()
                    .filter_map(|m| self.meta(std::slice::from_ref(m))),
            )
            .map(compact)
            .filter(|t| !t.is_empty())
            .collect();
        let body_span = body
            .and_then(|b| self.stats.get(&b))
            .map(|s| (s.open, s.close));
        let mut best: Option<(i32, usize, String, NodeId)> = None;
        // In document order, so that equal candidates resolve the same way
        // every time.
        let mut in_order: Vec<(&NodeId, &Stat)> = self.stats.iter().collect();
        in_order.sort_by_key(|(_, s)| s.open);
        for (id, s) in in_order {
            let Some(node) = self.node(*id) else {
                continue;
            };
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let tag = el.name();
            let heading_rank: i32 = match tag {
                "h1" => 4,
                "h2" => 3,
                "h3" => 2,
                _ => 0,
            };
            let titled = names(el).iter().any(|w| {
                (w.contains("title") && !w.contains("subtitle"))
                    || matches!(w.as_str(), "tit" | "bt" | "biaoti" | "headline")
            });
            if heading_rank == 0 && !titled {
                continue;
            }
            if s.link > s.text || s.in_link {
                continue;
            }
            // A title is a few short lines: reading more of a candidate's
            // subtree than TITLE_NODES nodes cannot change the verdict on a
            // real page, and nested candidates would make it quadratic.
            let lines: Vec<String> = lines_with_steps(node, &self.chrome, TITLE_NODES)
                .into_iter()
                .map(|(_, l)| l)
                .collect();
            let text = if heading_rank > 0 && lines.len() <= 3 {
                join_title(&lines)
            } else {
                lines.into_iter().next().unwrap_or_default()
            };
            let n = text.chars().count();
            if !(4..=150).contains(&n)
                || is_chrome(&text)
                || metadata_pairs(&text).is_some()
                || site.is_some_and(|x| compact(x) == compact(&text))
            {
                continue;
            }
            let mut score = heading_rank.max(if titled { 3 } else { 0 })
                + i32::from(titled && heading_rank > 0);
            let c = compact(&text);
            if page_titles
                .iter()
                .any(|t| t.contains(&c) || (c.contains(t.as_str()) && t.chars().count() >= 4))
            {
                score += 4;
            }
            // Before or at the start of the body is where a title sits; a
            // heading after the body belongs to a sidebar.
            let near = match body_span {
                Some((_, close)) if s.open > close => {
                    score -= 4;
                    0
                }
                Some((open, _)) if s.open <= open => s.open,
                Some((open, _)) => open.saturating_sub(s.open - open),
                None => 0,
            };
            let better = match &best {
                None => true,
                Some((bs, bn, _, _)) => score > *bs || (score == *bs && near > *bn),
            };
            if better {
                best = Some((score, near, text, *id));
            }
        }
        // Some sites put the title's own markup, escaped, into the meta tag.
        let meta_title = self.meta(TITLE_METAS).map(|t| {
            if is_markup(t) {
                join_title(&fragment_lines(t))
            } else {
                t.to_string()
            }
        });
        if let Some(t) = meta_title.filter(|t| t.chars().count() >= 4) {
            let from = best
                .as_ref()
                .filter(|b| compact(&b.2) == compact(&t))
                .map(|b| b.3);
            return (Some(t), from);
        }
        if let Some((score, _, text, id)) = best
            && score >= 2
        {
            return (Some(text), Some(id));
        }
        // The page's <title> without the site's name: its longest part.
        let part = self
            .page_title
            .split(['_', '|', '－', '–'])
            .flat_map(|p| p.split("——"))
            .flat_map(|p| p.split(" - "))
            .map(str::trim)
            .filter(|p| site.is_none_or(|s| compact(s) != compact(p)))
            .max_by_key(|p| p.chars().count())
            .filter(|p| p.chars().count() >= 4)
            .map(str::to_string);
        (part, None)
    }

    fn synthesize(&self) -> String {
        let body = self.body();
        let (title, title_el) = self.title(body);
        let mut out: Vec<String> = Vec::new();
        if let Some(t) = &title {
            out.push(t.clone());
        }

        // Metadata between the title and the body (or just above the body).
        let all = match self.doc.tree.root().first_child() {
            Some(_) => lines_with_steps(self.doc.tree.root(), &self.chrome, usize::MAX),
            None => Vec::new(),
        };
        let zone_start = title_el
            .and_then(|t| self.stats.get(&t))
            .map_or(0, |s| s.close);
        let zone_end = body
            .and_then(|b| self.stats.get(&b))
            .map_or(usize::MAX, |s| s.open);
        let zone: Vec<&str> = all
            .iter()
            .filter(|(step, _)| *step > zone_start && *step < zone_end)
            .map(|(_, l)| l.as_str())
            .collect();
        let zone = &zone[zone.len().saturating_sub(30)..];
        let meta_lines = header_metadata(zone);
        let has = |labels: &[&str]| {
            meta_lines.iter().any(|l| {
                metadata_pairs(l)
                    .is_some_and(|p| p.iter().any(|(k, v)| labels.contains(k) && !v.is_empty()))
            })
        };
        let has_date = meta_lines.iter().any(|l| {
            metadata_pairs(l).is_some_and(|p| {
                p.iter()
                    .any(|(k, v)| DATE_LABELS.contains(k) && !dates_in(v).is_empty())
            })
        });
        let has_source = has(&["来源", "信息来源", "文章来源"]);
        out.extend(meta_lines);
        if !has_date
            && let Some((d, _, _)) = self
                .meta(DATE_METAS)
                .and_then(|v| dates_in(v).into_iter().next())
        {
            out.push(format!("发布时间：{d}"));
        }
        if !has_source && let Some(s) = self.meta(SOURCE_METAS).filter(|s| !s.contains("://")) {
            out.push(format!("来源：{s}"));
        }
        out.push(String::new());

        let body_lines = match body.and_then(|b| self.node(b)) {
            Some(n) => lines_of(n, &self.chrome),
            None => all
                .iter()
                .filter(|(step, _)| *step > zone_start)
                .map(|(_, l)| l.clone())
                .collect(),
        };
        let title_c = title.as_deref().map(compact);
        for (i, l) in body_lines.into_iter().enumerate() {
            if i < 3 && title_c.as_deref() == Some(compact(&l).as_str()) {
                continue;
            }
            if is_footer(&l) {
                continue;
            }
            out.push(l);
        }
        let mut s = out.join("\n");
        s.push('\n');
        s
    }
}

/// A title laid out over several lines (a main title and its subtitle, or
/// `中共…党组` over `关于…的通报`) as one line.
fn join_title(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let glued = looks_like_agency(&out) && l.starts_with("关于");
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// Metadata lines of the page header, one label line each. A line that
/// opens with a date (`2023-09-27 10:00 来源：新华社`) gives a 发布时间 line.
fn header_metadata(zone: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < zone.len() {
        let mut line = zone[i].to_string();
        i += 1;
        // A label whose value is on the next line: 发布时间：/2023-09-27.
        if (line.ends_with('：') || line.ends_with(':')) && i < zone.len() {
            line.push_str(zone[i]);
            i += 1;
        }
        if line.chars().count() > 200 {
            continue;
        }
        if metadata_pairs(&line).is_some() {
            out.push(line);
            continue;
        }
        // A label further into the line, after a date.
        let at = line
            .char_indices()
            .map(|(k, _)| k)
            .find(|&k| k > 0 && metadata_pairs(&line[k..]).is_some());
        let (head, tail) = match at {
            Some(k) => (line[..k].trim(), Some(&line[k..])),
            None => (line.as_str(), None),
        };
        let dated = dates_in(head)
            .first()
            .is_some_and(|(_, start, _)| *start == 0)
            && head.chars().count() <= 40;
        if dated {
            out.push(format!("发布时间：{head}"));
        }
        if let Some(t) = tail.filter(|_| dated || head.is_empty()) {
            out.push(t.to_string());
        }
    }
    out
}

fn is_footer(line: &str) -> bool {
    line.chars().count() <= 100 && FOOTER_MARKS.iter().any(|m| line.contains(m))
}

fn element_name<'a>(n: NodeRef<'a, Node>) -> Option<&'a str> {
    n.value().as_element().map(Element::name)
}

/// The lowercased words of an element's class and id.
fn names(el: &Element) -> Vec<String> {
    let mut words = Vec::new();
    for v in el.attr("class").into_iter().chain(el.attr("id")) {
        for w in v.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !w.is_empty() {
                words.push(w.to_ascii_lowercase());
            }
        }
    }
    words
}

/// How an element was found to be page furniture.
enum Chrome {
    /// By tag, by being hidden or by ARIA role.
    Always,
    /// By a class or id naming a widget (checked against the text it holds).
    Named,
}

/// Page furniture: by tag, by being hidden, by ARIA role, or by a class/id
/// naming a widget.
fn chrome_kind(el: &Element, in_article: bool) -> Option<Chrome> {
    let tag = el.name();
    if matches!(tag, "html" | "body" | "main" | "article") {
        return None;
    }
    if is_chrome_element(el, in_article) {
        return Some(Chrome::Always);
    }
    names(el)
        .iter()
        .any(|w| {
            CHROME_WORDS.contains(&w.as_str())
                || CHROME_FRAGMENTS.iter().any(|f| w.contains(f))
                || w.starts_with("nav")
                || w.ends_with("nav")
        })
        .then_some(Chrome::Named)
}

/// Page furniture whatever it holds: dropped tags, hidden elements, ARIA
/// navigation roles. `in_article`: the element is inside an `<article>` or
/// `<main>`.
fn is_chrome_element(el: &Element, in_article: bool) -> bool {
    let tag = el.name();
    if DROPPED_TAGS.contains(&tag) {
        return true;
    }
    // A page header is furniture; an article's own header holds its title.
    if tag == "header" && !in_article {
        return true;
    }
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = el.attr("role")
        && matches!(
            role.trim(),
            "navigation" | "banner" | "contentinfo" | "complementary" | "search"
        )
    {
        return true;
    }
    false
}

/// Call `f` on every element under `root` in document order, with whether
/// it is inside an `<article>` or `<main>`: one pass carrying that state down,
/// not a walk up the ancestors per element (50,000 nested elements made that
/// quadratic).
fn walk_elements<'a>(
    root: NodeRef<'a, Node>,
    mut f: impl FnMut(NodeRef<'a, Node>, &'a Element, bool),
) {
    let mut articles = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) => {
                if let Some(el) = n.value().as_element() {
                    f(n, el, articles > 0);
                    if matches!(el.name(), "article" | "main") {
                        articles += 1;
                    }
                }
            }
            Edge::Close(n) => {
                if matches!(element_name(n), Some("article" | "main")) {
                    articles = articles.saturating_sub(1);
                }
            }
        }
    }
}

/// How much text `s` holds: a CJK character counts three, any other visible
/// character one (a Chinese character carries about a word).
fn weight(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c.is_whitespace() {
                0
            } else if is_wide(c) {
                3
            } else {
                1
            }
        })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}' | '\u{20000}'..='\u{2fa1f}')
}

/// `s` with runs of whitespace made one space and trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without any whitespace, for comparing titles.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn node_text(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// Builds lines of text the way a browser lays them out: blocks and `<br>`
/// break lines, source whitespace collapses, and a line break in the source
/// between two Chinese characters is no space at all.
#[derive(Default)]
struct LineBuilder {
    lines: Vec<(usize, String)>,
    cur: String,
    cur_step: usize,
    /// Whitespace seen since the last character: 0 none, 1 spaces, 2 a line break.
    pending: u8,
}

impl LineBuilder {
    fn text(&mut self, t: &str, step: usize) {
        for c in t.chars() {
            match c {
                ' ' | '\t' | '\r' | '\u{c}' => self.pending = self.pending.max(1),
                '\n' => self.pending = 2,
                _ => {
                    let c = if c == '\u{a0}' { ' ' } else { c };
                    if self.cur.is_empty() {
                        self.cur_step = step;
                    } else if self.pending > 0 {
                        let joined = self.pending == 2
                            && self.cur.chars().last().is_some_and(is_wide)
                            && is_wide(c);
                        if !joined {
                            self.cur.push(' ');
                        }
                    }
                    self.pending = 0;
                    self.cur.push(c);
                }
            }
        }
    }

    /// Whitespace between table cells.
    fn space(&mut self) {
        self.pending = self.pending.max(1);
    }

    fn newline(&mut self) {
        let line = collapse(&self.cur);
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if !line.is_empty() {
            self.lines.push((self.cur_step, line.to_string()));
        }
        self.cur.clear();
        self.pending = 0;
    }
}

/// The lines of text under `root`, furniture left out, each with the
/// document step at which it starts.
fn lines_with_steps(
    root: NodeRef<'_, Node>,
    chrome: &FxHashSet<NodeId>,
    max_steps: usize,
) -> Vec<(usize, String)> {
    let mut b = LineBuilder::default();
    let mut skip: Option<NodeId> = None;
    for (step, edge) in root.traverse().enumerate().take(max_steps) {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(el) => {
                        if chrome.contains(&n.id()) {
                            skip = Some(n.id());
                            continue;
                        }
                        let tag = el.name();
                        if tag == "br" || BLOCK_TAGS.contains(&tag) {
                            b.newline();
                        }
                    }
                    Node::Text(t) => b.text(t, step),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if let Some(s) = skip {
                    if s == n.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Some(tag) = element_name(n) {
                    if BLOCK_TAGS.contains(&tag) {
                        b.newline();
                    } else if matches!(tag, "td" | "th") {
                        b.space();
                    }
                }
            }
        }
    }
    b.newline();
    b.lines
}

fn lines_of(root: NodeRef<'_, Node>, chrome: &FxHashSet<NodeId>) -> Vec<String> {
    lines_with_steps(root, chrome, usize::MAX)
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}

/// The paragraphs of an HTML fragment (the `content` of a crawler record),
/// furniture left out.
pub(super) fn fragment_lines(src: &str) -> Vec<String> {
    let doc = Html::parse_fragment(&bound::bound(src));
    let mut chrome = FxHashSet::default();
    walk_elements(doc.tree.root(), |n, el, in_article| {
        if chrome_kind(el, in_article).is_some() {
            chrome.insert(n.id());
        }
    });
    lines_of(doc.tree.root(), &chrome)
        .into_iter()
        .filter(|l| !is_footer(l))
        .collect()
}

/// A plain text whose lines carry a page's markup as a crawler kept it
/// (`<p>各市、县人民政府：</p><p>现将…</p>`, the text before and after
/// plain): those lines read as the paragraphs they mark up. `None` when no
/// line is markup.
pub(super) fn markup_lines_read(text: &str) -> Option<String> {
    // (the cheap test first: a line of text does not open with a tag)
    let markup = |l: &str| {
        let t = l.trim();
        t.starts_with('<') && {
            let t = t.to_ascii_lowercase();
            [
                "<p",
                "</p>",
                "<br",
                "</section>",
                "</div>",
                "</span>",
                "</td>",
            ]
            .iter()
            .map(|tag| t.matches(tag).count())
            .sum::<usize>()
                >= 2
        }
    };
    if !text.lines().any(markup) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if markup(line) {
            for l in fragment_lines(line) {
                out.push_str(&l);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

/// True when a text field holds markup rather than plain text.
pub(super) fn is_markup(s: &str) -> bool {
    [
        "<p", "<P", "<br", "<BR", "<div", "<DIV", "</", "<span", "<table",
    ]
    .iter()
    .any(|t| s.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(page: &str) -> Vec<String> {
        page_text(page).lines().map(str::to_string).collect()
    }

    #[test]
    fn declared_charsets() {
        let gbk = Encoding::for_label(b"gbk");
        assert_eq!(declared_charset(b"<meta charset=\"GB2312\">"), gbk);
        assert_eq!(
            declared_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gbk\">"
            ),
            gbk
        );
        assert_eq!(
            declared_charset(b"<meta charset='utf-8'>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(
            declared_charset(b"<p>charset</p><meta charset=x-unknown>"),
            None
        );
    }

    #[test]
    fn pages_and_text_are_told_apart() {
        assert!(looks_like_html("\u{feff}\n<!DOCTYPE html>\n<html>"));
        assert!(looks_like_html("<HTML><head>"));
        assert!(!looks_like_html("关于<html>标签的通知"));
    }

    #[test]
    fn title_from_the_page_title_and_date_from_meta() {
        let page = r#"<html><head><title>某某区关于开展消防安全检查的通知 - 某某区人民政府</title>
            <meta name="og:site_name" content="某某区人民政府">
            <meta property="article:published_time" content="2021-04-02T08:00:00+08:00">
            <meta name="source" content="某某区应急管理局"></head>
            <body><div class="nav"><a href="/">首页</a><a href="/zw">政务公开</a></div>
            <div id="zoom">各街道：<br>现就开展消防安全检查有关事项通知如下。<br>一、检查时间<br>4月全月。</div></body></html>"#;
        assert_eq!(
            lines(page),
            [
                "某某区关于开展消防安全检查的通知",
                "发布时间：2021-04-02",
                "来源：某某区应急管理局",
                "",
                "各街道：",
                "现就开展消防安全检查有关事项通知如下。",
                "一、检查时间",
                "4月全月。",
            ]
        );
    }

    #[test]
    fn header_lines_that_open_with_a_date() {
        let page = r#"<html><body><h1>关于做好春季森林防火工作的通知</h1>
            <div class="info">2022-03-01 10:00 来源：某某县林业局</div>
            <div class="article"><p>各乡镇：春季是森林火灾易发期，各地要落实防火责任。</p><p>特此通知。</p></div></body></html>"#;
        let l = lines(page);
        assert_eq!(l[1], "发布时间：2022-03-01 10:00");
        assert_eq!(l[2], "来源：某某县林业局");
    }

    #[test]
    fn a_source_line_break_between_chinese_characters_is_no_space() {
        let page = "<html><body><h1>标题一二三四</h1><div class=\"content\"><p>全面从严\n      治党永远在路上，\n      this is English text.</p></div></body></html>";
        let l = lines(page);
        assert_eq!(
            l.last().map(String::as_str),
            Some("全面从严治党永远在路上， this is English text.")
        );
    }

    #[test]
    fn a_wrapper_named_like_furniture_that_holds_the_text_is_kept() {
        let para =
            "按照市委统一部署，市委第二巡察组对市审计局党组开展了常规巡察，现将整改情况通报如下。";
        let page = format!(
            "<html><body><div class=\"layout has-sidebar\"><h1>某某市审计局党组关于巡察整改情况的通报</h1><div class=\"content\"><p>{para}</p><p>{para}</p><p>{para}</p></div></div><div class=\"sidebar\"><p>热点新闻：某某新闻一则</p></div></body></html>"
        );
        let l = lines(&page);
        assert_eq!(l[0], "某某市审计局党组关于巡察整改情况的通报");
        assert_eq!(l.iter().filter(|x| *x == para).count(), 3, "{l:?}");
        assert!(!l.iter().any(|x| x.contains("热点新闻")), "{l:?}");
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        let deep = format!("{}正文内容{}", "<div>".repeat(20_000), "</div>".repeat(3));
        let _ = page_text(&deep);
        let _ = page_text("<<<>>>&&&<p<p<p></title></meta>");
        let _ = page_text("");
        let _ = fragment_lines("<td>孤立的单元格</td></table></html>");
    }
}
