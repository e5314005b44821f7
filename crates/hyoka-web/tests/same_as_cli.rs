//! The page's department files are the CLI's, byte for byte: each golden
//! case of one file given by its path is imported through [`hyoka_web::Batch`]
//! under the same name, and every department file it offers must equal the
//! golden copy `hyoka import` wrote.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn case(name: &str) {
    let golden = root().join("tests/golden").join(name);
    let args = std::fs::read_to_string(golden.join("args")).unwrap();
    let input = args
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .unwrap()
        .trim()
        .to_owned();
    let bytes = std::fs::read(root().join(&input)).unwrap();
    let mut batch = hyoka_web::Batch::default();
    batch.add(&input, &bytes);
    let files = batch.department_files();
    assert!(!files.is_empty(), "{name}");
    for file in files {
        let want = std::fs::read_to_string(golden.join(&file.file_name))
            .unwrap_or_else(|e| panic!("{name}: {}: {e}", file.file_name));
        assert!(
            want == file.json,
            "{name}: {} differs from the CLI's",
            file.file_name
        );
    }
}

#[test]
fn the_pdf_gives_the_clis_department_files() {
    case("iga-pdf-a4");
}

#[test]
fn the_workbook_gives_the_clis_department_files() {
    case("iga-xlsx");
}

#[test]
fn the_text_export_gives_the_clis_department_files() {
    case("iga-text");
}
