//! The project evaluation (事務事業評価): the typed record of `docs/SHEET-SPEC.md` §7.
//!
//! One [`ProjectEvaluation`] per administrative project (事務事業): its place
//! in the plan, who runs it, what it does, its indicators and costs per
//! fiscal year, the eight evaluation aspects and the direction decided.
//! Like [`crate::model::Sheet`] these types serialize to the contract's
//! JSON and the JSON Schema in `schemas/` is generated from them.
//!
//! Officials' names, desks, telephone numbers and extensions are not
//! fields of any type here: the readers never read them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Municipality, Number, Source};
use crate::warning::Warning;

/// One project evaluation (事務事業評価) of one fiscal year.
///
/// ```
/// use hyoka::project::{IndicatorKind, ProjectEvaluation};
/// let json = r#"{"id":"000000-2025-p0123456789ab","municipality":null,
///   "source":{"file":"list.xlsx","sha256":"0000000000000000000000000000000000000000000000000000000000000000",
///     "format":"xlsx","encoding":null,"worksheet":"一覧","ordinal":1,"rows":[3,3],"pages":null},
///   "fiscal_year":2025,"project":{"code":"0086","name":"不法投棄対策事業"},
///   "policy":null,"measure":null,"basic_project":null,
///   "department":"市民生活部","section":"市民環境課","legal_basis":null,"period":null,
///   "category":null,"overview":null,"means":{"previous":null,"current":null},
///   "target":null,"intent":null,"result":null,
///   "indicators":[{"id":"000000-2025-p0123456789ab-a1","kind":"activity","slot":"ア",
///     "name":"意識啓発事業の回数","unit":"回","values":[{"fiscal_year":2025,"value":1,"raw":"1"}]}],
///   "costs":[],"background":{"origin":null,"changes":null,"requests":null},"evaluation":[],
///   "direction":"1 現状維持","expected":{"outcome":null,"cost":null},"issues":null,
///   "manager_direction":null,"manager_summary":null,"warnings":[]}"#;
/// let p: ProjectEvaluation = serde_json::from_str(json).unwrap();
/// assert_eq!(p.project.code.as_deref(), Some("0086"));
/// assert_eq!(p.indicators[0].kind, IndicatorKind::Activity);
/// assert_eq!(p.indicators[0].values[0].value.unwrap().get(), 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectEvaluation {
    /// A stable ID from the municipality code, the fiscal year and the
    /// project's code only (see [`crate::project::project_id`]): the same
    /// project read from a list or a per-project sheet has the same ID.
    #[schemars(regex(pattern = r"^[0-9]{6}-[0-9]{4}-p[0-9a-f]{12}$"))]
    pub id: String,
    /// The municipality whose evaluation this is; null when unknown.
    pub municipality: Option<Municipality>,
    /// Where it was read: for a list, `rows` is the project's row twice;
    /// for a per-project sheet, its first and last row (and, in a PDF,
    /// `pages` its pages).
    pub source: Source,
    /// The evaluation year (年度), Gregorian.
    pub fiscal_year: Option<i32>,
    /// The project's code and name.
    pub project: ProjectName,
    /// The policy (政策) the project serves.
    pub policy: Option<PlanRef>,
    /// The measure (施策) the project serves.
    pub measure: Option<PlanRef>,
    /// The basic project (基本事業) the project serves.
    pub basic_project: Option<PlanRef>,
    /// The department (部, 委員会事務局, 広域連合, or a whole office such as
    /// 大船渡消防署).
    pub department: Option<String>,
    /// The section (課, 室, センター) within the department; null when the
    /// department is written alone.
    pub section: Option<String>,
    /// 根拠法令: the law or plan the project rests on.
    pub legal_basis: Option<String>,
    /// 事業期間: the project's period.
    pub period: Option<Period>,
    /// 事務事業区分: the project's class as written (`E 一般`).
    pub category: Option<String>,
    /// 事務事業の概要: what the project is and how it is done.
    pub overview: Option<String>,
    /// ① 手段: the main activities.
    pub means: Means,
    /// ② 対象: whom or what the project is for.
    pub target: Option<String>,
    /// ③ 意図: how it means to change its target.
    pub intent: Option<String>,
    /// ④ 結果: what it contributes to its basic project's intent.
    pub result: Option<String>,
    /// ⑤ 活動指標, ⑥ 対象指標, ⑦ 成果指標: the indicators with a name or a
    /// value, in slot order (ア イ ウ カ キ ク サ シ ス).
    pub indicators: Vec<Indicator>,
    /// The costs of each fiscal year, oldest first.
    pub costs: Vec<CostYear>,
    /// 背景 ①②③.
    pub background: Background,
    /// The evaluation aspects (①..⑧), in number order.
    pub evaluation: Vec<Aspect>,
    /// (1) 改革改善の方向性: the direction the department gives.
    pub direction: Option<String>,
    /// (2) 改革・改善による期待成果.
    pub expected: Expected,
    /// (3) 改革改善を実現する上で解決すべき課題: the issues to solve.
    pub issues: Option<String>,
    /// 課長等意見 (1) 今後の方向性: the manager's direction.
    pub manager_direction: Option<String>,
    /// 課長等意見 (2) 全体総括: the manager's summary.
    pub manager_summary: Option<String>,
    /// Every repair or guess made while reading this project.
    pub warnings: Vec<Warning>,
}

