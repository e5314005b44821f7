//! Merged ranges of `.xlsx` worksheets without parsing the worksheet twice.
//!
//! calamine's `merge_cells_by_sheet_name` runs its XML parser over the whole
//! worksheet part again, every cell included, to reach the `<mergeCells>`
//! list at its end: as much work as reading the cells. Here the part
//! calamine read the cells from is unpacked once more and searched for
//! `<mergeCells>` as bytes, which costs the unpacking alone.
//!
//! Which part calamine read is not guessed from names: the workbook bytes
//! are handed to calamine through [`Tracked`], which notes where the zip
//! reader seeks, and the zip entry whose local header it sought is the one.
//! Whenever the answer is not certain (no entry found, a comment, CDATA or
//! processing instruction in the part, a `ref` that does not read), the
//! caller falls back to calamine, so the merges are calamine's in every
//! case.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex};

use calamine::Dimensions;

use super::xml::{attr, local, next_tag};

/// Workbook bytes that remember every position the reader seeks to.
///
/// Shared through a mutex rather than a `RefCell` so that calamine's cell
/// reader over them can run on a worker thread beside the part's scans.
pub(super) struct Tracked<'a> {
    inner: Cursor<&'a [u8]>,
    seeks: Arc<Mutex<Vec<u64>>>,
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Seek for Tracked<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.seeks.lock().expect("no panic while held").push(at);
        Ok(at)
    }
}

/// The workbook's zip entries by the position of their local header, to
/// find the one calamine opened.
pub(super) struct Parts<'a> {
    archive: Option<zip::ZipArchive<Cursor<&'a [u8]>>>,
    by_header: HashMap<u64, usize>,
    seeks: Arc<Mutex<Vec<u64>>>,
    /// The search window, kept from one worksheet to the next.
    pub(super) window: Vec<u8>,
    /// A small part unpacked whole (see [`Part::scan`]), kept likewise.
    pub(super) whole: Vec<u8>,
}

/// One worksheet part of the workbook, to unpack and scan on any thread.
pub(super) struct Part<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    index: usize,
}

impl<'a> Parts<'a> {
    /// The parts of a workbook, and its bytes for calamine.
    pub(super) fn new(bytes: &'a [u8]) -> (Parts<'a>, Tracked<'a>) {
        let seeks = Arc::new(Mutex::new(Vec::new()));
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok();
        let by_header = archive.as_ref().map_or_else(HashMap::new, |a| {
            (0..a.len())
                .filter_map(|i| Some((a.by_index_data(i).ok()?.header_start(), i)))
                .collect()
        });
        let tracked = Tracked {
            inner: Cursor::new(bytes),
            seeks: Arc::clone(&seeks),
        };
        (
            Parts {
                archive,
                by_header,
                seeks,
                window: Vec::new(),
                whole: Vec::new(),
            },
            tracked,
        )
    }

    /// Forgets the seeks so far: call before calamine opens a worksheet.
    pub(super) fn mark(&self) {
        self.seeks.lock().expect("no panic while held").clear();
    }

    /// The worksheet part calamine opened since [`Parts::mark`], or `None`
    /// when that is not certain.
    pub(super) fn opened(&self) -> Option<Part<'a>> {
        let index = self
            .seeks
            .lock()
            .expect("no panic while held")
            .iter()
            .find_map(|at| self.by_header.get(at).copied())?;
        Some(Part {
            archive: self.archive.clone()?,
            index,
        })
    }

    /// The merged ranges of the worksheet part calamine opened since
    /// [`Parts::mark`], or `None` when that is not certain.
    #[cfg(test)]
    pub(super) fn merges(&mut self) -> Option<Vec<Dimensions>> {
        self.opened()?.merges(&mut self.window)
    }
}

