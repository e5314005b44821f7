//! Messages follow the locale: Japanese under a Japanese locale or
//! `--lang ja`, English otherwise; JSON output does not change.

mod support;

use std::process::{Command, Output};

use support::{json, root};

fn hyoka_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hyoka"));
    cmd.args(args).current_dir(root());
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("hyoka runs")
}

#[test]
fn japanese_error_under_japanese_locale() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga/000_46863bf7e879b4fa.txt",
            "fixtures/no-such-file.txt",
            "--out",
            dir,
            "--quiet",
        ],
        &[("LANG", "ja_JP.UTF-8")],
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(
        stderr,
        "エラー: fixtures/no-such-file.txt: そのようなファイルまたはフォルダはありません\n"
    );
    // The index is the same whoever ran the import.
    let index = json(&out.path().join("index.json"));
    assert_eq!(index["inputs"][1]["error"], "no such file or folder");
}

#[test]
fn library_errors_are_japanese_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("sheet.xlsx");
    std::fs::write(&bad, b"this is not a workbook at all").unwrap();
    let out = dir.path().join("out");
    let run = hyoka_env(
        &[
            "import",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")],
    );
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("エラー: "), "{stderr}");
    assert!(stderr.contains("ブックではありません"), "{stderr}");
    assert!(
        stderr.contains("hyoka: ファイル 1 件(成功 0、対象外 0、失敗 1)"),
        "{stderr}"
    );
    let index = json(&out.join("index.json"));
    let error = index["inputs"][0]["error"].as_str().unwrap();
    assert!(error.contains("is not an xlsx workbook"), "{error}");
}

#[test]
fn lang_flag_overrides_the_locale() {
    let run = hyoka_env(
        &["import", "fixtures/iga", "--lang", "en"],
        &[("LANG", "ja_JP.UTF-8")],
    );
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "hyoka import: give --out DIR (or --jsonl PATH) to say where the output goes\n"
    );
    let run = hyoka_env(&["import", "fixtures/iga", "--lang", "ja"], &[]);
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "hyoka import: 出力先を --out DIR(または --jsonl PATH)で指定してください\n"
    );
}

#[test]
fn english_by_default_and_under_other_locales() {
    for env in [
        &[][..],
        &[("LANG", "de_DE.UTF-8")][..],
        &[("LC_ALL", "C")][..],
    ] {
        let run = hyoka_env(&["import", "fixtures/iga"], env);
        assert!(
            String::from_utf8(run.stderr)
                .unwrap()
                .contains("give --out DIR"),
            "{env:?}"
        );
    }
}

#[test]
fn warnings_and_panel_changes_are_japanese() {
    let out = tempfile::tempdir().unwrap();
    let run = hyoka_env(
        &[
            "import",
            "fixtures/workbooks/iga-2022-workbook.xlsx",
            "fixtures/years/iga-2023-workbook.xlsx",
            "--out",
            out.path().to_str().unwrap(),
            "--verbose",
        ],
        &[("LANG", "ja_JP.UTF-8")],
    );
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8(run.stderr).unwrap();
    // A sheet warning: its meaning in Japanese, with its stable code.
    assert!(
        stderr.contains("自治体名を文書の表紙から読み取りました")
            && stderr.contains("[municipality_from_document]"),
        "{stderr}"
    );
    // The panel's change of target.
    assert!(
        stderr.contains(
            "警告: 成果指標 市ホームページ アクセス数: 2023 年度の報告で目標値が 4200000 (single_year) から 5000000 (single_year) に変わりました"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    // The JSON stays English.
    let panel = json(&out.path().join("kpi_series.json"));
    assert!(
        panel["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("the target changed from 4200000")
    );
}
