//! Writing the output folder as one set.
//!
//! hyoka's output is a set of files — department files, `index.json`, and
//! any other file a run produces — that must agree with each other. An
//! [`OutputSet`] is how every file gets there:
//!
//! 1. [`OutputSet::open`] creates the folder, takes an exclusive advisory
//!    lock on `DIR/.hyoka.lock` (waiting while another import holds it; the
//!    OS releases it when a process dies; the file stays empty and is never
//!    written, so it changes nothing a portal publishes), and then removes the `.hyoka-*.tmp`
//!    temporaries a killed run left (none can belong to a live writer: only
//!    the lock holder writes them);
//! 2. each file is written to a temporary in `DIR`, hashed as it is written
//!    and synced to disk: [`OutputSet::stage_bytes`] or
//!    [`OutputSet::stage_with`] for a file written at once, a [`Spool`]
//!    ([`OutputSet::spool`], then [`OutputSet::adopt`]) for one appended to
//!    while the batch runs. Paths are relative and `/`-separated, and may be
//!    in subfolders (`csv/kpi.csv`); the subfolders are created at commit;
//! 3. [`OutputSet::commit`] is given `index.json`'s bytes (built with
//!    [`OutputSet::sha256_of`] for the hashes it records) and, only when
//!    every file was staged without error, renames them all into place,
//!    removes stale files, and renames `index.json` last. When anything
//!    failed, nothing is renamed and nothing is removed: the earlier set
//!    stays exactly as it was.
//!
//! Stale files are the files the previous `index.json` lists (in
//! `departments`, `kept` or `files`) that this set neither wrote nor
//! [kept](OutputSet::keep), and only names hyoka could have written
//! ([`could_have_written`]), whatever an edited index lists.
//!
//! Files are created with mode `0666` less the umask, like any program's.
//!
//! Long because: the set's whole protocol (lock, stage, sync, journal,
//! rename, remove stale files, recover a killed run) is one invariant, that
//! the folder holds a complete earlier set or a complete new one; split
//! over files, each half would be unreviewable without the other.
//!
//! Adding an output file: implement [`crate::outputs::Output`], whose
//! `finish` calls `set.stage_bytes("datapackage.json", &bytes)` (or
//! `set.stage_with("csv/kpi.csv", |w| ...)` to stream it). Every staged
//! file that is not a department file is listed in the index's `files`
//! with its hash, and is removed as stale by a later run that no longer
//! writes it. A file in a subfolder (`<code>_<name>/<department>.json`)
//! is staged the same way; only its extension must be in
//! [`OUTPUT_EXTENSIONS`].

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::console::say;
use crate::platform;

/// The index's name; written last by [`OutputSet::commit`].
pub const INDEX: &str = "index.json";
/// The lock file in the output folder.
pub const LOCK: &str = ".hyoka.lock";
/// The list of files a commit is renaming into place, there only while it
/// renames: after a kill, the next run knows which files the killed run may
/// have left that no index lists, and removes them as stale.
pub const JOURNAL: &str = ".hyoka-commit.json";
/// Extensions of the files hyoka writes; only such names are ever removed
/// as stale. A new kind of output file with another extension must be
/// added here.
pub const OUTPUT_EXTENSIONS: [&str; 3] = ["json", "csv", "xlsx"];

/// Whether `rel` is a path inside the output folder that hyoka may write:
/// `/`-separated plain names, none hidden (starting with `.`), none `..`.
pub fn is_plain_path(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0']))
}

/// Whether hyoka could have written `rel`: a plain path (see
/// [`is_plain_path`]) with one of [`OUTPUT_EXTENSIONS`], other than
/// `index.json`. Nothing else is ever removed as stale.
pub fn could_have_written(rel: &str) -> bool {
    is_plain_path(rel)
        && rel != INDEX
        && rel
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.ends_with('/') && OUTPUT_EXTENSIONS.contains(&ext))
}

