//! The JSON of every output file: pretty, with a final newline, checked
//! against its schema; and the department files' records rendered in
//! pieces (a sheet at a time) byte for byte as the whole file would be.

use std::io::Write;
use std::path::Path;

use hyoka::model::Sheet;
use serde::Serialize;

use crate::output::WriteError;
use crate::schemas::{self, Kind};

/// Pretty JSON with a final newline: the on-disk form of every output file.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("output types serialize");
    bytes.push(b'\n');
    bytes
}

/// `value` as an output file's bytes, once it matches its schema.
pub fn validated_json<T: Serialize>(
    dir: &Path,
    name: &str,
    kind: Kind,
    value: &T,
) -> Result<Vec<u8>, WriteError> {
    let json = serde_json::to_value(value).expect("output types serialize");
    let errors = schemas::validate(kind, &json);
    if !errors.is_empty() {
        return Err(WriteError::Invalid {
            path: dir.join(name),
            errors,
        });
    }
    Ok(to_json(value))
}

/// A sheet as it stands in a department file: pretty JSON nested two
/// levels deep, every line indented by four spaces, no final line break.
/// Rendering is the costly part of writing, so workers do it in parallel;
/// it is one pass, the indentation written with the JSON.
pub fn render_sheet(sheet: &Sheet) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 << 10);
    render_item(&mut out, sheet);
    out
}

/// A project evaluation as it stands in a department file, laid out as
/// [`render_sheet`] lays out a sheet.
pub fn render_project(project: &hyoka::project::ProjectEvaluation) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 << 10);
    render_item(&mut out, project);
    out
}

/// Appends `value` as an item of a list that is the value of a top-level
/// key (`{"key": [item, …]}`), in serde_json's pretty layout: the item's
/// indentation, then the item with each of its lines indented to its depth.
/// The list's brackets and the `,\n` between items are the caller's.
pub fn render_item<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    out.extend_from_slice(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Nested::new(2));
    value.serialize(&mut ser).expect("output types serialize");
}

/// serde_json's pretty layout (two spaces a level) for a value that stands
/// `level` levels deep: byte for byte what `to_vec_pretty` writes with
/// every line after the first indented by `2 × level` more spaces.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn new(level: usize) -> Nested {
        Nested {
            level,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut left = self.level * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            writer.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
