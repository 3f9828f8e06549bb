//! Wycheproof RSA-2048 PKCS#1 v1.5 SHA-256 vectors through every signature backend.

use std::sync::Arc;

use mynacard::pki::backend::{self, SignatureBackend};
use mynacard::pki::{HashAlgorithm, SignatureAlgorithm};
use wycheproof::TestResult;
use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};

fn backends() -> Vec<Arc<dyn SignatureBackend>> {
    #[allow(unused_mut)]
    let mut v: Vec<Arc<dyn SignatureBackend>> = vec![Arc::new(backend::RustCrypto)];
    #[cfg(feature = "aws-lc-rs")]
    v.push(Arc::new(backend::AwsLc));
    v
}

#[test]
fn rsa_2048_pkcs1_sha256_vectors_give_the_expected_verdict_with_every_backend() {
    let set = TestSet::load(TestName::Rsa2048Sha256).expect("vectors");
    let alg = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    for b in backends() {
        let (mut valid, mut invalid) = (0, 0);
        for group in &set.test_groups {
            let key = b.prepare_key(&group.der).expect("2048-bit test key");
            for t in &group.tests {
                let ok = key.verify(alg, &t.msg, &t.sig).is_ok();
                match t.result {
                    TestResult::Valid => {
                        assert!(
                            ok,
                            "{}: tc {} ({}) should verify",
                            b.name(),
                            t.tc_id,
                            t.comment
                        );
                        valid += 1;
                    }
                    TestResult::Invalid => {
                        assert!(
                            !ok,
                            "{}: tc {} ({}) must not verify",
                            b.name(),
                            t.tc_id,
                            t.comment
                        );
                        invalid += 1;
                    }
                    // PKCS#1 v1.5 SHA-256 has no "acceptable" cases; if one appears, either verdict is allowed.
                    TestResult::Acceptable => {}
                }
            }
        }
        assert!(
            valid > 0 && invalid > 100,
            "{}: {valid} valid / {invalid} invalid cases",
            b.name()
        );
        eprintln!(
            "{}: {valid} valid, {invalid} invalid vectors agree",
            b.name()
        );
    }
}