/// Whether a file name is one of hyoka's temporaries.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(".hyoka-") && name.ends_with(".tmp")
}

/// Lowercase hex of a digest.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The output folder, locked, with the files staged so far.
pub struct OutputSet {
    dir: PathBuf,
    /// Held for the set's life; closing it releases the lock.
    _lock: File,
    staged: BTreeMap<String, Staged>,
    kept: BTreeSet<String>,
    /// Every temporary created, so that whatever was not renamed is removed.
    temporaries: Vec<PathBuf>,
    failures: Vec<String>,
    /// Set by a [`Spool`] whose write failed, so a failure cannot be lost.
    poisoned: Arc<AtomicBool>,
    next: u64,
    /// How many spools hold their file open (at most [`OPEN_SPOOLS`]).
    open_spools: Arc<AtomicUsize>,
}

/// A staged file: written and synced, waiting to be renamed.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    sha256: String,
}

/// How many spools of one set keep their file open between appends; the
/// others open theirs for each append, so thousands of spools do not run
/// out of file handles.
const OPEN_SPOOLS: usize = 256;

/// A file written piece by piece while the batch runs (a department file),
/// hashed as it is written. The first [`OPEN_SPOOLS`] spools of a set keep
/// their file open until [`Spool::finish`]; the others open it only while
/// appending.
pub struct Spool {
    path: PathBuf,
    hasher: Sha256,
    poisoned: Arc<AtomicBool>,
    /// The open file, when this spool holds one of the set's open slots.
    file: Option<File>,
    /// The set's count of spools holding their file open.
    open: Arc<AtomicUsize>,
    writeback: Writeback,
}

/// A finished [`Spool`]: synced to disk, ready for [`OutputSet::adopt`].
pub struct Finished {
    path: PathBuf,
    sha256: String,
    bytes: u64,
}

impl Finished {
    /// The file's SHA-256, in hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The file's size.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Spool {
    /// Appends `parts` in order. An error poisons the whole set: it will
    /// not be committed.
    pub fn append<B: AsRef<[u8]>>(&mut self, parts: &[B]) -> std::io::Result<()> {
        let result = (|| {
            let reopened;
            let file = match &self.file {
                Some(file) => file,
                None => {
                    reopened = OpenOptions::new().append(true).open(&self.path)?;
                    &reopened
                }
            };
            let mut w = BufWriter::with_capacity(1 << 16, file);
            for part in parts {
                w.write_all(part.as_ref())?;
                self.hasher.update(part.as_ref());
                self.writeback.wrote(part.as_ref().len());
            }
            w.flush()?;
            if self.writeback.is_due() {
                self.writeback.start(file);
            }
            Ok(())
        })();
        if result.is_err() {
            self.poisoned.store(true, Ordering::SeqCst);
        }
        result
    }

    /// Syncs the file to disk. Any error poisons the set.
    pub fn finish(mut self) -> std::io::Result<Finished> {
        let result = match self.file.take() {
            Some(file) => file.sync_all(),
            // Opened to write: Windows flushes only a handle that may write.
            None => OpenOptions::new()
                .write(true)
                .open(&self.path)
                .and_then(|f| f.sync_all()),
        };
        self.release();
        if let Err(e) = result {
            self.poisoned.store(true, Ordering::SeqCst);
            return Err(e);
        }
        Ok(Finished {
            path: std::mem::take(&mut self.path),
            sha256: hex(&std::mem::take(&mut self.hasher).finalize()),
            bytes: self.writeback.written,
        })
    }

