//! hyoka in the browser: the page in `web/` imports PDFs, workbooks and
//! text exports with this crate, built to WebAssembly. Nothing is uploaded:
//! the files are read by the same library the `hyoka` command uses, in the
//! page, and the department files it offers are byte for byte the ones
//! `hyoka import` writes for the same inputs; so are the open-data tables
//! it offers as one zip ([`Batch::open_data_zip`]: `csv/*.csv` and
//! `datapackage.json`, as `hyoka import --csv` writes them, rendered by
//! `hyoka-publish`).
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
//! assert!(batch.open_data_zip().starts_with(b"PK"));
//! ```

use std::collections::BTreeMap;
use std::io::Write;

use hyoka::Document;
use hyoka::model::{Municipality, Sheet};
use hyoka::output::{DepartmentFile, InputEntry, InputStatus, SCHEMA_VERSION};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The files of one page session, imported in the order they were dropped.
#[derive(Debug, Default)]
pub struct Batch {
    /// The documents read, in input order, their IDs made distinct across
    /// the session as `hyoka import` makes them across a run.
    documents: Vec<Document>,
    ids: hyoka::ids::DistinctIds,
    /// Every file added, as `index.json` lists its input.
    inputs: Vec<InputEntry>,
    /// The municipality stated for the files added from now on, as
    /// `hyoka import --municipality` states it.
    municipality: Option<Municipality>,
}

/// One department's records.
#[derive(Debug, Default)]
struct Department<'a> {
    sheets: Vec<&'a Sheet>,
    projects: Vec<&'a hyoka::project::ProjectEvaluation>,
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

/// One department's KPIs by status, for the page's preview of the report.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct KpiStatusRow {
    /// The municipality's name (or code); `None` when no file names it.
    pub municipality: Option<String>,
    /// The department.
    pub department: String,
    /// How many KPIs stand where, by status code (`behind`, `on_track`,
    /// `achieved`, `unknown`, `no_target`), in that order: what needs
    /// attention first, as `hyoka report` orders them.
    pub counts: Vec<(&'static str, usize)>,
}

/// The statuses in the report's order.
const STATUS_ORDER: [hyoka::model::AssessmentStatus; 5] = [
    hyoka::model::AssessmentStatus::Behind,
    hyoka::model::AssessmentStatus::OnTrack,
    hyoka::model::AssessmentStatus::Achieved,
    hyoka::model::AssessmentStatus::Unknown,
    hyoka::model::AssessmentStatus::NoTarget,
];

