//! Number formats: how a workbook shows a number, where that changes the
//! value a reader of the page sees.
//!
//! A workbook stores `0.305` in a cell formatted `0.0%` and shows `30.5%`;
//! it stores `66.6666666666667` formatted `0.0` and shows `66.7`. The PDF
//! and the text export of the same sheet carry what is shown, so a
//! workbook cell must read as shown too, or the same KPI differs by 100×
//! between forms. Only what changes the value counts: thousands separators,
//! colours, currency signs and padding do not, and a whole number shown
//! with `.0` is the same number.

use std::collections::HashMap;

use super::xml::{attr, next_tag};
use crate::grid::{Cell, ShownNumber};

/// Cells shown otherwise than stored, by worksheet name: (0-based row and
/// column) and the cell as shown.
pub(super) type ShownCells = HashMap<String, Vec<((u32, u32), Cell)>>;

/// What a number format does to the value it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Display {
    /// `%`: the value shows ×100.
    percent: bool,
    /// Digits after the point, at most and at least (`0.0#` is 2 and 1);
    /// `None` for `General`, which shows what fits.
    decimals: Option<(u8, u8)>,
}

impl Display {
    /// The display of a format code (its first section, for positive
    /// numbers), or `None` when it cannot change a number's value: `General`,
    /// text (`@`), dates and times (calamine reads those as dates already),
    /// scientific notation, and formats without digits.
    ///
    /// ```ignore
    /// assert!(Display::of("0.0%").is_some());
    /// assert!(Display::of("#,##0").is_some());
    /// assert!(Display::of("General").is_none());
    /// ```
    pub(super) fn of(code: &str) -> Option<Display> {
        let section = first_section(code);
        let mut percent = false;
        let mut digits = false;
        let mut point = false;
        let (mut most, mut least) = (0u8, 0u8);
        for c in section.chars() {
            match c {
                '%' => percent = true,
                '0' | '#' | '?' => {
                    digits = true;
                    if point {
                        most = most.saturating_add(1);
                        if c == '0' {
                            least = least.saturating_add(1);
                        }
                    }
                }
                '.' => point = true,
                'e' | 'E' | '@' => return None,
                'y' | 'm' | 'd' | 'h' | 's' | 'Y' | 'M' | 'D' | 'H' | 'S' => return None,
                _ => {}
            }
        }
        if !digits && !percent {
            return None;
        }
        Some(Display {
            percent,
            decimals: digits.then_some((most.min(15), least.min(15))),
        })
    }

    /// Whether this display can change some value (a percent always does;
    /// decimals only when a value has more of them).
    pub(super) fn can_change(self) -> bool {
        self.percent || self.decimals.is_some()
    }

    /// A number as this display shows it: a [`Cell::Shown`] when the page
    /// shows another value than the one stored, else `None` (the cell stays
    /// a plain number).
    pub(super) fn show(self, stored: f64) -> Option<Cell> {
        if !stored.is_finite() {
            return None;
        }
        let value = if self.percent {
            significant(stored * 100.0)
        } else {
            significant(stored)
        };
        let text = match self.decimals {
            Some((most, least)) => {
                let mut t = rounded(value, most);
                if most > least {
                    let keep = t.len() - usize::from(most - least);
                    while t.len() > keep && t.ends_with('0') {
                        t.pop();
                    }
                    if t.ends_with('.') {
                        t.pop();
                    }
                }
                if t.trim_start_matches('-')
                    .bytes()
                    .all(|b| b == b'0' || b == b'.')
                {
                    t = t.trim_start_matches('-').to_owned();
                }
                t
            }
            None => crate::normalize::format_number(value),
        };
        let shown_value: f64 = text.parse().ok()?;
        if !self.percent && shown_value == value {
            return None;
        }
        let shown = if self.percent {
            format!("{text}%")
        } else {
            text
        };
        Some(Cell::Shown(Box::new(ShownNumber {
            value,
            shown,
            percent: self.percent,
        })))
    }
}

