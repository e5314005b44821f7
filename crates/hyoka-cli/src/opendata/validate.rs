//! `hyoka validate datapackage.json`: checks each CSV file of a Data
//! Package against the package's own Table Schemas: size and hash, header,
//! types, required values, enumerations, patterns, primary keys and
//! foreign keys. The package is data too: a resource path that is absolute
//! or leaves the package's folder is refused, never read.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::i18n::{Lang, Localized};

use super::package::{DataPackage, Field, Resource};

/// At most this many errors are reported per file; the rest are counted.
const MAX_ERRORS_PER_FILE: usize = 20;

/// One table read: its rows (cells as text) with their line numbers.
struct Loaded<'a> {
    resource: &'a Resource,
    rows: Vec<(u64, Vec<String>)>,
}

/// What a valid package holds, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The tables read.
    pub tables: usize,
    /// Their rows, headers not counted.
    pub rows: usize,
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} table(s), {} row(s) match their table schemas",
            self.tables, self.rows
        )
    }
}

/// One problem found in a package. `Display` is English; the message
/// catalog ([`crate::i18n::Msg::PackageProblem`]) words it in Japanese too.
#[derive(Debug)]
pub enum Problem {
    /// `datapackage.json` is not a package hyoka reads.
    NotAPackage(String),
    /// A resource's path is absolute or leaves the package's folder.
    PathOutside { resource: String, path: String },
    /// A file does not read.
    CannotRead {
        file: String,
        error: crate::files::JsonRead,
    },
    /// A file's size is not the package's.
    Size {
        file: String,
        actual: u64,
        stated: u64,
    },
    /// A file's hash is not the package's.
    Hash {
        file: String,
        actual: String,
        stated: String,
    },
    /// A field's pattern is not a regular expression.
    BadPattern {
        file: String,
        field: String,
        pattern: String,
        detail: String,
    },
    /// A file is not CSV.
    NotCsv { file: String, detail: String },
    /// A file's header is not its schema's fields.
    Header {
        file: String,
        found: String,
        expected: String,
    },
    /// A row has more or fewer cells than the schema fields.
    CellCount {
        file: String,
        line: u64,
        found: usize,
        expected: usize,
    },
    /// A cell does not fit its field.
    Cell {
        file: String,
        line: u64,
        field: String,
        problem: CellProblem,
    },
    /// A file is empty.
    Empty { file: String },
    /// More problems than are shown.
    More { file: String, more: usize },
    /// The primary key names a field the schema lacks.
    KeyField { file: String },
    /// A primary key repeats.
    DuplicateKey {
        file: String,
        line: u64,
        fields: String,
        values: String,
    },
    /// A foreign key names a resource the package lacks.
    UnknownResource { file: String, target: String },
    /// A foreign key names a field a schema lacks.
    ForeignKeyField { file: String },
    /// A foreign key points at no row.
    Dangling {
        file: String,
        line: u64,
        fields: String,
        values: String,
        target: String,
    },
    /// An edited package lists other tables than hyoka writes.
    Resources { found: String, expected: String },
    /// An edited package describes a table otherwise than hyoka does.
    SchemaDiffers {
        file: String,
        what: String,
        found: String,
        expected: String,
    },
    /// A cell differs from the one hyoka writes from the JSON.
    RowDiffers {
        file: String,
        line: u64,
        field: String,
        found: String,
        expected: String,
    },
    /// A row hyoka does not write from the JSON.
    RowExtra {
        file: String,
        line: u64,
        key: String,
    },
    /// A row hyoka writes from the JSON is not in the file.
    RowMissing { file: String, key: String },
}

