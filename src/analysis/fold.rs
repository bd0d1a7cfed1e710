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
//! Characters are converted lazily, the first time each is seen, into a table
//! of atomics: a search touches a few dozen characters and should not pay the
//! ~10 ms that converting all ~100,000 covered code points up front costs.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

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

/// Single characters folded otherwise than OpenCC's table alone folds them,
/// each because the table's first choice keeps the traditional form in the
/// commonest word and OpenCC relies on a phrase to convert it:
/// * 瞭 stays 瞭 alone, but 瞭解 / 明瞭 are 了解 / 明了 (19 of the 30
///   misses of the measurement above); in simplified text 瞭 is only 瞭望,
///   which is also written 了望, so the two finding each other is a gain;
/// * 牴 (牴觸 → 抵触) is not a simplified character; OpenCC ≥ 1.1 folds it
///   alone to 抵 (TSCharactersExt), the bundled table does not.
const OVERRIDES: &[(char, char)] = &[('瞭', '了'), ('牴', '抵')];

/// The Han code points with a table slot: CJK Extension A and the Unified
/// Ideographs, then the supplementary ideographic planes (Extensions B–H).
/// Compatibility ideographs are not here: NFKC folds them first.
const BMP: std::ops::RangeInclusive<u32> = 0x3400..=0x9fff;
const SUPPLEMENTARY: std::ops::RangeInclusive<u32> = 0x20000..=0x323af;
const SLOTS: usize = (0x9fff - 0x3400 + 1) + (0x323af - 0x20000 + 1);

/// `TABLE[slot(c)]`: 0 until `c` was first folded, then its folded form
/// (never 0: a Han character never folds to U+0000). Racing threads compute
/// the same value, so relaxed loads and stores are enough. All zeros, it
/// lives in zero-initialised memory and costs nothing until written.
static TABLE: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];

fn slot(c: char) -> Option<usize> {
    let cp = u32::from(c);
    if BMP.contains(&cp) {
        Some((cp - BMP.start()) as usize)
    } else if SUPPLEMENTARY.contains(&cp) {
        Some((cp - SUPPLEMENTARY.start()) as usize + BMP.count())
    } else {
        None
    }
}

/// The simplified form of a Han character (itself when it has none, and for
/// every character outside the Han blocks).
pub(super) fn simplified(c: char) -> char {
    let Some(i) = slot(c) else {
        return c;
    };
    let known = TABLE[i].load(Ordering::Relaxed);
    if let Some(folded) = char::from_u32(known).filter(|_| known != 0) {
        return folded;
    }
    let folded = convert(c);
    TABLE[i].store(u32::from(folded), Ordering::Relaxed);
    folded
}

/// OpenCC's t2s converter; `None` if its embedded dictionaries cannot be
/// loaded (they are compiled in, so that would be a broken build: folding
/// then does nothing, on both sides alike, and the unit tests fail).
fn converter() -> Option<&'static OpenCC> {
    static CONVERTER: OnceLock<Option<OpenCC>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// One step of the fold: the override, else OpenCC's conversion of `c` alone
/// when that is exactly one character.
fn step(cc: &OpenCC, c: char) -> char {
    if let Some(&(_, to)) = OVERRIDES.iter().find(|(from, _)| *from == c) {
        return to;
    }
    let mut buf = [0u8; 4];
    let out = cc.convert(c.encode_utf8(&mut buf));
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

#[cold]
fn convert(c: char) -> char {
    let Some(cc) = converter() else {
        return c;
    };
    // Follow the table to a fixed point; a chain longer than a few steps (or
    // a cycle) would be a table error, and then the character is left alone.
    let mut cur = c;
    for _ in 0..4 {
        let next = step(cc, cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_covered() -> impl Iterator<Item = char> {
        BMP.chain(SUPPLEMENTARY).filter_map(char::from_u32)
    }

    #[test]
    fn slots_cover_both_ranges_without_overlap() {
        assert_eq!(slot('\u{3400}'), Some(0));
        assert_eq!(slot('\u{9fff}'), Some(BMP.count() - 1));
        assert_eq!(slot('\u{20000}'), Some(BMP.count()));
        assert_eq!(slot('\u{323af}'), Some(SLOTS - 1));
        assert_eq!(slot('a'), None);
        assert_eq!(slot('\u{f900}'), None);
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
