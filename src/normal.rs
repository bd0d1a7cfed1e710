//! Normalisation and folding: what makes different spellings of the same
//! text compare equal. Indexing and queries (`analysis`) fold with it, and so
//! does the notice reader (`notice`), which must recognise a label or a title
//! written in traditional characters or full-width forms without pulling in
//! the search engine. Every fold maps one character to exactly one
//! character, so offsets into normalised text map back to the original.

use unicode_normalization::UnicodeNormalization;

mod fold;

/// Normalise one character: full-width to half-width, lower case, NFKC where
/// NFKC yields exactly one character, every bracket form of a document number
/// to `(` `)`, and traditional Han characters to simplified ones (one by
/// one, through OpenCC's character table). Always one character out, without context: offsets into the
/// normalised text map back to the original character by character.
pub fn norm_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '[' => '(',
        ']' => ')',
        '\0'..='\x7f' => c,
        '\u{4e00}'..='\u{9fff}' => fold::simplified(c),
        '\u{3000}' => ' ',
        _ => fold_rest(fold_width_nfkc(c)),
    }
}

/// Width, NFKC and case folding of a character outside ASCII and the
/// Unified Ideographs.
fn fold_width_nfkc(c: char) -> char {
    if let '\u{ff01}'..='\u{ff5e}' = c {
        let folded = char::from_u32(c as u32 - 0xfee0).unwrap_or(c);
        return folded.to_ascii_lowercase();
    }
    let mut it = std::iter::once(c).nfkc();
    let first = it.next();
    let folded = match (first, it.next()) {
        (Some(f), None) => f,
        _ => c,
    };
    let mut lower = folded.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => folded,
    }
}

/// Bracket and traditional-to-simplified folding of what width and NFKC
/// folding made of a character (NFKC turns compatibility ideographs and
/// presentation-form brackets into the characters these folds know).
fn fold_rest(c: char) -> char {
    fold::simplified(fold::bracket(c))
}

/// Normalise a whole string character by character (see [`norm_char`]).
pub fn normalize(text: &str) -> String {
    text.chars().map(norm_char).collect()
}
