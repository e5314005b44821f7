//! The inputs of an import: the files and folders given, walked in name
//! order, each with the name the outputs record it under.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hyoka::model::Municipality;

use crate::console::say;
use crate::files::{self, NotRead};
use crate::i18n::{self, Msg};
use crate::output;
use crate::platform;

/// One input to read: the path as the user should see it, and where it is.
#[derive(Debug, Clone)]
pub struct Input {
    pub shown: String,
    /// The name the outputs record (`source.file`, the index): the path
    /// inside a folder given, with the folder's own name first, or a file's
    /// name; never where the importer's disk holds it.
    pub recorded: String,
    pub path: PathBuf,
    /// Why a file met in a walked folder is not read (its type, or it is
    /// not a regular file); it is listed in `index.json` as `skipped`.
    pub not_read: Option<NotRead>,
    /// Whose sheets it holds, as the user stated (flags or manifest).
    pub municipality: Option<Municipality>,
    /// Named on the command line (or in the manifest) rather than met in a
    /// walked folder: such a file that gives no sheet is a mistake worth
    /// saying, where a cover page in a folder is not.
    pub named: bool,
}

/// Expands folders (sorted, so batches are deterministic) and keeps files
/// as given. Paths that do not exist become failed outcomes. Files met in a
/// folder that hyoka does not read (other types, named pipes, devices,
/// links not followed) are kept with the reason, to be listed as skipped;
/// hidden files and the output folder are left out.
pub fn collect_inputs(
    args: &[PathBuf],
    follow_symlinks: bool,
    out: Option<&Path>,
) -> (Vec<Input>, Vec<Input>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    let mut seen = BTreeSet::new();
    let out = out.and_then(|o| o.canonicalize().ok());
    let skip = |arg: &Path, path: &Path, reason: NotRead| Input {
        shown: platform::shown_path(path),
        recorded: recorded_name(arg, path),
        path: path.to_path_buf(),
        not_read: Some(reason),
        municipality: None,
        named: false,
    };
    for arg in args {
        let shown = arg.to_string_lossy().into_owned();
        if arg.is_dir() {
            let walker = walkdir::WalkDir::new(arg)
                .follow_links(follow_symlinks)
                .sort_by_file_name()
                .into_iter()
                // The output folder inside an input folder: hyoka's own
                // files are not inputs, and listing them would make the
                // index depend on the previous run.
                .filter_entry(|e| {
                    let Some(out) = &out else {
                        return true;
                    };
                    if e.file_type().is_dir() {
                        return e.depth() == 0
                            || e.path().canonicalize().ok().as_ref() != Some(out);
                    }
                    // The input folder may be the output folder itself.
                    let in_out = e.path().parent().and_then(|p| p.canonicalize().ok());
                    let name = e.file_name().to_string_lossy();
                    !(in_out.as_ref() == Some(out)
                        && (name == output::INDEX || output::could_have_written(&name)))
                });
            for entry in walker {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        say!(
                            "{}: {shown}: {}",
                            i18n::warning_prefix(),
                            Msg::WalkSkipped(e)
                        );
                        continue;
                    }
                };
                let is_hidden = entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.'));
                if entry.file_type().is_dir() || is_hidden {
                    continue;
                }
                let path = entry.path().to_path_buf();
                if !seen.insert(path.clone()) {
                    continue;
                }
                if entry.path_is_symlink() && !follow_symlinks {
                    say!(
                        "{}: {}",
                        i18n::warning_prefix(),
                        Msg::SymlinkNotFollowed(i18n::shown(&path))
                    );
                    inputs.push(skip(arg, &path, NotRead::Symlink));
                } else if let Some(what) = files::not_regular(&entry.file_type()) {
                    let reason = NotRead::NotRegular(what);
                    say!(
                        "{}: {}: {}",
                        i18n::warning_prefix(),
                        i18n::shown(&path),
                        Msg::NotRead(Box::new(reason))
                    );
                    inputs.push(skip(arg, &path, reason));
                } else if hyoka::format_of(&path).is_none() {
                    inputs.push(skip(arg, &path, NotRead::OtherType));
                } else {
                    inputs.push(Input {
                        shown: platform::shown_path(&path),
                        recorded: recorded_name(arg, &path),
                        path,
                        not_read: None,
                        municipality: None,
                        named: false,
                    });
                }
            }
        } else if std::fs::symlink_metadata(arg).is_ok() {
            if seen.insert(arg.clone()) {
                inputs.push(Input {
                    shown,
                    recorded: recorded_name(arg, arg),
                    path: arg.clone(),
                    not_read: None,
                    municipality: None,
                    named: true,
                });
            }
        } else {
            missing.push(Input {
                shown,
                recorded: recorded_name(arg, arg),
                path: arg.clone(),
                not_read: None,
                municipality: None,
                named: true,
            });
        }
    }
    (inputs, missing)
}

/// The name an input is recorded under (`source.file`, the index's
/// `inputs`), from the argument `arg` it was met under: a file given is its
/// file name; a file in a folder given is its path inside that folder after
/// the folder's own name (`iga/000.txt` for `fixtures/iga/000.txt` met
/// under `fixtures/iga` or `/srv/data/iga`), `/`-separated. So the output
/// never carries where the importer's disk keeps the inputs, and it is the
/// same on every machine that imports the same folder.
pub fn recorded_name(arg: &Path, path: &Path) -> String {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            // `.`, `..`: the folder they name.
            .or_else(|| {
                let canonical = p.canonicalize().ok()?;
                Some(canonical.file_name()?.to_string_lossy().into_owned())
            })
    };
    let Ok(inside) = path.strip_prefix(arg) else {
        return name_of(path).unwrap_or_else(|| platform::shown_path(path));
    };
    let mut parts: Vec<String> = name_of(arg).into_iter().collect();
    parts.extend(
        inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        return platform::shown_path(path);
    }
    parts.join("/")
}

pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
