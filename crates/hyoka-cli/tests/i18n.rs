//! Messages follow the locale: Japanese under a Japanese locale or
//! `--lang ja`, English otherwise; JSON output does not change.

mod support;

use std::process::{Command, Output};

use support::{department, json, root};

/// A Japanese locale.
const JA: &[(&str, &str)] = &[("LANG", "ja_JP.UTF-8")];

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
        JA,
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
    let run = hyoka_env(&["import", "fixtures/iga", "--lang", "en"], JA);
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
        JA,
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

#[test]
fn a_bad_manifest_is_japanese_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::create_dir(dir.path().join("iga")).unwrap();
    // Saved by a spreadsheet: CRLF line ends.
    std::fs::write(
        &manifest,
        "path,municipality_code,municipality_name\r\n\
         iga,242161,伊賀市\r\n\
         nowhere,131016,千代田区\r\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = hyoka_env(
        &[
            "import",
            "--manifest",
            manifest.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        JA,
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    // The file, the line and the path, in Japanese.
    assert!(
        stderr.contains(&format!("--manifest {} の 3 行目: ", manifest.display())),
        "{stderr}"
    );
    assert!(stderr.contains("nowhere"), "{stderr}");
    assert!(
        stderr.contains("マニフェストのあるフォルダからの相対パス")
            && stderr.contains("見つかりません"),
        "{stderr}"
    );
    assert!(!stderr.contains("line 3"), "{stderr}");

    // A wrong header names line 1 and the header expected.
    std::fs::write(&manifest, "file,code\nfixtures/iga,242161\n").unwrap();
    let run = hyoka_env(
        &[
            "import",
            "--manifest",
            manifest.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        JA,
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains(
            "1 行目は見出し `path,municipality_code,municipality_name`(UTF-8 の CSV)でなければなりませんが、`file,code` でした"
        ),
        "{stderr}"
    );
}

#[test]
fn a_wrong_check_digit_is_japanese_and_gives_the_expected_code() {
    let out = tempfile::tempdir().unwrap();
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga",
            "--municipality",
            "242162",
            "--out",
            out.path().to_str().unwrap(),
        ],
        JA,
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(
        stderr,
        "hyoka import: `242162` の検査数字が違います。24216 で始まるコードの末尾は 1 です(242161)。\
         公式の一覧でコードを確かめてください\n"
    );
    assert!(!out.path().join("index.json").exists());

    // In a manifest: the same words, after the file and line.
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::write(
        &manifest,
        "path,municipality_code,municipality_name\nfixtures/iga,２４２１６０,伊賀市\n",
    )
    .unwrap();
    let run = hyoka_env(
        &[
            "import",
            "--manifest",
            manifest.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[("LC_MESSAGES", "ja_JP.UTF-8")],
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "--manifest {} の 2 行目: `242160` の検査数字が違います",
            manifest.display()
        )) && stderr.contains("(242161)"),
        "{stderr}"
    );

    // A code of the wrong shape; and English without a Japanese locale.
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga",
            "--municipality",
            "24216",
            "--lang",
            "ja",
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("`24216` は全国地方公共団体コードではありません"),
        "{stderr}"
    );
    let run = hyoka_env(&["import", "fixtures/iga", "--municipality", "242162"], &[]);
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("`242162` has a wrong check digit: the code for 24216 ends in 1")
    );
}

#[test]
fn a_tampered_data_package_is_reported_in_japanese() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let run = hyoka_env(
        &["import", "fixtures/iga", "--out", dir, "--csv", "--quiet"],
        JA,
    );
    assert_eq!(run.status.code(), Some(0));
    let package = out.path().join("datapackage.json");
    let package_shown = package.to_str().unwrap();

    // Intact: the summary is Japanese.
    let run = hyoka_env(&["validate", package_shown], JA);
    assert_eq!(run.status.code(), Some(0));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(
        stdout.contains(&format!("{package_shown}: 12 個の表の "))
            && stdout.contains("行がテーブルスキーマに適合しています"),
        "{stdout}"
    );

    // A KPI value made a duplicate row and a bad number: the file, the
    // line and the field, in Japanese.
    let values = out.path().join("csv/kpi_values.csv");
    let text = std::fs::read_to_string(&values).unwrap();
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    let dup = lines[1].clone();
    lines.insert(2, dup);
    std::fs::write(&values, lines.join("\r\n")).unwrap();
    let run = hyoka_env(&["validate", package_shown], JA);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{package_shown}: csv/kpi_values.csv: SHA-256 sha256:"
        )) && stderr.contains("パッケージを書き出した後にファイルが変更されています"),
        "{stderr}"
    );
    assert!(
        stderr.contains("csv/kpi_values.csv の 3 行目: 主キー (")
            && stderr.contains("が前の行と重複しています"),
        "{stderr}"
    );
    assert!(!stderr.contains("line 3"), "{stderr}");
    assert!(!stderr.contains("changed after"), "{stderr}");
    // The same package under an English locale: the English words.
    let run = hyoka_env(&["validate", package_shown], &[("LANG", "en_US.UTF-8")]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("csv/kpi_values.csv, line 3: primary key (")
            && stderr.contains("repeats an earlier row"),
        "{stderr}"
    );
}