/// Why a cell does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// Empty, but required.
    Required,
    /// The schema names a type this checker does not know.
    UnknownType(String),
    /// Not of the field's type.
    NotOfType { cell: String, kind: String },
    /// Not one of the field's values.
    NotOneOf { cell: String, values: String },
    /// Does not match the field's pattern.
    NoMatch { cell: String, pattern: String },
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellProblem::Required => f.write_str("a value is required"),
            CellProblem::UnknownType(kind) => write!(f, "unknown type `{kind}`"),
            CellProblem::NotOfType { cell, kind } => write!(f, "`{cell}` is not of type {kind}"),
            CellProblem::NotOneOf { cell, values } => {
                write!(f, "`{cell}` is not one of {values}")
            }
            CellProblem::NoMatch { cell, pattern } => {
                write!(f, "`{cell}` does not match the pattern {pattern}")
            }
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Problem as P;
        const CHANGED: &str = "the file changed after the package was written";
        const EDITED: &str =
            "the table was edited after hyoka wrote it (import again to rewrite it)";
        match self {
            P::NotAPackage(e) => write!(f, "not a hyoka data package: {e}"),
            P::PathOutside { resource, path } => write!(
                f,
                "resource {resource}: path `{path}` is absolute or leaves the package's folder; it was not read"
            ),
            P::CannotRead { file, error } => write!(f, "{file}: cannot read: {error}"),
            P::Size {
                file,
                actual,
                stated,
            } => write!(
                f,
                "{file}: {actual} bytes, but the package says {stated}; {CHANGED}"
            ),
            P::Hash {
                file,
                actual,
                stated,
            } => write!(
                f,
                "{file}: SHA-256 {actual} differs from the package's {stated}; {CHANGED}"
            ),
            P::BadPattern {
                file,
                field,
                pattern,
                detail,
            } => write!(
                f,
                "{file}: field {field}: pattern `{pattern}` does not compile: {detail}"
            ),
            P::NotCsv { file, detail } => write!(f, "{file}: not valid CSV: {detail}"),
            P::Header {
                file,
                found,
                expected,
            } => write!(
                f,
                "{file}, line 1: the header is `{found}`, the schema's fields are `{expected}`"
            ),
            P::CellCount {
                file,
                line,
                found,
                expected,
            } => write!(
                f,
                "{file}, line {line}: {found} cells, the schema has {expected} fields"
            ),
            P::Cell {
                file,
                line,
                field,
                problem,
            } => write!(f, "{file}, line {line}, field {field}: {problem}"),
            P::Empty { file } => write!(f, "{file}: empty; a header row was expected"),
            P::More { file, more } => write!(f, "{file}: {more} more error(s) not shown"),
            P::KeyField { file } => {
                write!(f, "{file}: the primary key names a field the schema lacks")
            }
            P::DuplicateKey {
                file,
                line,
                fields,
                values,
            } => write!(
                f,
                "{file}, line {line}: primary key ({fields}) = ({values}) repeats an earlier row"
            ),
            P::UnknownResource { file, target } => {
                write!(f, "{file}: foreign key to unknown resource {target}")
            }
            P::ForeignKeyField { file } => {
                write!(f, "{file}: a foreign key names a field its schema lacks")
            }
            P::Dangling {
                file,
                line,
                fields,
                values,
                target,
            } => write!(
                f,
                "{file}, line {line}: ({fields}) = ({values}) has no row in {target}"
            ),
            P::Resources { found, expected } => write!(
                f,
                "the package lists the tables {found}; hyoka writes {expected} (import again to rewrite the package)"
            ),
            P::SchemaDiffers {
                file,
                what,
                found,
                expected,
            } => write!(
                f,
                "{file}: the package's {what} is `{found}`, hyoka writes `{expected}`; only metadata (title, description, licence, contributors) may be edited"
            ),
            P::RowDiffers {
                file,
                line,
                field,
                found,
                expected,
            } => write!(
                f,
                "{file}, line {line}, field {field}: `{found}`, but the department files give `{expected}`; {EDITED}"
            ),
            P::RowExtra { file, line, key } => write!(
                f,
                "{file}, line {line}: the row ({key}) is not in the department files; {EDITED}"
            ),
            P::RowMissing { file, key } => write!(
                f,
                "{file}: the row ({key}) of the department files is missing; {EDITED}"
            ),
        }
    }
}

