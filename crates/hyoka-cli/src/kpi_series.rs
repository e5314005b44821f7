//! `kpi_series.json`: the KPI panel across years, built while the import
//! streams its sheets.
//!
//! The panel is rendered to bytes here and staged in the run's output set
//! with the other files.

use std::io::{BufWriter, Write};

use rayon::prelude::*;
use serde::Serialize;

use hyoka::model::Sheet;
use hyoka::panel::{PanelBuilder, PanelFile, PendingSeries};

use crate::console;
use crate::i18n::{self, Msg};
use crate::output::{OutputSet, WriteError};
use crate::render;
use crate::schemas::{self, Kind};

/// The file's name in the output folder.
pub const FILE: &str = "kpi_series.json";

/// Adds a sheet's KPIs to the panel.
pub fn add(panel: &mut PanelBuilder, sheet: &Sheet) {
    panel.add_sheet(sheet);
}

/// The panel, its series built in parallel on the current rayon pool:
/// what [`PanelBuilder::build`] makes.
pub fn build(mut panel: PanelBuilder) -> PanelFile {
    let projects = panel.take_project_series();
    let built: Vec<_> = panel
        .into_pending()
        .into_par_iter()
        .map(PendingSeries::build)
        .collect();
    let mut file = PanelFile::from_series(built);
    file.project_indicators = projects;
    file
}

/// Stages the panel in `set` as [`FILE`], once it is checked against its
/// schema a series at a time (the whole panel as one `Value` would take
/// several times the file's size; on a mismatch the whole panel is checked
/// again to word the errors). The JSON is rendered a block of series at a
/// time on the current rayon pool and streamed into the staged file, not
/// built in memory first: byte for byte what `to_writer_pretty` writes.
pub fn stage(panel: &PanelFile, set: &mut OutputSet) -> Result<(), WriteError> {
    if !schemas::panel_is_valid(panel) {
        let json = serde_json::to_value(panel).expect("the panel serializes");
        let errors = schemas::validate(Kind::KpiSeries, &json);
        if !errors.is_empty() {
            return Err(WriteError::Invalid {
                path: set.dir().join(FILE),
                errors,
            });
        }
    }
    set.stage_with(FILE, |w| write_panel(panel, w))
}

/// Writes the panel as `serde_json::to_writer_pretty` would, plus a final
/// newline; the series and warnings are rendered in parallel, in blocks,
/// and written in order.
fn write_panel(panel: &PanelFile, w: &mut dyn Write) -> std::io::Result<()> {
    // The fields of `PanelFile`, in order: a test holds this to serde.
    let PanelFile {
        schema_version,
        series,
        warnings,
        project_indicators,
    } = panel;
    let mut w = BufWriter::with_capacity(1 << 16, w);
    write!(
        w,
        "{{\n  \"schema_version\": {schema_version},\n  \"series\": "
    )?;
    write_list(&mut w, series)?;
    w.write_all(b",\n  \"warnings\": ")?;
    write_list(&mut w, warnings)?;
    w.write_all(b",\n  \"project_indicators\": ")?;
    write_list(&mut w, project_indicators)?;
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// A list under a top-level key, `[]` when empty.
fn write_list<T: Serialize + Sync>(w: &mut impl Write, items: &[T]) -> std::io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    // Blocks of about BLOCK_BYTES of JSON, sized by the items rendered so
    // far: enough items to share among the threads, never the whole list
    // in memory.
    const BLOCK_BYTES: usize = 4 << 20;
    let threads = rayon::current_num_threads().max(1);
    let mut block_len = threads;
    let mut done = 0;
    while done < items.len() {
        let block = &items[done..items.len().min(done + block_len)];
        let rendered: Vec<Vec<u8>> = block
            .par_iter()
            .map(|item| {
                let mut out = Vec::with_capacity(4 << 10);
                out.push(b'\n');
                render::render_item(&mut out, item);
                out
            })
            .collect();
        let bytes: usize = rendered.iter().map(Vec::len).sum();
        for item in &rendered {
            // Every item but the very first follows a comma.
            if done > 0 {
                w.write_all(b",")?;
            }
            w.write_all(item)?;
            done += 1;
        }
        let per_item = (bytes / block.len()).max(1);
        block_len = (BLOCK_BYTES / per_item).clamp(threads, 4096);
    }
    w.write_all(b"\n  ]")
}

/// Prints the panel's warnings (changed targets, units and baselines),
/// escaped and buffered (see [`console::lines`]).
pub fn print_warnings(panel: &PanelFile) {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    console::lines(panel.series.iter().flat_map(|series| {
        series.changes.iter().map(move |change| {
            format!(
                "{}: {}",
                i18n::warning_prefix(),
                Msg::SeriesChanged {
                    kpi: series.kpi.clone(),
                    field: change.field.as_str(),
                    from: show(&change.from),
                    to: show(&change.to),
                    report_fiscal_year: change.report_fiscal_year,
                }
            )
        })
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel_of(files: &[&str]) -> PanelFile {
        let mut builder = PanelBuilder::default();
        for text in files {
            let doc = hyoka::read("panel.txt", text.as_bytes(), &hyoka::Options::default())
                .expect("the fixture parses");
            for sheet in &doc.sheets {
                builder.add_sheet(sheet);
            }
        }
        builder.build()
    }

    fn written(panel: &PanelFile) -> Vec<u8> {
        let mut out = Vec::new();
        write_panel(panel, &mut out).expect("writes to memory");
        out
    }

    fn pretty(panel: &PanelFile) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(panel).expect("the panel serializes");
        out.push(b'\n');
        out
    }

    #[test]
    fn series_built_in_parallel_make_the_panel_built_in_order() {
        let document = include_str!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let changed = document.replacen("\t\t\t900", "\t\t\t950", 1);
        let builder = || {
            let mut builder = PanelBuilder::default();
            for text in [document, changed.as_str()] {
                let doc = hyoka::read("panel.txt", text.as_bytes(), &hyoka::Options::default())
                    .expect("the fixture parses");
                doc.sheets.iter().for_each(|sheet| builder.add_sheet(sheet));
            }
            builder
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        let parallel = pool.install(|| build(builder()));
        assert!(parallel.series.len() > 1 && !parallel.warnings.is_empty());
        assert_eq!(parallel, builder().build());
    }

    #[test]
    fn the_panel_is_written_as_serde_json_writes_it() {
        let document = include_str!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        // Over one block of series, with warnings: the same sheets in two
        // reports with a changed value.
        let changed = document.replacen("\t\t\t900", "\t\t\t950", 1);
        let panel = panel_of(&[document, &changed]);
        assert!(!panel.series.is_empty() && !panel.warnings.is_empty());
        assert_eq!(written(&panel), pretty(&panel));
        let empty = panel_of(&[]);
        assert!(empty.series.is_empty() && empty.warnings.is_empty());
        assert_eq!(written(&empty), pretty(&empty));
        let many = PanelFile {
            series: panel.series.iter().cycle().take(1100).cloned().collect(),
            ..panel.clone()
        };
        assert_eq!(written(&many), pretty(&many));
    }
}
