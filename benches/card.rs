//! APDU codec, BER-TLV reader and card-record parsing (the untrusted-bytes
//! parsers on every card read).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mynacard::apdu::{Command, LengthForm, Response};
use mynacard::card::CvCertificate;
use mynacard::card::{IntegrityRecord, JpkiCertificate, JpkiCertificateKind, TokenInfo};
use mynacard::internal::{parse_basic_four, parse_card_face};
use mynacard::tlv::Reader;

const BASIC4: &[u8] = include_bytes!("../tests/data/card/yamada/kenhojo_0002.bin");
const INTEGRITY: &[u8] = include_bytes!("../tests/data/card/yamada/kenhojo_0003.bin");
const CV: &[u8] = include_bytes!("../tests/data/card/yamada/kenhojo_0004.bin");
const FACE: &[u8] = include_bytes!("../tests/data/card/yamada/kenkaku_0002.bin");
const AUTH_CERT: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/yamada_auth.der");

fn apdu(c: &mut Criterion) {
    let sign = Command::new(0x80, 0x2A, 0x00, 0x80)
        .with_data(vec![0x30; 51])
        .with_le(256);
    c.bench_function("apdu/encode sign (short)", |b| {
        b.iter(|| black_box(&sign).encode(LengthForm::Short).unwrap())
    });
    let bytes = sign.encode(LengthForm::Extended).unwrap();
    c.bench_function("apdu/parse sign (extended)", |b| {
        b.iter(|| Command::parse(black_box(&bytes)).unwrap())
    });
    let mut resp = vec![0xAB; 256];
    resp.extend([0x90, 0x00]);
    c.bench_function("apdu/parse 256-byte response", |b| {
        b.iter(|| Response::parse(black_box(&resp)).unwrap())
    });
}

fn tlv(c: &mut Criterion) {
    c.bench_function("tlv/walk card face (kenkaku EF 0002)", |b| {
        b.iter(|| {
            let outer = Reader::new(black_box(FACE)).next().unwrap().unwrap();
            outer.children().filter(Result::is_ok).count()
        })
    });
}

fn records(c: &mut Criterion) {
    let mut token_file = b"JPKIAPICCTOKEN2".to_vec();
    token_file.resize(32, b' ');
    token_file.resize(160, 0);
    c.bench_function("card/token info", |b| {
        b.iter(|| TokenInfo::parse(black_box(&token_file)).unwrap())
    });
    c.bench_function("card/basic 4 attributes", |b| {
        b.iter(|| parse_basic_four(black_box(BASIC4)).unwrap())
    });
    c.bench_function("card/integrity record", |b| {
        b.iter(|| IntegrityRecord::parse(black_box(INTEGRITY)).unwrap())
    });
    c.bench_function("card/CV certificate", |b| {
        b.iter(|| CvCertificate::parse("EF 0004", black_box(CV)).unwrap())
    });
    c.bench_function("card/card face", |b| {
        b.iter(|| parse_card_face(black_box(FACE)).unwrap())
    });
    c.bench_function("card/auth certificate (x509-cert)", |b| {
        b.iter(|| {
            JpkiCertificate::parse(
                JpkiCertificateKind::Auth,
                zeroize::Zeroizing::new(black_box(AUTH_CERT).to_vec()),
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, apdu, tlv, records);
criterion_main!(benches);
