//! Checks of a workbook's container before calamine reads it.
//!
//! calamine trusts what a workbook declares about itself. A few
//! declarations make it allocate far more than the file holds, which no
//! `catch_unwind` can stop (a failed allocation aborts the process):
//!
//! - a zip part that unpacks to gigabytes (a zip bomb): the central
//!   directory's declared sizes are added up, and each large part's
//!   compression ratio checked, before anything is unpacked (the unpacker
//!   then stops at the declared size, so a part cannot lie its way past);
//! - `.xlsx` shared strings that announce more strings than their part has
//!   bytes (calamine reserves room for the announced count);
//! - `.ods` rows and cells repeated millions of times
//!   (`table:number-rows-repeated`, `table:number-columns-repeated`), which
//!   calamine expands into a rectangle of cells;
//! - `.xls` worksheets whose dimensions record or cell positions span
//!   billions of cells (calamine reserves, then fills, the rectangle).
//!
//! Each check mirrors how calamine holds cells, counting at least as many
//! as it would, and fails with the limit the user can raise.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use super::book::Book;
use super::error::WorkbookError;
use crate::model::Format;
use crate::options::Options;

/// Parts smaller than this unpacked are not checked for their compression
/// ratio: they cannot exhaust anything.
pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;

/// The largest row and column counts of a worksheet (Excel's).
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Checks a workbook of the given kind (as sniffed from its bytes).
pub fn check(bytes: &[u8], book: Book, options: &Options) -> Result<(), WorkbookError> {
    match book {
        Book::Xlsx | Book::Xlsm | Book::Ods => check_zip(bytes, book.format(), options),
        Book::Xls => super::xls_scan::check(bytes, options),
    }
}

fn check_zip(bytes: &[u8], kind: Format, options: &Options) -> Result<(), WorkbookError> {
    // An archive the zip reader cannot open is reported by calamine, which
    // reads it with the same reader.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut parts = Vec::with_capacity(archive.len().min(1024));
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if size > RATIO_FLOOR_BYTES && size / packed.max(1) >= options.max_compression_ratio {
            return Err(WorkbookError::CompressionRatio {
                format: kind,
                part: name,
                size,
                packed,
                limit: options.max_compression_ratio,
            });
        }
        parts.push((i, name, size));
    }
    if total > options.max_uncompressed_bytes {
        return Err(WorkbookError::Unpacked {
            format: kind,
            size: total,
            limit: options.max_uncompressed_bytes,
        });
    }
    // calamine finds the parts it reads by path, looked up ignoring case
    // (and `\\` as `/`): the shared strings at `{dir}sharedStrings.xml`, the
    // workbook's relationships at `{dir}_rels/{name}.rels` and the workbook
    // at `{dir}{name}`, read only when its relationships exist. So the parts
    // worth looking into are found by name, without unpacking the others.
    let workbooks = if kind == Format::Ods {
        HashSet::new()
    } else {
        package_workbooks(&mut archive, &parts)
            .unwrap_or_else(|| workbook_candidates(parts.iter().map(|(_, name, _)| name.as_str())))
    };
    for (i, name, size) in parts {
        let lower = normalized(&name);
        let corrupt = |detail: String| WorkbookError::Corrupt {
            format: kind,
            detail,
        };
        if kind == Format::Ods {
            if lower != "content.xml" {
                continue;
            }
            let Some(xml) = unpack(&mut archive, i, size) else {
                continue;
            };
            if let Some((table, cells)) = ods_overflow(&xml, options.text.max_cells) {
                return Err(WorkbookError::TooManyCells {
                    worksheet: table,
                    found: cells,
                    limit: options.text.max_cells,
                });
            }
            continue;
        }
        if lower.ends_with("sharedstrings.xml") {
            // calamine reserves room for the count on the first `<sst>`,
            // which is at the start of any real part.
            let Some(head) = unpack(&mut archive, i, HEAD_BYTES) else {
                continue;
            };
            let count = match shared_string_count(&head) {
                Some(count) => Some(count),
                None if size > HEAD_BYTES => {
                    unpack(&mut archive, i, size).and_then(|xml| shared_string_count(&xml))
                }
                None => None,
            };
            if let Some(count) = count
                && count > size
            {
                return Err(corrupt(format!(
                    "its shared strings (`{name}`) announce {count} strings in {size} bytes"
                )));
            }
        }
        // A worksheet part read once per sheet that names it: a workbook
        // listing one part thousands of times would be read thousands of
        // times over.
        if workbooks.contains(&lower) {
            let Some(xml) = unpack(&mut archive, i, size) else {
                continue;
            };
            if let Some(id) = repeated_sheet_relationship(&xml) {
                return Err(corrupt(format!(
                    "its workbook part `{name}` lists more than one worksheet under \
                     relationship `{id}`"
                )));
            }
        }
        if lower.ends_with(".rels") {
            let Some(xml) = unpack(&mut archive, i, size) else {
                continue;
            };
            if let Some(target) = repeated_worksheet_target(&xml) {
                return Err(corrupt(format!(
                    "`{name}` points more than one worksheet at part `{target}`"
                )));
            }
        }
    }
    Ok(())
}

