//! The import's one output boundary, as ripgrep's `Sink`: accepted
//! documents go in a chunk at a time, in input order, and each [`Output`]
//! turns them into its files. The department files, JSON Lines, the CSV
//! tables with their Data Package and the KPI panel are outputs; adding
//! one is adding an implementation and a line in [`Outputs::for_import`].
//!
//! [`Outputs`] is the driver and owns the one error path: an output
//! returns its error, the driver says it on stderr, fails the output set
//! (so nothing half-written is committed) and stops feeding that output.
//! Data crosses the boundary one way: outputs never read the inputs and
//! never see each other, except what [`Finishing`] hands on (the panel,
//! which the CSV tables also publish).

mod departments;
mod jsonl;
mod panel;
mod tables;

pub use tables::TablePlan;

use std::collections::BTreeSet;

use hyoka::Document;
use hyoka::output::{DepartmentEntry, FileEntry, Generator, IndexFile, InputEntry, SCHEMA_VERSION};

use crate::ImportArgs;
use crate::console::say;
use crate::i18n::{self, Msg};
use crate::output::{self, OutputSet};
use crate::render;
use crate::schemas::Kind;

/// One output of an import.
///
/// ```ignore
/// impl Output for Counter {
///     fn add(&mut self, chunk: &[&Document], _: Option<&mut OutputSet>) -> Result<(), OutputError> {
///         self.sheets += chunk.iter().map(|d| d.sheets.len()).sum::<usize>();
///         Ok(())
///     }
///     fn finish(self: Box<Self>, _: &mut Finishing<'_>) -> Result<(), OutputError> {
///         Ok(())
///     }
/// }
/// ```
pub trait Output: Send {
    /// Takes one chunk of accepted documents, in input order, their IDs
    /// final. Runs on the import's thread pool while the next chunk is
    /// parsed, so an output may render in parallel.
    fn add(&mut self, chunk: &[&Document], set: Option<&mut OutputSet>) -> Result<(), OutputError>;

    /// After the last chunk: finishes its files into the set, or hands on
    /// what a later output needs.
    fn finish(self: Box<Self>, finishing: &mut Finishing<'_>) -> Result<(), OutputError>;

    /// Whether the output writes into the output set: after the set has
    /// failed, such outputs are fed no more (writing on would only fill
    /// the disk further; the set will not be committed).
    fn writes_into_set(&self) -> bool {
        true
    }

    /// Whether the output takes the records an earlier import left in the
    /// folder ([`crate::earlier`]): every file of the folder covers them;
    /// a stream of this run's records (`--jsonl`) does not.
    fn takes_earlier(&self) -> bool {
        true
    }
}

/// Why an output stopped: what stderr says, and whether the output set
/// must not be committed because of it.
#[derive(Debug)]
pub struct OutputError {
    /// The message, in the user's language.
    said: String,
    /// The set's record of the failure (the set is failed with it), or
    /// `None` when the output writes outside the set.
    set_failure: Option<String>,
}

impl OutputError {
    /// A failure of a file in the output set.
    pub fn in_set(said: impl std::fmt::Display, set_failure: String) -> OutputError {
        OutputError {
            said: said.to_string(),
            set_failure: Some(set_failure),
        }
    }

    /// A failure of a file outside the set (`--jsonl`).
    pub fn outside_set(said: impl std::fmt::Display) -> OutputError {
        OutputError {
            said: said.to_string(),
            set_failure: None,
        }
    }
}

impl From<output::WriteError> for OutputError {
    fn from(e: output::WriteError) -> OutputError {
        OutputError::in_set(&e, e.to_string())
    }
}

/// What the outputs hand on as they finish, in order, and the index is
/// built from.
pub struct Finishing<'a> {
    /// The output set (`--out`), if any.
    pub set: Option<&'a mut OutputSet>,
    /// The import's thread pool.
    pub pool: &'a rayon::ThreadPool,
    /// `--quiet`: the panel's warnings are not printed.
    pub quiet: bool,
    /// Some input failed: department files it may have held are kept.
    pub some_input_failed: bool,
    /// The department files written, for `index.json`.
    pub departments: Vec<DepartmentEntry>,
    /// Earlier department files kept, for `index.json`.
    pub kept: Vec<DepartmentEntry>,
    /// The KPI panel, once built: the CSV tables publish it too.
    pub panel: Option<hyoka::panel::PanelFile>,
}

/// The outputs of one import and the set they write into.
pub struct Outputs {
    set: Option<OutputSet>,
    /// In finishing order; `None` once an output has failed.
    list: Vec<Option<Box<dyn Output>>>,
    failed: bool,
}

