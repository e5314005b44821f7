//! Arbitrary bytes as a workbook (.xlsx, .xls, .ods): the zip and compound
//! file containers, calamine, and the path from grids to records.
#![no_main]

use hyoka::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = hyoka::Options::default();
    for format in [Format::Xlsx, Format::Xls, Format::Ods] {
        let _ = hyoka::read_as("fuzz.xlsx", data, format, &options);
    }
});
