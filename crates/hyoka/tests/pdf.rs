//! PDFs read directly: each printed fixture gives the records of the
//! workbook it was printed from, field by field (raw display forms may
//! differ: values are compared), and the PDFs that cannot be read fail
//! alone with an error that says why.
//!
//! The fixtures and how they were made: `fixtures/pdf/README.md`.

mod support;

use hyoka::model::{Format, Sheet};
use serde_json::Value;
use support::{differences, root};

fn read(path: &str) -> Result<hyoka::Document, hyoka::Error> {
    let bytes = std::fs::read(root().join(path)).unwrap();
    hyoka::read(path, &bytes, &Default::default())
}

/// A sheet as JSON without what differs by form: `source` and warnings.
fn comparable(sheet: &Sheet) -> Value {
    let mut value = serde_json::to_value(sheet).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("source");
    object.remove("warnings");
    value
}

/// List items whose author pressed Enter exactly where the printer would
/// have wrapped the line anyway: the PDF shows a full line either way, so
/// the items are joined (see README, "PDF: what does not work"). These
/// differences, and only these, are accepted.
const ENTER_AT_FULL_LINE: &[&str] = &[
    // 「…次の取組みを実施⏎・複業人材活用…」
    "sheet 1/basic_projects/1/activities/4",
    // 「…考えられる。⏎情報公開制度を…」
    "sheet 1/basic_projects/2/issues",
    // 「…導入に関する業務⏎・納税や証明交付…」
    "sheet 2/basic_projects/2/improvements/existing",
    // 「…N-1グランプリなど)⏎関西SDGsへの加入」
    "sheet 4/basic_projects/0/effects",
];

/// Asserts that a PDF gives its workbook's records.
fn assert_same_records(pdf: &str, workbook: &str) -> hyoka::Document {
    assert_records_but(pdf, workbook, ENTER_AT_FULL_LINE, false)
}

