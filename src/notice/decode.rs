//! File bytes → text, in whatever encoding Chinese notices arrive in.
//!
//! The order of evidence, strongest first:
//!
//! 1. a byte-order mark (UTF-8, UTF-16 LE, UTF-16 BE);
//! 2. valid UTF-8 — non-ASCII text in another encoding is almost never valid
//!    UTF-8 by accident;
//! 3. UTF-8 with a little damage: when the invalid byte sequences are at most
//!    [`DAMAGE_PER_MILLE`]‰ of the non-ASCII characters (a truncated last
//!    character, a stray byte from a bad copy) the text is decoded with
//!    U+FFFD in their place. More damage than that in an otherwise UTF-8
//!    file is skipped: indexing it would put garbage into snippets;
//! 4. a charset declared by the file itself (an HTML `<meta charset>`);
//!    a Japanese or Korean one only when the bytes decode in it without an
//!    error and read as that language;
//! 5. detection by `chardetng` (the detector Firefox uses), asked first
//!    with no assumption about the site and then as for a Chinese site
//!    (Shift_JIS and EUC-KR bytes fit GBK's byte ranges, so the Chinese-site
//!    guess alone reads them as ideographic mojibake). A guess is accepted
//!    only when it is a CJK multi-byte
//!    encoding — GB18030/GBK, Big5, Shift_JIS, EUC-JP or EUC-KR — the bytes
//!    decode in it without a single error, and the result reads as that
//!    language (mostly ideographs, kana or hangul and CJK punctuation, no
//!    control characters). A Japanese or Korean notice is readable text
//!    worth finding, so it is decoded rather than skipped; what fails the
//!    check would be mojibake and is skipped.
//!
//! Anything else is skipped with [`SkipReason::Encoding`]: a notice that
//! cannot be decoded with confidence is never indexed as mojibake.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE,
};

use super::SkipReason;

/// Invalid sequences tolerated per thousand non-ASCII characters, in a file
/// that is otherwise UTF-8 or in a declared encoding.
pub const DAMAGE_PER_MILLE: usize = 10;

/// Decoded text and what it was decoded from.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding it was read in (for tests and diagnostics).
    #[allow(dead_code)]
    pub encoding: &'static Encoding,
    /// Invalid byte sequences replaced by U+FFFD (for tests and diagnostics).
    #[allow(dead_code)]
    pub replaced: usize,
}

/// Decode file bytes into text, or say why they are not text.
///
/// Empty (or whitespace-only) files are [`SkipReason::Empty`], files with NUL
/// bytes and no UTF-16 byte-order mark are [`SkipReason::Binary`], and files
/// whose encoding cannot be determined are [`SkipReason::Encoding`].
pub fn decode(bytes: &[u8]) -> Result<String, SkipReason> {
    decode_with(bytes, None).map(|d| d.text)
}

