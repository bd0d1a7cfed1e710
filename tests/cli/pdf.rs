//! Issue 15: PDF notices through the real binary. The PDFs are assembled
//! here, object by object (a [`Pdf`] builder), so that each hard case is
//! exactly what it claims: Chinese text in the predefined CMaps 公文
//! typesetters use without a ToUnicode map (UniGB-UCS2-H, GBK-EUC-H), a
//! running header and page numbers, a two-column page, an encrypted file,
//! a page without text, a thousand pages, a file cut short. The texts are
//! made up.

use serde::Deserialize;

use crate::harness::{HeadingOut, Sandbox};

/// How a piece of text is encoded in the content stream.
#[derive(Clone, Copy)]
enum Cmap {
    /// UCS-2 big-endian codes (`/UniGB-UCS2-H`).
    Ucs2,
    /// GBK bytes (`/GBK-EUC-H`).
    Gbk,
}

/// One text run: x, y from the top of an A4 page, font size, text.
type Run = (f64, f64, f64, String);

/// A PDF assembled from pages of text runs, in one non-embedded Chinese CID
/// font (Adobe-GB1) addressed through a predefined CMap, with no ToUnicode.
struct Pdf {
    cmap: Cmap,
    pages: Vec<Vec<Run>>,
    /// An `/Encrypt` entry in the trailer (a password-protected file).
    encrypted: bool,
    /// Pages that draw only a filled rectangle (a scan stands in).
    image_only: bool,
}

impl Pdf {
    fn new(cmap: Cmap) -> Pdf {
        Pdf {
            cmap,
            pages: Vec::new(),
            encrypted: false,
            image_only: false,
        }
    }

    fn page(mut self, runs: Vec<Run>) -> Pdf {
        self.pages.push(runs);
        self
    }

    fn hex(&self, text: &str) -> String {
        let bytes: Vec<u8> = match self.cmap {
            Cmap::Ucs2 => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            Cmap::Gbk => encoding_rs::GBK.encode(text).0.into_owned(),
        };
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    fn bytes(&self) -> Vec<u8> {
        let encoding = match self.cmap {
            Cmap::Ucs2 => "UniGB-UCS2-H",
            Cmap::Gbk => "GBK-EUC-H",
        };
        let n = self.pages.len();
        // objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor,
        // then page i at 6 + 2i and its content at 7 + 2i
        let mut objects: Vec<String> = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {n} >>",
                (0..n)
                    .map(|i| format!("{} 0 R", 6 + 2 * i))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /{encoding} /DescendantFonts [4 0 R] >>"
            ),
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>".into(),
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>".into(),
        ];
        for (i, runs) in self.pages.iter().enumerate() {
            let mut content = String::new();
            if self.image_only {
                content.push_str("0.5 g 50 50 495 742 re f\n");
            } else {
                for (x, y, size, text) in runs {
                    content.push_str(&format!(
                        "BT /F1 {size} Tf 1 0 0 1 {x} {} Tm <{}> Tj ET\n",
                        842.0 - y,
                        self.hex(text)
                    ));
                }
            }
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}endstream",
                content.len()
            ));
        }
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        let encrypt = if self.encrypted {
            " /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> /U <FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210> >> /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]"
        } else {
            ""
        };
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

fn run(x: f64, y: f64, size: f64, text: &str) -> Run {
    (x, y, size, text.to_string())
}

/// A body paragraph of 16-point text between x = 90 and 506 (26
/// characters a line): the first line indented two characters.
fn paragraph(y: &mut f64, text: &str) -> Vec<Run> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let (x, n) = if first { (122.0, 24) } else { (90.0, 26) };
        let end = (i + n).min(chars.len());
        out.push(run(x, *y, 16.0, &chars[i..end].iter().collect::<String>()));
        *y += 28.0;
        i = end;
        first = false;
    }
    out
}

