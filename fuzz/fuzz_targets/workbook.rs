//! Arbitrary bytes as a workbook (.xlsx, .xls, .ods): the zip and compound
//! file containers, calamine, and the path from grids to records.
#![no_main]

use hyoka::model::Format;
use libfuzzer_sys::fuzz_target;

/// libfuzzer-sys aborts on every panic, even one hyoka catches: calamine's
/// panics inside hyoka's guard fail the file in production (tested in
/// `cli::a_parser_panic_is_the_files_error_not_a_backtrace`), so here they
/// are let through to that guard, and only a panic outside it is a crash.
fn let_guarded_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !hyoka::panic_is_caught() {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_guarded_panics_unwind();
    let options = hyoka::Options::default();
    for format in [Format::Xlsx, Format::Xls, Format::Ods] {
        let _ = hyoka::read_as("fuzz.xlsx", data, format, &options);
    }
});
