//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) to grids, one per worksheet,
//! read with calamine.
//!
//! Every worksheet becomes a [`Grid`] whose rows and columns are the
//! worksheet's own: `Row::number` is the worksheet row (1-based) and a
//! cell's index in `Row::cells` is its worksheet column (0 = `A`), even when
//! the used range starts further down or right. The sheet parser then runs
//! on each grid exactly as on text forms.
//!
//! Cells keep their type: numbers stay numbers (rounded to the 15
//! significant digits spreadsheet programs show, so `0.1+0.2` is `0.3` from
//! Excel and LibreOffice alike), booleans, dates (as ISO 8601 text) and error
//! values (`#DIV/0!`) get their own [`Cell`] variants, and a formula counts
//! with the value the spreadsheet program computed and cached. Text goes
//! through [`Cell::text`], which keeps line breaks inside a cell as `"\n"`.
//!
//! Merged cells hold their value in the top-left cell. calamine gives the
//! merged ranges for `.xlsx` and `.xls`; a value hidden in another cell of a
//! merged range (which no spreadsheet program shows) is dropped with a
//! warning. `.ods` files do not expose merges through calamine, but their
//! covered cells are read at their own columns and are empty when written
//! by LibreOffice, so a merge never shifts a column in any format.

use std::io::Cursor;

use calamine::{
    Data, DataRef, Dimensions, Ods, OdsError, Reader, SheetType, Xls, XlsError, Xlsx, XlsxError,
};

mod book;
mod container;
mod error;
mod merges;
mod numfmt;
mod xls_scan;
mod xml;

pub(crate) use book::Book;
pub use error::WorkbookError;

use crate::grid::{self, Cell, Grid, Reading, Row, Worksheet};
use crate::limits::Limits;
use crate::model::Format;
use crate::warning::{Warning, WarningCode};
use numfmt::Display;

/// The workbook reader, for a workbook of the kind its bytes show.
pub(crate) struct WorkbookReader {
    pub book: Book,
}

impl grid::Reader for WorkbookReader {
    type Error = WorkbookError;

    fn read(&self, bytes: &[u8], limits: &Limits) -> Result<Reading, WorkbookError> {
        read(bytes, self.book, limits)
    }
}

/// Reads every worksheet of a workbook of the kind its bytes show.
fn read(bytes: &[u8], book: Book, limits: &Limits) -> Result<Reading, WorkbookError> {
    let format = book.format();
    // What calamine would allocate is checked before it reads anything.
    crate::guard::catch(|| container::check(bytes, book, limits)).unwrap_or(Err(
        WorkbookError::Corrupt {
            format,
            detail: "the container check stopped on an internal error".into(),
        },
    ))?;
    // calamine is a large parser of untrusted input: a panic inside it must
    // fail this file, not the batch.
    let worksheets =
        crate::guard::catch(|| read_worksheets(bytes, book, limits)).unwrap_or_else(|_| {
            Err(WorkbookError::Corrupt {
                format,
                detail: "the reader stopped on an internal error".into(),
            })
        })?;
    Ok(Reading {
        format,
        encoding: None,
        worksheets,
        warnings: Vec::new(),
    })
}

/// A workbook that could not be opened; `password` when the reader found
/// it encrypted.
fn unreadable(format: Format, password: bool, e: impl std::fmt::Display) -> WorkbookError {
    if password {
        WorkbookError::Password
    } else {
        WorkbookError::Corrupt {
            format,
            detail: e.to_string(),
        }
    }
}

fn damaged(name: &str, e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Worksheet {
        worksheet: name.to_owned(),
        detail: e.to_string(),
    }
}

/// A worksheet's cells before they become a grid: position (0-based row and
/// column) and value, with the formula cells that were never computed and
/// the merged ranges.
#[derive(Default)]
struct RawSheet {
    cells: Vec<((u32, u32), Cell)>,
    /// Formula cells without a cached value (`.xlsx` only, see
    /// [`read_xlsx_sheet`]): the first [`FOLD_AFTER`] of them.
    uncomputed: Vec<(u32, u32)>,
    /// How many there are in all.
    uncomputed_count: usize,
    merges: Vec<Dimensions>,
}

/// Warnings of one kind on one worksheet beyond this many are folded into
/// one, with their count and the first [`FOLD_LIST`] cells: a worksheet of
/// 2 million uncomputed formulas gives one warning, not 2 million. Real
/// workbooks stay under it and read as before.
const FOLD_AFTER: usize = 100;

