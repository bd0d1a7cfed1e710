//! Word 97–2003 binary documents (`.doc`, and WPS Office's `.wps`, which
//! is the same format): the main text in the plain-text layout.
//!
//! The file is an OLE2 compound file (read with the `cfb` crate). Its
//! `WordDocument` stream starts with the File Information Block, which
//! says how long the main text is (`ccpText`), whether the file is
//! encrypted, and where in the table stream (`0Table` or `1Table`) the
//! piece table lies: the CLX, whose pieces map runs of character positions
//! to bytes of `WordDocument`, each piece either 8-bit (Windows-1252) or
//! UTF-16LE — Chinese text is always the latter ([MS-DOC] 2.4.1, 2.5.1,
//! 2.9.38).
//!
//! In the text, a paragraph ends with 0x0D and a table cell with 0x07
//! (a row's end is a second 0x07); a field is 0x13 code 0x14 result 0x15,
//! of which the result is what Word shows. Automatically numbered
//! paragraphs get their numbers from the list tables ([`lists`]).
//! Headers, footers, notes and text boxes are other stories after the
//! main text and are not read.

use std::io::{Cursor, Read};

mod lists;

use super::SkipReason;
use super::document::Extracted;
use lists::Lists;

const LABEL: &str = "DOC";

/// `wIdent` of a Word document's FIB.
const WORD_IDENT: u16 = 0xA5EC;
/// The lowest `nFib` of the Word 97 format (earlier: Word 6/95).
const NFIB_97: u16 = 0x00C0;
/// FibBase flags.
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TABLE: u16 = 0x0200;
/// The index of `fcClx`/`lcbClx` among the FIB's (fc, lcb) pairs.
const CLX_PAIR: usize = 33;
/// The indexes of `fcPlcfBtePapx`, `fcPlfLst` and `fcPlfLfo`.
const PAPX_PAIR: usize = 13;
const LST_PAIR: usize = 73;
const LFO_PAIR: usize = 74;
/// The index of `ccpText` in the FIB's 32-bit values.
const CCP_TEXT: usize = 3;
/// Bit of a piece's `fc` for 8-bit text.
const FC_COMPRESSED: u32 = 0x4000_0000;

fn fail(what: impl std::fmt::Display) -> SkipReason {
    SkipReason::Document(format!("{LABEL}: {what}"))
}

/// The text of the DOC file in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| fail(format!("broken compound file: {e}")))?;
    if cf.is_stream("EncryptedPackage") {
        return Err(SkipReason::Document(
            "DOCX: encrypted (a password is needed to read it)".to_string(),
        ));
    }
    if !cf.is_stream("WordDocument") {
        return Err(fail(
            "not a Word document (no WordDocument stream: a spreadsheet, a presentation, or an old WPS file?)",
        ));
    }
    let word = read_stream(&mut cf, "WordDocument")?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(fail("encrypted (a password is needed to read it)"));
    }
    // The FIB names the table stream; a file whose writer got the flag
    // wrong has only the other one.
    let names = if fib.table_one {
        ["1Table", "0Table"]
    } else {
        ["0Table", "1Table"]
    };
    let table_name = names
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| fail("the table stream is missing"))?;
    let table = read_stream(&mut cf, table_name)?;
    let clx = usize::try_from(fib.fc_clx)
        .ok()
        .zip(usize::try_from(fib.lcb_clx).ok())
        .and_then(|(at, len)| table.get(at..at.checked_add(len)?))
        .filter(|c| !c.is_empty())
        .ok_or_else(|| fail("the piece table lies outside the table stream"))?;
    let pieces = pieces(clx)?;
    let units = main_text(&word, &pieces, fib.ccp_text);
    let from = |(fc, lcb): (u32, u32)| table.get(fc as usize..).filter(|_| lcb > 0);
    let mut lists = Lists::new(
        fib.papx_bins
            .and_then(|(fc, lcb)| table.get(fc as usize..(fc as usize).checked_add(lcb as usize)?)),
        fib.lists.and_then(from),
        fib.overrides.and_then(from),
    );
    let text = plain(&units, &word, &mut lists);
    if !text.chars().any(char::is_alphanumeric) {
        return Err(SkipReason::Empty);
    }
    Ok(Extracted {
        text,
        pages: None,
        warnings: Vec::new(),
        blank_pages: Vec::new(),
    })
}