    /// Closes the file if it is held open and gives its slot back.
    fn release(&mut self) {
        if self.file.take().is_some() {
            self.open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.release();
    }
}

/// What a successful commit did.
#[derive(Debug, Default)]
pub struct Committed {
    /// Every file renamed into place, `index.json` last.
    pub written: Vec<String>,
    /// Stale files removed.
    pub removed: Vec<String>,
}

/// Why a commit did not complete.
#[derive(Debug)]
pub struct NotCommitted {
    /// What failed.
    pub failures: Vec<String>,
    /// Files already renamed into place when a rename failed (empty when
    /// the failure came before any rename, the usual case: the earlier set
    /// is then untouched).
    pub renamed: Vec<String>,
}

impl OutputSet {
    /// Creates `dir` if needed, locks it and removes temporaries killed
    /// runs left. The error is a sentence for the user.
    pub fn open(dir: &Path) -> Result<OutputSet, String> {
        let shown = dir.display();
        if let Ok(meta) = std::fs::symlink_metadata(dir)
            && meta.file_type().is_symlink()
            && std::fs::metadata(dir).is_err()
        {
            let target = std::fs::read_link(dir)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(format!(
                "--out {shown} is a symbolic link to {target}, which does not exist; \
                 create the folder it points to, or give another --out"
            ));
        }
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create --out {shown}: {e}"))?;
        let lock = platform::shared_mode(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
        .open(dir.join(LOCK))
        .map_err(|e| format!("cannot create the lock file {shown}/{LOCK}: {e}"))?;
        lock_exclusive(&lock, dir).map_err(|e| format!("cannot lock {shown}/{LOCK}: {e}"))?;
        remove_temporaries(dir);
        Ok(OutputSet {
            dir: dir.to_owned(),
            _lock: lock,
            staged: BTreeMap::new(),
            kept: BTreeSet::new(),
            temporaries: Vec::new(),
            failures: Vec::new(),
            poisoned: Arc::new(AtomicBool::new(false)),
            next: 0,
            open_spools: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn temporary(&mut self) -> std::io::Result<(PathBuf, File)> {
        loop {
            self.next += 1;
            let path = self
                .dir
                .join(format!(".hyoka-{}-{}.tmp", std::process::id(), self.next));
            match platform::shared_mode(OpenOptions::new().write(true).create_new(true)).open(&path)
            {
                Ok(file) => {
                    self.temporaries.push(path.clone());
                    return Ok((path, file));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    self.fail(format!("{}: cannot create a file: {e}", self.dir.display()));
                    return Err(e);
                }
            }
        }
    }

    /// Starts a file to be appended to (see [`Spool`]).
    pub fn spool(&mut self) -> std::io::Result<Spool> {
        let (path, file) = self.temporary()?;
        // Only this file's writer writes to it, from its start: the handle
        // that created it appends as well as one opened to append.
        let slot = self
            .open_spools
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < OPEN_SPOOLS).then_some(n + 1)
            })
            .is_ok();
        Ok(Spool {
            path,
            hasher: Sha256::new(),
            poisoned: Arc::clone(&self.poisoned),
            file: slot.then_some(file),
            open: Arc::clone(&self.open_spools),
            writeback: Writeback::default(),
        })
    }

    fn check_new(&mut self, rel: &str) -> Result<(), WriteError> {
        if !is_plain_path(rel) || rel == INDEX || self.staged.contains_key(rel) {
            let error = WriteError::Io {
                path: self.dir.join(rel),
                error: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "not a new plain path inside the output folder (a bug in hyoka)",
                ),
            };
            self.fail(error.to_string());
            return Err(error);
        }
        Ok(())
    }

    /// Adds a finished spool to the set as `rel`.
    pub fn adopt(&mut self, rel: &str, finished: Finished) -> Result<(), WriteError> {
        self.check_new(rel)?;
        self.staged.insert(
            rel.to_owned(),
            Staged {
                tmp: finished.path,
                sha256: finished.sha256,
            },
        );
        Ok(())
    }

