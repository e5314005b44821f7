//! The KPI panel across years (`kpi_series.json`).
//!
//! Every year a city publishes its sheets again, and each year's KPI table
//! repeats the earlier years' actuals, sometimes corrected. The panel puts
//! every statement of a KPI side by side: one series per KPI of a
//! municipality, keyed by municipality, policy (or the sheet's heading when
//! it has no policy title), basic project and KPI name, and one point per
//! fiscal year with every report that stated it.
//!
//! The department is not part of the key, so a department renamed between
//! years does not split a series. A sheet without a fiscal year cannot be
//! placed among the reports and is left out of the panel.
//!
//! [`PanelBuilder`] keeps only the KPI values and keys, so an import can
//! feed it sheet by sheet while it streams them to disk.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{
    AssessmentStatus, Direction, Kpi, Municipality, Number, Sheet, TargetBasis, TargetBound,
};

/// The version of the `kpi_series.json` contract.
pub const PANEL_SCHEMA_VERSION: u32 = 2;

/// `kpi_series.json`: every KPI across the reports of one import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "hyoka KPI series file")]
pub struct PanelFile {
    /// Always 2 for this contract.
    #[schemars(range(min = 2, max = 2))]
    pub schema_version: u32,
    /// One series per KPI, ordered by municipality, policy, basic project
    /// and KPI name.
    pub series: Vec<Series>,
    /// Targets, units and baselines that changed between reports.
    pub warnings: Vec<SeriesWarning>,
    /// One series per indicator of a project evaluation (事務事業評価),
    /// ordered by municipality, project code, kind and slot (see
    /// [`crate::project::panel`]).
    pub project_indicators: Vec<crate::project::panel::ProjectIndicatorSeries>,
}

/// One KPI across the years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// A stable identifier derived from the key: `kpi-` and 16 hex digits.
    #[schemars(regex(pattern = r"^kpi-[0-9a-f]{16}$"))]
    pub id: String,
    /// The municipality of the latest report, when the sheets name it.
    pub municipality: Option<Municipality>,
    /// The department of the latest report.
    pub department: String,
    /// The policy title, or the sheet's heading when it has none.
    pub policy: Option<String>,
    /// The basic project (基本事業) name.
    pub basic_project: String,
    /// The KPI (成果指標) name.
    pub kpi: String,
    /// The unit of the latest report.
    pub unit: Option<String>,
    /// The baseline (現状値) of the latest report.
    pub baseline: SeriesBaseline,
    /// Every target stated, in the order first stated; the last is the
    /// latest report's. More than one means the target changed.
    pub targets: Vec<SeriesTarget>,
    /// One point per fiscal year some report gave an actual for, in year
    /// order.
    pub points: Vec<Point>,
    /// Every change of target, unit or baseline between reports.
    pub changes: Vec<Change>,
    /// Which way is better, by the latest report's assessment.
    pub direction: Option<Direction>,
    /// Where the KPI stands by the latest report (see
    /// [`crate::model::Assessment`]).
    pub status: AssessmentStatus,
    /// The fiscal year `status` is for.
    pub status_year: Option<i32>,
}

/// The baseline of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesBaseline {
    /// The year named in the header, else null.
    pub fiscal_year: Option<i32>,
    /// The value, when a number.
    pub value: Option<Number>,
    /// The text as written.
    pub raw: Option<String>,
}

/// A target as stated by one or more reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesTarget {
    /// The value, only when the text is a plain number.
    pub value: Option<Number>,
    /// The text as written.
    pub raw: Option<String>,
    /// `single_year`, `cumulative` or null.
    pub basis: Option<TargetBasis>,
    /// A bound read from the text.
    pub bound: Option<TargetBound>,
    /// The reports that stated this target.
    pub reports: Vec<ReportRef>,
}

/// A sheet that stated something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRef {
    /// The fiscal year the sheet evaluates.
    pub report_fiscal_year: i32,
    /// The sheet.
    pub sheet_id: String,
}

