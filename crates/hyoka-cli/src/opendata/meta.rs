//! The portal metadata of a package: a title, a description, a licence,
//! the publisher, a contact point and the date the data was last updated
//! (更新日), from `hyoka import --title …` or a TOML file
//! (`--package-meta FILE`), written into `datapackage.json` in the Data
//! Package's vocabulary (`title`, `description`, `licenses`,
//! `contributors`, and `modified`).
//!
//! Nothing comes from a clock: 更新日 is written only when given. A key a
//! run does not give is carried over from the output folder's previous
//! `datapackage.json` ([`PortalMeta::or_previous`]), so a yearly update
//! into the same folder keeps its licence and publisher.

use std::path::Path;

use crate::i18n::{self, Lang};

pub use hyoka_publish::meta::{KEYS, LICENSES, PortalMeta, contact_kind, is_date};

/// A metadata value that is not what it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError {
    /// Where: `--modified`, or `meta.toml, line 3, key modified`.
    pub at: Where,
    /// What was wrong, in English and in Japanese.
    pub what: (String, String),
}

/// Where a metadata value was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// A flag (`--modified`).
    Flag(String),
    /// A `--package-meta` file, the line and the key when known.
    File {
        /// The file as shown.
        file: String,
        /// The line, from 1.
        line: Option<usize>,
        /// The key.
        key: Option<String>,
    },
}

impl Where {
    fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (Where::Flag(flag), _) => flag.clone(),
            (Where::File { file, line, key }, Lang::En) => {
                let mut at = file.clone();
                if let Some(l) = line {
                    at.push_str(&format!(", line {l}"));
                }
                if let Some(k) = key {
                    at.push_str(&format!(", key {k}"));
                }
                at
            }
            (Where::File { file, line, key }, Lang::Ja) => {
                let mut at = file.clone();
                if let Some(l) = line {
                    at.push_str(&format!(" の {l} 行目"));
                }
                if let Some(k) = key {
                    at.push_str(&format!("、キー {k}"));
                }
                at
            }
        }
    }
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lang = i18n::lang();
        let what = match lang {
            Lang::En => &self.what.0,
            Lang::Ja => &self.what.1,
        };
        write!(f, "{}: {what}", self.at.render(lang))
    }
}

impl std::error::Error for MetaError {}

/// Reading and checking [`PortalMeta`], the command's part: its errors
/// name the flag or the file, line and key, in the user's language.
pub trait PortalMetaExt: Sized {
    /// Reads a `--package-meta` TOML file: the keys of [`KEYS`], each a
    /// string; errors name the file, the line and the key.
    fn read(path: &Path) -> Result<PortalMeta, MetaError>;
    /// Checks the values: 更新日 a real date `YYYY-MM-DD`, the contact an
    /// email address or an http(s) URL, the licence an id without spaces,
    /// none empty. `at` names where a key was given.
    fn checked(self, at: impl Fn(&str) -> Where) -> Result<PortalMeta, MetaError>;
    /// Every key this run does not give, taken from the previous package
    /// `previous` (the output folder's `datapackage.json` before this run
    /// replaces it), when that has it.
    fn or_previous(self, previous: &serde_json::Value) -> PortalMeta;
}

impl PortalMetaExt for PortalMeta {
    fn read(path: &Path) -> Result<PortalMeta, MetaError> {
        let shown = i18n::shown(path);
        let in_file = |line: Option<usize>, key: Option<String>| Where::File {
            file: shown.clone(),
            line,
            key,
        };
        let text = std::fs::read_to_string(path).map_err(|e| MetaError {
            at: in_file(None, None),
            what: (
                format!("cannot read the package metadata: {e}"),
                format!("パッケージのメタデータを読めません: {e}"),
            ),
        })?;
        let meta: PortalMeta = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            // The key is what the line sets, before its `=`.
            let key = line
                .and_then(|l| text.lines().nth(l - 1))
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim().to_owned())
                .filter(|k| !k.is_empty() && !k.contains(char::is_whitespace));
            let keys = KEYS.join(", ");
            MetaError {
                at: in_file(line, key),
                what: (
                    format!(
                        "{} (expected keys: {keys}, each a string in quotes)",
                        e.message().trim()
                    ),
                    format!(
                        "{}(使えるキー: {keys}。どれも引用符で囲んだ文字列です)",
                        e.message().trim()
                    ),
                ),
            }
        })?;
        meta.checked(|key| in_file(key_line(&text, key), Some(key.to_owned())))
    }

    fn checked(self, at: impl Fn(&str) -> Where) -> Result<PortalMeta, MetaError> {
        let fail = |key: &str, en: String, ja: String| MetaError {
            at: at(key),
            what: (en, ja),
        };
        for (key, value) in self.values() {
            if value.is_some_and(|v| v.trim().is_empty()) {
                return Err(fail(
                    key,
                    "empty; give a value or leave the key out".into(),
                    "空です。値を書くか、キーを省いてください".into(),
                ));
            }
        }
        if let Some(date) = &self.modified
            && !is_date(date)
        {
            return Err(fail(
                "modified",
                format!("`{date}` is not a date YYYY-MM-DD (更新日, such as 2025-04-01)"),
                format!("`{date}` は YYYY-MM-DD の日付(2025-04-01 など)ではありません"),
            ));
        }
        if let Some(contact) = &self.contact
            && contact_kind(contact).is_none()
        {
            return Err(fail(
                "contact",
                format!(
                    "`{contact}` is neither an email address (name@example.jp) nor an http(s) URL"
                ),
                format!(
                    "`{contact}` はメールアドレス(name@example.jp)でも http(s) の URL でもありません"
                ),
            ));
        }
        if let Some(id) = &self.license
            && !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.+_".contains(&b))
        {
            let known: Vec<&str> = LICENSES.iter().map(|l| l.0).collect();
            return Err(fail(
                "license",
                format!(
                    "`{id}` is not a licence id (letters, digits, `-` and `.`, such as {})",
                    known.join(", ")
                ),
                format!(
                    "`{id}` はライセンスの識別子(英数字・`-`・`.`。{} など)ではありません",
                    known.join("、")
                ),
            ));
        }
        Ok(self)
    }

    fn or_previous(self, previous: &serde_json::Value) -> PortalMeta {
        let text = |key: &str| {
            previous
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let license = previous["licenses"]
            .get(0)
            .and_then(|l| l.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_owned);
        let contributor = |role: &str| -> Option<&serde_json::Value> {
            previous["contributors"]
                .as_array()?
                .iter()
                .find(|c| c["role"] == role)
        };
        let publisher = contributor("publisher")
            .and_then(|c| c["title"].as_str())
            .map(str::to_owned);
        let contact = contributor("contact")
            .and_then(|c| c["email"].as_str().or_else(|| c["path"].as_str()))
            .map(str::to_owned);
        let previous = PortalMeta {
            title: text("title"),
            description: text("description"),
            license,
            publisher,
            contact,
            modified: text("modified"),
        };
        // What the previous package holds is kept only where it is still
        // valid, key by key.
        let kept = |key: &str, value: Option<String>| -> Option<String> {
            let mut one = PortalMeta::default();
            match key {
                "license" => one.license = value,
                "contact" => one.contact = value,
                "modified" => one.modified = value,
                _ => return value.filter(|v| !v.trim().is_empty()),
            }
            let one = one.checked(|k| Where::Flag(k.to_owned())).ok()?;
            one.license.or(one.contact).or(one.modified)
        };
        PortalMeta {
            title: self.title.or_else(|| kept("title", previous.title)),
            description: self
                .description
                .or_else(|| kept("description", previous.description)),
            license: self.license.or_else(|| kept("license", previous.license)),
            publisher: self
                .publisher
                .or_else(|| kept("publisher", previous.publisher)),
            contact: self.contact.or_else(|| kept("contact", previous.contact)),
            modified: self
                .modified
                .or_else(|| kept("modified", previous.modified)),
        }
    }
}

