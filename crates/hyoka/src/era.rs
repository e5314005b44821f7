//! Japanese era years (和暦) and year expressions found in evaluation sheets.
//!
//! Policy-evaluation sheets write years in many ways: `R4`, `Ｒ４`, `令和4年度`,
//! `令和元年`, `H.27`, `2022(R4)`, `2022（令和4）年度`, `2021年度`, plain `2021`.
//! This module turns all of them into a Gregorian year ([`YearRef`]), keeps the
//! era part when one was written, and reports things a caller should warn
//! about ([`YearNote`]):
//!
//! * when a Gregorian year and an era year disagree (`2022(R3)`), the
//!   Gregorian year is kept and [`YearNote::EraMismatch`] is reported;
//! * era years past the end of their era (`平成32年`, written before the change
//!   of era) are converted (2020) and [`YearNote::PastEraEnd`] is reported.
//!
//! Full-width ASCII (`Ｒ４`, `（`, `）`, `．`) and the ideographic space are
//! folded to ASCII before scanning; byte ranges returned by [`find_year`]
//! always refer to the original text.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Largest era year accepted by [`EraYear::new`] (and by the parsers).
///
/// Real era years never exceed 64 (昭和64年); the bound only keeps
/// arithmetic safe and rejects nonsense such as `R2022`.
pub const MAX_ERA_YEAR: u32 = 999;

/// Smallest plain Gregorian year accepted by the parsers (明治元年).
pub const MIN_GREGORIAN: i32 = 1868;

/// Largest plain Gregorian year accepted by the parsers.
pub const MAX_GREGORIAN: i32 = 2200;

/// A Japanese era (元号) since the Meiji restoration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    /// 明治 (M), 1868–1912.
    Meiji,
    /// 大正 (T), 1912–1926.
    Taisho,
    /// 昭和 (S), 1926–1989.
    Showa,
    /// 平成 (H), 1989–2019.
    Heisei,
    /// 令和 (R), 2019–.
    Reiwa,
}

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// Gregorian year of the era's first year (元年).
    pub const fn first_year(self) -> i32 {
        match self {
            Era::Meiji => 1868,
            Era::Taisho => 1912,
            Era::Showa => 1926,
            Era::Heisei => 1989,
            Era::Reiwa => 2019,
        }
    }

    /// Gregorian year in which the era ended (which is also the first year of
    /// the next era), or `None` for the current era.
    pub const fn last_year(self) -> Option<i32> {
        match self {
            Era::Meiji => Some(1912),
            Era::Taisho => Some(1926),
            Era::Showa => Some(1989),
            Era::Heisei => Some(2019),
            Era::Reiwa => None,
        }
    }

    /// The era name in kanji, e.g. `"令和"`.
    pub const fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The one-letter abbreviation, e.g. `'R'`.
    pub const fn letter(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// Looks up an era by its kanji name (`"令和"`); surrounding whitespace is
    /// ignored and the single-character ligatures `㍾ ㍽ ㍼ ㍻ ㋿` are accepted.
    #[cfg(test)]
    pub fn from_kanji(s: &str) -> Option<Era> {
        let s = s.trim();
        let mut chars = s.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(c), None, _) => era_from_ligature(c),
            (Some(a), Some(b), None) => era_from_kanji_pair(a, b),
            _ => None,
        }
    }

    /// Looks up an era by its letter: case-insensitive, full-width letters
    /// (`Ｒ`, `ｒ`) accepted.
    pub fn from_letter(c: char) -> Option<Era> {
        match crate::normalize::fold_width_char(c).to_ascii_uppercase() {
            'M' => Some(Era::Meiji),
            'T' => Some(Era::Taisho),
            'S' => Some(Era::Showa),
            'H' => Some(Era::Heisei),
            'R' => Some(Era::Reiwa),
            _ => None,
        }
    }
}

/// Displays the kanji name (`令和`).
impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

fn era_from_ligature(c: char) -> Option<Era> {
    match c {
        '㍾' => Some(Era::Meiji),
        '㍽' => Some(Era::Taisho),
        '㍼' => Some(Era::Showa),
        '㍻' => Some(Era::Heisei),
        '㋿' => Some(Era::Reiwa),
        _ => None,
    }
}

fn era_from_kanji_pair(a: char, b: char) -> Option<Era> {
    match (a, b) {
        ('明', '治') => Some(Era::Meiji),
        ('大', '正') => Some(Era::Taisho),
        ('昭', '和') => Some(Era::Showa),
        ('平', '成') => Some(Era::Heisei),
        ('令', '和') => Some(Era::Reiwa),
        _ => None,
    }
}

/// Errors from building or parsing an [`EraYear`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EraError {
    /// The input was empty (or only whitespace).
    #[error("empty era year")]
    Empty,
    /// Era year 0 does not exist: the first year of an era is 元年 (1).
    #[error("era year 0 does not exist: {era} starts at 元年 (year 1)")]
    ZeroYear {
        /// The era that was written.
        era: Era,
    },
    /// The era year is larger than [`MAX_ERA_YEAR`].
    #[error("era year {era}{year} is out of range (at most {MAX_ERA_YEAR})")]
    YearTooLarge {
        /// The era that was written.
        era: Era,
        /// The year number that was written.
        year: u32,
    },
    /// The text is not an era year.
    #[error("`{input}` is not an era year (expected e.g. 令和4年, R4 or H.27)")]
    Invalid {
        /// The rejected text (trimmed).
        input: String,
    },
}

/// A year of a Japanese era, e.g. 令和4年. The year is always at least 1
/// (元年) and at most [`MAX_ERA_YEAR`]; it may lie past the end of its era
/// (`平成32年`), see [`EraYear::is_past_era_end`].
///
/// Parses era-only forms via [`FromStr`] (`"R4"`, `"Ｒ４"`, `"R.4"`, `"H.27"`,
/// `"令和元年"`, `"令和 4 年度"`, `"r4"`); Gregorian forms such as `"2022(R4)"`
/// are rejected there, use [`parse_year`] for those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EraYear {
    era: Era,
    year: u32,
}

