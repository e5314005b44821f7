//! Shared helpers for the end-to-end tests: run the `hyoka` binary and
//! compare output folders with reviewed golden copies.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

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

/// Parses a JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Whether two `raw` texts say the same. `raw` is the cell's text as
/// written, and the same cell is written differently by different forms:
/// the PDF converter prints what the sheet showed (`3,878,604`, `40.0`,
/// `—`), while a workbook stores the number itself, which hyoka writes in
/// its shortest form (`3878604`, `40`), and Excel's Shift_JIS export has no
/// em dash (`―`). So two raws are equivalent when they are equal, when both
/// parse to the same number, or when both are a dash (no value); the parsed
/// `value`s are compared exactly.
pub fn raw_equivalent(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    if a == b {
        return true;
    }
    let (Some(a), Some(b)) = (a.as_str(), b.as_str()) else {
        return false;
    };
    // The library's number reader is internal; the forms compared here
    // differ only in separators (`3,878,604`), trailing zeros (`40.0`) and
    // the dash written for no value.
    let dash = |s: &str| !s.is_empty() && s.chars().all(|c| "-‐―—－ー".contains(c));
    let number = |s: &str| s.replace(',', "").parse::<f64>().ok();
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => dash(a.trim()) && dash(b.trim()),
    }
}

/// Every difference between two JSON values, by path; `raw` fields are
/// compared with [`raw_equivalent`], everything else exactly.
pub fn differences(
    a: &serde_json::Value,
    b: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let path = format!("{path}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) if key == "raw" => {
                        if !raw_equivalent(p, q) {
                            out.push(format!("{path}: {p} vs {q}"));
                        }
                    }
                    (Some(p), Some(q)) => differences(p, q, &path, out),
                    (p, q) => out.push(format!("{path}: {p:?} vs {q:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                out.push(format!("{path}: {} items vs {}", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{path}/{i}"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}
