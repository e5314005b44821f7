//! Reading the files hyoka is given or reads back (inputs, output folders,
//! data packages): only regular files, opened without blocking, and never
//! more than a limit, so a named pipe cannot hang a run and `/dev/zero`
//! cannot fill memory.

use std::io::Read;
use std::path::Path;

use crate::i18n::{self, Lang, Localized};

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

/// Why a JSON file hyoka reads back did not read.
#[derive(Debug)]
pub enum JsonRead {
    /// The file system refused.
    Io(std::io::Error),
    /// The bytes are not JSON, or not the JSON expected.
    Json(serde_json::Error),
    /// An index names a file outside its folder; it is not read.
    OutsideDir,
    /// A named pipe, socket, device or folder: never read, so a check
    /// cannot hang.
    NotRegular,
    /// Larger than `--max-bytes`.
    TooLarge(u64),
}

impl From<ReadFailure> for JsonRead {
    fn from(e: ReadFailure) -> JsonRead {
        use ReadFailure as F;
        match e {
            F::Io(e) => JsonRead::Io(e),
            F::NotRegular(_) => JsonRead::NotRegular,
            F::TooLarge { limit, .. } => JsonRead::TooLarge(limit),
        }
    }
}

impl std::fmt::Display for JsonRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(i18n::lang()))
    }
}

impl Localized for JsonRead {
    fn render(&self, lang: Lang) -> String {
        use serde_json::error::Category;
        match (self, lang) {
            (JsonRead::Io(e), lang) => i18n::io(e, lang),
            (JsonRead::Json(e), Lang::En) => e.to_string(),
            (JsonRead::OutsideDir, Lang::En) => "not a path inside DIR".into(),
            (JsonRead::OutsideDir, Lang::Ja) => "DIR の中のパスではありません".into(),
            (JsonRead::NotRegular, Lang::En) => {
                "not a regular file (a folder, named pipe, socket or device)".into()
            }
            (JsonRead::NotRegular, Lang::Ja) => {
                "通常のファイルではありません(フォルダ、名前付きパイプ、ソケット、デバイス)".into()
            }
            (JsonRead::TooLarge(limit), Lang::En) => format!(
                "the file is larger than the limit of {limit} bytes; raise --max-bytes if it is genuine"
            ),
            (JsonRead::TooLarge(limit), Lang::Ja) => format!(
                "ファイルが上限 {limit} バイトを超えています。正しいファイルなら --max-bytes で上限を上げてください"
            ),
            (JsonRead::Json(e), Lang::Ja) => {
                let (line, column) = (e.line(), e.column());
                match e.classify() {
                    Category::Io => "読み込めません".into(),
                    Category::Syntax => {
                        format!("{line} 行 {column} 列目: JSON の書き方が正しくありません")
                    }
                    Category::Eof => format!("{line} 行目で JSON が途中で終わっています"),
                    Category::Data => format!(
                        "{line} 行 {column} 列目: JSON の内容が hyoka の出力の形ではありません({e})"
                    ),
                }
            }
        }
    }
}

/// Why a file met in a walked folder is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRead {
    /// Its extension names no format hyoka reads.
    OtherType,
    /// A symbolic link, and `--follow-symlinks` was not given.
    Symlink,
    /// A named pipe, socket or device.
    NotRegular(&'static str),
}

impl NotRead {
    /// The reason in English, as `index.json` records it.
    pub fn en(self) -> String {
        match self {
            NotRead::OtherType => "not a file type hyoka reads (.txt, .tsv, .csv, .xlsx, \
                                   .xlsm, .xls, .ods, .pdf)"
                .into(),
            NotRead::Symlink => "a symbolic link, not followed (use --follow-symlinks)".into(),
            NotRead::NotRegular(what) => format!(
                "is {what}, not a regular file; hyoka reads only regular files \
                 (copy the content to a file and import that)"
            ),
        }
    }

    pub fn ja(self) -> String {
        match self {
            NotRead::OtherType => "hyoka が読む形式(.txt .tsv .csv .xlsx .xlsm .xls .ods .pdf)\
                                   ではありません"
                .into(),
            NotRead::Symlink => {
                "シンボリックリンクのため読みません(--follow-symlinks で読みます)".into()
            }
            NotRead::NotRegular(what) => format!(
                "通常のファイルではありません({})。hyoka は通常のファイルだけを読みます",
                i18n::special_file_ja(what)
            ),
        }
    }
}

impl Localized for NotRead {
    fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Ja => self.ja(),
        }
    }
}