impl EraYear {
    /// Builds an era year; `year` must be in `1..=MAX_ERA_YEAR`.
    pub fn new(era: Era, year: u32) -> Result<EraYear, EraError> {
        if year == 0 {
            Err(EraError::ZeroYear { era })
        } else if year > MAX_ERA_YEAR {
            Err(EraError::YearTooLarge { era, year })
        } else {
            Ok(EraYear { era, year })
        }
    }

    /// The era.
    #[cfg(test)]
    pub fn era(self) -> Era {
        self.era
    }

    /// The year within the era (1 = 元年).
    #[cfg(test)]
    pub fn year(self) -> u32 {
        self.year
    }

    /// The Gregorian year: first year of the era + year − 1.
    pub fn to_gregorian(self) -> i32 {
        // `year <= MAX_ERA_YEAR`, so the cast cannot wrap.
        self.era.first_year() + self.year as i32 - 1
    }

    /// The era year for a Gregorian year, using the era in force at the END
    /// of that year (2019 → 令和元年, 1989 → 平成元年). `None` before 1868 or
    /// when the Reiwa year would exceed [`MAX_ERA_YEAR`].
    pub fn from_gregorian(year: i32) -> Option<EraYear> {
        let era = Era::ALL
            .iter()
            .rev()
            .copied()
            .find(|e| e.first_year() <= year)?;
        let n = u32::try_from(year - era.first_year() + 1).ok()?;
        EraYear::new(era, n).ok()
    }

    /// True when the year lies after the year the era ended, e.g. 平成32年
    /// (2020), written in documents prepared before the change of era.
    /// The final calendar year of an era (平成31年 = 2019) is not past the end.
    pub fn is_past_era_end(self) -> bool {
        self.era
            .last_year()
            .is_some_and(|last| self.to_gregorian() > last)
    }

    /// The letter form, e.g. `"R4"` (元年 is written `"R1"`).
    pub fn to_letter_form(self) -> String {
        format!("{}{}", self.era.letter(), self.year)
    }
}

/// Displays the kanji form: `令和4年`, `令和元年`, `平成32年`.
impl fmt::Display for EraYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 1 {
            write!(f, "{}元年", self.era.kanji())
        } else {
            write!(f, "{}{}年", self.era.kanji(), self.year)
        }
    }
}

impl FromStr for EraYear {
    type Err = EraError;

    fn from_str(s: &str) -> Result<EraYear, EraError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(EraError::Empty);
        }
        let invalid = || EraError::Invalid {
            input: t.to_string(),
        };
        let sc = Scanner::new(t, true);
        let raw = sc.era_core(0).ok_or_else(invalid)?;
        let end = sc.suffix(raw.end).map_or(raw.end, |(end, _)| end);
        if end != sc.len() {
            return Err(invalid());
        }
        EraYear::new(raw.era, raw.year)
    }
}

/// A year expression resolved to a Gregorian year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRef {
    /// The year to use. When both a Gregorian and an era year are written
    /// and they disagree, this is the Gregorian one.
    pub gregorian: i32,
    /// The era year, if one was written.
    pub era: Option<EraYear>,
    /// Written with 年度 (a fiscal year, April to March).
    pub fiscal: bool,
    /// Something a caller should warn about.
    pub note: Option<YearNote>,
}

impl YearRef {
    /// An English warning sentence for [`YearRef::note`], naming the era year
    /// exactly as written (more precise than [`YearNote::describe`]).
    #[cfg(test)]
    pub fn warning(&self) -> Option<String> {
        let note = self.note?;
        let g = self.gregorian;
        Some(match (note, self.era) {
            (YearNote::EraMismatch { era_gregorian }, Some(ey)) => format!(
                "era year {} means {era_gregorian}, but the Gregorian year {g} is written; {g} is kept",
                ey.to_letter_form()
            ),
            (YearNote::PastEraEnd, Some(ey)) => match ey.era().last_year() {
                Some(last) => format!(
                    "era year {ey} is past the end of {} (which ended in {last}); it is read as {g}",
                    ey.era()
                ),
                None => note.describe(g),
            },
            _ => note.describe(g),
        })
    }
}

/// Something about a year expression that a caller should warn about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearNote {
    /// A Gregorian year and an era year were both written and disagree
    /// (`2022(R3)`); the Gregorian year was kept.
    EraMismatch {
        /// The Gregorian year the era year stands for.
        era_gregorian: i32,
    },
    /// The era year lies past the end of its era (`平成32年` → 2020).
    PastEraEnd,
}

impl YearNote {
    /// An English sentence for a warning message; `gregorian` is the year
    /// that was kept ([`YearRef::gregorian`]).
    pub fn describe(&self, gregorian: i32) -> String {
        match *self {
            YearNote::EraMismatch { era_gregorian } => {
                let era = EraYear::from_gregorian(era_gregorian).map_or_else(
                    || "the era year".to_string(),
                    |e| format!("era year {}", e.to_letter_form()),
                );
                format!(
                    "{era} means {era_gregorian}, but the Gregorian year {gregorian} is written; {gregorian} is kept"
                )
            }
            YearNote::PastEraEnd => format!(
                "the era year is past the end of its era (probably written before the change of era); it is read as {gregorian}"
            ),
        }
    }
}

/// Parses a string that is exactly one year expression (after trimming),
/// optionally ending in 年 or 年度.
///
/// Accepted: `R4`, `R04`, `R.4`, `Ｒ４`, `r4`, `R元`, `H27`, `令和4年`,
/// `令和 4 年`, `令和元年`, `令和4年度`, `R3年度`, `2021`, `2021年度`,
/// `2022(R4)`, `2022(令和4)年度`, `2022（R4）年度`, `2022年度(令和4年度)`,
/// `令和4(2022)年度`. Plain Gregorian years must have four digits in
/// `1868..=2200`; era year 0 is rejected.
pub fn parse_year(s: &str) -> Option<YearRef> {
    let sc = Scanner::new(s.trim(), true);
    let found = sc.match_at(0)?;
    (found.end == sc.len()).then_some(found.year)
}

