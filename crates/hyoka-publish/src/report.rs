//! The report as pages: a static site from an import's records, for
//! people who would rather look than read JSON, rendered without touching
//! a file. `hyoka report` writes the pages into a folder; the page
//! (`hyoka-web`) offers them as a zip. Both render the same bytes.
//!
//! The site has `index.html` (municipality → department → sheets, with
//! counts and warnings), `kpis.html` (every KPI series once, as a chart),
//! `projects.html` when there are project evaluations, and
//! `sheets/<sheet id>.html` (one page per sheet, laid out as the sheet is:
//! PLAN/DO/CHECK①, the survey, CHECK②/ACTION and progress, with each KPI's
//! chart across the years). Every page is one self-contained file: inline
//! CSS and SVG, no script, nothing from the network, so it works from
//! `file://` and prints on A4. A [`Site`] takes one department file at a
//! time and gives its sheet pages at once, so memory holds one department,
//! the panel and the project evaluations.
//!
//! ```
//! use hyoka::output::DepartmentFile;
//! use hyoka_publish::report::{Lang, Site};
//! let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
//! let doc = hyoka::read("000.txt", &bytes, &hyoka::Options::default()).unwrap();
//! let mut site = Site::new(Lang::Ja, None);
//! let pages = site.add_department(DepartmentFile {
//!     schema_version: hyoka::output::SCHEMA_VERSION,
//!     department: doc.sheets[0].department.clone(),
//!     sheets: vec![doc.sheets[0].clone()],
//!     project_evaluations: Vec::new(),
//! });
//! assert_eq!(pages[0].path, format!("sheets/{}.html", doc.sheets[0].id));
//! assert!(pages[0].html.contains(&doc.sheets[0].department));
//! let pages = site.finish(&[], &[]);
//! assert_eq!(pages[0].path, "index.html");
//! assert!(pages[0].html.contains("施策評価レポート"));
//! ```

mod chart;
mod html;
mod project_charts;
mod projects;
mod sheet;
mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use hyoka::model::{AssessmentStatus, Municipality};
use hyoka::output::{DepartmentFile, InputEntry, InputStatus};
use hyoka::panel::{PanelFile, Series};
use hyoka::project::ProjectEvaluation;

use html::esc;
use text::Text;

/// The report's language: its own labels; the sheets' content is shown as
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English labels.
    En,
    /// Japanese labels, as the sheets' readers expect.
    #[default]
    Ja,
}

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its path in the site, `/`-separated (`index.html`,
    /// `sheets/<id>.html`).
    pub path: String,
    /// The page.
    pub html: String,
}

/// A file the index page links to for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// What the link says: the file's path in the output folder.
    pub label: String,
    /// Where it goes, relative to the site (or a `file:` URL).
    pub href: String,
}

/// The folder of the sheet pages in the site.
pub const SHEETS_DIR: &str = "sheets";

/// The folder of the departments' project evaluation pages in the site.
pub const PROJECTS_DIR: &str = projects::DIR;

/// One sheet as the index lists it.
struct Entry {
    municipality: String,
    department: String,
    fiscal_year: Option<i32>,
    title: String,
    /// The basic projects' names, which tell apart sheets sharing a heading.
    about: String,
    projects: usize,
    kpis: usize,
    warnings: usize,
    page: String,
}

/// The site being rendered: department files go in one at a time, their
/// sheet pages come out at once, and [`Site::finish`] gives the pages that
/// list them all.
pub struct Site<'a> {
    t: &'static Text,
    panel: Option<&'a PanelFile>,
    /// Which series each sheet stated: every statement adds a target report.
    by_sheet: BTreeMap<&'a str, Vec<&'a Series>>,
    entries: Vec<Entry>,
    pages: BTreeSet<String>,
    project_evaluations: Vec<ProjectEvaluation>,
}

