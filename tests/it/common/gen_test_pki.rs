//! Deterministic generator of the TEST-ONLY JPKI PKI in `crates/mynacard-virtual-card/data/pki/`.
//!
//! ```text
//! MYNACARD_REGENERATE=1 cargo test --test it test_pki_drift::
//! ```
//!
//! writes it from `crates/mynacard-virtual-card/data/holders.tsv`. Every key
//! comes from its own ChaCha20 stream seeded with `SHA-256(SEED_LABEL || "/" || key label)`, so the
//! output is byte-for-byte reproducible and adding a holder row never changes existing files.
//! The test `tests/it/test_pki_drift.rs` regenerates into a temporary directory and compares.
//!
//! Everything made here is named TEST: it must never be confused with J-LIS's real roots.

use std::error::Error;
use std::fs;
use std::path::Path;

use chacha20::ChaCha20Rng;
use chacha20::rand_core::SeedableRng;
use der::asn1::{
    Any, Ia5String, ObjectIdentifier, OctetString, PrintableStringRef, Uint, Utf8StringRef,
};
use der::{DateTime, Decode, Encode};
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePrivateKey;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder, CrlBuilder};
use x509_cert::certificate::{Certificate, TbsCertificate};
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::certpolicy::{PolicyInformation, PolicyQualifierInfo};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName, OtherName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, CrlDistributionPoints,
    CrlNumber, CrlReason, KeyUsage, KeyUsages, SubjectAltName,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Label all key seeds derive from. Changing it changes every file.
const SEED_LABEL: &str = "mynacard TEST-ONLY JPKI PKI v1";

/// TEST policy OIDs under the IANA documentation enterprise number 32473 (RFC 5612), mirroring
/// the JPKI arcs `.8.5.1.1` (signature) and `.8.5.1.3` (authentication).
pub const POLICY_TEST_CARD_SIGN: &str = "1.3.6.1.4.1.32473.8.5.1.1.20";
pub const POLICY_TEST_CARD_AUTH: &str = "1.3.6.1.4.1.32473.8.5.1.3.30";
pub const POLICY_TEST_MOBILE_SIGN: &str = "1.3.6.1.4.1.32473.8.5.1.1.40";
pub const POLICY_TEST_MOBILE_AUTH: &str = "1.3.6.1.4.1.32473.8.5.1.3.40";
const CPS_URI: &str = "http://example.invalid/jpki-test/cps.html";

pub const OID_C: &str = "2.5.4.6";
pub const OID_L: &str = "2.5.4.7";
pub const OID_O: &str = "2.5.4.10";
pub const OID_OU: &str = "2.5.4.11";
pub const OID_CN: &str = "2.5.4.3";
pub const OID_KU: &str = "2.5.29.15";
pub const OID_SAN: &str = "2.5.29.17";
pub const OID_IAN: &str = "2.5.29.18";
pub const OID_BC: &str = "2.5.29.19";
pub const OID_CP: &str = "2.5.29.32";
pub const OID_CRLDP: &str = "2.5.29.31";
pub const OID_AKI: &str = "2.5.29.35";
pub const OID_SKI: &str = "2.5.29.14";
pub const OID_CRL_REASON: &str = "2.5.29.21";
pub const OID_QT_CPS: &str = "1.3.6.1.5.5.7.2.1";
/// JPKI personal-data otherName arc `1.2.392.200149.8.5.5.N`.
pub const OID_JPKI_PD: &str = "1.2.392.200149.8.5.5";

pub fn oid(s: &str) -> Result<ObjectIdentifier> {
    Ok(ObjectIdentifier::new(s)?)
}

/// One TEST holder row of `holders.tsv`.
struct Holder {
    id: String,
    token: String,
    name: String,
    name_flags: String,
    address: String,
    address_flags: String,
    birth: String,
    cert_sex: String,
    certs: String,
}

fn parse_holders(tsv: &str) -> Result<Vec<Holder>> {
    let mut out = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 16 {
            return Err(format!(
                "holders.tsv line {}: {} columns, expected 16",
                n + 1,
                f.len()
            )
            .into());
        }
        out.push(Holder {
            id: f[0].into(),
            token: f[1].into(),
            name: f[2].into(),
            name_flags: f[3].into(),
            address: f[4].into(),
            address_flags: f[5].into(),
            birth: f[6].into(),
            cert_sex: f[7].into(),
            certs: f[15].into(),
        });
    }
    Ok(out)
}

