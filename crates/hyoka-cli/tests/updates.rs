//! Yearly updates: an import into a folder that holds an earlier import
//! adds to it; `--replace` starts it over; `hyoka remove` takes records
//! out. Iga City's fiscal-2022 text export and its 2023 and 2024
//! workbooks (`fixtures/years/make_years.py`) are the three years.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use support::{files, hyoka, import, json, root};

const Y2022: &str = "fixtures/iga";
const Y2023: &str = "fixtures/years/iga-2023-workbook.xlsx";
const Y2024: &str = "fixtures/years/iga-2024-workbook.xlsx";
const IGA: [&str; 2] = ["--municipality", "242161"];

fn ok(run: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    stderr
}

/// The fiscal years of every record the folder's department files hold.
fn years(dir: &Path) -> BTreeMap<i64, usize> {
    let index = json(&dir.join("index.json"));
    let mut out = BTreeMap::new();
    for d in index["departments"].as_array().unwrap() {
        let file = json(&dir.join(d["file"].as_str().unwrap()));
        let records = (file["sheets"].as_array().unwrap().iter())
            .chain(file["project_evaluations"].as_array().unwrap());
        for r in records {
            *out.entry(r["fiscal_year"].as_i64().unwrap()).or_default() += 1;
        }
    }
    out
}

/// `parent/name/`, created, holding each fixture `(from, as)` under its
/// new name.
fn folder_of(parent: &Path, name: &str, fixtures: &[(&str, &str)]) -> std::path::PathBuf {
    let folder = parent.join(name);
    std::fs::create_dir(&folder).unwrap();
    for (from, to) in fixtures {
        std::fs::copy(root().join(from), folder.join(to)).unwrap();
    }
    folder
}

fn with_name(mut args: Vec<&'static str>) -> Vec<&'static str> {
    args.extend(["--municipality-name", "伊賀市"]);
    args
}

#[test]
fn three_yearly_imports_give_the_folder_one_import_of_the_three_gives() {
    let yearly = tempfile::tempdir().unwrap();
    let flags = with_name(IGA.to_vec());
    let csv: Vec<&str> = flags.iter().copied().chain(["--csv"]).collect();
    ok(&import(&[Y2022], yearly.path(), &csv));
    // Without --csv: the tables the folder publishes are kept up to date,
    // not dropped.
    let second = ok(&hyoka(&[
        "import",
        Y2023,
        "--out",
        yearly.path().to_str().unwrap(),
        "--municipality",
        "242161",
        "--municipality-name",
        "伊賀市",
    ]));
    assert!(
        second.contains("keeps 5 sheet(s)") || second.contains("シート 5 件"),
        "{second}"
    );
    ok(&import(&[Y2024], yearly.path(), &flags));

    let at_once = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022, Y2023, Y2024], at_once.path(), &csv));

    let (a, b) = (files(yearly.path()), files(at_once.path()));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs");
    }
    assert_eq!(
        years(yearly.path()).keys().copied().collect::<Vec<_>>(),
        [2022, 2023, 2024]
    );
    assert!(a.contains_key("csv/kpis.csv"), "{:?}", a.keys());
}

