//! A cell's text from its characters: lines by baseline, runs by gaps, and where a line break is the author's and where only the column's width (with 禁則, the rules that keep `、` and `)` off a line's start).

use super::geometry::*;
use crate::pdf::content::TextChar;

/// Characters grouped into lines: horizontal text by baseline, top to
/// bottom, each left to right. Text along other directions gets lines of
/// its own (see [`vertical_text`]).
pub(super) fn lines_of(mut chars: Vec<TextChar>) -> Vec<Vec<TextChar>> {
    chars.retain(|c| c.is_horizontal());
    chars.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<TextChar>> = Vec::new();
    for c in chars {
        match lines.last_mut() {
            Some(line) if (c.y - line[0].y).abs() <= line[0].size.max(c.size) * 0.5 => line.push(c),
            _ => lines.push(vec![c]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line split where the gap between characters is wider than a
/// character: separate cells of a table without borders.
pub(super) fn runs(line: Vec<TextChar>) -> Vec<Vec<TextChar>> {
    let mut out: Vec<Vec<TextChar>> = Vec::new();
    for c in line {
        match out.last_mut() {
            Some(run) => {
                let last = run.last().expect("runs are never empty");
                let gap = c.x - (last.x + last.advance);
                if gap > last.size.max(c.size) * 1.2 {
                    out.push(vec![c]);
                } else {
                    run.push(c);
                }
            }
            None => out.push(vec![c]),
        }
    }
    out
}

/// A line's text, with a space where characters stand apart.
pub(super) fn line_text(line: &[TextChar]) -> String {
    let mut s = String::new();
    let mut end: Option<f64> = None;
    for c in line {
        if let Some(e) = end
            && c.x - e > c.size * 0.3
            && !s.ends_with(' ')
        {
            s.push(' ');
        }
        s.push_str(&c.text);
        end = Some(c.x + c.advance);
    }
    s
}

/// Text drawn along any direction but left to right: vertical writing and
/// rotated text, read in reading order (columns of top-to-bottom text
/// right to left, bottom-to-top text left to right).
pub(super) fn vertical_text(chars: &[TextChar]) -> String {
    let mut chars: Vec<&TextChar> = chars.iter().filter(|c| !c.is_horizontal()).collect();
    if chars.is_empty() {
        return String::new();
    }
    let downward = chars.iter().filter(|c| c.dir.1 > 0.5).count() * 2 >= chars.len();
    chars.sort_by(|a, b| {
        let (ax, ay) = a.center();
        let (bx, by) = b.center();
        let column = if downward {
            bx.total_cmp(&ax)
        } else {
            ax.total_cmp(&bx)
        };
        let size = a.size.max(b.size) * 0.5;
        if (ax - bx).abs() > size {
            column
        } else if downward {
            ay.total_cmp(&by)
        } else {
            by.total_cmp(&ay)
        }
    });
    chars.iter().map(|c| c.text.as_str()).collect()
}

/// Marks that start a list item at the start of a line whatever came
/// before.
pub(super) const ITEM_MARKS: [char; 11] = ['○', '●', '◎', '■', '□', '◆', '◇', '•', '⇒', '→', '※'];

/// Characters a printer never starts a line with (行頭禁則, the list
/// LibreOffice and Excel apply to Japanese text): closing brackets,
/// punctuation, iteration marks. (Not the middle dot `・`: LibreOffice
/// starts lines with it.) When the next character
/// does not fit, the printer moves the character before it down too
/// (追い出し), so a wrapped line can end a character short; and a line
/// that starts with one of them was not wrapped there.
pub(super) const NO_LINE_START: &[char] = &[
    '、', '。', '，', '．', '：', '；', '？', '！', '）', '］', '｝', '」', '』', '】', '〕', '〉',
    '》', '々', 'ゝ', 'ゞ', 'ヽ', 'ヾ', '゛', '゜', '％', '!', '%', ')', ',', '.', ':', ';', '?',
    ']', '}',
];

pub(super) fn no_line_start(c: &TextChar) -> bool {
    c.text.starts_with(NO_LINE_START)
}

/// The width of a line's first unbreakable unit: opening brackets with
/// what follows them, a Latin word or number with the character after it
/// (`8件`, `(LINE…`), or one character; each with the characters after it
/// that cannot start a line (`近、` moves down whole).
pub(super) fn first_unit(line: &[TextChar]) -> f64 {
    let mut i = 0;
    while line.get(i).is_some_and(|c| {
        c.text
            .starts_with(['(', '「', '『', '【', '〔', '[', '“', '（'])
    }) {
        i += 1;
    }
    let ascii = |c: &TextChar| c.text.chars().all(|ch| ch.is_ascii_alphanumeric());
    if line.get(i).is_some_and(ascii) {
        while line
            .get(i)
            .is_some_and(|c| c.text.chars().all(|ch| ch.is_ascii_graphic()))
        {
            i += 1;
        }
    }
    i += 1;
    let unit = i;
    while line.get(i).is_some_and(no_line_start) {
        i += 1;
    }
    // After such punctuation a Latin word stays with it too (`近、JR`:
    // LibreOffice moved all of it down where `近、` alone would fit).
    if i > unit && line.get(i).is_some_and(ascii) {
        while line.get(i).is_some_and(ascii) {
            i += 1;
        }
    }
    line.iter().take(i).map(|c| c.advance).sum()
}

/// A cell's text: its lines joined back the way the author wrote them.
///
/// A line that ends before the cell's right edge with room for the next
/// line's first word was ended by the author (a line break); a full line
/// was wrapped by the printer and continues without a break.
pub(super) fn region_text(region: Region, column_end: Option<f64>) -> String {
    let mut lines: Vec<Vec<TextChar>> = Vec::new();
    let mut other = String::new();
    for piece in region.pieces {
        other.push_str(&vertical_text(&piece));
        lines.extend(lines_of(piece));
    }
    if lines.is_empty() {
        return other;
    }
    // Stacked text: one character per line, one above the other.
    let stacked = lines.len() >= 2
        && lines.iter().all(|l| l.len() == 1)
        && lines.windows(2).all(|w| {
            let (a, _) = w[0][0].center();
            let (b, _) = w[1][0].center();
            (a - b).abs() < w[0][0].size * 0.3
        });
    if stacked {
        let s: String = lines.iter().map(|l| l[0].text.as_str()).collect();
        return s + &other;
    }
    let pad = lines
        .iter()
        .map(|l| l[0].x - region.left)
        .fold(f64::MAX, f64::min)
        .max(0.0);
    let room_right = region.right - pad;
    let longest = lines
        .iter()
        .map(|l| l.last().map_or(0.0, |c| c.x + c.advance))
        .fold(f64::MIN, f64::max);
    // Programs pad cells differently on each side; how far the lines of
    // the whole column reach is a better edge than the rule.
    let width = column_end.unwrap_or(longest).max(longest).min(room_right);
    let texts: Vec<String> = lines.iter().map(|line| line_text(line)).collect();
    let mut out = String::new();
    for (i, (line, text)) in lines.iter().zip(&texts).enumerate() {
        if i > 0 {
            let prev = &lines[i - 1];
            let last = prev.last().expect("lines are never empty");
            let end = last.x + last.advance;
            let size = last.size;
            let short = end + first_unit(line) <= width + size * 0.01;
            let prev_text = &texts[i - 1];
            // A full line may still have been ended by the author before a
            // `・` item: under a `○` heading, or after a finished sentence or
            // a closing bracket (a middle dot joins words, and follows
            // neither `。` nor `)`).
            let bullet_after = prev_text.starts_with('○')
                || prev_text
                    .trim_end()
                    .ends_with(['。', ')', '）', '」', '』', '】']);
            let starts_item =
                text.starts_with(ITEM_MARKS) || (text.starts_with('・') && bullet_after);
            if short || starts_item {
                out.push('\n');
            } else if prev_text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                out.push(' ');
            }
        }
        out.push_str(text);
    }
    out + &other
}
