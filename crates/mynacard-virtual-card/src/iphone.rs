//! A virtual iPhone holding the My Number Card's カード代替電磁的記録 as an ISO/IEC 18013-5 mdoc
//! (docType `org.iso.23220.1.jp.mnc`) for the TEST holders. **TEST ONLY.**
//!
//! Written independently of the `mynacard` reader (this crate depends on no workspace crate but
//! `mynacard-transport`): a TEST IACA and document signer generated deterministically (P-256,
//! ECDSA signatures are deterministic, RFC 6979), a static device key, the DeviceEngagement
//! (version "1.1" with keys 5 and 6, its version string in a non-shortest length form as a
//! holder may send it), the NFC negotiated handover with "not ready" empty NDEF answers,
//! session encryption, and device authentication (signature or MAC).

use ciborium::Value;
use der::Encode;
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePublicKey;
use sha2::{Digest, Sha256};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use zeroize::Zeroizing;

use crate::VirtualCard;
use crate::holder::Holder;

/// docType of the My Number Card mdoc.
pub const MDOC_DOC_TYPE: &str = "org.iso.23220.1.jp.mnc";
const NS_JP: &str = "org.iso.23220.1.jp";
const NS_23220: &str = "org.iso.23220.1";
/// The MSO's validity: signed and valid from 2026-01-01T00:00:00Z until 2027-12-31T23:59:59Z.
pub const MSO_VALID_FROM: &str = "2026-01-01T00:00:00Z";
/// End of the MSO's validity.
pub const MSO_VALID_UNTIL: &str = "2027-12-31T23:59:59Z";

/// Why the virtual iPhone refused a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IphoneError {
    /// Unknown TEST holder id.
    #[error("unknown TEST holder")]
    UnknownHolder,
    /// A key or certificate could not be generated.
    #[error("TEST PKI generation failed: {0}")]
    Generation(&'static str),
    /// The reader's message is not what the holder expects.
    #[error("reader message refused: {0}")]
    Refused(&'static str),
}

/// Options of the virtual iPhone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IphoneOptions {
    /// Empty NDEF answers before the Handover Select is ready.
    pub not_ready_reads: u32,
    /// Device authentication by MAC (EMacKey) instead of a signature.
    pub device_mac: bool,
    /// A hostile holder: sign DeviceAuthentication with a key that is not the MSO's.
    pub foreign_device_key: bool,
    /// A hostile or careless holder: disclose every element, asked for or not.
    pub disclose_unasked: bool,
}

impl Default for IphoneOptions {
    fn default() -> Self {
        IphoneOptions {
            not_ready_reads: 2,
            device_mac: false,
            foreign_device_key: false,
            disclose_unasked: false,
        }
    }
}

fn seeded_key(label: &str) -> Result<p256::ecdsa::SigningKey, IphoneError> {
    let seed = Sha256::digest(format!("mynacard TEST mdoc {label}").as_bytes());
    p256::ecdsa::SigningKey::from_slice(&seed).map_err(|_| IphoneError::Generation("key"))
}

fn cbor(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = ciborium::into_writer(v, &mut out);
    out
}

fn tag24(bytes: Vec<u8>) -> Value {
    Value::Tag(24, Box::new(Value::Bytes(bytes)))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn int(i: i64) -> Value {
    Value::Integer(i.into())
}

fn cose_key(key: &p256::PublicKey) -> Value {
    use p256::elliptic_curve::sec1::ToSec1Point;
    let point = key.to_sec1_point(false);
    let coordinate = |c: Option<&p256::FieldBytes>| c.map(|c| c.to_vec()).unwrap_or_default();
    Value::Map(vec![
        (int(1), int(2)),
        (int(-1), int(1)),
        (int(-2), Value::Bytes(coordinate(point.x()))),
        (int(-3), Value::Bytes(coordinate(point.y()))),
    ])
}

struct Profile {
    issuer: x509_cert::name::Name,
    subject: x509_cert::name::Name,
    extensions: Vec<x509_cert::ext::Extension>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &x509_cert::name::Name) -> x509_cert::name::Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> x509_cert::name::Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: spki_ref::SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: spki_ref::SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<x509_cert::ext::Extension>> {
        Ok(self.extensions.clone())
    }
}

