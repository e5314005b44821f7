//! Whose sheet it is: the 全国地方公共団体コード and the name a document
//! gives its city.
//!
//! The code is 6 digits: the 5 digits of JIS X 0402 (2 for the prefecture,
//! 3 for the municipality) and a check digit. The check digit weights the
//! five digits 6, 5, 4, 3, 2, takes the remainder `r` of their sum by 11,
//! and is the last digit of `11 − r` (so `r = 0` gives 1 and `r = 1` gives
//! 0): 伊賀市 is 242161, 千代田区 131016, 札幌市 011002.

use crate::grid::{Cell, Grid};
use crate::model::{Municipality, Sheet};
use crate::warning::{Warning, WarningCode};

/// A municipality's name as stated by a user (`--municipality-name`, a
/// manifest), normalized like the document's text so the two join.
///
/// ```
/// assert_eq!(hyoka::municipality::normalize_name("　伊賀市 "), "伊賀市");
/// ```
pub fn normalize_name(name: &str) -> String {
    crate::normalize::text(name)
}

/// The check digit of a 5-digit JIS X 0402 code, or `None` when `five` is
/// not 5 ASCII digits.
pub fn check_digit(five: &str) -> Option<u8> {
    let digits = five.as_bytes();
    if digits.len() != 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = digits
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(((11 - sum % 11) % 10) as u8)
}

/// Why a municipality code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// Not 6 ASCII digits.
    #[error(
        "`{0}` is not a 全国地方公共団体コード: give its 6 digits (伊賀市 is 242161); \
         a 5-digit JIS X 0402 code needs its check digit"
    )]
    Shape(String),
    /// The sixth digit is not the check digit of the first five.
    #[error(
        "`{code}` has a wrong check digit: the code for {five} ends in {expected} \
         ({five}{expected}); check the code against the official list"
    )]
    CheckDigit {
        /// The code given.
        code: String,
        /// Its first five digits.
        five: String,
        /// The check digit they need.
        expected: u8,
    },
}

impl CodeError {
    /// The refusal in Japanese, with what to give instead.
    ///
    /// ```
    /// let e = hyoka::municipality::CodeError::Shape("123".into());
    /// assert!(e.message_ja().contains("6 桁"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            CodeError::Shape(text) => format!(
                "`{text}` は全国地方公共団体コードではありません。6 桁で指定してください(伊賀市は 242161)。\
                 5 桁の JIS X 0402 コードには検査数字を付けてください"
            ),
            CodeError::CheckDigit {
                code,
                five,
                expected,
            } => format!(
                "`{code}` の検査数字が違います。{five} で始まるコードの末尾は {expected} です({five}{expected})。\
                 公式の一覧でコードを確かめてください"
            ),
        }
    }
}

/// Checks a 6-digit 全国地方公共団体コード (surrounding white space and
/// full-width digits are accepted) and returns it in ASCII.
///
/// ```
/// assert_eq!(hyoka::municipality::parse_code(" ２４２１６１ ").unwrap(), "242161");
/// assert!(hyoka::municipality::parse_code("242162").is_err()); // check digit
/// ```
pub fn parse_code(text: &str) -> Result<String, CodeError> {
    let code: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::Shape(text.trim().to_owned()));
    }
    let five = code[..5].to_owned();
    let expected = check_digit(&five).expect("five ASCII digits");
    if code.as_bytes()[5] - b'0' != expected {
        return Err(CodeError::CheckDigit {
            code,
            five,
            expected,
        });
    }
    Ok(code)
}

/// A municipality name found in a document, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The name as written (normalized).
    pub name: String,
    /// Where: the worksheet (workbooks) and the row.
    pub worksheet: Option<String>,
    /// The row (text line or worksheet row), 1-based.
    pub row: u32,
}

/// How many rows of a cover are searched: a title page is short, and a
/// long page of text is no cover.
const COVER_ROWS: usize = 40;

/// The municipality a cover page names: rows that read like a title page
/// of the evaluation (a cell holding `評価`, such as `令和4年度 施策評価シート`)
/// and a word that is a municipality's name (`伊賀市`, `三重県伊賀市`,
/// `千代田区`, `○○町`, `○○村`), in the same cell or another. `rows` are the
/// grid rows before the first sheet (or the whole of a worksheet without
/// one). The first name in reading order wins.
pub fn on_cover(grid: &Grid, rows: std::ops::Range<usize>) -> Option<(String, u32)> {
    let rows = &grid.rows[rows.start.min(grid.rows.len())..rows.end.min(grid.rows.len())];
    let rows = &rows[..rows.len().min(COVER_ROWS)];
    let texts = || {
        rows.iter().flat_map(|r| {
            r.cells.iter().filter_map(move |c| match c {
                Cell::Text(t) => Some((t.as_str(), r.number)),
                _ => None,
            })
        })
    };
    if !texts().any(|(t, _)| TITLE_MARKS.iter().any(|m| t.contains(m))) {
        return None;
    }
    texts().find_map(|(text, row)| {
        words(text)
            .map(after_title)
            .find(|word| is_municipality_name(word))
            .map(|word| (word.to_owned(), row))
    })
}

