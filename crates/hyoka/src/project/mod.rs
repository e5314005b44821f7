//! The second record kind: the project evaluation (事務事業評価).
//!
//! Most cities publish, beside or instead of the policy sheet, one
//! evaluation per administrative project (事務事業), often as one list
//! workbook with a row per project. [`crate::read`] finds such a list in a
//! worksheet by its header row (see `list`), reads it by the labels of the
//! template's `[project]` table and gives one [`ProjectEvaluation`] per row
//! in [`crate::Document::project_evaluations`]. A worksheet laid out as
//! per-project sheets (事務事業評価シート: one project per worksheet or page,
//! or several stacked; see `sheet`) gives the same records, read with the
//! same labels, and the same IDs.
//!
//! ```
//! use hyoka::grid::{Cell, Grid, Row};
//! use hyoka::{Reading, Worksheet, model::Format};
//!
//! let rows = vec![
//!     Row::new(1, ["年度", "事務事業ID", "事務事業名", "部課名", "担当者", "⑤活動指標\nア：名称", "⑤活動指標\nア", "⑤活動指標\nア"]
//!         .iter().map(|c| Cell::text(c)).collect()),
//!     Row::new(2, vec![Cell::Number(7.0), Cell::text("0086"), Cell::text("不法投棄対策事業"),
//!         Cell::text("市民生活部市民環境課"), Cell::text("(a name)"), Cell::text("回数"),
//!         Cell::text("0"), Cell::text("1,234")]),
//! ];
//! let reading = Reading {
//!     format: Format::Xlsx,
//!     encoding: None,
//!     worksheets: vec![Worksheet { name: Some("一覧".into()), grid: Some(Grid { rows }), warnings: vec![] }],
//!     warnings: vec![],
//! };
//! let doc = hyoka::parse_reading("list.xlsx", b"", reading, &Default::default());
//! let p = &doc.project_evaluations[0];
//! assert_eq!(p.fiscal_year, Some(2025));
//! assert_eq!(p.project.code.as_deref(), Some("0086"));
//! assert_eq!((p.department.as_deref(), p.section.as_deref()), (Some("市民生活部"), Some("市民環境課")));
//! let values: Vec<_> = p.indicators[0].values.iter().map(|v| (v.fiscal_year, v.value.map(|n| n.get()))).collect();
//! assert_eq!(values, [(Some(2024), Some(0.0)), (Some(2025), Some(1234.0))]);
//! // The officials' column is never read.
//! assert!(!serde_json::to_string(p).unwrap().contains("(a name)"));
//! ```

mod choice;
pub(crate) mod list;
pub mod model;
pub mod panel;
mod sheet;
mod sheet_layout;
mod sheet_tables;

pub use model::{
    Aspect, Background, CostYear, Expected, Indicator, IndicatorKind, Means, Period, PlanRef,
    ProjectEvaluation, ProjectName, YearValue,
};

use crate::grid::Worksheet;
use crate::ids::UNKNOWN_CODE;
use crate::model::Source;
use crate::template::Template;
use crate::warning::{Warning, WarningCode};

/// A project's stable ID: `CCCCCC-YYYY-p` and 12 hex digits of a SHA-256
/// over the municipality code, the fiscal year and the project's code,
/// nothing else; so the same project read from a list and from its own
/// sheet, in any file, gets the same ID. A project without a code is keyed
/// by its name, with the white space removed.
///
/// ```
/// let a = hyoka::project::project_id(None, Some(2025), Some("0086"), "不法投棄対策事業");
/// let b = hyoka::project::project_id(None, Some(2025), Some("0086"), "別の名前");
/// assert_eq!(a, b);
/// assert!(a.starts_with("000000-2025-p"));
/// assert_ne!(a, hyoka::project::project_id(Some("032034"), Some(2025), Some("0086"), ""));
/// ```
pub fn project_id(
    municipality_code: Option<&str>,
    fiscal_year: Option<i32>,
    code: Option<&str>,
    name: &str,
) -> String {
    project_id_occurrence(municipality_code, fiscal_year, code, name, 1)
}

