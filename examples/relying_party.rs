//! A verification server (relying party) end to end, runnable without hardware:
//! trust store, revocation sources asked in order (the CRL set first, then
//! whatever else the server has — an OCSP response fetched for the
//! certificate), single-use challenges, and the verification of a TEST
//! holder's presentation; then the same presentation replayed (refused), a
//! revoked holder (refused) and the JSON a server would log or answer.
//!
//! ```sh
//! cargo run --example relying_party --features serde
//! ```

use mynacard::pki::{
    CrlIndex, CrlLimits, CrlSet, NoRevocationSource, RelyingPartyPolicy, RevocationSources,
    TrustStore, test_pki,
};
use mynacard::relying_party::{ChallengeIssuer, RelyingParty, testing};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/mynacard-virtual-card/data/pki/"
);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Production: TrustStore::jlis()? and the J-LIS CRLs (or their partitions),
    // refreshed daily.
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let mut crls = CrlSet::new();
    crls.insert(CrlIndex::from_file(
        format!("{DATA}auth_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )?);
    // The CRL set first; a source that cannot answer passes to the next.
    let sources = RevocationSources::new().then(crls).then(NoRevocationSource);
    let server = RelyingParty::new(
        trust,
        sources,
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::new(300)?,
    );

    let now = test_pki::REFERENCE_TIME; // production: UnixTime::now()
    let challenge = server.challenges().issue(now)?;
    let presented = testing::present("yamada", challenge.bytes())?;
    let identity = server.verify(&presented.presentation(), now)?;
    assert_eq!(identity.serial_hex(), "329BCA3A");
    println!("verified: {}", serde_json::to_string(&identity)?);

    let replay = server.verify(&presented.presentation(), now);
    let replay = replay.expect_err("a replay is refused");
    assert_eq!(replay.code(), "relying_party.challenge_unknown");
    println!("replayed: {}", serde_json::to_string(&replay)?);

    let challenge = server.challenges().issue(now)?;
    let revoked = testing::present("sato", challenge.bytes())?;
    let refused = server
        .verify(&revoked.presentation(), now)
        .expect_err("a revoked certificate is refused");
    assert_eq!(refused.code(), "pki.revoked");
    println!("revoked:  {}", serde_json::to_string(&refused)?);
    Ok(())
}
