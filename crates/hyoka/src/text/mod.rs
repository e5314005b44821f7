//! The text reader: a text export's bytes to one worksheet.
//!
//! [`decode`] finds the encoding and decodes; [`delimited`] splits the text
//! into a grid in the form [`crate::detect`] settled. Problems with the
//! bytes (an encoding guessed, bytes that did not decode) concern the whole
//! file and come back as file-level warnings.

mod decode;
mod delimited;

pub use decode::DecodeError;
pub(crate) use decode::{Decoded, decode};
pub use delimited::ReadError;
pub(crate) use delimited::TextForm;
pub use delimited::TextLimits;

use crate::grid::{Reading, Worksheet};
use crate::warning::{Warning, WarningCode};

/// Reads decoded text of the given form: one worksheet without a name, and
/// the file-level warnings about its bytes.
pub(crate) fn read(
    decoded: Decoded<'_>,
    form: TextForm,
    limits: &TextLimits,
) -> Result<Reading, ReadError> {
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
        &TextLimits::default(),
        &mut Vec::new(),
    )
    .expect("test text reads")
}
