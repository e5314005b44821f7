//! hyoka in the browser: the page in `web/` imports PDFs, workbooks and
//! text exports with this crate, built to WebAssembly. Nothing is uploaded:
//! the files are read by the same library the `hyoka` command uses, in the
//! page, and the department files it offers are byte for byte the ones
//! `hyoka import` writes for the same inputs.
//!
//! [`Batch`] is the whole logic, plain Rust (tested natively); the
//! `wasm-bindgen` layer at the bottom only passes bytes and JSON across.
//!
//! ```
//! let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
//! let mut batch = hyoka_web::Batch::default();
//! let report = batch.add("000_46863bf7e879b4fa.txt", &bytes);
//! assert_eq!(report.sheets.len(), 5);
//! assert_eq!(batch.department_files().len(), 4);
//! ```

use std::collections::BTreeMap;

use hyoka::model::{Municipality, Sheet};
use hyoka::output::{DepartmentFile, SCHEMA_VERSION};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The files of one page session, imported in the order they were dropped.
#[derive(Debug, Default)]
pub struct Batch {
    /// Sheets and project evaluations by (municipality, department), in
    /// input order.
    departments: BTreeMap<(Option<String>, String), Department>,
    ids: hyoka::ids::DistinctIds,
}

/// One department's records.
#[derive(Debug, Default)]
struct Department {
    sheets: Vec<Sheet>,
    projects: Vec<hyoka::project::ProjectEvaluation>,
}

/// What became of one file, for the page to show.
#[derive(Debug, Serialize)]
pub struct FileReport {
    /// The file's name.
    pub file: String,
    /// `ok`, `skipped` (no sheet in it) or `error`.
    pub status: &'static str,
    /// The format read (`pdf`, `xlsx`, …), when the file could be read.
    pub format: Option<String>,
    /// Why it could not be read (English, as the CLI's `index.json` says).
    pub error: Option<String>,
    /// Its sheets.
    pub sheets: Vec<SheetReport>,
    /// How many project evaluations (事務事業評価) it holds.
    pub project_evaluations: usize,
    /// Warnings about the file as a whole.
    pub warnings: Vec<WarningReport>,
}

/// One sheet found.
#[derive(Debug, Serialize)]
pub struct SheetReport {
    /// The sheet's stable ID.
    pub id: String,
    /// The department.
    pub department: String,
    /// The policy title or heading.
    pub title: String,
    /// The fiscal year.
    pub fiscal_year: Option<i32>,
    /// Basic projects and KPIs.
    pub basic_projects: usize,
    /// KPIs, and how many are behind.
    pub kpis: usize,
    /// KPIs whose latest year is behind.
    pub kpis_behind: usize,
    /// The sheet's warnings.
    pub warnings: Vec<WarningReport>,
}

/// A warning, with its meaning in Japanese.
#[derive(Debug, Serialize)]
pub struct WarningReport {
    /// The stable code.
    pub code: &'static str,
    /// The message (English).
    pub message: String,
    /// What the code means, in Japanese.
    pub meaning_ja: &'static str,
    /// The row, when one is meant.
    pub row: Option<u32>,
}

/// A department file to download.
#[derive(Debug, Serialize)]
pub struct DepartmentDownload {
    /// The file name (`総務部.json`; with the municipality first when the
    /// files are of several: `伊賀市_総務部.json`).
    pub file_name: String,
    /// The department.
    pub department: String,
    /// How many records (sheets and project evaluations) it holds.
    pub sheets: usize,
    /// The file's text: what `hyoka import` writes.
    pub json: String,
}

fn warning(w: &hyoka::warning::Warning) -> WarningReport {
    WarningReport {
        code: w.code.as_str(),
        message: w.message.clone(),
        meaning_ja: w.code.meaning_ja(),
        row: w.row,
    }
}

