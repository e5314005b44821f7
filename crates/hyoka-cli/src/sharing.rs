//! A cover names the city for its whole folder.
//!
//! A city's folder often holds one file with a cover (`令和4年度 施策評価シート
//! 伊賀市`) and others without; read alone, the others' municipality is
//! unknown and their records would be filed apart from the city's. So an
//! input whose records name no municipality (and to which the user stated
//! none) waits until its folder has been read: when another file of the
//! same folder names the city on its cover, the waiting records take that
//! municipality, with a `municipality_from_document` warning naming the
//! file it came from; when the folder is read whole without one, they go
//! on as they are.
//!
//! Inputs are released in input order (everything after a waiting input
//! waits behind it), so the output does not depend on the order files are
//! parsed in. Memory holds at most the documents of the folder being read
//! (and any read while it waits).

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use hyoka::model::Municipality;
use hyoka::warning::{Warning, WarningCode};

/// What [`Sharing`] holds of one input: its folder, whether it waits, and
/// the input itself.
struct Held<T> {
    folder: PathBuf,
    waits: bool,
    item: T,
}

/// The inputs held back until their folder's municipality is known.
pub struct Sharing<T> {
    /// Inputs not yet taken, per folder.
    left: HashMap<PathBuf, usize>,
    /// The municipality a cover gave in each folder, and the file's name.
    found: HashMap<PathBuf, (Municipality, String)>,
    queue: VecDeque<Held<T>>,
}