mod spki_ref {
    pub use x509_cert::spki::SubjectPublicKeyInfoRef;
}

fn ext(oid: &str, value: &impl Encode) -> Result<x509_cert::ext::Extension, IphoneError> {
    Ok(x509_cert::ext::Extension {
        extn_id: der::asn1::ObjectIdentifier::new(oid)
            .map_err(|_| IphoneError::Generation("oid"))?,
        critical: true,
        extn_value: der::asn1::OctetString::new(
            value
                .to_der()
                .map_err(|_| IphoneError::Generation("extension"))?,
        )
        .map_err(|_| IphoneError::Generation("extension"))?,
    })
}

fn validity(from: u16, to: u16) -> Result<x509_cert::time::Validity, IphoneError> {
    let t = |y| {
        der::DateTime::new(y, 1, 1, 0, 0, 0)
            .map(der::asn1::GeneralizedTime::from_date_time)
            .map(x509_cert::time::Time::GeneralTime)
            .map_err(|_| IphoneError::Generation("validity"))
    };
    Ok(x509_cert::time::Validity::new(t(from)?, t(to)?))
}

fn issue(
    signer: &p256::ecdsa::SigningKey,
    subject_key: &p256::ecdsa::VerifyingKey,
    serial: u8,
    profile: Profile,
    from: u16,
    to: u16,
) -> Result<Vec<u8>, IphoneError> {
    let g = |_| IphoneError::Generation("certificate");
    let spki_der = subject_key
        .to_public_key_der()
        .map_err(|_| IphoneError::Generation("spki"))?;
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::try_from(spki_der.as_bytes())
        .map_err(|_| IphoneError::Generation("spki"))?;
    let builder = CertificateBuilder::new(
        profile,
        x509_cert::serial_number::SerialNumber::new(&[serial]).map_err(g)?,
        validity(from, to)?,
        spki,
    )
    .map_err(|_| IphoneError::Generation("certificate"))?;
    let cert = builder
        .build::<_, p256::ecdsa::DerSignature>(signer)
        .map_err(|_| IphoneError::Generation("certificate"))?;
    cert.to_der()
        .map_err(|_| IphoneError::Generation("certificate"))
}

/// The TEST IACA and document signer: `(IACA DER, DS DER, DS key)`.
fn test_issuer() -> Result<(Vec<u8>, Vec<u8>, p256::ecdsa::SigningKey), IphoneError> {
    use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
    let name = |s: &str| {
        s.parse::<x509_cert::name::Name>()
            .map_err(|_| IphoneError::Generation("name"))
    };
    let iaca_key = seeded_key("iaca")?;
    let ds_key = seeded_key("document signer")?;
    let iaca_name = name("CN=mynacard TEST IACA,O=mynacard TEST,C=JP")?;
    let iaca = issue(
        &iaca_key,
        iaca_key.verifying_key(),
        1,
        Profile {
            issuer: iaca_name.clone(),
            subject: iaca_name.clone(),
            extensions: vec![
                ext(
                    "2.5.29.19",
                    &BasicConstraints {
                        ca: true,
                        path_len_constraint: Some(0),
                    },
                )?,
                ext(
                    "2.5.29.15",
                    &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
                )?,
            ],
        },
        2025,
        2040,
    )?;
    let ds = issue(
        &iaca_key,
        ds_key.verifying_key(),
        2,
        Profile {
            issuer: iaca_name,
            subject: name("CN=mynacard TEST document signer,O=mynacard TEST,C=JP")?,
            extensions: vec![
                ext("2.5.29.15", &KeyUsage(KeyUsages::DigitalSignature.into()))?,
                ext(
                    "2.5.29.37",
                    &ExtendedKeyUsage(vec![der::asn1::ObjectIdentifier::new_unwrap(
                        "1.0.18013.5.1.2",
                    )]),
                )?,
            ],
        },
        2025,
        2035,
    )?;
    Ok((iaca, ds, ds_key))
}

