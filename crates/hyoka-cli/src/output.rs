//! Writing output files: validated, then atomically renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes through a temporary file in the same folder and renames it over
/// `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".hyoka-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
