//! XML parts of zipped documents (DOCX, OFD), parsed with bounds.
//!
//! Elements and attributes are matched by their local name only: OFD
//! writers use the `ofd:` prefix or none, and DOCX comes in the
//! transitional and the strict namespaces, so the namespace says nothing a
//! reader needs.

use roxmltree::{Document, Node, ParsingOptions};

use super::SkipReason;

/// The most nodes one part may have (an inflated part is at most 64 MiB,
/// but markup that dense would take gigabytes as a tree).
const MAX_NODES: u32 = 4_000_000;

/// How deep the readers descend into nested elements; deeper content (only
/// a crafted file nests this far) is not read, and the stack stays small.
pub const MAX_DEPTH: usize = 200;

/// Parse `text` (the part `name` of a document of kind `label`). A DTD is
/// refused: no office or OFD writer emits one, and entity expansion is how
/// a small file becomes a huge one.
pub fn parse<'a>(text: &'a str, label: &str, name: &str) -> Result<Document<'a>, SkipReason> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
        .map_err(|e| SkipReason::Document(format!("{label}: {name} is not valid XML: {e}")))
}

/// True when `node` is an element called `local` (any namespace).
pub fn is(node: Node, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local
}

/// The value of `node`'s attribute called `local` (any namespace).
pub fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// The first child element of `node` called `local`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(*n, local))
}

/// The child elements of `node` called `local`.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| is(*n, local))
}

/// The text directly inside `node` (its text children joined), trimmed.
pub fn text<'a>(node: Node<'a, '_>) -> String {
    let mut s = String::new();
    for t in node.children().filter(|n| n.is_text()) {
        s.push_str(t.text().unwrap_or(""));
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_with_any_prefix() {
        let doc = parse(
            r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><DocRoot a:x="1" xmlns:a="u">Doc_0/Document.xml</DocRoot></ofd:DocBody></ofd:OFD>"#,
            "OFD",
            "OFD.xml",
        )
        .expect("valid");
        let body = child(doc.root_element(), "DocBody").expect("body");
        let root = child(body, "DocRoot").expect("root");
        assert_eq!(text(root), "Doc_0/Document.xml");
        assert_eq!(attr(root, "x"), Some("1"));
    }

    #[test]
    fn a_dtd_is_refused() {
        let bomb = r#"<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>"#;
        assert!(parse(bomb, "DOCX", "word/document.xml").is_err());
    }
}
