//! Whole-CLI batch benchmark, measured against its floor: what any importer
//! must do anyway on the same files, timed in the same run.
//!
//! - **text**: a generated corpus of 10,000 sheets (2,000 files of five
//!   sheets, forty departments, varied values). Floor: read every file,
//!   check it is UTF-8 and NFKC-normalize it, in parallel on the same number
//!   of threads. The import with `--csv` (the open-data tables too) is
//!   timed once more, with all cores.
//! - **workbooks**: 400 copies of the corpus workbook (2,000 sheets). Floor:
//!   calamine opening each workbook and reading every worksheet's cells and
//!   merged ranges, in parallel.
//! - **pdf**: copies of the two PDF fixtures, A4 (14 pages) and A3 (6
//!   pages), 240 pages by default. Floor: the PDF reader's own extraction of
//!   every page's text and lines (`hyoka::pdf_extraction_for_bench`), without
//!   building grids or sheets, in parallel. When `pdftotext` is installed it
//!   is timed on the same files too, one process per file, for scale.
//!
//! Each import runs the release binary (schema validation on) with all
//! cores and with `--jobs 1`; every figure is the best of five runs, and the
//! ratio is import time over floor time on the same thread count. Reading
//! alone (the library's `hyoka::read` on every file, no schema checks, no
//! output) is timed on the same threads too, to tell the parser's share
//! from the output's. The runs
//! with all cores and with `--jobs 1` must write byte-identical output.
//!
//! `cargo bench -p hyoka-cli --bench batch`; `HYOKA_BENCH_FILES=N` changes
//! the text corpus (default 2000 files), `HYOKA_BENCH_WORKBOOKS=N` the
//! workbook corpus (default 400), `HYOKA_BENCH_PDFS=N` the PDF corpus
//! (default 24 files), `HYOKA_BENCH_RUNS=N` the runs per figure.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::{Reader, Xlsx};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

// The allocator the `hyoka` binary uses, so the floors and the reading
// alone are timed with the same one as the import.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEMPLATE: &str = include_str!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
const WORKBOOK: &[u8] = include_bytes!("../../../fixtures/workbooks/iga-2022-workbook.xlsx");
/// The PDF fixtures and their page counts.
const PDFS: [(&[u8], usize); 2] = [
    (
        include_bytes!("../../../fixtures/pdf/iga-2022-citylike-a4.pdf"),
        14,
    ),
    (
        include_bytes!("../../../fixtures/pdf/iga-2022-citylike-a3.pdf"),
        6,
    ),
];

/// Forty department names, as cities write them.
const DEPARTMENTS: [&str; 40] = [
    "総務部",
    "財務部",
    "企画振興部",
    "デジタル自治推進局",
    "健康福祉部",
    "子ども未来部",
    "生活環境部",
    "産業振興部",
    "建設部",
    "都市計画部",
    "上下水道部",
    "教育委員会事務局",
    "消防本部",
    "市民生活部",
    "人権生活環境部",
    "地域連携部",
    "観光戦略部",
    "農林振興部",
    "危機管理部",
    "会計管理者",
    "議会事務局",
    "監査委員事務局",
    "選挙管理委員会事務局",
    "病院事業部",
    "文化スポーツ部",
    "環境政策部",
    "福祉こども部",
    "商工労働部",
    "港湾空港部",
    "水道局",
    "交通局",
    "市長公室",
    "政策推進部",
    "行政改革推進室",
    "税務部",
    "資産経営部",
    "保健所",
    "こども家庭部",
    "経済部",
    "まちづくり推進部",
];

/// The four departments of the template, replaced per sheet.
const TEMPLATE_DEPARTMENTS: [&str; 4] = ["総務部", "財務部", "企画振興部", "デジタル自治推進局"];

/// A small deterministic generator, so every run builds the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// One file: the template's five sheets with departments and KPI values
/// varied.
fn make_file(index: usize, rng: &mut Lcg) -> String {
    let mut out = String::with_capacity(TEMPLATE.len() + 1024);
    let mut sheet = 0;
    let mut department_next = false;
    for line in TEMPLATE.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.starts_with('【') && (body.contains("主担当部局") || body.contains("担当部署"))
        {
            department_next = true;
            out.push_str(line);
            continue;
        }
        if department_next && TEMPLATE_DEPARTMENTS.contains(&body) {
            department_next = false;
            out.push_str(DEPARTMENTS[(index * 5 + sheet) % DEPARTMENTS.len()]);
            out.push('\n');
            sheet += 1;
            continue;
        }
        if body.trim_start().starts_with("実績(") {
            // Vary every plain number on a value row.
            let cells: Vec<String> = body
                .split('\t')
                .map(|cell| match cell.replace(',', "").parse::<f64>() {
                    Ok(v) => {
                        let factor = 0.5 + (rng.next() % 1000) as f64 / 1000.0;
                        let varied = v * factor;
                        if cell.contains('.') {
                            format!("{varied:.1}")
                        } else {
                            format!("{}", varied.round() as i64)
                        }
                    }
                    Err(_) => cell.to_owned(),
                })
                .collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
            continue;
        }
        out.push_str(line);
    }
    out
}

