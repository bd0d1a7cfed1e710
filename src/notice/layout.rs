//! Fixed-layout pages (PDF, OFD) into the plain-text layout.
//!
//! A page reader hands over pieces of text with their positions; this module
//! rebuilds what a reader sees: visual lines (pieces on one baseline, in
//! order across the page), the columns of a two-column page, paragraphs
//! (a line that runs to the right margin continues on the next line unless
//! that one is indented or starts a numbered heading), and without the page
//! furniture (page numbers such as `- 3 -` or `第3页 共5页`, and a running
//! header or footer repeated on the pages).
//!
//! Lines that do not reach the margin — a red header, a 文号 line, a
//! centred title, a heading, a signature — stay lines of their own, so the
//! title, agency and date rules read a PDF as they read a pasted page.

use std::sync::LazyLock;

use regex::Regex;

/// A run of text the page draws at one place.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// Left edge, in page units.
    pub x: f64,
    /// Baseline, measured down from the top of the page.
    pub y: f64,
    /// Width of the run (0 when the reader does not know it).
    pub width: f64,
    /// Font size (the height of a character).
    pub size: f64,
    /// The text.
    pub text: String,
}

/// One page's pieces.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// Height of the page, in the pieces' units (0 when unknown).
    pub height: f64,
    /// The text drawn on the page, in any order.
    pub pieces: Vec<Piece>,
}

/// A visual line: pieces on one baseline, left to right.
#[derive(Clone, Debug)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// Starts right of the body's left margin (a new paragraph's indent).
    indented: bool,
}

/// The text of `pages` in the plain-text layout: one paragraph or short
/// line per line, page furniture removed.
pub fn text_of(pages: &[Page]) -> String {
    let mut per_page: Vec<Vec<Line>> = pages.iter().map(page_lines).collect();
    drop_furniture(&mut per_page, pages);
    let margins = Margins::of(per_page.iter().flatten());
    let mut out: Vec<Line> = Vec::new();
    let mut continues = false;
    for lines in per_page {
        for (i, line) in paragraphs(lines, &margins).into_iter().enumerate() {
            // A paragraph that ran to the margin at the foot of a page goes
            // on at the top of the next, if that line is not indented.
            if i == 0
                && continues
                && !line.indented
                && !starts_block(&line.text)
                && let Some(last) = out.last_mut()
            {
                join_text(&mut last.text, &line.text);
                last.x1 = line.x1;
                continue;
            }
            out.push(line);
        }
        continues = out.last().is_some_and(|l| l.x1 < 0.0);
    }
    let mut text = String::new();
    for l in out {
        text.push_str(l.text.trim());
        text.push('\n');
    }
    text
}

