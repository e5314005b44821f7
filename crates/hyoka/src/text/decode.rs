//! Decoding: the bytes of a text export to a Rust string.
//!
//! City offices write UTF-8 (with or without BOM), Shift_JIS/CP932 (Excel's
//! "text (tab-separated)"), UTF-16 with BOM (Excel's "Unicode text") and,
//! from older Unix systems, EUC-JP (and, from mail, ISO-2022-JP). The
//! encoding is found without flags:
//!
//! 1. a BOM decides;
//! 2. UTF-16 without BOM is recognised by its zero bytes (a guess);
//! 3. valid UTF-8 is UTF-8, unless it is 7-bit text with ISO-2022-JP escape
//!    sequences;
//! 4. otherwise the bytes are tried as Shift_JIS (CP932) and as EUC-JP: when
//!    exactly one of them decodes without error and chardetng agrees, that is
//!    the encoding, known rather than guessed (real Shift_JIS text is never
//!    valid EUC-JP: hiragana and most kanji start with bytes EUC-JP lacks);
//!    when both do, chardetng's pick among the two is a guess, and
//!    [`Decoded::guessed`] says so;
//! 5. when neither does (nor UTF-8), the file is damaged: it is read in the
//!    encoding that needs the fewest replacement characters, also a guess.
//!
//! A NUL byte makes the file binary, and so do other control bytes when
//! they are more than one byte in a hundred; a few stray ones (spreadsheet
//! programs do leave a bell or a vertical tab in a cell) are kept here and
//! removed cell by cell, with a warning, by [`crate::delimited`]. A known
//! signature (a ZIP workbook, a legacy Excel file, a PDF) is named in the
//! error.

use std::borrow::Cow;

use encoding_rs::{EUC_JP, Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, with how it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without BOM: borrowed from the bytes when they are UTF-8.
    pub text: Cow<'a, str>,
    /// The encoding's conventional name: `UTF-8`, `Shift_JIS`, `UTF-16LE`,
    /// `UTF-16BE`, `EUC-JP` or `ISO-2022-JP`.
    pub encoding: &'static str,
    /// Whether some bytes were malformed and replaced with U+FFFD.
    pub had_errors: bool,
    /// Whether the encoding was guessed from byte statistics rather than
    /// known from a BOM, from the bytes being valid UTF-8 (or ISO-2022-JP),
    /// or from only one legacy encoding decoding them.
    pub guessed: bool,
}

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is a file type hyoka recognises by its first bytes but that
    /// is not text (a workbook or a PDF under a text extension).
    #[error("the file is {what}, not text; {advice}")]
    Signature {
        /// What the file is, e.g. `a ZIP archive (an .xlsx or .ods workbook)`.
        what: &'static str,
        /// What to do about it.
        advice: &'static str,
    },
    /// The input holds NUL bytes, or more control bytes than stray ones.
    #[error(
        "the file is binary, not text (a control byte 0x{byte:02X} at byte offset {offset}); \
         if it is a workbook, give it its .xlsx/.xls/.ods extension"
    )]
    Binary {
        /// The offending byte.
        byte: u8,
        /// Its offset.
        offset: usize,
    },
}

impl DecodeError {
    /// The message in Japanese: what the file is and what to do, as `Display` says in English.
    ///
    /// ```
    /// let e = hyoka::DecodeError::Binary { byte: 0, offset: 3 };
    /// assert!(e.message_ja().contains("バイナリ"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            Self::Signature { what, .. } => {
                let (what, advice) = match *what {
                    w if w.starts_with("a ZIP") => (
                        "ZIP アーカイブ(.xlsx または .ods のブック)",
                        ".xlsx/.xlsm/.ods の拡張子を付けるか、ワークシートをテキストで保存してください",
                    ),
                    w if w.starts_with("an OLE") => (
                        "OLE 複合ファイル(旧形式の .xls ブック)",
                        ".xls の拡張子を付けるか、ワークシートをテキストで保存してください",
                    ),
                    w if w.starts_with("a PDF") => (
                        "PDF 文書",
                        "先にテキストに変換するか、元のブックまたはテキスト出力を取り込んでください",
                    ),
                    _ => (
                        "テキスト以外のファイル",
                        "ワークシートをテキストで保存してください",
                    ),
                };
                format!("このファイルはテキストではなく{what}です。{advice}")
            }
            Self::Binary { byte, offset } => format!(
                "このファイルはテキストではなくバイナリです({offset} バイト目に制御バイト 0x{byte:02X})。\
                 ブックであれば .xlsx/.xls/.ods の拡張子を付けてください"
            ),
        }
    }
}

