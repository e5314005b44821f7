//! Text normalization for cell contents, and number parsing for KPI cells.
//!
//! Every piece of cell text (from PDF-converter text, TSV/CSV exports and
//! Excel workbooks) goes through [`text`] (or [`single_line`]). In order:
//!
//! 1. **HTML left by a PDF converter is removed.** Only real ASCII tags count:
//!    `<` immediately followed by an ASCII letter (or `/` and a letter), a tag
//!    name `[A-Za-z][A-Za-z0-9]*` ended by ASCII white space, `/` or `>`,
//!    then anything without `<` up to the next `>`. Each removed tag acts as
//!    white space. Tags are removed *before* NFKC, so a full-width `＜参考＞`
//!    survives as the text `<参考>`. Nested, never-closed `<ul ...>` wrappers
//!    are removed too; a `<` that is never followed by `>` is kept as text.
//! 2. **HTML entities are decoded** (`&amp;`, `&lt;`, `&nbsp;`, `&#12354;`,
//!    `&#x3042;`) with [`html_escape::decode_html_entities`].
//! 3. **Unicode NFKC** (full-width ASCII to ASCII, half-width katakana to
//!    full-width, `（）` to `()`, `㎡` to `m2`), except for the circled numbers
//!    `①`…`⑳` (see [`is_circled_number`]), which are item markers and kept.
//! 4. **White space is collapsed**: a run of white space (including U+3000 and
//!    NBSP) becomes one ASCII space, or one `"\n"` if the run contains a line
//!    break (`\n`, `\r\n`, `\r`, VT, FF, NEL U+0085, U+2028, U+2029). Both ends
//!    are trimmed.
//!
//! Nothing else is changed: no re-wording, no typo fixes.
//!
//! # Idempotence
//!
//! [`text`] is idempotent: `text(&text(s)) == text(s)` for every string. This
//! needs one special case. Text that only *becomes* tag- or entity-like
//! through entity decoding or NFKC (`&lt;br&gt;`, `＜ｂｒ＞`, `&amp;amp;`,
//! `＆ａｍｐ；`) would otherwise be removed or decoded again by a second pass.
//! In the output, the `<` that starts such a tag and the `&` that starts such
//! an entity are therefore written in full width (`＜br>`, `＆amp;`).
//!
//! # Performance
//!
//! All scanners are hand-written and linear in the input length (no regex,
//! no rescanning), also on hostile input such as megabytes of `<ul <ul <ul`.
//! Text that is already normal (ASCII, kana, kanji, common punctuation,
//! single spaces and line breaks) is recognized in one pass and only copied.
//! Otherwise NFKC is applied only to the short segments that need it, with
//! direct mappings for full-width ASCII, U+3000 and half-width katakana, and
//! the result is built in a single output `String` (input without `<` or `&`
//! needs no other allocation).

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalizes the text of one cell (multi-line: line breaks are kept as one `"\n"`).
///
/// Applies, in order: removal of ASCII HTML tags (each acts as white space),
/// decoding of HTML entities, NFKC except for circled numbers `①`…`⑳`,
/// collapsing of white space (a run becomes `" "`, or `"\n"` if it contains a
/// line break), and trimming. See the [module documentation](self) for the
/// details. The result is idempotent: `text(&text(s)) == text(s)`.
pub fn text(s: &str) -> String {
    normalize(s, true)
}

/// [`text`] of a string the caller owns, which comes back as it is when it
/// is already normal (no copy).
pub fn text_owned(s: String) -> String {
    if is_already_normal(&s, true) {
        s
    } else {
        normalize_full(&s, true)
    }
}

/// Like [`text`], but every line break becomes one ASCII space.
///
/// Equivalent to `text(s).replace('\n', " ")`, without the extra allocation.
pub fn single_line(s: &str) -> String {
    normalize(s, false)
}

/// Returns `true` if `s` holds no value: it is empty, only white space, or a
/// dash alone.
///
/// Dashes are `-`, `‐` (U+2010), `‑` (U+2011), `‒` (U+2012), `–` (U+2013),
/// `—` (U+2014), `―` (U+2015), `−` (U+2212), `－` (U+FF0D), `ー` (U+30FC),
/// `ｰ` (U+FF70), `─` (U+2500), `━` (U+2501), `﹘` (U+FE58) and `﹣` (U+FE63).
/// A run of dashes (`――`, `--`) also counts as "a dash alone".
pub fn is_no_value(s: &str) -> bool {
    let t = s.trim_matches(char::is_whitespace);
    t.is_empty() || t.chars().all(is_dash)
}

/// Returns `true` for the circled numbers `①`…`⑳` (U+2460..=U+2473).
///
/// They mark items inside a cell and are exempt from NFKC in [`text`]
/// (NFKC would turn `31件②地方` into `31件2地方`).
pub fn is_circled_number(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{2473}')
}

/// The result of [`number`]: a numeric KPI value, an explicit "no value", or text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParsedNumber {
    /// A number. `percent` is `true` if it was written with a trailing `%`/`％`;
    /// `value` is then the number as written (`11.4%` gives `11.4`, not `0.114`).
    Number {
        /// The value, always finite; negative zero is returned as `0.0`.
        value: f64,
        /// Whether a trailing percent sign was present.
        percent: bool,
    },
    /// Empty, white space only, or a dash alone (see [`is_no_value`]).
    NoValue,
    /// Anything else, e.g. `概ね9%を超えないこと`, `50%台後半`, `3件`, `1,23`.
    Text,
}

