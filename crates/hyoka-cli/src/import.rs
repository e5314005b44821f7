//! `hyoka import`: read every input in parallel, group sheets by
//! department, validate and write.
//!
//! Into a folder that holds an earlier import, the earlier records go to
//! the outputs first ([`crate::earlier`]): those of inputs not given again
//! as they are, those of inputs given again only where no new record
//! replaces them, after this run's.
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

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use hyoka::Document;
use hyoka::model::Municipality;
use hyoka::output::{InputEntry, InputStatus};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::ImportArgs;
use crate::console::say;
use crate::earlier::{self, Carried, Earlier, RecordKey};
use crate::files::{self, ReadFailure};
use crate::i18n::{self, Lang, Localized, Msg, Summary};
use crate::municipalities::Assignments;
use crate::output::OutputSet;
use crate::outputs::{Outputs, TablePlan};
use crate::platform;
use crate::schemas;
use crate::sharing::{Shared, Sharing};
use crate::walk::{self, Input};

/// Exit status when some input failed (output for the others is written).
const EXIT_INPUT_FAILED: u8 = 1;
/// Exit status for a usage error.
const EXIT_USAGE: u8 = 2;
/// Exit status when hyoka could not write its output.
const EXIT_OUTPUT_FAILED: u8 = 3;

/// What became of one input.
struct Outcome {
    input: Input,
    /// The file's SHA-256, whenever its bytes could be read, even if they
    /// could not be parsed: a failed input is still identified.
    sha256: Option<String>,
    result: Result<Document, Msg>,
}

impl Shared for Outcome {
    fn path(&self) -> &Path {
        &self.input.path
    }
    fn name(&self) -> &str {
        &self.input.recorded
    }
    fn stated(&self) -> bool {
        self.input.municipality.is_some()
    }
    fn doc(&self) -> Option<&Document> {
        self.result.as_ref().ok()
    }
    fn doc_mut(&mut self) -> Option<&mut Document> {
        self.result.as_mut().ok()
    }
}

