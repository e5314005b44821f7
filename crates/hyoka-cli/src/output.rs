//! Writing output files: validated, then atomically renamed into place.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hyoka::model::{SCHEMA_VERSION, Sheet};
use serde::Serialize;

use crate::schemas::{self, Kind};

/// Why an output file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The document does not match its schema: a bug in hyoka.
    Invalid {
        /// The file that was not written.
        path: PathBuf,
        /// What did not match.
        errors: Vec<String>,
    },
    /// The file system refused.
    Io {
        /// The file that was not written.
        path: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::Msg;
        // The message catalog owns the wording, in both languages.
        let io_copy = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
        let msg = match self {
            WriteError::Invalid { path, errors } => Msg::OutputInvalid {
                path: path.display().to_string(),
                errors: errors.clone(),
            },
            WriteError::Io { path, error } => {
                Msg::CannotWrite(path.display().to_string(), io_copy(error))
            }
        };
        write!(f, "{msg}")
    }
}

/// Pretty JSON with a final newline: the on-disk form of every output file.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("output types serialize");
    bytes.push(b'\n');
    bytes
}

/// Validates `value` against its schema and writes it to `dir/name` through
/// a temporary file in `dir`, so a reader never sees a half-written file.
pub fn write_validated<T: Serialize>(
    dir: &Path,
    name: &str,
    kind: Kind,
    value: &T,
) -> Result<(), WriteError> {
    let path = dir.join(name);
    let json = serde_json::to_value(value).expect("output types serialize");
    let errors = schemas::validate(kind, &json);
    if !errors.is_empty() {
        return Err(WriteError::Invalid { path, errors });
    }
    write_atomic(&path, &to_json(value)).map_err(|error| WriteError::Io { path, error })
}

/// A department file being written while the batch runs.
///
/// Sheets are appended, in input order, to a temporary file in the output
/// folder as soon as their input is parsed, and then dropped from memory:
/// this is what keeps memory bounded however large the batch grows. The
/// bytes are exactly what serializing a whole
/// [`hyoka::model::DepartmentFile`] with `serde_json::to_writer_pretty`
/// gives. [`DepartmentSpool::finish`] closes the JSON, validates the
/// envelope (each sheet was validated when it was parsed) and renames the
/// file into place. The file is opened only while appending, so a batch
/// with thousands of departments does not run out of file handles.
pub struct DepartmentSpool {
    department: String,
    tmp: tempfile::TempPath,
    sheets: u32,
}

impl DepartmentSpool {
    /// Starts a department's file in `dir`.
    pub fn create(dir: &Path, department: &str) -> std::io::Result<DepartmentSpool> {
        let tmp = temporary_in(dir)?;
        let mut file = BufWriter::new(tmp.as_file());
        write!(
            file,
            "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"department\": {},\n  \"sheets\": [",
            serde_json::to_string(department).expect("strings serialize")
        )?;
        file.flush()?;
        drop(file);
        Ok(DepartmentSpool {
            department: department.to_owned(),
            tmp: tmp.into_temp_path(),
            sheets: 0,
        })
    }

    /// The department's name.
    pub fn department(&self) -> &str {
        &self.department
    }

    /// How many sheets were appended.
    pub fn sheets(&self) -> u32 {
        self.sheets
    }

    /// Appends sheets rendered by [`render_sheet`] (and validated), in
    /// order, opening the file once.
    pub fn append<B: AsRef<[u8]>>(&mut self, rendered: &[B]) -> std::io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        let file = std::fs::OpenOptions::new().append(true).open(&self.tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        for sheet in rendered {
            w.write_all(if self.sheets == 0 { b"\n" } else { b",\n" })?;
            w.write_all(sheet.as_ref())?;
            self.sheets += 1;
        }
        w.flush()
    }

    /// Closes the JSON, validates the envelope, flushes the file to disk
    /// and renames it to `dir/name`.
    pub fn finish(self, dir: &Path, name: &str) -> Result<(), WriteError> {
        let path = dir.join(name);
        let envelope = serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "department": self.department,
            "sheets": [],
        });
        let errors = schemas::validate(Kind::Department, &envelope);
        if !errors.is_empty() {
            return Err(WriteError::Invalid { path, errors });
        }
        let io = |error| WriteError::Io {
            path: path.clone(),
            error,
        };
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.tmp)
            .map_err(io)?;
        let end: &[u8] = if self.sheets == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        };
        file.write_all(end).map_err(io)?;
        file.sync_data().map_err(io)?;
        drop(file);
        self.tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
    }
}

/// A sheet as it stands in a department file: pretty JSON nested two
/// levels deep, every line indented by four spaces, no final line break.
/// Rendering is the costly part of writing, so workers do it in parallel.
pub fn render_sheet(sheet: &Sheet) -> Vec<u8> {
    const INDENT: &[u8] = b"    ";
    let pretty = serde_json::to_vec_pretty(sheet).expect("sheets serialize");
    let mut out = Vec::with_capacity(pretty.len() + pretty.len() / 8);
    // JSON strings escape their line breaks, so every b'\n' ends a line.
    let mut start = 0;
    out.extend_from_slice(INDENT);
    for end in memchr::memchr_iter(b'\n', &pretty) {
        out.extend_from_slice(&pretty[start..=end]);
        out.extend_from_slice(INDENT);
        start = end + 1;
    }
    out.extend_from_slice(&pretty[start..]);
    out
}

/// Writes through a temporary file in the same folder and renames it over
/// `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes what `fill` produces through a buffered temporary file in the
/// same folder, flushes it to disk and renames it over `path`. On any error
/// the temporary file is removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temporary_beside(path)?;
    {
        let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir`, named `.hyoka-*.tmp` so that a later run can
/// recognise and remove one an interrupted run left behind.
pub fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(".hyoka-")
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// A temporary file in the folder `path` will be renamed into, so the
/// rename stays on one file system and is atomic.
pub fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => temporary_in(dir),
        _ => temporary_in(Path::new(".")),
    }
}
