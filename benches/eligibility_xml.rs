//! Parsing a large multi-result file (1,000 qualification records with every
//! optional block, ~4 MB) against quick-xml's raw event scan of the same bytes.
//!
//! `cargo bench --bench eligibility_xml`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mynacard::eligibility::{XmlEncoding, parse_result};
use quick_xml::events::Event;
use std::hint::black_box;

const FULL: &[u8] = include_bytes!("../tests/data/eligibility/full_utf8.xml");
const RECORDS: usize = 1000;

fn large_file(encoding: XmlEncoding) -> Vec<u8> {
    let mut file = parse_result(FULL).expect("sample parses");
    let body = file.body.as_mut().expect("sample has a body");
    let one = body.results[0].clone();
    body.results = vec![one; RECORDS];
    file.to_xml(encoding).expect("writes")
}

/// The floor: every event of the document, no decoding or conversion.
fn raw_scan(xml: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut events = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => events += 1,
        }
        buf.clear();
    }
    events
}

fn bench(c: &mut Criterion) {
    let utf8 = large_file(XmlEncoding::Utf8);
    let sjis = large_file(XmlEncoding::ShiftJis);
    let mut g = c.benchmark_group("eligibility_result_1000");
    g.throughput(Throughput::Bytes(utf8.len() as u64));
    g.sample_size(20);
    g.bench_function("quick_xml_raw_event_scan", |b| {
        b.iter(|| raw_scan(black_box(&utf8)))
    });
    g.bench_function("parse_result_utf8", |b| {
        b.iter(|| parse_result(black_box(&utf8)).map(|f| f.body.map(|b| b.results.len())))
    });
    g.throughput(Throughput::Bytes(sjis.len() as u64));
    g.bench_function("parse_result_shift_jis", |b| {
        b.iter(|| parse_result(black_box(&sjis)).map(|f| f.body.map(|b| b.results.len())))
    });
    g.finish();
    // One visit's file (two records, every optional block).
    c.bench_function("parse_result_single_visit", |b| {
        b.iter(|| parse_result(black_box(FULL)).map(|f| f.body.map(|b| b.results.len())))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
