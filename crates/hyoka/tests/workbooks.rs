//! Workbooks read directly: `.xlsx`, `.xls` and `.ods` give the same records
//! as the converter text, stacked sheets are split, every kind of cell is
//! handled deliberately, and a broken workbook fails alone.
//!
//! The fixtures and how each was made: `fixtures/workbooks/make_fixtures.py`.

mod support;

use hyoka::model::{Format, Sheet};
use hyoka::output::{InputStatus, WorksheetEntry};
use hyoka::warning::WarningCode;
use serde_json::Value;
use support::{differences, root};

fn read(path: &str) -> hyoka::Document {
    let bytes = std::fs::read(root().join(path)).unwrap();
    hyoka::read(path, &bytes, &Default::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const IGA_TEXT: &str = "fixtures/iga/000_46863bf7e879b4fa.txt";

const IGA_XLSX: &str = "fixtures/workbooks/iga-2022-workbook.xlsx";

/// A sheet as JSON without the fields that differ by form: `source` and
/// the warnings (the converter text needs repairs the workbook does not).
/// The policy title is dropped where only the workbook has one, and the
/// municipality, which only the workbook's cover worksheet names. IDs stay:
/// they must agree across forms.
fn comparable(sheet: &Sheet, keep_policy: bool) -> Value {
    let mut value = serde_json::to_value(sheet).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("source");
    object.remove("warnings");
    object.remove("municipality");
    if !keep_policy {
        object.remove("policy");
    }
    value
}

#[test]
fn iga_workbook_gives_the_records_of_the_converter_text() {
    let text = read(IGA_TEXT);
    let workbook = read(IGA_XLSX);
    assert_eq!(workbook.format, Format::Xlsx);
    assert_eq!(text.sheets.len(), 5);
    assert_eq!(workbook.sheets.len(), 5);
    let mut diffs = Vec::new();
    for (i, (t, w)) in text.sheets.iter().zip(&workbook.sheets).enumerate() {
        let keep_policy = t.policy.is_some() || w.policy.is_none();
        differences(
            &comparable(t, keep_policy),
            &comparable(w, keep_policy),
            &format!("sheet {}", i + 1),
            &mut diffs,
        );
    }
    assert!(diffs.is_empty(), "differences:\n{}", diffs.join("\n"));

    // The accepted raw differences are real: the comparison above needed them.
    let total = |d: &hyoka::Document| -> Value {
        serde_json::to_value(&d.sheets[0].basic_projects[1].kpis[0].baseline).unwrap()
    };
    assert_eq!(total(&text)["raw"], "3,878,604");
    assert_eq!(total(&workbook)["raw"], "3878604");
    assert_eq!(total(&workbook)["value"], 3878604);

    // The workbook's CHECK② columns are explicit: nothing is inferred, and
    // a reused year header is the template's normal form.
    // (The figures' cross-check, progress_inconsistent, is no repair.)
    for sheet in &workbook.sheets {
        for w in &sheet.warnings {
            assert!(
                matches!(
                    w.code,
                    WarningCode::MunicipalityFromDocument | WarningCode::ProgressInconsistent
                ),
                "{w}"
            );
        }
    }
}

#[test]
fn worksheets_are_listed_and_sheets_numbered_across_the_file() {
    let doc = read(IGA_XLSX);
    let entry = |name: &str, status, sheets| WorksheetEntry {
        name: name.into(),
        status,
        sheets,
    };
    assert_eq!(
        doc.worksheets,
        [
            entry("表紙", InputStatus::Skipped, 0),
            entry("リスト", InputStatus::Skipped, 0),
            entry("施策1", InputStatus::Ok, 1),
            entry("施策2", InputStatus::Ok, 1),
            entry("施策3", InputStatus::Ok, 1),
            entry("施策4", InputStatus::Ok, 1),
            entry("施策5", InputStatus::Ok, 1),
        ]
    );
    let places: Vec<(Option<&str>, u32, [u32; 2])> = doc
        .sheets
        .iter()
        .map(|s| {
            (
                s.source.worksheet.as_deref(),
                s.source.ordinal,
                s.source.rows,
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (Some("施策1"), 1, [1, 38]),
            (Some("施策2"), 2, [1, 48]),
            (Some("施策3"), 3, [1, 38]),
            (Some("施策4"), 4, [1, 37]),
            (Some("施策5"), 5, [1, 38]),
        ]
    );
    assert!(doc.sheets.iter().all(|s| s.source.encoding.is_none()));
    // 施策2's second KPI of project 1 (values in row 17) reuses the year
    // header of row 13: the template's normal form, not a warning. The one
    // warning is the city's name, read off the cover worksheet.
    let codes: Vec<WarningCode> = doc.sheets[1].warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [WarningCode::MunicipalityFromDocument]);
    let kpi = &doc.sheets[1].basic_projects[0].kpis[1];
    assert_eq!(kpi.actuals.len(), 4);
}

#[test]
fn xls_and_ods_saved_by_a_spreadsheet_program_give_the_same_records() {
    let xlsx = read(IGA_XLSX);
    for (path, format) in [
        ("fixtures/workbooks/iga-2022-workbook.xls", Format::Xls),
        ("fixtures/workbooks/iga-2022-workbook.ods", Format::Ods),
    ] {
        let other = read(path);
        assert_eq!(other.format, format);
        assert_eq!(other.worksheets, xlsx.worksheets, "{path}");
        assert_eq!(other.sheets.len(), xlsx.sheets.len(), "{path}");
        for (a, b) in xlsx.sheets.iter().zip(&other.sheets) {
            assert_eq!(b.source.format, format);
            assert_eq!(
                (&a.source.worksheet, a.source.ordinal, a.source.rows),
                (&b.source.worksheet, b.source.ordinal, b.source.rows),
                "{path}"
            );
            let strip = |s: &Sheet| {
                let mut v = serde_json::to_value(s).unwrap();
                v.as_object_mut().unwrap().remove("source");
                v
            };
            assert_eq!(strip(a), strip(b), "{path}: {:?}", b.source.worksheet);
        }
    }
}

#[test]
fn two_sheets_stacked_on_one_worksheet_are_split() {
    let stacked = read("fixtures/workbooks/stacked.xlsx");
    let single = read(IGA_XLSX);
    assert_eq!(
        stacked.worksheets,
        [WorksheetEntry {
            name: "施策1・2".into(),
            status: InputStatus::Ok,
            sheets: 2,
        }]
    );
    assert_eq!(stacked.sheets.len(), 2);
    // 施策2 was placed 40 rows down (38 rows of 施策1, two empty rows).
    for (i, offset) in [(0usize, 0u32), (1, 40)] {
        let (s, one) = (&stacked.sheets[i], &single.sheets[i]);
        assert_eq!(s.source.worksheet.as_deref(), Some("施策1・2"));
        assert_eq!(s.source.ordinal, i as u32 + 1);
        assert_eq!(
            s.source.rows,
            [one.source.rows[0] + offset, one.source.rows[1] + offset]
        );
        assert_eq!(comparable(s, true), comparable(one, true));
        // The single workbook's cover names its city; the stacked one has no cover.
        let rows = |sheet: &Sheet| -> Vec<(WarningCode, Option<u32>)> {
            sheet
                .warnings
                .iter()
                .filter(|w| w.code != WarningCode::MunicipalityFromDocument)
                .map(|w| (w.code, w.row))
                .collect()
        };
        let shifted: Vec<_> = rows(one)
            .into_iter()
            .map(|(c, r)| (c, r.map(|r| r + offset)))
            .collect();
        assert_eq!(rows(s), shifted);
    }
}

/// The odd-cells fixture: a template with a margin column A that starts at
/// row 3, with numbers stored as text, full-width digits, labels merged over
/// three columns, formulas with cached values, a date, a boolean, #DIV/0!
/// and #N/A.
#[test]
fn every_kind_of_cell_is_handled_deliberately() {
    let doc = read("fixtures/workbooks/odd-cells.xlsx");
    let names: Vec<(&str, InputStatus)> = doc
        .worksheets
        .iter()
        .map(|w| (w.name.as_str(), w.status))
        .collect();
    assert_eq!(
        names,
        [
            ("表紙", InputStatus::Skipped),
            ("施策1", InputStatus::Ok),
            ("リスト", InputStatus::Skipped),
        ]
    );
    let sheet = serde_json::to_value(&doc.sheets[0]).unwrap();
    // Rows are worksheet rows: the used range starts at row 3.
    assert_eq!(sheet["source"]["rows"], serde_json::json!([3, 39]));
    // The heading in column B (column A is a margin) starts the sheet; the
    // policy title is captured; the department sits right of a label merged
    // over B5:D5.
    assert_eq!(sheet["heading"], "伊賀流自治の視点");
    assert_eq!(sheet["policy"], "広聴・広報の充実");
    assert_eq!(sheet["department"], "総務部");
    assert_eq!(sheet["fiscal_year"], 2022);
    // A line break inside the directions cell separates items.
    assert_eq!(
        sheet["directions"],
        serde_json::json!(["広聴機能を充実させます。", "情報発信力を強化します。"])
    );
    let projects = sheet["basic_projects"].as_array().unwrap();
    let numbers: Vec<&Value> = projects.iter().map(|p| &p["number"]).collect();
    // 1.0 stored as a number, `２` as full-width text, 3 as a number.
    assert_eq!(numbers, [1, 2, 3]);
    // The line break splits name and description.
    assert_eq!(projects[0]["name"], "広聴機能");
    assert_eq!(
        projects[0]["description"],
        "現在運用中の広聴手法を活用します。"
    );

    let kpi = |p: usize| &projects[p]["kpis"][0];
    let value = |v: &Value| (v["value"].clone(), v["raw"].clone());
    // Project 1: `成果指標` merged over E:G; year headers stored as the
    // numbers 2021 and 2022; `769` stored as text, `９５６` as full-width
    // text, 969 computed by a formula.
    assert_eq!(kpi(0)["name"], "市ホームページで寄せられた意見件数");
    let years: Vec<&Value> = kpi(0)["actuals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["fiscal_year"])
        .collect();
    assert_eq!(years, [2021, 2022, 2023, 2024]);
    assert_eq!(value(&kpi(0)["baseline"]), (769.into(), "769".into()));
    assert_eq!(value(&kpi(0)["actuals"][0]), (956.into(), "956".into()));
    assert_eq!(value(&kpi(0)["actuals"][1]), (969.into(), "969".into()));
    // Project 2: full-width digits with commas; #DIV/0!, a date and a
    // boolean keep their text in raw with a null value; a computed target.
    assert_eq!(
        value(&kpi(1)["baseline"]),
        (3_878_604.into(), "3,878,604".into())
    );
    assert_eq!(
        value(&kpi(1)["actuals"][0]),
        (Value::Null, "#DIV/0!".into())
    );
    assert_eq!(
        value(&kpi(1)["actuals"][1]),
        (Value::Null, "2023-03-31".into())
    );
    assert_eq!(value(&kpi(1)["actuals"][2]), (Value::Null, "TRUE".into()));
    assert_eq!(
        value(&kpi(1)["target"]),
        (4_620_000.into(), "4620000".into())
    );
    // Project 3: fractions as spreadsheets show them (15 significant
    // digits: 0.1+0.2 is 0.3), a dash, a text target with a bound.
    assert_eq!(
        value(&kpi(2)["baseline"]),
        (66.6666666666667.into(), "66.6666666666667".into())
    );
    assert_eq!(value(&kpi(2)["actuals"][0]), (0.3.into(), "0.3".into()));
    assert_eq!(value(&kpi(2)["actuals"][1]), (Value::Null, "—".into()));
    assert_eq!(kpi(2)["target"]["bound"]["comparison"], "at_least");
    // Text from a formula, with a line break between items.
    let activities: Vec<&Value> = projects[2]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["text"])
        .collect();
    assert_eq!(activities, ["研修の実施", "マニュアルの周知"]);
    // CHECK②: the project number `1` stored as text; progress computed by a
    // formula from the hidden list worksheet; #N/A in a text cell reads as
    // empty; a formula's empty text and its `0` are no items.
    assert_eq!(projects[0]["progress"]["text"], "計画通り進めている");
    assert_eq!(projects[0]["effects"][0]["text"], "意見件数が増加した。");
    assert_eq!(projects[1]["effects"], serde_json::json!([]));
    assert_eq!(projects[1]["progress"]["code"], "slightly_behind");
    assert_eq!(projects[2]["effects"], serde_json::json!([]));
    assert_eq!(projects[2]["issues"], serde_json::json!([]));
    assert_eq!(projects[2]["progress"]["code"], "on_track");

    let warnings: Vec<(WarningCode, Option<u32>, Option<u32>)> = doc.sheets[0]
        .warnings
        .iter()
        .map(|w| (w.code, w.row, w.column))
        .collect();
    assert_eq!(
        warnings,
        [
            (WarningCode::CellError, Some(16), Some(9)),
            (WarningCode::CellTypeUnexpected, Some(16), Some(10)),
            (WarningCode::CellTypeUnexpected, Some(16), Some(11)),
            (WarningCode::CellError, Some(34), Some(4)),
        ]
    );
}

#[test]
fn formulas_never_computed_are_warned_about() {
    let doc = read("fixtures/workbooks/odd-cells-uncomputed.xlsx");
    let sheet = &doc.sheets[0];
    let uncomputed: Vec<(u32, u32)> = sheet
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::FormulaNotComputed)
        .map(|w| (w.row.unwrap(), w.column.unwrap()))
        .collect();
    assert_eq!(
        uncomputed,
        [
            (12, 10),
            (16, 9),
            (16, 13),
            (17, 4),
            (20, 8),
            (20, 9),
            (32, 6),
            (34, 4),
            (36, 4),
            (36, 6),
            (37, 4)
        ]
    );
    assert!(
        sheet.warnings[0]
            .message
            .starts_with("施策1!J12 holds a formula")
    );
    let kpi = &sheet.basic_projects[0].kpis[0];
    assert_eq!((kpi.actuals[1].value, &kpi.actuals[1].raw), (None, &None));
    assert!(sheet.basic_projects[0].progress.is_none());
}

#[test]
fn a_workbook_is_read_by_its_content_not_its_name() {
    let bytes = std::fs::read(root().join(IGA_XLSX)).unwrap();
    let doc = hyoka::read("renamed.xls", &bytes, &Default::default()).unwrap();
    assert_eq!(doc.format, Format::Xlsx);
    assert_eq!(doc.sheets.len(), 5);
    assert_eq!(doc.sheets[0].source.format, Format::Xlsx);
}

#[test]
fn a_cut_short_xls_is_named_incomplete() {
    let bytes = std::fs::read(root().join("fixtures/workbooks/iga-2022-workbook.xls")).unwrap();
    let err = hyoka::read("cut.xls", &bytes[..30_000], &Default::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the xls workbook is incomplete: its 30000 bytes"),
        "{err}"
    );
}

/// Damaged workbooks of every format, cut short or with bytes changed,
/// give an error or a document, never a panic.
#[test]
fn damaged_workbooks_never_panic() {
    for path in [
        IGA_XLSX,
        "fixtures/workbooks/iga-2022-workbook.xls",
        "fixtures/workbooks/iga-2022-workbook.ods",
    ] {
        let bytes = std::fs::read(root().join(path)).unwrap();
        for k in 1..16 {
            let cut = &bytes[..bytes.len() * k / 16];
            let _ = hyoka::read(path, cut, &Default::default());
            let mut flipped = bytes.clone();
            let at = bytes.len() * k / 16;
            for b in &mut flipped[at..(at + 64).min(bytes.len())] {
                *b ^= 0xA5;
            }
            let _ = hyoka::read(path, &flipped, &Default::default());
        }
    }
}

/// Every KPI of a document as (unit, [(value, raw)] of baseline, actuals
/// and target), in order.
type KpiValues = Vec<(Option<String>, Vec<(Option<f64>, Option<String>)>)>;

fn kpi_values(sheets: &[Sheet]) -> KpiValues {
    let number = |n: &Option<hyoka::model::Number>| {
        n.as_ref()
            .map(|n| serde_json::to_value(n).unwrap().as_f64().unwrap())
    };
    let mut out = Vec::new();
    for sheet in sheets {
        for project in &sheet.basic_projects {
            for kpi in &project.kpis {
                let mut values = vec![(number(&kpi.baseline.value), kpi.baseline.raw.clone())];
                for a in &kpi.actuals {
                    values.push((number(&a.value), a.raw.clone()));
                }
                values.push((number(&kpi.target.value), kpi.target.raw.clone()));
                out.push((kpi.unit.clone(), values));
            }
        }
    }
    out
}

/// A workbook stores percentages as fractions (0.114 formatted `0.0%`,
/// shown `11.4%`) and formula results at full precision (`=2/3` shown
/// `66.7%`, `=100/3` formatted `0.0` shown `33.3`): read as the page shows
/// them, its KPIs give the values, raw texts and units of its PDF and its
/// CSV export, and the same workbook saved as `.ods` and `.xls` gives them
/// too. The value keeps the workbook's precision, so it equals the
/// page's at the precision the page shows.
#[test]
fn percent_and_decimal_formats_read_as_the_page_shows_them() {
    let workbook = read("fixtures/display/percent.xlsx");
    let pdf = read("fixtures/display/percent.pdf");
    let csv: Vec<Sheet> = (1..=5)
        .flat_map(|n| read(&format!("fixtures/display/percent-csv/percent-施策{n}.csv")).sheets)
        .collect();
    let ours = kpi_values(&workbook.sheets);
    assert!(
        ours.iter()
            .filter(|(u, _)| u.as_deref() == Some("%"))
            .count()
            >= 6
    );
    // The stored fraction 0.114 reads as 11.4, as shown.
    assert!(ours.contains(&(
        Some("%".into()),
        vec![
            (Some(11.4), Some("11.4%".into())),
            (Some(10.5), Some("10.5%".into())),
            (Some(9.4), Some("9.4%".into())),
            (None, None),
            (None, None),
            (None, Some("概ね9%を超えないこと".into())),
        ]
    )));
    // A formula's full value, with the text the format shows.
    let third = ours
        .iter()
        .flat_map(|(_, v)| v)
        .find(|(_, raw)| raw.as_deref() == Some("66.7%"))
        .unwrap();
    assert_eq!(third.0, Some(66.6666666666667));
    assert!(
        ours.iter()
            .flat_map(|(_, v)| v)
            .any(|v| v == &(Some(33.3333333333333), Some("33.3".into())))
    );
    let forms = [
        ("pdf", kpi_values(&pdf.sheets)),
        ("csv", kpi_values(&csv)),
        (
            "ods",
            kpi_values(&read("fixtures/display/percent.ods").sheets),
        ),
        (
            "xls",
            kpi_values(&read("fixtures/display/percent.xls").sheets),
        ),
    ];
    for (form, theirs) in forms {
        assert_eq!(ours.len(), theirs.len(), "{form}: KPI count");
        for ((unit, values), (their_unit, their_values)) in ours.iter().zip(&theirs) {
            assert_eq!(unit, their_unit, "{form}: unit");
            for ((value, raw), (their_value, their_raw)) in values.iter().zip(their_values) {
                // Thousands separators are the one display difference of
                // raw texts between forms (README: raw is as the form shows).
                let plain = |r: &Option<String>| r.as_ref().map(|r| r.replace(',', ""));
                let same_raw = plain(raw) == plain(their_raw);
                assert!(same_raw, "{form}: raw {raw:?} vs {their_raw:?}");
                match (value, their_value) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 0.05, "{form}: {a} vs {b}"),
                    (a, b) => assert_eq!(a, b, "{form}: value of {raw:?}"),
                }
            }
        }
    }
    // Every percent cell is under a `実績(%)` label here: nothing to warn.
    let codes: Vec<WarningCode> = workbook
        .sheets
        .iter()
        .flat_map(|s| &s.warnings)
        .map(|w| w.code)
        .collect();
    assert!(!codes.contains(&WarningCode::PercentUnitFromFormat));
    assert!(!codes.contains(&WarningCode::PercentUnitConflict));
}

/// A percent cell under a label without a unit reads with the unit `%`,
/// under a label with another unit keeps that unit: either way the choice
/// is a warning at the first such cell, never silent.
#[test]
fn a_percent_cell_under_another_label_is_warned_about() {
    let doc = read("fixtures/display/percent-labels.xlsx");
    let warning = |code: WarningCode| {
        doc.sheets
            .iter()
            .flat_map(|s| {
                s.warnings
                    .iter()
                    .map(move |w| (s.source.worksheet.clone(), w))
            })
            .find(|(_, w)| w.code == code)
            .map(|(ws, w)| (ws.unwrap(), w.row, w.column))
    };
    assert_eq!(
        warning(WarningCode::PercentUnitFromFormat),
        Some(("施策2".into(), Some(14), Some(5)))
    );
    assert_eq!(
        warning(WarningCode::PercentUnitConflict),
        Some(("施策3".into(), Some(11), Some(5)))
    );
    let units: Vec<Option<String>> = kpi_values(&doc.sheets)
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    assert!(units.contains(&Some("件".into())));
}
