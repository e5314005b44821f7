//! Whose sheets an input holds: `--municipality`/`--municipality-name`
//! for a one-city run, `--manifest FILE.csv` for many, and the folder
//! layout that keeps cities apart.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use hyoka::model::Municipality;
use hyoka::municipality::{CodeError, Listing};

use crate::i18n::{self, Lang, ListingNote, Localized, Msg};
use crate::names;

/// The manifest's header, exactly.
pub const MANIFEST_HEADER: [&str; 3] = ["path", "municipality_code", "municipality_name"];

/// A `--municipality` value: a code with a valid check digit.
pub fn parse_code_arg(text: &str) -> Result<String, CodeError> {
    hyoka::municipality::parse_code(text)
}

/// Why a manifest was refused. `Display` is English; the message catalog
/// ([`crate::i18n::Msg::Manifest`]) words it in Japanese too.
#[derive(Debug)]
pub enum ManifestError {
    /// The file does not read.
    Read {
        manifest: String,
        error: std::io::Error,
    },
    /// The file is not CSV (not UTF-8, or malformed).
    NotCsv {
        manifest: String,
        /// The line, when the CSV reader knows it.
        line: Option<u64>,
        /// The bytes are not UTF-8.
        utf8: bool,
        /// The CSV reader's own words.
        detail: String,
    },
    /// Line 1 is not the header.
    Header { manifest: String, found: String },
    /// A line has other than 3 fields.
    FieldCount {
        manifest: String,
        line: u64,
        found: usize,
    },
    /// A line's path is empty.
    EmptyPath { manifest: String, line: u64 },
    /// A line's code is refused.
    Code {
        manifest: String,
        line: u64,
        error: CodeError,
    },
    /// A line gives neither a code nor a name.
    NoMunicipality {
        manifest: String,
        line: u64,
        path: String,
    },
    /// A line's path does not resolve.
    Path {
        manifest: String,
        line: u64,
        /// The path joined to the manifest's folder.
        path: String,
        error: std::io::Error,
    },
    /// A path is listed twice with different municipalities.
    ListedTwice {
        manifest: String,
        line: u64,
        path: String,
    },
    /// No line lists a path.
    Empty { manifest: String },
}

impl ManifestError {
    fn not_csv(manifest: &str, body: &[u8], e: &csv::Error) -> ManifestError {
        let line = e
            .position()
            .map(|p| crate::opendata::validate::line_at(body, p));
        ManifestError::NotCsv {
            manifest: manifest.to_owned(),
            line,
            utf8: matches!(e.kind(), csv::ErrorKind::Utf8 { .. }),
            detail: e.to_string(),
        }
    }
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ManifestError as E;
        let header = MANIFEST_HEADER.join(",");
        match self {
            E::Read { manifest, error } => write!(f, "--manifest {manifest}: cannot read: {error}"),
            E::NotCsv {
                manifest, detail, ..
            } => write!(f, "--manifest {manifest}: not CSV: {detail}"),
            E::Header { manifest, found } => write!(
                f,
                "--manifest {manifest}: line 1 must be the header `{header}` (UTF-8 CSV), found `{found}`"
            ),
            E::FieldCount {
                manifest,
                line,
                found,
            } => write!(
                f,
                "--manifest {manifest}, line {line}: expected 3 fields ({header}), found {found}"
            ),
            E::EmptyPath { manifest, line } => {
                write!(f, "--manifest {manifest}, line {line}: the path is empty")
            }
            E::Code {
                manifest,
                line,
                error,
            } => write!(f, "--manifest {manifest}, line {line}: {error}"),
            E::NoMunicipality {
                manifest,
                line,
                path,
            } => write!(
                f,
                "--manifest {manifest}, line {line}: {path}: give municipality_code, municipality_name or both"
            ),
            E::Path {
                manifest,
                line,
                path,
                error,
            } => write!(
                f,
                "--manifest {manifest}, line {line}: {path} (relative to the manifest's folder): {error}"
            ),
            E::ListedTwice {
                manifest,
                line,
                path,
            } => write!(
                f,
                "--manifest {manifest}, line {line}: {path} is listed twice with different municipalities"
            ),
            E::Empty { manifest } => write!(f, "--manifest {manifest}: lists no path"),
        }
    }
}