/// Era digit of the JPKI birth-date format (`1` Meiji … `5` Reiwa) for a Gregorian `YYYYMMDD`.
fn era_digit(yyyymmdd: &str) -> Result<char> {
    let d: u32 = yyyymmdd.parse()?;
    Ok(match d {
        ..18680125 => '0',
        18680125..19120730 => '1',
        19120730..19261225 => '2',
        19261225..19890108 => '3',
        19890108..20190501 => '4',
        _ => '5',
    })
}

/// Romanised prefecture / municipality for the sign-certificate subject `L` attributes.
fn romanise(address: &str) -> (&'static str, &'static str) {
    const PREF: &[(&str, &str)] = &[
        ("東京都", "Tokyo"),
        ("大阪府", "Osaka"),
        ("北海道", "Hokkaido"),
        ("愛知県", "Aichi"),
        ("福岡県", "Fukuoka"),
        ("京都府", "Kyoto"),
        ("千葉県", "Chiba"),
        ("兵庫県", "Hyogo"),
    ];
    const CITY: &[(&str, &str)] = &[
        ("千代田区", "Chiyoda-ku"),
        ("大阪市", "Osaka-shi"),
        ("札幌市", "Sapporo-shi"),
        ("名古屋市", "Nagoya-shi"),
        ("福岡市", "Fukuoka-shi"),
        ("京都市", "Kyoto-shi"),
        ("千葉市", "Chiba-shi"),
        ("神戸市", "Kobe-shi"),
    ];
    let pref = PREF
        .iter()
        .find(|(jp, _)| address.starts_with(jp))
        .map_or("Test-ken", |p| p.1);
    let city = CITY
        .iter()
        .find(|(jp, _)| address.contains(jp))
        .map_or("Test-shi", |c| c.1);
    (pref, city)
}

pub fn seed(label: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(SEED_LABEL)
        .chain_update("/")
        .chain_update(label)
        .finalize()
        .into()
}

pub fn gen_key(label: &str) -> Result<PrivateKey> {
    gen_key_bits(label, 2048)
}

/// A deterministic RSA key of `bits` bits for `label`.
pub fn gen_key_bits(label: &str, bits: usize) -> Result<PrivateKey> {
    let mut rng = ChaCha20Rng::from_seed(seed(&format!("key/{label}")));
    Ok(PrivateKey::new(&mut rng, bits)?)
}

/// A positive 4-byte serial (like real JPKI leaf serials), derived from the label.
pub fn serial_bytes(label: &str) -> [u8; 4] {
    let h = seed(&format!("serial/{label}"));
    [(h[0] & 0x3f) | 0x10, h[1], h[2], h[3]]
}

/// A 23-character serial-like CN, e.g. `T3K…`, derived from the label.
fn serial_like_cn(label: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let h = seed(&format!("cn/{label}"));
    let mut s = String::from("TEST");
    for b in h.iter().take(19) {
        s.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
    }
    s
}

pub fn time(y: u16, m: u8, d: u8, hh: u8, mm: u8, ss: u8) -> Result<Time> {
    Ok(Time::UtcTime(der::asn1::UtcTime::from_date_time(
        DateTime::new(y, m, d, hh, mm, ss)?,
    )?))
}

/// `notBefore` at 00:00:00Z of the first day, `notAfter` at 14:59:59Z (23:59:59 JST) of the last.
pub fn validity(from: (u16, u8, u8), to: (u16, u8, u8)) -> Result<Validity> {
    Ok(Validity::new(
        time(from.0, from.1, from.2, 0, 0, 0)?,
        time(to.0, to.1, to.2, 14, 59, 59)?,
    ))
}

