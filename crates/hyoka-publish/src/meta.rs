//! The portal metadata of a package: a title, a description, a licence,
//! the publisher, a contact point and the date the data was last updated
//! (更新日), written into `datapackage.json` in the Data Package's
//! vocabulary (`title`, `description`, `licenses`, `contributors`, and
//! `modified`). Reading it from flags or a TOML file, and checking it, is
//! the command's (`hyoka-cli`'s `opendata::meta`).

use serde::Deserialize;

/// The metadata a run gives, every key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalMeta {
    /// The package's title (a portal's dataset title).
    pub title: Option<String>,
    /// What the package holds.
    pub description: Option<String>,
    /// The licence, an SPDX-like id (`CC-BY-4.0`, `PDL-1.0`, `CC0-1.0`).
    pub license: Option<String>,
    /// Who publishes the data (伊賀市 総務部 広報広聴課).
    pub publisher: Option<String>,
    /// A contact point: an email address or a URL.
    pub contact: Option<String>,
    /// 更新日, `YYYY-MM-DD`.
    pub modified: Option<String>,
}

/// The keys of [`PortalMeta`], as flags and TOML keys name them.
pub const KEYS: [&str; 6] = [
    "title",
    "description",
    "license",
    "publisher",
    "contact",
    "modified",
];

/// The licences hyoka knows by id: (id, title, URL). Others are written
/// with their id alone.
pub const LICENSES: &[(&str, &str, &str)] = &[
    (
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International (クリエイティブ・コモンズ 表示 4.0 国際)",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International (クリエイティブ・コモンズ 表示-継承 4.0 国際)",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    (
        "CC-BY-2.1-JP",
        "Creative Commons Attribution 2.1 Japan (クリエイティブ・コモンズ 表示 2.1 日本)",
        "https://creativecommons.org/licenses/by/2.1/jp/",
    ),
    (
        "CC0-1.0",
        "CC0 1.0 Universal (パブリック・ドメイン提供)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    (
        "PDL-1.0",
        "公共データ利用規約(第1.0版) (Public Data License 1.0)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
];

impl PortalMeta {
    /// The flags' values over the file's: each key a flag gives replaces
    /// the file's.
    pub fn over(self, file: PortalMeta) -> PortalMeta {
        PortalMeta {
            title: self.title.or(file.title),
            description: self.description.or(file.description),
            license: self.license.or(file.license),
            publisher: self.publisher.or(file.publisher),
            contact: self.contact.or(file.contact),
            modified: self.modified.or(file.modified),
        }
    }

    /// Each key with its value, in the order of [`KEYS`].
    pub fn values(&self) -> [(&'static str, Option<&String>); 6] {
        [
            ("title", self.title.as_ref()),
            ("description", self.description.as_ref()),
            ("license", self.license.as_ref()),
            ("publisher", self.publisher.as_ref()),
            ("contact", self.contact.as_ref()),
            ("modified", self.modified.as_ref()),
        ]
    }
}

/// What a contact point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// An email address.
    Email,
    /// An http(s) URL.
    Url,
}

/// Whether `contact` is an email address or an http(s) URL (or neither).
pub fn contact_kind(contact: &str) -> Option<Contact> {
    if contact.chars().any(char::is_whitespace) {
        return None;
    }
    if let Some(rest) = contact
        .strip_prefix("https://")
        .or_else(|| contact.strip_prefix("http://"))
    {
        return (!rest.is_empty()).then_some(Contact::Url);
    }
    let (local, domain) = contact.split_once('@')?;
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.');
    ok.then_some(Contact::Email)
}

/// Whether `s` is a real calendar date `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}
