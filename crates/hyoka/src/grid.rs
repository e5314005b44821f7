//! The grid: rows of cells, where every input form meets.
//!
//! Converter text, TSV/CSV exports and workbooks are all turned into a
//! [`Grid`], so the sheet parser is written once. Cells hold normalized text
//! (NFKC, white space collapsed, converter HTML removed: docs/SHEET-SPEC.md §3) or, from workbooks, typed values. Each
//! row remembers its number in the source (text line or worksheet row) so
//! warnings and `source.rows` point at the right place.

use crate::limits::Limits;
use crate::model::Format;
use crate::normalize::{self, format_number};
use crate::warning::Warning;

/// One cell.
///
/// ```
/// use hyoka::grid::Cell;
/// assert_eq!(Cell::text(" ＡＢＣ "), Cell::Text("ABC".into())); // NFKC, trimmed
/// assert!(Cell::text("").is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or only white space.
    Empty,
    /// Normalized text; may hold `\n` between lines of a multi-line cell.
    Text(String),
    /// A number stored as a number (workbooks).
    Number(f64),
    /// A number a workbook's number format shows as another value than it
    /// stores: a percent (`0.305` shown `30.5%`) or fewer decimals
    /// (`66.6666666666667` shown `66.7`). Boxed: rare, and a cell stays
    /// small.
    Shown(Box<ShownNumber>),
    /// A boolean (workbooks).
    Bool(bool),
    /// A date or time, as ISO 8601 text (workbooks).
    DateTime(String),
    /// An error value such as `#N/A` (workbooks).
    Error(String),
}

impl Cell {
    /// A text cell, normalized; `Empty` when nothing is left.
    pub fn text(raw: &str) -> Cell {
        Cell::normalized(normalize::text(raw))
    }

    /// [`Cell::text`] of an owned string, kept without a copy when it is
    /// already normal.
    pub fn text_owned(raw: String) -> Cell {
        Cell::normalized(normalize::text_owned(raw))
    }

    fn normalized(text: String) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text: numbers in their shortest form (`769`, `11.4`).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => "".into(),
            Cell::Text(s) | Cell::DateTime(s) | Cell::Error(s) => s.as_str().into(),
            Cell::Number(n) => format_number(*n).into(),
            Cell::Shown(s) => s.shown.as_str().into(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        }
    }

    /// The text, when the cell is a text cell.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// A number as a workbook shows it (see [`Cell::Shown`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ShownNumber {
    /// The value on the scale the page shows (`30.5` for `30.5%`), at full
    /// precision.
    pub value: f64,
    /// The text the page shows (`30.5%`, `66.7`).
    pub shown: String,
    /// Whether the format is a percent (the value shows ×100).
    pub percent: bool,
}

/// One row of a grid.
///
/// ```
/// use hyoka::grid::{Cell, Row};
/// let row = Row::new(3, vec![Cell::text("施策名"), Cell::text("防災"), Cell::Empty]);
/// assert_eq!(row.number, 3);
/// assert_eq!(row.cells.len(), 2); // trailing empties dropped
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's number in the source, 1-based.
    pub number: u32,
    /// The cells, left to right; trailing empty cells are dropped.
    pub cells: Vec<Cell>,
    /// The page the row was printed on, for readers of paged documents
    /// (PDF); `None` for text files and worksheets.
    pub page: Option<u32>,
    /// The last page the row's cells were printed on, when that is not
    /// `page` (a worksheet printed in strips of columns, page after page).
    pub last_page: Option<u32>,
}

impl Row {
    /// A row, with trailing empty cells dropped.
    pub fn new(number: u32, mut cells: Vec<Cell>) -> Row {
        while cells.last().is_some_and(Cell::is_empty) {
            cells.pop();
        }
        Row {
            number,
            cells,
            page: None,
            last_page: None,
        }
    }

    /// A row of a paged document, on page `page` (1-based).
    pub fn on_page(number: u32, page: u32, cells: Vec<Cell>) -> Row {
        Row {
            page: Some(page),
            ..Row::new(number, cells)
        }
    }

    /// The cell at `column` (0-based); `Empty` past the end.
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }

    /// The non-empty cells with their columns.
    pub fn filled(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells.iter().enumerate().filter(|(_, c)| !c.is_empty())
    }

    /// The first non-empty cell with its column.
    pub fn first_filled(&self) -> Option<(usize, &Cell)> {
        self.filled().next()
    }

    /// The column of the first text cell equal to `label`.
    pub fn find(&self, label: &str) -> Option<usize> {
        self.cells.iter().position(|c| c.as_str() == Some(label))
    }

    /// The column and text of the first text cell matching `pred`.
    pub fn find_by(&self, mut pred: impl FnMut(&str) -> bool) -> Option<(usize, &str)> {
        self.cells
            .iter()
            .enumerate()
            .find_map(|(i, c)| c.as_str().filter(|s| pred(s)).map(|s| (i, s)))
    }

    /// The first non-empty cell right of `column`, with its column.
    pub fn next_filled(&self, column: usize) -> Option<(usize, &Cell)> {
        self.filled().find(|(i, _)| *i > column)
    }
}

