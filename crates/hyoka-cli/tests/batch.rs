//! Batch behaviour of `hyoka import`: determinism across `--jobs`, per-file
//! isolation, exit statuses, stale files, JSON Lines.

mod support;

use std::path::Path;

use support::{department, files, import, json, root};

/// A folder with the real document under several names and departments, so
/// the batch has more than one file per department and jobs interleave.
fn corpus(dir: &Path) {
    let text =
        std::fs::read_to_string(root().join("fixtures/iga/000_46863bf7e879b4fa.txt")).unwrap();
    for (i, dept) in [
        "総務部",
        "健康福祉部",
        "教育委員会事務局",
        "財務部",
        "建設部",
        "総務部",
    ]
    .iter()
    .enumerate()
    {
        let varied = text.replacen("企画振興部", dept, 1);
        std::fs::write(dir.join(format!("city{i}.txt")), varied).unwrap();
    }
}

/// The corpus imported once into a fresh output folder: (input, output).
fn imported_corpus() -> (tempfile::TempDir, tempfile::TempDir) {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    let out = tempfile::tempdir().unwrap();
    let run = import(&[input.path().to_str().unwrap()], out.path(), &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (input, out)
}

#[test]
fn jobs_do_not_change_the_output() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    // Enough files for several parse-and-spool chunks whatever --jobs is.
    let text = std::fs::read(input.path().join("city1.txt")).unwrap();
    for i in 0..90 {
        std::fs::write(input.path().join(format!("more{i:02}.txt")), &text).unwrap();
    }
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let input_path = input.path().to_str().unwrap();
    assert!(
        import(&[input_path], one.path(), &["--jobs", "1"])
            .status
            .success()
    );
    assert!(
        import(&[input_path], two.path(), &["--jobs", "2"])
            .status
            .success()
    );
    let (a, b) = (files(one.path()), files(two.path()));
    assert!(a.len() > 4, "{:?}", a.keys());
    assert_eq!(a, b);
}

#[test]
fn one_corrupt_file_fails_alone() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    // Binary junk with a text extension, and a file that is not UTF-8, CP932
    // or anything else readable.
    std::fs::write(
        input.path().join("city3.txt"),
        b"\x00\x01\x02PK\x03\x04garbage",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = import(&[input.path().to_str().unwrap()], out.path(), &[]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("city3.txt") && stderr.contains("binary"),
        "{stderr}"
    );

    let index = json(&out.path().join("index.json"));
    let inputs = index["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 6);
    for entry in inputs {
        let failed = entry["file"].as_str().unwrap().ends_with("city3.txt");
        assert_eq!(
            entry["status"],
            if failed { "error" } else { "ok" },
            "{entry}"
        );
        assert_eq!(entry["error"].is_null(), !failed);
    }
    // Every other file's sheets are exported: 5 good files of 5 sheets.
    let sheets: u64 = index["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sheets"].as_u64().unwrap())
        .sum();
    assert_eq!(sheets, 25);
    assert!(department(out.path(), "建設部").exists());
}

#[test]
fn missing_input_is_reported_and_the_rest_exported() {
    let out = tempfile::tempdir().unwrap();
    let run = import(
        &["fixtures/iga", "fixtures/no-such-file.txt"],
        out.path(),
        &[],
    );
    assert_eq!(run.status.code(), Some(1));
    let index = json(&out.path().join("index.json"));
    let missing = &index["inputs"][1];
    assert_eq!(missing["file"], "no-such-file.txt");
    assert_eq!(missing["status"], "error");
    assert_eq!(missing["error"], "no such file or folder");
    assert_eq!(index["departments"].as_array().unwrap().len(), 4);
}