/// A two-page 通知 in the 公文 layout: red header, 文号, a title over two
/// lines, headings, wrapped paragraphs, signature and date, page numbers
/// `- N -` at the foot.
fn notice(cmap: Cmap) -> Pdf {
    let mut p1 = vec![
        run(130.0, 120.0, 36.0, "青禾县人民政府办公室文件"),
        run(220.0, 200.0, 16.0, "青政办发〔2024〕17号"),
        run(120.0, 260.0, 22.0, "青禾县人民政府办公室关于做好汛期"),
        run(200.0, 292.0, 22.0, "安全防范工作的通知"),
        run(90.0, 340.0, 16.0, "各乡镇人民政府，县政府各部门："),
    ];
    let mut y = 368.0;
    p1.extend(paragraph(
        &mut y,
        "为切实做好今年汛期安全防范工作，保障人民群众生命财产安全，经县政府同意，现将有关事项通知如下。",
    ));
    p1.push(run(122.0, y, 16.0, "一、压实防汛责任"));
    y += 28.0;
    p1.extend(paragraph(
        &mut y,
        "各乡镇、各部门要严格落实防汛行政首长负责制，主要负责同志要亲自部署、亲自检查，确保责任落实到具体岗位和具体人员，不留空档。",
    ));
    p1.push(run(280.0, 800.0, 14.0, "- 1 -"));
    let mut y = 80.0;
    let mut p2 = vec![run(122.0, y, 16.0, "二、加强隐患排查")];
    y += 28.0;
    p2.extend(paragraph(
        &mut y,
        "要组织力量对水库、山塘、地质灾害隐患点开展拉网式排查，发现问题立即整改，一时难以整改的要落实临时管控措施。",
    ));
    p2.push(run(330.0, y + 60.0, 16.0, "青禾县人民政府办公室"));
    p2.push(run(350.0, y + 88.0, 16.0, "2024年6月3日"));
    p2.push(run(280.0, 800.0, 14.0, "- 2 -"));
    Pdf::new(cmap).page(p1).page(p2)
}

/// What `parse --json` prints that these tests read.
#[derive(Debug, Deserialize)]
struct PdfOut {
    title: String,
    agency: Option<String>,
    date: Option<String>,
    doc_number: Option<String>,
    headings: Vec<HeadingOut>,
    sections: Vec<SectionOut>,
    extraction: ExtractionOut,
}

#[derive(Debug, Deserialize)]
struct SectionOut {
    text: String,
}

#[derive(Debug, Deserialize)]
struct ExtractionOut {
    extractor: String,
    pages: Option<u32>,
    chars: usize,
    #[serde(default)]
    warnings: Vec<String>,
}

impl PdfOut {
    fn text(&self) -> String {
        self.sections.iter().map(|s| s.text.as_str()).collect()
    }
}

fn parse(sb: &Sandbox, name: &str, bytes: &[u8]) -> crate::harness::Run {
    sb.add_corpus_file(name, bytes);
    sb.run(&["parse", "--json", &format!("corpus/{name}")])
}

fn parse_ok(name: &str, pdf: &Pdf) -> PdfOut {
    let sb = Sandbox::new();
    let out = parse(&sb, name, &pdf.bytes());
    out.assert_code(0);
    out.json()
}

fn assert_notice(n: &PdfOut) {
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于做好汛期安全防范工作的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-06-03"));
    assert_eq!(n.doc_number.as_deref(), Some("青政办发〔2024〕17号"));
    let heads: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(heads, ["压实防汛责任", "加强隐患排查"]);
    assert_eq!(n.extraction.extractor, "pdf");
    assert_eq!(n.extraction.pages, Some(2));
    let text = n.text();
    // lines broken by the layout are joined: phrases across line ends match
    assert!(text.contains("确保责任落实到具体岗位和具体人员"), "{text}");
    // page numbers are gone
    assert!(!text.contains("- 1 -") && !text.contains("- 2 -"), "{text}");
}

#[test]
fn issue15_pdf_with_predefined_ucs2_cmap_and_no_tounicode() {
    assert_notice(&parse_ok("notice.pdf", &notice(Cmap::Ucs2)));
}

#[test]
fn issue15_pdf_with_gbk_cmap_and_no_tounicode() {
    assert_notice(&parse_ok("notice-gbk.pdf", &notice(Cmap::Gbk)));
}

#[test]
fn issue15_running_header_and_page_footer_are_dropped() {
    let mut pdf = Pdf::new(Cmap::Ucs2);
    for n in 1..=3 {
        let mut runs = vec![
            run(
                200.0,
                50.0,
                12.0,
                &format!("青禾县人民政府公报 2024年第{n}期"),
            ),
            run(260.0, 810.0, 12.0, &format!("第{n}页 共3页")),
        ];
        let mut y = 120.0;
        if n == 1 {
            runs.push(run(
                130.0,
                90.0,
                22.0,
                "青禾县人民政府关于公布第一批县级非遗名录的通知",
            ));
        }
        runs.extend(paragraph(
            &mut y,
            &format!("这是第{n}页的正文，公布名录共计十二项，请各地认真做好保护传承工作。"),
        ));
        pdf = pdf.page(runs);
    }
    let n = parse_ok("gazette.pdf", &pdf);
    let text = n.text();
    assert!(!text.contains("公报"), "running header left in: {text}");
    assert!(!text.contains("共3页"), "page footer left in: {text}");
    assert!(text.contains("这是第3页的正文"), "{text}");
    assert_eq!(n.title, "青禾县人民政府关于公布第一批县级非遗名录的通知");
}