/// The line (1-based) where `key` is set in a TOML text.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use hyoka_publish::meta::Contact;

    use super::*;

    #[test]
    fn dates_contacts_and_licences() {
        assert!(is_date("2025-04-01"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2025-02-29"));
        assert!(!is_date("2025-4-1"));
        assert!(!is_date("令和7年4月1日"));
        assert_eq!(
            contact_kind("opendata@city.iga.lg.jp"),
            Some(Contact::Email)
        );
        assert_eq!(
            contact_kind("https://www.city.iga.lg.jp/"),
            Some(Contact::Url)
        );
        assert_eq!(contact_kind("広報広聴課"), None);
    }

    #[test]
    fn a_bad_file_names_its_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meta.toml");
        std::fs::write(
            &path,
            "title = \"伊賀市の施策評価\"\nmodified = \"2025-13-01\"\n",
        )
        .unwrap();
        let e = PortalMeta::read(&path).unwrap_err();
        assert!(
            e.at.render(Lang::En)
                .ends_with("meta.toml, line 2, key modified"),
            "{e:?}"
        );
        assert!(
            e.at.render(Lang::Ja)
                .ends_with("meta.toml の 2 行目、キー modified"),
            "{e:?}"
        );
        std::fs::write(&path, "title = \"x\"\n\nlicence = \"CC-BY-4.0\"\n").unwrap();
        let e = PortalMeta::read(&path).unwrap_err();
        assert!(e.at.render(Lang::En).contains("line 3"), "{e:?}");
        assert!(e.what.0.contains("licence"), "{e:?}");
        std::fs::write(&path, "title = \"x\"\nlicense = \"CC-BY-4.0\"\n").unwrap();
        let meta = PortalMeta::read(&path).unwrap();
        assert_eq!(meta.license.as_deref(), Some("CC-BY-4.0"));
        let flags = PortalMeta {
            title: Some("y".into()),
            ..PortalMeta::default()
        };
        let both = flags.over(meta);
        assert_eq!(both.title.as_deref(), Some("y"));
        assert_eq!(both.license.as_deref(), Some("CC-BY-4.0"));
    }

    #[test]
    fn missing_keys_come_from_the_previous_package() {
        let previous = serde_json::json!({
            "title": "伊賀市 施策評価",
            "licenses": [{"name": "PDL-1.0"}],
            "contributors": [
                {"title": "伊賀市", "role": "publisher"},
                {"title": "伊賀市", "role": "contact", "email": "a@city.iga.lg.jp"}
            ],
            "modified": "not a date"
        });
        let run = PortalMeta {
            modified: Some("2026-04-01".into()),
            ..PortalMeta::default()
        };
        let meta = run.or_previous(&previous);
        assert_eq!(meta.title.as_deref(), Some("伊賀市 施策評価"));
        assert_eq!(meta.license.as_deref(), Some("PDL-1.0"));
        assert_eq!(meta.publisher.as_deref(), Some("伊賀市"));
        assert_eq!(meta.contact.as_deref(), Some("a@city.iga.lg.jp"));
        assert_eq!(meta.modified.as_deref(), Some("2026-04-01"));
        let meta = PortalMeta::default().or_previous(&previous);
        assert_eq!(meta.modified, None, "an invalid previous date is dropped");
    }
}
