//! Department names to file names inside the output folder.
//!
//! A department name comes from an untrusted file: it is data, never a
//! path. The file name keeps the name as written where that is safe, and
//! otherwise replaces what is not: path separators, characters Windows
//! forbids, control characters, a leading dot, reserved device names
//! (`CON`, `NUL`, …), `index` and `kpi_series` (hyoka's own `index.json`
//! and `kpi_series.json`). Names that
//! become equal after that, or that differ only in case or NFKC form (and
//! so collide on case-insensitive file systems), get distinct files by a
//! numeric suffix, assigned in sorted order so runs are deterministic.

use std::collections::{BTreeMap, HashMap};

use unicode_normalization::UnicodeNormalization;

/// The longest stem in bytes; with `-NN.json` it stays under the 255-byte
/// limit of common file systems.
const MAX_STEM_BYTES: usize = 200;

const RESERVED: [&str; 25] = [
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "COM1",
    "COM2",
    "COM3",
    "COM4",
    "COM5",
    "COM6",
    "COM7",
    "COM8",
    "COM9",
    "LPT1",
    "LPT2",
    "LPT3",
    "LPT4",
    "LPT5",
    "LPT6",
    "LPT7",
    "LPT8",
    "LPT9",
    "INDEX",
    "CLOCK$",
    "KPI_SERIES",
];

/// A safe file stem for one name, before collisions are resolved.
pub fn safe_stem(name: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = stem.trim_matches([' ', '.']);
    stem = if trimmed.len() == stem.len() {
        stem
    } else {
        // Windows drops trailing dots and spaces; a leading dot hides a file.
        let lead = if stem.starts_with('.') { "_" } else { "" };
        format!("{lead}{trimmed}")
    };
    if stem.is_empty() {
        stem.push('_');
    }
    let base = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&base.as_str()) {
        stem.insert(0, '_');
    }
    if stem.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    stem
}

/// The key under which two stems would name the same file somewhere.
fn fold(stem: &str) -> String {
    stem.nfkc().collect::<String>().to_lowercase()
}

/// File names (`<stem>.json`) for every department, distinct from each
/// other and from `index.json`.
pub fn file_names<'a>(departments: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut sorted: Vec<&str> = departments.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut taken: HashMap<String, ()> = HashMap::new();
    taken.insert(fold("index"), ());
    let mut out = BTreeMap::new();
    for name in sorted {
        let stem = safe_stem(name);
        let mut candidate = stem.clone();
        let mut n = 2;
        while taken.contains_key(&fold(&candidate)) {
            candidate = format!("{stem}-{n}");
            n += 1;
        }
        taken.insert(fold(&candidate), ());
        out.insert(name, format!("{candidate}.json"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_kept() {
        assert_eq!(safe_stem("総務部"), "総務部");
        assert_eq!(safe_stem("デジタル自治推進局"), "デジタル自治推進局");
    }

    #[test]
    fn hostile_names_stay_inside() {
        for name in [
            "../../etc/passwd",
            "a/b",
            "a\\b",
            "..",
            ".",
            "\0",
            "x\ny",
            "C:evil",
        ] {
            let stem = safe_stem(name);
            assert!(
                !stem.contains(['/', '\\', '\0', '\n', ':']),
                "{name:?} -> {stem:?}"
            );
            assert!(!stem.starts_with('.'), "{name:?} -> {stem:?}");
            assert!(!stem.is_empty());
        }
        assert_eq!(safe_stem("CON"), "_CON");
        assert_eq!(safe_stem("nul.txt"), "_nul.txt");
        assert_eq!(safe_stem("index"), "_index");
        assert_eq!(safe_stem("kpi_series"), "_kpi_series");
        assert!(safe_stem(&"部".repeat(500)).len() <= MAX_STEM_BYTES);
    }

    #[test]
    fn collisions_get_distinct_files() {
        let names = file_names([
            "総務部",
            "a/b",
            "a:b",
            "ABC",
            "abc",
            "ＡＢＣ",
            "index",
            "_index",
        ]);
        let mut files: Vec<_> = names.values().map(|f| f.to_lowercase()).collect();
        files.sort();
        let before = files.len();
        files.dedup();
        assert_eq!(files.len(), before, "{names:?}");
        assert!(!files.contains(&"index.json".to_string()));
        assert_eq!(names["総務部"], "総務部.json");
    }
}