impl<'a> Site<'a> {
    /// A site in `lang`, its charts from `panel` (`kpi_series.json`; the
    /// pages say so when there is none).
    pub fn new(lang: Lang, panel: Option<&'a PanelFile>) -> Site<'a> {
        let mut by_sheet: BTreeMap<&str, Vec<&Series>> = BTreeMap::new();
        for s in panel.map_or(&[][..], |p| &p.series) {
            let mut sheets: BTreeSet<&str> = BTreeSet::new();
            for target in &s.targets {
                sheets.extend(target.reports.iter().map(|r| r.sheet_id.as_str()));
            }
            for sheet in sheets {
                by_sheet.entry(sheet).or_default().push(s);
            }
        }
        Site {
            t: Text::of(lang),
            panel,
            by_sheet,
            entries: Vec::new(),
            pages: BTreeSet::new(),
            project_evaluations: Vec::new(),
        }
    }

    /// The pages of one department file's sheets, `sheets/<stem>.html`
    /// each; its project evaluations are kept for `projects.html`.
    pub fn add_department(&mut self, file: DepartmentFile) -> Vec<Page> {
        let t = self.t;
        let mut out = Vec::with_capacity(file.sheets.len());
        for s in &file.sheets {
            let page = page_name(&s.id, &mut self.pages);
            let related = self
                .by_sheet
                .get(s.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let body = sheet::page(s, related, self.panel.is_some(), t);
            let title = sheet::title(s);
            let nav = nav(t, &[(t.home, Some("../index.html")), (&title, None)]);
            let path = format!("{SHEETS_DIR}/{page}.html");
            out.push(Page {
                path: path.clone(),
                html: html::page(t, &title, &nav, &body),
            });
            self.entries.push(Entry {
                municipality: municipality_name(s.municipality.as_ref(), t),
                department: s.department.clone(),
                fiscal_year: s.fiscal_year,
                title: s
                    .policy
                    .clone()
                    .or_else(|| s.heading.clone())
                    .unwrap_or_else(|| s.department.clone()),
                about: sheet::projects_line(s),
                projects: s.basic_projects.len(),
                kpis: s.basic_projects.iter().map(|p| p.kpis.len()).sum(),
                warnings: s.warnings.len(),
                page: path,
            });
        }
        self.project_evaluations.extend(file.project_evaluations);
        out
    }

    /// The stems of the sheet pages given so far (`SHEETS_DIR/<stem>.html`).
    pub fn sheet_pages(&self) -> &BTreeSet<String> {
        &self.pages
    }

    /// The pages that list everything added: `index.html` (with `inputs`,
    /// the import's inputs as `index.json` lists them, and links to
    /// `downloads`, none when empty), `kpis.html`, and, when project
    /// evaluations were added, `projects.html` with a page per department
    /// in `PROJECTS_DIR`.
    pub fn finish(self, inputs: &[InputEntry], downloads: &[Download]) -> Vec<Page> {
        let t = self.t;
        let series: &[Series] = self.panel.map_or(&[], |p| &p.series);
        let mut out = Vec::with_capacity(3);
        out.push(Page {
            path: "index.html".to_owned(),
            html: index_page(inputs, &self.entries, series, self.panel.is_some(), t)
                .replace(
                    PROJECTS_MARK,
                    &projects_link(self.project_evaluations.len(), t),
                )
                .replace(DOWNLOADS_MARK, &downloads_section(downloads, t)),
        });
        out.push(Page {
            path: "kpis.html".to_owned(),
            html: panel_page(series, self.panel.is_some(), t),
        });
        if !self.project_evaluations.is_empty() {
            out.extend(projects::pages(&self.project_evaluations, t));
        }
        out
    }
}

/// Where the index page links to the project evaluations: replaced once
/// the page is rendered (by nothing when there are none).
const PROJECTS_MARK: &str = "<!--hyoka-projects-->";

/// The index's link to `projects.html`, or nothing.
fn projects_link(count: usize, t: &Text) -> String {
    if count == 0 {
        return String::new();
    }
    format!(
        "<p><a href=\"{}\">{}</a> ({count})</p>",
        projects::PAGE,
        esc(projects::title(t))
    )
}

/// A page's file stem: the sheet's ID when it is a plain name, else a
/// number; distinct across the site.
fn page_name(id: &str, taken: &mut BTreeSet<String>) -> String {
    let plain = !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let mut name = if plain {
        id.to_owned()
    } else {
        format!("sheet-{}", taken.len() + 1)
    };
    let stem = name.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{stem}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

fn municipality_name(m: Option<&Municipality>, t: &Text) -> String {
    match m {
        Some(Municipality {
            name: Some(name), ..
        }) => name.clone(),
        Some(Municipality {
            code: Some(code), ..
        }) => code.clone(),
        _ => t.municipality_unknown.to_owned(),
    }
}

/// The breadcrumb bar.
fn nav(t: &Text, crumbs: &[(&str, Option<&str>)]) -> String {
    let mut out = format!(
        "<nav aria-label=\"{}\"><ol class=\"crumbs\">",
        esc(t.site_title)
    );
    for (label, href) in crumbs {
        match href {
            Some(h) => {
                let _ = write!(out, "<li><a href=\"{}\">{}</a></li>", esc(h), esc(label));
            }
            None => {
                let _ = write!(out, "<li aria-current=\"page\">{}</li>", esc(label));
            }
        }
    }
    out.push_str("</ol></nav>");
    out
}

fn index_page(
    inputs: &[InputEntry],
    entries: &[Entry],
    series: &[Series],
    has_panel: bool,
    t: &Text,
) -> String {
    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1>", esc(t.site_title));
    let departments: BTreeSet<(&str, &str)> = entries
        .iter()
        .map(|e| (e.municipality.as_str(), e.department.as_str()))
        .collect();
    let warnings: usize = entries.iter().map(|e| e.warnings).sum();
    let failed: Vec<_> = inputs
        .iter()
        .filter(|i| i.status == InputStatus::Error)
        .collect();
    let skipped = inputs
        .iter()
        .filter(|i| i.status == InputStatus::Skipped)
        .count();
    let _ = write!(
        body,
        "<div class=\"cards\"><div class=\"card\"><b class=\"count\">{}</b>{}</div>\
         <div class=\"card\"><b class=\"count\">{}</b>{}</div>\
         <div class=\"card\"><b class=\"count\">{}</b><a href=\"kpis.html\">{}</a></div>\
         <div class=\"card\"><b class=\"count\">{}</b>{}</div>\
         <div class=\"card\"><b class=\"count\">{}</b>{} ({} {}, {} {})</div></div>",
        entries.len(),
        esc(t.sheets),
        departments.len(),
        esc(t.department),
        series.len(),
        esc(t.series_count),
        warnings,
        esc(t.warnings),
        inputs.len(),
        esc(t.files),
        failed.len(),
        esc(t.failed),
        skipped,
        esc(t.skipped),
    );
    body.push_str(PROJECTS_MARK);
    if !has_panel {
        let _ = write!(body, "<p class=\"warn\">{}</p>", esc(t.panel_missing));
    }
    if !failed.is_empty() {
        let _ = write!(
            body,
            "<section class=\"warn\"><h2>{}</h2><ul>",
            esc(t.inputs_failed)
        );
        for input in failed {
            let _ = write!(
                body,
                "<li><code>{}</code>: {}</li>",
                esc(&input.file),
                esc(input.error.as_deref().unwrap_or(""))
            );
        }
        body.push_str("</ul></section>");
    }
    status_section(&mut body, series, t);
    body.push_str(DOWNLOADS_MARK);
    changes_section(&mut body, series, t);
    // Municipality → department → sheets, each level sorted by name and
    // the sheets by fiscal year, then title.
    let mut tree: BTreeMap<&str, BTreeMap<&str, Vec<&Entry>>> = BTreeMap::new();
    for e in entries {
        tree.entry(&e.municipality)
            .or_default()
            .entry(&e.department)
            .or_default()
            .push(e);
    }
    for (municipality, departments) in tree {
        let _ = write!(body, "<h2>{}</h2>", esc(municipality));
        for (department, mut sheets) in departments {
            // Stable: sheets of one year keep their order in the department file.
            sheets.sort_by_key(|e| e.fiscal_year);
            let _ = write!(
                body,
                "<h3>{} <span class=\"badge\">{} {}</span></h3>\
                 <table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
                 <th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th>\
                 <th scope=\"col\" class=\"n\">{}</th></tr></thead><tbody>",
                esc(department),
                sheets.len(),
                esc(t.sheets),
                esc(t.fiscal_year),
                esc(t.policy),
                esc(t.basic_projects),
                esc(t.kpis),
                esc(t.warnings),
            );
            for e in sheets {
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td><a href=\"{}\">{}</a><br/><small>{}</small></td><td class=\"n\">{}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&e.fiscal_year.map_or(t.none.to_owned(), |y| t.fy(y))),
                    esc(&e.page),
                    esc(&e.title),
                    esc(&e.about),
                    e.projects,
                    e.kpis,
                    if e.warnings > 0 {
                        format!("<span class=\"badge w\">{}</span>", e.warnings)
                    } else {
                        "0".to_owned()
                    }
                );
            }
            body.push_str("</tbody></table>");
        }
    }
    let nav = nav(t, &[(t.home, None), (t.kpi_panel, Some("kpis.html"))]);
    html::page(t, t.home, &nav, &body)
}

/// Where the index page lists the output's files.
const DOWNLOADS_MARK: &str = "<!--hyoka:downloads-->";

/// The output's files (department JSON, the KPI panel, the CSV tables and
/// their Data Package), linked from the index.
fn downloads_section(files: &[Download], t: &Text) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section><h2>{}</h2><ul class=\"downloads\">",
        esc(t.downloads)
    );
    for file in files {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            esc(&file.href),
            esc(&file.label)
        );
    }
    out.push_str("</ul></section>");
    out
}

