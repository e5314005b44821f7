//! Reading the files hyoka is given or reads back (inputs, output folders,
//! data packages): only regular files, opened without blocking, and never
//! more than a limit, so a named pipe cannot hang a run and `/dev/zero`
//! cannot fill memory.

use std::io::Read;
use std::path::Path;

/// The most `hyoka validate` (`--max-bytes`) and `hyoka report` read of one
/// file: far above any real output.
pub const MAX_JSON_BYTES: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadFailure {
    /// The file system refused.
    Io(std::io::Error),
    /// A named pipe, socket or device: what it is.
    NotRegular(&'static str),
    /// Larger than `limit`; `size` is what was seen (at least `limit + 1`).
    TooLarge { size: u64, limit: u64 },
}

/// The bytes of the regular file at `path`, at most `limit` of them. The
/// file is checked before it is opened and again once open, so one swapped
/// for a pipe in between fails too.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(ReadFailure::NotRegular(what));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = crate::platform::open_without_blocking(path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(ReadFailure::NotRegular(what));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        // A file that grew while being read: its size is unknown, only
        // that it is over the limit.
        return Err(ReadFailure::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

pub use crate::platform::not_regular;

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn pipes_fail_at_once_and_files_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(matches!(
            read_regular(&fifo, 10),
            Err(ReadFailure::NotRegular("a named pipe (FIFO)"))
        ));
        let file = dir.path().join("x");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&file, 4),
            Err(ReadFailure::TooLarge { size: 5, limit: 4 })
        ));
        // A folder opens, but does not read.
        assert!(matches!(
            read_regular(dir.path(), 1 << 20),
            Err(ReadFailure::Io(_))
        ));
    }
}