    /// Stages `rel` with what `fill` writes.
    pub fn stage_with(
        &mut self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        self.check_new(rel)?;
        let path = self.dir.join(rel);
        match self.write_temporary(fill) {
            Ok((tmp, sha256)) => {
                self.staged.insert(rel.to_owned(), Staged { tmp, sha256 });
                Ok(())
            }
            Err(error) => {
                let error = WriteError::Io { path, error };
                self.fail(error.to_string());
                Err(error)
            }
        }
    }

    /// Stages `rel` with `bytes`.
    pub fn stage_bytes(&mut self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.stage_with(rel, |w| w.write_all(bytes))
    }

    /// The SHA-256 of a staged or kept file, for the index.
    pub fn sha256_of(&self, rel: &str) -> Option<&str> {
        self.staged.get(rel).map(|s| s.sha256.as_str())
    }

    /// Every staged file and its SHA-256, by path.
    pub fn staged(&self) -> impl Iterator<Item = (&str, &str)> {
        self.staged
            .iter()
            .map(|(rel, s)| (rel.as_str(), s.sha256.as_str()))
    }

    /// Keeps an earlier run's file `rel` in the set as it is (it is not
    /// removed as stale); its SHA-256, for the index. `None` when there is
    /// no such regular file.
    pub fn keep(&mut self, rel: &str) -> Option<String> {
        if !could_have_written(rel) || self.staged.contains_key(rel) {
            return None;
        }
        let path = self.dir.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mut hasher = Sha256::new();
        let mut file = File::open(&path).ok()?;
        std::io::copy(&mut file, &mut HashOnly(&mut hasher)).ok()?;
        self.kept.insert(rel.to_owned());
        Some(hex(&hasher.finalize()))
    }

