//! Fonts: from the bytes of a shown string to characters and advances.
//!
//! Only what text extraction needs: how codes are split (one byte for
//! simple fonts, two for Identity-H/V and the UCS-2 CMaps), what each code
//! means (the ToUnicode map first, then the simple font's encoding), and
//! how far each glyph advances (`Widths`, or `W`/`DW` of a CID font).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

/// One font of a page's resources, ready to decode strings.
#[derive(Debug, Clone)]
pub struct Font {
    /// `BaseFont`, for messages.
    pub name: String,
    /// How codes are split and, without ToUnicode, what they mean.
    kind: Kind,
    /// Written vertically (Identity-V): glyphs advance down the page.
    pub vertical: bool,
    to_unicode: Option<CMap>,
    widths: Widths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One byte per code, meaning given only by ToUnicode.
    SimpleUnknown,
    /// One byte per code in a Latin encoding (WinAnsi and friends).
    SimpleLatin,
    /// Two bytes per code, CIDs with no meaning of their own.
    Identity,
    /// Two bytes per code that are UTF-16 code units (`UniJIS-UCS2-H` …).
    Ucs2,
    /// A CMap hyoka does not know: the codes cannot be split or read.
    UnknownCMap,
}

#[derive(Debug, Clone)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f64>,
        missing: f64,
    },
    Cid {
        /// Sorted, non-overlapping `(first, last, width)`.
        ranges: Vec<(u32, u32, f64)>,
        default: f64,
    },
}

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The code as read from the string.
    pub code: u32,
    /// Its characters, or `None` when the font gives none.
    pub text: Option<String>,
    /// Advance in thousandths of the font size.
    pub width: f64,
    /// Whether the code is the single byte 32, which word spacing applies to.
    pub is_space_byte: bool,
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read is left
    /// unknown, and [`Font::decode`] says so per glyph.
    #[cfg(test)]
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        Font::load_counted(doc, dict).0
    }

    /// [`Font::load`], with the bytes of the ToUnicode map it unpacked, for
    /// the content budget.
    pub fn load_counted(doc: &Document, dict: &Dictionary) -> (Font, usize) {
        let mut unpacked = 0;
        let name = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|_| "(unnamed)".into());
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let to_unicode = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.decompressed_content_with_limit(CMAP_LIMIT).ok())
            .map(|bytes| {
                unpacked = bytes.len();
                CMap::parse(&bytes)
            })
            .filter(|m| !m.is_empty());
        if subtype == b"Type0" {
            let encoding = deref(doc, dict.get(b"Encoding").ok());
            let cmap_name = encoding.and_then(|o| o.as_name().ok()).unwrap_or(b"");
            let (kind, vertical) = match cmap_name {
                b"Identity-H" => (Kind::Identity, false),
                b"Identity-V" => (Kind::Identity, true),
                n if n.starts_with(b"Uni")
                    && (n.ends_with(b"UCS2-H") || n.ends_with(b"UTF16-H")) =>
                {
                    (Kind::Ucs2, false)
                }
                n if n.starts_with(b"Uni")
                    && (n.ends_with(b"UCS2-V") || n.ends_with(b"UTF16-V")) =>
                {
                    (Kind::Ucs2, true)
                }
                _ => (Kind::UnknownCMap, false),
            };
            let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| deref(doc, a.first()))
                .and_then(|o| o.as_dict().ok());
            let widths = descendant.map_or(
                Widths::Cid {
                    ranges: Vec::new(),
                    default: 1000.0,
                },
                |d| cid_widths(doc, d),
            );
            let font = Font {
                name,
                kind,
                vertical,
                to_unicode,
                widths,
            };
            return (font, unpacked);
        }
        let encoding = deref(doc, dict.get(b"Encoding").ok());
        let descriptor =
            deref(doc, dict.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok());
        let flags = descriptor
            .and_then(|d| d.get(b"Flags").ok())
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        // Without an encoding, a symbolic font's codes are glyph numbers
        // (what subsetting PDF writers produce); a nonsymbolic font or one
        // of the standard 14 (no descriptor) uses the standard encoding.
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let latin = encoding.is_some() || descriptor.is_none() || !symbolic;
        let missing = descriptor
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(number)
            .unwrap_or(0.0);
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(number)
            .unwrap_or(0.0)
            .max(0.0) as u32;
        let widths = deref(doc, dict.get(b"Widths").ok())
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(256)
                    .map(|w| deref(doc, Some(w)).and_then(number).unwrap_or(missing))
                    .collect()
            })
            .unwrap_or_default();
        let font = Font {
            name,
            kind: if latin {
                Kind::SimpleLatin
            } else {
                Kind::SimpleUnknown
            },
            vertical: false,
            to_unicode,
            widths: Widths::Simple {
                first,
                widths,
                missing: if missing > 0.0 { missing } else { 500.0 },
            },
        };
        (font, unpacked)
    }

    /// Whether any code of this font can be read as text.
    #[cfg(test)]
    pub fn is_mappable(&self) -> bool {
        self.to_unicode.is_some() || matches!(self.kind, Kind::SimpleLatin | Kind::Ucs2)
    }

    /// Splits a shown string into glyphs, at most `most` of them; how many
    /// bytes were decoded.
    pub fn decode(&self, bytes: &[u8], out: &mut Vec<Glyph>, most: usize) -> usize {
        let two_byte = matches!(self.kind, Kind::Identity | Kind::Ucs2 | Kind::UnknownCMap);
        let mut i = 0;
        while i < bytes.len() {
            if out.len() >= most {
                return i;
            }
            let (code, len) = match self
                .to_unicode
                .as_ref()
                .and_then(|m| m.code_len(&bytes[i..]))
            {
                Some(len) if !two_byte || self.kind == Kind::UnknownCMap => {
                    (be(&bytes[i..i + len]), len)
                }
                _ if two_byte && i + 1 < bytes.len() => (be(&bytes[i..i + 2]), 2),
                _ => (u32::from(bytes[i]), 1),
            };
            i += len;
            let text = self
                .to_unicode
                .as_ref()
                .and_then(|m| m.get(code))
                .or_else(|| match self.kind {
                    Kind::SimpleLatin => latin(code),
                    Kind::Ucs2 => char::from_u32(code).map(String::from),
                    _ => None,
                });
            out.push(Glyph {
                code,
                text,
                width: self.width(code),
                is_space_byte: len == 1 && code == 32,
            });
        }
        i
    }

    fn width(&self, code: u32) -> f64 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { ranges, default } => {
                let i = ranges.partition_point(|r| r.1 < code);
                match ranges.get(i) {
                    Some(&(lo, _, w)) if lo <= code => w,
                    _ => *default,
                }
            }
        }
    }
}

