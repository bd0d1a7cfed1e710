//! Folding that makes different spellings of the same text search alike:
//! the bracket forms of a document number, and traditional characters to
//! simplified ones. Like the rest of normalisation it maps one character to
//! exactly one character, without context, and is applied identically to
//! indexed text and to queries (the stored and displayed text is untouched).
//!
//! ## Traditional → simplified
//!
//! Each Han character is converted on its own by `ferrous-opencc` (OpenCC's
//! `TSCharacters` table, pure Rust, Apache-2.0), and a result is kept only
//! when it is exactly one character; it is then followed to its fixed point
//! (OpenCC has a chain such as 薴 → 苧 → 苎), so folding is idempotent.
//!
//! Why this crate: on 20,000 random 3–6-character Han strings `s` of the
//! corpus's simplified notices, `fold(OpenCC s2t(s)) == fold(s)` holds for
//! 99.85 % of them with its table alone, 99.96 % with the two overrides
//! below (Python OpenCC's own character table: 99.84 %; `fast2s`: 99.70 %);
//! it changes none of those strings (fast2s changes 8), and 4,101 of the
//! 4,105 characters it maps map as Python OpenCC 1.4.2 maps them alone.
//! `fast2s` (MIT) is a smaller table (2,734 entries) that misses common
//! mappings (凈 → 净, 僨 → 偾) and folds standard simplified characters into
//! others (捍 → 扞, 呵 → 嗬, 阪 → 坂, 磐 → 盘). `zhconv` is GPL: not usable.
//! What no character table can fold are the characters that are simplified
//! too and convert only inside a phrase: 覆 (答覆 → 答复, but 覆盖), 藉
//! (藉口 → 借口, but 慰藉); they stay, and `答覆` does not find `答复`.
//!
//! The table is OpenCC's answer for every Han code point, computed by
//! `build.rs` when gongwen is built (with the two overrides below): a search
//! neither loads OpenCC's dictionaries nor converts a character at run time,
//! and folding a character is one array read.

/// The bracket forms a document number (文号) is written with, folded to one
/// pair: 国办发〔2019〕6号, [2019], (2019), （2019）, 【2019】 and ［2019］ all
/// read `(2019)`. Applied after width and NFKC folding, so the small and
/// vertical presentation forms (﹝ ︹ ︻) that NFKC maps onto these fold too.
pub(super) fn bracket(c: char) -> char {
    match c {
        '〔' | '［' | '【' | '[' | '（' => '(',
        '〕' | '］' | '】' | ']' | '）' => ')',
        _ => c,
    }
}

// Single characters folded otherwise than OpenCC's table alone folds them
// (applied in `build.rs`), each because the table's first choice keeps the
// traditional form in the commonest word and OpenCC relies on a phrase to
// convert it:
// * 瞭 stays 瞭 alone, but 瞭解 / 明瞭 are 了解 / 明了 (19 of the 30
//   misses of the measurement above); in simplified text 瞭 is only 瞭望,
//   which is also written 了望, so the two finding each other is a gain;
// * 牴 (牴觸 → 抵触) is not a simplified character; OpenCC ≥ 1.1 folds it
//   alone to 抵 (TSCharactersExt), the bundled table does not.

/// The Han code points with a dense table slot: CJK Extension A and the
/// Unified Ideographs (the supplementary planes, Extensions B–H, fold
/// through a short sorted list). Compatibility ideographs are not here:
/// NFKC folds them first.
const BMP_START: u32 = 0x3400;

include!(concat!(env!("OUT_DIR"), "/t2s_table.rs"));

/// The simplified form of a Han character (itself when it has none, and for
/// every character outside the Han blocks).
pub(super) fn simplified(c: char) -> char {
    let cp = u32::from(c);
    if let Some(&to) = cp
        .checked_sub(BMP_START)
        .and_then(|i| T2S_BMP.get(i as usize))
    {
        match to {
            0 => return c,
            0xffff => {}
            _ => return char::from_u32(u32::from(to)).unwrap_or(c),
        }
    }
    match T2S_OTHER.binary_search_by_key(&cp, |&(from, _)| from) {
        Ok(i) => char::from_u32(T2S_OTHER[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_covered() -> impl Iterator<Item = char> {
        (0x3400..=0x9fff)
            .chain(0x20000..=0x323af)
            .filter_map(char::from_u32)
    }

    #[test]
    fn the_tables_cover_the_bmp_blocks_and_are_sorted_beyond() {
        assert_eq!(T2S_BMP.len(), 0x9fff - 0x3400 + 1);
        assert!(T2S_OTHER.windows(2).all(|w| w[0].0 < w[1].0));
        // outside the Han blocks nothing folds
        for c in ['a', '(', '\u{f900}', '\u{3000}', '\u{10ffff}'] {
            assert_eq!(simplified(c), c);
        }
    }

    #[test]
    fn traditional_folds_to_simplified() {
        for (t, s) in [
            ('關', '关'),
            ('於', '于'),
            ('識', '识'),
            ('態', '态'),
            ('國', '国'),
            ('發', '发'),
            ('凈', '净'),
            ('後', '后'),
            ('瞭', '了'),
            ('牴', '抵'),
            // a chain in OpenCC's table, followed to its end
            ('薴', '苎'),
            ('苧', '苎'),
        ] {
            assert_eq!(simplified(t), s, "{t}");
        }
    }

    #[test]
    fn common_simplified_characters_stay() {
        let text = "关于意识形态工作责任制的通知国务院办公厅发展和改革委员会\
                    捍卫呵护阪磐干部后台复杂覆盖答复借鉴慰藉了解";
        for c in text.chars() {
            assert_eq!(simplified(c), c, "{c}");
        }
    }

    #[test]
    fn folding_is_idempotent_over_every_covered_character() {
        let mut changed = 0;
        for c in all_covered() {
            let f = simplified(c);
            assert_eq!(simplified(f), f, "{c} → {f} → {}", simplified(f));
            changed += usize::from(f != c);
        }
        // the table is there (a failed load would fold nothing)
        assert!(changed > 4000, "{changed} characters fold");
    }

    #[test]
    fn brackets_fold_to_parentheses() {
        for c in "〔［【[（(".chars() {
            assert_eq!(bracket(c), '(');
        }
        for c in "〕］】]）)".chars() {
            assert_eq!(bracket(c), ')');
        }
        assert_eq!(bracket('《'), '《');
        assert_eq!(bracket('〖'), '〖');
    }
}