    /// The earlier run's `index.json`, if there is one that parses.
    pub fn previous_index(&self) -> Option<serde_json::Value> {
        let file = File::open(self.dir.join(INDEX)).ok()?;
        let mut bytes = Vec::new();
        // An index is small; a huge one is not hyoka's.
        file.take(256 << 20).read_to_end(&mut bytes).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Records a failure that is not a write (an output that does not match
    /// its schema): the set will not be committed.
    pub fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Whether something failed so far.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || self.poisoned.load(Ordering::SeqCst)
    }

    /// Renames every staged file into place, removes stale files, and
    /// renames `index` into place as `index.json`, last — only if nothing
    /// failed; otherwise the folder is left untouched.
    pub fn commit(mut self, index: &[u8]) -> Result<Committed, NotCommitted> {
        if self.poisoned.load(Ordering::SeqCst) && self.failures.is_empty() {
            self.failures
                .push("a file could not be written (see above)".into());
        }
        let index_tmp = if self.failures.is_empty() {
            match self.stage_index(index) {
                Ok(tmp) => Some(tmp),
                Err(e) => {
                    self.fail(e.to_string());
                    None
                }
            }
        } else {
            None
        };
        let Some(index_tmp) = index_tmp else {
            return Err(NotCommitted {
                failures: std::mem::take(&mut self.failures),
                renamed: Vec::new(),
            });
        };
        let stale = self.stale();
        // Nothing is renamed while a target is held open elsewhere (on
        // Windows: a file open in Excel), so the set stays whole.
        let held: Vec<String> = (self.staged.keys().chain(&stale))
            .map(String::as_str)
            .chain([INDEX])
            .filter_map(|rel| {
                let target = self.dir.join(rel);
                platform::check_replaceable(&target).err().map(|e| {
                    format!(
                        "{}: cannot be replaced: {e}; it is open in another program \
                         (Excel?): close it and run again (nothing was changed)",
                        target.display()
                    )
                })
            })
            .collect();
        if !held.is_empty() {
            return Err(NotCommitted {
                failures: held,
                renamed: Vec::new(),
            });
        }
        let journal: Vec<&str> = self.staged.keys().map(String::as_str).collect();
        let journal = serde_json::to_vec(&journal).expect("strings serialize");
        if let Err(e) = self
            .write_temporary(|w| w.write_all(&journal))
            .and_then(|(tmp, _)| std::fs::rename(tmp, self.dir.join(JOURNAL)))
            .and_then(|()| platform::sync_folder(&self.dir))
        {
            return Err(NotCommitted {
                failures: vec![format!(
                    "{}: cannot write: {e}",
                    self.dir.join(JOURNAL).display()
                )],
                renamed: Vec::new(),
            });
        }
        let mut committed = Committed::default();
        let mut folders = BTreeSet::new();
        folders.insert(self.dir.clone());
        let staged = std::mem::take(&mut self.staged);
        for (rel, staged) in &staged {
            let target = self.dir.join(rel);
            let result = (|| {
                if let Some(parent) = target.parent()
                    && parent != self.dir
                {
                    std::fs::create_dir_all(parent)?;
                    folders.insert(parent.to_owned());
                }
                std::fs::rename(&staged.tmp, &target)
            })();
            if let Err(e) = result {
                return Err(NotCommitted {
                    failures: vec![format!(
                        "{}: cannot rename into place: {e}",
                        target.display()
                    )],
                    renamed: committed.written,
                });
            }
            committed.written.push(rel.clone());
            test_pause(committed.written.len());
        }
        for folder in &folders {
            let _ = platform::sync_folder(folder);
        }
        for rel in stale {
            let path = self.dir.join(&rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    committed.removed.push(rel.clone());
                    // A subfolder that held only stale files goes too.
                    if let Some(parent) = path.parent()
                        && parent != self.dir
                    {
                        let _ = std::fs::remove_dir(parent);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => say!("warning: cannot remove stale {}: {e}", path.display()),
            }
        }
        let target = self.dir.join(INDEX);
        if let Err(e) = std::fs::rename(&index_tmp, &target) {
            return Err(NotCommitted {
                failures: vec![format!(
                    "{}: cannot rename into place: {e}",
                    target.display()
                )],
                renamed: committed.written,
            });
        }
        let _ = platform::sync_folder(&self.dir);
        let _ = std::fs::remove_file(self.dir.join(JOURNAL));
        committed.written.push(INDEX.to_owned());
        Ok(committed)
    }

    /// A temporary holding what `fill` writes, synced to disk, and its hash.
    fn write_temporary(
        &mut self,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<(PathBuf, String)> {
        let (tmp, file) = self.temporary()?;
        let mut w = HashingWriter {
            inner: BufWriter::with_capacity(1 << 16, &file),
            hasher: Sha256::new(),
            file: &file,
            writeback: Writeback::default(),
        };
        fill(&mut w)?;
        w.inner.flush()?;
        drop(w.inner);
        file.sync_all()?;
        Ok((tmp, hex(&w.hasher.finalize())))
    }

    fn stage_index(&mut self, index: &[u8]) -> std::io::Result<PathBuf> {
        self.write_temporary(|w| w.write_all(index))
            .map(|(tmp, _)| tmp)
    }

    /// Files the earlier index lists, or a killed commit's journal names,
    /// that this set neither writes nor keeps.
    fn stale(&self) -> Vec<String> {
        let mut candidates: Vec<String> = Vec::new();
        if let Some(previous) = self.previous_index() {
            for list in ["departments", "kept", "files"] {
                for entry in previous
                    .get(list)
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                {
                    if let Some(rel) = entry.get("file").and_then(|f| f.as_str()) {
                        candidates.push(rel.to_owned());
                    }
                }
            }
        }
        if let Ok(bytes) = std::fs::read(self.dir.join(JOURNAL))
            && let Ok(names) = serde_json::from_slice::<Vec<String>>(&bytes)
        {
            candidates.extend(names);
        }
        let stale: BTreeSet<String> = candidates
            .into_iter()
            .filter(|rel| {
                could_have_written(rel)
                    && !self.staged.contains_key(rel)
                    && !self.kept.contains(rel)
            })
            .collect();
        stale.into_iter().collect()
    }
}

/// Test-only: with `HYOKA_TEST_PAUSE_AFTER_RENAMES=N`, the commit stops
/// after its N-th rename, says so on stderr and sleeps, so a test can kill
/// the process at exactly the moment the folder is between two sets. Not
/// for use outside hyoka's tests.
fn test_pause(renamed: usize) {
    static AT: std::sync::LazyLock<Option<usize>> = std::sync::LazyLock::new(|| {
        std::env::var("HYOKA_TEST_PAUSE_AFTER_RENAMES")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if *AT == Some(renamed) {
        eprintln!("hyoka: test pause after {renamed} rename(s)");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        for tmp in &self.temporaries {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Hands a file's bytes to the kernel's writeback a block at a time as
/// they are written, so the `fsync` before the commit finds most of them
/// already on disk, where it would have a whole batch's output to write
/// while the import waits.
#[derive(Debug, Default)]
struct Writeback {
    /// Bytes written so far.
    written: u64,
    /// Where the bytes not yet handed over begin.
    from: u64,
}

impl Writeback {
    /// How many bytes gather before they are handed over.
    const BLOCK: u64 = 1 << 20;

    fn wrote(&mut self, n: usize) {
        self.written += n as u64;
    }

    /// Whether a block has gathered (to be flushed to the file first).
    fn is_due(&self) -> bool {
        self.written - self.from >= Writeback::BLOCK
    }

    /// Hands the bytes written since the last call to the kernel.
    fn start(&mut self, file: &File) {
        platform::start_writeback(file, self.from, self.written);
        self.from = self.written;
    }
}

/// Writes through a buffer to a staged file, hashing what it writes and
/// having it written out a block at a time (see [`platform::start_writeback`]).
struct HashingWriter<'a> {
    inner: BufWriter<&'a File>,
    hasher: Sha256,
    file: &'a File,
    writeback: Writeback,
}

impl Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.writeback.wrote(n);
        if self.writeback.is_due() {
            self.inner.flush()?;
            self.writeback.start(self.file);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

struct HashOnly<'a>(&'a mut Sha256);

impl Write for HashOnly<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Takes the exclusive lock, waiting (with a note) while another import
/// holds it.
fn lock_exclusive(lock: &File, dir: &Path) -> std::io::Result<()> {
    if let platform::Locked::Now = platform::try_lock_exclusive(lock)? {
        return Ok(());
    }
    say!(
        "note: {} is being written by another hyoka import; waiting for it to finish",
        dir.display(),
    );
    platform::lock_exclusive(lock)
}

/// Removes `.hyoka-*.tmp` files in `dir`: called with the lock held, so they
/// belong to runs that were killed (only the lock holder writes them).
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temporary(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Why an output file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The document does not match its schema: a bug in hyoka.
    Invalid {
        /// The file that was not written.
        path: PathBuf,
        /// What did not match.
        errors: Vec<String>,
    },
    /// The file system refused.
    Io {
        /// The file that was not written.
        path: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::Msg;
        // The message catalog owns the wording, in both languages.
        let io_copy = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
        let msg = match self {
            WriteError::Invalid { path, errors } => Msg::OutputInvalid {
                path: path.display().to_string(),
                errors: errors.clone(),
            },
            WriteError::Io { path, error } => {
                Msg::CannotWrite(path.display().to_string(), io_copy(error))
            }
        };
        write!(f, "{msg}")
    }
}

/// A temporary file in `dir` (for the JSON Lines file, which is not part of
/// the output set), named `.hyoka-*.tmp` so that a later run can recognise
/// and remove one an interrupted run left behind; mode `0666` less the
/// umask, as the file it becomes.
pub fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hyoka-").suffix(".tmp");
    if let Some(permissions) = platform::shared_permissions() {
        builder.permissions(permissions);
    }
    builder.tempfile_in(dir)
}

/// A temporary file in the folder `path` will be renamed into, so the
/// rename stays on one file system and is atomic.
pub fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => temporary_in(dir),
        _ => temporary_in(Path::new(".")),
    }
}

/// Writes one file that is not part of an import's output set (a page of
/// `hyoka report`) through a temporary beside it and a rename, so a reader
/// never sees half of it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = temporary_beside(path)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap();
                out.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
        out
    }

    #[test]
    fn only_names_hyoka_writes_can_be_stale() {
        for ok in ["総務部.json", "csv/kpi.csv", "123456_伊賀市/総務部.json"] {
            assert!(could_have_written(ok), "{ok}");
        }
        for not in [
            "index.json",
            ".keep.json",
            "a/.hidden.json",
            "../x.json",
            "/etc/x.json",
            "a//b.json",
            "notes.txt",
            "sheet.txt",
            "a\\b.json",
            ".json",
            "",
        ] {
            assert!(!could_have_written(not), "{not}");
        }
    }

    #[test]
    fn a_set_is_committed_whole_index_last_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::open(dir.path()).unwrap();
        set.stage_bytes("a.json", b"{}\n").unwrap();
        set.stage_bytes("sub/b.csv", b"x\n").unwrap();
        let mut spool = set.spool().unwrap();
        spool.append(&["[", "1", "]"]).unwrap();
        set.adopt("c.json", spool.finish().unwrap()).unwrap();
        assert_eq!(
            set.sha256_of("c.json"),
            Some(hyoka::sha256_hex(b"[1]").as_str())
        );
        let index = br#"{"departments":[{"file":"a.json"}],"files":[{"file":"sub/b.csv"},{"file":"c.json"}]}"#;
        let done = set.commit(index).unwrap();
        assert_eq!(
            done.written,
            ["a.json", "c.json", "sub/b.csv", "index.json"]
        );
        let files = listing(dir.path());
        assert_eq!(files["sub/b.csv"], b"x\n");
        assert_eq!(files["index.json"], index);

        // The next set does not write sub/b.csv: it is stale and goes, with
        // its emptied folder; a file hyoka never wrote stays.
        std::fs::write(dir.path().join("mine.txt"), b"mine").unwrap();
        let mut set = OutputSet::open(dir.path()).unwrap();
        set.stage_bytes("a.json", b"{\"new\":1}\n").unwrap();
        assert!(set.keep("c.json").is_some());
        let done = set.commit(b"{}").unwrap();
        assert_eq!(done.removed, ["sub/b.csv"]);
        assert!(!dir.path().join("sub").exists());
        assert!(dir.path().join("c.json").exists());
        assert!(dir.path().join("mine.txt").exists());
    }

    #[test]
    fn a_failed_set_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::open(dir.path()).unwrap();
        set.stage_bytes("a.json", b"old\n").unwrap();
        set.commit(br#"{"departments":[{"file":"a.json"}]}"#)
            .unwrap();
        let before = listing(dir.path());

        let mut set = OutputSet::open(dir.path()).unwrap();
        set.stage_bytes("b.json", b"new\n").unwrap();
        set.fail("a department file could not be written".into());
        let not = set.commit(b"{}").unwrap_err();
        assert!(not.renamed.is_empty());
        assert_eq!(listing(dir.path()), before);
        // No temporaries are left either (the lock file is the only other).
        let hidden: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.') && n != LOCK)
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }

    #[test]
    fn paths_outside_the_folder_or_twice_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::open(dir.path()).unwrap();
        assert!(set.stage_bytes("../x.json", b"").is_err());
        assert!(set.stage_bytes("index.json", b"").is_err());
        assert!(set.failed());
        // The lock is per open file: the same process would wait on itself.
        drop(set);
        let mut set = OutputSet::open(dir.path()).unwrap();
        set.stage_bytes("a.json", b"").unwrap();
        assert!(set.stage_bytes("a.json", b"").is_err());
    }
}
