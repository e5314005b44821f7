//! An output folder's open data checked by content, for `hyoka validate
//! DIR`: a `datapackage.json` someone edited after hyoka wrote it is
//! compared with the package hyoka would write for the same files (its
//! metadata may differ, its tables' schemas may not), and a CSV table that
//! changed is compared, row by row, with the table hyoka writes from the
//! folder's department files and `kpi_series.json`, so each difference is
//! named by file, line and field.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use hyoka::output::DepartmentFile;
use hyoka::panel::PanelFile;

use super::PortalMeta;
use super::package::{self, DataPackage, TableFile};
use super::tables::{Headers, TABLES, TableDef, Tables};
use super::validate::{Problem, line_of};

/// At most this many differences are reported per file; the rest are counted.
const MAX_PER_FILE: usize = 20;

/// The header language of a package hyoka wrote: English when its first
/// table's first field has the English name.
pub fn headers_of(package: &DataPackage) -> Headers {
    let first = package
        .resources
        .first()
        .and_then(|r| r.schema.fields.first());
    match first {
        Some(f) if f.name == "municipality_code" => Headers::En,
        _ => Headers::Ja,
    }
}

/// Where `package` departs from the package hyoka writes for the same
/// files: the resources (names, paths, format, dialect) and their
/// schemas (fields, types, constraints, keys). Titles, descriptions,
/// licences, contributors and other metadata may differ.
pub fn against_hyoka(package: &DataPackage) -> Vec<Problem> {
    let headers = headers_of(package);
    let files: Vec<TableFile<'_>> = TABLES
        .iter()
        .map(|table| TableFile {
            table,
            bytes: 0,
            sha256: "",
        })
        .collect();
    let expected = package::build(headers, &files, &PortalMeta::default());
    let mut problems = Vec::new();
    let names =
        |p: &DataPackage| -> Vec<String> { p.resources.iter().map(|r| r.path.clone()).collect() };
    if names(package) != names(&expected) {
        problems.push(Problem::Resources {
            found: names(package).join(", "),
            expected: names(&expected).join(", "),
        });
        return problems;
    }
    for (found, want) in package.resources.iter().zip(&expected.resources) {
        let mut differs = |what: &str, found: String, expected: String| {
            if found != expected {
                problems.push(Problem::SchemaDiffers {
                    file: want.path.clone(),
                    what: what.to_owned(),
                    found,
                    expected,
                });
            }
        };
        differs("name", found.name.clone(), want.name.clone());
        differs(
            "format",
            format!("{} {} {}", found.format, found.mediatype, found.encoding),
            format!("{} {} {}", want.format, want.mediatype, want.encoding),
        );
        differs(
            "dialect",
            format!("{:?}", found.dialect),
            format!("{:?}", want.dialect),
        );
        let field_names = |r: &package::Resource| -> String {
            r.schema
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        differs("fields", field_names(found), field_names(want));
        for (f, w) in found.schema.fields.iter().zip(&want.schema.fields) {
            differs(
                &format!("field {}: type", w.name),
                f.kind.clone(),
                w.kind.clone(),
            );
            differs(
                &format!("field {}: constraints", w.name),
                serde_json::to_string(&f.constraints).unwrap_or_default(),
                serde_json::to_string(&w.constraints).unwrap_or_default(),
            );
        }
        differs(
            "primaryKey",
            found.schema.primary_key.join(","),
            want.schema.primary_key.join(","),
        );
        differs(
            "foreignKeys",
            serde_json::to_string(&found.schema.foreign_keys).unwrap_or_default(),
            serde_json::to_string(&want.schema.foreign_keys).unwrap_or_default(),
        );
        differs(
            "missingValues",
            found.schema.missing_values.join(","),
            want.schema.missing_values.join(","),
        );
    }
    problems
}

/// The tables hyoka writes from a folder's department files (`departments`,
/// paths inside `dir`) and `kpi_series.json` (when `panel` is given), in
/// `headers`' language: each table's CSV bytes. A file that does not read
/// is left out (its own check reports it).
pub fn tables_from_json(
    dir: &Path,
    departments: &[String],
    panel: Option<&str>,
    headers: Headers,
    max_bytes: u64,
) -> Vec<(&'static TableDef, Vec<u8>)> {
    let mut tables = Tables::new(headers);
    for file in departments {
        let Ok(bytes) = crate::files::read_regular(&dir.join(file), max_bytes) else {
            continue;
        };
        let Ok(doc) = serde_json::from_slice::<DepartmentFile>(&bytes) else {
            continue;
        };
        for sheet in &doc.sheets {
            tables.add(sheet);
        }
        for project in &doc.project_evaluations {
            tables.add_project(project);
        }
    }
    if let Some(file) = panel
        && let Ok(bytes) = crate::files::read_regular(&dir.join(file), max_bytes)
        && let Ok(panel) = serde_json::from_slice::<PanelFile>(&bytes)
    {
        tables.add_panel(&panel);
    }
    tables.finish()
}

/// Rows of a CSV body (byte-order mark removed), each with its line.
fn rows_of(bytes: &[u8]) -> Vec<(u64, Vec<String>)> {
    let body = bytes.strip_prefix(super::tables::BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| (line_of(body, &r), r.iter().map(str::to_owned).collect()))
        .collect()
}

/// Compares the CSV file `file` (its bytes `found`) of `table` with the
/// bytes hyoka writes for it (`expected`), by primary key: each changed
/// cell by line and field, each row hyoka did not write, each row missing.
pub fn table_rows(file: &str, table: &TableDef, found: &[u8], expected: &[u8]) -> Vec<Problem> {
    let (found, expected) = (rows_of(found), rows_of(expected));
    let mut problems = Vec::new();
    let (Some((_, header)), Some((_, want_header))) = (found.first(), expected.first()) else {
        return problems;
    };
    if header != want_header {
        let at = header
            .iter()
            .zip(want_header)
            .position(|(a, b)| a != b)
            .unwrap_or(header.len().min(want_header.len()));
        problems.push(Problem::RowDiffers {
            file: file.to_owned(),
            line: 1,
            field: want_header.get(at).cloned().unwrap_or_default(),
            found: header.get(at).cloned().unwrap_or_default(),
            expected: want_header.get(at).cloned().unwrap_or_default(),
        });
        return problems;
    }
    let key_cols: Vec<usize> = table
        .primary_key
        .iter()
        .filter_map(|k| table.all_fields().position(|f| f.en == *k))
        .collect();
    let key = |row: &[String]| -> Vec<String> {
        key_cols
            .iter()
            .map(|&c| row.get(c).cloned().unwrap_or_default())
            .collect()
    };
    let want: HashMap<Vec<String>, &Vec<String>> =
        expected[1..].iter().map(|(_, r)| (key(r), r)).collect();
    let mut seen = HashSet::new();
    for (line, row) in &found[1..] {
        let k = key(row);
        let Some(want_row) = want.get(&k) else {
            problems.push(Problem::RowExtra {
                file: file.to_owned(),
                line: *line,
                key: k.join(", "),
            });
            continue;
        };
        seen.insert(k);
        for (i, name) in want_header.iter().enumerate() {
            let (f, w) = (
                row.get(i).map_or("", String::as_str),
                want_row.get(i).map_or("", String::as_str),
            );
            if f != w {
                problems.push(Problem::RowDiffers {
                    file: file.to_owned(),
                    line: *line,
                    field: name.clone(),
                    found: f.to_owned(),
                    expected: w.to_owned(),
                });
            }
        }
    }
    for (_, row) in &expected[1..] {
        let k = key(row);
        if !seen.contains(&k) {
            problems.push(Problem::RowMissing {
                file: file.to_owned(),
                key: k.join(", "),
            });
        }
    }
    if problems.len() > MAX_PER_FILE {
        let more = problems.len() - MAX_PER_FILE;
        problems.truncate(MAX_PER_FILE);
        problems.push(Problem::More {
            file: file.to_owned(),
            more,
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static TableDef {
        TABLES.iter().find(|t| t.name == "kpi_values").unwrap()
    }

    #[test]
    fn a_changed_cell_is_named_by_line_and_field() {
        let header = "全国地方公共団体コード,地方公共団体名,都道府県名,成果指標ID,シートID,順番,区分,年度,値,原文,達成度,目標達成,直線上の値";
        let expected = format!(
            "\u{feff}{header}\r\n242161,伊賀市,三重県,k1,s1,1,現状値,,7,7,,,\r\n242161,伊賀市,三重県,k1,s1,2,実績,2021,7,7,,,\r\n"
        );
        let found = expected.replace("2021,7,7", "2021,8,7");
        let problems = table_rows(
            "csv/kpi_values.csv",
            table(),
            found.as_bytes(),
            expected.as_bytes(),
        );
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].contains("line 3") && shown[0].contains("値"),
            "{shown:?}"
        );
        // A row dropped, and one added.
        let found = expected.replace(
            "242161,伊賀市,三重県,k1,s1,2,",
            "242161,伊賀市,三重県,k1,s1,9,",
        );
        let problems = table_rows(
            "csv/kpi_values.csv",
            table(),
            found.as_bytes(),
            expected.as_bytes(),
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Rows in another order are the same rows.
        let lines: Vec<&str> = expected.trim_end().split("\r\n").collect();
        let swapped = format!("{}\r\n{}\r\n{}\r\n", lines[0], lines[2], lines[1]);
        assert!(table_rows("f", table(), swapped.as_bytes(), expected.as_bytes()).is_empty());
    }
}
