// Fuzz target bodies, shared by the cargo-fuzz crate and by the main crate's
// corpus-replay test (`tests/it/fuzz_corpora.rs`). Only `mynacard` is used here.

use mynacard::apdu::{Command, Response};
use mynacard::exchange::{Exchange, FileRef, Framing, Limits};
use mynacard::tlv::{Header, Reader};
use mynacard::transport::{LinkCapabilities, Transport, TransportError};

/// A response APDU: parse, and re-encode what parsed.
pub fn response_apdu(data: &[u8]) {
    if let Ok(r) = Response::parse(data) {
        assert_eq!(r.to_bytes(), data);
        let _ = r.status().meaning();
    }
}

/// A command APDU: parse, and re-encode what parsed in the same form.
pub fn command_apdu(data: &[u8]) {
    if let Ok((cmd, form)) = Command::parse(data) {
        let again = cmd.encode(form).expect("a parsed command re-encodes");
        assert_eq!(again, data);
    }
}

fn walk_tlv(reader: Reader<'_>, depth: usize) {
    for item in reader {
        let Ok(tlv) = item else { return };
        if tlv.is_constructed() && depth < 16 {
            walk_tlv(tlv.children(), depth + 1);
        }
    }
}

/// BER-TLV: the header parser and a recursive walk.
pub fn tlv(data: &[u8]) {
    let _ = Header::parse(data);
    walk_tlv(Reader::new(data), 0);
}

/// A card that answers every command with the next slice of the input.
struct ScriptedCard<'a> {
    chunks: std::vec::IntoIter<&'a [u8]>,
    caps: LinkCapabilities,
}

impl Transport for ScriptedCard<'_> {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.chunks.next().map(<[u8]>::to_vec).ok_or(TransportError::CardRemoved)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.caps
    }
}