/// Parses the content of a KPI value cell.
///
/// Accepts raw or already-normalized text. Recognized, with white space around
/// the whole ignored:
///
/// * an optional sign: `+` (`＋`), minus `-` / `−` / `－`, or the Japanese minus
///   markers `△` and `▲`; white space may follow the sign;
/// * ASCII or full-width digits, optionally with thousands separators `,`/`，`
///   in well-formed groups of three (`3,878,604`; `1,23` is [`ParsedNumber::Text`]);
/// * an optional decimal part after `.`/`．` (at least one digit);
/// * an optional trailing `%`/`％` (white space before it allowed).
///
/// Empty text and a dash alone give [`ParsedNumber::NoValue`]; everything else
/// (including exponent notation and numbers too large for `f64`) is
/// [`ParsedNumber::Text`].
pub fn number(s: &str) -> ParsedNumber {
    if is_no_value(s) {
        return ParsedNumber::NoValue;
    }
    let t = s.trim_matches(char::is_whitespace);
    parse_number(t).map_or(ParsedNumber::Text, |(value, percent)| {
        ParsedNumber::Number { value, percent }
    })
}

// ---------------------------------------------------------------------------
// Text pipeline
// ---------------------------------------------------------------------------

fn normalize(s: &str, multiline: bool) -> String {
    if is_already_normal(s, multiline) {
        return s.to_owned();
    }
    normalize_full(s, multiline)
}

/// [`normalize`] without the "already normal" shortcut.
fn normalize_full(s: &str, multiline: bool) -> String {
    let stripped = strip_tags(s);
    let decoded = html_escape::decode_html_entities(&*stripped);
    let mut out = Collapser::new(decoded.len(), multiline);
    feed_nfkc(&decoded, &mut out);
    let out = out.out;
    if out.bytes().any(|b| b == b'<' || b == b'&') {
        neutralize(out)
    } else {
        out
    }
}

/// ASCII white space as used between an HTML tag name and its attributes.
fn is_ascii_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// For a `<` at `i`, returns the position just after the tag name if
/// `<name` or `</name` starts there (the name is not yet known to be ended
/// properly).
fn tag_name_end(b: &[u8], i: usize) -> Option<usize> {
    let mut p = i + 1;
    if b.get(p) == Some(&b'/') {
        p += 1;
    }
    if !b.get(p)?.is_ascii_alphabetic() {
        return None;
    }
    p += 1;
    while b.get(p).is_some_and(u8::is_ascii_alphanumeric) {
        p += 1;
    }
    Some(p)
}

/// Finds the HTML tags of `b`, scanning from the right so that a removed tag
/// no longer blocks a tag around it and acts as white space after a tag
/// name. Returns `(start, end)` byte positions (inclusive) with decreasing
/// starts; tags may nest.
fn find_tags(b: &[u8]) -> Vec<(usize, usize)> {
    // Positions of the `<` and `>` still present to the right, nearest on top.
    let mut delims: Vec<usize> = Vec::new();
    let mut tags: Vec<(usize, usize)> = Vec::new();
    for i in (0..b.len()).rev() {
        match b[i] {
            b'>' => delims.push(i),
            b'<' => {
                let closes = delims.last().is_some_and(|&j| b[j] == b'>');
                let is_tag = closes
                    && tag_name_end(b, i).is_some_and(|p| {
                        b.get(p)
                            .is_some_and(|&c| is_ascii_tag_space(c) || c == b'/' || c == b'>')
                            || tags.last().is_some_and(|&(start, _)| start == p)
                    });
                if is_tag {
                    let j = delims.pop().unwrap_or_default();
                    tags.push((i, j));
                } else {
                    delims.push(i);
                }
            }
            _ => {}
        }
    }
    tags
}

/// Removes ASCII HTML tags, each replaced by one space.
fn strip_tags(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    if !b.contains(&b'<') {
        return Cow::Borrowed(s);
    }
    let tags = find_tags(b);
    if tags.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    for &(start, end) in tags.iter().rev() {
        if start < pos {
            continue; // nested inside a tag already removed
        }
        out.push_str(&s[pos..start]);
        out.push(' ');
        pos = end + 1;
    }
    out.push_str(&s[pos..]);
    Cow::Owned(out)
}

/// Writes the `<` starting a tag and the `&` starting an entity in full
/// width, so that normalizing the output again changes nothing.
fn neutralize(s: String) -> String {
    let b = s.as_bytes();
    let mut marks: Vec<usize> = Vec::new();

    if b.contains(&b'<') {
        // Same scan as `find_tags`, but nothing is removed: a neutralized `<`
        // simply stops being a delimiter.
        let mut delims: Vec<usize> = Vec::new();
        for i in (0..b.len()).rev() {
            match b[i] {
                b'>' => delims.push(i),
                b'<' => {
                    let is_tag = delims.last().is_some_and(|&j| b[j] == b'>')
                        && tag_name_end(b, i).is_some_and(|p| {
                            b.get(p)
                                .is_some_and(|&c| is_ascii_tag_space(c) || c == b'/' || c == b'>')
                        });
                    if is_tag {
                        marks.push(i);
                    } else {
                        delims.push(i);
                    }
                }
                _ => {}
            }
        }
    }

    // An `&` starts an entity for `decode_html_entities` exactly when the text
    // up to the next `;` (with no `&` in between) is a valid reference.
    let mut from = 0;
    while let Some(off) = b[from..].iter().position(|&c| c == b'&') {
        let amp = from + off;
        match b[amp + 1..].iter().position(|&c| c == b';' || c == b'&') {
            Some(k) if b[amp + 1 + k] == b';' => {
                let semi = amp + 1 + k;
                if matches!(
                    html_escape::decode_html_entities(&s[amp..=semi]),
                    Cow::Owned(_)
                ) {
                    marks.push(amp);
                }
                from = semi + 1;
            }
            Some(k) => from = amp + 1 + k,
            None => break,
        }
    }

    if marks.is_empty() {
        return s;
    }
    marks.sort_unstable();
    let mut out = String::with_capacity(s.len() + 2 * marks.len());
    let mut pos = 0;
    for &m in &marks {
        out.push_str(&s[pos..m]);
        out.push(if b[m] == b'<' { '\u{FF1C}' } else { '\u{FF06}' });
        pos = m + 1;
    }
    out.push_str(&s[pos..]);
    out
}

