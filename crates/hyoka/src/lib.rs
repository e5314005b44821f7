//! hyoka (評価, "evaluation") turns Japanese municipal policy-evaluation
//! sheets (施策評価シート) into typed, validated records.
//!
//! Data flows one way, one module per stage:
//!
//! 1. [`decode`]: bytes to text, detecting the encoding;
//! 2. [`delimited`] (text forms): text to a [`grid::Grid`] of cells,
//!    normalized by [`normalize`]; for workbooks, [`workbook`] reads each
//!    worksheet into a grid with calamine instead of steps 1–2, and for
//!    PDFs [`pdf`] rebuilds one grid from the pages' text and ruling lines;
//! 3. [`segment`]: the grid to the sheets it holds and their parts;
//! 4. [`sheet`]: a segment to a typed [`model::Sheet`], using [`era`] for
//!    years and [`lists`] for list cells, with a [`warning::Warning`] for
//!    every repair.
//!
//! [`read`] runs the whole path for one file:
//!
//! ```
//! let text = "伊賀流自治の視点\n【主担当部局】\n総務部\n- ・ 広聴機能を充実させます。\n\
//!     【PLAN】\t\t【DO】\t【CHECK①】\n基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n\
//!     1\t広聴機能 説明\t○広聴業務経費\t成果指標\t意見件数\n\
//!     \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
//!     \t\t\t実績(件)\t769\t956\t969\t900\n";
//! let doc = hyoka::read("sheet.txt", text.as_bytes(), &Default::default()).unwrap();
//! let sheet = &doc.sheets[0];
//! assert_eq!(sheet.department, "総務部");
//! assert_eq!(sheet.fiscal_year, Some(2022));
//! let kpi = &sheet.basic_projects[0].kpis[0];
//! assert_eq!(kpi.unit.as_deref(), Some("件"));
//! assert_eq!(kpi.actuals[1].value.unwrap().get(), 969.0);
//! ```

mod container;
pub mod decode;
pub mod delimited;
pub mod era;
pub mod grid;
pub mod lists;
pub mod model;
pub mod normalize;
pub mod pdf;
pub mod segment;
pub mod sheet;
pub mod warning;
pub mod workbook;
mod xls_scan;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::delimited::TextLimits;
use crate::grid::Grid;
use crate::model::{Format, InputStatus, Sheet, Source, WorksheetEntry};
pub use crate::pdf::PdfLimits;
use crate::warning::{Warning, WarningCode};

