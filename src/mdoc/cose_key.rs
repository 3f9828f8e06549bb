//! COSE_Key (RFC 9052 §7) for the EC2 keys of an mdoc: the holder's ephemeral EDeviceKey, the
//! reader's EReaderKey and the MSO's deviceKey.

use alloc::vec::Vec;

use super::MdocError;
use super::cbor::{self, Node, get_int};

/// A public key on P-256 or P-384, from a COSE_Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoseKey {
    /// EC2, crv 1.
    P256(p256::PublicKey),
    /// EC2, crv 2.
    P384(p384::PublicKey),
}

const fn bad(reason: &'static str) -> MdocError {
    MdocError::CoseKey { reason }
}

impl CoseKey {
    /// Reads a decoded COSE_Key map.
    pub fn from_node(node: &Node<'_>) -> Result<Self, MdocError> {
        let m = node.map("COSE_Key")?;
        let kty = get_int(m, 1).and_then(Node::int);
        if kty != Some(2) {
            return Err(bad("key type is not EC2"));
        }
        let crv = get_int(m, -1).and_then(Node::int);
        let x = get_int(m, -2)
            .and_then(|n| n.bytes("x").ok())
            .ok_or(bad("no x coordinate"))?;
        let y = get_int(m, -3)
            .and_then(|n| n.bytes("y").ok())
            .ok_or(bad("no y coordinate (compressed points are not accepted)"))?;
        let (len, sec1) = match crv {
            Some(1) => (32, sec1(x, y)),
            Some(2) => (48, sec1(x, y)),
            _ => return Err(bad("curve is not P-256 or P-384")),
        };
        if x.len() != len || y.len() != len {
            return Err(bad("coordinate length"));
        }
        match crv {
            Some(1) => p256::PublicKey::from_sec1_bytes(&sec1)
                .map(CoseKey::P256)
                .map_err(|_| bad("point not on P-256")),
            _ => p384::PublicKey::from_sec1_bytes(&sec1)
                .map(CoseKey::P384)
                .map_err(|_| bad("point not on P-384")),
        }
    }

    /// Decodes a COSE_Key from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MdocError> {
        Self::from_node(&cbor::decode(bytes)?)
    }

    /// The P-256 key, or a typed error (session keys are P-256 here).
    pub fn p256(&self) -> Result<&p256::PublicKey, MdocError> {
        match self {
            CoseKey::P256(k) => Ok(k),
            CoseKey::P384(_) => Err(bad("P-384 where this reader needs P-256")),
        }
    }

    /// The key's SubjectPublicKeyInfo DER (for the signature backends).
    pub fn spki_der(&self) -> Result<Vec<u8>, MdocError> {
        use p256::pkcs8::EncodePublicKey;
        let der = match self {
            CoseKey::P256(k) => k.to_public_key_der(),
            CoseKey::P384(k) => k.to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec())
            .map_err(|_| bad("key not encodable"))
    }
}

fn sec1(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(1 + x.len() + y.len());
    v.push(0x04);
    v.extend_from_slice(x);
    v.extend_from_slice(y);
    v
}

/// The COSE_Key encoding of a P-256 public key: `{1: 2, -1: 1, -2: x, -3: y}`.
pub fn encode_p256(key: &p256::PublicKey) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToSec1Point;
    let point = key.to_sec1_point(false);
    let mut out = Vec::with_capacity(77);
    cbor::put_header(&mut out, 5, 4);
    out.extend_from_slice(&[0x01, 0x02, 0x20, 0x01, 0x21]);
    cbor::put_bytes(
        &mut out,
        point.x().map(|x| x.as_slice()).unwrap_or_default(),
    );
    out.push(0x22);
    cbor::put_bytes(
        &mut out,
        point.y().map(|y| y.as_slice()).unwrap_or_default(),
    );
    out
}