/// A stream of the compound file, in full (at most as large as the largest
/// file read: a stream's sector chain is validated, but its stated size is
/// not).
fn read_stream(
    cf: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<u8>, SkipReason> {
    let limit = super::MAX_FILE_BYTES;
    let mut out = Vec::new();
    cf.open_stream(name)
        .and_then(|s| s.take(limit).read_to_end(&mut out))
        .map_err(|e| fail(format!("cannot read the {name} stream: {e}")))?;
    Ok(out)
}

/// What the reader needs of the File Information Block.
#[derive(Debug, PartialEq)]
struct Fib {
    encrypted: bool,
    table_one: bool,
    ccp_text: u32,
    fc_clx: u32,
    lcb_clx: u32,
    /// (fc, lcb) of the paragraph bin table, the lists and their overrides.
    papx_bins: Option<(u32, u32)>,
    lists: Option<(u32, u32)>,
    overrides: Option<(u32, u32)>,
}

pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

impl Fib {
    /// The FIB at the start of the `WordDocument` stream: FibBase (32
    /// bytes), then three arrays each led by its count — 16-bit values,
    /// 32-bit values, (fc, lcb) pairs.
    fn parse(word: &[u8]) -> Result<Fib, SkipReason> {
        let short = || fail("the file information block is cut short");
        if u16_at(word, 0).ok_or_else(short)? != WORD_IDENT {
            return Err(fail("not a Word document (unknown file information block)"));
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & F_ENCRYPTED != 0 {
            return Ok(Fib {
                encrypted: true,
                table_one: false,
                ccp_text: 0,
                fc_clx: 0,
                lcb_clx: 0,
                papx_bins: None,
                lists: None,
                overrides: None,
            });
        }
        if n_fib < NFIB_97 {
            return Err(fail(
                "a Word 6/95 document (only Word 97 and later are read)",
            ));
        }
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw_at = 34 + 2 * csw;
        let cslw = usize::from(u16_at(word, lw_at).ok_or_else(short)?);
        let ccp_text = if cslw > CCP_TEXT {
            u32_at(word, lw_at + 2 + 4 * CCP_TEXT).ok_or_else(short)?
        } else {
            return Err(short());
        };
        let pairs_at = lw_at + 2 + 4 * cslw;
        let pairs = usize::from(u16_at(word, pairs_at).ok_or_else(short)?);
        if pairs <= CLX_PAIR {
            return Err(short());
        }
        let clx_at = pairs_at + 2 + 8 * CLX_PAIR;
        let pair = |i: usize| {
            let at = pairs_at + 2 + 8 * i;
            (i < pairs)
                .then(|| Some((u32_at(word, at)?, u32_at(word, at + 4)?)))
                .flatten()
        };
        Ok(Fib {
            papx_bins: pair(PAPX_PAIR),
            lists: pair(LST_PAIR),
            overrides: pair(LFO_PAIR),
            encrypted: false,
            table_one: flags & F_WHICH_TABLE != 0,
            ccp_text,
            fc_clx: u32_at(word, clx_at).ok_or_else(short)?,
            lcb_clx: u32_at(word, clx_at + 4).ok_or_else(short)?,
        })
    }
}

/// A piece: character positions `cp..end` stored from byte `at` of the
/// `WordDocument` stream, one byte a character when `compressed`.
#[derive(Debug, PartialEq)]
struct PieceRef {
    cp: u32,
    end: u32,
    at: usize,
    compressed: bool,
}

/// The pieces of a CLX: property runs (`clxt` 1) skipped, then the piece
/// table (`clxt` 2): n + 1 character positions and n 8-byte descriptors.
fn pieces(clx: &[u8]) -> Result<Vec<PieceRef>, SkipReason> {
    let bad = || fail("damaged piece table");
    let mut pos = 0usize;
    let plc = loop {
        match clx.get(pos) {
            Some(1) => {
                let cb = usize::from(u16_at(clx, pos + 1).ok_or_else(bad)?);
                pos += 3 + cb;
            }
            Some(2) => {
                let lcb = u32_at(clx, pos + 1).ok_or_else(bad)? as usize;
                let start = pos + 5;
                let plc = start
                    .checked_add(lcb)
                    .and_then(|end| clx.get(start..end))
                    .ok_or_else(bad)?;
                break plc;
            }
            _ => return Err(bad()),
        }
    };
    if plc.len() < 4 {
        return Err(bad());
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(cp), Some(end)) = (u32_at(plc, 4 * i), u32_at(plc, 4 * i + 4)) else {
            return Err(bad());
        };
        let fc = u32_at(plc, 4 * (n + 1) + 8 * i + 2).ok_or_else(bad)?;
        if end <= cp {
            continue;
        }
        let compressed = fc & FC_COMPRESSED != 0;
        let at = if compressed {
            ((fc & !FC_COMPRESSED) / 2) as usize
        } else {
            fc as usize
        };
        out.push(PieceRef {
            cp,
            end,
            at,
            compressed,
        });
    }
    Ok(out)
}

/// The characters at positions `0..ccp_text` (the main story) as UTF-16
/// units, each with its offset in the `WordDocument` stream (which the
/// paragraph properties are found by); bytes a piece names beyond the
/// stream are not there to read. Pieces that overlap one read before are
/// skipped, and no more characters are read than the stream has bytes
/// (every character takes one at least), so crafted pieces cannot
/// multiply the text.
fn main_text(word: &[u8], pieces: &[PieceRef], ccp_text: u32) -> Vec<(u16, u32)> {
    let mut out = Vec::new();
    let mut next_cp = 0;
    let mut budget = word.len();
    for p in pieces {
        if p.cp >= ccp_text || p.cp < next_cp || budget == 0 {
            continue;
        }
        next_cp = p.end;
        let count = ((p.end.min(ccp_text) - p.cp) as usize).min(budget);
        budget -= count;
        let rest = word.get(p.at..).unwrap_or_default();
        if p.compressed {
            for (k, &b) in rest.iter().take(count).enumerate() {
                let one = [b];
                let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
                let unit = s.encode_utf16().next().unwrap_or(0xFFFD);
                out.push((unit, offset(p.at + k)));
            }
        } else {
            for (k, c) in rest.chunks_exact(2).take(count).enumerate() {
                out.push((u16::from_le_bytes([c[0], c[1]]), offset(p.at + 2 * k)));
            }
        }
    }
    out
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Field markers.
const FIELD_BEGIN: u16 = 0x13;
const FIELD_SEPARATOR: u16 = 0x14;
const FIELD_END: u16 = 0x15;
/// Fields nest; deeper than this (only a crafted file) they are read flat.
const MAX_FIELD_DEPTH: usize = 64;
const PARAGRAPH_END: u16 = 0x0D;
const CELL_END: u16 = 0x07;

/// The main text in the plain-text layout: each paragraph with its
/// automatic number (`lists`), field codes out (their results kept), a
/// line break a line end, a table row one line with its cells separated
/// by a space, other control characters out; lines trimmed, empty ones
/// dropped.
fn plain(units: &[(u16, u32)], word: &[u8], lists: &mut Lists) -> String {
    let mut text = String::with_capacity(units.len() * 2);
    let mut para = String::new();
    // For each open field: still in its code (before the separator)?
    let mut fields: Vec<bool> = Vec::new();
    let mut cell_ended = false;
    let mut high: Option<u16> = None;
    for &(u, fc) in units {
        match u {
            FIELD_BEGIN => {
                if fields.len() < MAX_FIELD_DEPTH {
                    fields.push(true);
                }
                continue;
            }
            FIELD_SEPARATOR => {
                if let Some(f) = fields.last_mut() {
                    *f = false;
                }
                continue;
            }
            FIELD_END => {
                fields.pop();
                continue;
            }
            _ => {}
        }
        let mark = u == PARAGRAPH_END || u == CELL_END;
        if !mark && fields.iter().any(|&in_code| in_code) {
            continue;
        }
        if mark {
            // The number shows before a paragraph that has text.
            if !para.trim().is_empty()
                && let Some(n) = lists.number(word, fc)
            {
                text.push_str(&n);
            }
            text.push_str(&para);
            para.clear();
            let was_cell_end = std::mem::replace(&mut cell_ended, u == CELL_END);
            // A second cell mark ends the row.
            text.push(if u == CELL_END && !was_cell_end {
                ' '
            } else {
                '\n'
            });
            continue;
        }
        cell_ended = false;
        let c = match (high.take(), u) {
            (None, 0xD800..=0xDBFF) => {
                high = Some(u);
                continue;
            }
            (Some(h), 0xDC00..=0xDFFF) => char::decode_utf16([h, u])
                .next()
                .and_then(Result::ok)
                .unwrap_or('\u{FFFD}'),
            (_, u) => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
        };
        match c {
            '\u{b}' | '\u{c}' | '\u{e}' => para.push('\n'),
            '\t' | '\u{a0}' => para.push(' '),
            '\u{1e}' => para.push('-'),
            c if c.is_control() => {}
            // Symbol-font characters draw nothing readable.
            '\u{F000}'..='\u{F0FF}' => {}
            c => para.push(c),
        }
    }
    text.push_str(&para);
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    impl PieceRef {
        fn clone_at(&self, cp: u32) -> PieceRef {
            PieceRef {
                cp,
                end: cp + (self.end - self.cp),
                at: self.at,
                compressed: self.compressed,
            }
        }
    }

    fn plain_of(raw: &str) -> String {
        let units: Vec<(u16, u32)> = raw.encode_utf16().map(|u| (u, 0)).collect();
        plain(&units, &[], &mut Lists::default())
    }

    fn text_of(units: Vec<(u16, u32)>) -> String {
        String::from_utf16_lossy(&units.iter().map(|u| u.0).collect::<Vec<u16>>())
    }

    #[test]
    fn field_codes_go_and_results_stay() {
        let raw = "第\u{13} PAGE \u{14}3\u{15}页\r\u{13}HYPERLINK \"x\"\u{14}链接\u{15}\r\u{13} TOC \u{13} SEQ \u{15}\u{15}尾\r";
        assert_eq!(plain_of(raw), "第3页\n链接\n尾\n");
    }

    #[test]
    fn cells_rows_and_control_characters() {
        let raw = "序号\u{7}名称\u{7}\u{7}1\u{7}通知\u{7}\u{7}\u{1}\u{8}正\u{1e}文\u{1f}\t完\r\r";
        assert_eq!(plain_of(raw), "序号 名称\n1 通知\n正-文 完\n");
        assert_eq!(plain_of("😀表情\r"), "😀表情\n");
    }

    #[test]
    fn a_piece_table_maps_positions_to_bytes() {
        // Two pieces: "AB" 8-bit at byte 10, "中文" UTF-16 at byte 20.
        let mut plc = Vec::new();
        for cp in [0u32, 2, 4] {
            plc.extend(cp.to_le_bytes());
        }
        for (fc, compressed) in [(10u32, true), (20, false)] {
            plc.extend([0, 0]);
            let fc = if compressed {
                (fc * 2) | FC_COMPRESSED
            } else {
                fc
            };
            plc.extend(fc.to_le_bytes());
            plc.extend([0, 0]);
        }
        let mut clx = vec![1, 2, 0, 9, 9, 2];
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(&plc);
        let ps = pieces(&clx).expect("pieces");
        assert_eq!(ps.len(), 2);
        let mut word = vec![0u8; 24];
        word[10..12].copy_from_slice(b"AB");
        word[20..22].copy_from_slice(&0x4e2du16.to_le_bytes());
        word[22..24].copy_from_slice(&0x6587u16.to_le_bytes());
        assert_eq!(text_of(main_text(&word, &ps, 4)), "AB中文");
        // ccpText cuts the text; a piece beyond the stream reads nothing.
        assert_eq!(text_of(main_text(&word, &ps, 3)), "AB中");
        assert_eq!(text_of(main_text(&word[..21], &ps, 4)), "AB");
        // Overlapping pieces are read once.
        let twice = [ps[0].clone_at(0), ps[0].clone_at(0)];
        assert_eq!(text_of(main_text(&word, &twice, 4)), "AB");
        // Each unit keeps its stream offset.
        assert_eq!(main_text(&word, &ps, 4)[3].1, 22);
    }

    /// A compound file holding `streams`.
    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        for (name, bytes) in streams {
            let mut s = cf.create_stream(name).expect("stream");
            std::io::Write::write_all(&mut s, bytes).expect("write");
        }
        cf.into_inner().into_inner()
    }

    #[test]
    fn other_compound_files_say_what_they_are() {
        let locked = compound(&[("EncryptionInfo", b"x"), ("EncryptedPackage", b"y")]);
        let msg = extract(&locked).expect_err("encrypted").to_string();
        assert!(msg.contains("DOCX: encrypted"), "{msg}");
        let sheet = compound(&[("Workbook", b"x")]);
        let msg = extract(&sheet).expect_err("not Word").to_string();
        assert!(msg.contains("not a Word document"), "{msg}");
        let old = compound(&[(
            "WordDocument",
            &[0xEC, 0xA5, 0x65, 0x00, 0, 0, 0, 0, 0, 0, 0, 0],
        )]);
        let msg = extract(&old).expect_err("Word 6").to_string();
        assert!(msg.contains("Word 6/95"), "{msg}");
    }

    #[test]
    fn damaged_structures_are_errors() {
        assert!(pieces(&[]).is_err());
        assert!(pieces(&[7, 0, 0]).is_err());
        assert!(pieces(&[2, 255, 255, 255, 255]).is_err());
        assert!(pieces(&[1, 255, 255]).is_err());
        assert!(Fib::parse(&[0xEC, 0xA5]).is_err());
        assert!(Fib::parse(&[0; 600]).is_err());
        assert!(extract(b"not a compound file").is_err());
    }
}
