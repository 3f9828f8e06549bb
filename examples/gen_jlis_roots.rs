//! Dev-time generator of `src/pki/jlis_roots.rs`: the trust-anchor information of the six
//! published J-LIS roots (purpose, generation, serial, subject, SubjectPublicKeyInfo, subject key
//! identifier, validity and the SHA-256 fingerprint of the certificate), compiled in as constants
//! the way webpki-roots does. The repository keeps no copy of the certificates themselves.
//! The same generator writes `src/pki/jlis_test_roots.rs` (the four JPKI-TEST roots of real
//! J-LIS test cards, `../shared/data/jpki-test-card/*.der`, feature `jlis-test`) and
//! `src/pki/test_pki_roots.rs` (this crate's two TEST CAs,
//! `crates/mynacard-virtual-card/data/pki/*_ca.der`, feature `test-pki`).
//!
//! ```text
//! cargo run --example gen_jlis_roots                       # all three files
//! cargo run --example gen_jlis_roots [ANCHOR_DIR] [OUT_FILE] # the production roots only
//! ```
//!
//! Defaults: `../shared/data/jlis-trust-anchors` and `src/pki/jlis_roots.rs` (relative to the
//! crate root). `tests/it/jlis_roots_drift.rs` regenerates and compares (the J-LIS files whenever
//! `../shared` exists).

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const OID_SKI: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.29.14");

/// The file names of the six roots, in the order of the generated table.
pub const FILES: [&str; 6] = [
    "auth_ca_2015.pem",
    "auth_ca_2019.pem",
    "auth_ca_2023.pem",
    "sign_ca_2015.pem",
    "sign_ca_2019.pem",
    "sign_ca_2023.pem",
];

fn bytes(out: &mut String, indent: &str, b: &[u8]) {
    out.push('&');
    array(out, indent, b);
}

fn array(out: &mut String, indent: &str, b: &[u8]) {
    out.push_str("[\n");
    for chunk in b.chunks(16) {
        out.push_str(indent);
        out.push_str("    ");
        let line: Vec<String> = chunk.iter().map(|x| format!("0x{x:02X}")).collect();
        out.push_str(&line.join(", "));
        out.push_str(",\n");
    }
    out.push_str(indent);
    out.push(']');
}

/// One root to generate: its certificate and what the table says of it.
struct Root {
    file: String,
    der: Vec<u8>,
    label: String,
    purpose: &'static str,
    generation: Option<u16>,
}

/// What a generated file is: its header, constant name and documentation.
struct Table {
    source: &'static str,
    module_doc: &'static str,
    const_doc: &'static str,
    name: &'static str,
}

/// The Rust source of `src/pki/jlis_roots.rs` for the PEM files in `dir`.
pub fn generate(dir: &Path) -> Result<String> {
    let mut roots = Vec::new();
    for file in FILES {
        let pem = std::fs::read(dir.join(file))?;
        let (label, der) = der::pem::decode_vec(&pem).map_err(|e| format!("{file}: PEM: {e}"))?;
        if label != "CERTIFICATE" {
            return Err(format!("{file}: PEM label {label}").into());
        }
        let stem = file.trim_end_matches(".pem");
        let (purpose, generation) = match stem.split_once("_ca_") {
            Some(("auth", g)) => ("Authentication", g.parse::<u16>()?),
            Some(("sign", g)) => ("Signature", g.parse::<u16>()?),
            _ => return Err(format!("{file}: not <auth|sign>_ca_<year>.pem").into()),
        };
        roots.push(Root {
            file: file.to_owned(),
            der,
            label: format!("jlis_{stem}"),
            purpose,
            generation: Some(generation),
        });
    }
    render(
        &Table {
            source: "../shared/data/jlis-trust-anchors/*.pem",
            module_doc: "The six published J-LIS roots as trust-anchor information (no certificate copies).",
            const_doc: "The six J-LIS roots: 利用者証明用 2015/2019/2023, 署名用 2015/2019/2023.",
            name: "JLIS_ROOTS",
        },
        &roots,
    )
}

/// The JPKI-TEST roots of real J-LIS test cards: (file, purpose). The generation is the year of
/// notBefore (two auth roots share one DN).
pub const JLIS_TEST_FILES: [(&str, &str); 4] = [
    ("jpki-auth-ca-cert-2019.der", "Authentication"),
    ("jpki-auth-ca-cert.der", "Authentication"),
    ("jpki-sign-ca-cert-2019.der", "Signature"),
    ("jpki-sign-ca-cert.der", "Signature"),
];

/// The Rust source of `src/pki/jlis_test_roots.rs` for the DER files in `dir`
/// (`../shared/data/jpki-test-card`).
pub fn generate_jlis_test(dir: &Path) -> Result<String> {
    let mut roots = Vec::new();
    for (file, purpose) in JLIS_TEST_FILES {
        let der = std::fs::read(dir.join(file))?;
        let cert = Certificate::from_der(&der)?;
        let year = cert
            .tbs_certificate()
            .validity()
            .not_before
            .to_date_time()
            .year();
        let kind = if purpose == "Authentication" {
            "auth"
        } else {
            "sign"
        };
        roots.push(Root {
            file: file.to_owned(),
            der,
            label: format!("jlis_test_{kind}_ca_{year}"),
            purpose,
            generation: Some(year),
        });
    }
    render(
        &Table {
            source: "../shared/data/jpki-test-card/jpki-*-ca-cert*.der",
            module_doc: "TEST ONLY (feature `jlis-test`): the four JPKI-TEST roots of real J-LIS test cards\n\
                         //! (テスト用カード, `O=JPKI-TEST`) as trust-anchor information (no certificate copies).",
            const_doc: "The JPKI-TEST roots: 利用者証明用 2019/2023 (one DN, two keys), 署名用 2019/2024.",
            name: "JLIS_TEST_ROOTS",
        },
        &roots,
    )
}

