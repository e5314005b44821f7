//! Hostile PDFs and workbooks (issue 27) as one batch: all of the red
//! team's shapes (made by the library's test support, where each is tested
//! alone) beside a good PDF, imported by the command: the good one is
//! exported, and the batch's peak memory stays bounded.
//!
//! Work is bounded by counters, so no assertion here is about time.

mod support;

use support::hostile::hostile_batch;
use support::{hyoka, root};

#[test]
fn a_batch_of_them_exports_the_good_pdf_within_512_mb() {
    let input = tempfile::tempdir().unwrap();
    hostile_batch(input.path());
    std::fs::copy(
        root().join("fixtures/pdf/iga-2022-citylike-a4.pdf"),
        input.path().join("good.pdf"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    // Two files at a time, whatever the machine's cores.
    // Not --quiet: the summary line reports the peak memory.
    let run = hyoka(&[
        "import",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("index.json")).unwrap()).unwrap();
    let good = index["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with("good.pdf"))
        .unwrap_or_else(|| panic!("{index}"));
    assert_eq!(good["status"], "ok", "{good}");
    let summary = stderr
        .lines()
        .find(|l| l.starts_with("hyoka: 9 file(s)"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(summary.contains("9 file(s): 1 ok"), "{summary}");
    // Peak memory is in the summary where the system says it (Linux).
    if cfg!(not(target_os = "linux")) {
        eprintln!("peak memory not checked: the summary gives it on Linux only");
        return;
    }
    let mib: u64 = summary
        .rsplit("peak memory ")
        .next()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    eprintln!("{summary}");
    assert!(mib < 512, "{summary}");
}
