//! Open data a portal can publish: `--csv` writes `DIR/csv/<table>.csv`
//! (flat tables, one row per thing) and `DIR/datapackage.json` (a
//! Frictionless Data Package describing them); `hyoka validate` checks a
//! package's files against its own table schemas ([`validate`]).
//!
//! Files are produced as bytes and staged in the run's
//! [`OutputSet`](crate::output::OutputSet), which commits them with the
//! rest of the output or not at all, and removes them once a later run no
//! longer writes them.

pub mod package;
pub mod tables;
pub mod validate;

pub use tables::{Headers, Tables};

use crate::output::{self, OutputSet, WriteError};
use crate::schemas::{self, Kind};

/// The package's file name in the output folder.
pub const PACKAGE: &str = "datapackage.json";

/// Stages every table and then the package that describes them.
pub fn stage(set: &mut OutputSet, tables: Tables) -> Result<(), WriteError> {
    let headers = tables.headers();
    let tables = tables.finish();
    let package = package::build(headers, &tables);
    let json = serde_json::to_value(&package).expect("the package serializes");
    let errors = schemas::validate(Kind::Datapackage, &json);
    if !errors.is_empty() {
        return Err(WriteError::Invalid {
            path: set.dir().join(PACKAGE),
            errors,
        });
    }
    for ((_, bytes), resource) in tables.iter().zip(&package.resources) {
        set.stage_bytes(&resource.path, bytes)?;
    }
    set.stage_bytes(PACKAGE, &output::to_json(&package))
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
