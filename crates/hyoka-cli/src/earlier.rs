//! What an output folder already holds, carried into the next import.
//!
//! An import into a folder that holds an earlier import adds to it (the
//! yearly update): the earlier department files are read back into their
//! records, each earlier input becomes a [`Carried`] document again, and
//! the run's outputs take those documents first, then the new inputs'.
//! So the department files, the KPI panel and the tables cover everything
//! the folder then holds, and three yearly imports into one folder give
//! the same files as one import of the three years.
//!
//! A record is replaced, not carried, when this run reads a record of the
//! same municipality, fiscal year and source file: an earlier input given
//! again is held back ([`Held`]) and, once the run's records are
//! known, only its records that no new record replaces are carried
//! ([`Held::unreplaced`]), so a file named like last year's file never
//! removes last year's records.
//!
//! Carrying refuses a folder it cannot carry whole: a department file that
//! does not read, does not parse, or was changed after hyoka wrote it
//! (its SHA-256 is not the index's). The run then writes nothing, and says
//! how to go on (restore the file, or `--replace`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use hyoka::Document;
use hyoka::model::{Municipality, Sheet};
use hyoka::output::{DepartmentFile, IndexFile, InputEntry, InputStatus, SCHEMA_VERSION};
use hyoka::project::ProjectEvaluation;
use sha2::{Digest, Sha256};

use crate::i18n::{Lang, Localized};

/// What identifies a record for replacement: whose, which year, read from
/// which input (as `source.file` records it).
pub type RecordKey = (Option<String>, Option<i32>, String);

/// The replacement key of a sheet.
pub fn sheet_key(sheet: &Sheet) -> RecordKey {
    (
        code_of(&sheet.municipality),
        sheet.fiscal_year,
        sheet.source.file.clone(),
    )
}

/// The replacement key of a project evaluation.
pub fn project_key(project: &ProjectEvaluation) -> RecordKey {
    (
        code_of(&project.municipality),
        project.fiscal_year,
        project.source.file.clone(),
    )
}

/// A municipality as the key compares it: its code, else its name.
fn code_of(m: &Option<Municipality>) -> Option<String> {
    m.as_ref()
        .and_then(|m| m.code.clone().or_else(|| m.name.clone()))
}

/// One earlier input with the records the folder holds from it.
pub struct Carried {
    /// Its entry in the earlier `index.json`.
    pub entry: InputEntry,
    /// Its records, in file order, and the file's own facts.
    pub doc: Document,
}

impl Carried {
    /// How many records it carries.
    pub fn records(&self) -> usize {
        self.doc.sheets.len() + self.doc.project_evaluations.len()
    }

    /// Its entry, counted again for the records it still carries.
    pub fn recounted(&self) -> InputEntry {
        let mut entry = self.entry.clone();
        entry.sheets = self.doc.sheets.len() as u32;
        entry.project_evaluations = self.doc.project_evaluations.len() as u32;
        entry
    }
}

/// The earlier import an output folder holds.
#[derive(Default)]
pub struct Earlier {
    /// Every earlier input, in the earlier index's order.
    pub inputs: Vec<Carried>,
    /// The earlier set published the CSV tables.
    pub had_tables: bool,
    /// The earlier tables' header language, when it could be told.
    pub table_headers: Option<crate::opendata::Headers>,
    /// The earlier set published the tables as a workbook too.
    pub had_xlsx: bool,
}

/// Earlier inputs that this run gives again: their records are carried
/// only where no new record replaces them. Only their keys are held while
/// the run reads (a re-run of a whole batch replaces every record, and
/// holding the records themselves would cost the memory of the batch's
/// JSON); the records that stay are read again from the department files.
#[derive(Default)]
pub struct Held {
    /// Each held input's entry and its records' keys.
    inputs: Vec<(InputEntry, Vec<RecordKey>)>,
    /// Where to read the records again: the folder and its department
    /// files (path, SHA-256).
    dir: std::path::PathBuf,
    files: Vec<(String, String)>,
}

