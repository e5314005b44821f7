//! Text forms to a grid: converter text, tab-separated and comma-separated
//! exports.
//!
//! The three differ in one way that matters: spreadsheet exports quote a
//! cell that holds a line break, a tab or a quote (`"a\nb"`, `""` for a
//! quote), while the PDF converter never quotes and leaves quotes inside
//! cells (`<ul style="list-style-type: none">`). The csv crate reads all
//! three; only quoting is switched on or off.

use crate::grid::{Cell, Grid, Row};
use crate::limits::GridLimits;
use crate::model::Format;
use crate::warning::{Warning, WarningCode};

/// The text forms: how cells are separated and whether they are quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextForm {
    /// Text as a PDF-to-text converter delivered it: tabs, no quoting.
    Converter,
    /// A spreadsheet's tab-separated export, quoted.
    Tsv,
    /// A comma-separated export, quoted.
    Csv,
}

impl TextForm {
    /// The format reported in the output.
    pub(crate) fn format(self) -> Format {
        match self {
            TextForm::Converter => Format::Text,
            TextForm::Tsv => Format::Tsv,
            TextForm::Csv => Format::Csv,
        }
    }
}

/// Why a text form could not be read into a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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

impl ReadError {
    /// The message in Japanese, naming the line and the flag to raise, as `Display` does in English.
    ///
    /// ```
    /// let e = hyoka::ReadError::TooManyRows { limit: 10 };
    /// assert!(e.message_ja().contains("--max-rows"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            Self::Malformed { line, message } => {
                format!("{line} 行目: 読めない行です({message})")
            }
            Self::TooManyRows { limit } => format!(
                "行数が上限 {limit} を超えています。正しいファイルなら --max-rows で上限を上げてください"
            ),
            Self::TooManyCells { line, limit } => format!(
                "{line} 行目: セル数が上限 {limit} を超えています。正しいファイルなら --max-cells で上限を上げてください"
            ),
            Self::CellTooLong { line, len, limit } => format!(
                "{line} 行目: {len} バイトのセルが上限 {limit} バイトを超えています。正しいファイルなら --max-cell-bytes で上限を上げてください"
            ),
        }
    }
}

/// Reads text of the given form into a grid.
///
/// A cell holding stray control characters (a bell, a vertical tab: bytes
/// spreadsheet programs leave in cells, which no sheet means) has them
/// removed before it is normalized, with a
/// [`WarningCode::ControlCharactersRemoved`] warning in `warnings` naming
/// its row and column.
pub fn read(
    text: &str,
    form: TextForm,
    limits: &GridLimits,
    warnings: &mut Vec<Warning>,
) -> Result<Grid, ReadError> {
    let (delimiter, quoting) = match form {
        TextForm::Csv => (b',', true),
        TextForm::Tsv => (b'\t', true),
        TextForm::Converter => return read_converter(text, limits, warnings),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quoting(quoting)
        .double_quote(true)
        .from_reader(text.as_bytes());
    let mut rows = Rows::new(limits);
    let mut record = csv::StringRecord::new();
    // The csv crate skips blank lines and reports a record's position from
    // before them; count lines from byte offsets instead.
    let mut cursor = LineCursor::new(text);
    let mut last_line = 0u64;
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
        rows.push(line, record.len(), record.iter())?;
    }
    warnings.append(&mut rows.warnings);
    Ok(Grid { rows: rows.rows })
}

/// Converter text, which is never quoted: every line that is not blank is
/// a row and every tab separates cells, as the csv crate reads it without
/// quoting (`\n`, `\r\n` and a lone `\r` end a line) — but as slices of
/// the text, without the csv reader's set-up, copies and second UTF-8
/// check.
fn read_converter(
    text: &str,
    limits: &GridLimits,
    warnings: &mut Vec<Warning>,
) -> Result<Grid, ReadError> {
    let mut rows = Rows::new(limits);
    let bytes = text.as_bytes();
    let mut line = 1u64;
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr2(b'\r', b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if end > start {
            let record = &text[start..end];
            let cells = 1 + memchr::memchr_iter(b'\t', record.as_bytes()).count();
            rows.push(line, cells, record.split('\t'))?;
        }
        line += 1;
        start = match bytes.get(end..end + 2) {
            Some(b"\r\n") => end + 2,
            _ => end + 1,
        };
    }
    warnings.append(&mut rows.warnings);
    Ok(Grid { rows: rows.rows })
}

/// Rows as they are read, within the limits.
struct Rows<'l> {
    rows: Vec<Row>,
    cells_read: usize,
    limits: &'l GridLimits,
    /// A warning per cell that held stray control characters.
    warnings: Vec<Warning>,
}

impl<'l> Rows<'l> {
    fn new(limits: &'l GridLimits) -> Self {
        Rows {
            rows: Vec::new(),
            cells_read: 0,
            limits,
            warnings: Vec::new(),
        }
    }