/// The Rust source of `src/pki/test_pki_roots.rs` for this crate's TEST CAs in `dir`
/// (`crates/mynacard-virtual-card/data/pki`).
pub fn generate_mynacard_test(dir: &Path) -> Result<String> {
    let mut roots = Vec::new();
    for (file, label, purpose) in [
        ("sign_ca.der", "mynacard_TEST_sign_ca", "Signature"),
        ("auth_ca.der", "mynacard_TEST_auth_ca", "Authentication"),
    ] {
        roots.push(Root {
            file: file.to_owned(),
            der: std::fs::read(dir.join(file))?,
            label: label.to_owned(),
            purpose,
            generation: None,
        });
    }
    render(
        &Table {
            source: "crates/mynacard-virtual-card/data/pki/*_ca.der",
            module_doc: "TEST ONLY (feature `test-pki`): this crate's two generated TEST CAs as trust-anchor\n\
                         //! information. Their private keys are public in the repository.",
            const_doc: "The TEST CAs of `crates/mynacard-virtual-card/data/pki`: 署名用, 利用者証明用.",
            name: "MYNACARD_TEST_ROOTS",
        },
        &roots,
    )
}

fn render(table: &Table, roots: &[Root]) -> Result<String> {
    let mut out = format!(
        "// @generated by `cargo run --example gen_jlis_roots` from\n\
         // {}. Do not edit: regenerate.\n\
         //! {}\n\n\
         use super::{{Purpose, TrustAnchorInfo, UnixTime}};\n\n\
         /// {}\n\
         #[rustfmt::skip]\n\
         pub const {}: [TrustAnchorInfo; {}] = [\n",
        table.source,
        table.module_doc,
        table.const_doc,
        table.name,
        roots.len()
    );
    for root in roots {
        let file = &root.file;
        let cert = Certificate::from_der(&root.der)?;
        let tbs = cert.tbs_certificate();
        let ski = tbs
            .extensions()
            .into_iter()
            .flatten()
            .find(|e| e.extn_id == OID_SKI)
            .ok_or(format!("{file}: no subjectKeyIdentifier"))?;
        let ski = SubjectKeyIdentifier::from_der(ski.extn_value.as_bytes())?;
        let serial = tbs.serial_number().as_bytes();
        let serial = match serial {
            [0, rest @ ..] if !rest.is_empty() => rest,
            s => s,
        };
        let v = tbs.validity();
        let i = "        ";
        let _ = writeln!(out, "    TrustAnchorInfo {{");
        let _ = writeln!(out, "{i}label: \"{}\",", root.label);
        let _ = writeln!(out, "{i}purpose: Purpose::{},", root.purpose);
        match root.generation {
            Some(g) => {
                let _ = writeln!(out, "{i}generation: {g},");
            }
            None => {
                let _ = writeln!(
                    out,
                    "{i}generation: {},",
                    v.not_before.to_date_time().year()
                );
            }
        }
        out.push_str(&format!("{i}serial: "));
        bytes(&mut out, i, serial);
        out.push_str(",\n");
        out.push_str(&format!("{i}subject: "));
        bytes(&mut out, i, &tbs.subject().to_der()?);
        out.push_str(",\n");
        out.push_str(&format!("{i}spki: "));
        bytes(&mut out, i, &tbs.subject_public_key_info().to_der()?);
        out.push_str(",\n");
        out.push_str(&format!("{i}subject_key_id: "));
        bytes(&mut out, i, ski.0.as_bytes());
        out.push_str(",\n");
        let _ = writeln!(
            out,
            "{i}not_before: UnixTime::from_secs({}), // {}",
            v.not_before.to_unix_duration().as_secs(),
            v.not_before
        );
        let _ = writeln!(
            out,
            "{i}not_after: UnixTime::from_secs({}), // {}",
            v.not_after.to_unix_duration().as_secs(),
            v.not_after
        );
        let fp = Sha256::digest(&root.der);
        let hex: String = fp.iter().map(|b| format!("{b:02X}")).collect();
        let _ = writeln!(out, "{i}// SHA-256 {hex}");
        out.push_str(&format!("{i}sha256: "));
        array(&mut out, i, &fp);
        out.push_str(",\n    },\n");
    }
    out.push_str("];\n");
    Ok(out)
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args_os().skip(1);
    if let Some(dir) = args.next() {
        let out = args
            .next()
            .map_or_else(|| root.join("src/pki/jlis_roots.rs"), PathBuf::from);
        std::fs::write(&out, generate(Path::new(&dir))?)?;
        println!("wrote {}", out.display());
        return Ok(());
    }
    let shared = root.join("../shared/data");
    for (out, text) in [
        (
            "src/pki/jlis_roots.rs",
            generate(&shared.join("jlis-trust-anchors"))?,
        ),
        (
            "src/pki/jlis_test_roots.rs",
            generate_jlis_test(&shared.join("jpki-test-card"))?,
        ),
        (
            "src/pki/test_pki_roots.rs",
            generate_mynacard_test(&root.join("crates/mynacard-virtual-card/data/pki"))?,
        ),
    ] {
        std::fs::write(root.join(out), text)?;
        println!("wrote {out}");
    }
    Ok(())
}
