//! `--jsonl`: one record per line, streamed as the chunks arrive, to
//! stdout (`-`) or to a file written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use hyoka::Document;
use hyoka::model::Sheet;
use hyoka::project::ProjectEvaluation;
use rayon::prelude::*;

use super::{Finishing, Output, OutputError};
use crate::i18n::{self, Msg};
use crate::output::{self, OutputSet};

/// Where the lines go.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A regular file (or a new one): written atomically.
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
    /// Anything else that exists — `/dev/null`, a named pipe, a symbolic
    /// link: written into as it is. Renaming a file over it would replace
    /// the device, pipe or link itself.
    Direct(std::io::BufWriter<std::fs::File>),
}

/// The JSON Lines output.
pub struct JsonLines {
    path: PathBuf,
    sink: Sink,
}

impl JsonLines {
    /// Opens `path` (`-` is stdout).
    pub fn open(path: &Path) -> Result<JsonLines, OutputError> {
        open(path)
            .map(|sink| JsonLines {
                path: path.to_owned(),
                sink,
            })
            .map_err(|e| OutputError::outside_set(Msg::CannotWriteJsonl(i18n::shown(path), e)))
    }

    fn error(&self, e: std::io::Error) -> OutputError {
        OutputError::outside_set(Msg::CannotWriteJsonl(i18n::shown(&self.path), e))
    }
}

fn open(path: &Path) -> std::io::Result<Sink> {
    if path == Path::new("-") {
        return Ok(Sink::Stdout(std::io::BufWriter::new(std::io::stdout())));
    }
    let is_special = std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file());
    if is_special {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        return Ok(Sink::Direct(std::io::BufWriter::new(file)));
    }
    let tmp = output::temporary_beside(path)?;
    Ok(Sink::File(std::io::BufWriter::new(tmp), path.to_owned()))
}

impl Output for JsonLines {
    fn add(&mut self, chunk: &[&Document], _: Option<&mut OutputSet>) -> Result<(), OutputError> {
        let lines: Vec<Vec<Vec<u8>>> = chunk.par_iter().map(|doc| render(doc)).collect();
        let w: &mut dyn Write = match &mut self.sink {
            Sink::Stdout(w) => w,
            Sink::File(w, _) => w,
            Sink::Direct(w) => w,
        };
        for line in lines.iter().flatten() {
            if let Err(e) = w.write_all(line) {
                return Err(self.error(e));
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _: &mut Finishing<'_>) -> Result<(), OutputError> {
        let JsonLines { path, sink } = *self;
        let done = match sink {
            Sink::Stdout(mut w) => w.flush(),
            Sink::Direct(mut w) => w.flush(),
            Sink::File(w, path) => (|| {
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_data()?;
                tmp.persist(path).map_err(|e| e.error)?;
                Ok(())
            })(),
        };
        done.map_err(|e| OutputError::outside_set(Msg::CannotWriteJsonl(i18n::shown(&path), e)))
    }

    fn writes_into_set(&self) -> bool {
        false
    }

    /// The lines are this run's records, not the folder's.
    fn takes_earlier(&self) -> bool {
        false
    }
}

/// A document's records as lines: its sheets, then its project
/// evaluations, each with a `record` key saying what it is (sheets have
/// none).
fn render(doc: &Document) -> Vec<Vec<u8>> {
    let sheets = doc.sheets.iter().map(sheet_line);
    sheets
        .chain(doc.project_evaluations.iter().map(project_line))
        .collect()
}

fn sheet_line(sheet: &Sheet) -> Vec<u8> {
    let mut line = serde_json::to_vec(sheet).expect("sheets serialize");
    line.push(b'\n');
    line
}

fn project_line(project: &ProjectEvaluation) -> Vec<u8> {
    let mut value = serde_json::to_value(project).expect("a project serializes");
    if let Some(object) = value.as_object_mut() {
        object.insert("record".into(), "project_evaluation".into());
    }
    let mut line = serde_json::to_vec(&value).expect("a value serializes");
    line.push(b'\n');
    line
}