    /// Adds the record of `len` fields that starts on `line`.
    fn push<'f>(
        &mut self,
        line: u64,
        len: usize,
        fields: impl Iterator<Item = &'f str>,
    ) -> Result<(), ReadError> {
        let limits = self.limits;
        if self.rows.len() >= limits.max_rows {
            return Err(ReadError::TooManyRows {
                limit: limits.max_rows,
            });
        }
        self.cells_read = self.cells_read.saturating_add(len);
        if self.cells_read > limits.max_cells {
            return Err(ReadError::TooManyCells {
                line,
                limit: limits.max_cells,
            });
        }
        let mut cells = Vec::with_capacity(len);
        let row = u32::try_from(line).unwrap_or(u32::MAX);
        for (column, field) in fields.enumerate() {
            if field.len() > limits.max_cell_bytes {
                return Err(ReadError::CellTooLong {
                    line,
                    len: field.len(),
                    limit: limits.max_cell_bytes,
                });
            }
            if may_hold_stray_control(field) && field.chars().any(is_stray_control) {
                let removed: Vec<String> = field
                    .chars()
                    .filter(|&c| is_stray_control(c))
                    .map(|c| format!("U+{:04X}", c as u32))
                    .collect();
                let clean: String = field.chars().filter(|&c| !is_stray_control(c)).collect();
                self.warnings.push(Warning::at_cell(
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
        self.rows.push(Row::new(row, cells));
        Ok(())
    }
}

/// Whether a cell's bytes may hold a [stray control](is_stray_control):
/// a C0 byte other than tab, DEL, or the lead byte of a C1 character. Most
/// cells hold none of these, and are passed over without decoding.
fn may_hold_stray_control(field: &str) -> bool {
    field
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f || b == 0xc2)
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
        let grid = read(text, TextForm::Tsv, &GridLimits::default(), &mut warnings).unwrap();
        assert_eq!(grid.rows[1].cells[0], Cell::Text("総務部".into()));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::ControlCharactersRemoved);
        assert_eq!((warnings[0].row, warnings[0].column), (Some(2), Some(1)));
        assert!(warnings[0].message.contains("U+0007, U+000B"));
    }

    #[test]
    fn converter_text_keeps_quotes_inside_cells() {
        let text = "\n\n伊賀流自治の視点\n1\t効果\t<ul style=\"list-style-type: none\"> ○既存事業案 ・出前講座\t計画通り\n";
        let grid = read(
            text,
            TextForm::Converter,
            &GridLimits::default(),
            &mut Vec::new(),
        )
        .unwrap();
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

    /// The csv crate's reading without quoting, which the converter reader
    /// replaces.
    fn csv_unquoted(text: &str) -> Vec<(u32, Vec<String>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b'\t')
            .quoting(false)
            .from_reader(text.as_bytes());
        let mut cursor = LineCursor::new(text);
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                let line = cursor.line_at(r.position().unwrap().byte() as usize);
                Row::new(line as u32, r.iter().map(Cell::text).collect())
            })
            .collect();
        texts(&Grid { rows })
    }

    #[test]
    fn converter_text_reads_as_the_csv_crate_reads_it() {
        for text in [
            "",
            "a",
            "\n\n",
            "a\tb\n\n\nc\r\n\r\nd\re\r\r\nf\t\t\n",
            "\t\n \n\"q\"\t\"\"\n",
            "\r\n伊賀\t①\r\n\r\n\tx\r",
        ] {
            let grid = read(
                text,
                TextForm::Converter,
                &GridLimits::default(),
                &mut Vec::new(),
            )
            .unwrap();
            assert_eq!(texts(&grid), csv_unquoted(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_converter_text_reads_as_the_csv_crate_reads_it(text in "[a\t\r\n\" 伊]{0,24}") {
            let grid = read(&text, TextForm::Converter, &GridLimits::default(), &mut Vec::new()).unwrap();
            proptest::prop_assert_eq!(texts(&grid), csv_unquoted(&text));
        }
    }

    #[test]
    fn tsv_quoted_cells_hold_line_breaks_and_quotes() {
        let text = "a\t\"x\r\ny \"\"q\"\"\"\tb\r\nc\r\n";
        let grid = read(text, TextForm::Tsv, &GridLimits::default(), &mut Vec::new()).unwrap();
        assert_eq!(grid.rows[0].cells[1], Cell::Text("x\ny \"q\"".into()));
        assert_eq!(grid.rows[1].number, 3);
    }

    #[test]
    fn rows_keep_their_line_numbers_across_blank_lines() {
        for text in [
            "\n\nA\n\n\nB\t\"x\ny\"\nC\n",
            "\r\n\r\nA\r\n\r\n\r\nB\t\"x\r\ny\"\r\nC\r\n",
        ] {
            let grid = read(text, TextForm::Tsv, &GridLimits::default(), &mut Vec::new()).unwrap();
            let numbers: Vec<u32> = grid.rows.iter().map(|r| r.number).collect();
            assert_eq!(numbers, [3, 6, 8], "{text:?}");
        }
    }

    #[test]
    fn csv_uses_commas() {
        let grid = read(
            "実績(件),\"3,878,604\",\n",
            TextForm::Csv,
            &GridLimits::default(),
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(grid.rows[0].cells[1], Cell::Text("3,878,604".into()));
    }

    #[test]
    fn limits_are_enforced() {
        let limits = GridLimits {
            max_rows: 2,
            max_cell_bytes: 4,
            max_cells: 3,
        };
        assert!(matches!(
            read("a\nb\nc\n", TextForm::Converter, &limits, &mut Vec::new()),
            Err(ReadError::TooManyRows { limit: 2 })
        ));
        assert!(matches!(
            read("abcdef\n", TextForm::Converter, &limits, &mut Vec::new()),
            Err(ReadError::CellTooLong { line: 1, .. })
        ));
        assert!(matches!(
            read(
                "a\tb\n\nc\td\n",
                TextForm::Converter,
                &limits,
                &mut Vec::new()
            ),
            Err(ReadError::TooManyCells { line: 3, limit: 3 })
        ));
    }
}