fn project_id_occurrence(
    municipality_code: Option<&str>,
    fiscal_year: Option<i32>,
    code: Option<&str>,
    name: &str,
    occurrence: u32,
) -> String {
    let m = municipality_code.unwrap_or(UNKNOWN_CODE);
    let year = fiscal_year
        .filter(|y| (0..=9999).contains(y))
        .map_or_else(|| "0000".to_owned(), |y| format!("{y:04}"));
    let subject = match code {
        Some(code) => format!("code\u{1f}{code}"),
        None => format!(
            "name\u{1f}{}",
            name.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        ),
    };
    let key = format!("hyoka-project-id-v1\u{1f}{m}\u{1f}{year}\u{1f}{subject}");
    let hash = crate::ids::short_hash(key, occurrence);
    format!("{m}-{year}-p{hash}")
}

/// Sets the IDs of a project and its indicators. Call again after its
/// municipality changes.
pub fn assign(p: &mut ProjectEvaluation) {
    assign_occurrence(p, 1);
}

/// Sets the IDs of the `occurrence`-th project of a run with the same
/// municipality code, year and code: the first keeps [`project_id`], a
/// later one gets a hash that also covers its occurrence.
pub fn assign_occurrence(p: &mut ProjectEvaluation, occurrence: u32) {
    let code = p.municipality.as_ref().and_then(|m| m.code.as_deref());
    p.id = project_id_occurrence(
        code,
        p.fiscal_year,
        p.project.code.as_deref(),
        &p.project.name,
        occurrence,
    );
    for ind in &mut p.indicators {
        let position = ind
            .kind
            .slots()
            .iter()
            .position(|s| *s == ind.slot)
            .unwrap_or(0)
            + 1;
        ind.id = format!("{}-{}{position}", p.id, ind.kind.letter());
    }
}

/// What one worksheet gave of project evaluations.
pub(crate) struct FromWorksheet {
    pub projects: Vec<ProjectEvaluation>,
    /// Warnings for the file: the list's own, and the worksheet's outside
    /// the projects' cells.
    pub file_warnings: Vec<Warning>,
}

/// Reads the per-project sheets, or else the project list, of a worksheet
/// without policy sheets, if it holds either.
/// The worksheet's own warnings go to the project whose row and read
/// column they concern; those in columns the list does not read (a helper
/// formula, a personal column) are summed up once per code and column.
pub(crate) fn from_worksheet(
    ws: &Worksheet,
    source: &Source,
    first_ordinal: u32,
    template: &Template,
) -> Option<FromWorksheet> {
    let grid = ws.grid.as_ref()?;
    if let Some(sheets) = sheet::read(ws, source, template) {
        let mut projects = sheets.projects;
        for (i, p) in projects.iter_mut().enumerate() {
            p.source.ordinal = first_ordinal + i as u32;
        }
        assign_all(&mut projects);
        return Some(FromWorksheet {
            projects,
            file_warnings: sheets.file_warnings,
        });
    }
    match list::read(grid, source, template) {
        list::Outcome::None => None,
        list::Outcome::Unreadable(seen) => Some(FromWorksheet {
            projects: Vec::new(),
            file_warnings: vec![Warning::in_file(WarningCode::ProjectListUnreadable, seen)],
        }),
        list::Outcome::List(mut reading) => {
            let mut file_warnings = std::mem::take(&mut reading.warnings);
            let mut unread: std::collections::BTreeMap<(WarningCode, u32), (u32, u32)> =
                Default::default();
            for (i, p) in reading.projects.iter_mut().enumerate() {
                p.source.ordinal = first_ordinal + i as u32;
            }
            for w in &ws.warnings {
                let in_list = w.row.is_some_and(|r| reading.rows.contains(&r));
                let read = w.column.is_none_or(|c| reading.read_columns.contains(&c));
                let holder = reading
                    .projects
                    .iter_mut()
                    .find(|p| Some(p.source.rows[0]) == w.row);
                match (in_list, read, holder) {
                    (true, true, Some(p)) => p.warnings.insert(0, w.clone()),
                    (true, false, _) => {
                        let column = w.column.unwrap_or(0);
                        let entry = unread.entry((w.code, column)).or_insert((0, u32::MAX));
                        entry.0 += 1;
                        entry.1 = entry.1.min(w.row.unwrap_or(0));
                    }
                    _ => file_warnings.push(w.clone()),
                }
            }
            for ((code, column), (count, first_row)) in unread {
                file_warnings.push(Warning::at_cell(
                    code,
                    first_row,
                    column,
                    format!(
                        "{count} cells of column {} in the project list (the first in row \
                         {first_row}) had this repair ({code}); the list does not read that \
                         column, so no project is affected",
                        crate::workbook::column_name(column.saturating_sub(1))
                    ),
                ));
            }
            assign_all(&mut reading.projects);
            Some(FromWorksheet {
                projects: reading.projects,
                file_warnings,
            })
        }
    }
}

