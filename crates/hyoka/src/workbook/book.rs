//! The workbook kinds.

use crate::model::Format;

/// The workbook kinds, as their bytes show them (see [`crate::detect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Book {
    /// Office Open XML.
    Xlsx,
    /// Office Open XML with macros (named so; the package is the same).
    Xlsm,
    /// Legacy Excel (BIFF in a compound file).
    Xls,
    /// OpenDocument.
    Ods,
}

impl Book {
    /// The format reported in the output.
    pub(crate) fn format(self) -> Format {
        match self {
            Book::Xlsx => Format::Xlsx,
            Book::Xlsm => Format::Xlsm,
            Book::Xls => Format::Xls,
            Book::Ods => Format::Ods,
        }
    }
}
