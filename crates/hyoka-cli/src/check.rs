//! `hyoka validate`: checks JSON files against their schema, and a whole
//! output folder against its `index.json`.
//!
//! A folder is valid when `index.json` matches its schema, every file it
//! lists is there with the recorded SHA-256 (department files also valid
//! and holding the recorded number of sheets, other `.json` files well
//! formed), and no file is there that it does not list. Hidden files (the
//! lock file, temporaries of an import in progress or killed) are not part
//! of the set; leftover temporaries get a note.
//!
//! `datapackage.json` is the one file a person may edit afterwards (a
//! licence, a description for the portal): when its hash is not the
//! recorded one it gets a note and is checked by its content instead
//! ([`compare::against_hyoka`]: the tables as hyoka describes them, any
//! metadata). A CSV table whose hash differs is also compared with the
//! table the department files give, so each change is named by line and
//! field ([`compare::table_rows`]).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::console::say;
use crate::files;
use crate::files::JsonRead;
use crate::i18n::{self, Lang, Localized, Msg};
use crate::opendata::PACKAGE;
use crate::opendata::compare;
use crate::opendata::package::DataPackage;
use crate::output::{self, INDEX, LOCK};
use crate::schemas::{self, Kind};

/// Runs `hyoka validate`.
pub fn run(paths: &[PathBuf], max_bytes: u64) -> ExitCode {
    let mut failed = false;
    for path in paths {
        let ok = if path.is_dir() {
            check_folder(path, max_bytes)
        } else {
            check_file(path, max_bytes)
        };
        failed |= !ok;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file's bytes, at most `limit` (`--max-bytes`); see
/// [`files::read_regular`].
fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, JsonRead> {
    files::read_regular(path, limit).map_err(JsonRead::from)
}

/// A file read as JSON, within `limit` bytes.
fn read_json(path: &Path, limit: u64) -> Result<Value, JsonRead> {
    let bytes = read_regular(path, limit)?;
    serde_json::from_slice(&bytes).map_err(JsonRead::Json)
}

fn check_file(path: &Path, max_bytes: u64) -> bool {
    let shown = path.display();
    let document = match read_json(path, max_bytes) {
        Ok(d) => d,
        Err(e) => {
            say!("{}", Msg::NotJson(shown.to_string(), Box::new(e)));
            return false;
        }
    };
    let kind = Kind::of(&document);
    let errors = schemas::validate_detailed(kind, &document);
    if !errors.is_empty() {
        for e in errors {
            say!(
                "{}",
                Msg::DoesNotMatch(shown.to_string(), kind.file_name(), Box::new(e))
            );
        }
        return false;
    }
    println!(
        "{}",
        crate::console::escape(&Msg::Valid(shown.to_string(), kind.file_name()).to_string())
    );
    if kind == Kind::Datapackage {
        match crate::opendata::validate::files(path, &document, max_bytes) {
            Ok(checked) => println!(
                "{}",
                crate::console::escape(
                    &Msg::PackageValid {
                        path: shown.to_string(),
                        tables: checked.tables,
                        rows: checked.rows,
                    }
                    .to_string()
                )
            ),
            Err(problems) => {
                for problem in problems {
                    say!(
                        "{}",
                        Msg::PackageProblem(shown.to_string(), Box::new(problem))
                    );
                }
                return false;
            }
        }
    }
    true
}

/// What `index.json` says one file should be.
struct Listed {
    sha256: String,
    /// For department files: the sheet count.
    sheets: Option<u64>,
}

fn check_folder(dir: &Path, max_bytes: u64) -> bool {
    let shown = dir.display();
    // Waits while an import is committing, so a check never sees a set
    // half renamed by a live writer.
    let _lock = shared_lock(dir);
    let mut problems: Vec<String> = Vec::new();
    let index_path = dir.join(INDEX);
    let index = match read_json(&index_path, max_bytes) {
        Ok(index) => index,
        Err(e) => {
            say!("{shown}: {}", Folder::NoIndex(e));
            return false;
        }
    };
    let errors = schemas::validate_detailed(Kind::Index, &index);
    if !errors.is_empty() {
        for e in errors {
            say!(
                "{}",
                Msg::DoesNotMatch(
                    format!("{shown}/{INDEX}"),
                    Kind::Index.file_name(),
                    Box::new(e)
                )
            );
        }
        return false;
    }
    let mut listed: BTreeMap<String, Listed> = BTreeMap::new();
    for list in ["departments", "kept", "files"] {
        for entry in index[list].as_array().into_iter().flatten() {
            let file = entry["file"].as_str().unwrap_or_default().to_owned();
            if !output::is_plain_path(&file) || file == INDEX {
                problems.push(Folder::ListsForeign(file).to_string());
                continue;
            }
            let item = Listed {
                sha256: entry["sha256"].as_str().unwrap_or_default().to_owned(),
                sheets: entry.get("sheets").and_then(Value::as_u64),
            };
            if listed.insert(file.clone(), item).is_some() {
                problems.push(Folder::ListsTwice(file).to_string());
            }
        }
    }
    let mut changed = Vec::new();
    for (file, item) in &listed {
        problems.extend(check_listed(dir, file, item, max_bytes, &mut changed));
    }
    if !changed.is_empty() && listed.contains_key(PACKAGE) {
        problems.extend(changed_tables(dir, &index, &listed, &changed, max_bytes));
    }
    let mut present = Vec::new();
    walk(dir, "", &mut present);
    for rel in present {
        if rel == INDEX || listed.contains_key(&rel) {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if name == output::JOURNAL {
            say!(
                "{}: {}",
                crate::i18n::note_prefix(),
                Folder::Journal(format!("{shown}/{rel}"))
            );
        } else if output::is_temporary(name) {
            say!(
                "{}: {}",
                crate::i18n::note_prefix(),
                Folder::Temporary(format!("{shown}/{rel}"))
            );
        } else if !name.starts_with('.') {
            problems.push(Folder::Unlisted(rel).to_string());
        }
    }
    if problems.is_empty() {
        println!(
            "{}",
            crate::console::escape(
                &Folder::Valid {
                    dir: shown.to_string(),
                    files: listed.len(),
                }
                .to_string()
            )
        );
        true
    } else {
        for p in &problems {
            say!("{shown}: {p}");
        }
        say!(
            "{}",
            Folder::Disagrees {
                dir: shown.to_string(),
                problems: problems.len(),
            }
        );
        false
    }
}

/// Each changed CSV table (`changed`) compared with the table hyoka writes
/// from the folder's department files and panel: the differences by file,
/// line and field.
fn changed_tables(
    dir: &Path,
    index: &Value,
    listed: &BTreeMap<String, Listed>,
    changed: &[String],
    max_bytes: u64,
) -> Vec<String> {
    let Some(package) = read_json(&dir.join(PACKAGE), max_bytes)
        .ok()
        .and_then(|d| serde_json::from_value::<DataPackage>(d).ok())
    else {
        return Vec::new();
    };
    let departments: Vec<String> = index["departments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["file"].as_str().map(str::to_owned))
        .collect();
    let panel = listed
        .contains_key(crate::kpi_series::FILE)
        .then_some(crate::kpi_series::FILE);
    let headers = compare::headers_of(&package);
    let tables = compare::tables_from_json(dir, &departments, panel, headers, max_bytes);
    let mut problems = Vec::new();
    for file in changed {
        let Some((table, expected)) = tables
            .iter()
            .find(|(t, _)| format!("csv/{}.csv", t.name) == *file)
        else {
            continue;
        };
        let Ok(found) = read_regular(&dir.join(file), max_bytes) else {
            continue;
        };
        problems.extend(
            compare::table_rows(file, table, &found, expected)
                .iter()
                .map(|p| p.render(i18n::lang())),
        );
    }
    problems
}

fn check_listed(
    dir: &Path,
    file: &str,
    item: &Listed,
    max_bytes: u64,
    changed: &mut Vec<String>,
) -> Vec<String> {
    let path = dir.join(file);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return vec![Folder::Missing(file.to_owned()).to_string()];
        }
        Ok(meta) if !meta.is_file() => {
            return vec![Folder::NotRegular(file.to_owned()).to_string()];
        }
        _ => {}
    }
    let bytes = match read_regular(&path, max_bytes) {
        Ok(b) => b,
        Err(e) => return vec![Folder::Unreadable(file.to_owned(), e).to_string()],
    };
    let sha256: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // A package edited after hyoka wrote it (a licence added, a title
    // reworded) is checked by its content instead.
    let edited = sha256 != item.sha256;
    if edited && file == PACKAGE {
        say!(
            "{}: {}",
            crate::i18n::note_prefix(),
            Folder::PackageEdited(format!("{}/{file}", dir.display()))
        );
    } else if edited {
        if file.ends_with(".csv") {
            changed.push(file.to_owned());
        }
        return vec![Folder::HashDiffers(file.to_owned()).to_string()];
    }
    let mut problems = Vec::new();
    if file.ends_with(".json") {
        let document: Value = match serde_json::from_slice(&bytes) {
            Ok(d) => d,
            Err(e) => return vec![Folder::NotJson(file.to_owned(), e.to_string()).to_string()],
        };
        if item.sheets.is_none() {
            // Another output file: the schema its content says it follows,
            // and a data package's tables against their own table schemas.
            let kind = Kind::of(&document);
            for e in schemas::validate_detailed(kind, &document) {
                problems.push(
                    Msg::DoesNotMatch(file.to_owned(), kind.file_name(), Box::new(e)).to_string(),
                );
            }
            if problems.is_empty()
                && kind == Kind::Datapackage
                && edited
                && let Ok(package) = serde_json::from_value::<DataPackage>(document.clone())
            {
                problems.extend(
                    compare::against_hyoka(&package)
                        .into_iter()
                        .map(|e| Msg::PackageProblem(file.to_owned(), Box::new(e)).to_string()),
                );
            }
            if problems.is_empty()
                && kind == Kind::Datapackage
                && let Err(errors) = crate::opendata::validate::files(&path, &document, max_bytes)
            {
                problems.extend(
                    errors
                        .into_iter()
                        .map(|e| Msg::PackageProblem(file.to_owned(), Box::new(e)).to_string()),
                );
            }
        }
        if let Some(sheets) = item.sheets {
            for e in schemas::validate_detailed(Kind::Department, &document) {
                problems.push(
                    Msg::DoesNotMatch(file.to_owned(), Kind::Department.file_name(), Box::new(e))
                        .to_string(),
                );
            }
            let held = document["sheets"].as_array().map_or(0, Vec::len) as u64;
            if held != sheets {
                problems.push(
                    Folder::SheetCount {
                        file: file.to_owned(),
                        held,
                        recorded: sheets,
                    }
                    .to_string(),
                );
            }
        }
    }
    problems
}

/// Every file under `dir` (not following links), as `/`-separated paths.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        match entry.file_type() {
            Ok(t) if t.is_dir() && !name.starts_with('.') => {
                walk(&entry.path(), &format!("{rel}/"), out)
            }
            Ok(t) if t.is_dir() => {}
            _ => out.push(rel),
        }
    }
}