/// The cells a folded warning names.
const FOLD_LIST: usize = 10;

/// Keeps the first (smallest) [`FOLD_AFTER`] positions seen, sorted once
/// full (cells come in order, so almost every one is a single comparison).
fn keep_first(kept: &mut Vec<(u32, u32)>, pos: (u32, u32)) {
    if kept.len() < FOLD_AFTER {
        kept.push(pos);
        if kept.len() == FOLD_AFTER {
            kept.sort_unstable();
        }
    } else if kept.last().is_some_and(|&max| pos < max) {
        let at = kept.partition_point(|&p| p < pos);
        kept.insert(at, pos);
        kept.pop();
    }
}

/// The warnings about `cells` (sorted, the first of `total`): one each
/// when they are few, else one with the count and the first cells.
fn folded(
    code: WarningCode,
    name: &str,
    cells: &[(u32, u32)],
    total: usize,
    one: impl Fn(usize) -> String,
    many: impl Fn(usize, String) -> String,
) -> Vec<Warning> {
    if total <= FOLD_AFTER {
        return (0..cells.len())
            .map(|i| Warning::at_cell(code, cells[i].0 + 1, cells[i].1 + 1, one(i)))
            .collect();
    }
    let first: Vec<String> = cells
        .iter()
        .take(FOLD_LIST)
        .map(|&(r, c)| cell_ref(name, r, c))
        .collect();
    let (r, c) = cells[0];
    vec![Warning::at_cell(
        code,
        r + 1,
        c + 1,
        many(total, format!("{}, …", first.join(", "))),
    )]
}

fn read_worksheets(
    bytes: &[u8],
    book: Book,
    limits: &Limits,
) -> Result<Vec<Worksheet>, WorkbookError> {
    let kind = book.format();
    let cursor = Cursor::new(bytes);
    let mut out = Vec::new();
    match book {
        Book::Xlsx | Book::Xlsm => {
            let (mut parts, tracked) = merges::Parts::new(bytes);
            let mut book = Xlsx::new(tracked)
                .map_err(|e| unreadable(kind, matches!(e, XlsxError::Password), e))?;
            for meta in book.sheets_metadata().to_vec() {
                if meta.typ != SheetType::WorkSheet {
                    out.push(not_a_worksheet(meta.name));
                    continue;
                }
                let raw = read_xlsx_sheet(&mut book, &mut parts, &meta.name, limits)?;
                out.push(worksheet(meta.name, raw, limits)?);
            }
        }
        Book::Xls => {
            let mut book = Xls::new(cursor).map_err(|e| {
                // A compound file is whole 512-byte sectors after its header;
                // one that is not, and does not read, was cut short.
                if !bytes.len().is_multiple_of(512) && !matches!(e, XlsError::Password) {
                    WorkbookError::Truncated {
                        format: kind,
                        size: bytes.len(),
                    }
                } else {
                    unreadable(kind, matches!(e, XlsError::Password), e)
                }
            })?;
            let mut shown = xls_scan::shown(bytes, limits.grid.max_cells);
            for meta in book.sheets_metadata().to_vec() {
                if meta.typ != SheetType::WorkSheet {
                    out.push(not_a_worksheet(meta.name));
                    continue;
                }
                let range = book
                    .worksheet_range(&meta.name)
                    .map_err(|e| damaged(&meta.name, e))?;
                let merges = book
                    .merge_cells_by_sheet_name(&meta.name)
                    .unwrap_or_default();
                let mut raw = raw_from_range(&meta.name, range, None, merges, limits)?;
                if let Some(cells) = shown.remove(&meta.name) {
                    raw.show(cells);
                }
                out.push(worksheet(meta.name, raw, limits)?);
            }
        }
        Book::Ods => {
            let mut book = Ods::new(cursor)
                .map_err(|e| unreadable(kind, matches!(e, OdsError::Password), e))?;
            let mut shown = container::ods_content(bytes, limits)
                .map(|xml| numfmt::ods_shown(&xml, limits.grid.max_cells))
                .unwrap_or_default();
            for meta in book.sheets_metadata().to_vec() {
                let range = book
                    .worksheet_range(&meta.name)
                    .map_err(|e| damaged(&meta.name, e))?;
                let formulas = book.worksheet_formula(&meta.name).unwrap_or_default();
                // calamine does not expose merged ranges for OpenDocument;
                // covered cells are read at their own columns and are empty.
                let mut raw =
                    raw_from_range(&meta.name, range, Some(&formulas), Vec::new(), limits)?;
                if let Some(cells) = shown.remove(&meta.name) {
                    raw.show(cells);
                }
                out.push(worksheet(meta.name, raw, limits)?);
            }
        }
    }
    Ok(out)
}