/// The TEST IACA certificate (DER): the issuer anchor a reader configures for the virtual
/// iPhone.
pub fn test_iaca_der() -> Result<Vec<u8>, IphoneError> {
    test_issuer().map(|(iaca, _, _)| iaca)
}

enum Nfc {
    /// The TNEP service parameters are readable.
    Initial,
    /// The handover service was selected: the status is readable.
    Selected,
    /// The Handover Request was written; `left` empty answers before the select.
    Requested { request: Vec<u8>, left: u32 },
    /// The Handover Select is readable.
    Ready,
}

struct HolderSession {
    sk_reader: Zeroizing<[u8; 32]>,
    sk_device: Zeroizing<[u8; 32]>,
    transcript: Vec<u8>,
    e_reader: p256::PublicKey,
    receive: u32,
    send: u32,
}

/// The virtual iPhone.
pub struct VirtualIphone {
    holder: Holder,
    options: IphoneOptions,
    ds: Vec<u8>,
    ds_key: p256::ecdsa::SigningKey,
    device_key: p256::ecdsa::SigningKey,
    e_device: p256::SecretKey,
    engagement: Vec<u8>,
    select: Vec<u8>,
    handover: Value,
    nfc: Nfc,
    session: Option<HolderSession>,
}

impl core::fmt::Debug for VirtualIphone {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VirtualIphone").finish_non_exhaustive()
    }
}

impl VirtualIphone {
    /// The phone of a TEST holder (ids of [`crate::TEST_HOLDER_IDS`]); `ephemeral` is the
    /// session's EDeviceKey scalar (randomness is the caller's).
    pub fn test_holder(
        id: &str,
        ephemeral: [u8; 32],
        options: IphoneOptions,
    ) -> Result<Self, IphoneError> {
        let (holder, _) =
            VirtualCard::test_holder_description(id).map_err(|_| IphoneError::UnknownHolder)?;
        let (_, ds, ds_key) = test_issuer()?;
        let device_key = seeded_key(&format!("device {id}"))?;
        let e_device = p256::SecretKey::from_slice(&ephemeral)
            .map_err(|_| IphoneError::Generation("ephemeral key"))?;
        // DeviceEngagement "1.1" with keys 5/6; the version text's length in the two-byte form
        // (0x78 0x03): a re-encoding would differ from these bytes.
        let mut engagement = vec![0xa4, 0x00, 0x78, 0x03];
        engagement.extend_from_slice(b"1.1");
        engagement.push(0x01);
        engagement.extend_from_slice(&cbor(&Value::Array(vec![
            int(1),
            tag24(cbor(&cose_key(&e_device.public_key()))),
        ])));
        engagement.extend_from_slice(&[0x05, 0x80, 0x06, 0xa0]);
        let select = handover_select(&engagement);
        Ok(VirtualIphone {
            holder,
            options,
            ds,
            ds_key,
            device_key,
            e_device,
            engagement,
            select,
            handover: Value::Null,
            nfc: Nfc::Initial,
            session: None,
        })
    }

    /// The DeviceEngagement bytes (what the QR code carries).
    pub fn engagement(&self) -> &[u8] {
        &self.engagement
    }

    /// The QR code's `mdoc:` URI.
    pub fn qr_uri(&self) -> String {
        use base64ct::{Base64UrlUnpadded, Encoding};
        format!(
            "mdoc:{}",
            Base64UrlUnpadded::encode_string(&self.engagement)
        )
    }