#[test]
fn issue15_two_column_page_is_read_column_by_column() {
    let mut runs = vec![run(
        150.0,
        60.0,
        20.0,
        "青禾县人民政府关于表彰先进集体的决定",
    )];
    let left = [
        "左栏一行",
        "左栏二行",
        "左栏三行",
        "左栏四行",
        "左栏五行",
        "左栏六行",
    ];
    let right = [
        "右栏一行",
        "右栏二行",
        "右栏三行",
        "右栏四行",
        "右栏五行",
        "右栏六行",
    ];
    for (i, (l, r)) in left.iter().zip(right).enumerate() {
        let y = 120.0 + 24.0 * i as f64;
        runs.push(run(60.0, y, 14.0, l));
        runs.push(run(320.0, y, 14.0, r));
    }
    let n = parse_ok("columns.pdf", &Pdf::new(Cmap::Ucs2).page(runs));
    let text = n.text();
    let last_left = text.find("左栏六行").expect("left column read");
    let first_right = text.find("右栏一行").expect("right column read");
    assert!(last_left < first_right, "columns interleaved: {text}");
    assert_eq!(n.title, "青禾县人民政府关于表彰先进集体的决定");
}

#[test]
fn issue15_a_page_without_text_is_reported_as_such_and_index_goes_on() {
    let mut scan = notice(Cmap::Ucs2);
    scan.image_only = true;
    let sb = Sandbox::new();
    let out = parse(&sb, "scan.pdf", &scan.bytes());
    out.assert_code(2);
    assert!(out.stderr.contains("scan.pdf"), "{}", out.stderr);
    assert!(out.stderr.contains("no text layer"), "{}", out.stderr);
    // the run over the folder indexes the others and names the skipped file
    let index = sb.index_cmd(&["--json"]);
    index.assert_code(0);
    let first: IndexRun = index.json();
    assert_eq!(
        first
            .skipped_reason("scan.pdf")
            .map(|r| r.contains("no text layer")),
        Some(true),
        "{first:?}"
    );
    // the next run names it again, with the same reason, without reading
    // the unchanged file again
    let again: IndexRun = sb.index_cmd(&["--json"]).json();
    let reason = again.skipped_reason("scan.pdf").unwrap_or_default();
    assert!(
        reason.contains("no text layer") && reason.contains("unchanged since it was last read"),
        "{again:?}"
    );
    // once the file changes it is read again: now with text, it is indexed
    sb.add_corpus_file("scan.pdf", &notice(Cmap::Ucs2).bytes());
    let fixed: IndexRun = sb.index_cmd(&["--json"]).json();
    assert_eq!(fixed.skipped_reason("scan.pdf"), None, "{fixed:?}");
    assert_eq!(fixed.indexed, again.indexed + 1, "{fixed:?}");
}

/// `gongwen index --json`: what a test of skipped files reads.
#[derive(Debug, serde::Deserialize)]
struct IndexRun {
    indexed: u64,
    updated: u64,
    skipped_files: Vec<SkippedOut>,
}

#[derive(Debug, serde::Deserialize)]
struct SkippedOut {
    path: String,
    reason: String,
}

impl IndexRun {
    fn skipped_reason(&self, name: &str) -> Option<String> {
        self.skipped_files
            .iter()
            .find(|s| s.path.ends_with(name))
            .map(|s| s.reason.clone())
    }
}

#[test]
fn issue15_encrypted_and_truncated_pdfs_are_skipped_with_a_reason() {
    let sb = Sandbox::new();
    let mut locked = notice(Cmap::Ucs2);
    locked.encrypted = true;
    let out = parse(&sb, "locked.pdf", &locked.bytes());
    out.assert_code(2);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stderr.contains("locked.pdf"), "{}", out.stderr);

    let whole = notice(Cmap::Ucs2).bytes();
    for cut in [10, whole.len() / 3, whole.len() / 2, whole.len() - 40] {
        let out = parse(&sb, "cut.pdf", &whole[..cut]);
        assert!(
            !out.stderr.contains("panicked"),
            "cut at {cut}: {}",
            out.stderr
        );
        assert!(
            out.code == 0 || out.code == 2,
            "cut at {cut}: exit {}",
            out.code
        );
    }
}

#[test]
fn issue15_a_thousand_page_pdf_is_read_whole() {
    let mut pdf = Pdf::new(Cmap::Ucs2);
    pdf = pdf.page(vec![run(120.0, 100.0, 22.0, "青禾县年鉴编纂工作的通知")]);
    for n in 2..=1000 {
        let mut y = 100.0;
        pdf = pdf.page(paragraph(&mut y, &format!("第{n}页记载的内容。")));
    }
    let n = parse_ok("thick.pdf", &pdf);
    assert_eq!(n.extraction.pages, Some(1000));
    assert!(n.text().contains("第1000页记载的内容"));
    assert!(n.extraction.chars > 8000);
    assert!(
        n.extraction.warnings.is_empty(),
        "{:?}",
        n.extraction.warnings
    );
}