/// The actual of one fiscal year, as every report stated it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// The fiscal year of the actual.
    pub fiscal_year: i32,
    /// The latest report's value.
    pub value: Option<Number>,
    /// The latest report's text.
    pub raw: Option<String>,
    /// Whether the reports disagree (a later sheet corrected the value).
    pub restated: bool,
    /// Every report that stated the year, oldest first.
    pub reports: Vec<PointReport>,
}

/// One report's statement of an actual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointReport {
    /// The fiscal year the sheet evaluates.
    pub report_fiscal_year: i32,
    /// The value, when a number.
    pub value: Option<Number>,
    /// The text as written.
    pub raw: String,
    /// The sheet.
    pub sheet_id: String,
}

/// What changed between two reports of a series.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeField {
    /// The target (value, text or basis).
    Target,
    /// The unit.
    Unit,
    /// The baseline.
    Baseline,
}

impl ChangeField {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeField::Target => "target",
            ChangeField::Unit => "unit",
            ChangeField::Baseline => "baseline",
        }
    }
}

/// A change of target, unit or baseline from one report to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// What changed.
    pub field: ChangeField,
    /// The earlier report's text (null when it stated none).
    pub from: Option<String>,
    /// The later report's text.
    pub to: Option<String>,
    /// The report that changed it.
    pub report_fiscal_year: i32,
    /// Its sheet.
    pub sheet_id: String,
}

/// A change worth a person's look, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesWarning {
    /// `kpi_target_changed`, `kpi_unit_changed` or `kpi_baseline_changed`.
    pub code: String,
    /// What changed, in English.
    pub message: String,
    /// The series.
    pub series_id: String,
    /// The sheet that changed it.
    pub sheet_id: String,
}

/// The JSON Schema (draft 2020-12) of `kpi_series.json`.
pub fn panel_schema() -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let schema = settings
        .into_generator()
        .into_root_schema_for::<PanelFile>();
    serde_json::to_value(schema).expect("a generated schema is valid JSON")
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    /// The municipality's code, else its name.
    municipality: Option<String>,
    policy: Option<String>,
    basic_project: String,
    kpi: String,
    /// 1, or 2, 3, … for a KPI name repeated within one basic project of
    /// a sheet, so two indicators that share a name stay two series.
    occurrence: u32,
}

/// One sheet's statement of a KPI: only what the panel needs.
#[derive(Debug, Clone)]
struct Statement {
    report_fiscal_year: i32,
    /// Input order, so two sheets of one year keep the order they came in.
    seq: u64,
    sheet_id: String,
    department: String,
    municipality: Option<Municipality>,
    unit: Option<String>,
    baseline: SeriesBaseline,
    target: (
        Option<Number>,
        Option<String>,
        Option<TargetBasis>,
        Option<TargetBound>,
    ),
    actuals: Vec<(i32, Option<Number>, String)>,
    direction: Option<Direction>,
    status: AssessmentStatus,
    status_year: Option<i32>,
}

/// Collects KPI statements sheet by sheet and builds the panel.
///
/// ```
/// let mut panel = hyoka::panel::PanelBuilder::new();
/// for path in ["../../fixtures/workbooks/iga-2022-workbook.xlsx", "../../fixtures/years/iga-2023-workbook.xlsx"] {
///     let bytes = std::fs::read(path).unwrap();
///     for sheet in hyoka::read(path, &bytes, &Default::default()).unwrap().sheets {
///         panel.add_sheet(&sheet);
///     }
/// }
/// let file = panel.build();
/// assert!(file.series.iter().any(|s| s.points.len() >= 2)); // KPIs across years
/// ```
#[derive(Debug, Default)]
pub struct PanelBuilder {
    series: BTreeMap<Key, Vec<Statement>>,
    seq: u64,
    projects: crate::project::panel::ProjectPanel,
}

