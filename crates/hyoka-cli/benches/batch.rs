//! Whole-CLI batch benchmark, measured against honest floors: the work any
//! importer of the same output must do, timed in the same run on the same
//! number of threads.
//!
//! - **text**: a generated national corpus of 2,000 files (10,000 sheets):
//!   400 cities given by a manifest (code, name) beside the corpus folder,
//!   each with its reports of fiscal 2022 to 2026, five sheets each, with
//!   the city's departments and five distinct policies; a city's KPI
//!   values are the same in every report that states them, one actual in
//!   twenty restated by the next report and one target in twenty-five
//!   raised, so the KPI panel and its warnings are those of a real import.
//!   Read floor: read every file, check it is UTF-8 and NFKC-normalize it.
//!   The import with `--csv` (the open-data tables too) is timed once more,
//!   with all cores.
//! - **workbooks**: 400 copies of the corpus workbook (2,000 sheets), each
//!   a city of its own by the manifest. Read floor: calamine opening each
//!   workbook, reading every worksheet's cells and merged ranges, and
//!   NFKC-normalizing every text cell.
//! - **pdf**: copies of the two PDF fixtures, A4 (14 pages) and A3 (6
//!   pages), 240 pages by default, each a city of its own. Read floor: the
//!   PDF reader's own extraction of every page's text and lines
//!   (`hyoka::pdf_extraction_for_bench`), each page's text NFKC-normalized,
//!   without building grids or sheets. When `pdftotext` is installed it is
//!   timed on the same files too, one process per file, for scale.
//!
//! The **honest floor** is the read floor together with the write floor,
//! on the same pool: the import's own output bytes (rendered once by a
//! first import, held in memory) written into a fresh folder the way the
//! import commits them, each file to a temporary in the folder, every
//! temporary `fsync`ed, renamed into place (subfolders made as needed), and
//! every folder synced.
//!
//! Each import runs the release binary (schema validation on) with all
//! cores and with `--jobs 1`; every figure is the best of five runs, the
//! runs of the floors, the import and the reading taken in turns.
//! "Reading" is the library's `hyoka::read` on every file (bytes to typed
//! records, no schema checks, no output) on the same threads; the output
//! stage is the import's time beyond it. The runs with all cores and with
//! `--jobs 1` must write byte-identical output.
//!
//! `cargo bench -p hyoka-cli --bench batch`; `HYOKA_BENCH_FILES=N` changes
//! the text corpus (default 2000 files), `HYOKA_BENCH_WORKBOOKS=N` the
//! workbook corpus (default 400), `HYOKA_BENCH_PDFS=N` the PDF corpus
//! (default 24 files), `HYOKA_BENCH_RUNS=N` the runs per figure.
//! `HYOKA_BENCH_SCALE=1,10,100` instead imports the text corpus at 1, 10
//! and 100 times its size once each (generated, imported and removed) and
//! prints time, throughput and peak memory.

use std::ffi::OsString;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::{Reader, Xlsx};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

mod floor;
use floor::{files_under, outputs, write_floor};

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

/// Policy titles: a city's five sheets carry five distinct ones, the
/// template's own (`伊賀流自治の視点`) is the first.
const POLICIES: [&str; 25] = [
    "伊賀流自治の視点",
    "市民参画と協働のまちづくり",
    "健全で持続可能な財政運営",
    "効率的な行政運営の推進",
    "広域連携の推進",
    "デジタル技術を活用した行政サービス",
    "安心して子どもを産み育てられる環境",
    "生涯を通じた健康づくり",
    "地域福祉の推進",
    "高齢者が暮らしやすいまち",
    "障がいのある人の自立と社会参加",
    "学校教育の充実",
    "生涯学習とスポーツの振興",
    "文化財の保存と活用",
    "地域産業の振興",
    "観光交流の推進",
    "農林業の振興",
    "雇用の創出と就労支援",
    "防災・減災対策の推進",
    "消防・救急体制の充実",
    "循環型社会の形成",
    "自然環境の保全",
    "公共交通の確保",
    "道路と橋りょうの維持管理",
    "上下水道の安定経営",
];

