//! `hyoka import`: read every input in parallel, group sheets by
//! department, validate and write.
//!
//! Inputs are taken a chunk at a time (32 files per job). Workers read,
//! parse and validate each file's sheets; the main thread makes their IDs
//! distinct in input order, the workers render them (once, with their final
//! IDs), and the main thread appends the rendered sheets, in input order, to
//! one temporary file per department ([`output::DepartmentSpool`]) and drops
//! them. So memory holds
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
    DepartmentEntry, FileEntry, Generator, IndexFile, InputEntry, InputStatus, Municipality,
    SCHEMA_VERSION, Sheet,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::ImportArgs;
use crate::console::say;
use crate::files::{self, ReadFailure};
use crate::i18n::{self, Msg, NotRead, Summary};
use crate::kpi_series;
use crate::municipalities::{self, Assignments};
use crate::names;
use crate::opendata;
use crate::output::{self, DepartmentSpool, Finished, OutputSet, WriteError};
use crate::platform;
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
    not_read: Option<NotRead>,
    /// Whose sheets it holds, as the user stated (flags or manifest).
    municipality: Option<Municipality>,
    /// Named on the command line (or in the manifest) rather than met in a
    /// walked folder: such a file that gives no sheet is a mistake worth
    /// saying, where a cover page in a folder is not.
    named: bool,
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
    /// The project evaluations, rendered for the department files.
    projects: Vec<Vec<u8>>,
}

impl Parsed {
    /// A parsed and validated document, not rendered yet.
    fn new(doc: Document) -> Parsed {
        Parsed {
            doc,
            pretty: Vec::new(),
            lines: Vec::new(),
            projects: Vec::new(),
        }
    }

    /// Renders the sheets for the department files and the JSON Lines
    /// file, once their IDs are final.
    fn render(&mut self, args: &ImportArgs) {
        // In parallel within the file too: a lone big file (a project list
        // of hundreds of rows) would otherwise leave the other workers idle.
        if args.out.is_some() {
            self.pretty = self
                .doc
                .sheets
                .par_iter()
                .map(output::render_sheet)
                .collect();
            self.projects = (self.doc.project_evaluations.par_iter())
                .map(output::render_project)
                .collect();
        }
        if args.jsonl.is_some() {
            self.lines = self.doc.sheets.iter().map(render_line).collect();
            // Project evaluations follow the sheets, one line each with a
            // `record` key saying what they are (sheets have none).
            self.lines
                .extend(self.doc.project_evaluations.iter().map(render_project_line));
        }
    }

    /// Gives sheets whose ID an earlier sheet of the run already has (the
    /// same sheet given twice) a distinct ID and a warning. Runs in input
    /// order, so the first keeps its ID, and before [`Parsed::render`].
    fn make_ids_distinct(&mut self, seen: &mut hyoka::ids::DistinctIds) {
        seen.apply(&mut self.doc.sheets);
    }
}

/// A sheet as one line of JSON Lines.
fn render_project_line(project: &hyoka::project::ProjectEvaluation) -> Vec<u8> {
    let mut value = serde_json::to_value(project).expect("a project serializes");
    if let Some(object) = value.as_object_mut() {
        object.insert("record".into(), "project_evaluation".into());
    }
    let mut line = serde_json::to_vec(&value).expect("a value serializes");
    line.push(b'\n');
    line
}

fn render_line(sheet: &Sheet) -> Vec<u8> {
    let mut line = serde_json::to_vec(sheet).expect("sheets serialize");
    line.push(b'\n');
    line
}

