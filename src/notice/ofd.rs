//! OFD (GB/T 33190, the national fixed-layout format): the text drawn on
//! each page, rebuilt into lines and paragraphs by [`super::layout`].
//!
//! An OFD file is a zip of XML parts: `OFD.xml` names the document
//! (`DocBody/DocRoot`), whose `Document.xml` lists the pages
//! (`Pages/Page/@BaseLoc`) and the template pages they draw under them
//! (`CommonData/TemplatePage`, used by a page's `Template/@TemplateID`).
//! Each page's `Content.xml` draws `TextObject`s: a `Boundary` (x y w h,
//! in millimetres from the page's top left), a font `Size`, and
//! `TextCode`s, each a run of characters starting at (X, Y) — Y the
//! baseline — inside the boundary, the characters advanced by `DeltaX`
//! (where `g N D` stands for N advances of D). A location is relative to
//! the part that names it, or absolute from the package root when it
//! starts with `/`; namespaces are written with the `ofd:` prefix or none.

use std::collections::HashMap;

use roxmltree::Node;

use super::SkipReason;
use super::document::{Extracted, Format};
use super::layout::{Page, Piece, text_of};
use super::xml::{self, attr, child, children};
use super::zipped::Zip;

const LABEL: &str = "OFD";

/// Pages beyond this many are not read.
pub const MAX_PAGES: usize = 2000;

fn fail(what: impl std::fmt::Display) -> SkipReason {
    SkipReason::Document(format!("{LABEL}: {what}"))
}

/// The text of the OFD file in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let mut zip = Zip::open(bytes, Format::Ofd)?;
    let ofd_xml = zip
        .read_text("OFD.xml")?
        .ok_or_else(|| fail("no OFD.xml"))?;
    let ofd = xml::parse(&ofd_xml, LABEL, "OFD.xml")?;
    let doc_loc = children(ofd.root_element(), "DocBody")
        .find_map(|b| child(b, "DocRoot"))
        .map(xml::text)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| fail("OFD.xml names no document (DocBody/DocRoot)"))?;
    let (doc_path, document_xml) = read_part(&mut zip, "", &doc_loc)?
        .ok_or_else(|| fail(format!("the document {doc_loc} is missing")))?;
    let document = xml::parse(&document_xml, LABEL, &doc_path)?;
    let root = document.root_element();
    let base = parent(&doc_path);
    let common = child(root, "CommonData");
    let default_height = common
        .and_then(|c| child(c, "PageArea"))
        .and_then(page_height)
        .unwrap_or(0.0);
    let templates: HashMap<&str, &str> = common
        .into_iter()
        .flat_map(|c| children(c, "TemplatePage"))
        .filter_map(|t| Some((attr(t, "ID")?, attr(t, "BaseLoc")?)))
        .collect();
    let page_locs: Vec<&str> = child(root, "Pages")
        .into_iter()
        .flat_map(|p| children(p, "Page"))
        .filter_map(|p| attr(p, "BaseLoc"))
        .collect();
    let count = page_locs.len();
    let mut reader = PageReader {
        zip,
        base,
        templates,
        drawn: HashMap::new(),
        warnings: Vec::new(),
    };
    let mut pages = Vec::new();
    let mut blank = Vec::new();
    for (i, loc) in page_locs.iter().take(MAX_PAGES).enumerate() {
        // A zip that fails (damaged, over the inflate budget) ends the
        // document; a page that is not valid XML is a warning.
        match reader.page(loc, default_height)? {
            Ok(page) => {
                if page.pieces.is_empty() {
                    blank.push(i + 1);
                }
                pages.push(page);
            }
            Err(e) => reader.warnings.push(format!("page {}: {e}", i + 1)),
        }
    }
    let mut warnings = reader.warnings;
    if count > MAX_PAGES {
        warnings.push(format!("only the first {MAX_PAGES} of {count} pages read"));
    }
    let pages_u32 = u32::try_from(count).unwrap_or(u32::MAX);
    let text = text_of(&pages);
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 10 {
        return Err(SkipReason::NoTextLayer { pages: pages_u32 });
    }
    if !blank.is_empty() && blank.len() < pages.len() {
        let list: Vec<String> = blank.iter().map(usize::to_string).collect();
        warnings.push(format!("no text on page(s) {} (scanned?)", list.join(", ")));
    }
    Ok(Extracted {
        text,
        pages: Some(pages_u32),
        warnings,
        blank_pages: Vec::new(),
    })
}

