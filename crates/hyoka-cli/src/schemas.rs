//! The published JSON Schemas and validation against them.
//!
//! The schemas are the files committed in `schemas/`, embedded at build
//! time; a test in the library keeps them equal to the ones generated from
//! the Rust types. Validators are compiled once per run.

use std::sync::LazyLock;

use serde_json::Value;

/// `schemas/department.schema.json`.
pub const DEPARTMENT: &str = include_str!("../../../schemas/department.schema.json");
/// `schemas/index.schema.json`.
pub const INDEX: &str = include_str!("../../../schemas/index.schema.json");
/// `schemas/kpi_series.schema.json`.
pub const KPI_SERIES: &str = include_str!("../../../schemas/kpi_series.schema.json");
/// `schemas/datapackage.schema.json`.
pub const DATAPACKAGE: &str = include_str!("../../../schemas/datapackage.schema.json");

/// Which schema a JSON file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A `<department>.json` file.
    Department,
    /// `index.json`.
    Index,
    /// `kpi_series.json`.
    KpiSeries,
    /// `datapackage.json` (with `--csv`).
    Datapackage,
}

impl Kind {
    /// The schema's text.
    pub fn text(self) -> &'static str {
        match self {
            Kind::Department => DEPARTMENT,
            Kind::Index => INDEX,
            Kind::KpiSeries => KPI_SERIES,
            Kind::Datapackage => DATAPACKAGE,
        }
    }

    /// The schema's file name in `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Department => "department.schema.json",
            Kind::Index => "index.schema.json",
            Kind::KpiSeries => "kpi_series.schema.json",
            Kind::Datapackage => "datapackage.schema.json",
        }
    }

    /// Tells the kind from a document: an index has `inputs`, a data
    /// package `resources`.
    pub fn of(document: &Value) -> Kind {
        if document.get("resources").is_some() {
            Kind::Datapackage
        } else if document.get("inputs").is_some() {
            Kind::Index
        } else if document.get("series").is_some() {
            Kind::KpiSeries
        } else {
            Kind::Department
        }
    }

    fn validator(self) -> &'static jsonschema::Validator {
        // Compiled once per run, shared by every thread.
        static DEPARTMENT_V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(DEPARTMENT));
        static INDEX_V: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile(INDEX));
        static KPI_SERIES_V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(KPI_SERIES));
        static DATAPACKAGE_V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(DATAPACKAGE));
        match self {
            Kind::Department => &DEPARTMENT_V,
            Kind::Index => &INDEX_V,
            Kind::KpiSeries => &KPI_SERIES_V,
            Kind::Datapackage => &DATAPACKAGE_V,
        }
    }
}

/// The department schema with its root replaced by the sheet definition, so
/// sheets can be validated one at a time, in parallel, as they are parsed:
/// the whole file then needs only its envelope checked, and no JSON tree of
/// a whole department is ever built.
fn sheet_validator() -> &'static jsonschema::Validator {
    static SHEET_V: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
        let mut schema: Value =
            serde_json::from_str(DEPARTMENT).expect("the embedded schema is JSON");
        let object = schema.as_object_mut().expect("a schema object");
        object.retain(|k, _| k == "$schema" || k == "$defs");
        object.insert("$ref".into(), Value::from("#/$defs/Sheet"));
        jsonschema::draft202012::new(&schema).expect("the sheet schema compiles")
    });
    &SHEET_V
}

fn compile(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("the embedded schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the embedded schema compiles")
}

/// Validates a document; the errors, each with the JSON pointer of the
/// offending value, or an empty list.
pub fn validate(kind: Kind, document: &Value) -> Vec<String> {
    errors(kind.validator(), document)
}

/// Validates one sheet against the department schema's sheet definition.
pub fn validate_sheet(sheet: &hyoka::model::Sheet) -> Vec<String> {
    let value = serde_json::to_value(sheet).expect("sheets serialize");
    errors(sheet_validator(), &value)
}

fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    // The yes/no check is much cheaper than collecting errors, and almost
    // every document passes.
    if validator.is_valid(document) {
        return Vec::new();
    }
    // The failing value is named by its JSON pointer and shown as a short
    // excerpt: echoed whole, one bad value in a large file would flood
    // stderr with the file.
    validator
        .iter_errors(document)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!(
                "at `{}`: {} (the value: {})",
                if at.is_empty() { "/" } else { &at },
                e.masked_with("the value"),
                excerpt(e.instance())
            )
        })
        .collect()
}

/// A value's JSON, cut to about 80 characters.
pub fn excerpt(value: &Value) -> String {
    const MAX: usize = 80;
    let mut text = match value {
        // Containers are cut before they are serialized whole.
        Value::Array(items) if items.len() > 3 => format!("[… {} items]", items.len()),
        Value::Object(map) if map.len() > 8 => format!("{{… {} keys}}", map.len()),
        other => serde_json::to_string(other).unwrap_or_default(),
    };
    if text.chars().count() > MAX {
        text = text.chars().take(MAX).collect::<String>() + "…";
    }
    text
}
