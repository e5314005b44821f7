//! Project indicators across the evaluations of an import: the part of the
//! KPI panel (`kpi_series.json`, `project_indicators`) that the project
//! evaluations feed.
//!
//! Every year's list repeats the earlier years' values (大船渡's 令和7 list
//! holds 令和2..令和7), sometimes corrected. One series per indicator of a
//! project, keyed by municipality, project code (or name, when there is no
//! code), kind and slot; one point per fiscal year with every evaluation
//! that stated it. The indicator's name is not in the key: a renamed
//! indicator stays one series.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Municipality, Number};
use crate::project::{IndicatorKind, ProjectEvaluation};

/// One indicator of a project across the evaluations of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectIndicatorSeries {
    /// A stable identifier derived from the key: `pi-` and 16 hex digits.
    #[schemars(regex(pattern = r"^pi-[0-9a-f]{16}$"))]
    pub id: String,
    /// The municipality of the latest evaluation.
    pub municipality: Option<Municipality>,
    /// The department of the latest evaluation.
    pub department: Option<String>,
    /// The project's code.
    pub project_code: Option<String>,
    /// The project's name in the latest evaluation.
    pub project_name: String,
    /// Activity, target or outcome.
    pub kind: IndicatorKind,
    /// The slot (ア..ス).
    pub slot: String,
    /// The indicator's name in the latest evaluation.
    pub name: Option<String>,
    /// The unit in the latest evaluation.
    pub unit: Option<String>,
    /// One point per fiscal year some evaluation stated, in year order.
    pub points: Vec<ProjectPoint>,
}

/// One fiscal year of a project indicator, as every evaluation stated it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPoint {
    /// The fiscal year of the value.
    pub fiscal_year: i32,
    /// The latest evaluation's value.
    pub value: Option<Number>,
    /// The latest evaluation's text.
    pub raw: Option<String>,
    /// Whether the evaluations disagree on the value.
    pub restated: bool,
    /// Every evaluation that stated the year, oldest first.
    pub reports: Vec<ProjectPointReport>,
}

/// One evaluation's statement of a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPointReport {
    /// The evaluation year.
    pub report_fiscal_year: i32,
    /// The value, when a number.
    pub value: Option<Number>,
    /// The text as written.
    pub raw: String,
    /// The project evaluation.
    pub project_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    municipality: Option<String>,
    project: String,
    kind: IndicatorKind,
    slot: String,
}

#[derive(Debug, Clone)]
struct Statement {
    report_fiscal_year: i32,
    seq: u64,
    project_id: String,
    municipality: Option<Municipality>,
    department: Option<String>,
    code: Option<String>,
    project_name: String,
    name: Option<String>,
    unit: Option<String>,
    values: Vec<(i32, Option<Number>, String)>,
}

/// The project indicators gathered so far.
#[derive(Debug, Default)]
pub(crate) struct ProjectPanel {
    series: BTreeMap<Key, Vec<Statement>>,
    seq: u64,
}

impl ProjectPanel {
    /// Adds every indicator of an evaluation with a fiscal year.
    pub(crate) fn add(&mut self, p: &ProjectEvaluation) {
        let Some(year) = p.fiscal_year else {
            return;
        };
        let municipality = p
            .municipality
            .as_ref()
            .and_then(|m| m.code.clone().or_else(|| m.name.clone()));
        let project = match &p.project.code {
            Some(code) => format!("code:{code}"),
            None => format!("name:{}", p.project.name),
        };
        for ind in &p.indicators {
            self.seq += 1;
            let values = ind
                .values
                .iter()
                .filter_map(|v| Some((v.fiscal_year?, v.value, v.raw.clone()?)))
                .collect();
            let key = Key {
                municipality: municipality.clone(),
                project: project.clone(),
                kind: ind.kind,
                slot: ind.slot.clone(),
            };
            self.series.entry(key).or_default().push(Statement {
                report_fiscal_year: year,
                seq: self.seq,
                project_id: p.id.clone(),
                municipality: p.municipality.clone(),
                department: p.department.clone(),
                code: p.project.code.clone(),
                project_name: p.project.name.clone(),
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                values,
            });
        }
    }

