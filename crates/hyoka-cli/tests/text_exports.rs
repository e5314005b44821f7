//! Text exports as city offices produce them: Excel's and LibreOffice's
//! "save as text" in every encoding they use, tab- and comma-separated,
//! one file per worksheet, with the layout variations of other cities'
//! templates. They must read into the same records as the converter text.
//!
//! The fixtures and how each was made: `fixtures/text/make_fixtures.py`;
//! `fixtures/excel-tsv-cp932/` is Iga City's workbook saved worksheet by
//! worksheet as Shift_JIS text (a copy of the shared corpus).

mod support;

use support::{import, json};

/// A folder of per-worksheet exports is one workbook: its sheets are
/// read, and the cover, the table of contents (which has a bare 担当部局
/// column heading) and the hidden drop-down list are `skipped`.
#[test]
fn per_worksheet_exports_skip_files_without_a_sheet() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&["fixtures/text/workbook-utf16"], out.path(), &[]);
    assert!(run.status.success());
    let index = json(&out.path().join("index.json"));
    let inputs: Vec<(String, &str, &str, u64)> = index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let file = i["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap().to_owned(),
                i["status"].as_str().unwrap(),
                i["encoding"].as_str().unwrap(),
                i["sheets"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = |f: &str, s, n| (f.to_owned(), s, "UTF-16LE", n);
    assert_eq!(
        inputs,
        [
            expect("r5-hyoka-リスト.txt", "skipped", 0),
            expect("r5-hyoka-施策1.txt", "ok", 1),
            expect("r5-hyoka-施策2.txt", "ok", 1),
            expect("r5-hyoka-目次.txt", "skipped", 0),
            expect("r5-hyoka-表紙.txt", "skipped", 0),
        ]
    );
    for input in index["inputs"].as_array().unwrap() {
        assert!(input["status"] == "ok" || input["error"].is_string());
    }
}

/// A city's folder as handed over: a cover page, a workbook under a .txt
/// name, a good export and one cut off mid-character, plus a PDF named on
/// the command line. Each problem is reported for its file with the reason;
/// everything else is imported.
#[test]
fn a_mixed_folder_imports_what_it_can() {
    let out = tempfile::tempdir().unwrap();
    let extra = tempfile::tempdir().unwrap();
    let pdf = extra.path().join("施策評価シート.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let run = import(
        &["fixtures/text/mixed", pdf.to_str().unwrap()],
        out.path(),
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error: fixtures/text/mixed/施策1.txt: the file is a ZIP archive (an .xlsx or .ods workbook), not text"
        ),
        "{stderr}"
    );
    assert!(
        // A PDF is read; this one is only a header, so it fails alone.
        stderr.contains("施策評価シート.pdf: the PDF could not be read"),
        "{stderr}"
    );

    let index = json(&out.path().join("index.json"));
    let status: Vec<(&str, &str, u64)> = index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let file = i["file"].as_str().unwrap();
            (
                file.rsplit(['/', '\\']).next().unwrap(),
                i["status"].as_str().unwrap(),
                i["sheets"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("00-表紙.csv", "skipped", 0),
            ("施策1.txt", "error", 0),
            ("施策2.txt", "ok", 1),
            ("施策3.txt", "ok", 1),
            ("施策評価シート.pdf", "error", 0),
        ]
    );
    let departments: Vec<&str> = index["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["department"].as_str().unwrap())
        .collect();
    assert_eq!(departments, ["市民生活部", "環境部"]);
    // The damaged file's decode_errors is on its input, once.
    let cut = index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with("施策3.txt"))
        .unwrap();
    let warnings: Vec<&str> = cut["file_warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(warnings, ["decode_errors", "encoding_guessed"]);
}
