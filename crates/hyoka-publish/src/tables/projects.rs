//! The project evaluations (事務事業評価) as tables: the projects, their
//! indicators and indicator values, their yearly costs and their eight
//! evaluation aspects, joined by the project's stable ID.

use hyoka::project::ProjectEvaluation;

use super::{
    FieldDef, FieldType, ForeignKeyDef, SOURCE_FORMAT, TableDef, Tables, Value, coded, field,
    one_of, opt_int, opt_num, opt_text, required, text,
};

const PROJECT_ID: FieldDef = FieldDef {
    pattern: Some("[0-9]{6}-[0-9]{4}-p[0-9a-f]{12}"),
    ..required(field(
        "project_id",
        "事務事業評価ID",
        FieldType::String,
        "The project evaluation's stable ID (municipality code, fiscal year and project code; see docs/projects.md in hyoka).",
    ))
};

const TO_PROJECT: ForeignKeyDef = ForeignKeyDef {
    fields: &["project_id"],
    table: "projects",
    reference: &["project_id"],
};

const FISCAL_YEAR: FieldDef = field(
    "fiscal_year",
    "年度",
    FieldType::Integer,
    "The fiscal year (西暦) of the yearly block.",
);

/// `projects`: one row per project evaluation.
pub static PROJECTS: TableDef = TableDef {
    name: "projects",
    title: "事務事業評価",
    description: "One row per project evaluation (事務事業評価): the project, its place in the plan, who runs it, what it does and the direction decided. Officials' names, desks and telephone numbers are never read.",
    fields: &[
        PROJECT_ID,
        field(
            "fiscal_year",
            "年度",
            FieldType::Integer,
            "The evaluation year (西暦).",
        ),
        field(
            "project_code",
            "事務事業ID",
            FieldType::String,
            "The project's code as written (leading zeros kept).",
        ),
        required(field(
            "project_name",
            "事務事業名",
            FieldType::String,
            "The project's name.",
        )),
        field(
            "policy_number",
            "政策番号",
            FieldType::Integer,
            "The policy's number.",
        ),
        field(
            "policy_name",
            "政策名",
            FieldType::String,
            "The policy's name.",
        ),
        field(
            "measure_number",
            "施策番号",
            FieldType::Integer,
            "The measure's number.",
        ),
        field(
            "measure_name",
            "施策名",
            FieldType::String,
            "The measure's name.",
        ),
        field(
            "basic_project_number",
            "基本事業番号",
            FieldType::Integer,
            "The basic project's number.",
        ),
        field(
            "basic_project_name",
            "基本事業名",
            FieldType::String,
            "The basic project's name.",
        ),
        field("department", "部", FieldType::String, "The department."),
        field(
            "section",
            "課",
            FieldType::String,
            "The section, when the department has one.",
        ),
        field(
            "legal_basis",
            "根拠法令",
            FieldType::String,
            "The law or plan the project rests on.",
        ),
        field(
            "period_kind",
            "事業期間区分",
            FieldType::String,
            "The kind of period.",
        ),
        field(
            "period_start",
            "始期",
            FieldType::String,
            "The first year, as written.",
        ),
        field(
            "period_end",
            "終期",
            FieldType::String,
            "The last year, as written.",
        ),
        field(
            "category",
            "事務事業区分",
            FieldType::String,
            "The project's class.",
        ),
        field(
            "overview",
            "事務事業の概要",
            FieldType::String,
            "What the project is.",
        ),
        field(
            "means_previous",
            "手段(前年度実績)",
            FieldType::String,
            "Last year's activities.",
        ),
        field(
            "means_current",
            "手段(今年度計画)",
            FieldType::String,
            "This year's plan.",
        ),
        field(
            "target",
            "対象",
            FieldType::String,
            "Whom or what the project is for.",
        ),
        field(
            "intent",
            "意図",
            FieldType::String,
            "How it means to change its target.",
        ),
        field(
            "result",
            "結果",
            FieldType::String,
            "What it contributes to its basic project.",
        ),
        field(
            "direction",
            "改革改善の方向性",
            FieldType::String,
            "The department's direction.",
        ),
        field(
            "expected_outcome",
            "期待成果(成果)",
            FieldType::String,
            "What the direction brings to the outcome.",
        ),
        field(
            "expected_cost",
            "期待成果(コスト)",
            FieldType::String,
            "What the direction brings to the cost.",
        ),
        field(
            "issues",
            "解決すべき課題",
            FieldType::String,
            "The issues to solve.",
        ),
        field(
            "manager_direction",
            "課長等意見(今後の方向性)",
            FieldType::String,
            "The manager's direction.",
        ),
        field(
            "manager_summary",
            "課長等意見(全体総括)",
            FieldType::String,
            "The manager's summary.",
        ),
        required(field(
            "warning_count",
            "警告数",
            FieldType::Integer,
            "How many warnings the project carries (in the department file).",
        )),
        required(field(
            "source_file",
            "入力ファイル",
            FieldType::String,
            "The input path as given to hyoka.",
        )),
        SOURCE_FORMAT,
        field(
            "source_worksheet",
            "ワークシート",
            FieldType::String,
            "The worksheet (spreadsheet forms only).",
        ),
        required(field(
            "source_row",
            "行",
            FieldType::Integer,
            "The project's row in the worksheet, from 1.",
        )),
    ],
    primary_key: &["project_id"],
    foreign_keys: &[],
};