/// Bounds a ToUnicode stream unpacked: real ones are a few kilobytes.
const CMAP_LIMIT: usize = 4 << 20;

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | u32::from(b))
}

fn deref<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(object?).ok().map(|(_, o)| o)
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// A CID font's `W` array: `c [w1 w2 …]` or `cfirst clast w`.
fn cid_widths(doc: &Document, dict: &Dictionary) -> Widths {
    let default = dict.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    let mut ranges = Vec::new();
    if let Some(items) = deref(doc, dict.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
        let mut i = 0;
        while i < items.len() {
            let Some(first) = deref(doc, items.get(i)).and_then(number) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match deref(doc, items.get(i + 1)) {
                Some(Object::Array(ws)) => {
                    for (k, w) in ws.iter().enumerate() {
                        if let Some(w) = deref(doc, Some(w)).and_then(number) {
                            let c = first.saturating_add(k as u32);
                            ranges.push((c, c, w));
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let (Some(last), Some(w)) =
                        (number(last), deref(doc, items.get(i + 2)).and_then(number))
                    else {
                        break;
                    };
                    ranges.push((first, (last.max(0.0) as u32).max(first), w));
                    i += 3;
                }
                None => break,
            }
        }
    }
    ranges.sort_by_key(|r| r.0);
    // Overlaps would break the binary search; the first entry wins.
    ranges.dedup_by(|b, a| b.0 <= a.1);
    Widths::Cid { ranges, default }
}

/// A Latin code (WinAnsi, close enough for the digits and punctuation a
/// sheet holds in a Latin font).
fn latin(code: u32) -> Option<String> {
    let byte = u8::try_from(code).ok()?;
    if byte < 32 {
        return None;
    }
    let bytes = [byte];
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    Some(text.into_owned())
}

/// A ToUnicode CMap: codespace ranges, single codes and code ranges.
///
/// Ranges are looked up by binary search: a CMap of 200,000 ranges costs
/// some 18 comparisons a glyph, not 200,000. Where ranges overlap the one
/// written first wins, as in a linear search of the file's order.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    /// `(length in bytes, low, high)`.
    codespace: Vec<(usize, u32, u32)>,
    /// For each code length 1 to 4, the codespace as sorted, disjoint
    /// `(low, high, index in codespace)`.
    codespace_index: [Vec<(u32, u32, usize)>; 4],
    chars: HashMap<u32, String>,
    /// `(low, high, destination)`.
    ranges: Vec<(u32, u32, RangeDst)>,
    /// `ranges` as sorted, disjoint `(low, high, index in ranges)`.
    range_index: Vec<(u32, u32, usize)>,
}

/// `(low, high)` intervals in priority order (earlier wins) as sorted,
/// disjoint `(low, high, index)` covering the same codes, each code given
/// the first interval that holds it. O(n log n).
fn disjoint(intervals: impl Iterator<Item = (u32, u32)>) -> Vec<(u32, u32, usize)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut by_low: Vec<(u32, u32, usize)> = intervals
        .enumerate()
        .filter(|(_, (lo, hi))| lo <= hi)
        .map(|(i, (lo, hi))| (lo, hi, i))
        .collect();
    by_low.sort_unstable();
    // Every point where the winner may change: each low, and each high + 1.
    let mut points: Vec<u64> = by_low
        .iter()
        .flat_map(|&(lo, hi, _)| [u64::from(lo), u64::from(hi) + 1])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut out: Vec<(u32, u32, usize)> = Vec::new();
    // Open intervals by priority: (Reverse(index), high).
    let mut open: BinaryHeap<(Reverse<usize>, u32)> = BinaryHeap::new();
    let mut next = 0;
    for (k, &p) in points.iter().enumerate() {
        while let Some(&(lo, hi, i)) = by_low.get(next) {
            if u64::from(lo) > p {
                break;
            }
            open.push((Reverse(i), hi));
            next += 1;
        }
        while open.peek().is_some_and(|&(_, hi)| u64::from(hi) < p) {
            open.pop();
        }
        let (Some(&(Reverse(i), _)), Some(&end)) = (open.peek(), points.get(k + 1)) else {
            continue;
        };
        let (lo, hi) = (p as u32, (end - 1) as u32);
        match out.last_mut() {
            Some(last) if last.2 == i && u64::from(last.1) + 1 == p => last.1 = hi,
            _ => out.push((lo, hi, i)),
        }
    }
    out
}