/// Splits fuzz input into card responses at `0xA5 0x5A` markers.
pub fn split_responses(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0xA5 && data[i + 1] == 0x5A {
            out.push(&data[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

/// The exchange core against a hostile card: whole-file reads must end in a
/// result or a typed error, bounded by the limits.
pub fn exchange_read_file(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let caps = if mode & 1 == 0 {
        LinkCapabilities::SHORT
    } else {
        LinkCapabilities::extended(65536)
    };
    let card = ScriptedCard { chunks: split_responses(rest).into_iter(), caps };
    let mut ex = Exchange::new(card).with_limits(Limits { max_file_len: 8192 });
    let framing = if mode & 2 == 0 { Framing::Tlv } else { Framing::Fixed(((mode >> 2) as usize) * 37) };
    if let Ok(bytes) = ex.read_file(FileRef::Sfi(0x0A), framing) {
        assert!(bytes.len() <= 8192);
    }
}

/// The virtual card fed arbitrary command APDUs (split at `A5 5A` markers): it
/// must answer every one with at least a status word and never panic.
pub fn virtual_card(data: &[u8]) {
    use mynacard::virtual_card::VirtualCard;
    use std::sync::OnceLock;
    static CARDS: OnceLock<Vec<VirtualCard>> = OnceLock::new();
    let cards = CARDS.get_or_init(|| {
        ["yamada", "ito", "kato"]
            .iter()
            .map(|id| VirtualCard::test_holder(id).expect("built-in test holder"))
            .collect()
    });
    let Some((&which, rest)) = data.split_first() else { return };
    let mut card = cards[which as usize % cards.len()].clone();
    for command in split_responses(rest) {
        let response = card.process(command);
        assert!(response.len() >= 2, "every command gets a status word");
    }
}

/// Every card record parser, chosen by the first byte: token info (EF 0006),
/// certificate availability (EF 0008), JPKI certificate, the 4 attributes,
/// the 個人番号 file, the integrity record, the card face, the CV certificate.
pub fn card_records(data: &[u8]) {
    use mynacard::card::{
        CertAvailability, CvCertificate, IntegrityRecord, JpkiCertificate, JpkiCertificateKind,
        TokenInfo,
    };
    use mynacard::internal::{parse_basic_four, parse_card_face, parse_my_number};
    let Some((&which, rest)) = data.split_first() else { return };
    match which % 8 {
        0 => drop(TokenInfo::parse(rest)),
        1 => drop(CertAvailability::parse(rest)),
        2 => drop(JpkiCertificate::parse(
            JpkiCertificateKind::Auth,
            zeroize::Zeroizing::new(rest.to_vec()),
        )),
        3 => drop(parse_basic_four(rest)),
        4 => drop(parse_my_number(rest)),
        5 => drop(IntegrityRecord::parse(rest)),
        6 => drop(parse_card_face(rest)),
        _ => {
            if let Ok(cv) = CvCertificate::parse("EF 0004", rest) {
                let _ = cv.check(&mynacard::card::CvTrust::jlis_production());
            }
        }
    }
}

/// The terminal's XML files: the result file, the request file and the two
/// consent-gated view answers (YZK, TKK), chosen by the first byte. Hostile XML must end in a
/// typed error with bounded memory.
pub fn eligibility_xml(data: &[u8]) {
    use mynacard::eligibility;
    let Some((&which, rest)) = data.split_first() else { return };
    match which % 5 {
        0 => {
            if let Ok(file) = eligibility::parse_result(rest) {
                // Whatever parses writes back to XML that parses to the same value.
                let xml = file.to_xml(eligibility::XmlEncoding::Utf8).expect("a parsed file writes");
                assert_eq!(eligibility::parse_result(&xml).expect("written XML parses"), file);
            }
        }
        1 => {
            drop(eligibility::parse_request(rest));
            if let Ok(bulk) = eligibility::parse_bulk_request(rest) {
                let xml = bulk.to_xml(eligibility::XmlEncoding::Utf8).expect("a parsed bulk request writes");
                assert_eq!(eligibility::parse_bulk_request(&xml).expect("written XML parses"), bulk);
            }
        }
        2 | 4 => {
            if let Ok(view) = eligibility::parse_medication(rest) {
                let xml = view.to_xml(eligibility::XmlEncoding::Utf8).expect("a parsed view writes");
                assert_eq!(eligibility::parse_medication(&xml).expect("written XML parses"), view);
            }
        }
        _ => {
            if let Ok(view) = eligibility::parse_health_checkups(rest) {
                let xml = view.to_xml(eligibility::XmlEncoding::Utf8).expect("a parsed view writes");
                assert_eq!(eligibility::parse_health_checkups(&xml).expect("written XML parses"), view);
            }
        }
    }
}

/// The exchange's file names: face result names (parse → build must give the
/// same name back), request and answer names.
pub fn eligibility_names(data: &[u8]) {
    let Ok(name) = core::str::from_utf8(data) else { return };
    if let Ok(face) = mynacard::eligibility::FaceFileName::parse(name) {
        assert_eq!(face.to_string(), name, "a face name builds back to itself");
    }
    if let Ok(req) = mynacard::terminal::RequestName::parse(name) {
        assert_eq!(req.to_string(), name, "a request name builds back to itself");
    }
    if let Ok((req, kind)) = mynacard::internal::parse_answer(name) {
        assert_eq!(req.answer(kind), name, "an answer name builds back to itself");
    }
}

/// The reception flows against a hostile card: the first byte picks the flow,
/// the link and the patient's answers; the rest, split at `A5 5A`, are the card's
/// responses. No panic; never a verified identity (the challenge is fresh from
/// the OS RNG, so not even a replayed genuine signature can verify).
pub fn reception_flows(data: &[u8]) {
    use mynacard::date::CalendarDate;
    use mynacard::eligibility::MedicalInstitutionCode;
    use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
    use mynacard::flows::Choice;
    use mynacard::flows::PkiCheck;
    use mynacard::runner::{ChallengeSource, OsRandom, Reply, Runner, ScriptedPatient};
    use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, SmartphoneFlow};
    use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
    use std::sync::OnceLock;

    struct Fixed(FaceVerdict);
    impl FaceMatcher for Fixed {
        fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
            self.0
        }
    }
    static PKI: OnceLock<(TrustStore, CrlIndex)> = OnceLock::new();
    let (trust, crl) = PKI.get_or_init(|| {
        let trust = TrustStore::test_only_mynacard_test_pki().expect("test anchors");
        let crl = CrlIndex::from_der(
            include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"),
            &trust,
            CrlLimits::default(),
        )
        .expect("test CRL");
        (trust, crl)
    });
    let Some((&mode, rest)) = data.split_first() else { return };
    let caps = if mode & 1 == 0 { LinkCapabilities::SHORT } else { LinkCapabilities::extended(65536) };
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck { trust, revocation: crl, policy: &policy, time: test_pki::REFERENCE_TIME };
    let Ok(challenge) = OsRandom.challenge() else { return };
    let facility = MedicalInstitutionCode::parse("1310012345").expect("valid code");
    let mut replies = vec![];
    let mut flow: Box<dyn Flow> = match (mode >> 1) % 3 {
        0 => Box::new(CardPinFlow::new(facility, challenge, check)),
        1 => {
            replies.push(Reply::Choice(if mode & 0x10 == 0 { Choice::Face } else { Choice::Pin }));
            let face = ScannedCardFace {
                birth_date: CalendarDate::new(1990, 4, 1).expect("valid date"),
                expiry_year: 2035,
                security_code: "2285".into(),
            };
            Box::new(CardFaceFlow::new(facility, challenge, check, face))
        }
        _ => Box::new(SmartphoneFlow::new(facility, challenge, check)),
    };
    // Answers: PIN or yes, whatever is asked, a few times over.
    for _ in 0..4 {
        replies.extend([Reply::digits("1234"), Reply::Yes, Reply::Choice(Choice::Pin)]);
    }
    let verdict = if mode & 0x20 == 0 { FaceVerdict::Match } else { FaceVerdict::Mismatch };
    let card = ScriptedCard { chunks: split_responses(rest).into_iter(), caps };
    let mut runner = Runner::new(card);
    let mut patient = ScriptedPatient::new(replies);
    if let Ok(outcome) = runner.run(flow.as_mut(), &mut patient, &mut Fixed(verdict)) {
        assert!(outcome.identity.verified().is_none(), "an identity from hostile responses");
    }
}

/// The employer intake against a hostile card: the first byte picks the link
/// and the answers; the rest, split at `A5 5A`, are the card's responses. No
/// panic; never a record (the challenge is fresh from the OS RNG, so not even a
/// replayed genuine signature can verify).
pub fn employer_intake(data: &[u8]) {
    use mynacard::card::CvTrust;
    use mynacard::employer::{EmployerIntakeFlow, IntakeVerifier, ScriptedNewHire, run_intake};
    use mynacard::runner::Reply;
    use mynacard::pki::{CrlIndex, CrlLimits, StalenessPolicy, test_pki};
    use std::sync::OnceLock;

    static CRL: OnceLock<Option<CrlIndex>> = OnceLock::new();
    let Some(trust) = test_trust_store() else { return };
    let Some(crl) = CRL
        .get_or_init(|| {
            let der = include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der");
            CrlIndex::from_der(der, trust, CrlLimits::default()).ok()
        })
        .as_ref()
    else {
        return;
    };
    let Some((&mode, rest)) = data.split_first() else { return };
    let caps = if mode & 1 == 0 { LinkCapabilities::SHORT } else { LinkCapabilities::extended(65536) };
    // The TEST CV keys: a replayed genuine virtual card passes the 番号確認 and
    // reaches the 身元確認, where the fresh challenge stops it.
    let cv_trust = CvTrust::test_only();
    let verifier = IntakeVerifier {
        trust,
        revocation: crl,
        staleness: StalenessPolicy::Reject,
        cv_trust: &cv_trust,
        time: test_pki::REFERENCE_TIME,
    };
    let Ok(mut flow) = EmployerIntakeFlow::new(verifier) else { return };
    let mut replies = vec![];
    for _ in 0..4 {
        replies.extend([Reply::digits("1234"), Reply::Yes, Reply::digits("YAMADA2024")]);
    }
    let mut card = ScriptedCard { chunks: split_responses(rest).into_iter(), caps };
    let mut new_hire = ScriptedNewHire::new(replies);
    if let Ok(outcome) = run_intake(&mut card, &mut flow, &mut new_hire) {
        assert!(outcome.record().is_none(), "a record from hostile responses");
    }
}

fn test_trust_store() -> Option<&'static mynacard::pki::TrustStore> {
    use std::sync::OnceLock;
    static STORE: OnceLock<Option<mynacard::pki::TrustStore>> = OnceLock::new();
    STORE
        .get_or_init(|| mynacard::pki::TrustStore::test_only_mynacard_test_pki().ok())
        .as_ref()
}

/// Certificate parsing and path validation on hostile bytes (TEST anchors).
pub fn pki_certificate(data: &[u8]) {
    use mynacard::pki::{self, Purpose};
    if let Ok(c) = pki::Certificate::from_der(data) {
        let _ = (c.serial_hex(), c.not_after(), c.issuer().to_string(), c.spki_der());
    }
    let Some(store) = test_trust_store() else { return };
    for purpose in [Purpose::Signature, Purpose::Authentication] {
        if let Ok(v) = store.verify_certificate(data, purpose, pki::test_pki::REFERENCE_TIME) {
            let _ = v.holder_attributes();
        }
    }
}

/// CRL parsing, signature check and indexing on hostile bytes (TEST anchors).
pub fn pki_crl(data: &[u8]) {
    use mynacard::pki::{CrlIndex, CrlLimits};
    let Some(store) = test_trust_store() else { return };
    if let Ok(crl) = CrlIndex::from_der(data, store, CrlLimits { max_entries: 100_000 }) {
        let _ = crl.entries().lookup(&[0x01, 0x02, 0x03, 0x04]);
    }
}

/// The one-call presentation check with a hostile certificate, challenge and
/// signature (structured input through `arbitrary`).
pub fn pki_presentation(data: &[u8]) {
    use arbitrary::{Arbitrary, Unstructured};
    use mynacard::pki::{
        self, HashAlgorithm, NoRevocationSource, Presentation, RelyingPartyPolicy, SignedPayload,
    };
    #[derive(Debug, Arbitrary)]
    struct Input<'a> {
        mode: u8,
        challenge: &'a [u8],
        signature: &'a [u8],
        certificate: &'a [u8],
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else { return };
    let Some(store) = test_trust_store() else { return };
    let mut p = Presentation::new(input.certificate, input.challenge, input.signature);
    p.payload = match input.mode % 3 {
        0 => SignedPayload::Message(HashAlgorithm::Sha256),
        1 => SignedPayload::Prehashed(HashAlgorithm::Sha256),
        _ => SignedPayload::Raw,
    };
    let policy = RelyingPartyPolicy::medical_eligibility();
    let verdict = pki::verify_presentation(
        &p,
        store,
        &NoRevocationSource,
        &policy,
        pki::test_pki::REFERENCE_TIME,
    );
    // Random bytes never make a verified identity.
    assert!(verdict.is_err() || input.signature.len() == 256);
}

/// A calendar date, `YYYYMMDD` and ISO `YYYY-MM-DD`: what parses re-encodes to the
/// same bytes, and its era conversion never panics.
pub fn calendar_date(data: &[u8]) {
    use mynacard::date::CalendarDate;
    if let Ok(d) = CalendarDate::parse_yyyymmdd(data) {
        assert_eq!(&d.yyyymmdd()[..], data);
        let _ = d.to_japanese();
        let _ = d.start_of_day_jst();
    }
    if let Ok(s) = core::str::from_utf8(data)
        && let Ok(d) = CalendarDate::parse_iso(s)
    {
        assert_eq!(d.to_string(), s);
    }
}

/// GET DATA 5F51: the contact ATR parser; what parses re-encodes to the input.
pub fn contact_atr(data: &[u8]) {
    if let Ok(atr) = mynacard::card::ContactAtr::parse(data) {
        assert_eq!(&atr.as_bytes()[1..], data);
        assert!(atr.historical_bytes().len() <= 15);
    }
}

/// 共通AP EF 0001 record 1: the card-info parser.
pub fn common_card_info(data: &[u8]) {
    if let Ok(info) = mynacard::card::CommonCardInfo::parse(data) {
        let joined = [info.serial_number(), info.municipality_code(), info.expiry()].concat();
        assert_eq!(joined.as_bytes(), &data[2..]);
    }
}

/// The fixed part of the PKI targets, built once per process: a trust store over the TEST
/// anchors (with the fast [`FuzzBackend`] or with real RSA), the TEST holders' certificates
/// verified under it, and an OCSP request about yamada (fixed nonce).
struct PkiFixture {
    store: mynacard::pki::TrustStore,
    holders: Vec<mynacard::pki::VerifiedCertificate>,
    auth_ca: mynacard::pki::Certificate,
    request: Option<mynacard::pki::ocsp::OcspRequest>,
}

impl PkiFixture {
    fn new(backend: std::sync::Arc<dyn mynacard::pki::backend::SignatureBackend>) -> Option<Self> {
        use mynacard::pki::ocsp::{CertIdHash, OcspRequest};
        use mynacard::pki::{self, Purpose, TrustStore};
        let store = TrustStore::test_only_mynacard_test_pki_with_backend(backend).ok()?;
        let t = pki::test_pki::REFERENCE_TIME;
        let holders: Vec<_> = [TEST_YAMADA_AUTH, TEST_SATO_AUTH]
            .into_iter()
            .filter_map(|c| store.verify_certificate(c, Purpose::Authentication, t).ok())
            .collect();
        let auth_ca = pki::Certificate::from_der(TEST_AUTH_CA).ok()?;
        let request = holders
            .first()
            .and_then(|c| OcspRequest::new(c, &store, Some(&[0x5A; 32]), CertIdHash::Sha1).ok());
        Some(Self { store, holders, auth_ca, request })
    }

    /// With [`FuzzBackend`]: the genuine TEST signatures the targets meet (certificates, CRLs,
    /// ARLs, OCSP answers of the seed corpora) are verified by real RSA once, here.
    fn fast() -> Option<&'static Self> {
        use std::sync::OnceLock;
        static FIXTURE: OnceLock<Option<PkiFixture>> = OnceLock::new();
        FIXTURE
            .get_or_init(|| {
                let backend = std::sync::Arc::new(FuzzBackend::default());
                let learning = backend.clone();
                let fixture = Self::new(backend)?;
                for crl in TEST_CRLS {
                    let _ = mynacard::pki::CrlIndex::from_der(
                        crl,
                        &fixture.store,
                        mynacard::pki::CrlLimits::default(),
                    );
                }
                let _ = fixture.auth_ca_status(&mynacard::pki::CrlSet::new());
                for answer in TEST_OCSP_ANSWERS {
                    fixture.ocsp_response(answer);
                }
                learning.stop_learning();
                Some(fixture)
            })
            .as_ref()
    }

    /// With real RSA for every signature (the `_verified` targets).
    fn verified() -> Option<&'static Self> {
        use std::sync::OnceLock;
        static FIXTURE: OnceLock<Option<PkiFixture>> = OnceLock::new();
        FIXTURE
            .get_or_init(|| Self::new(mynacard::pki::backend::default_backend()))
            .as_ref()
    }

    fn auth_ca_status(
        &self,
        set: &mynacard::pki::CrlSet,
    ) -> Result<mynacard::pki::RevocationStatus, mynacard::pki::PkiError> {
        use mynacard::pki::{StalenessPolicy, test_pki};
        set.ca_status(&self.auth_ca, &self.store, test_pki::REFERENCE_TIME, StalenessPolicy::Reject)
    }

    /// A set of CRLs (inputs split at `0xA5 0x5A`) answering for the TEST holders: every CRL is
    /// parsed and signature-checked, the entry parser is also run unverified, and the set is
    /// queried for certificates of several municipalities and for the CA certificate (ARL
    /// path).
    fn crl_set(&self, data: &[u8]) {
        use mynacard::pki::{self, CrlIndex, CrlLimits, CrlSet, RevocationSource, StalenessPolicy};
        let limits = CrlLimits { max_entries: 100_000 };
        let mut set = CrlSet::new();
        for chunk in split_responses(data).into_iter().take(16) {
            let _ = mynacard::internal::parse_crl_unverified(chunk, limits);
            if let Ok(crl) = CrlIndex::from_der(chunk, &self.store, limits) {
                set.insert(crl);
            }
        }
        let t = pki::test_pki::REFERENCE_TIME;
        for v in &self.holders {
            let _ = set.status(v, t, StalenessPolicy::ReportNotChecked);
        }
        let _ = self.auth_ca_status(&set);
    }

    /// An OCSP response for the request about yamada: the layers decoded unverified, then the
    /// full verification.
    fn ocsp_response(&self, data: &[u8]) {
        let _ = mynacard::internal::parse_ocsp_response_unverified(data);
        if let Some(request) = &self.request {
            let _ = request.verify_response(data, &self.store, mynacard::pki::test_pki::REFERENCE_TIME);
        }
    }
}