    /// Reads the NDEF file (negotiated handover): the TNEP service parameters, then the status,
    /// then empty messages until the Handover Select is ready.
    pub fn nfc_read(&mut self) -> Vec<u8> {
        match &mut self.nfc {
            Nfc::Initial => {
                let mut p = vec![0x10, 19];
                p.extend_from_slice(b"urn:nfc:sn:handover");
                p.extend_from_slice(&[0x00, 0x08, 0x02, 0x10, 0x00]);
                record(0xd1, b"Tp", &[], &p)
            }
            Nfc::Selected => record(0xd1, b"Te", &[], &[0x00]),
            Nfc::Requested { request, left } => {
                if *left > 0 {
                    *left -= 1;
                    return Vec::new();
                }
                self.handover = Value::Array(vec![
                    Value::Bytes(self.select.clone()),
                    Value::Bytes(request.clone()),
                ]);
                self.nfc = Nfc::Ready;
                self.select.clone()
            }
            Nfc::Ready => self.select.clone(),
        }
    }

    /// Writes an NDEF message (the service selection, then the Handover Request).
    pub fn nfc_write(&mut self, ndef: &[u8]) -> Result<(), IphoneError> {
        self.nfc = match self.nfc {
            Nfc::Initial if ndef.windows(19).any(|w| w == b"urn:nfc:sn:handover") => Nfc::Selected,
            Nfc::Selected => Nfc::Requested {
                request: ndef.to_vec(),
                left: self.options.not_ready_reads,
            },
            _ => return Err(IphoneError::Refused("unexpected NDEF write")),
        };
        Ok(())
    }

    /// Handles SessionEstablishment or SessionData from the reader; answers SessionData with
    /// the DeviceResponse (or `{"status": 20}` when the reader's data is a termination).
    pub fn handle(&mut self, message: &[u8]) -> Result<Vec<u8>, IphoneError> {
        let v: Value = ciborium::from_reader(message).map_err(|_| IphoneError::Refused("CBOR"))?;
        let map = v.as_map().ok_or(IphoneError::Refused("not a map"))?;
        let get = |k: &str| {
            map.iter()
                .find(|(key, _)| key.as_text() == Some(k))
                .map(|(_, v)| v)
        };
        if get("status").is_some() && get("data").is_none() {
            self.session = None;
            return Ok(cbor(&Value::Map(vec![(text("status"), int(20))])));
        }
        if let Some(ek) = get("eReaderKey") {
            self.start_session(ek)?;
        }
        let data = get("data")
            .and_then(Value::as_bytes)
            .ok_or(IphoneError::Refused("no data"))?;
        let s = self
            .session
            .as_mut()
            .ok_or(IphoneError::Refused("no session"))?;
        let request =
            open(&s.sk_reader, [0; 8], s.receive, data).ok_or(IphoneError::Refused("decrypt"))?;
        s.receive += 1;
        let response = self.device_response(&request)?;
        let s = self
            .session
            .as_mut()
            .ok_or(IphoneError::Refused("no session"))?;
        let sealed = seal(&s.sk_device, [0, 0, 0, 0, 0, 0, 0, 1], s.send, &response);
        s.send += 1;
        Ok(cbor(&Value::Map(vec![(
            text("data"),
            Value::Bytes(sealed),
        )])))
    }