/// The municipality named on a grid's cover: the rows before the first of
/// `sheets` (the sheets read from this grid), or the whole grid when it
/// holds none (a workbook's cover worksheet). A cover's title often reads
/// like a sheet's heading, so the sheet may have taken a few of its lines
/// as its own first rows: those are searched too.
pub fn on_grid_cover(grid: &Grid, sheets: &[Sheet]) -> Option<(String, u32)> {
    let Some(first) = sheets.first() else {
        return on_cover(grid, 0..grid.rows.len());
    };
    let start = grid
        .rows
        .partition_point(|r| r.number < first.source.rows[0]);
    let mut end = start;
    let mut taken = 0;
    while end < grid.rows.len() && taken < FIRST_SHEET_ROWS {
        if !grid.rows[end].is_blank() {
            taken += 1;
        }
        end += 1;
    }
    on_cover(grid, 0..end)
}

/// How many of a sheet's first rows may be cover lines it took as its own
/// (the segmenter takes up to three title-like rows above the label).
const FIRST_SHEET_ROWS: usize = 3;

/// What a cover says: the document is an evaluation (施策評価シート, 評価表,
/// 評価調書), or of a fiscal year (`令和4年度`). Only `評価` is required of a
/// title, and a year alone will do, because a printed cover may clip its
/// title (the corpus PDF's cover reads `施策評価シ`, LibreOffice's prints of
/// the workbook keep only `令和4年度` and the city's name).
const TITLE_MARKS: [&str; 2] = ["評価", "年度"];

/// A word with the document's title cut off its front: a printed cover
/// clipped by its cell can glue the title to the name
/// (`施策評価シ伊賀市`, `施策評価シート伊賀市`).
fn after_title(word: &str) -> &str {
    let Some(at) = word.rfind("評価") else {
        return word;
    };
    let rest = &word[at + "評価".len()..];
    ["シート", "シ", "表", "書"]
        .iter()
        .find_map(|tail| rest.strip_prefix(tail))
        .unwrap_or(rest)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == '・' || c == '|')
}

