//! Office and fixed-layout documents through `gongwen parse`: DOCX and DOC
//! made with LibreOffice (`tests/fixtures/docs/`), a DOCX shaped the way
//! WPS Office writes one and OFD files assembled here from XML strings;
//! each read for its title, agency, date, 文号 and headings.

use std::io::Write;

use serde::Deserialize;

use crate::harness::{HeadingOut, Sandbox};

/// What these tests read of `gongwen parse --json`.
#[derive(Debug, Deserialize)]
struct DocOut {
    title: String,
    agency: Option<String>,
    agency_source: Option<String>,
    date: Option<String>,
    doc_number: Option<String>,
    headings: Vec<HeadingOut>,
    sections: Vec<SectionText>,
    extraction: Extraction,
}

#[derive(Debug, Deserialize)]
struct SectionText {
    text: String,
}

#[derive(Debug, Deserialize)]
struct Extraction {
    extractor: String,
    pages: Option<u32>,
    chars: usize,
    #[serde(default)]
    warnings: Vec<String>,
}

impl DocOut {
    fn body(&self) -> String {
        let texts: Vec<&str> = self.sections.iter().map(|s| s.text.as_str()).collect();
        texts.join("\n")
    }

    /// The heading tree as `number+text` strings, children indented.
    fn outline(&self) -> Vec<String> {
        fn walk(hs: &[HeadingOut], depth: usize, out: &mut Vec<String>) {
            for h in hs {
                out.push(format!("{}{}{}", "  ".repeat(depth), h.number, h.text));
                walk(&h.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.headings, 0, &mut out);
        out
    }
}

fn parse(sb: &Sandbox, name: &str, bytes: &[u8]) -> DocOut {
    sb.add_corpus_file(name, bytes);
    let out = sb.run(&["parse", "--json", &format!("corpus/{name}")]);
    out.assert_code(0);
    out.json()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A zip of `parts` (name, content), deflated as office writers do.
fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        w.start_file(*name, options).expect("start zip entry");
        w.write_all(content.as_bytes()).expect("write zip entry");
    }
    w.finish().expect("finish zip").into_inner()
}

const TITLE: &str = "临河市生态环境局关于开展2024年度大气污染防治专项检查的通知";

/// A paged notice's body: no page-number dashes, the signature last, and
/// what is printed above the title (the 文号) kept as the document's own
/// searchable text while the title itself is not repeated.
fn assert_page_furniture_out_and_head_in(body: &str) {
    assert!(!body.contains('—'), "{body}");
    assert!(body.ends_with("临河市生态环境局\n2024年3月15日"), "{body}");
    assert!(!body.contains(TITLE), "{body}");
    assert!(body.contains("临环发〔2024〕1"), "{body}");
}

/// The LibreOffice notice, read from DOCX or DOC.
fn check_libreoffice_notice(n: &DocOut, extractor: &str) {
    assert_eq!(n.extraction.extractor, extractor);
    assert!(n.extraction.chars > 300, "{:?}", n.extraction);
    assert_eq!(n.title, TITLE);
    assert_eq!(n.agency.as_deref(), Some("临河市生态环境局"));
    assert_eq!(n.date.as_deref(), Some("2024-03-15"));
    assert_eq!(n.doc_number.as_deref(), Some("临环发〔2024〕12号"));
    assert_eq!(
        n.outline(),
        [
            "一、检查范围",
            "二、检查内容",
            "  （一）工业企业排放情况",
            "  （二）扬尘污染防控情况",
            "三、工作要求"
        ]
    );
    let body = n.body();
    // A table row is one line; the footer's page number is not body.
    assert!(body.contains("\n序号 检查事项 责任单位\n"), "{body}");
    assert!(body.contains("\n2 建筑工地扬尘 大气环境处\n"), "{body}");
    assert_page_furniture_out_and_head_in(&body);
}

#[test]
fn docx_with_automatic_numbering_and_a_text_box() {
    let sb = Sandbox::new();
    let n = parse(&sb, "notice.docx", &fixture("notice-numbered.docx"));
    check_libreoffice_notice(&n, "docx");
    // The red header is a text box written twice (mc:Choice and
    // mc:Fallback), read once: the agency comes from it.
    assert_eq!(n.agency_source.as_deref(), Some("red header"));
}

#[test]
fn doc_keeps_field_results_and_drops_field_codes() {
    let sb = Sandbox::new();
    let n = parse(&sb, "notice.doc", &fixture("notice-typed.doc"));
    check_libreoffice_notice(&n, "doc");
    let body = n.body();
    assert!(
        body.contains("（详见市局网站，本页为第1页）"),
        "field results kept: {body}"
    );
    assert!(
        !body.contains("HYPERLINK") && !body.contains("PAGE"),
        "{body}"
    );
}

#[test]
fn doc_with_automatic_numbering() {
    let sb = Sandbox::new();
    let n = parse(&sb, "numbered.doc", &fixture("notice-numbered.doc"));
    assert_eq!(n.extraction.extractor, "doc");
    assert_eq!(n.title, TITLE);
    assert_eq!(n.date.as_deref(), Some("2024-03-15"));
    assert_eq!(n.doc_number.as_deref(), Some("临环发〔2024〕12号"));
    // The numbers come from the list tables, not the text.
    assert_eq!(
        n.outline(),
        [
            "一、检查范围",
            "二、检查内容",
            "  （一）工业企业排放情况",
            "  （二）扬尘污染防控情况",
            "三、工作要求"
        ]
    );
    assert!(
        n.body().contains("\n序号 检查事项 责任单位\n"),
        "{}",
        n.body()
    );
}

#[test]
fn a_doc_named_wps_is_read_by_content() {
    let sb = Sandbox::new();
    let n = parse(&sb, "notice.wps", &fixture("notice-typed.doc"));
    assert_eq!(n.extraction.extractor, "doc");
    assert_eq!(n.title, TITLE);
}

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" mc:Ignorable="wps wpsCustomData""#;

/// A paragraph of one run.
fn p(props: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

/// A text box in a run, as WPS and Word write it: a DrawingML shape and
/// its VML fallback, both holding the text.
fn text_box(text: &str) -> String {
    let inner = format!("<w:txbxContent>{}</w:txbxContent>", p("", text));
    format!(
        r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="文本框 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
    )
}

/// A DOCX shaped like WPS Office's: headings numbered through their
/// style's list (一、) and directly (（一）), a red header and a note in
/// text boxes, a running header part, hidden text, a PAGE field and a
/// table.
fn wps_docx() -> Vec<u8> {
    let numbered =
        |lvl: u8| format!(r#"<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr>"#);
    let heading = r#"<w:pStyle w:val="2"/>"#;
    let body = [
        format!(r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#, text_box("临河市生态环境局文件")),
        p(r#"<w:jc w:val="center"/>"#, "临环发〔2024〕13号"),
        p(r#"<w:jc w:val="center"/>"#, "临河市生态环境局关于做好2024年度秸秆禁烧工作的通知"),
        p("", "各乡镇人民政府，各街道办事处："),
        r#"<w:p><w:r><w:t>为切实做好秸秆禁烧工作，现将有关事项通知如下。</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>（内部备注：勿发）</w:t></w:r></w:p>"#
            .to_string(),
        p(heading, "工作目标"),
        p("", "确保全年不发生大面积焚烧秸秆现象。"),
        p(&numbered(1), "强化巡查"),
        p("", "各乡镇要组织力量开展日常巡查。"),
        p(&numbered(1), "严格追责"),
        p("", "对工作不力的单位予以通报。"),
        p(heading, "工作要求"),
        format!(
            r#"<w:p><w:r><w:t>各单位每月报送工作进展</w:t></w:r>{}<w:r><w:t>（第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页）。</w:t></w:r></w:p>"#,
            text_box("（此件公开发布）")
        ),
        r#"<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>乡镇</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>联系人</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>河东镇</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>李某</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        p(r#"<w:jc w:val="right"/>"#, "临河市生态环境局"),
        p(r#"<w:jc w:val="right"/>"#, "2024年5月20日"),
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rId4"/></w:sectPr>"#.to_string(),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>{body}</w:body></w:document>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W_NS}><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W_NS}><w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>"#
    );
    let header = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W_NS}>{}</w:hdr>"#,
        p("", "临河市生态环境局规范性文件汇编")
    );
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        ("word/document.xml", &document),
        ("word/numbering.xml", &numbering),
        ("word/styles.xml", &styles),
        ("word/header1.xml", &header),
    ])
}

#[test]
fn wps_style_docx_numbers_headings_from_styles_and_lists() {
    let sb = Sandbox::new();
    let n = parse(&sb, "wps.docx", &wps_docx());
    assert_eq!(n.extraction.extractor, "docx");
    assert_eq!(
        n.title,
        "临河市生态环境局关于做好2024年度秸秆禁烧工作的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("临河市生态环境局"));
    assert_eq!(n.date.as_deref(), Some("2024-05-20"));
    assert_eq!(n.doc_number.as_deref(), Some("临环发〔2024〕13号"));
    assert_eq!(
        n.outline(),
        [
            "一、工作目标",
            "  （一）强化巡查",
            "  （二）严格追责",
            "二、工作要求"
        ]
    );
    let body = n.body();
    assert_eq!(body.matches("（此件公开发布）").count(), 1, "{body}");
    assert_eq!(body.matches("临河市生态环境局文件").count(), 1, "{body}");
    assert_eq!(body.matches("临环发〔2024〕13号").count(), 1, "{body}");
    assert!(body.contains("各单位每月报送工作进展（第1页）。"), "{body}");
    assert!(body.contains("\n乡镇 联系人\n河东镇 李某\n"), "{body}");
    for absent in ["内部备注", "PAGE", "规范性文件汇编"] {
        assert!(!body.contains(absent), "{absent} in {body}");
    }
}

// ---- OFD ------------------------------------------------------------------

const OFD_NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

/// A `TextObject` drawing `text` with its baseline at `y`, from `x`, every
/// character `size` wide (DeltaX in the `g` form).
fn text_line(x: f64, y: f64, size: f64, text: &str) -> String {
    let n = text.chars().count();
    format!(
        r#"<ofd:TextObject ID="1" Font="2" Size="{size}" Boundary="{x} {} {} {}"><ofd:TextCode X="0" Y="{size}" DeltaX="g {} {size}">{text}</ofd:TextCode></ofd:TextObject>"#,
        y - size,
        n as f64 * size,
        size * 1.3,
        n.saturating_sub(1)
    )
}

/// A paragraph set from `x` (its first line indented by two characters)
/// to the right margin at 182 mm, lines 9 mm apart; the text objects and
/// the baseline after it.
fn text_para(indent: bool, y: f64, text: &str) -> (String, f64) {
    let (left, right, size): (f64, f64, f64) = (28.0, 182.0, 5.6);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let (mut i, mut y) = (0, y);
    let mut first = true;
    while i < chars.len() {
        let x = if first && indent {
            left + 2.0 * size
        } else {
            left
        };
        let fit = ((right - x) / size).floor() as usize;
        let line: String = chars[i..chars.len().min(i + fit)].iter().collect();
        out.push_str(&text_line(x, y, size, &line));
        i += fit;
        y += 9.0;
        first = false;
    }
    (out, y)
}

fn ofd_page(objects: &str, template: Option<&str>) -> String {
    let tpl = template.map_or(String::new(), |id| {
        format!(r#"<ofd:Template TemplateID="{id}" ZOrder="Background"/>"#)
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page {OFD_NS}>{tpl}<ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="9">{objects}</ofd:Layer></ofd:Content></ofd:Page>"#
    )
}

/// A two-page OFD notice: the red header drawn by a template page (with
/// the default namespace, no prefix), the 文号 as two TextCodes split
/// inside the year (`临环发〔202` + `4〕15号`), the date likewise, page
/// numbers at the foot.
fn ofd_notice() -> Vec<u8> {
    let ofd = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {OFD_NS} Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
    );
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document {OFD_NS}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>"#
    );
    let template = r#"<?xml version="1.0" encoding="UTF-8"?><Page xmlns="http://www.ofdspec.org/2016"><Content><Layer ID="6"><TextObject ID="7" Font="2" Size="14" HScale="0.7" Boundary="30 30 150 20"><TextCode X="0" Y="14" DeltaX="g 9 14">临河市生态环境局文件</TextCode></TextObject></Layer></Content></Page>"#;
    let number = r#"<ofd:TextObject ID="3" Font="2" Size="5.6" Boundary="75 62 60 8"><ofd:TextCode X="0" Y="5.6" DeltaX="5.6 5.6 5.6 5.6 2.8 2.8 2.8">临环发〔202</ofd:TextCode><ofd:TextCode X="30.8" Y="5.6" DeltaX="5.6 2.8 2.8">4〕15号</ofd:TextCode></ofd:TextObject>"#;
    let title_size = 7.7;
    let mut page1 = String::from(number);
    page1.push_str(&text_line(
        36.0,
        90.0,
        title_size,
        "临河市生态环境局关于开展2024年度大气",
    ));
    page1.push_str(&text_line(
        56.0,
        102.0,
        title_size,
        "污染防治专项检查的通知",
    ));
    page1.push_str(&text_line(28.0, 120.0, 5.6, "各区（县）生态环境分局："));
    let mut y = 129.0;
    for (indent, t) in [
        (
            true,
            "为持续改善全市空气质量，巩固大气污染防治成果，经研究，决定在全市范围内开展2024年度大气污染防治专项检查。现将有关事项通知如下。",
        ),
        (true, "一、检查范围"),
        (
            true,
            "全市范围内的工业企业、建筑工地、物料堆场和餐饮服务单位。",
        ),
        (true, "二、工作要求"),
        (
            true,
            "各单位要高度重视，于2024年4月30日前完成自查，并将自查报告报送市局大气环境处。",
        ),
    ] {
        let (objects, next) = text_para(indent, y, t);
        page1.push_str(&objects);
        y = next;
    }
    page1.push_str(&text_line(98.0, 280.0, 5.6, "— 1 —"));
    let date = r#"<ofd:TextObject ID="4" Font="2" Size="5.6" Boundary="126 50 40 8"><ofd:TextCode X="0" Y="5.6" DeltaX="g 2 2.8">202</ofd:TextCode><ofd:TextCode X="8.4" DeltaX="5.6 2.8 5.6 2.8 2.8">4年3月15日</ofd:TextCode></ofd:TextObject>"#;
    let mut page2 = text_line(120.0, 46.0, 5.6, "临河市生态环境局");
    page2.push_str(date);
    page2.push_str(&text_line(98.0, 280.0, 5.6, "— 2 —"));
    zip(&[
        ("OFD.xml", &ofd),
        ("Doc_0/Document.xml", &document),
        ("Doc_0/Tpls/Tpl_0/Content.xml", template),
        (
            "Doc_0/Pages/Page_0/Content.xml",
            &ofd_page(&page1, Some("5")),
        ),
        ("Doc_0/Pages/Page_1/Content.xml", &ofd_page(&page2, None)),
    ])
}

#[test]
fn ofd_pages_templates_and_split_text_codes() {
    let sb = Sandbox::new();
    let n = parse(&sb, "notice.ofd", &ofd_notice());
    assert_eq!(n.extraction.extractor, "ofd");
    assert_eq!(n.extraction.pages, Some(2));
    assert!(
        n.extraction.warnings.is_empty(),
        "{:?}",
        n.extraction.warnings
    );
    assert_eq!(n.title, TITLE);
    // The red header is drawn by the template page.
    assert_eq!(n.agency.as_deref(), Some("临河市生态环境局"));
    assert_eq!(n.agency_source.as_deref(), Some("red header"));
    assert_eq!(n.doc_number.as_deref(), Some("临环发〔2024〕15号"));
    assert_eq!(n.date.as_deref(), Some("2024-03-15"));
    assert_eq!(n.outline(), ["一、检查范围", "二、工作要求"]);
    let body = n.body();
    // Lines broken by the layout are one paragraph again; page numbers go.
    assert!(
        body.contains("\n为持续改善全市空气质量，巩固大气污染防治成果，经研究，决定在全市范围内开展2024年度大气污染防治专项检查。现将有关事项通知如下。\n"),
        "{body}"
    );
    assert_page_furniture_out_and_head_in(&body);
}

#[test]
fn ofd_without_text_is_reported_as_such() {
    let sb = Sandbox::new();
    let ofd = format!(
        r#"<ofd:OFD {OFD_NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
    );
    let document = format!(
        r#"<ofd:Document {OFD_NS}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0"/></ofd:Pages></ofd:Document>"#
    );
    let page = ofd_page(
        r#"<ofd:ImageObject ID="2" ResourceID="3" Boundary="0 0 210 297"/>"#,
        None,
    );
    let bytes = zip(&[
        ("OFD.xml", &ofd),
        ("Doc_0/Document.xml", &document),
        ("Doc_0/Pages/Page_0/Content.xml", &page),
    ]);
    sb.add_corpus_file("scan.ofd", &bytes);
    let out = sb.run(&["parse", "--json", "corpus/scan.ofd"]);
    out.assert_code(2);
    assert!(out.stderr.contains("no text layer"), "{}", out.stderr);
}

#[test]
fn damaged_documents_are_skip_reasons() {
    let sb = Sandbox::new();
    let mut cut = fixture("notice-typed.doc");
    cut.truncate(cut.len() / 3);
    let mut docx = fixture("notice-numbered.docx");
    docx.truncate(docx.len() / 2);
    let ofd_no_doc = zip(&[(
        "OFD.xml",
        &format!(
            r#"<ofd:OFD {OFD_NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        ),
    )]);
    let mut encrypted = fixture("notice-typed.doc");
    encrypted_fib(&mut encrypted);
    for (name, bytes, why) in [
        ("cut.doc", cut, "DOC"),
        ("cut.docx", docx, ""),
        ("nodoc.ofd", ofd_no_doc, "OFD: the document"),
        ("locked.doc", encrypted, "encrypted"),
    ] {
        sb.add_corpus_file(name, &bytes);
        let out = sb.run(&["parse", &format!("corpus/{name}")]);
        out.assert_code(2);
        assert!(out.stderr.contains(why), "{name}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
    }
}

/// Set `fEncrypted` in the FIB of the `.doc` in `bytes`: the FIB is the
/// start of the WordDocument stream, found by its `wIdent` and `nFib`.
fn encrypted_fib(bytes: &mut [u8]) {
    let at = bytes
        .windows(4)
        .position(|w| {
            let n_fib = u16::from_le_bytes([w[2], w[3]]);
            w[0] == 0xEC && w[1] == 0xA5 && (0xC0..0x200).contains(&n_fib)
        })
        .expect("the FIB of the fixture");
    bytes[at + 0x0B] |= 0x01;
}
