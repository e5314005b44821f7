//! Which text form an export is: a spreadsheet's tab- or comma-separated
//! export, or converter text. The file's name is a hint; the content
//! decides where a name says nothing (`.txt`) or says wrong (Excel's
//! "Unicode text" saved as `.csv`).

use crate::model::Format;

use super::TextForm;

/// The text form of decoded text named as `named` (`Text`, `Tsv` or `Csv`).
pub(crate) fn of(named: Format, text: &str) -> TextForm {
    match named {
        Format::Tsv => TextForm::Tsv,
        // Excel's "Unicode text" is tab-separated whatever the file is
        // named; a `.csv` whose rows line up on tabs and not on commas is one.
        Format::Csv if is_tab_separated_not_comma(text) => TextForm::Tsv,
        Format::Csv => TextForm::Csv,
        _ => sniff_text_form(text),
    }
}

/// Which text form a `.txt` file is: a spreadsheet's tab-separated export
/// (TSV), a comma-separated one (LibreOffice's "Text" filter separates with
/// commas unless told otherwise) or converter text.
///
/// Spreadsheet programs write every row of the used range with the same
/// number of cells, so an export read with its separator is rectangular,
/// while the converter's lines vary (headings and bullets have no tab) and
/// it leaves `<ul>` tags. An export that is not padded is still told by
/// its quoting: it starts a quoted field with `"` at the start of a line or
/// right after a tab, which the converter never does. Converter text and a
/// TSV without quoted cells read to the same grid, so for them only
/// `source.format` depends on this; a comma-separated file is read as CSV.
fn sniff_text_form(text: &str) -> TextForm {
    // Converter HTML (`<ul style="list-style-type: none">`) is never in an
    // export.
    if text.contains("<ul") {
        return TextForm::Converter;
    }
    if is_rectangular(text, b'\t') {
        return TextForm::Tsv;
    }
    if is_rectangular(text, b',') {
        return TextForm::Csv;
    }
    let quoted = text
        .lines()
        .any(|line| line.starts_with('"') || line.contains("\t\""));
    if quoted {
        TextForm::Tsv
    } else {
        TextForm::Converter
    }
}

/// Whether `text` reads as a rectangular tab-separated table but not as a
/// comma-separated one: a tab-separated export under a `.csv` name.
fn is_tab_separated_not_comma(text: &str) -> bool {
    is_rectangular(text, b'\t') && !is_rectangular(text, b',')
}

/// Whether the first records of `text`, read with `delimiter` (quotes
/// honoured), all have the same number of cells, at least two.
fn is_rectangular(text: &str, delimiter: u8) -> bool {
    const SAMPLE: usize = 1000;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut width = None;
    let mut record = csv::ByteRecord::new();
    for _ in 0..SAMPLE {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return false,
        }
        if width.is_some_and(|w| w != record.len()) {
            return false;
        }
        width = Some(record.len());
    }
    width.is_some_and(|w| w >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_told_by_content() {
        let sniff = |t: &str| of(Format::Text, t);
        assert_eq!(
            sniff("【主担当部局】\t総務部\n1\t\"名前\n説明\"\n"),
            TextForm::Tsv
        );
        assert_eq!(
            sniff("【主担当部局】,総務部\n1,\"3,878,604\"\n"),
            TextForm::Csv
        );
        assert_eq!(
            sniff("【主担当部局】\n\n総務部\n1\t名前\t<ul style=\"x\"> a\n"),
            TextForm::Converter
        );
        assert_eq!(of(Format::Csv, "a\tb\nc\td\n"), TextForm::Tsv);
        assert_eq!(of(Format::Csv, "a,b\nc,d\n"), TextForm::Csv);
    }

    #[test]
    fn tab_separated_text_under_a_csv_name_is_recognised() {
        assert!(is_tab_separated_not_comma("a\tb\tc\n1\t2,5\t3\n"));
        assert!(!is_tab_separated_not_comma("a,b,c\n1,2,3\n"));
        assert!(!is_tab_separated_not_comma("a,b\tc\n1,2\t3\n"));
    }

    #[test]
    fn sniffing_tells_exports_from_converter_text() {
        assert_eq!(sniff_text_form("1\t\"a\nb\"\n"), TextForm::Tsv);
        assert_eq!(
            sniff_text_form("1\t<ul style=\"x\"> a\n"),
            TextForm::Converter
        );
        // No quoted cell, but every row has the used range's tabs.
        assert_eq!(
            sniff_text_form("見出し\t\t\r\n【主担当部局】\t総務部\t\r\n\r\n1\t名前\t○経費\r\n"),
            TextForm::Tsv
        );
        // The converter's lines vary; a file without tabs is not a table.
        assert_eq!(
            sniff_text_form("見出し\n\n【主担当部局】\n総務部\n1\t名前\t○経費\n"),
            TextForm::Converter
        );
        assert_eq!(sniff_text_form("表紙\n令和5年度\n"), TextForm::Converter);
        assert_eq!(sniff_text_form(""), TextForm::Converter);
        // Comma-separated, padded to the used range; numbers with
        // separators and line breaks are quoted.
        assert_eq!(
            sniff_text_form("見出し,,\n【主担当部局】,総務部,\n1,\"名前\n説明\",\"3,878\"\n"),
            TextForm::Csv
        );
        // A comma-separated row may start with a quoted multi-line cell.
        assert_eq!(
            sniff_text_form("\"・方針1\n・方針2\",,\n【主担当部局】,総務部,\n"),
            TextForm::Csv
        );
        // Converter text with commas in numbers is not CSV.
        assert_eq!(
            sniff_text_form("見出し\n実績(件)\t3,878,604\t6,945,933\n1\t名前\n"),
            TextForm::Converter
        );
    }
}
