//! The page's open-data zip holds the CLI's tables and package, byte for
//! byte: each golden case made with `--csv` and no other flag is imported
//! through [`hyoka_web::Batch`], every input under its file name (as a
//! dropped file has it), and every entry of the zip must equal the golden
//! `csv/*.csv` or `datapackage.json` `hyoka import --csv` wrote.

use std::io::Read;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn batch(case: &str) -> hyoka_web::Batch {
    let golden = root().join("tests/golden").join(case);
    let args = std::fs::read_to_string(golden.join("args")).unwrap();
    let args: Vec<&str> = args
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(args.ends_with(&["--csv"]), "{case}: inputs and --csv only");
    let mut batch = hyoka_web::Batch::default();
    for input in &args[..args.len() - 1] {
        let bytes = std::fs::read(root().join(input)).unwrap();
        let report = batch.add(input.rsplit('/').next().unwrap(), &bytes);
        assert_eq!(report.status, "ok", "{case}: {input}: {:?}", report.error);
    }
    batch
}

fn case(name: &str) {
    let golden = root().join("tests/golden").join(name);
    let zip = batch(name).open_data_zip();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let path = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let want = std::fs::read(golden.join(&path))
            .unwrap_or_else(|e| panic!("{name}: {path}: no golden file: {e}"));
        assert!(want == bytes, "{name}: {path} differs from the CLI's");
        entries.push(path);
    }
    // Every file the CLI wrote is in the zip, and the package comes last.
    let mut golden_files: Vec<String> = std::fs::read_dir(golden.join("csv"))
        .unwrap()
        .map(|e| format!("csv/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    golden_files.push("datapackage.json".into());
    let mut sorted = entries.clone();
    sorted.sort();
    golden_files.sort();
    assert_eq!(sorted, golden_files, "{name}");
    assert_eq!(entries.last().map(String::as_str), Some("datapackage.json"));
}

#[test]
fn the_project_list_gives_the_clis_tables_and_package() {
    case("project-list");
}

#[test]
fn several_files_give_the_clis_tables_and_package() {
    // Four inputs, the same project in two of them: IDs made distinct
    // across the session as across a run.
    case("project-sheets");
}

#[test]
fn the_zip_is_the_same_every_time() {
    let a = batch("project-list").open_data_zip();
    let b = batch("project-list").open_data_zip();
    assert!(a == b, "the zip differs between two sessions");
}
