//! The tables as one Excel workbook (`--xlsx`: `DIR/tables.xlsx`): one
//! worksheet per table, the header row in the chosen language, numbers as
//! numbers and every text (codes, IDs, municipality codes such as
//! `011002`) as text, so leading zeros stay and nothing is ever a formula.
//!
//! The workbook is written here, not by a spreadsheet library: a few XML
//! parts in a zip (Office Open XML, SpreadsheetML, text as inline
//! strings), with fixed timestamps, so the same tables give a
//! byte-identical file.

use std::io::Write;

use super::tables::{FieldType, Headers, TABLES, TableDef, Value};

/// The workbook's file name in the output folder.
pub const FILE: &str = "tables.xlsx";

/// The most rows a worksheet holds (the header row included).
pub const MAX_ROWS: u32 = 1_048_576;

/// The longest text a cell holds, in UTF-16 code units.
pub const MAX_CELL_CHARS: usize = 32_767;

/// A worksheet's name: the table's Japanese title under Japanese headers,
/// its name otherwise (at most 31 characters, none of `[]:*?/\`).
pub fn sheet_name(table: &TableDef, headers: Headers) -> &'static str {
    match headers {
        Headers::Ja => table.title,
        Headers::En => table.name,
    }
}

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XlsxError {
    /// A table has more rows than a worksheet holds.
    TooManyRows {
        /// The table.
        table: &'static str,
    },
}

impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XlsxError::TooManyRows { table } => match crate::i18n::lang() {
                crate::i18n::Lang::En => write!(
                    f,
                    "{FILE}: table {table} has more rows than a worksheet holds ({}); publish the CSV (--csv) instead",
                    MAX_ROWS - 1
                ),
                crate::i18n::Lang::Ja => write!(
                    f,
                    "{FILE}: 表 {table} の行数がワークシートに入る行数({})を超えています。CSV(--csv)で公開してください",
                    MAX_ROWS - 1
                ),
            },
        }
    }
}

/// The worksheets' rows as they grow.
#[derive(Debug)]
pub struct Workbook {
    headers: Headers,
    /// One `<sheetData>` body per table of [`TABLES`].
    sheets: Vec<Vec<u8>>,
    /// Rows written per table, the header row included.
    rows: Vec<u32>,
}

impl Workbook {
    /// A workbook with the header row of every table.
    pub fn new(headers: Headers) -> Workbook {
        let mut sheets = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let mut xml = Vec::new();
            xml.extend_from_slice(b"<row r=\"1\">");
            for (col, field) in table.all_fields().enumerate() {
                text_cell(&mut xml, &cell_ref(col, 1), headers.name(field), true);
            }
            xml.extend_from_slice(b"</row>");
            sheets.push(xml);
        }
        Workbook {
            headers,
            rows: vec![1; TABLES.len()],
            sheets,
        }
    }

    /// Appends rows to each table (in the order of [`TABLES`]), a cell per
    /// field of the table.
    pub fn append(&mut self, tables: Vec<Vec<Vec<Value>>>) -> Result<(), XlsxError> {
        for (i, rows) in tables.into_iter().enumerate() {
            let table = TABLES[i];
            let fields: Vec<_> = table.all_fields().collect();
            for row in rows {
                if self.rows[i] >= MAX_ROWS {
                    return Err(XlsxError::TooManyRows { table: table.name });
                }
                self.rows[i] += 1;
                let r = self.rows[i];
                let xml = &mut self.sheets[i];
                xml.extend_from_slice(format!("<row r=\"{r}\">").as_bytes());
                for (col, (value, field)) in row.iter().zip(&fields).enumerate() {
                    let at = cell_ref(col, r);
                    match (value, field.kind) {
                        (Value::Null, _) => {}
                        (Value::Int(n), FieldType::Integer | FieldType::Number) => {
                            number_cell(xml, &at, &n.to_string());
                        }
                        (Value::Num(n), FieldType::Integer | FieldType::Number) => {
                            number_cell(xml, &at, &n.to_string());
                        }
                        (Value::Bool(b), FieldType::Boolean) => {
                            let v = if *b { "1" } else { "0" };
                            xml.extend_from_slice(
                                format!("<c r=\"{at}\" t=\"b\"><v>{v}</v></c>").as_bytes(),
                            );
                        }
                        // Text, and anything a string field holds: text.
                        (other, _) => text_cell(xml, &at, &other.render(), false),
                    }
                }
                xml.extend_from_slice(b"</row>");
            }
        }
        Ok(())
    }

    /// The workbook file: a zip with fixed timestamps.
    pub fn finish(self) -> Vec<u8> {
        let n = TABLES.len();
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), content_types(n).into_bytes()),
            ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
            ("xl/workbook.xml".into(), self.workbook_xml().into_bytes()),
            (
                "xl/_rels/workbook.xml.rels".into(),
                workbook_rels(n).into_bytes(),
            ),
            ("xl/styles.xml".into(), STYLES.as_bytes().to_vec()),
        ];
        for (i, data) in self.sheets.into_iter().enumerate() {
            let mut xml = Vec::with_capacity(data.len() + 512);
            xml.extend_from_slice(XML_DECLARATION.as_bytes());
            xml.extend_from_slice(
                b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                  <sheetViews><sheetView workbookViewId=\"0\">\
                  <pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
                  </sheetView></sheetViews><sheetData>",
            );
            xml.extend_from_slice(&data);
            xml.extend_from_slice(b"</sheetData></worksheet>");
            parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml));
        }
        zip_parts(&parts)
    }

    fn workbook_xml(&self) -> String {
        let mut xml = String::from(XML_DECLARATION);
        xml.push_str(
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
             <bookViews><workbookView/></bookViews><sheets>",
        );
        for (i, table) in TABLES.iter().enumerate() {
            xml.push_str(&format!(
                "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
                escape(sheet_name(table, self.headers)),
                i + 1,
                i + 1
            ));
        }
        xml.push_str("</sheets></workbook>");
        xml
    }
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

