//! `hyoka`: import policy-evaluation sheets into validated JSON per department.

mod check;
mod console;
mod earlier;
mod files;
mod i18n;
mod import;
mod kpi_series;
mod municipalities;
mod names;
mod opendata;
mod output;
mod outputs;
mod platform;
mod remove;
mod render;
mod report;
mod schemas;
mod sharing;
mod walk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

// A batch allocates and frees millions of small strings from several
// threads; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns Japanese municipal policy-evaluation sheets (施策評価シート) into
/// validated open data: one JSON file per department plus index.json.
#[derive(Debug, Parser)]
#[command(name = "hyoka", bin_name = "hyoka", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages and reports (default: from LC_ALL, LC_MESSAGES
    /// or LANG; Japanese when it starts with `ja`).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<i18n::Lang>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import files and folders; write DIR/<department>.json and DIR/index.json.
    Import(Box<ImportArgs>),
    /// Check JSON files against the schema they follow (department, index,
    /// KPI panel or data package; a package's CSV files against its table
    /// schemas too), and output folders against their index.json.
    Validate {
        /// JSON files written by `hyoka import`, or output folders (every
        /// file listed with its recorded SHA-256, nothing unlisted).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Largest file read, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = files::MAX_JSON_BYTES)]
        max_bytes: u64,
    },
    /// Take records out of an output folder (by fiscal year, input or
    /// municipality) and write it again from what stays.
    Remove(RemoveArgs),
    /// Print the built-in template (the labels the parser looks for) as
    /// commented TOML; edit a copy and pass it to `import --template`.
    Template,
    /// Write a static site (HTML, no script) from an import's output folder.
    Report {
        /// The folder `hyoka import --out` wrote.
        dir: PathBuf,
        /// The folder to write the site into; created if missing.
        #[arg(short, long, value_name = "SITE")]
        out: PathBuf,
    },
    /// Print a JSON Schema (draft 2020-12) of the output.
    Schema {
        /// Which schema to print.
        #[arg(value_enum, default_value = "department")]
        kind: schemas::Kind,
    },
}

/// Options of `hyoka remove`: which records go; every condition given
/// must hold.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).multiple(true)
    .args(["fiscal_year", "source", "municipality"])))]
