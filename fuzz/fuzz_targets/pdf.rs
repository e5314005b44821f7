//! Arbitrary bytes as a PDF: lopdf's object parser, the content-stream
//! interpreter, fonts and CMaps, the lattice and the path to records, under
//! the default limits.
#![no_main]

use hyoka::model::Format;
use libfuzzer_sys::fuzz_target;

/// libfuzzer-sys aborts on every panic, even one hyoka catches: a panic
/// inside lopdf fails the file in production, so here it is let through to
/// hyoka's guard, and only a panic outside it is a crash.
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
    let _ = hyoka::read_as("fuzz.pdf", data, Format::Pdf, &hyoka::Options::default());
});