/// Finds the first year expression inside a longer text and returns it with
/// its byte range in `s`.
///
/// A match needs an era marker (`令和`, `R`, …) followed by a number or 元, or a
/// four-digit Gregorian year in `1868..=2200` that is not part of a longer
/// number (`12022`, `3.2000`), not a money amount (`¥2000`) and, when written
/// without 年 or a bracketed era, not directly followed by a unit (`2000件`,
/// `2000円`, `2000%`). Era letters must not be glued to other ASCII letters or
/// digits (`PM2.5`, `ISO`) and, unlike in [`parse_year`], must be upper case
/// (`m2` is more likely square metres than 明治2年).
pub fn find_year(s: &str) -> Option<(YearRef, Range<usize>)> {
    let sc = Scanner::new(s, false);
    (0..sc.len()).find_map(|i| {
        sc.match_at(i)
            .map(|found| (found.year, sc.offset(i)..sc.offset(found.end)))
    })
}

/// The Japanese fiscal year (年度, April to March) containing a month:
/// January to March belong to the previous fiscal year.
///
/// `month` is not validated: only `1..=3` shift the year.
pub fn fiscal_year_of(year: i32, month: u32) -> i32 {
    if (1..=3).contains(&month) {
        year - 1
    } else {
        year
    }
}

// ---------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------

/// An era marker and number as written, before validation.
struct RawEra {
    era: Era,
    /// The written number, saturating; may be 0 or too large.
    year: u32,
    /// Token index just after the number.
    end: usize,
}

/// A matched year expression.
struct Found {
    year: YearRef,
    /// Token index just after the expression.
    end: usize,
}

/// The text as folded characters with their byte offsets in the original.
struct Scanner {
    toks: Vec<(usize, char)>,
    len_bytes: usize,
    /// Accept lower-case era letters (`r4`). Off inside running text, where
    /// `m2` or `h2` are more likely units than era years.
    lowercase_letters: bool,
}

impl Scanner {
    fn new(s: &str, lowercase_letters: bool) -> Scanner {
        Scanner {
            lowercase_letters,
            toks: s
                .char_indices()
                .map(|(i, c)| (i, crate::normalize::fold_width_char(c)))
                .collect(),
            len_bytes: s.len(),
        }
    }

    /// Number of characters.
    fn len(&self) -> usize {
        self.toks.len()
    }

    /// Byte offset of character `i` (the text length at the end).
    fn offset(&self, i: usize) -> usize {
        self.toks.get(i).map_or(self.len_bytes, |&(at, _)| at)
    }

    fn get(&self, i: usize) -> Option<char> {
        self.toks.get(i).map(|&(_, c)| c)
    }

    fn is(&self, i: usize, c: char) -> bool {
        self.get(i) == Some(c)
    }

