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

/// Every file in `dir` (not recursive) by name.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        // Hidden files are not output: `.hyoka.lock` holds the last
        // writer's process id.
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().unwrap().is_file() && !hidden {
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// Compares an output folder with `tests/golden/<case>`, file by file and
/// byte for byte. With `UPDATE_GOLDEN=1` the golden copy is rewritten
/// instead; review the diff before committing it.
pub fn assert_golden(case: &str, out: &Path) {
    let golden = root().join("tests/golden").join(case);
    let actual = files(out);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&golden);
        std::fs::create_dir_all(&golden).unwrap();
        for (name, bytes) in &actual {
            std::fs::write(golden.join(name), bytes).unwrap();
        }
        return;
    }
    assert!(
        golden.is_dir(),
        "no golden copy at {}; run with UPDATE_GOLDEN=1 and review it",
        golden.display()
    );
    let expected = files(&golden);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&actual),
        names(&expected),
        "{case}: output files differ"
    );
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
            panic!(
                "{case}/{name} differs from the golden copy at line {}:\n  got:  {}\n  want: {}\n\
                 (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>"),
            );
        }
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
    use hyoka::normalize::{self, ParsedNumber};
    if a == b {
        return true;
    }
    let (Some(a), Some(b)) = (a.as_str(), b.as_str()) else {
        return false;
    };
    match (normalize::number(a), normalize::number(b)) {
        (ParsedNumber::Number { value: x, .. }, ParsedNumber::Number { value: y, .. }) => x == y,
        (ParsedNumber::NoValue, ParsedNumber::NoValue) => true,
        _ => false,
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
