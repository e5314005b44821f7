//! `hyoka import`: read every input in parallel, group sheets by
//! department, validate and write.
//!
//! Inputs are taken a chunk at a time (32 files per job). Workers read,
//! parse, validate and render each file's sheets; the main thread then
//! appends the rendered sheets, in input order, to one temporary file per
//! department ([`output::DepartmentSpool`]) and drops them. So memory holds
//! one chunk of files and sheets plus a name and a count per department,
//! whatever the size of the batch; at the end each department's temporary
//! file is closed, checked and renamed into place, and `index.json` (one
//! small entry per input) is written last.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use hyoka::Document;
use hyoka::model::{
    DepartmentEntry, Generator, IndexFile, InputEntry, InputStatus, Municipality, SCHEMA_VERSION,
    Sheet,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::ImportArgs;
use crate::i18n::{self, Msg, Summary};
use crate::kpi_series;
use crate::municipalities::{self, Assignments};
use crate::names;
use crate::opendata;
use crate::output::{self, DepartmentSpool, WriteError};
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
    /// Whose sheets it holds, as the user stated (flags or manifest).
    municipality: Option<Municipality>,
}

/// What became of one input.
struct Outcome {
    input: Input,
    /// The file's SHA-256, whenever its bytes could be read, even if they
    /// could not be parsed: a failed input is still identified.
    sha256: Option<String>,
    result: Result<Parsed, Msg>,
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
            Some(_) => doc.sheets.iter().map(render_line).collect(),
            None => Vec::new(),
        };
        Parsed { doc, pretty, lines }
    }

    /// Gives sheets whose ID an earlier sheet of the run already has (the
    /// same sheet given twice) a distinct ID and a warning, and renders
    /// them again. Runs in input order, so the first keeps its ID.
    fn make_ids_distinct(&mut self, seen: &mut HashMap<String, u32>) {
        for (i, sheet) in self.doc.sheets.iter_mut().enumerate() {
            let count = seen.entry(sheet.id.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                continue;
            }
            let first = sheet.id.clone();
            hyoka::ids::assign_occurrence(sheet, *count);
            sheet.warnings.push(hyoka::warning::Warning::in_file(
                hyoka::warning::WarningCode::SheetIdDuplicate,
                format!(
                    "an earlier sheet of this import has the same municipality code (or none), \
                     fiscal year, department and content, and so the ID {first}; this sheet's \
                     ID is {} (occurrence {count}); check whether the sheet was meant to be \
                     imported twice, or give each municipality its code",
                    sheet.id
                ),
            ));
            seen.entry(sheet.id.clone()).or_insert(1);
            if let Some(p) = self.pretty.get_mut(i) {
                *p = output::render_sheet(sheet);
            }
            if let Some(l) = self.lines.get_mut(i) {
                *l = render_line(sheet);
            }
        }
    }
}

/// A sheet as one line of JSON Lines.
fn render_line(sheet: &Sheet) -> Vec<u8> {
    let mut line = serde_json::to_vec(sheet).expect("sheets serialize");
    line.push(b'\n');
    line
}