fn usage(message: Msg) -> ExitCode {
    say!("hyoka import: {message}");
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
    let (mut inputs, missing) = collect_inputs(given, args.follow_symlinks, args.out.as_deref());
    for input in inputs.iter_mut() {
        input.municipality = assignments.of(&input.path);
    }
    // An unmounted share or a typo in a path must not publish an empty set
    // over the last good one.
    if inputs.iter().all(|i| i.not_read.is_some()) {
        for outcome in &missing {
            if let Err(message) = &outcome.result {
                say!(
                    "{}: {}: {message}",
                    i18n::error_prefix(),
                    outcome.input.shown
                );
            }
        }
        say!(
            "{}: {}",
            i18n::error_prefix(),
            Msg::NoInput {
                others: inputs.len(),
                out: args.out.as_deref().map(i18n::shown),
            }
        );
        return ExitCode::from(EXIT_INPUT_FAILED);
    }
    let set = match &args.out {
        Some(out) => match OutputSet::open(out) {
            Ok(set) => Some(set),
            Err(message) => {
                say!("{}: {}", i18n::error_prefix(), Msg::OutputFolder(message));
                return ExitCode::from(EXIT_OUTPUT_FAILED);
            }
        },
        None => None,
    };
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
        pdf: hyoka::PdfLimits {
            max_pages: args.max_pdf_pages,
            max_objects: args.max_pdf_objects,
            max_stream_bytes: args.max_pdf_stream_bytes,
            max_operators: args.max_pdf_operators,
        },
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
    let output = args.out.is_some();
    pool.spawn(move || schemas::warm_up(output));
    let mut batch = Batch::new(args, set);
    let sheets_seen = std::sync::atomic::AtomicUsize::new(0);
    let parse = |part: Vec<Input>| -> Vec<Outcome> {
        part.into_par_iter()
            .map(|input| {
                let (sha256, result) = match input.not_read {
                    // `accept` lists it as skipped; nothing to read.
                    Some(reason) => (None, Err(Msg::NotRead(reason))),
                    None => read_one(&input, &options),
                };
                let result = result.map(Parsed::new);
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
                    let mut done = done;
                    batch.prepare(&mut done);
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
        named_without_sheet,
        projects_total,
        mut output_failed,
        panel,
        tables,
        table_files,
        ..
    } = batch;
    if let Some((path, writer)) = jsonl.take()
        && let Err(e) = writer.finish()
    {
        say!(
            "{}: {}",
            i18n::error_prefix(),
            Msg::CannotWriteJsonl(i18n::shown(&path), e)
        );
        output_failed = true;
    }
    let department_count = departments_seen.len();
    let written = set.map(|set| {
        let extras = Extras {
            panel: pool.install(|| kpi_series::build(panel)),
            // Without files made at the first flush, the set has already
            // failed and none of it will be committed.
            tables: tables.zip(table_files),
            quiet: args.quiet,
        };
        write_set(set, spools, &entries, extras, failed_inputs > 0, &pool)
    });
    if let Some(Err(what)) = &written {
        output_failed = true;
        say!("{}: {what}", i18n::error_prefix());
    }

    if !args.quiet {
        let count = |s: InputStatus| entries.iter().filter(|e| e.status == s).count();
        let summary = Summary {
            files: entries.len(),
            not_read,
            ok: count(InputStatus::Ok),
            skipped: count(InputStatus::Skipped),
            failed: count(InputStatus::Error),
            sheets: sheets_total,
            named_without_sheet,
            projects: projects_total,
            departments: department_count,
            warnings: warnings_total,
            wrote: match (&written, &args.out) {
                (Some(Ok(n)), Some(out)) => Some((*n, i18n::shown(out))),
                _ => None,
            },
            seconds: started.elapsed().as_secs_f64(),
            peak_mib: platform::peak_rss_mib(),
        };
        say!("{}", Msg::Summary(Box::new(summary)));
    }
    if output_failed {
        ExitCode::from(EXIT_OUTPUT_FAILED)
    } else if failed_inputs > 0 {
        ExitCode::from(EXIT_INPUT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// The files of the set besides department files and the index: the KPI
/// panel, and with `--csv` the open-data tables.
struct Extras {
    panel: hyoka::panel::PanelFile,
    /// With `--csv`: the rows not written yet, and the tables' files.
    tables: Option<(opendata::Tables, opendata::TableFiles)>,
    quiet: bool,
}

/// Finishes the department files, stages the other files, builds
/// `index.json` and commits the set. `Ok`: how many files were written;
/// `Err`: what the summary says about the output folder (each failure is
/// already on stderr).
fn write_set(
    mut set: OutputSet,
    spools: BTreeMap<SpoolKey, DepartmentSpool>,
    entries: &[InputEntry],
    extras: Extras,
    some_input_failed: bool,
    pool: &rayon::ThreadPool,
) -> Result<usize, Msg> {
    let out = set.dir().to_owned();
    let files = department_paths(spools.keys());
    // After a failed write the set is not committed: finishing the other
    // files would only repeat the error.
    let spools = if set.failed() {
        BTreeMap::new()
    } else {
        spools
    };
    // Syncing each file to disk is the slow part; it needs no shared state.
    // Each department file with its counts (sheets, project evaluations).
    type Done = (SpoolKey, (u32, u32), Result<Finished, WriteError>);
    let finished: Vec<Done> = pool.install(|| {
        spools
            .into_par_iter()
            .map(|(key, spool)| {
                let counts = (spool.sheets(), spool.project_evaluations());
                let result = spool.finish(&out, &files[&key]);
                (key, counts, result)
            })
            .collect()
    });
    let mut departments = Vec::with_capacity(finished.len());
    for (key, (sheets, project_evaluations), result) in finished {
        let file = files[&key].clone();
        let adopted = result.and_then(|f| set.adopt(&file, f));
        match adopted {
            Ok(()) => {
                let (municipality, department) = key;
                departments.push(DepartmentEntry {
                    sha256: set.sha256_of(&file).unwrap_or_default().to_owned(),
                    municipality,
                    department,
                    file,
                    sheets,
                    project_evaluations,
                })
            }
            Err(e) => {
                say!("{}: {e}", i18n::error_prefix());
                set.fail(e.to_string());
            }
        }
    }
    departments
        .sort_by(|a, b| (&a.municipality, &a.department).cmp(&(&b.municipality, &b.department)));
    let kept = if some_input_failed {
        keep_earlier_departments(&mut set, &departments)
    } else {
        Vec::new()
    };
    // In the pool: the panel's series are checked and rendered in
    // parallel, and its warnings printed meanwhile.
    let (_, staged) = pool.install(|| {
        rayon::join(
            || {
                if !extras.quiet {
                    kpi_series::print_warnings(&extras.panel);
                }
            },
            || kpi_series::stage(&extras.panel, &mut set),
        )
    });
    if let Err(e) = staged {
        say!("{}: {e}", i18n::error_prefix());
        set.fail(e.to_string());
    }
    if let Some((mut tables, files)) = extras.tables {
        tables.add_panel(&extras.panel);
        if let Err(e) = files.finish(&mut set, tables) {
            say!("{}: {e}", i18n::error_prefix());
            set.fail(e.to_string());
        }
    }
    // Every staged file that is not a department file is listed, so none
    // goes unlisted.
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
            say!("{}: {e}", i18n::error_prefix());
            set.fail(e.to_string());
            Vec::new()
        }
    };
    let was_failed = set.failed();
    match set.commit(&index) {
        Ok(committed) => {
            for rel in &committed.removed {
                say!(
                    "{}: {}",
                    i18n::note_prefix(),
                    Msg::RemovedEarlier {
                        file: rel.clone(),
                        dir: i18n::shown(&out),
                    }
                );
            }
            Ok(committed.written.len())
        }
        Err(not) => {
            if !was_failed {
                for failure in &not.failures {
                    say!(
                        "{}: {}",
                        i18n::error_prefix(),
                        Msg::WriteFailed(failure.clone())
                    );
                }
            }
            if not.renamed.is_empty() {
                Err(Msg::NothingWritten(i18n::shown(&out)))
            } else {
                Err(Msg::PartlyWritten {
                    dir: i18n::shown(&out),
                    renamed: not.renamed.len(),
                })
            }
        }
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
                "{}: {}",
                i18n::note_prefix(),
                Msg::KeptEarlier {
                    file: file.to_owned(),
                    dir: i18n::shown(set.dir()),
                    department: department.to_owned(),
                }
            );
            kept.push(DepartmentEntry {
                municipality: entry
                    .get("municipality")
                    .and_then(|m| serde_json::from_value(m.clone()).ok()),
                department: department.to_owned(),
                file: file.to_owned(),
                sheets: entry
                    .get("sheets")
                    .and_then(|v| v.as_u64())
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
                project_evaluations: entry
                    .get("project_evaluations")
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
    spools: BTreeMap<SpoolKey, DepartmentSpool>,
    /// Rendered sheets of the current chunk, by department, in input order.
    pending: BTreeMap<SpoolKey, Vec<Vec<u8>>>,
    /// The sheet IDs seen so far, to keep them distinct.
    seen_ids: hyoka::ids::DistinctIds,
    /// Rendered project evaluations of the current chunk, by department.
    pending_projects: BTreeMap<SpoolKey, Vec<Vec<u8>>>,
    projects_total: usize,
    /// The open-data tables, with `--csv`: the rows of the current chunk.
    tables: Option<opendata::Tables>,
    /// The tables' staged files, from the first chunk on.
    table_files: Option<opendata::TableFiles>,
    /// The KPI panel across years (with `--out`): keys and values only.
    panel: hyoka::panel::PanelBuilder,
    jsonl: Option<(PathBuf, JsonLines)>,
    /// The output folder (`--out`), locked while the batch runs.
    set: Option<OutputSet>,
    failed_inputs: usize,
    /// Files in walked folders that were not read.
    not_read: usize,
    /// Every department with a sheet, for the summary (spools stop being
    /// created after a write failed).
    departments_seen: BTreeSet<SpoolKey>,
    warnings_total: usize,
    sheets_total: usize,
    /// Files named on the command line that gave no sheet, for the summary.
    named_without_sheet: Vec<String>,
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
                    say!(
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
            seen_ids: hyoka::ids::DistinctIds::default(),
            pending_projects: BTreeMap::new(),
            projects_total: 0,
            tables: args.csv.then(|| opendata::Tables::new(args.csv_headers)),
            table_files: None,
            panel: hyoka::panel::PanelBuilder::new(),
            jsonl,
            set,
            failed_inputs: 0,
            not_read: 0,
            departments_seen: BTreeSet::new(),
            warnings_total: 0,
            sheets_total: 0,
            named_without_sheet: Vec::new(),
            output_failed,
        }
    }

    /// Makes the IDs of a chunk's sheets distinct, in input order, then
    /// renders its sheets in parallel: each sheet is rendered once, with its
    /// final ID.
    fn prepare(&mut self, done: &mut [Outcome]) {
        for outcome in done.iter_mut() {
            if let Ok(parsed) = &mut outcome.result {
                parsed.make_ids_distinct(&mut self.seen_ids);
            }
        }
        let args = self.args;
        done.par_iter_mut().for_each(|outcome| {
            if let Ok(parsed) = &mut outcome.result {
                parsed.render(args);
            }
        });
    }

    /// Records one input's outcome (prepared by [`Batch::prepare`]) and
    /// spools its sheets.
    fn accept(&mut self, outcome: Outcome) {
        let args = self.args;
        let mut entry = InputEntry {
            file: outcome.input.shown.clone(),
            sha256: None,
            format: hyoka::format_of(&outcome.input.path),
            encoding: None,
            status: InputStatus::Error,
            sheets: 0,
            project_evaluations: 0,
            error: None,
            warnings: 0,
            file_warnings: Vec::new(),
            worksheets: Vec::new(),
        };
        if let Some(reason) = outcome.input.not_read {
            entry.format = None;
            entry.status = InputStatus::Skipped;
            entry.error = Some(reason.en());
            self.not_read += 1;
            self.entries.push(entry);
            return;
        }
        match outcome.result {
            Err(message) => {
                say!(
                    "{}: {}: {message}",
                    i18n::error_prefix(),
                    outcome.input.shown
                );
                entry.sha256 = outcome.sha256;
                entry.error = Some(message.en());
                self.failed_inputs += 1;
            }
            Ok(parsed) => {
                let Parsed {
                    doc,
                    pretty,
                    lines,
                    projects,
                } = parsed;
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
                        say!(
                            "{}: {}",
                            i18n::warning_prefix(),
                            Msg::SheetWarning(outcome.input.shown.clone(), w.clone())
                        );
                    }
                    let sheet_warnings = doc.sheets.iter().flat_map(|s| &s.warnings);
                    let project_warnings = doc.project_evaluations.iter().flat_map(|p| &p.warnings);
                    for w in sheet_warnings.chain(project_warnings) {
                        say!(
                            "{}: {}",
                            i18n::warning_prefix(),
                            Msg::SheetWarning(outcome.input.shown.clone(), w.clone())
                        );
                    }
                }
                let named_without_sheet = outcome.input.named
                    && doc.sheets.is_empty()
                    && doc.project_evaluations.is_empty();
                if named_without_sheet {
                    self.named_without_sheet.push(outcome.input.shown.clone());
                }
                let strict_failure = match () {
                    _ if args.strict && named_without_sheet => Some(Msg::StrictNoSheet),
                    _ if args.strict && warnings > 0 => Some(Msg::Strict(warnings)),
                    _ => None,
                };
                if let Some(message) = strict_failure {
                    say!(
                        "{}: {}: {message}",
                        i18n::error_prefix(),
                        outcome.input.shown
                    );
                    entry.status = InputStatus::Error;
                    entry.error = Some(message.en());
                    self.failed_inputs += 1;
                } else {
                    entry.sheets = doc.sheets.len() as u32;
                    entry.project_evaluations = doc.project_evaluations.len() as u32;
                    if doc.status() == InputStatus::Skipped {
                        // A table that looked like a project list says what
                        // it saw instead of "no sheet".
                        let seen = doc
                            .warnings
                            .iter()
                            .find(|w| w.code == hyoka::warning::WarningCode::ProjectListUnreadable)
                            .map(|w| w.message.clone());
                        if named_without_sheet {
                            let shown = seen.clone().unwrap_or_else(|| Msg::NoSheet.to_string());
                            say!(
                                "{}: {}: {shown}",
                                i18n::warning_prefix(),
                                outcome.input.shown
                            );
                        }
                        entry.error = Some(seen.unwrap_or_else(|| Msg::NoSheet.en()));
                    }
                    if let Some(tables) = &mut self.tables {
                        for sheet in &doc.sheets {
                            tables.add(sheet);
                        }
                        for project in &doc.project_evaluations {
                            tables.add_project(project);
                        }
                    }
                    self.spool(&doc.sheets, pretty, lines);
                    self.spool_projects(&doc.project_evaluations, projects);
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
        if let Some((path, writer)) = &mut self.jsonl
            && let Err(e) = writer.write(&lines)
        {
            say!(
                "{}: {}",
                i18n::error_prefix(),
                Msg::CannotWriteJsonl(i18n::shown(path), e)
            );
            self.jsonl = None;
            self.output_failed = true;
        }
        for sheet in sheets {
            let key = (sheet.municipality.clone(), sheet.department.clone());
            if !self.departments_seen.contains(&key) {
                self.departments_seen.insert(key);
            }
        }
        for (sheet, rendered) in sheets.iter().zip(pretty) {
            self.pending
                .entry((sheet.municipality.clone(), sheet.department.clone()))
                .or_default()
                .push(rendered);
        }
    }

    /// Queues an input's rendered project evaluations for their
    /// departments (a project without a department goes to `部局不明`).
    fn spool_projects(
        &mut self,
        projects: &[hyoka::project::ProjectEvaluation],
        rendered: Vec<Vec<u8>>,
    ) {
        self.projects_total += projects.len();
        if self.args.out.is_some() {
            for p in projects {
                self.panel.add_project(p);
            }
        }
        for (p, rendered) in projects.iter().zip(rendered) {
            let key = (p.municipality.clone(), p.filed_under());
            self.departments_seen.insert(key.clone());
            self.pending_projects.entry(key).or_default().push(rendered);
        }
        // Without --out nothing is rendered, but departments still count.
        if self.args.out.is_none() {
            for p in projects {
                self.departments_seen
                    .insert((p.municipality.clone(), p.filed_under()));
            }
        }
    }

    /// Appends the queued sheets to their departments' files, each file
    /// opened once per chunk.
    fn flush(&mut self) {
        let Some(set) = &mut self.set else {
            return;
        };
        let mut pending = std::mem::take(&mut self.pending);
        for key in self.pending_projects.keys() {
            pending.entry(key.clone()).or_default();
        }
        let mut projects = std::mem::take(&mut self.pending_projects);
        for (key, rendered) in pending {
            let project_items = projects.remove(&key).unwrap_or_default();
            // After the first failure the set will not be committed; writing
            // on would only fill the disk further.
            if set.failed() {
                self.output_failed = true;
                return;
            }
            let spool = match self.spools.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    match DepartmentSpool::create(set, &e.key().1) {
                        Ok(spool) => e.insert(spool),
                        Err(err) => {
                            let message = err.to_string();
                            say!(
                                "{}: {}",
                                i18n::error_prefix(),
                                Msg::CannotWrite(i18n::shown(set.dir()), err)
                            );
                            set.fail(message);
                            self.output_failed = true;
                            continue;
                        }
                    }
                }
            };
            spool.append_projects(project_items);
            if let Err(e) = spool.append(&rendered) {
                let message = e.to_string();
                say!(
                    "{}: {}",
                    i18n::error_prefix(),
                    Msg::CannotWriteDepartment(
                        i18n::shown(set.dir()),
                        spool.department().to_owned(),
                        e
                    )
                );
                set.fail(message);
                self.output_failed = true;
            }
        }
        if let Some(tables) = &mut self.tables
            && !set.failed()
        {
            let files = match &mut self.table_files {
                Some(files) => Ok(files),
                None => opendata::TableFiles::create(set).map(|f| self.table_files.insert(f)),
            };
            if let Err(e) = files.and_then(|files| files.append(tables)) {
                let message = e.to_string();
                say!(
                    "{}: {}",
                    i18n::error_prefix(),
                    Msg::CannotWrite(i18n::shown(&set.dir().join("csv")), e)
                );
                set.fail(message);
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
                for p in &mut doc.project_evaluations {
                    p.municipality = Some(m.clone());
                    hyoka::project::assign(p);
                }
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

/// Reads an input, at most `--max-input-bytes` of it (see
/// [`files::read_regular`]).
fn read_bytes(input: &Input, options: &hyoka::Options) -> Result<Vec<u8>, Msg> {
    files::read_regular(&input.path, options.max_input_bytes).map_err(|e| match e {
        ReadFailure::Io(e) => Msg::CannotRead(e),
        ReadFailure::NotRegular(what) => Msg::NotRegular(what),
        ReadFailure::TooLarge { size, limit } => {
            Msg::Library(hyoka::Error::TooLarge { size, limit })
        }
    })
}

/// Checks every sheet against the schema as soon as it is parsed, in the
/// worker thread: a sheet that does not match is a bug, and its file is
/// reported instead of exported.
///
/// The records of one file are checked in parallel (the first that fails,
/// in file order, is reported), so a lone big file uses every worker.
fn validated(doc: Document) -> Result<Document, Msg> {
    let failed = |ordinal, errors: Vec<String>| {
        (!errors.is_empty()).then_some(Msg::SheetDoesNotMatchSchema { ordinal, errors })
    };
    let first = (doc.sheets.par_iter())
        .find_map_first(|s| failed(s.source.ordinal, schemas::validate_sheet(s)))
        .or_else(|| {
            (doc.project_evaluations.par_iter())
                .find_map_first(|p| failed(p.source.ordinal, schemas::validate_project(p)))
        });
    match first {
        Some(failure) => Err(failure),
        None => Ok(doc),
    }
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
    let skip = |path: &Path, reason: NotRead| Input {
        shown: platform::shown_path(path),
        path: path.to_path_buf(),
        not_read: Some(reason),
        municipality: None,
        named: false,
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
                        say!(
                            "{}: {shown}: {}",
                            i18n::warning_prefix(),
                            Msg::WalkSkipped(e)
                        );
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
                        "{}: {}",
                        i18n::warning_prefix(),
                        Msg::SymlinkNotFollowed(i18n::shown(&path))
                    );
                    inputs.push(skip(&path, NotRead::Symlink));
                } else if let Some(what) = files::not_regular(&entry.file_type()) {
                    let reason = NotRead::NotRegular(what);
                    say!(
                        "{}: {}: {}",
                        i18n::warning_prefix(),
                        i18n::shown(&path),
                        Msg::NotRead(reason)
                    );
                    inputs.push(skip(&path, reason));
                } else if hyoka::format_of(&path).is_none() {
                    inputs.push(skip(&path, NotRead::OtherType));
                } else {
                    inputs.push(Input {
                        shown: platform::shown_path(&path),
                        path,
                        not_read: None,
                        municipality: None,
                        named: false,
                    });
                }
            }
        } else if std::fs::symlink_metadata(arg).is_ok() {
            if seen.insert(arg.clone()) {
                inputs.push(Input {
                    shown,
                    path: arg.clone(),
                    not_read: None,
                    municipality: None,
                    named: true,
                });
            }
        } else {
            missing.push(Outcome {
                sha256: None,
                input: Input {
                    shown,
                    path: arg.clone(),
                    not_read: None,
                    municipality: None,
                    named: true,
                },
                result: Err(Msg::NoSuchFile),
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