fn generate(dir: &Path, files: usize) -> u64 {
    let marker = dir.join(format!(".complete-{files}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let mut rng = Lcg(42);
        for i in 0..files {
            // A hundred cities' folders of twenty files each.
            let city = dir.join(format!("city{:03}", i / 20));
            std::fs::create_dir_all(&city).unwrap();
            std::fs::write(
                city.join(format!("sheets{i:05}.txt")),
                make_file(i, &mut rng),
            )
            .unwrap();
        }
        std::fs::write(&marker, b"").unwrap();
    }
    walk_size(dir)
}

fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            walk_size(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}

/// The files of a corpus, sorted, for the floors.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn generate_workbooks(dir: &Path, copies: usize) -> u64 {
    let marker = dir.join(format!(".complete-{copies}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        for i in 0..copies {
            std::fs::write(dir.join(format!("book{i:04}.xlsx")), WORKBOOK).unwrap();
        }
        std::fs::write(&marker, b"").unwrap();
    }
    walk_size(dir)
}

/// Copies of the PDF fixtures, alternating; the pages and bytes written.
fn generate_pdfs(dir: &Path, copies: usize) -> (usize, u64) {
    let marker = dir.join(format!(".complete-{copies}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        for i in 0..copies {
            std::fs::write(dir.join(format!("report{i:04}.pdf")), PDFS[i % 2].0).unwrap();
        }
        std::fs::write(&marker, b"").unwrap();
    }
    let pages = (0..copies).map(|i| PDFS[i % 2].1).sum();
    (pages, walk_size(dir))
}

/// The PDF floor: the reader's own extraction of text and lines, no grid.
fn pdf_floor(files: &[PathBuf]) -> usize {
    let options = hyoka::Options::default();
    sum_over(files, |_, bytes| {
        let (pages, found) =
            hyoka::pdf_extraction_for_bench(&bytes, &options).expect("the corpus PDFs read");
        pages + found
    })
}

/// Reads every file and sums what `f` makes of it, in parallel on the
/// current rayon pool: the shape of every floor.
fn sum_over(files: &[PathBuf], f: impl Fn(&Path, Vec<u8>) -> usize + Sync) -> usize {
    files
        .par_iter()
        .map(|path| f(path, std::fs::read(path).unwrap()))
        .sum()
}

/// `pdftotext -layout` on every file, one process per file, in parallel;
/// `None` when it is not installed.
fn pdftotext(files: &[PathBuf]) -> Option<usize> {
    let results: Vec<Option<usize>> = files
        .par_iter()
        .map(|path| {
            let output = Command::new("pdftotext")
                .arg("-layout")
                .arg(path)
                .arg("-")
                .output()
                .ok()?;
            output.status.success().then_some(output.stdout.len())
        })
        .collect();
    results.into_iter().sum()
}

/// The text floor: read, check UTF-8, NFKC-normalize. The normalized
/// length is summed so the work cannot be optimized away.
fn text_floor(files: &[PathBuf]) -> usize {
    sum_over(files, |_, bytes| {
        let text = std::str::from_utf8(&bytes).expect("the corpus is UTF-8");
        text.nfkc().count()
    })
}

/// The workbook floor: calamine opens each workbook and reads every
/// worksheet's cells and merged ranges.
fn workbook_floor(files: &[PathBuf]) -> usize {
    sum_over(files, |_, bytes| {
        let mut book = Xlsx::new(Cursor::new(bytes)).expect("the corpus workbook opens");
        let mut cells = 0;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("worksheets read");
            cells += range.used_cells().count();
            cells += book
                .merge_cells_by_sheet_name(&name)
                .map(|m| m.len())
                .unwrap_or(0);
        }
        cells
    })
}

/// Reading alone: the library's `hyoka::read` on every file, from bytes
/// to typed sheets, without the import's schema checks or output. The
/// sheets are counted so the work cannot be optimized away.
fn reading_alone(files: &[PathBuf]) -> usize {
    let options = hyoka::Options::default();
    sum_over(files, |path, bytes| {
        let doc = hyoka::read(&path.to_string_lossy(), &bytes, &options).expect("the corpus reads");
        doc.sheets.len()
    })
}

/// Best wall time of `runs` calls of `f`, in seconds, and the last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f();
        best = best.min(started.elapsed().as_secs_f64());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

/// One import by the release binary; its summary line.
fn import(corpus: &Path, out: &Path, jobs: usize) -> String {
    import_with(corpus, out, jobs, &[])
}

