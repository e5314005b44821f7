//! Warnings: every repair or guess the parser makes, with a code and a place.
//!
//! A warning never stops an import: the sheet is still written, and the
//! warning travels with it in the output so a person can check the guess.
//! The codes are stable; the messages are for people and may be reworded.
//!
//! ```
//! let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
//! let doc = hyoka::read("iga.txt", &bytes, &Default::default()).unwrap();
//! for w in doc.sheets.iter().flat_map(|s| &s.warnings) {
//!     // A code to filter by, a place, and words for people in both languages.
//!     println!("{} row {:?}: {} ({})", w.code.as_str(), w.row, w.message, w.code.meaning_ja());
//! }
//! ```

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
    /// A KPI's value cells are formatted as percentages in the workbook
    /// but its row label gives no unit: the values were read as shown
    /// (×100) with the unit `%`.
    PercentUnitFromFormat => "percent_unit_from_format",
    /// A KPI's value cells are formatted as percentages in the workbook
    /// but its row label gives another unit: the values were read as shown
    /// (×100) and the label's unit kept.
    PercentUnitConflict => "percent_unit_conflict",
    /// A basic project's stated progress (計画通り, 完了) disagrees with a
    /// KPI that has covered less than half of the way to its target that
    /// its straight line expects by now.
    ProgressInconsistent => "progress_inconsistent",
    /// A project evaluation's costs do not add up: 事業費計 against its
    /// sources, or トータルコスト against 事業費 + 人件費.
    CostSumMismatch => "cost_sum_mismatch",
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
    /// its code is the built-in list's for that name when only one
    /// municipality has it (and stays out of the IDs), else unknown.
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
    /// Another project of the list, or of the run (the same project from a
    /// list and from its sheet), has the same municipality, year and code;
    /// this one's ID was made distinct by its occurrence.
    ProjectIdDuplicate => "project_id_duplicate",
    /// A rating printed as a choice (`□結びついている □結びついていない`)
    /// has no option marked; it was left null, not guessed.
    ChoiceUnmarked => "choice_unmarked",
    /// A rating printed as a choice has several options marked; it was
    /// left null, not guessed.
    ChoiceSeveralMarked => "choice_several_marked",
}

