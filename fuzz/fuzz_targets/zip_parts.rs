//! Structure-aware workbook fuzzing: byte mutations of a zip archive
//! almost never survive its CRC checks, so this target mutates one part
//! (a worksheet's XML, the shared strings, content.xml, ...) of a real
//! workbook and zips it back up. See `hyoka_fuzz::zip_parts`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hyoka_fuzz::zip_parts::run(data);
});
