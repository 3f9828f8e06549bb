//! COSE_Sign1 and COSE_Mac0 (RFC 9052) as mdoc uses them: the protected header's exact bytes
//! go into the Sig_structure / MAC_structure; algorithms ES256, ES384 and HMAC 256/256.

use alloc::vec::Vec;

use super::MdocError;
use super::cbor::{self, Node, Value, get_int};
use crate::pki::SignatureAlgorithm;

/// COSE header label `alg`.
const ALG: i64 = 1;
/// COSE header label `x5chain`.
const X5CHAIN: i64 = 33;
/// Most certificates accepted in an x5chain.
const MAX_CHAIN: usize = 8;

/// A COSE_Sign1 or COSE_Mac0, borrowed from the decoded input.
#[derive(Debug, Clone)]
pub struct CoseMessage<'a> {
    /// The protected header's serialized bytes (bstr content).
    pub protected: &'a [u8],
    /// The protected header's `alg`.
    pub alg: i64,
    /// The payload, `None` when detached.
    pub payload: Option<&'a [u8]>,
    /// The signature or tag.
    pub signature: &'a [u8],
    /// x5chain certificates (DER), protected or unprotected.
    pub x5chain: Vec<&'a [u8]>,
}

impl<'a> CoseMessage<'a> {
    /// Reads `[protected, unprotected, payload, signature]`, tagged (18 / 17) or not.
    pub fn from_node(node: &Node<'a>, what: &'static str) -> Result<Self, MdocError> {
        let node = match &node.value {
            Value::Tag(17 | 18, inner) => inner,
            _ => node,
        };
        let [p, u, payload, sig] = node.array(what)? else {
            return Err(MdocError::Field {
                field: what,
                reason: "not a four-element COSE array",
            });
        };
        let protected = p.bytes(what)?;
        let pmap_node;
        let pmap: &[(Node<'a>, Node<'a>)] = if protected.is_empty() {
            &[]
        } else {
            pmap_node = cbor::decode(protected)?;
            // The decoded map borrows `protected`, which outlives this call.
            match pmap_node.value {
                Value::Map(_) => pmap_node.map(what)?,
                _ => {
                    return Err(MdocError::Field {
                        field: what,
                        reason: "protected header is not a map",
                    });
                }
            }
        };
        let umap = u.map(what)?;
        let alg = get_int(pmap, ALG)
            .and_then(Node::int)
            .ok_or(MdocError::Field {
                field: what,
                reason: "no alg in the protected header",
            })?;
        let mut x5chain = Vec::new();
        if let Some(x) = get_int(pmap, X5CHAIN).or_else(|| get_int(umap, X5CHAIN)) {
            match &x.value {
                Value::Bytes(b) => x5chain.push(*b),
                Value::Array(certs) => {
                    if certs.len() > MAX_CHAIN {
                        return Err(MdocError::IssuerChain {
                            reason: "x5chain longer than 8 certificates",
                        });
                    }
                    for c in certs {
                        x5chain.push(c.bytes("x5chain")?);
                    }
                }
                _ => {
                    return Err(MdocError::Field {
                        field: "x5chain",
                        reason: "not a certificate or an array of certificates",
                    });
                }
            }
        }
        let payload = match payload.value {
            Value::Null => None,
            Value::Bytes(b) => Some(b),
            _ => {
                return Err(MdocError::Field {
                    field: what,
                    reason: "payload is neither bytes nor null",
                });
            }
        };
        Ok(CoseMessage {
            protected,
            alg,
            payload,
            signature: sig.bytes(what)?,
            x5chain,
        })
    }

    /// The ECDSA algorithm of a COSE_Sign1 (ES256 or ES384).
    pub fn signature_algorithm(&self, what: &'static str) -> Result<SignatureAlgorithm, MdocError> {
        match self.alg {
            -7 => Ok(SignatureAlgorithm::EcdsaP256Sha256),
            -35 => Ok(SignatureAlgorithm::EcdsaP384Sha384),
            alg => Err(MdocError::UnsupportedAlgorithm { what, alg }),
        }
    }

    /// `Sig_structure = ["Signature1", protected, external_aad = h'', payload]` with the
    /// given (possibly detached) payload.
    pub fn to_be_signed(&self, payload: &[u8]) -> Vec<u8> {
        structure("Signature1", self.protected, payload)
    }

    /// `MAC_structure = ["MAC0", protected, external_aad = h'', payload]`.
    pub fn to_be_maced(&self, payload: &[u8]) -> Vec<u8> {
        structure("MAC0", self.protected, payload)
    }
}

/// `[context, protected, h'', payload]`.
pub fn structure(context: &str, protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(protected.len() + payload.len() + 24);
    cbor::put_header(&mut out, 4, 4);
    cbor::put_text(&mut out, context);
    cbor::put_bytes(&mut out, protected);
    cbor::put_bytes(&mut out, &[]);
    cbor::put_bytes(&mut out, payload);
    out
}