/// The four departments of the template, replaced per sheet.
const TEMPLATE_DEPARTMENTS: [&str; 4] = ["総務部", "財務部", "企画振興部", "デジタル自治推進局"];

/// Years each city reports in the text corpus: its files are its reports
/// of fiscal 2022 (the template's) to 2026.
const YEARS: usize = 5;

/// A stateless hash of a few numbers, so a city's KPI values are the same
/// in every year's report that states them.
fn mix(parts: &[u64]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15_u64;
    for &p in parts {
        h ^= p.wrapping_add(0x9e37_79b9_7f4a_7c15);
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 31;
        h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^= h >> 29;
    }
    h
}

/// City `c`'s 全国地方公共団体コード: a prefecture and a number, with its
/// check digit.
fn city_code(c: usize) -> String {
    let five = format!("{:02}{:03}", 1 + c % 47, 100 + (c / 47) % 900);
    let sum: u32 = five
        .bytes()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{five}{}", (11 - sum % 11) % 10)
}

/// City `c`'s name: two characters and 市, 町 or 村, distinct for the
/// first 400 cities (a third as many again per extra character).
fn city_name(c: usize) -> String {
    const A: [char; 20] = [
        '東', '西', '南', '北', '上', '下', '大', '小', '高', '新', '古', '川', '山', '松', '竹',
        '梅', '桜', '青', '白', '黒',
    ];
    const B: [char; 20] = [
        '田', '野', '原', '沢', '島', '浜', '崎', '岡', '谷', '森', '瀬', '津', '浦', '尾', '坂',
        '本', '宮', '平', '石', '橋',
    ];
    let mut name = String::new();
    name.push(A[c % 20]);
    name.push(B[(c / 20) % 20]);
    let mut rest = c / 400;
    while rest > 0 {
        name.push(B[rest % 20]);
        rest /= 20;
    }
    name.push(['市', '町', '村'][c % 3]);
    name
}

/// A year label as the template writes it, `2022(R4)`, moved on by
/// `shift` years (`2024(R6)` for 2); any other text unchanged.
fn shift_years(line: &str, shift: usize) -> String {
    if shift == 0 || !line.contains("(R") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(at) = rest.find("(R") {
        let (head, tail) = rest.split_at(at);
        let digits = tail[2..].bytes().take_while(u8::is_ascii_digit).count();
        let year_ok = head.len() >= 4
            && head.as_bytes()[head.len() - 4..]
                .iter()
                .all(u8::is_ascii_digit)
            && head.as_bytes()[head.len() - 4..].starts_with(b"20");
        if digits == 0 || !year_ok || !tail[2 + digits..].starts_with(')') {
            out.push_str(head);
            out.push_str("(R");
            rest = &tail[2..];
            continue;
        }
        let year: usize = head[head.len() - 4..].parse().unwrap();
        let reiwa: usize = tail[2..2 + digits].parse().unwrap();
        out.push_str(&head[..head.len() - 4]);
        out.push_str(&format!("{}(R{})", year + shift, reiwa + shift));
        rest = &tail[3 + digits..];
    }
    out.push_str(rest);
    out
}

/// What a KPI table's column holds.
#[derive(Clone, Copy)]
enum Column {
    Baseline,
    Actual(u64),
    Target,
    Other,
}