/// How much of the shared strings part is unpacked first to find `<sst>`.
const HEAD_BYTES: u64 = 4096;

/// A part name as calamine's lookup compares it: lower case, `\\` as `/`.
fn normalized(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// The (normalized) name of the part calamine reads as the workbook: the
/// target of the package's `officeDocument` relationship in `_rels/.rels`
/// (every such target, should there be several). `None` when that part
/// does not read plainly as bytes (missing, a comment, CDATA, a processing
/// instruction, an escaped target): then every part that has
/// relationships is a candidate ([`workbook_candidates`]). Without this,
/// a worksheet with relationships of its own (a drawing) would be unpacked
/// whole once more for nothing.
fn package_workbooks(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    parts: &[(usize, String, u64)],
) -> Option<HashSet<String>> {
    let &(i, _, size) = parts
        .iter()
        .find(|(_, name, _)| normalized(name) == "_rels/.rels")?;
    let xml = unpack(archive, i, size)?;
    if memchr::memmem::find(&xml, b"<!").is_some()
        || memchr::memmem::find_iter(&xml, b"<?").any(|p| p > 0)
    {
        return None;
    }
    let mut out = HashSet::new();
    let mut pos = 0;
    while let Some((name, attrs, _, end)) = next_tag(&xml, pos) {
        pos = end;
        if name.starts_with(b"/") || local(name) != b"Relationship" {
            continue;
        }
        let is_document = attributes(attrs)
            .any(|(n, v)| n == b"Type" && v.ends_with(b"/relationships/officeDocument"));
        if !is_document {
            continue;
        }
        for (_, target) in attributes(attrs).filter(|(n, _)| *n == b"Target") {
            let target = std::str::from_utf8(target)
                .ok()
                .filter(|t| !t.contains('&'))?;
            // As calamine splits it: the folder (without a leading `/`)
            // and the name, `workbook.xml` when there is none.
            let (dir, name) = match target.rfind('/') {
                Some(at) => target.split_at(at + 1),
                None => ("", target),
            };
            let dir = dir.strip_prefix('/').unwrap_or(dir);
            let name = if name.is_empty() {
                "workbook.xml"
            } else {
                name
            };
            out.insert(normalized(&format!("{dir}{name}")));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The (normalized) names of the parts calamine may read as the workbook:
/// for every relationships part `{dir}_rels/{name}.rels`, the part
/// `{dir}{name}`. Every `_rels/` in the name is tried, so the set holds the
/// one calamine would use whatever its directory is called.
fn workbook_candidates<'a>(names: impl Iterator<Item = &'a str>) -> HashSet<String> {
    let mut out = HashSet::new();
    for name in names {
        let lower = normalized(name);
        let Some(stem) = lower.strip_suffix(".rels") else {
            continue;
        };
        for (at, _) in stem.match_indices("_rels/") {
            out.insert(format!("{}{}", &stem[..at], &stem[at + "_rels/".len()..]));
        }
    }
    out
}

/// An OpenDocument file's `content.xml`, unpacked (within the unpacked
/// size limit the container check applies).
pub(super) fn ods_content(bytes: &[u8], options: &Options) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let i = (0..archive.len()).find(|&i| {
        archive
            .by_index_data(i)
            .ok()
            .and_then(|e| e.name().ok().map(|n| normalized(&n) == "content.xml"))
            .unwrap_or(false)
    })?;
    unpack(&mut archive, i, options.max_uncompressed_bytes)
}

/// The first `limit` bytes of a part, unpacked; `None` when it does not
/// unpack (calamine will say why).
fn unpack(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize, limit: u64) -> Option<Vec<u8>> {
    let entry = archive.by_index(i).ok()?;
    let mut out = Vec::new();
    entry.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A name without its namespace prefix.
pub(super) fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// The `uniqueCount` (or else `count`) of the first `<sst>` element of a
/// part (calamine skips whatever comes before it).
fn shared_string_count(xml: &[u8]) -> Option<u64> {
    let mut pos = 0;
    while let Some((name, attrs, _, end)) = next_tag(xml, pos) {
        pos = end;
        if name.starts_with(b"/") || local(name) != b"sst" {
            continue;
        }
        let value = attr(attrs, b"uniqueCount").or_else(|| attr(attrs, b"count"))?;
        return Some(parse_count(value));
    }
    None
}

/// A relationship id (`r:id`) that more than one `<sheet>` of a workbook
/// part names.
fn repeated_sheet_relationship(xml: &[u8]) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let mut pos = 0;
    while let Some((name, attrs, _, end)) = next_tag(xml, pos) {
        pos = end;
        if name.starts_with(b"/") || local(name) != b"sheet" {
            continue;
        }
        // calamine matches the attribute on its local name, `id`.
        if let Some((_, id)) = attributes(attrs).find(|(n, _)| local(n) == b"id")
            && !seen.insert(id)
        {
            return Some(String::from_utf8_lossy(id).into_owned());
        }
    }
    None
}

/// A part that more than one worksheet relationship of a relationships part
/// points at (targets compared without `/`, `xl/` and `./` prefixes, and
/// ignoring case, as zip readers find them).
fn repeated_worksheet_target(xml: &[u8]) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let mut pos = 0;
    while let Some((name, attrs, _, end)) = next_tag(xml, pos) {
        pos = end;
        if name.starts_with(b"/") || local(name) != b"Relationship" {
            continue;
        }
        let is_worksheet = attr(attrs, b"Type").is_some_and(|t| t.ends_with(b"/worksheet"));
        let Some(target) = attr(attrs, b"Target").filter(|_| is_worksheet) else {
            continue;
        };
        let mut t = target.to_ascii_lowercase();
        loop {
            let before = t.len();
            for prefix in [&b"/"[..], b"./", b"xl/"] {
                if t.starts_with(prefix) {
                    t.drain(..prefix.len());
                }
            }
            if t.len() == before {
                break;
            }
        }
        if !seen.insert(t) {
            return Some(String::from_utf8_lossy(target).into_owned());
        }
    }
    None
}

/// A decimal count as calamine would read it, saturating. Text that is not
/// a number reads as 0 (calamine ignores it or fails on it), unless it holds
/// a character reference (`&#57;`), which calamine may decode: then it
/// counts as the largest number, to be safe.
fn parse_count(value: &[u8]) -> u64 {
    if value.contains(&b'&') {
        return u64::MAX;
    }
    let value = value.strip_prefix(b"+").unwrap_or(value);
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    value.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// One tag of XML from `pos`: its name, its attribute text, whether it
/// closes itself, and the position after it. Comments, CDATA and
/// processing instructions come out as tags named `!…` or `?…`.
pub(super) fn next_tag(xml: &[u8], pos: usize) -> Option<(&[u8], &[u8], bool, usize)> {
    let start = pos + xml.get(pos..)?.iter().position(|&b| b == b'<')?;
    let mut quote = None;
    let mut end = None;
    for (k, &b) in xml[start + 1..].iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                end = Some(start + 1 + k);
                break;
            }
            (None, _) => {}
        }
    }
    let end = end?;
    let inner = &xml[start + 1..end];
    let self_closing = inner.ends_with(b"/");
    let slash = usize::from(inner.starts_with(b"/"));
    let name_len = slash
        + inner[slash..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/')
            .unwrap_or(inner.len() - slash);
    Some((
        &inner[..name_len],
        &inner[name_len..],
        self_closing,
        end + 1,
    ))
}