impl Held {
    /// Whether any earlier input is given again.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The held inputs' records that no record of `replacing` replaces,
    /// and how many were replaced.
    pub fn unreplaced(
        self,
        replacing: &BTreeSet<RecordKey>,
    ) -> Result<(Vec<Carried>, usize), NotCarried> {
        let mut replaced = 0;
        let mut wanted: HashMap<(String, String), usize> = HashMap::new();
        for (i, (entry, keys)) in self.inputs.iter().enumerate() {
            let stays = keys.iter().filter(|k| !replacing.contains(k)).count();
            replaced += keys.len() - stays;
            if stays > 0 {
                wanted.insert(input_key(entry), i);
            }
        }
        if wanted.is_empty() {
            return Ok((Vec::new(), replaced));
        }
        let mut docs: BTreeMap<usize, Document> = BTreeMap::new();
        for (file, sha256) in &self.files {
            let department = read_department(&self.dir, file, sha256)?;
            for sheet in department.sheets {
                let at = (sheet.source.file.clone(), sheet.source.sha256.clone());
                if let Some(&i) = wanted.get(&at)
                    && !replacing.contains(&sheet_key(&sheet))
                {
                    let doc = docs.entry(i).or_insert_with(|| empty(&sheet.source));
                    doc.sheets.push(sheet);
                }
            }
            for project in department.project_evaluations {
                let at = (project.source.file.clone(), project.source.sha256.clone());
                if let Some(&i) = wanted.get(&at)
                    && !replacing.contains(&project_key(&project))
                {
                    let doc = docs.entry(i).or_insert_with(|| empty(&project.source));
                    doc.project_evaluations.push(project);
                }
            }
        }
        let mut kept = Vec::new();
        for (i, (entry, _)) in self.inputs.into_iter().enumerate() {
            if let Some(doc) = docs.remove(&i) {
                kept.push(carried(entry, doc));
            }
        }
        Ok((kept, replaced))
    }
}

/// The entry of an input whose records a department file holds but the
/// index does not list (an index edited by hand); its counts are set when
/// it is carried ([`Carried::recounted`]).
fn unlisted_entry(file: String, sha256: String) -> InputEntry {
    InputEntry {
        file,
        sha256: Some(sha256),
        format: None,
        encoding: None,
        status: InputStatus::Ok,
        sheets: 0,
        project_evaluations: 0,
        error: None,
        warnings: 0,
        file_warnings: Vec::new(),
        worksheets: Vec::new(),
    }
}

/// An input entry's key: its recorded name and its SHA-256.
fn input_key(entry: &InputEntry) -> (String, String) {
    (entry.file.clone(), entry.sha256.clone().unwrap_or_default())
}

/// An earlier input with its records, in file order.
fn carried(entry: InputEntry, mut doc: Document) -> Carried {
    // Department files group a file's records by department; the file's
    // own order is by ordinal.
    doc.sheets.sort_by_key(|s| s.source.ordinal);
    (doc.project_evaluations).sort_by_key(|p| p.source.ordinal);
    doc.worksheets = entry.worksheets.clone();
    doc.warnings = entry.file_warnings.clone();
    Carried { entry, doc }
}

