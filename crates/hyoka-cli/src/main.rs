//! `hyoka`: import policy-evaluation sheets into validated JSON per department.

mod import;
mod names;
mod output;
mod schemas;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

// A batch allocates and frees millions of small strings from several
// threads; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns Japanese municipal policy-evaluation sheets (施策評価シート) into
/// validated open data: one JSON file per department plus index.json.
#[derive(Debug, Parser)]
#[command(name = "hyoka", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import files and folders; write DIR/<department>.json and DIR/index.json.
    Import(ImportArgs),
    /// Check JSON files against the schema they follow (department or index).
    Validate {
        /// JSON files written by `hyoka import`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a JSON Schema (draft 2020-12) of the output.
    Schema {
        /// Which schema to print.
        #[arg(value_enum, default_value = "department")]
        kind: schemas::Kind,
    },
}

/// Options of `hyoka import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Input files (.txt .tsv .csv .xlsx .xlsm .xls .ods) and folders to walk.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The output folder; created if missing.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write one sheet per line as JSON Lines to this file (`-` for stdout).
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// Parallel jobs (default: all cores). Output is the same for any value.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Treat sheets with warnings as failed inputs (exit status 1).
    #[arg(long)]
    pub strict: bool,
    /// Print every warning on stderr as it is found.
    #[arg(short, long)]
    pub verbose: bool,
    /// Follow symbolic links inside input folders (by default a link is
    /// skipped with a warning, so nothing outside the folder is read).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::Options::default().max_input_bytes)]
    pub max_input_bytes: u64,
    /// Most rows (holding a value) read from one text file or worksheet.
    #[arg(long, value_name = "N", default_value_t = hyoka::Options::default().text.max_rows)]
    pub max_rows: usize,
    /// Most cells read from one text file or worksheet (empty cells between
    /// values included).
    #[arg(long, value_name = "N", default_value_t = hyoka::Options::default().text.max_cells)]
    pub max_cells: usize,
    /// Longest cell read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::Options::default().text.max_cell_bytes)]
    pub max_cell_bytes: usize,
    /// Largest total size of a zip workbook's (.xlsx .xlsm .ods) parts once
    /// unpacked, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::Options::default().max_uncompressed_bytes)]
    pub max_uncompressed_bytes: u64,
    /// Highest compression ratio allowed for a part (over 1 MiB unpacked) of
    /// a zip workbook; zip bombs go far above it.
    #[arg(long, value_name = "N", default_value_t = hyoka::Options::default().max_compression_ratio)]
    pub max_compression_ratio: u64,
    /// Most pages read from one PDF.
    #[arg(long, value_name = "N", default_value_t = hyoka::Options::default().pdf.max_pages)]
    pub max_pdf_pages: u32,
    /// Most objects in one PDF.
    #[arg(long, value_name = "N", default_value_t = hyoka::Options::default().pdf.max_objects)]
    pub max_pdf_objects: usize,
    /// Most bytes of PDF content unpacked and drawn for one file (a stream
    /// drawn several times counts each time).
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::Options::default().pdf.max_stream_bytes)]
    pub max_pdf_stream_bytes: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Import(args) => import::run(&args),
        Command::Validate { files } => validate(&files),
        Command::Schema { kind } => {
            print!("{}", kind.text());
            ExitCode::SUCCESS
        }
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let shown = file.display();
        let document = match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                serde_json::from_slice::<serde_json::Value>(&b).map_err(|e| e.to_string())
            }) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{shown}: cannot read as JSON: {e}");
                failed = true;
                continue;
            }
        };
        let kind = schemas::Kind::of(&document);
        let errors = schemas::validate(kind, &document);
        if errors.is_empty() {
            println!("{shown}: valid {}", kind.file_name());
        } else {
            failed = true;
            for e in errors {
                eprintln!("{shown}: does not match {}: {e}", kind.file_name());
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
