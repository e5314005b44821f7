//! The KPI panel across years: Iga City's fiscal-2022 workbook and the
//! same workbook moved on to 2023 and 2024 (`fixtures/years/make_years.py`
//! says what changed), imported together.

mod support;

use serde_json::Value;
use support::{assert_golden, department, import, json};

const YEARS: [&str; 3] = [
    "fixtures/workbooks/iga-2022-workbook.xlsx",
    "fixtures/years/iga-2023-workbook.xlsx",
    "fixtures/years/iga-2024-workbook.xlsx",
];

fn panel() -> (tempfile::TempDir, Value) {
    let out = tempfile::tempdir().unwrap();
    let run = import(&YEARS, out.path(), &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let panel = json(&out.path().join("kpi_series.json"));
    (out, panel)
}

fn series<'a>(panel: &'a Value, kpi: &str) -> &'a Value {
    let found: Vec<&Value> = panel["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kpi"] == kpi)
        .collect();
    assert_eq!(found.len(), 1, "{kpi}");
    found[0]
}

fn point(series: &Value, year: i64) -> &Value {
    series["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["fiscal_year"] == year)
        .unwrap_or_else(|| panic!("no {year} point"))
}

#[test]
fn three_years_golden() {
    let (out, _) = panel();
    assert_golden("years-iga", out.path());
}

#[test]
fn new_actuals_come_from_the_latest_report() {
    let (_, panel) = panel();
    let s = series(&panel, "市ホームページで寄せられた意見件数");
    let values: Vec<(i64, i64)> = s["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["fiscal_year"].as_i64().unwrap(),
                p["value"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [(2021, 958), (2022, 969), (2023, 1012), (2024, 1050)]
    );
    let p2024 = point(s, 2024);
    assert_eq!(p2024["restated"], false);
    assert_eq!(p2024["reports"].as_array().unwrap().len(), 1);
    assert_eq!(p2024["reports"][0]["report_fiscal_year"], 2024);
}

#[test]
fn a_corrected_actual_is_restated_with_every_report() {
    let (_, panel) = panel();
    let p = point(series(&panel, "市ホームページで寄せられた意見件数"), 2021);
    assert_eq!(p["restated"], true);
    assert_eq!(p["value"], 958);
    let reports: Vec<(i64, i64)> = p["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["report_fiscal_year"].as_i64().unwrap(),
                r["value"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(reports, [(2022, 956), (2023, 958), (2024, 958)]);
    // A value repeated unchanged is not restated.
    let p = point(series(&panel, "市ホームページで寄せられた意見件数"), 2022);
    assert_eq!(p["restated"], false);
    // A decimal corrected in the third year only.
    let p = point(series(&panel, "実質公債費比率"), 2022);
    assert_eq!(p["restated"], true);
    assert_eq!(p["value"], 9.6);
    assert_eq!(p["reports"][0]["raw"], "9.4");
    assert_eq!(p["reports"][2]["raw"], "9.6");
}

#[test]
fn a_changed_target_is_recorded_with_a_warning() {
    let (_, panel) = panel();
    let s = series(&panel, "市ホームページ アクセス数");
    let targets = s["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0]["value"], 4200000);
    assert_eq!(targets[0]["reports"][0]["report_fiscal_year"], 2022);
    assert_eq!(targets[1]["value"], 5000000);
    let years: Vec<&Value> = targets[1]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["report_fiscal_year"])
        .collect();
    assert_eq!(years, [2023, 2024]);
    assert_eq!(s["changes"][0]["field"], "target");
    assert_eq!(s["changes"][0]["report_fiscal_year"], 2023);
    let warnings = panel["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "kpi_target_changed");
    assert_eq!(warnings[0]["series_id"], s["id"]);
    // Unchanged targets are stated once, by every report.
    let s = series(&panel, "市ホームページで寄せられた意見件数");
    assert_eq!(s["targets"].as_array().unwrap().len(), 1);
    assert_eq!(s["targets"][0]["reports"].as_array().unwrap().len(), 3);
}

#[test]
fn a_renamed_department_does_not_split_a_series() {
    let (out, panel) = panel();
    assert!(department(out.path(), "デジタル推進局").exists());
    assert!(department(out.path(), "デジタル自治推進局").exists());
    let s = series(&panel, "オンラインで申請可能な行政手続きの数");
    assert_eq!(s["department"], "デジタル推進局");
    assert_eq!(point(s, 2021)["reports"].as_array().unwrap().len(), 3);
    assert_eq!(panel["series"].as_array().unwrap().len(), 15);
}

#[test]
fn the_panel_is_listed_in_the_index() {
    let (out, _) = panel();
    let index = json(&out.path().join("index.json"));
    assert_eq!(index["files"][0]["file"], "kpi_series.json");
    let bytes = std::fs::read(out.path().join("kpi_series.json")).unwrap();
    assert_eq!(index["files"][0]["sha256"], hyoka::sha256_hex(&bytes));
}

#[test]
fn the_panel_does_not_depend_on_input_order() {
    let (_, forward) = panel();
    let out = tempfile::tempdir().unwrap();
    let reversed: Vec<&str> = YEARS.iter().rev().copied().collect();
    assert!(import(&reversed, out.path(), &[]).status.success());
    let backward = json(&out.path().join("kpi_series.json"));
    assert_eq!(forward, backward);
}

#[test]
fn the_csv_package_has_the_panel_as_a_table() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&YEARS, out.path(), &["--csv", "--csv-headers", "en"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(out.path().join("csv/kpi_series.csv")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[col("kpi")] == "市ホームページで寄せられた意見件数")
        .collect();
    let y2021: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .filter(|r| r[col("kind")] == "actual" && r[col("fiscal_year")] == "2021")
        .map(|r| {
            (
                r[col("report_fiscal_year")],
                r[col("value")],
                r[col("latest_value")],
                r[col("restated")],
            )
        })
        .collect();
    assert_eq!(
        y2021,
        [
            ("2022", "956", "958", "true"),
            ("2023", "958", "958", "true"),
            ("2024", "958", "958", "true")
        ]
    );
    let package = json(&out.path().join("datapackage.json"));
    assert!(
        package["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "kpi_series")
    );
}