impl PanelBuilder {
    /// An empty panel.
    pub fn new() -> PanelBuilder {
        PanelBuilder::default()
    }

    /// Adds every KPI of a sheet. Sheets without a fiscal year are left
    /// out (they cannot be ordered among the reports).
    pub fn add_sheet(&mut self, sheet: &Sheet) {
        let Some(year) = sheet.fiscal_year else {
            return;
        };
        let municipality = sheet
            .municipality
            .as_ref()
            .and_then(|m| m.code.clone().or_else(|| m.name.clone()));
        let policy = sheet.policy.clone().or_else(|| sheet.heading.clone());
        let mut seen: BTreeMap<(&str, &str), u32> = BTreeMap::new();
        for project in &sheet.basic_projects {
            for kpi in &project.kpis {
                self.seq += 1;
                let occurrence = seen
                    .entry((project.name.as_str(), kpi.name.as_str()))
                    .or_insert(0);
                *occurrence += 1;
                let key = Key {
                    municipality: municipality.clone(),
                    policy: policy.clone(),
                    basic_project: project.name.clone(),
                    kpi: kpi.name.clone(),
                    occurrence: *occurrence,
                };
                let statement = Statement {
                    municipality: sheet.municipality.clone(),
                    ..statement(kpi, year, self.seq, &sheet.id, &sheet.department)
                };
                self.series.entry(key).or_default().push(statement);
            }
        }
    }

    /// Adds every indicator of a project evaluation (evaluations without a
    /// fiscal year are left out).
    pub fn add_project(&mut self, project: &crate::project::ProjectEvaluation) {
        self.projects.add(project);
    }

    /// The project-indicator series gathered so far, built; the builder
    /// keeps the KPI series. Call before [`PanelBuilder::into_pending`] and
    /// set them on the file [`PanelFile::from_series`] makes.
    pub fn take_project_series(&mut self) -> Vec<crate::project::panel::ProjectIndicatorSeries> {
        std::mem::take(&mut self.projects).build()
    }

    /// The panel: series in key order, points in year order, reports
    /// oldest first.
    pub fn build(mut self) -> PanelFile {
        let projects = self.take_project_series();
        let mut file =
            PanelFile::from_series(self.into_pending().into_iter().map(PendingSeries::build));
        file.project_indicators = projects;
        file
    }

    /// The series gathered so far, in key order, each to be built on its
    /// own: what [`PanelBuilder::build`] does one after the other, for a
    /// caller that builds them in parallel and joins them with
    /// [`PanelFile::from_series`].
    ///
    /// ```
    /// use hyoka::panel::{PanelBuilder, PanelFile, PendingSeries};
    ///
    /// let text = include_str!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
    /// let doc = hyoka::read("iga.txt", text.as_bytes(), &hyoka::Options::default())?;
    /// let mut panel = PanelBuilder::new();
    /// for sheet in &doc.sheets {
    ///     panel.add_sheet(sheet);
    /// }
    /// let one_by_one = {
    ///     let mut again = PanelBuilder::new();
    ///     doc.sheets.iter().for_each(|sheet| again.add_sheet(sheet));
    ///     again.build()
    /// };
    /// let pending = panel.into_pending();
    /// let built = PanelFile::from_series(pending.into_iter().map(PendingSeries::build));
    /// assert_eq!(built, one_by_one);
    /// # Ok::<(), hyoka::Error>(())
    /// ```
    pub fn into_pending(self) -> Vec<PendingSeries> {
        self.series
            .into_iter()
            .map(|(key, statements)| PendingSeries { key, statements })
            .collect()
    }
}

/// One KPI's statements, gathered by a [`PanelBuilder`], before they are
/// made a [`Series`].
#[derive(Debug)]
pub struct PendingSeries {
    key: Key,
    statements: Vec<Statement>,
}

