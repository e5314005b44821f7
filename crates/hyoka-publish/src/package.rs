//! `datapackage.json`: a Frictionless Data Package (v1, tabular) that
//! describes the CSV tables: a Table Schema per table with field types,
//! constraints, primary and foreign keys, `missingValues`, and each file's
//! size and SHA-256.
//!
//! The types below are the package as hyoka writes it; the JSON Schema in
//! `schemas/datapackage.schema.json` is generated from them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::{Contact, LICENSES, PortalMeta, contact_kind};
use crate::tables::{Headers, TableDef};

/// `datapackage.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "hyoka data package (Frictionless Data Package v1, tabular)")]
pub struct DataPackage {
    /// Always `tabular-data-package`.
    pub profile: String,
    /// The package's name.
    pub name: String,
    /// A title for people.
    pub title: String,
    /// What the package holds.
    pub description: String,
    /// The licence (`hyoka import --license`): its id, title and URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    /// The publisher (role `publisher`) and the contact point (role
    /// `contact`), from `--publisher` and `--contact`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<Contributor>,
    /// 更新日, `YYYY-MM-DD` (`--modified`): when the data was last updated.
    /// Only when given: nothing is taken from a clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub modified: Option<String>,
    /// The program that wrote it.
    pub hyoka: Generated,
    /// One resource per table.
    pub resources: Vec<Resource>,
}

/// A licence, as the Data Package describes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct License {
    /// The licence's id (`CC-BY-4.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the licence's text is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Its title for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Someone who made or publishes the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contributor {
    /// The name (伊賀市 総務部 広報広聴課).
    pub title: String,
    /// `publisher` or `contact` (hyoka writes these two).
    #[serde(default)]
    pub role: String,
    /// An email address to write to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A URL (a contact form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The program that wrote a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Generated {
    /// hyoka's version.
    pub version: String,
    /// The schema version of the JSON beside the package.
    pub schema_version: u32,
}

/// One CSV table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Resource {
    /// Always `tabular-data-resource`.
    pub profile: String,
    /// The table's name.
    pub name: String,
    /// The file, relative to the package (`csv/sheets.csv`).
    pub path: String,
    /// A title for people.
    pub title: String,
    /// What one row is.
    pub description: String,
    /// `csv`.
    pub format: String,
    /// `text/csv`.
    pub mediatype: String,
    /// `utf-8` (the file starts with a byte-order mark).
    pub encoding: String,
    /// The file's size.
    pub bytes: u64,
    /// `sha256:` and the file's SHA-256 in lowercase hex.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub hash: String,
    /// How the file is written.
    pub dialect: Dialect,
    /// The table's schema.
    pub schema: TableSchema,
}

/// The CSV dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    /// `,`.
    pub delimiter: String,
    /// `\r\n`.
    pub line_terminator: String,
    /// `"`.
    pub quote_char: String,
    /// Quotes inside a quoted cell are doubled.
    pub double_quote: bool,
    /// The first row is the header.
    pub header: bool,
}

/// A Table Schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    /// The columns, in order.
    pub fields: Vec<Field>,
    /// The primary key's fields.
    pub primary_key: Vec<String>,
    /// The foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Cell texts that mean "no value": the empty cell.
    pub missing_values: Vec<String>,
}

/// A column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Field {
    /// The header.
    pub name: String,
    /// The Japanese name.
    pub title: String,
    /// `string`, `integer`, `number` or `boolean`.
    #[serde(rename = "type")]
    #[schemars(regex(pattern = r"^(string|integer|number|boolean)$"))]
    pub kind: String,
    /// What the column holds.
    pub description: String,
    /// What every value satisfies.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// Field constraints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Constraints {
    /// Every row has a value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The only values allowed.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A regular expression each value matches whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        !self.required && self.values.is_empty() && self.pattern.is_none()
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ForeignKey {
    /// This table's fields.
    pub fields: Vec<String>,
    /// What they refer to.
    pub reference: Reference,
}

/// The target of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    /// The referenced resource's name; empty for the same table.
    pub resource: String,
    /// The referenced fields.
    pub fields: Vec<String>,
}

/// One table's file as the package describes it: its size and SHA-256
/// (hex).
pub struct TableFile<'a> {
    /// The table.
    pub table: &'static TableDef,
    /// The file's size.
    pub bytes: u64,
    /// The file's SHA-256, in hex.
    pub sha256: &'a str,
}

/// The title of a package when the run gives none.
pub const DEFAULT_TITLE: &str = "施策評価シート (policy-evaluation sheets)";

/// The description of a package when the run gives none.
pub const DEFAULT_DESCRIPTION: &str = "Municipal policy-evaluation sheets (施策評価シート) read by hyoka: \
    sheets, basic projects, list items, KPIs and their values, and the warnings about each sheet. \
    The JSON beside this package holds the same records, nested.";

