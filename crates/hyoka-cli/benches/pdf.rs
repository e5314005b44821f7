//! PDF benchmark: copies of the printed fixtures (A3, A4, the CID-font
//! rewrite, B4, Letter) until the corpus holds at least 200 pages, imported
//! by the release binary (all cores and `--jobs 1`, schema validation on).
//! Where poppler's `pdftotext` is installed, the same run times it dumping
//! the text of the same files one after another, for comparison.
//!
//! `cargo bench -p hyoka-cli --bench pdf` prints pages, wall time and
//! pages/s of each run (median of three). `HYOKA_BENCH_PDF_PAGES=N` changes
//! the page floor (default 200).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The fixtures copied, with their page counts.
const FIXTURES: [(&str, usize); 5] = [
    ("iga-2022-citylike-a3.pdf", 6),
    ("iga-2022-citylike-a4.pdf", 14),
    ("iga-2022-citylike-a4-cairo.pdf", 14),
    ("variant-b4-serif-medium.pdf", 13),
    ("variant-letter-sans-portrait.pdf", 7),
];

fn generate(dir: &Path, floor: usize) -> (usize, usize) {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pdf");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let (mut pages, mut files) = (0, 0);
    while pages < floor {
        for (name, n) in FIXTURES {
            let to = dir.join(format!("{files:04}-{name}"));
            std::fs::copy(fixtures.join(name), to).unwrap();
            pages += n;
            files += 1;
        }
    }
    (files, pages)
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn hyoka(corpus: &Path, out: &Path, jobs: Option<usize>) -> f64 {
    let _ = std::fs::remove_dir_all(out);
    let mut command = Command::new(env!("CARGO_BIN_EXE_hyoka"));
    command
        .arg("import")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    if let Some(j) = jobs {
        command.arg("--jobs").arg(j.to_string());
    }
    let started = Instant::now();
    let output = command.output().expect("hyoka runs");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "hyoka failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    wall
}

/// `pdftotext` over every file, one after another; `None` when it is not
/// installed.
fn pdftotext(corpus: &Path) -> Option<f64> {
    Command::new("pdftotext").arg("-v").output().ok()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let started = Instant::now();
    for f in &files {
        let status = Command::new("pdftotext")
            .arg(f)
            .arg("/dev/null")
            .status()
            .ok()?;
        assert!(status.success(), "pdftotext failed on {}", f.display());
    }
    Some(started.elapsed().as_secs_f64())
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then one small run is enough.
    let benching = std::env::args().any(|a| a == "--bench");
    let floor: usize = std::env::var("HYOKA_BENCH_PDF_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 200 } else { 20 });
    let repeat = if benching { 3 } else { 1 };
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/hyoka-bench");
    let corpus = target.join(format!("pdf-{floor}"));
    let (files, pages) = generate(&corpus, floor);
    println!(
        "corpus: {files} PDFs, {pages} pages in {}",
        corpus.display()
    );
    let out = target.join("out-pdf");
    for (label, jobs) in [("hyoka, all cores", None), ("hyoka, --jobs 1", Some(1))] {
        let wall = median((0..repeat).map(|_| hyoka(&corpus, &out, jobs)).collect());
        println!(
            "{label:>22}: {wall:.2} s, {:.0} pages/s",
            pages as f64 / wall
        );
    }
    let runs: Option<Vec<f64>> = (0..repeat).map(|_| pdftotext(&corpus)).collect();
    match runs {
        Some(runs) => {
            let wall = median(runs);
            println!(
                "{:>22}: {wall:.2} s, {:.0} pages/s (text dump only, one file at a time)",
                "pdftotext",
                pages as f64 / wall
            );
        }
        None => println!("pdftotext is not installed: no comparison"),
    }
}