/// The page's lines in reading order (columns read one after the other).
fn page_lines(page: &Page) -> Vec<Line> {
    let mut pieces: Vec<&Piece> = page
        .pieces
        .iter()
        .filter(|p| !p.text.trim().is_empty() && p.size > 0.0 && p.x.is_finite() && p.y.is_finite())
        .collect();
    pieces.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Baselines within a third of the font size are one line (a run raised
    // or lowered a little, a footnote mark, stays on it).
    let mut rows: Vec<Vec<&Piece>> = Vec::new();
    for p in pieces {
        match rows.last_mut() {
            Some(row) if (p.y - row[0].y).abs() <= 0.35 * p.size.min(row[0].size) => row.push(p),
            _ => rows.push(vec![p]),
        }
    }
    let rows: Vec<Vec<Vec<&Piece>>> = rows.into_iter().map(split_row).collect();
    match gutter(&rows) {
        Some(g) => read_columns(rows, g),
        None => rows.into_iter().flatten().map(line_of).collect(),
    }
}

/// A row's pieces left to right, cut where a gap wider than three
/// characters separates them (two columns, or a table's cells).
fn split_row(mut row: Vec<&Piece>) -> Vec<Vec<&Piece>> {
    row.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut out: Vec<Vec<&Piece>> = Vec::new();
    for p in row {
        match out.last_mut() {
            Some(seg) if p.x - right(seg) <= 3.0 * p.size => seg.push(p),
            _ => out.push(vec![p]),
        }
    }
    out
}

fn right(seg: &[&Piece]) -> f64 {
    seg.iter().map(|p| p.x + width(p)).fold(f64::MIN, f64::max)
}

/// A piece's width; estimated from its characters when the reader gave none.
fn width(p: &Piece) -> f64 {
    if p.width > 0.0 {
        return p.width;
    }
    p.text
        .chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum::<f64>()
        * p.size
}

/// The x of a gutter between two columns: a vertical band that many rows
/// have text on both sides of and few rows cross.
fn gutter(rows: &[Vec<Vec<&Piece>>]) -> Option<f64> {
    let segs = rows.iter().flatten();
    let left = segs.clone().map(|s| s[0].x).fold(f64::MAX, f64::min);
    let right_edge = segs.map(|s| right(s)).fold(f64::MIN, f64::max);
    let span = right_edge - left;
    if span.is_nan() || span <= 0.0 || rows.len() < 6 {
        return None;
    }
    // The best band: the most rows with text on both sides; the gutter is
    // the middle of the widest run of such x (so that a line spanning the
    // page crosses it).
    let mut best: Option<(usize, f64, f64)> = None;
    let mut prev_x = f64::NAN;
    for k in 30..=70 {
        let x = left + span * f64::from(k) / 100.0;
        let (mut both, mut cross) = (0, 0);
        for row in rows {
            if row.iter().any(|s| s[0].x < x && right(s) > x) {
                cross += 1;
            } else if row.iter().any(|s| right(s) <= x) && row.iter().any(|s| s[0].x >= x) {
                both += 1;
            }
        }
        // Two columns: most rows have text on both sides; the few that
        // cross are a title or a heading spanning the page.
        if both * 2 >= rows.len() && cross * 4 <= rows.len() {
            match &mut best {
                Some((b, _, end)) if both == *b && *end == prev_x => *end = x,
                Some((b, _, _)) if both <= *b => {}
                _ => best = Some((both, x, x)),
            }
        }
        prev_x = x;
    }
    best.map(|(_, a, b)| (a + b) / 2.0)
}

/// Rows of a two-column page in reading order: between two lines that span
/// the page, the left column's lines, then the right column's.
fn read_columns(rows: Vec<Vec<Vec<&Piece>>>, gutter: f64) -> Vec<Line> {
    let mut out = Vec::new();
    let (mut left, mut right_col): (Vec<Line>, Vec<Line>) = (Vec::new(), Vec::new());
    for row in rows {
        if row.iter().any(|s| s[0].x < gutter && right(s) > gutter) {
            out.append(&mut left);
            out.append(&mut right_col);
            out.extend(row.into_iter().map(line_of));
            continue;
        }
        let (l, r): (Vec<_>, Vec<_>) = row.into_iter().partition(|s| right(s) <= gutter);
        if !l.is_empty() {
            left.push(line_of(l.into_iter().flatten().collect()));
        }
        if !r.is_empty() {
            right_col.push(line_of(r.into_iter().flatten().collect()));
        }
    }
    out.append(&mut left);
    out.append(&mut right_col);
    out
}

/// Join a segment's pieces into one line: a space where the page leaves
/// one between words (Latin, numbers), none between Chinese characters
/// however widely they are spaced (a letter-spaced title `通  知`).
fn line_of(seg: Vec<&Piece>) -> Line {
    let mut text = String::new();
    let mut x1 = f64::MIN;
    let mut size: f64 = 0.0;
    for p in &seg {
        if !text.is_empty() {
            let gap = p.x - x1;
            let before = text.chars().last();
            let after = p.text.trim_start().chars().next();
            let han = |c: Option<char>| c.is_some_and(|c| super::is_han(c) || !c.is_ascii());
            if gap > 0.2 * p.size && !(han(before) && han(after)) && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&p.text);
        x1 = x1.max(p.x + width(p));
        size = size.max(p.size);
    }
    // An indent typed as spaces (`　　为切实…`, common in Word's PDFs)
    // starts the line where its first character is drawn.
    let x0 = seg.first().map_or(0.0, |p| {
        let lead: f64 = p
            .text
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum();
        p.x + lead * p.size
    });
    Line {
        x0,
        x1,
        y: seg.first().map_or(0.0, |p| p.y),
        size,
        text: text.trim().to_string(),
        indented: false,
    }
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(
            [-—–－~～\s]*\d{1,4}[-—–－~～\s]*                 # 3, - 3 -, — 3 —
          | 第\s*\d{1,4}\s*页(\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?  # 第3页 共5页
          | 共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页
          | \d{1,4}\s*[/／]\s*\d{1,4}                         # 3/5
          | (?i:page)\s*\d{1,4}(\s*(?i:of)\s*\d{1,4})?
        )$",
    )
    .expect("page number pattern")
});

