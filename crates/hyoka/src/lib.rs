//! hyoka (評価, "evaluation") turns Japanese municipal policy-evaluation
//! sheets (施策評価シート) into typed, validated records.
//!
//! A city publishes a PDCA sheet for every policy every year, as converter
//! text, tab- or comma-separated exports, workbooks and the PDFs printed
//! from them. [`read`] takes one
//! file's name and bytes and gives a [`Document`]: the [`model::Sheet`]s
//! found in it, each with every repair or guess as a [`warning::Warning`]
//! with a code and a place, and the warnings about the file as a whole.
//!
//! ```
//! let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n- ・ 広聴機能を充実させます。\n\
//!     【PLAN】\t\t【DO】\t【CHECK①】\n基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n\
//!     1\t広聴機能 説明\t○広聴業務経費\t成果指標\t意見件数\n\
//!     \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
//!     \t\t\t実績(件)\t769\t956\t969\t900\n";
//! let doc = hyoka::read("sheet.txt", text.as_bytes(), &hyoka::Options::default()).unwrap();
//! let sheet = &doc.sheets[0];
//! assert_eq!(sheet.department, "総務部");
//! assert_eq!(sheet.fiscal_year, Some(2022));
//! let kpi = &sheet.basic_projects[0].kpis[0];
//! assert_eq!(kpi.unit.as_deref(), Some("件"));
//! assert_eq!(kpi.actuals[1].value.unwrap().get(), 969.0);
//! // The JSON of the open-data contract:
//! let json = serde_json::to_value(sheet).unwrap();
//! assert_eq!(json["basic_projects"][0]["kpis"][0]["target"]["basis"], "single_year");
//! ```
//!
//! # Another city's labels
//!
//! The labels the parser looks for are data: a [`Template`] in
//! [`Options::template`]. Start from [`Template::BUILTIN_TOML`] (what
//! `hyoka template` prints), add your city's labels, and read it with
//! [`Template::from_toml`]:
//!
//! ```
//! use std::sync::Arc;
//! let toml = hyoka::Template::BUILTIN_TOML
//!     .replace(r#"name = ["成果指標", "指標名"]"#, r#"name = ["成果指標", "指標名", "評価指標"]"#);
//! let mut options = hyoka::Options::default();
//! options.template = Arc::new(hyoka::Template::from_toml(&toml).unwrap());
//! let text = "【主担当部局】\t総務部\n【PLAN】\t\t【DO】\n基本事業\t\t2022(R4)年度の事務事業\n\
//!     1\t広聴機能\t○経費\t評価指標\t意見件数\n";
//! let doc = hyoka::read("sheet.txt", text.as_bytes(), &options).unwrap();
//! assert_eq!(doc.sheets[0].basic_projects[0].kpis[0].name, "意見件数");
//! ```
//!
//! # A reader of your own
//!
//! Readers turn bytes into [`grid::Grid`]s (rows of [`grid::Cell`]s, each
//! row with its number in the source); one sheet parser reads every grid.
//! To read a form hyoka does not know, build a [`Reading`] and hand it to
//! [`parse_reading`], which finds the sheets, parses them and applies the
//! warning policy exactly as for the built-in readers:
//!
//! ```
//! use hyoka::grid::{Cell, Grid, Row};
//! use hyoka::{Reading, Worksheet, model::Format};
//!
//! let rows = [
//!     vec!["【主担当部局】", "総務部"],
//!     vec!["【PLAN】", "", "【DO】"],
//!     vec!["基本事業", "", "2022(R4)年度の事務事業"],
//!     vec!["1", "広聴機能", "○広聴業務経費"],
//! ];
//! let grid = Grid {
//!     rows: rows
//!         .iter()
//!         .enumerate()
//!         .map(|(i, cells)| Row::new(i as u32 + 1, cells.iter().map(|c| Cell::text(c)).collect()))
//!         .collect(),
//! };
//! let reading = Reading {
//!     format: Format::Text,
//!     encoding: None,
//!     worksheets: vec![Worksheet { name: None, grid: Some(grid), warnings: vec![] }],
//!     warnings: vec![],
//! };
//! let bytes = b"the file's bytes, for source.sha256";
//! let doc = hyoka::parse_reading("mine.dat", bytes, reading, &Default::default());
//! assert_eq!(doc.sheets[0].basic_projects[0].name, "広聴機能");
//! assert_eq!(doc.sheets[0].source.rows, [1, 4]);
//! ```
//!
//! # How it works
//!
//! Data flows one way, and `lib` runs it:
//!
//! 1. `detect` answers "what is this file?" once: extension, signature
//!    bytes and, for text, the form of the decoded content;
//! 2. a reader turns the bytes into worksheets, each a [`grid::Grid`] of
//!    normalized cells with the reader's warnings: `text` (decode, then
//!    split) or `workbook` (calamine, behind zip and compound-file guards);
//! 3. `segment` finds the sheets in each grid by their structure (a
//!    department label with a 【PLAN】 table) and `sheet` parses each into
//!    a typed [`model::Sheet`], with the labels of the [`Template`], `era`
//!    for years and `lists` for list cells, and a [`warning::Warning`] for
//!    every repair;
//! 4. one warning policy ([`parse_reading`]) puts every warning once where
//!    it belongs, and a [`Document`] comes out.

