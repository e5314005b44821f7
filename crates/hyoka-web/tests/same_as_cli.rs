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
    // Dropped on the page, a file has its name only, as `hyoka import`
    // records a file given.
    let name = input.rsplit('/').next().unwrap();
    batch.add(name, &bytes);
    let files = batch.department_files();
    assert!(!files.is_empty(), "{name}");
    for file in files {
        let found: Vec<PathBuf> = std::fs::read_dir(golden.join("departments"))
            .unwrap()
            .map(|e| e.unwrap().path().join(&file.file_name))
            .filter(|p| p.is_file())
            .collect();
        assert_eq!(found.len(), 1, "{name}: {}: {found:?}", file.file_name);
        let want = std::fs::read_to_string(&found[0]).unwrap();
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