impl Batch {
    /// Reads one file and keeps its sheets.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> FileReport {
        let mut report = FileReport {
            file: name.to_owned(),
            status: "error",
            format: None,
            error: None,
            sheets: Vec::new(),
            project_evaluations: 0,
            warnings: Vec::new(),
        };
        let mut doc = match hyoka::read(name, bytes, &hyoka::Options::default()) {
            Ok(doc) => doc,
            Err(e) => {
                report.error = Some(e.to_string());
                return report;
            }
        };
        report.format = serde_json::to_value(doc.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        report.warnings = doc.warnings.iter().map(warning).collect();
        self.ids.apply(&mut doc.sheets);
        report.status = if doc.sheets.is_empty() && doc.project_evaluations.is_empty() {
            "skipped"
        } else {
            "ok"
        };
        report.project_evaluations = doc.project_evaluations.len();
        for project in doc.project_evaluations {
            let key = (
                project.municipality.as_ref().map(municipality_key),
                project.filed_under(),
            );
            self.departments
                .entry(key)
                .or_default()
                .projects
                .push(project);
        }
        for sheet in doc.sheets {
            let kpis: Vec<&hyoka::model::Kpi> =
                sheet.basic_projects.iter().flat_map(|p| &p.kpis).collect();
            report.sheets.push(SheetReport {
                id: sheet.id.clone(),
                department: sheet.department.clone(),
                title: sheet
                    .policy
                    .clone()
                    .or_else(|| sheet.heading.clone())
                    .unwrap_or_default(),
                fiscal_year: sheet.fiscal_year,
                basic_projects: sheet.basic_projects.len(),
                kpis: kpis.len(),
                kpis_behind: kpis
                    .iter()
                    .filter(|k| k.assessment.status == hyoka::model::AssessmentStatus::Behind)
                    .count(),
                warnings: sheet.warnings.iter().map(warning).collect(),
            });
            let key = (
                sheet.municipality.as_ref().map(municipality_key),
                sheet.department.clone(),
            );
            self.departments.entry(key).or_default().sheets.push(sheet);
        }
        report
    }

    /// Every department file of the files added so far, as `hyoka import`
    /// writes them.
    pub fn department_files(&self) -> Vec<DepartmentDownload> {
        // One municipality's files are named as `hyoka import` names them;
        // with several, a department name may repeat: the municipality
        // goes first then.
        let several = self
            .departments
            .keys()
            .map(|(m, _)| m)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > 1;
        self.departments
            .iter()
            .map(|((municipality, department), records)| {
                let file = DepartmentFile {
                    schema_version: SCHEMA_VERSION,
                    department: department.clone(),
                    sheets: records.sheets.clone(),
                    project_evaluations: records.projects.clone(),
                };
                let mut json = serde_json::to_string_pretty(&file).expect("records serialize");
                json.push('\n');
                DepartmentDownload {
                    file_name: match municipality {
                        Some(m) if several => format!("{m}_{department}.json"),
                        _ => format!("{department}.json"),
                    },
                    department: department.clone(),
                    sheets: records.sheets.len() + records.projects.len(),
                    json,
                }
            })
            .collect()
    }
}

fn municipality_key(m: &Municipality) -> String {
    match (&m.code, &m.name) {
        (Some(code), Some(name)) => format!("{code}_{name}"),
        (Some(code), None) => code.clone(),
        (None, Some(name)) => name.clone(),
        (None, None) => String::new(),
    }
}

/// The page's handle on a [`Batch`].
#[wasm_bindgen]
#[derive(Default)]
pub struct Session(Batch);

#[wasm_bindgen]
impl Session {
    /// A new, empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Reads one file; returns its [`FileReport`] as JSON.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> String {
        serde_json::to_string(&self.0.add(name, bytes)).expect("reports serialize")
    }

    /// The department files so far, as a JSON list of
    /// [`DepartmentDownload`].
    #[wasm_bindgen(js_name = departmentFiles)]
    pub fn department_files(&self) -> String {
        serde_json::to_string(&self.0.department_files()).expect("downloads serialize")
    }
}

/// The library's version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gives_its_sheets_and_department_files() {
        let bytes = include_bytes!("../../../fixtures/pdf/iga-2022-citylike-a4.pdf");
        let mut batch = Batch::default();
        let report = batch.add("iga-2022-citylike-a4.pdf", bytes);
        assert_eq!(
            (report.status, report.format.as_deref()),
            ("ok", Some("pdf"))
        );
        assert_eq!(report.sheets.len(), 5);
        let files = batch.department_files();
        assert!(files.iter().all(|f| f.json.ends_with("}\n")));
        // The same file again: the same sheets, distinct IDs, a warning.
        let again = batch.add("again.pdf", bytes);
        assert!(
            again.sheets[0]
                .warnings
                .iter()
                .any(|w| w.code == "sheet_id_duplicate")
        );
        assert_ne!(again.sheets[0].id, report.sheets[0].id);
    }

    #[test]
    fn a_file_that_cannot_be_read_says_why() {
        let mut batch = Batch::default();
        let report = batch.add("empty.xlsx", b"");
        assert_eq!(report.status, "error");
        assert!(report.error.is_some());
        assert!(batch.department_files().is_empty());
    }
}