mod assess;
mod detect;
mod era;
pub mod grid;
mod guard;
pub mod ids;
mod limits;
mod lists;
mod mentions;
pub mod model;
pub mod municipality;
mod normalize;
mod options;
pub mod output;
pub mod panel;
mod pdf;
pub mod project;
mod segment;
mod sheet;
mod template;
mod text;
pub mod warning;
mod workbook;

use std::path::Path;

use crate::grid::Reader;
pub use crate::grid::{Reading, Worksheet};
pub use crate::guard::panic_is_caught;
pub use crate::ids::sha256_hex;
pub use crate::limits::{ArchiveLimits, GridLimits, Limits, PdfLimits};
use crate::model::{Format, Sheet, Source};
pub use crate::options::Options;
use crate::output::{InputStatus, WorksheetEntry};
pub use crate::pdf::PdfError;
pub use crate::template::{Template, TemplateError};
pub use crate::text::{DecodeError, ReadError};
use crate::warning::Warning;
pub use crate::workbook::WorkbookError;

/// Everything read from one input file.
///
/// ```
/// let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
/// let doc = hyoka::read("iga.txt", &bytes, &hyoka::Options::default()).unwrap();
/// assert_eq!(doc.sheets.len(), 5);
/// assert_eq!(doc.sha256, hyoka::sha256_hex(&bytes));
/// println!("{} warning(s)", doc.warning_count());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// The format read.
    pub format: Format,
    /// The text encoding (text forms only).
    pub encoding: Option<String>,
    /// The sheets found, in file order.
    pub sheets: Vec<Sheet>,
    /// The project evaluations (事務事業評価) found, in file order: a
    /// worksheet without sheets is read as a project list when it holds one.
    pub project_evaluations: Vec<project::ProjectEvaluation>,
    /// For workbooks: every worksheet and what became of it.
    pub worksheets: Vec<WorksheetEntry>,
    /// Warnings about the file as a whole (an encoding guessed, bytes that
    /// did not decode, a worksheet warning outside every sheet). They are
    /// not repeated in the sheets: `index.json` lists them on the input.
    pub warnings: Vec<Warning>,
}

impl Document {
    /// How many warnings the file and its sheets carry, each counted once.
    pub fn warning_count(&self) -> usize {
        self.warnings.len()
            + self.sheets.iter().map(|s| s.warnings.len()).sum::<usize>()
            + self
                .project_evaluations
                .iter()
                .map(|p| p.warnings.len())
                .sum::<usize>()
    }

    /// `ok` when sheets or project evaluations were found, `skipped` when
    /// none were.
    pub fn status(&self) -> InputStatus {
        if self.sheets.is_empty() && self.project_evaluations.is_empty() {
            InputStatus::Skipped
        } else {
            InputStatus::Ok
        }
    }