/// A worksheet or text file as rows of cells.
///
/// ```
/// use hyoka::grid::{Cell, Grid, Row};
/// let grid = Grid { rows: vec![Row::new(1, vec![Cell::text("【PLAN】")])] };
/// assert_eq!(grid.rows[0].cells[0], Cell::text("【PLAN】"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The rows in source order; blank rows are kept so numbering is visible.
    pub rows: Vec<Row>,
}

impl Grid {
    /// The first and last page of rows `range`, when the rows carry pages.
    pub fn pages(&self, range: std::ops::Range<usize>) -> Option<[u32; 2]> {
        let mut pages = self
            .rows
            .get(range)?
            .iter()
            .flat_map(|r| r.page.into_iter().chain(r.last_page));
        let first = pages.next()?;
        let (min, max) = pages.fold((first, first), |(lo, hi), p| (lo.min(p), hi.max(p)));
        Some([min, max])
    }
}

/// One worksheet as a reader delivers it: a workbook's worksheet, a text
/// file, or a whole PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Worksheet {
    /// The worksheet's name; `None` when the file has no worksheets (text).
    pub name: Option<String>,
    /// Its cells; `None` for a chart or macro sheet, which holds none.
    pub grid: Option<Grid>,
    /// What the reader repaired or guessed in its cells, each at the row
    /// (and column) it concerns. Each lands on the sheet holding its row;
    /// one outside every sheet is kept on the document.
    pub warnings: Vec<Warning>,
}

/// Everything a reader delivers for one file, before any sheet is parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The format the reader read (reported as `source.format`).
    pub format: Format,
    /// The text encoding, for text forms.
    pub encoding: Option<String>,
    /// The worksheets, in file order.
    pub worksheets: Vec<Worksheet>,
    /// Warnings about the file as a whole (an encoding guessed, bytes that
    /// did not decode): they go on the document, once.
    pub warnings: Vec<Warning>,
}

/// A reader of one kind of input: bytes in, worksheets of cells out. Text
/// exports, workbooks and PDFs meet here, so the sheet parser is written
/// once; a reader never parses sheets, and never sees the orchestrator.
/// Each has its own error; [`crate::Error`] wraps them.
///
/// ```
/// use hyoka::grid::{Cell, Grid, Reader, Reading, Row, Worksheet};
/// use hyoka::model::Format;
///
/// /// A reader of one cell per line.
/// struct Lines;
///
/// impl Reader for Lines {
///     type Error = std::str::Utf8Error;
///
///     fn read(&self, bytes: &[u8], _: &hyoka::Limits) -> Result<Reading, Self::Error> {
///         let text = std::str::from_utf8(bytes)?;
///         let rows = (text.lines().enumerate())
///             .map(|(i, line)| Row::new(i as u32 + 1, vec![Cell::text(line)]))
///             .collect();
///         Ok(Reading {
///             format: Format::Text,
///             encoding: Some("UTF-8".into()),
///             worksheets: vec![Worksheet { name: None, grid: Some(Grid { rows }), warnings: vec![] }],
///             warnings: vec![],
///         })
///     }
/// }
///
/// let reading = Lines.read("施策名\n防災".as_bytes(), &hyoka::Limits::default()).unwrap();
/// assert_eq!(reading.worksheets[0].grid.as_ref().unwrap().rows.len(), 2);
/// ```
pub trait Reader {
    /// Why the bytes could not be read.
    type Error;

    /// Reads `bytes` within `limits`.
    fn read(&self, bytes: &[u8], limits: &Limits) -> Result<Reading, Self::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_normalized_and_trailing_empties_dropped() {
        let row = Row::new(
            7,
            vec![
                Cell::text("　１２ "),
                Cell::text("<ul style=\"x\"> "),
                Cell::Empty,
            ],
        );
        assert_eq!(row.cells, vec![Cell::Text("12".into())]);
        assert_eq!(row.cell(5), &Cell::Empty);
    }

    #[test]
    fn numbers_print_shortest() {
        assert_eq!(Cell::Number(769.0).as_text(), "769");
        assert_eq!(Cell::Number(11.4).as_text(), "11.4");
        assert_eq!(Cell::Number(3878604.0).as_text(), "3878604");
        assert_eq!(Cell::Number(-0.8).as_text(), "-0.8");
    }
}
