//! Golden end-to-end tests: real fixtures in, whole output folders
//! compared byte for byte with reviewed copies in `tests/golden/`.

mod support;

use support::{assert_golden, import, json};

#[test]
fn iga_converter_text() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&["fixtures/iga/000_46863bf7e879b4fa.txt"], out.path(), &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_golden("iga-text", out.path());
}

/// The facts the issue names, checked field by field so a reviewer sees
/// them without reading the golden files.
#[test]
fn iga_converter_text_facts() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&["fixtures/iga/000_46863bf7e879b4fa.txt"], out.path(), &[]);
    assert!(run.status.success());
    let index = json(&out.path().join("index.json"));
    let departments: Vec<(&str, u64)> = index["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["department"].as_str().unwrap(),
                d["sheets"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        departments,
        [
            ("デジタル自治推進局", 1),
            ("企画振興部", 1),
            ("総務部", 2),
            ("財務部", 1)
        ]
    );
    let mut projects = 0;
    let mut kpis = 0;
    for d in &departments {
        let file = json(&out.path().join(format!("{}.json", d.0)));
        for sheet in file["sheets"].as_array().unwrap() {
            assert_eq!(sheet["fiscal_year"], 2022);
            for p in sheet["basic_projects"].as_array().unwrap() {
                projects += 1;
                kpis += p["kpis"].as_array().unwrap().len();
            }
        }
    }
    assert_eq!((projects, kpis), (13, 15));

    let digital = json(&out.path().join("デジタル自治推進局.json"));
    let sheet = &digital["sheets"][0];
    let kpi = &sheet["basic_projects"][0]["kpis"][0];
    assert_eq!(kpi["baseline"]["value"], 7);
    assert_eq!(kpi["actuals"][0]["fiscal_year"], 2021);
    assert_eq!(kpi["actuals"][0]["value"], 7);
    assert_eq!(kpi["actuals"][1]["value"], 35);
    assert!(kpi["actuals"][2]["value"].is_null() && kpi["actuals"][3]["value"].is_null());
    assert_eq!(kpi["target"]["value"], 40);
    assert_eq!(kpi["target"]["basis"], "cumulative");
    assert!(
        sheet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "kpi_row_realigned" && w["row"] == 228)
    );

    let finance = json(&out.path().join("財務部.json"));
    let second = &finance["sheets"][0]["basic_projects"][0]["kpis"][1];
    assert_eq!(second["name"], "将来負担比率");
    assert_eq!(second["unit"], "%");
    assert_eq!(second["baseline"]["value"], 77.2);
    assert_eq!(second["actuals"][1]["value"], 53.5);
    assert_eq!(second["target"]["raw"], "50%台後半");
    assert!(second["target"]["value"].is_null());

    let general = json(&out.path().join("総務部.json"));
    let first = &general["sheets"][0]["basic_projects"][0];
    assert_eq!(first["effects"].as_array().unwrap().len(), 0);
    assert_eq!(
        first["improvements"]["existing"].as_array().unwrap().len(),
        3
    );
    assert_eq!(
        general["sheets"][0]["source"]["rows"],
        serde_json::json!([3, 51])
    );
}

#[test]
fn importing_twice_gives_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let run = import(&["fixtures/iga"], dir.path(), &[]);
        assert!(run.status.success());
    }
    assert_eq!(support::files(a.path()), support::files(b.path()));
}
