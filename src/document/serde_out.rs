//! JSON of a verified signature and of a PDF's report (feature `serde`), only through
//! [`super::SignedDocument::serialize_disclosing_attributes`] and
//! [`super::PdfReport::serialize_disclosing_attributes`]: the holder's attributes are
//! personal data, so no `Serialize` impl exposes them by accident.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{PdfReport, PdfSignature, PdfVerdict, SignedDocument};
use crate::pki::{CertificateBirthDate, HolderAttributes};

struct Holder<'a>(&'a HolderAttributes);
struct BirthDate(CertificateBirthDate);
struct Cert<'a>(&'a SignedDocument);

impl Serialize for BirthDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("BirthDate", 4)?;
        st.serialize_field("era", &self.0.era().map(|e| e.kanji()))?;
        st.serialize_field("year", &self.0.year())?;
        st.serialize_field("month", &self.0.month())?;
        st.serialize_field("day", &self.0.day())?;
        st.end()
    }
}

impl Serialize for Holder<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.0;
        let mut st = s.serialize_struct("Holder", 6)?;
        st.serialize_field("name", h.name())?;
        st.serialize_field("name_substituted", h.name_flags().flags())?;
        st.serialize_field("address", h.address())?;
        st.serialize_field("address_substituted", h.address_flags().flags())?;
        st.serialize_field("birth_date", &BirthDate(h.birth_date()))?;
        st.serialize_field("sex", &h.sex())?;
        st.end()
    }
}

impl Serialize for Cert<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let c = d.certificate();
        let mut st = s.serialize_struct("Certificate", 5)?;
        st.serialize_field("serial", &c.serial_hex())?;
        st.serialize_field("not_before", &c.not_before())?;
        st.serialize_field("not_after", &c.not_after())?;
        st.serialize_field("kind", d.kind())?;
        st.serialize_field("anchor", d.anchor())?;
        st.end()
    }
}

pub(super) fn serialize<S: Serializer>(d: &SignedDocument, s: S) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct("SignedDocument", 7)?;
    st.serialize_field("holder", &Holder(d.holder()))?;
    st.serialize_field("certificate", &Cert(d))?;
    st.serialize_field("revocation", d.revocation())?;
    st.serialize_field("checked_at", d.checked_at().code())?;
    st.serialize_field("checked_time", &d.checked_time())?;
    st.serialize_field("claimed_signing_time", &d.claimed_signing_time())?;
    st.serialize_field(
        "digest_algorithm",
        match d.digest_algorithm() {
            crate::pki::HashAlgorithm::Sha384 => "sha384",
            crate::pki::HashAlgorithm::Sha512 => "sha512",
            _ => "sha256",
        },
    )?;
    st.end()
}

struct Disclosing<'a>(&'a SignedDocument);
struct Verdict(PdfVerdict);
struct Signatures<'a>(&'a [PdfSignature]);
struct Signature<'a>(&'a PdfSignature);

impl Serialize for Disclosing<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize(self.0, s)
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            PdfVerdict::SignatureRefused { index, code } => {
                let mut st = s.serialize_struct("PdfVerdict", 3)?;
                st.serialize_field("code", self.0.code())?;
                st.serialize_field("index", &index)?;
                st.serialize_field("error", code)?;
                st.end()
            }
            PdfVerdict::ModifiedAfterSigning {
                signed_until,
                appended_bytes,
            } => {
                let mut st = s.serialize_struct("PdfVerdict", 3)?;
                st.serialize_field("code", self.0.code())?;
                st.serialize_field("signed_until", &signed_until)?;
                st.serialize_field("appended_bytes", &appended_bytes)?;
                st.end()
            }
            PdfVerdict::Signed | PdfVerdict::Unsigned => {
                let mut st = s.serialize_struct("PdfVerdict", 1)?;
                st.serialize_field("code", self.0.code())?;
                st.end()
            }
        }
    }
}

impl Serialize for Signatures<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Signature))
    }
}

impl Serialize for Signature<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        let mut st = s.serialize_struct("PdfSignature", 5)?;
        st.serialize_field("offset", &g.offset)?;
        st.serialize_field("sub_filter", g.sub_filter.code())?;
        st.serialize_field("byte_range", &g.byte_range)?;
        st.serialize_field("revision_end", &g.revision_end)?;
        match &g.outcome {
            Ok(d) => st.serialize_field("signed", &Disclosing(d))?,
            Err(e) => st.serialize_field("error", e)?,
        }
        st.end()
    }
}

pub(super) fn serialize_pdf_report<S: Serializer>(r: &PdfReport, s: S) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct("PdfReport", 2)?;
    st.serialize_field("verdict", &Verdict(r.verdict()))?;
    st.serialize_field("signatures", &Signatures(r.signatures()))?;
    st.end()
}