/// A shared lock on the folder's lock file, when there is one.
fn shared_lock(dir: &Path) -> Option<File> {
    let file = File::open(dir.join(LOCK)).ok()?;
    crate::platform::lock_shared(&file).ok()?;
    Some(file)
}

/// What `hyoka validate DIR` finds in an output folder.
#[derive(Debug)]
pub enum Folder {
    /// `index.json` does not read.
    NoIndex(JsonRead),
    /// The index lists a path hyoka never writes.
    ListsForeign(String),
    /// The index lists a file twice.
    ListsTwice(String),
    /// A listed file is missing.
    Missing(String),
    /// A listed file is not a regular file.
    NotRegular(String),
    /// A listed file does not read.
    Unreadable(String, JsonRead),
    /// A listed file's hash is not the recorded one.
    HashDiffers(String),
    /// A listed JSON file is not JSON.
    NotJson(String, String),
    /// A department file holds another number of sheets than recorded.
    SheetCount {
        file: String,
        held: u64,
        recorded: u64,
    },
    /// A file in the folder that the index does not list.
    Unlisted(String),
    /// A killed import's commit journal.
    Journal(String),
    /// `datapackage.json` differs from what hyoka wrote: checked by content.
    PackageEdited(String),
    /// A killed import's temporary.
    Temporary(String),
    /// The folder agrees with its index.
    Valid { dir: String, files: usize },
    /// The folder disagrees with its index.
    Disagrees { dir: String, problems: usize },
}

