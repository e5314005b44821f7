//! Text forms to a grid: converter text, tab-separated and comma-separated
//! exports.
//!
//! The three differ in one way that matters: spreadsheet exports quote a
//! cell that holds a line break, a tab or a quote (`"a\nb"`, `""` for a
//! quote), while the PDF converter never quotes and leaves quotes inside
//! cells (`<ul style="list-style-type: none">`). The csv crate reads all
//! three; only quoting is switched on or off.

use crate::grid::{Cell, Grid, Row};
use crate::model::Format;
use crate::warning::{Warning, WarningCode};

/// Why a text form could not be read into a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// A CSV/TSV record could not be read.
    #[error("line {line}: {message}")]
    Malformed {
        /// The line where the record starts.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// The text has more rows than allowed.
    #[error("more than {limit} rows; raise --max-rows if the file is genuine")]
    TooManyRows {
        /// The limit.
        limit: usize,
    },
    /// The text has more cells than allowed.
    #[error("line {line}: more than {limit} cells; raise --max-cells if the file is genuine")]
    TooManyCells {
        /// The line where the limit was reached.
        line: u64,
        /// The limit.
        limit: usize,
    },
    /// A cell is longer than allowed.
    #[error(
        "line {line}: a cell of {len} bytes is longer than the limit of {limit}; raise --max-cell-bytes if the file is genuine"
    )]
    CellTooLong {
        /// The line where the record starts.
        line: u64,
        /// The cell's length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

/// Limits that keep hostile input from exhausting memory. They apply to a
/// text file and to each worksheet of a workbook; see [`crate::Options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimits {
    /// Maximum rows per text file or worksheet (rows holding a value).
    pub max_rows: usize,
    /// Maximum bytes in one cell.
    pub max_cell_bytes: usize,
    /// Maximum cells per text file or worksheet, empty cells between
    /// values included.
    pub max_cells: usize,
}

impl Default for TextLimits {
    fn default() -> Self {
        TextLimits {
            max_rows: 200_000,
            max_cell_bytes: 1 << 20,
            max_cells: 2_000_000,
        }
    }
}

/// Which text form a `.txt` file is: a spreadsheet's tab-separated export
/// (TSV), a comma-separated one (LibreOffice's "Text" filter separates with
/// commas unless told otherwise) or converter text.
///
/// Spreadsheet programs write every row of the used range with the same
/// number of cells, so an export read with its separator is rectangular,
/// while the converter's lines vary (headings and bullets have no tab) and
/// it leaves `<ul>` tags. An export that is not padded is still told by
/// its quoting: it starts a quoted field with `"` at the start of a line or
/// right after a tab, which the converter never does. Converter text and a
/// TSV without quoted cells read to the same grid, so for them only
/// `source.format` depends on this; a comma-separated file is read as CSV.
///
/// ```
/// use hyoka::{delimited::sniff_text_form, model::Format};
/// assert_eq!(sniff_text_form("【主担当部局】\t総務部\n1\t\"名前\n説明\"\n"), Format::Tsv);
/// assert_eq!(sniff_text_form("【主担当部局】,総務部\n1,\"3,878,604\"\n"), Format::Csv);
/// assert_eq!(sniff_text_form("【主担当部局】\n\n総務部\n1\t名前\t<ul style=\"x\"> a\n"), Format::Text);
/// ```
pub fn sniff_text_form(text: &str) -> Format {
    // Converter HTML (`<ul style="list-style-type: none">`) is never in an
    // export.
    if text.contains("<ul") {
        return Format::Text;
    }
    if is_rectangular(text, b'\t') {
        return Format::Tsv;
    }
    if is_rectangular(text, b',') {
        return Format::Csv;
    }
    let quoted = text
        .lines()
        .any(|line| line.starts_with('"') || line.contains("\t\""));
    if quoted { Format::Tsv } else { Format::Text }
}

/// Whether `text` reads as a rectangular tab-separated table but not as a
/// comma-separated one: a tab-separated export under a `.csv` name.
pub fn is_tab_separated_not_comma(text: &str) -> bool {
    is_rectangular(text, b'\t') && !is_rectangular(text, b',')
}

/// Whether the first records of `text`, read with `delimiter` (quotes
/// honoured), all have the same number of cells, at least two.
fn is_rectangular(text: &str, delimiter: u8) -> bool {
    const SAMPLE: usize = 1000;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut width = None;
    let mut record = csv::ByteRecord::new();
    for _ in 0..SAMPLE {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return false,
        }
        if width.is_some_and(|w| w != record.len()) {
            return false;
        }
        width = Some(record.len());
    }
    width.is_some_and(|w| w >= 2)
}

