//! Project evaluations (事務事業評価) read from list workbooks.
//!
//! The real list of 大船渡市 (令和7年度, 407 projects) is not in the
//! repository: it holds officials' names and telephone numbers. The test
//! reads it from `../shared/real/ofunato-r7/` beside the repository when it
//! is there, and says that it skipped otherwise. Every project is checked
//! against values this test reads from the workbook itself, with calamine
//! and its own simple lookup of header cells, not through hyoka.
//!
//! The fictional list `fixtures/projects/` (made by its `make_fixtures.py`)
//! is the golden case of another layout: years in a merged row over each
//! block, other labels.

mod support;

use calamine::{Data, Reader, Xlsx};
use hyoka::project::{IndicatorKind, ProjectEvaluation};
use hyoka::warning::WarningCode;
use std::collections::BTreeMap;
use support::root;
use unicode_normalization::UnicodeNormalization;

const REAL: &str = "../shared/real/ofunato-r7/ofunato-r7-jimujigyo-hyoka.xlsx";

const GOLD: &str = "../shared/jimu-sheets/gold.json";

/// The columns whose contents are personal data: never in any output.
const PERSONAL: [&str; 5] = ["課長名", "係名", "担当者", "電話", "内線"];

fn real_workbook() -> Option<Vec<u8>> {
    let path = root().join(REAL);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!(
                "SKIPPED: {} is absent (the real 大船渡 workbook is not part of the repository)",
                path.display()
            );
            None
        }
    }
}

/// NFKC with the circled numbers kept, every run of white space one space,
/// trimmed: the normalization of SHEET-SPEC §3 and §7, written again here.
fn norm(s: &str) -> String {
    // NFKC over the runs between circled numbers (it composes across
    // characters: サ + ◌゙ is ザ).
    let mut nfkc = String::new();
    let mut run = String::new();
    for c in s.chars() {
        if ('\u{2460}'..='\u{2473}').contains(&c) {
            nfkc.extend(run.nfkc());
            run.clear();
            nfkc.push(c);
        } else {
            run.push(c);
        }
    }
    nfkc.extend(run.nfkc());
    let mut out = String::new();
    let mut space: Option<char> = None;
    for c in nfkc.chars() {
        if c.is_whitespace() {
            // Line breaks fold to a space too: records hold one line.
            space = Some(' ');
        } else {
            if let Some(sp) = space.take()
                && !out.is_empty()
            {
                out.push(sp);
            }
            out.push(c);
        }
    }
    out
}

/// A header as this test compares it: normalized, without white space.
fn header(d: &Data) -> String {
    match d {
        Data::String(s) => norm(s).chars().filter(|c| !c.is_whitespace()).collect(),
        _ => String::new(),
    }
}

/// A text cell as the contract wants it: empty and a bare 0 are no text.
fn text(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) => norm(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        other => other.to_string(),
    };
    (!s.is_empty() && s != "0").then_some(s)
}

const DASHES: [&str; 5] = ["-", "－", "―", "‐", "–"];

/// A value cell: (value, is a dash).
fn number(d: &Data) -> (Option<f64>, bool) {
    match d {
        Data::Int(i) => (Some(*i as f64), false),
        Data::Float(f) => (Some(*f), false),
        Data::String(s) => {
            let n = norm(s);
            let t = n.as_str();
            // NFKC made `－` a `-`: the dash is looked for as written too.
            if DASHES.contains(&t) || DASHES.contains(&s.trim()) {
                return (None, true);
            }
            (t.replace(',', "").parse::<f64>().ok(), false)
        }
        _ => (None, false),
    }
}

/// Equal, up to the rounding to the 15 significant digits spreadsheet
/// programs show (which the reader applies).
fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
        (a, b) => a == b,
    }
}

/// 部課名 split as SHEET-SPEC §7 says, written again.
fn split(whole: &str) -> (String, Option<String>) {
    for (i, _) in whole.char_indices() {
        for ending in ["委員会事務局", "委員会", "広域連合", "部"] {
            if whole[i..].starts_with(ending) {
                let end = i + ending.len();
                let section = whole[end..].trim();
                return (
                    whole[..end].trim().to_owned(),
                    (!section.is_empty()).then(|| section.to_owned()),
                );
            }
        }
    }
    (whole.to_owned(), None)
}