    /// The entry of this document in `index.json`'s inputs, recorded as
    /// `file`: its hash, format, counts, warnings and worksheets; no error.
    ///
    /// ```
    /// use hyoka::output::InputStatus;
    /// let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
    /// let doc = hyoka::read("000.txt", &bytes, &Default::default()).unwrap();
    /// let entry = doc.input_entry("iga/000.txt".into());
    /// assert_eq!((entry.status, entry.sheets), (InputStatus::Ok, 5));
    /// assert_eq!(entry.sha256.as_deref(), Some(doc.sha256.as_str()));
    /// ```
    pub fn input_entry(&self, file: String) -> output::InputEntry {
        output::InputEntry {
            file,
            sha256: Some(self.sha256.clone()),
            format: Some(self.format),
            encoding: self.encoding.clone(),
            status: self.status(),
            sheets: self.sheets.len() as u32,
            project_evaluations: self.project_evaluations.len() as u32,
            error: None,
            warnings: self.warning_count() as u32,
            file_warnings: self.warnings.clone(),
            worksheets: self.worksheets.clone(),
        }
    }

    /// States the municipality of every record, as `hyoka import
    /// --municipality` does: the code completed from the national list
    /// ([`municipality::complete`]), a name the document gave kept when
    /// none is stated, and the IDs made again from it.
    ///
    /// ```
    /// use hyoka::model::Municipality;
    /// let bytes = std::fs::read("../../fixtures/projects/kaku-r6-list.xlsx").unwrap();
    /// let mut doc = hyoka::read("list.xlsx", &bytes, &Default::default()).unwrap();
    /// doc.state_municipality(&Municipality { code: Some("242161".into()), name: None });
    /// let p = &doc.project_evaluations[0];
    /// assert_eq!(p.municipality.as_ref().unwrap().name.as_deref(), Some("伊賀市"));
    /// assert!(p.id.starts_with("242161-"));
    /// ```
    pub fn state_municipality(&mut self, given: &model::Municipality) {
        municipality::apply_given(&mut self.sheets, given);
        let (given, _) = municipality::complete(given);
        for p in &mut self.project_evaluations {
            p.municipality = Some(given.clone());
            project::assign(p);
        }
    }
}

/// Why a file could not be read.
///
/// ```
/// let err = hyoka::read("sheet.csv", b"", &hyoka::Options::default()).unwrap_err();
/// assert!(matches!(err, hyoka::Error::Empty));
/// assert!(err.to_string().contains("export the sheet again"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file's extension names no format hyoka reads.
    #[error(
        "unknown file type `{extension}`; hyoka reads .txt, .tsv, .csv, .xlsx, .xlsm, .xls, .ods and .pdf"
    )]
    UnknownFormat {
        /// The extension found.
        extension: String,
    },
    /// The file is larger than allowed.
    #[error(
        "the file is {size} bytes, more than the limit of {limit}; raise --max-input-bytes if it is genuine"
    )]
    TooLarge {
        /// The size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A file with no bytes at all: an export that went wrong.
    #[error("the file is empty (0 bytes); export the sheet again")]
    Empty,
    /// The bytes are not text (a workbook or PDF under a text name, a
    /// binary file).
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The text is not a readable table, or is over a limit.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The workbook could not be read (password, damage, truncation, a
    /// limit), or the bytes under a workbook's name are not one.
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    /// The PDF could not be read (password, no text, damage, a limit).
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

impl Error {
    /// The message in Japanese: what went wrong, where, and what to do, as
    /// `Display` says in English. Each kind of error words itself beside
    /// its English text; a kind without Japanese words yet reads in English.
    ///
    /// ```
    /// let e = hyoka::read("a.docx", b"x", &hyoka::Options::default()).unwrap_err();
    /// assert!(e.message_ja().contains("読めません"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            Error::UnknownFormat { extension } => format!(
                "ファイルの種類 `{extension}` は読めません。hyoka が読むのは .txt .tsv .csv .xlsx .xlsm .xls .ods .pdf です"
            ),
            Error::TooLarge { size, limit } => format!(
                "ファイルが {size} バイトで、上限 {limit} バイトを超えています。正しいファイルなら --max-input-bytes で上限を上げてください"
            ),
            Error::Empty => "ファイルが空です(0 バイト)。シートを出力し直してください".into(),
            Error::Decode(e) => e.message_ja(),
            Error::Read(e) => e.message_ja(),
            Error::Workbook(e) => e.message_ja(),
            Error::Pdf(e) => e.message_ja(),
        }
    }
}

impl From<text::TextError> for Error {
    fn from(e: text::TextError) -> Error {
        match e {
            text::TextError::Decode(e) => Error::Decode(e),
            text::TextError::Read(e) => Error::Read(e),
        }
    }
}

