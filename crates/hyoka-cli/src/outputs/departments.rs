//! The department files: `<department>.json`, one per municipality and
//! department, each appended to as its sheets arrive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use hyoka::Document;
use hyoka::model::Municipality;
use hyoka::output::{DepartmentEntry, SCHEMA_VERSION};
use rayon::prelude::*;

use super::{Finishing, Output, OutputError};
use crate::console::say;
use crate::i18n::{self, Msg};
use crate::municipalities;
use crate::names;
use crate::output::{Finished, OutputSet, Spool, WriteError};
use crate::render;
use crate::schemas::{self, Kind};

/// A department file's key: whose sheets, and which department.
type SpoolKey = (Option<Municipality>, String);

/// One spool per department; sheets and project evaluations are rendered
/// a chunk at a time, in parallel, and appended in input order.
#[derive(Default)]
pub struct Departments {
    spools: BTreeMap<SpoolKey, DepartmentSpool>,
}

/// A chunk's rendered records for one department file.
#[derive(Default)]
struct Pending {
    sheets: Vec<Vec<u8>>,
    projects: Vec<Vec<u8>>,
}

impl Output for Departments {
    fn add(&mut self, chunk: &[&Document], set: Option<&mut OutputSet>) -> Result<(), OutputError> {
        let Some(set) = set else { return Ok(()) };
        // Rendering is the costly part and needs no shared state.
        let rendered: Vec<Pending> = chunk
            .par_iter()
            .map(|doc| {
                // In parallel within the file too: a lone big file (a project
                // list of hundreds of rows) would otherwise leave the other
                // workers idle.
                let sheets = doc.sheets.par_iter().map(render::render_sheet).collect();
                let projects = (doc.project_evaluations.par_iter())
                    .map(render::render_project)
                    .collect();
                Pending { sheets, projects }
            })
            .collect();
        let mut pending: BTreeMap<SpoolKey, Pending> = BTreeMap::new();
        for (doc, Pending { sheets, projects }) in chunk.iter().zip(rendered) {
            for (sheet, bytes) in doc.sheets.iter().zip(sheets) {
                let key = (sheet.municipality.clone(), sheet.department.clone());
                pending.entry(key).or_default().sheets.push(bytes);
            }
            // A project without a department goes to `部局不明`.
            for (project, bytes) in doc.project_evaluations.iter().zip(projects) {
                let key = (project.municipality.clone(), project.filed_under());
                pending.entry(key).or_default().projects.push(bytes);
            }
        }
        for (key, pending) in pending {
            let spool = match self.spools.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    match DepartmentSpool::create(set, &e.key().1) {
                        Ok(spool) => e.insert(spool),
                        Err(err) => {
                            let why = err.to_string();
                            return Err(OutputError::in_set(
                                Msg::CannotWrite(i18n::shown(set.dir()), err),
                                why,
                            ));
                        }
                    }
                }
            };
            spool.append_projects(pending.projects);
            if let Err(e) = spool.append(&pending.sheets) {
                let why = e.to_string();
                return Err(OutputError::in_set(
                    Msg::CannotWriteDepartment(
                        i18n::shown(set.dir()),
                        spool.department().to_owned(),
                        e,
                    ),
                    why,
                ));
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, finishing: &mut Finishing<'_>) -> Result<(), OutputError> {
        let Some(set) = finishing.set.as_deref_mut() else {
            return Ok(());
        };
        let out = set.dir().to_owned();
        let files = department_paths(self.spools.keys());
        // After a failed write the set is not committed: finishing the
        // other files would only repeat the error.
        let spools = if set.failed() {
            BTreeMap::new()
        } else {
            self.spools
        };
        // Syncing each file to disk is the slow part; it needs no shared
        // state. Each department file with its counts (sheets, project
        // evaluations).
        type Done = (SpoolKey, (u32, u32), Result<Finished, WriteError>);
        let finished: Vec<Done> = finishing.pool.install(|| {
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
            match result.and_then(|f| set.adopt(&file, f)) {
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
                // Each file's failure is said; the set fails with the
                // first and the others are still tried, so every
                // department that could not be written is named.
                Err(e) => {
                    say!("{}: {e}", i18n::error_prefix());
                    set.fail(e.to_string());
                }
            }
        }
        departments.sort_by(|a, b| {
            (&a.municipality, &a.department).cmp(&(&b.municipality, &b.department))
        });
        if finishing.some_input_failed {
            finishing.kept = keep_earlier_departments(set, &departments);
        }
        finishing.departments = departments;
        Ok(())
    }
}

/// Each department file's path inside the output folder, by one rule
/// whatever the run holds: `departments/<code>_<name>/<department>.json`,
/// `departments/unknown/<department>.json` for records whose municipality
/// is unknown. A glob (`departments/*/*.json`) matches department files
/// only, and a yearly update that adds a city moves no earlier file.
fn department_paths<'a>(keys: impl Iterator<Item = &'a SpoolKey>) -> BTreeMap<SpoolKey, String> {
    let mut by_municipality: BTreeMap<&Option<Municipality>, Vec<&str>> = BTreeMap::new();
    for (m, d) in keys {
        by_municipality.entry(m).or_default().push(d);
    }
    let folders =
        municipalities::folder_names(&by_municipality.keys().map(|m| (*m).clone()).collect());
    let mut out = BTreeMap::new();
    for (m, departments) in by_municipality {
        for (department, file) in names::file_names(departments) {
            let path = format!("{DEPARTMENTS}/{}/{file}", folders[m]);
            out.insert((m.clone(), department.to_owned()), path);
        }
    }
    out
}

