//! A linear pre-pass that bounds the work html5ever does on one page.
//!
//! html5ever follows the HTML standard, and several of the standard's
//! algorithms are linear in the depth of the tree or in the length of the
//! list of active formatting elements, per tag: "has an element in scope"
//! walks the stack of open elements, a new formatting element is compared with
//! every entry of the list (the "Noah's Ark" clause, attribute by attribute),
//! and every paragraph reopens ("reconstructs") all formatting elements left
//! unclosed before it. The tokenizer checks each attribute of a tag against
//! all earlier ones. A page of 100,000 nested `<div>`s, of 30,000 paragraphs
//! each opening an unclosed `<b id=…>`, or one tag with 100,000 attributes
//! therefore takes minutes instead of milliseconds.
//!
//! Browsers bound the same things (Blink stops nesting at depth 512). This
//! pass does it before the parser sees the page: it reads the tags with a
//! small tokenizer, keeps an approximate model of the open elements (with the
//! standard's common implied end tags: `<p>` before a block, `<li>` before
//! `<li>`, table cells …), and drops start tags that would nest deeper than
//! [`MAX_DEPTH`], formatting start tags beyond [`MAX_FORMATTING`] left open,
//! and attributes beyond [`MAX_ATTRIBUTES`] of one tag — with the end tags
//! that match the dropped start tags. Text is never dropped. A page within
//! the bounds (every real page seen so far) is passed through unchanged.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

/// Deepest nesting of elements kept (Blink's limit is 512; real notice pages
/// stay below 40).
pub(crate) const MAX_DEPTH: usize = 256;
/// Formatting elements (`<b>`, `<font>` …) left open at the same time: the
/// parser reopens every one of them in each later paragraph, so this is also
/// how many elements one `<p>` can turn into. Dropping one loses no text.
pub(crate) const MAX_FORMATTING: usize = 4;
/// Attributes kept on one tag.
pub(crate) const MAX_ATTRIBUTES: usize = 64;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Start tags merged into an element that already exists.
const MERGED: &[&str] = &["html", "head", "body", "frameset"];

/// Formatting elements: left open, the parser reopens them in every later
/// paragraph.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that end their formatting elements when they close (markers).
const MARKERS: &[&str] = &[
    "applet", "caption", "marquee", "object", "td", "th", "template",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "listing",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dd",
    "dt",
    "xmp",
    "plaintext",
    "table",
];

/// Elements that bound "has an element in scope".
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg",
    "math",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// The page with nesting, open formatting elements and attributes bounded;
/// borrowed unchanged when it is within the bounds.
pub(crate) fn bound(src: &str) -> Cow<'_, str> {
    let mut b = Bounder::new(src);
    b.run();
    match b.out {
        None => Cow::Borrowed(src),
        Some(mut out) => {
            out.push_str(&src[b.copied..]);
            Cow::Owned(out)
        }
    }
}

/// One open element of the model.
struct Open {
    name: String,
    /// Formatting elements open, by kind, when this element opened (a
    /// marker ends those opened inside it).
    formatting_before: [u8; FORMATTING.len()],
    /// Index of the nearest element at or below this one (in the stack) that
    /// bounds each kind of scope, so that "is a `p` in button scope" is one
    /// comparison instead of a walk down the stack.
    floors: Floors,
}

/// Stack indices of the nearest scope boundaries (see [`Open::floors`]).
#[derive(Clone, Copy, Default)]
struct Floors {
    /// "In scope": [`SCOPE`].
    scope: Option<usize>,
    /// "In button scope": [`SCOPE`] and `button`.
    button: Option<usize>,
    /// Where an open `li`/`dd`/`dt` stops being closed by a new one.
    list: Option<usize>,
    /// "In table scope": `table`, `html`, `template`.
    table: Option<usize>,
}

impl Floors {
    fn with(self, name: &str, at: usize) -> Floors {
        let scope = SCOPE.contains(&name);
        let pick = |hit: bool, old: Option<usize>| if hit { Some(at) } else { old };
        Floors {
            scope: pick(scope, self.scope),
            button: pick(scope || name == "button", self.button),
            list: pick(
                scope || matches!(name, "ul" | "ol" | "dl" | "menu" | "dir" | "button"),
                self.list,
            ),
            table: pick(matches!(name, "table" | "html" | "template"), self.table),
        }
    }
}