/// Remove page numbers at the top or foot of a page, and a running header
/// or footer: a line in the top or bottom band repeated on several pages
/// (digits aside, so `XX市人民政府公报 第3期` repeats too).
fn drop_furniture(pages: &mut [Vec<Line>], sizes: &[Page]) {
    // The first or last line of a page.
    let edge = |lines: &[Line], l: &Line| -> bool {
        let (top, bottom) = lines
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), l| (a.min(l.y), b.max(l.y)));
        l.y <= top + 0.001 || l.y >= bottom - 0.001
    };
    // In the top or bottom tenth of the page, where headers and footers go.
    let outer = |page: &Page, l: &Line| -> bool {
        page.height > 0.0 && (l.y < 0.1 * page.height || l.y > 0.9 * page.height)
    };
    let shape = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for (lines, page) in pages.iter().zip(sizes) {
        let mut on_page: Vec<String> = lines
            .iter()
            .filter(|l| outer(page, l))
            .map(|l| shape(&l.text))
            .collect();
        on_page.sort();
        on_page.dedup();
        for s in on_page {
            *seen.entry(s).or_default() += 1;
        }
    }
    let n_pages = pages.len();
    let repeated = |s: &str| n_pages >= 3 && seen.get(s).is_some_and(|&n| n * 2 > n_pages);
    for (lines, page) in pages.iter_mut().zip(sizes) {
        let drop: Vec<bool> = lines
            .iter()
            .map(|l| {
                let number = PAGE_NUMBER.is_match(l.text.trim());
                (number && (edge(lines, l) || outer(page, l)))
                    || (outer(page, l) && repeated(&shape(&l.text)))
            })
            .collect();
        let mut k = 0;
        lines.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }
}

/// Join the lines of a page into paragraphs. A line ending within a
/// character or two of the right margin continues on the next line when
/// that line starts at the left margin, in the same size, not much further
/// down, and does not open a numbered heading. A line left open at the end
/// is marked by a negative `x1` for the next page.
fn paragraphs(lines: Vec<Line>, m: &Margins) -> Vec<Line> {
    let (left, right_margin, body) = (m.left, m.right, m.body);
    let mut out: Vec<Line> = Vec::new();
    let mut open = false;
    let mut prev_y = f64::MIN;
    for mut line in lines {
        line.indented = line.x0 - left > 0.5 * line.size;
        let full = line.x1 >= right_margin - 1.5 * line.size;
        let step = line.y - prev_y;
        let goes_on = open
            && !line.indented
            && step > 0.0
            && step <= 2.2 * line.size
            && out
                .last()
                .is_some_and(|l| (l.size - line.size).abs() <= 0.15 * line.size)
            && !starts_block(&line.text);
        // A title set larger than the body and broken over lines (the
        // second often centred and short: `（试行第九版）`) is one line; a
        // red header above it is set larger still, so it stays apart.
        let title_goes_on = line.size >= 1.15 * body
            && step > 0.0
            && step <= 2.0 * line.size
            && out
                .last()
                .is_some_and(|l| (l.size - line.size).abs() <= 0.05 * line.size)
            && !starts_block(&line.text);
        let goes_on = goes_on || title_goes_on;
        prev_y = line.y;
        if goes_on && let Some(last) = out.last_mut() {
            join_text(&mut last.text, &line.text);
            last.x1 = line.x1;
            last.y = line.y;
        } else {
            out.push(line);
        }
        open = full;
    }
    if open && let Some(last) = out.last_mut() {
        last.x1 = -1.0;
    }
    out
}

