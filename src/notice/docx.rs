//! DOCX (Word 2007 and later, and WPS Office's OOXML files): the body of
//! `word/document.xml` in the plain-text layout.
//!
//! One paragraph per line, in document order, with what Word draws but the
//! text runs do not hold: the numbers of automatically numbered paragraphs
//! ([`numbering`]), the text of text boxes (a red header is often one; its
//! lines come before the paragraph that anchors the box, which is where
//! Word places a box it draws above that paragraph), and tables row by row.
//! Headers and footers are page furniture and not read; neither are
//! deleted revisions, hidden text or field codes (a field's result is).

pub(super) mod numbering;

use roxmltree::Node;

use super::SkipReason;
use super::document::{Extracted, Format};
use super::xml::{self, attr, child, is};
use super::zipped::Zip;
use numbering::Numbering;

const LABEL: &str = "DOCX";

/// The text of the DOCX file in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let mut zip = Zip::open(bytes, Format::Docx)?;
    let mut warnings = Vec::new();
    let body = zip
        .read_text("word/document.xml")?
        .ok_or_else(|| SkipReason::Document(format!("{LABEL}: no word/document.xml")))?;
    // Numbering and styles only add numbers: a damaged one is a warning.
    let mut part = |name: &str, warnings: &mut Vec<String>| match zip.read_text(name) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(e.to_string());
            None
        }
    };
    let numbering_xml = part("word/numbering.xml", &mut warnings);
    let styles_xml = part("word/styles.xml", &mut warnings);
    let numbering_doc = optional(&numbering_xml, "word/numbering.xml", &mut warnings);
    let styles_doc = optional(&styles_xml, "word/styles.xml", &mut warnings);
    let doc = xml::parse(&body, LABEL, "word/document.xml")?;
    let body = xml::child(doc.root_element(), "body")
        .ok_or_else(|| SkipReason::Document(format!("{LABEL}: word/document.xml has no body")))?;
    let mut reader = Reader {
        numbering: Numbering::new(
            numbering_doc.as_ref().map(|d| d.root_element()),
            styles_doc.as_ref().map(|d| d.root_element()),
        ),
        too_deep: false,
    };
    let mut lines = Vec::new();
    reader.block(body, &mut lines, 0);
    if reader.too_deep {
        warnings.push(format!(
            "content nested deeper than {} elements not read",
            xml::MAX_DEPTH
        ));
    }
    let mut text = String::new();
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(SkipReason::Empty);
    }
    Ok(Extracted {
        text,
        pages: None,
        warnings,
        blank_pages: Vec::new(),
    })
}

struct Reader {
    numbering: Numbering,
    too_deep: bool,
}