/// Checks the files of the package at `path` (already parsed as `document`).
/// Returns what it checked, or every problem found.
/// Each CSV file is read only if it is a regular file of at most
/// `max_bytes` (`hyoka validate --max-bytes`).
pub fn files(
    path: &Path,
    document: &serde_json::Value,
    max_bytes: u64,
) -> Result<Checked, Vec<Problem>> {
    let package: DataPackage = serde_json::from_value(document.clone())
        .map_err(|e| vec![Problem::NotAPackage(e.to_string())])?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    let mut rows_total = 0;
    for resource in &package.resources {
        let mut file_errors = Vec::new();
        if let Some(table) = load(base, resource, max_bytes, &mut file_errors) {
            rows_total += table.rows.len();
            loaded.push(table);
        }
        cap(&mut file_errors, &resource.path);
        errors.append(&mut file_errors);
    }
    let mut key_errors = Vec::new();
    check_keys(&loaded, &mut key_errors);
    errors.append(&mut key_errors);
    if errors.is_empty() {
        Ok(Checked {
            tables: loaded.len(),
            rows: rows_total,
        })
    } else {
        Err(errors)
    }
}

fn cap(errors: &mut Vec<Problem>, file: &str) {
    if errors.len() > MAX_ERRORS_PER_FILE {
        let more = errors.len() - MAX_ERRORS_PER_FILE;
        errors.truncate(MAX_ERRORS_PER_FILE);
        errors.push(Problem::More {
            file: file.to_owned(),
            more,
        });
    }
}

/// The line (1-based) on which a CSV record starts in `body`, the bytes
/// the reader was given. The reader's own line count lags by one after a
/// CRLF (it takes the position before the `\n`), so the line is counted
/// from the byte offset, past any line ends (the reader skips blank lines).
pub fn line_of(body: &[u8], record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| line_at(body, p))
}

/// The line (1-based) of a CSV reader's position in `body` (see [`line_of`]).
pub fn line_at(body: &[u8], position: &csv::Position) -> u64 {
    let start = usize::try_from(position.byte())
        .unwrap_or(usize::MAX)
        .min(body.len());
    let skipped = body[start..]
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    let newlines = body[..start + skipped]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    newlines as u64 + 1
}

/// The resource's file inside `base`, or `None` when its path would leave it.
pub fn inside(base: &Path, relative: &str) -> Option<PathBuf> {
    let rel = Path::new(relative);
    let plain = !relative.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| base.join(rel))
}