/// A stated name normalized like the document's text (NFKC, white space
/// folded), so names join whichever way they were given.
fn normalized_name(name: &str) -> String {
    hyoka::municipality::normalize_name(name)
}

/// Which municipality each input belongs to.
#[derive(Debug, Default)]
pub struct Assignments {
    /// From `--municipality`/`--municipality-name`: every input.
    everywhere: Option<Municipality>,
    /// From the manifest: canonical path (file or folder) to municipality.
    by_path: HashMap<PathBuf, Municipality>,
    /// The manifest's paths as the user should see them, in its order.
    listed: Vec<PathBuf>,
    /// What the built-in list of codes says where it does not simply agree.
    notes: Vec<Msg>,
}

/// A stated municipality with its name filled from the list for a code
/// alone, and a note when the list says something else.
fn completed(stated: Municipality, place: Option<(String, u64)>) -> (Municipality, Option<Msg>) {
    let (municipality, listing) = hyoka::municipality::complete(&stated);
    let note = (listing != Listing::Agrees).then(|| {
        Msg::MunicipalityListing(Box::new(ListingNote {
            place,
            stated,
            listing,
        }))
    });
    (municipality, note)
}

impl Assignments {
    /// The same municipality for every input (`None` when neither flag is
    /// given); a code alone gets its name from the built-in list.
    pub fn everywhere(code: Option<String>, name: Option<String>) -> Assignments {
        let name = name.map(|n| normalized_name(&n)).filter(|n| !n.is_empty());
        if code.is_none() && name.is_none() {
            return Assignments::default();
        }
        let (municipality, note) = completed(Municipality { code, name }, None);
        Assignments {
            everywhere: Some(municipality),
            notes: note.into_iter().collect(),
            ..Assignments::default()
        }
    }

    /// What the built-in list of codes says of the stated municipalities
    /// where it does not simply agree (a code it lacks, another name), to
    /// print as notes: the statements are used as given.
    pub fn notes(&self) -> &[Msg] {
        &self.notes
    }