/// Asserts that a PDF gives its workbook's records but under the paths
/// `known`; with `exact`, each of those must differ too (a rule that
/// learns to see one is noticed, and the list shortened).
fn assert_records_but(pdf: &str, workbook: &str, known: &[&str], exact: bool) -> hyoka::Document {
    let p = read(pdf).unwrap_or_else(|e| panic!("{pdf}: {e}"));
    let w = read(workbook).unwrap_or_else(|e| panic!("{workbook}: {e}"));
    assert_eq!(p.format, Format::Pdf);
    assert_eq!(p.sheets.len(), w.sheets.len(), "{pdf}: sheet count");
    let mut diffs = Vec::new();
    for (i, (a, b)) in p.sheets.iter().zip(&w.sheets).enumerate() {
        differences(
            &comparable(a),
            &comparable(b),
            &format!("sheet {}", i + 1),
            &mut diffs,
        );
    }
    let unexpected: Vec<&String> = diffs
        .iter()
        .filter(|d| !known.iter().any(|k| under(d, k)))
        .collect();
    if exact {
        let unseen: Vec<&&str> = known
            .iter()
            .filter(|k| !diffs.iter().any(|d| under(d, k)))
            .collect();
        assert!(
            unseen.is_empty(),
            "{pdf}: now read as the workbook: {unseen:?}"
        );
    }
    assert!(
        unexpected.is_empty(),
        "{pdf} differs from {workbook}:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    p
}

/// Whether the difference `d` (`path: what`) lies under `path`.
fn under(d: &str, path: &str) -> bool {
    d.starts_with(&format!("{path}/")) || d.starts_with(&format!("{path}:"))
}

#[test]
fn a3_one_page_per_sheet_gives_the_workbook_records() {
    let doc = assert_same_records(
        "fixtures/pdf/iga-2022-citylike-a3.pdf",
        "fixtures/pdf/iga-2022-citylike-a3.xlsx",
    );
    let pages: Vec<_> = doc.sheets.iter().map(|s| s.source.pages).collect();
    // The cover is page 1; each sheet has a page of its own.
    assert_eq!(
        pages,
        vec![
            Some([2, 2]),
            Some([3, 3]),
            Some([4, 4]),
            Some([5, 5]),
            Some([6, 6])
        ]
    );
    for sheet in &doc.sheets {
        assert_eq!(sheet.source.format, Format::Pdf);
        assert!(sheet.source.rows[0] <= sheet.source.rows[1]);
    }
}

#[test]
fn a4_tables_broken_across_pages_are_joined() {
    // Each of the four places where the author pressed Enter at a full line
    // still reads as one item: the rule cannot see them (and would say so).
    let doc = assert_records_but(
        "fixtures/pdf/iga-2022-citylike-a4.pdf",
        "fixtures/pdf/iga-2022-citylike-a4.xlsx",
        ENTER_AT_FULL_LINE,
        true,
    );
    // Sheets span pages now, in order and without overlap.
    let pages: Vec<[u32; 2]> = doc.sheets.iter().map(|s| s.source.pages.unwrap()).collect();
    assert!(pages.iter().any(|p| p[1] > p[0]), "{pages:?}");
    assert!(pages.windows(2).all(|w| w[0][1] <= w[1][0]), "{pages:?}");
}

#[test]
fn cid_fonts_with_kerning_and_a_flipped_matrix_read_the_same() {
    // Type0/CIDFontType2 Identity-H fonts, TJ kerning, `1 0 0 -1 0 h cm`.
    assert_same_records(
        "fixtures/pdf/iga-2022-citylike-a4-cairo.pdf",
        "fixtures/pdf/iga-2022-citylike-a4.xlsx",
    );
}

/// Text with no trace left in the printed file, so the borderless PDF
/// cannot give it (see README, "PDF: what does not work"): each entry is a
/// field whose PDF value is the start of the workbook's.
const CUT_BY_THE_PRINTOUT: &[&str] = &[
    // The direction's second line, taller than its row: clipped.
    "sheet 4/directions/0",
];

#[test]
fn without_rules_the_layout_is_guessed_with_a_warning() {
    let pdf = "fixtures/pdf/iga-2022-workbook-no-borders.pdf";
    let doc = read(pdf).unwrap();
    let code = hyoka::warning::WarningCode::PdfLayoutGuessed;
    assert!(
        doc.warnings.iter().any(|w| w.code == code),
        "{:?}",
        doc.warnings
    );
    // The guess concerns the whole file: it is on the input, once.
    assert_eq!(doc.warnings.iter().filter(|w| w.code == code).count(), 1);

    // Each worksheet was printed "down, then across" on 2 to 5 pages with
    // its columns split across them; the pages are tiled back, so every
    // sheet's heading, department, directions and survey, its basic
    // projects' numbers and names, and their KPIs (name, unit, baseline,
    // actuals, target) are the workbook's.
    let book = read("fixtures/workbooks/iga-2022-workbook.xlsx").unwrap();
    assert_eq!(doc.sheets.len(), book.sheets.len());
    let pages: Vec<[u32; 2]> = doc.sheets.iter().map(|s| s.source.pages.unwrap()).collect();
    // A sheet spans all the pages of its strips (the cover is page 1).
    assert_eq!(pages, [[2, 4], [5, 9], [10, 12], [13, 15], [16, 18]]);
    let mut diffs = Vec::new();
    for (i, (p, w)) in doc.sheets.iter().zip(&book.sheets).enumerate() {
        let (p, w) = (comparable(p), comparable(w));
        let at = format!("sheet {}", i + 1);
        for key in [
            "heading",
            "department",
            "department_label",
            "policy",
            "fiscal_year",
            "survey",
        ] {
            differences(&p[key], &w[key], &format!("{at}/{key}"), &mut diffs);
        }
        let (pd, wd) = (
            p["directions"].as_array().unwrap(),
            w["directions"].as_array().unwrap(),
        );
        assert_eq!(pd.len(), wd.len(), "{at}/directions");
        for (j, (a, b)) in pd.iter().zip(wd).enumerate() {
            let path = format!("{at}/directions/{j}");
            let (a, b) = (a.as_str().unwrap(), b.as_str().unwrap());
            if CUT_BY_THE_PRINTOUT.contains(&path.as_str()) {
                assert!(b.starts_with(a) && a.len() < b.len(), "{path}: {a} vs {b}");
            } else if a != b {
                diffs.push(format!("{path}: {a} vs {b}"));
            }
        }
        let (pb, wb) = (
            p["basic_projects"].as_array().unwrap(),
            w["basic_projects"].as_array().unwrap(),
        );
        assert!(pb.len() >= wb.len(), "{at}: {} basic projects", pb.len());
        for (j, (a, b)) in pb.iter().zip(wb).enumerate() {
            let at = format!("{at}/basic_projects/{j}");
            for key in ["number", "name"] {
                differences(&a[key], &b[key], &format!("{at}/{key}"), &mut diffs);
            }
            let (ak, bk) = (a["kpis"].as_array().unwrap(), b["kpis"].as_array().unwrap());
            assert_eq!(ak.len(), bk.len(), "{at}/kpis");
            for (k, (x, y)) in ak.iter().zip(bk).enumerate() {
                for key in ["name", "unit", "baseline", "actuals", "target"] {
                    differences(
                        &x[key],
                        &y[key],
                        &format!("{at}/kpis/{k}/{key}"),
                        &mut diffs,
                    );
                }
            }
        }
    }
    assert!(diffs.is_empty(), "{pdf}:\n{}", diffs.join("\n"));
}

#[test]
fn limits_fail_the_file_and_name_the_flag() {
    let bytes = std::fs::read(root().join("fixtures/pdf/iga-2022-citylike-a3.pdf")).unwrap();
    let with = |pdf: hyoka::PdfLimits| {
        let mut options = hyoka::Options::default();
        options.limits.pdf = pdf;
        hyoka::read("a3.pdf", &bytes, &options)
            .unwrap_err()
            .to_string()
    };
    let defaults = hyoka::PdfLimits::default();
    let pages = with({
        let mut l = defaults;
        l.max_pages = 5;
        l
    });
    assert!(
        pages.contains("6 pages") && pages.contains("--max-pdf-pages"),
        "{pages}"
    );
    let objects = with({
        let mut l = defaults;
        l.max_objects = 10;
        l
    });
    assert!(objects.contains("--max-pdf-objects"), "{objects}");
    let content = with({
        let mut l = defaults;
        l.max_stream_bytes = 50_000;
        l
    });
    assert!(content.contains("--max-pdf-stream-bytes"), "{content}");
    let operators = with({
        let mut l = defaults;
        l.max_operators = 1_000;
        l
    });
    assert!(operators.contains("--max-pdf-operators"), "{operators}");

    // A form drawing itself ten times, nested, meets the same budget.
    let bomb = read("fixtures/pdf/synthetic-form-bomb.pdf")
        .unwrap_err()
        .to_string();
    assert!(bomb.contains("--max-pdf-stream-bytes"), "{bomb}");
}

#[test]
fn other_fonts_papers_and_borders_give_the_same_records() {
    // Printed by fixtures/pdf/make_printed.py: B4 with a serif (mincho)
    // font and medium borders; Letter portrait with a sans font.
    // A4 with a header and page numbers on every page, which are dropped;
    // A4 with `課題` stacked and `実績(…)` turned a quarter; A4 with the
    // PLAN header rows repeated atop every page, which are dropped.
    for name in [
        "variant-b4-serif-medium",
        "variant-letter-sans-portrait",
        "variant-a4-header-footer",
        "variant-a4-turned-labels",
        "variant-a4-print-titles",
    ] {
        assert_same_records(
            &format!("fixtures/pdf/{name}.pdf"),
            &format!("fixtures/pdf/{name}.xlsx"),
        );
    }
}

#[test]
fn a_pdf_under_another_name_is_read_as_a_pdf() {
    // Known by its `%PDF-` signature, as workbooks are by theirs.
    let bytes = std::fs::read(root().join("fixtures/pdf/iga-2022-citylike-a3.pdf")).unwrap();
    for name in ["renamed.xlsx", "renamed.txt"] {
        let doc = hyoka::read(name, &bytes, &Default::default()).unwrap();
        assert_eq!(doc.format, Format::Pdf, "{name}");
        assert_eq!(doc.sheets.len(), 5, "{name}");
    }
}

/// The city-like workbook printed with its text columns narrow (55%), medium
/// (80%) and wide (140%) gives its records field by field: the printer wraps
/// Japanese text a character at a time, and a line that ends with room for
/// the next character (and what 禁則 moves down with it: `近、JR`) was
/// ended by the author. The one thing the page cannot show is an author's
/// line break exactly where the line was full anyway; each such place is
/// listed, with the end of the line and the start of the next.
#[test]
fn narrow_medium_and_wide_columns_give_the_workbook_records() {
    let cases: [(&str, &[&str]); 3] = [
        ("columns-narrow", NARROW_FULL_LINES),
        ("columns-medium", MEDIUM_FULL_LINES),
        ("columns-wide", WIDE_FULL_LINES),
    ];
    for (name, known) in cases {
        let doc = assert_records_but(
            &format!("fixtures/display/{name}.pdf"),
            &format!("fixtures/display/{name}.xlsx"),
            known,
            true,
        );
        // The survey block, whose trends sit below the KPI table.
        for sheet in &doc.sheets {
            assert!(!sheet.survey.trends.is_empty(), "{name}: survey");
        }
    }
}

const NARROW_FULL_LINES: &[&str] = &[
    // 「情報公開・個人情報保護⏎情報公開条例に…」: the name fills its line.
    "sheet 1/basic_projects/2/name",
    "sheet 1/basic_projects/2/description",
    // 「…職員研修経費⏎職員採用については…」
    "sheet 3/basic_projects/0/activities",
    // 「行政組織(機構)の見直し⏎市の政策…」: less than a character left.
    "sheet 3/basic_projects/2/name",
    "sheet 3/basic_projects/2/description",
    // 「…減少し続けている。⏎3府県…」, 「…図る必要がある。⏎「伊賀城和」…」
    "sheet 4/basic_projects/0/issues",
    // 「・いこか連携プロジェクトの推進⏎・ご当地ナンバー…」: after a full
    // line `・` may as well be a middle dot (`検討・調整` is one elsewhere).
    "sheet 4/basic_projects/1/activities/1/children",
    // 「…(効果測定は5年度以降となる)⏎外部から…」
    "sheet 5/basic_projects/1/effects",
];

const MEDIUM_FULL_LINES: &[&str] = &[
    // 「職員研修の実施⏎総務課担当職員の…」
    "sheet 1/basic_projects/2/improvements/existing",
    // 「…考えられる。⏎情報公開制度を…」 (as in the A4 printout)
    "sheet 1/basic_projects/2/issues",
    // 「…民間事業者による活用⏎・民間提案制度…」
    "sheet 2/basic_projects/1/improvements/existing",
    // 「…取組を進めた。⏎圏域の一体感…」
    "sheet 4/basic_projects/0/effects",
    // 「…力を入れる必要がある。⏎幼少期からの…」
    "sheet 4/basic_projects/0/issues",
    // 「…力を入れる必要がある。⏎コロナ禍…」
    "sheet 4/basic_projects/1/issues",
    // 「デジタルトランスフォーメーション⏎デジタル…」: sixteen characters,
    // a full line.
    "sheet 5/basic_projects/0/name",
    "sheet 5/basic_projects/0/description",
];

const WIDE_FULL_LINES: &[&str] = &[
    // 「…拡大につながっている。⏎人事評価が…」: 4.8 points left, a
    // character takes 5.3.
    "sheet 3/basic_projects/0/effects",
];