/// [`decode`], trusting `declared` (the charset a page states) after a BOM and
/// valid UTF-8 but before detection.
pub(crate) fn decode_with(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded, SkipReason> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let d = tolerant(enc, &bytes[bom..])?;
        if d.text.trim().is_empty() {
            return Err(SkipReason::Empty);
        }
        if d.text.contains('\0') {
            return Err(SkipReason::Binary);
        }
        return Ok(d);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SkipReason::Empty);
    }
    if bytes.contains(&0) {
        return Err(SkipReason::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: UTF_8,
            replaced: 0,
        });
    }
    let u = utf8_stats(bytes);
    if u.invalid * 1000 <= u.valid_non_ascii * DAMAGE_PER_MILLE {
        return Ok(Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: UTF_8,
            replaced: u.invalid,
        });
    }
    if u.valid_non_ascii >= u.invalid {
        return Err(SkipReason::Encoding(format!(
            "damaged UTF-8: {} invalid byte sequences, the first at byte {}",
            u.invalid, u.first_invalid
        )));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), Utf8Detection::Allow);
    let generic = detector.guess(None, Utf8Detection::Allow);
    // A declared Chinese encoding is trusted; another one (a single-byte
    // encoding decodes any bytes at all) only when the detector agrees. A
    // declaration of UTF-8 or UTF-16 is contradicted by the bytes by now.
    if let Some(enc) = declared.filter(|&e| is_chinese(e) || e == guess)
        && ![UTF_8, UTF_16LE, UTF_16BE].contains(&enc)
        && let Ok(d) = tolerant(enc, bytes)
    {
        return Ok(d);
    }
    // A declared Japanese or Korean encoding is checked like a guess: these
    // decode most GBK bytes without an error, into mojibake.
    let declared_cjk = declared.filter(|e| script_of(e).is_some());
    // The detector without the Chinese-site assumption first: asked as for
    // a Chinese site it names GBK for Shift_JIS and EUC-KR bytes too (they
    // decode as GBK without an error, into ideographs that are mojibake).
    for enc in declared_cjk.into_iter().chain([generic, guess]) {
        let enc = if enc == GBK { GB18030 } else { enc };
        if let Some(script) = script_of(enc)
            && let Some(text) = strict(enc, bytes)
            && reads_as(script, &text)
        {
            return Ok(Decoded {
                text,
                encoding: enc,
                replaced: 0,
            });
        }
    }
    Err(SkipReason::Encoding(format!(
        "unknown encoding: neither UTF-8, UTF-16 with BOM, GB18030/GBK, Big5, Shift_JIS, EUC-JP nor EUC-KR that decodes cleanly (nearest guess {})",
        generic.name()
    )))
}

fn is_chinese(enc: &'static Encoding) -> bool {
    [GBK, GB18030, BIG5].contains(&enc)
}

/// The writing a legacy CJK encoding is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Chinese,
    Japanese,
    Korean,
}

fn script_of(enc: &'static Encoding) -> Option<Script> {
    if is_chinese(enc) {
        Some(Script::Chinese)
    } else if enc == SHIFT_JIS || enc == EUC_JP {
        Some(Script::Japanese)
    } else if enc == EUC_KR {
        Some(Script::Korean)
    } else {
        None
    }
}

/// How the non-ASCII characters of decoded text fall into scripts.
#[derive(Default)]
struct Tally {
    non_ascii: usize,
    han: usize,
    kana: usize,
    hangul: usize,
    /// CJK and general punctuation, fullwidth forms, enclosed numbers,
    /// Roman numerals, geometric shapes (■ □ bullets).
    punct: usize,
}

/// The script tally of `text`; `None` when it holds a control character
/// that no text file has (mojibake of a wrong decoding often does).
fn tally(text: &str) -> Option<Tally> {
    let mut t = Tally::default();
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            return None;
        }
        if c.is_ascii() {
            continue;
        }
        t.non_ascii += 1;
        match c {
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' => {
                t.han += 1
            }
            '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ff65}'..='\u{ff9f}' => {
                t.kana += 1
            }
            '\u{ac00}'..='\u{d7a3}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' => {
                t.hangul += 1;
            }
            '\u{3000}'..='\u{303f}'
            | '\u{ff00}'..='\u{ffef}'
            | '\u{2010}'..='\u{206f}'
            | '\u{00b7}'
            | '\u{2460}'..='\u{24ff}'
            | '\u{2160}'..='\u{217f}'
            | '\u{25a0}'..='\u{25ff}' => t.punct += 1,
            _ => {}
        }
    }
    Some(t)
}

/// True when decoded text reads as `script` rather than as mojibake: nine
/// in ten of its non-ASCII characters are of that script, ideographs or
/// punctuation, and enough are the script's own — Chinese at least half
/// ideographs; Japanese prose is roughly a third kana or more (Chinese
/// decoded as Shift_JIS yields kana only by accident), so a fifth; Korean
/// mostly hangul.
fn reads_as(script: Script, text: &str) -> bool {
    let Some(t) = tally(text) else {
        return false;
    };
    let n = t.non_ascii;
    let (own, enough) = match script {
        Script::Chinese => (0, t.han * 2 >= n),
        Script::Japanese => (t.kana, t.kana * 5 >= n),
        Script::Korean => (t.hangul, t.hangul * 2 >= n),
    };
    n > 0 && enough && (own + t.han + t.punct) * 10 >= n * 9
}