/// A file of tests/fixtures/docs (made by scripts/make-scan-fixture.sh).
fn doc_fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether Tesseract with its Chinese model and poppler's pdftocairo are
/// installed (the OCR test needs them; Debian: tesseract-ocr
/// tesseract-ocr-chi-sim poppler-utils).
fn ocr_installed() -> bool {
    let langs = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output();
    let chi = langs.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l.trim() == "chi_sim")
    });
    chi && std::process::Command::new("pdftocairo")
        .arg("-v")
        .output()
        .is_ok()
}

#[test]
fn issue15_a_scan_is_read_by_ocr_when_asked() {
    let bytes = doc_fixture("scan.pdf");
    let sb = Sandbox::new();
    // without --ocr: named and skipped, with the reason
    let out = parse(&sb, "scan.pdf", &bytes);
    out.assert_code(2);
    assert!(out.stderr.contains("no text layer"), "{}", out.stderr);
    if !ocr_installed() {
        eprintln!("skipped the OCR part: tesseract (chi_sim) or pdftocairo is not installed");
        return;
    }
    let out = sb.run(&["parse", "--json", "--ocr", "corpus/scan.pdf"]);
    out.assert_code(0);
    let n: PdfOut = out.json();
    assert_eq!(n.title, "青禾县农业农村局关于开展春季动物防疫工作的通知");
    assert_eq!(n.agency.as_deref(), Some("青禾县农业农村局"));
    assert_eq!(n.date.as_deref(), Some("2024-03-18"));
    assert_eq!(n.extraction.extractor, "pdf+ocr");
    let heads: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(heads, ["全面开展集中免疫", "加强疫情监测报告"]);
    // a run without OCR records it as skipped; index --ocr reads it all
    // the same, and search finds its words
    let plain: IndexRun = sb.index_cmd(&["--json"]).json();
    assert!(plain.skipped_reason("scan.pdf").is_some(), "{plain:?}");
    sb.index_cmd(&["--quiet", "--ocr"]).assert_code(0);
    let found = sb.search_json(&["动物防疫"], 0);
    assert!(found.total >= 1, "{found:?}");
}

#[test]
fn issue15_a_scanned_page_among_typeset_ones_is_read_by_ocr_in_its_place() {
    // page 1 typeset, page 2 (the second heading, the signature and the
    // date) an image: see scripts/make-scan-fixture.sh
    let bytes = doc_fixture("mixed.pdf");
    let sb = Sandbox::new();
    // without --ocr: the typeset page is read, the other named
    let out = parse(&sb, "mixed.pdf", &bytes);
    out.assert_code(0);
    let n: PdfOut = out.json();
    assert_eq!(n.title, "青禾县水利局关于做好汛前安全检查工作的通知");
    assert_eq!(n.extraction.extractor, "pdf");
    assert_eq!(
        n.extraction.warnings,
        ["no text on page(s) 2 (scanned?)"],
        "{n:?}"
    );
    assert!(!n.text().contains("整改要求"), "{n:?}");
    if !ocr_installed() {
        eprintln!("skipped the OCR part: tesseract (chi_sim) or pdftocairo is not installed");
        return;
    }
    let out = sb.run(&["parse", "--json", "--ocr", "corpus/mixed.pdf"]);
    out.assert_code(0);
    let n: PdfOut = out.json();
    assert_eq!(n.extraction.extractor, "pdf+ocr");
    assert_eq!(n.extraction.pages, Some(2));
    assert!(
        n.extraction
            .warnings
            .iter()
            .any(|w| w.contains("read by OCR")),
        "{n:?}"
    );
    // the scanned page's heading, signature and date take their places
    let heads: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(heads, ["检查范围", "整改要求"]);
    assert_eq!(n.date.as_deref(), Some("2024-04-02"));
    let text = n.text();
    let first = text.find("在建水利工程").expect("page 1 text");
    let second = text.find("隐患").expect("page 2 text read by OCR");
    assert!(first < second, "{text}");
    // indexed without OCR, the scanned page's words are not found; a later
    // run with --ocr reads the unchanged file again, and they are
    sb.index_cmd(&["--quiet"]).assert_code(0);
    assert_eq!(sb.search_json(&["隐患"], 1).total, 0);
    let ocr: IndexRun = sb.index_cmd(&["--json", "--ocr"]).json();
    assert_eq!(ocr.updated, 1, "{ocr:?}");
    assert_eq!(sb.search_json(&["隐患"], 0).total, 1);
    // and once read with OCR, it is not read again
    let again: IndexRun = sb.index_cmd(&["--json", "--ocr"]).json();
    assert_eq!(again.updated, 0, "{again:?}");
}
