//! The 事務事業評価 list against its floor: the real 大船渡 workbook
//! (`../shared/real/ofunato-r7/`, 407 projects, 210 columns; not in the
//! repository: the bench says so and stops where it is absent).
//!
//! - **floor**: calamine opening the workbook and reading every worksheet's
//!   cells, what any importer of the file must do;
//! - **reading**: `hyoka::read` on the file (cells, labels, records,
//!   checks), no output;
//! - **import**: the release `hyoka import FILE --out DIR` (schema
//!   validation, department files, index, KPI panel), one process.
//!
//! Best of five each; the target is import ≤ 2× the floor.
//! `cargo bench -p hyoka-cli --bench projects`.

use std::io::Cursor;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use calamine::{Reader, Xlsx};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/real/ofunato-r7/ofunato-r7-jimujigyo-hyoka.xlsx");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: the project-list bench reads {} (the real workbook is not in the repository)",
            path.display()
        );
        return;
    };
    let runs = 5;
    let floor = best_of(runs, || {
        let mut book = Xlsx::new(Cursor::new(&bytes)).unwrap();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            std::hint::black_box(range.used_cells().count());
        }
    });
    let reading = best_of(runs, || {
        let doc = hyoka::read("list.xlsx", &bytes, &Default::default()).unwrap();
        assert_eq!(doc.project_evaluations.len(), 407);
    });
    let out = tempfile::tempdir().unwrap();
    let import = best_of(runs, || {
        let status = Command::new(env!("CARGO_BIN_EXE_hyoka"))
            .args(["import", "--quiet", "--out"])
            .arg(out.path())
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success() || status.code() == Some(0));
    });
    println!(
        "project list (大船渡 R7, 407 projects, {} KiB), best of {runs}:",
        bytes.len() >> 10
    );
    println!("  floor   (calamine reads every cell)   {:8.3} s", floor);
    println!(
        "  reading (hyoka::read, no output)       {:8.3} s  {:5.2}× floor",
        reading,
        reading / floor
    );
    println!(
        "  import  (hyoka import, all outputs)    {:8.3} s  {:5.2}× floor (target ≤ 2×)",
        import,
        import / floor
    );
}