fn not_a_worksheet(name: String) -> Worksheet {
    Worksheet {
        name: Some(name),
        grid: None,
        warnings: Vec::new(),
    }
}

impl RawSheet {
    /// Puts cells shown otherwise than stored (see [`numfmt`]) in place of
    /// the plain numbers at their positions.
    fn show(&mut self, shown: Vec<((u32, u32), Cell)>) {
        self.cells.sort_by_key(|(pos, _)| *pos);
        for (pos, cell) in shown {
            if let Ok(i) = self.cells.binary_search_by_key(&pos, |(p, _)| *p)
                && matches!(self.cells[i].1, Cell::Number(_))
            {
                self.cells[i].1 = cell;
            }
        }
    }
}

/// Streams an `.xlsx` worksheet cell by cell, so a worksheet with two values
/// far apart does not allocate the rectangle between them.
///
/// The merged ranges and the cells' styles come from byte scans of the part
/// the cells were read from (see [`merges`]), or from calamine when those
/// do not settle them. The scans unpack the part again, so they run beside
/// calamine's reading of the cells (`rayon::join`: on another worker of the
/// pool when one is idle, as on a lone big workbook, else after it on this
/// one), and a big part costs about one reading instead of three.
fn read_xlsx_sheet(
    book: &mut Xlsx<merges::Tracked<'_>>,
    parts: &mut merges::Parts<'_>,
    name: &str,
    limits: &Limits,
) -> Result<RawSheet, WorkbookError> {
    parts.mark();
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| damaged(name, e))?;
    let displays: Vec<Option<Display>> = reader
        .styles()
        .iter()
        .map(|style| {
            let code = &style.number_format.as_ref()?.format_code;
            Display::of(code).filter(|d| d.can_change())
        })
        .collect();
    // Number formats need the cells' style IDs (calamine gives formulas or
    // style IDs, not both), looked for only when the workbook has a format
    // that changes what a number shows.
    let want_styles = displays.iter().any(Option::is_some);
    let part = parts.opened();
    let mut window = std::mem::take(&mut parts.window);
    let mut whole = std::mem::take(&mut parts.whole);
    let (cells, scanned) = rayon::join(
        || xlsx_cells(&mut reader, name, limits),
        || {
            let mut found = Vec::new();
            let (merges, styles) =
                part?.scan(want_styles, &mut whole, &mut window, |pos, style| {
                    if matches!(displays.get(style), Some(Some(_))) {
                        found.push((pos, style));
                    }
                });
            Some((merges, styles.map(|()| found)))
        },
    );
    drop(reader);
    parts.window = window;
    parts.whole = whole;
    let mut raw = cells?;
    let (merges, styles) = scanned.unwrap_or((None, None));
    raw.merges = match merges {
        Some(merges) => merges,
        None => book
            .merge_cells_by_sheet_name(name)
            .map_err(|e| damaged(name, e))?,
    };
    let has_numbers = || raw.cells.iter().any(|(_, c)| matches!(c, Cell::Number(_)));
    if want_styles && has_numbers() {
        raw.cells.sort_by_key(|(pos, _)| *pos);
        let cells = &mut raw.cells;
        let mut show = |pos: (u32, u32), style: usize| {
            let Some(Some(display)) = displays.get(style) else {
                return;
            };
            if let Ok(i) = cells.binary_search_by_key(&pos, |(p, _)| *p)
                && let Cell::Number(n) = cells[i].1
                && let Some(shown) = display.show(n)
            {
                cells[i].1 = shown;
            }
        };
        match styles {
            Some(found) => found.into_iter().for_each(|(pos, style)| show(pos, style)),
            None => {
                let mut reader = book
                    .worksheet_cells_reader(name)
                    .map_err(|e| damaged(name, e))?;
                while let Some((r, c, style)) =
                    reader.next_style_id().map_err(|e| damaged(name, e))?
                {
                    show((r, c), style);
                }
            }
        }
    }
    Ok(raw)
}