/// One font (and a bold one for the header row), the fills and border
/// every stylesheet needs, and two cell formats: 0 plain, 1 the header.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

fn content_types(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    for i in 1..=sheets {
        xml.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    xml.push_str("</Types>");
    xml
}

fn workbook_rels(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets {
        xml.push_str(&format!(
            "<Relationship Id=\"rId{i}\" \
             Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
             Target=\"worksheets/sheet{i}.xml\"/>"
        ));
    }
    xml.push_str(&format!(
        "<Relationship Id=\"rId{}\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" \
         Target=\"styles.xml\"/></Relationships>",
        sheets + 1
    ));
    xml
}

/// The zip of `parts`, in order, deflated, every entry dated 1980-01-01
/// 00:00 with the same permissions: the same parts give the same bytes.
fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)
            .expect("writing a zip to memory");
        zip.write_all(bytes).expect("writing a zip to memory");
    }
    zip.finish().expect("writing a zip to memory").into_inner()
}

/// `A1`-style reference of a 0-based column and a 1-based row.
fn cell_ref(col: usize, row: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8(letters).expect("ASCII"))
}

fn number_cell(xml: &mut Vec<u8>, at: &str, number: &str) {
    xml.extend_from_slice(format!("<c r=\"{at}\"><v>{number}</v></c>").as_bytes());
}

/// A text cell as an inline string: never a formula, whatever it begins
/// with (`=`, `+`, `-`, `@`), and kept exactly (no apostrophe added).
fn text_cell(xml: &mut Vec<u8>, at: &str, text: &str, header: bool) {
    let style = if header { " s=\"1\"" } else { "" };
    xml.extend_from_slice(
        format!(
            "<c r=\"{at}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            escape(&fit(text))
        )
        .as_bytes(),
    );
}

/// At most [`MAX_CELL_CHARS`] UTF-16 code units, as a cell holds.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS {
            return text[..i].to_owned().into();
        }
    }
    text.into()
}

/// Text as XML character data: markup escaped, and the characters XML 1.0
/// cannot hold (control characters other than tab and line ends) written
/// as SpreadsheetML's `_xHHHH_` escapes, as is a literal `_x` sequence.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            '_' if chars.peek() == Some(&'x') => out.push_str("_x005F_"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("_x{:04X}_", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_names_and_escapes() {
        assert_eq!(cell_ref(0, 1), "A1");
        assert_eq!(cell_ref(25, 2), "Z2");
        assert_eq!(cell_ref(26, 3), "AA3");
        assert_eq!(cell_ref(27, 3), "AB3");
        assert_eq!(escape("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c_x0001_");
        assert_eq!(escape("_x0041_"), "_x005F_x0041_");
        let mut names = std::collections::BTreeSet::new();
        for table in TABLES {
            for headers in [Headers::Ja, Headers::En] {
                let name = sheet_name(table, headers);
                assert!(name.chars().count() <= 31, "{name}");
                assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']));
                assert!(names.insert((headers == Headers::Ja, name)), "{name} twice");
            }
        }
        assert_eq!(fit(&"あ".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
    }
}
