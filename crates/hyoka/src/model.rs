//! The typed records of the open-data contract (schema version 3).
//!
//! These types are the output of the sheet parser and serialize to exactly
//! the JSON shape of `docs/SHEET-SPEC.md` section 4. The files that hold
//! them (department files, `index.json`) are in [`crate::output`], whose
//! JSON Schemas are generated from these types, so the Rust types and the
//! published contract cannot drift apart silently.
//!
//! The enums here (`ProgressCode`, `Direction`, `AssessmentStatus`,
//! `TargetBasis` …) are not `non_exhaustive`, unlike the library's errors
//! and options: their variants are the contract's values, listed in the
//! schema, so a new one is a new schema version, and a consumer's `match`
//! should stop compiling until it words the new value.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::warning::Warning;

/// One policy-evaluation sheet (施策評価シート).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sheet {
    /// A stable ID: the same for the same sheet whatever form it was read
    /// from and however the inputs were named or ordered (see [`crate::ids`]).
    #[schemars(regex(pattern = r"^[0-9]{6}-[0-9]{4}-[0-9a-f]{12}$"))]
    pub id: String,
    /// The municipality whose sheet this is; null when unknown.
    pub municipality: Option<Municipality>,
    /// Where the sheet was read from.
    pub source: Source,
    /// The fixed heading that starts the sheet (伊賀流自治の視点), if present.
    pub heading: Option<String>,
    /// The department in charge (主担当部局 / 担当部署).
    pub department: String,
    /// The label the department was given under, without brackets.
    pub department_label: String,
    /// The policy title (施策名), when the sheet has one.
    pub policy: Option<String>,
    /// The fiscal year evaluated (from `2022(R4)年度の事務事業`).
    pub fiscal_year: Option<i32>,
    /// The department's aims for the policy.
    pub directions: Vec<String>,
    /// The basic projects (基本事業), in sheet order.
    pub basic_projects: Vec<BasicProject>,
    /// The citizen-survey remarks.
    pub survey: Survey,
    /// Every repair or guess the parser made on this sheet.
    pub warnings: Vec<Warning>,
}

/// The municipality (地方公共団体) a sheet belongs to. At least one of the
/// two is known when the field is present.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// The 6-digit 全国地方公共団体コード (5 digits of JIS X 0402 and a check
    /// digit, see [`crate::municipality::check_digit`]), when given.
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub code: Option<String>,
    /// The municipality's name (`伊賀市`), as given or as the document writes it.
    pub name: Option<String>,
}

/// The input file and place a sheet came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The input's name: a file given is its file name, a file met in a
    /// folder given its path inside that folder after the folder's own name
    /// (`iga/000.txt`), `/`-separated; never an absolute path.
    pub file: String,
    /// SHA-256 of the input file's bytes, lowercase hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
    /// The input's format.
    pub format: Format,
    /// The text encoding detected (text forms only).
    pub encoding: Option<String>,
    /// The worksheet name (spreadsheet forms only).
    pub worksheet: Option<String>,
    /// The sheet's position within its file, from 1 (across all worksheets
    /// of a workbook).
    #[schemars(range(min = 1))]
    pub ordinal: u32,
    /// First and last row of the sheet, 1-based and inclusive: lines for
    /// text, worksheet rows for spreadsheets.
    pub rows: [u32; 2],
    /// First and last page of the sheet, 1-based and inclusive (PDF only;
    /// `rows` then count the rows hyoka rebuilt from the pages, in order).
    pub pages: Option<[u32; 2]>,
}

/// The input formats hyoka reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Text as a PDF-to-text converter delivered it.
    Text,
    /// Tab-separated values, as spreadsheet programs export them.
    Tsv,
    /// Comma-separated values.
    Csv,
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros.
    Xlsm,
    /// Legacy Excel workbook (BIFF).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// PDF, as printed from a workbook.
    Pdf,
}

impl Format {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Pdf => "pdf",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A basic project (基本事業) with its plan, activities, KPIs and review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicProject {
    /// A stable ID: the sheet's ID and the project's number.
    #[schemars(regex(pattern = r"^[0-9]{6}-[0-9]{4}-[0-9a-f]{12}-[0-9]+$"))]
    pub id: String,
    /// The project's number on the sheet (1–4 in the common template).
    #[schemars(range(min = 1))]
    pub number: u32,
    /// The project name (first line of the cell).
    pub name: String,
    /// The project description (the rest of the cell).
    pub description: Option<String>,
    /// Dates the description mentions; left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub description_mentions: Vec<Mention>,
    /// The administrative projects (事務事業) run that year and what they did.
    pub activities: Vec<ListItem>,
    /// The project's KPIs (成果指標).
    pub kpis: Vec<Kpi>,
    /// 効果が出ている点: what worked.
    pub effects: Vec<ListItem>,
    /// 課題: what did not.
    pub issues: Vec<ListItem>,
    /// 事務事業の改善案: improvement proposals by category.
    pub improvements: Improvements,
    /// 取り組み状況: the progress reported.
    pub progress: Option<Progress>,
}

/// One item of a list cell; items under a `○` heading and `⇒` follow-ups
/// are its children. Read depth-first, items give back the document's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    /// The item's text, without its list marker.
    pub text: String,
    /// Nested items.
    pub children: Vec<ListItem>,
    /// Dates the text mentions (`令和5年3月号`); left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
}

