//! Decoding: the bytes of a text export to a Rust string.
//!
//! City offices write UTF-8 (with or without BOM), Shift_JIS/CP932 (Excel's
//! "text (tab-separated)"), UTF-16 with BOM (Excel's "Unicode text") and,
//! from older Unix systems, EUC-JP. The encoding is found without flags: a
//! BOM decides; otherwise valid UTF-8 is UTF-8; otherwise UTF-16 without BOM
//! is recognised by its zero bytes; otherwise chardetng guesses among the
//! Japanese legacy encodings.

use encoding_rs::{EUC_JP, Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, with how it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// The encoding's conventional name: `UTF-8`, `Shift_JIS`, `UTF-16LE`,
    /// `UTF-16BE`, `EUC-JP` or `ISO-2022-JP`.
    pub encoding: &'static str,
    /// Whether some bytes were malformed and replaced with U+FFFD.
    pub had_errors: bool,
    /// Whether the encoding was guessed from byte statistics rather than
    /// known from a BOM or from the bytes being valid UTF-8.
    pub guessed: bool,
}

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input holds NUL bytes or other control bytes that no text export has.
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

/// Decodes a text export, detecting its encoding.
///
/// ```
/// let d = hyoka::decode::decode(b"\xef\xbb\xbf\xe7\xb7\x8f\xe5\x8b\x99\xe9\x83\xa8").unwrap();
/// assert_eq!((d.text.as_str(), d.encoding), ("総務部", "UTF-8"));
///
/// // 総務部 in Shift_JIS
/// let d = hyoka::decode::decode(b"\x91\x8d\x96\xb1\x95\x94\tR4\r\n").unwrap();
/// assert_eq!((d.text.as_str(), d.encoding), ("総務部\tR4\r\n", "Shift_JIS"));
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(with(encoding, &bytes[bom_len..], false));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let decoded = with(encoding, bytes, true);
        if !decoded
            .text
            .chars()
            .any(|c| (c as u32) < 0x20 && is_binary_byte(c as u8))
        {
            return Ok(decoded);
        }
    }
    if let Some(offset) = bytes.iter().position(|&b| is_binary_byte(b)) {
        return Err(DecodeError::Binary {
            byte: bytes[offset],
            offset,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            had_errors: false,
            guessed: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    // Japanese city documents are in one of these; anything else chardetng
    // proposes (a Latin or Chinese code page) would be a misreading.
    let encoding = if guess == EUC_JP || guess == ISO_2022_JP {
        guess
    } else {
        SHIFT_JIS
    };
    Ok(with(encoding, bytes, true))
}

/// Control bytes that text exports never hold (tab, line ends, form feed
/// and the ISO-2022-JP escape are fine).
fn is_binary_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

fn with(encoding: &'static Encoding, bytes: &[u8], guessed: bool) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
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
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
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
    // units to be ASCII, and no zero bytes on the other side.
    if odd_zeros * 5 >= pairs && even_zeros == 0 {
        Some(UTF_16LE)
    } else if even_zeros * 5 >= pairs && odd_zeros == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!((plain.text.as_str(), plain.encoding), (SAMPLE, "UTF-8"));
        assert!(!plain.guessed);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(SAMPLE.as_bytes());
        assert_eq!(decode(&bom).unwrap().text, SAMPLE);
    }

    #[test]
    fn shift_jis_with_nec_and_ibm_extensions() {
        let d = decode(&encode(SHIFT_JIS, SAMPLE)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "Shift_JIS"));
        assert!(!d.had_errors);
        // ⅰ and 髙 are IBM extensions; ① and ㎡ NEC special characters.
        let ibm = "髙橋ⅰ部\t①\n";
        assert_eq!(decode(&encode(SHIFT_JIS, ibm)).unwrap().text, ibm);
    }

    #[test]
    fn euc_jp() {
        let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n成果指標\t市ホームページで寄せられた意見件数\n";
        let d = decode(&encode(EUC_JP, text)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "EUC-JP"));
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for big_endian in [false, true] {
            let d = decode(&utf16(SAMPLE, big_endian, true)).unwrap();
            assert_eq!(d.text, SAMPLE);
            assert_eq!(d.encoding, if big_endian { "UTF-16BE" } else { "UTF-16LE" });
            assert!(!d.guessed);
        }
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let d = decode(&utf16(SAMPLE, false, false)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-16LE"));
        assert!(d.guessed);
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
    fn binary_is_refused() {
        let err = decode(b"PK\x03\x04\x14\x00\x06\x00").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }
}
