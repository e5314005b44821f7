//! PDFs read directly: the sheets as cities publish them.
//!
//! A PDF printed from a workbook draws every character at a position and
//! every cell border as a line. [`content`] interprets each page's drawing
//! operators (with [`font`] turning string bytes into characters and
//! advances) into characters and ruling lines in page coordinates;
//! [`lattice`] rebuilds the table from the lines: columns and rows from the
//! rules, merged cells where a border is missing, text split where a rule
//! crosses it, lines inside a cell joined back into the cell's text, tables
//! broken across pages joined. The result is the same [`Grid`] the other
//! readers produce, so the sheet parser does not know the difference.
//!
//! `lopdf` parses the file's objects and streams; everything about text
//! and layout is done here.

#[cfg(feature = "pdf")]
pub mod content;
#[cfg(feature = "pdf")]
pub mod font;
#[cfg(feature = "pdf")]
pub mod lattice;
#[cfg(feature = "pdf")]
pub mod ops;

#[cfg(feature = "pdf")]
use lopdf::{Document, LoadOptions, Object};

use crate::grid::{Grid, Reader, Reading, Worksheet};
use crate::limits::{Limits, PdfLimits};
use crate::warning::Warning;
#[cfg(feature = "pdf")]
use content::{Budget, Interpreter, PageContent, Rect};

/// A PDF as one grid: the rows of all its pages, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfGrid {
    /// The rows; a row's number is its position in the grid, from 1.
    pub grid: Grid,
    /// For each row of the grid, the page (from 1) it came from.
    pub row_pages: Vec<u32>,
    /// For each row of the grid, the last page (from 1) its cells came
    /// from: beyond `row_pages` only for a worksheet printed in strips.
    pub row_last_pages: Vec<u32>,
    /// Repairs and guesses made while reading the layout.
    pub warnings: Vec<Warning>,
    /// How many pages were read.
    pub pages: u32,
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The structure could not be parsed.
    #[error(
        "the PDF could not be read ({detail}); check that the file is complete, \
         or print the workbook to PDF again"
    )]
    Corrupt {
        /// What failed.
        detail: String,
    },
    /// The file needs a password to open.
    #[error(
        "the PDF is encrypted with a password; hyoka cannot read it. Ask the publisher \
         for an unprotected copy or the workbook, or remove the password (for example \
         `qpdf --decrypt --password=… in.pdf out.pdf`) and import that file"
    )]
    Encrypted,
    /// Text drawn in fonts that give no characters.
    #[error(
        "the text of this PDF cannot be read as characters: {glyphs} glyphs in font(s) {fonts} \
         have no Unicode map (ToUnicode) and no known encoding; the file needs OCR \
         (for example `ocrmypdf --force-ocr in.pdf out.pdf`), or import the workbook it was printed from"
    )]
    NeedsOcr {
        /// The fonts.
        fonts: String,
        /// How many glyphs could not be read.
        glyphs: usize,
    },
    /// No text at all, but images: a scan.
    #[error(
        "the PDF holds no text, only images (a scan?); it needs OCR \
         (for example `ocrmypdf in.pdf out.pdf`), or import the workbook it was printed from"
    )]
    NoText,
    /// No text and no image: nothing to OCR either.
    #[error(
        "the PDF draws no text and no image on any of its {pages} page(s); check that it is \
         the file meant, or print the workbook to PDF again"
    )]
    NothingDrawn {
        /// The pages.
        pages: u32,
    },
    /// No text, and a page's content that stops parsing.
    #[error(
        "the PDF yields no text: on page {page}, {detail}; the file is damaged, \
         print the workbook to PDF again"
    )]
    UnreadableContent {
        /// The first page whose content stops parsing.
        page: u32,
        /// Where and what (`its content cannot be parsed at byte 1234`).
        detail: String,
    },
    /// More operators, operands and glyphs than allowed.
    #[error(
        "the PDF's content{} holds more than the limit of {limit} operators, operands and glyphs \
         (counted every time a page or form draws them); raise --max-pdf-operators if it is genuine",
        up_to(page)
    )]
    TooManyOperators {
        /// The limit.
        limit: u64,
        /// The page being read when it was reached.
        page: Option<u32>,
    },
    /// More pages than allowed.
    #[error(
        "the PDF has {pages} pages, more than the limit of {limit}; raise --max-pdf-pages if it is genuine"
    )]
    TooManyPages {
        /// The pages.
        pages: usize,
        /// The limit.
        limit: u32,
    },
    /// More objects than allowed.
    #[error(
        "the PDF has {objects} objects, more than the limit of {limit}; raise --max-pdf-objects if it is genuine"
    )]
    TooManyObjects {
        /// The objects (at least).
        objects: usize,
        /// The limit.
        limit: usize,
    },
    /// Ruling lines that make more cells than allowed.
    #[error(
        "page {page} of the PDF has ruling lines making {cells} cells, more than the limit of \
         {limit}; raise --max-cells if it is genuine"
    )]
    TooManyCells {
        /// The page.
        page: u32,
        /// The cells.
        cells: usize,
        /// The limit.
        limit: usize,
    },
    /// Content streams unpack to more than allowed.
    #[error(
        "the PDF's content{} unpacks to more than the limit of {limit} bytes (counting each \
         stream every time it is drawn, and 128 bytes for each character and rule kept); \
         raise --max-pdf-stream-bytes if it is genuine",
        up_to(page)
    )]
    TooMuchContent {
        /// The limit.
        limit: u64,
        /// The page being read when it was reached (none: while loading).
        page: Option<u32>,
    },
}