/// A status's code, as the JSON writes it.
fn status_code(status: hyoka::model::AssessmentStatus) -> &'static str {
    use hyoka::model::AssessmentStatus as S;
    match status {
        S::Behind => "behind",
        S::OnTrack => "on_track",
        S::Achieved => "achieved",
        S::Unknown => "unknown",
        S::NoTarget => "no_target",
    }
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
                self.inputs.push(InputEntry {
                    file: name.to_owned(),
                    sha256: Some(hyoka::sha256_hex(bytes)),
                    format: hyoka::format_of(std::path::Path::new(name)),
                    encoding: None,
                    status: InputStatus::Error,
                    sheets: 0,
                    project_evaluations: 0,
                    error: report.error.clone(),
                    warnings: 0,
                    file_warnings: Vec::new(),
                    worksheets: Vec::new(),
                });
                return report;
            }
        };
        if let Some(m) = &self.municipality {
            doc.state_municipality(m);
        }
        report.format = serde_json::to_value(doc.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        report.warnings = doc.warnings.iter().map(warning).collect();
        self.ids.apply(&mut doc.sheets);
        self.ids.apply_projects(&mut doc.project_evaluations);
        report.status = if doc.sheets.is_empty() && doc.project_evaluations.is_empty() {
            "skipped"
        } else {
            "ok"
        };
        report.project_evaluations = doc.project_evaluations.len();
        for sheet in &doc.sheets {
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
        }
        self.inputs.push(doc.input_entry(name.to_owned()));
        self.documents.push(doc);
        report
    }

    /// States the municipality of the files added from now on by its
    /// 全国地方公共団体コード (`242161`, full-width digits too), as `hyoka
    /// import --municipality` does; the municipality with its name from the
    /// national list, or why the code is not one. An empty code states none
    /// again.
    ///
    /// ```
    /// let mut batch = hyoka_web::Batch::default();
    /// let m = batch.set_municipality("242161").unwrap().unwrap();
    /// assert_eq!(m.name.as_deref(), Some("伊賀市"));
    /// assert!(batch.set_municipality("242162").is_err());
    /// assert_eq!(batch.set_municipality(" ").unwrap(), None);
    /// ```
    pub fn set_municipality(
        &mut self,
        code: &str,
    ) -> Result<Option<Municipality>, hyoka::municipality::CodeError> {
        if code.trim().is_empty() {
            self.municipality = None;
            return Ok(None);
        }
        let code = hyoka::municipality::parse_code(code)?;
        let (m, _) = hyoka::municipality::complete(&Municipality {
            code: Some(code),
            name: None,
        });
        self.municipality = Some(m.clone());
        Ok(Some(m))
    }

    /// The records by (municipality, department), each in input order.
    fn departments(&self) -> BTreeMap<(Option<String>, String), Department<'_>> {
        let mut departments: BTreeMap<_, Department<'_>> = BTreeMap::new();
        for doc in &self.documents {
            for project in &doc.project_evaluations {
                let key = (
                    project.municipality.as_ref().map(municipality_key),
                    project.filed_under(),
                );
                departments.entry(key).or_default().projects.push(project);
            }
            for sheet in &doc.sheets {
                let key = (
                    sheet.municipality.as_ref().map(municipality_key),
                    sheet.department.clone(),
                );
                departments.entry(key).or_default().sheets.push(sheet);
            }
        }
        departments
    }

    /// The open-data files of the files added so far, by their path in an
    /// output folder, with the bytes `hyoka import --csv` writes there:
    /// `csv/<table>.csv` (Japanese headers, the command's default) and
    /// `datapackage.json` last. The KPI panel's table (`kpi_series.csv`) is
    /// built from every sheet, as the command builds `kpi_series.json`.
    pub fn open_data(&self) -> Vec<(String, Vec<u8>)> {
        let mut tables = hyoka_publish::Tables::new(hyoka_publish::Headers::Ja);
        for doc in &self.documents {
            tables.add_documents(&[doc]);
        }
        tables.add_panel(&self.panel());
        hyoka_publish::files(tables, &hyoka_publish::PortalMeta::default())
    }

    /// The KPI panel across the files added so far, as `hyoka import`
    /// builds `kpi_series.json`.
    fn panel(&self) -> hyoka::panel::PanelFile {
        let mut panel = hyoka::panel::PanelBuilder::new();
        for doc in &self.documents {
            for sheet in &doc.sheets {
                panel.add_sheet(sheet);
            }
            for project in &doc.project_evaluations {
                panel.add_project(project);
            }
        }
        panel.build()
    }

    /// How many KPIs stand where, per municipality and department, by the
    /// latest report of each KPI across the files (the panel's series), as
    /// the index page of `hyoka report` counts them; sorted by
    /// municipality, then department.
    pub fn kpi_status(&self) -> Vec<KpiStatusRow> {
        let mut rows: BTreeMap<(Option<String>, String), [usize; 5]> = BTreeMap::new();
        for s in &self.panel().series {
            let name = s
                .municipality
                .as_ref()
                .and_then(|m| m.name.clone().or_else(|| m.code.clone()));
            let i = STATUS_ORDER
                .iter()
                .position(|x| *x == s.status)
                .expect("every status is listed");
            rows.entry((name, s.department.clone())).or_default()[i] += 1;
        }
        rows.into_iter()
            .map(|((municipality, department), counts)| KpiStatusRow {
                municipality,
                department,
                counts: STATUS_ORDER
                    .iter()
                    .zip(counts)
                    .map(|(status, n)| (status_code(*status), n))
                    .collect(),
            })
            .collect()
    }

    /// [`Batch::open_data`] as one zip, the files under their paths,
    /// deflated, every entry dated 1980-01-01 00:00 so the same files give
    /// the same zip.
    pub fn open_data_zip(&self) -> Vec<u8> {
        zip_of(self.open_data())
    }

    /// The report's pages (`hyoka report`'s site) for the files added so
    /// far, in `lang`: the pages `hyoka report` writes for an import of the
    /// same files, but for the index's list of downloads, which the page
    /// offers itself.
    pub fn report(&self, lang: hyoka_publish::report::Lang) -> Vec<hyoka_publish::report::Page> {
        let panel = self.panel();
        let mut site = hyoka_publish::report::Site::new(lang, Some(&panel));
        let mut pages = Vec::new();
        for (_, file) in self.department_records() {
            pages.extend(site.add_department(file));
        }
        let mut rest = site.finish(&self.inputs, &[]);
        // The index first: what a reader opens.
        rest.append(&mut pages);
        rest
    }

    /// [`Batch::report`] as one zip, its pages under `hyoka-report/`, dated
    /// as [`Batch::open_data_zip`] dates its files.
    pub fn report_zip(&self, lang: hyoka_publish::report::Lang) -> Vec<u8> {
        zip_of(
            self.report(lang)
                .into_iter()
                .map(|p| (format!("{REPORT_DIR}/{}", p.path), p.html.into_bytes())),
        )
    }

    /// The department files' records, by (municipality, department).
    fn department_records(&self) -> Vec<(Option<String>, DepartmentFile)> {
        self.departments()
            .into_iter()
            .map(|((municipality, department), records)| {
                let file = DepartmentFile {
                    schema_version: SCHEMA_VERSION,
                    department,
                    sheets: records.sheets.into_iter().cloned().collect(),
                    project_evaluations: records.projects.into_iter().cloned().collect(),
                };
                (municipality, file)
            })
            .collect()
    }

    /// Every department file of the files added so far, as `hyoka import`
    /// writes them.
    pub fn department_files(&self) -> Vec<DepartmentDownload> {
        // One municipality's files are named as `hyoka import` names them;
        // with several, a department name may repeat: the municipality
        // goes first then.
        let records = self.department_records();
        let several = records
            .iter()
            .map(|(m, _)| m)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > 1;
        records
            .into_iter()
            .map(|(municipality, file)| {
                let mut json = serde_json::to_string_pretty(&file).expect("records serialize");
                json.push('\n');
                DepartmentDownload {
                    file_name: match municipality {
                        Some(m) if several => format!("{m}_{}.json", file.department),
                        _ => format!("{}.json", file.department),
                    },
                    sheets: file.sheets.len() + file.project_evaluations.len(),
                    department: file.department,
                    json,
                }
            })
            .collect()
    }
}

