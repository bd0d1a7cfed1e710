//! OCR of PDF pages without a text layer, through the local Tesseract
//! engine (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`) and
//! poppler's `pdftocairo` to render the pages (its Splash twin, pdftoppm, draws some embedded CJK fonts blank): both are run as programs, so a
//! machine without them loses nothing but this.
//!
//! Each program runs with a time limit; the recognised text is cleaned of
//! the spaces Tesseract puts between Chinese characters and goes through
//! the same text reader as every other notice.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::SkipReason;

/// Pages OCR reads at most in one document (a notice is a few pages; a
/// 300-page scanned book would take an hour).
pub const MAX_PAGES: u32 = 30;
/// How long one page may take to render or to recognise.
const PAGE_LIMIT: Duration = Duration::from_secs(60);
/// Rendering resolution: 五号 (10.5 pt) characters come out ~29 pixels high, enough for Tesseract and half the time of 300.
const DPI: &str = "200";

/// Why OCR cannot run here, or `None` when it can: `pdftoppm` and
/// `tesseract` with its simplified-Chinese model must be installed.
pub fn unavailable() -> Option<String> {
    let langs = Command::new("tesseract")
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output();
    match langs {
        Err(_) => {
            return Some("tesseract is not installed (Debian: tesseract-ocr)".to_string());
        }
        Ok(o) => {
            let all = String::from_utf8_lossy(&o.stdout).into_owned()
                + &String::from_utf8_lossy(&o.stderr);
            if !all.lines().any(|l| l.trim() == "chi_sim") {
                return Some(
                    "tesseract has no simplified-Chinese model (Debian: tesseract-ocr-chi-sim)"
                        .to_string(),
                );
            }
        }
    }
    if Command::new("pdftocairo")
        .arg("-v")
        .stdin(Stdio::null())
        .output()
        .is_err()
    {
        return Some("pdftocairo is not installed (Debian: poppler-utils)".to_string());
    }
    None
}

/// The text of pages `pages` (1-based) of the PDF in `bytes`, page by page.
pub fn pdf_pages(bytes: &[u8], pages: &[u32]) -> Result<Vec<String>, SkipReason> {
    if let Some(why) = unavailable() {
        return Err(SkipReason::Document(format!("cannot OCR: {why}")));
    }
    let dir = tempfile::Builder::new()
        .prefix("gongwen-ocr-")
        .tempdir()
        .map_err(SkipReason::Io)?;
    let pdf = dir.path().join("in.pdf");
    std::fs::write(&pdf, bytes).map_err(SkipReason::Io)?;
    let mut out = Vec::new();
    for &page in pages.iter().take(MAX_PAGES as usize) {
        let n = page.to_string();
        let image = dir.path().join(format!("p{page}"));
        run(
            Command::new("pdftocairo")
                .args([
                    "-r",
                    DPI,
                    "-gray",
                    "-png",
                    "-singlefile",
                    "-f",
                    &n,
                    "-l",
                    &n,
                ])
                .arg(&pdf)
                .arg(&image),
            "pdftocairo",
        )?;
        let png = image.with_extension("png");
        let text = run(
            Command::new("tesseract")
                .arg(&png)
                .args(["stdout", "-l", "chi_sim+eng", "--psm", "3"]),
            "tesseract",
        )?;
        let _ = std::fs::remove_file(&png);
        out.push(unspace(&text));
    }
    Ok(out)
}

/// Run `cmd` to its end within [`PAGE_LIMIT`], its standard output as text.
fn run(cmd: &mut Command, name: &str) -> Result<String, SkipReason> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SkipReason::Document(format!("cannot OCR: cannot run {name}: {e}")))?;
    let mut stdout = child.stdout.take();
    // Read the output on a thread of its own so a full pipe never blocks
    // the program while this one waits for it to end.
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let bytes = reader.join().unwrap_or_default();
                if !status.success() {
                    return Err(SkipReason::Document(format!(
                        "cannot OCR: {name} failed ({status})"
                    )));
                }
                return Ok(String::from_utf8_lossy(&bytes).into_owned());
            }
            Ok(None) if start.elapsed() < PAGE_LIMIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SkipReason::Document(format!(
                    "cannot OCR: {name} took longer than {} s on a page",
                    PAGE_LIMIT.as_secs()
                )));
            }
        }
    }
}

/// Tesseract's Chinese output puts a space between characters: remove a
/// space that has a CJK character or full-width punctuation on either
/// side, keep those between Latin words and numbers.
fn unspace(text: &str) -> String {
    let wide = |c: char| !c.is_ascii();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let chars: Vec<char> = line.trim().chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let before = chars[..i].iter().rev().find(|c| **c != ' ');
                let after = chars[i + 1..].iter().find(|c| **c != ' ');
                if before.is_some_and(|c| wide(*c)) || after.is_some_and(|c| wide(*c)) {
                    continue;
                }
                if out.ends_with(' ') {
                    continue;
                }
            }
            out.push(c);
        }
        if !chars.is_empty() {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_chinese_characters_go_and_latin_spaces_stay() {
        assert_eq!(
            unspace("关 于 做 好 2024 年 工 作 的 通 知\nCOVID 19  test\n\n"),
            "关于做好2024年工作的通知\nCOVID 19 test\n"
        );
    }
}