/// The index of the interval of `disjoint` holding `code`.
fn lookup(index: &[(u32, u32, usize)], code: u32) -> Option<usize> {
    let i = index.partition_point(|r| r.1 < code);
    index.get(i).filter(|r| r.0 <= code).map(|r| r.2)
}

#[derive(Debug, Clone)]
enum RangeDst {
    /// The first code's UTF-16; later codes add to its last unit.
    Base(Vec<u16>),
    /// One destination per code.
    Each(Vec<String>),
}

/// Bounds the entries read from one CMap, so a hostile one stays small.
const CMAP_ENTRIES: usize = 200_000;

impl CMap {
    /// Parses the parts of a CMap program that map codes to Unicode.
    pub fn parse(bytes: &[u8]) -> CMap {
        let tokens = tokens(bytes);
        let mut map = CMap::default();
        let mut i = 0;
        let mut entries = 0;
        while i < tokens.len() && entries < CMAP_ENTRIES {
            match &tokens[i] {
                Token::Word(w) if w == b"begincodespacerange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if !lo.is_empty() && lo.len() <= 4 {
                            map.codespace.push((lo.len(), be(lo), be(hi)));
                        }
                        i += 2;
                        entries += 1;
                    }
                }
                Token::Word(w) if w == b"beginbfchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(Token::Hex(dst))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if src.len() <= 4 {
                            map.chars.insert(be(src), utf16(dst));
                        }
                        i += 2;
                        entries += 1;
                    }
                }
                Token::Word(w) if w == b"beginbfrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo, hi) = (be(lo), be(hi));
                        match tokens.get(i + 2) {
                            Some(Token::Hex(dst)) if hi >= lo => {
                                let units = dst
                                    .chunks(2)
                                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                    .collect();
                                map.ranges.push((lo, hi, RangeDst::Base(units)));
                                i += 3;
                            }
                            Some(Token::Open) => {
                                let mut each = Vec::new();
                                let mut k = i + 3;
                                while let Some(Token::Hex(d)) = tokens.get(k) {
                                    each.push(utf16(d));
                                    k += 1;
                                }
                                if hi >= lo {
                                    map.ranges.push((lo, hi, RangeDst::Each(each)));
                                }
                                i = k + 1;
                            }
                            _ => i += 3,
                        }
                        entries += 1;
                    }
                }
                _ => i += 1,
            }
        }
        map.range_index = disjoint(map.ranges.iter().map(|r| (r.0, r.1)));
        for len in 1..=4 {
            map.codespace_index[len - 1] = disjoint(
                map.codespace
                    .iter()
                    .map(|&(l, lo, hi)| if l == len { (lo, hi) } else { (1, 0) }),
            );
        }
        map
    }

    /// Whether the map gives nothing.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// The length of the code at the start of `bytes`, by the codespace.
    ///
    /// The first range of the file that holds it wins, whatever its length.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        (1..=bytes.len().min(4))
            .filter_map(|len| lookup(&self.codespace_index[len - 1], be(&bytes[..len])))
            .min()
            .map(|i| self.codespace[i].0)
    }

    /// The characters of a code.
    pub fn get(&self, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&code) {
            return Some(s.clone());
        }
        let (lo, _, dst) = &self.ranges[lookup(&self.range_index, code)?];
        let offset = code - lo;
        match dst {
            RangeDst::Base(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.checked_add(u16::try_from(offset).ok()?)?;
                Some(String::from_utf16_lossy(&units))
            }
            RangeDst::Each(each) => each.get(offset as usize).cloned(),
        }
    }
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Word(Vec<u8>),
    Open,
    Close,
}