impl Part<'_> {
    /// Runs `read` on the part, unpacked.
    fn with<T>(&mut self, read: impl FnOnce(&mut dyn Read) -> Option<T>) -> Option<T> {
        let entry = self.archive.by_index(self.index).ok()?;
        let size = entry.size();
        read(&mut entry.take(size))
    }

    /// The part's merged ranges (as [`Part::merges`]) and, with
    /// `want_styles`, its styled cells (as [`Part::styled_cells`]). A part
    /// up to [`WHOLE`] bytes is unpacked once into `whole` for both; a
    /// bigger one is unpacked for each, a chunk at a time, so memory never
    /// holds a big part whole.
    pub(super) fn scan(
        &mut self,
        want_styles: bool,
        whole: &mut Vec<u8>,
        window: &mut Vec<u8>,
        visit: impl FnMut((u32, u32), usize),
    ) -> (Option<Vec<Dimensions>>, Option<()>) {
        let size = self
            .archive
            .by_index_data(self.index)
            .map_or(u64::MAX, |e| e.size());
        let small = size <= WHOLE;
        if !small || !want_styles {
            let merges = self.merges(window);
            let styles = want_styles
                .then(|| self.styled_cells(window, visit))
                .flatten();
            return (merges, styles);
        }
        whole.clear();
        whole.reserve(size as usize);
        if self.with(|part| part.read_to_end(whole).ok()).is_none() {
            return (None, None);
        }
        let merges = merge_ranges(&whole[..], window).ok().flatten();
        let styles = styled_cells(&whole[..], window, visit).ok().flatten();
        (merges, styles)
    }

    /// The part's merged ranges, or `None` when they are not certain (see
    /// [`merge_ranges`]). `window` is a buffer to use.
    pub(super) fn merges(&mut self, window: &mut Vec<u8>) -> Option<Vec<Dimensions>> {
        self.with(|part| merge_ranges(part, window).ok()?)
    }

    /// Visits the cells of the part that have a style, as (0-based
    /// position, style index), by a byte scan of the part (faster than a
    /// second XML parse, and holding nothing); `None` when the scan cannot
    /// be sure (a styled cell without `r`, markup calamine reads
    /// differently), and the caller asks calamine instead.
    pub(super) fn styled_cells(
        &mut self,
        window: &mut Vec<u8>,
        visit: impl FnMut((u32, u32), usize),
    ) -> Option<()> {
        self.with(|part| styled_cells(part, window, visit).ok()?)
    }
}

/// Visits the `<c r="…" s="…">` cells of a worksheet part (see
/// [`Parts::styled_cells`]).
fn styled_cells(
    mut part: impl Read,
    window: &mut Vec<u8>,
    mut visit: impl FnMut((u32, u32), usize),
) -> std::io::Result<Option<()>> {
    window.clear();
    let mut offset = 0usize;
    loop {
        let read = (&mut part).take(CHUNK as u64).read_to_end(window)?;
        if has_unparsed_markup(window, offset) {
            return Ok(None);
        }
        // Every `<` starts markup: XML allows none in text or in an
        // attribute value, and comments and CDATA were refused above. So
        // the tags are found by `memchr`, and only a cell's start tag is
        // read to its end.
        let mut pos = 0;
        let mut unfinished = None;
        while let Some(i) = memchr::memchr(b'<', &window[pos..]) {
            let start = pos + i;
            let name = &window[start + 1..];
            let Some(name_len) = name
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
            else {
                unfinished = Some(start);
                break;
            };
            pos = start + 1 + name_len;
            if local(&name[..name_len]) != b"c" {
                continue;
            }
            let Some((_, attrs, _, end)) = next_tag(window, start) else {
                unfinished = Some(start);
                break;
            };
            pos = end;
            let Some(style) = attr(attrs, b"s") else {
                continue;
            };
            let Some(style) = std::str::from_utf8(style).ok().and_then(|s| s.parse().ok()) else {
                return Ok(None);
            };
            let Some(at) = attr(attrs, b"r").and_then(position) else {
                return Ok(None);
            };
            visit(at, style);
        }
        // Keep only an unfinished tag; text between tags is dropped.
        let rest = unfinished.unwrap_or(window.len());
        window.drain(..rest);
        offset += rest;
        if read == 0 {
            return Ok(Some(()));
        }
    }
}

