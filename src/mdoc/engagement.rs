//! DeviceEngagement (ISO/IEC 18013-5 §8.2.1.1): what the holder shows in its QR code or hands
//! over by NFC. The raw bytes are kept: the SessionTranscript is built over them as received,
//! never over a re-encoding (re-encoding broke decryption against Apple Wallet).

use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};

use super::MdocError;
use super::cbor::{self, Value, get_int};
use super::cose_key::CoseKey;

/// Largest DeviceEngagement accepted.
pub const MAX_ENGAGEMENT: usize = 4096;

/// A parsed DeviceEngagement, with the holder's bytes.
#[derive(Debug, Clone)]
pub struct DeviceEngagement {
    raw: Vec<u8>,
    version: EngagementVersion,
    e_device_key: CoseKey,
    e_device_key_bytes: Vec<u8>,
}

/// The DeviceEngagement version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngagementVersion {
    /// "1.0" (ISO/IEC 18013-5:2021).
    V1_0,
    /// "1.1" (the second edition; keys 5 and 6, OriginInfos and Capabilities, are accepted and
    /// otherwise ignored).
    V1_1,
}

impl DeviceEngagement {
    /// Parses DeviceEngagement bytes as the holder sent them.
    pub fn parse(raw: &[u8]) -> Result<Self, MdocError> {
        if raw.len() > MAX_ENGAGEMENT {
            return Err(MdocError::TooLarge {
                what: "DeviceEngagement",
                len: raw.len(),
                max: MAX_ENGAGEMENT,
            });
        }
        let root = cbor::decode(raw)?;
        let m = root.map("DeviceEngagement")?;
        let version = match get_int(m, 0).map(|v| v.text("version")).transpose()? {
            Some("1.0") => EngagementVersion::V1_0,
            Some("1.1") => EngagementVersion::V1_1,
            Some(_) => return Err(MdocError::UnsupportedVersion),
            None => return Err(MdocError::MissingField { field: "version" }),
        };
        let security = get_int(m, 1)
            .ok_or(MdocError::MissingField { field: "Security" })?
            .array("Security")?;
        let [suite, key_bytes] = security else {
            return Err(MdocError::Field {
                field: "Security",
                reason: "not [cipher suite, EDeviceKeyBytes]",
            });
        };
        if !suite.is_int(1) {
            return Err(MdocError::Field {
                field: "Security",
                reason: "cipher suite is not 1",
            });
        }
        let inner = key_bytes.tag24("EDeviceKeyBytes")?;
        let e_device_key = CoseKey::from_bytes(inner)?;
        e_device_key.p256()?;
        if let Some(n) = get_int(m, 2)
            && !matches!(n.value, Value::Array(_))
        {
            return Err(MdocError::Field {
                field: "DeviceRetrievalMethods",
                reason: "not an array",
            });
        }
        Ok(DeviceEngagement {
            raw: raw.to_vec(),
            version,
            e_device_key,
            e_device_key_bytes: key_bytes.raw.to_vec(),
        })
    }

    /// Reads the `mdoc:` URI of a QR code (base64url without padding of DeviceEngagement).
    pub fn from_qr_uri(uri: &str) -> Result<Self, MdocError> {
        let b64 = uri.strip_prefix("mdoc:").ok_or(MdocError::Engagement {
            reason: "URI does not start with mdoc:",
        })?;
        if b64.len() > MAX_ENGAGEMENT * 4 / 3 + 4 {
            return Err(MdocError::TooLarge {
                what: "mdoc: URI",
                len: b64.len(),
                max: MAX_ENGAGEMENT * 4 / 3 + 4,
            });
        }
        // Unpadded as 18013-5 writes it; trailing padding is tolerated.
        let bytes = Base64UrlUnpadded::decode_vec(b64.trim_end_matches('=')).map_err(|_| {
            MdocError::Engagement {
                reason: "not base64url",
            }
        })?;
        Self::parse(&bytes)
    }

    /// The bytes as received.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The version.
    pub fn version(&self) -> EngagementVersion {
        self.version
    }

    /// The holder's ephemeral key (P-256).
    pub fn e_device_key(&self) -> &CoseKey {
        &self.e_device_key
    }

    /// `EDeviceKeyBytes` (`#6.24(bstr .cbor COSE_Key)`) as received.
    pub fn e_device_key_bytes(&self) -> &[u8] {
        &self.e_device_key_bytes
    }
}