impl PdfError {
    /// The message in Japanese: what the PDF holds or lacks and what to do, as `Display` says in English.
    ///
    /// ```
    /// let e = hyoka::PdfError::TooManyPages { pages: 9, limit: 5 };
    /// assert!(e.message_ja().contains("--max-pdf-pages"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            Self::Corrupt { detail } => format!(
                "PDF を読めません({detail})。ファイルが完全か確認するか、ブックから PDF を印刷し直してください"
            ),
            Self::Encrypted => {
                "PDF がパスワードで暗号化されていて読めません。発行元に保護のない PDF かブックを\
                 求めるか、パスワードを外して(例: `qpdf --decrypt --password=… in.pdf out.pdf`)\
                 そのファイルを取り込んでください"
                    .into()
            }
            Self::NeedsOcr { fonts, glyphs } => format!(
                "この PDF の文字は文字として読めません: フォント {fonts} の {glyphs} 字に Unicode の対応表 \
                 (ToUnicode) も既知の符号化もありません。OCR(例: `ocrmypdf --force-ocr in.pdf out.pdf`)\
                 が必要です。印刷元のブックを取り込むこともできます"
            ),
            Self::NoText => {
                "PDF に文字がなく画像だけです(スキャン?)。OCR(例: `ocrmypdf in.pdf out.pdf`)\
                 が必要です。印刷元のブックを取り込むこともできます"
                    .into()
            }
            Self::TooManyPages { pages, limit } => format!(
                "PDF が {pages} ページあり、上限 {limit} を超えています。正しいファイルなら --max-pdf-pages で上限を上げてください"
            ),
            Self::TooManyObjects { objects, limit } => format!(
                "PDF のオブジェクトが {objects} 個あり、上限 {limit} を超えています。正しいファイルなら --max-pdf-objects で上限を上げてください"
            ),
            Self::TooManyCells { page, cells, limit } => format!(
                "PDF の {page} ページの罫線が {cells} セルを作り、上限 {limit} を超えています。正しいファイルなら --max-cells で上限を上げてください"
            ),
            Self::NothingDrawn { pages } => format!(
                "PDF の {pages} ページのどこにも文字も画像もありません。目的のファイルか確認するか、\
                 ブックから PDF を印刷し直してください"
            ),
            Self::UnreadableContent { page, detail } => format!(
                "PDF から文字が得られません: {page} ページの内容が読めません({detail})。\
                 ファイルが壊れています。ブックから PDF を印刷し直してください"
            ),
            Self::TooManyOperators { limit, page } => format!(
                "PDF の{}内容の演算子・オペランド・グリフが上限 {limit} を超えます(ページやフォームが描くたびに数えます)。\
                 正しいファイルなら --max-pdf-operators で上限を上げてください",
                pdf_up_to(*page)
            ),
            Self::TooMuchContent { limit, page } => format!(
                "PDF の{}内容を展開すると上限 {limit} バイトを超えます(ストリームは描くたびに、残す文字と罫線は 1 つ 128 バイトとして数えます)。\
                 正しいファイルなら --max-pdf-stream-bytes で上限を上げてください",
                pdf_up_to(*page)
            ),
        }
    }
}