/// The attributes in a tag's attribute text, as (name, raw value) pairs,
/// up to the first that is not well formed.
fn attributes(text: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let eq = rest.iter().position(|&b| b == b'=')?;
        let name = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let (&q, value) = after.split_first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let len = value.iter().position(|&b| b == q)?;
        rest = &value[len + 1..];
        Some((name, &value[..len]))
    })
}

/// The value of attribute `name` in a tag's attribute text.
pub(super) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attributes(attrs).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Counts, for each table of an OpenDocument `content.xml`, the cells
/// calamine would hold, and returns the first table (by name) over `limit`
/// with its count.
///
/// calamine keeps each row up to its last non-empty cell, repeated cells
/// expanded (at most 16,384 columns), and then expands repeated rows
/// between the first and last non-empty row into a rectangle as wide as the
/// widest row. A cell is counted as non-empty when it has a value type, a
/// formula or any content; only empty self-closed cells (what LibreOffice
/// writes for the unused rest of a sheet) are not.
pub fn ods_overflow(xml: &[u8], limit: usize) -> Option<(String, u64)> {
    #[derive(Default)]
    struct Table {
        name: String,
        stored: u64,
        width: u64,
        rows: u64,
        first: Option<u64>,
        span_end: u64,
    }
    impl Table {
        fn cells(&self) -> u64 {
            let span = self.first.map_or(0, |f| self.span_end.saturating_sub(f));
            self.stored.max(span.saturating_mul(self.width))
        }
    }
    let limit = limit as u64;
    let mut depth = 0usize;
    let mut table = Table::default();
    // The current row: its repeat count, columns so far, columns up to its
    // last non-empty cell.
    let mut row: Option<(u64, u64, u64)> = None;
    let mut pos = 0;
    while let Some((name, attrs, self_closing, end)) = next_tag(xml, pos) {
        pos = end;
        let (closing, name) = match name.strip_prefix(b"/") {
            Some(n) => (true, n),
            None => (false, name),
        };
        let mut end_row = false;
        match (closing, name) {
            (false, b"table:table") if !self_closing => {
                depth += 1;
                if depth == 1 {
                    table = Table {
                        name: attr(attrs, b"table:name")
                            .map(|n| String::from_utf8_lossy(n).into_owned())
                            .unwrap_or_default(),
                        ..Table::default()
                    };
                }
            }
            (true, b"table:table") => {
                if depth == 1 && table.cells() > limit {
                    let cells = table.cells();
                    return Some((table.name, cells));
                }
                depth = depth.saturating_sub(1);
            }
            (false, b"table:table-row") if depth == 1 => {
                let repeats = attr(attrs, b"table:number-rows-repeated").map_or(1, parse_count);
                row = Some((repeats, 0, 0));
                end_row = self_closing;
            }
            (true, b"table:table-row") if depth == 1 => end_row = true,
            (false, b"table:table-cell" | b"table:covered-table-cell") if depth == 1 => {
                if let Some((_, columns, last)) = &mut row {
                    let repeats =
                        attr(attrs, b"table:number-columns-repeated").map_or(1, parse_count);
                    *columns = columns.saturating_add(repeats).min(MAX_COLUMNS);
                    let non_empty = !self_closing
                        || attr(attrs, b"office:value-type").is_some()
                        || attr(attrs, b"table:formula").is_some();
                    if non_empty {
                        *last = *columns;
                    }
                }
            }
            _ => {}
        }
        if end_row && let Some((repeats, _, last)) = row.take() {
            let repeats = repeats.min(MAX_ROWS - table.rows.min(MAX_ROWS));
            table.stored = table.stored.saturating_add(last);
            if last > 0 {
                table.width = table.width.max(last);
                table.first.get_or_insert(table.rows);
                table.span_end = table.rows + repeats;
            }
            table.rows += repeats;
            if table.stored > limit {
                return Some((table.name, table.stored));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ods(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet><table:table table:name="施策1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn ods_cells_are_counted_as_calamine_holds_them() {
        let cell = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let empty_tail = r#"<table:table-cell table:number-columns-repeated="1020"/>"#;
        // LibreOffice's padding of a sheet: empty rows and cells to the end.
        let padding = format!(
            r#"<table:table-row table:number-rows-repeated="1048000">{empty_tail}</table:table-row>"#
        );
        let xml = ods(&format!(
            "<table:table-row>{cell}{cell}{empty_tail}</table:table-row>{padding}"
        ));
        assert_eq!(ods_overflow(xml.as_bytes(), 1), Some(("施策1".into(), 2)));
        assert_eq!(ods_overflow(xml.as_bytes(), 2), None);
        // A value repeated across every column of a million rows.
        let wide = r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>"#;
        let xml = ods(&format!(
            r#"<table:table-row table:number-rows-repeated="1000000">{wide}</table:table-row>"#
        ));
        assert_eq!(
            ods_overflow(xml.as_bytes(), 2_000_000),
            Some(("施策1".into(), 16_384_000_000))
        );
        // Empty rows between two values are expanded to the widest row.
        let xml = ods(&format!(
            r#"<table:table-row>{cell}{cell}{cell}</table:table-row><table:table-row table:number-rows-repeated="5000"><table:table-cell/></table:table-row><table:table-row>{cell}</table:table-row>"#
        ));
        assert_eq!(
            ods_overflow(xml.as_bytes(), 10_000),
            Some(("施策1".into(), 15_006))
        );
    }

    #[test]
    fn shared_string_counts_are_read() {
        let head = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="12" uniqueCount="9"><si>"#;
        assert_eq!(shared_string_count(head), Some(9));
        assert_eq!(
            shared_string_count(br#"<x:sst uniqueCount='99999999999999999999999'>"#),
            Some(u64::MAX)
        );
        // calamine reads the first `<sst>` wherever it is.
        assert_eq!(
            shared_string_count(br#"<worksheet><sst uniqueCount="9">"#),
            Some(9)
        );
        assert_eq!(shared_string_count(br#"<worksheet><si>"#), None);
    }

    #[test]
    fn workbook_parts_are_found_from_their_relationships() {
        let names = [
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/workbook.xml",
            "xl/worksheets/_rels/sheet1.xml.rels",
            "Book/_RELS/Main.BIN.rels",
            "a\\_rels\\b.rels",
        ];
        let found = workbook_candidates(names.into_iter());
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        assert_eq!(
            found,
            [
                "",
                "a/b",
                "book/main.bin",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml"
            ]
        );
    }

    #[test]
    fn worksheet_parts_named_twice_are_found() {
        let workbook = br#"<workbook xmlns:r="x"><sheets><sheet name="a" sheetId="1" r:id="rId1"/><sheet name="b" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
        assert_eq!(repeated_sheet_relationship(workbook), None);
        let twice = br#"<workbook><sheets><sheet name="a" r:id="rId1"/><sheet name="b" sheetId="1" x:id="rId1"/></sheets></workbook>"#;
        assert_eq!(repeated_sheet_relationship(twice), Some("rId1".into()));
        let ws = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
        let rels = format!(
            r#"<Relationships><Relationship Id="rId1" Type="{ws}" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ws}" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="x/styles" Target="worksheets/sheet1.xml"/></Relationships>"#
        );
        assert_eq!(repeated_worksheet_target(rels.as_bytes()), None);
        let rels = rels.replace(
            "Target=\"worksheets/sheet2.xml\"",
            "Target=\"/xl/Worksheets/Sheet1.xml\"",
        );
        assert_eq!(
            repeated_worksheet_target(rels.as_bytes()),
            Some("/xl/Worksheets/Sheet1.xml".into())
        );
    }

    #[test]
    fn tags_and_attributes() {
        let xml = br#"<a b="x>y c=2" c='1'/></a >"#;
        let (name, attrs, closes, end) = next_tag(xml, 0).unwrap();
        assert_eq!((name, closes), (&b"a"[..], true));
        assert_eq!(attr(attrs, b"b"), Some(&b"x>y c=2"[..]));
        assert_eq!(attr(attrs, b"c"), Some(&b"1"[..]));
        let (name, _, _, _) = next_tag(xml, end).unwrap();
        assert_eq!(name, b"/a");
    }
}
