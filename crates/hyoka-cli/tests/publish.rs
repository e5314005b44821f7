//! Publishing on a portal: the package's metadata (flags, a TOML file, and
//! carried over from the previous run), category values in the header's
//! language, `hyoka validate` by content after a person edits the
//! package, and the `--xlsx` workbook.

mod support;

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use support::{column, hyoka, import, json, root, table};

const IGA: &str = "fixtures/iga";

fn ok(run: &std::process::Output) {
    assert!(
        run.status.success(),
        "exit {:?}: {}",
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `frictionless validate` on a package, when Python's frictionless is
/// there (in CI it must be).
fn frictionless(package: &Path) {
    let probe = Command::new("python3")
        .args(["-c", "import frictionless"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with frictionless is missing"
        );
        eprintln!("SKIPPED: frictionless is not installed (python3 -m pip install frictionless)");
        return;
    }
    let run = Command::new("python3")
        .args([
            "-c",
            "import sys, frictionless\nr = frictionless.validate(sys.argv[1])\nprint(r.flatten(['type', 'message']))\nsys.exit(0 if r.valid else 1)",
        ])
        .arg(package)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "frictionless: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

const META: [&str; 13] = [
    "--csv",
    "--title",
    "伊賀市 施策評価シート",
    "--description",
    "伊賀市の施策評価シート(令和4年度)",
    "--license",
    "CC-BY-4.0",
    "--publisher",
    "伊賀市 総務部",
    "--contact",
    "opendata@city.iga.lg.jp",
    "--modified",
    "2025-04-01",
];

#[test]
fn metadata_goes_into_the_package_and_frictionless_accepts_it() {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--municipality", "242161"];
    args.extend(META);
    ok(&import(&[IGA], out.path(), &args));
    let package = json(&out.path().join("datapackage.json"));
    assert_eq!(package["title"], "伊賀市 施策評価シート");
    assert_eq!(package["description"], "伊賀市の施策評価シート(令和4年度)");
    assert_eq!(
        package["licenses"],
        serde_json::json!([{
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International (クリエイティブ・コモンズ 表示 4.0 国際)"
        }])
    );
    assert_eq!(
        package["contributors"],
        serde_json::json!([
            {"title": "伊賀市 総務部", "role": "publisher"},
            {"title": "伊賀市 総務部", "role": "contact", "email": "opendata@city.iga.lg.jp"}
        ])
    );
    assert_eq!(package["modified"], "2025-04-01");
    ok(&hyoka(&["validate", out.path().to_str().unwrap()]));
    frictionless(&out.path().join("datapackage.json"));

    // A yearly update into the same folder without metadata keeps it; a
    // flag given replaces its key only.
    ok(&import(
        &[IGA],
        out.path(),
        &[
            "--municipality",
            "242161",
            "--csv",
            "--modified",
            "2026-04-01",
        ],
    ));
    let again = json(&out.path().join("datapackage.json"));
    assert_eq!(again["title"], package["title"]);
    assert_eq!(again["licenses"], package["licenses"]);
    assert_eq!(again["contributors"], package["contributors"]);
    assert_eq!(again["modified"], "2026-04-01");
}

#[test]
fn bad_metadata_is_a_usage_error_naming_where() {
    let out = tempfile::tempdir().unwrap();
    let run = import(&[IGA], out.path(), &["--csv", "--modified", "2025-02-30"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("--modified") && stderr.contains("2025-02-30"),
        "{stderr}"
    );
    assert!(!out.path().join("index.json").exists());

    let dir = tempfile::tempdir().unwrap();
    let meta = dir.path().join("meta.toml");
    std::fs::write(
        &meta,
        "title = \"伊賀市\"\nlicense = \"PDL-1.0\"\ncontact = \"広報広聴課\"\n",
    )
    .unwrap();
    let run = import(
        &[IGA],
        out.path(),
        &["--csv", "--package-meta", meta.to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("meta.toml, line 3, key contact"),
        "{stderr}"
    );
    // The file's keys, and a flag over one of them.
    std::fs::write(&meta, "title = \"伊賀市\"\nlicense = \"PDL-1.0\"\n").unwrap();
    ok(&import(
        &[IGA],
        out.path(),
        &[
            "--csv",
            "--package-meta",
            meta.to_str().unwrap(),
            "--title",
            "別のタイトル",
        ],
    ));
    let package = json(&out.path().join("datapackage.json"));
    assert_eq!(package["title"], "別のタイトル");
    assert_eq!(package["licenses"][0]["name"], "PDL-1.0");
    assert_eq!(
        package["licenses"][0]["title"],
        "公共データ利用規約(第1.0版) (Public Data License 1.0)"
    );
}

#[test]
fn category_values_follow_the_header_language() {
    let ja = tempfile::tempdir().unwrap();
    ok(&import(&[IGA], ja.path(), &["--csv"]));
    let en = tempfile::tempdir().unwrap();
    ok(&import(
        &[IGA],
        en.path(),
        &["--csv", "--csv-headers", "en"],
    ));

    let kinds = column(&table(&ja.path().join("csv/kpi_values.csv")), "区分");
    assert!(
        kinds
            .iter()
            .all(|k| ["現状値", "実績", "目標値"].contains(&k.as_str())),
        "{kinds:?}"
    );
    let kinds = column(&table(&en.path().join("csv/kpi_values.csv")), "kind");
    assert!(
        kinds
            .iter()
            .all(|k| ["baseline", "actual", "target"].contains(&k.as_str()))
    );
    let progress = column(
        &table(&ja.path().join("csv/basic_projects.csv")),
        "進捗区分",
    );
    assert!(
        progress.contains(&"計画通り進めている".to_owned()),
        "{progress:?}"
    );
    let lists = column(&table(&ja.path().join("csv/list_items.csv")), "種別");
    assert!(lists.contains(&"DO(事務事業)".to_owned()), "{lists:?}");
    // The package's enum follows; the JSON keeps its codes.
    let package = json(&ja.path().join("datapackage.json"));
    let values = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "kpi_values")
        .unwrap()["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "区分")
        .unwrap()["constraints"]["enum"]
        .clone();
    assert_eq!(values, serde_json::json!(["現状値", "実績", "目標値"]));
    let doc = json(&support::department(ja.path(), "総務部"));
    assert_eq!(
        doc["sheets"][0]["basic_projects"][0]["progress"]["code"],
        "on_track"
    );
    for dir in [ja.path(), en.path()] {
        ok(&hyoka(&["validate", dir.to_str().unwrap()]));
        ok(&hyoka(&[
            "validate",
            dir.join("datapackage.json").to_str().unwrap(),
        ]));
        frictionless(&dir.join("datapackage.json"));
    }
}

#[test]
fn an_edited_description_validates_and_an_edited_value_is_named() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(
        &[IGA],
        out.path(),
        &["--csv", "--municipality", "242161"],
    ));
    let path = out.path().join("datapackage.json");
    let mut package = json(&path);
    package["description"] = "手で書き直した説明".into();
    package["licenses"] = serde_json::json!([{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]);
    std::fs::write(&path, serde_json::to_string_pretty(&package).unwrap()).unwrap();
    let run = hyoka(&["validate", out.path().to_str().unwrap()]);
    ok(&run);
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("edited after hyoka wrote it"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    ok(&hyoka(&["validate", path.to_str().unwrap()]));

    // A field's type changed in the package: not metadata.
    let mut broken = package.clone();
    broken["resources"][4]["schema"]["fields"][7]["type"] = "string".into();
    std::fs::write(&path, serde_json::to_string_pretty(&broken).unwrap()).unwrap();
    let run = hyoka(&["validate", out.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("type"));
    std::fs::write(&path, serde_json::to_string_pretty(&package).unwrap()).unwrap();

    // One KPI value changed in the CSV: the file, its line and the field.
    let values = out.path().join("csv/kpi_values.csv");
    let text = std::fs::read_to_string(&values).unwrap();
    let changed = text.replacen(",956,956,", ",957,956,", 1);
    assert_ne!(changed, text);
    let line = changed[..changed.find(",957,956,").unwrap()]
        .matches('\n')
        .count()
        + 1;
    std::fs::write(&values, changed).unwrap();
    let run = hyoka(&["validate", out.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("csv/kpi_values.csv, line {line}, field 値: `957`")),
        "{stderr}"
    );
}

#[test]
fn xlsx_holds_the_tables_with_codes_as_text_and_no_formulas() {
    let text = std::fs::read_to_string(root().join(IGA).join("000_46863bf7e879b4fa.txt")).unwrap();
    let planted = text.replacen("広聴業務経費", "=HYPERLINK(\"http://example.invalid\")", 1);
    assert_ne!(planted, text);
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("planted.txt"), planted).unwrap();
    let inputs = [input.path().to_str().unwrap()];
    let out = tempfile::tempdir().unwrap();
    let args = [
        "--csv",
        "--xlsx",
        "--municipality",
        "011002",
        "--municipality-name",
        "札幌市",
    ];
    ok(&import(&inputs, out.path(), &args));
    let file = out.path().join("tables.xlsx");
    let first = std::fs::read(&file).unwrap();
    let index = json(&out.path().join("index.json"));
    assert!(
        index["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "tables.xlsx" && f["sha256"].as_str().unwrap().len() == 64),
        "{index}"
    );
    ok(&hyoka(&["validate", out.path().to_str().unwrap()]));

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 12);
    assert_eq!(names[0], "施策評価シート");
    let sheets = book.worksheet_range("施策評価シート").unwrap();
    assert_eq!(
        sheets.get((0, 0)),
        Some(&Data::String("全国地方公共団体コード".into()))
    );
    assert_eq!(sheets.get((1, 0)), Some(&Data::String("011002".into())));
    assert_eq!(sheets.get((1, 1)), Some(&Data::String("札幌市".into())));
    // A number is a number.
    let values = book.worksheet_range("成果指標の値").unwrap();
    let header: Vec<String> = values
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let at = header.iter().position(|h| h == "値").unwrap();
    assert!(
        values
            .rows()
            .skip(1)
            .any(|r| r[at] == Data::Float(3_878_604.0))
    );
    let kind = header.iter().position(|h| h == "区分").unwrap();
    assert!(
        values
            .rows()
            .skip(1)
            .any(|r| r[kind] == Data::String("実績".into()))
    );
    // Formula-looking text is a string, as read, and nowhere a formula.
    let items = book.worksheet_range("リスト項目").unwrap();
    assert!(
        items.rows().any(|r| r.contains(&Data::String(
            "=HYPERLINK(\"http://example.invalid\")".into()
        ))),
        "the planted text is a string cell"
    );
    for name in &names {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}"
        );
    }
    // Closed before the folder is written again: Windows does not rename
    // over a file another handle holds open (an Excel user's open workbook
    // fails the import the same way; src/platform.rs says so).
    drop(book);

    // The same inputs again: the same bytes.
    let again = tempfile::tempdir().unwrap();
    ok(&import(&inputs, again.path(), &args));
    assert!(std::fs::read(again.path().join("tables.xlsx")).unwrap() == first);

    // English headers name the sheets and columns in English.
    let en = tempfile::tempdir().unwrap();
    ok(&import(
        &inputs,
        en.path(),
        &["--csv", "--xlsx", "--csv-headers", "en"],
    ));
    let mut book: Xlsx<_> = open_workbook(en.path().join("tables.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[0], "sheets");
    let sheets = book.worksheet_range("sheets").unwrap();
    assert_eq!(
        sheets.get((0, 0)),
        Some(&Data::String("municipality_code".into()))
    );
    drop(book);

    // An update keeps the workbook up to date; a run written anew without
    // --xlsx removes it.
    ok(&import(&inputs, out.path(), &["--csv"]));
    assert!(file.exists());
    ok(&import(&inputs, out.path(), &["--csv", "--replace"]));
    assert!(!file.exists());
}

#[test]
fn a_bad_metadata_file_is_named_in_japanese_too() {
    let dir = tempfile::tempdir().unwrap();
    let meta = dir.path().join("meta.toml");
    std::fs::write(&meta, "title = \"伊賀市\"\nmodified = \"R7.4.1\"\n").unwrap();
    let out = dir.path().join("out");
    let run = hyoka(&[
        "--lang",
        "ja",
        "import",
        IGA,
        "--out",
        out.to_str().unwrap(),
        "--csv",
        "--package-meta",
        meta.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("meta.toml の 2 行目、キー modified") && stderr.contains("R7.4.1"),
        "{stderr}"
    );
}
