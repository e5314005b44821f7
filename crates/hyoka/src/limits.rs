//! The limits that bound the work one input can cause, grouped by what
//! they bound: the file, any grid a reader builds, a zip workbook's
//! container, a PDF. Every reader takes the same [`Limits`]
//! ([`crate::grid::Reader`]); [`crate::Options`] carries them.

/// Every limit, by what it bounds. A file over one fails alone, with an
/// error naming the limit and the `hyoka import` flag that raises it.
///
/// ```
/// let mut limits = hyoka::Limits::default();
/// limits.grid.max_rows = 1_000;
/// assert_eq!(limits.pdf.max_pages, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes in one input file (`--max-input-bytes`).
    pub max_input_bytes: u64,
    /// Any grid a reader builds: a text file, a worksheet, a PDF.
    pub grid: GridLimits,
    /// A zip workbook's container (`.xlsx`, `.xlsm`, `.ods`).
    pub archive: ArchiveLimits,
    /// A PDF's structure and content.
    pub pdf: PdfLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 << 20,
            grid: GridLimits::default(),
            archive: ArchiveLimits::default(),
            pdf: PdfLimits::default(),
        }
    }
}

/// Limits on any grid a reader builds: a text file, each worksheet of a
/// workbook, a PDF's pages.
///
/// ```
/// let grid = hyoka::GridLimits::default();
/// assert_eq!(grid.max_cells, 2_000_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct GridLimits {
    /// Most rows holding a value per text file or worksheet (`--max-rows`).
    pub max_rows: usize,
    /// Most bytes in one cell (`--max-cell-bytes`).
    pub max_cell_bytes: usize,
    /// Most cells per text file, worksheet or PDF page, empty cells between
    /// values included (`--max-cells`).
    pub max_cells: usize,
}

impl Default for GridLimits {
    fn default() -> Self {
        GridLimits {
            max_rows: 200_000,
            max_cell_bytes: 1 << 20,
            max_cells: 2_000_000,
        }
    }
}

/// Limits on a zip workbook's container, checked against its central
/// directory before anything is unpacked.
///
/// ```
/// let archive = hyoka::ArchiveLimits::default();
/// assert_eq!(archive.max_compression_ratio, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArchiveLimits {
    /// Most bytes of all parts once unpacked, as the central directory
    /// declares them (`--max-uncompressed-bytes`).
    pub max_uncompressed_bytes: u64,
    /// Highest ratio of unpacked to packed size for one part over 1 MiB
    /// unpacked (`--max-compression-ratio`).
    pub max_compression_ratio: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_uncompressed_bytes: 512 << 20,
            max_compression_ratio: 100,
        }
    }
}

/// Limits for PDFs. A file over one fails alone with an error naming the
/// `hyoka import` flag that raises it.
///
/// ```
/// let pdf = hyoka::PdfLimits::default();
/// assert_eq!(pdf.max_pages, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PdfLimits {
    /// Most pages read (`--max-pdf-pages`).
    pub max_pages: u32,
    /// Most objects in the file (`--max-pdf-objects`).
    pub max_objects: usize,
    /// Most content bytes unpacked and interpreted in total, counting a
    /// stream every time it is drawn and 128 bytes for every character and
    /// rule kept (`--max-pdf-stream-bytes`); also bounds any single stream
    /// unpacked while loading.
    pub max_stream_bytes: u64,
    /// Most operators, operands and glyphs read from content streams in
    /// total, counted every time a stream is drawn (`--max-pdf-operators`).
    pub max_operators: u64,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_pages: 10_000,
            max_objects: 1_000_000,
            max_stream_bytes: 128 << 20,
            max_operators: 20_000_000,
        }
    }
}