/// A value row's number, varied per city: the same actual of the same year
/// in every report of the city, except one in twenty restated by a later
/// report; the target of one KPI in twenty-five raised from the third
/// report on.
fn varied(cell: &str, city: usize, kpi: usize, column: Column, report_year: u64) -> String {
    let Ok(v) = cell.replace(',', "").parse::<f64>() else {
        return cell.to_owned();
    };
    let (c, k) = (city as u64, kpi as u64);
    let factor = |tag: u64| 0.5 + (mix(&[c, k, tag]) % 1000) as f64 / 1000.0;
    let value = match column {
        Column::Baseline => v * factor(1),
        Column::Actual(year) => {
            let restated = year < report_year && mix(&[c, k, year, 7]).is_multiple_of(20);
            v * factor(100 + year) * if restated { 1.05 } else { 1.0 }
        }
        Column::Target => {
            let raised = report_year >= 2024 && mix(&[c, k, 9]).is_multiple_of(25);
            v * factor(2) * if raised { 1.2 } else { 1.0 }
        }
        Column::Other => v,
    };
    if cell.contains('.') {
        format!("{value:.1}")
    } else {
        format!("{}", value.round() as i64)
    }
}

/// One file: city `city`'s report of fiscal 2022 + `shift`, the template's
/// five sheets with the city's departments and policies, the years moved
/// on and the KPI values the city's.
fn make_file(city: usize, shift: usize) -> String {
    let report_year = 2022 + shift as u64;
    let mut out = String::with_capacity(TEMPLATE.len() + 1024);
    let mut sheet = 0;
    let mut department_next = false;
    let mut kpi = 0;
    // The last header row's cells: what each column of a value row holds.
    let mut header: Vec<Column> = Vec::new();
    for line in TEMPLATE.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body == POLICIES[0] {
            out.push_str(POLICIES[(city + sheet * 5) % POLICIES.len()]);
            out.push('\n');
            continue;
        }
        if body.starts_with('【') && (body.contains("主担当部局") || body.contains("担当部署"))
        {
            department_next = true;
            out.push_str(line);
            continue;
        }
        if department_next && TEMPLATE_DEPARTMENTS.contains(&body) {
            department_next = false;
            out.push_str(DEPARTMENTS[(city * 5 + sheet) % DEPARTMENTS.len()]);
            out.push('\n');
            sheet += 1;
            continue;
        }
        let line = shift_years(line, shift);
        let body = line.trim_end_matches(['\n', '\r']);
        let cells: Vec<&str> = body.split('\t').collect();
        if let Some(at) = cells.iter().position(|c| c.trim() == "現状値") {
            header = cells[at..]
                .iter()
                .map(|c| {
                    let c = c.trim();
                    if c == "現状値" {
                        Column::Baseline
                    } else if c.starts_with("目標") {
                        Column::Target
                    } else if let Ok(year) = c.get(..4).unwrap_or("").parse::<u64>() {
                        // A number in a later year's column is the target
                        // (the parser realigns such rows).
                        if year > report_year {
                            Column::Target
                        } else {
                            Column::Actual(year)
                        }
                    } else {
                        Column::Other
                    }
                })
                .collect();
            out.push_str(&line);
            continue;
        }
        if let Some(label) = cells
            .iter()
            .position(|c| c.trim_start().starts_with("実績("))
        {
            // The row's values line up with the header from 現状値 on. A
            // year's actual is made from the report year's cell, wherever
            // the year stands, so that every report states it alike.
            let column = |i: usize| {
                i.checked_sub(label + 1)
                    .and_then(|k| header.get(k).copied())
                    .unwrap_or(Column::Other)
            };
            let current = (0..cells.len())
                .find(|&i| matches!(column(i), Column::Actual(y) if y == report_year))
                .map(|i| cells[i]);
            let varied: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, cell)| match (column(i), current) {
                    (Column::Actual(_), Some(current)) if !cell.trim().is_empty() => {
                        varied(current, city, kpi, column(i), report_year)
                    }
                    (column, _) => varied(cell, city, kpi, column, report_year),
                })
                .collect();
            kpi += 1;
            out.push_str(&varied.join("\t"));
            out.push('\n');
            continue;
        }
        out.push_str(&line);
    }
    out
}