/// The folder of the report's pages in its zip.
pub const REPORT_DIR: &str = "hyoka-report";

/// A zip of `files` under their paths, deflated, every entry dated
/// 1980-01-01 00:00 so the same files give the same zip.
fn zip_of(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in files {
        zip.start_file(path, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .expect("a zip in memory");
    }
    zip.finish().expect("a zip in memory").into_inner()
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

    /// The KPIs by status per department, as a JSON list of
    /// [`KpiStatusRow`].
    #[wasm_bindgen(js_name = kpiStatus)]
    pub fn kpi_status(&self) -> String {
        serde_json::to_string(&self.0.kpi_status()).expect("statuses serialize")
    }

    /// The open-data tables and their Data Package as one zip
    /// ([`Batch::open_data_zip`]).
    #[wasm_bindgen(js_name = openDataZip)]
    pub fn open_data_zip(&self) -> Vec<u8> {
        self.0.open_data_zip()
    }

    /// The report's pages as one zip ([`Batch::report_zip`]), in Japanese
    /// (`lang` `ja`) or English (`en`).
    #[wasm_bindgen(js_name = reportZip)]
    pub fn report_zip(&self, lang: &str) -> Vec<u8> {
        self.0.report_zip(report_lang(lang))
    }

    /// The report's index page, for the page's preview.
    #[wasm_bindgen(js_name = reportIndex)]
    pub fn report_index(&self, lang: &str) -> String {
        self.0
            .report(report_lang(lang))
            .into_iter()
            .next()
            .map(|p| p.html)
            .unwrap_or_default()
    }

    /// States the municipality of the files added from now on
    /// ([`Batch::set_municipality`]): JSON, `{"code", "name"}` (both null
    /// when none is stated now), or `{"error", "error_ja"}` saying why the
    /// code is not one.
    #[wasm_bindgen(js_name = setMunicipality)]
    pub fn set_municipality(&mut self, code: &str) -> String {
        let answer = match self.0.set_municipality(code) {
            Ok(m) => serde_json::json!({
                "code": m.as_ref().and_then(|m| m.code.clone()),
                "name": m.and_then(|m| m.name),
            }),
            Err(e) => serde_json::json!({"error": e.to_string(), "error_ja": e.message_ja()}),
        };
        answer.to_string()
    }
}

fn report_lang(lang: &str) -> hyoka_publish::report::Lang {
    if lang == "en" {
        hyoka_publish::report::Lang::En
    } else {
        hyoka_publish::report::Lang::Ja
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

    /// The preview counts each KPI series once, by its latest status, as
    /// the report's index page does: here against the golden panel.
    #[test]
    fn kpis_are_counted_by_status_per_department() {
        let bytes = include_bytes!("../../../fixtures/pdf/iga-2022-citylike-a4.pdf");
        let mut batch = Batch::default();
        batch.add("iga-2022-citylike-a4.pdf", bytes);
        let rows = batch.kpi_status();
        let panel: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/golden/iga-pdf-a4/kpi_series.json"
        ))
        .unwrap();
        let series = panel["series"].as_array().unwrap();
        let counted: usize = rows.iter().flat_map(|r| &r.counts).map(|(_, n)| n).sum();
        assert_eq!(counted, series.len());
        for row in &rows {
            for (code, n) in &row.counts {
                let want = series
                    .iter()
                    .filter(|s| s["department"] == row.department.as_str() && s["status"] == *code)
                    .count();
                assert_eq!(*n, want, "{} {code}", row.department);
            }
        }
        assert!(rows.windows(2).all(|w| w[0].department < w[1].department));
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