fn load<'a>(
    base: &Path,
    resource: &'a Resource,
    max_bytes: u64,
    errors: &mut Vec<Problem>,
) -> Option<Loaded<'a>> {
    let name = &resource.path;
    let Some(path) = inside(base, name) else {
        errors.push(Problem::PathOutside {
            resource: resource.name.clone(),
            path: name.clone(),
        });
        return None;
    };
    let bytes = match crate::files::read_regular(&path, max_bytes) {
        Ok(b) => b,
        Err(e) => {
            errors.push(Problem::CannotRead {
                file: name.clone(),
                error: e.into(),
            });
            return None;
        }
    };
    if bytes.len() as u64 != resource.bytes {
        errors.push(Problem::Size {
            file: name.clone(),
            actual: bytes.len() as u64,
            stated: resource.bytes,
        });
    }
    let hash = format!("sha256:{}", hyoka::sha256_hex(&bytes));
    if hash != resource.hash {
        errors.push(Problem::Hash {
            file: name.clone(),
            actual: hash,
            stated: resource.hash.clone(),
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let fields = &resource.schema.fields;
    let missing: HashSet<&str> = resource
        .schema
        .missing_values
        .iter()
        .map(String::as_str)
        .collect();
    let patterns: Vec<Option<regex::Regex>> = fields
        .iter()
        .map(|f| {
            let p = f.constraints.pattern.as_deref()?;
            match regex::Regex::new(&format!("^(?:{p})$")) {
                Ok(r) => Some(r),
                Err(e) => {
                    errors.push(Problem::BadPattern {
                        file: name.clone(),
                        field: f.name.clone(),
                        pattern: p.to_owned(),
                        detail: e.to_string(),
                    });
                    None
                }
            }
        })
        .collect();
    let mut rows = Vec::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(Problem::NotCsv {
                    file: name.clone(),
                    detail: e.to_string(),
                });
                return None;
            }
        };
        let line = line_of(body, &record);
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if !header_seen {
            header_seen = true;
            let expected: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            if cells != expected {
                errors.push(Problem::Header {
                    file: name.clone(),
                    found: cells.join(","),
                    expected: expected.join(","),
                });
                return None;
            }
            continue;
        }
        if cells.len() != fields.len() {
            errors.push(Problem::CellCount {
                file: name.clone(),
                line,
                found: cells.len(),
                expected: fields.len(),
            });
            continue;
        }
        for ((cell, field), pattern) in cells.iter().zip(fields).zip(&patterns) {
            if let Err(problem) = check_cell(cell, field, pattern.as_ref(), &missing) {
                errors.push(Problem::Cell {
                    file: name.clone(),
                    line,
                    field: field.name.clone(),
                    problem,
                });
            }
        }
        rows.push((line, cells));
    }
    if !header_seen {
        errors.push(Problem::Empty { file: name.clone() });
        return None;
    }
    Some(Loaded { resource, rows })
}

fn check_cell(
    cell: &str,
    field: &Field,
    pattern: Option<&regex::Regex>,
    missing: &HashSet<&str>,
) -> Result<(), CellProblem> {
    if missing.contains(cell) {
        return if field.constraints.required {
            Err(CellProblem::Required)
        } else {
            Ok(())
        };
    }
    let typed = match field.kind.as_str() {
        "integer" => cell.parse::<i64>().is_ok(),
        "number" => {
            cell.bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                && cell.parse::<f64>().is_ok_and(f64::is_finite)
        }
        "boolean" => ["true", "false", "True", "False", "TRUE", "FALSE", "1", "0"].contains(&cell),
        "string" => true,
        other => return Err(CellProblem::UnknownType(other.to_owned())),
    };
    if !typed {
        return Err(CellProblem::NotOfType {
            cell: cell.to_owned(),
            kind: field.kind.clone(),
        });
    }
    if !field.constraints.values.is_empty() && !field.constraints.values.iter().any(|v| v == cell) {
        return Err(CellProblem::NotOneOf {
            cell: cell.to_owned(),
            values: field.constraints.values.join(", "),
        });
    }
    if let Some(p) = pattern
        && !p.is_match(cell)
    {
        return Err(CellProblem::NoMatch {
            cell: cell.to_owned(),
            pattern: field
                .constraints
                .pattern
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
        });
    }
    Ok(())
}

fn columns(resource: &Resource, names: &[String]) -> Option<Vec<usize>> {
    names
        .iter()
        .map(|n| resource.schema.fields.iter().position(|f| &f.name == n))
        .collect()
}

