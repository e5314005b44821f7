//! The open-data tables (`--csv`): `csv/*.csv` and `datapackage.json`,
//! their rows appended a chunk at a time; with `--xlsx`, the same tables
//! as one workbook ([`xlsx`]).

mod xlsx;

use hyoka::Document;

use super::{Finishing, Output, OutputError};
use crate::i18n::{self, Msg};
use crate::opendata::{self, PortalMeta, TableFiles};
use crate::output::OutputSet;

/// Which table outputs a run writes: asked for (`--csv`, `--xlsx`), or
/// published in the folder before and kept up to date.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// The header (and category value) language.
    pub headers: opendata::Headers,
    /// The portal metadata given this run; what it leaves out is carried
    /// over from the folder's earlier package.
    pub meta: PortalMeta,
    /// Also the workbook.
    pub xlsx: bool,
}

/// The table outputs of `plan`: the CSV tables with their package, then
/// the workbook.
pub fn outputs(plan: TablePlan) -> Vec<Option<Box<dyn Output>>> {
    let mut list: Vec<Option<Box<dyn Output>>> = Vec::new();
    list.push(Some(Box::new(Tables::new(plan.headers, plan.meta))));
    if plan.xlsx {
        list.push(Some(Box::new(xlsx::Workbook::new(plan.headers))));
    }
    list
}

/// The tables' rows of the current chunk, and their staged files from the
/// first chunk on.
pub struct Tables {
    rows: opendata::Tables,
    files: Option<TableFiles>,
    meta: PortalMeta,
}

impl Tables {
    /// Tables with `headers` in the language asked for, and a package
    /// with the portal metadata `meta`.
    pub fn new(headers: opendata::Headers, meta: PortalMeta) -> Tables {
        Tables {
            rows: opendata::Tables::new(headers),
            files: None,
            meta,
        }
    }
}

impl Output for Tables {
    fn add(&mut self, chunk: &[&Document], set: Option<&mut OutputSet>) -> Result<(), OutputError> {
        let Some(set) = set else { return Ok(()) };
        self.rows.add_documents(chunk);
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
        let Tables {
            mut rows,
            files,
            meta,
        } = *self;
        // Without files made at the first chunk, the set has already failed
        // and none of it will be committed.
        let (Some(set), Some(files)) = (finishing.set.as_deref_mut(), files) else {
            return Ok(());
        };
        if let Some(panel) = &finishing.panel {
            rows.add_panel(panel);
        }
        files.finish(set, rows, &meta).map_err(OutputError::from)
    }
}
