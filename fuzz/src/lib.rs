//! Helpers shared by the fuzz targets.

pub mod zip_parts {
    //! Input layout: the first byte selects a template workbook (bit 0:
    //! `.xlsx` or `.ods`) and, with the bits above it, which part of it the
    //! rest of the input replaces.

    use std::io::{Cursor, Read, Write};

    use hyoka::model::Format;

    const XLSX: &[u8] = include_bytes!("../../fixtures/workbooks/odd-cells.xlsx");
    const ODS: &[u8] = include_bytes!("../../fixtures/workbooks/iga-2022-workbook.ods");

    /// The parts of a template, in archive order.
    pub fn parts(template: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(template)).expect("template zip");
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).expect("template entry");
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).expect("template entry reads");
                (f.name().expect("template name").into_owned(), bytes)
            })
            .collect()
    }

    /// The template a selector byte picks, with its format.
    pub fn template(selector: u8) -> (&'static [u8], Format) {
        if selector & 1 == 0 {
            (XLSX, Format::Xlsx)
        } else {
            (ODS, Format::Ods)
        }
    }

    /// Builds the workbook an input describes.
    pub fn build(data: &[u8]) -> Option<(Vec<u8>, Format)> {
        let (&selector, content) = data.split_first()?;
        let (template, format) = template(selector);
        let mut parts = parts(template);
        let n = parts.len();
        parts[(selector >> 1) as usize % n].1 = content.to_vec();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in parts {
            out.start_file(name, stored).ok()?;
            out.write_all(&bytes).ok()?;
        }
        Some((out.finish().ok()?.into_inner(), format))
    }

    /// Reads the workbook an input describes.
    pub fn run(data: &[u8]) {
        if let Some((bytes, format)) = build(data) {
            let _ = hyoka::read_as("fuzz", &bytes, format, &hyoka::Options::default());
        }
    }
}