/// Settings for reading files: the limits that keep a hostile or broken
/// file from exhausting memory or time.
///
/// Every input is untrusted. A file over a limit fails alone, with an
/// error that names the limit and the `hyoka import` flag that raises it;
/// the rest of the batch is read as usual. The defaults are far above any
/// real sheet (a sheet has a few hundred cells and a few hundred kilobytes).
///
/// | limit | default | `hyoka import` flag |
/// |---|---|---|
/// | [`max_input_bytes`](Options::max_input_bytes): file size | 256 MiB | `--max-input-bytes` |
/// | [`TextLimits::max_rows`]: rows per text file or worksheet | 200,000 | `--max-rows` |
/// | [`TextLimits::max_cells`]: cells per text file or worksheet | 2,000,000 | `--max-cells` |
/// | [`TextLimits::max_cell_bytes`]: bytes in one cell | 1 MiB | `--max-cell-bytes` |
/// | [`max_uncompressed_bytes`](Options::max_uncompressed_bytes): a zip workbook unpacked | 512 MiB | `--max-uncompressed-bytes` |
/// | [`max_compression_ratio`](Options::max_compression_ratio): one part of a zip workbook | 100 | `--max-compression-ratio` |
/// | [`PdfLimits::max_pages`]: pages of a PDF | 10,000 | `--max-pdf-pages` |
/// | [`PdfLimits::max_objects`]: objects in a PDF | 1,000,000 | `--max-pdf-objects` |
/// | [`PdfLimits::max_stream_bytes`]: PDF content unpacked and drawn | 128 MiB | `--max-pdf-stream-bytes` |
///
/// Cells are counted as a reader holds them: for a worksheet, the
/// rectangle from its first to its last value, row by row (an `.ods` row
/// repeated 1,000 times counts 1,000 times); for text, every field. A zip
/// workbook (`.xlsx`, `.xlsm`, `.ods`) is checked against its central
/// directory's declared sizes before anything is unpacked, and the unpacker
/// never produces more than an entry declares. The compression ratio is
/// checked only for parts over 1 MiB unpacked: spreadsheet programs
/// compress about 10:1, a zip bomb 1000:1.
///
/// Memory grows with the rows read: at the defaults, the costliest text
/// file found (200,000 one-line sheets, 3 MB) takes about 600 MB to read
/// and write, and reading stays linear in the input.
///
/// Converter HTML needs no limit of its own: tags are removed in one linear
/// pass however deeply they nest (see [`normalize`]), and the cell holding
/// them is bounded by `max_cell_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Limits on rows, cells and cell length (text files and worksheets).
    pub text: TextLimits,
    /// Maximum input size in bytes.
    pub max_input_bytes: u64,
    /// Maximum total size of a zip workbook's parts once unpacked, in bytes,
    /// as its central directory declares them.
    pub max_uncompressed_bytes: u64,
    /// Maximum ratio of unpacked to packed size for one part (over 1 MiB
    /// unpacked) of a zip workbook.
    pub max_compression_ratio: u64,
    /// Limits on PDFs (pages, objects, content unpacked).
    pub pdf: PdfLimits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            text: TextLimits::default(),
            max_input_bytes: 256 << 20,
            max_uncompressed_bytes: 512 << 20,
            max_compression_ratio: 100,
            pdf: PdfLimits::default(),
        }
    }
}

/// Everything read from one input file.
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
    /// For workbooks: every worksheet and what became of it.
    pub worksheets: Vec<WorksheetEntry>,
    /// Warnings about the file as a whole (also copied into each sheet).
    pub warnings: Vec<Warning>,
}

impl Document {
    /// How many warnings the file and its sheets carry, each counted once.
    pub fn warning_count(&self) -> usize {
        let file_level = self.warnings.len();
        let sheets: usize = self.sheets.iter().map(|s| s.warnings.len()).sum();
        // File-level warnings are copied into every sheet; count them once.
        sheets - file_level * self.sheets.len() + file_level
    }