#[test]
fn a_changed_file_given_again_replaces_its_records() {
    let input = tempfile::tempdir().unwrap();
    let folder = input.path().join("iga");
    std::fs::create_dir(&folder).unwrap();
    let text =
        std::fs::read_to_string(root().join("fixtures/iga/000_46863bf7e879b4fa.txt")).unwrap();
    let sheet = folder.join("sheets.txt");
    std::fs::write(&sheet, &text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder_arg = folder.to_str().unwrap();
    ok(&import(&[folder_arg, Y2023], out.path(), &IGA));
    let before = years(out.path());

    assert!(text.contains("伊賀流自治の視点"));
    std::fs::write(
        &sheet,
        text.replace("伊賀流自治の視点", "伊賀流自治の視点(改)"),
    )
    .unwrap();
    let stderr = ok(&hyoka(&[
        "import",
        folder_arg,
        "--out",
        out.path().to_str().unwrap(),
        "--municipality",
        "242161",
        "--lang",
        "en",
    ]));
    assert!(stderr.contains("5 earlier record(s) replaced"), "{stderr}");
    assert_eq!(years(out.path()), before, "as many records as before");
    let index = json(&out.path().join("index.json"));
    let inputs: Vec<&str> = (index["inputs"].as_array().unwrap().iter())
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["iga-2023-workbook.xlsx", "iga/sheets.txt"]);
    let index = json(&out.path().join("index.json"));
    let mut headings = Vec::new();
    for d in index["departments"].as_array().unwrap() {
        let file = json(&out.path().join(d["file"].as_str().unwrap()));
        for s in file["sheets"].as_array().unwrap() {
            if s["source"]["file"] == "iga/sheets.txt" {
                headings.push(s["heading"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    assert_eq!(headings.len(), 5, "{headings:?}");
    assert!(
        headings.iter().any(|h| h == "伊賀流自治の視点(改)"),
        "{headings:?}"
    );
    assert!(
        !headings.iter().any(|h| h == "伊賀流自治の視点"),
        "the old sheet is gone"
    );
}

#[test]
fn a_file_named_like_last_years_file_keeps_last_years_records() {
    let input = tempfile::tempdir().unwrap();
    for (year, src) in [("2023", Y2023), ("2024", Y2024)] {
        std::fs::create_dir(input.path().join(year)).unwrap();
        std::fs::copy(root().join(src), input.path().join(year).join("評価.xlsx")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let first = input.path().join("2023/評価.xlsx");
    ok(&import(&[first.to_str().unwrap()], out.path(), &IGA));
    let second = input.path().join("2024/評価.xlsx");
    let stderr = ok(&hyoka(&[
        "import",
        second.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--municipality",
        "242161",
        "--lang",
        "en",
    ]));
    assert!(stderr.contains("0 earlier record(s) replaced"), "{stderr}");
    let years = years(out.path());
    assert_eq!(
        years.keys().copied().collect::<Vec<_>>(),
        [2023, 2024],
        "{years:?}"
    );
}

#[test]
fn replace_writes_the_folder_from_this_run_only() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &["--csv"]));
    ok(&import(&[Y2023], out.path(), &["--replace"]));
    assert_eq!(
        years(out.path()).keys().copied().collect::<Vec<_>>(),
        [2023]
    );
    let all = files(out.path());
    assert!(
        !all.keys().any(|k| k.starts_with("csv/")),
        "{:?}",
        all.keys()
    );
    assert!(!all.contains_key("datapackage.json"));
}

#[test]
fn remove_takes_a_year_out_as_if_it_had_never_been_imported() {
    let out = tempfile::tempdir().unwrap();
    let csv = ["--municipality", "242161", "--csv"];
    ok(&import(&[Y2022], out.path(), &csv));
    ok(&import(&[Y2023, Y2024], out.path(), &csv));
    let dir = out.path().to_str().unwrap();
    let stderr = ok(&hyoka(&[
        "remove",
        dir,
        "--fiscal-year",
        "2022",
        "--lang",
        "en",
    ]));
    assert!(stderr.contains("removed 5 sheet(s)"), "{stderr}");

    let without = tempfile::tempdir().unwrap();
    ok(&import(&[Y2023, Y2024], without.path(), &csv));
    let (a, b) = (files(out.path()), files(without.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs");
    }
    let valid = hyoka(&["validate", dir]);
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
}

#[test]
fn remove_that_matches_nothing_changes_nothing_and_says_what_is_there() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &[]));
    let before = files(out.path());
    let dir = out.path().to_str().unwrap();
    let run = hyoka(&["remove", dir, "--fiscal-year", "2202", "--lang", "en"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("fiscal year(s) 2022"), "{stderr}");
    assert_eq!(files(out.path()), before);
    let run = hyoka(&["remove", dir]);
    assert_eq!(run.status.code(), Some(2), "a condition is required");
}

#[test]
fn a_department_file_edited_by_hand_is_not_carried_silently() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &IGA));
    let index = json(&out.path().join("index.json"));
    let file = out
        .path()
        .join(index["departments"][0]["file"].as_str().unwrap());
    let mut edited = std::fs::read(&file).unwrap();
    edited.extend(b"\n");
    std::fs::write(&file, &edited).unwrap();
    let before = files(out.path());
    let run = import(&[Y2023], out.path(), &["--lang", "en"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("was changed after hyoka wrote it"),
        "{stderr}"
    );
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(files(out.path()), before, "nothing written");
    ok(&import(&[Y2023], out.path(), &["--replace"]));
}

#[test]
fn department_files_sit_in_one_layout_whatever_the_run_holds() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &[]));
    let names: Vec<String> = files(out.path()).into_keys().collect();
    let departments: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("departments/"))
        .collect();
    assert!(!departments.is_empty());
    assert!(
        departments
            .iter()
            .all(|n| n.starts_with("departments/unknown/") && n.ends_with(".json")),
        "{departments:?}"
    );
    // Known, the city has its folder; the earlier unknown one goes.
    ok(&import(
        &[Y2022],
        out.path(),
        &["--municipality", "242161", "--replace"],
    ));
    let names: Vec<String> = files(out.path()).into_keys().collect();
    assert!(
        names
            .iter()
            .filter(|n| n.starts_with("departments/"))
            .all(|n| n.starts_with("departments/242161_伊賀市/")
                || n.starts_with("departments/242161/")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("departments/unknown/")),
        "{names:?}"
    );
    // Nothing else in the folder is a department file.
    assert!(
        names
            .iter()
            .filter(|n| !n.starts_with("departments/"))
            .all(|n| ["index.json", "kpi_series.json"].contains(&n.as_str())),
        "{names:?}"
    );
}

