//! Fuzz the notice parser on generated hostile pages (issue 11): deeply
//! nested, unclosed, attribute-heavy markup of up to about 1 MB, grown from a
//! small input, parsed as a `.html` file.
//!
//! Input: a list of 4-byte instructions. Each one says what to emit and how
//! often:
//!
//! - byte 0: the kind of run (low 3 bits) and the tag (the rest, an index
//!   into `TAGS`);
//! - byte 1-2: the repetition count (little-endian, up to 65,535);
//! - byte 3: the text to put inside (an index into `TEXTS`).
//!
//! Kinds: nested (`<t>`×n … `</t>`×n), unclosed (`<t>`×n), siblings with
//! a distinct attribute each (`<t id=…>text</t>`), paragraphs that leave a
//! formatting element open (`<p><t id=…>text</p>`), one tag with n
//! attributes, misnested pairs (`<t><div></t>`), stray end tags, and text.
//!
//! Beyond "no panic" the target checks that parsing stays under
//! `MAX_SECONDS_PER_MB` per megabyte (with a floor for small pages), the
//! bound the issue sets for any page: a slower input fails like a crash.
#![no_main]

use std::fmt::Write as _;

use gongwen::notice::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// The generated page stops growing here.
const MAX_PAGE: usize = 1 << 20;
/// Parse time allowed per MB of page in a release build of gongwen (the
/// issue's bound).
const MAX_SECONDS_PER_MB: f64 = 2.0;
/// How much slower the fuzzing build runs the same parse: coverage
/// instrumentation (and AddressSanitizer when it is on) cost 8x on a 1 MB
/// generated page measured both ways (0.88 s against 0.11 s of a release
/// gongwen, user time), so the check here catches blow-ups, and the slowest
/// inputs are timed again with a release build (FUZZING.md).
const FUZZ_BUILD_SLOWDOWN: f64 = 10.0;

const TAGS: &[&str] = &[
    "div", "p", "b", "i", "font", "a", "span", "header", "article", "main", "table", "tr", "td",
    "li", "ul", "h1", "section", "nobr", "em", "strong", "svg", "math", "select", "option",
    "button", "form", "template", "title", "script", "textarea", "object", "dl", "dd", "center",
];

const TEXTS: &[&str] = &["正文", "一、标题", "发布时间：2024年1月2日", "x", " ", "&amp;"];

fn generate(data: &[u8]) -> String {
    let mut page =
        String::from("<!DOCTYPE html><html><head><title>关于测试的通知</title></head><body>");
    for ins in data.chunks_exact(4) {
        let kind = ins[0] & 7;
        let tag = TAGS[usize::from(ins[0] >> 3) % TAGS.len()];
        let count = usize::from(u16::from_le_bytes([ins[1], ins[2]]));
        let extra = usize::from(ins[3]);
        let text = TEXTS[extra % TEXTS.len()];
        let emit = |page: &mut String, i: usize| {
            let _ = match kind {
                0 => write!(page, "<{tag}>"),
                1 => write!(page, "<{tag} class=c{}>", i % 7),
                2 => write!(page, "<{tag} id=x{i}>{text}</{tag}>"),
                3 => write!(page, "<p><{tag} id=x{i}>{text}</p>"),
                4 => write!(page, " a{i}=\"{}\"", i % 10),
                5 => write!(page, "<{tag}><div></{tag}>"),
                6 => write!(page, "</{tag}>"),
                _ => write!(page, "{text}"),
            };
        };
        if kind == 4 {
            page.push('<');
            page.push_str(tag);
        }
        for i in 0..count {
            if page.len() >= MAX_PAGE {
                break;
            }
            emit(&mut page, i);
        }
        if kind == 4 {
            page.push('>');
        }
        if kind == 0 {
            // Nested: close what was opened (unclosed is kind 1).
            for _ in 0..count {
                if page.len() >= MAX_PAGE + (MAX_PAGE >> 1) {
                    break;
                }
                let _ = write!(page, "</{tag}>");
            }
        }
        if page.len() >= MAX_PAGE {
            break;
        }
    }
    page.push_str("<p>结尾的正文段落。</p></body></html>");
    page
}

/// CPU time of this thread: unlike wall-clock time it does not grow when
/// other work shares the machine, so the bound below does not fire falsely.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fuzz_target!(|data: &[u8]| {
    let page = generate(data);
    // `GONGWEN_DUMP_PAGE=page.html notice_html_deep INPUT` writes the page an
    // input generates, to time it with a release `gongwen parse`.
    if let Some(path) = std::env::var_os("GONGWEN_DUMP_PAGE") {
        let _ = std::fs::write(path, &page);
    }
    let start = thread_cpu_seconds();
    let parsed = parse_bytes(page.as_bytes(), "deep.html", FileKind::Html);
    let seconds = thread_cpu_seconds() - start;
    let mb = page.len() as f64 / f64::from(1u32 << 20);
    assert!(
        seconds <= MAX_SECONDS_PER_MB * FUZZ_BUILD_SLOWDOWN * mb.max(0.25),
        "{seconds:.2} s for a page of {mb:.2} MB"
    );
    if let Ok(parsed) = parsed {
        assert_eq!(parsed.notices.len(), 1, "a html file is one notice");
        common::check(&parsed);
    }
});