impl PendingSeries {
    /// The series, and the warnings on what changed between its reports.
    pub fn build(self) -> (Series, Vec<SeriesWarning>) {
        let PendingSeries {
            key,
            mut statements,
        } = self;
        statements.sort_by_key(|s| (s.report_fiscal_year, s.seq));
        let mut warnings = Vec::new();
        let series = build_series(key, &statements, &mut warnings);
        (series, warnings)
    }
}

impl PanelFile {
    /// The panel of series built from [`PanelBuilder::into_pending`], in
    /// that order, with their warnings in the same order.
    pub fn from_series(built: impl IntoIterator<Item = (Series, Vec<SeriesWarning>)>) -> PanelFile {
        let mut series = Vec::new();
        let mut warnings = Vec::new();
        for (one, changed) in built {
            series.push(one);
            warnings.extend(changed);
        }
        PanelFile {
            schema_version: PANEL_SCHEMA_VERSION,
            series,
            warnings,
            project_indicators: Vec::new(),
        }
    }
}

fn statement(kpi: &Kpi, year: i32, seq: u64, sheet_id: &str, department: &str) -> Statement {
    Statement {
        report_fiscal_year: year,
        seq,
        sheet_id: sheet_id.to_owned(),
        department: department.to_owned(),
        municipality: None,
        unit: kpi.unit.clone(),
        baseline: SeriesBaseline {
            fiscal_year: kpi.baseline.fiscal_year,
            value: kpi.baseline.value,
            raw: kpi.baseline.raw.clone(),
        },
        target: (
            kpi.target.value,
            kpi.target.raw.clone(),
            kpi.target.basis,
            kpi.target.bound.clone(),
        ),
        direction: kpi.assessment.direction,
        status: kpi.assessment.status,
        status_year: kpi.assessment.status_year,
        // An empty cell (a year still to come) is no statement.
        actuals: kpi
            .actuals
            .iter()
            .filter_map(|a| a.raw.clone().map(|raw| (a.fiscal_year, a.value, raw)))
            .collect(),
    }
}

fn series_id(key: &Key) -> String {
    let text = [
        key.municipality.as_deref().unwrap_or(""),
        key.policy.as_deref().unwrap_or(""),
        &key.basic_project,
        &key.kpi,
    ]
    .join("\u{1f}");
    let text = match key.occurrence {
        1 => text,
        n => format!("{text}\u{1f}{n}"),
    };
    format!("kpi-{}", &crate::sha256_hex(text.as_bytes())[..16])
}

/// What makes two stated targets the same one ([`agree`] on value and
/// text, and the same basis), as a hash key.
#[derive(PartialEq, Eq, Hash)]
enum TargetKey {
    /// Values agree when they are equal: the bits of a finite value with
    /// one zero.
    Value(u64, Option<TargetBasis>),
    /// Without a value, the text.
    Text(Option<String>, Option<TargetBasis>),
}

impl TargetKey {
    fn of(t: &SeriesTarget) -> TargetKey {
        match t.value {
            Some(v) => TargetKey::Value((v.get() + 0.0).to_bits(), t.basis),
            None => TargetKey::Text(t.raw.clone(), t.basis),
        }
    }
}

/// How a target reads in a change record and a message.
fn target_text(t: &SeriesTarget) -> Option<String> {
    let basis = match t.basis {
        Some(TargetBasis::SingleYear) => " (single_year)",
        Some(TargetBasis::Cumulative) => " (cumulative)",
        None => "",
    };
    t.raw.as_ref().map(|raw| format!("{raw}{basis}"))
}

/// Whether two statements of a value agree. Forms differ in `raw`
/// (`3,878,604` in text and PDF, `3878604` in a workbook), so statements
/// agree when their values do; text without a value is compared as text.
fn agree<N: PartialEq>(
    a: Option<N>,
    a_raw: Option<&str>,
    b: Option<N>,
    b_raw: Option<&str>,
) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        (None, None) => a_raw == b_raw,
        _ => false,
    }
}