/// The tokens of a CMap program that matter here; strings, comments and
/// dictionaries are skipped.
fn tokens(bytes: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => i += 2,
            b'>' => i += 1,
            b'<' => {
                let mut digits = Vec::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'>' {
                    if let Some(d) = (bytes[i] as char).to_digit(16) {
                        digits.push(d as u8);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                out.push(Token::Hex(
                    digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect(),
                ));
            }
            b'[' => {
                out.push(Token::Open);
                i += 1;
            }
            b']' => {
                out.push(Token::Close);
                i += 1;
            }
            b'(' => {
                let mut depth = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < bytes.len() && !b"%<>[]() \t\r\n\x0c/".contains(&bytes[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                } else {
                    out.push(Token::Word(bytes[start..i].to_vec()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_chars_and_ranges() {
        let map = CMap::parse(
            b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0001> <4F0A> <0002> <D83DDE00> endbfchar\n\
              2 beginbfrange <0010> <0012> <0030> <0020> <0021> [<3042> <3044>] endbfrange\nend",
        );
        assert_eq!(map.get(1).as_deref(), Some("伊"));
        assert_eq!(map.get(2).as_deref(), Some("😀"));
        assert_eq!(map.get(0x11).as_deref(), Some("1"));
        assert_eq!(map.get(0x21).as_deref(), Some("い"));
        assert_eq!(map.get(0x13), None);
        assert_eq!(map.code_len(&[0, 1]), Some(2));
    }

    #[test]
    fn hostile_cmap_ranges_stay_small() {
        // A range over every code is stored as one range, not expanded.
        let map = CMap::parse(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(map.ranges.len(), 1);
        assert_eq!(map.get(1).as_deref(), Some("B"));
        // Past the end of UTF-16 gives nothing rather than wrapping.
        assert_eq!(map.get(0xFFFF_FFFF), None);
        let truncated = CMap::parse(b"beginbfchar <01");
        assert!(truncated.is_empty());
    }

    #[test]
    fn binary_search_gives_what_a_linear_search_of_the_file_gives() {
        // Overlapping, nested, repeated and empty ranges, in file order: the
        // first range holding a code wins, as it did when ranges were
        // searched one by one.
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) % 300
        };
        for _ in 0..50 {
            let ranges: Vec<(u32, u32)> = (0..20)
                .map(|_| {
                    let lo = next();
                    (lo, lo + next() % 40)
                })
                .chain([(5, 3), (0, 0), (299, 340)])
                .collect();
            let index = disjoint(ranges.iter().copied());
            assert!(index.windows(2).all(|w| w[0].1 < w[1].0), "{index:?}");
            for code in 0..360 {
                let linear = ranges
                    .iter()
                    .position(|&(lo, hi)| (lo..=hi).contains(&code));
                assert_eq!(lookup(&index, code), linear, "{code} in {ranges:?}");
            }
        }
        // Codespaces: the first range of any length that holds the code.
        let map = CMap::parse(
            b"3 begincodespacerange <8140> <9FFC> <00> <80> <A0> <DF> endcodespacerange \
              1 beginbfchar <41> <0041> endbfchar",
        );
        assert_eq!(map.code_len(&[0x41, 0x42]), Some(1));
        assert_eq!(map.code_len(&[0x81, 0x40]), Some(2));
        assert_eq!(map.code_len(&[0x80, 0x00]), Some(1));
        assert_eq!(map.code_len(&[0xFF, 0xFF]), None);
    }

    #[test]
    fn cmap_of_200000_ranges_finds_the_last_in_few_steps() {
        let mut text = b"200000 beginbfrange\n".to_vec();
        for i in 0..199_999u32 {
            let code = 0x100 + i % 0xFE00;
            text.extend_from_slice(format!("<{code:04X}><{code:04X}><0042>\n").as_bytes());
        }
        text.extend_from_slice(b"<41><41><0041>\nendbfrange");
        let map = CMap::parse(&text);
        assert_eq!(map.ranges.len(), 200_000);
        // The repeated codes fold into one entry each: the index holds one
        // interval per distinct run, searched in about 16 steps.
        assert!(
            map.range_index.len() <= 0xFE00 + 1,
            "{}",
            map.range_index.len()
        );
        assert_eq!(map.get(0x41).as_deref(), Some("A"));
        assert_eq!(map.get(0x100).as_deref(), Some("B"));
        assert_eq!(map.get(0x42), None);
    }

    #[test]
    fn cid_font_codes_text_and_widths() {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.7");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange \
                     2 beginbfchar <0001> <8A55> <0002> <4FA1> endbfchar";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "DW" => 1000,
            "W" => vec![1.into(), vec![Object::Integer(500)].into(), 3.into(), 9.into(), 250.into()],
        });
        let font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "Test",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()],
            "ToUnicode" => to_unicode,
        };
        let font = Font::load(&doc, &font);
        assert!(font.is_mappable() && !font.vertical);
        let mut glyphs = Vec::new();
        font.decode(&[0, 1, 0, 2, 0, 5, 0, 20], &mut glyphs, usize::MAX);
        let got: Vec<(Option<&str>, f64)> = glyphs
            .iter()
            .map(|g| (g.text.as_deref(), g.width))
            .collect();
        assert_eq!(
            got,
            [
                (Some("評"), 500.0),
                (Some("価"), 1000.0),
                (None, 250.0),
                (None, 1000.0)
            ]
        );
    }

    #[test]
    fn simple_fonts_by_encoding_and_flags() {
        use lopdf::dictionary;
        let mut doc = Document::with_version("1.7");
        // A subset TrueType font flagged symbolic, no encoding, no ToUnicode:
        // its codes are glyph numbers, and nothing says what they mean.
        let symbolic = doc.add_object(dictionary! { "Flags" => 4 });
        let font = dictionary! {
            "Subtype" => "TrueType",
            "FontDescriptor" => symbolic,
            "FirstChar" => 0,
            "Widths" => vec![0.into(), 600.into()],
        };
        let font = Font::load(&doc, &font);
        assert!(!font.is_mappable());
        let mut glyphs = Vec::new();
        font.decode(&[1], &mut glyphs, usize::MAX);
        assert_eq!((glyphs[0].text.as_deref(), glyphs[0].width), (None, 600.0));
        // A standard font with WinAnsi: Latin text, the space byte marked.
        let font = Font::load(
            &doc,
            &dictionary! { "Subtype" => "Type1", "Encoding" => "WinAnsiEncoding" },
        );
        let mut glyphs = Vec::new();
        font.decode(b"A \x80", &mut glyphs, usize::MAX);
        let text: Vec<_> = glyphs.iter().map(|g| g.text.clone().unwrap()).collect();
        assert_eq!(text, ["A", " ", "€"]);
        assert!(glyphs[1].is_space_byte);
    }
}