/// One import by the release binary with `extra` arguments; its summary
/// line.
fn import_with(corpus: &Path, out: &Path, jobs: usize, extra: &[&str]) -> String {
    let _ = std::fs::remove_dir_all(out);
    let output = Command::new(env!("CARGO_BIN_EXE_hyoka"))
        .arg("import")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .arg("--jobs")
        .arg(jobs.to_string())
        .args(extra)
        .output()
        .expect("hyoka runs");
    assert!(
        output.status.success(),
        "hyoka failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

fn peak_mib(summary: &str) -> &str {
    summary
        .split("peak memory ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or("?")
}

/// Every output file under `dir`, by path relative to it, with its bytes.
fn outputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Times the import against its floor with all cores and with one thread,
/// prints the figures and ratios, and checks both imports wrote the same.
fn measure(
    label: &str,
    corpus: &Path,
    (units, unit): (usize, &str),
    bytes: u64,
    runs: usize,
    floor: impl Fn(&[PathBuf]) -> usize + Sync,
) {
    let files = files_under(corpus);
    let mb = bytes as f64 / 1e6;
    println!(
        "{label}: {} files, {units} {unit}, {mb:.1} MB in {}",
        files.len(),
        corpus.display()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let target = corpus.parent().unwrap();
    let mut walls = Vec::new();
    let mut outs = Vec::new();
    for jobs in [cores, 1] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .unwrap();
        let (floor_wall, _) = best_of(runs, || pool.install(|| floor(&files)));
        let out = target.join(format!("out-{label}-jobs-{jobs}"));
        let (wall, summary) = best_of(runs, || import(corpus, &out, jobs));
        let (read_wall, _) = best_of(runs, || pool.install(|| reading_alone(&files)));
        println!(
            "  --jobs {jobs}: import {wall:.3} s ({:.0} {unit}/s, {:.1} MB/s, peak RSS {} MiB); \
             floor {floor_wall:.3} s ({:.0} {unit}/s); import/floor {:.2}x",
            units as f64 / wall,
            mb / wall,
            peak_mib(&summary),
            units as f64 / floor_wall,
            wall / floor_wall,
        );
        println!(
            "  --jobs {jobs}: reading alone (hyoka::read, no checks or output) {read_wall:.3} s; \
             reading/floor {:.2}x, import/reading {:.2}x",
            read_wall / floor_wall,
            wall / read_wall,
        );
        if label == "pdf" {
            let (wall, converted) = best_of(runs, || pool.install(|| pdftotext(&files)));
            if converted.is_some() {
                println!(
                    "  --jobs {jobs}: pdftotext -layout {wall:.3} s ({:.0} pages/s), \
                     for scale",
                    units as f64 / wall
                );
            }
        }
        walls.push(wall);
        outs.push(out);
    }
    println!(
        "  speed-up --jobs {cores} over --jobs 1: {:.2}x",
        walls[1] / walls[0]
    );
    assert!(
        outputs(&outs[0]) == outputs(&outs[1]),
        "--jobs changed the output"
    );
    println!("  outputs with --jobs {cores} and --jobs 1 are byte-identical");
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then a smoke run on a small corpus is enough.
    let benching = std::env::args().any(|a| a == "--bench");
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/hyoka-bench");
    let runs = env_or("HYOKA_BENCH_RUNS", if benching { 5 } else { 1 });

    let files = env_or("HYOKA_BENCH_FILES", if benching { 2000 } else { 20 });
    let corpus = target.join(format!("corpus-{files}"));
    let bytes = generate(&corpus, files);
    measure(
        "text",
        &corpus,
        (files * 5, "sheets"),
        bytes,
        runs,
        text_floor,
    );
    // The open-data tables are written as the batch goes: their cost, and
    // that memory stays bounded with them.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = target.join("out-text-csv");
    let (wall, summary) = best_of(runs, || import_with(&corpus, &out, cores, &["--csv"]));
    println!(
        "  --jobs {cores} --csv: import {wall:.3} s (peak RSS {} MiB)",
        peak_mib(&summary)
    );

    let copies = env_or("HYOKA_BENCH_WORKBOOKS", if benching { 400 } else { 4 });
    let books = target.join(format!("workbooks-{copies}"));
    let bytes = generate_workbooks(&books, copies);
    measure(
        "workbooks",
        &books,
        (copies * 5, "sheets"),
        bytes,
        runs,
        workbook_floor,
    );

    let copies = env_or("HYOKA_BENCH_PDFS", if benching { 24 } else { 2 });
    let pdfs = target.join(format!("pdfs-{copies}"));
    let (pages, bytes) = generate_pdfs(&pdfs, copies);
    measure("pdf", &pdfs, (pages, "pages"), bytes, runs, pdf_floor);
}