fn build_series(key: Key, statements: &[Statement], warnings: &mut Vec<SeriesWarning>) -> Series {
    let id = series_id(&key);
    let latest = statements.last().expect("a series has a statement");
    let mut targets: Vec<SeriesTarget> = Vec::new();
    // Where each distinct target is in `targets`: a series restated by many
    // reports must not compare each with every target before it.
    let mut target_at: HashMap<TargetKey, usize> = HashMap::new();
    let mut changes = Vec::new();
    let mut points: BTreeMap<i32, Vec<PointReport>> = BTreeMap::new();
    let mut previous: Option<&Statement> = None;
    for s in statements {
        let report = ReportRef {
            report_fiscal_year: s.report_fiscal_year,
            sheet_id: s.sheet_id.clone(),
        };
        let (value, raw, basis, bound) = s.target.clone();
        let stated = SeriesTarget {
            value,
            raw,
            basis,
            bound,
            reports: Vec::new(),
        };
        let same = |t: &SeriesTarget| {
            agree(
                t.value,
                t.raw.as_deref(),
                stated.value,
                stated.raw.as_deref(),
            ) && t.basis == stated.basis
        };
        match target_at.entry(TargetKey::of(&stated)) {
            Entry::Occupied(at) => targets[*at.get()].reports.push(report.clone()),
            Entry::Vacant(at) => {
                at.insert(targets.len());
                let mut t = stated.clone();
                t.reports.push(report.clone());
                targets.push(t);
            }
        }
        if let Some(p) = previous {
            let before = SeriesTarget {
                value: p.target.0,
                raw: p.target.1.clone(),
                basis: p.target.2,
                bound: None,
                reports: Vec::new(),
            };
            if !same(&before) {
                changes.push(Change {
                    field: ChangeField::Target,
                    from: target_text(&before),
                    to: target_text(&stated),
                    report_fiscal_year: s.report_fiscal_year,
                    sheet_id: s.sheet_id.clone(),
                });
            }
            if p.unit != s.unit {
                changes.push(Change {
                    field: ChangeField::Unit,
                    from: p.unit.clone(),
                    to: s.unit.clone(),
                    report_fiscal_year: s.report_fiscal_year,
                    sheet_id: s.sheet_id.clone(),
                });
            }
            if !agree(
                p.baseline.value,
                p.baseline.raw.as_deref(),
                s.baseline.value,
                s.baseline.raw.as_deref(),
            ) {
                changes.push(Change {
                    field: ChangeField::Baseline,
                    from: p.baseline.raw.clone(),
                    to: s.baseline.raw.clone(),
                    report_fiscal_year: s.report_fiscal_year,
                    sheet_id: s.sheet_id.clone(),
                });
            }
        }
        for (year, value, raw) in &s.actuals {
            points.entry(*year).or_default().push(PointReport {
                report_fiscal_year: s.report_fiscal_year,
                value: *value,
                raw: raw.clone(),
                sheet_id: s.sheet_id.clone(),
            });
        }
        previous = Some(s);
    }
    for c in &changes {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        warnings.push(SeriesWarning {
            code: format!("kpi_{}_changed", c.field.as_str()),
            message: format!(
                "KPI {}: the {} changed from {} to {} in the fiscal {} report",
                key.kpi,
                c.field.as_str(),
                show(&c.from),
                show(&c.to),
                c.report_fiscal_year
            ),
            series_id: id.clone(),
            sheet_id: c.sheet_id.clone(),
        });
    }
    let points = points
        .into_iter()
        .map(|(fiscal_year, reports)| {
            let last = reports.last().expect("a point has a report");
            // Forms differ in `raw` (`3,878,604` in text, `3878604` in a
            // workbook), so reports agree when their values do; text
            // without a value is compared as text.
            let restated = reports
                .iter()
                .any(|r| !agree(r.value, Some(&r.raw), last.value, Some(&last.raw)));
            Point {
                fiscal_year,
                value: last.value,
                raw: Some(last.raw.clone()),
                restated,
                reports,
            }
        })
        .collect();
    Series {
        id,
        municipality: latest.municipality.clone(),
        department: latest.department.clone(),
        policy: key.policy,
        basic_project: key.basic_project,
        kpi: key.kpi,
        unit: latest.unit.clone(),
        baseline: latest.baseline.clone(),
        targets,
        points,
        changes,
        direction: latest.direction,
        status: latest.status,
        status_year: latest.status_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actual, Baseline, BasicProject, Improvements, Source, Survey, Target};

    fn n(v: f64) -> Option<Number> {
        Number::new(v)
    }

    fn sheet(year: i32, department: &str, actuals: &[(i32, Option<f64>)], target: f64) -> Sheet {
        Sheet {
            id: format!("s{year}"),
            municipality: Some(Municipality {
                code: Some("242161".into()),
                name: Some("伊賀市".into()),
            }),
            source: Source {
                file: format!("{year}.xlsx"),
                sha256: "0".repeat(64),
                format: crate::model::Format::Xlsx,
                encoding: None,
                worksheet: None,
                ordinal: 1,
                rows: [1, 2],
                pages: None,
            },
            heading: Some("伊賀流自治の視点".into()),
            department: department.into(),
            department_label: "主担当部局".into(),
            policy: None,
            fiscal_year: Some(year),
            directions: vec![],
            basic_projects: vec![BasicProject {
                description_mentions: Vec::new(),
                id: format!("s{year}-1"),
                number: 1,
                name: "広聴機能".into(),
                description: None,
                activities: vec![],
                kpis: vec![Kpi {
                    id: format!("s{year}-1-1"),
                    name: "意見件数".into(),
                    description: None,
                    unit: Some("件".into()),
                    baseline: Baseline {
                        fiscal_year: None,
                        value: n(769.0),
                        raw: Some("769".into()),
                    },
                    actuals: actuals
                        .iter()
                        .map(|(y, v)| Actual {
                            fiscal_year: *y,
                            value: v.and_then(Number::new),
                            raw: v.map(|v| v.to_string()),
                        })
                        .collect(),
                    target: Target {
                        value: n(target),
                        raw: Some(target.to_string()),
                        basis: Some(TargetBasis::SingleYear),
                        bound: None,
                    },
                    assessment: Default::default(),
                }],
                effects: vec![],
                issues: vec![],
                improvements: Improvements::default(),
                progress: None,
            }],
            survey: Survey::default(),
            warnings: vec![],
        }
    }

    #[test]
    fn years_line_up_and_corrections_are_restated() {
        let mut b = PanelBuilder::new();
        // Given newest first: the panel orders reports by fiscal year.
        b.add_sheet(&sheet(
            2023,
            "総務部",
            &[
                (2021, Some(958.0)),
                (2022, Some(969.0)),
                (2023, Some(1002.0)),
            ],
            1000.0,
        ));
        b.add_sheet(&sheet(
            2022,
            "総務局",
            &[(2021, Some(956.0)), (2022, Some(969.0)), (2023, None)],
            900.0,
        ));
        let panel = b.build();
        assert_eq!(panel.series.len(), 1, "a renamed department does not split");
        let s = &panel.series[0];
        assert_eq!(s.department, "総務部");
        let p: Vec<(i32, Option<Number>, bool, usize)> = s
            .points
            .iter()
            .map(|p| (p.fiscal_year, p.value, p.restated, p.reports.len()))
            .collect();
        assert_eq!(
            p,
            [
                (2021, n(958.0), true, 2),
                (2022, n(969.0), false, 2),
                (2023, n(1002.0), false, 1)
            ]
        );
        assert_eq!(s.points[0].reports[0].sheet_id, "s2022");
        assert_eq!(s.targets.len(), 2);
        assert_eq!(s.targets[1].value, n(1000.0));
        assert_eq!(s.changes.len(), 1);
        assert_eq!(panel.warnings[0].code, "kpi_target_changed");
        assert!(s.id.starts_with("kpi-"));
    }

    #[test]
    fn unit_and_baseline_changes_are_recorded() {
        let mut b = PanelBuilder::new();
        b.add_sheet(&sheet(2022, "総務部", &[(2021, Some(956.0))], 900.0));
        let mut later = sheet(2023, "総務部", &[(2021, Some(956.0))], 900.0);
        let kpi = &mut later.basic_projects[0].kpis[0];
        kpi.unit = Some("回".into());
        kpi.baseline.value = n(770.0);
        kpi.baseline.raw = Some("770".into());
        b.add_sheet(&later);
        let panel = b.build();
        let s = &panel.series[0];
        let fields: Vec<ChangeField> = s.changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, [ChangeField::Unit, ChangeField::Baseline]);
        assert_eq!(s.unit.as_deref(), Some("回"));
        assert_eq!(s.changes[0].from.as_deref(), Some("件"));
        let codes: Vec<&str> = panel.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["kpi_unit_changed", "kpi_baseline_changed"]);
        assert!(!s.points[0].restated);
    }

    #[test]
    fn a_sheet_without_a_fiscal_year_is_left_out() {
        let mut b = PanelBuilder::new();
        let mut undated = sheet(2022, "総務部", &[(2021, Some(1.0))], 900.0);
        undated.fiscal_year = None;
        b.add_sheet(&undated);
        assert!(b.build().series.is_empty());
    }

    #[test]
    fn the_same_sheet_in_two_forms_agrees_with_itself() {
        let mut b = PanelBuilder::new();
        let text = sheet(2022, "総務部", &[(2021, Some(3_878_604.0))], 900.0);
        let mut workbook = text.clone();
        workbook.basic_projects[0].kpis[0].actuals[0].raw = Some("3,878,604".into());
        b.add_sheet(&text);
        b.add_sheet(&workbook);
        let panel = b.build();
        let p = &panel.series[0].points[0];
        assert_eq!(p.reports.len(), 2);
        assert!(!p.restated, "forms differ in raw, not in value");
        assert!(panel.warnings.is_empty());
        // Targets and baselines too: `91,038` in a PDF is `91038` in the
        // workbook, one target and no change.
        let mut b = PanelBuilder::new();
        let mut pdf = text.clone();
        pdf.basic_projects[0].kpis[0].target.raw = Some("900".into());
        pdf.basic_projects[0].kpis[0].baseline.raw = Some("7,690".into());
        let mut book = text.clone();
        book.basic_projects[0].kpis[0].target.raw = Some("900.0".into());
        book.basic_projects[0].kpis[0].baseline.raw = Some("7690".into());
        for k in [&mut pdf, &mut book] {
            k.basic_projects[0].kpis[0].baseline.value = Some(Number::new(7690.0).unwrap());
        }
        b.add_sheet(&pdf);
        b.add_sheet(&book);
        let panel = b.build();
        assert_eq!(
            panel.series[0].targets.len(),
            1,
            "{:?}",
            panel.series[0].targets
        );
        assert!(
            panel.series[0].changes.is_empty(),
            "{:?}",
            panel.series[0].changes
        );
        assert!(panel.warnings.is_empty());
    }

    #[test]
    fn two_kpis_sharing_a_name_stay_two_series() {
        let mut b = PanelBuilder::new();
        let mut twice = sheet(2022, "総務部", &[(2021, Some(1.0))], 900.0);
        let mut second = twice.basic_projects[0].kpis[0].clone();
        second.actuals[0].value = n(50.0);
        second.actuals[0].raw = Some("50".into());
        twice.basic_projects[0].kpis.push(second);
        b.add_sheet(&twice);
        let panel = b.build();
        assert_eq!(panel.series.len(), 2);
        assert_ne!(panel.series[0].id, panel.series[1].id);
        assert!(panel.series.iter().all(|s| !s.points[0].restated));
    }
}
