//! Signed documents (CMS SignedData and signed PDFs) verified under a [`Trust`]'s roots and
//! CRLs. The C ABI and Python give the same JSON.

use mynacard::document::{
    self, CheckTime, CmsVerifyOptions, Content, DocumentError, SignedDocument,
};
use mynacard::pki::{RevocationRequirement, UnixTime};
use serde::Deserialize;
use serde_json::Value;

use super::error::{Error, ErrorKind};
use super::pki::Trust;

/// The document options, as JSON: `{"check_at": "verification_time" | "signing_time",
/// "revocation": "required" | "best_effort"}`; every field optional (default: the
/// verification time, revocation required).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentOptions {
    /// When the certificate is checked: `verification_time` or `signing_time` (the
    /// signature's claimed signingTime).
    #[serde(default)]
    pub check_at: Option<String>,
    /// `required` or `best_effort`.
    #[serde(default)]
    pub revocation: Option<String>,
}

impl DocumentOptions {
    /// Parses the JSON form (`None` or empty: the defaults).
    pub fn from_json(json: Option<&str>) -> Result<Self, Error> {
        match json.map(str::trim) {
            None | Some("") => Ok(Self::default()),
            Some(s) => {
                serde_json::from_str(s).map_err(|e| Error::argument("options", e.to_string()))
            }
        }
    }

    /// The core options.
    pub fn options(&self) -> Result<CmsVerifyOptions, Error> {
        let mut o = CmsVerifyOptions::strict();
        match self.check_at.as_deref() {
            None | Some("verification_time") => {}
            Some("signing_time") => o = o.with_check_at(CheckTime::SigningTime),
            Some(other) => {
                return Err(Error::argument(
                    "options",
                    format!("unknown check_at {other:?} (verification_time, signing_time)"),
                ));
            }
        }
        match self.revocation.as_deref() {
            None | Some("required") => {}
            Some("best_effort") => o = o.with_revocation(RevocationRequirement::BestEffort),
            Some(other) => {
                return Err(Error::argument(
                    "options",
                    format!("unknown revocation requirement {other:?} (required, best_effort)"),
                ));
            }
        }
        Ok(o)
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        match e {
            DocumentError::Certificate(p) => p.into(),
            DocumentError::Malformed { .. }
            | DocumentError::TooLarge { .. }
            | DocumentError::NotPdf { .. }
            | DocumentError::PdfMalformed { .. } => {
                Self::new(ErrorKind::Malformed, e.code(), e.to_string())
            }
            DocumentError::Card(_) => Self::new(ErrorKind::Card, e.code(), e.to_string()),
            other => Self::new(ErrorKind::Refused, other.code(), other.to_string()),
        }
    }
}

/// A verified signature's JSON, **the holder's 基本4情報 included** (see
/// `SignedDocument::serialize_disclosing_attributes`).
pub fn signed_document(d: &SignedDocument) -> Value {
    d.serialize_disclosing_attributes(serde_json::value::Serializer)
        .unwrap_or(Value::Null)
}

impl Trust {
    /// Verifies a DER CMS SignedData (`content`: `None` when attached, else the detached
    /// content) at `time`: the verified signature's JSON (`signed_document`).
    pub fn verify_cms(
        &self,
        cms: &[u8],
        content: Option<&[u8]>,
        options: &DocumentOptions,
        time: UnixTime,
    ) -> Result<String, Error> {
        let options = options.options()?;
        let content = content.map_or(Content::Attached, Content::Detached);
        let crls = self.crls();
        let d = document::verify_cms(cms, content, self.store(), &crls, &options, time)?;
        Ok(signed_document(&d).to_string())
    }

    /// Verifies every signature of a PDF at `time`: the report's JSON, the core's
    /// `PdfReport::serialize_disclosing_attributes` (`{"verdict": {"code", …},
    /// "signatures": [{"offset", "sub_filter", "byte_range", "revision_end", "signed" |
    /// "error"}]}`). Only a file that is not a PDF fails; a refused signature is an entry
    /// of the report.
    pub fn verify_pdf(
        &self,
        pdf: &[u8],
        options: &DocumentOptions,
        time: UnixTime,
    ) -> Result<String, Error> {
        let options = options.options()?;
        let crls = self.crls();
        let report = document::verify_pdf(pdf, self.store(), &crls, &options, time)?;
        Ok(report
            .serialize_disclosing_attributes(serde_json::value::Serializer)
            .unwrap_or(Value::Null)
            .to_string())
    }
}
