//! Stable IDs for sheets, basic projects and KPIs.
//!
//! An ID must be the same for the same sheet read from its PDF, its
//! workbook or a text export, in any run, under any file name and in any
//! argument order; and it must let open-data users join the CSV tables. So
//! it is built only from what the sheet says and whose sheet it is:
//!
//! - sheet: `CCCCCC-YYYY-hhhhhhhhhhhh`: the municipality code (`000000`
//!   when unknown, which no real code is: its check digit would be 1), the
//!   fiscal year (`0000` when unknown), and 12 hex digits of a SHA-256 over
//!   the code, the fiscal year, the department and the sheet's content;
//! - basic project: the sheet's ID and the project's number (`…-1`);
//! - KPI: the project's ID and the KPI's position in it, from 1 (`…-1-2`).
//!
//! The sheet's content is its basic projects (number, and the first
//! [`CONTENT_CHARS`] characters of name and description run together), or,
//! for a sheet without projects, its directions (not its policy title or
//! heading, which some forms lack). Text is compared with all white space removed: forms differ
//! in where a line breaks (a PDF breaks where the column is full) and
//! whether a break is a space, a line feed or nothing, and in where a name
//! ends and its description begins; they do not differ in the characters.
//! Only the start of each project's text counts, because the end of a long
//! cell is what a printed page cuts off. Raw number forms (`3,878,604` vs
//! `3878604`), list splitting, warnings, the file and the worksheet never
//! enter an ID. The municipality's name does not either: a workbook may
//! name its city on a cover worksheet that its text export lacks; give a
//! code (`--municipality`, `--manifest`) to make IDs unique across cities.
//! For the same reason the code the built-in list gives a cover's name
//! (`municipality::apply_found`) is set on the sheet after its IDs and
//! stays out of them.

use sha2::{Digest, Sha256};

use crate::model::Sheet;

/// How many characters of each basic project's text enter the sheet's ID.
pub const CONTENT_CHARS: usize = 32;

/// The ID prefix used when the municipality code is unknown.
pub const UNKNOWN_CODE: &str = "000000";

/// Sets the IDs of a finished sheet, its basic projects and its KPIs.
/// Call again after the sheet's municipality changes.
pub fn assign(sheet: &mut Sheet) {
    assign_occurrence(sheet, 1);
}

/// Keeps sheet IDs distinct across a run: a sheet whose ID an earlier sheet
/// of the run already has (the same sheet given twice, perhaps in two
/// forms) gets a distinct ID and a `sheet_id_duplicate` warning; the first
/// keeps its ID. Give it the run's sheets in input order.
///
/// ```
/// let bytes = std::fs::read("../../fixtures/iga/000_46863bf7e879b4fa.txt").unwrap();
/// let mut a = hyoka::read("a.txt", &bytes, &Default::default()).unwrap().sheets;
/// let mut b = a.clone();
/// let mut ids = hyoka::ids::DistinctIds::default();
/// ids.apply(&mut a);
/// ids.apply(&mut b);
/// assert_ne!(a[0].id, b[0].id);
/// ```
#[derive(Debug, Default)]
pub struct DistinctIds {
    seen: std::collections::HashMap<String, u32>,
    /// The project evaluations' IDs seen (see `project`'s `apply_projects`).
    pub(crate) projects: std::collections::HashMap<String, u32>,
}

impl DistinctIds {
    /// Makes the IDs of `sheets` distinct from every sheet seen before.
    pub fn apply(&mut self, sheets: &mut [Sheet]) {
        for sheet in sheets {
            let count = self.seen.entry(sheet.id.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                continue;
            }
            let count = *count;
            let first = sheet.id.clone();
            // The code the first ID carries: a code the list gave a cover's
            // name is on the sheet but not in its IDs (see `municipality`).
            let code = first.split('-').next().unwrap_or(UNKNOWN_CODE).to_owned();
            assign_with(sheet, &code, count);
            sheet.warnings.push(crate::warning::Warning::in_file(
                crate::warning::WarningCode::SheetIdDuplicate,
                format!(
                    "an earlier sheet of this import has the same municipality code (or none), \
                     fiscal year, department and content, and so the ID {first}; this sheet's \
                     ID is {} (occurrence {count}); check whether the sheet was meant to be \
                     imported twice, or give each municipality its code",
                    sheet.id
                ),
            ));
            self.seen.entry(sheet.id.clone()).or_insert(1);
        }
    }
}

/// Sets the IDs of the `occurrence`-th sheet of a run with the same
/// content: the first keeps [`sheet_id`]; a later one (the same sheet
/// given twice) gets a hash that also covers its occurrence, so IDs stay
/// unique and keep their shape.
pub fn assign_occurrence(sheet: &mut Sheet, occurrence: u32) {
    let code = stated_code(sheet).to_owned();
    assign_with(sheet, &code, occurrence);
}

