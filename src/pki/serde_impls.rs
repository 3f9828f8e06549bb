//! JSON for hospital systems (feature `serde`): the presentation check's result and the PKI's
//! errors serialize with stable field names; errors as `{ "code": "pki.revoked", "message": … }`.
//! Times are ISO 8601 (UTC) strings, serials upper-case hex, OIDs dotted strings.

use alloc::string::ToString;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{
    CertificateKind, Form, FormSource, GraceUse, Hierarchy, PkiError, Purpose, RevocationStatus,
    UnixTime, VerifiedIdentity,
};

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Purpose {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Purpose::Signature => "signature",
            Purpose::Authentication => "authentication",
        })
    }
}

impl Serialize for Form {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Form::Card => "card",
            Form::Smartphone => "smartphone",
        })
    }
}

impl Serialize for FormSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Serialize for Hierarchy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Hierarchy::Production => "production",
            Hierarchy::JlisTest => "jlis_test",
            Hierarchy::MynacardTest => "mynacard_test",
        })
    }
}

impl Serialize for CertificateKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.entry();
        let mut st = s.serialize_struct("CertificateKind", 4)?;
        st.serialize_field("policy", &self.oid().to_string())?;
        st.serialize_field("purpose", &e.map(|e| e.purpose))?;
        st.serialize_field("form", &e.and_then(|e| e.form))?;
        st.serialize_field("hierarchy", &e.map(|e| e.hierarchy))?;
        st.end()
    }
}

impl Serialize for GraceUse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("GraceUse", 2)?;
        st.serialize_field("expired_at", &self.expired_at)?;
        st.serialize_field("months", &self.months)?;
        st.end()
    }
}

impl Serialize for RevocationStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RevocationStatus", 4)?;
        match self {
            RevocationStatus::Good {
                this_update,
                next_update,
                source,
            } => {
                st.serialize_field("status", "good")?;
                st.serialize_field("source", source.code())?;
                st.serialize_field("this_update", this_update)?;
                st.serialize_field("next_update", next_update)?;
            }
            RevocationStatus::Revoked {
                reason,
                date,
                source,
            } => {
                st.serialize_field("status", "revoked")?;
                st.serialize_field("source", source.code())?;
                st.serialize_field("reason", &reason.map(|r| r.name()))?;
                st.serialize_field("date", date)?;
            }
            RevocationStatus::NotChecked { reason } => {
                st.serialize_field("status", "not_checked")?;
                st.serialize_field("reason", reason.as_str())?;
            }
        }
        st.end()
    }
}

impl Serialize for VerifiedIdentity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("VerifiedIdentity", 8)?;
        st.serialize_field("serial", &self.serial_hex())?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("form", &self.form())?;
        st.serialize_field("form_source", &self.form_source())?;
        st.serialize_field("anchor", self.anchor())?;
        st.serialize_field("not_after", &self.not_after())?;
        st.serialize_field("revocation", &self.revocation())?;
        st.serialize_field("grace", &self.grace())?;
        st.end()
    }
}

impl Serialize for PkiError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PkiError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

#[cfg(all(test, feature = "test-pki"))]
mod tests {
    use super::*;
    use crate::pki::{self, Presentation, RelyingPartyPolicy, TrustStore};

    #[test]
    fn verified_identity_and_errors_serialize_to_stable_json() {
        let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/crates/mynacard-virtual-card/data/pki/"
        );
        let read = |f: &str| std::fs::read(format!("{dir}{f}")).expect("TEST PKI file");
        let crl =
            pki::CrlIndex::from_der(&read("auth_ca.crl.der"), &trust, pki::CrlLimits::default())
                .expect("CRL");
        let cert = read("yamada_auth.der");
        let key = {
            use rsa::pkcs8::DecodePrivateKey;
            rsa::pkcs1v15::SigningKey::<sha2::Sha256>::from_pkcs8_der(&read("yamada_auth.key.der"))
                .expect("key")
        };
        let challenge = b"json";
        let sig = {
            use rsa::signature::{SignatureEncoding, Signer};
            key.sign(challenge).to_vec()
        };
        let id = pki::verify_presentation(
            &Presentation::new(&cert, challenge, &sig),
            &trust,
            &crl,
            &RelyingPartyPolicy::strict(),
            pki::test_pki::REFERENCE_TIME,
        )
        .expect("valid");
        let json = serde_json::to_value(&id).expect("JSON");
        assert_eq!(json["serial"], "329BCA3A");
        assert_eq!(json["kind"]["purpose"], "authentication");
        assert_eq!(
            (&json["form"], &json["form_source"]),
            (&"card".into(), &"certificate".into())
        );
        assert_eq!(json["anchor"], "mynacard_TEST_auth_ca");
        assert_eq!(json["not_after"], "2030-03-31T14:59:59Z");
        assert_eq!(json["revocation"]["status"], "good");
        assert_eq!(json["revocation"]["source"], "crl");
        let e = serde_json::to_value(PkiError::FormNotEstablished).expect("JSON");
        assert_eq!(e["code"], "pki.form_not_established");
        assert!(e["message"].as_str().is_some_and(|m| m.contains("form")));
    }
}
