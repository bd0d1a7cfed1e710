//! Generates the traditional → simplified character table that
//! `src/normal/fold.rs` folds with, from `ferrous-opencc`'s embedded
//! OpenCC dictionaries (see that module for why this crate and these rules).
//!
//! Done here rather than at run time because every search would otherwise
//! load and decompress OpenCC's dictionaries and convert each character it
//! meets one by one: about a millisecond of a 7 ms query. The table is
//! OpenCC's own answer for every Han code point, computed once per build.

use std::fmt::Write as _;
use std::path::PathBuf;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Keep in step with `fold.rs`: the ranges with a table slot.
const BMP: std::ops::RangeInclusive<u32> = 0x3400..=0x9fff;
const SUPPLEMENTARY: std::ops::RangeInclusive<u32> = 0x20000..=0x323af;
/// A dense slot's value for "the fold is in `T2S_OTHER`" (U+FFFF is a
/// noncharacter, never a fold's result).
const ELSEWHERE: u16 = 0xffff;

/// Single characters folded otherwise than OpenCC's table alone folds them
/// (the reasons are in `fold.rs`).
const OVERRIDES: &[(char, char)] = &[('瞭', '了'), ('牴', '抵')];

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

/// The step followed to its fixed point (OpenCC has chains such as
/// 薴 → 苧 → 苎), so folding is idempotent; a chain longer than a few steps,
/// or a cycle, would be a table error, and the character is left alone.
fn fold(cc: &OpenCC, c: char) -> char {
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

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let cc = OpenCC::from_config(BuiltinConfig::T2s)
        .expect("ferrous-opencc's embedded t2s dictionaries load");
    // Dense for the BMP ranges (0 = the character stays), pairs beyond it.
    let mut bmp = vec![0u16; BMP.clone().count()];
    let mut other: Vec<(u32, u32)> = Vec::new();
    for cp in BMP.chain(SUPPLEMENTARY) {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let to = fold(&cc, c);
        if to == c {
            continue;
        }
        let dense = BMP.contains(&cp).then(|| (cp - BMP.start()) as usize);
        match (dense, u16::try_from(u32::from(to))) {
            (Some(i), Ok(small)) if small != 0 && small != ELSEWHERE => bmp[i] = small,
            (dense, _) => {
                // an Extension A character with an Extension B+ form (㑮 →
                // 𫝈): its dense slot says where to look
                if let Some(i) = dense {
                    bmp[i] = ELSEWHERE;
                }
                other.push((cp, u32::from(to)));
            }
        }
    }
    let mut src = String::new();
    let _ = writeln!(
        src,
        "/// `T2S_BMP[c - 0x3400]`: the simplified form of `c`, 0 when it stays,\n\
         /// 0xffff when it is beyond the BMP (then in `T2S_OTHER`)."
    );
    let _ = writeln!(src, "static T2S_BMP: [u16; {}] = [", bmp.len());
    for row in bmp.chunks(16) {
        let line: Vec<String> = row.iter().map(u16::to_string).collect();
        let _ = writeln!(src, "    {},", line.join(", "));
    }
    let _ = writeln!(src, "];");
    let _ = writeln!(
        src,
        "/// Folds the BMP table cannot hold, sorted by the first code point."
    );
    let _ = writeln!(src, "static T2S_OTHER: [(u32, u32); {}] = [", other.len());
    for (from, to) in &other {
        let _ = writeln!(src, "    ({from:#x}, {to:#x}),");
    }
    let _ = writeln!(src, "];");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("t2s_table.rs"), src).expect("OUT_DIR is writable");
}