fn check_keys(tables: &[Loaded<'_>], errors: &mut Vec<Problem>) {
    // Primary keys: unique. Their values are kept for the foreign keys.
    let mut keys: HashMap<&str, (Vec<usize>, HashSet<Vec<&str>>)> = HashMap::new();
    for table in tables {
        let r = table.resource;
        let Some(cols) = columns(r, &r.schema.primary_key) else {
            errors.push(Problem::KeyField {
                file: r.path.clone(),
            });
            continue;
        };
        let mut seen = HashSet::new();
        let mut dups = Vec::new();
        for (line, row) in &table.rows {
            let key: Vec<&str> = cols.iter().map(|&c| row[c].as_str()).collect();
            if !cols.is_empty() && !seen.insert(key.clone()) {
                dups.push(Problem::DuplicateKey {
                    file: r.path.clone(),
                    line: *line,
                    fields: r.schema.primary_key.join(", "),
                    values: key.join(", "),
                });
            }
        }
        cap(&mut dups, &r.path);
        errors.append(&mut dups);
        keys.insert(r.name.as_str(), (cols, seen));
    }
    for table in tables {
        let r = table.resource;
        let mut missing = Vec::new();
        for fk in &r.schema.foreign_keys {
            let target_name = if fk.reference.resource.is_empty() {
                r.name.as_str()
            } else {
                fk.reference.resource.as_str()
            };
            let Some(target) = tables.iter().find(|t| t.resource.name == target_name) else {
                missing.push(Problem::UnknownResource {
                    file: r.path.clone(),
                    target: target_name.to_owned(),
                });
                continue;
            };
            let (Some(cols), Some(target_cols)) = (
                columns(r, &fk.fields),
                columns(target.resource, &fk.reference.fields),
            ) else {
                missing.push(Problem::ForeignKeyField {
                    file: r.path.clone(),
                });
                continue;
            };
            // The reference is to the target's primary key in hyoka's
            // packages; any other field list is indexed here.
            let index: HashSet<Vec<&str>> = match keys.get(target_name) {
                Some((pk, values)) if *pk == target_cols => values.clone(),
                _ => target
                    .rows
                    .iter()
                    .map(|(_, row)| target_cols.iter().map(|&c| row[c].as_str()).collect())
                    .collect(),
            };
            for (line, row) in &table.rows {
                let key: Vec<&str> = cols.iter().map(|&c| row[c].as_str()).collect();
                let is_null = key
                    .iter()
                    .any(|v| r.schema.missing_values.iter().any(|m| m == v));
                if !is_null && !index.contains(&key) {
                    missing.push(Problem::Dangling {
                        file: r.path.clone(),
                        line: *line,
                        fields: fk.fields.join(", "),
                        values: key.join(", "),
                        target: target_name.to_owned(),
                    });
                }
            }
        }
        cap(&mut missing, &r.path);
        errors.append(&mut missing);
    }
}

impl Localized for Problem {
    fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ja => problem_ja(self),
        }
    }
}