impl std::fmt::Display for Folder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ja = i18n::lang() == Lang::Ja;
        let t = |en: String, jp: String| if ja { jp } else { en };
        let text = match self {
            Folder::NoIndex(e) => t(
                format!(
                    "not a valid output folder: index.json: {e} (an import writes index.json last; run it again)"
                ),
                format!(
                    "出力フォルダとして正しくありません: index.json: {e}(取り込みは index.json を最後に書きます。取り込みをやり直してください)"
                ),
            ),
            Folder::ListsForeign(file) => t(
                format!("index.json lists `{file}`, which hyoka never writes"),
                format!("index.json に hyoka が書くことのないファイル `{file}` が載っています"),
            ),
            Folder::ListsTwice(file) => t(
                format!("index.json lists {file} twice"),
                format!("index.json に {file} が二度載っています"),
            ),
            Folder::Missing(file) => t(
                format!("{file}: listed in index.json but missing"),
                format!("{file}: index.json に載っていますが、ありません"),
            ),
            Folder::NotRegular(file) => t(
                format!("{file}: listed in index.json but not a regular file"),
                format!("{file}: index.json に載っていますが、通常のファイルではありません"),
            ),
            Folder::Unreadable(file, e) => t(format!("{file}: {e}"), format!("{file}: {e}")),
            Folder::HashDiffers(file) => t(
                format!(
                    "{file}: its SHA-256 is not the one index.json records (it changed after the \
                     index was written, or the index is from another run)"
                ),
                format!(
                    "{file}: SHA-256 が index.json の記録と違います(index.json を書いた後に変更されたか、\
                     index.json が別の取り込みのものです)"
                ),
            ),
            Folder::NotJson(file, e) => t(
                format!("{file}: not JSON: {e}"),
                format!("{file}: JSON ではありません: {e}"),
            ),
            Folder::SheetCount {
                file,
                held,
                recorded,
            } => t(
                format!("{file}: holds {held} sheet(s), index.json records {recorded}"),
                format!("{file}: シートが {held} 件あり、index.json の記録は {recorded} 件です"),
            ),
            Folder::Unlisted(file) => t(
                format!("{file}: not listed in index.json"),
                format!("{file}: index.json に載っていません"),
            ),
            Folder::Journal(path) => t(
                format!(
                    "{path}: an import was killed while renaming its files; the next import finishes the cleanup"
                ),
                format!(
                    "{path}: 取り込みがファイルの置き換え中に止められました。次の取り込みが後片付けをします"
                ),
            ),
            Folder::PackageEdited(path) => t(
                format!(
                    "{path} was edited after hyoka wrote it; it is checked by its content (its tables must stay as hyoka describes them, its metadata may change)"
                ),
                format!(
                    "{path} は hyoka が書いた後に編集されています。内容で検査します(表の記述は hyoka のとおりである必要があり、メタデータは変えてかまいません)"
                ),
            ),
            Folder::Temporary(path) => t(
                format!("{path}: a temporary of an interrupted import; the next import removes it"),
                format!("{path}: 中断された取り込みの一時ファイルです。次の取り込みが削除します"),
            ),
            Folder::Valid { dir, files } => t(
                format!(
                    "{dir}: valid output folder: {files} file(s) and index.json, each as index.json records it"
                ),
                format!(
                    "{dir}: 正しい出力フォルダです: {files} ファイルと index.json が、index.json の記録どおりです"
                ),
            ),
            Folder::Disagrees { dir, problems } => t(
                format!(
                    "{dir}: the folder disagrees with its index.json ({problems} problem(s)); importing again into it repairs the set"
                ),
                format!(
                    "{dir}: フォルダが index.json と食い違っています({problems} 件)。同じフォルダに取り込み直すと直ります"
                ),
            ),
        };
        f.write_str(&text)
    }
}