    fn prev(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.get(j))
    }

    fn is_digit(&self, i: usize) -> bool {
        self.get(i).is_some_and(|c| c.is_ascii_digit())
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while self.get(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        i
    }

    /// Length and (saturating) value of the ASCII digit run at `i`.
    fn digits(&self, i: usize) -> (usize, u32) {
        let mut n = 0;
        let mut v: u32 = 0;
        while let Some(d) = self.get(i + n).and_then(|c| c.to_digit(10)) {
            v = v.saturating_mul(10).saturating_add(d);
            n += 1;
        }
        (n, v)
    }

    /// `ws* 年 [度]` at `i`: end index and whether 度 was present.
    fn suffix(&self, i: usize) -> Option<(usize, bool)> {
        let j = self.skip_ws(i);
        if !self.is(j, '年') {
            return None;
        }
        if self.is(j + 1, '度') {
            Some((j + 2, true))
        } else {
            Some((j + 1, false))
        }
    }

    /// `ws* ( ws* <inner> ws* )` at `i`.
    fn bracket<T>(
        &self,
        i: usize,
        inner: impl Fn(usize) -> Option<(T, usize)>,
    ) -> Option<(T, usize)> {
        let k = self.skip_ws(i);
        if !self.is(k, '(') {
            return None;
        }
        let (t, k) = inner(self.skip_ws(k + 1))?;
        let k = self.skip_ws(k);
        self.is(k, ')').then_some((t, k + 1))
    }

    /// An era marker and its number at `i`: `令和 ws* N`, `㋿N`, `R N`,
    /// `R. ws* N`, where N is digits or 元. Letters must not be glued to
    /// other ASCII letters or digits.
    fn era_core(&self, i: usize) -> Option<RawEra> {
        let c = self.get(i)?;
        let (era, j) = if let Some(era) = era_from_ligature(c) {
            (era, self.skip_ws(i + 1))
        } else if let Some(era) = self.get(i + 1).and_then(|c2| era_from_kanji_pair(c, c2)) {
            (era, self.skip_ws(i + 2))
        } else if c.is_ascii_alphabetic() {
            if c.is_ascii_lowercase() && !self.lowercase_letters {
                return None;
            }
            let era = Era::from_letter(c)?;
            if self.prev(i).is_some_and(|p| p.is_ascii_alphanumeric()) {
                return None;
            }
            let j = if self.is(i + 1, '.') {
                self.skip_ws(i + 2)
            } else {
                i + 1
            };
            let (n, year) = self.number(j)?;
            if self.get(j + n).is_some_and(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            return Some(RawEra {
                era,
                year,
                end: j + n,
            });
        } else {
            return None;
        };
        let (n, year) = self.number(j)?;
        Some(RawEra {
            era,
            year,
            end: j + n,
        })
    }

    /// An era year number at `i`: digits or 元. Returns (length, value).
    fn number(&self, i: usize) -> Option<(usize, u32)> {
        if self.is(i, '元') {
            return Some((1, 1));
        }
        let (n, v) = self.digits(i);
        (n > 0).then_some((n, v))
    }

    /// A valid era year with optional 年/年度 at `i` (inside brackets).
    fn era_inner(&self, i: usize) -> Option<((EraYear, bool), usize)> {
        let raw = self.era_core(i)?;
        let ey = EraYear::new(raw.era, raw.year).ok()?;
        Some(match self.suffix(raw.end) {
            Some((end, fiscal)) => ((ey, fiscal), end),
            None => ((ey, false), raw.end),
        })
    }

    /// A four-digit Gregorian year in range at `i` that is not part of a
    /// longer number or a money amount.
    fn gregorian(&self, i: usize) -> Option<(i32, usize)> {
        let (n, v) = self.digits(i);
        if n != 4 || self.prev(i).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        match self.prev(i) {
            Some('.' | ',') if i >= 2 && self.is_digit(i - 2) => return None,
            Some('¥' | '￥' | '$' | '€' | '£') => return None,
            _ => {}
        }
        let g = i32::try_from(v).ok()?;
        (MIN_GREGORIAN..=MAX_GREGORIAN)
            .contains(&g)
            .then_some((g, i + 4))
    }

    /// A Gregorian year with optional 年/年度 at `i` (inside brackets).
    fn gregorian_inner(&self, i: usize) -> Option<((i32, bool), usize)> {
        let (g, end) = self.gregorian(i)?;
        Some(match self.suffix(end) {
            Some((end, fiscal)) => ((g, fiscal), end),
            None => ((g, false), end),
        })
    }

    /// Whether a bare four-digit number ending at `end` (no 年, no bracketed
    /// era) can be a year rather than a quantity like `2000件` or `2000.5`.
    fn bare_gregorian_ok(&self, end: usize) -> bool {
        match self.get(end) {
            None => true,
            Some(c) if c.is_alphanumeric() || c == '%' => false,
            Some('.' | ',') => !self.is_digit(end + 1),
            Some(c) if c.is_whitespace() => match self.get(self.skip_ws(end)) {
                Some('%') => false,
                Some(c) => c.is_ascii() || !c.is_alphanumeric(),
                None => true,
            },
            Some(_) => true,
        }
    }

    /// `YYYY [年[度]] [(era [年[度]])] [年[度]]`.
    fn match_gregorian_first(&self, i: usize) -> Option<Found> {
        let (g, mut end) = self.gregorian(i)?;
        let mut fiscal = false;
        let mut suffixed = false;
        if let Some((e, f)) = self.suffix(end) {
            // 2000年代 (the 2000s), 2000年間 (2000 years) are not years.
            if !f && matches!(self.get(e), Some('代' | '間')) {
                return None;
            }
            end = e;
            fiscal = f;
            suffixed = true;
        }
        let mut era = None;
        if let Some(((ey, f), e)) = self.bracket(end, |k| self.era_inner(k)) {
            era = Some(ey);
            fiscal |= f;
            end = e;
            if let Some((e, f)) = self.suffix(end).filter(|_| !suffixed) {
                end = e;
                fiscal |= f;
                suffixed = true;
            }
        }
        if !suffixed && era.is_none() && !self.bare_gregorian_ok(end) {
            return None;
        }
        let note = era.and_then(|ey| note_for(g, ey));
        Some(Found {
            year: YearRef {
                gregorian: g,
                era,
                fiscal,
                note,
            },
            end,
        })
    }

    /// `era N [年[度]] [(YYYY [年[度]])] [年[度]]`.
    fn match_era_first(&self, i: usize) -> Option<Found> {
        let raw = self.era_core(i)?;
        let ey = EraYear::new(raw.era, raw.year).ok()?;
        let mut end = raw.end;
        let mut fiscal = false;
        let mut suffixed = false;
        if let Some((e, f)) = self.suffix(end) {
            end = e;
            fiscal = f;
            suffixed = true;
        }
        let mut gregorian = None;
        if let Some(((g, f), e)) = self.bracket(end, |k| self.gregorian_inner(k)) {
            gregorian = Some(g);
            fiscal |= f;
            end = e;
            if let Some((e, f)) = self.suffix(end).filter(|_| !suffixed) {
                end = e;
                fiscal |= f;
            }
        }
        let (gregorian, note) = match gregorian {
            Some(g) => (g, note_for(g, ey)),
            None => (
                ey.to_gregorian(),
                ey.is_past_era_end().then_some(YearNote::PastEraEnd),
            ),
        };
        Some(Found {
            year: YearRef {
                gregorian,
                era: Some(ey),
                fiscal,
                note,
            },
            end,
        })
    }

    fn match_at(&self, i: usize) -> Option<Found> {
        self.match_gregorian_first(i)
            .or_else(|| self.match_era_first(i))
    }
}

/// The note for a Gregorian year written together with an era year.
fn note_for(gregorian: i32, ey: EraYear) -> Option<YearNote> {
    let era_gregorian = ey.to_gregorian();
    if era_gregorian != gregorian {
        Some(YearNote::EraMismatch { era_gregorian })
    } else if ey.is_past_era_end() {
        Some(YearNote::PastEraEnd)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn g(s: &str) -> i32 {
        parse_year(s)
            .unwrap_or_else(|| panic!("{s:?} should parse"))
            .gregorian
    }

    fn ey(era: Era, year: u32) -> EraYear {
        EraYear::new(era, year).unwrap()
    }

    #[test]
    fn era_tables() {
        assert_eq!(Era::ALL.len(), 5);
        for w in Era::ALL.windows(2) {
            assert!(w[0] < w[1]);
            assert_eq!(w[0].last_year(), Some(w[1].first_year()));
        }
        assert_eq!(Era::Reiwa.last_year(), None);
        for era in Era::ALL {
            assert_eq!(Era::from_kanji(era.kanji()), Some(era));
            assert_eq!(Era::from_letter(era.letter()), Some(era));
            assert_eq!(
                Era::from_letter(era.letter().to_ascii_lowercase()),
                Some(era)
            );
            let fw = char::from_u32(era.letter() as u32 + 0xFEE0).unwrap();
            assert_eq!(Era::from_letter(fw), Some(era));
            assert_eq!(era.to_string(), era.kanji());
        }
        assert_eq!(Era::from_kanji(" 令和 "), Some(Era::Reiwa));
        assert_eq!(Era::from_kanji("㍻"), Some(Era::Heisei));
        assert_eq!(Era::from_kanji("令"), None);
        assert_eq!(Era::from_kanji("令和元"), None);
        assert_eq!(Era::from_kanji(""), None);
        assert_eq!(Era::from_letter('X'), None);
        assert_eq!(Era::from_letter('令'), None);
    }

    #[test]
    fn letter_forms() {
        assert_eq!(g("R4"), 2022);
        assert_eq!(g("R04"), 2022);
        assert_eq!(g("R.4"), 2022);
        assert_eq!(g("R. 4"), 2022);
        assert_eq!(g("Ｒ４"), 2022);
        assert_eq!(g("Ｒ．４"), 2022);
        assert_eq!(g("r4"), 2022);
        assert_eq!(g("R元"), 2019);
        assert_eq!(g("Ｒ元"), 2019);
        assert_eq!(g("H27"), 2015);
        assert_eq!(g("H.27"), 2015);
        assert_eq!(g("H30"), 2018);
        assert_eq!(g("S64"), 1989);
        assert_eq!(g("T15"), 1926);
        assert_eq!(g("M45"), 1912);
        assert_eq!(g("M1"), 1868);
        assert_eq!(g("  R3年度  "), 2021);
        let y = parse_year("R3年度").unwrap();
        assert!(y.fiscal);
        assert_eq!(y.era, Some(ey(Era::Reiwa, 3)));
        assert_eq!(y.note, None);
        let y = parse_year("R4").unwrap();
        assert!(!y.fiscal);
        assert_eq!(y.era, Some(ey(Era::Reiwa, 4)));
    }

    #[test]
    fn kanji_forms() {
        assert_eq!(g("令和4年"), 2022);
        assert_eq!(g("令和4"), 2022);
        assert_eq!(g("令和元年"), 2019);
        assert_eq!(g("令和 4 年"), 2022);
        assert_eq!(g("令和　４　年"), 2022);
        assert_eq!(g("平成31年"), 2019);
        assert_eq!(g("昭和64年"), 1989);
        assert_eq!(g("明治元年"), 1868);
        assert_eq!(g("大正元年"), 1912);
        assert_eq!(g("㋿4年"), 2022);
        let y = parse_year("令和4年度").unwrap();
        assert_eq!((y.gregorian, y.fiscal, y.note), (2022, true, None));
        let y = parse_year("令和元年度").unwrap();
        assert_eq!((y.gregorian, y.fiscal), (2019, true));
        let y = parse_year("令和4年").unwrap();
        assert!(!y.fiscal);
        assert_eq!(parse_year("平成31年").unwrap().note, None);
    }

    #[test]
    fn gregorian_forms() {
        let y = parse_year("2021").unwrap();
        assert_eq!(
            y,
            YearRef {
                gregorian: 2021,
                era: None,
                fiscal: false,
                note: None
            }
        );
        let y = parse_year("2021年度").unwrap();
        assert_eq!(
            y,
            YearRef {
                gregorian: 2021,
                era: None,
                fiscal: true,
                note: None
            }
        );
        assert_eq!(g("2021年"), 2021);
        assert_eq!(g("２０２１年度"), 2021);
        assert_eq!(g("1868"), 1868);
        assert_eq!(g("2200"), 2200);
        assert_eq!(parse_year("1867"), None);
        assert_eq!(parse_year("2201"), None);
        assert_eq!(parse_year("202"), None);
        assert_eq!(parse_year("20221"), None);
        assert_eq!(parse_year("02022"), None);
    }

    #[test]
    fn bracketed_forms() {
        for s in [
            "2022(R4)",
            "2022(令和4)年度",
            "2022（R4）年度",
            "2022（Ｒ４）年度",
            "2022 ( R4 ) 年度",
            "2022年度(令和4年度)",
            "2022年度（R4）",
            "2022(令和4年)",
            "令和4(2022)年度",
            "令和4年度(2022年度)",
            "R4(2022)",
        ] {
            let y = parse_year(s).unwrap_or_else(|| panic!("{s:?}"));
            assert_eq!(y.gregorian, 2022, "{s:?}");
            assert_eq!(y.era, Some(ey(Era::Reiwa, 4)), "{s:?}");
            assert_eq!(y.note, None, "{s:?}");
        }
        let y = parse_year("2021(R3)").unwrap();
        assert_eq!((y.gregorian, y.fiscal), (2021, false));
        assert!(parse_year("2022(令和4)年度").unwrap().fiscal);
        assert!(parse_year("2022(令和4年度)").unwrap().fiscal);
        assert!(!parse_year("2022(R4)").unwrap().fiscal);
        assert_eq!(g("2019(R元)"), 2019);
        assert_eq!(g("2019(H31)"), 2019);
        // Not a well-formed bracket: not a single expression.
        assert_eq!(parse_year("2022(R4"), None);
        assert_eq!(parse_year("2022(見込)"), None);
    }

    #[test]
    fn mismatch_keeps_gregorian() {
        let y = parse_year("2022(R3)").unwrap();
        assert_eq!(y.gregorian, 2022);
        assert_eq!(y.era, Some(ey(Era::Reiwa, 3)));
        assert_eq!(
            y.note,
            Some(YearNote::EraMismatch {
                era_gregorian: 2021
            })
        );
        assert_eq!(
            y.note.unwrap().describe(y.gregorian),
            "era year R3 means 2021, but the Gregorian year 2022 is written; 2022 is kept"
        );
        assert_eq!(
            y.warning().unwrap(),
            "era year R3 means 2021, but the Gregorian year 2022 is written; 2022 is kept"
        );
        let y = parse_year("令和4(2023)年度").unwrap();
        assert_eq!(y.gregorian, 2023);
        assert_eq!(
            y.note,
            Some(YearNote::EraMismatch {
                era_gregorian: 2022
            })
        );
        // The warning names the era year as written.
        let y = parse_year("2022(H33)").unwrap();
        assert_eq!(
            y.note,
            Some(YearNote::EraMismatch {
                era_gregorian: 2021
            })
        );
        assert!(y.warning().unwrap().starts_with("era year H33 means 2021"));
    }

    #[test]
    fn past_era_end() {
        let y = parse_year("平成32年").unwrap();
        assert_eq!(y.gregorian, 2020);
        assert_eq!(y.era, Some(ey(Era::Heisei, 32)));
        assert_eq!(y.note, Some(YearNote::PastEraEnd));
        assert!(y.note.unwrap().describe(2020).contains("2020"));
        assert_eq!(
            y.warning().unwrap(),
            "era year 平成32年 is past the end of 平成 (which ended in 2019); it is read as 2020"
        );
        assert_eq!(parse_year("H32").unwrap().note, Some(YearNote::PastEraEnd));
        assert_eq!(parse_year("昭和65年").unwrap().gregorian, 1990);
        assert!(ey(Era::Heisei, 32).is_past_era_end());
        assert!(!ey(Era::Heisei, 31).is_past_era_end());
        assert!(!ey(Era::Showa, 64).is_past_era_end());
        assert!(ey(Era::Showa, 65).is_past_era_end());
        assert!(!ey(Era::Reiwa, 99).is_past_era_end());
        // Consistent with the Gregorian year, but still past the end.
        let y = parse_year("2020(H32)").unwrap();
        assert_eq!((y.gregorian, y.note), (2020, Some(YearNote::PastEraEnd)));
    }

    #[test]
    fn invalid_inputs() {
        for s in [
            "",
            "   ",
            "R0",
            "令和0年",
            "R",
            "令和",
            "令和年",
            "X4",
            "R4x",
            "RR4",
            "abc",
            "40件",
            "2.7",
            "R-4",
            "R 4",
            "年度",
            "R1000",
            "2022年度度",
            "R4.5",
        ] {
            assert_eq!(parse_year(s), None, "{s:?}");
        }
    }

    #[test]
    fn from_str_and_errors() {
        assert_eq!("R4".parse::<EraYear>(), Ok(ey(Era::Reiwa, 4)));
        assert_eq!("Ｒ４".parse::<EraYear>(), Ok(ey(Era::Reiwa, 4)));
        assert_eq!("H.27".parse::<EraYear>(), Ok(ey(Era::Heisei, 27)));
        assert_eq!("令和元年".parse::<EraYear>(), Ok(ey(Era::Reiwa, 1)));
        assert_eq!(" 令和 4 年度 ".parse::<EraYear>(), Ok(ey(Era::Reiwa, 4)));
        assert_eq!("平成32年".parse::<EraYear>(), Ok(ey(Era::Heisei, 32)));
        assert_eq!("r元".parse::<EraYear>(), Ok(ey(Era::Reiwa, 1)));
        assert_eq!(
            "R0".parse::<EraYear>(),
            Err(EraError::ZeroYear { era: Era::Reiwa })
        );
        assert_eq!(
            "令和0年".parse::<EraYear>(),
            Err(EraError::ZeroYear { era: Era::Reiwa })
        );
        assert_eq!(
            "H1000".parse::<EraYear>(),
            Err(EraError::YearTooLarge {
                era: Era::Heisei,
                year: 1000
            })
        );
        assert_eq!("".parse::<EraYear>(), Err(EraError::Empty));
        assert_eq!(" ".parse::<EraYear>(), Err(EraError::Empty));
        for s in ["garbage", "2022", "2022(R4)", "R4x", "令和", "R4 5", "4"] {
            assert_eq!(
                s.parse::<EraYear>(),
                Err(EraError::Invalid {
                    input: s.trim().to_string()
                }),
                "{s:?}"
            );
        }
        assert_eq!(
            EraYear::new(Era::Reiwa, 0),
            Err(EraError::ZeroYear { era: Era::Reiwa })
        );
        assert!(EraYear::new(Era::Reiwa, MAX_ERA_YEAR).is_ok());
        assert!(EraYear::new(Era::Reiwa, MAX_ERA_YEAR + 1).is_err());
        // Messages are human-readable.
        assert_eq!(
            EraError::ZeroYear { era: Era::Reiwa }.to_string(),
            "era year 0 does not exist: 令和 starts at 元年 (year 1)"
        );
        assert!(
            EraError::Invalid {
                input: "abc".into()
            }
            .to_string()
            .contains("`abc`")
        );
        assert!(!EraError::Empty.to_string().is_empty());
    }

    #[test]
    fn display() {
        assert_eq!(ey(Era::Reiwa, 4).to_string(), "令和4年");
        assert_eq!(ey(Era::Reiwa, 1).to_string(), "令和元年");
        assert_eq!(ey(Era::Heisei, 32).to_string(), "平成32年");
        assert_eq!(ey(Era::Meiji, 1).to_string(), "明治元年");
        assert_eq!(ey(Era::Reiwa, 1).to_letter_form(), "R1");
        assert_eq!(ey(Era::Heisei, 27).to_letter_form(), "H27");
    }

    #[test]
    fn from_gregorian_boundaries() {
        let cases = [
            (1867, None),
            (1868, Some((Era::Meiji, 1))),
            (1911, Some((Era::Meiji, 44))),
            (1912, Some((Era::Taisho, 1))),
            (1925, Some((Era::Taisho, 14))),
            (1926, Some((Era::Showa, 1))),
            (1988, Some((Era::Showa, 63))),
            (1989, Some((Era::Heisei, 1))),
            (2018, Some((Era::Heisei, 30))),
            (2019, Some((Era::Reiwa, 1))),
            (2022, Some((Era::Reiwa, 4))),
            (3017, Some((Era::Reiwa, 999))),
            (3018, None),
            (i32::MIN, None),
            (i32::MAX, None),
        ];
        for (year, want) in cases {
            assert_eq!(
                EraYear::from_gregorian(year),
                want.map(|(e, n)| ey(e, n)),
                "{year}"
            );
        }
        for era in Era::ALL {
            let first = EraYear::from_gregorian(era.first_year()).unwrap();
            assert_eq!((first.era(), first.year()), (era, 1));
            assert_eq!(first.to_gregorian(), era.first_year());
        }
    }

    #[test]
    fn fiscal_year() {
        let g = ey(Era::Reiwa, 5).to_gregorian();
        assert_eq!(fiscal_year_of(g, 3), 2022);
        assert_eq!(fiscal_year_of(g, 1), 2022);
        assert_eq!(fiscal_year_of(g, 4), 2023);
        assert_eq!(fiscal_year_of(g, 12), 2023);
    }

    #[test]
    fn find_in_text() {
        let s = "2022(R4)年度の事務事業";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.fiscal, y.note), (2022, true, None));
        assert_eq!(&s[r], "2022(R4)年度");

        let s = "令和5年度の事務事業";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.fiscal), (2023, true));
        assert_eq!(&s[r], "令和5年度");

        let s = "現状値(R元)";
        let (y, r) = find_year(s).unwrap();
        assert_eq!(y.gregorian, 2019);
        assert_eq!(&s[r], "R元");

        let s = "現状値（Ｈ３０）";
        let (y, r) = find_year(s).unwrap();
        assert_eq!(y.gregorian, 2018);
        assert_eq!(&s[r], "Ｈ３０");

        assert_eq!(find_year("現状値(H30)").unwrap().0.gregorian, 2018);
        assert_eq!(find_year("目標値(単年)"), None);
        assert_eq!(find_year("40件"), None);
        assert_eq!(find_year("2.7ポイント"), None);
        assert_eq!(find_year("前年比 2.7ポイント増、40件"), None);
        assert_eq!(find_year("2000件"), None);
        assert_eq!(find_year("2000円"), None);
        assert_eq!(find_year("¥2000"), None);
        assert_eq!(find_year("12,2000人"), None);
        assert_eq!(find_year("3.2000"), None);
        assert_eq!(find_year("2000.5"), None);
        assert_eq!(find_year("12022"), None);
        assert_eq!(find_year("1990年代"), None);
        assert_eq!(find_year("PM2.5"), None);
        assert_eq!(find_year("ISO9001"), None);
        assert_eq!(find_year("R4x"), None);
        assert_eq!(find_year("面積 120 m2"), None);
        assert_eq!(find_year("r4"), None);
        assert_eq!(find_year("ｒ４"), None);
        assert_eq!(find_year("Ｒ４").unwrap().0.gregorian, 2022);
        assert_eq!(find_year(""), None);

        let s = "実績 2021 年度 見込";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.fiscal), (2021, true));
        assert_eq!(&s[r], "2021 年度");

        let s = "計画期間 H27～R2";
        let (y, r) = find_year(s).unwrap();
        assert_eq!(y.gregorian, 2015);
        assert_eq!(&s[r], "H27");

        let s = "令和5年3月策定";
        let (y, r) = find_year(s).unwrap();
        assert_eq!(y.gregorian, 2023);
        assert_eq!(&s[r], "令和5年");
        assert_eq!(fiscal_year_of(y.gregorian, 3), 2022);

        let s = "（平成32年度）";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.note), (2020, Some(YearNote::PastEraEnd)));
        assert_eq!(&s[r], "平成32年度");

        let s = "達成率 2022(R3)";
        let (y, _) = find_year(s).unwrap();
        assert_eq!(y.gregorian, 2022);
        assert_eq!(
            y.note,
            Some(YearNote::EraMismatch {
                era_gregorian: 2021
            })
        );

        // A bare Gregorian year ending the text or followed by punctuation.
        assert_eq!(find_year("年度: 2024").unwrap().0.gregorian, 2024);
        assert_eq!(find_year("2024、2025").unwrap().0.gregorian, 2024);
        assert_eq!(find_year("2024/4/1").unwrap().0.gregorian, 2024);
        // "2022 令和4年": the bare year is skipped, the era year is found.
        assert_eq!(find_year("2022 令和4年").unwrap().0.gregorian, 2022);
        // A bracket that is not an era leaves the bare year.
        let s = "2022(見込)";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.era), (2022, None));
        assert_eq!(&s[r], "2022");
    }

    fn era_strategy() -> impl Strategy<Value = Era> {
        (0usize..Era::ALL.len()).prop_map(|i| Era::ALL[i])
    }

    proptest! {
        #[test]
        fn gregorian_round_trip(y in 1868i32..=2100) {
            let e = EraYear::from_gregorian(y).unwrap();
            prop_assert_eq!(e.to_gregorian(), y);
            prop_assert!(!e.is_past_era_end());
            let r = parse_year(&e.to_string()).unwrap();
            prop_assert_eq!(r.gregorian, y);
            prop_assert_eq!(r.era, Some(e));
            prop_assert_eq!(r.note, None);
            prop_assert_eq!(e.to_string().parse::<EraYear>(), Ok(e));
            prop_assert_eq!(parse_year(&e.to_letter_form()).unwrap().gregorian, y);
        }

        #[test]
        fn letter_and_bracket_forms(era in era_strategy(), n in 1u32..=64) {
            let want = era.first_year() + n as i32 - 1;
            let past = era.last_year().is_some_and(|l| want > l);
            let expected_note = past.then_some(YearNote::PastEraEnd);

            let r = parse_year(&format!("{}{}", era.letter(), n)).unwrap();
            prop_assert_eq!(r.gregorian, want);
            prop_assert_eq!(r.era, Some(EraYear::new(era, n).unwrap()));
            prop_assert_eq!(r.note, expected_note);
            prop_assert!(!r.fiscal);

            let lower = era.letter().to_ascii_lowercase();
            prop_assert_eq!(parse_year(&format!("{lower}{n:02}")).unwrap().gregorian, want);

            let s = format!("{}({}{})年度", want, era.letter(), n);
            let r = parse_year(&s).unwrap();
            prop_assert_eq!(r.gregorian, want);
            prop_assert!(r.fiscal);
            prop_assert_eq!(r.note, expected_note);

            let (fr, range) = find_year(&format!("計画:{s}の値")).unwrap();
            prop_assert_eq!(fr, r);
            prop_assert_eq!(range, "計画:".len().."計画:".len() + s.len());
        }

        #[test]
        fn prop_mismatch_keeps_gregorian(g in 1868i32..=2200, era in era_strategy(), n in 1u32..=64) {
            let era_g = era.first_year() + n as i32 - 1;
            prop_assume!(era_g != g);
            let r = parse_year(&format!("{}({}{})年度", g, era.letter(), n)).unwrap();
            prop_assert_eq!(r.gregorian, g);
            prop_assert_eq!(r.note, Some(YearNote::EraMismatch { era_gregorian: era_g }));
            let r = parse_year(&format!("{}（{}{}）", g, era.kanji(), n)).unwrap();
            prop_assert_eq!(r.gregorian, g);
            prop_assert_eq!(r.note, Some(YearNote::EraMismatch { era_gregorian: era_g }));
        }

        #[test]
        fn find_year_never_panics(s in "\\PC{0,40}") {
            if let Some((_, r)) = find_year(&s) {
                prop_assert!(s.get(r.clone()).is_some());
                prop_assert!(!r.is_empty());
            }
            let _ = parse_year(&s);
            let _ = s.parse::<EraYear>();
        }

        #[test]
        fn no_year_in_small_numbers(n in 0u32..1868, unit in prop::sample::select(vec!["件", "人", "ポイント", "%", ""])) {
            let s = format!("{n}{unit}");
            prop_assert_eq!(find_year(&s), None);
        }
    }
}

