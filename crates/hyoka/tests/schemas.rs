//! The committed JSON Schemas in `schemas/` must equal the ones generated
//! from the Rust types. After changing the types, regenerate them with
//! `UPDATE_SCHEMAS=1 cargo test -p hyoka --test schemas` and review the diff.

use std::path::PathBuf;

fn check(name: &str, generated: serde_json::Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(name);
    let mut text = serde_json::to_string_pretty(&generated).unwrap();
    text.push('\n');
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run UPDATE_SCHEMAS=1 cargo test -p hyoka --test schemas",
            path.display()
        )
    });
    assert!(
        committed == text,
        "{} drifted from the Rust types; run UPDATE_SCHEMAS=1 cargo test -p hyoka --test schemas and review the diff",
        path.display()
    );
}

#[test]
fn department_schema_is_committed() {
    check("department.schema.json", hyoka::output::department_schema());
}

#[test]
fn index_schema_is_committed() {
    check("index.schema.json", hyoka::output::index_schema());
}

#[test]
fn kpi_series_schema_is_committed() {
    check("kpi_series.schema.json", hyoka::panel::panel_schema());
}
