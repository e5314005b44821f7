//! What both benches' floors share: the import's output files read back,
//! and written again the way the import commits them.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The files of a corpus, sorted, for the floors.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every output file under `dir`, by path relative to it, with its bytes.
pub fn outputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// The write floor: the import's output files written into the fresh
/// folder `dir` the way the import commits them: each to a temporary in
/// `dir`, every temporary `fsync`ed, then renamed into place (subfolders
/// made as needed) and every folder synced. Files are written in parallel
/// on the current rayon pool.
pub fn write_floor(outputs: &[(PathBuf, Vec<u8>)], dir: &Path) -> u64 {
    let written: u64 = outputs
        .par_iter()
        .enumerate()
        .map(|(i, (_, bytes))| {
            let mut file = std::fs::File::create(dir.join(format!(".tmp-{i}"))).unwrap();
            file.write_all(bytes).unwrap();
            file.sync_all().unwrap();
            bytes.len() as u64
        })
        .sum();
    let mut folders = std::collections::BTreeSet::new();
    folders.insert(dir.to_path_buf());
    for (i, (rel, _)) in outputs.iter().enumerate() {
        let target = dir.join(rel);
        let parent = target.parent().unwrap();
        if folders.insert(parent.to_path_buf()) {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::rename(dir.join(format!(".tmp-{i}")), target).unwrap();
    }
    for folder in &folders {
        std::fs::File::open(folder).unwrap().sync_all().unwrap();
    }
    written
}