/// Reads pages, and the template pages under them once each.
struct PageReader<'z, 'd> {
    zip: Zip<'z>,
    /// The folder of `Document.xml`, against which pages are located.
    base: String,
    templates: HashMap<&'d str, &'d str>,
    /// The pieces of each template page read so far.
    drawn: HashMap<String, Vec<Piece>>,
    warnings: Vec<String>,
}

impl PageReader<'_, '_> {
    /// The page whose content is at `loc`: its templates' text, then its
    /// own. The outer error is the zip's; the inner one the page's.
    fn page(
        &mut self,
        loc: &str,
        default_height: f64,
    ) -> Result<Result<Page, SkipReason>, SkipReason> {
        let Some((path, content)) = read_part(&mut self.zip, &self.base, loc)? else {
            return Ok(Err(fail(format!("{loc} is missing"))));
        };
        let doc = match xml::parse(&content, LABEL, &path) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        let root = doc.root_element();
        let height = child(root, "Area")
            .and_then(page_height)
            .unwrap_or(default_height);
        let mut pieces = Vec::new();
        for t in children(root, "Template") {
            if let Some(id) = attr(t, "TemplateID") {
                pieces.extend(self.template(id));
            }
        }
        let mut too_deep = false;
        objects(root, &mut pieces, 0, &mut too_deep);
        if too_deep {
            self.warnings.push(format!(
                "{path}: content nested deeper than {} elements not read",
                xml::MAX_DEPTH
            ));
        }
        Ok(Ok(Page { height, pieces }))
    }

    /// The text a template page draws (read once; a template that cannot
    /// be read draws nothing, with a warning).
    fn template(&mut self, id: &str) -> Vec<Piece> {
        if let Some(p) = self.drawn.get(id) {
            return p.clone();
        }
        let mut pieces = Vec::new();
        match self.templates.get(id).copied() {
            None => self
                .warnings
                .push(format!("template page {id} is not declared")),
            Some(loc) => match read_part(&mut self.zip, &self.base, loc) {
                Ok(Some((path, content))) => match xml::parse(&content, LABEL, &path) {
                    Ok(doc) => {
                        let mut too_deep = false;
                        objects(doc.root_element(), &mut pieces, 0, &mut too_deep);
                    }
                    Err(e) => self.warnings.push(e.to_string()),
                },
                Ok(None) => self
                    .warnings
                    .push(format!("template page {loc} is missing")),
                Err(e) => self.warnings.push(e.to_string()),
            },
        }
        self.drawn.insert(id.to_string(), pieces.clone());
        pieces
    }
}

/// Read the part at `loc`, relative to the folder `base` (or absolute),
/// as text; with its resolved path. A location naming a page's folder
/// rather than its `Content.xml`, and one written relative to the package
/// root where it should be relative to its document (both seen in
/// writers' output), are found too.
fn read_part(zip: &mut Zip, base: &str, loc: &str) -> Result<Option<(String, String)>, SkipReason> {
    let mut tried = Vec::new();
    for b in [base, ""] {
        let path = resolve(b, loc);
        for p in [path.clone(), format!("{path}/Content.xml")] {
            if p.is_empty() || tried.contains(&p) {
                continue;
            }
            if let Some(text) = zip.read_text(&p)? {
                return Ok(Some((p, text)));
            }
            tried.push(p);
        }
    }
    Ok(None)
}

