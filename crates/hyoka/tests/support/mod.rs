//! Shared helpers for the library's tests: the repository root, JSON
//! files, and comparing records field by field.

#![allow(dead_code)]

pub mod hostile;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
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
