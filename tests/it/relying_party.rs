//! The relying-party kit end to end: challenges from the issuer, presentations made by the
//! virtual card's TEST holders, partitioned CRLs as the revocation source.
#![cfg(feature = "virtual-card")]

use mynacard::pki::{
    CrlIndex, CrlLimits, CrlSet, Form, PkiError, RelyingPartyPolicy, RevocationStatus, TrustStore,
    test_pki,
};
use mynacard::relying_party::{ChallengeIssuer, RelyingParty, RelyingPartyError, testing};

const NOW: mynacard::pki::UnixTime = test_pki::REFERENCE_TIME;

fn server() -> RelyingParty<CrlSet> {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let mut crls = CrlSet::new();
    for city in [
        "Chiyoda-ku",
        "Osaka-shi",
        "Chiba-shi",
        "Kobe-shi",
        "Fukuoka-shi",
    ] {
        let der = std::fs::read(format!(
            "{}/crates/mynacard-virtual-card/data/pki/auth_ca.dp.{city}.crl.der",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("partition");
        crls.insert(CrlIndex::from_der(&der, &trust, CrlLimits::default()).expect("CRL"));
    }
    RelyingParty::new(
        trust,
        crls,
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::new(120).expect("key"),
    )
}

#[test]
fn every_valid_test_holder_is_verified_once_per_challenge() {
    let rp = server();
    for (holder, form) in [
        ("yamada", Form::Card),
        ("takahashi", Form::Card),
        ("ito", Form::Smartphone),
        ("kato", Form::Smartphone),
    ] {
        let challenge = rp.challenges().issue(NOW).expect("challenge");
        let made = testing::present(holder, challenge.bytes()).expect("presentation");
        assert_eq!(made.form, form, "{holder}");
        let id = rp.verify(&made.presentation(), NOW).expect(holder);
        assert!(
            matches!(id.revocation(), RevocationStatus::Good { .. }),
            "{holder}"
        );
        assert_eq!(
            rp.verify(&made.presentation(), NOW).map(|_| ()),
            Err(RelyingPartyError::UnknownChallenge),
            "{holder}: replay"
        );
    }
    assert_eq!(rp.challenges().redeemed(), 4);
}

#[test]
fn presentation_over_a_challenge_not_issued_here_is_refused() {
    let rp = server();
    let made = testing::present("yamada", &[0x11; 32]).expect("presentation");
    assert_eq!(
        rp.verify(&made.presentation(), NOW).map(|_| ()),
        Err(RelyingPartyError::UnknownChallenge)
    );
}

#[test]
fn late_presentation_is_refused_as_expired() {
    let rp = server();
    let challenge = rp.challenges().issue(NOW).expect("challenge");
    let made = testing::present("yamada", challenge.bytes()).expect("presentation");
    assert_eq!(
        rp.verify(&made.presentation(), NOW.saturating_add_secs(121))
            .map(|_| ()),
        Err(RelyingPartyError::ChallengeExpired {
            expires_at: challenge.expires_at()
        })
    );
}

#[test]
fn revoked_holder_is_refused_and_unloaded_partition_is_named() {
    let rp = server();
    let challenge = rp.challenges().issue(NOW).expect("challenge");
    let sato = testing::present("sato", challenge.bytes()).expect("presentation");
    assert!(matches!(
        rp.verify(&sato.presentation(), NOW),
        Err(RelyingPartyError::Pki(PkiError::Revoked { .. }))
    ));
    // nakamura lives in Kyoto-shi, whose partition this server did not load.
    let challenge = rp.challenges().issue(NOW).expect("challenge");
    let nakamura = testing::present("nakamura", challenge.bytes()).expect("presentation");
    let err = rp.verify(&nakamura.presentation(), NOW).map(|_| ());
    let Err(RelyingPartyError::Pki(PkiError::RevocationNotChecked { reason })) = err else {
        panic!("expected RevocationNotChecked, got {err:?}");
    };
    // The partition names the holder's municipality: the error says what is missing, not
    // where the holder lives (the typed `RevocationStatus::NotChecked` still carries it).
    assert_eq!(reason, "no CRL for the distribution point");
    assert!(!format!("{err:?}").contains("Kyoto"));
}

/// Attack: one presentation sent to the server many times at once. Exactly one
/// verification succeeds: the challenge is marked used by a check-and-insert
/// under one lock after the presentation verified (20 rounds of 4 threads).
#[test]
fn parallel_verifications_of_one_presentation_succeed_exactly_once() {
    let rp = server();
    for round in 0..20 {
        let challenge = rp.challenges().issue(NOW).expect("challenge");
        let made = testing::present("yamada", challenge.bytes()).expect("presentation");
        let barrier = std::sync::Barrier::new(4);
        let ok = std::thread::scope(|s| {
            let threads: Vec<_> = (0..4)
                .map(|_| {
                    let (rp, made, barrier) = (&rp, &made, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        rp.verify(&made.presentation(), NOW).is_ok()
                    })
                })
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().expect("thread"))
                .filter(|ok| *ok)
                .count()
        });
        assert_eq!(ok, 1, "round {round}");
    }
}

/// Attack: a flood of anonymous challenge requests, then refused presentations
/// over them. Neither stores anything: a user's login still succeeds.
#[test]
fn a_flood_of_challenges_and_refused_presentations_locks_no_one_out() {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let rp = RelyingParty::new(
        trust,
        CrlSet::new(),
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::with_capacity(120, 1).expect("key"),
    );
    let garbage = testing::present("yamada", &[0; 56]).expect("presentation");
    for _ in 0..1_000 {
        let c = rp.challenges().issue(NOW).expect("flood");
        let mut p = garbage.presentation();
        p.challenge = c.bytes();
        // Signed over other bytes: refused, and the challenge not used up.
        assert!(rp.verify(&p, NOW).is_err());
    }
    assert_eq!(rp.challenges().redeemed(), 0);
    let c = rp.challenges().issue(NOW).expect("user");
    assert_eq!(rp.challenges().redeem(c.bytes(), NOW), Ok(()));
}
