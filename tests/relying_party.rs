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
    assert!(reason.starts_with("no CRL for CN=Kyoto-shi,OU=Kyoto,OU=CRL Distribution Points"));
}
