//! The reception flows fed hostile card responses: they never panic and never
//! yield a verified identity from garbage — nor from a replay of a real card's
//! answers, since every run signs a fresh challenge.
//!
//! `reception_flows` below is written to be copied as-is into the fuzz crate's
//! `fuzz/src/targets.rs` (it uses only `mynacard` and that file's
//! `ScriptedCard` / `split_responses` equivalents defined here).

#![cfg(feature = "virtual-card")]

use std::sync::OnceLock;

use mynacard::card::era::CalendarDate;
use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::face::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::flows::guidance::Choice;
use mynacard::flows::presentation::{Challenge, PkiCheck};
use mynacard::flows::runner::{ChallengeSource, OsRandom, Reply, Runner, ScriptedPatient};
use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, FlowError, SmartphoneFlow};
use mynacard::pki::{CrlIndex, CrlLimits, PkiError, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::transport::{LinkCapabilities, Transport, TransportError};
use proptest::prelude::*;
use zeroize::Zeroizing;

/// A card that answers every command with the next slice of the input.
struct ScriptedCard<'a> {
    chunks: std::vec::IntoIter<&'a [u8]>,
    caps: LinkCapabilities,
}

impl Transport for ScriptedCard<'_> {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.chunks
            .next()
            .map(<[u8]>::to_vec)
            .ok_or(TransportError::CardRemoved)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.caps
    }
}

/// Splits the input into responses at `A5 5A` markers.
fn split_responses(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
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

struct Verdict(FaceVerdict);
impl FaceMatcher for Verdict {
    fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
        self.0
    }
}

/// The reception flows against a hostile card: the first byte picks the flow,
/// the link and the patient's answers; the rest, split at `A5 5A`, are the card's
/// responses. No panic; never a verified identity (the challenge is fresh from
/// the OS RNG, so not even a replayed genuine signature can verify).
pub fn reception_flows(data: &[u8]) {
    static PKI: OnceLock<(TrustStore, CrlIndex)> = OnceLock::new();
    let (trust, crl) = PKI.get_or_init(|| {
        let trust = TrustStore::test_only_mynacard_test_pki().expect("test anchors");
        let crl = CrlIndex::from_der(
            include_bytes!("data/pki/auth_ca.crl.der"),
            &trust,
            CrlLimits::default(),
        )
        .expect("test CRL");
        (trust, crl)
    });
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let caps = if mode & 1 == 0 {
        LinkCapabilities::SHORT
    } else {
        LinkCapabilities::extended(65536)
    };
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck {
        trust,
        revocation: crl,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let Ok(challenge) = OsRandom.challenge() else {
        return;
    };
    let facility = MedicalInstitutionCode::parse("1310012345").expect("valid code");
    let pin = || Reply::Digits(Zeroizing::new("1234".into()));
    let mut replies = vec![];
    let mut flow: Box<dyn Flow> = match (mode >> 1) % 3 {
        0 => Box::new(CardPinFlow::new(facility, challenge, check)),
        1 => {
            replies.push(Reply::Choice(if mode & 0x10 == 0 {
                Choice::Face
            } else {
                Choice::Pin
            }));
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
        replies.extend([pin(), Reply::Yes, Reply::Choice(Choice::Pin)]);
    }
    let verdict = if mode & 0x20 == 0 {
        FaceVerdict::Match
    } else {
        FaceVerdict::Mismatch
    };
    let card = ScriptedCard {
        chunks: split_responses(rest).into_iter(),
        caps,
    };
    let mut runner = Runner::new(card);
    let mut patient = ScriptedPatient::new(replies);
    if let Ok(outcome) = runner.run(flow.as_mut(), &mut patient, &mut Verdict(verdict)) {
        assert!(
            outcome.identity.verified().is_none(),
            "an identity from hostile responses"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_responses(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        reception_flows(&data);
    }

    #[test]
    fn plausible_responses(mode in any::<u8>(), parts in proptest::collection::vec(
        prop_oneof![
            Just(vec![0x90, 0x00]),
            Just(vec![0x63, 0xC3]),
            Just(vec![0x63, 0xC1]),
            Just(vec![0x69, 0x84]),
            proptest::collection::vec(any::<u8>(), 0..300).prop_map(|mut v| { v.extend([0x90, 0x00]); v }),
            proptest::collection::vec(any::<u8>(), 0..8),
        ],
        0..24,
    )) {
        let mut data = vec![mode];
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                data.extend([0xA5, 0x5A]);
            }
            data.extend(p);
        }
        reception_flows(&data);
    }
}

/// Records a genuine session's responses, then replays them to a new flow with a
/// fresh challenge: the replayed signature does not verify.
#[test]
fn replayed_genuine_responses_do_not_verify() {
    use mynacard::virtual_card::{CardOptions, VirtualCard};

    struct Recorder(VirtualCard, Vec<Vec<u8>>);
    impl Transport for Recorder {
        fn transmit(&mut self, c: &[u8]) -> Result<Vec<u8>, TransportError> {
            let r = self.0.transmit(c)?;
            self.1.push(r.clone());
            Ok(r)
        }
        fn capabilities(&self) -> LinkCapabilities {
            self.0.capabilities()
        }
    }
    let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
    let crl = CrlIndex::from_der(
        include_bytes!("data/pki/auth_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )
    .unwrap();
    let policy = RelyingPartyPolicy::strict();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crl,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let facility = MedicalInstitutionCode::parse("1310012345").unwrap();
    let replies = || {
        vec![
            Reply::Digits(Zeroizing::new("1234".into())),
            Reply::Yes,
            Reply::Yes,
            Reply::Yes,
            Reply::Yes,
        ]
    };
    let mut o = CardOptions::default();
    o.capabilities = LinkCapabilities::SHORT;
    let mut runner = Runner::new(Recorder(
        VirtualCard::test_holder_with("yamada", o).unwrap(),
        vec![],
    ));
    let mut flow = CardPinFlow::new(facility.clone(), Challenge::new([1; 32]), check);
    let out = runner
        .run(
            &mut flow,
            &mut ScriptedPatient::new(replies()),
            &mut Verdict(FaceVerdict::Match),
        )
        .unwrap();
    assert!(out.identity.verified().is_some());
    let recorded = runner.exchange().transport().1.clone();

    let mut data = Vec::new();
    for (i, r) in recorded.iter().enumerate() {
        if i > 0 {
            data.extend([0xA5, 0x5A]);
        }
        data.extend(r);
    }
    let card = ScriptedCard {
        chunks: split_responses(&data).into_iter(),
        caps: LinkCapabilities::SHORT,
    };
    let mut runner = Runner::new(card);
    let mut flow = CardPinFlow::new(facility, Challenge::new([2; 32]), check);
    let r = runner.run(
        &mut flow,
        &mut ScriptedPatient::new(replies()),
        &mut Verdict(FaceVerdict::Match),
    );
    assert_eq!(
        r.unwrap_err(),
        FlowError::Verification(PkiError::ChallengeSignatureInvalid)
    );
    // And the fuzz body on the same bytes (fresh OS challenge) yields no identity.
    let mut fuzz_input = vec![0u8];
    fuzz_input.extend(&data);
    reception_flows(&fuzz_input);
}