/// `project_indicators`: one row per indicator of a project.
pub static PROJECT_INDICATORS: TableDef = TableDef {
    name: "project_indicators",
    title: "事務事業の指標",
    description: "One row per indicator of a project evaluation: activity (活動指標 ア・イ・ウ), target (対象指標 カ・キ・ク) or outcome (成果指標 サ・シ・ス).",
    fields: &[
        FieldDef {
            pattern: Some("[0-9]{6}-[0-9]{4}-p[0-9a-f]{12}-[ato][1-3]"),
            ..required(field(
                "indicator_id",
                "指標ID",
                FieldType::String,
                "The indicator's stable ID: the project's and the slot's (a1 for ア, o3 for ス).",
            ))
        },
        PROJECT_ID,
        coded(
            required(field(
                "kind",
                "種類",
                FieldType::String,
                "activity (活動指標), target (対象指標) or outcome (成果指標).",
            )),
            &["activity", "target", "outcome"],
            &["活動指標", "対象指標", "成果指標"],
        ),
        one_of(
            required(field(
                "slot",
                "記号",
                FieldType::String,
                "The slot: ア..ス.",
            )),
            &["ア", "イ", "ウ", "カ", "キ", "ク", "サ", "シ", "ス"],
        ),
        field(
            "name",
            "指標名",
            FieldType::String,
            "The indicator's name; empty when the slot has values but no name.",
        ),
        field("unit", "単位", FieldType::String, "The unit."),
    ],
    primary_key: &["indicator_id"],
    foreign_keys: &[TO_PROJECT],
};

/// `project_indicator_values`: one row per indicator and yearly block.
pub static PROJECT_INDICATOR_VALUES: TableDef = TableDef {
    name: "project_indicator_values",
    title: "事務事業の指標の値",
    description: "One row per value of a project's indicator, one per yearly block, oldest first. value is empty where the cell holds no number (raw keeps the text, a dash or 29(4)); 0 is a value.",
    fields: &[
        required(field(
            "indicator_id",
            "指標ID",
            FieldType::String,
            "The indicator (project_indicators.csv).",
        )),
        PROJECT_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The block's place, from 1.",
        )),
        FISCAL_YEAR,
        field(
            "value",
            "値",
            FieldType::Number,
            "The value, when the cell holds a number.",
        ),
        field(
            "raw",
            "表記",
            FieldType::String,
            "The cell as written (normalized).",
        ),
    ],
    primary_key: &["indicator_id", "position"],
    foreign_keys: &[
        ForeignKeyDef {
            fields: &["indicator_id"],
            table: "project_indicators",
            reference: &["indicator_id"],
        },
        TO_PROJECT,
    ],
};

/// `project_costs`: one row per project and yearly block.
pub static PROJECT_COSTS: TableDef = TableDef {
    name: "project_costs",
    title: "事務事業のコスト",
    description: "One row per yearly block of a project's costs, in the list's units (千円 and hours in the 大船渡 form); empty where the cell holds no number.",
    fields: &[
        PROJECT_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The block's place, from 1.",
        )),
        FISCAL_YEAR,
        field("national", "国庫支出金", FieldType::Number, "国庫支出金."),
        field(
            "prefectural",
            "都道府県支出金",
            FieldType::Number,
            "都道府県支出金.",
        ),
        field("bonds", "地方債", FieldType::Number, "地方債."),
        field(
            "other",
            "その他",
            FieldType::Number,
            "その他 (other specific revenue).",
        ),
        field("general", "一般財源", FieldType::Number, "一般財源."),
        field(
            "project_total",
            "事業費計(A)",
            FieldType::Number,
            "事業費計 (A).",
        ),
        field(
            "staff",
            "正規職員従事人数",
            FieldType::Number,
            "正規職員従事人数.",
        ),
        field("hours", "延べ業務時間", FieldType::Number, "延べ業務時間."),
        field(
            "personnel_cost",
            "人件費計(B)",
            FieldType::Number,
            "人件費計 (B).",
        ),
        field(
            "total",
            "トータルコスト(A)+(B)",
            FieldType::Number,
            "トータルコスト (A)+(B).",
        ),
    ],
    primary_key: &["project_id", "position"],
    foreign_keys: &[TO_PROJECT],
};