impl Earlier {
    /// Reads the import `dir` holds, from its `index` (already parsed as
    /// JSON); `Ok(None)` when it holds none. The records of inputs named in
    /// `given` (this run's, by `source.file`) are held back as keys only
    /// ([`Held`]).
    pub fn load(
        dir: &Path,
        index: Option<serde_json::Value>,
        given: &BTreeSet<String>,
    ) -> Result<Option<(Earlier, Held)>, NotCarried> {
        let Some(index) = index else {
            return Ok(None);
        };
        let version = index.get("schema_version").and_then(|v| v.as_u64());
        if version != Some(u64::from(SCHEMA_VERSION)) {
            return Err(NotCarried::Version(version));
        }
        let index: IndexFile = serde_json::from_value(index).map_err(|e| NotCarried::File {
            file: crate::output::INDEX.to_owned(),
            why: Why::Parse(e.to_string()),
        })?;
        let mut by_input: HashMap<(String, String), Document> = HashMap::new();
        let mut held_keys: HashMap<(String, String), Vec<RecordKey>> = HashMap::new();
        let mut files = Vec::new();
        for entry in index.departments.iter().chain(&index.kept) {
            let file = read_department(dir, &entry.file, &entry.sha256)?;
            files.push((entry.file.clone(), entry.sha256.clone()));
            for sheet in file.sheets {
                let at = (sheet.source.file.clone(), sheet.source.sha256.clone());
                if given.contains(&at.0) {
                    held_keys.entry(at).or_default().push(sheet_key(&sheet));
                } else {
                    let doc = by_input.entry(at).or_insert_with(|| empty(&sheet.source));
                    doc.sheets.push(sheet);
                }
            }
            for project in file.project_evaluations {
                let at = (project.source.file.clone(), project.source.sha256.clone());
                if given.contains(&at.0) {
                    held_keys.entry(at).or_default().push(project_key(&project));
                } else {
                    let doc = by_input.entry(at).or_insert_with(|| empty(&project.source));
                    doc.project_evaluations.push(project);
                }
            }
        }
        let mut inputs = Vec::with_capacity(index.inputs.len());
        let mut held = Held {
            inputs: Vec::new(),
            dir: dir.to_owned(),
            files,
        };
        for entry in index.inputs {
            let key = input_key(&entry);
            if given.contains(&entry.file) {
                let keys = held_keys.remove(&key).unwrap_or_default();
                held.inputs.push((entry, keys));
                continue;
            }
            let doc = by_input.remove(&key).unwrap_or_else(|| Document {
                sha256: entry.sha256.clone().unwrap_or_default(),
                format: entry.format.unwrap_or(hyoka::model::Format::Text),
                encoding: entry.encoding.clone(),
                sheets: Vec::new(),
                project_evaluations: Vec::new(),
                worksheets: Vec::new(),
                warnings: Vec::new(),
            });
            inputs.push(carried(entry, doc));
        }
        // Records whose input the index does not list (an index edited by
        // hand) are still carried, after the listed ones, in a stable order.
        let mut unlisted: Vec<_> = by_input.into_iter().collect();
        unlisted.sort_by(|a, b| a.0.cmp(&b.0));
        for ((file, sha256), doc) in unlisted {
            let mut entry = unlisted_entry(file, sha256);
            entry.format = Some(doc.format);
            entry.encoding = doc.encoding.clone();
            entry.warnings = doc.warning_count() as u32;
            inputs.push(carried(entry, doc));
        }
        let mut unlisted_held: Vec<_> = held_keys.into_iter().collect();
        unlisted_held.sort_by(|a, b| a.0.cmp(&b.0));
        for ((file, sha256), keys) in unlisted_held {
            held.inputs.push((unlisted_entry(file, sha256), keys));
        }
        let had_tables = index
            .files
            .iter()
            .any(|f| f.file == crate::opendata::PACKAGE || f.file.starts_with("csv/"));
        let had_xlsx = (index.files.iter()).any(|f| f.file.ends_with(".xlsx"));
        let earlier = Earlier {
            inputs,
            had_tables,
            had_xlsx,
            table_headers: had_tables
                .then(|| headers_of(&dir.join(crate::opendata::PACKAGE)))
                .flatten(),
        };
        Ok(Some((earlier, held)))
    }

