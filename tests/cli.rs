//! The command line: subcommands, exit statuses and messages.

mod support;

use support::{hyoka, import};

#[test]
fn schema_prints_the_committed_schemas() {
    for (kind, file) in [
        ("department", "department.schema.json"),
        ("index", "index.schema.json"),
        ("datapackage", "datapackage.schema.json"),
    ] {
        let run = hyoka(&["schema", kind]);
        assert!(run.status.success());
        let committed = std::fs::read(support::root().join("schemas").join(file)).unwrap();
        assert_eq!(run.stdout, committed);
    }
}

#[test]
fn validate_accepts_output_and_rejects_tampered_files() {
    let out = tempfile::tempdir().unwrap();
    assert!(import(&["fixtures/iga"], out.path(), &[]).status.success());
    let index = out.path().join("index.json");
    let department = out.path().join("総務部.json");
    let run = hyoka(&[
        "validate",
        index.to_str().unwrap(),
        department.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let mut doc = support::json(&department);
    doc["sheets"][0]["basic_projects"][0]["progress"]["code"] = "fine".into();
    let bad = out.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = hyoka(&["validate", bad.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("/sheets/0/basic_projects/0/progress"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = hyoka(&["import", "fixtures/iga"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--out"));
    let run = hyoka(&[
        "import",
        "fixtures/iga",
        "--out",
        "fixtures/iga/000_46863bf7e879b4fa.txt",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is a file"));
}
