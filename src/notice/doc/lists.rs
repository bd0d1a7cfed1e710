//! Word 97 automatic numbering: the number a numbered paragraph shows.
//!
//! A paragraph's properties (PAPX, found through the bin table
//! `PlcBtePapx` and its 512-byte pages, by the stream offset of the
//! paragraph's mark) may name a list override (`sprmPIlfo`, 1-based into
//! `PlfLfo`) and a level (`sprmPIlvl`). The override names a list by its
//! `lsid`; the list (`PlfLst`, its levels following the table) gives each
//! level a start, a number format (`nfc`) and the number text (`xst`, in
//! which the placeholders listed by `rgbxchNums` stand for the counters of
//! the levels they name). Counters run per list, a deeper level starting
//! again after a shallower one, as in [`crate::notice::docx`]'s numbering.
//! Numbering that comes only from a paragraph's style is not read.

use std::collections::HashMap;

use super::super::docx::numbering::format_number;
use super::{u16_at, u32_at};

const LEVELS: usize = 9;
const SPRM_P_ILVL: u16 = 0x260A;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_P_CHG_TABS: u16 = 0xC615;
const FKP: usize = 512;

/// One level of a list.
#[derive(Clone, Debug)]
struct Level {
    start: i64,
    nfc: u8,
    legal: bool,
    no_restart: bool,
    /// What follows the number: 0 a tab, 1 a space, 2 nothing.
    follow: u8,
    /// The number text, placeholders (level indexes) at `places`.
    text: Vec<u16>,
    places: Vec<usize>,
}

/// The numbering of a document, and the counters so far.
#[derive(Default)]
pub struct Lists {
    /// Bin table: stream offsets and the FKP page each run starts.
    bins: Vec<(u32, u32, usize)>,
    lists: HashMap<i32, Vec<Level>>,
    /// Per override (0-based): its list and start overrides per level.
    overrides: Vec<(i32, Vec<(usize, i64)>)>,
    counters: HashMap<i32, [Option<i64>; LEVELS]>,
}

impl Lists {
    /// Read the bin table `papx`, and the lists and overrides that start
    /// `lst` and `lfo` (the table stream from their offsets: a list's
    /// levels follow the list table); whatever cannot be read numbers
    /// nothing.
    pub fn new(papx: Option<&[u8]>, lst: Option<&[u8]>, lfo: Option<&[u8]>) -> Lists {
        let mut l = Lists::default();
        if let Some(plc) = papx.filter(|p| p.len() >= 8) {
            let n = (plc.len() - 4) / 8;
            for i in 0..n {
                let (Some(a), Some(b), Some(pn)) = (
                    u32_at(plc, 4 * i),
                    u32_at(plc, 4 * i + 4),
                    u32_at(plc, 4 * (n + 1) + 4 * i),
                ) else {
                    break;
                };
                l.bins.push((a, b, (pn & 0x003F_FFFF) as usize));
            }
        }
        let (Some(lst), Some(lfo)) = (lst, lfo) else {
            return l;
        };
        l.read_lists(lst);
        l.read_overrides(lfo);
        l
    }

    /// `PlfLst`: the count, the LSTF records, then each list's levels.
    fn read_lists(&mut self, b: &[u8]) -> Option<()> {
        let count = usize::from(u16_at(b, 0)?).min(4096);
        let mut lstf = Vec::with_capacity(count);
        for i in 0..count {
            let at = 2 + 28 * i;
            let lsid = u32_at(b, at)? as i32;
            let simple = b.get(at + 26)? & 1 != 0;
            lstf.push((lsid, if simple { 1 } else { LEVELS }));
        }
        let mut pos = 2 + 28 * count;
        for (lsid, n) in lstf {
            let mut levels = Vec::with_capacity(n);
            for _ in 0..n {
                let (level, next) = read_level(b, pos)?;
                levels.push(level);
                pos = next;
            }
            self.lists.insert(lsid, levels);
        }
        Some(())
    }

    /// `PlfLfo`: the count, the LFO records, then each one's level
    /// overrides (a start, or a whole level to skip).
    fn read_overrides(&mut self, b: &[u8]) -> Option<()> {
        let count = (u32_at(b, 0)? as usize).min(4096);
        let mut heads = Vec::with_capacity(count);
        for i in 0..count {
            let at = 4 + 16 * i;
            heads.push((u32_at(b, at)? as i32, usize::from(*b.get(at + 12)?)));
        }
        let mut pos = 4 + 16 * count;
        for (lsid, n) in heads {
            let mut starts = Vec::new();
            // LFOData: a CP, then the level overrides.
            pos += 4;
            for _ in 0..n.min(LEVELS) {
                let start = i64::from(u32_at(b, pos)? as i32);
                let flags = u32_at(b, pos + 4)?;
                pos += 8;
                let level = (flags & 0xF) as usize;
                if flags & 0x10 != 0 && level < LEVELS {
                    starts.push((level, start.clamp(0, 1_000_000)));
                }
                if flags & 0x20 != 0 {
                    pos = read_level(b, pos)?.1;
                }
            }
            self.overrides.push((lsid, starts));
        }
        Some(())
    }