pub enum Str<'a> {
    Printable(&'a str),
    Utf8(&'a str),
}

pub fn name(rdns: &[(&str, Str<'_>)]) -> Result<Name> {
    // Encode the RDNSequence by hand (one attribute per RDN, in the given order), then decode.
    let mut body = Vec::new();
    for (t, v) in rdns {
        let value = match v {
            Str::Printable(s) => Any::encode_from(&PrintableStringRef::new(s)?)?,
            Str::Utf8(s) => Any::encode_from(&Utf8StringRef::new(s)?)?,
        };
        let atv = x509_cert::attr::AttributeTypeAndValue {
            oid: oid(t)?,
            value,
        };
        let set = der::asn1::SetOfVec::try_from(vec![atv])?;
        body.extend(set.to_der()?);
    }
    let mut seq = Vec::new();
    der::Header::new(der::Tag::Sequence, der::Length::try_from(body.len())?)
        .encode_to_vec(&mut seq)?;
    seq.extend(body);
    Ok(Name::from_der(&seq)?)
}

pub fn ext(id: &str, critical: bool, value: &impl Encode) -> Result<Extension> {
    Ok(Extension {
        extn_id: oid(id)?,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1).
pub fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Result<OctetString> {
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or("unaligned key bits")?;
    Ok(OctetString::new(Sha1::digest(bits).to_vec())?)
}

/// A builder profile that emits exactly the given issuer, subject and extension list.
pub struct Fixed {
    pub issuer: Name,
    pub subject: Name,
    pub extensions: Vec<Extension>,
}

impl BuilderProfile for Fixed {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

pub fn spki_of(key: &PrivateKey) -> Result<SubjectPublicKeyInfoOwned> {
    let der = key.to_public_key().to_public_key_der()?;
    Ok(SubjectPublicKeyInfoOwned::from_der(der.as_bytes())?)
}

pub fn issue(
    signer: &PrivateKey,
    serial: &[u8],
    validity: Validity,
    subject_key: &SubjectPublicKeyInfoOwned,
    profile: Fixed,
) -> Result<Certificate> {
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::new(serial)?,
        validity,
        subject_key.clone(),
    )?;
    let signing_key = SigningKey::<Sha256>::new(signer.clone());
    Ok(builder.build::<_, rsa::pkcs1v15::Signature>(&signing_key)?)
}

/// Purpose of a CA / certificate.
#[derive(Clone, Copy, PartialEq)]
pub enum Purpose {
    Sign,
    Auth,
}

struct Ca {
    key: PrivateKey,
    cert: Certificate,
    name: Name,
    ski: OctetString,
}

pub fn ca_dn(p: Purpose) -> Result<Name> {
    let ou = match p {
        Purpose::Sign => "JPKI for digital signature TEST",
        Purpose::Auth => "JPKI for user authentication TEST",
    };
    name(&[
        (OID_C, Str::Printable("JP")),
        (OID_O, Str::Utf8("JPKI TEST")),
        (OID_OU, Str::Utf8(ou)),
        (OID_OU, Str::Utf8("TEST ONLY not J-LIS")),
    ])
}

/// issuerAltName / CA subjectAltName: the Japanese TEST directory name.
fn ca_alt_name(p: Purpose) -> Result<Name> {
    let ou = match p {
        Purpose::Sign => "公的個人認証サービス署名用 TEST",
        Purpose::Auth => "公的個人認証サービス利用者証明用 TEST",
    };
    name(&[
        (OID_C, Str::Printable("JP")),
        (OID_O, Str::Utf8("公的個人認証サービス TEST")),
        (OID_OU, Str::Utf8(ou)),
        (
            OID_OU,
            Str::Utf8("TEST ONLY 地方公共団体情報システム機構ではない"),
        ),
    ])
}

fn make_ca(p: Purpose, label: &str, serial: &[u8]) -> Result<Ca> {
    let key = gen_key(label)?;
    let spki = spki_of(&key)?;
    let dn = ca_dn(p)?;
    let ski = key_id(&spki)?;
    let extensions = vec![
        ext(
            OID_KU,
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )?,
        ext(
            OID_SAN,
            false,
            &SubjectAltName(vec![GeneralName::DirectoryName(ca_alt_name(p)?)]),
        )?,
        ext(
            OID_BC,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
        )?,
        ext(OID_CRLDP, false, &crl_dp(dn.clone()))?,
        ext(OID_SKI, false, &ski)?,
    ];
    let profile = Fixed {
        issuer: dn.clone(),
        subject: dn.clone(),
        extensions,
    };
    let cert = issue(
        &key,
        serial,
        validity((2020, 1, 1), (2040, 1, 1))?,
        &spki,
        profile,
    )?;
    Ok(Ca {
        key,
        cert,
        name: dn,
        ski,
    })
}

fn crl_dp(dn: Name) -> CrlDistributionPoints {
    CrlDistributionPoints(vec![DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::DirectoryName(dn),
        ])),
        reasons: None,
        crl_issuer: None,
    }])
}

fn leaf_crl_dp(p: Purpose, pref: &str, city: &str) -> Result<CrlDistributionPoints> {
    let ou = match p {
        Purpose::Sign => "JPKI for digital signature TEST",
        Purpose::Auth => "JPKI for user authentication TEST",
    };
    Ok(crl_dp(name(&[
        (OID_C, Str::Printable("JP")),
        (OID_O, Str::Utf8("JPKI TEST")),
        (OID_OU, Str::Utf8(ou)),
        (OID_OU, Str::Utf8("CRL Distribution Points")),
        (OID_OU, Str::Utf8(pref)),
        (OID_CN, Str::Utf8(city)),
    ])?))
}

pub fn policies(policy: &str, with_cps: bool) -> Result<CertificatePolicies> {
    let qualifiers = if with_cps {
        Some(vec![PolicyQualifierInfo {
            policy_qualifier_id: oid(OID_QT_CPS)?,
            qualifier: Some(Any::encode_from(&Ia5String::new(CPS_URI)?)?),
        }])
    } else {
        None
    };
    Ok(CertificatePolicies(vec![PolicyInformation {
        policy_identifier: oid(policy)?,
        policy_qualifiers: qualifiers,
    }]))
}

pub fn other_name(arc: u32, value: &str) -> Result<GeneralName> {
    Ok(GeneralName::OtherName(OtherName {
        type_id: oid(&format!("{OID_JPKI_PD}.{arc}"))?,
        value: Any::encode_from(&Utf8StringRef::new(value)?)?,
    }))
}

/// Validity periods by the holders.tsv `certs` column.
fn leaf_validity(certs: &str) -> Result<Validity> {
    match certs {
        "valid" | "revoked" | "auth_only" => validity((2024, 4, 1), (2030, 3, 31)),
        "expired" => validity((2019, 8, 1), (2024, 8, 1)),
        "expired_recent" => validity((2021, 4, 16), (2026, 4, 15)),
        other => Err(format!("unknown certs status {other:?}").into()),
    }
}

struct Issued {
    serial: [u8; 4],
    der: Vec<u8>,
}

fn make_leaf(ca: &Ca, p: Purpose, h: &Holder) -> Result<(Issued, PrivateKey)> {
    let purpose = match p {
        Purpose::Sign => "sign",
        Purpose::Auth => "auth",
    };
    let label = format!("{}/{purpose}", h.id);
    let key = gen_key(&label)?;
    let spki = spki_of(&key)?;
    let serial = serial_bytes(&label);
    let mobile = matches!(h.token.as_str(), "android" | "iphone");
    let (pref, city) = romanise(&h.address);
    let cn = serial_like_cn(&label);
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(ca.ski.clone()),
        ..Default::default()
    };
    let ian =
        x509_cert::ext::pkix::IssuerAltName(vec![GeneralName::DirectoryName(ca_alt_name(p)?)]);
    let (subject, extensions) = match p {
        Purpose::Sign => {
            let dob = format!("{}{}", era_digit(&h.birth)?, h.birth);
            // Real-certificate order: .1 name, .4 birth date, .3 sex, .5 address, .2 name flags, .6 address flags.
            let san = SubjectAltName(vec![
                other_name(1, &h.name)?,
                other_name(4, &dob)?,
                other_name(3, &h.cert_sex)?,
                other_name(5, &h.address)?,
                other_name(2, &h.name_flags)?,
                other_name(6, &h.address_flags)?,
            ]);
            let policy = if mobile {
                POLICY_TEST_MOBILE_SIGN
            } else {
                POLICY_TEST_CARD_SIGN
            };
            let subject = name(&[
                (OID_C, Str::Printable("JP")),
                (OID_L, Str::Utf8(pref)),
                (OID_L, Str::Utf8(city)),
                (OID_CN, Str::Utf8(&cn)),
            ])?;
            let extensions = vec![
                ext(
                    OID_KU,
                    true,
                    &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
                )?,
                ext(OID_SAN, false, &san)?,
                ext(OID_CP, true, &policies(policy, true)?)?,
                ext(OID_IAN, false, &ian)?,
                ext(OID_CRLDP, false, &leaf_crl_dp(p, pref, city)?)?,
                ext(OID_AKI, false, &aki)?,
                ext(OID_SKI, false, &key_id(&spki)?)?,
            ];
            (subject, extensions)
        }
        Purpose::Auth => {
            let policy = if mobile {
                POLICY_TEST_MOBILE_AUTH
            } else {
                POLICY_TEST_CARD_AUTH
            };
            let subject = name(&[(OID_C, Str::Printable("JP")), (OID_CN, Str::Utf8(&cn))])?;
            // Auth policy criticality is unknown for real certificates (fact sheet §A1.1):
            // the TEST auth certificates mark it non-critical, the sign certificates critical.
            let extensions = vec![
                ext(OID_KU, true, &KeyUsage(KeyUsages::DigitalSignature.into()))?,
                ext(OID_CP, false, &policies(policy, false)?)?,
                ext(OID_IAN, false, &ian)?,
                ext(OID_CRLDP, false, &leaf_crl_dp(p, pref, city)?)?,
                ext(OID_AKI, false, &aki)?,
                ext(OID_SKI, false, &key_id(&spki)?)?,
            ];
            (subject, extensions)
        }
    };
    let profile = Fixed {
        issuer: ca.name.clone(),
        subject,
        extensions,
    };
    let cert = issue(&ca.key, &serial, leaf_validity(&h.certs)?, &spki, profile)?;
    Ok((
        Issued {
            serial,
            der: cert.to_der()?,
        },
        key,
    ))
}

