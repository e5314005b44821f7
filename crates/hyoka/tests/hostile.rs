//! Hostile PDFs and workbooks (issue 27): each one of the red team's shapes,
//! made here at test time (the big ones are a few megabytes packed, never
//! committed), fails alone with an error that names its budget, or reads
//! with a true message, and a batch of all of them beside a good PDF
//! exports the good one within a bounded peak memory.
//!
//! Work is bounded by counters, so no assertion here is about time.
//! `cargo test -p hyoka --test hostile -- --ignored write_fuzz_seeds`
//! writes small versions of the same shapes into `fuzz/corpus/pdf/`.

mod support;

use hyoka::warning::WarningCode;

use std::path::Path;

use support::hostile::*;
use support::root;

fn pdf_error(bytes: &[u8]) -> String {
    match hyoka::read("hostile.pdf", bytes, &hyoka::Options::default()) {
        Ok(doc) => panic!("read: {} sheet(s)", doc.sheets.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_stream_named_40_times_is_charged_40_times() {
    let err = pdf_error(&contents_named_40_times());
    assert!(err.contains("--max-pdf-stream-bytes"), "{err}");
}

#[test]
fn thirty_million_operators_meet_the_operator_budget() {
    let err = pdf_error(&thirty_million_operators());
    assert!(
        err.contains("more than the limit of 20000000 operators")
            && err.contains("--max-pdf-operators"),
        "{err}"
    );
    // Raised past them, the same file reads to the end and says truly what
    // it holds: nothing.
    let mut options = hyoka::Options::default();
    options.limits.pdf.max_operators = 40_000_000;
    let err = hyoka::read("n.pdf", &thirty_million_operators(), &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no text and no image"), "{err}");
}

#[test]
fn hostile_cmaps_cost_a_binary_search_a_glyph() {
    // Two million glyphs through 200,000 ranges or codespaces: each glyph
    // is looked up in a few comparisons (binary search), and charged to the
    // operator budget. Most run off the page and are not kept.
    let mut small = hyoka::Options::default();
    small.limits.pdf.max_operators = 1_000_000;
    for cmap in [
        cmap_of_200k_ranges(199_000),
        cmap_of_200k_codespaces(199_000),
    ] {
        let bytes = cmap_and_a_long_string(&cmap, 2_000_000);
        let (pages, found) =
            hyoka::pdf_extraction_for_bench(&bytes, &hyoka::Options::default()).unwrap();
        assert_eq!(pages, 1);
        assert!((1000..2000).contains(&found), "{found}");
        let err = hyoka::read("cmap.pdf", &bytes, &small)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--max-pdf-operators"), "{err}");
    }
    // The same maps read a short string, the last entry giving `A`.
    for cmap in [
        cmap_of_200k_ranges(199_000),
        cmap_of_200k_codespaces(199_000),
    ] {
        let bytes = cmap_and_a_long_string(&cmap, 3);
        let (pages, found) =
            hyoka::pdf_extraction_for_bench(&bytes, &hyoka::Options::default()).unwrap();
        assert_eq!((pages, found), (1, 3));
    }
}

#[test]
fn characters_kept_meet_the_content_budget() {
    // Two million glyphs all kept (on one spot) cost 128 bytes each: the
    // content budget stops them near a million, some 120 MB.
    let err = pdf_error(&glyphs_on_one_spot(2_000_000));
    assert!(err.contains("--max-pdf-stream-bytes"), "{err}");
    let (_, found) =
        hyoka::pdf_extraction_for_bench(&glyphs_on_one_spot(100_000), &hyoka::Options::default())
            .unwrap();
    assert_eq!(found, 100_000);
}

#[test]
fn many_pages_drawing_the_same_content_meet_the_content_budget() {
    let bytes = pages_drawing_the_same_content(9_999);
    assert!(bytes.len() < 4 << 20, "{}", bytes.len());
    let err = pdf_error(&bytes);
    // Each page costs its stream and what it keeps (some 280 KB here): the
    // budget is met on page 472, whatever comes after.
    assert!(
        err.contains("content up to page 472 unpacks to more than the limit")
            && err.contains("--max-pdf-stream-bytes"),
        "{err}"
    );
    // Ten such pages are a fine table.
    let (pages, found) = hyoka::pdf_extraction_for_bench(
        &pages_drawing_the_same_content(10),
        &hyoka::Options::default(),
    )
    .unwrap();
    assert_eq!(pages, 10);
    assert!(found > 10 * 400, "{found}");
}

#[test]
fn errors_say_what_was_seen() {
    let err = pdf_error(&page_tree_cycle());
    assert!(err.contains("the page tree has a cycle"), "{err}");
    assert!(!err.contains("OCR"), "{err}");

    let err = pdf_error(&one_page(b"BT /F1 12 Tf 100 700 Td (unterminated"));
    assert!(
        err.contains("on page 1, its content cannot be parsed at byte 24"),
        "{err}"
    );
    assert!(!err.contains("OCR"), "{err}");

    let err = pdf_error(&one_page(b"0 0 m 10 10 l"));
    assert!(
        err.contains("no text and no image on any of its 1 page(s)"),
        "{err}"
    );
    assert!(!err.contains("OCR"), "{err}");

    // A stream whose Flate data is damaged.
    let mut pdf = Pdf::new();
    let s = pdf.add(packed("", b"x\x9c not deflate at all".to_vec()));
    let p = pdf.page(&format!("{s} 0 R"), 3);
    pdf.pages(&[p]);
    let err = pdf_error(&pdf.bytes());
    assert!(
        err.contains("on page 1, its content stream (object 4 0) cannot be unpacked"),
        "{err}"
    );

    // An image and no text: a scan, which needs OCR.
    let err = pdf_error(&one_page(
        b"q 100 0 0 100 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q",
    ));
    assert!(err.contains("only images") && err.contains("OCR"), "{err}");
}

#[test]
fn two_million_uncomputed_formulas_are_one_warning() {
    let bytes = uncomputed_formulas(2_000_000);
    assert!(bytes.len() < 16 << 20, "{}", bytes.len());
    let doc = hyoka::read("formulas.xlsx", &bytes, &hyoka::Options::default()).unwrap();
    let all: Vec<_> = doc
        .warnings
        .iter()
        .chain(doc.sheets.iter().flat_map(|s| &s.warnings))
        .filter(|w| w.code == WarningCode::FormulaNotComputed)
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0]
            .message
            .contains("2000000 cells hold formulas that were never computed (施策!A1, 施策!B1,"),
        "{}",
        all[0].message
    );
}

#[test]
#[ignore = "writes the fuzz corpus seeds; run by hand"]
fn write_fuzz_seeds() {
    // Small versions of the same shapes, for libFuzzer to mutate.
    let dir = root().join("fuzz/corpus/pdf");
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("hostile-contents-repeated", {
            let mut pdf = Pdf::new();
            let s = pdf.add(stream("", b"BT /F1 9 Tf 10 10 Td (a) Tj ET"));
            let p = pdf.page(&format!("[{s} 0 R {s} 0 R {s} 0 R {s} 0 R]"), 3);
            pdf.pages(&[p]);
            pdf.bytes()
        }),
        ("hostile-operators", one_page(&b"n\n".repeat(2000))),
        (
            "hostile-cmap-ranges",
            cmap_and_a_long_string(&cmap_of_200k_ranges(50), 20),
        ),
        (
            "hostile-cmap-codespaces",
            cmap_and_a_long_string(&cmap_of_200k_codespaces(50), 20),
        ),
        ("hostile-pages", pages_drawing_the_same_content(30)),
        ("hostile-page-tree-cycle", page_tree_cycle()),
        ("hostile-unparseable", one_page(b"BT /F1 12 Tf (x")),
        ("hostile-operands", one_page(&b"1 ".repeat(70_000))),
    ];
    for (name, bytes) in seeds {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
#[ignore = "writes the hostile batch into $HYOKA_HOSTILE_DIR; run by hand to measure"]
fn write_hostile_batch() {
    let dir = std::env::var("HYOKA_HOSTILE_DIR").expect("HYOKA_HOSTILE_DIR");
    std::fs::create_dir_all(&dir).unwrap();
    hostile_batch(Path::new(&dir));
    for n in [2_000_000, 900_000, 100_000] {
        std::fs::write(
            Path::new(&dir).join(format!("one-spot-{n}.pdf")),
            glyphs_on_one_spot(n),
        )
        .unwrap();
    }
}