impl Reader {
    /// Block content (a body, a table cell, a text box, a content control)
    /// as lines appended to `out`.
    fn block(&mut self, node: Node, out: &mut Vec<String>, depth: usize) {
        if depth > xml::MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "p" => self.paragraph(c, out, depth + 1),
                "tbl" => self.table(c, out, depth + 1),
                "AlternateContent" => {
                    if let Some(branch) = alternative(c) {
                        self.block(branch, out, depth + 1);
                    }
                }
                "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" | "smartTag" => {
                    self.block(c, out, depth + 1)
                }
                _ => {}
            }
        }
    }

    /// A paragraph: the lines of its text boxes, then its own text (its
    /// number first), one line per line break.
    fn paragraph(&mut self, p: Node, out: &mut Vec<String>, depth: usize) {
        let mut text = String::new();
        let mut boxes = Vec::new();
        self.inline(p, &mut text, &mut boxes, depth);
        out.append(&mut boxes);
        let number = self.numbering.number(p);
        let mut first = true;
        for line in text.split('\n') {
            let line = tidy(line);
            if line.is_empty() {
                continue;
            }
            match number.as_deref().filter(|_| first) {
                Some(n) => out.push(format!("{n}{line}")),
                None => out.push(line),
            }
            first = false;
        }
    }

    /// The text of inline content (runs and what wraps them) into `text`;
    /// text boxes met on the way into `boxes`.
    fn inline(&mut self, node: Node, text: &mut String, boxes: &mut Vec<String>, depth: usize) {
        if depth > xml::MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "t" => text.push_str(c.text().unwrap_or("")),
                "tab" | "ptab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                "noBreakHyphen" => text.push('-'),
                "sym" => {
                    // Symbol-font characters (U+F0xx) draw nothing readable.
                    let ch = attr(c, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|&u| !(0xF000..=0xF0FF).contains(&u))
                        .and_then(char::from_u32);
                    text.extend(ch);
                }
                "r" if hidden(c) => {}
                "drawing" | "pict" | "object" => self.text_boxes(c, boxes, depth + 1),
                "txbxContent" => self.block(c, boxes, depth + 1),
                "AlternateContent" => {
                    if let Some(branch) = alternative(c) {
                        self.inline(branch, text, boxes, depth + 1);
                    }
                }
                // Not shown: properties, deleted or moved-away text, field
                // codes, note and comment marks; a ruby's reading (the base
                // text is read).
                "pPr" | "rPr" | "del" | "moveFrom" | "delText" | "instrText" | "fldData"
                | "footnoteReference" | "endnoteReference" | "commentReference" | "rt" => {}
                // Runs, hyperlinks, fields' results, content controls,
                // insertions, math: read what they wrap.
                _ => self.inline(c, text, boxes, depth + 1),
            }
        }
    }

    /// Text boxes inside a drawing or a VML shape: only `w:txbxContent` is
    /// read (a drawing's other text is chart or diagram data).
    fn text_boxes(&mut self, node: Node, boxes: &mut Vec<String>, depth: usize) {
        if depth > xml::MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        for c in node.children().filter(Node::is_element) {
            if is(c, "txbxContent") {
                self.block(c, boxes, depth + 1);
            } else if is(c, "AlternateContent") {
                if let Some(branch) = alternative(c) {
                    self.text_boxes(branch, boxes, depth + 1);
                }
            } else {
                self.text_boxes(c, boxes, depth + 1);
            }
        }
    }

    /// A table, row by row: a row whose cells hold one line each is one
    /// line (cells joined by a space: a signature of two agencies side by
    /// side reads as it does on paper); a row with a longer cell gives each
    /// cell's lines in turn.
    fn table(&mut self, tbl: Node, out: &mut Vec<String>, depth: usize) {
        let mut rows = Vec::new();
        wrapped(tbl, "tr", &mut rows, depth);
        for tr in rows {
            let mut cells = Vec::new();
            wrapped(tr, "tc", &mut cells, depth);
            let cell_lines: Vec<Vec<String>> = cells
                .into_iter()
                .map(|tc| {
                    let mut lines = Vec::new();
                    self.block(tc, &mut lines, depth + 1);
                    lines
                })
                .filter(|l| !l.is_empty())
                .collect();
            if cell_lines.iter().all(|c| c.len() == 1) {
                let row: Vec<&str> = cell_lines.iter().map(|c| c[0].as_str()).collect();
                if !row.is_empty() {
                    out.push(row.join(" "));
                }
            } else {
                out.extend(cell_lines.into_iter().flatten());
            }
        }
    }
}

/// Children of `node` called `local`, looking through the content controls
/// and custom XML that may wrap rows and cells.
fn wrapped<'a, 'i>(node: Node<'a, 'i>, local: &str, out: &mut Vec<Node<'a, 'i>>, depth: usize) {
    if depth > xml::MAX_DEPTH {
        return;
    }
    for c in node.children().filter(Node::is_element) {
        match c.tag_name().name() {
            n if n == local => out.push(c),
            "sdt" | "sdtContent" | "customXml" => wrapped(c, local, out, depth + 1),
            _ => {}
        }
    }
}

