//! The sheet parser: one segment of a grid to a typed [`Sheet`].
//!
//! Columns are found by their labels, never by fixed positions: the real
//! document shifts them between sheets. Every guess becomes a [`Warning`]
//! with a code and the row it concerns.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::era::{self, YearNote, YearRef};
use crate::grid::{Cell, Grid, Row};
use crate::lists;
use crate::model::{
    Actual, Baseline, BasicProject, Comparison, Improvements, Kpi, Number, Progress, ProgressCode,
    Sheet, Source, Survey, Target, TargetBasis, TargetBound,
};
use crate::normalize::{self, ParsedNumber, format_number};
use crate::segment::{self, Segment};
use crate::template::{self, Template};
use crate::warning::{Warning, WarningCode};

/// Parses one sheet. `source` gives the file-level fields; `ordinal` and
/// `rows` are filled in here.
pub fn parse(
    grid: &Grid,
    segment: &Segment,
    mut source: Source,
    ordinal: u32,
    template: &Template,
) -> Sheet {
    let rows = &grid.rows[segment.rows.clone()];
    source.ordinal = ordinal;
    source.rows = [
        rows.first().map_or(0, |r| r.number),
        rows.last().map_or(0, |r| r.number),
    ];
    let mut p = Parser {
        grid,
        t: template,
        warnings: Vec::new(),
        fiscal_year: None,
    };
    let header = p.header(segment);
    let mut projects = match &segment.plan {
        Some(plan) => p.plan(plan.clone()),
        None => {
            p.warn_row(
                WarningCode::PlanTableMissing,
                grid.rows[segment.label_row].number,
                "the sheet has no 【PLAN】【DO】【CHECK①】 table, so it has no basic projects or KPIs; \
                 check that the file holds the whole sheet",
            );
            BTreeMap::new()
        }
    };
    match &segment.check {
        Some(check) => p.check(check.clone(), &mut projects),
        None if segment.plan.is_some() => p.warn_row(
            WarningCode::CheckTableMissing,
            source.rows[1],
            "the sheet has no 【CHECK②】【ACTION】 table; effects, issues, improvements and \
             progress are empty",
        ),
        None => {}
    }
    let survey = segment
        .survey
        .clone()
        .map(|r| p.survey(r))
        .unwrap_or_default();
    // Error values outside value cells were read as empty; value cells
    // were warned about where they were read.
    for row in rows {
        for (column, cell) in row.filled() {
            let Cell::Error(e) = cell else { continue };
            let warned = p.warnings.iter().any(|w| {
                w.code == WarningCode::CellError
                    && w.row == Some(row.number)
                    && w.column == Some(column as u32 + 1)
            });
            if !warned {
                p.warn_cell(
                    WarningCode::CellError,
                    row.number,
                    column,
                    format!("the cell holds the error value `{e}`; it is read as empty"),
                );
            }
        }
    }
    Sheet {
        id: String::new(),
        municipality: None,
        source,
        heading: header.heading,
        department: header.department,
        department_label: header.department_label,
        policy: header.policy,
        fiscal_year: p.fiscal_year,
        directions: header.directions,
        basic_projects: projects.into_values().collect(),
        survey,
        warnings: p.warnings,
    }
}

struct Header {
    heading: Option<String>,
    department: String,
    department_label: String,
    policy: Option<String>,
    directions: Vec<String>,
}

/// A KPI year header: where the baseline, the years and the target sit.
#[derive(Debug, Clone)]
struct KpiHeader {
    row: u32,
    baseline_column: usize,
    baseline_year: Option<i32>,
    years: Vec<(usize, i32)>,
    target_column: Option<usize>,
    basis: Option<TargetBasis>,
}

impl KpiHeader {
    fn slots(&self) -> usize {
        1 + self.years.len() + usize::from(self.target_column.is_some())
    }

    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.baseline_column)
            .chain(self.years.iter().map(|(c, _)| *c))
            .chain(self.target_column)
    }
}

#[derive(Default)]
struct KpiDraft {
    row: u32,
    name: Option<String>,
    description: Option<String>,
    header: Option<KpiHeader>,
    kpi: Option<Kpi>,
}

impl KpiDraft {
    /// The KPI being read, or a new one starting at `row` when a KPI row
    /// comes without its 成果指標 row.
    fn current(current: &mut Option<KpiDraft>, row: u32) -> &mut KpiDraft {
        current.get_or_insert_with(|| KpiDraft {
            row,
            ..KpiDraft::default()
        })
    }
}

struct Parser<'g> {
    grid: &'g Grid,
    t: &'g Template,
    warnings: Vec<Warning>,
    fiscal_year: Option<i32>,
}

/// A cell's text on one line; an error value (`#N/A`) is no text (it is
/// warned about once per cell in [`parse`]).
fn text_of(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty | Cell::Error(_) => None,
        other => Some(normalize::single_line(&other.as_text())),
    }
}

/// A list cell's text; a lone `0` is a spreadsheet formula's empty result.
fn list_text(cell: &Cell) -> Option<String> {
    if matches!(cell, Cell::Error(_)) {
        return None;
    }
    let text = cell.as_text();
    let text = text.trim();
    (!text.is_empty() && text != "0").then(|| text.to_owned())
}

/// The largest basic project number read (five digits). A real sheet has a
/// handful of projects; a generated one may have thousands, and a number
/// past 999 must still start a project rather than fold its rows into the
/// project before.
const MAX_PROJECT_NUMBER: f64 = 99_999.0;

fn integer(cell: &Cell) -> Option<u32> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=MAX_PROJECT_NUMBER).contains(n) => {
            Some(*n as u32)
        }
        Cell::Text(t) if !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit()) => {
            t.parse().ok().filter(|&n| n >= 1)
        }
        _ => None,
    }
}