    /// The earlier records that `remove` matches taken out; the inputs
    /// left, and how many records (sheets, project evaluations) went.
    pub fn without(self, remove: &Removal) -> (Vec<Carried>, (usize, usize)) {
        let mut removed = (0, 0);
        let mut kept = Vec::new();
        for mut carried in self.inputs {
            let (sheets, projects) = (
                carried.doc.sheets.len(),
                carried.doc.project_evaluations.len(),
            );
            let had_records = sheets + projects > 0;
            let by_source = remove.source.as_deref() == Some(carried.entry.file.as_str());
            (carried.doc.sheets).retain(|s| !remove.matches(&sheet_key(s)));
            (carried.doc.project_evaluations).retain(|p| !remove.matches(&project_key(p)));
            removed.0 += sheets - carried.doc.sheets.len();
            removed.1 += projects - carried.doc.project_evaluations.len();
            // An input whose records all went goes from the index too; so
            // does one removed by its name, records or not.
            let emptied = had_records && carried.records() == 0;
            if !(emptied || (by_source && remove.fiscal_year.is_none())) {
                kept.push(carried);
            }
        }
        (kept, removed)
    }
}

/// Which earlier records `hyoka remove` takes out: every condition given
/// must hold.
#[derive(Debug, Clone, Default)]
pub struct Removal {
    /// Records of this fiscal year.
    pub fiscal_year: Option<i32>,
    /// Records read from this input (as `source.file` records it).
    pub source: Option<String>,
    /// Records of this municipality (its code).
    pub municipality: Option<String>,
}

impl Removal {
    fn matches(&self, key: &RecordKey) -> bool {
        let (municipality, fiscal_year, source) = key;
        self.fiscal_year.is_none_or(|y| *fiscal_year == Some(y))
            && self.source.as_ref().is_none_or(|s| s == source)
            && (self.municipality.as_ref()).is_none_or(|m| municipality.as_ref() == Some(m))
    }
}

/// The header language of a package hyoka wrote: its first field's name
/// is English snake_case or Japanese.
fn headers_of(package: &Path) -> Option<crate::opendata::Headers> {
    let bytes = std::fs::read(package).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let name = json["resources"][0]["schema"]["fields"][0]["name"].as_str()?;
    Some(if name.is_ascii() {
        crate::opendata::Headers::En
    } else {
        crate::opendata::Headers::Ja
    })
}