#[test]
fn a_stale_data_package_note_is_japanese() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let run = hyoka_env(&["import", "fixtures/iga", "--out", dir, "--csv"], JA);
    assert_eq!(run.status.code(), Some(0));
    let run = hyoka_env(&["import", "fixtures/iga", "--out", dir, "--replace"], JA);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("お知らせ: ")
            && stderr.contains("datapackage.json を削除しました: 前回の取り込みで書き出され"),
        "{stderr}"
    );
    assert!(!stderr.contains("note:"), "{stderr}");
}

#[test]
fn command_line_errors_are_japanese() {
    let run = hyoka_env(&["import", "fixtures/iga", "--jobs", "x"], JA);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "エラー: 'x' は --jobs <N> の値として正しくありません(0 以上の整数を指定してください)\n\
         \n詳しくは --help を付けて実行してください。\n"
    );
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga",
            "--manifest",
            "m.csv",
            "--municipality",
            "242161",
        ],
        JA,
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "エラー: --manifest <FILE.csv> は --municipality <CODE> と同時には指定できません\n"
        ) && stderr.contains("\n使い方: hyoka import "),
        "{stderr}"
    );
    // `--lang` is honoured even though clap refused the command line.
    let run = hyoka_env(&["import", "--lng", "ja", "--lang", "ja"], &[]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.starts_with("エラー: 引数 '--lng' は不明です\n")
            && stderr.contains("ヒント: '--lang' のことですか?"),
        "{stderr}"
    );
    let run = hyoka_env(&["imprt"], &[("LANG", "en_US.UTF-8")]);
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .starts_with("error: unrecognized subcommand 'imprt'")
    );
}

#[test]
fn a_tampered_department_file_is_reported_in_japanese() {
    let out = tempfile::tempdir().unwrap();
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga",
            "--out",
            out.path().to_str().unwrap(),
            "--quiet",
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(0));
    let index = json(&out.path().join("index.json"));
    let file = out
        .path()
        .join(index["departments"][0]["file"].as_str().unwrap());
    let mut doc = json(&file);
    doc["sheets"][0]["fiscal_year"] = "2022".into();
    doc["sheets"][0]
        .as_object_mut()
        .unwrap()
        .remove("department");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = hyoka_env(&["validate", file.to_str().unwrap()], JA);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains(
            "department.schema.json に適合しません: `/sheets/0` の位置: 必須のプロパティ \"department\" がありません"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "`/sheets/0/fiscal_year` の位置: \"2022\" の型が違います(null または integer であるべきです)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("does not match"), "{stderr}");
}

#[test]
fn a_bad_template_is_japanese_and_names_the_key_and_line() {
    let builtin = String::from_utf8(hyoka_env(&["template"], &[]).stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, builtin.replace("baseline = ", "base_line = ")).unwrap();
    let line = builtin
        .lines()
        .position(|l| l.starts_with("baseline = "))
        .unwrap()
        + 1;
    let out = dir.path().join("out");
    let run = hyoka_env(
        &[
            "import",
            "fixtures/iga",
            "--template",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        JA,
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "テンプレートを読めません: {line} 行 1 列目: 不明なキー `base_line` があります"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown field"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn help_is_japanese_under_a_japanese_locale() {
    let run = hyoka_env(&["import", "--help"], JA);
    assert_eq!(run.status.code(), Some(0));
    let help = String::from_utf8(run.stdout).unwrap();
    assert!(help.starts_with("ファイルとフォルダを取り込み"), "{help}");
    assert!(help.contains("使い方: hyoka import"), "{help}");
    assert!(
        help.contains("出力先のフォルダ(なければ作成します)") && help.contains("[既定: 200000]"),
        "{help}"
    );
    for english in ["Usage:", "Options:", "Print help", "The output folder"] {
        assert!(!help.contains(english), "{english}: {help}");
    }
    let run = hyoka_env(&["import", "--help"], &[]);
    let help = String::from_utf8(run.stdout).unwrap();
    assert!(
        help.contains("Usage: hyoka import") && help.contains("The output folder"),
        "{help}"
    );
}

#[test]
fn checking_an_output_folder_speaks_japanese() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let run = hyoka_env(&["import", "fixtures/iga", "--out", dir, "--quiet"], JA);
    assert_eq!(run.status.code(), Some(0));
    let run = hyoka_env(&["validate", dir], JA);
    assert_eq!(run.status.code(), Some(0));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("正しい出力フォルダです"), "{stdout}");
    // A department file changed after the import, and a file nobody listed.
    let file = department(out.path(), "財務部");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.push(b'\n');
    std::fs::write(&file, bytes).unwrap();
    std::fs::write(out.path().join("extra.json"), b"{}").unwrap();
    let run = hyoka_env(&["validate", dir], JA);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("財務部.json: SHA-256 が index.json の記録と違います")
            && stderr.contains("extra.json: index.json に載っていません")
            && stderr.contains("食い違っています(2 件)"),
        "{stderr}"
    );
    assert!(!stderr.contains("not listed"), "{stderr}");
}