/// Reads text of the given form (`Text`, `Tsv` or `Csv`) into a grid.
///
/// ```
/// use hyoka::{delimited, grid::Cell, model::Format};
/// let grid = delimited::read("1\t\"広聴機能\n現在運用中\"\t\r\n", Format::Tsv, &Default::default()).unwrap();
/// assert_eq!(grid.rows[0].cells[1], Cell::Text("広聴機能\n現在運用中".into()));
/// ```
pub fn read(text: &str, form: Format, limits: &TextLimits) -> Result<Grid, ReadError> {
    read_reporting(text, form, limits, &mut Vec::new())
}

/// [`read`], with a [`WarningCode::ControlCharactersRemoved`] warning in
/// `warnings` for each cell that held stray control characters (a bell, a
/// vertical tab: bytes spreadsheet programs leave in cells, which no sheet
/// means). They are removed before the cell is normalized.
pub fn read_reporting(
    text: &str,
    form: Format,
    limits: &TextLimits,
    warnings: &mut Vec<Warning>,
) -> Result<Grid, ReadError> {
    let (delimiter, quoting) = match form {
        Format::Csv => (b',', true),
        Format::Tsv => (b'\t', true),
        _ => (b'\t', false),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quoting(quoting)
        .double_quote(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The csv crate skips blank lines and reports a record's position from
    // before them; count lines from byte offsets instead.
    let mut cursor = LineCursor::new(text);
    let mut last_line = 0u64;
    let mut cells_read = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(last_line + 1, |p| p.line());
                return Err(ReadError::Malformed {
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line = record
            .position()
            .map_or(last_line + 1, |p| cursor.line_at(p.byte() as usize));
        last_line = line;
        if rows.len() >= limits.max_rows {
            return Err(ReadError::TooManyRows {
                limit: limits.max_rows,
            });
        }
        cells_read = cells_read.saturating_add(record.len());
        if cells_read > limits.max_cells {
            return Err(ReadError::TooManyCells {
                line,
                limit: limits.max_cells,
            });
        }
        let mut cells = Vec::with_capacity(record.len());
        let row = u32::try_from(line).unwrap_or(u32::MAX);
        for (column, field) in record.iter().enumerate() {
            if field.len() > limits.max_cell_bytes {
                return Err(ReadError::CellTooLong {
                    line,
                    len: field.len(),
                    limit: limits.max_cell_bytes,
                });
            }
            if field.chars().any(is_stray_control) {
                let removed: Vec<String> = field
                    .chars()
                    .filter(|&c| is_stray_control(c))
                    .map(|c| format!("U+{:04X}", c as u32))
                    .collect();
                let clean: String = field.chars().filter(|&c| !is_stray_control(c)).collect();
                warnings.push(Warning::at_cell(
                    WarningCode::ControlCharactersRemoved,
                    row,
                    u32::try_from(column + 1).unwrap_or(u32::MAX),
                    format!(
                        "the cell held control characters ({}) that no sheet means; they were \
                         removed; check the cell in the source",
                        removed.join(", ")
                    ),
                ));
                cells.push(Cell::text(&clean));
            } else {
                cells.push(Cell::text(field));
            }
        }
        rows.push(Row::new(row, cells));
    }
    Ok(Grid { rows })
}

/// Control characters a cell may hold by accident: everything but tab,
/// line ends and form feed (which normalization folds as white space).
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

/// Line numbers of byte offsets, computed incrementally (offsets only grow).
struct LineCursor<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCursor<'a> {
    fn new(text: &'a str) -> Self {
        LineCursor {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first non-line-break byte at or after `offset`.
    fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.bytes.len());
        if offset > self.offset {
            self.line += line_breaks(self.bytes, self.offset..offset);
            self.offset = offset;
        }
        let mut ahead = self.offset;
        let mut line = self.line;
        while ahead < self.bytes.len() && matches!(self.bytes[ahead], b'\n' | b'\r') {
            if self.bytes[ahead] == b'\n' || self.bytes.get(ahead + 1) != Some(&b'\n') {
                line += 1;
            }
            ahead += 1;
        }
        line
    }
}

/// Line breaks in `bytes[range]`: `\n`, `\r\n` and a lone `\r` count once
/// each; a `\r` at the end of the range looks past it for its `\n`.
fn line_breaks(bytes: &[u8], range: std::ops::Range<usize>) -> u64 {
    let mut n = 0;
    for i in range {
        let b = bytes[i];
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grid: &Grid) -> Vec<(u32, Vec<String>)> {
        grid.rows
            .iter()
            .map(|r| {
                (
                    r.number,
                    r.cells.iter().map(|c| c.as_text().into_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn stray_control_characters_are_removed_with_a_warning_per_cell() {
        let mut warnings = Vec::new();
        let text = "a\tb\n\u{7}総務\u{b}部\tok\n";
        let grid =
            read_reporting(text, Format::Tsv, &TextLimits::default(), &mut warnings).unwrap();
        assert_eq!(grid.rows[1].cells[0], Cell::Text("総務部".into()));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::ControlCharactersRemoved);
        assert_eq!((warnings[0].row, warnings[0].column), (Some(2), Some(1)));
        assert!(warnings[0].message.contains("U+0007, U+000B"));
    }

    #[test]
    fn converter_text_keeps_quotes_inside_cells() {
        let text = "\n\n伊賀流自治の視点\n1\t効果\t<ul style=\"list-style-type: none\"> ○既存事業案 ・出前講座\t計画通り\n";
        let grid = read(text, Format::Text, &TextLimits::default()).unwrap();
        assert_eq!(
            texts(&grid),
            vec![
                (3, vec!["伊賀流自治の視点".to_string()]),
                (
                    4,
                    vec!["1", "効果", "○既存事業案 ・出前講座", "計画通り"]
                        .into_iter()
                        .map(String::from)
                        .collect()
                ),
            ]
        );
    }

    #[test]
    fn tsv_quoted_cells_hold_line_breaks_and_quotes() {
        let text = "a\t\"x\r\ny \"\"q\"\"\"\tb\r\nc\r\n";
        let grid = read(text, Format::Tsv, &TextLimits::default()).unwrap();
        assert_eq!(grid.rows[0].cells[1], Cell::Text("x\ny \"q\"".into()));
        assert_eq!(grid.rows[1].number, 3);
    }

    #[test]
    fn rows_keep_their_line_numbers_across_blank_lines() {
        for text in [
            "\n\nA\n\n\nB\t\"x\ny\"\nC\n",
            "\r\n\r\nA\r\n\r\n\r\nB\t\"x\r\ny\"\r\nC\r\n",
        ] {
            let grid = read(text, Format::Tsv, &TextLimits::default()).unwrap();
            let numbers: Vec<u32> = grid.rows.iter().map(|r| r.number).collect();
            assert_eq!(numbers, [3, 6, 8], "{text:?}");
        }
    }

    #[test]
    fn csv_uses_commas() {
        let grid = read(
            "実績(件),\"3,878,604\",\n",
            Format::Csv,
            &TextLimits::default(),
        )
        .unwrap();
        assert_eq!(grid.rows[0].cells[1], Cell::Text("3,878,604".into()));
    }

    #[test]
    fn tab_separated_text_under_a_csv_name_is_recognised() {
        assert!(is_tab_separated_not_comma("a\tb\tc\n1\t2,5\t3\n"));
        assert!(!is_tab_separated_not_comma("a,b,c\n1,2,3\n"));
        assert!(!is_tab_separated_not_comma("a,b\tc\n1,2\t3\n"));
    }

    #[test]
    fn sniffing_tells_exports_from_converter_text() {
        assert_eq!(sniff_text_form("1\t\"a\nb\"\n"), Format::Tsv);
        assert_eq!(sniff_text_form("1\t<ul style=\"x\"> a\n"), Format::Text);
        // No quoted cell, but every row has the used range's tabs.
        assert_eq!(
            sniff_text_form("見出し\t\t\r\n【主担当部局】\t総務部\t\r\n\r\n1\t名前\t○経費\r\n"),
            Format::Tsv
        );
        // The converter's lines vary; a file without tabs is not a table.
        assert_eq!(
            sniff_text_form("見出し\n\n【主担当部局】\n総務部\n1\t名前\t○経費\n"),
            Format::Text
        );
        assert_eq!(sniff_text_form("表紙\n令和5年度\n"), Format::Text);
        assert_eq!(sniff_text_form(""), Format::Text);
        // Comma-separated, padded to the used range; numbers with
        // separators and line breaks are quoted.
        assert_eq!(
            sniff_text_form("見出し,,\n【主担当部局】,総務部,\n1,\"名前\n説明\",\"3,878\"\n"),
            Format::Csv
        );
        // A comma-separated row may start with a quoted multi-line cell.
        assert_eq!(
            sniff_text_form("\"・方針1\n・方針2\",,\n【主担当部局】,総務部,\n"),
            Format::Csv
        );
        // Converter text with commas in numbers is not CSV.
        assert_eq!(
            sniff_text_form("見出し\n実績(件)\t3,878,604\t6,945,933\n1\t名前\n"),
            Format::Text
        );
    }

    #[test]
    fn limits_are_enforced() {
        let limits = TextLimits {
            max_rows: 2,
            max_cell_bytes: 4,
            max_cells: 3,
        };
        assert!(matches!(
            read("a\nb\nc\n", Format::Text, &limits),
            Err(ReadError::TooManyRows { limit: 2 })
        ));
        assert!(matches!(
            read("abcdef\n", Format::Text, &limits),
            Err(ReadError::CellTooLong { line: 1, .. })
        ));
        assert!(matches!(
            read("a\tb\n\nc\td\n", Format::Text, &limits),
            Err(ReadError::TooManyCells { line: 3, limit: 3 })
        ));
    }
}