/// The text corpus: `files` reports of `files / 5` cities (fiscal 2022 to
/// 2026 each), one folder per city, and the manifest that names the
/// cities, beside the folder. The corpus's size in bytes.
fn generate(dir: &Path, files: usize) -> u64 {
    let marker = dir.join(format!(".complete-{files}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let cities = files.div_ceil(YEARS);
        let mut manifest = String::from("path,municipality_code,municipality_name\n");
        for city in 0..cities {
            let folder = format!("city{city:05}");
            std::fs::create_dir_all(dir.join(&folder)).unwrap();
            manifest.push_str(&format!(
                "{}/{folder},{},{}\n",
                dir.file_name().unwrap().to_string_lossy(),
                city_code(city),
                city_name(city)
            ));
            for shift in 0..YEARS.min(files - city * YEARS) {
                std::fs::write(
                    dir.join(&folder).join(format!("r{}.txt", 2022 + shift)),
                    make_file(city, shift),
                )
                .unwrap();
            }
        }
        std::fs::write(manifest_of(dir), manifest).unwrap();
        std::fs::write(&marker, b"").unwrap();
    }
    walk_size(dir)
}

/// The manifest beside a corpus folder.
fn manifest_of(dir: &Path) -> PathBuf {
    dir.with_extension("manifest.csv")
}

/// A manifest giving each file directly under `dir` a city of its own.
fn write_manifest_per_file(dir: &Path, files: &[PathBuf]) {
    let mut manifest = String::from("path,municipality_code,municipality_name\n");
    let folder = dir.file_name().unwrap().to_string_lossy();
    for (city, file) in files.iter().enumerate() {
        manifest.push_str(&format!(
            "{folder}/{},{},{}\n",
            file.file_name().unwrap().to_string_lossy(),
            city_code(city),
            city_name(city)
        ));
    }
    std::fs::write(manifest_of(dir), manifest).unwrap();
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

fn generate_workbooks(dir: &Path, copies: usize) -> u64 {
    let marker = dir.join(format!(".complete-{copies}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        for i in 0..copies {
            std::fs::write(dir.join(format!("book{i:05}.xlsx")), WORKBOOK).unwrap();
        }
        write_manifest_per_file(dir, &files_under(dir));
        std::fs::write(&marker, b"").unwrap();
    }
    walk_size(dir)
}

/// Copies of the PDF fixtures, alternating, each a city's; the pages and
/// bytes written.
fn generate_pdfs(dir: &Path, copies: usize) -> (usize, u64) {
    let marker = dir.join(format!(".complete-{copies}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        for i in 0..copies {
            std::fs::write(dir.join(format!("report{i:04}.pdf")), PDFS[i % 2].0).unwrap();
        }
        write_manifest_per_file(dir, &files_under(dir));
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

/// The text read floor: read, check UTF-8, NFKC-normalize. The normalized
/// length is summed so the work cannot be optimized away.
fn text_floor(files: &[PathBuf]) -> usize {
    sum_over(files, |_, bytes| {
        let text = std::str::from_utf8(&bytes).expect("the corpus is UTF-8");
        text.nfkc().count()
    })
}

/// The workbook read floor: calamine opens each workbook and reads every
/// worksheet's cells and merged ranges, and every cell's text is
/// NFKC-normalized.
fn workbook_floor(files: &[PathBuf]) -> usize {
    sum_over(files, |_, bytes| {
        let mut book = Xlsx::new(Cursor::new(bytes)).expect("the corpus workbook opens");
        let mut cells = 0;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("worksheets read");
            for (_, _, cell) in range.used_cells() {
                cells += match cell {
                    calamine::Data::String(s) => s.nfkc().count(),
                    _ => 1,
                };
            }
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

/// A fresh, empty folder at `dir` (not timed).
fn fresh(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
}

/// One import by the release binary into a fresh `out`, with `args` (the
/// inputs or a manifest, and flags): its wall time (the process alone, not
/// clearing the folder first) and summary line.
fn import(args: &[OsString], out: &Path, jobs: usize) -> (f64, String) {
    let _ = std::fs::remove_dir_all(out);
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_hyoka"))
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--jobs")
        .arg(jobs.to_string())
        .output()
        .expect("hyoka runs");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "hyoka failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stderr.lines().last().unwrap_or("").trim().to_owned();
    (wall, summary)
}

fn peak_mib(summary: &str) -> &str {
    summary
        .split("peak memory ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or("?")
}

/// The best of each figure over the runs.
#[derive(Default)]
struct Best {
    import: f64,
    summary: String,
    honest: f64,
    read_floor: f64,
    write_floor: f64,
    reading: f64,
}

fn keep_min(best: &mut f64, t: f64) {
    if *best == 0.0 || t < *best {
        *best = t;
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed().as_secs_f64(), value)
}

/// A corpus to measure: its files, the import's arguments, what it holds.
struct Corpus<'a> {
    label: &'a str,
    dir: &'a Path,
    args: Vec<OsString>,
    units: (usize, &'a str),
    bytes: u64,
    target: f64,
}

/// Times the import against its floors with all cores and with one thread,
/// best of `runs` each, the runs of the floors, the reading and the import
/// taken in turns; prints the figures and ratios, and checks both imports
/// wrote the same.
///
/// The honest floor is what any importer of the same output must do: the
/// read floor (`read`) on every input together with the write floor (the
/// import's own output bytes, rendered once by a first import, written and
/// synced into a fresh folder), both on the same pool.
fn measure(corpus: &Corpus, runs: usize, read: impl Fn(&[PathBuf]) -> usize + Sync) {
    let Corpus {
        label,
        dir,
        units: (units, unit),
        bytes,
        target,
        ..
    } = *corpus;
    let files = files_under(dir);
    let mb = bytes as f64 / 1e6;
    println!(
        "{label}: {} files, {units} {unit}, {mb:.1} MB in {}",
        files.len(),
        dir.display()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = dir.parent().unwrap();
    let scratch = root.join(format!("floor-{label}"));
    let mut walls = Vec::new();
    let mut outs = Vec::new();
    for jobs in [cores, 1] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .unwrap();
        let out = root.join(format!("out-{label}-jobs-{jobs}"));
        // The bytes the floor writes: the import's own, rendered once.
        import(&corpus.args, &out, jobs);
        let written = outputs(&out);
        let out_bytes: usize = written.iter().map(|(_, b)| b.len()).sum();
        let mut best = Best::default();
        for _ in 0..runs {
            fresh(&scratch);
            let (t, _) = timed(|| {
                pool.install(|| rayon::join(|| read(&files), || write_floor(&written, &scratch)))
            });
            keep_min(&mut best.honest, t);
            let (t, _) = timed(|| pool.install(|| read(&files)));
            keep_min(&mut best.read_floor, t);
            fresh(&scratch);
            let (t, _) = timed(|| pool.install(|| write_floor(&written, &scratch)));
            keep_min(&mut best.write_floor, t);
            let (t, summary) = import(&corpus.args, &out, jobs);
            if t < best.import || best.import == 0.0 {
                best.summary = summary;
            }
            keep_min(&mut best.import, t);
            let (t, _) = timed(|| pool.install(|| reading_alone(&files)));
            keep_min(&mut best.reading, t);
        }
        let _ = std::fs::remove_dir_all(&scratch);
        let Best {
            import: wall,
            honest,
            read_floor,
            write_floor,
            reading,
            ..
        } = best;
        let output_stage = (wall - reading).max(0.0);
        println!(
            "  --jobs {jobs}: import {wall:.3} s ({:.0} {unit}/s, {:.1} MB/s, peak RSS {} MiB); \
             honest floor {honest:.3} s; import/floor {:.2}x (target <= {target}x)",
            units as f64 / wall,
            mb / wall,
            peak_mib(&best.summary),
            wall / honest,
        );
        println!(
            "  --jobs {jobs}: reading (hyoka::read, no checks or output) {reading:.3} s; \
             read floor {read_floor:.3} s; reading/read floor {:.2}x",
            reading / read_floor,
        );
        println!(
            "  --jobs {jobs}: output stage (import - reading) {output_stage:.3} s, {:.0} % of the \
             import; writing its {:.1} MB alone {write_floor:.3} s",
            100.0 * output_stage / wall,
            out_bytes as f64 / 1e6,
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

/// The imports of `scales` times the text corpus, once each
/// (`HYOKA_BENCH_SCALE=1,10,100`): time, throughput and peak memory, to
/// show how they grow. Each corpus is generated (as many cities again per
/// multiple), imported with all cores and removed.
fn scale(target: &Path, files: usize, scales: &[usize]) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for &k in scales {
        let n = files * k;
        let dir = target.join(format!("scale-text-{n}"));
        let (generated, bytes) = timed(|| generate(&dir, n));
        let out = target.join("out-scale-text");
        let args = vec![OsString::from("--manifest"), manifest_of(&dir).into()];
        let (wall, summary) = import(&args, &out, cores);
        let out_bytes = walk_size(&out);
        let sheets = n * 5;
        println!(
            "scale {k}x text: {n} files, {sheets} sheets, {:.0} MB in (generated in {generated:.0} s), \
             {:.0} MB out: import {wall:.2} s ({:.0} sheets/s, {:.1} MB/s), peak RSS {} MiB",
            bytes as f64 / 1e6,
            out_bytes as f64 / 1e6,
            sheets as f64 / wall,
            bytes as f64 / 1e6 / wall,
            peak_mib(&summary)
        );
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(manifest_of(&dir));
    }
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
    let copies = env_or("HYOKA_BENCH_WORKBOOKS", if benching { 400 } else { 4 });
    let manifest = |dir: &Path| vec![OsString::from("--manifest"), manifest_of(dir).into()];

    if let Ok(scales) = std::env::var("HYOKA_BENCH_SCALE") {
        let scales: Vec<usize> = scales.split(',').filter_map(|s| s.parse().ok()).collect();
        scale(&target, files, &scales);
        return;
    }

    let corpus = target.join(format!("corpus-{files}"));
    let bytes = generate(&corpus, files);
    let text = Corpus {
        label: "text",
        dir: &corpus,
        args: manifest(&corpus),
        units: (files * 5, "sheets"),
        bytes,
        target: 1.5,
    };
    measure(&text, runs, text_floor);
    // The open-data tables are written as the batch goes: their cost, and
    // that memory stays bounded with them.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = target.join("out-text-csv");
    let mut args = text.args.clone();
    args.push("--csv".into());
    let (wall, summary) = best_of(runs, || import(&args, &out, cores));
    println!(
        "  --jobs {cores} --csv: import {wall:.3} s (peak RSS {} MiB)",
        peak_mib(&summary.1)
    );

    let books = target.join(format!("workbooks-{copies}"));
    let bytes = generate_workbooks(&books, copies);
    let workbooks = Corpus {
        label: "workbooks",
        dir: &books,
        args: manifest(&books),
        units: (copies * 5, "sheets"),
        bytes,
        target: 1.3,
    };
    measure(&workbooks, runs, workbook_floor);

    let copies = env_or("HYOKA_BENCH_PDFS", if benching { 24 } else { 2 });
    let pdfs = target.join(format!("pdfs-{copies}"));
    let (pages, bytes) = generate_pdfs(&pdfs, copies);
    let pdf = Corpus {
        label: "pdf",
        dir: &pdfs,
        args: manifest(&pdfs),
        units: (pages, "pages"),
        bytes,
        target: 1.3,
    };
    measure(&pdf, runs, pdf_floor);
}