fn usage(message: Msg) -> ExitCode {
    eprintln!("hyoka import: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Runs `hyoka import`.
pub fn run(args: &ImportArgs) -> ExitCode {
    let started = Instant::now();
    if args.out.is_none() && args.jsonl.is_none() {
        return usage(Msg::OutOrJsonlMissing);
    }
    let template = match &args.template {
        None => hyoka::Template::builtin(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(i18n::TemplateRead::Io)
            .and_then(|text| {
                hyoka::Template::from_toml(&text)
                    .map_err(|e| i18n::TemplateRead::Template(Box::new(e)))
            }) {
            Ok(t) => std::sync::Arc::new(t),
            Err(error) => {
                return usage(Msg::Template {
                    path: path.display().to_string(),
                    error,
                });
            }
        },
    };
    if let Some(out) = &args.out {
        if out.exists() && !out.is_dir() {
            return usage(Msg::OutIsFile(i18n::shown(out)));
        }
        for input in &args.inputs {
            if input.is_file() && same_file(input, out) {
                return usage(Msg::OutIsInput(i18n::shown(out)));
            }
        }
        if let Err(e) = std::fs::create_dir_all(out) {
            return usage(Msg::CannotCreateOut(i18n::shown(out), e));
        }
        remove_leftover_temporaries(out);
    }
    let assignments = match &args.manifest {
        Some(manifest) => match Assignments::from_manifest(manifest) {
            Ok(a) => a,
            Err(e) => return usage(Msg::Manifest(Box::new(e))),
        },
        None => Assignments::everywhere(args.municipality.clone(), args.municipality_name.clone()),
    };
    let given: &[PathBuf] = if args.inputs.is_empty() {
        assignments.listed()
    } else {
        &args.inputs
    };
    let (mut inputs, missing) = collect_inputs(given, args.follow_symlinks);
    for input in inputs.iter_mut() {
        input.municipality = assignments.of(&input.path);
    }
    if let Some(jsonl) = args.jsonl.as_deref().filter(|p| *p != Path::new("-"))
        && let Some(input) = inputs.iter().find(|i| same_file(&i.path, jsonl))
    {
        return usage(Msg::JsonlIsInput {
            jsonl: i18n::shown(jsonl),
            input: input.shown.clone(),
        });
    }
    let options = hyoka::Options {
        text: hyoka::TextLimits {
            max_rows: args.max_rows,
            max_cell_bytes: args.max_cell_bytes,
            max_cells: args.max_cells,
        },
        max_input_bytes: args.max_input_bytes,
        max_uncompressed_bytes: args.max_uncompressed_bytes,
        max_compression_ratio: args.max_compression_ratio,
        template,
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_progress {
        ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(&Msg::Progress.to_string()).expect("valid template"),
    );
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            return usage(Msg::CannotStartJobs(args.jobs.unwrap_or(0), e.to_string()));
        }
    };
    let mut batch = Batch::new(args);
    let sheets_seen = std::sync::atomic::AtomicUsize::new(0);
    let parse = |part: Vec<Input>| -> Vec<Outcome> {
        part.into_par_iter()
            .map(|input| {
                let (sha256, result) = read_one(&input, &options);
                let result = result.map(|doc| Parsed::render(doc, args));
                if let Ok(Parsed { doc, .. }) = &result {
                    let n = sheets_seen
                        .fetch_add(doc.sheets.len(), std::sync::atomic::Ordering::Relaxed)
                        + doc.sheets.len();
                    bar.set_message(Msg::SheetsSoFar(n).to_string());
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
        failed_inputs,
        warnings_total,
        sheets_total,
        mut output_failed,
        panel,
        tables: mut batch_tables,
        ..
    } = batch;
    if let Some((path, writer)) = jsonl.take() {
        if let Err(e) = writer.finish() {
            eprintln!(
                "{}: {}",
                i18n::error_prefix(),
                Msg::CannotWriteJsonl(i18n::shown(&path), e)
            );
            output_failed = true;
        }
    }
    let department_count = spools.len();
    if let Some(out) = &args.out {
        let files = department_paths(spools.keys());
        let mut departments = Vec::with_capacity(spools.len());
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for file in files.values() {
            if let Some((folder, _)) = file.split_once('/') {
                folders.insert(folder);
            }
        }
        for folder in folders {
            if let Err(e) = std::fs::create_dir_all(out.join(folder)) {
                eprintln!(
                    "{}: {}",
                    i18n::error_prefix(),
                    Msg::CannotWrite(i18n::shown(&out.join(folder)), e)
                );
                output_failed = true;
            }
        }
        let results: Vec<Result<DepartmentEntry, WriteError>> = pool.install(|| {
            spools
                .into_par_iter()
                .map(|(key, spool)| {
                    let file = files[&key].clone();
                    let sheets = spool.sheets();
                    spool.finish(out, &file)?;
                    let (municipality, department) = key;
                    Ok(DepartmentEntry {
                        municipality,
                        department,
                        file,
                        sheets,
                    })
                })
                .collect()
        });
        for result in results {
            match result {
                Ok(entry) => departments.push(entry),
                Err(e) => {
                    eprintln!("{}: {e}", i18n::error_prefix());
                    output_failed = true;
                }
            }
        }
        departments.sort_by(|a, b| {
            (&a.municipality, &a.department).cmp(&(&b.municipality, &b.department))
        });
        let panel = panel.build();
        match batch_tables.take() {
            Some(mut tables) => {
                tables.add_panel(&panel);
                if let Err(e) = opendata::write(out, tables) {
                    eprintln!("{}: {e}", i18n::error_prefix());
                    output_failed = true;
                }
            }
            None => opendata::remove_stale(out),
        }
        remove_stale(out, &departments, failed_inputs > 0);
        if !args.quiet {
            kpi_series::print_warnings(&panel);
        }
        let mut outputs = Vec::new();
        match kpi_series::render(&panel, out).and_then(|bytes| kpi_series::write(out, &bytes)) {
            Ok(entry) => outputs.push(entry),
            Err(e) => {
                eprintln!("{}: {e}", i18n::error_prefix());
                output_failed = true;
            }
        }
        let index = IndexFile {
            schema_version: SCHEMA_VERSION,
            generator: Generator {
                name: "hyoka".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            departments,
            outputs,
            inputs: entries.clone(),
        };
        if let Err(e) = output::write_validated(out, "index.json", Kind::Index, &index) {
            eprintln!("{}: {e}", i18n::error_prefix());
            output_failed = true;
        }
    }

    if !args.quiet {
        let count = |s: InputStatus| entries.iter().filter(|e| e.status == s).count();
        let summary = Summary {
            files: entries.len(),
            ok: count(InputStatus::Ok),
            skipped: count(InputStatus::Skipped),
            failed: count(InputStatus::Error),
            sheets: sheets_total,
            departments: department_count,
            warnings: warnings_total,
            seconds: started.elapsed().as_secs_f64(),
            peak_mib: peak_rss_mib(),
        };
        eprintln!("{}", Msg::Summary(summary));
    }
    if output_failed {
        ExitCode::from(EXIT_OUTPUT_FAILED)
    } else if failed_inputs > 0 {
        ExitCode::from(EXIT_INPUT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// A department file's key: whose sheets, and which department.
type SpoolKey = (Option<Municipality>, String);

/// Each department file's path inside the output folder. One municipality
/// (or none known) keeps the flat layout, `<department>.json`; with more,
/// each municipality gets a folder, `<code>_<name>/<department>.json`, so
/// cities that share department names are never merged.
fn department_paths<'a>(keys: impl Iterator<Item = &'a SpoolKey>) -> BTreeMap<SpoolKey, String> {
    let mut by_municipality: BTreeMap<&Option<Municipality>, Vec<&str>> = BTreeMap::new();
    for (m, d) in keys {
        by_municipality.entry(m).or_default().push(d);
    }
    let flat = by_municipality.len() <= 1;
    let folders =
        municipalities::folder_names(&by_municipality.keys().map(|m| (*m).clone()).collect());
    let mut out = BTreeMap::new();
    for (m, departments) in by_municipality {
        for (department, file) in names::file_names(departments) {
            let path = if flat {
                file
            } else {
                format!("{}/{file}", folders[m])
            };
            out.insert((m.clone(), department.to_owned()), path);
        }
    }
    out
}

/// What the batch has accepted so far: index entries, one spool per
/// department, the JSON Lines stream and the counts for the summary.
struct Batch<'a> {
    args: &'a ImportArgs,
    entries: Vec<InputEntry>,
    spools: BTreeMap<SpoolKey, DepartmentSpool>,
    /// Rendered sheets of the current chunk, by department, in input order.
    pending: BTreeMap<SpoolKey, Vec<Vec<u8>>>,
    /// How often each sheet ID was seen, to keep IDs distinct.
    seen_ids: HashMap<String, u32>,
    /// The open-data tables, with `--csv`.
    tables: Option<opendata::Tables>,
    jsonl: Option<(PathBuf, JsonLines)>,
    failed_inputs: usize,
    warnings_total: usize,
    sheets_total: usize,
    output_failed: bool,
    /// The KPI panel across years (with `--out`): keys and values only.
    panel: hyoka::panel::PanelBuilder,
}

impl<'a> Batch<'a> {
    fn new(args: &'a ImportArgs) -> Batch<'a> {
        let jsonl = args
            .jsonl
            .as_ref()
            .and_then(|path| match JsonLines::open(path) {
                Ok(w) => Some((path.clone(), w)),
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        i18n::error_prefix(),
                        Msg::CannotWriteJsonl(i18n::shown(path), e)
                    );
                    None
                }
            });
        let output_failed = args.jsonl.is_some() && jsonl.is_none();
        Batch {
            args,
            entries: Vec::new(),
            spools: BTreeMap::new(),
            pending: BTreeMap::new(),
            seen_ids: HashMap::new(),
            tables: args.csv.then(|| opendata::Tables::new(args.csv_headers)),
            jsonl,
            failed_inputs: 0,
            warnings_total: 0,
            sheets_total: 0,
            output_failed,
            panel: hyoka::panel::PanelBuilder::new(),
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
            file_warnings: Vec::new(),
            worksheets: Vec::new(),
        };
        match outcome.result {
            Err(message) => {
                eprintln!(
                    "{}: {}: {message}",
                    i18n::error_prefix(),
                    outcome.input.shown
                );
                entry.sha256 = outcome.sha256;
                entry.error = Some(message.en());
                self.failed_inputs += 1;
            }
            Ok(mut parsed) => {
                parsed.make_ids_distinct(&mut self.seen_ids);
                let Parsed { doc, pretty, lines } = parsed;
                let warnings = doc.warning_count();
                self.warnings_total += warnings;
                entry.sha256 = Some(doc.sha256.clone());
                entry.format = Some(doc.format);
                entry.encoding = doc.encoding.clone();
                entry.warnings = warnings as u32;
                entry.file_warnings = doc.warnings.clone();
                entry.worksheets = doc.worksheets.clone();
                entry.status = doc.status();
                if args.verbose {
                    for w in &doc.warnings {
                        eprintln!(
                            "{}: {}",
                            i18n::warning_prefix(),
                            Msg::SheetWarning(outcome.input.shown.clone(), w.clone())
                        );
                    }
                    for sheet in &doc.sheets {
                        for w in &sheet.warnings {
                            eprintln!(
                                "{}: {}",
                                i18n::warning_prefix(),
                                Msg::SheetWarning(outcome.input.shown.clone(), w.clone())
                            );
                        }
                    }
                }
                if args.strict && warnings > 0 {
                    let message = Msg::Strict(warnings);
                    eprintln!(
                        "{}: {}: {message}",
                        i18n::error_prefix(),
                        outcome.input.shown
                    );
                    entry.status = InputStatus::Error;
                    entry.error = Some(message.en());
                    self.failed_inputs += 1;
                } else {
                    entry.sheets = doc.sheets.len() as u32;
                    if doc.sheets.is_empty() {
                        entry.error = Some(Msg::NoSheet.en());
                    }
                    if let Some(tables) = &mut self.tables {
                        for sheet in &doc.sheets {
                            tables.add(sheet);
                        }
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
        if self.args.out.is_some() {
            for sheet in sheets {
                kpi_series::add(&mut self.panel, sheet);
            }
        }
        if let Some((path, writer)) = &mut self.jsonl {
            if let Err(e) = writer.write(&lines) {
                eprintln!(
                    "{}: {}",
                    i18n::error_prefix(),
                    Msg::CannotWriteJsonl(i18n::shown(path), e)
                );
                self.jsonl = None;
                self.output_failed = true;
            }
        }
        for (sheet, rendered) in sheets.iter().zip(pretty) {
            self.pending
                .entry((sheet.municipality.clone(), sheet.department.clone()))
                .or_default()
                .push(rendered);
        }
    }

    /// Appends the queued sheets to their departments' files, each file
    /// opened once per chunk.
    fn flush(&mut self) {
        let Some(out) = &self.args.out else {
            return;
        };
        for (key, rendered) in std::mem::take(&mut self.pending) {
            let spool = match self.spools.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    match DepartmentSpool::create(out, &e.key().1) {
                        Ok(spool) => e.insert(spool),
                        Err(err) => {
                            eprintln!(
                                "{}: {}",
                                i18n::error_prefix(),
                                Msg::CannotWrite(i18n::shown(out), err)
                            );
                            self.output_failed = true;
                            continue;
                        }
                    }
                }
            };
            if let Err(e) = spool.append(&rendered) {
                eprintln!(
                    "{}: {}",
                    i18n::error_prefix(),
                    Msg::CannotWriteDepartment(i18n::shown(out), spool.department().to_owned(), e)
                );
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
fn read_one(input: &Input, options: &hyoka::Options) -> (Option<String>, Result<Document, Msg>) {
    let bytes = match read_bytes(input, options) {
        Ok(bytes) => bytes,
        Err(e) => return (None, Err(e)),
    };
    let result = hyoka::read(&input.shown, &bytes, options)
        .map_err(Msg::Library)
        .map(|mut doc| {
            if let Some(m) = &input.municipality {
                hyoka::municipality::apply_given(&mut doc.sheets, m);
            }
            doc
        })
        .and_then(validated);
    let sha256 = match &result {
        Ok(doc) => doc.sha256.clone(),
        Err(_) => hyoka::sha256_hex(&bytes),
    };
    (Some(sha256), result)
}

fn read_bytes(input: &Input, options: &hyoka::Options) -> Result<Vec<u8>, Msg> {
    let size = std::fs::metadata(&input.path)
        .map_err(Msg::CannotRead)?
        .len();
    if size > options.max_input_bytes {
        return Err(Msg::Library(hyoka::Error::TooLarge {
            size,
            limit: options.max_input_bytes,
        }));
    }
    std::fs::read(&input.path).map_err(Msg::CannotRead)
}

/// Checks every sheet against the schema as soon as it is parsed, in the
/// worker thread: a sheet that does not match is a bug, and its file is
/// reported instead of exported.
fn validated(doc: Document) -> Result<Document, Msg> {
    for sheet in &doc.sheets {
        let errors = schemas::validate_sheet(sheet);
        if !errors.is_empty() {
            return Err(Msg::SheetDoesNotMatchSchema {
                ordinal: sheet.source.ordinal,
                errors,
            });
        }
    }
    Ok(doc)
}

/// Expands folders (sorted, so batches are deterministic) and keeps files
/// as given. Paths that do not exist become failed outcomes.
fn collect_inputs(args: &[PathBuf], follow_symlinks: bool) -> (Vec<Input>, Vec<Outcome>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    let mut seen = BTreeSet::new();
    for arg in args {
        let shown = arg.to_string_lossy().into_owned();
        if arg.is_dir() {
            let walker = walkdir::WalkDir::new(arg)
                .follow_links(follow_symlinks)
                .sort_by_file_name();
            for entry in walker {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        eprintln!(
                            "{}: {shown}: {}",
                            i18n::warning_prefix(),
                            Msg::WalkSkipped(e)
                        );
                        continue;
                    }
                };
                if entry.path_is_symlink() && !follow_symlinks {
                    eprintln!(
                        "{}: {}",
                        i18n::warning_prefix(),
                        Msg::SymlinkNotFollowed(i18n::shown(entry.path()))
                    );
                    continue;
                }
                let is_hidden = entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.'));
                if !entry.file_type().is_file()
                    || is_hidden
                    || hyoka::format_of(entry.path()).is_none()
                {
                    continue;
                }
                let path = entry.path().to_path_buf();
                if seen.insert(path.clone()) {
                    inputs.push(Input {
                        shown: path.to_string_lossy().into_owned(),
                        path,
                        municipality: None,
                    });
                }
            }
        } else if arg.exists() {
            if seen.insert(arg.clone()) {
                inputs.push(Input {
                    shown,
                    path: arg.clone(),
                    municipality: None,
                });
            }
        } else {
            missing.push(Outcome {
                sha256: None,
                input: Input {
                    shown,
                    path: arg.clone(),
                    municipality: None,
                },
                result: Err(Msg::NoSuchFile),
            });
        }
    }
    (inputs, missing)
}

/// Removes temporary files an interrupted earlier run left in the output
/// folder (hyoka's own, by their `.hyoka-*.tmp` names).
fn remove_leftover_temporaries(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".hyoka-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes department files that an earlier run listed in `index.json` and
/// this run did not write, so no stale department is left behind. When some
/// input failed, the department may only be missing because its file failed
/// this time, so its earlier file is kept, with a note.
fn remove_stale(out: &Path, written: &[DepartmentEntry], some_input_failed: bool) {
    let Ok(bytes) = std::fs::read(out.join("index.json")) else {
        return;
    };
    let Ok(previous) = serde_json::from_slice::<IndexFile>(&bytes) else {
        eprintln!(
            "{}: {}",
            i18n::warning_prefix(),
            Msg::IndexNotOurs(i18n::shown(out))
        );
        return;
    };
    let now: BTreeSet<&str> = written.iter().map(|d| d.file.as_str()).collect();
    for old in previous.departments {
        let name = Path::new(&old.file);
        // Only plain names in the folder, and only names hyoka writes
        // (`*.json`, never `index.json`): an index is data too, and may have
        // been edited to name an input or some other file.
        // One folder level is hyoka's too: a municipality's folder.
        let components: Vec<_> = name.components().collect();
        let plain = (1..=2).contains(&components.len())
            && components
                .iter()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        let ours = old.file.ends_with(".json") && old.file != "index.json";
        if !plain || !ours || now.contains(old.file.as_str()) {
            continue;
        }
        if some_input_failed {
            if out.join(name).exists() {
                eprintln!(
                    "{}: {}",
                    i18n::note_prefix(),
                    Msg::KeptStale {
                        file: old.file.clone(),
                        dir: i18n::shown(out),
                        department: old.department.clone(),
                    }
                );
            }
            continue;
        }
        match std::fs::remove_file(out.join(name)) {
            Ok(()) => {
                // An emptied municipality folder goes too (fails if not empty).
                if components.len() == 2 {
                    let _ = std::fs::remove_dir(out.join(name).parent().unwrap_or(out));
                }
                eprintln!(
                    "{}: {}",
                    i18n::note_prefix(),
                    Msg::RemovedStale {
                        file: old.file.clone(),
                        dir: i18n::shown(out),
                        department: old.department.clone(),
                    }
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => eprintln!(
                "{}: {}",
                i18n::warning_prefix(),
                Msg::CannotRemoveStale(old.file.clone(), e)
            ),
        }
    }
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