/// Assigns the IDs of a worksheet's projects, making a repeated one
/// distinct by its occurrence, with a warning.
fn assign_all(projects: &mut [ProjectEvaluation]) {
    let mut duplicates = std::collections::HashMap::new();
    for p in projects {
        assign(p);
        let count = duplicates.entry(p.id.clone()).or_insert(0u32);
        *count += 1;
        if *count > 1 {
            let first = p.id.clone();
            assign_occurrence(p, *count);
            p.warnings.push(Warning::at_row(
                WarningCode::ProjectIdDuplicate,
                p.source.rows[0],
                format!(
                    "an earlier project of this worksheet has the same project code and year, \
                     so the ID {first}; this one's ID is {} (occurrence {count})",
                    p.id
                ),
            ));
        }
    }
}

impl crate::ids::DistinctIds {
    /// Makes the IDs of `projects` distinct from every project evaluation
    /// seen before in the run: the same project read from a list and from
    /// its sheet (or the same file twice) has the same ID, which a run's
    /// tables cannot hold twice. The first keeps its ID; a later one gets
    /// the ID of its occurrence and a `project_id_duplicate` warning.
    ///
    /// ```
    /// let bytes = std::fs::read("../../fixtures/project-sheets/kaku-sheets.xlsx").unwrap();
    /// let mut a = hyoka::read("a.xlsx", &bytes, &Default::default()).unwrap().project_evaluations;
    /// let mut b = a.clone();
    /// let mut ids = hyoka::ids::DistinctIds::default();
    /// ids.apply_projects(&mut a);
    /// ids.apply_projects(&mut b);
    /// assert_ne!(a[0].id, b[0].id);
    /// assert_eq!(b[0].warnings.last().unwrap().code, hyoka::warning::WarningCode::ProjectIdDuplicate);
    /// ```
    pub fn apply_projects(&mut self, projects: &mut [ProjectEvaluation]) {
        for p in projects {
            if !self.projects.contains_key(&p.id) {
                self.projects.insert(p.id.clone(), 1);
                continue;
            }
            let first = p.id.clone();
            let mut occurrence = self.projects[&first];
            // An occurrence whose ID the run already holds (a list with the
            // project twice) is skipped.
            loop {
                occurrence += 1;
                assign_occurrence(p, occurrence);
                if !self.projects.contains_key(&p.id) {
                    break;
                }
            }
            self.projects.insert(first.clone(), occurrence);
            self.projects.insert(p.id.clone(), 1);
            p.warnings.push(crate::warning::Warning::in_file(
                crate::warning::WarningCode::ProjectIdDuplicate,
                format!(
                    "an earlier project evaluation of this import has the same municipality code \
                     (or none), fiscal year and project code, and so the ID {first} (the same \
                     project from a list and from its sheet, or a file given twice); this one's \
                     ID is {} (occurrence {occurrence}); import one form of each project to keep \
                     its ID",
                    p.id
                ),
            ));
        }
    }
}
