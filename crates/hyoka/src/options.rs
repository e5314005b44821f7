//! Reading options: limits, and the template.

use std::sync::Arc;

use crate::limits::Limits;
use crate::template::Template;

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
/// | [`Limits::max_input_bytes`]: file size | 256 MiB | `--max-input-bytes` |
/// | [`GridLimits::max_rows`](crate::GridLimits::max_rows): rows per text file or worksheet | 200,000 | `--max-rows` |
/// | [`GridLimits::max_cells`](crate::GridLimits::max_cells): cells per text file, worksheet or PDF page | 2,000,000 | `--max-cells` |
/// | [`GridLimits::max_cell_bytes`](crate::GridLimits::max_cell_bytes): bytes in one cell | 1 MiB | `--max-cell-bytes` |
/// | [`ArchiveLimits::max_uncompressed_bytes`](crate::ArchiveLimits::max_uncompressed_bytes): a zip workbook unpacked | 512 MiB | `--max-uncompressed-bytes` |
/// | [`ArchiveLimits::max_compression_ratio`](crate::ArchiveLimits::max_compression_ratio): one part of a zip workbook | 100 | `--max-compression-ratio` |
/// | [`PdfLimits::max_pages`](crate::PdfLimits::max_pages): pages of a PDF | 10,000 | `--max-pdf-pages` |
/// | [`PdfLimits::max_objects`](crate::PdfLimits::max_objects): objects in a PDF | 1,000,000 | `--max-pdf-objects` |
/// | [`PdfLimits::max_stream_bytes`](crate::PdfLimits::max_stream_bytes): PDF content unpacked and drawn | 128 MiB | `--max-pdf-stream-bytes` |
/// | [`PdfLimits::max_operators`](crate::PdfLimits::max_operators): PDF operators, operands and glyphs read | 20,000,000 | `--max-pdf-operators` |
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
/// pass however deeply they nest (see the normalization in SHEET-SPEC §3), and the cell holding
/// them is bounded by `max_cell_bytes`.
///
/// ```
/// let mut options = hyoka::Options::default();
/// options.limits.grid.max_rows = 1_000;
/// let doc = hyoka::read("a.txt", "施策名\t防災\n".as_bytes(), &options).unwrap();
/// assert!(doc.sheets.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// What one input may cost, by what each limit bounds.
    pub limits: Limits,
    /// The labels the sheet parser looks for; [`Template::builtin`] by
    /// default.
    pub template: Arc<Template>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            template: Template::builtin(),
        }
    }
}
