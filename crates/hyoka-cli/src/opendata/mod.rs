//! Open data a portal can publish: `--csv` writes `DIR/csv/<table>.csv`
//! (flat tables, one row per thing) and `DIR/datapackage.json` (a
//! Frictionless Data Package describing them); `hyoka validate` checks a
//! package's files against its own table schemas ([`validate`]).
//!
//! Files are produced as bytes and written by [`write_output`] alone, so
//! where and how output files land is decided in one place.

pub mod package;
pub mod tables;
pub mod validate;

use std::path::Path;

pub use tables::{Headers, Tables};

use crate::i18n::{self, Msg};
use crate::output::{self, WriteError};
use crate::schemas::{self, Kind};

/// The package's file name in the output folder.
pub const PACKAGE: &str = "datapackage.json";

/// Writes every table and then the package that describes them.
pub fn write(out: &Path, tables: Tables) -> Result<(), WriteError> {
    let headers = tables.headers();
    let tables = tables.finish();
    let package = package::build(headers, &tables);
    let json = serde_json::to_value(&package).expect("the package serializes");
    let errors = schemas::validate(Kind::Datapackage, &json);
    if !errors.is_empty() {
        return Err(WriteError::Invalid {
            path: out.join(PACKAGE),
            errors,
        });
    }
    for ((_, bytes), resource) in tables.iter().zip(&package.resources) {
        write_output(out, &resource.path, bytes)?;
    }
    write_output(out, PACKAGE, &output::to_json(&package))
}

/// Removes the tables and package an earlier `--csv` run wrote, when this
/// run writes none: they would describe other data than the JSON beside
/// them. Only a package hyoka wrote (it has the `hyoka` property) is
/// removed, with the files it lists inside `csv/`; anything else is left.
pub fn remove_stale(out: &Path) {
    let path = out.join(PACKAGE);
    let Ok(bytes) = std::fs::read(&path) else {
        return;
    };
    let Ok(old) = serde_json::from_slice::<package::DataPackage>(&bytes) else {
        eprintln!(
            "{}: {}",
            i18n::warning_prefix(),
            Msg::PackageNotOurs(i18n::shown(&path))
        );
        return;
    };
    for resource in &old.resources {
        let ours = resource.path.starts_with("csv/")
            && resource.path.ends_with(".csv")
            && validate::inside(out, &resource.path).is_some();
        if ours {
            let _ = std::fs::remove_file(out.join(&resource.path));
        }
    }
    let _ = std::fs::remove_dir(out.join("csv"));
    match std::fs::remove_file(&path) {
        Ok(()) => eprintln!(
            "{}: {}",
            i18n::note_prefix(),
            Msg::RemovedStalePackage(i18n::shown(&path))
        ),
        Err(e) => eprintln!(
            "{}: {}",
            i18n::warning_prefix(),
            Msg::CannotRemoveStale(i18n::shown(&path), e)
        ),
    }
}

/// Writes one output file at `relative` (`/`-separated) inside `dir`,
/// creating its folder, through a temporary file and a rename.
pub fn write_output(dir: &Path, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let path = relative
        .split('/')
        .fold(dir.to_path_buf(), |p, c| p.join(c));
    let io = |error| WriteError::Io {
        path: path.clone(),
        error,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    output::write_atomic(&path, bytes).map_err(io)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// `schemas/datapackage.schema.json` must equal the schema generated
    /// from the package's types; `UPDATE_SCHEMAS=1` rewrites it.
    #[test]
    fn datapackage_schema_is_committed() {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/datapackage.schema.json");
        let mut text = serde_json::to_string_pretty(&super::package::schema()).unwrap();
        text.push('\n');
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &text).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap();
        assert!(
            committed == text,
            "{} drifted from the Rust types; run UPDATE_SCHEMAS=1 cargo test -p hyoka-cli opendata and review the diff",
            path.display()
        );
    }
}