/// The branch of `mc:AlternateContent` to read: the first `mc:Choice` that
/// holds text, else `mc:Fallback` (both draw the same thing: reading both
/// would repeat a text box).
fn alternative<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let has_text = |n: Node| n.descendants().any(|d| is(d, "t"));
    let choices = || node.children().filter(|c| is(*c, "Choice"));
    choices()
        .find(|c| has_text(*c))
        .or_else(|| xml::child(node, "Fallback"))
        .or_else(|| choices().next())
}

/// A part that only adds numbers: parsed if it is there, a warning if it
/// is damaged.
fn optional<'a>(
    text: &'a Option<String>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Option<roxmltree::Document<'a>> {
    match xml::parse(text.as_deref()?, LABEL, name) {
        Ok(d) => Some(d),
        Err(e) => {
            warnings.push(format!("{e} (automatic numbers not shown)"));
            None
        }
    }
}

/// A run formatted as hidden (`w:vanish`).
fn hidden(run: Node) -> bool {
    child(run, "rPr")
        .and_then(|p| child(p, "vanish"))
        .is_some_and(|v| !matches!(attr(v, "val"), Some("0" | "false" | "off")))
}

/// One line of a paragraph: tabs as spaces, control characters out, ends
/// trimmed (a paragraph indented with full-width spaces starts at its text).
fn tidy(line: &str) -> String {
    let s: String = line
        .chars()
        .map(|c| if c == '\t' || c == '\u{a0}' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

    fn body_text(body: &str) -> String {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let doc = xml::parse(&xml, LABEL, "test").expect("valid");
        let mut r = Reader {
            numbering: Numbering::default(),
            too_deep: false,
        };
        let mut lines = Vec::new();
        r.block(
            child(doc.root_element(), "body").expect("body"),
            &mut lines,
            0,
        );
        lines.join("\n")
    }

    #[test]
    fn runs_tabs_breaks_and_fields() {
        let got = body_text(
            r#"<w:p><w:r><w:t>关于</w:t></w:r><w:r><w:t xml:space="preserve">印发 </w:t></w:r><w:r><w:br/><w:t>的通知</w:t></w:r></w:p>
               <w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>
               <w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:tab/><w:t>尾</w:t></w:r></w:p>
               <w:p/>"#,
        );
        assert_eq!(got, "关于印发\n的通知\n第3页\n插入 尾");
        let ruby = body_text(
            r#"<w:p><w:r><w:ruby><w:rt><w:r><w:t>gōng</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>公</w:t></w:r></w:rubyBase></w:ruby></w:r><w:r><w:t>文</w:t></w:r></w:p>"#,
        );
        assert_eq!(ruby, "公文");
    }

    #[test]
    fn a_text_box_is_read_once_before_its_paragraph() {
        let box_p =
            r#"<w:txbxContent><w:p><w:r><w:t>某某市人民政府文件</w:t></w:r></w:p></w:txbxContent>"#;
        let got = body_text(&format!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{box_p}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box_p}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>"#
        ));
        assert_eq!(got, "某某市人民政府文件\n正文");
    }

    #[test]
    fn tables_row_by_row() {
        let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        let got = body_text(&format!(
            r#"<w:tbl><w:tr>{}{}</w:tr><w:tr>{}<w:tc><w:p><w:r><w:t>第一段</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:tc></w:tr><w:tr>{}<w:tc><w:p/></w:tc></w:tr></w:tbl>"#,
            cell("序号"),
            cell("名称"),
            cell("1"),
            cell("抄送：某某局")
        ));
        assert_eq!(got, "序号 名称\n1\n第一段\n第二段\n抄送：某某局");
    }

    #[test]
    fn deep_nesting_stops_without_overflowing() {
        let open = "<w:sdt><w:sdtContent>".repeat(5000);
        let close = "</w:sdtContent></w:sdt>".repeat(5000);
        let got = body_text(&format!(
            "<w:p><w:r><w:t>前</w:t></w:r></w:p>{open}<w:p><w:r><w:t>深</w:t></w:r></w:p>{close}"
        ));
        assert_eq!(got, "前");
    }
}