/// The cells calamine's `reader` gives, within the limits.
fn xlsx_cells(
    reader: &mut calamine::XlsxCellReader<'_, merges::Tracked<'_>>,
    name: &str,
    limits: &Limits,
) -> Result<RawSheet, WorkbookError> {
    let mut raw = RawSheet::default();
    let mut last_row = None;
    let mut rows = 0usize;
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|e| damaged(name, e))?
    {
        let pos = cell.pos;
        let held = raw.cells.len() + raw.uncomputed_count;
        if held >= limits.grid.max_cells {
            return Err(WorkbookError::TooManyCells {
                worksheet: name.to_owned(),
                found: held as u64 + 1,
                limit: limits.grid.max_cells,
            });
        }
        if cell.value == DataRef::Empty {
            // A formula without a cached value (`<v>`) was never
            // computed: Excel and LibreOffice cache an empty text result
            // as `<v></v>`, which reads as `String("")`.
            if cell.formula.is_some() {
                raw.uncomputed_count += 1;
                keep_first(&mut raw.uncomputed, pos);
            }
            continue;
        }
        if last_row != Some(pos.0) {
            last_row = Some(pos.0);
            rows += 1;
            if rows > limits.grid.max_rows {
                return Err(WorkbookError::TooManyRows {
                    worksheet: name.to_owned(),
                    limit: limits.grid.max_rows,
                });
            }
        }
        let value = cell_from(name, pos, Data::from(cell.value), false, limits)?;
        raw.cells.push((pos, value));
    }
    Ok(raw)
}

/// The cells of an `.xls` or `.ods` worksheet, which calamine reads whole.
///
/// Formulas without a value are not reported here: LibreOffice writes an
/// empty text result in `.ods` without any value, and `.xls` always holds
/// one. `formulas` (for `.ods`) tells error results, which calamine gives
/// as their text (`#N/A`), from text typed by a person.
fn raw_from_range(
    name: &str,
    range: calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
    merges: Vec<Dimensions>,
    limits: &Limits,
) -> Result<RawSheet, WorkbookError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut raw = RawSheet {
        merges,
        ..RawSheet::default()
    };
    for (r, c, value) in range.used_cells() {
        let pos = (r0 + r as u32, c0 + c as u32);
        let is_formula = formulas
            .and_then(|f| f.get_value(pos))
            .is_some_and(|f| !f.is_empty());
        let cell = cell_from(name, pos, value.clone(), is_formula, limits)?;
        raw.cells.push((pos, cell));
    }
    Ok(raw)
}