/// The folder of the department files inside the output folder.
pub const DEPARTMENTS: &str = "departments";

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
            let count = |key: &str| {
                entry
                    .get(key)
                    .and_then(|v| v.as_u64())
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
            };
            kept.push(DepartmentEntry {
                municipality: entry
                    .get("municipality")
                    .and_then(|m| serde_json::from_value(m.clone()).ok()),
                department: department.to_owned(),
                file: file.to_owned(),
                sheets: count("sheets"),
                project_evaluations: count("project_evaluations"),
                sha256,
            });
        }
    }
    kept.sort_by(|a, b| a.department.cmp(&b.department));
    kept
}

/// A department file being written while the batch runs.
///
/// Sheets are appended, in input order, to a [`Spool`] as soon as their
/// input is parsed, and then dropped from memory: this is what keeps memory
/// bounded however large the batch grows. The bytes are exactly what
/// serializing a whole [`hyoka::output::DepartmentFile`] with
/// `serde_json::to_writer_pretty` gives. [`DepartmentSpool::finish`] closes
/// the JSON, validates the envelope (each sheet was validated when it was
/// parsed) and syncs the file; [`OutputSet::adopt`] then adds it to the set.
struct DepartmentSpool {
    department: String,
    spool: Spool,
    sheets: u32,
    /// The project evaluations, rendered, written after the sheets when
    /// the file is finished. They are held in memory: a list workbook is
    /// one file of a few hundred small records.
    projects: Vec<Vec<u8>>,
}

impl DepartmentSpool {
    /// Starts a department's file in the set.
    fn create(set: &mut OutputSet, department: &str) -> std::io::Result<DepartmentSpool> {
        let mut spool = set.spool()?;
        let head = format!(
            "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"department\": {},\n  \"sheets\": [",
            serde_json::to_string(department).expect("strings serialize")
        );
        spool.append(&[head])?;
        Ok(DepartmentSpool {
            department: department.to_owned(),
            spool,
            sheets: 0,
            projects: Vec::new(),
        })
    }

    /// The department's name.
    fn department(&self) -> &str {
        &self.department
    }

    /// How many sheets were appended.
    fn sheets(&self) -> u32 {
        self.sheets
    }

    /// How many project evaluations were added.
    fn project_evaluations(&self) -> u32 {
        self.projects.len() as u32
    }

    /// Adds project evaluations rendered by [`render_project`] (and
    /// validated), in order.
    fn append_projects(&mut self, mut rendered: Vec<Vec<u8>>) {
        self.projects.append(&mut rendered);
    }

    /// Appends sheets rendered by [`render_sheet`] (and validated), in
    /// order, opening the file once.
    fn append<B: AsRef<[u8]>>(&mut self, rendered: &[B]) -> std::io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        let mut parts: Vec<&[u8]> = Vec::with_capacity(rendered.len() * 2);
        for (i, sheet) in rendered.iter().enumerate() {
            let first = self.sheets == 0 && i == 0;
            parts.push(if first { b"\n" } else { b",\n" });
            parts.push(sheet.as_ref());
        }
        self.spool.append(&parts)?;
        self.sheets += rendered.len() as u32;
        Ok(())
    }

    /// Closes the JSON, validates the envelope and syncs the file, which
    /// is to become `dir/rel`.
    fn finish(mut self, dir: &Path, rel: &str) -> Result<Finished, WriteError> {
        let path = dir.join(rel);
        let envelope = serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "department": self.department,
            "sheets": [],
            "project_evaluations": [],
        });
        let errors = schemas::validate(Kind::Department, &envelope);
        if !errors.is_empty() {
            return Err(WriteError::Invalid { path, errors });
        }
        let sheets_end: &[u8] = if self.sheets == 0 {
            b"],\n  \"project_evaluations\": ["
        } else {
            b"\n  ],\n  \"project_evaluations\": ["
        };
        let mut parts: Vec<&[u8]> = vec![sheets_end];
        for (i, p) in self.projects.iter().enumerate() {
            parts.push(if i == 0 { b"\n" } else { b",\n" });
            parts.push(p);
        }
        parts.push(if self.projects.is_empty() {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        });
        let io = |error| WriteError::Io {
            path: path.clone(),
            error,
        };
        self.spool.append(&parts).map_err(io)?;
        self.spool.finish().map_err(io)
    }
}
