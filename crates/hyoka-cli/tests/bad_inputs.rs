//! Hostile and broken inputs (issue 6): every one fails alone, with the
//! error or warning a person needs, and the rest of the batch is exported.
//!
//! Small files are committed in `tests/bad_inputs/` (see its README); big
//! ones (a zip bomb, a sheet with 10,000 basic projects, damaged workbooks
//! made from the fixtures) are generated here, deterministically, into a
//! temporary folder.

mod support;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{files, import, json, root};

/// A good file that goes into every batch and must always be exported.
const GOOD: &str = "fixtures/iga/000_46863bf7e879b4fa.txt";
/// [`GOOD`] as the outputs record it (`source.file`): a file given is
/// recorded by its name.
const GOOD_NAME: &str = "000_46863bf7e879b4fa.txt";
/// The departments of [`GOOD`] and how many sheets each has.
const GOOD_DEPARTMENTS: [(&str, usize); 4] = [
    ("デジタル自治推進局", 1),
    ("企画振興部", 1),
    ("総務部", 2),
    ("財務部", 1),
];

/// One sheet of converter text for department `department`.
fn sheet(department: &str) -> String {
    format!(
        "伊賀流自治の視点\n【主担当部局】\n{department}\n- ・ 広聴機能を充実させます。\n\
         【PLAN】\t\t【DO】\t【CHECK①】\n基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n\
         1\t広聴機能 説明\t○広聴業務経費\t成果指標\t意見件数\n\
         \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
         \t\t\t実績(件)\t769\t956\t969\t900\n"
    )
}

