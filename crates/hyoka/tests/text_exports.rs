//! Text exports as city offices produce them: Excel's and LibreOffice's
//! "save as text" in every encoding they use, tab- and comma-separated,
//! one file per worksheet, with the layout variations of other cities'
//! templates. They must read into the same records as the converter text.
//!
//! The fixtures and how each was made: `fixtures/text/make_fixtures.py`;
//! `fixtures/excel-tsv-cp932/` is Iga City's workbook saved worksheet by
//! worksheet as Shift_JIS text (a copy of the shared corpus).

mod support;

use hyoka::model::{Format, Sheet};
use hyoka::warning::WarningCode;
use serde_json::Value;
use std::collections::BTreeSet;
use support::{differences, root};

fn read(path: &str) -> hyoka::Document {
    let bytes = std::fs::read(root().join(path)).unwrap();
    hyoka::read(path, &bytes, &Default::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn codes(sheet: &Sheet) -> Vec<WarningCode> {
    sheet.warnings.iter().map(|w| w.code).collect()
}

/// A sheet as JSON without `source`, which names the file and so always
/// differs between forms, and without `warnings` (compared separately).
fn content(sheet: &Sheet) -> Value {
    let mut value = serde_json::to_value(sheet).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("source");
    object.remove("warnings");
    value
}

/// Repairs that only the converter text needs: it collapses CHECK②'s empty
/// column and shifts KPI rows, while the export keeps every column.
const CONVERTER_REPAIRS: [WarningCode; 3] = [
    WarningCode::CheckColumnInferred,
    WarningCode::CheckColumnsRealigned,
    WarningCode::KpiRowRealigned,
];

/// The issue's acceptance test: Iga City's five worksheets saved as
/// Shift_JIS text import to the same records as the converter text of the
/// same sheets. Only `source` differs, `raw` as explained at
/// `support::raw_equivalent`, and the warnings: their rows differ (lines of
/// different files) and the export needs none of the converter's repairs.
#[test]
fn excel_tsv_cp932_matches_the_converter_text() {
    let converter = read("fixtures/iga/000_46863bf7e879b4fa.txt");
    assert_eq!(converter.sheets.len(), 5);
    for (k, expected) in converter.sheets.iter().enumerate() {
        let path = format!("fixtures/excel-tsv-cp932/施策{}.txt", k + 1);
        let export = read(&path);
        assert_eq!(export.format, Format::Tsv, "{path}");
        assert_eq!(export.encoding.as_deref(), Some("Shift_JIS"), "{path}");
        assert!(export.warnings.is_empty(), "{path}: {:?}", export.warnings);
        assert_eq!(export.sheets.len(), 1, "{path}");
        let sheet = &export.sheets[0];

        let mut diffs = Vec::new();
        differences(&content(expected), &content(sheet), "", &mut diffs);
        assert!(
            diffs.is_empty(),
            "{path} differs from the converter's sheet {}:\n{}",
            k + 1,
            diffs.join("\n")
        );

        // Values are equal exactly, not just their raws.
        for (p, q) in expected.basic_projects.iter().zip(&sheet.basic_projects) {
            for (a, b) in p.kpis.iter().zip(&q.kpis) {
                assert_eq!(a.baseline.value, b.baseline.value, "{path}: {}", a.name);
                let values =
                    |k: &hyoka::model::Kpi| k.actuals.iter().map(|x| x.value).collect::<Vec<_>>();
                assert_eq!(values(a), values(b), "{path}: {}", a.name);
                assert_eq!(a.target.value, b.target.value, "{path}: {}", a.name);
            }
        }

        // The export's warnings are a subset (by code) of the converter's:
        // exactly the converter's, less the repairs only it needs.
        let export_codes = codes(sheet);
        let converter_codes: Vec<WarningCode> = codes(expected)
            .into_iter()
            .filter(|c| !CONVERTER_REPAIRS.contains(c))
            .collect();
        assert_eq!(export_codes, converter_codes, "{path}");
        let all: BTreeSet<WarningCode> = codes(expected).into_iter().collect();
        assert!(export_codes.iter().all(|c| all.contains(c)), "{path}");
    }
}

/// One sheet written in every encoding and separator a city office uses
/// gives the same records, the same line numbers and no guess.
#[test]
fn every_encoding_and_separator_gives_the_same_records() {
    let files = [
        ("cp932-crlf.txt", Format::Tsv, "Shift_JIS"),
        ("cp932.csv", Format::Csv, "Shift_JIS"),
        ("utf8-bom.csv", Format::Csv, "UTF-8"),
        ("utf8.tsv", Format::Tsv, "UTF-8"),
        ("utf16le.txt", Format::Tsv, "UTF-16LE"),
        ("utf16be.txt", Format::Tsv, "UTF-16BE"),
        // A .txt that LibreOffice separated with commas is read as CSV.
        ("libreoffice-comma.txt", Format::Csv, "UTF-8"),
    ];
    let first = read("fixtures/text/encodings/cp932-crlf.txt");
    let expected = &first.sheets[0];
    for (name, format, encoding) in files {
        let path = format!("fixtures/text/encodings/{name}");
        let doc = read(&path);
        assert_eq!(doc.format, format, "{path}");
        assert_eq!(doc.encoding.as_deref(), Some(encoding), "{path}");
        assert!(doc.warnings.is_empty(), "{path}: {:?}", doc.warnings);
        assert_eq!(doc.sheets.len(), 1, "{path}");
        let sheet = &doc.sheets[0];
        assert_eq!(content(sheet), content(expected), "{path}");
        assert_eq!(sheet.warnings, expected.warnings, "{path}");
        assert_eq!(sheet.source.rows, expected.source.rows, "{path}");
        assert_eq!(sheet.source.encoding.as_deref(), Some(encoding), "{path}");
    }
    // NEC and IBM characters of CP932 arrive intact (① kept, ㎡ as m2).
    assert!(expected.directions[0].starts_with("①防災、②見守り"));
    assert!(expected.directions[1].starts_with("髙尾地区"));
    assert_eq!(
        expected.basic_projects[2].kpis[1].unit.as_deref(),
        Some("千m2")
    );
    assert_eq!(
        expected.basic_projects[1].kpis[1].actuals[1].raw.as_deref(),
        Some("―")
    );
}

/// UTF-16 without its BOM is recognised by its zero bytes, with a warning
/// that the encoding was guessed; EUC-JP whose bytes only EUC-JP decodes
/// is known, not guessed.
#[test]
fn guessed_encodings_are_warned_about() {
    let path = "fixtures/text/encodings/utf16le.txt";
    let bytes = std::fs::read(root().join(path)).unwrap();
    assert_eq!(&bytes[..2], b"\xFF\xFE");
    let doc = hyoka::read("no-bom.txt", &bytes[2..], &Default::default()).unwrap();
    assert_eq!(doc.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(
        doc.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        [WarningCode::EncodingGuessed]
    );
    assert!(doc.warnings[0].message.contains("UTF-16LE"));
    // Said once, on the file: not repeated in the sheet.
    let sheet = &doc.sheets[0];
    assert!(codes(sheet).is_empty(), "{:?}", sheet.warnings);
    assert_eq!(content(sheet), content(&read(path).sheets[0]));

    let euc = read("fixtures/text/eucjp/r1-kankyo.tsv");
    assert_eq!(euc.encoding.as_deref(), Some("EUC-JP"));
    assert!(euc.warnings.is_empty(), "{:?}", euc.warnings);
}

/// Bytes that do not decode are replaced and said so, never silently.
#[test]
fn bytes_that_do_not_decode_are_warned_about() {
    let doc = read("fixtures/text/mixed/施策3.txt");
    assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.code == WarningCode::DecodeErrors && w.message.contains("U+FFFD")),
        "{:?}",
        doc.warnings
    );
    assert_eq!(doc.sheets.len(), 1);
    // A file-level warning is said once, on the file, not in every sheet.
    assert!(!codes(&doc.sheets[0]).contains(&WarningCode::DecodeErrors));
}

/// The layout variations, fact by fact, so a reviewer sees them without
/// reading the golden files.
#[test]
fn layout_variations() {
    let health = read("fixtures/text/workbook-utf16/r5-hyoka-施策1.txt");
    let sheet = &health.sheets[0];
    // Label and name on one row; a policy title row; 令和5年度.
    assert_eq!(
        (
            sheet.department.as_str(),
            sheet.department_label.as_str(),
            sheet.policy.as_deref(),
            sheet.fiscal_year
        ),
        (
            "健康福祉部",
            "主担当部局",
            Some("地域福祉の推進"),
            Some(2023)
        )
    );
    // Directions and survey trends, each in one cell with line breaks.
    assert_eq!(sheet.directions.len(), 3);
    assert_eq!(sheet.survey.trends.len(), 3);
    assert_eq!(
        sheet.survey.trends[2],
        "参画度は△0.8ポイントで、横ばいである。"
    );
    // Four basic projects in use; three KPIs in one project, two of them
    // without a header row of their own; two KPIs each with its header.
    let projects = &sheet.basic_projects;
    assert_eq!(projects.len(), 4);
    let kpis: Vec<usize> = projects.iter().map(|p| p.kpis.len()).collect();
    assert_eq!(kpis, [1, 3, 1, 2]);
    // Reusing the year header is the template's normal form: no warning
    // (but the one cross-check of its figures: a KPI far behind its line
    // under a project that says 計画通り).
    assert_eq!(codes(sheet), [WarningCode::ProgressInconsistent]);
    // Year headers R3…, 令和3年度…, 2021(R3)…, 2021…; baselines 現状値(R元)
    // and 現状値(H30).
    let years = |k: &hyoka::model::Kpi| k.actuals.iter().map(|a| a.fiscal_year).collect::<Vec<_>>();
    for p in projects {
        for k in &p.kpis {
            assert_eq!(years(k), [2021, 2022, 2023, 2024], "{}", k.name);
        }
    }
    assert_eq!(projects[0].kpis[0].baseline.fiscal_year, Some(2019));
    assert_eq!(projects[2].kpis[0].baseline.fiscal_year, Some(2018));
    // Numbers shown with formats: 12,345 and 32.1%.
    let k = &projects[1].kpis[0];
    assert_eq!(k.baseline.raw.as_deref(), Some("12,345"));
    assert_eq!(k.baseline.value.unwrap().get(), 12345.0);
    let k = &projects[0].kpis[0];
    assert_eq!(k.actuals[0].raw.as_deref(), Some("33.5%"));
    assert_eq!(k.actuals[0].value.unwrap().get(), 33.5);

    let children = read("fixtures/text/workbook-utf16/r5-hyoka-施策2.txt");
    let sheet = &children.sheets[0];
    // Label and name on separate rows, a policy row below them, 2023(R5).
    assert_eq!(
        (
            sheet.department.as_str(),
            sheet.department_label.as_str(),
            sheet.policy.as_deref(),
            sheet.fiscal_year
        ),
        (
            "こども未来部",
            "担当部署",
            Some("子育て支援の充実"),
            Some(2023)
        )
    );
    assert_eq!(sheet.basic_projects.len(), 2, "empty slots 3 and 4 dropped");

    let citizens = read("fixtures/text/encodings/cp932-crlf.txt");
    let sheet = &citizens.sheets[0];
    let projects = &sheet.basic_projects;
    // Values written as text.
    let numbers = |k: &hyoka::model::Kpi| {
        std::iter::once(&k.baseline.value)
            .chain(k.actuals.iter().map(|a| &a.value))
            .map(|v| v.map(|n| n.get()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbers(&projects[0].kpis[1]),
        [
            Some(10280.0),
            Some(11504.0),
            Some(12345.0),
            Some(13020.0),
            None
        ]
    );
    assert_eq!(
        numbers(&projects[0].kpis[0])[3],
        Some(85.5),
        "85.5% as text"
    );
    assert_eq!(
        numbers(&projects[1].kpis[0]),
        [
            Some(1.5),
            Some(-0.8),
            Some(-1.2),
            None,
            Some(0.4),
            Some(-2.1)
        ]
    );
    assert_eq!(years(&projects[1].kpis[0]), [2018, 2019, 2020, 2021, 2022]);
    assert_eq!(projects[0].kpis[0].baseline.fiscal_year, Some(2018));
    assert_eq!(projects[3].kpis[0].baseline.fiscal_year, Some(2019));
    // Targets as text, with their bounds.
    let bound = |p: usize, k: usize| {
        let t = &projects[p].kpis[k].target;
        let b = t.bound.as_ref().unwrap();
        (
            t.raw.as_deref().unwrap(),
            t.value.is_none(),
            serde_json::to_value(b.comparison).unwrap(),
            b.value.get(),
            b.approximate,
        )
    };
    assert_eq!(bound(1, 0), ("0%以下", true, "at_most".into(), 0.0, false));
    assert_eq!(
        bound(1, 1),
        ("20%以下", true, "at_most".into(), 20.0, false)
    );
    assert_eq!(
        bound(2, 0),
        ("概ね9%を超えないこと", true, "at_most".into(), 9.0, true)
    );
    // CHECK② in five columns with either side empty, `0` placeholders and
    // every kind of progress.
    let p = |i: usize| &projects[i];
    assert!(p(0).improvements.is_empty() && !p(0).effects.is_empty());
    assert!(p(1).effects.is_empty() && !p(1).improvements.is_empty());
    assert!(p(3).issues.is_empty());
    let progress: Vec<_> = projects
        .iter()
        .map(|p| serde_json::to_value(p.progress.as_ref().unwrap().code).unwrap())
        .collect();
    assert_eq!(
        progress,
        ["on_track", "slightly_behind", "behind", "completed"]
    );
    // A line break ends an item; a space inside a line does not.
    let activities = hyoka::model::ListItem::depth_first(&p(0).activities);
    assert_eq!(
        activities,
        [
            "自主防災組織育成事業",
            "防災訓練の実施(①総合防災訓練 ②地区別訓練)",
            "防災士資格の取得支援",
            "防災備蓄品整備事業",
            "備蓄倉庫の増設(延床面積 120m2)"
        ]
    );
    assert_eq!(codes(sheet), []);

    let environment = read("fixtures/text/eucjp/r1-kankyo.tsv");
    let sheet = &environment.sheets[0];
    // 令和元年度; year headers H30, R元, R2, R3; baseline 現状値(H29).
    assert_eq!(sheet.fiscal_year, Some(2019));
    let k = &sheet.basic_projects[0].kpis[0];
    assert_eq!(years(k), [2018, 2019, 2020, 2021]);
    assert_eq!(k.baseline.fiscal_year, Some(2017));
    assert_eq!(
        serde_json::to_value(sheet.basic_projects[1].progress.as_ref().unwrap().code).unwrap(),
        "not_started"
    );
}

/// Excel's "Unicode text" (UTF-16, tab-separated) saved under a `.csv`
/// name reads as the tab-separated export it is, not as an empty CSV.
#[test]
fn tab_separated_export_named_csv_reads_as_tsv() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("utf16le.csv");
    std::fs::copy(root().join("fixtures/text/encodings/utf16le.txt"), &renamed).unwrap();
    let original = hyoka::read(
        "utf16le.txt",
        &std::fs::read(root().join("fixtures/text/encodings/utf16le.txt")).unwrap(),
        &Default::default(),
    )
    .unwrap();
    let doc = hyoka::read(
        "utf16le.csv",
        &std::fs::read(&renamed).unwrap(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Tsv);
    assert_eq!(doc.sheets.len(), original.sheets.len());
    assert!(!doc.sheets.is_empty());
    for (a, b) in doc.sheets.iter().zip(&original.sheets) {
        assert_eq!(a.basic_projects, b.basic_projects);
        assert_eq!(a.department, b.department);
    }
}

/// Templates that write the department label and name in one cell
/// (`主担当部局:総務部`, `【主担当部局】総務部`) and the value row as
/// `実績値(件)` read like the real document.
#[test]
fn label_and_name_in_one_cell_and_jisseki_chi_rows() {
    let path = root().join("fixtures/iga/000_46863bf7e879b4fa.txt");
    let original_text = std::fs::read_to_string(&path).unwrap();
    let original = hyoka::read("iga.txt", original_text.as_bytes(), &Default::default()).unwrap();
    for combined in [
        "【主担当部局】総務部",
        "主担当部局:総務部",
        "主担当部局：　総務部",
    ] {
        let text = original_text
            .replacen("【主担当部局】\n\n総務部\n", &format!("{combined}\n"), 1)
            .replace("実績(件)", "実績値(件)");
        assert_ne!(text, original_text);
        let doc = hyoka::read("variant.txt", text.as_bytes(), &Default::default()).unwrap();
        assert_eq!(doc.sheets.len(), 5, "{combined}");
        let (a, b) = (&doc.sheets[0], &original.sheets[0]);
        assert_eq!(
            (a.department.as_str(), a.department_label.as_str()),
            ("総務部", "主担当部局")
        );
        assert_eq!(a.directions, b.directions);
        assert_eq!(a.basic_projects, b.basic_projects, "{combined}");
    }
}
