//! Anti-copy noise: forums (Discuz's "jammer") hide runs of random
//! characters in a post's lines, invisible on the page and copied with its
//! text: `% l: u0 V/ `( S) K+ `: ^, u4 X国务院办公厅`. A run is short
//! tokens of ASCII letters, digits and symbols, one or two characters each,
//! spaced apart; a text is read without them when it holds several.

use std::sync::OnceLock;

use regex::Regex;

/// Fewest runs that mark a text as salted with noise.
const MIN_RUNS: usize = 3;

/// The text without its noise runs; `None` when it has too few to be
/// salted (the text is read as it is).
pub(crate) fn strip(text: &str) -> Option<String> {
    match strip_runs(text) {
        Some(plain) => Some(strip_lines(&plain).unwrap_or(plain)),
        None => strip_lines(text),
    }
}

/// Fewest lines salted with a token that mark a text as salted.
const MIN_LINES: usize = 4;

/// The other jammer: one random token of a few ASCII characters (or two)
/// after a line's text (`…具体安排通知如下。 |JP'j1 Ka`) and on lines of its
/// own (`};EB[n`). Taken out when at least [`MIN_LINES`] lines, and one in
/// four of the text's lines, carry one; `None` otherwise.
fn strip_lines(text: &str) -> Option<String> {
    let mut salted = 0usize;
    let mut lines = 0usize;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        if body.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        lines += 1;
        if jammer(body.trim()) {
            salted += 1;
            continue;
        }
        // the tail after the line's last Chinese character
        let cut = body
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii())
            .map(|(i, c)| i + c.len_utf8());
        if let Some(cut) = cut
            && body[cut..].starts_with([' ', '\t'])
            && jammer(body[cut..].trim())
        {
            salted += 1;
            out.push_str(&body[..cut]);
            out.push_str(eol);
            continue;
        }
        out.push_str(line);
    }
    (salted >= MIN_LINES && salted * 4 >= lines).then_some(out)
}

/// A token of the second jammer: at most 16 printable ASCII characters in
/// one to three pieces, with a symbol text rarely holds (`}`, `^`, `` ` ``,
/// `|`, `~`, `@` …), not a web or mail address, not a rule of one repeated
/// character (`***`).
fn jammer(s: &str) -> bool {
    const RARE: &str = "{}[]^~`|\\<>@#$%&*+=_!?;'\"";
    let mut chars = s.chars();
    let first = chars.next();
    !s.is_empty()
        && s.len() <= 16
        && s.chars().all(|c| c == ' ' || c.is_ascii_graphic())
        && s.split_whitespace().count() <= 3
        && s.chars().any(|c| RARE.contains(c))
        && !chars.all(|c| Some(c) == first)
        && !s.contains("://")
        && !s.contains("www.")
        && !(s.contains('@') && s.contains('.'))
}

/// The first jammer (see the module's comment).
fn strip_runs(text: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re =
        R.get_or_init(|| Regex::new(r"(?:[!-~]{1,2}[ \t]+){3,}").expect("static noise pattern"));
    let runs: Vec<(usize, usize)> = re
        .find_iter(text)
        .map(|m| (m.start(), m.end() + last_token(&text[m.end()..])))
        .filter(|&(start, end)| is_noise(&text[start..end]))
        .collect();
    if runs.len() < MIN_RUNS {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in runs {
        out.push_str(&text[at..start]);
        at = end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The length of the run's last token at the start of `rest`: one or two
/// ASCII characters standing before a space, the line's end or a Chinese
/// character (`T青政明电`), not the head of a word or a figure; a letter
/// glued to figures is (`G2022年` keeps its year).
fn last_token(rest: &str) -> usize {
    let ascii = rest
        .bytes()
        .take(3)
        .take_while(|b| (b'!'..=b'~').contains(b))
        .count();
    let b = rest.as_bytes();
    if (1..=2).contains(&ascii) {
        ascii
    } else if ascii == 3 && !b[0].is_ascii_digit() && b[1].is_ascii_digit() {
        // a token glued to the figures after it: `G2022年12月8日`
        1
    } else {
        0
    }
}

/// A run of spaced tokens that reads as noise, not as figures (`12 34 56`)
/// or words: four tokens or more, two of them with a symbol, one with a
/// letter.
fn is_noise(run: &str) -> bool {
    let tokens: Vec<&str> = run.split_whitespace().collect();
    let symbols = tokens
        .iter()
        .filter(|t| t.chars().any(|c| c.is_ascii_punctuation()))
        .count();
    tokens.len() >= 4
        && symbols >= 2
        && tokens
            .iter()
            .any(|t| t.chars().any(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_noise_are_taken_out_of_a_salted_text() {
        let text = "青禾县人民政府关于2024年9 P\" o& s, @! ?; R6 f: N+ i5 P8 Q\n\
                    部分节假日安排的通知\n\
                    6 l) ~$ a- v3 H4 D; G6 T% T青政明电〔2024〕6号\n\
                    一、元旦：1月1日放假。( {% P8 ~& I* M0 L# {0 X% C\n\
                    , L6 ~. M6 R7 N& I( G2024年12月8日\n";
        let plain = strip(text).expect("a salted text");
        assert_eq!(
            plain,
            "青禾县人民政府关于2024年\n部分节假日安排的通知\n青政明电〔2024〕6号\n一、元旦：1月1日放假。\n2024年12月8日\n"
        );
    }

    #[test]
    fn tokens_after_lines_and_on_their_own_are_taken_out() {
        let text = "青禾县人民政府办公厅发布通知，全文如下： 9sd}Z,l\n\
                    };EB[n\n\
                    各乡镇人民政府： UI%4d3\n\
                    一、元旦：1月1日放假。 i1A<0W|\n\
                    b!`Ze~V\n\
                    青禾县人民政府办公厅 {XUSw8W'\n\
                    2024年12月1日\n";
        assert_eq!(
            strip(text).expect("a salted text"),
            "青禾县人民政府办公厅发布通知，全文如下：\n各乡镇人民政府：\n一、元旦：1月1日放假。\n\
             青禾县人民政府办公厅\n2024年12月1日\n"
        );
    }

    #[test]
    fn a_few_ascii_ends_are_no_salt() {
        // an address, a mail box, a rule, a figure: the lines stay
        let text = "网址： http://www.example.cn\n邮箱： abc@example.cn\n***\n\
                    电话： (0471)6945483\n正文。 A+\n";
        assert_eq!(strip(text), None);
    }

    #[test]
    fn figures_words_and_a_stray_run_are_left_alone() {
        // spaced figures, an English phrase, one noise-like run alone
        assert_eq!(strip("表中数据为 12 34 56 78 90 和 1 2 3 4。"), None);
        assert_eq!(strip("Q & A: it is a b c d e"), None);
        assert_eq!(strip("说明 a; b, c) d 见附件"), None);
    }
}