fn usage(message: Msg) -> ExitCode {
    say!("hyoka import: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Runs `hyoka import`: check usage, collect the inputs, parse them a
/// chunk at a time feeding the outputs, commit, and say what was done.
pub fn run(args: &ImportArgs) -> ExitCode {
    let started = Instant::now();
    let options = match options(args) {
        Ok(options) => options,
        Err(status) => return status,
    };
    let (inputs, missing) = match collect(args) {
        Ok(collected) => collected,
        Err(status) => return status,
    };
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
        && let Some(input) = inputs.iter().find(|i| walk::same_file(&i.path, jsonl))
    {
        return usage(Msg::JsonlIsInput {
            jsonl: i18n::shown(jsonl),
            input: input.shown.clone(),
        });
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            return usage(Msg::CannotStartJobs(args.jobs.unwrap_or(0), e.to_string()));
        }
    };
    // The schema validators are compiled on the pool while the first files
    // are read, not on the first sheet's path.
    let output = args.out.is_some();
    pool.spawn(move || schemas::warm_up(output));
    let given = inputs.iter().chain(missing.iter().map(|o| &o.input));
    let given = given.map(|i| i.recorded.clone()).collect();
    let (earlier, held, tables) = match earlier(args, set.as_ref(), &given) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let mut outputs = Outputs::for_import(args, set, tables);
    let mut tally = Tally::new(args, Sharing::new(inputs.iter().map(|i| i.path.as_path())));
    let carried = tally.carry(earlier.inputs);
    outputs.add_earlier(&carried.iter().collect::<Vec<_>>());
    drop(carried);
    parse_in_chunks(args, &pool, &options, inputs, &mut tally, &mut outputs);
    let mut accepted = tally.accept_chunk(missing);
    accepted.extend(tally.accept_rest());
    outputs.add(&accepted.iter().collect::<Vec<_>>());
    if !held.is_empty() {
        match held.unreplaced(&tally.replacing) {
            Ok((unreplaced, replaced)) => {
                tally.replaced = replaced;
                tally.held_back = true;
                let carried = tally.carry(unreplaced);
                outputs.add_earlier(&carried.iter().collect::<Vec<_>>());
            }
            // The files were read whole at the start; a change since is
            // another writer's, and nothing of this run is committed.
            Err(e) => outputs.fail(e.render(i18n::lang())),
        }
    }
    // Without --replace every earlier record is carried, so no earlier
    // department file is kept whole.
    let keep_earlier_files = args.replace && tally.failed_inputs > 0;
    let entries = tally.index_entries();
    let (output_failed, written) = outputs.finish(&entries, &pool, args.quiet, keep_earlier_files);
    if !args.quiet {
        tally.say_carried(args.out.as_deref());
        tally.say_summary(&written, started);
    }
    if output_failed {
        ExitCode::from(EXIT_OUTPUT_FAILED)
    } else if tally.failed_inputs > 0 {
        ExitCode::from(EXIT_INPUT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// What the output folder already holds, unless `--replace`: the earlier
/// import to carry into this one, and the CSV tables' header language when
/// the tables are to be written (asked for, or published before).
fn earlier(
    args: &ImportArgs,
    set: Option<&OutputSet>,
    given: &BTreeSet<String>,
) -> Result<(Earlier, earlier::Held, Option<TablePlan>), ExitCode> {
    let plan = |headers, xlsx| TablePlan {
        headers,
        meta: args.portal.clone(),
        xlsx,
    };
    let asked = args.csv.then(|| plan(args.csv_headers, args.xlsx));
    let nothing = || (Earlier::default(), earlier::Held::default());
    let Some(set) = set.filter(|_| !args.replace) else {
        let (earlier, held) = nothing();
        return Ok((earlier, held, asked));
    };
    match Earlier::load(set.dir(), set.previous_index(), given) {
        Ok(None) => {
            let (earlier, held) = nothing();
            Ok((earlier, held, asked))
        }
        Ok(Some((earlier, held))) => {
            // Tables the folder publishes are kept up to date, in their
            // language, unless this run asks for them itself.
            let tables = match asked {
                Some(mut asked) => {
                    asked.xlsx |= earlier.had_xlsx;
                    Some(asked)
                }
                None => earlier
                    .had_tables
                    .then(|| plan(earlier.table_headers.unwrap_or_default(), earlier.had_xlsx)),
            };
            Ok((earlier, held, tables))
        }
        Err(e) => {
            say!(
                "{}: {}: {}",
                i18n::error_prefix(),
                i18n::shown(set.dir()),
                e.render(i18n::lang())
            );
            Err(ExitCode::from(EXIT_OUTPUT_FAILED))
        }
    }
}

/// The reading options `args` give, once the usage is checked: where the
/// output goes, the template, the limits.
fn options(args: &ImportArgs) -> Result<hyoka::Options, ExitCode> {
    if args.out.is_none() && args.jsonl.is_none() {
        return Err(usage(Msg::OutOrJsonlMissing));
    }
    let template = match &args.template {
        None => hyoka::Template::builtin(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(TemplateRead::Io)
            .and_then(|text| {
                hyoka::Template::from_toml(&text).map_err(|e| TemplateRead::Template(Box::new(e)))
            }) {
            Ok(t) => std::sync::Arc::new(t),
            Err(error) => {
                return Err(usage(Msg::Template {
                    path: path.display().to_string(),
                    error: Box::new(error),
                }));
            }
        },
    };
    if let Some(out) = &args.out {
        if out.exists() && !out.is_dir() {
            return Err(usage(Msg::OutIsFile(i18n::shown(out))));
        }
        for input in &args.inputs {
            if input.is_file() && walk::same_file(input, out) {
                return Err(usage(Msg::OutIsInput(i18n::shown(out))));
            }
        }
    }
    let mut options = hyoka::Options::default();
    options.template = template;
    let limits = &mut options.limits;
    limits.max_input_bytes = args.max_input_bytes;
    limits.grid.max_rows = args.max_rows;
    limits.grid.max_cell_bytes = args.max_cell_bytes;
    limits.grid.max_cells = args.max_cells;
    limits.archive.max_uncompressed_bytes = args.max_uncompressed_bytes;
    limits.archive.max_compression_ratio = args.max_compression_ratio;
    limits.pdf.max_pages = args.max_pdf_pages;
    limits.pdf.max_objects = args.max_pdf_objects;
    limits.pdf.max_stream_bytes = args.max_pdf_stream_bytes;
    limits.pdf.max_operators = args.max_pdf_operators;
    Ok(options)
}

/// The inputs to read, each with whose sheets it holds, and the outcomes
/// of inputs that are not there; an error status when nothing is to be
/// read.
fn collect(args: &ImportArgs) -> Result<(Vec<Input>, Vec<Outcome>), ExitCode> {
    let assignments = match &args.manifest {
        Some(manifest) => match Assignments::from_manifest(manifest) {
            Ok(a) => a,
            Err(e) => return Err(usage(Msg::Manifest(Box::new(e)))),
        },
        None => Assignments::everywhere(args.municipality.clone(), args.municipality_name.clone()),
    };
    for note in assignments.notes() {
        say!("{}: {note}", i18n::note_prefix());
    }
    let given: &[PathBuf] = if args.inputs.is_empty() {
        assignments.listed()
    } else {
        &args.inputs
    };
    let (mut inputs, missing) =
        walk::collect_inputs(given, args.follow_symlinks, args.out.as_deref());
    let missing: Vec<Outcome> = (missing.into_iter())
        .map(|input| Outcome {
            input,
            sha256: None,
            result: Err(Msg::NoSuchFile),
        })
        .collect();
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
        return Err(ExitCode::from(EXIT_INPUT_FAILED));
    }
    Ok((inputs, missing))
}

/// Parses the inputs in parallel a chunk at a time; each chunk's records
/// are fed to the outputs in input order while the next chunk is parsed,
/// so memory holds two chunks, not the batch.
fn parse_in_chunks(
    args: &ImportArgs,
    pool: &rayon::ThreadPool,
    options: &hyoka::Options,
    inputs: Vec<Input>,
    tally: &mut Tally<'_>,
    outputs: &mut Outputs,
) {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_progress {
        ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(&Msg::Progress.to_string()).expect("valid template"),
    );
    let sheets_seen = std::sync::atomic::AtomicUsize::new(0);
    let parse = |part: Vec<Input>| -> Vec<Outcome> {
        part.into_par_iter()
            .map(|input| {
                let (sha256, result) = match input.not_read {
                    // `accept` lists it as skipped; nothing to read.
                    Some(reason) => (None, Err(Msg::NotRead(Box::new(reason)))),
                    None => read_one(&input, options),
                };
                if let Ok(doc) = &result {
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
    let chunk = pool.current_num_threads().max(1) * 32;
    let mut inputs = inputs.into_iter().peekable();
    let mut parsed: Vec<Outcome> = Vec::new();
    loop {
        let part: Vec<Input> = inputs.by_ref().take(chunk).collect();
        if part.is_empty() && parsed.is_empty() {
            break;
        }
        let done = std::mem::take(&mut parsed);
        let (tally, outputs) = (&mut *tally, &mut *outputs);
        parsed = pool.install(|| {
            rayon::join(
                || parse(part),
                move || {
                    let accepted = tally.accept_chunk(done);
                    outputs.add(&accepted.iter().collect::<Vec<_>>());
                },
            )
            .0
        });
    }
    bar.finish_and_clear();
}

/// What the import has accepted so far: the index's input entries, the
/// counts for the summary, and the sheet IDs seen (to keep them distinct).
/// The records themselves go to the [`Outputs`].
struct Tally<'a> {
    args: &'a ImportArgs,
    entries: Vec<InputEntry>,
    seen_ids: hyoka::ids::DistinctIds,
    failed_inputs: usize,
    /// Files in walked folders that were not read.
    not_read: usize,
    /// Every department with a record, for the summary.
    departments_seen: BTreeSet<(Option<Municipality>, String)>,
    warnings_total: usize,
    sheets_total: usize,
    projects_total: usize,
    /// Files named on the command line that gave no sheet, for the summary.
    named_without_sheet: Vec<String>,
    /// The replacement key of every record accepted, for the earlier
    /// inputs given again ([`earlier::Held`]).
    replacing: BTreeSet<RecordKey>,
    /// Earlier inputs carried before this run's, and after (the earlier
    /// records of inputs given again that no new record replaced): their
    /// index entries.
    front: Vec<InputEntry>,
    back: Vec<InputEntry>,
    /// The earlier inputs given again have been settled: what is carried
    /// now goes after this run's inputs.
    held_back: bool,
    /// Earlier records carried (sheets, project evaluations), and earlier
    /// records replaced by this run's.
    carried: (usize, usize),
    replaced: usize,
    /// Inputs waiting for a cover in their folder to name their city.
    sharing: Sharing<Outcome>,
}

impl<'a> Tally<'a> {
    fn new(args: &'a ImportArgs, sharing: Sharing<Outcome>) -> Tally<'a> {
        Tally {
            args,
            entries: Vec::new(),
            seen_ids: hyoka::ids::DistinctIds::default(),
            failed_inputs: 0,
            not_read: 0,
            departments_seen: BTreeSet::new(),
            warnings_total: 0,
            sheets_total: 0,
            projects_total: 0,
            named_without_sheet: Vec::new(),
            replacing: BTreeSet::new(),
            front: Vec::new(),
            back: Vec::new(),
            held_back: false,
            carried: (0, 0),
            replaced: 0,
            sharing,
        }
    }

    /// Takes earlier inputs into the run: their entries go into the index
    /// (before this run's, or after once the inputs given again are
    /// settled) and their documents, IDs made distinct in order, to the
    /// outputs.
    fn carry(&mut self, carried: Vec<Carried>) -> Vec<Document> {
        let mut docs = Vec::with_capacity(carried.len());
        for c in carried {
            let entry = c.recounted();
            let mut doc = c.doc;
            self.seen_ids.apply(&mut doc.sheets);
            self.seen_ids.apply_projects(&mut doc.project_evaluations);
            self.carried.0 += doc.sheets.len();
            self.carried.1 += doc.project_evaluations.len();
            if self.held_back {
                self.back.push(entry);
            } else {
                self.front.push(entry);
            }
            docs.push(doc);
        }
        docs
    }

    /// The index's inputs: earlier ones carried, this run's, earlier ones
    /// given again whose records stay.
    fn index_entries(&mut self) -> Vec<InputEntry> {
        let mut all = std::mem::take(&mut self.front);
        all.extend(self.entries.iter().cloned());
        all.append(&mut self.back);
        all
    }

    /// Says what an update kept of the folder's earlier imports.
    fn say_carried(&self, out: Option<&Path>) {
        let (Some(out), (sheets, projects)) = (out, self.carried) else {
            return;
        };
        // Re-running the same inputs replaces everything: nothing to say.
        if sheets + projects == 0 {
            return;
        }
        say!(
            "{}: {}",
            i18n::note_prefix(),
            Msg::Carried {
                dir: i18n::shown(out),
                sheets,
                projects,
                replaced: self.replaced,
            }
        );
    }

    /// Says the closing summary line.
    fn say_summary(&mut self, written: &Option<Result<usize, Msg>>, started: Instant) {
        let entries = &self.entries;
        let count = |s: InputStatus| entries.iter().filter(|e| e.status == s).count();
        let summary = Summary {
            files: entries.len(),
            not_read: self.not_read,
            ok: count(InputStatus::Ok),
            skipped: count(InputStatus::Skipped),
            failed: count(InputStatus::Error),
            sheets: self.sheets_total,
            named_without_sheet: std::mem::take(&mut self.named_without_sheet),
            projects: self.projects_total,
            departments: self.departments_seen.len(),
            warnings: self.warnings_total,
            wrote: match (written, &self.args.out) {
                (Some(Ok(n)), Some(out)) => Some((*n, i18n::shown(out))),
                _ => None,
            },
            seconds: started.elapsed().as_secs_f64(),
            peak_mib: platform::peak_rss_mib(),
        };
        say!("{}", Msg::Summary(Box::new(summary)));
    }

    /// Records a chunk's outcomes in input order and returns the documents
    /// whose records the outputs take. Sheets and project evaluations whose
    /// ID an earlier one of the run already has (the same sheet given
    /// twice, a project from its list and its sheet) get a distinct ID and
    /// a warning first, so the first keeps its ID.
    fn accept_chunk(&mut self, done: Vec<Outcome>) -> Vec<Document> {
        let mut ready = Vec::new();
        for outcome in done {
            ready.extend(self.sharing.push(outcome));
        }
        self.accept_ready(ready)
    }

    /// Accepts what [`Sharing`] still holds: the batch is read.
    fn accept_rest(&mut self) -> Vec<Document> {
        let rest = self.sharing.finish();
        self.accept_ready(rest)
    }

    fn accept_ready(&mut self, ready: Vec<Outcome>) -> Vec<Document> {
        let mut accepted = Vec::new();
        for mut outcome in ready {
            if let Ok(doc) = &mut outcome.result {
                self.seen_ids.apply(&mut doc.sheets);
                self.seen_ids.apply_projects(&mut doc.project_evaluations);
            }
            accepted.extend(self.accept(outcome));
        }
        accepted
    }

    /// Records one input's outcome; the document, when its records are
    /// to be written.
    fn accept(&mut self, outcome: Outcome) -> Option<Document> {
        let args = self.args;
        let mut entry = InputEntry {
            file: outcome.input.recorded.clone(),
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
            return None;
        }
        let mut accepted = None;
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
            Ok(doc) => {
                let warnings = doc.warning_count();
                self.warnings_total += warnings;
                entry = doc.input_entry(entry.file);
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
                    // Nothing of it is written.
                    entry.status = InputStatus::Error;
                    entry.error = Some(message.en());
                    entry.sheets = 0;
                    entry.project_evaluations = 0;
                    self.failed_inputs += 1;
                } else {
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
                    self.sheets_total += doc.sheets.len();
                    self.projects_total += doc.project_evaluations.len();
                    for sheet in &doc.sheets {
                        (self.departments_seen)
                            .insert((sheet.municipality.clone(), sheet.department.clone()));
                    }
                    for p in &doc.project_evaluations {
                        (self.departments_seen).insert((p.municipality.clone(), p.filed_under()));
                    }
                    let keys = (doc.sheets.iter().map(earlier::sheet_key))
                        .chain(doc.project_evaluations.iter().map(earlier::project_key));
                    self.replacing.extend(keys);
                    accepted = Some(doc);
                }
            }
        }
        self.entries.push(entry);
        accepted
    }
}

/// Reads, parses and validates one input; the SHA-256 of its bytes when
/// they could be read.
fn read_one(input: &Input, options: &hyoka::Options) -> (Option<String>, Result<Document, Msg>) {
    let bytes = match read_bytes(input, options) {
        Ok(bytes) => bytes,
        Err(e) => return (None, Err(e)),
    };
    let result = hyoka::read(&input.recorded, &bytes, options)
        .map_err(Msg::Library)
        .map(|mut doc| {
            if let Some(m) = &input.municipality {
                doc.state_municipality(m);
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
    files::read_regular(&input.path, options.limits.max_input_bytes).map_err(|e| match e {
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

/// Why a `--template` file could not be used.
#[derive(Debug)]
pub enum TemplateRead {
    /// The file does not read.
    Io(std::io::Error),
    /// It reads, but is not a template.
    Template(Box<hyoka::TemplateError>),
}

impl Localized for TemplateRead {
    fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (TemplateRead::Io(e), lang) => i18n::io(e, lang),
            (TemplateRead::Template(e), Lang::En) => e.to_string(),
            (TemplateRead::Template(e), Lang::Ja) => e.message_ja(),
        }
    }
}