struct Sheet {
    rows: Vec<Vec<Data>>,
    header_row: usize,
}

impl Sheet {
    fn columns(&self, label: &str) -> Vec<usize> {
        self.rows[self.header_row]
            .iter()
            .enumerate()
            .filter(|(_, d)| header(d) == label)
            .map(|(i, _)| i)
            .collect()
    }
    fn column(&self, label: &str) -> usize {
        let found = self.columns(label);
        assert_eq!(found.len(), 1, "{label}: {found:?}");
        found[0]
    }
}

fn read_real(bytes: &[u8]) -> Sheet {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    // Rows and columns as the worksheet numbers them, from A1.
    let (r0, c0) = range.start().unwrap();
    let mut rows: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
    for r in range.rows() {
        let mut row = vec![Data::Empty; c0 as usize];
        row.extend(r.iter().cloned());
        rows.push(row);
    }
    let header_row = rows
        .iter()
        .position(|r| r.iter().any(|d| header(d) == "事務事業名"))
        .unwrap();
    Sheet { rows, header_row }
}

fn read_with_hyoka(bytes: &[u8]) -> hyoka::Document {
    hyoka::read("ofunato.xlsx", bytes, &Default::default()).unwrap()
}

#[test]
fn the_real_list_gives_all_407_projects_as_the_workbook_holds_them() {
    let Some(bytes) = real_workbook() else {
        return;
    };
    let sheet = read_real(&bytes);
    let doc = read_with_hyoka(&bytes);
    assert!(doc.sheets.is_empty());
    let projects = &doc.project_evaluations;
    assert_eq!(projects.len(), 407);
    // Every year's costs add up (事業費計 = its sources, トータルコスト =
    // 事業費 + 人件費): the cost columns were read in their places.
    let mismatched: Vec<&str> = projects
        .iter()
        .filter(|p| {
            p.warnings
                .iter()
                .any(|w| w.code == hyoka::warning::WarningCode::CostSumMismatch)
        })
        .map(|p| p.project.code.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(mismatched, Vec::<&str>::new());

    let c = |l: &str| sheet.column(l);
    let (c_year, c_code, c_name, c_dept) =
        (c("年度"), c("事務事業ID"), c("事務事業名"), c("部課名"));
    let plan = [
        ("政策番号十の位", "政策番号一の位", "政策名"),
        ("施策番号十の位", "施策番号一の位", "施策名"),
        ("基本事業番号十の位", "基本事業番号一の位", "基本事業名"),
    ];
    let cost_labels = [
        "国庫支出金",
        "都道府県支出金",
        "地方債",
        "その他",
        "一般財源",
        "事業費計(A)",
        "正規職員従事人数",
        "延べ業務時間",
        "人件費計(B)",
        "トータルコスト(A)+(B)",
    ];
    let cost_columns: Vec<Vec<usize>> = cost_labels.iter().map(|l| sheet.columns(l)).collect();
    for cols in &cost_columns {
        assert_eq!(cols.len(), 6, "six yearly blocks");
    }
    let kinds = [
        (
            "⑤活動指標",
            "⑤活動指標(事務事業の活動量を表す指標)",
            ["ア", "イ", "ウ"],
        ),
        (
            "⑥対象指標",
            "⑥対象指標(対象の大きさを表す指標)",
            ["カ", "キ", "ク"],
        ),
        (
            "⑦成果指標",
            "⑦成果指標(対象における意図の達成度を表す指標)",
            ["サ", "シ", "ス"],
        ),
    ];
    let (mut zeros, mut dashes, mut seen_zeros, mut seen_dashes) = (0, 0, 0, 0);
    let (mut split_sections, mut whole_departments) = (0, 0);
    for (i, p) in projects.iter().enumerate() {
        let row = &sheet.rows[sheet.header_row + 1 + i];
        let at = |col: usize| row.get(col).unwrap_or(&Data::Empty);
        let place = format!("row {} ({})", sheet.header_row + 2 + i, p.project.name);
        assert_eq!(
            p.source.rows,
            [(sheet.header_row + 2 + i) as u32; 2],
            "{place}"
        );
        // 年度 7 is 令和7 = 2025.
        let year = 2018 + number(at(c_year)).0.unwrap() as i32;
        assert_eq!(p.fiscal_year, Some(year), "{place}");
        let code = match at(c_code) {
            Data::String(s) => s.clone(),
            Data::Int(n) => n.to_string(),
            Data::Float(f) => (*f as i64).to_string(),
            other => panic!("{place}: code {other:?}"),
        };
        assert_eq!(p.project.code.as_deref(), Some(code.as_str()), "{place}");
        assert_eq!(p.project.name, norm(&at(c_name).to_string()), "{place}");
        for (k, (tens, ones, name)) in plan.iter().enumerate() {
            let got = [&p.policy, &p.measure, &p.basic_project][k]
                .as_ref()
                .unwrap();
            let t = number(at(c(tens))).0.unwrap_or(0.0) as u32;
            let o = number(at(c(ones))).0.map(|o| o as u32);
            assert_eq!(got.number, o.map(|o| 10 * t + o), "{place} {name}");
            assert_eq!(got.name, text(at(c(name))), "{place} {name}");
        }
        let (department, section) = split(&norm(&at(c_dept).to_string()));
        assert_eq!(
            p.department.as_deref(),
            Some(department.as_str()),
            "{place}"
        );
        assert_eq!(p.section, section, "{place}");
        if section.is_some() {
            split_sections += 1;
        } else {
            whole_departments += 1;
        }
        // Costs: one entry per block, 2020..2025.
        assert_eq!(p.costs.len(), 6, "{place}");
        for (b, cost) in p.costs.iter().enumerate() {
            assert_eq!(cost.fiscal_year, Some(2020 + b as i32), "{place}");
            let got = [
                cost.national,
                cost.prefectural,
                cost.bonds,
                cost.other,
                cost.general,
                cost.project_total,
                cost.staff,
                cost.hours,
                cost.personnel_cost,
                cost.total,
            ];
            for (f, cols) in cost_columns.iter().enumerate() {
                let (want, dash) = number(at(cols[b]));
                zeros += usize::from(want == Some(0.0));
                dashes += usize::from(dash);
                seen_zeros += usize::from(got[f].map(|n| n.get()) == Some(0.0));
                assert!(
                    close(got[f].map(|n| n.get()), want),
                    "{place} {} {b}: {:?} {want:?}",
                    cost_labels[f],
                    got[f]
                );
            }
        }
        // Indicators: a slot with a name, or a value other than zero.
        let mut want_slots = Vec::new();
        for (kind, (value_label, name_label, slots)) in IndicatorKind::ALL.iter().zip(kinds) {
            for slot in slots {
                let name = text(at(c(&format!("{name_label}{slot}:名称"))));
                let unit = text(at(c(&format!("{name_label}{slot}:単位"))));
                let cols = sheet.columns(&format!("{value_label}{slot}"));
                assert_eq!(cols.len(), 6);
                let values: Vec<(Option<f64>, bool)> =
                    cols.iter().map(|&c| number(at(c))).collect();
                let real = values.iter().any(|(v, _)| v.is_some_and(|v| v != 0.0))
                    || cols.iter().any(|&c| {
                        matches!(at(c), Data::String(s) if !s.trim().is_empty()
                            && number(at(c)) == (None, false))
                    });
                if name.is_none() && !real {
                    continue;
                }
                want_slots.push((*kind, slot.to_string(), name, unit, values));
            }
        }
        assert_eq!(p.indicators.len(), want_slots.len(), "{place}");
        for (got, (kind, slot, name, unit, values)) in p.indicators.iter().zip(want_slots) {
            assert_eq!((got.kind, &got.slot), (kind, &slot), "{place}");
            assert_eq!(got.name, name, "{place} {slot}");
            assert_eq!(got.unit, unit, "{place} {slot}");
            assert_eq!(got.values.len(), 6, "{place} {slot}");
            for (b, (v, (want, dash))) in got.values.iter().zip(values).enumerate() {
                assert_eq!(v.fiscal_year, Some(2020 + b as i32));
                // The reader rounds to the 15 digits spreadsheets show.
                assert!(
                    close(v.value.map(|n| n.get()), want),
                    "{place} {slot} block {b}: {:?} {want:?}",
                    v.value
                );
                if dash {
                    seen_dashes += 1;
                    assert!(
                        v.raw.as_deref().is_some_and(|r| r.chars().count() == 1),
                        "{place}"
                    );
                }
                seen_zeros += usize::from(v.value.map(|n| n.get()) == Some(0.0));
                zeros += usize::from(want == Some(0.0));
            }
        }
        // The eight aspects, each with its rating and the comment beside it.
        assert_eq!(p.evaluation.len(), 8, "{place}");
        for (n, a) in p.evaluation.iter().enumerate() {
            assert_eq!(a.number, n as u32 + 1);
            let col = sheet.rows[sheet.header_row]
                .iter()
                .position(|d| {
                    header(d).ends_with(&a.aspect)
                        && header(d).starts_with(char::from_u32(0x2460 + n as u32).unwrap())
                })
                .unwrap_or_else(|| panic!("aspect {}", a.aspect));
            assert_eq!(a.rating, text(at(col)), "{place} aspect {n}");
            assert_eq!(a.comment, text(at(col + 1)), "{place} aspect {n}");
        }
        assert_eq!(p.direction, text(at(c("(1)改革改善の方向性"))), "{place}");
        assert_eq!(
            p.manager_direction,
            text(at(c("4課長等意見(1)今後の方向性"))),
            "{place}"
        );
    }
    // Every dash of the indicator values was seen (those in costs are null too).
    assert!(dashes > 0 && seen_dashes > 0);
    assert_eq!(zeros, seen_zeros, "every 0 is kept as 0");
    assert!(zeros > 1000, "{zeros}");
    assert!(split_sections > 300 && whole_departments > 10);
    eprintln!(
        "checked 407 projects: {zeros} zeros, {dashes} dashes, {split_sections} split 部課名, \
         {whole_departments} whole"
    );
}

#[test]
fn the_real_list_never_outputs_personal_columns() {
    let Some(bytes) = real_workbook() else {
        return;
    };
    let sheet = read_real(&bytes);
    let doc = read_with_hyoka(&bytes);
    let json = serde_json::to_string(&doc.project_evaluations).unwrap()
        + &serde_json::to_string(&doc.warnings).unwrap();
    // Desk names (総務係) also stand in public cells (部課名, comments):
    // only what the public columns never hold is looked for.
    let personal: Vec<usize> = PERSONAL.iter().map(|l| sheet.column(l)).collect();
    let mut public = String::new();
    for row in &sheet.rows[sheet.header_row + 1..] {
        for (c, d) in row.iter().enumerate() {
            if !personal.contains(&c) {
                public.push_str(&norm(&d.to_string()));
                public.push('\u{1f}');
            }
        }
    }
    let mut checked = 0;
    for label in PERSONAL {
        let col = sheet.column(label);
        for row in &sheet.rows[sheet.header_row + 1..] {
            // Short values (an extension `124`) may occur anywhere by
            // chance: the names and telephone numbers are what must not.
            if let Some(v) = text(row.get(col).unwrap_or(&Data::Empty))
                && v.chars().count() >= 4
                && !v.chars().all(|c| c.is_ascii_digit())
                && !public.contains(&v)
            {
                checked += 1;
                assert!(!json.contains(&v), "a {label} value is in the output");
                let squeezed: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    !json.contains(&squeezed),
                    "a {label} value is in the output"
                );
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn the_real_list_says_where_its_years_came_from() {
    let Some(bytes) = real_workbook() else {
        return;
    };
    let doc = read_with_hyoka(&bytes);
    let codes: Vec<WarningCode> = doc.warnings.iter().map(|w| w.code).collect();
    assert!(
        codes.contains(&WarningCode::ProjectYearsFromTemplate),
        "{codes:?}"
    );
    assert!(
        codes.contains(&WarningCode::ProjectYearEraAssumed),
        "{codes:?}"
    );
    // The lone トータルコスト after the 全体計画 columns is not a year.
    assert!(
        codes.contains(&WarningCode::ProjectColumnIgnored),
        "{codes:?}"
    );
    // The uncomputed duplicate-check formulas of column B are summed up once.
    let formulas: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::FormulaNotComputed)
        .collect();
    assert!(formulas.len() <= 1, "{formulas:?}");
    for w in formulas {
        assert!(w.message.contains("cells of column B"), "{}", w.message);
    }
    // `29(4)`: null, raw kept, a warning at its cell.
    let odd: Vec<&ProjectEvaluation> = doc
        .project_evaluations
        .iter()
        .filter(|p| {
            p.indicators
                .iter()
                .any(|i| i.values.iter().any(|v| v.raw.as_deref() == Some("29(4)")))
        })
        .collect();
    assert!(!odd.is_empty());
    for p in odd {
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == WarningCode::ValueNotANumber && w.message.contains("29(4)"))
        );
    }
    // The project whose code is the number 0.
    let zero = doc
        .project_evaluations
        .iter()
        .find(|p| p.project.code.as_deref() == Some("0"))
        .unwrap();
    assert!(
        zero.warnings
            .iter()
            .any(|w| w.code == WarningCode::ProjectCodeNumeric)
    );
    // IDs are unique and in the documented shape.
    let mut ids: Vec<&str> = doc
        .project_evaluations
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 407);
}