/// Decodes a text export, detecting its encoding. The caller has ruled
/// out files that are not text by their signature (see `crate::detect`).
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(with(encoding, &bytes[bom_len..], false));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let decoded = with(encoding, bytes, true);
        let units = decoded
            .text
            .chars()
            .map(|c| u8::try_from(c as u32).unwrap_or(b'x'));
        if binary_at(units, decoded.text.chars().count()).is_none() {
            return Ok(decoded);
        }
    }
    if let Some(offset) = binary_at_bytes(bytes) {
        return Err(DecodeError::Binary {
            byte: bytes[offset],
            offset,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // ISO-2022-JP is 7-bit, so valid UTF-8 too; its escape sequences
        // (ESC $ B, ESC $ @ into JIS X 0208) give it away.
        if text.is_ascii() && (text.contains("\x1b$B") || text.contains("\x1b$@")) {
            let (decoded, had_errors) = ISO_2022_JP.decode_without_bom_handling(bytes);
            if !had_errors {
                return Ok(Decoded {
                    text: decoded,
                    encoding: name(ISO_2022_JP),
                    had_errors: false,
                    guessed: false,
                });
            }
        }
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
            had_errors: false,
            guessed: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    let clean = |encoding: &'static Encoding| {
        encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some()
    };
    let (sjis_clean, euc_clean) = (clean(SHIFT_JIS), clean(EUC_JP));
    // Japanese city documents are in one of these; anything else chardetng
    // proposes (a Latin or Chinese code page) would be a misreading.
    let (encoding, known) = match (sjis_clean, euc_clean) {
        (true, false) => (SHIFT_JIS, guess == SHIFT_JIS),
        (false, true) => (EUC_JP, guess == EUC_JP),
        (true, true) if guess == EUC_JP => (EUC_JP, false),
        (true, true) => (SHIFT_JIS, false),
        (false, false) => return Ok(fewest_errors(bytes, guess)),
    };
    Ok(with(encoding, bytes, !known))
}

/// Bytes that no candidate decodes cleanly: a damaged file (a copy cut off
/// in the middle of a character, a stray byte). Read it in the encoding
/// that needs the fewest replacements, so that one bad byte in a UTF-8 file
/// does not turn the whole file into Shift_JIS mojibake; on a tie, the
/// likelier of the legacy encodings by byte statistics.
fn fewest_errors<'a>(bytes: &'a [u8], guess: &'static Encoding) -> Decoded<'a> {
    let likelier = if guess == EUC_JP { EUC_JP } else { SHIFT_JIS };
    let other = if likelier == EUC_JP {
        SHIFT_JIS
    } else {
        EUC_JP
    };
    [likelier, other, UTF_8]
        .into_iter()
        .map(|encoding| with(encoding, bytes, true))
        .min_by_key(|d| d.text.matches('\u{FFFD}').count())
        .expect("three candidates")
}

/// Control bytes that text exports do not mean to hold (tab, line ends, form feed
/// and the ISO-2022-JP escape are fine).
fn is_control_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

/// Where bytes (or code units) that are not text start — the first
/// control byte — when there is a NUL or control bytes are more than one in
/// a hundred. A few stray ones in text are read.
fn binary_at(units: impl Iterator<Item = u8>, len: usize) -> Option<usize> {
    let mut first = None;
    let mut controls = 0usize;
    for (at, b) in units.enumerate() {
        if b == 0 {
            return Some(first.unwrap_or(at));
        }
        if is_control_byte(b) {
            first.get_or_insert(at);
            controls += 1;
        }
    }
    first.filter(|_| controls * 100 > len)
}

/// [`binary_at`] over bytes: whole blocks whose smallest byte is a
/// printable one are passed over (a loop the compiler vectorizes), the
/// others looked at byte by byte.
fn binary_at_bytes(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut first = None;
    let mut controls = 0usize;
    let mut at = 0;
    for block in bytes.chunks(BLOCK) {
        if block.iter().fold(u8::MAX, |m, &b| m.min(b)) < 0x20 {
            for (i, &b) in block.iter().enumerate() {
                if b == 0 {
                    return Some(first.unwrap_or(at + i));
                }
                if is_control_byte(b) {
                    first.get_or_insert(at + i);
                    controls += 1;
                }
            }
        }
        at += block.len();
    }
    first.filter(|_| controls * 100 > bytes.len())
}

fn with<'a>(encoding: &'static Encoding, bytes: &'a [u8], guessed: bool) -> Decoded<'a> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: name(encoding),
        had_errors,
        guessed,
    }
}