/// The examples that documented this module's functions, kept as tests now
/// that the module is internal.
#[cfg(test)]
mod examples {
    #[test]
    fn example_item_1() {
        use crate::era::Era;

        assert_eq!(Era::Reiwa.first_year(), 2019);
        assert_eq!(Era::Heisei.last_year(), Some(2019));
        assert_eq!(Era::Reiwa.kanji(), "令和");
        assert_eq!(Era::from_letter('ｈ'), Some(Era::Heisei));
        assert_eq!(Era::from_kanji("昭和"), Some(Era::Showa));
    }

    #[test]
    fn example_item_2() {
        use crate::era::{Era, EraYear};

        let y: EraYear = "Ｒ元".parse().unwrap();
        assert_eq!(y.era(), Era::Reiwa);
        assert_eq!(y.year(), 1);
        assert_eq!(y.to_gregorian(), 2019);
        assert_eq!(y.to_string(), "令和元年");
        assert!("R0".parse::<EraYear>().is_err());
    }

    #[test]
    fn example_new_3() {
        use crate::era::{Era, EraError, EraYear};

        assert_eq!(EraYear::new(Era::Heisei, 27).unwrap().to_gregorian(), 2015);
        assert_eq!(
            EraYear::new(Era::Reiwa, 0),
            Err(EraError::ZeroYear { era: Era::Reiwa })
        );
    }