/// The sheet's municipality code as it stands, `000000` when unknown.
fn stated_code(sheet: &Sheet) -> &str {
    sheet
        .municipality
        .as_ref()
        .and_then(|m| m.code.as_deref())
        .unwrap_or(UNKNOWN_CODE)
}

fn assign_with(sheet: &mut Sheet, code: &str, occurrence: u32) {
    let id = sheet_id_occurrence(sheet, code, occurrence);
    for project in &mut sheet.basic_projects {
        project.id = format!("{id}-{}", project.number);
        for (i, kpi) in project.kpis.iter_mut().enumerate() {
            kpi.id = format!("{}-{}", project.id, i + 1);
        }
    }
    sheet.id = id;
}

/// The sheet's ID (see the module documentation), from the municipality
/// code the sheet has now: call it before a cover's code is set
/// (`municipality::apply_found`), or after a code is stated.
pub fn sheet_id(sheet: &Sheet) -> String {
    sheet_id_occurrence(sheet, stated_code(sheet), 1)
}

fn sheet_id_occurrence(sheet: &Sheet, code: &str, occurrence: u32) -> String {
    let year = sheet
        .fiscal_year
        .filter(|y| (0..=9999).contains(y))
        .map_or_else(|| "0000".to_owned(), |y| format!("{y:04}"));
    // Fields are separated by control characters no normalized text holds,
    // so moving text from one field to the next changes the key.
    let mut key = String::from("hyoka-sheet-id-v1");
    for part in [code, &year, &squash(&sheet.department, usize::MAX)] {
        key.push('\u{1f}');
        key.push_str(part);
    }
    key.push('\u{1d}');
    if sheet.basic_projects.is_empty() {
        for direction in &sheet.directions {
            key.push_str(&squash(direction, usize::MAX));
        }
        key.push('\u{1e}');
    } else {
        for project in &sheet.basic_projects {
            let text = format!(
                "{}{}",
                project.name,
                project.description.as_deref().unwrap_or("")
            );
            key.push_str(&project.number.to_string());
            key.push('\u{1f}');
            key.push_str(&squash(&text, CONTENT_CHARS));
            key.push('\u{1e}');
        }
    }
    let hash = short_hash(key, occurrence);
    format!("{code}-{year}-{hash}")
}

/// 12 hex digits of a SHA-256 over an ID's key and, from the second
/// occurrence on, the occurrence: the hash part of every ID hyoka makes.
pub(crate) fn short_hash(mut key: String, occurrence: u32) -> String {
    if occurrence > 1 {
        key.push('\u{1c}');
        key.push_str(&occurrence.to_string());
    }
    let digest = Sha256::digest(key.as_bytes());
    let mut hash = String::with_capacity(12);
    for b in &digest[..6] {
        use std::fmt::Write;
        let _ = write!(hash, "{b:02x}");
    }
    hash
}

/// The text without white space, cut after `max` characters.
fn squash(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .take(max)
        .collect()
}