fn name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else if encoding == SHIFT_JIS {
        // encoding_rs's Shift_JIS is the WHATWG one: CP932 with the NEC and
        // IBM extensions, which is what Windows programs write.
        "Shift_JIS"
    } else {
        encoding.name()
    }
}

/// UTF-16 text without BOM has a zero byte in every other position for the
/// ASCII it holds (tabs, digits, line ends).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_zeros = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zeros = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Japanese text is mostly non-ASCII, so demand only a fifth of the code
    // units to be ASCII, and few zero bytes on the other side (a kanji such
    // as 刀, U+5200, has one).
    if odd_zeros * 5 >= pairs && even_zeros * 10 <= odd_zeros {
        Some(UTF_16LE)
    } else if even_zeros * 5 >= pairs && odd_zeros * 10 <= even_zeros {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_binary_byte_is_found_in_any_block() {
        let mut bytes = "施策\t評価\r\n".repeat(40).into_bytes();
        assert_eq!(binary_at_bytes(&bytes), None);
        for at in [0, 63, 64, 130, bytes.len() - 1] {
            // A NUL makes the file binary wherever it is.
            let mut with = bytes.clone();
            with[at] = 0x00;
            assert_eq!(binary_at_bytes(&with), Some(at));
            assert_eq!(
                binary_at_bytes(&with),
                binary_at(with.iter().copied(), with.len())
            );
        }
        bytes.truncate(3);
        assert_eq!(binary_at_bytes(&bytes), None);
        assert_eq!(binary_at_bytes(b""), None);
    }

    fn encode(encoding: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(s);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
        for u in units {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    const SAMPLE: &str = "伊賀流自治の視点\t\r\n【主担当部局】\t総務部\r\n実績(件)\t769\t①㎡―\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!((plain.text.as_ref(), plain.encoding), (SAMPLE, "UTF-8"));
        assert!(!plain.guessed);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(SAMPLE.as_bytes());
        assert_eq!(decode(&bom).unwrap().text, SAMPLE);
    }

    #[test]
    fn shift_jis_with_nec_and_ibm_extensions() {
        let bytes = encode(SHIFT_JIS, SAMPLE);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (SAMPLE, "Shift_JIS"));
        assert!(!d.had_errors);
        // ⅰ and 髙 are IBM extensions; ① and ㎡ NEC special characters.
        let ibm = "髙橋ⅰ部\t①\n";
        assert_eq!(decode(&encode(SHIFT_JIS, ibm)).unwrap().text, ibm);
    }

    #[test]
    fn euc_jp() {
        let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n成果指標\t市ホームページで寄せられた意見件数\n";
        let bytes = encode(EUC_JP, text);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (text, "EUC-JP"));
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for big_endian in [false, true] {
            let bytes = utf16(SAMPLE, big_endian, true);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, SAMPLE);
            assert_eq!(d.encoding, if big_endian { "UTF-16BE" } else { "UTF-16LE" });
            assert!(!d.guessed);
        }
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let bytes = utf16(SAMPLE, false, false);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (SAMPLE, "UTF-16LE"));
        assert!(d.guessed);
        // 市 (U+5E02) starts with a control byte and 刀 (U+5200) has a zero
        // byte on the other side.
        let text = "市民生活部\t刀根\t2021\r\n実績(件)\t769\t956\r\n";
        for big_endian in [false, true] {
            let bytes = utf16(text, big_endian, false);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, text);
            assert_eq!(d.encoding, if big_endian { "UTF-16BE" } else { "UTF-16LE" });
        }
    }

    #[test]
    fn malformed_bytes_are_reported() {
        let mut bytes = encode(SHIFT_JIS, "総務部\t");
        bytes.extend([0x81, 0x20, b'\n']); // a lead byte without its trail
        let d = decode(&bytes).unwrap();
        assert!(d.had_errors);
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn stray_control_bytes_are_text_nul_and_mostly_control_are_binary() {
        let mut text = "総務部\tR4\n".repeat(20).into_bytes();
        text.splice(5..5, [0x07, 0x0b]);
        let d = decode(&text).unwrap();
        assert!(d.text.contains('\u{7}') && d.text.contains('\u{b}'));
        let mut nul = text.clone();
        nul.push(0);
        // A NUL makes it binary; the error points at the first control byte.
        assert!(matches!(
            decode(&nul),
            Err(DecodeError::Binary {
                byte: 0x07,
                offset: 5
            })
        ));
        let mostly = b"ab\x01\x02\x03\x04cd".repeat(10);
        assert!(matches!(
            decode(&mostly),
            Err(DecodeError::Binary { byte: 1, offset: 2 })
        ));
    }

    #[test]
    fn binary_is_refused() {
        let err = decode(b"\x00\x01\x02\x03\x04\x05\x06\x07").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
        let err = decode(b"\x7fELF\x02\x01\x01\x00").unwrap_err();
        assert!(err.to_string().contains("0x02 at byte offset 4"), "{err}");
    }

    #[test]
    fn shift_jis_is_known_not_guessed() {
        // Hiragana and most kanji start with bytes EUC-JP lacks, so only
        // Shift_JIS decodes the text cleanly.
        let bytes = encode(SHIFT_JIS, SAMPLE);
        let d = decode(&bytes).unwrap();
        assert!(!d.guessed);
        // Pairs of half-width katakana are valid in both; that is a guess.
        let bytes = encode(SHIFT_JIS, "ｱｲ\tｶｷ\n");
        let d = decode(&bytes).unwrap();
        assert!(d.guessed, "{d:?}");
    }

    #[test]
    fn euc_jp_that_is_also_valid_shift_jis_is_a_guess() {
        let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n成果指標\t市ホームページで寄せられた意見件数\n";
        let bytes = encode(EUC_JP, text);
        let both = SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some();
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "EUC-JP");
        assert_eq!(d.guessed, both);
    }

    #[test]
    fn iso_2022_jp_is_told_from_ascii() {
        let text = "総務部\t2022(R4)\n";
        let bytes = encode(ISO_2022_JP, text);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (text, "ISO-2022-JP"));
        assert!(!d.guessed);
    }

    #[test]
    fn a_damaged_file_is_read_in_the_encoding_with_fewest_errors() {
        // A UTF-8 file cut off in the middle of its last character.
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes.extend("総".as_bytes().iter().take(2));
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_errors && d.guessed);
        assert_eq!(d.text, format!("{SAMPLE}\u{FFFD}"));
        // A Shift_JIS file cut off after a lead byte.
        let mut bytes = encode(SHIFT_JIS, SAMPLE);
        bytes.push(0x91);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.had_errors);
        assert_eq!(d.text, format!("{SAMPLE}\u{FFFD}"));
    }

    #[test]
    fn latin_text_read_as_shift_jis_is_a_guess() {
        // Not a Japanese document: whatever it decodes to, say it was a guess.
        let latin1: Vec<u8> = "Caf\u{e9} r\u{e9}sum\u{e9}\tna\u{ef}ve\n"
            .chars()
            .map(|c| c as u8)
            .collect();
        let d = decode(&latin1).unwrap();
        assert!(d.guessed || d.had_errors, "{d:?}");
    }
}
