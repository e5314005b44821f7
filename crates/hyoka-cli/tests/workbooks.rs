//! Workbooks read directly: `.xlsx`, `.xls` and `.ods` give the same records
//! as the converter text, stacked sheets are split, every kind of cell is
//! handled deliberately, and a broken workbook fails alone.
//!
//! The fixtures and how each was made: `fixtures/workbooks/make_fixtures.py`.

mod support;

use support::{department, import, json};

const IGA_XLSX: &str = "fixtures/workbooks/iga-2022-workbook.xlsx";

#[test]
fn broken_workbooks_fail_alone_with_a_message_for_people() {
    let out = tempfile::tempdir().unwrap();
    let broken = [
        (
            "fixtures/workbooks/broken/corrupt.xlsx",
            "worksheet `施策1` is damaged",
        ),
        (
            "fixtures/workbooks/broken/password.xlsx",
            "the workbook is protected with a password",
        ),
        (
            "fixtures/workbooks/broken/truncated.xlsx",
            "the xlsx workbook is incomplete",
        ),
        (
            "fixtures/workbooks/broken/web-page.xls",
            "it is a web page (HTML)",
        ),
    ];
    let mut inputs: Vec<&str> = broken.iter().map(|(p, _)| *p).collect();
    inputs.push(IGA_XLSX);
    let run = import(&inputs, out.path(), &[]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    for (path, message) in broken {
        assert!(
            stderr.contains(&format!("error: {path}: ")),
            "{path} not named:\n{stderr}"
        );
        assert!(stderr.contains(message), "{message}:\n{stderr}");
    }
    let index = json(&out.path().join("index.json"));
    let inputs = index["inputs"].as_array().unwrap();
    for (entry, (path, message)) in inputs.iter().zip(broken) {
        assert_eq!(entry["file"], path.rsplit('/').next().unwrap());
        assert_eq!(entry["status"], "error");
        assert!(
            entry["error"].as_str().unwrap().contains(message),
            "{entry}"
        );
    }
    let good = &inputs[4];
    assert_eq!(
        (&good["status"], &good["sheets"]),
        (&"ok".into(), &5.into())
    );
    assert_eq!(index["departments"].as_array().unwrap().len(), 4);
    assert!(department(out.path(), "総務部").is_file());
}