/// The statuses in the order a reader wants them: what needs attention first.
const STATUS_ORDER: [AssessmentStatus; 5] = [
    AssessmentStatus::Behind,
    AssessmentStatus::OnTrack,
    AssessmentStatus::Achieved,
    AssessmentStatus::Unknown,
    AssessmentStatus::NoTarget,
];

/// A status's CSS class: its code (`on_track`).
fn status_class(status: AssessmentStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// How many KPIs stand where, per municipality and department (by the
/// latest report of each series), with the whole run's counts first.
fn status_section(body: &mut String, series: &[Series], t: &Text) {
    if series.is_empty() {
        return;
    }
    let mut rows: BTreeMap<(String, &str), [usize; 5]> = BTreeMap::new();
    let mut total = [0usize; 5];
    for s in series {
        let i = STATUS_ORDER
            .iter()
            .position(|x| *x == s.status)
            .unwrap_or(3);
        rows.entry((municipality_name(s.municipality.as_ref(), t), &s.department))
            .or_default()[i] += 1;
        total[i] += 1;
    }
    let _ = write!(
        body,
        "<section><h2>{}</h2><table class=\"statuses\"><thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th>",
        esc(t.status_summary),
        esc(t.municipality),
        esc(t.department)
    );
    for s in STATUS_ORDER {
        let _ = write!(
            body,
            "<th scope=\"col\" class=\"n\"><span class=\"st {}\">{}</span></th>",
            status_class(s),
            esc(t.status_word(s))
        );
    }
    body.push_str("</tr></thead><tbody>");
    let row = |body: &mut String, m: &str, d: &str, counts: &[usize; 5]| {
        let _ = write!(body, "<tr><td>{}</td><td>{}</td>", esc(m), esc(d));
        for c in counts {
            let _ = write!(body, "<td class=\"n\">{c}</td>");
        }
        body.push_str("</tr>");
    };
    for ((m, d), counts) in &rows {
        row(body, m, d, counts);
    }
    row(body, "", t.kpis, &total);
    body.push_str("</tbody></table></section>");
}

/// Targets, units and baselines that changed between reports, each linked
/// to its chart.
fn changes_section(body: &mut String, series: &[Series], t: &Text) {
    let changed: Vec<&Series> = series.iter().filter(|s| !s.changes.is_empty()).collect();
    if changed.is_empty() {
        return;
    }
    let _ = write!(
        body,
        "<section class=\"warn\"><h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         </tr></thead><tbody>",
        esc(t.changes),
        esc(t.kpis),
        esc(t.change_field),
        esc(t.change),
        esc(t.report)
    );
    for s in changed {
        for c in &s.changes {
            let field = match c.field {
                hyoka::panel::ChangeField::Target => t.target,
                hyoka::panel::ChangeField::Unit => t.unit,
                hyoka::panel::ChangeField::Baseline => t.baseline,
            };
            let _ = write!(
                body,
                "<tr><td><a href=\"kpis.html#chart-{}\">{}</a><br/><small>{} / {}</small></td>\
                 <td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                esc(&s.id),
                esc(&s.kpi),
                esc(&s.department),
                esc(&s.basic_project),
                esc(field),
                esc(&basis_words(c.from.as_deref(), t)),
                esc(&basis_words(c.to.as_deref(), t)),
                esc(&t.report_of(c.report_fiscal_year))
            );
        }
    }
    body.push_str("</tbody></table></section>");
}

/// A change's text with the target basis in the report's words.
fn basis_words(text: Option<&str>, t: &Text) -> String {
    let Some(text) = text else {
        return t.none.to_owned();
    };
    text.replace(" (single_year)", &format!(" ({})", t.target_single))
        .replace(" (cumulative)", &format!(" ({})", t.target_cumulative))
}

fn panel_page(series: &[Series], has_panel: bool, t: &Text) -> String {
    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1>", esc(t.kpi_panel));
    if !has_panel {
        let _ = write!(body, "<p class=\"warn\">{}</p>", esc(t.panel_missing));
    }
    // Every KPI in one table, what needs attention first (no script: the
    // order is the sort).
    if !series.is_empty() {
        let mut sorted: Vec<&Series> = series.iter().collect();
        sorted.sort_by_key(|s| STATUS_ORDER.iter().position(|x| *x == s.status));
        let _ = write!(
            body,
            "<table class=\"statuses\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(t.status),
            esc(t.department),
            esc(t.basic_projects),
            esc(t.kpis),
            esc(t.fiscal_year)
        );
        for s in sorted {
            let _ = write!(
                body,
                "<tr><td><span class=\"st {}\">{}</span></td><td>{}</td><td>{}</td>\
                 <td><a href=\"#chart-{}\">{}</a></td><td>{}</td></tr>",
                status_class(s.status),
                esc(t.status_word(s.status)),
                esc(&s.department),
                esc(&s.basic_project),
                esc(&s.id),
                esc(&s.kpi),
                esc(&s.status_year.map_or(String::new(), |y| t.fy(y)))
            );
        }
        body.push_str("</tbody></table>");
    }
    let mut tree: BTreeMap<String, BTreeMap<&str, Vec<&Series>>> = BTreeMap::new();
    for s in series {
        tree.entry(municipality_name(s.municipality.as_ref(), t))
            .or_default()
            .entry(&s.department)
            .or_default()
            .push(s);
    }
    for (municipality, departments) in tree {
        let _ = write!(body, "<h2>{}</h2>", esc(&municipality));
        for (department, list) in departments {
            let _ = write!(body, "<h3>{}</h3>", esc(department));
            for s in list {
                let _ = write!(
                    body,
                    "<h4>{} / {}</h4>",
                    esc(s.policy.as_deref().unwrap_or("")),
                    esc(&s.basic_project)
                );
                body.push_str(&chart::figure(s, &[], t));
            }
        }
    }
    let nav = nav(t, &[(t.home, Some("index.html")), (t.kpi_panel, None)]);
    html::page(t, t.kpi_panel, &nav, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_are_plain_and_distinct() {
        let mut taken = BTreeSet::new();
        assert_eq!(page_name("242161-2022-abc", &mut taken), "242161-2022-abc");
        assert_eq!(
            page_name("242161-2022-abc", &mut taken),
            "242161-2022-abc-2"
        );
        assert_eq!(page_name("../evil", &mut taken), "sheet-3");
    }
}