/// `N ページまでの`, for a PDF budget met while reading page N.
fn pdf_up_to(page: Option<u32>) -> String {
    page.map(|p| format!(" {p} ページまでの"))
        .unwrap_or_default()
}

/// ` up to page N`, for a budget met while reading page N.
fn up_to(page: &Option<u32>) -> String {
    page.map(|p| format!(" up to page {p}")).unwrap_or_default()
}

/// The PDF reader: one worksheet (the whole PDF as one grid, each row
/// knowing its page) with the layout's warnings.
#[cfg(feature = "pdf")]
pub(crate) struct PdfReader;

#[cfg(feature = "pdf")]
impl Reader for PdfReader {
    type Error = PdfError;

    fn read(&self, bytes: &[u8], limits: &Limits) -> Result<Reading, PdfError> {
        let read = read(bytes, limits)?;
        let mut grid = read.grid;
        for ((row, page), last) in grid
            .rows
            .iter_mut()
            .zip(read.row_pages)
            .zip(read.row_last_pages)
        {
            row.page = Some(page);
            row.last_page = (last != page).then_some(last);
        }
        Ok(Reading {
            format: crate::model::Format::Pdf,
            encoding: None,
            worksheets: vec![Worksheet {
                name: None,
                grid: Some(grid),
                warnings: read.warnings,
            }],
            warnings: Vec::new(),
        })
    }
}

#[cfg(feature = "pdf")]
/// Reads a PDF into one grid, under `limits.pdf` and `--max-cells`.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<PdfGrid, PdfError> {
    // lopdf is a large parser of untrusted input: a panic inside it must
    // fail this file, not the batch.
    let (limits, max_cells) = (&limits.pdf, limits.grid.max_cells);
    crate::guard::catch(|| read_inner(bytes, limits, max_cells)).unwrap_or_else(|_| {
        Err(PdfError::Corrupt {
            detail: "the reader stopped on an internal error".into(),
        })
    })
}

#[cfg(feature = "pdf")]
fn read_inner(bytes: &[u8], limits: &PdfLimits, max_cells: usize) -> Result<PdfGrid, PdfError> {
    let pages = extract(bytes, limits)?;
    grid_of(&pages, max_cells)
}

/// The reader's own extraction: every page's characters and rules, under
/// the limits, before any grid is built (the benchmark's floor times this).
#[cfg(feature = "pdf")]
pub(crate) fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<Vec<PageContent>, PdfError> {
    // Objects are counted before loading too, so a file of millions of tiny
    // objects is refused before they are all allocated.
    let declared = count(bytes, b" obj");
    if declared > limits.max_objects {
        return Err(PdfError::TooManyObjects {
            objects: declared,
            limit: limits.max_objects,
        });
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes.min(usize::MAX as u64) as usize),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::TooMuchContent {
                limit: limits.max_stream_bytes,
                page: None,
            }
        }
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => PdfError::Encrypted,
        other => PdfError::Corrupt {
            detail: other.to_string(),
        },
    })?;
    // lopdf opens a file whose user password is empty (restrictions only)
    // by itself; one that still has /Encrypt and no key needs a password.
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        return Err(PdfError::Encrypted);
    }
    if doc.objects.len() > limits.max_objects {
        return Err(PdfError::TooManyObjects {
            objects: doc.objects.len(),
            limit: limits.max_objects,
        });
    }
    page_tree_cycle(&doc)?;
    let page_ids: Vec<_> = doc
        .page_iter()
        .take(limits.max_pages as usize + 1)
        .collect();
    if page_ids.len() > limits.max_pages as usize {
        return Err(PdfError::TooManyPages {
            pages: doc.get_pages().len(),
            limit: limits.max_pages,
        });
    }
    if page_ids.is_empty() {
        return Err(PdfError::Corrupt {
            detail: "it has no pages".into(),
        });
    }
    let mut budget = Budget::new(limits);
    let mut fonts = content::FontCache::new();
    let mut pages: Vec<PageContent> = Vec::with_capacity(page_ids.len());
    for (n, id) in (1u32..).zip(page_ids) {
        let read = page(&doc, id, &mut budget, &mut fonts).map_err(|e| match e {
            PdfError::TooMuchContent { limit, page: None } => PdfError::TooMuchContent {
                limit,
                page: Some(n),
            },
            PdfError::TooManyOperators { limit, page: None } => PdfError::TooManyOperators {
                limit,
                page: Some(n),
            },
            other => other,
        })?;
        pages.push(read);
    }
    Ok(pages)
}