/// Characters that are certainly NFKC-stable boundaries (NFKC quick check
/// "Yes" and canonical combining class 0), are not white space and are not
/// circled numbers: common Japanese text. A cheap range test in front of the
/// table-driven quick check. ASCII is handled separately.
fn is_stable(c: char) -> bool {
    // Branches ordered by frequency in Japanese text.
    let u = u32::from(c);
    if u >= 0x3400 {
        // CJK unified ideographs and extension A.
        u <= 0x9FFF && (u >= 0x4E00 || u <= 0x4DBF)
    } else if u >= 0x3001 {
        matches!(
            u,
            0x3001..=0x301F // CJK punctuation: 、。「」『』【】〜 etc.
                | 0x3041..=0x3096 // hiragana (without the voicing marks)
                | 0x309D..=0x309E // ゝゞ
                | 0x30A1..=0x30FE // katakana, ・, ー, ヽヾ
        )
    } else if u >= 0x2010 {
        matches!(
            u,
            0x2500..=0x257F // box drawing
                | 0x25A0..=0x25FF // geometric shapes: ○●◎□■△▲
                | 0x2190..=0x2193 // arrows
                | 0x2010
                | 0x2013..=0x2015
                | 0x2018..=0x2019
                | 0x201C..=0x201D
                | 0x2020..=0x2022
                | 0x203B // ※
                | 0x2212
        )
    } else {
        matches!(u, 0xB1 | 0xD7 | 0xF7)
    }
}

/// Whether `text`/`single_line` would return `s` unchanged, decided by a
/// conservative single pass (`false` only means "maybe not").
///
/// Most cells are already normal, so this runs over nearly every byte of
/// the input: it goes by bytes, and takes the CJK ideographs U+5000..=U+9FFF
/// (lead bytes `E5`..=`E9`, all [`is_stable`]) and the common kana and
/// punctuation ([`is_stable_kana`]) without decoding them.
fn is_already_normal(s: &str, multiline: bool) -> bool {
    let bytes = s.as_bytes();
    let mut prev_space = true; // also rejects leading white space
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            match b {
                b'<' | b'&' | b'\t' | b'\r' | 0x0B | 0x0C => return false,
                b'\n' if !multiline => return false,
                b' ' | b'\n' => {
                    if prev_space {
                        return false;
                    }
                    prev_space = true;
                    i += 1;
                    continue;
                }
                _ => i += 1,
            }
        } else if (0xE5..=0xE9).contains(&b)
            || b == 0xE3 && is_stable_kana(bytes[i + 1], bytes[i + 2])
        {
            i += 3;
        } else {
            // `i` is on a character boundary: every step is a whole character.
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if !is_stable(c) && !is_circled_number(c) {
                return false;
            }
            i += c.len_utf8();
        }
        prev_space = false;
    }
    !prev_space || s.is_empty()
}

/// Whether the character `E3 b1 b2` (U+3000..=U+3FFF) is one of the
/// [`is_stable`] CJK punctuation, hiragana and katakana, read from its
/// bytes; `false` sends the others to the full check.
fn is_stable_kana(b1: u8, b2: u8) -> bool {
    match b1 {
        0x80 => (0x81..=0x9F).contains(&b2), // U+3001..=U+301F
        0x81 => b2 >= 0x81,                  // U+3041..=U+307F
        0x82 => matches!(b2, 0x80..=0x96 | 0x9D..=0x9E | 0xA1..=0xBF), // ..U+30BF
        0x83 => b2 <= 0xBE,                  // U+30C0..=U+30FE
        _ => false,
    }
}

/// NFKC of U+FF61..=U+FF9D (half-width katakana and punctuation).
const HALF_WIDTH_KANA: [char; 61] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー',
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ',
    'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
    'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン',
];

/// NFKC of common single characters whose NFKC is a single starter that
/// cannot combine with what precedes it (full-width ASCII, U+3000, NBSP,
/// half-width katakana without the voicing marks). Valid only when the next
/// character does not combine either, see [`feed_nfkc`].
fn quick_fold(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' | '\u{3000}' => Some(fold_width_char(c)),
        '\u{A0}' => Some(' '),
        '\u{FF61}'..='\u{FF9D}' => HALF_WIDTH_KANA.get((c as u32 - 0xFF61) as usize).copied(),
        _ => None,
    }
}

/// Characters after which a preceding [`quick_fold`] character needs no
/// composition.
fn is_inert(c: char) -> bool {
    c.is_ascii() || quick_fold(c).is_some() || is_stable(c) || is_circled_number(c)
}

/// Feeds `s` into `out` in NFKC, keeping circled numbers as they are.
///
/// The text is cut before every stable character (a normalization boundary)
/// and only the segments holding other characters go through NFKC; common
/// full-width and half-width characters are mapped directly. This gives the
/// same result as normalizing each run between circled numbers as a whole.
fn feed_nfkc(s: &str, out: &mut Collapser) {
    if s.is_ascii() {
        out.push_str(s);
        return;
    }
    let mut clean_start = 0; // start of text not yet written that needs no change
    let mut boundary = 0; // where a segment containing the current char starts
    let mut dirty: Option<usize> = None; // start of a segment that needs NFKC
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let fold = quick_fold(c);
        if c.is_ascii() || is_stable(c) || fold.is_some() {
            if let Some(start) = dirty.take() {
                feed_nfkc_segment(&s[start..i], out);
                clean_start = i;
            }
            boundary = i;
            if let Some(folded) = fold
                && chars.peek().is_none_or(|&(_, next)| is_inert(next))
            {
                out.push_str(&s[clean_start..i]);
                out.push_char(folded);
                clean_start = i + c.len_utf8();
                boundary = clean_start;
            }
        } else if is_circled_number(c) {
            match dirty.take() {
                Some(start) => feed_nfkc_segment(&s[start..i], out),
                None => out.push_str(&s[clean_start..i]),
            }
            out.push_char(c);
            clean_start = i + c.len_utf8();
            boundary = clean_start;
        } else if dirty.is_none() {
            out.push_str(&s[clean_start..boundary]);
            dirty = Some(boundary);
        }
    }
    match dirty {
        Some(start) => feed_nfkc_segment(&s[start..], out),
        None => out.push_str(&s[clean_start..]),
    }
}

