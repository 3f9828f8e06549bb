//! Building a virtual card from one holder description plus certificates and keys.

use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;

use super::VirtualCard;
use super::card_manager::MfObjects;
use super::cv_certificate::{cv_certificate, key_id, mf_key_id};
use super::file_system::{Access, CardApplication, Df, Ef};
use super::holder::{Holder, parse_date};
use super::options::VirtualCardOptions;
use super::pin::PinCounter;
use super::profile::Profile;
use super::records::{self, padded_size};

/// Why a virtual card could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A certificate or key the profile needs was not supplied.
    #[error("missing {0}")]
    MissingCredential(&'static str),
    /// A PIN, password, 照合番号 part or code does not have the card's format.
    #[error("{0} does not have the required format")]
    InvalidSecret(&'static str),
    /// A date is not `YYYYMMDD`.
    #[error("{0} is not a YYYYMMDD date")]
    InvalidDate(&'static str),
    /// The 全国地方公共団体コード is not 5 digits.
    #[error("municipality code is not 5 digits")]
    InvalidMunicipalityCode,
    /// A key is not RSA-2048.
    #[error("{what} is a {bits}-bit key; the card holds RSA-2048 keys")]
    KeySize {
        /// Which key.
        what: &'static str,
        /// Its modulus size.
        bits: usize,
    },
    /// A key is not a PKCS#8 DER RSA private key.
    #[error("{0} is not a PKCS#8 DER RSA private key")]
    KeyEncoding(&'static str),
    /// Signing a record failed.
    #[error("signing a card record failed")]
    Signing,
    /// A retry limit is outside 1–15 (the range `63Cx` can report).
    #[error("retry limit {value} for {what} is outside 1..=15")]
    RetryLimit {
        /// Which limit.
        what: &'static str,
        /// The configured value.
        value: u8,
    },
    /// The capabilities cannot carry a 256-byte signature response.
    #[error("link capabilities too small for the card's responses")]
    Capabilities,
    /// No built-in test holder has this id.
    #[error("no built-in test holder {0:?}")]
    UnknownTestHolder(String),
    /// The built-in holder table could not be read.
    #[error("holder table line {line}: {reason}")]
    HolderTable {
        /// 1-based line number in `data/holders.tsv`.
        line: usize,
        /// What was wrong.
        reason: &'static str,
    },
}

/// Parses a PKCS#8 DER RSA private key (`what` names it in the error).
pub fn rsa_key_from_pkcs8_der(der: &[u8], what: &'static str) -> Result<PrivateKey, BuildError> {
    PrivateKey::from_pkcs8_der(der).map_err(|_| BuildError::KeyEncoding(what))
}

/// Builds a [`VirtualCard`]. Obtain one with [`VirtualCard::builder`].
///
/// A physical-card profile needs: auth key + certificate, auth CA certificate,
/// the card-data signer (the key certified by the 券面 APs' CV certificates), the
/// CV CA key (signs those CV certificates) and the card's own key. A sign key +
/// certificate is needed exactly when the holder has a sign password. Smartphone
/// profiles need only the JPKI credentials.
#[derive(Debug)]
pub struct VirtualCardBuilder {
    holder: Holder,
    profile: Profile,
    options: VirtualCardOptions,
    auth: Option<(PrivateKey, Vec<u8>)>,
    auth_ca: Option<Vec<u8>>,
    sign: Option<(PrivateKey, Vec<u8>)>,
    sign_ca: Option<Vec<u8>>,
    data_signer: Option<PrivateKey>,
    cv_ca: Option<PrivateKey>,
    card_key: Option<PrivateKey>,
}

impl VirtualCardBuilder {
    pub(crate) fn new(holder: Holder) -> Self {
        Self {
            holder,
            profile: Profile::Card,
            options: VirtualCardOptions::default(),
            auth: None,
            auth_ca: None,
            sign: None,
            sign_ca: None,
            data_signer: None,
            cv_ca: None,
            card_key: None,
        }
    }

    /// Physical card (default), Android or iPhone token.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Behaviour options (retry limits, blocked SW, link capabilities…).
    pub fn options(mut self, options: VirtualCardOptions) -> Self {
        self.options = options;
        self
    }

    /// 利用者証明用 key (EF `0017`) and certificate (EF `000A`, X.509 DER).
    pub fn auth(mut self, key: PrivateKey, certificate_der: Vec<u8>) -> Self {
        self.auth = Some((key, certificate_der));
        self
    }

    /// 利用者証明用CA certificate (EF `000B`).
    pub fn auth_ca_certificate(mut self, der: Vec<u8>) -> Self {
        self.auth_ca = Some(der);
        self
    }

    /// 署名用 key (EF `001A`) and certificate (EF `0001`).
    pub fn sign(mut self, key: PrivateKey, certificate_der: Vec<u8>) -> Self {
        self.sign = Some((key, certificate_der));
        self
    }

    /// 署名用CA certificate (EF `0002`).
    pub fn sign_ca_certificate(mut self, der: Vec<u8>) -> Self {
        self.sign_ca = Some(der);
        self
    }

    /// The key that signs the kenhojo / kenkaku records (the J-LIS key on a real
    /// card; a test key here), certified by the CV certificates in EF `0004`.
    pub fn card_data_signer(mut self, key: PrivateKey) -> Self {
        self.data_signer = Some(key);
        self
    }

    /// The CA key that signs the CV certificates (not stored on the card).
    pub fn cv_ca(mut self, key: PrivateKey) -> Self {
        self.cv_ca = Some(key);
        self
    }

    /// The card's own key (券面 APs' `0013`/`001A`; public half in `DF12`/`DF24`/`DF42`).
    pub fn card_key(mut self, key: PrivateKey) -> Self {
        self.card_key = Some(key);
        self
    }

    /// Checks the holder and credentials and builds the card.
    pub fn build(self) -> Result<VirtualCard, BuildError> {
        let Self {
            holder,
            profile,
            options,
            auth,
            auth_ca,
            sign,
            sign_ca,
            data_signer,
            cv_ca,
            card_key,
        } = self;
        check_options(&options)?;
        parse_date(&holder.birth_date).ok_or(BuildError::InvalidDate("birth date"))?;
        parse_date(&holder.card_expiry).ok_or(BuildError::InvalidDate("card expiry"))?;
        check_digits(&holder.my_number, 12, 12, "my number")?;

        let (auth_key, auth_cert) = auth.ok_or(BuildError::MissingCredential("auth key"))?;
        let auth_ca = auth_ca.ok_or(BuildError::MissingCredential("auth CA certificate"))?;
        check_key(&auth_key, "auth key")?;
        let auth_pin = holder
            .auth_pin
            .as_ref()
            .ok_or(BuildError::MissingCredential("auth PIN"))?;
        check_digits(auth_pin, 4, 4, "auth PIN")?;

        let mut jpki = Vec::new();
        let has_sign = match (&holder.sign_password, sign) {
            (Some(pw), Some((key, cert))) => {
                check_sign_password(pw)?;
                check_key(&key, "sign key")?;
                let size = padded_size(cert.len(), 2048);
                jpki.push(Ef::binary(0x0001, Access::AnyOf(vec![0x001B]), &cert, size));
                jpki.push(Ef::key(0x001A, Access::AnyOf(vec![0x001B]), key));
                jpki.push(Ef::pin(0x001B, PinCounter::new(pw.as_bytes(), 5, 6..=16)));
                true
            }
            (None, None) => false,
            (Some(_), None) => return Err(BuildError::MissingCredential("sign key")),
            (None, Some(_)) => return Err(BuildError::MissingCredential("sign password")),
        };
        if let Some(ca) = sign_ca {
            jpki.push(Ef::binary(
                0x0002,
                Access::Free,
                &ca,
                padded_size(ca.len(), 2048),
            ));
        }
        jpki.push(Ef::binary(
            0x0006,
            Access::Free,
            &records::token_info(profile),
            160,
        ));
        jpki.push(Ef::binary(
            0x0008,
            Access::Free,
            &records::certificate_availability(has_sign),
            3,
        ));
        let auth_cert_access = match profile {
            Profile::Android => Access::AnyOf(vec![0x0018]),
            _ => Access::Free,
        };
        let size = padded_size(auth_cert.len(), 2048);
        jpki.push(Ef::binary(0x000A, auth_cert_access, &auth_cert, size));
        jpki.push(Ef::binary(
            0x000B,
            Access::Free,
            &auth_ca,
            padded_size(auth_ca.len(), 2048),
        ));
        // Measured: protected, opened by no credential (soltia48/myna-card src/ap/jpki.rs).
        jpki.push(Ef::binary(0x0009, Access::Never, &[0xFF; 16], 16));
        // Key references the card uses itself: 0010 (probed as one) and 0016 (checks a
        // terminal's CV certificate for 80 A2); selectable, unreadable.
        jpki.push(Ef::internal(0x0010));
        jpki.push(Ef::internal(0x0016));
        jpki.push(Ef::key(0x0017, Access::AnyOf(vec![0x0018]), auth_key));
        jpki.push(Ef::pin(
            0x0018,
            PinCounter::new(auth_pin.as_bytes(), 3, 4..=4),
        ));
        jpki.sort_by_key(|e| e.fid);

        let mut dfs = vec![Df {
            app: CardApplication::Jpki,
            efs: jpki,
        }];
        let mut mf_objects = MfObjects::default();
        if profile.has_card_face_applications() {
            let signer =
                data_signer.ok_or(BuildError::MissingCredential("card data signer key"))?;
            let cv_ca = cv_ca.ok_or(BuildError::MissingCredential("CV CA key"))?;
            let card_key = card_key.ok_or(BuildError::MissingCredential("card key"))?;
            check_key(&signer, "card data signer key")?;
            check_key(&cv_ca, "CV CA key")?;
            check_key(&card_key, "card key")?;
            let (apps, objects) =
                card_face_applications(&holder, &options, signer, &cv_ca, card_key)?;
            dfs.extend(apps);
            mf_objects = objects;
        }
        Ok(VirtualCard::from_parts(profile, options, dfs, mf_objects))
    }
}

/// The 券面事項入力補助AP, 券面事項確認AP, 住基AP and 共通AP of a physical card.
fn card_face_applications(
    holder: &Holder,
    options: &VirtualCardOptions,
    signer: PrivateKey,
    cv_ca: &PrivateKey,
    card_key: PrivateKey,
) -> Result<([Df; 4], MfObjects), BuildError> {
    let pin = holder
        .kenhojo_pin
        .as_ref()
        .ok_or(BuildError::MissingCredential("kenhojo PIN"))?;
    check_digits(pin, 4, 4, "kenhojo PIN")?;
    let juki_pin = holder.juki_pin.as_ref().unwrap_or(pin);
    check_digits(juki_pin, 4, 4, "juki PIN")?;
    let code = holder
        .security_code
        .as_ref()
        .ok_or(BuildError::MissingCredential("security code"))?;
    check_digits(code, 4, 4, "security code")?;
    check_digits(&holder.municipality_code, 5, 5, "municipality code")
        .map_err(|_| BuildError::InvalidMunicipalityCode)?;
    let number_b = holder
        .verification_number_b()
        .ok_or(BuildError::InvalidDate("birth date"))?;
    let birth_key = holder
        .birth_key()
        .ok_or(BuildError::InvalidDate("birth date"))?;
    let number_a = holder.my_number.as_bytes();
    let card_pub = card_key.to_public_key();
    let signer_pub = signer.to_public_key();
    let vn = options.verification_number_retries;

    // 券面事項入力補助AP
    let hojo_issuer = key_id(b"6900033", b"001");
    let hojo_subject = key_id(b"6000033", b"101");
    let number = records::kenhojo_my_number(holder);
    let ef0001 = Ef::binary(0x0001, Access::AnyOf(vec![0x0011, 0x0014]), &number, 17);
    let (basic4, fields) = records::kenhojo_basic4(holder);
    let integrity = records::kenhojo_integrity(
        &padded(&number, 17),
        basic4.get(fields).unwrap_or_default(),
        &signer,
    )?;
    let any = || Access::AnyOf(vec![0x0011, 0x0014, 0x0015]);
    let cv = cv_certificate(&hojo_issuer, &hojo_subject, &signer_pub, cv_ca)?;
    let info = records::kenhojo_basic_info(&key_id(b"6000034", b"001"), &card_pub);
    // EF 0006 holds a third key, not the card key (soltia48/myna-card src/sm.rs): TEST, the
    // record signer's public key.
    let session = records::kenhojo_session_key(&signer_pub);
    let signed_key = records::kenhojo_signed_card_key(&card_pub, &signer)?;
    let kenhojo = Df {
        app: CardApplication::Kenhojo,
        efs: vec![
            ef0001,
            Ef::binary(
                0x0002,
                Access::AnyOf(vec![0x0011, 0x0015]),
                &basic4,
                padded_size(basic4.len(), 0),
            ),
            Ef::binary(0x0003, any(), &integrity, padded_size(integrity.len(), 0)),
            Ef::binary(0x0004, Access::Free, &cv, padded_size(cv.len(), 0)),
            Ef::binary(0x0005, Access::Free, &info, 256),
            Ef::binary(0x0006, any(), &session, padded_size(session.len(), 0)),
            Ef::binary(0x0007, any(), &signed_key, padded_size(signed_key.len(), 0)),
            Ef::pin(0x0011, PinCounter::new(pin.as_bytes(), 3, 4..=4)),
            Ef::pin(0x0012, PinCounter::blocked()),
            Ef::key(0x0013, Access::Free, card_key.clone()),
            Ef::pin(0x0014, PinCounter::new(number_a, vn, 12..=12)),
            Ef::pin(0x0015, PinCounter::new(number_b.as_bytes(), vn, 14..=14)),
        ],
    };

    // 券面事項確認AP
    let kaku_issuer = key_id(b"6900023", b"001");
    let kaku_subject = key_id(b"6000023", b"101");
    let age = records::kenkaku_age(holder, &card_pub, &signer)?;
    let face = records::kenkaku_face(holder, &card_pub, &signer)?;
    let kaku_info = records::kenkaku_basic_info(
        &key_id(b"6000024", b"001"),
        &key_id(b"5900025", b"001"),
        &holder.municipality_code,
    );
    let kaku_cv = cv_certificate(&kaku_issuer, &kaku_subject, &signer_pub, cv_ca)?;
    // The basic-info key IDs differ from the CV certificate's subject key on real cards
    // (soltia48/myna-card src/ap/surface.rs, ApBasicData::public_key_id).
    let image = records::kenkaku_my_number_image(holder, &card_pub, &signer)?;
    let kenkaku = Df {
        app: CardApplication::Kenkaku,
        efs: vec![
            Ef::binary(
                0x0001,
                Access::AnyOf(vec![0x0011]),
                &age,
                padded_size(age.len(), 0),
            ),
            Ef::binary(
                0x0002,
                Access::AnyOf(vec![0x0013, 0x0012]),
                &face,
                padded_size(face.len(), 0),
            ),
            Ef::binary(
                0x0003,
                Access::Free,
                &kaku_info,
                padded_size(kaku_info.len(), 0),
            ),
            Ef::binary(
                0x0004,
                Access::Free,
                &kaku_cv,
                padded_size(kaku_cv.len(), 0),
            ),
            Ef::binary(
                0x0005,
                Access::AnyOf(vec![0x0013]),
                &image,
                padded_size(image.len(), 0),
            ),
            Ef::pin(
                0x0011,
                PinCounter::new(birth_key.as_bytes(), options.birth_key_retries, 6..=6),
            ),
            Ef::pin(0x0012, PinCounter::new(number_b.as_bytes(), vn, 14..=14)),
            Ef::pin(0x0013, PinCounter::new(number_a, vn, 12..=12)),
            Ef::key(0x001A, Access::Free, card_key.clone()),
            // Opened by 照合番号A or B (measured); content unknown, TEST filler.
            Ef::binary(0x0006, Access::AnyOf(vec![0x0013, 0x0012]), &[0xFF; 16], 16),
            // Selectable (SELECT → 9000, measured by soltia48/myna-card's probe); content and
            // role unknown. Guessed: internal EFs like the MF's 001E (READ BINARY and READ
            // RECORD answer 6981), the most plausible answer for a selectable EF no reader
            // reads.
            Ef::internal(0x0014),
            Ef::internal(0x0015),
        ],
    };
    let card_key_for_common = card_key;
    // 住基AP and 共通AP: record-structured EFs (soltia48/myna-card src/ap/juki.rs,
    // src/ap/common.rs). EF 0002 of both holds the same 16-byte key reference.
    let key_reference = key_id(b"6000010", b"001").to_vec();
    let juki = Df {
        app: CardApplication::Juki,
        efs: vec![
            Ef::records(0x0002, Access::Free, vec![key_reference.clone()]),
            Ef::pin(0x001C, PinCounter::new(juki_pin.as_bytes(), 3, 4..=4)),
        ],
    };
    let serial = records::card_serial(holder);
    let common = Df {
        app: CardApplication::Common,
        efs: vec![
            Ef::records(
                0x0001,
                Access::Free,
                vec![records::common_card_info(holder, &serial)],
            ),
            Ef::records(0x0002, Access::Free, vec![key_reference]),
            // INTERNAL AUTHENTICATE key, no credential. TEST: the card key (a real card's
            // public half is on no file).
            Ef::key(0x0019, Access::Free, card_key_for_common),
            Ef::pin(0x001C, PinCounter::new(juki_pin.as_bytes(), 3, 4..=4)),
            Ef::internal(0x001E),
        ],
    };
    // The MF-level CV chain (GET DATA 00F8 / 7F21, answered without the 7F21 wrapper as
    // measured): the TEST CV CA 6900020 certifies an intermediate (as on the J-LIS test card,
    // whose 00F8 names 6000020/001 → 1322130/002: the municipality code + 0), which certifies
    // the card key that answers INTERNAL AUTHENTICATE in the 共通AP (EF 0019). TEST model: the
    // intermediate is the record signer's key, and that 7F21 certifies the 0019 key is this
    // crate's hypothesis (a real card's 0019 public half is on no file).
    let mut intermediate_digits = [b'0'; 7];
    intermediate_digits[..5].copy_from_slice(holder.municipality_code.as_bytes());
    let intermediate = key_id(&intermediate_digits, b"002");
    intermediate_digits[6] = b'1';
    let card_key_id = key_id(&intermediate_digits, b"001");
    let upper = cv_certificate(
        &mf_key_id(b"6900020", b"001"),
        &intermediate,
        &signer_pub,
        cv_ca,
    )?;
    let lower = cv_certificate(&intermediate, &card_key_id, &card_pub, &signer)?;
    let objects = MfObjects {
        objects: vec![
            (0x0042, key_id(b"6000000", b"001").to_vec()),
            (0x0045, serial.into_bytes()),
            (0x0066, GP_CARD_RECOGNITION.to_vec()),
            (0x00F0, holder.municipality_code.as_bytes().to_vec()),
            (0x00F2, holder.card_expiry.as_bytes().to_vec()),
            (0x00F7, intermediate.to_vec()),
            (0x00F8, upper.get(5..).unwrap_or_default().to_vec()),
            (0x7F21, lower.get(5..).unwrap_or_default().to_vec()),
        ],
    };
    Ok(([kenhojo, kenkaku, juki, common], objects))
}

/// GlobalPlatform card recognition data (`73` with the OID 1.2.840.114283.1).
const GP_CARD_RECOGNITION: [u8; 11] = [
    0x73, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x01,
];

fn padded(object: &[u8], size: usize) -> Vec<u8> {
    let mut v = object.to_vec();
    v.resize(size.max(object.len()), 0xFF);
    v
}

fn check_options(o: &VirtualCardOptions) -> Result<(), BuildError> {
    for (what, value) in [
        ("照合番号A/B", o.verification_number_retries),
        ("birth-date key", o.birth_key_retries),
    ] {
        if !(1..=15).contains(&value) {
            return Err(BuildError::RetryLimit { what, value });
        }
    }
    if o.capabilities.max_response_len < 258 || o.capabilities.max_command_len < 261 {
        return Err(BuildError::Capabilities);
    }
    Ok(())
}

fn check_key(key: &PrivateKey, what: &'static str) -> Result<(), BuildError> {
    let bits = key.size() * 8;
    if bits == 2048 {
        Ok(())
    } else {
        Err(BuildError::KeySize { what, bits })
    }
}

fn check_digits(s: &str, min: usize, max: usize, what: &'static str) -> Result<(), BuildError> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(BuildError::InvalidSecret(what))
    }
}

/// 6–16 of `A–Z0–9` with at least one letter and one digit.
fn check_sign_password(pw: &str) -> Result<(), BuildError> {
    let ok = (6..=16).contains(&pw.len())
        && pw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && pw.bytes().any(|b| b.is_ascii_uppercase())
        && pw.bytes().any(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(BuildError::InvalidSecret("sign password"))
    }
}