    fn start_session(&mut self, ek: &Value) -> Result<(), IphoneError> {
        let Value::Tag(24, inner) = ek else {
            return Err(IphoneError::Refused("eReaderKey"));
        };
        let key_bytes = inner.as_bytes().ok_or(IphoneError::Refused("eReaderKey"))?;
        let key: Value = ciborium::from_reader(key_bytes.as_slice())
            .map_err(|_| IphoneError::Refused("eReaderKey"))?;
        let coord = |label: i64| {
            key.as_map()?
                .iter()
                .find(|(k, _)| k.as_integer() == Some(label.into()))
                .and_then(|(_, v)| v.as_bytes().cloned())
        };
        let mut sec1 = vec![0x04];
        sec1.extend(coord(-2).ok_or(IphoneError::Refused("eReaderKey"))?);
        sec1.extend(coord(-3).ok_or(IphoneError::Refused("eReaderKey"))?);
        let e_reader = p256::PublicKey::from_sec1_bytes(&sec1)
            .map_err(|_| IphoneError::Refused("eReaderKey"))?;
        // SessionTranscript over our own engagement bytes, the reader key bytes as received.
        let mut t = vec![0x83];
        t.extend_from_slice(&cbor(&tag24(self.engagement.clone())));
        t.extend_from_slice(&cbor(ek));
        t.extend_from_slice(&cbor(&self.handover));
        let z = p256::ecdh::diffie_hellman(self.e_device.to_nonzero_scalar(), e_reader.as_affine());
        let transcript_bytes = cbor(&tag24(t.clone()));
        self.session = Some(HolderSession {
            sk_reader: hkdf32(z.raw_secret_bytes(), &transcript_bytes, b"SKReader"),
            sk_device: hkdf32(z.raw_secret_bytes(), &transcript_bytes, b"SKDevice"),
            transcript: t,
            e_reader,
            receive: 1,
            send: 1,
        });
        Ok(())
    }

    /// Elements of the holder: `(namespace, identifier, value)`.
    fn elements(&self) -> Vec<(&'static str, &'static str, Value)> {
        let h = &self.holder;
        let b = h.birth_date.as_str();
        let (y, m, d) = (&b[..4], &b[4..6], &b[6..8]);
        let birth = format!("{y}-{m}-{d}");
        let birth_unicode = format!(
            "{}年{}月{}日",
            y,
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        );
        let sex = match h.sex {
            crate::HolderSex::Male => 1,
            crate::HolderSex::Female => 2,
            _ => 9,
        };
        vec![
            (NS_JP, "full_name_unicode", text(&h.name)),
            (NS_JP, "resident_address_unicode", text(&h.address)),
            (NS_JP, "birth_date_unicode", text(&birth_unicode)),
            (NS_JP, "individual_number_unicode", text(&h.my_number)),
            (
                NS_JP,
                "portrait",
                Value::Bytes(crate::images::png(48, 64, h.name.as_bytes())),
            ),
            (
                NS_23220,
                "birth_date",
                Value::Tag(1004, Box::new(text(&birth))),
            ),
            (NS_23220, "sex", int(sex)),
        ]
    }

