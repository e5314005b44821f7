//! [`Msg`]: every message of hyoka's own, in English and Japanese side by
//! side, by family (usage, output, reading, checks, progress) so that each
//! family's texts read together.

use std::fmt;

use hyoka::model::Municipality;
use hyoka::municipality::{ByName, CodeError, LIST_SOURCE, Listed, Listing};
use hyoka::warning::Warning;

use super::{Lang, Localized, io, lang, special_file_ja};

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
    /// What the built-in list of codes says of a stated municipality (a
    /// note: the statement is used as given).
    MunicipalityListing(Box<ListingNote>),
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
    /// An update kept the folder's earlier records.
    Carried {
        dir: String,
        sheets: usize,
        projects: usize,
        replaced: usize,
    },
    /// `hyoka remove` took records out.
    Removed {
        dir: String,
        sheets: usize,
        projects: usize,
        inputs: usize,
    },
    /// `hyoka remove` was given a folder without `index.json`.
    NoImportIn(String),
    /// `hyoka remove` matched no record.
    NothingToRemove {
        dir: String,
        years: Vec<i32>,
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

/// What the built-in list of codes says of a stated municipality.
#[derive(Debug)]
pub struct ListingNote {
    /// Where it was stated: `None` for the flags, else the manifest and
    /// its line.
    pub place: Option<(String, u64)>,
    /// As stated.
    pub stated: Municipality,
    /// What the list says.
    pub listing: Listing,
}

/// What the list says of a stated municipality, and what to do.
fn listing_note(
    place: Option<&(String, u64)>,
    stated: &Municipality,
    listing: &Listing,
    lang: Lang,
) -> String {
    let ja = lang == Lang::Ja;
    let code = stated.code.as_deref().unwrap_or_default();
    let name = stated.name.as_deref().unwrap_or_default();
    let (at, name_flag, code_flag) = match place {
        None => (String::new(), "--municipality-name", "--municipality"),
        Some((manifest, line)) if ja => (
            format!("--manifest {manifest} の {line} 行目: "),
            "municipality_name",
            "municipality_code",
        ),
        Some((manifest, line)) => (
            format!("--manifest {manifest}, line {line}: "),
            "municipality_name",
            "municipality_code",
        ),
    };
    let all = |listed: &[Listed]| {
        let sep = if ja { "、" } else { ", " };
        (listed.iter())
            .map(|l| format!("{} {}", l.full_name(), l.code))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match (listing, ja) {
        (Listing::CodeNotListed, false) => format!(
            "{at}{code} is not in hyoka's list of 全国地方公共団体コード ({LIST_SOURCE}), which may \
             lag a merger and lacks the wards of designated cities; its check digit is right, \
             so it is used as given: check the code, and give {name_flag} to name the city"
        ),
        (Listing::CodeNotListed, true) => format!(
            "{at}{code} は hyoka に組み込みの全国地方公共団体コードの一覧({LIST_SOURCE})にありません\
             (一覧は合併に遅れることがあり、政令指定都市の区を含みません)。検査数字は正しいので、\
             指定のとおりに使います。コードを確かめ、{name_flag} で名前も指定してください"
        ),
        (Listing::NameDiffers(l), false) => format!(
            "{at}the list of 全国地方公共団体コード ({LIST_SOURCE}) names {code} {}, not {name}; \
             {name} is used as given: check the code, or leave the name out to use the list's",
            l.full_name()
        ),
        (Listing::NameDiffers(l), true) => format!(
            "{at}全国地方公共団体コードの一覧({LIST_SOURCE})では {code} は {} で、{name} ではありません。\
             指定のとおり {name} を使います。コードを確かめるか、名前を省いて一覧の名前を使ってください",
            l.full_name()
        ),
        (Listing::NameOnly(ByName::One(l)), false) => format!(
            "{at}{name} is {} {} in the list of 全国地方公共団体コード; a name sets no code, so \
             its sheets' IDs carry 000000: give {code_flag} {} to state it",
            l.full_name(),
            l.code,
            l.code
        ),
        (Listing::NameOnly(ByName::One(l)), true) => format!(
            "{at}全国地方公共団体コードの一覧では {name} は {} {} です。名前からはコードを決めないため、\
             シートの ID は 000000 で始まります。{code_flag} {} でコードを指定してください",
            l.full_name(),
            l.code,
            l.code
        ),
        (Listing::NameOnly(ByName::Several(listed) | ByName::Ward(listed)), false) => format!(
            "{at}{name} is the name of more than one municipality ({}{}): give {code_flag} \
             to say which",
            all(listed),
            if name.ends_with('区') {
                ", or a designated city's ward"
            } else {
                ""
            }
        ),
        (Listing::NameOnly(ByName::Several(listed) | ByName::Ward(listed)), true) => format!(
            "{at}{name} という名前の自治体は一つではありません({}{})。{code_flag} でどれかを指定してください",
            all(listed),
            if name.ends_with('区') {
                "、または政令指定都市の区"
            } else {
                ""
            }
        ),
        (Listing::NameOnly(_), false) => format!(
            "{at}no municipality in the list of 全国地方公共団体コード ({LIST_SOURCE}) is named \
             {name}; it is used as given: check the name, or give {code_flag} too"
        ),
        (Listing::NameOnly(_), true) => format!(
            "{at}全国地方公共団体コードの一覧({LIST_SOURCE})に {name} という自治体はありません。\
             指定のとおりに使います。名前を確かめるか、{code_flag} も指定してください"
        ),
        (_, false) => format!("{at}{code} {name}: as the list of 全国地方公共団体コード has it"),
        (_, true) => format!("{at}{code} {name}: 全国地方公共団体コードの一覧のとおりです"),
    }
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
        if let Msg::Summary(summary) = self {
            return summary.render(lang);
        }
        (self.usage(lang))
            .or_else(|| self.output(lang))
            .or_else(|| self.reading(lang))
            .or_else(|| self.checks(lang))
            .or_else(|| self.progress(lang))
            .expect("every message belongs to a family")
    }

    /// Usage errors: what was given wrong and how to give it.
    fn usage(&self, lang: Lang) -> Option<String> {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        Some(match self {
            Msg::OutOrJsonlMissing => t(
                "give --out DIR (or --jsonl PATH) to say where the output goes".into(),
                "出力先を --out DIR(または --jsonl PATH)で指定してください".into(),
            ),
            Msg::OutIsFile(p) => t(
                format!(
                    "--out {p} is a file, not a folder; give a folder for the department files"
                ),
                format!(
                    "--out {p} はフォルダではなくファイルです。部局ファイルの出力先フォルダを指定してください"
                ),
            ),
            Msg::OutIsInput(p) => t(
                format!("--out {p} is an input file; hyoka never writes over its inputs"),
                format!("--out {p} は入力ファイルです。hyoka は入力ファイルを上書きしません"),
            ),
            Msg::JsonlIsInput { jsonl, input } => t(
                format!(
                    "--jsonl {jsonl} is the input file {input}; hyoka never writes over its inputs"
                ),
                format!(
                    "--jsonl {jsonl} は入力ファイル {input} です。hyoka は入力ファイルを上書きしません"
                ),
            ),
            Msg::CannotStartJobs(n, e) => t(
                format!("cannot start {n} jobs: {e}"),
                format!("{n} 個のジョブを開始できません: {e}"),
            ),
            Msg::Manifest(e) => e.render(lang),
            Msg::MunicipalityCode(e) => t(e.to_string(), e.message_ja()),
            Msg::MunicipalityListing(note) => {
                listing_note(note.place.as_ref(), &note.stated, &note.listing, lang)
            }
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
            _ => return None,
        })
    }

    /// Writing the output folder.
    fn output(&self, lang: Lang) -> Option<String> {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        Some(match self {
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
            Msg::WriteFailed(detail) => {
                t(detail.clone(), format!("書き出せませんでした: {detail}"))
            }
            Msg::Carried {
                dir,
                sheets,
                projects,
                replaced,
            } => t(
                format!(
                    "{dir} keeps {sheets} sheet(s) and {projects} project evaluation(s) of earlier \
                     imports; {replaced} earlier record(s) replaced by this run's (--replace writes \
                     the folder from this run only)"
                ),
                format!(
                    "{dir} の前回までのシート {sheets} 件と事務事業評価 {projects} 件を残し、\
                     {replaced} 件を今回の記録で置き換えました(--replace で今回の入力だけにできます)"
                ),
            ),
            Msg::Removed {
                dir,
                sheets,
                projects,
                inputs,
            } => t(
                format!(
                    "removed {sheets} sheet(s) and {projects} project evaluation(s) from {dir}; \
                     {inputs} input(s) no longer listed"
                ),
                format!(
                    "{dir} からシート {sheets} 件と事務事業評価 {projects} 件を削除しました\
                     (入力 {inputs} 件の記録がなくなりました)"
                ),
            ),
            Msg::NoImportIn(dir) => t(
                format!(
                    "{dir} holds no hyoka import (no index.json); give the folder `hyoka import --out` wrote"
                ),
                format!(
                    "{dir} に hyoka の出力がありません(index.json がありません)。`hyoka import --out` の出力先を指定してください"
                ),
            ),
            Msg::NothingToRemove { dir, years } => {
                let years_en = years.iter().map(i32::to_string).collect::<Vec<_>>();
                t(
                    format!(
                        "no record in {dir} matches; it holds fiscal year(s) {}; nothing was changed",
                        if years_en.is_empty() {
                            "none".to_owned()
                        } else {
                            years_en.join(", ")
                        }
                    ),
                    format!(
                        "{dir} に該当する記録はありません(年度: {})。何も変更していません",
                        if years_en.is_empty() {
                            "なし".to_owned()
                        } else {
                            years_en.join("、")
                        }
                    ),
                )
            }
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
                format!(
                    "removed {file} from {dir}: an earlier run wrote it and this import does not"
                ),
                format!(
                    "{dir} から {file} を削除しました: 前回の取り込みで書き出され、今回は書き出さないファイルです"
                ),
            ),
            Msg::CannotWrite(p, e) => t(
                format!("{p}: cannot write: {}", io(e, Lang::En)),
                format!("{p}: 書き込めません: {}", io(e, Lang::Ja)),
            ),
            Msg::CannotWriteDepartment(dir, dept, e) => t(
                format!("{dir}: cannot write department {dept}: {}", io(e, Lang::En)),
                format!(
                    "{dir}: 部局 {dept} のファイルを書き込めません: {}",
                    io(e, Lang::Ja)
                ),
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
            _ => return None,
        })
    }

    /// Reading inputs and what was found in them.
    fn reading(&self, lang: Lang) -> Option<String> {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        Some(match self {
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
            _ => return None,
        })
    }

    /// `hyoka validate` and `hyoka report`.
    fn checks(&self, lang: Lang) -> Option<String> {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        Some(match self {
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
            _ => return None,
        })
    }

    /// The progress bar.
    fn progress(&self, lang: Lang) -> Option<String> {
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        Some(match self {
            Msg::Progress => t(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg} ({per_sec})"
                    .into(),
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} ファイル、{msg} ({per_sec})"
                    .into(),
            ),
            Msg::SheetsSoFar(n) => t(format!("{n} sheets"), format!("{n} シート")),
            _ => return None,
        })
    }
}

impl Summary {
    /// The closing line of an import, in `lang`.
    fn render(&self, lang: Lang) -> String {
        let s = self;
        let ja = lang == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        let memory =
            |m: Option<u64>, label: &str| m.map_or(String::new(), |m| format!("{label}{m} MiB"));
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
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(lang()))
    }
}