/// `loc` resolved against the folder `base`: `/x` from the package root,
/// `.` and `..` applied, `\` read as `/`.
fn resolve(base: &str, loc: &str) -> String {
    let loc = loc.trim().replace('\\', "/");
    let joined = if loc.starts_with('/') {
        loc
    } else {
        format!("{base}/{loc}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The folder of a part's path.
fn parent(path: &str) -> String {
    path.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

/// The height of a page area's physical box.
fn page_height(area: Node) -> Option<f64> {
    let b = numbers(&xml::text(child(area, "PhysicalBox")?));
    b.get(3).copied().filter(|h| *h > 0.0)
}

/// The text objects under `node` (layers, page blocks) as pieces.
fn objects(node: Node, out: &mut Vec<Piece>, depth: usize, too_deep: &mut bool) {
    if depth > xml::MAX_DEPTH {
        *too_deep = true;
        return;
    }
    for c in node.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "TextObject" => text_object(c, out),
            "Content" | "Layer" | "PageBlock" => objects(c, out, depth + 1, too_deep),
            _ => {}
        }
    }
}

/// An affine transform `a b c d e f` (x' = a·x + c·y + e, y' = b·x + d·y + f).
#[derive(Clone, Copy)]
struct Ctm([f64; 6]);

impl Ctm {
    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// How much the transform scales lengths.
    fn scale(&self) -> f64 {
        let [a, b, c, d, ..] = self.0;
        (a * d - b * c).abs().sqrt()
    }
}

/// One `TextObject`: each `TextCode` as pieces at page positions (a run
/// cut where its characters are spaced far apart, as a table row drawn
/// in one run is; vertical text one piece per character).
fn text_object(obj: Node, out: &mut Vec<Piece>) {
    let bound = attr(obj, "Boundary").map(numbers).unwrap_or_default();
    let (bx, by) = (
        bound.first().copied().unwrap_or(0.0),
        bound.get(1).copied().unwrap_or(0.0),
    );
    let ctm = attr(obj, "CTM")
        .map(numbers)
        .filter(|m| m.len() == 6)
        .map(|m| Ctm([m[0], m[1], m[2], m[3], m[4], m[5]]))
        .filter(|m| m.scale() > 0.0);
    let scale = ctm.map_or(1.0, |m| m.scale());
    let size = attr(obj, "Size")
        .and_then(number)
        .filter(|s| *s > 0.0)
        .or_else(|| bound.get(3).copied().filter(|h| *h > 0.0))
        .unwrap_or(0.0);
    let hscale = attr(obj, "HScale")
        .and_then(number)
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let (mut pen_x, mut pen_y) = (0.0, 0.0);
    for code in children(obj, "TextCode") {
        // X or Y left out: the previous TextCode's.
        let x = attr(code, "X").and_then(number).unwrap_or(pen_x);
        let y = attr(code, "Y").and_then(number).unwrap_or(pen_y);
        (pen_x, pen_y) = (x, y);
        let chars: Vec<char> = code
            .children()
            .filter(|n| n.is_text())
            .flat_map(|n| n.text().unwrap_or("").chars())
            .collect();
        if chars.is_empty() {
            continue;
        }
        let advance = |c: char| if c.is_ascii() { 0.5 } else { 1.0 } * size * hscale;
        let n = chars.len() - 1;
        let dx = attr(code, "DeltaX").map_or_else(Vec::new, |d| deltas(d, n));
        let dy = attr(code, "DeltaY").map_or_else(Vec::new, |d| deltas(d, n));
        let vertical = dy.iter().any(|d| *d != 0.0);
        // Each character's origin, relative to the object.
        let mut at = Vec::with_capacity(chars.len());
        let (mut cx, mut cy) = (x, y);
        for (i, &c) in chars.iter().enumerate() {
            at.push((cx, cy));
            cx += dx.get(i).copied().unwrap_or_else(|| advance(c));
            cy += dy.get(i).copied().unwrap_or(0.0);
        }
        let mut piece = |from: usize, to: usize| {
            let text: String = chars[from..to]
                .iter()
                .map(|&c| {
                    if c == '\u{3000}' || c == '\u{a0}' {
                        ' '
                    } else {
                        c
                    }
                })
                .filter(|c| !c.is_control())
                .collect();
            if text.trim().is_empty() {
                return;
            }
            let (x0, y0) = at[from];
            let end = at[to - 1].0 + advance(chars[to - 1]);
            let ((px, py), width) = match ctm {
                Some(m) => (m.apply(x0, y0), (end - x0) * m.0[0].abs()),
                None => ((x0, y0), end - x0),
            };
            out.push(Piece {
                x: bx + px,
                y: by + py,
                width: width.max(0.0),
                size: size * scale,
                text,
            });
        };
        if vertical {
            for i in 0..chars.len() {
                piece(i, i + 1);
            }
            continue;
        }
        let mut from = 0;
        for i in 1..chars.len() {
            let gap = at[i].0 - at[i - 1].0 - advance(chars[i - 1]);
            if gap > size {
                piece(from, i);
                from = i;
            }
        }
        piece(from, chars.len());
    }
}

/// The advances of a `DeltaX` or `DeltaY` list, at most `limit` of them:
/// numbers, and `g N D` for N advances of D.
pub fn deltas(spec: &str, limit: usize) -> Vec<f64> {
    let mut out = Vec::new();
    let mut tokens = spec
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    while out.len() < limit {
        let Some(t) = tokens.next() else { break };
        if t.eq_ignore_ascii_case("g") {
            let n = tokens.next().and_then(number).unwrap_or(0.0);
            let d = tokens.next().and_then(number).unwrap_or(0.0);
            let n = if n >= 1.0 { n as usize } else { 0 };
            out.extend(std::iter::repeat_n(d, n.min(limit - out.len())));
        } else {
            out.push(number(t).unwrap_or(0.0));
        }
    }
    out
}

/// A finite number.
fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The numbers of a space-separated list (a box, a matrix).
fn numbers(s: &str) -> Vec<f64> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| number(t).unwrap_or(0.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_expand_g_and_stop_at_the_limit() {
        assert_eq!(deltas("1 2 3", 5), vec![1.0, 2.0, 3.0]);
        assert_eq!(deltas("g 3 5.5 1", 10), vec![5.5, 5.5, 5.5, 1.0]);
        assert_eq!(deltas("2 g 2 4 g 2 1", 10), vec![2.0, 4.0, 4.0, 1.0, 1.0]);
        assert_eq!(deltas("g 1000000000 3", 4), vec![3.0; 4]);
        assert_eq!(deltas("g x", 4), Vec::<f64>::new());
        assert_eq!(deltas("a 2", 4), vec![0.0, 2.0]);
        assert_eq!(deltas("", 4), Vec::<f64>::new());
    }

    #[test]
    fn locations_resolve_against_their_part() {
        assert_eq!(resolve("", "/Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0", "/Doc_0/Tpls/T.xml"), "Doc_0/Tpls/T.xml");
        assert_eq!(resolve("Doc_0/Pages", "../Res/./a.xml"), "Doc_0/Res/a.xml");
        assert_eq!(resolve("", "..\\..\\x.xml"), "x.xml");
        assert_eq!(parent("Doc_0/Document.xml"), "Doc_0");
        assert_eq!(parent("Document.xml"), "");
    }

    fn pieces_of(obj: &str) -> Vec<Piece> {
        let xml =
            format!(r#"<ofd:Layer xmlns:ofd="http://www.ofdspec.org/2016">{obj}</ofd:Layer>"#);
        let doc = xml::parse(&xml, LABEL, "test").expect("valid");
        let mut out = Vec::new();
        for o in doc
            .root_element()
            .children()
            .filter(|n| xml::is(*n, "TextObject"))
        {
            text_object(o, &mut out);
        }
        out
    }

    #[test]
    fn text_codes_are_placed_in_their_boundary() {
        let p = pieces_of(
            r#"<ofd:TextObject Boundary="28 100 150 10" Size="5.6"><ofd:TextCode X="0" Y="4.9" DeltaX="g 3 5.6">关于印发</ofd:TextCode><ofd:TextCode X="22.4" DeltaX="2.8">通知</ofd:TextCode></ofd:TextObject>"#,
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, "关于印发");
        assert!((p[0].x - 28.0).abs() < 1e-9 && (p[0].y - 104.9).abs() < 1e-9);
        assert!((p[0].width - 4.0 * 5.6).abs() < 1e-9, "{}", p[0].width);
        // Y left out: the previous TextCode's.
        assert!((p[1].x - 50.4).abs() < 1e-9 && (p[1].y - 104.9).abs() < 1e-9);
    }

    #[test]
    fn widely_spaced_characters_are_separate_pieces() {
        let p = pieces_of(
            r#"<TextObject Boundary="0 0 200 10" Size="5"><TextCode X="10" Y="5" DeltaX="5 40 5">序号名称</TextCode></TextObject>"#,
        );
        let texts: Vec<&str> = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["序号", "名称"]);
        assert!((p[1].x - 55.0).abs() < 1e-9);
    }

    #[test]
    fn a_transform_moves_and_scales_the_text() {
        let p = pieces_of(
            r#"<TextObject Boundary="10 10 100 20" Size="5" CTM="2 0 0 2 1 1"><TextCode X="0" Y="5">放大</TextCode></TextObject>"#,
        );
        assert_eq!(p.len(), 1);
        assert!((p[0].x - 11.0).abs() < 1e-9 && (p[0].y - 21.0).abs() < 1e-9);
        assert!((p[0].size - 10.0).abs() < 1e-9);
    }
}
