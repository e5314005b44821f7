//! Open data a portal can publish: `--csv` writes `DIR/csv/<table>.csv`
//! (flat tables, one row per thing) and `DIR/datapackage.json` (a
//! Frictionless Data Package describing them); `hyoka validate` checks a
//! package's files against its own table schemas ([`validate`]).
//!
//! The tables are staged in the run's
//! [`OutputSet`](crate::output::OutputSet) as they grow ([`TableFiles`]),
//! which commits them with the rest of the output or not at all, and
//! removes them once a later run no longer writes them.

pub mod compare;
pub mod meta;
pub mod validate;
pub mod xlsx;

// The tables and the package are rendered by `hyoka-publish`, which the
// page uses too; this module writes them into the output folder.
pub use hyoka_publish::{PACKAGE, package, tables};
pub use meta::{PortalMeta, PortalMetaExt};
pub use tables::{Headers, Tables};

use crate::output::{self, OutputSet, Spool, WriteError};
use crate::render;
use crate::schemas::{self, Kind};

/// The run's CSV tables as staged files, written a chunk at a time: each
/// chunk's rows are appended as the batch goes ([`TableFiles::append`]),
/// so memory holds a chunk's rows, not the batch's.
pub struct TableFiles {
    /// One per entry of [`tables::TABLES`], in order.
    spools: Vec<Spool>,
}

impl TableFiles {
    /// A staged file per table in `set`, each begun with the [`tables::BOM`].
    pub fn create(set: &mut OutputSet) -> std::io::Result<TableFiles> {
        let mut spools = Vec::with_capacity(tables::TABLES.len());
        for _ in tables::TABLES {
            let mut spool = set.spool()?;
            spool.append(&[tables::BOM])?;
            spools.push(spool);
        }
        Ok(TableFiles { spools })
    }

    /// Appends the rows `tables` gathered since the last call.
    pub fn append(&mut self, tables: &mut Tables) -> std::io::Result<()> {
        for (spool, rows) in self.spools.iter_mut().zip(tables.drain()) {
            if !rows.is_empty() {
                spool.append(&[rows])?;
            }
        }
        Ok(())
    }

    /// Appends the last rows, syncs the files, checks the package that
    /// describes them against its schema, and stages the tables and then
    /// the package in `set`. The package carries `meta`, and for each key
    /// `meta` lacks, the value of the output folder's previous package
    /// (still the old file while the set is staged).
    pub fn finish(
        mut self,
        set: &mut OutputSet,
        mut tables: Tables,
        meta: &PortalMeta,
    ) -> Result<(), WriteError> {
        let io = |error| WriteError::Io {
            path: set.dir().join("csv"),
            error,
        };
        self.append(&mut tables).map_err(io)?;
        let finished = self
            .spools
            .into_iter()
            .map(output::Spool::finish)
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(io)?;
        let files: Vec<package::TableFile<'_>> = tables::TABLES
            .iter()
            .zip(&finished)
            .map(|(table, f)| package::TableFile {
                table,
                bytes: f.bytes(),
                sha256: f.sha256(),
            })
            .collect();
        let meta = match previous_package(set.dir()) {
            Some(mut previous) => {
                // hyoka's own title and description are not carried over:
                // a later version's words replace them.
                for (key, default) in [
                    ("title", package::DEFAULT_TITLE),
                    ("description", package::DEFAULT_DESCRIPTION),
                ] {
                    if previous.get(key).and_then(|v| v.as_str()) == Some(default)
                        && let Some(object) = previous.as_object_mut()
                    {
                        object.remove(key);
                    }
                }
                meta.clone().or_previous(&previous)
            }
            None => meta.clone(),
        };
        let package = package::build(tables.headers(), &files, &meta);
        let json = serde_json::to_value(&package).expect("the package serializes");
        let errors = schemas::validate(Kind::Datapackage, &json);
        if !errors.is_empty() {
            return Err(WriteError::Invalid {
                path: set.dir().join(PACKAGE),
                errors,
            });
        }
        for (f, resource) in finished.into_iter().zip(&package.resources) {
            set.adopt(&resource.path, f)?;
        }
        set.stage_bytes(PACKAGE, &render::to_json(&package))
    }
}

/// The output folder's package from an earlier run, when it reads as JSON.
pub fn previous_package(dir: &std::path::Path) -> Option<serde_json::Value> {
    let bytes =
        crate::files::read_regular(&dir.join(PACKAGE), crate::files::MAX_JSON_BYTES).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Stages every table of `tables` and then the package that describes
/// them, in one go.
#[cfg(test)]
pub fn stage(set: &mut OutputSet, tables: Tables) -> Result<(), WriteError> {
    let files = TableFiles::create(set).map_err(|error| WriteError::Io {
        path: set.dir().join("csv"),
        error,
    })?;
    files.finish(set, tables, &PortalMeta::default())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn sheets(text: &str) -> Vec<hyoka::model::Sheet> {
        hyoka::read("t.txt", text.as_bytes(), &hyoka::Options::default())
            .expect("the fixture parses")
            .sheets
    }

    /// Rows written out chunk by chunk make the files one table in memory
    /// would, and the package describes the files as written.
    #[test]
    fn tables_written_a_chunk_at_a_time_are_the_whole_tables() {
        let text = include_str!("../../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let (first, second) = (sheets(text), sheets(&text.replace("伊賀", "名張")));
        let mut whole = Tables::new(Headers::Ja);
        first.iter().chain(&second).for_each(|s| whole.add(s));
        let whole = whole.finish();

        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::open(dir.path()).unwrap();
        let mut tables = Tables::new(Headers::Ja);
        let mut files = TableFiles::create(&mut set).unwrap();
        first.iter().for_each(|s| tables.add(s));
        files.append(&mut tables).unwrap();
        files.append(&mut tables).unwrap(); // nothing new: nothing changes
        second.iter().for_each(|s| tables.add(s));
        files
            .finish(&mut set, tables, &PortalMeta::default())
            .unwrap();
        set.commit(b"{}").unwrap();

        let package: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(PACKAGE)).unwrap()).unwrap();
        for ((table, bytes), resource) in whole.iter().zip(package["resources"].as_array().unwrap())
        {
            let written =
                std::fs::read(dir.path().join(format!("csv/{}.csv", table.name))).unwrap();
            assert!(written == *bytes, "{} differs", table.name);
            assert_eq!(resource["bytes"], bytes.len() as u64);
            assert_eq!(
                resource["hash"],
                format!("sha256:{}", hyoka::sha256_hex(bytes))
            );
        }
    }

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