#[cfg(feature = "pdf")]
fn grid_of(pages: &[PageContent], max_cells: usize) -> Result<PdfGrid, PdfError> {
    let unmapped: usize = pages.iter().map(|p| p.unmapped_glyphs).sum();
    let mapped: usize = pages.iter().map(|p| p.chars.len()).sum();
    if unmapped > 0 && unmapped * 20 > mapped {
        let mut fonts: Vec<String> = pages
            .iter()
            .flat_map(|p| p.unmapped_fonts.iter().cloned())
            .collect();
        fonts.sort();
        fonts.dedup();
        return Err(PdfError::NeedsOcr {
            fonts: fonts.join(", "),
            glyphs: unmapped,
        });
    }
    if mapped == 0 {
        // Say what was seen: a damaged content stream, images (a scan), or
        // nothing at all.
        if let Some((page, detail)) = pages
            .iter()
            .zip(1u32..)
            .find_map(|(p, n)| Some((n, p.unreadable.clone()?)))
        {
            return Err(PdfError::UnreadableContent { page, detail });
        }
        if pages.iter().any(|p| p.images > 0) {
            return Err(PdfError::NoText);
        }
        return Err(PdfError::NothingDrawn {
            pages: pages.len() as u32,
        });
    }
    let mut out = lattice::build(pages, max_cells)?;
    if unmapped > 0 {
        out.warnings.insert(
            0,
            Warning::in_file(
                crate::warning::WarningCode::DecodeErrors,
                format!(
                    "{unmapped} glyph(s) of the PDF have no Unicode character and were left out; \
                     check the text against the PDF"
                ),
            ),
        );
    }
    Ok(out)
}

#[cfg(feature = "pdf")]
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[cfg(feature = "pdf")]
/// Interprets one page.
fn page(
    doc: &Document,
    id: lopdf::ObjectId,
    budget: &mut Budget,
    fonts: &mut content::FontCache,
) -> Result<PageContent, PdfError> {
    let dict = doc.get_dictionary(id).map_err(|e| PdfError::Corrupt {
        detail: format!("page object {} {}: {e}", id.0, id.1),
    })?;
    let inherited = |key: &[u8]| inherited(doc, dict, key);
    let number_array = |o: &Object| -> Option<Vec<f64>> {
        let a = doc.dereference(o).ok()?.1.as_array().ok()?;
        let v: Vec<f64> = a
            .iter()
            .filter_map(|o| doc.dereference(o).ok()?.1.as_float().ok().map(f64::from))
            .collect();
        (v.len() == 4 && v.iter().all(|n| n.is_finite())).then_some(v)
    };
    let media = inherited(b"CropBox")
        .and_then(number_array)
        .or_else(|| inherited(b"MediaBox").and_then(number_array))
        .map(|v| Rect {
            x0: v[0].min(v[2]),
            y0: v[1].min(v[3]),
            x1: v[0].max(v[2]),
            y1: v[1].max(v[3]),
        })
        .unwrap_or(Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 595.0,
            y1: 842.0,
        });
    let rotate = inherited(b"Rotate")
        .and_then(|o| doc.dereference(o).ok()?.1.as_i64().ok())
        .unwrap_or(0);
    let empty = lopdf::Dictionary::new();
    let resources = inherited(b"Resources")
        .and_then(|o| doc.dereference(o).ok()?.1.as_dict().ok())
        .unwrap_or(&empty);
    // The streams of `/Contents` are one content, joined. Each is charged
    // as it is unpacked, every time it is named: a page naming one stream
    // 40 times costs 40 times, and what is joined stays within the budget.
    let mut content = Vec::new();
    let mut damaged = None;
    for stream_id in doc.get_page_contents(id) {
        let Ok(stream) = doc.get_object(stream_id).and_then(Object::as_stream) else {
            continue;
        };
        let Some(bytes) = budget.unpack(stream)? else {
            damaged.get_or_insert_with(|| {
                format!(
                    "its content stream (object {} {}) cannot be unpacked",
                    stream_id.0, stream_id.1
                )
            });
            continue;
        };
        // The first stream is the content as unpacked, not copied; later
        // ones are appended after a newline, the content grown to fit
        // exactly (not doubled): what is held stays near what was charged.
        if content.is_empty() {
            content = bytes;
        } else {
            content.reserve_exact(bytes.len() + 1);
            content.push(b'\n');
            content.extend_from_slice(&bytes);
        }
    }
    let mut out = Interpreter::new(doc, budget, fonts).page(&content, resources, media, rotate)?;
    if out.unreadable.is_none() {
        out.unreadable = damaged;
    }
    Ok(out)
}