    fn device_response(&self, request: &[u8]) -> Result<Vec<u8>, IphoneError> {
        let req: Value =
            ciborium::from_reader(request).map_err(|_| IphoneError::Refused("DeviceRequest"))?;
        let refuse = || IphoneError::Refused("DeviceRequest");
        let find = |m: &Value, k: &str| {
            m.as_map().and_then(|m| {
                m.iter()
                    .find(|(key, _)| key.as_text() == Some(k))
                    .map(|(_, v)| v.clone())
            })
        };
        let doc_req = find(&req, "docRequests")
            .and_then(|d| d.as_array().and_then(|a| a.first().cloned()))
            .ok_or_else(refuse)?;
        let Some(Value::Tag(24, items)) = find(&doc_req, "itemsRequest") else {
            return Err(refuse());
        };
        let items: Value = ciborium::from_reader(items.as_bytes().ok_or_else(refuse)?.as_slice())
            .map_err(|_| refuse())?;
        let mut asked = Vec::new();
        for (ns, els) in find(&items, "nameSpaces")
            .and_then(|n| n.as_map().cloned())
            .unwrap_or_default()
        {
            for (el, _) in els.as_map().cloned().unwrap_or_default() {
                asked.push((
                    ns.as_text().unwrap_or_default().to_owned(),
                    el.as_text().unwrap_or_default().to_owned(),
                ));
            }
        }
        // Issuer-signed items for every element (digests of all), disclosed when asked.
        let mut digests: Vec<(&str, Vec<(Value, Value)>)> =
            vec![(NS_JP, vec![]), (NS_23220, vec![])];
        let mut disclosed: Vec<(&str, Vec<Value>)> = vec![(NS_JP, vec![]), (NS_23220, vec![])];
        for (i, (ns, id, value)) in self.elements().into_iter().enumerate() {
            let random = Sha256::digest(format!("random {i} {id}").as_bytes()).to_vec();
            let item = cbor(&Value::Map(vec![
                (text("digestID"), int(i as i64)),
                (text("random"), Value::Bytes(random)),
                (text("elementIdentifier"), text(id)),
                (text("elementValue"), value),
            ]));
            let item_bytes = cbor(&tag24(item.clone()));
            let slot = usize::from(ns == NS_23220);
            digests[slot].1.push((
                int(i as i64),
                Value::Bytes(Sha256::digest(&item_bytes).to_vec()),
            ));
            if self.options.disclose_unasked || asked.iter().any(|(n, e)| n == ns && e == id) {
                disclosed[slot].1.push(tag24(item));
            }
        }
        let mso = Value::Map(vec![
            (text("version"), text("1.0")),
            (text("digestAlgorithm"), text("SHA-256")),
            (
                text("valueDigests"),
                Value::Map(
                    digests
                        .into_iter()
                        .map(|(ns, d)| (text(ns), Value::Map(d)))
                        .collect(),
                ),
            ),
            (
                text("deviceKeyInfo"),
                Value::Map(vec![(
                    text("deviceKey"),
                    cose_key(&p256::PublicKey::from(self.device_key.verifying_key())),
                )]),
            ),
            (text("docType"), text(MDOC_DOC_TYPE)),
            (
                text("validityInfo"),
                Value::Map(vec![
                    (
                        text("signed"),
                        Value::Tag(0, Box::new(text(MSO_VALID_FROM))),
                    ),
                    (
                        text("validFrom"),
                        Value::Tag(0, Box::new(text(MSO_VALID_FROM))),
                    ),
                    (
                        text("validUntil"),
                        Value::Tag(0, Box::new(text(MSO_VALID_UNTIL))),
                    ),
                ]),
            ),
        ]);
        let payload = cbor(&tag24(cbor(&mso)));
        let protected = vec![0xa1, 0x01, 0x26];
        let sig: p256::ecdsa::Signature =
            self.ds_key
                .sign(&sig_structure("Signature1", &protected, &payload));
        let issuer_auth = Value::Array(vec![
            Value::Bytes(protected.clone()),
            Value::Map(vec![(int(33), Value::Bytes(self.ds.clone()))]),
            Value::Bytes(payload),
            Value::Bytes(sig.to_bytes().to_vec()),
        ]);
        let s = self
            .session
            .as_ref()
            .ok_or(IphoneError::Refused("no session"))?;
        let device_ns = cbor(&tag24(cbor(&Value::Map(vec![]))));
        let mut da = vec![0x84];
        da.extend_from_slice(&cbor(&text("DeviceAuthentication")));
        da.extend_from_slice(&s.transcript);
        da.extend_from_slice(&cbor(&text(MDOC_DOC_TYPE)));
        da.extend_from_slice(&device_ns);
        let da_bytes = cbor(&tag24(da));
        let device_auth = if self.options.device_mac {
            let sk: p256::SecretKey = self.device_key.clone().into();
            let z = p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), s.e_reader.as_affine());
            let transcript_bytes = cbor(&tag24(s.transcript.clone()));
            let key = hkdf32(z.raw_secret_bytes(), &transcript_bytes, b"EMacKey");
            let protected = vec![0xa1, 0x01, 0x05];
            let tag = hmac_sha256(&key, &sig_structure("MAC0", &protected, &da_bytes))?;
            (
                text("deviceMac"),
                Value::Array(vec![
                    Value::Bytes(protected),
                    Value::Map(vec![]),
                    Value::Null,
                    Value::Bytes(tag),
                ]),
            )
        } else {
            let foreign = seeded_key("foreign device")?;
            let signer = if self.options.foreign_device_key {
                &foreign
            } else {
                &self.device_key
            };
            let sig: p256::ecdsa::Signature =
                signer.sign(&sig_structure("Signature1", &protected, &da_bytes));
            (
                text("deviceSignature"),
                Value::Array(vec![
                    Value::Bytes(protected),
                    Value::Map(vec![]),
                    Value::Null,
                    Value::Bytes(sig.to_bytes().to_vec()),
                ]),
            )
        };
        let doc = Value::Map(vec![
            (text("docType"), text(MDOC_DOC_TYPE)),
            (
                text("issuerSigned"),
                Value::Map(vec![
                    (
                        text("nameSpaces"),
                        Value::Map(
                            disclosed
                                .into_iter()
                                .filter(|(_, v)| !v.is_empty())
                                .map(|(ns, v)| (text(ns), Value::Array(v)))
                                .collect(),
                        ),
                    ),
                    (text("issuerAuth"), issuer_auth),
                ]),
            ),
            (
                text("deviceSigned"),
                Value::Map(vec![
                    (
                        text("nameSpaces"),
                        ciborium::from_reader(device_ns.as_slice()).map_err(|_| refuse())?,
                    ),
                    (text("deviceAuth"), Value::Map(vec![device_auth])),
                ]),
            ),
        ]);
        Ok(cbor(&Value::Map(vec![
            (text("version"), text("1.0")),
            (text("documents"), Value::Array(vec![doc])),
            (text("status"), int(0)),
        ])))
    }
}