/// The five projects of `jimu-sheets/gold.json` give the same values from
/// the list (compared by value: `raw` differs between forms).
#[test]
fn the_real_list_agrees_with_the_gold_records() {
    let Some(bytes) = real_workbook() else {
        return;
    };
    let Ok(gold) = std::fs::read_to_string(root().join(GOLD)) else {
        eprintln!("SKIPPED: {GOLD} is absent");
        return;
    };
    let gold: serde_json::Value = serde_json::from_str(&gold).unwrap();
    let doc = read_with_hyoka(&bytes);
    let by_code: BTreeMap<&str, &ProjectEvaluation> = doc
        .project_evaluations
        .iter()
        .filter_map(|p| Some((p.project.code.as_deref()?, p)))
        .collect();
    for record in gold["records"].as_array().unwrap() {
        let code = record["project"]["code"].as_str().unwrap();
        let p = by_code[code];
        let mut ours = serde_json::to_value(p).unwrap();
        let mut theirs = record.clone();
        for v in [&mut ours, &mut theirs] {
            let o = v.as_object_mut().unwrap();
            for key in [
                "id",
                "municipality",
                "source",
                "warnings",
                "source_sheet",
                "legal_basis",
                "period",
                "category",
                "overview",
                "means",
                "target",
                "intent",
                "result",
                "background",
                "expected",
                "issues",
                "manager_summary",
            ] {
                o.remove(key);
            }
            for ind in o["indicators"].as_array_mut().unwrap() {
                let ind = ind.as_object_mut().unwrap();
                ind.remove("id");
                for value in ind["values"].as_array_mut().unwrap() {
                    value.as_object_mut().unwrap().remove("raw");
                }
            }
        }
        assert_eq!(ours, theirs, "project {code}");
    }
}