fn revoked(serial: &[u8], date: Time, reason: CrlReason) -> Result<RevokedCert> {
    Ok(RevokedCert {
        serial_number: SerialNumber::new(serial)?,
        revocation_date: date,
        crl_entry_extensions: Some(vec![ext(OID_CRL_REASON, false, &reason)?]),
    })
}

fn make_crl(
    ca: &Ca,
    number: u8,
    this: Time,
    next: Time,
    entries: Vec<RevokedCert>,
) -> Result<Vec<u8>> {
    let builder =
        CrlBuilder::new_with_this_update(&ca.cert, CrlNumber(Uint::new(&[number])?), this)?
            .with_next_update(Some(next))
            .with_certificates(entries.into_iter());
    let signing_key = SigningKey::<Sha256>::new(ca.key.clone());
    Ok(builder
        .build::<_, rsa::pkcs1v15::Signature>(&signing_key)?
        .to_der()?)
}

fn write(dir: &Path, file: &str, bytes: &[u8]) -> Result<()> {
    fs::write(dir.join(file), bytes)?;
    Ok(())
}

/// Generates the whole TEST PKI from the holder table into `out`. Returns the written file names.
pub fn generate(holders_tsv: &str, out: &Path) -> Result<Vec<String>> {
    let holders = parse_holders(holders_tsv)?;
    fs::create_dir_all(out)?;
    let mut files = Vec::new();
    let mut put = |file: &str, bytes: &[u8]| -> Result<()> {
        files.push(file.to_string());
        write(out, file, bytes)
    };

    let sign_ca = make_ca(Purpose::Sign, "sign_ca", &[0x7e, 0x57, 0x00, 0x01])?;
    let auth_ca = make_ca(Purpose::Auth, "auth_ca", &[0x7e, 0x57, 0x00, 0x02])?;
    put("sign_ca.der", &sign_ca.cert.to_der()?)?;
    put("sign_ca.key.der", sign_ca.key.to_pkcs8_der()?.as_bytes())?;
    put("auth_ca.der", &auth_ca.cert.to_der()?)?;
    put("auth_ca.key.der", auth_ca.key.to_pkcs8_der()?.as_bytes())?;

    let revocation_date = time(2026, 3, 2, 1, 0, 0)?;
    let mut sign_revoked = Vec::new();
    let mut auth_revoked = Vec::new();
    for h in &holders {
        let (auth, auth_key) = make_leaf(&auth_ca, Purpose::Auth, h)?;
        put(&format!("{}_auth.der", h.id), &auth.der)?;
        put(
            &format!("{}_auth.key.der", h.id),
            auth_key.to_pkcs8_der()?.as_bytes(),
        )?;
        if h.certs == "revoked" {
            auth_revoked.push(revoked(
                &auth.serial,
                revocation_date,
                CrlReason::KeyCompromise,
            )?);
        }
        if h.certs != "auth_only" {
            let (sign, sign_key) = make_leaf(&sign_ca, Purpose::Sign, h)?;
            put(&format!("{}_sign.der", h.id), &sign.der)?;
            put(
                &format!("{}_sign.key.der", h.id),
                sign_key.to_pkcs8_der()?.as_bytes(),
            )?;
            if h.certs == "revoked" {
                sign_revoked.push(revoked(
                    &sign.serial,
                    revocation_date,
                    CrlReason::AffiliationChanged,
                )?);
            }
        }
    }
    // Entries for certificates that are not in holders.tsv: one per remaining JPKI reason,
    // including certificateHold (permanent in JPKI).
    let fillers = [
        ("hold", CrlReason::CertificateHold),
        ("superseded", CrlReason::Superseded),
        ("cessation", CrlReason::CessationOfOperation),
        ("unspecified", CrlReason::Unspecified),
    ];
    for (label, reason) in fillers {
        let day = time(2025, 11, 20, 3, 0, 0)?;
        sign_revoked.push(revoked(
            &serial_bytes(&format!("filler/sign/{label}")),
            day,
            reason,
        )?);
        auth_revoked.push(revoked(
            &serial_bytes(&format!("filler/auth/{label}")),
            day,
            reason,
        )?);
    }

    let this = time(2026, 1, 1, 0, 0, 0)?;
    let next = time(2036, 1, 1, 0, 0, 0)?;
    put(
        "sign_ca.crl.der",
        &make_crl(&sign_ca, 2, this, next, sign_revoked.clone())?,
    )?;
    put(
        "auth_ca.crl.der",
        &make_crl(&auth_ca, 2, this, next, auth_revoked.clone())?,
    )?;
    // Stale variants: an older CRL whose nextUpdate passed before the reference time.
    let stale_this = time(2025, 1, 1, 0, 0, 0)?;
    let stale_next = time(2025, 1, 2, 0, 0, 0)?;
    put(
        "sign_ca.crl.stale.der",
        &make_crl(&sign_ca, 1, stale_this, stale_next, Vec::new())?,
    )?;
    put(
        "auth_ca.crl.stale.der",
        &make_crl(&auth_ca, 1, stale_this, stale_next, Vec::new())?,
    )?;

    // Plain RSA-2048 keys for the virtual card's 券面 APs.
    for label in ["card_data_signer", "cv_ca", "card_internal"] {
        let key = gen_key(label)?;
        put(&format!("{label}.key.der"), key.to_pkcs8_der()?.as_bytes())?;
    }
    files.extend(publish_revocation(out, &holders, &sign_ca, &auth_ca)?);
    Ok(files)
}

