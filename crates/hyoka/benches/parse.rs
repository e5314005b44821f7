//! Parser throughput: the real document (five sheets, 36 KB of converter
//! text) from bytes to typed sheets, and the CP932 export of one sheet.
//!
//! `cargo bench -p hyoka --bench parse`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CONVERTER_TEXT: &[u8] = include_bytes!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");

fn parse(c: &mut Criterion) {
    let options = hyoka::Options::default();
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(CONVERTER_TEXT.len() as u64));
    group.bench_function("converter_text_5_sheets", |b| {
        b.iter(|| {
            let doc = hyoka::read("iga.txt", std::hint::black_box(CONVERTER_TEXT), &options)
                .expect("the fixture parses");
            assert_eq!(doc.sheets.len(), 5);
            doc
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
