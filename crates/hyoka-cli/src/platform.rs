//! What differs between operating systems, in one place: file modes, opening
//! without blocking, file kinds, the output folder's lock, writeback hints
//! and peak memory. Everything else in the CLI is the same code on Linux,
//! macOS and Windows.
//!
//! What differs on Windows, and why it is safe:
//!
//! - **No FIFOs or devices in folders.** A Windows folder holds files,
//!   folders and links, so `not_regular` only ever sees those; reserved
//!   names (`CON`, `NUL`, `COM1`) are never written, because department file
//!   names are made safe first (see `names.rs`), and an input named `NUL`
//!   is refused as not a regular file.
//! - **The lock** is `LockFileEx` through std's `File::lock`, held by the
//!   open handle exactly as `flock` is on Unix: a crashed import releases
//!   it.
//! - **Renames over files another program holds open** fail on Windows
//!   (Unix replaces the name and the reader keeps the old file). Before it
//!   renames anything, the commit asks every file it would replace or
//!   remove whether it can be ([`check_replaceable`]); if one is held open
//!   (a CSV open in Excel), the import names it, says to close it, and
//!   exits 3 with nothing renamed: the earlier set is left as it was. A
//!   program that opens the file between that check and the renames still
//!   makes a rename fail; the commit journal then repairs the set on the
//!   next import, as after a crash.
//! - **Paths** longer than 260 characters need Windows' long-path setting;
//!   hyoka passes paths to std unchanged, which handles `\\?\` prefixes.
//! - **No writeback hint** (`sync_file_range` is Linux's): files are still
//!   synced before the commit.
//! - **Folders are not synced.** Unix makes a rename durable by syncing the
//!   folder that holds it; Windows cannot open a folder as a file, and NTFS
//!   journals its metadata itself, so the files are synced and the folder
//!   is not.
//! - **Peak memory** is read from `/proc` on Linux and left out elsewhere.

use std::fs::{File, OpenOptions};
use std::path::Path;

/// New files are readable by everyone the umask allows, as the files they
/// replace (`0666` less the umask). No-op where files have no mode.
pub fn shared_mode(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666);
    }
    options
}

/// Permissions for a temporary that becomes an output file (see
/// [`shared_mode`]).
pub fn shared_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Opens `path` to read without waiting for a writer: a named pipe with no
/// writer opens at once on Unix instead of hanging the run.
pub fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a file is when it is neither a regular file nor a folder.
pub fn not_regular(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        } else if file_type.is_socket() {
            return Some("a socket");
        } else if file_type.is_char_device() {
            return Some("a character device");
        } else if file_type.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Whether a lock is held by another process.
pub enum Locked {
    /// Taken.
    Now,
    /// Another process holds it.
    Busy,
}

/// Tries to take the exclusive lock on `file` without waiting.
pub fn try_lock_exclusive(file: &File) -> std::io::Result<Locked> {
    match file.try_lock() {
        Ok(()) => Ok(Locked::Now),
        Err(std::fs::TryLockError::WouldBlock) => Ok(Locked::Busy),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Takes the exclusive lock on `file`, waiting for it.
pub fn lock_exclusive(file: &File) -> std::io::Result<()> {
    file.lock()
}

/// Takes a shared lock on `file`, waiting for it.
pub fn lock_shared(file: &File) -> std::io::Result<()> {
    file.lock_shared()
}

/// Whether `path` can be replaced or removed now: on Windows, a file
/// another program holds open without sharing its deletion (a CSV or
/// department file open in Excel) cannot be renamed over, so the commit
/// asks each target first and renames nothing when one is held. A file
/// that does not exist is replaceable. Always `Ok` on Unix, where a rename
/// replaces the name and a reader keeps the old file.
pub fn check_replaceable(path: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // What a rename over the file needs: the right to delete it, with
        // every kind of sharing granted to others, so only a holder that
        // refuses deletion makes this fail.
        const DELETE: u32 = 0x0001_0000;
        const SHARE_ALL: u32 = 0x1 | 0x2 | 0x4;
        match OpenOptions::new()
            .access_mode(DELETE)
            .share_mode(SHARE_ALL)
            .open(path)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        Ok(())
    }
}

/// Makes the names in `dir` durable (renames, new files): syncs the folder
/// on Unix; nothing to do on Windows (see the module's notes).
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A path hyoka made (a file met in a walked folder) as the output shows
/// it: with `/` between its parts on every system, so the same inputs give
/// the same bytes on Windows as on Linux. Paths typed by the user are shown
/// as typed.
pub fn shown_path(path: &Path) -> String {
    let shown = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        shown.into_owned()
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Asks the kernel to start writing the bytes `from..to` of `file` to disk
/// now, without waiting for them. Only a hint (Linux); errors surface at
/// the `fsync` that follows.
#[cfg(target_os = "linux")]
pub fn start_writeback(file: &File, from: u64, to: u64) {
    use std::os::unix::io::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(from), i64::try_from(to - from)) else {
        return;
    };
    // SAFETY: a valid, open descriptor; the call reads no memory.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

/// Elsewhere there is no such hint: files are synced at the commit.
#[cfg(not(target_os = "linux"))]
pub fn start_writeback(_file: &File, _from: u64, _to: u64) {}

/// The process's peak resident memory in MiB, where the system says it
/// (Linux: `VmHWM` in `/proc/self/status`).
#[cfg(target_os = "linux")]
pub fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Elsewhere the summary line leaves peak memory out.
#[cfg(not(target_os = "linux"))]
pub fn peak_rss_mib() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_exclusive_lock_is_busy_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let open = || {
            shared_mode(
                OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false),
            )
            .open(&path)
            .unwrap()
        };
        let first = open();
        assert!(matches!(try_lock_exclusive(&first).unwrap(), Locked::Now));
        let second = open();
        assert!(matches!(try_lock_exclusive(&second).unwrap(), Locked::Busy));
        drop(first);
        assert!(matches!(try_lock_exclusive(&second).unwrap(), Locked::Now));
    }

    #[test]
    fn files_and_folders_are_regular() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            not_regular(&std::fs::metadata(dir.path()).unwrap().file_type()),
            None
        );
    }
}
