//! Hostile PDFs and workbooks (issue 27): each one of the red team's shapes,
//! made here at test time (the big ones are a few megabytes packed, never
//! committed), fails alone with an error that names its budget, or reads
//! with a true message, and a batch of all of them beside a good PDF
//! exports the good one within a bounded peak memory.
//!
//! Work is bounded by counters, so no assertion here is about time.
//! `cargo test -p hyoka-cli --test hostile -- --ignored write_fuzz_seeds`
//! writes small versions of the same shapes into `fuzz/corpus/pdf/`.

mod support;

use hyoka::warning::WarningCode;
use std::io::Write;
use std::path::Path;
use support::root;

/// A PDF written object by object: object 1 is the catalog, 2 the page
/// tree, 3 a Helvetica font.
struct Pdf {
    objects: Vec<Vec<u8>>,
}

impl Pdf {
    fn new() -> Pdf {
        let mut pdf = Pdf {
            objects: Vec::new(),
        };
        pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        pdf.add(b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec());
        pdf.add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        );
        pdf
    }

    /// Adds an object; its number.
    fn add(&mut self, body: Vec<u8>) -> usize {
        self.objects.push(body);
        self.objects.len()
    }

    fn set(&mut self, id: usize, body: Vec<u8>) {
        self.objects[id - 1] = body;
    }

    /// A page drawing `contents` (an object reference or an array of
    /// them), with font `F1` (`font`, object 3 by default).
    fn page(&mut self, contents: &str, font: usize) -> usize {
        self.add(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} >>"
            )
            .into_bytes(),
        )
    }

    /// Sets the page tree to `pages`.
    fn pages(&mut self, pages: &[usize]) {
        let kids: Vec<String> = pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.set(
            2,
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                pages.len()
            )
            .into_bytes(),
        );
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            writeln!(out, "{} 0 obj", i + 1).unwrap();
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).unwrap();
        for o in offsets {
            writeln!(out, "{o:010} 00000 n ").unwrap();
        }
        write!(
            out,
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.objects.len() + 1
        )
        .unwrap();
        out
    }
}

/// A stream object of `data` packed with Flate, `extra` added to its
/// dictionary.
fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    packed(extra, deflate(&[(data, 1)]))
}