pub struct RemoveArgs {
    /// The folder `hyoka import --out` wrote.
    pub dir: PathBuf,
    /// Records of this fiscal year (Gregorian, 2022).
    #[arg(long, value_name = "YEAR")]
    pub fiscal_year: Option<i32>,
    /// Records read from this input, as index.json lists it (`inputs[].file`).
    #[arg(long, value_name = "FILE")]
    pub source: Option<String>,
    /// Records of this municipality, by its 6-digit code.
    #[arg(long, value_name = "CODE")]
    pub municipality: Option<String>,
    /// Parallel jobs (default: every core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No closing line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `hyoka import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Input files (.txt .tsv .csv .xlsx .xlsm .xls .ods .pdf) and folders to
    /// walk (default with --manifest: the paths it lists).
    #[arg(required_unless_present = "manifest")]
    pub inputs: Vec<PathBuf>,
    /// The 全国地方公共団体コード (6 digits with check digit, 伊賀市 242161)
    /// of every input's municipality; its name comes from hyoka's list of
    /// codes.
    #[arg(long, value_name = "CODE", conflicts_with = "manifest")]
    pub municipality: Option<String>,
    /// The name of every input's municipality (伊賀市).
    #[arg(long, value_name = "NAME", conflicts_with = "manifest")]
    pub municipality_name: Option<String>,
    /// A CSV `path,municipality_code,municipality_name` saying whose sheets
    /// each file or folder holds (paths relative to the manifest).
    #[arg(long, value_name = "FILE.csv")]
    pub manifest: Option<PathBuf>,
    /// Also write DIR/csv/<table>.csv and DIR/datapackage.json (a
    /// Frictionless Data Package) for open-data portals.
    #[arg(long, requires = "out")]
    pub csv: bool,
    /// The CSV header language: Japanese (ja) or English snake_case (en).
    #[arg(
        long,
        value_enum,
        value_name = "LANG",
        default_value = "ja",
        requires = "csv"
    )]
    pub csv_headers: opendata::Headers,
    /// Also write the tables as one Excel workbook, DIR/tables.xlsx (one
    /// worksheet per table; codes as text, numbers as numbers).
    #[arg(long, requires = "csv")]
    pub xlsx: bool,
    /// The package's title, as a portal shows the dataset.
    #[arg(long, value_name = "TEXT", requires = "csv")]
    pub title: Option<String>,
    /// The package's description.
    #[arg(long, value_name = "TEXT", requires = "csv")]
    pub description: Option<String>,
    /// The licence's id (CC-BY-4.0, PDL-1.0, CC0-1.0, CC-BY-2.1-JP, …); the
    /// common ones get their title and URL.
    #[arg(long, value_name = "ID", requires = "csv")]
    pub license: Option<String>,
    /// Who publishes the data (伊賀市 総務部 広報広聴課).
    #[arg(long, value_name = "NAME", requires = "csv")]
    pub publisher: Option<String>,
    /// A contact point: an email address or a URL.
    #[arg(long, value_name = "EMAIL|URL", requires = "csv")]
    pub contact: Option<String>,
    /// The date the data was last updated (更新日), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "csv")]
    pub modified: Option<String>,
    /// A TOML file with the same keys (title, description, license,
    /// publisher, contact, modified); the flags override its keys.
    #[arg(long, value_name = "FILE", requires = "csv")]
    pub package_meta: Option<PathBuf>,
    /// The portal metadata the flags and --package-meta give, checked.
    #[arg(skip)]
    pub portal: opendata::PortalMeta,
    /// The output folder; created if missing. An earlier import there is
    /// added to: its records are kept, except those this run reads again.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write the output folder anew from this run's inputs only: earlier
    /// records, other years and the CSV tables (without --csv) go.
    #[arg(long, requires = "out")]
    pub replace: bool,
    /// Also write one sheet per line as JSON Lines to this file (`-` for stdout).
    #[arg(long, value_name = "PATH")]
    pub jsonl: Option<PathBuf>,
    /// Parallel jobs (default: all cores). Output is the same for any value.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Treat sheets with warnings as failed inputs (exit status 1).
    #[arg(long)]
    pub strict: bool,
    /// Print every warning on stderr as it is found.
    #[arg(short, long)]
    pub verbose: bool,
    /// Read sheets with the labels of this template file (TOML; start from
    /// `hyoka template`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Follow symbolic links inside input folders (by default a link is
    /// skipped with a warning, so nothing outside the folder is read).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::Limits::default().max_input_bytes)]
    pub max_input_bytes: u64,
    /// Most rows (holding a value) read from one text file or worksheet.
    #[arg(long, value_name = "N", default_value_t = hyoka::GridLimits::default().max_rows)]
    pub max_rows: usize,
    /// Most cells read from one text file or worksheet (empty cells between
    /// values included).
    #[arg(long, value_name = "N", default_value_t = hyoka::GridLimits::default().max_cells)]
    pub max_cells: usize,
    /// Longest cell read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::GridLimits::default().max_cell_bytes)]
    pub max_cell_bytes: usize,
    /// Largest total size of a zip workbook's (.xlsx .xlsm .ods) parts once
    /// unpacked, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::ArchiveLimits::default().max_uncompressed_bytes)]
    pub max_uncompressed_bytes: u64,
    /// Highest compression ratio allowed for a part (over 1 MiB unpacked) of
    /// a zip workbook; zip bombs go far above it.
    #[arg(long, value_name = "N", default_value_t = hyoka::ArchiveLimits::default().max_compression_ratio)]
    pub max_compression_ratio: u64,
    /// Most pages read from one PDF.
    #[arg(long, value_name = "N", default_value_t = hyoka::PdfLimits::default().max_pages)]
    pub max_pdf_pages: u32,
    /// Most objects in one PDF.
    #[arg(long, value_name = "N", default_value_t = hyoka::PdfLimits::default().max_objects)]
    pub max_pdf_objects: usize,
    /// Most bytes of PDF content unpacked and drawn for one file (a stream
    /// drawn several times counts each time).
    #[arg(long, value_name = "BYTES", default_value_t = hyoka::PdfLimits::default().max_stream_bytes)]
    pub max_pdf_stream_bytes: u64,
    /// Most operators, operands and glyphs read from one PDF's content (a
    /// stream drawn several times counts each time).
    #[arg(long, value_name = "N", default_value_t = hyoka::PdfLimits::default().max_operators)]
    pub max_pdf_operators: u64,
}