/// The error values spreadsheet programs show (LibreOffice's own are
/// `Err:502` and the like).
fn is_error_literal(text: &str) -> bool {
    matches!(
        text,
        "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" | "#DATA!"
    ) || text
        .strip_prefix("Err:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A calamine value as a grid cell, refusing text over the size limit. A
/// formula's text result that is an error literal is an error value.
fn cell_from(
    name: &str,
    (r, c): (u32, u32),
    value: Data,
    is_formula: bool,
    limits: &Limits,
) -> Result<Cell, WorkbookError> {
    if let Data::String(s) = &value {
        if s.len() > limits.grid.max_cell_bytes {
            return Err(WorkbookError::CellTooLong {
                cell: cell_ref(name, r, c),
                len: s.len(),
                limit: limits.grid.max_cell_bytes,
            });
        }
        if is_formula && is_error_literal(s.trim()) {
            return Ok(Cell::Error(s.trim().to_owned()));
        }
    }
    Ok(convert(value))
}

/// Builds a worksheet's grid and the warnings about its cells.
fn worksheet(name: String, mut raw: RawSheet, limits: &Limits) -> Result<Worksheet, WorkbookError> {
    let mut warnings = Vec::new();
    raw.cells.sort_by_key(|(pos, _)| *pos);
    // A value in a merged range other than its top-left cell is hidden by
    // every spreadsheet program: drop it, and say so.
    // Each merge looks, row by row, only at the cells of its own columns
    // (cells are sorted), so the check stays near linear in the cells.
    // Merges in a real workbook never overlap; hostile ones covering the
    // same rows over and over would make this quadratic, so the rows and
    // cells looked at are bounded by the cell limit.
    let mut hidden: Vec<((u32, u32), (u32, u32))> = Vec::new();
    let mut budget = limits.grid.max_cells;
    let cells = &raw.cells;
    for m in &raw.merges {
        let mut i = cells.partition_point(|(pos, _)| *pos < (m.start.0, 0));
        while let Some(&((r, _), _)) = cells.get(i) {
            if r > m.end.0 {
                break;
            }
            let from = i + cells[i..].partition_point(|(pos, _)| *pos < (r, m.start.1));
            let to = i + cells[i..].partition_point(|(pos, _)| *pos <= (r, m.end.1));
            let covered = &cells[from..to.max(from)];
            budget = budget.checked_sub(1 + covered.len()).ok_or_else(|| {
                damaged(
                    &name,
                    format!(
                        "its {} merged ranges overlap, covering the same cells over and over",
                        raw.merges.len()
                    ),
                )
            })?;
            for ((r, c), _) in covered {
                if m.start != (*r, *c) {
                    hidden.push(((*r, *c), m.start));
                }
            }
            i += cells[i..].partition_point(|(pos, _)| pos.0 <= r);
        }
    }
    hidden.sort();
    hidden.dedup_by_key(|(pos, _)| *pos);
    if !hidden.is_empty() {
        // The messages of the first ones only: many are folded into one.
        let mut shown: Vec<((u32, u32), String)> = Vec::new();
        raw.cells.retain(|((r, c), value)| {
            let Ok(i) = hidden.binary_search_by_key(&(*r, *c), |(pos, _)| *pos) else {
                return true;
            };
            if shown.len() < FOLD_AFTER {
                let top_left = hidden[i].1;
                let message = format!(
                    "{} is covered by the merged cell {} and holds `{}`, which spreadsheet \
                     programs do not show; it is ignored",
                    cell_ref(&name, *r, *c),
                    cell_ref(&name, top_left.0, top_left.1),
                    short(&value.as_text()),
                );
                shown.push(((*r, *c), message));
            }
            false
        });
        let cells: Vec<(u32, u32)> = shown.iter().map(|(pos, _)| *pos).collect();
        warnings.extend(folded(
            WarningCode::MergedCellHidden,
            &name,
            &cells,
            hidden.len(),
            |i| shown[i].1.clone(),
            |n, first| {
                format!(
                    "{n} cells are covered by merged cells and hold values \
                     spreadsheet programs do not show ({first}); they are ignored"
                )
            },
        ));
    }
    raw.uncomputed.sort();
    let total = raw.uncomputed_count.max(raw.uncomputed.len());
    warnings.extend(folded(
        WarningCode::FormulaNotComputed,
        &name,
        &raw.uncomputed,
        total,
        |i| {
            let (r, c) = raw.uncomputed[i];
            format!(
                "{} holds a formula that was never computed (the workbook was written by a \
                 program and not recalculated), so it is read as empty; open the workbook in \
                 Excel or LibreOffice, save it and import it again",
                cell_ref(&name, r, c)
            )
        },
        |n, first| {
            format!(
                "{n} cells hold formulas that were never computed ({first}; \
                 the workbook was written by a program and not recalculated), so they are read \
                 as empty; open the workbook in Excel or LibreOffice, save it and import it again"
            )
        },
    ));
    let grid = grid(&name, raw.cells, limits)?;
    Ok(Worksheet {
        name: Some(name),
        grid: Some(grid),
        warnings,
    })
}

/// Sorted cells to a grid of worksheet rows and columns; rows without a
/// value are left out (row numbers say where each row is).
fn grid(
    name: &str,
    cells: Vec<((u32, u32), Cell)>,
    limits: &Limits,
) -> Result<Grid, WorkbookError> {
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<(u32, Vec<Cell>)> = None;
    let mut spanned = 0usize;
    for ((r, c), cell) in cells {
        if cell.is_empty() {
            continue;
        }
        if current.as_ref().is_none_or(|(row, _)| *row != r) {
            if let Some((row, cells)) = current.take() {
                rows.push(Row::new(row + 1, cells));
            }
            if rows.len() >= limits.grid.max_rows {
                return Err(WorkbookError::TooManyRows {
                    worksheet: name.to_owned(),
                    limit: limits.grid.max_rows,
                });
            }
            current = Some((r, Vec::new()));
        }
        let (_, row_cells) = current.as_mut().expect("set above");
        let column = c as usize;
        if column >= row_cells.len() {
            spanned += column + 1 - row_cells.len();
            if spanned > limits.grid.max_cells {
                return Err(WorkbookError::TooManyCells {
                    worksheet: name.to_owned(),
                    found: spanned as u64,
                    limit: limits.grid.max_cells,
                });
            }
            row_cells.resize(column + 1, Cell::Empty);
        }
        row_cells[column] = cell;
    }
    if let Some((row, cells)) = current.take() {
        rows.push(Row::new(row + 1, cells));
    }
    Ok(Grid { rows })
}

/// A calamine value as a grid cell.
pub fn convert(value: Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::text_owned(s),
        Data::Float(f) => number(f),
        Data::Int(i) => number(i as f64),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                Cell::DateTime(iso_duration(dt.as_f64()))
            } else {
                let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                Cell::DateTime(iso_datetime(dt.as_f64(), (y, mo, d), (h, mi, s, ms)))
            }
        }
        Data::DateTimeIso(s) => Cell::DateTime(s.strip_suffix("T00:00:00").unwrap_or(&s).into()),
        Data::DurationIso(s) => Cell::DateTime(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A number as spreadsheet programs show it: at most 15 significant digits
/// (Excel stores `0.1+0.2` as `0.30000000000000004` and shows `0.3`;
/// LibreOffice writes `0.3`). Infinities and NaN, which no workbook should
/// hold, read as `#NUM!`.
fn number(f: f64) -> Cell {
    if !f.is_finite() {
        return Cell::Error("#NUM!".into());
    }
    // A whole number of at most 15 digits is its own rounding.
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Cell::Number(if f == 0.0 { 0.0 } else { f });
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    Cell::Number(if rounded == 0.0 { 0.0 } else { rounded })
}

/// `2023-03-31`, `2023-03-31T12:30:00`, or `PT12H30M00S` for a time of day
/// (serial below 1), as OpenDocument writes them.
fn iso_datetime(
    serial: f64,
    (y, mo, d): (u16, u8, u8),
    (h, mi, s, ms): (u8, u8, u8, u16),
) -> String {
    let time = if ms > 0 {
        format!("{h:02}:{mi:02}:{s:02}.{ms:03}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    };
    if (0.0..1.0).contains(&serial) {
        return iso_duration(serial);
    }
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{time}")
    }
}

/// A duration in days as ISO 8601 (`PT36H00M00S`).
fn iso_duration(days: f64) -> String {
    let total = (days.abs() * 86_400.0).round() as u64;
    let sign = if days < 0.0 { "-" } else { "" };
    format!(
        "{sign}PT{}H{:02}M{:02}S",
        total / 3600,
        total / 60 % 60,
        total % 60
    )
}

/// The first 40 characters of a text, for messages.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// A cell reference as spreadsheet programs write it: `施策2!E14`, quoted
/// when the name needs it (`'My sheet'!A1`). `row` and `column` are 0-based.
pub fn cell_ref(worksheet: &str, row: u32, column: u32) -> String {
    let needs_quotes = worksheet
        .chars()
        .any(|c| c.is_whitespace() || "!'\"-+()[]{},;:&=<>^%$#@~`".contains(c))
        || worksheet.is_empty();
    let name = if needs_quotes {
        format!("'{}'", worksheet.replace('\'', "''"))
    } else {
        worksheet.to_owned()
    };
    format!("{name}!{}{}", column_name(column), row + 1)
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
pub fn column_name(column: u32) -> String {
    let mut n = column as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
        assert_eq!(cell_ref("施策2", 13, 4), "施策2!E14");
        assert_eq!(cell_ref("My sheet", 0, 0), "'My sheet'!A1");
        assert_eq!(cell_ref("it's", 0, 1), "'it''s'!B1");
    }

    #[test]
    fn numbers_are_rounded_to_what_spreadsheets_show() {
        // Whole numbers skip the rounding, which would leave them as they are.
        for f in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            3878604.0,
            999_999_999_999_999.0,
            -123_456_789_012_345.0,
        ] {
            let rounded: f64 = format!("{f:.14e}").parse().unwrap();
            let rounded = if rounded == 0.0 { 0.0 } else { rounded };
            assert_eq!(number(f), Cell::Number(rounded), "{f}");
            assert!(matches!(number(f), Cell::Number(n) if n.to_bits() == rounded.to_bits()));
        }
        assert_eq!(number(0.1 + 0.2), Cell::Number(0.3));
        assert_eq!(number(11.4), Cell::Number(11.4));
        assert_eq!(number(3_878_604.0), Cell::Number(3_878_604.0));
        assert_eq!(number(-0.0), Cell::Number(0.0));
        assert_eq!(number(f64::NAN), Cell::Error("#NUM!".into()));
        assert_eq!(convert(Data::Int(40)).as_text(), "40");
    }

    #[test]
    fn dates_and_durations_are_iso_8601() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = |v: f64| {
            convert(Data::DateTime(ExcelDateTime::new(
                v,
                ExcelDateTimeType::DateTime,
                false,
            )))
        };
        assert_eq!(date(45016.0), Cell::DateTime("2023-03-31".into()));
        assert_eq!(date(45016.5), Cell::DateTime("2023-03-31T12:00:00".into()));
        assert_eq!(date(0.5), Cell::DateTime("PT12H00M00S".into()));
        let duration = convert(Data::DateTime(ExcelDateTime::new(
            1.5,
            ExcelDateTimeType::TimeDelta,
            false,
        )));
        assert_eq!(duration, Cell::DateTime("PT36H00M00S".into()));
        assert_eq!(
            convert(Data::DateTimeIso("2023-03-31T00:00:00".into())),
            Cell::DateTime("2023-03-31".into())
        );
    }

    #[test]
    fn errors_and_booleans_keep_their_kind() {
        assert_eq!(
            convert(Data::Error(calamine::CellErrorType::Div0)),
            Cell::Error("#DIV/0!".into())
        );
        assert_eq!(convert(Data::Bool(true)), Cell::Bool(true));
        assert_eq!(
            convert(Data::String("  １２，３４５\r\n".into())),
            Cell::Text("12,345".into())
        );
    }

    #[test]
    fn values_hidden_under_a_merge_are_dropped_with_a_warning() {
        let raw = RawSheet {
            cells: vec![
                ((1, 1), Cell::Text("成果指標".into())),
                ((1, 2), Cell::Text("古い値".into())),
                ((1, 4), Cell::Text("名前".into())),
                ((4, 0), Cell::Number(1.0)),
                ((5, 0), Cell::Number(9.0)),
                ((5, 1), Cell::Text("効果".into())),
            ],
            uncomputed: vec![(8, 0)],
            uncomputed_count: 1,
            merges: vec![
                Dimensions::new((4, 0), (6, 0)),
                Dimensions::new((1, 1), (1, 3)),
            ],
        };
        let ws = worksheet("施策1".into(), raw, &Limits::default()).unwrap();
        let rows = ws.grid.unwrap().rows;
        let texts: Vec<(u32, Vec<String>)> = rows
            .iter()
            .map(|r| {
                let cells = r.cells.iter().map(|c| c.as_text().into_owned()).collect();
                (r.number, cells)
            })
            .collect();
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            texts,
            [
                (2, strings(&["", "成果指標", "", "", "名前"])),
                (5, strings(&["1"])),
                (6, strings(&["", "効果"])),
            ]
        );
        let found: Vec<_> = ws
            .warnings
            .iter()
            .map(|w| (w.code, w.row, w.column))
            .collect();
        assert_eq!(
            found,
            [
                (WarningCode::MergedCellHidden, Some(2), Some(3)),
                (WarningCode::MergedCellHidden, Some(6), Some(1)),
                (WarningCode::FormulaNotComputed, Some(9), Some(1)),
            ]
        );
        assert!(
            ws.warnings[0]
                .message
                .starts_with("施策1!C2 is covered by the merged cell 施策1!B2 and holds `古い値`")
        );
    }

    #[test]
    fn many_uncomputed_formulas_are_one_warning_with_the_first_cells() {
        let mut raw = RawSheet::default();
        for r in (0..20_000u32).rev() {
            raw.uncomputed_count += 1;
            keep_first(&mut raw.uncomputed, (r, 2));
        }
        assert_eq!(raw.uncomputed.len(), FOLD_AFTER);
        let ws = worksheet("s".into(), raw, &Limits::default()).unwrap();
        assert_eq!(ws.warnings.len(), 1);
        let w = &ws.warnings[0];
        assert_eq!(
            (w.code, w.row, w.column),
            (WarningCode::FormulaNotComputed, Some(1), Some(3))
        );
        assert!(
            w.message
                .starts_with("20000 cells hold formulas that were never computed (s!C1, s!C2,"),
            "{}",
            w.message
        );
        assert!(w.message.contains("s!C10, …;"), "{}", w.message);
    }

    #[test]
    fn merges_covering_the_same_cells_over_and_over_fail_the_worksheet() {
        let row = |n: u32| {
            (0..n)
                .map(|c| ((0, c), Cell::Number(1.0)))
                .collect::<Vec<_>>()
        };
        let whole_row = |n: u32| Dimensions::new((0, 0), (0, n - 1));
        // 2,000 merges over one row of 2,000 cells: 4 million cells looked at.
        let raw = RawSheet {
            cells: row(2000),
            uncomputed: Vec::new(),
            uncomputed_count: 0,
            merges: vec![whole_row(2000); 2000],
        };
        let Err(err) = worksheet("s".into(), raw, &Limits::default()) else {
            panic!("overlapping merges were read");
        };
        assert_eq!(
            err.to_string(),
            "worksheet `s` is damaged and cannot be read (its 2000 merged ranges overlap, \
             covering the same cells over and over); open the workbook in Excel or \
             LibreOffice, save it again and import the saved copy"
        );
        // The same merge twice is fine.
        let raw = RawSheet {
            cells: row(20),
            uncomputed: Vec::new(),
            uncomputed_count: 0,
            merges: vec![whole_row(20); 2],
        };
        let ws = worksheet("s".into(), raw, &Limits::default()).unwrap();
        assert_eq!(ws.warnings.len(), 19);
        // 199 hidden values are folded into one warning.
        let raw = RawSheet {
            cells: row(200),
            uncomputed: Vec::new(),
            uncomputed_count: 0,
            merges: vec![whole_row(200); 2],
        };
        let ws = worksheet("s".into(), raw, &Limits::default()).unwrap();
        assert_eq!(ws.warnings.len(), 1);
        assert!(
            ws.warnings[0].message.starts_with(
                "199 cells are covered by merged cells and hold values \
                 spreadsheet programs do not show (s!B1, s!C1,"
            ),
            "{}",
            ws.warnings[0].message
        );
    }

    #[test]
    fn formula_error_text_is_an_error_value() {
        let limits = Limits::default();
        let na = || Data::String("#N/A".into());
        assert_eq!(
            cell_from("s", (0, 0), na(), true, &limits),
            Ok(Cell::Error("#N/A".into()))
        );
        // Typed by a person, it is text.
        assert_eq!(
            cell_from("s", (0, 0), na(), false, &limits),
            Ok(Cell::Text("#N/A".into()))
        );
        assert!(is_error_literal("Err:502") && !is_error_literal("Err:"));
    }

    #[test]
    fn grids_use_worksheet_rows_and_columns() {
        let cells = vec![
            ((2, 3), convert(Data::String("【主担当部局】".into()))),
            ((2, 5), convert(Data::Float(1.0))),
            ((7, 1), convert(Data::String("  ".into()))),
            ((9, 0), convert(Data::String("x".into()))),
        ];
        let g = grid("s", cells, &Limits::default()).unwrap();
        let rows: Vec<(u32, usize)> = g.rows.iter().map(|r| (r.number, r.cells.len())).collect();
        assert_eq!(rows, [(3, 6), (10, 1)]);
        assert_eq!(g.rows[0].cell(3), &Cell::Text("【主担当部局】".into()));
        assert_eq!(g.rows[0].cell(5), &Cell::Number(1.0));
    }

    #[test]
    fn limits_fail_the_file() {
        let mut limits = Limits::default();
        limits.grid.max_rows = 1;
        limits.grid.max_cell_bytes = 3;
        limits.grid.max_cells = 10_000_000;
        let rows = vec![((0, 0), Cell::Number(1.0)), ((1, 0), Cell::Number(2.0))];
        assert!(matches!(
            grid("s", rows, &limits),
            Err(WorkbookError::TooManyRows { limit: 1, .. })
        ));
        let long = Data::String("abcd".into());
        assert_eq!(
            cell_from("s", (4, 2), long, false, &limits)
                .unwrap_err()
                .to_string(),
            "cell s!C5 holds 4 bytes, more than the limit of 3; raise --max-cell-bytes if the \
             workbook is genuine"
        );
        let wide: Vec<_> = (0..700).map(|r| ((r, 16_383), Cell::Number(1.0))).collect();
        assert!(matches!(
            grid("s", wide, &Limits::default()),
            Err(WorkbookError::TooManyCells { .. })
        ));
    }
}
