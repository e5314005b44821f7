//! `hyoka report DIR --out SITE`: a static site from an import's output
//! folder, for people who would rather look than read JSON.
//!
//! SITE gets `index.html` (municipality → department → sheets, with counts
//! and warnings), `kpis.html` (every KPI series once, as a chart) and
//! `sheets/<sheet id>.html` (one page per sheet, laid out as the sheet is:
//! PLAN/DO/CHECK①, the survey, CHECK②/ACTION and progress, with each KPI's
//! chart across the years). Every page is one self-contained file: inline
//! CSS and SVG, no script, nothing from the network, so it works from
//! `file://` and prints on A4. Department files are read one at a time and
//! their pages written at once, so memory holds one department and the
//! panel. The pages are rendered by [`hyoka_publish::report`], which the
//! browser page uses too; this module reads the folder and writes them.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use hyoka::output::{DepartmentFile, IndexFile};
use hyoka::panel::PanelFile;
use hyoka_publish::report::{Download, Lang, PROJECTS_DIR, Page, SHEETS_DIR, Site};

use crate::files::JsonRead;
use crate::i18n::{self, Msg};
use crate::output;

/// Exit status when the output folder cannot be read.
const EXIT_INPUT: u8 = 1;
/// Exit status when the site could not be written.
const EXIT_OUTPUT_FAILED: u8 = 3;

/// Runs `hyoka report`.
pub fn run(dir: &Path, site_dir: &Path) -> ExitCode {
    let lang = match i18n::lang() {
        i18n::Lang::En => Lang::En,
        i18n::Lang::Ja => Lang::Ja,
    };
    let index: IndexFile = match read_json(&dir.join("index.json")) {
        Ok(index) => index,
        Err(e) => {
            crate::console::say!("{}: {e}", i18n::error_prefix());
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let panel_name = index
        .files
        .iter()
        .find(|f| f.file == crate::kpi_series::FILE)
        .map_or(crate::kpi_series::FILE, |f| f.file.as_str());
    let panel: Option<PanelFile> = match safe_path(dir, panel_name) {
        Some(path) if path.exists() => match read_json(&path) {
            Ok(p) => Some(p),
            Err(e) => {
                crate::console::say!("{}: {e}", i18n::warning_prefix());
                None
            }
        },
        _ => None,
    };
    if let Err(e) = std::fs::create_dir_all(site_dir.join(SHEETS_DIR)) {
        crate::console::say!(
            "{}: {}",
            i18n::error_prefix(),
            Msg::CannotWrite(i18n::shown(site_dir), e)
        );
        return ExitCode::from(EXIT_OUTPUT_FAILED);
    }

    let mut site = Site::new(lang, panel.as_ref());
    let mut failed = false;
    let mut input_failed = false;
    let mut written = 0;
    for department in &index.departments {
        let Some(path) = safe_path(dir, &department.file) else {
            crate::console::say!(
                "{}: {}",
                i18n::error_prefix(),
                Msg::ReportCannotRead(department.file.clone(), Box::new(JsonRead::OutsideDir))
            );
            input_failed = true;
            continue;
        };
        let file: DepartmentFile = match read_json(&path) {
            Ok(f) => f,
            Err(e) => {
                crate::console::say!("{}: {e}", i18n::error_prefix());
                input_failed = true;
                continue;
            }
        };
        for page in site.add_department(file) {
            failed |= !write_page(site_dir, &page);
            written += 1;
        }
    }
    remove_stale_pages(&site_dir.join(SHEETS_DIR), site.sheet_pages());

    let mut project_pages = BTreeSet::new();
    for page in site.finish(&index.inputs, &downloads(&index, dir, site_dir)) {
        failed |= !write_page(site_dir, &page);
        written += 1;
        if let Some(name) = page.path.strip_prefix(&format!("{PROJECTS_DIR}/")) {
            project_pages.insert(name.trim_end_matches(".html").to_owned());
        }
    }
    remove_stale_pages(&site_dir.join(PROJECTS_DIR), &project_pages);
    if failed {
        return ExitCode::from(EXIT_OUTPUT_FAILED);
    }
    crate::console::say!(
        "{}",
        Msg::ReportWritten {
            dir: i18n::shown(site_dir),
            pages: written,
        }
    );
    if input_failed {
        ExitCode::from(EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes one page through a temporary and a rename; says on stderr why
/// it could not, and returns whether it was written.
fn write_page(site_dir: &Path, page: &Page) -> bool {
    let target = site_dir.join(&page.path);
    let folder = target.parent().map_or(Ok(()), std::fs::create_dir_all);
    match folder.and_then(|()| output::write_atomic(&target, page.html.as_bytes())) {
        Ok(()) => true,
        Err(e) => {
            crate::console::say!(
                "{}: {}",
                i18n::error_prefix(),
                Msg::CannotWrite(i18n::shown(&target), e)
            );
            false
        }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Msg> {
    // An output folder is data: a name in it may be a pipe or a huge file.
    let bytes = crate::files::read_regular(path, crate::files::MAX_JSON_BYTES)
        .map_err(|e| Msg::ReportCannotRead(i18n::shown(path), Box::new(JsonRead::from(e))))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Msg::ReportCannotRead(i18n::shown(path), Box::new(JsonRead::Json(e))))
}

/// `name` (`/`-separated, from an index, so data) inside `dir`, or None
/// when it would leave `dir`.
fn safe_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let relative = Path::new(name);
    let plain = !name.is_empty()
        && !name.contains('\\')
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| dir.join(relative))
}

/// Removes pages an earlier report wrote that this one did not: only
/// `.html` files directly in SITE/sheets or SITE/projects, the report's own.
fn remove_stale_pages(dir: &Path, pages: &BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".html")
            && !pages.contains(stem)
            && entry.file_type().is_ok_and(|f| f.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The output's files (department JSON, the KPI panel, the CSV tables and
/// their Data Package), linked from the site to the output folder.
fn downloads(index: &IndexFile, dir: &Path, site_dir: &Path) -> Vec<Download> {
    let base = relative(site_dir, dir);
    index
        .departments
        .iter()
        .map(|d| d.file.as_str())
        .chain(index.files.iter().map(|f| f.file.as_str()))
        .map(|file| Download {
            label: file.to_owned(),
            href: format!("{base}{file}"),
        })
        .collect()
}

/// The relative URL prefix from the folder `from` to the folder `to`
/// (`../out/`), by their absolute paths; `to`'s absolute `file:` URL where
/// they share no root.
fn relative(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (std::fs::canonicalize(from), std::fs::canonicalize(to)) else {
        return String::new();
    };
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return format!("file://{}/", to.display());
    }
    let mut out = "../".repeat(a.len() - common);
    for c in &b[common..] {
        out.push_str(&c.as_os_str().to_string_lossy());
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_an_index_stay_inside_the_folder() {
        let dir = Path::new("out");
        assert_eq!(safe_path(dir, "総務部.json"), Some(dir.join("総務部.json")));
        assert_eq!(
            safe_path(dir, "242161/総務部.json"),
            Some(dir.join("242161/総務部.json"))
        );
        for bad in [
            "../x.json",
            "/etc/passwd",
            "a/../../b",
            "",
            "a\\..\\b",
            "./a",
        ] {
            assert_eq!(safe_path(dir, bad), None, "{bad}");
        }
    }
}
