//! Project evaluations (事務事業評価) read from per-project sheets: one
//! project per worksheet or page, or several stacked.
//!
//! `fixtures/project-sheets/sheets.xlsx` and `sheets.pdf` are five real
//! 大船渡 projects laid out as the city's printed form, with the records
//! expected of them in `gold.json` (copied from `../shared/jimu-sheets/`).
//! `kaku-sheets.*` (made by `make_fixtures.py`) is a fictional city's form
//! in another arrangement and paper size. The real 大船渡 list is read from
//! `../shared/real/` when it is there (it holds personal data and is not in
//! the repository) to check that a project gives the same record from the
//! list and from its sheet.

mod support;

use hyoka::project::ProjectEvaluation;
use hyoka::warning::WarningCode;
use support::{differences, root};

const GOLD: &str = "fixtures/project-sheets/gold.json";
const REAL_LIST: &str = "../shared/real/ofunato-r7/ofunato-r7-jimujigyo-hyoka.xlsx";

fn read(path: &str) -> hyoka::Document {
    let bytes = std::fs::read(root().join(path)).unwrap();
    hyoka::read(path, &bytes, &Default::default()).unwrap()
}

fn gold() -> Vec<serde_json::Value> {
    let gold = support::json(&root().join(GOLD));
    gold["records"].as_array().unwrap().clone()
}

/// The record's JSON without what differs by form and file: its source,
/// its warnings and the keys the gold does not hold.
fn comparable(p: &ProjectEvaluation, keys: &[&str]) -> serde_json::Value {
    let json = serde_json::to_value(p).unwrap();
    let mut out = serde_json::Map::new();
    for key in keys {
        out.insert((*key).to_owned(), json[*key].clone());
    }
    for ind in out["indicators"].as_array_mut().unwrap() {
        ind.as_object_mut().unwrap().remove("id");
    }
    serde_json::Value::Object(out)
}

/// Every gold record field by field; `raw` by what it says (a PDF shows
/// `34,796` where the workbook stores 34796).
fn assert_gold(path: &str) {
    let doc = read(path);
    let gold = gold();
    let codes: Vec<_> = doc
        .project_evaluations
        .iter()
        .map(|p| p.project.code.clone().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["0086", "0591", "0606", "0733", "1096"], "{path}");
    let mut all = Vec::new();
    for (p, record) in doc.project_evaluations.iter().zip(&gold) {
        let keys: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "source_sheet")
            .collect();
        let mut theirs = record.clone();
        let sheet = theirs.as_object_mut().unwrap().remove("source_sheet");
        if p.source.format == hyoka::model::Format::Xlsx {
            // One project per worksheet, named by its code.
            assert_eq!(
                p.source.worksheet.as_deref(),
                sheet.as_ref().and_then(|s| s.as_str())
            );
        }
        let ours = comparable(p, &keys);
        differences(&ours, &theirs, p.project.code.as_deref().unwrap(), &mut all);
    }
    assert!(all.is_empty(), "{path}:\n{}", all.join("\n"));
}

#[test]
fn the_workbook_of_sheets_gives_the_gold_records() {
    assert_gold("fixtures/project-sheets/sheets.xlsx");
}

#[test]
fn the_printed_sheets_give_the_gold_records() {
    assert_gold("fixtures/project-sheets/sheets.pdf");
}

/// A record as compared across forms: everything but where it was read
/// (`source`) and the warnings' places; `raw` is compared by what it says.
fn across_forms(p: &ProjectEvaluation) -> serde_json::Value {
    let mut json = serde_json::to_value(p).unwrap();
    let o = json.as_object_mut().unwrap();
    o.remove("source");
    let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
    o.insert("warnings".into(), serde_json::json!(codes));
    json
}

fn by_code(doc: &hyoka::Document) -> std::collections::BTreeMap<String, &ProjectEvaluation> {
    doc.project_evaluations
        .iter()
        .map(|p| (p.project.code.clone().unwrap(), p))
        .collect()
}

