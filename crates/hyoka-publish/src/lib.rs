//! hyoka's open data as bytes: the CSV tables (`csv/<table>.csv`) and the
//! Frictionless Data Package that describes them (`datapackage.json`),
//! rendered from the library's records without touching a file. The
//! command (`hyoka import --csv`) streams them into its output folder; the
//! page (`hyoka-web`) offers them as a zip. Both write the same bytes.
//!
//! [`tables`] declares every table once ([`tables::TableDef`]) and renders
//! rows; [`package`] builds the package from the declarations and the
//! files' sizes and hashes; [`meta`] is the portal metadata it carries.
//!
//! ```
//! let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
//! let doc = hyoka::read("000_46863bf7e879b4fa.txt", &bytes, &hyoka::Options::default()).unwrap();
//! let mut tables = hyoka_publish::Tables::new(hyoka_publish::Headers::Ja);
//! tables.add_documents(&[&doc]);
//! let files = hyoka_publish::files(tables, &hyoka_publish::PortalMeta::default());
//! assert_eq!(files.last().unwrap().0, "datapackage.json");
//! assert!(files[0].0 == "csv/sheets.csv" && files[0].1.starts_with(hyoka_publish::tables::BOM));
//! ```

pub mod meta;
pub mod package;
pub mod report;
pub mod tables;

pub use meta::PortalMeta;
pub use tables::{Headers, Tables};

/// The package's file name beside the `csv/` folder.
pub const PACKAGE: &str = "datapackage.json";

/// The package's bytes as `hyoka import` writes them: pretty JSON and a
/// final newline.
pub fn package_json(package: &package::DataPackage) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(package).expect("the package serializes");
    bytes.push(b'\n');
    bytes
}

/// Every file of the open data of `tables` (nothing drained before), by
/// its path in an output folder: `csv/<table>.csv` in the order of
/// [`tables::TABLES`], then [`PACKAGE`] describing them with `meta`.
pub fn files(tables: Tables, meta: &PortalMeta) -> Vec<(String, Vec<u8>)> {
    let headers = tables.headers();
    let finished = tables.finish();
    let hashes: Vec<String> = finished
        .iter()
        .map(|(_, bytes)| hyoka::sha256_hex(bytes))
        .collect();
    let described: Vec<package::TableFile<'_>> = finished
        .iter()
        .zip(&hashes)
        .map(|((table, bytes), sha256)| package::TableFile {
            table,
            bytes: bytes.len() as u64,
            sha256,
        })
        .collect();
    let package = package::build(headers, &described, meta);
    let json = package_json(&package);
    finished
        .into_iter()
        .zip(&package.resources)
        .map(|((_, bytes), resource)| (resource.path.clone(), bytes))
        .chain([(PACKAGE.to_owned(), json)])
        .collect()
}