    /// `ok` when sheets were found, `skipped` when none were.
    pub fn status(&self) -> InputStatus {
        if self.sheets.is_empty() {
            InputStatus::Skipped
        } else {
            InputStatus::Ok
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
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
    /// The bytes are not text.
    #[error(transparent)]
    Decode(#[from] decode::DecodeError),
    /// The text is not a readable table.
    #[error(transparent)]
    Read(#[from] delimited::ReadError),
    /// The workbook could not be read (password, damage, truncation).
    #[error(transparent)]
    Workbook(#[from] workbook::WorkbookError),
    /// The PDF could not be read (password, no text, damage, a limit).
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

/// The format a path's extension names, if hyoka reads it. `.txt` is
/// reported as [`Format::Text`]; [`read`] tells converter text from a
/// tab-separated export by its content.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" => Format::Text,
        "tsv" | "tab" => Format::Tsv,
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "xlsm" => Format::Xlsm,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "pdf" => Format::Pdf,
        _ => return None,
    })
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Reads one input file: `file` is the path as the user gave it (it goes
/// into `source.file`), `bytes` its content.
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

/// Reads one input file in a known format.
pub fn read_as(
    file: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> Result<Document, Error> {
    if bytes.len() as u64 > options.max_input_bytes {
        return Err(Error::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_input_bytes,
        });
    }
    // A PDF is known by its signature whatever its name says.
    if format == Format::Pdf || bytes.starts_with(b"%PDF-") {
        return read_pdf(file, bytes, options);
    }
    if format.is_workbook() {
        return Ok(workbook::read(file, bytes, format, options)?);
    }
    let sha256 = sha256_hex(bytes);
    let decoded = decode::decode(bytes)?;
    let mut warnings = Vec::new();
    if decoded.had_errors {
        let message = format!(
            "some bytes are not valid {}; they were replaced with U+FFFD (�); \
             check that the file is complete and in the encoding its program wrote, \
             or re-export it as UTF-8",
            decoded.encoding
        );
        // Point at the first damaged line (a cut-off file is damaged at its end).
        let first_bad_line = decoded.text.find('\u{FFFD}').map(|at| {
            let before = &decoded.text[..at];
            1 + before.bytes().filter(|&b| b == b'\n').count() as u32
        });
        warnings.push(match first_bad_line {
            Some(line) => Warning::at_row(WarningCode::DecodeErrors, line, message),
            None => Warning::in_file(WarningCode::DecodeErrors, message),
        });
    }
    if decoded.guessed {
        warnings.push(Warning::in_file(
            WarningCode::EncodingGuessed,
            format!(
                "the file has no byte-order mark and its bytes do not settle its encoding; \
                 it was read as {}, the likeliest by byte statistics; check that the text \
                 reads right, or re-export it as UTF-8",
                decoded.encoding
            ),
        ));
    }
    let format = match format {
        Format::Text => delimited::sniff_text_form(&decoded.text),
        // Excel's "Unicode text" is tab-separated whatever the file is
        // named; a `.csv` whose rows line up on tabs and not on commas is one.
        Format::Csv if delimited::is_tab_separated_not_comma(&decoded.text) => Format::Tsv,
        other => other,
    };
    let grid = delimited::read(&decoded.text, format, &options.text)?;
    let source = Source {
        file: file.to_owned(),
        sha256: sha256.clone(),
        format,
        encoding: Some(decoded.encoding.to_owned()),
        worksheet: None,
        ordinal: 0,
        rows: [0, 0],
        pages: None,
    };
    let mut sheets = Vec::new();
    sheets_from_grid(&grid, &source, &mut sheets, &warnings);
    Ok(Document {
        sha256,
        format,
        encoding: Some(decoded.encoding.to_owned()),
        sheets,
        worksheets: Vec::new(),
        warnings,
    })
}

/// Reads a PDF: its pages as one grid, then the sheets in it.
#[cfg(feature = "pdf")]
fn read_pdf(file: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let read = pdf::read(bytes, options)?;
    let sha256 = sha256_hex(bytes);
    let source = Source {
        file: file.to_owned(),
        sha256: sha256.clone(),
        format: Format::Pdf,
        encoding: None,
        worksheet: None,
        ordinal: 0,
        rows: [0, 0],
        pages: None,
    };
    let mut sheets = Vec::new();
    sheets_from_grid(&read.grid, &source, &mut sheets, &read.warnings);
    for sheet in &mut sheets {
        sheet.source.pages = Some(read.pages_of(sheet.source.rows));
    }
    Ok(Document {
        sha256,
        format: Format::Pdf,
        encoding: None,
        sheets,
        worksheets: Vec::new(),
        warnings: read.warnings,
    })
}

/// Without the `pdf` feature a PDF is a file type hyoka does not read.
#[cfg(not(feature = "pdf"))]
fn read_pdf(_file: &str, _bytes: &[u8], _options: &Options) -> Result<Document, Error> {
    Err(Error::UnknownFormat {
        extension: ".pdf (this build has no PDF reader: enable the `pdf` feature)".into(),
    })
}

/// Parses every sheet of a grid, numbering them after those already in
/// `sheets`.
fn sheets_from_grid(
    grid: &Grid,
    source: &Source,
    sheets: &mut Vec<Sheet>,
    file_warnings: &[Warning],
) {
    for segment in segment::segments(grid) {
        let ordinal = sheets.len() as u32 + 1;
        let mut sheet = sheet::parse(grid, &segment, source.clone(), ordinal);
        let mut warnings = file_warnings.to_vec();
        warnings.append(&mut sheet.warnings);
        sheet.warnings = warnings;
        sheets.push(sheet);
    }
}