#[cfg(feature = "pdf")]
/// Refuses a page tree that leads back into itself (a `/Pages` node among
/// its own descendants), which lopdf would walk until its iteration limit,
/// giving the same pages over and over.
fn page_tree_cycle(doc: &Document) -> Result<(), PdfError> {
    let Ok(root) = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    // Depth-first, with the nodes on the current path; every node is
    // entered once (a node reached twice but not on the path is left to
    // lopdf), so the walk is linear in the objects.
    let mut on_path = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(lopdf::ObjectId, usize)> = vec![(root, 0)];
    on_path.insert(root);
    seen.insert(root);
    while let Some((node, next)) = stack.last_mut() {
        let kids = doc
            .get_dictionary(*node)
            .and_then(|d| d.get_deref(b"Kids", doc))
            .and_then(Object::as_array)
            .map(|k| k.as_slice())
            .unwrap_or(&[]);
        let Some(kid) = kids.get(*next) else {
            let (done, _) = stack.pop().expect("not empty");
            on_path.remove(&done);
            continue;
        };
        *next += 1;
        let Ok(kid) = kid.as_reference() else {
            continue;
        };
        if on_path.contains(&kid) {
            return Err(PdfError::Corrupt {
                detail: format!(
                    "the page tree has a cycle: object {} {} is among its own pages",
                    kid.0, kid.1
                ),
            });
        }
        let is_node = doc
            .get_dictionary(kid)
            .and_then(lopdf::Dictionary::get_type)
            .is_ok_and(|t| t == b"Pages");
        if is_node && seen.insert(kid) && stack.len() < 256 {
            on_path.insert(kid);
            stack.push((kid, 0));
        }
    }
    Ok(())
}

#[cfg(feature = "pdf")]
/// A page attribute, looked up through the page tree as PDF inherits it.
fn inherited<'a>(doc: &'a Document, page: &'a lopdf::Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..32 {
        if let Ok(v) = dict.get(key) {
            return Some(v);
        }
        dict = doc
            .dereference(dict.get(b"Parent").ok()?)
            .ok()?
            .1
            .as_dict()
            .ok()?;
    }
    None
}

/// The reader on the synthetic fixtures, below the sheet parser: what each
/// page draws becomes these cells.
#[cfg(all(test, feature = "pdf"))]
mod fixture_tests {
    use super::read;

    fn fixture(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/pdf")
            .join(name)
    }

    #[test]
    fn forms_thin_rectangles_clipping_rotation_and_cid_fonts() {
        // See fixtures/pdf/make_synthetic.py for what each page draws.
        let bytes = std::fs::read(fixture("synthetic-features.pdf")).unwrap();
        let pdf = read(&bytes, &crate::Limits::default()).unwrap();
        let rows: Vec<Vec<String>> = pdf
            .grid
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.as_text().into_owned()).collect())
            .collect();
        assert_eq!(
            rows,
            [
                // A run crossed by a rule is two cells; the white line splits nothing.
                vec!["", "1", "効果"],
                // The clipped text is gone; the rotated text reads upwards.
                vec!["", "基本事業", "縦向き"],
                // Page 2 has /Rotate 90: read as displayed.
                vec!["", "回転", "表"],
                // Page 3: vertical writing, columns right to left.
                vec!["", "表", "縦書回転"],
            ]
        );
        assert_eq!(pdf.row_pages, [1, 1, 2, 3]);
        assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);

        let bytes = std::fs::read(fixture("synthetic-no-tounicode.pdf")).unwrap();
        let err = read(&bytes, &crate::Limits::default()).unwrap_err();
        assert!(err.to_string().contains("needs OCR"), "{err}");
    }
}