// ---- Revocation as JPKI publishes it: partitions per municipality, ARLs, an OCSP responder.

pub const OID_IDP: &str = "2.5.29.28";
pub const OID_EKU: &str = "2.5.29.37";
pub const OID_KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

/// The issuingDistributionPoint of a partition (one municipality's end-entity certificates) or,
/// with `ca_certs`, of an ARL.
pub fn scoped_idp(
    dp: Name,
    ca_certs: bool,
) -> x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint {
    x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::DirectoryName(dp),
        ])),
        only_contains_user_certs: !ca_certs,
        only_contains_ca_certs: ca_certs,
        only_some_reasons: None,
        indirect_crl: false,
        only_contains_attribute_certs: false,
    }
}

/// A CRL signed by `key` for `issuer` (AKI = `ski`), with a critical issuingDistributionPoint
/// when `idp` is given (RFC 5280 §5.2.5).
#[allow(clippy::too_many_arguments)]
pub fn make_scoped_crl(
    key: &PrivateKey,
    issuer: &Name,
    ski: &OctetString,
    number: u8,
    this: Time,
    next: Time,
    entries: Vec<RevokedCert>,
    idp: Option<x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint>,
) -> Result<Vec<u8>> {
    use rsa::signature::{SignatureEncoding, Signer};
    use spki::DynSignatureAlgorithmIdentifier;
    use x509_cert::crl::{CertificateList, TbsCertList};
    let signing_key = SigningKey::<Sha256>::new(key.clone());
    let algorithm = signing_key.signature_algorithm_identifier()?;
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(ski.clone()),
        ..Default::default()
    };
    let mut extensions = vec![
        ext(OID_AKI, false, &aki)?,
        ext("2.5.29.20", false, &CrlNumber(Uint::new(&[number])?))?,
    ];
    if let Some(idp) = idp {
        extensions.push(ext(OID_IDP, true, &idp)?);
    }
    let tbs = TbsCertList {
        version: x509_cert::certificate::Version::V2,
        signature: algorithm.clone(),
        issuer: issuer.clone(),
        this_update: this,
        next_update: Some(next),
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(extensions),
    };
    let signature = signing_key.try_sign(&tbs.to_der()?)?;
    let crl = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature: der::asn1::BitString::from_bytes(&signature.to_vec())?,
    };
    Ok(crl.to_der()?)
}

