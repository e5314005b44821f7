//! Replays the fuzzers' kept corpus and every crash reproducer (see
//! `fuzz/README.md`) through the whole path from bytes to records, in every
//! format: none may panic, and each must finish within a time budget.
//!
//! The long fuzzing runs are not part of the test suite; this replay is.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hyoka::model::Format;

#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod hyoka_fuzz;

/// Each input, in all formats together, must be read within this (a debug
/// build is several times slower than the release build the fuzzer runs).
const BUDGET: Duration = Duration::from_secs(10);

const FORMATS: [Format; 8] = [
    Format::Text,
    Format::Tsv,
    Format::Csv,
    Format::Xlsx,
    Format::Xlsm,
    Format::Xls,
    Format::Ods,
    Format::Pdf,
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Every file under `dir`, sorted.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(inputs(&path));
        } else if path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Reads `bytes` in every format and, for inputs of the `zip_parts`
/// target, as the workbook they describe.
fn replay(path: &Path, bytes: &[u8]) {
    let options = hyoka::Options::default();
    for format in FORMATS {
        let _ = hyoka::read_as("fuzz", bytes, format, &options);
    }
    let zip_parts = path.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|s| s.contains("zip_parts"))
    });
    if zip_parts {
        hyoka_fuzz::zip_parts::run(bytes);
    }
}

#[test]
fn kept_fuzz_inputs_read_without_panic_in_bounded_time() {
    let corpus = inputs(&fuzz_dir().join("corpus"));
    let regressions = inputs(&fuzz_dir().join("regressions"));
    assert!(
        corpus.len() >= 20,
        "the kept corpus is missing: {}",
        corpus.len()
    );
    assert!(!regressions.is_empty(), "the crash reproducers are missing");
    let mut failures = Vec::new();
    for path in corpus.iter().chain(&regressions) {
        let bytes = std::fs::read(path).unwrap();
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| replay(path, &bytes)));
        let took = started.elapsed();
        let name = path.strip_prefix(fuzz_dir()).unwrap_or(path).display();
        if result.is_err() {
            failures.push(format!("{name}: panicked"));
        } else if took > BUDGET {
            failures.push(format!("{name}: took {took:?}, more than {BUDGET:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_text_crash_reproducer_still_reads() {
    // A UTF-16 sheet whose PLAN title shares its row with a later table's
    // title (found by the `text` fuzzer): the PLAN table has no rows.
    let path = fuzz_dir().join("regressions/text-crash-dc8b5face495977ba7c78cdea3a68693e812b8db");
    let bytes = std::fs::read(path).unwrap();
    let doc = hyoka::read_as("x.txt", &bytes, Format::Text, &Default::default()).unwrap();
    assert!(!doc.sheets.is_empty());
}