#[test]
fn no_output_carries_an_absolute_path_of_the_importers_disk() {
    let input = tempfile::tempdir().unwrap();
    let folder = folder_of(
        input.path(),
        "iga",
        &[("fixtures/iga/000_46863bf7e879b4fa.txt", "sheets.txt")],
    );
    let workbook = input.path().join("iga-2023-workbook.xlsx");
    std::fs::copy(root().join(Y2023), &workbook).unwrap();
    let out = tempfile::tempdir().unwrap();
    let args = [folder.to_str().unwrap(), workbook.to_str().unwrap()];
    ok(&import(
        &args,
        out.path(),
        &["--csv", "--municipality", "242161"],
    ));
    let jsonl = out.path().join("records.jsonl");
    ok(&import(
        &args,
        out.path(),
        &[
            "--jsonl",
            jsonl.to_str().unwrap(),
            "--municipality",
            "242161",
        ],
    ));
    let mut all = files(out.path());
    all.insert("records.jsonl".into(), std::fs::read(&jsonl).unwrap());
    let absolute = [
        input.path().to_string_lossy().into_owned(),
        root().to_string_lossy().into_owned(),
        std::env::temp_dir().to_string_lossy().into_owned(),
    ];
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        for a in &absolute {
            assert!(!text.contains(a.as_str()), "{name} holds {a}");
        }
    }
    let index: Value = json(&out.path().join("index.json"));
    let inputs: Vec<&str> = (index["inputs"].as_array().unwrap().iter())
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["iga/sheets.txt", "iga-2023-workbook.xlsx"]);
}

#[test]
fn jsonl_streams_this_runs_records_only() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &[]));
    let jsonl = out.path().join("y2023.jsonl");
    ok(&import(
        &[Y2023],
        out.path(),
        &["--jsonl", jsonl.to_str().unwrap()],
    ));
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert!(lines.lines().count() > 0);
    for line in lines.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["fiscal_year"], 2023, "{line}");
    }
    assert_eq!(
        years(out.path()).keys().copied().collect::<Vec<_>>(),
        [2022, 2023]
    );
}

#[test]
fn the_lock_file_is_empty_and_not_rewritten() {
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[Y2022], out.path(), &[]));
    let lock = out.path().join(".hyoka.lock");
    assert_eq!(std::fs::read(&lock).unwrap(), b"");
    let modified = std::fs::metadata(&lock).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    ok(&import(&[Y2023], out.path(), &[]));
    assert_eq!(std::fs::read(&lock).unwrap(), b"");
    assert_eq!(
        std::fs::metadata(&lock).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn a_cover_in_one_file_names_the_city_for_its_folder() {
    let input = tempfile::tempdir().unwrap();
    // The text export has no cover; the workbook's 表紙 names 伊賀市.
    let folder = folder_of(
        input.path(),
        "伊賀",
        &[
            ("fixtures/iga/000_46863bf7e879b4fa.txt", "a-sheets.txt"),
            (
                "fixtures/workbooks/iga-2022-workbook.xlsx",
                "b-workbook.xlsx",
            ),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    ok(&import(&[folder.to_str().unwrap()], out.path(), &[]));
    let names: Vec<String> = files(out.path()).into_keys().collect();
    let folders: std::collections::BTreeSet<&str> = (names.iter())
        .filter_map(|n| n.strip_prefix("departments/"))
        .filter_map(|n| n.split('/').next())
        .collect();
    assert_eq!(folders.len(), 1, "{names:?}");
    assert!(folders.iter().all(|f| f.ends_with("伊賀市")), "{folders:?}");
    let index = json(&out.path().join("index.json"));
    let department = json(
        &out.path()
            .join(index["departments"][0]["file"].as_str().unwrap()),
    );
    let shared = (department["sheets"].as_array().unwrap().iter())
        .find(|s| s["source"]["file"] == "伊賀/a-sheets.txt")
        .expect("the text export's sheet");
    let warning = (shared["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "municipality_from_document")
        .expect("a warning says where the city came from");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("伊賀/b-workbook.xlsx"),
        "{warning}"
    );
}
