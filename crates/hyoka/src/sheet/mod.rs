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

mod check;
mod kpi;
mod plan;
mod survey;

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

#[cfg(test)]
mod tests {
    use super::check::*;
    use super::kpi::*;
    use super::plan::*;
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