    #[test]
    fn example_to_gregorian_4() {
        use crate::era::{Era, EraYear};

        assert_eq!(EraYear::new(Era::Reiwa, 4).unwrap().to_gregorian(), 2022);
        assert_eq!(EraYear::new(Era::Heisei, 32).unwrap().to_gregorian(), 2020);
    }

    #[test]
    fn example_from_gregorian_5() {
        use crate::era::{Era, EraYear};

        assert_eq!(
            EraYear::from_gregorian(2019),
            EraYear::new(Era::Reiwa, 1).ok()
        );
        assert_eq!(
            EraYear::from_gregorian(2018),
            EraYear::new(Era::Heisei, 30).ok()
        );
        assert_eq!(EraYear::from_gregorian(1867), None);
    }

    #[test]
    fn example_warning_6() {
        use crate::era::parse_year;

        let y = parse_year("平成32年度").unwrap();
        assert_eq!(
            y.warning().unwrap(),
            "era year 平成32年 is past the end of 平成 (which ended in 2019); it is read as 2020"
        );
        assert_eq!(parse_year("R2").unwrap().warning(), None);
    }

    #[test]
    fn example_parse_year_8() {
        use crate::era::{YearNote, parse_year};

        assert_eq!(parse_year("令和元年").unwrap().gregorian, 2019);
        assert_eq!(parse_year("H27").unwrap().gregorian, 2015);

        let y = parse_year("2022(令和4)年度").unwrap();
        assert_eq!((y.gregorian, y.fiscal, y.note), (2022, true, None));

        let y = parse_year("2022(R3)").unwrap();
        assert_eq!(y.gregorian, 2022);
        assert_eq!(
            y.note,
            Some(YearNote::EraMismatch {
                era_gregorian: 2021
            })
        );

        assert_eq!(parse_year("R0"), None);
        assert_eq!(parse_year("40件"), None);
    }

