//! Every message hyoka prints, in English and Japanese side by side.
//!
//! The language is chosen once per run ([`init`]): `--lang ja|en`, else the
//! locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, the first one set, as
//! POSIX orders them) starting with `ja`, else English. Messages that also
//! go into JSON (an input's `error` in `index.json`) are rendered twice:
//! [`Msg::en`] for the file, so output does not depend on who ran the
//! import, and [`Msg`]'s `Display` for stderr.
//!
//! To add a message: add a variant to [`Msg`] and its two texts to
//! [`Msg::render`]; the compiler points at anything missing.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use hyoka::municipality::CodeError;
use hyoka::warning::Warning;

/// The languages hyoka speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
}

static LANG: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// The language a locale value names (`ja_JP.UTF-8` → Japanese).
    pub fn of_locale(value: &str) -> Lang {
        if value.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The language of the environment's locale.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::of_locale(&v))
    }
}

impl Lang {
    /// The language `--lang` names among raw arguments (before clap has
    /// read them, for clap's own errors), if it is given and valid.
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<Lang> {
        let mut args = args.into_iter();
        let mut found = None;
        while let Some(arg) = args.next() {
            let value = match arg.to_str() {
                Some("--") => break,
                Some("--lang") => args.next(),
                Some(a) => a.strip_prefix("--lang=").map(Into::into),
                None => None,
            };
            match value.as_ref().and_then(|v| v.to_str()) {
                Some("ja") => found = Some(Lang::Ja),
                Some("en") => found = Some(Lang::En),
                _ => {}
            }
        }
        found
    }
}

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
        "すべての入力の自治体の全国地方公共団体コード(検査数字を含む 6 桁。伊賀市は 242161)",
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
    ("import", "out", "出力先のフォルダ(なければ作成します)"),
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

/// Fixes the language for the run: `flag` when given, else the locale.
pub fn init(flag: Option<Lang>) {
    let _ = LANG.set(flag.unwrap_or_else(Lang::from_env));
}

/// The language of this run.
pub fn lang() -> Lang {
    *LANG.get_or_init(Lang::from_env)
}