    /// Reads a manifest: a CSV with the header
    /// `path,municipality_code,municipality_name`, paths relative to the
    /// manifest's folder; a folder applies to everything under it; a code
    /// alone gets its name from the built-in list. Errors name the line and
    /// what to do.
    pub fn from_manifest(manifest: &Path) -> Result<Assignments, ManifestError> {
        let shown = manifest.display().to_string();
        let bytes = std::fs::read(manifest).map_err(|error| ManifestError::Read {
            manifest: shown.clone(),
            error,
        })?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let base = manifest.parent().unwrap_or(Path::new(""));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| ManifestError::not_csv(&shown, bytes, &e))?
            .clone();
        if header.iter().collect::<Vec<_>>() != MANIFEST_HEADER {
            return Err(ManifestError::Header {
                manifest: shown,
                found: header.iter().collect::<Vec<_>>().join(","),
            });
        }
        let mut out = Assignments::default();
        for record in reader.records() {
            let record = record.map_err(|e| ManifestError::not_csv(&shown, bytes, &e))?;
            let line = crate::opendata::validate::line_of(bytes, &record);
            let manifest = shown.clone();
            if record.len() != 3 {
                return Err(ManifestError::FieldCount {
                    manifest,
                    line,
                    found: record.len(),
                });
            }
            let (path, code, name) = (&record[0], &record[1], &record[2]);
            if path.is_empty() {
                return Err(ManifestError::EmptyPath { manifest, line });
            }
            let code = match code {
                "" => None,
                code => Some(hyoka::municipality::parse_code(code).map_err(|error| {
                    ManifestError::Code {
                        manifest: manifest.clone(),
                        line,
                        error,
                    }
                })?),
            };
            let name = Some(normalized_name(name)).filter(|n| !n.is_empty());
            if code.is_none() && name.is_none() {
                return Err(ManifestError::NoMunicipality {
                    manifest,
                    line,
                    path: path.to_owned(),
                });
            }
            let joined = base.join(path);
            let canonical = joined.canonicalize().map_err(|error| ManifestError::Path {
                manifest: manifest.clone(),
                line,
                path: joined.display().to_string(),
                error,
            })?;
            let (municipality, note) =
                completed(Municipality { code, name }, Some((shown.clone(), line)));
            out.notes.extend(note);
            if let Some(earlier) = out.by_path.get(&canonical) {
                if *earlier != municipality {
                    return Err(ManifestError::ListedTwice {
                        manifest,
                        line,
                        path: path.to_owned(),
                    });
                }
                continue;
            }
            out.by_path.insert(canonical, municipality);
            out.listed.push(joined);
        }
        if out.listed.is_empty() {
            return Err(ManifestError::Empty { manifest: shown });
        }
        Ok(out)
    }

    /// The manifest's paths, for a run given no inputs of its own.
    pub fn listed(&self) -> &[PathBuf] {
        &self.listed
    }

    /// The municipality of one input: the nearest manifest entry (the file
    /// itself, else the closest folder above it), else the flags' one.
    pub fn of(&self, input: &Path) -> Option<Municipality> {
        if !self.by_path.is_empty()
            && let Ok(canonical) = input.canonicalize()
        {
            for ancestor in canonical.ancestors() {
                if let Some(m) = self.by_path.get(ancestor) {
                    return Some(m.clone());
                }
            }
        }
        self.everywhere.clone()
    }
}

/// The folder of each municipality's department files (inside
/// `departments/`): `<code>_<name>`, `<code>` or `<name>` (made safe as a
/// file name), `unknown` for sheets whose municipality is unknown; distinct
/// from each other.
pub fn folder_names(
    keys: &BTreeSet<Option<Municipality>>,
) -> BTreeMap<Option<Municipality>, String> {
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for key in keys {
        let stem = match key {
            None => "unknown".to_owned(),
            Some(m) => {
                let name = m.name.as_deref().map(names::safe_stem);
                match (&m.code, name) {
                    (Some(code), Some(name)) => format!("{code}_{name}"),
                    (Some(code), None) => code.clone(),
                    (None, Some(name)) => name,
                    (None, None) => "unknown".to_owned(),
                }
            }
        };
        let mut candidate = stem.clone();
        let mut n = 2;
        // Case-insensitive file systems fold case.
        while taken.contains(&candidate.to_lowercase()) {
            candidate = format!("{stem}-{n}");
            n += 1;
        }
        taken.insert(candidate.to_lowercase());
        out.insert(key.clone(), candidate);
    }
    out
}

impl Localized for ManifestError {
    fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ja => manifest_ja(self),
        }
    }
}