/// The package describing `tables`, in order, with the portal metadata
/// `meta`.
pub fn build(headers: Headers, tables: &[TableFile<'_>], meta: &PortalMeta) -> DataPackage {
    let name_of = |table: &TableDef, en: &str| -> String {
        let field = table
            .all_fields()
            .find(|f| f.en == en)
            .expect("declared keys name declared fields");
        headers.name(field).to_owned()
    };
    let resources = tables
        .iter()
        .map(
            |&TableFile {
                 table,
                 bytes,
                 sha256,
             }| Resource {
                profile: "tabular-data-resource".into(),
                name: table.name.into(),
                path: format!("csv/{}.csv", table.name),
                title: table.title.into(),
                description: table.description.into(),
                format: "csv".into(),
                mediatype: "text/csv".into(),
                encoding: "utf-8".into(),
                bytes,
                hash: format!("sha256:{sha256}"),
                dialect: Dialect {
                    delimiter: ",".into(),
                    line_terminator: "\r\n".into(),
                    quote_char: "\"".into(),
                    double_quote: true,
                    header: true,
                },
                schema: TableSchema {
                    fields: table
                        .all_fields()
                        .map(|f| Field {
                            name: headers.name(f).into(),
                            title: f.ja.into(),
                            kind: f.kind.as_str().into(),
                            description: f.description.into(),
                            constraints: Constraints {
                                required: f.required,
                                values: headers.values(f).iter().map(|v| (*v).to_owned()).collect(),
                                pattern: f.pattern.map(Into::into),
                            },
                        })
                        .collect(),
                    primary_key: table
                        .primary_key
                        .iter()
                        .map(|k| name_of(table, k))
                        .collect(),
                    foreign_keys: table
                        .foreign_keys
                        .iter()
                        .map(|fk| {
                            let target = crate::tables::TABLES
                                .iter()
                                .find(|t| t.name == fk.table)
                                .expect("declared tables");
                            ForeignKey {
                                fields: fk.fields.iter().map(|f| name_of(table, f)).collect(),
                                reference: Reference {
                                    resource: if fk.table == table.name {
                                        String::new()
                                    } else {
                                        fk.table.into()
                                    },
                                    fields: fk
                                        .reference
                                        .iter()
                                        .map(|f| name_of(target, f))
                                        .collect(),
                                },
                            }
                        })
                        .collect(),
                    missing_values: vec![String::new()],
                },
            },
        )
        .collect();
    DataPackage {
        profile: "tabular-data-package".into(),
        name: "hyoka-policy-evaluation-sheets".into(),
        title: meta.title.as_deref().unwrap_or(DEFAULT_TITLE).to_owned(),
        description: meta
            .description
            .as_deref()
            .unwrap_or(DEFAULT_DESCRIPTION)
            .to_owned(),
        licenses: licenses(meta),
        contributors: contributors(meta),
        modified: meta.modified.clone(),
        hyoka: Generated {
            version: env!("CARGO_PKG_VERSION").into(),
            schema_version: hyoka::output::SCHEMA_VERSION,
        },
        resources,
    }
}

/// The package's `licenses`: the id, and for a known one its title and URL.
pub fn licenses(meta: &PortalMeta) -> Vec<License> {
    let Some(id) = &meta.license else {
        return Vec::new();
    };
    let known = LICENSES
        .iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(id));
    vec![match known {
        Some((name, title, path)) => License {
            name: Some((*name).to_owned()),
            path: Some((*path).to_owned()),
            title: Some((*title).to_owned()),
        },
        None => License {
            name: Some(id.clone()),
            path: None,
            title: None,
        },
    }]
}

/// The package's `contributors`: the publisher (role `publisher`) and the
/// contact point (role `contact`, with its `email` or, for a URL, `path`).
pub fn contributors(meta: &PortalMeta) -> Vec<Contributor> {
    let mut out = Vec::new();
    if let Some(publisher) = &meta.publisher {
        out.push(Contributor {
            title: publisher.clone(),
            role: "publisher".into(),
            email: None,
            path: None,
        });
    }
    if let Some(contact) = &meta.contact {
        let email = contact_kind(contact) == Some(Contact::Email);
        out.push(Contributor {
            title: meta.publisher.clone().unwrap_or_else(|| contact.clone()),
            role: "contact".into(),
            email: email.then(|| contact.clone()),
            path: (!email).then(|| contact.clone()),
        });
    }
    out
}

/// The JSON Schema (draft 2020-12) of `datapackage.json` as hyoka writes
/// it; committed as `schemas/datapackage.schema.json` and embedded from there.
pub fn schema() -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let schema = settings
        .into_generator()
        .into_root_schema_for::<DataPackage>();
    serde_json::to_value(schema).expect("a generated schema is valid JSON")
}