/// Signatures that [`FuzzBackend`] accepts without RSA: the fuzzer finds this prefix through
/// libFuzzer's comparison tracing and so reaches the code behind every signature check.
pub const FUZZ_SIGNATURE: &[u8] = b"mynacard-fuzz-signature";

/// The signature backend of the fast PKI targets: keys are prepared by the real backend (so
/// SubjectPublicKeyInfo parsing is the library's), but no RSA is computed per input. A
/// signature verifies when it begins with [`FUZZ_SIGNATURE`], or when the real backend
/// verified the very same (key, algorithm, message, signature) while the fixture was being
/// built (the genuine TEST certificates, CRLs and OCSP answers). Under AddressSanitizer one
/// RSA verification costs about a millisecond, which held `pki_crl_set` at a few hundred
/// inputs per second; the `_verified` targets keep real RSA for every input.
#[derive(Debug, Default)]
pub struct FuzzBackend {
    genuine: std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
    learned: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FuzzBackend {
    fn stop_learning(&self) {
        self.learned.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[derive(Debug)]
struct FuzzKey {
    real: std::sync::Arc<dyn mynacard::pki::backend::VerificationKey>,
    spki: u64,
    genuine: std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
    /// Set once the fixture is built (then nothing is verified by RSA).
    learned: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

fn fingerprint(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl FuzzKey {
    fn check(
        &self,
        kind: (u8, Option<mynacard::pki::SignatureAlgorithm>),
        message: &[u8],
        signature: &[u8],
        real: impl FnOnce() -> Result<(), mynacard::pki::backend::VerifyFailure>,
    ) -> Result<(), mynacard::pki::backend::VerifyFailure> {
        use mynacard::pki::backend::VerifyFailure;
        if signature.starts_with(FUZZ_SIGNATURE) {
            return Ok(());
        }
        let print = fingerprint((self.spki, kind, message, signature));
        let mut genuine = self.genuine.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if genuine.contains(&print) {
            return Ok(());
        }
        if self.learned.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(VerifyFailure::Mismatch);
        }
        real()?;
        genuine.push(print);
        Ok(())
    }
}

impl mynacard::pki::backend::VerificationKey for FuzzKey {
    fn key_algorithm(&self) -> mynacard::pki::backend::KeyAlgorithm {
        self.real.key_algorithm()
    }
    fn verify(
        &self,
        alg: mynacard::pki::SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), mynacard::pki::backend::VerifyFailure> {
        self.check((0, Some(alg)), message, signature, || self.real.verify(alg, message, signature))
    }
    fn verify_prehash(
        &self,
        alg: mynacard::pki::SignatureAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), mynacard::pki::backend::VerifyFailure> {
        self.check((1, Some(alg)), digest, signature, || self.real.verify_prehash(alg, digest, signature))
    }
    fn verify_raw_pkcs1(
        &self,
        payload: &[u8],
        signature: &[u8],
    ) -> Result<(), mynacard::pki::backend::VerifyFailure> {
        self.check((2, None), payload, signature, || self.real.verify_raw_pkcs1(payload, signature))
    }
}

impl mynacard::pki::backend::SignatureBackend for FuzzBackend {
    fn name(&self) -> &'static str {
        "fuzz"
    }
    fn prepare_key(
        &self,
        spki_der: &[u8],
    ) -> Result<std::sync::Arc<dyn mynacard::pki::backend::VerificationKey>, mynacard::pki::backend::KeyError> {
        Ok(std::sync::Arc::new(FuzzKey {
            real: mynacard::pki::backend::RustCrypto.prepare_key(spki_der)?,
            spki: fingerprint(spki_der),
            genuine: self.genuine.clone(),
            learned: self.learned.clone(),
        }))
    }
}

/// [`PkiFixture::crl_set`] with [`FuzzBackend`] (no RSA per input).
pub fn pki_crl_set(data: &[u8]) {
    if let Some(f) = PkiFixture::fast() {
        f.crl_set(data);
    }
}

/// [`PkiFixture::crl_set`] with real RSA for every CRL and the CA certificate.
pub fn pki_crl_set_verified(data: &[u8]) {
    if let Some(f) = PkiFixture::verified() {
        f.crl_set(data);
    }
}

/// [`PkiFixture::ocsp_response`] with [`FuzzBackend`] (no RSA per input).
pub fn pki_ocsp_response(data: &[u8]) {
    if let Some(f) = PkiFixture::fast() {
        f.ocsp_response(data);
    }
}

/// [`PkiFixture::ocsp_response`] with real RSA for every signature.
pub fn pki_ocsp_response_verified(data: &[u8]) {
    if let Some(f) = PkiFixture::verified() {
        f.ocsp_response(data);
    }
}

/// Genuine OCSP answers about yamada for the fixed nonce (the seed corpus).
const TEST_OCSP_ANSWERS: &[&[u8]] = &[
    include_bytes!("../corpus/pki_ocsp_response/good"),
    include_bytes!("../corpus/pki_ocsp_response/revoked"),
    include_bytes!("../corpus/pki_ocsp_response/signed_by_ca"),
];

/// The CRLs and ARLs the virtual card ships, signed by the TEST CAs.
const TEST_CRLS: &[&[u8]] = &[
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.stale.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.arl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Chiyoda-ku.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Chiyoda-ku.crl.stale.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Fukuoka-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Chiba-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Kobe-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Kyoto-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Nagoya-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Osaka-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Sapporo-shi.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der"),
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.arl.der"),
];

/// A CMS SignedData: the unverified parse, then the whole verification (TEST store, no
/// revocation source), the input's last 16 bytes taken as detached content.
pub fn document_cms(data: &[u8]) {
    let _ = mynacard::internal::parse_cms_unverified(data);
    let Some(trust) = test_trust_store() else { return };
    let (cms, content) = data.split_at(data.len().saturating_sub(16));
    for c in [mynacard::document::Content::Attached, mynacard::document::Content::Detached(content)] {
        let _ = mynacard::document::verify_cms(
            cms,
            c,
            trust,
            &mynacard::pki::NoRevocationSource,
            &mynacard::document::CmsVerifyOptions::strict(),
            mynacard::pki::test_pki::REFERENCE_TIME,
        );
    }
}

/// A PDF: the signature scanner, then the whole verification (TEST store).
pub fn document_pdf(data: &[u8]) {
    let _ = mynacard::internal::scan_pdf_signatures(data);
    let Some(trust) = test_trust_store() else { return };
    if let Ok(report) = mynacard::document::verify_pdf(
        data,
        trust,
        &mynacard::pki::NoRevocationSource,
        &mynacard::document::CmsVerifyOptions::strict(),
        mynacard::pki::test_pki::REFERENCE_TIME,
    ) {
        let _ = report.verdict();
    }
}


const TEST_YAMADA_AUTH: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
const TEST_SATO_AUTH: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/sato_auth.der");
const TEST_AUTH_CA: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.der");

/// The terminal's JSON answer (照会区分 2, feature `serde`): read like the XML it mirrors;
/// whatever parses writes back to XML that parses to the same value.
pub fn eligibility_json(data: &[u8]) {
    use mynacard::eligibility;
    if let Ok(file) = eligibility::parse_result(data) {
        let xml = file.to_xml(eligibility::XmlEncoding::Utf8).expect("a parsed file writes");
        assert_eq!(eligibility::parse_result(&xml).expect("written XML parses"), file);
    }
}

/// A presentation off the wire (feature `serde`): bounded base64url fields, unknown fields
/// refused; whatever is read serializes and reads back to the same presentation.
pub fn presentation_json(data: &[u8]) {
    use mynacard::pki::OwnedPresentation;
    if let Ok(p) = serde_json::from_slice::<OwnedPresentation>(data) {
        let json = serde_json::to_vec(&p).expect("a presentation serializes");
        let again: OwnedPresentation = serde_json::from_slice(&json).expect("its JSON reads back");
        assert_eq!(again, p);
    }
}

/// Every target, by name: the corpus-replay test walks `fuzz/corpus/<name>/`
/// and `fuzz/regressions/<name>/` for each.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("response_apdu", response_apdu),
    ("command_apdu", command_apdu),
    ("tlv", tlv),
    ("exchange_read_file", exchange_read_file),
    ("virtual_card", virtual_card),
    ("card_records", card_records),
    ("eligibility_xml", eligibility_xml),
    ("eligibility_names", eligibility_names),
    ("reception_flows", reception_flows),
    ("employer_intake", employer_intake),
    ("pki_certificate", pki_certificate),
    ("pki_crl", pki_crl),
    ("pki_presentation", pki_presentation),
    ("calendar_date", calendar_date),
    ("contact_atr", contact_atr),
    ("common_card_info", common_card_info),
    ("pki_crl_set", pki_crl_set),
    ("pki_ocsp_response", pki_ocsp_response),
    ("pki_crl_set_verified", pki_crl_set_verified),
    ("pki_ocsp_response_verified", pki_ocsp_response_verified),
    ("mdoc_engagement", mynacard::internal::mdoc_engagement),
    ("mdoc_handover", mynacard::internal::mdoc_handover),
    ("mdoc_cbor_cose", mynacard::internal::mdoc_cbor_cose),
    ("mdoc_session", mynacard::internal::mdoc_session),

    ("document_cms", document_cms),
    ("document_pdf", document_pdf),
    ("eligibility_json", eligibility_json),
    ("presentation_json", presentation_json),
];
