//! Arbitrary bytes as a PDF: lopdf's object parser, the content-stream
//! interpreter, fonts and CMaps, the lattice and the path to records, under
//! the default limits.
#![no_main]

use hyoka::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hyoka::read_as("fuzz.pdf", data, Format::Pdf, &hyoka::Options::default());
});