fn feed_nfkc_segment(segment: &str, out: &mut Collapser) {
    if is_nfkc_quick(segment.chars()) == IsNormalized::Yes {
        out.push_str(segment);
    } else {
        for c in segment.nfkc() {
            out.push_char(c);
        }
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Pending white space in [`Collapser`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    None,
    Space,
    Break,
}

/// Builds the output, collapsing white-space runs and trimming both ends.
struct Collapser {
    out: String,
    pending: Pending,
    multiline: bool,
}

impl Collapser {
    fn new(capacity: usize, multiline: bool) -> Self {
        Self {
            out: String::with_capacity(capacity),
            pending: Pending::None,
            multiline,
        }
    }

    fn space(&mut self, c: char) {
        let p = if self.multiline && is_line_break(c) {
            Pending::Break
        } else {
            Pending::Space
        };
        self.pending = self.pending.max(p);
    }

    fn flush(&mut self) {
        if self.pending != Pending::None {
            if !self.out.is_empty() {
                self.out.push(if self.pending == Pending::Break {
                    '\n'
                } else {
                    ' '
                });
            }
            self.pending = Pending::None;
        }
    }

    fn push_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.space(c);
        } else {
            self.flush();
            self.out.push(c);
        }
    }

    fn push_str(&mut self, s: &str) {
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                if start < i {
                    self.flush();
                    self.out.push_str(&s[start..i]);
                }
                self.space(c);
                start = i + c.len_utf8();
            }
        }
        if start < s.len() {
            self.flush();
            self.out.push_str(&s[start..]);
        }
    }
}

/// The shortest text that gives `n` back; integral values without a
/// decimal point. The one number formatter: grid cells, `raw` values and
/// messages all print numbers through it.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Folds full-width ASCII (U+FF01..=U+FF5E) to ASCII and the ideographic
/// space to a space: the one full-width fold.
pub(crate) fn fold_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{FF0D}'
            | '\u{30FC}'
            | '\u{FF70}'
            | '\u{2500}'
            | '\u{2501}'
            | '\u{FE58}'
            | '\u{FE63}'
    )
}

fn ascii_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        '\u{FF10}'..='\u{FF19}' => Some(b'0' + (c as u32 - 0xFF10) as u8),
        _ => None,
    }
}

