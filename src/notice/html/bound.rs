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

/// The standard's "special" HTML elements: an ordinary end tag (`</span>`)
/// does not close through them, and a new `<li>`/`<dd>`/`<dt>` does not
/// look for an open one below them (except below `address`, `div`, `p`).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "isindex",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// End tags that close their element through any other (when it is in
/// scope); other end tags stop at a [`SPECIAL`] element.
const BLOCK_END: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "object",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

/// Start tags that leave SVG/MathML content (the parser closes the foreign
/// elements first); `font` only with `color`, `face` or `size`.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// The namespace of an element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

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
    ns: Ns,
    /// An SVG/MathML element whose content is parsed as HTML (an HTML or
    /// MathML text integration point).
    integration: bool,
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
    /// Where an open `li`/`dd`/`dt` stops being closed by a new one: a
    /// special element other than `address`, `div`, `p`.
    list: Option<usize>,
    /// "In list item scope": [`SCOPE`], `ol`, `ul`.
    list_item: Option<usize>,
    /// Where an ordinary end tag stops: a special element.
    special: Option<usize>,
    /// "In table scope": `table`, `html`, `template`.
    table: Option<usize>,
}

impl Floors {
    /// The floors above the element `name` opened at `at`; `special` tells
    /// whether it is a special element (SVG/MathML integration points are).
    fn with(self, name: &str, special: bool, at: usize) -> Floors {
        let scope = SCOPE.contains(&name);
        let pick = |hit: bool, old: Option<usize>| if hit { Some(at) } else { old };
        Floors {
            scope: pick(scope, self.scope),
            button: pick(scope || name == "button", self.button),
            list: pick(
                scope || (special && !matches!(name, "address" | "div" | "p")),
                self.list,
            ),
            list_item: pick(scope || matches!(name, "ol" | "ul"), self.list_item),
            special: pick(scope || special, self.special),
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
}

/// A tag as read: its name (lowercased), where it ends, whether it ends in
/// `/>`, and where the attribute beyond [`MAX_ATTRIBUTES`] starts, if any.
struct Tag {
    name: String,
    end: usize,
    self_closing: bool,
    cut_at: Option<usize>,
    /// A `color`, `face` or `size` attribute (a `<font>` with one leaves
    /// SVG/MathML content).
    font_attr: bool,
    /// `encoding="text/html"` or `"application/xhtml+xml"` (an
    /// `annotation-xml` with one is an HTML integration point).
    html_encoding: bool,
}

/// Which floor bounds a search for an open element.
#[derive(Clone, Copy)]
enum Within {
    Scope,
    Button,
    List,
    ListItem,
    Special,
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
            Within::ListItem => floors.list_item,
            Within::Special => floors.special,
            Within::Table => floors.table,
        };
        // A boundary that is itself the element looked for is in scope.
        (floor.is_none_or(|f| at >= f)).then_some(at)
    }

    fn push(&mut self, name: String, ns: Ns, integration: bool) {
        let at = self.stack.len();
        let special = match ns {
            Ns::Html => SPECIAL.contains(&name.as_str()),
            Ns::Svg | Ns::MathMl => integration || name == "annotation-xml",
        };
        let floors = self
            .stack
            .last()
            .map(|o| o.floors)
            .unwrap_or_default()
            .with(&name, special, at);
        self.open_at.entry(name.clone()).or_default().push(at);
        self.stack.push(Open {
            name,
            ns,
            integration,
            formatting_before: self.formatting,
            floors,
        });
    }