impl From<detect::DetectError> for Error {
    fn from(e: detect::DetectError) -> Error {
        match e {
            detect::DetectError::NotText(e) => Error::Decode(e),
            detect::DetectError::Workbook(e) => Error::Workbook(e),
        }
    }
}

/// The format a path's extension names, if hyoka reads it: the files a
/// folder walk picks up. `.txt` is reported as [`Format::Text`]; [`read`]
/// tells converter text from an export by its content.
///
/// ```
/// use hyoka::model::Format;
/// use std::path::Path;
/// assert_eq!(hyoka::format_of(Path::new("施策評価.xlsx")), Some(Format::Xlsx));
/// assert_eq!(hyoka::format_of(Path::new("notes.docx")), None);
/// ```
pub fn format_of(path: &Path) -> Option<Format> {
    detect::format_of(path)
}

/// Reads one input file: `file` is the path as the user gave it (it goes
/// into `source.file`), `bytes` its content.
///
/// ```
/// let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
/// let doc = hyoka::read("fixtures/iga/iga.txt", &bytes, &hyoka::Options::default()).unwrap();
/// let sheet = &doc.sheets[0];
/// assert_eq!(sheet.source.file, "fixtures/iga/iga.txt");
/// assert!(!sheet.basic_projects.is_empty());
/// ```
pub fn read(file: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let path = Path::new(file);
    let format = format_of(path).ok_or_else(|| Error::UnknownFormat {
        extension: path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_else(|| "(none)".into()),
    })?;
    read_as(file, bytes, format, options)
}

/// Reads one input file named as `format` (the extension's format; the
/// bytes decide the reader, so a renamed workbook still reads).
///
/// ```
/// use hyoka::model::Format;
/// let bytes = std::fs::read("../../fixtures/workbooks/iga-2022-workbook.xlsx").unwrap();
/// // An .xlsx workbook under an .xls name reads: the bytes decide the reader.
/// let doc = hyoka::read_as("old.xls", &bytes, Format::Xls, &Default::default()).unwrap();
/// assert_eq!(doc.format, Format::Xlsx);
/// // Under a text name, the error says what the file is and what to do.
/// let err = hyoka::read_as("export.txt", &bytes, Format::Text, &Default::default()).unwrap_err();
/// assert!(err.to_string().contains("give it its .xlsx"));
/// ```
pub fn read_as(
    file: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> Result<Document, Error> {
    let limits = &options.limits;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_input_bytes,
        });
    }
    let reading = match detect::kind(format, bytes)? {
        // An empty export is a failed export, not a cover page: an error, as
        // docs/reliability.md lists it.
        detect::Kind::Text(_) if bytes.is_empty() => return Err(Error::Empty),
        detect::Kind::Text(named) => text::TextReader { named }.read(bytes, limits)?,
        detect::Kind::Workbook(book) => workbook::WorkbookReader { book }.read(bytes, limits)?,
        #[cfg(feature = "pdf")]
        detect::Kind::Pdf => pdf::PdfReader.read(bytes, limits)?,
        #[cfg(not(feature = "pdf"))]
        detect::Kind::Pdf => {
            return Err(Error::UnknownFormat {
                extension: ".pdf (this build has no PDF reader: enable the `pdf` feature)".into(),
            });
        }
    };
    Ok(parse_reading(file, bytes, reading, options))
}

/// For benchmarks only, not part of the API: the PDF reader's own
/// extraction of text and lines (under `options.pdf`), each page's text
/// NFKC-normalized, without building a grid or sheets. Returns the pages
/// read and the normalized characters and rules found. `cargo bench -p hyoka-cli --bench batch` times this as the floor
/// of the PDF import.
#[doc(hidden)]
#[cfg(feature = "pdf")]
pub fn pdf_extraction_for_bench(
    bytes: &[u8],
    options: &Options,
) -> Result<(usize, usize), PdfError> {
    use unicode_normalization::UnicodeNormalization;
    let pages = pdf::extract(bytes, &options.limits.pdf)?;
    // Each page's text NFKC-normalized, as any importer must.
    let found = pages
        .iter()
        .map(|p| {
            let text: String = p.chars.iter().map(|c| c.text.as_str()).collect();
            text.nfkc().count() + p.horizontal.len() + p.vertical.len()
        })
        .sum();
    Ok((pages.len(), found))
}