    /// The series in key order, points in year order, reports oldest first.
    pub(crate) fn build(self) -> Vec<ProjectIndicatorSeries> {
        self.series
            .into_iter()
            .map(|(key, mut statements)| {
                statements.sort_by_key(|s| (s.report_fiscal_year, s.seq));
                let id_key = format!(
                    "hyoka-project-indicator-v1\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                    key.municipality.as_deref().unwrap_or(""),
                    key.project,
                    key.kind.as_str(),
                    key.slot
                );
                let id = format!("pi-{}", &crate::sha256_hex(id_key.as_bytes())[..16]);
                let mut points: BTreeMap<i32, Vec<ProjectPointReport>> = BTreeMap::new();
                for s in &statements {
                    for (year, value, raw) in &s.values {
                        points.entry(*year).or_default().push(ProjectPointReport {
                            report_fiscal_year: s.report_fiscal_year,
                            value: *value,
                            raw: raw.clone(),
                            project_id: s.project_id.clone(),
                        });
                    }
                }
                let latest = statements.last().expect("a series has a statement");
                ProjectIndicatorSeries {
                    id,
                    municipality: latest.municipality.clone(),
                    department: latest.department.clone(),
                    project_code: latest.code.clone(),
                    project_name: latest.project_name.clone(),
                    kind: key.kind,
                    slot: key.slot,
                    name: latest.name.clone(),
                    unit: latest.unit.clone(),
                    points: points
                        .into_iter()
                        .map(|(fiscal_year, reports)| {
                            let last = reports.last().expect("a point has a report");
                            // Compared by value: `raw` differs between forms.
                            let restated = reports.iter().any(|r| r.value != last.value);
                            ProjectPoint {
                                fiscal_year,
                                value: last.value,
                                raw: Some(last.raw.clone()),
                                restated,
                                reports,
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::grid::{Cell, Grid, Row};
    use crate::panel::PanelBuilder;
    use crate::{Reading, Worksheet, model::Format};

    /// A list of one project with `活動指標ア` in two yearly blocks.
    fn list(year: &str, values: [&str; 2]) -> Vec<crate::project::ProjectEvaluation> {
        let header = [
            "年度",
            "事務事業ID",
            "事務事業名",
            "部課名",
            "⑤活動指標\nア:名称",
            "⑤活動指標\nア",
            "⑤活動指標\nア",
        ];
        let row = [
            year,
            "0086",
            "事業",
            "総務部総務課",
            "回数",
            values[0],
            values[1],
        ];
        let rows = [header, row]
            .iter()
            .enumerate()
            .map(|(i, r)| Row::new(i as u32 + 1, r.iter().map(|c| Cell::text(c)).collect()))
            .collect();
        let reading = Reading {
            format: Format::Xlsx,
            encoding: None,
            worksheets: vec![Worksheet {
                name: Some("一覧".into()),
                grid: Some(Grid { rows }),
                warnings: vec![],
            }],
            warnings: vec![],
        };
        crate::parse_reading("l.xlsx", b"", reading, &Default::default()).project_evaluations
    }

    #[test]
    fn evaluations_of_two_years_make_one_series_with_restated_years() {
        let mut panel = PanelBuilder::new();
        // 令和6: 2023 = 5, 2024 = 6; 令和7: 2024 = 7 (corrected), 2025 = 8.
        for p in list("6", ["5", "6"]).iter().chain(&list("7", ["7", "8"])) {
            panel.add_project(p);
        }
        let file = panel.build();
        let [series] = &file.project_indicators[..] else {
            panic!("{:?}", file.project_indicators);
        };
        assert!(series.id.starts_with("pi-"));
        let points: Vec<_> = series
            .points
            .iter()
            .map(|p| {
                (
                    p.fiscal_year,
                    p.value.map(|v| v.get()),
                    p.restated,
                    p.reports.len(),
                )
            })
            .collect();
        assert_eq!(
            points,
            [
                (2023, Some(5.0), false, 1),
                (2024, Some(7.0), true, 2),
                (2025, Some(8.0), false, 1)
            ]
        );
    }
}