impl ProjectEvaluation {
    /// The department whose file holds this record: its department, else
    /// its section, else `部局不明` (department unknown). The CLI and the
    /// web page file records by this.
    pub fn filed_under(&self) -> String {
        self.department
            .clone()
            .or_else(|| self.section.clone())
            .unwrap_or_else(|| "部局不明".to_owned())
    }
}

/// A project's code (事務事業ID, as text: leading zeros kept) and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectName {
    /// The code as written; null when the list has none.
    pub code: Option<String>,
    /// The name (事務事業名).
    pub name: String,
}

/// A place in the plan: a policy, measure or basic project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRef {
    /// Its number (from 十の位 and 一の位: 10 × tens + ones).
    pub number: Option<u32>,
    /// Its name.
    pub name: Option<String>,
}

/// 事業期間: the kind of period and its first and last year as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// 区分 (`単年度繰返`, `期間限定複数年度`).
    pub kind: Option<String>,
    /// 始期, as written.
    pub start: Option<String>,
    /// 終期, as written.
    pub end: Option<String>,
}

/// ① 手段: the activities of the previous year and the plan of this one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Means {
    /// 前年度実績.
    pub previous: Option<String>,
    /// 今年度計画.
    pub current: Option<String>,
}

/// 背景: why the project began, how its setting changed, what people ask.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Background {
    /// ① きっかけ: how and when it began.
    pub origin: Option<String>,
    /// ② what changed since it began.
    pub changes: Option<String>,
    /// ③ opinions and requests received.
    pub requests: Option<String>,
}

/// (2) 期待成果: what the direction is expected to bring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// 成果: for the outcome (`向上`, `維持`).
    pub outcome: Option<String>,
    /// コスト: for the cost (`削減`, `維持`).
    pub cost: Option<String>,
}

/// The kinds of indicator.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// ⑤ 活動指標: how much the project does (slots ア イ ウ).
    Activity,
    /// ⑥ 対象指標: how large its target is (slots カ キ ク).
    Target,
    /// ⑦ 成果指標: how far the intent is reached (slots サ シ ス).
    Outcome,
}

impl IndicatorKind {
    /// Every kind, in form order.
    pub const ALL: [IndicatorKind; 3] = [
        IndicatorKind::Activity,
        IndicatorKind::Target,
        IndicatorKind::Outcome,
    ];

    /// The kind's three slots, in order.
    pub fn slots(self) -> [&'static str; 3] {
        match self {
            IndicatorKind::Activity => ["ア", "イ", "ウ"],
            IndicatorKind::Target => ["カ", "キ", "ク"],
            IndicatorKind::Outcome => ["サ", "シ", "ス"],
        }
    }

    /// The name in the output (`activity`).
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Activity => "activity",
            IndicatorKind::Target => "target",
            IndicatorKind::Outcome => "outcome",
        }
    }

    /// The letter that starts an indicator's ID suffix (`a1`, `t2`, `o3`).
    pub(crate) fn letter(self) -> char {
        match self {
            IndicatorKind::Activity => 'a',
            IndicatorKind::Target => 't',
            IndicatorKind::Outcome => 'o',
        }
    }
}

/// One indicator (指標) of a project with its yearly values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The project's ID, the kind's letter and the slot's position
    /// (`…-a1` for ア, `…-o3` for ス).
    #[schemars(regex(pattern = r"^[0-9]{6}-[0-9]{4}-p[0-9a-f]{12}-[ato][1-3]$"))]
    pub id: String,
    /// Activity, target or outcome.
    pub kind: IndicatorKind,
    /// The slot: ア イ ウ, カ キ ク or サ シ ス.
    pub slot: String,
    /// The indicator's name; null for a slot with values but no name.
    pub name: Option<String>,
    /// The unit (`件`, `m2`); null when none is written.
    pub unit: Option<String>,
    /// One value per yearly block, oldest first.
    pub values: Vec<YearValue>,
}

/// A value of one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearValue {
    /// The fiscal year of the block.
    pub fiscal_year: Option<i32>,
    /// The value, when the cell holds a number (0 is a value).
    pub value: Option<Number>,
    /// The cell as written (normalized): `3,089` from a text cell, `3089`
    /// from a number cell, `-` for a dash; null when empty.
    pub raw: Option<String>,
}

/// The costs of one fiscal year (財源内訳, 事業費, 人件費, トータルコスト),
/// in the list's units (千円 and hours in the 大船渡 form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostYear {
    /// The fiscal year of the block.
    pub fiscal_year: Option<i32>,
    /// 国庫支出金.
    pub national: Option<Number>,
    /// 都道府県支出金.
    pub prefectural: Option<Number>,
    /// 地方債.
    pub bonds: Option<Number>,
    /// その他 (other specific revenue).
    pub other: Option<Number>,
    /// 一般財源.
    pub general: Option<Number>,
    /// 事業費計 (A).
    pub project_total: Option<Number>,
    /// 正規職員従事人数.
    pub staff: Option<Number>,
    /// 延べ業務時間.
    pub hours: Option<Number>,
    /// 人件費計 (B).
    pub personnel_cost: Option<Number>,
    /// トータルコスト (A)+(B).
    pub total: Option<Number>,
}

/// One evaluation aspect (評価の視点) with its rating and comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    /// 1..8.
    #[schemars(range(min = 1, max = 8))]
    pub number: u32,
    /// The aspect as the list writes it, without its circled number.
    pub aspect: String,
    /// The rating chosen (`結びついている`, `妥当である`).
    pub rating: Option<String>,
    /// Why.
    pub comment: Option<String>,
}