/// `project_aspects`: one row per evaluation aspect of a project.
pub static PROJECT_ASPECTS: TableDef = TableDef {
    name: "project_aspects",
    title: "事務事業の評価",
    description: "One row per evaluation aspect (① 政策体系との整合性 … ⑧ 受益機会・費用負担の適正化余地) of a project, with its rating and comment.",
    fields: &[
        PROJECT_ID,
        required(field(
            "number",
            "番号",
            FieldType::Integer,
            "The aspect's number, 1..8.",
        )),
        required(field(
            "aspect",
            "評価の視点",
            FieldType::String,
            "The aspect as the list writes it.",
        )),
        field("rating", "評価", FieldType::String, "The rating chosen."),
        field("comment", "理由", FieldType::String, "Why."),
    ],
    primary_key: &["project_id", "number"],
    foreign_keys: &[TO_PROJECT],
};

impl Tables {
    /// Adds one project evaluation's rows to its tables.
    pub fn add_project(&mut self, p: &ProjectEvaluation) {
        let m = p.municipality.as_ref();
        let pid = || Value::Text(p.id.clone());
        let plan = |r: &Option<hyoka::project::PlanRef>| {
            (
                opt_int(r.as_ref().and_then(|r| r.number)),
                opt_text(r.as_ref().and_then(|r| r.name.as_deref())),
            )
        };
        let (policy_n, policy) = plan(&p.policy);
        let (measure_n, measure) = plan(&p.measure);
        let (basic_n, basic) = plan(&p.basic_project);
        let period = p.period.as_ref();
        self.push(
            &PROJECTS,
            m,
            vec![
                pid(),
                opt_int(p.fiscal_year),
                opt_text(p.project.code.as_deref()),
                text(&p.project.name),
                policy_n,
                policy,
                measure_n,
                measure,
                basic_n,
                basic,
                opt_text(p.department.as_deref()),
                opt_text(p.section.as_deref()),
                opt_text(p.legal_basis.as_deref()),
                opt_text(period.and_then(|x| x.kind.as_deref())),
                opt_text(period.and_then(|x| x.start.as_deref())),
                opt_text(period.and_then(|x| x.end.as_deref())),
                opt_text(p.category.as_deref()),
                opt_text(p.overview.as_deref()),
                opt_text(p.means.previous.as_deref()),
                opt_text(p.means.current.as_deref()),
                opt_text(p.target.as_deref()),
                opt_text(p.intent.as_deref()),
                opt_text(p.result.as_deref()),
                opt_text(p.direction.as_deref()),
                opt_text(p.expected.outcome.as_deref()),
                opt_text(p.expected.cost.as_deref()),
                opt_text(p.issues.as_deref()),
                opt_text(p.manager_direction.as_deref()),
                opt_text(p.manager_summary.as_deref()),
                Value::Int(p.warnings.len() as i64),
                text(&p.source.file),
                text(p.source.format.as_str()),
                opt_text(p.source.worksheet.as_deref()),
                Value::Int(p.source.rows[0].into()),
            ],
        );
        for ind in &p.indicators {
            self.push(
                &PROJECT_INDICATORS,
                m,
                vec![
                    Value::Text(ind.id.clone()),
                    pid(),
                    Value::Text(ind.kind.as_str().into()),
                    Value::Text(ind.slot.clone()),
                    opt_text(ind.name.as_deref()),
                    opt_text(ind.unit.as_deref()),
                ],
            );
            for (i, v) in ind.values.iter().enumerate() {
                self.push(
                    &PROJECT_INDICATOR_VALUES,
                    m,
                    vec![
                        Value::Text(ind.id.clone()),
                        pid(),
                        Value::Int(i as i64 + 1),
                        opt_int(v.fiscal_year),
                        opt_num(v.value),
                        opt_text(v.raw.as_deref()),
                    ],
                );
            }
        }
        for (i, c) in p.costs.iter().enumerate() {
            self.push(
                &PROJECT_COSTS,
                m,
                vec![
                    pid(),
                    Value::Int(i as i64 + 1),
                    opt_int(c.fiscal_year),
                    opt_num(c.national),
                    opt_num(c.prefectural),
                    opt_num(c.bonds),
                    opt_num(c.other),
                    opt_num(c.general),
                    opt_num(c.project_total),
                    opt_num(c.staff),
                    opt_num(c.hours),
                    opt_num(c.personnel_cost),
                    opt_num(c.total),
                ],
            );
        }
        for a in &p.evaluation {
            self.push(
                &PROJECT_ASPECTS,
                m,
                vec![
                    pid(),
                    Value::Int(a.number.into()),
                    text(&a.aspect),
                    opt_text(a.rating.as_deref()),
                    opt_text(a.comment.as_deref()),
                ],
            );
        }
    }
}
