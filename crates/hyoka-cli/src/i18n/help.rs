//! Command-line help and clap's own errors in Japanese: clap words them
//! in English only, so each is given here by command and argument.

use super::{Lang, error_prefix_in};

/// A command-line error of clap's in Japanese, laid out as clap lays out
/// its English; `None` for what is not an error (help, version) or a kind
/// not known here, which clap then prints itself.
pub fn clap_error_ja(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let text = |kind: C| match e.get(kind) {
        Some(V::String(s)) => s.clone(),
        Some(V::Strings(v)) => v.join(", "),
        Some(V::StyledStr(s)) => s.to_string(),
        Some(V::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let list = |kind: C| match e.get(kind) {
        Some(V::Strings(v)) => v.clone(),
        Some(V::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    // clap's other tips are English sentences; the two it gives for an
    // unknown word are worded again, any other is reduced to what it names.
    let suggested = |word: &str| -> Vec<String> {
        let Some(V::StyledStrs(tips)) = e.get(C::Suggested) else {
            return Vec::new();
        };
        tips.iter()
            .map(|tip| {
                let tip = tip.to_string();
                let named = tip.split('\'').nth(1).unwrap_or_default().to_owned();
                if tip.starts_with("to pass") {
                    format!(
                        "'{word}' を値として渡すには '{}' としてください",
                        tip.split('\'').nth(3).unwrap_or_default()
                    )
                } else if tip.contains("remove the '--'") {
                    format!("サブコマンド '{named}' を使うには、その前の '--' を外してください")
                } else {
                    format!("'{named}' があります")
                }
            })
            .collect()
    };
    let arg = text(C::InvalidArg);
    let value = text(C::InvalidValue);
    let mut tips = Vec::new();
    let message = match e.kind() {
        K::InvalidValue if value.is_empty() => format!("{arg} に値がありません"),
        K::InvalidValue => {
            for s in list(C::SuggestedValue) {
                tips.push(format!("'{s}' のことですか?"));
            }
            let valid = list(C::ValidValue);
            if valid.is_empty() {
                format!("'{value}' は {arg} の値として使えません")
            } else {
                format!(
                    "'{value}' は {arg} の値として使えません(使える値: {})",
                    valid.join(", ")
                )
            }
        }
        K::ValueValidation => {
            let number = arg.ends_with("<N>") || arg.ends_with("<BYTES>");
            format!(
                "'{value}' は {arg} の値として正しくありません{}",
                if number {
                    "(0 以上の整数を指定してください)"
                } else {
                    ""
                }
            )
        }
        K::UnknownArgument => {
            for s in list(C::SuggestedArg) {
                tips.push(format!("'{s}' のことですか?"));
            }
            tips.extend(suggested(&arg));
            format!("引数 '{arg}' は不明です")
        }
        K::InvalidSubcommand => {
            let similar = list(C::SuggestedSubcommand);
            if !similar.is_empty() {
                let quoted: Vec<String> = similar.iter().map(|s| format!("'{s}'")).collect();
                tips.push(format!("{} のことですか?", quoted.join(" か ")));
            }
            let sub = text(C::InvalidSubcommand);
            tips.extend(suggested(&sub));
            format!("サブコマンド '{sub}' は不明です")
        }
        K::ArgumentConflict => {
            let prior = list(C::PriorArg);
            if prior.is_empty() {
                format!("{arg} は他の引数と同時には指定できません")
            } else {
                format!("{arg} は {} と同時には指定できません", prior.join(", "))
            }
        }
        K::MissingRequiredArgument => {
            let mut m = "次の必須の引数が指定されていません:".to_owned();
            for a in list(C::InvalidArg) {
                m.push_str("\n  ");
                m.push_str(&a);
            }
            m
        }
        K::MissingSubcommand => format!(
            "'{}' にはサブコマンドを指定してください",
            text(C::InvalidSubcommand)
        ),
        K::NoEquals => format!("{arg} の値は '=' に続けて指定してください"),
        K::TooManyValues => format!("'{value}' は余分です。{arg} に渡せる値の数を超えています"),
        K::TooFewValues | K::WrongNumberOfValues => {
            format!("{arg} に渡す値の数が正しくありません")
        }
        K::InvalidUtf8 => "引数に UTF-8 でない文字が含まれています".to_owned(),
        _ => return None,
    };
    let mut out = format!("{}: {message}\n", error_prefix_in(Lang::Ja));
    for tip in tips {
        out.push_str(&format!("\n  ヒント: {tip}\n"));
    }
    let usage = text(C::Usage);
    if !usage.is_empty() {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").map_or(usage, str::trim_start);
        out.push_str(&format!("\n使い方: {usage}\n"));
    }
    out.push_str("\n詳しくは --help を付けて実行してください。\n");
    Some(out)
}

/// The Japanese of `--help`: (subcommand, argument id, text); an empty
/// argument id is the command's own line, an empty subcommand the top.
const HELP_JA: &[(&str, &str, &str)] = &[
    (
        "",
        "",
        "施策評価シートを検証済みのオープンデータにします: 部局ごとの JSON と index.json",
    ),
    (
        "",
        "lang",
        "メッセージとレポートの言語(既定: LC_ALL・LC_MESSAGES・LANG のうち最初に設定されているもの。ja で始まれば日本語)",
    ),
    (
        "import",
        "",
        "ファイルとフォルダを取り込み、DIR/<部局>.json と DIR/index.json を書き出します",
    ),
    (
        "import",
        "inputs",
        "入力ファイル(.txt .tsv .csv .xlsx .xlsm .xls .ods .pdf)と、たどるフォルダ(--manifest があるときの既定: その一覧のパス)",
    ),
    (
        "import",
        "municipality",
        "すべての入力の自治体の全国地方公共団体コード(検査数字を含む 6 桁。伊賀市は 242161)。名前は hyoka に組み込みのコード一覧から補います",
    ),
    (
        "import",
        "municipality_name",
        "すべての入力の自治体名(伊賀市)",
    ),
    (
        "import",
        "manifest",
        "ファイルやフォルダごとに誰のシートかを書いた CSV `path,municipality_code,municipality_name`(パスはマニフェストからの相対)",
    ),
    (
        "import",
        "csv",
        "オープンデータポータル向けに DIR/csv/<表>.csv と DIR/datapackage.json(Frictionless Data Package)も書き出します",
    ),
    (
        "import",
        "csv_headers",
        "CSV の見出しの言語: 日本語(ja)か英語の snake_case(en)",
    ),
    (
        "import",
        "xlsx",
        "表を一つの Excel ブック DIR/tables.xlsx にも書き出します(表ごとにワークシート一枚。コードは文字列、数値は数値)",
    ),
    (
        "import",
        "title",
        "データパッケージのタイトル(ポータルに表示されるデータセット名)",
    ),
    ("import", "description", "データパッケージの説明"),
    (
        "import",
        "license",
        "ライセンスの識別子(CC-BY-4.0、PDL-1.0、CC0-1.0、CC-BY-2.1-JP など)。よく使われるものには名称と URL を添えます",
    ),
    (
        "import",
        "publisher",
        "データの公開者(伊賀市 総務部 広報広聴課 など)",
    ),
    ("import", "contact", "問い合わせ先: メールアドレスか URL"),
    ("import", "modified", "データの更新日(YYYY-MM-DD)"),
    (
        "import",
        "package_meta",
        "同じキー(title, description, license, publisher, contact, modified)を書いた TOML ファイル。フラグがあればそちらが優先します",
    ),
    (
        "import",
        "out",
        "出力先のフォルダ(なければ作成します)。前回の取り込みがあれば追加します: 今回読み直す入力の記録を除いて、前回の記録は残ります",
    ),
    (
        "import",
        "replace",
        "今回の入力だけで出力先を書き直します: 前回の記録や他の年度、(--csv がなければ)CSV の表もなくなります",
    ),
    (
        "import",
        "jsonl",
        "1 行に 1 シートの JSON Lines もこのファイルに書き出します(`-` で標準出力)",
    ),
    (
        "import",
        "jobs",
        "並列ジョブ数(既定: すべてのコア)。出力はどの値でも同じです",
    ),
    ("import", "quiet", "進捗バーと最後の集計行を表示しません"),
    (
        "import",
        "strict",
        "警告のあるシートを失敗した入力として扱います(終了ステータス 1)",
    ),
    (
        "import",
        "verbose",
        "見つけた警告をすべて標準エラーに表示します",
    ),
    (
        "import",
        "template",
        "組み込みのテンプレートの代わりに、このテンプレートファイル(TOML。`hyoka template` の出力から始めてください)のラベルでシートを読みます",
    ),
    (
        "import",
        "follow_symlinks",
        "入力フォルダの中のシンボリックリンクをたどります(既定では警告を出して読み飛ばすので、フォルダの外は読みません)",
    ),
    (
        "import",
        "max_input_bytes",
        "読み込む入力ファイルの最大バイト数",
    ),
    (
        "import",
        "max_rows",
        "一つのテキストファイルまたはワークシートから読む最大行数(値のある行)",
    ),
    (
        "import",
        "max_cells",
        "一つのテキストファイルまたはワークシートから読む最大セル数(値の間の空のセルを含む)",
    ),
    ("import", "max_cell_bytes", "読み込むセルの最大バイト数"),
    (
        "import",
        "max_uncompressed_bytes",
        "zip 形式のブック(.xlsx .xlsm .ods)の部品を展開したときの合計の最大バイト数",
    ),
    (
        "import",
        "max_compression_ratio",
        "zip 形式のブックの部品(展開して 1 MiB を超えるもの)に許す最大の圧縮率。zip 爆弾はこれをはるかに超えます",
    ),
    ("import", "max_pdf_pages", "PDF の最大ページ数"),
    ("import", "max_pdf_objects", "PDF の最大オブジェクト数"),
    (
        "import",
        "max_pdf_stream_bytes",
        "PDF の内容を展開・描画したときの最大バイト数(フォームを描くたびに数えます)",
    ),
    (
        "import",
        "max_pdf_operators",
        "PDF の内容から読む演算子・オペランド・グリフの最大数(ストリームを描くたびに数えます)",
    ),
    (
        "remove",
        "",
        "出力フォルダから記録を削除し(年度・入力・自治体で指定)、残りでフォルダを書き直します",
    ),
    ("remove", "dir", "`hyoka import --out` が書き出したフォルダ"),
    (
        "remove",
        "fiscal_year",
        "この年度(西暦、2022)の記録を削除します",
    ),
    (
        "remove",
        "source",
        "この入力(index.json の `inputs[].file` の名前)から読んだ記録を削除します",
    ),
    (
        "remove",
        "municipality",
        "この自治体(6 桁の全国地方公共団体コード)の記録を削除します",
    ),
    ("remove", "jobs", "並列ジョブ数(既定: すべてのコア)"),
    ("remove", "quiet", "最後の集計行を表示しません"),
    (
        "validate",
        "",
        "JSON ファイルを、それが従うスキーマ(部局・index・KPI パネル・データパッケージ)で検査します。データパッケージの CSV ファイルはそのテーブルスキーマでも検査します。フォルダを渡すと、出力フォルダ全体を index.json と突き合わせます",
    ),
    (
        "validate",
        "files",
        "`hyoka import` が書き出した JSON ファイル、または出力フォルダ",
    ),
    (
        "validate",
        "max_bytes",
        "一つのファイルから読む最大バイト数",
    ),
    (
        "template",
        "",
        "組み込みのテンプレート(パーサが探すラベル)をコメント付きの TOML で表示します。写しを編集して `import --template` に渡してください",
    ),
    (
        "report",
        "",
        "取り込みの出力フォルダから静的なサイト(HTML、スクリプトなし)を書き出します",
    ),
    ("report", "dir", "`hyoka import --out` が書き出したフォルダ"),
    (
        "report",
        "out",
        "サイトを書き出すフォルダ(なければ作成します)",
    ),
    (
        "schema",
        "",
        "出力の JSON Schema(draft 2020-12)を表示します",
    ),
    (
        "schema",
        "kind",
        "表示するスキーマ(<部局>.json、index.json、kpi_series.json、datapackage.json)",
    ),
    (
        "help",
        "",
        "このヘルプ、または指定したサブコマンドのヘルプを表示します",
    ),
    ("help", "subcommand", "ヘルプを表示するサブコマンド"),
];

/// The command line with its help in Japanese: every command's line and
/// argument's help from [`HELP_JA`], clap's headings and its bracketed
/// defaults and values worded in Japanese too.
pub fn command_ja(mut cmd: clap::Command) -> clap::Command {
    // Built first, so clap's own `--help`, `--version` and `help` exist
    // and global arguments have reached the subcommands.
    cmd.build();
    localize(cmd, "")
}

pub fn help_ja(command: &str, arg: &str) -> Option<&'static str> {
    HELP_JA
        .iter()
        .find(|(c, a, _)| *c == command && *a == arg)
        .map(|(_, _, text)| *text)
}

fn localize(mut cmd: clap::Command, name: &str) -> clap::Command {
    if let Some(about) = help_ja(name, "") {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    cmd = cmd
        .help_template("{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("コマンド");
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let text = match id.as_str() {
            "help" => Some("ヘルプを表示します"),
            "version" => Some("バージョンを表示します"),
            // A global argument's text is the top's.
            _ => help_ja(name, &id).or_else(|| help_ja("", &id)),
        };
        cmd = cmd.mut_arg(&id, |mut a| {
            if let Some(text) = text {
                let mut help = text.to_owned();
                if a.get_action().takes_values() {
                    let defaults: Vec<String> = a
                        .get_default_values()
                        .iter()
                        .map(|v| v.to_string_lossy().into_owned())
                        .collect();
                    if !defaults.is_empty() && !a.is_hide_default_value_set() {
                        help.push_str(&format!(" [既定: {}]", defaults.join(", ")));
                        a = a.hide_default_value(true);
                    }
                    let values: Vec<String> = a
                        .get_possible_values()
                        .iter()
                        .filter(|v| !v.is_hide_set())
                        .map(|v| v.get_name().to_owned())
                        .collect();
                    if !values.is_empty() && !a.is_hide_possible_values_set() {
                        help.push_str(&format!(" [値: {}]", values.join(", ")));
                        a = a.hide_possible_values(true);
                    }
                }
                a = a.help(help).long_help(None::<&str>);
            }
            let heading = if a.is_positional() {
                "引数"
            } else {
                "オプション"
            };
            a.help_heading(heading)
        });
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for sub in subcommands {
        cmd = cmd.mut_subcommand(&sub, |s| localize(s, &sub));
    }
    cmd
}