    /// Whether a start tag now is parsed as SVG/MathML content (the current
    /// node is an SVG/MathML element that is no integration point).
    fn in_foreign(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.ns != Ns::Html && !o.integration)
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
            // `--!>` ends a comment too.
            let mut i = body;
            while let Some(k) = find(&self.bytes[i..], b"--") {
                let at = i + k + 2;
                match self.bytes.get(at) {
                    Some(b'>') => return at + 1,
                    Some(b'!') if self.bytes.get(at + 1) == Some(&b'>') => return at + 2,
                    _ => i = at - 1,
                }
            }
            return self.bytes.len();
        }
        // CDATA sections are read when the current node is SVG/MathML.
        if self.stack.last().is_some_and(|o| o.ns != Ns::Html) && rest.starts_with(b"<![CDATA[") {
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
        let mut font_attr = false;
        let mut html_encoding = false;
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
                    font_attr,
                    html_encoding,
                };
            }
            match b[j] {
                b'>' => {
                    return Tag {
                        name,
                        end: j + 1,
                        self_closing,
                        cut_at,
                        font_attr,
                        html_encoding,
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
            let attr_name = &b[attr_at..j];
            if ["color", "face", "size"]
                .iter()
                .any(|a| attr_name.eq_ignore_ascii_case(a.as_bytes()))
            {
                font_attr = true;
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
                let value = match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let from = k + 1;
                        k = b[from..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(n, |p| from + p + 1);
                        &b[from..k.saturating_sub(1).max(from)]
                    }
                    _ => {
                        let from = k;
                        while k < n
                            && !matches!(b[k], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                        {
                            k += 1;
                        }
                        &b[from..k]
                    }
                };
                if attr_name.eq_ignore_ascii_case(b"encoding")
                    && (value.eq_ignore_ascii_case(b"text/html")
                        || value.eq_ignore_ascii_case(b"application/xhtml+xml"))
                {
                    html_encoding = true;
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
        let mut foreign = self.in_foreign();
        if foreign && (BREAKOUT.contains(&name) || (name == "font" && tag.font_attr)) {
            // The parser closes the SVG/MathML elements and reads the tag as
            // HTML.
            while self.in_foreign() {
                self.pop_to(self.stack.len() - 1);
            }
            foreign = false;
        }
        // In SVG/MathML, `<style>` … are ordinary elements, `<x/>` is empty
        // and no end tag is implied.
        let ns = match (foreign, self.stack.last()) {
            (true, Some(o)) => o.ns,
            _ => match name {
                "svg" => Ns::Svg,
                "math" => Ns::MathMl,
                _ => Ns::Html,
            },
        };
        if foreign || ns != Ns::Html {
            if let Some(cut) = tag.cut_at {
                self.cut_attributes(cut, tag.end);
            }
            if tag.self_closing {
                return tag.end;
            }
            return self.open_element(lt, tag, ns);
        }
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
        self.implied_end_tags(name);
        self.open_element(lt, tag, Ns::Html)
    }

    /// Open the element of the start tag `tag` at `lt`, or drop it if it
    /// would exceed the bounds.
    fn open_element(&mut self, lt: usize, tag: Tag, ns: Ns) -> usize {
        let name = tag.name.as_str();
        let formatting = FORMATTING
            .iter()
            .position(|&f| f == name)
            .filter(|_| ns == Ns::Html);
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
        let integration = match ns {
            Ns::Html => false,
            Ns::Svg => matches!(name, "foreignobject" | "desc" | "title"),
            Ns::MathMl => {
                matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
                    || (name == "annotation-xml" && tag.html_encoding)
            }
        };
        self.push(tag.name, ns, integration);
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
            // A second link or nobr ends the first, open or not — by the
            // adoption agency, which keeps the blocks opened inside it open.
            "a" | "nobr" => {
                if let Some(k) = self.nearest(&[name], Within::Scope)
                    && self.special_above(k)
                {
                    self.adopt(k);
                    return;
                }
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
        }
    }

    /// The end tag of the formatting element at `k` with a block opened
    /// inside it (`<b><div></b>`): the parser's adoption agency closes it,
    /// keeps the block open and opens a copy of it inside the block, so the
    /// depth does not shrink — modelled as such, or repeating the pattern
    /// would nest without bound behind the model's back.
    fn adopt(&mut self, k: usize) {
        let above: Vec<(String, Ns, bool)> = self.stack[k + 1..]
            .iter()
            .map(|o| (o.name.clone(), o.ns, o.integration))
            .collect();
        let name = self.stack[k].name.clone();
        self.pop_to(k);
        for (n, ns, integration) in above {
            self.push(n, ns, integration);
        }
        self.push(name, Ns::Html, false);
    }

    /// Whether a special element is open above the stack index `k`.
    fn special_above(&self, k: usize) -> bool {
        self.stack
            .last()
            .and_then(|o| o.floors.special)
            .is_some_and(|f| f > k)
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
                && self.special_above(k)
            {
                self.adopt(k);
                return tag.end;
            }
            // The parser removes the latest such formatting element from its
            // list, open or not.
            self.formatting[f] = self.formatting[f].saturating_sub(1);
            self.close(&[name], Within::Scope);
            return tag.end;
        }
        if BLOCK_END.contains(&name) {
            self.close(&[name], Within::Scope);
        } else if HEADINGS.contains(&name) {
            // Any heading ends the nearest one.
            self.close(HEADINGS, Within::Scope);
        } else if name == "li" {
            self.close(&[name], Within::ListItem);
        } else if name == "p" {
            self.close(&[name], Within::Button);
        } else if matches!(
            name,
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption"
        ) {
            self.close(&[name], Within::Table);
        } else if name == "form" {
            // The parser takes the form out of the stack and leaves the
            // elements opened inside it open: closed here only when it is
            // the current node.
            if self.stack.last().is_some_and(|o| o.name == "form") {
                self.pop_to(self.stack.len() - 1);
            }
        } else {
            // Any other end tag closes the nearest element of its name,
            // unless a special element is open above it.
            self.close(&[name], Within::Special);
        }
        tag.end
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth of the tree html5ever builds from the bounded page (the
    /// most ancestors of any node).
    fn parsed_depth(page: &str) -> usize {
        let html = scraper::Html::parse_document(&bound(page));
        html.tree
            .root()
            .descendants()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    /// Pages that nest without bound in html5ever stay within the bound
    /// once bounded.
    #[test]
    fn hostile_pages_parse_to_a_bounded_depth() {
        let n = 10_000;
        let pages = [
            ("div", "<div>".repeat(n)),
            ("b div /b", "<b><div></b>".repeat(n)),
            ("p b", "<p><b id=x>段".repeat(n)),
            // An ordinary end tag does not close through a special element.
            ("span div /span", "<span><div></span>".repeat(n)),
            // A new li does not look for one below a special element.
            ("li section", "<li><section>".repeat(n)),
            ("dd article", "<dd><article>".repeat(n)),
            ("li ul /li", "<li><ul></li>".repeat(n)),
            // `--!>` ends a comment.
            ("comment --!>", format!("<!----!>{}", "<div>".repeat(n))),
            ("comment x--!>", format!("<!-- x --!>{}", "<div>".repeat(n))),
            // In SVG/MathML, style, title, plaintext are ordinary elements.
            ("svg style", format!("<svg><style>{}", "<div>".repeat(n))),
            ("svg title", format!("<svg><title>{}", "<div>".repeat(n))),
            (
                "svg plaintext",
                format!("<svg><plaintext>{}", "<div>".repeat(n)),
            ),
            ("math style", format!("<math><style>{}", "<div>".repeat(n))),
            (
                "svg style section",
                format!("<svg><style>{}", "<section>".repeat(n)),
            ),
            ("svg g", format!("<svg>{}", "<g>".repeat(n))),
            ("svg link", format!("<svg>{}", "<link>".repeat(n))),
            (
                "annotation-xml",
                format!(
                    "<math><annotation-xml encoding=text/html>{}",
                    "<div><style></div></style>".repeat(n)
                ),
            ),
            // `</h1>` ends the nearest heading; `</form>` leaves the elements
            // inside the form open.
            ("h1 div h2 /h1", "<h1><div><h2></h1>".repeat(n)),
            ("form div /form", "<form><div></form>".repeat(n)),
            // A second link with a block inside the first keeps the block.
            ("a div", "<a><div>".repeat(n)),
            ("b button /b", "<b><button></b>".repeat(n)),
        ];
        for (what, page) in pages {
            let depth = parsed_depth(&page);
            assert!(depth <= MAX_DEPTH + 8, "{what}: depth {depth}");
        }
    }

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
