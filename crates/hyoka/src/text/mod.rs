//! The text reader: a text export's bytes to one worksheet.
//!
//! [`decode`] finds the encoding and decodes; [`form`] tells which text
//! form it is (tab- or comma-separated export, converter text) from the
//! name's hint and the content; [`delimited`] splits the text into a grid. Problems with the
//! bytes (an encoding guessed, bytes that did not decode) concern the whole
//! file and come back as file-level warnings.

mod decode;
mod delimited;
mod form;

pub use decode::DecodeError;
pub(crate) use decode::{Decoded, decode};
pub use delimited::ReadError;
pub(crate) use delimited::TextForm;

use crate::grid::{Reader, Reading, Worksheet};
use crate::limits::{GridLimits, Limits};
use crate::model::Format;
use crate::warning::{Warning, WarningCode};

/// The text reader: `named` is the format the file's name gives (`.txt`,
/// `.tsv`, `.csv`), a hint the content may overrule.
pub(crate) struct TextReader {
    pub named: Format,
}

/// Why a text export could not be read.
#[derive(Debug)]
pub(crate) enum TextError {
    /// The bytes are not text.
    Decode(DecodeError),
    /// The text is not a readable table, or is over a limit.
    Read(ReadError),
}

impl Reader for TextReader {
    type Error = TextError;

    fn read(&self, bytes: &[u8], limits: &Limits) -> Result<Reading, TextError> {
        let decoded = decode(bytes).map_err(TextError::Decode)?;
        let form = form::of(self.named, &decoded.text);
        read(decoded, form, &limits.grid).map_err(TextError::Read)
    }
}

/// Reads decoded text of the given form: one worksheet without a name, and
/// the file-level warnings about its bytes.
fn read(decoded: Decoded<'_>, form: TextForm, limits: &GridLimits) -> Result<Reading, ReadError> {
    let mut warnings = Vec::new();
    if decoded.had_errors {
        let message = format!(
            "some bytes are not valid {}; they were replaced with U+FFFD (�); \
             check that the file is complete and in the encoding its program wrote, \
             or re-export it as UTF-8",
            decoded.encoding
        );
        // Point at the first damaged line (a cut-off file is damaged at its end).
        let first_bad_line = decoded.text.find('\u{FFFD}').map(|at| {
            let before = &decoded.text[..at];
            1 + before.bytes().filter(|&b| b == b'\n').count() as u32
        });
        warnings.push(match first_bad_line {
            Some(line) => Warning::at_row(WarningCode::DecodeErrors, line, message),
            None => Warning::in_file(WarningCode::DecodeErrors, message),
        });
    }
    if decoded.guessed {
        warnings.push(Warning::in_file(
            WarningCode::EncodingGuessed,
            format!(
                "the file has no byte-order mark and its bytes do not settle its encoding; \
                 it was read as {}, the likeliest by byte statistics; check that the text \
                 reads right, or re-export it as UTF-8",
                decoded.encoding
            ),
        ));
    }
    let mut cell_warnings = Vec::new();
    let grid = delimited::read(&decoded.text, form, limits, &mut cell_warnings)?;
    Ok(Reading {
        format: form.format(),
        encoding: Some(decoded.encoding.to_owned()),
        worksheets: vec![Worksheet {
            name: None,
            grid: Some(grid),
            warnings: cell_warnings,
        }],
        warnings,
    })
}

/// Converter text as a grid, for tests of the later stages.
#[cfg(test)]
pub(crate) fn converter_grid(text: &str) -> crate::grid::Grid {
    delimited::read(
        text,
        TextForm::Converter,
        &GridLimits::default(),
        &mut Vec::new(),
    )
    .expect("test text reads")
}
