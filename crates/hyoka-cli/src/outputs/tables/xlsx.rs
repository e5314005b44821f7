//! `--xlsx`: the open-data tables as one workbook, `DIR/tables.xlsx`
//! ([`opendata::xlsx`]), staged in the output set like the CSV files.

use hyoka::Document;

use super::super::{Finishing, Output, OutputError};
use crate::opendata::{self, xlsx};
use crate::output::OutputSet;

/// The rows of the current chunk and the worksheets so far.
pub struct Workbook {
    rows: opendata::Tables,
    book: xlsx::Workbook,
}

impl Workbook {
    /// A workbook with headers (and category words) in `headers`' language.
    pub fn new(headers: opendata::Headers) -> Workbook {
        Workbook {
            rows: opendata::Tables::cells(headers),
            book: xlsx::Workbook::new(headers),
        }
    }
}

impl Output for Workbook {
    fn add(&mut self, chunk: &[&Document], set: Option<&mut OutputSet>) -> Result<(), OutputError> {
        if set.is_none() {
            return Ok(());
        }
        self.rows.add_documents(chunk);
        self.book
            .append(self.rows.drain_rows())
            .map_err(|e| OutputError::in_set(&e, e.to_string()))
    }

    fn finish(self: Box<Self>, finishing: &mut Finishing<'_>) -> Result<(), OutputError> {
        let Workbook { mut rows, mut book } = *self;
        let Some(set) = finishing.set.as_deref_mut() else {
            return Ok(());
        };
        if let Some(panel) = &finishing.panel {
            rows.add_panel(panel);
        }
        book.append(rows.drain_rows())
            .map_err(|e| OutputError::in_set(&e, e.to_string()))?;
        let bytes = book.finish();
        set.stage_bytes(xlsx::FILE, &bytes)
            .map_err(OutputError::from)
    }
}