/// The same project from the real list and from its sheet: the same ID and
/// the same values. The real list is not in the repository (it holds
/// officials' names and telephone numbers): it is read from `../shared/`
/// when it is there.
#[test]
fn a_project_from_the_list_and_from_its_sheet_is_the_same_record() {
    let path = root().join(REAL_LIST);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: {} is absent (the real 大船渡 list is not part of the repository)",
            path.display()
        );
        return;
    };
    let list = hyoka::read(REAL_LIST, &bytes, &Default::default()).unwrap();
    let list = by_code(&list);
    for form in [
        "fixtures/project-sheets/sheets.xlsx",
        "fixtures/project-sheets/sheets.pdf",
    ] {
        let sheets = read(form);
        assert_eq!(sheets.project_evaluations.len(), 5);
        let mut all = Vec::new();
        for p in &sheets.project_evaluations {
            let code = p.project.code.as_deref().unwrap();
            let from_list = list[code];
            assert_eq!(p.id, from_list.id, "{form} {code}");
            let mut ours = across_forms(p);
            let mut theirs = across_forms(from_list);
            // The list's file warnings (its years placed by the template)
            // and the sheet's differ by form; the values may not.
            ours.as_object_mut().unwrap().remove("warnings");
            theirs.as_object_mut().unwrap().remove("warnings");
            // The example form does not print the background, the expected
            // outcome and the manager's summary: none is read from it.
            for key in ["background", "expected", "manager_summary"] {
                let sheet = ours.as_object_mut().unwrap().remove(key).unwrap();
                assert!(
                    sheet
                        .as_object()
                        .is_none_or(|o| o.values().all(|v| v.is_null()))
                        && !sheet.is_string(),
                    "{form} {code} {key}: {sheet}"
                );
                theirs.as_object_mut().unwrap().remove(key);
            }
            differences(&ours, &theirs, &format!("{form} {code}"), &mut all);
        }
        assert!(all.is_empty(), "{}", all.join("\n"));
    }
}

const KAKU: &str = "fixtures/project-sheets/kaku-sheets.xlsx";
const KAKU_LIST: &str = "fixtures/project-sheets/kaku-sheets-list.xlsx";
const KAKU_PDF: &str = "fixtures/project-sheets/kaku-sheets.pdf";
const KAKU_CSV: &str = "fixtures/project-sheets/kaku-sheets-102-103.csv";
const KAKU_GOLDEN: &str = "fixtures/project-sheets/kaku-sheets.expected.json";

