//! The grid: rows of cells, where every input form meets.
//!
//! Converter text, TSV/CSV exports and workbooks are all turned into a
//! [`Grid`], so the sheet parser is written once. Cells hold normalized text
//! (see [`crate::normalize::text`]) or, from workbooks, typed values. Each
//! row remembers its number in the source (text line or worksheet row) so
//! warnings and `source.rows` point at the right place.

use crate::normalize;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or only white space.
    Empty,
    /// Normalized text; may hold `\n` between lines of a multi-line cell.
    Text(String),
    /// A number stored as a number (workbooks).
    Number(f64),
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
        let text = normalize::text(raw);
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

/// The shortest text that gives `n` back; integral values without a
/// decimal point.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One row of a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's number in the source, 1-based.
    pub number: u32,
    /// The cells, left to right; trailing empty cells are dropped.
    pub cells: Vec<Cell>,
}

impl Row {
    /// A row, with trailing empty cells dropped.
    pub fn new(number: u32, mut cells: Vec<Cell>) -> Row {
        while cells.last().is_some_and(Cell::is_empty) {
            cells.pop();
        }
        Row { number, cells }
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The rows in source order; blank rows are kept so numbering is visible.
    pub rows: Vec<Row>,
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