/// Where the body's lines start and end, and its font size, over the whole
/// document (one page may hold too few lines to tell).
struct Margins {
    /// The most common left edge.
    left: f64,
    /// The right edge nine lines in ten stay within (a justified body's
    /// lines all end there; a wide table may end further right).
    right: f64,
    /// The size most characters are set in.
    body: f64,
}

impl Margins {
    fn of<'a>(lines: impl Iterator<Item = &'a Line> + Clone) -> Margins {
        let left = mode(lines.clone().map(|l| l.x0));
        let mut ends: Vec<f64> = lines.clone().map(|l| l.x1).collect();
        ends.sort_by(f64::total_cmp);
        let right = ends
            .get((ends.len() * 9 / 10).min(ends.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0);
        let mut counts: Vec<(f64, usize)> = Vec::new();
        for l in lines {
            let n = l.text.chars().count();
            match counts.iter_mut().find(|(s, _)| (*s - l.size).abs() < 0.5) {
                Some((_, c)) => *c += n,
                None => counts.push((l.size, n)),
            }
        }
        let body = counts
            .into_iter()
            .max_by_key(|&(_, n)| n)
            .map_or(0.0, |(s, _)| s);
        Margins { left, right, body }
    }
}

/// The most common left edge (to a tenth of a unit's rounding), the
/// leftmost one on a tie.
fn mode(xs: impl Iterator<Item = f64>) -> f64 {
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for x in xs {
        let k = (x * 0.5).round() as i64;
        match counts.iter_mut().find(|(c, _)| *c == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(0.0, |(k, _)| k as f64 * 2.0)
}

static BLOCK_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*([一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[．.、]\D|[（(]\d{1,2}[)）]|第[一二三四五六七八九十百零〇\d]+[章节条]|附件|附：)",
    )
    .expect("block start pattern")
});

/// A line that opens a heading, an article or an attachment: never the
/// continuation of the line before.
fn starts_block(text: &str) -> bool {
    BLOCK_START.is_match(text)
}