impl<'g> Parser<'g> {
    fn rows(&self, range: Range<usize>) -> &'g [Row] {
        &self.grid.rows[range]
    }

    fn warn_row(&mut self, code: WarningCode, row: u32, message: impl Into<String>) {
        self.warnings.push(Warning::at_row(code, row, message));
    }

    fn warn_cell(
        &mut self,
        code: WarningCode,
        row: u32,
        column: usize,
        message: impl Into<String>,
    ) {
        self.warnings
            .push(Warning::at_cell(code, row, column as u32 + 1, message));
    }

    fn note_year(&mut self, year: &YearRef, row: u32, column: usize, text: &str) {
        if let Some(note) = year.note {
            let code = match note {
                YearNote::EraMismatch { .. } => WarningCode::EraYearMismatch,
                YearNote::PastEraEnd => WarningCode::EraYearPastEnd,
            };
            let message = format!("`{text}`: {}", note.describe(year.gregorian));
            self.warn_cell(code, row, column, message);
        }
    }

    fn header(&mut self, segment: &Segment) -> Header {
        let rows = self.rows(segment.header.clone());
        let label_at = segment.label_row - segment.header.start;
        let mut heading = None;
        let mut policy = None;
        let mut department = String::new();
        let mut department_label = String::new();
        let mut directions = Vec::new();
        let mut department_row = label_at;
        for (i, row) in rows.iter().enumerate() {
            let Some((col, first)) = row.first_filled() else {
                continue;
            };
            // The policy label may stand alone or beside the heading
            // (`基本目標1 … | 施策名 | 地域医療の充実`).
            if let Some((label_col, _)) = row.find_by(|s| segment::is_policy_label(s, self.t)) {
                policy = row.next_filled(label_col).and_then(|(_, c)| text_of(c));
                if label_col > col && heading.is_none() && i < label_at {
                    heading = text_of(first);
                }
                continue;
            }
            if i < label_at {
                if heading.is_none() {
                    heading = text_of(first);
                }
                continue;
            }
            if i == label_at {
                let (label_col, cell) = row
                    .find_by(|s| segment::department_cell(s, self.t).is_some())
                    .expect("the segment's label row holds a label");
                let (label, name_in_cell) =
                    segment::department_cell(cell, self.t).expect("found by department_cell");
                department_label = label.to_owned();
                if let Some(name) = name_in_cell {
                    department = normalize::single_line(name);
                } else if let Some((_, name)) = row.next_filled(label_col) {
                    department = text_of(name).unwrap_or_default();
                }
                continue;
            }
            if department.is_empty() && i > department_row {
                department = text_of(first).unwrap_or_default();
                department_row = i;
                continue;
            }
            for (_, cell) in row.filled().filter(|(_, c)| !matches!(c, Cell::Error(_))) {
                directions.extend(lists::flat(&cell.as_text()));
            }
        }
        Header {
            heading,
            department,
            department_label,
            policy,
            directions,
        }
    }

    fn plan(&mut self, range: Range<usize>) -> BTreeMap<u32, BasicProject> {
        let rows = self.rows(range.clone());
        // A row that holds both the PLAN title and a later table's title
        // leaves the PLAN table no rows.
        let Some(title_row) = rows.first() else {
            return BTreeMap::new();
        };
        let plan = self.t.plan();
        let number_column = title_row
            .find_by(|s| template::contains(&plan.title, s))
            .map_or(0, |(c, _)| c);
        // The column header row names the DO column with the fiscal year.
        let mut do_column = title_row
            .find_by(|s| template::contains(&plan.do_title, s))
            .map(|(c, _)| c);
        let mut header_end = 1;
        for (i, row) in rows.iter().enumerate().take(4) {
            let is_header = |s: &str| {
                template::exact(&plan.basic_project, s) || template::exact(&plan.kpi_column, s)
            };
            if row.find_by(is_header).is_some() {
                header_end = header_end.max(i + 1);
            }
            if let Some((col, text)) = row.find_by(|s| template::contains(&plan.do_header, s)) {
                do_column = Some(col);
                header_end = i + 1;
                if let Some((year, _)) = era::find_year(text) {
                    self.note_year(&year, row.number, col, text);
                    self.fiscal_year = Some(year.gregorian);
                }
                break;
            }
        }
        if self.fiscal_year.is_none() {
            self.warn_row(
                WarningCode::FiscalYearMissing,
                title_row.number,
                "the PLAN table header names no fiscal year (expected a cell such as \
                 `2022(R4)年度の事務事業`); fiscal_year is null",
            );
        }
        let mut projects: BTreeMap<u32, BasicProject> = BTreeMap::new();
        let mut last_header: Option<KpiHeader> = None;
        let body = &rows[header_end..];
        let starts: Vec<usize> = (0..body.len())
            .filter(|&i| integer(body[i].cell(number_column)).is_some())
            .collect();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(body.len());
            let block = &body[start..end];
            let first = &block[0];
            let number = integer(first.cell(number_column)).expect("filtered on numbers");
            let name_cell = (number_column + 1..do_column.unwrap_or(number_column + 2))
                .map(|c| first.cell(c))
                .find(|c| !c.is_empty() && !matches!(c, Cell::Error(_)));
            let (name, description) = match name_cell {
                Some(cell) => split_name(&cell.as_text()),
                None => (String::new(), None),
            };
            let activities = do_column
                .and_then(|c| list_text(first.cell(c)))
                .map(|t| lists::items(&t))
                .unwrap_or_default();
            let kpis = self.kpis(block, &mut last_header);
            if name.is_empty() && description.is_none() && activities.is_empty() && kpis.is_empty()
            {
                continue; // an empty template slot (quirk 1)
            }
            if name.is_empty() {
                self.warn_row(
                    WarningCode::BasicProjectWithoutName,
                    first.number,
                    format!("basic project {number} has content but no name; name is empty"),
                );
            }
            if projects.contains_key(&number) {
                self.warn_row(
                    WarningCode::BasicProjectDuplicate,
                    first.number,
                    format!("basic project number {number} appears twice; the later one is kept"),
                );
            }
            projects.insert(
                number,
                BasicProject {
                    name,
                    description,
                    activities,
                    kpis,
                    ..unreviewed_project(number)
                },
            );
        }
        projects
    }

    fn kpis(&mut self, block: &[Row], last_header: &mut Option<KpiHeader>) -> Vec<Kpi> {
        let mut out = Vec::new();
        let mut current: Option<KpiDraft> = None;
        for row in block {
            let kpi = self.t.kpi();
            if let Some((col, _)) = row.find_by(|s| template::exact(&kpi.name, s)) {
                if let Some(done) = current.take() {
                    self.finish_kpi(done, &mut out);
                }
                current = Some(KpiDraft {
                    row: row.number,
                    name: row.next_filled(col).and_then(|(_, c)| text_of(c)),
                    ..KpiDraft::default()
                });
                continue;
            }
            if let Some((col, _)) = row.find_by(|s| template::exact(&kpi.description, s)) {
                let draft = KpiDraft::current(&mut current, row.number);
                draft.description = row.next_filled(col).and_then(|(_, c)| text_of(c));
                continue;
            }
            if let Some((col, _)) = row.find_by(|s| template::prefix(&kpi.baseline, s).is_some()) {
                let header = self.kpi_header(row, col);
                *last_header = Some(header.clone());
                KpiDraft::current(&mut current, row.number).header = Some(header);
                continue;
            }
            if let Some((col, label)) = row.find_by(|s| value_label(s, self.t).is_some()) {
                let unit = value_label(label, self.t).flatten();
                let draft = KpiDraft::current(&mut current, row.number);
                let header = match draft.header.clone() {
                    Some(h) => Some(h),
                    // A second KPI of a project repeats no year header:
                    // the template's normal form (SHEET-SPEC quirk 2).
                    None => last_header.clone(),
                };
                draft.kpi = Some(self.kpi_values(row, col, unit, header.as_ref()));
            }
        }
        if let Some(done) = current.take() {
            self.finish_kpi(done, &mut out);
        }
        out
    }

    fn finish_kpi(&mut self, draft: KpiDraft, out: &mut Vec<Kpi>) {
        let name = draft.name.unwrap_or_default();
        let kpi = draft.kpi.unwrap_or_else(|| Kpi {
            id: String::new(),
            name: String::new(),
            description: None,
            unit: None,
            baseline: Baseline {
                fiscal_year: draft.header.as_ref().and_then(|h| h.baseline_year),
                value: None,
                raw: None,
            },
            actuals: draft
                .header
                .as_ref()
                .map(|h| {
                    h.years
                        .iter()
                        .map(|&(_, fiscal_year)| Actual {
                            fiscal_year,
                            value: None,
                            raw: None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            target: Target {
                value: None,
                raw: None,
                basis: draft.header.as_ref().and_then(|h| h.basis),
                bound: None,
            },
            assessment: Default::default(),
        });
        let has_values = kpi.baseline.raw.is_some()
            || kpi.target.raw.is_some()
            || kpi.actuals.iter().any(|a| a.raw.is_some());
        if name.is_empty() && draft.description.is_none() && !has_values {
            return; // an empty template slot (quirk 1)
        }
        if name.is_empty() {
            self.warn_row(
                WarningCode::KpiWithoutName,
                draft.row,
                "a KPI has values but no name (成果指標 is empty); name is empty",
            );
        }
        out.push(Kpi {
            name,
            description: draft.description,
            ..kpi
        });
    }

    fn kpi_header(&mut self, row: &Row, baseline_column: usize) -> KpiHeader {
        let baseline_text = row.cell(baseline_column).as_text();
        let baseline_year = era::find_year(&baseline_text).map(|(y, _)| {
            self.note_year(&y, row.number, baseline_column, &baseline_text);
            y.gregorian
        });
        let mut years = Vec::new();
        let mut target_column = None;
        let mut basis = None;
        for (col, cell) in row.filled().filter(|(c, _)| *c > baseline_column) {
            let text = cell.as_text();
            let kpi = self.t.kpi();
            if template::prefix(&kpi.target, &text).is_some() {
                target_column = Some(col);
                basis = if template::contains(&kpi.single_year, &text) {
                    Some(TargetBasis::SingleYear)
                } else if template::contains(&kpi.cumulative, &text) {
                    Some(TargetBasis::Cumulative)
                } else {
                    None
                };
                break;
            }
            let year = match cell {
                Cell::Number(n) if n.fract() == 0.0 => era::parse_year(&format_number(*n)),
                _ => era::parse_year(&text),
            };
            match (year, date_fiscal_year(cell)) {
                (Some(y), _) => {
                    self.note_year(&y, row.number, col, &text);
                    years.push((col, y.gregorian));
                }
                // A date (`2022-03-31`, `R4.3.31`, `2022年3月末`) stands for
                // the fiscal year it falls in.
                (None, Some(fiscal_year)) => years.push((col, fiscal_year)),
                (None, None) => self.warn_cell(
                    WarningCode::UnrecognizedRow,
                    row.number,
                    col,
                    format!("`{text}` in the KPI header is neither a year nor 目標値; the column is skipped"),
                ),
            }
        }
        KpiHeader {
            row: row.number,
            baseline_column,
            baseline_year,
            years,
            target_column,
            basis,
        }
    }

    fn kpi_values(
        &mut self,
        row: &Row,
        label_column: usize,
        unit: Option<String>,
        header: Option<&KpiHeader>,
    ) -> Kpi {
        let Some(header) = header else {
            if row_has_values(row, label_column) {
                self.warn_row(
                    WarningCode::KpiHeaderMissing,
                    row.number,
                    "a KPI value row has no year header before it (a row starting with 現状値); \
                     the first value is read as the baseline, the last as the target, and no \
                     yearly actuals are recorded",
                );
            }
            let values: Vec<&Cell> = positional(row, label_column);
            let target_cell = if values.len() >= 2 {
                values.last().copied()
            } else {
                None
            };
            let (target, bound) = self.target(row, target_cell);
            let unit = self.percent_unit(row, unit, values.iter().map(|c| Some(*c)));
            return Kpi {
                id: String::new(),
                name: String::new(),
                description: None,
                unit,
                baseline: {
                    let first = values.first().copied();
                    let (value, raw) = self.value(row, first);
                    Baseline {
                        fiscal_year: in_cell(first).map(|v| v.fiscal_year),
                        value,
                        raw,
                    }
                },
                actuals: Vec::new(),
                target: Target {
                    basis: None,
                    bound,
                    ..target
                },
                assessment: Default::default(),
            };
        };
        let slots: Vec<usize> = header.columns().collect();
        let stray = row
            .filled()
            .any(|(c, _)| c > label_column && !slots.contains(&c));
        let aligned = header.baseline_column > label_column && !stray;
        let (baseline_cell, year_cells, target_cell): (
            Option<&Cell>,
            Vec<Option<&Cell>>,
            Option<&Cell>,
        ) = if !row_has_values(row, label_column) {
            (None, vec![None; header.years.len()], None)
        } else if aligned {
            (
                Some(row.cell(header.baseline_column)),
                header
                    .years
                    .iter()
                    .map(|(c, _)| Some(row.cell(*c)))
                    .collect(),
                header.target_column.map(|c| row.cell(c)),
            )
        } else {
            let values = positional(row, label_column);
            let mut year_cells: Vec<Option<&Cell>> = vec![None; header.years.len()];
            let (target_cell, middle) = match (header.target_column, values.len()) {
                (Some(_), n) if n >= 2 => (values.last().copied(), &values[1..n - 1]),
                (_, 0) => (None, &values[..0]),
                (_, _) => (None, &values[1..]),
            };
            for (slot, cell) in year_cells.iter_mut().zip(middle) {
                *slot = Some(*cell);
            }
            let lost = middle.len().saturating_sub(header.years.len());
            let mut message = format!(
                "the KPI value row has {} value cells for the {} slots of its header (row {}), \
                     which {}; read with the baseline first, the target as the right-most value \
                     and the years filled from the left",
                values.len(),
                header.slots(),
                header.row,
                if header.baseline_column <= label_column {
                    "starts left of the values"
                } else {
                    "does not line up with the values"
                },
            );
            if lost > 0 {
                message.push_str(&format!(
                    "; {lost} value(s) had no year column and were dropped"
                ));
            }
            self.warn_row(WarningCode::KpiRowRealigned, row.number, message);
            (values.first().copied(), year_cells, target_cell)
        };
        let (value, raw) = self.value(row, baseline_cell);
        let baseline = Baseline {
            fiscal_year: header
                .baseline_year
                .or_else(|| in_cell(baseline_cell).map(|v| v.fiscal_year)),
            value,
            raw,
        };
        // A value that carries its unit (`1,032万t-CO2 (R3年度)`) gives the
        // KPI's unit when the row label has none.
        let unit = unit.or_else(|| {
            std::iter::once(baseline_cell)
                .chain(year_cells.iter().copied())
                .chain(std::iter::once(target_cell))
                .find_map(|c| in_cell(c).and_then(|v| v.unit))
        });
        let unit = self.percent_unit(
            row,
            unit,
            std::iter::once(baseline_cell)
                .chain(year_cells.iter().copied())
                .chain(std::iter::once(target_cell)),
        );
        if let (Some(column_year), Some(stated)) = (header.baseline_year, in_cell(baseline_cell)) {
            self.warn_value_year(row, stated.fiscal_year, column_year, "baseline");
        }
        let mut actuals = Vec::with_capacity(header.years.len());
        for (&(_, fiscal_year), cell) in header.years.iter().zip(year_cells) {
            if let Some(stated) = in_cell(cell) {
                self.warn_value_year(row, stated.fiscal_year, fiscal_year, "actual");
            }
            let (value, raw) = self.value(row, cell);
            if raw.is_some()
                && value.is_some()
                && self.fiscal_year.is_some_and(|fy| fiscal_year > fy)
            {
                self.warn_row(
                    WarningCode::ActualAfterFiscalYear,
                    row.number,
                    format!(
                        "an actual value is given for fiscal {fiscal_year}, later than the sheet's \
                         fiscal year {}; check the column alignment",
                        self.fiscal_year.unwrap_or_default()
                    ),
                );
            }
            actuals.push(Actual {
                fiscal_year,
                value,
                raw,
            });
        }
        let (target, bound) = self.target(row, target_cell);
        Kpi {
            id: String::new(),
            name: String::new(),
            description: None,
            unit,
            baseline,
            actuals,
            target: Target {
                basis: header.basis,
                bound,
                ..target
            },
            assessment: Default::default(),
        }
    }

    /// The unit of a KPI whose value cells a workbook formats as
    /// percentages: they are read as shown (`30.5%` is 30.5), so the unit is
    /// `%`. A row label that gives none, or another, could mean the stored
    /// fraction: the choice is said, at the first such cell.
    fn percent_unit<'c>(
        &mut self,
        row: &Row,
        unit: Option<String>,
        cells: impl Iterator<Item = Option<&'c Cell>>,
    ) -> Option<String> {
        let Some((column, shown)) = cells.flatten().find_map(|c| match c {
            Cell::Shown(s) if s.percent => row
                .cells
                .iter()
                .position(|x| std::ptr::eq(x, c))
                .map(|col| (col, s.shown.clone())),
            _ => None,
        }) else {
            return unit;
        };
        match unit.as_deref() {
            Some("%") => unit,
            None => {
                self.warn_cell(
                    WarningCode::PercentUnitFromFormat,
                    row.number,
                    column,
                    format!(
                        "the row label gives no unit and the workbook shows the values as \
                         percentages (`{shown}`): read as shown, with the unit `%`; check that \
                         the KPI is a percentage"
                    ),
                );
                Some("%".to_owned())
            }
            Some(other) => {
                self.warn_cell(
                    WarningCode::PercentUnitConflict,
                    row.number,
                    column,
                    format!(
                        "the row label gives the unit `{other}` but the workbook shows the values \
                         as percentages (`{shown}`): read as shown (a hundred times the stored \
                         value) and the unit `{other}` kept; check which the sheet means"
                    ),
                );
                unit
            }
        }
    }

    /// Warns when a value written with its own year (`24.7%(H29年度)`)
    /// stands in the column of another year: the column's year is kept,
    /// since the table's layout is what the sheet's reader sees.
    fn warn_value_year(&mut self, row: &Row, stated: i32, column_year: i32, what: &str) {
        if stated != column_year {
            self.warn_row(
                WarningCode::ValueYearMismatch,
                row.number,
                format!(
                    "a {what} value gives its own fiscal year {stated} but stands in the column \
                     of fiscal {column_year}; it was read as fiscal {column_year}; check which \
                     year it belongs to"
                ),
            );
        }
    }

    /// A baseline or actual value: a number, or no value; text is kept raw
    /// with a warning.
    fn value(&mut self, row: &Row, cell: Option<&Cell>) -> (Option<Number>, Option<String>) {
        let Some(cell) = cell else {
            return (None, None);
        };
        let column = row.cells.iter().position(|c| std::ptr::eq(c, cell));
        match cell {
            Cell::Empty => (None, None),
            Cell::Number(n) => (Number::new(*n), Some(format_number(*n))),
            Cell::Shown(shown) => (Number::new(shown.value), Some(shown.shown.clone())),
            Cell::Text(text) => match normalize::number(text) {
                ParsedNumber::Number { value, .. } => (Number::new(value), Some(text.clone())),
                ParsedNumber::NoValue => (None, Some(text.clone())),
                ParsedNumber::Text if value_with_year(text).is_some() => (
                    value_with_year(text).and_then(|v| Number::new(v.value)),
                    Some(text.clone()),
                ),
                ParsedNumber::Text => {
                    let message = format!(
                        "`{text}` is not a number; value is null and the text is kept in raw"
                    );
                    match column {
                        Some(c) => {
                            self.warn_cell(WarningCode::ValueNotANumber, row.number, c, message)
                        }
                        None => self.warn_row(WarningCode::ValueNotANumber, row.number, message),
                    }
                    (None, Some(text.clone()))
                }
            },
            Cell::Error(e) => {
                let message = format!("the cell holds the error value `{e}`; value is null");
                match column {
                    Some(c) => self.warn_cell(WarningCode::CellError, row.number, c, message),
                    None => self.warn_row(WarningCode::CellError, row.number, message),
                }
                (None, Some(e.clone()))
            }
            Cell::Bool(_) | Cell::DateTime(_) => {
                let text = cell.as_text().into_owned();
                let message = format!(
                    "the cell holds `{text}`, a date or boolean, where a number was expected; value is null"
                );
                match column {
                    Some(c) => {
                        self.warn_cell(WarningCode::CellTypeUnexpected, row.number, c, message)
                    }
                    None => self.warn_row(WarningCode::CellTypeUnexpected, row.number, message),
                }
                (None, Some(text))
            }
        }
    }

    fn target(&mut self, row: &Row, cell: Option<&Cell>) -> (Target, Option<TargetBound>) {
        let empty = Target {
            value: None,
            raw: None,
            basis: None,
            bound: None,
        };
        let Some(cell) = cell else {
            return (empty, None);
        };
        match cell {
            Cell::Empty => (empty, None),
            Cell::Text(text) => {
                let value = match normalize::number(text) {
                    ParsedNumber::Number { value, .. } => Number::new(value),
                    _ => value_with_year(text).and_then(|v| Number::new(v.value)),
                };
                let bound = if value.is_none() {
                    target_bound(text)
                } else {
                    None
                };
                (
                    Target {
                        value,
                        raw: Some(text.clone()),
                        ..empty
                    },
                    bound,
                )
            }
            other => {
                let (value, raw) = self.value(row, Some(other));
                (
                    Target {
                        value,
                        raw,
                        ..empty
                    },
                    None,
                )
            }
        }
    }

    fn check(&mut self, range: Range<usize>, projects: &mut BTreeMap<u32, BasicProject>) {
        let rows = self.rows(range);
        let title = &rows[0];
        let labels = self.t.check();
        let number_column = title
            .find_by(|s| template::contains(&labels.title, s))
            .map_or(0, |(c, _)| c);
        let mut action_column = None;
        let mut progress_column = None;
        for row in rows.iter().take(2) {
            if action_column.is_none() {
                action_column = row
                    .find_by(|s| template::contains(&labels.action, s))
                    .map(|(c, _)| c);
            }
            if progress_column.is_none() {
                progress_column = row
                    .find_by(|s| template::contains(&labels.progress, s))
                    .map(|(c, _)| c);
            }
        }
        let mut number: Option<u32> = None;
        let mut realigned_warned = false;
        let mut inferred_as_actions = Vec::new();
        let mut inferred_as_effects = Vec::new();
        for row in rows {
            if let Some(n) = integer(row.cell(number_column)) {
                number = Some(n);
            }
            let is_issue = |s: &str| template::exact(&labels.issues, s);
            let Some((label_column, label)) =
                row.find_by(|s| template::prefix(&labels.effects, s).is_some() || is_issue(s))
            else {
                continue;
            };
            let Some(n) = number else { continue };
            let is_effect_row = !is_issue(label);
            let action_col = action_column.unwrap_or(label_column + 2);
            let progress_col = progress_column.unwrap_or(action_col + 1);
            let mut effect = None;
            let mut action = None;
            let progress;
            let explicit = action_col > label_column + 1;
            let beyond = row.filled().any(|(c, _)| c > progress_col);
            if explicit {
                effect = first_in(row, label_column + 1..action_col);
                action = first_in(row, action_col..progress_col);
                progress = first_in(row, progress_col..progress_col + 1);
            } else if beyond {
                if !realigned_warned {
                    realigned_warned = true;
                    self.warn_row(
                        WarningCode::CheckColumnsRealigned,
                        row.number,
                        format!(
                            "CHECK② rows have five columns but the header ({}) names four; \
                             read as 効果/課題, 改善案, 進捗 in the three columns after the label",
                            title.number
                        ),
                    );
                }
                effect = first_in(row, label_column + 1..label_column + 2);
                action = first_in(row, label_column + 2..label_column + 3);
                progress = first_in(row, label_column + 3..label_column + 4);
            } else {
                let text = first_in(row, label_column + 1..label_column + 2);
                progress = first_in(row, progress_col..progress_col + 1);
                if let Some(text) = text {
                    if is_effect_row {
                        if lists::has_category(&text, self.t) {
                            inferred_as_actions.push(row.number);
                            action = Some(text);
                        } else {
                            inferred_as_effects.push(row.number);
                            effect = Some(text);
                        }
                    } else {
                        effect = Some(text);
                    }
                }
            }
            let has_content = effect.is_some() || action.is_some() || progress.is_some();
            if !has_content {
                continue;
            }
            let project = projects.entry(n).or_insert_with(|| {
                self.warnings.push(Warning::at_row(
                    WarningCode::CheckWithoutPlan,
                    row.number,
                    format!(
                        "the CHECK② table has text for basic project {n}, which the PLAN table \
                         does not have; a project without name is recorded"
                    ),
                ));
                unreviewed_project(n)
            });
            if let Some(text) = effect {
                let items = lists::items(&text);
                if is_effect_row {
                    project.effects.extend(items);
                } else {
                    project.issues.extend(items);
                }
            }
            if let Some(text) = action {
                merge_improvements(
                    &mut project.improvements,
                    lists::improvements(&text, self.t),
                );
            }
            if let Some(text) = progress
                && project.progress.is_none()
            {
                let text = normalize::single_line(&text);
                project.progress = Some(Progress {
                    code: progress_code(&text, self.t),
                    text,
                });
            }
        }
        self.note_inferred_columns(&inferred_as_actions, &inferred_as_effects);
    }

    /// One `check_column_inferred` per sheet, naming every row where the
    /// collapsed CHECK② column had to be read one way or the other.
    fn note_inferred_columns(&mut self, as_actions: &[u32], as_effects: &[u32]) {
        let Some(&first) = as_actions.iter().chain(as_effects).min() else {
            return;
        };
        let rows = |rows: &[u32]| {
            rows.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !as_actions.is_empty() {
            parts.push(format!(
                "it has ○…事業案 headings in row(s) {}, so it is read there as improvement \
                 proposals and effects are empty",
                rows(as_actions)
            ));
        }
        if !as_effects.is_empty() {
            parts.push(format!(
                "it has no ○…事業案 heading in row(s) {}, so it is read there as effects and \
                 improvements are empty",
                rows(as_effects)
            ));
        }
        self.warn_row(
            WarningCode::CheckColumnInferred,
            first,
            format!(
                "one CHECK② text column stands for both 効果が出ている点 and 事務事業の改善案; {}",
                parts.join("; ")
            ),
        );
    }

    fn survey(&mut self, range: Range<usize>) -> Survey {
        let rows = self.rows(range);
        let mut trends = Vec::new();
        for row in &rows[1..] {
            for (_, cell) in row.filled().filter(|(_, c)| !matches!(c, Cell::Error(_))) {
                let text = cell.as_text();
                if template::exact(&self.t.survey().labels, &text) {
                    continue;
                }
                trends.extend(lists::flat(&text));
            }
        }
        Survey { trends }
    }
}

/// A basic project with its number only; the PLAN table fills its plan and
/// the CHECK② table its review.
fn unreviewed_project(number: u32) -> BasicProject {
    BasicProject {
        id: String::new(),
        number,
        name: String::new(),
        description: None,
        description_mentions: Vec::new(),
        activities: Vec::new(),
        kpis: Vec::new(),
        effects: Vec::new(),
        issues: Vec::new(),
        improvements: Improvements::default(),
        progress: None,
    }
}

fn merge_improvements(into: &mut Improvements, from: Improvements) {
    into.new.extend(from.new);
    into.existing.extend(from.existing);
    into.reduced_or_abolished.extend(from.reduced_or_abolished);
    into.unclassified.extend(from.unclassified);
}

/// The first non-empty list text in the given columns.
fn first_in(row: &Row, columns: Range<usize>) -> Option<String> {
    columns.into_iter().find_map(|c| list_text(row.cell(c)))
}

/// The cells right of the label, up to the last filled one.
fn positional(row: &Row, label_column: usize) -> Vec<&Cell> {
    let last = row.filled().map(|(c, _)| c).last().unwrap_or(0);
    (label_column + 1..=last).map(|c| row.cell(c)).collect()
}

fn row_has_values(row: &Row, label_column: usize) -> bool {
    row.filled().any(|(c, _)| c > label_column)
}

/// A value-row label (`実績`, `実績(件)`, `実績値()`): `Some(unit)`, the
/// unit `None` when the brackets are empty or missing.
fn value_label(text: &str, t: &Template) -> Option<Option<String>> {
    let rest = t
        .kpi()
        .values
        .iter()
        .find_map(|l| text.strip_prefix(l.as_str()))?;
    if rest.is_empty() {
        return Some(None);
    }
    let unit = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    Some((!unit.is_empty()).then(|| unit.to_owned()))
}

/// A value written with its year in the cell: `24.7%(H29年度)`,
/// `1,032万t-CO2 (R3年度)`.
#[derive(Debug, Clone, PartialEq)]
struct InCell {
    value: f64,
    unit: Option<String>,
    fiscal_year: i32,
}

/// Reads a value cell that carries its own year in trailing brackets; the
/// rest is a number and, optionally, a unit. Only with the year present is
/// a trailing unit split off, so target texts such as `50%台後半` stay text.
fn value_with_year(text: &str) -> Option<InCell> {
    let text = text.trim();
    let open = text.strip_suffix(')')?.rfind('(')?;
    let (year, _) = era::find_year(&text[open + 1..text.len() - 1])?;
    let rest = text[..open].trim();
    if let ParsedNumber::Number { value, percent } = normalize::number(rest) {
        return Some(InCell {
            value,
            unit: percent.then(|| "%".to_owned()),
            fiscal_year: year.gregorian,
        });
    }
    static LEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[△▲-]?[0-9][0-9,]*(?:\.[0-9]+)?").expect("valid regex")
    });
    let number = LEADING.find(rest)?;
    let ParsedNumber::Number { value, .. } = normalize::number(number.as_str()) else {
        return None;
    };
    let unit = rest[number.end()..].trim();
    Some(InCell {
        value,
        unit: (!unit.is_empty()).then(|| unit.to_owned()),
        fiscal_year: year.gregorian,
    })
}

fn in_cell(cell: Option<&Cell>) -> Option<InCell> {
    cell.and_then(Cell::as_str).and_then(value_with_year)
}

/// The fiscal year a date in a KPI year header stands for: a workbook date
/// (`2022-03-31`) or a written one (`R4.3.31`, `2022/3/31`, `令和4年3月末`).
fn date_fiscal_year(cell: &Cell) -> Option<i32> {
    static WRITTEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(.+?)(?:年|[./-])([0-9]{1,2})(?:月|[./-])?(?:[0-9]{1,2}日?)?\s*(?:末|現在|時点)?$",
        )
        .expect("valid regex")
    });
    let (year, month) = match cell {
        Cell::DateTime(iso) => {
            let year: i32 = iso.get(..4)?.parse().ok()?;
            let month: u32 = iso.get(5..7)?.parse().ok()?;
            (year, month)
        }
        Cell::Text(text) => {
            let caps = WRITTEN.captures(text)?;
            let year = era::parse_year(caps.get(1)?.as_str())?.gregorian;
            (year, caps.get(2)?.as_str().parse().ok()?)
        }
        _ => return None,
    };
    (1..=12)
        .contains(&month)
        .then(|| era::fiscal_year_of(year, month))
}