struct Bounder<'a> {
    src: &'a str,
    bytes: &'a [u8],
    /// The output, once something has been dropped.
    out: Option<String>,
    /// `src[..copied]` is accounted for in `out`.
    copied: usize,
    stack: Vec<Open>,
    /// Stack indices of the open elements, by name.
    open_at: FxHashMap<String, Vec<usize>>,
    /// Formatting elements opened and not yet ended, by kind (the index in
    /// [`FORMATTING`]).
    formatting: [u8; FORMATTING.len()],
    /// Start tags dropped, by name, whose end tags are still to come.
    dropped: FxHashMap<String, usize>,
    /// Open `svg`/`math` elements: inside them `<x/>` is empty.
    foreign: usize,
}

/// A tag as read: its name (lowercased), where it ends, whether it ends in
/// `/>`, and where the attribute beyond [`MAX_ATTRIBUTES`] starts, if any.
struct Tag {
    name: String,
    end: usize,
    self_closing: bool,
    cut_at: Option<usize>,
}

/// Which floor bounds a search for an open element.
#[derive(Clone, Copy)]
enum Within {
    Scope,
    Button,
    List,
    Table,
}

impl<'a> Bounder<'a> {
    fn new(src: &'a str) -> Bounder<'a> {
        Bounder {
            src,
            bytes: src.as_bytes(),
            out: None,
            copied: 0,
            stack: Vec::new(),
            open_at: FxHashMap::default(),
            formatting: [0; FORMATTING.len()],
            dropped: FxHashMap::default(),
            foreign: 0,
        }
    }

    /// Leave `src[from..to]` out of the output.
    fn drop_span(&mut self, from: usize, to: usize) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.src.len()));
        out.push_str(&self.src[self.copied..from]);
        self.copied = to;
    }

    /// Stack index of the nearest open element named one of `names` that is
    /// not below the floor of kind `within`.
    fn nearest(&self, names: &[&str], within: Within) -> Option<usize> {
        let at = names
            .iter()
            .filter_map(|n| self.open_at.get(*n).and_then(|v| v.last()))
            .max()
            .copied()?;
        let floors = self.stack.last().map(|o| o.floors).unwrap_or_default();
        let floor = match within {
            Within::Scope => floors.scope,
            Within::Button => floors.button,
            Within::List => floors.list,
            Within::Table => floors.table,
        };
        // A boundary that is itself the element looked for is in scope.
        (floor.is_none_or(|f| at >= f)).then_some(at)
    }

    fn push(&mut self, name: String) {
        let at = self.stack.len();
        let floors = self
            .stack
            .last()
            .map(|o| o.floors)
            .unwrap_or_default()
            .with(&name, at);
        self.open_at.entry(name.clone()).or_default().push(at);
        self.stack.push(Open {
            name,
            formatting_before: self.formatting,
            floors,
        });
    }

    fn run(&mut self) {
        let n = self.bytes.len();
        let mut i = 0;
        while i < n {
            let Some(k) = self.bytes[i..].iter().position(|&b| b == b'<') else {
                break;
            };
            let lt = i + k;
            let next = self.bytes.get(lt + 1).copied();
            i = match next {
                Some(b'!') => self.markup_declaration(lt),
                Some(b'?') => self.to_gt(lt + 2),
                Some(b'/') => match self.bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => self.end_tag(lt),
                    Some(b'>') => lt + 3,
                    Some(_) => self.to_gt(lt + 2),
                    None => n,
                },
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(lt),
                _ => lt + 1,
            };
        }
    }

    /// Just past the next `>` at or after `from` (a bogus comment, a
    /// doctype), or the end.
    fn to_gt(&self, from: usize) -> usize {
        let from = from.min(self.bytes.len());
        self.bytes[from..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(self.bytes.len(), |k| from + k + 1)
    }

    /// `<!--…-->`, `<!DOCTYPE …>`, `<![CDATA[…]]>` and bogus comments.
    fn markup_declaration(&self, lt: usize) -> usize {
        let rest = &self.bytes[lt..];
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are empty comments.
            let body = lt + 4;
            for short in [&b">"[..], b"->"] {
                if self.bytes[body..].starts_with(short) {
                    return body + short.len();
                }
            }
            return find(&self.bytes[body..], b"-->").map_or(self.bytes.len(), |k| body + k + 3);
        }
        if self.foreign > 0 && rest.starts_with(b"<![CDATA[") {
            let body = lt + 9;
            return find(&self.bytes[body..], b"]]>").map_or(self.bytes.len(), |k| body + k + 3);
        }
        self.to_gt(lt + 2)
    }

    /// Read the tag at `lt` whose name starts at `name_at`.
    fn read_tag(&self, name_at: usize) -> Tag {
        let b = self.bytes;
        let n = b.len();
        let mut j = name_at;
        while j < n && !matches!(b[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
            j += 1;
        }
        let name = self.src[name_at..j].to_ascii_lowercase();
        let mut attrs = 0usize;
        let mut cut_at = None;
        let mut self_closing = false;
        loop {
            while j < n && matches!(b[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                j += 1;
            }
            if j >= n {
                return Tag {
                    name,
                    end: n,
                    self_closing,
                    cut_at,
                };
            }
            match b[j] {
                b'>' => {
                    return Tag {
                        name,
                        end: j + 1,
                        self_closing,
                        cut_at,
                    };
                }
                b'/' => {
                    j += 1;
                    self_closing = b.get(j) == Some(&b'>');
                    continue;
                }
                _ => {}
            }
            self_closing = false;
            let attr_at = j;
            // The name: a leading `=` belongs to it.
            j += 1;
            while j < n
                && !matches!(
                    b[j],
                    b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
                )
            {
                j += 1;
            }
            let mut k = j;
            while k < n && matches!(b[k], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                k += 1;
            }
            if k < n && b[k] == b'=' {
                k += 1;
                while k < n && matches!(b[k], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                    k += 1;
                }
                match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        k = b[k + 1..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(n, |p| k + 1 + p + 1);
                    }
                    _ => {
                        while k < n
                            && !matches!(b[k], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                        {
                            k += 1;
                        }
                    }
                }
                j = k;
            }
            attrs += 1;
            if attrs == MAX_ATTRIBUTES + 1 {
                cut_at = Some(attr_at);
            }
        }
    }

    fn start_tag(&mut self, lt: usize) -> usize {
        let tag = self.read_tag(lt + 1);
        let name = tag.name.as_str();
        if RAW_TEXT.contains(&name) || name == "plaintext" {
            // Attributes beyond the bound are dropped even here; nesting is
            // not affected (the content is text).
            if let Some(cut) = tag.cut_at {
                self.cut_attributes(cut, tag.end);
            }
            if name == "plaintext" {
                return self.bytes.len();
            }
            return self.raw_text_end(name, tag.end);
        }
        if MERGED.contains(&name) || VOID.contains(&name) {
            if let Some(cut) = tag.cut_at {
                self.cut_attributes(cut, tag.end);
            }
            return tag.end;
        }
        if self.foreign > 0 && tag.self_closing {
            if let Some(cut) = tag.cut_at {
                self.cut_attributes(cut, tag.end);
            }
            return tag.end;
        }
        self.implied_end_tags(name);
        let formatting = FORMATTING.iter().position(|&f| f == name);
        let open_formatting: usize = self.formatting.iter().map(|&c| usize::from(c)).sum();
        if self.stack.len() >= MAX_DEPTH
            || (formatting.is_some() && open_formatting >= MAX_FORMATTING)
        {
            *self.dropped.entry(tag.name.clone()).or_insert(0) += 1;
            self.drop_span(lt, tag.end);
            return tag.end;
        }
        if let Some(cut) = tag.cut_at {
            self.cut_attributes(cut, tag.end);
        }
        if let Some(f) = formatting {
            self.formatting[f] = self.formatting[f].saturating_add(1);
        }
        if matches!(name, "svg" | "math") {
            self.foreign += 1;
        }
        self.push(tag.name);
        tag.end
    }

    /// Drop the attributes from `cut` to the end of the tag, keeping its `>`.
    fn cut_attributes(&mut self, cut: usize, end: usize) {
        let close = if self.bytes.get(end.wrapping_sub(1)) == Some(&b'>') {
            end - 1
        } else {
            end
        };
        self.drop_span(cut, close);
    }

    /// Just past the end tag of the raw-text element `name` whose content
    /// starts at `from`, or the end of the page.
    fn raw_text_end(&self, name: &str, from: usize) -> usize {
        let b = self.bytes;
        let mut i = from;
        while let Some(k) = find(&b[i..], b"</") {
            let at = i + k + 2;
            let after = at + name.len();
            if after <= b.len()
                && b[at..after].eq_ignore_ascii_case(name.as_bytes())
                && b.get(after).is_none_or(|c| {
                    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
                })
            {
                return self.to_gt(after);
            }
            i = at;
        }
        b.len()
    }

    /// The end tags the parser implies before the start tag `name`.
    fn implied_end_tags(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close(&["p"], Within::Button);
        }
        // A heading directly inside a heading closes it.
        if HEADINGS.contains(&name)
            && self
                .stack
                .last()
                .is_some_and(|o| HEADINGS.contains(&o.name.as_str()))
        {
            self.pop_to(self.stack.len() - 1);
        }
        match name {
            "li" => {
                self.close(&["li"], Within::List);
            }
            "dd" | "dt" => {
                self.close(&["dd", "dt"], Within::List);
            }
            "td" | "th" => {
                self.close(&["td", "th"], Within::Table);
            }
            "tr" => self.close_or(&["tr"], &["td", "th"]),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                self.close_or(&["tbody", "thead", "tfoot", "caption"], &["tr", "td", "th"]);
            }
            "option" | "optgroup" => {
                while self
                    .stack
                    .last()
                    .is_some_and(|o| matches!(o.name.as_str(), "option" | "optgroup"))
                {
                    self.pop_to(self.stack.len() - 1);
                }
            }
            // A second link or nobr ends the first, open or not.
            "a" | "nobr" => {
                if let Some(f) = FORMATTING.iter().position(|&f| f == name) {
                    self.formatting[f] = self.formatting[f].saturating_sub(1);
                }
                self.close(&[name], Within::Scope);
            }
            "button" => {
                self.close(&[name], Within::Scope);
            }
            _ => {}
        }
    }

    /// Close the nearest open element named one of `names` (and everything
    /// inside it) when it is within the floor; true when one was closed.
    fn close(&mut self, names: &[&str], within: Within) -> bool {
        match self.nearest(names, within) {
            Some(k) => {
                self.pop_to(k);
                true
            }
            None => false,
        }
    }

    /// Close the nearest of `names` in the table, or else the nearest of
    /// `inner` (a row or cell the new part cannot be inside).
    fn close_or(&mut self, names: &[&str], inner: &[&str]) {
        if !self.close(names, Within::Table) {
            self.close(inner, Within::Table);
        }
    }

    /// Close the elements from the top of the stack down to index `k`.
    fn pop_to(&mut self, k: usize) {
        while self.stack.len() > k {
            let Some(o) = self.stack.pop() else {
                break;
            };
            if let Some(v) = self.open_at.get_mut(&o.name) {
                v.pop();
            }
            if MARKERS.contains(&o.name.as_str()) {
                // Closing a cell ends the formatting elements opened in it.
                for (now, before) in self.formatting.iter_mut().zip(o.formatting_before) {
                    *now = (*now).min(before);
                }
            }
            if matches!(o.name.as_str(), "svg" | "math") {
                self.foreign = self.foreign.saturating_sub(1);
            }
        }
    }

    /// The end tag of the formatting element at `k` with a block opened
    /// inside it (`<b><div></b>`): the parser's adoption agency closes it,
    /// keeps the block open and opens a copy of it inside the block, so the
    /// depth does not shrink — modelled as such, or repeating the pattern
    /// would nest without bound behind the model's back.
    fn adopt(&mut self, k: usize) {
        let above: Vec<String> = self.stack[k + 1..].iter().map(|o| o.name.clone()).collect();
        let name = self.stack[k].name.clone();
        self.pop_to(k);
        for n in above {
            self.push(n);
        }
        self.push(name);
    }

    fn end_tag(&mut self, lt: usize) -> usize {
        let tag = self.read_tag(lt + 2);
        let name = tag.name.as_str();
        if let Some(d) = self.dropped.get_mut(name)
            && *d > 0
        {
            *d -= 1;
            self.drop_span(lt, tag.end);
            return tag.end;
        }
        if let Some(cut) = tag.cut_at {
            self.cut_attributes(cut, tag.end);
        }
        if let Some(f) = FORMATTING.iter().position(|&f| f == name) {
            if let Some(k) = self.nearest(&[name], Within::Scope)
                && self.stack[k + 1..]
                    .iter()
                    .any(|o| CLOSES_P.contains(&o.name.as_str()))
            {
                self.adopt(k);
                return tag.end;
            }
            // The parser removes the latest such formatting element from its
            // list, open or not.
            self.formatting[f] = self.formatting[f].saturating_sub(1);
        }
        let within = if matches!(
            name,
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption"
        ) {
            Within::Table
        } else {
            Within::Scope
        };
        let name = tag.name;
        self.close(&[name.as_str()], within);
        tag.end
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_within_the_bounds_pass_unchanged() {
        let page = "<!DOCTYPE html><html><head><title>标题</title><script>if (a<b) {x='</div>'}</script></head>\
            <body><div class=\"a\" id='b'><p>一<p>二<ul><li>三<li>四</ul><table><tr><td>五<td>六<tr><td>七</table>\
            <!-- <div><div> --><svg><path d=\"M0\"/><path/></svg><b>粗</b><font color=red>红</font></div></body></html>";
        assert!(matches!(bound(page), Cow::Borrowed(_)));
        // Hundreds of sibling paragraphs, list items and cells, unclosed.
        let many = format!(
            "<div>{}<ul>{}</ul><table>{}</table></div>",
            "<p>段".repeat(2000),
            "<li>项".repeat(2000),
            "<tr><td>格<td>格".repeat(2000)
        );
        assert!(matches!(bound(&many), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_and_the_text_kept() {
        let deep = format!(
            "{}深处{}之后",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        );
        let out = bound(&deep);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("深处") && out.ends_with("之后"));
    }

    #[test]
    fn unclosed_formatting_elements_are_bounded() {
        let page: String = (0..1000)
            .map(|i| format!("<p><b id=x{i}>段{i}</p>"))
            .collect();
        let out = bound(&page);
        assert_eq!(out.matches("<b ").count(), MAX_FORMATTING);
        assert_eq!(out.matches("段").count(), 1000);
        // Closed ones are not counted.
        let closed: String = (0..1000)
            .map(|i| format!("<p><b id=x{i}>段</b></p>"))
            .collect();
        assert!(matches!(bound(&closed), Cow::Borrowed(_)));
    }

    #[test]
    fn misnested_formatting_is_modelled_as_nesting() {
        // Each `</b>` leaves the div open and a new b inside it.
        let page = "<b><div></b>".repeat(5_000);
        let out = bound(&page);
        assert!(out.matches("<div>").count() <= MAX_DEPTH, "not bounded");
        // Ordinary misnesting keeps its paragraphs; the parser keeps every
        // copy of the `<b>` on its list, so only later `<b>`s may go.
        let page = "<b><p>粗体段落</b></p>".repeat(500);
        let out = bound(&page);
        assert_eq!(out.matches("<p>粗体段落").count(), 500);
    }

    #[test]
    fn attributes_beyond_the_bound_are_dropped() {
        let attrs: String = (0..1000).map(|i| format!(" a{i}=\"v>{i}\"")).collect();
        let page = format!("<div{attrs}>正文</div>");
        let out = bound(&page);
        assert!(out.contains(" a63=\"v>63\""), "{out}");
        assert!(out.ends_with(">正文</div>"), "{out}");
        assert!(!out.contains("a64"));
    }
}