/// Lowercase hex SHA-256 of `bytes`, as `source.sha256` gives it.
///
/// ```
/// assert_eq!(hyoka::sha256_hex(b"").len(), 64);
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write;
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        BasicProject, Format, Improvements, Kpi, Municipality, Source, Survey, Target,
    };

    fn kpi(name: &str) -> Kpi {
        Kpi {
            id: String::new(),
            name: name.into(),
            description: None,
            unit: None,
            baseline: crate::model::Baseline {
                fiscal_year: None,
                value: None,
                raw: None,
            },
            actuals: Vec::new(),
            target: Target {
                value: None,
                raw: None,
                basis: None,
                bound: None,
            },
            assessment: Default::default(),
        }
    }

    fn project(number: u32, name: &str, description: Option<&str>) -> BasicProject {
        BasicProject {
            description_mentions: Vec::new(),
            id: String::new(),
            number,
            name: name.into(),
            description: description.map(Into::into),
            activities: Vec::new(),
            kpis: vec![kpi("a"), kpi("b")],
            effects: Vec::new(),
            issues: Vec::new(),
            improvements: Improvements::default(),
            progress: None,
        }
    }

    fn sheet() -> Sheet {
        Sheet {
            id: String::new(),
            municipality: None,
            source: Source {
                file: "a.txt".into(),
                sha256: "0".repeat(64),
                format: Format::Text,
                encoding: None,
                worksheet: None,
                ordinal: 1,
                rows: [1, 2],
                pages: None,
            },
            heading: None,
            department: "総務部".into(),
            department_label: "主担当部局".into(),
            policy: None,
            fiscal_year: Some(2022),
            directions: vec!["広聴機能を充実させます。".into()],
            basic_projects: vec![
                project(1, "広聴機能", Some("現在運用中の広聴手法を活用しながら")),
                project(2, "広報機能", None),
            ],
            survey: Survey::default(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn ids_nest_and_have_the_documented_shape() {
        let mut s = sheet();
        assign(&mut s);
        assert!(s.id.starts_with("000000-2022-"), "{}", s.id);
        assert_eq!(s.id.len(), "000000-2022-".len() + 12);
        assert_eq!(s.basic_projects[1].id, format!("{}-2", s.id));
        assert_eq!(s.basic_projects[1].kpis[1].id, format!("{}-2-2", s.id));
    }

    #[test]
    fn the_source_and_line_breaks_do_not_change_the_id() {
        let a = sheet_id(&sheet());
        let mut b = sheet();
        b.source.file = "other/name.xlsx".into();
        b.source.format = Format::Xlsx;
        b.source.worksheet = Some("施策1".into());
        b.source.ordinal = 4;
        b.source.rows = [10, 80];
        // The name/description split and the line breaks differ between forms.
        b.basic_projects[0].name = "広聴機能 現在運用中の".into();
        b.basic_projects[0].description = Some("広聴手法を\n活用しながら".into());
        b.directions = vec!["広聴機能を".into(), "充実させます。".into()];
        b.heading = Some("伊賀流自治の視点".into());
        b.municipality = Some(Municipality {
            code: None,
            name: Some("伊賀市".into()),
        });
        assert_eq!(a, sheet_id(&b));
    }

    #[test]
    fn the_tail_of_a_long_description_does_not_change_the_id() {
        let mut a = sheet();
        let mut b = sheet();
        let long = "あ".repeat(CONTENT_CHARS);
        a.basic_projects[0].description = Some(format!("{long}続き"));
        b.basic_projects[0].description = Some(long);
        assert_eq!(sheet_id(&a), sheet_id(&b));
    }

    #[test]
    fn code_year_department_and_content_change_the_id() {
        let base = sheet_id(&sheet());
        let mut s = sheet();
        s.municipality = Some(Municipality {
            code: Some("242161".into()),
            name: None,
        });
        let coded = sheet_id(&s);
        assert!(coded.starts_with("242161-2022-"));
        assert_ne!(coded[12..], base[12..]);
        let mut s = sheet();
        s.fiscal_year = Some(2023);
        assert_ne!(sheet_id(&s)[12..], base[12..]);
        let mut s = sheet();
        s.fiscal_year = None;
        assert!(sheet_id(&s).starts_with("000000-0000-"));
        let mut s = sheet();
        s.department = "財務部".into();
        assert_ne!(sheet_id(&s), base);
        let mut s = sheet();
        s.basic_projects[1].name = "広報".into();
        assert_ne!(sheet_id(&s), base);
        let mut s = sheet();
        s.basic_projects[1].number = 3;
        assert_ne!(sheet_id(&s), base);
    }

    proptest::proptest! {
        /// However a form breaks lines or splits a name from its
        /// description, the ID stays.
        #[test]
        fn white_space_and_the_name_split_never_change_the_id(
            cut in 0usize..40,
            breaks in proptest::collection::vec((0usize..40, proptest::sample::select(vec![" ", "\n", "\u{3000}", "\t"])), 0..6),
        ) {
            let base = sheet();
            let full: Vec<char> = "広聴機能現在運用中の広聴手法を活用しながら".chars().collect();
            let mut text: Vec<String> = full.iter().map(|c| c.to_string()).collect();
            for (at, ws) in &breaks {
                let at = (*at).min(text.len());
                text.insert(at, (*ws).to_owned());
            }
            let cut = cut.min(text.len());
            let mut s = sheet();
            s.basic_projects[0].name = text[..cut].concat();
            let rest = text[cut..].concat();
            s.basic_projects[0].description = (!rest.is_empty()).then_some(rest);
            proptest::prop_assert_eq!(sheet_id(&s), sheet_id(&base));
        }
    }

    #[test]
    fn a_second_occurrence_gets_another_id_of_the_same_shape() {
        let mut a = sheet();
        let mut b = sheet();
        assign(&mut a);
        assign_occurrence(&mut b, 2);
        assert_ne!(a.id, b.id);
        assert_eq!(a.id[..12], b.id[..12]);
        assert_eq!(a.id.len(), b.id.len());
        assert_eq!(b.basic_projects[0].id, format!("{}-1", b.id));
    }

    #[test]
    fn sheets_without_projects_are_told_apart_by_their_directions() {
        let mut a = sheet();
        a.basic_projects.clear();
        let mut b = a.clone();
        b.directions = vec!["別の方針".into()];
        assert_ne!(sheet_id(&a), sheet_id(&b));
        let mut c = a.clone();
        c.directions = vec!["広聴機能を充実 させます。".into()];
        assert_eq!(sheet_id(&a), sheet_id(&c));
    }
}
