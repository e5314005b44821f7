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
        match self {
            WriteError::Invalid { path, errors } => {
                write!(
                    f,
                    "{}: not written, because the output does not match the schema. \
                     This is a bug in hyoka; please report it with the input file. Errors: {}",
                    path.display(),
                    errors.join("; ")
                )
            }
            WriteError::Io { path, error } => {
                write!(f, "{}: cannot write: {error}", path.display())
            }
        }
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

/// A department file as written: the same shape as
/// [`hyoka::model::DepartmentFile`], borrowing the sheets instead of
/// cloning them.
#[derive(Serialize)]
struct DepartmentFileOut<'a> {
    schema_version: u32,
    department: &'a str,
    sheets: &'a [&'a Sheet],
}

/// Writes `dir/name` for one department. Each sheet must already have been
/// validated ([`schemas::validate_sheet`]); the envelope is validated here,
/// so the whole file has been checked against the schema before it is
/// written. The JSON streams into the temporary file.
pub fn write_department(
    dir: &Path,
    name: &str,
    department: &str,
    sheets: &[&Sheet],
) -> Result<(), WriteError> {
    let path = dir.join(name);
    let envelope = serde_json::to_value(DepartmentFileOut {
        schema_version: SCHEMA_VERSION,
        department,
        sheets: &[],
    })
    .expect("output types serialize");
    let errors = schemas::validate(Kind::Department, &envelope);
    if !errors.is_empty() {
        return Err(WriteError::Invalid { path, errors });
    }
    let doc = DepartmentFileOut {
        schema_version: SCHEMA_VERSION,
        department,
        sheets,
    };
    write_atomic_with(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        w.write_all(b"\n")
    })
    .map_err(|error| WriteError::Io { path, error })
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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".hyoka-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
