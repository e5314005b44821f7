//! Shared helpers for the end-to-end tests: run the `hyoka` binary and
//! compare output folders with reviewed golden copies.

#![allow(dead_code)]

// The helpers the library's tests have too (the repository root, JSON
// files, records compared field by field, the hostile inputs), from the
// one copy in the library's test support.
#[path = "../../../hyoka/tests/support/mod.rs"]
mod library;
#[allow(unused_imports)] // each test uses some of them
pub use library::{differences, hostile, json, raw_equivalent, root};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `hyoka` with `args` from the repository root, so input paths in
/// the output are relative and stable.
pub fn hyoka(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hyoka"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("hyoka runs")
}

/// Runs `hyoka import INPUTS --out DIR --quiet` and returns the output.
pub fn import(inputs: &[&str], out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["import"];
    args.extend(inputs);
    args.extend(["--out", out, "--quiet"]);
    args.extend(extra);
    hyoka(&args)
}

/// Runs `hyoka report OUT --out SITE --lang LANG` and returns the output.
pub fn report(out: &Path, site: &Path, lang: &str) -> Output {
    hyoka(&[
        "report",
        out.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
        "--lang",
        lang,
    ])
}

/// The department file of `department` in an output folder:
/// `departments/<municipality>/<department>.json`, the one there is (or,
/// when there is none, the path it would have for an unknown municipality).
pub fn department(dir: &Path, department: &str) -> std::path::PathBuf {
    let name = format!("{department}.json");
    let mut found = Vec::new();
    if let Ok(folders) = std::fs::read_dir(dir.join("departments")) {
        for folder in folders.flatten() {
            let path = folder.path().join(&name);
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(
        found.len() <= 1,
        "{department} in several folders: {found:?}"
    );
    found
        .pop()
        .unwrap_or_else(|| dir.join("departments/unknown").join(name))
}

/// A CSV table as rows of cells, header first (byte-order mark removed).
pub fn table(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// One column of a table, by header.
pub fn column(rows: &[Vec<String>], header: &str) -> Vec<String> {
    let at = rows[0].iter().position(|h| h == header).unwrap();
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

/// Every file under `dir` by its `/`-separated path relative to `dir`.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, "", &mut out);
    out
}

fn collect(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        // Hidden files are not output: `.hyoka.lock` holds the last
        // writer's process id.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().unwrap();
        if kind.is_file() {
            out.insert(name, std::fs::read(entry.path()).unwrap());
        } else if kind.is_dir() {
            collect(&entry.path(), &format!("{name}/"), out);
        }
    }
}

/// Files of a golden case folder that describe the case rather than
/// being expected output: the arguments, the expected exit status, and
/// inputs kept inside the case.
pub const CASE_FILES: [&str; 3] = ["args", "exit-status", "input"];

/// Whether `name` (a path inside a case, `/`-separated) is one of the
/// case's own files rather than expected output.
fn is_case_file(name: &str) -> bool {
    let top = name.split('/').next().unwrap_or(name);
    CASE_FILES.contains(&top)
}

/// Compares an output folder with `tests/golden/<case>`, file by file and
/// byte for byte (the case's own files, [`CASE_FILES`], aside). With
/// `UPDATE_GOLDEN=1` the expected outputs are rewritten instead; review the
/// diff before committing it. Returns the first difference, if any.
pub fn check_golden(case: &str, out: &Path) -> Result<(), String> {
    let golden = root().join("tests/golden").join(case);
    let actual = files(out);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&golden).unwrap();
        for old in files(&golden).keys() {
            if !is_case_file(old) {
                std::fs::remove_file(golden.join(old)).unwrap();
            }
        }
        for (name, bytes) in &actual {
            let path = golden.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        return Ok(());
    }
    if !golden.is_dir() {
        return Err(format!(
            "no golden copy at {}; run with UPDATE_GOLDEN=1 and review it",
            golden.display()
        ));
    }
    let mut expected = files(&golden);
    expected.retain(|name, _| !is_case_file(name));
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    if names(&actual) != names(&expected) {
        return Err(format!(
            "{case}: output files differ: got {:?}, want {:?}",
            names(&actual),
            names(&expected)
        ));
    }
    for (name, bytes) in &expected {
        let got = &actual[name];
        if got != bytes {
            let got = String::from_utf8_lossy(got);
            let want = String::from_utf8_lossy(bytes);
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or(got.lines().count().min(want.lines().count()), |l| l);
            return Err(format!(
                "{case}/{name} differs from the golden copy at line {}:\n  got:  {}\n  want: {}\n\
                 (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    Ok(())
}

/// [`check_golden`], panicking on a difference.
pub fn assert_golden(case: &str, out: &Path) {
    if let Err(e) = check_golden(case, out) {
        panic!("{e}");
    }
}