/// A date mentioned in free text: `令和5年3月` is the month `2023-03` (in
/// fiscal 2022), `平成30年度` the fiscal year 2018, `令和4年` the year
/// `2022`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// The text as written.
    pub text: String,
    /// Where it starts in the item's text, in characters from 0.
    pub start: u32,
    /// Where it ends (exclusive), in characters.
    pub end: u32,
    /// The calendar date it names, ISO 8601 (`2023-03`, `2023`); null for
    /// a fiscal year.
    pub date: Option<String>,
    /// The fiscal year (April to March) it names or falls in; null for a
    /// calendar year without a month.
    pub fiscal_year: Option<i32>,
}

impl ListItem {
    /// The texts of nested items, depth-first: the document's order and
    /// text, as the sheet lists them.
    ///
    /// ```
    /// use hyoka::model::ListItem;
    /// let mut heading = ListItem::leaf("経費");
    /// heading.children.push(ListItem::leaf("取組"));
    /// let items = [heading, ListItem::leaf("次の行")];
    /// assert_eq!(ListItem::depth_first(&items), ["経費", "取組", "次の行"]);
    /// ```
    pub fn depth_first(items: &[ListItem]) -> Vec<&str> {
        fn walk<'a>(items: &'a [ListItem], out: &mut Vec<&'a str>) {
            for item in items {
                out.push(&item.text);
                walk(&item.children, out);
            }
        }
        let mut out = Vec::new();
        walk(items, &mut out);
        out
    }

    /// An item without children.
    pub fn leaf(text: impl Into<String>) -> ListItem {
        ListItem {
            text: text.into(),
            children: Vec::new(),
            mentions: Vec::new(),
        }
    }
}

/// Improvement proposals (事務事業の改善案) by their category heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Improvements {
    /// Under `○新規事業案`.
    pub new: Vec<ListItem>,
    /// Under `○既存事業案`.
    pub existing: Vec<ListItem>,
    /// Under `○廃止・縮小事業案`.
    pub reduced_or_abolished: Vec<ListItem>,
    /// Before any category heading.
    pub unclassified: Vec<ListItem>,
}

impl Improvements {
    /// Whether no proposal is recorded.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.existing.is_empty()
            && self.reduced_or_abolished.is_empty()
            && self.unclassified.is_empty()
    }
}

/// The progress reported for a basic project (取り組み状況).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The text as written.
    pub text: String,
    /// The text classified.
    pub code: ProgressCode,
}

/// Progress classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressCode {
    /// 計画通り…, 順調.
    OnTrack,
    /// やや遅れ….
    SlightlyBehind,
    /// 遅れ….
    Behind,
    /// 完了, 達成.
    Completed,
    /// 未着手.
    NotStarted,
    /// Anything else.
    Other,
}

/// A key performance indicator (成果指標).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// A stable ID: the basic project's ID and the KPI's position in it.
    #[schemars(regex(pattern = r"^[0-9]{6}-[0-9]{4}-[0-9a-f]{12}-[0-9]+-[0-9]+$"))]
    pub id: String,
    /// The indicator's name.
    pub name: String,
    /// 成果指標の説明.
    pub description: Option<String>,
    /// The unit from the value-row label (`実績(件)` gives `件`); null when empty.
    pub unit: Option<String>,
    /// 現状値: the value the plan started from.
    pub baseline: Baseline,
    /// One entry per year column of the header, in order.
    pub actuals: Vec<Actual>,
    /// 目標値.
    pub target: Target,
    /// Whether it is on track, computed from its own figures (hyoka's
    /// docs/kpis.md: "Is it on track?").
    pub assessment: Assessment,
}

/// A KPI's figures read against its target: which way is better, how far
/// each year got, and where the latest year stands. Computed by hyoka, not
/// read from the sheet; every figure it uses is in the KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Which way is better; null when nothing tells (never guessed).
    pub direction: Option<Direction>,
    /// What told the direction.
    pub direction_basis: Option<DirectionBasis>,
    /// How achievement is computed; null without a numeric target or bound.
    pub formula: Option<AchievementFormula>,
    /// One entry per year with an actual value, up to the sheet's fiscal
    /// year.
    pub achievements: Vec<Achievement>,
    /// Where the latest of those years stands.
    pub status: AssessmentStatus,
    /// The year `status` is for; null when no year has an actual.
    pub status_year: Option<i32>,
}

impl Default for Assessment {
    /// Not assessed yet: what the sheet parser gives before the assessment
    /// step runs.
    fn default() -> Assessment {
        Assessment {
            direction: None,
            direction_basis: None,
            formula: None,
            achievements: Vec::new(),
            status: AssessmentStatus::Unknown,
            status_year: None,
        }
    }
}

/// Which way a KPI is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (visits, satisfaction).
    HigherIsBetter,
    /// Less is better (complaints, debt ratio).
    LowerIsBetter,
}