/// Whether a word is a municipality's name: 2 to 12 kanji or kana ending in
/// 市, 区, 町 or 村 (optionally after a prefecture, 三重県伊賀市), and not a
/// common word that ends the same way (都市, 市町村, 本市, 政令市).
pub fn is_municipality_name(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    if !(2..=12).contains(&chars.len()) {
        return false;
    }
    let Some(&last) = chars.last() else {
        return false;
    };
    if !matches!(last, '市' | '区' | '町' | '村') {
        return false;
    }
    const NOT_NAMES: [&str; 22] = [
        "都市",
        "市町村",
        "区市町村",
        "市区町村",
        "地区",
        "各市町村",
        "本市",
        "当市",
        "全市",
        "各市",
        "同市",
        "他市",
        "本区",
        "当区",
        "各区",
        "本町",
        "当町",
        "本村",
        "当村",
        "特別区",
        "政令市",
        "中核市",
    ];
    if NOT_NAMES.contains(&word) {
        return false;
    }
    chars
        .iter()
        .all(|&c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{3005}'))
}

/// Gives every sheet without a municipality the name a document's cover
/// gives, with a `municipality_from_document` warning. The code stays
/// unknown: a name does not settle it (府中市 is in Tokyo and in Hiroshima).
pub fn apply_found(sheets: &mut [Sheet], found: &Found) {
    for sheet in sheets.iter_mut().filter(|s| s.municipality.is_none()) {
        sheet.municipality = Some(Municipality {
            code: None,
            name: Some(found.name.clone()),
        });
        let place = match &found.worksheet {
            Some(ws) => format!("worksheet {ws}, row {}", found.row),
            None => format!("row {}", found.row),
        };
        let message = format!(
            "the municipality's name {} was taken from the document's cover ({place}); \
             its code is unknown: give --municipality CODE or a --manifest to state both",
            found.name
        );
        // A workbook's cover row is on another worksheet than the sheet,
        // so the row goes in the message, not in `row`.
        sheet.warnings.push(match found.worksheet {
            Some(_) => Warning::in_file(WarningCode::MunicipalityFromDocument, message),
            None => Warning::at_row(WarningCode::MunicipalityFromDocument, found.row, message),
        });
    }
}

/// Sets the municipality the user stated on every sheet and renews the IDs.
/// A name found in the document fills in a missing name (its warning stays,
/// since the name is still the document's); a stated name replaces it, and
/// the warning about it goes, since nothing was guessed.
pub fn apply_given(sheets: &mut [Sheet], given: &Municipality) {
    for sheet in sheets.iter_mut() {
        let found = sheet.municipality.take().and_then(|m| m.name);
        let name = match (&given.name, found) {
            (Some(name), _) => {
                sheet
                    .warnings
                    .retain(|w| w.code != WarningCode::MunicipalityFromDocument);
                Some(name.clone())
            }
            (None, found) => found,
        };
        sheet.municipality = (given.code.is_some() || name.is_some()).then(|| Municipality {
            code: given.code.clone(),
            name,
        });
        crate::ids::assign(sheet);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_title_glued_to_the_name_is_cut_off() {
        assert_eq!(after_title("施策評価シ伊賀市"), "伊賀市");
        assert_eq!(after_title("施策評価シート伊賀市"), "伊賀市");
        assert_eq!(after_title("伊賀市"), "伊賀市");
        assert!(!is_municipality_name(after_title("施策評価シート")));
    }
    use super::*;
    use crate::grid::Row;
    use proptest::prelude::*;

    #[test]
    fn known_codes_have_their_check_digits() {
        assert_eq!(check_digit("24216"), Some(1));
        assert_eq!(check_digit("13101"), Some(6));
        assert_eq!(check_digit("01100"), Some(2));
        for code in ["242161", "131016", "011002"] {
            assert_eq!(parse_code(code).as_deref(), Ok(code));
        }
        assert_eq!(parse_code(" ２４２１６１ ").as_deref(), Ok("242161"));
    }

    #[test]
    fn remainders_zero_and_one_give_one_and_zero() {
        // 00000: sum 0, r = 0, 11 − 0 = 11, last digit 1.
        assert_eq!(check_digit("00000"), Some(1));
        // 00005: sum 10, r = 10, 11 − 10 = 1. 10000: sum 6, 11 − 6 = 5.
        assert_eq!(check_digit("00005"), Some(1));
        assert_eq!(check_digit("10000"), Some(5));
        // 00006: sum 12, r = 1, 11 − 1 = 10, last digit 0.
        assert_eq!(check_digit("00006"), Some(0));
    }

    #[test]
    fn wrong_codes_are_refused_with_the_right_digit() {
        let err = parse_code("242162").unwrap_err();
        assert_eq!(
            err,
            CodeError::CheckDigit {
                code: "242162".into(),
                five: "24216".into(),
                expected: 1
            }
        );
        assert!(err.to_string().contains("242161"), "{err}");
        for bad in ["24216", "2421610", "24216a", "", "伊賀市"] {
            assert!(matches!(parse_code(bad), Err(CodeError::Shape(_))), "{bad}");
        }
        assert_eq!(check_digit("1234"), None);
    }

    proptest! {
        #[test]
        fn exactly_one_sixth_digit_is_accepted(five in "[0-9]{5}") {
            let accepted: Vec<u8> = (0..10u8)
                .filter(|d| parse_code(&format!("{five}{d}")).is_ok())
                .collect();
            prop_assert_eq!(accepted, vec![check_digit(&five).unwrap()]);
        }

        #[test]
        fn the_check_digit_follows_the_formula(five in "[0-9]{5}") {
            let sum: u32 = five.bytes().zip([6u32, 5, 4, 3, 2]).map(|(d, w)| u32::from(d - b'0') * w).sum();
            let r = sum % 11;
            let expected = match r { 0 => 1, 1 => 0, r => 11 - r };
            prop_assert_eq!(u32::from(check_digit(&five).unwrap()), expected);
        }

        #[test]
        fn any_text_is_refused_or_accepted_without_panic(text in "\\PC{0,12}") {
            let _ = parse_code(&text);
        }
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| {
                    Row::new(i as u32 + 1, cells.iter().map(|c| Cell::text(c)).collect())
                })
                .collect(),
        }
    }

    #[test]
    fn a_cover_names_its_city() {
        let g = grid(&[&["令和4年度 施策評価シート 伊賀市"]]);
        assert_eq!(on_cover(&g, 0..1), Some(("伊賀市".into(), 1)));
        let g = grid(&[&[], &["", "令和4年度 施策評価シート"], &[], &["", "伊賀市"]]);
        assert_eq!(on_cover(&g, 0..4), Some(("伊賀市".into(), 4)));
        let g = grid(&[&["施策評価シート", "三重県伊賀市"]]);
        assert_eq!(on_cover(&g, 0..1), Some(("三重県伊賀市".into(), 1)));
        // The corpus PDF's cover, its title clipped by the page.
        let g = grid(&[&["令和4年度"], &["施策評価シ"], &["伊賀市"]]);
        assert_eq!(on_cover(&g, 0..3), Some(("伊賀市".into(), 3)));
    }

    #[test]
    fn pages_that_are_no_cover_name_no_city() {
        // No title: a drop-down list or a table of contents.
        let g = grid(&[&["計画通り進めている"], &["伊賀市"]]);
        assert_eq!(on_cover(&g, 0..2), None);
        // 評価 but no city's name.
        let g = grid(&[&["施策評価シート"], &["都市計画の推進"], &["市町村"]]);
        assert_eq!(on_cover(&g, 0..3), None);
        assert_eq!(on_cover(&g, 5..9), None);
    }

    const SHEET: &str = "伊賀流自治の視点\n【主担当部局】\n総務部\n- ・ 広聴機能を充実させます。\n\
        【PLAN】\t\t【DO】\t【CHECK①】\n基本事業\t\t2022(R4)年度の事務事業\tKPI(成果指標)\n\
        1\t広聴機能 説明\t○広聴業務経費\t成果指標\t意見件数\n\
        \t\t\t\t現状値\t2021(R3)\t2022(R4)\t目標値(単年)\n\
        \t\t\t実績(件)\t769\t956\t969\t900\n";

    #[test]
    fn a_cover_in_a_text_export_names_the_city_with_a_warning() {
        let plain = crate::read("a.txt", SHEET.as_bytes(), &Default::default()).unwrap();
        assert_eq!(plain.sheets[0].municipality, None);
        // A city's name in the sheet's own heading is no cover.
        let own = format!("住みよい伊賀市\n{SHEET}");
        let doc = crate::read("a.txt", own.as_bytes(), &Default::default()).unwrap();
        assert_eq!(doc.sheets[0].municipality, None);
        for (text, row) in [
            // A cover page, then the sheet.
            (
                format!("令和4年度\n施策評価シート\n\n伊賀市\n\n\n\n{SHEET}"),
                4,
            ),
            // A cover line run straight into the sheet.
            (format!("令和4年度 施策評価シート 伊賀市\n{SHEET}"), 1),
        ] {
            let doc = crate::read("a.txt", text.as_bytes(), &Default::default()).unwrap();
            let sheet = &doc.sheets[0];
            assert_eq!(
                sheet.municipality,
                Some(Municipality {
                    code: None,
                    name: Some("伊賀市".into())
                }),
                "{text}"
            );
            let w = sheet
                .warnings
                .iter()
                .find(|w| w.code == WarningCode::MunicipalityFromDocument)
                .expect("a warning");
            assert_eq!(w.row, Some(row));
            // The cover changes no ID.
            assert_eq!(sheet.id, plain.sheets[0].id);
        }
    }

    #[test]
    fn a_stated_municipality_renews_ids_and_drops_the_guess() {
        let text = format!("令和4年度 施策評価シート 伊賀市\n{SHEET}");
        let mut doc = crate::read("a.txt", text.as_bytes(), &Default::default()).unwrap();
        let given = Municipality {
            code: Some("242161".into()),
            name: Some("伊賀市".into()),
        };
        apply_given(&mut doc.sheets, &given);
        let sheet = &doc.sheets[0];
        assert_eq!(sheet.municipality.as_ref(), Some(&given));
        assert!(sheet.id.starts_with("242161-2022-"));
        assert!(sheet.basic_projects[0].kpis[0].id.starts_with(&sheet.id));
        assert!(
            !sheet
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::MunicipalityFromDocument)
        );
    }

    #[test]
    fn municipality_names() {
        for name in [
            "伊賀市",
            "千代田区",
            "奥多摩町",
            "檜原村",
            "三重県伊賀市",
            "市川市",
        ] {
            assert!(is_municipality_name(name), "{name}");
        }
        for word in [
            "市",
            "都市",
            "市町村",
            "施策評価シート",
            "Iga市",
            "令和4年度",
            "地区",
        ] {
            assert!(!is_municipality_name(word), "{word}");
        }
    }
}