/// A zip archive: `template`'s parts in order, with the named ones replaced.
fn rezip(template: &[u8], replace: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(template)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some((_, new)) = replace.iter().find(|(n, _)| *n == name) {
            bytes = new.clone();
        }
        // An OpenDocument file starts with its `mimetype`, uncompressed.
        let options = if name == "mimetype" {
            deflated.compression_method(zip::CompressionMethod::Stored)
        } else {
            deflated
        };
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

/// A zip bomb: a worksheet of 64 MiB of spaces packs into a few dozen
/// kilobytes.
fn zip_bomb() -> Vec<u8> {
    let xlsx = fixture("fixtures/workbooks/odd-cells.xlsx");
    let mut bomb = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    bomb.resize(bomb.len() + (64 << 20), b' ');
    bomb.extend(b"</sheetData></worksheet>");
    rezip(&xlsx, &[("xl/worksheets/sheet1.xml", bomb)])
}

/// Writes the generated hostile files into `dir`.
fn generate(dir: &Path) {
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let xlsx = fixture("fixtures/workbooks/odd-cells.xlsx");
    let ods = fixture("fixtures/workbooks/iga-2022-workbook.ods");
    let xls = fixture("fixtures/workbooks/iga-2022-workbook.xls");

    put("zip-bomb.xlsx", &zip_bomb());

    // Shared strings that announce four billion strings.
    put(
        "shared-strings-bomb.xlsx",
        &rezip(
            &xlsx,
            &[(
                "xl/sharedStrings.xml",
                br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#.to_vec(),
            )],
        ),
    );

    // A workbook listing one worksheet part 3,000 times: each would be read
    // again.
    let mut archive = zip::ZipArchive::new(Cursor::new(&xlsx[..])).unwrap();
    let mut workbook = String::new();
    archive
        .by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    let sheets: String = (0..3000)
        .map(|k| format!(r#"<sheet name="s{k}" sheetId="{}" r:id="rId3"/>"#, k + 10))
        .collect();
    let workbook = workbook.replace("<sheets>", &format!("<sheets>{sheets}"));
    put(
        "one-part-many-sheets.xlsx",
        &rezip(&xlsx, &[("xl/workbook.xml", workbook.into_bytes())]),
    );

    // Worksheets named like paths: names are data.
    let mut workbook = String::new();
    archive
        .by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    let workbook = workbook
        .replace(r#"name="施策1""#, r#"name="../../escaped""#)
        .replace(r#"name="表紙""#, r#"name="C:\CON""#);
    put(
        "worksheet-names-like-paths.xlsx",
        &rezip(&xlsx, &[("xl/workbook.xml", workbook.into_bytes())]),
    );

    // A value in column XFD on 200 rows: 3,276,800 cells between values.
    let mut wide = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.to_vec();
    for r in 1..=200 {
        wide.extend(
            format!(r#"<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>"#)
                .bytes(),
        );
    }
    wide.extend(b"</sheetData></worksheet>");
    put(
        "far-apart-cells.xlsx",
        &rezip(&xlsx, &[("xl/worksheets/sheet2.xml", wide)]),
    );

    // An .ods row of 100 values repeated a million times: 100 million
    // cells from a few hundred bytes.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="施策1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    put(
        "repeated-rows.ods",
        &rezip(&ods, &[("content.xml", content.as_bytes().to_vec())]),
    );

    // An .xls whose first DIMENSIONS record claims 1,048,576 rows by 256
    // columns.
    let mut dims = xls.clone();
    let at = dims
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    dims[at + 8..at + 12].copy_from_slice(&0x0010_0000u32.to_le_bytes());
    dims[at + 14..at + 16].copy_from_slice(&0x0100u16.to_le_bytes());
    put("huge-dimensions.xls", &dims);

    // An .xls whose directory's sector chain points back at itself.
    let mut looped = xls.clone();
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let dir_start = u32_at(&looped, 48);
    let fat0 = u32_at(&looped, 76) as usize;
    let at = (fat0 + 1) * 512 + 4 * dir_start as usize;
    looped[at..at + 4].copy_from_slice(&dir_start.to_le_bytes());
    put("directory-loop.xls", &looped);

    // Damaged workbooks, made from the fixtures.
    let good_xlsx = fixture("fixtures/workbooks/iga-2022-workbook.xlsx");
    put("truncated.xlsx", &good_xlsx[..good_xlsx.len() * 6 / 10]);
    put(
        "password.xlsx",
        &fixture("fixtures/workbooks/broken/password.xlsx"),
    );
    put(
        "corrupt.xlsx",
        &fixture("fixtures/workbooks/broken/corrupt.xlsx"),
    );
    // A workbook under a text name, and under another workbook's name.
    put("workbook-named-as-text.txt", &good_xlsx);
    put("xlsx-named-as-xls.xls", &good_xlsx);

    // A cell of 2 MiB.
    let long = sheet("総務部").replace("意見件数", &"長".repeat(700_000));
    put("huge-cell.txt", long.as_bytes());

    // Converter HTML nested 20,000 deep in one cell, never closed.
    let nested = sheet("企画振興部").replace(
        "○広聴業務経費",
        &format!(
            "{} ○広聴業務経費",
            "<ul style=\"list-style-type: none\">".repeat(20_000)
        ),
    );
    put("deeply-nested-html.txt", nested.as_bytes());

    // A sheet with 10,000 basic projects, each with a KPI.
    let mut big = String::from(
        "伊賀流自治の視点\n【主担当部局】\n一万事業部\n- ・ 方針。\n【PLAN】\t\t【DO】\t【CHECK①】\n\
         基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n",
    );
    for i in 1..=10_000 {
        big.push_str(&format!(
            "{i}\t事業{i} 説明{i}\t○経費{i}\t成果指標\t件数{i}\n\
             \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
             \t\t\t実績(件)\t{i}\t{}\t{}\t{}\n",
            i + 1,
            i + 2,
            i + 3
        ));
    }
    put("ten-thousand-projects.txt", big.as_bytes());
}

/// The inputs of `index` by file name.
fn inputs_by_name(index: &Value) -> BTreeMap<String, Value> {
    index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (name.into_owned(), e.clone())
        })
        .collect()
}

/// Every sheet of every department file in `out`.
fn sheets(out: &Path, index: &Value) -> Vec<Value> {
    let mut all = Vec::new();
    for d in index["departments"].as_array().unwrap() {
        let doc = json(&out.join(d["file"].as_str().unwrap()));
        all.extend(doc["sheets"].as_array().unwrap().iter().cloned());
    }
    all
}

/// The warning codes of the sheets read from input `name`.
fn warning_codes(sheets: &[Value], name: &str) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s["source"]["file"].as_str().unwrap().ends_with(name))
        .flat_map(|s| s["warnings"].as_array().unwrap().iter())
        .map(|w| w["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The good file was exported whole: its entry is `ok` with all its sheets,
/// and each of its departments has its sheets in its file.
fn assert_good_exported(out: &Path, index: &Value) {
    let inputs = inputs_by_name(index);
    let good = &inputs["000_46863bf7e879b4fa.txt"];
    assert_eq!(good["status"], "ok", "{good}");
    assert_eq!(good["sheets"], 5);
    for (department, count) in GOOD_DEPARTMENTS {
        let entry = index["departments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["department"] == department)
            .unwrap_or_else(|| panic!("{department} missing from {index}"));
        let doc = json(&out.join(entry["file"].as_str().unwrap()));
        let from_good = doc["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["source"]["file"] == GOOD_NAME)
            .count();
        assert_eq!(from_good, count, "{department}");
    }
}

/// SHA-256-free fingerprint of every file under `dir`: its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    out
}

/// Whether `text` holds the parts of `pattern` separated by `…`, in order.
fn contains_in_order(text: &str, pattern: &str) -> bool {
    let mut rest = text;
    for part in pattern.split('…') {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// What the batch must say about each hostile file: its status and the
/// key part of its error (for `error`) or a warning code it must carry.
const EXPECTED: &[(&str, &str, &str)] = &[
    // committed files
    ("empty.txt", "error", "the file is empty"),
    (
        "empty.xlsx",
        "error",
        "the file is not an xlsx workbook: it is empty",
    ),
    (
        "binary.txt",
        "error",
        "the file is binary, not text (a control byte 0x02 at byte offset 4)",
    ),
    (
        "pdf-named-as-text.txt",
        "error",
        // Read as the PDF its signature says it is; this one is cut short.
        "the PDF could not be read",
    ),
    (
        "text-named-as-workbook.xlsx",
        "error",
        "the file is not an xlsx workbook: it is plain text; if it is a text export, give it a .txt, .tsv or .csv name",
    ),
    (
        "web-page-named-as-workbook.xlsx",
        "error",
        "it is a web page (HTML) with a .xls-style name",
    ),
    ("cover-page.csv", "skipped", "no sheet found"),
    ("no-kpi-table.txt", "ok", ""),
    ("mixed-encodings.txt", "ok", "decode_errors"),
    // generated files
    (
        "zip-bomb.xlsx",
        "error",
        "part `xl/worksheets/sheet1.xml` of the xlsx workbook unpacks from ",
    ),
    (
        "shared-strings-bomb.xlsx",
        "error",
        "the xlsx workbook is damaged and cannot be read (its shared strings (`xl/sharedStrings.xml`) announce 4000000000 strings in ",
    ),
    (
        "one-part-many-sheets.xlsx",
        "error",
        "the xlsx workbook is damaged and cannot be read (its workbook part `xl/workbook.xml` lists more than one worksheet under relationship `rId3`)",
    ),
    (
        "far-apart-cells.xlsx",
        "error",
        "worksheet `施策1` spans at least …cells, more than the limit of 2000000 (values far apart",
    ),
    (
        "repeated-rows.ods",
        "error",
        "worksheet `施策1` spans at least 100000000 cells, more than the limit of 2000000",
    ),
    (
        "huge-dimensions.xls",
        "error",
        "worksheet `表紙` spans at least 267386625 cells, more than the limit of 2000000 …raise --max-cells",
    ),
    (
        "directory-loop.xls",
        "error",
        "the xls workbook is damaged and cannot be read (the sectors of the directory form a loop",
    ),
    (
        "truncated.xlsx",
        "error",
        "the xlsx workbook is incomplete: its 17463 bytes stop before the end of the workbook",
    ),
    (
        "password.xlsx",
        "error",
        "the workbook is protected with a password (encrypted)",
    ),
    (
        "corrupt.xlsx",
        "error",
        "worksheet `施策1` is damaged and cannot be read (Xml error: I/O error: corrupt deflate stream)",
    ),
    (
        "workbook-named-as-text.txt",
        "error",
        "the file is a ZIP archive (an .xlsx or .ods workbook), not text",
    ),
    (
        "huge-cell.txt",
        "error",
        "line 7: a cell of 2100000 bytes is longer than the limit of 1048576; raise --max-cell-bytes",
    ),
    ("deeply-nested-html.txt", "ok", ""),
    ("worksheet-names-like-paths.xlsx", "ok", ""),
    ("xlsx-named-as-xls.xls", "ok", ""),
    ("ten-thousand-projects.txt", "ok", ""),
];

#[test]
fn each_hostile_file_fails_alone_and_the_rest_is_exported() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for (name, bytes) in files(&root().join("tests/bad_inputs")) {
        if name != "README.md" {
            std::fs::write(inputs.join(name), bytes).unwrap();
        }
    }
    generate(&inputs);
    let before = snapshot(&inputs);
    let out = tmp.path().join("out");
    let started = Instant::now();
    let run = import(&[inputs.to_str().unwrap(), GOOD], &out, &[]);
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(took < Duration::from_secs(60), "the batch took {took:?}");

    let index = json(&out.join("index.json"));
    let by_name = inputs_by_name(&index);
    let all_sheets = sheets(&out, &index);
    for &(name, status, expected) in EXPECTED {
        let entry = by_name
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in index.json"));
        assert_eq!(entry["status"], status, "{name}: {entry}");
        match status {
            "error" | "skipped" => {
                let error = entry["error"].as_str().unwrap_or_default();
                assert!(
                    contains_in_order(error, expected),
                    "{name}: error {error:?} lacks {expected:?}"
                );
                if status == "error" {
                    // The same message reaches stderr, with the file's name.
                    assert!(stderr.contains(&format!("{name}: ")), "{name}: {stderr}");
                }
            }
            _ => {
                assert!(entry["error"].is_null(), "{name}: {entry}");
                if !expected.is_empty() {
                    // File-level warnings are on the input, sheet ones on the sheets.
                    let on_file = entry["file_warnings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| w["code"].as_str().unwrap().to_owned());
                    assert!(
                        warning_codes(&all_sheets, name)
                            .into_iter()
                            .chain(on_file)
                            .any(|c| c == expected),
                        "{name}: no {expected} warning"
                    );
                }
            }
        }
    }
    // The unknown extension inside a walked folder is not read, and listed
    // as skipped with the reason.
    let rtf = &by_name["unknown-extension.rtf"];
    assert_eq!(rtf["status"], "skipped");
    assert!(
        rtf["error"]
            .as_str()
            .unwrap()
            .contains("not a file type hyoka reads"),
        "{rtf}"
    );
    assert_eq!(by_name.len(), EXPECTED.len() + 2, "{:?}", by_name.keys());

    assert_good_exported(&out, &index);
    // The sheets of the files that did read are whole.
    let ten_thousand: Vec<&Value> = all_sheets
        .iter()
        .filter(|s| s["department"] == "一万事業部")
        .collect();
    let projects = ten_thousand[0]["basic_projects"].as_array().unwrap();
    assert_eq!(projects.len(), 10_000);
    assert_eq!(projects[9_999]["number"], 10_000);
    assert_eq!(projects[9_999]["kpis"][0]["name"], "件数10000");
    assert_eq!(projects[9_999]["kpis"][0]["actuals"][1]["value"], 10_002);
    let nested = all_sheets
        .iter()
        .find(|s| {
            s["source"]["file"]
                .as_str()
                .unwrap()
                .ends_with("deeply-nested-html.txt")
        })
        .unwrap();
    assert_eq!(
        nested["basic_projects"][0]["activities"][0]["text"],
        "広聴業務経費"
    );
    // The content decides the reader, and the real format is reported.
    assert_eq!(by_name["xlsx-named-as-xls.xls"]["format"], "xlsx");
    assert_eq!(by_name["xlsx-named-as-xls.xls"]["sheets"], 5);
    let worksheets = &by_name["worksheet-names-like-paths.xlsx"]["worksheets"];
    assert_eq!(worksheets[0]["name"], "C:\\CON");
    assert_eq!(worksheets[1]["name"], "../../escaped");
    assert_eq!(worksheets[1]["status"], "ok");
    assert!(
        all_sheets
            .iter()
            .any(|s| s["source"]["worksheet"] == "../../escaped")
    );
    let no_kpi = all_sheets
        .iter()
        .find(|s| {
            s["source"]["file"]
                .as_str()
                .unwrap()
                .ends_with("no-kpi-table.txt")
        })
        .unwrap();
    assert_eq!(no_kpi["basic_projects"][0]["name"], "広聴機能");
    assert_eq!(no_kpi["basic_projects"][0]["kpis"], serde_json::json!([]));

    // Inputs are never modified, and nothing is written beside the output.
    assert_eq!(snapshot(&inputs), before);
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["in", "out"]);
}

#[test]
fn department_names_are_data_not_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let long = "部".repeat(300);
    let names: Vec<String> = vec![
        "../../escaped".into(),
        "..".into(),
        "/etc/passwd".into(),
        "a/b\\c".into(),
        "C:evil".into(),
        // Control characters in a text cell are removed as it is read
        // (`control_characters_removed`); names.rs makes those from
        // workbooks safe.
        "CON".into(),
        "con".into(),
        "nul.txt".into(),
        "index".into(),
        "INDEX".into(),
        "abc部".into(),
        "ABC部".into(),
        "①部".into(),
        "1部".into(),
        format!("{long}甲"),
        format!("{long}乙"),
        "総務部.".into(),
        ".hidden".into(),
    ];
    for (i, name) in names.iter().enumerate() {
        std::fs::write(inputs.join(format!("{i:02}.txt")), sheet(name)).unwrap();
    }
    // The same department in full width and half width: one department.
    std::fs::write(inputs.join("20.txt"), sheet("ＡＢＣ部")).unwrap();
    let out = tmp.path().join("out");
    let run = import(&[inputs.to_str().unwrap(), GOOD], &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let index = json(&out.join("index.json"));
    assert_good_exported(&out, &index);
    let departments = index["departments"].as_array().unwrap();

    // Every department has its own file, directly inside its
    // municipality's folder: nothing was written anywhere else, and no two
    // departments share a file, even on a case-insensitive file system.
    let written = files(&out);
    let mut lower: Vec<String> = Vec::new();
    for d in departments {
        let file = d["file"].as_str().unwrap();
        let name = file
            .strip_prefix("departments/unknown/")
            .unwrap_or_else(|| panic!("{file:?}"));
        assert!(
            !name.contains(['/', '\\', '\0', ':']) && !name.starts_with('.'),
            "{file:?}"
        );
        assert!(name.len() <= 255, "{file:?}");
        assert!(written.contains_key(file), "{file:?} not written");
        let doc: Value = serde_json::from_slice(&written[file]).unwrap();
        assert_eq!(doc["department"], d["department"]);
        lower.push(file.to_lowercase());
    }
    lower.sort();
    let before = lower.len();
    lower.dedup();
    assert_eq!(lower.len(), before, "{lower:?}");
    // The department files, index.json and kpi_series.json.
    assert_eq!(written.len(), departments.len() + 2, "{:?}", written.keys());
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["in", "out"]);
    assert!(!root().join("escaped.json").exists());

    // Each name is a department of its own (ＡＢＣ部 is ABC部 once
    // normalized), with the sheet from its file.
    let file_of = |department: &str| -> String {
        departments
            .iter()
            .find(|d| d["department"] == department)
            .unwrap_or_else(|| panic!("{department:?} missing: {departments:?}"))["file"]
            .as_str()
            .unwrap()
            .trim_start_matches("departments/unknown/")
            .to_owned()
    };
    assert_eq!(departments.len(), names.len() + GOOD_DEPARTMENTS.len());
    assert_eq!(file_of("CON"), "_CON.json");
    assert_eq!(file_of("INDEX"), "_INDEX.json");
    assert_eq!(file_of("index"), "_index-2.json");
    assert_eq!(file_of("nul.txt"), "_nul.txt.json");
    let abc = departments
        .iter()
        .find(|d| d["department"] == "ABC部")
        .unwrap();
    assert_eq!(abc["sheets"], 2);
    // Names that differ only in case, in NFKC form or after 200 bytes get
    // distinct files.
    assert_ne!(
        file_of("abc部").to_lowercase(),
        file_of("ABC部").to_lowercase()
    );
    assert_ne!(file_of("①部"), file_of("1部"));
    assert_ne!(file_of(&format!("{long}甲")), file_of(&format!("{long}乙")));
    assert_ne!(file_of("総務部."), file_of("総務部"));
}

#[test]
fn out_must_be_a_folder_and_never_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("sheet.txt");
    std::fs::copy(root().join(GOOD), &input).unwrap();
    let original = std::fs::read(&input).unwrap();
    let input_str = input.to_str().unwrap();

    // --out naming the input file itself, directly or by another path.
    for out in [input.clone(), tmp.path().join("./sheet.txt")] {
        let run = import(&[input_str], &out, &[]);
        assert_eq!(run.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("is a file, not a folder"), "{stderr}");
        assert_eq!(std::fs::read(&input).unwrap(), original);
    }
    // --jsonl naming an input, given directly or found in a walked folder.
    for given in [input_str, tmp.path().to_str().unwrap()] {
        let out = tmp.path().join("out");
        let run = import(&[given], &out, &["--jsonl", input_str]);
        assert_eq!(run.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("is the input file") && stderr.contains("never writes over its inputs"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&input).unwrap(), original);
    }
    // --out naming some other file.
    let other = tmp.path().join("notes.json");
    std::fs::write(&other, b"{}").unwrap();
    let run = import(&[input_str], &other, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&other).unwrap(), b"{}");
}

#[test]
fn out_inside_an_input_folder_does_not_reimport_its_output() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(root().join(GOOD), folder.join("sheet.txt")).unwrap();
    let out = folder.join("out");
    // Three runs: the output of each lies inside the folder the next walks.
    let mut indexes = Vec::new();
    for _ in 0..3 {
        let run = import(&[folder.to_str().unwrap()], &out, &["--jsonl", "-"]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let index = json(&out.join("index.json"));
        let inputs: Vec<&str> = index["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["file"].as_str().unwrap())
            .collect();
        // Recorded by its path inside the folder given, `/`-separated.
        let expected = format!(
            "{}/sheet.txt",
            folder.file_name().unwrap().to_str().unwrap()
        );
        assert_eq!(inputs, [expected]);
        indexes.push(std::fs::read(out.join("index.json")).unwrap());
    }
    assert!(indexes.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn an_edited_index_cannot_make_hyoka_delete_other_files() {
    // DIR is also the input folder, and its index.json (data, like any
    // file) names an input, a file outside DIR and the index itself as
    // department files of an earlier run.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dir");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(root().join(GOOD), dir.join("sheet.txt")).unwrap();
    std::fs::write(tmp.path().join("victim.json"), b"{}").unwrap();
    std::fs::write(dir.join("old.json"), b"{}").unwrap();
    let planted = serde_json::json!({
        "schema_version": 1,
        "generator": {"name": "hyoka", "version": "0.1.0"},
        "departments": [
            {"department": "a", "file": "sheet.txt", "sheets": 1},
            {"department": "b", "file": "../victim.json", "sheets": 1},
            {"department": "c", "file": "..", "sheets": 1},
            {"department": "d", "file": "index.json", "sheets": 1},
            {"department": "e", "file": "old.json", "sheets": 1},
        ],
        "inputs": [],
    });
    std::fs::write(dir.join("index.json"), planted.to_string()).unwrap();
    let original = std::fs::read(dir.join("sheet.txt")).unwrap();
    let run = import(&[dir.to_str().unwrap()], &dir, &["--replace"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(dir.join("sheet.txt")).unwrap(), original);
    assert!(tmp.path().join("victim.json").exists());
    // A department file of the earlier run is still removed.
    assert!(!dir.join("old.json").exists());
    let index = json(&dir.join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "ok");
    assert_eq!(index["inputs"][0]["sheets"], 5);
    assert_eq!(
        index["departments"].as_array().unwrap().len(),
        GOOD_DEPARTMENTS.len()
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_a_folder_unless_asked() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), sheet("外部部")).unwrap();
    let folder = tmp.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside.txt"), sheet("内部部")).unwrap();
    symlink(outside.join("secret.txt"), folder.join("link.txt")).unwrap();
    symlink(&outside, folder.join("linked-folder")).unwrap();

    let out = tmp.path().join("out");
    let run = import(&[folder.to_str().unwrap()], &out, &[]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    for link in ["link.txt", "linked-folder"] {
        assert!(
            stderr.contains(&format!(
                "{link}: symbolic link not followed (use --follow-symlinks)"
            )),
            "{stderr}"
        );
    }
    let index = json(&out.join("index.json"));
    let names: Vec<&str> = index["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["department"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["内部部"]);

    let run = import(
        &[folder.to_str().unwrap()],
        &out,
        &["--follow-symlinks", "--replace"],
    );
    assert!(run.status.success());
    let index = json(&out.join("index.json"));
    assert_eq!(index["inputs"].as_array().unwrap().len(), 3);
    let sheets = &json(&support::department(&out, "外部部"))["sheets"];
    assert_eq!(sheets.as_array().unwrap().len(), 2);
}

#[test]
fn every_limit_has_a_flag_and_names_it() {
    let xlsx = "fixtures/workbooks/iga-2022-workbook.xlsx";
    let ods = "fixtures/workbooks/iga-2022-workbook.ods";
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--max-input-bytes", "1000"],
            GOOD,
            "bytes, more than the limit of 1000; raise --max-input-bytes",
        ),
        (
            &["--max-rows", "100"],
            GOOD,
            "more than 100 rows; raise --max-rows",
        ),
        (
            &["--max-cells", "100"],
            GOOD,
            "more than 100 cells; raise --max-cells",
        ),
        (
            &["--max-cells", "100"],
            xlsx,
            "cells, more than the limit of 100 (values far apart",
        ),
        (
            &["--max-cells", "100"],
            ods,
            "cells, more than the limit of 100 (values far apart",
        ),
        (
            &["--max-cell-bytes", "100"],
            GOOD,
            "bytes is longer than the limit of 100; raise --max-cell-bytes",
        ),
        (
            &["--max-uncompressed-bytes", "50000"],
            xlsx,
            "the xlsx workbook would unpack to 96871 bytes, more than the limit of 50000",
        ),
        (&["--max-compression-ratio", "5"], ods, ""),
    ];
    for (flags, input, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let run = import(&[input], tmp.path(), flags);
        let index = json(&tmp.path().join("index.json"));
        let entry = &index["inputs"][0];
        if expected.is_empty() {
            // Parts under 1 MiB are never checked for their ratio.
            assert_eq!(entry["status"], "ok", "{flags:?}: {entry}");
            continue;
        }
        assert_eq!(run.status.code(), Some(1), "{flags:?}");
        assert_eq!(entry["status"], "error", "{flags:?}");
        let error = entry["error"].as_str().unwrap();
        assert!(error.contains(expected), "{flags:?}: {error}");
    }
    // The zip bomb reads once its ratio is allowed (its worksheet is only
    // white space).
    let tmp = tempfile::tempdir().unwrap();
    let bomb = tmp.path().join("zip-bomb.xlsx");
    std::fs::write(&bomb, zip_bomb()).unwrap();
    let out = tmp.path().join("out");
    let run = import(
        &[bomb.to_str().unwrap()],
        &out,
        &["--max-compression-ratio", "100000"],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
