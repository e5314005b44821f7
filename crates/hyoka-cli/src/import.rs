//! `hyoka import`: read every input in parallel, group sheets by
//! department, validate and write.
//!
//! Inputs are taken a chunk at a time (32 files per job). Workers read,
//! parse, validate and render each file's sheets; the main thread then
//! appends the rendered sheets, in input order, to one temporary file per
//! department ([`output::DepartmentSpool`]) and drops them. So memory holds
//! one chunk of files and sheets plus a name and a count per department,
//! whatever the size of the batch; at the end each department's temporary
//! file is closed and checked, and the whole set, `index.json` (one small
//! entry per input) last, is committed by [`output::OutputSet`]: all of it
//! or, when anything failed to write, none of it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use hyoka::Document;
use hyoka::model::{
    DepartmentEntry, FileEntry, Generator, IndexFile, InputEntry, InputStatus, SCHEMA_VERSION,
    Sheet,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::Read;

use crate::ImportArgs;
use crate::names;
use crate::output::{self, DepartmentSpool, Finished, OutputSet, WriteError};
use crate::report::say;
use crate::schemas::{self, Kind};

/// Exit status when some input failed (output for the others is written).
const EXIT_INPUT_FAILED: u8 = 1;
/// Exit status for a usage error.
const EXIT_USAGE: u8 = 2;
/// Exit status when hyoka could not write its output.
const EXIT_OUTPUT_FAILED: u8 = 3;

/// One input to read: the path as the user should see it, and where it is.
#[derive(Debug, Clone)]
struct Input {
    shown: String,
    path: PathBuf,
    /// Why a file met in a walked folder is not read (its type, or it is
    /// not a regular file); it is listed in `index.json` as `skipped`.
    not_read: Option<String>,
}

/// What became of one input.
struct Outcome {
    input: Input,
    /// The file's SHA-256, whenever its bytes could be read, even if they
    /// could not be parsed: a failed input is still identified.
    sha256: Option<String>,
    result: Result<Parsed, String>,
}

/// A parsed input with its sheets already rendered for output, in the
/// worker thread: the department-file form when `--out` is given, one JSON
/// line each when `--jsonl` is.
struct Parsed {
    doc: Document,
    pretty: Vec<Vec<u8>>,
    lines: Vec<Vec<u8>>,
}

impl Parsed {
    fn render(doc: Document, args: &ImportArgs) -> Parsed {
        let pretty = match args.out {
            Some(_) => doc.sheets.iter().map(output::render_sheet).collect(),
            None => Vec::new(),
        };
        let lines = match args.jsonl {
            Some(_) => doc
                .sheets
                .iter()
                .map(|s| {
                    let mut line = serde_json::to_vec(s).expect("sheets serialize");
                    line.push(b'\n');
                    line
                })
                .collect(),
            None => Vec::new(),
        };
        Parsed { doc, pretty, lines }
    }
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("hyoka import: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Runs `hyoka import`.
pub fn run(args: &ImportArgs) -> ExitCode {
    let started = Instant::now();
    if args.out.is_none() && args.jsonl.is_none() {
        return usage("give --out DIR (or --jsonl PATH) to say where the output goes");
    }
    if let Some(out) = &args.out {
        if out.exists() && !out.is_dir() {
            return usage(format!(
                "--out {} is a file, not a folder; give a folder for the department files",
                out.display()
            ));
        }
        for input in &args.inputs {
            if input.is_file() && same_file(input, out) {
                return usage(format!(
                    "--out {} is an input file; hyoka never writes over its inputs",
                    out.display()
                ));
            }
        }
    }
    let (inputs, missing) = collect_inputs(&args.inputs, args.follow_symlinks, args.out.as_deref());
    // An unmounted share or a typo in a path must not publish an empty set
    // over the last good one.
    if inputs.iter().all(|i| i.not_read.is_some()) {
        for outcome in &missing {
            if let Err(message) = &outcome.result {
                say!("error: {}: {message}", outcome.input.shown);
            }
        }
        say!(
            "error: no input to read: the inputs hold no .txt, .tsv, .csv, .xlsx, .xlsm, .xls \
             or .ods file{}; nothing was written{}",
            match inputs.len() {
                0 => String::new(),
                n => format!(" ({n} file(s) of other types, not read)"),
            },
            args.out.as_ref().map_or(String::new(), |o| format!(
                " and {} is left as it was",
                o.display()
            ))
        );
        return ExitCode::from(EXIT_INPUT_FAILED);
    }
    let set = match &args.out {
        Some(out) => match OutputSet::open(out) {
            Ok(set) => Some(set),
            Err(message) => {
                say!("error: {message}");
                return ExitCode::from(EXIT_OUTPUT_FAILED);
            }
        },
        None => None,
    };
    if let Some(jsonl) = args.jsonl.as_deref().filter(|p| *p != Path::new("-"))
        && let Some(input) = inputs.iter().find(|i| same_file(&i.path, jsonl))
    {
        return usage(format!(
            "--jsonl {} is the input file {}; hyoka never writes over its inputs",
            jsonl.display(),
            input.shown
        ));
    }
    let options = hyoka::Options {
        text: hyoka::delimited::TextLimits {
            max_rows: args.max_rows,
            max_cell_bytes: args.max_cell_bytes,
            max_cells: args.max_cells,
        },
        max_input_bytes: args.max_input_bytes,
        max_uncompressed_bytes: args.max_uncompressed_bytes,
        max_compression_ratio: args.max_compression_ratio,
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_progress {
        ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({per_sec})",
        )
        .expect("valid template"),
    );
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => return usage(format!("cannot start {} jobs: {e}", args.jobs.unwrap_or(0))),
    };
    let mut batch = Batch::new(args, set);
    let sheets_seen = std::sync::atomic::AtomicUsize::new(0);
    let parse = |part: Vec<Input>| -> Vec<Outcome> {
        part.into_par_iter()
            .map(|input| {
                let (sha256, result) = match &input.not_read {
                    // `accept` lists it as skipped; nothing to read.
                    Some(reason) => (None, Err(reason.clone())),
                    None => read_one(&input, &options),
                };
                let result = result.map(|doc| Parsed::render(doc, args));
                if let Ok(Parsed { doc, .. }) = &result {
                    let n = sheets_seen
                        .fetch_add(doc.sheets.len(), std::sync::atomic::Ordering::Relaxed)
                        + doc.sheets.len();
                    bar.set_message(format!("{n} sheets"));
                }
                bar.inc(1);
                Outcome {
                    input,
                    sha256,
                    result,
                }
            })
            .collect()
    };
    // Files are parsed in parallel a chunk at a time, and each chunk's sheets
    // are spooled to disk in input order, while the next chunk is parsed, so
    // memory holds two chunks, not the batch.
    let chunk = pool.current_num_threads().max(1) * 32;
    let mut inputs = inputs.into_iter().peekable();
    let mut parsed: Vec<Outcome> = Vec::new();
    loop {
        let part: Vec<Input> = inputs.by_ref().take(chunk).collect();
        if part.is_empty() && parsed.is_empty() {
            break;
        }
        let done = std::mem::take(&mut parsed);
        let batch = &mut batch;
        parsed = pool.install(|| {
            rayon::join(
                || parse(part),
                move || {
                    for outcome in done {
                        batch.accept(outcome);
                    }
                    batch.flush();
                },
            )
            .0
        });
    }
    bar.finish_and_clear();
    for outcome in missing {
        batch.accept(outcome);
    }
    batch.flush();
    let Batch {
        entries,
        spools,
        mut jsonl,
        set,
        failed_inputs,
        not_read,
        departments_seen,
        warnings_total,
        sheets_total,
        mut output_failed,
        ..
    } = batch;
    if let Some((path, writer)) = jsonl.take() {
        if let Err(e) = writer.finish() {
            say!("error: {}: cannot write JSON Lines: {e}", path.display());
            output_failed = true;
        }
    }
    let department_count = departments_seen.len();
    let written = set.map(|set| write_set(set, spools, &entries, failed_inputs > 0, &pool));
    if let Some(Err(_)) = &written {
        output_failed = true;
    }

    if !args.quiet {
        let count = |s: InputStatus| entries.iter().filter(|e| e.status == s).count();
        let wrote = match (&written, &args.out) {
            (Some(Ok(n)), Some(out)) => format!("; wrote {n} file(s) to {}", out.display()),
            (Some(Err(what)), _) => format!("; {what}"),
            _ => String::new(),
        };
        say!(
            "hyoka: {} file(s): {} ok, {} skipped{}, {} failed; {} sheet(s) in {} \
             department(s); {} warning(s){wrote}; {:.2}s{}",
            entries.len(),
            count(InputStatus::Ok),
            count(InputStatus::Skipped),
            match not_read {
                0 => String::new(),
                n => format!(" ({n} not read: other types or not regular files)"),
            },
            count(InputStatus::Error),
            sheets_total,
            department_count,
            warnings_total,
            started.elapsed().as_secs_f64(),
            peak_rss_mib().map_or(String::new(), |m| format!(", peak memory {m} MiB")),
        );
    }
    if output_failed {
        ExitCode::from(EXIT_OUTPUT_FAILED)
    } else if failed_inputs > 0 {
        ExitCode::from(EXIT_INPUT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Finishes the department files, builds `index.json` and commits the
/// set. `Ok`: how many files were written; `Err`: what the summary says
/// about the output folder (each failure is already on stderr).
fn write_set(
    mut set: OutputSet,
    spools: BTreeMap<String, DepartmentSpool>,
    entries: &[InputEntry],
    some_input_failed: bool,
    pool: &rayon::ThreadPool,
) -> Result<usize, String> {
    let out = set.dir().to_owned();
    let files: BTreeMap<String, String> = names::file_names(spools.keys().map(String::as_str))
        .into_iter()
        .map(|(department, file)| (department.to_owned(), file))
        .collect();
    // After a failed write the set is not committed: finishing the other
    // files would only repeat the error.
    let spools = if set.failed() {
        BTreeMap::new()
    } else {
        spools
    };
    // Syncing each file to disk is the slow part; it needs no shared state.
    let finished: Vec<(String, u32, Result<Finished, WriteError>)> = pool.install(|| {
        spools
            .into_par_iter()
            .map(|(department, spool)| {
                let sheets = spool.sheets();
                let result = spool.finish(&out, &files[department.as_str()]);
                (department, sheets, result)
            })
            .collect()
    });
    let mut departments = Vec::with_capacity(finished.len());
    for (department, sheets, result) in finished {
        let file = files[department.as_str()].clone();
        let adopted = result.and_then(|f| set.adopt(&file, f));
        match adopted {
            Ok(()) => departments.push(DepartmentEntry {
                sha256: set.sha256_of(&file).unwrap_or_default().to_owned(),
                department,
                file,
                sheets,
            }),
            Err(e) => {
                say!("error: {e}");
                set.fail(e.to_string());
            }
        }
    }
    departments.sort_by(|a, b| a.department.cmp(&b.department));
    let kept = if some_input_failed {
        keep_earlier_departments(&mut set, &departments)
    } else {
        Vec::new()
    };
    // Any other output file (a CSV table, a data package) is staged above
    // with `set.stage_bytes`/`set.stage_with`; every staged file that is
    // not a department file is listed here, so none goes unlisted.
    let department_files: BTreeSet<&str> = departments.iter().map(|d| d.file.as_str()).collect();
    let other_files: Vec<FileEntry> = set
        .staged()
        .filter(|(rel, _)| !department_files.contains(rel))
        .map(|(rel, sha256)| FileEntry {
            file: rel.to_owned(),
            sha256: sha256.to_owned(),
        })
        .collect();
    let index = IndexFile {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "hyoka".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        departments,
        kept,
        files: other_files,
        inputs: entries.to_vec(),
    };
    let index = match output::validated_json(&out, output::INDEX, Kind::Index, &index) {
        Ok(bytes) => bytes,
        Err(e) => {
            say!("error: {e}");
            set.fail(e.to_string());
            Vec::new()
        }
    };
    let was_failed = set.failed();
    match set.commit(&index) {
        Ok(committed) => {
            for rel in &committed.removed {
                say!(
                    "note: removed {rel} from {}: an earlier run wrote it and this import \
                     does not",
                    out.display()
                );
            }
            Ok(committed.written.len())
        }
        Err(not) => {
            if !was_failed {
                for failure in &not.failures {
                    say!("error: {failure}");
                }
            }
            if not.renamed.is_empty() {
                Err(format!(
                    "NOTHING written to {}: the earlier output is left exactly as it was",
                    out.display()
                ))
            } else {
                Err(format!(
                    "{} is only partly written ({} file(s) replaced, index.json not): \
                     `hyoka validate {}` lists the disagreement; run the import again",
                    out.display(),
                    not.renamed.len(),
                    out.display()
                ))
            }
        }
    }
}

/// When some input failed, a department missing from this import may be in
/// the file that failed: its earlier file is kept, listed under `kept` in
/// the index with its hash, and not removed as stale.
fn keep_earlier_departments(
    set: &mut OutputSet,
    written: &[DepartmentEntry],
) -> Vec<DepartmentEntry> {
    let Some(previous) = set.previous_index() else {
        return Vec::new();
    };
    let now: BTreeSet<&str> = written.iter().map(|d| d.file.as_str()).collect();
    let mut kept = Vec::new();
    for list in ["departments", "kept"] {
        let Some(old) = previous.get(list).and_then(|v| v.as_array()) else {
            continue;
        };
        for entry in old {
            let (Some(department), Some(file)) = (
                entry.get("department").and_then(|v| v.as_str()),
                entry.get("file").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            if now.contains(file) || kept.iter().any(|k: &DepartmentEntry| k.file == file) {
                continue;
            }
            let Some(sha256) = set.keep(file) else {
                continue;
            };
            say!(
                "note: kept {file} in {}: department {department} is not in this import, but \
                 some inputs failed and it may be in one of them; it is listed under `kept` in \
                 index.json",
                set.dir().display()
            );
            kept.push(DepartmentEntry {
                department: department.to_owned(),
                file: file.to_owned(),
                sheets: entry
                    .get("sheets")
                    .and_then(|v| v.as_u64())
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
                sha256,
            });
        }
    }
    kept.sort_by(|a, b| a.department.cmp(&b.department));
    kept
}

/// What the batch has accepted so far: index entries, one spool per
/// department, the JSON Lines stream and the counts for the summary.
struct Batch<'a> {
    args: &'a ImportArgs,
    entries: Vec<InputEntry>,
    spools: BTreeMap<String, DepartmentSpool>,
    /// Rendered sheets of the current chunk, by department, in input order.
    pending: BTreeMap<String, Vec<Vec<u8>>>,
    jsonl: Option<(PathBuf, JsonLines)>,
    /// The output folder (`--out`), locked while the batch runs.
    set: Option<OutputSet>,
    failed_inputs: usize,
    /// Files in walked folders that were not read.
    not_read: usize,
    /// Every department with a sheet, for the summary (spools stop being
    /// created after a write failed).
    departments_seen: BTreeSet<String>,
    warnings_total: usize,
    sheets_total: usize,
    output_failed: bool,
}

impl<'a> Batch<'a> {
    fn new(args: &'a ImportArgs, set: Option<OutputSet>) -> Batch<'a> {
        let jsonl = args
            .jsonl
            .as_ref()
            .and_then(|path| match JsonLines::open(path) {
                Ok(w) => Some((path.clone(), w)),
                Err(e) => {
                    say!("error: {}: cannot write JSON Lines: {e}", path.display());
                    None
                }
            });
        let output_failed = args.jsonl.is_some() && jsonl.is_none();
        Batch {
            args,
            entries: Vec::new(),
            spools: BTreeMap::new(),
            pending: BTreeMap::new(),
            jsonl,
            set,
            failed_inputs: 0,
            not_read: 0,
            departments_seen: BTreeSet::new(),
            warnings_total: 0,
            sheets_total: 0,
            output_failed,
        }
    }

    /// Records one input's outcome and spools its sheets.
    fn accept(&mut self, outcome: Outcome) {
        let args = self.args;
        let mut entry = InputEntry {
            file: outcome.input.shown.clone(),
            sha256: None,
            format: hyoka::format_of(&outcome.input.path),
            encoding: None,
            status: InputStatus::Error,
            sheets: 0,
            error: None,
            warnings: 0,
            worksheets: Vec::new(),
        };
        if let Some(reason) = outcome.input.not_read {
            entry.format = None;
            entry.status = InputStatus::Skipped;
            entry.error = Some(reason);
            self.not_read += 1;
            self.entries.push(entry);
            return;
        }
        match outcome.result {
            Err(message) => {
                say!("error: {}: {message}", outcome.input.shown);
                entry.sha256 = outcome.sha256;
                entry.error = Some(message);
                self.failed_inputs += 1;
            }
            Ok(Parsed { doc, pretty, lines }) => {
                let warnings = doc.warning_count();
                self.warnings_total += warnings;
                entry.sha256 = Some(doc.sha256.clone());
                entry.format = Some(doc.format);
                entry.encoding = doc.encoding.clone();
                entry.warnings = warnings as u32;
                entry.worksheets = doc.worksheets.clone();
                entry.status = doc.status();
                if args.verbose {
                    for sheet in &doc.sheets {
                        for w in &sheet.warnings {
                            say!("warning: {}: {w}", outcome.input.shown);
                        }
                    }
                }
                if args.strict && warnings > 0 {
                    let message = format!(
                        "--strict: {warnings} warning(s); the file's sheets are not exported \
                         (see them with --verbose, or drop --strict)"
                    );
                    say!("error: {}: {message}", outcome.input.shown);
                    entry.status = InputStatus::Error;
                    entry.error = Some(message);
                    self.failed_inputs += 1;
                } else {
                    entry.sheets = doc.sheets.len() as u32;
                    if doc.sheets.is_empty() {
                        entry.error = Some(
                            "no sheet found (no 【主担当部局】/【担当部署】 label); \
                             a cover page or list is skipped"
                                .into(),
                        );
                    }
                    self.spool(&doc.sheets, pretty, lines);
                }
            }
        }
        self.entries.push(entry);
    }

    /// Queues an input's rendered sheets for their departments and writes
    /// its JSON lines.
    fn spool(&mut self, sheets: &[Sheet], pretty: Vec<Vec<u8>>, lines: Vec<Vec<u8>>) {
        self.sheets_total += sheets.len();
        if let Some((path, writer)) = &mut self.jsonl {
            if let Err(e) = writer.write(&lines) {
                say!("error: {}: cannot write JSON Lines: {e}", path.display());
                self.jsonl = None;
                self.output_failed = true;
            }
        }
        for sheet in sheets {
            if !self.departments_seen.contains(&sheet.department) {
                self.departments_seen.insert(sheet.department.clone());
            }
        }
        for (sheet, rendered) in sheets.iter().zip(pretty) {
            self.pending
                .entry(sheet.department.clone())
                .or_default()
                .push(rendered);
        }
    }

    /// Appends the queued sheets to their departments' files, each file
    /// opened once per chunk.
    fn flush(&mut self) {
        let Some(set) = &mut self.set else {
            return;
        };
        for (department, rendered) in std::mem::take(&mut self.pending) {
            // After the first failure the set will not be committed; writing
            // on would only fill the disk further.
            if set.failed() {
                self.output_failed = true;
                return;
            }
            let spool = match self.spools.entry(department) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    match DepartmentSpool::create(set, e.key()) {
                        Ok(spool) => e.insert(spool),
                        Err(err) => {
                            say!("error: {}: cannot write: {err}", set.dir().display());
                            set.fail(err.to_string());
                            self.output_failed = true;
                            continue;
                        }
                    }
                }
            };
            if let Err(e) = spool.append(&rendered) {
                say!(
                    "error: {}: cannot write department {}: {e}",
                    set.dir().display(),
                    spool.department()
                );
                set.fail(e.to_string());
                self.output_failed = true;
            }
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads, parses and validates one input; the SHA-256 of its bytes when
/// they could be read.
fn read_one(input: &Input, options: &hyoka::Options) -> (Option<String>, Result<Document, String>) {
    let bytes = match read_bytes(input, options) {
        Ok(bytes) => bytes,
        Err(e) => return (None, Err(e)),
    };
    let result = hyoka::read(&input.shown, &bytes, options)
        .map_err(|e| e.to_string())
        .and_then(validated);
    let sha256 = match &result {
        Ok(doc) => doc.sha256.clone(),
        Err(_) => hyoka::sha256_hex(&bytes),
    };
    (Some(sha256), result)
}

/// Reads a regular file, at most `--max-input-bytes` of it. The file is
/// opened without blocking and checked again once open, so a named pipe or
/// device (even one swapped in after the first check) fails at once instead
/// of hanging the batch, and `/dev/zero` cannot grow memory without end.
fn read_bytes(input: &Input, options: &hyoka::Options) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let meta = std::fs::metadata(&input.path).map_err(|e| format!("cannot read: {e}"))?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(not_regular_message(what));
    }
    let limit = options.max_input_bytes;
    let too_large = |size| hyoka::Error::TooLarge { size, limit }.to_string();
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&input.path)
        .map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(not_regular_message(what));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        // A file that grew while being read: its size is unknown, only
        // that it is over the limit.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file is when it is not a regular file or a folder.
fn not_regular(file_type: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() || file_type.is_dir() {
        None
    } else if file_type.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if file_type.is_socket() {
        Some("a socket")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else {
        Some("not a regular file")
    }
}

fn not_regular_message(what: &str) -> String {
    format!(
        "is {what}, not a regular file; hyoka reads only regular files \
         (copy the content to a file and import that)"
    )
}

/// Checks every sheet against the schema as soon as it is parsed, in the
/// worker thread: a sheet that does not match is a bug, and its file is
/// reported instead of exported.
fn validated(doc: Document) -> Result<Document, String> {
    for sheet in &doc.sheets {
        let errors = schemas::validate_sheet(sheet);
        if !errors.is_empty() {
            return Err(format!(
                "sheet {} does not match the department schema, so the file is not exported. \
                 This is a bug in hyoka; please report it with the input file. Errors: {}",
                sheet.source.ordinal,
                errors.join("; ")
            ));
        }
    }
    Ok(doc)
}

/// Expands folders (sorted, so batches are deterministic) and keeps files
/// as given. Paths that do not exist become failed outcomes. Files met in a
/// folder that hyoka does not read (other types, named pipes, devices,
/// links not followed) are kept with the reason, to be listed as skipped;
/// hidden files and the output folder are left out.
fn collect_inputs(
    args: &[PathBuf],
    follow_symlinks: bool,
    out: Option<&Path>,
) -> (Vec<Input>, Vec<Outcome>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    let mut seen = BTreeSet::new();
    let out = out.and_then(|o| o.canonicalize().ok());
    let skip = |path: &Path, reason: String| Input {
        shown: path.to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        not_read: Some(reason),
    };
    for arg in args {
        let shown = arg.to_string_lossy().into_owned();
        if arg.is_dir() {
            let walker = walkdir::WalkDir::new(arg)
                .follow_links(follow_symlinks)
                .sort_by_file_name()
                .into_iter()
                // The output folder inside an input folder: hyoka's own
                // files are not inputs, and listing them would make the
                // index depend on the previous run.
                .filter_entry(|e| {
                    let Some(out) = &out else {
                        return true;
                    };
                    if e.file_type().is_dir() {
                        return e.depth() == 0
                            || e.path().canonicalize().ok().as_ref() != Some(out);
                    }
                    // The input folder may be the output folder itself.
                    let in_out = e.path().parent().and_then(|p| p.canonicalize().ok());
                    let name = e.file_name().to_string_lossy();
                    !(in_out.as_ref() == Some(out)
                        && (name == output::INDEX || output::could_have_written(&name)))
                });
            for entry in walker {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        say!("warning: {shown}: skipped while walking: {e}");
                        continue;
                    }
                };
                let is_hidden = entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.'));
                if entry.file_type().is_dir() || is_hidden {
                    continue;
                }
                let path = entry.path().to_path_buf();
                if !seen.insert(path.clone()) {
                    continue;
                }
                if entry.path_is_symlink() && !follow_symlinks {
                    say!(
                        "warning: {}: symbolic link not followed (use --follow-symlinks)",
                        path.display()
                    );
                    inputs.push(skip(
                        &path,
                        "a symbolic link, not followed (use --follow-symlinks)".into(),
                    ));
                } else if let Some(what) = not_regular(&entry.file_type()) {
                    say!(
                        "warning: {}: {}; skipped",
                        path.display(),
                        not_regular_message(what)
                    );
                    inputs.push(skip(&path, not_regular_message(what)));
                } else if hyoka::format_of(&path).is_none() {
                    inputs.push(skip(
                        &path,
                        "not a file type hyoka reads (.txt, .tsv, .csv, .xlsx, .xlsm, .xls, .ods)"
                            .into(),
                    ));
                } else {
                    inputs.push(Input {
                        shown: path.to_string_lossy().into_owned(),
                        path,
                        not_read: None,
                    });
                }
            }
        } else if std::fs::symlink_metadata(arg).is_ok() {
            if seen.insert(arg.clone()) {
                inputs.push(Input {
                    shown,
                    path: arg.clone(),
                    not_read: None,
                });
            }
        } else {
            missing.push(Outcome {
                sha256: None,
                input: Input {
                    shown,
                    path: arg.clone(),
                    not_read: None,
                },
                result: Err("no such file or folder".into()),
            });
        }
    }
    (inputs, missing)
}

/// JSON Lines output: one sheet per line, streamed as sheets are parsed,
/// to stdout (`-`) or to a file written atomically.
enum JsonLines {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A regular file (or a new one): written atomically.
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
    /// Anything else that exists — `/dev/null`, a named pipe, a symbolic
    /// link: written into as it is. Renaming a file over it would replace
    /// the device, pipe or link itself.
    Direct(std::io::BufWriter<std::fs::File>),
}

impl JsonLines {
    fn open(path: &Path) -> std::io::Result<JsonLines> {
        if path == Path::new("-") {
            return Ok(JsonLines::Stdout(
                std::io::BufWriter::new(std::io::stdout()),
            ));
        }
        let is_special = std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file());
        if is_special {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(JsonLines::Direct(std::io::BufWriter::new(file)));
        }
        let tmp = output::temporary_beside(path)?;
        Ok(JsonLines::File(
            std::io::BufWriter::new(tmp),
            path.to_owned(),
        ))
    }

    fn write(&mut self, lines: &[Vec<u8>]) -> std::io::Result<()> {
        let w: &mut dyn Write = match self {
            JsonLines::Stdout(w) => w,
            JsonLines::File(w, _) => w,
            JsonLines::Direct(w) => w,
        };
        for line in lines {
            w.write_all(line)?;
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            JsonLines::Stdout(mut w) => w.flush(),
            JsonLines::Direct(mut w) => w.flush(),
            JsonLines::File(w, path) => {
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_data()?;
                tmp.persist(path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

/// The process's peak resident memory in MiB (Linux), for the summary.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
