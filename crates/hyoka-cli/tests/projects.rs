//! Project evaluations (事務事業評価) read from list workbooks.
//!
//! The real list of 大船渡市 (令和7年度, 407 projects) is not in the
//! repository: it holds officials' names and telephone numbers. The test
//! reads it from `../shared/real/ofunato-r7/` beside the repository when it
//! is there, and says that it skipped otherwise. Every project is checked
//! against values this test reads from the workbook itself, with calamine
//! and its own simple lookup of header cells, not through hyoka.
//!
//! The fictional list `fixtures/projects/` (made by its `make_fixtures.py`)
//! is the golden case of another layout: years in a merged row over each
//! block, other labels.

mod support;

use support::root;

const FIXTURE: &str = "fixtures/projects/kaku-r6-list.xlsx";

/// A table of projects that cannot be read says what it saw, in the index,
/// instead of "no sheet found".
#[test]
fn an_unreadable_list_says_what_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.csv");
    std::fs::write(
        &input,
        "事務事業ID,部課名,根拠法令,事業費(A)\n0001,総務部総務課,地方自治法,100\n0002,総務部財政課,,200\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = support::import(&[input.to_str().unwrap()], &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let index = support::json(&out.join("index.json"));
    let entry = &index["inputs"][0];
    assert_eq!(entry["status"], "skipped");
    let error = entry["error"].as_str().unwrap();
    assert!(
        error.starts_with("worksheet")
            || error.starts_with("a list of 2 rows with 事務事業ID, 部課名"),
        "{error}"
    );
    assert!(
        error.contains("no project-name header (事務事業名, 事業名)"),
        "{error}"
    );
}

/// The project tables of the fictional list pass frictionless and DuckDB
/// (`tests/check_opendata.py`, when Python has them) and `hyoka validate`.
#[test]
fn the_project_tables_are_a_valid_data_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = support::import(&[FIXTURE, "fixtures/iga"], &out, &["--csv"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let costs = std::fs::read_to_string(out.join("csv/project_costs.csv")).unwrap();
    assert_eq!(costs.lines().count(), 1 + 3 * 3, "{costs}");
    let aspects = std::fs::read_to_string(out.join("csv/project_aspects.csv")).unwrap();
    assert_eq!(aspects.lines().count(), 1 + 3 * 8);
    let run = support::hyoka(&["validate", out.join("datapackage.json").to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let have_python = std::process::Command::new("python3")
        .args(["-c", "import frictionless, duckdb"])
        .status()
        .is_ok_and(|s| s.success());
    if !have_python {
        eprintln!("SKIPPED: python3 with frictionless and duckdb is missing");
        return;
    }
    let check = std::process::Command::new("python3")
        .arg(root().join("tests/check_opendata.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The report shows the project evaluations on their own page, linked from
/// the index, as well-formed markup and without personal data.
#[test]
fn the_report_lists_the_project_evaluations() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = support::import(&[FIXTURE], &out, &[]);
    assert!(run.status.success());
    let site = dir.path().join("site");
    let run = support::report(&out, &site, "ja");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"projects.html\">"), "{index}");
    let list = std::fs::read_to_string(site.join("projects.html")).unwrap();
    // A page per department, linked from the list.
    let mut pages = vec![("projects.html".to_owned(), list.clone())];
    for entry in std::fs::read_dir(site.join("projects")).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("projects/{}", path.file_name().unwrap().to_str().unwrap());
        assert!(
            list.contains(&format!("<a href=\"{name}\">")),
            "{name} not linked"
        );
        pages.push((name, std::fs::read_to_string(&path).unwrap()));
    }
    assert!(pages.len() > 1, "no department page");
    let all: String = pages.iter().map(|(_, p)| p.as_str()).collect();
    for name in [
        "架空公園維持管理事業",
        "架空防災訓練事業",
        "架空図書館運営事業",
        "公園緑地課",
    ] {
        assert!(all.contains(name), "{name}");
    }
    for personal in ["架空 太郎", "0000-00-000"] {
        assert!(!all.contains(personal), "{personal}");
    }
    // Each project's cost chart states the totals its record holds, and
    // each outcome indicator with a number has its chart.
    let grouped = |n: i64| {
        let digits = n.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    };
    let mut charts = 0;
    for name in support::files(&out.join("departments")).keys() {
        let file = support::json(&out.join("departments").join(name));
        for p in file["project_evaluations"].as_array().unwrap() {
            for c in p["costs"].as_array().unwrap() {
                let (Some(year), Some(total)) = (c["fiscal_year"].as_i64(), c["total"].as_f64())
                else {
                    continue;
                };
                if total.fract() != 0.0 {
                    continue;
                }
                let era = if year >= 2019 {
                    format!("R{}", year - 2018)
                } else {
                    format!("H{}", year - 1988)
                };
                let stated = format!("{year}({era}) トータルコスト {}", grouped(total as i64));
                assert!(all.contains(&stated), "{}: {stated}", p["project"]["name"]);
                charts += 1;
            }
            for ind in p["indicators"].as_array().unwrap() {
                let numbers = ind["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v["value"].is_number());
                if ind["kind"] == "outcome" && numbers {
                    let title = format!(
                        "<title>{} {}: ",
                        ind["slot"].as_str().unwrap(),
                        ind["name"].as_str().unwrap_or("(名称なし)")
                    );
                    assert!(all.contains(&title), "{title}");
                    charts += 1;
                }
            }
        }
    }
    assert!(charts > 0, "no chart checked");
    for (name, page) in &pages {
        let mut reader = quick_xml::Reader::from_str(page);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
    }
}
