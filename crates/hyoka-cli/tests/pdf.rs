//! PDFs read directly: each printed fixture gives the records of the
//! workbook it was printed from, field by field (raw display forms may
//! differ: values are compared), and the PDFs that cannot be read fail
//! alone with an error that says why.
//!
//! The fixtures and how they were made: `fixtures/pdf/README.md`.

mod support;

use support::{department, import, json, root};

fn read(path: &str) -> Result<hyoka::Document, hyoka::Error> {
    let bytes = std::fs::read(root().join(path)).unwrap();
    hyoka::read(path, &bytes, &Default::default())
}

#[test]
fn unreadable_pdfs_fail_alone_and_say_why() {
    let err = |path: &str| read(path).unwrap_err().to_string();
    let ocr = err("fixtures/pdf/iga-2022-citylike-a4-no-tounicode.pdf");
    assert!(ocr.contains("needs OCR"), "{ocr}");
    assert!(ocr.contains("IPAexGothic"), "{ocr}");
    let scan = err("fixtures/pdf/synthetic-scan.pdf");
    assert!(scan.contains("no text") && scan.contains("OCR"), "{scan}");
    let encrypted = err("fixtures/pdf/encrypted-password.pdf");
    assert!(
        encrypted.contains("encrypted with a password"),
        "{encrypted}"
    );
    // Restrictions without a password to open (an empty user password)
    // do not stop reading.
    let open = read("fixtures/pdf/encrypted-no-user-password.pdf").unwrap();
    assert_eq!(open.sheets.len(), 1);
    assert_eq!(open.sheets[0].department, "総務部");

    // In a batch, the others are still exported.
    let out = tempfile::tempdir().unwrap();
    let run = import(
        &[
            "fixtures/pdf/iga-2022-citylike-a4-no-tounicode.pdf",
            "fixtures/pdf/iga-2022-citylike-a3.pdf",
            "fixtures/pdf/encrypted-password.pdf",
        ],
        out.path(),
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no-tounicode.pdf: the text of this PDF cannot be read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("encrypted-password.pdf: the PDF is encrypted"),
        "{stderr}"
    );
    let index = json(&out.path().join("index.json"));
    let statuses: Vec<(&str, &str)> = index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["format"].as_str().unwrap_or(""),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [("pdf", "error"), ("pdf", "ok"), ("pdf", "error")]
    );
    let general = json(&department(out.path(), "総務部"));
    let sheets = general["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 2);
    assert_eq!(sheets[0]["source"]["format"], "pdf");
    assert_eq!(sheets[0]["source"]["pages"], serde_json::json!([2, 2]));
}