/// Splits a basic-project cell into name and description at the first line
/// break (the converter shows it as a space).
fn split_name(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    let at = text.find('\n').or_else(|| text.find(' '));
    let (name, rest) = match at {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let rest = normalize::single_line(rest);
    (
        normalize::single_line(name),
        (!rest.is_empty()).then_some(rest),
    )
}

/// Classifies a progress text.
pub fn progress_code(text: &str, t: &Template) -> ProgressCode {
    let p = t.progress();
    if template::contains(&p.on_track, text) {
        ProgressCode::OnTrack
    } else if template::contains(&p.slightly_behind, text) {
        ProgressCode::SlightlyBehind
    } else if template::contains(&p.behind, text) {
        ProgressCode::Behind
    } else if template::contains(&p.completed, text) {
        ProgressCode::Completed
    } else if template::contains(&p.not_started, text) {
        ProgressCode::NotStarted
    } else {
        ProgressCode::Other
    }
}

/// Reads a one-sided bound from a target text such as `20%以下` or
/// `概ね9%を超えないこと`; `50%台後半` has none.
pub fn target_bound(text: &str) -> Option<TargetBound> {
    static NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[△▲-]?[0-9][0-9,]*(?:\.[0-9]+)?").expect("valid regex")
    });
    let m = NUMBER.find(text)?;
    let value = match normalize::number(m.as_str()) {
        ParsedNumber::Number { value, .. } => Number::new(value)?,
        _ => return None,
    };
    let after = &text[m.end()..];
    let after = after.trim_start_matches(|c: char| !matches!(c, '以' | '未' | '超' | 'を' | '台'));
    let comparison =
        if after.starts_with("以下") || after.contains("超えない") || after.contains("超えな")
        {
            Comparison::AtMost
        } else if after.starts_with("未満") {
            Comparison::LessThan
        } else if after.starts_with("以上") {
            Comparison::AtLeast
        } else if after.starts_with("超") || after.starts_with("を超える") {
            Comparison::MoreThan
        } else {
            return None;
        };
    let approximate = ["概ね", "おおむね", "程度", "約"]
        .iter()
        .any(|h| text.contains(h));
    Some(TargetBound {
        comparison,
        value,
        approximate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_codes() {
        assert_eq!(
            progress_code("計画通り進めている", &Template::builtin()),
            ProgressCode::OnTrack
        );
        assert_eq!(
            progress_code("やや遅れている", &Template::builtin()),
            ProgressCode::SlightlyBehind
        );
        assert_eq!(
            progress_code("遅れている", &Template::builtin()),
            ProgressCode::Behind
        );
        assert_eq!(
            progress_code("完了", &Template::builtin()),
            ProgressCode::Completed
        );
        assert_eq!(
            progress_code("未着手", &Template::builtin()),
            ProgressCode::NotStarted
        );
        assert_eq!(
            progress_code("検討中", &Template::builtin()),
            ProgressCode::Other
        );
    }

    #[test]
    fn target_bounds() {
        let b = target_bound("概ね9%を超えないこと").unwrap();
        assert_eq!(
            (b.comparison, b.value.get(), b.approximate),
            (Comparison::AtMost, 9.0, true)
        );
        let b = target_bound("20%以下").unwrap();
        assert_eq!(
            (b.comparison, b.value.get(), b.approximate),
            (Comparison::AtMost, 20.0, false)
        );
        assert_eq!(target_bound("0%以下").unwrap().value.get(), 0.0);
        assert_eq!(
            target_bound("100件以上").unwrap().comparison,
            Comparison::AtLeast
        );
        assert!(target_bound("50%台後半").is_none());
    }

    #[test]
    fn names_split_at_the_first_break() {
        assert_eq!(
            split_name("広聴機能 現在運用中の 広聴手法"),
            ("広聴機能".into(), Some("現在運用中の 広聴手法".into()))
        );
        assert_eq!(
            split_name("市ホームページ アクセス\n説明です"),
            ("市ホームページ アクセス".into(), Some("説明です".into()))
        );
        assert_eq!(split_name("名前だけ"), ("名前だけ".into(), None));
    }

    #[test]
    fn value_labels_and_units() {
        let t = Template::builtin();
        let label = |s: &str| value_label(s, &t);
        assert_eq!(label("実績(件)"), Some(Some("件".into())));
        assert_eq!(label("実績()"), Some(None));
        assert_eq!(label("実績"), Some(None));
        assert_eq!(label("実績値の説明"), None);
        assert_eq!(label("実績値(件)"), Some(Some("件".into())));
        assert_eq!(label("実績値"), Some(None));
        assert_eq!(label("実績(万m2)"), Some(Some("万m2".into())));
    }

    #[test]
    fn values_with_their_year_in_the_cell() {
        let v = value_with_year(&normalize::text("24.7％（H29年度）")).unwrap();
        assert_eq!(
            (v.value, v.unit.as_deref(), v.fiscal_year),
            (24.7, Some("%"), 2017)
        );
        let v = value_with_year(&normalize::text("1,032万ｔ-CO₂ （R３年度）")).unwrap();
        assert_eq!(
            (v.value, v.unit.as_deref(), v.fiscal_year),
            (1032.0, Some("万t-CO2"), 2021)
        );
        assert_eq!(value_with_year("50%台後半"), None);
        assert_eq!(value_with_year("増加(R3年度)"), None);
    }

    #[test]
    fn a_value_whose_own_year_is_not_its_columns_is_warned_about() {
        let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n【PLAN】\t\t【DO】\t【CHECK①】\n\
            基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n\
            1\t広聴機能 説明\t○広聴業務経費\t成果指標\t意見件数\n\
            \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
            \t\t\t実績(件)\t769\t956(R3年度)\t969(R3年度)\t900\n";
        let doc = crate::read("t.txt", text.as_bytes(), &crate::Options::default()).unwrap();
        let sheet = &doc.sheets[0];
        let kpi = &sheet.basic_projects[0].kpis[0];
        // Read by the column, as before: 969 is fiscal 2022's actual.
        assert_eq!(kpi.actuals[1].fiscal_year, 2022);
        assert_eq!(kpi.actuals[1].value.unwrap().get(), 969.0);
        let mismatches: Vec<&Warning> = sheet
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::ValueYearMismatch)
            .collect();
        // 956(R3年度) agrees with its 2021 column; 969(R3年度) does not.
        assert_eq!(mismatches.len(), 1, "{:?}", sheet.warnings);
        assert_eq!(mismatches[0].row, Some(8));
        assert!(mismatches[0].message.contains("fiscal year 2021"));
    }

    #[test]
    fn dates_in_year_headers_are_fiscal_years() {
        let text = |s: &str| date_fiscal_year(&Cell::Text(s.into()));
        assert_eq!(
            date_fiscal_year(&Cell::DateTime("2022-03-31".into())),
            Some(2021)
        );
        assert_eq!(
            date_fiscal_year(&Cell::DateTime("2022-04-01".into())),
            Some(2022)
        );
        assert_eq!(text("R4.3.31"), Some(2021));
        assert_eq!(text("2022/3/31"), Some(2021));
        assert_eq!(text("令和4年3月末"), Some(2021));
        assert_eq!(text("令和4年度"), None);
        assert_eq!(text("2021(R3)"), None);
    }
}