/// A refused manifest, in Japanese.
fn manifest_ja(e: &ManifestError) -> String {
    use ManifestError as E;
    let header = MANIFEST_HEADER.join(",");
    let at = |manifest: &str, line: u64| format!("--manifest {manifest} の {line} 行目");
    match e {
        E::Read { manifest, error } => {
            format!(
                "--manifest {manifest}: 読み込めません: {}",
                i18n::io(error, Lang::Ja)
            )
        }
        E::NotCsv {
            manifest,
            line,
            utf8,
            detail,
        } => {
            let place = line.map_or(format!("--manifest {manifest}"), |l| at(manifest, l));
            if *utf8 {
                format!("{place}: UTF-8 ではありません。UTF-8 の CSV で保存し直してください")
            } else {
                format!("{place}: CSV として読めません({detail})")
            }
        }
        E::Header { manifest, found } => format!(
            "--manifest {manifest}: 1 行目は見出し `{header}`(UTF-8 の CSV)でなければなりませんが、`{found}` でした"
        ),
        E::FieldCount {
            manifest,
            line,
            found,
        } => format!(
            "{}: 項目は 3 つ({header})のはずですが、{found} つあります",
            at(manifest, *line)
        ),
        E::EmptyPath { manifest, line } => format!("{}: path が空です", at(manifest, *line)),
        E::Code {
            manifest,
            line,
            error,
        } => format!("{}: {}", at(manifest, *line), error.message_ja()),
        E::NoMunicipality {
            manifest,
            line,
            path,
        } => format!(
            "{}: {path}: municipality_code と municipality_name の一方または両方を指定してください",
            at(manifest, *line)
        ),
        E::Path {
            manifest,
            line,
            path,
            error,
        } => format!(
            "{}: {path}(マニフェストのあるフォルダからの相対パス): {}",
            at(manifest, *line),
            i18n::io(error, Lang::Ja)
        ),
        E::ListedTwice {
            manifest,
            line,
            path,
        } => format!(
            "{}: {path} が異なる自治体で二度指定されています",
            at(manifest, *line)
        ),
        E::Empty { manifest } => format!("--manifest {manifest}: パスが一つも書かれていません"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(code: Option<&str>, name: Option<&str>) -> Option<Municipality> {
        Some(Municipality {
            code: code.map(Into::into),
            name: name.map(Into::into),
        })
    }

    #[test]
    fn folders_are_named_by_code_and_name_and_kept_apart() {
        let keys: BTreeSet<_> = [
            None,
            m(Some("242161"), Some("伊賀市")),
            m(Some("131016"), None),
            m(None, Some("a/b")),
            m(None, Some("CSV")),
        ]
        .into_iter()
        .collect();
        let names = folder_names(&keys);
        assert_eq!(names[&None], "unknown");
        assert_eq!(names[&m(Some("242161"), Some("伊賀市"))], "242161_伊賀市");
        assert_eq!(names[&m(Some("131016"), None)], "131016");
        assert_eq!(names[&m(None, Some("a/b"))], "a_b");
        // Inside `departments/`, nothing else is beside them.
        assert_eq!(names[&m(None, Some("CSV"))], "CSV");
    }

    #[test]
    fn a_manifest_assigns_files_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("iga/sub")).unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        std::fs::write(root.join("iga/sub/a.txt"), "x").unwrap();
        std::fs::write(root.join("iga/b.txt"), "x").unwrap();
        std::fs::write(root.join("other/c.txt"), "x").unwrap();
        std::fs::write(
            root.join("m.csv"),
            "\u{feff}path,municipality_code,municipality_name\n\
             iga,242161,伊賀市\n\
             iga/sub/a.txt,131016,千代田区\n",
        )
        .unwrap();
        let a = Assignments::from_manifest(&root.join("m.csv")).unwrap();
        assert_eq!(
            a.of(&root.join("iga/b.txt")),
            m(Some("242161"), Some("伊賀市"))
        );
        assert_eq!(
            a.of(&root.join("iga/sub/a.txt")),
            m(Some("131016"), Some("千代田区"))
        );
        assert_eq!(a.of(&root.join("other/c.txt")), None);
        assert_eq!(a.listed().len(), 2);
        assert!(a.notes().is_empty());
    }

    #[test]
    fn a_manifest_of_codes_gets_the_names_from_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["a.txt", "b.txt", "c.txt", "d.txt"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(
            root.join("m.csv"),
            "path,municipality_code,municipality_name\n\
             a.txt,242161,\n\
             b.txt,131016,\n\
             c.txt,242080,伊賀市\n\
             d.txt,,府中市\n",
        )
        .unwrap();
        let a = Assignments::from_manifest(&root.join("m.csv")).unwrap();
        assert_eq!(a.of(&root.join("a.txt")), m(Some("242161"), Some("伊賀市")));
        assert_eq!(
            a.of(&root.join("b.txt")),
            m(Some("131016"), Some("千代田区"))
        );
        assert_eq!(a.of(&root.join("c.txt")), m(Some("242080"), Some("伊賀市")));
        assert_eq!(a.of(&root.join("d.txt")), m(None, Some("府中市")));
        let notes: Vec<String> = a.notes().iter().map(Msg::en).collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains(", line 4: the list"), "{}", notes[0]);
        assert!(notes[0].contains("names 242080 三重県名張市, not 伊賀市"));
        assert!(notes[1].contains(", line 5: 府中市 is the name of more than one"));
        assert!(notes[1].contains("東京都府中市 132063, 広島県府中市 342084"));
        assert!(notes[1].contains("give municipality_code"), "{}", notes[1]);
        let ja = a.notes()[1].render(Lang::Ja);
        assert!(
            ja.contains("の 5 行目: 府中市 という名前の自治体は一つではありません"),
            "{ja}"
        );
    }

    #[test]
    fn bad_manifests_are_refused_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "x").unwrap();
        let check = |text: &str, expected: &str| {
            std::fs::write(root.join("m.csv"), text).unwrap();
            let err = Assignments::from_manifest(&root.join("m.csv"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{err}");
        };
        check("file,code\na.txt,242161\n", "line 1 must be the header");
        check(
            "path,municipality_code,municipality_name\na.txt,242162,伊賀市\n",
            "line 2: `242162` has a wrong check digit",
        );
        check(
            "path,municipality_code,municipality_name\nmissing.txt,242161,伊賀市\n",
            "line 2: ",
        );
        check(
            "path,municipality_code,municipality_name\na.txt,,\n",
            "give municipality_code",
        );
        check(
            "path,municipality_code,municipality_name\n",
            "lists no path",
        );
        check(
            "path,municipality_code,municipality_name\na.txt,242161,伊賀市\na.txt,131016,\n",
            "listed twice",
        );
    }

    #[test]
    fn flags_apply_to_every_input() {
        // A code alone gets its name from the list.
        let a = Assignments::everywhere(Some("242161".into()), Some(" ".into()));
        assert_eq!(a.of(Path::new("x.txt")), m(Some("242161"), Some("伊賀市")));
        assert!(a.notes().is_empty());
        // A code the list lacks, and a name it disagrees with: used as
        // given, with a note.
        let a = Assignments::everywhere(Some("011011".into()), None);
        assert_eq!(a.of(Path::new("x.txt")), m(Some("011011"), None));
        assert!(a.notes()[0].en().contains("011011 is not in hyoka's list"));
        let a = Assignments::everywhere(Some("242161".into()), Some("名張市".into()));
        assert_eq!(a.of(Path::new("x.txt")), m(Some("242161"), Some("名張市")));
        let note = &a.notes()[0];
        assert!(
            note.en().contains("names 242161 三重県伊賀市, not 名張市"),
            "{}",
            note.en()
        );
        assert!(note.render(Lang::Ja).contains("242161 は 三重県伊賀市 で"));
        let a = Assignments::everywhere(None, Some(" 千代田区\u{3000}".into()));
        assert_eq!(a.of(Path::new("x.txt")), m(None, Some("千代田区")));
        assert_eq!(Assignments::everywhere(None, None).of(Path::new("x")), None);
        assert!(parse_code_arg("242161").is_ok());
        assert!(
            parse_code_arg("242160")
                .unwrap_err()
                .to_string()
                .contains("check digit")
        );
    }
}

#[cfg(test)]
mod localized_tests {
    use super::*;
    use crate::i18n::Msg;

    #[test]
    fn a_refused_manifest_reads_in_japanese() {
        let manifest = ManifestError::ListedTwice {
            manifest: "m.csv".into(),
            line: 7,
            path: "a.txt".into(),
        };
        let text = Msg::Manifest(Box::new(manifest)).render(Lang::Ja);
        assert_eq!(
            text,
            "--manifest m.csv の 7 行目: a.txt が異なる自治体で二度指定されています"
        );
    }
}