/// A format code's first section (`;` separates positive, negative, zero
/// and text), without quoted text, escaped and filler characters and
/// bracketed parts (`[Red]`, `[$-411]`), which hold no digit placeholder.
fn first_section(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `value` with `decimals` digits after the point, rounded half away from
/// zero on its decimal digits, as spreadsheet programs round (`0.305` at
/// two places is `0.31`, where binary rounding gives `0.30`).
fn rounded(value: f64, decimals: u8) -> String {
    let decimals = usize::from(decimals);
    // The shortest text that reads back as the value: its decimal digits.
    let text = format!("{}", value.abs());
    if text.contains('e') {
        return format!("{value:.decimals$}");
    }
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let keep = int.len() + decimals;
    let round_up = frac.len() > decimals && digits[keep] >= 5;
    digits.resize(keep.max(digits.len()), 0);
    digits.truncate(keep);
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let mut out = String::new();
    if value < 0.0 {
        out.push('-');
    }
    out.extend(digits[..split].iter().map(|d| char::from(b'0' + d)));
    if out.is_empty() || out == "-" {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        out.extend(digits[split..].iter().map(|d| char::from(b'0' + d)));
    }
    out
}

/// The cells of an OpenDocument `content.xml` whose page shows another
/// value than they store, by table name and (0-based) position: every
/// percentage, and numbers shown rounded. OpenDocument keeps the shown text
/// beside the value (`office:value="0.305"` and `<text:p>30.5%</text:p>`),
/// so no format needs interpreting. At most `limit` cells are returned.
pub(super) fn ods_shown(xml: &[u8], limit: usize) -> ShownCells {
    /// The number cell being read: position, repeats, value, whether a
    /// percentage, and its text so far.
    type Pending = ((u32, u32), u32, f64, bool, String);
    let mut out = ShownCells::new();
    let mut found = 0usize;
    let mut depth = 0usize;
    let mut table = String::new();
    let (mut row, mut row_repeats, mut column) = (0u32, 1u32, 0u32);
    let mut cell: Option<Pending> = None;
    let mut pos = 0;
    while let Some((name, attrs, self_closing, end)) = next_tag(xml, pos) {
        if let Some((.., text)) = &mut cell {
            let between = &xml[pos..end];
            let lt = between.iter().position(|&b| b == b'<').unwrap_or(0);
            text.push_str(&String::from_utf8_lossy(&between[..lt]));
        }
        pos = end;
        let count = |a: &[u8]| {
            attr(attrs, a)
                .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u32>().ok())
                .unwrap_or(1)
        };
        match name {
            b"table:table" if !self_closing => {
                depth += 1;
                if depth == 1 {
                    table = attr(attrs, b"table:name")
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_default();
                    row = 0;
                }
            }
            b"/table:table" => depth = depth.saturating_sub(1),
            b"table:table-row" if depth == 1 => {
                row_repeats = count(b"table:number-rows-repeated");
                column = 0;
                if self_closing {
                    row = row.saturating_add(row_repeats);
                }
            }
            b"/table:table-row" if depth == 1 => row = row.saturating_add(row_repeats),
            b"table:table-cell" | b"table:covered-table-cell" if depth == 1 => {
                let repeats = count(b"table:number-columns-repeated");
                let kind = attr(attrs, b"office:value-type");
                let value = attr(attrs, b"office:value")
                    .and_then(|v| std::str::from_utf8(v).ok()?.parse::<f64>().ok());
                match (kind, value) {
                    (Some(k @ (b"percentage" | b"float" | b"currency")), Some(v))
                        if !self_closing =>
                    {
                        cell = Some(((row, column), repeats, v, k == b"percentage", String::new()));
                    }
                    _ => {}
                }
                column = column.saturating_add(repeats);
            }
            b"text:p" if cell.as_ref().is_some_and(|c| !c.4.is_empty()) => {
                if let Some((.., text)) = &mut cell {
                    text.push('\n');
                }
            }
            b"/table:table-cell" | b"/table:covered-table-cell" => {
                let Some(((r, c), repeats, stored, percent, text)) = cell.take() else {
                    continue;
                };
                let Some(shown) = shown_cell(stored, percent, &text) else {
                    continue;
                };
                let cells = out.entry(table.clone()).or_default();
                for dr in 0..row_repeats {
                    for dc in 0..repeats {
                        if found >= limit {
                            return out;
                        }
                        found += 1;
                        cells.push(((r.saturating_add(dr), c.saturating_add(dc)), shown.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// An OpenDocument cell's stored value and shown text as a cell, when the
/// text shows another value (always for a percentage).
fn shown_cell(stored: f64, percent: bool, text: &str) -> Option<Cell> {
    if !stored.is_finite() {
        return None;
    }
    let shown: String = crate::normalize::text(text)
        .chars()
        .filter(|&c| c != ',' && c != ' ')
        .collect();
    let number: f64 = shown.strip_suffix('%').unwrap_or(&shown).parse().ok()?;
    let value = significant(if percent { stored * 100.0 } else { stored });
    if !percent && number == value {
        return None;
    }
    Some(Cell::Shown(Box::new(ShownNumber {
        value,
        shown,
        percent,
    })))
}

/// A number at the 15 significant digits spreadsheet programs show.
fn significant(f: f64) -> f64 {
    if f == 0.0 {
        return 0.0;
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return f;
    }
    format!("{f:.14e}").parse().unwrap_or(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(code: &str, stored: f64) -> Option<(f64, String)> {
        match Display::of(code)?.show(stored)? {
            Cell::Shown(s) => Some((s.value, s.shown)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn percents_show_a_hundred_times_the_value() {
        assert_eq!(shown("0.0%", 0.305), Some((30.5, "30.5%".into())));
        assert_eq!(shown("0%", 0.25), Some((25.0, "25%".into())));
        assert_eq!(shown("0.00%", 1.0), Some((100.0, "100.00%".into())));
        // The value keeps its precision; the text is what the page shows.
        assert_eq!(shown("0%", 0.305), Some((30.5, "31%".into())));
        assert_eq!(shown("[Red]0.0%;-0.0%", 0.5), Some((50.0, "50.0%".into())));
        // A quoted `%` is a literal: no scaling, and the value is as stored.
        assert_eq!(shown("0.0\"%\"", 30.5), None);
    }

    #[test]
    fn decimals_show_what_the_format_rounds_to() {
        assert_eq!(
            shown("0.0", 66.6666666666667),
            Some((66.6666666666667, "66.7".into()))
        );
        assert_eq!(shown("#,##0", 1234.5), Some((1234.5, "1235".into())));
        assert_eq!(shown("0.0#", 1.234), Some((1.234, "1.23".into())));
        // Nothing to change: a whole number, or as many decimals as shown.
        assert_eq!(shown("0.0", 30.0), None);
        assert_eq!(shown("#,##0", 3878604.0), None);
        assert_eq!(shown("0.00", 11.4), None);
        assert_eq!(shown("0.0", -0.04), Some((-0.04, "0.0".into())));
    }

    #[test]
    fn opendocument_cells_read_as_shown() {
        let xml = br#"<office:body><table:table table:name="S1">
            <table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>
            <table:table-cell office:value-type="percentage" office:value="0.305"><text:p>30.5%</text:p></table:table-cell>
            <table:table-cell office:value-type="float" office:value="66.6666666666667"><text:p>66.7</text:p></table:table-cell>
            <table:table-cell office:value-type="float" office:value="3878604"><text:p>3,878,604</text:p></table:table-cell>
            </table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/>
            <table:table-cell office:value-type="percentage" office:value="1" table:number-columns-repeated="2"><text:p>100%</text:p></table:table-cell>
            </table:table-row></table:table></office:body>"#;
        let cells = &ods_shown(xml, 100)["S1"];
        let shown: Vec<((u32, u32), f64, &str)> = cells
            .iter()
            .map(|(pos, c)| match c {
                Cell::Shown(s) => (*pos, s.value, s.shown.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ((0, 1), 30.5, "30.5%"),
                ((0, 2), 66.6666666666667, "66.7"),
                ((1, 2), 100.0, "100%"),
                ((1, 3), 100.0, "100%"),
                ((2, 2), 100.0, "100%"),
                ((2, 3), 100.0, "100%"),
            ]
        );
        assert_eq!(ods_shown(xml, 3)["S1"].len(), 3);
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_decimal_digits() {
        assert_eq!(rounded(0.305, 2), "0.31");
        assert_eq!(rounded(1.005, 2), "1.01");
        assert_eq!(rounded(-2.5, 0), "-3");
        assert_eq!(rounded(9.96, 1), "10.0");
        assert_eq!(rounded(0.04, 1), "0.0");
        assert_eq!(rounded(12.0, 2), "12.00");
        assert_eq!(rounded(99.95, 1), "100.0");
    }

    #[test]
    fn formats_that_change_no_value() {
        for code in [
            "General",
            "@",
            "yyyy/m/d",
            "0.00E+00",
            "[$-411]ggge\"年\"m\"月\"d\"日\"",
            "",
        ] {
            assert!(
                Display::of(code).is_none_or(|d| d.show(0.305).is_none()),
                "{code}"
            );
        }
    }
}