/// Parses what a reader delivered into a [`Document`]: every worksheet's
/// sheets, with the one warning policy. This is the extension point for a
/// reader hyoka does not have: build a [`Reading`] of [`grid::Grid`]s and pass it
/// here with the file's bytes (for `source.sha256`).
///
/// Warnings land once, where they belong: a worksheet warning on the sheet
/// whose rows hold it (ahead of the parser's own), one outside every sheet
/// and every file-level warning on [`Document::warnings`].
///
/// ```
/// use hyoka::grid::{Cell, Grid, Row};
/// use hyoka::{Reading, Worksheet, model::Format};
/// let rows = vec![Row::new(1, vec![Cell::text("表紙")])];
/// let reading = Reading {
///     format: Format::Text,
///     encoding: None,
///     worksheets: vec![Worksheet { name: None, grid: Some(Grid { rows }), warnings: vec![] }],
///     warnings: vec![],
/// };
/// let doc = hyoka::parse_reading("cover.txt", b"", reading, &Default::default());
/// assert!(doc.sheets.is_empty()); // a cover page holds no sheet
/// ```
pub fn parse_reading(file: &str, bytes: &[u8], reading: Reading, options: &Options) -> Document {
    let sha256 = sha256_hex(bytes);
    let base = Source {
        file: file.to_owned(),
        sha256: sha256.clone(),
        format: reading.format,
        encoding: reading.encoding.clone(),
        worksheet: None,
        ordinal: 0,
        rows: [0, 0],
        pages: None,
    };
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut projects: Vec<project::ProjectEvaluation> = Vec::new();
    let mut entries = Vec::new();
    let mut file_warnings = reading.warnings;
    let mut cover = None;
    for ws in reading.worksheets {
        let before = sheets.len();
        let source = Source {
            worksheet: ws.name.clone(),
            ..base.clone()
        };
        // A worksheet without sheets may be a list of project evaluations.
        let before_projects = projects.len();
        let found_segments = ws
            .grid
            .as_ref()
            .map(|g| segment::segments(g, &options.template))
            .unwrap_or_default();
        if ws.grid.is_some() && found_segments.is_empty() {
            let first = projects.len() as u32 + 1;
            if let Some(found) = project::from_worksheet(&ws, &source, first, &options.template) {
                projects.extend(found.projects.into_iter().map(|mut p| {
                    assess::check_costs(&mut p);
                    p
                }));
                for mut w in found.file_warnings {
                    if let Some(name) = &ws.name {
                        w.message = format!("worksheet `{name}`: {}", w.message);
                    }
                    file_warnings.push(w);
                }
                if projects.len() > before_projects {
                    if let Some(name) = ws.name {
                        entries.push(WorksheetEntry {
                            name,
                            status: InputStatus::Ok,
                            sheets: 0,
                        });
                    }
                    continue;
                }
            }
        }
        let mut leftover = ws.warnings;
        if let Some(grid) = &ws.grid {
            for segment in found_segments {
                let ordinal = sheets.len() as u32 + 1;
                let mut sheet =
                    sheet::parse(grid, &segment, source.clone(), ordinal, &options.template);
                // Rows know their page only in a PDF.
                sheet.source.pages = grid.pages(segment.rows.clone());
                assess::assess(&mut sheet, &options.template);
                mentions::annotate(&mut sheet);
                ids::assign(&mut sheet);
                sheets.push(sheet);
            }
            leftover = attach_warnings(&mut sheets[before..], leftover);
            if cover.is_none() {
                cover = municipality::on_grid_cover(grid, &sheets[before..]).map(|(name, row)| {
                    municipality::Found {
                        name,
                        worksheet: ws.name.clone(),
                        row,
                    }
                });
            }
        }
        // A warning outside every sheet (a hidden cell on a cover worksheet)
        // still concerns the file: it is kept there, named by worksheet.
        for mut w in leftover {
            if let Some(name) = &ws.name {
                w.message = format!("worksheet `{name}`: {}", w.message);
            }
            file_warnings.push(w);
        }
        let count = (sheets.len() - before) as u32;
        if let Some(name) = ws.name {
            entries.push(WorksheetEntry {
                name,
                status: if count > 0 {
                    InputStatus::Ok
                } else {
                    InputStatus::Skipped
                },
                sheets: count,
            });
        }
    }
    if let Some(found) = &cover {
        municipality::apply_found(&mut sheets, found);
    }
    Document {
        sha256,
        format: reading.format,
        encoding: reading.encoding,
        sheets,
        project_evaluations: projects,
        worksheets: entries,
        warnings: file_warnings,
    }
}