/// Picks the text of the run's language.
pub fn pick<'a>(en: &'a str, ja: &'a str) -> &'a str {
    match lang() {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// What a type outside this module says, worded by its owner in both
/// languages: the messages module imports nothing from the rest of the
/// CLI, and each error type keeps its Japanese beside its English.
pub trait Localized: fmt::Debug + Send + Sync {
    /// The words in `lang`.
    fn render(&self, lang: Lang) -> String;
}

/// A message hyoka prints.
#[derive(Debug)]
pub enum Msg {
    // Usage errors of `hyoka import`.
    OutOrJsonlMissing,
    OutIsFile(String),
    OutIsInput(String),
    JsonlIsInput {
        jsonl: String,
        input: String,
    },
    CannotStartJobs(usize, String),
    /// A `--manifest` that is refused, naming the line.
    Manifest(Box<dyn Localized>),
    /// A `--municipality` code that is refused.
    MunicipalityCode(CodeError),
    /// A `--template` file that does not read; the error names the key.
    Template {
        path: String,
        error: Box<dyn Localized>,
    },
    // Reading inputs.
    CannotRead(std::io::Error),
    NoSuchFile,
    Library(hyoka::Error),
    SheetDoesNotMatchSchema {
        ordinal: u32,
        errors: Vec<String>,
    },
    Strict(usize),
    NoSheet,
    StrictNoSheet,
    WalkSkipped(walkdir::Error),
    SymlinkNotFollowed(String),
    // Writing output.
    CannotWrite(String, std::io::Error),
    CannotWriteDepartment(String, String, std::io::Error),
    CannotWriteJsonl(String, std::io::Error),
    OutputInvalid {
        path: String,
        errors: Vec<String>,
    },
    // Progress and summary.
    Progress,
    SheetsSoFar(usize),
    Summary(Box<Summary>),
    /// No input that hyoka reads: nothing was written.
    NoInput {
        /// Files of other types found.
        others: usize,
        /// The output folder, left as it was.
        out: Option<String>,
    },
    /// Why a file met in a walked folder is not read.
    NotRead(Box<dyn Localized>),
    /// A file named on the command line that is not a regular file.
    NotRegular(&'static str),
    /// The output folder could not be opened or locked.
    OutputFolder(String),
    /// A write failed; the set was not committed.
    NothingWritten(String),
    /// A commit stopped between renames.
    PartlyWritten {
        dir: String,
        renamed: usize,
    },
    /// Something failed to write (already worded by the output layer).
    WriteFailed(String),
    /// An earlier department file kept because some input failed.
    KeptEarlier {
        file: String,
        dir: String,
        department: String,
    },
    /// A file an earlier run wrote and this one does not.
    RemovedEarlier {
        file: String,
        dir: String,
    },
    // `hyoka validate`.
    NotJson(String, Box<dyn Localized>),
    Valid(String, &'static str),
    DoesNotMatch(String, &'static str, Box<dyn Localized>),
    /// A data package whose files match their table schemas.
    PackageValid {
        path: String,
        tables: usize,
        rows: usize,
    },
    /// A problem in a data package's files.
    PackageProblem(String, Box<dyn Localized>),
    /// An earlier `datapackage.json` that is not hyoka's, left alone.
    // `hyoka report`.
    ReportCannotRead(String, Box<dyn Localized>),
    ReportWritten {
        dir: String,
        pages: usize,
    },
    // Warnings found in sheets (`--verbose`).
    SheetWarning(String, Warning),
    // The panel across years.
    SeriesChanged {
        kpi: String,
        field: &'static str,
        from: String,
        to: String,
        report_fiscal_year: i32,
    },
}

/// The counts of the closing summary line.
#[derive(Debug)]
pub struct Summary {
    pub files: usize,
    /// Files in walked folders that were not read (counted in `skipped`).
    pub not_read: usize,
    /// What was written: `Some(n)` files into `out`, `None` when nothing.
    pub wrote: Option<(usize, String)>,
    pub ok: usize,
    pub skipped: usize,
    pub failed: usize,
    pub sheets: usize,
    /// Files named on the command line that gave no sheet.
    pub named_without_sheet: Vec<String>,
    /// Project evaluations (事務事業評価); named only when there are some.
    pub projects: usize,
    pub departments: usize,
    pub warnings: usize,
    pub seconds: f64,
    pub peak_mib: Option<u64>,
}

impl Msg {
    /// The English text, for JSON output.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        match self {
            Msg::OutOrJsonlMissing => t(
                "give --out DIR (or --jsonl PATH) to say where the output goes".into(),
                "出力先を --out DIR(または --jsonl PATH)で指定してください".into(),
            ),
            Msg::OutIsFile(p) => t(
                format!("--out {p} is a file, not a folder; give a folder for the department files"),
                format!("--out {p} はフォルダではなくファイルです。部局ファイルの出力先フォルダを指定してください"),
            ),
            Msg::OutIsInput(p) => t(
                format!("--out {p} is an input file; hyoka never writes over its inputs"),
                format!("--out {p} は入力ファイルです。hyoka は入力ファイルを上書きしません"),
            ),
            Msg::JsonlIsInput { jsonl, input } => t(
                format!("--jsonl {jsonl} is the input file {input}; hyoka never writes over its inputs"),
                format!("--jsonl {jsonl} は入力ファイル {input} です。hyoka は入力ファイルを上書きしません"),
            ),
            Msg::CannotStartJobs(n, e) => t(
                format!("cannot start {n} jobs: {e}"),
                format!("{n} 個のジョブを開始できません: {e}"),
            ),
            Msg::Manifest(e) => e.render(lang),
            Msg::MunicipalityCode(e) => t(e.to_string(), e.message_ja()),
            Msg::Template { path, error } => t(
                format!(
                    "--template {path}: {}\n(print the built-in template with \
                     `hyoka template` and edit a copy)",
                    error.render(Lang::En)
                ),
                format!(
                    "--template {path}: テンプレートを読めません: {}\n\
                     (組み込みのテンプレートを `hyoka template` で表示し、その写しを編集してください)",
                    error.render(Lang::Ja)
                ),
            ),
            Msg::NoInput { others, out } => t(
                format!(
                    "no input to read: the inputs hold no .txt, .tsv, .csv, .xlsx, .xlsm, .xls, \
                     .ods or .pdf file{}; nothing was written{}",
                    match others {
                        0 => String::new(),
                        n => format!(" ({n} file(s) of other types, not read)"),
                    },
                    out.as_ref()
                        .map_or(String::new(), |o| format!(" and {o} is left as it was")),
                ),
                format!(
                    "読み込む入力がありません: .txt .tsv .csv .xlsx .xlsm .xls .ods .pdf のファイルが\
                     見つかりません{}。何も書き出していません{}",
                    match others {
                        0 => String::new(),
                        n => format!("(他の形式のファイル {n} 件は読みません)"),
                    },
                    out.as_ref()
                        .map_or(String::new(), |o| format!("({o} は元のままです)")),
                ),
            ),
            Msg::NotRead(reason) => reason.render(lang),
            Msg::NotRegular(what) => t(
                format!(
                    "is {what}, not a regular file; hyoka reads only regular files \
                     (copy the content to a file and import that)"
                ),
                format!(
                    "通常のファイルではありません({})。hyoka は通常のファイルだけを読みます\
                     (内容をファイルに保存して取り込んでください)",
                    special_file_ja(what)
                ),
            ),
            Msg::OutputFolder(detail) => t(
                detail.clone(),
                format!("出力フォルダを使えません: {detail}"),
            ),
            Msg::NothingWritten(dir) => t(
                format!("NOTHING written to {dir}: the earlier output is left exactly as it was"),
                format!("{dir} には何も書き出していません。前回の出力はそのまま残っています"),
            ),
            Msg::PartlyWritten { dir, renamed } => t(
                format!(
                    "{dir} is only partly written ({renamed} file(s) replaced, index.json not): \
                     `hyoka validate {dir}` lists the disagreement; run the import again"
                ),
                format!(
                    "{dir} は一部だけ書き換わっています({renamed} ファイルを置き換え、index.json は未更新)。\
                     `hyoka validate {dir}` で食い違いを確認し、取り込みをやり直してください"
                ),
            ),
            Msg::WriteFailed(detail) => t(
                detail.clone(),
                format!("書き出せませんでした: {detail}"),
            ),
            Msg::KeptEarlier {
                file,
                dir,
                department,
            } => t(
                format!(
                    "kept {file} in {dir}: department {department} is not in this import, but \
                     some inputs failed and it may be in one of them; it is listed under `kept` \
                     in index.json"
                ),
                format!(
                    "{dir} の {file} を残しました: 部局 {department} は今回の取り込みにありませんが、\
                     失敗した入力に含まれている可能性があります(index.json の `kept` に記録)"
                ),
            ),
            Msg::RemovedEarlier { file, dir } => t(
                format!("removed {file} from {dir}: an earlier run wrote it and this import does not"),
                format!("{dir} から {file} を削除しました: 前回の取り込みで書き出され、今回は書き出さないファイルです"),
            ),
            Msg::CannotRead(e) => t(
                format!("cannot read: {}", io(e, Lang::En)),
                format!("読み込めません: {}", io(e, Lang::Ja)),
            ),
            Msg::NoSuchFile => t(
                "no such file or folder".into(),
                "そのようなファイルまたはフォルダはありません".into(),
            ),
            Msg::Library(e) => {
                if ja {
                    e.message_ja()
                } else {
                    e.to_string()
                }
            }
            Msg::SheetDoesNotMatchSchema { ordinal, errors } => t(
                format!(
                    "sheet {ordinal} does not match the department schema, so the file is not \
                     exported. This is a bug in hyoka; please report it with the input file. \
                     Errors: {}",
                    errors.join("; ")
                ),
                format!(
                    "シート {ordinal} が部局スキーマに合わないため、このファイルは出力しません。\
                     hyoka の不具合です。入力ファイルを添えて報告してください。エラー: {}",
                    errors.join("; ")
                ),
            ),
            Msg::Strict(n) => t(
                format!(
                    "--strict: {n} warning(s); the file's sheets are not exported \
                     (see them with --verbose, or drop --strict)"
                ),
                format!(
                    "--strict: 警告が {n} 件あるため、このファイルのシートは出力しません\
                     (--verbose で警告を確認するか、--strict を外してください)"
                ),
            ),
            Msg::NoSheet => t(
                "no sheet found (no 【主担当部局】/【担当部署】 label); a cover page or list is skipped"
                    .into(),
                "シートがありません(【主担当部局】/【担当部署】の見出しがない)。表紙や一覧は読み飛ばします"
                    .into(),
            ),
            Msg::StrictNoSheet => t(
                "--strict: no sheet found in a file named on the command line (no \
                 【主担当部局】/【担当部署】 label): check that it is an evaluation sheet, or give \
                 hyoka a template with its labels (--template)"
                    .into(),
                "--strict: 指定したファイルにシートがありません(【主担当部局】/【担当部署】の見出しがない)。\
                 評価シートか確認するか、その様式の見出しを書いたテンプレートを --template で指定してください"
                    .into(),
            ),
            Msg::WalkSkipped(e) => t(format!("skipped while walking: {e}"), {
                let place = e.path().map_or(String::new(), |p| format!("{}: ", p.display()));
                let why = match (e.loop_ancestor(), e.io_error()) {
                    (Some(ancestor), _) => format!(
                        "上位のフォルダ {} を指しているため、たどるとループになります",
                        ancestor.display()
                    ),
                    (None, Some(io_error)) => io(io_error, Lang::Ja),
                    (None, None) => e.to_string(),
                };
                format!("フォルダの走査中に読み飛ばしました: {place}{why}")
            }),
            Msg::SymlinkNotFollowed(p) => t(
                format!("{p}: symbolic link not followed (use --follow-symlinks)"),
                format!("{p}: シンボリックリンクはたどりません(たどるには --follow-symlinks)"),
            ),
            Msg::CannotWrite(p, e) => t(
                format!("{p}: cannot write: {}", io(e, Lang::En)),
                format!("{p}: 書き込めません: {}", io(e, Lang::Ja)),
            ),
            Msg::CannotWriteDepartment(dir, dept, e) => t(
                format!("{dir}: cannot write department {dept}: {}", io(e, Lang::En)),
                format!("{dir}: 部局 {dept} のファイルを書き込めません: {}", io(e, Lang::Ja)),
            ),
            Msg::CannotWriteJsonl(p, e) => t(
                format!("{p}: cannot write JSON Lines: {}", io(e, Lang::En)),
                format!("{p}: JSON Lines を書き込めません: {}", io(e, Lang::Ja)),
            ),
            Msg::OutputInvalid { path, errors } => t(
                format!(
                    "{path}: not written, because the output does not match the schema. \
                     This is a bug in hyoka; please report it with the input file. Errors: {}",
                    errors.join("; ")
                ),
                format!(
                    "{path}: 出力がスキーマに合わないため書き込みませんでした。hyoka の不具合です。\
                     入力ファイルを添えて報告してください。エラー: {}",
                    errors.join("; ")
                ),
            ),
            Msg::Progress => t(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({per_sec})".into(),
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} ファイル、{msg} ({per_sec})".into(),
            ),
            Msg::SheetsSoFar(n) => t(format!("{n} sheets"), format!("{n} シート")),
            Msg::Summary(s) => {
                let memory = |m: Option<u64>, label: &str| {
                    m.map_or(String::new(), |m| format!("{label}{m} MiB"))
                };
                let not_read_en = match s.not_read {
                    0 => String::new(),
                    n => format!(" ({n} not read: other types or not regular files)"),
                };
                let not_read_ja = match s.not_read {
                    0 => String::new(),
                    n => format!("。うち {n} 件は読まないファイル(他の形式、通常のファイル以外)"),
                };
                let projects_en = match s.projects {
                    0 => String::new(),
                    n => format!(" and {n} project evaluation(s)"),
                };
                let projects_ja = match s.projects {
                    0 => String::new(),
                    n => format!("と事務事業評価 {n} 件"),
                };
                let wrote_en = s.wrote.as_ref().map_or(String::new(), |(n, out)| {
                    format!("; wrote {n} file(s) to {out}")
                });
                let wrote_ja = s.wrote.as_ref().map_or(String::new(), |(n, out)| {
                    format!("、{out} に {n} ファイルを書き出しました")
                });
                // A named file without a sheet, or a run without any, is
                // what a scheduled job must not publish quietly.
                let (none_en, none_ja) = match (s.sheets, s.named_without_sheet.as_slice()) {
                    (_, []) if s.sheets > 0 || s.projects > 0 || s.files == 0 => {
                        (String::new(), String::new())
                    }
                    (_, []) => (
                        " (warning: no sheet in any input)".to_owned(),
                        "(警告: どの入力にもシートがありません)".to_owned(),
                    ),
                    (_, files) => (
                        format!(" (warning: no sheet found in {})", files.join(", ")),
                        format!("(警告: {} にシートがありません)", files.join("、")),
                    ),
                };
                t(
                    format!(
                        "hyoka: {} file(s): {} ok, {} skipped{}, {} failed; {} sheet(s){}{none_en} in {} \
                         department(s); {} warning(s){}; {:.2}s{}",
                        s.files,
                        s.ok,
                        s.skipped,
                        not_read_en,
                        s.failed,
                        s.sheets,
                        projects_en,
                        s.departments,
                        s.warnings,
                        wrote_en,
                        s.seconds,
                        memory(s.peak_mib, ", peak memory "),
                    ),
                    format!(
                        "hyoka: ファイル {} 件(成功 {}、対象外 {}{}、失敗 {})、{} 部局のシート {} 件{}{none_ja}、\
                         警告 {} 件{}、{:.2} 秒{}",
                        s.files,
                        s.ok,
                        s.skipped,
                        not_read_ja,
                        s.failed,
                        s.departments,
                        s.sheets,
                        projects_ja,
                        s.warnings,
                        wrote_ja,
                        s.seconds,
                        memory(s.peak_mib, "、最大メモリ "),
                    ),
                )
            }
            Msg::NotJson(p, e) => t(
                format!("{p}: cannot read as JSON: {}", e.render(Lang::En)),
                format!("{p}: JSON として読めません: {}", e.render(Lang::Ja)),
            ),
            Msg::Valid(p, schema) => t(
                format!("{p}: valid {schema}"),
                format!("{p}: {schema} に適合しています"),
            ),
            Msg::DoesNotMatch(p, schema, e) => t(
                format!("{p}: does not match {schema}: {}", e.render(Lang::En)),
                format!("{p}: {schema} に適合しません: {}", e.render(Lang::Ja)),
            ),
            Msg::PackageValid { path, tables, rows } => t(
                format!("{path}: {tables} table(s), {rows} row(s) match their table schemas"),
                format!("{path}: {tables} 個の表の {rows} 行がテーブルスキーマに適合しています"),
            ),
            Msg::PackageProblem(path, problem) => t(
                format!("{path}: {}", problem.render(Lang::En)),
                format!("{path}: {}", problem.render(Lang::Ja)),
            ),
            Msg::ReportCannotRead(p, e) => t(
                format!(
                    "{p}: cannot read: {}; give the folder `hyoka import --out` wrote",
                    e.render(Lang::En)
                ),
                format!(
                    "{p}: 読み込めません: {}。`hyoka import --out` が書き出したフォルダを指定してください",
                    e.render(Lang::Ja)
                ),
            ),
            Msg::ReportWritten { dir, pages } => t(
                format!("hyoka: report written to {dir} ({pages} page(s)); open {dir}/index.html"),
                format!(
                    "hyoka: レポートを {dir} に書き出しました({pages} ページ)。{dir}/index.html を開いてください"
                ),
            ),
            Msg::SheetWarning(file, w) => {
                if ja {
                    let place = match (w.row, w.column) {
                        (Some(r), Some(c)) => format!("{r} 行 {c} 列: "),
                        (Some(r), None) => format!("{r} 行: "),
                        _ => String::new(),
                    };
                    format!("{file}: {place}{} [{}]", w.code.meaning_ja(), w.code.as_str())
                } else {
                    format!("{file}: {w}")
                }
            }
            Msg::SeriesChanged {
                kpi,
                field,
                from,
                to,
                report_fiscal_year: year,
            } => {
                let field_ja = match *field {
                    "target" => "目標値",
                    "unit" => "単位",
                    _ => "現状値",
                };
                t(
                    format!("KPI {kpi}: the {field} changed from {from} to {to} in the fiscal {year} report"),
                    format!("成果指標 {kpi}: {year} 年度の報告で{field_ja}が {from} から {to} に変わりました"),
                )
            }
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(lang()))
    }
}

/// The prefix of an error line.
pub fn error_prefix() -> &'static str {
    error_prefix_in(lang())
}

fn error_prefix_in(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "error",
        Lang::Ja => "エラー",
    }
}

