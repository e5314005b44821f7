//! Where a per-project sheet's projects and values stand: whether a
//! worksheet is laid out as sheets at all, the rows of each project, and
//! the cells holding a label's value.

use std::ops::Range;

use crate::grid::{Cell, Grid};
use crate::project::list::{self, Field, Header, TextField};
use crate::template::ProjectLabels;

/// How many rows from the top are looked at to tell a sheet from a list.
const FORM_SEARCH_ROWS: usize = 150;
/// How many rows must hold cost or aspect labels for a sheet: a list holds
/// its labels in one header row (two with a year row over it).
const MIN_LABEL_ROWS: usize = 4;
/// The longest cell looked at as a name label, in bytes.
const MAX_LABEL_BYTES: usize = 200;

/// Whether cost or aspect labels stand in several rows near the top, under
/// a project-name label.
pub(super) fn is_sheet_form(grid: &Grid, l: &ProjectLabels) -> bool {
    let mut name = false;
    let mut rows = 0;
    for row in grid.rows.iter().take(FORM_SEARCH_ROWS) {
        // Only a name label is looked for in the whole row: a list's rows
        // are wide, and this runs on every worksheet without sheets.
        name = name
            || row.cells.iter().filter_map(Cell::as_str).any(|t| {
                t.len() <= MAX_LABEL_BYTES && list::any_glob(&l.name, &list::header_key(t))
            });
        if !name {
            continue;
        }
        // A sheet's row starts with its label (or a group label before it:
        // `事業費 | 国庫支出金`); a list's rows start with the year and the
        // ID, so a data cell that happens to read `その他` does not count.
        let labelled = row.filled().take(2).any(|(_, cell)| {
            cell.as_str()
                .and_then(|t| list::classify_cell(t, l))
                .is_some_and(|(field, _, _)| {
                    matches!(
                        field,
                        Field::Cost(_) | Field::AspectRating(_) | Field::AspectComment(_)
                    )
                })
        });
        if labelled {
            rows += 1;
            if rows >= MIN_LABEL_ROWS {
                return true;
            }
        }
    }
    false
}

/// The fields of a sheet's header block, which may stand above its name.
fn is_head_field(field: Field) -> bool {
    matches!(
        field,
        Field::Name
            | Field::Code
            | Field::Personal
            | Field::Text(
                TextField::FiscalYear
                    | TextField::Category
                    | TextField::DepartmentSection
                    | TextField::Department
                    | TextField::Section
            )
    )
}

/// The rows of each project: one per name label with a new name, from the
/// first row after the previous project's last label that is not of the
/// header block.
pub(super) fn segments(grid: &Grid, headers: &[Vec<Header>]) -> Vec<Range<usize>> {
    let mut anchors: Vec<usize> = Vec::new();
    let mut last_name: Option<String> = None;
    for (index, row_headers) in headers.iter().enumerate() {
        let Some(h) = row_headers.iter().find(|h| h.field == Field::Name) else {
            continue;
        };
        let Some(name) = pair_values(grid, headers, index, h, grid.rows.len())
            .first()
            .and_then(|(_, _, c)| list::text(c))
        else {
            continue;
        };
        // A page that repeats the project's name continues the project.
        if last_name.as_deref() != Some(name.as_str()) {
            anchors.push(index);
        }
        last_name = Some(name);
    }
    let mut starts = Vec::new();
    for (i, &anchor) in anchors.iter().enumerate() {
        if i == 0 {
            starts.push(0);
            continue;
        }
        let floor = anchors[i - 1] + 1;
        let mut start = anchor;
        while start > floor && headers[start - 1].iter().all(|h| is_head_field(h.field)) {
            start -= 1;
        }
        starts.push(start);
    }
    (0..starts.len())
        .map(|i| starts[i]..starts.get(i + 1).copied().unwrap_or(grid.rows.len()))
        .collect()
}

/// The cells holding the value of label `h` in row `index`, with their row
/// numbers and columns: right of it up to the next label, or, in a row of
/// labels only, under it. A row's labels are in column order.
pub(super) fn pair_values<'g>(
    grid: &'g Grid,
    headers: &[Vec<Header>],
    index: usize,
    h: &Header,
    end: usize,
) -> Vec<(u32, usize, &'g Cell)> {
    let row = &grid.rows[index];
    let row_headers = &headers[index];
    let after = row_headers.partition_point(|o| o.column <= h.column);
    let next = row_headers.get(after).map_or(usize::MAX, |o| o.column);
    let span = |cells: &'g [Cell], from: usize| -> Vec<(usize, &'g Cell)> {
        let to = next.min(cells.len());
        if from >= to {
            return Vec::new();
        }
        cells[from..to]
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (from + i, c))
            .collect()
    };
    let right = span(&row.cells, h.column + 1);
    if !right.is_empty() {
        return right
            .into_iter()
            .map(|(c, cell)| (row.number, c, cell))
            .collect();
    }
    // Each label is a filled cell: a row of labels only has no others.
    let labels_only = row.filled().count() == row_headers.len();
    if !labels_only || index + 1 >= end {
        return Vec::new();
    }
    let below = &grid.rows[index + 1];
    let below_headers = &headers[index + 1];
    span(&below.cells, h.column)
        .into_iter()
        .filter(|(c, _)| below_headers.binary_search_by_key(c, |o| o.column).is_err())
        .map(|(c, cell)| (below.number, c, cell))
        .collect()
}