/// The largest part [`Part::scan`] unpacks whole, once for both scans.
const WHOLE: u64 = 4 << 20;

/// Bytes read at a time while looking for `<mergeCells>`.
const CHUNK: usize = 64 * 1024;

/// The merged ranges of a worksheet part read from `part`: `Ok(None)` when
/// they cannot be told without an XML parser. `window` is a buffer to use.
fn merge_ranges(
    mut part: impl Read,
    window: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<Dimensions>>> {
    // The part is searched a chunk at a time, keeping what might be the
    // start of a tag split between chunks.
    window.clear();
    let mut offset = 0usize; // of window[0] in the part
    loop {
        let read = (&mut part).take(CHUNK as u64).read_to_end(window)?;
        let at_end = read == 0;
        if has_unparsed_markup(window, offset) {
            return Ok(None);
        }
        match find_start(window, at_end) {
            Found::At(start) => {
                window.drain(..start);
                return read_list(part, window);
            }
            Found::Unsure => return Ok(None),
            Found::No if at_end => return Ok(Some(Vec::new())),
            Found::No => {}
        }
        // Keep the tail, where a tag may have been cut.
        let keep = window.len().saturating_sub(TAIL);
        window.drain(..keep);
        offset += keep;
    }
}

/// Bytes kept between chunks: a `<` and a namespace prefix before
/// `mergeCells`, and `mergeCells` itself.
const TAIL: usize = 256;

/// Markup calamine's parser reads differently from a byte search: a
/// comment, CDATA or a declaration (`<!`), or a processing instruction
/// (`<?`) after the XML declaration.
fn has_unparsed_markup(window: &[u8], offset: usize) -> bool {
    memchr::memmem::find(window, b"<!").is_some()
        || memchr::memmem::find_iter(window, b"<?").any(|p| offset + p > 3)
}

enum Found {
    At(usize),
    No,
    Unsure,
}

/// The `<` of the first `<mergeCells>` (or `<prefix:mergeCells>`) start
/// tag in `window`.
fn find_start(window: &[u8], at_end: bool) -> Found {
    const NAME: &[u8] = b"mergeCells";
    for hit in memchr::memmem::find_iter(window, NAME) {
        let after = hit + NAME.len();
        match window.get(after) {
            None if at_end => return Found::No,
            None => return Found::Unsure,
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') => {}
            Some(_) => continue,
        }
        // Back over a namespace prefix to the `<`.
        let mut p = hit;
        if p > 0 && window[p - 1] == b':' {
            p -= 1;
            while p > 0 && is_name_byte(window[p - 1]) {
                p -= 1;
            }
        }
        if p == 0 {
            // The `<` may be in what was dropped: only the first window
            // starts the part.
            return Found::Unsure;
        }
        if window[p - 1] == b'<' {
            return Found::At(p - 1);
        }
    }
    Found::No
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') || b >= 0x80
}

/// The `<mergeCell ref="…">` ranges from a `<mergeCells>` start tag at the
/// start of `window` up to its end tag, reading on from `part` a chunk at a
/// time (the window holds at most a chunk and an unfinished tag), as
/// calamine reads them; `None` when calamine would fail or the list does
/// not read plainly.
fn read_list(
    mut part: impl Read,
    window: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<Dimensions>>> {
    let mut out = Vec::new();
    let mut opened = false;
    loop {
        let mut pos = 0;
        while let Some((name, attrs, empty, end)) = next_tag(window, pos) {
            pos = end;
            if !opened {
                // The `<mergeCells>` tag itself.
                if empty {
                    return Ok(Some(out));
                }
                opened = true;
                continue;
            }
            if let Some(closing) = name.strip_prefix(b"/") {
                if local(closing) == b"mergeCells" {
                    return Ok(Some(out));
                }
                continue;
            }
            if name.starts_with(b"!") || name.starts_with(b"?") {
                return Ok(None);
            }
            if local(name) == b"mergeCell" {
                let Some(range) = attr(attrs, b"ref").and_then(dimension) else {
                    return Ok(None);
                };
                out.push(range);
            }
        }
        // Keep only an unfinished tag; text between tags is dropped.
        let rest = memchr::memchr(b'<', &window[pos..]).map_or(window.len(), |i| pos + i);
        window.drain(..rest);
        if (&mut part).take(CHUNK as u64).read_to_end(window)? == 0 {
            // The part ends inside the list: calamine fails.
            return Ok(None);
        }
    }
}

/// A range (`A1:B2`) or a cell (`A1`) as 0-based (row, column) corners,
/// read like calamine reads it; `None` where calamine fails.
fn dimension(range: &[u8]) -> Option<Dimensions> {
    let mut parts = range.split(|&b| b == b':');
    let start = position(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => position(p)?,
        None => start,
    };
    // calamine fails on three parts; a range running backwards is left to
    // calamine too.
    if parts.next().is_some() || end.0 < start.0 || end.1 < start.1 {
        return None;
    }
    Some(Dimensions { start, end })
}

/// A cell reference (`AB12`) as a 0-based (row, column).
fn position(cell: &[u8]) -> Option<(u32, u32)> {
    let letters = cell.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = cell.split_at(letters);
    if col.is_empty() || row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col.iter().try_fold(0u32, |n, &c| {
        n.checked_mul(26)?
            .checked_add(u32::from(c.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row = row.iter().try_fold(0u32, |n, &d| {
        n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Corners = ((u32, u32), (u32, u32));

    fn ranges(xml: &str) -> Option<Vec<Corners>> {
        merge_ranges(xml.as_bytes(), &mut Vec::new())
            .unwrap()
            .map(|v| v.into_iter().map(|d| (d.start, d.end)).collect())
    }

    #[test]
    fn merges_are_calamines_for_every_fixture_worksheet() {
        use calamine::{Reader, Xlsx};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/workbooks");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "xlsx" && e != "xlsm") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let (mut parts, tracked) = Parts::new(&bytes);
            let Ok(mut book) = Xlsx::new(tracked) else {
                continue;
            };
            let mut expected: Xlsx<_> = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
            for name in book.sheet_names() {
                parts.mark();
                {
                    let mut cells = book.worksheet_cells_reader(&name).unwrap();
                    while cells.next_cell().unwrap().is_some() {}
                }
                let found = parts.merges().expect("the part is found and read");
                let want = expected.merge_cells_by_sheet_name(&name).unwrap();
                assert_eq!(found, want, "{} {name}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 5, "only {checked} worksheets checked");
    }

    #[test]
    fn styled_cells_are_found_across_chunks() {
        // Enough cells to span several chunks, with a padding that moves
        // every tag across the chunk boundaries in turn.
        for pad in 0..12 {
            let mut xml = format!("<worksheet>{}<sheetData>", " ".repeat(pad));
            let mut want = Vec::new();
            for row in 0..3000u32 {
                let style = (row % 5) as usize;
                xml.push_str(&format!(
                    "<row r=\"{}\"><c r=\"A{}\" s=\"{style}\" t=\"s\"><v>{row}</v></c><c r=\"B{}\"><v>1</v></c></row>",
                    row + 1,
                    row + 1,
                    row + 1
                ));
                want.push(((row, 0), style));
            }
            xml.push_str("</sheetData></worksheet>");
            assert!(xml.len() > 2 * CHUNK);
            let mut found = Vec::new();
            let done = styled_cells(xml.as_bytes(), &mut Vec::new(), |at, s| found.push((at, s)));
            assert_eq!(done.unwrap(), Some(()));
            assert_eq!(found, want, "pad {pad}");
        }
    }

    #[test]
    fn styled_cells_are_found_by_a_byte_scan() {
        let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" s="3"><v>0.5</v></c><c r="B1" s="1"><v>2</v></c><c r="C1"><v>3</v></c></row><row r="2"><x:c r="AA2" s="3" t="n"><v>1</v></x:c></row></sheetData></worksheet>"#;
        let mut window = Vec::new();
        let scan = |xml: &str, window: &mut Vec<u8>| {
            let mut found = Vec::new();
            styled_cells(xml.as_bytes(), window, |at, s| found.push((at, s)))
                .unwrap()
                .map(|()| found)
        };
        assert_eq!(
            scan(xml, &mut window),
            Some(vec![((0, 0), 3), ((0, 1), 1), ((1, 26), 3)])
        );
        // A styled cell without a reference: the scan cannot place it.
        let implied = r#"<sheetData><row r="1"><c s="3"><v>1</v></c></row></sheetData>"#;
        assert_eq!(scan(implied, &mut window), None);
        // Across chunk boundaries, as the merged ranges are.
        let mut long = String::from("<worksheet><sheetData>");
        for r in 1..=20_000 {
            long.push_str(&format!(
                r#"<row r="{r}"><c r="B{r}" s="2"><v>1</v></c></row>"#
            ));
        }
        long.push_str("</sheetData></worksheet>");
        let found = scan(&long, &mut window).unwrap();
        assert_eq!(found.len(), 20_000);
        assert_eq!(found[19_999], ((19_999, 1), 2));
    }

    #[test]
    fn merges_are_read_after_the_cells() {
        let xml = r#"<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:C2"/><mergeCell ref="AA10"/></mergeCells></worksheet>"#;
        assert_eq!(
            ranges(xml),
            Some(vec![((0, 0), (1, 2)), ((9, 26), (9, 26))])
        );
        let prefixed = xml
            .replace("<mergeCell", "<x:mergeCell")
            .replace("</mergeCells", "</x:mergeCells");
        assert_eq!(ranges(&prefixed), ranges(xml));
        assert_eq!(ranges("<worksheet><sheetData/></worksheet>"), Some(vec![]));
        assert_eq!(ranges("<worksheet><mergeCells/></worksheet>"), Some(vec![]));
    }

    #[test]
    fn a_long_list_is_read_across_chunks() {
        let list: String = (1..=20_000)
            .map(|r| format!(r#"<mergeCell ref="A{r}:C{r}"/>"#))
            .collect();
        let xml = format!("<worksheet><sheetData/><mergeCells>{list}</mergeCells></worksheet>");
        let found = ranges(&xml).unwrap();
        assert_eq!(found.len(), 20_000);
        assert_eq!(found[19_999], ((19_999, 0), (19_999, 2)));
    }

    #[test]
    fn a_list_far_into_the_part_is_found_across_chunks() {
        let cells = r#"<c r="A1" t="inlineStr"><is><t>mergeCells</t></is></c>"#.repeat(5000);
        let xml = format!(
            r#"<worksheet><sheetData><row r="1">{cells}</row></sheetData><mergeCells><mergeCell ref="B2:B3"/></mergeCells></worksheet>"#
        );
        assert_eq!(ranges(&xml), Some(vec![((1, 1), (2, 1))]));
    }

    #[test]
    fn what_a_byte_search_cannot_tell_is_left_to_calamine() {
        let with = |tail: &str| format!("<worksheet><sheetData/>{tail}</worksheet>");
        assert_eq!(
            ranges(&with("<!-- <mergeCells> --><mergeCells></mergeCells>")),
            None
        );
        assert_eq!(ranges(&with("<?pi x?><mergeCells></mergeCells>")), None);
        assert_eq!(
            ranges(&with(
                r#"<mergeCells><mergeCell ref="A1:B2:C3"/></mergeCells>"#
            )),
            None
        );
        assert_eq!(
            ranges(&with(
                r#"<mergeCells><mergeCell ref="B2:A1"/></mergeCells>"#
            )),
            None
        );
        assert_eq!(
            ranges(&with(r#"<mergeCells><mergeCell ref="A0"/></mergeCells>"#)),
            None
        );
        assert_eq!(ranges(&with("<mergeCells><mergeCell ")), None);
    }
}
