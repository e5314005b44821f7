//! Detection: what kind of input a file is, answered in one place.
//!
//! Three clues, in order: the name's extension says which family the user
//! meant (text export or workbook); the first bytes say what the file
//! really is (a zip package, a compound file, a PDF), so a renamed workbook
//! still reads and a workbook under a text name fails with advice; and for
//! text, once decoded, the content says which text form it is (tab- or
//! comma-separated export, or PDF-converter text). Readers get the answer
//! and never guess again.

use std::path::Path;

use crate::model::Format;
use crate::text::DecodeError;
use crate::workbook::{Book, WorkbookError};

/// What a file is, as far as choosing its reader goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A text export; the form is settled once the text is decoded (see
    /// [`text_form`]). Holds the format its name gives.
    Text(Format),
    /// A workbook, of the kind its bytes show.
    Workbook(Book),
    /// A PDF.
    Pdf,
}

/// Why a file's bytes do not fit the reader its name asks for.
#[derive(Debug)]
pub(crate) enum DetectError {
    NotText(DecodeError),
    Workbook(WorkbookError),
}

/// The format a path's extension names, if hyoka reads it.
pub(crate) fn format_of(path: &Path) -> Option<Format> {
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

/// Which reader the bytes need, given the format the file is named as.
pub(crate) fn kind(named: Format, bytes: &[u8]) -> Result<Kind, DetectError> {
    // A PDF is known by its signature whatever its name says; a file named
    // `.pdf` without one is left to the PDF reader to call damaged.
    if named == Format::Pdf || bytes.starts_with(b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    match named {
        Format::Xlsx | Format::Xlsm | Format::Xls | Format::Ods => sniff_workbook(bytes, named)
            .map(Kind::Workbook)
            .map_err(DetectError::Workbook),
        Format::Pdf => Ok(Kind::Pdf),
        Format::Text | Format::Tsv | Format::Csv => {
            // A byte-order mark settles it: no workbook or PDF starts with one.
            let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"];
            if !bom.iter().any(|b| bytes.starts_with(b))
                && let Some(error) = not_text(bytes)
            {
                return Err(DetectError::NotText(error));
            }
            Ok(Kind::Text(named))
        }
    }
}

/// File types that are not text, recognised by their first bytes.
fn not_text(bytes: &[u8]) -> Option<DecodeError> {
    let (what, advice) = if bytes.starts_with(b"PK\x03\x04") {
        (
            "a ZIP archive (an .xlsx or .ods workbook)",
            "give it its .xlsx/.xlsm/.ods extension, or save the worksheet as text",
        )
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        (
            "an OLE compound file (a legacy .xls workbook)",
            "give it its .xls extension, or save the worksheet as text",
        )
    } else if bytes.starts_with(b"%PDF-") {
        (
            "a PDF document",
            "convert it to text first, or import the workbook or text export it was made from",
        )
    } else {
        return None;
    };
    Some(DecodeError::Signature { what, advice })
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Which reader the bytes need, or why none can read them.
fn sniff_workbook(bytes: &[u8], named: Format) -> Result<Book, WorkbookError> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK\x05\x06") {
        if !has_zip_end(bytes) {
            return Err(WorkbookError::Truncated {
                format: named,
                size: bytes.len(),
            });
        }
        // An OpenDocument file starts with its uncompressed `mimetype` entry.
        let head = &bytes[..bytes.len().min(100)];
        let is_ods =
            find(head, b"mimetype").is_some() && find(head, b"opendocument.spreadsheet").is_some();
        return Ok(if is_ods {
            Book::Ods
        } else if named == Format::Xlsm {
            Book::Xlsm
        } else {
            Book::Xlsx
        });
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An encrypted .xlsx is a compound file holding an `EncryptedPackage`
        // stream (directory names are UTF-16LE).
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if find(bytes, &name).is_some() {
            return Err(WorkbookError::Password);
        }
        // The header and one sector: no workbook is smaller.
        if bytes.len() < 1024 {
            return Err(WorkbookError::Truncated {
                format: named,
                size: bytes.len(),
            });
        }
        return Ok(Book::Xls);
    }
    Err(WorkbookError::NotAWorkbook {
        format: named,
        found: describe_non_workbook(bytes),
    })
}

/// Whether a zip archive's end record is present (it is the last thing in
/// the file, so a cut-short file lacks it).
fn has_zip_end(bytes: &[u8]) -> bool {
    // The record is 22 bytes plus a comment of at most 65,535 bytes.
    let tail = &bytes[bytes.len().saturating_sub(22 + 65_535)..];
    tail.len() >= 22 && tail.windows(4).any(|w| w == b"PK\x05\x06")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn describe_non_workbook(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "it is empty".into();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<table") {
        "it is a web page (HTML) with a .xls-style name, as some systems export".into()
    } else if head.starts_with("<?xml") {
        "it is an XML file, not a workbook package".into()
    } else if head.starts_with("%pdf") {
        "it is a PDF".into()
    } else if bytes
        .iter()
        .take(512)
        .all(|&b| b >= 0x20 || b"\t\r\n".contains(&b))
    {
        "it is plain text".into()
    } else {
        "its content is not a zip package (.xlsx, .ods) or a compound file (.xls)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_decide_over_names() {
        assert!(matches!(
            kind(Format::Text, b"PK\x03\x04rest"),
            Err(DetectError::NotText(_))
        ));
        // A PDF is read as one whatever its name.
        assert_eq!(kind(Format::Csv, b"%PDF-1.7").unwrap(), Kind::Pdf);
        assert_eq!(kind(Format::Xlsx, b"%PDF-1.7").unwrap(), Kind::Pdf);
        assert_eq!(
            kind(Format::Text, b"\xEF\xBB\xBFPK").unwrap(),
            Kind::Text(Format::Text)
        );
        assert!(matches!(
            kind(Format::Xlsx, b"plain text"),
            Err(DetectError::Workbook(WorkbookError::NotAWorkbook { .. }))
        ));
    }

    #[test]
    fn non_workbooks_are_named() {
        let err = |bytes: &[u8]| sniff_workbook(bytes, Format::Xlsx).unwrap_err().to_string();
        assert!(err(b"").contains("it is empty"));
        assert!(err(b"<html><table>").contains("web page"));
        assert!(err("実績(件)\t769\n".as_bytes()).contains("plain text"));
        assert!(err(b"PK\x03\x04\x14\x00").contains("incomplete"));
        let mut encrypted = CFB_MAGIC.to_vec();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            sniff_workbook(&encrypted, Format::Xlsx),
            Err(WorkbookError::Password)
        );
    }

    #[test]
    fn workbooks_and_pdfs_under_text_names_are_named() {
        let err = not_text(b"PK\x03\x04\x14\x00\x06\x00").unwrap();
        assert!(err.to_string().contains(".xlsx or .ods workbook"), "{err}");
        let err = not_text(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00").unwrap();
        assert!(err.to_string().contains("legacy .xls"), "{err}");
        let err = not_text(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
        assert!(err.to_string().contains("a PDF document"), "{err}");
    }
}
