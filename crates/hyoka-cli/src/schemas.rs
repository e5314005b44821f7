//! The published JSON Schemas and validation against them.
//!
//! The schemas are the files committed in `schemas/`, embedded at build
//! time; a test in the library keeps them equal to the ones generated from
//! the Rust types. Validators are compiled once per run.

use std::sync::LazyLock;

use serde_json::Value;

use crate::i18n::{Lang, Localized};

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
    &SHEET_V
}

static SHEET_V: LazyLock<jsonschema::Validator> = LazyLock::new(|| definition(DEPARTMENT, "Sheet"));
static PROJECT_V: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| definition(DEPARTMENT, "ProjectEvaluation"));
static PANEL_SERIES_V: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| definition(KPI_SERIES, "Series"));
static PANEL_WARNING_V: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| definition(KPI_SERIES, "SeriesWarning"));
static PANEL_PROJECT_V: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| definition(KPI_SERIES, "ProjectIndicatorSeries"));

/// Compiles the validators an import uses, in parallel on the current
/// rayon pool: spawned when the import starts, so that compiling them
/// (some milliseconds each) overlaps the reading of the first files
/// instead of waiting for it. With `output`, those of the output files too.
pub fn warm_up(output: bool) {
    fn force(validator: &'static LazyLock<jsonschema::Validator>) {
        LazyLock::force(validator);
    }
    rayon::scope(|s| {
        s.spawn(|_| force(&SHEET_V));
        s.spawn(|_| force(&PROJECT_V));
        if output {
            s.spawn(|_| force(&PANEL_SERIES_V));
            s.spawn(|_| force(&PANEL_WARNING_V));
            s.spawn(|_| force(&PANEL_PROJECT_V));
            s.spawn(|_| {
                for kind in [Kind::Department, Kind::Index, Kind::KpiSeries] {
                    kind.validator();
                }
            });
        }
    });
}

/// A validator for one of `schema`'s definitions, `#/$defs/{name}`.
fn definition(schema: &str, name: &str) -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(schema).expect("the embedded schema is JSON");
    let object = schema.as_object_mut().expect("a schema object");
    object.retain(|k, _| k == "$schema" || k == "$defs");
    object.insert("$ref".into(), Value::from(format!("#/$defs/{name}")));
    jsonschema::draft202012::new(&schema).expect("the definition compiles")
}

/// Whether a KPI panel matches `kpi_series.schema.json`, checked a piece
/// at a time: the envelope with empty lists, then each series and each
/// warning against its definition (the schema asks nothing else of the
/// lists). Only a piece per thread is a [`Value`] at a time, not the whole
/// panel; on a mismatch, [`validate`] on the whole value words the errors.
/// The pieces are checked on the current rayon pool.
pub fn panel_is_valid(panel: &hyoka::panel::PanelFile) -> bool {
    let envelope = serde_json::json!({
        "schema_version": panel.schema_version,
        "series": [],
        "warnings": [],
        "project_indicators": [],
    });
    fn piece<T: serde::Serialize>(validator: &jsonschema::Validator, value: &T) -> bool {
        validator.is_valid(&serde_json::to_value(value).expect("output types serialize"))
    }
    use rayon::prelude::*;
    Kind::KpiSeries.validator().is_valid(&envelope)
        && panel.series.par_iter().all(|s| piece(&PANEL_SERIES_V, s))
        && panel
            .warnings
            .par_iter()
            .all(|w| piece(&PANEL_WARNING_V, w))
        && panel
            .project_indicators
            .par_iter()
            .all(|p| piece(&PANEL_PROJECT_V, p))
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

/// Validates one project evaluation against the department schema's
/// definition of it.
pub fn validate_project(project: &hyoka::project::ProjectEvaluation) -> Vec<String> {
    let value = serde_json::to_value(project).expect("projects serialize");
    errors(&PROJECT_V, &value)
}

fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    mismatches(validator, document)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Validates a document, each error with what it is, for messages people
/// read in their language (`hyoka validate`).
pub fn validate_detailed(kind: Kind, document: &Value) -> Vec<Mismatch> {
    mismatches(kind.validator(), document)
}

fn mismatches(validator: &jsonschema::Validator, document: &Value) -> Vec<Mismatch> {
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
        .map(|e| Mismatch::of(&e))
        .collect()
}

/// Where a document does not match its schema, and how. `Display` is the
/// English of the validator; the message catalog words [`Problem`] in
/// Japanese.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The JSON pointer of the offending value (`/` for the document).
    pub at: String,
    /// The offending value, as JSON, shortened.
    pub value: String,
    /// What is wrong.
    pub problem: Problem,
    /// The validator's English.
    pub english: String,
}

/// What is wrong with a value, by JSON Schema keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required(String),
    Type(Vec<String>),
    Enum(String),
    Const(String),
    Pattern(String),
    Format(String),
    NotAllowed(Vec<String>),
    /// A number out of range: the bound, and whether it is a lower bound
    /// and whether the bound itself is allowed.
    Range {
        limit: String,
        lower: bool,
        inclusive: bool,
    },
    /// A string's length, or an array's items, out of range.
    Length {
        limit: u64,
        lower: bool,
        items: bool,
    },
    NoAlternative,
    Duplicates,
    /// Any other keyword: only the English says.
    Other,
}

