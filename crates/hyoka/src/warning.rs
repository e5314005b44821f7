//! Warnings: every repair or guess the parser makes, with a code and a place.
//!
//! A warning never stops an import: the sheet is still written, and the
//! warning travels with it in the output so a person can check the guess.
//! The codes are stable; the messages are for people and may be reworded.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A repair or guess made while reading a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// What kind of repair was made.
    pub code: WarningCode,
    /// What was found, what was done, and what to check.
    pub message: String,
    /// The row (text line or worksheet row, 1-based) it concerns.
    pub row: Option<u32>,
    /// The column (1-based) it concerns, when one cell is meant.
    pub column: Option<u32>,
}

impl Warning {
    /// A warning about a row.
    pub fn at_row(code: WarningCode, row: u32, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
            row: Some(row),
            column: None,
        }
    }

    /// A warning about one cell.
    pub fn at_cell(
        code: WarningCode,
        row: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            code,
            message: message.into(),
            row: Some(row),
            column: Some(column),
        }
    }

    /// A warning about the whole file.
    pub fn in_file(code: WarningCode, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
            row: None,
            column: None,
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column {c}: ")?,
            (Some(r), None) => write!(f, "row {r}: ")?,
            _ => {}
        }
        write!(f, "{} [{}]", self.message, self.code.as_str())
    }
}

macro_rules! warning_codes {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)*) => {
        /// The kinds of repair. Each serializes as its snake_case code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum WarningCode {
            $($(#[$doc])* $variant,)*
        }

        impl WarningCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The code as written in the output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(WarningCode::$variant => $code,)*
                }
            }
        }
    };
}

warning_codes! {
    /// A KPI value row did not line up with its year header and was
    /// realigned: the target is the right-most value, years fill from the left.
    KpiRowRealigned => "kpi_row_realigned",
    /// A KPI has values but no year header anywhere before it.
    KpiHeaderMissing => "kpi_header_missing",
    /// A KPI has values but no name.
    KpiWithoutName => "kpi_without_name",
    /// An actual value sits in a fiscal year later than the sheet's own.
    ActualAfterFiscalYear => "actual_after_fiscal_year",
    /// A value cell holds text where a number was expected.
    ValueNotANumber => "value_not_a_number",
    /// A year was written with a Gregorian year and an era year that disagree.
    EraYearMismatch => "era_year_mismatch",
    /// A value written with its own year (`24.7%(H29年度)`) stands in the
    /// column of another year; the column's year was kept.
    ValueYearMismatch => "value_year_mismatch",
    /// An era year past the era's end (平成32年) was converted.
    EraYearPastEnd => "era_year_past_end",
    /// A CHECK② row had one text column for effects and improvement
    /// proposals; which one it was had to be inferred.
    CheckColumnInferred => "check_column_inferred",
    /// CHECK② rows had more columns than their header; read as the
    /// explicit five-column layout.
    CheckColumnsRealigned => "check_columns_realigned",
    /// CHECK② text for a basic project number that the PLAN table lacks.
    CheckWithoutPlan => "check_without_plan",
    /// A basic project has content but no name.
    BasicProjectWithoutName => "basic_project_without_name",
    /// A basic project number appears twice.
    BasicProjectDuplicate => "basic_project_duplicate",
    /// The sheet has no fiscal year in its table header.
    FiscalYearMissing => "fiscal_year_missing",
    /// The sheet has no PLAN/DO/CHECK① table.
    PlanTableMissing => "plan_table_missing",
    /// The sheet has no CHECK②/ACTION table.
    CheckTableMissing => "check_table_missing",
    /// Text in the sheet that no part of the template accounts for was skipped.
    UnrecognizedRow => "unrecognized_row",
    /// The file's bytes did not decode cleanly; replacement characters were used.
    DecodeErrors => "decode_errors",
    /// The text encoding was guessed from the bytes.
    EncodingGuessed => "encoding_guessed",
    /// A workbook cell held an error value (`#N/A`, `#DIV/0!`).
    CellError => "cell_error",
    /// A workbook cell held a date or a boolean where text or a number was expected.
    CellTypeUnexpected => "cell_type_unexpected",
    /// A workbook formula had no computed value (the workbook was never
    /// recalculated); the cell was read as empty.
    FormulaNotComputed => "formula_not_computed",
    /// A cell covered by a merged range held a value that spreadsheet
    /// programs do not show; it was ignored.
    MergedCellHidden => "merged_cell_hidden",
    /// The municipality's name was taken from the document's cover page;
    /// its code is unknown.
    MunicipalityFromDocument => "municipality_from_document",
    /// Another sheet of the run has the same content, municipality code
    /// (or none), fiscal year and department (the same sheet given twice, perhaps in two
    /// forms); this one's ID was made distinct by its position in the run.
    SheetIdDuplicate => "sheet_id_duplicate",
    /// A text cell held control characters (a bell, a vertical tab) that
    /// no sheet means; they were removed.
    ControlCharactersRemoved => "control_characters_removed",
    /// A PDF had no ruling lines: rows were read by baseline and columns by
    /// text alignment, which is a guess.
    PdfLayoutGuessed => "pdf_layout_guessed",
    /// The yearly blocks of a project list carry no year, in their headers
    /// or above them: the template's `project.unlabeled_blocks` placed them.
    ProjectYearsFromTemplate => "project_years_from_template",
    /// A project list writes its evaluation year without an era (`7`): it
    /// was read as a year of the template's `project.year_era`.
    ProjectYearEraAssumed => "project_year_era_assumed",
    /// An indicator slot of a project holds values but no name; it was kept.
    IndicatorWithoutName => "indicator_without_name",
    /// A project code was stored as a number, so leading zeros may be lost.
    ProjectCodeNumeric => "project_code_numeric",
    /// A column of a project list was not read: a yearly heading outside
    /// the yearly blocks, or a field named twice.
    ProjectColumnIgnored => "project_column_ignored",
    /// A table looks like a list of projects but cannot be read; the
    /// message says what was seen and what is missing.
    ProjectListUnreadable => "project_list_unreadable",
    /// A row of a project list holds data but no project name; it was skipped.
    ProjectRowWithoutName => "project_row_without_name",
    /// Another project of the list has the same municipality, year and
    /// code; this one's ID was made distinct by its occurrence.
    ProjectIdDuplicate => "project_id_duplicate",
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_documented() {
        for code in WarningCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn display_names_the_place() {
        let w = Warning::at_row(WarningCode::KpiRowRealigned, 228, "realigned");
        assert_eq!(w.to_string(), "row 228: realigned [kpi_row_realigned]");
    }
}