fn main() -> ExitCode {
    // A panic inside a third-party parser fails its file, which says so in
    // words; Rust's own report of it, with a backtrace, is left out.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !hyoka::panic_is_caught() {
            default_hook(info);
        }
    }));
    // clap speaks English: under Japanese, its help is given Japanese
    // texts and its errors are worded again here.
    let lang = i18n::Lang::from_args(std::env::args_os()).unwrap_or_else(i18n::Lang::from_env);
    let mut command = Cli::command();
    if lang == i18n::Lang::Ja {
        command = i18n::command_ja(command);
    }
    let cli = match command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            if lang == i18n::Lang::Ja
                && let Some(text) = i18n::clap_error_ja(&e)
            {
                eprint!("{text}");
                return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
            }
            e.exit()
        }
    };
    i18n::init(cli.lang);
    match cli.command {
        Command::Import(mut args) => {
            // Checked here rather than by clap, so the message follows
            // `--lang` and the locale.
            if let Some(code) = &args.municipality {
                match municipalities::parse_code_arg(code) {
                    Ok(code) => args.municipality = Some(code),
                    Err(e) => {
                        console::line(&format!("hyoka import: {}", i18n::Msg::MunicipalityCode(e)));
                        return ExitCode::from(2);
                    }
                }
            }
            match portal_meta(&args) {
                Ok(meta) => args.portal = meta,
                Err(e) => {
                    console::line(&format!("hyoka import: {e}"));
                    return ExitCode::from(2);
                }
            }
            import::run(&args)
        }
        Command::Remove(args) => remove::run(&args),
        Command::Validate { files, max_bytes } => check::run(&files, max_bytes),
        Command::Template => {
            print!("{}", hyoka::Template::BUILTIN_TOML);
            ExitCode::SUCCESS
        }
        Command::Report { dir, out } => report::run(&dir, &out),
        Command::Schema { kind } => {
            print!("{}", kind.text());
            ExitCode::SUCCESS
        }
    }
}

/// The portal metadata of `hyoka import`: the flags over the
/// `--package-meta` file's keys, checked.
fn portal_meta(args: &ImportArgs) -> Result<opendata::PortalMeta, opendata::meta::MetaError> {
    use opendata::PortalMetaExt;
    let flags = opendata::PortalMeta {
        title: args.title.clone(),
        description: args.description.clone(),
        license: args.license.clone(),
        publisher: args.publisher.clone(),
        contact: args.contact.clone(),
        modified: args.modified.clone(),
    }
    .checked(|key| opendata::meta::Where::Flag(format!("--{key}")))?;
    let file = match &args.package_meta {
        Some(path) => opendata::PortalMeta::read(path)?,
        None => opendata::PortalMeta::default(),
    };
    Ok(flags.over(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_argument_has_japanese_help() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, name: &str, missing: &mut Vec<String>) {
            if i18n::help_ja(name, "").is_none() {
                missing.push(format!("command {name:?}"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                let known = ["help", "version"].contains(&id)
                    || i18n::help_ja(name, id)
                        .or_else(|| i18n::help_ja("", id))
                        .is_some();
                if !known {
                    missing.push(format!("{name} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, sub.get_name(), missing);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "", &mut missing);
        assert!(missing.is_empty(), "no Japanese help for {missing:?}");
        // Nothing English is left in the rendered help.
        let mut ja = i18n::command_ja(Cli::command());
        let import = ja.find_subcommand_mut("import").unwrap();
        let help = import.render_long_help().to_string();
        for english in [
            "Usage:",
            "Options:",
            "Print help",
            "default:",
            "possible values",
        ] {
            assert!(!help.contains(english), "{english}: {help}");
        }
        assert!(help.contains("使い方: hyoka import"), "{help}");
    }
}
