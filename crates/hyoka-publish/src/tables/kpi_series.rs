//! `kpi_series`: the KPI panel across years (`kpi_series.json`) as one flat
//! table, one row per statement: every report of every fiscal year's
//! actual, and every report of a target.

use hyoka::panel::PanelFile;

use super::{
    FieldDef, FieldType, ForeignKeyDef, SHEET_ID, TableDef, Tables, Value, coded, field, opt_num,
    opt_text, required, text,
};

const SERIES_ID: FieldDef = required(field(
    "series_id",
    "系列ID",
    FieldType::String,
    "The series' stable ID (kpi- and 16 hex digits), as in kpi_series.json.",
));

/// `kpi_series`: one row per statement of a KPI series.
pub static KPI_SERIES: TableDef = TableDef {
    name: "kpi_series",
    title: "成果指標の推移",
    description: "One row per statement of a KPI across the reports of the import: each report's actual for each fiscal year (kind actual), and each report's target (kind target). value is the latest report's; restated is true when the reports of that year disagree. See kpi_series.json for the same panel nested.",
    fields: &[
        SERIES_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The row's place in its series, from 1: actuals by fiscal year and report, then targets.",
        )),
        field(
            "department",
            "担当部局",
            FieldType::String,
            "The department of the latest report.",
        ),
        field(
            "policy",
            "施策名",
            FieldType::String,
            "The policy title, or the sheet's heading when it has none.",
        ),
        required(field(
            "basic_project",
            "基本事業名",
            FieldType::String,
            "The basic project's name.",
        )),
        required(field(
            "kpi",
            "成果指標名",
            FieldType::String,
            "The KPI's name.",
        )),
        field(
            "unit",
            "単位",
            FieldType::String,
            "The latest report's unit.",
        ),
        coded(
            required(field(
                "kind",
                "区分",
                FieldType::String,
                "actual (実績) or target (目標値).",
            )),
            &["actual", "target"],
            &["実績", "目標値"],
        ),
        field(
            "fiscal_year",
            "年度",
            FieldType::Integer,
            "The actual's fiscal year; empty for a target.",
        ),
        field(
            "latest_value",
            "最新の値",
            FieldType::Number,
            "The latest report's value for the year (actuals only).",
        ),
        field(
            "restated",
            "訂正あり",
            FieldType::Boolean,
            "Whether the reports of the year disagree (actuals only).",
        ),
        required(field(
            "report_fiscal_year",
            "報告年度",
            FieldType::Integer,
            "The fiscal year of the sheet that stated the value.",
        )),
        field(
            "value",
            "値",
            FieldType::Number,
            "The value this report stated, when a number.",
        ),
        field(
            "raw",
            "原文",
            FieldType::String,
            "The text this report stated.",
        ),
        SHEET_ID,
    ],
    primary_key: &["series_id", "position"],
    foreign_keys: &[ForeignKeyDef {
        fields: &["sheet_id"],
        table: "sheets",
        reference: &["sheet_id"],
    }],
};

impl Tables {
    /// Adds the panel's rows.
    pub fn add_panel(&mut self, panel: &PanelFile) {
        for s in &panel.series {
            let mut position = 0i64;
            let mut row = |tables: &mut Tables, cells: [Value; 8]| {
                position += 1;
                let mut all = vec![
                    Value::Text(s.id.clone()),
                    Value::Int(position),
                    text(&s.department),
                    opt_text(s.policy.as_deref()),
                    text(&s.basic_project),
                    text(&s.kpi),
                    opt_text(s.unit.as_deref()),
                ];
                all.extend(cells);
                tables.push(&KPI_SERIES, s.municipality.as_ref(), all);
            };
            for p in &s.points {
                for r in &p.reports {
                    row(
                        self,
                        [
                            Value::Text("actual".into()),
                            Value::Int(p.fiscal_year.into()),
                            opt_num(p.value),
                            Value::Bool(p.restated),
                            Value::Int(r.report_fiscal_year.into()),
                            opt_num(r.value),
                            Value::Text(r.raw.clone()),
                            Value::Text(r.sheet_id.clone()),
                        ],
                    );
                }
            }
            for t in &s.targets {
                for r in &t.reports {
                    row(
                        self,
                        [
                            Value::Text("target".into()),
                            Value::Null,
                            Value::Null,
                            Value::Null,
                            Value::Int(r.report_fiscal_year.into()),
                            opt_num(t.value),
                            opt_text(t.raw.as_deref()),
                            Value::Text(r.sheet_id.clone()),
                        ],
                    );
                }
            }
        }
    }
}