#[test]
fn stale_department_files_are_removed_with_notice() {
    let (_input, out) = imported_corpus();
    assert!(department(out.path(), "建設部").exists());
    // A file the user put there is never touched.
    std::fs::write(out.path().join("notes.json"), b"{}").unwrap();
    let run = support::hyoka(&[
        "import",
        "fixtures/iga",
        "--out",
        out.path().to_str().unwrap(),
        "--replace",
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("removed departments/unknown/建設部.json"),
        "{stderr}"
    );
    assert!(!department(out.path(), "建設部").exists());
    assert!(out.path().join("notes.json").exists());
    assert!(department(out.path(), "総務部").exists());
}

#[test]
fn stale_files_are_kept_when_some_input_failed() {
    let (input, out) = imported_corpus();
    // The file that held 建設部 is now broken: its department must not be
    // deleted just because this run could not read it.
    std::fs::write(input.path().join("city4.txt"), b"\x00\x01binary").unwrap();
    // Added to, the folder keeps the earlier records of the file that failed.
    let run = support::hyoka(&[
        "import",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let kept = json(&department(out.path(), "建設部"));
    assert!(!kept["sheets"].as_array().unwrap().is_empty());
    // Written anew, it keeps the earlier file whole.
    let run = support::hyoka(&[
        "import",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--replace",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("kept departments/unknown/建設部.json"),
        "{stderr}"
    );
    assert!(department(out.path(), "建設部").exists());
}

#[test]
fn no_temporary_files_are_left_behind() {
    let out = tempfile::tempdir().unwrap();
    assert!(import(&["fixtures/iga"], out.path(), &[]).status.success());
    for name in files(out.path()).keys() {
        assert!(name.ends_with(".json") && !name.starts_with('.'), "{name}");
    }
}

#[test]
fn json_lines_stream_one_sheet_per_line() {
    let run = support::hyoka(&["import", "fixtures/iga", "--jsonl", "-", "--quiet"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    let departments: Vec<&str> = lines
        .iter()
        .map(|s| s["department"].as_str().unwrap())
        .collect();
    assert_eq!(
        departments,
        [
            "総務部",
            "財務部",
            "総務部",
            "企画振興部",
            "デジタル自治推進局"
        ]
    );
    assert_eq!(lines[4]["source"]["ordinal"], 5);
}

/// `--jsonl` into something that is not a regular file (here a symbolic
/// link; the same holds for /dev/null or a named pipe) writes through it
/// instead of renaming a new file over it.
#[cfg(unix)]
#[test]
fn json_lines_write_through_links_and_devices() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sheets.jsonl");
    std::fs::write(&target, b"").unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = support::hyoka(&[
        "import",
        "fixtures/iga",
        "--jsonl",
        link.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap().lines().count(), 5);
}

#[test]
fn strict_turns_warnings_into_failures() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&["fixtures/iga"], out.path(), &["--strict"]);
    assert_eq!(run.status.code(), Some(1));
    let index = json(&out.path().join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "error");
    assert!(
        index["inputs"][0]["error"]
            .as_str()
            .unwrap()
            .contains("--strict")
    );
    assert!(index["departments"].as_array().unwrap().is_empty());
}

/// A workbook in labels hyoka does not know, named on the command line,
/// gives no sheet: loudly without `--strict`, a failure with it; a cover
/// page met in a walked folder stays a quiet skip either way.
#[test]
fn a_named_file_without_a_sheet_is_said_and_fails_under_strict() {
    let unknown = "fixtures/templates/custom-labels.xlsx";
    let out = tempfile::tempdir().unwrap();
    let run = support::hyoka(&["import", unknown, "--out", out.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("warning: {unknown}: no sheet found")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "0 sheet(s) (warning: no sheet found in {unknown})"
        )),
        "{stderr}"
    );

    let out = tempfile::tempdir().unwrap();
    let run = import(&[unknown], out.path(), &["--strict"]);
    assert_eq!(run.status.code(), Some(1));
    let index = json(&out.path().join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "error");
    let error = index["inputs"][0]["error"].as_str().unwrap();
    assert!(error.contains("--strict: no sheet found"), "{error}");
    assert!(error.contains("--template"), "{error}");

    // In a folder, a cover page is what folders hold: no warning, no failure.
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::root().join("tests/bad_inputs/cover-page.csv"),
        folder.path().join("cover-page.csv"),
    )
    .unwrap();
    std::fs::copy(
        support::root().join("fixtures/iga/000_46863bf7e879b4fa.txt"),
        folder.path().join("iga.txt"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = import(&[folder.path().to_str().unwrap()], out.path(), &[]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!stderr.contains("no sheet found"), "{stderr}");
}

#[test]
fn summary_line_counts_everything() {
    let out = tempfile::tempdir().unwrap();
    let run = support::hyoka(&[
        "import",
        "fixtures/iga",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "1 file(s): 1 ok, 0 skipped, 0 failed; 5 sheet(s) in 4 department(s); 9 warning(s)"
        ),
        "{stderr}"
    );
}
