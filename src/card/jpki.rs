//! JPKI AP (公的個人認証AP): certificates and signing keys. Command builders and
//! parsers; the [`Card`](super::Card) driver runs them.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use der::Decode;

use zeroize::Zeroizing;

use super::error::{FileError, FileErrorKind};
pub use super::model::{JpkiCertificateKind, JpkiKey};
use crate::apdu::Command;
use crate::crypto::backend::{SignatureBackend, VerificationKey};

/// A certificate read from the card: DER bytes and the parsed structure. The
/// card's CA certificates are never trust anchors; validate with `crate::pki`.
#[derive(Clone, PartialEq, Eq)]
pub struct JpkiCertificate {
    kind: JpkiCertificateKind,
    der: Zeroizing<Vec<u8>>,
    certificate: x509_cert::Certificate,
}

impl fmt::Debug for JpkiCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The sign certificate carries personal data: show only its size.
        write!(
            f,
            "JpkiCertificate({:?}, {} bytes)",
            self.kind,
            self.der.len()
        )
    }
}

impl JpkiCertificate {
    /// Parses the DER read from the card.
    pub fn parse(kind: JpkiCertificateKind, der: Zeroizing<Vec<u8>>) -> Result<Self, FileError> {
        let certificate = x509_cert::Certificate::from_der(&der).map_err(|source| FileError {
            file: kind.name(),
            kind: FileErrorKind::Certificate { source },
        })?;
        Ok(Self {
            kind,
            der,
            certificate,
        })
    }

    /// Which certificate.
    pub fn kind(&self) -> JpkiCertificateKind {
        self.kind
    }

    /// The DER bytes (without the EF's filler).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate.
    pub fn certificate(&self) -> &x509_cert::Certificate {
        &self.certificate
    }

    /// The subject's public key prepared by a signature backend, to check a
    /// signature the card made (this does not validate the certificate; see
    /// `crate::pki` for that).
    pub fn verification_key(
        &self,
        backend: &dyn SignatureBackend,
    ) -> Result<Arc<dyn VerificationKey>, FileError> {
        use der::Encode;
        let invalid = FileError {
            file: self.kind.name(),
            kind: FileErrorKind::InvalidField {
                field: "subjectPublicKeyInfo",
                reason: "not a public key the backend accepts",
            },
        };
        let spki = self
            .certificate
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| invalid.clone())?;
        backend.prepare_key(&spki).map_err(|_| invalid)
    }
}

/// How COMPUTE DIGITAL SIGNATURE names the key.
///
/// The default everywhere — the card driver ([`CardOptions`](super::CardOptions))
/// and every flow — is the documented, widely observed form:
/// `SELECT` of the key EF (`00 A4 02 0C 02 00 17` for the auth key), then
/// `80 2A 00 80`. The SFI form (`80 2A 00 97` / `80 2A 00 9A`) saves one command
/// but is single-source ⚠ (one JPKI test card): it is used only when a caller
/// opts in with [`SignAddressing::BySfi`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignAddressing {
    /// SELECT the key EF, then `80 2A 00 80` (every source; the default).
    #[default]
    SelectThenCurrent,
    /// `80 2A 00 <80|SFI>` with no SELECT — saves one command, but is single-source
    /// ⚠ (a JPKI test card); opt-in only.
    BySfi,
}

/// `80 2A 00 <P2> Lc <DigestInfo> 00`: the card pads the DigestInfo (PKCS#1 v1.5)
/// and signs it.
pub(crate) fn sign_command(
    key: JpkiKey,
    digest_info: &[u8],
    addressing: SignAddressing,
) -> Command {
    let p2 = match addressing {
        SignAddressing::SelectThenCurrent => 0x80,
        SignAddressing::BySfi => 0x80 | key.file().sfi(),
    };
    Command::new(0x80, 0x2A, 0x00, p2)
        .with_data(digest_info)
        .with_le(256)
}

/// `80 FC 00 00`: end of transaction (iPhone token only; a card answers `6700`).
pub(crate) fn end_of_transaction_command() -> Command {
    Command::new(0x80, 0xFC, 0x00, 0x00)
}

/// The name of the COMPUTE DIGITAL SIGNATURE response in errors.
pub const SIGNATURE: &str = "COMPUTE DIGITAL SIGNATURE response";

/// RSA-2048 signature length.
pub const SIGNATURE_LEN: usize = 256;

/// Checks the signature returned by the card.
pub fn parse_signature(data: Vec<u8>) -> Result<Vec<u8>, FileError> {
    if data.len() != SIGNATURE_LEN {
        return Err(FileError {
            file: SIGNATURE,
            kind: FileErrorKind::Length {
                expected: SIGNATURE_LEN,
                got: data.len(),
            },
        });
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widely_observed_select_then_p2_80_form_is_the_default() {
        assert_eq!(SignAddressing::default(), SignAddressing::SelectThenCurrent);
        assert_eq!(
            super::super::CardOptions::default().sign_addressing,
            SignAddressing::SelectThenCurrent
        );
        let di = [0x30, 0x00];
        assert_eq!(
            sign_command(JpkiKey::Auth, &di, SignAddressing::default()).p2,
            0x80
        );
        assert_eq!(
            sign_command(JpkiKey::Sign, &di, SignAddressing::default()).p2,
            0x80
        );
    }
    use crate::apdu::LengthForm;
    use crate::card::digest_info::HashAlgorithm;

    #[test]
    fn sign_command_bytes() {
        let di = HashAlgorithm::Sha256.digest_info(&[0x11; 32]).unwrap();
        let c = sign_command(JpkiKey::Auth, &di, SignAddressing::SelectThenCurrent)
            .encode(LengthForm::Short)
            .unwrap();
        assert_eq!(&c[..5], &[0x80, 0x2A, 0x00, 0x80, 0x33]);
        assert_eq!(&c[5..24], HashAlgorithm::Sha256.digest_info_prefix());
        assert_eq!(c[c.len() - 1], 0x00);
        assert_eq!(c.len(), 5 + 51 + 1);
        let c = sign_command(JpkiKey::Sign, &di, SignAddressing::BySfi);
        assert_eq!(c.p2, 0x9A);
        assert_eq!(
            sign_command(JpkiKey::Auth, &di, SignAddressing::BySfi).p2,
            0x97
        );
    }

    #[test]
    fn signature_length_is_checked() {
        assert_eq!(
            parse_signature(vec![0; 255]),
            Err(FileError {
                file: SIGNATURE,
                kind: FileErrorKind::Length {
                    expected: 256,
                    got: 255
                }
            })
        );
        assert_eq!(parse_signature(vec![1; 256]).unwrap().len(), 256);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        let e = JpkiCertificate::parse(
            JpkiCertificateKind::Auth,
            Zeroizing::new(vec![0x30, 0x03, 0x02, 0x01, 0x00]),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            FileError {
                file: "JPKI EF 000A (auth certificate)",
                kind: FileErrorKind::Certificate { .. }
            }
        ));
    }
}
