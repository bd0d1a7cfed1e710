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
    fn figures_words_and_a_stray_run_are_left_alone() {
        // spaced figures, an English phrase, one noise-like run alone
        assert_eq!(strip("表中数据为 12 34 56 78 90 和 1 2 3 4。"), None);
        assert_eq!(strip("Q & A: it is a b c d e"), None);
        assert_eq!(strip("说明 a; b, c) d 见附件"), None);
    }
}