/// Decode in `enc`, failing on any malformed sequence.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(std::borrow::Cow::into_owned)
}

/// Decode in `enc`, replacing malformed sequences, unless there are more of
/// them than [`DAMAGE_PER_MILLE`] allows.
fn tolerant(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if let Some(text) = strict(enc, bytes) {
        return Ok(Decoded {
            text,
            encoding: enc,
            replaced: 0,
        });
    }
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let replaced = text.chars().filter(|&c| c == '\u{fffd}').count();
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count() - replaced;
    if replaced * 1000 <= non_ascii * DAMAGE_PER_MILLE {
        Ok(Decoded {
            text: text.into_owned(),
            encoding: enc,
            replaced,
        })
    } else {
        Err(SkipReason::Encoding(format!(
            "malformed {}: {replaced} invalid byte sequences",
            enc.name()
        )))
    }
}

struct Utf8Stats {
    valid_non_ascii: usize,
    invalid: usize,
    first_invalid: usize,
}

/// Count the well-formed non-ASCII characters and the invalid sequences of
/// bytes read as UTF-8.
fn utf8_stats(bytes: &[u8]) -> Utf8Stats {
    let mut s = Utf8Stats {
        valid_non_ascii: 0,
        invalid: 0,
        first_invalid: 0,
    };
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        s.valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            if s.invalid == 0 {
                s.first_invalid = offset + chunk.valid().len();
            }
            s.invalid += 1;
        }
        offset += chunk.valid().len() + chunk.invalid().len();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = "中共某某县委巡察办关于巡察整改进展情况的通报\n发布时间：2024年3月5日\n\n一、提高政治站位，落实整改责任。按照县委统一部署，县委第二巡察组对我单位开展了常规巡察。\n";

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, unmappable) = enc.encode(s);
        assert!(!unmappable);
        b.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(NOTICE.as_bytes()).unwrap(), NOTICE);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(NOTICE.as_bytes());
        assert_eq!(decode(&bom).unwrap(), NOTICE);
    }

    #[test]
    fn utf16_both_byte_orders_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in NOTICE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode_with(&le, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (NOTICE, UTF_16LE));
        let d = decode_with(&be, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (NOTICE, UTF_16BE));
        // A BOM and nothing else is an empty file, not a binary one.
        assert!(matches!(decode(&[0xFF, 0xFE]), Err(SkipReason::Empty)));
    }

    #[test]
    fn gbk_and_gb18030_without_declaration() {
        let gbk = encode(GBK, NOTICE);
        assert!(std::str::from_utf8(&gbk).is_err());
        let d = decode_with(&gbk, None).unwrap();
        assert_eq!(d.text, NOTICE);
        assert_eq!(d.encoding, GB18030);
        // A short GBK title is still recognised.
        assert_eq!(
            decode(&encode(GBK, "关于开展巡察工作的通知")).unwrap(),
            "关于开展巡察工作的通知"
        );
        // Characters outside GBK need GB18030's four-byte sequences.
        let rare = format!("{NOTICE}䶮与𠀀同在。\n");
        assert_eq!(decode(&encode(GB18030, &rare)).unwrap(), rare);
    }

    #[test]
    fn a_declared_charset_is_used_when_the_bytes_are_not_utf8() {
        let bytes = encode(GBK, NOTICE);
        let d = decode_with(&bytes, Some(GBK)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (NOTICE, GBK));
        // A declaration the bytes contradict does not win over valid UTF-8.
        let d = decode_with(NOTICE.as_bytes(), Some(GBK)).unwrap();
        assert_eq!(d.encoding, UTF_8);
        // Nor does a single-byte declaration over GBK bytes: any bytes
        // decode in windows-1252, so it needs the detector's agreement.
        let d = decode_with(&bytes, Encoding::for_label(b"iso-8859-1")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (NOTICE, GB18030));
    }

    #[test]
    fn slightly_damaged_utf8_is_decoded_with_replacements() {
        // Two bad sequences in some 900 characters: within the 1% allowed.
        let body = NOTICE.repeat(12);
        let mut bytes = body.as_bytes().to_vec();
        // A stray byte and a character cut in half.
        bytes.insert(9, 0xFF);
        bytes.extend_from_slice(&"整".as_bytes()[..2]);
        let d = decode_with(&bytes, None).unwrap();
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.replaced, 2);
        assert!(d.text.contains("巡察整改进展情况的通报"));
    }

    #[test]
    fn badly_damaged_utf8_is_skipped() {
        let mut bytes = Vec::new();
        for (i, c) in NOTICE.chars().enumerate() {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            if i % 5 == 0 {
                bytes.push(0xFF);
            }
        }
        match decode(&bytes) {
            Err(SkipReason::Encoding(why)) => assert!(why.contains("damaged UTF-8"), "{why}"),
            other => panic!("expected an encoding skip, got {other:?}"),
        }
    }

    #[test]
    fn undeterminable_encodings_are_skipped() {
        // Latin-1 French: not UTF-8, not Chinese.
        let latin1 = b"Le pr\xe9sident a d\xe9cid\xe9 que la r\xe9union aura lieu \xe0 l'h\xf4tel de ville. Les d\xe9put\xe9s sont invit\xe9s.\n";
        assert!(matches!(decode(latin1), Err(SkipReason::Encoding(_))));
        // Noise without NUL bytes.
        let noise: Vec<u8> = (0u32..600)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
            .collect();
        assert!(matches!(decode(&noise), Err(SkipReason::Encoding(_))));
    }

    #[test]
    fn japanese_korean_and_traditional_chinese_legacy_encodings() {
        let ja = "関係各位\n令和六年度の防災訓練について、下記のとおり実施しますので、お知らせします。\n一、日時は四月十日午前十時からです。\n";
        let ko = "공지사항\n2024년 재난 대비 훈련을 다음과 같이 실시하오니 참고하시기 바랍니다.\n일시는 4월 10일 오전 10시입니다.\n";
        let tw = "關於開展巡察整改工作的通報\n各單位：為落實整改責任，現將有關事項通報如下。\n一、提高政治站位，認真對照檢查。\n";
        for (enc, text) in [(SHIFT_JIS, ja), (EUC_JP, ja), (EUC_KR, ko), (BIG5, tw)] {
            let d = decode_with(&encode(enc, text), None)
                .unwrap_or_else(|e| panic!("{} not decoded: {e}", enc.name()));
            assert_eq!(d.text, text, "{}", enc.name());
            assert_eq!(d.encoding, enc);
        }
        // Declared in a page, and checked all the same.
        let d = decode_with(&encode(SHIFT_JIS, ja), Some(SHIFT_JIS)).unwrap();
        assert_eq!(d.text, ja);
        let d = decode_with(&encode(GBK, NOTICE), Some(EUC_KR)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (NOTICE, GB18030));
    }

    #[test]
    fn empty_and_binary_files_keep_their_reasons() {
        assert!(matches!(decode(b""), Err(SkipReason::Empty)));
        assert!(matches!(decode(b" \r\n\t"), Err(SkipReason::Empty)));
        assert!(matches!(decode(b"ab\0cd"), Err(SkipReason::Binary)));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            Err(SkipReason::Binary)
        ));
        // A UTF-16 file whose text holds NUL characters is binary too.
        assert!(matches!(
            decode(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00]),
            Err(SkipReason::Binary)
        ));
    }
}
