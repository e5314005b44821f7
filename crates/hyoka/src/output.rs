//! The files hyoka writes, as types: the department file that holds the
//! records ([`crate::model`], [`crate::project`]) and `index.json`, which
//! says what was imported and where it went. Their JSON Schemas
//! ([`department_schema`], [`index_schema`]) are generated from these
//! types and pinned to `schemas/` by a test.
//!
//! ```
//! // What `hyoka import` writes as departments/<municipality>/<department>.json, read back.
//! let json = std::fs::read("../../tests/golden/iga-text/departments/unknown/総務部.json").unwrap();
//! let file: hyoka::output::DepartmentFile = serde_json::from_slice(&json).unwrap();
//! assert_eq!(file.department, "総務部");
//! assert_eq!(file.schema_version, hyoka::output::SCHEMA_VERSION);
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Format, Municipality, Sheet};
use crate::project::ProjectEvaluation;
use crate::warning::Warning;

/// The version of the output contract these types describe.
///
/// ```
/// assert_eq!(hyoka::output::SCHEMA_VERSION, 3);
/// ```
pub const SCHEMA_VERSION: u32 = 3;

/// One `<department>.json` file: every sheet and project evaluation of
/// one department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "hyoka department file")]
pub struct DepartmentFile {
    /// Always 3 for this contract.
    #[schemars(range(min = 3, max = 3))]
    pub schema_version: u32,
    /// The department name as written in the sheets (normalized).
    pub department: String,
    /// The department's sheets, in input order.
    pub sheets: Vec<Sheet>,
    /// The department's project evaluations (事務事業評価), in input order.
    pub project_evaluations: Vec<ProjectEvaluation>,
}

/// `index.json`: what was imported and where it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "hyoka index file")]
pub struct IndexFile {
    /// Always 3 for this contract.
    #[schemars(range(min = 3, max = 3))]
    pub schema_version: u32,
    /// The program that wrote the files.
    pub generator: Generator,
    /// Every department file written, by department name.
    pub departments: Vec<DepartmentEntry>,
    /// Department files an earlier run wrote that this run did not, kept
    /// because some input failed and the department may be in it.
    pub kept: Vec<DepartmentEntry>,
    /// Every other output file of the set (not department files, not
    /// `index.json`), by path.
    pub files: Vec<FileEntry>,
    /// Every input file, in input order.
    pub inputs: Vec<InputEntry>,
}

/// The program that wrote the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Generator {
    /// `hyoka`.
    pub name: String,
    /// The program's version.
    pub version: String,
}

/// One department file in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentEntry {
    /// The department name as written.
    pub department: String,
    /// The municipality whose sheets the file holds; null when unknown.
    pub municipality: Option<Municipality>,
    /// The file's path inside the output folder, `/`-separated.
    pub file: String,
    /// How many sheets the file holds.
    pub sheets: u32,
    /// How many project evaluations the file holds.
    pub project_evaluations: u32,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// One output file other than a department file or `index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// The path inside the output folder, `/`-separated.
    pub file: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// One input file in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputEntry {
    /// The input's name: a file given is its file name, a file met in a
    /// folder given its path inside that folder after the folder's own name
    /// (`iga/000.txt`), `/`-separated; never an absolute path.
    pub file: String,
    /// SHA-256 of the file's bytes; null when the file could not be read.
    pub sha256: Option<String>,
    /// The format recognised; null when none was.
    pub format: Option<Format>,
    /// The text encoding detected (text forms only).
    pub encoding: Option<String>,
    /// What became of the file.
    pub status: InputStatus,
    /// How many sheets were read from it.
    pub sheets: u32,
    /// How many project evaluations were read from it.
    pub project_evaluations: u32,
    /// Why the file failed (status `error`) or was skipped (status `skipped`).
    pub error: Option<String>,
    /// How many warnings its sheets and the file itself carry.
    pub warnings: u32,
    /// The warnings about the file as a whole (an encoding guessed, bytes
    /// that did not decode, a worksheet warning outside every sheet), which
    /// no sheet repeats.
    pub file_warnings: Vec<Warning>,
    /// For workbooks: every worksheet and what became of it.
    pub worksheets: Vec<WorksheetEntry>,
}

/// What became of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputStatus {
    /// At least one sheet was read.
    Ok,
    /// The file holds no sheet (a cover page, a list of drop-down values).
    Skipped,
    /// The file could not be read or parsed.
    Error,
}

/// One worksheet of a workbook in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorksheetEntry {
    /// The worksheet's name.
    pub name: String,
    /// `ok` when it held sheets, `skipped` when it held none.
    pub status: InputStatus,
    /// How many sheets it held.
    pub sheets: u32,
}

/// The JSON Schema (draft 2020-12) of a department file.
///
/// ```
/// let schema = hyoka::output::department_schema();
/// assert_eq!(schema["title"], "hyoka department file");
/// ```
pub fn department_schema() -> serde_json::Value {
    schema_for::<DepartmentFile>()
}

/// The JSON Schema (draft 2020-12) of `index.json`.
pub fn index_schema() -> serde_json::Value {
    schema_for::<IndexFile>()
}

fn schema_for<T: JsonSchema>() -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let schema = settings.into_generator().into_root_schema_for::<T>();
    serde_json::to_value(schema).expect("a generated schema is valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_draft_2020_12() {
        for schema in [department_schema(), index_schema()] {
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
        }
    }
}