fn packed(extra: &str, packed: Vec<u8>) -> Vec<u8> {
    let mut out = format!(
        "<< /Length {} /Filter /FlateDecode {extra} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Each `(unit, times)` in turn, packed, without ever holding the unpacked
/// bytes: 120 MiB of content packs to some hundreds of kilobytes.
fn deflate(parts: &[(&[u8], usize)]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for &(unit, times) in parts {
        let per_chunk = (1 << 20) / unit.len().max(1) + 1;
        let chunk = unit.repeat(per_chunk.min(times));
        let mut left = times;
        while left > 0 {
            let n = left.min(per_chunk);
            z.write_all(&chunk[..n * unit.len()]).unwrap();
            left -= n;
        }
    }
    z.finish().unwrap()
}

/// A page whose `/Contents` names one stream of 120 MiB (unpacked) 40 times.
fn contents_named_40_times() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", deflate(&[(b" ", 120 << 20)])));
    let refs = vec![format!("{s} 0 R"); 40].join(" ");
    let p = pdf.page(&format!("[{refs}]"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// A content stream of 30 million one-byte operators (60 MB unpacked).
fn thirty_million_operators() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", deflate(&[(b"n\n", 30_000_000)])));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// A font whose ToUnicode map is `cmap`, and a page showing `glyphs` `A`s
/// in it in one string.
fn cmap_and_a_long_string(cmap: &[u8], glyphs: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let map = pdf.add(stream("", cmap));
    let font = pdf.add(
        format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
             /Encoding /WinAnsiEncoding /ToUnicode {map} 0 R >>"
        )
        .into_bytes(),
    );
    let content = deflate(&[
        (b"BT /F1 1 Tf 10 800 Td (", 1),
        (b"A", glyphs),
        (b") Tj ET\n", 1),
    ]);
    let s = pdf.add(packed("", content));
    let p = pdf.page(&format!("{s} 0 R"), font);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// A page showing `glyphs` `A`s all on one spot (no horizontal scaling), so
/// every one is kept: the characters kept, not the glyphs drawn, meet the
/// content budget.
fn glyphs_on_one_spot(glyphs: usize) -> Vec<u8> {
    let content = deflate(&[
        (b"BT /F1 9 Tf 0 Tz 100 700 Td (", 1),
        (b"A", glyphs),
        (b") Tj ET\n", 1),
    ]);
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", content));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// ~200,000 single-code `bfrange` entries, only the last for `A`.
fn cmap_of_200k_ranges(ranges: usize) -> Vec<u8> {
    let mut cmap = format!("{ranges} beginbfrange\n").into_bytes();
    for i in 0..ranges - 1 {
        let code = 0x100 + (i % 0xFE00);
        writeln!(cmap, "<{code:04X}><{code:04X}><0041>").unwrap();
    }
    cmap.extend_from_slice(b"<41><41><0041>\nendbfrange\n");
    cmap
}

/// ~200,000 two-byte codespace ranges that never match, then the one-byte
/// one that does.
fn cmap_of_200k_codespaces(ranges: usize) -> Vec<u8> {
    let mut cmap = format!("{ranges} begincodespacerange\n").into_bytes();
    for _ in 0..ranges - 1 {
        cmap.extend_from_slice(b"<FFFF><FFFF>\n");
    }
    cmap.extend_from_slice(b"<00><FF>\nendcodespacerange\n1 beginbfchar <41> <0041> endbfchar\n");
    cmap
}

/// 9,999 pages (under the page limit) all drawing the same content: a
/// ruled table of 200 cells with text.
fn pages_drawing_the_same_content(pages: usize) -> Vec<u8> {
    let mut content = Vec::new();
    for r in 0..20 {
        for c in 0..10 {
            let (x, y) = (30 + c * 50, 780 - r * 35);
            writeln!(
                content,
                "{x} {y} 50 0.5 re f {x} {y} 0.5 35 re f BT /F1 9 Tf {} {} Td (cell {r}-{c}) Tj ET",
                x + 3,
                y + 12
            )
            .unwrap();
        }
    }
    let mut pdf = Pdf::new();
    let s = pdf.add(stream("", &content));
    let ids: Vec<usize> = (0..pages)
        .map(|_| pdf.page(&format!("{s} 0 R"), 3))
        .collect();
    pdf.pages(&ids);
    pdf.bytes()
}

/// A page tree that leads back into itself.
fn page_tree_cycle() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(stream("", b"BT /F1 12 Tf 100 700 Td (text) Tj ET"));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    let node = pdf.add(b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>".to_vec());
    pdf.set(
        2,
        format!("<< /Type /Pages /Kids [{p} 0 R {node} 0 R] /Count 2 >>").into_bytes(),
    );
    pdf.bytes()
}

/// One page whose content is `content`.
fn one_page(content: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(stream("", content));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// An `.xlsx` with `cells` formula cells that have no computed value.
fn uncomputed_formulas(cells: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let part = |zip: &mut zip::ZipWriter<_>, name: &str, text: &str| {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        &mut zip,
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        &mut zip,
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        &mut zip,
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="施策" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        &mut zip,
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    )
    .unwrap();
    let columns = 1000;
    let mut row = String::new();
    for r in 0..cells.div_ceil(columns) {
        row.clear();
        row.push_str(&format!("<row r=\"{}\">", r + 1));
        for c in 0..columns.min(cells - r * columns) {
            // Formulas that differ, as a real sheet's do.
            row.push_str(&format!(
                "<c r=\"{}{}\"><f>B{}*{}</f></c>",
                column_name(c),
                r + 1,
                (r * 7 + c * 13) % 9973 + 1,
                (c * 31 + r) % 97
            ));
        }
        row.push_str("</row>");
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn column_name(mut c: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

fn pdf_error(bytes: &[u8]) -> String {
    match hyoka::read("hostile.pdf", bytes, &hyoka::Options::default()) {
        Ok(doc) => panic!("read: {} sheet(s)", doc.sheets.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_stream_named_40_times_is_charged_40_times() {
    let err = pdf_error(&contents_named_40_times());
    assert!(err.contains("--max-pdf-stream-bytes"), "{err}");
}

#[test]
fn thirty_million_operators_meet_the_operator_budget() {
    let err = pdf_error(&thirty_million_operators());
    assert!(
        err.contains("more than the limit of 20000000 operators")
            && err.contains("--max-pdf-operators"),
        "{err}"
    );
    // Raised past them, the same file reads to the end and says truly what
    // it holds: nothing.
    let mut options = hyoka::Options::default();
    options.limits.pdf.max_operators = 40_000_000;
    let err = hyoka::read("n.pdf", &thirty_million_operators(), &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no text and no image"), "{err}");
}

#[test]
fn hostile_cmaps_cost_a_binary_search_a_glyph() {
    // Two million glyphs through 200,000 ranges or codespaces: each glyph
    // is looked up in a few comparisons (binary search), and charged to the
    // operator budget. Most run off the page and are not kept.
    let mut small = hyoka::Options::default();
    small.limits.pdf.max_operators = 1_000_000;
    for cmap in [
        cmap_of_200k_ranges(199_000),
        cmap_of_200k_codespaces(199_000),
    ] {
        let bytes = cmap_and_a_long_string(&cmap, 2_000_000);
        let (pages, found) =
            hyoka::pdf_extraction_for_bench(&bytes, &hyoka::Options::default()).unwrap();
        assert_eq!(pages, 1);
        assert!((1000..2000).contains(&found), "{found}");
        let err = hyoka::read("cmap.pdf", &bytes, &small)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--max-pdf-operators"), "{err}");
    }
    // The same maps read a short string, the last entry giving `A`.
    for cmap in [
        cmap_of_200k_ranges(199_000),
        cmap_of_200k_codespaces(199_000),
    ] {
        let bytes = cmap_and_a_long_string(&cmap, 3);
        let (pages, found) =
            hyoka::pdf_extraction_for_bench(&bytes, &hyoka::Options::default()).unwrap();
        assert_eq!((pages, found), (1, 3));
    }
}

#[test]
fn characters_kept_meet_the_content_budget() {
    // Two million glyphs all kept (on one spot) cost 128 bytes each: the
    // content budget stops them near a million, some 120 MB.
    let err = pdf_error(&glyphs_on_one_spot(2_000_000));
    assert!(err.contains("--max-pdf-stream-bytes"), "{err}");
    let (_, found) =
        hyoka::pdf_extraction_for_bench(&glyphs_on_one_spot(100_000), &hyoka::Options::default())
            .unwrap();
    assert_eq!(found, 100_000);
}

#[test]
fn many_pages_drawing_the_same_content_meet_the_content_budget() {
    let bytes = pages_drawing_the_same_content(9_999);
    assert!(bytes.len() < 4 << 20, "{}", bytes.len());
    let err = pdf_error(&bytes);
    // Each page costs its stream and what it keeps (some 280 KB here): the
    // budget is met on page 472, whatever comes after.
    assert!(
        err.contains("content up to page 472 unpacks to more than the limit")
            && err.contains("--max-pdf-stream-bytes"),
        "{err}"
    );
    // Ten such pages are a fine table.
    let (pages, found) = hyoka::pdf_extraction_for_bench(
        &pages_drawing_the_same_content(10),
        &hyoka::Options::default(),
    )
    .unwrap();
    assert_eq!(pages, 10);
    assert!(found > 10 * 400, "{found}");
}

#[test]
fn errors_say_what_was_seen() {
    let err = pdf_error(&page_tree_cycle());
    assert!(err.contains("the page tree has a cycle"), "{err}");
    assert!(!err.contains("OCR"), "{err}");

    let err = pdf_error(&one_page(b"BT /F1 12 Tf 100 700 Td (unterminated"));
    assert!(
        err.contains("on page 1, its content cannot be parsed at byte 24"),
        "{err}"
    );
    assert!(!err.contains("OCR"), "{err}");

    let err = pdf_error(&one_page(b"0 0 m 10 10 l"));
    assert!(
        err.contains("no text and no image on any of its 1 page(s)"),
        "{err}"
    );
    assert!(!err.contains("OCR"), "{err}");

    // A stream whose Flate data is damaged.
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", b"x\x9c not deflate at all".to_vec()));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    let err = pdf_error(&pdf.bytes());
    assert!(
        err.contains("on page 1, its content stream (object 4 0) cannot be unpacked"),
        "{err}"
    );

    // An image and no text: a scan, which needs OCR.
    let err = pdf_error(&one_page(
        b"q 100 0 0 100 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q",
    ));
    assert!(err.contains("only images") && err.contains("OCR"), "{err}");
}

#[test]
fn two_million_uncomputed_formulas_are_one_warning() {
    let bytes = uncomputed_formulas(2_000_000);
    assert!(bytes.len() < 16 << 20, "{}", bytes.len());
    let doc = hyoka::read("formulas.xlsx", &bytes, &hyoka::Options::default()).unwrap();
    let all: Vec<_> = doc
        .warnings
        .iter()
        .chain(doc.sheets.iter().flat_map(|s| &s.warnings))
        .filter(|w| w.code == WarningCode::FormulaNotComputed)
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0]
            .message
            .contains("2000000 cells hold formulas that were never computed (施策!A1, 施策!B1,"),
        "{}",
        all[0].message
    );
}

/// Every shape above, as files in `dir`.
fn hostile_batch(dir: &Path) {
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("contents-40.pdf", contents_named_40_times()),
        ("operators-30m.pdf", thirty_million_operators()),
        (
            "cmap-ranges.pdf",
            cmap_and_a_long_string(&cmap_of_200k_ranges(199_000), 2_000_000),
        ),
        (
            "cmap-codespaces.pdf",
            cmap_and_a_long_string(&cmap_of_200k_codespaces(199_000), 2_000_000),
        ),
        ("pages-9999.pdf", pages_drawing_the_same_content(9_999)),
        ("cycle.pdf", page_tree_cycle()),
        ("unparseable.pdf", one_page(b"BT /F1 12 Tf (x")),
        ("formulas.xlsx", uncomputed_formulas(2_000_000)),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
#[ignore = "writes the fuzz corpus seeds; run by hand"]
fn write_fuzz_seeds() {
    // Small versions of the same shapes, for libFuzzer to mutate.
    let dir = root().join("fuzz/corpus/pdf");
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("hostile-contents-repeated", {
            let mut pdf = Pdf::new();
            let s = pdf.add(stream("", b"BT /F1 9 Tf 10 10 Td (a) Tj ET"));
            let p = pdf.page(&format!("[{s} 0 R {s} 0 R {s} 0 R {s} 0 R]"), 3);
            pdf.pages(&[p]);
            pdf.bytes()
        }),
        ("hostile-operators", one_page(&b"n\n".repeat(2000))),
        (
            "hostile-cmap-ranges",
            cmap_and_a_long_string(&cmap_of_200k_ranges(50), 20),
        ),
        (
            "hostile-cmap-codespaces",
            cmap_and_a_long_string(&cmap_of_200k_codespaces(50), 20),
        ),
        ("hostile-pages", pages_drawing_the_same_content(30)),
        ("hostile-page-tree-cycle", page_tree_cycle()),
        ("hostile-unparseable", one_page(b"BT /F1 12 Tf (x")),
        ("hostile-operands", one_page(&b"1 ".repeat(70_000))),
    ];
    for (name, bytes) in seeds {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
#[ignore = "writes the hostile batch into $HYOKA_HOSTILE_DIR; run by hand to measure"]
fn write_hostile_batch() {
    let dir = std::env::var("HYOKA_HOSTILE_DIR").expect("HYOKA_HOSTILE_DIR");
    std::fs::create_dir_all(&dir).unwrap();
    hostile_batch(Path::new(&dir));
    for n in [2_000_000, 900_000, 100_000] {
        std::fs::write(
            Path::new(&dir).join(format!("one-spot-{n}.pdf")),
            glyphs_on_one_spot(n),
        )
        .unwrap();
    }
}