/// A problem in a data package's files, in Japanese.
fn problem_ja(p: &Problem) -> String {
    use Problem as P;
    const CHANGED: &str = "パッケージを書き出した後にファイルが変更されています";
    const EDITED: &str = "hyoka が書いた後に表が編集されています(取り込み直すと書き直されます)";
    match p {
        P::NotAPackage(e) => format!("hyoka のデータパッケージではありません({e})"),
        P::PathOutside { resource, path } => format!(
            "リソース {resource}: パス `{path}` は絶対パスか、パッケージのフォルダの外を指しているため、読み込みませんでした"
        ),
        P::CannotRead { file, error } => {
            format!("{file}: 読み込めません: {}", error.render(Lang::Ja))
        }
        P::Size {
            file,
            actual,
            stated,
        } => format!(
            "{file}: {actual} バイトですが、パッケージには {stated} バイトとあります。{CHANGED}"
        ),
        P::Hash {
            file,
            actual,
            stated,
        } => format!("{file}: SHA-256 {actual} がパッケージの {stated} と異なります。{CHANGED}"),
        P::BadPattern {
            file,
            field,
            pattern,
            detail,
        } => format!(
            "{file}: 項目 {field}: パターン `{pattern}` を正規表現として解釈できません({detail})"
        ),
        P::NotCsv { file, detail } => format!("{file}: 正しい CSV ではありません({detail})"),
        P::Header {
            file,
            found,
            expected,
        } => format!(
            "{file} の 1 行目: 見出しが `{found}` ですが、スキーマの項目は `{expected}` です"
        ),
        P::CellCount {
            file,
            line,
            found,
            expected,
        } => format!(
            "{file} の {line} 行目: セルが {found} 個ありますが、スキーマの項目は {expected} 個です"
        ),
        P::Cell {
            file,
            line,
            field,
            problem,
        } => format!(
            "{file} の {line} 行目、項目 {field}: {}",
            cell_problem_ja(problem)
        ),
        P::Empty { file } => format!("{file}: 空です。見出しの行があるはずです"),
        P::More { file, more } => {
            format!("{file}: ほかに {more} 件のエラーがあります(表示していません)")
        }
        P::KeyField { file } => {
            format!("{file}: 主キーにスキーマにない項目が含まれています")
        }
        P::DuplicateKey {
            file,
            line,
            fields,
            values,
        } => format!(
            "{file} の {line} 行目: 主キー ({fields}) = ({values}) が前の行と重複しています"
        ),
        P::UnknownResource { file, target } => {
            format!("{file}: 外部キーの参照先のリソース {target} がありません")
        }
        P::ForeignKeyField { file } => {
            format!("{file}: 外部キーにスキーマにない項目が含まれています")
        }
        P::Dangling {
            file,
            line,
            fields,
            values,
            target,
        } => format!(
            "{file} の {line} 行目: ({fields}) = ({values}) に当たる行が {target} にありません"
        ),
        P::Resources { found, expected } => format!(
            "パッケージの表は {found} ですが、hyoka が書くのは {expected} です(取り込み直すとパッケージが書き直されます)"
        ),
        P::SchemaDiffers {
            file,
            what,
            found,
            expected,
        } => format!(
            "{file}: パッケージの {what} が `{found}` ですが、hyoka が書くのは `{expected}` です。編集してよいのはメタデータ(タイトル・説明・ライセンス・公開者など)だけです"
        ),
        P::RowDiffers {
            file,
            line,
            field,
            found,
            expected,
        } => format!(
            "{file} の {line} 行目、項目 {field}: `{found}` ですが、部局ファイルからは `{expected}` になります。{EDITED}"
        ),
        P::RowExtra { file, line, key } => {
            format!("{file} の {line} 行目: 行 ({key}) は部局ファイルにありません。{EDITED}")
        }
        P::RowMissing { file, key } => {
            format!("{file}: 部局ファイルにある行 ({key}) がありません。{EDITED}")
        }
    }
}

