//! Arbitrary bytes as a text export: converter text, TSV and CSV, through
//! the whole path (decode, grid, segments, records).
#![no_main]

use hyoka::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = hyoka::Options::default();
    for format in [Format::Text, Format::Tsv, Format::Csv] {
        let _ = hyoka::read_as("fuzz.txt", data, format, &options);
    }
});