/// HMAC-SHA-256 for the holder's deviceMac.
fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> Result<Vec<u8>, IphoneError> {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|_| IphoneError::Generation("HMAC key"))?;
    mac.update(msg);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn sig_structure(context: &str, protected: &[u8], payload: &[u8]) -> Vec<u8> {
    cbor(&Value::Array(vec![
        text(context),
        Value::Bytes(protected.to_vec()),
        Value::Bytes(vec![]),
        Value::Bytes(payload.to_vec()),
    ]))
}

fn hkdf32(z: &[u8], transcript_bytes: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
    let salt = Sha256::digest(transcript_bytes);
    let mut out = Zeroizing::new([0u8; 32]);
    let _ = hkdf::Hkdf::<Sha256>::new(Some(&salt), z).expand(info, out.as_mut_slice());
    out
}

fn nonce(id: [u8; 8], counter: u32) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&id);
    n[8..].copy_from_slice(&counter.to_be_bytes());
    n
}

fn seal(key: &[u8; 32], id: [u8; 8], counter: u32, plain: &[u8]) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit};
    let n = nonce(id, counter);
    aes_gcm::Aes256Gcm::new(key.into())
        .encrypt((&n).into(), plain)
        .unwrap_or_default()
}

fn open(key: &[u8; 32], id: [u8; 8], counter: u32, data: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit};
    let n = nonce(id, counter);
    aes_gcm::Aes256Gcm::new(key.into())
        .decrypt((&n).into(), data)
        .ok()
}

/// One-record NDEF message with header `h` (MB|ME|SR|TNF, IL added for an id).
fn record(h: u8, ty: &[u8], id: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = vec![
        if id.is_empty() { h } else { h | 0x08 },
        ty.len() as u8,
        payload.len() as u8,
    ];
    if !id.is_empty() {
        out.push(id.len() as u8);
    }
    out.extend_from_slice(ty);
    out.extend_from_slice(id);
    out.extend_from_slice(payload);
    out
}

/// Handover Select: an "Hs" record, then the DeviceEngagement external record.
fn handover_select(engagement: &[u8]) -> Vec<u8> {
    let mut out = record(0x91, b"Hs", &[], &[0x15]);
    out.extend(record(
        0x54,
        b"iso.org:18013:deviceengagement",
        b"mdoc",
        engagement,
    ));
    out
}
