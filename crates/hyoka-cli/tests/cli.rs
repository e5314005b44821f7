//! The command line: subcommands, exit statuses and messages.

mod support;

use support::{department, hyoka, import};

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
    let department = department(out.path(), "総務部");
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

#[test]
fn template_prints_the_builtin_template_and_import_reads_a_copy() {
    let run = hyoka(&["template"]);
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.contains("[kpi]") && text.contains("# hyoka template"));
    // The printed template, unchanged, reads the corpus as the built-in one.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.toml");
    std::fs::write(&copy, &text).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let input = ["fixtures/workbooks/iga-2022-workbook.xlsx"];
    assert!(import(&input, &a, &[]).status.success());
    let run = import(&input, &b, &["--template", copy.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(support::files(&a), support::files(&b));
}

#[test]
fn a_template_with_a_bad_key_is_a_usage_error_naming_it() {
    let builtin = String::from_utf8(hyoka(&["template"]).stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (edit, key) in [
        (builtin.replace("baseline = ", "base_line = "), "base_line"),
        (
            builtin.replace(r#"issues = ["課題", "課題・問題点"]"#, "issues = []"),
            "check.issues",
        ),
        ("[sheet\n".to_string(), "line 1"),
    ] {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, edit).unwrap();
        let out = dir.path().join("out");
        let run = import(
            &["fixtures/iga"],
            &out,
            &["--template", file.to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(key), "{key}: {stderr}");
        assert!(!out.exists(), "nothing is written with a bad template");
    }
}

/// Without the template that knows its labels, the custom-labels workbook
/// holds no sheet hyoka recognises: the user-template golden case shows
/// the template file is what reads it.
#[test]
fn custom_labels_need_their_template() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&["fixtures/templates/custom-labels.xlsx"], out.path(), &[]);
    assert!(run.status.success());
    let index = support::json(&out.path().join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "skipped");
}

/// Workbooks that made calamine panic, found by the fuzzer, fail alone and
/// in words: one whose sector chain runs past the file's end is named
/// incomplete by hyoka's own check before calamine sees it; one that still
/// panics inside calamine (an index out of bounds in a record) is named
/// damaged, and no Rust panic message or backtrace reaches stderr.
#[test]
fn a_parser_panic_is_the_files_error_not_a_backtrace() {
    for (reproducer, said) in [
        (
            "workbook-xls-sector-past-end",
            "the xls workbook is incomplete",
        ),
        (
            "workbook-xls-calamine-index-panic",
            "the xls workbook is damaged",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("damaged.xls");
        std::fs::copy(
            support::root().join("fuzz/regressions").join(reproducer),
            &input,
        )
        .unwrap();
        let out = tmp.path().join("out");
        let run = support::import(&[input.to_str().unwrap()], &out, &[]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("damaged.xls: {said}")), "{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
}