/// Append a continuation line: with a space between two Latin words, none
/// between Chinese characters.
fn join_text(text: &mut String, next: &str) {
    let next = next.trim();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(text.chars().last()) && latin(next.chars().next()) {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(x: f64, y: f64, text: &str) -> Piece {
        Piece {
            x,
            y,
            width: text.chars().count() as f64 * 16.0,
            size: 16.0,
            text: text.to_string(),
        }
    }

    #[test]
    fn wrapped_lines_join_and_short_lines_stay() {
        // body: left margin 90, right margin 90 + 26 chars
        let page = Page {
            height: 842.0,
            pieces: vec![
                piece(150.0, 100.0, "关于做好安全生产工作的通知"),
                piece(90.0, 150.0, "各乡镇人民政府："),
                piece(
                    122.0,
                    180.0,
                    "为切实做好本年度安全生产工作，现将有关事项具体通知如",
                ),
                piece(90.0, 210.0, "下。"),
                piece(122.0, 240.0, "一、加强组织领导"),
                piece(
                    122.0,
                    270.0,
                    "各单位要高度重视，主要负责同志亲自抓，分管负责同志具",
                ),
                piece(90.0, 300.0, "体抓。"),
                piece(290.0, 800.0, "- 2 -"),
            ],
        };
        let text = text_of(&[page]);
        assert_eq!(
            text,
            "关于做好安全生产工作的通知\n各乡镇人民政府：\n为切实做好本年度安全生产工作，现将有关事项具体通知如下。\n一、加强组织领导\n各单位要高度重视，主要负责同志亲自抓，分管负责同志具体抓。\n"
        );
    }

    #[test]
    fn a_large_title_over_two_lines_is_one_line_and_the_red_header_stays_apart() {
        let big = |x: f64, y: f64, size: f64, t: &str| Piece {
            x,
            y,
            width: t.chars().count() as f64 * size,
            size,
            text: t.to_string(),
        };
        let mut pieces = vec![
            big(100.0, 80.0, 36.0, "某某县人民政府文件"),
            piece(230.0, 140.0, "某政发〔2024〕3号"),
            big(120.0, 200.0, 22.0, "某某县人民政府关于印发安全生产"),
            big(180.0, 232.0, 22.0, "工作方案的通知"),
        ];
        for i in 0..6 {
            pieces.push(piece(122.0, 300.0 + 30.0 * f64::from(i), "正文正文。"));
        }
        let text = text_of(&[Page {
            height: 842.0,
            pieces,
        }]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            &lines[..3],
            &[
                "某某县人民政府文件",
                "某政发〔2024〕3号",
                "某某县人民政府关于印发安全生产工作方案的通知"
            ]
        );
    }

    #[test]
    fn an_indent_typed_as_ideographic_spaces_starts_a_paragraph() {
        let page = Page {
            height: 842.0,
            pieces: vec![
                piece(
                    90.0,
                    100.0,
                    "　　第一段的文字写满了一整行，直到右边的页边距为止啊啊啊",
                ),
                piece(90.0, 130.0, "第一段结束。"),
                piece(
                    90.0,
                    160.0,
                    "　　第二段的文字写满了一整行，直到右边的页边距为止啊啊啊",
                ),
                piece(90.0, 190.0, "第二段结束。"),
            ],
        };
        let text = text_of(&[page]);
        assert_eq!(
            text.lines().count(),
            2,
            "two paragraphs, each joined: {text}"
        );
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut pieces = vec![piece(200.0, 60.0, "某某市人民政府公报")];
        for i in 0..8 {
            let y = 100.0 + 20.0 * f64::from(i);
            pieces.push(piece(40.0, y, &format!("左栏第{i}行")));
            pieces.push(piece(320.0, y, &format!("右栏第{i}行")));
        }
        let text = text_of(&[Page {
            height: 842.0,
            pieces,
        }]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "某某市人民政府公报");
        assert_eq!(lines[1], "左栏第0行");
        assert_eq!(lines[8], "左栏第7行");
        assert_eq!(lines[9], "右栏第0行");
    }

    #[test]
    fn running_headers_and_page_numbers_go() {
        let body = "正文满行正文满行正文满行正文满行正文满行正文满";
        let pages: Vec<Page> = (1..=3)
            .map(|n| Page {
                height: 842.0,
                pieces: vec![
                    piece(200.0, 30.0, &format!("某某县人民政府公报 第{n}期")),
                    piece(
                        122.0,
                        400.0,
                        "正文满行正文满行正文满行正文满行正文满行正文满",
                    ),
                    piece(90.0, 430.0, &format!("第{n}页的正文。")),
                    piece(250.0, 820.0, &format!("第{n}页 共3页")),
                ],
            })
            .collect();
        assert_eq!(
            text_of(&pages),
            format!("{body}第1页的正文。\n{body}第2页的正文。\n{body}第3页的正文。\n")
        );
    }

    #[test]
    fn latin_pieces_keep_their_spaces_and_han_letter_spacing_goes() {
        let page = Page {
            height: 842.0,
            pieces: vec![
                piece(200.0, 100.0, "通"),
                piece(260.0, 100.0, "知"),
                Piece {
                    x: 90.0,
                    y: 140.0,
                    width: 40.0,
                    size: 16.0,
                    text: "Vero".into(),
                },
                Piece {
                    x: 136.0,
                    y: 140.0,
                    width: 24.0,
                    size: 16.0,
                    text: "E6".into(),
                },
            ],
        };
        assert_eq!(text_of(&[page]), "通知\nVero E6\n");
    }
}