impl Mismatch {
    fn of(e: &jsonschema::ValidationError<'_>) -> Mismatch {
        use jsonschema::error::{TypeKind, ValidationErrorKind as K};
        let at = e.instance_path().to_string();
        let value = excerpt(e.instance());
        let json = |v: &Value| v.to_string();
        let problem = match e.kind() {
            K::Required { property } => Problem::Required(json(property)),
            K::Type { kind } => Problem::Type(match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            }),
            K::Enum { options } => Problem::Enum(json(options)),
            K::Constant { expected_value } => Problem::Const(json(expected_value)),
            K::Pattern { pattern } => Problem::Pattern(pattern.clone()),
            K::Format { format } => Problem::Format(format.clone()),
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                Problem::NotAllowed(unexpected.clone())
            }
            K::Minimum { limit } => range(limit, true, true),
            K::ExclusiveMinimum { limit } => range(limit, true, false),
            K::Maximum { limit } => range(limit, false, true),
            K::ExclusiveMaximum { limit } => range(limit, false, false),
            K::MinLength { limit } => length(*limit, true, false),
            K::MaxLength { limit } => length(*limit, false, false),
            K::MinItems { limit } => length(*limit, true, true),
            K::MaxItems { limit } => length(*limit, false, true),
            K::AnyOf { .. } | K::OneOfNotValid { .. } => Problem::NoAlternative,
            K::UniqueItems => Problem::Duplicates,
            _ => Problem::Other,
        };
        Mismatch {
            at: if at.is_empty() { "/".into() } else { at },
            value,
            problem,
            // The validator's own text would echo the value whole.
            english: e.masked_with("the value").to_string(),
        }
    }
}

fn range(limit: &Value, lower: bool, inclusive: bool) -> Problem {
    Problem::Range {
        limit: limit.to_string(),
        lower,
        inclusive,
    }
}

fn length(limit: u64, lower: bool, items: bool) -> Problem {
    Problem::Length {
        limit,
        lower,
        items,
    }
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "at `{}`: {} (the value: {})",
            self.at, self.english, self.value
        )
    }
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

impl Localized for Mismatch {
    fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ja => mismatch_ja(self),
        }
    }
}

/// Where and how a document does not match its schema, in Japanese.
fn mismatch_ja(m: &Mismatch) -> String {
    use Problem as P;
    let v = &m.value;
    let what = match &m.problem {
        P::Required(property) => format!("必須のプロパティ {property} がありません"),
        P::Type(kinds) => format!(
            "{v} の型が違います({} であるべきです)",
            kinds.join(" または ")
        ),
        P::Enum(options) => format!("{v} は {options} のいずれでもありません"),
        P::Const(expected) => format!("{v} は {expected} でなければなりません"),
        P::Pattern(pattern) => format!("{v} はパターン {pattern} に合いません"),
        P::Format(format) => format!("{v} は形式 {format} に合いません"),
        P::NotAllowed(names) => format!("スキーマにないプロパティがあります: {}", names.join(", ")),
        P::Range {
            limit,
            lower,
            inclusive,
        } => {
            let bound = match (lower, inclusive) {
                (true, true) => "以上",
                (true, false) => "より大きい値",
                (false, true) => "以下",
                (false, false) => "未満",
            };
            format!("{v} は {limit} {bound}でなければなりません")
        }
        P::Length {
            limit,
            lower,
            items,
        } => {
            let unit = if *items { "個の要素" } else { "文字" };
            let bound = if *lower { "以上" } else { "以下" };
            format!("{v} は {limit} {unit}{bound}でなければなりません")
        }
        P::NoAlternative => format!("{v} はスキーマのどの形にも合いません"),
        P::Duplicates => format!("{v} に重複した要素があります"),
        P::Other => format!("スキーマに合いません({})", m.english),
    };
    format!("`{}` の位置: {what}", m.at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The piecewise check of a panel agrees with the check of the whole.
    #[test]
    fn a_panel_checked_piece_by_piece_as_a_whole() {
        let bytes = include_bytes!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let doc = hyoka::read("iga.txt", bytes, &hyoka::Options::default()).unwrap();
        let mut builder = hyoka::panel::PanelBuilder::new();
        for sheet in &doc.sheets {
            builder.add_sheet(sheet);
        }
        let panel = builder.build();
        assert!(!panel.series.is_empty());
        let whole = |p: &hyoka::panel::PanelFile| {
            validate(Kind::KpiSeries, &serde_json::to_value(p).unwrap()).is_empty()
        };
        assert!(panel_is_valid(&panel) && whole(&panel));
        let mut bad = panel.clone();
        bad.series[0].id = "not-an-id".into();
        assert!(!panel_is_valid(&bad) && !whole(&bad));
        let mut bad = panel;
        bad.schema_version = 1;
        assert!(!panel_is_valid(&bad) && !whole(&bad));
    }
}
