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

use std::collections::BTreeMap;

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
        theirs.as_object_mut().unwrap().remove("source_sheet");
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