/// Why a cell does not fit its field, in Japanese.
fn cell_problem_ja(p: &CellProblem) -> String {
    match p {
        CellProblem::Required => "値が必要です".into(),
        CellProblem::UnknownType(kind) => format!("型 `{kind}` は不明です"),
        CellProblem::NotOfType { cell, kind } => format!("`{cell}` は {kind} 型ではありません"),
        CellProblem::NotOneOf { cell, values } => {
            format!("`{cell}` は {values} のいずれでもありません")
        }
        CellProblem::NoMatch { cell, pattern } => {
            format!("`{cell}` はパターン {pattern} に合いません")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_problem_reads_in_japanese() {
        use crate::i18n::{Lang, Msg};
        let problem = Problem::Cell {
            file: "csv/kpis.csv".into(),
            line: 4,
            field: "値".into(),
            problem: CellProblem::NotOfType {
                cell: "x".into(),
                kind: "number".into(),
            },
        };
        let msg = Msg::PackageProblem("p.json".into(), Box::new(problem));
        assert_eq!(
            msg.render(Lang::Ja),
            "p.json: csv/kpis.csv の 4 行目、項目 値: `x` は number 型ではありません"
        );
        assert_eq!(
            msg.en(),
            "p.json: csv/kpis.csv, line 4, field 値: `x` is not of type number"
        );
    }
    use crate::opendata::{Headers, Tables};
    use hyoka::model::{Municipality, Sheet};

    fn sheets() -> Vec<Sheet> {
        let text = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/iga/000_46863bf7e879b4fa.txt"),
        )
        .unwrap();
        let mut doc = hyoka::read("iga.txt", &text, &Default::default()).unwrap();
        hyoka::municipality::apply_given(
            &mut doc.sheets,
            &Municipality {
                code: Some("242161".into()),
                name: Some("伊賀市".into()),
            },
        );
        doc.sheets
    }

    /// Writes a package of the corpus into a folder and returns it.
    fn written(headers: Headers) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut tables = Tables::new(headers);
        for s in sheets() {
            tables.add(&s);
        }
        let mut set = crate::output::OutputSet::open(dir.path()).unwrap();
        crate::opendata::stage(&mut set, tables).unwrap();
        set.commit(b"{}").unwrap();
        dir
    }

    fn check(dir: &Path) -> Result<String, Vec<String>> {
        let path = dir.join("datapackage.json");
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        files(&path, &doc, crate::files::MAX_JSON_BYTES)
            .map(|c| c.to_string())
            .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_written_package_validates_in_both_languages() {
        for headers in [Headers::Ja, Headers::En] {
            let dir = written(headers);
            let ok = check(dir.path()).unwrap();
            assert!(ok.starts_with("12 table(s)"), "{ok}");
        }
    }

    #[test]
    fn changed_files_and_broken_keys_are_found() {
        let dir = written(Headers::En);
        let kpis = dir.path().join("csv/kpis.csv");
        let text = std::fs::read_to_string(&kpis).unwrap();
        // A KPI that points at no basic project, and a bad number.
        let broken = text.replacen("242161-2022-", "999999-2022-", 1);
        std::fs::write(&kpis, &broken).unwrap();
        let errors = check(dir.path()).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("SHA-256")), "{errors:?}");

        let values = dir.path().join("csv/kpi_values.csv");
        let text = std::fs::read_to_string(&values).unwrap();
        let mut lines: Vec<&str> = text.split("\r\n").collect();
        let dup = lines[1].to_owned();
        lines.insert(2, &dup);
        std::fs::write(&values, lines.join("\r\n")).unwrap();
        let errors = check(dir.path()).unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains("repeats an earlier row")),
            "{errors:?}"
        );
    }

    #[test]
    fn lines_are_counted_after_crlf_and_blank_lines() {
        let body = b"a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r\n4,5\n6,7";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&body[..]);
        let lines: Vec<u64> = reader
            .records()
            .map(|r| line_of(body, &r.unwrap()))
            .collect();
        assert_eq!(lines, [1, 2, 4, 6, 7]);
    }

    #[test]
    fn cells_are_checked_against_their_field() {
        let field = |kind: &str| Field {
            name: "x".into(),
            title: "x".into(),
            kind: kind.into(),
            description: String::new(),
            constraints: Default::default(),
        };
        let missing: HashSet<&str> = [""].into_iter().collect();
        assert!(check_cell("12", &field("integer"), None, &missing).is_ok());
        assert!(check_cell("1.5", &field("integer"), None, &missing).is_err());
        assert!(check_cell("3,878,604", &field("number"), None, &missing).is_err());
        assert!(check_cell("-0.8", &field("number"), None, &missing).is_ok());
        assert!(check_cell("NaN", &field("number"), None, &missing).is_err());
        assert!(check_cell("yes", &field("boolean"), None, &missing).is_err());
        assert!(check_cell("", &field("number"), None, &missing).is_ok());
        let mut required = field("string");
        required.constraints.required = true;
        assert!(check_cell("", &required, None, &missing).is_err());
        let code = regex::Regex::new("^(?:[0-9]{6})$").unwrap();
        assert!(check_cell("24216", &field("string"), Some(&code), &missing).is_err());
    }

    #[test]
    fn paths_outside_the_package_are_not_read() {
        let dir = written(Headers::Ja);
        let path = dir.path().join("datapackage.json");
        let mut doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        doc["resources"][0]["path"] = "../../etc/passwd".into();
        let errors = files(&path, &doc, crate::files::MAX_JSON_BYTES).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .contains("leaves the package's folder"),
            "{errors:?}"
        );
        doc["resources"][0]["path"] = "/etc/passwd".into();
        assert!(files(&path, &doc, crate::files::MAX_JSON_BYTES).is_err());
    }
}