/// Parses a trimmed, non-empty, non-dash string; `None` means text.
fn parse_number(t: &str) -> Option<(f64, bool)> {
    let mut chars = t.chars().peekable();
    // `simple`: `t` itself is `[+-]?[0-9]+(\.[0-9]+)?` and `f64::from_str` can take it.
    let mut simple = true;
    let mut negative = false;
    match chars.peek() {
        Some(&c @ ('-' | '+')) => {
            negative = c == '-';
            chars.next();
        }
        Some('\u{2212}' | '\u{FF0D}' | '\u{FE63}' | '△' | '▲') => {
            negative = true;
            simple = false;
            chars.next();
        }
        Some('\u{FF0B}' | '\u{FE62}') => {
            simple = false;
            chars.next();
        }
        _ => {}
    }
    while chars.next_if(|c| c.is_whitespace()).is_some() {
        simple = false;
    }

    let mut digits = String::new();
    if negative {
        digits.push('-');
    }
    let mut int_len = 0usize;
    let mut group_len = 0usize;
    let mut groups = 0usize;
    while let Some(&c) = chars.peek() {
        if let Some(d) = ascii_digit(c) {
            simple &= c.is_ascii();
            digits.push(char::from(d));
            int_len += 1;
            group_len += 1;
        } else if c == ',' || c == '\u{FF0C}' {
            let well_formed = if groups == 0 {
                (1..=3).contains(&group_len)
            } else {
                group_len == 3
            };
            if !well_formed {
                return None;
            }
            simple = false;
            groups += 1;
            group_len = 0;
        } else {
            break;
        }
        chars.next();
    }
    if groups > 0 && group_len != 3 {
        return None;
    }
    if int_len == 0 {
        simple = false;
        digits.push('0');
    }

    let mut frac_len = 0usize;
    if let Some(c) = chars.next_if(|&c| c == '.' || c == '\u{FF0E}') {
        simple &= c == '.';
        digits.push('.');
        while let Some(c) = chars.next_if(|&c| ascii_digit(c).is_some()) {
            simple &= c.is_ascii();
            digits.extend(ascii_digit(c).map(char::from));
            frac_len += 1;
        }
        if frac_len == 0 {
            return None;
        }
    }
    if int_len == 0 && frac_len == 0 {
        return None;
    }

    while chars.next_if(|c| c.is_whitespace()).is_some() {
        simple = false;
    }
    let percent = chars
        .next_if(|&c| matches!(c, '%' | '\u{FF05}' | '\u{FE6A}'))
        .is_some();
    if chars.next().is_some() {
        return None;
    }

    let value: f64 = if simple && !percent {
        t.parse()
    } else {
        digits.parse()
    }
    .ok()?;
    if !value.is_finite() {
        return None;
    }
    // Negative zero (`-0`, `△0.0`) is reported as plain zero.
    let value = if value == 0.0 { 0.0 } else { value };
    Some((value, percent))
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character form of [`is_already_normal`].
    fn is_already_normal_by_chars(s: &str, multiline: bool) -> bool {
        let mut prev_space = true; // also rejects leading white space
        for c in s.chars() {
            if c.is_ascii() {
                match c {
                    '<' | '&' | '\t' | '\r' | '\u{0B}' | '\u{0C}' => return false,
                    '\n' if !multiline => return false,
                    ' ' | '\n' => {
                        if prev_space {
                            return false;
                        }
                        prev_space = true;
                        continue;
                    }
                    _ => {}
                }
            } else if !is_stable(c) && !is_circled_number(c) {
                return false;
            }
            prev_space = false;
        }
        !prev_space || s.is_empty()
    }
    use proptest::prelude::*;

    fn num(value: f64) -> ParsedNumber {
        ParsedNumber::Number {
            value,
            percent: false,
        }
    }

    fn pct(value: f64) -> ParsedNumber {
        ParsedNumber::Number {
            value,
            percent: true,
        }
    }

    // --- HTML ----------------------------------------------------------------

    #[test]
    fn nested_unclosed_ul_is_removed() {
        let s = r#"<ul style="list-style-type: none"> ○既存事業案 ・出前講座"#;
        assert_eq!(text(s), "○既存事業案 ・出前講座");
        let s = r#"<ul style="list-style-type: none"><ul style="list-style-type: none"> ○既存事業案<ul style="list-style-type: none"> ・出前講座…"#;
        // NFKC turns `…` into `...`.
        assert_eq!(text(s), "○既存事業案 ・出前講座...");
    }

    #[test]
    fn common_tags_are_removed_and_act_as_space() {
        assert_eq!(text("a<br>b"), "a b");
        assert_eq!(text("a<br/>b"), "a b");
        assert_eq!(text("a<br />b"), "a b");
        assert_eq!(text("<p>段落</p>"), "段落");
        assert_eq!(text("<li>項目</li></ul>"), "項目");
        assert_eq!(text(r#"<span class="x">強調</span>です"#), "強調 です");
        assert_eq!(text("<UL><LI>大文字"), "大文字");
        assert_eq!(text("<h1>見出し</h1>"), "見出し");
        assert_eq!(text("前<br>\n後"), "前\n後");
    }

    #[test]
    fn non_tags_are_kept() {
        assert_eq!(text("＜参考＞"), "<参考>");
        assert_eq!(text("＜参考＞　事業費"), "<参考> 事業費");
        assert_eq!(text("<参考>"), "<参考>");
        assert_eq!(text("a < b > c"), "a < b > c");
        assert_eq!(text("x<3 かつ y>2"), "x<3 かつ y>2");
        assert_eq!(text("<R4年度>"), "<R4年度>");
        assert_eq!(text("<ul"), "<ul");
        assert_eq!(text("<ul <ul"), "<ul <ul");
        assert_eq!(text("<ul <ul style>本文"), "<ul 本文");
        assert_eq!(text("</>"), "</>");
        assert_eq!(text("< br>"), "< br>");
        assert_eq!(text("<1>"), "<1>");
    }

    #[test]
    fn tags_that_only_appear_after_decoding_are_neutralized() {
        // Kept as text, but written so that a second pass does not remove them.
        assert_eq!(text("&lt;br&gt;"), "＜br>");
        assert_eq!(text("＜ｂｒ＞"), "＜br>");
        assert_eq!(text("&lt;参考&gt;"), "<参考>");
        assert_eq!(text("&amp;amp;"), "＆amp;");
        assert_eq!(text("＆ａｍｐ；"), "＆amp;");
        assert_eq!(text("A&amp;B"), "A&B");
        for s in [
            "&lt;br&gt;",
            "＜ｂｒ＞",
            "&amp;amp;",
            "＆ａｍｐ；",
            "&lt;a &lt;b&gt;",
        ] {
            let once = text(s);
            assert_eq!(text(&once), once, "{s:?}");
        }
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(text("A&amp;B"), "A&B");
        assert_eq!(text("a &lt; b"), "a < b");
        assert_eq!(text("a&nbsp;b"), "a b");
        assert_eq!(text("&#12354;&#x3042;"), "ああ");
        assert_eq!(text("&quot;引用&quot;"), "\"引用\"");
        assert_eq!(text("&unknown;"), "&unknown;");
        assert_eq!(text("a&#10;b"), "a\nb");
        // Tags are removed before entities are decoded.
        assert_eq!(text("<b>&amp;</b>"), "&");
    }

    #[test]
    fn hostile_inputs_are_linear() {
        let n = 1 << 20;
        let s = "<ul ".repeat(n / 4);
        assert_eq!(text(&s), s.trim_end());
        let s = format!("{}>", "<ul ".repeat(n / 4));
        // Only the last `<ul >` is a tag; the space before it is trimmed too.
        assert_eq!(text(&s).len(), s.len() - 6);
        for unit in [
            "<a",
            "</a",
            "<a<",
            "&",
            "&a",
            "&#",
            "&#x",
            "<a>",
            "<ul style=\"\">",
            "①ｱ",
        ] {
            let s = unit.repeat(n / unit.len());
            let once = text(&s);
            assert_eq!(text(&once), once);
        }
        let s = format!("<{}", "a".repeat(n));
        assert_eq!(text(&s), s);
        let s = format!("&{};", "a".repeat(n));
        assert_eq!(text(&s), s);
        let s = format!("a{}", "\u{301}".repeat(n / 2));
        let _ = text(&s);
    }

    // --- NFKC ----------------------------------------------------------------

    #[test]
    fn nfkc_with_circled_numbers_kept() {
        assert_eq!(text("31件②地方"), "31件②地方");
        assert_eq!(text("①１２"), "①12");
        assert_eq!(text("①ｶﾞ⑳（Ｒ４）"), "①ガ⑳(R4)");
        assert_eq!(text("（R4）"), "(R4)");
        assert_eq!(text("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(text("㎡"), "m2");
        assert_eq!(text("ＡＢＣ１２３！"), "ABC123!");
        assert_eq!(text("㉑"), "21");
        assert_eq!(text("ｶﾞｲﾄﾞ"), "ガイド");
    }

    #[test]
    fn already_normal_text_is_unchanged() {
        for s in [
            "",
            "plain ascii",
            "既存事業案 ・出前講座",
            "一\n二",
            "①②③",
            "R4年度 50%",
        ] {
            assert_eq!(text(s), s);
        }
    }

    // --- White space ---------------------------------------------------------

    #[test]
    fn white_space_is_collapsed() {
        assert_eq!(text("a\u{3000}b"), "a b");
        assert_eq!(text("a\u{3000}\u{3000} b"), "a b");
        assert_eq!(text("a\u{a0}b"), "a b");
        assert_eq!(text("a\t\tb"), "a b");
        assert_eq!(text("a  \t b"), "a b");
        assert_eq!(text("\u{3000} a \u{3000}"), "a");
    }

    #[test]
    fn line_breaks_become_one_newline() {
        assert_eq!(text("a\r\nb"), "a\nb");
        assert_eq!(text("a\rb"), "a\nb");
        assert_eq!(text("a\u{2028}b"), "a\nb");
        assert_eq!(text("a\u{85}b"), "a\nb");
        assert_eq!(text("a \r\n \r\n\u{3000}b"), "a\nb");
        assert_eq!(text("a\n\n\nb"), "a\nb");
        assert_eq!(text("\r\n  a\n b \n"), "a\nb");
        assert_eq!(text("\n \r\n"), "");
    }

    #[test]
    fn single_line_replaces_breaks() {
        assert_eq!(single_line("a\r\n\r\nb"), "a b");
        assert_eq!(single_line(" a \n b\u{3000}"), "a b");
        assert_eq!(single_line("①一\n②二"), "①一 ②二");
    }

    #[test]
    fn text_is_kept_as_written() {
        assert_eq!(text("事業の推近"), "事業の推近");
        assert_eq!(text("ですます。。"), "ですます。。");
    }

    // --- Helpers -------------------------------------------------------------

    #[test]
    fn fold_width_char_folds_only_full_width_ascii() {
        let fold = |s: &str| s.chars().map(fold_width_char).collect::<String>();
        assert_eq!(fold("ＫＰＩ　１"), "KPI 1");
        assert_eq!(fold("（Ｒ４）～"), "(R4)~");
        assert_eq!(fold("ｶﾀｶﾅ①㎡"), "ｶﾀｶﾅ①㎡");
    }

    #[test]
    fn stable_characters_are_nfkc_boundaries() {
        use unicode_normalization::char::canonical_combining_class;
        let mut count = 0;
        for c in (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_stable(c))
        {
            count += 1;
            assert_eq!(
                is_nfkc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "{c:?}"
            );
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert!(!c.is_whitespace() && !is_circled_number(c), "{c:?}");
            assert_eq!(text(&c.to_string()), c.to_string(), "{c:?}");
        }
        assert!(count > 20_000);
    }

    #[test]
    fn quick_fold_matches_nfkc() {
        for c in (0x80..=0xFFFF).filter_map(char::from_u32) {
            if let Some(folded) = quick_fold(c) {
                assert_eq!(
                    c.to_string().nfkc().collect::<String>(),
                    folded.to_string(),
                    "{c:?}"
                );
                assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
            }
        }
        assert_eq!(text("ｶﾞｯｺｳ　ﾊﾟｰｸ"), "ガッコウ パーク");
        assert_eq!(text("Ａ\u{301}"), "Á");
        assert_eq!(text("＜\u{338}"), "≮");
    }

    #[test]
    fn fast_path_agrees_with_full_path() {
        for s in [
            "a b",
            " a",
            "a ",
            "a  b",
            "a\nb",
            "a\n b",
            "a\tb",
            "か\u{3099}",
            "①",
            "①\u{301}",
            "ア　イ",
            "",
            "①地域\n②講座",
            "既存事業案 ・出前講座",
            "a<b",
            "a&b",
        ] {
            for multiline in [true, false] {
                if is_already_normal(s, multiline) {
                    assert_eq!(normalize_full(s, multiline), s, "{s:?}");
                }
            }
        }
        assert!(!is_already_normal("a\nb", false));
        for s in ["既存事業案 ・出前講座", " ａ  b ", "a<b>c</b>", ""] {
            assert_eq!(text_owned(s.to_owned()), text(s), "{s:?}");
        }
        for s in [
            "漢字\u{3099}",
            "䷀易",
            "㐀丂",
            "a  b",
            " a",
            "a ",
            "①\u{301}",
            "ア\nイ",
        ] {
            for multiline in [true, false] {
                assert_eq!(
                    is_already_normal(s, multiline),
                    is_already_normal_by_chars(s, multiline),
                    "{s:?}"
                );
            }
        }
        assert_eq!(text("か\u{3099}"), "が");
        assert_eq!(text("①か\u{3099}ア\u{309A}"), "①がア\u{309A}");
        assert_eq!(text("①\u{301}"), "①\u{301}");
    }

    #[test]
    fn circled_numbers() {
        assert!(('\u{2460}'..='\u{2473}').all(is_circled_number));
        assert!(!is_circled_number('\u{245F}'));
        assert!(!is_circled_number('\u{2474}'));
    }

    #[test]
    fn no_value() {
        for s in [
            "", " ", "\u{3000}", "\n", "—", "―", "－", "-", "‐", "‑", "–", "−", "ー", "─", " - ",
            "――",
        ] {
            assert!(is_no_value(s), "{s:?}");
            assert_eq!(number(s), ParsedNumber::NoValue, "{s:?}");
        }
        for s in ["0", "-5", "ー部", "a", "△"] {
            assert!(!is_no_value(s), "{s:?}");
        }
    }

    // --- Numbers -------------------------------------------------------------

    #[test]
    fn numbers() {
        assert_eq!(number("3,878,604"), num(3_878_604.0));
        assert_eq!(number("１２，３４５"), num(12_345.0));
        assert_eq!(number("１２３４５"), num(12_345.0));
        assert_eq!(number("11.4"), num(11.4));
        assert_eq!(number("40.0"), num(40.0));
        assert_eq!(number("0"), num(0.0));
        assert_eq!(number("-5"), num(-5.0));
        assert_eq!(number("−5"), num(-5.0));
        assert_eq!(number("－５"), num(-5.0));
        assert_eq!(number("+5"), num(5.0));
        assert_eq!(number("△0.8"), num(-0.8));
        assert_eq!(number("▲1.2"), num(-1.2));
        assert_eq!(number("△ 0.8"), num(-0.8));
        assert_eq!(number("- 3"), num(-3.0));
        assert_eq!(number("11.4%"), pct(11.4));
        assert_eq!(number("11.4％"), pct(11.4));
        assert_eq!(number("１１．４％"), pct(11.4));
        assert_eq!(number("11.4 %"), pct(11.4));
        assert_eq!(number("  1,234.5\u{3000}"), num(1234.5));
        assert_eq!(number(".5"), num(0.5));
        assert_eq!(number("007"), num(7.0));
        assert_eq!(number("1,000,000.25"), num(1_000_000.25));
        let ParsedNumber::Number { value, .. } = number("-0") else {
            panic!()
        };
        assert!(value.is_sign_positive());
    }

    #[test]
    fn numbers_that_are_text() {
        for s in [
            "概ね9%を超えないこと",
            "50%台後半",
            "20%以下",
            "3件",
            "1,23",
            "1,2345",
            ",123",
            "1,,234",
            "1,234,",
            "1234,567",
            "5.",
            ".",
            "1.2.3",
            "1 2",
            "+",
            "△",
            "%",
            "--5",
            "+-5",
            "5-",
            "1e5",
            "inf",
            "NaN",
            "1.5,000",
            "11.4%%",
            "%5",
            "約5",
        ] {
            assert_eq!(number(s), ParsedNumber::Text, "{s:?}");
        }
        assert_eq!(number(&"9".repeat(400)), ParsedNumber::Text);
    }

    // --- Properties ----------------------------------------------------------

    const FRAGMENTS: &[&str] = &[
        "既存事業案",
        "・出前講座",
        "○",
        "施策",
        "ｶﾀｶﾅ",
        "ﾞ",
        "゛",
        "\u{3099}",
        "\u{301}",
        "\u{338}",
        "\u{323}",
        "か",
        "e",
        "\u{1100}",
        "\u{1161}",
        "\u{11A8}",
        "가",
        "…",
        "１２",
        "，",
        "（Ｒ４）",
        "＜参考＞",
        "＜",
        "＞",
        "ｂｒ",
        "＆",
        "ａｍｐ",
        "；",
        "①",
        "②",
        "⑳",
        "㎡",
        "㉑",
        " ",
        "  ",
        "\u{3000}",
        "\u{a0}",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\u{2028}",
        "\u{85}",
        "<ul style=\"list-style-type: none\">",
        "<ul ",
        "</ul>",
        "<br>",
        "<br/>",
        "<li>",
        "<span class=\"a\">",
        "<",
        ">",
        "/",
        "ul",
        "a",
        "R4",
        "&",
        ";",
        "#",
        "x",
        "amp",
        "&amp;",
        "&lt;",
        "&gt;",
        "&nbsp;",
        "&#12354;",
        "&#x3042;",
        "&#9312;",
        "31件",
        "3,878,604",
        "△0.8",
        "%",
    ];

    fn mixed() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
    }

    fn mixed_without_lt() -> impl Strategy<Value = String> {
        let fragments: Vec<&str> = FRAGMENTS
            .iter()
            .copied()
            .filter(|f| !f.contains('<'))
            .collect();
        prop::collection::vec(prop::sample::select(fragments), 0..40).prop_map(|v| v.concat())
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            mixed(),
            any::<String>(),
            prop::collection::vec(any::<char>(), 0..32).prop_map(String::from_iter),
        ]
    }

    fn circled(s: &str) -> Vec<char> {
        s.chars().filter(|&c| is_circled_number(c)).collect()
    }

    fn is_subsequence(needle: &[char], hay: &[char]) -> bool {
        let mut it = hay.iter();
        needle.iter().all(|c| it.any(|h| h == c))
    }

    fn with_commas(digits: &str) -> String {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn the_byte_pass_agrees_with_the_char_pass(s in any_text(), multiline in any::<bool>()) {
            prop_assert_eq!(
                is_already_normal(&s, multiline),
                is_already_normal_by_chars(&s, multiline)
            );
        }

        #[test]
        fn text_is_idempotent(s in any_text()) {
            let once = text(&s);
            prop_assert_eq!(text(&once), once.clone());
            let line = single_line(&s);
            prop_assert_eq!(single_line(&line), line);
        }

        #[test]
        fn segmented_nfkc_matches_whole_runs(s in any_text()) {
            let mut fast = Collapser::new(0, true);
            feed_nfkc(&s, &mut fast);
            // Reference: NFKC of each whole run between circled numbers.
            let mut reference = String::new();
            let mut run = String::new();
            for c in s.chars() {
                if is_circled_number(c) {
                    reference.extend(run.nfkc());
                    run.clear();
                    reference.push(c);
                } else {
                    run.push(c);
                }
            }
            reference.extend(run.nfkc());
            let mut slow = Collapser::new(0, true);
            slow.push_str(&reference);
            prop_assert_eq!(fast.out, slow.out);
        }

        #[test]
        fn fast_path_matches_full_path(s in any_text()) {
            prop_assert_eq!(text(&s), normalize_full(&s, true));
            prop_assert_eq!(single_line(&s), normalize_full(&s, false));
            // Normalized text made of characters the shortcut knows takes the shortcut.
            let once = normalize_full(&s, true);
            let known = once.chars().all(|c| c.is_ascii() || is_stable(c) || is_circled_number(c));
            if known && !once.contains(['<', '&']) {
                prop_assert!(is_already_normal(&once, true), "{:?}", once);
            }
        }

        #[test]
        fn single_line_matches_text(s in any_text()) {
            prop_assert_eq!(single_line(&s), text(&s).replace('\n', " "));
        }

        #[test]
        fn text_white_space_is_clean(s in any_text()) {
            let out = text(&s);
            prop_assert!(!out.starts_with(char::is_whitespace));
            prop_assert!(!out.ends_with(char::is_whitespace));
            let chars: Vec<char> = out.chars().collect();
            for w in chars.windows(2) {
                prop_assert!(!(w[0].is_whitespace() && w[1].is_whitespace()), "{:?}", out);
            }
            for c in chars {
                prop_assert!(!c.is_whitespace() || c == ' ' || c == '\n', "{:?}", out);
            }
        }

        #[test]
        fn circled_numbers_survive(s in mixed_without_lt()) {
            let out = text(&s);
            prop_assert!(is_subsequence(&circled(&s), &circled(&out)), "{:?} -> {:?}", s, out);
        }

        #[test]
        fn integers_round_trip(n in -1_000_000_000_000i64..=1_000_000_000_000i64) {
            let expected = num(n as f64);
            let abs = n.unsigned_abs().to_string();
            let sign = if n < 0 { "-" } else { "" };
            prop_assert_eq!(number(&n.to_string()), expected);
            prop_assert_eq!(number(&format!("{sign}{}", with_commas(&abs))), expected);
            prop_assert_eq!(number(&full_width(&format!("{sign}{}", with_commas(&abs)))), expected);
            prop_assert_eq!(number(&full_width(&format!("{sign}{abs}"))), expected);
            let triangle = if n < 0 { "△" } else { "" };
            prop_assert_eq!(number(&format!("{triangle}{}", with_commas(&abs))), expected);
            prop_assert_eq!(number(&format!(" {triangle}{abs}% ")), pct(n as f64));
        }

        #[test]
        fn decimals_round_trip(m in -1_000_000_000_000_000i64..=1_000_000_000_000_000i64, k in 0u32..=3) {
            let x = m as f64 / 10f64.powi(k as i32);
            let s = format!("{x:.3}");
            let ParsedNumber::Number { value, percent: false } = number(&s) else {
                return Err(TestCaseError::fail(format!("{s:?} not a number")));
            };
            prop_assert!((value - x).abs() <= 1e-9 * x.abs().max(1e-300), "{} -> {} vs {}", s, value, x);
        }

        #[test]
        fn any_finite_f64_formatted_parses(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            let s = format!("{x:.3}");
            let expected: f64 = s.parse().unwrap_or(f64::NAN);
            prop_assert_eq!(number(&s), num(if expected == 0.0 { 0.0 } else { expected }));
        }

        #[test]
        fn number_never_panics(s in any_text()) {
            let _ = number(&s);
            let _ = is_no_value(&s);
        }

        #[test]
        fn number_never_panics_on_numberish(s in "[ 0-9０-９,，.．%％+\\-−－△▲ー—]{0,24}") {
            if let ParsedNumber::Number { value, .. } = number(&s) {
                prop_assert!(value.is_finite());
            }
        }

        #[test]
        fn number_accepts_normalized_text(s in "[ 0-9０-９,，.．%％+\\-−－△▲]{0,16}") {
            prop_assert_eq!(number(&s), number(&text(&s)));
        }
    }
}

/// The examples that documented this module's functions, kept as tests now
/// that the module is internal.
#[cfg(test)]
mod examples {
    #[test]
    fn example_text_1() {
        use crate::normalize::text;

        assert_eq!(
            text(r#"<ul style="list-style-type: none"> ○既存事業案 ・出前講座"#),
            "○既存事業案 ・出前講座"
        );
        assert_eq!(text("＜参考＞　（Ｒ４）１２㎡"), "<参考> (R4)12m2");
        assert_eq!(text("31件②地方"), "31件②地方");
        assert_eq!(text("ｶﾀｶﾅ&amp;ひらがな"), "カタカナ&ひらがな");
        assert_eq!(text("  一行目 \r\n\r\n 二行目\t\t"), "一行目\n二行目");
    }

    #[test]
    fn example_single_line_2() {
        use crate::normalize::single_line;

        assert_eq!(
            single_line("一行目\r\n二行目<br>三行目"),
            "一行目 二行目 三行目"
        );
    }

    #[test]
    fn example_is_no_value_4() {
        use crate::normalize::is_no_value;

        assert!(is_no_value(""));
        assert!(is_no_value(" \u{3000}"));
        assert!(is_no_value("—"));
        assert!(is_no_value(" ― "));
        assert!(!is_no_value("-5"));
        assert!(!is_no_value("ー部"));
    }

    #[test]
    fn example_is_circled_number_5() {
        use crate::normalize::is_circled_number;

        assert!(is_circled_number('①'));
        assert!(is_circled_number('⑳'));
        assert!(!is_circled_number('㉑'));
        assert!(!is_circled_number('1'));
    }

    #[test]
    fn example_number_6() {
        use crate::normalize::{ParsedNumber, number};

        assert_eq!(
            number("3,878,604"),
            ParsedNumber::Number {
                value: 3_878_604.0,
                percent: false
            }
        );
        assert_eq!(
            number("１２，３４５"),
            ParsedNumber::Number {
                value: 12_345.0,
                percent: false
            }
        );
        assert_eq!(
            number("11.4%"),
            ParsedNumber::Number {
                value: 11.4,
                percent: true
            }
        );
        assert_eq!(
            number("△0.8"),
            ParsedNumber::Number {
                value: -0.8,
                percent: false
            }
        );
        assert_eq!(
            number("▲ 1.2％"),
            ParsedNumber::Number {
                value: -1.2,
                percent: true
            }
        );
        assert_eq!(number("—"), ParsedNumber::NoValue);
        assert_eq!(number(""), ParsedNumber::NoValue);
        assert_eq!(number("1,23"), ParsedNumber::Text);
        assert_eq!(number("50%台後半"), ParsedNumber::Text);
    }
}
