//! The open-data tables (`--csv`): `csv/*.csv` and `datapackage.json`,
//! their rows appended a chunk at a time.

use hyoka::Document;

use super::{Finishing, Output, OutputError};
use crate::i18n::{self, Msg};
use crate::opendata::{self, TableFiles};
use crate::output::OutputSet;

/// The tables' rows of the current chunk, and their staged files from the
/// first chunk on.
pub struct Tables {
    rows: opendata::Tables,
    files: Option<TableFiles>,
}

impl Tables {
    /// Tables with `headers` in the language asked for.
    pub fn new(headers: opendata::Headers) -> Tables {
        Tables {
            rows: opendata::Tables::new(headers),
            files: None,
        }
    }
}

impl Output for Tables {
    fn add(&mut self, chunk: &[&Document], set: Option<&mut OutputSet>) -> Result<(), OutputError> {
        let Some(set) = set else { return Ok(()) };
        for doc in chunk {
            for sheet in &doc.sheets {
                self.rows.add(sheet);
            }
            for project in &doc.project_evaluations {
                self.rows.add_project(project);
            }
        }
        let files = match &mut self.files {
            Some(files) => Ok(files),
            None => TableFiles::create(set).map(|f| self.files.insert(f)),
        };
        files
            .and_then(|files| files.append(&mut self.rows))
            .map_err(|e| {
                let why = e.to_string();
                OutputError::in_set(
                    Msg::CannotWrite(i18n::shown(&set.dir().join("csv")), e),
                    why,
                )
            })
    }

    fn finish(self: Box<Self>, finishing: &mut Finishing<'_>) -> Result<(), OutputError> {
        let Tables { mut rows, files } = *self;
        // Without files made at the first chunk, the set has already failed
        // and none of it will be committed.
        let (Some(set), Some(files)) = (finishing.set.as_deref_mut(), files) else {
            return Ok(());
        };
        if let Some(panel) = &finishing.panel {
            rows.add_panel(panel);
        }
        files.finish(set, rows).map_err(OutputError::from)
    }
}
