//! Every message hyoka prints, in English and Japanese side by side.
//!
//! The language is chosen once per run ([`init`]): `--lang ja|en`, else the
//! locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, the first one set, as
//! POSIX orders them) starting with `ja`, else English. Messages that also
//! go into JSON (an input's `error` in `index.json`) are rendered twice:
//! [`Msg::en`] for the file, so output does not depend on who ran the
//! import, and [`Msg`]'s `Display` for stderr.
//!
//! To add a message: add a variant to [`Msg`] (in `msg.rs`) and its two
//! texts to the family it belongs to; an error type of another module
//! words itself instead, by implementing [`Localized`] beside its English
//! `Display`. Command-line help and clap's errors in Japanese are in
//! `help.rs`. This module imports nothing from the rest of the CLI.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

mod help;
mod msg;

#[cfg(test)]
pub use help::help_ja;
pub use help::{clap_error_ja, command_ja};
pub use msg::{ListingNote, Msg, Summary};

/// The languages hyoka speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
}

static LANG: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// The language a locale value names (`ja_JP.UTF-8` → Japanese).
    pub fn of_locale(value: &str) -> Lang {
        if value.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The language of the environment's locale.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::of_locale(&v))
    }
}

impl Lang {
    /// The language `--lang` names among raw arguments (before clap has
    /// read them, for clap's own errors), if it is given and valid.
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<Lang> {
        let mut args = args.into_iter();
        let mut found = None;
        while let Some(arg) = args.next() {
            let value = match arg.to_str() {
                Some("--") => break,
                Some("--lang") => args.next(),
                Some(a) => a.strip_prefix("--lang=").map(Into::into),
                None => None,
            };
            match value.as_ref().and_then(|v| v.to_str()) {
                Some("ja") => found = Some(Lang::Ja),
                Some("en") => found = Some(Lang::En),
                _ => {}
            }
        }
        found
    }
}

/// Fixes the language for the run: `flag` when given, else the locale.
pub fn init(flag: Option<Lang>) {
    let _ = LANG.set(flag.unwrap_or_else(Lang::from_env));
}

/// The language of this run.
pub fn lang() -> Lang {
    *LANG.get_or_init(Lang::from_env)
}

/// Picks the text of the run's language.
pub fn pick<'a>(en: &'a str, ja: &'a str) -> &'a str {
    match lang() {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// What a type outside this module says, worded by its owner in both
/// languages: the messages module imports nothing from the rest of the
/// CLI, and each error type keeps its Japanese beside its English.
pub trait Localized: fmt::Debug + Send + Sync {
    /// The words in `lang`.
    fn render(&self, lang: Lang) -> String;
}

/// The prefix of an error line.
pub fn error_prefix() -> &'static str {
    error_prefix_in(lang())
}

pub(super) fn error_prefix_in(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "error",
        Lang::Ja => "エラー",
    }
}

/// The prefix of a warning line.
pub fn warning_prefix() -> &'static str {
    pick("warning", "警告")
}

/// The prefix of a note line.
pub fn note_prefix() -> &'static str {
    pick("note", "お知らせ")
}

/// A file-system error in `lang`: Japanese by its kind, since the
/// operating system's text is English.
pub fn io(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return e.to_string();
    }
    let text = match e.kind() {
        K::NotFound => "見つかりません",
        K::PermissionDenied => "アクセスが許可されていません",
        K::AlreadyExists => "すでに存在します",
        K::IsADirectory => "フォルダです",
        K::NotADirectory => "フォルダではありません",
        K::StorageFull => "ディスクの空きがありません",
        K::ReadOnlyFilesystem => "読み取り専用のファイルシステムです",
        K::InvalidData => "データが不正です",
        K::UnexpectedEof => "途中で終わっています",
        K::Interrupted => "中断されました",
        K::DirectoryNotEmpty => "フォルダが空ではありません",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::ResourceBusy => "使用中です",
        K::CrossesDevices => "別のデバイスへは移動できません",
        K::InvalidFilename => "ファイル名が正しくありません",
        K::TooManyLinks => "リンクが多すぎます",
        K::BrokenPipe => "出力先が閉じられました",
        K::TimedOut => "時間切れになりました",
        K::OutOfMemory => "メモリが足りません",
        K::Unsupported => "この環境では使えない操作です",
        K::WriteZero | K::WouldBlock => "書き込めませんでした",
        // The operating system's own words, after Japanese that says what.
        _ => return format!("入出力エラー({e})"),
    };
    match e.raw_os_error() {
        Some(code) => format!("{text}(OS エラー {code})"),
        None => text.to_owned(),
    }
}

/// A special file named in English (`a named pipe (FIFO)`, as the
/// walk says it) in Japanese.
pub fn special_file_ja(what: &str) -> &'static str {
    match what {
        "a named pipe (FIFO)" => "名前付きパイプ",
        "a socket" => "ソケット",
        "a character device" => "キャラクタデバイス",
        "a block device" => "ブロックデバイス",
        _ => "特殊なファイル",
    }
}

/// A path as shown in messages.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(Lang::of_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::of_locale("ja"), Lang::Ja);
        assert_eq!(Lang::of_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::of_locale("C"), Lang::En);
    }

    #[test]
    fn lang_is_found_among_raw_arguments() {
        let args = |v: &[&str]| {
            v.iter()
                .map(Into::into)
                .collect::<Vec<std::ffi::OsString>>()
        };
        assert_eq!(
            Lang::from_args(args(&["hyoka", "--lang", "ja"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            Lang::from_args(args(&["hyoka", "x", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_args(args(&["hyoka", "--lang", "fr"])), None);
        assert_eq!(
            Lang::from_args(args(&["hyoka", "--", "--lang", "ja"])),
            None
        );
    }

    #[test]
    fn every_new_error_family_reads_in_japanese() {
        let code = hyoka::municipality::CodeError::CheckDigit {
            code: "242162".into(),
            five: "24216".into(),
            expected: 1,
        };
        let text = Msg::MunicipalityCode(code.clone()).render(Lang::Ja);
        assert!(
            text.contains("検査数字") && text.contains("242161"),
            "{text}"
        );
        assert_eq!(Msg::MunicipalityCode(code.clone()).en(), code.to_string());
    }

    #[test]
    fn library_errors_are_translated_by_kind() {
        let e = Msg::Library(hyoka::Error::Workbook(hyoka::WorkbookError::Password));
        assert!(e.render(Lang::Ja).contains("パスワード"));
        assert!(e.en().contains("password"));
    }

    #[test]
    fn every_warning_code_has_japanese() {
        for code in hyoka::warning::WarningCode::ALL {
            assert!(!code.meaning_ja().is_empty());
        }
    }
}
