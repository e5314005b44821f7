//! `hyoka remove`: take records out of an output folder, by fiscal year,
//! by the input they were read from, or by municipality, and write the
//! folder again from what stays: department files, the KPI panel, the CSV
//! tables when the folder publishes them, `index.json`, all in one commit.

use std::collections::BTreeSet;
use std::process::ExitCode;

use crate::RemoveArgs;
use crate::console::say;
use crate::earlier::{Earlier, Removal};
use crate::i18n::{self, Localized, Msg};
use crate::output::OutputSet;
use crate::outputs::{Outputs, TablePlan};

/// Nothing matched, or the folder holds no import.
const EXIT_NOTHING: u8 = 1;
/// Exit status when hyoka could not write its output.
const EXIT_OUTPUT_FAILED: u8 = 3;

/// Runs `hyoka remove`.
pub fn run(args: &RemoveArgs) -> ExitCode {
    let removal = Removal {
        fiscal_year: args.fiscal_year,
        source: args.source.clone(),
        municipality: args.municipality.clone(),
    };
    let dir = &args.dir;
    if !dir.join(crate::output::INDEX).is_file() {
        say!(
            "{}: {}",
            i18n::error_prefix(),
            Msg::NoImportIn(i18n::shown(dir))
        );
        return ExitCode::from(EXIT_NOTHING);
    }
    let set = match OutputSet::open(dir) {
        Ok(set) => set,
        Err(message) => {
            say!("{}: {}", i18n::error_prefix(), Msg::OutputFolder(message));
            return ExitCode::from(EXIT_OUTPUT_FAILED);
        }
    };
    let earlier = match Earlier::load(set.dir(), set.previous_index(), &BTreeSet::new()) {
        Ok(Some((earlier, _))) => earlier,
        Ok(None) => {
            say!(
                "{}: {}",
                i18n::error_prefix(),
                Msg::NoImportIn(i18n::shown(dir))
            );
            return ExitCode::from(EXIT_NOTHING);
        }
        Err(e) => {
            say!(
                "{}: {}: {}",
                i18n::error_prefix(),
                i18n::shown(dir),
                e.render(i18n::lang())
            );
            return ExitCode::from(EXIT_OUTPUT_FAILED);
        }
    };
    let years: BTreeSet<i32> = (earlier.inputs.iter())
        .flat_map(|c| {
            let sheets = c.doc.sheets.iter().filter_map(|s| s.fiscal_year);
            sheets.chain(
                c.doc
                    .project_evaluations
                    .iter()
                    .filter_map(|p| p.fiscal_year),
            )
        })
        .collect();
    let inputs_before = earlier.inputs.len();
    let tables = (earlier.had_tables).then(|| TablePlan {
        headers: earlier.table_headers.unwrap_or_default(),
        meta: Default::default(),
        xlsx: earlier.had_xlsx,
    });
    let (kept, (sheets, projects)) = earlier.without(&removal);
    let inputs_gone = inputs_before - kept.len();
    if sheets + projects + inputs_gone == 0 {
        say!(
            "{}: {}",
            i18n::error_prefix(),
            Msg::NothingToRemove {
                dir: i18n::shown(dir),
                years: years.into_iter().collect(),
            }
        );
        return ExitCode::from(EXIT_NOTHING);
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            say!(
                "hyoka remove: {}",
                Msg::CannotStartJobs(args.jobs.unwrap_or(0), e.to_string())
            );
            return ExitCode::from(2);
        }
    };
    let entries: Vec<_> = kept.iter().map(|c| c.recounted()).collect();
    let docs: Vec<_> = kept.into_iter().map(|c| c.doc).collect();
    let mut outputs = Outputs::new(Some(set), tables, None);
    outputs.add_earlier(&docs.iter().collect::<Vec<_>>());
    drop(docs);
    let (failed, _) = outputs.finish(&entries, &pool, args.quiet, false);
    if failed {
        return ExitCode::from(EXIT_OUTPUT_FAILED);
    }
    if !args.quiet {
        say!(
            "{}: {}",
            i18n::note_prefix(),
            Msg::Removed {
                dir: i18n::shown(dir),
                sheets,
                projects,
                inputs: inputs_gone,
            }
        );
    }
    ExitCode::SUCCESS
}