/// The fictional sheets, record for record as reviewed (`UPDATE_GOLDEN=1`
/// writes the file again, to be read before committing).
#[test]
fn the_fictional_sheets_give_the_reviewed_records() {
    let doc = read(KAKU);
    let got = serde_json::to_string_pretty(&serde_json::json!({
        "project_evaluations": doc.project_evaluations,
        "file_warnings": doc.warnings,
    }))
    .unwrap()
        + "\n";
    let path = root().join(KAKU_GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(
        got == want,
        "{KAKU} no longer gives {KAKU_GOLDEN}; run with UPDATE_GOLDEN=1 and review the diff"
    );
}

/// The other arrangement, printed on B4 landscape and exported as text,
/// gives the same records as its workbook.
#[test]
fn the_fictional_sheets_read_the_same_from_workbook_pdf_and_text() {
    let book = read(KAKU);
    let book = by_code(&book);
    assert_eq!(book.keys().collect::<Vec<_>>(), ["0101", "0102", "0103"]);
    let pdf = read(KAKU_PDF);
    let csv = read(KAKU_CSV);
    let mut all = Vec::new();
    for (form, doc, codes) in [
        (KAKU_PDF, &pdf, &["0101", "0102", "0103"][..]),
        (KAKU_CSV, &csv, &["0102", "0103"][..]),
    ] {
        let got = by_code(doc);
        assert_eq!(
            got.keys().map(String::as_str).collect::<Vec<_>>(),
            codes,
            "{form}"
        );
        for code in codes {
            differences(
                &across_forms(got[*code]),
                &across_forms(book[*code]),
                &format!("{form} {code}"),
                &mut all,
            );
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
    // B4 landscape, the evaluation on its own page and 0103's cost table
    // across two pages.
    let pages: Vec<_> = pdf
        .project_evaluations
        .iter()
        .map(|p| p.source.pages)
        .collect();
    assert_eq!(pages, [Some([1, 2]), Some([3, 4]), Some([5, 7])]);
}

/// What the other arrangement needs read: labels over their values, years
/// as `R4` and `2022年度`, the department in the section label, the plan's
/// number in its name, ratings and the direction printed as choices.
#[test]
fn the_fictional_sheets_read_their_arrangement() {
    let doc = read(KAKU);
    let p = by_code(&doc);
    let a = p["0101"];
    assert_eq!(a.fiscal_year, Some(2024));
    assert_eq!(a.project.name, "生涯学習講座事業");
    assert_eq!(
        (a.department.as_deref(), a.section.as_deref()),
        (Some("教育委員会事務局"), Some("生涯学習課"))
    );
    let policy = a.policy.as_ref().unwrap();
    assert_eq!(
        (policy.number, policy.name.as_deref()),
        (Some(2), Some("学びと文化のまちづくり"))
    );
    assert_eq!(a.means.current.as_deref(), Some("講座を年14回開く。"));
    let years: Vec<_> = a.indicators[0]
        .values
        .iter()
        .map(|v| v.fiscal_year)
        .collect();
    assert_eq!(years, [Some(2022), Some(2023), Some(2024)]);
    let slots: Vec<_> = a.indicators.iter().map(|i| i.slot.as_str()).collect();
    assert_eq!(slots, ["ア", "イ", "サ"]);
    assert_eq!(
        a.costs.iter().map(|c| c.fiscal_year).collect::<Vec<_>>(),
        years
    );
    assert_eq!(a.costs[2].prefectural.map(|n| n.get()), Some(120.0));
    let ratings: Vec<_> = a.evaluation.iter().map(|e| e.rating.as_deref()).collect();
    assert_eq!(
        ratings,
        [
            Some("結びついている"),
            Some("妥当である"),
            Some("適切である"),
            Some("向上余地がない"),
            Some("影響がある"),
            Some("削減余地がない"),
            None,
            Some("公平・公正である"),
        ]
    );
    // The unmarked choice is a warning with its code and place, not a guess.
    let unmarked: Vec<_> = a
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::ChoiceUnmarked)
        .collect();
    assert_eq!(unmarked.len(), 1, "{:?}", a.warnings);
    // Row 42, column E: the cell of the printed options.
    assert_eq!((unmarked[0].row, unmarked[0].column), (Some(42), Some(5)));
    assert!(
        unmarked[0]
            .message
            .contains("□削減余地がある □削減余地がない")
    );
    assert_eq!(a.direction.as_deref(), Some("2 改革改善"));
    assert_eq!(a.manager_direction.as_deref(), Some("1 現状維持"));
    // 課名 with the department in it; 担当部 and 担当課 apart.
    let b = p["0102"];
    assert_eq!(
        (b.department.as_deref(), b.section.as_deref()),
        (Some("市民生活部"), Some("市民課"))
    );
    let c = p["0103"];
    assert_eq!(
        (c.department.as_deref(), c.section.as_deref()),
        (Some("総務部"), Some("防災課"))
    );
    // Two projects stacked in one worksheet, each with its own rows.
    assert_eq!(b.source.worksheet, c.source.worksheet);
    assert!(b.source.rows[1] < c.source.rows[0]);
    assert_eq!(c.manager_direction.as_deref(), Some("2 改革改善"));
}

/// The fictional city's list and its sheets, in every form: the same IDs
/// and values (the list holds the ratings as chosen text; only the
/// warnings differ: the sheet's unmarked choice, nothing in the list).
#[test]
fn the_fictional_list_and_its_sheets_give_the_same_records() {
    let list = read(KAKU_LIST);
    let list = by_code(&list);
    assert_eq!(list.len(), 3);
    let mut all = Vec::new();
    for form in [KAKU, KAKU_PDF, KAKU_CSV] {
        let doc = read(form);
        for p in &doc.project_evaluations {
            let code = p.project.code.clone().unwrap();
            assert_eq!(p.id, list[&code].id, "{form} {code}");
            let (mut ours, mut theirs) = (across_forms(p), across_forms(list[&code]));
            ours.as_object_mut().unwrap().remove("warnings");
            theirs.as_object_mut().unwrap().remove("warnings");
            differences(&ours, &theirs, &format!("{form} {code}"), &mut all);
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}
