//! The reception flows fed hostile card responses: they never panic and never
//! yield a verified identity from garbage — nor from a replay of a real card's
//! answers, since every run signs a fresh challenge.
//!
//! The body is the fuzz target `reception_flows` (`fuzz/src/targets.rs`), run
//! here under proptest.

#![cfg(feature = "virtual-card")]

use mynacard::flows::KeyProofChallenge;
use mynacard::flows::{CardPinFlow, FlowError};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict};
use mynacard::pki::{PkiError, RelyingPartyPolicy};
use mynacard::runner::{Reply, Runner, ScriptedPatient};
use mynacard::transport::{LinkCapabilities, Transport, TransportError};
use proptest::prelude::*;
use zeroize::Zeroizing;

use crate::common::reception::{TestPki, facility};

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

struct Verdict(FaceVerdict);
impl FaceMatcher for Verdict {
    fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
        self.0
    }
}

#[allow(dead_code, clippy::all)]
mod targets {
    include!("../../fuzz/src/targets.rs");
}

/// The fuzz body (`fuzz/src/targets.rs`, target `reception_flows`).
fn reception_flows(data: &[u8]) {
    targets::reception_flows(data);
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
    use mynacard::virtual_card::{VirtualCard, VirtualCardOptions};

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
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let check = pki.check();
    let facility = facility();
    let replies = || {
        vec![
            Reply::Digits(Zeroizing::new("1234".into())),
            Reply::Yes,
            Reply::Yes,
            Reply::Yes,
            Reply::Yes,
        ]
    };
    let mut o = VirtualCardOptions::default();
    o.capabilities = LinkCapabilities::SHORT;
    let mut runner = Runner::new(Recorder(
        VirtualCard::test_holder_with("yamada", o).unwrap(),
        vec![],
    ));
    let mut flow = CardPinFlow::new(facility.clone(), KeyProofChallenge::new([1; 32]), check);
    let out = runner
        .run(
            &mut flow,
            &mut ScriptedPatient::new(replies()),
            &mut Verdict(FaceVerdict::Match),
        )
        .unwrap();
    assert!(out.identity.verified().is_some());
    let recorded = runner.transport().1.clone();

    let mut data = Vec::new();
    for (i, r) in recorded.iter().enumerate() {
        if i > 0 {
            data.extend([0xA5, 0x5A]);
        }
        data.extend(r);
    }
    let card = ScriptedCard {
        chunks: targets::split_responses(&data).into_iter(),
        caps: LinkCapabilities::SHORT,
    };
    let mut runner = Runner::new(card);
    let mut flow = CardPinFlow::new(facility, KeyProofChallenge::new([2; 32]), check);
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