/// What told a KPI's [`Direction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DirectionBasis {
    /// The target is a bound (`以下` is lower, `以上` higher).
    Bound,
    /// The target lies above or below the baseline.
    TargetVsBaseline,
    /// The KPI's words (the template's `assessment` lists: `削減`, `減少`,
    /// `妥当でない` …).
    Wording,
}

/// How a KPI's achievement is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AchievementFormula {
    /// Actual against target: `actual / target` (higher is better) or
    /// `target / actual` (lower is better); also for a target whose basis
    /// is not stated.
    SingleYear,
    /// Progress from baseline to target: `(actual − baseline) / (target −
    /// baseline)`.
    Cumulative,
    /// A bound: met or not, no ratio.
    Bound,
}

/// How far a KPI got in one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Achievement {
    /// The fiscal year of the actual.
    pub fiscal_year: i32,
    /// The achievement ratio (1 = the target reached); null where it
    /// cannot be computed (a zero divisor, no baseline, a bound, no
    /// direction).
    pub ratio: Option<Number>,
    /// Whether the target (or bound) is met; null without a direction.
    pub met: Option<bool>,
    /// The value on a straight line from the baseline to the target in the
    /// last year column; null without a numeric baseline and target.
    pub expected: Option<Number>,
}

/// Where a KPI stands in its latest year with an actual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// The target or bound is met.
    Achieved,
    /// Not met yet, but at or beyond the straight line to the target.
    OnTrack,
    /// Short of the straight line to the target (or, without one, of the
    /// target).
    Behind,
    /// No numeric target or bound to measure against.
    NoTarget,
    /// A target, but no actual yet, or no direction to read it by.
    Unknown,
}

/// The baseline (現状値) of a KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The year named in the header (`現状値(R元)` gives 2019), else null.
    pub fiscal_year: Option<i32>,
    /// The value, when the cell holds a number.
    pub value: Option<Number>,
    /// The cell's text as written (normalized); null when empty.
    pub raw: Option<String>,
}

/// A KPI's actual value for one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actual {
    /// The fiscal year of the column.
    pub fiscal_year: i32,
    /// The value, when the cell holds a number.
    pub value: Option<Number>,
    /// The cell's text as written (normalized); null when empty.
    pub raw: Option<String>,
}

/// A KPI's target (目標値).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The value, only when the text is a plain number.
    pub value: Option<Number>,
    /// The text as written (normalized); null when empty.
    pub raw: Option<String>,
    /// `目標値(単年)` single year, `目標値(累計)` cumulative, else null.
    pub basis: Option<TargetBasis>,
    /// A bound read from text such as `20%以下` or `概ね9%を超えないこと`.
    pub bound: Option<TargetBound>,
}

/// How a target is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetBasis {
    /// 単年: the value for the year.
    SingleYear,
    /// 累計: the running total.
    Cumulative,
}

/// A one-sided target read from its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetBound {
    /// Which side the value bounds.
    pub comparison: Comparison,
    /// The bounding value.
    pub value: Number,
    /// Whether the text hedges the bound (概ね, 程度).
    pub approximate: bool,
}

/// The side of a [`TargetBound`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// 以下, 超えない: the value must not exceed the bound.
    AtMost,
    /// 未満: strictly below.
    LessThan,
    /// 以上: the value must reach the bound.
    AtLeast,
    /// 超, を超える: strictly above.
    MoreThan,
}

/// Citizen-survey remarks (まちづくりアンケート調査結果). The chart itself is
/// an image in the source and is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// 傾向: the remarks on the trend, one per item.
    pub trends: Vec<String>,
}

/// A number in the output. Integral values serialize without a decimal
/// point (`769`, not `769.0`), so outputs stay stable and readable.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize)]
#[serde(transparent)]
pub struct Number(f64);

impl Number {
    /// Wraps a finite value; `None` for NaN or infinities, which JSON cannot hold.
    pub fn new(value: f64) -> Option<Number> {
        // -0.0 prints as "-0" or "-0.0"; one zero keeps outputs comparable.
        value
            .is_finite()
            .then_some(Number(if value == 0.0 { 0.0 } else { value }))
    }

    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The value as an integer, when it is one that f64 holds exactly.
    pub fn as_integer(self) -> Option<i64> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        (self.0.fract() == 0.0 && self.0.abs() <= EXACT).then_some(self.0 as i64)
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::normalize::format_number(self.0))
    }
}

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_integer() {
            Some(i) => serializer.serialize_i64(i),
            None => serializer.serialize_f64(self.0),
        }
    }
}

impl JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "A finite number; integral values are written without a decimal point."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_numbers_print_without_decimal_point() {
        let n = |v: f64| serde_json::to_string(&Number::new(v).unwrap()).unwrap();
        assert_eq!(n(769.0), "769");
        assert_eq!(n(11.4), "11.4");
        assert_eq!(n(-0.8), "-0.8");
        assert_eq!(n(-0.0), "0");
        assert_eq!(n(3_878_604.0), "3878604");
        assert_eq!(n(1e300), "1e+300");
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        assert!(Number::new(f64::NAN).is_none());
        assert!(Number::new(f64::INFINITY).is_none());
    }
}
