//! The hostile inputs of issue 27, made at test time: each of the red
//! team's shapes (a stream named 40 times, 30 million operators, hostile
//! CMaps, 9,999 pages drawing one stream, a page-tree cycle, 2 million
//! uncomputed formulas). The library's tests read them one at a time; the
//! command's test imports them as one batch.

use std::io::Write;
use std::path::Path;

/// A PDF written object by object: object 1 is the catalog, 2 the page
/// tree, 3 a Helvetica font.
pub struct Pdf {
    objects: Vec<Vec<u8>>,
}

impl Pdf {
    pub fn new() -> Pdf {
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
    pub fn add(&mut self, body: Vec<u8>) -> usize {
        self.objects.push(body);
        self.objects.len()
    }

    pub fn set(&mut self, id: usize, body: Vec<u8>) {
        self.objects[id - 1] = body;
    }

    /// A page drawing `contents` (an object reference or an array of
    /// them), with font `F1` (`font`, object 3 by default).
    pub fn page(&mut self, contents: &str, font: usize) -> usize {
        self.add(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} >>"
            )
            .into_bytes(),
        )
    }

    /// Sets the page tree to `pages`.
    pub fn pages(&mut self, pages: &[usize]) {
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

    pub fn bytes(&self) -> Vec<u8> {
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
pub fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    packed(extra, deflate(&[(data, 1)]))
}

pub fn packed(extra: &str, packed: Vec<u8>) -> Vec<u8> {
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
pub fn deflate(parts: &[(&[u8], usize)]) -> Vec<u8> {
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
pub fn contents_named_40_times() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", deflate(&[(b" ", 120 << 20)])));
    let refs = vec![format!("{s} 0 R"); 40].join(" ");
    let p = pdf.page(&format!("[{refs}]"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// A content stream of 30 million one-byte operators (60 MB unpacked).
pub fn thirty_million_operators() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", deflate(&[(b"n\n", 30_000_000)])));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// A font whose ToUnicode map is `cmap`, and a page showing `glyphs` `A`s
/// in it in one string.
pub fn cmap_and_a_long_string(cmap: &[u8], glyphs: usize) -> Vec<u8> {
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
pub fn glyphs_on_one_spot(glyphs: usize) -> Vec<u8> {
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
pub fn cmap_of_200k_ranges(ranges: usize) -> Vec<u8> {
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
pub fn cmap_of_200k_codespaces(ranges: usize) -> Vec<u8> {
    let mut cmap = format!("{ranges} begincodespacerange\n").into_bytes();
    for _ in 0..ranges - 1 {
        cmap.extend_from_slice(b"<FFFF><FFFF>\n");
    }
    cmap.extend_from_slice(b"<00><FF>\nendcodespacerange\n1 beginbfchar <41> <0041> endbfchar\n");
    cmap
}

/// 9,999 pages (under the page limit) all drawing the same content: a
/// ruled table of 200 cells with text.
pub fn pages_drawing_the_same_content(pages: usize) -> Vec<u8> {
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
pub fn page_tree_cycle() -> Vec<u8> {
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
pub fn one_page(content: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let s = pdf.add(stream("", content));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    pdf.bytes()
}

/// An `.xlsx` with `cells` formula cells that have no computed value.
pub fn uncomputed_formulas(cells: usize) -> Vec<u8> {
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

pub fn column_name(mut c: usize) -> String {
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

/// Every shape above, as files in `dir`.
pub fn hostile_batch(dir: &Path) {
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
