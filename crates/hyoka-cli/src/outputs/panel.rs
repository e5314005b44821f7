//! `kpi_series.json`: the KPI panel across years, gathered as the sheets
//! arrive (keys and values only) and built when the import finishes.

use hyoka::Document;
use hyoka::panel::PanelBuilder;

use super::{Finishing, Output, OutputError};
use crate::kpi_series;
use crate::output::OutputSet;

/// The panel being gathered.
#[derive(Default)]
pub struct Panel {
    builder: PanelBuilder,
}

impl Output for Panel {
    fn add(&mut self, chunk: &[&Document], _: Option<&mut OutputSet>) -> Result<(), OutputError> {
        for doc in chunk {
            for sheet in &doc.sheets {
                kpi_series::add(&mut self.builder, sheet);
            }
            for project in &doc.project_evaluations {
                self.builder.add_project(project);
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, finishing: &mut Finishing<'_>) -> Result<(), OutputError> {
        let pool = finishing.pool;
        let panel = pool.install(|| kpi_series::build(self.builder));
        let Some(set) = finishing.set.as_deref_mut() else {
            return Ok(());
        };
        // In the pool: the panel's series are checked and rendered in
        // parallel, and its warnings printed meanwhile.
        let quiet = finishing.quiet;
        let (_, staged) = pool.install(|| {
            rayon::join(
                || {
                    if !quiet {
                        kpi_series::print_warnings(&panel);
                    }
                },
                || kpi_series::stage(&panel, set),
            )
        });
        // The CSV tables publish the panel too, whether or not it staged.
        finishing.panel = Some(panel);
        staged.map_err(OutputError::from)
    }
}