const FIXTURE: &str = "fixtures/projects/kaku-r6-list.xlsx";

const FIXTURE_GOLDEN: &str = "fixtures/projects/kaku-r6-list.expected.json";

fn fixture() -> hyoka::Document {
    let bytes = std::fs::read(root().join(FIXTURE)).unwrap();
    hyoka::read(FIXTURE, &bytes, &Default::default()).unwrap()
}

/// The fictional list in another layout, record for record as reviewed
/// (`UPDATE_GOLDEN=1` writes the file again, to be read before committing).
#[test]
fn the_fictional_list_gives_the_reviewed_records() {
    let doc = fixture();
    let got = serde_json::to_string_pretty(&serde_json::json!({
        "project_evaluations": doc.project_evaluations,
        "file_warnings": doc.warnings,
    }))
    .unwrap()
        + "\n";
    let path = root().join(FIXTURE_GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(
        got == want,
        "{FIXTURE} no longer gives {FIXTURE_GOLDEN}:\n{got}"
    );
}

/// The facts of the fictional list, checked one by one.
#[test]
fn the_fictional_list_reads_its_years_aliases_and_quirks() {
    let doc = fixture();
    let ps = &doc.project_evaluations;
    assert_eq!(ps.len(), 3);
    // The merged year row gives the years: no warning about the template.
    assert!(
        !doc.warnings
            .iter()
            .any(|w| w.code == WarningCode::ProjectYearsFromTemplate),
        "{:?}",
        doc.warnings
    );
    let park = &ps[0];
    assert_eq!(park.fiscal_year, Some(2024));
    assert_eq!(park.project.code.as_deref(), Some("0012"));
    assert_eq!(
        (park.department.as_deref(), park.section.as_deref()),
        (Some("都市整備部"), Some("公園緑地課"))
    );
    assert_eq!(park.measure.as_ref().unwrap().number, Some(3));
    assert_eq!(
        park.overview.as_deref(),
        Some("市内の公園を 維持管理する。")
    );
    let years: Vec<_> = park.costs.iter().map(|c| c.fiscal_year).collect();
    assert_eq!(years, [Some(2022), Some(2023), Some(2024)]);
    assert_eq!(park.costs[0].general.unwrap().get(), 3089.0);
    assert_eq!(park.costs[0].national.unwrap().get(), 0.0);
    assert_eq!(park.costs[1].national, None, "a dash is no value");
    assert_eq!(park.costs[2].staff.unwrap().get(), 2.5);
    // Slot イ has no name and only zeros: not an indicator.
    let slots: Vec<&str> = park.indicators.iter().map(|i| i.slot.as_str()).collect();
    assert_eq!(slots, ["ア", "サ"]);
    let outcome = &park.indicators[1];
    assert_eq!(outcome.values[0].value.unwrap().get(), 1200.0);
    assert_eq!(outcome.values[0].raw.as_deref(), Some("1,200"));
    assert_eq!(outcome.values[1].value, None);
    assert_eq!(
        park.indicators[0].values[2].value.unwrap().get(),
        0.0,
        "0 is a value"
    );
    assert_eq!(park.evaluation.len(), 8);
    assert_eq!(park.evaluation[2].comment, None, "a bare 0 is no text");
    assert_eq!(park.evaluation[6].aspect, "人件費(延べ業務時間)の削減余地");
    assert_eq!(park.direction.as_deref(), Some("1 現状維持"));
    let drill = &ps[1];
    assert_eq!(drill.section, None);
    assert_eq!(drill.legal_basis, None);
    assert_eq!(drill.measure.as_ref().unwrap().number, Some(12));
    // Slot イ has no name but a real value (3): kept, with a warning.
    let i = drill.indicators.iter().find(|i| i.slot == "イ").unwrap();
    assert_eq!(i.name, None);
    assert!(
        drill
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::IndicatorWithoutName)
    );
    let s = drill.indicators.iter().find(|i| i.slot == "サ").unwrap();
    assert_eq!(
        (s.values[1].value, s.values[1].raw.as_deref()),
        (None, Some("12(3)"))
    );
    assert!(
        drill
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::ValueNotANumber)
    );
    let library = &ps[2];
    assert_eq!(library.department.as_deref(), Some("教育委員会事務局"));
    assert_eq!(library.section.as_deref(), Some("図書館"));
    // No personal data, however it is labelled.
    let json = serde_json::to_string(&doc.project_evaluations).unwrap();
    for personal in ["架空 太郎", "架空 花子", "架空 次郎", "0000-00-000"] {
        assert!(!json.contains(personal), "{personal}");
    }
}