/// The prefix of a warning line.
pub fn warning_prefix() -> &'static str {
    pick("warning", "警告")
}

/// The prefix of a note line.
pub fn note_prefix() -> &'static str {
    pick("note", "お知らせ")
}

/// A file-system error in `lang`: Japanese by its kind, since the
/// operating system's text is English.
pub fn io(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return e.to_string();
    }
    let text = match e.kind() {
        K::NotFound => "見つかりません",
        K::PermissionDenied => "アクセスが許可されていません",
        K::AlreadyExists => "すでに存在します",
        K::IsADirectory => "フォルダです",
        K::NotADirectory => "フォルダではありません",
        K::StorageFull => "ディスクの空きがありません",
        K::ReadOnlyFilesystem => "読み取り専用のファイルシステムです",
        K::InvalidData => "データが不正です",
        K::UnexpectedEof => "途中で終わっています",
        K::Interrupted => "中断されました",
        K::DirectoryNotEmpty => "フォルダが空ではありません",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::ResourceBusy => "使用中です",
        K::CrossesDevices => "別のデバイスへは移動できません",
        K::InvalidFilename => "ファイル名が正しくありません",
        K::TooManyLinks => "リンクが多すぎます",
        K::BrokenPipe => "出力先が閉じられました",
        K::TimedOut => "時間切れになりました",
        K::OutOfMemory => "メモリが足りません",
        K::Unsupported => "この環境では使えない操作です",
        K::WriteZero | K::WouldBlock => "書き込めませんでした",
        // The operating system's own words, after Japanese that says what.
        _ => return format!("入出力エラー({e})"),
    };
    match e.raw_os_error() {
        Some(code) => format!("{text}(OS エラー {code})"),
        None => text.to_owned(),
    }
}