/// The directory-name distribution point of a TEST municipality (the name its certificates
/// carry in cRLDistributionPoints).
pub fn municipality_dp(p: Purpose, pref: &str, city: &str) -> Result<Name> {
    let ou = match p {
        Purpose::Sign => "JPKI for digital signature TEST",
        Purpose::Auth => "JPKI for user authentication TEST",
    };
    name(&[
        (OID_C, Str::Printable("JP")),
        (OID_O, Str::Utf8("JPKI TEST")),
        (OID_OU, Str::Utf8(ou)),
        (OID_OU, Str::Utf8("CRL Distribution Points")),
        (OID_OU, Str::Utf8(pref)),
        (OID_CN, Str::Utf8(city)),
    ])
}

/// File name of a TEST municipality's partition, e.g. `auth_ca.dp.Chiyoda-ku.crl.der`.
pub fn partition_file(p: Purpose, city: &str) -> String {
    let ca = match p {
        Purpose::Sign => "sign_ca",
        Purpose::Auth => "auth_ca",
    };
    format!("{ca}.dp.{city}.crl.der")
}

/// One partitioned CRL per TEST municipality and purpose (the revoked holders' certificates in
/// their own municipality's partition, the filler entries in the first one), a stale copy of
/// the first auth partition, an ARL per CA listing a revoked TEST link certificate, and a
/// delegated TEST OCSP responder for the auth CA.
fn publish_revocation(
    out: &Path,
    holders: &[Holder],
    sign_ca: &Ca,
    auth_ca: &Ca,
) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut put = |file: String, bytes: &[u8]| -> Result<()> {
        write(out, &file, bytes)?;
        files.push(file);
        Ok(())
    };
    let this = time(2026, 1, 1, 0, 0, 0)?;
    let next = time(2036, 1, 1, 0, 0, 0)?;
    let revoked_at = time(2026, 3, 2, 1, 0, 0)?;
    for (p, ca, tag) in [
        (Purpose::Sign, sign_ca, "sign"),
        (Purpose::Auth, auth_ca, "auth"),
    ] {
        let mut first = true;
        for h in holders {
            let (pref, city) = romanise(&h.address);
            let mut entries = Vec::new();
            if h.certs == "revoked" {
                let reason = match p {
                    Purpose::Sign => CrlReason::AffiliationChanged,
                    Purpose::Auth => CrlReason::KeyCompromise,
                };
                let serial = serial_bytes(&format!("{}/{tag}", h.id));
                entries.push(revoked(&serial, revoked_at, reason)?);
            }
            if first {
                for (label, reason) in [
                    ("hold", CrlReason::CertificateHold),
                    ("superseded", CrlReason::Superseded),
                ] {
                    let serial = serial_bytes(&format!("filler/{tag}/{label}"));
                    entries.push(revoked(&serial, time(2025, 11, 20, 3, 0, 0)?, reason)?);
                }
            }
            let idp = scoped_idp(municipality_dp(p, pref, city)?, false);
            put(
                partition_file(p, city),
                &make_scoped_crl(
                    &ca.key,
                    &ca.name,
                    &ca.ski,
                    2,
                    this,
                    next,
                    entries,
                    Some(idp.clone()),
                )?,
            )?;
            if first && p == Purpose::Auth {
                put(
                    partition_file(p, city).replace(".crl.der", ".crl.stale.der"),
                    &make_scoped_crl(
                        &ca.key,
                        &ca.name,
                        &ca.ski,
                        1,
                        time(2025, 1, 1, 0, 0, 0)?,
                        time(2025, 1, 2, 0, 0, 0)?,
                        Vec::new(),
                        Some(idp),
                    )?,
                )?;
            }
            first = false;
        }
        // A TEST link certificate (a CA certificate for an older key generation, issued by the
        // CA under its own name), revoked on the ARL.
        let old_key = gen_key(&format!("{tag}_ca/link_old_generation"))?;
        let old_spki = spki_of(&old_key)?;
        let link_serial = serial_bytes(&format!("{tag}_ca/link"));
        let link = issue(
            &ca.key,
            &link_serial,
            validity((2020, 1, 1), (2040, 1, 1))?,
            &old_spki,
            Fixed {
                issuer: ca.name.clone(),
                subject: ca.name.clone(),
                extensions: vec![
                    ext(
                        OID_KU,
                        true,
                        &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
                    )?,
                    ext(
                        OID_BC,
                        true,
                        &BasicConstraints {
                            ca: true,
                            path_len_constraint: None,
                        },
                    )?,
                    ext(OID_CRLDP, false, &crl_dp(ca.name.clone()))?,
                    ext(
                        OID_AKI,
                        false,
                        &AuthorityKeyIdentifier {
                            key_identifier: Some(ca.ski.clone()),
                            ..Default::default()
                        },
                    )?,
                    ext(OID_SKI, false, &key_id(&old_spki)?)?,
                ],
            },
        )?;
        put(format!("{tag}_ca.link.der"), &link.to_der()?)?;
        let arl_entries = vec![revoked(
            &link_serial,
            time(2025, 6, 1, 0, 0, 0)?,
            CrlReason::Superseded,
        )?];
        put(
            format!("{tag}_ca.arl.der"),
            &make_scoped_crl(
                &ca.key,
                &ca.name,
                &ca.ski,
                2,
                this,
                next,
                arl_entries,
                Some(scoped_idp(ca.name.clone(), true)),
            )?,
        )?;
    }
    // The delegated TEST OCSP responder of the auth CA (like ocspauthnorm.jpki.go.jp).
    let key = gen_key("auth_ocsp_responder")?;
    let spki = spki_of(&key)?;
    let responder = issue(
        &auth_ca.key,
        &serial_bytes("auth_ocsp_responder"),
        validity((2026, 1, 1), (2036, 1, 1))?,
        &spki,
        Fixed {
            issuer: auth_ca.name.clone(),
            subject: name(&[
                (OID_C, Str::Printable("JP")),
                (OID_O, Str::Utf8("JPKI TEST")),
                (OID_OU, Str::Utf8("JPKI for user authentication TEST")),
                (OID_CN, Str::Utf8("TEST OCSP responder")),
            ])?,
            extensions: vec![
                ext(OID_KU, true, &KeyUsage(KeyUsages::DigitalSignature.into()))?,
                ext(
                    OID_EKU,
                    false,
                    &x509_cert::ext::pkix::ExtendedKeyUsage(vec![oid(OID_KP_OCSP_SIGNING)?]),
                )?,
                ext(
                    OID_AKI,
                    false,
                    &AuthorityKeyIdentifier {
                        key_identifier: Some(auth_ca.ski.clone()),
                        ..Default::default()
                    },
                )?,
                ext(OID_SKI, false, &key_id(&spki)?)?,
            ],
        },
    )?;
    put("auth_ocsp_responder.der".into(), &responder.to_der()?)?;
    put(
        "auth_ocsp_responder.key.der".into(),
        key.to_pkcs8_der()?.as_bytes(),
    )?;
    Ok(files)
}