/// What [`Sharing`] needs to see of an input.
pub trait Shared {
    /// The input's path.
    fn path(&self) -> &Path;
    /// The name the outputs record it under, for the warning.
    fn name(&self) -> &str;
    /// The municipality the user stated for it.
    fn stated(&self) -> bool;
    /// Its document, when it was read.
    fn doc(&self) -> Option<&hyoka::Document>;
    fn doc_mut(&mut self) -> Option<&mut hyoka::Document>;
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

impl<T: Shared> Sharing<T> {
    /// Sharing over the inputs at `paths`, each to be [pushed](Self::push)
    /// once.
    pub fn new<'a>(paths: impl Iterator<Item = &'a Path>) -> Sharing<T> {
        let mut left = HashMap::new();
        for path in paths {
            *left.entry(folder_of(path)).or_default() += 1;
        }
        Sharing {
            left,
            found: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    /// Takes the next input in input order; returns those now released,
    /// in input order.
    pub fn push(&mut self, item: T) -> Vec<T> {
        let folder = folder_of(item.path());
        if let Some(n) = self.left.get_mut(&folder) {
            *n = n.saturating_sub(1);
        }
        let mut waits = false;
        if let (Some(doc), false) = (item.doc(), item.stated()) {
            let named = (doc.sheets.iter().map(|s| &s.municipality))
                .chain(doc.project_evaluations.iter().map(|p| &p.municipality));
            let mut unnamed = false;
            for m in named {
                match m {
                    Some(m) => {
                        (self.found.entry(folder.clone()))
                            .or_insert_with(|| (m.clone(), item.name().to_owned()));
                    }
                    None => unnamed = true,
                }
            }
            waits = unnamed;
        }
        self.queue.push_back(Held {
            folder,
            waits,
            item,
        });
        self.release(false)
    }

    /// Releases every input still held: the batch is read.
    pub fn finish(&mut self) -> Vec<T> {
        self.release(true)
    }

    fn release(&mut self, all: bool) -> Vec<T> {
        let mut out = Vec::new();
        while let Some(front) = self.queue.front() {
            let found = self.found.get(&front.folder);
            let folder_done = self.left.get(&front.folder).is_none_or(|n| *n == 0);
            if front.waits && found.is_none() && !folder_done && !all {
                break;
            }
            let mut held = self.queue.pop_front().expect("a front");
            if held.waits
                && let (Some((m, from)), Some(doc)) = (found, held.item.doc_mut())
            {
                name(doc, m, from);
            }
            out.push(held.item);
        }
        out
    }
}

/// Gives the records of `doc` without a municipality `m`, found on the
/// cover of `from`, with a warning, and renews their IDs.
fn name(doc: &mut hyoka::Document, m: &Municipality, from: &str) {
    let shown = m.name.as_deref().or(m.code.as_deref()).unwrap_or_default();
    let message = format!(
        "the municipality {shown} was taken from the cover of {from}, another file in the same \
         folder; give --municipality CODE or a --manifest to state it"
    );
    for sheet in doc.sheets.iter_mut().filter(|s| s.municipality.is_none()) {
        sheet.municipality = Some(m.clone());
        (sheet.warnings).push(Warning::in_file(
            WarningCode::MunicipalityFromDocument,
            &message,
        ));
        hyoka::ids::assign(sheet);
    }
    for p in (doc.project_evaluations.iter_mut()).filter(|p| p.municipality.is_none()) {
        p.municipality = Some(m.clone());
        (p.warnings).push(Warning::in_file(
            WarningCode::MunicipalityFromDocument,
            &message,
        ));
        hyoka::project::assign(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        path: PathBuf,
        doc: Option<hyoka::Document>,
    }

    impl Shared for Item {
        fn path(&self) -> &Path {
            &self.path
        }
        fn name(&self) -> &str {
            self.path.to_str().unwrap()
        }
        fn stated(&self) -> bool {
            false
        }
        fn doc(&self) -> Option<&hyoka::Document> {
            self.doc.as_ref()
        }
        fn doc_mut(&mut self) -> Option<&mut hyoka::Document> {
            self.doc.as_mut()
        }
    }

    fn iga(cover: bool) -> hyoka::Document {
        let path = "../../fixtures/iga/000_46863bf7e879b4fa.txt";
        let mut doc =
            hyoka::read("x.txt", &std::fs::read(path).unwrap(), &Default::default()).unwrap();
        for s in &mut doc.sheets {
            s.municipality = cover.then(|| Municipality {
                code: None,
                name: Some("伊賀市".into()),
            });
        }
        doc
    }

    fn item(path: &str, cover: bool) -> Item {
        Item {
            path: path.into(),
            doc: Some(iga(cover)),
        }
    }

    #[test]
    fn a_file_without_a_cover_waits_for_its_folder_and_takes_the_covers_city() {
        let paths = ["a/1.txt", "a/2.txt", "b/1.txt"];
        let mut sharing = Sharing::new(paths.iter().map(Path::new));
        assert!(sharing.push(item("a/1.txt", false)).is_empty(), "waits");
        let out = sharing.push(item("a/2.txt", true));
        assert_eq!(out.len(), 2, "both go, in input order");
        assert_eq!(out[0].path, Path::new("a/1.txt"));
        let sheet = &out[0].doc.as_ref().unwrap().sheets[0];
        assert_eq!(
            sheet.municipality.as_ref().unwrap().name.as_deref(),
            Some("伊賀市")
        );
        assert!(
            sheet
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::MunicipalityFromDocument
                    && w.message.contains("a/2.txt"))
        );
        // Another folder's cover is not this one's.
        let out = sharing.push(item("b/1.txt", false));
        assert_eq!(out.len(), 1, "its folder is read whole");
        assert!(
            out[0].doc.as_ref().unwrap().sheets[0]
                .municipality
                .is_none()
        );
        assert!(sharing.finish().is_empty());
    }

    #[test]
    fn a_folder_without_a_cover_goes_on_unnamed_once_read() {
        let paths = ["a/1.txt", "a/2.txt"];
        let mut sharing = Sharing::new(paths.iter().map(Path::new));
        assert!(sharing.push(item("a/1.txt", false)).is_empty());
        let out = sharing.push(item("a/2.txt", false));
        assert_eq!(out.len(), 2);
        assert!(
            out.iter()
                .all(|i| i.doc.as_ref().unwrap().sheets[0].municipality.is_none())
        );
    }
}