impl Outputs {
    /// The outputs `args` ask for, in the order they finish: department
    /// files first (the index lists them), then the panel, then the CSV
    /// tables (which publish the panel) when `tables` gives their header
    /// language, then JSON Lines.
    pub fn for_import(
        args: &ImportArgs,
        set: Option<OutputSet>,
        tables: Option<TablePlan>,
    ) -> Outputs {
        Outputs::new(set, tables, args.jsonl.as_deref())
    }

    /// The department files, the panel and, when `tables` gives their
    /// header language, the CSV tables into `set`; JSON Lines into `jsonl`.
    pub fn new(
        set: Option<OutputSet>,
        tables: Option<TablePlan>,
        jsonl: Option<&std::path::Path>,
    ) -> Outputs {
        let mut list: Vec<Option<Box<dyn Output>>> = Vec::new();
        let mut failed = false;
        if set.is_some() {
            list.push(Some(Box::new(departments::Departments::default())));
            list.push(Some(Box::new(panel::Panel::default())));
            if let Some(plan) = tables {
                list.extend(tables::outputs(plan));
            }
        }
        if let Some(path) = jsonl {
            match jsonl::JsonLines::open(path) {
                Ok(output) => list.push(Some(Box::new(output))),
                Err(e) => {
                    say!("{}: {}", i18n::error_prefix(), e.said);
                    failed = true;
                }
            }
        }
        Outputs { set, list, failed }
    }

    /// Feeds one chunk of accepted documents to every output still going.
    pub fn add(&mut self, chunk: &[&Document]) {
        self.feed(chunk, false);
    }

    /// Feeds the documents an earlier import left in the folder to every
    /// output that covers them, a chunk of about a hundred at a time.
    pub fn add_earlier(&mut self, docs: &[&Document]) {
        for chunk in docs.chunks(128) {
            self.feed(chunk, true);
        }
    }

    /// Fails the run's output set for a reason outside every output
    /// (said on stderr): nothing is committed.
    pub fn fail(&mut self, said: String) {
        let e = OutputError::in_set(&said, said.clone());
        fail(&mut self.set, &mut self.failed, e);
    }

    fn feed(&mut self, chunk: &[&Document], earlier: bool) {
        for slot in &mut self.list {
            let Some(output) = slot else { continue };
            if earlier && !output.takes_earlier() {
                continue;
            }
            if output.writes_into_set() && self.set.as_ref().is_some_and(OutputSet::failed) {
                self.failed = true;
                continue;
            }
            if let Err(e) = output.add(chunk, self.set.as_mut()) {
                fail(&mut self.set, &mut self.failed, e);
                *slot = None;
            }
        }
    }

    /// Finishes every output, builds `index.json` from what they wrote and
    /// the inputs' `entries`, and commits the set. Returns whether any
    /// output failed and, with `--out`, how many files were written or
    /// what the summary says about the folder.
    pub fn finish(
        self,
        entries: &[InputEntry],
        pool: &rayon::ThreadPool,
        quiet: bool,
        some_input_failed: bool,
    ) -> (bool, Option<Result<usize, Msg>>) {
        let Outputs {
            mut set,
            list,
            mut failed,
        } = self;
        let mut finishing = Finishing {
            set: set.as_mut(),
            pool,
            quiet,
            some_input_failed,
            departments: Vec::new(),
            kept: Vec::new(),
            panel: None,
        };
        for output in list.into_iter().flatten() {
            if let Err(e) = output.finish(&mut finishing) {
                // `finishing` borrows the set; fail it through there.
                say!("{}: {}", i18n::error_prefix(), e.said);
                failed = true;
                if let (Some(set), Some(why)) = (finishing.set.as_deref_mut(), e.set_failure) {
                    set.fail(why);
                }
            }
        }
        let Finishing {
            departments, kept, ..
        } = finishing;
        let written = set.map(|set| commit(set, departments, kept, entries));
        if let Some(Err(what)) = &written {
            failed = true;
            say!("{}: {what}", i18n::error_prefix());
        }
        (failed, written)
    }
}

/// The driver's one error path.
fn fail(set: &mut Option<OutputSet>, failed: &mut bool, e: OutputError) {
    say!("{}: {}", i18n::error_prefix(), e.said);
    *failed = true;
    if let (Some(set), Some(why)) = (set.as_mut(), e.set_failure) {
        set.fail(why);
    }
}

/// Builds `index.json`, listing every staged file, and commits the set.
/// `Ok`: how many files were written; `Err`: what the summary says about
/// the output folder (each failure is already on stderr).
fn commit(
    mut set: OutputSet,
    departments: Vec<DepartmentEntry>,
    kept: Vec<DepartmentEntry>,
    entries: &[InputEntry],
) -> Result<usize, Msg> {
    let out = set.dir().to_owned();
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
    let index = match render::validated_json(&out, output::INDEX, Kind::Index, &index) {
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