    #[test]
    fn example_find_year_9() {
        use crate::era::find_year;

        let s = "2022(R4)年度の事務事業";
        let (y, r) = find_year(s).unwrap();
        assert_eq!((y.gregorian, y.fiscal), (2022, true));
        assert_eq!(&s[r], "2022(R4)年度");

        assert_eq!(find_year("現状値(H30)").unwrap().0.gregorian, 2018);
        assert_eq!(find_year("現状値(R元)").unwrap().0.gregorian, 2019);
        assert_eq!(find_year("目標値(単年)"), None);
        assert_eq!(find_year("40件、2.7ポイント増"), None);
    }

    #[test]
    fn example_fiscal_year_of_10() {
        use crate::era::{Era, EraYear, fiscal_year_of};

        // 令和5年3月 is in fiscal 2022 (令和4年度).
        let g = EraYear::new(Era::Reiwa, 5).unwrap().to_gregorian();
        assert_eq!(fiscal_year_of(g, 3), 2022);
        assert_eq!(fiscal_year_of(2023, 4), 2023);
    }

    #[test]
    fn example_module() {
        use crate::era::{YearNote, parse_year};

        let y = parse_year("2022（R4）年度").unwrap();
        assert_eq!(y.gregorian, 2022);
        assert!(y.fiscal);
        assert_eq!(y.note, None);

        let y = parse_year("平成32年").unwrap();
        assert_eq!(y.gregorian, 2020);
        assert_eq!(y.note, Some(YearNote::PastEraEnd));
    }
}