/// A special file named in English (`a named pipe (FIFO)`, as the
/// walk says it) in Japanese.
pub fn special_file_ja(what: &str) -> &'static str {
    match what {
        "a named pipe (FIFO)" => "名前付きパイプ",
        "a socket" => "ソケット",
        "a character device" => "キャラクタデバイス",
        "a block device" => "ブロックデバイス",
        _ => "特殊なファイル",
    }
}

/// A path as shown in messages.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(Lang::of_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::of_locale("ja"), Lang::Ja);
        assert_eq!(Lang::of_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::of_locale("C"), Lang::En);
    }

    #[test]
    fn lang_is_found_among_raw_arguments() {
        let args = |v: &[&str]| {
            v.iter()
                .map(Into::into)
                .collect::<Vec<std::ffi::OsString>>()
        };
        assert_eq!(
            Lang::from_args(args(&["hyoka", "--lang", "ja"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            Lang::from_args(args(&["hyoka", "x", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_args(args(&["hyoka", "--lang", "fr"])), None);
        assert_eq!(
            Lang::from_args(args(&["hyoka", "--", "--lang", "ja"])),
            None
        );
    }

    #[test]
    fn every_new_error_family_reads_in_japanese() {
        let code = CodeError::CheckDigit {
            code: "242162".into(),
            five: "24216".into(),
            expected: 1,
        };
        let text = Msg::MunicipalityCode(code.clone()).render(Lang::Ja);
        assert!(
            text.contains("検査数字") && text.contains("242161"),
            "{text}"
        );
        assert_eq!(Msg::MunicipalityCode(code.clone()).en(), code.to_string());
    }

    #[test]
    fn library_errors_are_translated_by_kind() {
        let e = Msg::Library(hyoka::Error::Workbook(hyoka::WorkbookError::Password));
        assert!(e.render(Lang::Ja).contains("パスワード"));
        assert!(e.en().contains("password"));
    }

    #[test]
    fn every_warning_code_has_japanese() {
        for code in hyoka::warning::WarningCode::ALL {
            assert!(!code.meaning_ja().is_empty());
        }
    }
}