impl WarningCode {
    /// What the code means, in Japanese, for people reading warnings in
    /// the language of the sheets (the CLI's `--lang ja`, the web page).
    ///
    /// ```
    /// use hyoka::warning::WarningCode;
    /// assert!(WarningCode::KpiRowRealigned.meaning_ja().contains("成果指標"));
    /// ```
    pub fn meaning_ja(self) -> &'static str {
        use WarningCode as C;
        match self {
            C::KpiRowRealigned => {
                "成果指標の値の行が年度の見出しと揃っていないため、現状値を左端、目標値を右端として読み直しました。元の値と見比べてください"
            }
            C::KpiHeaderMissing => {
                "成果指標の値の前に年度の見出しがありません。シートの構成を確認してください"
            }
            C::KpiWithoutName => "値はあるが名前のない成果指標があります",
            C::ActualAfterFiscalYear => {
                "評価年度より後の年度に実績があります。列の位置を確認してください"
            }
            C::ValueNotANumber => "数値の欄に文字があります。value は null、raw に文字を残しました",
            C::EraYearMismatch => "西暦と和暦が一致しません。西暦を採りました",
            C::ValueYearMismatch => {
                "値に書かれた年度が、その値のある列の年度と違います。列の年度で読みました。どちらの年度の値か確認してください"
            }
            C::EraYearPastEnd => "元号の終わった後の年(平成32年など)を西暦に換算しました",
            C::CheckColumnInferred => {
                "CHECK② の列がつぶれていたため、○…事業案 の見出しから効果と改善案を判別しました"
            }
            C::CheckColumnsRealigned => {
                "CHECK② の行の列数が見出しより多いため、5列の形式として読みました"
            }
            C::CheckWithoutPlan => "PLAN の表にない基本事業番号の CHECK② があります",
            C::BasicProjectWithoutName => "名前のない基本事業があります",
            C::BasicProjectDuplicate => "基本事業の番号が重複しています",
            C::FiscalYearMissing => "評価年度が見つかりません",
            C::PlanTableMissing => "PLAN/DO/CHECK① の表が見つかりません",
            C::CheckTableMissing => "CHECK②/ACTION の表が見つかりません",
            C::UnrecognizedRow => "様式にない行を読み飛ばしました",
            C::DecodeErrors => {
                "文字コードとして読めないバイトを置換文字 (U+FFFD) にしました。UTF-8 で保存し直してください"
            }
            C::EncodingGuessed => "文字コードを推定しました",
            C::PercentUnitFromFormat => {
                "行の見出しに単位がなく、セルがパーセント表示のため、表示どおりの値(100倍)で単位 % として読みました"
            }
            C::PercentUnitConflict => {
                "セルはパーセント表示ですが行の見出しの単位は別のものです。表示どおりの値(100倍)で読み、見出しの単位を残しました。どちらが正しいか確認してください"
            }
            C::ProjectYearsFromTemplate => {
                "事務事業の一覧の年度ごとの欄に年度の見出しがないため、テンプレート(project.unlabeled_blocks)に従って年度を割り当てました。様式の年度と見比べてください"
            }
            C::ProjectYearEraAssumed => {
                "事務事業の一覧の年度が元号なしの数字で書かれているため、テンプレート(project.year_era)の元号の年として読みました"
            }
            C::IndicatorWithoutName => "値はあるが名前のない指標があります。名前なしで残しました",
            C::ProjectCodeNumeric => {
                "事務事業IDが数値として保存されているため、先頭の 0 が失われている可能性があります"
            }
            C::ProjectColumnIgnored => {
                "事務事業の一覧の列を読みませんでした(年度ごとの欄の外にある年度の見出し、または二度目の同じ見出し)"
            }
            C::ProjectListUnreadable => {
                "事務事業の一覧のように見えますが読めません。見えた見出しと足りない見出しをメッセージで確認してください"
            }
            C::ProjectRowWithoutName => "事務事業名のない行にデータがあるため、読み飛ばしました",
            C::ProjectIdDuplicate => {
                "同じ自治体・年度・事務事業IDの事業が他にもある(一覧と個票の両方を取り込んだ場合など)ため、位置で ID を区別しました"
            }
            C::ChoiceUnmarked => {
                "選択肢として印刷された評価(□結びついている □結びついていない など)に印がありません。推測せず空にしました"
            }
            C::ChoiceSeveralMarked => {
                "選択肢として印刷された評価に印が複数あります。推測せず空にしました"
            }
            C::CostSumMismatch => {
                "事業費計が財源の合計と、またはトータルコストが事業費と人件費の和と合いません。費用の列を確認してください"
            }
            C::ProgressInconsistent => {
                "取り組み状況は計画通り(または完了)ですが、成果指標の実績が現状値から目標値への直線の半分にも届いていません。記述と数値を見比べてください"
            }
            C::CellError => "セルがエラー値(#N/A など)です",
            C::CellTypeUnexpected => "数値の欄に日付または真偽値があります",
            C::FormulaNotComputed => {
                "数式の計算結果が保存されていないため空として読みました。Excel か LibreOffice で開いて保存し、取り込み直してください"
            }
            C::MergedCellHidden => "結合セルに隠れた値を無視しました",
            C::ControlCharactersRemoved => {
                "セルにあった制御文字(ベルや垂直タブなど)を取り除きました。元のセルを確認してください"
            }
            C::PdfLayoutGuessed => {
                "PDF に罫線がないため、行は文字の並び、列は文字の揃いから推定しました。値を元の文書と見比べてください"
            }
            C::MunicipalityFromDocument => {
                "自治体名を文書の表紙から読み取りました。団体コードは、同じ名前の自治体が一覧に一つだけあるときにその名前から補いました(ID には入れていません)"
            }
            C::SheetIdDuplicate => {
                "同じ内容・自治体・年度・部局のシートが他にもあるため(同じシートを二つの形式で渡した場合など)、\
                 実行中の位置で ID を区別しました"
            }
        }
    }
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