/// Puts each worksheet warning into the sheet whose rows hold it, ahead of
/// the parser's own warnings; returns those outside every sheet.
fn attach_warnings(sheets: &mut [Sheet], warnings: Vec<Warning>) -> Vec<Warning> {
    let mut by_sheet: Vec<Vec<Warning>> = vec![Vec::new(); sheets.len()];
    let mut outside = Vec::new();
    // Sheets come in row order, so the one holding a row is found by binary
    // search (a hostile worksheet may hold many sheets and many warnings).
    let in_order = sheets
        .windows(2)
        .all(|w| w[0].source.rows[1] < w[1].source.rows[0]);
    for w in warnings {
        let Some(row) = w.row else {
            outside.push(w);
            continue;
        };
        let holds = |s: &Sheet| (s.source.rows[0]..=s.source.rows[1]).contains(&row);
        let found = if in_order {
            let i = sheets.partition_point(|s| s.source.rows[1] < row);
            sheets.get(i).is_some_and(holds).then_some(i)
        } else {
            sheets.iter().position(holds)
        };
        match found {
            Some(i) => by_sheet[i].push(w),
            None => outside.push(w),
        }
    }
    for (sheet, mut own) in sheets.iter_mut().zip(by_sheet) {
        if !own.is_empty() {
            own.append(&mut sheet.warnings);
            sheet.warnings = own;
        }
    }
    outside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warning::WarningCode;

    #[test]
    fn worksheet_warnings_go_to_the_sheet_holding_their_row_or_the_file() {
        let text = "見出し\n【主担当部局】\t総務部\n\n見出し\n【主担当部局】\t財務部\n";
        let plain = read("t.txt", text.as_bytes(), &Options::default()).unwrap();
        let before: Vec<usize> = plain.sheets.iter().map(|s| s.warnings.len()).collect();
        let w = |row| Warning::at_cell(WarningCode::FormulaNotComputed, row, 1, "x");
        let mut reading = Reading {
            format: Format::Xlsx,
            encoding: None,
            worksheets: vec![Worksheet {
                name: Some("施策".into()),
                grid: Some(text::converter_grid(text)),
                warnings: vec![w(2), w(4), w(9)],
            }],
            warnings: vec![Warning::in_file(WarningCode::EncodingGuessed, "file")],
        };
        reading.worksheets.push(Worksheet {
            name: Some("表紙".into()),
            grid: None,
            warnings: vec![w(1)],
        });
        let doc = parse_reading("t.xlsx", b"", reading, &Options::default());
        assert_eq!(doc.sheets[0].warnings.len(), before[0] + 1);
        assert_eq!(doc.sheets[1].warnings.len(), before[1] + 1);
        assert_eq!(doc.sheets[1].warnings[0].row, Some(4));
        let file: Vec<&str> = doc.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(file, ["file", "worksheet `施策`: x", "worksheet `表紙`: x"]);
        assert_eq!(doc.warning_count(), 3 + before.iter().sum::<usize>() + 2);
    }

    #[test]
    fn file_warnings_are_not_copied_into_sheets() {
        // UTF-16 without a byte-order mark: the encoding is guessed.
        let bytes: Vec<u8> = "見出し\n【主担当部局】\n総務部\n\n見出し\n【主担当部局】\n財務部\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let doc = read("t.txt", &bytes, &Options::default()).unwrap();
        assert_eq!(doc.sheets.len(), 2);
        let guessed = |ws: &[Warning]| {
            ws.iter()
                .filter(|w| w.code == WarningCode::EncodingGuessed)
                .count()
        };
        for sheet in &doc.sheets {
            assert_eq!(guessed(&sheet.warnings), 0);
        }
        assert_eq!(guessed(&doc.warnings), 1);
    }
}