fn empty(source: &hyoka::model::Source) -> Document {
    Document {
        sha256: source.sha256.clone(),
        format: source.format,
        encoding: source.encoding.clone(),
        sheets: Vec::new(),
        project_evaluations: Vec::new(),
        worksheets: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Reads one earlier department file, checked against the hash the index
/// recorded.
fn read_department(dir: &Path, rel: &str, sha256: &str) -> Result<DepartmentFile, NotCarried> {
    let fail = |why| NotCarried::File {
        file: rel.to_owned(),
        why,
    };
    if !crate::output::is_plain_path(rel) {
        return Err(fail(Why::NotInFolder));
    }
    let bytes = std::fs::read(dir.join(rel)).map_err(|e| fail(Why::Read(e)))?;
    let found = hex(&Sha256::digest(&bytes));
    if found != sha256 {
        return Err(fail(Why::Changed));
    }
    serde_json::from_slice(&bytes).map_err(|e| fail(Why::Parse(e.to_string())))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Why the folder's earlier import cannot be carried into this one.
#[derive(Debug)]
pub enum NotCarried {
    /// `index.json` is of another schema version (or has none).
    Version(Option<u64>),
    /// A file of the earlier set.
    File { file: String, why: Why },
}

/// What is wrong with one earlier file.
#[derive(Debug)]
pub enum Why {
    /// The index lists a path outside the folder.
    NotInFolder,
    /// It does not read.
    Read(std::io::Error),
    /// Its SHA-256 is not the one `index.json` lists.
    Changed,
    /// It is not a department file of this version.
    Parse(String),
}

impl Localized for NotCarried {
    fn render(&self, lang: Lang) -> String {
        let replace = match lang {
            Lang::En => {
                "; restore it, or import with --replace to write the folder anew from this run's inputs only"
            }
            Lang::Ja => "。元に戻すか、--replace を付けてこの実行の入力だけで書き直してください",
        };
        match (self, lang) {
            (NotCarried::Version(v), Lang::En) => format!(
                "the folder holds an import of schema version {} (this hyoka writes {SCHEMA_VERSION}), \
                 which cannot be added to; import all its inputs again with --replace",
                v.map_or("unknown".to_owned(), |v| v.to_string())
            ),
            (NotCarried::Version(v), Lang::Ja) => format!(
                "このフォルダーはスキーマ版 {} の出力で（この hyoka は {SCHEMA_VERSION}）、追加できません。\
                 --replace を付けてすべての入力を読み直してください",
                v.map_or("不明".to_owned(), |v| v.to_string())
            ),
            (NotCarried::File { file, why }, Lang::En) => {
                let what = match why {
                    Why::NotInFolder => "index.json lists it outside the folder".to_owned(),
                    Why::Read(e) => format!("cannot be read: {e}"),
                    Why::Changed => "was changed after hyoka wrote it (its SHA-256 is not the one index.json lists)".to_owned(),
                    Why::Parse(e) => format!("is not a department file hyoka can read back: {e}"),
                };
                format!("the earlier import cannot be kept: {file} {what}{replace}")
            }
            (NotCarried::File { file, why }, Lang::Ja) => {
                let what = match why {
                    Why::NotInFolder => "index.json がフォルダーの外を指しています".to_owned(),
                    Why::Read(e) => format!("読めません: {}", crate::i18n::io(e, Lang::Ja)),
                    Why::Changed => "hyoka が書いた後に変更されています（SHA-256 が index.json の記録と違います）".to_owned(),
                    Why::Parse(e) => format!("hyoka が読み戻せる部局ファイルではありません: {e}"),
                };
                format!("前回までの取り込みを残せません: {file} は{what}{replace}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str, year: i32, file: &str) -> RecordKey {
        (Some(code.to_owned()), Some(year), file.to_owned())
    }

    #[test]
    fn a_removal_matches_when_every_condition_given_holds() {
        let by_year = Removal {
            fiscal_year: Some(2022),
            ..Removal::default()
        };
        assert!(by_year.matches(&key("242161", 2022, "a.txt")));
        assert!(!by_year.matches(&key("242161", 2023, "a.txt")));
        let both = Removal {
            fiscal_year: Some(2022),
            source: Some("a.txt".into()),
            municipality: None,
        };
        assert!(both.matches(&key("242161", 2022, "a.txt")));
        assert!(!both.matches(&key("242161", 2022, "b.txt")));
        let city = Removal {
            municipality: Some("242080".into()),
            ..Removal::default()
        };
        assert!(!city.matches(&key("242161", 2022, "a.txt")));
        assert!(!city.matches(&(None, Some(2022), "a.txt".into())));
    }

    #[test]
    fn held_inputs_whose_records_are_all_replaced_need_no_second_read() {
        let held = Held {
            inputs: vec![(
                InputEntry {
                    file: "a.txt".into(),
                    sha256: Some("0".repeat(64)),
                    format: None,
                    encoding: None,
                    status: InputStatus::Ok,
                    sheets: 1,
                    project_evaluations: 0,
                    error: None,
                    warnings: 0,
                    file_warnings: Vec::new(),
                    worksheets: Vec::new(),
                },
                vec![key("242161", 2022, "a.txt")],
            )],
            // A folder that is not there: reading it again would fail.
            dir: "/nonexistent".into(),
            files: vec![("departments/unknown/x.json".into(), String::new())],
        };
        let replacing = [key("242161", 2022, "a.txt")].into_iter().collect();
        let (kept, replaced) = held.unreplaced(&replacing).unwrap();
        assert!(kept.is_empty());
        assert_eq!(replaced, 1);
    }
}
