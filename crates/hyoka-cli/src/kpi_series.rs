//! `kpi_series.json`: the KPI panel across years, built while the import
//! streams its sheets.
//!
//! The panel is rendered to bytes here and staged in the run's output set
//! with the other files.

use std::io::{BufWriter, Write};

use hyoka::model::Sheet;
use hyoka::panel::{PanelBuilder, PanelFile};

use crate::console;
use crate::i18n::{self, Msg};
use crate::output::{OutputSet, WriteError};
use crate::schemas::{self, Kind};

/// The file's name in the output folder.
pub const FILE: &str = "kpi_series.json";

/// Adds a sheet's KPIs to the panel.
pub fn add(panel: &mut PanelBuilder, sheet: &Sheet) {
    panel.add_sheet(sheet);
}

/// Stages the panel in `set` as [`FILE`], once it is checked against its
/// schema a series at a time (the whole panel as one `Value` would take
/// several times the file's size; on a mismatch the whole panel is checked
/// again to word the errors). The JSON is streamed into the staged file,
/// not built in memory first.
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
    set.stage_with(FILE, |w| {
        // What `output::to_json` writes, in 64 KiB blocks.
        let mut w = BufWriter::with_capacity(1 << 16, w);
        serde_json::to_writer_pretty(&mut w, panel)?;
        w.write_all(b"\n")?;
        w.flush()
    })
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