    /// The number of the paragraph whose mark lies at stream offset `fc`
    /// (with what follows it), counting it; `None` when it has none.
    pub fn number(&mut self, word: &[u8], fc: u32) -> Option<String> {
        let (ilfo, ilvl) = self.list_of(word, fc)?;
        let (lsid, starts) = self.overrides.get(ilfo.checked_sub(1)?)?.clone();
        let levels = self.lists.get(&lsid)?;
        let level = levels.get(ilvl)?;
        if level.nfc == 0x17 {
            return None;
        }
        let counters = self.counters.entry(lsid).or_default();
        let start = |i: usize| {
            starts
                .iter()
                .find(|(l, _)| *l == i)
                .map_or_else(|| levels.get(i).map_or(1, |l| l.start), |s| s.1)
        };
        counters[ilvl] = Some(match counters[ilvl] {
            Some(c) => (c + 1).min(1_000_000),
            None => start(ilvl),
        });
        for (d, l) in levels.iter().enumerate().skip(ilvl + 1) {
            if !l.no_restart {
                counters[d] = None;
            }
        }
        let mut out = String::new();
        for (k, &u) in level.text.iter().enumerate() {
            if level.places.contains(&(k + 1)) && usize::from(u) < LEVELS {
                let i = usize::from(u);
                let value = counters[i].unwrap_or_else(|| start(i));
                let nfc = if level.legal {
                    0
                } else {
                    levels.get(i).map_or(0, |l| l.nfc)
                };
                out.push_str(&format_number(value, nfc_name(nfc)));
            } else {
                out.extend(char::decode_utf16([u]).filter_map(Result::ok));
            }
        }
        let out = out.trim().to_string();
        if out.is_empty() {
            return None;
        }
        if level.follow != 2 && out.chars().last().is_some_and(|c| c.is_ascii()) {
            return Some(out + " ");
        }
        Some(out)
    }

    /// The list override and level in the properties of the paragraph
    /// whose mark is at `fc`.
    fn list_of(&self, word: &[u8], fc: u32) -> Option<(usize, usize)> {
        let i = self.bins.partition_point(|b| b.1 <= fc);
        let &(_, _, pn) = self.bins.get(i).filter(|b| b.0 <= fc)?;
        let page = word.get(pn.checked_mul(FKP)?..pn.checked_mul(FKP)? + FKP)?;
        let crun = usize::from(page[FKP - 1]);
        let j = (0..crun).find(|&j| {
            matches!((u32_at(page, 4 * j), u32_at(page, 4 * j + 4)), (Some(a), Some(b)) if a <= fc && fc < b)
        })?;
        let offset = 2 * usize::from(*page.get(4 * (crun + 1) + 13 * j)?);
        if offset == 0 {
            return None;
        }
        let cb = usize::from(*page.get(offset)?);
        let (at, len) = if cb != 0 {
            (offset + 1, 2 * cb - 1)
        } else {
            (offset + 2, 2 * usize::from(*page.get(offset + 1)?))
        };
        // The style index, then the properties.
        let grpprl = page.get(at + 2..at + len)?;
        let (mut ilfo, mut ilvl) = (None, 0);
        let mut p = 0;
        while p + 2 <= grpprl.len() {
            let sprm = u16_at(grpprl, p)?;
            let arg = p + 2;
            let size = match sprm >> 13 {
                0 | 1 => 1,
                2 | 4 | 5 => 2,
                3 => 4,
                7 => 3,
                _ if sprm == SPRM_T_DEF_TABLE => usize::from(u16_at(grpprl, arg)?) + 1,
                _ if sprm == SPRM_P_CHG_TABS && *grpprl.get(arg)? == 255 => return None,
                _ => usize::from(*grpprl.get(arg)?) + 1,
            };
            match sprm {
                SPRM_P_ILFO => ilfo = Some(usize::from(u16_at(grpprl, arg)?)),
                SPRM_P_ILVL => ilvl = usize::from(*grpprl.get(arg)?),
                _ => {}
            }
            p = arg + size;
        }
        let ilfo = ilfo.filter(|&i| i > 0 && i < 0xF000)?;
        Some((ilfo, ilvl.min(LEVELS - 1)))
    }
}

/// A level (LVL) at `pos`: its fixed part, two property groups skipped,
/// its number text; with the offset after it.
fn read_level(b: &[u8], pos: usize) -> Option<(Level, usize)> {
    let fixed = b.get(pos..pos + 28)?;
    let flags = fixed[5];
    let places: Vec<usize> = fixed[6..15]
        .iter()
        .take_while(|&&x| x != 0)
        .map(|&x| usize::from(x))
        .collect();
    let chpx = usize::from(fixed[24]);
    let papx = usize::from(fixed[25]);
    let xst = pos + 28 + papx + chpx;
    let n = usize::from(u16_at(b, xst)?);
    let text = (0..n)
        .map(|k| u16_at(b, xst + 2 + 2 * k))
        .collect::<Option<Vec<u16>>>()?;
    let level = Level {
        start: i64::from(u32_at(fixed, 0)? as i32).clamp(0, 1_000_000),
        nfc: fixed[4],
        legal: flags & 0x04 != 0,
        no_restart: flags & 0x08 != 0,
        follow: fixed[15],
        text,
        places,
    };
    Some((level, xst + 2 + 2 * n))
}

/// The `w:numFmt` name of a Word 97 number format code.
fn nfc_name(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        0x0A => "ideographDigital",
        0x0B => "japaneseCounting",
        0x0E => "decimalFullWidth",
        0x12 => "decimalEnclosedCircle",
        0x13 => "decimalFullWidth2",
        0x16 => "decimalZero",
        0x1A => "decimalEnclosedFullstop",
        0x1B => "decimalEnclosedParen",
        0x1C => "decimalEnclosedCircleChinese",
        0x1D => "ideographEnclosedCircle",
        0x1E => "ideographTraditional",
        0x1F => "ideographZodiac",
        0x20 => "ideographZodiacTraditional",
        0x21 => "taiwaneseCounting",
        0x22 => "ideographLegalTraditional",
        0x23 => "taiwaneseCountingThousand",
        0x24 => "taiwaneseDigital",
        0x25 => "chineseCounting",
        0x26 => "chineseLegalSimplified",
        0x27 => "chineseCountingThousand",
        0xFF => "none",
        _ => "decimal",
    }
}
